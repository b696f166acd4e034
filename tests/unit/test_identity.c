/* Unit tests for service/identity.h's scoring (the linkage core with the service's built-in model): each
 * field's level and contribution, the weight and probability, the twins guard, the blocking keys. Plain
 * values, no store. */
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

static void score_levels(void **state)
{
	struct identity_score sc;
	struct identity_subject s = subj("Amira", "Khan", "2016-05-03", "F", "LS6 2AB", "9434765919");
	struct store_person p = person("Amira", "Khan", "2016-05-03", "F", "LS6 2AB");
	struct identity_ids ids = {.n_nhs = 1, .nhs = {"9434765919"}};
	assert_int_equal(identity_score(&s, &p, &ids, &sc), 0);
	assert_int_equal(sc.nfields, IDENTITY_FIELDS);
	double sum = sc.prior;
	for (int i = 0; i < sc.nfields; i++)
		sum += sc.fields[i].contribution;
	assert_true(fabs(sc.weight - sum) < 1e-9); /* the weight is the prior plus the contributions */
	assert_true(fabs(sc.prior + 13.0) < 0.01);
	assert_true(sc.probability >= IDENTITY_UPPER);
	assert_null(sc.cannot_link);
	assert_string_equal(field(&sc, "nhs_number")->level, "equal_valid");
	assert_string_equal(field(&sc, "upn")->level, "missing");
	assert_true(field(&sc, "upn")->contribution == 0.0);

	/* Each level, one field at a time. */
	struct identity_subject t = subj("Ameera", "Khan-Ali", "2016-03-05", "M", "LS6 9ZZ", "4010232137");
	assert_int_equal(identity_score(&t, &p, &ids, &sc), 0);
	assert_string_equal(field(&sc, "nhs_number")->level, "both_valid_different");
	assert_true(field(&sc, "nhs_number")->contribution < 0);
	assert_string_equal(sc.cannot_link, "nhs_number"); /* never linked, however high the rest */
	assert_string_equal(field(&sc, "family_name")->level, "part"); /* a double-barrelled name used in part */
	assert_string_equal(field(&sc, "dob")->level, "day_month_swapped");
	assert_string_equal(field(&sc, "postcode")->level, "district");
	assert_string_equal(field(&sc, "sex")->level, "different");
	t = subj("Amiira", "Kahn", "2016-05-04", "", "", "");
	assert_int_equal(identity_score(&t, &p, NULL, &sc), 0);
	assert_string_equal(field(&sc, "given_name")->level, "close");
	assert_string_equal(field(&sc, "family_name")->level, "close");
	assert_string_equal(field(&sc, "dob")->level, "day_or_month_off_by_one");
	assert_string_equal(field(&sc, "postcode")->level, "missing");
	assert_string_equal(field(&sc, "sex")->level, "missing");
	assert_string_equal(field(&sc, "nhs_number")->level, "missing");
	assert_int_equal(identity_score(NULL, &p, NULL, &sc), -1);
}

/* Twins: same family, date of birth, postcode and sex, sound-alike given names: however high the weight,
 * never linked without a person (the decision reads cannot_link). A nickname is the same child. */
static void twins_are_not_linked(void **state)
{
	struct identity_score sc;
	struct identity_subject s = subj("Tobias", "Grey", "2011-05-06", "M", "LS6 2AB", "");
	struct store_person p = person("Tobin", "Grey", "2011-05-06", "M", "LS6 2AB");
	assert_int_equal(identity_score(&s, &p, NULL, &sc), 0);
	assert_string_equal(sc.cannot_link, "twins");
	struct identity_subject billy = subj("Billy", "Grey", "2011-05-06", "M", "", "");
	struct store_person william = person("William", "Grey", "2011-05-06", "M", "");
	assert_int_equal(identity_score(&billy, &william, NULL, &sc), 0);
	assert_string_equal(field(&sc, "given_name")->level, "variant");
	assert_null(sc.cannot_link);
	assert_true(sc.probability >= IDENTITY_UPPER);
	/* The same child with every field equal is linked; the probability grows with the weight. */
	struct store_person q = person("Tobias", "Grey", "2011-05-06", "M", "LS6 2AB");
	struct identity_score same;
	assert_int_equal(identity_score(&s, &q, NULL, &same), 0);
	assert_true(same.probability >= IDENTITY_UPPER);
	assert_null(same.cannot_link);
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
	assert_int_equal(identity_block_keys(&s, keys), 6);
	assert_string_equal(keys[0], "nhs:9434765919");
	assert_string_equal(keys[1], "upn:B801200005001");
	assert_string_equal(keys[2], "fdm:ABRN|2016-05");
	assert_string_equal(keys[3], "fgi:ABRN|2016|z");
	assert_string_equal(keys[4], "gdob:z|2016-05-03");
	assert_string_equal(keys[5], "pc:LS6 2AB|z");
	/* A family name and a date of birth with no given name: the month's coarse key alone. */
	struct identity_subject u = subj("", "O'Brien", "2016-05-03", "F", "", "");
	assert_int_equal(identity_block_keys(&u, keys), 1);
	assert_string_equal(keys[0], "fdm:ABRN|2016-05");
	/* A missing part leaves its keys out: a name alone has none. */
	struct identity_subject t = subj("Zoe", "Obrien", "", "", "", "");
	assert_int_equal(identity_block_keys(&t, keys), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(score_levels), cmocka_unit_test(twins_are_not_linked), cmocka_unit_test(block_keys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
