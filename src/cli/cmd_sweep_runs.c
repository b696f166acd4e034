/* sweep runs: the nights' sweeps for the operator, newest day first, as TSV or JSON lines (service/oplists.h):
 * which server ran each night's (one a night when several serve one database) and when it started. Names no one:
 * not audited. */
#include <getopt.h>
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
	static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
					     {"limit", required_argument, NULL, 'n'},
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
		case 'n':
			if (!cli_list_limit(CMD, optarg, &l.limit))
				return 2;
			break;
		case 'j': l.json = true; break;
		case 'h': usage(stdout); return 0;
		default: return cli_list_misuse(CMD, c, argv, usage);
		}
	}
	if (cli_list_args_done(CMD, argc, argv, db) != 0)
		return 2;
	return cli_list_run(CMD, db, l.json ? NULL : "day\tstarted_at\tserver", "the sweeps", list, &l, &l.failed);
}
