/*
 * bench/wal_commit_cpu.c — the process's CPU (user + system) a COMMIT of K updated rows (~K WAL frames) through
 * store/lite_vfs.c, synchronous FULL and wal_autocheckpoint 4000 as the server has them: compares two versions of
 * the VFS with nothing else moving (docs/BENCHMARKS.md, r-sqlin30). One binary a version:
 *   make build/bench/wal_commit_cpu     (this tree's VFS; or cc -O2 -Isrc bench/wal_commit_cpu.c src/store/lite_vfs.c -lsqlite3)
 *   git show REV:src/store/lite_vfs.c > /tmp/lv_old.c; cc -O2 -Isrc bench/wal_commit_cpu.c /tmp/lv_old.c -lsqlite3 -o /tmp/wb_old
 *   /tmp/wb_old /tmp/wb.db 1000 60; /tmp/wb_new /tmp/wb.db 1000 60      # interleaved, a few times
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>
#include "store/lite_vfs.h"
static double cpu(void) { struct rusage u; getrusage(RUSAGE_SELF, &u); return u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 + u.ru_stime.tv_sec + u.ru_stime.tv_usec / 1e6; }
static double sys(void) { struct rusage u; getrusage(RUSAGE_SELF, &u); return u.ru_stime.tv_sec + u.ru_stime.tv_usec / 1e6; }
int main(int argc, char **argv) {
  if (argc < 4) { fprintf(stderr, "usage: wal_commit_cpu FILE COMMITS ROWS\n"); return 2; }
  const char *path = argv[1]; int n = atoi(argv[2]), k = atoi(argv[3]);
  lite_vfs_install();
  sqlite3 *d; char w[512]; remove(path); snprintf(w, sizeof w, "%s-wal", path); remove(w);
  sqlite3_open(path, &d);
  sqlite3_exec(d, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA wal_autocheckpoint=4000; PRAGMA cache_size=-32768;"
    "CREATE TABLE t(k INTEGER PRIMARY KEY, v BLOB);"
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 20000) INSERT INTO t SELECT i, randomblob(900) FROM n;", 0, 0, 0);
  sqlite3_stmt *s; sqlite3_prepare_v2(d, "UPDATE t SET v = randomblob(900) WHERE k = ?", -1, &s, 0);
  srand(7);
  unsigned long long g0, a0, g1, a1; lite_vfs_counts(&g0, &a0);
  double c0 = cpu(), s0 = sys();
  struct timespec a, b; clock_gettime(CLOCK_MONOTONIC, &a);
  for (int i = 0; i < n; i++) {
    sqlite3_exec(d, "BEGIN IMMEDIATE", 0, 0, 0);
    for (int j = 0; j < k; j++) { sqlite3_bind_int(s, 1, 1 + (rand() % 20000)); sqlite3_step(s); sqlite3_reset(s); }
    if (sqlite3_exec(d, "COMMIT", 0, 0, 0) != SQLITE_OK) { fprintf(stderr, "commit failed\n"); return 1; }
  }
  clock_gettime(CLOCK_MONOTONIC, &b);
  double c1 = cpu(), s1 = sys(); lite_vfs_counts(&g1, &a1);
  printf("%d commits of %d rows, %.1f frames a commit: %.1f us CPU a commit (sys %.1f), wall %.1f us a commit\n", n, k, (double)(g1 - g0 + a1 - a0) / n, (c1 - c0) * 1e6 / n, (s1 - s0) * 1e6 / n,
         ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / 1e3 / n);
  sqlite3_close(d);
  return 0;
}
