/* seal list: the sealed records for the operator and the data protection officer, newest sealed first, as TSV or
 * JSON lines (service/oplists.h): which child (by id), on what basis, when and by whom. What `safeguard seal` wrote
 * can be read back without SQL, on every backend (issue 17). Audited (seals.list) before it is read; nothing about
 * the child but its id. */
#include <jansson.h>
#include <stdio.h>

#include "cli/cli.h"
#include "service/oplists.h"

#define CMD "safeguard seal list"
#define HEADER "child\tbasis\tsealed_at\tsealed_by"

static void usage(FILE *f)
{
	fprintf(f, "usage: safeguard seal list --db URL [--child ID] [--limit N] [--json]\n\n"
		   "Prints the sealed records, newest sealed first: one line each, tab-separated, after a header line\n"
		   "(child, basis, sealed_at, sealed_by), or with --json one JSON object a line. --child keeps that\n"
		   "record (nothing when it is not sealed); --limit the first N (default 0: all). The child by id only.\n"
		   "The list is audited (seals.list) before it is read.\n");
}

static int print_seal(const struct store_seal_row *r, void *ctx)
{
	struct cli_child_args *l = ctx;
	if (l->json) {
		json_t *o = json_pack("{sI ss ss ss}", "child", (json_int_t)r->person_id, "basis", r->basis, "sealed_at",
				      r->sealed_at, "sealed_by", r->sealed_by);
		if (!cli_list_json(o)) {
			l->failed = true;
			return 1;
		}
		return 0;
	}
	printf("%lld", (long long)r->person_id);
	const char *f[] = {r->basis, r->sealed_at, r->sealed_by};
	cli_list_fields(f, sizeof f / sizeof *f);
	putchar('\n');
	return 0;
}

static int list(store *st, void *ctx)
{
	struct cli_child_args *l = ctx;
	return oplists_seals(st, l->child, l->limit, print_seal, l);
}

int cli_seal_list(int argc, char **argv)
{
	struct cli_child_args l = {0};
	int rc = cli_list_child_args(CMD, argc, argv, CLI_ARGS_LIMIT, usage, &l);
	if (rc >= 0)
		return rc;
	return cli_list_run(CMD, l.db, l.json ? NULL : HEADER, "the sealed records", list, &l, &l.failed);
}
