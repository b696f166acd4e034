/*
 * PostgreSQL's connections below the store (store/drv_pg.c), as store_open makes them; on PostgreSQL only
 * (SAFEGUARD_TEST_DB=postgresql://..., make unit-pg), skipped elsewhere:
 *  - the check before an idle connection is reused (sql.h usable): none of a round trip for a connection idle
 *    a moment, one (an empty query) after 30 s idle, and a connection the server ended while it was idle
 *    (pg_terminate_backend) is found unusable with no round trip;
 *  - the fence: a primary on an older timeline than the fence file holds for its cluster is refused with the
 *    reason (an old primary back after a failover), one on the same timeline is taken, and a file that says
 *    less is raised to what the server says.
 *  - what a column reads as: an empty text is not NULL, a NULL is, booleans 1/0, bytea its bytes; a cached
 *    statement prepared again has nothing bound from its last use.
 *  - a write's answer waited for or not as the statement table marks it (SQL_DEFERRED, SQL_DEFERRED_ROWS).
 *  - a read marked SQL_CUSTOM_PLAN planned with its values at every execution, never turned to a generic plan;
 *    one marked SQL_INDEX_ORDER planned with enable_sort off, in one round trip, and the setting back after it.
 *  - a batch's access facts (S_ACCESS_FACTS_MANY) planned generically from the sixth execution, as any
 *    statement whose plans with its values are no cheaper.
 *  - a reader's snapshot's COMMIT, not waited for, ends the transaction on the server at once and leaves the
 *    session idle; a session ended while its answer is unread is found unusable; no snapshot begins inside a
 *    transaction.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/sql.h"

static const char *pg_url(void)
{
	const char *u = getenv("SAFEGUARD_TEST_DB");
	return u && strncmp(u, "postgres", 8) == 0 ? u : NULL;
}

/* One value from a query on a connection of the test's own. */
static void ask(const char *query, char *out, size_t outsz)
{
	PGconn *c = PQconnectdb(pg_url());
	assert_int_equal(PQstatus(c), CONNECTION_OK);
	PGresult *r = PQexec(c, query);
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	snprintf(out, outsz, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	PQfinish(c);
}

/* A connection as store_open makes one, with no fence file. */
static sql_db *open_db(void)
{
	sql_pg_fence_file(NULL);
	char err[512] = "";
	sql_db *db = sql_pg_open(pg_url(), err, sizeof err);
	if (!db)
		fail_msg("open: %s", err);
	return db;
}

/* Ends the session of backend pid from a connection of the test's own; pg_terminate_backend's timeout waits
 * until it has exited, so its goodbye is on the socket when this returns. */
static void terminate(int64_t pid)
{
	char q[128], ended[8];
	snprintf(q, sizeof q, "SELECT pg_terminate_backend(%lld, 5000)", (long long)pid);
	ask(q, ended, sizeof ended);
	assert_string_equal(ended, "t");
}

static void idle_connection_checked_before_reuse(void **state)
{
	(void)state;
	if (!pg_url())
		skip();
	sql_db *db = open_db();
	assert_non_null(db->drv->usable);
	uint64_t trips = db->round_trips;
	assert_true(db->drv->usable(db, 0.5));
	assert_int_equal(db->round_trips, trips); /* idle a moment: no round trip */
	assert_true(db->drv->usable(db, 31));
	assert_int_equal(db->round_trips, trips + 1); /* idle long: one empty query */

	sql_stmt *s = sql_prepare(db, 0, "SELECT pg_backend_pid()");
	assert_non_null(s);
	assert_int_equal(sql_step(s), SQL_ROW);
	int64_t pid = sql_column_int64(s, 0);
	sql_reset(s);
	terminate(pid);
	trips = db->round_trips;
	assert_false(db->drv->usable(db, 0.5)); /* the goodbye is on the socket */
	assert_int_equal(db->round_trips, trips);
	sql_finalize_all(db);
	db->drv->close(db);
}

static void old_timeline_refused(void **state)
{
	(void)state;
	if (!pg_url())
		skip();
	char sys[32], tl[16];
	ask("SELECT system_identifier::text FROM pg_control_system()", sys, sizeof sys);
	ask("SELECT ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int", tl, sizeof tl);
	char path[] = "/tmp/sg-fence-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	/* A file that says less: the server's timeline is taken, and kept there. */
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "%s 0\n", sys);
	fclose(f);
	sql_pg_fence_file(path);
	char err[512] = "";
	sql_db *db = sql_pg_open(pg_url(), err, sizeof err);
	assert_non_null(db);
	db->drv->close(db);
	char kept[96] = "", want[96];
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(kept, sizeof kept, f));
	fclose(f);
	snprintf(want, sizeof want, "%s %s\n", sys, tl);
	assert_string_equal(kept, want);
	/* Another process has seen the cluster on a later timeline (a promotion): this server is an old primary. */
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "%s %ld\n", sys, atol(tl) + 1);
	fclose(f);
	db = sql_pg_open(pg_url(), err, sizeof err);
	assert_null(db);
	assert_non_null(strstr(err, "old primary back after a failover"));
	sql_pg_fence_file(NULL);
	unlink(path);
}

/* What a column reads as (issue 17: a result's column types are read once, and a value is asked whether it is
 * NULL only when it is empty): an empty text is not NULL, a NULL is, booleans read 1/0, a bytea its bytes, a
 * text its length; each row of a result alike. And a cached statement prepared again has no binding left
 * from its last use (its clear resets what it binds). */
static void columns_read_as_they_are(void **state)
{
	(void)state;
	if (!pg_url())
		skip();
	sql_db *db = open_db();
	const char *q = "SELECT '' || n, CASE WHEN n = '' THEN NULL ELSE 'x' || n END, n = '', n <> '', "
			"decode('00ff' || n, 'hex'), length(n)::int8, NULL::int8, ''::bytea "
			"FROM (VALUES (''), ('41')) AS v(n) ORDER BY n";
	sql_stmt *s = sql_prepare(db, 1, q);
	assert_non_null(s);
	for (int row = 0; row < 2; row++) {
		assert_int_equal(sql_step(s), SQL_ROW);
		const char *n = row ? "41" : "";
		assert_false(sql_column_is_null(s, 0));
		assert_string_equal((const char *)sql_column_text(s, 0), n);
		assert_int_equal(sql_column_bytes(s, 0), (int)strlen(n));
		assert_int_equal(sql_column_is_null(s, 1), row == 0);
		if (row) {
			assert_string_equal((const char *)sql_column_text(s, 1), "x41");
			assert_int_equal(sql_column_bytes(s, 1), 3);
		} else {
			assert_null(sql_column_text(s, 1));
			assert_int_equal(sql_column_bytes(s, 1), 0);
		}
		assert_int_equal(sql_column_int64(s, 2), row == 0);
		assert_string_equal((const char *)sql_column_text(s, 3), row ? "1" : "0");
		assert_int_equal(sql_column_bytes(s, 3), 1);
		const unsigned char *b = sql_column_blob(s, 4);
		assert_non_null(b);
		assert_int_equal(sql_column_bytes(s, 4), row ? 3 : 2);
		assert_int_equal(b[0], 0x00);
		assert_int_equal(b[1], 0xff);
		if (row)
			assert_int_equal(b[2], 0x41);
		assert_int_equal(sql_column_int64(s, 5), (int64_t)strlen(n));
		assert_true(sql_column_is_null(s, 6));
		assert_int_equal(sql_column_int64(s, 6), 0);
		assert_false(sql_column_is_null(s, 7));
		assert_int_equal(sql_column_bytes(s, 7), 0);
	}
	assert_int_equal(sql_step(s), SQL_DONE);
	sql_reset(s);

	const char *b2 = "SELECT ?1::text IS NULL, ?2::int8 IS NULL";
	s = sql_prepare(db, 2, b2);
	assert_non_null(s);
	sql_bind_text(s, 1, "x", -1);
	sql_bind_int64(s, 2, 7);
	assert_int_equal(sql_step(s), SQL_ROW);
	assert_int_equal(sql_column_int64(s, 0), 0);
	assert_int_equal(sql_column_int64(s, 1), 0);
	sql_reset(s);
	s = sql_prepare(db, 2, b2); /* the cached one, cleared: nothing bound */
	assert_non_null(s);
	assert_int_equal(sql_step(s), SQL_ROW);
	assert_int_equal(sql_column_int64(s, 0), 1);
	assert_int_equal(sql_column_int64(s, 1), 1);
	sql_reset(s);

	/* Integers as strtoll reads them (drv_pg.c reads plain digits itself, issue 17): every length, the ends of
	 * the range, and texts that are not plain digits. */
	const char *q3 = "SELECT 0::int8, -7::int8, 123456789012345678::int8, -123456789012345678::int8, "
			 "9223372036854775807::int8, (-9223372036854775807 - 1)::int8, 1234567890123456789::int8, "
			 "42::int4, '12abc'::text, '-'::text, ' 5'::text, 2.5::float8";
	s = sql_prepare(db, 3, q3);
	assert_non_null(s);
	assert_int_equal(sql_step(s), SQL_ROW);
	const int64_t want[] = {0, -7, 123456789012345678LL, -123456789012345678LL, INT64_MAX, INT64_MIN,
				1234567890123456789LL, 42, 12, 0, 5, 2};
	for (int i = 0; i < (int)(sizeof want / sizeof want[0]); i++)
		if (sql_column_int64(s, i) != want[i]) /* a failure names the column and both values */
			fail_msg("column %d (of \"%s\"): %lld, want %lld", i, q3, (long long)sql_column_int64(s, i),
				 (long long)want[i]);
	sql_reset(s);
	sql_finalize_all(db);
	db->drv->close(db);
}

/* Whether a write's answer is waited for is the statement table's mark (store/sql.h), not its words: one marked
 * SQL_DEFERRED is sent without waiting inside a transaction (no round trip at its step; its row is there at the
 * commit), one marked SQL_DEFERRED_ROWS gives its rows (a WITH whose main statement is a SELECT), and an
 * INSERT ... RETURNING id marked SQL_DEFERRED is refused: its id would never be read. */
static void deferred_by_the_statements_mark(void **state)
{
	(void)state;
	if (!pg_url())
		skip();
	sql_db *db = open_db();
	assert_int_equal(sql_exec(db, "CREATE TEMP TABLE dm(id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, v text)"),
			 0);
	assert_int_equal(sql_begin(db, true), 0);
	sql_stmt *s = sql_prepare(db, 3, "WITH n(v) AS (SELECT 'a') INSERT INTO dm(v) SELECT v FROM n" SQL_DEFERRED);
	assert_non_null(s);
	assert_int_equal(sql_step(s), SQL_DONE); /* the first prepares it on the server */
	s = sql_prepare(db, 3, NULL);
	assert_non_null(s);
	uint64_t trips = db->round_trips;
	assert_int_equal(sql_step(s), SQL_DONE);
	assert_int_equal(db->round_trips, trips); /* queued, not waited for */
	sql_reset(s);
	s = sql_prepare(db, 4, "WITH n(v) AS (INSERT INTO dm(v) VALUES ('b') RETURNING v) SELECT v || '!' FROM n" SQL_DEFERRED_ROWS);
	assert_non_null(s);
	assert_int_equal(sql_step(s), SQL_ROW);
	assert_string_equal((const char *)sql_column_text(s, 0), "b!");
	assert_int_equal(sql_step(s), SQL_DONE);
	sql_reset(s);
	assert_null(sql_prepare(db, 5, "INSERT INTO dm(v) VALUES ('c') RETURNING id" SQL_DEFERRED));
	s = sql_prepare(db, 5, "INSERT INTO dm(v) VALUES ('c') RETURNING id" SQL_DEFERRED_ROWS);
	assert_non_null(s);
	assert_int_equal(sql_step(s), SQL_ROW);
	assert_true(sql_last_insert_id(db) > 0);
	sql_reset(s);
	assert_int_equal(sql_commit(db), 0);
	s = sql_prepare(db, 6, "SELECT string_agg(v, ',' ORDER BY v) FROM dm");
	assert_non_null(s);
	assert_int_equal(sql_step(s), SQL_ROW);
	assert_string_equal((const char *)sql_column_text(s, 0), "a,a,b,c");
	sql_reset(s);
	sql_finalize_all(db);
	db->drv->close(db);
}

/* A write queued without waiting (SQL_DEFERRED) reaches the server when it is queued, not at the next statement
 * that waits: so the server runs a batch's records while the writer goes on to the next one's linkage (issue 17,
 * r-pgin29). libpq's pipeline mode kept such a statement in its buffer until a Sync. The queued statement here
 * lets go of a lock the connection holds; another session takes that lock while the connection has sent nothing
 * after it: it gets it only if the statement ran (without the flush it waits out its lock_timeout and fails). */
static void deferred_write_runs_before_the_next_wait(void **state)
{
	(void)state;
	if (!pg_url())
		skip();
	sql_db *db = open_db();
	assert_int_equal(sql_exec(db, "CREATE TEMP TABLE dq(v text)"), 0);
	assert_int_equal(sql_exec(db, "SELECT pg_advisory_lock(7291)"), 0); /* the session's, held past the BEGIN */
	assert_int_equal(sql_begin(db, true), 0);
	sql_stmt *s = sql_prepare(db, 3, "INSERT INTO dq(v) SELECT 'ran' WHERE pg_advisory_unlock(7291)" SQL_DEFERRED);
	assert_non_null(s);
	uint64_t statements = db->statements;
	assert_int_equal(sql_step(s), SQL_DONE); /* prepared (waited for), then queued */
	assert_true(db->statements > statements);
	sql_reset(s);

	PGconn *other = PQconnectdb(pg_url());
	assert_int_equal(PQstatus(other), CONNECTION_OK);
	PGresult *r = PQexec(other, "SET lock_timeout = '20s'");
	assert_int_equal(PQresultStatus(r), PGRES_COMMAND_OK);
	PQclear(r);
	r = PQexec(other, "SELECT pg_advisory_lock(7291)"); /* free once the queued statement has run */
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		char why[256];
		snprintf(why, sizeof why, "%s", PQresultErrorMessage(r));
		PQclear(r);
		PQfinish(other);
		db->drv->close(db); /* its session's locks (the writer's among them) go with it: the next tests' */
		fail_msg("the queued statement had not run: %s", why);
	}
	PQclear(r);
	r = PQexec(other, "SELECT pg_advisory_unlock(7291)");
	PQclear(r);
	PQfinish(other);

	assert_int_equal(sql_commit(db), 0);
	s = sql_prepare(db, 6, "SELECT string_agg(v, ',') FROM dq");
	assert_non_null(s);
	assert_int_equal(sql_step(s), SQL_ROW);
	assert_string_equal((const char *)sql_column_text(s, 0), "ran");
	sql_reset(s);
	sql_finalize_all(db);
	db->drv->close(db);
}

/* The plans a statement's executions made, as the server counts them for its prepared statements
 * (pg_prepared_statements: custom and generic), on db's own session; like: a piece of its text. */
static int64_t plans_made(sql_db *db, const char *like)
{
	sql_stmt *p = sql_prepare(db, 20, "SELECT coalesce(sum(generic_plans + custom_plans), 0)::int8, "
					  "coalesce(sum(generic_plans), 0)::int8 FROM pg_prepared_statements WHERE "
					  "strpos(statement, ?1) > 0 AND strpos(statement, 'pg_prepared_statements') = 0");
	assert_non_null(p);
	sql_bind_text(p, 1, like, -1);
	assert_int_equal(sql_step(p), SQL_ROW);
	int64_t n = sql_column_int64(p, 0);
	sql_reset(p);
	return n;
}

/* A read marked SQL_CUSTOM_PLAN is planned with its values at every execution (the MASH lists: PostgreSQL's
 * generic plan, taken for good after the fifth, was 50-300x slower, docs/BENCHMARKS.md): its prepared variant
 * is never executed, where the same text unmarked makes a plan at each of its 8 executions (custom, then
 * generic); its rows right out of a transaction, in a reader's snapshot (behind the queued BEGIN) and sent
 * ahead (sql_send). */
static void custom_plan_by_the_statements_mark(void **state)
{
	(void)state;
	if (!pg_url())
		skip();
	sql_db *db = open_db();
	static const char *const text[2] = {
		"SELECT count(*) FROM generate_series(1, 100) g WHERE (?2 IS NULL OR g <= ?2::int8) AND g > ?1",
		"SELECT count(*) FROM generate_series(1, 100) g WHERE (?2 IS NULL OR g <= ?2::int8) AND g > ?1" SQL_CUSTOM_PLAN};
	for (int marked = 0; marked < 2; marked++) {
		for (int i = 0; i < 8; i++) {
			bool snapshot = i >= 4, ahead = i >= 6;
			if (snapshot)
				assert_int_equal(sql_begin(db, false), 0);
			sql_stmt *s = sql_prepare(db, 21 + marked, text[marked]);
			assert_non_null(s);
			sql_bind_int64(s, 1, 10 * i);
			if (i % 2)
				sql_bind_int64(s, 2, 50);
			else
				sql_bind_null(s, 2);
			if (ahead)
				assert_int_equal(sql_send(s), 0);
			assert_int_equal(sql_step(s), SQL_ROW);
			int want = (i % 2 ? 50 : 100) - 10 * i;
			assert_int_equal(sql_column_int64(s, 0), want > 0 ? want : 0);
			sql_reset(s);
			sql_clear_bindings(s);
			if (snapshot)
				assert_int_equal(sql_commit(db), 0);
		}
	}
	assert_int_equal(plans_made(db, "(1, 100) g WHERE ($1 IS NULL OR g <= $1::int8) AND g > $2 /* planned"), 0);
	assert_int_equal(plans_made(db, "(1, 100) g WHERE ($1 IS NULL OR g <= $1::int8) AND g > $2"), 8);
	sql_finalize_all(db);
	db->drv->close(db);
}

/* A batch's access facts (S_ACCESS_FACTS_MANY) keep PostgreSQL's generic plan from the sixth execution on a
 * connection, on tables shaped as an area of 2,000 children (temporary ones of the same names, which the
 * session's search path finds first). Bound plainly, its plans made with the values counted the 1-3 children
 * of a batch where the generic plan takes an array for 10, so the generic one looked dearer and the statement
 * was planned afresh at every batch, 0.3 ms each (docs/BENCHMARKS.md, round 10); the answers are the same. */
static void access_facts_keep_their_generic_plan(void **state)
{
	(void)state;
	if (!pg_url())
		skip();
	sql_db *db = open_db();
	assert_int_equal(sql_exec(db, "CREATE TEMP TABLE person (id bigint PRIMARY KEY);"
				      "CREATE TEMP TABLE sealed_record (person_id bigint NOT NULL);"
				      "CREATE TEMP TABLE team (code text PRIMARY KEY, manager text);"
				      "CREATE TEMP TABLE allocation (person_id bigint PRIMARY KEY, worker text, team text);"
				      "CREATE TEMP TABLE event (person_id bigint, agency text, details text, id bigint, "
				      "category_key text);" /* the key as intake writes it (migration 41), and its index */
				      "CREATE INDEX ON event (person_id, agency, category_key);"
				      "CREATE TEMP TABLE person_merge (id bigint, merged_id bigint, undone_at text);"
				      "CREATE TEMP TABLE person_merge_row (merge_id bigint, tbl text, row_id bigint);"
				      /* a merge's keys (migration 42, r-ntk30) */
				      "CREATE TEMP TABLE person_merge_key (merge_id bigint, agency text, category_key text);"
				      "INSERT INTO event SELECT g, 'police', '{}', NULL, '=' FROM generate_series(1, 2000) g "
				      "WHERE g <> 5;"
				      "INSERT INTO event VALUES (5, 'health', '{\"category\": \"sexual_health\"}', NULL, "
				      "'=sexual_health');"
				      "INSERT INTO person SELECT g FROM generate_series(1, 2000) g;"
				      "INSERT INTO team VALUES ('t1', 'mgr');"
				      "INSERT INTO allocation VALUES (7, 'jsmith', 't1');"
				      "INSERT INTO sealed_record VALUES (9);"
				      "ANALYZE person, sealed_record, team, allocation, event, person_merge, person_merge_row, person_merge_key"),
			 0);
	/* 5 is known only from a health-only record: not known to a reader outside health (?63, the agency whose
	 * health-only records the reader may not see, and ?64 their categories), known to a view that leaves
	 * nothing out (both NULL). The two kinds of reader alternate, as on a server; each is a statement of its
	 * own on the server (drv_pg.c prepares one for each set of parameter types). */
	static const char *const ids[] = {"{7,5}", "{7,9}", "{7,9,4000}", "{9,5}", "{7}", "{5,7,9}", "{4000}", "{7,9,5}"};
	for (int i = 0; i < 16; i++) {
		sql_stmt *s = sql_prepare(db, 22, sql_ops_access_facts_many());
		assert_non_null(s);
		sql_bind_text(s, 1, ids[i / 2], -1);
		if (i % 2) {
			sql_bind_text(s, 63, "health", -1);
			sql_bind_text(s, 64, "[\"sexual_health\"]", -1);
		} else {
			sql_bind_null(s, 63);
			sql_bind_null(s, 64);
		}
		int rows = 0, r;
		while ((r = sql_step(s)) == SQL_ROW) {
			int64_t id = sql_column_int64(s, 0);
			rows++;
			assert_int_equal(sql_column_int64(s, 1), id == 4000 ? 0 : 1);   /* exists */
			assert_int_equal(sql_column_int64(s, 2), id == 9 ? 1 : 0);      /* sealed */
			assert_int_equal(sql_column_int64(s, 3), id == 7 ? 1 : 0);      /* allocated */
			assert_string_equal((const char *)sql_column_text(s, 5), id == 7 ? "mgr" : "");
			assert_int_equal(sql_column_int64(s, 6), id == 5 && i % 2 ? 0 : 1); /* known */
		}
		assert_int_equal(r, SQL_DONE);
		int want = 1; /* one row a child: the commas and one */
		for (const char *c = ids[i / 2]; *c; c++)
			want += *c == ',';
		assert_int_equal(rows, want);
		sql_reset(s);
	}
	sql_stmt *p = sql_prepare(db, 20, "SELECT custom_plans, generic_plans FROM pg_prepared_statements WHERE "
					  "strpos(statement, 'FROM sealed_record') > 0 AND strpos(statement, 'pg_prepared') = 0");
	assert_non_null(p);
	int variants = 0;
	while (sql_step(p) == SQL_ROW) {
		variants++;
		assert_int_equal(sql_column_int64(p, 0), 5); /* PostgreSQL's first five, with their values */
		assert_int_equal(sql_column_int64(p, 1), 3); /* then the generic plan, kept */
	}
	assert_int_equal(variants, 2);
	sql_reset(p);
	sql_finalize_all(db);
	db->drv->close(db);
}

/* A read marked SQL_INDEX_ORDER runs with enable_sort off (its plan sorts nothing an index gives), in one round
 * trip, out of a transaction and in a reader's snapshot, and the session's setting is back after it, also when
 * it failed. */
static void index_order_by_the_statements_mark(void **state)
{
	(void)state;
	if (!pg_url())
		skip();
	sql_db *db = open_db();
	sql_stmt *s = sql_prepare(db, 24, "SELECT current_setting('enable_sort')");
	assert_non_null(s);
	assert_int_equal(sql_step(s), SQL_ROW);
	assert_string_equal((const char *)sql_column_text(s, 0), "on");
	sql_reset(s);
	s = sql_prepare(db, 25, "SELECT current_setting('enable_sort'), 1 / ?1::int8" SQL_INDEX_ORDER);
	assert_non_null(s);
	sql_bind_int64(s, 1, 1);
	assert_int_equal(sql_step(s), SQL_ROW); /* the first prepares it on the server */
	sql_reset(s);
	for (int i = 0; i < 4; i++) {
		if (i >= 2)
			assert_int_equal(sql_begin(db, false), 0);
		s = sql_prepare(db, 25, NULL);
		assert_non_null(s);
		sql_bind_int64(s, 1, i % 2); /* 0: division by zero, refused */
		uint64_t trips = db->round_trips;
		if (i % 2) {
			assert_int_equal(sql_step(s), SQL_ROW);
			assert_string_equal((const char *)sql_column_text(s, 0), "off");
		} else {
			assert_true(sql_step(s) < 0);
		}
		assert_int_equal(db->round_trips, trips + 1);
		sql_reset(s);
		if (i >= 2) {
			if (i % 2)
				assert_int_equal(sql_commit(db), 0);
			else
				assert_int_equal(sql_rollback(db), 0);
		}
		s = sql_prepare(db, 24, NULL);
		assert_int_equal(sql_step(s), SQL_ROW);
		assert_string_equal((const char *)sql_column_text(s, 0), "on");
		sql_reset(s);
	}
	sql_finalize_all(db);
	db->drv->close(db);
}

/* A reader's snapshot's COMMIT is not waited for (issue 17), but it is sent with its Sync: the server ends the
 * transaction without the connection being used again and shows the session idle (pg_stat_activity: state
 * idle, not "active" with COMMIT as its query, which idle_session_timeout would never end; no transaction, no
 * snapshot held), and the connection then serves a write transaction and another snapshot, and is not taken
 * for one in a transaction. */
static void a_snapshots_commit_ends_it_unwaited(void **state)
{
	(void)state;
	if (!pg_url())
		skip();
	sql_db *db = open_db();
	sql_stmt *s = sql_prepare(db, 7, "SELECT pg_backend_pid()");
	assert_non_null(s);
	assert_int_equal(sql_step(s), SQL_ROW); /* prepared on the server, outside any transaction */
	int64_t pid = sql_column_int64(s, 0);
	sql_reset(s);
	assert_int_equal(sql_begin(db, false), 0);
	s = sql_prepare(db, 7, NULL);
	assert_int_equal(sql_step(s), SQL_ROW);
	sql_reset(s);
	uint64_t trips = db->round_trips;
	assert_int_equal(sql_commit(db), 0);
	assert_int_equal(db->round_trips, trips); /* not waited for */
	assert_false(db->drv->in_transaction(db));
	char q[320], st[128] = "";
	snprintf(q, sizeof q, "SELECT coalesce((SELECT state || ' ' || coalesce(xact_start::text, 'ended') || ' ' || "
		 "coalesce(backend_xmin::text, 'no snapshot') FROM pg_stat_activity WHERE pid = %lld), 'gone')",
		 (long long)pid);
	/* The COMMIT and its Sync are on their way, not necessarily processed yet when another session looks: the
	 * test asks again until the server shows it done, each time a new connection (a fresh pg_stat_activity).
	 * Bounded, so that a server that never ends it (as before the Sync: "active" until the next use) fails
	 * the test instead of hanging it; no sleep: each ask is itself a connection's worth of time, and the
	 * server reports the session idle before it sends the answer, so it is usually there at the first ask. */
	for (int i = 0; i < 50; i++) {
		ask(q, st, sizeof st);
		if (strcmp(st, "idle ended no snapshot") == 0)
			break;
	}
	assert_string_equal(st, "idle ended no snapshot");
	assert_int_equal(sql_begin(db, true), 0); /* the COMMIT's answer read first */
	s = sql_prepare(db, 7, NULL);
	assert_int_equal(sql_step(s), SQL_ROW);
	sql_reset(s);
	assert_int_equal(sql_commit(db), 0);
	assert_int_equal(sql_begin(db, false), 0);
	s = sql_prepare(db, 7, NULL);
	assert_int_equal(sql_step(s), SQL_ROW);
	assert_int_equal(sql_column_int64(s, 0), pid);
	sql_reset(s);
	assert_int_equal(sql_commit(db), 0);
	assert_true(db->drv->usable(db, 0)); /* and handed on by the pool */
	assert_false(db->drv->in_transaction(db));
	sql_finalize_all(db);
	db->drv->close(db);
}

/* A session the server ends (pg_terminate_backend) while a snapshot's COMMIT's answer is still unread: the
 * answer is read and what follows it taken as the goodbye it is, so the pool's check finds the connection
 * unusable (no round trip) and the pool opens another, which works; a statement on such a connection instead
 * fails with the connection lost, not a hang nor a wrong answer. */
static void ended_while_the_commit_is_unread(void **state)
{
	(void)state;
	if (!pg_url())
		skip();
	for (int pass = 0; pass < 2; pass++) {
		sql_db *db = open_db();
		sql_stmt *s = sql_prepare(db, 7, "SELECT pg_backend_pid()");
		assert_non_null(s);
		assert_int_equal(sql_step(s), SQL_ROW);
		int64_t pid = sql_column_int64(s, 0);
		sql_reset(s);
		assert_int_equal(sql_begin(db, false), 0);
		s = sql_prepare(db, 7, NULL);
		assert_int_equal(sql_step(s), SQL_ROW);
		sql_reset(s);
		uint64_t trips = db->round_trips;
		assert_int_equal(sql_commit(db), 0);
		assert_int_equal(db->round_trips, trips); /* the answer not read */
		terminate(pid);
		if (pass == 0) {
			assert_false(db->drv->usable(db, 0.5));
			assert_int_equal(db->round_trips, trips);
		} else {
			s = sql_prepare(db, 7, NULL);
			assert_non_null(s);
			int rc = sql_step(s);
			assert_true(rc != SQL_ROW && rc != SQL_DONE);
			sql_reset(s);
			assert_true(db->drv->lost(db));
		}
		sql_finalize_all(db);
		db->drv->close(db);
		db = open_db(); /* what the pool does next */
		s = sql_prepare(db, 7, "SELECT pg_backend_pid()");
		assert_non_null(s);
		assert_int_equal(sql_step(s), SQL_ROW);
		assert_true(sql_column_int64(s, 0) != pid);
		sql_reset(s);
		assert_int_equal(sql_begin(db, false), 0);
		s = sql_prepare(db, 7, NULL);
		assert_int_equal(sql_step(s), SQL_ROW);
		sql_reset(s);
		assert_int_equal(sql_commit(db), 0);
		assert_true(db->drv->usable(db, 0));
		sql_finalize_all(db);
		db->drv->close(db);
	}
}

/* Snapshots back to back on one connection: each one's COMMIT unwaited, its answer read before the next one's
 * first read or in that read's round trip (whichever way it comes), so each snapshot costs that one round trip
 * and its read sees its own answer. Bounded: 200 snapshots. */
static void snapshots_back_to_back(void **state)
{
	(void)state;
	if (!pg_url())
		skip();
	sql_db *db = open_db();
	sql_stmt *s = sql_prepare(db, 10, "SELECT ?1::int8 * 2");
	assert_non_null(s);
	sql_bind_int64(s, 1, 1);
	assert_int_equal(sql_step(s), SQL_ROW); /* prepared on the server */
	sql_reset(s);
	for (int i = 0; i < 200; i++) {
		uint64_t trips = db->round_trips;
		assert_int_equal(sql_begin(db, false), 0);
		s = sql_prepare(db, 10, NULL);
		sql_bind_int64(s, 1, i);
		assert_int_equal(sql_step(s), SQL_ROW);
		assert_int_equal(sql_column_int64(s, 0), 2 * i);
		sql_reset(s);
		assert_int_equal(sql_commit(db), 0);
		assert_int_equal(db->round_trips, trips + 1);
	}
	assert_true(db->drv->usable(db, 0));
	assert_false(db->drv->in_transaction(db));
	sql_finalize_all(db);
	db->drv->close(db);
}

/* A reader's snapshot is never begun inside a transaction (a write's, or another snapshot's): its COMMIT is
 * not waited for, which only a transaction its own READ ONLY BEGIN opened can afford. The refusal leaves the
 * transaction that was open as it was: the write commits. */
static void no_snapshot_inside_a_transaction(void **state)
{
	(void)state;
	if (!pg_url())
		skip();
	sql_db *db = open_db();
	assert_int_equal(sql_exec(db, "CREATE TEMP TABLE nt(v text)"), 0);
	assert_int_equal(sql_begin(db, true), 0);
	sql_stmt *s = sql_prepare(db, 8, "INSERT INTO nt(v) VALUES ('w')");
	assert_non_null(s);
	assert_int_equal(sql_step(s), SQL_DONE);
	sql_reset(s);
	assert_true(sql_begin(db, false) != 0);
	assert_non_null(strstr(sql_errmsg(db), "inside a transaction"));
	assert_true(db->drv->in_transaction(db));
	assert_int_equal(sql_commit(db), 0);
	assert_int_equal(sql_begin(db, false), 0);
	assert_true(sql_begin(db, false) != 0); /* nor inside another snapshot */
	s = sql_prepare(db, 9, "SELECT count(*) FROM nt WHERE v = 'w'");
	assert_non_null(s);
	assert_int_equal(sql_step(s), SQL_ROW);
	assert_int_equal(sql_column_int64(s, 0), 1);
	sql_reset(s);
	assert_int_equal(sql_commit(db), 0);
	assert_false(db->drv->in_transaction(db));
	sql_finalize_all(db);
	db->drv->close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(idle_connection_checked_before_reuse),
		cmocka_unit_test(columns_read_as_they_are), /* before the fence's test, which leaves a timeline known */
		cmocka_unit_test(deferred_by_the_statements_mark),
		cmocka_unit_test(deferred_write_runs_before_the_next_wait),
		cmocka_unit_test(custom_plan_by_the_statements_mark),
		cmocka_unit_test(index_order_by_the_statements_mark),
		cmocka_unit_test(access_facts_keep_their_generic_plan),
		cmocka_unit_test(a_snapshots_commit_ends_it_unwaited),
		cmocka_unit_test(ended_while_the_commit_is_unread),
		cmocka_unit_test(snapshots_back_to_back),
		cmocka_unit_test(no_snapshot_inside_a_transaction),
		cmocka_unit_test(old_timeline_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
