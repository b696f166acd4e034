#include "lib/route.h"

#include <stdio.h>
#include <string.h>

static bool parse_id(const char *s, size_t n, int64_t *out)
{
	if (n == 0 || n > 19 || s[0] == '0')
		return false;
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > (uint64_t)INT64_MAX)
		return false;
	*out = (int64_t)v;
	return true;
}

bool route_match(const char *pattern, const char *path, int64_t ids[ROUTE_IDS_MAX])
{
	int nid = 0;
	while (*pattern && *path) {
		if (*pattern != '/' || *path != '/')
			return false;
		pattern++;
		path++;
		size_t pn = strcspn(pattern, "/"), sn = strcspn(path, "/");
		if (pn == 4 && memcmp(pattern, "{id}", 4) == 0) {
			int64_t v;
			if (nid == ROUTE_IDS_MAX || !parse_id(path, sn, &v))
				return false;
			ids[nid++] = v;
		} else if (pn != sn || memcmp(pattern, path, pn) != 0) {
			return false;
		}
		pattern += pn;
		path += sn;
	}
	return *pattern == '\0' && *path == '\0';
}

bool route_method_matches(const char *route_method, const char *method)
{
	return strcmp(route_method, method) == 0 || (strcmp(route_method, "GET") == 0 && strcmp(method, "HEAD") == 0);
}

long route_find(const void *table, size_t n, size_t stride, const char *method, const char *path,
		int64_t ids[ROUTE_IDS_MAX], char *allow, size_t allowsz)
{
	if (allowsz)
		allow[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		const struct route_key *k = (const struct route_key *)(const void *)((const char *)table + i * stride);
		int64_t got[ROUTE_IDS_MAX] = {0};
		if (!route_match(k->pattern, path, got))
			continue;
		if (route_method_matches(k->method, method)) {
			memcpy(ids, got, sizeof got);
			return (long)i;
		}
		size_t used = strlen(allow);
		if (used < allowsz)
			snprintf(allow + used, allowsz - used, "%s%s", used ? ", " : "",
				 strcmp(k->method, "GET") == 0 ? "GET, HEAD" : k->method);
	}
	return -1;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* A control character (C0 or DEL). */
static bool url_control(unsigned char c)
{
	return c < 0x20 || c == 0x7F;
}

bool route_local_path(const char *s)
{
	if (!s || s[0] != '/' || s[1] == '/' || s[1] == '\\')
		return false;
	/* k counts the bytes of the percent-decoded form, c is each of them. */
	size_t k = 0;
	for (size_t i = 0; s[i]; i++, k++) {
		unsigned char c = (unsigned char)s[i];
		if (url_control(c) || c == ' ')
			return false;
		int hi, lo;
		if (c == '%' && (hi = hex_digit(s[i + 1])) >= 0 && (lo = hex_digit(s[i + 2])) >= 0) {
			c = (unsigned char)(hi * 16 + lo);
			i += 2;
			/* An encoded space stays: our own return addresses carry a search's spaces as %20
			 * (web.c, to_sign_in), and a space inside a path cannot move the host. */
			if (url_control(c))
				return false;
		}
		if (k == 1 && (c == '/' || c == '\\'))
			return false;
	}
	return true;
}
