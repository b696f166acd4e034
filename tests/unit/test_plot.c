/* Unit tests for lib/plot: the geometry of the funnel plots and CUSUM charts (web/homes.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "lib/plot.h"
#include "oversight/oversight.h"

/* The funnel plot's frame as web/homes.c draws it, and a CUSUM chart's. */
static const struct plot funnel = {720, 440, 60, 20, 20, 50, 42.0, 4.0};
static const struct plot cusum = {640, 170, 44, 12, 10, 28, 35.0, 6.5};

static void corners(void **state)
{
	(void)state;
	assert_float_equal(plot_x(&funnel, 0), 60, 1e-12);
	assert_float_equal(plot_x(&funnel, 42), 700, 1e-12);
	assert_float_equal(plot_x(&funnel, 21), 380, 1e-12); /* halfway */
	assert_float_equal(plot_y(&funnel, 0), 390, 1e-12);
	assert_float_equal(plot_y(&funnel, 4), 20, 1e-12);
	assert_float_equal(plot_y(&funnel, 1), 390 - 370 / 4.0, 1e-12); /* the target line */
}

static bool inside(const struct plot *g, double x, double y)
{
	return x >= g->left && x <= g->w - g->right && y >= g->top && y <= g->h - g->bottom;
}

static void every_point_inside_the_area(void **state)
{
	(void)state;
	const struct plot *gs[] = {&funnel, &cusum};
	const double odd[] = {-1e9, -1, 0, 1e-300, 1e300, INFINITY, -INFINITY, NAN};
	for (size_t k = 0; k < 2; k++) {
		const struct plot *g = gs[k];
		for (int i = -20; i <= 60; i++) {
			double x = g->xmax * i / 40.0, y = g->ymax * i / 40.0;
			assert_true(inside(g, plot_x(g, x), plot_y(g, y)));
		}
		for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++)
			assert_true(inside(g, plot_x(g, odd[i]), plot_y(g, odd[i])));
	}
	/* A chart with nothing to scale by (no months, no expected counts) still draws inside. */
	struct plot flat = funnel;
	flat.xmax = 0;
	flat.ymax = NAN;
	assert_true(inside(&flat, plot_x(&flat, 3), plot_y(&flat, 0.5)));
	assert_false(isnan(plot_x(&flat, 3)) || isnan(plot_y(&flat, 0.5)));
}

static void monotone(void **state)
{
	(void)state;
	double px = -1, py = 1e9;
	for (int i = 0; i <= 400; i++) {
		double v = i / 50.0; /* 0 to 8: past ymax, then flat on the edge */
		assert_true(plot_x(&funnel, v * 5) >= px);
		assert_true(plot_y(&funnel, v) <= py); /* SVG y grows downwards: higher values are higher up */
		px = plot_x(&funnel, v * 5);
		py = plot_y(&funnel, v);
	}
}

/* The funnel's limits, drawn: the upper limit falls and the lower rises towards 1 as the expected count
 * grows, the 99.8% limits lie outside the 95% ones, and 1 lies between them at every E. */
static void funnel_limits_drawn_in_order(void **state)
{
	(void)state;
	struct ov_funnel f = {.n = 10, .phi = 1.4, .tau2 = 0.04};
	double prev_hi = 1e9, prev_lo = -1;
	for (int i = 0; i <= 80; i++) {
		double e = 0.2 + (funnel.xmax - 0.2) * i / 80.0;
		double hi95 = plot_y(&funnel, ov_funnel_limit(&f, e, 1.96, true));
		double hi998 = plot_y(&funnel, ov_funnel_limit(&f, e, 3.09, true));
		double lo95 = plot_y(&funnel, ov_funnel_limit(&f, e, 1.96, false));
		double lo998 = plot_y(&funnel, ov_funnel_limit(&f, e, 3.09, false));
		double one = plot_y(&funnel, 1);
		assert_true(hi998 <= hi95 && hi95 < one && one < lo95 && lo95 <= lo998);
		assert_true(hi95 >= prev_hi - 1e-9 || i == 0); /* upper limit falls: its y grows */
		assert_true(lo95 <= prev_lo + 1e-9 || i == 0);
		prev_hi = hi95;
		prev_lo = lo95;
		assert_true(inside(&funnel, plot_x(&funnel, e), hi998) && inside(&funnel, plot_x(&funnel, e), lo998));
	}
}

static void ticks(void **state)
{
	(void)state;
	double step = plot_x(&funnel, plot_tick(funnel.xmax, 4, 1)) - plot_x(&funnel, plot_tick(funnel.xmax, 4, 0));
	assert_float_equal(plot_x(&funnel, plot_tick(funnel.xmax, 4, 0)), funnel.left, 1e-12);
	assert_float_equal(plot_x(&funnel, plot_tick(funnel.xmax, 4, 4)), funnel.w - funnel.right, 1e-12);
	for (int i = 1; i <= 4; i++) {
		double a = plot_x(&funnel, plot_tick(funnel.xmax, 4, i - 1)), b = plot_x(&funnel, plot_tick(funnel.xmax, 4, i));
		assert_float_equal(b - a, step, 1e-9);
		assert_true(step > 0);
	}
	assert_float_equal(plot_tick(4.0, 4, 2), 2.0, 1e-12);
	assert_float_equal(plot_y(&funnel, plot_tick(funnel.ymax, 4, 4)), funnel.top, 1e-12);
	assert_float_equal(plot_tick(5, 0, 3), 0, 0);
}

/* Issue 15: the axis is scaled to the data, in round steps, so a ratio of 5.06 is below the top. */
static void nice_max(void **state)
{
	(void)state;
	double step = 0;
	assert_float_equal(plot_nice_max(5.06 * 1.1, 5, &step), 6, 1e-12);
	assert_float_equal(step, 2, 1e-12);
	assert_float_equal(plot_nice_max(4.0, 4, &step), 4, 1e-12);
	assert_float_equal(step, 1, 1e-12);
	assert_float_equal(plot_nice_max(42.3, 4, &step), 60, 1e-12);
	assert_float_equal(step, 20, 1e-12);
	assert_float_equal(plot_nice_max(0.37, 5, &step), 0.4, 1e-12);
	assert_float_equal(plot_nice_max(0, 4, &step), 1, 1e-12);
	assert_float_equal(plot_nice_max(NAN, 4, NULL), 1, 1e-12);
	for (int i = 1; i < 2000; i++) {
		double v = i * 0.037, top = plot_nice_max(v, 5, &step);
		assert_true(top >= v - 1e-9);
		assert_true(top / step <= 5 + 1e-9);
		assert_true(top - step < v + 1e-9); /* no whole step to spare */
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(corners),
		cmocka_unit_test(every_point_inside_the_area),
		cmocka_unit_test(monotone),
		cmocka_unit_test(funnel_limits_drawn_in_order),
		cmocka_unit_test(ticks),
		cmocka_unit_test(nice_max),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
