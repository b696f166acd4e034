/*
 * libFuzzer target for lib/mustache: the input is a template, then optionally a NUL byte and JSON data
 * (fixed data when there is no NUL or the JSON does not parse). The template is compiled and rendered into
 * a 1 MiB buffer with a partial resolver that returns the template itself for every name, so recursion
 * runs into the partial nesting limit. Invariants: a failed compile says where and why; a rendering fits
 * its buffer, and rendering twice gives the same bytes.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/mustache.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define OUT_MAX ((size_t)1 << 20)

/* Names a fuzzer finds quickly: one letter, a list, nesting, markup to escape. */
static const char fixed_json[] =
	"{\"a\":\"<b>&'\\\"\",\"b\":[1,2.5,{\"a\":\"x\"},[]],\"c\":{\"d\":{\"e\":true}},\"t\":true,\"f\":false,"
	"\"n\":null,\"s\":\"\",\"i\":-7}";

static const mustache *self(const char *name, void *ctx)
{
	(void)name;
	return ctx;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *src = (const char *)data;
	const char *nul = memchr(src, '\0', size);
	size_t tlen = nul ? (size_t)(nul - src) : size;
	json_t *json = NULL;
	mustache *t = NULL;
	struct mustache_error err;
	struct buf a, b;

	if (nul)
		json = json_loadb(nul + 1, size - tlen - 1, JSON_DECODE_ANY, NULL);
	if (!json)
		json = json_loads(fixed_json, 0, NULL);
	assert(json);

	if (mustache_compile(src, tlen, &t, &err)) {
		assert(t == NULL);
		assert(err.line >= 1 && err.column >= 1);
		assert(memchr(err.message, '\0', sizeof err.message) != NULL);
		assert(err.message[0] != '\0');
		json_decref(json);
		return 0;
	}
	assert(t);

	buf_init(&a, OUT_MAX);
	buf_init(&b, OUT_MAX);
	int ra = mustache_render(t, json, self, t, &a);
	assert(ra == 0 || ra == -1);
	assert(a.len <= OUT_MAX);
	assert(ra == 0 || a.failed);
	if (ra == 0) {
		/* deterministic: nothing in a compiled template changes while rendering */
		int rb = mustache_render(t, json, self, t, &b);
		assert(rb == 0);
		assert(a.len == b.len);
		assert(a.len == 0 || memcmp(a.data, b.data, a.len) == 0);
	}
	/* without partials the same template renders too (missing partials are empty) */
	buf_free(&b);
	buf_init(&b, OUT_MAX);
	int rc = mustache_render(t, json, NULL, NULL, &b);
	assert(rc == 0 || rc == -1);

	buf_free(&a);
	buf_free(&b);
	mustache_free(t);
	json_decref(json);
	return 0;
}
