/*
 * web/team.c — the team manager's page (issue 15): for each team they manage, the team's open alerts (most
 * overdue first), what was escalated to them, and each worker's caseload (children, open and overdue
 * alerts). One audited read ("team.read"), every list through the alerts service under the reader's view.
 */
#include "web/web_int.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "service/alerts.h"
#include "service/children.h"

#define TEAMS_MAX 8         /* teams one manager's page shows */
#define TEAM_ALERTS_MAX 50  /* open alerts per team, most overdue first; the inbox has the rest */
#define ESCALATED_MAX 50

struct team_job {
	struct web_read r;
	struct store_team teams[TEAMS_MAX];
	int nteams;
	struct date today;
	json_t *rows; /* the list being filled */
	int n;
	const char *only_to; /* the escalations list: only what was escalated to this person */
};

static void team_release(struct web_read *r)
{
	struct team_job *j = (struct team_job *)r;
	json_decref(j->rows);
	free(j);
}

static int team_add(const struct store_team *t, void *ctx)
{
	struct team_job *j = ctx;
	if (j->nteams < TEAMS_MAX)
		j->teams[j->nteams++] = *t;
	return 0;
}

/* A query value percent-encoded (a username or team code in a link). */
static void encode(const char *s, char *out, size_t outsz)
{
	size_t used = 0;
	out[0] = '\0';
	for (const unsigned char *c = (const unsigned char *)s; *c && used + 4 < outsz; c++)
		used += (size_t)snprintf(out + used, outsz - used,
					 ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
					  strchr("-._~", *c))
						 ? "%c"
						 : "%%%02X",
					 *c);
}

static int alert_add(const struct store_alert *a, void *ctx)
{
	struct team_job *j = ctx;
	char name[2 * STORE_NAME_BYTES + 24], due[DATE_LONG_MAX + 1] = "", owner[STORE_USER_MAX + 40];
	struct date d;
	const char *why, *next;
	if (j->only_to && strcmp(a->escalated_to, j->only_to) != 0)
		return 0; /* their own alert as a worker, not an escalation */
	if (j->n++ >= TEAM_ALERTS_MAX)
		return 0;
	web_short_name(a->given_name, a->family_name, name, sizeof name);
	bool has_due = web_day_text(a->due, &d, due, sizeof due);
	if (!has_due)
		web_day_text(a->raised_on, &d, due, sizeof due); /* due the day it was raised */
	alerts_words(a->code, &why, &next);
	if (strcmp(a->owner_kind, "worker") == 0)
		snprintf(owner, sizeof owner, "%s", a->owner);
	else if (strcmp(a->owner_kind, "team") == 0)
		snprintf(owner, sizeof owner, "Team %s (no worker allocated)", a->owner);
	else
		snprintf(owner, sizeof owner, "MASH");
	json_array_append_new(j->rows,
			      json_pack("{s:I, s:I, s:o, s:s, s:s, s:s, s:o, s:b, s:b}", "id", (json_int_t)a->id, "child_id",
					(json_int_t)a->person_id, "child", web_str(name), "title", alerts_title(a->code), "next",
					next, "due", due, "owner", web_str(owner), "overdue",
					strcmp(a->state, "resolved") != 0 && date_cmp(d, j->today) < 0, "acknowledged",
					strcmp(a->state, "acknowledged") == 0));
	return 0;
}

static int workload_add(const struct store_workload *w, void *ctx)
{
	struct team_job *j = ctx;
	char href[STORE_USER_MAX * 3 + 32] = "", enc[STORE_USER_MAX * 3 + 1];
	if (w->worker[0]) {
		encode(w->worker, enc, sizeof enc);
		snprintf(href, sizeof href, "/caseload?worker=%s", enc);
	}
	char alerts_href[sizeof href];
	snprintf(alerts_href, sizeof alerts_href, "/alerts?owner=%s", enc);
	json_array_append_new(j->rows, json_pack("{s:o, s:s, s:s, s:I, s:I, s:I}", "worker",
						 web_str(w->worker[0] ? w->worker : "No worker allocated"), "href", href,
						 "alerts_href", w->worker[0] ? alerts_href : "", "children",
						 (json_int_t)w->children, "open", (json_int_t)w->open, "overdue",
						 (json_int_t)w->overdue));
	return 0;
}

/* Fills j->rows with one list; returns the store's result. */
static json_t *take_rows(struct team_job *j)
{
	json_t *rows = j->rows;
	j->rows = json_array();
	j->n = 0;
	return rows;
}

static void team_show(struct web_read *r)
{
	struct team_job *j = (struct team_job *)r;
	const struct web_user *u = web_user(r->rq);
	int rc = STORE_OK;
	json_t *teams = json_array();
	j->rows = json_array();
	for (int i = 0; i < j->nteams && rc == STORE_OK; i++) {
		const struct store_team *t = &j->teams[i];
		struct store_alert_query q = {.open_or_acknowledged = true, .owner_kind = "team", .owner = t->code,
					      .limit = TEAM_ALERTS_MAX + 1};
		rc = alerts_list(r->w->st, &r->access, &q, alert_add, j);
		int nalerts = j->n;
		json_t *alerts = take_rows(j);
		if (rc == STORE_OK)
			rc = alerts_team_workload(r->w->st, &r->access, t->code, j->today, workload_add, j);
		json_t *work = take_rows(j);
		char code[STORE_CODE_MAX * 3 + 1], href[sizeof code + 32], heading[160];
		encode(t->code, code, sizeof code);
		snprintf(href, sizeof href, "/alerts?owner=team:%s", code);
		if (nalerts > TEAM_ALERTS_MAX)
			snprintf(heading, sizeof heading, "The %d most overdue of more than %d open alerts", TEAM_ALERTS_MAX,
				 TEAM_ALERTS_MAX);
		else
			snprintf(heading, sizeof heading, "%d open alert%s", nalerts, nalerts == 1 ? "" : "s");
		json_array_append_new(teams, json_pack("{s:o, s:o, s:s, s:s, s:o, s:b, s:o, s:b}", "code", web_str(t->code),
						       "name", web_str(t->name[0] ? t->name : t->code), "alerts_heading",
						       heading, "alerts_href", href, "alerts", alerts, "has_alerts",
						       nalerts > 0, "workload", work, "has_workload",
						       json_array_size(work) > 0));
	}
	json_t *escalated = NULL;
	int nesc = 0;
	if (rc == STORE_OK) {
		struct store_alert_query q = {.open_or_acknowledged = true, .owner_kind = "worker", .owner = u->username,
					      .limit = ESCALATED_MAX + 1};
		j->only_to = u->username;
		rc = alerts_list(r->w->st, &r->access, &q, alert_add, j);
		j->only_to = NULL;
		nesc = j->n;
		escalated = take_rows(j);
	}
	if (rc != STORE_OK) {
		json_decref(teams);
		json_decref(escalated);
		fprintf(stderr, "safeguard: the team page could not be read (error %d)\n", rc);
		web_unavailable(r->w, r->rq);
		return;
	}
	char esc_heading[96], enc[STORE_USER_MAX * 3 + 1], esc_href[sizeof enc + 32];
	snprintf(esc_heading, sizeof esc_heading, "%d alert%s escalated to you", nesc > ESCALATED_MAX ? ESCALATED_MAX : nesc,
		 nesc == 1 ? "" : "s");
	encode(u->username, enc, sizeof enc);
	snprintf(esc_href, sizeof esc_href, "/alerts?owner=%s", enc);
	json_t *view = json_pack("{s:s, s:b, s:o, s:b, s:o, s:s, s:b, s:s}", "title", "My team", "nav_team", 1, "teams",
				 teams, "has_teams", j->nteams > 0, "escalated", escalated, "escalated_heading", esc_heading,
				 "has_escalated", nesc > 0, "escalated_href", esc_href);
	web_render(r->w, r->rq, 200, "team", view);
}

void web_team_page(const struct web *w, http_request *rq)
{
	struct team_job *j = calloc(1, sizeof *j);
	if (!j) {
		web_unavailable(w, rq);
		return;
	}
	/* Which teams are theirs (names no child: read before the audited read of the lists). */
	if (alerts_managed_teams(w->st, web_user(rq)->username, team_add, j) != STORE_OK) {
		free(j);
		web_unavailable(w, rq);
		return;
	}
	j->today = web_today();
	j->r.show = team_show;
	j->r.release = team_release;
	web_read_start(w, rq, &j->r, "team.read", 0, "team page");
}
