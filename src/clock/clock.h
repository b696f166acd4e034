/*
 * clock/clock.h — England and Wales bank holidays, working days and calendar-month arithmetic: the
 * calendar under every statutory clock (docs: DOMAIN.md "Statutory clocks" — "working days exclude
 * weekends and England & Wales bank holidays").
 *
 * Pure: no I/O, no allocation, no global mutable state, no locale, no clock reads. Dates are
 * struct date from core/date.h (proleptic Gregorian).
 *
 * Invariants and conventions:
 *   - Bank holidays are known for years CLOCK_YEAR_MIN..CLOCK_YEAR_MAX. They are exact from 1978 (the
 *     first year with all eight regular holidays) to the latest royal proclamation in the table in
 *     clock.c; later years follow the regular rules, so a future one-off holiday needs a table entry.
 *     Years before 1978 follow the Banking and Financial Dealings Act 1971 schedule with New Year's Day
 *     from 1974 and the early May holiday from 1978; they are not checked against published lists.
 *     Outside the range there are no bank holidays (working days are then Monday to Friday).
 *   - An invalid date (date_valid false) is never a bank holiday or a working day; the arithmetic
 *     functions return it unchanged, and clock_working_days_between gives 0.
 *   - Results that would leave 0001-01-01..9999-12-31 are clamped to it (as date_from_days does).
 */
#ifndef SAFEGUARD_CLOCK_CLOCK_H
#define SAFEGUARD_CLOCK_CLOCK_H

#include <stdbool.h>
#include <stddef.h>

#include "core/date.h"

#define CLOCK_YEAR_MIN 1900
#define CLOCK_YEAR_MAX 2200
/* Enough room for any year's bank holidays (2022 had 10). */
#define CLOCK_BANK_HOLIDAYS_MAX 12

/* ---- Settings ----------------------------------------------------------------------------------- */

/* Caller-owned; the module only reads it. A NULL calendar means no local closures. */
struct clock_calendar {
	const struct date *closures; /* extra local closure days (e.g. the Christmas shutdown), may be NULL;
	                              * any order, duplicates and weekend days are harmless */
	size_t nclosures;
};

/* ---- Bank holidays (England & Wales) ------------------------------------------------------------ */

bool clock_is_bank_holiday(struct date d);
/* Fills out with the year's bank holidays in date order; returns how many were written (at most max),
 * or -1 for a year outside CLOCK_YEAR_MIN..CLOCK_YEAR_MAX or out NULL with max > 0. A buffer of
 * CLOCK_BANK_HOLIDAYS_MAX always holds the whole year. */
int clock_bank_holidays(int year, struct date *out, size_t max);
/* Easter Sunday in the Gregorian calendar (anonymous algorithm, Meeus). {0, 0, 0} for a year outside
 * 1..9999. */
struct date clock_easter_sunday(int year);

/* ---- Working days ------------------------------------------------------------------------------- */

/* Not Saturday or Sunday, not a bank holiday, not one of cal's closures. */
bool clock_is_working_day(const struct clock_calendar *cal, struct date d);
/* The nth working day after d (d itself does not count, whatever it is); n = 0 gives d. A negative n
 * counts back: the |n|th working day before d. */
struct date clock_add_working_days(const struct clock_calendar *cal, struct date d, int n);
/* Working days after a and up to and including b (0 when b <= a). For n >= 0,
 * clock_working_days_between(cal, d, clock_add_working_days(cal, d, n)) == n. */
int clock_working_days_between(const struct clock_calendar *cal, struct date a, struct date b);

/* ---- Calendar arithmetic ------------------------------------------------------------------------ */

/* Calendar months, the day clamped to the target month's length: 31 Jan + 1 = 28 Feb (29 in a leap
 * year); 31 Mar - 1 = 28/29 Feb; 29 Feb 2024 + 12 = 28 Feb 2025. n may be negative. */
struct date clock_add_months(struct date d, int n);
struct date clock_add_days(struct date d, int n);

#endif
