/*
 * store/store_events.h — what agencies sent, the chronology, and what the rules read.
 * One part of the store's contract (issue 17): store/store.h includes every part.
 */
#ifndef SAFEGUARD_STORE_STORE_EVENTS_H
#define SAFEGUARD_STORE_STORE_EVENTS_H

#include "store/store_core.h"
#include "store/store_people.h"

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
	/* store_source_event_insert: the blocking keys the record gives its person (a JSON array of strings, as
	 * store_block_keys_add takes), written with it; NULL for none */
	const char *block_keys;
	/* store_source_event_insert: the NHS number and UPN the record gives its person, written with it as
	 * store_identifier_add writes them (on PostgreSQL in the record's statement); NULL or "" for none */
	const char *nhs_number, *upn;
	/* and written undated (first_seen "") when true: the record is one that readers outside health may not
	 * see, whose arrival an identifier's first_seen would tell them (service/intake.c). An identifier the
	 * person already holds keeps its first_seen; one written undated stays so (a later record naming it adds
	 * nothing, as for any identifier held) */
	bool identifiers_undated;
	/* store_source_event_insert: the household the record places its person in, joined as
	 * store_household_join(key, postcode, address, person_id, seen_at, NULL) joins it (on PostgreSQL in the
	 * record's statement); household_key NULL or "" for none. With a household_key, its postcode, address and
	 * seen_at are required: one NULL refuses the record (STORE_EINVAL, nothing written) on both backends */
	const char *household_key, *household_postcode, *household_address, *household_seen_at;
};

int store_source_insert(store_conn *c, const struct store_source_record *r, int64_t *id);
/* Finds by (agency, source_ref); out->source_ref/payload/link_rule are not filled. */
int store_source_find(store_conn *c, const char *agency, const char *source_ref, struct store_source_record *out,
		      bool *found);
/* Inside a write transaction, the n pairs (agency[i], source_ref[i]) a batch of intake jobs will look up, asked
 * at once (issue 17): on PostgreSQL one statement, and each pair not stored answers its first store_source_find
 * as not found with no statement, until a source record with it is written (then the find asks, and sees it).
 * Forgotten when the transaction ends or rolls back to a savepoint, and at the next call. SQLite: nothing (its finds cost no
 * round trip). A failure leaves the transaction for the caller to roll back, as any statement's. On PostgreSQL
 * it is a write: for each pair not stored it takes a source record id and an event id from their sequences
 * (nextval), for store_source_event_insert; so not on a read-only snapshot or a replica, and ids taken and not
 * used (a replayed or refused record) are gaps in the sequences. household_key (NULL: none), the key of the
 * household each record will name ("" none): on PostgreSQL also asked whether it is stored, so that a new
 * child's first rules' read can be answered without a statement when its record's household is one that
 * record makes (store_rule_events; issue 17). */
int store_source_absent_ahead(store_conn *c, const char *const *agency, const char *const *source_ref,
			      const char *const *household_key, int n);

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
/* A source record and its event (e->source_record_id is the new record's), and r->block_keys on r->person_id
 * as store_block_keys_add writes them: on PostgreSQL one statement (issue 17); elsewhere store_source_insert,
 * store_event_insert, store_block_keys_add. A refusal writes none of them. On PostgreSQL, when the ids were
 * taken ahead (store_source_absent_ahead), the statement is sent and not waited for: the call answers OK with
 * those ids, and a refusal comes back at the connection's next statement that waits (or its COMMIT), as any
 * deferred write's does, failing the batch's first pass. */
int store_source_event_insert(store_conn *c, const struct store_source_record *r, const struct store_event *e,
			      int64_t *source_id, int64_t *event_id);

/* Keyset paging: events strictly older than (before_at, before_id) in (occurred_at DESC, id DESC) order;
 * before_at NULL for the first page. */
struct store_page {
	const char *before_at;
	int64_t before_id;
	int limit;
	const char *agency; /* only this agency's events, or NULL */
	const char *kind;   /* only this kind, or NULL */
	int skip;           /* store_event_marks: the newest `skip` of them left out (the caller has them from the
			     * same page's rows: children_record's first page), 0 for none */
	bool drawn;         /* store_chronology: only what a record page draws of each row (id, agency, kind,
			     * occurred_at, summary, details); person_id and source_record_id 0, recorded_at "" */
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
/* The kinds of a child's legal status (rules/status.c), which the summary card reads: the one list, which
 * STORE_STATUS_KINDS_JSON, the statement store_status_events runs and service/summary.c's slots are all made
 * from. X(kind) for each kind, SEP between two. */
#define STORE_STATUS_KINDS(X, SEP)                                                                               \
	X(cp_plan_start) SEP X(cp_plan_end) SEP X(lac_start) SEP X(lac_end) SEP X(cin_plan_start) SEP            \
	X(cin_plan_end) SEP X(missing_start) SEP X(missing_end)
#define STORE_STATUS_KIND_JSON_(k) "\"" #k "\""
#define STORE_STATUS_KINDS_JSON "[" STORE_STATUS_KINDS(STORE_STATUS_KIND_JSON_, ",") "]"
/* The person's events of the status kinds, as store_events_of_kinds(c, person_id, STORE_STATUS_KINDS_JSON, ...)
 * reads them, by a statement that names the kinds in its text (issue 17: the list bound as a parameter cost
 * PostgreSQL's generic plan a read of every event of the child; named, it seeks each kind in event_person_kind).
 * Every one of them, each with whether the view v shows it (the store's rule for every list, VIEW_EVENT, as a
 * column: the summary card tells what a hidden one would change, so it needs them all); v NULL: every event
 * shown (the CP-IS flag's read). */
typedef int (*store_status_fn)(const struct store_event *e, bool shown, void *ctx);
int store_status_events(store_conn *c, const struct store_view *v, int64_t person_id, store_status_fn fn, void *ctx);
/* Whether the view v would show an event of its private agency with these details (the store's rule for every
 * list, VIEW_EVENT's category part; true when v leaves no category out), asked of a record before it is stored:
 * intake joins no household from a record that readers outside health may not see (service/intake.c). */
int store_details_shown(store_conn *c, const struct store_view *v, const char *details, bool *shown);
/* The same events in the same order, found by walking the person's history in time order (the event_history
 * index) and keeping the kinds asked for: the rules' read on intake, whose kinds are most of a child's events
 * (store_events_of_kinds seeks each kind and sorts what it found, for the few status kinds of the summary card). */
int store_events_of_kinds_in_time(store_conn *c, int64_t person_id, const char *kinds_json, store_event_fn fn,
				  void *ctx);
/* Every person's events of those kinds in (person_id, occurred_at, id) order, in one pass: the sweep. A
 * domestic abuse incident comes once for the person it was recorded on and once more for each of their
 * housemates, with person_id the housemate's (the incident is every child's at the address). */
int store_events_of_kinds_all(store_conn *c, const char *kinds_json, store_event_fn fn, void *ctx);
/* The other members of person's households (anyone sharing an address with them), each once. */
int store_housemates(store_conn *c, int64_t person_id, store_person_fn fn, void *ctx);
/* Events of one kind recorded on person's housemates (a domestic abuse incident at the address), each once,
 * details included, in no order the caller may rely on (SQLite's come by housemate; the rules sort them). */
int store_housemate_events(store_conn *c, int64_t person_id, const char *kind, store_event_fn fn, void *ctx);
/* Both of the above, in no particular order: one statement (on PostgreSQL one round trip; issue 17), and none
 * for a person read before in the same writer's transaction, on either engine (answered from that read and the
 * records written since: store/ops.c, struct rules_known). */
int store_rule_events(store_conn *c, int64_t person_id, const char *kinds_json, const char *housemate_kind,
		      store_event_fn fn, void *ctx);

/* Send now, read later (issue 17): the independent reads a page will make of one child in the open read
 * transaction (store_begin_read), sent to the database together now, so that they are answered together
 * with the first of them that is made: on PostgreSQL one round trip for them all instead of one each. Each
 * is then made as usual, by the same call with the same arguments (those named against each field below),
 * and gets the answer that was sent ahead; a call made with other arguments reads afresh, and a read sent and
 * never made costs only its own work. What is not made before the transaction ends is forgotten. NULL or
 * false fields are not sent. SQLite sends nothing (its reads cost no round trip): the calls read as ever.
 * A read sent ahead is a read the caller will make: the view and need-to-know are those of that call. */
struct store_alert_query;
struct store_ahead {
	int64_t child_id;
	struct store_view view;                 /* the reader's, for the marks, the rows and the alerts */
	bool person;                            /* store_person_get(c, child_id, ...) */
	bool identifiers;                       /* store_identifiers_each(c, child_id, ...) */
	bool households;                        /* store_households_of(c, child_id, ...) */
	const struct store_page *marks;         /* store_event_marks(c, &view, child_id, marks, ...) */
	bool kinds;                             /* store_event_kinds(c, &view, child_id, ...) */
	const struct store_page *rows;          /* store_chronology(c, &view, child_id, rows, ...) */
	const struct store_alert_query *alerts; /* store_alerts(c, &view, alerts, ...), alerts->person_id set */
	bool status_events;                     /* store_status_events(c, &view, child_id, ...) */
	const char *placement_day;              /* store_person_placement(c, child_id, placement_day, ...) */
	const char *contacts_team;              /* store_child_contacts(c, child_id, contacts_team, ...) */
};
int store_send_ahead(store_conn *c, const struct store_ahead *a);

#endif
