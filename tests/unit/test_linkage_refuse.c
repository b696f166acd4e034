/* Unit tests for the set of refusals (linkage.h LINKAGE_REFUSE_*, linkage/refuse.c): 64 bits wide, so that a rule
 * at bit 31 or beyond is carried whole by the model, the set operations and --refuse's parsing (r-mask35). The
 * rule at bit 40 below exists only here: with a 32-bit set (linkage_refuse_set as uint32_t, or the parser's
 * bit as 1u << k) each test fails. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include "linkage/linkage.h"
#include "linkage/linkage_int.h"

#define TEST_REFUSE_40 LINKAGE_REFUSE_BIT(40)

/* The functions that take a set take it whole: each pointer below does not convert (a build error under
 * -Werror) if the parameter were an unsigned. */
static const char *(*const cannot_link_with)(linkage_gamma, linkage_refuse_set, bool *) = linkage_cannot_link_with;
static bool (*const transposed_twins)(linkage_refuse_set, const struct linkage_rec *, const struct linkage_rec *,
				      linkage_gamma) = linkage_transposed_twins;

/* The rules' names in bit order, as src/cli/cmd_link.c's refuse_names, then test rules r31..r63. */
static const char *const names[64] = {
    "sex", "twins", "given", "dob", "names", "possible_twins", "ambiguous", "sex_cluster", "own_ids", "twin_odds",
    "weak", "stray", "id_asym", "transposed", "name_order", "stray_name", "birthdays", "own_name", "thin_bound",
    "id_u", "block_u", "name_pairs", "read_across", "lone_middle", "age_dates", "wrong_id", "lone_reach",
    "twin_names", "as_heard", "spelt_piece", "even_twins", "r31", "r32", "r33", "r34", "r35", "r36", "r37", "r38",
    "r39", "r40", "r41", "r42", "r43", "r44", "r45", "r46", "r47", "r48", "r49", "r50", "r51", "r52", "r53", "r54",
    "r55", "r56", "r57", "r58", "r59", "r60", "r61", "r62", "r63"};

/* The rules are bits 0 up, without a gap (a new rule widens LINKAGE_REFUSE_ALL: nothing here needs changing). */
static void the_rules_are_bits_from_0(void **state)
{
	(void)state;
	assert_int_equal(sizeof(linkage_refuse_set), 8);
	assert_true((LINKAGE_REFUSE_ALL & (LINKAGE_REFUSE_ALL + 1)) == 0);
	assert_true(LINKAGE_REFUSE_ALL >= LINKAGE_REFUSE_FIRST(31));
	assert_true(LINKAGE_REFUSE_SEX == 1 && LINKAGE_REFUSE_EVEN_TWINS == UINT64_C(1) << 30);
	assert_true((LINKAGE_REFUSE_DEFAULT & ~LINKAGE_REFUSE_ALL) == 0);
	assert_true(LINKAGE_REFUSE_FIRST(64) == ~UINT64_C(0));
	assert_true(LINKAGE_REFUSE_FIRST(41) == (UINT64_C(1) << 41) - 1);
	/* the pointers above are the functions themselves */
	assert_ptr_equal(cannot_link_with, linkage_cannot_link_with);
	assert_ptr_equal(transposed_twins, linkage_transposed_twins);
}

/* A model's set, added to and taken from the way dedupe.c and the tests do, keeps bit 40. */
static void a_rule_at_bit_40_stays_in_the_models_set(void **state)
{
	(void)state;
	struct linkage_model m;
	linkage_model_defaults(&m);
	linkage_refuse_set def = m.refuse;
	m.refuse |= TEST_REFUSE_40;
	assert_true(m.refuse & TEST_REFUSE_40);
	assert_true((m.refuse >> 40) == 1);
	m.refuse &= ~LINKAGE_REFUSE_TWINS;
	m.refuse &= ~(LINKAGE_REFUSE_GIVEN | LINKAGE_REFUSE_DOB);
	assert_true(m.refuse == ((def & ~(LINKAGE_REFUSE_TWINS | LINKAGE_REFUSE_GIVEN | LINKAGE_REFUSE_DOB)) |
				 TEST_REFUSE_40));
	linkage_refuse_set copy = m.refuse;
	assert_true(copy & TEST_REFUSE_40);
	m.refuse &= ~TEST_REFUSE_40;
	assert_true(m.refuse == (def & ~(LINKAGE_REFUSE_TWINS | LINKAGE_REFUSE_GIVEN | LINKAGE_REFUSE_DOB)));
}

/* --refuse's list with 41 rules named: r40 is bit 40, "all" reaches it, -r40 takes it alone away. */
static void a_name_at_bit_40_is_parsed_whole(void **state)
{
	(void)state;
	linkage_refuse_set s = LINKAGE_REFUSE_DEFAULT;
	size_t bad = 99;
	assert_int_equal(linkage_refuse_parse("r40", names, 41, &s, &bad), 0);
	assert_true(s == (LINKAGE_REFUSE_DEFAULT | TEST_REFUSE_40));
	assert_int_equal(bad, 99); /* not touched on success */
	assert_int_equal(linkage_refuse_parse("none,r40", names, 41, &s, NULL), 0);
	assert_true(s == TEST_REFUSE_40);
	assert_int_equal(linkage_refuse_parse("all", names, 41, &s, NULL), 0);
	assert_true(s == (UINT64_C(1) << 41) - 1);
	assert_int_equal(linkage_refuse_parse("-r40,-sex", names, 41, &s, NULL), 0);
	assert_true(s == (UINT64_C(1) << 40) - 2);
	/* with 31 names, "all" is bits 0..30 and r40 is no rule */
	assert_int_equal(linkage_refuse_parse("all", names, 31, &s, NULL), 0);
	assert_true(s == UINT64_C(0x7FFFFFFF));
	assert_int_equal(linkage_refuse_parse("sex,r40", names, 31, &s, &bad), -1);
	assert_int_equal(bad, 4);
	assert_true(s == UINT64_C(0x7FFFFFFF)); /* unchanged: no partial write */
}

/* Every bit up to 63 is named and parsed: each name alone gives its own bit, "all" with 64 names every bit. */
static void every_bit_to_63_round_trips(void **state)
{
	(void)state;
	for (size_t k = 0; k < 64; k++) {
		char spec[32];
		memcpy(spec, "none,", 5);
		size_t len = strlen(names[k]);
		assert_true(5 + len < sizeof spec);
		memcpy(spec + 5, names[k], len + 1);
		linkage_refuse_set s = LINKAGE_REFUSE_DEFAULT;
		assert_int_equal(linkage_refuse_parse(spec, names, 64, &s, NULL), 0);
		assert_true(s == LINKAGE_REFUSE_BIT(k));
		/* and -NAME from all takes that bit alone */
		spec[4] = '-';
		assert_int_equal(linkage_refuse_parse(spec + 4, names, 64, &s, NULL), 0);
		assert_true(s == 0);
		s = ~UINT64_C(0);
		assert_int_equal(linkage_refuse_parse(spec + 4, names, 64, &s, NULL), 0);
		assert_true(s == ~LINKAGE_REFUSE_BIT(k));
	}
	linkage_refuse_set s = 0;
	assert_int_equal(linkage_refuse_parse("all", names, 64, &s, NULL), 0);
	assert_true(s == ~UINT64_C(0));
	assert_int_equal(linkage_refuse_parse("-none", names, 64, &s, NULL), 0); /* as before: "-none" clears */
	assert_true(s == 0);
}

/* The list's syntax, as the CLI's parser before it (strtok_r): empty items skipped, an unknown or empty name
 * refused at its place, a name matched whole (not a prefix), n outside 1..64 refused. */
static void the_list_syntax_is_kept(void **state)
{
	(void)state;
	linkage_refuse_set s = LINKAGE_REFUSE_SEX;
	size_t bad = 0;
	assert_int_equal(linkage_refuse_parse("", names, 31, &s, &bad), 0);
	assert_true(s == LINKAGE_REFUSE_SEX);
	assert_int_equal(linkage_refuse_parse(",,twins,", names, 31, &s, &bad), 0);
	assert_true(s == (LINKAGE_REFUSE_SEX | LINKAGE_REFUSE_TWINS));
	assert_int_equal(linkage_refuse_parse("twins,-", names, 31, &s, &bad), -1);
	assert_int_equal(bad, 6);
	assert_int_equal(linkage_refuse_parse("twin", names, 31, &s, &bad), -1);
	assert_int_equal(bad, 0);
	assert_int_equal(linkage_refuse_parse("twinsx", names, 31, &s, &bad), -1);
	assert_int_equal(linkage_refuse_parse("sex", names, 0, &s, &bad), -1);
	assert_int_equal(linkage_refuse_parse("sex", names, 65, &s, &bad), -1);
	assert_true(s == (LINKAGE_REFUSE_SEX | LINKAGE_REFUSE_TWINS));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(the_rules_are_bits_from_0),
	    cmocka_unit_test(a_rule_at_bit_40_stays_in_the_models_set),
	    cmocka_unit_test(a_name_at_bit_40_is_parsed_whole),
	    cmocka_unit_test(every_bit_to_63_round_trips),
	    cmocka_unit_test(the_list_syntax_is_kept),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
