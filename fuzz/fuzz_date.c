/*
 * libFuzzer target for core/date: the three parsers on any bytes, and the day and epoch conversions on
 * any 64-bit value. Invariants: what parses formats back to something that parses to the same value.
 * The injected clock's spec (clock/now: --now, SAFEGUARD_NOW) on the same bytes: it is taken whole or refused
 * with a message, never half-set, and a refusal leaves the clock where it was.
 * The pages' key (core/event.h event_cursor_parse: the chronology's cursor, the MASH lists' after= and before=,
 * r-mashkey22) on the same bytes: what parses is an instant in UTC to the second and an id of 1 to 18 digits,
 * and formats back to the same bytes (one spelling per key).
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "clock/now.h"
#include "core/date.h"
#include "core/event.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_date(struct date d)
{
	char iso[DATE_ISO_LEN + 1];
	struct date back;

	assert(date_valid(d));
	date_format_iso(d, iso);
	assert(strlen(iso) == DATE_ISO_LEN);
	assert(date_parse_iso(iso, &back) == DATE_OK);
	assert(date_cmp(d, back) == 0);
	assert(date_cmp(date_from_days(date_to_days(d)), d) == 0);
	int age = date_age_years(d, d);
	assert(age == 0);
}

static void check_epoch(int64_t t)
{
	char ts[TS_UTC_LEN + 1];
	int64_t back;

	ts_format_utc(t, ts);
	assert(strlen(ts) == TS_UTC_LEN);
	assert(ts_parse_rfc3339(ts, &back) == DATE_OK);
	check_date(ts_utc_date(back));
	/* ts_format_utc clamps out-of-range instants; in range it is exact */
	if (t >= -62135596800LL && t <= 253402300799LL) {
		assert(back == t);
		char iso[DATE_ISO_LEN + 1];
		date_format_iso(ts_utc_date(t), iso);
		assert(memcmp(iso, ts, DATE_ISO_LEN) == 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	struct date d;
	int64_t t;
	int rc;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';

	rc = date_parse_iso(s, &d);
	assert(rc == DATE_OK || rc == DATE_EFORMAT || rc == DATE_EIMPOSSIBLE);
	if (rc == DATE_OK) {
		char iso[DATE_ISO_LEN + 1];
		check_date(d);
		date_format_iso(d, iso);
		assert(strcmp(iso, s) == 0); /* ISO is canonical: exactly one spelling per date */
	}

	rc = date_parse_dmy(s, &d);
	assert(rc == DATE_OK || rc == DATE_EFORMAT || rc == DATE_EIMPOSSIBLE);
	if (rc == DATE_OK)
		check_date(d);

	{
		char err[256] = "";
		int64_t before = clock_now_offset();
		if (clock_now_set(s, err, sizeof err) == 0) {
			/* an offset lies within the century the spec allows, and "now" moves by it */
			int64_t off = clock_now_offset();
			assert(off <= 100LL * 366 * 86400 + 2 && off >= -(100LL * 366 * 86400 + 2));
		} else {
			assert(err[0] != '\0' && strlen(err) < sizeof err);
			assert(clock_now_offset() == before);
		}
		assert(clock_now_set("", NULL, 0) == 0 && clock_now_offset() == 0);
	}

	{
		char at[21], back[EVENT_CURSOR_MAX];
		int64_t id = -1, t2;
		if (event_cursor_parse(s, at, &id)) {
			assert(strlen(at) == TS_UTC_LEN && at[TS_UTC_LEN - 1] == 'Z');
			assert(ts_parse_rfc3339(at, &t2) == DATE_OK);
			assert(id >= 0 && id <= 999999999999999999LL);
			event_cursor_format(at, id, back);
			assert(strcmp(back, s) == 0);
		}
	}

	rc = ts_parse_rfc3339(s, &t);
	assert(rc == DATE_OK || rc == DATE_EFORMAT || rc == DATE_EIMPOSSIBLE);
	if (rc == DATE_OK)
		check_epoch(t);

	/* the raw bytes as numbers: any day count and any instant */
	if (size >= 8) {
		int64_t v;
		memcpy(&v, data, sizeof v);
		check_date(date_from_days(v));
		check_epoch(v);
		check_date(ts_utc_date(v));
	}
	if (size >= 12) {
		struct date any;
		memcpy(&any, data, sizeof any);
		(void)date_valid(any);
		(void)date_to_days(any);
		(void)date_age_years(any, any);
		char iso[DATE_ISO_LEN + 1];
		date_format_iso(any, iso);
		assert(strlen(iso) == DATE_ISO_LEN);
	}
	free(s);
	return 0;
}
