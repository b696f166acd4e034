/*
 * Unit tests for lib/mustache: the official specification files (loaded at run time from
 * $MUSTACHE_SPEC_DIR, else $SHARED/testdata/mustache-spec/specs, SHARED defaulting to ../shared from the
 * repository root; where they are absent those tests are skipped and say so), then escaping, compile
 * errors, the nesting limits, the output ceiling and rendering from several threads.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/mustache.h"

#define OUT_MAX (1 << 20)

/* ---- helpers ---------------------------------------------------------------------------------------- */

/* Named partials: a linear table is plenty for tests. */
struct partials {
	size_t n;
	const char *names[16];
	mustache *t[16];
};

static const mustache *find_partial(const char *name, void *ctx)
{
	const struct partials *p = ctx;
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->names[i], name) == 0)
			return p->t[i];
	return NULL;
}

static void partials_free(struct partials *p)
{
	for (size_t i = 0; i < p->n; i++)
		mustache_free(p->t[i]);
	p->n = 0;
}

static mustache *compile_ok(const char *src)
{
	mustache *t = NULL;
	struct mustache_error err;
	int rc = mustache_compile(src, strlen(src), &t, &err);
	if (rc != 0)
		print_error("compile %s: %d:%d %s\n", src, err.line, err.column, err.message);
	assert_int_equal(rc, 0);
	assert_non_null(t);
	return t;
}

static void add_partial(struct partials *p, const char *name, const char *src)
{
	assert_true(p->n < 16);
	p->names[p->n] = name;
	p->t[p->n] = compile_ok(src);
	p->n++;
}

/* Renders src with data given as JSON text; returns the malloc'd output (NULL on failure), rc in *rc. */
static char *render_json(const char *src, const char *json, struct partials *p, size_t max, int *rc)
{
	json_error_t jerr;
	json_t *data = json_loads(json, JSON_DECODE_ANY, &jerr);
	assert_non_null(data);
	mustache *t = compile_ok(src);
	struct buf out;
	buf_init(&out, max);
	*rc = mustache_render(t, data, p ? find_partial : NULL, p, &out);
	size_t len;
	char *s = buf_steal(&out, &len);
	if (*rc == 0 && !s)
		s = strdup(""); /* an empty rendering leaves the buffer empty */
	mustache_free(t);
	json_decref(data);
	return s;
}

static void assert_renders(const char *src, const char *json, struct partials *p, const char *expected)
{
	int rc;
	char *s = render_json(src, json, p, OUT_MAX, &rc);
	assert_int_equal(rc, 0);
	assert_non_null(s);
	assert_string_equal(s, expected);
	free(s);
}

/* ---- the specification ------------------------------------------------------------------------------ */

/* Runs one case; 0 when the output is the expected one, else prints why. */
static int spec_case(const char *file, json_t *c)
{
	const char *name = json_string_value(json_object_get(c, "name"));
	const char *tpl = json_string_value(json_object_get(c, "template"));
	const char *expected = json_string_value(json_object_get(c, "expected"));
	json_t *data = json_object_get(c, "data");
	json_t *pj = json_object_get(c, "partials");
	struct partials parts = { 0 };
	struct mustache_error err;
	mustache *t = NULL;
	struct buf out;
	int bad = 1;

	buf_init(&out, OUT_MAX);
	if (!name || !tpl || !expected) {
		print_error("%s: a case lacks name, template or expected\n", file);
		goto out;
	}
	if (mustache_compile(tpl, strlen(tpl), &t, &err)) {
		print_error("%s: \"%s\": compile: %d:%d %s\n", file, name, err.line, err.column, err.message);
		goto out;
	}
	const char *key;
	json_t *val;
	json_object_foreach(pj, key, val) {
		const char *ps = json_string_value(val);
		if (!ps || parts.n == 16) {
			print_error("%s: \"%s\": bad partial %s\n", file, name, key);
			goto out;
		}
		if (mustache_compile(ps, strlen(ps), &parts.t[parts.n], &err)) {
			print_error("%s: \"%s\": partial %s: %d:%d %s\n", file, name, key, err.line, err.column,
				err.message);
			goto out;
		}
		parts.names[parts.n++] = key;
	}
	if (mustache_render(t, data, find_partial, &parts, &out)) {
		print_error("%s: \"%s\": render failed\n", file, name);
		goto out;
	}
	const char *got = out.data ? out.data : "";
	if (strlen(got) != out.len || strcmp(got, expected) != 0) {
		print_error("%s: \"%s\": expected [%s], got [%s]\n", file, name, expected, got);
		goto out;
	}
	bad = 0;
out:
	buf_free(&out);
	partials_free(&parts);
	mustache_free(t);
	return bad;
}

static void spec_file(const char *file)
{
	const char *dir = getenv("MUSTACHE_SPEC_DIR"), *shared = getenv("SHARED");
	char spec_dir[1024], path[1024];
	json_error_t jerr;
	int run = 0, failed = 0;

	if (!dir || !*dir) {
		int n = snprintf(spec_dir, sizeof spec_dir, "%s/testdata/mustache-spec/specs",
				 shared && *shared ? shared : "../shared");
		assert_true(n > 0 && (size_t)n < sizeof spec_dir);
		dir = spec_dir;
	}
	int n = snprintf(path, sizeof path, "%s/%s", dir, file);
	assert_true(n > 0 && (size_t)n < sizeof path);
	/* The specification lives outside the repository: a clone without it still passes, and says what it
	 * did not run (scripts/run-unit.sh collects the "skipped suite" lines). */
	if (access(dir, F_OK) != 0) {
		print_message("skipped suite mustache-spec: %s not found (set MUSTACHE_SPEC_DIR or SHARED)\n", dir);
		skip();
	}
	json_t *spec = json_load_file(path, 0, &jerr);
	if (!spec)
		fail_msg("cannot load %s: %s (line %d)", path, jerr.text, jerr.line);
	json_t *tests = json_object_get(spec, "tests");
	size_t i;
	json_t *c;
	json_array_foreach(tests, i, c) {
		run++;
		failed += spec_case(file, c);
	}
	json_decref(spec);
	print_message("%s: %d cases, %d passed\n", file, run, run - failed);
	assert_true(run > 0);
	assert_int_equal(failed, 0);
}

static void spec_comments(void **state) { spec_file("comments.json"); }
static void spec_interpolation(void **state) { spec_file("interpolation.json"); }
static void spec_inverted(void **state) { spec_file("inverted.json"); }
static void spec_partials(void **state) { spec_file("partials.json"); }
static void spec_sections(void **state) { spec_file("sections.json"); }

/* ---- beyond the specification ----------------------------------------------------------------------- */

static void escapes_every_value_position(void **state)
{
	const char *data = "{\"s\":\"<script>x</script>\",\"o\":{\"s\":\"<script>\"},\"l\":[\"<script>\",{\"s\":\"<b>\"}]}";
	struct partials p = { 0 };
	add_partial(&p, "part", "[{{s}}]");

	assert_renders("{{s}}", data, NULL, "&lt;script&gt;x&lt;/script&gt;");
	assert_renders("{{ s }}", data, NULL, "&lt;script&gt;x&lt;/script&gt;");
	assert_renders("{{o.s}}", data, NULL, "&lt;script&gt;");
	assert_renders("{{#o}}{{s}}{{/o}}", data, NULL, "&lt;script&gt;");
	assert_renders("{{#l}}({{.}}){{/l}}", data, NULL, "(&lt;script&gt;)()");
	assert_renders("{{#l}}{{s}},{{/l}}", data, NULL, "&lt;script&gt;x&lt;/script&gt;,&lt;b&gt;,");
	assert_renders("{{^missing}}{{s}}{{/missing}}", data, NULL, "&lt;script&gt;x&lt;/script&gt;");
	assert_renders("{{>part}}", data, &p, "[&lt;script&gt;x&lt;/script&gt;]");
	assert_renders("{{#o}}{{>part}}{{/o}}", data, &p, "[&lt;script&gt;]");
	assert_renders("{{=<% %>=}}<%s%>", data, NULL, "&lt;script&gt;x&lt;/script&gt;");
	assert_renders("{{.}}", "\"<script>'&\\\"\"", NULL, "&lt;script&gt;&#39;&amp;&quot;");
	partials_free(&p);
}

static void raw_tags_do_not_escape(void **state)
{
	const char *data = "{\"s\":\"<script>&'\\\"\",\"o\":{\"s\":\"<i>\"}}";
	assert_renders("{{{s}}}", data, NULL, "<script>&'\"");
	assert_renders("{{&s}}", data, NULL, "<script>&'\"");
	assert_renders("{{{o.s}}}|{{& o.s }}", data, NULL, "<i>|<i>");
	assert_renders("{{=<% %>=}}<%{s}%>", data, NULL, "<script>&'\"");
	/* template text is never escaped */
	assert_renders("<p class=\"a\">&amp;</p>", "{}", NULL, "<p class=\"a\">&amp;</p>");
}

static void values(void **state)
{
	const char *data = "{\"i\":-42,\"big\":9007199254740993,\"r\":0.1,\"third\":0.3333333333333333,"
			   "\"e\":1e300,\"two\":2.0,\"t\":true,\"f\":false,\"n\":null,\"l\":[1],\"o\":{\"a\":1},"
			   "\"zero\":0,\"empty\":\"\"}";
	assert_renders("{{i}} {{big}} {{r}} {{third}} {{e}} {{two}}", data, NULL,
		"-42 9007199254740993 0.1 0.3333333333333333 1e+300 2");
	assert_renders("{{t}} {{f}} [{{n}}] [{{l}}] [{{o}}] [{{nothing}}]", data, NULL, "true false [] [] [] []");
	/* falsy: false, null, empty list, empty string; zero is true */
	assert_renders("{{#f}}F{{/f}}{{#n}}N{{/n}}{{#empty}}E{{/empty}}{{#zero}}Z{{/zero}}{{#o}}O{{/o}}", data, NULL,
		"ZO");
	assert_renders("{{^f}}F{{/f}}{{^n}}N{{/n}}{{^empty}}E{{/empty}}{{^zero}}Z{{/zero}}{{^nothing}}M{{/nothing}}",
		data, NULL, "FNEM");
	/* a NUL inside a string is kept */
	int rc;
	json_t *d = json_pack("{s:s%}", "s", "a\0b", (size_t)3);
	assert_non_null(d);
	mustache *t = compile_ok("[{{s}}]");
	struct buf out;
	buf_init(&out, 100);
	assert_int_equal(mustache_render(t, d, NULL, NULL, &out), 0);
	assert_int_equal(out.len, 5);
	assert_memory_equal(out.data, "[a\0b]", 5);
	buf_free(&out);
	mustache_free(t);
	json_decref(d);
	/* no data at all is an empty context */
	t = compile_ok("a{{x}}b");
	buf_init(&out, 100);
	rc = mustache_render(t, NULL, NULL, NULL, &out);
	assert_int_equal(rc, 0);
	assert_string_equal(out.data, "ab");
	buf_free(&out);
	mustache_free(t);
}

static void set_delimiters(void **state)
{
	const char *data = "{\"a\":\"A\",\"l\":[1,2]}";
	assert_renders("{{=<% %>=}}(<%a%>)", data, NULL, "(A)");
	assert_renders("[{{=| |=}}|#l||.||/l||={{ }}=|{{a}}]", data, NULL, "[12A]");
	/* standalone: the line goes */
	assert_renders("x\n  {{=@ @=}}  \n@a@\n", data, NULL, "x\nA\n");
	/* the new delimiters hold in the rest of the template only, not in partials */
	struct partials p = { 0 };
	add_partial(&p, "q", "{{a}}<%a%>");
	assert_renders("{{=<% %>=}}<%>q%>", data, &p, "A<%a%>");
	/* and the ones set in a partial stay in it */
	add_partial(&p, "r", "{{a}}{{=| |=}}|a|");
	assert_renders("{{>r}}|a|{{a}}", data, &p, "AA|a|A");
	partials_free(&p);
}

static void compile_error(const char *src, int line, int column, const char *message)
{
	char junk;
	mustache *t = (mustache *)(void *)&junk; /* mustache_compile resets it */
	struct mustache_error err;
	int rc = mustache_compile(src, strlen(src), &t, &err);
	assert_int_equal(rc, -1);
	assert_null(t);
	if (!strstr(err.message, message))
		fail_msg("compiling [%s]: message [%s] lacks [%s]", src, err.message, message);
	assert_int_equal(err.line, line);
	assert_int_equal(err.column, column);
}

static void compile_errors(void **state)
{
	compile_error("ab\ncd {{#x}}\n\n", 2, 4, "unclosed section 'x' opened at line 2");
	compile_error("a\n{{#a}}\n  {{#b}}\n{{/b}}\n", 2, 1, "unclosed section 'a' opened at line 2");
	compile_error("line\n  x {{name\n", 2, 5, "unclosed tag");
	compile_error("{{{x}}", 1, 1, "unclosed tag");
	compile_error("{{", 1, 1, "unclosed tag");
	compile_error("é{{=<% %>=}}\n<%a", 2, 1, "unclosed tag");
	compile_error("{{#a}}\n{{#b}}\n  {{/a}}\n{{/b}}", 3, 3, "mismatched closing tag 'a': expected 'b' opened at line 2");
	compile_error("x\n{{/a}}", 2, 1, "mismatched closing tag 'a'");
	compile_error("{{}}", 1, 1, "empty tag");
	compile_error("{{a b}}", 1, 1, "bad name");
	compile_error("{{a..b}}", 1, 1, "bad name");
	compile_error("{{#.a}}{{/.a}}", 1, 1, "bad name");
	compile_error("{{=<%>=}}", 1, 1, "bad delimiters");
	compile_error("{{= a= b =}}", 1, 1, "bad delimiters");
	compile_error("{{<parent}}{{/parent}}", 1, 1, "unsupported");
	/* columns count characters, not bytes */
	compile_error("ééé {{x", 1, 5, "unclosed tag");
	/* no err: still fails cleanly */
	mustache *t = NULL;
	assert_int_equal(mustache_compile("{{#a}}", 6, &t, NULL), -1);
	assert_null(t);
}

static void source_need_not_be_terminated(void **state)
{
	const char src[] = { 'h', 'i', ' ', '{', '{', 'x', '}', '}', '{', '{' };
	mustache *t = NULL;
	struct mustache_error err;
	assert_int_equal(mustache_compile(src, 8, &t, &err), 0);
	json_t *d = json_pack("{s:s}", "x", "X");
	struct buf out;
	buf_init(&out, 100);
	assert_int_equal(mustache_render(t, d, NULL, NULL, &out), 0);
	assert_string_equal(out.data, "hi X");
	buf_free(&out);
	mustache_free(t);
	json_decref(d);
	assert_int_equal(mustache_compile(src, sizeof src, &t, &err), -1);
	assert_string_equal(err.message, "unclosed tag");
	assert_int_equal(err.column, 9);
}

/* n nested sections named s over {"s": true}, with "x" in the middle. */
static char *nested(int n)
{
	struct buf b;
	buf_init(&b, 1 << 20);
	for (int i = 0; i < n; i++)
		buf_puts(&b, "{{#s}}");
	buf_puts(&b, "x");
	for (int i = 0; i < n; i++)
		buf_puts(&b, "{{/s}}");
	size_t len;
	char *s = buf_steal(&b, &len);
	assert_non_null(s);
	return s;
}

static void section_nesting_limit(void **state)
{
	char *ok = nested(64), *deep = nested(65);
	assert_renders(ok, "{\"s\":true}", NULL, "x");
	compile_error(deep, 1, 64 * 6 + 1, "deeper than 64");
	free(ok);
	free(deep);
}

static void partial_nesting_limit(void **state)
{
	struct partials p = { 0 };
	add_partial(&p, "self", "x{{>self}}");
	add_partial(&p, "node", "{{#c}}<{{>node}}>{{/c}}");
	int rc;
	char *s = render_json("a{{>self}}b", "{}", &p, OUT_MAX, &rc);
	assert_int_equal(rc, -1);
	assert_null(s); /* the buffer is marked failed */

	/*
	 * 32 levels of partials are fine, 33 are not. node recurses while c is an object: with k objects
	 * {"c":{"c":...false}} it reaches partial level k. (With c true at the bottom it would never end, as
	 * the name c is found again further up the context stack.)
	 */
	struct buf j;
	for (int k = 32; k <= 33; k++) {
		buf_init(&j, 4096);
		for (int i = 0; i < k; i++)
			buf_puts(&j, "{\"c\":");
		buf_puts(&j, "false");
		for (int i = 0; i < k; i++)
			buf_puts(&j, "}");
		assert_false(j.failed);
		s = render_json("{{>node}}", j.data, &p, OUT_MAX, &rc);
		if (k == 32) {
			assert_int_equal(rc, 0);
			assert_non_null(s);
			assert_int_equal(strlen(s), 62);
			assert_int_equal(s[0], '<');
			assert_int_equal(s[30], '<');
			assert_int_equal(s[31], '>');
			assert_int_equal(s[61], '>');
		} else {
			assert_int_equal(rc, -1);
			assert_null(s);
		}
		free(s);
		buf_free(&j);
	}
	partials_free(&p);
}

static void work_is_bounded(void **state)
{
	/* 64 nested sections over a 10-item list, printing nothing: 10^64 iterations without the bound */
	struct buf b;
	buf_init(&b, 1 << 16);
	for (int i = 0; i < 64; i++)
		buf_puts(&b, "{{#l}}");
	for (int i = 0; i < 64; i++)
		buf_puts(&b, "{{/l}}");
	int rc;
	char *s = render_json(b.data, "{\"l\":[0,1,2,3,4,5,6,7,8,9]}", NULL, 1024, &rc);
	assert_int_equal(rc, -1);
	assert_null(s);
	buf_free(&b);
}

/* Markup made elsewhere goes where a raw tag names it, inside sections too; an escaped tag, a dotted name
 * and a name not given still come from the data. */
static void raw_parts(void **state)
{
	(void)state;
	json_error_t jerr;
	json_t *data = json_loads("{\"rows\":\"<b>from data</b>\",\"show\":true,\"a\":{\"rows\":\"dotted\"},"
				  "\"other\":\"<i>o</i>\"}", 0, &jerr);
	assert_non_null(data);
	mustache *t = compile_ok("{{#show}}[{{{rows}}}]{{/show}}({{rows}})<{{{a.rows}}}>{{& rows}}{{{other}}}");
	const struct mustache_raw raw[] = {{.name = "rows", .data = "<tr>1</tr><tr>2</tr>", .len = 20},
					   {.name = "unused", .data = "x", .len = 1}};
	struct buf out;
	buf_init(&out, OUT_MAX);
	assert_int_equal(mustache_render_raw(t, data, NULL, NULL, raw, 2, &out), 0);
	assert_string_equal(out.data, "[<tr>1</tr><tr>2</tr>](&lt;b&gt;from data&lt;/b&gt;)<dotted><tr>1</tr><tr>2</tr><i>o</i>");
	buf_free(&out);
	/* the parts count against the ceiling like any text */
	buf_init(&out, 30);
	assert_int_equal(mustache_render_raw(t, data, NULL, NULL, raw, 2, &out), -1);
	assert_true(out.failed);
	buf_free(&out);
	mustache_free(t);
	json_decref(data);
}

static int write_rows(struct buf *out, void *ctx)
{
	int *calls = ctx;
	(*calls)++;
	return buf_puts(out, "<tr>w</tr>");
}

static int write_fails(struct buf *out, void *ctx)
{
	(void)ctx;
	buf_puts(out, "half");
	return -1;
}

/* A part written in its place by its writer (issue 17: the record page's timeline drawn straight into the
 * page): called where the template names it, each time; a writer's failure fails the render. */
static void raw_writers(void **state)
{
	(void)state;
	json_t *data = json_pack("{s:b, s:b, s:[i, i]}", "show", 1, "hide", 0, "list", 1, 2);
	mustache *t = compile_ok("a{{{rows}}}b{{#hide}}{{{rows}}}{{/hide}}{{#list}}[{{{rows}}}]{{/list}}c");
	int calls = 0;
	const struct mustache_raw raw[] = {{.name = "rows", .len = 10, .write = write_rows, .ctx = &calls}};
	struct buf out;
	buf_init(&out, OUT_MAX);
	assert_int_equal(mustache_render_raw(t, data, NULL, NULL, raw, 1, &out), 0);
	assert_string_equal(out.data, "a<tr>w</tr>b[<tr>w</tr>][<tr>w</tr>]c");
	assert_int_equal(calls, 3);
	buf_free(&out);
	const struct mustache_raw bad[] = {{.name = "rows", .write = write_fails}};
	buf_init(&out, OUT_MAX);
	assert_int_equal(mustache_render_raw(t, data, NULL, NULL, bad, 1, &out), -1);
	assert_true(out.failed);
	buf_free(&out);
	mustache_free(t);
	json_decref(data);
}

static void output_ceiling(void **state)
{
	int rc;
	char *s = render_json("{{s}}{{s}}", "{\"s\":\"0123456789\"}", NULL, 15, &rc);
	assert_int_equal(rc, -1);
	assert_null(s);
	/* escaping grows the text: & is five bytes */
	s = render_json("{{s}}", "{\"s\":\"&&&\"}", NULL, 14, &rc);
	assert_int_equal(rc, -1);
	assert_null(s);
	s = render_json("{{s}}", "{\"s\":\"&&&\"}", NULL, 15, &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(s, "&amp;&amp;&amp;");
	free(s);
	/* a buffer that already failed stays failed */
	mustache *t = compile_ok("x");
	struct buf out;
	buf_init(&out, 1);
	assert_int_equal(buf_puts(&out, "ab"), -1);
	assert_int_equal(mustache_render(t, NULL, NULL, NULL, &out), -1);
	buf_free(&out);
	mustache_free(t);
}

static void partial_indentation(void **state)
{
	struct partials p = { 0 };
	add_partial(&p, "inner", "i1\ni2\n");
	add_partial(&p, "outer", "o1\n  {{>inner}}\n{{#on}}\no2 {{v}}\n{{/on}}\n");
	add_partial(&p, "inline", "a\nb");
	/* nested standalone partials add up their indentation; standalone section lines leave none */
	assert_renders("<ul>\n  {{>outer}}\n</ul>\n", "{\"on\":true,\"v\":\"x\\ny\"}", &p,
		"<ul>\n  o1\n    i1\n    i2\n  o2 x\ny\n</ul>\n");
	/* an inline partial is not indented, as in the reference implementations */
	assert_renders("  {{>outer}}\n", "{\"on\":false}", &p, "  o1\n    i1\n    i2\n");
	assert_renders("- {{>inline}}\n", "{}", &p, "- a\nb\n");
	partials_free(&p);
}

/* ---- threads ---------------------------------------------------------------------------------------- */

struct job {
	const mustache *t;
	json_t *data;
	struct partials *p;
	char *first;   /* the first rendering */
	int mismatches; /* renderings that differed from the first */
	int failures;
};

static void *render_many(void *arg)
{
	struct job *j = arg;
	for (int i = 0; i < 200; i++) {
		struct buf out;
		buf_init(&out, OUT_MAX);
		if (mustache_render(j->t, j->data, find_partial, j->p, &out)) {
			j->failures++;
		} else if (!j->first) {
			size_t len;
			j->first = buf_steal(&out, &len);
		} else if (strcmp(out.data, j->first) != 0) {
			j->mismatches++;
		}
		buf_free(&out);
	}
	return NULL;
}

static void four_threads_same_output(void **state)
{
	struct partials p = { 0 };
	add_partial(&p, "row", "<li>{{name}} ({{age}}){{#tags}} [{{.}}]{{/tags}}</li>\n");
	mustache *t = compile_ok("<ul>\n{{#people}}\n  {{>row}}\n{{/people}}\n</ul>\n{{^people}}none{{/people}}");
	json_error_t jerr;
	json_t *data = json_loads("{\"people\":[{\"name\":\"A<\",\"age\":3,\"tags\":[\"x\",\"y\"]},"
				  "{\"name\":\"B&\",\"age\":4.5,\"tags\":[]},{\"name\":\"C\",\"age\":null}]}",
		0, &jerr);
	assert_non_null(data);
	const char *expected = "<ul>\n  <li>A&lt; (3) [x] [y]</li>\n  <li>B&amp; (4.5)</li>\n  <li>C ()</li>\n</ul>\n";

	struct job jobs[4];
	pthread_t th[4];
	for (int i = 0; i < 4; i++) {
		jobs[i] = (struct job){ .t = t, .data = data, .p = &p };
		assert_int_equal(pthread_create(&th[i], NULL, render_many, &jobs[i]), 0);
	}
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_join(th[i], NULL), 0);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(jobs[i].failures, 0);
		assert_int_equal(jobs[i].mismatches, 0);
		assert_non_null(jobs[i].first);
		assert_string_equal(jobs[i].first, expected);
		free(jobs[i].first);
	}
	json_decref(data);
	mustache_free(t);
	partials_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(spec_comments),
		cmocka_unit_test(spec_interpolation),
		cmocka_unit_test(spec_inverted),
		cmocka_unit_test(spec_partials),
		cmocka_unit_test(spec_sections),
		cmocka_unit_test(escapes_every_value_position),
		cmocka_unit_test(raw_tags_do_not_escape),
		cmocka_unit_test(values),
		cmocka_unit_test(set_delimiters),
		cmocka_unit_test(compile_errors),
		cmocka_unit_test(source_need_not_be_terminated),
		cmocka_unit_test(section_nesting_limit),
		cmocka_unit_test(partial_nesting_limit),
		cmocka_unit_test(work_is_bounded),
		cmocka_unit_test(output_ceiling),
		cmocka_unit_test(raw_parts),
		cmocka_unit_test(raw_writers),
		cmocka_unit_test(partial_indentation),
		cmocka_unit_test(four_threads_same_output),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
