/* Unit tests for synth/homes2 (style b): its own samplers' moments, the harm it plants (a ramp, then a
 * rise; complaints never rise), and what makes it differ (homes that open late, short stays). The .c is
 * included (as h2o's tests do) to reach the static parts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "synth/homes2.c"

static void gamma_has_mean_one_and_variance_one_over_k(void **state)
{
	struct rng r;
	rng_seed(&r, 91);
	const double ks[] = {0.6, 1.0, CHILD_DISTRESS_SHAPE, BURST_SHAPE, 8.0};
	for (size_t i = 0; i < sizeof ks / sizeof ks[0]; i++) {
		double sum = 0, sq = 0;
		const int n = 200000;
		for (int j = 0; j < n; j++) {
			double x = gamma_m1(&r, ks[i]);
			assert_true(x > 0);
			sum += x;
			sq += x * x;
		}
		double mean = sum / n, var = sq / n - mean * mean;
		assert_true(fabs(mean - 1.0) < 0.015);
		assert_true(fabs(var - 1.0 / ks[i]) < 0.05 / ks[i] + 0.01);
	}
}

static void poisson_has_mean_and_variance_lambda(void **state)
{
	struct rng r;
	rng_seed(&r, 92);
	const double lambdas[] = {0.0, 0.2, 4.0, 19.9, 55.0};
	for (size_t i = 0; i < sizeof lambdas / sizeof lambdas[0]; i++) {
		double sum = 0, sq = 0, l = lambdas[i];
		const int n = 100000;
		for (int j = 0; j < n; j++) {
			int x = poisson(&r, l);
			assert_true(x >= 0);
			sum += x;
			sq += (double)x * x;
		}
		double mean = sum / n, var = sq / n - mean * mean;
		assert_true(fabs(mean - l) < 0.02 * l + 0.005);
		assert_true(fabs(var - l) < 0.05 * l + 0.01);
	}
}

/* Per home: restraint + injury + missing by month, complaints by month, nights, truth. */
struct tally {
	int homes, cur;
	double core[400][36], compl[400][36], nights[400][36];
	int onset[400];
	int short_breaks_months, short_breaks_full;
	char spec[400][24];
};

static int t_home(const struct synth_home *h, void *ctx)
{
	struct tally *t = ctx;
	t->cur = t->homes++;
	snprintf(t->spec[t->cur], sizeof t->spec[0], "%s", h->specialism);
	return 0;
}

static int t_month(const struct synth_home_month *m, void *ctx)
{
	struct tally *t = ctx;
	t->nights[t->cur][m->month_no - 1] = m->child_nights;
	return 0;
}

static int t_incident(const struct synth_home_incident *i, void *ctx)
{
	struct tally *t = ctx;
	int n = (atoi(i->date) - 2023) * 12 + atoi(i->date + 5) - 1;
	if (i->type == SYNTH_INC_RESTRAINT || i->type == SYNTH_INC_INJURY || i->type == SYNTH_INC_MISSING)
		t->core[t->cur][n]++;
	if (i->type == SYNTH_INC_COMPLAINT)
		t->compl[t->cur][n]++;
	return 0;
}

static int t_truth(const struct synth_home_truth *tr, void *ctx)
{
	struct tally *t = ctx;
	t->onset[t->cur] = tr->harmful ? tr->onset_month_no : 0;
	return 0;
}

/* Harmful homes record more restraints, injuries and missing episodes per child-night after the onset
 * than before, and (on the whole) fewer complaints; homes that stay safe do not change so. */
static void harm_raises_the_pattern_and_silences(void **state)
{
	static struct tally t;
	memset(&t, 0, sizeof t);
	struct synth_homes_opts o;
	synth_homes_defaults(&o);
	o.style = SYNTH_HOMES_STYLE_B;
	o.homes = 400;
	o.months = 36;
	o.harmful_pct = 50;
	o.seed = 5;
	struct synth_homes_sink sink = {t_home, t_month, t_incident, t_truth, &t, NULL};
	assert_int_equal(synth_homes2_generate(&o, &sink), 0);
	assert_int_equal(t.homes, 400);
	double before[2] = {0}, after[2] = {0}, nb[2] = {0}, na[2] = {0}, cb = 0, ca = 0;
	int harmful = 0, late_openers = 0;
	for (int h = 0; h < 400; h++) {
		int split = t.onset[h] ? t.onset[h] - 1 : 18, g = t.onset[h] != 0;
		harmful += g;
		late_openers += t.nights[h][0] == 0 && t.nights[h][1] == 0 && t.nights[h][20] > 0;
		for (int n = 0; n < 36; n++) {
			bool post = n >= split + (g ? RAMP_MAX : 0); /* after the ramp */
			if (n >= split && !post)
				continue;
			(post ? after : before)[g] += t.core[h][n];
			(post ? na : nb)[g] += t.nights[h][n];
			if (g)
				*(post ? &ca : &cb) += t.compl[h][n];
		}
	}
	assert_true(harmful > 150 && harmful < 210);
	double rise_harm = (after[1] / na[1]) / (before[1] / nb[1]), rise_safe = (after[0] / na[0]) / (before[0] / nb[0]);
	assert_true(rise_harm > 1.6);
	assert_true(rise_safe > 0.85 && rise_safe < 1.2); /* a slight area-wide trend in restraints */
	assert_true((ca / na[1]) / (cb / nb[1]) < 0.9);
	assert_true(late_openers > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(gamma_has_mean_one_and_variance_one_over_k),
	    cmocka_unit_test(poisson_has_mean_and_variance_lambda),
	    cmocka_unit_test(harm_raises_the_pattern_and_silences),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
