/* The summary card (service/summary.c) from the status events the reader may see (r-ntk21), and where one they
 * may not see would change a line, the line says so (r-review39: status_withheld, missing_withheld), with
 * nothing of that event. A real database (fixture.h), both engines. */
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
#include "service/summary.h"
#include "store/store.h"
#include "fixture.h"
#include "seed.h"

static void reader(struct children_access *acc, int64_t child, const char *agency, enum access_level level)
{
	memset(acc, 0, sizeof *acc);
	snprintf(acc->actor, sizeof acc->actor, "user:1:sam.worker");
	acc->action = "child.read";
	acc->audited = true;
	acc->child_id = child;
	access_reader_person(&acc->reader, 1, "sam.worker", agency, "social_worker");
	acc->reader.level = level;
}

static struct children_summary *card(struct fx *f, int64_t child, const char *agency, enum access_level level)
{
	struct children_access acc;
	struct children_summary *s = calloc(1, sizeof *s);
	bool shown = false;
	assert_non_null(s);
	reader(&acc, child, agency, level);
	assert_int_equal(summary_read(f->st, &acc, (struct date){2026, 6, 10}, s, &shown), STORE_OK);
	assert_true(shown);
	return s;
}

static void a_hidden_event_that_changes_a_line_is_said_to_bear_on_it(void **state)
{
	struct fx *f = *state;
	int64_t ward, street, ended, plan;
	assert_int_equal(store_begin(f->c), STORE_OK);
	/* Missing from a ward, health's under a health-only category; missing from the street, the police's. */
	ward = seed_child(f->c, "Kid", "Ward");
	seed_event(f->c, ward, "health", "missing_start", "2026-06-08T10:00:00Z", "{\"category\":\"mental_health\"}");
	street = seed_child(f->c, "Kid", "Street");
	seed_event(f->c, street, "police", "missing_start", "2026-06-08T10:00:00Z", "{}");
	/* Missing (police) and back: health's health-only return after the police's own changes nothing. */
	ended = seed_child(f->c, "Kid", "Ended");
	seed_event(f->c, ended, "police", "missing_start", "2026-06-01T10:00:00Z", "{}");
	seed_event(f->c, ended, "police", "missing_end", "2026-06-02T10:00:00Z", "{}");
	seed_event(f->c, ended, "health", "missing_end", "2026-06-03T10:00:00Z", "{\"category\":\"sexual_health\"}");
	/* A plan social care made, and a child in need plan health-only (a line it would change). */
	plan = seed_child(f->c, "Kid", "Plan");
	seed_event(f->c, plan, "social_care", "cp_plan_start", "2026-05-01T10:00:00Z", "{\"category\":\"neglect\"}");
	seed_event(f->c, plan, "health", "cin_plan_start", "2026-05-02T10:00:00Z", "{\"category\":\"mental_health\"}");
	assert_int_equal(store_commit(f->c), STORE_OK);

	struct children_summary *s = card(f, ward, "social_care", ACCESS_FULL);
	assert_false(s->status.missing); /* nothing the chronology hides */
	assert_string_equal(s->status.missing_since, "");
	assert_true(s->missing_withheld);
	assert_false(s->status_withheld);
	free(s);
	s = card(f, ward, "health", ACCESS_FULL); /* health may read it: shown, nothing withheld */
	assert_true(s->status.missing);
	assert_false(s->missing_withheld);
	free(s);
	s = card(f, street, "social_care", ACCESS_FULL);
	assert_true(s->status.missing);
	assert_false(s->missing_withheld);
	free(s);
	s = card(f, ended, "social_care", ACCESS_FULL);
	assert_false(s->status.missing);
	assert_false(s->missing_withheld); /* hidden, but it changes nothing the card says */
	assert_false(s->status_withheld);
	free(s);
	s = card(f, plan, "social_care", ACCESS_FULL);
	assert_true(s->status.cp_plan);
	assert_false(s->status.cin_plan);
	assert_true(s->status_withheld);
	assert_false(s->missing_withheld);
	free(s);
	/* Social care's own reader (a conference chair): the police's report is another agency's: said too. */
	s = card(f, street, "social_care", ACCESS_AGENCY);
	assert_false(s->status.missing);
	assert_true(s->missing_withheld);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(a_hidden_event_that_changes_a_line_is_said_to_bear_on_it, seed_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
