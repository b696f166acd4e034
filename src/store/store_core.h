/*
 * store/store_core.h — the handles, errors and sizes every area uses; opening, connections,
 * transactions; the reader's view.
 * One part of the store's contract (issue 17): store/store.h includes every part.
 */
#ifndef SAFEGUARD_STORE_STORE_CORE_H
#define SAFEGUARD_STORE_STORE_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct store store;
typedef struct store_conn store_conn;

enum {
	STORE_OK = 0,
	STORE_EIO = -1,       /* the database failed: disk, corruption, lost connection */
	STORE_EBUSY = -2,     /* another writer held the lock past the timeout */
	STORE_ECONFLICT = -3, /* a uniqueness rule would be broken */
	STORE_EURL = -4,      /* the URL names no backend we have, or cannot be opened */
	STORE_ESCHEMA = -5,   /* the schema is newer than this binary, or not migrated */
	STORE_EUNAVAIL = -6,  /* the database cannot be reached now (connection lost, failing over): nothing of
			       * this transaction is known to be committed; try again (the API answers 503) */
	STORE_EUNKNOWN = -7,  /* the connection was lost after COMMIT was sent (store_commit only): the transaction
			       * may or may not be committed; check before trying again (the API answers 503 as for
			       * STORE_EUNAVAIL: intake is idempotent; the pages say so) */
	STORE_EINVAL = -8,    /* the caller left out what the call requires (store_events.h says which): nothing
			       * written; a bug in the caller (the API answers 500) */
};

#define STORE_TOKEN_HASH_LEN 32
#define STORE_CODE_MAX 32    /* agency codes, kinds, identifier kinds */
#define STORE_TS_LEN 20      /* YYYY-MM-DDTHH:MM:SSZ */
#define STORE_NAME_BYTES 401 /* 100 characters of UTF-8 and the NUL */
#define STORE_ADDR_BYTES 1201
#define STORE_ATTR_BYTES 1201 /* 300 characters */

/* ---- opening, schema, connections ---------------------------------------------------------------- */

/* Opens the database named by url; creates an SQLite file if missing. Does not migrate. */
int store_open(const char *url, store **out, char *err, size_t errsz);
void store_close(store *st);

/* Brings the schema to this binary's version in one transaction per step. *from and *to may be NULL. */
int store_migrate(store *st, int *from, int *to, char *err, size_t errsz);
/* STORE_ESCHEMA unless the schema is exactly this binary's version. */
int store_check_schema(store *st, char *err, size_t errsz);
int store_schema_latest(void);

store_conn *store_conn_get(store *st); /* NULL when no connection can be made */
void store_conn_put(store *st, store_conn *c);
/* A connection for a read-only snapshot: to the replica named by store_set_read_url when there is one (and it
 * answers), else as store_conn_get. Handed back with store_conn_put. */
store_conn *store_conn_get_read(store *st);
/* serve --db-read URL (PostgreSQL only): snapshot reads go to that replica, and writers' commits wait until
 * it has applied them (synchronous_commit = remote_apply), so a page read after a write shows it. */
int store_set_read_url(store *st, const char *url, char *err, size_t errsz);
/* PostgreSQL: the file that keeps, across processes, the newest timeline of each database cluster written to
 * (a primary on an older one is an old primary back after a failover: never written to; docs/SCALING.md
 * "Fencing"). Set before store_open; NULL: this process's memory only. No effect on SQLite. */
void store_set_fence_file(const char *path);
const char *store_conn_errmsg(store_conn *c);
/* Commands this connection sent to the database server and the round trips it waited for, since it opened
 * (0 on SQLite, which has no server): what the benchmarks divide by events (docs/BENCHMARKS.md). */
void store_conn_counters(store_conn *c, uint64_t *statements, uint64_t *round_trips);
/* What this connection's reads sent ahead (store_send_ahead) came to, since it opened: reads sent, reads
 * answered with what was sent, and reads a read transaction made afresh (not sent ahead, or made with other
 * arguments). A page whose ahead list matches its reads has sent == taken and no fresh read (issue 17). All
 * 0 on SQLite, which sends nothing ahead. */
struct store_ahead_counts {
	uint64_t sent, taken, fresh;
};
void store_conn_ahead_counts(store_conn *c, struct store_ahead_counts *out);

int store_begin(store_conn *c);      /* a write transaction, taking the write lock now */
int store_begin_read(store_conn *c); /* a read transaction: one consistent snapshot; end with commit */
int store_commit(store_conn *c);
int store_rollback(store_conn *c);
int store_savepoint(store_conn *c);
int store_savepoint_release(store_conn *c);
int store_savepoint_rollback(store_conn *c); /* undo to the savepoint and release it */
/* A refused write inside a transaction is refused alone and the transaction goes on (a duplicate source
 * record, a user name taken, ...), except the writes whose refusal no caller answers (store/ops.c marks them
 * SQL_DEFERRED: identifiers, households, blocking keys, audit entries, a new person or event): on
 * PostgreSQL their refusal may be reported by a later call, and then fails every call up to
 * store_savepoint_rollback or store_rollback (service/txq.c rolls such a job back to its savepoint).
 * store_savepoint_release reports any refusal not reported yet. */

/* A cheap query proving the database answers (for /healthz). */
int store_ping(store_conn *c);

/* The query planner's statistics of the tables as they now are (the nightly sweep's last step; docs/INTERNALS.md).
 * SQLite keeps none unless asked (nothing else in the product runs ANALYZE there), and without them plans some
 * lists badly (the MASH's decided list: 3.6 s at 50,000 children, 2-6 ms with them; docs/BENCHMARKS.md,
 * r-sqlstat24): a whole ANALYZE of a table (PRAGMA analysis_limit = 0: a bounded one, SQLite 3.40's approximate
 * form, counts at most the limit's rows of an index's leading value and chose the 3.6 s plan again at 50,000
 * children with 10,000, and at a million with 100,000). A table of fewer than STORE_STATS_MIN_ROWS rows is left
 * without (what it had is dropped): it keeps the planner's defaults (a large table), as every table had before,
 * because a table counted near empty and grown by the next day's intake would be planned as tiny until the next
 * night (PostgreSQL's lesson, store/ops.c migration 36; SQLite itself writes nothing for an empty table).
 * A table a time, each call its own write transaction, so that the writer is held for one table's ANALYZE at
 * most (docs/BENCHMARKS.md, r-stats25): store_planner_stats_table looks at the first table after `after` in
 * name order ("" for the first; *table its name, "" when none is left), counts its rows and analyses it only
 * when it has none yet or its row count moved by more than STORE_STATS_MOVED_NUM/DEN (x1.25 up or down) since
 * its statistics were taken; *changed when it wrote sqlite_stat1. Then, once, if any call changed it,
 * store_planner_stats_end trims what is under STORE_STATS_MIN_ROWS, reloads the statistics into this
 * connection's planner and moves the schema cookie, so that every other connection reads them at its next
 * statement (ANALYZE moves it only when it creates sqlite_stat1). PostgreSQL: nothing
 * (autovacuum keeps them; *table comes back "" at once). */
#define STORE_STATS_MIN_ROWS 1000
#define STORE_STATS_MOVED_NUM 5
#define STORE_STATS_MOVED_DEN 4
#define STORE_STATS_TABLE_MAX 64
int store_planner_stats_table(store_conn *c, const char *after, char table[STORE_STATS_TABLE_MAX], bool *changed);
int store_planner_stats_end(store_conn *c);

/* ---- what a reader may see ------------------------------------------------------------------------------
 * Every list that names a child, or shows a child's events, takes the reader's view and applies it: the view
 * is decided by service/access.c (access_view, access_list_view), never here and never at an edge, so a list
 * cannot be built for a reader without it. The store only applies what it is given. Never NULL (a call
 * without one fails with STORE_EIO). */
struct store_view {
	bool sealed;                    /* sealed persons are listed; else they are left out of every list and count */
	const char *agency;             /* events: only this agency's (NULL: every agency's); alerts: only those
					 * whose evidence is all such events */
	const char *private_agency;     /* events of this agency whose details.category is one of */
	const char *private_categories; /* these (a JSON array of strings) are left out; both NULL: none are */
};

#endif
