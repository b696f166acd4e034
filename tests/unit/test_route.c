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

static void finds_the_route_or_says_what_the_path_takes(void **state)
{
	(void)state;
	static const struct {
		struct route_key key;
		int tag;
	} table[] = {{{"GET", "/alerts/{id}"}, 1}, {{"POST", "/alerts/{id}/resolve"}, 2}, {{"POST", "/alerts/{id}"}, 3}};
	int64_t ids[ROUTE_IDS_MAX] = {0};
	char allow[64];
	long i = route_find(table, 3, sizeof table[0], "HEAD", "/alerts/7", ids, allow, sizeof allow);
	assert_int_equal(i, 0);
	assert_int_equal(ids[0], 7);
	assert_int_equal(route_find(table, 3, sizeof table[0], "POST", "/alerts/8/resolve", ids, allow, sizeof allow), 1);
	assert_int_equal(table[1].tag, 2);
	assert_int_equal(ids[0], 8);
	assert_int_equal(route_find(table, 3, sizeof table[0], "DELETE", "/alerts/7", ids, allow, sizeof allow), -1);
	assert_string_equal(allow, "GET, HEAD, POST");
	assert_int_equal(route_find(table, 3, sizeof table[0], "GET", "/alerts/7/resolve", ids, allow, sizeof allow), -1);
	assert_string_equal(allow, "POST");
	assert_int_equal(route_find(table, 3, sizeof table[0], "GET", "/nope", ids, allow, sizeof allow), -1);
	assert_string_equal(allow, "");
}

static void a_redirect_goes_only_to_a_path_of_ours(void **state)
{
	(void)state;
	const char *ok[] = {"/", "/children/12", "/children/12?tab=events#e-3", "/search?q=Amira%20Khan",
			    "/a/%2F/b", "/x\\y", "/%C3%A9", "/\xC3\xA9l\xC3\xA8ve", "/100%", "/%zz", "/?q=Smith%20J",
			    "/%20/evil.example"};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		assert_true(route_local_path(ok[i]));
	const char *bad[] = {"", "x", "evil.example", "https://evil.example/", "//evil.example", "/\\evil.example",
			     "\\/evil.example", "/\t/evil.example/x", "/%09/evil.example/x", "/%2F/evil.example", "/%2f/evil",
			     "/%5Cevil", "/%5c/evil", "%2F/evil", "/x\r\nSet-Cookie: a=b", "/x%0d%0aSet-Cookie:%20a=b",
			     "/x y", "/ /evil", "/x\x7F", "/x%7f", "/\n/evil", " /x", "/x\x01", "/x%00", "/%0A/evil"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (route_local_path(bad[i]))
			fail_msg("accepted as a local path: %s", bad[i]);
	}
	assert_false(route_local_path(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(matches_literals_and_ids),
		cmocka_unit_test(refuses_every_other_spelling),
		cmocka_unit_test(get_answers_head_too),
		cmocka_unit_test(finds_the_route_or_says_what_the_path_takes),
		cmocka_unit_test(a_redirect_goes_only_to_a_path_of_ours),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
