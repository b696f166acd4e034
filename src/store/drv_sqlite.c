/*
 * store/drv_sqlite.c — the SQLite engine of store/sql.h (the embedded default, sqlite:PATH).
 *
 * One file: WAL journal (readers never block the writer), synchronous=FULL (a commit that returned is on
 * disk: the intake contract "answered 201 = kept" rests on it), foreign keys on, a busy timeout for the
 * occasional second writer (a CLI command while the server runs). Statements are prepared with
 * SQLITE_PREPARE_PERSISTENT (store/sql.c caches them by id). BEGIN IMMEDIATE takes the one write lock, so
 * writers serialise and the audit chain's order is the commit order. The schema version is PRAGMA
 * user_version. The injected clock reaches SQL as a bound parameter (store/ops.c NOW_SQL), not a function.
 */
#include "store/lite_vfs.h"
#include "store/sql.h"
#include "store/store.h"

#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* BEGIN IMMEDIATE, BEGIN DEFERRED, COMMIT and ROLLBACK, each prepared once a connection (lite_tx) */
enum { LITE_TX_BEGIN_WRITE, LITE_TX_BEGIN_READ, LITE_TX_COMMIT, LITE_TX_ROLLBACK, LITE_TX_N };

struct lite_db {
	sql_db head; /* must be first */
	sqlite3 *db;
	sqlite3_stmt *tx[LITE_TX_N];
};
struct lite_stmt {
	sql_stmt head; /* must be first */
	sqlite3_stmt *s;
	/* A one-row INSERT ... VALUES ... RETURNING id runs without its RETURNING clause (SQLite builds an
	 * ephemeral table for RETURNING on every execution: a b-tree and its page cache, opened and freed, were
	 * 8% of the intake writer's time); step hands back the id as the one row RETURNING would have given. */
	bool ret_emulated;
	int ret_state; /* 0: not stepped, 1: the id row handed out, 2: done */
	int64_t ret_id;
	sql_db *db;   /* whose counters an execution adds to (sql_db.statements) */
	bool stepped; /* since the last reset: an execution is counted at its first step */
};

#define DB(d) (((struct lite_db *)(d))->db)
#define ST(x) (((struct lite_stmt *)(x))->s)

static int map_rc(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
		return STORE_OK;
	case SQLITE_DONE:
		return SQL_DONE;
	case SQLITE_ROW:
		return SQL_ROW;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return STORE_EBUSY;
	case SQLITE_CONSTRAINT:
		return STORE_ECONFLICT;
	default:
		return STORE_EIO;
	}
}

/* The length of sql without a trailing " RETURNING id" that can be emulated (a single-row INSERT ... VALUES,
 * no upsert that updates: there sqlite3_last_insert_rowid would not name the row), else -1. */
static int returning_cut(const char *sql)
{
	static const char tail[] = " RETURNING id";
	size_t n = strlen(sql), t = sizeof tail - 1, m = sizeof SQL_DEFERRED - 1, mr = sizeof SQL_DEFERRED_ROWS - 1;
	/* Either mark is a comment for PostgreSQL's driver (store/sql.h), not part of the statement. */
	if (n > m && strcmp(sql + n - m, SQL_DEFERRED) == 0)
		n -= m;
	else if (n > mr && strcmp(sql + n - mr, SQL_DEFERRED_ROWS) == 0)
		n -= mr;
	if (strncmp(sql, "INSERT INTO ", 12) != 0 || n <= t || strncmp(sql + n - t, tail, t) != 0)
		return -1;
	const char *values = strstr(sql, " VALUES (");
	if (!values || strstr(values, "SELECT") || strstr(sql, "DO UPDATE") || strstr(sql, "REPLACE"))
		return -1;
	return (int)(n - t);
}

bool sql_sqlite_emulates_returning(const char *sql) { return returning_cut(sql) >= 0; }

static sql_stmt *lite_prepare(sql_db *d, int id, const char *sql)
{
	struct lite_stmt *x = calloc(1, sizeof *x);
	if (!x)
		return NULL;
	int cut = returning_cut(sql);
	x->ret_emulated = cut >= 0;
	x->db = d;
	if (sqlite3_prepare_v3(DB(d), sql, cut, SQLITE_PREPARE_PERSISTENT, &x->s, NULL) != SQLITE_OK) {
		free(x);
		return NULL;
	}
	return &x->head;
}

static void lite_finalize(sql_stmt *s)
{
	sqlite3_finalize(ST(s));
	free(s);
}

#define LS(x) ((struct lite_stmt *)(x))

static void lite_reset(sql_stmt *s)
{
	LS(s)->ret_state = 0;
	LS(s)->stepped = false;
	sqlite3_reset(ST(s));
}
static void lite_clear(sql_stmt *s) { sqlite3_clear_bindings(ST(s)); }
static int lite_param_count(sql_stmt *s) { return sqlite3_bind_parameter_count(ST(s)); }
static int lite_bind_int64(sql_stmt *s, int i, int64_t v) { return map_rc(sqlite3_bind_int64(ST(s), i, v)); }
static int lite_bind_double(sql_stmt *s, int i, double v) { return map_rc(sqlite3_bind_double(ST(s), i, v)); }
static int lite_bind_text(sql_stmt *s, int i, const char *v, int n)
{
	return map_rc(sqlite3_bind_text(ST(s), i, v, n, SQLITE_STATIC));
}
static int lite_bind_blob(sql_stmt *s, int i, const void *v, int n)
{
	return map_rc(sqlite3_bind_blob(ST(s), i, v, n, SQLITE_STATIC));
}
static int lite_bind_null(sql_stmt *s, int i) { return map_rc(sqlite3_bind_null(ST(s), i)); }
static int lite_step(sql_stmt *s)
{
	struct lite_stmt *x = LS(s);
	if (!x->stepped) { /* one execution of a statement (the writer's statements per job, bench/) */
		x->stepped = true;
		x->db->statements++;
	}
	if (!x->ret_emulated)
		return map_rc(sqlite3_step(x->s));
	if (x->ret_state)
		return x->ret_state = 2, SQL_DONE;
	int rc = sqlite3_step(x->s);
	if (rc != SQLITE_DONE)
		return map_rc(rc);
	sqlite3 *db = sqlite3_db_handle(x->s);
	if (sqlite3_changes(db) != 1) /* ON CONFLICT DO NOTHING, or OR IGNORE: no row, as RETURNING gives none */
		return x->ret_state = 2, SQL_DONE;
	x->ret_id = sqlite3_last_insert_rowid(db);
	return x->ret_state = 1, SQL_ROW;
}
static int64_t lite_col_int64(sql_stmt *s, int i)
{
	return LS(s)->ret_state == 1 ? (i == 0 ? LS(s)->ret_id : 0) : sqlite3_column_int64(ST(s), i);
}
static double lite_col_double(sql_stmt *s, int i) { return sqlite3_column_double(ST(s), i); }
static const unsigned char *lite_col_text(sql_stmt *s, int i) { return sqlite3_column_text(ST(s), i); }
static const void *lite_col_blob(sql_stmt *s, int i) { return sqlite3_column_blob(ST(s), i); }
static int lite_col_bytes(sql_stmt *s, int i) { return sqlite3_column_bytes(ST(s), i); }
static bool lite_col_is_null(sql_stmt *s, int i) { return sqlite3_column_type(ST(s), i) == SQLITE_NULL; }
static int64_t lite_changes(sql_db *d) { return sqlite3_changes(DB(d)); }
static const char *lite_errmsg(sql_db *d) { return sqlite3_errmsg(DB(d)); }

static int lite_exec(sql_db *d, const char *script)
{
	d->statements++; /* a script counts as one (BEGIN, SAVEPOINT, RELEASE, COMMIT are one statement each) */
	int rc = map_rc(sqlite3_exec(DB(d), script, NULL, NULL, NULL));
	return rc < 0 ? rc : STORE_OK;
}

/* A transaction's BEGIN, COMMIT or ROLLBACK from a statement prepared at its first use and kept, not parsed
 * again each time as sqlite3_exec would (the intake writer parsed a BEGIN IMMEDIATE and a COMMIT a batch, ~1%
 * of its CPU; every read transaction a BEGIN DEFERRED and a COMMIT). The same outcome and counters as
 * lite_exec: one statement, its error left in sqlite3_errmsg. */
static int lite_tx(sql_db *d, int which)
{
	static const char *const text[LITE_TX_N] = {"BEGIN IMMEDIATE", "BEGIN DEFERRED", "COMMIT", "ROLLBACK"};
	struct lite_db *c = (struct lite_db *)d;
	if (!c->tx[which] &&
	    sqlite3_prepare_v3(c->db, text[which], -1, SQLITE_PREPARE_PERSISTENT, &c->tx[which], NULL) != SQLITE_OK)
		return lite_exec(d, text[which]); /* says why as before (out of memory: nothing else fails here) */
	d->statements++;
	int rc = sqlite3_step(c->tx[which]);
	sqlite3_reset(c->tx[which]);
	return rc == SQLITE_DONE ? STORE_OK : (map_rc(rc) < 0 ? map_rc(rc) : STORE_EIO);
}

static int lite_begin(sql_db *d, bool write) { return lite_tx(d, write ? LITE_TX_BEGIN_WRITE : LITE_TX_BEGIN_READ); }
static int lite_commit(sql_db *d) { return lite_tx(d, LITE_TX_COMMIT); }
static int lite_rollback(sql_db *d) { return lite_tx(d, LITE_TX_ROLLBACK); }
static bool lite_in_tx(sql_db *d) { return !sqlite3_get_autocommit(DB(d)); }

static void lite_close(sql_db *d)
{
	for (int i = 0; i < LITE_TX_N; i++)
		sqlite3_finalize(((struct lite_db *)d)->tx[i]);
	sqlite3_close_v2(DB(d));
	free(d);
}

static int lite_schema_version(sql_db *d, int *v)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(DB(d), "PRAGMA user_version", -1, &s, NULL) != SQLITE_OK)
		return STORE_EIO;
	int rc = sqlite3_step(s);
	*v = rc == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? STORE_OK : STORE_EIO;
}

static int lite_migrate_one(sql_db *d, int version, const char *script, const char *own)
{
	char pragma[64];
	snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", version);
	int rc = lite_exec(d, script);
	if (rc == STORE_OK && own)
		rc = lite_exec(d, own);
	return rc ? rc : lite_exec(d, pragma);
}

static int lite_checkpoint(sql_db *d)
{
	int rc = sqlite3_wal_checkpoint_v2(DB(d), NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
	return rc == SQLITE_OK ? STORE_OK : (map_rc(rc) < 0 ? map_rc(rc) : STORE_EIO);
}

static const struct sql_driver lite_driver = {
	.name = "sqlite",
	.prepare = lite_prepare,
	.finalize = lite_finalize,
	.reset = lite_reset,
	.clear_bindings = lite_clear,
	.param_count = lite_param_count,
	.bind_int64 = lite_bind_int64,
	.bind_double = lite_bind_double,
	.bind_text = lite_bind_text,
	.bind_blob = lite_bind_blob,
	.bind_null = lite_bind_null,
	.step = lite_step,
	.column_int64 = lite_col_int64,
	.column_double = lite_col_double,
	.column_text = lite_col_text,
	.column_blob = lite_col_blob,
	.column_bytes = lite_col_bytes,
	.column_is_null = lite_col_is_null,
	.changes = lite_changes,
	.errmsg = lite_errmsg,
	.exec = lite_exec,
	.begin = lite_begin,
	.commit = lite_commit,
	.rollback = lite_rollback,
	.in_transaction = lite_in_tx,
	.close = lite_close,
	.schema_version = lite_schema_version,
	.migrate_one = lite_migrate_one,
	.checkpoint = lite_checkpoint,
};

/* The database holds personal data: a file opened for the first time is made readable and writable by its
 * owner only (0600, whatever the umask), before SQLite sees it (an empty file is an empty database). SQLite
 * gives the -wal and -shm files it creates the mode of the database file. A file that exists keeps the mode
 * its operator gave it. If the file cannot be made here, sqlite3_open_v2 says why. */
static void create_private(const char *path)
{
	if (!path[0] || strcmp(path, ":memory:") == 0 || strncmp(path, "file:", 5) == 0)
		return;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd >= 0)
		close(fd);
}

/* ---- the page cache: SQLite's own, with truncations that can drop nothing skipped ------------------------ */

/* SQLite's default page cache (pcache1), which this one hands every call to. Set once, before SQLite's first
 * use (lite_global_setup), and read-only after. */
static sqlite3_pcache_methods2 lite_pcache_base;
static unsigned long long lite_pcache_skipped, lite_pcache_passed; /* truncations (the tests: relaxed atomics) */

/* Why: a b-tree balance that puts its new pages in page order swaps two of them through a spare page number,
 * the lock-byte page's (0x40000000 / page size + 1: 262,145 with 4 KiB pages; btree.c balance_nonroot), and
 * pcache1 then takes that as the highest key it ever held. Every COMMIT ends by truncating the cache to the
 * database's size (pager_end_transaction), and with that key above it pcache1 walks its whole hash table,
 * a division a bucket: with the writer's 32 MiB cache (8,192 pages, as many buckets or more) 6% of the intake
 * writer's CPU, on every commit in which an index page split (issue 17, r-sqlw25). This cache counts the pages
 * it placed at that number and not yet away, and the highest key it gave any other page since the last
 * truncation that it passed on; a truncation that can drop nothing (no page there, none above the limit) is
 * not passed on. Anything it cannot tell (a page discarded while at the spare number, or fetched there) keeps
 * it passing on, as before. */
struct lite_pcache {
	sqlite3_pcache *base;
	unsigned spare;    /* the page number balance_nonroot swaps through */
	unsigned max_key;  /* no page has a key above this but at spare */
	unsigned at_spare; /* pages rekeyed to spare and not away since */
};

static int lite_pcache_init(void *arg)
{
	(void)arg;
	return lite_pcache_base.xInit(lite_pcache_base.pArg);
}

static void lite_pcache_shutdown(void *arg)
{
	(void)arg;
	if (lite_pcache_base.xShutdown)
		lite_pcache_base.xShutdown(lite_pcache_base.pArg);
}

static sqlite3_pcache *lite_pcache_create(int page, int extra, int purgeable)
{
	struct lite_pcache *c = sqlite3_malloc(sizeof *c);
	if (!c)
		return NULL;
	if (!(c->base = lite_pcache_base.xCreate(page, extra, purgeable))) {
		sqlite3_free(c);
		return NULL;
	}
	c->spare = page > 0 ? 0x40000000u / (unsigned)page + 1 : 0;
	c->max_key = 0;
	c->at_spare = 0;
	return (sqlite3_pcache *)c;
}

#define LPC(p) ((struct lite_pcache *)(p))

static void lite_pcache_size(sqlite3_pcache *p, int n) { lite_pcache_base.xCachesize(LPC(p)->base, n); }
static int lite_pcache_count(sqlite3_pcache *p) { return lite_pcache_base.xPagecount(LPC(p)->base); }

static sqlite3_pcache_page *lite_pcache_fetch(sqlite3_pcache *p, unsigned key, int create)
{
	struct lite_pcache *c = LPC(p);
	sqlite3_pcache_page *pg = lite_pcache_base.xFetch(c->base, key, create);
	if (pg && key > c->max_key) /* at spare too: then every truncation is passed on until one reaches it */
		c->max_key = key;
	return pg;
}

static void lite_pcache_unpin(sqlite3_pcache *p, sqlite3_pcache_page *pg, int discard)
{
	lite_pcache_base.xUnpin(LPC(p)->base, pg, discard);
}

static void lite_pcache_rekey(sqlite3_pcache *p, sqlite3_pcache_page *pg, unsigned from, unsigned to)
{
	struct lite_pcache *c = LPC(p);
	lite_pcache_base.xRekey(c->base, pg, from, to);
	if (to == c->spare)
		c->at_spare++;
	else if (to > c->max_key)
		c->max_key = to;
	if (from == c->spare && c->at_spare > 0)
		c->at_spare--;
}

static void lite_pcache_truncate(sqlite3_pcache *p, unsigned limit)
{
	struct lite_pcache *c = LPC(p);
	if (c->at_spare == 0 && c->max_key < limit) { /* no page has a key at or above limit */
		__atomic_fetch_add(&lite_pcache_skipped, 1, __ATOMIC_RELAXED);
		return;
	}
	__atomic_fetch_add(&lite_pcache_passed, 1, __ATOMIC_RELAXED);
	lite_pcache_base.xTruncate(c->base, limit);
	if (limit <= c->spare)
		c->at_spare = 0;
	if (limit == 0)
		c->max_key = 0;
	else if (c->max_key >= limit)
		c->max_key = limit - 1;
}

static void lite_pcache_destroy(sqlite3_pcache *p)
{
	lite_pcache_base.xDestroy(LPC(p)->base);
	sqlite3_free(p);
}

static void lite_pcache_shrink(sqlite3_pcache *p)
{
	if (lite_pcache_base.xShrink)
		lite_pcache_base.xShrink(LPC(p)->base);
}

void sql_sqlite_pcache_counts(unsigned long long *skipped, unsigned long long *passed)
{
	*skipped = __atomic_load_n(&lite_pcache_skipped, __ATOMIC_RELAXED);
	*passed = __atomic_load_n(&lite_pcache_passed, __ATOMIC_RELAXED);
}

/* Before SQLite's first use: no bulk page-cache allocation per cache. Every temporary b-tree a statement
 * opens (DISTINCT, IN (SELECT ...), a sort) has a page cache of its own, which by default starts with a
 * 20-page (~86 KB) block: allocated, zeroed and freed per statement, it had the intake writer page-faulting
 * and giving memory back to the kernel (madvise) on every record. Pages are then allocated as used. */
static void lite_global_setup(void)
{
	(void)sqlite3_config(SQLITE_CONFIG_PAGECACHE, NULL, 0, 0); /* SQLITE_MISUSE if already initialised */
	/* The sub-journal (each page's image before a savepoint or statement changed it, for ROLLBACK TO) is kept
	 * in memory up to 128 KiB - 1, not the default 64 KiB. One intake job changes ~25 existing pages (~100 KB)
	 * inside its savepoint (service/txq.c), so with the default the sub-journal spilled to a temporary file in
	 * every batch: created, written page by page, never emptied at RELEASE (a file is not) and deleted at
	 * COMMIT - 18% of the intake writer's CPU (perf, bench/intake_cpu.sh). In memory it is emptied at each
	 * RELEASE. No more than 128 KiB - 1: past the threshold SQLite copies the memory journal (one chunk of the
	 * threshold's size) to the file in one write, and its unix VFS writes at most 128 KiB - 1 bytes at once
	 * (os_unix.c masks the count with 0x1ffff): with 1 MiB any statement whose sub-journal outgrew ~128 KiB
	 * and then 1 MiB failed with "database or disk is full" (SQLite 3.40; tests/unit/test_store.c
	 * savepoint_spills_to_file). Not -1 (never spill): a statement rewriting a large table would keep every
	 * page it changed in memory. */
	(void)sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, 128 * 1024 - 1);
	/* No memory statistics (nothing reads them: sqlite3_memory_used, a soft heap limit): with them every
	 * allocation SQLite makes takes one process-wide mutex to count it, shared by the writer and the HTTP
	 * threads' connections; Debian's SQLite has no lookaside (SQLITE_OMIT_LOOKASIDE), so that is every small
	 * allocation of every statement (issue 17, r-sqlw18). */
	(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	/* The page cache above, over SQLite's own (both calls SQLITE_MISUSE if SQLite is already initialised:
	 * then its own stays, as before). */
	static const sqlite3_pcache_methods2 wrap = {
		.iVersion = 1,
		.xInit = lite_pcache_init,
		.xShutdown = lite_pcache_shutdown,
		.xCreate = lite_pcache_create,
		.xCachesize = lite_pcache_size,
		.xPagecount = lite_pcache_count,
		.xFetch = lite_pcache_fetch,
		.xUnpin = lite_pcache_unpin,
		.xRekey = lite_pcache_rekey,
		.xTruncate = lite_pcache_truncate,
		.xDestroy = lite_pcache_destroy,
		.xShrink = lite_pcache_shrink,
	};
	if (sqlite3_config(SQLITE_CONFIG_GETPCACHE2, &lite_pcache_base) == SQLITE_OK && lite_pcache_base.xCreate &&
	    lite_pcache_base.xInit)
		(void)sqlite3_config(SQLITE_CONFIG_PCACHE2, &wrap);
	/* Each WAL frame written by one call, not two (store/lite_vfs.c). Last: finding the unix VFS initialises
	 * SQLite, after which nothing above could be configured. */
	(void)lite_vfs_install();
}

sql_db *sql_sqlite_open(const char *path, char *err, size_t errsz)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, lite_global_setup);
	struct lite_db *c = calloc(1, sizeof *c);
	if (!c) {
		snprintf(err, errsz, "out of memory");
		return NULL;
	}
	c->head.drv = &lite_driver;
	create_private(path);
	int rc = sqlite3_open_v2(path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errsz, "cannot open %s: %s", path, c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc));
		goto fail;
	}
	sqlite3_extended_result_codes(c->db, 1);
	sqlite3_busy_timeout(c->db, 10000);
	/* Durability and integrity settings, constant text. */
	const char *setup = "PRAGMA journal_mode = WAL;"
			    "PRAGMA synchronous = FULL;"
			    "PRAGMA foreign_keys = ON;"
			    "PRAGMA trusted_schema = OFF;"
			    /* 32 MiB of page cache (the default is 2 MiB): the writer's commit of ~20 records touches
			     * pages spread over a dozen indexes, and with the default it spilled dirty pages into the
			     * WAL in the middle of its transaction. Allocated only as pages are used. */
			    "PRAGMA cache_size = -32768;"
			    /* The WAL copied into the file (the checkpoint, run by the COMMIT that takes the WAL past
			     * this many frames) every 4,000 frames, not SQLite's 1,000: a checkpoint copies each page
			     * once however many frames it has in the WAL, and intake rewrites the same index pages in
			     * commit after commit, so every 4,000 frames copies fewer pages an event and flushes the
			     * file a quarter as often (issue 17, r-sqlw27: 25 -> 21 KiB written an event). 4,000 frames
			     * (16 MiB) stay within the WAL index's first hash table (4,096 frames), the one a reader
			     * looks a page up in. */
			    "PRAGMA wal_autocheckpoint = 4000;"
			    /* Freed bytes are overwritten: a TOTP secret encrypted in place, or a row removed, does
			     * not stay readable in the file (issue 14). */
			    "PRAGMA secure_delete = ON;";
	if (sqlite3_exec(c->db, setup, NULL, NULL, NULL) != SQLITE_OK) {
		snprintf(err, errsz, "cannot set up %s: %s", path, sqlite3_errmsg(c->db));
		goto fail;
	}
	return &c->head;
fail:
	sqlite3_close_v2(c->db);
	free(c);
	return NULL;
}
