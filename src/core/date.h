/*
 * core/date.h — calendar dates and UTC timestamps.
 *
 * Pure: no I/O, no time zone database, no locale. Dates are proleptic Gregorian. Parsers are strict: they
 * take the whole string and return 0, DATE_EFORMAT when the shape is wrong or DATE_EIMPOSSIBLE when the
 * shape is right but the day does not exist (2025-02-30), so an API can say which.
 */
#ifndef SAFEGUARD_CORE_DATE_H
#define SAFEGUARD_CORE_DATE_H

#include <stdbool.h>
#include <stdint.h>

enum {
	DATE_OK = 0,
	DATE_EFORMAT = -1,
	DATE_EIMPOSSIBLE = -2,
};

struct date {
	int y, m, d; /* year 1..9999, month 1..12, day 1..31 */
};

#define DATE_ISO_LEN 10 /* YYYY-MM-DD */
#define TS_UTC_LEN 20   /* YYYY-MM-DDTHH:MM:SSZ */

bool date_is_leap(int y);
int date_days_in_month(int y, int m); /* 0 when m is not 1..12 */
bool date_valid(struct date d);

/* Days since 1970-01-01 (negative before) and back. date_to_days is meaningful for valid dates only;
 * date_from_days clamps to 0001-01-01..9999-12-31, so it always returns a valid date.
 * date_cmp returns -1, 0 or 1. */
int64_t date_to_days(struct date d);
struct date date_from_days(int64_t days);
int date_cmp(struct date a, struct date b);

/* "YYYY-MM-DD", exactly 10 characters. */
int date_parse_iso(const char *s, struct date *out);
/* "DD/MM/YYYY" (one-digit day or month allowed: "3/5/2016"). */
int date_parse_dmy(const char *s, struct date *out);
void date_format_iso(struct date d, char out[DATE_ISO_LEN + 1]); /* "0000-00-00" for an invalid date */

/* Whole years of age on a day (birthday on 29 Feb counts on 28 Feb in common years: 1 Mar is later).
 * -1 when either date is invalid or on is before dob. */
int date_age_years(struct date dob, struct date on);

/* RFC 3339 timestamp: "YYYY-MM-DDTHH:MM:SS" with optional fraction (ignored) and "Z" or "+hh:mm"/"-hh:mm";
 * 't' and ' ' are accepted for 'T', 'z' for 'Z'. Leap second 60 is rejected (DATE_EIMPOSSIBLE).
 * Writes seconds since the Unix epoch, UTC. An instant whose UTC date is outside years 1..9999 (after the
 * offset is applied) is DATE_EIMPOSSIBLE. *epoch is untouched on failure. */
int ts_parse_rfc3339(const char *s, int64_t *epoch);
/* Instants outside 0001-01-01T00:00:00Z..9999-12-31T23:59:59Z are clamped to that range. */
void ts_format_utc(int64_t epoch, char out[TS_UTC_LEN + 1]);
/* The UTC calendar date of an instant. */
struct date ts_utc_date(int64_t epoch);


/* ---- for people in England ---- */

/* The instant as UK civil time (seconds since the epoch, shifted): GMT, or BST (+1 h) from 01:00 UTC on the
 * last Sunday of March to 01:00 UTC on the last Sunday of October (the rule since 1996, applied to every
 * year). No time zone database needed. */
int64_t ts_uk_local(int64_t epoch);
/* BST in a year (ts_uk_local's rule): the UTC instants it starts (inclusive) and ends (exclusive), for a caller
 * that shifts many instants of one year (issue 17: the record page's 2,000 marks). */
void ts_uk_summer(int year, int64_t *start, int64_t *end);

/* The instant (UTC, seconds since the epoch) at which UK civil time reads the day d at hour:minute: BST taken off
 * where it applied (the web forms' and the API's dates are the UK's days). */
int64_t ts_uk_civil(struct date d, int hour, int minute);

#define DATE_LONG_MAX 20 /* "30 September 2025" */
/* "4 March 2025", as GOV.UK writes dates. */
void date_format_long(struct date d, char out[DATE_LONG_MAX + 1]);

#endif
