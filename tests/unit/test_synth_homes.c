/* Unit tests for synth/homes, both styles (a: homes.c, b: homes2.c): option bounds, determinism, a home
 * independent of how many there are, the invariants between the streams (nights, dates, onsets), stopping,
 * the sweep's scales, and style a's samplers' moments (style b's: test_synth_homes2.c). The .c is included
 * (as h2o's tests do) to reach the static samplers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "synth/homes.c"

/* ---- a digest of everything emitted, and checks as rows go by ---- */

struct seen {
	uint64_t hash;
	int homes, harmful, stop_after;
	long months, incidents, empty_months;
	/* the current home */
	int places;
	char home_id[12];
	int nights[SYNTH_HOMES_MAX_MONTHS + 1];
	char last_date[11];
	int lo, hi, months_per_home;
};

static void feed(struct seen *s, const char *str, long v)
{
	for (const char *p = str; *p; p++)
		s->hash = (s->hash ^ (unsigned char)*p) * 0x100000001b3ULL;
	s->hash = (s->hash ^ (uint64_t)v) * 0x100000001b3ULL;
}

static int on_home(const struct synth_home *h, void *ctx)
{
	struct seen *s = ctx;
	if (s->stop_after && s->homes + 1 == s->stop_after) {
		s->homes++;
		return 42; /* before hashing: a stopped run's digest covers the whole homes before it */
	}
	feed(s, h->home_id, h->places);
	feed(s, h->name, 0);
	feed(s, h->provider, 0);
	feed(s, h->la_code, 0);
	feed(s, h->specialism, 0);
	feed(s, h->rating, 0);
	assert_int_equal(strlen(h->home_id), 8);
	assert_true(h->places >= 1 && h->places <= 10); /* a: 2-8; b: 1-10 */
	assert_int_equal(strlen(h->la_code), 3);
	memcpy(s->home_id, h->home_id, sizeof s->home_id);
	s->places = h->places;
	s->last_date[0] = '\0';
	s->homes++;
	return 0;
}

static int on_month(const struct synth_home_month *m, void *ctx)
{
	struct seen *s = ctx;
	int y = atoi(m->month), mo = atoi(m->month + 5);
	feed(s, m->month, m->child_nights);
	assert_string_equal(m->home->home_id, s->home_id);
	assert_int_equal(strlen(m->month), 7);
	assert_true(m->child_nights >= 0 && m->child_nights <= s->places * days_in(y, mo));
	assert_true(m->month_no >= 1 && m->month_no <= s->months_per_home);
	s->nights[m->month_no] = m->child_nights;
	s->months++;
	s->empty_months += m->child_nights == 0;
	return 0;
}

static int on_incident(const struct synth_home_incident *i, void *ctx)
{
	struct seen *s = ctx;
	feed(s, i->date, i->type);
	assert_string_equal(i->home->home_id, s->home_id);
	assert_true(strcmp(i->date, s->last_date) >= 0); /* in date order within a home */
	memcpy(s->last_date, i->date, sizeof s->last_date);
	int y = atoi(i->date), mo = atoi(i->date + 5), d = atoi(i->date + 8);
	assert_true(d >= 1 && d <= days_in(y, mo));
	int n = (y - 2023) * 12 + mo; /* the tests start in 2023-01 */
	assert_true(n >= 1 && n <= s->months_per_home);
	assert_true(s->nights[n] > 0);
	assert_true((unsigned)i->type < SYNTH_INC_NTYPES);
	s->incidents++;
	return 0;
}

static int on_truth(const struct synth_home_truth *t, void *ctx)
{
	struct seen *s = ctx;
	feed(s, t->onset_month, t->harmful * 1000 + t->onset_month_no);
	if (t->harmful) {
		assert_true(t->onset_month_no >= s->lo && t->onset_month_no <= s->hi);
		assert_int_equal(strlen(t->onset_month), 7);
		s->harmful++;
	} else {
		assert_int_equal(t->onset_month_no, 0);
		assert_string_equal(t->onset_month, "");
	}
	return 0;
}

static int run(struct synth_homes_opts *o, struct seen *s)
{
	struct synth_homes_sink sink = {on_home, on_month, on_incident, on_truth, s, NULL};
	int stop = s->stop_after;
	memset(s, 0, sizeof *s);
	s->stop_after = stop;
	s->hash = 0xcbf29ce484222325ULL;
	s->months_per_home = o->months;
	synth_homes_onset_range(o->months, &s->lo, &s->hi);
	return synth_homes_generate(o, &sink);
}

static int style = SYNTH_HOMES_STYLE_A; /* each test runs for both styles (main) */

static struct synth_homes_opts opts(uint64_t seed, int homes, int months, double pct)
{
	struct synth_homes_opts o;
	synth_homes_defaults(&o);
	o.seed = seed;
	o.homes = homes;
	o.months = months;
	o.harmful_pct = pct;
	o.style = style;
	return o;
}

static void options_out_of_range(void **state)
{
	struct seen s = {0};
	struct synth_homes_opts o;
	o = opts(1, 0, 36, 5);
	assert_int_equal(run(&o, &s), -1);
	o = opts(1, SYNTH_HOMES_MAX + 1, 36, 5);
	assert_int_equal(run(&o, &s), -1);
	o = opts(1, 10, SYNTH_HOMES_MIN_MONTHS - 1, 5);
	assert_int_equal(run(&o, &s), -1);
	o = opts(1, 10, SYNTH_HOMES_MAX_MONTHS + 1, 5);
	assert_int_equal(run(&o, &s), -1);
	o = opts(1, 10, 36, 101);
	assert_int_equal(run(&o, &s), -1);
	o = opts(1, 10, 36, 5);
	o.start_month = 13;
	assert_int_equal(run(&o, &s), -1);
	o = opts(1, 10, 36, 5);
	o.style = 2;
	assert_int_equal(run(&o, &s), -1);
	o = opts(1, 10, 36, 5);
	o.harm_scale = SYNTH_HOMES_SCALE_MAX * 1.01;
	assert_int_equal(run(&o, &s), -1);
	o = opts(1, 10, 36, 5);
	o.rate_scale = SYNTH_HOMES_SCALE_MIN * 0.99;
	assert_int_equal(run(&o, &s), -1);
	o = opts(1, 10, 36, -0.01);
	assert_int_equal(run(&o, &s), -1);
	assert_int_equal(s.homes, 0); /* nothing emitted */
}

static void defaults_and_onsets(void **state)
{
	struct synth_homes_opts o;
	int lo, hi;
	synth_homes_defaults(&o);
	assert_int_equal(o.homes, 2000);
	assert_int_equal(o.months, 36);
	assert_int_equal(o.harmful_pct, 5);
	synth_homes_onset_range(36, &lo, &hi);
	assert_int_equal(lo, 13);
	assert_int_equal(hi, 30);
	synth_homes_onset_range(SYNTH_HOMES_MIN_MONTHS, &lo, &hi);
	assert_true(lo >= 2 && lo <= hi && hi <= SYNTH_HOMES_MIN_MONTHS);
	assert_string_equal(synth_incident_type_name(SYNTH_INC_SELF_HARM), "self_harm");
	assert_string_equal(synth_incident_type_name(SYNTH_INC_NTYPES), "");
}

static void same_seed_same_rows(void **state)
{
	struct seen a = {0}, b = {0}, c = {0};
	struct synth_homes_opts o = opts(5, 60, 24, 20), p = opts(6, 60, 24, 20);
	assert_int_equal(run(&o, &a), 0);
	assert_int_equal(run(&o, &b), 0);
	assert_int_equal(run(&p, &c), 0);
	assert_true(a.hash == b.hash);
	assert_true(a.hash != c.hash);
	assert_int_equal(a.homes, 60);
	assert_int_equal(a.months, 60 * 24);
	assert_true(a.incidents > 1000);
}

/* Home i is the same home whether the run has 10 homes or 50: stop the 50 at the 11th and compare. */
static void a_home_does_not_depend_on_the_count(void **state)
{
	struct seen a = {0}, b = {0};
	struct synth_homes_opts o = opts(9, 10, 24, 30), p = opts(9, 50, 24, 30);
	assert_int_equal(run(&o, &a), 0);
	b.stop_after = 11;
	assert_int_equal(run(&p, &b), 42);
	assert_int_equal(b.homes, 11);
	assert_true(a.hash == b.hash);
	assert_int_equal(a.incidents, b.incidents);
}

static void harmful_share_follows_option(void **state)
{
	struct seen s = {0};
	struct synth_homes_opts o = opts(3, 400, 36, 0);
	assert_int_equal(run(&o, &s), 0);
	assert_int_equal(s.harmful, 0);
	o = opts(3, 400, 36, 100);
	assert_int_equal(run(&o, &s), 0);
	assert_int_equal(s.harmful, 400);
	o = opts(3, 2000, 36, 5);
	assert_int_equal(run(&o, &s), 0);
	/* binomial(2000, 0.05): 100 +- 10 */
	assert_true(s.harmful >= 60 && s.harmful <= 140);
	/* Homes stand empty now and then, but rarely (style b: more, solo homes between placements and homes
	 * not yet open or closed). */
	assert_true(s.empty_months > 0 && s.empty_months < s.months / (style == SYNTH_HOMES_STYLE_A ? 10 : 4));
	o = opts(3, 2000, 36, 2.5); /* hundredths of a percent */
	assert_int_equal(run(&o, &s), 0);
	assert_true(s.harmful >= 25 && s.harmful <= 75);
}

/* The sweep's scales: 1 changes nothing; other values change the rows, and each moves what it names. */
static void scales_move_what_they_name(void **state)
{
	struct seen a = {0}, b = {0};
	struct synth_homes_opts o = opts(4, 300, 24, 30), p = o;
	p.rate_scale = p.dispersion_scale = p.harm_scale = p.season_scale = 1.0;
	assert_int_equal(run(&o, &a), 0);
	assert_int_equal(run(&p, &b), 0);
	assert_true(a.hash == b.hash);
	p.rate_scale = 2;
	assert_int_equal(run(&p, &b), 0);
	assert_true(b.incidents > a.incidents * 17 / 10 && b.incidents < a.incidents * 23 / 10);
	p = o;
	p.rate_scale = 0.5;
	assert_int_equal(run(&p, &b), 0);
	assert_true(b.incidents > a.incidents * 4 / 10 && b.incidents < a.incidents * 6 / 10);
	/* Stronger harm: more incidents (30% of homes harmful), the same homes and onsets. */
	p = o;
	p.harm_scale = 2;
	assert_int_equal(run(&p, &b), 0);
	assert_int_equal(b.harmful, a.harmful);
	assert_true(b.incidents > a.incidents);
	p = o;
	p.dispersion_scale = 2;
	assert_int_equal(run(&p, &b), 0);
	assert_true(a.hash != b.hash);
	p = o;
	p.season_scale = 0.5;
	assert_int_equal(run(&p, &b), 0);
	assert_true(a.hash != b.hash);
}

static void a_callback_stops_the_run(void **state)
{
	struct seen s = {0};
	struct synth_homes_opts o = opts(1, 100, 12, 5);
	s.stop_after = 3;
	assert_int_equal(run(&o, &s), 42);
	assert_int_equal(s.homes, 3);
	assert_int_equal(s.months, 2 * 12);
}

static void gamma_has_mean_one_and_variance_one_over_k(void **state)
{
	struct rng r;
	rng_seed(&r, 77);
	const double ks[] = {1.0, TYPE_SHAPE, HOME_SHAPE};
	for (size_t i = 0; i < sizeof ks / sizeof ks[0]; i++) {
		double sum = 0, sq = 0;
		const int n = 200000;
		for (int j = 0; j < n; j++) {
			double x = rng_gamma1(&r, ks[i]);
			assert_true(x > 0);
			sum += x;
			sq += x * x;
		}
		double mean = sum / n, var = sq / n - mean * mean;
		assert_true(fabs(mean - 1.0) < 0.01);
		assert_true(fabs(var - 1.0 / ks[i]) < 0.03 / ks[i] + 0.01);
	}
}

static void poisson_has_mean_and_variance_lambda(void **state)
{
	struct rng r;
	rng_seed(&r, 78);
	const double lambdas[] = {0.0, 0.3, 3.0, 75.0}; /* 75: the split path, beyond exp's comfort */
	for (size_t i = 0; i < sizeof lambdas / sizeof lambdas[0]; i++) {
		double sum = 0, sq = 0, l = lambdas[i];
		const int n = 100000;
		for (int j = 0; j < n; j++) {
			int x = rng_poisson(&r, l);
			assert_true(x >= 0);
			sum += x;
			sq += (double)x * x;
		}
		double mean = sum / n, var = sq / n - mean * mean;
		assert_true(fabs(mean - l) < 0.02 * l + 0.005);
		assert_true(fabs(var - l) < 0.05 * l + 0.01);
	}
}

/* Style b is another process, not style a with other constants: the same options give other rows. */
static void the_styles_differ(void **state)
{
	struct seen a = {0}, b = {0};
	struct synth_homes_opts o = opts(2, 50, 24, 10);
	o.style = SYNTH_HOMES_STYLE_A;
	assert_int_equal(run(&o, &a), 0);
	o.style = SYNTH_HOMES_STYLE_B;
	assert_int_equal(run(&o, &b), 0);
	assert_true(a.hash != b.hash);
	assert_int_equal(a.homes, b.homes);
	assert_int_equal(a.months, b.months);
}

static int use_a(void **state)
{
	style = SYNTH_HOMES_STYLE_A;
	return 0;
}

static int use_b(void **state)
{
	style = SYNTH_HOMES_STYLE_B;
	return 0;
}

int main(void)
{
	const struct CMUnitTest both[] = {
	    cmocka_unit_test(options_out_of_range),
	    cmocka_unit_test(same_seed_same_rows),
	    cmocka_unit_test(a_home_does_not_depend_on_the_count),
	    cmocka_unit_test(harmful_share_follows_option),
	    cmocka_unit_test(a_callback_stops_the_run),
	    cmocka_unit_test(scales_move_what_they_name),
	};
	const struct CMUnitTest a_only[] = {
	    cmocka_unit_test(defaults_and_onsets),
	    cmocka_unit_test(the_styles_differ),
	    cmocka_unit_test(gamma_has_mean_one_and_variance_one_over_k),
	    cmocka_unit_test(poisson_has_mean_and_variance_lambda),
	};
	int rc = cmocka_run_group_tests_name("style a", both, use_a, NULL);
	rc += cmocka_run_group_tests_name("style b", both, use_b, NULL);
	rc += cmocka_run_group_tests_name("either", a_only, use_a, NULL);
	return rc;
}
