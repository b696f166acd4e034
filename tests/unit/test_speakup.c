/* service/speakup.c, its pure parts (issue 18): the reference and passphrase as made, shown and typed back,
 * and the hash that is all the store keeps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "service/speakup.h"

static void secrets_read_back(void **state)
{
	(void)state;
	char ref[STORE_SPEAKUP_REF_LEN + 1], shown[SPEAKUP_REF_SHOWN + 1], back[STORE_SPEAKUP_REF_LEN + 1];
	char pass[SPEAKUP_PASS_MAX], typed[SPEAKUP_PASS_MAX];
	for (int i = 0; i < 50; i++) {
		speakup_new_secrets(ref, pass);
		assert_int_equal(strlen(ref), STORE_SPEAKUP_REF_LEN);
		assert_int_equal(strspn(ref, "ABCDEFGHJKMNPQRSTVWXYZ23456789"), STORE_SPEAKUP_REF_LEN);
		speakup_ref_show(ref, shown);
		assert_int_equal(strlen(shown), SPEAKUP_REF_SHOWN);
		assert_memory_equal(shown, "SU-", 3);
		assert_int_equal(speakup_ref_parse(shown, back), 0);
		assert_string_equal(back, ref);
		/* five words, single spaces, lower case: it normalises to itself */
		int spaces = 0;
		for (const char *p = pass; *p; p++)
			spaces += *p == ' ';
		assert_int_equal(spaces, SPEAKUP_PASS_WORDS - 1);
		assert_int_equal(speakup_pass_normalise(pass, typed), 0);
		assert_string_equal(typed, pass);
	}
}

static void typed_as_people_type(void **state)
{
	(void)state;
	char ref[STORE_SPEAKUP_REF_LEN + 1], pass[SPEAKUP_PASS_MAX];
	assert_int_equal(speakup_ref_parse("su-abcd-2345", ref), 0);
	assert_string_equal(ref, "ABCD2345");
	assert_int_equal(speakup_ref_parse(" ABCD 2345 ", ref), 0);
	assert_string_equal(ref, "ABCD2345");
	assert_int_equal(speakup_ref_parse("abcd2345", ref), 0);
	assert_int_equal(speakup_ref_parse("SU-ABCD-234", ref), -1);   /* too short */
	assert_int_equal(speakup_ref_parse("SU-ABCD-23456", ref), -1); /* too long */
	assert_int_equal(speakup_ref_parse("SU-ABCO-2345", ref), -1);  /* O is not in the alphabet: no 0/O mix-up */
	assert_int_equal(speakup_ref_parse("", ref), -1);
	assert_int_equal(speakup_pass_normalise("  Apple -Tiger,  moon\tSOCK\ntrain. ", pass), 0);
	assert_string_equal(pass, "apple tiger moon sock train");
	assert_int_equal(speakup_pass_normalise("apple t1ger", pass), -1);
	assert_int_equal(speakup_pass_normalise("   ", pass), -1);
	assert_int_equal(speakup_pass_normalise("caf\xc3\xa9", pass), -1);
}

static void only_the_hash(void **state)
{
	(void)state;
	char hash[128];
	assert_int_equal(speakup_pass_hash("apple tiger moon sock train", hash), 0);
	assert_null(strstr(hash, "apple"));
	assert_true(speakup_pass_verify(hash, "apple tiger moon sock train"));
	assert_false(speakup_pass_verify(hash, "apple tiger moon sock trains"));
	assert_false(speakup_pass_verify("", "apple tiger moon sock train")); /* no report: the decoy, never true */
	assert_false(speakup_pass_verify(NULL, "anything"));
}

static void the_bucket_of_everyone(void **state)
{
	(void)state;
	int64_t t = 1700000000;
	int taken = 0;
	for (int i = 0; i < 40; i++)
		taken += speakup_admit(t, false);
	assert_int_equal(taken, 20);                  /* 20 at once */
	assert_false(speakup_admit(t + 60, false));   /* not yet: one every 2 minutes */
	assert_true(speakup_admit(t + 120, false));
	assert_true(speakup_admit(t, true));          /* tries of a reference have their own bucket */
}

static void outcomes_have_names(void **state)
{
	(void)state;
	size_t n = 0;
	for (const char *c; (c = speakup_outcome_at(n)) != NULL; n++)
		assert_non_null(speakup_outcome_name(c));
	assert_int_equal(n, 5);
	assert_null(speakup_outcome_name("ignored"));
	assert_string_equal(speakup_who_name("staff"), "A member of staff");
	assert_null(speakup_who_name("manager"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(secrets_read_back), cmocka_unit_test(typed_as_people_type), cmocka_unit_test(only_the_hash),
		cmocka_unit_test(the_bucket_of_everyone), cmocka_unit_test(outcomes_have_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
