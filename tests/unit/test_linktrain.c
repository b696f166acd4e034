/* service/linktrain.c's pure parts: the model as stored and back, and the correction of the link threshold
 * by reviewers' decisions (the .c is included to reach its static helpers, as h2o's tests do). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../src/service/linktrain.c"

static void model_text_round_trip(void **state)
{
	struct linkage_model m, back;
	linkage_model_defaults(&m);
	m.m[LF_GIVEN][LN_VARIANT] = 0.0625;
	m.u[LF_DOB][LD_SWAP] = 0.000125;
	m.lambda = 0.00292;
	m.link_threshold = 0.9975;
	m.review_threshold = 0.25;
	/* Frequencies as training builds them: names seen once are left out of the stored table. */
	struct linkage_rec r[3];
	struct linkage_input in[3] = {{"Amira", "", "Khan", "2016-05-03", "F", "", "", "", ""},
				      {"Amira", "", "Khan", "2016-05-03", "F", "", "", "", ""},
				      {"Ben", "", "Smith", "2015-01-02", "M", "", "", "", ""}};
	for (int i = 0; i < 3; i++)
		linkage_prepare(&in[i], &r[i]);
	struct linkage_tf *tf = linkage_tf_build(r, 3), *tf2 = NULL;
	assert_non_null(tf);
	char *text = linktrain_model_text(&m, tf);
	assert_non_null(text);
	assert_int_equal(linktrain_model_parse(text, &back, &tf2), 0);
	for (unsigned f = 0; f < LF_NFIELD; f++)
		for (unsigned l = 1; l < linkage_nlevels[f]; l++) {
			assert_true(fabs(back.m[f][l] - m.m[f][l]) < 1e-12);
			assert_true(fabs(back.u[f][l] - m.u[f][l]) < 1e-12);
		}
	assert_true(fabs(back.lambda - 0.00292) < 1e-15);
	assert_true(fabs(back.link_threshold - 0.9975) < 1e-15);
	assert_true(back.tf_names);
	assert_non_null(tf2);
	assert_true(fabs(linkage_tf_lookup(tf2, LF_GIVEN, "amira") - linkage_tf_lookup(tf, LF_GIVEN, "amira")) < 1e-7);
	assert_true(fabs(linkage_tf_lookup(tf2, LF_FAMILY, "khan") - 2.0 / 3.0) < 1e-6);
	assert_true(linkage_tf_lookup(tf, LF_FAMILY, "smith") > 0);
	assert_true(linkage_tf_lookup(tf2, LF_FAMILY, "smith") == 0);
	free(text);
	linkage_tf_free(tf);
	linkage_tf_free(tf2);
}

static void model_text_refused(void **state)
{
	struct linkage_model m;
	struct linkage_tf *tf = NULL;
	linkage_model_defaults(&m);
	char *text = linktrain_model_text(&m, NULL);
	assert_non_null(text);
	assert_int_equal(linktrain_model_parse(text, &m, &tf), 0);
	assert_null(tf);
	assert_false(m.tf_names); /* no frequencies stored: none used */
	const char *bad[] = {
		"", "[]", "{\"format\":\"other/1\"}",
		"{\"format\":\"safeguard-service-linkage-model/1\",\"lambda\":0.001,\"link_threshold\":0.99,\"review_threshold\":0.25}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(linktrain_model_parse(bad[i], &m, &tf), -1);
	/* A review threshold above the link threshold, and an m above 1. */
	char *swapped = strdup(text), *p = strstr(swapped, "\"review_threshold\":");
	assert_non_null(p);
	memcpy(p + strlen("\"review_threshold\":"), "0.999", 5);
	assert_int_equal(linktrain_model_parse(swapped, &m, &tf), -1);
	free(swapped);
	char *big = strdup(text), *q = strstr(big, "\"given_name\":[0");
	assert_non_null(q);
	q[strlen("\"given_name\":[0") + 1] = '7'; /* the first level's m, "0.9": now "7.9" */
	q[strlen("\"given_name\":[0") + 2] = '.';
	assert_int_equal(linktrain_model_parse(big, &m, &tf), -1);
	free(big);
	free(text);
}

/* Pairs as reviewers decided them and a new model scored them. */
static double correct(struct scored_pair *v, size_t n, struct store_link_model *row)
{
	return corrected_threshold(v, n, 0.99, row);
}

static void threshold_kept_when_precise(void **state)
{
	struct scored_pair v[] = {{0.9999, true, true}, {0.995, true, true}, {0.5, true, false}, {0.999, false, false}};
	struct store_link_model row;
	memset(&row, 0, sizeof row);
	assert_true(correct(v, 4, &row) == 0.99);
	/* The cannot-link "different" pair is not linked whatever its probability. */
	assert_int_equal(row.reviewed, 4);
	assert_int_equal(row.reviewed_same, 2);
	assert_int_equal(row.linked, 2);
	assert_int_equal(row.linked_same, 2);
}

static void threshold_raised_past_a_different_pair(void **state)
{
	struct scored_pair v[] = {{0.992, true, true}, {0.995, true, false}, {0.9999, true, true}, {0.999, true, true}};
	struct store_link_model row;
	memset(&row, 0, sizeof row);
	double t = correct(v, 4, &row);
	assert_true(fabs(t - 0.997) < 1e-12); /* between the last kept pair (0.999) and the "different" one */
	assert_int_equal(row.linked, 2);
	assert_int_equal(row.linked_same, 2);
	assert_int_equal(row.reviewed_same, 3);
}

static void threshold_above_everything_when_the_strongest_is_different(void **state)
{
	struct scored_pair v[] = {{0.9999, true, false}, {0.999, true, true}};
	struct store_link_model row;
	memset(&row, 0, sizeof row);
	double t = correct(v, 2, &row);
	assert_true(t > 0.9999 && t < 1);
	assert_int_equal(row.linked, 0);
	/* No pair at all: nothing to correct. */
	memset(&row, 0, sizeof row);
	assert_true(correct(NULL, 0, &row) == 0.99);
	assert_int_equal(row.reviewed, 0);
}

static void threshold_never_splits_a_tie(void **state)
{
	/* A "same" and a "different" pair at one probability cannot be told apart by a threshold. */
	struct scored_pair v[] = {{0.9999, true, true}, {0.998, true, true}, {0.998, true, false}};
	struct store_link_model row;
	memset(&row, 0, sizeof row);
	double t = correct(v, 3, &row);
	assert_true(t > 0.998 && t < 0.9999);
	assert_int_equal(row.linked, 1);
}

static void shown_to_team_managers(void **state)
{
	assert_true(linktrain_quality_shown_to("team_manager"));
	assert_false(linktrain_quality_shown_to("social_worker"));
	assert_false(linktrain_quality_shown_to(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(model_text_round_trip),
		cmocka_unit_test(model_text_refused),
		cmocka_unit_test(threshold_kept_when_precise),
		cmocka_unit_test(threshold_raised_past_a_different_pair),
		cmocka_unit_test(threshold_above_everything_when_the_strongest_is_different),
		cmocka_unit_test(threshold_never_splits_a_tie),
		cmocka_unit_test(shown_to_team_managers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
