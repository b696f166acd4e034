/* gen: a synthetic area on disk, for tests, the demo and the benchmarks. */
#include <csv.h>
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/cli.h"
#include "clock/now.h"
#include "synth/people2.h"
#include "synth/synth.h"

json_t *cli_synth_request(const struct synth_record *r)
{
	const struct synth_subject *s = &r->subject;
	json_t *subject = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "given_name", s->given_name,
				    "middle_names", s->middle_names, "family_name", s->family_name, "dob", s->dob, "sex",
				    s->sex, "postcode", s->postcode, "address", s->address, "nhs_number", s->nhs_number,
				    "upn", s->upn);
	/* What only some agencies record: sent only when they hold it, as a real feed would. */
	const char *extra[][2] = {{"communication_needs", s->communication_needs},
				  {"disability", s->disability},
				  {"ethnicity", s->ethnicity},
				  {"first_language", s->first_language}};
	for (size_t i = 0; subject && i < sizeof extra / sizeof extra[0]; i++)
		if (extra[i][1][0])
			json_object_set_new(subject, extra[i][0], json_string(extra[i][1]));
	return json_pack("{s:s, s:s, s:s, s:s, s:o, s:{}}", "source_ref", r->source_ref, "kind", r->kind,
			 "occurred_at", r->occurred_at, "summary", r->summary, "subject", subject, "details");
}

struct gen_out {
	struct cli_tmp events, records, truth, namesakes;
	unsigned long long n;
	unsigned long long last_namesake; /* the child whose namesakes.csv row was written last */
	int failed;
};

static void csv_row(FILE *f, const char *const *fields, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			fputc(',', f);
		csv_fwrite(f, fields[i], strlen(fields[i])); /* libcsv quotes and escapes */
	}
	fputc('\n', f);
}

static void error_names(unsigned errors, char *out, size_t outsz)
{
	static const char *const names[] = {"nickname", "typo", "transliteration", "dob_swap",
					    "dob_off", "moved", "no_id", "surname_part"};
	size_t used = 0;
	out[0] = '\0';
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (errors & (1u << i)) {
			int n = snprintf(out + used, outsz - used, "%s%s", used ? "+" : "", names[i]);
			if (n < 0 || (size_t)n >= outsz - used)
				break;
			used += (size_t)n;
		}
}

static int emit(const struct synth_record *r, void *ctx)
{
	struct gen_out *o = ctx;
	char id[24], child[24], family[24], errors[128];
	const struct synth_subject *s = &r->subject;
	json_t *line = json_pack("{s:s, s:o}", "agency", r->agency, "request", cli_synth_request(r));
	if (!line || json_dumpf(line, o->events.f, JSON_COMPACT | JSON_SORT_KEYS) != 0) {
		json_decref(line);
		return -1;
	}
	json_decref(line);
	fputc('\n', o->events.f);

	snprintf(id, sizeof id, "%llu", (unsigned long long)r->record_no);
	const char *rec[] = {id, r->agency, s->given_name, s->middle_names, s->family_name, s->dob, s->sex,
			     s->postcode, s->address, s->nhs_number, s->upn, r->source_ref};
	csv_row(o->records.f, rec, sizeof rec / sizeof rec[0]);

	snprintf(child, sizeof child, "%llu", (unsigned long long)r->true_child);
	snprintf(family, sizeof family, "%llu", (unsigned long long)r->family);
	error_names(r->errors, errors, sizeof errors);
	const char *tr[] = {id, child, family, errors};
	csv_row(o->truth.f, tr, sizeof tr / sizeof tr[0]);
	o->n++;
	return 0;
}

static char *join(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);
	if (p)
		snprintf(p, n, "%s/%s", dir, name);
	return p;
}

int cmd_gen_homes(int argc, char **argv); /* cmd_gen_homes.c */

/* ---- style b: synth/people2.h, records.csv and truth.csv only ---- */

static int emit_b(const struct p2_record *r, void *ctx)
{
	struct gen_out *o = ctx;
	char id[24], child[24], family[24], errors[256];
	snprintf(id, sizeof id, "%llu", (unsigned long long)r->record_no);
	const char *rec[] = {id, r->source, r->given, r->middle, r->family, r->dob, r->sex, r->postcode, r->address,
			     r->nhs, r->upn, ""};
	csv_row(o->records.f, rec, sizeof rec / sizeof rec[0]);
	snprintf(child, sizeof child, "%llu", (unsigned long long)r->child);
	snprintf(family, sizeof family, "%llu", (unsigned long long)r->household);
	size_t used = 0;
	errors[0] = '\0';
	for (unsigned i = 0; i < P2E_NBITS; i++)
		if (r->errors & (1u << i)) {
			int n = snprintf(errors + used, sizeof errors - used, "%s%s", used ? "+" : "", p2_error_name[i]);
			if (n < 0 || (size_t)n >= sizeof errors - used)
				break;
			used += (size_t)n;
		}
	const char *tr[] = {id, child, family, errors, r->true_dob};
	csv_row(o->truth.f, tr, sizeof tr / sizeof tr[0]);
	if (o->namesakes.f && r->namesake_of && r->child != o->last_namesake) { /* a child's records come together */
		char of[24];
		snprintf(of, sizeof of, "%llu", (unsigned long long)r->namesake_of);
		const char *nr[] = {child, of, "household", "1"};
		csv_row(o->namesakes.f, nr, sizeof nr / sizeof nr[0]);
		o->last_namesake = r->child;
		if (ferror(o->namesakes.f))
			return -1;
	}
	if (ferror(o->records.f) || ferror(o->truth.f))
		return -1;
	o->n++;
	return 0;
}

/* "NAME=F": scale a factor of the style-b generator (people2.h), or of style a (synth.h). */
static int parse_scale(const char *arg, const char *const *names, int nnames, double *scale)
{
	const char *eq = strchr(arg, '=');
	char name[48], *end = NULL;
	if (!eq || (size_t)(eq - arg) >= sizeof name)
		return -1;
	memcpy(name, arg, (size_t)(eq - arg));
	name[eq - arg] = '\0';
	double v = strtod(eq + 1, &end);
	if (!eq[1] || *end || !(v > 0 && v <= 100))
		return -1;
	for (int i = 0; i < nnames; i++)
		if (strcmp(names[i], name) == 0) {
			scale[i] = v;
			return 0;
		}
	if (strcmp(name, "errors") == 0) { /* every error rate at once */
		for (int i = 0; i < nnames; i++)
			if (!scale[i])
				scale[i] = -v; /* marked: applied below to the error factors only */
		return 0;
	}
	return -1;
}

int cmd_gen(int argc, char **argv)
{
	static const struct option opts[] = {{"out", required_argument, NULL, 'o'},
					     {"families", required_argument, NULL, 'f'},
					     {"seed", required_argument, NULL, 's'},
					     {"today", required_argument, NULL, 't'},
					     {"error-pct", required_argument, NULL, 'e'},
					     {"style", required_argument, NULL, 'y'},
					     {"scale", required_argument, NULL, 'k'},
					     {"namesakes", required_argument, NULL, 'n'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	const char *dir = NULL;
	struct synth_opts so = {.seed = 1, .families = 100, .error_pct = 25, .today = ts_utc_date(clock_now())};
	struct gen_out o;
	char *pe = NULL, *pr = NULL, *pt = NULL, *pn = NULL;
	int c, rc = 1;
	bool style_b = false;
	double scale_b[P2_NFACTORS] = {0};
	const char *scales[64];
	int nscales = 0;
	double namesakes = 0;
	memset(&o, 0, sizeof o);
	if (argc > 1 && strcmp(argv[1], "homes") == 0)
		return cmd_gen_homes(argc - 1, argv + 1);
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		char *end = NULL;
		long long v;
		switch (c) {
		case 'o': dir = optarg; break;
		case 'f':
		case 's':
		case 'e':
			v = strtoll(optarg, &end, 10);
			if (!*optarg || *end || v < 0 || (c == 'f' && (v < 1 || v > 10000000)) || (c == 'e' && v > 100)) {
				fprintf(stderr, "safeguard gen: --%s: '%.32s' is out of range\n",
					c == 'f' ? "families" : c == 's' ? "seed" : "error-pct", optarg);
				return 2;
			}
			if (c == 'f')
				so.families = (int)v;
			else if (c == 's')
				so.seed = (uint64_t)v;
			else
				so.error_pct = (int)v;
			break;
		case 't':
			if (date_parse_iso(optarg, &so.today) != DATE_OK) {
				fprintf(stderr, "safeguard gen: --today must be a date as YYYY-MM-DD\n");
				return 2;
			}
			break;
		case 'y':
			if (strcmp(optarg, "a") != 0 && strcmp(optarg, "b") != 0) {
				fprintf(stderr, "safeguard gen: --style must be a or b\n");
				return 2;
			}
			style_b = optarg[0] == 'b';
			break;
		case 'n':
			namesakes = strtod(optarg, &end);
			if (!*optarg || *end || !(namesakes >= 0 && namesakes <= 1)) {
				fprintf(stderr, "safeguard gen: --namesakes: '%.32s' is not a share between 0 and 1\n", optarg);
				return 2;
			}
			break;
		case 'k':
			if (nscales == (int)(sizeof scales / sizeof scales[0])) {
				fprintf(stderr, "safeguard gen: too many --scale options\n");
				return 2;
			}
			scales[nscales++] = optarg;
			break;
		case 'h':
			printf("usage: safeguard gen --out DIR [--families N] [--seed N] [--today YYYY-MM-DD] [--error-pct P]\n"
			       "                     [--style a|b] [--scale FACTOR=X ...] [--namesakes P]\n"
			       "       safeguard gen homes --out DIR ...  (children's homes; see gen homes --help)\n\n"
			       "Writes a synthetic area: children in families, known to one or more agencies, with the\n"
			       "recording errors real records have (nicknames, typos, transliterations, swapped day and\n"
			       "month, moves, missing identifiers, twins). Same options, same files.\n"
			       "  DIR/events.jsonl  one line per agency record: {\"agency\": CODE, \"request\": BODY}, where\n"
			       "                    BODY is what the agency would POST to /api/v1/events\n"
			       "  DIR/records.csv   record_id,source,given_name,middle_names,family_name,dob,sex,postcode,\n"
			       "                    address,nhs_number,upn,source_ref (the record-linkage input)\n"
			       "  DIR/truth.csv     record_id,child_id,family_id,errors (the ground truth)\n"
			       "Defaults: 100 families, seed 1, today's date, 25%% of records with an error.\n\n"
			       "--style b: a second generator written apart from the first (synth/people2.h), for measuring\n"
			       "record linkage on data it was not developed on: --families counts households; it writes\n"
			       "records.csv and truth.csv (with a true_dob column), no events.jsonl; --error-pct is ignored.\n"
			       "--scale FACTOR=X multiplies a factor's default (X in (0, 100]); errors=X scales every error\n"
			       "rate at once. --namesakes P (style b): a share P of the children after a household's first\n"
			       "(not twins) get the given name of an earlier child of the household (a sibling or a cousin\n"
			       "living in, another birthday), listed in DIR/namesakes.csv (child_id,namesake_of,kind,\n"
			       "same_address); 0, the default, leaves the output as it was. Factors of style b:");
			for (int i = 0; i < P2_NFACTORS; i++)
				printf("%s %s=%g", i % 6 ? "" : "\n ", p2_factor_name[i], p2_factor_default[i]);
			printf("\nFactors of style a (their defaults are 1):");
			for (int i = 0; i < SYNTH_NFACTORS; i++)
				printf("%s %s", i % 8 ? "" : "\n ", synth_factor_name[i]);
			printf("\n");
			return 0;
		default: return 2;
		}
	}
	if (!dir) {
		fprintf(stderr, "safeguard gen: --out DIR is required\n");
		return 2;
	}
	if (namesakes > 0 && !style_b) {
		fprintf(stderr, "safeguard gen: --namesakes is an option of --style b\n");
		return 2;
	}
	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "safeguard gen: cannot create %s\n", dir);
		return 1;
	}
	for (int i = 0; i < nscales; i++) {
		int bad = style_b ? parse_scale(scales[i], p2_factor_name, P2_NFACTORS, scale_b)
				  : parse_scale(scales[i], synth_factor_name, SYNTH_NFACTORS, so.scale);
		if (bad) {
			fprintf(stderr, "safeguard gen: --scale '%.48s' is not FACTOR=X with a factor of style %s (see --help)\n",
				scales[i], style_b ? "b" : "a");
			return 2;
		}
	}
	/* errors=X: every error factor not set by name. */
	for (int i = 0; i < P2_NFACTORS; i++)
		if (scale_b[i] < 0)
			scale_b[i] = i < P2_TWINS ? -scale_b[i] : 0;
	for (int i = 0; i < SYNTH_NFACTORS; i++)
		if (so.scale[i] < 0)
			so.scale[i] = i < SYNTH_F_TWINS ? -so.scale[i] : 0;
	if (style_b) {
		struct p2_opts po = {.seed = so.seed, .households = so.families, .today = so.today, .namesakes = namesakes};
		memcpy(po.scale, scale_b, sizeof po.scale);
		if (!(pr = join(dir, "records.csv")) || !(pt = join(dir, "truth.csv")))
			goto out;
		if (cli_tmp_open(&o.records, pr) || cli_tmp_open(&o.truth, pt))
			goto out;
		const char *rh[] = {"record_id", "source", "given_name", "middle_names", "family_name", "dob", "sex",
				    "postcode", "address", "nhs_number", "upn", "source_ref"};
		const char *th[] = {"record_id", "child_id", "family_id", "errors", "true_dob"};
		csv_row(o.records.f, rh, sizeof rh / sizeof rh[0]);
		csv_row(o.truth.f, th, sizeof th / sizeof th[0]);
		if (namesakes > 0) {
			if (!(pn = join(dir, "namesakes.csv")) || cli_tmp_open(&o.namesakes, pn))
				goto out;
			const char *nh[] = {"child_id", "namesake_of", "kind", "same_address"};
			csv_row(o.namesakes.f, nh, sizeof nh / sizeof nh[0]);
		}
		int g = p2_generate(&po, emit_b, &o);
		bool ok = g == 0;
		if (g == -1)
			fprintf(stderr, "safeguard gen: options out of range\n");
		else if (g != 0)
			fprintf(stderr, "safeguard gen: cannot write the records\n");
		if (cli_tmp_commit(&o.records, ok) | cli_tmp_commit(&o.truth, ok) |
		    (o.namesakes.f ? cli_tmp_commit(&o.namesakes, ok) : 0))
			ok = false;
		if (ok) {
			fprintf(stderr, "safeguard gen: %llu records (style b) about the children of %d households in %s\n",
				o.n, so.families, dir);
			rc = 0;
		}
		goto out;
	}
	if (!(pe = join(dir, "events.jsonl")) || !(pr = join(dir, "records.csv")) || !(pt = join(dir, "truth.csv")))
		goto out;
	if (cli_tmp_open(&o.events, pe) || cli_tmp_open(&o.records, pr) || cli_tmp_open(&o.truth, pt))
		goto out;
	const char *rh[] = {"record_id", "source", "given_name", "middle_names", "family_name", "dob", "sex",
			    "postcode", "address", "nhs_number", "upn", "source_ref"};
	const char *th[] = {"record_id", "child_id", "family_id", "errors"};
	csv_row(o.records.f, rh, sizeof rh / sizeof rh[0]);
	csv_row(o.truth.f, th, sizeof th / sizeof th[0]);
	int g = synth_generate(&so, emit, &o);
	bool ok = g == 0;
	if (g == -1)
		fprintf(stderr, "safeguard gen: options out of range\n");
	else if (g != 0)
		fprintf(stderr, "safeguard gen: cannot write the records\n");
	if (cli_tmp_commit(&o.events, ok) | cli_tmp_commit(&o.records, ok) | cli_tmp_commit(&o.truth, ok))
		ok = false;
	if (ok) {
		fprintf(stderr, "safeguard gen: %llu records about the children of %d families in %s\n", o.n, so.families,
			dir);
		rc = 0;
	}
out:
	if (o.events.f)
		cli_tmp_commit(&o.events, false);
	if (o.records.f)
		cli_tmp_commit(&o.records, false);
	if (o.truth.f)
		cli_tmp_commit(&o.truth, false);
	if (o.namesakes.f)
		cli_tmp_commit(&o.namesakes, false);
	free(pe);
	free(pr);
	free(pt);
	free(pn);
	return rc;
}
