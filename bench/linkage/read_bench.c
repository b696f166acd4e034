/*
 * bench/linkage/read_bench.c — how fast records_csv reads a linkage input: rows, bytes, seconds.
 *   make build/bench/linkage/read_bench && build/bench/linkage/read_bench records.csv
 * (peak memory: /usr/bin/time -f '%M KB' in front).
 */
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>

#include "io/records_csv.h"

static int count(const struct records_csv_row *row, void *ctx)
{
	(*(unsigned long *)ctx)++;
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: read_bench records.csv\n");
		return 2;
	}
	FILE *f = fopen(argv[1], "rb");
	struct stat st;
	if (!f || fstat(fileno(f), &st) != 0) {
		perror(argv[1]);
		return 1;
	}
	char err[512];
	unsigned long rows = 0;
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	int rc = records_csv_read(f, argv[1], count, &rows, err, sizeof err);
	clock_gettime(CLOCK_MONOTONIC, &b);
	fclose(f);
	if (rc != 0) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	double s = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	printf("%lu rows, %.1f MB in %.3f s (%.0f MB/s)\n", rows, (double)st.st_size / 1e6, s, (double)st.st_size / 1e6 / s);
	return 0;
}
