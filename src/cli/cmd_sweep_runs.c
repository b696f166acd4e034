/* sweep runs: the nights' sweeps for the operator, newest day first, as TSV or JSON lines (service/oplists.h):
 * which server ran each night's (one a night when several serve one database) and when it started. Names no one:
 * not audited. */
#include <jansson.h>
#include <stdio.h>

#include "cli/cli.h"
#include "service/oplists.h"

#define CMD "safeguard sweep runs"

static void usage(FILE *f)
{
	fprintf(f, "usage: safeguard sweep runs --db URL [--limit N] [--json]\n\n"
		   "Prints the nights' sweeps, newest day first: one line each, tab-separated, after a header line\n"
		   "(day, started_at, server: its host name and process id), or with --json one JSON object a line.\n"
		   "--limit the newest N (default 0: all). When several servers share one database, one of them runs a\n"
		   "night's sweep and the others skip it: this says which.\n");
}

struct listing {
	int limit;
	bool json, failed;
};

static int print_run(const struct store_sweep_run *r, void *ctx)
{
	struct listing *l = ctx;
	if (l->json) {
		json_t *o = json_pack("{ss ss ss}", "day", r->day, "started_at", r->started_at, "server", r->server);
		if (!cli_list_json(o)) {
			l->failed = true;
			return 1;
		}
		return 0;
	}
	cli_list_field(r->day);
	const char *f[] = {r->started_at, r->server};
	cli_list_fields(f, sizeof f / sizeof *f);
	putchar('\n');
	return 0;
}

static int list(store *st, void *ctx)
{
	struct listing *l = ctx;
	return oplists_sweep_runs(st, l->limit, print_run, l);
}

int cli_sweep_runs(int argc, char **argv)
{
	struct listing l = {0};
	struct cli_list_common a = {0};
	int rc = cli_list_args(CMD, argc, argv, NULL, 0, CLI_ARGS_LIMIT, usage, &a);
	if (rc >= 0)
		return rc;
	l.limit = a.limit;
	l.json = a.json;
	return cli_list_run(CMD, a.db, a.json ? NULL : "day\tstarted_at\tserver", "the sweeps", list, &l, &l.failed);
}
