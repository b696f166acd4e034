/* Intake's blocking keys against a linkage set's ground truth (issue 17, "intake's candidates at a million
 * children"): for each key set, the true pairs (two records of one child) that share at least one key, the
 * records that share a key with an earlier record of their child (what intake needs to find the child's
 * person), and what the set costs: the distinct record pairs sharing a key, and the records a record meets
 * (its block, all keys together). The keys are the service's own (identity_block_keys), so the figures cannot
 * drift from what intake does; the key sets are subsets of them, and "fdob" (a family name's sound with the
 * birth year, the coarse key before migration 32) is the service's fdm key less its month.
 *   make build/bench/block_recall && build/bench/block_recall DIR...
 * each DIR holding records.csv and truth.csv (bench/linkage's sets: `safeguard gen`, bench/linkage/gen_c.mjs).
 * The records are read as bench/linkage/service_train.mjs sends them (its dates into ISO; a field intake
 * refuses is sent empty). BLOCK_RECALL_LOST=1 also prints the true pairs main's keys keep and the new ones do
 * not ("lost LINE LINE", records.csv's lines), to read what the new keys miss. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/ident.h"
#include "io/records_csv.h"
#include "service/identity.h"

#define FIELDS_MAX 32
#define LINE_MAX_BYTES 8192

/* One CSV line into fields (quotes, "" inside them); returns the count. Modifies line. */
static int csv_split(char *line, char *f[FIELDS_MAX])
{
	int n = 0;
	char *p = line;
	while (n < FIELDS_MAX) {
		char *out = p;
		f[n++] = p;
		if (*p == '"') {
			char *q = p + 1;
			for (;;) {
				if (*q == '\0')
					break;
				if (*q == '"' && q[1] == '"') {
					*out++ = '"';
					q += 2;
				}
				else if (*q == '"') {
					q++;
					break;
				}
				else
					*out++ = *q++;
			}
			p = q;
		}
		else {
			while (*p && *p != ',' && *p != '\n' && *p != '\r')
				*out++ = *p++;
		}
		char end = *p;
		*out = '\0';
		if (end != ',')
			break;
		p++;
	}
	return n;
}

static int col_of(char *const h[], int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (strcmp(h[i], name) == 0)
			return i;
	return -1;
}

/* service_train.mjs's isoDobC: year first with or without separators or a time, day first, a month's name. */
static void iso_dob(const char *v, char out[11])
{
	static const char *const mon[] = {"jan", "feb", "mar", "apr", "may", "jun",
					  "jul", "aug", "sep", "oct", "nov", "dec"};
	int y, m, d, k = 0;
	char ms[4], sep1, sep2;
	out[0] = '\0';
	size_t len = strlen(v);
	if (len >= 10 && sscanf(v, "%4d-%2d-%2d%n", &y, &m, &d, &k) == 3 && k == 10 && (v[10] == '\0' || v[10] == 'T'))
		;
	else if (len >= 8 && sscanf(v, "%4d%2d%2d%n", &y, &m, &d, &k) == 3 && k == 8 && (v[8] == '\0' || v[8] == 'T'))
		;
	else if (sscanf(v, "%2d%c%2d%c%4d%n", &d, &sep1, &m, &sep2, &y, &k) == 5 && (size_t)k == len && sep1 == sep2 &&
		 strchr("/.-", sep1) && y >= 1000)
		;
	else if (len == 8 && sscanf(v, "%2d%2d%4d", &d, &m, &y) == 3)
		;
	else if (sscanf(v, "%2d%c%3[A-Za-z]%c%4d%n", &d, &sep1, ms, &sep2, &y, &k) == 5 && (size_t)k == len &&
		 (sep1 == ' ' || sep1 == '-') && (sep2 == ' ' || sep2 == '-')) {
		m = 0;
		for (int i = 0; i < 12; i++)
			if (strncasecmp(ms, mon[i], 3) == 0)
				m = i + 1;
		if (!m)
			return;
	}
	else
		return;
	char iso[32];
	snprintf(iso, sizeof iso, "%04d-%02d-%02d", y, m, d);
	struct date dt;
	if (date_parse_iso(iso, &dt) == DATE_OK) /* intake refuses an impossible date: sent empty */
		memcpy(out, iso, 11);
}

static void trimmed(char *dst, size_t dstsz, const char *s)
{
	while (*s == ' ')
		s++;
	size_t n = strlen(s);
	while (n && s[n - 1] == ' ')
		n--;
	if (n >= dstsz)
		n = dstsz - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

/* The key sets compared: each a list of key kinds (the text before ':'). */
struct key_set {
	const char *name;
	const char *kinds[8];
};
static const struct key_set SETS[] = {
	{"narrow only (nhs upn gdob pc)", {"nhs", "upn", "gdob", "pc"}},
	{"main: narrow + fdob", {"nhs", "upn", "gdob", "pc", "fdob"}},
	{"narrow + fdm", {"nhs", "upn", "gdob", "pc", "fdm"}},
	{"narrow + fgi", {"nhs", "upn", "gdob", "pc", "fgi"}},
	{"narrow + fdm + fgi (new)", {"nhs", "upn", "gdob", "pc", "fdm", "fgi"}},
	{"narrow + fdob + fdm + fgi", {"nhs", "upn", "gdob", "pc", "fdob", "fdm", "fgi"}},
};
#define NSETS (int)(sizeof SETS / sizeof SETS[0])

#define RKEYS (IDENTITY_KEYS_MAX + 1)
struct rec {
	long child;
	int nkeys;
	char *keys[RKEYS];
};

struct entry {
	const char *key;
	int rec;
};

static int by_key(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : (x->rec > y->rec) - (x->rec < y->rec);
}

static bool kind_in(const char *key, const struct key_set *set)
{
	size_t k = strcspn(key, ":");
	for (int i = 0; set->kinds[i]; i++)
		if (strlen(set->kinds[i]) == k && strncmp(key, set->kinds[i], k) == 0)
			return true;
	return false;
}

static bool share(const struct rec *a, const struct rec *b, const struct key_set *set)
{
	for (int i = 0; i < a->nkeys; i++)
		if (kind_in(a->keys[i], set))
			for (int j = 0; j < b->nkeys; j++)
				if (strcmp(a->keys[i], b->keys[j]) == 0)
					return true;
	return false;
}

static const struct rec *sorting; /* by_child's records */
static int by_child(const void *a, const void *b)
{
	const struct rec *r = sorting;
	int x = *(const int *)a, y = *(const int *)b;
	if (r[x].child != r[y].child)
		return r[x].child < r[y].child ? -1 : 1;
	return (x > y) - (x < y);
}

struct reading {
	struct rec *r;
	size_t n, cap;
	FILE *truth;
	int tr, tc, nth;
	const char *dir;
};

/* A record as service_train.mjs sends it, its keys, and its child from truth.csv's row of the same line. */
static int one_record(const struct records_csv_row *row, void *ctx)
{
	struct reading *g = ctx;
	char tl[LINE_MAX_BYTES], *tf[FIELDS_MAX];
	if (!fgets(tl, sizeof tl, g->truth) || csv_split(tl, tf) != g->nth || strcmp(tf[g->tr], row->field[RC_RECORD_ID])) {
		fprintf(stderr, "block_recall: %s: records.csv line %lu: truth.csv has not that record there\n", g->dir,
			row->line);
		return 1;
	}
	if (g->n == g->cap) {
		g->cap = g->cap ? 2 * g->cap : 1024;
		struct rec *m = realloc(g->r, g->cap * sizeof *m);
		if (!m)
			return 1;
		g->r = m;
	}
	struct identity_subject s;
	memset(&s, 0, sizeof s);
	trimmed(s.given_name, sizeof s.given_name, row->field[RC_GIVEN_NAME]);
	trimmed(s.middle_names, sizeof s.middle_names, row->field[RC_MIDDLE_NAMES]);
	trimmed(s.family_name, sizeof s.family_name, row->field[RC_FAMILY_NAME]);
	iso_dob(row->field[RC_DOB], s.dob);
	const char *pc = row->field[RC_POSTCODE], *nhs = row->field[RC_NHS_NUMBER], *upn = row->field[RC_UPN];
	if (pc[0] && ident_postcode_normalise(pc, s.postcode) != IDENT_OK)
		s.postcode[0] = '\0';
	if (nhs[0] && ident_nhs_check(nhs, s.nhs_number) != IDENT_OK)
		s.nhs_number[0] = '\0';
	if (upn[0] && ident_upn_check(upn, s.upn) != IDENT_OK)
		s.upn[0] = '\0';
	char keys[IDENTITY_KEYS_MAX][IDENTITY_KEY_BYTES];
	int k = identity_block_keys(&s, keys);
	struct rec *x = &g->r[g->n++];
	x->child = atol(tf[g->tc]);
	x->nkeys = 0;
	for (int i = 0; i < k; i++) {
		x->keys[x->nkeys++] = strdup(keys[i]);
		/* the coarse key before: the family name's sound and the year ("fdm:SX|2016-05" less "-05") */
		if (strncmp(keys[i], "fdm:", 4) == 0) {
			char old[IDENTITY_KEY_BYTES + 1];
			size_t len = strlen(keys[i]);
			snprintf(old, sizeof old, "fdob:%.*s", (int)(len - 4 - 3), keys[i] + 4);
			x->keys[x->nkeys++] = strdup(old);
		}
	}
	return 0;
}

static int run(const char *dir)
{
	char path[4096], err[512];
	snprintf(path, sizeof path, "%s/truth.csv", dir);
	FILE *t = fopen(path, "r");
	snprintf(path, sizeof path, "%s/records.csv", dir);
	FILE *f = fopen(path, "r");
	if (!f || !t) {
		fprintf(stderr, "block_recall: %s: records.csv and truth.csv needed\n", dir);
		return 1;
	}
	char th[LINE_MAX_BYTES], *tf[FIELDS_MAX];
	if (!fgets(th, sizeof th, t))
		return 1;
	int nth = csv_split(th, tf);
	struct reading g = {.truth = t, .tr = col_of(tf, nth, "record_id"), .tc = col_of(tf, nth, "child_id"),
			    .nth = nth, .dir = dir};
	if (g.tr < 0 || g.tc < 0) {
		fprintf(stderr, "block_recall: %s: truth.csv needs record_id and child_id\n", dir);
		return 1;
	}
	int rrc = records_csv_read(f, path, one_record, &g, err, sizeof err);
	if (rrc) {
		if (rrc < 0)
			fprintf(stderr, "block_recall: %s\n", err);
		return 1;
	}
	struct rec *r = g.r;
	size_t n = g.n;
	fclose(f);
	fclose(t);
	if (!r)
		return 1;
	/* the true pairs and the records with an earlier record of their child */
	int *order = malloc(n * sizeof *order);
	size_t nent = 0;
	for (size_t i = 0; i < n; i++)
		nent += (size_t)r[i].nkeys;
	struct entry *e = malloc((nent ? nent : 1) * sizeof *e);
	int *stamp = malloc(n * sizeof *stamp);
	if (!order || !e || !stamp)
		return 1;
	for (size_t i = 0; i < n; i++)
		order[i] = (int)i;
	sorting = r;
	qsort(order, n, sizeof *order, by_child);
	nent = 0;
	for (size_t i = 0; i < n; i++)
		for (int k = 0; k < r[i].nkeys; k++)
			e[nent++] = (struct entry){r[i].keys[k], (int)i};
	qsort(e, nent, sizeof *e, by_key);

	printf("%s: %zu records\n", dir, n);
	printf("| key set | true pairs sharing a key | records finding an earlier record of their child | record pairs sharing a key | a record's block (mean) |\n");
	printf("|---|---|---|---|---|\n");
	bool lost = getenv("BLOCK_RECALL_LOST") != NULL; /* the pairs main's set keeps and the new one does not */
	for (int si = 0; si < NSETS; si++) {
		const struct key_set *set = &SETS[si];
		long long pairs = 0, covered = 0, later = 0, found = 0;
		for (size_t a = 0; a < n;) {
			size_t b = a;
			while (b < n && r[order[b]].child == r[order[a]].child)
				b++;
			for (size_t i = a; i < b; i++) {
				bool any = false;
				for (size_t j = a; j < i; j++) {
					bool s2 = share(&r[order[i]], &r[order[j]], set);
					if (lost && si == NSETS - 2 && !s2 && share(&r[order[i]], &r[order[j]], &SETS[1]))
						printf("lost %d %d\n", order[j] + 2, order[i] + 2); /* records.csv lines */
					pairs++;
					covered += s2;
					any |= s2;
				}
				if (i > a) {
					later++;
					found += any;
				}
			}
			a = b;
		}
		/* the distinct pairs sharing a key: each record's earlier block mates, once */
		long long compared = 0;
		for (size_t i = 0; i < n; i++)
			stamp[i] = -1;
		for (size_t i = 0; i < n; i++) {
			for (int k = 0; k < r[i].nkeys; k++) {
				if (!kind_in(r[i].keys[k], set))
					continue;
				struct entry want = {r[i].keys[k], 0};
				size_t lo = 0, hi = nent;
				while (lo < hi) { /* the key's first entry */
					size_t mid = (lo + hi) / 2;
					if (by_key(&e[mid], &want) < 0)
						lo = mid + 1;
					else
						hi = mid;
				}
				for (size_t q = lo; q < nent && strcmp(e[q].key, want.key) == 0 && e[q].rec < (int)i; q++)
					if (stamp[e[q].rec] != (int)i) {
						stamp[e[q].rec] = (int)i;
						compared++;
					}
			}
		}
		printf("| %s | %lld of %lld (%.2f %%) | %lld of %lld (%.2f %%) | %lld | %.2f |\n", set->name, covered, pairs,
		       pairs ? 100.0 * (double)covered / (double)pairs : 0.0, found, later,
		       later ? 100.0 * (double)found / (double)later : 0.0, compared,
		       n ? 2.0 * (double)compared / (double)n : 0.0);
	}
	printf("\n");
	for (size_t i = 0; i < n; i++)
		for (int k = 0; k < r[i].nkeys; k++)
			free(r[i].keys[k]);
	free(r);
	free(order);
	free(e);
	free(stamp);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: block_recall DIR...  (each with records.csv and truth.csv)\n");
		return 2;
	}
	int rc = 0;
	for (int i = 1; i < argc; i++)
		rc |= run(argv[i]);
	return rc;
}
