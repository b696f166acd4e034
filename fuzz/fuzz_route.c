/*
 * libFuzzer target for lib/route: any bytes as a request path, against the patterns the route tables use.
 * Invariants: a match gives ids in 1..INT64_MAX, and writing the pattern back with those ids gives the path
 * exactly (no second spelling of a route: no leading zeros, no signs, no empty or extra segments).
 * route_local_path (sign-in's next): what it accepts starts with one '/', is not "//" or "/\\" as it is,
 * and holds no control character and no bare space.
 */
#include <assert.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/route.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const patterns[] = {
	"/", "/healthz", "/api/v1/children/{id}", "/api/v1/children/{id}/chronology", "/children/{id}/events/{id}",
	"/admin/users/{id}/reset", "/api/v1/recordings/{id}/content", "/{id}", "/{id}/{id}",
};

static void unparse(const char *pattern, const int64_t *ids, char *out, size_t outsz)
{
	size_t n = 0;
	int k = 0;
	while (*pattern && n + 24 < outsz) {
		if (strncmp(pattern, "{id}", 4) == 0) {
			n += (size_t)snprintf(out + n, outsz - n, "%" PRId64, ids[k++]);
			pattern += 4;
		} else {
			out[n++] = *pattern++;
		}
	}
	out[n] = '\0';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *path = malloc(size + 1), again[4096];
	if (!path)
		return 0;
	memcpy(path, data, size);
	path[size] = '\0';
	for (size_t i = 0; i < sizeof patterns / sizeof patterns[0]; i++) {
		int64_t ids[ROUTE_IDS_MAX] = {0};
		if (!route_match(patterns[i], path, ids))
			continue;
		for (int k = 0; k < ROUTE_IDS_MAX; k++)
			assert(ids[k] >= 0);
		unparse(patterns[i], ids, again, sizeof again);
		assert(strcmp(again, path) == 0);
	}
	if (route_local_path(path)) {
		assert(path[0] == '/' && path[1] != '/' && path[1] != '\\');
		for (const char *p = path; *p; p++)
			assert((unsigned char)*p > 0x20 && *p != 0x7f);
	}
	assert(route_method_matches("GET", "HEAD") && !route_method_matches("POST", "HEAD"));
	free(path);
	return 0;
}
