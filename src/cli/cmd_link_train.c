/*
 * cli/cmd_link_train.c — `safeguard link train --db URL`: the service re-estimates its record-linkage model
 * from its own store, checks it on the pairs reviewers decided, stores it and intake uses it from its next
 * record (service/linktrain.h). The file form (`link train --in RECORDS.csv --model FILE`) is cmd_link.c's.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "service/linktrain.h"

int cmd_link_train_db(int argc, char **argv);

static void per_cent(double x, char *out, size_t outsz)
{
	if (x < 0)
		snprintf(out, outsz, "n/a");
	else
		snprintf(out, outsz, "%.4f", x);
}

int cmd_link_train_db(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
					     {"threads", required_argument, NULL, 't'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	const char *db = NULL;
	unsigned threads = 2;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 't': {
			char *end = NULL;
			long v = strtol(optarg, &end, 10);
			if (!*optarg || *end || v < 1 || v > 64) {
				fprintf(stderr, "safeguard link train: --threads must be 1 to 64\n");
				return 2;
			}
			threads = (unsigned)v;
			break;
		}
		case 'h':
			printf("usage: safeguard link train --db URL [--threads N]\n\n"
			       "Re-estimates the service's record-linkage model from the records agencies have sent (u from\n"
			       "random pairs, m by EM, name frequencies), checks it on the pairs reviewers decided (precision\n"
			       "and recall at the link threshold, raised when \"different\" pairs would be linked), stores it,\n"
			       "and intake uses it from its next record (docs/LINKAGE.md, \"The service learns\"). Needs at\n"
			       "least %d records. The nightly sweep retrains on its own when records grew by %.0f%%.\n",
			       LINKTRAIN_MIN_RECORDS, LINKTRAIN_NIGHTLY_GROWTH * 100);
			return 0;
		default: return 2;
		}
	}
	if (optind < argc || !db) {
		fprintf(stderr, "safeguard link train: %s\n", db ? "unexpected argument" : "--db is required");
		return 2;
	}
	store *st = cli_open_store(db, false);
	if (!st)
		return 1;
	struct linktrain_report r;
	int rc = linktrain_run(st, "command", threads, &r);
	store_close(st);
	/* The counts are written before training (also when there are too few records to train on): a failure to
	 * write them is said whatever the training's outcome. */
	if (r.counts_rc != STORE_OK)
		fprintf(stderr, "safeguard link train: warning: the review page's counts were not written (error %d); the "
				"page and `link model` show the last count until the next training or nightly sweep\n",
			r.counts_rc);
	if (rc == LINKTRAIN_ETOO_FEW) {
		fprintf(stderr, "safeguard link train: %lld records with a subject; at least %d are needed (the built-in "
				"model stays in use)\n", (long long)r.model.records, LINKTRAIN_MIN_RECORDS);
		return 1;
	}
	if (rc != 0) {
		fprintf(stderr, "safeguard link train: failed (error %d); the model in use is unchanged\n", rc);
		return 1;
	}
	char p[16], rec[16];
	per_cent(r.precision, p, sizeof p);
	per_cent(r.recall, rec, sizeof rec);
	printf("model %lld trained on %lld records, %lld candidate pairs (EM, %u iterations, prior %.3g), %lld random "
	       "pairs for u\n",
	       (long long)r.model.id, (long long)r.model.records, (long long)r.model.pairs, r.em_iterations, r.lambda,
	       (long long)r.model.random_pairs);
	printf("reviewed pairs: %lld (%lld decided same); the model links %lld of them, %lld same: precision %s, "
	       "recall %s\n",
	       (long long)r.model.reviewed, (long long)r.model.reviewed_same, (long long)r.model.linked,
	       (long long)r.model.linked_same, p, rec);
	printf("in the EM: %zu reviewed pairs as labelled pairs; m of their own for %u agencies (the rest: pooled m)\n",
	       r.labelled, r.agencies_own_m);
	printf("thresholds: link %.6g%s, review %.6g\n", r.model.link_threshold,
	       r.model.link_threshold > r.fitted_link_threshold ? " (raised by reviewers' decisions)" : "",
	       r.model.review_threshold);
	printf("review tasks so far: %lld for %lld records, %.1f per 1,000 incoming records\n", (long long)r.review_tasks,
	       (long long)r.records, r.records ? 1000.0 * (double)r.review_tasks / (double)r.records : 0.0);
	return 0;
}
