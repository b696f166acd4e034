/* oversight/reason.h: a signal said in words, with plain values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "oversight/reason.h"

static struct ov_reason single(int k, bool high, double o, double e, int months)
{
	struct ov_reason r;
	memset(&r, 0, sizeof r);
	r.indicator = k;
	r.high = high;
	r.observed = o;
	r.expected = e;
	r.months = months;
	for (int i = 0; i < OV_NIND; i++)
		r.ind_expected[i] = -1;
	return r;
}

static void up_over_months(void **state)
{
	(void)state;
	char out[200];
	struct ov_reason r = single(OV_RESTRAINT, true, 12, 5, 3);
	ov_reason_text(&r, out, sizeof out);
	assert_string_equal(out, "restraints 2.4 times what similar homes record, rising for 3 months");
	r = single(OV_MISSING, true, 7, 2, 1);
	ov_reason_text(&r, out, sizeof out);
	assert_string_equal(out, "missing episodes 3.5 times what similar homes record, this month");
}

static void down_says_what_it_may_mean(void **state)
{
	(void)state;
	char out[200];
	struct ov_reason r = single(OV_COMPLAINT, false, 3, 10, 4);
	ov_reason_text(&r, out, sizeof out);
	assert_string_equal(out, "complaints 0.3 times what similar homes record over 4 months: children may not be heard");
	r = single(OV_NOTIFICATION, false, 0, 6, 2);
	ov_reason_text(&r, out, sizeof out);
	assert_string_equal(out, "notifications almost none of what similar homes record over 2 months: incidents may not be "
				 "reported");
}

static void combined_lists_each_indicator(void **state)
{
	(void)state;
	char out[400];
	struct ov_reason r = single(OV_COMBINED, true, 0, 0, 4);
	r.ind_observed[OV_RESTRAINT] = 21, r.ind_expected[OV_RESTRAINT] = 10;
	r.ind_observed[OV_INJURY] = 9, r.ind_expected[OV_INJURY] = 5;
	r.ind_observed[OV_MISSING] = 10, r.ind_expected[OV_MISSING] = 4;
	r.ind_observed[OV_COMPLAINT] = 2, r.ind_expected[OV_COMPLAINT] = 5;
	ov_reason_text(&r, out, sizeof out);
	assert_string_equal(out, "restraints 2.1 times, injuries 1.8 times, missing episodes 2.5 times and complaints 0.4 "
				 "times what similar homes record, together rising for 4 months");
}

/* A combined signal says when the Regulation 44 visitor said children were not effectively safeguarded in
 * the months it climbed (the service's nightly run and `homes monitor --reg44`). */
static void combined_says_what_the_visitor_said(void **state)
{
	(void)state;
	char out[400];
	struct ov_reason r = single(OV_COMBINED, true, 0, 0, 3);
	r.ind_observed[OV_RESTRAINT] = 6, r.ind_expected[OV_RESTRAINT] = 3;
	r.reg44_concerns = 2;
	ov_reason_text(&r, out, sizeof out);
	assert_string_equal(out, "restraints 2.0 times what similar homes record, together rising for 3 months; the "
				 "Regulation 44 visitor said children were not effectively safeguarded in 2 of these months");
	r.months = 1;
	r.reg44_concerns = 1;
	ov_reason_text(&r, out, sizeof out);
	assert_string_equal(out, "restraints 2.0 times what similar homes record, together this month; the Regulation 44 "
				 "visitor said children were not effectively safeguarded this month");
	r.reg44_concerns = 0;
	ov_reason_text(&r, out, sizeof out);
	assert_string_equal(out, "restraints 2.0 times what similar homes record, together this month");
}

static void truncates_and_never_overflows(void **state)
{
	(void)state;
	char out[16];
	struct ov_reason r = single(OV_RESTRAINT, true, 12, 5, 3);
	int n = ov_reason_text(&r, out, sizeof out);
	assert_true(n > (int)sizeof out);
	assert_int_equal(strlen(out), sizeof out - 1);
	assert_int_equal(ov_reason_text(NULL, out, sizeof out), 0);
	assert_string_equal(out, "");
	r.indicator = 99;
	assert_int_equal(ov_reason_text(&r, out, sizeof out), 0);
	assert_string_equal(ov_indicator_words(OV_SELF_HARM), "self-harm incidents");
	assert_string_equal(ov_indicator_words(-1), "");
}

static void nothing_expected(void **state)
{
	(void)state;
	char out[200];
	struct ov_reason r = single(OV_ALLEGATION, true, 2, 0, 1);
	ov_reason_text(&r, out, sizeof out);
	assert_string_equal(out, "allegations against staff: 2 where similar homes record almost none, this month");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(up_over_months),
		cmocka_unit_test(down_says_what_it_may_mean),
		cmocka_unit_test(combined_lists_each_indicator),
		cmocka_unit_test(combined_says_what_the_visitor_said),
		cmocka_unit_test(truncates_and_never_overflows),
		cmocka_unit_test(nothing_expected),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
