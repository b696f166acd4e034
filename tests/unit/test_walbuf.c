/*
 * Unit tests for store/lite_walbuf: the VFS that gathers the WAL's writes. Two connections on one file, as
 * the server's writer and a reader: every commit the writer makes must be whole in the file when the reader
 * looks, with or without fsync, and the writes must really be gathered.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/lite_walbuf.h"

struct db2 {
	char dir[64], path[128];
	sqlite3 *w, *r; /* writer, reader */
};

static sqlite3 *open_on_vfs(const char *path, const char *sync)
{
	sqlite3 *db = NULL;
	char sql[160];
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, LITE_WALBUF_VFS),
			 SQLITE_OK);
	snprintf(sql, sizeof sql, "PRAGMA journal_mode = WAL; PRAGMA synchronous = %s; PRAGMA wal_autocheckpoint = 0;",
		 sync);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	return db;
}

static struct db2 *setup(const char *sync)
{
	struct db2 *d = calloc(1, sizeof *d);
	assert_non_null(d);
	snprintf(d->dir, sizeof d->dir, "/tmp/sg-walbuf-XXXXXX");
	assert_non_null(mkdtemp(d->dir));
	snprintf(d->path, sizeof d->path, "%s/t.db", d->dir);
	assert_int_equal(lite_walbuf_register(), SQLITE_OK);
	d->w = open_on_vfs(d->path, sync);
	assert_int_equal(sqlite3_exec(d->w, "CREATE TABLE t(id INTEGER PRIMARY KEY, b BLOB NOT NULL)", NULL, NULL, NULL),
			 SQLITE_OK);
	d->r = open_on_vfs(d->path, sync);
	return d;
}

static void teardown(struct db2 *d)
{
	char p[160];
	sqlite3_close(d->r);
	sqlite3_close(d->w);
	const char *ext[] = {"", "-wal", "-shm"};
	for (int i = 0; i < 3; i++) {
		snprintf(p, sizeof p, "%s%s", d->path, ext[i]);
		unlink(p);
	}
	rmdir(d->dir);
	free(d);
}

/* Inserts n rows of size bytes each (their bytes from the row's number) in one transaction. */
static void insert_rows(sqlite3 *db, int first, int n, int size)
{
	sqlite3_stmt *s = NULL;
	unsigned char *b = malloc((size_t)size);
	assert_non_null(b);
	assert_int_equal(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO t(id, b) VALUES (?1, ?2)", -1, &s, NULL), SQLITE_OK);
	for (int i = first; i < first + n; i++) {
		memset(b, i & 0xff, (size_t)size);
		sqlite3_bind_int(s, 1, i);
		sqlite3_bind_blob(s, 2, b, size, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(s), SQLITE_DONE);
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	assert_int_equal(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	free(b);
}

/* Rows, total bytes, and rows whose bytes are not all their number's: what another connection reads. */
static void read_back(sqlite3 *db, int64_t *rows, int64_t *bytes, int64_t *wrong)
{
	sqlite3_stmt *s = NULL;
	*rows = *bytes = *wrong = 0;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT id, b FROM t ORDER BY id", -1, &s, NULL), SQLITE_OK);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int id = sqlite3_column_int(s, 0), n = sqlite3_column_bytes(s, 1);
		const unsigned char *b = sqlite3_column_blob(s, 1);
		(*rows)++;
		*bytes += n;
		for (int i = 0; i < n; i++)
			if (b[i] != (id & 0xff)) {
				(*wrong)++;
				break;
			}
	}
	assert_int_equal(rc, SQLITE_DONE); /* not SQLITE_CORRUPT: a frame the index names is in the file */
	sqlite3_finalize(s);
}

static void integrity_ok(sqlite3 *db)
{
	sqlite3_stmt *s = NULL;
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(s, 0), "ok");
	sqlite3_finalize(s);
}

/* synchronous = OFF: no fsync, so nothing but the commit frame itself sends the gathered writes before
 * SQLite publishes the commit; the reader must find every committed row at once. */
static void commits_visible_without_sync(void **state)
{
	struct db2 *d = setup("OFF");
	int64_t rows, bytes, wrong;
	for (int i = 0; i < 40; i++) {
		insert_rows(d->w, i * 3, 3, 3000);
		read_back(d->r, &rows, &bytes, &wrong);
		assert_int_equal(rows, (i + 1) * 3);
		assert_int_equal(bytes, (int64_t)(i + 1) * 3 * 3000);
		assert_int_equal(wrong, 0);
	}
	integrity_ok(d->r);
	teardown(d);
}

/* A transaction far larger than what one handle gathers (4 MiB) and than one write call of the default VFS
 * (128 KiB), as synchronous = FULL runs it; then checkpointed, truncated and read again. */
static void large_transaction_whole(void **state)
{
	struct db2 *d = setup("FULL");
	int64_t rows, bytes, wrong;
	insert_rows(d->w, 0, 3000, 3000); /* ~9 MiB */
	read_back(d->r, &rows, &bytes, &wrong);
	assert_int_equal(rows, 3000);
	assert_int_equal(bytes, (int64_t)3000 * 3000);
	assert_int_equal(wrong, 0);
	assert_int_equal(sqlite3_wal_checkpoint_v2(d->w, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL), SQLITE_OK);
	insert_rows(d->w, 3000, 10, 3000);
	sqlite3_close(d->r);
	d->r = open_on_vfs(d->path, "FULL");
	read_back(d->r, &rows, &bytes, &wrong);
	assert_int_equal(rows, 3010);
	assert_int_equal(wrong, 0);
	integrity_ok(d->r);
	teardown(d);
}

static long long thread_write_calls(void)
{
	FILE *f = fopen("/proc/thread-self/io", "r");
	char line[128];
	long long v = -1;
	assert_non_null(f);
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "syscw: %lld", &v) == 1)
			break;
	fclose(f);
	return v;
}

/* One commit of ~100 pages: SQLite makes two writes a page (frame header, page); gathered, a handful. */
static void writes_gathered(void **state)
{
	struct db2 *d = setup("FULL");
	insert_rows(d->w, 0, 1, 10); /* the WAL's header written */
	long long before = thread_write_calls();
	insert_rows(d->w, 1, 100, 3000);
	long long calls = thread_write_calls() - before;
	assert_true(calls > 0);
	assert_true(calls <= 12); /* 2 a page would be over 200; ~400 KiB in 64 KiB pieces is 7 */
	teardown(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(commits_visible_without_sync),
		cmocka_unit_test(large_transaction_whole),
		cmocka_unit_test(writes_gathered),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
