#ifndef SAFEGUARD_HTTP_REQTRACE_H
#define SAFEGUARD_HTTP_REQTRACE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

/* A request's marks for SAFEGUARD_REQ_TRACE (server.h http_mark), kept and written as one line. Plain values
 * in and out, so that the rule below is tested without a server (tests/unit/test_reqtrace.c).
 *
 * The last-mark rule: a request has REQTRACE_MARKS slots (the record page makes 16 marks). Marks fill them in
 * order, the last slot kept for the final mark ("sent" or "ended"); a mark that finds only that slot free is
 * dropped and counted. The final mark always takes a slot, so the line ends with it, its total runs from the
 * first mark to the final one (the whole request), the marks' wall times add up to the total, and the line
 * says "dropped=N" at its end when N marks were left out. */
#define REQTRACE_MARKS 24

struct reqtrace_mark {
	const char *what;
	double t, cpu; /* CLOCK_MONOTONIC seconds, and the marking thread's CPU time (-1: a time taken elsewhere) */
	pthread_t thread;
};

typedef struct {
	struct reqtrace_mark marks[REQTRACE_MARKS];
	int n;	     /* slots used */
	int dropped; /* marks left out */
} reqtrace;

void reqtrace_put(reqtrace *tr, const char *what, double t, double cpu, pthread_t thread, bool final);

/* "req-trace: STATUS METHOD total=US what=+WALL/+CPU ... [dropped=N]\n" into out (NUL-terminated); returns its
 * length. When size is too small the line ends, with its newline, after its last whole field (never mid-mark);
 * nothing is written (returns 0) when not even the total fits, or for a trace with no marks. */
size_t reqtrace_line(const reqtrace *tr, int status, const char *method, char *out, size_t size);

#endif
