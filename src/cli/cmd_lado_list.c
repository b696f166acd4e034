/* lado allegations, lado alerts, lado employments: the LADO's records for the operator, read-only, as TSV or JSON
 * lines (service/oplists.h). The tests check what the LADO's pages wrote through them rather than through SQL, so
 * that they hold on every backend (issue 17). Each list is audited (lado.list) before it is read. Names are the
 * adults' the LADO recorded (no child is named); the free-text notes and summaries are left out. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "service/oplists.h"

#define ALLEG_HEADER                                                                                            \
	"id\tperson\temployment\temployer\thome_id\tgiven_name\tfamily_name\treceived_on\tcreated_by\t"            \
	"consideration_on\tthreshold\tstrategy_on\toutcome\toutcome_on\temployer_action_on"
#define ALERT_HEADER "id\tperson\tallegation\tcode\tstate\traised_on\tdue\tcreated_at\tresolved_at\tresolved_by"
#define EMPL_HEADER "id\tperson\temployer\thome_id\thome_urn\trole\tfrom\tto"

enum what { ALLEGATIONS, ALERTS, EMPLOYMENTS };

struct listing {
	enum what what;
	int64_t person, allegation;
	bool open_only, json, failed;
	int limit;
};

static const char *cmd_name(enum what w)
{
	return w == ALLEGATIONS ? "safeguard lado allegations"
	       : w == ALERTS    ? "safeguard lado alerts"
				: "safeguard lado employments";
}

static void usage(FILE *f)
{
	fprintf(f, "usage: safeguard lado allegations --db URL [--person ID] [--open] [--limit N] [--json]\n"
		   "       safeguard lado alerts --db URL [--person ID] [--allegation ID] [--open] [--limit N] [--json]\n"
		   "       safeguard lado employments --db URL --person ID [--json]\n\n"
		   "Prints the LADO's records (allegations against people who work with children): one line each,\n"
		   "tab-separated, after a header line, with empty fields for what has not been recorded, or with --json\n"
		   "one JSON object a line.\n"
		   "  allegations  oldest received first (the header line names the fields);\n"
		   "               --open: those still open (no outcome, or no employer's actions, and not closed)\n"
		   "  alerts       most overdue first;\n"
		   "               allegation 0 for an alert about the person; --open: the open ones\n"
		   "  employments  the person's employers, most recent start first (--person required)\n"
		   "--person and --allegation keep those of that person, that allegation; --limit the first N (default 0:\n"
		   "all). The notes and summaries are not printed. Each list is audited (lado.list) before it is read.\n");
}

static bool print_json(json_t *o, struct listing *l)
{
	if (!cli_list_json(o)) {
		l->failed = true;
		return false;
	}
	return true;
}

static void print_fields(const char *const *f, size_t n)
{
	cli_list_fields(f, n);
	putchar('\n');
}

static int print_allegation(const struct store_lado_allegation *a, void *ctx)
{
	struct listing *l = ctx;
	if (l->json) {
		json_t *o = json_pack("{sI sI sI ss sI ss ss ss ss ss ss ss ss ss ss}", "id", (json_int_t)a->id, "person",
				      (json_int_t)a->person_id, "employment", (json_int_t)a->employment_id, "employer",
				      a->employer, "home_id", (json_int_t)a->home_id, "given_name", a->given_name,
				      "family_name", a->family_name, "received_on", a->received_on, "created_by",
				      a->created_by, "consideration_on", a->consideration_on, "threshold", a->threshold,
				      "strategy_on", a->strategy_on, "outcome", a->outcome, "outcome_on", a->outcome_on,
				      "employer_action_on", a->employer_action_on);
		return print_json(o, l) ? 0 : 1;
	}
	printf("%lld\t%lld\t%lld\t", (long long)a->id, (long long)a->person_id, (long long)a->employment_id);
	cli_list_field(a->employer);
	printf("\t%lld", (long long)a->home_id);
	const char *f[] = {a->given_name,  a->family_name, a->received_on, a->created_by, a->consideration_on,
			   a->threshold,   a->strategy_on, a->outcome,     a->outcome_on, a->employer_action_on};
	print_fields(f, sizeof f / sizeof *f);
	return 0;
}

static int print_alert(const struct store_lado_alert *a, void *ctx)
{
	struct listing *l = ctx;
	if (l->json) {
		json_t *o = json_pack("{sI sI sI ss ss ss ss ss ss ss}", "id", (json_int_t)a->id, "person",
				      (json_int_t)a->person_id, "allegation", (json_int_t)a->allegation_id, "code", a->code,
				      "state", a->state, "raised_on", a->raised_on, "due", a->due, "created_at",
				      a->created_at, "resolved_at", a->resolved_at, "resolved_by", a->resolved_by);
		return print_json(o, l) ? 0 : 1;
	}
	printf("%lld\t%lld\t%lld", (long long)a->id, (long long)a->person_id, (long long)a->allegation_id);
	const char *f[] = {a->code, a->state, a->raised_on, a->due, a->created_at, a->resolved_at, a->resolved_by};
	print_fields(f, sizeof f / sizeof *f);
	return 0;
}

static int print_employment(const struct store_lado_employment *e, void *ctx)
{
	struct listing *l = ctx;
	if (l->json) {
		json_t *o = json_pack("{sI sI ss sI ss ss ss ss}", "id", (json_int_t)e->id, "person",
				      (json_int_t)e->person_id, "employer", e->employer, "home_id", (json_int_t)e->home_id,
				      "home_urn", e->home_urn, "role", e->role, "from", e->from_day, "to", e->to_day);
		return print_json(o, l) ? 0 : 1;
	}
	printf("%lld\t%lld\t", (long long)e->id, (long long)e->person_id);
	cli_list_field(e->employer);
	printf("\t%lld", (long long)e->home_id);
	const char *f[] = {e->home_urn, e->role, e->from_day, e->to_day};
	print_fields(f, sizeof f / sizeof *f);
	return 0;
}

static int list(store *st, void *ctx)
{
	struct listing *l = ctx;
	switch (l->what) {
	case ALLEGATIONS: return oplists_lado_allegations(st, l->person, l->open_only, l->limit, print_allegation, l);
	case ALERTS:
		return oplists_lado_alerts(st, l->person, l->allegation, l->open_only, l->limit, print_alert, l);
	case EMPLOYMENTS: return oplists_lado_employments(st, l->person, print_employment, l);
	}
	return 1;
}

static bool id_arg(const char *cmd, const char *opt, const char *what, const char *s, int64_t *out)
{
	if (cli_list_count(s, false, out))
		return true;
	fprintf(stderr, "%s: --%s must be %s id (a whole number above 0), not \"%.40s\"\n", cmd, opt, what, s);
	return false;
}

static int run(enum what what, int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
					     {"person", required_argument, NULL, 'p'},
					     {"allegation", required_argument, NULL, 'a'},
					     {"open", no_argument, NULL, 'o'},
					     {"limit", required_argument, NULL, 'n'},
					     {"json", no_argument, NULL, 'j'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	const char *cmd = cmd_name(what), *db = NULL;
	struct listing l = {.what = what};
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'p':
			if (!id_arg(cmd, "person", "a person's", optarg, &l.person))
				return 2;
			break;
		case 'a':
			if (what != ALERTS) {
				fprintf(stderr, "%s: --allegation is an option of lado alerts only\n", cmd);
				return 2;
			}
			if (!id_arg(cmd, "allegation", "an allegation's", optarg, &l.allegation))
				return 2;
			break;
		case 'o':
			if (what == EMPLOYMENTS) {
				fprintf(stderr, "%s: --open is an option of lado allegations and lado alerts only\n", cmd);
				return 2;
			}
			l.open_only = true;
			break;
		case 'n':
			if (what == EMPLOYMENTS) {
				fprintf(stderr, "%s: --limit is an option of lado allegations and lado alerts only\n", cmd);
				return 2;
			}
			if (!cli_list_limit(cmd, optarg, &l.limit))
				return 2;
			break;
		case 'j': l.json = true; break;
		case 'h': usage(stdout); return 0;
		default: return cli_list_misuse(cmd, c, argv, usage);
		}
	}
	if (cli_list_args_done(cmd, argc, argv, db) != 0)
		return 2;
	if (what == EMPLOYMENTS && l.person == 0) {
		fprintf(stderr, "%s: --person is required (whose employers)\n", cmd);
		return 2;
	}
	const char *header = l.json ? NULL : what == ALLEGATIONS ? ALLEG_HEADER : what == ALERTS ? ALERT_HEADER : EMPL_HEADER;
	const char *what_text = what == ALLEGATIONS ? "the LADO's allegations"
				: what == ALERTS    ? "the LADO's alerts"
						    : "the LADO's employments";
	return cli_list_run(cmd, db, header, what_text, list, &l, &l.failed);
}

int cmd_lado(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "allegations") == 0)
		return run(ALLEGATIONS, argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "alerts") == 0)
		return run(ALERTS, argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "employments") == 0)
		return run(EMPLOYMENTS, argc - 1, argv + 1);
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		usage(stdout);
		return 0;
	}
	usage(stderr);
	return 2;
}
