/* link reviews: record linkage's review tasks for the operator, open and decided, oldest first, as TSV or JSON
 * lines (service/oplists.h): which record raised each, the two persons' ids, the probability, and what was decided,
 * by whom, with the merge it made. An operator sees how the queue stands through it, and the tests check what
 * intake queued and reviewers decided through it rather than through SQL, so that they hold on every backend
 * (issue 17). Audited (link_reviews.list) before it is read; the service leaves out a task that names a sealed
 * person, the names, the values compared and the reviewer's reason. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "service/oplists.h"

#define CMD "safeguard link reviews"
#define HEADER                                                                                                  \
	"id\trecord\tagency\tsource_ref\tperson\tcandidate\tprobability\tweight\tcreated_at\tdecided_at\t"      \
	"decided_by\tdecision\tmerge"

static void usage(FILE *f)
{
	fprintf(f, "usage: safeguard link reviews --db URL [--child ID] [--open] [--limit N] [--json]\n\n"
		   "Prints record linkage's review tasks, open and decided, oldest first: one line each, tab-separated,\n"
		   "after a header line (id, record, agency, source_ref, person, candidate, probability, weight,\n"
		   "created_at, decided_at, decided_by, decision, merge), or with --json one JSON object a line. person\n"
		   "is the child the record was given when the task was queued, candidate the child it may be; decision\n"
		   "is same, different or empty while open; merge the merge a \"same\" made (0: none). --child keeps the\n"
		   "tasks naming that child on either side; --open the undecided; --limit the first N (default 0: all).\n"
		   "No names, no values compared, no reviewer's reason; a task naming a sealed child is not listed. The\n"
		   "list is audited (link_reviews.list) before it is read.\n");
}

static int print_review(const struct store_link_review *r, void *ctx)
{
	struct cli_child_args *l = ctx;
	if (l->json) {
		json_t *o = json_pack("{sI sI ss ss sI sI sf sf ss ss ss ss sI}", "id", (json_int_t)r->id, "record",
				      (json_int_t)r->source_record_id, "agency", r->agency, "source_ref", r->source_ref,
				      "person", (json_int_t)r->person_id, "candidate", (json_int_t)r->candidate_id,
				      "probability", r->probability, "weight", r->weight, "created_at", r->created_at,
				      "decided_at", r->decided_at, "decided_by", r->decided_by, "decision", r->decision,
				      "merge", (json_int_t)r->merge_id);
		if (!cli_list_json(o)) {
			l->failed = true;
			return 1;
		}
		return 0;
	}
	printf("%lld\t%lld", (long long)r->id, (long long)r->source_record_id);
	const char *f[] = {r->agency, r->source_ref};
	cli_list_fields(f, sizeof f / sizeof *f);
	printf("\t%lld\t%lld\t%.17g\t%.17g", (long long)r->person_id, (long long)r->candidate_id, r->probability,
	       r->weight);
	const char *g[] = {r->created_at, r->decided_at, r->decided_by, r->decision};
	cli_list_fields(g, sizeof g / sizeof *g);
	printf("\t%lld\n", (long long)r->merge_id);
	return 0;
}

static int list(store *st, void *ctx)
{
	struct cli_child_args *l = ctx;
	return oplists_link_reviews(st, l->child, l->open_only, l->limit, print_review, l);
}

#define MERGES_CMD "safeguard link merges"
#define MERGES_HEADER "id\tkept\tmerged\tmerged_by\tmerged_at\tundone_by\tundone_at"

static void merges_usage(FILE *f)
{
	fprintf(f, "usage: safeguard link merges --db URL --child ID [--limit N] [--json]\n\n"
		   "Prints the merges a child was in (kept, or merged into another), newest first: one line each,\n"
		   "tab-separated, after a header line (id, kept, merged, merged_by, merged_at, undone_by, undone_at;\n"
		   "the last two empty while the merge stands), or with --json one JSON object a line. The id is what\n"
		   "the review page's undo acts on. --limit the first N (default 0: all). No reasons; a merge with a\n"
		   "sealed child is not listed. The list is audited (merges.list, with the child) before it is read.\n");
}

static int print_merge(const struct store_merge *m, void *ctx)
{
	struct cli_child_args *l = ctx;
	if (l->json) {
		json_t *o = json_pack("{sI sI sI ss ss ss ss}", "id", (json_int_t)m->id, "kept", (json_int_t)m->kept_id,
				      "merged", (json_int_t)m->merged_id, "merged_by", m->merged_by, "merged_at",
				      m->merged_at, "undone_by", m->undone_by, "undone_at", m->undone_at);
		if (!cli_list_json(o)) {
			l->failed = true;
			return 1;
		}
		return 0;
	}
	printf("%lld\t%lld\t%lld", (long long)m->id, (long long)m->kept_id, (long long)m->merged_id);
	const char *f[] = {m->merged_by, m->merged_at, m->undone_by, m->undone_at};
	cli_list_fields(f, sizeof f / sizeof *f);
	putchar('\n');
	return 0;
}

static int merges_list(store *st, void *ctx)
{
	struct cli_child_args *l = ctx;
	return oplists_merges(st, l->child, l->limit, print_merge, l);
}

int cli_link_merges(int argc, char **argv)
{
	struct cli_child_args l = {0};
	int rc = cli_list_child_args(MERGES_CMD, argc, argv, CLI_ARGS_LIMIT, merges_usage, &l);
	if (rc >= 0)
		return rc;
	if (l.child == 0) {
		fprintf(stderr, "%s: --child is required (whose merges)\n", MERGES_CMD);
		return 2;
	}
	return cli_list_run(MERGES_CMD, l.db, l.json ? NULL : MERGES_HEADER, "the merges", merges_list, &l, &l.failed);
}

int cli_link_reviews(int argc, char **argv)
{
	struct cli_child_args l = {0};
	int rc = cli_list_child_args(CMD, argc, argv, CLI_ARGS_LIMIT | CLI_ARGS_OPEN, usage, &l);
	if (rc >= 0)
		return rc;
	return cli_list_run(CMD, l.db, l.json ? NULL : HEADER, "the link review tasks", list, &l, &l.failed);
}
