/* The CPU an insert costs for a partial index's WHERE written as an IN list of three constants or as three
 * comparisons joined by OR (migration 29, event_kind_sought): SQLite builds, probes and frees a temporary
 * b-tree for an IN list of more than two constants every time the statement runs. One prepared INSERT, reset
 * and stepped per row inside one transaction, into a fresh file with the event table's two indexes that
 * matter here (the history and the partial one), six kinds in turn (half of them in the index).
 *   cc -O2 -o /tmp/partial_where bench/partial_where.c -lsqlite3 && /tmp/partial_where [ROWS] [ROUNDS]
 * Prints CPU nanoseconds an insert (CLOCK_PROCESS_CPUTIME_ID) for each form, the two forms alternating. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static const char *const kinds[] = {"contact", "referral", "school_attendance", "domestic_abuse_incident",
				    "health_visit", "missing_episode"};

static double per_insert(const char *path, const char *where, int rows)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	char sql[512];
	struct timespec a, b;
	unlink(path);
	if (sqlite3_open(path, &db) != SQLITE_OK)
		return -1;
	snprintf(sql, sizeof sql, "PRAGMA journal_mode = WAL; CREATE TABLE event(id INTEGER PRIMARY KEY, person_id "
		 "INTEGER NOT NULL, kind TEXT NOT NULL, occurred_at TEXT NOT NULL); CREATE INDEX event_history ON "
		 "event(person_id, occurred_at, id); CREATE INDEX event_kind_sought ON event(kind, occurred_at) WHERE %s;",
		 where);
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO event(person_id, kind, occurred_at) VALUES (?1, ?2, ?3)", -1, &s,
			       NULL) != SQLITE_OK ||
	    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
		fprintf(stderr, "partial_where: %s\n", sqlite3_errmsg(db));
		sqlite3_close(db);
		return -1;
	}
	srand(7);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
	for (int i = 0; i < rows; i++) {
		char at[32];
		snprintf(at, sizeof at, "2026-%02d-%02dT10:00:00Z", i % 12 + 1, i % 28 + 1);
		sqlite3_bind_int(s, 1, rand() % 100000);
		sqlite3_bind_text(s, 2, kinds[i % 6], -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 3, at, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(s) != SQLITE_DONE)
			break;
		sqlite3_reset(s);
	}
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	sqlite3_finalize(s);
	sqlite3_close(db);
	unlink(path);
	return ((double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec - a.tv_nsec)) / rows;
}

int main(int argc, char **argv)
{
	int rows = argc > 1 ? atoi(argv[1]) : 200000, rounds = argc > 2 ? atoi(argv[2]) : 4;
	char path[] = "/tmp/partial_where.XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0 || rows <= 0 || rounds <= 0)
		return 2;
	close(fd);
	for (int r = 0; r < rounds; r++) {
		printf("IN list: %.0f ns an insert   ",
		       per_insert(path, "kind IN ('contact', 'referral', 'domestic_abuse_incident')", rows));
		printf("OR form: %.0f ns an insert\n",
		       per_insert(path, "kind = 'contact' OR kind = 'referral' OR kind = 'domestic_abuse_incident'", rows));
	}
	return 0;
}
