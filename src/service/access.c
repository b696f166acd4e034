#include "service/access.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "service/audit.h"
#include "service/service_int.h"

struct decide_args {
	const struct access_person *p;
	int64_t child_id;
	char now[STORE_TS_LEN + 1];
	enum access_level *level;
	char *basis;
};

static void grant(struct decide_args *d, enum access_level level, const char *basis)
{
	*d->level = level;
	snprintf(d->basis, ACCESS_BASIS_MAX, "%s", basis);
}

static int decide_run(store_conn *c, void *arg)
{
	struct decide_args *d = arg;
	bool exists = false, yes = false, found = false;
	int rc = store_person_exists(c, d->child_id, &exists);
	if (rc != STORE_OK || !exists)
		return rc; /* ACCESS_NONE: the same refusal as for a child one may not see */
	struct store_allocation *al = malloc(sizeof *al);
	if (!al)
		return STORE_EIO;
	rc = store_allocation_get(c, d->child_id, al, &found);
	if (rc == STORE_OK && found && al->worker[0] && strcmp(al->worker, d->p->username) == 0)
		grant(d, ACCESS_FULL, "allocated worker");
	else if (rc == STORE_OK && found && al->manager[0] && strcmp(al->manager, d->p->username) == 0)
		grant(d, ACCESS_FULL, "manager of the allocated team");
	free(al);
	if (rc != STORE_OK || *d->level == ACCESS_FULL)
		return rc;
	if (strcmp(d->p->role, "mash_worker") == 0) {
		if ((rc = store_child_awaiting_decision(c, d->child_id, &yes)) != STORE_OK)
			return rc;
		if (yes) {
			grant(d, ACCESS_FULL, "MASH triage");
			return STORE_OK;
		}
	}
	if ((rc = store_break_glass_live(c, d->child_id, d->p->user_id, d->now, &yes)) != STORE_OK)
		return rc;
	if (yes) {
		grant(d, ACCESS_FULL, "break-glass");
		return STORE_OK;
	}
	if ((rc = store_child_agency_contributed(c, d->child_id, d->p->agency, &yes)) != STORE_OK)
		return rc;
	if (yes)
		grant(d, ACCESS_AGENCY, "own agency's records");
	return STORE_OK;
}

int access_decide(store *st, const struct access_person *p, int64_t child_id, int64_t now, enum access_level *level,
		  char basis[ACCESS_BASIS_MAX])
{
	struct decide_args d = {.p = p, .child_id = child_id, .level = level, .basis = basis};
	*level = ACCESS_NONE;
	snprintf(basis, ACCESS_BASIS_MAX, "no legitimate relationship");
	ts_format_utc(now, d.now);
	int rc = service_in_snapshot(st, decide_run, &d);
	if (rc != STORE_OK)
		*level = ACCESS_NONE;
	return rc;
}

bool access_event_visible(const char *reader_agency, const char *event_agency, const char *category)
{
	static const char *const health_only[] = {"sexual_health", "mental_health"};
	if (!category || strcmp(event_agency, "health") != 0 || strcmp(reader_agency, "health") == 0)
		return true;
	for (size_t i = 0; i < sizeof health_only / sizeof health_only[0]; i++)
		if (strcmp(category, health_only[i]) == 0)
			return false;
	return true;
}

int access_break_glass(store_conn *c, const struct access_person *p, const char *actor, int64_t child_id,
		       const char *reason, int64_t now, bool *found, char expires_at[STORE_TS_LEN + 1])
{
	struct store_break_glass b;
	int64_t id = 0;
	memset(&b, 0, sizeof b);
	expires_at[0] = '\0';
	int rc = store_person_exists(c, child_id, found);
	if (rc != STORE_OK || !*found)
		return rc;
	b.child_id = child_id;
	b.user_id = p->user_id;
	snprintf(b.reason, sizeof b.reason, "%s", reason);
	ts_format_utc(now, b.at);
	ts_format_utc(now + ACCESS_BREAK_GLASS_SECONDS, b.expires_at);
	if ((rc = store_break_glass_add(c, &b, &id)) != STORE_OK)
		return rc;
	memcpy(expires_at, b.expires_at, STORE_TS_LEN + 1);
	char object[40], detail[64];
	snprintf(object, sizeof object, "child:%lld", (long long)child_id);
	/* The reason stays in break_glass (it may name people); the audit says where to find it. */
	snprintf(detail, sizeof detail, "break_glass:%lld until %s", (long long)id, b.expires_at);
	struct store_audit a = {.actor = actor, .action = "break_glass.open", .child_id = child_id, .object = object,
				.detail = detail};
	return audit_append(c, &a);
}
