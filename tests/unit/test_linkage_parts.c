/* The mechanics of `link dedupe` that the output does not show (dedupe.c is included to reach its static
 * helpers): how clustering's components are dealt to the threads, and the candidate pairs kept as numbers of
 * their comparison vectors. The clusters themselves are checked the same on any number of threads in
 * test_linkage_worst (same_on_any_number_of_threads). No timing is asserted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "linkage/dedupe.c"

/* One component of 100 pairs (a chain through records 0..100) and 50 of 2 pairs each (three records), as
 * style d at a million has one component of 3.43M pairs among 7.58M: dealt to two parts, the large one alone
 * in one and the small ones together in the other, 100 pairs each. Dealt by a hash of the component (before
 * r-linkspeed31) the large one's part took it and about half of the small ones. */
static void parts_dealt_by_pairs(void **state)
{
	(void)state;
	enum { BIG = 100, SMALL = 50, N = BIG + 1 + 3 * SMALL };
	struct scored s[BIG + 2 * SMALL];
	size_t ns = 0;
	memset(s, 0, sizeof s);
	for (uint32_t i = 0; i < BIG; i++)
		s[ns++] = (struct scored){.a = i, .b = i + 1, .weight = 20.0f};
	for (uint32_t c = 0; c < SMALL; c++) {
		uint32_t r = BIG + 1 + 3 * c;
		s[ns++] = (struct scored){.a = r, .b = r + 1, .weight = 20.0f};
		s[ns++] = (struct scored){.a = r + 1, .b = r + 2, .weight = 20.0f, .cannot = 4};
	}
	uint32_t comp[N];
	uint8_t part[N];
	assert_int_equal(cluster_parts(s, ns, N, 2, comp, part), 0);
	size_t load[2] = {0, 0};
	for (size_t i = 0; i < ns; i++) {
		assert_int_equal(comp[s[i].a], comp[s[i].b]);
		assert_int_equal(part[s[i].a], part[s[i].b]);
		load[part[s[i].a]]++;
	}
	for (size_t i = 0; i < N; i++)
		assert_int_equal(part[i], part[comp[i]]);
	assert_int_equal(comp[BIG], 0);
	assert_int_equal(load[0], BIG);
	assert_int_equal(load[1], 2 * SMALL);
	assert_int_not_equal(part[0], part[BIG + 1]);
}

/* A pair of a cannot-link edge (cannot 2) joins no components: two records so paired stay apart, each in the
 * part of its own component. */
static void parts_not_joined_by_cannot_link(void **state)
{
	(void)state;
	struct scored s[3] = {{.a = 0, .b = 1, .weight = 20.0f},
			      {.a = 1, .b = 2, .weight = 20.0f, .cannot = 2},
			      {.a = 2, .b = 3, .weight = 20.0f}};
	uint32_t comp[4];
	uint8_t part[4];
	assert_int_equal(cluster_parts(s, 3, 4, 2, comp, part), 0);
	assert_int_equal(comp[1], 0);
	assert_int_equal(comp[3], 2);
	assert_int_not_equal(part[0], part[2]); /* two components: 2 pairs and 1, one a part */
	assert_int_equal(part[1], part[0]);
	assert_int_equal(part[3], part[2]);
}

/* Candidate pairs keep the number of their vector; each number's count is its pairs', and the pair read back is
 * the pair pushed. */
static void pairs_number_their_vectors(void **state)
{
	(void)state;
	struct pairvec pv = {0};
	const linkage_gamma g[3] = {0x123 | ((linkage_gamma)1 << 48), 0x456 | ((linkage_gamma)4 << 48),
				    0x123 | ((linkage_gamma)2 << 48)};
	/* 3000 pairs: the table grows past its first slots, the array past its first 1024 */
	for (uint32_t i = 0; i < 3000; i++)
		pv_push(&pv, i, i + 7, g[i % 3 == 2 ? 2 : i % 2]);
	assert_false(pv.oom);
	assert_int_equal(pv.n, 3000);
	assert_int_equal(pv.gam.n, 3);
	uint64_t total = 0;
	for (size_t v = 0; v < pv.gam.n; v++)
		total += pv.gam.count[v];
	assert_int_equal(total, 3000);
	for (uint32_t i = 0; i < 3000; i++) {
		struct linkage_pair p = pv_pair(&pv, i);
		assert_int_equal(p.a, i);
		assert_int_equal(p.b, i + 7);
		assert_true(p.gamma == g[i % 3 == 2 ? 2 : i % 2]);
	}
	assert_int_equal(pv.gam.count[pv.v[2].pat], 1000);
	pv_free(&pv);
	assert_null(pv.v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parts_dealt_by_pairs),
		cmocka_unit_test(parts_not_joined_by_cannot_link),
		cmocka_unit_test(pairs_number_their_vectors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
