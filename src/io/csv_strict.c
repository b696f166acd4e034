#include "io/csv_strict.h"

#include <csv.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/*
 * libcsv does the CSV grammar; this file adds what libcsv leaves to its caller: where an error is (libcsv
 * knows neither lines nor columns), the checks a strict reader needs (field counts, UTF-8, control
 * characters, lengths, lone CRs) and bounded memory.
 *
 * The input is fed to libcsv one physical line at a time, so a row always ends at the end of what was fed
 * and the raw bytes of the current row stay in the read buffer until it ends. An error about a field is
 * placed by rescanning those raw bytes (locate()); that rescan is only done when reporting an error.
 */

#define NOPOS SIZE_MAX

struct csv_strict {
	FILE *f;
	const char *path;
	size_t field_max, row_max;
	unsigned flags;
	csv_row_fn fn;
	void *ctx;
	char *err;
	size_t errsz;

	unsigned char *buf;          /* the read buffer: buf[row_start..have) is the current row and what follows */
	size_t cap, have, pos;       /* pos: the next byte to feed to libcsv */
	size_t row_start;            /* first byte of the current row (the start of a line) */
	unsigned long row_line;      /* its line */
	size_t line_start;           /* first byte of the line being fed */
	unsigned long line;          /* its number */
	bool eof, bom_checked;

	char *store;                 /* the current row's fields, NUL-terminated, one after another */
	size_t store_used;
	const char *field[CSV_STRICT_COLUMNS_MAX];
	size_t len[CSV_STRICT_COLUMNS_MAX];
	size_t nfields;              /* fields of the current row so far */
	size_t ncols;                /* the header's */
	bool have_header, row_ended;
	size_t index;
	bool failed;
	int rc;
};

/* ---- Errors and where they are ------------------------------------------------------------------------ */

static size_t column_of(const struct csv_strict *r, size_t line_start, size_t at)
{
	size_t col = 1;
	for (size_t i = line_start; i < at && i < r->have; i++)
		col += (r->buf[i] & 0xC0) != 0x80; /* one per character: continuation bytes add nothing */
	return col;
}

static void failv(struct csv_strict *r, unsigned long line, size_t col, const char *fmt, va_list ap)
{
	char msg[256];
	if (r->failed)
		return;
	r->failed = true;
	r->rc = -1;
	vsnprintf(msg, sizeof msg, fmt, ap);
	if (r->errsz)
		snprintf(r->err, r->errsz, "%s:%lu:%zu: %s", r->path, line, col, msg);
}

static void fail_at(struct csv_strict *r, unsigned long line, size_t col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void fail_at(struct csv_strict *r, unsigned long line, size_t col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	failv(r, line, col, fmt, ap);
	va_end(ap);
}

/*
 * Where content byte j of field k of the current row is (j == NOPOS: the field's first raw byte; j at or past
 * the content's end: just after it). libcsv has accepted the row up to there, so its quoting is well formed.
 * Returns the byte offset in buf and sets the line and where that line starts.
 */
static size_t locate(const struct csv_strict *r, size_t k, size_t j, unsigned long *line, size_t *lstart)
{
	const unsigned char *b = r->buf;
	size_t end = r->have, i = r->row_start, ls = r->row_start;
	unsigned long ln = r->row_line;
	for (size_t field = 0;; field++) {
		bool q = i < end && b[i] == '"';
		if (field == k && j == NOPOS)
			break;
		size_t c = 0;
		if (q)
			i++;
		while (i < end) {
			unsigned char ch = b[i];
			if (q && ch == '"') {
				if (i + 1 < end && b[i + 1] == '"') {
					if (field == k && c == j)
						goto done;
					i += 2;
					c++;
					continue;
				}
				break;
			}
			if (!q && (ch == ',' || ch == '\r' || ch == '\n'))
				break;
			if (field == k && c == j)
				goto done;
			i++;
			c++;
			if (ch == '\n') {
				ln++;
				ls = i;
			}
		}
		if (field == k)
			break;
		if (q && i < end)
			i++; /* the closing quote */
		if (i >= end || b[i] != ',')
			break; /* the row ended before field k: point at its end */
		i++;
	}
done:
	*line = ln;
	*lstart = ls;
	return i;
}

static void fail_field(struct csv_strict *r, size_t k, size_t j, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void fail_field(struct csv_strict *r, size_t k, size_t j, const char *fmt, ...)
{
	unsigned long line;
	size_t ls, at = locate(r, k, j, &line, &ls);
	va_list ap;
	va_start(ap, fmt);
	failv(r, line, column_of(r, ls, at), fmt, ap);
	va_end(ap);
}

int csv_strict_fail(const struct csv_strict_row *row, size_t i, const char *fmt, ...)
{
	struct csv_strict *r = row->reader;
	unsigned long line = r->row_line;
	size_t ls = r->row_start, at = r->row_start;
	va_list ap;
	if (i < row->n)
		at = locate(r, i, NOPOS, &line, &ls);
	va_start(ap, fmt);
	failv(r, line, column_of(r, ls, at), fmt, ap);
	va_end(ap);
	return -1;
}

/* ---- Checking a field --------------------------------------------------------------------------------- */

enum { TEXT_OK, TEXT_UTF8, TEXT_CONTROL };

/* The offset of the first byte that is not allowed (NOPOS if none); *kind says why, *cp which character. */
static size_t check_text(const unsigned char *s, size_t n, unsigned flags, int *kind, uint32_t *cp)
{
	size_t i = 0;
	while (i < n) {
		unsigned char c = s[i];
		if (c < 0x80) {
			if ((c >= 0x20 && c != 0x7F) || (c == '\t' && (flags & CSV_STRICT_TABS)) ||
			    ((c == '\n' || c == '\r') && (flags & CSV_STRICT_BREAKS))) {
				i++;
				continue;
			}
			*kind = TEXT_CONTROL;
			*cp = c;
			return i;
		}
		size_t need;
		uint32_t v;
		unsigned char lo = 0x80, hi = 0xBF; /* the range of the second byte */
		if (c >= 0xC2 && c <= 0xDF) {
			need = 1;
			v = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			need = 2;
			v = c & 0x0F;
			if (c == 0xE0)
				lo = 0xA0; /* no overlong forms */
			if (c == 0xED)
				hi = 0x9F; /* no surrogates */
		} else if (c >= 0xF0 && c <= 0xF4) {
			need = 3;
			v = c & 0x07;
			if (c == 0xF0)
				lo = 0x90;
			if (c == 0xF4)
				hi = 0x8F; /* nothing past U+10FFFF */
		} else {
			*kind = TEXT_UTF8;
			*cp = c;
			return i;
		}
		if (n - i <= need || s[i + 1] < lo || s[i + 1] > hi) {
			*kind = TEXT_UTF8;
			*cp = c;
			return i;
		}
		for (size_t k = 1; k <= need; k++) {
			if ((s[i + k] & 0xC0) != 0x80) {
				*kind = TEXT_UTF8;
				*cp = c;
				return i;
			}
			v = (v << 6) | (s[i + k] & 0x3F);
		}
		if (v >= 0x80 && v <= 0x9F) {
			*kind = TEXT_CONTROL;
			*cp = v;
			return i;
		}
		i += need + 1;
	}
	*kind = TEXT_OK;
	return NOPOS;
}

/* ---- libcsv's callbacks ------------------------------------------------------------------------------- */

static void on_field(void *s, size_t len, void *data)
{
	struct csv_strict *r = data;
	size_t k = r->nfields;
	if (r->failed || r->rc)
		return;
	if (k >= CSV_STRICT_COLUMNS_MAX) {
		fail_field(r, k, NOPOS, "more than %d fields in a row", CSV_STRICT_COLUMNS_MAX);
		return;
	}
	if (r->have_header && k >= r->ncols) {
		fail_field(r, k, NOPOS, "the row has more fields than the header's %zu", r->ncols);
		return;
	}
	if (len > r->field_max) {
		fail_field(r, k, NOPOS, "field %zu is longer than %zu bytes", k + 1, r->field_max);
		return;
	}
	int kind;
	uint32_t cp;
	size_t bad = check_text(s, len, r->flags, &kind, &cp);
	if (bad != NOPOS) {
		if (kind == TEXT_UTF8)
			fail_field(r, k, bad, "invalid UTF-8 (byte 0x%02X); the file must be UTF-8", (unsigned)cp);
		else if (cp == '\t')
			fail_field(r, k, bad, "a tab character in field %zu", k + 1);
		else
			fail_field(r, k, bad, "a control character (U+%04X) in field %zu", (unsigned)cp, k + 1);
		return;
	}
	char *d = r->store + r->store_used;
	if (len)
		memcpy(d, s, len);
	d[len] = '\0';
	r->field[k] = d;
	r->len[k] = len;
	r->store_used += len + 1;
	r->nfields++;
}

static void on_row(int c, void *data)
{
	struct csv_strict *r = data;
	size_t n = r->nfields;
	r->row_ended = true;
	if (r->failed || r->rc)
		goto out;
	if (!r->have_header) {
		r->have_header = true;
		r->ncols = n;
	} else if (n != r->ncols) {
		fail_field(r, n - 1, r->len[n - 1], "the row has %zu field%s, the header %zu", n, n == 1 ? "" : "s",
			   r->ncols);
		goto out;
	}
	struct csv_strict_row row = {r->field, r->len, n, r->index, r->row_line, r};
	int rc = r->fn(&row, r->ctx);
	if (r->failed)
		rc = -1;
	r->rc = rc;
	r->index++;
out:
	r->nfields = 0;
	r->store_used = 0;
}

/* ---- Feeding libcsv ----------------------------------------------------------------------------------- */

/* Reads more input after the current row's bytes (moved to the start of the buffer). */
static void refill(struct csv_strict *r)
{
	if (r->row_start) {
		memmove(r->buf, r->buf + r->row_start, r->have - r->row_start);
		r->have -= r->row_start;
		r->pos -= r->row_start;
		r->line_start -= r->row_start;
		r->row_start = 0;
	}
	size_t got = fread(r->buf + r->have, 1, r->cap - r->have, r->f);
	r->have += got;
	if (got == 0) {
		if (ferror(r->f)) {
			if (!r->failed && r->errsz)
				snprintf(r->err, r->errsz, "%s: cannot read: %s", r->path, strerror(errno ? errno : EIO));
			r->failed = true;
			r->rc = -1;
		}
		r->eof = true;
	}
}

static bool quoted_at(const struct csv_strict *r, size_t k)
{
	unsigned long line;
	size_t ls, at = locate(r, k, NOPOS, &line, &ls);
	return at < r->have && r->buf[at] == '"';
}

/* Feeds buf[pos..pos+n); complete: it ends a physical line (with its LF). */
static void feed(struct csv_strict *r, struct csv_parser *p, size_t n, bool complete)
{
	const unsigned char *chunk = r->buf + r->pos;
	const unsigned char *cr = n ? memchr(chunk, '\r', n) : NULL;
	if (cr && !(complete && (size_t)(cr - chunk) == n - 2)) {
		size_t at = r->pos + (size_t)(cr - chunk);
		fail_at(r, r->line, column_of(r, r->line_start, at),
			"a carriage return (CR) not followed by a line feed; lines end in LF or CR LF");
		return;
	}
	r->row_ended = false;
	size_t got = csv_parse(p, chunk, n, on_field, on_row, r);
	if (r->failed || r->rc)
		return;
	if (got != n) {
		size_t at = r->pos + got;
		unsigned long line = r->line;
		size_t col = column_of(r, r->line_start, at);
		if (csv_error(p) != CSV_EPARSE)
			fail_at(r, line, col, "%s", csv_strerror(csv_error(p)));
		else if (chunk[got] == '"')
			fail_at(r, line, col, "a quote inside an unquoted field (quote the whole field and double the "
					      "quote)");
		else
			fail_at(r, line, col, "a character after the closing quote of a field (a quote inside a quoted "
					      "field is written twice)");
		return;
	}
	size_t start = r->pos;
	r->pos += n;
	if (complete) {
		bool blank = r->row_start == start && (n == 1 || (n == 2 && chunk[0] == '\r'));
		if (!r->row_ended && !blank && !(r->flags & CSV_STRICT_BREAKS)) {
			fail_field(r, r->nfields, NOPOS, "a line break inside a quoted field (is a closing quote missing?)");
			return;
		}
		r->line++;
		r->line_start = r->pos;
		if (r->row_ended || blank) {
			r->row_start = r->pos;
			r->row_line = r->line;
		}
	}
	if (r->pos - r->row_start > r->row_max || (!complete && r->have - r->row_start > r->row_max)) {
		bool q = quoted_at(r, r->nfields);
		fail_field(r, r->nfields, NOPOS, "field %zu is longer than %zu bytes%s", r->nfields + 1, r->field_max,
			   q ? " (is a closing quote missing?)" : "");
	}
}

static int no_space(unsigned char c)
{
	return 0;
}

int csv_strict_read(FILE *f, const char *path, size_t field_max, unsigned flags, csv_row_fn fn, void *ctx,
		    char *err, size_t errsz)
{
	struct csv_strict *r = NULL;
	struct csv_parser p;
	bool parser = false;
	int rc = -1;
	if (errsz)
		err[0] = '\0';
	if (field_max > CSV_STRICT_FIELD_LIMIT) {
		if (errsz)
			snprintf(err, errsz, "%s: field_max %zu is past the limit %u", path, field_max,
				 CSV_STRICT_FIELD_LIMIT);
		return -1;
	}
	if (!(r = calloc(1, sizeof *r)))
		goto nomem;
	r->f = f;
	r->path = path;
	r->field_max = field_max;
	/* The longest row that can be valid: every field quoted with every byte a doubled quote, and CR LF. */
	r->row_max = CSV_STRICT_COLUMNS_MAX * (2 * field_max + 3) + 2;
	r->cap = 2 * r->row_max > (1u << 20) ? 2 * r->row_max : (1u << 20);
	r->flags = flags;
	r->fn = fn;
	r->ctx = ctx;
	r->err = err;
	r->errsz = errsz;
	r->line = r->row_line = 1;
	r->buf = malloc(r->cap);
	r->store = malloc(CSV_STRICT_COLUMNS_MAX * (field_max + 1));
	if (!r->buf || !r->store || csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0)
		goto nomem;
	parser = true;
	/* Spaces are data (RFC 4180): libcsv would otherwise trim them around unquoted fields. */
	csv_set_space_func(&p, no_space);
	for (;;) {
		if (r->failed || r->rc)
			break;
		if (!r->bom_checked) {
			if (r->have < 3 && !r->eof) {
				refill(r);
				continue;
			}
			r->bom_checked = true;
			if (r->have >= 3 && memcmp(r->buf, "\xEF\xBB\xBF", 3) == 0)
				r->pos = r->row_start = r->line_start = 3;
		}
		const unsigned char *nl = memchr(r->buf + r->pos, '\n', r->have - r->pos);
		if (nl) {
			feed(r, &p, (size_t)(nl - (r->buf + r->pos)) + 1, true);
		} else if (r->have - r->row_start > r->row_max) {
			size_t n = r->have - r->pos;
			if (n && r->buf[r->have - 1] == '\r')
				n--;
			feed(r, &p, n, false); /* reports the field that is too long */
		} else if (!r->eof) {
			refill(r);
		} else {
			if (r->pos < r->have)
				feed(r, &p, r->have - r->pos, false);
			break;
		}
	}
	if (!r->failed && !r->rc) {
		if (csv_fini(&p, on_field, on_row, r) != 0)
			fail_field(r, r->nfields, NOPOS, "a quoted field is never closed (unbalanced quote)");
		else if (!r->failed && !r->rc && !r->have_header)
			fail_at(r, 1, 1, "the file is empty: a header row is required");
	}
	rc = r->rc;
	goto out;
nomem:
	if (errsz)
		snprintf(err, errsz, "%s: out of memory", path);
	rc = -1;
out:
	if (parser)
		csv_free(&p);
	if (r) {
		free(r->buf);
		free(r->store);
		free(r);
	}
	return rc;
}
