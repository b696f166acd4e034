/*
 * tests/unit/work.h — the work a statement does, counted by the engine, never timed (r-ntk29): SQLite's virtual
 * machine steps, PostgreSQL's rows read (EXPLAIN ANALYZE: each scan's rows out and rows its filters removed,
 * times its loops). For test_refusal_work, which asks whether a refusal's statements read what the refused id
 * holds. Header-only (static inline), after <cmocka.h> and "fixture.h"; both engines (fx_engine).
 */
#ifndef SAFEGUARD_TESTS_WORK_H
#define SAFEGUARD_TESTS_WORK_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "service/access.h"
#include "store/sql.h"

/* PostgreSQL's rows read by a plan: each scan's rows out and rows its filters removed, times its loops, summed */
static inline double plan_rows(json_t *node)
{
	double loops = json_number_value(json_object_get(node, "Actual Loops"));
	double rows = json_number_value(json_object_get(node, "Actual Rows")) +
		      json_number_value(json_object_get(node, "Rows Removed by Filter")) +
		      json_number_value(json_object_get(node, "Rows Removed by Index Recheck"));
	double sum = json_object_get(node, "Relation Name") ? rows * loops : 0;
	size_t i;
	json_t *sub;
	json_array_foreach(json_object_get(node, "Plans"), i, sub)
		sum += plan_rows(sub);
	return sum;
}

/* The work of the access facts' statement (S_ACCESS_FACTS, the first question of every decision about a child)
 * for child, asked with the list view of a reader outside health: SQLite's virtual machine steps, PostgreSQL's
 * rows read (EXPLAIN ANALYZE of the generic plan, which the server's connections keep); and whether that view
 * knows the child (the statement's `known`). No time is read. */
static inline long facts_work(struct fx *f, int64_t child, bool *known)
{
	const char *sql = sql_ops_access_facts();
	struct store_view v;
	access_list_view(&(struct access_reader){.agency = "police"}, &v);
	assert_non_null(v.private_agency);
	if (strcmp(fx_engine(), "sqlite") == 0) {
		sqlite3 *db = NULL;
		sqlite3_stmt *s = NULL;
		assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
		sqlite3_bind_int64(s, 1, child);
		sqlite3_bind_int(s, 61, 0);
		sqlite3_bind_text(s, 63, v.private_agency, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 64, v.private_categories, -1, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(s), SQLITE_ROW);
		*known = sqlite3_column_int(s, 5) != 0;
		assert_int_equal(sqlite3_step(s), SQLITE_DONE);
		long steps = sqlite3_stmt_status(s, SQLITE_STMTSTATUS_VM_STEP, 0);
		sqlite3_finalize(s);
		sqlite3_close(db);
		return steps;
	}
	/* ?NN as $NN, each declared (bigint the id and the seal's switch, text the rest) */
	static char text[32768], args[1024], q[1200];
	size_t o = (size_t)snprintf(text, sizeof text, "SET plan_cache_mode = force_generic_plan; PREPARE facts(");
	for (int i = 1; i <= 64; i++)
		o += (size_t)snprintf(text + o, sizeof text - o, "%s%s", i > 1 ? ", " : "", i == 1 || i == 61 ? "bigint" : "text");
	o += (size_t)snprintf(text + o, sizeof text - o, ") AS ");
	bool quote = false;
	for (const char *p = sql; *p && o + 2 < sizeof text; p++) {
		if (*p == '\'')
			quote = !quote;
		text[o++] = !quote && *p == '?' ? '$' : *p;
	}
	text[o] = '\0';
	o = (size_t)snprintf(args, sizeof args, "%lld", (long long)child);
	for (int i = 2; i <= 64; i++)
		o += (size_t)snprintf(args + o, sizeof args - o, ", %s%s%s", i == 63 || i == 64 ? "$j$" : "",
				      i == 61 ? "0" : i == 63 ? v.private_agency : i == 64 ? v.private_categories : "NULL",
				      i == 63 || i == 64 ? "$j$" : "");
	PGconn *pg = PQconnectdb(f->url);
	PGresult *r = PQexec(pg, text);
	assert_int_equal(PQresultStatus(r), PGRES_COMMAND_OK);
	PQclear(r);
	snprintf(q, sizeof q, "EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE facts(%s)", args);
	r = PQexec(pg, q);
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	json_t *plan = json_loads(PQgetvalue(r, 0, 0), 0, NULL);
	PQclear(r);
	assert_non_null(plan);
	long rows = (long)plan_rows(json_object_get(json_array_get(plan, 0), "Plan"));
	json_decref(plan);
	snprintf(q, sizeof q, "EXECUTE facts(%s)", args);
	r = PQexec(pg, q);
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	*known = strcmp(PQgetvalue(r, 0, 5), "1") == 0 || strcmp(PQgetvalue(r, 0, 5), "t") == 0;
	PQclear(r);
	PQfinish(pg);
	return rows;
}

#endif
