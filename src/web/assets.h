/*
 * web/assets.h — the static files of the web interface, carried in the binary (the machines have no internet
 * and the binary looks up no files at run time): GOV.UK Frontend's compiled CSS and JS, its fonts, images,
 * favicons and manifest, and ours from src/web/static/. scripts/assets.sh generates the table at build time.
 *
 * URLs. Every file is served where GOV.UK Frontend's CSS and templates expect it (/assets/fonts/NAME,
 * /assets/images/NAME, /assets/manifest.json; ours at /assets/NAME). A file whose name carries no fingerprint
 * is also served at /assets/DIR/STEM-HASH8.EXT; pages link to that one (web_asset_url), so a new build is
 * fetched at once and an old one may be cached for ever. GOV.UK's font names are already fingerprinted.
 *
 * Caching. Fingerprinted URLs: "public, max-age=31536000, immutable". Plain URLs (what the CSS asks for by a
 * fixed name, such as /assets/images/govuk-crest.svg, whose bytes change between GOV.UK Frontend versions):
 * "no-cache", so the browser revalidates with the ETag and gets a 304. Every answer carries a strong ETag.
 */
#ifndef SAFEGUARD_WEB_ASSETS_H
#define SAFEGUARD_WEB_ASSETS_H

#include <stdbool.h>
#include <stddef.h>

#include "http/server.h"

/* ---- for pages ---- */

/* The URL to put in a page for a logical name: "govuk-frontend.min.css", "govuk-frontend.min.js",
 * "app.css", "init.js", "manifest.json", a font or image by its file name ("govuk-crest.svg",
 * "bold-b542beb274-v2.woff2"). The fingerprinted URL, a static string. NULL when unknown. */
const char *web_asset_url(const char *name);

/* ---- for the router ---- */

/* When http_path(rq) is the URL of an embedded file, answers the request and returns true: GET and HEAD get
 * 200 with the bytes (or 304 when If-None-Match names its ETag), other methods 405 with Allow. Returns false,
 * having answered nothing, for any other path (an unknown /assets/... URL included: the router's 404). */
bool web_asset_serve(http_request *rq);

/* ---- the table (generated into build/gen/assets.c by scripts/assets.sh) ---- */

struct web_asset {
	const char *name;        /* logical name: the file name ("app.css", "favicon.ico") */
	const char *path;        /* the plain URL: "/assets/app.css", "/assets/fonts/bold-affa96571d-v2.woff" */
	const char *fp_path;     /* the fingerprinted URL; equal to path when the name is already fingerprinted */
	const char *type;        /* Content-Type */
	const unsigned char *data; /* the bytes, followed by a NUL not counted in len */
	size_t len;
	const char *etag;        /* strong, quoted: "\"<first 16 hex digits of the SHA-256>\"" */
};

/* Sorted by path; names and paths unique. */
extern const struct web_asset web_assets[];
extern const size_t web_assets_count;

/* The file served at path (plain or fingerprinted URL), or NULL. *immutable tells whether that URL may be
 * cached for ever (it is a fingerprinted one); immutable may be NULL. */
const struct web_asset *web_asset_find(const char *path, bool *immutable);

#endif
