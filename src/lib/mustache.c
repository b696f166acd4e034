/*
 * lib/mustache.c — Mustache templates: a compiler to an immutable node tree, and a renderer.
 *
 * Compile: one pass over the source with the current delimiters (a set-delimiter tag changes how the rest
 * is scanned, so scanning and building cannot be separate passes). Sections are built on an explicit stack
 * of at most MAX_SECTIONS frames, so a hostile template cannot exhaust the C stack. Text nodes point into
 * the template's own copy of the source.
 *
 * Standalone lines (the specification's rule): a line holding only whitespace and one section, inverted,
 * closing, comment, partial or set-delimiter tag is removed whole, newline included. The whitespace in
 * front of a standalone partial becomes that partial's indentation.
 *
 * Partial indentation is applied at render time, because a compiled partial is shared and immutable. The
 * reference implementations indent the partial's source ("each line of the partial") and then render it,
 * so lines produced by interpolated values are not indented, and a line removed as standalone leaves no
 * indentation behind. The compiler reproduces that by placing an INDENT node at every line start of the
 * source that survives standalone removal, except inside text, where the renderer indents after each
 * newline that is not the text's last byte (a line start at the very end of a template is no line).
 *
 * Render: recursion follows the tree (at most MAX_SECTIONS deep per template) and partials (at most
 * MAX_PARTIALS deep), so the C stack is bounded. The context stack is a list of frames on the C stack.
 * Nothing is written but the output buffer: a compiled template is read-only and may be shared by threads.
 */
#include "lib/mustache.h"

#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	MAX_SECTIONS = 64, /* compile: sections nested deeper are an error */
	MAX_PARTIALS = 32, /* render: partials nested deeper fail (self-inclusion without end) */
};

/*
 * Work bound. Sections over lists multiply: 64 nested sections over a 10-item list is 10^64 iterations,
 * and if they print nothing the output ceiling never stops them. So a rendering may visit at most
 * STEP_BASE + STEP_PER_BYTE * (the buffer's ceiling) nodes and list items; a page that legitimately produces little
 * output from many iterations still has STEP_BASE (a million) of them.
 */
#define STEP_BASE ((size_t)1 << 20)
#define STEP_PER_BYTE 8

enum node_kind {
	N_TEXT,     /* text: src slice */
	N_VAR,      /* {{name}}: HTML-escaped */
	N_RAW,      /* {{{name}}}, {{&name}} */
	N_SECTION,  /* {{#name}}kids{{/name}} */
	N_INVERTED, /* {{^name}}kids{{/name}} */
	N_PARTIAL,  /* {{>name}}; text: the standalone indentation */
	N_INDENT,   /* a line start of the source: the current partial indentation goes here */
};

struct node {
	enum node_kind kind;
	bool standalone;   /* N_PARTIAL: the tag stood alone on its line (its partial is indented) */
	size_t nparts;     /* names: number of dotted parts; 0 is the implicit iterator "." */
	const char *text;  /* N_TEXT, N_PARTIAL: slice of mustache.src */
	size_t len;
	char *name;        /* owned: dotted parts separated by NUL (partials: the whole name), NUL-terminated */
	struct node *kids; /* sections: the body */
	size_t nkids;
};

struct mustache {
	char *src; /* a copy of the source; text nodes point into it */
	size_t len;
	struct node *nodes;
	size_t n;
};

/* ---- compile ---------------------------------------------------------------------------------------- */

struct list {
	struct node *v;
	size_t n, cap;
};

struct frame {
	struct list body;
	enum node_kind kind; /* N_SECTION or N_INVERTED; unused for the root */
	char *name;
	size_t nparts;
	const char *raw; /* the name as written, for matching the closing tag and for messages */
	size_t rawlen;
	size_t open; /* offset of the opening tag */
};

struct compiler {
	const char *src; /* mustache.src */
	size_t len;
	const char *otag, *ctag; /* current delimiters: slices of src, or the defaults */
	size_t olen, clen;
	struct frame stack[MAX_SECTIONS + 1]; /* [0] is the template itself */
	int depth;
	struct mustache_error *err;
};

static void nodes_free(struct node *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].name);
		nodes_free(v[i].kids, v[i].nkids);
	}
	free(v);
}

/* Takes ownership of nd's name and kids, also on failure. */
static int list_push(struct list *l, struct node *nd)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		struct node *v = cap <= SIZE_MAX / sizeof *v ? realloc(l->v, cap * sizeof *v) : NULL;
		if (!v) {
			free(nd->name);
			nodes_free(nd->kids, nd->nkids);
			return -1;
		}
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *nd;
	return 0;
}

/* Line and column (1-based; columns count UTF-8 characters) of offset at in the source. */
static void position(const char *src, size_t at, int *line, int *column)
{
	size_t l = 1, c = 1;
	for (size_t i = 0; i < at; i++) {
		if (src[i] == '\n') {
			l++;
			c = 1;
		} else if (((unsigned char)src[i] & 0xC0) != 0x80) {
			c++;
		}
	}
	*line = l > INT_MAX ? INT_MAX : (int)l;
	*column = c > INT_MAX ? INT_MAX : (int)c;
}

static int fail(struct compiler *cp, size_t at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail(struct compiler *cp, size_t at, const char *fmt, ...)
{
	va_list ap;
	position(cp->src, at, &cp->err->line, &cp->err->column);
	va_start(ap, fmt);
	vsnprintf(cp->err->message, sizeof cp->err->message, fmt, ap);
	va_end(ap);
	return -1;
}

static int nomem(struct compiler *cp, size_t at)
{
	return fail(cp, at, "out of memory");
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Messages quote at most this much of a name, so that they fit. */
#define QUOTE 40
#define QLEN(n) ((int)((n) > QUOTE ? QUOTE : (n)))

/* The first occurrence of needle (nlen > 0) in hay, or NULL (memmem is a GNU extension). */
static const char *find(const char *hay, size_t haylen, const char *needle, size_t nlen)
{
	const char *p = hay, *end = hay + haylen;
	while ((size_t)(end - p) >= nlen && (p = memchr(p, needle[0], (size_t)(end - p) - nlen + 1)) != NULL) {
		if (memcmp(p, needle, nlen) == 0)
			return p;
		p++;
	}
	return NULL;
}

/* The line start at offset at survives (it was not removed with a standalone tag): INDENT goes there. */
static bool line_start(const struct compiler *cp, size_t at)
{
	return at == 0 || cp->src[at - 1] == '\n';
}

static int push_indent(struct compiler *cp, size_t at)
{
	struct node nd = { .kind = N_INDENT };
	if (list_push(&cp->stack[cp->depth].body, &nd))
		return nomem(cp, at);
	return 0;
}

static int push_text(struct compiler *cp, size_t a, size_t b)
{
	if (a >= b)
		return 0;
	if (line_start(cp, a) && push_indent(cp, a))
		return -1;
	struct node nd = { .kind = N_TEXT, .text = cp->src + a, .len = b - a };
	if (list_push(&cp->stack[cp->depth].body, &nd))
		return nomem(cp, a);
	return 0;
}

/*
 * Parses a variable or section name: "." (the implicit iterator) or dot-separated non-empty parts without
 * whitespace. Gives a copy with the dots replaced by NUL.
 */
static int parse_name(struct compiler *cp, size_t at, const char *s, size_t n, char **name, size_t *nparts)
{
	*name = NULL;
	*nparts = 0;
	if (n == 0)
		return fail(cp, at, "empty tag");
	for (size_t i = 0; i < n; i++)
		if (is_space(s[i]) || s[i] == '\0')
			return fail(cp, at, "bad name '%.*s': no spaces inside a name", QLEN(n), s);
	if (n == 1 && s[0] == '.')
		return 0;
	char *c = malloc(n + 1);
	if (!c)
		return nomem(cp, at);
	size_t parts = 1;
	for (size_t i = 0; i < n; i++) {
		c[i] = s[i];
		if (s[i] == '.') {
			if (i == 0 || i + 1 == n || s[i + 1] == '.') {
				free(c);
				return fail(cp, at, "bad name '%.*s': empty part in a dotted name", QLEN(n), s);
			}
			c[i] = '\0';
			parts++;
		}
	}
	c[n] = '\0';
	*name = c;
	*nparts = parts;
	return 0;
}

/* {{=<% %>=}}: two delimiters separated by whitespace, neither empty nor holding whitespace or '='. */
static int set_delimiters(struct compiler *cp, size_t at, const char *s, size_t n)
{
	size_t i = 0, a, b, c, d;
	while (i < n && is_space(s[i]))
		i++;
	a = i;
	while (i < n && !is_space(s[i]))
		i++;
	b = i;
	while (i < n && is_space(s[i]))
		i++;
	c = i;
	while (i < n && !is_space(s[i]))
		i++;
	d = i;
	while (i < n && is_space(s[i]))
		i++;
	if (a == b || c == d || i != n || memchr(s + a, '=', b - a) || memchr(s + c, '=', d - c))
		return fail(cp, at, "bad delimiters: expected {{=OPEN CLOSE=}}");
	cp->otag = s + a;
	cp->olen = b - a;
	cp->ctag = s + c;
	cp->clen = d - c;
	return 0;
}

static int open_section(struct compiler *cp, size_t at, enum node_kind kind, const char *raw, size_t rawlen)
{
	if (cp->depth == MAX_SECTIONS)
		return fail(cp, at, "sections nest deeper than %d", MAX_SECTIONS);
	char *name;
	size_t nparts;
	if (parse_name(cp, at, raw, rawlen, &name, &nparts))
		return -1;
	struct frame *f = &cp->stack[++cp->depth];
	memset(f, 0, sizeof *f);
	f->kind = kind;
	f->name = name;
	f->nparts = nparts;
	f->raw = raw;
	f->rawlen = rawlen;
	f->open = at;
	return 0;
}

static int close_section(struct compiler *cp, size_t at, const char *raw, size_t rawlen)
{
	if (rawlen == 0)
		return fail(cp, at, "empty tag");
	if (cp->depth == 0)
		return fail(cp, at, "mismatched closing tag '%.*s': no section is open", QLEN(rawlen), raw);
	struct frame *f = &cp->stack[cp->depth];
	if (f->rawlen != rawlen || memcmp(f->raw, raw, rawlen) != 0) {
		int line, column;
		position(cp->src, f->open, &line, &column);
		return fail(cp, at, "mismatched closing tag '%.*s': expected '%.*s' opened at line %d",
			QLEN(rawlen), raw, QLEN(f->rawlen), f->raw, line);
	}
	struct node nd = {
		.kind = f->kind, .name = f->name, .nparts = f->nparts, .kids = f->body.v, .nkids = f->body.n,
	};
	memset(f, 0, sizeof *f);
	cp->depth--;
	if (list_push(&cp->stack[cp->depth].body, &nd))
		return nomem(cp, at);
	return 0;
}

static void compiler_free(struct compiler *cp)
{
	for (int d = 0; d <= cp->depth; d++) {
		free(cp->stack[d].name);
		nodes_free(cp->stack[d].body.v, cp->stack[d].body.n);
	}
}

static int compile(struct compiler *cp)
{
	const char *src = cp->src;
	size_t len = cp->len, pos = 0;

	while (pos < len) {
		const char *hit = find(src + pos, len - pos, cp->otag, cp->olen);
		if (!hit)
			return push_text(cp, pos, len);
		size_t s = (size_t)(hit - src); /* the tag starts */
		size_t p = s + cp->olen;        /* its content (after the sigil, if any) */
		char sigil = p < len ? src[p] : '\0';
		const char *close = cp->ctag;
		size_t closelen = cp->clen;
		bool prefixed = false; /* the closing delimiter is '}' or '=' before ctag */

		switch (sigil) {
		case '{': case '=':
			prefixed = true;
			/* fall through */
		case '&': case '#': case '^': case '/': case '!': case '>':
			p++;
			break;
		case '<': case '$':
			return fail(cp, s, "unsupported tag '%c' (template inheritance)", sigil);
		default:
			sigil = '\0';
		}
		if (p > len)
			return fail(cp, s, "unclosed tag");
		size_t e; /* the content ends */
		if (prefixed) {
			/* '}' or '=' immediately followed by ctag */
			size_t from = p;
			for (;;) {
				const char *c = find(src + from, len - from, close, closelen);
				if (!c)
					return fail(cp, s, "unclosed tag");
				e = (size_t)(c - src);
				if (e > p && src[e - 1] == (sigil == '{' ? '}' : '='))
					break;
				from = e + 1;
			}
			e--;
		} else {
			const char *c = find(src + p, len - p, close, closelen);
			if (!c)
				return fail(cp, s, "unclosed tag");
			e = (size_t)(c - src);
		}
		size_t end = e + (prefixed ? 1 : 0) + closelen; /* after the tag */

		/* the content without surrounding whitespace */
		size_t a = p, b = e;
		while (a < b && is_space(src[a]))
			a++;
		while (b > a && is_space(src[b - 1]))
			b--;

		/* standalone: only blanks between the line start and the tag, and between the tag and the newline */
		bool standalone = false;
		size_t left = s, next = end;
		if (sigil && sigil != '{' && sigil != '&') {
			while (left > pos && is_blank(src[left - 1]))
				left--;
			size_t k = end;
			while (k < len && is_blank(src[k]))
				k++;
			if ((left == 0 || src[left - 1] == '\n') &&
			    (k == len || src[k] == '\n' || (src[k] == '\r' && k + 1 < len && src[k + 1] == '\n'))) {
				standalone = true;
				next = k == len ? len : k + (src[k] == '\n' ? 1 : 2);
			}
		}
		if (standalone) {
			if (push_text(cp, pos, left))
				return -1;
		} else {
			left = s;
			if (push_text(cp, pos, s) || (line_start(cp, s) && push_indent(cp, s)))
				return -1;
		}

		struct node nd = { .kind = N_VAR };
		switch (sigil) {
		case '!':
			break;
		case '=':
			if (set_delimiters(cp, s, src + p, e - p))
				return -1;
			break;
		case '#': case '^':
			if (open_section(cp, s, sigil == '#' ? N_SECTION : N_INVERTED, src + a, b - a))
				return -1;
			break;
		case '/':
			if (close_section(cp, s, src + a, b - a))
				return -1;
			break;
		case '>':
			if (a == b)
				return fail(cp, s, "empty tag");
			nd.kind = N_PARTIAL;
			nd.standalone = standalone;
			nd.text = src + left;
			nd.len = standalone ? s - left : 0;
			if (!(nd.name = malloc(b - a + 1)))
				return nomem(cp, s);
			memcpy(nd.name, src + a, b - a);
			nd.name[b - a] = '\0';
			if (list_push(&cp->stack[cp->depth].body, &nd))
				return nomem(cp, s);
			break;
		default: /* '\0' (escaped), '{' and '&' (raw) */
			nd.kind = sigil ? N_RAW : N_VAR;
			if (parse_name(cp, s, src + a, b - a, &nd.name, &nd.nparts))
				return -1;
			if (list_push(&cp->stack[cp->depth].body, &nd))
				return nomem(cp, s);
		}
		pos = next;
	}
	return 0;
}

int mustache_compile(const char *src, size_t len, mustache **out, struct mustache_error *err)
{
	struct mustache_error dummy;
	struct compiler *cp = NULL;
	mustache *t = NULL;
	int rc = -1;

	*out = NULL;
	if (!err)
		err = &dummy;
	memset(err, 0, sizeof *err);
	err->line = err->column = 1;
	if (len == SIZE_MAX || !(t = calloc(1, sizeof *t)) || !(t->src = malloc(len + 1)) ||
	    !(cp = calloc(1, sizeof *cp))) {
		snprintf(err->message, sizeof err->message, "out of memory");
		goto out;
	}
	if (len)
		memcpy(t->src, src, len);
	t->src[len] = '\0';
	t->len = len;
	cp->src = t->src;
	cp->len = len;
	cp->otag = "{{";
	cp->ctag = "}}";
	cp->olen = cp->clen = 2;
	cp->err = err;
	if (compile(cp))
		goto out;
	if (cp->depth > 0) {
		const struct frame *f = &cp->stack[cp->depth];
		int line, column;
		position(cp->src, f->open, &line, &column);
		fail(cp, f->open, "unclosed section '%.*s' opened at line %d", QLEN(f->rawlen), f->raw, line);
		goto out;
	}
	t->nodes = cp->stack[0].body.v;
	t->n = cp->stack[0].body.n;
	cp->stack[0].body.v = NULL;
	cp->stack[0].body.n = 0;
	*out = t;
	t = NULL;
	rc = 0;
out:
	if (cp)
		compiler_free(cp);
	free(cp);
	mustache_free(t);
	return rc;
}

void mustache_free(mustache *t)
{
	if (!t)
		return;
	nodes_free(t->nodes, t->n);
	free(t->src);
	free(t);
}

/* ---- render ----------------------------------------------------------------------------------------- */

struct render {
	mustache_partial_fn partials;
	void *pctx;
	const struct mustache_raw *raw;
	size_t nraw;
	struct buf *out;
	size_t steps; /* left */
};

/* The context stack: the innermost value first. */
struct ctx {
	json_t *v;
	const struct ctx *up;
};

/* The indentation of the standalone partials being rendered, innermost first. */
struct indent {
	const char *s;
	size_t n;
	size_t total; /* n plus the enclosing ones */
	const struct indent *up;
};

static int put_indent(struct render *r, const struct indent *ind)
{
	if (!ind || ind->total == 0)
		return 0;
	if (put_indent(r, ind->up))
		return -1;
	return buf_append(r->out, ind->s, ind->n);
}

static int put_text(struct render *r, const char *s, size_t n, const struct indent *ind)
{
	if (!ind || ind->total == 0)
		return buf_append(r->out, s, n);
	/* indent after each newline but the last byte's: a line start at the end of a template is no line */
	const char *p = s, *end = s + n, *nl;
	while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL && nl + 1 < end) {
		if (buf_append(r->out, p, (size_t)(nl + 1 - p)) || put_indent(r, ind))
			return -1;
		p = nl + 1;
	}
	return buf_append(r->out, p, (size_t)(end - p));
}

/*
 * The value of a name: the first part is looked up in the innermost context that is an object holding
 * it, then outwards; the other parts only inside what the first one found (the specification's
 * "Dotted Names - Broken Chain Resolution"). NULL when missing.
 */
static json_t *lookup(const struct node *nd, const struct ctx *c)
{
	if (nd->nparts == 0)
		return c->v;
	const char *key = nd->name;
	json_t *v = NULL;
	for (; c && !v; c = c->up)
		if (json_is_object(c->v))
			v = json_object_get(c->v, key);
	for (size_t i = 1; v && i < nd->nparts; i++) {
		key += strlen(key) + 1;
		v = json_is_object(v) ? json_object_get(v, key) : NULL;
	}
	return v;
}

static bool truthy(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_NULL: case JSON_FALSE: return false;
	case JSON_ARRAY: return json_array_size(v) > 0;
	case JSON_STRING: return json_string_length(v) > 0;
	default: return true;
	}
}

/* The shortest "%.Ng" that reads back as the same double (1.21 is "1.21", not "1.2099999999999999"). */
static size_t format_real(double d, char *b, size_t cap)
{
	int n = 0;
	for (int prec = 1; prec <= 17; prec++) {
		n = snprintf(b, cap, "%.*g", prec, d);
		if (n > 0 && (size_t)n < cap && strtod(b, NULL) == d)
			break;
	}
	return n > 0 && (size_t)n < cap ? (size_t)n : 0;
}

/*
 * Strings as they are, numbers in decimal, booleans as "true" and "false"; null, missing values, lists
 * and objects as nothing (the specification is silent on the last two; printing them would leak
 * structure into pages).
 */
static int put_value(struct render *r, const json_t *v, bool escape)
{
	char num[40];
	const char *s = num;
	size_t n = 0;

	if (!v)
		return 0;
	switch (json_typeof(v)) {
	case JSON_STRING:
		s = json_string_value(v);
		n = json_string_length(v);
		break;
	case JSON_INTEGER: {
		/* not snprintf (issue 17: the record page renders ~40, a list page hundreds) */
		n = buf_int_text(num, (long long)json_integer_value(v));
		break;
	}
	case JSON_REAL:
		n = format_real(json_real_value(v), num, sizeof num);
		break;
	case JSON_TRUE:
		s = "true";
		n = 4;
		break;
	case JSON_FALSE:
		s = "false";
		n = 5;
		break;
	default:
		return 0;
	}
	return escape ? buf_append_html(r->out, s, n) : buf_append(r->out, s, n);
}

static int render_nodes(struct render *r, const struct node *v, size_t n, const struct ctx *c,
	const struct indent *ind, int depth);

static int render_section(struct render *r, const struct node *nd, const struct ctx *c,
	const struct indent *ind, int depth)
{
	json_t *v = lookup(nd, c);
	bool on = v && truthy(v);

	if (nd->kind == N_INVERTED)
		return on ? 0 : render_nodes(r, nd->kids, nd->nkids, c, ind, depth);
	if (!on)
		return 0;
	if (json_is_array(v)) {
		for (size_t i = 0; i < json_array_size(v); i++) {
			struct ctx item = { json_array_get(v, i), c };
			if (r->steps == 0) /* an iteration is a step too, even over an empty body */
				return -1;
			r->steps--;
			if (render_nodes(r, nd->kids, nd->nkids, &item, ind, depth))
				return -1;
		}
		return 0;
	}
	struct ctx one = { v, c };
	return render_nodes(r, nd->kids, nd->nkids, &one, ind, depth);
}

static int render_partial(struct render *r, const struct node *nd, const struct ctx *c,
	const struct indent *ind, int depth)
{
	if (depth >= MAX_PARTIALS)
		return -1;
	const mustache *p = r->partials ? r->partials(nd->name, r->pctx) : NULL;
	if (!p)
		return 0; /* the specification: a missing partial is empty */
	if (!nd->standalone) /* as the reference implementations: an inline partial is not indented */
		return render_nodes(r, p->nodes, p->n, c, NULL, depth + 1);
	struct indent more = { nd->text, nd->len, nd->len + (ind ? ind->total : 0), ind };
	return render_nodes(r, p->nodes, p->n, c, &more, depth + 1);
}

static int put_raw(struct render *r, const struct node *nd, const struct ctx *c)
{
	for (size_t i = 0; nd->nparts == 1 && i < r->nraw; i++)
		if (strcmp(nd->name, r->raw[i].name) == 0)
			return r->raw[i].write ? r->raw[i].write(r->out, r->raw[i].ctx)
					       : buf_append(r->out, r->raw[i].data, r->raw[i].len);
	return put_value(r, lookup(nd, c), false);
}

static int render_nodes(struct render *r, const struct node *v, size_t n, const struct ctx *c,
	const struct indent *ind, int depth)
{
	for (size_t i = 0; i < n; i++) {
		const struct node *nd = &v[i];
		int rc = 0;

		if (r->steps == 0)
			return -1;
		r->steps--;
		switch (nd->kind) {
		case N_TEXT: rc = put_text(r, nd->text, nd->len, ind); break;
		case N_INDENT: rc = put_indent(r, ind); break;
		case N_VAR: rc = put_value(r, lookup(nd, c), true); break;
		case N_RAW: rc = put_raw(r, nd, c); break;
		case N_SECTION: case N_INVERTED: rc = render_section(r, nd, c, ind, depth); break;
		case N_PARTIAL: rc = render_partial(r, nd, c, ind, depth); break;
		}
		if (rc)
			return -1;
	}
	return 0;
}

int mustache_render(const mustache *t, json_t *data, mustache_partial_fn partials, void *ctx, struct buf *out)
{
	return mustache_render_raw(t, data, partials, ctx, NULL, 0, out);
}

int mustache_render_raw(const mustache *t, json_t *data, mustache_partial_fn partials, void *ctx,
			const struct mustache_raw *raw, size_t nraw, struct buf *out)
{
	struct render r = { .partials = partials, .pctx = ctx, .raw = raw, .nraw = nraw, .out = out };
	struct ctx root = { data ? data : json_null(), NULL };

	r.steps = out->max > (SIZE_MAX - STEP_BASE) / STEP_PER_BYTE ? SIZE_MAX : STEP_BASE + STEP_PER_BYTE * out->max;
	if (out->failed)
		return -1;
	if (render_nodes(&r, t->nodes, t->n, &root, NULL, 0)) {
		/* whatever failed, the page is incomplete: a caller who checks the buffer once sees it too */
		out->failed = true;
		return -1;
	}
	return 0;
}
