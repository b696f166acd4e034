/* homes list, homes reg44, homes notes, homes signals, homes incidents, homes placements, homes occupancy, homes
 * last-run: the register of children's homes, a home's Regulation 44 reports, its police location-risk notes, a
 * monitor run's signals, the incidents, the children placed, the months' child-nights and the monitor's last run,
 * read-only, as TSV or JSON lines (service/oplists.h). The operator checks what was
 * imported and recorded through them; the tests do, instead of SQL, so that they hold on every backend (issue 17).
 * The reports and notes are audited before they are read (the service's); the register is public. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "oversight/oversight.h"
#include "service/oplists.h"

enum what { HOMES, REG44, NOTES, SIGNALS, INCIDENTS, PLACEMENTS, OCCUPANCY, LAST_RUN };

#define HOMES_HEADER "id\turn\tname\tprovider\tla_code\tpostcode\tplaces\tspecialism\tofsted_grade\tgrade_date"
#define REG44_HEADER "id\thome_id\tmonth\treceived_at\tvisitor\tsafeguarded\tsummary"
#define NOTES_HEADER "id\thome_id\tauthor\tagency\tcreated_at\ttext"
#define INCIDENTS_HEADER                                                                                        \
	"id\thome_id\tchild\toccurred_at\ttype\tduration_min\ttechnique\tchild_injured\tstaff_involved\t"          \
	"debrief_offered"
#define PLACEMENTS_HEADER "id\thome_id\tchild\tstart\tend\tdistance_km\tout_of_area\tdistant"
#define OCCUPANCY_HEADER "home_id\tmonth\tchild_nights"
#define RUN_HEADER                                                                                              \
	"id\tstarted_at\tfinished_at\ttrigger\tby\tbudget\tbudget_confidence\tsimulated_rate\th_up\th_down\t"     \
	"h_combined\thomes\tmonths\tfirst_month\tlast_month\tsignals\talerts"
#define SIGNALS_HEADER "run\thome_id\tmonth\tindicator\tdirection\tstatistic\tthreshold\tobserved\texpected\tmonths\treason"

struct listing {
	enum what what;
	const char *la, *type;
	int64_t home, run, child;
	bool json, failed;
};

static const char *cmd_name(enum what w)
{
	return w == HOMES ? "safeguard homes list"
	       : w == REG44 ? "safeguard homes reg44"
	       : w == NOTES ? "safeguard homes notes"
	       : w == INCIDENTS ? "safeguard homes incidents"
	       : w == PLACEMENTS ? "safeguard homes placements"
	       : w == OCCUPANCY ? "safeguard homes occupancy"
	       : w == LAST_RUN ? "safeguard homes last-run"
			    : "safeguard homes signals";
}

static void usage(FILE *f)
{
	fprintf(f, "usage: safeguard homes list --db URL [--la CODE] [--json]\n"
		   "       safeguard homes reg44 --db URL --home ID [--json]\n"
		   "       safeguard homes notes --db URL --home ID [--json]\n"
		   "       safeguard homes signals --db URL --run ID [--home ID] [--json]\n"
		   "       safeguard homes incidents --db URL [--home ID] [--type T] [--json]\n"
		   "       safeguard homes placements --db URL [--home ID] [--child ID] [--json]\n"
		   "       safeguard homes occupancy --db URL [--home ID] [--json]\n"
		   "       safeguard homes last-run --db URL [--run ID] [--json]\n\n"
		   "list   the register of children's homes, by id (--la: the homes of that host authority, its DfE\n"
		   "       number); the register names no one and is not audited\n"
		   "reg44  the home's Regulation 44 visit reports, newest first (safeguarded: yes, no or not_stated);\n"
		   "       audited (reg44.list) before they are read\n"
		   "notes  the home's police location-risk notes, newest first; audited (home_notes.list)\n"
		   "signals  a monitor run's signals (homes run), by home, month and indicator, with the reason in\n"
		   "       words (--home: that home's); about homes, naming no one: not audited\n"
		   "incidents  what happened in the homes, newest first (--home: that home's; --type: restraint,\n"
		   "       injury, missing, police, complaint, self_harm, notification or allegation); the child by id\n"
		   "       (0: none), no summary, no sealed child's; audited (home_incidents.list)\n"
		   "placements  the children placed in the homes, by home, current first, then newest first (--home:\n"
		   "       that home's; --child: that child's); end empty while placed, distance_km -1 when not\n"
		   "       known; the child by id (0: not on the record), no sealed child's; audited\n"
		   "       (home_placements.list)\n"
		   "occupancy  the homes' child-nights month by month (the monitor's exposure), by home and month\n"
		   "       (--home: that home's); a month with no row had none; about homes: not audited\n"
		   "last-run  the monitor's newest run (--run: that run), one line: when, what started it (nightly,\n"
		   "       on_demand, cli) and who, its false-alarm budget and thresholds, the homes and months\n"
		   "       watched, its signals and alerts (a run older than its budget's confidence and simulated rate:\n"
		   "       -1, with --json null, as the API); none yet: the header alone; not audited\n"
		   "One line each, tab-separated, after a header line that names the fields (tabs, newlines and\n"
		   "backslashes in a field written \\t, \\n and \\\\), or with --json one JSON object a line.\n");
}

static bool print_json(json_t *o, struct listing *l)
{
	if (!cli_list_json(o)) {
		l->failed = true;
		return false;
	}
	return true;
}

static int print_home(const struct store_home *h, void *ctx)
{
	struct listing *l = ctx;
	if (l->json) {
		json_t *o = json_pack("{sI ss ss ss ss ss si ss ss ss}", "id", (json_int_t)h->id, "urn", h->urn, "name",
				      h->name, "provider", h->provider, "la_code", h->la_code, "postcode", h->postcode,
				      "places", h->places, "specialism", h->specialism, "ofsted_grade", h->ofsted_grade,
				      "grade_date", h->grade_date);
		return print_json(o, l) ? 0 : 1;
	}
	printf("%lld", (long long)h->id);
	const char *a[] = {h->urn, h->name, h->provider, h->la_code, h->postcode};
	cli_list_fields(a, sizeof a / sizeof *a);
	printf("\t%d", h->places);
	const char *b[] = {h->specialism, h->ofsted_grade, h->grade_date};
	cli_list_fields(b, sizeof b / sizeof *b);
	putchar('\n');
	return 0;
}

static int print_report(const struct store_reg44 *r, void *ctx)
{
	struct listing *l = ctx;
	if (l->json) {
		json_t *o = json_pack("{sI sI ss ss ss ss ss}", "id", (json_int_t)r->id, "home_id", (json_int_t)r->home_id,
				      "month", r->month, "received_at", r->received_at, "visitor", r->visitor,
				      "safeguarded", r->safeguarded, "summary", r->summary);
		return print_json(o, l) ? 0 : 1;
	}
	printf("%lld\t%lld", (long long)r->id, (long long)r->home_id);
	const char *f[] = {r->month, r->received_at, r->visitor, r->safeguarded, r->summary};
	cli_list_fields(f, sizeof f / sizeof *f);
	putchar('\n');
	return 0;
}

static int print_note(const struct store_home_note *n, void *ctx)
{
	struct listing *l = ctx;
	if (l->json) {
		json_t *o = json_pack("{sI sI ss ss ss ss}", "id", (json_int_t)n->id, "home_id", (json_int_t)n->home_id,
				      "author", n->author, "agency", n->agency, "created_at", n->created_at, "text", n->text);
		return print_json(o, l) ? 0 : 1;
	}
	printf("%lld\t%lld", (long long)n->id, (long long)n->home_id);
	const char *f[] = {n->author, n->agency, n->created_at, n->text};
	cli_list_fields(f, sizeof f / sizeof *f);
	putchar('\n');
	return 0;
}

static int print_signal(const struct store_oversight_signal *g, void *ctx)
{
	struct listing *l = ctx;
	if (l->json) {
		json_t *o = json_pack("{sI sI ss ss ss sf sf sf sf si ss}", "run", (json_int_t)g->run_id, "home_id",
				      (json_int_t)g->home_id, "month", g->month, "indicator", g->indicator, "direction",
				      g->direction, "statistic", g->statistic, "threshold", g->threshold, "observed",
				      g->observed, "expected", g->expected, "months", g->months, "reason", g->reason);
		return print_json(o, l) ? 0 : 1;
	}
	printf("%lld\t%lld", (long long)g->run_id, (long long)g->home_id);
	const char *f[] = {g->month, g->indicator, g->direction};
	cli_list_fields(f, sizeof f / sizeof *f);
	printf("\t%.6f\t%.6f\t%.6f\t%.6f\t%d\t", g->statistic, g->threshold, g->observed, g->expected, g->months);
	cli_list_field(g->reason);
	putchar('\n');
	return 0;
}

static int print_incident(const struct store_home_incident *i, void *ctx)
{
	struct listing *l = ctx;
	if (l->json) {
		json_t *o = json_pack("{sI sI sI ss ss si ss si si si}", "id", (json_int_t)i->id, "home_id",
				      (json_int_t)i->home_id, "child", (json_int_t)i->person_id, "occurred_at",
				      i->occurred_at, "type", i->type, "duration_min", i->duration_min, "technique",
				      i->technique, "child_injured", i->child_injured, "staff_involved", i->staff_involved,
				      "debrief_offered", i->debrief_offered);
		return print_json(o, l) ? 0 : 1;
	}
	printf("%lld\t%lld\t%lld", (long long)i->id, (long long)i->home_id, (long long)i->person_id);
	const char *f[] = {i->occurred_at, i->type};
	cli_list_fields(f, sizeof f / sizeof *f);
	printf("\t%d\t", i->duration_min);
	cli_list_field(i->technique);
	printf("\t%d\t%d\t%d\n", i->child_injured, i->staff_involved, i->debrief_offered);
	return 0;
}

static int print_placement(const struct store_home_placement *p, void *ctx)
{
	struct listing *l = ctx;
	if (l->json) {
		json_t *o = json_pack("{sI sI sI ss ss sf sb sb}", "id", (json_int_t)p->id, "home_id", (json_int_t)p->home_id,
				      "child", (json_int_t)p->person_id, "start", p->start, "end", p->end, "distance_km",
				      p->distance_km, "out_of_area", p->out_of_area, "distant", p->distant);
		return print_json(o, l) ? 0 : 1;
	}
	printf("%lld\t%lld\t%lld", (long long)p->id, (long long)p->home_id, (long long)p->person_id);
	const char *f[] = {p->start, p->end};
	cli_list_fields(f, sizeof f / sizeof *f);
	printf("\t%.1f\t%d\t%d\n", p->distance_km, p->out_of_area ? 1 : 0, p->distant ? 1 : 0);
	return 0;
}

static int print_occupancy(int64_t home_id, const char *month, double child_nights, void *ctx)
{
	struct listing *l = ctx;
	if (l->json) {
		json_t *o = json_pack("{sI ss sf}", "home_id", (json_int_t)home_id, "month", month, "child_nights",
				      child_nights);
		return print_json(o, l) ? 0 : 1;
	}
	printf("%lld\t", (long long)home_id);
	cli_list_field(month);
	printf("\t%.6g\n", child_nights);
	return 0;
}

/* A figure a run stored before it was recorded is negative: null in JSON, as the API says it. */
static json_t *recorded_or_null(double x)
{
	return x >= 0 ? json_real(x) : json_null();
}

static int print_run(store *st, struct listing *l)
{
	struct store_oversight_run r;
	bool found;
	int rc = oplists_oversight_run(st, l->run, &r, &found);
	if (rc != 0 || !found)
		return rc;
	if (l->json) {
		json_t *o = json_pack("{sI ss ss ss ss sf so so sf sf sf si si ss ss si si}", "id", (json_int_t)r.id,
				      "started_at", r.started_at, "finished_at", r.finished_at, "trigger", r.trigger, "by",
				      r.by, "budget", r.budget, "budget_confidence", recorded_or_null(r.budget_confidence),
				      "simulated_rate", recorded_or_null(r.simulated_rate), "h_up", r.h_up, "h_down", r.h_down, "h_combined", r.h_combined,
				      "homes", r.homes, "months", r.months, "first_month", r.first_month, "last_month",
				      r.last_month, "signals", r.signals, "alerts", r.alerts);
		return print_json(o, l) ? 0 : 1;
	}
	printf("%lld", (long long)r.id);
	const char *a[] = {r.started_at, r.finished_at, r.trigger, r.by};
	cli_list_fields(a, sizeof a / sizeof *a);
	printf("\t%.6g\t%.6g\t%.6g\t%.6f\t%.6f\t%.6f\t%d\t%d", r.budget, r.budget_confidence, r.simulated_rate, r.h_up,
	       r.h_down, r.h_combined, r.homes, r.months);
	const char *b[] = {r.first_month, r.last_month};
	cli_list_fields(b, sizeof b / sizeof *b);
	printf("\t%d\t%d\n", r.signals, r.alerts);
	return 0;
}

static int list(store *st, void *ctx)
{
	struct listing *l = ctx;
	switch (l->what) {
	case HOMES: return oplists_homes(st, l->la, print_home, l);
	case REG44: return oplists_reg44(st, l->home, print_report, l);
	case NOTES: return oplists_home_notes(st, l->home, print_note, l);
	case SIGNALS: return oplists_signals(st, l->run, l->home, print_signal, l);
	case INCIDENTS: return oplists_home_incidents(st, l->home, l->type, 0, print_incident, l);
	case PLACEMENTS: return oplists_home_placements(st, l->home, l->child, print_placement, l);
	case OCCUPANCY: return oplists_occupancy(st, l->home, print_occupancy, l);
	case LAST_RUN: return print_run(st, l);
	}
	return 1;
}

static bool la_code_ok(const char *s)
{
	size_t n = strlen(s);
	if (n != 3)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static int run(enum what what, int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
					     {"la", required_argument, NULL, 'l'},
					     {"home", required_argument, NULL, 'm'},
					     {"run", required_argument, NULL, 'r'},
					     {"type", required_argument, NULL, 't'},
					     {"child", required_argument, NULL, 'c'},
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
		case 'l':
			if (what != HOMES) {
				fprintf(stderr, "%s: --la is an option of homes list only\n", cmd);
				return 2;
			}
			if (!la_code_ok(optarg)) {
				fprintf(stderr, "%s: --la must be a local authority's DfE number (3 digits), not \"%.40s\"\n",
					cmd, optarg);
				return 2;
			}
			l.la = optarg;
			break;
		case 'm':
			if (what == HOMES || what == LAST_RUN) {
				fprintf(stderr,
					"%s: --home is an option of homes reg44, notes, signals, incidents, placements and "
					"occupancy only\n",
					cmd);
				return 2;
			}
			if (!cli_list_count(optarg, false, &l.home)) {
				fprintf(stderr, "%s: --home must be a home's id (a whole number above 0), not \"%.40s\"\n", cmd,
					optarg);
				return 2;
			}
			break;
		case 'r':
			if (what != SIGNALS && what != LAST_RUN) {
				fprintf(stderr, "%s: --run is an option of homes signals and last-run only\n", cmd);
				return 2;
			}
			if (!cli_list_count(optarg, false, &l.run)) {
				fprintf(stderr, "%s: --run must be a run's id (a whole number above 0), not \"%.40s\"\n", cmd,
					optarg);
				return 2;
			}
			break;
		case 'c':
			if (what != PLACEMENTS) {
				fprintf(stderr, "%s: --child is an option of homes placements only\n", cmd);
				return 2;
			}
			if (!cli_list_count(optarg, false, &l.child)) {
				fprintf(stderr, "%s: --child must be a child's id (a whole number above 0), not \"%.40s\"\n", cmd,
					optarg);
				return 2;
			}
			break;
		case 't':
			if (what != INCIDENTS) {
				fprintf(stderr, "%s: --type is an option of homes incidents only\n", cmd);
				return 2;
			}
			if (ov_indicator_from_name(optarg) < 0) {
				fprintf(stderr,
					"%s: --type must be one of restraint, injury, missing, police, complaint, self_harm, "
					"notification, allegation, not \"%.40s\"\n",
					cmd, optarg);
				return 2;
			}
			l.type = optarg;
			break;
		case 'j': l.json = true; break;
		case 'h': usage(stdout); return 0;
		default: return cli_list_misuse(cmd, c, argv, usage);
		}
	}
	if (cli_list_args_done(cmd, argc, argv, db) != 0)
		return 2;
	if (what == SIGNALS && l.run == 0) {
		fprintf(stderr, "%s: --run is required (which run's signals)\n", cmd);
		return 2;
	}
	if ((what == REG44 || what == NOTES) && l.home == 0) {
		fprintf(stderr, "%s: --home is required (whose %s)\n", cmd, what == REG44 ? "reports" : "notes");
		return 2;
	}
	const char *header = l.json	     ? NULL
			     : what == HOMES ? HOMES_HEADER
			     : what == REG44 ? REG44_HEADER
			     : what == NOTES ? NOTES_HEADER
			     : what == INCIDENTS ? INCIDENTS_HEADER
			     : what == PLACEMENTS ? PLACEMENTS_HEADER
			     : what == OCCUPANCY ? OCCUPANCY_HEADER
			     : what == LAST_RUN ? RUN_HEADER
					     : SIGNALS_HEADER;
	const char *what_text = what == HOMES	? "the homes"
				: what == REG44 ? "the home's reports"
				: what == NOTES ? "the home's notes"
				: what == INCIDENTS ? "the incidents"
				: what == PLACEMENTS ? "the placements"
				: what == OCCUPANCY ? "the occupancy"
				: what == LAST_RUN ? "the run"
						: "the run's signals";
	return cli_list_run(cmd, db, header, what_text, list, &l, &l.failed);
}

int cli_homes_list(int argc, char **argv)
{
	return run(HOMES, argc, argv);
}

int cli_homes_reg44(int argc, char **argv)
{
	return run(REG44, argc, argv);
}

int cli_homes_notes(int argc, char **argv)
{
	return run(NOTES, argc, argv);
}

int cli_homes_signals(int argc, char **argv)
{
	return run(SIGNALS, argc, argv);
}

int cli_homes_incidents(int argc, char **argv)
{
	return run(INCIDENTS, argc, argv);
}

int cli_homes_placements(int argc, char **argv)
{
	return run(PLACEMENTS, argc, argv);
}

int cli_homes_occupancy(int argc, char **argv)
{
	return run(OCCUPANCY, argc, argv);
}

int cli_homes_last_run(int argc, char **argv)
{
	return run(LAST_RUN, argc, argv);
}
