/* gen homes: a synthetic set of children's homes on disk (issue 6), for the oversight monitor's tests and
 * its benchmark. Four files, written whole or not at all. */
#include <csv.h>
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "synth/homes.h"

int cmd_gen_homes(int argc, char **argv);

enum { F_HOMES, F_OCCUPANCY, F_INCIDENTS, F_TRUTH, F_REG44, F_N };
static const char *const file_names[F_N] = {"homes.csv", "occupancy.csv", "incidents.csv", "truth.csv", "reg44.csv"};

struct homes_out {
	struct cli_tmp f[F_N];
	unsigned long long homes, months, incidents, harmful;
};

static void row(FILE *f, const char *const *fields, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			fputc(',', f);
		if (strpbrk(fields[i], ",\"\r\n"))
			csv_fwrite(f, fields[i], strlen(fields[i])); /* libcsv quotes and escapes */
		else
			fputs(fields[i], f);
	}
	fputc('\n', f);
}

static int on_home(const struct synth_home *h, void *ctx)
{
	struct homes_out *o = ctx;
	char places[12];
	snprintf(places, sizeof places, "%d", h->places);
	const char *r[] = {h->home_id, h->name, h->provider, h->la_code, h->specialism, places, h->rating};
	row(o->f[F_HOMES].f, r, sizeof r / sizeof r[0]);
	o->homes++;
	return 0;
}

static int on_month(const struct synth_home_month *m, void *ctx)
{
	struct homes_out *o = ctx;
	fprintf(o->f[F_OCCUPANCY].f, "%s,%s,%d\n", m->home->home_id, m->month, m->child_nights);
	o->months++;
	return 0;
}

static int on_incident(const struct synth_home_incident *i, void *ctx)
{
	struct homes_out *o = ctx;
	fprintf(o->f[F_INCIDENTS].f, "%s,%s,%s\n", i->home->home_id, i->date, synth_incident_type_name(i->type));
	o->incidents++;
	return 0;
}

static int on_reg44(const struct synth_home_reg44 *r, void *ctx)
{
	struct homes_out *o = ctx;
	fprintf(o->f[F_REG44].f, "%s,%s,%s\n", r->home->home_id, r->month, r->safeguarded ? "yes" : "no");
	return 0;
}

static int on_truth(const struct synth_home_truth *t, void *ctx)
{
	struct homes_out *o = ctx;
	fprintf(o->f[F_TRUTH].f, "%s,%d,%s\n", t->home->home_id, t->harmful, t->onset_month);
	o->harmful += (unsigned long long)t->harmful;
	/* A full disk shows here, not only at the end. */
	for (int k = 0; k < F_N; k++)
		if (ferror(o->f[k].f))
			return -2;
	return 0;
}

static int usage(void)
{
	int lo, hi;
	synth_homes_onset_range(36, &lo, &hi);
	printf("usage: safeguard gen homes --out DIR [--homes N] [--months M] [--seed S] [--harmful-pct P]\n"
	       "                          [--style a|b] [--rate-scale X] [--dispersion-scale X] [--harm-scale X]\n"
	       "                          [--season-scale X]\n\n"
	       "Writes synthetic children's homes and what was recorded in them, month by month from 2023-01,\n"
	       "with the ground truth of which homes turned harmful and when. Same options, same files;\n"
	       "all five are written or none is.\n"
	       "  DIR/homes.csv      home_id,name,provider,la_code,specialism,places,rating\n"
	       "  DIR/occupancy.csv  home_id,month,child_nights (month YYYY-MM; 0 when the home stood empty)\n"
	       "  DIR/incidents.csv  home_id,date,type (date YYYY-MM-DD; type restraint, injury, missing,\n"
	       "                     police, complaint, self_harm, notification or allegation)\n"
	       "  DIR/truth.csv      home_id,harmful,onset_month (harmful 1 or 0; onset YYYY-MM or empty)\n"
	       "  DIR/reg44.csv      home_id,month,safeguarded (the Regulation 44 visitor's opinion, yes or no;\n"
	       "                     how often a visitor sees harm is each simulator's assumption)\n"
	       "Homes differ by specialism and by their own level; counts are bursty and seasonal; a child with\n"
	       "high needs raises restraints for a month or two. From its onset a harmful home records 2-3 times\n"
	       "the restraints, injuries and missing episodes and 0.3 times the complaints. Onsets fall in\n"
	       "months M/3+1 to 5M/6 (%d-%d of 36).\n"
	       "--style b is a second simulator written apart from the first (src/synth/homes2.c): children who\n"
	       "carry their own propensities, correlated log-normal home levels, incidents that cause incidents,\n"
	       "holidays, area-wide changes, staff turnover, reporting changes, homes opening and closing, and\n"
	       "harm that ramps up over 1-5 months with a size and pattern of its own. Same files.\n"
	       "The scales (each %g-%g, default 1) perturb the model for robustness sweeps: base rates times X;\n"
	       "the variances of its overdispersion times X; each harmful rise or fall to the power X; each\n"
	       "seasonal swing times X.\n"
	       "Defaults: 2000 homes (1-%d), 36 months (%d-%d), seed 1, 5%% harmful (0-100, to 0.01), style a.\n",
	       lo, hi, SYNTH_HOMES_SCALE_MIN, SYNTH_HOMES_SCALE_MAX, SYNTH_HOMES_MAX, SYNTH_HOMES_MIN_MONTHS,
	       SYNTH_HOMES_MAX_MONTHS);
	return 0;
}

/* argv[0] is "homes". */
int cmd_gen_homes(int argc, char **argv)
{
	static const struct option opts[] = {{"out", required_argument, NULL, 'o'},
					     {"homes", required_argument, NULL, 'n'},
					     {"months", required_argument, NULL, 'm'},
					     {"seed", required_argument, NULL, 's'},
					     {"harmful-pct", required_argument, NULL, 'p'},
					     {"style", required_argument, NULL, 'y'},
					     {"rate-scale", required_argument, NULL, 'R'},
					     {"dispersion-scale", required_argument, NULL, 'D'},
					     {"harm-scale", required_argument, NULL, 'X'},
					     {"season-scale", required_argument, NULL, 'S'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	struct synth_homes_opts so;
	struct homes_out o;
	char *paths[F_N] = {NULL};
	const char *dir = NULL;
	int c, rc = 1;
	synth_homes_defaults(&so);
	memset(&o, 0, sizeof o);
	optind = 1;
	opterr = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		const char *flag = c == 'n' ? "homes" : c == 'm' ? "months" : "seed";
		char *end = NULL;
		long long v;
		double x;
		switch (c) {
		case 'o': dir = optarg; break;
		case 'y':
			if (strcmp(optarg, "a") != 0 && strcmp(optarg, "b") != 0) {
				fprintf(stderr, "safeguard gen homes: --style: '%.32s' is not a or b\n", optarg);
				return 2;
			}
			so.style = optarg[0] == 'a' ? SYNTH_HOMES_STYLE_A : SYNTH_HOMES_STYLE_B;
			break;
		case 'p':
		case 'R':
		case 'D':
		case 'X':
		case 'S': {
			const char *name = c == 'p' ? "harmful-pct" : c == 'R' ? "rate-scale" : c == 'D' ? "dispersion-scale"
				     : c == 'X' ? "harm-scale" : "season-scale";
			double lo = c == 'p' ? 0 : SYNTH_HOMES_SCALE_MIN, hi = c == 'p' ? 100 : SYNTH_HOMES_SCALE_MAX;
			errno = 0;
			x = strtod(optarg, &end);
			if (!*optarg || *end || errno || !(x >= lo && x <= hi)) {
				fprintf(stderr, "safeguard gen homes: --%s: '%.32s' is out of range (%g-%g)\n", name, optarg, lo,
					hi);
				return 2;
			}
			if (c == 'p')
				so.harmful_pct = x;
			else if (c == 'R')
				so.rate_scale = x;
			else if (c == 'D')
				so.dispersion_scale = x;
			else if (c == 'X')
				so.harm_scale = x;
			else
				so.season_scale = x;
			break;
		}
		case 'n':
		case 'm':
		case 's':
			errno = 0;
			v = strtoll(optarg, &end, 10);
			if (!*optarg || *end || errno || v < 0 || (c == 'n' && (v < 1 || v > SYNTH_HOMES_MAX)) ||
			    (c == 'm' && (v < SYNTH_HOMES_MIN_MONTHS || v > SYNTH_HOMES_MAX_MONTHS))) {
				fprintf(stderr, "safeguard gen homes: --%s: '%.32s' is out of range\n", flag, optarg);
				return 2;
			}
			if (c == 'n')
				so.homes = (int)v;
			else if (c == 'm')
				so.months = (int)v;
			else
				so.seed = (uint64_t)v;
			break;
		case 'h': return usage();
		default: return 2; /* getopt has named the flag */
		}
	}
	if (optind < argc) {
		fprintf(stderr, "safeguard gen homes: unexpected argument '%.64s'\n", argv[optind]);
		return 2;
	}
	if (!dir || !*dir) {
		fprintf(stderr, "safeguard gen homes: --out DIR is required\n");
		return 2;
	}
	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "safeguard gen homes: --out: cannot create %s: %s\n", dir, strerror(errno));
		return 1;
	}
	/* Renaming a file over a directory fails; find that before anything is written, so that a
	 * failure cannot leave some new files beside some old ones. */
	for (int k = 0; k < F_N; k++) {
		struct stat st;
		size_t n = strlen(dir) + strlen(file_names[k]) + 2;
		if (!(paths[k] = malloc(n))) {
			fprintf(stderr, "safeguard gen homes: out of memory\n");
			goto out;
		}
		snprintf(paths[k], n, "%s/%s", dir, file_names[k]);
		if (lstat(paths[k], &st) == 0 && !S_ISREG(st.st_mode)) {
			fprintf(stderr, "safeguard gen homes: --out: %s exists and is not a regular file\n", paths[k]);
			goto out;
		}
	}
	for (int k = 0; k < F_N; k++)
		if (cli_tmp_open(&o.f[k], paths[k]))
			goto out;
	fputs("home_id,name,provider,la_code,specialism,places,rating\n", o.f[F_HOMES].f);
	fputs("home_id,month,child_nights\n", o.f[F_OCCUPANCY].f);
	fputs("home_id,date,type\n", o.f[F_INCIDENTS].f);
	fputs("home_id,harmful,onset_month\n", o.f[F_TRUTH].f);
	fputs("home_id,month,safeguarded\n", o.f[F_REG44].f);

	struct synth_homes_sink sink = {on_home, on_month, on_incident, on_truth, &o, on_reg44};
	int g = synth_homes_generate(&so, &sink);
	bool ok = g == 0;
	if (g == -1)
		fprintf(stderr, "safeguard gen homes: options out of range\n");
	else if (g != 0)
		fprintf(stderr, "safeguard gen homes: cannot write the files in %s\n", dir);
	/* Every file flushed and clean before the first is renamed into place. */
	for (int k = 0; ok && k < F_N; k++)
		if (fflush(o.f[k].f) != 0 || ferror(o.f[k].f)) {
			fprintf(stderr, "safeguard gen homes: cannot write %s: %s\n", o.f[k].tmp ? o.f[k].tmp : o.f[k].path,
				strerror(errno));
			ok = false;
		}
	for (int k = 0; k < F_N; k++)
		if (cli_tmp_commit(&o.f[k], ok) != 0)
			ok = false;
	if (ok) {
		fprintf(stderr, "safeguard gen homes: %llu homes (%llu harmful), %llu home-months, %llu incidents in %s\n",
			o.homes, o.harmful, o.months, o.incidents, dir);
		rc = 0;
	}
out:
	for (int k = 0; k < F_N; k++) {
		if (o.f[k].f)
			cli_tmp_commit(&o.f[k], false);
		free(paths[k]);
	}
	return rc;
}
