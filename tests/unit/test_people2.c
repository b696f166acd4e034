/* Unit tests for the second records generator (synth/people2.h): determinism, identifiers, truth, factors. */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/date.h"
#include "core/ident.h"
#include "synth/people2.h"

static const struct date today = {2025, 6, 1};

struct recs {
	struct p2_record *r;
	size_t n, cap;
};

static int collect(const struct p2_record *r, void *ctx)
{
	struct recs *rs = ctx;
	if (rs->n == rs->cap) {
		rs->cap = rs->cap ? rs->cap * 2 : 1024;
		rs->r = realloc(rs->r, rs->cap * sizeof *rs->r);
		if (!rs->r)
			return -99;
	}
	rs->r[rs->n++] = *r;
	return 0;
}

static struct recs gen(uint64_t seed, int households, int factor, double scale)
{
	struct p2_opts o = {.seed = seed, .households = households, .today = today};
	if (factor >= 0)
		o.scale[factor] = scale;
	struct recs rs = {0};
	assert_int_equal(p2_generate(&o, collect, &rs), 0);
	assert_true(rs.n > 0);
	return rs;
}

static uint64_t fnv(uint64_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return (h ^ 0xff) * 0x100000001b3ULL;
}

static uint64_t hash_all(const struct recs *rs)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < rs->n; i++) {
		const struct p2_record *r = &rs->r[i];
		const char *f[] = {r->source, r->given, r->middle, r->family, r->dob, r->sex, r->postcode,
				   r->address, r->nhs, r->upn, r->true_dob};
		for (size_t k = 0; k < sizeof f / sizeof f[0]; k++)
			h = fnv(h, f[k]);
		h = (h ^ r->child ^ (r->household << 24) ^ ((uint64_t)r->errors << 44)) * 0x100000001b3ULL;
	}
	return h;
}

static int never(const struct p2_record *r, void *ctx)
{
	(void)r;
	(void)ctx;
	return 0;
}

static void options_out_of_range(void **state)
{
	(void)state;
	struct p2_opts o = {.seed = 1, .households = 0, .today = today};
	assert_int_equal(p2_generate(&o, never, NULL), -1);
	o.households = 10;
	o.scale[P2_TWINS] = -1;
	assert_int_equal(p2_generate(&o, never, NULL), -1);
	o.scale[P2_TWINS] = 0;
	o.today = (struct date){2025, 2, 30};
	assert_int_equal(p2_generate(&o, never, NULL), -1);
	assert_int_equal(p2_factor_find("swap_names"), P2_SWAP_NAMES);
	assert_int_equal(p2_factor_find("cousins"), P2_COUSINS);
	assert_int_equal(p2_factor_find("nonsense"), -1);
	o.today = today;
	o.namesakes = 1.5;
	assert_int_equal(p2_generate(&o, never, NULL), -1);
}

/* --namesakes: a child given an earlier child's given name says whose, has another birthday, and its records
 * written without error carry that child's name; with 0 no child is a namesake (the default output). */
static void namesakes_planted(void **state)
{
	(void)state;
	struct recs none = gen(3, 400, -1, 0);
	for (size_t i = 0; i < none.n; i++)
		assert_true(none.r[i].namesake_of == 0);
	struct p2_opts o = {.seed = 3, .households = 400, .today = today, .namesakes = 0.3};
	struct recs rs = {0};
	assert_int_equal(p2_generate(&o, collect, &rs), 0);
	size_t planted = 0, compared = 0;
	for (size_t i = 0; i < rs.n; i++) {
		const struct p2_record *x = &rs.r[i];
		if (!x->namesake_of)
			continue;
		planted++;
		for (size_t j = 0; j < rs.n; j++) {
			const struct p2_record *y = &rs.r[j];
			if (y->child != x->namesake_of)
				continue;
			assert_true(strcmp(y->true_dob, x->true_dob) != 0);
			if (x->errors == 0 && y->errors == 0 && x->given[0] && y->given[0]) {
				assert_true(strcasecmp(x->given, y->given) == 0);
				if (x->sex[0] && y->sex[0]) /* a namesake is a child of the same sex ("F", "Female", "f") */
					assert_int_equal(toupper((unsigned char)x->sex[0]), toupper((unsigned char)y->sex[0]));
				compared++;
			}
		}
	}
	assert_true(planted > 20);
	assert_true(compared > 5);
	free(none.r);
	free(rs.r);
}

static void same_seed_same_records(void **state)
{
	(void)state;
	struct recs a = gen(5, 300, -1, 0), b = gen(5, 300, -1, 0), c = gen(6, 300, -1, 0);
	assert_int_equal(a.n, b.n);
	assert_true(hash_all(&a) == hash_all(&b));
	assert_true(hash_all(&a) != hash_all(&c));
	free(a.r);
	free(b.r);
	free(c.r);
}

/* Every NHS number and UPN checks unless the record says it was mistyped; one child never holds two, and
 * two children never share one. */
static void identifiers(void **state)
{
	(void)state;
	struct recs rs = gen(11, 2000, -1, 0);
	size_t nhs = 0, typos = 0;
	for (size_t i = 0; i < rs.n; i++) {
		const struct p2_record *r = &rs.r[i];
		char out[IDENT_UPN_LEN + 1];
		if (r->nhs[0]) {
			nhs++;
			int ok = ident_nhs_check(r->nhs, out) == 0;
			assert_true(ok == !(r->errors & P2E_ID_TYPO));
			typos += !ok;
		}
		if (r->upn[0])
			assert_int_equal(ident_upn_check(r->upn, out), 0);
	}
	assert_true(nhs > rs.n / 5);
	assert_true(typos > 0 && typos < nhs / 20);
	/* Sorted by child: identifiers agree within a child and differ across children. */
	for (size_t i = 0; i < rs.n; i++)
		for (size_t j = i + 1; j < rs.n && j < i + 400; j++) {
			const struct p2_record *a = &rs.r[i], *b = &rs.r[j];
			if (!a->upn[0] || !b->upn[0])
				continue;
			assert_true((strcmp(a->upn, b->upn) == 0) == (a->child == b->child));
		}
	free(rs.r);
}

/* The truth: a real date of birth, children 0-17 on today, records' dates readable in one of the
 * formats sources use unless a digit was mistyped or the field left empty. */
static void truth_and_dates(void **state)
{
	(void)state;
	struct recs rs = gen(3, 1500, -1, 0);
	size_t day_first = 0, year_first = 0;
	for (size_t i = 0; i < rs.n; i++) {
		const struct p2_record *r = &rs.r[i];
		struct date d;
		assert_int_equal(date_parse_iso(r->true_dob, &d), 0);
		assert_true(date_age_years(d, today) >= 0 && date_age_years(d, today) <= 17);
		if (!r->dob[0] || (r->errors & P2E_DOB_DIGIT))
			continue;
		bool yf = strspn(r->dob, "0123456789") == 4;
		if (yf)
			year_first++;
		else
			day_first++;
		/* three numbers; year first or day first */
		long v[3] = {0};
		int k = 0;
		for (const char *p = r->dob; *p && k < 3;) {
			if (*p < '0' || *p > '9') {
				p++;
				continue;
			}
			char *end;
			v[k++] = strtol(p, &end, 10);
			p = end;
		}
		assert_int_equal(k, 3);
		struct date w = yf ? (struct date){(int)v[0], (int)v[1], (int)v[2]}
								     : (struct date){(int)v[2], (int)v[1], (int)v[0]};
		if (!(r->errors & (P2E_DOB_SWAP | P2E_DOB_PART | P2E_DOB_YEAR)))
			assert_true(w.y == d.y && w.m == d.m && w.d == d.d);
		else
			assert_false(w.y == d.y && w.m == d.m && w.d == d.d);
	}
	assert_true(day_first > rs.n / 10 && year_first > rs.n / 10);
	free(rs.r);
}

/* Twins: two children of one household born on one day, with their own names. */
static void twins_exist(void **state)
{
	(void)state;
	struct recs rs = gen(9, 3000, -1, 0);
	size_t twins = 0;
	for (size_t i = 1; i < rs.n; i++) {
		const struct p2_record *a = &rs.r[i - 1], *b = &rs.r[i];
		if (a->child != b->child && a->household == b->household && strcmp(a->true_dob, b->true_dob) == 0)
			twins++;
	}
	assert_true(twins > 20);
	free(rs.r);
}

static size_t count_bit(const struct recs *rs, unsigned bit)
{
	size_t n = 0;
	for (size_t i = 0; i < rs->n; i++)
		n += (rs->r[i].errors & bit) != 0;
	return n;
}

/* Scaling a factor moves its rate: twice the swap rate gives more swapped records, half fewer. */
static void factors_scale(void **state)
{
	(void)state;
	struct recs lo = gen(4, 3000, P2_SWAP_NAMES, 0.5), mid = gen(4, 3000, -1, 0), hi = gen(4, 3000, P2_SWAP_NAMES, 2);
	size_t a = count_bit(&lo, P2E_SWAP_NAMES), b = count_bit(&mid, P2E_SWAP_NAMES), c = count_bit(&hi, P2E_SWAP_NAMES);
	assert_true(a < b && b < c);
	assert_true(c > (3 * b) / 2 && a < (2 * b) / 3);
	/* Every error kind happens at the defaults. */
	for (unsigned k = 0; k < P2E_NBITS; k++)
		assert_true(count_bit(&mid, 1u << k) > 0);
	free(lo.r);
	free(mid.r);
	free(hi.r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(options_out_of_range), cmocka_unit_test(same_seed_same_records),
	    cmocka_unit_test(namesakes_planted),
	    cmocka_unit_test(identifiers),	    cmocka_unit_test(truth_and_dates),
	    cmocka_unit_test(twins_exist),	    cmocka_unit_test(factors_scale),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
