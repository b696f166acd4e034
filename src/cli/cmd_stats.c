/* stats: how many rows each of the area's tables holds, as TSV or JSON lines. An operator checks what a load
 * brought and how the area grows; the tests check what a request wrote (or did not) through it rather than
 * through SQL, so that they hold on every backend (issue 17). Counts name no one: nothing here is audited. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "service/oplists.h"

#define CMD "safeguard stats"

static void usage(FILE *f)
{
	fprintf(f, "usage: safeguard stats --db URL [--table T]... [--json]\n\n"
		   "Prints how many rows each of the area's tables holds, by table name: one line each, tab-separated,\n"
		   "after a header line (table, rows), or with --json one JSON object a line ({\"table\", \"rows\"}).\n"
		   "--table keeps that table (repeatable); a name that is no table exits 2 naming it, as do the one-row\n"
		   "tables (auth_generation, link_counts), which are not counted. Every row of each table is counted:\n"
		   "seconds on a large area.\n");
}

#define MAX_TABLES 16

struct listing {
	const char *only[MAX_TABLES];
	bool seen[MAX_TABLES];
	int nonly;
	bool json, failed, unknown;
};

static int print_count(const char *table, int64_t rows, void *ctx)
{
	struct listing *l = ctx;
	if (l->nonly) {
		int i = 0;
		while (i < l->nonly && strcmp(l->only[i], table) != 0)
			i++;
		if (i == l->nonly)
			return 0;
		l->seen[i] = true;
	}
	if (l->json) {
		if (!cli_list_json(json_pack("{ss sI}", "table", table, "rows", (json_int_t)rows))) {
			l->failed = true;
			return 1;
		}
		return 0;
	}
	cli_list_field(table);
	printf("\t%lld\n", (long long)rows);
	return 0;
}

static int list(store *st, void *ctx)
{
	struct listing *l = ctx;
	int rc = oplists_table_counts(st, print_count, ctx);
	for (int i = 0; rc == STORE_OK && !l->failed && i < l->nonly; i++)
		if (!l->seen[i]) {
			/* the one-row tables: their one row is not a count of anything (S_TABLE_COUNTS leaves them out) */
			bool one_row = strcmp(l->only[i], "auth_generation") == 0 || strcmp(l->only[i], "link_counts") == 0;
			fprintf(stderr, "%s: --table %s: %s\n", CMD, l->only[i],
				one_row ? "a one-row table, not counted (link_counts: see `safeguard link model`)"
					: "no such table");
			l->unknown = true;
		}
	return rc;
}

int cmd_stats(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
					     {"table", required_argument, NULL, 't'},
					     {"json", no_argument, NULL, 'j'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	const char *db = NULL;
	struct listing l = {0};
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 't':
			if (l.nonly == MAX_TABLES) {
				fprintf(stderr, "%s: --table: at most %d\n", CMD, MAX_TABLES);
				return 2;
			}
			l.only[l.nonly++] = optarg;
			break;
		case 'j': l.json = true; break;
		case 'h': usage(stdout); return 0;
		default: return cli_list_misuse(CMD, c, argv, usage);
		}
	}
	if (cli_list_args_done(CMD, argc, argv, db) != 0)
		return 2;
	int rc = cli_list_run(CMD, db, l.json ? NULL : "table\trows", "the tables' counts", list, &l, &l.failed);
	return rc == 0 && l.unknown ? 2 : rc;
}
