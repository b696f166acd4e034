/* Unit tests for rules/status: a child's legal status derived from the episodes' starts and ends (issue 15). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "rules/status.h"

static struct date d(int y, int m, int dd)
{
	return (struct date){y, m, dd};
}

static const struct date TODAY = {2026, 12, 4};

static void nothing_is_no_flag(void **state)
{
	struct child_status s;
	assert_int_equal(rules_child_status(NULL, 0, NULL, TODAY, 12, &s), 0);
	assert_false(s.flagged);
	assert_false(s.cp_plan || s.looked_after || s.cin_plan || s.missing);
}

/* The reported bug: a child living in a children's home, no care episode recorded, was not flagged. */
static void home_placement_is_looked_after(void **state)
{
	struct child_status s;
	assert_int_equal(rules_child_status(NULL, 0, "2026-05-01", TODAY, 12, &s), 0);
	assert_true(s.looked_after);
	assert_true(s.lac_by_placement);
	assert_string_equal(s.lac_start, "2026-05-01");
	assert_true(s.flagged);
}

static void care_episode_wins_over_placement_date(void **state)
{
	struct status_event ev[] = {{.kind = "lac_start", .day = d(2025, 1, 10)}};
	struct child_status s;
	assert_int_equal(rules_child_status(ev, 1, "2026-05-01", TODAY, 12, &s), 0);
	assert_true(s.looked_after);
	assert_false(s.lac_by_placement);
	assert_string_equal(s.lac_start, "2025-01-10");
}

static void cp_plan_open_ended_and_lookback(void **state)
{
	struct status_event open[] = {{.kind = "cp_plan_start", .day = d(2026, 3, 2), .category = "neglect"}};
	struct child_status s;
	assert_int_equal(rules_child_status(open, 1, NULL, TODAY, 12, &s), 0);
	assert_true(s.cp_plan);
	assert_string_equal(s.cp_start, "2026-03-02");
	assert_string_equal(s.cp_category, "neglect");
	assert_true(s.flagged);

	/* Ended five months ago: still flagged (CP-IS: within 12 months), not current. */
	struct status_event recent[] = {{.kind = "cp_plan_start", .day = d(2025, 3, 2)},
					{.kind = "cp_plan_end", .day = d(2026, 7, 1)}};
	assert_int_equal(rules_child_status(recent, 2, NULL, TODAY, 12, &s), 0);
	assert_false(s.cp_plan);
	assert_string_equal(s.cp_end, "2026-07-01");
	assert_true(s.flagged);

	/* Ended over a year ago: no flag, and nothing left to show. */
	struct status_event old[] = {{.kind = "cp_plan_start", .day = d(2024, 3, 2)},
				     {.kind = "cp_plan_end", .day = d(2025, 7, 1)}};
	assert_int_equal(rules_child_status(old, 2, NULL, TODAY, 12, &s), 0);
	assert_false(s.flagged);
	assert_string_equal(s.cp_start, "");

	/* A new plan after an ended one is open again. */
	struct status_event again[] = {{.kind = "cp_plan_start", .day = d(2024, 3, 2)},
				       {.kind = "cp_plan_end", .day = d(2025, 7, 1)},
				       {.kind = "cp_plan_start", .day = d(2026, 11, 30)}};
	assert_int_equal(rules_child_status(again, 3, NULL, TODAY, 12, &s), 0);
	assert_true(s.cp_plan);
	assert_string_equal(s.cp_start, "2026-11-30");
	assert_string_equal(s.cp_end, "");
}

static void cin_and_missing_are_not_flags(void **state)
{
	struct status_event ev[] = {{.kind = "cin_plan_start", .day = d(2026, 6, 1)},
				    {.kind = "missing_start", .day = d(2026, 12, 3), .at = "2026-12-03T22:10:00Z"}};
	struct child_status s;
	assert_int_equal(rules_child_status(ev, 2, NULL, TODAY, 12, &s), 0);
	assert_true(s.cin_plan);
	assert_string_equal(s.cin_since, "2026-06-01");
	assert_true(s.missing);
	assert_string_equal(s.missing_since, "2026-12-03T22:10:00Z");
	assert_false(s.flagged);

	struct status_event back[] = {{.kind = "missing_start", .day = d(2026, 12, 1), .at = "2026-12-01T22:10:00Z"},
				      {.kind = "missing_end", .day = d(2026, 12, 2), .at = "2026-12-02T09:00:00Z"}};
	assert_int_equal(rules_child_status(back, 2, NULL, TODAY, 12, &s), 0);
	assert_false(s.missing);
}

static void unsorted_is_refused(void **state)
{
	struct status_event ev[] = {{.kind = "lac_end", .day = d(2026, 6, 1)}, {.kind = "lac_start", .day = d(2026, 1, 1)}};
	struct child_status s;
	assert_int_equal(rules_child_status(ev, 2, NULL, TODAY, 12, &s), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nothing_is_no_flag),
		cmocka_unit_test(home_placement_is_looked_after),
		cmocka_unit_test(care_episode_wins_over_placement_date),
		cmocka_unit_test(cp_plan_open_ended_and_lookback),
		cmocka_unit_test(cin_and_missing_are_not_flags),
		cmocka_unit_test(unsorted_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
