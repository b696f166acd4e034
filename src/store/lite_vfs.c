/*
 * store/lite_vfs.c — the unix VFS, with each WAL frame written by one call, not two.
 *
 * Why: SQLite writes a WAL frame as two writes, its 24-byte header and then its page at the next byte
 * (wal.c walWriteOneFrame), and each is a system call through the kernel's whole write path: ~9 of the intake
 * writer's write calls an event, ~16% of its CPU in pwrite (issue 17, r-sqlw29). Here a 24-byte write to a
 * WAL file is held, and the write that follows it at the next byte (its page) is sent together with it, as one
 * call; anything else done to that file first (another write, a read, a sync, a size, a truncation, a lock, a
 * file control, the close) sends the held header alone first, as SQLite would have.
 *
 * What it holds, and for how long: at most one 24-byte header, of one connection's WAL file handle, written
 * where that handle's last write ended (a frame appended), from SQLite's write of it to SQLite's next call on
 * that handle (within walWriteOneFrame, the page's write). A header written anywhere else (the checksums
 * SQLite writes again at a commit, walRewriteChecksums, which no page's write follows) goes at once. No
 * frame is in the file later than SQLite had it there: a frame is published to readers (the WAL index) only
 * after its page was written, and synced before that when synchronous is FULL. Nothing else is kept: every
 * other file (the database, its shared memory, journals) and every other call is passed to the unix VFS as it
 * came. r-sqlintake4's gathered WAL (withdrawn) held whole commits across calls; this does not.
 */
#include "store/lite_vfs.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define LV_HDR 24 /* a WAL frame's header (wal.c WAL_FRAME_HDRSIZE) */

struct lv_file {
	sqlite3_file head;  /* its pMethods: lv_methods1 or lv_methods3 */
	sqlite3_file *real; /* the unix VFS's file, after this struct in the same allocation */
	bool wal;           /* a WAL file: frame headers are held */
	bool held;          /* hdr waits to be written at held_at */
	sqlite3_int64 held_at;
	sqlite3_int64 next; /* the byte after this handle's last write (-1: none yet) */
	unsigned char hdr[LV_HDR];
	unsigned char *frame; /* a header and its page, gathered (malloc'ed at first use) */
	int frame_cap;
};

#define LV_OFF ((int)((sizeof(struct lv_file) + 15) & ~(size_t)15))
#define LF(p) ((struct lv_file *)(p))
#define REAL(p) (LF(p)->real)

static sqlite3_vfs *lv_base;
static unsigned long long lv_gathered, lv_alone; /* frames sent as one call; headers sent alone (tests) */

/* The held header, written alone: before anything else is done to the file. */
static int lv_send(struct lv_file *f)
{
	if (!f->held)
		return SQLITE_OK;
	f->held = false;
	f->next = f->held_at + LV_HDR;
	__atomic_fetch_add(&lv_alone, 1, __ATOMIC_RELAXED);
	return f->real->pMethods->xWrite(f->real, f->hdr, LV_HDR, f->held_at);
}

static int lv_close(sqlite3_file *p)
{
	struct lv_file *f = LF(p);
	int rc = lv_send(f);
	int rc2 = f->real->pMethods ? f->real->pMethods->xClose(f->real) : SQLITE_OK;
	free(f->frame);
	f->frame = NULL;
	return rc != SQLITE_OK ? rc : rc2;
}

static int lv_read(sqlite3_file *p, void *buf, int n, sqlite3_int64 at)
{
	int rc = lv_send(LF(p));
	return rc != SQLITE_OK ? rc : REAL(p)->pMethods->xRead(REAL(p), buf, n, at);
}

static int lv_write(sqlite3_file *p, const void *buf, int n, sqlite3_int64 at)
{
	struct lv_file *f = LF(p);
	if (f->held && at == f->held_at + LV_HDR && n > 0 && n <= 65536) {
		if (f->frame_cap < LV_HDR + n) {
			unsigned char *g = realloc(f->frame, (size_t)LV_HDR + (size_t)n);
			if (g) {
				f->frame = g;
				f->frame_cap = LV_HDR + n;
			}
		}
		if (f->frame_cap >= LV_HDR + n) {
			memcpy(f->frame, f->hdr, LV_HDR);
			memcpy(f->frame + LV_HDR, buf, (size_t)n);
			f->held = false;
			f->next = f->held_at + LV_HDR + n;
			__atomic_fetch_add(&lv_gathered, 1, __ATOMIC_RELAXED);
			return f->real->pMethods->xWrite(f->real, f->frame, LV_HDR + n, f->held_at);
		}
	}
	int rc = lv_send(f);
	if (rc != SQLITE_OK)
		return rc;
	/* Held only where this handle's last write ended: a new frame appended after the one before it (or after
	 * the WAL's own header). A header written anywhere else is SQLite writing the checksums of frames already
	 * in the log again (wal.c walRewriteChecksums, at the commit of a transaction that rewrote pages it had
	 * spilled): the last of those is followed by no write of its page, and with synchronous below FULL by no
	 * sync either, so held it would outlive the COMMIT (lost if the process died, and sent later over a log
	 * another connection may have restarted). Those go now, as SQLite wrote them. */
	if (f->wal && n == LV_HDR && at == f->next) {
		memcpy(f->hdr, buf, LV_HDR);
		f->held_at = at;
		f->held = true;
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
	int rc = lv_send(LF(p));
	return rc != SQLITE_OK ? rc : REAL(p)->pMethods->xUnlock(REAL(p), lock);
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
static int lv_shm_lock(sqlite3_file *p, int offset, int n, int flags)
{
	return REAL(p)->pMethods->xShmLock(REAL(p), offset, n, flags);
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
