/* user list: the people who sign in, by username, as TSV or JSON lines (for the administrator, and for the tests,
 * which check who exists and who is disabled through it rather than through SQL). Never a password hash or a
 * TOTP secret: users_list does not read them. */
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "service/users.h"

#define CMD "safeguard user list"

static void usage(FILE *f)
{
	fprintf(f, "usage: safeguard user list --db URL [--username U] [--json]\n\n"
		   "Prints every person who signs in, by username: one line each, tab-separated, after a header line\n"
		   "(id, username, agency, role, team, full_name, email, phone, disabled_at; disabled_at empty while\n"
		   "they may sign in), or with --json one JSON object a line. --username keeps that person only.\n"
		   "Tabs, newlines and backslashes in a field are written \\t, \\n and \\\\. Never a password hash or\n"
		   "a second factor's secret.\n");
}

struct listing {
	const char *username;
	bool json, failed;
};

static int print_user(const struct store_user *u, void *ctx)
{
	struct listing *l = ctx;
	if (l->username && strcmp(l->username, u->username) != 0)
		return 0;
	if (l->json) {
		json_t *o = json_pack("{sI ss ss ss ss ss ss ss ss}", "id", (json_int_t)u->id, "username", u->username,
				      "agency", u->agency, "role", u->role, "team", u->team, "full_name", u->full_name,
				      "email", u->email, "phone", u->phone, "disabled_at", u->disabled_at);
		if (!cli_list_json(o)) {
			l->failed = true;
			return 1;
		}
		return 0;
	}
	const char *f[] = {u->username, u->agency, u->role, u->team, u->full_name, u->email, u->phone, u->disabled_at};
	printf("%lld", (long long)u->id);
	cli_list_fields(f, sizeof f / sizeof *f);
	putchar('\n');
	return 0;
}

static int list(store *st, void *ctx)
{
	return users_list(st, INT_MAX, print_user, ctx);
}

int cli_user_list(int argc, char **argv)
{
	struct listing l = {0};
	const struct cli_list_opt own[] = {{.name = "username", .text = &l.username}};
	struct cli_list_common a = {0};
	int rc = cli_list_args(CMD, argc, argv, own, sizeof own / sizeof own[0], 0, usage, &a);
	if (rc >= 0)
		return rc;
	l.json = a.json;
	return cli_list_run(CMD, a.db, a.json ? NULL : "id\tusername\tagency\trole\tteam\tfull_name\temail\tphone\tdisabled_at",
			    "the people", list, &l, &l.failed);
}
