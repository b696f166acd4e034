/*
 * web/assets.c — serving the embedded files (the table is build/gen/assets.c, from scripts/assets.sh).
 *
 * A few dozen files: a linear scan with strcmp costs less than the request's header parsing, so there is no
 * index to keep in step with the generator.
 */
#include "web/assets.h"

#include <string.h>

#define CACHE_IMMUTABLE "public, max-age=31536000, immutable" /* a year: RFC 9111's practical maximum */
#define CACHE_REVALIDATE "no-cache"

const struct web_asset *web_asset_find(const char *path, bool *immutable)
{
	for (size_t i = 0; i < web_assets_count; i++) {
		const struct web_asset *a = &web_assets[i];
		bool fp = strcmp(path, a->fp_path) == 0;
		if (fp || strcmp(path, a->path) == 0) {
			if (immutable)
				*immutable = fp;
			return a;
		}
	}
	return NULL;
}

const char *web_asset_url(const char *name)
{
	for (size_t i = 0; i < web_assets_count; i++)
		if (strcmp(name, web_assets[i].name) == 0)
			return web_assets[i].fp_path;
	return NULL;
}

/* RFC 9110 13.1.2: If-None-Match is "*" or a list of entity tags, compared weakly (W/ ignored). */
static bool etag_matches(const char *header, const char *etag)
{
	size_t elen = strlen(etag);
	const char *p = header;
	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '*')
			return true;
		if (p[0] == 'W' && p[1] == '/')
			p += 2;
		if (*p != '"')
			return false; /* malformed: treat as no match, so the full answer goes out */
		const char *end = strchr(p + 1, '"');
		if (!end)
			return false;
		if ((size_t)(end + 1 - p) == elen && memcmp(p, etag, elen) == 0)
			return true;
		p = end + 1;
	}
	return false;
}

bool web_asset_serve(http_request *rq)
{
	static const char not_allowed[] = "method not allowed\n";
	bool immutable = false;
	const struct web_asset *a = web_asset_find(http_path(rq), &immutable);
	if (!a)
		return false;

	const char *method = http_method(rq);
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
		http_add_header(rq, "Allow", "GET, HEAD");
		http_respond_static(rq, 405, "text/plain; charset=utf-8", not_allowed, sizeof not_allowed - 1);
		return true;
	}

	http_add_header(rq, "Cache-Control", immutable ? CACHE_IMMUTABLE : CACHE_REVALIDATE);
	http_add_header(rq, "ETag", a->etag);
	const char *inm = http_header(rq, "If-None-Match");
	if (inm && etag_matches(inm, a->etag)) {
		/* libmicrohttpd sends no body with a 304 but states the length of what it was given: give it the
		 * file, so Content-Length is the 200's (RFC 9110 8.6 forbids any other value, 0 included). */
		http_respond_static(rq, 304, NULL, a->data, a->len);
		return true;
	}
	http_respond_static(rq, 200, a->type, a->data, a->len);
	return true;
}
