/*
 * store/store_linkage.h — record linkage: the blocking index, review tasks, refusals, merges, the service's model.
 * One part of the store's contract (issue 17): store/store.h includes every part.
 */
#ifndef SAFEGUARD_STORE_STORE_LINKAGE_H
#define SAFEGUARD_STORE_STORE_LINKAGE_H

#include "store/store_core.h"

/* ---- record linkage: the blocking index, review tasks, refusals, merges (schema 13) ------------------------
 * service/identity.h decides; service/linkreview.h reviews, merges and undoes. Key and id lists are JSON
 * arrays as text (bound, read with json_each). */

/* Adds blocking keys ("nhs:...", "fdm:...") to a person, from a source record (0: from the person's row). */
int store_block_keys_add(store_conn *c, int64_t person_id, int64_t source_record_id, const char *keys_json);
typedef int (*store_id_fn)(int64_t id, void *ctx);
/* The persons holding any of the keys, each once, by id, up to limit: never a sealed person, never one merged
 * into another. */
int store_block_candidates(store_conn *c, const char *keys_json, int limit, store_id_fn fn, void *ctx);
/* The same persons, each with what intake scores (issue 17: one query, not three per candidate): the person's
 * row, its NHS numbers and UPNs in the order store_identifiers_each gives them (up to STORE_CANDIDATE_IDS of
 * each), and whether persons stand merged into it (only then need their rows be read). */
#define STORE_CANDIDATE_IDS 8
struct store_candidate {
	struct store_person person;
	int n_nhs, n_upn;
	char nhs[STORE_CANDIDATE_IDS][11];
	char upn[STORE_CANDIDATE_IDS][14];
	bool has_merged;
};
typedef int (*store_candidate_fn)(const struct store_candidate *cand, void *ctx);
int store_block_candidates_scored(store_conn *c, const char *keys_json, int limit, store_candidate_fn fn, void *ctx);
/* A batch's records' candidates read at once (issue 17): on PostgreSQL, in a writer's transaction, one statement
 * for n records' keys (each a JSON array as above) with one limit, kept in the connection; each record's
 * store_block_candidates_scored with the same keys and limit is then answered from them, unless the
 * transaction has since written one of its keys or one of the persons found (it then reads for itself), until
 * the transaction ends or a statement that writes the persons, their keys, identifiers, seals or merges
 * otherwise. Answers are as the record's own read would give. Elsewhere (SQLite) nothing is read ahead. */
int store_block_candidates_ahead(store_conn *c, const char *const *keys_json, int n, int limit);
/* Whether store_block_candidates_ahead would read now (else the caller need not make the keys) */
bool store_block_candidates_read_ahead(store_conn *c);

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
/* Open tasks, oldest first, up to limit; none about a sealed person, nor about one the view does not know
 * (VIEW_PERSON; the view is asked for nothing else). */
int store_link_reviews_open(store_conn *c, const struct store_view *view, int limit, store_link_review_fn fn,
			    void *ctx);
/* Every task, decided or not (open_only: the open ones), oldest first, of one person as the record's or the
 * candidate's (person_id 0: anyone's); sealed persons included: the caller decides who is shown. */
int store_link_reviews(store_conn *c, int64_t person_id, bool open_only, store_link_review_fn fn, void *ctx);
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
/* Review tasks ever queued, and records ever received with a subject, counted now over every payload: what
 * `link train` and the nightly sweep's growth check count, never a page (it grows with the store). */
int store_link_review_counts(store_conn *c, int64_t *reviews, int64_t *records);
/* The same counts as last written (link_counts, migration 31: one row) and when (the injected clock's time):
 * by the migration, then by `link train` and the nightly sweep (linktrain.h). What the /link-reviews page and
 * `link model` show: constant time, as of counted_at, not live. A missing row is STORE_EIO, never 0 of 0. */
struct store_link_counts {
	int64_t reviews, records;
	char counted_at[STORE_TS_LEN + 1];
};
int store_link_counts_get(store_conn *c, struct store_link_counts *out);
/* Writes them as counted at counted_at (epoch seconds: the instant the counting snapshot was taken, not the write's),
 * in the caller's transaction. A count older than the one held does not replace it: STORE_OK, the newer count
 * stands. STORE_EIO when the row is missing. */
int store_link_counts_set(store_conn *c, int64_t reviews, int64_t records, int64_t counted_at);

/* How many rows each of the area's tables holds (safeguard stats), by table name; no personal data. A count
 * over every row of each: an operator's question, not a page's. */
typedef int (*store_table_count_fn)(const char *table, int64_t rows, void *ctx);
int store_table_counts(store_conn *c, store_table_count_fn fn, void *ctx);

/* The schema's indexes as the engine holds them (safeguard indexes), by name: each index (SQLite's own for a key
 * or UNIQUE with definition ""; PostgreSQL's behind a constraint too) and, on PostgreSQL, each foreign key
 * (kind "foreign_key", the constraint's definition), built; and each one a bulk load that stopped held back
 * (bulk_held_index: held true, the statement that builds it again, which `migrate` and the next load run). */
struct store_index {
	char name[128], table[64];
	char kind[16]; /* "index" or "foreign_key" */
	bool held;
	char definition[1024];
};
typedef int (*store_index_fn)(const struct store_index *ix, void *ctx);
int store_schema_indexes(store_conn *c, store_index_fn fn, void *ctx);

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
/* Puts back exactly the rows the merge moved and marks it undone. Decides nothing: whether it may be undone
 * (no later merge standing) is the service's rule (linkreview_unmerge_check). *done false, nothing written,
 * when there is no such merge or it was undone before. */
int store_person_unmerge(store_conn *c, int64_t merge_id, const char *by, const char *reason, bool *done);

#endif
