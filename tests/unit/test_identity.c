/* Unit tests for the interim scorer of service/identity.h (the seam the linkage core replaces): Jaro-Winkler,
 * Soundex, each field's levels, the weight and probability, the blocking keys. Plain values, no store. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "service/identity.h"

static struct identity_subject subj(const char *given, const char *family, const char *dob, const char *sex,
				    const char *postcode, const char *nhs)
{
	struct identity_subject s;
	memset(&s, 0, sizeof s);
	snprintf(s.given_name, sizeof s.given_name, "%s", given);
	snprintf(s.family_name, sizeof s.family_name, "%s", family);
	snprintf(s.dob, sizeof s.dob, "%s", dob);
	snprintf(s.sex, sizeof s.sex, "%s", sex);
	snprintf(s.postcode, sizeof s.postcode, "%s", postcode);
	snprintf(s.nhs_number, sizeof s.nhs_number, "%s", nhs);
	return s;
}

static struct store_person person(const char *given, const char *family, const char *dob, const char *sex,
				  const char *postcode)
{
	struct store_person p;
	memset(&p, 0, sizeof p);
	snprintf(p.given_name, sizeof p.given_name, "%s", given);
	snprintf(p.family_name, sizeof p.family_name, "%s", family);
	snprintf(p.dob, sizeof p.dob, "%s", dob);
	snprintf(p.sex, sizeof p.sex, "%s", sex);
	snprintf(p.postcode, sizeof p.postcode, "%s", postcode);
	return p;
}

static const struct identity_field *field(const struct identity_score *sc, const char *name)
{
	for (int i = 0; i < sc->nfields; i++)
		if (strcmp(sc->fields[i].field, name) == 0)
			return &sc->fields[i];
	fail_msg("no field %s", name);
	return NULL;
}

/* Winkler's published examples (1990): MARTHA/MARHTA 0.961, DWAYNE/DUANE 0.840, DIXON/DICKSONX 0.813. */
static void jaro_winkler_known_values(void **state)
{
	assert_true(fabs(identity_jaro_winkler("martha", "marhta") - 0.961) < 0.001);
	assert_true(fabs(identity_jaro_winkler("dwayne", "duane") - 0.840) < 0.001);
	assert_true(fabs(identity_jaro_winkler("dixon", "dicksonx") - 0.813) < 0.001);
	assert_true(identity_jaro_winkler("khan", "khan") == 1.0);
	assert_true(identity_jaro_winkler("", "") == 1.0);
	assert_true(identity_jaro_winkler("abc", "") == 0.0);
	assert_true(identity_jaro_winkler("abc", "xyz") == 0.0);
}

/* The American Soundex examples of the US National Archives. */
static void soundex_known_codes(void **state)
{
	static const char *cases[][2] = {{"robert", "R163"}, {"rupert", "R163"}, {"rubin", "R150"}, {"ashcraft", "A261"},
					 {"tymczak", "T522"}, {"pfister", "P236"}, {"lee", "L000"}, {"", ""}};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char out[5];
		identity_soundex(cases[i][0], out);
		assert_string_equal(out, cases[i][1]);
	}
}

static void score_levels(void **state)
{
	struct identity_score sc;
	struct identity_subject s = subj("Amira", "Khan", "2016-05-03", "F", "LS6 2AB", "9434765919");
	struct store_person p = person("Amira", "Khan", "2016-05-03", "F", "LS6 2AB");
	struct identity_ids ids = {.n_nhs = 1, .nhs = {"9434765919"}};
	assert_int_equal(identity_score(&s, &p, &ids, &sc), 0);
	assert_int_equal(sc.nfields, IDENTITY_FIELDS);
	double sum = -13.0;
	for (int i = 0; i < sc.nfields; i++)
		sum += sc.fields[i].contribution;
	assert_true(fabs(sc.weight - sum) < 1e-9); /* the weight is the prior plus the contributions */
	assert_true(sc.probability >= IDENTITY_UPPER);
	assert_string_equal(field(&sc, "nhs_number")->level, "exact");
	assert_string_equal(field(&sc, "upn")->level, "missing");
	assert_true(field(&sc, "upn")->contribution == 0.0);

	/* Each level, one field at a time. */
	struct identity_subject t = subj("Ameera", "Khan-Ali", "2016-03-05", "M", "LS6 9ZZ", "4010232137");
	assert_int_equal(identity_score(&t, &p, &ids, &sc), 0);
	assert_string_equal(field(&sc, "nhs_number")->level, "different");
	assert_true(field(&sc, "nhs_number")->contribution < 0);
	assert_string_equal(field(&sc, "family_name")->level, "close"); /* a double-barrelled name used in part */
	assert_string_equal(field(&sc, "given_name")->level, "different");
	assert_string_equal(field(&sc, "dob")->level, "day_month_swapped");
	assert_string_equal(field(&sc, "postcode")->level, "same_district");
	assert_string_equal(field(&sc, "sex")->level, "different");
	t = subj("Amiira", "Kahn", "2016-05-04", "", "", "");
	assert_int_equal(identity_score(&t, &p, NULL, &sc), 0);
	assert_string_equal(field(&sc, "given_name")->level, "close");
	assert_string_equal(field(&sc, "family_name")->level, "close");
	assert_string_equal(field(&sc, "dob")->level, "one_part_differs");
	assert_string_equal(field(&sc, "postcode")->level, "missing");
	assert_string_equal(field(&sc, "sex")->level, "missing");
	assert_string_equal(field(&sc, "nhs_number")->level, "missing");
	assert_int_equal(identity_score(NULL, &p, NULL, &sc), -1);
}

/* Twins: same family, date of birth, postcode and sex, different given names: never linked automatically. */
static void twins_are_not_linked(void **state)
{
	struct identity_score sc;
	struct identity_subject s = subj("Tobias", "Grey", "2011-05-06", "M", "LS6 2AB", "");
	struct store_person p = person("Tobin", "Grey", "2011-05-06", "M", "LS6 2AB");
	assert_int_equal(identity_score(&s, &p, NULL, &sc), 0);
	assert_true(sc.probability < IDENTITY_UPPER);
	/* The same child with every field equal is linked; the probability grows with the weight. */
	struct store_person q = person("Tobias", "Grey", "2011-05-06", "M", "LS6 2AB");
	struct identity_score same;
	assert_int_equal(identity_score(&s, &q, NULL, &same), 0);
	assert_true(same.probability >= IDENTITY_UPPER);
	assert_true(same.weight > sc.weight);
	/* A name and nothing else is far below the lower threshold. */
	struct identity_subject r = subj("Tobias", "Grey", "", "", "", "");
	struct store_person o = person("Ola", "Smith", "2011-05-06", "F", "LS6 2AB");
	assert_int_equal(identity_score(&r, &o, NULL, &sc), 0);
	assert_true(sc.probability < IDENTITY_LOWER);
}

static void block_keys(void **state)
{
	char keys[IDENTITY_KEYS_MAX][IDENTITY_KEY_BYTES];
	struct identity_subject s = subj("Zoë", "O'Brien", "2016-05-03", "F", "LS6 2AB", "9434765919");
	snprintf(s.upn, sizeof s.upn, "B801200005001");
	assert_int_equal(identity_block_keys(&s, keys), 5);
	assert_string_equal(keys[0], "nhs:9434765919");
	assert_string_equal(keys[1], "upn:B801200005001");
	assert_string_equal(keys[2], "fdob:O165|2016");
	assert_string_equal(keys[3], "gdob:z|2016-05-03");
	assert_string_equal(keys[4], "pc:LS6 2AB|z");
	/* A missing part leaves its keys out: a name alone has none. */
	struct identity_subject t = subj("Zoe", "Obrien", "", "", "", "");
	assert_int_equal(identity_block_keys(&t, keys), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(jaro_winkler_known_values), cmocka_unit_test(soundex_known_codes),
		cmocka_unit_test(score_levels), cmocka_unit_test(twins_are_not_linked), cmocka_unit_test(block_keys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
