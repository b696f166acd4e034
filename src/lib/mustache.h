/*
 * lib/mustache.h — logic-less templates (Mustache), HTML-escaped by default.
 *
 * Why hand-written: no C Mustache library is packaged in Debian, and the pages must escape by default.
 * Supported: {{name}} (escaped), {{{name}}} and {{& name}} (raw), dotted names, the implicit iterator {{.}},
 * sections {{#name}}...{{/name}} over lists, objects and true values, inverted sections {{^name}},
 * comments {{! }}, partials {{> name}} (with standalone indentation), set delimiters {{=<% %>=}},
 * and the standalone-line rules of the Mustache specification (../shared/testdata/mustache-spec).
 * The data is a jansson value. Falsy: false, null, an empty list, an empty string; everything else is true.
 *
 * Pure: no I/O. A compiled template is immutable and may be rendered from many threads at once.
 */
#ifndef SAFEGUARD_LIB_MUSTACHE_H
#define SAFEGUARD_LIB_MUSTACHE_H

#include <jansson.h>
#include <stddef.h>

#include "lib/buf.h"

typedef struct mustache mustache;

struct mustache_error {
	int line, column; /* 1-based, where the problem starts */
	char message[160];
};

/* Compiles src (len bytes, need not be NUL-terminated). Returns 0, or -1 with err filled (unclosed tag,
 * unclosed or mismatched section, bad delimiters, nesting deeper than 64). */
int mustache_compile(const char *src, size_t len, mustache **out, struct mustache_error *err);
void mustache_free(mustache *t);

/* Finds a partial by name, or NULL (a missing partial renders as nothing, as the specification says). */
typedef const mustache *(*mustache_partial_fn)(const char *name, void *ctx);

/* Appends the rendering of t with data to out. Returns 0, or -1 (and out marked failed) when out reaches
 * its ceiling, partials nest deeper than 32 (a partial that includes itself without end), or the render
 * visits more than 1M + 8 x ceiling nodes and list items (nested sections over lists that print nothing
 * would otherwise run for ever without reaching the ceiling). */
int mustache_render(const mustache *t, json_t *data, mustache_partial_fn partials, void *ctx, struct buf *out);

/* Markup made elsewhere (already escaped), written where the template says {{{name}}} (a top-level name,
 * raw tags only) instead of a value of data: a page's large parts go straight into the page, not first
 * into a JSON string (issue 17). */
struct mustache_raw {
	const char *name;
	const char *data;
	size_t len; /* data's; for a writer, about what it writes (the page is sized once by it) */
	/* Or written in its place by write(out, ctx) (data unused): 0, or -1 to fail the render. A part drawn
	 * straight into the page is not drawn into a buffer of its own and copied (issue 17: the timeline's
	 * ~90 KB on the record page). */
	int (*write)(struct buf *out, void *ctx);
	void *ctx;
};
int mustache_render_raw(const mustache *t, json_t *data, mustache_partial_fn partials, void *ctx,
			const struct mustache_raw *raw, size_t nraw, struct buf *out);

#endif
