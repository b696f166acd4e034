/*
 * homes: continuous oversight of children's homes from the command line (docs/OVERSIGHT.md).
 *   safeguard homes monitor  three CSV files in, the months in which each home's charts signal, out.
 *   safeguard homes import   the same three files (as `safeguard gen homes` writes them) into the register.
 *   safeguard homes run      the monitor over the register: a run, its signals and alerts stored.
 *
 * The whole input is read and checked before anything is computed, so bad input stops with FILE:LINE and
 * no output file; the output is written to a temporary file and renamed (whole or not at all).
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "clock/now.h"
#include "core/date.h"
#include "io/homes_csv.h"
#include "oversight/oversight.h"
#include "service/homes.h"

/* A file larger than this is refused rather than read into memory. */
#define HOMES_FILE_MAX ((size_t)1 << 30)

static void usage(FILE *f)
{
	fprintf(f,
		"usage: safeguard homes monitor --homes HOMES.csv --occupancy OCCUPANCY.csv --incidents INCIDENTS.csv\n"
		"                               --out ALERTS.csv [--reg44 REG44.csv | --no-reg44]\n"
		"                               [--false-alarms-per-100-home-years N] [--false-alarm-confidence P]\n"
		"                               [--rho-pair R] [--rise-year-z Z] [--threads N]\n\n"
		"Watches every home's incidents against similar homes, month by month, and writes each month in which\n"
		"a chart signals, one row per home, month, indicator and direction:\n"
		"  home_id,month,indicator,direction,statistic,threshold\n"
		"(indicator one of the eight below or \"combined\"; direction \"high\" or \"low\"). Each month is\n"
		"judged on data up to that month only; a chart restarts after it signals.\n\n"
		"Inputs (CSV with a header row; columns in any order, extra columns ignored):\n"
		"  homes.csv      home_id,name,provider,la_code,specialism,places,rating (home_id and specialism\n"
		"                 are required: peers are the other homes of the same specialism)\n"
		"  occupancy.csv  home_id,month,child_nights  (month YYYY-MM; a month with no row has 0 nights)\n"
		"  incidents.csv  home_id,date,type  (date YYYY-MM-DD; type restraint, injury, missing, police,\n"
		"                 complaint, self_harm, notification or allegation)\n"
		"  reg44.csv      home_id,month,safeguarded  (optional: the Regulation 44 visitor's opinion whether\n"
		"                 children are effectively safeguarded, yes, no or not_stated; read by the combined chart).\n"
		"                 Without --reg44, a reg44.csv in the folder of incidents.csv is read (and said so);\n"
		"                 --no-reg44 leaves the opinions out\n"
		"The months monitored run from the first to the last month named in occupancy.csv; an incident\n"
		"outside them is an error. Thresholds are chosen by simulation so that the whole system raises about\n"
		"N false alarms per 100 home-years (default 5), a limit the area's own count meets with chance P\n"
		"(default 0.9; 0: N is the expected rate). Bad input stops with FILE:LINE: and writes nothing.\n"
		"--rho-pair R (above 1, not 1.5; off by default) runs a second combined chart tuned to a rise of R\n"
		"beside the first, the two calibrated together to the combined chart's budget (docs/OVERSIGHT.md).\n"
		"--rise-year-z Z (default 2; 0 off, at most 10) tunes a small home's combined chart to the rise a year\n"
		"of its counts can show at Z standard errors, 1 + Z / sqrt(12 E), E its expected harm incidents a\n"
		"month, where that is above 1.5 and 12 E is at least Z^2 (docs/OVERSIGHT.md \"Small homes\").\n"
		"--threads N (1 to 64; default the machine's cores) runs the threshold simulation's charts on N threads;\n"
		"its draws stay one stream, so alerts.csv is the same at any N.\n");
}

static int read_file(const char *path, char **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	*buf = NULL;
	*len = 0;
	if (!f) {
		fprintf(stderr, "safeguard: cannot read %s: %s\n", path, strerror(errno));
		return -1;
	}
	size_t cap = 0;
	for (;;) {
		if (*len == cap) {
			if (cap >= HOMES_FILE_MAX) {
				fprintf(stderr, "%s: larger than %zu bytes\n", path, HOMES_FILE_MAX);
				goto fail;
			}
			cap = cap ? cap * 2 : 65536;
			char *q = realloc(*buf, cap + 1);
			if (!q) {
				fprintf(stderr, "safeguard: out of memory reading %s\n", path);
				goto fail;
			}
			*buf = q;
		}
		size_t n = fread(*buf + *len, 1, cap - *len, f);
		*len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		fprintf(stderr, "safeguard: cannot read %s: %s\n", path, strerror(errno));
		goto fail;
	}
	fclose(f);
	return 0;
fail:
	fclose(f);
	free(*buf);
	*buf = NULL;
	return -1;
}

typedef int (*reader_fn)(struct hcsv *, const char *, size_t, struct hcsv_error *);

static int load(struct hcsv *d, const char *path, reader_fn fn)
{
	char *buf;
	size_t len;
	struct hcsv_error err;
	if (read_file(path, &buf, &len) != 0)
		return -1;
	int rc = fn(d, buf, len, &err);
	free(buf);
	if (rc == 0)
		return 0;
	if (err.line && err.column[0])
		fprintf(stderr, "%s:%lu: %s (column %s)\n", path, err.line, err.message, err.column);
	else if (err.line)
		fprintf(stderr, "%s:%lu: %s\n", path, err.line, err.message);
	else
		fprintf(stderr, "%s: %s\n", path, err.message);
	return -1;
}

/* A field written as CSV: quoted only when it must be. */
static void csv_field(FILE *f, const char *s)
{
	if (!s[strcspn(s, ",\"\r\n")]) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/*
 * The Regulation 44 visitors' opinions by default where the input has them (issue 16, round 23): the service's
 * nightly run reads every opinion its register holds, and an area's returns come as one folder (gen homes and
 * the other simulators write reg44.csv beside incidents.csv), so the batch command reads DIR/reg44.csv when
 * --reg44 is not given and the file is there; it says so, and --no-reg44 leaves it out. Until round 23 it read
 * them only when asked, and the same area gave the nightly run's alerts or the counts alone's depending on
 * whether the option was typed (docs/OVERSIGHT.md). True, with the path in buf, when that file exists.
 */
static bool reg44_beside(const char *incidents, char *buf, size_t cap)
{
	const char *slash = strrchr(incidents, '/');
	int n = slash ? snprintf(buf, cap, "%.*s/reg44.csv", (int)(slash - incidents), incidents)
		      : snprintf(buf, cap, "reg44.csv");
	return n > 0 && (size_t)n < cap && access(buf, F_OK) == 0;
}

static int monitor(int argc, char **argv)
{
	static const struct option opts[] = {{"homes", required_argument, NULL, 'H'},
					     {"occupancy", required_argument, NULL, 'O'},
					     {"incidents", required_argument, NULL, 'I'},
					     {"out", required_argument, NULL, 'o'},
					     {"reg44", required_argument, NULL, 'R'},
					     {"no-reg44", no_argument, NULL, 'N'},
					     {"false-alarms-per-100-home-years", required_argument, NULL, 'f'},
					     {"false-alarm-confidence", required_argument, NULL, 'C'},
					     {"rho-pair", required_argument, NULL, 'P'},
					     {"rise-year-z", required_argument, NULL, 'Z'},
					     {"threads", required_argument, NULL, 'T'},
					     {"help", no_argument, NULL, 'h'},
					     {0}};
	const char *homes = NULL, *occ = NULL, *inc = NULL, *out_path = NULL, *r44 = NULL;
	bool no_r44 = false;
	char beside[4096];
	struct ov_settings s;
	struct hcsv d;
	struct homes_monitor_out mon = {0};
	double *E = NULL, *alpha = NULL, *Ep = NULL;
	struct ov_model model = {0};
	int c, rc = 1;
	struct timespec t0;

	ov_settings_default(&s);
	s.threads = cli_cores(OV_THREADS_MAX);
	hcsv_init(&d);
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'H': homes = optarg; break;
		case 'O': occ = optarg; break;
		case 'I': inc = optarg; break;
		case 'o': out_path = optarg; break;
		case 'R': r44 = optarg; break;
		case 'N': no_r44 = true; break;
		case 'f': {
			char *e = NULL;
			s.false_alarms_per_100_home_years = strtod(optarg, &e);
			if (!e || *e || e == optarg || !(s.false_alarms_per_100_home_years > 0) ||
			    s.false_alarms_per_100_home_years > 1000) {
				fprintf(stderr, "safeguard homes monitor: --false-alarms-per-100-home-years must be a number "
						"above 0 and at most 1000\n");
				return 2;
			}
			break;
		}
		case 'C': {
			char *e = NULL;
			s.budget_confidence = strtod(optarg, &e);
			if (!e || *e || e == optarg || !(s.budget_confidence >= 0) ||
			    !(s.budget_confidence <= OV_BUDGET_CONFIDENCE_MAX)) {
				fprintf(stderr, "safeguard homes monitor: --false-alarm-confidence must be a number from 0 "
						"to %g\n", OV_BUDGET_CONFIDENCE_MAX);
				return 2;
			}
			break;
		}
		case 'P': {
			char *e = NULL;
			s.rho_pair = strtod(optarg, &e);
			if (!e || *e || e == optarg || !(s.rho_pair > 1) || s.rho_pair > 100 || s.rho_pair == s.rho_up) {
				fprintf(stderr, "safeguard homes monitor: --rho-pair must be a number above 1, at most 100 and "
						"not %g\n", s.rho_up);
				return 2;
			}
			break;
		}
		case 'Z': {
			char *e = NULL;
			s.rise_year_z = strtod(optarg, &e);
			if (!e || *e || e == optarg || !(s.rise_year_z >= 0) || s.rise_year_z > 10) {
				fprintf(stderr, "safeguard homes monitor: --rise-year-z must be a number from 0 to 10\n");
				return 2;
			}
			break;
		}
		case 'T': {
			char *e = NULL;
			long v = strtol(optarg, &e, 10);
			if (!e || *e || e == optarg || v < 1 || v > OV_THREADS_MAX) {
				fprintf(stderr, "safeguard homes monitor: --threads must be 1 to %d\n", OV_THREADS_MAX);
				return 2;
			}
			s.threads = (unsigned)v;
			break;
		}
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (!homes || !occ || !inc || !out_path || optind != argc) {
		fprintf(stderr, "safeguard homes monitor: --homes, --occupancy, --incidents and --out are required\n");
		usage(stderr);
		return 2;
	}
	if (r44 && no_r44) {
		fprintf(stderr, "safeguard homes monitor: --reg44 and --no-reg44 contradict each other\n");
		return 2;
	}
	if (!r44 && !no_r44 && reg44_beside(inc, beside, sizeof beside)) {
		r44 = beside;
		fprintf(stderr, "safeguard homes monitor: reading the Regulation 44 visitors' opinions in %s (beside the "
				"incidents; --no-reg44 leaves them out)\n", r44);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (load(&d, homes, hcsv_read_homes) != 0 || load(&d, occ, hcsv_read_occupancy) != 0 ||
	    load(&d, inc, hcsv_read_incidents) != 0 || (r44 && load(&d, r44, hcsv_read_reg44) != 0))
		goto out;

	struct ov_panel p;
	hcsv_panel(&d, &p);
	size_t n = p.nhomes * p.nmonths * OV_NIND;
	E = malloc((n + 1) * sizeof *E);
	alpha = malloc((n + 1) * sizeof *alpha);
	Ep = malloc((n + 1) * sizeof *Ep);
	if (!E || !alpha || !Ep || ov_model_alloc(&model, p.nhomes) != OV_OK ||
	    homes_monitor_panel(&s, &p, E, alpha, Ep, &model, true, false, &mon) != 0) {
		fprintf(stderr, "safeguard homes monitor: out of memory\n");
		goto out;
	}

	struct cli_tmp t;
	if (cli_tmp_open(&t, out_path) != 0)
		goto out;
	fputs("home_id,month,indicator,direction,statistic,threshold\n", t.f);
	const double *h = mon.h, *rate = mon.rate;
	for (size_t i = 0; i < mon.nsignals; i++) {
		const struct ov_signal *g = &mon.signals[i].sig;
		char m[8];
		hcsv_month_format(&d, g->month, m);
		csv_field(t.f, d.ids[g->home]);
		fprintf(t.f, ",%s,%s,%s,%.3f,%.3f\n", m, ov_indicator_name(g->indicator), g->high ? "high" : "low",
			g->statistic, g->threshold);
	}
	if (cli_tmp_commit(&t, !ferror(t.f)) == 0) {
		char a[8], b[8];
		hcsv_month_format(&d, 0, a);
		hcsv_month_format(&d, d.nmonths - 1, b);
		char pair[64] = "";
		if (h[OV_FAMILY_PAIR] > 0)
			snprintf(pair, sizeof pair, ", its pair's second chart %.3f", h[OV_FAMILY_PAIR]);
		char boot[160] = "";
		if (homes_combined_from_panel(&mon))
			snprintf(boot, sizeof boot, " (combined threshold from the panel's bootstrap, the model's %.3f: the "
				 "combined rate is the model's at it)", mon.h_model_combined);
		fprintf(stderr,
			"safeguard homes monitor: %zu homes, %s to %s, %zu incidents; thresholds up %.3f, down %.3f, "
			"combined %.3f%s (simulated false alarms per 100 home-years %.2f + %.2f + %.2f; model check x%.2f, "
			"single charts x%.2f up, x%.2f down); budget %g, a limit held with confidence %g, simulated at "
			"%.2f%s; %zu signals in %.2f s\n",
			d.nhomes, a, b, d.nincidents, h[0], h[1], h[2], pair, rate[0], rate[1], rate[2], mon.kappa[OV_FAMILY_COMBINED],
			mon.kappa[OV_FAMILY_UP], mon.kappa[OV_FAMILY_DOWN], s.false_alarms_per_100_home_years,
			s.budget_confidence, homes_simulated_rate(&mon), boot, mon.nsignals, seconds_since(&t0));
		rc = 0;
	}
out:
	free(E);
	free(alpha);
	free(Ep);
	ov_model_free(&model);
	homes_monitor_free(&mon);
	hcsv_release(&d);
	return rc;
}

/* ---- homes import ---- */

static int import(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
					     {"dir", required_argument, NULL, 'D'},
					     {"reg44", required_argument, NULL, 'R'},
					     {"help", no_argument, NULL, 'h'},
					     {0}};
	const char *db = NULL, *dir = NULL, *r44 = NULL;
	struct hcsv d;
	struct homes_import in;
	struct store_home *homes = NULL;
	struct homes_import_occ *occ = NULL;
	struct homes_import_inc *inc = NULL;
	struct homes_import_reg44 *rep = NULL;
	store *st = NULL;
	int c, rc = 1;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'D': dir = optarg; break;
		case 'R': r44 = optarg; break;
		case 'h':
			printf("usage: safeguard homes import --db URL --dir DIR [--reg44 REG44.csv]\n\n"
			       "Adds the homes in DIR/homes.csv, their child-nights (DIR/occupancy.csv) and incidents\n"
			       "(DIR/incidents.csv), as `safeguard gen homes` writes them, to the register: all of them in\n"
			       "one transaction, or nothing. homes.csv may also have postcode, lat, lon and grade_date;\n"
			       "home_id is the home's URN and must not be in the register already.\n"
			       "--reg44 adds the Regulation 44 visit reports (gen homes writes DIR/reg44.csv): home_id, month\n"
			       "(YYYY-MM) and optional safeguarded (yes, no or not_stated: in the visitor's opinion, are\n"
			       "children effectively safeguarded; not_stated when the column is absent), received_on\n"
			       "(YYYY-MM-DD; today when absent), visitor and summary. The nightly run reads the opinions\n"
			       "as `homes monitor --reg44` does.\n");
			return 0;
		default: return 2;
		}
	}
	if (!db || !dir || optind != argc) {
		fprintf(stderr, "safeguard homes import: --db and --dir are required\n");
		return 2;
	}
	hcsv_init(&d);
	d.keep = true;
	char path[3][4096];
	static const char *const names[3] = {"homes.csv", "occupancy.csv", "incidents.csv"};
	for (int i = 0; i < 3; i++)
		if ((size_t)snprintf(path[i], sizeof path[i], "%s/%s", dir, names[i]) >= sizeof path[i]) {
			fprintf(stderr, "safeguard homes import: --dir is too long\n");
			return 2;
		}
	if (load(&d, path[0], hcsv_read_homes) != 0 || load(&d, path[1], hcsv_read_occupancy) != 0 ||
	    load(&d, path[2], hcsv_read_incidents) != 0)
		goto out;
	if (r44 && load(&d, r44, hcsv_read_reg44) != 0)
		goto out;
	homes = calloc(d.nhomes, sizeof *homes);
	occ = calloc(d.nhomes * d.nmonths + 1, sizeof *occ);
	inc = calloc(d.nincidents + 1, sizeof *inc);
	if (!homes || !occ || !inc) {
		fprintf(stderr, "safeguard homes import: out of memory\n");
		goto out;
	}
	for (size_t h = 0; h < d.nhomes; h++) {
		struct store_home *x = &homes[h];
		const struct hcsv_home_extra *e = &d.extra[h];
		snprintf(x->urn, sizeof x->urn, "%.15s", d.ids[h]);
		if (strlen(d.ids[h]) > 15) {
			fprintf(stderr, "%s: home \"%.60s\": a URN is at most 15 characters (column home_id)\n", path[0],
				d.ids[h]);
			goto out;
		}
		snprintf(x->name, sizeof x->name, "%s", e->text[HCSV_NAME][0] ? e->text[HCSV_NAME] : d.ids[h]);
		snprintf(x->provider, sizeof x->provider, "%s", e->text[HCSV_PROVIDER]);
		snprintf(x->la_code, sizeof x->la_code, "%s", e->text[HCSV_LA_CODE]);
		snprintf(x->postcode, sizeof x->postcode, "%s", e->text[HCSV_POSTCODE]);
		snprintf(x->ofsted_grade, sizeof x->ofsted_grade, "%s", e->text[HCSV_RATING]);
		snprintf(x->grade_date, sizeof x->grade_date, "%s", e->text[HCSV_GRADE_DATE]);
		snprintf(x->specialism, sizeof x->specialism, "%.32s", d.groups[d.group[h]]);
		x->places = e->places;
		x->lat = e->lat;
		x->lon = e->lon;
	}
	size_t nocc = 0;
	for (size_t h = 0; h < d.nhomes; h++)
		for (size_t t = 0; t < d.nmonths; t++) {
			double n = d.nights[h * d.nmonths + t];
			if (n <= 0)
				continue; /* no row and a row of 0 mean the same: no children placed */
			occ[nocc].home = h;
			hcsv_month_format(&d, t, occ[nocc].month);
			occ[nocc++].nights = n;
		}
	for (size_t i = 0; i < d.nincidents; i++) {
		inc[i].home = d.incidents[i].home;
		date_format_iso(d.incidents[i].day, inc[i].date);
		inc[i].type = d.incidents[i].type;
		inc[i].duration_min = inc[i].child_injured = inc[i].staff_involved = inc[i].debrief_offered = -1;
	}
	rep = calloc(d.nreports + 1, sizeof *rep);
	if (!rep) {
		fprintf(stderr, "safeguard homes import: out of memory\n");
		goto out;
	}
	struct date today = ts_utc_date(ts_uk_local(clock_now())); /* received by the register today */
	static const char *const opinion[] = {"not_stated", "yes", "no"};
	for (size_t i = 0; i < d.nreports; i++) {
		const struct hcsv_reg44 *x = &d.reports[i];
		rep[i].home = x->home;
		hcsv_month_format(&d, x->month, rep[i].month);
		date_format_iso(x->received.y ? x->received : today, rep[i].received_on);
		rep[i].visitor = x->visitor;
		rep[i].summary = x->summary;
		rep[i].safeguarded = opinion[x->opinion];
	}
	in = (struct homes_import){homes, d.nhomes, occ, nocc, inc, d.nincidents, rep, d.nreports, 0};
	if (!(st = cli_open_store(db, true)))
		goto out;
	int r = homes_import(st, "cli", &in);
	if (r == HOMES_EDUPLICATE) {
		fprintf(stderr, "%s: home \"%.60s\" is already in the register (column home_id); nothing was imported\n",
			path[0], homes[in.duplicate].urn);
		goto out;
	}
	if (r != 0) {
		fprintf(stderr, "safeguard homes import: the register could not be written (error %d); nothing was "
				"imported\n", r);
		goto out;
	}
	char a[8], b[8];
	hcsv_month_format(&d, 0, a);
	hcsv_month_format(&d, d.nmonths - 1, b);
	fprintf(stderr, "safeguard homes import: %zu homes, %s to %s, %zu home-months, %zu incidents, %zu Regulation 44 "
			"reports\n", d.nhomes, a, b, nocc, d.nincidents, d.nreports);
	rc = 0;
out:
	store_close(st);
	free(homes);
	free(occ);
	free(inc);
	free(rep);
	hcsv_release(&d);
	return rc;
}

/* ---- homes run ---- */

static int run(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
					     {"false-alarms-per-100-home-years", required_argument, NULL, 'f'},
					     {"false-alarm-confidence", required_argument, NULL, 'C'},
					     {"reg44-month", required_argument, NULL, 'r'},
					     {"help", no_argument, NULL, 'h'},
					     {0}};
	const char *db = NULL;
	char reg44[8];
	double budget = 0, confidence = 0;
	bool confidence_set = false;
	int c;
	homes_last_complete_month(clock_now(), reg44);
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'f': {
			char *e = NULL;
			budget = strtod(optarg, &e);
			if (!e || *e || e == optarg || !(budget > 0) || budget > 1000) {
				fprintf(stderr, "safeguard homes run: --false-alarms-per-100-home-years must be a number "
						"above 0 and at most 1000\n");
				return 2;
			}
			break;
		}
		case 'C': {
			char *e = NULL;
			confidence = strtod(optarg, &e);
			confidence_set = true;
			if (!e || *e || e == optarg || !(confidence >= 0) ||
			    !(confidence <= OV_BUDGET_CONFIDENCE_MAX)) {
				fprintf(stderr, "safeguard homes run: --false-alarm-confidence must be a number from 0 to "
						"%g\n", OV_BUDGET_CONFIDENCE_MAX);
				return 2;
			}
			break;
		}
		case 'r': {
			struct date dd;
			char day[16];
			snprintf(day, sizeof day, "%.7s-01", optarg);
			if (strlen(optarg) != 7 || date_parse_iso(day, &dd) != DATE_OK) {
				fprintf(stderr, "safeguard homes run: --reg44-month must be a month as YYYY-MM\n");
				return 2;
			}
			snprintf(reg44, sizeof reg44, "%.7s", optarg);
			break;
		}
		case 'h':
			printf("usage: safeguard homes run --db URL [--false-alarms-per-100-home-years N] "
			       "[--false-alarm-confidence P] [--reg44-month YYYY-MM]\n\n"
			       "Runs the monitor over the homes register (as the server does every night and on demand),\n"
			       "stores the run and its signals, and raises an alert for the oversight team about each\n"
			       "home flagged in the last %d months, and each home with children placed and no Regulation\n"
			       "44 report for the last complete month (default: the month before today). The budget N\n"
			       "(default 5) is a limit the area's false alarms meet with chance P (default 0.9; 0: N is\n"
			       "their expected rate); the run records both and the rate its thresholds were simulated at.\n",
			       HOMES_FLAG_MONTHS);
			return 0;
		default: return 2;
		}
	}
	if (!db || optind != argc) {
		fprintf(stderr, "safeguard homes run: --db is required\n");
		return 2;
	}
	store *st = cli_open_store(db, false);
	if (!st)
		return 1;
	char now[STORE_TS_LEN + 1];
	ts_format_utc(clock_now(), now);
	struct homes_run_opts o = {.trigger = "cli", .actor = "cli", .budget = budget,
				   .confidence_set = confidence_set, .confidence = confidence, .reg44_month = reg44,
				   .started_at = now};
	struct homes_run_result res;
	int r = homes_run(st, NULL, &o, &res);
	store_close(st);
	if (r == HOMES_EEMPTY) {
		fprintf(stderr, "safeguard homes run: the register has no homes with months of occupancy: nothing to "
				"monitor (safeguard homes import adds them)\n");
		return 1;
	}
	if (r != 0) {
		fprintf(stderr, "safeguard homes run: failed (error %d); nothing was stored\n", r);
		return 1;
	}
	char boot[96] = "";
	if (res.combined_from_panel)
		snprintf(boot, sizeof boot, " (from the panel's bootstrap, the model's %.3f)", res.h_model_combined);
	printf("run %lld: %d homes, %s to %s; budget %g false alarms per 100 home-years, a limit held with "
	       "confidence %g, simulated at %.2f; thresholds up %.3f, down %.3f, combined %.3f%s; %d signals, %d homes "
	       "flagged, %d without a Regulation 44 report for %s, %d new alerts\n",
	       (long long)res.run_id, res.homes, res.first_month, res.last_month, res.budget, res.budget_confidence,
	       res.simulated_rate, res.h[0], res.h[1], res.h[2], boot, res.signals, res.flagged, res.reg44_missing,
	       reg44, res.alerts_raised);
	return 0;
}

int cmd_homes(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "monitor") == 0)
		return monitor(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "import") == 0)
		return import(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "run") == 0)
		return run(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "alerts") == 0)
		return cli_homes_alerts(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "list") == 0)
		return cli_homes_list(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "reg44") == 0)
		return cli_homes_reg44(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "notes") == 0)
		return cli_homes_notes(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "signals") == 0)
		return cli_homes_signals(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "incidents") == 0)
		return cli_homes_incidents(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "placements") == 0)
		return cli_homes_placements(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "occupancy") == 0)
		return cli_homes_occupancy(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "last-run") == 0)
		return cli_homes_last_run(argc - 1, argv + 1);
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		usage(stdout);
		return 0;
	}
	fprintf(stderr, "safeguard homes: a subcommand is required: monitor, import, run, alerts, list, reg44, notes, signals, incidents, placements,\n"
			"occupancy or last-run\n");
	usage(stderr);
	return 2;
}
