/* Unit tests for linkage/estimates.c: the 1 January dates of a source that writes estimates are taken as not
 * written; a source whose 1 January dates are as common as birthdays, or too few to say, keeps them; its other
 * dates, a year from the child's or less, refuse no link (age_dates, round 29). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "linkage/linkage.h"

/* n records of source src, dated day d of month m of 2015 + (i % 10), jan1 of them on 1 January. */
static void fill(struct linkage_rec *r, size_t n, uint8_t src, size_t jan1)
{
	for (size_t i = 0; i < n; i++) {
		char dob[16];
		if (i < jan1)
			snprintf(dob, sizeof dob, "%04zu-01-01", 2010 + i % 10);
		else
			snprintf(dob, sizeof dob, "%04zu-%02zu-%02zu", 2010 + i % 10, 2 + i % 11, 1 + i % 28);
		struct linkage_input in = {.given = "Burak", .family = "Yildiz", .dob = dob};
		linkage_prepare(&in, &r[i]);
		r[i].source = src;
	}
}

static void an_estimating_source_loses_its_1_january_dates(void **state)
{
	(void)state;
	enum { N = 600 };
	static struct linkage_rec r[3 * N];
	/* Source 1 writes estimates: 60 of 600 dates on 1 January (22 times the share of birthdays). Source 2's
	 * 2 of 600 are birthdays (1.2 times). Source 3: 19 of 60 on 1 January, too few to say. */
	fill(r, N, 1, 60);
	fill(r + N, N, 2, 2);
	fill(r + 2 * N, 60, 3, 19);
	struct linkage_estimates e;
	size_t k = linkage_drop_estimated_dobs(r, 2 * N + 60, &e);
	assert_int_equal(k, 60);
	assert_true(e.dropped[1]);
	assert_false(e.dropped[2]);
	assert_false(e.dropped[3]);
	assert_int_equal(e.dated[1], N);
	assert_int_equal(e.jan1[1], 60);
	assert_int_equal(e.jan1[2], 2);
	assert_int_equal(e.jan1[3], 19);
	/* Source 1's 1 January dates are not written now; its other dates and every other source's stand. */
	for (size_t i = 0; i < N; i++) {
		if (i < 60) {
			assert_int_equal(r[i].dob_state, LINKAGE_DOB_NONE);
			assert_string_equal(r[i].dob_digits, "");
		} else {
			assert_int_equal(r[i].dob_state, LINKAGE_DOB_VALID);
		}
	}
	for (size_t i = N; i < 2 * N + 60; i++)
		assert_int_equal(r[i].dob_state, LINKAGE_DOB_VALID);
	/* A record without a date and a 1 January date compare as date missing, not as unrelated birthdays. */
	struct linkage_rec x;
	struct linkage_input in = {.given = "Burak", .family = "Yildiz", .dob = ""};
	linkage_prepare(&in, &x);
	assert_int_equal(linkage_cmp_dob(&r[0], &r[N + 100]), linkage_cmp_dob(&x, &r[N + 100]));
	/* Run again, nothing more goes: the dropped dates are no longer dates. */
	assert_int_equal(linkage_drop_estimated_dobs(r, 2 * N + 60, NULL), 0);
}

static void at_the_share_of_birthdays_nothing_changes(void **state)
{
	(void)state;
	enum { N = 7305 };
	static struct linkage_rec r[N];
	/* 20 of 7,305 on 1 January: exactly the share of birthdays, far under five times it. */
	fill(r, N, 0, 20);
	assert_int_equal(linkage_drop_estimated_dobs(r, N, NULL), 0);
	for (size_t i = 0; i < 20; i++)
		assert_int_equal(r[i].dob_state, LINKAGE_DOB_VALID);
}

/* Round 29 (age_dates). The pass that drops a source's 1 January dates marks the source's records: its other
 * dates may be estimates too (the day of the encounter, so many years back). Two unrelated birthdays in one
 * year or two adjacent ones, one of them such a record's, may then be one child's; two years apart, or
 * neither record of such a source, or birthdays related otherwise (equal, swapped), are not that case. */
static void a_source_of_estimates_is_marked(void **state)
{
	(void)state;
	enum { N = 600 };
	static struct linkage_rec r[2 * N];
	fill(r, N, 1, 60);
	fill(r + N, N, 2, 2);
	assert_int_equal(linkage_drop_estimated_dobs(r, 2 * N, NULL), 60);
	for (size_t i = 0; i < 2 * N; i++)
		assert_int_equal(r[i].dob_from_age, i < N);
	/* fill(): record 60 of source 1 is dated 2010-07-05 (i = 60: year 2010, month 7, day 5) */
	struct linkage_rec *est = &r[60];
	assert_int_equal(est->dob_state, LINKAGE_DOB_VALID);
	struct linkage_rec x;
	const char *near[] = {"2010-02-17", "2009-11-30", "2011-03-03"}, *far[] = {"2008-07-06", "2012-01-20"};
	for (size_t i = 0; i < sizeof near / sizeof near[0]; i++) {
		struct linkage_input in = {.given = "Burak", .family = "Yildiz", .dob = near[i]};
		linkage_prepare(&in, &x);
		assert_int_equal(linkage_cmp_dob(est, &x), LD_ELSE);
		assert_true(linkage_dob_from_age(est, &x));
		assert_true(linkage_dob_from_age(&x, est));
		/* the same two dates, neither written by a source of estimates */
		struct linkage_rec y = *est;
		y.dob_from_age = 0;
		assert_false(linkage_dob_from_age(&y, &x));
	}
	for (size_t i = 0; i < sizeof far / sizeof far[0]; i++) {
		struct linkage_input in = {.given = "Burak", .family = "Yildiz", .dob = far[i]};
		linkage_prepare(&in, &x);
		assert_false(linkage_dob_from_age(est, &x));
	}
	/* equal, swapped or without a date: not unrelated birthdays, nothing to lift */
	const char *other[] = {"2010-07-05", "2010-05-07", ""};
	for (size_t i = 0; i < sizeof other / sizeof other[0]; i++) {
		struct linkage_input in = {.given = "Burak", .family = "Yildiz", .dob = other[i]};
		linkage_prepare(&in, &x);
		assert_false(linkage_dob_from_age(est, &x));
	}
}

static struct linkage_rec rec(const char *given, const char *dob, const char *postcode, const char *addr,
			      const char *nhs, uint8_t source)
{
	struct linkage_input in = {given, "", "Nowak", dob, "M", postcode, addr, nhs, ""};
	struct linkage_rec r;
	linkage_prepare(&in, &r);
	r.source = source;
	return r;
}

/* Kacper Nowak's GP records (his NHS number, born 9 March 2014) and a police record of a source that writes
 * dates from an age: the day of an incident in 2015 at the family's home ("he's one"). Its pairs with the GP records reach the link threshold with the birthdays unrelated, and
 * the `dob` rule refused them: his police record stayed alone. With age_dates they join him. His
 * cousin Kacper Nowak, born 2011 and written by the police at the same house, stays apart: three years off is no
 * estimate of a one-year-old's birthday. Asserted both ways (--refuse -age_dates keeps the police record apart). */
static void a_date_from_an_age_joins_its_child(void **state)
{
	(void)state;
	struct linkage_rec r[4];
	r[0] = rec("Kacper", "2014-03-09", "HX1 4YH", "94 Clough Drive", "9434765919", 2);
	r[1] = rec("Kacper", "09/03/2014", "HX1 4YH", "94 Clough Drive", "9434765919", 2);
	r[2] = rec("Kacper", "2015-10-22", "HX1 4YH", "94 Clough Drive", "", 1);
	r[3] = rec("Kacper", "2011-06-30", "HX1 4YH", "94 Clough Drive", "", 1);
	for (int i = 2; i < 4; i++)
		r[i].dob_from_age = 1;
	assert_int_equal(linkage_cmp_dob(&r[2], &r[0]), LD_ELSE);
	struct linkage_model m;
	linkage_model_defaults(&m);
	m.lambda = 0.1;
	assert_true(m.refuse & LINKAGE_REFUSE_AGE_DATES);
	struct linkage_score sc;
	linkage_score(&m, &r[2], &r[0], &sc);
	assert_true(sc.probability >= m.link_threshold);
	struct linkage_opts o = {.threads = 1};
	struct linkage_result res;
	assert_int_equal(linkage_dedupe(r, 4, &m, &o, &res), 0);
	assert_int_equal(res.cluster[1], res.cluster[0]);
	assert_int_equal(res.cluster[2], res.cluster[0]);
	assert_int_not_equal(res.cluster[3], res.cluster[0]);
	linkage_result_free(&res);
	m.refuse &= ~LINKAGE_REFUSE_AGE_DATES;
	assert_int_equal(linkage_dedupe(r, 4, &m, &o, &res), 0);
	assert_int_equal(res.cluster[1], res.cluster[0]);
	assert_int_not_equal(res.cluster[2], res.cluster[0]);
	assert_int_not_equal(res.cluster[3], res.cluster[0]);
	linkage_result_free(&res);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(an_estimating_source_loses_its_1_january_dates),
	    cmocka_unit_test(at_the_share_of_birthdays_nothing_changes),
	    cmocka_unit_test(a_source_of_estimates_is_marked),
	    cmocka_unit_test(a_date_from_an_age_joins_its_child),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
