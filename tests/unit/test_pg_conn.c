/*
 * PostgreSQL's connections below the store (store/drv_pg.c), as store_open makes them; on PostgreSQL only
 * (SAFEGUARD_TEST_DB=postgresql://..., make unit-pg), skipped elsewhere:
 *  - the check before an idle connection is reused (sql.h usable): none of a round trip for a connection idle
 *    a moment, one (an empty query) after 30 s idle, and a connection the server ended while it was idle
 *    (pg_terminate_backend) is found unusable with no round trip;
 *  - the fence: a primary on an older timeline than the fence file holds for its cluster is refused with the
 *    reason (an old primary back after a failover), one on the same timeline is taken, and a file that says
 *    less is raised to what the server says.
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

static void idle_connection_checked_before_reuse(void **state)
{
	(void)state;
	if (!pg_url())
		skip();
	sql_pg_fence_file(NULL);
	char err[512] = "";
	sql_db *db = sql_pg_open(pg_url(), err, sizeof err);
	assert_non_null(db);
	assert_non_null(db->drv->usable);
	uint64_t trips = db->round_trips;
	assert_true(db->drv->usable(db, 0.5));
	assert_int_equal(db->round_trips, trips); /* idle a moment: no round trip */
	assert_true(db->drv->usable(db, 31));
	assert_int_equal(db->round_trips, trips + 1); /* idle long: one empty query */

	sql_stmt *s = sql_prepare(db, 0, "SELECT pg_backend_pid()");
	assert_non_null(s);
	assert_int_equal(sql_step(s), SQL_ROW);
	long pid = (long)sql_column_int64(s, 0);
	sql_reset(s);
	char q[128], ended[8];
	snprintf(q, sizeof q, "SELECT pg_terminate_backend(%ld, 5000)", pid);
	ask(q, ended, sizeof ended);
	assert_string_equal(ended, "t");
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(idle_connection_checked_before_reuse),
		cmocka_unit_test(old_timeline_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
