/*
 * clock/now.h — "now": the one source of the current instant for the server, the CLI, the services and the
 * database's timestamps (ARCHITECTURE.md, "Now comes from one injected clock").
 *
 * The only part of clock/ that reads the system clock; everything else in clock/ is pure. Nothing else in
 * the code base may call time(NULL) or read CLOCK_REALTIME (scripts/layering.sh checks it): a test, a
 * calendar matrix or a reviewer replaying history sets the clock here, once, and every reader follows.
 *
 * How it is set (before any thread starts; after that it is read-only):
 *   - "2027-03-26T09:00:00Z" (any RFC 3339 instant): the clock reads that instant when it is set and runs on
 *     with real time from there. For a person replaying a day, or a demo on a chosen date.
 *   - "+N" or "-N" (whole seconds): the system clock shifted by N. For a harness that starts several
 *     processes (the tests and the servers they start) which must agree on the instant to the second.
 *   - "" or unset: the system clock.
 * `safeguard --now SPEC COMMAND ...` and the SAFEGUARD_NOW environment variable take these forms (the flag
 * wins).
 */
#ifndef SAFEGUARD_CLOCK_NOW_H
#define SAFEGUARD_CLOCK_NOW_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* Seconds since the Unix epoch, UTC, from the injected source. Thread-safe (reads settings fixed at start). */
int64_t clock_now(void);
/* Sets the source from a spec as above. 0, or -1 with a message in err (which names the expected forms). */
int clock_now_set(const char *spec, char *err, size_t errlen);
/* The offset in seconds from the system clock (0 when unset). */
int64_t clock_now_offset(void);
/* Seconds the system clock must run before clock_now() reaches at. Never negative. */
int64_t clock_now_until(int64_t at);
/* The system-clock deadline (CLOCK_REALTIME, as pthread_cond_timedwait takes it) at which clock_now()
 * reaches at: for a wait that ends at an instant of the injected clock (the nightly sweep). */
struct timespec clock_now_deadline(int64_t at);

#endif
