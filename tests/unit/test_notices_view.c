/* The data protection officer's break-glass notices through the reader's list view (r-redteam26,
 * service/access.c access_notices, store_notices): an opening of a child known only from health-only records is
 * not listed to a reader whose view leaves those records out (the DPO, the operator's list being every agency's,
 * keeps it), while a try that found no child is listed as written, whatever the id holds (a try on her id by
 * someone outside health reads as a try on an id that holds nothing). A real database (fixture.h), both engines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service/access.h"
#include "service/children.h"
#include "service/oplists.h"
#include "store/store.h"
#include "fixture.h"
#include "seed.h"

/* 2026-06-10T10:00:00Z: the decisions' clock, injected. */
#define NOW 1781085600
#define NOBODY 987654321

static int64_t add_user(store_conn *c, const char *username, const char *agency, const char *role)
{
	struct store_user *u = calloc(1, sizeof *u);
	int64_t id = 0;
	assert_non_null(u);
	snprintf(u->username, sizeof u->username, "%s", username);
	snprintf(u->agency, sizeof u->agency, "%s", agency);
	snprintf(u->role, sizeof u->role, "%s", role);
	snprintf(u->password_hash, sizeof u->password_hash, "x");
	assert_int_equal(store_user_insert(c, u, &id), STORE_OK);
	free(u);
	return id;
}

static void glass(struct fx *f, int64_t user_id, const char *username, const char *agency, const char *role,
		  int64_t child)
{
	const struct access_person p = {user_id, username, agency, role};
	char actor[64], expires[STORE_TS_LEN + 1];
	bool refused = true;
	snprintf(actor, sizeof actor, "user:%lld:%s", (long long)user_id, username);
	assert_int_equal(store_begin(f->c), STORE_OK);
	assert_int_equal(access_break_glass(f->c, &p, actor, child, "an emergency, said here", NOW, &refused, expires),
			 STORE_OK);
	assert_false(refused);
	assert_int_equal(store_commit(f->c), STORE_OK);
}

struct seen {
	int n, opened;
	int64_t child[8];
	bool opened_on[8];
};

static int on_notice(const struct store_notice *n, void *ctx)
{
	struct seen *s = ctx;
	assert_true(s->n < 8);
	s->opened_on[s->n] = n->break_glass_id != 0;
	s->child[s->n++] = n->child_id;
	s->opened += n->break_glass_id != 0;
	return 0;
}

static struct seen notices_as(struct fx *f, const char *agency, const char *role)
{
	struct children_access a;
	struct seen s;
	memset(&a, 0, sizeof a);
	memset(&s, 0, sizeof s);
	a.audited = true;
	access_reader_person(&a.reader, 9, "reader", agency, role);
	assert_int_equal(access_notices(f->st, &a, 100, on_notice, &s), STORE_OK);
	return s;
}

static bool has(const struct seen *s, int64_t child, bool opened)
{
	for (int i = 0; i < s->n; i++)
		if (s->child[i] == child && s->opened_on[i] == opened)
			return true;
	return false;
}

static void an_opening_of_a_child_only_health_knows_is_not_the_dpos(void **state)
{
	struct fx *f = *state;
	assert_int_equal(store_begin(f->c), STORE_OK);
	int64_t hidden = seed_child(f->c, "Only", "Health");
	seed_event(f->c, hidden, "health", "missing_start", "2026-06-08T10:00:00Z", "{\"category\":\"sexual_health\"}");
	int64_t known = seed_child(f->c, "Known", "Police");
	seed_event(f->c, known, "police", "police_callout", "2026-06-08T10:00:00Z", "{}");
	int64_t nurse = add_user(f->c, "nn.nurse", "health", "health_practitioner");
	int64_t officer = add_user(f->c, "pc.police", "police", "police_officer");
	add_user(f->c, "dee.dpo", "social_care", "dpo");
	assert_int_equal(store_commit(f->c), STORE_OK);

	glass(f, nurse, "nn.nurse", "health", "health_practitioner", hidden); /* health's own: opened */
	glass(f, nurse, "nn.nurse", "health", "health_practitioner", known);  /* opened */
	glass(f, officer, "pc.police", "police", "police_officer", hidden);   /* no child to them: nothing opened */
	glass(f, officer, "pc.police", "police", "police_officer", NOBODY);   /* nothing opened */

	struct seen dpo = notices_as(f, "social_care", "dpo");
	assert_int_equal(dpo.n, 3);
	assert_int_equal(dpo.opened, 1);
	assert_true(has(&dpo, known, true));
	assert_false(has(&dpo, hidden, true)); /* health's opening of her: not the DPO's to hear of */
	assert_true(has(&dpo, hidden, false)); /* the police's try: listed as a try on an id with nothing */
	assert_true(has(&dpo, NOBODY, false));

	/* A reader whose view keeps health's records (health's own) is told of every opening. */
	struct seen health = notices_as(f, "health", "health_practitioner");
	assert_int_equal(health.n, 4);
	assert_int_equal(health.opened, 2);
	assert_true(has(&health, hidden, true));
}

static int count_notice(const struct store_notice *n, void *ctx)
{
	(void)n;
	++*(int *)ctx;
	return 0;
}

static void the_operators_list_keeps_every_agencys_openings(void **state)
{
	struct fx *f = *state;
	assert_int_equal(store_begin(f->c), STORE_OK);
	int64_t hidden = seed_child(f->c, "Only", "Health");
	seed_event(f->c, hidden, "health", "missing_start", "2026-06-08T10:00:00Z", "{\"category\":\"mental_health\"}");
	int64_t nurse = add_user(f->c, "nn.nurse", "health", "health_practitioner");
	assert_int_equal(store_commit(f->c), STORE_OK);
	glass(f, nurse, "nn.nurse", "health", "health_practitioner", hidden);
	int n = 0;
	assert_int_equal(oplists_notices(f->st, 100, count_notice, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(notices_as(f, "social_care", "dpo").n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(an_opening_of_a_child_only_health_knows_is_not_the_dpos, seed_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(the_operators_list_keeps_every_agencys_openings, seed_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
