/* Unit tests for clock/now.h: the injected clock and the forms that set it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "clock/now.h"
#include "core/date.h"

/* The system clock moves while a test runs; a few seconds of slack bound that, not a timing assertion. */
#define SLACK 5

static void instant_starts_there(void **state)
{
	char err[200];
	int64_t at;
	assert_int_equal(ts_parse_rfc3339("2027-03-28T00:59:30Z", &at), 0);
	assert_int_equal(clock_now_set("2027-03-28T00:59:30Z", err, sizeof err), 0);
	int64_t now = clock_now();
	assert_true(now >= at && now <= at + SLACK);
	/* The wait that ends at an instant of this clock is that far on the system clock. */
	assert_true(clock_now_until(at + 3600) >= 3600 - SLACK && clock_now_until(at + 3600) <= 3600);
	assert_int_equal(clock_now_until(at - 10), 0);
	struct timespec d = clock_now_deadline(at);
	assert_int_equal((int64_t)d.tv_sec, at - clock_now_offset());
	/* An offset with a zone means the same instant. */
	assert_int_equal(clock_now_set("2027-03-28T01:59:30+01:00", err, sizeof err), 0);
	now = clock_now();
	assert_true(now >= at && now <= at + SLACK);
}

static void offsets_shift_the_system_clock(void **state)
{
	char err[200];
	assert_int_equal(clock_now_set("", err, sizeof err), 0);
	assert_int_equal(clock_now_offset(), 0);
	int64_t base = clock_now();
	assert_int_equal(clock_now_set("+86400", err, sizeof err), 0);
	assert_int_equal(clock_now_offset(), 86400);
	assert_true(clock_now() >= base + 86400 && clock_now() <= base + 86400 + SLACK);
	assert_int_equal(clock_now_set("-3600", err, sizeof err), 0);
	assert_int_equal(clock_now_offset(), -3600);
	assert_int_equal(clock_now_set(NULL, err, sizeof err), 0);
	assert_int_equal(clock_now_offset(), 0);
}

static void bad_specs_are_refused_and_change_nothing(void **state)
{
	char err[200];
	assert_int_equal(clock_now_set("+7", err, sizeof err), 0);
	const char *bad[] = {"tomorrow", "+", "-", "+12x", "2027-02-29T00:00:00Z", "2027-03-28", "+9999999999999",
			     "3000-01-01T00:00:00Z", "1900-01-01T00:00:00Z", "+ 5", "2027-03-28T00:59:30"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err[0] = '\0';
		assert_int_equal(clock_now_set(bad[i], err, sizeof err), -1);
		assert_non_null(strstr(err, "RFC 3339"));
		assert_int_equal(clock_now_offset(), 7);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(instant_starts_there),
		cmocka_unit_test(offsets_shift_the_system_clock),
		cmocka_unit_test(bad_specs_are_refused_and_change_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
