/* indexes: the schema's indexes (and, on PostgreSQL, foreign keys) as the engine holds them, and those a bulk load
 * that stopped held back, as TSV or JSON lines (service/oplists.h). After a killed `area-load` an operator sees
 * here what is missing until `migrate` (or the next load) builds it; the tests check that a load puts every index
 * back through it rather than through each engine's catalogue (issue 17). Names no one: not audited. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "service/oplists.h"

#define CMD "safeguard indexes"
#define HEADER "name\ttable\tkind\tstate\tdefinition"

static void usage(FILE *f)
{
	fprintf(f, "usage: safeguard indexes --db URL [--table T] [--held] [--json]\n\n"
		   "Prints the schema's indexes by name: one line each, tab-separated, after a header line (name,\n"
		   "table, kind: index, or on PostgreSQL foreign_key; state: built, or held when a bulk load that\n"
		   "stopped half-way dropped it and has not built it again; definition: the engine's, \"\" for SQLite's\n"
		   "own index behind a key), or with --json one JSON object a line. `safeguard migrate` and the next\n"
		   "`area-load` build what is held. --table keeps that table's, --held the held ones.\n");
}

struct listing {
	const char *table;
	bool held_only, json, failed;
};

static int print_index(const struct store_index *ix, void *ctx)
{
	struct listing *l = ctx;
	if ((l->table && strcmp(l->table, ix->table) != 0) || (l->held_only && !ix->held))
		return 0;
	const char *state = ix->held ? "held" : "built";
	if (l->json) {
		json_t *o = json_pack("{ss ss ss ss ss}", "name", ix->name, "table", ix->table, "kind", ix->kind, "state",
				      state, "definition", ix->definition);
		if (!cli_list_json(o)) {
			l->failed = true;
			return 1;
		}
		return 0;
	}
	cli_list_field(ix->name);
	const char *f[] = {ix->table, ix->kind, state, ix->definition};
	cli_list_fields(f, sizeof f / sizeof *f);
	putchar('\n');
	return 0;
}

static int list(store *st, void *ctx)
{
	return oplists_indexes(st, print_index, ctx);
}

int cmd_indexes(int argc, char **argv)
{
	struct listing l = {0};
	const struct cli_list_opt own[] = {{.name = "table", .text = &l.table}, {.name = "held", .flag = &l.held_only}};
	struct cli_list_common a = {0};
	int rc = cli_list_args(CMD, argc, argv, own, 2, 0, usage, &a);
	if (rc >= 0)
		return rc;
	l.json = a.json;
	return cli_list_run(CMD, a.db, a.json ? NULL : HEADER, "the indexes", list, &l, &l.failed);
}
