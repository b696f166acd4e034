/*
 * bench/linkage/location_joint.c — are postcode and address (and family name) independent given the match
 * status? The joint distribution of their comparison levels among true pairs (every pair of records of one
 * child, by the truth file) and among random pairs of two children, against the product of the marginals.
 *   make build/bench/linkage/location_joint
 *   build/bench/linkage/location_joint records.csv truth.csv [random_pairs]
 * truth.csv: record_id,child_id,family_id,... in the order of records.csv (gen_c.mjs and gen write it so).
 * The address is compared whatever the postcodes (linkage_compare compares it only under an equal or
 * missing postcode). Prints, per (postcode level, address level): the share among true pairs and among
 * random pairs, and each share's ratio to the product of the two marginals. Then the same for family name
 * "exact" and location among pairs of two children of one family (household members) and random pairs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/records_csv.h"
#include "lib/rng.h"
#include "linkage/linkage.h"

struct rd {
	size_t n, cap;
	struct linkage_input *in;
	char **keep;
};

static int on_row(const struct records_csv_row *row, void *ctx)
{
	struct rd *r = ctx;
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 4096;
		r->in = realloc(r->in, r->cap * sizeof *r->in);
		r->keep = realloc(r->keep, r->cap * RC_NCOL * sizeof *r->keep);
		if (!r->in || !r->keep)
			return 1;
	}
	char **k = &r->keep[r->n * RC_NCOL];
	for (int c = 0; c < RC_NCOL; c++)
		k[c] = strdup(row->field[c]);
	r->in[r->n] = (struct linkage_input){k[RC_GIVEN_NAME], k[RC_MIDDLE_NAMES], k[RC_FAMILY_NAME], k[RC_DOB],
					     k[RC_SEX], k[RC_POSTCODE], k[RC_ADDRESS], k[RC_NHS_NUMBER], k[RC_UPN]};
	r->n++;
	return 0;
}

#define NP LP_NLEVELS
#define NA LA_NLEVELS

static void table(const char *title, const double c[NP][NA])
{
	double tot = 0, mp[NP] = {0}, ma[NA] = {0};
	for (int p = 0; p < NP; p++)
		for (int a = 0; a < NA; a++) {
			tot += c[p][a];
			mp[p] += c[p][a];
			ma[a] += c[p][a];
		}
	printf("%s (%.0f pairs): share (joint / product of marginals)\n%-10s", title, tot, "pc\\addr");
	for (int a = 0; a < NA; a++)
		printf(" %22s", (const char *const[]){"missing", "exact", "overlap", "else"}[a]);
	printf("\n");
	for (int p = 0; p < NP; p++) {
		printf("%-10s", linkage_level_name(LF_POSTCODE, (unsigned)p));
		for (int a = 0; a < NA; a++) {
			double j = c[p][a] / tot, prod = (mp[p] / tot) * (ma[a] / tot);
			printf(" %12.5f (%7.2f)", j, prod > 0 ? j / prod : 0);
		}
		printf("\n");
	}
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: location_joint records.csv truth.csv [random_pairs]\n");
		return 2;
	}
	uint64_t nrand = argc > 3 ? strtoull(argv[3], NULL, 10) : 2000000;
	struct rd r = {0};
	char err[512];
	FILE *f = fopen(argv[1], "rb");
	if (!f || records_csv_read(f, argv[1], on_row, &r, err, sizeof err) != 0) {
		fprintf(stderr, "%s\n", f ? err : argv[1]);
		return 1;
	}
	fclose(f);
	size_t n = r.n;
	long *child = calloc(n, sizeof *child), *fam = calloc(n, sizeof *fam);
	FILE *t = fopen(argv[2], "r");
	char line[4096];
	size_t k = 0;
	if (!t || !fgets(line, sizeof line, t))
		return 1;
	while (k < n && fgets(line, sizeof line, t)) {
		/* "id","child","family",... */
		char *p = strchr(line, ',');
		child[k] = strtol(p + 2, &p, 10);
		p = strchr(p, ',');
		fam[k] = strtol(p + 2, NULL, 10);
		k++;
	}
	fclose(t);
	struct linkage_rec *recs = calloc(n, sizeof *recs);
	linkage_prepare_many(r.in, n, recs, 2);
	/* records by child, then by family: an index sorted by key */
	static double tp[NP][NA], rp[NP][NA], hh[2][NP][NA], rf[2][NP][NA], tf[2][NP][NA];
	size_t *ix = malloc(n * sizeof *ix);
	for (int pass = 0; pass < 2; pass++) {
		long *key = pass ? fam : child;
		/* records grouped by key (a counting sort) */
		size_t *by = ix;
		long maxk = 0;
		for (size_t i = 0; i < n; i++)
			if (key[i] > maxk)
				maxk = key[i];
		size_t *start = calloc((size_t)maxk + 2, sizeof *start);
		for (size_t i = 0; i < n; i++)
			start[key[i] + 1]++;
		for (long q = 0; q <= maxk; q++)
			start[q + 1] += start[q];
		size_t *pos = malloc(((size_t)maxk + 2) * sizeof *pos);
		memcpy(pos, start, ((size_t)maxk + 2) * sizeof *pos);
		for (size_t i = 0; i < n; i++)
			by[pos[key[i]]++] = i;
		for (long q = 0; q <= maxk; q++) {
			size_t s = start[q], e = start[q + 1];
			if (e - s > 200)
				continue; /* bounded */
			for (size_t x = s; x < e; x++)
				for (size_t y = x + 1; y < e; y++) {
					size_t a = by[x], b = by[y];
					if (pass == 1 && child[a] == child[b])
						continue;
					unsigned pc = linkage_cmp_postcode(&recs[a], &recs[b]);
					unsigned ad = linkage_cmp_address(&recs[a], &recs[b]);
					if (pass == 0) {
						tp[pc][ad]++;
						tf[linkage_cmp_family(&recs[a], &recs[b]) == LN_EXACT][pc][ad]++;
					} else {
						unsigned fe = linkage_cmp_family(&recs[a], &recs[b]) == LN_EXACT;
						hh[fe][pc][ad]++;
					}
				}
		}
		free(start);
		free(pos);
	}
	struct rng g;
	rng_seed(&g, 7);
	for (uint64_t q = 0; q < nrand; q++) {
		size_t a = (size_t)(rng_next(&g) % n), b = (size_t)(rng_next(&g) % n);
		if (a == b || child[a] == child[b])
			continue;
		unsigned pc = linkage_cmp_postcode(&recs[a], &recs[b]);
		unsigned ad = linkage_cmp_address(&recs[a], &recs[b]);
		unsigned fe = linkage_cmp_family(&recs[a], &recs[b]) == LN_EXACT;
		rp[pc][ad]++;
		rf[fe][pc][ad]++;
	}
	table("true pairs", tp);
	table("random pairs of two children", rp);
	table("two children of one family, family name exact", hh[1]);
	table("two children of one family, family name not exact", hh[0]);
	table("random pairs, family name exact", rf[1]);
	table("true pairs, family name exact", tf[1]);
	for (int s = 0; s < 2; s++) {
		double (*c)[NP][NA] = s ? tf : rf, e = 0, a = 0, ef = 0, fl = 0;
		for (int p = 1; p < NP; p++)
			for (int q = 0; q < NA; q++) {
				e += c[1][p][q];
				a += c[0][p][q] + c[1][p][q];
				if (p == LP_FULL) {
					ef += c[1][p][q];
					fl += c[0][p][q] + c[1][p][q];
				}
			}
		printf("%s, postcode present: P(family exact) %.5f P(postcode full) %.6f P(both) %.7f product %.7f ratio %.3f;"
		       " P(family not exact, postcode full) %.7f product %.7f ratio %.3f\n",
		       s ? "true pairs" : "random pairs", e / a, fl / a, ef / a, (e / a) * (fl / a), (ef / a) / ((e / a) * (fl / a)),
		       (fl - ef) / a, (1 - e / a) * (fl / a), ((fl - ef) / a) / ((1 - e / a) * (fl / a)));
	}
	double fe = 0, all = 0, fea = 0, pcf = 0;
	for (int p = 0; p < NP; p++)
		for (int a = 0; a < NA; a++) {
			fe += rf[1][p][a];
			all += rf[0][p][a] + rf[1][p][a];
			if (p == LP_FULL) {
				fea += rf[1][p][a];
				pcf += rf[0][p][a] + rf[1][p][a];
			}
		}
	printf("random pairs: P(family exact) %.5f, P(postcode full) %.6f, P(both) %.7f, product %.7f, ratio %.1f\n",
	       fe / all, pcf / all, fea / all, (fe / all) * (pcf / all), (fea / all) / ((fe / all) * (pcf / all)));
	for (size_t i = 0; i < n * RC_NCOL; i++)
		free(r.keep[i]);
	free(r.keep);
	free(r.in);
	free(recs);
	free(ix);
	free(child);
	free(fam);
	return 0;
}
