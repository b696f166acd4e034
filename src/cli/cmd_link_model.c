/* link model: the record linkage model intake scores with, for the operator and the auditor (issue 17): which
 * model (0: the built-in settings, never learnt from this service's records), when and how it was trained, on how
 * many records and pairs, how it scored the reviewers' decided pairs (and so its precision and recall at its link
 * threshold), its two thresholds and its prior (lambda); and the review tasks and records received as of the last
 * count (counted_at: `link train` or the nightly sweep). One
 * line, tab-separated after a header, or one JSON object with --json. The same figures the link review page shows
 * team managers (service/linktrain.h, linktrain_model_figures; the page's linktrain_quality never parses the
 * stored model, which only this does, for the prior). With no trained model, the built-in settings' thresholds
 * and prior, those intake scores with. It names no child, so it is not audited; the model's
 * other parameters (the area's name frequencies among them) are not printed. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "service/linktrain.h"

#define CMD "safeguard link model"
#define HEADER                                                                                                  \
	"id\ttrained_at\thow\trecords\tpairs\trandom_pairs\treviewed\treviewed_same\tlinked\tlinked_same\t"      \
	"link_threshold\treview_threshold\tlambda\tprecision\trecall\treview_tasks\trecords_received\tcounted_at"

static void usage(FILE *f)
{
	fprintf(f, "usage: safeguard link model --db URL [--json]\n"
		   "\n"
		   "Prints the record linkage model intake scores with, one line tab-separated after a header line (id,\n"
		   "trained_at, how, records, pairs, random_pairs, reviewed, reviewed_same, linked, linked_same,\n"
		   "link_threshold, review_threshold, lambda, precision, recall, review_tasks, records_received,\n"
		   "counted_at), or with\n"
		   "--json one JSON object. id 0 is the built-in settings intake scores with until a model is trained\n"
		   "(never learnt from this service's records): how is built-in, the training figures are 0, precision\n"
		   "and recall -1, and link_threshold, review_threshold and lambda are the built-in ones intake uses (a\n"
		   "server started with --linkage-model scores with that file's instead). Otherwise how is command\n"
		   "(safeguard link train --db) or nightly; reviewed counts the reviewers' decided pairs it scored,\n"
		   "linked those it links, and *_same those decided \"same\"; precision and recall are -1 when undefined.\n"
		   "review_tasks and records_received count every review task and record with a subject as of\n"
		   "counted_at: the last `safeguard link train` or nightly sweep (not live). Names no child: not\n"
		   "audited. The model's other parameters are not printed.\n");
}

struct model_args {
	struct linktrain_quality q;
	double lambda;
	bool json, failed;
};

static int show(store *st, void *ctx)
{
	struct model_args *a = ctx;
	int rc = linktrain_model_figures(st, &a->q, &a->lambda);
	if (rc != STORE_OK)
		return rc;
	const struct store_link_model *m = &a->q.model;
	if (a->json) {
		json_t *o = json_pack("{sI ss ss sI sI sI sI sI sI sI sf sf sf sf sf sI sI ss}", "id", (json_int_t)m->id,
				      "trained_at", m->trained_at, "how", a->q.trained ? m->how : "built-in", "records",
				      (json_int_t)m->records, "pairs", (json_int_t)m->pairs, "random_pairs",
				      (json_int_t)m->random_pairs, "reviewed", (json_int_t)m->reviewed, "reviewed_same",
				      (json_int_t)m->reviewed_same, "linked", (json_int_t)m->linked, "linked_same",
				      (json_int_t)m->linked_same, "link_threshold", m->link_threshold, "review_threshold",
				      m->review_threshold, "lambda", a->lambda,
				      "precision", a->q.precision, "recall", a->q.recall, "review_tasks",
				      (json_int_t)a->q.review_tasks, "records_received", (json_int_t)a->q.records,
				      "counted_at", a->q.counted_at);
		if (!cli_list_json(o))
			a->failed = true; /* told and exit 1, as the other listings do */
		return 0;
	}
	printf("%lld", (long long)m->id);
	const char *f[] = {m->trained_at, a->q.trained ? m->how : "built-in"};
	cli_list_fields(f, sizeof f / sizeof *f);
	printf("\t%lld\t%lld\t%lld\t%lld\t%lld\t%lld\t%lld\t%.17g\t%.17g\t%.17g\t%.17g\t%.17g\t%lld\t%lld",
	       (long long)m->records, (long long)m->pairs, (long long)m->random_pairs, (long long)m->reviewed,
	       (long long)m->reviewed_same, (long long)m->linked, (long long)m->linked_same,
	       m->link_threshold, m->review_threshold, a->lambda,
	       a->q.precision, a->q.recall, (long long)a->q.review_tasks, (long long)a->q.records);
	const char *k[] = {a->q.counted_at};
	cli_list_fields(k, 1);
	printf("\n");
	return 0;
}

int cli_link_model(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
					     {"json", no_argument, NULL, 'j'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	struct model_args a;
	const char *db = NULL;
	int c;
	memset(&a, 0, sizeof a);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'j': a.json = true; break;
		case 'h': usage(stdout); return 0;
		default: return cli_list_misuse(CMD, c, argv, usage);
		}
	}
	int done = cli_list_args_done(CMD, argc, argv, db);
	if (done != 0)
		return done;
	return cli_list_run(CMD, db, a.json ? NULL : HEADER, "the linkage model", show, &a, &a.failed);
}
