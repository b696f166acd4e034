/*
 * scripts/reap.c — make check's CPU count of a stage (scripts/check.sh builds it into build/check-reap).
 *
 *   reap TIMES-FILE CMD [ARG...]
 *
 * Runs CMD as a child and becomes a "child subreaper" (prctl PR_SET_CHILD_SUBREAPER): a process that CMD's
 * descendants leave behind (their parent ended first) is handed to this process, not to init, and this process
 * waits for it when it ends. So the CPU seconds of every descendant count in its children's times, which it writes
 * to TIMES-FILE in the form of bash's `times` (line 1 its own user and system time, line 2 its children's:
 * "0m12.500s 0m3.200s"). Exits with CMD's status (128 + the signal when CMD was killed).
 *
 * Why: bash's `times` after a stage counted only the descendants that were waited for by a parent that was itself
 * waited for. Two kinds were not: chromium's zygote (started with a double fork, so the renderers it forks, where
 * the pages are drawn and axe runs, ended under init: the browser stage's table showed 12.6 of 29.0 CPU seconds of
 * two files, 2026-12-07), and the PostgreSQL servers that pg_ctl starts (the calendar's full-pg day, unit-pg, the
 * pg_* e2e files), whose backends do the work of every query. With this the table's "cpu s" is the stage's whole.
 *
 * After CMD ends it reaps what has already ended and exits: it never waits for a process left running (a server
 * a test forgot belongs to the stage's own checks, not to this count).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static void put_time(FILE *f, struct timeval tv)
{
	long s = (long)tv.tv_sec;
	fprintf(f, "%ldm%ld.%03lds", s / 60, s % 60, (long)tv.tv_usec / 1000);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: reap TIMES-FILE CMD [ARG...]\n");
		return 2;
	}
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0)
		perror("reap: prctl(PR_SET_CHILD_SUBREAPER)"); /* counts as bash's times did */
	pid_t child = fork();
	if (child < 0) {
		perror("reap: fork");
		return 2;
	}
	if (child == 0) {
		execvp(argv[2], argv + 2);
		fprintf(stderr, "reap: %s: %s\n", argv[2], strerror(errno));
		_exit(127);
	}
	int rc = 1;
	for (;;) { /* bounded: wait returns once per child, and ECHILD when none is left */
		int st;
		pid_t p = waitpid(-1, &st, 0);
		if (p < 0 && errno == EINTR)
			continue;
		if (p < 0)
			break;
		if (p == child) {
			rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
			break;
		}
	}
	/* What CMD's processes left that has ended already. */
	for (;;) {
		int st;
		pid_t p = waitpid(-1, &st, WNOHANG);
		if (p <= 0)
			break;
	}
	struct rusage self, kids;
	getrusage(RUSAGE_SELF, &self);
	getrusage(RUSAGE_CHILDREN, &kids);
	FILE *f = fopen(argv[1], "w");
	if (f) {
		put_time(f, self.ru_utime);
		fputc(' ', f);
		put_time(f, self.ru_stime);
		fputc('\n', f);
		put_time(f, kids.ru_utime);
		fputc(' ', f);
		put_time(f, kids.ru_stime);
		fputc('\n', f);
		fclose(f);
	}
	return rc;
}
