/* user sessions: the sessions kept, newest first, as TSV or JSON lines (service/oplists.h). The operator looks
 * here when a person's account may be in someone else's hands (is it signed in, where, since when) and after a
 * disable or reset (did every session end); the tests check sign-in, sign-out and the timeouts through it rather
 * than through SQL, so that they hold on every backend (issue 17). Staff's, no child: not audited
 * (service/access.h). A session is named by the first hex digits of its token's hash: never the token. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "service/oplists.h"

#define CMD "safeguard user sessions"
#define HEADER "session\tusername\tkind\tcreated_at\texpires_at\tidle_until\tended_at"

static void usage(FILE *f)
{
	fprintf(f, "usage: safeguard user sessions --db URL [--username U] [--live] [--limit N] [--json]\n\n"
		   "Prints the sessions kept (every one opened: none is removed when it ends), newest first: one\n"
		   "line each, tab-separated, after a header line (session: the first 12 hex digits of the hash\n"
		   "of its token, which names it and opens nothing; username; kind: web or api; created_at;\n"
		   "expires_at: the absolute timeout; idle_until: the idle timeout, pushed on by each use; ended_at:\n"
		   "when it was signed out or ended by a disable or reset, empty while not), or with --json one JSON\n"
		   "object a line (ended_at null while not ended). --username keeps that person's, --live those live\n"
		   "now (not ended, past neither timeout, the person enabled), --limit the first N (default 0: all).\n");
}

struct listing {
	const char *username;
	bool live_only, json, failed;
	int limit;
};

static int print_session(const struct store_session_row *s, void *ctx)
{
	struct listing *l = ctx;
	if (l->json) {
		json_t *o = json_pack("{ss ss ss ss ss ss so}", "session", s->handle, "username", s->username, "kind",
				      s->kind, "created_at", s->created_at, "expires_at", s->expires_at, "idle_until",
				      s->idle_until, "ended_at", s->ended_at[0] ? json_string(s->ended_at) : json_null());
		if (!cli_list_json(o)) {
			l->failed = true;
			return 1;
		}
		return 0;
	}
	const char *f[] = {s->username, s->kind, s->created_at, s->expires_at, s->idle_until, s->ended_at};
	fputs(s->handle, stdout);
	cli_list_fields(f, sizeof f / sizeof *f);
	putchar('\n');
	return 0;
}

static int list(store *st, void *ctx)
{
	struct listing *l = ctx;
	return oplists_user_sessions(st, l->username, l->live_only, l->limit, print_session, l);
}

int cli_user_sessions(int argc, char **argv)
{
	struct listing l = {0};
	const struct cli_list_opt own[] = {{.name = "username", .text = &l.username},
					   {.name = "live", .flag = &l.live_only}};
	struct cli_list_common a = {0};
	int rc = cli_list_args(CMD, argc, argv, own, sizeof own / sizeof own[0], CLI_ARGS_LIMIT, usage, &a);
	if (rc >= 0)
		return rc;
	l.limit = a.limit;
	l.json = a.json;
	return cli_list_run(CMD, a.db, a.json ? NULL : HEADER, "the sessions", list, &l, &l.failed);
}
