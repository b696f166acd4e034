/* Unit tests for the audit chain: the hash against vectors computed independently (Python's hashlib,
 * BLAKE2b keyed with "safeguard audit v1" over the length-prefixed encoding of service/audit.h), every
 * field counted, appends chained on a real SQLite file, legacy entries sealed, verification. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <sqlite3.h>

#include "fixture.h"
#include "service/audit.h"

static void hex(const uint8_t *b, char out[65])
{
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
}

static const struct store_audit first = {.id = 1, .at = "2026-11-24T10:00:00Z", .actor = "client:3:police",
					 .action = "child.read", .child_id = 42, .object = "child:42",
					 .detail = "limit 100"};
static const struct store_audit second = {.id = 2, .at = "2026-11-24T10:00:01Z", .actor = "cli",
					  .action = "token.create", .object = "client:4", .detail = ""};

static void known_vectors(void **state)
{
	uint8_t zero[32] = {0}, h1[32], h2[32];
	char x[65];
	audit_entry_hash(zero, &first, h1);
	hex(h1, x);
	assert_string_equal(x, "1b7164f4fcbf35a363714446671d78ce61f59103976011996c564421d0744ff8");
	audit_entry_hash(h1, &second, h2);
	hex(h2, x);
	assert_string_equal(x, "a866a78de58572e0454952f856302d6d0e33e745c9e7ffabadef49adb6848060");
}

/* Each field, and the previous hash, changes the hash; moving text between fields does too. */
static void every_field_counts(void **state)
{
	uint8_t zero[32] = {0}, base[32], h[32];
	audit_entry_hash(zero, &first, base);
	struct store_audit v[8];
	for (int i = 0; i < 8; i++)
		v[i] = first;
	v[0].id = 2;
	v[1].at = "2026-11-24T10:00:01Z";
	v[2].actor = "client:3:polic";
	v[3].action = "child.reads";
	v[4].child_id = 43;
	v[5].object = "child:4";
	v[6].detail = "limit 10";
	v[7].object = "child:42limit 100"; /* the same bytes, one field over */
	v[7].detail = "";
	for (int i = 0; i < 8; i++) {
		audit_entry_hash(zero, &v[i], h);
		assert_int_not_equal(memcmp(h, base, 32), 0);
	}
	uint8_t other_prev[32] = {1};
	audit_entry_hash(other_prev, &first, h);
	assert_int_not_equal(memcmp(h, base, 32), 0);
}

static int begin_commit(struct fx *f, int (*fn)(store_conn *c, void *arg), void *arg)
{
	store_conn *c = store_conn_get(f->st);
	assert_non_null(c);
	assert_int_equal(store_begin(c), STORE_OK);
	int rc = fn(c, arg);
	assert_int_equal(rc == STORE_OK ? store_commit(c) : store_rollback(c), STORE_OK);
	store_conn_put(f->st, c);
	return rc;
}

static int append_three(store_conn *c, void *arg)
{
	const char *actions[3] = {"child.read", "event.create", "alert.raise"};
	for (int i = 0; i < 3; i++) {
		struct store_audit e = {.actor = "cli", .action = actions[i], .object = "x", .detail = ""};
		int rc = audit_append(c, &e);
		if (rc)
			return rc;
	}
	return STORE_OK;
}

struct walk {
	int n;
	int64_t ids[8];
	uint8_t hashes[8][32];
	bool has_hash[8];
};

static int walk_row(const struct store_audit *a, void *ctx)
{
	struct walk *w = ctx;
	if (w->n < 8) {
		w->ids[w->n] = a->id;
		w->has_hash[w->n] = a->hash != NULL;
		if (a->hash)
			memcpy(w->hashes[w->n], a->hash, 32);
	}
	w->n++;
	return 0;
}

static int walk_run(store_conn *c, void *arg)
{
	return store_audit_each(c, walk_row, arg);
}

static void appends_are_chained(void **state)
{
	struct fx *f = *state;
	assert_int_equal(begin_commit(f, append_three, NULL), STORE_OK);
	assert_int_equal(begin_commit(f, append_three, NULL), STORE_OK);
	struct walk w = {0};
	assert_int_equal(begin_commit(f, walk_run, &w), STORE_OK);
	assert_int_equal(w.n, 6);
	for (int i = 0; i < 6; i++) {
		assert_int_equal(w.ids[i], i + 1);
		assert_true(w.has_hash[i]);
	}
	struct audit_verify_result r;
	assert_int_equal(audit_verify(f->st, NULL, &r), STORE_OK);
	assert_int_equal(r.verified, 6);
	assert_int_equal(r.first_bad_id, 0);
}

/* Entries written before schema 5 have no hash; sealing gives them the chain's hashes in order, and the
 * chain then goes on from them. */
static int append_legacy(store_conn *c, void *arg)
{
	for (int i = 1; i <= 3; i++) {
		struct store_audit e = {.id = i, .at = "2025-01-01T00:00:00Z", .actor = "cli", .action = "old",
					.object = "x", .detail = ""};
		int rc = store_audit_append(c, &e); /* hash NULL: as before the chain */
		if (rc)
			return rc;
	}
	return STORE_OK;
}

static void legacy_entries_are_sealed(void **state)
{
	struct fx *f = *state;
	int64_t sealed = -1;
	assert_int_equal(begin_commit(f, append_legacy, NULL), STORE_OK);
	struct audit_verify_result r;
	assert_int_equal(audit_verify(f->st, NULL, &r), STORE_OK);
	assert_int_equal(r.first_bad_id, 1); /* unsealed: not yet part of the chain */
	assert_int_equal(audit_seal_legacy(f->st, &sealed), STORE_OK);
	assert_int_equal(sealed, 3);
	assert_int_equal(audit_seal_legacy(f->st, &sealed), STORE_OK);
	assert_int_equal(sealed, 0);
	assert_int_equal(begin_commit(f, append_three, NULL), STORE_OK);
	assert_int_equal(audit_verify(f->st, NULL, &r), STORE_OK);
	assert_int_equal(r.first_bad_id, 0);
	assert_int_equal(r.verified, 6);

	/* The first sealed hash is the chain's from zero. */
	struct walk w = {0};
	uint8_t zero[32] = {0}, want[32];
	struct store_audit e = {.id = 1, .at = "2025-01-01T00:00:00Z", .actor = "cli", .action = "old",
				.object = "x", .detail = ""};
	audit_entry_hash(zero, &e, want);
	assert_int_equal(begin_commit(f, walk_run, &w), STORE_OK);
	assert_memory_equal(w.hashes[0], want, 32);
}

/* ---- signed checkpoints ---- */

struct signing {
	const uint8_t *key;
	int64_t id;
};

static int sign_run(store_conn *c, void *arg)
{
	struct signing *s = arg;
	return audit_checkpoint(c, s->key, &s->id);
}

static void checkpoints_sign_the_newest_entry(void **state)
{
	struct fx *f = *state;
	uint8_t pk[32], sk[64], other_pk[32], other_sk[64];
	crypto_sign_keypair(pk, sk);
	crypto_sign_keypair(other_pk, other_sk);
	struct signing s = {sk, -1};
	assert_int_equal(begin_commit(f, sign_run, &s), STORE_OK);
	assert_int_equal(s.id, 0); /* an empty audit: nothing to sign */
	assert_int_equal(begin_commit(f, append_three, NULL), STORE_OK);
	assert_int_equal(begin_commit(f, sign_run, &s), STORE_OK);
	assert_int_equal(s.id, 3);
	assert_int_equal(begin_commit(f, sign_run, &s), STORE_OK);
	assert_int_equal(s.id, 0); /* nothing new since */
	assert_int_equal(begin_commit(f, append_three, NULL), STORE_OK);
	assert_int_equal(begin_commit(f, sign_run, &s), STORE_OK);
	assert_int_equal(s.id, 6);

	struct audit_verify_result r;
	assert_int_equal(audit_verify(f->st, pk, &r), STORE_OK);
	assert_int_equal(r.first_bad_id, 0);
	assert_int_equal(r.verified, 6);
	assert_int_equal(r.checkpoints, 2);
	assert_int_equal(audit_verify(f->st, NULL, &r), STORE_OK); /* each against its own key */
	assert_int_equal(r.checkpoints, 2);
	assert_int_equal(audit_verify(f->st, other_pk, &r), STORE_OK); /* not the server's key */
	assert_int_equal(r.first_bad_id, 3);
	assert_non_null(strstr(r.why, "another key"));
}

/* The attack the chain alone cannot show: the whole chain recomputed after an edit. The checkpoint signed
 * the old chain, so it no longer matches. */
static void a_rewritten_chain_fails_its_checkpoint(void **state)
{
	fx_sqlite_only();
	struct fx *f = *state;
	uint8_t pk[32], sk[64];
	crypto_sign_keypair(pk, sk);
	struct signing s = {sk, 0};
	assert_int_equal(begin_commit(f, append_three, NULL), STORE_OK);
	assert_int_equal(begin_commit(f, append_three, NULL), STORE_OK);
	assert_int_equal(begin_commit(f, sign_run, &s), STORE_OK);
	assert_int_equal(begin_commit(f, append_three, NULL), STORE_OK);

	/* Entry 2 edited and every hash recomputed, around the triggers. */
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "DROP TRIGGER audit_no_update; UPDATE audit SET detail = 'edited' WHERE id = 2",
				      NULL, NULL, NULL), SQLITE_OK);
	uint8_t prev[32] = {0};
	for (int id = 1; id <= 9; id++) {
		sqlite3_stmt *q = NULL;
		assert_int_equal(sqlite3_prepare_v2(db, "SELECT at, actor, action, coalesce(child_id, 0), object, detail "
							"FROM audit WHERE id = ?1", -1, &q, NULL), SQLITE_OK);
		sqlite3_bind_int(q, 1, id);
		assert_int_equal(sqlite3_step(q), SQLITE_ROW);
		struct store_audit e = {.id = id, .at = (const char *)sqlite3_column_text(q, 0),
					.actor = (const char *)sqlite3_column_text(q, 1),
					.action = (const char *)sqlite3_column_text(q, 2),
					.child_id = sqlite3_column_int64(q, 3),
					.object = (const char *)sqlite3_column_text(q, 4),
					.detail = (const char *)sqlite3_column_text(q, 5)};
		uint8_t h[32];
		audit_entry_hash(prev, &e, h);
		sqlite3_finalize(q);
		assert_int_equal(sqlite3_prepare_v2(db, "UPDATE audit SET hash = ?2 WHERE id = ?1", -1, &q, NULL), SQLITE_OK);
		sqlite3_bind_int(q, 1, id);
		sqlite3_bind_blob(q, 2, h, 32, SQLITE_TRANSIENT);
		assert_int_equal(sqlite3_step(q), SQLITE_DONE);
		sqlite3_finalize(q);
		memcpy(prev, h, 32);
	}
	struct audit_verify_result r;
	assert_int_equal(audit_verify(f->st, pk, &r), STORE_OK);
	assert_int_equal(r.first_bad_id, 6); /* the chain holds up to the checkpoint, which it contradicts */
	assert_non_null(strstr(r.why, "rewritten"));

	/* Cut short before the checkpoint instead: the checkpoint signed entries that are gone. */
	assert_int_equal(sqlite3_exec(db, "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id >= 5", NULL, NULL,
				      NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(audit_verify(f->st, pk, &r), STORE_OK);
	assert_int_equal(r.first_bad_id, 6);
	assert_non_null(strstr(r.why, "deleted"));
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(known_vectors),
		cmocka_unit_test(every_field_counts),
		cmocka_unit_test_setup_teardown(appends_are_chained, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(legacy_entries_are_sealed, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(checkpoints_sign_the_newest_entry, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(a_rewritten_chain_fails_its_checkpoint, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
