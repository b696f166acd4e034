/* Unit tests for lib/dynlib: a library opened on first use, its functions bound into a typed table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "lib/dynlib.h"

/* libm's, as a caller would declare its table: one typed pointer a name, in the names' order. */
static const char *const names[] = {"cos", "fabs"};
struct mtab {
	__typeof__(cos) *cos_;
	__typeof__(fabs) *fabs_;
};

static void binds_every_name_in_order(void **state)
{
	(void)state;
	struct mtab t = {0};
	char err[256] = "";
	assert_true(dynlib_open("libm.so.6", "libm (a test)", names, 2, &t, err, sizeof err));
	assert_string_equal(err, "");
	assert_non_null(t.cos_);
	assert_non_null(t.fabs_);
	/* Each slot holds the function its name names: the table's order is the names' order. */
	assert_true(t.cos_(0.0) == 1.0);
	assert_true(t.fabs_(-2.5) == 2.5);
}

static void a_missing_library_is_named_and_leaves_the_table(void **state)
{
	(void)state;
	struct mtab t = {0};
	char err[256] = "";
	assert_false(dynlib_open("libsafeguard-none.so.0", "libnone (for a test)", names, 2, &t, err, sizeof err));
	assert_non_null(strstr(err, "cannot load libnone (for a test): "));
	assert_non_null(strstr(err, "libsafeguard-none.so.0"));
	assert_null(t.cos_);
	assert_null(t.fabs_);
}

static void a_missing_function_is_named_and_binds_nothing(void **state)
{
	(void)state;
	static const char *const bad[] = {"cos", "no_such_function_here"};
	struct mtab t = {0};
	char err[256] = "";
	assert_false(dynlib_open("libm.so.6", "libm (a test)", bad, 2, &t, err, sizeof err));
	assert_non_null(strstr(err, "cannot load libm (a test): no no_such_function_here: "));
	assert_null(t.cos_); /* nothing bound, not even the names before the missing one */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(binds_every_name_in_order),
		cmocka_unit_test(a_missing_library_is_named_and_leaves_the_table),
		cmocka_unit_test(a_missing_function_is_named_and_binds_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
