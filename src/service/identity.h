/*
 * service/identity.h — who is this record about? Scores an agency record against the persons the store's
 * blocking index offers and decides: link, review, or a new person (../shared/design/LINKAGE.md).
 *
 * 1. Blocking: identity_block_keys() turns a subject into cheap keys ("nhs:...", "upn:...",
 *    "fdm:<family phonetic>|<birth year-month>", "fgi:<family phonetic>|<birth year>|<given initial>",
 *    "gdob:<given initial>|<dob>", "pc:<postcode>|<given initial>");
 *    every person holds the keys of each record it gained (store_block_keys_add). The candidates are the
 *    persons sharing any key, never a sealed person (for anyone: intake links no record across a seal,
 *    whoever sends it) and never one merged into another.
 * 2. Scoring: identity_score() is the ONE function that weighs a subject against a candidate: the match
 *    weight (log2 of the likelihood ratio, prior included), the probability, and each field's level and
 *    contribution, from the linkage core (linkage_prepare, linkage_score) with the service's model: a trained
 *    model given at start (identity_use_model), else built-in parameters (identity.c).
 * 3. Deciding, with two thresholds: the best candidate at or above IDENTITY_UPPER is linked, unless the core
 *    says the two cannot be linked (both NHS numbers valid and different, twins...: linkage_cannot_link),
 *    which makes it a review; between
 *    IDENTITY_LOWER and IDENTITY_UPPER the record gets a new person and a review task (a person decides,
 *    service/linkreview.h); below IDENTITY_LOWER a new person, except that a candidate sharing a validated
 *    identifier (NHS number, UPN) always gets a review (a number that belongs to another child is the error
 *    a person must see). After a link, the next candidate that is at or above IDENTITY_LOWER gets a review
 *    (two persons that may be one child), unless the two were refused ("different") or already reviewed.
 */
#ifndef SAFEGUARD_SERVICE_IDENTITY_H
#define SAFEGUARD_SERVICE_IDENTITY_H

#include "store/store.h"

/* A subject as intake validated it: normalised identifiers, ISO date, trimmed names. */
struct identity_subject {
	char given_name[STORE_NAME_BYTES];
	char middle_names[STORE_NAME_BYTES];
	char family_name[STORE_NAME_BYTES];
	char dob[11];
	char sex[2];
	char postcode[9];
	char address[STORE_ADDR_BYTES];
	char nhs_number[11];
	char upn[14];
	char communication_needs[STORE_ATTR_BYTES];
	char disability[STORE_ATTR_BYTES];
	char ethnicity[STORE_NAME_BYTES];
	char first_language[STORE_NAME_BYTES];
	/* The agency that sent it ("" unknown): a trained model's m of that agency scores it, when the store
	 * held enough of its records (linkage_model.by_agency), else the pooled m. */
	char agency[STORE_CODE_MAX + 1];
};

/* Probability thresholds. */
#define IDENTITY_UPPER 0.99
#define IDENTITY_LOWER 0.25
#define IDENTITY_CANDIDATES_MAX 200 /* persons scored per record: the blocking keys are narrow */

/* ---- blocking ---- */

#define IDENTITY_KEYS_MAX 6
#define IDENTITY_KEY_BYTES (STORE_NAME_BYTES + 24)
/* The subject's keys; returns how many (a part missing leaves its key out). */
int identity_block_keys(const struct identity_subject *s, char keys[IDENTITY_KEYS_MAX][IDENTITY_KEY_BYTES]);

/* ---- scoring ---- */

/* A candidate's identifiers as the store holds them (a person may hold more than one of a kind). */
#define IDENTITY_IDS_MAX 8
struct identity_ids {
	int n_nhs, n_upn;
	char nhs[IDENTITY_IDS_MAX][11];
	char upn[IDENTITY_IDS_MAX][14];
};

#define IDENTITY_FIELDS 9 /* the core's fields (LF_NFIELD) */
struct identity_field {
	const char *field;   /* linkage_field_name: "given_name", "family_name", "middle_names", "dob", ... */
	const char *level;   /* linkage_level_name: "exact", "variant", "day_month_swapped", "missing", ... */
	double contribution; /* log2(m/u) of the level; 0 when either side is missing */
};
struct identity_score {
	double weight;      /* the prior plus every field's contribution */
	double probability; /* 2^w / (1 + 2^w) */
	double prior;       /* log2(lambda / (1 - lambda)) */
	const char *cannot_link; /* linkage_cannot_link's reason ("twins", "nhs_number", ...) or NULL */
	uint64_t gamma;          /* the comparison vector (linkage_gamma): training's labelled pairs */
	bool agency_m;           /* scored with the m of the subject's agency */
	bool distinct;           /* a hard reason and unrelated given names: two children, no review */
	int nfields;
	struct identity_field fields[IDENTITY_FIELDS];
};

/* Scores the subject against a candidate person and the identifiers it holds. 0, or negative on bad input
 * (NULL). No store, no allocation. */
int identity_score(const struct identity_subject *s, const struct store_person *candidate,
		   const struct identity_ids *ids, struct identity_score *out);

/* The model identity_score uses. identity_use_model replaces the built-in one with a trained model (and its
 * name frequencies, kept by the caller for as long as the process runs): call it once, at start, before any
 * thread scores. */
struct linkage_model;
struct linkage_tf;
void identity_use_model(const struct linkage_model *m, const struct linkage_tf *tf);
/* The built-in model, or the file's (not the trained one). */
const struct linkage_model *identity_model(void);
bool identity_model_from_file(void);
/* The service's trained model (service/linktrain.h): installed (owned from then on; both heap-allocated),
 * replacing the one in use while other threads may be scoring. Ignored when a file's model is in use. */
void identity_install_trained(int64_t id, struct linkage_model *m, struct linkage_tf *tf);
/* The id of the trained model in use, 0 when none. */
int64_t identity_trained_id(void);
/* The link and review thresholds of the model in use. */
void identity_thresholds(double *upper, double *lower);
/* identity_score with a given model (training checks a new model on reviewed pairs with it). */
int identity_score_with(const struct linkage_model *m, const struct linkage_tf *tf, const struct identity_subject *s,
			const struct store_person *candidate, const struct identity_ids *ids, struct identity_score *out);

/* ---- deciding ---- */

struct identity_match {
	int64_t person_id; /* the person the record belongs to (found or created) */
	double score;      /* the linked candidate's probability; 1.0 for a new person */
	const char *rule;  /* "score" (linked), "new", "review" (new person, task queued) (static strings) */
	/* The subject's blocking keys as the JSON array the store binds, made once by identity_resolve for its
	 * candidates and kept for identity_keys (owned by the match; NULL when the person was not resolved). */
	char *keys;
	/* A review task to queue once the source record exists (service/linkreview.h): candidate 0 for none. */
	int64_t review_candidate;
	struct identity_score review_score;
	struct store_person *review_person; /* the candidate as scored (owned by the match: identity_match_free) */
	struct identity_ids review_ids;
	/* The person's date of birth as their row holds it ("" for none), when known without reading the row
	 * again: read with the candidates, or written here (the rules' read of the child, issue 17). */
	bool dob_known;
	char dob[11];
};

/* Finds the person or creates one (inside the caller's transaction). A found person takes the subject's
 * non-empty attributes (communication needs, disability, ethnicity, language): the latest an agency sent. */
int identity_resolve(store_conn *c, const struct identity_subject *s, struct identity_match *m);

/* What identity_resolve makes from the subject alone, made ahead, outside any transaction (issue 17: on the
 * request's thread, so that the one writer does not): the blocking keys' JSON, the subject prepared for the
 * linkage core under the model in use then (used only while that model stays in use), the new person's
 * folded names and match key. NULL when out of memory: identity_resolve then makes them itself. */
struct identity_ready;
struct identity_ready *identity_ready_make(const struct identity_subject *s);
void identity_ready_free(struct identity_ready *r);
/* identity_resolve with what was made ahead for this same subject (r may be NULL); the outcome is the same. */
int identity_resolve_ready(store_conn *c, const struct identity_subject *s, const struct identity_ready *r,
			   struct identity_match *m);
/* The candidates of a batch's subjects read at once, before any of them is resolved (PostgreSQL: one statement
 * for the batch, not one a record; store_block_candidates_ahead says when a record's resolve still reads for
 * itself). Spares reads only: each identity_resolve decides as it would without it. */
int identity_resolve_ahead(store_conn *c, const struct identity_subject *const *s, int n);
/* Records searched (every identity_resolve that searched: new children and retried batches included),
 * candidates scored (each person the blocking index gave and intake scored) and records whose search reached
 * the limit and took the crowded second pass, since the process started (GET /metrics: the candidate
 * search's cost as the area grows, issue 17). */
void identity_resolve_counts(unsigned long long *records, unsigned long long *candidates,
			     unsigned long long *crowded);
void identity_match_free(struct identity_match *m);

/* The record's blocking keys, for writing with its source record (store_source_record.block_keys): m's where
 * resolve kept them, else made from s into *made, which the caller frees. NULL when out of memory. */
const char *identity_keys(const struct identity_subject *s, const struct identity_match *m, char **made);

/* The key that joined records on name and date of birth before scoring ("" when a part is missing): still
 * written on a new person's row (person.match_key) for the reports that read it. */
void identity_match_key(const struct identity_subject *s, char *out, size_t outsz);

#endif
