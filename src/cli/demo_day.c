/*
 * cli/demo_day.c — a practitioner's day in the demo area (issue 15): children whose open alerts sit with the
 * MASH are allocated, the most overdue first, to the team north's worker (and some to the team with no worker
 * yet), so their alerts follow them into the worker's inbox (service/cases.h); the worker's most overdue alert
 * is escalated to the team manager, as the sweep does when nobody acknowledges one in time.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "service/alerts.h"
#include "service/cases.h"
#include "service/txq.h"

#define DAY_WORKER "demo.worker" /* cmd_demo.c's social worker, in team north (manager north.manager) */
#define DAY_TEAM "north"
#define DAY_TO_WORKER 8
#define DAY_TO_TEAM 4

static int demo_day_run(store_conn *c, void *arg)
{
	(void)arg;
	struct alerts_pick picks[DAY_TO_WORKER + DAY_TO_TEAM];
	int n = 0, rc = alerts_front_door(c, DAY_TO_WORKER + DAY_TO_TEAM, picks, &n);
	for (int i = 0; i < n && rc == STORE_OK; i++) {
		struct store_allocation a;
		enum cases_result res;
		memset(&a, 0, sizeof a);
		a.person_id = picks[i].child_id;
		snprintf(a.team, sizeof a.team, DAY_TEAM);
		if (i < DAY_TO_WORKER)
			snprintf(a.worker, sizeof a.worker, DAY_WORKER);
		rc = cases_allocate(c, "demo", NULL, &a, &res);
	}
	bool done = false;
	if (rc == STORE_OK && n > 0)
		rc = alerts_escalate_one(c, picks[0].alert_id, "demo", &done);
	return rc;
}

int cli_demo_day(store *st)
{
	return txq_exec(st, demo_day_run, NULL) == STORE_OK ? 0 : -1;
}
