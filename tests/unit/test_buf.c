/* Unit tests for lib/buf: growth, the ceiling, HTML escaping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"

static void grows_and_steals(void **state)
{
	struct buf b;
	buf_init(&b, 1 << 20);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(buf_printf(&b, "%04d,", i), 0);
	assert_int_equal(b.len, 5000);
	assert_memory_equal(b.data + 4995, "0999,", 5);
	size_t len;
	char *s = buf_steal(&b, &len);
	assert_non_null(s);
	assert_int_equal(len, 5000);
	assert_int_equal(s[len], '\0');
	assert_null(b.data);
	free(s);
}

static void long_printf(void **state)
{
	struct buf b;
	char big[1000];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	buf_init(&b, 4096);
	assert_int_equal(buf_printf(&b, "[%s]", big), 0);
	assert_int_equal(b.len, 1001);
	assert_int_equal(b.data[0], '[');
	assert_int_equal(b.data[1000], ']');
	buf_free(&b);
}

static void ceiling(void **state)
{
	struct buf b;
	buf_init(&b, 10);
	assert_int_equal(buf_puts(&b, "0123456789"), 0);
	assert_int_equal(buf_puts(&b, "x"), -1);
	assert_true(b.failed);
	assert_int_equal(buf_puts(&b, ""), -1); /* stays failed */
	size_t len = 99;
	assert_null(buf_steal(&b, &len));
	assert_int_equal(len, 0);
}

/* A page that knows its size takes its room once: appends up to it do not move the bytes (no copying). */
static void reserve_once(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 1000);
	assert_int_equal(buf_reserve(&b, 600), 0);
	const char *at = b.data;
	assert_non_null(at);
	for (int i = 0; i < 60; i++)
		assert_int_equal(buf_puts(&b, "0123456789"), 0);
	assert_ptr_equal(b.data, at);
	assert_int_equal(b.len, 600);
	assert_int_equal(buf_reserve(&b, 401), -1); /* past the ceiling: failed, as an append would be */
	assert_true(b.failed);
	buf_free(&b);
}

static void html_escaping(void **state)
{
	struct buf b;
	const char *in = "<script>alert('x') & \"y\"</script>";
	buf_init(&b, 1024);
	assert_int_equal(buf_append_html(&b, in, strlen(in)), 0);
	assert_string_equal(b.data, "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;");
	buf_free(&b);
	buf_init(&b, 1024);
	assert_int_equal(buf_append_html(&b, "plain", 5), 0);
	assert_string_equal(b.data, "plain");
	buf_free(&b);
}

/* Escaping a run at a time (buf_html_text, issue 17) writes what escaping byte by byte writes, for random
 * texts of the five special bytes, others and bytes past ASCII; and near a ceiling a text that fits escaped is
 * taken (its worst case, six bytes a byte, is not asked for) and one that does not fit fails the buffer. */
static void html_escaping_by_runs(void **state)
{
	uint64_t r = 88172645463325252ULL;
	for (int i = 0; i < 20000; i++) {
		char in[200], want[200 * 6 + 1];
		size_t n = 0, w = 0;
		r ^= r << 13, r ^= r >> 7, r ^= r << 17;
		n = r % sizeof in;
		for (size_t k = 0; k < n; k++) {
			r ^= r << 13, r ^= r >> 7, r ^= r << 17;
			unsigned c = (unsigned)(r % 12);
			in[k] = c < 5 ? "&<>\"'"[c] : c == 5 ? (char)(r >> 16) : (char)('a' + c);
			const char *rep = in[k] == '&' ? "&amp;" : in[k] == '<' ? "&lt;" : in[k] == '>' ? "&gt;"
				: in[k] == '"' ? "&quot;" : in[k] == '\'' ? "&#39;" : NULL;
			if (rep) {
				memcpy(want + w, rep, strlen(rep));
				w += strlen(rep);
			} else {
				want[w++] = in[k];
			}
		}
		struct buf b;
		buf_init(&b, 1 << 20);
		assert_int_equal(buf_append_html(&b, in, n), 0);
		assert_int_equal(b.len, w);
		assert_memory_equal(b.data, want, w);
		char direct[200 * 6];
		assert_int_equal(buf_html_text(direct, in, n), w);
		assert_memory_equal(direct, want, w);
		buf_free(&b);
		/* room for the escaped text exactly, and one byte less */
		buf_init(&b, w);
		assert_int_equal(buf_append_html(&b, in, n), 0);
		assert_int_equal(b.len, w);
		buf_free(&b);
		if (w > 0) {
			buf_init(&b, w - 1);
			assert_int_equal(buf_append_html(&b, in, n), -1);
			assert_true(b.failed);
			buf_free(&b);
		}
	}
}

/* Written in place: the room asked for, the bytes counted and terminated; past the ceiling, NULL and failed. */
static void room_in_place(void **state)
{
	struct buf b;
	buf_init(&b, 16);
	char *o = buf_room(&b, 10);
	assert_non_null(o);
	memcpy(o, "abc", 3);
	buf_wrote(&b, 3);
	assert_string_equal(b.data, "abc");
	assert_non_null(buf_room(&b, 13));
	assert_null(buf_room(&b, 14));
	assert_true(b.failed);
	buf_free(&b);
}

/* buf_int_text writes what "%lld" writes: every length, both signs, the ends of the range, the digit pairs. */
static void integers_as_printf_writes_them(void **state)
{
	(void)state;
	long long v[200];
	size_t n = 0;
	long long p = 1;
	for (int k = 0; k < 19; k++, p = k < 19 ? p * 10 : p) { /* 1 .. 10^18 */
		long long near[] = {p - 1, p, p + 1, p + p / 2 + 7};
		for (size_t i = 0; i < 4; i++) {
			v[n++] = near[i];
			v[n++] = -near[i];
		}
	}
	v[n++] = 0;
	v[n++] = LLONG_MAX;
	v[n++] = LLONG_MIN;
	v[n++] = LLONG_MIN + 1;
	for (long long i = 0; i < 100; i += 7)
		v[n++] = i * 1010101 + 37; /* a pair of every value in turn */
	assert_true(n <= sizeof v / sizeof v[0]);
	for (size_t i = 0; i < n; i++) {
		char want[32], got[BUF_INT_MAX + 8];
		memset(got, '#', sizeof got);
		int k = snprintf(want, sizeof want, "%lld", v[i]);
		size_t len = buf_int_text(got, v[i]);
		assert_int_equal(len, (size_t)k);
		assert_true(len <= BUF_INT_MAX);
		assert_memory_equal(got, want, len);
		assert_int_equal(got[len], '#'); /* nothing written past it */
		struct buf b;
		buf_init(&b, 64);
		assert_int_equal(buf_put_int(&b, v[i]), 0);
		assert_string_equal(b.data, want);
		buf_free(&b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(grows_and_steals),
		cmocka_unit_test(long_printf),
		cmocka_unit_test(ceiling),
		cmocka_unit_test(html_escaping),
		cmocka_unit_test(reserve_once),
		cmocka_unit_test(integers_as_printf_writes_them),
		cmocka_unit_test(html_escaping_by_runs),
		cmocka_unit_test(room_in_place),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
