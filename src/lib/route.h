/*
 * lib/route.h — matching a request path against a route's pattern ("/api/v1/children/{id}/chronology").
 *
 * Written here because the routes are a short static table and libmicrohttpd dispatches on nothing but the
 * whole URL; a general router library would bring more than it saves. A `{id}` segment matches a positive
 * decimal id (1 to 2^63-1, no sign, no leading zero); every other segment matches itself exactly.
 */
#ifndef SAFEGUARD_LIB_ROUTE_H
#define SAFEGUARD_LIB_ROUTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ROUTE_IDS_MAX 2

/* True when path matches pattern; ids[] gets each {id} in order (at most ROUTE_IDS_MAX). */
bool route_match(const char *pattern, const char *path, int64_t ids[ROUTE_IDS_MAX]);

/* "GET" routes also answer "HEAD". */
bool route_method_matches(const char *route_method, const char *method);

/* What every route table's entry begins with (api.c's and web.c's tables hold more after it). */
struct route_key {
	const char *method, *pattern;
};

/* The route of a request in a table of n entries, each beginning with a struct route_key, stride bytes apart:
 * its index, with ids filled; or -1, and allow then lists the methods the path does take ("GET, HEAD, POST"),
 * "" when no route has the path (a 404 rather than a 405). */
long route_find(const void *table, size_t n, size_t stride, const char *method, const char *path,
		int64_t ids[ROUTE_IDS_MAX], char *allow, size_t allowsz);

/* Whether s is a path of this site and nothing else, fit to be a redirect's Location (sign-in's next): it
 * starts with one '/' and its second character is neither '/' nor '\\' (browsers read "//host" and "/\\host"
 * as another site), neither as it is nor once percent-decoded (a value decoded once more on its way:
 * "/%2F/host", "/%5Chost"); and it holds no control character, neither as it is nor once decoded (browsers
 * drop a tab or a newline from a URL, so "/<TAB>/host" is "//host"; CR LF would end the Location header),
 * and no bare space (our own addresses are percent-encoded; an encoded space, "%20", may stay). */
bool route_local_path(const char *s);

#endif
