/* Unit tests for clock: England & Wales bank holidays against the published GOV.UK lists, Easter,
 * working-day arithmetic over Christmas and Easter, local closures, calendar months. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>

#include "clock/clock.h"

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

/* The year's list must be exactly want[0..n), and clock_is_bank_holiday must agree day by day. */
static void assert_year(int year, const struct date *want, int n)
{
	struct date got[CLOCK_BANK_HOLIDAYS_MAX];

	assert_int_equal(clock_bank_holidays(year, got, CLOCK_BANK_HOLIDAYS_MAX), n);
	for (int i = 0; i < n; i++)
		assert_date(got[i], want[i].y, want[i].m, want[i].d);

	int found = 0;
	for (struct date d = D(year, 1, 1); d.y == year; d = clock_add_days(d, 1)) {
		bool want_it = false;
		for (int i = 0; i < n; i++)
			want_it = want_it || date_cmp(d, want[i]) == 0;
		assert_int_equal(clock_is_bank_holiday(d), want_it);
		found += want_it;
	}
	assert_int_equal(found, n);
}

/* ---- Published lists (https://www.gov.uk/bank-holidays) ----------------------------------------- */

static void year_2022(void **state)
{
	/* Platinum Jubilee (spring moved to Thu 2 June, Fri 3 June added), State Funeral 19 Sep,
	 * Christmas Day on a Sunday. */
	const struct date w[] = {D(2022, 1, 3),  D(2022, 4, 15), D(2022, 4, 18), D(2022, 5, 2),
	                         D(2022, 6, 2),  D(2022, 6, 3),  D(2022, 8, 29), D(2022, 9, 19),
	                         D(2022, 12, 26), D(2022, 12, 27)};
	assert_year(2022, w, 10);
	assert_false(clock_is_bank_holiday(D(2022, 5, 30))); /* the spring holiday's usual day */
}

static void year_2023(void **state)
{
	/* New Year's Day on a Sunday; Coronation 8 May. */
	const struct date w[] = {D(2023, 1, 2),  D(2023, 4, 7),   D(2023, 4, 10),
	                         D(2023, 5, 1),  D(2023, 5, 8),   D(2023, 5, 29),
	                         D(2023, 8, 28), D(2023, 12, 25), D(2023, 12, 26)};
	assert_year(2023, w, 9);
}

static void year_2024(void **state)
{
	const struct date w[] = {D(2024, 1, 1),  D(2024, 3, 29), D(2024, 4, 1),   D(2024, 5, 6),
	                         D(2024, 5, 27), D(2024, 8, 26), D(2024, 12, 25), D(2024, 12, 26)};
	assert_year(2024, w, 8);
}

static void year_2025(void **state)
{
	const struct date w[] = {D(2025, 1, 1),  D(2025, 4, 18), D(2025, 4, 21),  D(2025, 5, 5),
	                         D(2025, 5, 26), D(2025, 8, 25), D(2025, 12, 25), D(2025, 12, 26)};
	assert_year(2025, w, 8);
}

static void year_2026(void **state)
{
	/* Boxing Day on a Saturday: substitute Monday 28 December. */
	const struct date w[] = {D(2026, 1, 1),  D(2026, 4, 3),  D(2026, 4, 6),   D(2026, 5, 4),
	                         D(2026, 5, 25), D(2026, 8, 31), D(2026, 12, 25), D(2026, 12, 28)};
	assert_year(2026, w, 8);
	assert_false(clock_is_bank_holiday(D(2026, 12, 26)));
}

static void one_offs(void **state)
{
	/* 1995 VE Day 50th: early May moved from 1 May to 8 May. */
	assert_true(clock_is_bank_holiday(D(1995, 5, 8)));
	assert_false(clock_is_bank_holiday(D(1995, 5, 1)));
	/* 1999 millennium: 31 December added (with 27 and 28 for a Saturday Christmas). */
	const struct date y1999[] = {D(1999, 1, 1),  D(1999, 4, 2),   D(1999, 4, 5),
	                             D(1999, 5, 3),  D(1999, 5, 31),  D(1999, 8, 30),
	                             D(1999, 12, 27), D(1999, 12, 28), D(1999, 12, 31)};
	assert_year(1999, y1999, 9);
	/* 2002 Golden Jubilee: spring moved from 27 May to Tue 4 June, Mon 3 June added. */
	const struct date y2002[] = {D(2002, 1, 1),  D(2002, 3, 29), D(2002, 4, 1),   D(2002, 5, 6),
	                             D(2002, 6, 3),  D(2002, 6, 4),  D(2002, 8, 26),  D(2002, 12, 25),
	                             D(2002, 12, 26)};
	assert_year(2002, y2002, 9);
	/* 2011 royal wedding, 29 April (a week of holidays with Easter Monday 25 April). */
	assert_true(clock_is_bank_holiday(D(2011, 4, 29)));
	assert_true(clock_is_bank_holiday(D(2011, 4, 25)));
	/* 2012 Diamond Jubilee: spring moved from 28 May to Mon 4 June, Tue 5 June added. */
	const struct date y2012[] = {D(2012, 1, 2),  D(2012, 4, 6), D(2012, 4, 9),   D(2012, 5, 7),
	                             D(2012, 6, 4),  D(2012, 6, 5), D(2012, 8, 27),  D(2012, 12, 25),
	                             D(2012, 12, 26)};
	assert_year(2012, y2012, 9);
	/* 2020 VE Day 75th: early May moved from Mon 4 May to Fri 8 May. */
	const struct date y2020[] = {D(2020, 1, 1),  D(2020, 4, 10), D(2020, 4, 13),  D(2020, 5, 8),
	                             D(2020, 5, 25), D(2020, 8, 31), D(2020, 12, 25), D(2020, 12, 28)};
	assert_year(2020, y2020, 8);
	/* 1981 royal wedding. */
	assert_true(clock_is_bank_holiday(D(1981, 7, 29)));
}

/* ---- Every year 2000 to 2040 -------------------------------------------------------------------- */

/* England and Wales bank holidays 2000-2040, written out from the published lists and not from the
 * code's rules: GOV.UK (https://www.gov.uk/bank-holidays) and its archived calendars for 2012 onwards,
 * the published historic lists before that, and a published table of Easter Sundays for the years no
 * list covers yet (Good Friday is Easter - 2, Easter Monday Easter + 1). Each date is month * 100 +
 * day (1225 = 25 December), in date order; unused slots are 0. Comments mark the years that are not
 * the plain eight, so a failure here can be told from a slip in the table. */
static const struct {
	int year;
	int md[10];
} known_years[] = {
	{2000, {103, 421, 424, 501, 529, 828, 1225, 1226}},      /* 1 Jan a Saturday */
	{2001, {101, 413, 416, 507, 528, 827, 1225, 1226}},
	{2002, {101, 329, 401, 506, 603, 604, 826, 1225, 1226}}, /* Golden Jubilee */
	{2003, {101, 418, 421, 505, 526, 825, 1225, 1226}},
	{2004, {101, 409, 412, 503, 531, 830, 1227, 1228}},      /* Christmas a Saturday */
	{2005, {103, 325, 328, 502, 530, 829, 1226, 1227}},      /* 1 Jan Sat, Christmas Sun */
	{2006, {102, 414, 417, 501, 529, 828, 1225, 1226}},      /* 1 Jan a Sunday */
	{2007, {101, 406, 409, 507, 528, 827, 1225, 1226}},
	{2008, {101, 321, 324, 505, 526, 825, 1225, 1226}},      /* Easter 23 March */
	{2009, {101, 410, 413, 504, 525, 831, 1225, 1228}},      /* Boxing Day a Saturday */
	{2010, {101, 402, 405, 503, 531, 830, 1227, 1228}},      /* Christmas a Saturday */
	{2011, {103, 422, 425, 429, 502, 530, 829, 1226, 1227}}, /* royal wedding; Christmas Sun */
	{2012, {102, 406, 409, 507, 604, 605, 827, 1225, 1226}}, /* Diamond Jubilee */
	{2013, {101, 329, 401, 506, 527, 826, 1225, 1226}},
	{2014, {101, 418, 421, 505, 526, 825, 1225, 1226}},
	{2015, {101, 403, 406, 504, 525, 831, 1225, 1228}},      /* Boxing Day a Saturday */
	{2016, {101, 325, 328, 502, 530, 829, 1226, 1227}},      /* Christmas a Sunday */
	{2017, {102, 414, 417, 501, 529, 828, 1225, 1226}},      /* 1 Jan a Sunday */
	{2018, {101, 330, 402, 507, 528, 827, 1225, 1226}},
	{2019, {101, 419, 422, 506, 527, 826, 1225, 1226}},
	{2020, {101, 410, 413, 508, 525, 831, 1225, 1228}},      /* VE Day 75; Boxing Day Sat */
	{2021, {101, 402, 405, 503, 531, 830, 1227, 1228}},      /* Christmas a Saturday */
	{2022, {103, 415, 418, 502, 602, 603, 829, 919, 1226, 1227}}, /* Platinum Jubilee, funeral */
	{2023, {102, 407, 410, 501, 508, 529, 828, 1225, 1226}}, /* Coronation */
	{2024, {101, 329, 401, 506, 527, 826, 1225, 1226}},
	{2025, {101, 418, 421, 505, 526, 825, 1225, 1226}},
	{2026, {101, 403, 406, 504, 525, 831, 1225, 1228}},      /* Boxing Day a Saturday */
	{2027, {101, 326, 329, 503, 531, 830, 1227, 1228}},      /* Christmas a Saturday */
	{2028, {103, 414, 417, 501, 529, 828, 1225, 1226}},      /* 1 Jan a Saturday */
	{2029, {101, 330, 402, 507, 528, 827, 1225, 1226}},
	{2030, {101, 419, 422, 506, 527, 826, 1225, 1226}},
	{2031, {101, 411, 414, 505, 526, 825, 1225, 1226}},
	{2032, {101, 326, 329, 503, 531, 830, 1227, 1228}},      /* Christmas a Saturday */
	{2033, {103, 415, 418, 502, 530, 829, 1226, 1227}},      /* 1 Jan Sat, Christmas Sun */
	{2034, {102, 407, 410, 501, 529, 828, 1225, 1226}},      /* 1 Jan a Sunday */
	{2035, {101, 323, 326, 507, 528, 827, 1225, 1226}},      /* Easter 25 March */
	{2036, {101, 411, 414, 505, 526, 825, 1225, 1226}},
	{2037, {101, 403, 406, 504, 525, 831, 1225, 1228}},      /* Boxing Day a Saturday */
	{2038, {101, 423, 426, 503, 531, 830, 1227, 1228}},      /* Easter 25 April; Christmas Sat */
	{2039, {103, 408, 411, 502, 530, 829, 1226, 1227}},      /* 1 Jan Sat, Christmas Sun */
	{2040, {102, 330, 402, 507, 528, 827, 1225, 1226}},      /* 1 Jan a Sunday */
};

#define KNOWN_YEARS ((int)(sizeof known_years / sizeof known_years[0]))

/* Row i of the table as dates; returns how many. */
static int known_dates(int i, struct date out[10])
{
	int n = 0;
	while (n < 10 && known_years[i].md[n] != 0) {
		out[n] = D(known_years[i].year, known_years[i].md[n] / 100, known_years[i].md[n] % 100);
		n++;
	}
	return n;
}

/* Day of the week, 0 = Sunday (Sakamoto), and leap years, written here so that the working-day count
 * below owes nothing to the calendar code under test. */
static int weekday_sun0(int y, int m, int d)
{
	static const int t[] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
	if (m < 3)
		y--;
	return (y + y / 4 - y / 100 + y / 400 + t[m - 1] + d) % 7;
}

static int month_length(int y, int m)
{
	static const int len[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : len[m - 1];
}

static void known_2000_2040(void **state)
{
	/* The table itself: every year once, in order, each date real, a weekday and later than the one
	 * before, so a typo in it fails here rather than passing as a code bug. */
	assert_int_equal(KNOWN_YEARS, 41);
	for (int i = 0; i < KNOWN_YEARS; i++) {
		struct date want[10];
		int n = known_dates(i, want);

		assert_int_equal(known_years[i].year, 2000 + i);
		assert_true(n >= 8 && n <= 10);
		for (int k = 0; k < n; k++) {
			assert_true(want[k].m >= 1 && want[k].m <= 12);
			assert_true(want[k].d >= 1 && want[k].d <= month_length(want[k].y, want[k].m));
			int wd = weekday_sun0(want[k].y, want[k].m, want[k].d);
			assert_true(wd >= 1 && wd <= 5);
			if (k > 0)
				assert_true(known_years[i].md[k - 1] < known_years[i].md[k]);
		}
		assert_year(known_years[i].year, want, n);
	}
}

static void known_working_days_2000_2040(void **state)
{
	/* A year's working days are its weekdays less its bank holidays (all on weekdays, checked above),
	 * counted here from the table alone and compared with the code's arithmetic over the year. */
	for (int i = 0; i < KNOWN_YEARS; i++) {
		int y = known_years[i].year;
		struct date hol[10];
		int nhol = known_dates(i, hol);
		int weekdays = 0;

		for (int m = 1; m <= 12; m++)
			for (int d = 1; d <= month_length(y, m); d++) {
				int wd = weekday_sun0(y, m, d);
				weekdays += wd >= 1 && wd <= 5;
			}
		assert_true(weekdays >= 260 && weekdays <= 262);
		assert_int_equal(clock_working_days_between(NULL, D(y - 1, 12, 31), D(y, 12, 31)),
		                 weekdays - nhol);
	}
}

static void christmas_substitutes(void **state)
{
	/* 2021: Christmas on Saturday -> Mon 27 and Tue 28. */
	assert_false(clock_is_bank_holiday(D(2021, 12, 25)));
	assert_false(clock_is_bank_holiday(D(2021, 12, 26)));
	assert_true(clock_is_bank_holiday(D(2021, 12, 27)));
	assert_true(clock_is_bank_holiday(D(2021, 12, 28)));
	assert_false(clock_is_bank_holiday(D(2021, 12, 29)));
	/* 2022: Christmas on Sunday -> Mon 26 and Tue 27. */
	assert_false(clock_is_bank_holiday(D(2022, 12, 25)));
	assert_true(clock_is_bank_holiday(D(2022, 12, 26)));
	assert_true(clock_is_bank_holiday(D(2022, 12, 27)));
	assert_false(clock_is_bank_holiday(D(2022, 12, 28)));
	/* 2021 New Year: 1 Jan 2022 a Saturday -> Mon 3 Jan. */
	assert_false(clock_is_bank_holiday(D(2022, 1, 1)));
	assert_true(clock_is_bank_holiday(D(2022, 1, 3)));
}

static void every_year_sane(void **state)
{
	/* From 1978: eight regular holidays plus the table; always sorted, all Monday to Friday, never
	 * more than the buffer. */
	for (int y = 1978; y <= CLOCK_YEAR_MAX; y++) {
		struct date got[CLOCK_BANK_HOLIDAYS_MAX];
		int n = clock_bank_holidays(y, got, CLOCK_BANK_HOLIDAYS_MAX);
		assert_true(n >= 8 && n <= 10);
		if (y > 2023)
			assert_int_equal(n, 8);
		for (int i = 0; i < n; i++) {
			assert_int_equal(got[i].y, y);
			assert_false(clock_is_working_day(NULL, got[i]));
			if (i > 0)
				assert_true(date_cmp(got[i - 1], got[i]) < 0);
		}
	}
}

static void bank_holidays_api(void **state)
{
	struct date got[3] = {{0, 0, 0}, {0, 0, 0}, {0, 0, 0}};

	assert_int_equal(clock_bank_holidays(2025, got, 2), 2); /* truncated to max */
	assert_date(got[0], 2025, 1, 1);
	assert_date(got[1], 2025, 4, 18);
	assert_date(got[2], 0, 0, 0); /* untouched */
	assert_int_equal(clock_bank_holidays(2025, NULL, 0), 0);
	assert_int_equal(clock_bank_holidays(2025, NULL, 5), -1);
	assert_int_equal(clock_bank_holidays(1899, got, 3), -1);
	assert_int_equal(clock_bank_holidays(2201, got, 3), -1);
	assert_int_equal(clock_bank_holidays(1900, got, 3), 3);
	assert_int_equal(clock_bank_holidays(2200, got, 3), 3);
	/* Outside the range and invalid dates: no holidays. */
	assert_false(clock_is_bank_holiday(D(2201, 12, 25)));
	assert_false(clock_is_bank_holiday(D(2025, 2, 30)));
	/* History before the modern schedule: no New Year's Day before 1974, no early May before 1978. */
	assert_false(clock_is_bank_holiday(D(1973, 1, 1)));
	assert_true(clock_is_bank_holiday(D(1974, 1, 1)));
	assert_false(clock_is_bank_holiday(D(1977, 5, 2)));
	assert_true(clock_is_bank_holiday(D(1978, 5, 1)));
}

/* ---- Easter ------------------------------------------------------------------------------------- */

static void easter(void **state)
{
	assert_date(clock_easter_sunday(2024), 2024, 3, 31);
	assert_date(clock_easter_sunday(2025), 2025, 4, 20);
	assert_date(clock_easter_sunday(2026), 2026, 4, 5);
	assert_date(clock_easter_sunday(2038), 2038, 4, 25); /* the latest possible */
	assert_date(clock_easter_sunday(2000), 2000, 4, 23);
	assert_date(clock_easter_sunday(2008), 2008, 3, 23);
	assert_date(clock_easter_sunday(2285), 2285, 3, 22); /* the earliest possible */
	assert_date(clock_easter_sunday(1961), 1961, 4, 2);
	assert_date(clock_easter_sunday(0), 0, 0, 0);
	assert_date(clock_easter_sunday(10000), 0, 0, 0);
	/* Always a Sunday between 22 March and 25 April. */
	for (int y = 1583; y <= 3000; y++) {
		struct date e = clock_easter_sunday(y);
		assert_true(date_valid(e));
		assert_true((e.m == 3 && e.d >= 22) || (e.m == 4 && e.d <= 25));
		/* 2024-03-31 is a Sunday: a whole number of weeks from it. */
		int64_t diff = date_to_days(e) - date_to_days(D(2024, 3, 31));
		assert_int_equal(((diff % 7) + 7) % 7, 0);
	}
}

/* ---- Working days ------------------------------------------------------------------------------- */

static void working_day_basics(void **state)
{
	assert_true(clock_is_working_day(NULL, D(2025, 3, 3)));   /* Monday */
	assert_true(clock_is_working_day(NULL, D(2025, 3, 7)));   /* Friday */
	assert_false(clock_is_working_day(NULL, D(2025, 3, 8)));  /* Saturday */
	assert_false(clock_is_working_day(NULL, D(2025, 3, 9)));  /* Sunday */
	assert_false(clock_is_working_day(NULL, D(2025, 4, 18))); /* Good Friday */
	assert_false(clock_is_working_day(NULL, D(2025, 2, 29))); /* invalid */
}

static void add_over_christmas(void **state)
{
	/* Thu 24 Dec 2026: Fri 25 Christmas, weekend, Mon 28 Boxing Day substitute. */
	assert_date(clock_add_working_days(NULL, D(2026, 12, 24), 1), 2026, 12, 29);
	assert_date(clock_add_working_days(NULL, D(2026, 12, 24), 0), 2026, 12, 24);
	/* Wed 23 Dec 2026 + 5: 24, 29, 30, 31, Mon 4 Jan (1 Jan a bank holiday). */
	assert_date(clock_add_working_days(NULL, D(2026, 12, 23), 5), 2027, 1, 4);
	/* 2021: Fri 24 Dec + 1 = Wed 29 Dec. */
	assert_date(clock_add_working_days(NULL, D(2021, 12, 24), 1), 2021, 12, 29);
	/* The start does not count whatever it is: from Saturday 26 Dec 2026, the first is Tue 29. */
	assert_date(clock_add_working_days(NULL, D(2026, 12, 26), 1), 2026, 12, 29);
	assert_date(clock_add_working_days(NULL, D(2026, 12, 26), 0), 2026, 12, 26);
}

static void add_over_easter(void **state)
{
	/* Working Together 2023: ICPC within 15 working days of the strategy discussion. Strategy
	 * discussion Fri 11 Apr 2025 (a week before Good Friday 18 Apr, Easter Monday 21 Apr): Apr 14-17
	 * (4), 22-25 (8), 28 Apr-2 May (13), Mon 5 May is early May, 6 (14), 7 (15). */
	assert_date(clock_add_working_days(NULL, D(2025, 4, 11), 15), 2025, 5, 7);
	/* From Thu 17 Apr 2025 (the day before Good Friday): the first working day is Tue 22 Apr. */
	assert_date(clock_add_working_days(NULL, D(2025, 4, 17), 1), 2025, 4, 22);
	/* Assessment: 45 working days from Mon 2 Mar 2026, across Good Friday 3 Apr, Easter Monday 6 Apr
	 * and the early May holiday 4 May: nine weeks of weekdays reach Mon 4 May, and the three holidays
	 * push it on to Thu 7 May. */
	assert_date(clock_add_working_days(NULL, D(2026, 3, 2), 45), 2026, 5, 7);
}

static void add_backwards(void **state)
{
	/* The working day before Tue 29 Dec 2026 is Thu 24 Dec. */
	assert_date(clock_add_working_days(NULL, D(2026, 12, 29), -1), 2026, 12, 24);
	assert_date(clock_add_working_days(NULL, D(2025, 5, 7), -15), 2025, 4, 11);
}

static void add_clamps_and_invalid(void **state)
{
	assert_date(clock_add_working_days(NULL, D(9999, 12, 30), 5), 9999, 12, 31);
	assert_date(clock_add_working_days(NULL, D(1, 1, 2), INT_MIN), 1, 1, 1);
	assert_date(clock_add_working_days(NULL, D(2025, 2, 30), 3), 2025, 2, 30);
	assert_int_equal(clock_working_days_between(NULL, D(2025, 2, 30), D(2025, 3, 10)), 0);
}

static void closures(void **state)
{
	/* A Christmas shutdown: 29-31 Dec 2026, listed with a duplicate, a weekend day and a bank holiday
	 * that must not count twice. */
	const struct date shut[] = {D(2026, 12, 29), D(2026, 12, 30), D(2026, 12, 31), D(2026, 12, 30),
	                            D(2026, 12, 27), D(2026, 12, 28)};
	struct clock_calendar cal = {shut, sizeof shut / sizeof shut[0]};

	assert_false(clock_is_working_day(&cal, D(2026, 12, 30)));
	assert_true(clock_is_working_day(&cal, D(2027, 1, 4)));
	assert_date(clock_add_working_days(&cal, D(2026, 12, 24), 1), 2027, 1, 4);
	assert_int_equal(clock_working_days_between(&cal, D(2026, 12, 24), D(2027, 1, 4)), 1);
	assert_int_equal(clock_working_days_between(NULL, D(2026, 12, 24), D(2027, 1, 4)), 4);

	/* An empty or NULL list is no closures. */
	struct clock_calendar none = {NULL, 3};
	assert_date(clock_add_working_days(&none, D(2026, 12, 24), 1), 2026, 12, 29);
}

static void between_basics(void **state)
{
	assert_int_equal(clock_working_days_between(NULL, D(2025, 3, 3), D(2025, 3, 3)), 0);
	assert_int_equal(clock_working_days_between(NULL, D(2025, 3, 10), D(2025, 3, 3)), 0);
	assert_int_equal(clock_working_days_between(NULL, D(2025, 3, 3), D(2025, 3, 10)), 5);
	/* Calendar 2025: 261 weekdays less 8 bank holidays. 2022: 260 less 10. */
	assert_int_equal(clock_working_days_between(NULL, D(2024, 12, 31), D(2025, 12, 31)), 253);
	assert_int_equal(clock_working_days_between(NULL, D(2021, 12, 31), D(2022, 12, 31)), 250);
	/* Good Friday to Easter Monday 2025 and the Tuesday after. */
	assert_int_equal(clock_working_days_between(NULL, D(2025, 4, 17), D(2025, 4, 21)), 0);
	assert_int_equal(clock_working_days_between(NULL, D(2025, 4, 17), D(2025, 4, 22)), 1);
}

/* Counting day by day: the obvious definition, to check the arithmetic one. */
static int between_slow(const struct clock_calendar *cal, struct date a, struct date b)
{
	int n = 0;
	for (struct date d = clock_add_days(a, 1); date_cmp(d, b) <= 0; d = clock_add_days(d, 1))
		n += clock_is_working_day(cal, d);
	return n;
}

/* xorshift32: seeded, the same every run, no rand(). */
static uint32_t next_rand(uint32_t *s)
{
	uint32_t x = *s;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *s = x;
}

static void between_matches_add(void **state)
{
	const struct date shut[] = {D(2024, 12, 27), D(2024, 12, 30), D(2024, 12, 31), D(2025, 8, 22),
	                            D(2025, 12, 29), D(2025, 12, 30), D(2025, 12, 31), D(2026, 12, 29)};
	struct clock_calendar cal = {shut, sizeof shut / sizeof shut[0]};
	uint32_t seed = 0x5afe9a4dU;
	int64_t base = date_to_days(D(2020, 1, 1));

	for (int i = 0; i < 2000; i++) {
		const struct clock_calendar *c = i % 2 ? &cal : NULL;
		struct date a = date_from_days(base + next_rand(&seed) % 2600);
		int n = (int)(next_rand(&seed) % 120);

		/* between(a, add(a, n)) == n, and add lands on a working day when n > 0. */
		struct date b = clock_add_working_days(c, a, n);
		assert_int_equal(clock_working_days_between(c, a, b), n);
		if (n > 0) {
			assert_true(clock_is_working_day(c, b));
			assert_int_equal(clock_working_days_between(c, a, clock_add_days(b, -1)), n - 1);
			/* Counting back n from b returns to the last working day at or before a. */
			struct date back = clock_add_working_days(c, b, -n);
			assert_true(date_cmp(back, a) <= 0);
			assert_int_equal(clock_working_days_between(c, back, a), 0);
		}

		/* Any b: between agrees with the day-by-day count, and add(a, between) is the last working
		 * day at or before b. */
		struct date r = date_from_days(base + next_rand(&seed) % 2600);
		int k = clock_working_days_between(c, a, r);
		if (date_cmp(r, a) > 0 && i < 400)
			assert_int_equal(k, between_slow(c, a, r));
		struct date back2 = clock_add_working_days(c, a, k);
		assert_true(date_cmp(back2, r) <= 0 || k == 0);
		assert_int_equal(clock_working_days_between(c, back2, r), 0);
	}
}

/* Adding working days one day at a time: the obvious definition, to check the week-at-a-time walk. */
static struct date add_slow(const struct clock_calendar *cal, struct date a, int n)
{
	int step = n < 0 ? -1 : 1, left = n < 0 ? -n : n;
	struct date d = a;
	while (left > 0) {
		struct date next = clock_add_days(d, step);
		if (date_cmp(next, d) == 0)
			break; /* the end of the calendar */
		d = next;
		if (clock_is_working_day(cal, d))
			left--;
	}
	return d;
}

/* clock_add_working_days computes the day in closed form (r-tidy32; it skipped whole weeks free of holidays and
 * closures, issue 17): every start day of eight years (Christmases, Easters, the 2022 Jubilee's moved and added
 * days, a week's closure, closures at a weekend and on a bank holiday), up to a year's working days either way,
 * and the ends of the calendar, forwards and back, land where the day-by-day walk does. */
static void add_matches_day_by_day(void **state)
{
	const struct date shut[] = {D(2021, 8, 16), D(2021, 8, 17), D(2021, 8, 18), D(2021, 8, 19), D(2021, 8, 20),
	                            D(2023, 3, 11), D(2024, 12, 27), D(2025, 12, 25), D(2026, 7, 1)};
	struct clock_calendar cal = {shut, sizeof shut / sizeof shut[0]};
	const int ns[] = {-260, -66, -45, -20, -11, -7, -6, -5, -1, 0, 1, 4, 5, 6, 7, 10, 11, 15, 20, 45, 66, 260};
	int64_t from = date_to_days(D(2020, 1, 1)), to = date_to_days(D(2027, 12, 31));
	for (int64_t x = from; x <= to; x++)
		for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++) {
			const struct clock_calendar *c = (x + (int64_t)i) % 2 ? &cal : NULL;
			struct date a = date_from_days(x), want = add_slow(c, a, ns[i]);
			struct date got = clock_add_working_days(c, a, ns[i]);
			if (date_cmp(got, want) != 0)
				fail_msg("%04d-%02d-%02d %+d working days: %04d-%02d-%02d, day by day %04d-%02d-%02d", a.y, a.m,
					 a.d, ns[i], got.y, got.m, got.d, want.y, want.m, want.d);
		}
	const struct date ends[] = {D(9999, 12, 1), D(9999, 11, 15), D(1, 1, 20), D(1, 2, 10)};
	for (size_t e = 0; e < sizeof ends / sizeof ends[0]; e++)
		for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++)
			assert_int_equal(date_cmp(clock_add_working_days(NULL, ends[e], ns[i]), add_slow(NULL, ends[e], ns[i])), 0);
}

/* ---- Calendar arithmetic ------------------------------------------------------------------------ */

static void months(void **state)
{
	assert_date(clock_add_months(D(2024, 1, 31), 1), 2024, 2, 29);
	assert_date(clock_add_months(D(2025, 1, 31), 1), 2025, 2, 28);
	assert_date(clock_add_months(D(2025, 5, 31), -1), 2025, 4, 30);
	assert_date(clock_add_months(D(2024, 3, 31), -1), 2024, 2, 29);
	assert_date(clock_add_months(D(2025, 3, 31), -1), 2025, 2, 28);
	assert_date(clock_add_months(D(2025, 3, 15), 12), 2026, 3, 15);
	assert_date(clock_add_months(D(2025, 3, 15), -12), 2024, 3, 15);
	assert_date(clock_add_months(D(2024, 2, 29), 12), 2025, 2, 28);
	assert_date(clock_add_months(D(2024, 2, 29), 48), 2028, 2, 29);
	assert_date(clock_add_months(D(2025, 11, 30), 3), 2026, 2, 28);
	assert_date(clock_add_months(D(2025, 1, 10), -1), 2024, 12, 10);
	assert_date(clock_add_months(D(2025, 1, 10), -13), 2023, 12, 10);
	assert_date(clock_add_months(D(2025, 12, 10), 1), 2026, 1, 10);
	assert_date(clock_add_months(D(2025, 6, 5), 0), 2025, 6, 5);
	/* CP review: first within 3 months of an ICPC on 30 Nov 2025. */
	assert_date(clock_add_months(D(2025, 11, 30), 3), 2026, 2, 28);
	/* Clamped at the calendar's ends; invalid dates unchanged. */
	assert_date(clock_add_months(D(9999, 6, 1), INT_MAX), 9999, 12, 31);
	assert_date(clock_add_months(D(1, 6, 1), INT_MIN), 1, 1, 1);
	assert_date(clock_add_months(D(2025, 2, 29), 1), 2025, 2, 29);
}

static void days(void **state)
{
	assert_date(clock_add_days(D(2024, 2, 28), 1), 2024, 2, 29);
	assert_date(clock_add_days(D(2025, 2, 28), 1), 2025, 3, 1);
	assert_date(clock_add_days(D(2025, 1, 1), -1), 2024, 12, 31);
	assert_date(clock_add_days(D(2025, 1, 1), 365), 2026, 1, 1);
	assert_date(clock_add_days(D(9999, 12, 31), 1), 9999, 12, 31);
	assert_date(clock_add_days(D(2025, 13, 1), 1), 2025, 13, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(year_2022),
		cmocka_unit_test(year_2023),
		cmocka_unit_test(year_2024),
		cmocka_unit_test(year_2025),
		cmocka_unit_test(year_2026),
		cmocka_unit_test(one_offs),
		cmocka_unit_test(known_2000_2040),
		cmocka_unit_test(known_working_days_2000_2040),
		cmocka_unit_test(christmas_substitutes),
		cmocka_unit_test(every_year_sane),
		cmocka_unit_test(bank_holidays_api),
		cmocka_unit_test(easter),
		cmocka_unit_test(working_day_basics),
		cmocka_unit_test(add_over_christmas),
		cmocka_unit_test(add_over_easter),
		cmocka_unit_test(add_backwards),
		cmocka_unit_test(add_clamps_and_invalid),
		cmocka_unit_test(closures),
		cmocka_unit_test(between_basics),
		cmocka_unit_test(between_matches_add),
		cmocka_unit_test(add_matches_day_by_day),
		cmocka_unit_test(months),
		cmocka_unit_test(days),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
