/*
 * Unit tests for the seal through merges (service/access.c, access_seal): every record standing merged into
 * the sealed child, through merges of merges at any depth, is sealed with it and audited record.seal with the
 * basis and the record it stands merged into; past ACCESS_SEAL_MERGED_MAX records nothing is sealed, the
 * caller is told and the refusal audited; a merge undone after the seal leaves the record sealed; link review never joins a sealed
 * record; and a record sealed so answers as sealed to every role through the access_* functions the pages and
 * the API decide with. On a real database (fixture.h): SQLite here, PostgreSQL under make unit-pg.
 * Merges are made with store_person_merge directly (link review refuses to merge a merged record, so a chain
 * is built from the bottom up, as reviews over the years would build it); the store also lets merges form a
 * cycle and a merge be undone and made again, and the walk seals each record once. A store failure part way
 * leaves nothing sealed and nothing audited (SQLite only: a trigger the test makes is the failure). A record that
 * itself stands merged into another is refused, naming the other, with nothing written.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service/access.h"
#include "service/linkreview.h"
#include "service/service_int.h"
#include "service/users.h"
#include "store/store.h"
#include "fixture.h"

/* 2026-01-01T00:00:00Z: the decisions' clock, injected (no test reads today's date). */
#define NOW 1767225600

static int setup(void **state)
{
	if (fx_setup(state))
		return -1;
	struct fx *f = *state;
	if (!(f->c = store_conn_get(f->st)) || store_begin(f->c) != STORE_OK)
		return -1;
	static const char *const agencies[][2] = {{"social_care", "Children's social care"}, {"police", "Police"},
						  {"health", "Health"}, {"education", "Education"},
						  {"housing", "Housing"}};
	for (size_t i = 0; i < sizeof agencies / sizeof agencies[0]; i++)
		if (store_agency_upsert(f->c, agencies[i][0], agencies[i][1]) != STORE_OK)
			return -1;
	return store_commit(f->c) == STORE_OK ? 0 : -1;
}

static void begin(struct fx *f)
{
	assert_int_equal(store_begin(f->c), STORE_OK);
}

static void commit(struct fx *f)
{
	assert_int_equal(store_commit(f->c), STORE_OK);
}

static int64_t add_child(store_conn *c, int n)
{
	struct store_person *p = calloc(1, sizeof *p);
	int64_t id = 0;
	assert_non_null(p);
	snprintf(p->given_name, sizeof p->given_name, "Child%d", n);
	snprintf(p->family_name, sizeof p->family_name, "Merged");
	snprintf(p->dob, sizeof p->dob, "2016-05-03");
	assert_int_equal(store_person_insert(c, p, &id), STORE_OK);
	assert_true(id > 0);
	free(p);
	return id;
}

/* One record from social care about the person (so a review task has a record to name). */
static int64_t add_record(store_conn *c, int64_t person_id)
{
	static int refs;
	char ref[32];
	struct store_source_record r;
	int64_t id = 0;
	snprintf(ref, sizeof ref, "SEAL-%d", ++refs);
	memset(&r, 0, sizeof r);
	snprintf(r.agency, sizeof r.agency, "social_care");
	r.source_ref = ref;
	r.payload = "{}";
	r.person_id = person_id;
	r.link_score = 1.0;
	r.link_rule = "record";
	assert_int_equal(store_source_insert(c, &r, &id), STORE_OK);
	return id;
}

static int64_t merge(store_conn *c, int64_t kept, int64_t merged)
{
	int64_t id = 0;
	assert_int_equal(store_person_merge(c, kept, merged, "tester", "same child", &id), STORE_OK);
	assert_true(id > 0);
	return id;
}

static bool sealed(struct fx *f, int64_t id)
{
	bool s = false;
	assert_int_equal(access_sealed(f->st, id, &s), STORE_OK);
	return s;
}

/* The record.seal entries about one record: how many, and the newest's detail. */
struct seal_audit {
	int n;
	char detail[256];
};

static int seal_audit_row(const struct store_audit *a, void *ctx)
{
	struct seal_audit *s = ctx;
	if (s->n++ == 0)
		snprintf(s->detail, sizeof s->detail, "%s", a->detail ? a->detail : "");
	return 0;
}

static struct seal_audit audit_of(struct fx *f, const char *action, int64_t child)
{
	struct seal_audit s = {0};
	const struct store_audit_query q = {.action = action, .child_id = child};
	store_conn *c = store_conn_get(f->st);
	assert_non_null(c);
	assert_int_equal(store_audit_list(c, &q, seal_audit_row, &s), STORE_OK);
	store_conn_put(f->st, c);
	return s;
}

/* The child sealed (C): every record.seal of a record merged into it names C as well as the next record up. */
static int64_t sealed_with;

static void expect_sealed_via(struct fx *f, int64_t id, const char *basis, int64_t via)
{
	char want[160];
	assert_true(sealed(f, id));
	struct seal_audit s = audit_of(f, "record.seal", id);
	assert_int_equal(s.n, 1);
	if (via)
		snprintf(want, sizeof want, "%s; merged into child:%lld; sealed with child:%lld", basis, (long long)via,
			 (long long)sealed_with);
	else
		snprintf(want, sizeof want, "%s", basis);
	assert_string_equal(s.detail, want);
}

static int seal(struct fx *f, int64_t child, const char *basis, bool *already)
{
	bool found = false;
	int merged = 0;
	int64_t kept_by = -1;
	begin(f);
	assert_int_equal(access_seal(f->c, "cli", child, basis, &found, already, &merged, &kept_by), STORE_OK);
	commit(f);
	assert_true(found);
	assert_int_equal(kept_by, 0);
	sealed_with = child;
	return merged;
}

/* ---- C <- B <- A ---- */

static void a_chain_of_two_merges_is_sealed_whole(void **state)
{
	struct fx *f = *state;
	begin(f);
	int64_t c = add_child(f->c, 0), b = add_child(f->c, 1), a = add_child(f->c, 2), other = add_child(f->c, 3);
	merge(f->c, b, a); /* A merged into B */
	merge(f->c, c, b); /* then B into C */
	commit(f);
	bool already = true;
	assert_int_equal(seal(f, c, "adoption", &already), 2);
	assert_false(already);
	expect_sealed_via(f, c, "adoption", 0);
	expect_sealed_via(f, b, "adoption", c);
	expect_sealed_via(f, a, "adoption", b);
	assert_false(sealed(f, other)); /* a record merged into no one is left alone */
	assert_int_equal(audit_of(f, "record.seal", other).n, 0);

	/* Again: nothing new to seal, nothing audited twice. */
	int64_t before = fx_audit_count(f->st);
	assert_int_equal(seal(f, c, "adoption", &already), 0);
	assert_true(already);
	assert_int_equal(fx_audit_count(f->st), before);
}

/* ---- 17 merges deep, and a child with more merged records than one read of old gave ---- */

#define DEEP 17

static void a_chain_seventeen_deep_is_sealed_to_its_end(void **state)
{
	struct fx *f = *state;
	int64_t id[DEEP + 1];
	begin(f);
	for (int i = 0; i <= DEEP; i++)
		id[i] = add_child(f->c, i);
	for (int i = DEEP; i > 0; i--)
		merge(f->c, id[i - 1], id[i]); /* the deepest first: id[17] into id[16], ... id[1] into id[0] */
	commit(f);
	bool already = true;
	assert_int_equal(seal(f, id[0], "protection", &already), DEEP);
	expect_sealed_via(f, id[0], "protection", 0);
	for (int i = 1; i <= DEEP; i++)
		expect_sealed_via(f, id[i], "protection", id[i - 1]);
}

#define WIDE 70 /* more than the 64 records merged into one that the walk once kept */

static void many_records_merged_into_one_are_all_sealed(void **state)
{
	struct fx *f = *state;
	int64_t kept, id[WIDE];
	begin(f);
	kept = add_child(f->c, 0);
	for (int i = 0; i < WIDE; i++)
		merge(f->c, kept, id[i] = add_child(f->c, i + 1));
	commit(f);
	bool already = true;
	assert_int_equal(seal(f, kept, "court_order", &already), WIDE);
	for (int i = 0; i < WIDE; i++)
		expect_sealed_via(f, id[i], "court_order", kept);
}

/* Past the bound: nothing sealed at all, not even the child, and the caller told. */
static void past_the_bound_nothing_is_sealed(void **state)
{
	struct fx *f = *state;
	int64_t kept, first = 0, last = 0, last_merge = 0;
	begin(f);
	kept = add_child(f->c, 0);
	for (int i = 0; i < ACCESS_SEAL_MERGED_MAX + 1; i++) {
		last = add_child(f->c, i + 1);
		if (!first)
			first = last;
		last_merge = merge(f->c, kept, last);
	}
	commit(f);
	int64_t before = fx_audit_count(f->st);
	bool found = false, already = true;
	int merged = 0;
	int64_t kept_by = -1;
	begin(f);
	assert_int_equal(access_seal(f->c, "cli", kept, "adoption", &found, &already, &merged, &kept_by), STORE_OK);
	commit(f);
	assert_true(found);
	assert_false(already);
	assert_int_equal(merged, ACCESS_SEAL_TOO_MANY);
	assert_int_equal(kept_by, 0);
	assert_false(sealed(f, kept));
	assert_false(sealed(f, first));
	assert_false(sealed(f, last));
	/* The refusal alone is audited (a seal asked for and not done), naming the child; no record.seal. */
	assert_int_equal(fx_audit_count(f->st), before + 1);
	assert_int_equal(audit_of(f, "record.seal", kept).n, 0);
	struct seal_audit refused = audit_of(f, "record.seal_refused", kept);
	assert_int_equal(refused.n, 1);
	assert_string_equal(refused.detail, "adoption; nothing sealed: more than 1000 records stand merged into it");

	/* One merge undone brings it to the bound: then the whole set is sealed. */
	bool done = false;
	begin(f);
	assert_int_equal(store_person_unmerge(f->c, last_merge, "tester", "not the same", &done), STORE_OK);
	commit(f);
	assert_true(done);
	assert_int_equal(seal(f, kept, "adoption", &already), ACCESS_SEAL_MERGED_MAX);
	assert_true(sealed(f, kept));
	expect_sealed_via(f, first, "adoption", kept);
	assert_false(sealed(f, last)); /* its merge undone before the seal: its own record again */
}

/* ---- a cycle of merges, and a merge undone and made again (the store accepts both) ---- */

static void a_cycle_of_merges_is_sealed_once_each(void **state)
{
	struct fx *f = *state;
	begin(f);
	int64_t a = add_child(f->c, 0), b = add_child(f->c, 1);
	merge(f->c, a, b); /* B into A */
	merge(f->c, b, a); /* then A into B, while B<-A stands: the store does not refuse it */
	commit(f);
	int64_t before = fx_audit_count(f->st);
	bool already = true;
	/* A stands merged into B, but B is in A's own set: sealing A seals B, so it is not refused. */
	assert_int_equal(seal(f, a, "adoption", &already), 1);
	assert_false(already);
	expect_sealed_via(f, a, "adoption", 0);
	expect_sealed_via(f, b, "adoption", a);
	assert_int_equal(fx_audit_count(f->st), before + 2); /* two record.seal entries, no more */
	assert_int_equal(seal(f, b, "adoption", &already), 0); /* and from B's side: sealed already, once */
	assert_true(already);
	assert_int_equal(fx_audit_count(f->st), before + 2);
}

static void a_merge_undone_and_made_again_is_counted_once(void **state)
{
	struct fx *f = *state;
	begin(f);
	int64_t c = add_child(f->c, 0), a = add_child(f->c, 1);
	int64_t first = merge(f->c, c, a);
	bool done = false;
	assert_int_equal(store_person_unmerge(f->c, first, "tester", "not the same", &done), STORE_OK);
	assert_true(done);
	merge(f->c, c, a); /* the same merge made again: two merges of A into C, one undone */
	commit(f);
	int64_t before = fx_audit_count(f->st);
	bool already = true;
	assert_int_equal(seal(f, c, "protection", &already), 1);
	expect_sealed_via(f, c, "protection", 0);
	expect_sealed_via(f, a, "protection", c);
	assert_int_equal(fx_audit_count(f->st), before + 2);
}

/* ---- a record standing merged into another: refused, naming it, nothing written ---- */

static void a_record_merged_into_another_is_refused_naming_it(void **state)
{
	struct fx *f = *state;
	begin(f);
	int64_t k = add_child(f->c, 0), m = add_child(f->c, 1), n = add_child(f->c, 2);
	merge(f->c, m, n); /* N into M */
	merge(f->c, k, m); /* then M into K: K holds M's records (and N's) */
	commit(f);
	int64_t before = fx_audit_count(f->st);
	bool found = false, already = true;
	int merged = -5;
	int64_t kept_by = 0;
	begin(f);
	assert_int_equal(access_seal(f->c, "cli", m, "adoption", &found, &already, &merged, &kept_by), STORE_OK);
	commit(f);
	assert_true(found);
	assert_false(already);
	assert_int_equal(merged, 0);
	assert_int_equal(kept_by, k);
	assert_false(sealed(f, k));
	assert_false(sealed(f, m));
	assert_false(sealed(f, n));
	assert_int_equal(fx_audit_count(f->st), before);

	/* Sealing K, as the operator is told, seals all three. */
	assert_int_equal(seal(f, k, "adoption", &already), 2);
	expect_sealed_via(f, m, "adoption", k);
	expect_sealed_via(f, n, "adoption", m);
}

/* ---- a failure part way: nothing sealed, nothing audited ---- */

static void a_failure_part_way_seals_nothing(void **state)
{
	struct fx *f = *state;
	if (strcmp(fx_engine(), "sqlite") != 0) {
		/* The failure is made by a trigger in SQLite's syntax (PostgreSQL's needs a function); the
		 * all-or-nothing is the transaction's, the same code on both. */
		fprintf(stderr, "a_failure_part_way_seals_nothing: skipped on PostgreSQL: the failure is made by a "
				"SQLite trigger\n");
		skip();
	}
	begin(f);
	int64_t c = add_child(f->c, 0), b = add_child(f->c, 1), a = add_child(f->c, 2);
	merge(f->c, b, a);
	merge(f->c, c, b);
	commit(f);
	/* The last record of the set (A, reached through B) fails to seal: C and B are sealed and audited before. */
	char sql[256];
	snprintf(sql, sizeof sql,
		 "CREATE TRIGGER seal_fails BEFORE INSERT ON sealed_record WHEN NEW.person_id = %lld "
		 "BEGIN SELECT RAISE(ABORT, 'x'); END",
		 (long long)a);
	assert_true(fx_outsider_sql(f, sql, NULL));
	int64_t before = fx_audit_count(f->st);
	bool found = false, already = true;
	int merged = 0;
	int64_t kept_by = -1;
	begin(f);
	assert_int_not_equal(access_seal(f->c, "cli", c, "adoption", &found, &already, &merged, &kept_by), STORE_OK);
	assert_int_equal(store_rollback(f->c), STORE_OK); /* as txq_exec does on an error */
	assert_false(sealed(f, c));
	assert_false(sealed(f, b));
	assert_false(sealed(f, a));
	assert_int_equal(fx_audit_count(f->st), before);
	assert_int_equal(audit_of(f, "record.seal", c).n, 0);
}

/* ---- a merge undone after the seal ---- */

static void an_undone_merge_leaves_the_record_sealed(void **state)
{
	struct fx *f = *state;
	begin(f);
	int64_t c = add_child(f->c, 0), b = add_child(f->c, 1), a = add_child(f->c, 2);
	int64_t ab = merge(f->c, b, a), bc = merge(f->c, c, b);
	commit(f);
	bool already = false;
	assert_int_equal(seal(f, c, "protection", &already), 2);

	/* The service refuses to undo a merge of sealed records: no one separates a sealed identity. */
	enum linkreview_result res = LINKREVIEW_DONE;
	begin(f);
	assert_int_equal(linkreview_unmerge(f->c, "user:1:sw", "social_care", bc, "not the same", &res), STORE_OK);
	commit(f);
	assert_int_equal(res, LINKREVIEW_NOT_FOUND);
	int64_t kept = 0;
	store_conn *rc = store_conn_get(f->st);
	assert_non_null(rc);
	assert_int_equal(store_person_merged_into(rc, b, &kept), STORE_OK);
	store_conn_put(f->st, rc);
	assert_int_equal(kept, c);

	/* Undone behind the service's back (the store puts the rows back): each record stays sealed. */
	bool done = false;
	begin(f);
	assert_int_equal(store_person_unmerge(f->c, bc, "tester", "undo", &done), STORE_OK);
	assert_true(done);
	assert_int_equal(store_person_unmerge(f->c, ab, "tester", "undo", &done), STORE_OK);
	assert_true(done);
	commit(f);
	assert_true(sealed(f, a));
	assert_true(sealed(f, b));
	assert_true(sealed(f, c));
	enum access_level level = ACCESS_FULL;
	char basis[ACCESS_BASIS_MAX];
	const struct access_person sw = {1, "sw", "social_care", "social_worker"};
	assert_int_equal(access_decide(f->st, &sw, a, NOW, &level, basis), STORE_OK);
	assert_int_equal(level, ACCESS_HIDDEN);
	assert_string_equal(basis, "sealed record");
}

/* ---- link review never joins a sealed record ---- */

static void link_review_never_merges_into_a_sealed_record(void **state)
{
	struct fx *f = *state;
	begin(f);
	int64_t c = add_child(f->c, 0), a = add_child(f->c, 1), d = add_child(f->c, 2), e = add_child(f->c, 3);
	int64_t rec_d = add_record(f->c, d), rec_e = add_record(f->c, e);
	int64_t ca = merge(f->c, c, a);
	int64_t task[2] = {0, 0};
	struct store_link_review r;
	memset(&r, 0, sizeof r);
	r.explanation = "{}";
	r.weight = 9;
	r.probability = 0.9;
	r.source_record_id = rec_d; /* D's record may be the kept child C */
	r.person_id = d;
	r.candidate_id = c;
	assert_int_equal(store_link_review_insert(f->c, &r, &task[0]), STORE_OK);
	r.source_record_id = rec_e; /* E's record may be A, standing merged into C */
	r.person_id = e;
	r.candidate_id = a;
	assert_int_equal(store_link_review_insert(f->c, &r, &task[1]), STORE_OK);
	commit(f);
	bool already = false;
	assert_int_equal(seal(f, c, "adoption", &already), 1);
	int64_t merges = audit_of(f, "person.merge", 0).n;
	char want[96];
	for (int i = 0; i < 2; i++) {
		enum linkreview_result res = LINKREVIEW_DONE;
		int64_t merge_id = -1;
		int refused = audit_of(f, "access.refused", 0).n;
		begin(f);
		assert_int_equal(linkreview_decide(f->c, "user:1:sw", "social_care", task[i], true, "same", &res, &merge_id), STORE_OK);
		commit(f);
		assert_int_equal(res, LINKREVIEW_NOT_FOUND); /* as no task: a sealed identity is named by none */
		assert_int_equal(merge_id, 0);
		/* and refused as a write is, by the decision itself (r-ntk31): one entry on the task, naming no child */
		struct seal_audit s = audit_of(f, "access.refused", 0);
		assert_int_equal(s.n, refused + 1);
		snprintf(want, sizeof want, "link_review.decide refused: link review task %lld", (long long)task[i]);
		assert_string_equal(s.detail, want);
	}
	assert_int_equal(audit_of(f, "person.merge", 0).n, merges);
	/* Undoing the merge that made A part of the sealed C: refused as no merge, one entry on the merge. */
	enum linkreview_result undo = LINKREVIEW_DONE;
	int refused = audit_of(f, "access.refused", 0).n;
	begin(f);
	assert_int_equal(linkreview_unmerge(f->c, "user:1:sw", "social_care", ca, "two children", &undo), STORE_OK);
	commit(f);
	assert_int_equal(undo, LINKREVIEW_NOT_FOUND);
	struct seal_audit s = audit_of(f, "access.refused", 0);
	assert_int_equal(s.n, refused + 1);
	snprintf(want, sizeof want, "person.unmerge refused: merge %lld", (long long)ca);
	assert_string_equal(s.detail, want);
	assert_int_equal(audit_of(f, "person.unmerge", 0).n, 0);
	int64_t kept = -1;
	store_conn *rc = store_conn_get(f->st);
	assert_non_null(rc);
	assert_int_equal(store_person_merged_into(rc, d, &kept), STORE_OK);
	assert_int_equal(kept, 0);
	assert_int_equal(store_person_merged_into(rc, e, &kept), STORE_OK);
	assert_int_equal(kept, 0);
	store_conn_put(f->st, rc);
}

/* ---- answering as sealed, to every role ---- */

static bool role_may_break_glass(const char *role)
{
	return access_role_may(role, "social_care", ACT_BREAK_GLASS) || access_role_may(role, "police", ACT_BREAK_GLASS) ||
	       access_role_may(role, "health", ACT_BREAK_GLASS) || access_role_may(role, "education", ACT_BREAK_GLASS);
}

/* The first agency a role fits ("social_care, police" -> "social_care"). */
static void agency_of(const char *role, char out[STORE_CODE_MAX + 1])
{
	char all[128];
	users_agencies_of_role(role, all, sizeof all);
	size_t n = strcspn(all, ",");
	assert_true(n > 0 && n <= STORE_CODE_MAX);
	memcpy(out, all, n);
	out[n] = '\0';
}

static void each_merged_record_answers_as_sealed_to_every_role(void **state)
{
	struct fx *f = *state;
	int64_t rec[3];
	begin(f);
	rec[0] = add_child(f->c, 0);
	rec[1] = add_child(f->c, 1);
	rec[2] = add_child(f->c, 2);
	merge(f->c, rec[1], rec[2]);
	merge(f->c, rec[0], rec[1]);
	commit(f);

	/* One person of each role, each of an agency the role fits. */
	struct {
		int64_t id;
		char username[STORE_USER_MAX + 1], agency[STORE_CODE_MAX + 1];
		const char *role;
	} who[16];
	size_t n = 0;
	begin(f);
	for (const char *role; (role = users_role_at(n)) != NULL && n < sizeof who / sizeof who[0]; n++) {
		struct store_user u;
		memset(&u, 0, sizeof u);
		who[n].role = role;
		agency_of(role, who[n].agency);
		snprintf(who[n].username, sizeof who[n].username, "p.%s", role);
		snprintf(u.username, sizeof u.username, "%s", who[n].username);
		snprintf(u.agency, sizeof u.agency, "%s", who[n].agency);
		snprintf(u.role, sizeof u.role, "%s", role);
		snprintf(u.password_hash, sizeof u.password_hash, "$argon2id$x");
		memset(u.totp_sealed, 0x5a, sizeof u.totp_sealed);
		snprintf(u.full_name, sizeof u.full_name, "Person %zu", n);
		assert_int_equal(store_user_insert(f->c, &u, &who[n].id), STORE_OK);
	}
	commit(f);
	assert_true(n >= 11);

	/* Before the seal the merged records answer as any record does: no relationship, not hidden. */
	for (int r = 1; r < 3; r++) {
		enum access_level level = ACCESS_HIDDEN;
		char basis[ACCESS_BASIS_MAX];
		const struct access_person p = {who[0].id, who[0].username, who[0].agency, who[0].role};
		assert_int_equal(access_decide(f->st, &p, rec[r], NOW, &level, basis), STORE_OK);
		assert_int_equal(level, ACCESS_NONE);
	}

	bool already = false;
	assert_int_equal(seal(f, rec[0], "protection", &already), 2);

	for (int r = 0; r < 3; r++) {
		bool names = true;
		assert_true(sealed(f, rec[r]));
		begin(f);
		assert_int_equal(access_operator_names(f->c, rec[r], &names), STORE_OK);
		assert_false(names); /* the operator's lists leave it out */
		commit(f);

		for (size_t i = 0; i < n; i++) {
			const struct access_person p = {who[i].id, who[i].username, who[i].agency, who[i].role};
			bool dpo = access_sees_sealed(who[i].role);
			enum access_level level = ACCESS_NONE;
			char basis[ACCESS_BASIS_MAX];
			assert_int_equal(access_decide(f->st, &p, rec[r], NOW, &level, basis), STORE_OK);
			assert_int_equal(level, dpo ? ACCESS_FULL : ACCESS_HIDDEN);
			assert_string_equal(basis, dpo ? "sealed record: named role" : "sealed record");

			/* The same decision a page or the API takes on its own connection. */
			struct access_reader rd;
			bool exists = false;
			access_reader_person(&rd, who[i].id, who[i].username, who[i].agency, who[i].role);
			begin(f);
			assert_int_equal(access_decide_reader_exists(f->c, &rd, rec[r], NOW, &exists), STORE_OK);
			commit(f);
			assert_true(exists);
			assert_int_equal(rd.level, dpo ? ACCESS_FULL : ACCESS_HIDDEN);
			assert_false(rd.allocated_worker);

			/* Nothing written to it by anyone but the named role. */
			const struct access_writer w = {who[i].id, who[i].username, who[i].agency, who[i].role};
			for (int what = 0; what < WRITE_COUNT; what++) {
				bool allowed = true;
				char wb[ACCESS_BASIS_MAX];
				begin(f);
				assert_int_equal(access_write_check(f->c, &w, rec[r], NOW, what, &allowed, wb), STORE_OK);
				commit(f);
				if (!dpo)
					assert_false(allowed);
			}

			/* Break-glass opens nothing: answered as an opening is, audited as empty, the DPO told. */
			if (!dpo && role_may_break_glass(who[i].role)) {
				bool refused = true;
				char until[STORE_TS_LEN + 1];
				char actor[64];
				snprintf(actor, sizeof actor, "user:%lld:%s", (long long)who[i].id, who[i].username);
				begin(f);
				assert_int_equal(access_break_glass(f->c, &p, actor, rec[r], "an emergency, in the test", NOW,
								    &refused, until),
						 STORE_OK);
				commit(f);
				assert_false(refused);
				assert_int_equal(strlen(until), STORE_TS_LEN);
				char bg_until[STORE_TS_LEN + 1] = "x";
				store_conn *c = store_conn_get(f->st);
				assert_non_null(c);
				assert_int_equal(store_break_glass_until(c, rec[r], who[i].id, "2026-01-01T00:00:01Z", bg_until),
						 STORE_OK);
				store_conn_put(f->st, c);
				assert_string_equal(bg_until, "");
				/* The page's first step (asking for the reason) finds no child either (past the day's
				 * allowance it is refused: nothing found all the same). */
				bool found = true;
				begin(f);
				assert_int_equal(access_break_glass_start(f->c, &p, actor, rec[r], NOW, &refused, &found),
						 STORE_OK);
				commit(f);
				assert_false(found);
			}
		}

		/* An agency's system (a token): no role, never a sealed record. */
		static const char *const systems[] = {"social_care", "police", "health", "education", "housing"};
		for (size_t k = 0; k < sizeof systems / sizeof systems[0]; k++) {
			struct access_reader rd;
			access_reader_system(&rd, systems[k]);
			begin(f);
			assert_int_equal(access_decide_reader(f->c, &rd, rec[r], NOW), STORE_OK);
			commit(f);
			assert_int_equal(rd.level, ACCESS_HIDDEN);
			const struct access_writer w = {0, "", systems[k], NULL};
			for (int what = 0; what < WRITE_COUNT; what++) {
				bool allowed = true;
				char wb[ACCESS_BASIS_MAX];
				begin(f);
				assert_int_equal(access_write_check(f->c, &w, rec[r], NOW, what, &allowed, wb), STORE_OK);
				commit(f);
				assert_false(allowed);
			}
		}
		assert_int_equal(audit_of(f, "break_glass.open", rec[r]).n, 0);
		assert_true(audit_of(f, "break_glass.empty", rec[r]).n >= 1);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(a_chain_of_two_merges_is_sealed_whole, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(a_chain_seventeen_deep_is_sealed_to_its_end, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(many_records_merged_into_one_are_all_sealed, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(past_the_bound_nothing_is_sealed, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(an_undone_merge_leaves_the_record_sealed, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(link_review_never_merges_into_a_sealed_record, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(each_merged_record_answers_as_sealed_to_every_role, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(a_cycle_of_merges_is_sealed_once_each, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(a_merge_undone_and_made_again_is_counted_once, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(a_failure_part_way_seals_nothing, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(a_record_merged_into_another_is_refused_naming_it, setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
