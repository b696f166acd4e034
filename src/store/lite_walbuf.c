/*
 * store/lite_walbuf.c — the WAL gathered into one write per commit (store/lite_walbuf.h says why and when).
 */
#include "store/lite_walbuf.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

/* What one file of this VFS holds: the real (default VFS) file right after it, in the same allocation. */
struct wb_file {
	sqlite3_file base;
	sqlite3_file *real;
	unsigned char *buf; /* writes to come at [off, off + len), not yet sent; NULL until the first */
	size_t len, cap;
	sqlite3_int64 off;
	int flush_next; /* the last write was a commit frame's header: send once its page is written */
};

/* A commit's frames above this are sent as they come: it bounds the memory one WAL handle keeps (only the
 * writer's ever grows it; readers never write). ~14 intake records are ~300 KiB. */
#define WB_MAX (4u * 1024 * 1024)
#define WAL_FRAME_HDR 24

static sqlite3_vfs wb_vfs;
static sqlite3_vfs *wb_real; /* the default VFS, set once by lite_walbuf_register */

#define REAL(f) (((struct wb_file *)(f))->real)

/* The default VFS writes at most 128 KiB - 1 bytes a call (it masks the length: a longer write reads as a
 * full disk), so what is gathered goes out in pieces of 64 KiB. */
#define WB_CALL_MAX (64 * 1024)

static int wb_flush(struct wb_file *w)
{
	int rc = SQLITE_OK;
	for (size_t done = 0; done < w->len && rc == SQLITE_OK; done += WB_CALL_MAX) {
		size_t n = w->len - done < WB_CALL_MAX ? w->len - done : WB_CALL_MAX;
		rc = w->real->pMethods->xWrite(w->real, w->buf + done, (int)n, w->off + (sqlite3_int64)done);
	}
	w->len = 0;
	return rc;
}

static int wb_close(sqlite3_file *f)
{
	struct wb_file *w = (struct wb_file *)f;
	int rc = wb_flush(w);
	int rc2 = w->real->pMethods->xClose(w->real);
	free(w->buf);
	w->buf = NULL;
	w->cap = 0;
	return rc != SQLITE_OK ? rc : rc2;
}

static int wb_read(sqlite3_file *f, void *p, int n, sqlite3_int64 off)
{
	int rc = wb_flush((struct wb_file *)f);
	return rc != SQLITE_OK ? rc : REAL(f)->pMethods->xRead(REAL(f), p, n, off);
}

static int wb_write(sqlite3_file *f, const void *p, int n, sqlite3_int64 off)
{
	struct wb_file *w = (struct wb_file *)f;
	int rc;
	size_t sz = (size_t)n;
	if (w->len && (off != w->off + (sqlite3_int64)w->len || w->len + sz > WB_MAX)) {
		if ((rc = wb_flush(w)) != SQLITE_OK)
			return rc;
	}
	if (sz > WB_CALL_MAX) { /* larger than SQLite's own writes to a WAL: straight through, as asked */
		if ((rc = wb_flush(w)) != SQLITE_OK)
			return rc;
		rc = w->real->pMethods->xWrite(w->real, p, n, off);
	} else {
		if (w->len + sz > w->cap) {
			size_t cap = w->cap ? w->cap : 64 * 1024;
			while (cap < w->len + sz)
				cap *= 2;
			if (cap > WB_MAX)
				cap = WB_MAX;
			unsigned char *b = realloc(w->buf, cap);
			if (!b) { /* no memory to gather in: write as SQLite asked */
				if ((rc = wb_flush(w)) != SQLITE_OK)
					return rc;
				return w->real->pMethods->xWrite(w->real, p, n, off);
			}
			w->buf = b;
			w->cap = cap;
		}
		if (!w->len)
			w->off = off;
		memcpy(w->buf + w->len, p, sz);
		w->len += sz;
		rc = SQLITE_OK;
	}
	if (rc != SQLITE_OK)
		return rc;
	/* A frame header is the WAL's only 24-byte write (its file header is 32, pages at least 512); bytes 4-7,
	 * the database's size in pages, are non-zero only in a transaction's commit frame. Once that frame's page
	 * follows, the commit's frames go out: SQLite publishes the commit to readers right after. */
	if (w->flush_next) {
		w->flush_next = 0;
		return wb_flush(w);
	}
	if (n == WAL_FRAME_HDR) {
		const unsigned char *h = p;
		w->flush_next = (h[4] | h[5] | h[6] | h[7]) != 0;
	}
	return SQLITE_OK;
}

static int wb_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	int rc = wb_flush((struct wb_file *)f);
	return rc != SQLITE_OK ? rc : REAL(f)->pMethods->xTruncate(REAL(f), size);
}

static int wb_sync(sqlite3_file *f, int flags)
{
	int rc = wb_flush((struct wb_file *)f);
	return rc != SQLITE_OK ? rc : REAL(f)->pMethods->xSync(REAL(f), flags);
}

static int wb_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
	int rc = wb_flush((struct wb_file *)f);
	return rc != SQLITE_OK ? rc : REAL(f)->pMethods->xFileSize(REAL(f), size);
}

static int wb_lock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xLock(REAL(f), l); }
static int wb_unlock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xUnlock(REAL(f), l); }
static int wb_check_reserved(sqlite3_file *f, int *out) { return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out); }

static int wb_file_control(sqlite3_file *f, int op, void *arg)
{
	int rc = wb_flush((struct wb_file *)f);
	return rc != SQLITE_OK ? rc : REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}

static int wb_sector_size(sqlite3_file *f) { return REAL(f)->pMethods->xSectorSize(REAL(f)); }
static int wb_device(sqlite3_file *f) { return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f)); }

static int wb_shm_map(sqlite3_file *f, int pg, int pgsz, int extend, void volatile **pp)
{
	return REAL(f)->pMethods->xShmMap(REAL(f), pg, pgsz, extend, pp);
}
static int wb_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
	return REAL(f)->pMethods->xShmLock(REAL(f), offset, n, flags);
}
static void wb_shm_barrier(sqlite3_file *f) { REAL(f)->pMethods->xShmBarrier(REAL(f)); }
static int wb_shm_unmap(sqlite3_file *f, int del) { return REAL(f)->pMethods->xShmUnmap(REAL(f), del); }

static int wb_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **pp)
{
	int rc = wb_flush((struct wb_file *)f);
	return rc != SQLITE_OK ? rc : REAL(f)->pMethods->xFetch(REAL(f), off, n, pp);
}
static int wb_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p) { return REAL(f)->pMethods->xUnfetch(REAL(f), off, p); }

static sqlite3_io_methods wb_methods = {
	.iVersion = 3,
	.xClose = wb_close,
	.xRead = wb_read,
	.xWrite = wb_write,
	.xTruncate = wb_truncate,
	.xSync = wb_sync,
	.xFileSize = wb_file_size,
	.xLock = wb_lock,
	.xUnlock = wb_unlock,
	.xCheckReservedLock = wb_check_reserved,
	.xFileControl = wb_file_control,
	.xSectorSize = wb_sector_size,
	.xDeviceCharacteristics = wb_device,
	.xShmMap = wb_shm_map,
	.xShmLock = wb_shm_lock,
	.xShmBarrier = wb_shm_barrier,
	.xShmUnmap = wb_shm_unmap,
	.xFetch = wb_fetch,
	.xUnfetch = wb_unfetch,
};

static int wb_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out_flags)
{
	if (!(flags & SQLITE_OPEN_WAL)) /* the database, journals, temporary files: the default VFS's own */
		return wb_real->xOpen(wb_real, name, f, flags, out_flags);
	struct wb_file *w = (struct wb_file *)f;
	memset(w, 0, sizeof *w);
	w->real = (sqlite3_file *)(w + 1);
	int rc = wb_real->xOpen(wb_real, name, w->real, flags, out_flags);
	if (rc != SQLITE_OK) {
		if (w->real->pMethods)
			w->real->pMethods->xClose(w->real);
		f->pMethods = NULL;
		return rc;
	}
	/* The methods this VFS's version of SQLite knows: the default's own are version 3 (shared memory, mmap). */
	if (w->real->pMethods->iVersion < 3) {
		w->real->pMethods->xClose(w->real);
		f->pMethods = NULL;
		return SQLITE_CANTOPEN;
	}
	f->pMethods = &wb_methods;
	return SQLITE_OK;
}

int lite_walbuf_register(void)
{
	if (wb_real) /* once is enough (store/drv_sqlite.c calls it once; a test may call it again) */
		return SQLITE_OK;
	if (!(wb_real = sqlite3_vfs_find(NULL)))
		return SQLITE_ERROR;
	/* The default VFS's own functions for everything but opening: they are given this struct, which carries
	 * the default's settings (its pAppData, path length) unchanged. */
	wb_vfs = *wb_real;
	wb_vfs.pNext = NULL;
	wb_vfs.zName = LITE_WALBUF_VFS;
	wb_vfs.szOsFile = (int)sizeof(struct wb_file) + wb_real->szOsFile;
	wb_vfs.xOpen = wb_open;
	return sqlite3_vfs_register(&wb_vfs, 0);
}
