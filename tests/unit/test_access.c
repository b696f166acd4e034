/* The views service/access.c makes for a reader (issue 14): what every list applies. Plain values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "service/access.h"

static void a_record_at_each_level(void **state)
{
	struct access_reader r;
	struct store_view v;
	access_reader_person(&r, 3, "sam.school", "education", "school_dsl");
	r.level = ACCESS_FULL;
	access_view(&r, &v);
	assert_null(v.agency); /* every agency's events */
	assert_false(v.sealed);
	assert_string_equal(v.private_agency, ACCESS_HEALTH_AGENCY); /* but health's own categories */
	assert_string_equal(v.private_categories, ACCESS_HEALTH_ONLY);
	assert_true(access_view_shows(&v, ACCESS_PLACEMENT_AGENCY));

	r.level = ACCESS_AGENCY;
	access_view(&r, &v);
	assert_string_equal(v.agency, "education"); /* their own agency's only */
	assert_false(access_view_shows(&v, ACCESS_PLACEMENT_AGENCY));

	for (enum access_level l = ACCESS_HIDDEN; l <= ACCESS_NONE; l++) {
		r.level = l;
		access_view(&r, &v);
		assert_string_equal(v.agency, ""); /* nothing: no event has agency "" */
	}
}

static void health_sees_its_own_categories(void **state)
{
	struct access_reader r;
	struct store_view v;
	access_reader_person(&r, 4, "dr.who", "health", "health_practitioner");
	r.level = ACCESS_AGENCY;
	access_view(&r, &v);
	assert_string_equal(v.agency, "health");
	assert_null(v.private_agency);
	assert_null(v.private_categories);
	access_reader_system(&r, "health");
	access_list_view(&r, &v);
	assert_null(v.private_agency);
}

static void sealed_persons_for_the_named_role_only(void **state)
{
	struct access_reader r;
	struct store_view v;
	access_reader_person(&r, 5, "dee.dpo", "social_care", "dpo");
	access_list_view(&r, &v);
	assert_true(v.sealed);
	assert_null(v.agency);
	access_reader_person(&r, 6, "sam.worker", "social_care", "social_worker");
	access_list_view(&r, &v);
	assert_false(v.sealed);
	access_reader_system(&r, "social_care"); /* an agency's system is no role: never */
	access_list_view(&r, &v);
	assert_false(v.sealed);
	assert_null(v.agency);
}

static void a_reader_who_names_no_one_sees_nothing(void **state)
{
	struct access_reader r;
	struct store_view v;
	memset(&r, 0, sizeof r);
	snprintf(r.role, sizeof r.role, "dpo"); /* even a role named for sealed records */
	access_list_view(&r, &v);
	assert_string_equal(v.agency, "");
	assert_false(v.sealed);
	r.level = ACCESS_FULL;
	access_view(&r, &v);
	assert_string_equal(v.agency, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_record_at_each_level),
		cmocka_unit_test(health_sees_its_own_categories),
		cmocka_unit_test(sealed_persons_for_the_named_role_only),
		cmocka_unit_test(a_reader_who_names_no_one_sees_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
