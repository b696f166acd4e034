/*
 * clock/clock.c — England and Wales bank holidays and working days (see clock.h).
 *
 * Sources: GOV.UK "UK bank holidays" (https://www.gov.uk/bank-holidays); the Banking and Financial
 * Dealings Act 1971, Schedule 1 (Easter Monday, last Monday in May, last Monday in August, 26 December
 * if not a Sunday, 27 December when 25 or 26 December is a Sunday); New Year's Day and the early May
 * holiday are appointed each year by royal proclamation under section 1; Good Friday and Christmas Day are
 * common-law holidays, Christmas Day's weekday substitute again by proclamation. One-off changes are
 * the dated table below, each entry from its proclamation as listed by GOV.UK.
 *
 * A year's holidays are computed as a whole (regular rules, then the table) rather than tested date by
 * date, so that a moved holiday disappears from its usual day and clock_bank_holidays and
 * clock_is_bank_holiday can never disagree.
 */
#include "clock/clock.h"

#include <stdint.h>

/* 1970-01-01 (day 0) was a Thursday; with Monday = 0, day 0 is weekday 3. */
#define EPOCH_WEEKDAY 3
#define MON 0
#define FRI 4
#define SAT 5
#define SUN 6

/* Proclamations under section 1 of the 1971 Act appoint New Year's Day from 1974 and the early May
 * holiday ("May Day") from 1978. */
#define NEW_YEAR_FROM 1974
#define EARLY_MAY_FROM 1978

/* ---- One-off changes ---------------------------------------------------------------------------- */

/* replaces.y == 0: an extra day. Otherwise the regular holiday on replaces does not happen that year
 * and on is a bank holiday instead (section 1 of the 1971 Act). */
struct special {
	struct date on;
	struct date replaces;
};

static const struct special specials[] = {
	/* Silver Jubilee of Elizabeth II: spring holiday moved from Mon 30 May to Mon 6 June, and Tue 7
	 * June added. NEEDSWORK: from memory of the published lists, not checked against the 1977
	 * proclamation. */
	{{1977, 6, 6}, {1977, 5, 30}},
	{{1977, 6, 7}, {0, 0, 0}},
	/* Wedding of the Prince of Wales and Lady Diana Spencer. */
	{{1981, 7, 29}, {0, 0, 0}},
	/* VE Day 50th anniversary: early May holiday moved from Mon 1 May to Mon 8 May. */
	{{1995, 5, 8}, {1995, 5, 1}},
	/* Millennium: Fri 31 December 1999 added. */
	{{1999, 12, 31}, {0, 0, 0}},
	/* Golden Jubilee: spring holiday moved from Mon 27 May to Tue 4 June, and Mon 3 June added. */
	{{2002, 6, 4}, {2002, 5, 27}},
	{{2002, 6, 3}, {0, 0, 0}},
	/* Wedding of Prince William and Catherine Middleton: Fri 29 April added. */
	{{2011, 4, 29}, {0, 0, 0}},
	/* Diamond Jubilee: spring holiday moved from Mon 28 May to Mon 4 June, and Tue 5 June added. */
	{{2012, 6, 4}, {2012, 5, 28}},
	{{2012, 6, 5}, {0, 0, 0}},
	/* VE Day 75th anniversary: early May holiday moved from Mon 4 May to Fri 8 May. */
	{{2020, 5, 8}, {2020, 5, 4}},
	/* Platinum Jubilee: spring holiday moved from Mon 30 May to Thu 2 June, and Fri 3 June added. */
	{{2022, 6, 2}, {2022, 5, 30}},
	{{2022, 6, 3}, {0, 0, 0}},
	/* State Funeral of Queen Elizabeth II: Mon 19 September added. */
	{{2022, 9, 19}, {0, 0, 0}},
	/* Coronation of King Charles III: Mon 8 May added. */
	{{2023, 5, 8}, {0, 0, 0}},
};

/* ---- Helpers ------------------------------------------------------------------------------------ */

static bool same_day(struct date a, struct date b)
{
	return a.y == b.y && a.m == b.m && a.d == b.d;
}

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return a % b != 0 && (a < 0) != (b < 0) ? q - 1 : q;
}

/* Monday = 0 .. Sunday = 6, from the day number so it is right for any year. */
static int weekday_of_days(int64_t days)
{
	return (int)(days + EPOCH_WEEKDAY - 7 * floor_div(days + EPOCH_WEEKDAY, 7));
}

static int weekday(struct date d)
{
	return weekday_of_days(date_to_days(d));
}

static bool is_weekend(struct date d)
{
	return weekday(d) >= SAT;
}

static struct date mkdate(int y, int m, int d)
{
	struct date x = {y, m, d};
	return x;
}

/* First Monday on or after day `from` of the month. */
static struct date first_monday(int y, int m, int from)
{
	struct date d = mkdate(y, m, from);
	d.d += (7 - weekday(d)) % 7;
	return d;
}

static struct date last_monday(int y, int m)
{
	struct date d = mkdate(y, m, date_days_in_month(y, m));
	d.d -= weekday(d);
	return d;
}

/* The day numbers date_from_days clamps to, so loops stepping a day at a time always end. */
static int64_t days_min(void)
{
	return date_to_days(mkdate(1, 1, 1));
}

static int64_t days_max(void)
{
	return date_to_days(mkdate(9999, 12, 31));
}

/* ---- A year's bank holidays --------------------------------------------------------------------- */

struct year_hols {
	int year;
	int n;
	struct date d[CLOCK_BANK_HOLIDAYS_MAX];
};

static void hols_add(struct year_hols *h, struct date d)
{
	for (int i = 0; i < h->n; i++)
		if (same_day(h->d[i], d))
			return;
	if (h->n < CLOCK_BANK_HOLIDAYS_MAX)
		h->d[h->n++] = d;
}

static void hols_remove(struct year_hols *h, struct date d)
{
	for (int i = 0; i < h->n; i++)
		if (same_day(h->d[i], d)) {
			h->d[i] = h->d[--h->n];
			return;
		}
}

/* Insertion sort: at most a dozen entries. */
static void hols_sort(struct year_hols *h)
{
	for (int i = 1; i < h->n; i++) {
		struct date x = h->d[i];
		int j = i;
		while (j > 0 && date_cmp(h->d[j - 1], x) > 0) {
			h->d[j] = h->d[j - 1];
			j--;
		}
		h->d[j] = x;
	}
}

/* Fills h for year (which the caller has checked is in range). */
static void hols_compute(struct year_hols *h, int year)
{
	h->year = year;
	h->n = 0;

	/* New Year's Day, or the Monday after when it falls at a weekend (GOV.UK "substitute day"). */
	if (year >= NEW_YEAR_FROM) {
		struct date ny = mkdate(year, 1, 1);
		int wd = weekday(ny);
		if (wd == SAT)
			ny.d = 3;
		else if (wd == SUN)
			ny.d = 2;
		hols_add(h, ny);
	}

	/* Good Friday (common law) and Easter Monday (1971 Act, Schedule 1). */
	int64_t easter = date_to_days(clock_easter_sunday(year));
	hols_add(h, date_from_days(easter - 2));
	hols_add(h, date_from_days(easter + 1));

	/* Early May: first Monday in May (proclamation, from 1978). */
	if (year >= EARLY_MAY_FROM)
		hols_add(h, first_monday(year, 5, 1));
	/* Spring and summer: last Mondays of May and August (1971 Act, Schedule 1). */
	hols_add(h, last_monday(year, 5));
	hols_add(h, last_monday(year, 8));

	/* Christmas Day and Boxing Day. At a weekend each moves to the next weekday not already taken:
	 * 25 Sat -> Mon 27 and Tue 28; 25 Sun -> Mon 26 (Boxing Day) and Tue 27 (1971 Act: 27 December
	 * when 25 or 26 December is a Sunday); 26 Sat -> Mon 28. */
	switch (weekday(mkdate(year, 12, 25))) {
	case SAT:
		hols_add(h, mkdate(year, 12, 27));
		hols_add(h, mkdate(year, 12, 28));
		break;
	case SUN:
		hols_add(h, mkdate(year, 12, 26));
		hols_add(h, mkdate(year, 12, 27));
		break;
	case FRI:
		hols_add(h, mkdate(year, 12, 25));
		hols_add(h, mkdate(year, 12, 28));
		break;
	default:
		hols_add(h, mkdate(year, 12, 25));
		hols_add(h, mkdate(year, 12, 26));
		break;
	}

	/* Removals first, so a day that is both moved away and added back (never so far) stays. */
	for (size_t i = 0; i < sizeof specials / sizeof specials[0]; i++)
		if (specials[i].on.y == year && specials[i].replaces.y != 0)
			hols_remove(h, specials[i].replaces);
	for (size_t i = 0; i < sizeof specials / sizeof specials[0]; i++)
		if (specials[i].on.y == year)
			hols_add(h, specials[i].on);

	hols_sort(h);
}

static bool year_in_range(int year)
{
	return year >= CLOCK_YEAR_MIN && year <= CLOCK_YEAR_MAX;
}

/* Whether d is a bank holiday, recomputing *h only when d's year differs from the cached one (h->year
 * starts at 0, never a valid year), so a walk across many days pays once per year. */
static bool hols_has(struct year_hols *h, struct date d)
{
	if (!year_in_range(d.y))
		return false;
	if (h->year != d.y)
		hols_compute(h, d.y);
	for (int i = 0; i < h->n; i++)
		if (same_day(h->d[i], d))
			return true;
	return false;
}

static bool is_closure(const struct clock_calendar *cal, struct date d)
{
	if (cal == NULL || cal->closures == NULL)
		return false;
	for (size_t i = 0; i < cal->nclosures; i++)
		if (same_day(cal->closures[i], d))
			return true;
	return false;
}

static bool working(const struct clock_calendar *cal, struct year_hols *h, struct date d)
{
	return !is_weekend(d) && !hols_has(h, d) && !is_closure(cal, d);
}

/* Monday-to-Friday days with day number < x, counted from the Monday 1969-12-29 (day -3). Floor
 * division keeps it right before that day too; only differences of it are used. */
static int64_t weekdays_before(int64_t x)
{
	int64_t t = x + EPOCH_WEEKDAY;
	int64_t w = floor_div(t, 7);
	int64_t r = t - 7 * w;
	return 5 * w + (r < 5 ? r : 5);
}

/* The inverse: the day of the weekday with i weekdays before it (weekdays_before(weekday_nth(i)) == i, and
 * weekday_nth(i) is a Monday to Friday). */
static int64_t weekday_nth(int64_t i)
{
	int64_t w = floor_div(i, 5);
	return 7 * w + (i - 5 * w) - EPOCH_WEEKDAY;
}

/* Working days with day number in (da, db], da < db: the weekdays in it, less the weekday bank holidays and
 * closures in it (a closure listed twice, or on a bank holiday, once). Arithmetic rather than a walk, so a span
 * of decades costs a few hundred year computations at most; h caches a year's holidays across calls. */
static int64_t working_between(const struct clock_calendar *cal, struct year_hols *h, int64_t da, int64_t db)
{
	int64_t count = weekdays_before(db + 1) - weekdays_before(da + 1);
	struct date a = date_from_days(da), b = date_from_days(db);
	int y0 = a.y < CLOCK_YEAR_MIN ? CLOCK_YEAR_MIN : a.y;
	int y1 = b.y > CLOCK_YEAR_MAX ? CLOCK_YEAR_MAX : b.y;
	for (int y = y0; y <= y1; y++) {
		if (h->year != y)
			hols_compute(h, y);
		for (int i = 0; i < h->n; i++) /* compared as dates: most are outside the span */
			if (date_cmp(h->d[i], a) > 0 && date_cmp(h->d[i], b) <= 0 && !is_weekend(h->d[i]))
				count--;
	}
	if (cal != NULL && cal->closures != NULL) {
		for (size_t i = 0; i < cal->nclosures; i++) {
			struct date c = cal->closures[i];
			if (!date_valid(c))
				continue;
			int64_t x = date_to_days(c);
			if (x <= da || x > db || weekday_of_days(x) >= SAT || hols_has(h, c))
				continue;
			/* Quadratic, but closure lists are a few dozen days. */
			bool dup = false;
			for (size_t j = 0; j < i && !dup; j++)
				dup = same_day(cal->closures[j], c);
			if (!dup)
				count--;
		}
	}
	return count;
}

/* ---- Public ------------------------------------------------------------------------------------- */

struct date clock_easter_sunday(int year)
{
	if (year < 1 || year > 9999)
		return mkdate(0, 0, 0);
	/* Anonymous Gregorian algorithm (Meeus, "Astronomical Algorithms", ch. 8): the Paschal full moon
	 * from the Metonic cycle (a), the century's solar and lunar corrections (b..g), then the Sunday
	 * after it. */
	int a = year % 19;
	int b = year / 100;
	int c = year % 100;
	int d = b / 4;
	int e = b % 4;
	int f = (b + 8) / 25;
	int g = (b - f + 1) / 3;
	int h = (19 * a + b - d - g + 15) % 30;
	int i = c / 4;
	int k = c % 4;
	int l = (32 + 2 * e + 2 * i - h - k) % 7;
	int m = (a + 11 * h + 22 * l) / 451;
	int n = h + l - 7 * m + 114;
	return mkdate(year, n / 31, n % 31 + 1);
}

int clock_bank_holidays(int year, struct date *out, size_t max)
{
	struct year_hols h;

	if (!year_in_range(year) || (out == NULL && max > 0))
		return -1;
	hols_compute(&h, year);
	size_t n = (size_t)h.n < max ? (size_t)h.n : max;
	for (size_t i = 0; i < n; i++)
		out[i] = h.d[i];
	return (int)n;
}

bool clock_is_bank_holiday(struct date d)
{
	struct year_hols h = {0};

	return date_valid(d) && hols_has(&h, d);
}

bool clock_is_working_day(const struct clock_calendar *cal, struct date d)
{
	struct year_hols h = {0};

	return date_valid(d) && working(cal, &h, d);
}

struct date clock_add_working_days(const struct clock_calendar *cal, struct date d, int n)
{
	struct year_hols h = {0};

	if (!date_valid(d))
		return d;
	int64_t day = date_to_days(d);
	int64_t lo = days_min(), hi = days_max();
	/* Count in int64: -(INT_MIN) does not fit in int. */
	int64_t left = n < 0 ? -(int64_t)n : n;
	/* Closed form (r-tidy32; it was a walk a week at a time beside weekdays_before, and a day at a time near a
	 * holiday): the day `left` weekdays on (weekday_nth of the count of weekdays, forwards or back), then as many
	 * more weekdays as the bank holidays and closures passed over took, until none did. Each round's span holds
	 * the holidays of the last one's, so it ends in a round or two (three for Christmas and the New Year). Past
	 * the end of the calendar, its last (or first) day, as the day-by-day walk stopped there. */
	while (left > 0) {
		int64_t to = n > 0 ? weekday_nth(weekdays_before(day + 1) + left - 1) : weekday_nth(weekdays_before(day) - left);
		if (to > hi)
			return date_from_days(hi);
		if (to < lo)
			return date_from_days(lo);
		/* the days passed over: (day, to] forwards, [to, day) back */
		left -= n > 0 ? working_between(cal, &h, day, to) : working_between(cal, &h, to - 1, day - 1);
		day = to;
	}
	return date_from_days(day);
}

int clock_working_days_between(const struct clock_calendar *cal, struct date a, struct date b)
{
	struct year_hols h = {0};

	if (!date_valid(a) || !date_valid(b) || date_cmp(b, a) <= 0)
		return 0;
	return (int)working_between(cal, &h, date_to_days(a), date_to_days(b));
}

struct date clock_add_days(struct date d, int n)
{
	if (!date_valid(d))
		return d;
	return date_from_days(date_to_days(d) + n);
}

struct date clock_add_months(struct date d, int n)
{
	if (!date_valid(d))
		return d;
	/* Months since year 0, in int64 so any int n fits; then clamp to the calendar's ends. */
	int64_t mi = (int64_t)d.y * 12 + (d.m - 1) + n;
	int64_t y = floor_div(mi, 12);
	if (y < 1)
		return mkdate(1, 1, 1);
	if (y > 9999)
		return mkdate(9999, 12, 31);
	struct date r = mkdate((int)y, (int)(mi - y * 12) + 1, d.d);
	int dim = date_days_in_month(r.y, r.m);
	if (r.d > dim)
		r.d = dim; /* 31 Jan + 1 month = the last day of February */
	return r;
}
