#include "http/reqtrace.h"

#include <stdarg.h>
#include <stdio.h>

void reqtrace_put(reqtrace *tr, const char *what, double t, double cpu, pthread_t thread, bool final)
{
	int at = tr->n;
	if (at >= REQTRACE_MARKS - 1 && !final) {
		tr->dropped++;
		return;
	}
	if (at >= REQTRACE_MARKS) { /* a second final mark: the last slot is the final one's */
		at = REQTRACE_MARKS - 1;
		tr->dropped++;
	}
	tr->marks[at] = (struct reqtrace_mark){what, t, cpu, thread};
	tr->n = at + 1;
}

/* Appends one whole field to out[n..size) as snprintf would; returns the new length. A field that does not fit
 * is not written, nor is any after it (*cut): the line ends at its last whole field, never mid-mark. */
__attribute__((format(printf, 5, 6))) static size_t put(char *out, size_t size, size_t n, bool *cut, const char *fmt,
							 ...)
{
	if (*cut)
		return n;
	va_list ap;
	va_start(ap, fmt);
	int w = vsnprintf(out + n, size - n, fmt, ap);
	va_end(ap);
	if (w < 0 || n + (size_t)w >= size) {
		out[n] = '\0';
		*cut = true;
		return n;
	}
	return n + (size_t)w;
}

/* Each mark's wall time since the one before, and its thread's CPU time since that thread's last mark on this
 * request when that was the mark just before (else "-"). */
size_t reqtrace_line(const reqtrace *tr, int status, const char *method, char *out, size_t size)
{
	if (size == 0)
		return 0;
	out[0] = '\0';
	if (tr->n <= 0 || size < 2)
		return 0;
	size--; /* room kept for the newline */
	bool cut = false;
	size_t n = put(out, size, 0, &cut, "req-trace: %d %s total=%.0f", status, method,
		       (tr->marks[tr->n - 1].t - tr->marks[0].t) * 1e6);
	if (n == 0)
		return 0; /* not even the total fits: no line */
	for (int i = 1; i < tr->n; i++) {
		const struct reqtrace_mark *a = &tr->marks[i - 1], *b = &tr->marks[i];
		if (a->cpu >= 0 && b->cpu >= 0 && pthread_equal(a->thread, b->thread))
			n = put(out, size, n, &cut, " %s=+%.0f/+%.0f", b->what, (b->t - a->t) * 1e6, (b->cpu - a->cpu) * 1e6);
		else
			n = put(out, size, n, &cut, " %s=+%.0f/-", b->what, (b->t - a->t) * 1e6);
	}
	if (tr->dropped)
		n = put(out, size, n, &cut, " dropped=%d", tr->dropped);
	out[n++] = '\n';
	out[n] = '\0';
	return n;
}
