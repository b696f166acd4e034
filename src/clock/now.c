/*
 * clock/now.c — the injected "now" (see now.h). The one place that reads the system's wall clock.
 */
#include "clock/now.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "core/date.h"

/* Set once, before threads start (main, or a test's setup); read-only afterwards, so plain storage is
 * enough. */
static int64_t offset_seconds;

/* CLOCK_REALTIME, not time(NULL): glibc's time() reads the seconds the kernel last stored at a timer tick, up to
 * a tick behind the clock every other program reads (clock_gettime, JavaScript's Date.now). A process that
 * reads its clock within that tick of a second's boundary saw the second before: ci108's calendar day had the
 * sweep, started 2 ms after the test's clock passed an alert's second, take "now" for that same second and
 * escalate nothing (`alerts.test` "open alerts left a working day", once, after a CLI's start got 4 ms faster). */
static int64_t system_now(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		return (int64_t)time(NULL);
	return (int64_t)ts.tv_sec;
}

int64_t clock_now(void)
{
	return system_now() + offset_seconds;
}

int64_t clock_now_offset(void)
{
	return offset_seconds;
}

int64_t clock_now_until(int64_t at)
{
	int64_t d = at - clock_now();
	return d > 0 ? d : 0;
}

struct timespec clock_now_deadline(int64_t at)
{
	return (struct timespec){.tv_sec = (time_t)(at - offset_seconds)};
}

/* A century either way is enough for any replay or test, and keeps every sum far from overflow. */
#define OFFSET_MAX ((int64_t)100 * 366 * 86400)

int clock_now_set(const char *spec, char *err, size_t errlen)
{
	if (!spec || !*spec) {
		offset_seconds = 0;
		return 0;
	}
	if (spec[0] == '+' || spec[0] == '-') {
		char *end = NULL;
		errno = 0;
		long long n = strtoll(spec, &end, 10);
		if (errno == 0 && end != spec + 1 && *end == '\0' && n <= OFFSET_MAX && n >= -OFFSET_MAX) {
			offset_seconds = (int64_t)n;
			return 0;
		}
	} else {
		int64_t at;
		if (ts_parse_rfc3339(spec, &at) == 0 && at - system_now() <= OFFSET_MAX && system_now() - at <= OFFSET_MAX) {
			offset_seconds = at - system_now();
			return 0;
		}
	}
	if (err && errlen)
		snprintf(err, errlen,
			 "the clock must be an RFC 3339 instant (2027-03-26T09:00:00Z) or an offset in seconds (+86400, "
			 "-3600), within a century of today");
	return -1;
}
