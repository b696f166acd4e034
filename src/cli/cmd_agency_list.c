/* agency list: the agencies, by code, with their names, as TSV or JSON lines (service/oplists.h). The codes are
 * what `user add --agency`, `token create --agency` and the event's `agency` take; the names are what a clinician's
 * flag look-up and the pages show. Reference data naming no one: not audited. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "service/oplists.h"

#define CMD "safeguard agency list"

static void usage(FILE *f)
{
	fprintf(f, "usage: safeguard agency list --db URL [--code C] [--json]\n\n"
		   "Prints every agency, by code: one line each, tab-separated, after a header line (code, name), or\n"
		   "with --json one JSON object a line. --code keeps that agency only.\n");
}

struct listing {
	const char *code;
	bool json, failed;
};

static int print_agency(const struct store_agency *a, void *ctx)
{
	struct listing *l = ctx;
	if (l->code && strcmp(l->code, a->code) != 0)
		return 0;
	if (l->json) {
		json_t *o = json_pack("{ss ss}", "code", a->code, "name", a->name);
		if (!cli_list_json(o)) {
			l->failed = true;
			return 1;
		}
		return 0;
	}
	cli_list_field(a->code);
	putchar('\t');
	cli_list_field(a->name);
	putchar('\n');
	return 0;
}

static int list(store *st, void *ctx)
{
	return oplists_agencies(st, print_agency, ctx);
}

static int agency_list(int argc, char **argv)
{
	struct listing l = {0};
	const struct cli_list_opt own[] = {{.name = "code", .text = &l.code}};
	struct cli_list_common a = {0};
	int rc = cli_list_args(CMD, argc, argv, own, 1, 0, usage, &a);
	if (rc >= 0)
		return rc;
	l.json = a.json;
	return cli_list_run(CMD, a.db, a.json ? NULL : "code\tname", "the agencies", list, &l, &l.failed);
}

int cmd_agency(int argc, char **argv)
{
	return cli_one_subcommand(argc, argv, "list", agency_list, usage);
}
