#include "lib/buf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_init(struct buf *b, size_t max)
{
	memset(b, 0, sizeof *b);
	b->max = max;
}

void buf_free(struct buf *b)
{
	free(b->data);
	buf_init(b, b->max);
}

char *buf_steal(struct buf *b, size_t *len)
{
	char *d = b->failed ? NULL : b->data;
	*len = d ? b->len : 0;
	if (!d)
		free(b->data);
	buf_init(b, b->max);
	return d;
}

static int reserve(struct buf *b, size_t more)
{
	if (b->failed)
		return -1;
	if (more > b->max - b->len) {
		b->failed = true;
		return -1;
	}
	size_t need = b->len + more + 1;
	if (need <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	char *d = realloc(b->data, cap);
	if (!d) {
		b->failed = true;
		return -1;
	}
	b->data = d;
	b->cap = cap;
	return 0;
}

int buf_reserve(struct buf *b, size_t more)
{
	return reserve(b, more);
}

int buf_append(struct buf *b, const char *s, size_t n)
{
	if (reserve(b, n))
		return -1;
	if (n)
		memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int buf_puts(struct buf *b, const char *s)
{
	return buf_append(b, s, strlen(s));
}

int buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	char small[256];
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->failed = true;
		return -1;
	}
	if ((size_t)n < sizeof small)
		return buf_append(b, small, (size_t)n);
	if (reserve(b, (size_t)n))
		return -1;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

static const char digit_pairs[] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
				  "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
				  "8081828384858687888990919293949596979899";

size_t buf_int_text(char *out, long long v)
{
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v, t = u;
	size_t n = v < 0, digits = 1;
	while (t >= 100) {
		t /= 100;
		digits += 2;
	}
	digits += t >= 10;
	if (v < 0)
		out[0] = '-';
	n += digits;
	char *p = out + n;
	while (u >= 100) {
		unsigned r = (unsigned)(u % 100);
		u /= 100;
		p -= 2;
		memcpy(p, digit_pairs + 2 * r, 2);
	}
	if (u >= 10) {
		p -= 2;
		memcpy(p, digit_pairs + 2 * u, 2);
	} else {
		*--p = (char)('0' + u);
	}
	return n;
}

int buf_put_int(struct buf *b, long long v)
{
	char tmp[BUF_INT_MAX];
	return buf_append(b, tmp, buf_int_text(tmp, v));
}

/* The bytes HTML text and quoted attribute values need escaped: & < > " ' */
static const unsigned char html_special[256] = {['&'] = 1, ['<'] = 1, ['>'] = 1, ['"'] = 1, ['\''] = 1};

size_t buf_html_text(char *out, const char *s, size_t n)
{
	char *o = out;
	size_t i = 0;
	while (i < n) {
		size_t start = i;
		while (i < n && !html_special[(unsigned char)s[i]])
			i++;
		memcpy(o, s + start, i - start);
		o += i - start;
		if (i == n)
			break;
		const char *rep;
		size_t k;
		switch (s[i++]) {
		case '&': rep = "&amp;", k = 5; break;
		case '<': rep = "&lt;", k = 4; break;
		case '>': rep = "&gt;", k = 4; break;
		case '"': rep = "&quot;", k = 6; break;
		default: rep = "&#39;", k = 5; break;
		}
		memcpy(o, rep, k);
		o += k;
	}
	return (size_t)(o - out);
}

int buf_append_html(struct buf *b, const char *s, size_t n)
{
	/* room for the worst case where the ceiling leaves it; else a run at a time, so that a text near the
	 * ceiling is not refused for room it will not take */
	if (!b->failed && n <= (b->max - b->len) / 6) {
		char *o = buf_room(b, BUF_HTML_MAX(n));
		if (!o)
			return -1;
		buf_wrote(b, buf_html_text(o, s, n));
		return 0;
	}
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		if (!html_special[(unsigned char)s[i]])
			continue;
		char rep[8];
		if (buf_append(b, s + start, i - start) || buf_append(b, rep, buf_html_text(rep, s + i, 1)))
			return -1;
		start = i + 1;
	}
	return buf_append(b, s + start, n - start);
}

char *buf_room(struct buf *b, size_t n)
{
	return reserve(b, n) ? NULL : b->data + b->len;
}

void buf_wrote(struct buf *b, size_t k)
{
	b->len += k;
	b->data[b->len] = '\0';
}
