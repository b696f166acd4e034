/*
 * lib/dynlib.h — a shared library opened on first use (dlopen) and its functions bound into a table.
 *
 * libpq (store/drv_pg.c) and libmicrohttpd (http/server.c) are opened this way rather than linked, so that the
 * ~20,000 starts of a CLI command that needs neither do not pay the dynamic loader for them and what they bring
 * (docs/BENCHMARKS.md, "r-dl30"). The caller keeps its own table of typed pointers (one member per name, in the
 * order of NAMES, each `__typeof__(fn) *`) so that each call is type-checked as a linked call would be;
 * dynlib_open fills it. Written here because glibc's dlopen/dlsym is the library; libtool's ltdl would add a
 * dependency for the same two calls, and this is the one place the open-and-bind loop is written.
 */
#ifndef SAFEGUARD_LIB_DYNLIB_H
#define SAFEGUARD_LIB_DYNLIB_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Opens SONAME and binds NAMES[0..n) into SLOTS, a table of n function pointers (a struct whose members are all
 * function pointers, in NAMES' order; the caller checks its size is n pointers). On failure the library is
 * closed, SLOTS is left as it was, and ERR holds "cannot load WHAT: why" (WHAT names the library and what it is
 * for, as the user should read it). The handle is kept on success: the library stays loaded for the process's life.
 */
bool dynlib_open(const char *soname, const char *what, const char *const *names, size_t n, void *slots,
		 char *err, size_t errlen);

#endif
