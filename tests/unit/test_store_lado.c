/*
 * The LADO's candidate search in the store (store_lado_people_near), on every engine: a person born within a
 * year either side of the date of birth asked about, or on the same day and month either way round (a swapped
 * day and month), is a candidate; nobody else is. The year's bounds are the same day and month a year away,
 * 29 February rolling to 1 March, as SQLite's date(d, '+1 year') gave them before the bounds were computed in
 * C (PostgreSQL has no such date()). Runs on SQLite, and on PostgreSQL under SAFEGUARD_TEST_DB (make unit-pg).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "store/store.h"
#include "fixture.h"

static int setup(void **state)
{
	if (fx_setup(state))
		return -1;
	struct fx *f = *state;
	return (f->c = store_conn_get(f->st)) ? 0 : -1;
}

static void add(store_conn *c, const char *family, const char *dob)
{
	struct store_lado_person p;
	memset(&p, 0, sizeof p);
	snprintf(p.given_name, sizeof p.given_name, "%s", "Test");
	snprintf(p.family_name, sizeof p.family_name, "%s", family);
	snprintf(p.dob, sizeof p.dob, "%s", dob);
	snprintf(p.created_by, sizeof p.created_by, "%s", "cli");
	int64_t id = 0;
	assert_int_equal(store_lado_person_insert(c, &p, &id), STORE_OK);
	assert_true(id > 0);
}

struct found {
	char names[512];
	int n;
};

static int collect(const struct store_lado_person *p, void *ctx)
{
	struct found *f = ctx;
	size_t len = strlen(f->names);
	snprintf(f->names + len, sizeof f->names - len, "%s%s", f->n++ ? " " : "", p->family_name);
	return 0;
}

static const char *near(store_conn *c, const char *dob, struct found *f)
{
	memset(f, 0, sizeof *f);
	assert_int_equal(store_lado_people_near(c, dob, 100, collect, f), STORE_OK);
	return f->names;
}

static void a_year_either_side_and_swapped_day_month(void **state)
{
	struct fx *f = *state;
	add(f->c, "LowerBound", "2023-03-01"); /* 2024-02-29 less a year: 1 March 2023 */
	add(f->c, "DayBefore", "2023-02-28");
	add(f->c, "Inside", "2024-07-15");
	add(f->c, "UpperBound", "2025-03-01"); /* 2024-02-29 and a year: 1 March 2025 */
	add(f->c, "DayAfter", "2025-03-02");
	add(f->c, "SameDayMonth", "2000-02-29");
	add(f->c, "FarAway", "1990-06-10");
	add(f->c, "Swapped", "1980-10-06"); /* 10 June asked as 6 October */
	struct found got;
	/* ids ascending: the order in which they were added */
	assert_string_equal(near(f->c, "2024-02-29", &got), "LowerBound Inside UpperBound SameDayMonth");
	assert_string_equal(near(f->c, "2011-06-10", &got), "FarAway Swapped");
	assert_string_equal(near(f->c, "2024-12-31", &got), "Inside UpperBound DayAfter");
	/* not a date: no year's window, the day-and-month comparisons find nobody */
	assert_string_equal(near(f->c, "not a date", &got), "");
	assert_int_equal(got.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(a_year_either_side_and_swapped_day_month, setup, fx_teardown),
	};
	fprintf(stderr, "store lado on %s\n", fx_engine());
	return cmocka_run_group_tests_name(fx_engine(), tests, NULL, NULL);
}
