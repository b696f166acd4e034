/*
 * tests/unit/fixture.h — a real database, fresh for each test, for the unit tests of the store and the
 * services: a SQLite file in a fresh temporary directory, or, when SAFEGUARD_TEST_DB names a PostgreSQL
 * database (postgresql://..., scripts/pg-test.sh), that database with its schema emptied first (the directory
 * is still made, for what tests keep beside the database). Header-only (static inline) because each test is
 * one translation unit.
 *
 *   cmocka_unit_test_setup_teardown(test, fx_setup, fx_teardown)      opened and migrated
 *   cmocka_unit_test_setup_teardown(test, fx_setup_dir, fx_teardown)  a directory and a URL only
 */
#ifndef SAFEGUARD_TESTS_FIXTURE_H
#define SAFEGUARD_TESTS_FIXTURE_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>
#include <sqlite3.h>

#include "store/store.h"

struct fx {
	char dir[64];
	char path[128]; /* the database file */
	char url[512];  /* sqlite:PATH, or SAFEGUARD_TEST_DB's postgresql:// URL */
	store *st;
	store_conn *c; /* a connection a test took and wants given back */
};

static inline void fx_rm_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[512];
	while (d && (e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
			unlink(p);
		}
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

static inline int fx_setup_dir(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	snprintf(f->dir, sizeof f->dir, "/tmp/sg-unit-XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof f->path, "%s/test.db", f->dir);
	snprintf(f->url, sizeof f->url, "sqlite:%s", f->path);
	*state = f;
	const char *db = getenv("SAFEGUARD_TEST_DB");
	if (db && strncmp(db, "postgres", 8) == 0) {
		/* The same database for every test, emptied: its schema dropped and made again. */
		snprintf(f->url, sizeof f->url, "%s", db);
		PGconn *pg = PQconnectdb(db);
		PGresult *r = pg && PQstatus(pg) == CONNECTION_OK
				      ? PQexec(pg, "SET client_min_messages = warning; DROP SCHEMA IF EXISTS public CASCADE; "
						   "CREATE SCHEMA public")
				      : NULL;
		int ok = r && PQresultStatus(r) == PGRES_COMMAND_OK;
		if (!ok)
			fprintf(stderr, "setup: cannot empty %s: %s\n", db, pg ? PQerrorMessage(pg) : "no connection");
		PQclear(r);
		PQfinish(pg);
		return ok ? 0 : -1;
	}
	return 0;
}

/* Which engine the fixture uses: "sqlite" or "postgresql". */
static inline const char *fx_engine(void)
{
	const char *db = getenv("SAFEGUARD_TEST_DB");
	return db && strncmp(db, "postgres", 8) == 0 ? "postgresql" : "sqlite";
}

static inline int fx_setup(void **state)
{
	char err[256] = "";
	if (fx_setup_dir(state))
		return -1;
	struct fx *f = *state;
	if (store_open(f->url, &f->st, err, sizeof err) != STORE_OK ||
	    store_migrate(f->st, NULL, NULL, err, sizeof err) != STORE_OK) {
		fprintf(stderr, "setup: %s\n", err);
		return -1;
	}
	return 0;
}

static inline int fx_teardown(void **state)
{
	struct fx *f = *state;
	if (f->c)
		store_conn_put(f->st, f->c);
	store_close(f->st);
	fx_rm_dir(f->dir);
	free(f);
	return 0;
}

/* For a test that reaches into SQLite's file itself (as an outsider with the file would): skipped on other
 * engines, whose files are not the test's to open (uses cmocka's skip: include cmocka.h first). */
static inline void fx_sqlite_only(void)
{
	if (strcmp(fx_engine(), "sqlite") != 0)
		skip();
}

/* SQL run as an outsider with the database would (not through the store), on either engine (the text for
 * each): whether the engine accepted it (uses cmocka's assertions: include cmocka.h first). */
static inline bool fx_outsider_sql(struct fx *f, const char *sqlite_sql, const char *pg_sql)
{
	if (strcmp(fx_engine(), "sqlite") == 0) {
		sqlite3 *db = NULL;
		assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
		sqlite3_busy_timeout(db, 5000);
		bool ok = sqlite3_exec(db, sqlite_sql, NULL, NULL, NULL) == SQLITE_OK;
		sqlite3_close(db);
		return ok;
	}
	PGconn *pg = PQconnectdb(f->url);
	assert_int_equal(PQstatus(pg), CONNECTION_OK);
	PGresult *r = PQexec(pg, "SET client_min_messages = error");
	PQclear(r);
	r = PQexec(pg, pg_sql);
	bool ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
	PQclear(r);
	PQfinish(pg);
	return ok;
}

/* One UPDATE run as an outsider with the database would, on either engine (the text for each, ?1/?2 and $1/$2):
 * TEXT bound first, the row's id second; how many rows it changed (uses cmocka's assertions: include cmocka.h
 * first). A test that sets a stored value the store writes from the clock calls it, and so runs in unit-pg too. */
static inline int64_t fx_outsider_update(struct fx *f, const char *sqlite_sql, const char *pg_sql, const char *text,
					 int64_t id)
{
	if (strcmp(fx_engine(), "sqlite") == 0) {
		sqlite3 *db = NULL;
		sqlite3_stmt *s = NULL;
		assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
		sqlite3_busy_timeout(db, 5000);
		assert_int_equal(sqlite3_prepare_v2(db, sqlite_sql, -1, &s, NULL), SQLITE_OK);
		sqlite3_bind_text(s, 1, text, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, id);
		assert_int_equal(sqlite3_step(s), SQLITE_DONE);
		int64_t n = sqlite3_changes(db);
		sqlite3_finalize(s);
		sqlite3_close(db);
		return n;
	}
	char ids[24];
	snprintf(ids, sizeof ids, "%lld", (long long)id);
	const char *values[2] = {text, ids};
	PGconn *pg = PQconnectdb(f->url);
	assert_int_equal(PQstatus(pg), CONNECTION_OK);
	PGresult *r = PQexecParams(pg, pg_sql, 2, NULL, values, NULL, NULL, 0);
	assert_int_equal(PQresultStatus(r), PGRES_COMMAND_OK);
	int64_t n = strtoll(PQcmdTuples(r), NULL, 10);
	PQclear(r);
	PQfinish(pg);
	return n;
}

/* Rows in the audit table now (uses cmocka's assertions: include cmocka.h first). */
static inline int64_t fx_audit_count(store *st)
{
	store_conn *c = store_conn_get(st);
	int64_t n = -1;
	assert_non_null(c);
	assert_int_equal(store_audit_count(c, &n), STORE_OK);
	store_conn_put(st, c);
	return n;
}

#endif
