/*
 * service/access.h — need-to-know: one module decides what a person may see of a child (issue 4, part 3).
 *
 * The allocated worker and the manager of the child's team see the whole record; the MASH sees a child
 * while a contact or referral about them awaits a decision; a person who opened the record with
 * break-glass sees it until the break-glass expires; an agency sees what it contributed (its own events)
 * and the child's identity and flags; anyone else may learn that a child exists only by exact search and
 * is refused the record, with the same answer whether or not the child exists.
 *
 * Agency systems (the foundation's tokens) are not people: they keep reading as before, every read
 * audited.
 *
 * Sealed records (an adopted child's birth identity; a child given a new identity for protection; a court's
 * order) are invisible: to everyone but the roles named for them (ACCESS_SEALED_ROLES) they are what an id
 * that holds no child is, to people and agency systems alike, whatever the relationship (allocation,
 * break-glass, contributed events).
 */
#ifndef SAFEGUARD_SERVICE_ACCESS_H
#define SAFEGUARD_SERVICE_ACCESS_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

enum access_level {
	ACCESS_HIDDEN = -1, /* a sealed record: as if there were no such child (not even "known" to search) */
	ACCESS_NONE = 0, /* refused: nothing shown, not even whether the child exists */
	ACCESS_AGENCY,   /* the child's identity and flags, and their own agency's events */
	ACCESS_FULL,
};

struct access_person {
	int64_t user_id;
	const char *username, *agency, *role;
};

/* The level, and in basis why ("allocated worker", "break-glass", "own agency's records": no personal
 * data, it goes into the audit entry of the read). */
#define ACCESS_BASIS_MAX 48
int access_decide(store *st, const struct access_person *p, int64_t child_id, int64_t now, enum access_level *level,
		  char basis[ACCESS_BASIS_MAX]);

/* An agency system's read of a child (a token with records:read, service/tokens.h): ACCESS_AGENCY when its
 * agency has sent records about the child (the child's identity and that agency's own events, never the
 * household); ACCESS_HIDDEN for a sealed record; ACCESS_NONE otherwise, *exists saying whether the id holds a
 * child at all (for the audit: the caller answers every refusal alike). */
int access_decide_system(store *st, const char *agency, int64_t child_id, enum access_level *level, bool *exists,
			 char basis[ACCESS_BASIS_MAX]);

/* The roles named for sealed records. Decision: the data protection officer only, who answers subject
 * access requests and court orders about them; whoever works with the child now does so under the new
 * identity. */
#define ACCESS_SEALED_ROLES "dpo"
bool access_sees_sealed(const char *role);
/* Whether the record is sealed (for agency systems, which are no role: they never see one). */
int access_sealed(store *st, int64_t child_id, bool *sealed);
/* Seals a child's record for good; basis "adoption", "protection" or "court_order". Audited. Must run in a
 * write transaction; *found false when there is no such child, *already true when it was sealed before. */
int access_seal(store_conn *c, const char *actor, int64_t child_id, const char *basis, bool *found, bool *already);

/* Health-only categories: a health event whose details say "category": "sexual_health" or "mental_health"
 * is seen by health readers only, whoever else may see the record (agency systems included). */
bool access_event_visible(const char *reader_agency, const char *event_agency, const char *category);

/* Break-glass: any practitioner opens a child's record in an emergency, with a reason (10 to 500
 * characters), for ACCESS_BREAK_GLASS_SECONDS. Audited; the reason is kept for the record's owner and the
 * data protection officer to review. Must run in a write transaction; *found false when there is no such
 * child. */
#define ACCESS_BREAK_GLASS_SECONDS (60 * 60)
#define ACCESS_REASON_MIN 10
#define ACCESS_REASON_MAX 500
int access_break_glass(store_conn *c, const struct access_person *p, const char *actor, int64_t child_id,
		       const char *reason, int64_t now, bool *found, char expires_at[STORE_TS_LEN + 1]);

/* ---- writes that touch a child (issue 14, item 3) ----
 *
 * Every write about one child (a concern, a visit, a placement, a recording, acting on the child's alert,
 * an administrator's allocation) asks this one decision, inside the write's own transaction where it can (so
 * nothing moves between the decision and the write). What each needs of the writer:
 *   - WRITE_CONCERN: any relationship access_decide grants (own agency's records and up);
 *   - WRITE_VISIT, WRITE_RECORDING, WRITE_PLACEMENT: the whole record (allocated worker, manager of the
 *     allocated team, the MASH while it triages, break-glass); an agency's system that may place
 *     (placements:write) places a child its agency has sent records about;
 *   - WRITE_ALERT, WRITE_ALLOCATION, WRITE_LINK: the child is there to be acted on (not sealed); who may act
 *     on an alert (its owner) is the alerts service's, allocating is the administrator's role, and record
 *     linkage's decisions are social care's queue (service/linkreview.h asks for each of the two children).
 * A child that does not exist, a sealed child (for everyone but ACCESS_SEALED_ROLES) and a child the writer
 * may not touch are one refusal: the edges answer all three with one status and one body, so a write never
 * tells which ids hold a child or a sealed child. */
enum access_write {
	WRITE_CONCERN = 0,
	WRITE_VISIT,
	WRITE_PLACEMENT,
	WRITE_RECORDING,
	WRITE_ALERT,
	WRITE_ALLOCATION,
	WRITE_LINK,
	WRITE_COUNT
};
const char *access_write_name(enum access_write what); /* "concern", "visit", ... */

/* Who writes: a person (role set), or an agency's system (role NULL, agency its token's). */
struct access_writer {
	int64_t user_id;
	const char *username, *agency, *role;
};

/* In the caller's write transaction: *allowed, and in basis why ("allocated worker", "refused": no
 * personal data; it may go into the write's audit entry). */
int access_write_check(store_conn *c, const struct access_writer *w, int64_t child_id, int64_t now,
		       enum access_write what, bool *allowed, char basis[ACCESS_BASIS_MAX]);
/* The same in a read snapshot of its own, for an edge that must decide before it takes a body (a
 * recording's upload, a page's form): the write job checks again with access_write_check. */
int access_decide_write(store *st, const struct access_writer *w, int64_t child_id, int64_t now,
			enum access_write what, bool *allowed, char basis[ACCESS_BASIS_MAX]);

/* ---- what a role may do at all (the first gate, before need-to-know about any one child) ---- */

/* What a route does. Every route of the API and the pages names one (api.c, web.c); the authorisation matrix
 * test (tests/e2e/authorisation.test.mjs) walks every route for every role against its own copy of this
 * table. */
enum access_action {
	ACT_PUBLIC = 0,   /* anyone, signed in or not: health, metrics, the API description, signing in */
	ACT_SIGNED_IN,    /* any person signed in: the start page, signing out */
	ACT_EVENT_WRITE,  /* an agency system sends its records */
	ACT_CHILD_SEARCH, /* find a child on the pages */
	ACT_CHILD_READ,   /* a child's record and chronology (then access_decide) */
	ACT_CONCERN,      /* record a concern on a child's page */
	ACT_VISIT,        /* record a statutory visit */
	ACT_ALERTS,       /* alerts: inbox, one alert, acknowledge, resolve */
	ACT_CASELOAD,     /* a worker's caseload */
	ACT_MASH,         /* the MASH queue */
	ACT_FLAGS,        /* the CP-IS flag look-up */
	ACT_VIEWERS,      /* who has looked at a child's record (then the allocated worker or the DPO) */
	ACT_BREAK_GLASS,  /* open a record in an emergency */
	ACT_RECORDINGS,   /* upload, list and download recordings (then ACCESS_FULL) */
	ACT_LINK_REVIEW,  /* record linkage: the review queue, deciding same/different, undoing a merge */
	ACT_ADMIN,        /* users, roles, teams, allocations, agency tokens */
	ACT_OVERSIGHT,    /* children's homes: the ranked list, funnel plots, profiles, runs of the monitor */
	ACT_HOMES_POLICE, /* the homes in the police's area, children missing from them, location-risk notes */
	ACT_PLACEMENT,    /* record a child's placement in a children's home (social care) */
	ACT_COUNT
};

const char *access_action_name(enum access_action act); /* "child.read", ... */

/* May a person of this role (or, with role NULL, an agency's system) use a route of this action? agency
 * matters for systems: only health systems look up flags, only social care's read alerts. */
bool access_role_may(const char *role, const char *agency, enum access_action act);

/* An agency system's token (issue 14): which scope (service/tokens.h) a route of this action needs, writing
 * (POST) or reading; NULL when no scope opens it to a system. access_system_may: whether a token of this
 * agency with this scope (space-separated) may use the route; the agency's limits of access_role_may still
 * apply. */
const char *access_system_scope(enum access_action act, bool write);
bool access_system_may(const char *agency, const char *scope, enum access_action act, bool write);

#endif
