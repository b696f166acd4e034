/*
 * homes: continuous oversight of children's homes from the command line (docs/OVERSIGHT.md).
 *   safeguard homes monitor  three CSV files in, the months in which each home's charts signal, out.
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

#include "cli/cli.h"
#include "io/homes_csv.h"
#include "oversight/oversight.h"

/* A file larger than this is refused rather than read into memory. */
#define HOMES_FILE_MAX ((size_t)1 << 30)

static void usage(FILE *f)
{
	fprintf(f,
		"usage: safeguard homes monitor --homes HOMES.csv --occupancy OCCUPANCY.csv --incidents INCIDENTS.csv\n"
		"                               --out ALERTS.csv [--false-alarms-per-100-home-years N]\n\n"
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
		"The months monitored run from the first to the last month named in occupancy.csv; an incident\n"
		"outside them is an error. Thresholds are chosen by simulation so that the whole system raises about\n"
		"N false alarms per 100 home-years (default 5). Bad input stops with FILE:LINE: and writes nothing.\n");
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

struct signals {
	struct ov_signal *v;
	size_t n, cap;
};

static int collect(const struct ov_signal *sig, void *ctx)
{
	struct signals *s = ctx;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		struct ov_signal *q = realloc(s->v, cap * sizeof *q);
		if (!q)
			return -1;
		s->v = q;
		s->cap = cap;
	}
	s->v[s->n++] = *sig;
	return 0;
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

static int monitor(int argc, char **argv)
{
	static const struct option opts[] = {{"homes", required_argument, NULL, 'H'},
					     {"occupancy", required_argument, NULL, 'O'},
					     {"incidents", required_argument, NULL, 'I'},
					     {"out", required_argument, NULL, 'o'},
					     {"false-alarms-per-100-home-years", required_argument, NULL, 'f'},
					     {"help", no_argument, NULL, 'h'},
					     {0}};
	const char *homes = NULL, *occ = NULL, *inc = NULL, *out_path = NULL;
	struct ov_settings s;
	struct hcsv d;
	struct signals sig = {0};
	double *E = NULL, *alpha = NULL, *Ep = NULL, *am = NULL;
	int c, rc = 1;
	struct timespec t0;

	ov_settings_default(&s);
	hcsv_init(&d);
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'H': homes = optarg; break;
		case 'O': occ = optarg; break;
		case 'I': inc = optarg; break;
		case 'o': out_path = optarg; break;
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
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (!homes || !occ || !inc || !out_path || optind != argc) {
		fprintf(stderr, "safeguard homes monitor: --homes, --occupancy, --incidents and --out are required\n");
		usage(stderr);
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (load(&d, homes, hcsv_read_homes) != 0 || load(&d, occ, hcsv_read_occupancy) != 0 ||
	    load(&d, inc, hcsv_read_incidents) != 0)
		goto out;

	struct ov_panel p;
	hcsv_panel(&d, &p);
	size_t n = p.nhomes * p.nmonths * OV_NIND;
	E = malloc((n + 1) * sizeof *E);
	alpha = malloc((n + 1) * sizeof *alpha);
	Ep = malloc((n + 1) * sizeof *Ep);
	am = malloc((n + 1) * sizeof *am);
	double h[OV_NFAMILY], rate[OV_NFAMILY];
	struct ov_calibration cal;
	if (!E || !alpha || !Ep || !am || ov_fit(&s, &p, E, alpha, Ep, am) != OV_OK ||
	    ov_calibrate(&s, &p, Ep, &cal) != OV_OK ||
	    ov_thresholds_cal(&s, p.nhomes, p.nmonths, Ep, alpha, am, &cal, h, rate) != OV_OK ||
	    ov_monitor(&s, &p, E, alpha, h, NULL, collect, &sig) != OV_OK) {
		fprintf(stderr, "safeguard homes monitor: out of memory\n");
		goto out;
	}

	struct cli_tmp t;
	if (cli_tmp_open(&t, out_path) != 0)
		goto out;
	fputs("home_id,month,indicator,direction,statistic,threshold\n", t.f);
	for (size_t i = 0; i < sig.n; i++) {
		const struct ov_signal *g = &sig.v[i];
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
		fprintf(stderr,
			"safeguard homes monitor: %zu homes, %s to %s, %zu incidents; thresholds up %.3f, down %.3f, "
			"combined %.3f (simulated false alarms per 100 home-years %.2f + %.2f + %.2f); %zu signals "
			"in %.2f s\n",
			d.nhomes, a, b, d.nincidents, h[0], h[1], h[2], rate[0], rate[1], rate[2], sig.n,
			seconds_since(&t0));
		rc = 0;
	}
out:
	free(E);
	free(alpha);
	free(Ep);
	free(am);
	free(sig.v);
	hcsv_release(&d);
	return rc;
}

int cmd_homes(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "monitor") == 0)
		return monitor(argc - 1, argv + 1);
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		usage(stdout);
		return 0;
	}
	fprintf(stderr, "safeguard homes: a subcommand is required: monitor\n");
	usage(stderr);
	return 2;
}
