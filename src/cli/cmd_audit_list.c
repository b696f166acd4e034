/* audit list: the audit's entries, filtered, newest first, as TSV or JSON lines (for inspectors, and for
 * the tests, which check what was audited through it rather than through SQL). */
#include <ctype.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/date.h"
#include "service/audit.h"

#define CMD "safeguard audit list"

static void usage(FILE *f)
{
	fprintf(f, "usage: safeguard audit list --db URL [--action A] [--child N] [--object O] [--since WHEN]\n"
		   "                            [--limit N] [--json]\n\n"
		   "Prints the audit's entries, newest first: one line each, tab-separated, after a header line\n"
		   "(id, at, actor, action, child_id, object, detail; child_id 0 when the entry names no child), or\n"
		   "with --json one JSON object a line. --action, --child and --object keep the entries that name\n"
		   "exactly that; --since keeps those at or after WHEN (YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SSZ, UTC);\n"
		   "--limit keeps the newest N (default 100; 0 for all). Tabs, newlines and backslashes in a field\n"
		   "are written \\t, \\n and \\\\. The audit holds no personal data, only ids and outcomes; reading it is\n"
		   "the operator's act, as `audit verify` is, and is not itself audited.\n");
}

/* YYYY-MM-DD (midnight UTC) or YYYY-MM-DDTHH:MM:SSZ, into the audit's own form. */
static bool parse_since(const char *s, char out[21])
{
	struct date d;
	size_t n = strlen(s);
	char day[11];
	if (n != 10 && n != 20)
		return false;
	memcpy(day, s, 10);
	day[10] = '\0';
	if (date_parse_iso(day, &d) != 0)
		return false;
	if (n == 10) {
		snprintf(out, 21, "%sT00:00:00Z", day);
		return true;
	}
	const char *t = s + 10;
	if (t[0] != 'T' || t[3] != ':' || t[6] != ':' || t[9] != 'Z')
		return false;
	for (int i = 1; i < 9; i++)
		if (i != 3 && i != 6 && !isdigit((unsigned char)t[i]))
			return false;
	if ((t[1] - '0') * 10 + (t[2] - '0') > 23 || (t[4] - '0') * 10 + (t[5] - '0') > 59 ||
	    (t[7] - '0') * 10 + (t[8] - '0') > 59)
		return false;
	memcpy(out, s, 20);
	out[20] = '\0';
	return true;
}

static int print_tsv(const struct store_audit *a, void *ctx)
{
	(void)ctx;
	printf("%lld\t", (long long)a->id);
	cli_list_field(a->at);
	putchar('\t');
	cli_list_field(a->actor);
	putchar('\t');
	cli_list_field(a->action);
	printf("\t%lld\t", (long long)a->child_id);
	cli_list_field(a->object);
	putchar('\t');
	cli_list_field(a->detail);
	putchar('\n');
	return 0;
}

static int print_json(const struct store_audit *a, void *ctx)
{
	bool *failed = ctx;
	*failed = true; /* until the line is written */
	json_t *o = json_pack("{sI ss ss ss sI ss ss}", "id", (json_int_t)a->id, "at", a->at ? a->at : "",
			      "actor", a->actor ? a->actor : "", "action", a->action ? a->action : "", "child_id",
			      (json_int_t)a->child_id, "object", a->object ? a->object : "", "detail",
			      a->detail ? a->detail : "");
	if (!o)
		return 1;
	char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (!s)
		return 1;
	puts(s);
	free(s);
	*failed = false;
	return 0;
}

struct listing {
	struct store_audit_query q;
	bool json, failed;
};

static int list(store *st, void *ctx)
{
	struct listing *l = ctx;
	return audit_list(st, &l->q, l->json ? print_json : print_tsv, &l->failed);
}

int cli_audit_list(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
					     {"action", required_argument, NULL, 'a'},
					     {"child", required_argument, NULL, 'c'},
					     {"object", required_argument, NULL, 'o'},
					     {"since", required_argument, NULL, 's'},
					     {"limit", required_argument, NULL, 'l'},
					     {"json", no_argument, NULL, 'j'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	const char *db = NULL;
	char since[21];
	struct store_audit_query q = {.limit = 100};
	bool json = false;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'a': q.action = optarg; break;
		case 'o': q.object = optarg; break;
		case 'c':
			if (!cli_list_count(optarg, false, &q.child_id)) {
				fprintf(stderr, "safeguard audit list: --child must be a child's number (1 or more), "
						"not \"%s\"\n", optarg);
				return 2;
			}
			break;
		case 's':
			if (!parse_since(optarg, since)) {
				fprintf(stderr, "safeguard audit list: --since must be a UTC date (YYYY-MM-DD) or time "
						"(YYYY-MM-DDTHH:MM:SSZ), not \"%s\"\n", optarg);
				return 2;
			}
			q.since = since;
			break;
		case 'l':
			if (!cli_list_count(optarg, true, &q.limit)) {
				fprintf(stderr, "safeguard audit list: --limit must be a whole number (0 for all), "
						"not \"%s\"\n", optarg);
				return 2;
			}
			break;
		case 'j': json = true; break;
		case 'h': usage(stdout); return 0;
		default: return cli_list_misuse(CMD, c, argv, usage);
		}
	}
	if (cli_list_args_done(CMD, argc, argv, db) != 0)
		return 2;
	struct listing l = {.q = q, .json = json};
	return cli_list_run(CMD, db, json ? NULL : "id\tat\tactor\taction\tchild_id\tobject\tdetail", "the audit", list,
			    &l, &l.failed);
}
