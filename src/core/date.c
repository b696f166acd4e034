/*
 * core/date.c — proleptic Gregorian dates and UTC timestamps (see date.h).
 *
 * Day counts use Howard Hinnant's days_from_civil / civil_from_days ("chrono-Compatible Low-Level Date
 * Algorithms"): exact integer arithmetic over 400-year eras, no tables, no time zone database, no
 * timegm(), which is neither C11 nor free of the process's TZ.
 */
#include "core/date.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define SECS_PER_DAY 86400

/* ---- Calendar ------------------------------------------------------------------------------------ */

bool date_is_leap(int y)
{
	return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

int date_days_in_month(int y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m < 1 || m > 12)
		return 0;
	return m == 2 && date_is_leap(y) ? 29 : days[m - 1];
}

bool date_valid(struct date d)
{
	return d.y >= 1 && d.y <= 9999 && d.m >= 1 && d.m <= 12 && d.d >= 1 &&
	       d.d <= date_days_in_month(d.y, d.m);
}

/* Meaningful for valid dates; any other input gives some number without overflow (64-bit arithmetic). */
int64_t date_to_days(struct date d)
{
	int64_t y = (int64_t)d.y - (d.m <= 2);
	int64_t m = d.m;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;                                 /* [0, 399] */
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d.d - 1; /* [0, 365] from 1 March */
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;          /* [0, 146096] */

	return era * 146097 + doe - 719468; /* 719468: days from 0000-03-01 to 1970-01-01 */
}

#define DAYS_MIN (-719162) /* 0001-01-01 */
#define DAYS_MAX 2932896   /* 9999-12-31 */

/* Outside 0001-01-01 .. 9999-12-31 the result is clamped to that range, so it is always a valid date. */
struct date date_from_days(int64_t days)
{
	if (days < DAYS_MIN)
		days = DAYS_MIN;
	if (days > DAYS_MAX)
		days = DAYS_MAX;

	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	struct date d;

	d.d = (int)(doy - (153 * mp + 2) / 5 + 1);
	d.m = (int)(mp < 10 ? mp + 3 : mp - 9);
	d.y = (int)(yoe + era * 400 + (d.m <= 2));
	return d;
}

int date_cmp(struct date a, struct date b)
{
	if (a.y != b.y)
		return a.y < b.y ? -1 : 1;
	if (a.m != b.m)
		return a.m < b.m ? -1 : 1;
	if (a.d != b.d)
		return a.d < b.d ? -1 : 1;
	return 0;
}

/* Whole years; -1 when either date is invalid or on is before dob. */
int date_age_years(struct date dob, struct date on)
{
	if (!date_valid(dob) || !date_valid(on) || date_cmp(on, dob) < 0)
		return -1;
	/* date.h: a 29 February birthday is kept on 28 February in common years. */
	if (dob.m == 2 && dob.d == 29 && !date_is_leap(on.y))
		dob.d = 28;
	int age = on.y - dob.y;
	if (on.m < dob.m || (on.m == dob.m && on.d < dob.d))
		age--;
	return age;
}

/* ---- Text ---------------------------------------------------------------------------------------- */

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Exactly n digits at s into *v; never reads past a NUL (a NUL is not a digit). */
static bool digits(const char *s, int n, int *v)
{
	int x = 0;

	for (int i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return false;
		x = x * 10 + (s[i] - '0');
	}
	*v = x;
	return true;
}

/* "YYYY-MM-DD" at s, shape only. */
static bool iso_shape(const char *s, struct date *d)
{
	return digits(s, 4, &d->y) && s[4] == '-' && digits(s + 5, 2, &d->m) && s[7] == '-' &&
	       digits(s + 8, 2, &d->d);
}

static void put_digits(char *out, int v, int n)
{
	for (int i = n - 1; i >= 0; i--) {
		out[i] = (char)('0' + v % 10);
		v /= 10;
	}
}

int date_parse_iso(const char *s, struct date *out)
{
	struct date d;

	if (!s || !out || !iso_shape(s, &d) || s[10] != '\0')
		return DATE_EFORMAT;
	if (!date_valid(d))
		return DATE_EIMPOSSIBLE;
	*out = d;
	return DATE_OK;
}

/* One or two digits; advances *s. */
static bool digits_1_2(const char **s, int *v)
{
	const char *p = *s;

	if (!is_digit(p[0]))
		return false;
	if (is_digit(p[1])) {
		*v = (p[0] - '0') * 10 + (p[1] - '0');
		*s = p + 2;
	} else {
		*v = p[0] - '0';
		*s = p + 1;
	}
	return true;
}

int date_parse_dmy(const char *s, struct date *out)
{
	struct date d;

	if (!s || !out)
		return DATE_EFORMAT;
	if (!digits_1_2(&s, &d.d) || *s++ != '/' || !digits_1_2(&s, &d.m) || *s++ != '/' ||
	    !digits(s, 4, &d.y) || s[4] != '\0')
		return DATE_EFORMAT;
	if (!date_valid(d))
		return DATE_EIMPOSSIBLE;
	*out = d;
	return DATE_OK;
}

/* An invalid date is written as "0000-00-00", which no parser here accepts. */
void date_format_iso(struct date d, char out[DATE_ISO_LEN + 1])
{
	if (!out)
		return;
	if (!date_valid(d))
		d.y = d.m = d.d = 0;
	put_digits(out, d.y, 4);
	out[4] = '-';
	put_digits(out + 5, d.m, 2);
	out[7] = '-';
	put_digits(out + 8, d.d, 2);
	out[10] = '\0';
}

/* ---- Timestamps ---------------------------------------------------------------------------------- */

#define EPOCH_MIN ((int64_t)DAYS_MIN * SECS_PER_DAY)
#define EPOCH_MAX ((int64_t)DAYS_MAX * SECS_PER_DAY + SECS_PER_DAY - 1)

/*
 * The whole string is "YYYY-MM-DD" [Tt ] "HH:MM:SS" ["." digits] ( [Zz] | [+-] "HH:MM" ). An instant
 * whose UTC date falls outside 0001..9999 ("0001-01-01T00:00:00+01:00") is DATE_EIMPOSSIBLE: it could
 * not be written back by ts_format_utc.
 */
static int two(const char *s)
{
	return (s[0] - '0') * 10 + (s[1] - '0');
}

/* "YYYY-MM-DDTHH:MM:SSZ" exactly, the store's own shape (issue 17: a record page reads ~600): its digits
 * and separators checked at once, no loops. A NUL is neither, so nothing past one is read. */
static bool utc_shape(const char *s)
{
#define D(i) ((unsigned char)(s[i] - '0') < 10)
	return D(0) && D(1) && D(2) && D(3) && s[4] == '-' && D(5) && D(6) && s[7] == '-' && D(8) && D(9) &&
	       s[10] == 'T' && D(11) && D(12) && s[13] == ':' && D(14) && D(15) && s[16] == ':' && D(17) && D(18) &&
	       s[19] == 'Z' && s[20] == '\0';
#undef D
}

int ts_parse_rfc3339(const char *s, int64_t *epoch)
{
	struct date d;
	int hh, mi, ss, oh = 0, om = 0, sign = 0;

	if (s && epoch && utc_shape(s)) { /* the general path's checks, in the same order, on the same fields */
		d = (struct date){two(s) * 100 + two(s + 2), two(s + 5), two(s + 8)};
		hh = two(s + 11);
		mi = two(s + 14);
		ss = two(s + 17);
		if (!date_valid(d) || hh > 23 || mi > 59 || ss > 59)
			return DATE_EIMPOSSIBLE;
		*epoch = date_to_days(d) * SECS_PER_DAY + hh * 3600 + mi * 60 + ss; /* years 1..9999: in range */
		return DATE_OK;
	}
	if (!s || !epoch || !iso_shape(s, &d))
		return DATE_EFORMAT;
	if (s[10] != 'T' && s[10] != 't' && s[10] != ' ')
		return DATE_EFORMAT;
	s += 11;
	if (!digits(s, 2, &hh) || s[2] != ':' || !digits(s + 3, 2, &mi) || s[5] != ':' ||
	    !digits(s + 6, 2, &ss))
		return DATE_EFORMAT;
	s += 8;
	if (*s == '.') { /* fraction: at least one digit, ignored */
		if (!is_digit(*++s))
			return DATE_EFORMAT;
		while (is_digit(*s))
			s++;
	}
	if (*s == 'Z' || *s == 'z') {
		s++;
	} else if (*s == '+' || *s == '-') {
		sign = *s == '+' ? 1 : -1;
		if (!digits(s + 1, 2, &oh) || s[3] != ':' || !digits(s + 4, 2, &om))
			return DATE_EFORMAT;
		s += 6;
	} else {
		return DATE_EFORMAT;
	}
	if (*s != '\0')
		return DATE_EFORMAT;

	/* RFC 3339 5.7 allows second 60 only at a leap second; date.h rejects it, as does POSIX time. */
	if (!date_valid(d) || hh > 23 || mi > 59 || ss > 59 || oh > 23 || om > 59)
		return DATE_EIMPOSSIBLE;
	int64_t t = date_to_days(d) * SECS_PER_DAY + hh * 3600 + mi * 60 + ss;
	t -= sign * (oh * 3600 + om * 60); /* local = UTC + offset */
	if (t < EPOCH_MIN || t > EPOCH_MAX)
		return DATE_EIMPOSSIBLE;
	*epoch = t;
	return DATE_OK;
}

/* Floor division: the day of an instant before 1970 is the earlier one. */
static int64_t epoch_day(int64_t epoch)
{
	int64_t q = epoch / SECS_PER_DAY;
	return epoch % SECS_PER_DAY < 0 ? q - 1 : q;
}

/* Instants outside 0001-01-01T00:00:00Z .. 9999-12-31T23:59:59Z are clamped to that range. */
void ts_format_utc(int64_t epoch, char out[TS_UTC_LEN + 1])
{
	if (!out)
		return;
	if (epoch < EPOCH_MIN)
		epoch = EPOCH_MIN;
	if (epoch > EPOCH_MAX)
		epoch = EPOCH_MAX;
	int64_t day = epoch_day(epoch);
	int secs = (int)(epoch - day * SECS_PER_DAY);

	date_format_iso(date_from_days(day), out);
	out[10] = 'T';
	put_digits(out + 11, secs / 3600, 2);
	out[13] = ':';
	put_digits(out + 14, secs / 60 % 60, 2);
	out[16] = ':';
	put_digits(out + 17, secs % 60, 2);
	out[19] = 'Z';
	out[20] = '\0';
}

struct date ts_utc_date(int64_t epoch)
{
	return date_from_days(epoch_day(epoch));
}

/* The last Sunday of a month, as days since the epoch. 1970-01-01 was a Thursday. */
static int64_t last_sunday(int y, int m)
{
	struct date d = {y, m, date_days_in_month(y, m)};
	int64_t days = date_to_days(d);
	int64_t weekday = ((days % 7) + 7 + 4) % 7; /* 0 = Sunday */
	return days - weekday;
}

void ts_uk_summer(int year, int64_t *start, int64_t *end)
{
	*start = last_sunday(year, 3) * 86400 + 3600; /* 01:00 UTC */
	*end = last_sunday(year, 10) * 86400 + 3600;
}

int64_t ts_uk_local(int64_t epoch)
{
	struct date d = ts_utc_date(epoch);
	int64_t start, end;
	ts_uk_summer(d.y, &start, &end);
	return epoch >= start && epoch < end ? epoch + 3600 : epoch;
}

int64_t ts_uk_civil(struct date d, int hour, int minute)
{
	int64_t local = date_to_days(d) * 86400 + hour * 3600 + minute * 60;
	return local - (ts_uk_local(local - 3600) - (local - 3600));
}

void date_format_long(struct date d, char out[DATE_LONG_MAX + 1])
{
	static const char *const months[] = {"January", "February", "March",     "April",   "May",      "June",
					     "July",    "August",   "September", "October", "November", "December"};
	if (!date_valid(d)) {
		snprintf(out, DATE_LONG_MAX + 1, "unknown date");
		return;
	}
	/* what "%d %s %d" writes, without printf (issue 17: a record page writes a day's date a row) */
	char *o = out;
	if (d.d >= 10)
		*o++ = (char)('0' + d.d / 10);
	*o++ = (char)('0' + d.d % 10);
	*o++ = ' ';
	size_t n = strlen(months[d.m - 1]);
	memcpy(o, months[d.m - 1], n);
	o += n;
	*o++ = ' ';
	int digits = d.y >= 1000 ? 4 : d.y >= 100 ? 3 : d.y >= 10 ? 2 : 1;
	put_digits(o, d.y, digits);
	o[digits] = '\0';
}
