/* lib/route: path patterns of the route tables. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "lib/route.h"

static void matches_literals_and_ids(void **state)
{
	(void)state;
	int64_t ids[ROUTE_IDS_MAX] = {0};
	assert_true(route_match("/healthz", "/healthz", ids));
	assert_true(route_match("/", "/", ids));
	assert_true(route_match("/children/{id}/events/{id}", "/children/12/events/9223372036854775807", ids));
	assert_int_equal(ids[0], 12);
	assert_int_equal(ids[1], INT64_MAX);
	assert_true(route_match("/api/v1/children/{id}", "/api/v1/children/1", ids));
	assert_int_equal(ids[0], 1);
}

static void refuses_every_other_spelling(void **state)
{
	(void)state;
	int64_t ids[ROUTE_IDS_MAX] = {0};
	const char *bad[] = {"/api/v1/children/0", "/api/v1/children/01", "/api/v1/children/-1", "/api/v1/children/+1",
			     "/api/v1/children/1x", "/api/v1/children/", "/api/v1/children/1/", "/api/v1/children//1",
			     "/api/v1/children/9223372036854775808", "/api/v1/children/99999999999999999999",
			     "/api/v1/children/1/chronology", "/API/v1/children/1", "api/v1/children/1", ""};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_false(route_match("/api/v1/children/{id}", bad[i], ids));
	assert_false(route_match("/healthz", "/healthz/", ids));
	assert_false(route_match("/healthz", "/health", ids));
	assert_false(route_match("/", "", ids));
}

static void get_answers_head_too(void **state)
{
	(void)state;
	assert_true(route_method_matches("GET", "GET"));
	assert_true(route_method_matches("GET", "HEAD"));
	assert_true(route_method_matches("POST", "POST"));
	assert_false(route_method_matches("POST", "GET"));
	assert_false(route_method_matches("POST", "HEAD"));
	assert_false(route_method_matches("GET", "get"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(matches_literals_and_ids),
		cmocka_unit_test(refuses_every_other_spelling),
		cmocka_unit_test(get_answers_head_too),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
