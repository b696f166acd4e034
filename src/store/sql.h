/*
 * store/sql.h — the small driver interface the store's operations are written over (store/ops.c), so that
 * every operation is written once and runs on each engine (store/drv_sqlite.c, store/drv_pg.c).
 *
 * The call shapes follow sqlite3's so that converting code is mechanical (scripts/store-neutral.sh):
 * sqlite3_bind_int64(s, i, v) is sql_bind_int64(s, i, v); text and blob binds take no destructor (the value
 * must live until the statement is stepped, as SQLITE_STATIC asks today). Parameters are numbered ?NN in the
 * SQL and bound by that number; a driver that numbers otherwise (PostgreSQL's compact $1..$k) maps them.
 *
 * Statements are prepared once per connection and cached by their id (a small integer below SQL_STMT_MAX);
 * sql_prepare() hands back the cached statement reset, with its bindings cleared. sql_step() returns
 * SQL_ROW, SQL_DONE or a negative STORE_E*. Only the files in store/ include this.
 */
#ifndef SAFEGUARD_STORE_SQL_H
#define SAFEGUARD_STORE_SQL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct sql_db sql_db;
typedef struct sql_stmt sql_stmt;

/* One value of a bulk row (copy_row below): p and n for text (n < 0: up to its NUL) and blobs. */
enum { SQL_V_NULL, SQL_V_INT, SQL_V_DOUBLE, SQL_V_TEXT, SQL_V_BLOB };
struct sql_value {
	int kind;
	int64_t i;
	double d;
	const void *p;
	int n;
};

enum { SQL_ROW = 100, SQL_DONE = 101 };

/* Statement ids a connection caches; ops.c checks its count against it. */
#define SQL_STMT_MAX 512

/* The reserved parameter that carries the injected clock (clock/now.h) into SQL on every engine: ops.c
 * binds it from clock_now() whenever a statement has it (NOW_SQL). */
#define SQL_NOW_PARAM 60

/* What one engine implements. Every function gets the driver's own structs (which begin with sql_db and
 * sql_stmt's common heads, below). */
struct sql_driver {
	const char *name; /* "sqlite", "postgresql" */
	sql_stmt *(*prepare)(sql_db *db, int id, const char *sql);
	void (*finalize)(sql_stmt *s);
	void (*reset)(sql_stmt *s);
	void (*clear_bindings)(sql_stmt *s);
	int (*param_count)(sql_stmt *s);
	int (*bind_int64)(sql_stmt *s, int i, int64_t v);
	int (*bind_double)(sql_stmt *s, int i, double v);
	int (*bind_text)(sql_stmt *s, int i, const char *v, int n);
	int (*bind_blob)(sql_stmt *s, int i, const void *v, int n);
	int (*bind_null)(sql_stmt *s, int i);
	int (*step)(sql_stmt *s);
	/* sql_send below; NULL: nothing is sent ahead, the step runs the statement (SQLite) */
	int (*send)(sql_stmt *s);
	int64_t (*column_int64)(sql_stmt *s, int i);
	double (*column_double)(sql_stmt *s, int i);
	const unsigned char *(*column_text)(sql_stmt *s, int i);
	const void *(*column_blob)(sql_stmt *s, int i);
	int (*column_bytes)(sql_stmt *s, int i);
	/* column_text and column_bytes in one call (*len: column_bytes's value, 0 for NULL): a row's text columns
	 * copied out (ops.c col_copy, ~1,900 a record page) looked the value up once for each on PostgreSQL.
	 * NULL: the two calls (SQLite's are cheap, and its wrapper of both cost more than they did). */
	const unsigned char *(*column_text_len)(sql_stmt *s, int i, int *len);
	bool (*column_is_null)(sql_stmt *s, int i);
	int64_t (*changes)(sql_db *db);
	const char *(*errmsg)(sql_db *db);
	int (*exec)(sql_db *db, const char *script);
	int (*begin)(sql_db *db, bool write);
	int (*commit)(sql_db *db);
	int (*rollback)(sql_db *db);
	bool (*in_transaction)(sql_db *db);
	void (*close)(sql_db *db);
	/* migrations: the version kept by the engine, and one numbered script of ops.c's list (the SQLite DDL,
	 * which an engine may rewrite) with the engine's own script for what cannot be rewritten (or NULL), run
	 * inside a transaction the runner opened; the driver records the version in the same transaction */
	int (*schema_version)(sql_db *db, int *v);
	int (*migrate_one)(sql_db *db, int version, const char *script, const char *own);
	/* engine-specific maintenance (SQLite: a WAL checkpoint); STORE_OK where there is nothing to do */
	int (*checkpoint)(sql_db *db);
	/* true when the connection is gone (the server died, failed over, or shut it): the pool drops it and
	 * opens another; NULL for an engine whose connections cannot be lost (SQLite's file) */
	bool (*lost)(sql_db *db);
	/* Before the pool hands on a connection that sat idle for idle_s seconds: false when it is of no further
	 * use (the server ended it while it was idle: an idle timeout, pg_terminate_backend, a restart), so that
	 * the pool closes it and takes or opens another instead of failing the request on it. NULL: always
	 * usable (SQLite's file). */
	bool (*usable)(sql_db *db, double idle_s);
	/* Bulk loads (optional; NULL: store/ops.c steps one prepared INSERT per row). Inside the open write
	 * transaction: copy_begin starts COPY table(cols) FROM STDIN, copy_row sends one row (n values, in the
	 * order of cols), copy_end finishes it (ok false: abandons it, and the transaction with it) and, when
	 * the rows carried their ids (cols begins with "id"), moves the table's id sequence past them. No other
	 * statement may run on the connection between copy_begin and copy_end. */
	int (*copy_begin)(sql_db *db, const char *table, const char *cols);
	int (*copy_row)(sql_db *db, const struct sql_value *v, int n);
	int (*copy_end)(sql_db *db, bool ok);
};

/* Ends the SQL of a write whose refusal no caller answers (a refusal can only fail the job): a networked
 * engine runs it without a statement savepoint, and, since no caller reads its rows (nor its changes()), may
 * send it without waiting for its answer inside a transaction: the answer arrives with the next statement
 * that waits (PostgreSQL's pipeline, store/drv_pg.c), and a failure fails that statement, or the job's
 * release at the latest. SQLite ignores it (a comment). */
#define SQL_DEFERRED_MARK "/* deferred */"
#define SQL_DEFERRED " " SQL_DEFERRED_MARK
/* The same for such a write whose rows its caller reads (INSERT ... RETURNING id; a WITH whose main statement
 * is a SELECT): no statement savepoint, but waited for, its rows being its answer. The statement table says
 * which of the two a statement is, not its words (a RETURNING inside a CTE feeds its main statement only:
 * S_HOUSEHOLD_JOIN_BY_KEY is SQL_DEFERRED). sql_prepare refuses an INSERT ... RETURNING id marked
 * SQL_DEFERRED: its id would never be read. */
#define SQL_DEFERRED_ROWS_MARK "/* deferred, rows read */"
#define SQL_DEFERRED_ROWS " " SQL_DEFERRED_ROWS_MARK

/* Marks a read that a networked engine plans with its values at every execution, never with a plan made for
 * any values: PostgreSQL turns a prepared statement to its generic plan after five executions when the
 * generic plan's estimate is no worse than theirs, and keeps it; for a statement whose best plan depends on
 * which optional filters are set and how far the page is (the MASH lists' `?2 IS NULL OR ...`, OFFSET), the
 * generic plan was 50-300x slower (docs/BENCHMARKS.md, r-review38 and r-mashcnt21). SQLite ignores it (a
 * comment; it plans each statement once and has no generic plan to switch to). */
#define SQL_CUSTOM_PLAN_MARK "/* planned with its values */"
#define SQL_CUSTOM_PLAN " " SQL_CUSTOM_PLAN_MARK
/* Marks a read whose ORDER BY an index gives (a page of a long list, LIMIT and OFFSET), that a networked engine
 * plans without sorting all its rows: PostgreSQL's estimate of the rows a sort would take (the MASH lists' joins
 * and NOT EXISTS, 1,652 for 43,982) made it sort every decision for a page past the 130th, or with an agency
 * past the 40th, 4-6 s against 0.1-0.2 s read from the index (docs/BENCHMARKS.md, r-mashcnt21). PostgreSQL's
 * driver runs it with enable_sort off, in the same round trip; an Incremental Sort of ties is still allowed.
 * SQLite ignores it (a comment; its planner takes the index for an ORDER BY it gives). */
#define SQL_INDEX_ORDER_MARK "/* in its index's order */"
#define SQL_INDEX_ORDER " " SQL_INDEX_ORDER_MARK

/* The common heads of a driver's connection and statement. */
struct sql_db {
	const struct sql_driver *drv;
	sql_stmt *cache[SQL_STMT_MAX];
	const char *const *override; /* per-statement SQL for this engine where the shared text cannot serve */
	int override_count;
	int64_t last_id; /* the id the last INSERT ... RETURNING id stepped returned (0: none) */
	/* What a networked engine counts (0 on SQLite): commands sent to the server, and the times the client
	 * waited for its answers (round trips; several pipelined commands answered together count once). */
	uint64_t statements, round_trips;
	/* Send now, read later's account (0 on SQLite, which sends nothing): reads sent ahead (sql_send), steps
	 * that took a sent answer, and reads a reader's snapshot ran afresh (not sent, or bound otherwise). */
	uint64_t sent, sent_taken, fresh;
};
struct sql_stmt {
	sql_db *db;
	int id;
	bool returning; /* INSERT ... RETURNING id: step keeps the id for sql_last_insert_id */
};

/* The engine's own text for statement id (override), or NULL when the shared text serves. */
static inline const char *sql_override(const sql_db *db, int id)
{
	return db->override && id >= 0 && id < db->override_count ? db->override[id] : NULL;
}

/* Cached by id: prepared the first time (from override[id] if the engine has one, else sql), then reset and
 * cleared. NULL when the engine refuses the SQL (sql_errmsg says why). */
sql_stmt *sql_prepare(sql_db *db, int id, const char *sql);
void sql_finalize_all(sql_db *db);
/* Finalizes the statement cached under id, if any: the next sql_prepare of id prepares its text afresh (for a
 * statement whose text names a table, prepared for that table only). */
void sql_forget(sql_db *db, int id);

static inline void sql_reset(sql_stmt *s) { s->db->drv->reset(s); }
static inline void sql_clear_bindings(sql_stmt *s) { s->db->drv->clear_bindings(s); }
static inline int sql_bind_parameter_count(sql_stmt *s) { return s->db->drv->param_count(s); }
static inline int sql_bind_int64(sql_stmt *s, int i, int64_t v) { return s->db->drv->bind_int64(s, i, v); }
static inline int sql_bind_int(sql_stmt *s, int i, int v) { return s->db->drv->bind_int64(s, i, v); }
static inline int sql_bind_double(sql_stmt *s, int i, double v) { return s->db->drv->bind_double(s, i, v); }
static inline int sql_bind_text(sql_stmt *s, int i, const char *v, int n) { return s->db->drv->bind_text(s, i, v, n); }
static inline int sql_bind_blob(sql_stmt *s, int i, const void *v, int n) { return s->db->drv->bind_blob(s, i, v, n); }
static inline int sql_bind_null(sql_stmt *s, int i) { return s->db->drv->bind_null(s, i); }
int sql_step(sql_stmt *s);
/* Send now, step later (issue 17): a read inside a reader's snapshot, bound, is sent without waiting for its answer,
 * so that a snapshot's independent reads travel to the server together and are answered in one round trip.
 * What was sent survives the next sql_prepare of the statement's id: the first sql_step after it takes the
 * answer when the statement is bound exactly as it was sent, and otherwise runs it afresh. So a read sent
 * and then not made, or made with other values, costs its own work and nothing else; what was sent and not
 * stepped is forgotten when the transaction ends. STORE_OK or a negative STORE_E* (the connection is then
 * of no use, as after a failed step). An engine that has nothing to gain (SQLite's file) sends nothing; nor is
 * anything sent for a write, or outside a reader's snapshot (sql_begin without write): in a write transaction
 * a later write would not be in an answer sent before it. */
static inline int sql_send(sql_stmt *s) { return s->db->drv->send ? s->db->drv->send(s) : 0; }
static inline int64_t sql_column_int64(sql_stmt *s, int i) { return s->db->drv->column_int64(s, i); }
static inline int sql_column_int(sql_stmt *s, int i) { return (int)s->db->drv->column_int64(s, i); }
static inline double sql_column_double(sql_stmt *s, int i) { return s->db->drv->column_double(s, i); }
static inline const unsigned char *sql_column_text(sql_stmt *s, int i) { return s->db->drv->column_text(s, i); }
static inline const void *sql_column_blob(sql_stmt *s, int i) { return s->db->drv->column_blob(s, i); }
static inline int sql_column_bytes(sql_stmt *s, int i) { return s->db->drv->column_bytes(s, i); }
static inline const unsigned char *sql_column_text_len(sql_stmt *s, int i, int *len)
{
	if (s->db->drv->column_text_len)
		return s->db->drv->column_text_len(s, i, len);
	const unsigned char *v = s->db->drv->column_text(s, i); /* the text first, then its length (SQLite's order) */
	*len = s->db->drv->column_bytes(s, i);
	return v;
}
static inline bool sql_column_is_null(sql_stmt *s, int i) { return s->db->drv->column_is_null(s, i); }
static inline int64_t sql_changes(sql_db *db) { return db->drv->changes(db); }
static inline int64_t sql_last_insert_id(sql_db *db) { return db->last_id; }
static inline const char *sql_errmsg(sql_db *db) { return db->drv->errmsg(db); }
static inline int sql_exec(sql_db *db, const char *script) { return db->drv->exec(db, script); }
static inline int sql_begin(sql_db *db, bool write) { return db->drv->begin(db, write); }
static inline int sql_commit(sql_db *db) { return db->drv->commit(db); }
static inline int sql_rollback(sql_db *db) { return db->drv->rollback(db); }

/* The engines: a connection to what follows the URL's scheme, or NULL with err filled. */
sql_db *sql_sqlite_open(const char *path, char *err, size_t errsz);
sql_db *sql_pg_open(const char *url, char *err, size_t errsz);
/* Where PostgreSQL's fence is kept across processes (drv_pg.c "fencing"): a file, or NULL for none. */
void sql_pg_fence_file(const char *path);
/* Whether SQLite's driver runs this INSERT ... RETURNING id without a real RETURNING (drv_sqlite.c
 * returning_cut: the row's id read from sqlite3_last_insert_rowid; a real RETURNING costs the intake writer
 * ~8%), whichever mark (SQL_DEFERRED, SQL_DEFERRED_ROWS) ends it. For tests. */
bool sql_sqlite_emulates_returning(const char *sql);
/* SQLite's page cache (store/drv_sqlite.c): truncations not passed on to SQLite's own cache (they could drop
 * no page) and passed on, since the process started (for the tests) */
void sql_sqlite_pcache_counts(unsigned long long *skipped, unsigned long long *passed);
/* store/ops.c's statement texts as SQLite runs them (marks included), by id; NULL past the last. For tests. */
const char *sql_ops_statement(int id);
/* The text of the statement store_status_events runs (S_EVENTS_STATUS), which names the status kinds. For tests. */
const char *sql_ops_status_events(void);
/* PostgreSQL's text of S_ACCESS_FACTS_MANY (store_access_facts_ahead: a batch's children at once). For tests. */
const char *sql_ops_access_facts_many(void);
/* The MASH queue's count for one agency (S_MASH_AWAITING_AGENCY_COUNT), for the conformance tests' plan check */
const char *sql_ops_mash_agency_count(void);
/* The MASH decided list of one agency (S_MASH_DECIDED_AGENCY_LIST), or with count its count, for the same */
const char *sql_ops_mash_decided_agency(int count);
/* The access facts of one child (S_ACCESS_FACTS: whether the view knows her among them), for the tests that count
 * the work of a refusal */
const char *sql_ops_access_facts(void);

#endif
