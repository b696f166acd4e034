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

/* SQL on PostgreSQL through a connection of its own to the cluster of the URL, in its maintenance database
 * "postgres" (the fixture's set-up, not a test's): whether it passed. */
static inline bool fx_pg_run(const char *url, const char *sql)
{
	const char *keys[] = {"dbname", "dbname", NULL};
	const char *vals[] = {url, "postgres", NULL};
	PGconn *pg = PQconnectdbParams(keys, vals, 1);
	PGresult *r = pg && PQstatus(pg) == CONNECTION_OK ? PQexec(pg, sql) : NULL;
	bool ok = r && PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok)
		fprintf(stderr, "setup: %s: %s\n", sql, pg ? PQerrorMessage(pg) : "no connection");
	PQclear(r);
	PQfinish(pg);
	return ok;
}

/* The URL's database name (read from the URL, no connection made), and its template's beside it. */
static inline void fx_pg_names(const char *url, char *db, size_t dbsz, char *tpl, size_t tplsz)
{
	PQconninfoOption *o = PQconninfoParse(url, NULL);
	db[0] = '\0';
	for (PQconninfoOption *x = o; x && x->keyword; x++)
		if (strcmp(x->keyword, "dbname") == 0 && x->val)
			snprintf(db, dbsz, "%s", x->val);
	PQconninfoFree(o);
	snprintf(tpl, tplsz, "%s_fx_template", db);
}

/* DROP DATABASE to (its sessions ended); CREATE DATABASE to TEMPLATE from: through the maintenance database. */
static inline bool fx_pg_remake(const char *url, const char *to, const char *from)
{
	char sql[512];
	snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS \"%s\" WITH (FORCE)", to);
	if (!to[0] || !from[0] || !fx_pg_run(url, sql))
		return false;
	snprintf(sql, sizeof sql, "CREATE DATABASE \"%s\" TEMPLATE \"%s\"", to, from);
	return fx_pg_run(url, sql);
}

static inline int fx_setup_dir_as(void **state, bool empty_pg)
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
	if (db && strncmp(db, "postgres", 8) == 0 && !empty_pg)
		snprintf(f->url, sizeof f->url, "%s", db);
	else if (db && strncmp(db, "postgres", 8) == 0) {
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

static inline int fx_setup_dir(void **state)
{
	return fx_setup_dir_as(state, true);
}

/* Which engine the fixture uses: "sqlite" or "postgresql". */
static inline const char *fx_engine(void)
{
	const char *db = getenv("SAFEGUARD_TEST_DB");
	return db && strncmp(db, "postgres", 8) == 0 ? "postgresql" : "sqlite";
}

/*
 * On PostgreSQL the first fx_setup of a test binary empties the database and migrates it, as every one did
 * before, and keeps a copy (DATABASE_fx_template, made from it); each later one makes the database again from
 * that copy (DROP DATABASE, CREATE DATABASE ... TEMPLATE) instead of emptying its schema and running every
 * migration again: the same migrated database, for about a fifth of the server's work (make unit-pg: the
 * migrations of ~190 tests were most of its time). Then store_migrate, which finds the schema current, as it
 * would on any restart. fx_setup_dir still empties the schema (those tests migrate it themselves).
 */
static inline int fx_setup(void **state)
{
	static int template_made = 0; /* 0: not yet; 1: made; -1: could not be made (migrate each time) */
	char err[256] = "";
	bool pg = strcmp(fx_engine(), "postgresql") == 0;
	bool copied = pg && template_made > 0;
	if (fx_setup_dir_as(state, !copied))
		return -1;
	struct fx *f = *state;
	char db[128] = "", tpl[160] = "";
	if (pg)
		fx_pg_names(f->url, db, sizeof db, tpl, sizeof tpl);
	if (copied && !fx_pg_remake(f->url, db, tpl))
		return -1;
	if (store_open(f->url, &f->st, err, sizeof err) != STORE_OK ||
	    store_migrate(f->st, NULL, NULL, err, sizeof err) != STORE_OK) {
		fprintf(stderr, "setup: %s\n", err);
		return -1;
	}
	if (pg && template_made == 0) {
		/* the copy is made from the database with no one connected: this store closed, then opened again */
		store_close(f->st);
		f->st = NULL;
		template_made = fx_pg_remake(f->url, tpl, db) ? 1 : -1;
		if (store_open(f->url, &f->st, err, sizeof err) != STORE_OK) {
			fprintf(stderr, "setup: %s\n", err);
			return -1;
		}
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
