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
 * characters), for ACCESS_BREAK_GLASS_SECONDS. It stays open in an emergency, and tells at once: each
 * opening gives the child's owner (the allocated worker, else the team, else the MASH: service/alerts.h) a
 * BREAK_GLASS alert and the data protection officer a notice (dpo_notice); the reason is kept for both to
 * review, the audit says where to find it.
 *
 * An id that holds no child, and a sealed record (for anyone but ACCESS_SEALED_ROLES), are answered exactly
 * as an opening is (*refused false, the same expires_at): nothing is opened, the audit says
 * "break_glass.empty" and the DPO's notice says why, so that the answer does not tell which ids hold
 * children. Each try counts against a daily allowance per person (access_set_break_glass_per_day, 5 by
 * default): past it the try is refused (*refused true, nothing opened, audited "break_glass.refused") and
 * the DPO gets one "possible misuse" notice per person a day. Must run in a write transaction. */
#define ACCESS_BREAK_GLASS_SECONDS (60 * 60)
#define ACCESS_BREAK_GLASS_PER_DAY 5
#define ACCESS_REASON_MIN 10
#define ACCESS_REASON_MAX 500
int access_break_glass(store_conn *c, const struct access_person *p, const char *actor, int64_t child_id,
		       const char *reason, int64_t now, bool *refused, char expires_at[STORE_TS_LEN + 1]);
/* The allowance: tries per person in any 24 hours (a setting: serve --break-glass-per-day). Set at start. */
void access_set_break_glass_per_day(int n);
int access_break_glass_per_day(void);

/* The data protection officer's notices, newest first (up to limit), each gated by a durable audit entry
 * exactly as children_read is (queue it with children_access_audit, action "notices.read", child_id 0);
 * CHILDREN_ENOAUDIT otherwise. One read snapshot on a pooled connection. */
struct children_access;
int access_notices(store *st, const struct children_access *a, int limit, store_notice_fn fn, void *ctx);

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
	ACT_NOTICES,      /* the data protection officer's notices: break-glass and its possible misuse */
	ACT_COUNT
};

const char *access_action_name(enum access_action act); /* "child.read", ... */

/* May a person of this role (or, with role NULL, an agency's system) use a route of this action? agency
 * matters for systems: only health systems look up flags, only social care's read alerts. */
bool access_role_may(const char *role, const char *agency, enum access_action act);

#endif
