/* break-glass list: the emergency openings of children's records for the operator, newest first, as TSV or JSON
 * lines (service/oplists.h). The tests check the reason kept and who opened what through it rather than through SQL,
 * so that they hold on every backend (issue 17). Audited (break_glass.list) before it is read; a sealed child's
 * openings are not listed (access_operator_view); ids, not the child's names. --child: the service keeps that
 * child's; --limit: the first N, the service's walk stopping there. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "service/oplists.h"

#define CMD "safeguard break-glass list"
#define HEADER "id\tchild\tuser_id\tusername\tagency\trole\tat\texpires_at\treason"

static void usage(FILE *f)
{
	fprintf(f, "usage: safeguard break-glass list --db URL [--child ID] [--limit N] [--json]\n\n"
		   "Prints every emergency opening of a child's record (break-glass), newest first: one line each,\n"
		   "tab-separated, after a header line (id, child, user_id, username, agency, role, at, expires_at,\n"
		   "reason), or with --json one JSON object a line. --child keeps that child's; --limit the first N\n"
		   "(default 0: all). Ids, not the child's names; a sealed child's are not listed. The list is audited\n"
		   "(break_glass.list) before it is read.\n");
}

static int print_glass(const struct store_break_glass *b, void *ctx)
{
	struct cli_child_args *l = ctx;
	if (l->json) {
		json_t *o = json_pack("{sI sI sI ss ss ss ss ss ss}", "id", (json_int_t)b->id, "child", (json_int_t)b->child_id,
				      "user_id", (json_int_t)b->user_id, "username", b->username, "agency", b->agency, "role",
				      b->role, "at", b->at, "expires_at", b->expires_at, "reason", b->reason);
		if (!cli_list_json(o)) {
			l->failed = true;
			return 1;
		}
		return 0;
	}
	printf("%lld\t%lld\t%lld", (long long)b->id, (long long)b->child_id, (long long)b->user_id);
	const char *f[] = {b->username, b->agency, b->role, b->at, b->expires_at, b->reason};
	cli_list_fields(f, sizeof f / sizeof *f);
	putchar('\n');
	return 0;
}

static int list(store *st, void *ctx)
{
	struct cli_child_args *l = ctx;
	return oplists_break_glass(st, l->child, l->limit, print_glass, l);
}

static int glass_list(int argc, char **argv)
{
	struct cli_child_args l = {0};
	int rc = cli_list_child_args(CMD, argc, argv, CLI_ARGS_LIMIT, usage, &l);
	if (rc >= 0)
		return rc;
	return cli_list_run(CMD, l.db, l.json ? NULL : HEADER, "the break-glass openings", list, &l, &l.failed);
}

int cmd_break_glass(int argc, char **argv)
{
	return cli_one_subcommand(argc, argv, "list", glass_list, usage);
}
