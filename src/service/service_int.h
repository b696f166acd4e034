/*
 * service/service_int.h — what the service modules share and nothing above them uses.
 */
#ifndef SAFEGUARD_SERVICE_INT_H
#define SAFEGUARD_SERVICE_INT_H

#include "store/store.h"

/* Runs fn in one read snapshot on a pooled connection (service/children.c). */
int service_in_snapshot(store *st, int (*fn)(store_conn *c, void *arg), void *arg);

struct children_access;
/* The same, in the access's page snapshot when it holds one (children_snapshot_begin). */
int service_in_read(store *st, const struct children_access *a, int (*fn)(store_conn *c, void *arg), void *arg);

/* ---- a write's decision and its refusal's entry, apart (service/access.c) ----
 * The edges have only access_write_checked and access_write_decided (service/access.h), which pair the two; a
 * service whose own decision comes first (alerts_write_decided: alerts_reader_may) queues the entry with
 * access_write_refuse. `make layering` keeps these from the edges. */
#include "service/access.h"

/* In the caller's transaction, no entry written: for the functions of service/access.c. */
int access_write_check(store_conn *c, const struct access_writer *w, int64_t child_id, int64_t now,
		       enum access_write what, bool *allowed, char basis[ACCESS_BASIS_MAX]);
/* Queues the refusal's entry (r filled: the actor copied, the rest as given); done(r) runs once it is durable or
 * has failed. */
void access_write_refuse(txq *q, struct access_write_refusal *r, const char *actor, enum access_write what,
			 const char *action, int64_t id, void (*done)(struct access_write_refusal *r));

/* ---- the role policy alone (r-tidy34) ----
 * The edges refuse a route with access_route_decided (service/access.h), which audits the refusal, and offer one
 * with access_role_offers; these are for the services' own decisions. `make layering` keeps them from the edges
 * (edge-route-unaudited). */
/* May a person of this role (or, with role NULL, an agency's system) use a route of this action? agency
 * matters for systems: only health systems look up flags, only social care's read alerts. */
bool access_role_may(const char *role, const char *agency, enum access_action act);
/* Whether a token of this agency with this scope (space-separated) may use a route of this action (writing: a
 * POST); the agency's limits of access_role_may still apply. */
bool access_system_may(const char *agency, const char *scope, enum access_action act, bool write);

/* ---- the bare read decisions (r-tidy32) ----
 * The edges have alerts_read_decided and recordings_read_decided, which decide and queue the read's entry in one
 * call; these decide alone, for the services' own calls (alerts_write_decided) and the unit tests. `make
 * layering` keeps them from the edges (edge-read-unaudited): a read decision an edge used to refuse a write would
 * write no entry, and no rule could tell it from a read. */
struct store_recording;
/* Whether the reader may read or act on one alert, the one decision before its page, its API read and acting on
 * it (r-ntk27): for a person the alert is theirs (service/alerts.h alerts_owner_match, or their team's for a
 * team manager), for an agency's system any alert; and for both its child is one the reader's list view shows
 * (not sealed but to the roles named for sealed records, and known: VIEW_PERSON), as alerts_get and the lists
 * decide. *may false when the id holds no alert. One snapshot, asking the same statements whatever the id holds,
 * so every refusal costs the same work. *child_id: the alert's child when the id holds one, else 0. */
int alerts_reader_may(store *st, const struct access_reader *r, int64_t id, bool *may, int64_t *child_id);
/* Whether the person may play or download recording id: its child's whole record (allocated worker, their team's
 * manager, the MASH while triaging, break-glass; r->level and r->basis set as access_decide_reader sets them), in
 * one snapshot before the audited read. The same statements run whatever the id holds (no recording: the decision
 * about no child), so a refusal costs the same work for an id with no recording and for a recording of a child the
 * person may not see (r-ntk27). *may false when there is no recording; out is the row when there is one, else
 * zeroed. */
int recordings_reader_may(store *st, struct access_reader *r, int64_t id, int64_t now, struct store_recording *out,
			  bool *may);
/* ---- the bare read decisions (r-ntk32) ----
 * As above, for the edges' children_viewers_read_decided (service/children.h) and alerts_list_decided
 * (service/alerts.h), which decide and queue the read's entry, refused or not, in one call; these decide alone, for
 * those calls and the unit tests, and `make layering` keeps them from the edges (edge-read-unaudited). */
/* Whether this person may see who has looked at the child's record: the data protection officer for every
 * record; the allocated worker for their child, not once it is sealed. An id that holds no child gets the same
 * "no" as a child someone else holds. One snapshot. */
int children_may_see_viewers(store *st, const char *username, const char *role, int64_t child_id, bool *may);
struct alerts_owner;
/* Whether this person may list the owner's alerts: their own (a "worker" owner of their username), the MASH's for
 * a MASH worker; for a team manager their team's, a worker's who holds a child in it, and the MASH's (one
 * snapshot, asked of team managers only). */
int alerts_person_may_list(store *st, const struct alerts_owner *owner, const char *username, const char *role,
			   bool *may);
/* The row alone, no decision and no entry (r-review32: it was public, so an edge could look a recording up, learn
 * its child, and refuse with no entry, the bypass edge-read-unaudited closes for the decisions above). *found
 * false when there is none. For the unit tests; the edges have recordings_read_decided. */
int recordings_get(store *st, int64_t id, struct store_recording *out, bool *found);

/* The end of every read decision the edges call (alerts_read_decided, alerts_list_decided, recordings_read_decided,
 * children_viewers_read_decided): a refusal marks the access refused on the object fmt names (only then formatted),
 * the edge's hold runs, then the entry is queued (children_access_audit), in that order. Returns STORE_OK. */
struct children_access;
struct txq;
int children_access_decided(struct txq *q, struct children_access *a, bool may, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
