/* allocation list, alert list, dpo notices: the operator's read-only lists (service/oplists.h), as TSV or JSON
 * lines. An administrator checks through them who holds a case and what waits on whom; the tests check state
 * through them rather than through SQL, so that they hold on every backend. Each list is audited before it is
 * read (the service's); what it shows is access.c's decision (no sealed child). Filters that only pick rows of
 * what the operator may see (--code, --kind, --user) are applied here. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "service/oplists.h"

static bool print_json(json_t *o, bool *failed)
{
	if (!cli_list_json(o)) {
		*failed = true;
		return false;
	}
	return true;
}

static void print_fields(const char *const *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			putchar('\t');
		cli_list_field(f[i]);
	}
	putchar('\n');
}

/* ---- allocation list ---- */

#define ALLOC_CMD "safeguard allocation list"

static void alloc_usage(FILE *f)
{
	fprintf(f, "usage: safeguard allocation list --db URL [--child ID] [--limit N] [--json]\n\n"
		   "Prints who holds each child's case, by child id: one line each, tab-separated, after a header line\n"
		   "(child, team, worker, manager, since; worker empty when only the team holds the child, manager the\n"
		   "team's), or with --json one JSON object a line. --child keeps that child only; --limit the first\n"
		   "N (default 0: all). Ids only, no names. A sealed child is not listed. The list is audited\n"
		   "(allocations.list) before it is read.\n");
}

static int print_alloc(const struct store_allocation *a, void *ctx)
{
	struct cli_child_args *l = ctx;
	if (l->json) {
		json_t *o = json_pack("{sI ss ss ss ss}", "child", (json_int_t)a->person_id, "team", a->team, "worker",
				      a->worker, "manager", a->manager, "since", a->since);
		return print_json(o, &l->failed) ? 0 : 1;
	}
	printf("%lld\t", (long long)a->person_id);
	const char *f[] = {a->team, a->worker, a->manager, a->since};
	print_fields(f, sizeof f / sizeof *f);
	return 0;
}

static int alloc_list(store *st, void *ctx)
{
	struct cli_child_args *l = ctx;
	return oplists_allocations(st, l->child, l->limit, print_alloc, l);
}

static int cli_allocation_list(int argc, char **argv)
{
	struct cli_child_args l = {0};
	int rc = cli_list_child_args(ALLOC_CMD, argc, argv, CLI_ARGS_LIMIT, alloc_usage, &l);
	if (rc >= 0)
		return rc;
	return cli_list_run(ALLOC_CMD, l.db, l.json ? NULL : "child\tteam\tworker\tmanager\tsince", "the allocations",
			    alloc_list, &l, &l.failed);
}

int cmd_allocation(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "list") == 0)
		return cli_allocation_list(argc - 1, argv + 1);
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		alloc_usage(stdout);
		return 0;
	}
	fprintf(stderr, "usage: safeguard allocation list --db URL [--child ID] [--limit N] [--json]\n"
			"       (to allocate a child: safeguard allocate)\n");
	return 2;
}

/* ---- alert list ---- */

#define ALERT_CMD "safeguard alert list"
#define ALERT_HEADER                                                                                             \
	"id\tchild\tcode\tstate\traised_on\tdue\towner_kind\towner\tcreated_at\tacknowledged_at\tacknowledged_by\t" \
	"resolved_at\tresolved_by\toutcome\tescalated_at\tescalated_to\tevidence"

static void alert_usage(FILE *f)
{
	fprintf(f, "usage: safeguard alert list --db URL [--child ID] [--state S] [--code C] [--limit N] [--json]\n\n"
		   "Prints the alerts, newest raised first: one line each, tab-separated, after a header line\n"
		   "(" ALERT_HEADER ")\nwith empty fields for what has not happened, or with --json one JSON object a "
		   "line. --child keeps\nthat child's, --state those in that state (open, acknowledged, resolved), "
		   "--code those of that rule;\n--limit the first N (default 0: all). Ids only, no names. A sealed "
		   "child's alerts are not listed.\nThe list is audited (alerts.list) before it is read.\n");
}

struct alert_listing {
	struct store_alert_query q; /* q.limit 0: the store lists all, the edge counts what it prints */
	const char *code;
	int limit, printed;
	bool json, failed;
};

static int print_alert(const struct store_alert *a, void *ctx)
{
	struct alert_listing *l = ctx;
	if (l->code && strcmp(l->code, a->code) != 0)
		return 0;
	if (l->limit && l->printed++ == l->limit)
		return 1; /* enough: stop the walk */
	if (l->json) {
		json_t *o = json_pack("{sI sI ss ss ss ss ss ss ss ss ss ss ss ss ss ss ss}", "id", (json_int_t)a->id, "child",
				      (json_int_t)a->person_id, "code", a->code, "state", a->state, "raised_on", a->raised_on,
				      "due", a->due, "owner_kind", a->owner_kind, "owner", a->owner, "created_at",
				      a->created_at, "acknowledged_at", a->acknowledged_at, "acknowledged_by",
				      a->acknowledged_by, "resolved_at", a->resolved_at, "resolved_by", a->resolved_by,
				      "outcome", a->outcome, "escalated_at", a->escalated_at, "escalated_to",
				      a->escalated_to, "evidence", a->evidence);
		return print_json(o, &l->failed) ? 0 : 1;
	}
	printf("%lld\t%lld\t", (long long)a->id, (long long)a->person_id);
	const char *f[] = {a->code, a->state, a->raised_on, a->due, a->owner_kind, a->owner, a->created_at,
			   a->acknowledged_at, a->acknowledged_by, a->resolved_at, a->resolved_by, a->outcome,
			   a->escalated_at, a->escalated_to, a->evidence};
	print_fields(f, sizeof f / sizeof *f);
	return 0;
}

static int alert_list(store *st, void *ctx)
{
	struct alert_listing *l = ctx;
	return oplists_alerts(st, &l->q, print_alert, l);
}

static int cli_alert_list(int argc, char **argv)
{
	static const char *const states[] = {"open", "acknowledged", "resolved", NULL};
	struct alert_listing l = {0};
	const struct cli_list_opt own[] = {{.name = "child", .id = &l.q.person_id, .what = "a child's"},
					   {.name = "state", .text = &l.q.state, .one_of = states},
					   {.name = "code", .text = &l.code}};
	struct cli_list_common a = {0};
	int rc = cli_list_args(ALERT_CMD, argc, argv, own, 3, CLI_ARGS_LIMIT, alert_usage, &a);
	if (rc >= 0)
		return rc;
	l.limit = a.limit;
	l.json = a.json;
	/* --code picks rows here, so --limit counts what is printed: the store lists all, the edge stops. */
	return cli_list_run(ALERT_CMD, a.db, a.json ? NULL : ALERT_HEADER, "the alerts", alert_list, &l, &l.failed);
}

int cmd_alert(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "list") == 0)
		return cli_alert_list(argc - 1, argv + 1);
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		alert_usage(stdout);
		return 0;
	}
	fprintf(stderr, "usage: safeguard alert list --db URL [--child ID] [--state S] [--code C] [--limit N] [--json]\n");
	return 2;
}

/* ---- dpo notices ---- */

#define DPO_CMD "safeguard dpo notices"

static void dpo_usage(FILE *f)
{
	fprintf(f, "usage: safeguard dpo notices --db URL [--kind K] [--user USERNAME] [--limit N] [--json]\n\n"
		   "Prints the data protection officer's notices, newest first: one line each, tab-separated, after a\n"
		   "header line (id, kind, at, user_id, username, child, break_glass_id, detail; kind break_glass or\n"
		   "break_glass_misuse, child the id asked for, which may hold no child, break_glass_id 0 when nothing\n"
		   "was opened), or with --json one JSON object a line. --kind and --user keep the notices of that kind,\n"
		   "about that person; --limit the newest N (default 0: all). The list is audited (notices.list) before\n"
		   "it is read.\n");
}

struct dpo_listing {
	const char *kind, *user;
	int limit, printed;
	bool json, failed;
};

static int print_notice(const struct store_notice *n, void *ctx)
{
	struct dpo_listing *l = ctx;
	if ((l->kind && strcmp(l->kind, n->kind) != 0) || (l->user && strcmp(l->user, n->username) != 0))
		return 0;
	if (l->limit && l->printed++ == l->limit)
		return 1; /* enough: stop the walk */
	if (l->json) {
		json_t *o = json_pack("{sI ss ss sI ss sI sI ss}", "id", (json_int_t)n->id, "kind", n->kind, "at", n->at,
				      "user_id", (json_int_t)n->user_id, "username", n->username, "child",
				      (json_int_t)n->child_id, "break_glass_id", (json_int_t)n->break_glass_id, "detail",
				      n->detail);
		return print_json(o, &l->failed) ? 0 : 1;
	}
	printf("%lld\t", (long long)n->id);
	cli_list_field(n->kind);
	putchar('\t');
	cli_list_field(n->at);
	printf("\t%lld\t", (long long)n->user_id);
	cli_list_field(n->username);
	printf("\t%lld\t%lld\t", (long long)n->child_id, (long long)n->break_glass_id);
	cli_list_field(n->detail);
	putchar('\n');
	return 0;
}

static int dpo_list(store *st, void *ctx)
{
	struct dpo_listing *l = ctx;
	/* --kind and --user pick rows here, so --limit counts what is printed. */
	return oplists_notices(st, 0, print_notice, l);
}

static int cli_dpo_notices(int argc, char **argv)
{
	static const char *const kinds[] = {"break_glass", "break_glass_misuse", NULL};
	struct dpo_listing l = {0};
	const struct cli_list_opt own[] = {{.name = "kind", .text = &l.kind, .one_of = kinds},
					   {.name = "user", .text = &l.user}};
	struct cli_list_common a = {0};
	int rc = cli_list_args(DPO_CMD, argc, argv, own, 2, CLI_ARGS_LIMIT, dpo_usage, &a);
	if (rc >= 0)
		return rc;
	l.limit = a.limit;
	l.json = a.json;
	return cli_list_run(DPO_CMD, a.db,
			    a.json ? NULL : "id\tkind\tat\tuser_id\tusername\tchild\tbreak_glass_id\tdetail",
			    "the notices", dpo_list, &l, &l.failed);
}

int cmd_dpo(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "notices") == 0)
		return cli_dpo_notices(argc - 1, argv + 1);
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		dpo_usage(stdout);
		return 0;
	}
	fprintf(stderr, "usage: safeguard dpo notices --db URL [--kind K] [--user USERNAME] [--limit N] [--json]\n");
	return 2;
}
