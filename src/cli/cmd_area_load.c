/*
 * area-load: a synthetic area of N children with their chronologies, straight into the store through its bulk
 * path (COPY on PostgreSQL, one reused INSERT on SQLite): the scale benchmark's loader (bench/scale.sh).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "service/bulkload.h"

static bool number(const char *s, long long lo, long long hi, long long *out)
{
	char *end = NULL;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || !end || end == s || *end || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

static double since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

struct progress {
	struct timespec t0;
	int64_t last;
};

static void progress(int64_t done, int64_t total, void *ctx)
{
	struct progress *p = ctx;
	if (done - p->last >= total / 10 || done == total) {
		fprintf(stderr, "safeguard area-load: %lld of %lld children (%.0f s)\n", (long long)done, (long long)total,
			since(&p->t0));
		p->last = done;
	}
}

int cmd_area_load(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
					     {"children", required_argument, NULL, 'c'},
					     {"events-per-child", required_argument, NULL, 'e'},
					     {"seed", required_argument, NULL, 's'},
					     {"chunk", required_argument, NULL, 'k'},
					     {"help", no_argument, NULL, 'h'},
					     {0}};
	const char *db = NULL;
	long long children = 0, per = 20, seed = 1, chunk = 10000;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'c':
			if (!number(optarg, 1, 100000000, &children)) {
				fprintf(stderr, "safeguard area-load: --children must be 1 to 100000000\n");
				return 2;
			}
			break;
		case 'e':
			if (!number(optarg, 1, 10000, &per)) {
				fprintf(stderr, "safeguard area-load: --events-per-child must be 1 to 10000\n");
				return 2;
			}
			break;
		case 's':
			if (!number(optarg, 0, 1LL << 62, &seed)) {
				fprintf(stderr, "safeguard area-load: --seed must be a non-negative number\n");
				return 2;
			}
			break;
		case 'k':
			if (!number(optarg, 1, 1000000, &chunk)) {
				fprintf(stderr, "safeguard area-load: --chunk must be 1 to 1000000\n");
				return 2;
			}
			break;
		case 'h':
			printf("usage: safeguard area-load --db URL --children N [--events-per-child 20] [--seed 1]\n"
			       "                           [--chunk 10000]\n\n"
			       "Loads a synthetic area of N children, each with an NHS number, the blocking keys intake\n"
			       "would give them and a chronology of events from five agencies, through the store's bulk\n"
			       "path (COPY on PostgreSQL). One transaction per chunk of children, each audited. For the\n"
			       "scale benchmark (bench/scale.sh); the same seed gives the same area.\n\n"
			       "Into an empty database (no person yet) it loads faster: the loaded tables' secondary\n"
			       "indexes (and PostgreSQL's foreign keys) are dropped and built again once at the end, and\n"
			       "commits do not wait for the disk until then (SQLite synchronous = OFF, PostgreSQL\n"
			       "synchronous_commit = off); the load is durable when the command returns. Run it with no\n"
			       "server on the database. A load that was killed leaves the indexes listed in\n"
			       "bulk_held_index: the next area-load or migrate builds them.\n");
			return 0;
		default: return 2;
		}
	}
	if (!db || !children || optind != argc) {
		fprintf(stderr, "safeguard area-load: --db and --children are required\n");
		return 2;
	}
	store *st = cli_open_store(db, true);
	if (!st)
		return 1;
	struct progress p = {0};
	clock_gettime(CLOCK_MONOTONIC, &p.t0);
	struct bulkload_opts o = {.children = children, .events_per_child = (int)per, .seed = (uint64_t)seed,
				  .chunk = chunk, .actor = "cli", .progress = progress, .ctx = &p};
	struct bulkload_result r;
	int rc = bulkload_area(st, &o, &r);
	double secs = since(&p.t0);
	store_close(st);
	if (rc == STORE_ECONFLICT) {
		fprintf(stderr, "safeguard area-load: an area of seed %lld is already in the database (its source references "
				"are taken); %lld children were loaded before this one\n", seed, (long long)r.children);
		return 1;
	}
	if (rc != 0) {
		fprintf(stderr, "safeguard area-load: the load stopped after %lld children (error %d); the chunk that "
				"failed was not written\n", (long long)r.children, rc);
		return 1;
	}
	printf("children %lld events %lld seconds %.1f first_child %lld last_child %lld\n", (long long)r.children,
	       (long long)r.events, secs, (long long)r.first_child_id, (long long)r.last_child_id);
	return 0;
}
