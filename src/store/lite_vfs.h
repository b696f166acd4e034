/*
 * store/lite_vfs.h — the unix VFS with a commit's WAL frames written in few calls (store/lite_vfs.c says why and what
 * it holds). Registered as SQLite's default by the SQLite driver (store/drv_sqlite.c); only store/ includes
 * this.
 */
#ifndef SAFEGUARD_STORE_LITE_VFS_H
#define SAFEGUARD_STORE_LITE_VFS_H

/* Registers it as the default VFS ("safeguard-unix", over "unix"): 0, or -1 (none found, or already done). */
int lite_vfs_install(void);

/* Since the process started: WAL frames written in one call with their header (and the frames held beside
 * them), and headers written alone (held, then something other than their page came first). For tests. */
void lite_vfs_counts(unsigned long long *gathered, unsigned long long *alone);

/* Since the process started: the write calls that sent held WAL frames (one a COMMIT's frames). For tests. */
unsigned long long lite_vfs_calls(void);

#endif
