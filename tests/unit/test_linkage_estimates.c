/* Unit tests for linkage/estimates.c: the 1 January dates of a source that writes estimates are taken as not
 * written; a source whose 1 January dates are as common as birthdays, or too few to say, keeps them. */
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

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(an_estimating_source_loses_its_1_january_dates),
	    cmocka_unit_test(at_the_share_of_birthdays_nothing_changes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
