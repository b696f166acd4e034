/*
 * service/cases.h — who holds a child's case: teams and allocations. Alerts go to the allocated worker,
 * else the team, else the MASH (service/alerts.h); escalation goes to the team's manager.
 *
 * A worker and a manager are usernames (people of service/users.h; `safeguard allocate` does not insist
 * that they exist yet, the admin pages do). Every change is audited in the caller's write transaction.
 */
#ifndef SAFEGUARD_SERVICE_CASES_H
#define SAFEGUARD_SERVICE_CASES_H

#include <stdbool.h>

#include "service/access.h"
#include "store/store.h"

/* Creates or renames a team. */
int cases_team_upsert(store_conn *c, const char *actor, const struct store_team *t);

/* Every team, by code (up to limit). Reads in one snapshot on a pooled connection. */
int cases_teams(store *st, int limit, store_team_fn fn, void *ctx);
/* The same with each team's numbers and address (team list; a team's numbers are no one's personal data). */
int cases_team_contacts(store *st, int limit, store_team_contact_fn fn, void *ctx);
/* One team with its numbers, in the caller's transaction (*found false when there is none). */
int cases_team_get(store_conn *c, const char *code, struct store_team_contact *out, bool *found);

/* CASES_NO_CHILD: no such child, or a sealed one (one answer: service/access.h). CASES_NOT_CASE_HOLDER: the
 * worker is a person who may not hold a child's case (issue 15: only a social worker or a team manager of
 * children's social care may, service/users.h users_may_hold_cases), or is disabled. */
enum cases_result { CASES_DONE = 0, CASES_NO_CHILD = 1, CASES_NO_TEAM = 2, CASES_NOT_CASE_HOLDER = 3 };
/* Allocates a child to a team (and a worker, or none). The child's open alerts follow the allocation in the
 * same transaction (alerts_follow_allocation, issue 15): the new worker, else the team, owns them. by: the
 * administrator at the pages, who may allocate only a child their search could find
 * (access_allocation_may_find); NULL for the command line and the demo (the operator: any child but a sealed
 * one). The one decision for both (access_write_checked, WRITE_ALLOCATION): CASES_NO_CHILD is a refused write,
 * its "access.refused" entry written in this transaction on "child:ID" naming no child, and nothing else. */
int cases_allocate(store_conn *c, const char *actor, const struct access_reader *by, const struct store_allocation *a,
		   enum cases_result *res);

/* ---- finding the child and the worker (issue 15) ---- */

/* Who a child is, as the one who allocates sees them (service/access.h access_allocation_may_find). */
struct cases_child {
	int64_t id;
	char given_name[STORE_NAME_BYTES], family_name[STORE_NAME_BYTES], dob[11];
};
typedef int (*cases_child_fn)(const struct cases_child *ch, void *ctx);
/* Children to allocate matching a search (q, as children_search takes it: folded name prefixes, dates of
 * birth) or, with id > 0, the child of that number; up to q->limit. The caller audits the ids shown before it
 * shows them (children_access_audit, "allocation.search"). One snapshot on a pooled connection. */
int cases_find_children(store *st, const struct access_reader *r, const struct store_search *q, int64_t id,
			cases_child_fn fn, void *ctx);
/* One child to allocate, for the confirmation page (audited "allocation.confirm" before it is shown). */
int cases_child_get(store *st, const struct access_reader *r, int64_t id, struct cases_child *out, bool *found);

#endif
