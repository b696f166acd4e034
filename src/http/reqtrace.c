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

/* Appends to out[n..size) as snprintf would, the result cut short at the end of out; returns the new length. */
__attribute__((format(printf, 4, 5))) static size_t put(char *out, size_t size, size_t n, const char *fmt, ...)
{
	if (n + 1 >= size)
		return n;
	va_list ap;
	va_start(ap, fmt);
	int w = vsnprintf(out + n, size - n, fmt, ap);
	va_end(ap);
	if (w < 0)
		return n;
	return n + (size_t)w >= size ? size - 1 : n + (size_t)w;
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
	size_t n = put(out, size, 0, "req-trace: %d %s total=%.0f", status, method,
		       (tr->marks[tr->n - 1].t - tr->marks[0].t) * 1e6);
	for (int i = 1; i < tr->n; i++) {
		const struct reqtrace_mark *a = &tr->marks[i - 1], *b = &tr->marks[i];
		if (a->cpu >= 0 && b->cpu >= 0 && pthread_equal(a->thread, b->thread))
			n = put(out, size, n, " %s=+%.0f/+%.0f", b->what, (b->t - a->t) * 1e6, (b->cpu - a->cpu) * 1e6);
		else
			n = put(out, size, n, " %s=+%.0f/-", b->what, (b->t - a->t) * 1e6);
	}
	if (tr->dropped)
		n = put(out, size, n, " dropped=%d", tr->dropped);
	out[n++] = '\n';
	out[n] = '\0';
	return n;
}
