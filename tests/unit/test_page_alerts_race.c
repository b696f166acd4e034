/* The record page's alerts when the record changes between the read's access decision (the audit's transaction)
 * and the page's snapshot (r-review48, of r-pgpage29's alerts read under the decision). Whatever is committed in
 * between (another record merged into the child, a merge undone that leaves her known to no one outside health, a
 * seal, the allocation moved), the page shows no alert that the reader's view did not show when the decision was
 * made, except one raised since on this child that the rest of the view (VIEW_ALERT) shows: an own agency's reader
 * never gets an alert resting on another agency's event, nor one brought in by a merge; the next read is decided
 * afresh. Only the service's public calls, as web.c makes them, so it runs on integ's code and on r-pgpage29's
 * alike. Both engines (make unit-pg). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock/now.h"
#include "fixture.h"
#include "seed.h"
#include "service/access.h"
#include "service/alerts.h"
#include "service/cases.h"
#include "service/children.h"

#define MAX_SHOWN 16

struct shown {
	int person, rows, n;
	int64_t alert[MAX_SHOWN];
};

static int s_person(const struct store_person *p, void *ctx)
{
	(void)p;
	((struct shown *)ctx)->person++;
	return 0;
}

static int s_row(const struct store_event *e, void *ctx)
{
	(void)e;
	((struct shown *)ctx)->rows++;
	return 0;
}

static int s_alert(const struct store_alert *al, void *ctx)
{
	struct shown *s = ctx;
	assert_true(s->n < MAX_SHOWN);
	s->alert[s->n++] = al->id;
	return 0;
}

static bool has(const struct shown *s, int64_t id)
{
	for (int i = 0; i < s->n; i++)
		if (s->alert[i] == id)
			return true;
	return false;
}

/* the read's decision, in a transaction of its own as the audit's is (service/access.c) */
static void decide(store *st, struct children_access *a, int64_t child, const char *username, const char *agency,
		   const char *role)
{
	bool exists = false;
	memset(a, 0, sizeof *a);
	a->action = "child.read";
	a->child_id = child;
	a->need = ACCESS_AGENCY;
	access_reader_person(&a->reader, 7, username, agency, role);
	store_conn *c = store_conn_get(st);
	assert_non_null(c);
	assert_int_equal(store_begin(c), STORE_OK);
	assert_int_equal(access_decide_reader_exists(c, &a->reader, child, clock_now(), &exists), STORE_OK);
	assert_int_equal(store_commit(c), STORE_OK);
	store_conn_put(st, c);
	a->refused = a->reader.level < a->need;
	a->audited = true;
}

/* the record page's reads after the decision, in one snapshot, as web.c makes them */
static void page(store *st, struct children_access *a, struct shown *s)
{
	static const struct child_visitor v = {.person = s_person, .event = s_row};
	struct store_page pg = {.limit = 100};
	struct store_alert_query q = {.open_or_acknowledged = true, .person_id = a->child_id, .limit = 51};
	struct children_page_end end;
	bool found = false;
	memset(s, 0, sizeof *s);
	assert_false(a->refused);
	assert_int_equal(children_snapshot_begin(st, a), STORE_OK);
	assert_non_null(a->snapshot);
	assert_int_equal(children_record_ahead(st, a, &pg, 500, &q, (struct date){2026, 6, 1}), STORE_OK);
	assert_int_equal(children_record(st, a, &v, &pg, 500, s, &found, &end), STORE_OK);
	assert_int_equal(alerts_list(st, a, &q, s_alert, s), STORE_OK);
	children_snapshot_end(st, a);
}

static int64_t alert_on(store_conn *c, int64_t child, int64_t evidence, const char *owner_kind, const char *owner)
{
	struct store_alert *al = calloc(1, sizeof *al);
	int64_t id = 0;
	bool inserted = false;
	assert_non_null(al);
	al->person_id = child;
	snprintf(al->code, sizeof al->code, "REPEAT_MISSING");
	snprintf(al->raised_on, sizeof al->raised_on, "2026-05-20");
	snprintf(al->evidence, sizeof al->evidence, "[%lld]", (long long)evidence);
	snprintf(al->dedup_key, sizeof al->dedup_key, "REPEAT_MISSING|%lld|%lld", (long long)child, (long long)evidence);
	snprintf(al->owner_kind, sizeof al->owner_kind, "%s", owner_kind);
	snprintf(al->owner, sizeof al->owner, "%s", owner);
	assert_int_equal(store_alert_insert(c, al, &id, &inserted), STORE_OK);
	assert_true(inserted);
	free(al);
	return id;
}

/* every alert of s was in before, or is one of the extra ids */
static void within(const struct shown *s, const struct shown *before, const int64_t *extra, int nextra)
{
	for (int i = 0; i < s->n; i++) {
		bool ok = has(before, s->alert[i]);
		for (int k = 0; k < nextra; k++)
			ok = ok || s->alert[i] == extra[k];
		if (!ok)
			fail_msg("alert %lld shown after the race, not shown by the decision's view",
				 (long long)s->alert[i]);
	}
}

/* A police officer (an own agency's reader) reads Kay, whom the police and social care know; between the decision
 * and the page, a child only health's records name, with the MASH's alert on her health-only episode, is merged
 * into Kay: the page shows Kay's police alert and neither social care's nor the merged one. */
static void a_merge_in_between_brings_no_alert_the_view_hid(void **state)
{
	struct fx *f = *state;
	assert_int_equal(store_begin(f->c), STORE_OK);
	int64_t kay = seed_child(f->c, "Kay", "Racer");
	int64_t p1 = seed_event(f->c, kay, "police", "missing_start", "2026-05-01T10:00:00Z", "{}");
	int64_t s1 = seed_event(f->c, kay, "social_care", "visit", "2026-05-02T10:00:00Z", "{}");
	int64_t her = seed_child(f->c, "Kay", "Racer");
	int64_t h1 = seed_event(f->c, her, "health", "missing_start", "2026-05-03T10:00:00Z",
				"{\"category\":\"sexual_health\"}");
	int64_t a_police = alert_on(f->c, kay, p1, "mash", "mash");
	int64_t a_social = alert_on(f->c, kay, s1, "mash", "mash");
	int64_t a_her = alert_on(f->c, her, h1, "mash", "mash");
	assert_int_equal(store_commit(f->c), STORE_OK);

	struct children_access a;
	struct shown before, after;
	for (int k = 0; k < 2; k++) { /* twice: the first prepares the statements */
		decide(f->st, &a, kay, "pat.police", "police", "police_officer");
		assert_int_equal(a.reader.level, ACCESS_AGENCY);
		page(f->st, &a, &before);
	}
	assert_int_equal(before.person, 1);
	assert_int_equal(before.rows, 1);
	assert_int_equal(before.n, 1);
	assert_true(has(&before, a_police));

	decide(f->st, &a, kay, "pat.police", "police", "police_officer");
	int64_t merge = 0;
	assert_int_equal(store_begin(f->c), STORE_OK);
	assert_int_equal(store_person_merge(f->c, kay, her, "rev.iewer", "the same child", &merge), STORE_OK);
	assert_int_equal(store_commit(f->c), STORE_OK);
	page(f->st, &a, &after);
	assert_int_equal(after.rows, 1);
	within(&after, &before, NULL, 0);
	assert_false(has(&after, a_social));
	assert_false(has(&after, a_her));
	assert_true(has(&after, a_police));

	/* the merged child's alert is Kay's now: the next read shows it to the police no more than before */
	decide(f->st, &a, kay, "pat.police", "police", "police_officer");
	page(f->st, &a, &after);
	assert_false(has(&after, a_her));
	assert_false(has(&after, a_social));
	assert_true(has(&after, a_police));
	(void)merge;
}

/* Kay is a child only health's records name, known to the police through a record of theirs merged into hers. The
 * police officer's read is decided; the merge is undone before the page's snapshot (the police record goes back,
 * Kay is known to no one outside health now); then an alert the MASH raised on her health-only episode. The page
 * shows no alert the decision's view did not show, and never health's; the next read is refused as for an id
 * with no child. */
static void a_merge_undone_in_between_shows_nothing_more(void **state)
{
	struct fx *f = *state;
	assert_int_equal(store_begin(f->c), STORE_OK);
	int64_t kay = seed_child(f->c, "Kay", "Undone");
	int64_t h1 = seed_event(f->c, kay, "health", "missing_start", "2026-05-03T10:00:00Z",
				"{\"category\":\"sexual_health\"}");
	int64_t other = seed_child(f->c, "Kay", "Undone");
	int64_t p1 = seed_event(f->c, other, "police", "missing_start", "2026-05-01T10:00:00Z", "{}");
	int64_t merge = 0;
	assert_int_equal(store_person_merge(f->c, kay, other, "rev.iewer", "the same child", &merge), STORE_OK);
	int64_t a_police = alert_on(f->c, kay, p1, "mash", "mash"); /* raised on Kay while the merge stood */
	assert_int_equal(store_commit(f->c), STORE_OK);

	struct children_access a;
	struct shown before, after;
	for (int k = 0; k < 2; k++) {
		decide(f->st, &a, kay, "pat.police", "police", "police_officer");
		assert_int_equal(a.reader.level, ACCESS_AGENCY);
		page(f->st, &a, &before);
	}
	assert_int_equal(before.rows, 1);
	assert_int_equal(before.n, 1);
	assert_true(has(&before, a_police));

	decide(f->st, &a, kay, "pat.police", "police", "police_officer");
	bool done = false;
	assert_int_equal(store_begin(f->c), STORE_OK);
	assert_int_equal(store_person_unmerge(f->c, merge, "rev.iewer", "not the same child", &done), STORE_OK);
	assert_true(done);
	int64_t a_health = alert_on(f->c, kay, h1, "mash", "mash");
	assert_int_equal(store_commit(f->c), STORE_OK);
	page(f->st, &a, &after);
	assert_int_equal(after.rows, 0); /* the police record went back */
	within(&after, &before, NULL, 0);
	assert_false(has(&after, a_health));
	print_message("merge undone between the decision and the page (%s): %d alert(s) shown, Kay %s\n", fx_engine(),
		      after.n, after.n ? "with the police alert the decision's view showed" : "with none");

	/* the next read: Kay is known to no one outside health, so she is not there for the police */
	decide(f->st, &a, kay, "pat.police", "police", "police_officer");
	assert_true(a.refused);
}

/* The allocated worker's read, then a seal, or the allocation moved, before the snapshot: the alerts shown are the
 * decision's (no other child's, nothing new but this child's own); the next read after the seal is refused. */
static void a_seal_or_a_move_in_between_shows_nothing_more(void **state)
{
	struct fx *f = *state;
	assert_int_equal(store_begin(f->c), STORE_OK);
	struct store_team t;
	memset(&t, 0, sizeof t);
	snprintf(t.code, sizeof t.code, "north");
	snprintf(t.name, sizeof t.name, "North");
	snprintf(t.manager, sizeof t.manager, "north.manager");
	assert_int_equal(cases_team_upsert(f->c, "cli", &t), STORE_OK);
	int64_t kay = seed_child(f->c, "Kay", "Sealed");
	int64_t s1 = seed_event(f->c, kay, "social_care", "visit", "2026-05-02T10:00:00Z", "{}");
	int64_t h1 = seed_event(f->c, kay, "health", "missing_start", "2026-05-03T10:00:00Z",
				"{\"category\":\"sexual_health\"}");
	int64_t a_social = alert_on(f->c, kay, s1, "worker", "jsmith");
	struct store_allocation *al = calloc(1, sizeof *al);
	enum cases_result res = CASES_NO_TEAM;
	assert_non_null(al);
	al->person_id = kay;
	snprintf(al->team, sizeof al->team, "north");
	snprintf(al->worker, sizeof al->worker, "jsmith");
	assert_int_equal(cases_allocate(f->c, "cli", NULL, al, &res), STORE_OK);
	assert_int_equal(res, CASES_DONE);
	assert_int_equal(store_commit(f->c), STORE_OK);

	struct children_access a;
	struct shown before, after;
	for (int k = 0; k < 2; k++) {
		decide(f->st, &a, kay, "jsmith", "social_care", "social_worker");
		assert_int_equal(a.reader.level, ACCESS_FULL);
		page(f->st, &a, &before);
	}
	assert_true(has(&before, a_social));

	/* moved, and health's alert on her raised, between: her own new alert is the one thing more the page may show */
	decide(f->st, &a, kay, "jsmith", "social_care", "social_worker");
	assert_int_equal(store_begin(f->c), STORE_OK);
	snprintf(al->worker, sizeof al->worker, "bjones");
	assert_int_equal(cases_allocate(f->c, "cli", NULL, al, &res), STORE_OK);
	int64_t a_health = alert_on(f->c, kay, h1, "worker", "bjones");
	assert_int_equal(store_commit(f->c), STORE_OK);
	page(f->st, &a, &after);
	within(&after, &before, &a_health, 1);

	/* sealed between */
	snprintf(al->worker, sizeof al->worker, "jsmith");
	assert_int_equal(store_begin(f->c), STORE_OK);
	assert_int_equal(cases_allocate(f->c, "cli", NULL, al, &res), STORE_OK);
	assert_int_equal(store_commit(f->c), STORE_OK);
	decide(f->st, &a, kay, "jsmith", "social_care", "social_worker");
	assert_int_equal(a.reader.level, ACCESS_FULL);
	page(f->st, &a, &before);
	decide(f->st, &a, kay, "jsmith", "social_care", "social_worker");
	bool already = true;
	assert_int_equal(store_begin(f->c), STORE_OK);
	assert_int_equal(store_person_seal(f->c, kay, "court_order", "dpo.one", &already), STORE_OK);
	assert_false(already);
	assert_int_equal(store_commit(f->c), STORE_OK);
	page(f->st, &a, &after);
	within(&after, &before, NULL, 0);
	decide(f->st, &a, kay, "jsmith", "social_care", "social_worker");
	assert_int_equal(a.reader.level, ACCESS_HIDDEN);
	assert_true(a.refused);
	free(al);
}

int main(void)
{
	char err[128];
	assert_int_equal(clock_now_set("2026-06-08T10:00:00Z", err, sizeof err), 0); /* the decisions' clock */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(a_merge_in_between_brings_no_alert_the_view_hid, seed_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(a_merge_undone_in_between_shows_nothing_more, seed_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(a_seal_or_a_move_in_between_shows_nothing_more, seed_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
