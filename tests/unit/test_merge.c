/* Unit tests for merging and unmerging persons (store_person_merge, store_person_unmerge, schema 13) on a real
 * SQLite file: every row of the merged person moves except an identifier, alert or household the kept person
 * already has; undoing puts back exactly what moved; a later standing merge blocks the undo of an earlier
 * one (the service's rule, linkreview_unmerge_check: the store only moves rows); the blocking index forgets a merged person and finds the kept one by the merged records' keys. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "service/linkreview.h"
#include "service/txq.h"

static void exec(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	char *err = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
	if (rc != SQLITE_OK)
		fail_msg("%s: %s", sql, err);
	sqlite3_close(db);
}

/* One row of text from a query (group_concat), "" when NULL. */
static void query(const char *path, const char *sql, char *out, size_t outsz)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	out[0] = '\0';
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
		snprintf(out, outsz, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	sqlite3_close(db);
}

/* Where every row of every table a merge touches is: "table id person;..." in a fixed order. */
#define SNAPSHOT                                                                                                 \
	"SELECT group_concat(r, ';') FROM (SELECT 'source ' || id || ' ' || person_id AS r FROM source_record "      \
	"UNION ALL SELECT 'event ' || id || ' ' || person_id FROM event "                                             \
	"UNION ALL SELECT 'ident ' || id || ' ' || person_id FROM identifier "                                        \
	"UNION ALL SELECT 'alert ' || id || ' ' || person_id FROM alert "                                             \
	"UNION ALL SELECT 'member ' || household_id || ' ' || person_id FROM household_member "                       \
	"UNION ALL SELECT 'key ' || key || ' ' || person_id || ' ' || source_record_id FROM person_block_key "       \
	"ORDER BY 1)"

static void seed(const char *path)
{
	exec(path,
	     "INSERT INTO agency(code, name) VALUES ('police', 'Police');"
	     "INSERT INTO person(id, given_name, family_name, created_at) VALUES (1, 'Amira', 'Khan', 'x'), "
	     "(2, 'Amira', 'Kahn', 'x'), (3, 'Other', 'Child', 'x');"
	     "INSERT INTO source_record(id, agency, source_ref, payload_hash, payload, person_id, link_score, link_rule, "
	     "received_at) VALUES (10, 'police', 'A', x'00', '{\"as\":\"sent\"}', 1, 1, 'new', 'x'), "
	     "(20, 'police', 'B', x'00', '{}', 2, 1, 'review', 'x'), (21, 'police', 'B2', x'00', '{}', 2, 1, 'score', 'x'), "
	     "(30, 'police', 'C', x'00', '{}', 3, 1, 'new', 'x');"
	     "INSERT INTO event(id, person_id, source_record_id, agency, kind, occurred_at, recorded_at, summary) VALUES "
	     "(100, 1, 10, 'police', 'concern', '2025-01-01T00:00:00Z', 'x', 'a'), "
	     "(200, 2, 20, 'police', 'concern', '2025-01-02T00:00:00Z', 'x', 'b'), "
	     "(201, 2, 21, 'police', 'concern', '2025-01-03T00:00:00Z', 'x', 'b2'), "
	     "(300, 3, 30, 'police', 'concern', '2025-01-04T00:00:00Z', 'x', 'c');"
	     /* both hold the NHS number; only 2 the UPN */
	     "INSERT INTO identifier(id, person_id, kind, value, first_seen) VALUES (1000, 1, 'nhs', '9434765919', 'x'), "
	     "(2000, 2, 'nhs', '9434765919', 'x'), (2001, 2, 'upn', 'B801200005001', 'x');"
	     "INSERT INTO household(id, key, postcode, address) VALUES (7, 'h7', 'LS6 2AB', '1 A St'), (8, 'h8', 'LS7 1AA', '2 B St');"
	     "INSERT INTO household_member(household_id, person_id, first_seen, last_seen) VALUES (7, 1, 'x', 'x'), "
	     "(7, 2, 'x', 'x'), (8, 2, 'x', 'x');"
	     /* the same alert on both (it stays with 2), and one only 2 has (it moves) */
	     "INSERT INTO alert(id, person_id, code, raised_on, dedup_key, owner_kind, owner, created_at) VALUES "
	     "(50, 1, 'X', '2025-01-01', 'k', 'mash', 'mash', 'x'), (60, 2, 'X', '2025-01-01', 'k', 'mash', 'mash', 'x'), "
	     "(61, 2, 'Y', '2025-01-01', 'k2', 'mash', 'mash', 'x');"
	     "INSERT INTO person_block_key(key, person_id, source_record_id) VALUES ('gdob:a|2016-05-03', 1, 10), "
	     "('fdob:KN|2016', 2, 20), ('pc:LS7 1AA|a', 2, 21), ('gdob:a|2016-05-03', 2, 0), ('gdob:o|2016-01-01', 3, 30);");
}

struct op {
	int64_t a, b, id;
	enum linkreview_result u;
	bool undo;
};

static int op_run(store_conn *c, void *arg)
{
	struct op *o = arg;
	if (o->undo)
		return linkreview_unmerge(c, "tester", "social_care", o->id, "undo", &o->u);
	return store_person_merge(c, o->a, o->b, "tester", "same child", &o->id);
}

static int64_t merge(struct fx *f, int64_t kept, int64_t merged)
{
	struct op o = {.a = kept, .b = merged};
	assert_int_equal(txq_exec(f->st, op_run, &o), STORE_OK);
	return o.id;
}

static enum linkreview_result unmerge(struct fx *f, int64_t id)
{
	struct op o = {.id = id, .undo = true};
	assert_int_equal(txq_exec(f->st, op_run, &o), STORE_OK);
	return o.u;
}

struct ids {
	int n;
	int64_t id[8];
};

static int collect(int64_t id, void *ctx)
{
	struct ids *x = ctx;
	x->id[x->n++] = id;
	return 0;
}

static int candidates_run(store_conn *c, void *arg)
{
	return store_block_candidates(c, "[\"gdob:a|2016-05-03\",\"pc:LS7 1AA|a\"]", 10, collect, arg);
}

static void merge_moves_then_undo_restores(void **state)
{
	struct fx *f = *state;
	char before[4096], after[4096], got[4096];
	seed(f->path);
	query(f->path, SNAPSHOT, before, sizeof before);

	int64_t id = merge(f, 1, 2);
	assert_true(id > 0);
	query(f->path, "SELECT group_concat(id) FROM (SELECT id FROM event WHERE person_id = 1 ORDER BY id)", got, sizeof got);
	assert_string_equal(got, "100,200,201");
	query(f->path, "SELECT group_concat(id) FROM (SELECT id FROM source_record WHERE person_id = 1 ORDER BY id)", got,
	      sizeof got);
	assert_string_equal(got, "10,20,21");
	query(f->path, "SELECT payload FROM source_record WHERE id = 10", got, sizeof got);
	assert_string_equal(got, "{\"as\":\"sent\"}");
	/* The duplicate NHS number stays with 2; the UPN moves. The shared alert stays; the other moves. */
	query(f->path, "SELECT group_concat(id || ':' || person_id) FROM (SELECT * FROM identifier ORDER BY id)", got,
	      sizeof got);
	assert_string_equal(got, "1000:1,2000:2,2001:1");
	query(f->path, "SELECT group_concat(id || ':' || person_id) FROM (SELECT * FROM alert ORDER BY id)", got, sizeof got);
	assert_string_equal(got, "50:1,60:2,61:1");
	query(f->path, "SELECT group_concat(household_id || ':' || person_id) FROM (SELECT * FROM household_member "
		       "ORDER BY household_id, person_id)", got, sizeof got);
	assert_string_equal(got, "7:1,7:2,8:1");
	/* Keys move with their records; the merged person is no candidate, the kept one is found by them. */
	query(f->path, "SELECT group_concat(key || ':' || person_id, ' ') FROM (SELECT * FROM person_block_key ORDER BY key, "
		       "person_id, source_record_id)", got, sizeof got);
	assert_string_equal(got, "fdob:KN|2016:1 gdob:a|2016-05-03:1 gdob:a|2016-05-03:2 gdob:o|2016-01-01:3 pc:LS7 1AA|a:1");
	struct ids found = {0};
	assert_int_equal(txq_exec(f->st, candidates_run, &found), STORE_OK);
	assert_int_equal(found.n, 1);
	assert_int_equal(found.id[0], 1);

	/* Merging on: 1 into 3. Undoing the first merge now is refused, nothing changes. */
	int64_t later = merge(f, 3, 1);
	query(f->path, SNAPSHOT, after, sizeof after);
	assert_int_equal(unmerge(f, id), LINKREVIEW_LATER);
	query(f->path, SNAPSHOT, got, sizeof got);
	assert_string_equal(got, after);
	assert_int_equal(unmerge(f, later), LINKREVIEW_DONE);
	assert_int_equal(unmerge(f, id), LINKREVIEW_DONE);
	query(f->path, SNAPSHOT, after, sizeof after);
	assert_string_equal(after, before); /* exactly as before both merges */
	assert_int_equal(unmerge(f, id), LINKREVIEW_DECIDED);
	assert_int_equal(unmerge(f, 999), LINKREVIEW_NOT_FOUND);
	query(f->path, "SELECT group_concat(undone_by) FROM person_merge", got, sizeof got);
	assert_string_equal(got, "tester,tester");
}

static int keys_run(store_conn *c, void *arg)
{
	const char *const *a = arg; /* person, record, keys */
	return store_block_keys_add(c, (int64_t)strtoll(a[0], NULL, 10), (int64_t)strtoll(a[1], NULL, 10), a[2]);
}

static void add_keys(struct fx *f, const char *person, const char *record, const char *keys)
{
	const char *a[3] = {person, record, keys};
	assert_int_equal(txq_exec(f->st, keys_run, (void *)a), STORE_OK);
}

/* A person's blocking key is written once, by the first record that brings it (issue 17), except while persons
 * stand merged into it: a merge's undo takes the merged records' keys back, and the kept person must keep a key
 * its own later record brought. A key from the person's own row (record 0) is not one a merge moves. */
static void keys_once_per_person(void **state)
{
	struct fx *f = *state;
	char got[4096];
	seed(f->path);
	/* 1 holds gdob from record 10: record 12 adds only the NHS key. */
	add_keys(f, "1", "12", "[\"gdob:a|2016-05-03\",\"nhs:9434765919\"]");
	query(f->path, "SELECT group_concat(key || ' ' || source_record_id, ';') FROM (SELECT * FROM person_block_key "
		       "WHERE person_id = 1 ORDER BY key, source_record_id)", got, sizeof got);
	assert_string_equal(got, "gdob:a|2016-05-03 10;nhs:9434765919 12");
	/* 2 holds gdob only from its own row (0): record 22 writes it. */
	add_keys(f, "2", "22", "[\"gdob:a|2016-05-03\"]");
	query(f->path, "SELECT group_concat(source_record_id) FROM (SELECT * FROM person_block_key WHERE person_id = 2 "
		       "AND key = 'gdob:a|2016-05-03' ORDER BY source_record_id)", got, sizeof got);
	assert_string_equal(got, "0,22");
	/* 3 merged into 1: 1 now holds 3's gdob:o through record 30; 1's own record 13 writes it again, so that
	 * after the undo 1 is still found by it. */
	int64_t id = merge(f, 1, 3);
	add_keys(f, "1", "13", "[\"gdob:o|2016-01-01\"]");
	assert_int_equal(unmerge(f, id), LINKREVIEW_DONE);
	query(f->path, "SELECT group_concat(person_id || ' ' || source_record_id, ';') FROM (SELECT * FROM person_block_key "
		       "WHERE key = 'gdob:o|2016-01-01' ORDER BY person_id)", got, sizeof got);
	assert_string_equal(got, "1 13;3 30");
}

/* A sealed person is no candidate in blocking, whatever keys it holds. */
static void sealed_is_no_candidate(void **state)
{
	struct fx *f = *state;
	seed(f->path);
	exec(f->path, "INSERT INTO sealed_record(person_id, basis, sealed_at, sealed_by) VALUES (1, 'adoption', 'x', 'x')");
	struct ids found = {0};
	assert_int_equal(txq_exec(f->st, candidates_run, &found), STORE_OK);
	assert_int_equal(found.n, 1);
	assert_int_equal(found.id[0], 2);
}

/* The unmerge rule, decided in the service (linkreview_unmerge_check) from plain facts, not in SQL. */
static void unmerge_rule_is_the_services(void **state)
{
	(void)state;
	struct store_merge m = {.id = 5, .kept_id = 1, .merged_id = 2};
	struct store_merge others[4] = {
		{.id = 3, .kept_id = 1, .merged_id = 9},                        /* earlier: no matter */
		{.id = 5, .kept_id = 1, .merged_id = 2},                        /* itself */
		{.id = 7, .kept_id = 8, .merged_id = 9},                        /* later, other people */
		{.id = 8, .kept_id = 3, .merged_id = 2, .undone_at = "2026-12-01T10:00:00Z"}, /* later, undone */
	};
	assert_int_equal(linkreview_unmerge_check(&m, others, 4), LINKREVIEW_DONE);
	assert_int_equal(linkreview_unmerge_check(&m, NULL, 0), LINKREVIEW_DONE);
	/* A later merge standing that took either person, kept or merged, blocks the undo. */
	const int64_t later_pairs[4][2] = {{1, 6}, {6, 1}, {2, 6}, {6, 2}};
	for (int i = 0; i < 4; i++) {
		struct store_merge later = {.id = 9, .kept_id = later_pairs[i][0], .merged_id = later_pairs[i][1]};
		assert_int_equal(linkreview_unmerge_check(&m, &later, 1), LINKREVIEW_LATER);
	}
	/* Undone before: decided, whatever came after. */
	struct store_merge undone = m;
	snprintf(undone.undone_at, sizeof undone.undone_at, "2026-12-02T09:00:00Z");
	struct store_merge later = {.id = 9, .kept_id = 1, .merged_id = 6};
	assert_int_equal(linkreview_unmerge_check(&undone, &later, 1), LINKREVIEW_DECIDED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(merge_moves_then_undo_restores, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(sealed_is_no_candidate, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(keys_once_per_person, fx_setup, fx_teardown),
		cmocka_unit_test(unmerge_rule_is_the_services),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
