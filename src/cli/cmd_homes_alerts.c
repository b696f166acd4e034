/* homes alerts: the alerts about children's homes, newest first, as TSV or JSON lines (for the operator, and for
 * the tests, which check what the monitor raised and what the analyst did through it rather than through SQL). A
 * home's alert names no child: nothing here is audited (service/homes.h homes_alerts_list). --kind and --home
 * only pick rows. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "service/homes.h"

#define CMD "safeguard homes alerts"
#define HEADER                                                                                                   \
	"id\thome_id\thome_name\tkind\tmonth\treason\towner\tstate\tcreated_at\tacknowledged_at\tacknowledged_by\t" \
	"resolved_at\tresolved_by\toutcome\tescalated_at\tescalated_to"

static void usage(FILE *f)
{
	fprintf(f, "usage: safeguard homes alerts --db URL [--open] [--kind signal|reg44] [--home ID] [--json]\n\n"
		   "Prints the alerts about children's homes, newest first: one line each, tab-separated, after a header\n"
		   "line (" HEADER ")\nwith empty fields for what has not happened, or with --json one JSON object a "
		   "line. --open keeps\nthe open and acknowledged ones, --kind those of that kind, --home that home's. "
		   "Tabs, newlines and\nbackslashes in a field are written \\t, \\n and \\\\.\n");
}

struct listing {
	const char *kind;
	int64_t home;
	bool open_only, json, failed;
};

static int print_alert(const struct store_home_alert *a, void *ctx)
{
	struct listing *l = ctx;
	if ((l->kind && strcmp(l->kind, a->kind) != 0) || (l->home && l->home != a->home_id))
		return 0;
	if (l->json) {
		json_t *o = json_pack("{sI sI ss ss ss ss ss ss ss ss ss ss ss ss ss ss}", "id", (json_int_t)a->id, "home_id",
				      (json_int_t)a->home_id, "home_name", a->home_name, "kind", a->kind, "month", a->month,
				      "reason", a->reason, "owner", a->owner, "state", a->state, "created_at", a->created_at,
				      "acknowledged_at", a->acknowledged_at, "acknowledged_by", a->acknowledged_by,
				      "resolved_at", a->resolved_at, "resolved_by", a->resolved_by, "outcome", a->outcome,
				      "escalated_at", a->escalated_at, "escalated_to", a->escalated_to);
		if (!cli_list_json(o)) {
			l->failed = true;
			return 1;
		}
		return 0;
	}
	printf("%lld\t%lld", (long long)a->id, (long long)a->home_id);
	const char *f[] = {a->home_name, a->kind, a->month, a->reason, a->owner, a->state, a->created_at,
			   a->acknowledged_at, a->acknowledged_by, a->resolved_at, a->resolved_by, a->outcome,
			   a->escalated_at, a->escalated_to};
	cli_list_fields(f, sizeof f / sizeof *f);
	putchar('\n');
	return 0;
}

static int list(store *st, void *ctx)
{
	struct listing *l = ctx;
	return homes_alerts_list(st, l->open_only, print_alert, l);
}

int cli_homes_alerts(int argc, char **argv)
{
	static const char *const kinds[] = {"signal", "reg44", NULL};
	struct listing l = {0};
	const struct cli_list_opt own[] = {{.name = "open", .flag = &l.open_only},
					   {.name = "kind", .text = &l.kind, .one_of = kinds},
					   {.name = "home", .id = &l.home, .what = "a home's"}};
	struct cli_list_common a = {0};
	int rc = cli_list_args(CMD, argc, argv, own, 3, 0, usage, &a);
	if (rc >= 0)
		return rc;
	l.json = a.json;
	return cli_list_run(CMD, a.db, a.json ? NULL : HEADER, "the homes' alerts", list, &l, &l.failed);
}
