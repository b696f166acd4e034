#include "service/cases.h"

#include <stdio.h>

#include "clock/now.h"
#include "service/access.h"
#include "service/audit.h"
#include "service/service_int.h"
#include "service/users.h"

int cases_team_upsert(store_conn *c, const char *actor, const struct store_team *t)
{
	int rc = store_team_upsert(c, t);
	if (rc != STORE_OK)
		return rc;
	char object[48];
	snprintf(object, sizeof object, "team:%s", t->code);
	struct store_audit au = {.actor = actor, .action = "team.upsert", .object = object, .detail = ""};
	return audit_append(c, &au);
}

struct teams_args {
	int limit;
	store_team_fn fn;
	void *ctx;
};

static int teams_run(store_conn *c, void *arg)
{
	struct teams_args *a = arg;
	return store_teams(c, a->limit, a->fn, a->ctx);
}

int cases_teams(store *st, int limit, store_team_fn fn, void *ctx)
{
	struct teams_args a = {limit, fn, ctx};
	return service_in_snapshot(st, teams_run, &a);
}

int cases_allocate(store_conn *c, const char *actor, const struct store_allocation *a, enum cases_result *res)
{
	bool exists = false;
	char basis[ACCESS_BASIS_MAX];
	/* Allocating is the administrator's (and the operator's) whatever their relationship: the write decision
	 * only says whether the child is there, a sealed child being as absent as no child (service/access.h). */
	const struct access_writer w = {0, actor, "", NULL};
	int rc = access_write_check(c, &w, a->person_id, clock_now(), WRITE_ALLOCATION, &exists, basis);
	*res = CASES_NO_CHILD;
	if (rc != STORE_OK || !exists)
		return rc;
	if (a->worker[0]) {
		/* A person named as the worker must be able to hold the case: a police officer is not (issue 15). A
		 * username that names no one yet is the command line's to give (cases.h); the pages insist. */
		struct users_person p;
		bool found = false;
		if ((rc = users_person(c, a->worker, &p, &found)) != STORE_OK)
			return rc;
		if (found && (!users_may_hold_cases(p.role, p.agency) || p.disabled)) {
			*res = CASES_NOT_CASE_HOLDER;
			return STORE_OK;
		}
	}
	rc = store_allocation_set(c, a);
	if (rc == STORE_ECONFLICT) { /* the team does not exist (foreign key) */
		*res = CASES_NO_TEAM;
		return STORE_OK;
	}
	if (rc != STORE_OK)
		return rc;
	*res = CASES_DONE;
	char object[40], detail[120];
	snprintf(object, sizeof object, "child:%lld", (long long)a->person_id);
	/* Team code and username: who holds the case is not personal data about the child. */
	snprintf(detail, sizeof detail, "team %s, worker %s", a->team, a->worker[0] ? a->worker : "(none)");
	struct store_audit au = {
		.actor = actor, .action = "allocation.set", .child_id = a->person_id, .object = object, .detail = detail};
	return audit_append(c, &au);
}
