/* team list: the teams, by code, as TSV or JSON lines (for the administrator, and for the tests, which check
 * which teams exist and who manages them through it rather than through SQL, so that they hold on every
 * backend). A team names no child: nothing here is audited. */
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "service/cases.h"

#define CMD "safeguard team list"

static void usage(FILE *f)
{
	fprintf(f, "usage: safeguard team list --db URL [--code C] [--json]\n\n"
		   "Prints every team, by code: one line each, tab-separated, after a header line (code, name,\n"
		   "manager; manager empty when the team has none), or with --json one JSON object a line, which\n"
		   "also gives the team's phone, out_of_hours_phone and email (\"\" when not recorded).\n"
		   "--code keeps that team only. Tabs, newlines and backslashes in a field are written \\t, \\n\n"
		   "and \\\\.\n");
}

struct listing {
	const char *code;
	bool json, failed;
};

static int print_team(const struct store_team_contact *tc, void *ctx)
{
	const struct store_team *t = &tc->team;
	struct listing *l = ctx;
	if (l->code && strcmp(l->code, t->code) != 0)
		return 0;
	if (l->json) {
		json_t *o = json_pack("{ss ss ss ss ss ss}", "code", t->code, "name", t->name, "manager", t->manager,
				      "phone", tc->phone, "out_of_hours_phone", tc->out_of_hours_phone, "email", tc->email);
		if (!cli_list_json(o)) {
			l->failed = true;
			return 1;
		}
		return 0;
	}
	cli_list_field(t->code);
	putchar('\t');
	cli_list_field(t->name);
	putchar('\t');
	cli_list_field(t->manager);
	putchar('\n');
	return 0;
}

static int list(store *st, void *ctx)
{
	return cases_team_contacts(st, INT_MAX, print_team, ctx);
}

int cli_team_list(int argc, char **argv)
{
	struct listing l = {0};
	const struct cli_list_opt own[] = {{.name = "code", .text = &l.code}};
	struct cli_list_common a = {0};
	int rc = cli_list_args(CMD, argc, argv, own, sizeof own / sizeof own[0], 0, usage, &a);
	if (rc >= 0)
		return rc;
	l.json = a.json;
	return cli_list_run(CMD, a.db, a.json ? NULL : "code\tname\tmanager", "the teams", list, &l, &l.failed);
}
