/* Unit tests for core/event: the vocabulary tables, record ids and chronology cursors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/event.h"

static void ids(void **state)
{
	int64_t id = -1;
	assert_true(event_parse_id("42", 2, &id));
	assert_int_equal(id, 42);
	assert_true(event_parse_id("999999999999999999", 18, &id));
	assert_int_equal(id, 999999999999999999LL);
	assert_true(event_parse_id("12/chronology", 2, &id)); /* only the first n bytes count */
	assert_int_equal(id, 12);
	id = -1;
	static const char *const bad[] = {"", "0", "007", "-1", "+1", "1.5", "1e3", "abc", " 1", "1 ", "9999999999999999999"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_false(event_parse_id(bad[i], strlen(bad[i]), &id));
	assert_int_equal(id, -1); /* untouched on failure */
}

static void cursors(void **state)
{
	char at[21];
	int64_t id = 0;
	assert_true(event_cursor_parse("2024-08-17T10:00:00Z_89", at, &id));
	assert_string_equal(at, "2024-08-17T10:00:00Z");
	assert_int_equal(id, 89);
	/* What the service writes, the edges read back. */
	char cursor[EVENT_CURSOR_MAX];
	event_cursor_format("2025-03-04T10:15:00Z", 123456789012LL, cursor);
	assert_string_equal(cursor, "2025-03-04T10:15:00Z_123456789012");
	assert_true(event_cursor_parse(cursor, at, &id));
	assert_string_equal(at, "2025-03-04T10:15:00Z");
	assert_int_equal(id, 123456789012LL);
	static const char *const bad[] = {
		"", "garbage", "2024-08-17T10:00:00Z", "2024-08-17T10:00:00Z_", "2024-08-17T10:00:00Z_x",
		"2024-08-17T10:00:00Z_0", "2024-13-45T00:00:00Z_5", "2024-02-30T00:00:00Z_5", "2024-08-17T10:00:00+01:00_5",
		"2024-08-17 10:00:00Z_5x",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_false(event_cursor_parse(bad[i], at, &id));
}

static void tables(void **state)
{
	size_t n = 0;
	for (const struct event_kind *k; (k = event_kind_at(n)) != NULL; n++)
		assert_ptr_equal(event_kind_find(k->code), k);
	assert_true(n > 30);
	assert_null(event_kind_find("no_such_kind"));
	/* Every episode opens and closes with kinds that exist. */
	size_t e = 0;
	for (const struct episode_kind *ep; (ep = episode_kind_at(e)) != NULL; e++) {
		assert_non_null(event_kind_find(ep->start_kind));
		assert_non_null(event_kind_find(ep->end_kind));
	}
	assert_true(e >= 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ids),
		cmocka_unit_test(cursors),
		cmocka_unit_test(tables),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
