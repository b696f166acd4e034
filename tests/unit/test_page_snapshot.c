/* The record page's reads in one snapshot (issue 17, service/children.h children_snapshot_begin), and who may
 * see "who has looked" from the audit's decision (children_may_see_viewers_of). On SQLite, and on PostgreSQL
 * with make unit-pg. */
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
#include "service/alerts.h"
#include "service/cases.h"
#include "service/children.h"
#include "service/service_int.h" /* children_may_see_viewers, the bare decision */
#include "service/summary.h"
#include "service/txq.h"

static int64_t add_child(store_conn *c, const char *given)
{
	struct store_person *p = calloc(1, sizeof *p);
	int64_t id = 0;
	assert_non_null(p);
	snprintf(p->given_name, sizeof p->given_name, "%s", given);
	snprintf(p->family_name, sizeof p->family_name, "Snapshot");
	snprintf(p->dob, sizeof p->dob, "2015-01-01");
	assert_int_equal(store_person_insert(c, p, &id), STORE_OK);
	free(p);
	return id;
}

static void add_kind_event(store *st, int64_t person_id, const char *at, const char *kind)
{
	static int refs;
	char ref[32];
	struct store_source_record r;
	struct store_event e;
	int64_t source_id = 0, id = 0;
	store_conn *c = store_conn_get(st);
	assert_non_null(c);
	assert_int_equal(store_begin(c), STORE_OK);
	snprintf(ref, sizeof ref, "SNAP-%d", ++refs);
	memset(&r, 0, sizeof r);
	snprintf(r.agency, sizeof r.agency, "social_care");
	r.source_ref = ref;
	r.payload = "{}";
	r.person_id = person_id;
	r.link_score = 1.0;
	r.link_rule = "record";
	assert_int_equal(store_source_insert(c, &r, &source_id), STORE_OK);
	memset(&e, 0, sizeof e);
	e.person_id = person_id;
	e.source_record_id = source_id;
	snprintf(e.agency, sizeof e.agency, "social_care");
	snprintf(e.kind, sizeof e.kind, "%s", kind);
	snprintf(e.occurred_at, sizeof e.occurred_at, "%s", at);
	e.summary = "summary";
	e.details = "{}";
	assert_int_equal(store_event_insert(c, &e, &id), STORE_OK);
	assert_int_equal(store_commit(c), STORE_OK);
	store_conn_put(st, c);
}

static void add_event(store *st, int64_t person_id, const char *at)
{
	add_kind_event(st, person_id, at, "concern");
}

static int count_row(const struct store_event *e, void *ctx)
{
	(void)e;
	(*(int *)ctx)++;
	return 0;
}

/* A status event the view shows, counted (the page's view here shows every event). */
static int count_shown(const struct store_event *e, bool shown, void *ctx)
{
	(void)e;
	(*(int *)ctx) += shown;
	return 0;
}

static int shown(store *st, const struct children_access *a)
{
	struct store_page page = {.limit = 50};
	struct children_page_end end;
	bool found = false;
	int n = 0;
	assert_int_equal(children_chronology(st, a, &page, count_row, &n, &found, &end), STORE_OK);
	assert_true(found);
	return n;
}

static void full_reader(struct children_access *a, int64_t child)
{
	memset(a, 0, sizeof *a);
	a->action = "child.read";
	a->child_id = child;
	a->need = ACCESS_AGENCY;
	access_reader_person(&a->reader, 7, "jsmith", "social_care", "social_worker");
	a->reader.level = ACCESS_FULL;
	a->audited = true; /* as children_access_audit leaves it once the entry is durable */
}

/* A page's reads see one state: what is written between two of them is not on this page (it was: each read
 * took a snapshot of its own), and the next page sees it. */
static void reads_of_one_page_share_a_snapshot(void **state)
{
	struct fx *f = *state;
	store_conn *c = store_conn_get(f->st);
	assert_non_null(c);
	assert_int_equal(store_begin(c), STORE_OK);
	assert_int_equal(store_agency_upsert(c, "social_care", "Children's social care"), STORE_OK);
	int64_t child = add_child(c, "Sasha");
	assert_int_equal(store_commit(c), STORE_OK);
	store_conn_put(f->st, c);
	add_event(f->st, child, "2025-03-01T09:00:00Z");

	struct children_access a;
	full_reader(&a, child);
	assert_int_equal(children_snapshot_begin(f->st, &a), STORE_OK);
	assert_non_null(a.snapshot);
	assert_int_equal(shown(f->st, &a), 1);
	add_event(f->st, child, "2025-03-02T09:00:00Z"); /* another writer, between two reads of the page */
	assert_int_equal(shown(f->st, &a), 1);
	children_snapshot_end(f->st, &a);
	assert_null(a.snapshot);
	assert_int_equal(shown(f->st, &a), 2); /* the next page */
	children_snapshot_end(f->st, &a);      /* twice: nothing held, nothing done */
}

/* Nothing is held for a read that is not audited or was refused: it reads nothing. */
static void nothing_held_without_a_durable_entry(void **state)
{
	struct fx *f = *state;
	struct children_access a;
	full_reader(&a, 1);
	a.audited = false;
	assert_int_equal(children_snapshot_begin(f->st, &a), STORE_OK);
	assert_null(a.snapshot);
	a.audited = true;
	a.refused = true;
	assert_int_equal(children_snapshot_begin(f->st, &a), STORE_OK);
	assert_null(a.snapshot);
}

/* "Who has looked" is offered to the allocated worker and the data protection officer, from what the audit's
 * decision saw; not to another worker, and not to the allocated worker of a sealed record. */
static int count_audit(const struct store_audit *e, void *ctx)
{
	(void)e;
	++*(int *)ctx;
	return 0;
}
static int count_glass(const struct store_break_glass *b, void *ctx)
{
	(void)b;
	++*(int *)ctx;
	return 0;
}
static int count_look(const struct store_look *l, void *ctx)
{
	(void)l;
	++*(int *)ctx;
	return 0;
}

static void viewers_link_from_the_decision(void **state)
{
	struct fx *f = *state;
	store_conn *c = store_conn_get(f->st);
	assert_non_null(c);
	assert_int_equal(store_begin(c), STORE_OK);
	struct store_team t;
	memset(&t, 0, sizeof t);
	snprintf(t.code, sizeof t.code, "north");
	snprintf(t.name, sizeof t.name, "North");
	snprintf(t.manager, sizeof t.manager, "north.manager");
	assert_int_equal(cases_team_upsert(c, "cli", &t), STORE_OK);
	int64_t child = add_child(c, "Vida"), sealed = add_child(c, "Sela");
	struct store_allocation *al = calloc(1, sizeof *al);
	enum cases_result res = CASES_NO_TEAM;
	assert_non_null(al);
	al->person_id = child;
	snprintf(al->team, sizeof al->team, "north");
	snprintf(al->worker, sizeof al->worker, "jsmith");
	assert_int_equal(cases_allocate(c, "cli", NULL, al, &res), STORE_OK);
	assert_int_equal(res, CASES_DONE);
	al->person_id = sealed;
	assert_int_equal(cases_allocate(c, "cli", NULL, al, &res), STORE_OK);
	free(al);
	bool already = false;
	assert_int_equal(store_person_seal(c, sealed, "court_order", "dpo.one", &already), STORE_OK);
	assert_int_equal(store_commit(c), STORE_OK);

	static const struct {
		const char *username, *role;
		bool sealed, may;
	} cases[] = {{"jsmith", "social_worker", false, true},
		     {"bjones", "social_worker", false, false},
		     {"dpo.one", "dpo", false, true},
		     {"north.manager", "team_manager", false, false},
		     {"jsmith", "social_worker", true, false},
		     {"dpo.one", "dpo", true, true}};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct children_access a;
		memset(&a, 0, sizeof a);
		a.child_id = cases[i].sealed ? sealed : child;
		access_reader_person(&a.reader, 1, cases[i].username, "social_care", cases[i].role);
		assert_int_equal(access_decide_reader(c, &a.reader, a.child_id, clock_now()), STORE_OK);
		a.audited = true;
		bool asked = !cases[i].may;
		assert_int_equal(children_may_see_viewers_of(&a), cases[i].may);
		/* the same answer as the read that asks the database */
		assert_int_equal(children_may_see_viewers(f->st, cases[i].username, cases[i].role, a.child_id, &asked),
				 STORE_OK);
		assert_int_equal(asked, cases[i].may);
		a.refused = true; /* a refused read offers nothing */
		assert_false(children_may_see_viewers_of(&a));
		/* and reads nothing, its entry durable or not (r-review32: a refusal decided by the object's rule keeps
		 * the child it named, so the audited flag alone did not tell it from a read) */
		int n = 0;
		bool found = true;
		struct store_person *p = calloc(1, sizeof *p);
		const struct store_look_query q = {NULL, NULL, NULL, 10};
		assert_non_null(p);
		assert_int_equal(children_viewers(f->st, &a, 10, count_audit, &n), CHILDREN_ENOAUDIT);
		assert_int_equal(children_break_glass(f->st, &a, 10, count_glass, &n), CHILDREN_ENOAUDIT);
		assert_int_equal(children_looks(f->st, &a, &q, count_look, &n, p, &found), CHILDREN_ENOAUDIT);
		assert_false(found);
		assert_int_equal(n, 0);
		free(p);
	}
	store_conn_put(f->st, c);
}

/* r-ntk32: who has looked (children_viewers_read_decided) and listing an owner's alerts (alerts_list_decided) decide
 * and audit in one call, as reading one alert does: allowed, the read's entry is queued as before; refused,
 * refuse is set with the object asked (naming no child) and one access.refused entry is queued; the hold runs
 * once, before the entry, either way. */
static void count_hold(struct children_access *a)
{
	(*(int *)a->ctx)++;
}

static void entry_done(struct children_access *a)
{
	(void)a;
}

struct entry_count {
	int refused, viewers, alerts;
};

static int count_entry(const struct store_audit *e, void *ctx)
{
	struct entry_count *n = ctx;
	n->refused += strcmp(e->action, "access.refused") == 0 && e->child_id == 0;
	n->viewers += strcmp(e->action, "viewers.read") == 0;
	n->alerts += strcmp(e->action, "alerts.read") == 0;
	return 0;
}

static void viewers_and_alert_lists_decide_and_audit_in_one_call(void **state)
{
	struct fx *f = *state;
	store_conn *c = store_conn_get(f->st);
	assert_non_null(c);
	assert_int_equal(store_begin(c), STORE_OK);
	struct store_team t;
	memset(&t, 0, sizeof t);
	snprintf(t.code, sizeof t.code, "north");
	snprintf(t.name, sizeof t.name, "North");
	snprintf(t.manager, sizeof t.manager, "north.manager");
	assert_int_equal(cases_team_upsert(c, "cli", &t), STORE_OK);
	int64_t child = add_child(c, "Vida");
	struct store_allocation *al = calloc(1, sizeof *al);
	enum cases_result res = CASES_NO_TEAM;
	assert_non_null(al);
	al->person_id = child;
	snprintf(al->team, sizeof al->team, "north");
	snprintf(al->worker, sizeof al->worker, "jsmith");
	assert_int_equal(cases_allocate(c, "cli", NULL, al, &res), STORE_OK);
	assert_int_equal(res, CASES_DONE);
	free(al);
	assert_int_equal(store_commit(c), STORE_OK);
	store_conn_put(f->st, c);

	/* list: 0 who has looked at `id` (0: the child), 1 the alerts of owner (NULL: no owner) */
	static const struct {
		const char *username, *role; /* NULL username: an agency's system */
		int list;
		int64_t id;
		const char *owner;
		const char *object; /* the refusal's ("child:" then the id asked), NULL: allowed */
	} cases[] = {{"jsmith", "social_worker", 0, 0, NULL, NULL},
		     {"bjones", "social_worker", 0, 0, NULL, "child:"},
		     {"bjones", "social_worker", 0, 987654, NULL, "child:"},
		     {"north.manager", "team_manager", 0, 0, NULL, "child:"},
		     {NULL, NULL, 0, 0, NULL, "child:"},
		     {"dpo.one", "dpo", 0, 0, NULL, NULL},
		     {"jsmith", "social_worker", 1, 0, "jsmith", NULL},
		     {"jsmith", "social_worker", 1, 0, "bjones", "alerts:worker"},
		     {"jsmith", "social_worker", 1, 0, "team:north", "alerts:team"},
		     {"jsmith", "social_worker", 1, 0, NULL, "alerts"},
		     {"north.manager", "team_manager", 1, 0, "team:north", NULL},
		     {"north.manager", "team_manager", 1, 0, "team:south", "alerts:team"},
		     {NULL, NULL, 1, 0, "bjones", NULL}};
	enum { N = sizeof cases / sizeof cases[0] };
	struct children_access *acc = calloc(N, sizeof *acc);
	int holds[N] = {0};
	struct entry_count want = {0, 0, 0}, got = {0, 0, 0};
	txq *q = NULL;
	assert_non_null(acc);
	assert_int_equal(txq_start(f->st, &q), STORE_OK);
	for (size_t i = 0; i < N; i++) {
		struct children_access *a = &acc[i];
		snprintf(a->actor, sizeof a->actor, "user:%s", cases[i].username ? cases[i].username : "system");
		if (cases[i].username)
			access_reader_person(&a->reader, 1, cases[i].username, "social_care", cases[i].role);
		else
			access_reader_system(&a->reader, "police");
		a->action = cases[i].list ? "alerts.read" : "viewers.read";
		a->done = entry_done;
		a->hold = count_hold;
		a->ctx = &holds[i];
		if (cases[i].list) {
			struct alerts_owner owner;
			bool parsed = cases[i].owner && alerts_owner_parse(cases[i].owner, &owner);
			assert_int_equal(alerts_list_decided(f->st, q, parsed ? &owner : NULL, a), STORE_OK);
		} else {
			assert_int_equal(children_viewers_read_decided(f->st, q, cases[i].id ? cases[i].id : child, a),
					 STORE_OK);
		}
		assert_int_equal(holds[i], 1); /* the hold ran, once, before the entry was queued */
		want.refused += cases[i].object != NULL;
		want.viewers += !cases[i].object && !cases[i].list;
		want.alerts += !cases[i].object && cases[i].list;
	}
	txq_stop(q); /* every entry completed */
	for (size_t i = 0; i < N; i++) {
		char object[40] = "";
		if (cases[i].object && strcmp(cases[i].object, "child:") == 0)
			snprintf(object, sizeof object, "child:%lld", (long long)(cases[i].id ? cases[i].id : child));
		else if (cases[i].object)
			snprintf(object, sizeof object, "%s", cases[i].object);
		assert_true(acc[i].audited);
		assert_int_equal(acc[i].refuse, cases[i].object != NULL);
		assert_int_equal(acc[i].refused, cases[i].object != NULL);
		assert_string_equal(acc[i].object, object);
	}
	c = store_conn_get(f->st);
	assert_non_null(c);
	struct store_audit_query aq = {.limit = 1000};
	assert_int_equal(store_audit_list(c, &aq, count_entry, &got), STORE_OK);
	store_conn_put(f->st, c);
	assert_int_equal(got.refused, want.refused); /* one entry a refusal, naming no child */
	assert_int_equal(got.viewers, want.viewers);
	assert_int_equal(got.alerts, want.alerts);
	assert_int_equal(want.refused, 8);
	txq_free(q);
	free(acc);
}

/* A read snapshot's BEGIN is answered with its first read, in one round trip (issue 17: on PostgreSQL it took
 * a round trip of its own, on every page and every read that takes a snapshot). SQLite has none to count. */
static void a_snapshot_begins_with_its_first_read(void **state)
{
	struct fx *f = *state;
	store_conn *c = store_conn_get(f->st);
	assert_non_null(c);
	assert_int_equal(store_begin(c), STORE_OK);
	int64_t child = add_child(c, "Bea");
	assert_int_equal(store_commit(c), STORE_OK);
	store_conn_put(f->st, c);
	uint64_t s0 = 0, r0 = 0, s1 = 0, r1 = 0;
	/* Twice: the first time prepares the statement on the server (a round trip, once per connection). */
	for (int i = 0; i < 2; i++) {
		bool exists = false;
		assert_non_null(c = store_conn_get_read(f->st));
		store_conn_counters(c, &s0, &r0);
		assert_int_equal(store_begin_read(c), STORE_OK);
		assert_int_equal(store_person_exists(c, child, &exists), STORE_OK);
		assert_true(exists);
		assert_int_equal(store_commit(c), STORE_OK);
		store_conn_counters(c, &s1, &r1);
		store_conn_put(f->st, c);
	}
	if (strcmp(fx_engine(), "sqlite") == 0) {
		assert_int_equal(r1 - r0, 0);
		return;
	}
	assert_int_equal(s1 - s0, 3); /* BEGIN, the read, COMMIT */
	/* BEGIN with the read (and the last snapshot's COMMIT); this COMMIT is not waited for (was 3, then 2) */
	assert_int_equal(r1 - r0, 1);
}

/* A snapshot ended by ROLLBACK after a deferred BEGIN: the connection serves the next snapshot. */
static void a_rolled_back_snapshot_leaves_its_connection_usable(void **state)
{
	struct fx *f = *state;
	store_conn *c = store_conn_get_read(f->st);
	bool exists = true;
	assert_non_null(c);
	assert_int_equal(store_begin_read(c), STORE_OK);
	assert_int_equal(store_person_exists(c, 987654, &exists), STORE_OK);
	assert_false(exists);
	assert_int_equal(store_rollback(c), STORE_OK);
	assert_int_equal(store_begin_read(c), STORE_OK);
	assert_int_equal(store_person_exists(c, 987654, &exists), STORE_OK);
	assert_int_equal(store_commit(c), STORE_OK);
	store_conn_put(f->st, c);
}

struct decide_count {
	int64_t child;
	struct access_reader r;
	bool exists;
	uint64_t statements;
};

static int decide_counted(store_conn *c, void *arg)
{
	struct decide_count *d = arg;
	uint64_t s0, r0, s1, r1;
	store_conn_counters(c, &s0, &r0);
	int rc = access_decide_reader_exists(c, &d->r, d->child, clock_now(), &d->exists);
	store_conn_counters(c, &s1, &r1);
	d->statements = s1 - s0;
	return rc;
}

static void decide_as(store *st, struct decide_count *d, int64_t child, const char *username, const char *role)
{
	memset(d, 0, sizeof *d);
	d->child = child;
	access_reader_person(&d->r, 3, username, "social_care", role);
	assert_int_equal(txq_exec(st, decide_counted, d), STORE_OK);
}

/* The audit of a read asks whether the child exists, whether it is sealed and who holds it in one statement
 * (issue 17: three, each a round trip of the writer's, with a fourth asking again whether it exists), and
 * decides as before. */
static void the_audits_decision_reads_its_facts_in_one_statement(void **state)
{
	struct fx *f = *state;
	store_conn *c = store_conn_get(f->st);
	assert_non_null(c);
	assert_int_equal(store_begin(c), STORE_OK);
	struct store_team t;
	memset(&t, 0, sizeof t);
	snprintf(t.code, sizeof t.code, "east");
	snprintf(t.name, sizeof t.name, "East");
	snprintf(t.manager, sizeof t.manager, "east.manager");
	assert_int_equal(cases_team_upsert(c, "cli", &t), STORE_OK);
	int64_t child = add_child(c, "Dee"), sealed = add_child(c, "Sid");
	struct store_allocation *al = calloc(1, sizeof *al);
	enum cases_result res = CASES_NO_TEAM;
	assert_non_null(al);
	al->person_id = child;
	snprintf(al->team, sizeof al->team, "east");
	snprintf(al->worker, sizeof al->worker, "dwise");
	assert_int_equal(cases_allocate(c, "cli", NULL, al, &res), STORE_OK);
	assert_int_equal(res, CASES_DONE);
	free(al);
	bool already = false;
	assert_int_equal(store_person_seal(c, sealed, "court_order", "dpo.one", &already), STORE_OK);
	assert_int_equal(store_commit(c), STORE_OK);
	store_conn_put(f->st, c);

	struct decide_count d;
	decide_as(f->st, &d, child, "dwise", "social_worker"); /* prepares the statement on PostgreSQL */
	decide_as(f->st, &d, child, "dwise", "social_worker");
	assert_true(d.exists);
	assert_int_equal(d.r.level, ACCESS_FULL);
	assert_string_equal(d.r.basis, "allocated worker");
	assert_true(d.r.allocated_worker);
	assert_int_equal(d.statements, 1);
	decide_as(f->st, &d, child, "east.manager", "team_manager");
	assert_int_equal(d.r.level, ACCESS_FULL);
	assert_string_equal(d.r.basis, "manager of the allocated team");
	assert_false(d.r.allocated_worker);
	assert_int_equal(d.statements, 1);
	decide_as(f->st, &d, child, "other.worker", "social_worker"); /* prepares the rest on PostgreSQL */
	decide_as(f->st, &d, child, "other.worker", "social_worker"); /* not allocated: asks on, as before */
	assert_true(d.exists);
	assert_true(d.r.level < ACCESS_FULL);
	assert_true(d.statements > 1);
	/* A refusal asks the same statements whatever the id holds (r-ntk27, test_refusal_work): a sealed record and
	 * an id with no child as the child one has no relationship with, no longer one. */
	const int refusal = d.statements;
	decide_as(f->st, &d, sealed, "dwise", "social_worker");
	assert_true(d.exists);
	assert_int_equal(d.r.level, ACCESS_HIDDEN);
	assert_int_equal(d.statements, refusal);
	decide_as(f->st, &d, sealed, "dpo.one", "dpo");
	assert_int_equal(d.r.level, ACCESS_FULL);
	assert_int_equal(d.statements, 1);
	decide_as(f->st, &d, 987654, "dwise", "social_worker");
	assert_false(d.exists);
	assert_int_equal(d.r.level, ACCESS_NONE);
	assert_int_equal(d.statements, refusal);
}

/* Who to call about a child (the summary card and /flag) in one read: the allocated worker and their team's
 * contact, or the fallback team's when the child is not allocated (issue 17: the allocation, then the team,
 * were two reads). */
static void a_childs_contacts_in_one_read(void **state)
{
	struct fx *f = *state;
	store_conn *c = store_conn_get(f->st);
	assert_non_null(c);
	assert_int_equal(store_begin(c), STORE_OK);
	struct store_team t;
	memset(&t, 0, sizeof t);
	snprintf(t.code, sizeof t.code, "west");
	snprintf(t.name, sizeof t.name, "West");
	snprintf(t.manager, sizeof t.manager, "west.manager");
	assert_int_equal(cases_team_upsert(c, "cli", &t), STORE_OK);
	snprintf(t.code, sizeof t.code, "door");
	snprintf(t.name, sizeof t.name, "Front door");
	t.manager[0] = '\0';
	assert_int_equal(cases_team_upsert(c, "cli", &t), STORE_OK);
	struct store_team_contact tc;
	bool found = false;
	memset(&tc, 0, sizeof tc);
	snprintf(tc.team.code, sizeof tc.team.code, "west");
	snprintf(tc.phone, sizeof tc.phone, "01632 960001");
	snprintf(tc.email, sizeof tc.email, "west@example.org");
	assert_int_equal(store_team_contact_set(c, &tc, &found), STORE_OK);
	assert_true(found);
	int64_t held = add_child(c, "Hal"), loose = add_child(c, "Lou");
	struct store_allocation *al = calloc(1, sizeof *al);
	enum cases_result res = CASES_NO_TEAM;
	assert_non_null(al);
	al->person_id = held;
	snprintf(al->team, sizeof al->team, "west");
	snprintf(al->worker, sizeof al->worker, "hwells");
	assert_int_equal(cases_allocate(c, "cli", NULL, al, &res), STORE_OK);
	assert_int_equal(res, CASES_DONE);
	free(al);
	assert_int_equal(store_commit(c), STORE_OK);

	struct store_child_contacts *k = calloc(1, sizeof *k);
	uint64_t s0, r0, s1, r1;
	assert_non_null(k);
	assert_int_equal(store_begin_read(c), STORE_OK);
	assert_int_equal(store_child_contacts(c, held, "door", k), STORE_OK); /* prepares it on PostgreSQL */
	store_conn_counters(c, &s0, &r0);
	assert_int_equal(store_child_contacts(c, held, "door", k), STORE_OK);
	store_conn_counters(c, &s1, &r1);
	assert_int_equal(s1 - s0, 1);
	assert_true(k->allocated);
	assert_string_equal(k->worker, "hwells");
	assert_true(k->since[0] != '\0');
	assert_true(k->has_team);
	assert_string_equal(k->team.team.code, "west");
	assert_string_equal(k->team.team.manager, "west.manager");
	assert_string_equal(k->team.phone, "01632 960001");
	assert_string_equal(k->team.email, "west@example.org");
	assert_int_equal(store_child_contacts(c, loose, "door", k), STORE_OK);
	assert_false(k->allocated);
	assert_string_equal(k->worker, "");
	assert_true(k->has_team);
	assert_string_equal(k->team.team.code, "door");
	assert_string_equal(k->team.team.name, "Front door");
	assert_int_equal(store_child_contacts(c, loose, "no-such-team", k), STORE_OK);
	assert_false(k->allocated);
	assert_false(k->has_team);
	assert_int_equal(store_commit(c), STORE_OK);
	free(k);
	store_conn_put(f->st, c);
}


/* ---- send now, read later (issue 17: store_send_ahead) ---- */

struct page_reads {
	bool found;
	char given[512];
	int identifiers, households, marks, rows, alerts, kinds;
	bool placed, allocated;
	char worker[128];
};

static int n_identifier(const char *kind, const char *value, const char *first_seen, void *ctx)
{
	(void)kind;
	(void)value;
	(void)first_seen;
	(*(int *)ctx)++;
	return 0;
}

static int n_household(const struct store_household *h, void *ctx)
{
	(void)h;
	(*(int *)ctx)++;
	return 0;
}

static int n_alert(const struct store_alert *al, void *ctx)
{
	(void)al;
	(*(int *)ctx)++;
	return 0;
}

#define AHEAD_DAY "2025-06-01"

/* The record page's nine independent reads of one child, made as the services make them. */
static void page_reads(store_conn *c, int64_t child, const struct store_page *marks, const struct store_page *rows,
		       const struct store_alert_query *q, struct page_reads *out)
{
	struct store_view v = {0};
	struct store_person *p = calloc(1, sizeof *p);
	struct store_home_placement *pl = calloc(1, sizeof *pl);
	struct store_child_contacts *k = calloc(1, sizeof *k);
	assert_non_null(p);
	assert_non_null(pl);
	assert_non_null(k);
	memset(out, 0, sizeof *out);
	assert_int_equal(store_person_get(c, child, p, &out->found), STORE_OK);
	snprintf(out->given, sizeof out->given, "%s", p->given_name);
	assert_int_equal(store_identifiers_each(c, child, n_identifier, &out->identifiers), STORE_OK);
	assert_int_equal(store_households_of(c, child, n_household, &out->households), STORE_OK);
	assert_int_equal(store_event_marks(c, &v, child, marks, count_row, &out->marks), STORE_OK);
	assert_int_equal(store_chronology(c, &v, child, rows, count_row, &out->rows), STORE_OK);
	assert_int_equal(store_alerts(c, &v, q, n_alert, &out->alerts), STORE_OK);
	assert_int_equal(store_status_events(c, &v, child, count_shown, &out->kinds), STORE_OK);
	assert_int_equal(store_person_placement(c, child, AHEAD_DAY, pl, &out->placed), STORE_OK);
	assert_int_equal(store_child_contacts(c, child, "door", k), STORE_OK);
	out->allocated = k->allocated;
	snprintf(out->worker, sizeof out->worker, "%s", k->worker);
	free(p);
	free(pl);
	free(k);
}

static void ahead_of(struct store_ahead *ah, int64_t child, const struct store_page *marks,
		     const struct store_page *rows, const struct store_alert_query *q)
{
	memset(ah, 0, sizeof *ah);
	ah->child_id = child;
	ah->person = ah->identifiers = ah->households = true;
	ah->marks = marks;
	ah->rows = rows;
	ah->alerts = q;
	ah->status_events = true;
	ah->placement_day = AHEAD_DAY;
	ah->contacts_team = "door";
}

static int count_identifier(const char *kind, const char *value, const char *first_seen, void *ctx)
{
	(void)kind;
	(void)value;
	(void)first_seen;
	(*(int *)ctx)++;
	return 0;
}

/* Nothing is sent ahead in a write transaction: a write made after the send would be missing from its answer
 * (on PostgreSQL the write is queued behind the read), and after a savepoint's rollback the answer would hold
 * what was undone. So both reads below see what is written at the time they are made, on every engine. It can
 * fail on PostgreSQL only (make unit-pg): SQLite sends nothing ahead. */
static void reads_sent_in_a_write_transaction_see_later_writes(void **state)
{
	struct fx *f = *state;
	store_conn *c = store_conn_get(f->st);
	assert_non_null(c);
	assert_int_equal(store_begin(c), STORE_OK);
	int64_t child = add_child(c, "Ada");
	assert_int_equal(store_commit(c), STORE_OK);

	struct store_ahead ah = {.child_id = child, .identifiers = true};
	int n = 0;
	assert_int_equal(store_begin(c), STORE_OK);
	assert_int_equal(store_send_ahead(c, &ah), STORE_OK);
	assert_int_equal(store_identifier_add(c, child, "nhs", "9434765919", 0), STORE_OK);
	assert_int_equal(store_identifiers_each(c, child, count_identifier, &n), STORE_OK);
	assert_int_equal(n, 1);

	assert_int_equal(store_savepoint(c), STORE_OK);
	assert_int_equal(store_identifier_add(c, child, "upn", "B801200005001", 0), STORE_OK);
	assert_int_equal(store_send_ahead(c, &ah), STORE_OK);
	assert_int_equal(store_savepoint_rollback(c), STORE_OK);
	n = 0;
	assert_int_equal(store_identifiers_each(c, child, count_identifier, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_commit(c), STORE_OK);
	store_conn_put(f->st, c);
}

/* The page's reads sent ahead give what they give without it, and on PostgreSQL arrive in the round trip of
 * the first of them (with the snapshot's BEGIN): two round trips for the page's snapshot, where it took ten.
 * A read made with other arguments than were sent reads afresh; what was sent and not read is forgotten
 * when the snapshot ends, so the next snapshot sees what was written since. */
static void a_pages_reads_sent_ahead_arrive_together(void **state)
{
	struct fx *f = *state;
	store_conn *c = store_conn_get(f->st);
	assert_non_null(c);
	assert_int_equal(store_begin(c), STORE_OK);
	struct store_team t;
	memset(&t, 0, sizeof t);
	assert_int_equal(store_agency_upsert(c, "social_care", "Children's social care"), STORE_OK);
	snprintf(t.code, sizeof t.code, "door");
	snprintf(t.name, sizeof t.name, "Front door");
	assert_int_equal(cases_team_upsert(c, "cli", &t), STORE_OK);
	int64_t child = add_child(c, "Ada"), other = add_child(c, "Ola");
	struct store_allocation *al = calloc(1, sizeof *al);
	enum cases_result res = CASES_NO_TEAM;
	assert_non_null(al);
	al->person_id = child;
	snprintf(al->team, sizeof al->team, "door");
	snprintf(al->worker, sizeof al->worker, "aworker");
	assert_int_equal(cases_allocate(c, "cli", NULL, al, &res), STORE_OK);
	free(al);
	assert_int_equal(store_commit(c), STORE_OK);
	store_conn_put(f->st, c);
	add_kind_event(f->st, child, "2025-03-01T09:00:00Z", "lac_start");
	add_kind_event(f->st, child, "2025-03-02T09:00:00Z", "lac_start");
	add_kind_event(f->st, child, "2025-03-03T09:00:00Z", "lac_start");

	struct store_page marks = {.limit = 500}, rows = {.limit = 2}, one = {.limit = 1};
	struct store_alert_query q = {.open_or_acknowledged = true, .person_id = child, .limit = 11};
	struct store_ahead ah;
	struct page_reads plain, sent;
	uint64_t s0 = 0, r0 = 0, s1 = 0, r1 = 0;

	assert_non_null(c = store_conn_get_read(f->st));
	assert_int_equal(store_begin_read(c), STORE_OK);
	page_reads(c, child, &marks, &rows, &q, &plain);
	assert_int_equal(store_commit(c), STORE_OK);
	assert_true(plain.found);
	assert_string_equal(plain.given, "Ada");
	assert_int_equal(plain.marks, 3);
	assert_int_equal(plain.rows, 2);
	assert_int_equal(plain.kinds, 3);
	assert_true(plain.allocated);
	assert_string_equal(plain.worker, "aworker");
	/* Twice: the first time prepares the statements on the server (once per connection). */
	for (int i = 0; i < 2; i++) {
		store_conn_counters(c, &s0, &r0);
		assert_int_equal(store_begin_read(c), STORE_OK);
		ahead_of(&ah, child, &marks, &rows, &q);
		assert_int_equal(store_send_ahead(c, &ah), STORE_OK);
		page_reads(c, child, &marks, &rows, &q, &sent);
		assert_int_equal(store_commit(c), STORE_OK);
		store_conn_counters(c, &s1, &r1);
		assert_memory_equal(&plain, &sent, sizeof plain);
	}
	if (strcmp(fx_engine(), "sqlite") == 0) {
		assert_int_equal(r1 - r0, 0);
	} else {
		assert_int_equal(s1 - s0, 11); /* BEGIN, the nine reads, COMMIT */
		assert_int_equal(r1 - r0, 1);  /* BEGIN with the nine; the COMMIT not waited for (was ten) */
	}

	/* Read with other arguments than were sent: each reads afresh, and gets its own answer. */
	assert_int_equal(store_begin_read(c), STORE_OK);
	ahead_of(&ah, child, &marks, &rows, &q);
	assert_int_equal(store_send_ahead(c, &ah), STORE_OK);
	page_reads(c, other, &one, &one, &q, &sent);
	assert_string_equal(sent.given, "Ola");
	assert_int_equal(sent.marks, 0);
	assert_false(sent.allocated);
	struct store_view v = {0};
	int n = 0;
	assert_int_equal(store_event_marks(c, &v, child, &one, count_row, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_commit(c), STORE_OK);

	/* Sent and never read, then a write: the next snapshot reads what is there now. */
	assert_int_equal(store_begin_read(c), STORE_OK);
	ahead_of(&ah, child, &marks, &rows, &q);
	assert_int_equal(store_send_ahead(c, &ah), STORE_OK);
	assert_int_equal(store_commit(c), STORE_OK);
	add_kind_event(f->st, child, "2025-03-04T09:00:00Z", "lac_start");
	assert_int_equal(store_begin_read(c), STORE_OK);
	page_reads(c, child, &marks, &rows, &q, &sent);
	assert_int_equal(sent.marks, 4);
	assert_int_equal(sent.kinds, 4);
	assert_int_equal(store_rollback(c), STORE_OK);
	/* and the same after a rollback */
	assert_int_equal(store_begin_read(c), STORE_OK);
	ahead_of(&ah, child, &marks, &rows, &q);
	assert_int_equal(store_send_ahead(c, &ah), STORE_OK);
	assert_int_equal(store_rollback(c), STORE_OK);
	add_event(f->st, child, "2025-03-05T09:00:00Z");
	assert_int_equal(store_begin_read(c), STORE_OK);
	page_reads(c, child, &marks, &rows, &q, &sent);
	assert_int_equal(sent.marks, 5);
	assert_int_equal(store_commit(c), STORE_OK);
	store_conn_put(f->st, c);
}

/* ---- the services' ahead lists against the reads they make (issue 17) ---- */

static int n_kind(const char *kind, const char *latest_at, void *ctx)
{
	(void)kind;
	(void)latest_at;
	(*(int *)ctx)++;
	return 0;
}

static int n_person(const struct store_person *p, void *ctx)
{
	(void)p;
	(*(int *)ctx)++;
	return 0;
}

/* The record page's reads as web.c makes them (children_record with a visitor that takes every part, then
 * alerts_list and summary_read) in one snapshot, after children_record_ahead; the snapshot's account of what
 * was sent and what was read afresh (children_access.ahead), and how many parts were read. */
static int record_page(store *st, struct children_access *a, const struct store_page *page)
{
	static const struct child_visitor v = {.person = n_person,
					       .identifier = n_identifier,
					       .household = n_household,
					       .kind = n_kind,
					       .event = count_row,
					       .mark = count_row};
	struct store_alert_query q = {.open_or_acknowledged = true, .person_id = a->child_id, .limit = 11};
	struct date today = {2025, 6, 1};
	struct children_page_end end;
	struct children_summary *sum = calloc(1, sizeof *sum);
	bool found = false, shown = false;
	int n = 0;
	assert_non_null(sum);
	assert_int_equal(children_snapshot_begin(st, a), STORE_OK);
	assert_non_null(a->snapshot);
	assert_int_equal(children_record_ahead(st, a, page, 500, &q, today), STORE_OK);
	assert_int_equal(children_record(st, a, &v, page, 500, &n, &found, &end), STORE_OK);
	assert_true(found);
	assert_int_equal(alerts_list(st, a, &q, n_alert, &n), STORE_OK);
	assert_int_equal(summary_read(st, a, today, sum, &shown), STORE_OK);
	children_snapshot_end(st, a);
	free(sum);
	return n;
}

/* Every read the record page makes in its snapshot was sent ahead, and every read sent ahead was made (on
 * PostgreSQL: sent == taken, nothing read afresh): for the whole page, a page filtered by kind, and an own
 * agency's reader (whose page is filtered by its agency). A read dropped from children_record_ahead's list
 * (or alerts_list_ahead's, summary_read_ahead's) is read afresh and fails it; one sent and not made, too. */
static void a_pages_ahead_list_matches_its_reads(void **state)
{
	struct fx *f = *state;
	store_conn *c = store_conn_get(f->st);
	assert_non_null(c);
	assert_int_equal(store_begin(c), STORE_OK);
	assert_int_equal(store_agency_upsert(c, "social_care", "Children's social care"), STORE_OK);
	int64_t child = add_child(c, "Ada");
	assert_int_equal(store_commit(c), STORE_OK);
	store_conn_put(f->st, c);
	add_event(f->st, child, "2025-03-01T09:00:00Z");
	add_event(f->st, child, "2025-03-02T09:00:00Z");

	struct store_page whole = {.limit = 100}, by_kind = {.limit = 100, .kind = "concern"},
			  own = {.limit = 100, .agency = "social_care"};
	struct {
		const char *what;
		const struct store_page *page;
		enum access_level level;
	} pages[] = {{"whole", &whole, ACCESS_FULL}, {"kind", &by_kind, ACCESS_FULL}, {"own agency", &own, ACCESS_AGENCY}};
	for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
		struct children_access a;
		full_reader(&a, child);
		a.reader.level = pages[i].level;
		/* twice: the first prepares the statements on the server */
		for (int k = 0; k < 2; k++) {
			int parts = record_page(f->st, &a, pages[i].page);
			/* the person, two kinds' worth of kinds (one kind), two marks, two rows */
			assert_int_equal(parts, 1 + 1 + 2 + 2);
			if (strcmp(fx_engine(), "sqlite") == 0) {
				assert_int_equal(a.ahead.sent, 0); /* nothing is sent ahead on SQLite */
				continue;
			}
			printf("  %s page: %llu sent, %llu taken, %llu afresh\n", pages[i].what,
			       (unsigned long long)a.ahead.sent, (unsigned long long)a.ahead.taken,
			       (unsigned long long)a.ahead.fresh);
			assert_true(a.ahead.sent >= 6);
			assert_int_equal(a.ahead.taken, a.ahead.sent);
			assert_int_equal(a.ahead.fresh, 0);
		}
	}
}

/* ---- the record page's alerts under the read's decision (r-pgpage29) ---- */

struct page_counts {
	int person, marks, rows, alerts;
};

static int c_person(const struct store_person *p, void *ctx)
{
	(void)p;
	((struct page_counts *)ctx)->person++;
	return 0;
}

static int c_mark(const struct store_event *e, void *ctx)
{
	(void)e;
	((struct page_counts *)ctx)->marks++;
	return 0;
}

static int c_row(const struct store_event *e, void *ctx)
{
	(void)e;
	((struct page_counts *)ctx)->rows++;
	return 0;
}

static int c_alert(const struct store_alert *al, void *ctx)
{
	(void)al;
	((struct page_counts *)ctx)->alerts++;
	return 0;
}

/* The record page's reads as web.c makes them, after the access's decision: what each part showed. */
static void page_after_decision(store *st, struct children_access *a, struct page_counts *n)
{
	static const struct child_visitor v = {.person = c_person, .event = c_row, .mark = c_mark};
	struct store_page page = {.limit = 100};
	struct store_alert_query q = {.open_or_acknowledged = true, .person_id = a->child_id, .limit = 51};
	struct children_page_end end;
	bool found = false;
	memset(n, 0, sizeof *n);
	assert_int_equal(children_snapshot_begin(st, a), STORE_OK);
	assert_non_null(a->snapshot);
	assert_int_equal(children_record_ahead(st, a, &page, 500, &q, (struct date){2025, 6, 1}), STORE_OK);
	assert_int_equal(children_record(st, a, &v, &page, 500, n, &found, &end), STORE_OK);
	assert_true(found);
	assert_int_equal(alerts_list(st, a, &q, c_alert, n), STORE_OK);
	children_snapshot_end(st, a);
	if (strcmp(fx_engine(), "sqlite") != 0) /* each read made, the alerts' too, was sent ahead as it was made */
		assert_int_equal(a->ahead.fresh, 0);
}

static void decide(store *st, struct children_access *a, int64_t child, const char *username, const char *role)
{
	bool exists = false;
	memset(a, 0, sizeof *a);
	a->action = "child.read";
	a->child_id = child;
	a->need = ACCESS_AGENCY;
	access_reader_person(&a->reader, 7, username, "social_care", role);
	store_conn *c = store_conn_get(st);
	assert_non_null(c);
	assert_int_equal(store_begin(c), STORE_OK); /* as the audit's transaction decides */
	assert_int_equal(access_decide_reader_exists(c, &a->reader, child, clock_now(), &exists), STORE_OK);
	assert_int_equal(store_commit(c), STORE_OK);
	store_conn_put(st, c);
	assert_true(exists);
	a->refused = a->reader.level < a->need;
	a->audited = true;
}

/* The page's alerts are read under the access decision its events are read under (r-pgpage29): a seal committed
 * between the decision (the audit's transaction) and the page's snapshot leaves the alerts on the page as it
 * leaves the events (before, the events were shown and the alerts left out: this fails with VIEW_PERSON asked
 * again); the next read is decided afresh and refused. An allocation moved to another worker between the two
 * leaves the page as the decision saw it too, the alerts with the events. Both engines. */
static void a_seal_after_the_decision_leaves_the_alerts_as_the_events(void **state)
{
	struct fx *f = *state;
	store_conn *c = store_conn_get(f->st);
	assert_non_null(c);
	assert_int_equal(store_begin(c), STORE_OK);
	assert_int_equal(store_agency_upsert(c, "social_care", "Children's social care"), STORE_OK);
	struct store_team t;
	memset(&t, 0, sizeof t);
	snprintf(t.code, sizeof t.code, "north");
	snprintf(t.name, sizeof t.name, "North");
	snprintf(t.manager, sizeof t.manager, "north.manager");
	assert_int_equal(cases_team_upsert(c, "cli", &t), STORE_OK);
	int64_t child = add_child(c, "Selma");
	struct store_allocation *al = calloc(1, sizeof *al);
	enum cases_result res = CASES_NO_TEAM;
	assert_non_null(al);
	al->person_id = child;
	snprintf(al->team, sizeof al->team, "north");
	snprintf(al->worker, sizeof al->worker, "jsmith");
	assert_int_equal(cases_allocate(c, "cli", NULL, al, &res), STORE_OK);
	assert_int_equal(res, CASES_DONE);
	assert_int_equal(store_commit(c), STORE_OK);
	store_conn_put(f->st, c);
	add_event(f->st, child, "2025-03-01T09:00:00Z");
	struct store_alert *alert = calloc(1, sizeof *alert);
	int64_t alert_id = 0;
	bool inserted = false, already = false;
	assert_non_null(alert);
	assert_non_null(c = store_conn_get(f->st));
	assert_int_equal(store_begin(c), STORE_OK);
	alert->person_id = child;
	snprintf(alert->code, sizeof alert->code, "REPEAT_MISSING");
	snprintf(alert->raised_on, sizeof alert->raised_on, "2025-03-01");
	snprintf(alert->dedup_key, sizeof alert->dedup_key, "REPEAT_MISSING|seal");
	snprintf(alert->owner_kind, sizeof alert->owner_kind, "worker");
	snprintf(alert->owner, sizeof alert->owner, "jsmith");
	snprintf(alert->evidence, sizeof alert->evidence, "[]");
	assert_int_equal(store_alert_insert(c, alert, &alert_id, &inserted), STORE_OK);
	assert_true(inserted);
	assert_int_equal(store_commit(c), STORE_OK);

	/* the page as it stands: the allocated worker's whole record, its event and its alert */
	struct children_access a;
	struct page_counts n;
	for (int k = 0; k < 2; k++) { /* twice: the first prepares the statements on the server */
		decide(f->st, &a, child, "jsmith", "social_worker");
		assert_int_equal(a.reader.level, ACCESS_FULL);
		assert_true(a.reader.child_in_view);
		page_after_decision(f->st, &a, &n);
		assert_int_equal(n.person, 1);
		assert_int_equal(n.rows, 1);
		assert_int_equal(n.marks, 1);
		assert_int_equal(n.alerts, 1);
	}

	/* moved to another worker between the decision and the page: the page is the decision's, alerts too */
	decide(f->st, &a, child, "jsmith", "social_worker");
	assert_int_equal(store_begin(c), STORE_OK);
	snprintf(al->worker, sizeof al->worker, "bjones");
	assert_int_equal(cases_allocate(c, "cli", NULL, al, &res), STORE_OK);
	assert_int_equal(res, CASES_DONE);
	assert_int_equal(store_commit(c), STORE_OK);
	page_after_decision(f->st, &a, &n);
	assert_int_equal(n.rows, 1);
	assert_int_equal(n.alerts, 1);
	decide(f->st, &a, child, "jsmith", "social_worker"); /* the next read: social care's own records */
	assert_int_equal(a.reader.level, ACCESS_AGENCY);
	snprintf(al->worker, sizeof al->worker, "jsmith");
	assert_int_equal(store_begin(c), STORE_OK);
	assert_int_equal(cases_allocate(c, "cli", NULL, al, &res), STORE_OK);
	assert_int_equal(store_commit(c), STORE_OK);

	/* sealed between the decision and the page: the events and the alerts both shown, as decided */
	decide(f->st, &a, child, "jsmith", "social_worker");
	assert_int_equal(a.reader.level, ACCESS_FULL);
	assert_int_equal(store_begin(c), STORE_OK);
	assert_int_equal(store_person_seal(c, child, "court_order", "dpo.one", &already), STORE_OK);
	assert_false(already);
	assert_int_equal(store_commit(c), STORE_OK);
	page_after_decision(f->st, &a, &n);
	assert_int_equal(n.person, 1);
	assert_int_equal(n.rows, 1);
	assert_int_equal(n.marks, 1);
	assert_int_equal(n.alerts, 1);
	/* the next read is decided afresh: the sealed record, refused; nothing held, nothing read */
	decide(f->st, &a, child, "jsmith", "social_worker");
	assert_int_equal(a.reader.level, ACCESS_HIDDEN);
	assert_true(a.refused);
	assert_false(a.reader.child_in_view);
	assert_int_equal(children_snapshot_begin(f->st, &a), STORE_OK);
	assert_null(a.snapshot);
	/* the data protection officer: the whole sealed record, the alert with it */
	decide(f->st, &a, child, "dpo.one", "dpo");
	assert_int_equal(a.reader.level, ACCESS_FULL);
	assert_true(a.reader.child_in_view);
	page_after_decision(f->st, &a, &n);
	assert_int_equal(n.rows, 1);
	assert_int_equal(n.alerts, 1);
	store_conn_put(f->st, c);
	free(alert);
	free(al);
}

/* ---- the first page's rows lead its marks (r-pgpage29) ---- */

#define LEAD_EVENTS 160

struct ids {
	int n, kinds;
	int64_t id[LEAD_EVENTS + 8];
	char kind[8][32], latest[8][32];
};

static int ids_add(const struct store_event *e, void *ctx)
{
	struct ids *x = ctx;
	assert_true(x->n < LEAD_EVENTS + 8);
	x->id[x->n++] = e->id;
	return 0;
}

static int ids_kind(const char *kind, const char *latest_at, void *ctx)
{
	struct ids *x = ctx;
	assert_true(x->kinds < 8);
	snprintf(x->kind[x->kinds], sizeof x->kind[0], "%s", kind);
	snprintf(x->latest[x->kinds], sizeof x->latest[0], "%s", latest_at);
	x->kinds++;
	return 0;
}

struct lead_page {
	struct ids marks, rows, kinds;
};

static int lp_mark(const struct store_event *e, void *ctx)
{
	return ids_add(e, &((struct lead_page *)ctx)->marks);
}

static int lp_row(const struct store_event *e, void *ctx)
{
	return ids_add(e, &((struct lead_page *)ctx)->rows);
}

static int lp_kind(const char *kind, const char *latest_at, void *ctx)
{
	return ids_kind(kind, latest_at, &((struct lead_page *)ctx)->kinds);
}

struct row_texts {
	int n;
	char text[8][512];
};

static int row_text(const struct store_event *e, void *ctx)
{
	struct row_texts *t = ctx;
	assert_true(t->n < 8);
	snprintf(t->text[t->n++], sizeof t->text[0], "%lld|%s|%s|%s|%s|%s", (long long)e->id, e->agency, e->kind,
		 e->occurred_at, e->summary, e->details);
	return 0;
}

/* The record page's marks, rows and kinds as children_record gives them with the first page's rows read once for
 * both (rows_lead_marks), and its rows as drawn (store_page.drawn), against the store's own reads of each (the marks from the newest, the page, the kinds):
 * the same ids in the same order, the same "more" and cursor, on the whole record, filtered by kind, an own
 * agency's, an older page (read as before), and with fewer marks than the page holds. */
static void the_first_pages_rows_lead_its_marks(void **state)
{
	struct fx *f = *state;
	store_conn *c = store_conn_get(f->st);
	assert_non_null(c);
	assert_int_equal(store_begin(c), STORE_OK);
	assert_int_equal(store_agency_upsert(c, "social_care", "Children's social care"), STORE_OK);
	int64_t child = add_child(c, "Lena");
	assert_int_equal(store_commit(c), STORE_OK);
	store_conn_put(f->st, c);
	for (int i = 0; i < LEAD_EVENTS; i++) { /* two kinds; some at one instant */
		char at[32];
		snprintf(at, sizeof at, "2025-%02d-%02dT09:%02d:00Z", 1 + i / 28, 1 + i % 28, i % 3 == 0 ? 0 : i % 60);
		add_kind_event(f->st, child, at, i % 4 == 0 ? "visit" : "concern");
	}
	/* a page's rows as drawn (store_page.drawn): what a page draws of each, as the whole row has it */
	struct row_texts *whole_rows = calloc(1, sizeof *whole_rows), *drawn_rows = calloc(1, sizeof *drawn_rows);
	struct store_page five = {.limit = 5}, five_drawn = {.limit = 5, .drawn = true};
	struct store_view all = {0};
	assert_non_null(whole_rows);
	assert_non_null(drawn_rows);
	assert_non_null(c = store_conn_get(f->st));
	assert_int_equal(store_chronology(c, &all, child, &five, row_text, whole_rows), STORE_OK);
	assert_int_equal(store_chronology(c, &all, child, &five_drawn, row_text, drawn_rows), STORE_OK);
	store_conn_put(f->st, c);
	assert_int_equal(whole_rows->n, 5);
	assert_memory_equal(whole_rows, drawn_rows, sizeof *whole_rows);
	free(whole_rows);
	free(drawn_rows);
	static const struct child_visitor v = {.kind = lp_kind, .event = lp_row, .mark = lp_mark};
	struct store_page whole = {.limit = 100}, by_kind = {.limit = 100, .kind = "concern"},
			  own = {.limit = 100, .agency = "social_care"}, small = {.limit = 30};
	struct {
		const struct store_page *page;
		enum access_level level;
		int marks_max;
	} cases[] = {{&whole, ACCESS_FULL, 500}, {&by_kind, ACCESS_FULL, 500}, {&own, ACCESS_AGENCY, 500},
		     {&small, ACCESS_FULL, 500}, {&whole, ACCESS_FULL, 120}, {&whole, ACCESS_FULL, 101}};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		for (int older = 0; older < 2; older++) {
			struct store_page page = *cases[i].page;
			struct children_access a;
			struct children_page_end end, first_end;
			struct lead_page *got = calloc(1, sizeof *got), *want = calloc(1, sizeof *want);
			bool found = false;
			assert_non_null(got);
			assert_non_null(want);
			full_reader(&a, child);
			a.reader.level = cases[i].level;
			if (older) { /* the page after the first: read as before */
				struct lead_page *first = calloc(1, sizeof *first);
				assert_non_null(first);
				assert_int_equal(children_record(f->st, &a, &v, &page, cases[i].marks_max, first, &found,
								 &first_end), STORE_OK);
				assert_true(first_end.more);
				free(first);
				char *at = calloc(1, 64);
				assert_non_null(at);
				int64_t id = 0;
				assert_true(event_cursor_parse(first_end.cursor, at, &id));
				page.before_at = at;
				page.before_id = id;
			}
			assert_int_equal(children_snapshot_begin(f->st, &a), STORE_OK);
			assert_int_equal(children_record_ahead(f->st, &a, &page, cases[i].marks_max, NULL,
							      (struct date){2025, 6, 1}), STORE_OK);
			assert_int_equal(children_record(f->st, &a, &v, &page, cases[i].marks_max, got, &found, &end),
					 STORE_OK);
			children_snapshot_end(f->st, &a);
			assert_true(found);
			/* the ahead list is the reads made (but the kinds, read apart when the marks do not hold the whole
			 * history, as before) */
			if (strcmp(fx_engine(), "sqlite") != 0 && cases[i].marks_max > LEAD_EVENTS)
				assert_int_equal(a.ahead.fresh, 0);
			/* the store's own reads of each part */
			struct store_view view;
			access_view(&a.reader, &view);
			struct store_page marks = {.limit = cases[i].marks_max, .agency = page.agency, .kind = page.kind},
					  rows = page;
			rows.limit = page.limit + 1;
			assert_non_null(c = store_conn_get_read(f->st));
			assert_int_equal(store_begin_read(c), STORE_OK);
			assert_int_equal(store_event_marks(c, &view, child, &marks, ids_add, &want->marks), STORE_OK);
			assert_int_equal(store_chronology(c, &view, child, &rows, ids_add, &want->rows), STORE_OK);
			assert_int_equal(store_event_kinds(c, &view, child, ids_kind, &want->kinds), STORE_OK);
			assert_int_equal(store_commit(c), STORE_OK);
			store_conn_put(f->st, c);
			assert_int_equal(got->marks.n, want->marks.n);
			assert_memory_equal(got->marks.id, want->marks.id, sizeof got->marks.id[0] * (size_t)want->marks.n);
			bool more = want->rows.n > page.limit;
			assert_int_equal(end.more, more);
			assert_int_equal(got->rows.n, more ? page.limit : want->rows.n);
			assert_memory_equal(got->rows.id, want->rows.id, sizeof got->rows.id[0] * (size_t)got->rows.n);
			if (more) { /* the cursor names the last row shown */
				char at[21];
				int64_t id = 0;
				assert_true(event_cursor_parse(end.cursor, at, &id));
				assert_int_equal(id, got->rows.id[got->rows.n - 1]);
			}
			assert_int_equal(got->kinds.kinds, want->kinds.kinds);
			for (int k = 0; k < want->kinds.kinds; k++) {
				assert_string_equal(got->kinds.kind[k], want->kinds.kind[k]);
				assert_string_equal(got->kinds.latest[k], want->kinds.latest[k]);
			}
			if (older)
				free((char *)page.before_at);
			free(got);
			free(want);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(reads_of_one_page_share_a_snapshot, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(nothing_held_without_a_durable_entry, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(viewers_link_from_the_decision, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(viewers_and_alert_lists_decide_and_audit_in_one_call, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(a_snapshot_begins_with_its_first_read, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(a_childs_contacts_in_one_read, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(a_pages_reads_sent_ahead_arrive_together, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(a_pages_ahead_list_matches_its_reads, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(a_seal_after_the_decision_leaves_the_alerts_as_the_events, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(the_first_pages_rows_lead_its_marks, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(reads_sent_in_a_write_transaction_see_later_writes, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(a_rolled_back_snapshot_leaves_its_connection_usable, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(the_audits_decision_reads_its_facts_in_one_statement, fx_setup,
						fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
