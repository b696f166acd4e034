/* Unit tests for core/ident: NHS numbers, UPNs, postcodes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/ident.h"

/* ---- NHS number ---- */

static void nhs_valid(void **state)
{
	char out[IDENT_NHS_LEN + 1];

	assert_int_equal(ident_nhs_check("9434765919", out), IDENT_OK);
	assert_string_equal(out, "9434765919");
	assert_int_equal(ident_nhs_check("4010232137", out), IDENT_OK);
	/* 11 - (sum mod 11) == 11 gives check digit 0 */
	assert_int_equal(ident_nhs_check("0000000000", out), IDENT_OK);
	assert_int_equal(ident_nhs_check("1000000001", out), IDENT_OK);
}

static void nhs_separators(void **state)
{
	char out[IDENT_NHS_LEN + 1];

	assert_int_equal(ident_nhs_check("943 476 5919", out), IDENT_OK);
	assert_string_equal(out, "9434765919");
	assert_int_equal(ident_nhs_check("943-476-5919", out), IDENT_OK);
	assert_string_equal(out, "9434765919");
	assert_int_equal(ident_nhs_check("  943 476 5919  ", out), IDENT_OK);
	assert_string_equal(out, "9434765919");
	assert_int_equal(ident_nhs_check("943 - 476 - 5919", out), IDENT_OK);

	assert_int_equal(ident_nhs_check("-9434765919", out), IDENT_EFORMAT);
	assert_string_equal(out, "");
	assert_int_equal(ident_nhs_check("9434765919-", out), IDENT_EFORMAT);
	assert_int_equal(ident_nhs_check("943.476.5919", out), IDENT_EFORMAT);
	assert_int_equal(ident_nhs_check("943\t476\t5919", out), IDENT_EFORMAT);
}

static void nhs_check_digit_wrong(void **state)
{
	char out[IDENT_NHS_LEN + 1];

	assert_int_equal(ident_nhs_check("9434765918", out), IDENT_ECHECK);
	assert_int_equal(ident_nhs_check("9434765910", out), IDENT_ECHECK);
	/* a transposition of two digits is caught */
	assert_int_equal(ident_nhs_check("9434765199", out), IDENT_ECHECK);
	/* remainder 10: no check digit exists, so every tenth digit is wrong */
	for (char c = '0'; c <= '9'; c++) {
		char in[11] = "123456789";
		in[9] = c;
		assert_int_equal(ident_nhs_check(in, out), IDENT_ECHECK);
	}
}

static void nhs_format(void **state)
{
	char out[IDENT_NHS_LEN + 1];

	assert_int_equal(ident_nhs_check("", out), IDENT_EFORMAT);
	assert_int_equal(ident_nhs_check("   ", out), IDENT_EFORMAT);
	assert_int_equal(ident_nhs_check("943476591", out), IDENT_EFORMAT);
	assert_int_equal(ident_nhs_check("94347659190", out), IDENT_EFORMAT);
	assert_string_equal(out, "");
	assert_int_equal(ident_nhs_check("943476591X", out), IDENT_EFORMAT);
	assert_int_equal(ident_nhs_check("９434765919", out), IDENT_EFORMAT); /* fullwidth digit */
	assert_int_equal(ident_nhs_check(NULL, out), IDENT_EFORMAT);
	assert_int_equal(ident_nhs_check("9434765919", NULL), IDENT_EFORMAT);

	char longin[4096];
	memset(longin, '9', sizeof longin - 1);
	longin[sizeof longin - 1] = '\0';
	assert_int_equal(ident_nhs_check(longin, out), IDENT_EFORMAT);
}

static void nhs_check_digit(void **state)
{
	assert_int_equal(ident_nhs_check_digit("943476591"), 9);
	assert_int_equal(ident_nhs_check_digit("401023213"), 7);
	assert_int_equal(ident_nhs_check_digit("000000000"), 0);
	assert_int_equal(ident_nhs_check_digit("123456789"), -1); /* remainder 10 */
	assert_int_equal(ident_nhs_check_digit("12345678X"), -1);
	assert_int_equal(ident_nhs_check_digit(NULL), -1);
}

/* ---- UPN ---- */

static void upn_valid(void **state)
{
	char out[IDENT_UPN_LEN + 1];

	assert_int_equal(ident_upn_check("B801200005001", out), IDENT_OK);
	assert_string_equal(out, "B801200005001");
	assert_int_equal(ident_upn_check("b801200005001", out), IDENT_OK);
	assert_string_equal(out, "B801200005001");
	assert_int_equal(ident_upn_check(" B801 2000 05001 ", out), IDENT_OK);
	assert_string_equal(out, "B801200005001");
	/* temporary UPNs end in a letter valued by its index in the 23-letter alphabet (A = 0) */
	assert_int_equal(ident_upn_check("M20120101000A", out), IDENT_OK);
	assert_int_equal(ident_upn_check("W33025111101Z", out), IDENT_OK);
	assert_int_equal(ident_upn_check("w33025111101z", out), IDENT_OK);
	assert_string_equal(out, "W33025111101Z");
}

static void upn_check_wrong(void **state)
{
	char out[IDENT_UPN_LEN + 1];

	assert_int_equal(ident_upn_check("A801200005001", out), IDENT_ECHECK);
	assert_string_equal(out, "A801200005001"); /* normalised, for "did you mean" messages */
	assert_int_equal(ident_upn_check("B801200005002", out), IDENT_ECHECK);
	assert_int_equal(ident_upn_check("B810200005001", out), IDENT_ECHECK);
	assert_int_equal(ident_upn_check("A20120101000A", out), IDENT_ECHECK);
}

static void upn_format(void **state)
{
	char out[IDENT_UPN_LEN + 1];

	assert_int_equal(ident_upn_check("", out), IDENT_EFORMAT);
	assert_int_equal(ident_upn_check("B80120000500", out), IDENT_EFORMAT);
	assert_int_equal(ident_upn_check("B8012000050011", out), IDENT_EFORMAT);
	assert_string_equal(out, "");
	assert_int_equal(ident_upn_check("X80120000A001", out), IDENT_EFORMAT); /* letter in the middle */
	assert_int_equal(ident_upn_check("I801200005001", out), IDENT_EFORMAT); /* I is never a check letter */
	assert_int_equal(ident_upn_check("1801200005001", out), IDENT_EFORMAT);
	assert_int_equal(ident_upn_check("B80120000500O", out), IDENT_EFORMAT); /* O is not in the alphabet */
	assert_int_equal(ident_upn_check("B80120000500S", out), IDENT_EFORMAT);
	assert_int_equal(ident_upn_check("B801-20000-5001", out), IDENT_EFORMAT);
	assert_int_equal(ident_upn_check("UN1", out), IDENT_EFORMAT); /* unknown-UPN codes are not UPNs */
	assert_int_equal(ident_upn_check(NULL, out), IDENT_EFORMAT);
	assert_int_equal(ident_upn_check("B801200005001", NULL), IDENT_EFORMAT);
}

static void upn_temporary(void **state)
{
	(void)state;
	char out[IDENT_UPN_LEN + 1];
	/* DfE: a temporary UPN ends in a letter; a permanent one in a digit */
	assert_int_equal(ident_upn_check("M20120101000A", out), IDENT_OK);
	assert_true(ident_upn_temporary(out));
	assert_int_equal(ident_upn_check("b801 2000 05001", out), IDENT_OK);
	assert_false(ident_upn_temporary(out));
	assert_false(ident_upn_temporary("20120101000A")); /* not 13 characters */
	assert_false(ident_upn_temporary("M20120101000a")); /* not as ident_upn_check leaves it */
	assert_false(ident_upn_temporary(""));
	assert_false(ident_upn_temporary(NULL));
}

static void upn_check_letter(void **state)
{
	assert_int_equal(ident_upn_check_letter("801200005001"), 'B');
	assert_int_equal(ident_upn_check_letter("801200005002"), 'Q');
	assert_int_equal(ident_upn_check_letter("20120101000A"), 'M');
	assert_int_equal(ident_upn_check_letter("33025111101Z"), 'W');
	assert_int_equal(ident_upn_check_letter("33025111101I"), 0);
	assert_int_equal(ident_upn_check_letter("3302511110Z1"), 0);
	assert_int_equal(ident_upn_check_letter("33025111101a"), 0);
	assert_int_equal(ident_upn_check_letter(NULL), 0);
}

/* ---- Postcode ---- */

static void postcode_shapes(void **state)
{
	static const char *const ok[][2] = {
	    {"M1 1AE", "M1 1AE"},      /* A9 */
	    {"B33 8TH", "B33 8TH"},    /* A99 */
	    {"W1A 0AX", "W1A 0AX"},    /* A9A */
	    {"CR2 6XH", "CR2 6XH"},    /* AA9 */
	    {"DN55 1PT", "DN55 1PT"},  /* AA99 */
	    {"EC1A 1BB", "EC1A 1BB"},  /* AA9A */
	    {"GIR 0AA", "GIR 0AA"},
	    {"ls62ab", "LS6 2AB"},
	    {" sw1a  1aa ", "SW1A 1AA"},
	    {"sw1a1aa", "SW1A 1AA"},
	    {"\tgir0aa\t", "GIR 0AA"},
	    {"Ls6 2aB", "LS6 2AB"},
	};
	char out[IDENT_POSTCODE_MAX + 1];

	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		assert_int_equal(ident_postcode_normalise(ok[i][0], out), IDENT_OK);
		assert_string_equal(out, ok[i][1]);
	}
}

static void postcode_bad(void **state)
{
	static const char *const bad[] = {
	    "", " ", "LS6", "LS6 2A", "LS6 2ABC", "LS66 2AB1", "ABC1 2AB", "1S6 2AB", "L 2AB", "LS6 AAB",
	    "LS6 22B", "SW1AA 1AA", "SW1A 1A1", "L S6 2AB", "LS6 2 AB", "LS6-2AB", "LS6 2AB.", "GIR 0AB",
	    "LSÉ 2AB", "AAAA 1AA", "A9AA 9AA", "99 9AA",
	};
	char out[IDENT_POSTCODE_MAX + 1];

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(ident_postcode_normalise(bad[i], out), IDENT_EFORMAT);
		assert_string_equal(out, "");
	}
	assert_int_equal(ident_postcode_normalise(NULL, out), IDENT_EFORMAT);
	assert_int_equal(ident_postcode_normalise("LS6 2AB", NULL), IDENT_EFORMAT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(nhs_valid),        cmocka_unit_test(nhs_separators),
	    cmocka_unit_test(nhs_check_digit_wrong), cmocka_unit_test(nhs_format),
	    cmocka_unit_test(nhs_check_digit),  cmocka_unit_test(upn_valid),
	    cmocka_unit_test(upn_check_wrong),  cmocka_unit_test(upn_format), cmocka_unit_test(upn_temporary),
	    cmocka_unit_test(upn_check_letter), cmocka_unit_test(postcode_shapes),
	    cmocka_unit_test(postcode_bad),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
