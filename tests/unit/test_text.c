/* Unit tests for core/text: UTF-8 checks and name folding. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

/* Included, as h2o's tests do, to reach the static fold table; the archive's text.o is then not linked. */
#include "core/text.c"

#define S(lit) (lit), (sizeof(lit) - 1)

/* ---- UTF-8 ---- */

static void utf8_valid(void **state)
{
	assert_true(text_utf8_valid(S("")));
	assert_true(text_utf8_valid(NULL, 0));
	assert_false(text_utf8_valid(NULL, 1));
	assert_true(text_utf8_valid(S("plain ASCII")));
	assert_true(text_utf8_valid(S("Zoë Łukasz Šťastný")));
	assert_true(text_utf8_valid(S("\xC2\x80")));         /* U+0080 */
	assert_true(text_utf8_valid(S("\xDF\xBF")));         /* U+07FF */
	assert_true(text_utf8_valid(S("\xE0\xA0\x80")));     /* U+0800 */
	assert_true(text_utf8_valid(S("\xED\x9F\xBF")));     /* U+D7FF */
	assert_true(text_utf8_valid(S("\xEE\x80\x80")));     /* U+E000 */
	assert_true(text_utf8_valid(S("\xEF\xBF\xBF")));     /* U+FFFF */
	assert_true(text_utf8_valid(S("\xF0\x90\x80\x80"))); /* U+10000 */
	assert_true(text_utf8_valid(S("\xF4\x8F\xBF\xBF"))); /* U+10FFFF */
	assert_true(text_utf8_valid(S("a\0b")));            /* NUL is a character; len says where to stop */

	assert_false(text_utf8_valid(S("\x80")));             /* lone continuation */
	assert_false(text_utf8_valid(S("\xC0\xAF")));         /* overlong '/' */
	assert_false(text_utf8_valid(S("\xC1\xBF")));         /* overlong */
	assert_false(text_utf8_valid(S("\xE0\x9F\xBF")));     /* overlong U+07FF */
	assert_false(text_utf8_valid(S("\xF0\x8F\xBF\xBF"))); /* overlong U+FFFF */
	assert_false(text_utf8_valid(S("\xED\xA0\x80")));     /* surrogate U+D800 */
	assert_false(text_utf8_valid(S("\xED\xBF\xBF")));     /* surrogate U+DFFF */
	assert_false(text_utf8_valid(S("\xF4\x90\x80\x80"))); /* U+110000 */
	assert_false(text_utf8_valid(S("\xF5\x80\x80\x80")));
	assert_false(text_utf8_valid(S("\xFF")));
	assert_false(text_utf8_valid(S("\xC3")));             /* truncated */
	assert_false(text_utf8_valid(S("\xE2\x82")));         /* truncated */
	assert_false(text_utf8_valid(S("\xC3(")));            /* bad continuation */
	/* length is respected: a valid prefix of a longer sequence is not valid */
	assert_false(text_utf8_valid("\xC3\xA9", 1));
	assert_true(text_utf8_valid("\xC3\xA9\xFF", 2));
}

static void utf8_length(void **state)
{
	assert_int_equal(text_utf8_length(S("")), 0);
	assert_int_equal(text_utf8_length(S("abc")), 3);
	assert_int_equal(text_utf8_length(S("Zoë")), 3);
	assert_int_equal(text_utf8_length(S("€𝄞")), 2);
	assert_int_equal(text_utf8_length(S("日本語")), 3);
	assert_int_equal(text_utf8_length(NULL, 5), 0);
}

static void controls(void **state)
{
	assert_false(text_has_controls(S("")));
	assert_false(text_has_controls(S("line one\r\nline two\tend")));
	assert_false(text_has_controls(S("Zoë")));
	assert_true(text_has_controls(S("bell\a")));
	assert_true(text_has_controls(S("nul\0inside")));
	assert_true(text_has_controls(S("esc\x1B[0m")));
	assert_true(text_has_controls(S("del\x7F")));
	assert_true(text_has_controls(S("\x1F")));
	assert_false(text_has_controls("ok\x01", 2)); /* only len bytes are looked at */
	assert_false(text_has_controls(NULL, 3));
}

/* ---- Name folding ---- */

static void fold_table_sorted(void **state)
{
	size_t n = sizeof fold_table / sizeof fold_table[0];

	for (size_t i = 0; i < n; i++) {
		assert_true(fold_table[i].first <= fold_table[i].last);
		assert_true(fold_table[i].first >= 0x80);
		assert_true((fold_table[i].kind == FOLD_TO) == (fold_table[i].to != NULL));
		if (i > 0)
			assert_true(fold_table[i - 1].last < fold_table[i].first);
	}
}

static void assert_fold(const char *in, const char *want)
{
	char out[256];
	int n = text_name_fold(in, out, sizeof out);

	if (n < 0 || strcmp(out, want) != 0 || (size_t)n != strlen(want))
		fail_msg("fold(\"%s\") = \"%s\" (%d), want \"%s\"", in, out, n, want);
}

static void fold_ascii_names(void **state)
{
	assert_fold("Smith", "smith");
	assert_fold("O'Neil-Smith", "oneilsmith");
	assert_fold("  Mary   Jane  ", "mary jane");
	assert_fold("Mary\tJane\r\nSmith", "mary jane smith");
	assert_fold("Smith, John", "smith john");
	assert_fold("St. John", "st john");
	assert_fold("Smith - Jones", "smith jones");
	assert_fold("O`Brien", "obrien");
	assert_fold("Henry VIII 2nd", "henry viii 2nd");
	assert_fold("(Jo)", "jo");
	assert_fold("", "");
	assert_fold("  ", "");
	assert_fold("'-'", "");
	assert_fold("...", "");
	assert_fold("A\x01" "B", "a b");
}

static void fold_accents(void **state)
{
	assert_fold("Zoë", "zoe");
	assert_fold("ZOË", "zoe");
	assert_fold("José Núñez", "jose nunez");
	assert_fold("Renée", "renee");
	assert_fold("Strauß", "strauss");
	assert_fold("Søren Kierkegård", "soren kierkegard");
	assert_fold("Ærøskøbing", "aeroskobing");
	assert_fold("Łukasz Wałęsa", "lukasz walesa");
	assert_fold("Dvořák", "dvorak");
	assert_fold("Šťastný", "stastny");
	assert_fold("Đorđević", "dordevic");
	assert_fold("Ştefan Țurcanu", "stefan turcanu");
	assert_fold("Șerban", "serban");
	assert_fold("İlkay Gündoğan", "ilkay gundogan");
	assert_fold("Þórður", "thordur");
	assert_fold("Œdipe", "oedipe");
	assert_fold("Ĳsselmeer", "ijsselmeer");
	assert_fold("Ÿvonne", "yvonne");
	assert_fold("ÀÁÂÃÄÅàáâãäå", "aaaaaaaaaaaa");
	assert_fold("ÇçÈÉÊËèéêëÌÍÎÏìíîï", "cceeeeeeeeiiiiiiii");
	assert_fold("ÑñÒÓÔÕÖØòóôõöøÙÚÛÜùúûüÝýÿ", "nnoooooooooooouuuuuuuuyyy");
	/* decomposed input (e + U+0301) folds as the composed letter */
	assert_fold("Rene\xCC\x81" "e", "renee");
}

static void fold_punctuation(void **state)
{
	assert_fold("O\xE2\x80\x99Neil", "oneil");        /* ’ */
	assert_fold("O\xCA\xBCNeil", "oneil");            /* ʼ */
	assert_fold("O\xC2\xB4Neil", "oneil");            /* ´ */
	assert_fold("Anne\xE2\x80\x90Marie", "annemarie"); /* U+2010 hyphen */
	assert_fold("Anne\xC2\xAD" "Marie", "annemarie");  /* soft hyphen */
	assert_fold("Anne\xE2\x80\x93Marie", "anne marie"); /* en dash is punctuation */
	assert_fold("Mary\xC2\xA0Jane", "mary jane");      /* no-break space */
	assert_fold("\xE2\x80\x9CJo\xE2\x80\x9D", "jo");    /* “Jo” */
	assert_fold("Jo\xE2\x80\x8B" "anne", "joanne");     /* zero-width space */
	assert_fold("\xEF\xBB\xBFJo", "jo");                /* BOM */
	assert_fold("A\xC3\x97" "B", "a b");                /* × */
	assert_fold("Jo\xE3\x80\x80" "Ann", "jo ann");         /* ideographic space */
}

static void fold_other_scripts(void **state)
{
	assert_fold("Мария Иванова", "Мария Иванова");
	assert_fold("Αλέξης", "Αλέξης");
	assert_fold("محمد  علي", "محمد علي");
	assert_fold("李 小龙", "李 小龙");
	assert_fold("Nguyễn", "nguyễn"); /* Latin Extended Additional is outside the table: kept */
	assert_fold("José 李", "jose 李");
}

static void fold_invalid_utf8(void **state)
{
	/* malformed bytes become U+FFFD, so the result stays valid UTF-8 and distinct names stay distinct */
	assert_fold("Jo\xFFhn", "jo\xEF\xBF\xBDhn");
	assert_fold("\xC3", "\xEF\xBF\xBD");
	assert_fold("\xED\xA0\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
}

static void fold_buffer(void **state)
{
	char out[16];

	memset(out, 'x', sizeof out);
	assert_int_equal(text_name_fold("Smith", out, 6), 5);
	assert_string_equal(out, "smith");
	assert_int_equal(text_name_fold("Smith", out, 5), -1);
	assert_string_equal(out, "smit");
	assert_int_equal(text_name_fold("Smith", out, 1), -1);
	assert_string_equal(out, "");
	assert_int_equal(text_name_fold("Smith", out, 0), -1);
	assert_int_equal(text_name_fold("Smith", NULL, 16), -1);
	assert_int_equal(text_name_fold(NULL, out, sizeof out), -1);
	assert_string_equal(out, "");
	/* truncation keeps whole characters and never ends in the space before a cut word */
	assert_int_equal(text_name_fold("Ann Smith", out, 5), -1);
	assert_string_equal(out, "ann");
	assert_int_equal(text_name_fold("Ab李", out, 5), -1);
	assert_string_equal(out, "ab");
	assert_int_equal(text_name_fold("Ab李", out, 6), 5);
	assert_int_equal(text_name_fold("Strauß", out, 7), -1);
	assert_string_equal(out, "strau"); /* "ss" is one piece */
	/* folding a folded name changes nothing */
	char again[16];
	assert_int_equal(text_name_fold("Zoë O'Neil", out, sizeof out), 9);
	assert_int_equal(text_name_fold(out, again, sizeof again), 9);
	assert_string_equal(out, again);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(utf8_valid),         cmocka_unit_test(utf8_length),
	    cmocka_unit_test(controls),           cmocka_unit_test(fold_table_sorted),
	    cmocka_unit_test(fold_ascii_names),   cmocka_unit_test(fold_accents),
	    cmocka_unit_test(fold_punctuation),   cmocka_unit_test(fold_other_scripts),
	    cmocka_unit_test(fold_invalid_utf8),  cmocka_unit_test(fold_buffer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
