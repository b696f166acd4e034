/* user attempts: the sign-in attempts kept, newest first, as TSV or JSON lines (service/oplists.h). The operator
 * looks here when a person says they are locked out or an address is guessing at names; the tests check the
 * throttle's record through it rather than through SQL, so that they hold on every backend (issue 17). Staff's
 * names and addresses, no child: not audited (service/access.h). A row holds no password and no code. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "service/oplists.h"

#define CMD "safeguard user attempts"
#define HEADER "id\tat\tusername\tremote\tok"

static void usage(FILE *f)
{
	fprintf(f, "usage: safeguard user attempts --db URL [--username U] [--failed] [--limit N] [--json]\n\n"
		   "Prints the sign-in attempts kept (the nightly sweep removes those older than the throttles'\n"
		   "window), newest first: one line each, tab-separated, after a header line (id, at, username as\n"
		   "typed, remote: the address's throttling key, ok: 1 signed in, 0 refused), or with --json one JSON\n"
		   "object a line (ok true or false). --username keeps the attempts at that name, --failed the refused\n"
		   "ones, --limit the first N (default 0: all). Tabs, newlines and backslashes in a field are written\n"
		   "\\t, \\n and \\\\. No password or code is kept to show.\n");
}

struct listing {
	const char *username;
	bool failed_only, json, failed;
	int limit;
};

static int print_attempt(const struct store_login_attempt *a, void *ctx)
{
	struct listing *l = ctx;
	if (l->json) {
		json_t *o = json_pack("{sI ss ss ss sb}", "id", (json_int_t)a->id, "at", a->at, "username", a->username,
				      "remote", a->remote, "ok", a->ok);
		if (!cli_list_json(o)) {
			l->failed = true;
			return 1;
		}
		return 0;
	}
	const char *f[] = {a->at, a->username, a->remote, a->ok ? "1" : "0"};
	printf("%lld", (long long)a->id);
	cli_list_fields(f, sizeof f / sizeof *f);
	putchar('\n');
	return 0;
}

static int list(store *st, void *ctx)
{
	struct listing *l = ctx;
	return oplists_login_attempts(st, l->username, l->failed_only, l->limit, print_attempt, l);
}

int cli_user_attempts(int argc, char **argv)
{
	struct listing l = {0};
	const struct cli_list_opt own[] = {{.name = "username", .text = &l.username},
					   {.name = "failed", .flag = &l.failed_only}};
	struct cli_list_common a = {0};
	int rc = cli_list_args(CMD, argc, argv, own, sizeof own / sizeof own[0], CLI_ARGS_LIMIT, usage, &a);
	if (rc >= 0)
		return rc;
	l.limit = a.limit;
	l.json = a.json;
	return cli_list_run(CMD, a.db, a.json ? NULL : HEADER, "the sign-in attempts", list, &l, &l.failed);
}
