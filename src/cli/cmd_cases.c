/* sweep, team, allocate: the daily sweep of the rules, and who holds each child's case. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "clock/now.h"
#include "core/event.h"
#include <sodium.h>

#include "service/access.h"
#include "service/alerts.h"
#include "service/audit.h"
#include "service/cases.h"
#include "service/lado.h"
#include "service/txq.h"
#include "service/summary.h"
#include "service/users.h"

struct checkpoint_args {
	const uint8_t *key;
	int64_t id;
};

static int checkpoint_run(store_conn *c, void *arg)
{
	struct checkpoint_args *a = arg;
	return audit_checkpoint(c, a->key, &a->id);
}

int txq_exec_checkpoint(store *st, const uint8_t *key, int64_t *signed_id)
{
	struct checkpoint_args a = {key, 0};
	int rc = txq_exec(st, checkpoint_run, &a);
	*signed_id = a.id;
	return rc;
}

int cmd_sweep(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "runs") == 0)
		return cli_sweep_runs(argc - 1, argv + 1);
	static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
					     {"today", required_argument, NULL, 't'},
					     {"settings", required_argument, NULL, 's'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	const char *db = NULL, *settings = NULL;
	int64_t now = clock_now();
	struct date today = ts_utc_date(ts_uk_local(now));
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 's': settings = optarg; break;
		case 't':
			if (date_parse_iso(optarg, &today) != DATE_OK) {
				fprintf(stderr, "safeguard sweep: --today must be a real date as YYYY-MM-DD\n");
				return 2;
			}
			break;
		case 'h':
			printf("usage: safeguard sweep --db URL [--today YYYY-MM-DD] [--settings SETTINGS.json]\n"
			       "       safeguard sweep runs --db URL [--limit N] [--json]\n\n"
			       "Runs the safeguarding rules for every child up to today (England's date), writes the\n"
			       "alerts not written before, and escalates to the team manager the alerts left\n"
			       "unacknowledged past the setting, then removes the sign-in attempts older than the\n"
			       "throttles' window and takes the query planner's statistics (SQLite's ANALYZE).\n"
			       "The server runs it every night; --today replays it as of another\n"
			       "day. Prints what it did. sweep runs lists the nights' sweeps and which server ran each.\n");
			return 0;
		default: return 2;
		}
	}
	static struct date closures[CLI_CLOSURES_MAX];
	struct clock_calendar cal = {0};
	struct alerts_config cfg;
	alerts_config_default(&cfg);
	if (settings && cli_load_settings(settings, &cfg.rules, &cal, closures, CLI_CLOSURES_MAX,
					  &cfg.escalate_after_working_days) != 0)
		return 1;
	if (cal.nclosures)
		cfg.rules.calendar = &cal;
	store *st = cli_open_store(db, false);
	if (!st)
		return 1;
	struct alerts_sweep_stats stats;
	char now_utc[TS_UTC_LEN + 1];
	ts_format_utc(now, now_utc);
	int rc = alerts_sweep(st, &cfg, today, now_utc, &stats);
	if (rc == STORE_OK)
		rc = lado_sweep(st, today); /* the LADO's clocks (issue 18) */
	if (rc != STORE_OK) {
		store_close(st);
		fprintf(stderr, "safeguard sweep: failed (store error %d); alerts written before the failure stay\n", rc);
		return 1;
	}
	printf("swept %lld children (%lld events): %lld new alerts, %lld escalated", (long long)stats.children,
	       (long long)stats.events, (long long)stats.raised, (long long)stats.escalated);
	if (stats.homes_escalated > 0)
		printf("; %lld alerts about homes escalated", (long long)stats.homes_escalated);
	printf("\n");
	/* Then the sign-in attempts past the throttles' window, as the nightly sweep does. */
	int64_t pruned = 0;
	if (users_prune_attempts(st, now, &pruned) != STORE_OK)
		fprintf(stderr, "safeguard sweep: the old sign-in attempts could not be removed; the next sweep tries again\n");
	else if (pruned > 0) /* a line only when there were some, as the checkpoint's below */
		printf("removed %lld sign-in attempts older than the throttles' window\n", (long long)pruned);
	/* Then the planner's statistics of the area as the sweep left it, as the nightly sweep does. */
	if (alerts_planner_stats(st) != STORE_OK)
		fprintf(stderr, "safeguard sweep: the planner's statistics could not be taken; the next sweep tries again\n");
	/* Then sign the audit as it stands, as the server's nightly sweep does. */
	uint8_t key[AUDIT_SECRET_KEY_LEN];
	bool have_key = false;
	int64_t signed_id = 0;
	rc = cli_audit_key(db, NULL, true, key, &have_key) == 0 ? txq_exec_checkpoint(st, key, &signed_id) : -1;
	sodium_memzero(key, sizeof key);
	store_close(st);
	if (rc != STORE_OK) {
		fprintf(stderr, "safeguard sweep: the audit checkpoint could not be signed\n");
		return 1;
	}
	if (signed_id)
		printf("audit checkpoint signed at entry %lld\n", (long long)signed_id);
	return 0;
}

/* ---- team add ---- */

struct team_args {
	struct store_team t;
	const char *name, *manager;			  /* NULL: not given; an existing team keeps its own */
	const char *phone, *out_of_hours_phone, *email; /* NULL: not given, kept as they are */
	bool found, created;
};

static int team_run(store_conn *c, void *arg)
{
	struct team_args *a = arg;
	struct store_team_contact now;
	memset(&now, 0, sizeof now);
	int rc = cases_team_get(c, a->t.code, &now, &a->found);
	if (rc != STORE_OK)
		return rc;
	a->created = !a->found;
	if (!a->found && !a->name)
		return STORE_OK; /* a new team needs its name: refused, nothing written */
	snprintf(a->t.name, sizeof a->t.name, "%s", a->name ? a->name : now.team.name);
	snprintf(a->t.manager, sizeof a->t.manager, "%s", a->manager ? a->manager : now.team.manager);
	if (!a->found || strcmp(a->t.name, now.team.name) != 0 || strcmp(a->t.manager, now.team.manager) != 0)
		rc = cases_team_upsert(c, "cli", &a->t);
	a->found = true;
	if (rc == STORE_OK && (a->phone || a->out_of_hours_phone || a->email))
		rc = summary_team_contact_update(c, "cli", a->t.code, a->phone, a->out_of_hours_phone, a->email,
						 &a->found);
	return rc;
}

#define TEAM_USAGE                                                                                                     \
	"usage: safeguard team add --db URL --code CODE [--name NAME] [--manager USERNAME]\n"                              \
	"                          [--phone NUMBER] [--out-of-hours-phone NUMBER] [--email ADDRESS]\n"                     \
	"       safeguard team list --db URL [--code C] [--json]"

int cmd_team(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
					     {"code", required_argument, NULL, 'c'},
					     {"name", required_argument, NULL, 'n'},
					     {"manager", required_argument, NULL, 'm'},
					     {"phone", required_argument, NULL, 'p'},
					     {"out-of-hours-phone", required_argument, NULL, 'o'},
					     {"email", required_argument, NULL, 'e'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	const char *db = NULL, *code = NULL;
	struct team_args a = {0};
	int c;
	if (argc >= 2 && strcmp(argv[1], "list") == 0)
		return cli_team_list(argc - 1, argv + 1);
	if (argc < 2 || strcmp(argv[1], "add") != 0) {
		if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
			goto help;
		fprintf(stderr, TEAM_USAGE "\n");
		return 2;
	}
	optind = 1;
	argc--;
	argv++;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'c': code = optarg; break;
		case 'n': a.name = optarg; break;
		case 'm': a.manager = optarg; break;
		case 'p': a.phone = optarg; break;
		case 'o': a.out_of_hours_phone = optarg; break;
		case 'e': a.email = optarg; break;
		case 'h': goto help;
		default: return 2;
		}
	}
	if (!code || !code[0] || strlen(code) > STORE_CODE_MAX || (a.name && (!a.name[0] || strlen(a.name) > 100)) ||
	    (a.manager && strlen(a.manager) > STORE_USER_MAX)) {
		fprintf(stderr, "safeguard team add: --code (1 to %d characters) is required; --name is 1 to 100 "
				"characters, --manager up to %d\n", STORE_CODE_MAX, STORE_USER_MAX);
		return 2;
	}
	/* The same checks as a person's phone and email (users_check_profile); "" clears one. */
	const char *const phones[] = {a.phone, a.out_of_hours_phone};
	const char *const phone_opts[] = {"--phone", "--out-of-hours-phone"};
	for (int i = 0; i < 2; i++) {
		struct users_profile p = {.phone = phones[i]};
		if (phones[i] && (strlen(phones[i]) > 40 || users_check_profile(&p) != USERS_ADDED)) {
			fprintf(stderr, "safeguard team add: %s must be 6 to 15 digits, with spaces and a leading + if you "
					"like (or \"\" to clear it)\n", phone_opts[i]);
			return 2;
		}
	}
	struct users_profile pe = {.email = a.email};
	if (a.email && (strlen(a.email) > 254 || users_check_profile(&pe) != USERS_ADDED)) {
		fprintf(stderr, "safeguard team add: --email must be an email address, for example "
				"north.team@example.gov.uk (or \"\" to clear it)\n");
		return 2;
	}
	snprintf(a.t.code, sizeof a.t.code, "%s", code);
	store *st = cli_open_store(db, false);
	if (!st)
		return 1;
	int rc = txq_exec(st, team_run, &a);
	store_close(st);
	if (rc == STORE_OK && a.created && !a.name) {
		fprintf(stderr, "safeguard team add: there is no team '%s': --name is required to create one\n", code);
		return 1;
	}
	if (rc != STORE_OK || !a.found) {
		fprintf(stderr, "safeguard team add: cannot store the team (store error %d)\n", rc);
		return 1;
	}
	return 0;
help:
	printf(TEAM_USAGE "   (see team list --help)\n\n"
	       "Creates a team (--name required then), or changes an existing one. Alerts nobody acknowledges\n"
	       "are escalated to the manager of the child's team; the team with code 'mash' is the front door.\n"
	       "The manager of the team 'health_safeguarding' (health's safeguarding lead, a health practitioner)\n"
	       "gets those about a child known only from health-only records, whom social care cannot see.\n"
	       "--phone, --out-of-hours-phone and --email set the numbers and address a child's summary gives\n"
	       "for the team (audited team.contact). For an existing team an option not given stays as it was\n"
	       "(its name, manager and each number); --manager \"\" and \"\" for a number or address clear it.\n");
	return 0;
}

/* ---- allocate ---- */

struct alloc_args {
	struct store_allocation a;
	enum cases_result res;
};

/* Without --team, the worker's case sits in the team "default" (made, with no manager, the first time):
 * people do not belong to teams until the access-control issue's admin pages. */
#define DEFAULT_TEAM "default"

static int alloc_run(store_conn *c, void *arg)
{
	struct alloc_args *x = arg;
	int rc = cases_allocate(c, "cli", NULL, &x->a, &x->res);
	if (rc == STORE_OK && x->res == CASES_NO_TEAM && strcmp(x->a.team, DEFAULT_TEAM) == 0) {
		const struct store_team t = {DEFAULT_TEAM, "Default team", ""};
		if ((rc = cases_team_upsert(c, "cli", &t)) == STORE_OK)
			rc = cases_allocate(c, "cli", NULL, &x->a, &x->res);
	}
	return rc;
}

int cmd_allocate(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
					     {"child", required_argument, NULL, 'c'},
					     {"team", required_argument, NULL, 't'},
					     {"worker", required_argument, NULL, 'w'},
					     {"user", required_argument, NULL, 'w'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	const char *db = NULL, *child = NULL, *team = NULL, *worker = "";
	struct alloc_args x;
	int c;
	memset(&x, 0, sizeof x);
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'c': child = optarg; break;
		case 't': team = optarg; break;
		case 'w': worker = optarg; break;
		case 'h':
			printf("usage: safeguard allocate --db URL --child ID [--team CODE] [--worker USERNAME | --user USERNAME]\n\n"
			       "Allocates a child's case to a team and, optionally, a worker (--user is the same). New\n"
			       "alerts about the child go to the worker, else the team; the worker sees who has looked at\n"
			       "the record. Without --team the case sits in the team '" DEFAULT_TEAM "'.\n");
			return 0;
		default: return 2;
		}
	}
	if (!child || !event_parse_id(child, strlen(child), &x.a.person_id)) {
		fprintf(stderr, "safeguard allocate: --child must be a child's id (a whole number)\n");
		return 2;
	}
	if (!team)
		team = worker[0] ? DEFAULT_TEAM : NULL;
	if (!team || !team[0] || strlen(team) > STORE_CODE_MAX || strlen(worker) > STORE_USER_MAX) {
		fprintf(stderr, "safeguard allocate: --team CODE or --worker USERNAME is required; --worker is up to %d "
				"characters\n", STORE_USER_MAX);
		return 2;
	}
	snprintf(x.a.team, sizeof x.a.team, "%s", team);
	snprintf(x.a.worker, sizeof x.a.worker, "%s", worker);
	store *st = cli_open_store(db, false);
	if (!st)
		return 1;
	int rc = txq_exec(st, alloc_run, &x);
	store_close(st);
	if (rc != STORE_OK) {
		fprintf(stderr, "safeguard allocate: cannot store the allocation (store error %d)\n", rc);
		return 1;
	}
	if (x.res == CASES_NO_CHILD) {
		fprintf(stderr, "safeguard allocate: there is no child %s\n", child);
		return 1;
	}
	if (x.res == CASES_NOT_CASE_HOLDER) {
		fprintf(stderr, "safeguard allocate: --worker '%.64s' cannot hold a child's case: only an enabled social "
				"worker or team manager of children's social care can\n", worker);
		return 1;
	}
	if (x.res == CASES_NO_TEAM) {
		fprintf(stderr, "safeguard allocate: there is no team '%.32s' (create it with safeguard team add)\n", team);
		return 1;
	}
	return 0;
}

/* ---- seal ---- */

struct seal_args {
	int64_t child_id;
	const char *basis;
	bool found, already;
	int merged;
	int64_t kept_by;
};

static int seal_run(store_conn *c, void *arg)
{
	struct seal_args *s = arg;
	return access_seal(c, "cli", s->child_id, s->basis, &s->found, &s->already, &s->merged, &s->kept_by);
}

int cmd_seal(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "list") == 0)
		return cli_seal_list(argc - 1, argv + 1);
	static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
					     {"child", required_argument, NULL, 'c'},
					     {"basis", required_argument, NULL, 'b'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	const char *db = NULL, *child = NULL;
	struct seal_args s = {0};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'c': child = optarg; break;
		case 'b': s.basis = optarg; break;
		case 'h':
			printf("usage: safeguard seal --db URL --child ID --basis adoption|protection|court_order\n"
			       "       safeguard seal list --db URL [--child ID] [--limit N] [--json]\n\n"
			       "Seals a child's record for good: from then on it is invisible (as if there were no such\n"
			       "child) to everyone but the data protection officer, to people and agency systems alike,\n"
			       "whatever their relationship to the child. The records standing merged into it (through\n"
			       "merges of merges, at any depth) are the child's and are sealed with it, or, past %d of\n"
			       "them, nothing is sealed, the command fails and the refusal is audited. A record that itself stands merged into\n"
			       "another child K is K's: it is refused, naming K (seal K, which seals it too). Audited.\n"
			       "seal list prints the sealed records (safeguard seal list --help).\n",
			       ACCESS_SEAL_MERGED_MAX);
			return 0;
		default: return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "safeguard seal: unexpected argument \"%.64s\"\n", argv[optind]);
		return 2;
	}
	if (!child || !event_parse_id(child, strlen(child), &s.child_id)) {
		fprintf(stderr, "safeguard seal: --child must be a child's id (a whole number)\n");
		return 2;
	}
	if (!s.basis || (strcmp(s.basis, "adoption") && strcmp(s.basis, "protection") && strcmp(s.basis, "court_order"))) {
		fprintf(stderr, "safeguard seal: --basis must be adoption, protection or court_order\n");
		return 2;
	}
	store *st = cli_open_store(db, false);
	if (!st)
		return 1;
	int rc = txq_exec(st, seal_run, &s);
	store_close(st);
	if (rc != STORE_OK) {
		fprintf(stderr, "safeguard seal: cannot seal the record (store error %d)\n", rc);
		return 1;
	}
	if (!s.found) {
		fprintf(stderr, "safeguard seal: there is no child %s\n", child);
		return 1;
	}
	if (s.merged == ACCESS_SEAL_TOO_MANY) {
		fprintf(stderr, "safeguard seal: more than %d records stand merged into child %s: nothing sealed (the "
				"refusal is audited); look into the merges first (safeguard audit list --action "
				"person.merge: each entry names the record kept, merges of merges the record merged "
				"into it)\n",
			ACCESS_SEAL_MERGED_MAX, child);
		return 1;
	}
	if (s.kept_by > 0) {
		fprintf(stderr, "safeguard seal: record %s stands merged into child %lld: seal %lld (nothing sealed)\n",
			child, (long long)s.kept_by, (long long)s.kept_by);
		return 1;
	}
	printf(s.already ? "child %s: the record was already sealed" : "child %s: the record is sealed", child);
	if (s.merged > 0)
		printf(", and %d record%s standing merged into it", s.merged, s.merged == 1 ? "" : "s");
	printf("\n");
	return 0;
}
