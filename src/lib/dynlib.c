/* lib/dynlib.c — see dynlib.h. */
#include "lib/dynlib.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool dynlib_open(const char *soname, const char *what, const char *const *names, size_t n, void *slots,
		 char *err, size_t errlen)
{
	void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		const char *e = dlerror();
		snprintf(err, errlen, "cannot load %s: %s", what, e ? e : "unknown error");
		return false;
	}
	void **bound = calloc(n ? n : 1, sizeof *bound);
	if (!bound) {
		snprintf(err, errlen, "cannot load %s: out of memory", what);
		dlclose(h);
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		dlerror();
		bound[i] = dlsym(h, names[i]);
		if (!bound[i]) {
			const char *e = dlerror();
			snprintf(err, errlen, "cannot load %s: no %s: %s", what, names[i], e ? e : "unknown error");
			free(bound);
			dlclose(h);
			return false;
		}
	}
	/* POSIX guarantees a function pointer and void * have one size and representation (dlsym relies on it);
	 * ISO C has no conversion between them, so the bits are copied. */
	memcpy(slots, bound, n * sizeof *bound);
	free(bound);
	return true;
}
