/* The MASH lists' statements (migration 34: S_MASH_AWAITING_LIST/_COUNT, S_MASH_DECIDED_LIST/_COUNT) against
 * the one they replaced (S_MASH_LIST/S_MASH_COUNT before r-mash20, its text kept below), on one engine. Both
 * follow one rule of what answers a contact, social care's referral decision (MASH_ANSWERS, r-mashdec21: the
 * reference's MASH_FROM says it too), and the area has decisions of social care and of other agencies:
 * a random area made for ties (a few instants only, so contacts, referrals and decisions of a child and of
 * different children share them; two decisions of a child at one instant; contacts after a child's last
 * decision; sealed children; events with a private category; four agencies), then every list and count for
 * each combination of status, filters (agency, received from/before, a piece of the name), reader's view
 * (all, sealed left out, one agency's events, a private category left out) and page (limit, offset), both
 * texts run through the same binding (mash_bind, bind_view). Every column of every row and the count are
 * compared, and the count bounded (count_max 1, 4, 16, 64: the old count, or count_max + 1 past it). The pages
 * are also walked as the links walk them (r-mashkey22: each from the last row of the one before, forwards and
 * backwards, 1, 3 and 25 rows a page) and must give the reference's whole list; the reference is in the lists'
 * order of today (both by the contact), and the decisions are compared as a set with the old order's (by the
 * decision). Prints the first differences and a summary; exit 1 if any.
 *
 *   cc ... -o /tmp/mash_same bench/mash_same.c build/libsafeguard.a ...   (bench/mash_same.sh)
 *   mash_same URL [SEED] [PERSONS]      URL: sqlite:PATH (a new file) or an empty postgresql:// database
 *
 * With "plans N" in place of SEED (an area already grown, PostgreSQL): each list and count as the /mash page
 * runs them for a MASH worker (sealed left out, health's private categories left out), N times each on one
 * connection, pages 1, 2, 3, 1, ... for each of the page's filters (none, overdue, a name, an agency), timed
 * (ms each), then the connection's pg_prepared_statements (generic_plans, custom_plans): whether a long-lived
 * connection turns to the generic plan after its fifth execution (plan_cache_mode auto). MASH_NAME: the name
 * looked for (default smith); MASH_OLD set: the old text's first two pages too, against the new's, timed.
 * The counts bounded as the page bounds them (service/mash.c mash_count_bound), every row with MASH_EXACT;
 * MASH_DEEP=K: pages 1, 1+K, 1+2K, ...; MASH_KEYSET: each of those pages read from the last row of the page
 * before it (as the links do, r-mashkey22), not by OFFSET; MASH_MIX, MASH_STATUS: one filter, one list.
 */
#include <time.h>
#include "store/ops.c" /* the statement table and its binding are static: this file is compiled with it */

#define OLD_MASH_FILTER                                                                                        \
	"e.kind IN ('contact', 'referral') AND " EVENT_KIND_SOUGHT("e") " AND ((?1 = 0 AND d.id IS NULL) OR "   \
	"(?1 = 1 AND d.id IS NOT NULL)) AND (?2 IS NULL OR e.agency = ?2) AND (?3 IS NULL OR e.occurred_at >= ?3) " \
	"AND (?4 IS NULL OR e.occurred_at < ?4) AND (?5 IS NULL OR instr(lower(p.given_name || ' ' || "           \
	"p.family_name), lower(?5)) > 0) AND " VIEW_PERSON("p.id") " AND " VIEW_EVENT("e")
/* The reference's order is the lists' order of r-mashkey22: both by the contact's (occurred_at, id), the queue
 * oldest first, the decisions newest first (before, the decisions were by the decision's time: OLD_BY_DECISION,
 * compared as a set of rows). */
static const char OLD_LIST[] = "SELECT " MASH_COLS " FROM " MASH_FROM " WHERE " OLD_MASH_FILTER
			       " ORDER BY CASE WHEN ?1 = 0 THEN e.occurred_at END ASC, CASE WHEN ?1 = 0 THEN e.id END ASC, "
			       "CASE WHEN ?1 = 1 THEN e.occurred_at END DESC, e.id DESC LIMIT ?6 OFFSET ?7";
static const char OLD_BY_DECISION[] = "SELECT " MASH_COLS " FROM " MASH_FROM " WHERE " OLD_MASH_FILTER
				      " ORDER BY CASE WHEN ?1 = 0 THEN e.occurred_at END ASC, CASE WHEN ?1 = 1 THEN "
				      "d.occurred_at END DESC, e.id";
static const char OLD_COUNT[] = "SELECT count(*) FROM " MASH_FROM " WHERE " OLD_MASH_FILTER;
enum { ID_OLD_LIST = S__COUNT, ID_OLD_COUNT = S__COUNT + 1, ID_OLD_BY_DECISION = S__COUNT + 4 };

static unsigned long long rng;
static unsigned rnd(unsigned n)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)((rng >> 33) % n);
}

static void die(const char *what, int rc)
{
	fprintf(stderr, "mash_same: %s: %d\n", what, rc);
	exit(2);
}

/* The rows of one statement, as one text: every column, tab-separated, a line each. */
static char *rows_of(sql_stmt *s, int *n)
{
	size_t cap = 4096, len = 0;
	char *out = malloc(cap);
	int rc;
	*n = 0;
	out[0] = 0;
	while ((rc = sql_step(s)) == SQL_ROW) {
		for (int i = 0; i < 16; i++) {
			const unsigned char *v = sql_column_text(s, i);
			const char *t = v ? (const char *)v : "<NULL>";
			size_t need = strlen(t) + 2;
			if (len + need + 1 > cap) {
				cap = 2 * (len + need + 1);
				out = realloc(out, cap);
			}
			len += (size_t)sprintf(out + len, "%s%c", t, i == 15 ? '\n' : '\t');
		}
		(*n)++;
	}
	if (rc != SQL_DONE)
		die(sql_errmsg(s->db), rc);
	sql_reset(s);
	sql_clear_bindings(s);
	return out;
}

static int64_t count_of(sql_stmt *s)
{
	int64_t n = -1;
	if (one_int(s, &n) != STORE_OK)
		die(sql_errmsg(s->db), 0);
	sql_clear_bindings(s);
	return n;
}

static const char *const INSTANTS[] = {"2024-01-01T10:00:00Z", "2024-01-01T10:00:01Z", "2024-01-02T09:00:00Z",
				       "2024-01-02T09:00:00Z", "2024-01-03T00:00:00Z", "2024-01-05T12:30:00Z"};
/* social_care: its referral decisions answer contacts, the others' do not (MASH_ANSWERS, r-mashdec21). */
static const char *const AGENCIES[] = {"police", "health", "school", "social_care"};
static const char *const KINDS[] = {"contact", "contact", "referral", "referral_decision", "referral_decision",
				    "domestic_abuse_incident", "missing_episode"};
static const char *const GIVEN[] = {"Amira", "Bea", "Cal", "Dara", "Eli"};
static const char *const FAMILY[] = {"Khan", "Okafor", "Smith", "KHANSON"};

static void area(store_conn *c, int persons)
{
	char ref[64];
	int nref = 0;
	for (int a = 0; a < 4; a++)
		if (store_agency_upsert(c, AGENCIES[a], AGENCIES[a]) != STORE_OK)
			die("agency", 0);
	for (int i = 0; i < persons; i++) {
		struct store_person p;
		memset(&p, 0, sizeof p);
		snprintf(p.given_name, sizeof p.given_name, "%s", GIVEN[rnd(5)]);
		snprintf(p.family_name, sizeof p.family_name, "%s", FAMILY[rnd(4)]);
		snprintf(p.given_fold, sizeof p.given_fold, "%s", p.given_name);
		snprintf(p.family_fold, sizeof p.family_fold, "%s", p.family_name);
		if (rnd(4))
			snprintf(p.dob, sizeof p.dob, "2015-0%u-1%u", 1 + rnd(9), rnd(10));
		int64_t pid = 0;
		if (store_person_insert(c, &p, &pid) != STORE_OK)
			die("person", 0);
		if (rnd(6) == 0) {
			bool already;
			if (store_person_seal(c, pid, "court_order", "review38", &already) != STORE_OK)
				die("seal", 0);
		}
		int nev = (int)rnd(9);
		for (int k = 0; k < nev; k++) {
			struct store_source_record r;
			memset(&r, 0, sizeof r);
			const char *agency = AGENCIES[rnd(4)];
			snprintf(r.agency, sizeof r.agency, "%s", agency);
			snprintf(ref, sizeof ref, "R-%d", ++nref);
			r.source_ref = ref;
			memset(r.payload_hash, nref & 0xff, sizeof r.payload_hash);
			r.payload = "{}";
			r.person_id = pid;
			r.link_score = 1;
			r.link_rule = "new";
			int64_t sid = 0;
			if (store_source_insert(c, &r, &sid) != STORE_OK)
				die("source", 0);
			struct store_event e;
			memset(&e, 0, sizeof e);
			e.person_id = pid;
			e.source_record_id = sid;
			snprintf(e.agency, sizeof e.agency, "%s", agency);
			const char *kind = KINDS[rnd(7)];
			snprintf(e.kind, sizeof e.kind, "%s", kind);
			snprintf(e.occurred_at, sizeof e.occurred_at, "%s", INSTANTS[rnd(6)]);
			char details[256];
			if (strcmp(kind, "referral_decision") == 0)
				snprintf(details, sizeof details,
					 "{\"outcome\":\"%s\",\"decided_by\":\"worker%u\",\"reason\":\"r%d\"%s}",
					 rnd(2) ? "nfa" : "s47", rnd(3), nref, rnd(3) ? "" : ",\"category\":\"dv\"");
			else
				snprintf(details, sizeof details, "{\"n\":%d%s}", nref,
					 rnd(3) ? "" : ",\"category\":\"dv\"");
			e.summary = rnd(5) ? "summary" : NULL;
			e.details = details;
			int64_t eid = 0;
			if (store_event_insert(c, &e, &eid) != STORE_OK)
				die("event", 0);
		}
	}
}

/* The list statement sq_mash_queue runs for q (its own function: an agency's queue walks mash_open_agency) */
static int list_id(const struct store_mash_query *q)
{
	return (int)mash_list_id(q);
}

/* Binds a list as sq_mash_queue does (its own function): the page, and the key or the end of the list, with
 * the received filters taken into the key where they are nearer (r-pgpage25). */
static void list_bind(sql_stmt *s, const struct store_view *v, const struct store_mash_query *q)
{
	mash_list_bind(s, v, q);
}

/* The last row of a page's text: its occurred_at (column 5) and id (column 1), for the next page's key. */
static void last_key(const char *rows, bool first, char at[32], int64_t *id)
{
	const char *line = rows;
	if (!first)
		for (const char *p = rows; *p; p++)
			if (*p == '\n' && p[1])
				line = p + 1;
	*id = strtoll(line, NULL, 10);
	const char *f = line;
	for (int col = 0; col < 4; col++)
		f = strchr(f, '\t') + 1;
	snprintf(at, 32, "%.*s", (int)(strchr(f, '\t') - f), f);
}

static int sort_lines_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The lines of a text sorted: a set of rows whatever their order. */
static char *sorted_lines(const char *rows)
{
	char *copy = strdup(rows), **lines = NULL, *out;
	size_t n = 0, cap = 0, len = strlen(rows);
	for (char *p = strtok(copy, "\n"); p; p = strtok(NULL, "\n")) {
		if (n == cap)
			lines = realloc(lines, (cap = 2 * cap + 16) * sizeof *lines);
		lines[n++] = p;
	}
	qsort(lines, n, sizeof *lines, sort_lines_cmp);
	out = malloc(len + 2);
	out[0] = 0;
	for (size_t i = 0; i < n; i++) {
		strcat(out, lines[i]);
		strcat(out, "\n");
	}
	free(lines);
	free(copy);
	return out;
}

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

static int plans(store_conn *c, int n)
{
	sql_db *db = CONN(c)->db;
	const struct store_view worker = {.sealed = false, .private_agency = "health",
					  .private_categories = "[\"sexual_health\",\"mental_health\"]"};
	const char *name = getenv("MASH_NAME") ? getenv("MASH_NAME") : "smith";
	const struct {
		const char *what, *agency, *before, *name;
	} mixes[] = {{"no filter", NULL, NULL, NULL},
		     {"overdue (received before)", NULL, "2026-11-20T00:00:00Z", NULL},
		     {"a name", NULL, NULL, name},
		     {"an agency", "police", NULL, NULL}};
	for (int decided = 1; decided >= 0; decided--)
		for (size_t m = 0; m < sizeof mixes / sizeof *mixes; m++) {
			/* MASH_MIX=K: only the K-th filter (0 none, 1 overdue, 2 a name, 3 an agency); MASH_STATUS=decided
			 * or awaiting: only that list */
			if ((getenv("MASH_MIX") && (size_t)atoi(getenv("MASH_MIX")) != m) ||
			    (getenv("MASH_STATUS") && strcmp(getenv("MASH_STATUS"), decided ? "decided" : "awaiting") != 0))
				continue;
			printf("%s, %s:", decided ? "decisions" : "queue", mixes[m].what);
			char key_at[32] = "";
			int64_t key_id = 0;
			for (int i = 0; i < n; i++) {
				struct store_mash_query q = {.decided = decided, .agency = mixes[m].agency,
							     .received_before = mixes[m].before, .name = mixes[m].name,
							     .limit = 25, .offset = getenv("MASH_DEEP") ? 25 * atoi(getenv("MASH_DEEP")) * i : 25 * (i % 3)};
				/* counted as the page counts (service/mash.c mash_count_bound); MASH_EXACT: every row */
				q.count_max = getenv("MASH_EXACT") ? 0 : q.offset + q.limit > 1000 ? q.offset + q.limit : 1000;
				struct timespec t0;
				clock_gettime(CLOCK_MONOTONIC, &t0);
				sql_stmt *nn = stmt(CONN(c), mash_count_id(&q));
				mash_bind(nn, &worker, &q);
				int64_t total = count_of(nn);
				double count_ms = ms_since(&t0);
				clock_gettime(CLOCK_MONOTONIC, &t0);
				/* MASH_KEYSET: the page read from the last row of the one before (the links' key), as far
				 * as the offset, instead of OFFSET: pages 1, 1+K, ... each reached by walking the keys */
				if (getenv("MASH_KEYSET") && key_at[0]) {
					q.key_at = key_at;
					q.key_id = key_id;
					q.offset = 0;
				}
				sql_stmt *s = stmt(CONN(c), list_id(&q));
				list_bind(s, &worker, &q);
				int rows;
				char *text_rows = rows_of(s, &rows);
				printf(" %.1f(%d/%lld; count %.0f", ms_since(&t0), rows, (long long)total, count_ms);
				q.key_at = NULL;
				if (getenv("MASH_KEYSET") && rows) { /* the key of the next page shown: walked to, not timed */
					int deep = getenv("MASH_DEEP") ? atoi(getenv("MASH_DEEP")) : 1;
					last_key(text_rows, false, key_at, &key_id);
					for (int k = 1; k < deep; k++) {
						struct store_mash_query w = q;
						w.key_at = key_at;
						w.key_id = key_id;
						w.offset = 0;
						sql_stmt *ws = stmt(CONN(c), list_id(&w));
						list_bind(ws, &worker, &w);
						int wn;
						char *wt = rows_of(ws, &wn);
						if (wn)
							last_key(wt, false, key_at, &key_id);
						free(wt);
					}
				}
				free(text_rows);
				if (getenv("MASH_OLD")) { /* the old count, as many times on the same connection */
					clock_gettime(CLOCK_MONOTONIC, &t0);
					sql_stmt *on = sql_prepare(db, ID_OLD_COUNT, OLD_COUNT);
					mash_bind(on, &worker, &q);
					int64_t old_total = count_of(on);
					printf("; old count %.0f%s", ms_since(&t0), old_total == total ? "" : " DIFFERS");
				}
				printf(")");
				fflush(stdout);
			}
			printf("\n");
			for (int i = 0; getenv("MASH_OLD") && i < 2; i++) { /* the old text, a page: its time (and CPU) */
				struct store_mash_query q = {.decided = decided, .agency = mixes[m].agency,
							     .received_before = mixes[m].before, .name = mixes[m].name,
							     .limit = 25, .offset = 25 * i};
				struct timespec t0, c0, c1;
				clock_gettime(CLOCK_MONOTONIC, &t0);
				clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
				sql_stmt *o = sql_prepare(db, ID_OLD_LIST, OLD_LIST);
				mash_bind(o, &worker, &q);
				sql_bind_int(o, 6, q.limit);
				sql_bind_int(o, 7, q.offset);
				int rows;
				free(rows_of(o, &rows));
				double wall = ms_since(&t0);
				clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
				double cpu = (double)(c1.tv_sec - c0.tv_sec) * 1e3 + (double)(c1.tv_nsec - c0.tv_nsec) / 1e6;
				clock_gettime(CLOCK_MONOTONIC, &t0);
				clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
				sql_stmt *s = stmt(CONN(c), list_id(&q));
				list_bind(s, &worker, &q);
				free(rows_of(s, &rows));
				double nwall = ms_since(&t0);
				clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
				double ncpu = (double)(c1.tv_sec - c0.tv_sec) * 1e3 + (double)(c1.tv_nsec - c0.tv_nsec) / 1e6;
				printf("  page %d: old %.1f ms (CPU %.1f), new %.1f ms (CPU %.1f)\n", i + 1, wall, cpu, nwall,
				       ncpu);
			}
		}
	if (strcmp(db->drv->name, "postgresql") != 0)
		return 0;
	sql_stmt *p = sql_prepare(db, S__COUNT + 3, "SELECT name, generic_plans, custom_plans, left(statement, 90) "
						   "FROM pg_prepared_statements WHERE statement LIKE '%e.kind IN (''contact'', ''referral'')%' "
						   "ORDER BY name");
	if (!p)
		die(sql_errmsg(db), 0);
	int rc;
	printf("pg_prepared_statements (name, generic_plans, custom_plans, statement):\n");
	while ((rc = sql_step(p)) == SQL_ROW)
		printf("  %s %lld %lld %s\n", sql_column_text(p, 0), (long long)sql_column_int64(p, 1),
		       (long long)sql_column_int64(p, 2), sql_column_text(p, 3));
	sql_reset(p);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: mash_same URL [SEED] [PERSONS]\n");
		return 2;
	}
	rng = argc > 2 ? strtoull(argv[2], NULL, 10) : 1;
	int persons = argc > 3 ? atoi(argv[3]) : 200;
	store *st;
	char err[256];
	if (store_open(argv[1], &st, err, sizeof err) != STORE_OK || store_migrate(st, NULL, NULL, err, sizeof err))
		die(err, 0);
	store_conn *c = store_conn_get(st);
	if (!c)
		die("connection", 0);
	if (argc > 3 && strcmp(argv[2], "plans") == 0) {
		plans(c, persons);
		store_conn_put(st, c);
		store_close(st);
		return 0;
	}
	area(c, persons);
	sql_db *db = CONN(c)->db;
	const struct store_view views[] = {{.sealed = true},
					   {.sealed = false},
					   {.sealed = true, .agency = "health"},
					   {.sealed = false, .private_agency = "police", .private_categories = "[\"dv\"]"}};
	/* each agency's queue walks its own rows of mash_open (migration 39): three of them, and social care, whose
	 * decisions answer (r-mash27) */
	const char *agencies[] = {NULL, "police", "health", "social_care"}, *froms[] = {NULL, "2024-01-01T10:00:01Z"},
		   *befores[] = {NULL, "2024-01-03T00:00:00Z"}, *names[] = {NULL, "khan"};
	const int pages[][2] = {{25, 0}, {1000, 0}, {3, 0}, {3, 2}, {2, 5}, {1, 7}, {7, 40}, {25, 100}};
	long compared = 0, rows = 0, bad = 0, counts = 128;
	for (int k = 0; k < 2 * 4 * 4 * 2 * 2 * 2; k++) { /* status, view, agency, from, before, name */
		int decided = k & 1, v = (k >> 1) & 3, a = (k >> 3) & 3, f = (k >> 5) & 1, b = (k >> 6) & 1, nm = k >> 7;
		struct store_mash_query q = {.decided = decided, .agency = agencies[a], .received_from = froms[f],
					     .received_before = befores[b], .name = names[nm]};
		sql_stmt *on = sql_prepare(db, ID_OLD_COUNT, OLD_COUNT);
		if (!on)
			die(sql_errmsg(db), 0);
		mash_bind(on, &views[v], &q);
		int64_t old_n = count_of(on);
		sql_stmt *nn = stmt(CONN(c), mash_count_id(&q));
		mash_bind(nn, &views[v], &q);
		int64_t new_n = count_of(nn);
		if (old_n != new_n && bad++ < 10)
			printf("count differs: decided %d view %d agency %d from %d before %d name %d: %lld old, %lld new\n",
			       decided, v, a, f, b, nm, (long long)old_n, (long long)new_n);
		/* bounded (store_mash_query.count_max): the old count, or count_max + 1 when there are more */
		for (int64_t cm = 1; cm <= 64; cm *= 4) {
			q.count_max = cm;
			nn = stmt(CONN(c), mash_count_id(&q));
			mash_bind(nn, &views[v], &q);
			int64_t bounded = count_of(nn), want = old_n > cm ? cm + 1 : old_n;
			counts++;
			if (bounded != want && bad++ < 10)
				printf("bounded count differs: decided %d view %d agency %d from %d before %d name %d max %lld: "
				       "%lld, want %lld\n", decided, v, a, f, b, nm, (long long)cm, (long long)bounded,
				       (long long)want);
		}
		q.count_max = 0;
		for (size_t pg = 0; pg < sizeof pages / sizeof *pages; pg++) {
			q.limit = pages[pg][0];
			q.offset = pages[pg][1];
			sql_stmt *o = sql_prepare(db, ID_OLD_LIST, OLD_LIST);
			if (!o)
				die(sql_errmsg(db), 0);
			mash_bind(o, &views[v], &q);
			sql_bind_int(o, 6, q.limit);
			sql_bind_int(o, 7, q.offset);
			int on_rows, nn_rows;
			char *old_rows = rows_of(o, &on_rows);
			sql_stmt *s = stmt(CONN(c), list_id(&q));
			list_bind(s, &views[v], &q);
			char *new_rows = rows_of(s, &nn_rows);
			compared++;
			rows += on_rows;
			if (strcmp(old_rows, new_rows) != 0 && bad++ < 10)
				printf("rows differ: decided %d view %d agency %d from %d before %d name %d limit %d offset %d\n"
				       "--- old (%d)\n%s--- new (%d)\n%s",
				       decided, v, a, f, b, nm, q.limit, q.offset, on_rows, old_rows, nn_rows, new_rows);
			free(old_rows);
			free(new_rows);
		}
		/* The pages as the links walk them (r-mashkey22): from the first page on by the last row's key, and from
		 * the end back by the first row's, for 1, 3 and 25 rows a page: together, every row of the reference's
		 * whole list, in its order, once. And the decisions as a set: the rows the old order (by the
		 * decision's time) gave. */
		q.limit = 1000000;
		q.offset = 0;
		sql_stmt *o = sql_prepare(db, ID_OLD_LIST, OLD_LIST);
		mash_bind(o, &views[v], &q);
		sql_bind_int(o, 6, q.limit);
		sql_bind_int(o, 7, 0);
		int whole_n;
		char *whole = rows_of(o, &whole_n);
		if (decided) {
			sql_stmt *ob = sql_prepare(db, ID_OLD_BY_DECISION, OLD_BY_DECISION);
			mash_bind(ob, &views[v], &q);
			int bn;
			char *by_decision = rows_of(ob, &bn), *s1 = sorted_lines(whole), *s2 = sorted_lines(by_decision);
			compared++;
			if (strcmp(s1, s2) != 0 && bad++ < 10)
				printf("the decisions differ as a set from the old order's: view %d agency %d from %d before %d "
				       "name %d\n", v, a, f, b, nm);
			free(by_decision);
			free(s1);
			free(s2);
		}
		const int walk_limits[] = {1, 3, 25};
		for (size_t wl = 0; wl < 3; wl++)
			for (int back = 0; back < 2; back++) {
				size_t cap = strlen(whole) + 4096, len = 0;
				char *walked = malloc(cap), at[32] = "";
				int64_t id = 0;
				int pages_walked = 0;
				walked[0] = 0;
				struct store_mash_query w = q;
				w.limit = walk_limits[wl];
				w.before = back;
				for (;;) { /* bounded: a page holds at least one row, the area a few hundred */
					w.key_at = pages_walked ? at : NULL;
					w.key_id = id;
					sql_stmt *ws = stmt(CONN(c), list_id(&w));
					list_bind(ws, &views[v], &w);
					int wn;
					char *page = rows_of(ws, &wn);
					if (!wn || ++pages_walked > 2000) {
						free(page);
						break;
					}
					last_key(page, back, at, &id);
					size_t pl = strlen(page);
					if (len + pl + 1 > cap)
						walked = realloc(walked, cap = 2 * (len + pl + 1));
					if (back) { /* this page comes before what was walked */
						memmove(walked + pl, walked, len + 1);
						memcpy(walked, page, pl);
					} else {
						memcpy(walked + len, page, pl + 1);
					}
					len += pl;
					free(page);
				}
				compared++;
				rows += whole_n;
				if (strcmp(walked, whole) != 0 && bad++ < 10)
					printf("keyset walk differs: decided %d view %d agency %d from %d before %d name %d limit %d %s\n"
					       "--- whole (%d)\n%s--- walked (%d pages)\n%s",
					       decided, v, a, f, b, nm, w.limit, back ? "backwards" : "forwards", whole_n, whole,
					       pages_walked, walked);
				free(walked);
			}
		free(whole);
	}
	int64_t events = 0, awaiting = 0, decided_n = 0;
	sql_stmt *s = sql_prepare(db, S__COUNT + 2, "SELECT count(*) FROM event");
	one_int(s, &events);
	struct store_mash_query q0 = {0};
	const struct store_view all = {.sealed = true};
	sql_stmt *n0 = stmt(CONN(c), S_MASH_AWAITING_COUNT);
	mash_bind(n0, &all, &q0);
	awaiting = count_of(n0);
	q0.decided = true;
	n0 = stmt(CONN(c), S_MASH_DECIDED_COUNT);
	mash_bind(n0, &all, &q0);
	decided_n = count_of(n0);
	printf("%s seed %llu: %d persons, %lld events (%lld awaiting, %lld decided); %ld pages compared "
	       "(%ld rows) and %ld counts: %ld differ\n",
	       argv[1], argc > 2 ? strtoull(argv[2], NULL, 10) : 1ULL, persons, (long long)events, (long long)awaiting,
	       (long long)decided_n, compared, rows, counts, bad);
	store_conn_put(st, c);
	store_close(st);
	return bad ? 1 : 0;
}
