/*
 * store/lite_vfs.c — the unix VFS, with a commit's WAL frames written in few calls (31 frames a call at most).
 *
 * Why: SQLite writes a WAL frame as two writes, its 24-byte header and then its page at the next byte
 * (wal.c walWriteOneFrame), and each is a system call through the kernel's whole write path. r-sqlw29 sent each
 * header with its page (~10 -> ~6 write calls an event of the intake writer, one a frame); here the frames a
 * transaction appends are gathered and sent together, at the latest when its commit frame's page has been written
 * (issue 17, r-sqlin30): three write calls for a COMMIT of ~90 frames instead of ~90 (the writer's pwrite ~12.6 ->
 * ~5.3 µs an event, docs/BENCHMARKS.md).
 *
 * What it holds, and for how long. Bytes are held only for a WAL file handle, only from a frame header written
 * where that handle's last write ended (a frame appended), and only while each next write continues them at the
 * next byte (the frame's page, the next frame's header, ...). They are sent, in one call, and before SQLite's
 * call returns:
 *   - at the page of a commit frame (a header whose "database size after commit" is not 0): a COMMIT's frames
 *     are in the file when SQLite goes on to sync them (synchronous FULL) or to publish them in the WAL index
 *     (below FULL: nothing more is done to the WAL, so nothing may wait). Other connections read the WAL
 *     without the write lock, as soon as the WAL index names a frame: so this, not the unlock below, is what
 *     puts a commit's frames in the file before any reader can look for them;
 *   - before anything else is done to that handle (a write elsewhere, a read, a sync, a size, a truncation, a
 *     lock, a file control, the close), as SQLite would have had them there;
 *   - before the connection gives up the WAL's write lock (xShmLock unlocking lock 0 on its database file): a
 *     transaction that spilled frames and then rolled back leaves them in no later transaction's way, while no
 *     other connection can write the log (r-sqlintake4's withdrawn VFS sent such frames later, over another's);
 *     the lock is given up even when that write fails (SQLite ignores what an unlock returns: kept, it would
 *     refuse every later writer until the connection closed), and with locking_mode EXCLUSIVE, which takes no
 *     such lock, they go when the database file's lock is given up (r-review51);
 *   - when 124 KiB is held, under what the unix VFS writes in one call (what is held is sent, the rest starts
 *     again from the next frame's header).
 * A frame is published to readers (the WAL index) only after its transaction's commit frame was written (and
 * synced, with FULL), so no reader reads a frame from the file before it is there. A header written anywhere
 * else than where the last write ended (the checksums SQLite writes again at a commit, walRewriteChecksums)
 * goes at once. Every other file (the database, its shared memory, journals) and every other call is passed to
 * the unix VFS as it came.
 */
#include "store/lite_vfs.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define LV_HDR 24		/* a WAL frame's header (wal.c WAL_FRAME_HDRSIZE) */
/* Bytes held at most: the unix VFS writes less than 128 KiB in one call (os_unix.c seekAndWriteFd masks the
 * length with 0x1ffff), so 31 frames of a 4 KiB page a call. */
#define LV_HELD_MAX (124 * 1024)

struct lv_file {
	sqlite3_file head;  /* its pMethods: lv_methods1 or lv_methods3 */
	sqlite3_file *real; /* the unix VFS's file, after this struct in the same allocation */
	bool wal;           /* a WAL file: appended frames are held */
	sqlite3_int64 next; /* the byte after this handle's last write, held or sent (-1: none yet) */
	/* held: len bytes (frames, the last perhaps a header without its page yet) to go at held_at */
	unsigned char *held;
	size_t len, cap;
	sqlite3_int64 held_at;
	bool commit;   /* the last header held is a commit frame's: its page sends what is held */
	bool hdr_last; /* the last bytes held are a header (its page not yet written) */
	int frames;   /* frames held with their page */
	size_t page;  /* the size of the last page held */
	/* a WAL file's database file and the reverse (sqlite3_database_file_object), both this VFS's */
	struct lv_file *db, *wal_of;
};

#define LV_OFF ((int)((sizeof(struct lv_file) + 15) & ~(size_t)15))
#define LF(p) ((struct lv_file *)(p))
#define REAL(p) (LF(p)->real)

static sqlite3_vfs *lv_base;
/* frames sent with their header in one call; headers sent alone; write calls that sent held bytes (tests) */
static unsigned long long lv_gathered, lv_alone, lv_calls;

/* What is held, written as one call: before anything else is done to the file. */
static int lv_send(struct lv_file *f)
{
	if (!f->len)
		return SQLITE_OK;
	size_t len = f->len;
	f->len = 0;
	f->commit = false;
	__atomic_fetch_add(&lv_gathered, (unsigned long long)f->frames, __ATOMIC_RELAXED);
	if (f->hdr_last)
		__atomic_fetch_add(&lv_alone, 1, __ATOMIC_RELAXED); /* a header whose page did not follow */
	f->frames = 0;
	f->hdr_last = false;
	__atomic_fetch_add(&lv_calls, 1, __ATOMIC_RELAXED);
	return f->real->pMethods->xWrite(f->real, f->held, (int)len, f->held_at);
}

static int lv_close(sqlite3_file *p)
{
	struct lv_file *f = LF(p);
	int rc = lv_send(f);
	int rc2 = f->real->pMethods ? f->real->pMethods->xClose(f->real) : SQLITE_OK;
	if (f->db && f->db->wal_of == f)
		f->db->wal_of = NULL;
	if (f->wal_of && f->wal_of->db == f)
		f->wal_of->db = NULL;
	f->db = f->wal_of = NULL;
	free(f->held);
	f->held = NULL;
	f->len = f->cap = 0;
	return rc != SQLITE_OK ? rc : rc2;
}

/* Whether n more bytes fit what is held (grown to fit, up to LV_HELD_MAX). */
static bool lv_room(struct lv_file *f, size_t n)
{
	if (f->len + n > LV_HELD_MAX)
		return false;
	if (f->len + n <= f->cap)
		return true;
	size_t cap = f->cap ? f->cap : 32 * 1024;
	while (cap < f->len + n)
		cap *= 2;
	if (cap > LV_HELD_MAX)
		cap = LV_HELD_MAX;
	unsigned char *g = realloc(f->held, cap);
	if (!g)
		return false;
	f->held = g;
	f->cap = cap;
	return true;
}

/* A frame header's "database size after commit" (bytes 4-7, big-endian): not 0 for a commit frame. */
static bool lv_commit_header(const unsigned char *h)
{
	return (h[4] | h[5] | h[6] | h[7]) != 0;
}

static int lv_read(sqlite3_file *p, void *buf, int n, sqlite3_int64 at)
{
	int rc = lv_send(LF(p));
	return rc != SQLITE_OK ? rc : REAL(p)->pMethods->xRead(REAL(p), buf, n, at);
}

static int lv_write(sqlite3_file *p, const void *buf, int n, sqlite3_int64 at)
{
	struct lv_file *f = LF(p);
	/* a header is taken only with room for its page after it (the size of the last one), so that a frame is
	 * never sent in two calls for want of room */
	size_t need = (size_t)n + (n == LV_HDR ? f->page : 0);
	if (f->len && n > 0 && at == f->held_at + (sqlite3_int64)f->len && lv_room(f, need)) {
		/* the next byte of what is held: the page of the header held last, or the next frame's header */
		memcpy(f->held + f->len, buf, (size_t)n);
		f->len += (size_t)n;
		f->next = at + n;
		f->hdr_last = n == LV_HDR;
		if (f->hdr_last) {
			f->commit = lv_commit_header(buf);
			return SQLITE_OK;
		}
		f->frames++;
		f->page = (size_t)n;
		return f->commit ? lv_send(f) : SQLITE_OK;
	}
	int rc = lv_send(f);
	if (rc != SQLITE_OK)
		return rc;
	/* Held only from where this handle's last write ended: a new frame appended after the one before it (or
	 * after the WAL's own header). A header written anywhere else is SQLite writing the checksums of frames
	 * already in the log again (wal.c walRewriteChecksums, at the commit of a transaction that rewrote pages it
	 * had spilled): the last of those is followed by no write of its page, and with synchronous below FULL by
	 * no sync either, so held it would outlive the COMMIT (r-review49). Those go now, as SQLite wrote them. */
	if (f->wal && n == LV_HDR && at == f->next && lv_room(f, LV_HDR)) {
		memcpy(f->held, buf, LV_HDR);
		f->len = LV_HDR;
		f->held_at = at;
		f->commit = lv_commit_header(buf);
		f->hdr_last = true;
		f->next = at + n;
		return SQLITE_OK;
	}
	if (f->wal && n == LV_HDR)
		__atomic_fetch_add(&lv_alone, 1, __ATOMIC_RELAXED);
	f->next = at + n;
	return f->real->pMethods->xWrite(f->real, buf, n, at);
}

static int lv_truncate(sqlite3_file *p, sqlite3_int64 size)
{
	int rc = lv_send(LF(p));
	return rc != SQLITE_OK ? rc : REAL(p)->pMethods->xTruncate(REAL(p), size);
}

static int lv_sync(sqlite3_file *p, int flags)
{
	int rc = lv_send(LF(p));
	return rc != SQLITE_OK ? rc : REAL(p)->pMethods->xSync(REAL(p), flags);
}

static int lv_file_size(sqlite3_file *p, sqlite3_int64 *size)
{
	int rc = lv_send(LF(p));
	return rc != SQLITE_OK ? rc : REAL(p)->pMethods->xFileSize(REAL(p), size);
}

static int lv_lock(sqlite3_file *p, int lock)
{
	int rc = lv_send(LF(p));
	return rc != SQLITE_OK ? rc : REAL(p)->pMethods->xLock(REAL(p), lock);
}

static int lv_unlock(sqlite3_file *p, int lock)
{
	/* a database file's lock given up: its WAL's held frames first (locking_mode EXCLUSIVE takes no lock of
	 * the WAL index, so the database file's lock is what keeps other writers off the log there) */
	struct lv_file *w = LF(p)->wal_of;
	int rc = lv_send(LF(p));
	int rc2 = w ? lv_send(w) : SQLITE_OK;
	int rc3 = REAL(p)->pMethods->xUnlock(REAL(p), lock);
	return rc != SQLITE_OK ? rc : rc2 != SQLITE_OK ? rc2 : rc3;
}

static int lv_check_reserved(sqlite3_file *p, int *out)
{
	int rc = lv_send(LF(p));
	return rc != SQLITE_OK ? rc : REAL(p)->pMethods->xCheckReservedLock(REAL(p), out);
}

static int lv_file_control(sqlite3_file *p, int op, void *arg)
{
	int rc = lv_send(LF(p));
	return rc != SQLITE_OK ? rc : REAL(p)->pMethods->xFileControl(REAL(p), op, arg);
}

static int lv_sector_size(sqlite3_file *p) { return REAL(p)->pMethods->xSectorSize(REAL(p)); }
static int lv_device(sqlite3_file *p) { return REAL(p)->pMethods->xDeviceCharacteristics(REAL(p)); }

/* The database file's shared memory and mapping: as the unix VFS has them (never a WAL file's). */
static int lv_shm_map(sqlite3_file *p, int i, int size, int extend, void volatile **out)
{
	return REAL(p)->pMethods->xShmMap(REAL(p), i, size, extend, out);
}
/* Lock 0 of the WAL index is the WAL's write lock (wal.c WAL_WRITE_LOCK): what this connection's WAL handle
 * holds goes before it is given up (a transaction that spilled frames and rolled back: SQLite wrote them at once,
 * under the lock; sent now they are still under it, and in no later writer's way). */
static int lv_shm_lock(sqlite3_file *p, int offset, int n, int flags)
{
	struct lv_file *w = LF(p)->wal_of;
	/* a failed send is a rolled-back transaction's frames (a commit's went at its page): the lock is given up
	 * all the same, SQLite does not look at what an unlock returns */
	int rc = w && offset == 0 && (flags & SQLITE_SHM_UNLOCK) && w->len ? lv_send(w) : SQLITE_OK;
	int rc2 = REAL(p)->pMethods->xShmLock(REAL(p), offset, n, flags);
	return rc != SQLITE_OK ? rc : rc2;
}
static void lv_shm_barrier(sqlite3_file *p) { REAL(p)->pMethods->xShmBarrier(REAL(p)); }
static int lv_shm_unmap(sqlite3_file *p, int del) { return REAL(p)->pMethods->xShmUnmap(REAL(p), del); }
static int lv_fetch(sqlite3_file *p, sqlite3_int64 at, int n, void **out)
{
	int rc = lv_send(LF(p));
	return rc != SQLITE_OK ? rc : REAL(p)->pMethods->xFetch(REAL(p), at, n, out);
}
static int lv_unfetch(sqlite3_file *p, sqlite3_int64 at, void *q) { return REAL(p)->pMethods->xUnfetch(REAL(p), at, q); }

#define LV_METHODS_V1                                                                                               \
	.xClose = lv_close, .xRead = lv_read, .xWrite = lv_write, .xTruncate = lv_truncate, .xSync = lv_sync,      \
	.xFileSize = lv_file_size, .xLock = lv_lock, .xUnlock = lv_unlock, .xCheckReservedLock = lv_check_reserved, \
	.xFileControl = lv_file_control, .xSectorSize = lv_sector_size, .xDeviceCharacteristics = lv_device

static const sqlite3_io_methods lv_methods1 = {.iVersion = 1, LV_METHODS_V1};
static const sqlite3_io_methods lv_methods3 = {.iVersion = 3,
					       LV_METHODS_V1,
					       .xShmMap = lv_shm_map,
					       .xShmLock = lv_shm_lock,
					       .xShmBarrier = lv_shm_barrier,
					       .xShmUnmap = lv_shm_unmap,
					       .xFetch = lv_fetch,
					       .xUnfetch = lv_unfetch};

static int lv_open(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *p, int flags, int *out_flags)
{
	(void)vfs;
	struct lv_file *f = LF(p);
	memset(f, 0, sizeof *f);
	f->next = -1;
	f->real = (sqlite3_file *)((char *)p + LV_OFF);
	f->wal = (flags & SQLITE_OPEN_WAL) != 0;
	int rc = lv_base->xOpen(lv_base, name, f->real, flags, out_flags);
	/* SQLite closes a file whose pMethods is set even when the open failed (sqlite3_io_methods) */
	if (f->real->pMethods)
		p->pMethods = f->real->pMethods->iVersion >= 3 ? &lv_methods3 : &lv_methods1;
	else
		p->pMethods = NULL;
	/* a WAL file and its connection's database file know each other (lv_shm_lock): SQLite hands a WAL's xOpen
	 * a name from which sqlite3_database_file_object finds the database's file */
	if (rc == SQLITE_OK && f->wal && name) {
		sqlite3_file *db = sqlite3_database_file_object(name);
		if (db && (db->pMethods == &lv_methods3 || db->pMethods == &lv_methods1)) {
			f->db = LF(db);
			LF(db)->wal_of = f;
		}
	}
	return rc;
}

/* The rest of the VFS: the unix one's. */
static int lv_delete(sqlite3_vfs *v, const char *name, int sync_dir)
{
	(void)v;
	return lv_base->xDelete(lv_base, name, sync_dir);
}
static int lv_access(sqlite3_vfs *v, const char *name, int flags, int *out)
{
	(void)v;
	return lv_base->xAccess(lv_base, name, flags, out);
}
static int lv_full_pathname(sqlite3_vfs *v, const char *name, int n, char *out)
{
	(void)v;
	return lv_base->xFullPathname(lv_base, name, n, out);
}
static void *lv_dl_open(sqlite3_vfs *v, const char *name)
{
	(void)v;
	return lv_base->xDlOpen(lv_base, name);
}
static void lv_dl_error(sqlite3_vfs *v, int n, char *out)
{
	(void)v;
	lv_base->xDlError(lv_base, n, out);
}
static void (*lv_dl_sym(sqlite3_vfs *v, void *h, const char *sym))(void)
{
	(void)v;
	return lv_base->xDlSym(lv_base, h, sym);
}
static void lv_dl_close(sqlite3_vfs *v, void *h)
{
	(void)v;
	lv_base->xDlClose(lv_base, h);
}
static int lv_randomness(sqlite3_vfs *v, int n, char *out)
{
	(void)v;
	return lv_base->xRandomness(lv_base, n, out);
}
static int lv_sleep(sqlite3_vfs *v, int us)
{
	(void)v;
	return lv_base->xSleep(lv_base, us);
}
static int lv_current_time(sqlite3_vfs *v, double *out)
{
	(void)v;
	return lv_base->xCurrentTime(lv_base, out);
}
static int lv_last_error(sqlite3_vfs *v, int n, char *out)
{
	(void)v;
	return lv_base->xGetLastError ? lv_base->xGetLastError(lv_base, n, out) : 0;
}
static int lv_current_time64(sqlite3_vfs *v, sqlite3_int64 *out)
{
	(void)v;
	if (lv_base->iVersion >= 2 && lv_base->xCurrentTimeInt64)
		return lv_base->xCurrentTimeInt64(lv_base, out);
	double d = 0;
	int rc = lv_base->xCurrentTime(lv_base, &d);
	*out = (sqlite3_int64)(d * 86400000.0);
	return rc;
}

static sqlite3_vfs lv_vfs = {
	.iVersion = 2,
	.zName = "safeguard-unix",
	.xOpen = lv_open,
	.xDelete = lv_delete,
	.xAccess = lv_access,
	.xFullPathname = lv_full_pathname,
	.xDlOpen = lv_dl_open,
	.xDlError = lv_dl_error,
	.xDlSym = lv_dl_sym,
	.xDlClose = lv_dl_close,
	.xRandomness = lv_randomness,
	.xSleep = lv_sleep,
	.xCurrentTime = lv_current_time,
	.xGetLastError = lv_last_error,
	.xCurrentTimeInt64 = lv_current_time64,
};

int lite_vfs_install(void)
{
	sqlite3_vfs *base = sqlite3_vfs_find("unix");
	if (!base || lv_base)
		return -1;
	lv_base = base;
	lv_vfs.szOsFile = LV_OFF + base->szOsFile;
	lv_vfs.mxPathname = base->mxPathname;
	return sqlite3_vfs_register(&lv_vfs, 1) == SQLITE_OK ? 0 : -1;
}

void lite_vfs_counts(unsigned long long *gathered, unsigned long long *alone)
{
	*gathered = __atomic_load_n(&lv_gathered, __ATOMIC_RELAXED);
	*alone = __atomic_load_n(&lv_alone, __ATOMIC_RELAXED);
}

unsigned long long lite_vfs_calls(void)
{
	return __atomic_load_n(&lv_calls, __ATOMIC_RELAXED);
}
