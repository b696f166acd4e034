/*
 * service/access.h — need-to-know: one module decides what a reader may see of a child (issue 4, part 3;
 * issue 14: for every use case, in one place).
 *
 * The allocated worker and the manager of the child's team see the whole record; the MASH sees a child
 * while a contact or referral about them awaits a decision; a person who opened the record with
 * break-glass sees it until the break-glass expires; an agency that contributed to the record is its own
 * agency's reader: the child's identity and its own agency's events, and only what those events show (the
 * open episodes and flags they start, the alerts resting on them alone; no household, no placement, which
 * are social care's); anyone else may learn that a child exists only by exact search and is refused the
 * record, with the same answer whether or not the child exists.
 *
 * Agency systems (the foundation's tokens) are not people: they read every child but a sealed one, every
 * read audited.
 *
 * Every read names its reader (struct access_reader). The service decides the reader's relationship with
 * the child when the read's audit entry is written (service/children.h) and turns it into a view (struct
 * store_view): access_view for one child's record, access_list_view for a list naming many children. Every
 * store list that names a child or shows its events takes such a view, and only this module makes one: the
 * edges (api/, web/) never filter, and no list query carries a policy of its own.
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

#include "service/txq.h"
#include "store/store.h"

enum access_level {
	ACCESS_HIDDEN = -1, /* a sealed record: as if there were no such child (not even "known" to search) */
	ACCESS_NONE = 0, /* refused: nothing shown, not even whether the child exists */
	ACCESS_AGENCY,   /* the child's identity and their own agency's events (and what those alone show) */
	ACCESS_FULL,
};

#define ACCESS_BASIS_MAX 48

struct access_person {
	int64_t user_id;
	const char *username, *agency, *role;
};

/* The reader of a read, copied into its job (strings inline): a person signed in (role set) or an agency's
 * system (role ""), and their relationship with the child the read is about, which only the service sets
 * (children_access_audit decides it before anything is read). A reader whose agency is "" names no one:
 * every view of theirs is empty. */
struct access_reader {
	int64_t user_id;                   /* 0 for an agency's system */
	char username[STORE_USER_MAX + 1]; /* "" for a system */
	char agency[STORE_CODE_MAX + 1];
	char role[STORE_CODE_MAX + 1];     /* "" for a system */
	enum access_level level;           /* set by the service: ACCESS_NONE until decided */
	char basis[ACCESS_BASIS_MAX];      /* why; no personal data: it goes into the audit entry */
	char glass_until[STORE_TS_LEN + 1]; /* with basis "break-glass": when the emergency access ends (UTC) */
	bool allocated_worker;             /* set with level: the child's allocated worker (never of a sealed record) */
	/* Set with level: the reader's own view shows the child (VIEW_PERSON's questions, answered by the same facts:
	 * the child is there, known to the view, and not sealed unless the view shows sealed persons). A read of this
	 * child under this decision need not ask them again (alerts_list: the record page's alerts). */
	bool child_in_view;
};
void access_reader_person(struct access_reader *r, int64_t user_id, const char *username, const char *agency,
			  const char *role);
void access_reader_system(struct access_reader *r, const char *agency);

/* The level, and in basis why ("allocated worker", "break-glass", "own agency's records": no personal
 * data, it goes into the audit entry of the read). */
int access_decide(store *st, const struct access_person *p, int64_t child_id, int64_t now, enum access_level *level,
		  char basis[ACCESS_BASIS_MAX]);
/* The same for a reader, on a connection in the caller's transaction; sets r->level and r->basis. An agency's
 * system (a token with records:read, service/tokens.h) has ACCESS_AGENCY on a child its agency has sent
 * records about (the child's identity and that agency's own events, never the household), ACCESS_HIDDEN on a
 * sealed one, ACCESS_NONE on any other. */
int access_decide_reader(store_conn *c, struct access_reader *r, int64_t child_id, int64_t now);
/* The same, and whether the child exists (*exists), which the decision reads first (the audit of a read). */
int access_decide_reader_exists(store_conn *c, struct access_reader *r, int64_t child_id, int64_t now, bool *exists);

/* What a reader is shown of the one child their relationship (r->level) was decided for: at ACCESS_FULL every
 * agency's events, at ACCESS_AGENCY their own agency's only (and only the alerts resting on those alone),
 * below it nothing; sealed persons (in a household) only to the roles named for them; health-only categories
 * only to health. */
void access_view(const struct access_reader *r, struct store_view *out);
/* Whether a read of the decided child under r's decision may leave out VIEW_PERSON's questions about her (the
 * record page's alerts, alerts_list): a decision that lets the reader see the record (agency level or more) and
 * whose view shows the child. The one rule, here beside the decision; a caller's query cannot say it. */
bool access_child_decided(const struct access_reader *r);
/* What a reader is shown of a list naming many children (search, caseload, MASH queue, alerts, homes): sealed
 * persons only to the roles named for them; health-only categories only to health. */
void access_list_view(const struct access_reader *r, struct store_view *out);
/* What the operator is shown of a list naming many children on the command line (service/oplists.h: the
 * allocations, alerts and notices an administrator lists): every agency's, and no sealed child. Decision: the
 * operator keeps the area running and answers to the auditor for each list, but is not one of the roles named
 * for sealed records (ACCESS_SEALED_ROLES), so a sealed child is as absent from their lists as from a
 * manager's.
 * Staff's own lists (the people: `user list`; API clients: `token list`; the sign-in attempts kept: `user
 * attempts`) name no child and take no view: they are the operator's, as the database's owner who adds and
 * resets those people, and are not audited (the audit answers for reads of children). The people and the API
 * clients are also on the administration pages (/admin/users, /admin/tokens), for the administrator's role
 * only; the sign-in attempts no page or API route shows, and a route that did would need that role too. */
void access_operator_view(struct store_view *out);
/* The view of every reader outside health, as far as health's events go (its health-only categories left out):
 * for asking the store's rule about a record before it is stored (service/intake.c). */
void access_outside_health_view(struct store_view *out);
/* Whether the operator's lists may name (link to) one child that a record of theirs points at (a speak-up report
 * the reviewer linked to a child): as access_operator_view, not when the child's record is sealed (a record
 * standing merged into a sealed child is sealed with it: access_seal). */
int access_operator_names(store_conn *c, int64_t child_id, bool *names);
/* One event says things about another: the MASH decision on a contact's row (its outcome, who decided, when and
 * why) is the referral decision event's, which has an agency and a category of its own, so a reader may see the
 * contact and not the decision (a view limited to the reader's own agency's events; only social care's decision
 * answers a contact, core/event.h, and no social care event is health-only); the summary card's legal status and
 * "missing now" are derived from status events, each of which the reader may or may not see. Whether the view
 * shows such an event is decided by the store's one rule for every list (VIEW_EVENT in src/store/ops.c), which
 * those statements return as a column (store_mash_item.decision_shown, store_status_events' shown): nothing in C
 * decides it again (tests/unit/test_event_view_agree.c holds the policy's truth table, on both engines).
 * Decision: what the reader may not see of event B is not shown on A's row or card; that there is a B is, where
 * hiding it would mislead (the MASH: a contact answered by a decision the reader may not see is listed as
 * decided, "a decision was recorded that you may not see", so that nobody decides it twice; who, when, what and
 * why stay hidden; the card: "a record you may not see bears on this"). */
/* Whether a view shows an agency's own records (a placement is social care's: ACCESS_PLACEMENT_AGENCY). */
bool access_view_shows(const struct store_view *v, const char *agency);
/* Whether a list of the children placed in a home (the police pages, issue 15) names a child to a reader whose
 * relationship with it access_decide_reader has set: when they work with the child (their own agency's records
 * or more), or when the child was reported missing from a home of their area in the page's window (the home
 * told the police, who look for the child). Any other child is counted, not named; a sealed one is neither. */
bool access_names_resident(const struct access_reader *r, bool reported_missing);
#define ACCESS_PLACEMENT_AGENCY "social_care"

/* The roles named for sealed records. Decision: the data protection officer only, who answers subject
 * access requests and court orders about them; whoever works with the child now does so under the new
 * identity. */
#define ACCESS_SEALED_ROLES "dpo"
bool access_sees_sealed(const char *role);
/* Whether the record is sealed (for agency systems, which are no role: they never see one). */
int access_sealed(store *st, int64_t child_id, bool *sealed);
/* Seals a child's record for good; basis "adoption", "protection" or "court_order". Audited. Must run in a
 * write transaction; *found false when there is no such child, *already true when it was sealed before.
 * Every record standing merged into the child, through merges of merges at any depth, is sealed with it
 * (each audited record.seal "BASIS; merged into child:K; sealed with child:C", K the record it stands merged
 * into, C the child sealed); *merged counts
 * those sealed now (a child sealed before this rule is healed by sealing it again). Decision: a seal is all
 * or nothing. More than ACCESS_SEAL_MERGED_MAX records standing merged into one child is no child's
 * duplicates but a fault to look into: *merged is ACCESS_SEAL_TOO_MANY, nothing is sealed and the refusal is
 * audited (record.seal_refused, "BASIS; nothing sealed: ..."). Decision: a
 * record that itself stands merged into another, K, is K's (its records are read under K): *kept_by is K and
 * nothing is written; seal K, which seals it (unless K is among the records merged into it, a cycle the store
 * allows: then both are sealed). */
#define ACCESS_SEAL_MERGED_MAX 1000
#define ACCESS_SEAL_TOO_MANY (-1)
int access_seal(store_conn *c, const char *actor, int64_t child_id, const char *basis, bool *found, bool *already,
		int *merged, int64_t *kept_by);

/* Health-only categories: a health event whose details say "category": "sexual_health" or "mental_health"
 * is seen by health readers only, whoever else may see the record (agency systems included). The views above
 * carry the rule to the store (ACCESS_HEALTH_ONLY, a JSON array). */
#define ACCESS_HEALTH_AGENCY "health"
#define ACCESS_HEALTH_ONLY "[\"sexual_health\",\"mental_health\"]"

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
/* The page's first step (issue 15): before a reason is asked for, the try is made and counted as an opening
 * is (the allowance, the DPO's notice, the audit "break_glass.start"), and *found says whether there is a
 * child to open: an id that holds no child and a sealed record (for anyone but ACCESS_SEALED_ROLES) are
 * *found false ("break_glass.empty", the DPO's notice says why). So a mistyped id is told at once, and telling
 * which ids hold children costs what opening them costs. The opening that follows within the hour
 * (access_break_glass) uses this try: it is not counted again, and the DPO's notice becomes the opening's.
 * Must run in a write transaction. */
int access_break_glass_start(store_conn *c, const struct access_person *p, const char *actor, int64_t child_id,
			     int64_t now, bool *refused, bool *found);
#define ACCESS_GLASS_STARTED "asked to open the record: no reason given yet"

struct children_access;

/* ---- notices to the child's allocated worker (issue 15) ----
 *
 * Someone who is not the child's worker opened the record in an emergency (break-glass) or looked the child up
 * for unscheduled care: the allocated worker (else the manager of the allocated team; with neither, nobody:
 * the MASH has the alert) is told who, their agency and role, when, and the reason (kept with the opening).
 * Any look-up may call it, in its own write transaction. kind: "break_glass" or "flag_lookup"; by names the
 * one who looked; detail holds no personal data. A look by the recipient themselves tells no one. */
struct access_looker {
	const char *actor;        /* as the audit names them: "user:ID:NAME", "client:ID:AGENCY" */
	const char *who;          /* as shown: a username, or "Ward EPR (health system)" */
	const char *agency, *role; /* role "" for an agency's system */
};
int access_notify_worker(store_conn *c, const char *kind, const struct access_looker *by, int64_t child_id,
			 int64_t glass_id, const char *at, const char *detail);
/* The notices to the person signed in (a's reader), newest first, as their list view shows children; gated by
 * a durable audit entry ("worker_notices.read", child_id 0) as every read is. */
int access_worker_notices(store *st, const struct children_access *a, int limit, store_worker_notice_fn fn,
			  void *ctx);
/* The area's break-glass openings for the data protection officer (filters in q), gated the same way
 * ("break_glass.list", child_id 0), as the DPO's list view shows children (sealed ones included). */
int access_glass_openings(store *st, const struct children_access *a, const struct store_glass_query *q,
			  store_break_glass_fn fn, void *ctx);

/* Health's own break-glass openings (r-ntk27): the openings made by health's people (the opener's agency is
 * health), newest first, for health's safeguarding lead to review as the DPO reviews the rest (a child known only
 * from health's health-only records is not the DPO's to see: "Break-glass" in docs/SECURITY.md). The lead is the
 * manager of the team ALERTS_HEALTH_TEAM who is a person of health whose role may use the list
 * (ACT_HEALTH_GLASS: a health practitioner), as the escalations of r-ntk25 name them. access_health_lead says
 * whether the reader is that person (the edges ask first and refuse anyone else, 403); access_health_openings
 * asks again, and lists through the reader's list view (the child as far as the lead may see her: not a sealed
 * one; one known only from health's records, yes), gated by a durable audit entry ("health_glass.read", child_id
 * 0); q->agency is ignored (health's, always). */
int access_health_lead(store *st, const struct access_reader *r, bool *lead);
/* The same on a connection the caller holds, outside any transaction (the session's look-up: web_session_load asks
 * it for the menu on the connection that found the session; every role but a health practitioner asks nothing). */
int access_health_lead_on(store_conn *c, const struct access_reader *r, bool *lead);
int access_health_openings(store *st, const struct children_access *a, const struct store_glass_query *q,
			   store_break_glass_fn fn, void *ctx);

/* The basis of one look at a child's record, from its audit entry (the basis is the detail's tail, written
 * by children_access_audit, or follows from the action): "allocated_worker", "team_manager", "mash",
 * "break_glass", "own_agency", "dpo", "sealed_dpo", "alert_owner", "flag_lookup", "refused", or "none" for
 * entries written before every read recorded one. */
const char *access_look_basis(const char *action, const char *detail);

/* The allowance: tries per person in any 24 hours (a setting: serve --break-glass-per-day). Set at start. */
void access_set_break_glass_per_day(int n);
int access_break_glass_per_day(void);

/* The data protection officer's notices, newest first (up to limit), each gated by a durable audit entry
 * exactly as children_read is (queue it with children_access_audit, action "notices.read", child_id 0);
 * CHILDREN_ENOAUDIT otherwise. One read snapshot on a pooled connection. */
struct children_access;
int access_notices(store *st, const struct children_access *a, int limit, store_notice_fn fn, void *ctx);

/* ---- writes that touch a child (issue 14, item 3) ----
 *
 * Every write about one child (a concern, a visit, a placement, a recording, acting on the child's alert,
 * an administrator's allocation) asks this one decision, inside the write's own transaction where it can (so
 * nothing moves between the decision and the write). What each needs of the writer:
 *   - WRITE_CONCERN: any relationship access_decide grants (own agency's records and up);
 *   - WRITE_VISIT, WRITE_RECORDING, WRITE_PLACEMENT: the whole record (allocated worker, manager of the
 *     allocated team, the MASH while it triages, break-glass); an agency's system that may place
 *     (placements:write) places a child its agency has sent records about;
 *   - WRITE_ALERT, WRITE_ALLOCATION, WRITE_LINK, WRITE_MERGE_UNDO: the child is there to be acted on (not
 *     sealed); who may act on an alert (its owner) is the alerts service's, allocating is the administrator's
 *     role, and record linkage's decisions (same or different, on a review task) and undoing a merge are social
 *     care's queue (service/linkreview.c asks for both children at once).
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
	WRITE_LINK,          /* a review task's decision: its refusal names the task ("link_review:ID") */
	WRITE_MASH_DECISION, /* the MASH's decision on a contact or referral: the whole record, people only */
	WRITE_MERGE_UNDO,    /* undoing a merge: its refusal names the merge ("merge:ID") */
	WRITE_COUNT
};
const char *access_write_name(enum access_write what); /* "concern", "visit", ... */

/* Who writes: a person (role set), or an agency's system (role NULL, agency its token's). */
struct access_writer {
	int64_t user_id;
	const char *username, *agency, *role;
};

/* ---- a write decided and its refusal audited, in one call (r-ntk30, r-ntk31) ----
 *
 * A refused write is written as a refused read is: one "access.refused" entry a try, on the id the write named
 * ("child:ID", "alert:ID", "mash:ID", "link_review:ID", "merge:ID"), detail "ACTION refused: child ID" ("alert
 * ID", "MASH item event ID", "link review task ID", "merge ID"), naming no child (child_id 0) whatever the id
 * held: a child the writer may not see, a sealed one, one they do not work with, or none. Nothing else is
 * written, and the answer (the same as before) is given once the entry is durable. Practitioners and the DPO
 * expect an attempt to write into a child's record without a relationship in the audit as a refused read is
 * (docs/SECURITY.md "Refused writes").
 *
 * The decision and the entry are one call, so no write can be refused without its entry (r-ntk31: ten callers
 * paired the two by hand, and a new route that forgot the second call would have refused unaudited). The
 * decision without the entry (access_write_check) and the entry alone are service/service_int.h's, for these
 * functions and the services' own decisions (alerts_write_decided); `make layering` refuses them to the edges. */
struct access_write_ask {
	const struct access_writer *w;
	const char *actor;     /* as the audit names the writer: "user:ID:NAME", "client:ID:AGENCY" */
	enum access_write what;
	const char *action;    /* what was asked ("alert.resolve"); NULL for the write's own (access_write_action) */
	int64_t id;            /* the id the write named, whatever it holds: its refusal's object */
};
const char *access_write_action(enum access_write what); /* "concern.record", "visit.record", ... */

/* In the caller's write transaction: may a->w make this write on child_id (and on also_id, the second child of a
 * write that joins or separates two: record linkage; 0 for none)? *allowed, and in basis (may be NULL) why
 * ("allocated worker", "refused": no personal data; it may go into the write's audit entry). Refused, the entry
 * is written in this transaction, which then writes nothing else for the write. child_id 0 asks for a write that
 * found nothing to write to (no alert, no task, not the writer's alert, no child left): refused, and audited,
 * alike. */
int access_write_checked(store_conn *c, const struct access_write_ask *a, int64_t child_id, int64_t also_id,
			 int64_t now, bool *allowed, char *basis);

/* The same for an edge that must decide before its write job (a page's form, an upload, acting on an alert from
 * the API), in a read snapshot of its own; the job decides again with access_write_checked. Refused, the entry
 * is queued on the write queue in r (the caller's, first in its own job; untouched when allowed) and done(r) runs
 * on the queue's completer thread once it is durable (r->rc 0) or has failed: the edge answers there. */
struct access_write_refusal {
	struct txq_job job; /* private: first */
	char actor[96];     /* as the audit names the writer */
	const char *action; /* NULL: the write's own (a static string) */
	enum access_write what;
	int64_t id;         /* the id the write named, whatever it holds */
	int rc;             /* 0 once the entry is durable, else the store's answer */
	void (*done)(struct access_write_refusal *r);
	/* The caller's (or NULL), set before the call: run on the deciding thread just before the entry is queued,
	 * once refused (an edge suspends its request there, as done() may answer it at once). */
	void (*hold)(struct access_write_refusal *r);
	void *ctx;
};
int access_write_decided(store *st, txq *q, const struct access_write_ask *a, int64_t child_id, int64_t now,
			 struct access_write_refusal *r, void (*done)(struct access_write_refusal *r), bool *allowed);
/* The same, the entry not waited for: for a streamed upload refused before its body, which the server answers on
 * the thread that read its headers (it cannot hand such a request on before the body). Waiting there held one of
 * the server's request threads for a commit per refused upload, and every connection that thread serves with it
 * (r-review50: /healthz p50 17-148 ms during a flood of refused uploads, 0.2-2.2 ms for refused forms).
 * Decision: the answer (403, the same for every id) goes at once and the entry follows on the write queue; a
 * refusal discloses nothing, so nothing is lost by answering first but the entry if the process dies in
 * between. A failure to queue or write it is logged (no id, no name). */
/* STORE_EBUSY (*allowed false): refused, but ACCESS_UNWAITED_MAX entries already wait to be written (r-review34): the
 * edge answers 503, so that a flood of refused uploads, answered at once, cannot grow the queue without end. */
int access_write_decided_unwaited(store *st, txq *q, const struct access_write_ask *a, int64_t child_id,
				  int64_t now, bool *allowed);
/* The same, the entry held until the edge knows the form is this service's: a page's upload is decided from its
 * headers, but its CSRF token is the body's first field (r-review50: an entry was written in her name for a POST
 * with her cookie and no token). Refused, *held is the entry to write (allocated; NULL when allowed, or when out
 * of memory, logged): the edge hands it to access_write_refusal_send once the token is good (queued, not waited
 * for, as above), else to access_write_refusal_drop; each frees it. */
int access_write_decided_held(store *st, const struct access_write_ask *a, int64_t child_id, int64_t now,
			      struct access_write_refusal **held, bool *allowed);
/* access_write_refusal_send: 0 queued; -1 no room (ACCESS_UNWAITED_MAX, r-review34), freed and not queued: the edge
 * answers 503 (busy) instead of its refusal, as for access_write_decided_unwaited's STORE_EBUSY. */
int access_write_refusal_send(txq *q, struct access_write_refusal *held);
void access_write_refusal_drop(struct access_write_refusal *held);

/* ---- finding a child to allocate (issue 15) ----
 * Decision: whoever allocates (the role that may use ACT_ADMIN) finds any child but a sealed one by name,
 * date of birth or number, and is shown who the child is (names, date of birth, number: enough to tell two
 * children apart and to say "Allocate Amelia Brown (born 3 May 2016) to ...?") and nothing of the record.
 * Every search and every confirmation is audited with the ids it showed (service/cases.h). *may false for
 * no child, a sealed child, or a reader who does not allocate: one answer. */
int access_allocation_may_find(store_conn *c, const struct access_reader *r, int64_t child_id, bool *may);

/* ---- the LADO's records (issue 18) ----
 * A person who works with children and the allegations about them are the LADO's to read and write and the
 * data protection officer's to read (subject access, complaints); nobody else learns whether a person is
 * known, whatever else they may see: the police and children's social care hear through the strategy
 * discussion, not through these pages. The edges gate on ACT_LADO / ACT_LADO_READ; the service
 * (service/lado.h) asks this again before every read and write. */
bool access_lado_may(const char *role, bool write);

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
	ACT_TEAM,         /* a team manager's page: their teams' alerts, escalations and caseloads (issue 15) */
	ACT_LADO,         /* allegations against people who work with children: the LADO's queue and process (issue 18) */
	ACT_LADO_READ,    /* a person who works with children, and their allegations: the LADO, and the DPO to read */
	ACT_SPEAKUP,      /* the speak-up reviewers' queue: reports that bypass the home (issue 18) */
	ACT_HEALTH_GLASS, /* health's own break-glass openings: health's safeguarding lead reviews them (r-ntk27) */
	ACT_COUNT
};

const char *access_action_name(enum access_action act); /* "child.read", ... */

/* Whether a page should offer a route of this action to a person of this role (a menu entry, a link, a button):
 * the role policy's answer, for what is shown only. Refusing a request is access_route_decided's (below), which
 * audits the refusal; the bare policy (access_role_may) is the services' (service/service_int.h), and `make
 * layering` keeps it and access_system_may from the edges (edge-route-unaudited). */
bool access_role_offers(const char *role, const char *agency, enum access_action act);

/* An agency system's token (issue 14): which scope (service/tokens.h) a route of this action needs, writing
 * (POST) or reading; NULL when no scope opens it to a system. The agency's limits of the role policy still
 * apply (service_int.h access_system_may). */
const char *access_system_scope(enum access_action act, bool write);

/* ---- the first gate decided, and its refusal audited, in one call (r-tidy34) ----
 *
 * Whether a caller who is known (a person signed in, an agency's system by its token) may use a route at all:
 * the role policy for a person; for a system the policy and its token's scope. Decided from the request's
 * headers alone, the same for every id, before anything is read. Refused, one "access.refused" entry names what
 * was asked: object "child:ID" for a route of a child's (its pattern starts "/children/{id}" or
 * "/api/v1/children/{id}"), else "route:METHOD PATTERN"; detail "ACTION refused by role: ROLE; METHOD PATH"
 * ("by role: agency's system", "by scope: needs SCOPE" for a system); naming no child (child_id 0), as every
 * refusal decided before the id is looked at. A security auditor expects every refused attempt by a known caller
 * in the audit: before, a refusal by role wrote nothing where a refusal decided on the child wrote one.
 *
 * The entry is queued on q, not waited for, and the edge answers at once (its 403 as before, byte for byte):
 * the gate runs where the server cannot wait (a request with a body is refused from its headers, before any of it
 * is read; http/server.h's admit never suspends), a refusal by role discloses nothing about any child, so nothing
 * is lost by answering first but the entry if the process dies in between, and a flood of refused requests holds
 * no request thread for a commit (r-review50's measure for refused uploads). The entry keeps its place in the
 * chain (the write queue runs jobs in the order queued). A failure to queue or write it is logged (no id, no
 * name). Answered at once, a flood is held back by nothing but a bound on the entries waiting to be written
 * (ACCESS_UNWAITED_MAX, r-review34): past it, ACCESS_ROUTE_BUSY.
 *
 * Cross-site requests write nothing: the edge says whether the request is the caller's own (answerable: an API's
 * bearer token, which no page of another site can send; a page's request the browser does not say another site
 * made, web/web.c web_request_vouched). Not answerable: refused all the same, no entry. */
enum access_route_answer {
	ACCESS_ROUTE_ALLOWED = 0,
	ACCESS_ROUTE_ROLE,  /* the role policy refuses this person, or an agency's system */
	ACCESS_ROUTE_SCOPE, /* a system's token lacks the scope the route needs */
	ACCESS_ROUTE_BUSY,  /* refused, but its entry found no room (below): answer 503, try again */
};
/* The entries of refusals answered before they are written (a refusal by role's, a refused upload's:
 * access_write_decided_unwaited, access_write_refusal_send), queued and not yet written, at most (r-review34; one
 * count on the write queue, txq_submit_unwaited). Answered at once, nothing held a flood of them back: one person's token refused at 43,000-48,000 requests a
 * second grew the server by 70-190 MB in 10 s, the writer committing 25,000-40,000 entries a second. Past the bound
 * the refusal is not queued and the edge answers 503 (busy, try again) instead of 403: a refusal is either audited or
 * not given, as a read whose entry cannot be written is not shown. 2,048 entries of about 650 bytes: about 1.3 MB, a
 * twentieth of a second of the writer's work; people who are refused now and then never meet it. */
#define ACCESS_UNWAITED_MAX 2048
struct access_route_ask {
	const char *role;    /* the person's role; NULL for an agency's system */
	const char *agency;  /* the person's agency, or the system's */
	const char *scope;   /* a system's token's scopes (space-separated); ignored for a person */
	enum access_action act;
	const char *method;  /* as asked ("GET", "HEAD", "POST"); a POST needs a system's scope for writing */
	const char *pattern; /* the route's ("/children/{id}/viewers") */
	const char *path;    /* the path asked, without its query (a route's path holds ids only) */
	int64_t id;          /* the path's first {id}, 0 when none */
	const char *actor;   /* as the audit names the caller: "user:ID:NAME", "client:ID:AGENCY" */
	bool answerable;     /* false: no entry (above) */
};
enum access_route_answer access_route_decided(txq *q, const struct access_route_ask *a);

#endif
