/* rules/words.c: every rule's code has words a practitioner reads (issue 15): why, and a next step. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "rules/words.h"

static void every_code_has_words(void **state)
{
	(void)state;
	for (int c = 0; c < RULES_CODE_COUNT; c++) {
		const char *why = rules_code_why((enum rules_code)c), *next = rules_code_next((enum rules_code)c);
		assert_true(strlen(why) > 30);
		assert_true(strlen(next) > 20);
		/* Words, not the code: the code's name does not appear in them. */
		assert_null(strstr(why, rules_code_name((enum rules_code)c)));
		assert_null(strstr(next, "_"));
	}
	assert_string_equal(rules_code_why(RULES_CODE_COUNT), "");
	assert_string_equal(rules_code_next((enum rules_code)-1), "");
	assert_non_null(strstr(rules_code_why(RULES_REFERRAL_DECISION_OVERDUE), "within 1 working day"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(every_code_has_words)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
