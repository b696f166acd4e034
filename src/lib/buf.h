/*
 * lib/buf.h — a growable byte buffer with a ceiling set at creation (curl's dynbuf): appending past the
 * ceiling, or running out of memory, fails cleanly and leaves the buffer marked failed; later appends are
 * ignored, so a caller may append a whole page and check once at the end.
 *
 * Invariants: data is NULL until the first append, else NUL-terminated at len; len <= max.
 */
#ifndef SAFEGUARD_LIB_BUF_H
#define SAFEGUARD_LIB_BUF_H

#include <stdbool.h>
#include <stddef.h>

struct buf {
	char *data;
	size_t len, cap, max;
	bool failed;
};

void buf_init(struct buf *b, size_t max);
void buf_free(struct buf *b);
/* Hands the bytes to the caller (malloc'd, NUL-terminated; NULL when empty or failed) and resets b. */
char *buf_steal(struct buf *b, size_t *len);

int buf_append(struct buf *b, const char *s, size_t n); /* 0, or -1 once failed */
/* Makes room for more bytes at once (a page that knows its size grows without copying); -1 past the
 * ceiling (the buffer then fails, as an append of that size would). */
int buf_reserve(struct buf *b, size_t more);
int buf_puts(struct buf *b, const char *s);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends a decimal integer (no printf: for hot loops such as drawing 2,000 marks). */
int buf_put_int(struct buf *b, long long v);
/* Room for any long long in decimal: "-9223372036854775808" is 20 characters. */
#define BUF_INT_MAX 20
/* Writes v in decimal at out (BUF_INT_MAX bytes of room, no NUL) and returns its length: what printf's
 * "%lld" writes, two digits a step (issue 17: the record page writes ~4,000 numbers). */
size_t buf_int_text(char *out, long long v);
/* Appends s with & < > " ' escaped for HTML text and quoted attribute values. */
int buf_append_html(struct buf *b, const char *s, size_t n);
/* The most bytes buf_html_text writes for n bytes ("&quot;" for '"'). */
#define BUF_HTML_MAX(n) ((n) * 6)
/* Writes s escaped as buf_append_html does at out (BUF_HTML_MAX(n) bytes of room, no NUL) and returns its
 * length: runs of bytes that need nothing copied whole (issue 17: a record page escapes ~1,000 values). */
size_t buf_html_text(char *out, const char *s, size_t n);

/* Writing in place (git's strbuf_grow and strbuf_setlen): buf_room makes room for n more bytes and returns
 * where they go (NULL once failed, or past the ceiling: the buffer is then failed); buf_wrote then counts the
 * k <= n bytes written there and terminates them. A page assembled piece by piece in one place is not
 * written into a buffer of its own first and then copied (issue 17). */
char *buf_room(struct buf *b, size_t n);
void buf_wrote(struct buf *b, size_t k);

#endif
