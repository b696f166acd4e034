/*
 * store/sql.c — what every engine of store/sql.h shares: the per-connection statement cache and the id an
 * INSERT ... RETURNING id hands back.
 */
#include "store/sql.h"

#include <string.h>

sql_stmt *sql_prepare(sql_db *db, int id, const char *sql)
{
	if (id < 0 || id >= SQL_STMT_MAX)
		return NULL;
	db->last_id = 0;
	sql_stmt *s = db->cache[id];
	if (s) {
		db->drv->reset(s);
		db->drv->clear_bindings(s);
		return s;
	}
	if (sql_override(db, id))
		sql = sql_override(db, id);
	const char *r = strstr(sql, "RETURNING id");
	bool returning = r && strncmp(sql, "INSERT", 6) == 0;
	if (returning && strstr(sql, SQL_DEFERRED_MARK))
		return NULL; /* a deferred write is not waited for: its id would never be read (SQL_DEFERRED_ROWS) */
	if (!(s = db->drv->prepare(db, id, sql)))
		return NULL;
	s->db = db;
	s->id = id;
	s->returning = returning;
	db->cache[id] = s;
	return s;
}

void sql_finalize_all(sql_db *db)
{
	for (int i = 0; i < SQL_STMT_MAX; i++)
		if (db->cache[i]) {
			db->drv->finalize(db->cache[i]);
			db->cache[i] = NULL;
		}
}

void sql_forget(sql_db *db, int id)
{
	if (id < 0 || id >= SQL_STMT_MAX || !db->cache[id])
		return;
	db->drv->finalize(db->cache[id]);
	db->cache[id] = NULL;
}

int sql_step(sql_stmt *s)
{
	int rc = s->db->drv->step(s);
	if (rc == SQL_ROW && s->returning)
		s->db->last_id = s->db->drv->column_int64(s, 0);
	return rc;
}
