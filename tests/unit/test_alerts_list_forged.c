/* A caller's query cannot skip VIEW_PERSON: person_decided set on a list's query (alerts_list with no child) is not
 * taken (r-review48: a sealed child's MASH alert was listed to social care's MASH worker). Both engines. */
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
#include "service/children.h"

static int count(const struct store_alert *al, void *ctx) { (void)al; (*(int *)ctx)++; return 0; }

static void bypass(void **state)
{
	struct fx *f = *state;
	bool already = false, inserted = false;
	int64_t id = 0;
	assert_int_equal(store_begin(f->c), STORE_OK);
	int64_t kid = seed_child(f->c, "Sela", "Sealed");
	int64_t ev = seed_event(f->c, kid, "police", "missing_start", "2026-05-01T10:00:00Z", "{}");
	struct store_alert al;
	memset(&al, 0, sizeof al);
	al.person_id = kid;
	snprintf(al.code, sizeof al.code, "REPEAT_MISSING");
	snprintf(al.raised_on, sizeof al.raised_on, "2026-05-20");
	snprintf(al.evidence, sizeof al.evidence, "[%lld]", (long long)ev);
	snprintf(al.dedup_key, sizeof al.dedup_key, "x");
	snprintf(al.owner_kind, sizeof al.owner_kind, "mash");
	snprintf(al.owner, sizeof al.owner, "mash");
	assert_int_equal(store_alert_insert(f->c, &al, &id, &inserted), STORE_OK);
	assert_int_equal(store_person_seal(f->c, kid, "adoption", "dpo", &already), STORE_OK);
	assert_int_equal(store_commit(f->c), STORE_OK);
	struct children_access a;
	memset(&a, 0, sizeof a);
	a.action = "alerts.list";
	a.audited = true; /* a list's access: child_id 0 */
	access_reader_person(&a.reader, 7, "mo.mash", "social_care", "mash_worker");
	int plain = 0, forged = 0;
	struct store_alert_query q = {.person_id = kid, .limit = 10};
	assert_int_equal(alerts_list(f->st, &a, &q, count, &plain), STORE_OK);
	q.person_decided = true;
	assert_int_equal(alerts_list(f->st, &a, &q, count, &forged), STORE_OK);
	assert_int_equal(plain, 0);
	assert_int_equal(forged, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test_setup_teardown(bypass, seed_setup, fx_teardown)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
