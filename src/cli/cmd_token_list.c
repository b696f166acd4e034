/* token list: the agency systems' API clients as the administrator sees them (never a token: only its hash
 * is kept), newest first, as TSV or JSON lines. */
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "service/tokens.h"

#define CMD "safeguard token list"

static void usage(FILE *f)
{
	fprintf(f, "usage: safeguard token list --db URL [--agency CODE] [--label TEXT] [--limit N] [--json]\n\n"
		   "Prints every API client, newest first: one line each, tab-separated, after a header line\n"
		   "(id, agency, label, scopes, pending, created_by, approved_by, created_at, revoked_at; pending 1\n"
		   "while it awaits a second person's approval, revoked_at empty while it works), or with --json one\n"
		   "JSON object a line. --agency and --label keep the clients with exactly that; --limit keeps the\n"
		   "newest N of them (default 100; 0 for all). A token itself is never shown: only its hash is kept.\n"
		   "Tabs, newlines and backslashes in a label are written \\t, \\n and \\\\.\n");
}

struct listing {
	const char *agency, *label;
	long long left; /* -1: no limit */
	bool json;
	bool failed;
};

static int print_client(const struct store_client_info *k, void *ctx)
{
	struct listing *l = ctx;
	if ((l->agency && strcmp(l->agency, k->agency) != 0) || (l->label && strcmp(l->label, k->label) != 0))
		return 0;
	if (l->left == 0)
		return 1; /* enough: stop the walk */
	if (l->left > 0)
		l->left--;
	if (l->json) {
		json_t *o = json_pack("{sI ss ss ss sb ss ss ss ss}", "id", (json_int_t)k->id, "agency", k->agency,
				      "label", k->label, "scopes", k->scope, "pending", k->pending, "created_by",
				      k->created_by, "approved_by", k->approved_by, "created_at", k->created_at,
				      "revoked_at", k->revoked_at);
		if (!cli_list_json(o)) {
			l->failed = true;
			return 1;
		}
		return 0;
	}
	printf("%lld\t", (long long)k->id);
	cli_list_field(k->agency);
	putchar('\t');
	cli_list_field(k->label);
	putchar('\t');
	cli_list_field(k->scope);
	printf("\t%d\t", k->pending ? 1 : 0);
	cli_list_field(k->created_by);
	putchar('\t');
	cli_list_field(k->approved_by);
	putchar('\t');
	cli_list_field(k->created_at);
	putchar('\t');
	cli_list_field(k->revoked_at);
	putchar('\n');
	return 0;
}

static int list(store *st, void *ctx)
{
	return tokens_list(st, INT_MAX, print_client, ctx);
}

int cli_token_list(int argc, char **argv)
{
	struct listing l = {0};
	const struct cli_list_opt own[] = {{.name = "agency", .text = &l.agency}, {.name = "label", .text = &l.label}};
	struct cli_list_common a = {.limit = 100};
	int rc = cli_list_args(CMD, argc, argv, own, 2, CLI_ARGS_LIMIT, usage, &a);
	if (rc >= 0)
		return rc;
	l.left = a.limit == 0 ? -1 : a.limit;
	l.json = a.json;
	return cli_list_run(CMD, a.db,
			    a.json ? NULL : "id\tagency\tlabel\tscopes\tpending\tcreated_by\tapproved_by\tcreated_at\trevoked_at",
			    "the clients", list, &l, &l.failed);
}
