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
#include <stdint.h>

#define ROUTE_IDS_MAX 2

/* True when path matches pattern; ids[] gets each {id} in order (at most ROUTE_IDS_MAX). */
bool route_match(const char *pattern, const char *path, int64_t ids[ROUTE_IDS_MAX]);

/* "GET" routes also answer "HEAD". */
bool route_method_matches(const char *route_method, const char *method);

#endif
