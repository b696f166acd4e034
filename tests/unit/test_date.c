/* Unit tests for core/date: calendar arithmetic, ISO and d/m/y dates, RFC 3339 timestamps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/date.h"

static struct date D(int y, int m, int d)
{
	struct date x = {y, m, d};
	return x;
}

static void assert_date(struct date got, int y, int m, int d)
{
	assert_int_equal(got.y, y);
	assert_int_equal(got.m, m);
	assert_int_equal(got.d, d);
}

/* ---- Calendar ---- */

static void leap_years(void **state)
{
	assert_true(date_is_leap(2024));
	assert_true(date_is_leap(2000));
	assert_true(date_is_leap(1600));
	assert_false(date_is_leap(1900));
	assert_false(date_is_leap(2100));
	assert_false(date_is_leap(2025));
	assert_int_equal(date_days_in_month(2024, 2), 29);
	assert_int_equal(date_days_in_month(2025, 2), 28);
	assert_int_equal(date_days_in_month(1900, 2), 28);
	assert_int_equal(date_days_in_month(2025, 4), 30);
	assert_int_equal(date_days_in_month(2025, 12), 31);
	assert_int_equal(date_days_in_month(2025, 0), 0);
	assert_int_equal(date_days_in_month(2025, 13), 0);
}

static void validity(void **state)
{
	assert_true(date_valid(D(2024, 2, 29)));
	assert_true(date_valid(D(1, 1, 1)));
	assert_true(date_valid(D(9999, 12, 31)));
	assert_false(date_valid(D(2025, 2, 29)));
	assert_false(date_valid(D(2025, 4, 31)));
	assert_false(date_valid(D(0, 1, 1)));
	assert_false(date_valid(D(10000, 1, 1)));
	assert_false(date_valid(D(2025, 0, 1)));
	assert_false(date_valid(D(2025, 1, 0)));
	assert_false(date_valid(D(-2025, 1, 1)));
}

static void day_numbers(void **state)
{
	assert_int_equal(date_to_days(D(1970, 1, 1)), 0);
	assert_int_equal(date_to_days(D(1969, 12, 31)), -1);
	assert_int_equal(date_to_days(D(2000, 3, 1)), 11017);
	assert_int_equal(date_to_days(D(2024, 2, 29)), 19782);
	assert_int_equal(date_to_days(D(1900, 3, 1)), -25508);
	assert_int_equal(date_to_days(D(1, 1, 1)), -719162);
	assert_int_equal(date_to_days(D(9999, 12, 31)), 2932896);

	assert_date(date_from_days(0), 1970, 1, 1);
	assert_date(date_from_days(-1), 1969, 12, 31);
	assert_date(date_from_days(19782), 2024, 2, 29);
	assert_date(date_from_days(-719162), 1, 1, 1);
	assert_date(date_from_days(2932896), 9999, 12, 31);
	/* clamped to the representable range */
	assert_date(date_from_days(-719163), 1, 1, 1);
	assert_date(date_from_days(INT64_MIN), 1, 1, 1);
	assert_date(date_from_days(INT64_MAX), 9999, 12, 31);

	/* every day of the range round-trips and follows the one before */
	struct date prev = date_from_days(-719162);
	for (int64_t n = -719161; n <= 2932896; n++) {
		struct date d = date_from_days(n);
		if (!date_valid(d) || date_to_days(d) != n || date_cmp(prev, d) >= 0)
			fail_msg("day %lld", (long long)n);
		prev = d;
	}
}

static void compare(void **state)
{
	assert_int_equal(date_cmp(D(2025, 1, 1), D(2025, 1, 1)), 0);
	assert_true(date_cmp(D(2024, 12, 31), D(2025, 1, 1)) < 0);
	assert_true(date_cmp(D(2025, 2, 1), D(2025, 1, 31)) > 0);
	assert_true(date_cmp(D(2025, 1, 2), D(2025, 1, 1)) > 0);
}

static void age(void **state)
{
	assert_int_equal(date_age_years(D(2010, 5, 3), D(2025, 5, 2)), 14);
	assert_int_equal(date_age_years(D(2010, 5, 3), D(2025, 5, 3)), 15);
	assert_int_equal(date_age_years(D(2010, 5, 3), D(2010, 5, 3)), 0);
	/* date.h: a 29 February birthday is kept on 28 February in common years */
	assert_int_equal(date_age_years(D(2008, 2, 29), D(2025, 2, 27)), 16);
	assert_int_equal(date_age_years(D(2008, 2, 29), D(2025, 2, 28)), 17);
	assert_int_equal(date_age_years(D(2008, 2, 29), D(2024, 2, 28)), 15);
	assert_int_equal(date_age_years(D(2008, 2, 29), D(2024, 2, 29)), 16);
	/* errors */
	assert_true(date_age_years(D(2010, 5, 3), D(2010, 5, 2)) < 0);
	assert_true(date_age_years(D(2010, 2, 30), D(2025, 1, 1)) < 0);
	assert_true(date_age_years(D(2010, 1, 1), D(2025, 13, 1)) < 0);
}

/* ---- ISO and d/m/y ---- */

static void parse_iso(void **state)
{
	struct date d = {0, 0, 0};

	assert_int_equal(date_parse_iso("2024-02-29", &d), DATE_OK);
	assert_date(d, 2024, 2, 29);
	assert_int_equal(date_parse_iso("0001-01-01", &d), DATE_OK);
	assert_int_equal(date_parse_iso("9999-12-31", &d), DATE_OK);

	assert_int_equal(date_parse_iso("2025-02-30", &d), DATE_EIMPOSSIBLE);
	assert_int_equal(date_parse_iso("2025-02-29", &d), DATE_EIMPOSSIBLE);
	assert_int_equal(date_parse_iso("1900-02-29", &d), DATE_EIMPOSSIBLE);
	assert_int_equal(date_parse_iso("2025-13-01", &d), DATE_EIMPOSSIBLE);
	assert_int_equal(date_parse_iso("2025-00-01", &d), DATE_EIMPOSSIBLE);
	assert_int_equal(date_parse_iso("2025-01-00", &d), DATE_EIMPOSSIBLE);
	assert_int_equal(date_parse_iso("2025-04-31", &d), DATE_EIMPOSSIBLE);
	assert_int_equal(date_parse_iso("0000-01-01", &d), DATE_EIMPOSSIBLE);
	assert_date(d, 9999, 12, 31); /* untouched on failure */

	static const char *const bad[] = {
	    "2025-2-3", "2025-02-3", "25-02-03", "2025/02/03", "2025-02-03 ", " 2025-02-03", "2025-02-03T00:00:00Z",
	    "", "2025", "2025-02", "2025-02-", "+2025-02-03", "2025-0a-03", "20250203", "-025-02-03", "2025-02-0３",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (date_parse_iso(bad[i], &d) != DATE_EFORMAT)
			fail_msg("accepted \"%s\"", bad[i]);
	assert_int_equal(date_parse_iso(NULL, &d), DATE_EFORMAT);
	assert_int_equal(date_parse_iso("2025-02-03", NULL), DATE_EFORMAT);
}

static void parse_dmy(void **state)
{
	struct date d;

	assert_int_equal(date_parse_dmy("3/5/2016", &d), DATE_OK);
	assert_date(d, 2016, 5, 3);
	assert_int_equal(date_parse_dmy("03/05/2016", &d), DATE_OK);
	assert_date(d, 2016, 5, 3);
	assert_int_equal(date_parse_dmy("29/02/2024", &d), DATE_OK);
	assert_int_equal(date_parse_dmy("31/12/9999", &d), DATE_OK);

	assert_int_equal(date_parse_dmy("29/02/2025", &d), DATE_EIMPOSSIBLE);
	assert_int_equal(date_parse_dmy("5/13/2016", &d), DATE_EIMPOSSIBLE); /* not m/d/y */
	assert_int_equal(date_parse_dmy("0/1/2016", &d), DATE_EIMPOSSIBLE);
	assert_int_equal(date_parse_dmy("1/1/0000", &d), DATE_EIMPOSSIBLE);

	static const char *const bad[] = {
	    "3/5/16", "003/5/2016", "3/005/2016", "3-5-2016", "3/5/2016 ", "/5/2016", "3//2016", "3/5/", "3/5",
	    "3", "", "2016-05-03", "3/5/20166", "a/5/2016", "3/5/201a",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (date_parse_dmy(bad[i], &d) != DATE_EFORMAT)
			fail_msg("accepted \"%s\"", bad[i]);
	assert_int_equal(date_parse_dmy(NULL, &d), DATE_EFORMAT);
}

static void format_iso(void **state)
{
	char out[DATE_ISO_LEN + 1];

	date_format_iso(D(2024, 2, 29), out);
	assert_string_equal(out, "2024-02-29");
	date_format_iso(D(1, 1, 1), out);
	assert_string_equal(out, "0001-01-01");
	date_format_iso(D(9999, 12, 31), out);
	assert_string_equal(out, "9999-12-31");
	date_format_iso(D(2025, 2, 30), out); /* invalid: a value no parser accepts */
	assert_string_equal(out, "0000-00-00");
	date_format_iso(D(-1, -1, -1), out);
	assert_string_equal(out, "0000-00-00");
}

/* ---- RFC 3339 ---- */

static void ts_parse(void **state)
{
	int64_t t = 0;

	assert_int_equal(ts_parse_rfc3339("1970-01-01T00:00:00Z", &t), DATE_OK);
	assert_int_equal(t, 0);
	assert_int_equal(ts_parse_rfc3339("2025-03-04T09:15:00Z", &t), DATE_OK);
	assert_int_equal(t, 1741079700);
	assert_int_equal(ts_parse_rfc3339("2025-03-04T10:15:00+01:00", &t), DATE_OK);
	assert_int_equal(t, 1741079700);
	assert_int_equal(ts_parse_rfc3339("2025-03-04T04:45:00-04:30", &t), DATE_OK);
	assert_int_equal(t, 1741079700);
	assert_int_equal(ts_parse_rfc3339("2025-03-04t09:15:00z", &t), DATE_OK);
	assert_int_equal(t, 1741079700);
	assert_int_equal(ts_parse_rfc3339("2025-03-04 09:15:00.123456789Z", &t), DATE_OK);
	assert_int_equal(t, 1741079700);
	assert_int_equal(ts_parse_rfc3339("2025-03-04T09:15:00.9+00:00", &t), DATE_OK);
	assert_int_equal(t, 1741079700);
	assert_int_equal(ts_parse_rfc3339("2025-03-04T09:15:00-00:00", &t), DATE_OK);
	assert_int_equal(t, 1741079700);
	/* an offset moves the instant across midnight and the year */
	assert_int_equal(ts_parse_rfc3339("2025-01-01T00:30:00+01:00", &t), DATE_OK);
	assert_int_equal(t, 1735687800); /* 2024-12-31T23:30:00Z */
	assert_int_equal(ts_parse_rfc3339("1969-12-31T23:59:59Z", &t), DATE_OK);
	assert_int_equal(t, -1);
	assert_int_equal(ts_parse_rfc3339("0001-01-01T00:00:00Z", &t), DATE_OK);
	assert_int_equal(t, -62135596800LL);
	assert_int_equal(ts_parse_rfc3339("9999-12-31T23:59:59Z", &t), DATE_OK);
	assert_int_equal(t, 253402300799LL);
}

static void ts_impossible(void **state)
{
	int64_t t = 42;
	static const char *const bad[] = {
	    "2025-02-30T00:00:00Z", "2025-03-04T24:00:00Z", "2025-03-04T23:60:00Z", "2025-03-04T23:59:60Z",
	    "2016-12-31T23:59:60Z", "2025-03-04T09:15:00+24:00", "2025-03-04T09:15:00+01:60",
	    "0000-12-31T23:00:00Z", "0001-01-01T00:00:00+01:00", "9999-12-31T23:30:00-01:00",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (ts_parse_rfc3339(bad[i], &t) != DATE_EIMPOSSIBLE)
			fail_msg("not impossible: \"%s\"", bad[i]);
	assert_int_equal(t, 42);
}

static void ts_format_errors(void **state)
{
	int64_t t = 42;
	static const char *const bad[] = {
	    "", "2025-03-04", "2025-03-04T09:15:00", "2025-03-04T09:15Z", "2025-03-04T9:15:00Z",
	    "2025-03-04X09:15:00Z", "2025-03-04T09:15:00.Z", "2025-03-04T09:15:00+0100", "2025-03-04T09:15:00+01",
	    "2025-03-04T09:15:00+1:00", "2025-03-04T09:15:00Z ", "2025-03-04T09:15:00ZZ", "2025-3-4T09:15:00Z",
	    "2025-03-04T09:15:00 Z", "2025-03-04T09:15:00,5Z", "2025-03-04T09:15:00UTC",
	    "2025-03-04T09:15:00+01:00:00", "2025-03-04T09-15-00Z", "2025-03-04TT09:15:00Z",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (ts_parse_rfc3339(bad[i], &t) != DATE_EFORMAT)
			fail_msg("accepted \"%s\"", bad[i]);
	assert_int_equal(ts_parse_rfc3339(NULL, &t), DATE_EFORMAT);
	assert_int_equal(ts_parse_rfc3339("2025-03-04T09:15:00Z", NULL), DATE_EFORMAT);
	assert_int_equal(t, 42);
}

static void ts_format(void **state)
{
	char out[TS_UTC_LEN + 1];
	int64_t back;

	ts_format_utc(0, out);
	assert_string_equal(out, "1970-01-01T00:00:00Z");
	ts_format_utc(1741079700, out);
	assert_string_equal(out, "2025-03-04T09:15:00Z");
	ts_format_utc(-1, out);
	assert_string_equal(out, "1969-12-31T23:59:59Z");
	ts_format_utc(951782400, out);
	assert_string_equal(out, "2000-02-29T00:00:00Z");
	ts_format_utc(INT64_MIN, out);
	assert_string_equal(out, "0001-01-01T00:00:00Z");
	ts_format_utc(INT64_MAX, out);
	assert_string_equal(out, "9999-12-31T23:59:59Z");

	for (int64_t e = -62135596800LL; e <= 253402300799LL; e += 7777777) {
		ts_format_utc(e, out);
		assert_int_equal(ts_parse_rfc3339(out, &back), DATE_OK);
		assert_int_equal(back, e);
	}
}

static void ts_date(void **state)
{
	assert_date(ts_utc_date(0), 1970, 1, 1);
	assert_date(ts_utc_date(86399), 1970, 1, 1);
	assert_date(ts_utc_date(86400), 1970, 1, 2);
	assert_date(ts_utc_date(-1), 1969, 12, 31);
	assert_date(ts_utc_date(-86400), 1969, 12, 31);
	assert_date(ts_utc_date(-86401), 1969, 12, 30);
	assert_date(ts_utc_date(1735687800), 2024, 12, 31);
	assert_date(ts_utc_date(INT64_MIN), 1, 1, 1);
	assert_date(ts_utc_date(INT64_MAX), 9999, 12, 31);
}

/* BST: from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October. */
static void uk_local_time(void **state)
{
	int64_t t;
	/* 2025: clocks went forward on 30 March, back on 26 October. */
	assert_int_equal(ts_parse_rfc3339("2025-03-30T00:59:59Z", &t), 0);
	assert_int_equal(ts_uk_local(t) - t, 0);
	assert_int_equal(ts_parse_rfc3339("2025-03-30T01:00:00Z", &t), 0);
	assert_int_equal(ts_uk_local(t) - t, 3600);
	assert_int_equal(ts_parse_rfc3339("2025-07-01T12:00:00Z", &t), 0);
	assert_int_equal(ts_uk_local(t) - t, 3600);
	assert_int_equal(ts_parse_rfc3339("2025-10-26T00:59:59Z", &t), 0);
	assert_int_equal(ts_uk_local(t) - t, 3600);
	assert_int_equal(ts_parse_rfc3339("2025-10-26T01:00:00Z", &t), 0);
	assert_int_equal(ts_uk_local(t) - t, 0);
	assert_int_equal(ts_parse_rfc3339("2025-12-25T23:30:00Z", &t), 0);
	assert_int_equal(ts_uk_local(t) - t, 0);
	/* 2024: 31 March and 27 October. */
	assert_int_equal(ts_parse_rfc3339("2024-03-31T01:00:00Z", &t), 0);
	assert_int_equal(ts_uk_local(t) - t, 3600);
	assert_int_equal(ts_parse_rfc3339("2024-03-24T12:00:00Z", &t), 0);
	assert_int_equal(ts_uk_local(t) - t, 0);
}

/* The store's shape ("...Z", read without the general path's loops: issue 17) parses as the general path
 * parses the same text with "+00:00" for "Z": every instant of a walk over years 1..9999, and texts with one
 * character changed or impossible fields (the two must fail alike, with the same error). */
static void ts_parse_fast_as_general(void **state)
{
	static const char alphabet[] = "0123456789-:TZz t.+x";
	uint64_t r = 88172645463325252ULL;
	for (int i = 0; i < 300000; i++) {
		r ^= r << 13, r ^= r >> 7, r ^= r << 17;
		char z[TS_UTC_LEN + 1], off[TS_UTC_LEN + 8];
		ts_format_utc((int64_t)(r % 315537897600ULL) - 62135596800LL, z);
		if (i % 3 == 1)
			z[(r >> 40) % TS_UTC_LEN] = alphabet[(r >> 20) % (sizeof alphabet - 1)];
		if (i % 3 == 2) { /* months 00-19, days 00-39, hours 00-29, minutes and seconds 00-69 */
			z[5] = (char)('0' + (r >> 8) % 2), z[8] = (char)('0' + (r >> 12) % 4), z[11] = (char)('0' + (r >> 16) % 3);
			z[14] = (char)('0' + (r >> 24) % 7), z[17] = (char)('0' + (r >> 28) % 7);
		}
		int64_t a = 7, b = 7;
		int ra = ts_parse_rfc3339(z, &a);
		if (z[19] == 'Z') { /* the same fields through the general path */
			memcpy(off, z, 19);
			memcpy(off + 19, "+00:00", 7);
			int rb = ts_parse_rfc3339(off, &b);
			if (ra != rb || a != b)
				fail_msg("%s: %d %lld, general %d %lld", z, ra, (long long)a, rb, (long long)b);
		} /* else the general path's own text ('z', 't', an offset...) */
	}
	int64_t t;
	assert_int_equal(ts_parse_rfc3339("2024-02-29T23:59:59Z", &t), DATE_OK);
	assert_int_equal(ts_parse_rfc3339("2023-02-29T00:00:00Z", &t), DATE_EIMPOSSIBLE);
	assert_int_equal(ts_parse_rfc3339("2023-01-01T24:00:00Z", &t), DATE_EIMPOSSIBLE);
	assert_int_equal(ts_parse_rfc3339("0000-01-01T00:00:00Z", &t), DATE_EIMPOSSIBLE);
	assert_int_equal(ts_parse_rfc3339("2023-01-01T00:00:00Zx", &t), DATE_EFORMAT);
	assert_int_equal(ts_parse_rfc3339("2023-01-01T00:00:0", &t), DATE_EFORMAT);
}

/* ts_uk_summer gives the bounds ts_uk_local shifts by. */
static void uk_summer(void **state)
{
	for (int y = 1; y <= 9999; y += 7) {
		int64_t s, e;
		ts_uk_summer(y, &s, &e);
		assert_true(s < e);
		assert_int_equal(ts_uk_local(s - 1) - (s - 1), 0);
		assert_int_equal(ts_uk_local(s) - s, 3600);
		assert_int_equal(ts_uk_local(e - 1) - (e - 1), 3600);
		assert_int_equal(ts_uk_local(e) - e, 0);
	}
}

static void long_dates(void **state)
{
	char out[DATE_LONG_MAX + 1];
	date_format_long((struct date){2025, 3, 4}, out);
	assert_string_equal(out, "4 March 2025");
	date_format_long((struct date){2025, 9, 30}, out);
	assert_string_equal(out, "30 September 2025");
	date_format_long((struct date){2025, 2, 30}, out);
	assert_string_equal(out, "unknown date");
	/* as "%d %s %d" writes them: every day of years 1-120, 1990-2110 and 9900-9999 */
	static const char *const months[] = {"January", "February", "March",     "April",   "May",      "June",
					     "July",    "August",   "September", "October", "November", "December"};
	static const int spans[][2] = {{1, 120}, {1990, 2110}, {9900, 9999}};
	for (size_t k = 0; k < 3; k++)
		for (int y = spans[k][0]; y <= spans[k][1]; y++)
			for (int m = 1; m <= 12; m++)
				for (int d = 1; d <= date_days_in_month(y, m); d++) {
					char want[64];
					snprintf(want, sizeof want, "%d %s %d", d, months[m - 1], y);
					date_format_long((struct date){y, m, d}, out);
					assert_string_equal(out, want);
				}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(leap_years), cmocka_unit_test(validity),     cmocka_unit_test(day_numbers),
	    cmocka_unit_test(compare),    cmocka_unit_test(age),          cmocka_unit_test(parse_iso),
	    cmocka_unit_test(parse_dmy),  cmocka_unit_test(format_iso),   cmocka_unit_test(ts_parse),
	    cmocka_unit_test(ts_impossible), cmocka_unit_test(ts_format_errors), cmocka_unit_test(ts_format),
	    cmocka_unit_test(ts_date), cmocka_unit_test(uk_local_time), cmocka_unit_test(long_dates),
	    cmocka_unit_test(ts_parse_fast_as_general), cmocka_unit_test(uk_summer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
