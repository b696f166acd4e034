/*
 * store/lite_walbuf.h — an SQLite VFS that writes the WAL in one call per commit (store/drv_sqlite.c opens
 * every file through it).
 *
 * SQLite writes each WAL frame as two writes, its 24-byte header and its page, so one intake commit of ~14
 * records made ~150 pwrite calls, each through the kernel's write path, and the header of every frame
 * touched a page-cache page of its own. This VFS is the default one (unix) except for -wal files: their
 * writes that follow on from each other are gathered in memory and written as one, before anything that
 * could read them or make them durable (a read, sync, truncate, size, file control, mapping, close), and
 * right after a commit frame (one whose header carries the database size), so a reader that sees the commit
 * published in the shared index always finds its frames in the file, whatever the synchronous setting.
 * Every write still reaches the file in the order SQLite made it; a write that does not follow the last one
 * first sends what is gathered. What reaches the disk, and when fsync runs, is unchanged.
 */
#ifndef SAFEGUARD_STORE_LITE_WALBUF_H
#define SAFEGUARD_STORE_LITE_WALBUF_H

/* The VFS's name for sqlite3_open_v2; registered (not as the default) by lite_walbuf_register. */
#define LITE_WALBUF_VFS "safeguard-walbuf"

/* Registers the VFS over the default one, before the first open (again: nothing). SQLITE_OK or SQLite's code;
 * not thread-safe: store/drv_sqlite.c calls it from its one-time set-up. */
int lite_walbuf_register(void);

#endif
