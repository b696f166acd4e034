/*
 * store/store_access.h — what the access policy asks.
 * One part of the store's contract (issue 17): store/store.h includes every part.
 */
#ifndef SAFEGUARD_STORE_STORE_ACCESS_H
#define SAFEGUARD_STORE_STORE_ACCESS_H

#include "store/store_core.h"
#include "store/store_alerts.h"

/* ---- what the access policy asks (service/access.h) ----------------------------------------------------- */

/* What the decision first asks of a child, in one statement: whether it exists, whether its record is sealed,
 * whether it is allocated, to which worker, in a team with which manager (as store_allocation_get), and whether
 * the view (the reader's list view: only its health-only part is asked) knows the child, by the rule every list
 * applies (VIEW_PERSON: a child known only from records the view leaves out is not known; r-ntk24). */
struct store_access_facts {
	bool exists, sealed, allocated, known;
	char worker[STORE_USER_MAX + 1], manager[STORE_USER_MAX + 1];
};
int store_access_facts(store_conn *c, int64_t child_id, const struct store_view *view,
		       struct store_access_facts *out);
/* The facts of several children asked at once, inside a write transaction (issue 17: a batch of audited reads,
 * txq's `ahead`): on PostgreSQL one statement, whose answers then serve store_access_facts for those children
 * until the transaction ends or a statement other than an audited read's own (its decision's reads, the audit
 * chain's) is prepared on the connection, so a write made meanwhile is never missing from an answer. That
 * stops only this connection's writes: other processes' are kept out by the writer's lock, the advisory lock
 * store_begin's transaction holds until it ends (drv_pg.c), so the answers are kept only in a transaction
 * store_begin opened; in any other each read asks afresh. SQLite: nothing (each read asks, with no round trip
 * to spare). */
/* `known` is asked with `view`; a read whose view differs in its health-only part asks afresh. */
int store_access_facts_ahead(store_conn *c, const int64_t *child_ids, int n, const struct store_view *view);

/* Whether the agency sent any of the child's events; whether a contact or referral about the child awaits a
 * decision (the MASH is triaging it). */
int store_child_agency_contributed(store_conn *c, int64_t child_id, const char *agency, bool *yes);
int store_child_awaiting_decision(store_conn *c, int64_t child_id, bool *yes);

/* Break-glass: a person opened a child's record in an emergency, with a reason, until expires_at. */
struct store_break_glass {
	int64_t child_id, user_id;
	char reason[2001];              /* up to 500 characters */
	char at[STORE_TS_LEN + 1], expires_at[STORE_TS_LEN + 1];
	/* Filled on reads: the row's id and who opened the record; on the area's list (store_break_glass_area)
	 * also their agency and role and the child's names. */
	int64_t id;
	char username[STORE_USER_MAX + 1];
	char agency[STORE_CODE_MAX + 1], role[STORE_CODE_MAX + 1];
	char given_name[STORE_NAME_BYTES], family_name[STORE_NAME_BYTES];
};
typedef int (*store_break_glass_fn)(const struct store_break_glass *b, void *ctx);
/* The child's break-glass openings, newest first, up to limit (for "who has looked"). */
int store_break_glass_of_child(store_conn *c, int64_t child_id, int limit, store_break_glass_fn fn, void *ctx);
int store_break_glass_add(store_conn *c, const struct store_break_glass *b, int64_t *id);
/* Whether the person holds a break-glass on the child live at now. */
int store_break_glass_live(store_conn *c, int64_t child_id, int64_t user_id, const char *now, bool *live);

/* Notices for the data protection officer (schema 15): each break-glass, whether or not it opened a record,
 * and a person refused for using up their daily allowance (service/access.h). */
struct store_notice {
	int64_t id;
	char kind[24];                  /* "break_glass" or "break_glass_misuse" */
	char at[STORE_TS_LEN + 1];
	int64_t user_id;                /* who broke the glass */
	int64_t child_id;               /* the id they asked for: it may hold no child */
	int64_t break_glass_id;         /* the opening, 0 when nothing was opened */
	char detail[161];
	char username[STORE_USER_MAX + 1]; /* filled on reads */
};
int store_notice_add(store_conn *c, const struct store_notice *n, int64_t *id);
/* How many notices of the kind name the person since `since`. */
int store_notice_count(store_conn *c, int64_t user_id, const char *kind, const char *since, int64_t *n);
typedef int (*store_notice_fn)(const struct store_notice *n, void *ctx);
/* The newest notices first, up to limit, as the view lists them: a notice of an opening, or of a try whose
 * detail is `started` (a child was there to ask a reason for), only when the view lists its child (VIEW_PERSON:
 * not one the view leaves sealed, nor one known only from records it leaves out); a try that found no child,
 * and a refusal past the allowance, as written (they say nothing of what the id holds). */
int store_notices(store_conn *c, const struct store_view *v, const char *started, int limit, store_notice_fn fn,
		  void *ctx);
/* The expiry of the person's live break-glass on the child at now ("" when none). */
int store_break_glass_until(store_conn *c, int64_t child_id, int64_t user_id, const char *now,
			    char until[STORE_TS_LEN + 1]);
/* Gives the person's newest break_glass notice about the child since `since` whose detail is `started` and that
 * opened nothing the opening glass_id and a new detail (a try that became an opening); *attached false when
 * there is none. */
int store_notice_attach(store_conn *c, int64_t user_id, int64_t child_id, const char *since, const char *started,
			int64_t glass_id, const char *detail, bool *attached);
/* How many such notices (tries that opened nothing yet) there are. */
int store_notice_pending(store_conn *c, int64_t user_id, int64_t child_id, const char *since, const char *started,
			 int64_t *n);
/* Area-wide break-glass openings for the data protection officer, newest first: filters are NULL or "" for
 * none; person matches part of the username; from/to are UTC instants (at >= from, at < to). */
struct store_glass_query {
	const char *person, *agency, *from, *to;
	int limit;
};
int store_break_glass_area(store_conn *c, const struct store_view *v, const struct store_glass_query *q,
			   store_break_glass_fn fn, void *ctx);

/* Notices to a child's allocated worker (schema 20, issue 15): someone opened the record in an emergency or
 * looked the child up for unscheduled care. */
struct store_worker_notice {
	int64_t id;
	char kind[24];                      /* "break_glass" or "flag_lookup" */
	char at[STORE_TS_LEN + 1];
	char recipient[STORE_USER_MAX + 1]; /* the worker's username */
	int64_t child_id;
	char actor[96];                     /* as the audit names them */
	char who[STORE_USER_MAX + 64];      /* as shown: a username, or an agency's system */
	char agency[STORE_CODE_MAX + 1], role[STORE_CODE_MAX + 1];
	int64_t break_glass_id;             /* the opening, 0 for a look-up */
	char detail[161];                   /* no personal data */
	/* Filled on reads: the child's names, and the opening's reason and expiry. */
	char given_name[STORE_NAME_BYTES], family_name[STORE_NAME_BYTES];
	char reason[2001];
	char expires_at[STORE_TS_LEN + 1];
};
typedef int (*store_worker_notice_fn)(const struct store_worker_notice *n, void *ctx);
int store_worker_notice_add(store_conn *c, const struct store_worker_notice *n, int64_t *id);
/* The recipient's notices, newest first, as the view shows their children. */
int store_worker_notices(store_conn *c, const struct store_view *v, const char *recipient, int limit,
			 store_worker_notice_fn fn, void *ctx);

#endif
