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

#include "store/store.h"

/* Creates or renames a team. */
int cases_team_upsert(store_conn *c, const char *actor, const struct store_team *t);

/* Every team, by code (up to limit). Reads in one snapshot on a pooled connection. */
int cases_teams(store *st, int limit, store_team_fn fn, void *ctx);

/* CASES_NO_CHILD: no such child, or a sealed one (one answer: service/access.h). */
enum cases_result { CASES_DONE = 0, CASES_NO_CHILD = 1, CASES_NO_TEAM = 2 };
/* Allocates a child to a team (and a worker, or none). The child's open alerts follow the allocation in the
 * same transaction (alerts_follow_allocation, issue 15): the new worker, else the team, owns them. */
int cases_allocate(store_conn *c, const char *actor, const struct store_allocation *a, enum cases_result *res);

#endif
