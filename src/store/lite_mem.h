/*
 * store/lite_mem.h — SQLite's memory served from per-thread free lists (store/lite_mem.c says why and how).
 * Installed once, before SQLite's first use, by the SQLite driver (store/drv_sqlite.c); only store/ includes
 * this.
 */
#ifndef SAFEGUARD_STORE_LITE_MEM_H
#define SAFEGUARD_STORE_LITE_MEM_H

#include <stddef.h>

/* SQLITE_CONFIG_MALLOC with the lists: 0, or -1 when SQLite is already initialised (its own stays). */
int lite_mem_install(void);

/* The calling thread's allocations served from its lists and not (since it started), for tests. */
void lite_mem_counts(unsigned long long *hits, unsigned long long *misses);
/* Bytes on the calling thread's lists now, and the lists given back to glibc. */
size_t lite_mem_cached_bytes(void);
void lite_mem_trim(void);
/* The usable size of a block asked with n bytes (its class's size; n itself above the largest class). */
size_t lite_mem_class_size(size_t n);

#endif
