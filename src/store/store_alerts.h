/*
 * store/store_alerts.h — alerts, allocations, teams.
 * One part of the store's contract (issue 17): store/store.h includes every part.
 */
#ifndef SAFEGUARD_STORE_STORE_ALERTS_H
#define SAFEGUARD_STORE_STORE_ALERTS_H

#include "store/store_core.h"
#include "store/store_events.h"

/* ---- alerts, allocations, teams ------------------------------------------------------------------------ */

#define STORE_USER_MAX 64 /* a practitioner's username */
#define STORE_ALERT_CODE_MAX 40
#define STORE_DAY_LEN 10  /* YYYY-MM-DD */

/* Who must act on an alert: the allocated worker, else the allocated team, else the MASH (front door). */
struct store_alert {
	int64_t id;
	int64_t person_id;
	char code[STORE_ALERT_CODE_MAX + 1];
	char raised_on[STORE_DAY_LEN + 1];
	char due[STORE_DAY_LEN + 1];          /* "" when the alert has no due date */
	char evidence[256];                   /* event ids, JSON array text: "[12,40]" */
	char dedup_key[320];                  /* same rule, same evidence, same due: the same alert */
	char owner_kind[8];                   /* "worker", "team", "mash" */
	char owner[STORE_USER_MAX + 1];       /* username, team code, or "mash" */
	char state[16];                       /* "open", "acknowledged", "resolved" */
	char created_at[STORE_TS_LEN + 1];
	char acknowledged_at[STORE_TS_LEN + 1], acknowledged_by[STORE_USER_MAX + 1];
	char resolved_at[STORE_TS_LEN + 1], resolved_by[STORE_USER_MAX + 1];
	char outcome[STORE_ATTR_BYTES];       /* the resolver's words, up to 300 characters */
	char escalated_at[STORE_TS_LEN + 1], escalated_to[STORE_USER_MAX + 1];
	/* Filled on reads, for lists: the child's name. */
	char given_name[STORE_NAME_BYTES], family_name[STORE_NAME_BYTES];
};
typedef int (*store_alert_fn)(const struct store_alert *a, void *ctx);

/* The nightly sweep of day (YYYY-MM-DD) claimed for server (its name, for the operator): *claimed false
 * when another process claimed that day first (nothing written). Inside a write transaction. */
int store_sweep_claim(store_conn *c, const char *day, const char *server, bool *claimed);
/* The nights' sweeps claimed (`safeguard sweep runs`), newest day first, up to limit (0: all): which server ran
 * each night's and when it started. No personal data. */
struct store_sweep_run {
	char day[11];
	char started_at[STORE_TS_LEN + 1];
	char server[301];
};
typedef int (*store_sweep_run_fn)(const struct store_sweep_run *r, void *ctx);
int store_sweep_runs(store_conn *c, int limit, store_sweep_run_fn fn, void *ctx);

/* *inserted false when an alert with the same person and dedup_key exists (nothing written). */
int store_alert_insert(store_conn *c, const struct store_alert *a, int64_t *id, bool *inserted);
int store_alert_get(store_conn *c, int64_t id, struct store_alert *out, bool *found);

/* Every set field must match; newest raised first (store_alerts_owned: most overdue first). */
struct store_alert_query {
	const char *state;       /* exactly this state; NULL or "" for any */
	bool open_or_acknowledged; /* open or acknowledged (leave state NULL) */
	const char *owner_kind, *owner;
	const char *escalated_to;
	int64_t person_id;       /* 0 for any */
	int limit;
	/* With person_id: whether the reader's view shows that child at all (VIEW_PERSON: sealed, known) was
	 * answered by the reader's access decision for this request (service/access.c, in its audit entry's
	 * transaction; access_reader.child_in_view), so it is not asked again: the alerts are read under that
	 * decision, as the child's events are. The rest of the view (only alerts resting on events the reader
	 * sees) applies as ever. Set by the alerts service alone (alerts_list). */
	bool person_decided;
};
int store_alerts(store_conn *c, const struct store_view *v, const struct store_alert_query *q, store_alert_fn fn,
		 void *ctx);
/* The same with the owner typed (issue 14): q->owner_kind "worker" lists the alerts owned by the worker
 * q->owner or escalated to them; "team" those owned by the team q->owner or about a child allocated to it
 * (its workers' alerts: issue 15); "mash" those owned by the MASH or escalated to it (escalated_to "mash": no
 * MASH manager). A username never matches a team or the MASH. The reader's view applies as for store_alerts.
 * Most overdue first (issue 15): by due date, an alert with none being due the day it was raised, then
 * oldest raised, then id. */
int store_alerts_owned(store_conn *c, const struct store_view *v, const struct store_alert_query *q,
		       store_alert_fn fn, void *ctx);
/* Counts by state for a person (for the record page): open includes acknowledged-but-unresolved. */
int store_alert_counts(store_conn *c, int64_t person_id, int64_t *open, int64_t *overdue_due_before,
		       const char *today);

/* State changes; *changed false when the alert was not in a state that allows it (already resolved). */
int store_alert_acknowledge(store_conn *c, int64_t id, const char *by, bool *changed);
int store_alert_resolve(store_conn *c, int64_t id, const char *by, const char *outcome, bool *changed);
/* The open (unacknowledged) alerts created before created_before and not yet escalated, by id: each one's id
 * and child. Who each goes to is the alerts service's decision (store_alert_escalate_one writes it). */
typedef int (*store_alert_due_fn)(int64_t id, int64_t person_id, void *ctx);
int store_alerts_escalation_due(store_conn *c, const char *created_before, store_alert_due_fn fn, void *ctx);
/* The open and acknowledged alerts escalated to escalated_to (a username, or "mash"), by id: each one's id and
 * child, for the sweep to ask again whom they go to. */
int store_alerts_escalated_to(store_conn *c, const char *escalated_to, store_alert_due_fn fn, void *ctx);

struct store_team {
	char code[STORE_CODE_MAX + 1];
	char name[101];
	char manager[STORE_USER_MAX + 1];
};
int store_team_upsert(store_conn *c, const struct store_team *t);
typedef int (*store_team_fn)(const struct store_team *t, void *ctx);
/* Every team, by code, up to limit. */
int store_teams(store_conn *c, int limit, store_team_fn fn, void *ctx);
/* A team's contact details (schema 19): whom to call about a child allocated to it, in office hours and out of
 * hours; each "" when not recorded. *found false when there is no such team. */
struct store_team_contact {
	struct store_team team;
	char phone[41], out_of_hours_phone[41], email[255];
};
int store_team_contact_get(store_conn *c, const char *code, struct store_team_contact *out, bool *found);
typedef int (*store_team_contact_fn)(const struct store_team_contact *t, void *ctx);
/* Every team with its contact details, by code, up to limit. */
int store_team_contacts(store_conn *c, int limit, store_team_contact_fn fn, void *ctx);
/* Who to call about a child, in one read: its allocation (worker and since, as store_allocation_get finds it)
 * and the contact of the allocated team, or of fallback_team when it is not allocated (has_team: found). */
struct store_child_contacts {
	bool allocated, has_team;
	char worker[STORE_USER_MAX + 1];
	char since[STORE_TS_LEN + 1];
	struct store_team_contact team;
};
int store_child_contacts(store_conn *c, int64_t child_id, const char *fallback_team, struct store_child_contacts *out);
/* Sets the three details of team.code (the rest of the team stays). */
int store_team_contact_set(store_conn *c, const struct store_team_contact *t, bool *found);

struct store_allocation {
	int64_t person_id;
	char worker[STORE_USER_MAX + 1]; /* "" when only a team holds the child */
	char team[STORE_CODE_MAX + 1];
	char since[STORE_TS_LEN + 1];
	/* Filled on reads: the child's name and date of birth, the team's manager. */
	char given_name[STORE_NAME_BYTES], family_name[STORE_NAME_BYTES], dob[11];
	char manager[STORE_USER_MAX + 1];
};
typedef int (*store_allocation_fn)(const struct store_allocation *a, void *ctx);
/* Replaces the child's allocation; the team must exist (STORE_ECONFLICT otherwise). */
int store_allocation_set(store_conn *c, const struct store_allocation *a);
int store_allocation_get(store_conn *c, int64_t person_id, struct store_allocation *out, bool *found);
/* The children allocated to a worker, by family name. */
int store_caseload(store_conn *c, const struct store_view *v, const char *worker, int limit, store_allocation_fn fn,
		   void *ctx);
/* Every allocation (person_id 0) or the one child's, by child id, up to limit (0: 500), as the view shows
 * children: the operator's list (`safeguard allocation list`, service/oplists.h). */
int store_allocations(store_conn *c, const struct store_view *v, int64_t person_id, int limit, store_allocation_fn fn,
		      void *ctx);
/* The same, only the children allocated in the teams manager manages (a team manager looking at a worker's
 * caseload sees their own team's part of it); the reader's view applies as for store_caseload. */
int store_caseload_managed(store_conn *c, const struct store_view *v, const char *worker, const char *manager,
			   int limit, store_allocation_fn fn, void *ctx);

/* Alerts follow allocation (issue 15): the child's open and acknowledged alerts go to owner_kind/owner;
 * those already escalated are the new team's manager's (escalated_to, "mash" when the team has none). *n
 * says how many moved. Resolved alerts keep the owner who held them. */
int store_alerts_follow(store_conn *c, int64_t person_id, const char *owner_kind, const char *owner,
			const char *escalated_to, int64_t *n);
/* Escalates one open alert now to escalated_to (a username, or "mash": the alerts service decides whom);
 * *changed false when it is not open or already escalated. */
int store_alert_escalate_one(store_conn *c, int64_t id, const char *escalated_to, bool *changed);
/* Whether manager manages a team (non-empty manager) that is team (when not ""), or to which worker (when
 * not "") has a child allocated, or to which child_id (when not 0) is allocated. */
int store_manages(store_conn *c, const char *manager, const char *team, const char *worker, int64_t child_id,
		  bool *yes);
/* A team's caseloads: per worker ("" for the children held by the team with no worker), how many children
 * are allocated, how many open alerts they have and how many of those are past their due date (before
 * today, "YYYY-MM-DD"); by worker, the team's own last. The reader's view applies to the children. */
struct store_workload {
	char worker[STORE_USER_MAX + 1];
	int64_t children, open, overdue;
};
typedef int (*store_workload_fn)(const struct store_workload *w, void *ctx);
int store_team_workload(store_conn *c, const struct store_view *v, const char *team, const char *today,
			store_workload_fn fn, void *ctx);

/* Contacts and referrals with no referral decision recorded at or after them, oldest first: the MASH
 * queue. total gets how many there are in all. */
struct store_awaiting {
	struct store_event event; /* summary and details "" */
	char given_name[STORE_NAME_BYTES], family_name[STORE_NAME_BYTES], dob[11];
};
typedef int (*store_awaiting_fn)(const struct store_awaiting *a, void *ctx);
int store_awaiting_decision(store_conn *c, const struct store_view *v, int limit, store_awaiting_fn fn, void *ctx,
			    int64_t *total);

/* The MASH queue with filters and pages (service/mash.h): contacts and referrals awaiting a decision (oldest
 * first) or decided (most recently received first), each with the decision that answered it: the child's first
 * referral decision at or after it. Both lists are in the order of the contact's (occurred_at, id), so that a
 * row's place says nothing about when its decision was made (a reader may not see it: service/mash.c). Filters
 * left NULL do not apply; received_* are UTC instants, the item received in [from, before); name a piece of
 * the child's given or family name, any case. */
struct store_mash_query {
	bool decided;
	const char *agency, *received_from, *received_before, *name;
	int offset, limit;
	/* total counts at most count_max + 1 items: more than count_max says "more than count_max" (0: all). */
	int64_t count_max;
	/* Keyset: key_at set, the page holds the rows that come after the row (key_at, key_id) in the list's
	 * order (offset still applies), or with before the limit rows that come just before it, still delivered
	 * in the list's order; key_at NULL with before: the list's last limit rows. A page so reached costs what
	 * the first page costs; OFFSET reads every row before it. */
	const char *key_at;
	int64_t key_id;
	bool before;
	bool count_only; /* total only, no row */
};
struct store_mash_item {
	struct store_event event; /* summary and details valid during the callback */
	char given_name[STORE_NAME_BYTES], family_name[STORE_NAME_BYTES], dob[11];
	int64_t decision_id;      /* 0: awaiting */
	char decided_at[STORE_TS_LEN + 1], outcome[32], decided_by[STORE_USER_MAX + 1];
	const char *reason;       /* the decision's reason ("" when awaiting), valid during the callback */
	/* The decision is an event of its own: whether the reader's view shows it, decided by the store's one rule
	 * (VIEW_EVENT) in the statement that lists the row (true when awaiting). The store lists the row by the
	 * contact's view alone and leaves decision_withheld false; the service sets it, with the decision's outcome,
	 * decided_at, decided_by and reason emptied, where decision_shown is false (service/mash.c). */
	bool decision_shown;
	bool decision_withheld;
};
typedef int (*store_mash_fn)(const struct store_mash_item *m, void *ctx);
int store_mash_queue(store_conn *c, const struct store_view *v, const struct store_mash_query *q, store_mash_fn fn,
		     void *ctx, int64_t *total);
/* One contact or referral of the queue, by its event id (fn not called when there is none the view shows). */
int store_mash_item(store_conn *c, const struct store_view *v, int64_t event_id, store_mash_fn fn, void *ctx);

#endif
