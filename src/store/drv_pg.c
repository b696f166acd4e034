/*
 * store/drv_pg.c — the PostgreSQL engine of store/sql.h (postgresql://..., over libpq).
 *
 * The SQL is store/ops.c's, shared with SQLite. What this file adds so that one text serves both:
 *  - parameters: ops.c numbers them ?NN (reused, sparse: the view's ?61..?64, the clock's ?60); they are
 *    renumbered to a compact $1..$k here, and bound by their ?NN number through a map. Each parameter is
 *    typed by what was bound to it (int8, float8, text, bytea; a NULL is left for the server to infer), so
 *    a statement is prepared on the server the first time it is stepped, once per set of types seen.
 *  - results are read in text form: integers and doubles parsed, booleans 't'/'f' read as 1/0, bytea
 *    decoded; a row's values live until the next step or reset, as SQLite's do.
 *  - a write inside a transaction runs under a statement savepoint, so that a refused INSERT (a conflict
 *    that the caller answers) leaves the transaction usable, as a failed statement does in SQLite. The
 *    savepoint, the statement and its release go in one round trip (libpq's pipeline mode, issue 17): on a
 *    busy machine each round trip waits for both processes to be scheduled.
 *  - a statement whose description ends with SQL_DEFERRED (store/sql.h: a write whose outcome no caller
 *    reads) is not waited for inside a transaction, and has no statement savepoint: it is sent in pipeline
 *    mode and answered together with the next statement that waits (see "the pipeline" below). Intake's
 *    record went from 18 round trips to 9 (docs/BENCHMARKS.md, "PostgreSQL intake").
 *  - a reader's snapshot (BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY) is queued the same way and answered
 *    with its first read: a page's snapshot took a round trip for its BEGIN alone (pg_begin).
 *  - reads sent ahead (sql_send) go into the same pipeline, each answer kept in its statement until a step
 *    bound alike takes it (pg_send, take_sent): the record page's nine independent reads, nine round trips,
 *    are answered in one, with the snapshot's BEGIN.
 *  - a statement whose description carries SQL_CUSTOM_PLAN (store/sql.h) is prepared once to learn its
 *    parameters' types, then run as the unnamed statement, so that it is planned with its values every time:
 *    no generic plan (send_step). One marked SQL_INDEX_ORDER goes between SET enable_sort = off and RESET
 *    enable_sort, in the same round trip (pipelined).
 *  - writers serialise: store_begin takes pg_advisory_xact_lock(SG_WRITE_LOCK) right after BEGIN, so one
 *    writer at a time holds it until COMMIT, whichever server process it runs in. The audit chain's order
 *    (service/audit.c reads the last entry and appends inside the writer's transaction) is therefore this
 *    lock's order, one unbroken sequence across processes, exactly as BEGIN IMMEDIATE gives on SQLite.
 *  - a commit returns only when PostgreSQL says it is durable (synchronous_commit = on for this session).
 *  - migrations: ops.c's SQLite DDL with its few type words rewritten (INTEGER PRIMARY KEY, INTEGER, REAL,
 *    BLOB, WITHOUT ROWID) and its triggers dropped; PostgreSQL's own triggers come from ops.c's
 *    pg_migration[] (same index). A few functions that SQLite has and PostgreSQL lacks (json_extract,
 *    json_each, two-argument min/max, ...) are created as plain SQL functions first (PG_COMPAT). The version
 *    is kept in a one-row table.
 */
#include "lib/dynlib.h"
#include "store/sql.h"
#include "store/store.h"

#include <ctype.h>
#include <errno.h>
#include <libpq-fe.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * libpq, opened when the first postgresql: URL is (dlopen), not linked into the binary.
 *
 * Most starts of safeguard never touch PostgreSQL (a CLI command on SQLite, make check's ~20,000 of them), yet
 * a binary linked with -lpq makes the dynamic loader map and relocate libpq and what it brings (libssl,
 * libcrypto, gssapi/krb5, ldap, sasl...) at every start: ~3 ms of CPU a start (docs/BENCHMARKS.md, "r-dl30").
 * So this file calls libpq through the table below, filled once a process (pthread_once) by dlopen +
 * dlsym the first time sql_pg_open runs. The library is still Debian's libpq (libpq5, with libpq-dev);
 * only when it is loaded changes. <libpq-fe.h> still gives the types, and each pointer is declared with
 * the type of the function it stands for (__typeof__), so a call is checked as before. The open-and-bind is
 * lib/dynlib.c's (shared with http/server.c's libmicrohttpd; no libtool ltdl, no generated stubs). The macros after
 * pq_load make the code below read as plain libpq calls. A function added here must be added to PQ_FUNCS
 * and given its #define, or the binary fails to link (libpq is no longer on its link line).
 */
#define PQ_FUNCS(X)                                                                                                \
	X(PQclear)                                                                                                 \
	X(PQcmdStatus)                                                                                             \
	X(PQcmdTuples)                                                                                             \
	X(PQconnectdb)                                                                                             \
	X(PQconnectdbParams)                                                                                       \
	X(PQconninfoFree)                                                                                          \
	X(PQconninfoParse)                                                                                         \
	X(PQconsumeInput)                                                                                          \
	X(PQenterPipelineMode)                                                                                     \
	X(PQerrorMessage)                                                                                          \
	X(PQexec)                                                                                                  \
	X(PQexecParams)                                                                                            \
	X(PQexecPrepared)                                                                                          \
	X(PQexitPipelineMode)                                                                                      \
	X(PQfinish)                                                                                                \
	X(PQflush)                                                                                                 \
	X(PQfreemem)                                                                                               \
	X(PQftype)                                                                                                 \
	X(PQgetResult)                                                                                             \
	X(PQgetisnull)                                                                                             \
	X(PQgetlength)                                                                                             \
	X(PQgetvalue)                                                                                              \
	X(PQhost)                                                                                                  \
	X(PQisBusy)                                                                                                \
	X(PQnfields)                                                                                               \
	X(PQntuples)                                                                                               \
	X(PQpipelineStatus)                                                                                        \
	X(PQpipelineSync)                                                                                          \
	X(PQprepare)                                                                                               \
	X(PQputCopyData)                                                                                           \
	X(PQputCopyEnd)                                                                                            \
	X(PQresultErrorField)                                                                                      \
	X(PQresultStatus)                                                                                          \
	X(PQsendQueryParams)                                                                                       \
	X(PQsendQueryPrepared)                                                                                     \
	X(PQsetErrorVerbosity)                                                                                     \
	X(PQsocket)                                                                                                \
	X(PQstatus)                                                                                                \
	X(PQtransactionStatus)                                                                                     \
	X(PQunescapeBytea)

#define PQ_MEMBER(name) __typeof__(name) *name;
static struct {
	PQ_FUNCS(PQ_MEMBER)
} pq;
#undef PQ_MEMBER

static pthread_once_t pq_once = PTHREAD_ONCE_INIT;
static bool pq_ok;
static char pq_err[512]; /* why libpq could not be loaded (written once, by pq_load) */

#define PQ_NAME(name) #name,
static const char *const pq_names[] = {PQ_FUNCS(PQ_NAME)};
#undef PQ_NAME
_Static_assert(sizeof pq == sizeof pq_names / sizeof *pq_names * sizeof(void *),
	       "pq: one function pointer a name, nothing else");

static void pq_load(void)
{
	pq_ok = dynlib_open("libpq.so.5", "libpq (libpq.so.5, Debian's libpq5) for PostgreSQL", pq_names, sizeof pq_names / sizeof *pq_names,
			     &pq, pq_err, sizeof pq_err);
}

#define PQclear pq.PQclear
#define PQcmdStatus pq.PQcmdStatus
#define PQcmdTuples pq.PQcmdTuples
#define PQconnectdb pq.PQconnectdb
#define PQconnectdbParams pq.PQconnectdbParams
#define PQconninfoFree pq.PQconninfoFree
#define PQconninfoParse pq.PQconninfoParse
#define PQconsumeInput pq.PQconsumeInput
#define PQenterPipelineMode pq.PQenterPipelineMode
#define PQerrorMessage pq.PQerrorMessage
#define PQexec pq.PQexec
#define PQexecParams pq.PQexecParams
#define PQexecPrepared pq.PQexecPrepared
#define PQexitPipelineMode pq.PQexitPipelineMode
#define PQfinish pq.PQfinish
#define PQflush pq.PQflush
#define PQfreemem pq.PQfreemem
#define PQftype pq.PQftype
#define PQgetResult pq.PQgetResult
#define PQgetisnull pq.PQgetisnull
#define PQgetlength pq.PQgetlength
#define PQgetvalue pq.PQgetvalue
#define PQhost pq.PQhost
#define PQisBusy pq.PQisBusy
#define PQnfields pq.PQnfields
#define PQntuples pq.PQntuples
#define PQpipelineStatus pq.PQpipelineStatus
#define PQpipelineSync pq.PQpipelineSync
#define PQprepare pq.PQprepare
#define PQputCopyData pq.PQputCopyData
#define PQputCopyEnd pq.PQputCopyEnd
#define PQresultErrorField pq.PQresultErrorField
#define PQresultStatus pq.PQresultStatus
#define PQsendQueryParams pq.PQsendQueryParams
#define PQsendQueryPrepared pq.PQsendQueryPrepared
#define PQsetErrorVerbosity pq.PQsetErrorVerbosity
#define PQsocket pq.PQsocket
#define PQstatus pq.PQstatus
#define PQtransactionStatus pq.PQtransactionStatus
#define PQunescapeBytea pq.PQunescapeBytea

/* pg_advisory_xact_lock's key for "the writer": any constant no other application on the cluster uses. */
#define SG_WRITE_LOCK 0x5afe6a4dLL

enum { OID_BOOL = 16, OID_BYTEA = 17, OID_INT8 = 20, OID_TEXT = 25, OID_FLOAT8 = 701 };
enum { P_NULL, P_INT, P_DOUBLE, P_TEXT, P_BLOB };

struct pg_param {
	int kind;
	const void *ptr; /* text or blob as bound (not copied: it lives until the step, as with SQLite) */
	int len;
	char num[32]; /* an int or a double as text */
};

struct pg_variant {
	Oid types[SQL_NOW_PARAM + 8]; /* what was bound */
	Oid typed[SQL_NOW_PARAM + 8]; /* what the server was told (a NULL's type where it had to be given) */
	char name[24];
};

#define MAX_VARIANTS 8

/* What waits unanswered in a pipeline at most (so that neither side's buffers can fill while the other
 * waits), and the reads sql_send holds at once in a transaction. */
#define QUEUE_MAX 64
#define SENT_MAX 32

struct pg_stmt {
	sql_stmt head; /* must be first */
	char *sql;     /* with $1..$k */
	int nparams;   /* k */
	int maxnn;     /* the largest ?NN */
	int map[128];  /* ?NN -> k (1-based), 0: not in this statement */
	struct pg_param p[SQL_NOW_PARAM + 8];
	struct pg_variant var[MAX_VARIANTS];
	int nvar;
	bool write; /* INSERT, UPDATE or DELETE: runs under a statement savepoint inside a transaction */
	bool plain;    /* SQL_DEFERRED in its description: no statement savepoint (a refusal fails the job) */
	bool deferred; /* and no RETURNING: inside a transaction, sent without waiting */
	bool rollback; /* ROLLBACK (TO ...) */
	bool custom;   /* SQL_CUSTOM_PLAN in its description: the unnamed statement, planned with its values */
	bool nosort;   /* SQL_INDEX_ORDER: planned with enable_sort off (and never sent ahead) */
	PGresult *res;
	int row, nrows;
	/* sql_send: sent with these parameters (key), its answer kept here until a step takes it or the
	 * transaction ends; serial tells this send's answer from an earlier one's still in the pipeline */
	bool sent, arrived;
	int sent_rc;
	unsigned sent_serial;
	PGresult *sent_res;
	char *sent_key;
	size_t sent_keylen;
	unsigned char **blobs; /* decoded bytea of the current row, by column */
	size_t *bloblen;
	unsigned char *ctype; /* each column's kind (COL_*), asked of the result once, not at every value */
	int ncols;
};
enum { COL_PLAIN, COL_BOOL, COL_BYTEA };

struct pg_db {
	sql_db head; /* must be first */
	PGconn *conn;
	int64_t changes;
	int queued; /* statements sent in pipeline mode whose answers are not read yet (SQL_DEFERRED) */
	/* for each of those, in order: the read sql_send sent (its answer kept for its step), or none */
	struct {
		struct pg_stmt *x;
		unsigned serial;
	} sentq[QUEUE_MAX + 2];
	struct pg_stmt *sent[SENT_MAX]; /* the statements holding a sent read (forgotten at the transaction's end) */
	int nsent;
	unsigned serial;
	/* in a reader's snapshot (pg_begin without write, until it ends): the only transaction that sends reads
	 * ahead, since nothing is written in it, so an answer sent ahead is the answer the step would get */
	bool snapshot;
	/* what is queued is only a reader's snapshot's COMMIT, sent with its Sync and not waited for (pg_commit):
	 * no transaction is open, and its answer is read before the connection is next used (end_read) */
	bool ending;
	/* that COMMIT's Sync is sent and its answer not read yet: the next drain reads it first, so statements
	 * queued behind the COMMIT (a snapshot's BEGIN) are answered in one round trip with it */
	bool ahead_sync;
	const char *waiter; /* the statement whose answer the next round trip waits for (SAFEGUARD_PG_RT_TRACE) */
	bool trace;         /* SAFEGUARD_PG_RT_TRACE set when the connection opened: name each wait on stderr */
	bool lost; /* the connection broke (or reached a server that cannot write): drop it, connect again */
	char err[512];
	/* a COPY in progress (copy_begin .. copy_end): its rows gathered here, sent in pieces of COPY_CHUNK */
	char *copy_buf;
	size_t copy_len, copy_cap;
	char copy_table[64];
	bool copy_ids, copy_failed;
};

#define COPY_CHUNK (256 * 1024)

#define PG(d) ((struct pg_db *)(d))
#define PS(s) ((struct pg_stmt *)(s))

static void set_err(struct pg_db *d, const char *m)
{
	snprintf(d->err, sizeof d->err, "%s", m ? m : "");
	size_t n = strlen(d->err);
	while (n && (d->err[n - 1] == '\n' || d->err[n - 1] == ' '))
		d->err[--n] = '\0';
}

/* SQLite's classes of failure, from the SQLSTATE. */
static int map_res(struct pg_db *d, PGresult *r)
{
	ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
		return STORE_OK;
	/* The primary message only: PostgreSQL's DETAIL quotes the values of a conflicting key, which may be
	 * personal data, and store_conn_errmsg reaches the logs. */
	const char *primary = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	set_err(d, primary ? primary : PQerrorMessage(d->conn));
	if (getenv("SAFEGUARD_SQL_TRACE")) /* a developer's switch: which statement failed, no values */
		fprintf(stderr, "pg: %s\n", d->err);
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	/* A lost connection (the server died: no SQLSTATE, the socket closed), a connection exception (08),
	 * the server shutting down or starting (57P01..57P03), or a standby that cannot write (25006: this
	 * session reached a replica, or a primary that was demoted; also a write in a READ ONLY transaction,
	 * which this code never sends): the connection is of no further use, and its open transaction is not
	 * committed (or, a COMMIT cut off, not known to be). The pool drops it; the next use connects again, and
	 * a multi-host URL with target_session_attrs=read-write finds the new primary (docs/SCALING.md). */
	if (PQstatus(d->conn) == CONNECTION_BAD || (state && (strncmp(state, "08", 2) == 0 ||
			strncmp(state, "57P0", 4) == 0 || strcmp(state, "25006") == 0))) {
		d->lost = true;
		return STORE_EUNAVAIL;
	}
	if (!state)
		return STORE_EIO;
	if (strncmp(state, "23", 2) == 0)
		return STORE_ECONFLICT;
	if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 || strcmp(state, "55P03") == 0)
		return STORE_EBUSY;
	return STORE_EIO;
}

/* Counts what is sent and waited for (sql_db's statements and round_trips): the commands of a script by its
 * semicolons (the scripts sent as text here have none inside quotes but PG_COMPAT's, which is counted
 * generously), one round trip per wait. */
static void count(struct pg_db *d, const char *sql, int statements)
{
	if (sql) {
		statements = 1;
		for (const char *p = sql; *p; p++)
			if (*p == ';' && p[1])
				statements++;
	}
	d->head.statements += (uint64_t)statements;
	d->head.round_trips++;
	/* a developer's switch: which statement each round trip waits for (its first words, no values) */
	if (d->trace) {
		const char *w = sql ? sql : d->waiter ? d->waiter : "(queue)";
		fprintf(stderr, "pg-rt: %.90s\n", w);
	}
	d->waiter = NULL;
}

static int settle(struct pg_db *d);
static void forget_all_sent(struct pg_db *d);

/* A command with no parameters (transactions, savepoints, DDL), after whatever is queued: a ROLLBACK runs
 * whatever became of that, anything else fails with the first queued failure. */
static int pexec(struct pg_db *d, const char *sql)
{
	int q = settle(d);
	if (q != STORE_OK && strncmp(sql, "ROLLBACK", 8) != 0)
		return q;
	/* ROLLBACK TO a savepoint (variant's retried prepare) ends no transaction, nor a snapshot */
	if ((strncmp(sql, "ROLLBACK", 8) == 0 && strncmp(sql, "ROLLBACK TO", 11) != 0) || strncmp(sql, "BEGIN", 5) == 0) {
		forget_all_sent(d); /* reads sent ahead belong to the snapshot that ends */
		d->snapshot = false;
	}
	count(d, sql, 0);
	PGresult *r = PQexec(d->conn, sql);
	int rc = map_res(d, r);
	PQclear(r);
	return rc;
}

/* ?NN -> $k outside quotes; bare ? takes the next number, as SQLite numbers it. */
static char *renumber(struct pg_stmt *x, const char *sql)
{
	size_t n = strlen(sql);
	size_t cap = n * 2 + 16; /* "$k" is never more than twice the "?NN" it replaces */
	char *out = malloc(cap);
	if (!out)
		return NULL;
	size_t o = 0;
	char quote = 0;
	for (size_t i = 0; i < n; i++) {
		char ch = sql[i];
		if (quote) {
			out[o++] = ch;
			if (ch == quote)
				quote = 0;
			continue;
		}
		if (ch == '\'' || ch == '"') {
			quote = ch;
			out[o++] = ch;
			continue;
		}
		if (ch != '?') {
			out[o++] = ch;
			continue;
		}
		int nn = 0;
		size_t j = i + 1;
		while (j < n && isdigit((unsigned char)sql[j]) && nn < 1000)
			nn = nn * 10 + (sql[j++] - '0');
		if (j == i + 1)
			nn = x->maxnn + 1;
		if (nn <= 0 || nn >= (int)(sizeof x->map / sizeof x->map[0]) || nn >= SQL_NOW_PARAM + 8) {
			free(out);
			return NULL;
		}
		if (nn > x->maxnn)
			x->maxnn = nn;
		if (!x->map[nn])
			x->map[nn] = ++x->nparams;
		int w = snprintf(out + o, cap - o, "$%d", x->map[nn]);
		if (w < 0 || (size_t)w >= cap - o) {
			free(out);
			return NULL;
		}
		o += (size_t)w;
		i = j - 1;
	}
	out[o] = '\0';
	return out;
}

static sql_stmt *pg_prepare(sql_db *d, int id, const char *sql)
{
	struct pg_stmt *x = calloc(1, sizeof *x);
	if (!x)
		return NULL;
	if (!(x->sql = renumber(x, sql))) {
		set_err(PG(d), "statement has a parameter number out of range");
		free(x);
		return NULL;
	}
	const char *w = sql;
	while (*w == ' ' || *w == '\n')
		w++;
	x->write = strncmp(w, "INSERT", 6) == 0 || strncmp(w, "UPDATE", 6) == 0 || strncmp(w, "DELETE", 6) == 0 ||
		   (strncmp(w, "WITH", 4) == 0 && strstr(w, "AS (INSERT ")); /* a write in a CTE */
	/* No caller answers its refusal: no statement savepoint; sent without waiting unless its rows are read
	 * (the statement table's mark says which, store/sql.h) */
	x->deferred = strstr(sql, SQL_DEFERRED_MARK) != NULL;
	x->plain = x->deferred || strstr(sql, SQL_DEFERRED_ROWS_MARK) != NULL;
	x->rollback = strncmp(w, "ROLLBACK", 8) == 0;
	x->custom = strstr(sql, SQL_CUSTOM_PLAN_MARK) != NULL;
	x->nosort = strstr(sql, SQL_INDEX_ORDER_MARK) != NULL;
	return &x->head;
}

static void drop_row(struct pg_stmt *x)
{
	for (int i = 0; x->blobs && i < x->ncols; i++) {
		if (x->blobs[i])
			PQfreemem(x->blobs[i]);
		x->blobs[i] = NULL;
	}
}

/* A read sent ahead (sql_send) and not stepped: its answer dropped (or, still in the pipeline, dropped when
 * it arrives: its serial no longer matches). */
static void forget_sent(struct pg_db *d, struct pg_stmt *x)
{
	if (!x->sent)
		return;
	x->sent = x->arrived = false;
	PQclear(x->sent_res);
	x->sent_res = NULL;
	free(x->sent_key);
	x->sent_key = NULL;
	for (int i = 0; i < d->nsent; i++)
		if (d->sent[i] == x) {
			d->sent[i] = d->sent[--d->nsent];
			break;
		}
}

/* At a transaction's end: an answer sent ahead belongs to its snapshot alone. */
static void forget_all_sent(struct pg_db *d)
{
	while (d->nsent > 0)
		forget_sent(d, d->sent[d->nsent - 1]);
}

static void pg_reset(sql_stmt *s)
{
	struct pg_stmt *x = PS(s);
	drop_row(x);
	free(x->blobs);
	free(x->bloblen);
	free(x->ctype);
	x->blobs = NULL;
	x->bloblen = NULL;
	x->ctype = NULL;
	x->ncols = 0;
	PQclear(x->res);
	x->res = NULL;
	x->row = x->nrows = 0;
}

static void pg_finalize(sql_stmt *s)
{
	struct pg_stmt *x = PS(s);
	struct pg_db *d = PG(s->db);
	forget_sent(d, x);
	for (int i = 0; i < d->queued && i < QUEUE_MAX + 2; i++)
		if (d->sentq[i].x == x)
			d->sentq[i].x = NULL;
	pg_reset(s);
	free(x->sql);
	free(x);
}

static void pg_clear(sql_stmt *s)
{
	struct pg_stmt *x = PS(s);
	/* p[] holds this statement's nparams alone (map[] numbers them): the rest is never read */
	for (int i = 0; i < x->nparams; i++)
		x->p[i].kind = P_NULL;
}

static int pg_param_count(sql_stmt *s) { return PS(s)->maxnn; }

static struct pg_param *param(sql_stmt *s, int i)
{
	struct pg_stmt *x = PS(s);
	if (i <= 0 || i > x->maxnn || !x->map[i])
		return NULL; /* not in this statement (the view's parameters are bound to every statement that has any) */
	return &x->p[x->map[i] - 1];
}

static int pg_bind_int64(sql_stmt *s, int i, int64_t v)
{
	struct pg_param *p = param(s, i);
	if (p) {
		p->kind = P_INT;
		snprintf(p->num, sizeof p->num, "%lld", (long long)v);
	}
	return STORE_OK;
}

static int pg_bind_double(sql_stmt *s, int i, double v)
{
	struct pg_param *p = param(s, i);
	if (p) {
		p->kind = P_DOUBLE;
		snprintf(p->num, sizeof p->num, "%.17g", v);
	}
	return STORE_OK;
}

static int pg_bind_text(sql_stmt *s, int i, const char *v, int n)
{
	struct pg_param *p = param(s, i);
	if (p) {
		p->kind = v ? P_TEXT : P_NULL;
		p->ptr = v;
		p->len = n;
	}
	return STORE_OK;
}

static int pg_bind_blob(sql_stmt *s, int i, const void *v, int n)
{
	struct pg_param *p = param(s, i);
	if (p) {
		p->kind = v ? P_BLOB : P_NULL;
		p->ptr = v;
		p->len = n;
	}
	return STORE_OK;
}

static int pg_bind_null(sql_stmt *s, int i)
{
	struct pg_param *p = param(s, i);
	if (p)
		p->kind = P_NULL;
	return STORE_OK;
}

static Oid type_of(const struct pg_param *p)
{
	switch (p->kind) {
	case P_INT:
		return OID_INT8;
	case P_DOUBLE:
		return OID_FLOAT8;
	case P_TEXT:
		return OID_TEXT;
	case P_BLOB:
		return OID_BYTEA;
	default:
		return 0;
	}
}

/* The server-side statement for these parameter types, prepared the first time they are seen. */
static const struct pg_variant *variant(struct pg_db *d, struct pg_stmt *x, int *rc)
{
	Oid types[SQL_NOW_PARAM + 8];
	for (int k = 0; k < x->nparams; k++)
		types[k] = type_of(&x->p[k]);
	for (int v = 0; v < x->nvar; v++)
		if (memcmp(x->var[v].types, types, sizeof(Oid) * (size_t)x->nparams) == 0)
			return &x->var[v];
	if (x->nvar == MAX_VARIANTS) { /* forget the oldest: its server statement stays until the session ends */
		memmove(&x->var[0], &x->var[1], sizeof x->var[0] * (MAX_VARIANTS - 1));
		x->nvar--;
	}
	if ((*rc = settle(d)) != STORE_OK) /* PQprepare waits: what is queued goes first */
		return NULL;
	static int serial; /* names unique within the session; one connection is used by one thread at a time */
	struct pg_variant *v = &x->var[x->nvar];
	memcpy(v->types, types, sizeof(Oid) * (size_t)x->nparams);
	snprintf(v->name, sizeof v->name, "s%d_%d", x->head.id, __atomic_add_fetch(&serial, 1, __ATOMIC_RELAXED));
	/* Inside a transaction a refused prepare would abort it: under a savepoint (once per variant and
	 * connection). A NULL whose type nothing in the statement tells (`?2 IS NULL OR agency = ?2` with ?2
	 * NULL) is retried as text, the type of every such optional filter in ops.c. */
	bool sp = PQtransactionStatus(d->conn) == PQTRANS_INTRANS;
	if (sp && (*rc = pexec(d, "SAVEPOINT sg_prepare")) != STORE_OK)
		return NULL;
	Oid typed[SQL_NOW_PARAM + 8];
	memcpy(typed, types, sizeof(Oid) * (size_t)x->nparams);
	for (int attempt = 0; attempt < 2; attempt++) {
		count(d, NULL, 1);
		PGresult *r = PQprepare(d->conn, v->name, x->sql, x->nparams, typed);
		const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
		bool indeterminate = state && (strcmp(state, "42P18") == 0 || strcmp(state, "42P08") == 0);
		*rc = map_res(d, r);
		PQclear(r);
		if (*rc == STORE_OK || !indeterminate || attempt == 1)
			break;
		if (sp)
			pexec(d, "ROLLBACK TO SAVEPOINT sg_prepare");
		for (int k = 0; k < x->nparams; k++)
			if (!typed[k])
				typed[k] = OID_TEXT;
	}
	if (*rc != STORE_OK && getenv("SAFEGUARD_SQL_TRACE"))
		fprintf(stderr, "pg: preparing statement %d: %s\n", x->head.id, x->sql);
	if (sp) {
		char keep[sizeof d->err];
		memcpy(keep, d->err, sizeof keep);
		pexec(d, *rc == STORE_OK ? "RELEASE SAVEPOINT sg_prepare"
					 : "ROLLBACK TO SAVEPOINT sg_prepare; RELEASE SAVEPOINT sg_prepare");
		memcpy(d->err, keep, sizeof keep);
	}
	if (*rc != STORE_OK)
		return NULL;
	memcpy(v->typed, typed, sizeof(Oid) * (size_t)x->nparams);
	x->nvar++;
	return v;
}

/* Sends the statement's step: its prepared variant v, or, for a statement planned with its values
 * (SQL_CUSTOM_PLAN, store/sql.h), the unnamed statement with its text and v's types. PostgreSQL plans a
 * prepared statement with its values five times, then compares the generic plan's cost with theirs and, once
 * it takes the generic plan, keeps it for good on that connection: the MASH decisions' page went from 3-19 ms
 * to 840-1,004 ms at its sixth execution on a connection that paged far (docs/BENCHMARKS.md, r-review38). The
 * unnamed statement is parsed again each time (tens of microseconds), and planned each time as the first five
 * were. */
static int send_step(PGconn *conn, const struct pg_stmt *x, const struct pg_variant *v, const char *const *values,
		     const int *lengths, const int *formats)
{
	if (x->custom)
		return PQsendQueryParams(conn, x->sql, x->nparams, v->typed, values, lengths, formats, 0);
	return PQsendQueryPrepared(conn, v->name, x->nparams, values, lengths, formats, 0);
}

/* ---- the pipeline of a transaction (issue 17) ----------------------------------------------------------
 *
 * A statement that its description in store/ops.c marks SQL_DEFERRED (a write whose result no caller reads:
 * no RETURNING, no branch on its refusal) is not waited for inside a transaction: the connection enters
 * libpq's pipeline mode and the statement is sent, its answer left unread. The next statement that must wait
 * (a read, a write with RETURNING, a write whose refusal a caller answers, the job's RELEASE, COMMIT) goes
 * behind it, one Sync answers them all, and the connection leaves pipeline mode: one round trip for the lot.
 * It is flushed to the server as it is queued (queue_statement), not held in libpq's buffer until that Sync,
 * so the server runs it while the writer works on the next record (r-pgin29).
 *
 * A queued statement that failed makes the statement that waited fail with its error (and its words); the
 * server has aborted the transaction from there on, so every later statement fails too, until the job's
 * ROLLBACK TO (service/txq.c) or the transaction's ROLLBACK, exactly as after a failed statement that was
 * waited for. A refusal is therefore never lost: at the latest the job's RELEASE reports it. */

/* A pipeline that cannot be finished (its Sync unanswered or unsendable, a send refused): the connection's
 * protocol state is unknown, so it is of no further use. Marked lost (STORE_EUNAVAIL), the pool closes it and
 * the writer connects again, instead of every later batch failing on it. */
static int pipeline_broken(struct pg_db *d)
{
	const char *m = PQerrorMessage(d->conn);
	if (m && *m)
		set_err(d, m);
	else
		set_err(d, "a pipeline could not be finished");
	d->lost = true;
	d->queued = 0;
	d->ending = false;
	d->ahead_sync = false;
	return STORE_EUNAVAIL;
}

/* Reads the answers up to and including the Sync, after PQpipelineSync: first `queued` answers of statements
 * queued earlier, then `mine` answers of the caller's (*res keeps the one at index keep, if keep >= 0). rc[]
 * gets each of the caller's outcomes; the return is the first failure of the queued ones (STORE_OK: none). */
static int drain(struct pg_db *d, int queued, int mine, int keep, int *rc, PGresult **res)
{
	PGconn *conn = d->conn;
	int qrc = STORE_OK, q = 0, total = queued + mine;
	bool synced = false;
	bool first_error_seen = false;
	/* a snapshot's COMMIT sent with its own Sync (pg_commit) comes first, its Sync's answer then this one's */
	int syncs = d->ahead_sync ? 2 : 1;
	bool after_sync = false;
	d->ahead_sync = false;
	count(d, NULL, 0); /* one round trip; the statements were counted as they were sent */
	for (int k = 0; k < mine; k++)
		rc[k] = STORE_EIO;
	/* Each query's answer is followed by a NULL; the Sync's answer ends the pipeline. Bounded: a broken
	 * connection answers NULL for ever. */
	for (int i = 0; i < 4 * total + 24 && !synced; i++) {
		PGresult *r = PQgetResult(conn);
		if (!r) {
			if (!after_sync) /* (a NULL right after a Sync ends no statement's answers) */
				q++;
			after_sync = false;
			continue;
		}
		after_sync = false;
		ExecStatusType st = PQresultStatus(r);
		if (st == PGRES_PIPELINE_SYNC) {
			synced = --syncs == 0;
			after_sync = true;
			PQclear(r);
			continue;
		}
		if (q < total) {
			bool aborted = st == PGRES_PIPELINE_ABORTED;
			int x = STORE_OK;
			/* the first refusal's words are kept: the queries after it only say the pipeline was aborted */
			if (!aborted || !first_error_seen)
				x = map_res(d, r);
			else
				x = STORE_EIO;
			if (x != STORE_OK)
				first_error_seen = true;
			if (x == STORE_OK) {
				const char *t = PQcmdTuples(r);
				d->changes = t && *t ? strtoll(t, NULL, 10) : 0;
			}
			struct pg_stmt *t = q < queued && q < QUEUE_MAX + 2 ? d->sentq[q].x : NULL;
			if (t) { /* a read sent ahead: its answer is its step's, kept whole (a stale one dropped) */
				if (t->sent && !t->arrived && t->sent_serial == d->sentq[q].serial) {
					t->arrived = true;
					t->sent_rc = x;
					t->sent_res = r;
					continue;
				}
			} else if (q < queued) {
				if (qrc == STORE_OK && x != STORE_OK) {
					qrc = x;
					if (getenv("SAFEGUARD_SQL_TRACE"))
						fprintf(stderr, "pg: a statement sent without waiting failed: %s\n", d->err);
				}
			} else {
				rc[q - queued] = x;
				if (q - queued == keep) {
					*res = r;
					continue;
				}
			}
		}
		PQclear(r);
	}
	if (!synced || !PQexitPipelineMode(conn))
		return pipeline_broken(d);
	return qrc;
}

/* The answer of a snapshot's COMMIT sent with its Sync and not waited for (pg_commit, d->ending), read before
 * the connection is used otherwise: by then it has usually arrived, and reading it waits for nothing. With
 * wait false, one that has not arrived is left for the next statement's drain (in that statement's round
 * trip); with wait true it is waited for (counted as a round trip). A read-only transaction's COMMIT writes
 * nothing; it fails only with the connection, which is then of no use. */
static int end_read(struct pg_db *d, bool wait)
{
	if (!d->ending)
		return STORE_OK;
	if (!PQconsumeInput(d->conn)) /* the socket ended (a goodbye) or failed */
		return pipeline_broken(d);
	if (PQisBusy(d->conn)) {
		if (!wait)
			return STORE_OK;
		d->waiter = "COMMIT (a snapshot's, its answer waited for)"; /* SAFEGUARD_PG_RT_TRACE */
		count(d, NULL, 0); /* not there yet: a wait after all */
	}
	/* the server flushes its answer at its ReadyForQuery: once a part is here, the rest is too */
	d->ending = false;
	d->ahead_sync = false;
	d->queued = 0;
	int rc = STORE_OK;
	bool synced = false;
	for (int i = 0; i < 8 && !synced; i++) { /* COMMIT's result, its NULL, the Sync's; bounded */
		PGresult *r = PQgetResult(d->conn);
		if (!r)
			continue;
		if (PQresultStatus(r) == PGRES_PIPELINE_SYNC)
			synced = true;
		else if (rc == STORE_OK)
			rc = map_res(d, r);
		PQclear(r);
	}
	if (!synced || !PQexitPipelineMode(d->conn))
		return pipeline_broken(d);
	if (rc != STORE_OK) { /* a read-only COMMIT refused: only a connection that is gone does that */
		d->lost = true;
		rc = STORE_EUNAVAIL;
	}
	return rc;
}

/* Waits for whatever is queued (one round trip): its first failure, or STORE_OK. */
static int settle(struct pg_db *d)
{
	if (d->ending) /* only a snapshot's COMMIT, its Sync sent already */
		return end_read(d, true);
	if (!d->queued)
		return STORE_OK;
	int queued = d->queued;
	d->queued = 0;
	d->ending = false;
	if (!PQpipelineSync(d->conn))
		return pipeline_broken(d);
	return drain(d, queued, 0, -1, NULL, NULL);
}

/* Sends a prepared statement without waiting for its answer (SQL_DEFERRED, inside a transaction). */
static int queue_statement(struct pg_db *d, const char *name, int n, const char *const *values, const int *lengths,
			   const int *formats)
{
	if (PQpipelineStatus(d->conn) == PQ_PIPELINE_OFF && !PQenterPipelineMode(d->conn))
		return STORE_EIO;
	d->head.statements++;
	if (!PQsendQueryPrepared(d->conn, name, n, values, lengths, formats, 0)) {
		set_err(d, PQerrorMessage(d->conn));
		return pipeline_broken(d);
	}
	d->sentq[d->queued++].x = NULL;
	/* Out now, not at the next wait: in pipeline mode libpq keeps what is sent in its buffer until a Sync or
	 * 64 kB, so the server ran nothing queued while the writer went on to the next record's linkage. Flushed,
	 * the server runs it meanwhile, and the next wait waits only for what it has not yet done. */
	if (PQflush(d->conn) != 0)
		return pipeline_broken(d);
	/* A bound on what waits unanswered, so that neither side's buffers can fill while the other waits. */
	return d->queued >= QUEUE_MAX ? settle(d) : STORE_OK;
}

/* The statement (under SAVEPOINT sg_statement .. RELEASE when sp: a write whose refusal the caller may
 * answer; between SET enable_sort = off and its RESET for a read marked SQL_INDEX_ORDER), behind whatever is
 * queued, and one Sync: one round trip. *res is the statement's result (the caller's to PQclear), whatever
 * happened. When the statement is refused the savepoint is rolled back and released after the pipeline, so
 * the transaction stays usable (a SET in a transaction or a pipeline that fails is undone with it). */
static int pipelined(struct pg_db *d, bool sp, const struct pg_stmt *x, const struct pg_variant *v,
		     const char *const *values, const int *lengths, const int *formats, PGresult **res)
{
	PGconn *conn = d->conn;
	*res = NULL;
	if (PQpipelineStatus(conn) == PQ_PIPELINE_OFF && !PQenterPipelineMode(conn))
		return STORE_EIO;
	int queued = d->queued;
	d->queued = 0;
	d->ending = false;
	bool wrap = sp || x->nosort;
	const char *pre = sp ? "SAVEPOINT sg_statement" : "SET enable_sort = off",
		   *post = sp ? "RELEASE SAVEPOINT sg_statement" : "RESET enable_sort";
	d->head.statements += wrap ? 3 : 1;
	bool sent = (!wrap || PQsendQueryParams(conn, pre, 0, NULL, NULL, NULL, NULL, 0)) &&
		    send_step(conn, x, v, values, lengths, formats) &&
		    (!wrap || PQsendQueryParams(conn, post, 0, NULL, NULL, NULL, NULL, 0));
	int rc[3] = {STORE_EIO, STORE_EIO, STORE_EIO};
	if (!PQpipelineSync(conn))
		return pipeline_broken(d);
	int qrc = drain(d, queued, sent ? (wrap ? 3 : 1) : 0, wrap ? 1 : 0, rc, res);
	if (qrc != STORE_OK) /* a queued statement failed: the transaction is aborted, sg_statement never made */
		return qrc;
	if (!sent)
		return STORE_EIO;
	if (!wrap)
		return rc[0];
	if (rc[0] != STORE_OK)
		return rc[0];
	if (rc[1] != STORE_OK && !sp)
		return rc[1];
	if (rc[1] != STORE_OK) {
		char keep[sizeof d->err];
		memcpy(keep, d->err, sizeof keep);
		pexec(d, "ROLLBACK TO SAVEPOINT sg_statement; RELEASE SAVEPOINT sg_statement");
		memcpy(d->err, keep, sizeof keep);
		return rc[1];
	}
	return rc[2];
}

/* The bound parameters as PQexecPrepared takes them. */
static void params_out(struct pg_stmt *x, const char **values, int *lengths, int *formats)
{
	for (int k = 0; k < x->nparams; k++) {
		struct pg_param *p = &x->p[k];
		formats[k] = 0;
		lengths[k] = 0;
		switch (p->kind) {
		case P_INT:
		case P_DOUBLE:
			values[k] = p->num;
			break;
		case P_TEXT:
			if (p->len >= 0 && memchr(p->ptr, '\0', (size_t)p->len) == NULL) {
				/* a counted text: binary format sends exactly those bytes */
				formats[k] = 1;
				lengths[k] = p->len;
			}
			values[k] = p->ptr;
			break;
		case P_BLOB:
			values[k] = p->ptr;
			lengths[k] = p->len;
			formats[k] = 1;
			break;
		default:
			values[k] = NULL;
		}
	}
}

/* The bound parameters as one string of bytes (each its kind, its length and its bytes), to tell whether a
 * step is bound as its statement was sent ahead (sql_send). NULL when out of memory. */
static char *params_key(struct pg_stmt *x, size_t *len)
{
	size_t n = 0;
	for (int pass = 0; pass < 2; pass++) {
		char *out = pass ? malloc(n ? n : 1) : NULL;
		if (pass && !out)
			return NULL;
		size_t o = 0;
		for (int k = 0; k < x->nparams; k++) {
			const struct pg_param *p = &x->p[k];
			const void *v = NULL;
			size_t l = 0;
			if (p->kind == P_INT || p->kind == P_DOUBLE) {
				v = p->num;
				l = strlen(p->num);
			} else if (p->kind == P_TEXT || p->kind == P_BLOB) {
				v = p->ptr;
				l = p->kind == P_TEXT && p->len < 0 ? strlen(p->ptr) : (size_t)p->len;
			}
			unsigned char head[1 + sizeof l];
			head[0] = (unsigned char)p->kind;
			memcpy(head + 1, &l, sizeof l);
			if (pass) {
				memcpy(out + o, head, sizeof head);
				if (l)
					memcpy(out + o + sizeof head, v, l);
			}
			o += sizeof head + l;
		}
		if (pass) {
			*len = o;
			return out;
		}
		n = o;
	}
	return NULL;
}

/* Sends a read ahead of its step (sql_send): inside a transaction, in pipeline mode, its answer kept for the
 * step (drain) when it arrives with whatever is sent next that waits. */
static int pg_send(sql_stmt *s)
{
	struct pg_stmt *x = PS(s);
	struct pg_db *d = PG(s->db);
	/* Only in a reader's snapshot: in a write transaction a write made after the send (queued behind it) would
	 * not be in its answer. Elsewhere the step runs it, as it would have. */
	if (!d->snapshot || x->write || x->rollback || x->res || x->nosort)
		return STORE_OK;
	forget_sent(d, x);
	if (d->nsent == SENT_MAX)
		return STORE_OK;
	int rc = STORE_OK;
	const struct pg_variant *v = variant(d, x, &rc);
	if (!v)
		return rc;
	size_t keylen = 0;
	char *key = params_key(x, &keylen);
	if (!key)
		return STORE_OK;
	const char *values[SQL_NOW_PARAM + 8];
	int lengths[SQL_NOW_PARAM + 8], formats[SQL_NOW_PARAM + 8];
	params_out(x, values, lengths, formats);
	if (PQpipelineStatus(d->conn) == PQ_PIPELINE_OFF && !PQenterPipelineMode(d->conn)) {
		free(key);
		return STORE_OK;
	}
	d->head.statements++;
	if (!send_step(d->conn, x, v, values, lengths, formats)) {
		free(key);
		set_err(d, PQerrorMessage(d->conn));
		return pipeline_broken(d);
	}
	x->sent = true;
	d->head.sent++;
	x->arrived = false;
	x->sent_key = key;
	x->sent_keylen = keylen;
	x->sent_serial = ++d->serial;
	d->sent[d->nsent++] = x;
	d->sentq[d->queued].x = x;
	d->sentq[d->queued++].serial = x->sent_serial;
	return d->queued >= QUEUE_MAX ? settle(d) : STORE_OK;
}

/* The answer of a read sent ahead, when this step is bound as it was sent (waiting for it if it has not
 * arrived: one round trip for everything sent): true with x->res set and *rc its outcome. Otherwise the sent
 * answer is dropped and the step runs the statement itself. */
static bool take_sent(struct pg_db *d, struct pg_stmt *x, int *rc)
{
	size_t keylen = 0;
	char *key = params_key(x, &keylen);
	bool same = key && keylen == x->sent_keylen && memcmp(key, x->sent_key, keylen) == 0;
	free(key);
	int q = STORE_OK;
	if (same && !x->arrived) {
		d->waiter = x->sql; /* the round trip is this read's (BENCH_PG_RT) */
		q = settle(d);
	}
	if (!same || !x->arrived) {
		forget_sent(d, x);
		if (same && q != STORE_OK) { /* the pipeline broke before its answer: the connection is of no use */
			*rc = q;
			return true;
		}
		return false;
	}
	x->res = x->sent_res;
	x->sent_res = NULL;
	d->head.sent_taken++;
	/* what was queued before it failed first (a BEGIN on a lost connection): as for any statement that waits */
	*rc = q != STORE_OK ? q : x->sent_rc;
	forget_sent(d, x);
	return true;
}

static int pg_step(sql_stmt *s)
{
	struct pg_stmt *x = PS(s);
	struct pg_db *d = PG(s->db);
	if (x->res) {
		drop_row(x);
		if (++x->row < x->nrows)
			return SQL_ROW;
		return SQL_DONE;
	}
	/* a snapshot's COMMIT's answer, if it has come (none left to a drain); else its drain reads it first */
	int rc = end_read(d, false);
	if (rc != STORE_OK)
		return rc;
	if (x->sent && take_sent(d, x, &rc)) {
		/* answered with what was sent ahead with it */
	} else if (x->rollback && x->nparams == 0) {
		/* ROLLBACK TO after a refused queued write: the transaction is aborted, where PostgreSQL refuses to
		 * prepare anything, so it goes as it is (simple protocol), once the queue is answered (whatever the
		 * queued statements did is undone by it). */
		settle(d);
		count(d, NULL, 1);
		x->res = PQexec(d->conn, x->sql);
		rc = map_res(d, x->res);
	} else {
		if (d->snapshot)
			d->head.fresh++; /* a read its snapshot did not send ahead (store_conn_ahead_counts) */
		const struct pg_variant *v = variant(d, x, &rc);
		if (!v)
			return rc;
		const char *values[SQL_NOW_PARAM + 8];
		int lengths[SQL_NOW_PARAM + 8], formats[SQL_NOW_PARAM + 8];
		params_out(x, values, lengths, formats);
		d->waiter = x->sql;
		/* none open when all that is queued is a snapshot's COMMIT (libpq's status is still the snapshot's) */
		bool intx = !d->ending && (d->queued || PQtransactionStatus(d->conn) == PQTRANS_INTRANS);
		if (intx && x->deferred)
			return (rc = queue_statement(d, v->name, x->nparams, values, lengths, formats)) == STORE_OK ? SQL_DONE : rc;
		bool sp = x->write && intx && !x->plain;
		if (sp || d->queued || x->nosort) {
			rc = pipelined(d, sp, x, v, values, lengths, formats, &x->res);
		} else {
			count(d, NULL, 1);
			x->res = x->custom ? PQexecParams(d->conn, x->sql, x->nparams, v->typed, values, lengths, formats, 0)
					   : PQexecPrepared(d->conn, v->name, x->nparams, values, lengths, formats, 0);
			rc = map_res(d, x->res);
		}
	}
	if (rc != STORE_OK && getenv("SAFEGUARD_SQL_TRACE"))
		fprintf(stderr, "pg: statement %d: %s\n", x->head.id, x->sql);
	if (rc != STORE_OK) {
		PQclear(x->res);
		x->res = NULL;
		return rc;
	}
	const char *t = PQcmdTuples(x->res);
	d->changes = t && *t ? strtoll(t, NULL, 10) : 0;
	x->nrows = PQntuples(x->res);
	x->ncols = PQnfields(x->res);
	x->row = 0;
	if (x->ncols > 0) {
		x->blobs = calloc((size_t)x->ncols, sizeof *x->blobs);
		x->bloblen = calloc((size_t)x->ncols, sizeof *x->bloblen);
		x->ctype = malloc((size_t)x->ncols);
		if (!x->blobs || !x->bloblen || !x->ctype)
			return STORE_EIO;
		for (int i = 0; i < x->ncols; i++) {
			Oid ty = PQftype(x->res, i);
			x->ctype[i] = ty == OID_BOOL ? COL_BOOL : ty == OID_BYTEA ? COL_BYTEA : COL_PLAIN;
		}
	}
	return x->nrows > 0 ? SQL_ROW : SQL_DONE;
}

/* The column's text, NULL for SQL's NULL. libpq gives "" for a NULL, so only an empty value is asked which
 * it is (the record page reads ~3,000 values: a call fewer for each, issue 17). */
static const char *value(struct pg_stmt *x, int i)
{
	if (!x->res || !x->ctype || x->row >= x->nrows || i < 0 || i >= x->ncols)
		return NULL;
	const char *v = PQgetvalue(x->res, x->row, i);
	if (!v || (!*v && PQgetisnull(x->res, x->row, i)))
		return NULL;
	return v;
}

static int64_t pg_col_int64(sql_stmt *s, int i)
{
	const char *v = value(PS(s), i);
	if (!v)
		return 0;
	if (PS(s)->ctype[i] == COL_BOOL)
		return v[0] == 't';
	/* An integer column's text is [-]digits: read here up to 18 digits (no overflow); anything else as
	 * strtoll reads it (issue 17: ~800 ids a record page). */
	const char *d = v + (*v == '-');
	int64_t n = 0;
	size_t k = 0;
	for (; k < 18 && d[k] >= '0' && d[k] <= '9'; k++)
		n = n * 10 + (d[k] - '0');
	if (k > 0 && d[k] == '\0')
		return *v == '-' ? -n : n;
	return strtoll(v, NULL, 10);
}

static double pg_col_double(sql_stmt *s, int i)
{
	const char *v = value(PS(s), i);
	return v ? strtod(v, NULL) : 0;
}

static const unsigned char *pg_col_blob_bytes(struct pg_stmt *x, int i, size_t *len)
{
	const char *v = value(x, i);
	if (!v) {
		*len = 0;
		return NULL;
	}
	if (x->ctype[i] != COL_BYTEA) {
		*len = (size_t)PQgetlength(x->res, x->row, i);
		return (const unsigned char *)v;
	}
	if (!x->blobs[i])
		x->blobs[i] = PQunescapeBytea((const unsigned char *)v, &x->bloblen[i]);
	*len = x->blobs[i] ? x->bloblen[i] : 0;
	return x->blobs[i];
}

static const unsigned char *pg_col_text(sql_stmt *s, int i)
{
	struct pg_stmt *x = PS(s);
	const char *v = value(x, i);
	if (v && x->ctype[i] == COL_BOOL)
		return (const unsigned char *)(v[0] == 't' ? "1" : "0");
	return (const unsigned char *)v;
}

static const void *pg_col_blob(sql_stmt *s, int i)
{
	size_t len;
	return pg_col_blob_bytes(PS(s), i, &len);
}

static int pg_col_bytes(sql_stmt *s, int i)
{
	struct pg_stmt *x = PS(s);
	const char *v = value(x, i);
	if (!v)
		return 0;
	if (x->ctype[i] == COL_BOOL)
		return 1;
	if (x->ctype[i] == COL_PLAIN)
		return PQgetlength(x->res, x->row, i);
	size_t len;
	pg_col_blob_bytes(x, i, &len);
	return (int)len;
}

/* pg_col_text and pg_col_bytes of one column, its value looked up once */
static const unsigned char *pg_col_text_len(sql_stmt *s, int i, int *len)
{
	struct pg_stmt *x = PS(s);
	const char *v = value(x, i);
	if (!v) {
		*len = 0;
		return NULL;
	}
	if (x->ctype[i] == COL_BOOL) {
		*len = 1;
		return (const unsigned char *)(v[0] == 't' ? "1" : "0");
	}
	*len = x->ctype[i] == COL_PLAIN ? PQgetlength(x->res, x->row, i) : pg_col_bytes(s, i);
	return (const unsigned char *)v;
}

static bool pg_col_is_null(sql_stmt *s, int i) { return value(PS(s), i) == NULL; }
static int64_t pg_changes(sql_db *d)
{
	settle(PG(d)); /* a queued statement's count is known once it is answered (a failure reaches the next wait) */
	return PG(d)->changes;
}

static const char *pg_errmsg(sql_db *d)
{
	struct pg_db *p = PG(d);
	if (p->err[0])
		return p->err;
	return PQerrorMessage(p->conn);
}

static int pg_exec(sql_db *d, const char *script) { return pexec(PG(d), script); }

static bool pg_in_tx(sql_db *d);

static int pg_begin(sql_db *d, bool write)
{
	struct pg_db *p = PG(d);
	/* The writer's lock right after BEGIN: see the head of this file. */
	if (write) {
		char sql[96];
		snprintf(sql, sizeof sql, "BEGIN; SELECT pg_advisory_xact_lock(%lld)", SG_WRITE_LOCK);
		return pexec(p, sql);
	}
	/* A reader's snapshot, as SQLite's read transaction gives: one consistent view until it ends. Its BEGIN
	 * is not waited for (issue 17): it is queued as a deferred statement is, and answered with the first
	 * read, in that read's round trip (a page's snapshot took a round trip of its own for it). A BEGIN that
	 * fails (the connection lost) fails that first read with its error, before any row is given. The last
	 * snapshot's COMMIT, if its answer has not come yet (pg_commit), is read first in the same round trip.
	 * Never inside a transaction: its COMMIT is not waited for, nor its status read, which is safe only for
	 * a transaction that this BEGIN ... READ ONLY opened (a write transaction's COMMIT must be waited for). */
	if (pg_in_tx(d)) {
		set_err(p, "a read snapshot cannot begin inside a transaction");
		return STORE_EIO;
	}
	int q = p->ending ? end_read(p, false) : settle(p);
	if (q != STORE_OK)
		return q;
	p->ending = false;
	forget_all_sent(p);
	if (PQpipelineStatus(p->conn) == PQ_PIPELINE_OFF && !PQenterPipelineMode(p->conn)) {
		int rc = pexec(p, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
		p->snapshot = rc == STORE_OK;
		return rc;
	}
	p->head.statements++;
	if (!PQsendQueryParams(p->conn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", 0, NULL, NULL, NULL, NULL, 0)) {
		set_err(p, PQerrorMessage(p->conn));
		return pipeline_broken(p);
	}
	p->sentq[p->queued++].x = NULL;
	p->snapshot = true;
	return STORE_OK;
}

static int pg_commit(sql_db *d)
{
	struct pg_db *p = PG(d);
	int q = settle(p);
	bool snapshot = p->snapshot;
	forget_all_sent(p);
	p->snapshot = false;
	if (q != STORE_OK)
		return q;
	/* A reader's snapshot wrote nothing: its COMMIT is sent now with a Sync and not waited for (issue 17: a
	 * round trip of the record page's). The Sync matters: the server ends the transaction as the COMMIT
	 * arrives, but reports the session idle (and lets idle_session_timeout end it) only at a Sync; without
	 * one it stayed "active" until the connection's next use. The answer is read before the connection is
	 * next used (end_read: from the pool's usable check, a step, the next snapshot's first read's drain).
	 * Its status is not checked as the waited COMMIT's is below (a COMMIT that answers ROLLBACK): harmless
	 * here, since a read-only transaction has nothing to lose, and pg_begin opens a snapshot only outside any
	 * transaction, so this COMMIT is never a write transaction's. It fails only with the connection, which
	 * is then of no use (end_read marks it lost). */
	if (snapshot && PQenterPipelineMode(p->conn)) {
		p->head.statements++;
		if (!PQsendQueryParams(p->conn, "COMMIT", 0, NULL, NULL, NULL, NULL, 0) || !PQpipelineSync(p->conn)) {
			set_err(p, PQerrorMessage(p->conn));
			return pipeline_broken(p);
		}
		p->sentq[p->queued++].x = NULL;
		p->ending = true;
		p->ahead_sync = true;
		return STORE_OK;
	}
	count(p, NULL, 1);
	PGresult *r = PQexec(p->conn, "COMMIT");
	int rc = map_res(p, r);
	/* COMMIT of a transaction that failed is a ROLLBACK: not a success. */
	if (rc == STORE_OK && strcmp(PQcmdStatus(r), "COMMIT") != 0) {
		set_err(p, "the transaction had failed and was rolled back");
		rc = STORE_EIO;
	}
	PQclear(r);
	return rc;
}

static int pg_rollback(sql_db *d) { return pexec(PG(d), "ROLLBACK"); }
static bool pg_in_tx(sql_db *d)
{
	struct pg_db *p = PG(d);
	if (p->ending) /* only a snapshot's COMMIT unanswered: no transaction open */
		return false;
	return p->queued || PQtransactionStatus(p->conn) != PQTRANS_IDLE;
}

static void pg_close(sql_db *d)
{
	free(PG(d)->copy_buf);
	PQfinish(PG(d)->conn);
	free(d);
}

static int pg_schema_version(sql_db *d, int *v)
{
	struct pg_db *p = PG(d);
	*v = 0;
	int q = settle(p);
	if (q != STORE_OK)
		return q;
	PGresult *r = PQexec(p->conn, "SELECT version FROM sg_schema_version");
	if (PQresultStatus(r) == PGRES_TUPLES_OK) {
		int rc = STORE_OK;
		if (PQntuples(r) == 1) {
			char *end = NULL;
			errno = 0;
			long got = strtol(PQgetvalue(r, 0, 0), &end, 10);
			if (errno || !end || *end || got < 0 || got > INT_MAX)
				rc = STORE_ESCHEMA; /* not a version this code wrote */
			else
				*v = (int)got;
		}
		PQclear(r);
		return rc;
	}
	const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
	bool missing = state && strcmp(state, "42P01") == 0; /* undefined_table: a fresh database, version 0 */
	int rc = map_res(p, r);
	PQclear(r);
	return missing ? STORE_OK : rc;
}

/* SQLite's functions that ops.c's SQL uses and PostgreSQL lacks, as plain SQL functions of the same name. */
static const char PG_COMPAT[] =
	"CREATE TABLE IF NOT EXISTS sg_schema_version (one BOOLEAN PRIMARY KEY DEFAULT true CHECK (one), "
	"  version INTEGER NOT NULL);"
	"INSERT INTO sg_schema_version(version) VALUES (0) ON CONFLICT DO NOTHING;"
	"CREATE OR REPLACE FUNCTION json_extract(text, text) RETURNS text LANGUAGE sql IMMUTABLE AS "
	"  $$ SELECT ($1::jsonb) #>> string_to_array(substr($2, 3), '.') $$;"
	"CREATE OR REPLACE FUNCTION json_each(text) RETURNS TABLE(value text) LANGUAGE sql IMMUTABLE AS "
	"  $$ SELECT jsonb_array_elements_text($1::jsonb) $$;"
	"CREATE OR REPLACE FUNCTION json_array_length(text) RETURNS integer LANGUAGE sql IMMUTABLE AS "
	"  $$ SELECT json_array_length($1::json) $$;"
	"CREATE OR REPLACE FUNCTION json_type(text, text) RETURNS text LANGUAGE sql IMMUTABLE AS "
	"  $$ SELECT jsonb_typeof(($1::jsonb) #> string_to_array(substr($2, 3), '.')) $$;"
	"CREATE OR REPLACE FUNCTION json_valid(text) RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS "
	"  $$ BEGIN PERFORM $1::jsonb; RETURN $1 IS NOT NULL; EXCEPTION WHEN others THEN RETURN false; END $$;"
	"CREATE OR REPLACE FUNCTION instr(text, text) RETURNS integer LANGUAGE sql IMMUTABLE AS "
	"  $$ SELECT strpos($1, $2) $$;"
	"CREATE OR REPLACE FUNCTION zeroblob(bigint) RETURNS bytea LANGUAGE sql IMMUTABLE AS "
	"  $$ SELECT decode(repeat('00', $1::integer), 'hex') $$;"
	"CREATE OR REPLACE FUNCTION min(anyelement, anyelement) RETURNS anyelement LANGUAGE sql IMMUTABLE AS "
	"  $$ SELECT LEAST($1, $2) $$;"
	"CREATE OR REPLACE FUNCTION max(anyelement, anyelement) RETURNS anyelement LANGUAGE sql IMMUTABLE AS "
	"  $$ SELECT GREATEST($1, $2) $$;"
	/* SQLite sums truth values as 0 and 1 (count of rows where ...) */
	"CREATE OR REPLACE FUNCTION sg_bool_add(bigint, boolean) RETURNS bigint LANGUAGE sql IMMUTABLE AS "
	"  $$ SELECT $1 + CASE WHEN $2 THEN 1 ELSE 0 END $$;"
	"CREATE OR REPLACE AGGREGATE sum(boolean) (SFUNC = sg_bool_add, STYPE = bigint, INITCOND = '0');"
	"CREATE OR REPLACE FUNCTION sg_append_only() RETURNS trigger LANGUAGE plpgsql AS "
	"  $$ BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation'; "
	"  END $$;";

static bool word_at(const char *s, size_t i, const char *w, size_t n)
{
	return strncmp(s + i, w, n) == 0 && (i == 0 || !(isalnum((unsigned char)s[i - 1]) || s[i - 1] == '_')) &&
	       !(isalnum((unsigned char)s[i + n]) || s[i + n] == '_');
}

/* The SQLite DDL with PostgreSQL's type words, without its triggers (pg_migration[] has PostgreSQL's). */
static char *rewrite_ddl(const char *in)
{
	static const struct {
		const char *from, *to;
	} words[] = {
		{"INTEGER PRIMARY KEY", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"},
		{"INTEGER", "BIGINT"},
		{"REAL", "DOUBLE PRECISION"},
		{"BLOB", "BYTEA"},
		{" WITHOUT ROWID", ""},
	};
	size_t n = strlen(in);
	char *out = malloc(n * 3 + 1);
	if (!out)
		return NULL;
	size_t o = 0;
	bool quote = false;
	for (size_t i = 0; i < n;) {
		if (quote) {
			if (in[i] == '\'')
				quote = false;
			out[o++] = in[i++];
			continue;
		}
		if (in[i] == '\'') {
			quote = true;
			out[o++] = in[i++];
			continue;
		}
		/* A part only SQLite needs (rebuilding a table to change a CHECK, which PostgreSQL alters in place:
		 * pg_migration[] has its way) is marked in the shared text and skipped here. */
		if (strncmp(in + i, "/* sqlite-only */", 17) == 0) {
			const char *end = strstr(in + i, "/* end sqlite-only */");
			i = end ? (size_t)(end - in) + 21 : n;
			continue;
		}
		if (word_at(in, i, "CREATE TRIGGER", 14)) { /* up to its END; */
			const char *end = strstr(in + i, "END;");
			i = end ? (size_t)(end - in) + 4 : n;
			continue;
		}
		if (word_at(in, i, "DROP TRIGGER", 12)) {
			const char *end = strchr(in + i, ';');
			i = end ? (size_t)(end - in) + 1 : n;
			continue;
		}
		bool done = false;
		for (size_t w = 0; w < sizeof words / sizeof words[0] && !done; w++) {
			size_t len = strlen(words[w].from);
			const char *from = words[w].from[0] == ' ' ? words[w].from + 1 : words[w].from;
			size_t at = words[w].from[0] == ' ' ? i + 1 : i;
			if (words[w].from[0] == ' ' ? (in[i] == ' ' && word_at(in, at, from, len - 1))
						    : word_at(in, i, from, len)) {
				size_t tl = strlen(words[w].to);
				memcpy(out + o, words[w].to, tl);
				o += tl;
				i += len;
				done = true;
			}
		}
		if (!done)
			out[o++] = in[i++];
	}
	out[o] = '\0';
	return out;
}

static int pg_migrate_one(sql_db *d, int version, const char *script, const char *own)
{
	struct pg_db *p = PG(d);
	int rc = pexec(p, PG_COMPAT);
	if (rc)
		return rc;
	char *ddl = rewrite_ddl(script);
	if (!ddl)
		return STORE_EIO;
	rc = ddl[strspn(ddl, " \t\n")] ? pexec(p, ddl) : STORE_OK; /* a migration that is PostgreSQL's own only */
	free(ddl);
	if (rc == STORE_OK && own)
		rc = pexec(p, own);
	if (rc == STORE_OK) {
		char sql[80];
		snprintf(sql, sizeof sql, "UPDATE sg_schema_version SET version = %d", version);
		rc = pexec(p, sql);
	}
	return rc;
}

static int pg_checkpoint(sql_db *d) { return STORE_OK; }

static bool pg_lost(sql_db *d) { return PG(d)->lost || PQstatus(PG(d)->conn) == CONNECTION_BAD; }

/* Before an idle connection is reused (sql.h usable). A server that ends a session (pg_terminate_backend,
 * idle_session_timeout, a restart or shutdown) sends a FATAL message and closes the socket: an idle
 * connection has nothing to read otherwise (but a snapshot's unwaited COMMIT's answer, read first), so a
 * socket with anything to read (or hung up) is taken as lost, with no round trip (poll with no wait). A connection idle for PING_AFTER_S seconds or more is also asked an
 * empty query (one round trip), for what sends no goodbye: a firewall or a failed network that dropped it
 * silently (with TCP, a URL's keepalives / tcp_user_timeout bound how long that ping can wait). */
#define PING_AFTER_S 30.0

/* Whether the socket has something to read (or hung up) now: poll with no wait, again if a signal came. */
static int poll_now(struct pollfd *pfd)
{
	int n;
	do
		n = poll(pfd, 1, 0);
	while (n < 0 && errno == EINTR);
	return n;
}

static bool pg_usable(sql_db *d, double idle_s)
{
	struct pg_db *p = PG(d);
	if (p->lost || (p->queued && !p->ending) || PQstatus(p->conn) != CONNECTION_OK || PQsocket(p->conn) < 0)
		return false;
	struct pollfd pfd = {.fd = PQsocket(p->conn), .events = POLLIN};
	int n = poll_now(&pfd);
	/* A snapshot's COMMIT unanswered (pg_commit): what there is to read may be its answer, which is no
	 * goodbye: read it, then ask again; only what is left after it is (else a healthy connection would be
	 * dropped and made afresh). An answer not come yet is left for the next statement. */
	if (n > 0 && p->ending && !(pfd.revents & (POLLHUP | POLLERR | POLLNVAL))) {
		if (end_read(p, false) != STORE_OK)
			return false;
		n = poll_now(&pfd);
	}
	if (n != 0) /* readable (a goodbye, or the end of the stream), hung up, or poll itself failed */
		return false;
	if (idle_s < PING_AFTER_S)
		return true;
	if (p->ending && settle(p) != STORE_OK) /* the COMMIT's answer first: PQexec is not for a pipeline */
		return false;
	count(p, NULL, 1);
	PGresult *r = PQexec(p->conn, "");
	bool ok = r && PQresultStatus(r) == PGRES_EMPTY_QUERY && PQstatus(p->conn) == CONNECTION_OK;
	PQclear(r);
	return ok;
}

/* ---- COPY ... FROM STDIN, text format: what bulk loads use ---- */

static bool copy_put(struct pg_db *p, const char *b, size_t n)
{
	if (p->copy_len + n + 1 > p->copy_cap) {
		size_t cap = p->copy_cap ? p->copy_cap : COPY_CHUNK * 2;
		while (cap < p->copy_len + n + 1)
			cap *= 2;
		char *q = realloc(p->copy_buf, cap);
		if (!q)
			return false;
		p->copy_buf = q;
		p->copy_cap = cap;
	}
	memcpy(p->copy_buf + p->copy_len, b, n);
	p->copy_len += n;
	return true;
}

static int copy_flush(struct pg_db *p)
{
	if (p->copy_len && PQputCopyData(p->conn, p->copy_buf, (int)p->copy_len) != 1) {
		set_err(p, PQerrorMessage(p->conn));
		p->copy_failed = true;
		return STORE_EIO;
	}
	p->copy_len = 0;
	return STORE_OK;
}

static int pg_copy_begin(sql_db *d, const char *table, const char *cols)
{
	struct pg_db *p = PG(d);
	int q = settle(p); /* COPY is not allowed in pipeline mode */
	if (q != STORE_OK)
		return q;
	if (PQtransactionStatus(p->conn) != PQTRANS_INTRANS) {
		set_err(p, "a bulk load runs inside a write transaction");
		return STORE_EIO;
	}
	if (snprintf(p->copy_table, sizeof p->copy_table, "%s", table) >= (int)sizeof p->copy_table)
		return STORE_EIO;
	p->copy_ids = strncmp(cols, "id,", 3) == 0 || strncmp(cols, "id ", 3) == 0 || strcmp(cols, "id") == 0;
	p->copy_failed = false;
	p->copy_len = 0;
	char sql[512];
	if (snprintf(sql, sizeof sql, "COPY %s(%s) FROM STDIN", table, cols) >= (int)sizeof sql)
		return STORE_EIO;
	PGresult *r = PQexec(p->conn, sql);
	int rc = PQresultStatus(r) == PGRES_COPY_IN ? STORE_OK : map_res(p, r);
	PQclear(r);
	return rc == STORE_OK ? STORE_OK : (rc ? rc : STORE_EIO);
}

/* One value in COPY's text format: \N for NULL; backslash, tab, newline and carriage return escaped in
 * text; a blob as bytea's hex form (its own backslash escaped for COPY). */
static bool copy_value(struct pg_db *p, const struct sql_value *v)
{
	char num[40];
	switch (v->kind) {
	case SQL_V_INT:
		return copy_put(p, num, (size_t)snprintf(num, sizeof num, "%lld", (long long)v->i));
	case SQL_V_DOUBLE:
		return copy_put(p, num, (size_t)snprintf(num, sizeof num, "%.17g", v->d));
	case SQL_V_TEXT: {
		const char *t = v->p ? v->p : "";
		size_t n = v->n < 0 ? strlen(t) : (size_t)v->n;
		size_t from = 0;
		for (size_t i = 0; i < n; i++) {
			const char *esc = NULL;
			switch (t[i]) {
			case '\\': esc = "\\\\"; break;
			case '\t': esc = "\\t"; break;
			case '\n': esc = "\\n"; break;
			case '\r': esc = "\\r"; break;
			case '\0': return false; /* PostgreSQL's text holds no NUL */
			default: continue;
			}
			if (!copy_put(p, t + from, i - from) || !copy_put(p, esc, 2))
				return false;
			from = i + 1;
		}
		return copy_put(p, t + from, n - from);
	}
	case SQL_V_BLOB: {
		static const char hex[] = "0123456789abcdef";
		const unsigned char *b = v->p;
		if (!copy_put(p, "\\\\x", 3))
			return false;
		for (int i = 0; i < v->n; i++) {
			char two[2] = {hex[b[i] >> 4], hex[b[i] & 15]};
			if (!copy_put(p, two, 2))
				return false;
		}
		return true;
	}
	default:
		return copy_put(p, "\\N", 2);
	}
}

static int pg_copy_row(sql_db *d, const struct sql_value *v, int n)
{
	struct pg_db *p = PG(d);
	for (int i = 0; i < n; i++)
		if ((i && !copy_put(p, "\t", 1)) || !copy_value(p, &v[i])) {
			set_err(p, "a value cannot be sent (out of memory, or text with a NUL)");
			p->copy_failed = true;
			return STORE_EIO;
		}
	if (!copy_put(p, "\n", 1)) {
		p->copy_failed = true;
		return STORE_EIO;
	}
	return p->copy_len >= COPY_CHUNK ? copy_flush(p) : STORE_OK;
}

static int pg_copy_end(sql_db *d, bool ok)
{
	struct pg_db *p = PG(d);
	int rc = STORE_OK;
	ok = ok && !p->copy_failed && copy_flush(p) == STORE_OK;
	if (PQputCopyEnd(p->conn, ok ? NULL : "bulk load abandoned") != 1) {
		set_err(p, PQerrorMessage(p->conn));
		rc = STORE_EIO;
	}
	PGresult *r;
	while ((r = PQgetResult(p->conn)) != NULL) { /* the COPY's outcome: a refused row is reported here */
		int x = map_res(p, r);
		if (rc == STORE_OK)
			rc = x;
		PQclear(r);
	}
	p->copy_len = 0;
	free(p->copy_buf);
	p->copy_buf = NULL;
	p->copy_cap = 0;
	if (rc == STORE_OK && !ok)
		rc = STORE_EIO;
	if (rc == STORE_OK && p->copy_ids) { /* the rows brought their ids: the next INSERT must not reuse one */
		char sql[256];
		snprintf(sql, sizeof sql,
			 "SELECT setval(pg_get_serial_sequence('%s', 'id'), (SELECT coalesce(max(id), 0) + 1 FROM %s), false)",
			 p->copy_table, p->copy_table);
		rc = pexec(p, sql);
	}
	return rc;
}

static const struct sql_driver pg_driver = {
	.name = "postgresql",
	.prepare = pg_prepare,
	.finalize = pg_finalize,
	.reset = pg_reset,
	.clear_bindings = pg_clear,
	.param_count = pg_param_count,
	.bind_int64 = pg_bind_int64,
	.bind_double = pg_bind_double,
	.bind_text = pg_bind_text,
	.bind_blob = pg_bind_blob,
	.bind_null = pg_bind_null,
	.step = pg_step,
	.send = pg_send,
	.column_int64 = pg_col_int64,
	.column_double = pg_col_double,
	.column_text = pg_col_text,
	.column_blob = pg_col_blob,
	.column_bytes = pg_col_bytes,
	.column_text_len = pg_col_text_len,
	.column_is_null = pg_col_is_null,
	.changes = pg_changes,
	.errmsg = pg_errmsg,
	.exec = pg_exec,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.in_transaction = pg_in_tx,
	.close = pg_close,
	.schema_version = pg_schema_version,
	.migrate_one = pg_migrate_one,
	.checkpoint = pg_checkpoint,
	.lost = pg_lost,
	.usable = pg_usable,
	.copy_begin = pg_copy_begin,
	.copy_row = pg_copy_row,
	.copy_end = pg_copy_end,
};

/* ---- fencing: never write to an old primary that came back after a failover (docs/SCALING.md) ------------
 *
 * A promoted standby starts a new timeline; the primary it replaced stays on the old one. So the pair
 * (system_identifier, timeline) orders the primaries one database cluster has had, and the highest seen is the
 * only one that may be written to. Every new connection to a primary reads its pair (one round trip, when the
 * connection opens; pooled connections are then reused), and:
 *  - a timeline below the highest this process knows for that system is an old primary: the connection is
 *    closed and the URL's other hosts are tried one by one; if none is the current primary, the open fails
 *    (the request is answered 503, a command stops with the reason): nothing is written to the old one;
 *  - a higher timeline raises what is known.
 * What is known lives in this process and in the file the CLI names (DIR/pg-fence with --data-dir: one line
 * "SYSTEM TIMELINE" a cluster), read again at every connection and written when it rises, so that a server
 * restarted, a command, or a server whose URL names the old primary alone, that share the data folder, know
 * too. The first connection of a process whose URL names several hosts asks every host once, so that a
 * process with no file yet still takes the newest of two primaries. */
#define FENCE_SYSTEMS 8

static struct {
	pthread_mutex_t lock;
	char path[4096];
	int n;
	struct fence_entry {
		char system[24];
		long timeline;
	} e[FENCE_SYSTEMS];
	bool probed;
} fence = {.lock = PTHREAD_MUTEX_INITIALIZER};

struct pg_identity {
	char system[24];
	bool standby;
	long timeline; /* 0 for a standby */
};

void sql_pg_fence_file(const char *path)
{
	pthread_mutex_lock(&fence.lock);
	snprintf(fence.path, sizeof fence.path, "%s", path ? path : "");
	pthread_mutex_unlock(&fence.lock);
}

static struct fence_entry *fence_find(const char *system, bool add)
{
	for (int i = 0; i < fence.n; i++)
		if (strcmp(fence.e[i].system, system) == 0)
			return &fence.e[i];
	if (!add || fence.n == FENCE_SYSTEMS)
		return NULL;
	struct fence_entry *e = &fence.e[fence.n++];
	snprintf(e->system, sizeof e->system, "%s", system);
	e->timeline = 0;
	return e;
}

/* Under fence.lock: what the file says, merged (the highest of each); *in_file the file's own timeline of the
 * cluster named (0 when absent). A missing or unreadable file adds nothing. */
static void fence_load(const char *system, long *in_file)
{
	*in_file = 0;
	if (!fence.path[0])
		return;
	FILE *f = fopen(fence.path, "r");
	if (!f)
		return;
	char sys[24];
	long tl;
	for (int i = 0; i < 64 && fscanf(f, "%23s %ld", sys, &tl) == 2; i++) {
		struct fence_entry *e = fence_find(sys, true);
		if (e && tl > e->timeline)
			e->timeline = tl;
		if (strcmp(sys, system) == 0 && tl > *in_file)
			*in_file = tl;
	}
	fclose(f);
}

/* Under fence.lock: the file written whole (a temporary file renamed over it). A failure is told, not fatal:
 * this process still knows. Before the data folder exists there is nothing to write (the first migrate). */
static void fence_save(void)
{
	if (!fence.path[0])
		return;
	char tmp[4200];
	snprintf(tmp, sizeof tmp, "%s.%ld.tmp", fence.path, (long)getpid());
	FILE *f = fopen(tmp, "w");
	bool ok = f != NULL;
	for (int i = 0; ok && i < fence.n; i++)
		ok = fprintf(f, "%s %ld\n", fence.e[i].system, fence.e[i].timeline) > 0;
	if (f && fclose(f) != 0)
		ok = false;
	if (!f && errno == ENOENT) /* no data folder yet (a first migrate): nothing to keep beside, nothing to say */
		return;
	if (!ok || rename(tmp, fence.path) != 0) {
		fprintf(stderr, "safeguard: cannot write %s (%s): the database's timeline is kept in memory only\n",
			fence.path, strerror(errno));
		unlink(tmp);
	}
}

/* One round trip: which cluster, whether a standby, and a primary's timeline (its current WAL file's first
 * eight hex digits: right from the moment of a promotion, unlike pg_control_checkpoint()'s, which waits for
 * the next checkpoint). Every function here may be run by any role. */
static bool identify(PGconn *conn, struct pg_identity *id, char *err, size_t errsz)
{
	PGresult *r = PQexec(conn, "SELECT s.system_identifier::text, pg_is_in_recovery(), CASE WHEN "
				   "pg_is_in_recovery() THEN 0 ELSE ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), "
				   "1, 8))::bit(32)::int END FROM pg_control_system() s");
	bool ok = r && PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1;
	if (ok) {
		snprintf(id->system, sizeof id->system, "%s", PQgetvalue(r, 0, 0));
		id->standby = PQgetvalue(r, 0, 1)[0] == 't';
		id->timeline = strtol(PQgetvalue(r, 0, 2), NULL, 10);
	} else {
		const char *m = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
		snprintf(err, errsz, "cannot read the database's timeline: %s", m ? m : PQerrorMessage(conn));
	}
	PQclear(r);
	return ok;
}

/* Whether a primary may be written to; raises what is known when it is newer. A standby is not fenced (it
 * cannot be written to; a read pool's replica). */
static bool fence_admits(const struct pg_identity *id, long *known)
{
	*known = 0;
	if (id->standby)
		return true;
	pthread_mutex_lock(&fence.lock);
	long in_file = 0;
	fence_load(id->system, &in_file);
	struct fence_entry *e = fence_find(id->system, true);
	bool ok = !e || id->timeline >= e->timeline;
	if (e && id->timeline > e->timeline)
		e->timeline = id->timeline;
	if (e && in_file < e->timeline) /* the file learns what this process knows (a new file, a rise) */
		fence_save();
	if (e)
		*known = e->timeline;
	pthread_mutex_unlock(&fence.lock);
	return ok;
}

/* The URL's hosts (libpq's own parse: host=a,b or postgresql://a,b/...), each with its port. */
struct pg_hosts {
	int n;
	char host[8][512];
	char port[8][16];
};

static void url_hosts(const char *url, struct pg_hosts *h)
{
	h->n = 0;
	PQconninfoOption *opts = PQconninfoParse(url, NULL);
	if (!opts)
		return;
	const char *hosts = NULL, *ports = NULL;
	for (PQconninfoOption *o = opts; o->keyword; o++) {
		if (strcmp(o->keyword, "host") == 0)
			hosts = o->val;
		else if (strcmp(o->keyword, "port") == 0)
			ports = o->val;
	}
	for (const char *p = hosts; p && *p && h->n < 8;) {
		size_t len = strcspn(p, ",");
		snprintf(h->host[h->n], sizeof h->host[0], "%.*s", (int)len, p);
		h->port[h->n][0] = '\0';
		h->n++;
		p += len + (p[len] == ',');
	}
	int i = 0;
	for (const char *p = ports; p && *p && i < 8; i++) {
		size_t len = strcspn(p, ",");
		snprintf(h->port[i], sizeof h->port[0], "%.*s", (int)len, p);
		p += len + (p[len] == ',');
	}
	if (i == 1) /* one port for every host */
		for (int j = 1; j < h->n; j++)
			memcpy(h->port[j], h->port[0], sizeof h->port[0]);
	PQconninfoFree(opts);
}

/* One host of the URL alone (the URL's other settings kept: user, database, target_session_attrs...). */
static PGconn *connect_host(const char *url, const struct pg_hosts *h, int i)
{
	const char *keys[] = {"dbname", "host", h->port[i][0] ? "port" : NULL, NULL};
	const char *vals[] = {url, h->host[i], h->port[i][0] ? h->port[i] : NULL, NULL};
	return PQconnectdbParams(keys, vals, 1);
}

/* Once a process, for a URL of several hosts: every host asked, so that the highest timeline is known before
 * the first write even with no file yet (two primaries reachable: the newest wins). */
static void probe_hosts(const char *url, const struct pg_hosts *h)
{
	pthread_mutex_lock(&fence.lock);
	bool done = fence.probed;
	fence.probed = true;
	pthread_mutex_unlock(&fence.lock);
	if (done)
		return;
	for (int i = 0; i < h->n; i++) {
		PGconn *c = connect_host(url, h, i);
		struct pg_identity id;
		char e[256];
		long known;
		if (c && PQstatus(c) == CONNECTION_OK && identify(c, &id, e, sizeof e))
			(void)fence_admits(&id, &known);
		PQfinish(c);
	}
}

/* A connection to the current primary of the URL (or to what libpq chose, when it is a standby the URL
 * allows), or NULL with the reason. */
static PGconn *connect_fenced(const char *url, char *err, size_t errsz)
{
	PGconn *conn = PQconnectdb(url);
	if (!conn || PQstatus(conn) != CONNECTION_OK) {
		/* libpq's message names the host and the reason, never the password */
		snprintf(err, errsz, "cannot connect to PostgreSQL: %s", conn ? PQerrorMessage(conn) : "out of memory");
		PQfinish(conn);
		return NULL;
	}
	struct pg_hosts h;
	url_hosts(url, &h);
	if (h.n > 1)
		probe_hosts(url, &h);
	struct pg_identity id;
	long known;
	if (!identify(conn, &id, err, errsz)) {
		PQfinish(conn);
		return NULL;
	}
	if (fence_admits(&id, &known))
		return conn;
	char first[512];
	snprintf(first, sizeof first, "%s", PQhost(conn) ? PQhost(conn) : "?");
	long old = id.timeline;
	PQfinish(conn);
	for (int i = 0; i < h.n; i++) {
		if (strcmp(h.host[i], first) == 0)
			continue;
		conn = connect_host(url, &h, i);
		if (conn && PQstatus(conn) == CONNECTION_OK && identify(conn, &id, err, errsz) && !id.standby &&
		    fence_admits(&id, &known))
			return conn;
		PQfinish(conn);
	}
	snprintf(err, errsz,
		 "refused the PostgreSQL primary at %s: it is on timeline %ld of a database that has moved on to "
		 "timeline %ld (an old primary back after a failover), so nothing is written to it; point --db at the "
		 "new primary, or rejoin the old one as its standby (pg_rewind)",
		 first, old, known);
	return NULL;
}

sql_db *sql_pg_open(const char *url, char *err, size_t errsz)
{
	pthread_once(&pq_once, pq_load);
	if (!pq_ok) { /* the store's open fails with the reason, as one that cannot connect does */
		snprintf(err, errsz, "%s", pq_err);
		return NULL;
	}
	struct pg_db *d = calloc(1, sizeof *d);
	if (!d) {
		snprintf(err, errsz, "out of memory");
		return NULL;
	}
	d->head.drv = &pg_driver;
	d->trace = getenv("SAFEGUARD_PG_RT_TRACE") != NULL; /* read here, once a connection, not shared by threads */
	d->conn = connect_fenced(url, err, errsz);
	if (!d->conn) {
		size_t n = strlen(err);
		while (n && err[n - 1] == '\n')
			err[--n] = '\0';
		free(d);
		return NULL;
	}
	/* libpq's own error text (PQerrorMessage: a pipeline's, a connection's) at its default verbosity carries a
	 * refusal's DETAIL, which can quote a row's values ("Key (...)=(...)"); these words reach log lines, so
	 * they are the primary message only, as map_res keeps for a statement's result. */
	PQsetErrorVerbosity(d->conn, PQERRORS_TERSE);
	/* A commit returns once it is durable (the intake contract), whatever the server's default. */
	/* A writer waits for the writer's lock as long as SQLite's busy timeout (10 s), then STORE_EBUSY. */
	/* No JIT: the server runs short indexed statements only, no analytic query that compiling pays for. A
	 * prepared statement's first five executions use custom plans, whose cost grows with what is bound (a
	 * batch's candidates read, S_BLOCK_CANDIDATES_MANY, of 512 records: ~300,000, past jit_above_cost), so
	 * each new connection would spend 20-45 ms compiling JIT code for a large batch. */
	/* Standard SQL's string literals, whatever the server's default: the statements take a backslash in a
	 * literal as itself (the MASH lists' LIKE escapes with it, VIEW_EVENT looks for "\u" in details); with
	 * standard_conforming_strings = off a server read it as an escape and refused the MASH lists (r-review41). */
	if (pexec(d, "SET synchronous_commit = on; SET client_min_messages = warning; SET lock_timeout = '10s'; "
		     "SET jit = off; SET standard_conforming_strings = on") !=
	    STORE_OK) {
		snprintf(err, errsz, "cannot set up the PostgreSQL session: %s", d->err);
		PQfinish(d->conn);
		free(d);
		return NULL;
	}
	return &d->head;
}
