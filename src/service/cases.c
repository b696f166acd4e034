#include "service/cases.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock/now.h"
#include "service/access.h"
#include "service/alerts.h"
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

struct team_contacts_args {
	int limit;
	store_team_contact_fn fn;
	void *ctx;
};

static int team_contacts_run(store_conn *c, void *arg)
{
	struct team_contacts_args *a = arg;
	return store_team_contacts(c, a->limit, a->fn, a->ctx);
}

int cases_team_contacts(store *st, int limit, store_team_contact_fn fn, void *ctx)
{
	struct team_contacts_args a = {limit, fn, ctx};
	return service_in_snapshot(st, team_contacts_run, &a);
}

int cases_team_get(store_conn *c, const char *code, struct store_team_contact *out, bool *found)
{
	return store_team_contact_get(c, code, out, found);
}

int cases_allocate(store_conn *c, const char *actor, const struct access_reader *by, const struct store_allocation *a,
		   enum cases_result *res)
{
	bool exists = false, may = true;
	char basis[ACCESS_BASIS_MAX];
	/* Allocating is the administrator's (and the operator's) whatever their relationship: the write decision
	 * only says whether the child is there, a sealed child being as absent as no child (service/access.h). An
	 * administrator at the pages asks only for a child their search could have found (r-ntk24: not one known
	 * only from records outside their view), else as for none. The decision audits its refusal, naming no child,
	 * for the pages and the command line alike (r-tidy32: the command line's refusals wrote no entry). */
	const struct access_writer w = {0, actor, "", NULL};
	const struct access_write_ask ask = {&w, actor, WRITE_ALLOCATION, NULL, a->person_id};
	int rc = by ? access_allocation_may_find(c, by, a->person_id, &may) : STORE_OK;
	if (rc == STORE_OK)
		rc = access_write_checked(c, &ask, may ? a->person_id : 0, 0, clock_now(), &exists, basis);
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
	if ((rc = audit_append(c, &au)) != STORE_OK)
		return rc;
	/* Alerts follow allocation (issue 15), in the same transaction: the new worker (or team) must act on
	 * what is open, and the old one no longer sees it. */
	int64_t moved = 0;
	return alerts_follow_allocation(c, a->person_id, actor, &moved);
}

/* ---- finding the child and the worker ---- */

struct find_child_args {
	struct access_reader reader;
	const struct store_search *q;
	int64_t id;
	int n, limit;
	store_conn *c;
	cases_child_fn fn;
	void *ctx;
	struct cases_child *one; /* cases_child_get's */
	bool *found;
};

/* Only who the child is leaves the service: names, date of birth, number. */
static int child_found(const struct store_person *p, void *arg)
{
	struct find_child_args *a = arg;
	bool may = false;
	if (a->n >= a->limit)
		return 0;
	int rc = access_allocation_may_find(a->c, &a->reader, p->id, &may);
	if (rc != STORE_OK || !may)
		return rc;
	struct cases_child ch;
	memset(&ch, 0, sizeof ch);
	ch.id = p->id;
	snprintf(ch.given_name, sizeof ch.given_name, "%s", p->given_name);
	snprintf(ch.family_name, sizeof ch.family_name, "%s", p->family_name);
	snprintf(ch.dob, sizeof ch.dob, "%s", p->dob);
	a->n++;
	if (a->one) {
		*a->one = ch;
		*a->found = true;
		return 0;
	}
	return a->fn(&ch, a->ctx);
}

static int find_child_run(store_conn *c, void *arg)
{
	struct find_child_args *a = arg;
	a->c = c;
	if (a->id > 0) {
		struct store_person *p = calloc(1, sizeof *p);
		bool found = false;
		if (!p)
			return STORE_EIO;
		int rc = store_person_get(c, a->id, p, &found);
		if (rc == STORE_OK && found)
			rc = child_found(p, a);
		free(p);
		return rc;
	}
	struct store_view v;
	access_list_view(&a->reader, &v);
	return store_person_search(c, &v, a->q, child_found, a);
}

int cases_find_children(store *st, const struct access_reader *r, const struct store_search *q, int64_t id,
			cases_child_fn fn, void *ctx)
{
	struct find_child_args *a = calloc(1, sizeof *a);
	if (!a)
		return STORE_EIO;
	a->reader = *r;
	a->q = q;
	a->id = id;
	a->limit = q && q->limit > 0 ? q->limit : 1;
	a->fn = fn;
	a->ctx = ctx;
	int rc = service_in_snapshot(st, find_child_run, a);
	free(a);
	return rc;
}

int cases_child_get(store *st, const struct access_reader *r, int64_t id, struct cases_child *out, bool *found)
{
	struct find_child_args *a = calloc(1, sizeof *a);
	memset(out, 0, sizeof *out);
	*found = false;
	if (!a)
		return STORE_EIO;
	a->reader = *r;
	a->id = id;
	a->limit = 1;
	a->one = out;
	a->found = found;
	int rc = id > 0 ? service_in_snapshot(st, find_child_run, a) : STORE_OK;
	free(a);
	return rc;
}
