/* http/reqtrace: the request trace's last-mark rule (SAFEGUARD_REQ_TRACE, docs/INTERNALS.md). A line always ends
 * with the final mark ("sent"/"ended"), its total is the whole request's and its marks' wall times add up to it,
 * however many marks the request made; marks past the slots are dropped and counted, never silently; a buffer too
 * small for the line cuts it after its last whole field. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "http/reqtrace.h"

static const char *const NAMES[] = {"m0",  "m1",  "m2",  "m3",  "m4",  "m5",  "m6",  "m7",  "m8",  "m9",
				    "m10", "m11", "m12", "m13", "m14", "m15", "m16", "m17", "m18", "m19",
				    "m20", "m21", "m22", "m23", "m24", "m25", "m26", "m27", "m28", "m29",
				    "m30", "m31", "m32", "m33", "m34", "m35", "m36", "m37", "m38", "m39"};

/* A request that made `marks` marks, 1 ms apart (CPU 0.5 ms apart, one thread), then its final mark 1 ms on. */
static void request(reqtrace *tr, int marks, const char *final)
{
	memset(tr, 0, sizeof *tr);
	assert_true(marks <= (int)(sizeof NAMES / sizeof NAMES[0]));
	for (int i = 0; i < marks; i++)
		reqtrace_put(tr, NAMES[i], 10.0 + i * 0.001, 1.0 + i * 0.0005, pthread_self(), false);
	reqtrace_put(tr, final, 10.0 + marks * 0.001, 1.0 + marks * 0.0005, pthread_self(), true);
}

/* The line's total, the sum of its marks' wall times, its last mark's name, the number of marks on it and its
 * "dropped=" (0 when absent), read back from the text as bench/req_trace.py reads it. */
struct parsed {
	long total, walls;
	char last[32];
	int marks, dropped;
};

static struct parsed parse(const char *line)
{
	struct parsed p = {0};
	char *copy = strdup(line);
	assert_non_null(copy);
	assert_int_equal(strncmp(copy, "req-trace: 200 GET total=", 25), 0);
	assert_int_equal(copy[strlen(copy) - 1], '\n');
	char *save = NULL;
	int field = 0;
	for (char *f = strtok_r(copy, " \n", &save); f; f = strtok_r(NULL, " \n", &save), field++) {
		if (field < 3)
			continue;
		char *eq = strchr(f, '=');
		assert_non_null(eq);
		*eq = '\0';
		if (field == 3) {
			assert_string_equal(f, "total");
			p.total = strtol(eq + 1, NULL, 10);
		} else if (strcmp(f, "dropped") == 0) {
			assert_int_equal(p.dropped, 0);
			p.dropped = (int)strtol(eq + 1, NULL, 10);
		} else {
			assert_int_equal(p.dropped, 0); /* dropped= comes after every mark */
			assert_int_equal(eq[1], '+');
			p.walls += strtol(eq + 2, NULL, 10);
			snprintf(p.last, sizeof p.last, "%s", f);
			p.marks++;
		}
	}
	free(copy);
	return p;
}

static void a_short_request_keeps_every_mark(void **state)
{
	(void)state;
	reqtrace tr;
	request(&tr, 16, "sent"); /* as many as the record page makes */
	char line[1024];
	size_t n = reqtrace_line(&tr, 200, "GET", line, sizeof line);
	assert_int_equal(n, strlen(line));
	struct parsed p = parse(line);
	assert_int_equal(p.marks, 16); /* m1..m15 and sent (m0 is where the total starts) */
	assert_string_equal(p.last, "sent");
	assert_int_equal(p.total, 16000);
	assert_int_equal(p.walls, p.total);
	assert_int_equal(p.dropped, 0);
	assert_null(strstr(line, "dropped"));
	assert_non_null(strstr(line, " m1=+1000/+500 "));
}

static void the_final_mark_ends_the_line_when_the_slots_are_full(void **state)
{
	(void)state;
	for (int marks = REQTRACE_MARKS - 2; marks <= 40; marks++) {
		reqtrace tr;
		request(&tr, marks, marks % 2 ? "ended" : "sent");
		char line[1024];
		reqtrace_line(&tr, 200, "GET", line, sizeof line);
		struct parsed p = parse(line);
		int kept = marks < REQTRACE_MARKS - 1 ? marks : REQTRACE_MARKS - 1;
		assert_string_equal(p.last, marks % 2 ? "ended" : "sent");
		assert_int_equal(p.marks, kept); /* every kept mark but the first, and the final one */
		assert_int_equal(p.dropped, marks - kept);
		assert_int_equal(p.total, marks * 1000); /* first mark to the final one: the whole request */
		assert_int_equal(p.walls, p.total);
		assert_int_equal(tr.n, kept + 1);
		assert_true(tr.n <= REQTRACE_MARKS);
	}
}

static void a_second_final_mark_replaces_the_first(void **state)
{
	(void)state;
	reqtrace tr;
	request(&tr, 30, "sent");
	reqtrace_put(&tr, "ended", 11.0, 2.0, pthread_self(), true);
	assert_int_equal(tr.n, REQTRACE_MARKS);
	assert_string_equal(tr.marks[REQTRACE_MARKS - 1].what, "ended");
	assert_int_equal(tr.dropped, 30 - (REQTRACE_MARKS - 1) + 1);
}

static void *other_thread(void *arg)
{
	reqtrace_put(arg, "resumed", 10.003, 5.0, pthread_self(), false);
	return NULL;
}

static void cpu_is_a_dash_across_threads_and_for_a_time_taken_elsewhere(void **state)
{
	(void)state;
	reqtrace tr = {0};
	reqtrace_put(&tr, "in", 10.0, 1.0, pthread_self(), false);
	reqtrace_put(&tr, "writer", 10.001, -1, pthread_self(), false); /* http_mark_at */
	reqtrace_put(&tr, "handler", 10.002, 1.002, pthread_self(), false);
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, other_thread, &tr), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	reqtrace_put(&tr, "sent", 10.004, 1.004, pthread_self(), true);
	char line[1024];
	reqtrace_line(&tr, 200, "GET", line, sizeof line);
	assert_string_equal(line, "req-trace: 200 GET total=4000 writer=+1000/- handler=+1000/- resumed=+1000/- "
				  "sent=+1000/-\n");
}

static void a_small_buffer_cuts_the_line_after_a_whole_field(void **state)
{
	(void)state;
	reqtrace tr;
	request(&tr, 40, "sent");
	char full[1024], line[1024];
	size_t whole = reqtrace_line(&tr, 200, "GET", full, sizeof full);
	assert_true(whole > 0 && whole < sizeof full - 1);
	int cut = 0;
	for (size_t size = 1; size <= whole + 1; size++) {
		size_t n = reqtrace_line(&tr, 200, "GET", line, size);
		assert_true(n < size);
		assert_int_equal(n, strlen(line));
		if (n == 0)
			continue; /* not even the total fits */
		assert_int_equal(line[n - 1], '\n');
		/* the full line's first n - 1 bytes, ending where a field ends in it */
		assert_memory_equal(line, full, n - 1);
		assert_true(full[n - 1] == ' ' || full[n - 1] == '\n');
		struct parsed p = parse(line);
		assert_true(p.marks <= 32);
		cut += n < whole;
	}
	assert_true(cut > 0);
	assert_int_equal(reqtrace_line(&tr, 200, "GET", line, whole + 1), whole);
	assert_string_equal(line, full);
	assert_int_equal(reqtrace_line(&tr, 200, "GET", line, 20), 0); /* "req-trace: 200 GET " alone is no line */
	assert_string_equal(line, "");
	reqtrace none = {0};
	assert_int_equal(reqtrace_line(&none, 200, "GET", line, sizeof line), 0);
	assert_string_equal(line, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_short_request_keeps_every_mark),
		cmocka_unit_test(the_final_mark_ends_the_line_when_the_slots_are_full),
		cmocka_unit_test(a_second_final_mark_replaces_the_first),
		cmocka_unit_test(cpu_is_a_dash_across_threads_and_for_a_time_taken_elsewhere),
		cmocka_unit_test(a_small_buffer_cuts_the_line_after_a_whole_field),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
