/* Unit tests for web/assets: the embedded table, the URLs pages get, and that nothing the CSS or the manifest
 * asks for would 404. No server: web_asset_serve is covered by the HTTP tests. The .c is included to reach
 * the If-None-Match comparison. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "web/assets.c"

static bool is_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static const struct web_asset *by_name(const char *name)
{
	for (size_t i = 0; i < web_assets_count; i++)
		if (strcmp(web_assets[i].name, name) == 0)
			return &web_assets[i];
	fail_msg("%s is not embedded", name);
	return NULL;
}

/* Our files and GOV.UK's CSS and JS: /assets/STEM-HASH8.EXT, HASH8 the start of the ETag, cached for ever;
 * the plain URL still answers, to be revalidated. */
static void fingerprinted_urls(void **state)
{
	static const struct {
		const char *name, *stem, *ext;
	} cases[] = {
		{"govuk-frontend.min.css", "/assets/govuk-frontend.min-", ".css"},
		{"govuk-frontend.min.js", "/assets/govuk-frontend.min-", ".js"},
		{"app.css", "/assets/app-", ".css"},
		{"init.js", "/assets/init-", ".js"},
		{"govuk-crest.svg", "/assets/images/govuk-crest-", ".svg"},
		{"manifest.json", "/assets/manifest-", ".json"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *url = web_asset_url(cases[i].name);
		assert_non_null(url);
		size_t stem = strlen(cases[i].stem);
		assert_int_equal(strlen(url), stem + 8 + strlen(cases[i].ext));
		assert_memory_equal(url, cases[i].stem, stem);
		assert_true(is_hex(url + stem, 8));
		assert_true(ends_with(url, cases[i].ext));
		const struct web_asset *a = by_name(cases[i].name);
		assert_memory_equal(url + stem, a->etag + 1, 8); /* the ETag is the same hash */

		bool immutable = false;
		assert_ptr_equal(web_asset_find(url, &immutable), a);
		assert_true(immutable);
		assert_ptr_equal(web_asset_find(a->path, &immutable), a);
		assert_false(immutable);
		assert_string_not_equal(a->path, url);
	}
	assert_string_equal(by_name("app.css")->path, "/assets/app.css");
	assert_string_equal(by_name("govuk-frontend.min.js")->path, "/assets/govuk-frontend.min.js");
}

/* GOV.UK fingerprints its fonts' names: one URL, where the CSS asks, cached for ever. */
static void fonts_keep_their_names(void **state)
{
	int fonts = 0;
	for (size_t i = 0; i < web_assets_count; i++) {
		const struct web_asset *a = &web_assets[i];
		if (strncmp(a->path, "/assets/fonts/", 14) != 0)
			continue;
		fonts++;
		char want[256];
		snprintf(want, sizeof want, "/assets/fonts/%s", a->name);
		assert_string_equal(web_asset_url(a->name), want);
		assert_string_equal(a->fp_path, a->path);
		bool immutable = false;
		assert_ptr_equal(web_asset_find(a->path, &immutable), a);
		assert_true(immutable);
	}
	assert_true(fonts >= 4); /* bold and light, woff2 and woff */
	assert_string_equal(web_asset_url("bold-b542beb274-v2.woff2"), "/assets/fonts/bold-b542beb274-v2.woff2");
}

static void unknown_names_and_paths(void **state)
{
	assert_null(web_asset_url("nope.css"));
	assert_null(web_asset_url(""));
	assert_null(web_asset_url("/assets/app.css")); /* a URL is not a name */
	assert_null(web_asset_find("/assets/", NULL));
	assert_null(web_asset_find("/assets/app.css/", NULL));
	assert_null(web_asset_find("/assets/app-00000000.css", NULL));
	assert_null(web_asset_find("/assets/fonts/", NULL));
	assert_null(web_asset_find("/assets/../assets/app.css", NULL));
	assert_null(web_asset_find("/app.css", NULL));
	assert_null(web_asset_find("/", NULL));
	assert_non_null(web_asset_find("/assets/app.css", NULL));
}

/* Checks every url(...) in an embedded stylesheet names an embedded file; returns how many /assets/ ones. */
static int check_css_urls(const struct web_asset *css)
{
	int n = 0;
	const char *text = (const char *)css->data;
	assert_int_equal(css->data[css->len], '\0');
	assert_int_equal(strlen(text), css->len); /* no NUL inside, so strstr sees it all */
	for (const char *p = strstr(text, "url("); p; p = strstr(p, "url(")) {
		p += 4;
		const char *end = strchr(p, ')');
		assert_non_null(end);
		size_t len = (size_t)(end - p);
		if (len >= 2 && (*p == '"' || *p == '\'') && p[len - 1] == *p) {
			p++;
			len -= 2;
		}
		char url[HTTP_PATH_MAX];
		assert_true(len < sizeof url);
		memcpy(url, p, len);
		url[len] = '\0';
		if (strncmp(url, "data:", 5) == 0)
			continue;
		if (strncmp(url, "/assets/", 8) != 0)
			fail_msg("%s refers to %s: not an absolute /assets/ URL", css->name, url);
		if (!web_asset_find(url, NULL))
			fail_msg("%s refers to %s, which is not embedded (a 404)", css->name, url);
		n++;
		p = end;
	}
	return n;
}

static void css_urls_resolve(void **state)
{
	const struct web_asset *gov = web_asset_find("/assets/govuk-frontend.min.css", NULL);
	assert_non_null(gov);
	/* Four fonts and the crest, at least: finding none would mean the parse is broken, not that all is well. */
	assert_true(check_css_urls(gov) >= 5);
	assert_non_null(strstr((const char *)gov->data, "url(/assets/fonts/"));
	check_css_urls(by_name("app.css"));
}

/* The manifest names its icons relative to itself ("images/favicon.ico"): they resolve next to either URL. */
static void manifest_icons_resolve(void **state)
{
	const struct web_asset *m = by_name("manifest.json");
	int n = 0;
	for (const char *p = strstr((const char *)m->data, "\"src\""); p; p = strstr(p, "\"src\"")) {
		p = strchr(p + 5, '"');
		assert_non_null(p);
		const char *end = strchr(++p, '"');
		assert_non_null(end);
		char url[256];
		int len = snprintf(url, sizeof url, "/assets/%.*s", (int)(end - p), p);
		assert_true(len > 0 && (size_t)len < sizeof url);
		if (!web_asset_find(url, NULL))
			fail_msg("manifest.json refers to %s, which is not embedded", url);
		n++;
		p = end;
	}
	assert_true(n >= 2);
	/* The fingerprinted manifest sits in the same directory, so the same relative URLs work. */
	assert_int_equal(strrchr(m->fp_path, '/') - m->fp_path, strrchr(m->path, '/') - m->path);
}

static void content_types(void **state)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
		{".css", "text/css; charset=utf-8"},
		{".js", "text/javascript; charset=utf-8"},
		{".woff2", "font/woff2"},
		{".woff", "font/woff"},
		{".png", "image/png"},
		{".svg", "image/svg+xml"},
		{".ico", "image/x-icon"},
		{".json", "application/manifest+json"}, /* the only JSON is the web app manifest */
	};
	for (size_t i = 0; i < web_assets_count; i++) {
		const struct web_asset *a = &web_assets[i];
		const char *want = NULL;
		for (size_t j = 0; j < sizeof types / sizeof types[0] && !want; j++)
			if (ends_with(a->path, types[j].ext))
				want = types[j].type;
		if (!want)
			fail_msg("%s: unexpected extension", a->path);
		assert_string_equal(a->type, want);
	}
	assert_string_equal(by_name("govuk-frontend.min.js")->type, "text/javascript; charset=utf-8");
	assert_string_equal(by_name("bold-b542beb274-v2.woff2")->type, "font/woff2");
}

/* The table itself: sorted, unique, bytes present and NUL-terminated, ETags strong and all different. */
static void table_and_etags(void **state)
{
	assert_true(web_assets_count >= 17);
	for (size_t i = 0; i < web_assets_count; i++) {
		const struct web_asset *a = &web_assets[i];
		assert_true(a->len > 0);
		assert_int_equal(a->data[a->len], '\0');
		assert_int_equal(strlen(a->etag), 18);
		assert_int_equal(a->etag[0], '"');
		assert_int_equal(a->etag[17], '"');
		assert_true(is_hex(a->etag + 1, 16));
		assert_int_equal(strncmp(a->path, "/assets/", 8), 0);
		assert_int_equal(strncmp(a->fp_path, "/assets/", 8), 0);
		if (i > 0)
			assert_true(strcmp(web_assets[i - 1].path, a->path) < 0);
		for (size_t j = 0; j < i; j++) {
			const struct web_asset *b = &web_assets[j];
			assert_string_not_equal(a->etag, b->etag);
			assert_string_not_equal(a->name, b->name);
			assert_string_not_equal(a->fp_path, b->fp_path);
			assert_string_not_equal(a->fp_path, b->path);
			assert_string_not_equal(a->path, b->fp_path);
		}
	}
	/* The real bytes: GOV.UK's CSS names its version; a woff2 starts with its signature. */
	assert_non_null(strstr((const char *)by_name("govuk-frontend.min.css")->data, "--govuk-frontend-version:"));
	assert_memory_equal(by_name("bold-b542beb274-v2.woff2")->data, "wOF2", 4);
	assert_memory_equal(by_name("govuk-icon-180.png")->data, "\x89PNG", 4);
}

static void if_none_match(void **state)
{
	const char *e = "\"0123456789abcdef\"";
	assert_true(etag_matches("\"0123456789abcdef\"", e));
	assert_true(etag_matches("W/\"0123456789abcdef\"", e)); /* weak comparison */
	assert_true(etag_matches("\"x\", \"0123456789abcdef\"", e));
	assert_true(etag_matches(" \"x\" ,\t\"0123456789abcdef\" ", e));
	assert_true(etag_matches("*", e));
	assert_false(etag_matches("", e));
	assert_false(etag_matches("\"0123456789abcde\"", e));
	assert_false(etag_matches("\"0123456789abcdef0\"", e));
	assert_false(etag_matches("0123456789abcdef", e)); /* unquoted: malformed */
	assert_false(etag_matches("\"0123456789abcdef", e));
	assert_false(etag_matches("\"x\", 0123", e));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fingerprinted_urls),
		cmocka_unit_test(fonts_keep_their_names),
		cmocka_unit_test(unknown_names_and_paths),
		cmocka_unit_test(css_urls_resolve),
		cmocka_unit_test(manifest_icons_resolve),
		cmocka_unit_test(content_types),
		cmocka_unit_test(table_and_etags),
		cmocka_unit_test(if_none_match),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
