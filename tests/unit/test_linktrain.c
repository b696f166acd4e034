/* service/linktrain.c's pure parts: the model as stored and back, and the correction of the link threshold
 * by reviewers' decisions (the .c is included to reach its static helpers, as h2o's tests do). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../src/service/linktrain.c"

#include "api/intake_json.h"
#include "clock/now.h"
#include "service/intake.h"
#include "service/tokens.h"
#include "fixture.h"

/* 2026-11-24T12:00:00Z */
#define NOW INT64_C(1795521600)

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

static void model_text_keeps_agency_m(void **state)
{
	struct linkage_model m, back;
	struct linkage_tf *tf2 = NULL;
	linkage_model_defaults(&m);
	m.by_agency = calloc(1, sizeof *m.by_agency);
	assert_non_null(m.by_agency);
	memcpy(m.by_agency->m[2], m.m, sizeof m.m);
	m.by_agency->m[2][LF_DOB][LD_SWAP] = 0.0375;
	m.by_agency->own[2] = true;
	m.by_agency->matches[2] = 812.5;
	snprintf(m.by_agency->name[2], sizeof m.by_agency->name[2], "police");
	m.by_agency->own[3] = true; /* no name: not kept */
	char *text = linktrain_model_text(&m, NULL);
	assert_non_null(text);
	assert_int_equal(linktrain_model_parse(text, &back, &tf2), 0);
	assert_non_null(back.by_agency);
	assert_true(back.by_agency->own[1]);
	assert_false(back.by_agency->own[2]);
	assert_string_equal(back.by_agency->name[1], "police");
	assert_true(fabs(back.by_agency->m[1][LF_DOB][LD_SWAP] - 0.0375) < 1e-12);
	assert_true(fabs(back.by_agency->matches[1] - 812.5) < 1e-9);
	/* The agency's m scores its records; another agency's, and an unknown one's, the pooled m. */
	struct identity_subject s = {.given_name = "Amira", .family_name = "Khan", .dob = "2016-03-05", .sex = "F"};
	struct store_person p = {0};
	snprintf(p.given_name, sizeof p.given_name, "Amira");
	snprintf(p.family_name, sizeof p.family_name, "Khan");
	snprintf(p.dob, sizeof p.dob, "2016-05-03");
	snprintf(p.sex, sizeof p.sex, "F");
	struct identity_score pooled, police, other;
	assert_int_equal(identity_score_with(&back, NULL, &s, &p, NULL, &pooled), 0);
	snprintf(s.agency, sizeof s.agency, "police");
	assert_int_equal(identity_score_with(&back, NULL, &s, &p, NULL, &police), 0);
	snprintf(s.agency, sizeof s.agency, "health");
	assert_int_equal(identity_score_with(&back, NULL, &s, &p, NULL, &other), 0);
	assert_false(pooled.agency_m);
	assert_true(police.agency_m);
	assert_false(other.agency_m);
	assert_true(police.weight > pooled.weight + 1.0); /* day and month swapped: likelier in police records */
	assert_true(fabs(other.weight - pooled.weight) < 1e-12);
	free(text);
	linkage_model_release(&m);
	linkage_model_release(&back);
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


/* ---- the nightly choice, on a real store ---- */

static int seed_job(store_conn *c, void *arg)
{
	return tokens_seed_agencies(c);
}

struct apply {
	struct intake_request rq;
	struct intake_result res;
};

static int apply_job(store_conn *c, void *arg)
{
	struct apply *a = arg;
	return intake_apply(c, &a->rq, &a->res);
}

/* Sends records from..to-1 of a made-up area: children of 60 families, three records each with slips. */
static void send_records(store *st, int from, int to)
{
	static const char *given[] = {"Amira", "Oliver", "Chloe", "Jayden", "Priya", "Tomasz", "Grace", "Yusuf",
				      "Isla", "Kwame", "Leah", "Mateo"};
	static const char *family[] = {"Khan", "Smith", "Nowak", "Okafor", "Patel", "Jones", "Hughes", "Ahmed",
				       "Murphy", "Silva"};
	for (int i = from; i < to; i++) {
		int child = i / 3, k = i % 3;
		char body[1024], g[32];
		snprintf(g, sizeof g, "%s", given[child % 12]);
		if (k == 2 && strlen(g) > 3)
			g[strlen(g) - 1] = 'x'; /* a slip in the third record */
		snprintf(body, sizeof body,
			 "{\"source_ref\": \"T-%d\", \"kind\": \"concern\", \"occurred_at\": \"2026-11-20T09:30:00Z\","
			 " \"subject\": {\"given_name\": \"%s\", \"family_name\": \"%s\", \"dob\": \"20%02d-%02d-%02d\","
			 " \"sex\": \"%s\", \"postcode\": \"%s\"}, \"summary\": \"Seen\", \"details\": {}}",
			 i, g, family[(child / 12) % 10], 8 + child % 9, 1 + child % 12, 1 + (child * 7) % 28,
			 child % 2 ? "F" : "M", k == 1 ? "" : "LS6 2AB");
		struct apply *a = calloc(1, sizeof *a);
		struct api_error err = {0};
		json_t *root = NULL;
		char *details = NULL;
		assert_non_null(a);
		if (api_intake_parse(body, strlen(body), NOW, &a->rq, &root, &details, &err) != 0)
			fail_msg("%s: %s", err.field, err.message);
		snprintf(a->rq.agency, sizeof a->rq.agency, "%s", k ? "police" : "education");
		a->rq.actor = "client:1:test";
		assert_int_equal(txq_exec(st, apply_job, a), STORE_OK);
		json_decref(root);
		free(details);
		free(a);
	}
}

static int64_t sealed_records;

/* Seals the child the first record was given, counting the records that child holds. */
static int seal_job(store_conn *c, void *arg)
{
	struct store_source_record src;
	bool found = false, already = false;
	int rc = store_source_find(c, "education", "T-0", &src, &found);
	if (rc != STORE_OK || !found)
		return rc ? rc : STORE_EIO;
	sealed_records = 0;
	for (int i = 0; i < 255; i++) {
		struct store_source_record o;
		char ref[16];
		bool f2 = false;
		snprintf(ref, sizeof ref, "T-%d", i);
		if ((rc = store_source_find(c, i % 3 ? "police" : "education", ref, &o, &f2)) != STORE_OK)
			return rc;
		sealed_records += f2 && o.person_id == src.person_id;
	}
	return store_person_seal(c, src.person_id, "adoption", "test", &already);
}

static void nightly_trains_when_records_grew(void **state)
{
	struct fx *f = *state;
	struct linktrain_report r;
	bool trained = true;
	assert_int_equal(txq_exec(f->st, seed_job, NULL), STORE_OK);
	assert_int_equal(linktrain_nightly(f->st, 1, &trained, &r), 0);
	assert_false(trained); /* nothing to learn from */
	/* Before any training, link model shows the built-in settings intake really scores with. */
	struct linktrain_quality q;
	double lambda = 0, upper = 0, lower = 0;
	assert_int_equal(linktrain_model_figures(f->st, &q, &lambda), STORE_OK);
	assert_false(q.trained);
	assert_int_equal(q.model.id, 0);
	identity_thresholds(&upper, &lower);
	assert_true(q.model.link_threshold == upper && q.model.review_threshold == lower);
	assert_true(upper > 0 && lower > 0);
	assert_true(lambda == identity_model()->lambda && lambda > 0 && lambda < 1);
	send_records(f->st, 0, 150);
	assert_int_equal(linktrain_nightly(f->st, 1, &trained, &r), 0);
	assert_false(trained); /* under LINKTRAIN_MIN_RECORDS */
	assert_int_equal(linktrain_run(f->st, "command", 1, &r), LINKTRAIN_ETOO_FEW);
	assert_int_equal(r.model.records, 150);
	send_records(f->st, 150, 240);
	assert_int_equal(linktrain_nightly(f->st, 1, &trained, &r), 0);
	assert_true(trained);
	assert_int_equal(r.model.id, 1);
	assert_int_equal(r.model.records, 240);
	assert_string_equal(r.model.how, "nightly");
	assert_int_equal(identity_trained_id(), 1); /* installed for intake */
	/* No growth, or less than 5%: the model people have seen stays. */
	assert_int_equal(linktrain_nightly(f->st, 1, &trained, &r), 0);
	assert_false(trained);
	/* The page's counts are as of the last count (link_counts), not live: records sent since do not move them
	 * until the nightly sweep's check counts again (and writes them, with its time, trained or not). */
	send_records(f->st, 240, 251);
	assert_int_equal(linktrain_quality(f->st, &q), STORE_OK);
	assert_int_equal(q.records, 240);
	char err[128];
	assert_int_equal(clock_now_set("2030-01-02T03:04:05Z", err, sizeof err), 0);
	assert_int_equal(linktrain_nightly(f->st, 1, &trained, &r), 0);
	assert_false(trained);
	assert_int_equal(linktrain_quality(f->st, &q), STORE_OK);
	assert_int_equal(q.records, 251);
	assert_memory_equal(q.counted_at, "2030-01-02T03:04", 16);
	/* a later instant (the counts are as of each count's snapshot; an older one never replaces a newer) */
	assert_int_equal(clock_now_set("2030-01-03T00:00:00Z", err, sizeof err), 0);
	send_records(f->st, 251, 255);
	assert_int_equal(linktrain_nightly(f->st, 1, &trained, &r), 0);
	assert_true(trained);
	assert_int_equal(r.model.id, 2);
	assert_int_equal(linktrain_quality(f->st, &q), STORE_OK);
	assert_true(q.trained);
	assert_int_equal(q.model.id, 2);
	assert_int_equal(q.records, 255);
	assert_memory_equal(q.counted_at, "2030-01-03T00:00", 16);
	assert_null(q.model.params);
	/* link model's figures: the same, and the stored model's own prior (the page's never parse it). */
	struct linktrain_quality q2;
	assert_int_equal(linktrain_model_figures(f->st, &q2, &lambda), STORE_OK);
	assert_true(q2.trained);
	assert_int_equal(q2.model.id, 2);
	assert_int_equal(q2.records, 255);
	assert_null(q2.model.params);
	assert_true(q2.model.link_threshold == q.model.link_threshold);
	assert_true(lambda > 0 && lambda < 1);
	/* A count whose snapshot is older than the one held (a slower walk writing last) leaves it. */
	assert_int_equal(clock_now_set("2030-01-02T12:00:00Z", err, sizeof err), 0);
	send_records(f->st, 255, 256);
	struct linktrain_report r2;
	assert_int_equal(linktrain_nightly(f->st, 1, &trained, &r2), 0);
	assert_false(trained);
	assert_int_equal(linktrain_quality(f->st, &q), STORE_OK);
	assert_int_equal(q.records, 255);
	assert_memory_equal(q.counted_at, "2030-01-03T00:00", 16);
	assert_int_equal(clock_now_set("", err, sizeof err), 0); /* the system clock again */
	/* m of their own for the two agencies that sent records, and intake scores each agency's records with it. */
	assert_int_equal(r.agencies_own_m, 2);
	struct identity_subject subj = {.given_name = "Amira", .family_name = "Khan", .dob = "2008-01-01", .sex = "F",
					.agency = "police"};
	struct store_person cand = {0};
	snprintf(cand.given_name, sizeof cand.given_name, "Amira");
	snprintf(cand.family_name, sizeof cand.family_name, "Khan");
	snprintf(cand.dob, sizeof cand.dob, "2008-01-01");
	struct identity_score sc;
	assert_int_equal(identity_score(&subj, &cand, NULL, &sc), 0);
	assert_true(sc.agency_m);
	snprintf(subj.agency, sizeof subj.agency, "housing");
	assert_int_equal(identity_score(&subj, &cand, NULL, &sc), 0);
	assert_false(sc.agency_m);
	/* A sealed child's records are never learnt from. */
	assert_int_equal(txq_exec(f->st, seal_job, NULL), STORE_OK);
	assert_int_equal(linktrain_run(f->st, "command", 1, &r), 0);
	assert_int_equal(r.model.records, 256 - sealed_records);
	assert_true(sealed_records >= 1);
}

/* The service reads a record's names as the batch does (linkage_tf_apply): whether each name as written is
 * commoner in the other field. Collins Arlo and Collins Elliot, in an area where Collins is a family name and
 * Arlo and Elliot given names, are Arlo and Elliot Collins written family name first, born on one day: twins,
 * refused by the transposed-names rule. The service had set only the frequencies, so the rule never ran there
 * and the pair went to review on the strength of "Collins" agreeing. */
static void service_reads_names_written_crosswise(void **state)
{
	(void)state;
	static const char *const given[] = {"Arlo", "Elliot", "Maya", "Ruby", "Noah", "Isla"};
	struct linkage_rec recs[36];
	size_t n = 0;
	for (int i = 0; i < 6; i++)
		for (int k = 0; k < 6; k++) {
			struct linkage_input in = {.given = given[i], .family = k < 4 ? "Collins" : "Patel"};
			linkage_prepare(&in, &recs[n++]);
		}
	struct linkage_tf *tf = linkage_tf_build(recs, n);
	assert_non_null(tf);
	struct linkage_model m;
	linkage_model_defaults(&m);
	struct identity_subject s = {.given_name = "Collins", .family_name = "Arlo", .dob = "2016-03-05", .sex = "M",
				     .postcode = "LS6 2AB"};
	struct store_person p = {0};
	snprintf(p.given_name, sizeof p.given_name, "Collins");
	snprintf(p.family_name, sizeof p.family_name, "Elliot");
	snprintf(p.dob, sizeof p.dob, "2016-03-05");
	snprintf(p.sex, sizeof p.sex, "M");
	snprintf(p.postcode, sizeof p.postcode, "LS6 2AB");
	struct identity_score with_tf, without;
	assert_int_equal(identity_score_with(&m, tf, &s, &p, NULL, &with_tf), 0);
	assert_int_equal(identity_score_with(&m, NULL, &s, &p, NULL, &without), 0);
	assert_non_null(with_tf.cannot_link);
	assert_string_equal(with_tf.cannot_link, "twins");
	assert_null(without.cannot_link); /* without the area's frequencies nothing says the names are crosswise */
	linkage_model_release(&m);
	linkage_tf_free(tf);
}

/* review33 F4: the counts (link_counts) are the review page's display; the model is what intake scores with. A
 * count that cannot be written is reported (counts_rc) and the model trained from the same walk is stored and
 * installed all the same, by `link train` and by the nightly sweep. The failure is injected in the database (a
 * trigger refusing every update of link_counts), so the store's real write path fails. */
static void a_count_not_written_keeps_the_model(void **state)
{
	struct fx *f = *state;
	struct linktrain_report r;
	bool trained = false;
	assert_int_equal(txq_exec(f->st, seed_job, NULL), STORE_OK);
	send_records(f->st, 0, 240);
	assert_true(fx_outsider_sql(f,
		"CREATE TRIGGER test_counts_fail BEFORE UPDATE ON link_counts BEGIN "
		"SELECT RAISE(ABORT, 'injected: link_counts not writable'); END;",
		"CREATE FUNCTION test_counts_fail() RETURNS trigger LANGUAGE plpgsql AS "
		"$$ BEGIN RAISE EXCEPTION 'injected: link_counts not writable'; END $$;"
		"CREATE TRIGGER test_counts_fail BEFORE UPDATE ON link_counts "
		"FOR EACH ROW EXECUTE FUNCTION test_counts_fail();"));
	assert_int_equal(linktrain_run(f->st, "command", 1, &r), 0);
	assert_int_not_equal(r.counts_rc, STORE_OK); /* reported, for the caller's warning */
	assert_int_equal(r.model.id, 1);
	assert_int_equal(r.model.records, 240);
	assert_int_equal(identity_trained_id(), 1); /* installed for intake */
	struct linktrain_quality q;
	assert_int_equal(linktrain_quality(f->st, &q), STORE_OK);
	assert_true(q.trained);
	assert_int_equal(q.model.id, 1); /* stored: the page shows it */
	assert_int_equal(q.records, 0);  /* the counts as the migration left them: the last count written */
	/* The nightly sweep the same: its count fails, its training (records grew past 5 %) goes on. */
	send_records(f->st, 240, 255);
	assert_int_equal(linktrain_nightly(f->st, 1, &trained, &r), 0);
	assert_true(trained);
	assert_int_not_equal(r.counts_rc, STORE_OK);
	assert_int_equal(r.model.id, 2);
	assert_int_equal(identity_trained_id(), 2);
	/* Once the counts can be written again, the next walk writes them. */
	assert_true(fx_outsider_sql(f, "DROP TRIGGER test_counts_fail;", "DROP TRIGGER test_counts_fail ON link_counts;"));
	assert_int_equal(linktrain_nightly(f->st, 1, &trained, &r), 0);
	assert_false(trained);
	assert_int_equal(r.counts_rc, STORE_OK);
	assert_int_equal(linktrain_quality(f->st, &q), STORE_OK);
	assert_int_equal(q.records, 255);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(model_text_round_trip),
		cmocka_unit_test(service_reads_names_written_crosswise),
		cmocka_unit_test(model_text_refused),
		cmocka_unit_test(model_text_keeps_agency_m),
		cmocka_unit_test(threshold_kept_when_precise),
		cmocka_unit_test(threshold_raised_past_a_different_pair),
		cmocka_unit_test(threshold_above_everything_when_the_strongest_is_different),
		cmocka_unit_test(threshold_never_splits_a_tie),
		cmocka_unit_test(shown_to_team_managers),
		cmocka_unit_test_setup_teardown(nightly_trains_when_records_grew, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(a_count_not_written_keeps_the_model, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
