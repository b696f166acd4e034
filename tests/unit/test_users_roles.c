/* Unit tests for service/users's pure checks of issue 15: which roles each agency's people hold, who may hold a
 * child's case, and the shape of a person's name, email and phone. Plain values, no database. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "service/users.h"

static void roles_fit_agencies(void **state)
{
	(void)state;
	assert_true(users_role_fits_agency("social_worker", "social_care"));
	assert_false(users_role_fits_agency("social_worker", "police"));
	assert_false(users_role_fits_agency("police_officer", "social_care"));
	assert_true(users_role_fits_agency("police_officer", "police"));
	assert_true(users_role_fits_agency("mash_worker", "police"));
	assert_true(users_role_fits_agency("mash_worker", "housing"));
	assert_true(users_role_fits_agency("health_practitioner", "health"));
	assert_false(users_role_fits_agency("health_practitioner", "education"));
	assert_true(users_role_fits_agency("school_dsl", "education"));
	assert_false(users_role_fits_agency("admin", "police"));
	assert_false(users_role_fits_agency("wizard", "social_care"));
	assert_false(users_role_fits_agency("social_worker", "nowhere"));
	assert_false(users_role_fits_agency("social", "social_care")); /* a prefix of a role is no role */
	/* Every role is held by some agency. */
	for (size_t i = 0; users_role_at(i); i++) {
		char fits[128];
		users_agencies_of_role(users_role_at(i), fits, sizeof fits);
		assert_true(fits[0] != '\0');
	}
	char fits[128];
	users_agencies_of_role("mash_worker", fits, sizeof fits);
	assert_string_equal(fits, "social_care, police, health, education, housing");
}

static void case_holders(void **state)
{
	(void)state;
	assert_true(users_may_hold_cases("social_worker", "social_care"));
	assert_true(users_may_hold_cases("team_manager", "social_care"));
	assert_false(users_may_hold_cases("mash_worker", "social_care"));
	assert_false(users_may_hold_cases("police_officer", "police"));
	assert_false(users_may_hold_cases("social_worker", "police"));
}

static enum users_add_result check(const char *name, const char *email, const char *phone)
{
	const struct users_profile p = {name, email, phone, NULL};
	return users_check_profile(&p);
}

static void profiles(void **state)
{
	(void)state;
	assert_int_equal(users_check_profile(NULL), USERS_ADDED);
	assert_int_equal(check("Sam Patel", "sam.patel@example.gov.uk", "01632 960 001"), USERS_ADDED);
	assert_int_equal(check("Zoë O'Neill-Ngũgĩ", "", "+44 1632 960 001"), USERS_ADDED);
	assert_int_equal(check("Two\nlines", "", ""), USERS_BAD_FULL_NAME);
	char longname[120];
	memset(longname, 'a', 101);
	longname[101] = '\0';
	assert_int_equal(check(longname, "", ""), USERS_BAD_FULL_NAME);
	assert_int_equal(check("", "kim@", ""), USERS_BAD_EMAIL);
	assert_int_equal(check("", "@example.gov.uk", ""), USERS_BAD_EMAIL);
	assert_int_equal(check("", "kim@example", ""), USERS_BAD_EMAIL);
	assert_int_equal(check("", "kim lee@example.gov.uk", ""), USERS_BAD_EMAIL);
	assert_int_equal(check("", "kim@@example.gov.uk", ""), USERS_BAD_EMAIL);
	assert_int_equal(check("", "", "call me"), USERS_BAD_PHONE);
	assert_int_equal(check("", "", "12345"), USERS_BAD_PHONE);
	assert_int_equal(check("", "", "1234567890123456"), USERS_BAD_PHONE);
	assert_int_equal(check("", "", "01632+960001"), USERS_BAD_PHONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(roles_fit_agencies),
		cmocka_unit_test(case_holders),
		cmocka_unit_test(profiles),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
