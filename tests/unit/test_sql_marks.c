/*
 * The statement marks of store/sql.h as SQLite's driver reads them (store/drv_sqlite.c): an INSERT ... RETURNING
 * id is run without a real RETURNING (its id from sqlite3_last_insert_rowid) whatever mark ends it. A real
 * RETURNING costs ~8% of the SQLite intake writer; the mark SQL_DEFERRED_ROWS once made S_PERSON_INSERT and
 * S_EVENT_INSERT run one (cc3bd41 mended it). No database is opened.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "store/sql.h"

/* Each mark, and none, on one single-row INSERT ... RETURNING id; one that SQLite cannot emulate stays real. */
static void each_mark_is_emulated(void **state)
{
	(void)state;
	assert_true(sql_sqlite_emulates_returning("INSERT INTO t(a) VALUES (?1) RETURNING id"));
	assert_true(sql_sqlite_emulates_returning("INSERT INTO t(a) VALUES (?1) RETURNING id" SQL_DEFERRED));
	assert_true(sql_sqlite_emulates_returning("INSERT INTO t(a) VALUES (?1) RETURNING id" SQL_DEFERRED_ROWS));
	assert_false(sql_sqlite_emulates_returning("INSERT INTO t(a) SELECT ?1 RETURNING id" SQL_DEFERRED_ROWS));
	assert_false(sql_sqlite_emulates_returning("INSERT INTO t(a) VALUES (?1) ON CONFLICT(a) DO UPDATE SET a = ?1 "
						   "RETURNING id" SQL_DEFERRED_ROWS));
}

/* Every statement of ops.c that is a single-row INSERT ... VALUES ending in RETURNING id, with or without a
 * trailing comment (any: a mark added later counts too), is emulated; the person's and the event's inserts,
 * marked SQL_DEFERRED_ROWS, among them. */
static void every_ops_insert_returning_is_emulated(void **state)
{
	(void)state;
	static const char tail[] = " RETURNING id";
	int found = 0, person = 0, event = 0;
	for (int id = 0; id < SQL_STMT_MAX; id++) {
		const char *sql = sql_ops_statement(id);
		if (!sql) /* an id with no text of SQLite's, or past the last */
			continue;
		size_t n = strlen(sql);
		const char *comment = n >= 2 && strcmp(sql + n - 2, "*/") == 0 ? strstr(sql, " /*") : NULL;
		if (comment && strstr(comment + 3, "/*") == NULL)
			n = (size_t)(comment - sql);
		if (strncmp(sql, "INSERT INTO ", 12) != 0 || n < sizeof tail ||
		    strncmp(sql + n - (sizeof tail - 1), tail, sizeof tail - 1) != 0)
			continue;
		const char *values = strstr(sql, " VALUES (");
		if (!values || strstr(values, "SELECT") || strstr(sql, "DO UPDATE") || strstr(sql, "REPLACE"))
			continue;
		if (!sql_sqlite_emulates_returning(sql))
			fail_msg("statement %d is run with a real RETURNING on SQLite: %.60s", id, sql);
		found++;
		bool rows = comment && strcmp(comment, SQL_DEFERRED_ROWS) == 0;
		person += rows && strncmp(sql, "INSERT INTO person(", 19) == 0;
		event += rows && strncmp(sql, "INSERT INTO event(", 18) == 0;
	}
	assert_true(found > 10);
	assert_int_equal(person, 1); /* S_PERSON_INSERT */
	assert_int_equal(event, 1);  /* S_EVENT_INSERT */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(each_mark_is_emulated),
		cmocka_unit_test(every_ops_insert_returning_is_emulated),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
