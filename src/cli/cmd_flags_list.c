/* flags lookups: a child's unscheduled-care flag look-ups for the operator (an auditor asking who looked the child up,
 * from where), newest first, as TSV or JSON lines (service/oplists.h). The API shows a clinician the newest 25; this
 * shows them all, and the tests check that each look-up was kept through it rather than through SQL, so that they
 * hold on every backend (issue 17). Audited (flags.list, the child) before it is read; none for a sealed child. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "service/oplists.h"

#define CMD "safeguard flags lookups"
#define HEADER "child\tat\tactor\torganisation\tsetting"

static void usage(FILE *f)
{
	fprintf(f, "usage: safeguard flags lookups --db URL --child ID [--limit N] [--json]\n\n"
		   "Prints a child's unscheduled-care flag look-ups (GET /api/v1/flags), newest first: one line each,\n"
		   "tab-separated, after a header line (child, at, actor, organisation, setting), or with --json one\n"
		   "JSON object a line. --limit the first N (default 0: all; the API shows the newest 25). None for a\n"
		   "sealed child. The list is audited (flags.list, with the child) before it is read.\n");
}

static int print_lookup(const struct store_flag_access *a, void *ctx)
{
	struct cli_child_args *l = ctx;
	if (l->json) {
		json_t *o = json_pack("{sI ss ss ss ss}", "child", (json_int_t)a->person_id, "at", a->at, "actor", a->actor,
				      "organisation", a->organisation, "setting", a->setting);
		if (!cli_list_json(o)) {
			l->failed = true;
			return 1;
		}
		return 0;
	}
	printf("%lld", (long long)a->person_id);
	const char *f[] = {a->at, a->actor, a->organisation, a->setting};
	cli_list_fields(f, sizeof f / sizeof *f);
	putchar('\n');
	return 0;
}

static int list(store *st, void *ctx)
{
	struct cli_child_args *l = ctx;
	return oplists_flag_lookups(st, l->child, l->limit, print_lookup, l);
}

static int lookups(int argc, char **argv)
{
	struct cli_child_args l = {0};
	int rc = cli_list_child_args(CMD, argc, argv, CLI_ARGS_LIMIT, usage, &l);
	if (rc >= 0)
		return rc;
	if (l.child == 0) {
		fprintf(stderr, "%s: --child is required (whose look-ups)\n", CMD);
		return 2;
	}
	return cli_list_run(CMD, l.db, l.json ? NULL : HEADER, "the flag look-ups", list, &l, &l.failed);
}

int cmd_flags(int argc, char **argv)
{
	return cli_one_subcommand(argc, argv, "lookups", lookups, usage);
}
