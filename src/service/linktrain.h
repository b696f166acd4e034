/*
 * service/linktrain.h — the service learns its record-linkage model from its own store (issue 16).
 *
 * Intake scored every record with hand-set m and u (service/identity.c's built-in model). linktrain_run
 * re-estimates the model from the records the agencies have sent (each source record's subject as sent):
 * u from random pairs, m and the prior by EM on the batch core's candidate pairs, name frequencies
 * (linkage/linkage.h, the same training as `safeguard link dedupe`). It then checks the new model on the
 * pairs reviewers decided ("same" and "different" are labelled pairs: precision and recall at the link
 * threshold) and corrects it: when the reviewers' "different" pairs would be linked at the usual threshold
 * (IDENTITY_UPPER) so often that precision on reviewed pairs falls under LINKTRAIN_PRECISION, the link
 * threshold is raised to the lowest that holds it (never lowered: a pair below stays a person's question).
 * The model and its figures are stored (link_model, schema 18); intake uses the latest from its next record
 * on (linktrain_refresh), unless `serve --linkage-model FILE` gave one.
 *
 * Who trains: `safeguard link train --db URL` on demand, and the server's nightly sweep when the store holds
 * at least LINKTRAIN_MIN_RECORDS records and LINKTRAIN_NIGHTLY_GROWTH more than the last model saw (so a
 * quiet night keeps the model people have seen measured). Both count the review tasks and the records received
 * over the store and write the counts (link_counts, with the time) in a transaction of their own: what the
 * page and `link model` show, as of then. A count that cannot be written is a warning (counts_rc), not a failure:
 * the model trained from the same walk is stored and installed all the same.
 */
#ifndef SAFEGUARD_SERVICE_LINKTRAIN_H
#define SAFEGUARD_SERVICE_LINKTRAIN_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

#define LINKTRAIN_MIN_RECORDS 200     /* fewer cannot estimate m per level: the built-in model stays */
#define LINKTRAIN_PRECISION 0.995     /* precision on reviewed pairs the correction holds (issue 16's bar) */
#define LINKTRAIN_NIGHTLY_GROWTH 0.05 /* the nightly sweep retrains when records grew by 5% since the model */

enum {
	LINKTRAIN_ETOO_FEW = -200, /* fewer than LINKTRAIN_MIN_RECORDS records with a subject */
	LINKTRAIN_ENOMEM = -201,
};

struct linktrain_report {
	struct store_link_model model; /* the stored row (params NULL): counts, thresholds, id */
	double fitted_link_threshold;  /* before the correction */
	double precision, recall;      /* on reviewed pairs at the stored threshold; -1 when undefined */
	int64_t review_tasks, records; /* the queue so far: tasks ever queued, records ever received */
	double lambda;                 /* the fitted prior (per candidate pair) */
	unsigned em_iterations;
	unsigned agencies_own_m;       /* agencies scored with m of their own (enough of their records) */
	size_t labelled;               /* reviewed pairs that entered the EM as fixed responsibilities */
	/* STORE_OK, or the store's error from writing the counts (link_counts) of this walk: the page and `link
	 * model` then show the last count written. The model is trained and kept all the same (review33 F4): the
	 * model is what intake scores with, the counts a manager's display; callers print it as a warning. */
	int counts_rc;
};

/* Trains, checks, corrects, stores and installs a model. how: "command" or "nightly". threads: the core's
 * (0: 1). 0, LINKTRAIN_ETOO_FEW (out->records says how many), LINKTRAIN_ENOMEM or a STORE_E*. */
int linktrain_run(store *st, const char *how, unsigned threads, struct linktrain_report *out);

/* The nightly sweep's choice: trains when the store has enough records and has grown since the last model
 * (*trained says whether it did). */
int linktrain_nightly(store *st, unsigned threads, bool *trained, struct linktrain_report *out);

/* Installs the store's latest model into intake when it is newer than the one in use (inside the caller's
 * transaction; a cheap id check when nothing changed). A model that cannot be read keeps the one in use. */
int linktrain_refresh(store_conn *c);
/* The same at the server's start (so that searches score with it before the first record arrives). */
int linktrain_load(store *st);

/* What the link review page shows managers about the model in use. */
struct linktrain_quality {
	bool trained;                  /* false: the built-in model (model is zero) */
	struct store_link_model model; /* params NULL */
	double precision, recall;      /* -1 when undefined */
	/* As of counted_at (link_counts: the last `link train` or nightly sweep, or the migration), not live: a
	 * manager's daily figure; a live count cost every intake record a statement (docs/LINKAGE.md). */
	int64_t review_tasks, records;
	char counted_at[STORE_TS_LEN + 1];
};
/* The page's figures: never parses the stored model's params (the name-frequency tables). */
int linktrain_quality(store *st, struct linktrain_quality *q);
/* The same for `safeguard link model`, with the model's prior (lambda: the probability that a candidate pair
 * is a match), which only this parses the stored params for; -1 when a stored model has none. With no trained
 * model, the built-in settings intake scores with: their thresholds in q->model and their lambda (q->trained
 * false, the training figures 0). */
int linktrain_model_figures(store *st, struct linktrain_quality *q, double *lambda);
/* Whether a role sees the model's measured quality (the managers of the review queue). */
bool linktrain_quality_shown_to(const char *role);

/* The model as stored (JSON text; the caller frees) and back (0, or -1 for text that is not a model). */
struct linkage_model;
struct linkage_tf;
char *linktrain_model_text(const struct linkage_model *m, const struct linkage_tf *tf);
int linktrain_model_parse(const char *text, struct linkage_model *m, struct linkage_tf **tf);

#endif
