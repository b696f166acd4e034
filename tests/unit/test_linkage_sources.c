/* Unit tests for family_sources (dedupe.c family_by_source; issue 16, round 30b): m of the family name's levels
 * per pair of sources, read from the pairs the model links without the family name. A source that writes the
 * tenant's family name for a third of the children it meets (housing) gets a family "else" that weighs less
 * against a link than the pooled m says; two sources that write the child's own keep it heavy. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "linkage/linkage.h"

enum { KIDS = 3000, GP = 1, SCHOOL = 2, HOUSING = 3 };

static const char *const syl[] = {"ka", "lo", "mi", "ra", "tu", "ve", "zo", "ni", "pe", "su"};

/* Child i: a made-up given and family name, its own birthday and home. Housing writes the tenant's family name
 * (another, unrelated) for one child in three. */
static void child(size_t i, uint8_t source, struct linkage_rec *out)
{
	char given[32], family[32], tenant[32], dob[16], pc[16], addr[48];
	size_t d0 = i % 10, d1 = (i / 10) % 10, d2 = (i / 100) % 10, d3 = (i / 1000) % 10;
	snprintf(given, sizeof given, "%s%s%s%sa", syl[d0], syl[d1], syl[d2], syl[d3]);
	snprintf(family, sizeof family, "Bo%s%s%s%sford", syl[d1], syl[d0], syl[d3], syl[d2]);
	snprintf(tenant, sizeof tenant, "Wy%s%sgrave", syl[(i * 7) % 10], syl[(d1 + 3) % 10]);
	snprintf(dob, sizeof dob, "%04zu-%02zu-%02zu", 2008 + i % 12, 1 + i % 12, 1 + (i * 7) % 28);
	snprintf(pc, sizeof pc, "HX%zu %zuA%c", 1 + i % 9, i % 10, 'A' + (int)(i % 26));
	snprintf(addr, sizeof addr, "%zu %s Road", 1 + i, syl[(i / 10) % 10]);
	struct linkage_input in = {.given = given, .family = source == HOUSING && i % 3 == 0 ? tenant : family,
				   .dob = dob, .sex = "F", .postcode = pc, .address = addr};
	linkage_prepare(&in, out);
	out->source = source;
}

static double else_weight(const struct linkage_model *m, uint8_t a, uint8_t b)
{
	unsigned sp = linkage_source_pair(a, b);
	assert_true(m->by_source->own[sp]);
	return m->by_source->w[sp][LF_FAMILY][LN_ELSE];
}

static void a_source_that_writes_another_family_name_weighs_it_less(void **state)
{
	(void)state;
	static struct linkage_rec r[3 * KIDS];
	for (size_t i = 0; i < KIDS; i++) {
		child(i, GP, &r[3 * i]);
		child(i, SCHOOL, &r[3 * i + 1]);
		child(i, HOUSING, &r[3 * i + 2]);
	}
	struct linkage_model m;
	linkage_model_defaults(&m);
	m.lambda = 0.01;
	assert_true(m.refuse & LINKAGE_REFUSE_FAMILY_SOURCES);
	struct linkage_opts o = {.threads = 1};
	struct linkage_result res;
	assert_int_equal(linkage_dedupe(r, 3 * KIDS, &m, &o, &res), 0);
	linkage_result_free(&res);
	assert_non_null(m.by_source);
	double pooled = log2(m.m[LF_FAMILY][LN_ELSE] / m.u[LF_FAMILY][LN_ELSE]);
	double gp_school = else_weight(&m, GP, SCHOOL), gp_housing = else_weight(&m, GP, HOUSING),
	       school_housing = else_weight(&m, SCHOOL, HOUSING);
	/* GP and school never disagree on it: heavier against than pooled; housing's pairs: lighter. */
	assert_true(gp_school < pooled - 0.5);
	assert_true(gp_housing > pooled + 0.2);
	assert_true(school_housing > pooled + 0.2);
	/* m still adds up to 1 over the family levels of each pair of sources */
	for (uint8_t s = GP; s <= HOUSING; s++) {
		double sum = 0;
		for (unsigned l = 1; l < linkage_nlevels[LF_FAMILY]; l++)
			sum += m.by_source->m[linkage_source_pair(GP, s)][LF_FAMILY][l];
		assert_true(sum > 0.999 && sum < 1.001);
	}
	/* A pair of a housing record under the tenant's name and the child's GP record scores higher than the
	 * same disagreement between two sources that write the child's own name. */
	struct linkage_score a, b;
	linkage_score(&m, &r[2], &r[0], &a); /* child 0: housing wrote the tenant's name */
	struct linkage_rec gp_other = r[1];
	gp_other.source = GP;
	struct linkage_rec school_tenant = r[2];
	school_tenant.source = SCHOOL;
	linkage_score(&m, &school_tenant, &gp_other, &b);
	assert_true(a.weight > b.weight + 1.0);
	/* Taken away (--refuse -family_sources): no m per pair of sources, the pooled weights. */
	m.refuse &= ~(unsigned)LINKAGE_REFUSE_FAMILY_SOURCES;
	assert_int_equal(linkage_dedupe(r, 3 * KIDS, &m, &o, &res), 0);
	linkage_result_free(&res);
	assert_null(m.by_source);
	linkage_model_release(&m);
}

/* Too few pairs of a pair of sources to say (under 100 linked without the family name): the pooled m. */
static void few_pairs_keep_the_pooled_m(void **state)
{
	(void)state;
	enum { FEW = 40 };
	static struct linkage_rec r[2 * FEW];
	for (size_t i = 0; i < FEW; i++) {
		child(i, GP, &r[2 * i]);
		child(i, HOUSING, &r[2 * i + 1]);
	}
	struct linkage_model m;
	linkage_model_defaults(&m);
	m.lambda = 0.01;
	struct linkage_opts o = {.threads = 1};
	struct linkage_result res;
	assert_int_equal(linkage_dedupe(r, 2 * FEW, &m, &o, &res), 0);
	linkage_result_free(&res);
	assert_non_null(m.by_source);
	assert_false(m.by_source->own[linkage_source_pair(GP, HOUSING)]);
	linkage_model_release(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(a_source_that_writes_another_family_name_weighs_it_less),
	    cmocka_unit_test(few_pairs_keep_the_pooled_m),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
