/*
 * bench/rules_bench — how long the rules take (docs/BENCHMARKS.md "Rules and the sweep").
 *
 *   rules_bench DB_URL [CHILDREN]
 *
 * 1. rules_evaluate alone, on one child with a busy two-year history (pure, in memory).
 * 2. The rules for one incoming event as intake runs them (service/alerts.c alerts_on_event): load the
 *    child's events and housemates' incidents from the database, evaluate, write; each in a transaction
 *    that is rolled back, for CHILDREN children (default 2000) of the database.
 * 3. The daily sweep of every child in the database, twice: the first run writes what is new, the second is
 *    the steady state (every alert already written).
 * Prints p50 and p99 per evaluation and the sweep's wall time. The database is the caller's (bench/rules.sh
 * makes one with `safeguard demo --no-serve`).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rules/rules.h"
#include "service/alerts.h"
#include "store/store.h"

static double now_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void report(const char *what, double *v, size_t n)
{
	qsort(v, n, sizeof *v, cmp_double);
	printf("%-44s n=%zu  p50 %.1f us  p99 %.1f us  max %.1f us\n", what, n, v[n / 2], v[n * 99 / 100], v[n - 1]);
}

static int count_alert(const struct rules_alert *a, void *ctx)
{
	(void)a;
	(*(int *)ctx)++;
	return 0;
}

/* A child on a plan and in care with a busy history: every rule has something to look at. */
static void pure(void)
{
	static const enum rules_kind cycle[] = {
		RULES_CONCERN, RULES_REFERRAL, RULES_REFERRAL_DECISION, RULES_STRATEGY_DISCUSSION, RULES_S47_START,
		RULES_ICPC, RULES_CP_PLAN_START, RULES_VISIT, RULES_MISSING_START, RULES_MISSING_END,
		RULES_RETURN_INTERVIEW, RULES_UNSCHEDULED_CARE, RULES_LAC_START, RULES_PLACEMENT_START, RULES_VISIT,
		RULES_LAC_REVIEW, RULES_CP_REVIEW, RULES_DASH_ASSESSMENT, RULES_CONCERN, RULES_INJURY};
	enum { N = 200, RUNS = 20000 };
	static struct rules_event ev[N];
	static char ids[N][12];
	static const char *agencies[] = {"police", "health", "education", "social_care"};
	struct rules_settings s;
	struct rules_child child = {{2012, 5, 3}, RULES_UNKNOWN};
	struct date d = {2024, 11, 1};
	rules_settings_default(&s);
	for (int i = 0; i < N; i++) {
		snprintf(ids[i], sizeof ids[i], "E%d", i);
		ev[i] = (struct rules_event){.id = ids[i], .kind = cycle[i % (int)(sizeof cycle / sizeof cycle[0])],
					     .day = d, .agency = agencies[i % 4], .score = 15,
					     .seen = RULES_YES, .seen_alone = i % 3 ? RULES_YES : RULES_NO,
					     .independent = RULES_YES};
		d = clock_add_days(d, 3);
	}
	double *t = malloc(RUNS * sizeof *t);
	int alerts = 0;
	for (int r = 0; r < RUNS; r++) {
		double t0 = now_us();
		rules_evaluate(&s, &child, ev, N, d, count_alert, &alerts);
		t[r] = now_us() - t0;
	}
	char what[64];
	snprintf(what, sizeof what, "rules_evaluate, %d events (%d alerts)", N, alerts / RUNS);
	report(what, t, RUNS);
	free(t);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: rules_bench DB_URL [CHILDREN]\n");
		return 2;
	}
	char *end = NULL;
	long n = argc > 2 ? strtol(argv[2], &end, 10) : 2000;
	if (argc > 2 && (!*argv[2] || *end || n < 1 || n > 1000000)) {
		fprintf(stderr, "rules_bench: CHILDREN must be 1 to 1000000\n");
		return 2;
	}
	int children = (int)n;
	char err[256];
	store *st = NULL;
	if (store_open(argv[1], &st, err, sizeof err) != STORE_OK || store_check_schema(st, err, sizeof err)) {
		fprintf(stderr, "rules_bench: %s\n", err);
		return 1;
	}
	pure();

	struct alerts_config cfg;
	alerts_config_default(&cfg);
	struct date today = ts_utc_date(ts_uk_local((int64_t)time(NULL)));
	store_conn *c = store_conn_get(st);
	double *t = malloc((size_t)children * sizeof *t);
	int64_t people = 0;
	store_audit_count(c, &people); /* only to wake the connection */
	for (int64_t lo = 1, hi = 1 << 24; lo < hi;) { /* the highest person id: ids are dense from 1 */
		int64_t mid = (lo + hi + 1) / 2;
		bool exists = false;
		store_person_exists(c, mid, &exists);
		if (exists)
			lo = mid;
		else
			hi = mid - 1;
		people = lo;
	}
	int done = 0;
	for (int i = 0; i < children; i++) {
		int raised = 0;
		int64_t id = 1 + (int64_t)(((uint64_t)i * 2654435761u) % (uint64_t)people); /* spread over the area */
		bool exists = false;
		if (store_person_exists(c, id, &exists) != STORE_OK || !exists)
			continue;
		store_begin(c);
		double t0 = now_us();
		int rc = alerts_on_event(c, &cfg, id, "concern", today, &raised);
		t[done++] = now_us() - t0;
		store_rollback(c);
		if (rc != STORE_OK) {
			fprintf(stderr, "rules_bench: alerts_on_event failed (%d)\n", rc);
			return 1;
		}
	}
	store_conn_put(st, c);
	if (done)
		report("rules for one incoming event (SQLite)", t, (size_t)done);
	free(t);

	char now_utc[TS_UTC_LEN + 1];
	ts_format_utc((int64_t)time(NULL), now_utc);
	for (int run = 1; run <= 2; run++) {
		struct alerts_sweep_stats s;
		double t0 = now_us();
		int rc = alerts_sweep(st, &cfg, today, now_utc, &s);
		double secs = (now_us() - t0) / 1e6;
		if (rc != STORE_OK) {
			fprintf(stderr, "rules_bench: sweep failed (%d)\n", rc);
			return 1;
		}
		printf("sweep %d: %lld children, %lld events, %lld new alerts, %lld escalated: %.2f s\n", run,
		       (long long)s.children, (long long)s.events, (long long)s.raised, (long long)s.escalated, secs);
	}
	store_close(st);
	return 0;
}
