/*
 * store/store.h — the only door to the database.
 *
 * A store is opened from a URL ("sqlite:PATH" today; "postgresql://..." is the next backend) and hands out
 * connections. Everything above this header sees the two opaque types and the functions below; SQL, the
 * dialect and the driver live behind it in one backend file each (store/sqlite.c), dispatched through
 * struct store_ops (store_int.h). Adding a backend adds a file and a row in store.c, nothing above.
 *
 * Threads: a store is shared by every thread; a store_conn is used by one thread at a time (take it with
 * store_conn_get, give it back with store_conn_put).
 *
 * Transactions: the caller (service/) owns them. store_begin starts a write transaction; every store_* call
 * that writes must run inside one. Savepoints nest inside it so that one job of a group commit can fail
 * without undoing the others (service/txq.c).
 *
 * Errors: 0 on success, a negative STORE_E* on failure. "Not found" is not a failure: finders set *found.
 * store_conn_errmsg() says what the database said; it never holds personal data (values are bound, not
 * interpolated, so they do not appear in messages).
 *
 * Strings handed to callbacks are valid only for the duration of the callback.
 */
#ifndef SAFEGUARD_STORE_STORE_H
#define SAFEGUARD_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct store store;
typedef struct store_conn store_conn;

enum {
	STORE_OK = 0,
	STORE_EIO = -1,       /* the database failed: disk, corruption, lost connection */
	STORE_EBUSY = -2,     /* another writer held the lock past the timeout */
	STORE_ECONFLICT = -3, /* a uniqueness rule would be broken */
	STORE_EURL = -4,      /* the URL names no backend we have, or cannot be opened */
	STORE_ESCHEMA = -5,   /* the schema is newer than this binary, or not migrated */
};

#define STORE_TOKEN_HASH_LEN 32
#define STORE_CODE_MAX 32    /* agency codes, kinds, identifier kinds */
#define STORE_TS_LEN 20      /* YYYY-MM-DDTHH:MM:SSZ */
#define STORE_NAME_BYTES 401 /* 100 characters of UTF-8 and the NUL */
#define STORE_ADDR_BYTES 1201
#define STORE_ATTR_BYTES 1201 /* 300 characters */

/* ---- opening, schema, connections ---------------------------------------------------------------- */

/* Opens the database named by url; creates an SQLite file if missing. Does not migrate. */
int store_open(const char *url, store **out, char *err, size_t errsz);
void store_close(store *st);

/* Brings the schema to this binary's version in one transaction per step. *from and *to may be NULL. */
int store_migrate(store *st, int *from, int *to, char *err, size_t errsz);
/* STORE_ESCHEMA unless the schema is exactly this binary's version. */
int store_check_schema(store *st, char *err, size_t errsz);
int store_schema_latest(void);

store_conn *store_conn_get(store *st); /* NULL when no connection can be made */
void store_conn_put(store *st, store_conn *c);
const char *store_conn_errmsg(store_conn *c);

int store_begin(store_conn *c);      /* a write transaction, taking the write lock now */
int store_begin_read(store_conn *c); /* a read transaction: one consistent snapshot; end with commit */
int store_commit(store_conn *c);
int store_rollback(store_conn *c);
int store_savepoint(store_conn *c);
int store_savepoint_release(store_conn *c);
int store_savepoint_rollback(store_conn *c); /* undo to the savepoint and release it */

/* A cheap query proving the database answers (for /healthz). */
int store_ping(store_conn *c);

/* ---- agencies and their API clients --------------------------------------------------------------- */

int store_agency_upsert(store_conn *c, const char *code, const char *name);
int store_agency_exists(store_conn *c, const char *code, bool *found);

/* An agency system's token: what it may do (scope: space-separated scope names, service/tokens.h), who made
 * it, and whether it still awaits a second person's approval. */
#define STORE_SCOPE_MAX 200
#define STORE_ACTOR_MAX 95
struct store_client {
	int64_t id;
	char agency[STORE_CODE_MAX + 1];
	char scope[STORE_SCOPE_MAX + 1];
	char label[401];                        /* up to 100 characters */
	char created_by[STORE_ACTOR_MAX + 1];   /* the audit's actor who made it ("cli", "user:3:ada.admin") */
	bool pending;                           /* made, not yet approved: refused until it is */
};

int store_client_insert(store_conn *c, const char *agency, const uint8_t hash[STORE_TOKEN_HASH_LEN],
			const char *label, const char *scope, const char *created_by, bool pending, int64_t *id);
/* Finds a client that is not revoked by the hash of its token. */
int store_client_find(store_conn *c, const uint8_t hash[STORE_TOKEN_HASH_LEN], struct store_client *out,
		      bool *found);

/* An API client as the administrator sees it: never its token (only the hash is kept, and not shown). */
struct store_client_info {
	int64_t id;
	char agency[STORE_CODE_MAX + 1];
	char label[401];                    /* up to 100 characters */
	char created_at[STORE_TS_LEN + 1];
	char revoked_at[STORE_TS_LEN + 1];  /* "" while live */
	char scope[STORE_SCOPE_MAX + 1];
	char created_by[STORE_ACTOR_MAX + 1];
	bool pending;
	char approved_by[STORE_ACTOR_MAX + 1]; /* "" unless a second person approved it */
	char approved_at[STORE_TS_LEN + 1];
};
typedef int (*store_client_fn)(const struct store_client_info *k, void *ctx);
/* Every client, newest first, up to limit. */
int store_clients(store_conn *c, int limit, store_client_fn fn, void *ctx);
/* Revokes a client at `at` (a client revoked before keeps its first time); *found false when there is no
 * such client. */
int store_client_revoke(store_conn *c, int64_t id, const char *at, bool *found);
/* One client by id (revoked ones too). */
int store_client_get(store_conn *c, int64_t id, struct store_client_info *out, bool *found);
/* Approves a pending client that is not revoked; *changed false when there was none to approve. */
int store_client_approve(store_conn *c, int64_t id, const char *by, const char *at, bool *changed);

/* ---- what a reader may see ------------------------------------------------------------------------------
 * Every list that names a child, or shows a child's events, takes the reader's view and applies it: the view
 * is decided by service/access.c (access_view, access_list_view), never here and never at an edge, so a list
 * cannot be built for a reader without it. The store only applies what it is given. Never NULL (a call
 * without one fails with STORE_EIO). */
struct store_view {
	bool sealed;                    /* sealed persons are listed; else they are left out of every list and count */
	const char *agency;             /* events: only this agency's (NULL: every agency's); alerts: only those
					 * whose evidence is all such events */
	const char *private_agency;     /* events of this agency whose details.category is one of */
	const char *private_categories; /* these (a JSON array of strings) are left out; both NULL: none are */
};

/* ---- persons, identifiers, households ------------------------------------------------------------- */

struct store_person {
	int64_t id;
	char given_name[STORE_NAME_BYTES];
	char middle_names[STORE_NAME_BYTES];
	char family_name[STORE_NAME_BYTES];
	char dob[11]; /* YYYY-MM-DD or "" */
	char sex[2];  /* "M", "F", "U" or "" */
	char postcode[9];
	char address[STORE_ADDR_BYTES];
	char match_key[STORE_NAME_BYTES * 2 + 12]; /* deterministic identity key, or "" (service/identity.c) */
	char created_at[STORE_TS_LEN + 1];
	/* Folded names (core/text.h) for search; written on insert, not read back. */
	char given_fold[STORE_NAME_BYTES];
	char family_fold[STORE_NAME_BYTES];
	/* What a practitioner must know before meeting the child; the latest an agency sent. */
	char communication_needs[STORE_ATTR_BYTES]; /* "non-verbal; uses Makaton", "PECS", ... */
	char disability[STORE_ATTR_BYTES];
	char ethnicity[STORE_NAME_BYTES];
	char first_language[STORE_NAME_BYTES];
};

int store_person_insert(store_conn *c, const struct store_person *p, int64_t *id);
int store_person_get(store_conn *c, int64_t id, struct store_person *out, bool *found);
int store_person_exists(store_conn *c, int64_t id, bool *found);
/* Sets the attributes (communication needs, disability, ethnicity, first language) that p holds non-empty;
 * the others keep their values. */
int store_person_update_attributes(store_conn *c, int64_t id, const struct store_person *p);

/* Finding children for a practitioner's search; sealed persons only when the view shows them. Every set
 * field must match; prefixes are of folded names (core/text.h); dob_alt is a second date accepted (day and month
 * swapped). fn gets each person (no match key). */
struct store_search {
	const char *nhs, *upn;                   /* exact identifiers: used alone when set */
	const char *family_prefix, *given_prefix; /* folded, "" for any */
	const char *dob, *dob_alt;                /* YYYY-MM-DD or "" */
	int limit;
};
typedef int (*store_person_fn)(const struct store_person *p, void *ctx);
int store_person_search(store_conn *c, const struct store_view *v, const struct store_search *q, store_person_fn fn,
			void *ctx);
/* The person holding an identifier of this kind ("nhs", "upn"); 0 when none. */
int store_person_by_identifier(store_conn *c, const char *kind, const char *value, int64_t *person_id);
/* The oldest person with this match key; 0 when none. */
int store_person_by_match_key(store_conn *c, const char *key, int64_t *person_id);

/* Adds the identifier unless the person already has it. */
int store_identifier_add(store_conn *c, int64_t person_id, const char *kind, const char *value,
			 int64_t source_record_id);
typedef int (*store_identifier_fn)(const char *kind, const char *value, const char *first_seen, void *ctx);
int store_identifiers_each(store_conn *c, int64_t person_id, store_identifier_fn fn, void *ctx);

/* The household at a normalised address key, created if new; the person is recorded as living there. */
int store_household_join(store_conn *c, const char *key, const char *postcode, const char *address,
			 int64_t person_id, const char *seen_at, int64_t *household_id);

struct store_household {
	int64_t id;
	char postcode[9];
	char address[STORE_ADDR_BYTES];
	char last_seen[STORE_TS_LEN + 1];
};
typedef int (*store_household_fn)(const struct store_household *h, void *ctx);
/* The person's households, most recently seen first. */
int store_households_of(store_conn *c, int64_t person_id, store_household_fn fn, void *ctx);
int store_household_members(store_conn *c, const struct store_view *v, int64_t household_id, store_person_fn fn,
			    void *ctx);

/* ---- what agencies sent, and the chronology --------------------------------------------------------- */

struct store_source_record {
	int64_t id;
	char agency[STORE_CODE_MAX + 1];
	const char *source_ref;
	uint8_t payload_hash[32]; /* BLAKE2b-256 of the canonical request: tells a retry from a different record */
	const char *payload;      /* the request as sent */
	int64_t person_id;
	double link_score;
	const char *link_rule; /* how the person was found: "nhs", "upn", "name_dob", "new" */
	char received_at[STORE_TS_LEN + 1];
	int64_t event_id; /* filled by store_source_find */
};

int store_source_insert(store_conn *c, const struct store_source_record *r, int64_t *id);
/* Finds by (agency, source_ref); out->source_ref/payload/link_rule are not filled. */
int store_source_find(store_conn *c, const char *agency, const char *source_ref, struct store_source_record *out,
		      bool *found);

struct store_event {
	int64_t id;
	int64_t person_id;
	int64_t source_record_id;
	char agency[STORE_CODE_MAX + 1];
	char kind[STORE_CODE_MAX + 1];
	char occurred_at[STORE_TS_LEN + 1];
	char recorded_at[STORE_TS_LEN + 1];
	const char *summary;
	const char *details; /* a JSON object as text */
};

int store_event_insert(store_conn *c, const struct store_event *e, int64_t *id);

/* Keyset paging: events strictly older than (before_at, before_id) in (occurred_at DESC, id DESC) order;
 * before_at NULL for the first page. */
struct store_page {
	const char *before_at;
	int64_t before_id;
	int limit;
	const char *agency; /* only this agency's events, or NULL */
	const char *kind;   /* only this kind, or NULL */
};
typedef int (*store_event_fn)(const struct store_event *e, void *ctx);
int store_chronology(store_conn *c, const struct store_view *v, int64_t person_id, const struct store_page *page,
		     store_event_fn fn, void *ctx);
int store_event_count(store_conn *c, int64_t person_id, int64_t *n);
/* The same events as store_chronology from the newest (page->before_* ignored), with only id, occurred_at,
 * agency and kind filled (summary and details ""), from an index alone: for overviews of a long history. */
int store_event_marks(store_conn *c, const struct store_view *v, int64_t person_id, const struct store_page *page,
		      store_event_fn fn, void *ctx);
/* Each kind of event the person has, with the latest occurrence (for open episodes and flags). */
typedef int (*store_kind_fn)(const char *kind, const char *latest_at, void *ctx);
int store_event_kinds(store_conn *c, const struct store_view *v, int64_t person_id, store_kind_fn fn, void *ctx);

/* ---- what the rules read ------------------------------------------------------------------------------ */

/* The person's events of the given kinds (kinds_json: a JSON array of codes), oldest first (occurred_at,
 * id), details included (summary ""): a child's input to rules/. */
int store_events_of_kinds(store_conn *c, int64_t person_id, const char *kinds_json, store_event_fn fn,
			  void *ctx);
/* Every person's events of those kinds in (person_id, occurred_at, id) order, in one pass: the sweep. A
 * domestic abuse incident comes once for the person it was recorded on and once more for each of their
 * housemates, with person_id the housemate's (the incident is every child's at the address). */
int store_events_of_kinds_all(store_conn *c, const char *kinds_json, store_event_fn fn, void *ctx);
/* The other members of person's households (anyone sharing an address with them), each once. */
int store_housemates(store_conn *c, int64_t person_id, store_person_fn fn, void *ctx);
/* Events of one kind recorded on person's housemates (a domestic abuse incident at the address), oldest
 * first, details included. */
int store_housemate_events(store_conn *c, int64_t person_id, const char *kind, store_event_fn fn, void *ctx);

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
/* Open (unacknowledged) alerts created before cutoff and not yet escalated go to the manager of their
 * child's allocated team (or of the MASH team "mash"); *n says how many. */
int store_alerts_escalate(store_conn *c, const char *created_before, int64_t *n);

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
/* The same, only the children allocated in the teams manager manages (a team manager looking at a worker's
 * caseload sees their own team's part of it); the reader's view applies as for store_caseload. */
int store_caseload_managed(store_conn *c, const struct store_view *v, const char *worker, const char *manager,
			   int limit, store_allocation_fn fn, void *ctx);

/* Alerts follow allocation (issue 15): the child's open and acknowledged alerts go to owner_kind/owner;
 * those already escalated are the new team's manager's (escalated_to, "mash" when the team has none). *n
 * says how many moved. Resolved alerts keep the owner who held them. */
int store_alerts_follow(store_conn *c, int64_t person_id, const char *owner_kind, const char *owner,
			const char *escalated_to, int64_t *n);
/* Escalates one open alert now, as the sweep would (to the manager of the child's team, else the MASH's);
 * *changed false when it is not open or already escalated. */
int store_alert_escalate_one(store_conn *c, int64_t id, bool *changed);
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
 * first) or decided (newest decision first), each with the decision that answered it: the child's first
 * referral decision at or after it. Filters left NULL do not apply; received_* are UTC instants, the item
 * received in [from, before); name a piece of the child's given or family name, any case. */
struct store_mash_query {
	bool decided;
	const char *agency, *received_from, *received_before, *name;
	int offset, limit;
};
struct store_mash_item {
	struct store_event event; /* summary and details valid during the callback */
	char given_name[STORE_NAME_BYTES], family_name[STORE_NAME_BYTES], dob[11];
	int64_t decision_id;      /* 0: awaiting */
	char decided_at[STORE_TS_LEN + 1], outcome[32], decided_by[STORE_USER_MAX + 1];
	const char *reason;       /* the decision's reason ("" when awaiting), valid during the callback */
};
typedef int (*store_mash_fn)(const struct store_mash_item *m, void *ctx);
int store_mash_queue(store_conn *c, const struct store_view *v, const struct store_mash_query *q, store_mash_fn fn,
		     void *ctx, int64_t *total);
/* One contact or referral of the queue, by its event id (fn not called when there is none the view shows). */
int store_mash_item(store_conn *c, const struct store_view *v, int64_t event_id, store_mash_fn fn, void *ctx);

/* ---- record linkage: the blocking index, review tasks, refusals, merges (schema 13) ------------------------
 * service/identity.h decides; service/linkreview.h reviews, merges and undoes. Key and id lists are JSON
 * arrays as text (bound, read with json_each). */

/* Adds blocking keys ("nhs:...", "fdob:...") to a person, from a source record (0: from the person's row). */
int store_block_keys_add(store_conn *c, int64_t person_id, int64_t source_record_id, const char *keys_json);
typedef int (*store_id_fn)(int64_t id, void *ctx);
/* The persons holding any of the keys, each once, by id, up to limit: never a sealed person, never one merged
 * into another. */
int store_block_candidates(store_conn *c, const char *keys_json, int limit, store_id_fn fn, void *ctx);

#define STORE_REASON_BYTES 2001 /* 500 characters */
struct store_link_review {
	int64_t id;
	int64_t source_record_id; /* the record that raised the question */
	int64_t person_id;        /* the person the record was given when the task was queued */
	int64_t candidate_id;     /* the person it may be */
	double weight, probability;
	const char *explanation;  /* JSON: each field's level and contribution, the values compared */
	char created_at[STORE_TS_LEN + 1];
	char decided_at[STORE_TS_LEN + 1];       /* "" while open */
	char decided_by[96];
	char decision[12];                       /* "same", "different" or "" */
	char reason[STORE_REASON_BYTES];
	int64_t merge_id;                        /* the merge a "same" made, or 0 */
	/* Filled on reads: the record's agency and reference, and the two persons' names. */
	char agency[STORE_CODE_MAX + 1];
	char source_ref[201];
	char person_given[STORE_NAME_BYTES], person_family[STORE_NAME_BYTES];
	char candidate_given[STORE_NAME_BYTES], candidate_family[STORE_NAME_BYTES];
};
typedef int (*store_link_review_fn)(const struct store_link_review *r, void *ctx);
int store_link_review_insert(store_conn *c, const struct store_link_review *r, int64_t *id);
/* out->explanation is the caller's to free() (NULL when not found). */
int store_link_review_get(store_conn *c, int64_t id, struct store_link_review *out, bool *found);
/* Open tasks, oldest first, up to limit; none about a sealed person. */
int store_link_reviews_open(store_conn *c, int limit, store_link_review_fn fn, void *ctx);
/* Records the decision; *changed false when the task was already decided. */
int store_link_review_decide(store_conn *c, int64_t id, const char *by, const char *decision, const char *reason,
			     int64_t merge_id, bool *changed);
/* Whether a task (open or decided) about the two persons exists, either way round. */
int store_link_review_pair(store_conn *c, int64_t a, int64_t b, bool *exists);
/* "Different": the pair is never linked again without a person saying so. */
int store_link_refusal_add(store_conn *c, int64_t a, int64_t b, int64_t source_record_id, int64_t review_id,
			   const char *by, const char *reason);
/* Whether the two persons (or persons merged into either) were refused. */
int store_link_refused(store_conn *c, int64_t a, int64_t b, bool *refused);

/* ---- the service's own linkage model (schema 18; service/linktrain.h) ---- */

struct store_link_model {
	int64_t id;
	char trained_at[STORE_TS_LEN + 1];
	char how[16];                    /* "command" (safeguard link train --db) or "nightly" */
	int64_t records, pairs, random_pairs; /* records trained on, candidate pairs for m, random pairs for u */
	int64_t reviewed, reviewed_same; /* reviewers' decided pairs scored, and those decided "same" */
	int64_t linked, linked_same;     /* of those: the pairs the model links, and how many of them are "same" */
	double link_threshold, review_threshold;
	const char *params;              /* the model as JSON; on reads the caller's to free() */
};
int store_link_model_insert(store_conn *c, const struct store_link_model *m, int64_t *id);
/* The latest model (the one in use); found false when none was trained. */
int store_link_model_latest(store_conn *c, struct store_link_model *out, bool *found);
/* The latest model's id, 0 when none (a cheap check for a newer model). */
int store_link_model_latest_id(store_conn *c, int64_t *id);

/* A record's subject as its agency sent it (fields truncated to these sizes). */
struct store_link_subject {
	int64_t source_record_id;
	char agency[STORE_CODE_MAX + 1];
	char given_name[STORE_NAME_BYTES], middle_names[STORE_NAME_BYTES], family_name[STORE_NAME_BYTES];
	char dob[11], sex[2], postcode[9], address[STORE_ADDR_BYTES], nhs_number[11], upn[14];
};
typedef int (*store_link_subject_fn)(const struct store_link_subject *s, void *ctx);
/* Every record sent with a subject, oldest first. */
int store_link_training_records(store_conn *c, store_link_subject_fn fn, void *ctx);
/* A decided review: the record that raised it, the candidate person, and whether the reviewer said "same". */
struct store_link_labelled {
	struct store_link_subject subject;
	int64_t candidate_id;
	bool same;
};
typedef int (*store_link_labelled_fn)(const struct store_link_labelled *l, void *ctx);
int store_link_reviews_decided(store_conn *c, store_link_labelled_fn fn, void *ctx);
/* Review tasks ever queued, and records ever received with a subject. */
int store_link_review_counts(store_conn *c, int64_t *reviews, int64_t *records);

struct store_merge {
	int64_t id, kept_id, merged_id;
	char merged_by[96], merged_at[STORE_TS_LEN + 1];
	char reason[STORE_REASON_BYTES];
	char undone_at[STORE_TS_LEN + 1], undone_by[96]; /* "" while it stands */
	char undo_reason[STORE_REASON_BYTES];
};
typedef int (*store_merge_fn)(const struct store_merge *m, void *ctx);
/* The person merged_id was merged into (0 when it stands on its own). */
int store_person_merged_into(store_conn *c, int64_t merged_id, int64_t *kept_id);
/* Moves the merged person's source records, events, identifiers, alerts and household memberships (and the
 * blocking keys of those records) to the kept person, listing every row moved. The merged person's row stays
 * (sealed off from search and blocking while the merge stands). Source records keep their payload. */
int store_person_merge(store_conn *c, int64_t kept_id, int64_t merged_id, const char *by, const char *reason,
		       int64_t *merge_id);
int store_merge_get(store_conn *c, int64_t id, struct store_merge *out, bool *found);
/* Merges in which the person was kept or merged, newest first. */
int store_merges_of(store_conn *c, int64_t person_id, int limit, store_merge_fn fn, void *ctx);
enum store_unmerge { STORE_UNMERGED, STORE_UNMERGE_NONE, STORE_UNMERGE_UNDONE, STORE_UNMERGE_LATER };
/* Puts back exactly the rows the merge moved. Refused (nothing written) when there is no such merge, it was
 * undone before, or a later merge still standing involves either person (undo that one first). */
int store_person_unmerge(store_conn *c, int64_t merge_id, const char *by, const char *reason,
			 enum store_unmerge *out);

/* ---- users, sessions, sign-in attempts ------------------------------------------------------------- */

#define STORE_TOTP_SEALED_LEN 60
#define STORE_PERSON_NAME_MAX 400 /* bytes: 100 characters of UTF-8 */
#define STORE_EMAIL_MAX 254       /* RFC 5321's longest path */
#define STORE_PHONE_MAX 32 /* 24-byte nonce, 20-byte secret, 16-byte tag (XChaCha20-Poly1305) */

struct store_user {
	int64_t id;
	char username[STORE_USER_MAX + 1];
	char agency[STORE_CODE_MAX + 1];
	char role[STORE_CODE_MAX + 1];
	char password_hash[160];  /* libsodium's Argon2id string */
	/* The TOTP secret (RFC 6238 with SHA-1: 160 bits) is kept encrypted with the server's key (service/users.h):
	 * totp_sealed holds nonce || ciphertext || tag. Rows from before schema 15 held it in plain text until
	 * users_seal_legacy encrypted them: on reads, totp_is_sealed false and the plain secret in totp_secret. */
	uint8_t totp_secret[20];
	uint8_t totp_sealed[STORE_TOTP_SEALED_LEN];
	bool totp_is_sealed;
	char disabled_at[STORE_TS_LEN + 1]; /* "" while enabled */
	int64_t totp_last_step;   /* the last TOTP time step that signed in (each code works once) */
	/* Who the person is (schema 21; "" when not given): shown instead of the username wherever a page shows
	 * a person (service/users.h users_person). */
	char full_name[STORE_PERSON_NAME_MAX + 1];
	char email[STORE_EMAIL_MAX + 1];
	char phone[STORE_PHONE_MAX + 1];
	char team[STORE_CODE_MAX + 1]; /* the team they work in (a team's code) */
};
/* STORE_ECONFLICT when the username is taken (or the agency does not exist). Writes totp_sealed (never a
 * plain secret). */
int store_user_insert(store_conn *c, const struct store_user *u, int64_t *id);
int store_user_by_name(store_conn *c, const char *username, struct store_user *out, bool *found);
int store_user_by_id(store_conn *c, int64_t id, struct store_user *out, bool *found);
/* Every user by username, up to limit, with password_hash "" and totp_secret zero (never read here). */
typedef int (*store_user_fn)(const struct store_user *u, void *ctx);
int store_users(store_conn *c, int limit, store_user_fn fn, void *ctx);
/* Disables a person at `at` (a person disabled before keeps the first time) and ends every session of
 * theirs; *found false when there is no such username. */
int store_user_disable(store_conn *c, const char *username, const char *at, bool *found);
/* Lets a disabled person sign in again (with the password and second factor they had; sessions that ended
 * stay ended); *found false when there is no such username. */
int store_user_enable(store_conn *c, const char *username, bool *found);

/* Records that a TOTP time step was used to sign in; *advanced false when it (or a later one) was used
 * before: the code is being replayed. */
int store_user_totp_step(store_conn *c, int64_t id, int64_t step, bool *advanced);

/* Sealed records (schema 10): basis "adoption", "protection" or "court_order". Sealing is for good: *already
 * true when the record was sealed before (nothing changes). */
int store_person_sealed(store_conn *c, int64_t id, bool *sealed);
int store_person_seal(store_conn *c, int64_t id, const char *basis, const char *by, bool *already);

/* A new password and TOTP secret (a reset; the secret sealed as in store_user): every session of the person
 * ends. *found false when there is no such username. */
int store_user_set_credentials(store_conn *c, const char *username, const char *password_hash,
			       const uint8_t totp_sealed[STORE_TOTP_SEALED_LEN], bool *found);
/* Rows whose TOTP secret is still in plain text (from before schema 15): id, username and totp_secret
 * filled. Then each is sealed: the plain column is overwritten with zeros. */
int store_users_totp_plain(store_conn *c, store_user_fn fn, void *ctx);
int store_user_totp_seal(store_conn *c, int64_t id, const uint8_t totp_sealed[STORE_TOTP_SEALED_LEN]);
/* Copies every committed page into the database file and empties the write-ahead log, so that bytes
 * overwritten in a transaction (with secure_delete on) are gone from both files. Outside any transaction. */
int store_wal_truncate(store_conn *c);

/* A person's server-side session: found by the hash of its token, until it expires or is ended. */
struct store_session {
	int64_t user_id;
	char kind[8];                       /* "api" or "web" */
	char created_at[STORE_TS_LEN + 1];
	char expires_at[STORE_TS_LEN + 1];  /* absolute timeout */
	char idle_until[STORE_TS_LEN + 1];  /* idle timeout, pushed on by each use */
	/* Filled on reads: the user. */
	char username[STORE_USER_MAX + 1], agency[STORE_CODE_MAX + 1], role[STORE_CODE_MAX + 1];
};
int store_session_insert(store_conn *c, const uint8_t hash[STORE_TOKEN_HASH_LEN], const struct store_session *s);
/* Only a session that is live at now (not ended, not past either timeout, its user enabled). */
int store_session_find(store_conn *c, const uint8_t hash[STORE_TOKEN_HASH_LEN], const char *now,
		       struct store_session *out, bool *found);

/* Pushes the idle timeout on to until (never past the absolute one); ends a session (signing out). */
int store_session_touch(store_conn *c, const uint8_t hash[STORE_TOKEN_HASH_LEN], const char *until);
int store_session_end(store_conn *c, const uint8_t hash[STORE_TOKEN_HASH_LEN], const char *at);

/* Sign-in attempts, for throttling: each is kept with its outcome. remote is the address's throttling key. */
int store_login_attempt_add(store_conn *c, const char *username, const char *remote, bool ok);
/* Failed attempts since `since`: from this address for this username, for the username from anywhere, and
 * from the address for any username; with the newest failure of the last two ("" when none). */
struct store_login_failures {
	int64_t pair, account, address;
	char account_last[STORE_TS_LEN + 1], address_last[STORE_TS_LEN + 1];
};
int store_login_failures(store_conn *c, const char *username, const char *remote, const char *since,
			 struct store_login_failures *out);
/* A throttling key (service/users.c) refused a sign-in: *first true, and `now` noted, when the key has not
 * been noted since `since` (so that its refusals are audited once per window). */
int store_login_throttle_note(store_conn *c, const char *key, const char *since, const char *now, bool *first);

/* ---- what the access policy asks (service/access.h) ----------------------------------------------------- */

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
/* The newest notices first, up to limit. */
int store_notices(store_conn *c, int limit, store_notice_fn fn, void *ctx);
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

/* ---- unscheduled-care flag look-ups (as NHS CP-IS) --------------------------------------------------- */

struct store_flag_access {
	int64_t person_id;
	char at[STORE_TS_LEN + 1];
	char actor[96];           /* the client or user */
	char organisation[101];   /* the agency's name */
	char setting[401];        /* "emergency department", "walk-in centre", ... (100 characters) */
};
typedef int (*store_flag_access_fn)(const struct store_flag_access *a, void *ctx);
int store_flag_access_add(store_conn *c, const struct store_flag_access *a, int64_t *id);
/* The newest first. */
int store_flag_accesses(store_conn *c, int64_t person_id, int limit, store_flag_access_fn fn, void *ctx);

/* ---- recordings of interviews and meetings (service/recordings.h) ---------------------------------------
 * The row says what a ciphertext file holds and how to open it: the per-file key wrapped by the master key
 * (which is never in the database), the plaintext's size and BLAKE2b-256, and the file's name on disk (a
 * random hex id, never the uploader's file name). Rows are only inserted. */
#define STORE_RECORDING_FILENAME_BYTES 801 /* 200 characters of UTF-8 and the NUL */
#define STORE_RECORDING_TYPE_MAX 32        /* an allow-listed media type */
#define STORE_RECORDING_WRAPPED_LEN 48     /* crypto_secretbox_MACBYTES + the 32-byte file key */
#define STORE_RECORDING_NONCE_LEN 24       /* crypto_secretbox_NONCEBYTES */
#define STORE_RECORDING_DISK_MAX 32        /* 16 random bytes in hex */
struct store_recording {
	int64_t id;
	int64_t child_id;
	char filename[STORE_RECORDING_FILENAME_BYTES];
	char content_type[STORE_RECORDING_TYPE_MAX + 1];
	int64_t bytes;                        /* of plaintext */
	char blake2b[65];                     /* BLAKE2b-256 of the plaintext, lower-case hex */
	uint8_t wrapped_key[STORE_RECORDING_WRAPPED_LEN];
	uint8_t key_nonce[STORE_RECORDING_NONCE_LEN];
	char disk_name[STORE_RECORDING_DISK_MAX + 1];
	char uploaded_by[96];                 /* the actor, as in the audit */
	char uploaded_at[STORE_TS_LEN + 1];
	bool well_formed; /* on reads: false when a blob has the wrong length (not written by this code) */
};
typedef int (*store_recording_fn)(const struct store_recording *r, void *ctx);
int store_recording_insert(store_conn *c, const struct store_recording *r, int64_t *id);
int store_recording_get(store_conn *c, int64_t id, struct store_recording *out, bool *found);
/* A child's recordings, oldest first; with child_id 0, every recording (for verification). */
int store_recordings(store_conn *c, int64_t child_id, store_recording_fn fn, void *ctx);

/* ---- audit ------------------------------------------------------------------------------------------- */

struct store_audit {
	const char *actor;  /* "client:3:police", "cli", "user:..." */
	const char *action; /* "event.create", "child.read", "chronology.read", "token.create" */
	int64_t child_id;   /* 0 when the entry concerns no child */
	const char *object; /* what was touched: "event:42" */
	const char *detail; /* no personal data: ids, counts, outcomes */
	/* The chain (service/audit.h fills them; nothing else appends): the entry's number, its time, and
	 * BLAKE2b-256 over the previous entry's hash and this entry. */
	int64_t id;
	const char *at;     /* YYYY-MM-DDTHH:MM:SSZ */
	const uint8_t *hash;
};

#define STORE_AUDIT_HASH_LEN 32

/* Appends one entry with the id, time and hash it carries. Use audit_append (service/audit.h). */
int store_audit_append(store_conn *c, const struct store_audit *a);
/* The newest entry's id and hash (*found false on an empty audit; hash zero when the newest has none). */
int store_audit_last(store_conn *c, int64_t *id, uint8_t hash[STORE_AUDIT_HASH_LEN], bool *found);
/* Every entry in id order, for verification; hash NULL when the row has none. */
typedef int (*store_audit_fn)(const struct store_audit *a, void *ctx);
int store_audit_each(store_conn *c, store_audit_fn fn, void *ctx);
/* Entries that have no hash (written before schema 5), oldest first; store_audit_seal gives one its hash
 * (the only change the audit table allows, once). */
int store_audit_unsealed(store_conn *c, store_audit_fn fn, void *ctx);
int store_audit_seal(store_conn *c, int64_t id, const uint8_t hash[STORE_AUDIT_HASH_LEN]);

/* Who has looked at a child: the entries about the child whose action is a read (child.read,
 * chronology.read, alert.read, flags.lookup, viewers.read, recordings.list, recording.download), a refused read
 * (access.refused), a break-glass opening or a placement recorded (placement.record: the writer saw enough of
 * the child to place them), newest first. */
int store_audit_reads_of_child(store_conn *c, int64_t child_id, int limit, store_audit_fn fn, void *ctx);
/* The same with who each entry names (their agency and role, from their account or token), filtered: from/to
 * UTC instants (at >= from, at < to), agency; NULL or "" for none; newest first, up to limit. */
struct store_look_query {
	const char *from, *to, *agency;
	int limit;
};
struct store_look {
	struct store_audit a;
	char agency[STORE_CODE_MAX + 1], role[STORE_CODE_MAX + 1], username[STORE_USER_MAX + 1];
};
typedef int (*store_look_fn)(const struct store_look *l, void *ctx);
int store_child_looks(store_conn *c, int64_t child_id, const struct store_look_query *q, store_look_fn fn, void *ctx);

/* Signed checkpoints of the chain: entry audit_id had hash, signed (Ed25519) by the server's key. */
#define STORE_SIGN_PUBLIC_LEN 32
#define STORE_SIGNATURE_LEN 64
struct store_checkpoint {
	int64_t audit_id;
	uint8_t hash[STORE_AUDIT_HASH_LEN];
	char at[STORE_TS_LEN + 1];
	uint8_t public_key[STORE_SIGN_PUBLIC_LEN];
	uint8_t signature[STORE_SIGNATURE_LEN];
	bool well_formed; /* on reads: false when a column has the wrong length (not written by this code) */
};
typedef int (*store_checkpoint_fn)(const struct store_checkpoint *k, void *ctx);
/* STORE_ECONFLICT when that entry already has a checkpoint. */
int store_checkpoint_add(store_conn *c, const struct store_checkpoint *k);
int store_checkpoints(store_conn *c, store_checkpoint_fn fn, void *ctx); /* by audit_id */
int store_audit_count(store_conn *c, int64_t *n);

/* ---- children's homes and their oversight (issue 6; service/homes.h) ---------------------------------- */

#define STORE_HOME_TEXT 201  /* names, providers: up to 200 bytes */
#define STORE_MONTH_LEN 7    /* YYYY-MM */
#define STORE_LONG_TEXT 2001 /* summaries, notes: up to 2,000 bytes */

struct store_home {
	int64_t id;
	char urn[16];                    /* Ofsted unique reference number, e.g. "SC123456"; unique */
	char name[STORE_HOME_TEXT];
	char provider[STORE_HOME_TEXT];
	char la_code[4];                 /* DfE LA number of the host authority */
	char postcode[9];
	double lat, lon;                 /* WGS84; both 0 when unknown */
	int places;                      /* registered places */
	char specialism[33];             /* the peer group: "disability", "emotional_behavioural", "general" */
	char ofsted_grade[24];           /* "outstanding", "good", "requires_improvement", "inadequate", "" */
	char grade_date[STORE_DAY_LEN + 1]; /* of the last full inspection, or "" */
};
typedef int (*store_home_fn)(const struct store_home *h, void *ctx);
/* STORE_ECONFLICT when a home with the URN exists. */
int store_home_insert(store_conn *c, const struct store_home *h, int64_t *id);
int store_home_get(store_conn *c, int64_t id, struct store_home *out, bool *found);
/* Every home, by id; la_code "" for all, else the homes of that host authority. */
int store_homes(store_conn *c, const char *la_code, store_home_fn fn, void *ctx);

/* Child-nights per home and month (the exposure). Replaces the month's figure. */
int store_home_occupancy_set(store_conn *c, int64_t home_id, const char *month, double child_nights);
typedef int (*store_occupancy_fn)(int64_t home_id, const char *month, double child_nights, void *ctx);
/* Every home's months (home_id 0) or one home's, by home and month. */
int store_home_occupancy(store_conn *c, int64_t home_id, store_occupancy_fn fn, void *ctx);

/* What happened in a home. type is one of the oversight indicators (oversight.h); the Regulation 35 details
 * are for restraints (-1 / "" when not recorded). */
struct store_home_incident {
	int64_t id, home_id;
	int64_t person_id;               /* the child, or 0 when not linked */
	char occurred_at[STORE_TS_LEN + 1]; /* YYYY-MM-DD or an RFC 3339 UTC instant */
	char type[16];
	int duration_min;                /* restraint: minutes */
	char technique[STORE_HOME_TEXT]; /* restraint: the hold used */
	int child_injured;               /* restraint: 1 yes, 0 no, -1 not recorded */
	int staff_involved;              /* restraint: staff involved */
	int debrief_offered;             /* restraint: the child was offered a debrief: 1, 0, -1 */
	char summary[STORE_LONG_TEXT];
	/* Filled on reads: the home's name and the child's names ("" when no child is linked). */
	char home_name[STORE_HOME_TEXT];
	char given_name[STORE_NAME_BYTES], family_name[STORE_NAME_BYTES];
};
typedef int (*store_home_incident_fn)(const struct store_home_incident *i, void *ctx);
int store_home_incident_insert(store_conn *c, const struct store_home_incident *i, int64_t *id);
/* Incidents per home, month and type, for the monitor. */
typedef int (*store_incident_count_fn)(int64_t home_id, const char *month, const char *type, int64_t n, void *ctx);
int store_home_incident_counts(store_conn *c, store_incident_count_fn fn, void *ctx);
/* Newest first: of one home (home_id) or of every home of a host authority (home_id 0, la_code; "" for
 * all), of one type ("" any), on or after since ("" any), up to limit. */
struct store_incident_query {
	int64_t home_id;
	const char *la_code, *type, *since;
	int limit;
};
int store_home_incidents(store_conn *c, const struct store_view *v, const struct store_incident_query *q,
			 store_home_incident_fn fn, void *ctx);

/* A child placed in a home. */
struct store_home_placement {
	int64_t id, home_id, person_id;  /* person_id 0 when the child is not on the record */
	char start[STORE_DAY_LEN + 1], end[STORE_DAY_LEN + 1]; /* end "" while placed */
	double distance_km;              /* from the child's home address; < 0 unknown */
	bool out_of_area;                /* host authority is not the placing (responsible) authority */
	bool distant;                    /* more than 20 miles from home (DOMAIN.md) */
	/* Filled on reads (home_name by store_person_placement only). */
	char given_name[STORE_NAME_BYTES], family_name[STORE_NAME_BYTES];
	char home_name[STORE_HOME_TEXT];
};
typedef int (*store_placement_fn)(const struct store_home_placement *p, void *ctx);
int store_home_placement_insert(store_conn *c, const struct store_home_placement *p, int64_t *id);
/* A home's placements, current first, then by start, newest first. */
int store_home_placements(store_conn *c, const struct store_view *v, int64_t home_id, store_placement_fn fn,
			  void *ctx);
/* The child's placement on day ("YYYY-MM-DD"), the latest started when more than one; home_name filled. */
int store_person_placement(store_conn *c, int64_t person_id, const char *day, struct store_home_placement *out,
			   bool *found);

/* An independent person's monthly visit report (Children's Homes Regulations 2015, reg 44). */
struct store_reg44 {
	int64_t id, home_id;
	char month[STORE_MONTH_LEN + 1];
	char received_at[STORE_TS_LEN + 1];
	char visitor[STORE_HOME_TEXT];
	char summary[STORE_LONG_TEXT];   /* findings and recommendations */
};
typedef int (*store_reg44_fn)(const struct store_reg44 *r, void *ctx);
/* STORE_ECONFLICT when the home has a report for that month. */
int store_reg44_insert(store_conn *c, const struct store_reg44 *r, int64_t *id);
int store_reg44_reports(store_conn *c, int64_t home_id, int limit, store_reg44_fn fn, void *ctx); /* newest first */
/* The homes with children placed in month (child-nights > 0) and no report for it. */
typedef int (*store_id_fn)(int64_t id, void *ctx);
int store_reg44_missing(store_conn *c, const char *month, store_id_fn fn, void *ctx);

/* A police location-risk note on a home. */
struct store_home_note {
	int64_t id, home_id;
	char author[STORE_USER_MAX + 1];
	char agency[STORE_CODE_MAX + 1];
	char created_at[STORE_TS_LEN + 1];
	char text[STORE_LONG_TEXT];
};
typedef int (*store_home_note_fn)(const struct store_home_note *n, void *ctx);
int store_home_note_insert(store_conn *c, const struct store_home_note *n, int64_t *id);
int store_home_notes(store_conn *c, int64_t home_id, int limit, store_home_note_fn fn, void *ctx); /* newest first */

/* One run of the monitor over the register, and what it found. */
struct store_oversight_run {
	int64_t id;
	char started_at[STORE_TS_LEN + 1], finished_at[STORE_TS_LEN + 1];
	char trigger[16];                /* "nightly", "on_demand", "cli" */
	char by[96];                     /* the actor */
	double budget;                   /* false alarms per 100 home-years */
	double h_up, h_down, h_combined; /* the thresholds chosen */
	int homes, months;
	char first_month[STORE_MONTH_LEN + 1], last_month[STORE_MONTH_LEN + 1];
	int signals, alerts;
};
int store_oversight_run_insert(store_conn *c, const struct store_oversight_run *r, int64_t *id);
/* id 0: the newest run. */
int store_oversight_run_get(store_conn *c, int64_t id, struct store_oversight_run *out, bool *found);

struct store_oversight_signal {
	int64_t run_id, home_id;
	char month[STORE_MONTH_LEN + 1];
	char indicator[16];              /* one of the eight, or "combined" */
	char direction[8];               /* "high", "low" */
	double statistic, threshold;
	double observed, expected;       /* over the months the chart climbed, expected from similar homes */
	int months;                      /* how many months it climbed */
	char reason[400];                /* in words */
};
typedef int (*store_signal_fn)(const struct store_oversight_signal *s, void *ctx);
int store_oversight_signal_insert(store_conn *c, const struct store_oversight_signal *s);
/* A run's signals (home_id 0 for every home), by home, month, indicator. */
int store_oversight_signals(store_conn *c, int64_t run_id, int64_t home_id, store_signal_fn fn, void *ctx);

/* An alert about a home (not a child): for the oversight team. */
struct store_home_alert {
	int64_t id, home_id, run_id;     /* run_id 0 when no run raised it */
	char kind[8];                    /* "signal", "reg44" */
	char month[STORE_MONTH_LEN + 1];
	char reason[1200];
	char dedup_key[64];              /* the same home and key: the same alert */
	char owner[STORE_CODE_MAX + 1];  /* the team that owns it */
	char state[16];                  /* "open", "acknowledged", "resolved" */
	char created_at[STORE_TS_LEN + 1];
	/* Its history, as a child's alert keeps it ("" until it happens). */
	char acknowledged_at[STORE_TS_LEN + 1], acknowledged_by[STORE_USER_MAX + 1];
	char resolved_at[STORE_TS_LEN + 1], resolved_by[STORE_USER_MAX + 1];
	char outcome[STORE_ATTR_BYTES];  /* the resolver's words, up to 300 characters */
	char escalated_at[STORE_TS_LEN + 1], escalated_to[STORE_USER_MAX + 1];
	char home_name[STORE_HOME_TEXT]; /* filled on reads */
};
typedef int (*store_home_alert_fn)(const struct store_home_alert *a, void *ctx);
/* *inserted false when the home has an alert with that dedup_key (nothing written). */
int store_home_alert_insert(store_conn *c, const struct store_home_alert *a, int64_t *id, bool *inserted);
/* Newest first; home_id 0 for every home; open_only: open and acknowledged. */
int store_home_alerts(store_conn *c, int64_t home_id, bool open_only, int limit, store_home_alert_fn fn, void *ctx);
int store_home_alert_get(store_conn *c, int64_t id, struct store_home_alert *out, bool *found);
/* *changed false when the alert is not open (acknowledge) or already resolved (resolve), or there is none. */
int store_home_alert_acknowledge(store_conn *c, int64_t id, const char *by, bool *changed);
int store_home_alert_resolve(store_conn *c, int64_t id, const char *by, const char *outcome, bool *changed);
/* Resolves the home's open or acknowledged alert with that dedup_key; *id its id, 0 when there was none. */
int store_home_alert_resolve_key(store_conn *c, int64_t home_id, const char *dedup_key, const char *by,
				 const char *outcome, int64_t *id);
/* Open alerts written before created_before, not yet escalated, go to the owning team's manager (the team
 * itself when it has none). */
int store_home_alerts_escalate(store_conn *c, const char *created_before, int64_t *n);

/* ---- speak up (issue 18): reports that bypass the home ---- */

#define STORE_SPEAKUP_WHAT 8001  /* 2,000 characters of UTF-8 and the NUL */
#define STORE_SPEAKUP_REF_LEN 8  /* the reference, without its "SU-" and dash */
/* A report made without signing in. No address, no user agent: the table has no column for them. */
struct store_speakup {
	int64_t id;
	char ref[STORE_SPEAKUP_REF_LEN + 1];
	char pass_hash[128];             /* crypto_pwhash_STRBYTES: the passphrase's hash, never the passphrase */
	char created_at[STORE_TS_LEN + 1];
	char who[16];                    /* "child", "parent", "staff", "other" */
	int64_t home_id;                 /* 0: none chosen */
	int home_unknown;                /* 1: "I don't know" */
	char person_name[STORE_NAME_BYTES], person_role[STORE_NAME_BYTES];
	char what[STORE_SPEAKUP_WHAT];
	char child_name[STORE_NAME_BYTES];
	char child_dob[STORE_DAY_LEN + 1];
	char about[16];                  /* what the reporter says of themselves: "nothing", "first_name", "contact" */
	char first_name[STORE_NAME_BYTES], contact[STORE_NAME_BYTES];
	char state[16];                  /* "new", "triaged" */
	char outcome[32];                /* "" until triaged (service/speakup.h names them) */
	char outcome_reason[STORE_SPEAKUP_WHAT];
	char triaged_by[STORE_USER_MAX + 1], triaged_at[STORE_TS_LEN + 1];
	int64_t child_id;                /* the child's record the reviewer linked, 0 when none */
	int64_t incident_id;             /* the home's incident it counts as, 0 when none */
	int fails;                       /* wrong passphrases since fail_since */
	char fail_since[STORE_TS_LEN + 1];
	/* Filled on reads. */
	char home_name[STORE_HOME_TEXT];
	int messages;
};
typedef int (*store_speakup_fn)(const struct store_speakup *r, void *ctx);
int store_speakup_insert(store_conn *c, const struct store_speakup *r, int64_t *id);
/* By id, or (id 0) by reference. */
int store_speakup_get(store_conn *c, int64_t id, const char *ref, struct store_speakup *out, bool *found);
/* The queue: new reports first, then newest first. */
int store_speakups(store_conn *c, int limit, store_speakup_fn fn, void *ctx);
/* Writes the triage (state, outcome, reason, by, at, child_id, incident_id) and the guess count. */
int store_speakup_update(store_conn *c, const struct store_speakup *r);
/* Reports made at or after since (the per-day limit). */
int store_speakup_count_since(store_conn *c, const char *since, int64_t *n);
struct store_speakup_message {
	int64_t id, report_id;
	char at[STORE_TS_LEN + 1];
	int from_reporter;               /* 1: the reporter; 0: a reviewer */
	char author[STORE_USER_MAX + 1]; /* the reviewer's username; "" for the reporter */
	char text[STORE_SPEAKUP_WHAT];
};
typedef int (*store_speakup_message_fn)(const struct store_speakup_message *m, void *ctx);
int store_speakup_message_insert(store_conn *c, const struct store_speakup_message *m, int64_t *id);
/* Oldest first. */
int store_speakup_messages(store_conn *c, int64_t report_id, store_speakup_message_fn fn, void *ctx);

#endif
