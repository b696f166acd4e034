/* Record linkage floors at the worst case of the robustness grid (issue 16): small areas (about 5,000
 * records) from both generators, `gen` (synth/synth.h) and `gen --style b` (synth/people2.h), at the default
 * rates and at the perturbations that measured worst at this size in bench/robustness_linkage.sh
 * (docs/BENCHMARKS.md, "Robustness"). Each is deduplicated through the core as `link dedupe` does (training
 * on its own input) and must keep precision and recall above floors a little under that worst case, with
 * no cluster joining twins. No timing is asserted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "nhs_numbers.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linkage/linkage.h"
#include "synth/people2.h"
#include "synth/synth.h"

struct area {
	struct linkage_rec *r;
	uint64_t *child, *family, *birth; /* birth: the true date of birth as YYYYMMDD, 0 when unknown */
	size_t n, cap;
	char sources[LINKAGE_MAX_SOURCES][32];
	unsigned nsources;
};

static int grow(struct area *a)
{
	if (a->n < a->cap)
		return 0;
	a->cap = a->cap ? a->cap * 2 : 4096;
	a->r = realloc(a->r, a->cap * sizeof *a->r);
	a->child = realloc(a->child, a->cap * sizeof *a->child);
	a->family = realloc(a->family, a->cap * sizeof *a->family);
	a->birth = realloc(a->birth, a->cap * sizeof *a->birth);
	return a->r && a->child && a->family && a->birth ? 0 : -1;
}

/* As the CLI numbers the source column. */
static uint8_t source_number(struct area *a, const char *s)
{
	for (unsigned i = 0; i < a->nsources; i++)
		if (strcmp(a->sources[i], s) == 0)
			return (uint8_t)(i + 1);
	if (a->nsources == LINKAGE_MAX_SOURCES || strlen(s) >= sizeof a->sources[0])
		return 0;
	strcpy(a->sources[a->nsources], s);
	return (uint8_t)++a->nsources;
}

static uint64_t ymd(const char *iso)
{
	return iso[0] ? strtoull(iso, NULL, 10) * 10000 + strtoull(iso + 5, NULL, 10) * 100 + strtoull(iso + 8, NULL, 10) : 0;
}

static int collect_a(const struct synth_record *s, void *ctx)
{
	struct area *a = ctx;
	if (grow(a))
		return -1;
	const struct synth_subject *x = &s->subject;
	struct linkage_input in = {x->given_name, x->middle_names, x->family_name, x->dob, x->sex,
				   x->postcode,   x->address,      x->nhs_number,  x->upn};
	linkage_prepare(&in, &a->r[a->n]);
	a->r[a->n].source = source_number(a, s->agency);
	a->child[a->n] = s->true_child;
	a->family[a->n] = s->family;
	/* The generator keeps no true date apart: a record without a date error carries it. */
	a->birth[a->n] = (s->errors & (SYNTH_ERR_DOB_SWAP | SYNTH_ERR_DOB_OFF)) ? 0 : ymd(x->dob);
	a->n++;
	return 0;
}

static int collect_b(const struct p2_record *s, void *ctx)
{
	struct area *a = ctx;
	if (grow(a))
		return -1;
	struct linkage_input in = {s->given, s->middle, s->family, s->dob, s->sex, s->postcode, s->address, s->nhs, s->upn};
	linkage_prepare(&in, &a->r[a->n]);
	a->r[a->n].source = source_number(a, s->source);
	a->child[a->n] = s->child;
	a->family[a->n] = s->household;
	a->birth[a->n] = ymd(s->true_dob);
	a->n++;
	return 0;
}

static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
	return (a > b) - (a < b);
}

static double pairs_of_runs(uint64_t *k, size_t n)
{
	double sum = 0;
	qsort(k, n, sizeof *k, cmp_u64);
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && k[j] == k[i])
			j++;
		sum += (double)(j - i) * (double)(j - i - 1) / 2.0;
		i = j;
	}
	return sum;
}

struct cb {
	uint64_t cluster, family, birth, child;
};

static int cmp_cb(const void *x, const void *y)
{
	const struct cb *a = x, *b = y;
	if (a->cluster != b->cluster)
		return a->cluster < b->cluster ? -1 : 1;
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	if (a->birth != b->birth)
		return a->birth < b->birth ? -1 : 1;
	return (a->child > b->child) - (a->child < b->child);
}

struct outcome {
	double precision, recall;
	size_t twin_clusters;
};

/* Pairwise precision and recall, and clusters holding records of two children of one family born on one
 * day (a child's birthday: any of its records' true date). */
static struct outcome judge(const struct area *a, const uint32_t *cluster)
{
	struct outcome o = {0};
	uint64_t *k = malloc(a->n * sizeof *k);
	assert_non_null(k);
	for (size_t i = 0; i < a->n; i++)
		k[i] = ((uint64_t)cluster[i] << 32) | a->child[i];
	double tp = pairs_of_runs(k, a->n);
	for (size_t i = 0; i < a->n; i++)
		k[i] = cluster[i];
	double pred = pairs_of_runs(k, a->n);
	for (size_t i = 0; i < a->n; i++)
		k[i] = a->child[i];
	double truth = pairs_of_runs(k, a->n);
	o.precision = pred ? tp / pred : 1.0;
	o.recall = truth ? tp / truth : 1.0;
	/* Twins: a child's birthday is any of its records' true date; sort records by (cluster, family,
	 * birthday, child) and look for two children in one run of (cluster, family, birthday). */
	struct cb *v = malloc(a->n * sizeof *v);
	assert_non_null(v);
	for (size_t i = 0; i < a->n; i++)
		v[i] = (struct cb){a->child[i], 0, a->birth[i], i}; /* by child first: spread the birthday */
	qsort(v, a->n, sizeof *v, cmp_cb);
	for (size_t i = 0; i < a->n;) {
		size_t j = i;
		uint64_t birth = 0;
		for (; j < a->n && v[j].cluster == v[i].cluster; j++)
			birth = birth ? birth : v[j].birth;
		for (size_t t = i; t < j; t++)
			v[t].birth = birth;
		i = j;
	}
	for (size_t t = 0; t < a->n; t++) {
		size_t r = (size_t)v[t].child; /* the record index */
		v[t] = (struct cb){cluster[r], a->family[r], v[t].birth, a->child[r]};
	}
	qsort(v, a->n, sizeof *v, cmp_cb);
	uint64_t last = UINT64_MAX;
	for (size_t i = 1; i < a->n; i++)
		if (v[i].birth && v[i].cluster == v[i - 1].cluster && v[i].family == v[i - 1].family &&
		    v[i].birth == v[i - 1].birth && v[i].child != v[i - 1].child && v[i].cluster != last) {
			o.twin_clusters++;
			last = v[i].cluster;
		}
	free(v);
	free(k);
	return o;
}

struct run {
	char style;         /* 'a' or 'b' */
	const char *factor; /* NULL: the default rates */
	double scale;
	linkage_refuse_set refuse_add; /* LINKAGE_REFUSE_* added to the default set */
};

static struct outcome run_one(const struct run *rn, struct area *a)
{
	memset(a, 0, sizeof *a);
	if (rn->style == 'a') {
		struct synth_opts so = {.seed = 7, .families = 470, .today = {2025, 6, 1}, .error_pct = 25};
		for (int f = 0; rn->factor && f < SYNTH_NFACTORS; f++)
			if (strcmp(synth_factor_name[f], rn->factor) == 0)
				so.scale[f] = rn->scale;
		assert_int_equal(synth_generate(&so, collect_a, a), 0);
	} else {
		struct p2_opts po = {.seed = 7, .households = 570, .today = {2025, 6, 1}};
		if (rn->factor) {
			int f = p2_factor_find(rn->factor);
			assert_true(f >= 0);
			po.scale[f] = rn->scale;
		}
		assert_int_equal(p2_generate(&po, collect_b, a), 0);
	}
	assert_true(a->n > 4000);
	struct linkage_tf *tf = linkage_tf_build(a->r, a->n);
	assert_non_null(tf);
	linkage_tf_apply(tf, a->r, a->n);
	struct linkage_model m;
	linkage_model_defaults(&m);
	m.refuse |= rn->refuse_add;
	struct linkage_opts o = {.threads = 2, .train = true, .seed = 1};
	struct linkage_result res;
	assert_int_equal(linkage_dedupe(a->r, a->n, &m, &o, &res), 0);
	struct outcome out = judge(a, res.cluster);
	print_message("style %c %-16s x%-4g %zu records: precision %.4f recall %.4f, %zu twin clusters\n", rn->style,
		      rn->factor ? rn->factor : "default", rn->factor ? rn->scale : 1.0, a->n, out.precision, out.recall,
		      out.twin_clusters);
	linkage_result_free(&res);
	linkage_model_release(&m);
	linkage_tf_free(tf);
	free(a->r);
	free(a->child);
	free(a->family);
	free(a->birth);
	return out;
}

/* The floors: a little under the worst case measured over the whole grid at this size (docs/BENCHMARKS.md,
 * "Robustness"; 2026-12-04, after the clustering changes of issue 16: style a worst precision 1.0000,
 * recall 0.9904 at error_records x2; style b worst precision 1.0000, recall 0.9694 at records x0.5 (2,484
 * records, too few for this size) and 0.9706 at moves x2, which main left at 0.9645; no twin cluster in any
 * of the 80 runs). 2026-12-05, after the third pass, judged twins edges and the middle names' ratio: these
 * runs measure style a worst recall 0.9908 (no_id x2), style b worst 0.9731 (moves x2), precision 1.0000,
 * no twin cluster; the floors rise to match (0.967 and 0.985 before; main measures 0.9706 at moves x2). */
#define FLOOR_PRECISION_A 0.998
#define FLOOR_RECALL_A 0.988
#define FLOOR_PRECISION_B 0.998
#define FLOOR_RECALL_B 0.971

static void floors(char style, const struct run *runs, size_t nruns)
{
	struct area a;
	for (size_t i = 0; i < nruns; i++) {
		struct outcome o = run_one(&runs[i], &a);
		assert_true(o.precision >= (style == 'a' ? FLOOR_PRECISION_A : FLOOR_PRECISION_B));
		assert_true(o.recall >= (style == 'a' ? FLOOR_RECALL_A : FLOOR_RECALL_B));
		assert_int_equal(o.twin_clusters, 0);
	}
}

static void worst_case_style_a(void **state)
{
	(void)state;
	static const struct run runs[] = {
		{'a', NULL, 1, 0}, {'a', "error_records", 2, 0}, {'a', "no_id", 2, 0}, {'a', "mixed", 2, 0}, {'a', "twins", 2, 0},
	};
	floors('a', runs, sizeof runs / sizeof runs[0]);
}

static void worst_case_style_b(void **state)
{
	(void)state;
	static const struct run runs[] = {
		{'b', NULL, 1, 0}, {'b', "moves", 2, 0}, {'b', "variant_given", 2, 0}, {'b', "middle", 2, 0}, {'b', "twins", 2, 0},
	};
	floors('b', runs, sizeof runs / sizeof runs[0]);
}

/* twin_odds (not in the default set): possible twins refused unless one child is 99 times likelier. It keeps
 * precision and no twin cluster, and refuses more: on an area this small the twin shares are mostly their
 * prior, and recall falls below the default's (measured when written: 0.9646 against 0.9772). */
static void twin_odds_refuses_more(void **state)
{
	(void)state;
	struct area a;
	struct run d = {'b', NULL, 1, 0}, t = {'b', NULL, 1, LINKAGE_REFUSE_TWIN_ODDS};
	struct outcome od = run_one(&d, &a), ot = run_one(&t, &a);
	assert_true(ot.precision >= od.precision - 1e-9);
	assert_true(ot.recall < od.recall);
	assert_int_equal(ot.twin_clusters, 0);
}

/* The clusters, their probabilities and the counts are the same on any number of threads: clustering deals
 * the links' connected components out to parts, one a thread (dedupe.c, "clustering on the threads"), and
 * the twins, holds and second pass of each part must come out as one pass over all links does. */
static void same_on_any_number_of_threads(void **state)
{
	(void)state;
	static const struct run runs[] = {{'b', NULL, 1, 0}, {'a', "twins", 2, LINKAGE_REFUSE_TWIN_ODDS}};
	static const unsigned threads[] = {2, 3, 8};
	for (size_t r = 0; r < sizeof runs / sizeof runs[0]; r++) {
		struct area a;
		struct linkage_result one, many;
		struct linkage_model m;
		memset(&a, 0, sizeof a);
		if (runs[r].style == 'a') {
			struct synth_opts so = {.seed = 7, .families = 470, .today = {2025, 6, 1}, .error_pct = 25};
			for (int f = 0; f < SYNTH_NFACTORS; f++)
				if (strcmp(synth_factor_name[f], runs[r].factor) == 0)
					so.scale[f] = runs[r].scale;
			assert_int_equal(synth_generate(&so, collect_a, &a), 0);
		} else {
			struct p2_opts po = {.seed = 7, .households = 570, .today = {2025, 6, 1}};
			assert_int_equal(p2_generate(&po, collect_b, &a), 0);
		}
		struct linkage_tf *tf = linkage_tf_build(a.r, a.n);
		assert_non_null(tf);
		linkage_tf_apply(tf, a.r, a.n);
		linkage_model_defaults(&m);
		m.refuse |= runs[r].refuse_add;
		struct linkage_opts o1 = {.threads = 1, .train = true, .seed = 1};
		assert_int_equal(linkage_dedupe(a.r, a.n, &m, &o1, &one), 0);
		linkage_model_release(&m);
		assert_true(one.clusters > 0 && one.clusters < a.n);
		assert_true(one.refused_links > 0 && one.reviews > 0);
		for (size_t t = 0; t < sizeof threads / sizeof threads[0]; t++) {
			linkage_model_defaults(&m);
			m.refuse |= runs[r].refuse_add;
			struct linkage_opts on = {.threads = threads[t], .train = true, .seed = 1};
			assert_int_equal(linkage_dedupe(a.r, a.n, &m, &on, &many), 0);
			linkage_model_release(&m);
			assert_memory_equal(many.cluster, one.cluster, a.n * sizeof *one.cluster);
			assert_memory_equal(many.probability, one.probability, a.n * sizeof *one.probability);
			assert_int_equal(many.links, one.links);
			assert_int_equal(many.refused_links, one.refused_links);
			assert_int_equal(many.reviews, one.reviews);
			assert_int_equal(many.clusters, one.clusters);
			assert_int_equal(many.candidate_pairs, one.candidate_pairs);
			linkage_result_free(&many);
		}
		linkage_result_free(&one);
		linkage_tf_free(tf);
		free(a.r);
		free(a.child);
		free(a.family);
		free(a.birth);
	}
}

/* name_pairs (a twin case, style c at a million: Oleksandr Lysenko's one record, her twin Oleksandra's three).
 * The lone record links to Oleksandra's records by a close spelling, the family's birthday and home. At the
 * close level the input's shares say one child: thirty identified children known as Halyna carry one record
 * "Halyyna", and twins so related are few. But the two names' own counts say twins: three pairs of identified
 * twins are named Oleksandr and Oleksandra, and no child of either name carries the other. With the rule the
 * lone record stays apart (for review); without it (--refuse -name_pairs) it joins the twin. The Halyna
 * children keep their slips either way. */
static struct linkage_rec rec(const char *given, const char *family, const char *dob, const char *addr, const char *nhs)
{
	struct linkage_input in = {given, "", family, dob, "F", "LS12 9XJ", addr, nhs, ""};
	struct linkage_rec r;
	linkage_prepare(&in, &r);
	return r;
}


static void name_pairs_keep_twin_known_by_one_record_apart(void **state)
{
	(void)state;
	enum { TW = 3, SLIPS = 30 };
	static const char *fam[3] = {"Bondarenko", "Kovalenko", "Shevchuk"};
	struct linkage_rec r[4 + 4 * TW + 3 * SLIPS];
	unsigned long nine = 918985611;
	char n2[11];
	next_nhs(&nine, n2);
	r[0] = rec("Oleksandra", "Lysenko", "2019-07-04", "4 Mill Lane", "");
	r[1] = rec("Oleksandra", "Lysenko", "04/07/2019", "4 Mill Lane", "");
	r[2] = rec("OLEKSANDRA", "LYSENKO", "2019-07-04", "4 Mill Lane", "");
	r[3] = rec("Oleksandr", "Lysenko", "04.07.2019", "4 Mill Lane", n2);
	size_t n = 4;
	for (int t = 0; t < TW; t++) {
		char dob[40], addr[32];
		snprintf(dob, sizeof dob, "20%02d-%02d-%02d", 10 + t, 3 + t, 11 + t);
		snprintf(addr, sizeof addr, "%d Long Lane", 1 + t);
		for (int k = 0; k < 2; k++) {
			char nhs[11];
			next_nhs(&nine, nhs);
			r[n++] = rec(k ? "Oleksandr" : "Oleksandra", fam[t], dob, addr, nhs);
			r[n++] = rec(k ? "Oleksandr" : "Oleksandra", fam[t], dob, addr, nhs);
		}
	}
	size_t halyna = n;
	for (int t = 0; t < SLIPS; t++) {
		char dob[40], addr[32], nhs[11];
		snprintf(dob, sizeof dob, "20%02d-%02d-%02d", 5 + t % 12, 1 + t % 12, 1 + t % 28);
		snprintf(addr, sizeof addr, "%d Mill Road", 1 + t);
		next_nhs(&nine, nhs);
		r[n++] = rec("Halyna", "Melnyk", dob, addr, nhs);
		r[n++] = rec("Halyna", "Melnyk", dob, addr, "");
		r[n++] = rec("Halyyna", "Melnyk", dob, addr, nhs);
	}
	struct linkage_model m;
	linkage_model_defaults(&m);
	m.lambda = 0.01;
	struct linkage_score sc;
	linkage_score(&m, &r[3], &r[1], &sc);
	assert_int_equal(linkage_gamma_level(sc.gamma, LF_GIVEN), LN_CLOSE);
	assert_int_equal(sc.decision, LINKAGE_LINK);
	assert_true(m.refuse & LINKAGE_REFUSE_NAME_PAIRS);
	struct linkage_opts o = {.threads = 2};
	struct linkage_result res;
	assert_int_equal(linkage_dedupe(r, n, &m, &o, &res), 0);
	/* the level's shares alone would merge: one child's close form is commoner than twins so named */
	assert_true(m.split_rate[0][LN_CLOSE][1] > m.twin_rate[0][LN_CLOSE]);
	assert_int_equal(res.cluster[1], res.cluster[0]);
	assert_int_equal(res.cluster[2], res.cluster[0]);
	assert_int_not_equal(res.cluster[3], res.cluster[0]);
	for (size_t i = halyna; i < n; i += 3) {
		assert_int_equal(res.cluster[i + 1], res.cluster[i]);
		assert_int_equal(res.cluster[i + 2], res.cluster[i]);
	}
	linkage_result_free(&res);
	m.refuse &= ~LINKAGE_REFUSE_NAME_PAIRS;
	assert_int_equal(linkage_dedupe(r, n, &m, &o, &res), 0);
	assert_int_equal(res.cluster[3], res.cluster[0]);
	for (size_t i = halyna; i < n; i += 3)
		assert_int_equal(res.cluster[i + 2], res.cluster[i]);
	linkage_result_free(&res);
}

static struct linkage_rec rec_upn(const char *given, const char *family, const char *dob, const char *addr, const char *upn)
{
	struct linkage_input in = {given, "", family, dob, "F", "LS12 9XJ", addr, "", upn};
	struct linkage_rec r;
	linkage_prepare(&in, &r);
	return r;
}

/* spelt_piece (style c at a million, Round 31b): Tanvir Rahman's health records hold his NHS number; his school's
 * two, under his UPN, are written "Tanvr" and "Tanver", a slip each, no two alike. Both sides hold an identifier
 * and two records, so own_ids took them for two children whatever the names. A side whose records share no name
 * and carry no name identified children are known by is one name's slips, not a second child known by another:
 * the possible-twins decision judges it, reading the share of identified children with that many records written
 * otherwise (split_any, learnt here from 30 children each written two ways beside their own name). Twins known by
 * their own names (Oleksandra's records under an NHS number, Oleksandr's under a UPN, each consistent) stay apart. */
static void spelt_piece_joins_slips_under_another_identifier(void **state)
{
	(void)state;
	enum { SLIPS = 30 };
	struct linkage_rec r[13 + 4 * SLIPS];
	unsigned long nine = 918985611;
	char n1[11], n2[11], n3[11], n4[11];
	next_nhs(&nine, n1);
	next_nhs(&nine, n2);
	next_nhs(&nine, n3);
	next_nhs(&nine, n4);
	r[0] = rec("Tanvir", "Rahman", "2014-03-28", "6 Bell Street", n1);
	r[1] = rec("Tanvir", "Rahman", "28/03/2014", "6 Bell Street", n1);
	r[2] = rec("TANVIR", "RAHMAN", "2014-03-28", "6 Bell Street", n1);
	r[3] = rec_upn("Tanvr", "Rahman", "28/03/2014", "6 Bell Street", "H801200001001");
	r[4] = rec_upn("Tanver", "Rahman", "28-MAR-2014", "6 Bell Street", "H801200001001");
	/* two more children known as Tanvir: a name children are known by */
	r[5] = rec("Tanvir", "Hussain", "2012-06-02", "9 Mill Road", n2);
	r[6] = rec("Tanvir", "Hussain", "02/06/2012", "9 Mill Road", n2);
	r[7] = rec("Tanvir", "Ali", "2016-01-19", "3 Kirk Lane", n3);
	r[8] = rec("Tanvir", "Ali", "19/01/2016", "3 Kirk Lane", n3);
	/* twins, each consistent on a name of her own */
	r[9] = rec("Oleksandra", "Lysenko", "2019-07-04", "4 Mill Lane", n4);
	r[10] = rec("Oleksandra", "Lysenko", "04/07/2019", "4 Mill Lane", n4);
	r[11] = rec_upn("Oleksandr", "Lysenko", "04.07.2019", "4 Mill Lane", "N331268619106");
	r[12] = rec_upn("Oleksandr", "Lysenko", "2019-07-04", "4 Mill Lane", "N331268619106");
	size_t n = 13;
	/* identified children each written two ways besides their own name, every slip its own */
	for (int t = 0; t < SLIPS; t++) {
		char dob[40], addr[32], nhs[11], s1[16], s2[16];
		snprintf(dob, sizeof dob, "20%02d-%02d-%02d", 5 + t % 12, 1 + t % 12, 1 + t % 28);
		snprintf(addr, sizeof addr, "%d Mill Road", 10 + t);
		snprintf(s1, sizeof s1, "Hal%cyna", 'b' + t % 24);
		snprintf(s2, sizeof s2, "Haly%cna", 'b' + (t + 7) % 24);
		next_nhs(&nine, nhs);
		r[n++] = rec("Halyna", "Melnyk", dob, addr, nhs);
		r[n++] = rec("Halyna", "Melnyk", dob, addr, nhs);
		r[n++] = rec(s1, "Melnyk", dob, addr, nhs);
		r[n++] = rec(s2, "Melnyk", dob, addr, nhs);
	}
	struct linkage_model m;
	linkage_model_defaults(&m);
	m.lambda = 0.01;
	struct linkage_score sc;
	linkage_score(&m, &r[0], &r[3], &sc);
	assert_int_equal(sc.decision, LINKAGE_LINK);
	assert_true(m.refuse & LINKAGE_REFUSE_SPELT_PIECE);
	assert_true(m.refuse & LINKAGE_REFUSE_OWN_IDS);
	struct linkage_opts o = {.threads = 2};
	struct linkage_result res;
	assert_int_equal(linkage_dedupe(r, n, &m, &o, &res), 0);
	assert_int_equal(res.cluster[4], res.cluster[3]);
	assert_int_equal(res.cluster[3], res.cluster[0]);
	assert_int_equal(res.cluster[10], res.cluster[9]);
	assert_int_equal(res.cluster[12], res.cluster[11]);
	assert_int_not_equal(res.cluster[11], res.cluster[9]);
	linkage_result_free(&res);
	m.refuse &= ~LINKAGE_REFUSE_SPELT_PIECE;
	assert_int_equal(linkage_dedupe(r, n, &m, &o, &res), 0);
	assert_int_equal(res.cluster[4], res.cluster[3]);
	assert_int_not_equal(res.cluster[3], res.cluster[0]);
	linkage_result_free(&res);
}

/* read_across (style c at a million, Round 27b): Ayodele Obi, known by one record written across ("OBI AYODELE",
 * no identifier), beside her twin Adeola's records, one of them written across too ("OBI ADEOLA"). The two
 * records written across agree on their given fields ("Obi", the family's name) and so linked in the first pass,
 * as one child's, before any possible-twins decision. Read across (Obi commoner in the input as a family name,
 * Ayodele and Adeola as given names) the pair is twin-like, and the input's identified twin pairs named Adeola and
 * Ayodele say two children (name_pairs). Held apart with the rule, joined without it. */
static void read_across_keeps_twin_written_across_apart(void **state)
{
	(void)state;
	enum { TW = 3, SLIPS = 30 };
	static const char *fam[3] = {"Obi", "Okafor", "Obi"};
	struct linkage_rec r[6 + 4 * TW + 3 * SLIPS];
	unsigned long nine = 918985611;
	char n1[11];
	next_nhs(&nine, n1);
	r[0] = rec("Adeola", "Obi", "2025-02-16", "7 Hill Street", n1);
	r[1] = rec("ADEOLA", "OBI", "16/02/2025", "7 Hill Street", "");
	r[2] = rec("Adeola", "Obi", "16 Feb 2025", "7 Hill Street", n1);
	r[3] = rec("Obi", "Adeola", "16.02.2025", "7 Hill Street", n1);
	r[4] = rec("Obi", "Ayodele", "16-FEB-2025", "", "");
	r[5] = rec("Adeola", "Obi", "2025-02-16", "7 Hill Street", "");
	size_t n = 6;
	for (int t = 0; t < TW; t++) {
		char dob[40], addr[32];
		snprintf(dob, sizeof dob, "20%02d-%02d-%02d", 10 + t, 3 + t, 11 + t);
		snprintf(addr, sizeof addr, "%d Long Lane", 1 + t);
		for (int k = 0; k < 2; k++) {
			char nhs[11];
			next_nhs(&nine, nhs);
			r[n++] = rec(k ? "Ayodele" : "Adeola", fam[t], dob, addr, nhs);
			r[n++] = rec(k ? "Ayodele" : "Adeola", fam[t], dob, addr, nhs);
		}
	}
	size_t slips = n;
	for (int t = 0; t < SLIPS; t++) {
		char dob[40], addr[32], nhs[11];
		snprintf(dob, sizeof dob, "20%02d-%02d-%02d", 5 + t % 12, 1 + t % 12, 1 + t % 28);
		snprintf(addr, sizeof addr, "%d Mill Road", 1 + t);
		next_nhs(&nine, nhs);
		r[n++] = rec("Leighton", "Obi", dob, addr, nhs);
		r[n++] = rec("Leighton", "Obi", dob, addr, "");
		r[n++] = rec("Layton", "Obi", dob, addr, nhs);
	}
	struct linkage_tf *tf = linkage_tf_build(r, n);
	assert_non_null(tf);
	linkage_tf_apply(tf, r, n);
	linkage_tf_free(tf);
	assert_true(r[4].given_as_family && r[4].family_as_given);
	struct linkage_model m;
	linkage_model_defaults(&m);
	m.lambda = 0.01;
	struct linkage_score sc;
	linkage_score(&m, &r[3], &r[4], &sc);
	/* the two records written across agree on their given fields: not twin-like as compared */
	assert_int_equal(linkage_gamma_level(sc.gamma, LF_GIVEN), LN_EXACT);
	assert_int_equal(linkage_gamma_level(sc.gamma, LF_FAMILY), LN_PHONETIC);
	assert_int_equal(sc.decision, LINKAGE_LINK);
	assert_true(m.refuse & LINKAGE_REFUSE_READ_ACROSS);
	struct linkage_opts o = {.threads = 2};
	struct linkage_result res;
	assert_int_equal(linkage_dedupe(r, n, &m, &o, &res), 0);
	for (int i = 1; i < 6; i++)
		if (i != 4)
			assert_int_equal(res.cluster[i], res.cluster[0]);
	assert_int_not_equal(res.cluster[4], res.cluster[0]);
	for (size_t i = slips; i < n; i += 3)
		assert_int_equal(res.cluster[i + 2], res.cluster[i]);
	linkage_result_free(&res);
	m.refuse &= ~LINKAGE_REFUSE_READ_ACROSS;
	assert_int_equal(linkage_dedupe(r, n, &m, &o, &res), 0);
	assert_int_equal(res.cluster[4], res.cluster[0]);
	linkage_result_free(&res);
}

/* Round 27, style c at a million: true pairs the names rule kept apart though the record names its child. A
 * record with middle names and sex as given. */
static struct linkage_rec rec_full(const char *given, const char *middle, const char *family, const char *dob,
				   const char *sex, const char *addr, const char *nhs)
{
	struct linkage_input in = {given, middle, family, dob, sex, "LS8 1EG", addr, nhs, ""};
	struct linkage_rec r;
	linkage_prepare(&in, &r);
	return r;
}

/* Olatula Balogun's records: "Olatula Ayomide" and "AYOMIDE" (her middle name as the given) under one NHS
 * number, and a lone social care record "Olatula" (no number). In the input "Olatula" is a family name more
 * often than a given one (given_as_family: three children of the Olatula family), so the components were not
 * taken to share it, and the names rule set "Olatula" beside "Ayomide" as two unrelated names. On records whose
 * family names agree the shared name is the given name it is written as (names_shared_in_family), and the lone
 * record joins. Two children of the Olatula family written with the family name first ("Olatula Femi",
 * "Olatula Kemi": given and family unrelated to Balogun) stay apart from her and from each other, as does her
 * twin Yetunde. Fails without the change (the lone record alone). */
static void names_given_as_family_shared_within_family_joins(void **state)
{
	(void)state;
	struct linkage_rec r[13];
	char nhs[11];
	unsigned long nine = 512773401;
	next_nhs(&nine, nhs);
	r[0] = rec_full("Olatula", "Ayomide", "Balogun", "2024-02-13", "F", "4 Mill Lane", nhs);
	r[1] = rec_full("AYOMIDE", "", "BALOGUN", "13/02/2024", "F", "4 Mill Lane", nhs);
	r[2] = rec_full("Olatula", "", "Balogun", "2024-02-13", "F", "4 Mill Lane", "");
	r[3] = rec_full("Yetunde", "", "Balogun", "2024-02-13", "F", "4 Mill Lane", "");
	r[4] = rec_full("Yetunde", "", "Balogun", "13/02/2024", "F", "4 Mill Lane", "");
	static const char *olatula[3] = {"Femi", "Kemi", "Tayo"};
	for (int i = 0; i < 3; i++) {
		char dob[40];
		snprintf(dob, sizeof dob, "201%d-06-0%d", 2 + 2 * i, 1 + i);
		r[5 + 2 * i] = rec_full(olatula[i], "", "Olatula", dob, "F", "", "");
		r[6 + 2 * i] = rec_full(olatula[i], "", "Olatula", dob, "F", "", "");
	}
	r[11] = rec_full("Olatula", "", "Femi", "2012-06-01", "F", "", "");
	r[12] = rec_full("Olatula", "", "Kemi", "2014-06-02", "F", "", "");
	struct linkage_tf *tf = linkage_tf_build(r, 13);
	assert_non_null(tf);
	linkage_tf_apply(tf, r, 13);
	linkage_tf_free(tf);
	assert_true(r[0].given_as_family && r[2].given_as_family);
	struct linkage_model m;
	linkage_model_defaults(&m);
	m.lambda = 0.1;
	struct linkage_score sc;
	linkage_score(&m, &r[2], &r[0], &sc);
	assert_int_equal(sc.decision, LINKAGE_LINK);
	struct linkage_opts o = {.threads = 1};
	struct linkage_result res;
	assert_int_equal(linkage_dedupe(r, 13, &m, &o, &res), 0);
	assert_int_equal(res.cluster[1], res.cluster[0]);
	assert_int_equal(res.cluster[2], res.cluster[0]);
	assert_int_equal(res.cluster[4], res.cluster[3]);
	assert_int_not_equal(res.cluster[3], res.cluster[0]);
	for (int i = 5; i < 13; i++)
		assert_int_not_equal(res.cluster[i], res.cluster[0]);
	assert_int_not_equal(res.cluster[11], res.cluster[12]);
	linkage_result_free(&res);
}

/* lone_middle (Round 28, style c at a million: a lone record under an unrelated given name, at the link threshold,
 * the largest kind of style c's misses there). Hevi Faraj's records, one of which ("HEVI SHILAN FARAJ", no birthday,
 * no address) gives her middle name, and a lone hospital record "Shilan Faraj" on her birthday at her address. The
 * lone record's pairs with Hevi's dated records reach the link threshold with the given names unrelated: the
 * pairwise "given" rule refused them (twins gave way to `names`), and its pair with the middle-name record (her
 * NHS number, no birthday, no postcode) is too thin to link. Her component holds "Shilan" as a middle name: the record joins, judged as a given<->middle link.
 * So does "Samueol" beside Tesee Samuel Mehari's records (one edit from the middle name). Hevi's twin Rojin, known
 * by one record, stays apart: no record of Hevi's gives her name. Fails without the change (both lone records
 * alone), asserted both ways. */
static void lone_middle_joins_child_known_by_middle_name(void **state)
{
	(void)state;
	struct linkage_rec r[9];
	char n1[11], n2[11];
	unsigned long nine = 604417233;
	next_nhs(&nine, n1);
	next_nhs(&nine, n2);
	r[0] = rec_full("Hevi", "", "Faraj", "2023-06-04", "F", "9 Kiln Road", n1);
	struct linkage_input thin = {"HEVI", "SHILAN", "FARAJ", "", "F", "", "", n1, ""};
	linkage_prepare(&thin, &r[1]);
	r[2] = rec_full("Hevi", "", "Faraj", "04.06.2023", "F", "9 Kiln Road", n1);
	r[3] = rec_full("Shilan", "", "Faraj", "04 Jun 2023", "F", "9 Kiln Road", "");
	r[4] = rec_full("Rojin", "", "Faraj", "2023-06-04", "F", "9 Kiln Road", "");
	r[5] = rec_full("Tesee", "", "Mehari", "2012-08-08", "M", "3 Yew Court", n2);
	struct linkage_input thin2 = {"TESEE", "SAMUEL", "MEHARI", "", "M", "", "", n2, ""};
	linkage_prepare(&thin2, &r[6]);
	r[7] = rec_full("Tesee", "", "Mehari", "08/08/2012", "M", "3 Yew Court", n2);
	r[8] = rec_full("Samueol", "", "Mehari", "2012-08-08", "M", "3 Yew Court", "");
	struct linkage_model m;
	linkage_model_defaults(&m);
	m.lambda = 0.1;
	struct linkage_score sc;
	linkage_score(&m, &r[3], &r[0], &sc);
	assert_int_equal(linkage_gamma_level(sc.gamma, LF_GIVEN), LN_ELSE);
	assert_true(sc.probability >= m.link_threshold);
	linkage_score(&m, &r[3], &r[1], &sc);
	assert_int_equal(linkage_gamma_level(sc.gamma, LF_GIVEN), LN_SWAPPED);
	assert_true(sc.probability < m.link_threshold);
	assert_true(m.refuse & LINKAGE_REFUSE_LONE_MIDDLE);
	struct linkage_opts o = {.threads = 1};
	struct linkage_result res;
	assert_int_equal(linkage_dedupe(r, 9, &m, &o, &res), 0);
	assert_int_equal(res.cluster[1], res.cluster[0]);
	assert_int_equal(res.cluster[2], res.cluster[0]);
	assert_int_equal(res.cluster[3], res.cluster[0]);
	assert_int_not_equal(res.cluster[4], res.cluster[0]);
	assert_int_equal(res.cluster[6], res.cluster[5]);
	assert_int_equal(res.cluster[7], res.cluster[5]);
	assert_int_equal(res.cluster[8], res.cluster[5]);
	linkage_result_free(&res);
	m.refuse &= ~LINKAGE_REFUSE_LONE_MIDDLE;
	assert_int_equal(linkage_dedupe(r, 9, &m, &o, &res), 0);
	assert_int_equal(res.cluster[2], res.cluster[0]);
	assert_int_not_equal(res.cluster[3], res.cluster[0]);
	assert_int_not_equal(res.cluster[8], res.cluster[5]);
	linkage_result_free(&res);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_on_any_number_of_threads),
		cmocka_unit_test(name_pairs_keep_twin_known_by_one_record_apart),
		cmocka_unit_test(read_across_keeps_twin_written_across_apart),
		cmocka_unit_test(spelt_piece_joins_slips_under_another_identifier),
		cmocka_unit_test(names_given_as_family_shared_within_family_joins),
		cmocka_unit_test(lone_middle_joins_child_known_by_middle_name),
		cmocka_unit_test(twin_odds_refuses_more),
		cmocka_unit_test(worst_case_style_a),
		cmocka_unit_test(worst_case_style_b),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
