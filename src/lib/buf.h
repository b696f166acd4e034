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

#endif
