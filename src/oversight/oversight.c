/*
 * oversight/oversight.c — the statistics of continuous oversight (contract: oversight.h; the methods and
 * every decision in words: docs/OVERSIGHT.md).
 */
#include <stddef.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "lib/rng.h"
#include "oversight/oversight.h"

static const char *const names[OV_NIND + 1] = {"restraint", "injury",       "missing",    "police",  "complaint",
						"self_harm", "notification", "allegation", "combined"};

const char *ov_indicator_name(int k)
{
	return k >= 0 && k <= OV_NIND ? names[k] : "";
}

int ov_indicator_from_name(const char *name)
{
	for (int k = 0; name && k < OV_NIND; k++)
		if (strcmp(name, names[k]) == 0)
			return k;
	return -1;
}

void ov_settings_default(struct ov_settings *s)
{
	memset(s, 0, sizeof *s);
	/* A rise by half, and its mirror on the log scale: the smallest sustained change the charts are built to
	 * find soon (a CUSUM tuned to a rise finds larger ones sooner still; the robustness harness's weakest
	 * harm is a 1.4-1.7-fold rise). A choice of what matters, not a fit to either simulator
	 * (docs/OVERSIGHT.md gives what 2 and 1.75 do instead). */
	s->rho_up = 1.5;
	s->rho_down = 1 / 1.5;
	s->rate_prior_count = 0.5; /* half an event: a continuity correction, so no rate is 0 */
	s->dispersion_max = 5.0;   /* a guard against runaway moments, far above any variance measured */
	s->negative_binomial = true;
	s->month_factor = true;
	s->slow_part = false; /* measured: the check below keeps the budget without it, and it finds more */
	/* The in-control null drifts as real homes' levels do (a child arrives, stays, leaves): the threshold
	 * simulation draws the slow part fitted from the panel while the filter keeps its lasting level (it must
	 * not follow drift: it would follow harm too). That null is fitted with the harmful homes' rises in it,
	 * so it is noisier than the panel's in-control homes: the model check may scale it down to the panel's
	 * charts as well as up (to an eighth; a guard, not a fit: the check's bisection needs a floor).
	 * Measured over the robustness grid of both simulators (docs/OVERSIGHT.md, docs/BENCHMARKS.md). */
	s->slow_part_sim = true;
	s->check_floor = 0.125;
	/* The pair (a second combined chart tuned to a rise by a quarter, calibrated with the first to the
	 * combined family's whole share) is off: measured over the grid of seeds 1 and 2 it found more in
	 * some cells, later, and one in-control area went over the budget (docs/OVERSIGHT.md "The pair"). */
	s->rho_pair = 0;
	s->chart_down[OV_COMPLAINT] = true;
	s->chart_down[OV_NOTIFICATION] = true;
	s->combined_up[OV_RESTRAINT] = true;
	s->combined_up[OV_INJURY] = true;
	s->combined_up[OV_MISSING] = true;
	s->combined_down[OV_COMPLAINT] = true;
	s->false_alarms_per_100_home_years = 5.0; /* issue 6 */
	/* Issue 16 reads the budget in one area: a limit its own count must meet, not an average over areas.
	 * 90% one-sided (z = 1.28): one area in ten may still go over by its own chance, the usual level for
	 * a limit checked once (docs/OVERSIGHT.md "The budget as a limit"). */
	s->budget_confidence = 0.9;
	/* One percent of the budget to each single-indicator chart (eight up, two down), the rest to the chart
	 * built for the harm pattern: on both simulators the combined chart made 171 of 172 first detections
	 * with 80% of the budget (docs/OVERSIGHT.md), so the single charts watch for patterns outside it. */
	s->share[OV_FAMILY_UP] = 0.08;
	s->share[OV_FAMILY_DOWN] = 0.02;
	s->share[OV_FAMILY_COMBINED] = 0.9;
	s->seed = 20050101; /* any fixed value: the thresholds must not change from run to run */
	s->threads = 1;     /* the CLI sets the cores online; the same thresholds at any number */
	s->sim_home_months = 240000;
	s->fit_check = 0.8;
	/* The harm pattern judged against how the indicators move together in control (what moves with it in
	 * control, a distressed child's self-harm, one incident recorded twice, takes weight from it), with the
	 * drifting null and the two-way check above: the budget held on every area of the grid where the joint
	 * chart alone did not (docs/OVERSIGHT.md). */
	s->combined_joint = true;
	/* The Regulation 44 visitor's opinion whether children are effectively safeguarded, when the panel
	 * carries it, in the combined chart: evidence of the same harm from someone who has been in the home.
	 * Its alternative, the odds of a "not effectively safeguarded" opinion three times the home's usual,
	 * is the smallest rise a year of monthly visits can show: at the usual few percent, a year brings about
	 * 0.4 such opinions, and a rise by half (rho_up) would be a fifth of one (docs/OVERSIGHT.md). */
	s->reg44 = true;
	s->rho_reg44 = 3.0;
	/* The null's tail from the panel (round 12): the combined chart's threshold also read from the panel's
	 * own increments, resampled in blocks within each home up to its first signal. On the 48 departure
	 * areas of round 9 the harm-free areas over the budget fell from 7 to 2 (docs/OVERSIGHT.md). The block
	 * length follows the months: ceil(months^(1/3)), the usual order of a block bootstrap's block. */
	s->boot_block = -1;
	/* Round 18: the single charts' thresholds read from the panel's own increments as well. On areas where
	 * homes record a quarter's incidents in one month, or step up their recording of one indicator, the
	 * check settled the single charts' null below their tail and they raised 3-4 times their share
	 * (docs/OVERSIGHT.md "The single charts' tail from the panel"). */
	s->boot_single = true;
	/* A home with few expected incidents cannot show a rise by half within a year: its combined chart is
	 * tuned to the rise a year of its counts can show at two standard errors, 1 + 2 / sqrt(12 Ebar), where
	 * that is above rho_up (round 14; docs/OVERSIGHT.md "Small homes"). Ebar is the peers' rate at the home's
	 * children, learnt from the panel. */
	s->rise_year_z = 2;
}

/* ---- Fit ------------------------------------------------------------------------------------------ */

#define K OV_NIND
#define NCHART (2 * K + 1)
#define NW (NCHART + 1) /* a home-month's W: the charts, then the pair's second chart (w[2K + 1]) */

/* ---- Threads (ov_settings threads) ---------------------------------------------------------------- */

/* A loop over [0, n) in chunks of `chunk`, each chunk once, fn(ctx, lo, hi) on `threads` threads (the
 * caller one of them; fewer when a thread cannot start). Only for loops whose every index writes its own
 * outputs and reads what no index writes: the same values at any number of threads. */
struct pool {
	size_t n, chunk;
	atomic_size_t next;
	void (*fn)(void *ctx, size_t lo, size_t hi);
	void *ctx;
};

static void pool_take(struct pool *q)
{
	for (;;) {
		size_t lo = atomic_fetch_add(&q->next, 1) * q->chunk;
		if (lo >= q->n)
			break;
		q->fn(q->ctx, lo, lo + q->chunk < q->n ? lo + q->chunk : q->n);
	}
}

static void *pool_worker(void *arg)
{
	pool_take(arg);
	return NULL;
}

static void pool_for(unsigned threads, size_t n, size_t chunk, void (*fn)(void *ctx, size_t lo, size_t hi), void *ctx)
{
	if (threads <= 1 || n <= chunk) {
		if (n)
			fn(ctx, 0, n);
		return;
	}
	struct pool q = {.n = n, .chunk = chunk, .fn = fn, .ctx = ctx};
	pthread_t tid[OV_THREADS_MAX];
	unsigned started = 0;
	atomic_init(&q.next, 0);
	for (unsigned t = 1; t < threads && t < OV_THREADS_MAX; t++)
		if (pthread_create(&tid[started], NULL, pool_worker, &q) == 0)
			started++;
	pool_take(&q);
	for (unsigned t = 0; t < started; t++)
		pthread_join(tid[t], NULL);
}

static double clamp(double x, double hi)
{
	return !(x > 0) ? 0 : x > hi ? hi : x;
}

static int check_panel(const struct ov_panel *p)
{
	if (!p || (p->nhomes && (!p->group || !p->nights || !p->counts)))
		return OV_EINVALID;
	for (size_t h = 0; h < p->nhomes; h++)
		if (p->group[h] < 0 || (size_t)p->group[h] >= p->ngroups)
			return OV_EINVALID;
	for (size_t i = 0; i < p->nhomes * p->nmonths; i++)
		if (!(p->nights[i] >= 0) || !isfinite(p->nights[i]))
			return OV_EINVALID;
	return OV_OK;
}

int ov_expect(const struct ov_settings *s, const struct ov_panel *p, double *Ep)
{
	if (!s || !Ep || check_panel(p) != OV_OK)
		return OV_EINVALID;
	size_t nh = p->nhomes, nm = p->nmonths, ng = p->ngroups;
	/* Running sums over the months before the current one (month 0: itself), of counts O and of
	 * season-free exposure X (child-nights times the month's area factor): per group, over all homes, per
	 * home (taken out of its peers). b holds this month's season-free peer expectation per home. */
	double *gO = calloc((ng + 1) * K, sizeof *gO), *gX = calloc((ng + 1) * K, sizeof *gX);
	double *hO = calloc((nh + 1) * K, sizeof *hO), *hX = calloc((nh + 1) * K, sizeof *hX);
	double *b = calloc((nh + 1) * K, sizeof *b);
	double aO[K] = {0}, aX[K] = {0}, hist[K] = {0};
	int nhist = 0, rc = OV_ENOMEM;
	if (!gO || !gX || !hO || !hX || !b)
		goto out;
	for (size_t t = 0; t < nm; t++) {
		double factor[K];
		for (int k = 0; k < K; k++)
			factor[k] = 1;
		/* Month 0 has no history: its rates are its own (the factor 1). */
		for (size_t h = 0; t == 0 && h < nh; h++) {
			size_t g = (size_t)p->group[h], i = h * nm;
			double n = p->nights[i];
			for (int k = 0; n > 0 && k < K; k++) {
				double o = p->counts[i * K + k];
				gO[g * K + k] += o, gX[g * K + k] += n, aO[k] += o, aX[k] += n;
				hO[h * K + k] += o, hX[h * K + k] += n;
			}
		}
		double AO[K] = {0}, AB[K] = {0}, SOO[K] = {0}, SOB[K] = {0}, SBB[K] = {0};
		for (size_t h = 0; h < nh; h++) {
			size_t g = (size_t)p->group[h], i = h * nm + t;
			double n = p->nights[i];
			for (int k = 0; k < K; k++) {
				size_t j = h * K + k;
				double peerX = gX[g * K + k] - hX[j], peerO = gO[g * K + k] - hO[j];
				if (!(peerX > 1e-9)) /* no other home of the specialism has had children */
					peerX = aX[k] - hX[j], peerO = aO[k] - hO[j];
				if (peerO < 0)
					peerO = 0; /* rounding in the subtraction */
				b[j] = n > 0 && peerX > 1e-9 ? n * (peerO + s->rate_prior_count) / peerX : 0;
				if (!(b[j] > 0))
					continue;
				double o = p->counts[i * K + k];
				AO[k] += o, AB[k] += b[j], SOO[k] += o * o, SOB[k] += o * b[j], SBB[k] += b[j] * b[j];
			}
		}
		/* The area's factor this month: raw = AO / AB, sampling variance from the homes' residuals
		 * (sum (O - raw b)^2 / AB^2), shrunk to 1 by Z = sig2 / (sig2 + var), sig2 the mean over the
		 * months so far of (raw - 1)^2 - var (the factor's own spread between months). */
		double Z[K] = {0}, raw[K];
		if (t > 0 && s->month_factor)
			nhist++;
		for (int k = 0; k < K; k++) {
			raw[k] = AB[k] > 0 ? AO[k] / AB[k] : 1;
			double var = AB[k] > 0 ? (SOO[k] - 2 * raw[k] * SOB[k] + raw[k] * raw[k] * SBB[k]) / (AB[k] * AB[k]) : 0;
			if (t == 0 || !s->month_factor || !(AB[k] > 0))
				continue;
			hist[k] += (raw[k] - 1) * (raw[k] - 1) - var;
			double sig2 = hist[k] > 0 ? hist[k] / nhist : 0;
			Z[k] = sig2 > 0 ? sig2 / (sig2 + (var > 0 ? var : 0)) : 0;
			factor[k] = 1 + Z[k] * (raw[k] - 1);
		}
		for (size_t h = 0; h < nh; h++) {
			size_t i = h * nm + t;
			for (int k = 0; k < K; k++) {
				size_t j = h * K + k;
				double f = 1;
				/* The home's own month is left out of the factor it is judged by. */
				if (b[j] > 0 && Z[k] > 0 && AB[k] - b[j] > 1e-9)
					f = 1 + Z[k] * ((AO[k] - p->counts[i * K + k]) / (AB[k] - b[j]) - 1);
				Ep[i * K + k] = b[j] > 0 ? b[j] * (f > 0 ? f : 0) : 0;
			}
		}
		/* This month joins the history (month 0 already has). */
		for (size_t h = 0; t > 0 && h < nh; h++) {
			size_t g = (size_t)p->group[h], i = h * nm + t;
			double n = p->nights[i];
			for (int k = 0; n > 0 && k < K; k++) {
				double o = p->counts[i * K + k], x = n * factor[k];
				gO[g * K + k] += o, gX[g * K + k] += x, aO[k] += o, aX[k] += x;
				hO[h * K + k] += o, hX[h * K + k] += x;
			}
		}
	}
	rc = OV_OK;
out:
	free(gO);
	free(gX);
	free(hO);
	free(hX);
	free(b);
	return rc;
}

/* Months with children (Ep > 0 for some indicator). */
static bool has_children(const double *e)
{
	for (int k = 0; k < K; k++)
		if (e[k] > 0)
			return true;
	return false;
}

/* Weighted least squares of c[l] (l = 1..L-1, weights wt[l] > 0) on v + a phi^l with v, a >= 0 and
 * a <= c[0] - v (the slow part is part of the month's variance), phi on a grid 0, 0.02, .., 0.98 (phi = 0:
 * a lasting level alone); the best fit's v, a, phi. */
static void fit_decay(const double *c, const double *wt, size_t L, bool slow, double *v, double *a, double *phi)
{
	double best = INFINITY, top = c[0] > 0 ? c[0] : 0;
	*v = *a = *phi = 0;
	for (int gi = 0; gi < (slow ? 50 : 1); gi++) {
		double ph = gi * 0.02, S00 = 0, S01 = 0, S11 = 0, b0 = 0, b1 = 0;
		double f = 1;
		for (size_t l = 1; l < L; l++) {
			f *= ph;
			if (!(wt[l] > 0))
				continue;
			S00 += wt[l], S01 += wt[l] * f, S11 += wt[l] * f * f, b0 += wt[l] * c[l], b1 += wt[l] * c[l] * f;
		}
		if (!(S00 > 0))
			return;
		double det = S00 * S11 - S01 * S01, vv, aa = 0;
		if (det > 1e-12 * S00 * S11 && S11 > 0) {
			vv = (b0 * S11 - b1 * S01) / det;
			aa = (S00 * b1 - S01 * b0) / det;
		} else {
			vv = b0 / S00;
		}
		if (aa < 0)
			aa = 0, vv = b0 / S00;
		if (vv < 0) {
			vv = 0;
			aa = S11 > 0 && b1 > 0 ? b1 / S11 : 0;
		}
		if (vv + aa > top) {
			/* The slow part is part of the month's variance: a <= c[0] - v, v given the rest. */
			aa = top - vv > 0 ? top - vv : 0;
			vv = (b0 - aa * S01) / S00;
			if (vv < 0)
				vv = 0;
		}
		double sse = 0;
		f = 1;
		for (size_t l = 1; l < L; l++) {
			f *= ph;
			if (wt[l] > 0)
				sse += wt[l] * (c[l] - vv - aa * f) * (c[l] - vv - aa * f);
		}
		if (sse < best) {
			best = sse;
			*v = vv, *a = aa, *phi = aa > 0 ? ph : 0;
		}
	}
}

int ov_model_alloc(struct ov_model *m, size_t nhomes)
{
	memset(m, 0, sizeof *m);
	m->par = calloc(nhomes * K + 1, sizeof *m->par);
	m->shift_scale = malloc((nhomes + 1) * sizeof *m->shift_scale);
	if (!m->par || !m->shift_scale) {
		free(m->par);
		free(m->shift_scale);
		m->par = NULL, m->shift_scale = NULL;
		return OV_ENOMEM;
	}
	for (size_t h = 0; h < nhomes; h++)
		m->shift_scale[h] = 1;
	m->nhomes = nhomes;
	return OV_OK;
}

void ov_model_free(struct ov_model *m)
{
	if (!m)
		return;
	free(m->par);
	free(m->shift_scale);
	memset(m, 0, sizeof *m);
}

/* Random effects across groups (DerSimonian & Laird 1986): estimates a[g] with sampling variances
 * av[g] (< 0: no estimate) move towards their precision-weighted mean as far as their sampling variance
 * exceeds the spread between groups; a group without an estimate takes the mean. av receives each one's
 * remaining variance. */
static void pool_groups(double *a, double *av, size_t ng, size_t stride)
{
	double sw = 0, sw2 = 0, swc = 0, n = 0;
	for (size_t g = 0; g < ng; g++) {
		double v = av[g * stride];
		if (v < 0)
			continue;
		double w = 1 / (v > 1e-12 ? v : 1e-12);
		sw += w, sw2 += w * w, swc += w * a[g * stride], n++;
	}
	if (n == 0)
		return;
	double fe = swc / sw, Q = 0;
	for (size_t g = 0; g < ng; g++) {
		double v = av[g * stride];
		if (v >= 0)
			Q += (a[g * stride] - fe) * (a[g * stride] - fe) / (v > 1e-12 ? v : 1e-12);
	}
	double den = sw - sw2 / sw, tau2 = den > 0 && Q > n - 1 ? (Q - (n - 1)) / den : 0;
	double rw = 0, rwc = 0;
	for (size_t g = 0; g < ng; g++) {
		double v = av[g * stride];
		if (v >= 0)
			rw += 1 / (v + tau2 + 1e-300), rwc += a[g * stride] / (v + tau2 + 1e-300);
	}
	double re = rwc / rw, mv = 1 / rw;
	for (size_t g = 0; g < ng; g++) {
		double *ag = &a[g * stride], *vg = &av[g * stride], v = *vg;
		if (v < 0) {
			*ag = re, *vg = mv + tau2;
		} else if (tau2 > 0) {
			double pw = 1 / (v > 1e-12 ? v : 1e-12) + 1 / tau2;
			*ag = (*ag / (v > 1e-12 ? v : 1e-12) + re / tau2) / pw;
			*vg = 1 / pw;
		} else {
			*ag = re, *vg = mv;
		}
	}
}

/* ---- Regulation 44 opinions ------------------------------------------------------------------------ */

#define R44_P_MIN 0.001
#define R44_P_MAX 0.5

static bool reg44_on(const struct ov_settings *s, const struct ov_panel *p)
{
	return s->reg44 && p->reg44 && s->rho_reg44 > 0 && s->rho_reg44 != 1;
}

/* Each specialism's share of "not effectively safeguarded" opinions over the reports before month t (month
 * 0, or no report before: up to and including t), (concerns + 0.5) / (reports + 1); share[g * nm + t]. */
static int reg44_share(const struct ov_panel *p, double *share)
{
	size_t nm = p->nmonths, ng = p->ngroups;
	double *cn = calloc(ng * nm + 1, sizeof *cn), *rp = calloc(ng * nm + 1, sizeof *rp);
	if (!cn || !rp) {
		free(cn);
		free(rp);
		return OV_ENOMEM;
	}
	for (size_t h = 0; h < p->nhomes; h++)
		for (size_t t = 0; t < nm; t++) {
			uint8_t v = p->reg44[h * nm + t];
			size_t g = (size_t)p->group[h] * nm + t;
			rp[g] += v != OV_REG44_NONE;
			cn[g] += v == OV_REG44_CONCERN;
		}
	for (size_t g = 0; g < ng; g++) {
		double c = 0, r = 0;
		for (size_t t = 0; t < nm; t++) {
			double cc = c, rr = r;
			if (!(rr > 0))
				cc += cn[g * nm + t], rr += rp[g * nm + t];
			share[g * nm + t] = (cc + 0.5) / (rr + 1);
			c += cn[g * nm + t], r += rp[g * nm + t];
		}
	}
	free(cn);
	free(rp);
	return OV_OK;
}

/* The home's chance given the specialism's share, its own opinions before t and the prior strength A
 * (A <= 0: no spread between homes found, the share alone). */
static double reg44_post(double share, double concerns, double reports, double A)
{
	double q = A > 0 ? (A * share + concerns) / (A + reports) : share;
	return q < R44_P_MIN ? R44_P_MIN : q > R44_P_MAX ? R44_P_MAX : q;
}

/* The prior strength by moments (beta-binomial), pooled over specialisms: the homes' spread of their
 * share of concerns beyond what chance gives, icc = sum_g (S_g - (H_g - 1) pq) / sum_g pq (N_g - sum n^2 / N_g),
 * S_g = sum_h n_h (x_h / n_h - p_g)^2; A = 1 / icc - 1, within [1, 10^4]; 0 when icc <= 0 or no reports. */
static double reg44_prior_of(const struct ov_panel *p)
{
	size_t nm = p->nmonths, ng = p->ngroups, nh = p->nhomes;
	double *c = calloc(nh + 1, sizeof *c), *n = calloc(nh + 1, sizeof *n);
	double *gc = calloc(ng + 1, sizeof *gc), *gn = calloc(ng + 1, sizeof *gn);
	double *gs = calloc(ng + 1, sizeof *gs), *gh = calloc(ng + 1, sizeof *gh), *gq = calloc(ng + 1, sizeof *gq);
	double A = 0;
	if (!c || !n || !gc || !gn || !gs || !gh || !gq)
		goto out;
	for (size_t h = 0; h < nh; h++) {
		for (size_t t = 0; t < nm; t++) {
			uint8_t v = p->reg44[h * nm + t];
			n[h] += v != OV_REG44_NONE;
			c[h] += v == OV_REG44_CONCERN;
		}
		size_t g = (size_t)p->group[h];
		gc[g] += c[h], gn[g] += n[h], gq[g] += n[h] * n[h], gh[g] += n[h] > 0;
	}
	for (size_t h = 0; h < nh; h++) {
		size_t g = (size_t)p->group[h];
		if (n[h] > 0 && gn[g] > 0) {
			double d = c[h] / n[h] - gc[g] / gn[g];
			gs[g] += n[h] * d * d;
		}
	}
	double num = 0, den = 0;
	for (size_t g = 0; g < ng; g++) {
		if (!(gn[g] > 0) || gh[g] < 2)
			continue;
		double pg = gc[g] / gn[g], pq = pg * (1 - pg);
		num += gs[g] - (gh[g] - 1) * pq;
		den += pq * (gn[g] - gq[g] / gn[g]);
	}
	if (den > 0 && num > 0) {
		A = den / num - 1;
		A = A < 1 ? 1 : A > 1e4 ? 1e4 : A;
	}
out:
	free(c);
	free(n);
	free(gc);
	free(gn);
	free(gs);
	free(gh);
	free(gq);
	return A;
}

int ov_reg44_p0(const struct ov_panel *p, const struct ov_model *m, double *p0)
{
	if (check_panel(p) != OV_OK || !p0 || !p->reg44)
		return OV_EINVALID;
	size_t nm = p->nmonths;
	double *share = malloc((p->ngroups * nm + 1) * sizeof *share);
	if (!share || reg44_share(p, share) != OV_OK) {
		free(share);
		return OV_ENOMEM;
	}
	double A = m ? m->reg44_prior : 0;
	for (size_t h = 0; h < p->nhomes; h++) {
		double c = 0, r = 0;
		for (size_t t = 0; t < nm; t++) {
			uint8_t v = p->reg44[h * nm + t];
			p0[h * nm + t] = v == OV_REG44_NONE ? -1 : reg44_post(share[(size_t)p->group[h] * nm + t], c, r, A);
			r += v != OV_REG44_NONE;
			c += v == OV_REG44_CONCERN;
		}
	}
	free(share);
	return OV_OK;
}

/* The log-likelihood ratio of one opinion: odds rho_reg44 times p0's against p0. 0 without a report. */
static double reg44_w(const struct ov_settings *s, int v, double p0)
{
	if (v == OV_REG44_NONE || !(p0 > 0))
		return 0;
	double p1 = s->rho_reg44 * p0 / (1 - p0 + s->rho_reg44 * p0);
	return v == OV_REG44_CONCERN ? log(p1 / p0) : log((1 - p1) / (1 - p0));
}

/* ov_estimate's moments, in `parts` parts: part q sums the lags l = q, q + parts, .. (each element of XM, XD,
 * hm and hd is one lag's, summed over homes and months in the same order whichever part sums it), part 0
 * also each month's own sums and each home's size. */
struct moments_job {
	const struct ov_panel *p;
	const double *Ep;
	size_t L, parts;
	double *hm, *hd, *x, *hE, *XM, *XD, *sO, *sE, *xbar, *xn;
	atomic_bool nomem;
};

static void moments(void *ctx, size_t lo, size_t hi)
{
	struct moments_job *mj = ctx;
	const struct ov_panel *p = mj->p;
	const double *Ep = mj->Ep;
	size_t nh = p->nhomes, nm = p->nmonths, L = mj->L, parts = mj->parts;
	double *hm = mj->hm, *hd = mj->hd, *x = mj->x, *hE = mj->hE, *XM = mj->XM, *XD = mj->XD, *sO = mj->sO, *sE = mj->sE;
	double *xbar = mj->xbar, *xn = mj->xn;
	/* One home's counts as doubles and its months with children, once, for the lagged sums below (every
	 * pair of months): the same values as converting each count where it is read. */
	double *od = malloc((nm * K + 1) * sizeof *od);
	bool *hc = malloc((nm + 1) * sizeof *hc);
	if (!od || !hc) {
		atomic_store(&mj->nomem, true);
		free(od), free(hc);
		return;
	}
	for (size_t q = lo; q < hi; q++)
		for (size_t h = 0; h < nh; h++) {
			size_t g = (size_t)p->group[h];
			double *m0 = &hm[h * K * L], *d0 = &hd[h * K * L], nights = 0, months = 0;
			for (size_t t = 0; t < nm; t++) {
				hc[t] = has_children(&Ep[(h * nm + t) * K]);
				for (int k = 0; k < K; k++)
					od[t * K + (size_t)k] = p->counts[(h * nm + t) * K + (size_t)k];
			}
			for (size_t t = 0; t < nm; t++) {
				const double *et = &Ep[(h * nm + t) * K];
				const double *ot = &od[t * K];
				if (!hc[t])
					continue;
				for (int k = 0; k < K && q == 0; k++) {
					if (!(et[k] > 0))
						continue;
					sO[g * K + k] += ot[k], sE[g * K + k] += et[k], hE[h * K + k] += et[k];
					m0[k * L] += ot[k] * ot[k] - ot[k];
					d0[k * L] += et[k] * et[k];
				}
				if (q == 0)
					nights += p->nights[h * nm + t], months++;
				for (size_t l = q; l <= t; l += parts) {
					const double *es = &Ep[(h * nm + t - l) * K];
					const double *os = &od[(t - l) * K];
					if (!hc[t - l])
						continue;
					/* An indicator without expectation at t - l adds +0 to XM and XD rather than nothing:
					 * the same sums, as each is of products >= 0 from +0 and never -0; and the diagonal
					 * (k == j) gathers what is never read. A branch-free row, contiguous in k. */
					double osm[K], esm[K];
					for (int k = 0; k < K; k++) {
						bool on = es[k] > 0;
						osm[k] = on ? os[k] : 0;
						esm[k] = on ? es[k] : 0;
					}
					for (int j = 0; j < K; j++) {
						if (!(et[j] > 0))
							continue;
						if (l > 0 && es[j] > 0) {
							m0[j * L + l] += ot[j] * os[j];
							d0[j * L + l] += et[j] * es[j];
						}
						double oj = ot[j], ej = et[j];
						double *xm = &XM[(l * K + (size_t)j) * K], *xd = &XD[(l * K + (size_t)j) * K];
						for (int k = 0; k < K; k++) {
							xm[k] += oj * osm[k];
							xd[k] += ej * esm[k];
						}
					}
				}
			}
			/* Size: children present on average (months of 30.44 nights); below one, one child at a time.
			 * x = 1 / n: the part of a home's variation that comes from its children averages away as 1 / n. */
			if (q != 0)
				continue;
			double n = months > 0 ? nights / months / 30.44 : 0;
			x[h] = months > 0 ? 1 / (n > 1 ? n : 1) : -1;
			if (x[h] >= 0)
				xbar[g] += x[h], xn[g]++;
		}
	free(od), free(hc);
}

/* ov_estimate's last step for homes lo..hi-1 (each writes its own parameters; scratch of its own). */
struct params_job {
	const struct ov_settings *s;
	const struct ov_panel *p;
	struct ov_model *m;
	const double *A, *Av, *B, *x, *xbar, *mu;
	size_t L, Lfit;
	atomic_bool nomem;
};

static void home_params(void *ctx, size_t lo, size_t hi)
{
	struct params_job *j = ctx;
	const struct ov_settings *s = j->s;
	size_t L = j->L;
	double *c = malloc((L + 1) * sizeof *c), *wt = malloc((L + 1) * sizeof *wt);
	if (!c || !wt) {
		atomic_store(&j->nomem, true);
		free(c), free(wt);
		return;
	}
	for (size_t h = lo; h < hi; h++) {
		size_t g = (size_t)j->p->group[h];
		double xh = j->x[h] >= 0 ? j->x[h] : j->xbar[g];
		for (int k = 0; k < K; k++) {
			struct ov_params *q = &j->m->par[h * K + (size_t)k];
			size_t g0 = (g * K + (size_t)k) * L;
			for (size_t l = 0; l < L; l++) {
				c[l] = j->A[g0 + l] + j->B[(size_t)k * L + l] * xh;
				wt[l] = j->Av[g0 + l] >= 0 ? 1 / (j->Av[g0 + l] > 1e-12 ? j->Av[g0 + l] : 1e-12) : 0;
			}
			q->mu = j->mu[g * K + k];
			fit_decay(c, wt, j->Lfit, s->slow_part, &q->v, &q->a, &q->phi);
			q->v = clamp(q->v, s->dispersion_max);
			q->a = clamp(q->a, s->dispersion_max);
			q->w = clamp(c[0] - q->v - q->a, s->dispersion_max);
			q->sv = q->v, q->sa = q->a, q->sphi = q->phi, q->sw = q->w;
			if (s->slow_part_sim && !s->slow_part) {
				fit_decay(c, wt, j->Lfit, true, &q->sv, &q->sa, &q->sphi);
				q->sv = clamp(q->sv, s->dispersion_max);
				q->sa = clamp(q->sa, s->dispersion_max);
				q->sw = clamp(c[0] - q->sv - q->sa, s->dispersion_max);
			}
		}
	}
	free(c), free(wt);
}

int ov_estimate(const struct ov_settings *s, const struct ov_panel *p, const double *Ep, struct ov_model *m)
{
	if (!s || !Ep || !m || !m->par || check_panel(p) != OV_OK || m->nhomes != p->nhomes)
		return OV_EINVALID;
	size_t nh = p->nhomes, nm = p->nmonths, ng = p->ngroups, L = nm ? nm : 1;
	/* Lags up to half the span are fitted (Box & Jenkins' rule of thumb): each has at least half the
	 * months' pairs, and the few pairs of the longest lags (the span's first months against its last)
	 * would otherwise read as a slow drift. */
	size_t Lfit = L / 2 + 1 > 2 ? L / 2 + 1 : (L < 2 ? L : 2);
	/* Per home, indicator and lag l: its share of the moments, m = sum O_t O_{t-l} (l = 0: sum O^2 - O)
	 * and d = sum Ep_t Ep_{t-l} over its months with children; its size. Per group sO, sE: sum O, sum Ep
	 * (mu). Between indicators (pooled over homes; l = 0 and both orders for l >= 1): XM, XD, lag-major
	 * ([(l * K + j) * K + k]). */
	double *hm = calloc(nh * K * L + 1, sizeof *hm), *hd = calloc(nh * K * L + 1, sizeof *hd);
	double *x = calloc(nh + 1, sizeof *x), *hE = calloc(nh * K + 1, sizeof *hE);
	double *XM = calloc(K * K * L + 1, sizeof *XM), *XD = calloc(K * K * L + 1, sizeof *XD);
	double *sO = calloc(ng * K + 1, sizeof *sO), *sE = calloc(ng * K + 1, sizeof *sE);
	/* Per group, indicator and lag: the regression's sums, its intercept A and A's sampling variance;
	 * per indicator and lag the slope B shared by the groups. */
	size_t G = ng * K * L;
	double *Sd = calloc(G + 1, sizeof *Sd), *Sdx = calloc(G + 1, sizeof *Sdx), *Sdxx = calloc(G + 1, sizeof *Sdxx);
	double *Sdy = calloc(G + 1, sizeof *Sdy), *Sdxy = calloc(G + 1, sizeof *Sdxy), *nn = calloc(G + 1, sizeof *nn);
	double *A = calloc(G + 1, sizeof *A), *Av = calloc(G + 1, sizeof *Av), *B = calloc(K * L + 1, sizeof *B);
	double *c = calloc(L + 1, sizeof *c), *wt = calloc(L + 1, sizeof *wt), *xbar = calloc(ng + 1, sizeof *xbar);
	double *xn = calloc(ng + 1, sizeof *xn), *mu = calloc(ng * K + 1, sizeof *mu);
	int rc = OV_ENOMEM;
	if (!hm || !hd || !x || !hE || !XM || !XD || !sO || !sE || !Sd || !Sdx || !Sdxx || !Sdy || !Sdxy || !nn || !A ||
	    !Av || !B || !c || !wt || !xbar || !xn || !mu)
		goto out;
	struct moments_job mom = {p, Ep, L, s->threads > 1 ? s->threads : 1, hm, hd, x, hE, XM, XD, sO, sE, xbar, xn,
				  false};
	pool_for(s->threads, mom.parts, 1, moments, &mom);
	if (mom.nomem)
		goto out;
	for (size_t g = 0; g < ng; g++)
		xbar[g] = xn[g] > 0 ? xbar[g] / xn[g] : 1;
	for (size_t i = 0; i < ng * K; i++)
		mu[i] = sE[i] > 0 && sO[i] > 0 ? sO[i] / sE[i] : 1;
	/* Relative covariance of home h at lag l, y = m / (d mu^2) - 1, regressed on x with weights d:
	 * y = A_g + B x (an intercept per group, the slope shared). */
	for (size_t h = 0; h < nh; h++) {
		size_t g = (size_t)p->group[h];
		for (int k = 0; k < K; k++) {
			double mu2 = mu[g * K + k] * mu[g * K + k];
			for (size_t l = 0; l < L; l++) {
				size_t i = (h * K + (size_t)k) * L + l, gi = (g * K + (size_t)k) * L + l;
				double d = hd[i];
				if (!(d > 0) || x[h] < 0)
					continue;
				double dy = hm[i] / mu2 - d;
				Sd[gi] += d, Sdx[gi] += d * x[h], Sdxx[gi] += d * x[h] * x[h], Sdy[gi] += dy, Sdxy[gi] += dy * x[h];
				nn[gi]++;
			}
		}
	}
	for (int k = 0; k < K; k++)
		for (size_t l = 0; l < L; l++) {
			double num = 0, den = 0;
			for (size_t g = 0; g < ng; g++) {
				size_t gi = (g * K + (size_t)k) * L + l;
				if (nn[gi] < 2)
					continue;
				num += Sdxy[gi] - Sdx[gi] * Sdy[gi] / Sd[gi];
				den += Sdxx[gi] - Sdx[gi] * Sdx[gi] / Sd[gi];
			}
			/* The slope is a variance that averages away over more children: never below 0 (a negative
			 * slope, read from a few outlying homes, would give small homes no variance at all). */
			B[(size_t)k * L + l] = den > 1e-12 && num > 0 ? num / den : 0;
			for (size_t g = 0; g < ng; g++) {
				size_t gi = (g * K + (size_t)k) * L + l;
				A[gi] = nn[gi] >= 2 ? (Sdy[gi] - B[(size_t)k * L + l] * Sdx[gi]) / Sd[gi] : 0;
				Av[gi] = nn[gi] >= 2 ? 0 : -1;
			}
		}
	/* A's sampling variance from the homes' own residuals: sum d^2 (y - A - B x)^2 / Sd^2 * n / (n - 1). */
	for (size_t h = 0; h < nh; h++) {
		size_t g = (size_t)p->group[h];
		for (int k = 0; k < K; k++) {
			double mu2 = mu[g * K + k] * mu[g * K + k];
			for (size_t l = 0; l < L; l++) {
				size_t i = (h * K + (size_t)k) * L + l, gi = (g * K + (size_t)k) * L + l;
				double d = hd[i];
				if (!(d > 0) || x[h] < 0 || nn[gi] < 2)
					continue;
				double r = hm[i] / mu2 - d - d * (A[gi] + B[(size_t)k * L + l] * x[h]);
				Av[gi] += r * r / (Sd[gi] * Sd[gi]) * nn[gi] / (nn[gi] - 1);
			}
		}
	}
	for (int k = 0; k < K; k++)
		for (size_t l = 0; l < L; l++)
			pool_groups(&A[(size_t)k * L + l], &Av[(size_t)k * L + l], ng, K * L);
	/* Each home's parameters: the curve A_g + B x at its size, v + a phi^l fitted to lags l >= 1 and w
	 * from lag 0 (a home with no months with children: its group's average size). */
	struct params_job pj = {s, p, m, A, Av, B, x, xbar, mu, L, Lfit, false};
	pool_for(s->threads, nh, 64, home_params, &pj);
	if (pj.nomem)
		goto out;
	/* Between indicators, pooled over homes: relative cross-covariances x_jk(l) = XM / (XD mu_j mu_k) - 1
	 * and the indicators' own c_k(l) = sum m / (sum d mu_k^2) - 1 the same way. What lasts (the lasting
	 * level and the slow part, lags l >= 1, weights XD) and what is the month's (lag 0 over lag 1) become
	 * correlations: rho = sum w x_jk / sqrt(sum w c_j sum w c_k), and (x(0) - x(1)) over the same of the
	 * two indicators. */
	double *cown = calloc(K * L + 1, sizeof *cown), pmu[K];
	if (!cown)
		goto out;
	for (int k = 0; k < K; k++) {
		double o = 0, e = 0;
		for (size_t g = 0; g < ng; g++)
			o += sO[g * K + k], e += sE[g * K + k];
		pmu[k] = e > 0 && o > 0 ? o / e : 1;
		for (size_t l = 0; l < L; l++) {
			double sm = 0, sd = 0;
			for (size_t h = 0; h < nh; h++)
				sm += hm[(h * K + (size_t)k) * L + l], sd += hd[(h * K + (size_t)k) * L + l];
			cown[(size_t)k * L + l] = sd > 0 ? sm / (sd * pmu[k] * pmu[k]) - 1 : 0;
		}
	}
	memset(m->corr, 0, sizeof m->corr);
	for (int k = 0; k < K; k++)
		m->corr[0][k][k] = m->corr[1][k][k] = m->corr[2][k][k] = 1;
	for (int j = 0; j < K; j++)
		for (int k = j + 1; k < K; k++) {
			double sx = 0, sj = 0, sk = 0, xl[2] = {0, 0};
			for (size_t l = 0; l < L; l++) {
				size_t a1 = (l * K + (size_t)j) * K + (size_t)k, a2 = (l * K + (size_t)k) * K + (size_t)j;
				double xd = XD[a1] + XD[a2];
				if (!(xd > 0))
					continue;
				double xv = (XM[a1] + XM[a2]) / (xd * pmu[j] * pmu[k]) - 1;
				if (l < 2)
					xl[l] = xv;
				if (l == 0)
					continue;
				if (l >= Lfit)
					break;
				sx += xd * xv, sj += xd * cown[(size_t)j * L + l], sk += xd * cown[(size_t)k * L + l];
			}
			double rl = sj > 0 && sk > 0 ? sx / sqrt(sj * sk) : 0;
			double mj = cown[(size_t)j * L] - (L > 1 ? cown[(size_t)j * L + 1] : 0);
			double mk = cown[(size_t)k * L] - (L > 1 ? cown[(size_t)k * L + 1] : 0);
			double rm = mj > 0 && mk > 0 ? (xl[0] - xl[1]) / sqrt(mj * mk) : 0;
			rl = rl < -1 ? -1 : rl > 1 ? 1 : rl;
			rm = rm < -1 ? -1 : rm > 1 ? 1 : rm;
			m->corr[0][j][k] = m->corr[0][k][j] = m->corr[1][j][k] = m->corr[1][k][j] = rl;
			m->corr[2][j][k] = m->corr[2][k][j] = rm;
		}
	free(cown);
	m->reg44_prior = p->reg44 ? reg44_prior_of(p) : 0;
	rc = OV_OK;
out:
	free(hm);
	free(hd);
	free(x);
	free(hE);
	free(XM);
	free(XD);
	free(sO);
	free(sE);
	free(Sd);
	free(Sdx);
	free(Sdxx);
	free(Sdy);
	free(Sdxy);
	free(nn);
	free(A);
	free(Av);
	free(B);
	free(c);
	free(wt);
	free(xbar);
	free(xn);
	free(mu);
	return rc;
}

/* ---- The expectation filter: a Kalman filter on (lasting level u, slow part x), relative to Ep mu ---- */

#define LEVEL_FLOOR 0.01 /* a numerical guard: a predicted level is never taken below 1% of the peers' */

struct kf {
	double u, x, puu, pux, pxx;
};

static void kf_start(struct kf *f, const struct ov_params *q)
{
	*f = (struct kf){1, 0, q->v, 0, q->a};
}

/* One month on: the slow part decays towards 0 and gains its innovation. */
static void kf_predict(struct kf *f, const struct ov_params *q)
{
	double ph = q->phi;
	f->x *= ph;
	f->pux *= ph;
	f->pxx = ph * ph * f->pxx + q->a * (1 - ph * ph);
}

/* The predicted level (at least LEVEL_FLOOR) and the chart's NB dispersion w + tau + w tau. */
static double kf_level(const struct kf *f, const struct ov_params *q, double dmax, double *alpha)
{
	double m = f->u + f->x, P = f->puu + 2 * f->pux + f->pxx;
	if (m < LEVEL_FLOOR)
		m = LEVEL_FLOOR;
	double tau = P > 0 ? P / (m * m) : 0;
	*alpha = clamp(q->w + tau + q->w * tau, dmax);
	return m;
}

/* The month's count O against e = Ep mu (> 0): observation y = O / e of the level with variance
 * m / e + w m^2 (Poisson and month noise at the predicted level m). */
static void kf_update(struct kf *f, const struct ov_params *q, double O, double e)
{
	double m = f->u + f->x, P = f->puu + 2 * f->pux + f->pxx;
	double mm = m < LEVEL_FLOOR ? LEVEL_FLOOR : m;
	double S = P + mm / e + q->w * mm * mm;
	if (!(S > 0))
		return;
	double ku = (f->puu + f->pux) / S, kx = (f->pux + f->pxx) / S, r = O / e - m;
	f->u += ku * r;
	f->x += kx * r;
	f->puu -= ku * ku * S;
	f->pux -= ku * kx * S;
	f->pxx -= kx * kx * S;
}

/* The filter of one home's indicator, month by month. */
struct pf {
	struct kf now;
	struct ov_params q;
	size_t t;                       /* months seen */
};

static void pf_start(struct pf *f, const struct ov_params *q)
{
	f->q = *q;
	kf_start(&f->now, &f->q);
	f->t = 0;
}

/* The level month t = f->t is judged against and its dispersion, then the month's count is taken in
 * (e = Ep mu, 0 when no children). */
static double pf_step(struct pf *f, const struct ov_settings *s, double O, double e, double *alpha)
{
	if (f->q.a == 0) {
		/* No slow part (the filter's default): x, pux and pxx start at 0 (kf_start) and stay 0 (kf_predict
		 * scales them by phi and adds a (1 - phi^2) = 0; kf_update's gain on x is (pux + pxx) / S = 0), so
		 * kf_level and kf_update reduce to the level u and its variance puu: the same arithmetic on
		 * them, without the terms that add 0. */
		struct kf *k = &f->now;
		double m = k->u, P = k->puu, w = f->q.w;
		double mm = m < LEVEL_FLOOR ? LEVEL_FLOOR : m;
		double tau = P > 0 ? P / (mm * mm) : 0;
		*alpha = clamp(w + tau + w * tau, s->dispersion_max);
		if (e > 0) {
			double S = P + mm / e + w * mm * mm;
			if (S > 0) {
				double ku = P / S;
				k->u += ku * (O / e - m);
				k->puu -= ku * ku * S;
			}
		}
		f->t++;
		return mm;
	}
	if (f->t > 0)
		kf_predict(&f->now, &f->q);
	double lv = kf_level(&f->now, &f->q, s->dispersion_max, alpha);
	if (e > 0)
		kf_update(&f->now, &f->q, O, e);
	f->t++;
	return lv;
}

/* ov_filter's homes lo..hi-1, each its own filters and months. */
struct filter_job {
	const struct ov_settings *s;
	const struct ov_panel *p;
	const double *Ep;
	const struct ov_model *m;
	double *E, *alpha;
};

static void filter_homes(void *ctx, size_t lo, size_t hi)
{
	const struct filter_job *c = ctx;
	const struct ov_panel *p = c->p;
	size_t nm = p->nmonths;
	for (size_t h = lo; h < hi; h++) {
		const struct ov_params *qg = &c->m->par[h * K];
		struct pf f[K];
		for (int k = 0; k < K; k++)
			pf_start(&f[k], &qg[k]);
		for (size_t t = 0; t < nm; t++) {
			size_t i = (h * nm + t) * K;
			for (int k = 0; k < K; k++) {
				double e = c->Ep[i + k] * qg[k].mu;
				double lv = pf_step(&f[k], c->s, p->counts[i + k], e, &c->alpha[i + k]);
				c->E[i + k] = e > 0 ? e * lv : 0;
			}
		}
	}
}

int ov_filter(const struct ov_settings *s, const struct ov_panel *p, const double *Ep, const struct ov_model *m,
	      double *E, double *alpha)
{
	if (!s || !Ep || !m || !E || !alpha || check_panel(p) != OV_OK || m->nhomes != p->nhomes ||
	    (p->nhomes && !m->par))
		return OV_EINVALID;
	struct filter_job job = {s, p, Ep, m, E, alpha};
	pool_for(s->threads, p->nhomes, 64, filter_homes, &job);
	return OV_OK;
}

static void joint_corr(const struct ov_settings *s, const struct ov_model *m, double R[K][K]);
static void month_w(const struct ov_settings *s, const struct ov_model *m, const double R[K][K], const double *o,
		    const double *e, const double *a, int r44, double p0, double *w, double c);

/* The opinions' dependence on the month's counts (ov_model reg44_beta, reg44_xbar): a logistic regression
 * of concern on x, the combined chart's count part, with offset logit p0 (ov_reg44_p0), over the months
 * with a report; x centred on its mean; Newton's method, beta kept >= 0 (an opinion is not taken to fall as
 * incidents rise). Harmful homes, a few percent, are in it: a concern that comes with a rise counts a
 * little less than it might, which errs against false alarms. */
/* reg44_dependence's count parts x of home-months lo..hi-1 with a report (each its own x[i]). */
struct count_part_job {
	const struct ov_settings *s;
	const struct ov_panel *p;
	const double (*R)[K];
	const double *E, *alpha;
	double *x;
};

static void count_parts(void *ctx, size_t lo, size_t hi)
{
	const struct count_part_job *c = ctx;
	for (size_t i = lo; i < hi; i++) {
		if (c->p->reg44[i] == OV_REG44_NONE)
			continue;
		double o[K], w[NW];
		for (int k = 0; k < K; k++)
			o[k] = c->p->counts[i * K + k];
		/* the count part at rho_up (cs = 1), as reg44_given reads it */
		month_w(c->s, NULL, c->R, o, &c->E[i * K], &c->alpha[i * K], OV_REG44_NONE, 0, w, 1);
		c->x[i] = w[2 * K];
	}
}

static int reg44_dependence(const struct ov_settings *s, const struct ov_panel *p, struct ov_model *m,
			    const double *E, const double *alpha)
{
	m->reg44_beta = m->reg44_xbar = 0;
	if (!reg44_on(s, p) || !p->nhomes || !p->nmonths)
		return OV_OK;
	size_t nm = p->nmonths, n = p->nhomes * nm, nr = 0;
	double *p0 = malloc((n + 1) * sizeof *p0), *x = malloc((n + 1) * sizeof *x);
	if (!p0 || !x || ov_reg44_p0(p, m, p0) != OV_OK) {
		free(p0), free(x);
		return OV_ENOMEM;
	}
	double R[K][K], xs = 0;
	joint_corr(s, m, R);
	struct count_part_job job = {s, p, (const double(*)[K])R, E, alpha, x};
	pool_for(s->threads, n, 1024, count_parts, &job);
	for (size_t i = 0; i < n; i++) {
		if (p->reg44[i] == OV_REG44_NONE)
			continue;
		xs += x[i];
		nr++;
	}
	if (nr) {
		double xbar = xs / (double)nr, b = 0;
		for (int it = 0; it < 30; it++) {
			double g = 0, h = 0;
			for (size_t i = 0; i < n; i++) {
				if (p->reg44[i] == OV_REG44_NONE)
					continue;
				double d = x[i] - xbar, l = log(p0[i] / (1 - p0[i])) + b * d, q = 1 / (1 + exp(-l));
				g += ((p->reg44[i] == OV_REG44_CONCERN) - q) * d;
				h += q * (1 - q) * d * d;
			}
			if (!(h > 0))
				break;
			double step = g / h;
			b += step;
			if (b < 0)
				b = 0;
			if (b > 5)
				b = 5;
			if (fabs(step) < 1e-6)
				break;
		}
		m->reg44_beta = b;
		m->reg44_xbar = xbar;
	}
	free(p0);
	free(x);
	return OV_OK;
}

/* The rise a year of the home's counts can show (rise_year_z; docs/OVERSIGHT.md): the combined chart of a home
 * whose harm pattern is expected Ebar times a month (Ep mu of the pattern's upward indicators, over its months
 * with children: its peers' rate at its size, not its own level) is tuned to the shift rho_h = 1 + z /
 * sqrt(12 Ebar), where that is above rho_up: a rise whose year's excess is z standard errors of the year's
 * count. The pattern's standardised shift d is scaled by c = (rho_h - 1) / (rho_up - 1) >= 1. */
static void shift_scales(const struct ov_settings *s, const struct ov_panel *p, const double *Ep, struct ov_model *m)
{
	size_t nm = p->nmonths;
	for (size_t h = 0; m->shift_scale && h < p->nhomes; h++) {
		double e = 0, n = 0;
		for (size_t t = 0; t < nm; t++) {
			double et = 0;
			for (int k = 0; k < K; k++)
				if (s->combined_up[k])
					et += Ep[(h * nm + t) * K + k] * m->par[h * K + k].mu;
			if (et > 0)
				e += et, n++;
		}
		/* Only where a year can show a rise at z standard errors at all: 12 Ebar >= z^2, the rise at most a
		 * doubling (rho_h <= 2, c <= 1 / (rho_up - 1)). Below, the year's expected count is under z^2 and the
		 * home keeps rho_up: a tiny home is not tuned to alarm on one incident. */
		double c = 1, z = s->rise_year_z;
		if (z > 0 && n > 0 && 12 * e / n >= z * z && s->rho_up > 1) {
			double rho = 1 + z / sqrt(12 * e / n);
			if (rho > s->rho_up)
				c = (rho - 1) / (s->rho_up - 1);
		}
		m->shift_scale[h] = c;
	}
}

int ov_fit(const struct ov_settings *s, const struct ov_panel *p, double *E, double *alpha, double *EpOut,
	   struct ov_model *mOut)
{
	if (!s || !E || !alpha || check_panel(p) != OV_OK)
		return OV_EINVALID;
	double *Ep = EpOut ? EpOut : malloc((p->nhomes * p->nmonths * K + 1) * sizeof *Ep);
	struct ov_model own, *m = mOut ? mOut : &own;
	int rc = OV_ENOMEM;
	if (!mOut && ov_model_alloc(&own, p->nhomes) != OV_OK) {
		own.par = NULL;
		goto out;
	}
	if (!Ep)
		goto out;
	if (mOut && m->nhomes != p->nhomes) {
		rc = OV_EINVALID;
		goto out;
	}
	if ((rc = ov_expect(s, p, Ep)) == OV_OK && (rc = ov_estimate(s, p, Ep, m)) == OV_OK &&
	    (rc = ov_filter(s, p, Ep, m, E, alpha)) == OV_OK) {
		shift_scales(s, p, Ep, m);
		rc = reg44_dependence(s, p, m, E, alpha);
	}
out:
	if (!mOut)
		ov_model_free(&own);
	if (Ep != EpOut)
		free(Ep);
	return rc;
}
/* ---- CUSUM ---------------------------------------------------------------------------------------- */

double ov_llr_poisson(double O, double E, double rho)
{
	if (!(E > 0))
		return 0;
	return O * log(rho) - (rho - 1) * E;
}

double ov_llr_nb(double O, double E, double rho, double alpha)
{
	if (!(E > 0))
		return 0;
	if (!(alpha > 1e-12))
		return ov_llr_poisson(O, E, rho);
	double d = log1p(alpha * E) - log1p(alpha * rho * E);
	return O * (log(rho) + d) + d / alpha;
}

bool ov_cusum_step(double *c, double w, double h, double *stat)
{
	double v = *c + w;
	if (v < 0)
		v = 0;
	if (v >= h) {
		if (stat)
			*stat = v;
		*c = 0;
		return true;
	}
	*c = v;
	return false;
}


/* llr up (rho_up) and down (rho_down) of one indicator-month, each only when wanted, with the same
 * arithmetic as ov_llr_nb / ov_llr_poisson (so the same bits): log(rho) taken once per month by the caller
 * (lr_up, lr_down), and the NB's log1p(alpha E), which both directions share, once. This runs for every real
 * and simulated home-month. */
static void llr_pair(const struct ov_settings *s, double O, double E, double alpha, bool want_up, bool want_down,
		     double lr_up, double lr_down, double *up, double *down)
{
	*up = *down = 0;
	if (!(want_up || want_down) || !(E > 0))
		return;
	if (!s->negative_binomial || !(alpha > 1e-12)) {
		if (want_up)
			*up = O * lr_up - (s->rho_up - 1) * E;
		if (want_down)
			*down = O * lr_down - (s->rho_down - 1) * E;
		return;
	}
	double l0 = log1p(alpha * E);
	if (want_up) {
		double d = l0 - log1p(alpha * s->rho_up * E);
		*up = O * (lr_up + d) + d / alpha;
	}
	if (want_down) {
		double d = l0 - log1p(alpha * s->rho_down * E);
		*down = O * (lr_down + d) + d / alpha;
	}
}

static void chol_psd(const double R[K][K], double L[K][K]);

/* The correlation the combined chart judges the indicators' month against: the model's lasting-level
 * correlation (what moves together for months in control), made positive definite as the simulation's
 * (chol_psd, then L L'); the identity without a model or with combined_joint off. */
static void joint_corr(const struct ov_settings *s, const struct ov_model *m, double R[K][K])
{
	for (int i = 0; i < K; i++)
		for (int j = 0; j < K; j++)
			R[i][j] = i == j;
	if (!m || !s->combined_joint)
		return;
	double L[K][K];
	chol_psd(m->corr[0], L);
	for (int i = 0; i < K; i++)
		for (int j = 0; j < K; j++) {
			double sum = 0;
			for (int k = 0; k < K; k++)
				sum += L[i][k] * L[j][k];
			R[i][j] = sum;
		}
}

/* Solves A x = b for A (n x n) symmetric positive definite, by Cholesky in A's lower triangle; false when
 * A is not positive definite. */
static bool spd_solve(double A[K][K], int n, const double *b, double *x)
{
	/* Row by row: row i's off-diagonal, its diagonal, then the forward substitution's y[i] (which reads
	 * rows up to i only), each sum in the order of the textbook's loops (the same bits as factorising
	 * first and substituting after, with no test of i == j inside the inner loops). */
	double y[K];
	for (int i = 0; i < n; i++) {
		double *Ai = A[i];
		for (int j = 0; j < i; j++) {
			const double *Aj = A[j];
			double sum = Ai[j];
			for (int k = 0; k < j; k++)
				sum -= Ai[k] * Aj[k];
			Ai[j] = sum / Aj[j];
		}
		double sum = Ai[i];
		for (int k = 0; k < i; k++)
			sum -= Ai[k] * Ai[k];
		if (!(sum > 0))
			return false;
		Ai[i] = sqrt(sum);
		double yi = b[i];
		for (int k = 0; k < i; k++)
			yi -= Ai[k] * y[k];
		y[i] = yi / Ai[i];
	}
	for (int i = n - 1; i >= 0; i--) {
		double sum = y[i];
		for (int k = i + 1; k < n; k++)
			sum -= A[k][i] * x[k];
		x[i] = sum / A[i][i];
	}
	return true;
}

/* S x = b for another b, with the factor spd_solve left in A's lower triangle. */
static void chol_solve(const double L[K][K], int n, const double *b, double *x)
{
	double y[K];
	for (int i = 0; i < n; i++) {
		double yi = b[i];
		for (int k = 0; k < i; k++)
			yi -= L[i][k] * y[k];
		y[i] = yi / L[i][i];
	}
	for (int i = n - 1; i >= 0; i--) {
		double sum = y[i];
		for (int k = i + 1; k < n; k++)
			sum -= L[k][i] * x[k];
		x[i] = sum / L[i][i];
	}
}

/* The combined chart's W with combined_joint: each indicator with children (E > 0) standardised,
 * z = (O - E) / sd with sd^2 = E (1 + alpha E) (the chart's negative binomial); the harm pattern's shift in
 * the same units, d = (rho - 1) E / sd (rho up or down; 0 for indicators outside the pattern); their
 * covariance S, 1 on the diagonal and R_jk sqrt(f_j f_k) off it, f = alpha E / (1 + alpha E) the share of
 * an indicator's variance that is the home's own level and month rather than chance. W = x'(z - d/2) with
 * S x = d: the log-likelihood ratio of a shift d against none for normal z with covariance S. With no
 * correlation it is the sum of the pattern's indicators' own (normal) LLRs; an indicator outside the
 * pattern that rises with one inside it (a distressed child's self-harm beside restraints) takes weight
 * from it, one that stays level adds to it. */
/* Whether the combined chart is a pair (rho_pair; docs/OVERSIGHT.md "The pair"). */
static bool pair_on(const struct ov_settings *s)
{
	return s->combined_joint && s->rho_pair > 1 && s->rho_pair != s->rho_up && s->rho_up > 1;
}

/* The scale of the downward indicators' shift in a home whose upward shift is scaled by cs (shift_scale):
 * the fall is rho_down^g where the rise is rho_up^g = rho_h (g = log rho_h / log rho_up; 1 / rho_h at the
 * defaults, rho_down = 1 / rho_up), so the alternative rate stays above 0 however large cs. */
static double down_scale(const struct ov_settings *s, double cs)
{
	if (cs == 1 || !(s->rho_down > 0) || s->rho_down == 1 || !(s->rho_up > 1))
		return cs;
	double g = log1p(cs * (s->rho_up - 1)) / log(s->rho_up);
	return expm1(g * log(s->rho_down)) / (s->rho_down - 1);
}

double ov_combined_alt(const struct ov_settings *s, double cs, int k)
{
	if (k < 0 || k >= K)
		return 1;
	if (s->combined_up[k])
		return 1 + cs * (s->rho_up - 1);
	if (s->combined_down[k])
		return 1 + down_scale(s, cs) * (s->rho_down - 1);
	return 1;
}

/* W of the joint combined chart at the home's own alternative (cs, shift_scale: the upward indicators' shift
 * scaled by cs, the downward ones' by down_scale); *w0 the same at cs = 1 (the count part the opinions are
 * read against, reg44_given), *w2 the pair's second chart (never scaled). */
static double joint_w(const struct ov_settings *s, const double R[K][K], const double *o, const double *e,
		      const double *a, double *w2, double cs, double *w0)
{
	*w2 = 0, *w0 = 0;
	int idx[K], n = 0;
	double z[K], d[K], du[K], sf[K], S[K][K], x[K];
	bool split = cs != 1, any_up = false, any_down = false;
	for (int k = 0; k < K; k++) {
		if (!(e[k] > 0))
			continue;
		double rho = s->combined_up[k] ? s->rho_up : s->combined_down[k] ? s->rho_down : 1;
		double ae = a[k] * e[k], sd = sqrt(e[k] * (1 + ae));
		z[n] = (o[k] - e[k]) / sd;
		d[n] = (rho - 1) * e[k] / sd;
		/* split: d the downward part, du the upward */
		du[n] = s->combined_up[k] ? d[n] : 0;
		if (split && s->combined_up[k])
			d[n] = 0;
		any_up |= du[n] != 0, any_down |= s->combined_down[k] && d[n] != 0;
		sf[n] = sqrt(ae / (1 + ae)); /* sqrt(f): S's off-diagonal is R sqrt(f_i) sqrt(f_j) */
		idx[n++] = k;
	}
	if (!n)
		return 0;
	/* spd_solve reads the lower triangle only. This runs for every real and simulated home-month: one
	 * square root per indicator, not per pair. */
	for (int i = 0; i < n; i++) {
		const double *Ri = R[idx[i]];
		for (int j = 0; j < i; j++)
			S[i][j] = Ri[idx[j]] * sf[i] * sf[j];
		S[i][i] = 1;
	}
	if (!split) {
		if (!spd_solve(S, n, d, x))
			return 0; /* not reached: R is positive semi-definite and f < 1 */
		double xz = 0, xd = 0;
		for (int i = 0; i < n; i++)
			xz += x[i] * z[i], xd += x[i] * d[i];
		/* The pair's second chart: the shift c d, c = (rho_pair - 1) / (rho_up - 1), solves to c x, so
		 * its W = c x'z - c^2 x'd / 2 from the same solve. */
		if (pair_on(s)) {
			double c = (s->rho_pair - 1) / (s->rho_up - 1);
			*w2 = c * xz - c * c * xd / 2;
		}
		*w0 = xz - xd / 2;
		return *w0;
	}
	/* The home's own alternative: the shift cu du + cd d (upward and downward parts) solves to cu xu + cd x,
	 * one factorisation, one substitution for each part. */
	double xu[K] = {0};
	for (int i = 0; i < K; i++)
		x[i] = 0;
	if (any_up) {
		if (!spd_solve(S, n, du, xu))
			return 0;
		if (any_down)
			chol_solve(S, n, d, x);
	} else if (any_down && !spd_solve(S, n, d, x)) {
		return 0;
	}
	double cu = cs, cd = down_scale(s, cs);
	double uz = 0, dz = 0, uu = 0, ud = 0, dd = 0;
	for (int i = 0; i < n; i++) {
		uz += xu[i] * z[i], dz += x[i] * z[i];
		uu += xu[i] * du[i], ud += xu[i] * d[i], dd += x[i] * d[i];
	}
	double xz = uz + dz, xd = uu + 2 * ud + dd;
	if (pair_on(s)) {
		double c = (s->rho_pair - 1) / (s->rho_up - 1);
		*w2 = c * xz - c * c * xd / 2;
	}
	*w0 = xz - xd / 2;
	return cu * uz + cd * dz - (cu * cu * uu + 2 * cu * cd * ud + cd * cd * dd) / 2;
}

/* The W of every chart of one home-month: w[k] up, w[K + k] down, w[2K] combined. Charts not run get 0.
 * R: joint_corr's. */
/* The chance a month's opinion is judged against given its counts: p0 moved by the panel's dependence of
 * opinions on the combined chart's count part cw (ov_model reg44_beta), so a concern that only echoes a
 * month of many incidents, as it does in control, adds less than one that comes on its own. */
static double reg44_given(const struct ov_model *m, double p0, double cw)
{
	if (!m || !(m->reg44_beta > 0))
		return p0;
	double l = log(p0 / (1 - p0)) + m->reg44_beta * (cw - m->reg44_xbar);
	double q = 1 / (1 + exp(-l));
	return q < R44_P_MIN ? R44_P_MIN : q > 0.9 ? 0.9 : q;
}

/* month_w for the chart families in need (bits 1 << enum ov_family) only: the others' W are left 0. The
 * threshold simulation computes what it reads: the single charts' check and threshold never read the
 * combined chart, nor the combined chart's threshold the single charts (the same values where computed). */
#define ALL_FAMILIES ((1u << OV_NFAMILY) - 1)
static void month_w_for(const struct ov_settings *s, const struct ov_model *m, const double R[K][K], const double *o,
			const double *e, const double *a, int r44, double p0, double *w, unsigned need, double cs,
			double *cw_count)
{
	bool singles = need & ((1u << OV_FAMILY_UP) | (1u << OV_FAMILY_DOWN)), cn = need & (1u << OV_FAMILY_COMBINED);
	bool sum = cn && !s->combined_joint; /* the combined chart as the sum of the pattern's own LLRs */
	double comb = 0, lr_up = log(s->rho_up), lr_down = log(s->rho_down);
	for (int k = 0; k < K; k++) {
		bool want_up = singles || (sum && s->combined_up[k]);
		bool want_down = (singles && s->chart_down[k]) || (sum && s->combined_down[k]);
		double up = 0, down = 0;
		llr_pair(s, o[k], e[k], a[k], want_up, want_down, lr_up, lr_down, &up, &down);
		w[k] = singles ? up : 0;
		w[K + k] = singles && s->chart_down[k] ? down : 0;
		if (s->combined_up[k])
			comb += up;
		if (s->combined_down[k])
			comb += down;
	}
	w[2 * K + 1] = 0;
	if (!cn) {
		w[2 * K] = 0;
		return;
	}
	double w2 = 0, cw0 = comb, cw = s->combined_joint ? joint_w(s, R, o, e, a, &w2, cs, &cw0) : comb;
	if (cw_count)
		*cw_count = cw0;
	double r = reg44_w(s, r44, r44 == OV_REG44_NONE ? 0 : reg44_given(m, p0, cw0));
	w[2 * K] = cw + r;
	/* the pair's second chart reads the opinion as the first does */
	w[2 * K + 1] = pair_on(s) ? w2 + r : 0;
}

static void month_w(const struct ov_settings *s, const struct ov_model *m, const double R[K][K], const double *o,
		    const double *e, const double *a, int r44, double p0, double *w, double cs)
{
	month_w_for(s, m, R, o, e, a, r44, p0, w, ALL_FAMILIES, cs, NULL);
}

static enum ov_family family_of(int j)
{
	return j < K ? OV_FAMILY_UP : j < 2 * K ? OV_FAMILY_DOWN : OV_FAMILY_COMBINED;
}

static bool chart_runs(const struct ov_settings *s, int j)
{
	return j < K || j == 2 * K || s->chart_down[j - K];
}

/* ov_monitor's W of months t0..t1-1 (t1 - t0 <= block) of homes lo..hi-1, into wb[(home * block + t - t0) * NW]. */
struct monitor_job {
	const struct ov_settings *s;
	const struct ov_panel *p;
	const struct ov_model *m;
	const double (*R)[K];
	const double *E, *alpha, *p0;
	size_t t0, t1, block;
	double *wb;
};

static void monitor_w(void *ctx, size_t lo, size_t hi)
{
	const struct monitor_job *c = ctx;
	const struct ov_panel *p = c->p;
	const struct ov_model *m = c->m;
	size_t nm = p->nmonths, block = c->block;
	for (size_t home = lo; home < hi; home++)
		for (size_t t = c->t0; t < c->t1; t++) {
			size_t i = home * nm + t;
			double o[K];
			for (int k = 0; k < K; k++)
				o[k] = p->counts[i * K + k];
			month_w(c->s, m, c->R, o, &c->E[i * K], &c->alpha[i * K], c->p0 ? p->reg44[i] : OV_REG44_NONE,
				c->p0 ? c->p0[i] : 0, &c->wb[(home * block + t - c->t0) * NW],
				m && m->shift_scale ? m->shift_scale[home] : 1);
		}
}

int ov_monitor(const struct ov_settings *s, const struct ov_panel *p, const struct ov_model *m, const double *E,
	       const double *alpha, const double h[OV_NFAMILY], double *chart_out, ov_emit_fn emit, void *ctx)
{
	if (!s || !p || !E || !alpha || !h || (p->nhomes && !p->counts))
		return OV_EINVALID;
	double R[K][K];
	joint_corr(s, m, R);
	size_t nh = p->nhomes, nm = p->nmonths;
	double *c = calloc(nh * NW + 1, sizeof *c), *p0 = NULL;
	/* The pair's second chart runs when it has a threshold (ov_thresholds gives it one with rho_pair). */
	bool pair = pair_on(s) && h[OV_FAMILY_PAIR] > 0 && h[OV_FAMILY_PAIR] < 1e9;
	if (!c)
		return OV_ENOMEM;
	if (reg44_on(s, p) && (!(p0 = malloc((nh * nm + 1) * sizeof *p0)) || ov_reg44_p0(p, m, p0) != OV_OK)) {
		free(c);
		free(p0);
		return OV_ENOMEM;
	}
	/* The months' W first, a block of months at a time, home by home on the threads (a home-month's W reads
	 * nothing of the charts); then the charts month by month in order. */
	size_t block = nh ? ((size_t)1 << 18) / (nh * NW) : 1; /* 2 MB of W a block */
	block = block < 1 ? 1 : block > nm ? nm : block;
	struct monitor_job job = {s, p, m, (const double(*)[K])R, E, alpha, p0, 0, 0, block, NULL};
	job.wb = nm ? malloc((nh * block * NW + 1) * sizeof *job.wb) : NULL;
	if (nm && !job.wb) {
		free(c);
		free(p0);
		return OV_ENOMEM;
	}
	int rc = OV_OK;
	for (size_t t = 0; t < nm && rc == OV_OK; t++) {
		if (t % block == 0) {
			job.t0 = t, job.t1 = t + block < nm ? t + block : nm;
			pool_for(s->threads, nh, 64, monitor_w, &job);
		}
		for (size_t home = 0; home < nh && rc == OV_OK; home++) {
			size_t i = home * nm + t;
			const double *w = &job.wb[(home * block + t - job.t0) * NW];
			for (int j = 0; j < NCHART && rc == OV_OK; j++) {
				double *cj = &c[home * NW + j], stat;
				if (!chart_runs(s, j))
					continue;
				double hj = h[family_of(j)];
				bool sig_j;
				if (j == 2 * K && pair) {
					/* The pair: one signal when either chart reaches its threshold, both restart
					 * (the statistic and threshold reported are the first chart's when it is the
					 * one over, else the second's). */
					double *c2 = cj + 1, h2 = h[OV_FAMILY_PAIR];
					*cj = fmax(0, *cj + w[j]);
					*c2 = fmax(0, *c2 + w[j + 1]);
					sig_j = *cj >= hj || *c2 >= h2;
					stat = *cj >= hj ? *cj : *c2;
					if (sig_j && !(*cj >= hj))
						hj = h2;
					if (sig_j)
						*cj = *c2 = 0;
				} else {
					sig_j = ov_cusum_step(cj, w[j], hj, &stat);
				}
				if (sig_j && emit) {
					struct ov_signal sig = {home, t, j < K ? j : j < 2 * K ? j - K : OV_COMBINED,
								j < K || j == 2 * K, stat, hj};
					int r = emit(&sig, ctx);
					if (r < 0)
						rc = r;
				}
			}
			if (chart_out)
				memcpy(&chart_out[i * NCHART], &c[home * NW], NCHART * sizeof *c);
		}
	}
	free(job.wb);
	free(c);
	free(p0);
	return rc;
}

/* ---- Simulation ----------------------------------------------------------------------------------- */

/* Draws from lib/rng.h's generator: the same stream on every machine for a seed. */

/* The simulation's generator: lib/rng.h's stream, and the second normal of each Box-Muller pair kept for
 * the next draw (a local value, one per simulation). */
struct srng {
	struct rng r;
	double spare;
	bool has_spare;
};

static double normal(struct srng *g)
{
	if (g->has_spare) {
		g->has_spare = false;
		return g->spare;
	}
	double rad = sqrt(-2 * log(rng_unit(&g->r))), ang = 6.283185307179586 * rng_unit(&g->r);
	g->spare = rad * sin(ang);
	g->has_spare = true;
	return rad * cos(ang);
}

/* Poisson: multiplication for small means, Hoermann's PTRS (1993) otherwise. */
static double poisson_draw(struct rng *r, double lam)
{
	if (!(lam > 0))
		return 0;
	if (lam < 10) {
		double L = exp(-lam), p = 1;
		int k = 0;
		for (;;) {
			p *= rng_unit(r);
			if (p <= L)
				return k;
			k++;
		}
	}
	double slam = sqrt(lam), loglam = log(lam), b = 0.931 + 2.53 * slam, a = -0.059 + 0.02483 * b;
	double invalpha = 1.1239 + 1.1328 / (b - 3.4), vr = 0.9277 - 3.6224 / (b - 2);
	for (;;) {
		double U = rng_unit(r) - 0.5, V = rng_unit(r), us = 0.5 - fabs(U);
		double k = floor((2 * a / us + b) * U + lam + 0.43);
		if (us >= 0.07 && V <= vr)
			return k;
		if (k < 0 || (us < 0.013 && V > us))
			continue;
		if (log(V) + log(invalpha) - log(a / (us * us) + b) <= -lam + k * loglam - lgamma(k + 1))
			return k;
	}
}

/* How one specialism's indicator is drawn: log-normal factors with mean 1 and the model's variances. The
 * product U X e has E[(U X_t e_t)(U X_s e_s)] - 1 = v + a rho(t - s) when X's variance is a / (1 + v) and
 * e's w / (1 + v + a); sd are the normal log-sds. The slow part X keeps its value from month to month and
 * takes a new one with chance 1 - phi (so its correlation l months apart is phi^l, as fitted): of the
 * processes with the fitted covariances, one whose changes come at once (a child arrives), which is the
 * hardest for charts of sustained rises; a drifting level would raise fewer alarms. */
struct draw {
	double sdu, sdx, sdw, jump;
};

static double lnsd(double var)
{
	return var > 0 ? sqrt(log1p(var)) : 0;
}

static void draw_of(const struct ov_params *q, struct draw *d)
{
	d->sdu = lnsd(q->sv);
	d->sdx = lnsd(q->sa / (1 + q->sv));
	d->sdw = lnsd(q->sw / (1 + q->sv + q->sa));
	d->jump = 1 - q->sphi;
}

/* A lower-triangular L with L L' = R, R a correlation matrix; when R (estimated pair by pair) is not
 * positive definite its off-diagonal is shrunk towards 0 (10% a step) until it is. */
static void chol_psd(const double R[K][K], double L[K][K])
{
	double shrink = 1;
	for (int it = 0; it < 100; it++, shrink *= 0.9) {
		bool ok = true;
		memset(L, 0, sizeof(double) * K * K);
		for (int i = 0; i < K && ok; i++)
			for (int j = 0; j <= i && ok; j++) {
				double sum = i == j ? 1 : R[i][j] * shrink;
				for (int k = 0; k < j; k++)
					sum -= L[i][k] * L[j][k];
				if (i == j) {
					if (!(sum > 1e-9))
						ok = false;
					else
						L[i][i] = sqrt(sum);
				} else {
					L[i][j] = sum / L[j][j];
				}
			}
		if (ok)
			return;
	}
	memset(L, 0, sizeof(double) * K * K);
	for (int i = 0; i < K; i++)
		L[i][i] = 1;
}

/* K correlated standard normals: z = L n; with want, only the z[i] with want[i] (all K normals drawn). */
static void correlated_some(struct srng *r, const double L[K][K], double z[K], const bool *want)
{
	double n[K];
	for (int k = 0; k < K; k++)
		n[k] = normal(r);
	for (int i = 0; i < K; i++) {
		if (want && !want[i])
			continue;
		double x = 0;
		for (int k = 0; k <= i; k++)
			x += L[i][k] * n[k];
		z[i] = x;
	}
}

static void correlated(struct srng *r, const double L[K][K], double z[K])
{
	correlated_some(r, L, z, NULL);
}

/* The W of every chart family's streams (one stream per home, or home and indicator, nm months each),
 * with each stream's highest CUSUM value without restarts: a stream whose top is below h raises no alarm
 * at h (a restart only lowers the path), so counting at h reads only the streams sorted above it. */
struct streams {
	double *w[OV_NFAMILY];
	size_t n[OV_NFAMILY], nm;
	double *top[OV_NFAMILY];     /* per stream, sorted descending, with ... */
	size_t *order[OV_NFAMILY];   /* ... the stream it belongs to */
	double home_years;
	bool unsorted; /* tops in stream order (streams_index without sorting): only check_fits reads them */
};

static void streams_free(struct streams *st)
{
	for (int f = 0; f < OV_NFAMILY; f++) {
		free(st->w[f]);
		free(st->top[f]);
		free(st->order[f]);
	}
	memset(st, 0, sizeof *st);
}

/* A one-replicate simulation kept for reuse: replicate 0 of a later simulation at the same kappa, with the
 * same seed, is the same draws and the same W (the families computed, `need`), so the threshold simulation
 * copies it and carries on from the random state after it (st: its streams; r: the state; months: its
 * months with children). The model check's trial at the kappa it settles on is the one kept. */
struct rep0 {
	bool have;
	double kappa;
	unsigned need;
	struct srng r;
	double months;
	struct streams st;
	double *oea; /* per home-month: the counts o, levels e and dispersions alpha (K each) the W came from */
	bool want_oea; /* set before simulate: keep oea (others_fit reads it) */
};

static void rep0_free(struct rep0 *c)
{
	streams_free(&c->st);
	free(c->oea);
	memset(c, 0, sizeof *c);
}

struct ranked {
	double top;
	size_t i;
};

static int by_top(const void *a, const void *b)
{
	double x = ((const struct ranked *)a)->top, y = ((const struct ranked *)b)->top;
	return x > y ? -1 : x < y;
}

/* r sorted by top, descending, as qsort with by_top sorts it: an LSD radix sort on the tops' bits (every top
 * is a CUSUM's highest value, >= +0, and the bits of such doubles order as their values; a byte all share is
 * passed over), stable, so ties keep their order as glibc's merge sort keeps them (nothing reads the order
 * of ties: every count over the sorted streams is of whole alarms). False (nothing done) when a top is not
 * a number >= +0, or without the memory: qsort then. */
static bool sort_tops(struct ranked *r, size_t n)
{
	struct ranked *a = r, *b = malloc((n + 1) * sizeof *b);
	if (!b)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!(r[i].top >= 0) || signbit(r[i].top)) {
			free(b);
			return false;
		}
	for (int sh = 0; sh < 64; sh += 8) {
		size_t cnt[256] = {0};
		for (size_t i = 0; i < n; i++) {
			uint64_t u;
			memcpy(&u, &a[i].top, sizeof u);
			cnt[(~u >> sh) & 255]++;
		}
		bool all = false;
		for (int d = 0; d < 256 && !all; d++)
			all = cnt[d] == n;
		if (all)
			continue;
		size_t at = 0;
		for (int d = 0; d < 256; d++) {
			size_t c = cnt[d];
			cnt[d] = at;
			at += c;
		}
		for (size_t i = 0; i < n; i++) {
			uint64_t u;
			memcpy(&u, &a[i].top, sizeof u);
			b[cnt[(~u >> sh) & 255]++] = a[i];
		}
		struct ranked *t = a;
		a = b, b = t;
	}
	if (a != r)
		memcpy(r, a, n * sizeof *r);
	free(a == r ? b : a);
	return true;
}

static int streams_alloc(struct streams *st, const size_t n[OV_NFAMILY], size_t nm)
{
	memset(st, 0, sizeof *st);
	st->nm = nm;
	for (int f = 0; f < OV_NFAMILY; f++) {
		st->n[f] = n[f];
		st->w[f] = malloc((n[f] * nm + 1) * sizeof *st->w[f]);
		st->top[f] = malloc((n[f] + 1) * sizeof *st->top[f]);
		st->order[f] = malloc((n[f] + 1) * sizeof *st->order[f]);
		if (!st->w[f] || !st->top[f] || !st->order[f]) {
			streams_free(st);
			return OV_ENOMEM;
		}
	}
	return OV_OK;
}

/* Each stream's top, then the streams sorted by it (descending). Without the memory to sort, the streams
 * stay in order with tops of infinity: every one is read, the same counts, only slower. sort false (the
 * model check's one-replicate trials, which read a few quantiles of the tops only): the tops in stream
 * order, unsorted; check_fits selects its quantiles from them. */
static void streams_index(struct streams *st, bool sort)
{
	st->unsorted = !sort;
	for (int f = 0; f < OV_NFAMILY; f++) {
		struct ranked *r = sort ? malloc((st->n[f] + 1) * sizeof *r) : NULL;
		for (size_t i = 0; i < st->n[f]; i++) {
			double c = 0, mx = 0;
			const double *x = &st->w[f][i * st->nm];
			for (size_t t = 0; t < st->nm; t++) {
				c += x[t];
				if (c < 0)
					c = 0;
				if (c > mx)
					mx = c;
			}
			st->order[f][i] = i;
			st->top[f][i] = r || !sort ? mx : INFINITY;
			if (r)
				r[i] = (struct ranked){mx, i};
		}
		if (r) {
			if (!sort_tops(r, st->n[f]))
				qsort(r, st->n[f], sizeof *r, by_top);
			for (size_t i = 0; i < st->n[f]; i++)
				st->top[f][i] = r[i].top, st->order[f][i] = r[i].i;
			free(r);
		}
	}
}

/* Alarms per 100 home-years of family f at threshold h (charts restarting after a signal). */
static double rate_at(const struct streams *st, int f, double h)
{
	double n = 0;
	for (size_t j = 0; j < st->n[f] && st->top[f][j] >= h; j++) {
		double c = 0;
		const double *x = &st->w[f][st->order[f][j] * st->nm];
		for (size_t t = 0; t < st->nm; t++) {
			c += x[t];
			if (c < 0)
				c = 0;
			if (c >= h) {
				n++;
				c = 0;
			}
		}
	}
	return st->home_years > 0 ? n * 100 / st->home_years : 0;
}

/* Whether family f raises more than rate at h. Below hmin it is taken to (boot_single: st holds only the
 * streams whose top reaches hmin, and the rate at hmin is above rate; the rate never rises with h, as a
 * chart restarting at a higher threshold signals no more often). */
static bool over_rate(const struct streams *st, int f, double h, double rate, double hmin)
{
	return h < hmin || rate_at(st, f, h) > rate;
}

/* The smallest h (rounded up to 0.001) at which family f raises no more than rate per 100 home-years, the
 * rates below hmin taken to be over it (h_for_rate: none). */
static double h_for_rate_from(const struct streams *st, int f, double rate, double hmin)
{
	double lo = 0, hi = 1;
	while (over_rate(st, f, hi, rate, hmin) && hi < 1e6)
		lo = hi, hi *= 2;
	while (hi - lo > 1e-4) {
		double mid = 0.5 * (lo + hi);
		if (over_rate(st, f, mid, rate, hmin))
			lo = mid;
		else
			hi = mid;
	}
	return ceil(hi * 1000) / 1000;
}

static double h_for_rate(const struct streams *st, int f, double rate)
{
	return h_for_rate_from(st, f, rate, -INFINITY);
}

/* Alarms per 100 home-years of the pair (combined chart at ha, its second chart at hb): one when either
 * reaches its threshold, both restarting, as ov_monitor runs them. */
static double pair_rate_at(const struct streams *st, double ha, double hb)
{
	double n = 0;
	const double *wa = st->w[OV_FAMILY_COMBINED], *wb = st->w[OV_FAMILY_PAIR];
	for (size_t i = 0; i < st->n[OV_FAMILY_COMBINED]; i++) {
		double a = 0, b = 0;
		for (size_t t = 0; t < st->nm; t++) {
			a = fmax(0, a + wa[i * st->nm + t]);
			b = fmax(0, b + wb[i * st->nm + t]);
			if (a >= ha || b >= hb) {
				n++;
				a = b = 0;
			}
		}
	}
	return st->home_years > 0 ? n * 100 / st->home_years : 0;
}

/* The smallest h on the grid of 0.001 in (lo, hi] thousandths at which family f raises no more than rate
 * (hi known to: h_for_rate's answers are on that grid), by bisection on the grid. */
static double h_grid(const struct streams *st, int f, double rate, double lo, double hi)
{
	while (hi - lo > 1) {
		double mid = floor(0.5 * (lo + hi));
		if (rate_at(st, f, mid / 1000) > rate)
			lo = mid;
		else
			hi = mid;
	}
	return hi;
}

/* The pair's thresholds: each chart's at the same simulated rate q (equal p-values: the alarm is the min
 * of the two charts' p-values under q), q the largest (to 0.1% of the budget, or until neither threshold
 * moves on its grid of 0.001) at which the pair, as it runs, raises no more than the combined family's
 * budget. The union of two charts alarming on the same homes costs less than the sum of their rates: q
 * lies between budget / 2 (about) and budget. Each step's thresholds are searched between the bracket's
 * (a higher q, a lower h). */
static void pair_thresholds(const struct streams *st, double budget, double h[OV_NFAMILY],
			    double rate_out[OV_NFAMILY])
{
	const int A = OV_FAMILY_COMBINED, B = OV_FAMILY_PAIR;
	double lo = budget / 2, hi = budget;
	double alo = h_for_rate(st, A, lo) * 1000, blo = h_for_rate(st, B, lo) * 1000;
	for (int i = 0; i < 20 && pair_rate_at(st, alo / 1000, blo / 1000) > budget; i++) {
		lo /= 2;
		alo = h_for_rate(st, A, lo) * 1000, blo = h_for_rate(st, B, lo) * 1000;
	}
	double ahi = h_for_rate(st, A, hi) * 1000, bhi = h_for_rate(st, B, hi) * 1000;
	if (pair_rate_at(st, ahi / 1000, bhi / 1000) <= budget)
		lo = hi, alo = ahi, blo = bhi;
	while (hi - lo > 1e-3 * budget && (alo != ahi || blo != bhi)) {
		double mid = 0.5 * (lo + hi);
		double am = h_grid(st, A, mid, ahi - 1, alo), bm = h_grid(st, B, mid, bhi - 1, blo);
		if (pair_rate_at(st, am / 1000, bm / 1000) > budget)
			hi = mid, ahi = am, bhi = bm;
		else
			lo = mid, alo = am, blo = bm;
	}
	h[A] = alo / 1000;
	h[B] = blo / 1000;
	if (rate_out) {
		rate_out[A] = pair_rate_at(st, h[A], h[B]);
		rate_out[B] = rate_at(st, B, h[B]);
	}
}

static void family_sizes(const struct ov_settings *s, size_t homes, size_t n[OV_NFAMILY])
{
	n[OV_FAMILY_UP] = homes * K;
	n[OV_FAMILY_DOWN] = 0;
	for (int k = 0; k < K; k++)
		n[OV_FAMILY_DOWN] += s->chart_down[k] ? homes : 0;
	n[OV_FAMILY_COMBINED] = homes;
	n[OV_FAMILY_PAIR] = pair_on(s) ? homes : 0;
}

/* One home-month's W into the streams of home slot hs. */
static void put_w(const struct ov_settings *s, struct streams *st, size_t hs, size_t t, const double *wm)
{
	/* down streams per home: the charts down (family_sizes), counted, not divided out per home-month */
	size_t nd = 0;
	for (int k = 0; k < K; k++)
		nd += s->chart_down[k];
	size_t dn = 0, nm = st->nm;
	for (int k = 0; k < K; k++) {
		st->w[OV_FAMILY_UP][(hs * K + (size_t)k) * nm + t] = wm[k];
		if (s->chart_down[k])
			st->w[OV_FAMILY_DOWN][(hs * nd + dn++) * nm + t] = wm[K + k];
	}
	st->w[OV_FAMILY_COMBINED][hs * nm + t] = wm[2 * K];
	if (st->n[OV_FAMILY_PAIR])
		st->w[OV_FAMILY_PAIR][hs * nm + t] = wm[2 * K + 1];
}

/* real_streams' homes lo..hi-1: each home's W into its own streams' slots. */
struct real_job {
	const struct ov_settings *s;
	const struct ov_panel *p;
	const struct ov_model *m;
	const double (*R)[K];
	const double *E, *alpha, *p0;
	struct streams *st;
};

static void real_homes(void *ctx, size_t lo, size_t hi)
{
	const struct real_job *c = ctx;
	const struct ov_panel *p = c->p;
	size_t nm = p->nmonths;
	for (size_t h = lo; h < hi; h++)
		for (size_t t = 0; t < nm; t++) {
			size_t i = (h * nm + t) * K;
			double o[K], wm[NW];
			for (int k = 0; k < K; k++)
				o[k] = p->counts[i + k];
			size_t j = h * nm + t;
			month_w(c->s, c->m, c->R, o, &c->E[i], &c->alpha[i], c->p0 ? p->reg44[j] : OV_REG44_NONE,
				c->p0 ? c->p0[j] : 0, wm, c->m->shift_scale ? c->m->shift_scale[h] : 1);
			put_w(c->s, c->st, h, t, wm);
		}
}

/* The real panel's streams, from ov_filter's E and alpha. */
static int real_streams(const struct ov_settings *s, const struct ov_panel *p, const struct ov_model *m,
			const double *E, const double *alpha, struct streams *st)
{
	double R[K][K];
	joint_corr(s, m, R);
	size_t n[OV_NFAMILY], nm = p->nmonths;
	family_sizes(s, p->nhomes, n);
	double *p0 = NULL;
	if (reg44_on(s, p) && (!(p0 = malloc((p->nhomes * nm + 1) * sizeof *p0)) || ov_reg44_p0(p, m, p0) != OV_OK)) {
		free(p0);
		return OV_ENOMEM;
	}
	if (streams_alloc(st, n, nm) != OV_OK) {
		free(p0);
		return OV_ENOMEM;
	}
	double months = 0;
	for (size_t i = 0; i < p->nhomes * nm; i++)
		months += has_children(&E[i * K]);
	struct real_job job = {s, p, m, (const double(*)[K])R, E, alpha, p0, st};
	pool_for(s->threads, p->nhomes, 64, real_homes, &job);
	free(p0);
	st->home_years = months / 12;
	streams_index(st, true);
	return OV_OK;
}

/* The log-sd of a simulated home's chance around its specialism's share pbar: the beta prior's variance
 * pbar (1 - pbar) / (A + 1) (A <= 0, no spread found: none) times kappa, as every variance of the data. */
static double reg44_sd(double pbar, double A, double kappa)
{
	double var = A > 0 ? pbar * (1 - pbar) / (A + 1) * kappa : 0;
	return lnsd(var / (pbar * pbar));
}

/* The simulation in two halves (issue 6's two seconds): the draws, one random stream in a fixed order, and
 * what is computed from them (each home's filters, its charts' W, its Reg 44 opinions as judged), which
 * reads no random number and no other home's state. simulate draws a replicate's homes in order on the
 * calling thread, chunk by chunk, while s->threads - 1 workers (and the caller, once it has drawn them all)
 * chart the chunks already drawn. Each home's W comes from its own draws with the same arithmetic
 * whichever thread charts it, so the thresholds are the same bits at any number of threads. */
#define SIM_CHUNK 16 /* homes a chunk: a lock and a wake-up each, against waiting for a larger first one */

struct sim_ctx {
	/* read by every thread */
	const struct ov_settings *s;
	const struct ov_panel *p;
	const double *Ep;
	const struct ov_model *m;
	const struct draw *dr;
	const double (*Lc)[K][K];
	const double (*R)[K];
	bool r44;
	const double *share, *pbar, *sd44;
	double A;
	unsigned need;
	/* written home by home: each home's slots only */
	struct streams *st;
	double *oea;
	size_t rep;
	double *o;       /* nhomes * nmonths * K: a replicate's counts, drawn */
	double *u44;     /* nhomes * nmonths: the uniform of each month with a Reg 44 report */
	double *p44;     /* nhomes: each home's chance of a concern */
	double *months;  /* nhomes: months with children, charted */
	/* the pipeline: homes drawn so far, and the next chunk to chart */
	size_t nchunks, drawn;
	atomic_size_t next;
	pthread_mutex_t mu;
	pthread_cond_t cv;
};

/* Home `home`'s draws of one replicate, in simulate's order of old: its lasting levels, its Reg 44 chance,
 * its slow parts, then month by month the slow parts' jumps, the month noise, the counts and the opinion's
 * uniform. */
static void sim_draw_home(struct sim_ctx *c, struct srng *r, size_t home)
{
	const struct ov_settings *s = c->s;
	const struct ov_panel *p = c->p;
	size_t nm = p->nmonths;
	const struct ov_params *qg = &c->m->par[home * K];
	const struct draw *dg = &c->dr[home * K];
	/* The home's lasting levels and slow parts (log scale). */
	double lu[K], lx[K], z[K];
	correlated(r, c->Lc[0], z);
	for (int k = 0; k < K; k++) {
		double sd = dg[k].sdu;
		lu[k] = sd * z[k] - sd * sd / 2;
	}
	double p44 = 0;
	if (c->r44) {
		double sd = c->sd44[p->group[home]];
		p44 = c->pbar[p->group[home]] * exp(sd * normal(r) - sd * sd / 2);
		if (p44 > 0.9)
			p44 = 0.9;
	}
	c->p44[home] = p44;
	bool slow = false;
	for (int k = 0; k < K; k++)
		slow |= dg[k].sdx > 0;
	memset(lx, 0, sizeof lx);
	if (slow) {
		correlated(r, c->Lc[1], z);
		for (int k = 0; k < K; k++)
			lx[k] = dg[k].sdx * z[k] - dg[k].sdx * dg[k].sdx / 2;
	}
	for (size_t t = 0; t < nm; t++) {
		const double *ep = &c->Ep[(home * nm + t) * K];
		double *o = &c->o[(home * nm + t) * K], zm[K];
		if (t > 0 && slow) {
			/* One draw decides which slow parts take a new value this month: those that change most
			 * often change whenever those that change less often do. */
			double u = rng_unit(&r->r);
			bool jump[K];
			for (int k = 0; k < K; k++)
				jump[k] = u < dg[k].jump;
			correlated_some(r, c->Lc[1], z, jump);
			for (int k = 0; k < K; k++)
				if (jump[k])
					lx[k] = dg[k].sdx * z[k] - dg[k].sdx * dg[k].sdx / 2;
		}
		if (s->negative_binomial)
			correlated(r, c->Lc[2], zm);
		for (int k = 0; k < K; k++) {
			double lg = lu[k] + lx[k], mean = ep[k] * qg[k].mu;
			if (s->negative_binomial)
				lg += dg[k].sdw * zm[k] - dg[k].sdw * dg[k].sdw / 2;
			o[k] = mean > 0 ? poisson_draw(&r->r, mean * exp(lg)) : 0;
		}
		/* The opinion's uniform, drawn whatever is in need, so every other draw is the same whatever is. */
		if (c->r44 && p->reg44[home * nm + t] != OV_REG44_NONE)
			c->u44[home * nm + t] = rng_unit(&r->r);
	}
}

/* Home `home`'s charts from its draws: it runs its filters on its own simulated history, and its W go to its
 * slots of the streams. */
static void sim_chart_home(struct sim_ctx *c, size_t home)
{
	const struct ov_settings *s = c->s;
	const struct ov_panel *p = c->p;
	const struct ov_model *m = c->m;
	size_t nm = p->nmonths, nhomes = p->nhomes;
	const struct ov_params *qg = &m->par[home * K];
	struct pf kfs[K];
	for (int k = 0; k < K; k++)
		pf_start(&kfs[k], &qg[k]);
	double p44 = c->p44[home], c44 = 0, n44 = 0, months = 0;
	for (size_t t = 0; t < nm; t++) {
		const double *ep = &c->Ep[(home * nm + t) * K], *o = &c->o[(home * nm + t) * K];
		double e[K], ac[K], wm[NW];
		for (int k = 0; k < K; k++) {
			double mean = ep[k] * qg[k].mu;
			double lv = pf_step(&kfs[k], s, o[k], mean, &ac[k]);
			e[k] = mean > 0 ? mean * lv : 0;
		}
		months += has_children(ep);
		double cw = 0;
		month_w_for(s, m, c->R, o, e, ac, OV_REG44_NONE, 0, wm, c->need, m->shift_scale ? m->shift_scale[home] : 1,
			    &cw);
		if (c->oea) {
			double *v = &c->oea[(home * nm + t) * 3 * K];
			memcpy(v, o, K * sizeof *o), memcpy(v + K, e, sizeof e), memcpy(v + 2 * K, ac, sizeof ac);
		}
		if (c->r44 && p->reg44[home * nm + t] != OV_REG44_NONE && (c->need & (1u << OV_FAMILY_COMBINED))) {
			/* The opinion moves with the month's counts as the panel's do. */
			double u44 = c->u44[home * nm + t];
			int v44 = u44 < reg44_given(m, p44, cw) ? OV_REG44_CONCERN : OV_REG44_SAFE;
			double q44 = reg44_post(c->share[(size_t)p->group[home] * nm + t], c44, n44, c->A);
			double r4 = reg44_w(s, v44, reg44_given(m, q44, cw));
			wm[2 * K] += r4;
			if (pair_on(s))
				wm[2 * K + 1] += r4;
			n44++;
			c44 += v44 == OV_REG44_CONCERN;
		}
		put_w(s, c->st, c->rep * nhomes + home, t, wm);
	}
	c->months[home] = months;
}

/* Charts the chunks not yet taken, each once its homes are drawn. */
static void sim_chart_chunks(struct sim_ctx *c)
{
	size_t nhomes = c->p->nhomes;
	for (;;) {
		size_t k = atomic_fetch_add(&c->next, 1);
		if (k >= c->nchunks)
			break;
		size_t lo = k * SIM_CHUNK, hi = lo + SIM_CHUNK < nhomes ? lo + SIM_CHUNK : nhomes;
		pthread_mutex_lock(&c->mu);
		while (c->drawn < hi)
			pthread_cond_wait(&c->cv, &c->mu);
		pthread_mutex_unlock(&c->mu);
		for (size_t h = lo; h < hi; h++)
			sim_chart_home(c, h);
	}
}

static void *sim_worker(void *arg)
{
	sim_chart_chunks(arg);
	return NULL;
}

/* One replicate: its homes drawn here in order, charted by the workers and then here too. */
static void sim_replicate(struct sim_ctx *c, struct srng *r, unsigned threads)
{
	size_t nhomes = c->p->nhomes;
	pthread_t tid[OV_THREADS_MAX];
	unsigned started = 0;
	c->drawn = 0;
	atomic_store(&c->next, 0);
	for (unsigned t = 1; t < threads && t < OV_THREADS_MAX; t++)
		if (pthread_create(&tid[started], NULL, sim_worker, c) == 0)
			started++;
	for (size_t lo = 0; lo < nhomes; lo += SIM_CHUNK) {
		size_t hi = lo + SIM_CHUNK < nhomes ? lo + SIM_CHUNK : nhomes;
		for (size_t h = lo; h < hi; h++)
			sim_draw_home(c, r, h);
		if (started) {
			pthread_mutex_lock(&c->mu);
			c->drawn = hi;
			pthread_cond_broadcast(&c->cv);
			pthread_mutex_unlock(&c->mu);
		} else {
			c->drawn = hi;
		}
	}
	sim_chart_chunks(c);
	for (unsigned t = 0; t < started; t++)
		pthread_join(tid[t], NULL);
}

/* reps in-control replicates of the panel from the model, every variance of the data times kappa (the
 * filter keeps the model's own). */
static int simulate(const struct ov_settings *s, const struct ov_panel *p, const double *Ep, const struct ov_model *m,
		    double kappa, size_t reps, unsigned need, struct streams *st, const struct rep0 *from,
		    struct rep0 *save)
{
	size_t nhomes = p->nhomes, nm = p->nmonths, n[OV_NFAMILY];
	if (need & (1u << OV_FAMILY_COMBINED))
		need |= 1u << OV_FAMILY_PAIR; /* month_w_for computes the pair's second chart with the first */
	family_sizes(s, reps * nhomes, n);
	struct draw *dr = calloc(nhomes * K + 1, sizeof *dr);
	/* Reg 44 opinions: each simulated home's own chance around its specialism's share over the span
	 * (log-normal with the beta prior's variance, times kappa), drawn in the months the real home had a
	 * report, judged as ov_reg44_p0 judges them from the specialisms' shares and its own history. */
	bool r44 = reg44_on(s, p);
	double *share = NULL, *pbar = NULL, *sd44 = NULL, A = m->reg44_prior;
	if (r44) {
		share = malloc((p->ngroups * nm + 1) * sizeof *share);
		pbar = calloc(p->ngroups + 1, sizeof *pbar);
		sd44 = calloc(p->ngroups + 1, sizeof *sd44);
	}
	if (!dr || (r44 && (!share || !pbar || !sd44 || reg44_share(p, share) != OV_OK)) ||
	    streams_alloc(st, n, nm) != OV_OK) {
		free(dr);
		free(share);
		free(pbar);
		free(sd44);
		return OV_ENOMEM;
	}
	if (r44) {
		double *gn = calloc(p->ngroups + 1, sizeof *gn);
		if (!gn) {
			free(dr), free(share), free(pbar), free(sd44);
			streams_free(st);
			return OV_ENOMEM;
		}
		for (size_t h = 0; h < nhomes; h++)
			for (size_t t = 0; t < nm; t++) {
				uint8_t v = p->reg44[h * nm + t];
				gn[p->group[h]] += v != OV_REG44_NONE;
				pbar[p->group[h]] += v == OV_REG44_CONCERN;
			}
		for (size_t g = 0; g < p->ngroups; g++) {
			pbar[g] = (pbar[g] + 0.5) / (gn[g] + 1);
			sd44[g] = reg44_sd(pbar[g], A, kappa);
		}
		free(gn);
	}
	for (size_t i = 0; i < nhomes * K; i++) {
		struct ov_params q = m->par[i];
		q.sv *= kappa, q.sa *= kappa, q.sw *= kappa;
		draw_of(&q, &dr[i]);
	}
	double Lc[3][K][K];
	for (int c = 0; c < 3; c++)
		chol_psd(m->corr[c], Lc[c]);
	double R[K][K];
	joint_corr(s, m, R);
	struct srng r = {.has_spare = false};
	rng_seed(&r.r, s->seed);
	double months_with_children = 0;
	double *oea = NULL;
	if (save && save->want_oea && reps == 1 && !(oea = malloc((nhomes * nm * 3 * K + 1) * sizeof *oea))) {
		free(dr), free(share), free(pbar), free(sd44);
		streams_free(st);
		return OV_ENOMEM;
	}
	size_t first_rep = 0;
	if (from && from->have && reps > 0 && from->kappa == kappa && (need & ~from->need) == 0 &&
	    from->st.nm == nm) {
		/* Replicate 0 as kept: the families in need copied, the others 0 as month_w_for leaves them. */
		for (int f = 0; f < OV_NFAMILY; f++) {
			size_t len = from->st.n[f] * nm;
			if (need & (1u << f))
				memcpy(st->w[f], from->st.w[f], len * sizeof *st->w[f]);
			else
				for (size_t i = 0; i < len; i++)
					st->w[f][i] = 0;
		}
		r = from->r;
		months_with_children = from->months;
		first_rep = 1;
	}
	if (first_rep < reps) {
		struct sim_ctx c = {.s = s, .p = p, .Ep = Ep, .m = m, .dr = dr, .Lc = (const double(*)[K][K])Lc,
				     .R = (const double(*)[K])R, .r44 = r44, .share = share, .pbar = pbar, .sd44 = sd44, .A = A,
				     .need = need, .st = st, .oea = oea};
		c.nchunks = (nhomes + SIM_CHUNK - 1) / SIM_CHUNK;
		c.o = malloc((nhomes * nm * K + 1) * sizeof *c.o);
		c.u44 = r44 ? malloc((nhomes * nm + 1) * sizeof *c.u44) : NULL;
		c.p44 = malloc((nhomes + 1) * sizeof *c.p44);
		c.months = malloc((nhomes + 1) * sizeof *c.months);
		if (!c.o || (r44 && !c.u44) || !c.p44 || !c.months) {
			free(c.o), free(c.u44), free(c.p44), free(c.months);
			free(dr), free(share), free(pbar), free(sd44), free(oea);
			streams_free(st);
			return OV_ENOMEM;
		}
		pthread_mutex_init(&c.mu, NULL);
		pthread_cond_init(&c.cv, NULL);
		unsigned threads = s->threads > 1 ? s->threads : 1;
		for (size_t rep = first_rep; rep < reps; rep++) {
			c.rep = rep;
			sim_replicate(&c, &r, threads);
			/* whole months: the sum is exact in any order */
			for (size_t home = 0; home < nhomes; home++)
				months_with_children += c.months[home];
		}
		pthread_cond_destroy(&c.cv);
		pthread_mutex_destroy(&c.mu);
		free(c.o), free(c.u44), free(c.p44), free(c.months);
	}
	if (save && reps == 1 && first_rep == 0) {
		save->oea = oea;
		save->have = true;
		save->kappa = kappa;
		save->need = need;
		save->r = r;
		save->months = months_with_children;
	} else {
		free(oea);
	}
	free(dr);
	free(share);
	free(pbar);
	free(sd44);
	st->home_years = months_with_children / 12.0;
	streams_index(st, !save); /* a kept trial: only check_fits reads its tops */
	return OV_OK;
}

/* Whether the model's combined charts reach as high as the panel's: the mean over the quantiles 0.5,
 * 0.55, .., fit_check of the charts' tops, model's minus panel's, is at least 0. The combined chart carries
 * most of the budget and sums four indicators, so it is where a misfit shows first; the single charts'
 * tops are mostly 0 over those quantiles and would tell nothing. */
/* The value at position k (0-based) of a[0..n-1] sorted descending, by Wirth's selection in place (a is
 * permuted): the same value the sort puts there, ties and all. */
static double kth_largest(double *a, size_t n, size_t k)
{
	ptrdiff_t l = 0, r = (ptrdiff_t)n - 1, kk = (ptrdiff_t)k;
	while (l < r) {
		double x = a[kk];
		ptrdiff_t i = l, j = r;
		do {
			while (a[i] > x)
				i++;
			while (x > a[j])
				j--;
			if (i <= j) {
				double t = a[i];
				a[i] = a[j], a[j] = t;
				i++, j--;
			}
		} while (i <= j);
		if (j < kk)
			l = i;
		if (kk < i)
			r = j;
	}
	return a[kk];
}

static double top_at(struct streams *st, int f, size_t k)
{
	return st->unsorted ? kth_largest(st->top[f], st->n[f], k) : st->top[f][k];
}

static int check_fits(const struct ov_settings *s, const struct streams *real, struct streams *sim, int f)
{
	if (!real->n[f] || !sim->n[f])
		return 1;
	double d = 0;
	int n = 0;
	for (double q = 0.5; q <= s->fit_check + 1e-9; q += 0.05, n++) {
		/* tops are sorted descending: the q-quantile is at (1 - q) n */
		size_t ir = (size_t)((1 - q) * (double)(real->n[f] - 1) + 0.5);
		size_t is = (size_t)((1 - q) * (double)(sim->n[f] - 1) + 0.5);
		d += top_at(sim, f, is) - real->top[f][ir];
	}
	return !(n && d < 0);
}

/* Whether every family in `fams` (a bit set of families with a budget) fits at this replicate. */
static int group_fits(const struct ov_settings *s, const struct streams *real, struct streams *sim, unsigned fams)
{
	for (int f = 0; f < OV_NFAMILY; f++)
		if ((fams & (1u << f)) && !check_fits(s, real, sim, f))
			return 0;
	return 1;
}

/* One trial of the model check: one replicate at kappa with families fams only, whether they fit the
 * panel; the replicate kept in *trial with its counts, levels and dispersions (others_fit, and replicate 0
 * of the threshold simulation). */
static int check_trial(const struct ov_settings *s, const struct ov_panel *p, const double *Ep,
		       const struct ov_model *m, const struct streams *real, double kappa, unsigned fams,
		       unsigned others, int *fits, struct rep0 *trial)
{
	memset(trial, 0, sizeof *trial);
	trial->want_oea = others != 0;
	if (simulate(s, p, Ep, m, kappa, 1, fams, &trial->st, NULL, trial) != OV_OK)
		return OV_ENOMEM;
	*fits = group_fits(s, real, &trial->st, fams);
	return OV_OK;
}

/* Whether the families in `others` fit at a kept trial: their W computed from the trial's own counts,
 * levels and dispersions (month_w_for with those families in need: the values a trial with them in need
 * computes, from the same draws) into its streams, which then serve the threshold simulation with them
 * too. Only the trial the check settles on needs them: every other trial skips their LLRs. */
static int others_fit(const struct ov_settings *s, const struct ov_panel *p, const struct ov_model *m,
		      const struct streams *real, unsigned others, struct rep0 *t)
{
	if (!others || (t->need & others) == others)
		return group_fits(s, real, &t->st, others);
	double R[K][K];
	joint_corr(s, m, R);
	size_t nm = p->nmonths;
	for (size_t home = 0; home < p->nhomes; home++)
		for (size_t t0 = 0; t0 < nm; t0++) {
			const double *v = &t->oea[(home * nm + t0) * 3 * K];
			double wm[NW];
			month_w_for(s, m, R, v, v + K, v + 2 * K, OV_REG44_NONE, 0, wm, others,
				    m->shift_scale ? m->shift_scale[home] : 1, NULL);
			wm[2 * K] = t->st.w[OV_FAMILY_COMBINED][home * nm + t0];
			if (t->st.n[OV_FAMILY_PAIR])
				wm[2 * K + 1] = t->st.w[OV_FAMILY_PAIR][home * nm + t0];
			put_w(s, &t->st, home, t0, wm);
		}
	t->need |= others;
	streams_index(&t->st, false);
	return group_fits(s, real, &t->st, others);
}

/* Keeps trial as the replicate at the bracket's top (kept) when it becomes that, else frees it. */
static void keep_trial(struct rep0 *kept, struct rep0 *trial, bool keep)
{
	if (keep) {
		rep0_free(kept);
		*kept = *trial;
		memset(trial, 0, sizeof *trial);
	} else {
		rep0_free(trial);
	}
}

/* The model check of the families in `fams`: the smallest kappa >= lo (to 2%) at which one simulated
 * replicate's charts reach as high as the panel's (group_fits); the same draws each trial. *also, when
 * not NULL, is set to whether the families in `others` fit at the kappa found (read from the same
 * replicate, so the single charts' check costs no simulation when they fit at the combined chart's). */
static int check_kappa(const struct ov_settings *s, const struct ov_panel *p, const double *Ep,
		       const struct ov_model *m, const struct streams *real, unsigned fams, double lo, bool lo_fails,
		       unsigned others, int *also, double *kappa, struct rep0 *kept)
{
	struct rep0 t;
	/* The bracket is the first of lo, 2 lo, 4 lo, .. (up to 64) that fits and the one before it. Found from
	 * the grid point nearest 1 from below, where most panels fit, in whichever direction it lies: fewer
	 * one-replicate simulations than climbing from the floor, the same bracket. lo_fails: lo is known not
	 * to fit (the single charts at the combined chart's kappa): start above it. */
	double floor_k = lo, hi = lo_fails ? 2 * lo : lo;
	if (!lo_fails)
		while (hi * 2 <= 1)
			hi *= 2;
	int fits;
	if (check_trial(s, p, Ep, m, real, hi, fams, others, &fits, &t) != OV_OK)
		goto nomem;
	keep_trial(kept, &t, true);
	if (fits) {
		lo = hi;
		while (lo > floor_k) {
			int f;
			if (check_trial(s, p, Ep, m, real, lo / 2, fams, others, &f, &t) != OV_OK)
				goto nomem;
			keep_trial(kept, &t, f);
			lo /= 2;
			if (!f)
				break;
			hi = lo;
		}
	} else {
		while (!fits && hi < 64) {
			lo = hi, hi *= 2;
			if (check_trial(s, p, Ep, m, real, hi, fams, others, &fits, &t) != OV_OK)
				goto nomem;
			keep_trial(kept, &t, true);
		}
	}
	while (hi / lo > 1.02 && lo < hi) {
		double mid = sqrt(lo * hi);
		int f;
		if (check_trial(s, p, Ep, m, real, mid, fams, others, &f, &t) != OV_OK)
			goto nomem;
		keep_trial(kept, &t, f);
		if (f)
			hi = mid;
		else
			lo = mid;
	}
	/* kept is the trial at hi: whether the families in others fit is read from it alone */
	if (also)
		*also = others_fit(s, p, m, real, others, kept);
	*kappa = hi;
	return OV_OK;
nomem:
	rep0_free(&t);
	return OV_ENOMEM;
}

/* Each family's threshold from its simulation (sim[gi[f]]) at its budget. */
static void pick_all(const struct streams sim[OV_NFAMILY], const int gi[OV_NFAMILY], const double budget[OV_NFAMILY],
		     double h[OV_NFAMILY], double rate_out[OV_NFAMILY])
{
	h[OV_FAMILY_PAIR] = 0; /* no pair: its chart does not run */
	if (rate_out)
		rate_out[OV_FAMILY_PAIR] = 0;
	for (int f = 0; f < OV_NFAMILY; f++) {
		const struct streams *st = &sim[gi[f]];
		if (st->n[f] == 0 || !(st->home_years > 0)) {
			h[f] = f == OV_FAMILY_PAIR ? 0 : 1e9; /* nothing to monitor: no chart can signal */
			if (rate_out)
				rate_out[f] = 0;
			continue;
		}
		if (f == OV_FAMILY_PAIR)
			continue; /* set with the combined chart's */
		h[f] = h_for_rate(st, f, budget[f]);
		if (rate_out)
			rate_out[f] = rate_at(st, f, h[f]);
		if (f == OV_FAMILY_COMBINED && st->n[OV_FAMILY_PAIR])
			pair_thresholds(st, budget[f], h, rate_out);
	}
}

/* The z of a one-sided normal confidence c: Phi(z) = c, by bisection on erfc; 0 when c <= 0.5. */
static double z_of(double c)
{
	if (!(c > 0.5))
		return 0;
	double lo = 0, hi = 40;
	for (int i = 0; i < 100 && hi - lo > 1e-9; i++) {
		double mid = 0.5 * (lo + hi);
		if (0.5 * erfc(-mid / sqrt(2.0)) < c)
			lo = mid;
		else
			hi = mid;
	}
	return 0.5 * (lo + hi);
}

/* The alarms of family f at threshold h (with the pair, of the pair at h[COMBINED], h[PAIR]) added into
 * cnt per home slot (replicate * homes + home; slots of them in all). Streams whose top is below h raise
 * none and are not read. */
static void slot_alarms(const struct streams *st, int f, const double h[OV_NFAMILY], size_t slots, double *cnt)
{
	size_t per = st->n[f] / slots, nm = st->nm;
	bool pair = f == OV_FAMILY_COMBINED && st->n[OV_FAMILY_PAIR] && h[OV_FAMILY_PAIR] > 0;
	if (!per)
		return;
	for (size_t j = 0; j < st->n[f] && (pair || st->top[f][j] >= h[f]); j++) {
		size_t i = st->order[f][j];
		const double *x = &st->w[f][i * nm], *y = pair ? &st->w[OV_FAMILY_PAIR][i * nm] : NULL;
		double a = 0, b = 0, n = 0;
		for (size_t t = 0; t < nm; t++) {
			a = fmax(0, a + x[t]);
			b = y ? fmax(0, b + y[t]) : 0;
			if (a >= h[f] || (y && b >= h[OV_FAMILY_PAIR])) {
				n++;
				a = b = 0;
			}
		}
		cnt[i / per] += n;
	}
}

/* The rate to simulate so that the area's own false alarms, all families together, stay within the budget
 * with one-sided normal chance z, read from the simulations at the thresholds h picked at the budget. The
 * area's count is a sum over its homes, independent under the model: its mean mu is the mean over
 * replicates, its variance V the sum over the real homes of each one's count's variance across replicates
 * (families on different simulations added as independent). That holds a home's repeated alarms and the
 * homes' differences, what a Poisson error would miss. Taking the dispersion V / mu as fixed near the
 * budget, the area's sd at a simulated rate R is sqrt(d R Y / 100) alarms, Y its home-years, d the
 * dispersion times 1 + 1/reps (h is itself read from reps replicates: the error of its simulated rate);
 * R solves R + z sqrt(d R 100 / Y) = budget, a quadratic in sqrt(R). */
static int budget_target(const struct streams sim[OV_NFAMILY], const int gi[OV_NFAMILY], const double h[OV_NFAMILY],
			 size_t nhomes, size_t reps, double z, double total, double *target)
{
	*target = total;
	size_t slots = nhomes * reps;
	if (!slots || reps < 2)
		return OV_OK;
	double *cnt = malloc(slots * sizeof *cnt);
	if (!cnt)
		return OV_ENOMEM;
	double mu = 0, var = 0, Y = 0;
	for (int g = 0; g < OV_NFAMILY; g++) {
		if (gi[g] != g)
			continue;
		const struct streams *st = &sim[g];
		memset(cnt, 0, slots * sizeof *cnt);
		for (int f = 0; f < OV_NFAMILY; f++)
			if (gi[f] == g && f != OV_FAMILY_PAIR && st->n[f] && h[f] < 1e9)
				slot_alarms(st, f, h, slots, cnt);
		for (size_t j = 0; j < nhomes; j++) {
			double s1 = 0, s2 = 0;
			for (size_t r = 0; r < reps; r++)
				s1 += cnt[r * nhomes + j];
			s1 /= (double)reps;
			for (size_t r = 0; r < reps; r++)
				s2 += (cnt[r * nhomes + j] - s1) * (cnt[r * nhomes + j] - s1);
			mu += s1;
			var += s2 / (double)(reps - 1);
		}
		Y = st->home_years / (double)reps;
	}
	free(cnt);
	if (!(mu > 0) || !(Y > 0))
		return OV_OK;
	double c = z * sqrt(var / mu * (1 + 1.0 / (double)reps) * 100 / Y);
	double x = 0.5 * (-c + sqrt(c * c + 4 * total));
	*target = x * x;
	return OV_OK;
}

/* Each stream's months to resample (len, ns of them): boot_combined's cut of a sustained excursion. */
static void boot_lengths(const struct ov_settings *s, const struct streams *real, int f, double h1, size_t *len)
{
	size_t nm = real->nm;
	/* The single charts' share is a hundredth of the budget each: read that far into the tail, one harmful
	 * home's first climbing months, resampled, set the threshold (e2e homes_monitor's register of 10 homes,
	 * one with restraints quadrupled: 19.7; test_oversight's boot_single_reads_each_charts_tail: 13.66
	 * against the model's 6.77), so their sustained excursion is cut from its start, the chart's last month
	 * at zero, not at its crossing as the combined chart's. */
	bool from_zero = f != OV_FAMILY_COMBINED;
	for (size_t i = 0; i < real->n[f]; i++) {
		double c = 0;
		const double *x = &real->w[f][i * nm]; /* the streams' w stay in home order */
		size_t zero = 0; /* months up to and including the chart's last at zero */
		len[i] = nm;
		/* The excursion still up at the span's end: from the chart's last month at zero on; its first
		 * signal, if any, ends the home's months. An excursion the chart came back down from stays in. */
		for (size_t t = 0; t < nm && !s->boot_whole_homes; t++) {
			c = fmax(0, c + x[t]);
			if (c <= 0)
				len[i] = nm, zero = t + 1;
			else if (c >= h1 && len[i] == nm)
				len[i] = from_zero ? zero : t + 1;
		}
	}
}

/* One resampled stream w (nm months) of x's first L months in blocks of b; adds its months with children
 * (hc: the home's, a flag a month) to *months. */
static void boot_draw(struct rng *r, const double *x, const unsigned char *hc, size_t L, size_t b, size_t nm,
		      double *w, double *months)
{
	size_t bb = b < L ? b : L, t = 0;
	while (t < L) {
		size_t st = rng_below(r, (uint32_t)(L - bb + 1));
		for (size_t u = 0; u < bb && t < L; u++, t++) {
			w[t] = x[st + u];
			*months += hc[st + u];
		}
	}
	for (; t < nm; t++)
		w[t] = 0;
}

/* The bootstrap's block length, its random stream (each family's own; the combined chart's as before, the
 * simulation's draws unchanged) and every home-month's flag of children placed. */
static size_t boot_block(const struct ov_settings *s, size_t nm)
{
	size_t b = s->boot_block > 0 ? (size_t)s->boot_block : (size_t)ceil(cbrt((double)nm));
	return b > nm ? nm : b;
}

static void boot_seed(const struct ov_settings *s, int f, struct rng *r)
{
	rng_seed(r, (s->seed ^ 0x9e3779b97f4a7c15ULL) + (uint64_t)(f == OV_FAMILY_COMBINED ? 0 : f + 1));
}

static unsigned char *boot_children(const double *E, size_t N, size_t nm)
{
	unsigned char *hc = malloc(N * nm + 1);
	for (size_t i = 0; hc && i < N * nm; i++)
		hc[i] = has_children(&E[i * K]);
	return hc;
}

/* The combined chart's threshold from the panel itself (round 12; docs/OVERSIGHT.md "The null's tail from
 * the panel"): reps replicates of each home's own stream of the chart's increments W (the panel's, from
 * ov_filter's E), its months resampled in moving blocks of b within the home (each block's start uniform
 * over the positions it fits, blocks concatenated), the threshold the smallest at which the resampled
 * streams raise no more than rate per 100 home-years. Harm must not be learnt as normal, nor a home's own
 * bursts cut away: only a sustained excursion is cut. A home whose chart (at the model's threshold h1, no
 * restarts) is still above zero at the span's end and crossed h1 since it last stood at zero gives its
 * months up to and including that crossing; every other home, its whole span, the climbs it came back down
 * from included. A harmful home gives its months before the harm was seen and not the rise after. Cut at
 * every home's first signal instead (round 12 as merged), the bootstrap could not see a burst's tail and
 * stopped near h1 plus one month's increment (docs/OVERSIGHT.md). whole (a switch for the tests): every
 * home's whole span, harm and all. bs keeps the replicates (boot_target reads them). */
static int boot_combined(const struct ov_settings *s, const struct ov_panel *p, const double *E,
			 const struct streams *real, size_t reps, double rate, double h1, double *hb,
			 struct streams *bs)
{
	const int f = OV_FAMILY_COMBINED;
	size_t N = p->nhomes, nm = p->nmonths, b = boot_block(s, nm);
	*hb = 0;
	if (!N || !nm || real->n[f] != N)
		return OV_OK;
	size_t *len = malloc((N + 1) * sizeof *len), n[OV_NFAMILY] = {0};
	unsigned char *hc = boot_children(E, N, nm);
	n[f] = reps * N;
	if (!len || !hc || streams_alloc(bs, n, nm) != OV_OK) {
		free(len), free(hc);
		return OV_ENOMEM;
	}
	boot_lengths(s, real, f, h1, len);
	struct rng r;
	boot_seed(s, f, &r);
	double months = 0;
	for (size_t rep = 0; rep < reps; rep++)
		for (size_t h = 0; h < N; h++)
			boot_draw(&r, &real->w[f][h * nm], &hc[h * nm], len[h], b, nm, &bs->w[f][(rep * N + h) * nm],
				  &months);
	bs->home_years = months / 12;
	streams_index(bs, true);
	*hb = bs->home_years > 0 ? h_for_rate(bs, f, rate) : 0;
	free(len), free(hc);
	return OV_OK;
}

/* A single family's (up or down) threshold from the panel itself (round 18; boot_combined's bootstrap, one
 * stream a chart, each resampled within its home, a sustained excursion cut from its start): *hf is the
 * bootstrap's threshold where it is above h1 (the model's), otherwise 0. Only that case changes the
 * threshold, so the replicates are not kept: each is drawn into one buffer and kept only where its top
 * reaches hmin, h1 less 0.01 (at 2,000 homes, seed 1: 176 of the up chart's 64,000, 148 of the down
 * chart's 16,000). At hmin the rate is
 * counted exactly; at or below rate, the bootstrap's threshold is below h1 (the bisection's answer is within
 * 0.0001 above a point where the rate is over it, below hmin); above it, every rate below hmin
 * is too and the bisection is the one over every replicate. The draws are boot_combined's, in its order. */
static int boot_single(const struct ov_settings *s, const struct ov_panel *p, const double *E,
		       const struct streams *real, size_t reps, int f, double rate, double h1, double *hf)
{
	size_t N = p->nhomes, nm = p->nmonths, ns = real->n[f], b = boot_block(s, nm);
	*hf = 0;
	if (!N || !nm || !ns || ns % N)
		return OV_OK;
	size_t per = ns / N, cap = 64, kept = 0; /* per: charts of a home, as put_w lays them out */
	double hmin = h1 - 0.01 > 0 ? h1 - 0.01 : -INFINITY, months = 0; /* no hmin: every replicate */
	size_t *len = malloc((ns + 1) * sizeof *len);
	double *w = malloc((cap + 1) * nm * sizeof *w);
	unsigned char *hc = boot_children(E, N, nm);
	uint32_t *cm = calloc(N * (nm + 1) + 1, sizeof *cm);
	struct streams ks = {0};
	int rc = OV_ENOMEM;
	if (!len || !w || !hc || !cm)
		goto out;
	boot_lengths(s, real, f, h1, len);
	struct rng r;
	boot_seed(s, f, &r);
	for (size_t h = 0; h < N; h++) /* months with children before each month: a block's in one subtraction */
		for (size_t t = 0; t < nm; t++)
			cm[h * (nm + 1) + t + 1] = cm[h * (nm + 1) + t] + hc[h * nm + t];
	for (size_t rep = 0; rep < reps; rep++)
		for (size_t i = 0; i < ns; i++) {
			const double *x = &real->w[f][i * nm];
			const uint32_t *ch = &cm[i / per * (nm + 1)];
			size_t L = len[i], bb = b < L ? b : L, t = 0;
			/* boot_draw's draws and months (whole numbers: the same sum), the top taken on the way with
			 * streams_index's sums (the months after L add 0) */
			double *y = &w[kept * nm], c = 0, top = 0; /* the next free slot: kept if its top reaches hmin */
			while (t < L) {
				size_t st = rng_below(&r, (uint32_t)(L - bb + 1)), e = bb < L - t ? bb : L - t;
				months += ch[st + e] - ch[st];
				for (size_t u = 0; u < e; u++, t++) {
					double v = x[st + u];
					y[t] = v;
					c += v;
					if (c < 0)
						c = 0;
					if (c > top)
						top = c;
				}
			}
			if (top < hmin)
				continue;
			for (; t < nm; t++)
				y[t] = 0;
			if (++kept < cap)
				continue;
			double *w2 = realloc(w, (2 * cap + 1) * nm * sizeof *w);
			if (!w2)
				goto out;
			w = w2, cap *= 2;
		}
	size_t n[OV_NFAMILY] = {0};
	n[f] = kept;
	if (streams_alloc(&ks, n, nm) != OV_OK)
		goto out;
	memcpy(ks.w[f], w, kept * nm * sizeof *w);
	/* a home's months once, whatever its number of charts: the family's alarms per 100 home-years */
	ks.home_years = months / 12 / (double)per;
	streams_index(&ks, true);
	if (ks.home_years > 0 && (hmin == -INFINITY || rate_at(&ks, f, hmin) > rate)) {
		double hb = h_for_rate_from(&ks, f, rate, hmin);
		*hf = hb > h1 ? hb : 0;
	}
	rc = OV_OK;
out:
	streams_free(&ks);
	free(len), free(w), free(hc), free(cm);
	return rc;
}

/* The target budget_target reads with the combined family's replicates the bootstrap's (bs, replicate x
 * home as the simulation's) at its threshold hb, the other families' the simulation's: the area's spread
 * where the panel's own increments set the combined threshold (bursty homes, repeated alarms). Y, the
 * area's home-years, stays the simulation's. */
static int boot_target(const struct streams sim[OV_NFAMILY], const int gi[OV_NFAMILY], const struct streams *bs,
		       const double h[OV_NFAMILY], double hb, size_t nhomes, size_t reps, double z, double total,
		       double *target)
{
	struct streams mix[OV_NFAMILY];
	int gm[OV_NFAMILY];
	double hh[OV_NFAMILY];
	memcpy(mix, sim, sizeof mix);
	memcpy(gm, gi, sizeof gm);
	memcpy(hh, h, sizeof hh);
	/* its own group (gi[f] <= f, so no family before it shares it; the pair's, after it, is off) */
	gm[OV_FAMILY_COMBINED] = OV_FAMILY_COMBINED;
	mix[OV_FAMILY_COMBINED] = *bs;
	mix[OV_FAMILY_COMBINED].home_years = sim[gi[OV_FAMILY_COMBINED]].home_years;
	hh[OV_FAMILY_COMBINED] = hb;
	return budget_target(mix, gm, hh, nhomes, reps, z, total, target);
}

/* One simulate call on a thread of its own (ov_thresholds_src: the combined family's beside the single
 * charts' check). */
struct sim_call {
	const struct ov_settings *s;
	const struct ov_panel *p;
	const double *Ep;
	const struct ov_model *m;
	double kappa;
	size_t reps;
	unsigned need;
	struct streams *st;
	const struct rep0 *from;
	int rc;
};

static void *sim_call_main(void *arg)
{
	struct sim_call *c = arg;
	c->rc = simulate(c->s, c->p, c->Ep, c->m, c->kappa, c->reps, c->need, c->st, c->from, NULL);
	return NULL;
}

int ov_thresholds(const struct ov_settings *s, const struct ov_panel *p, const double *Ep, const double *E,
		  const double *alpha, const struct ov_model *m, double h[OV_NFAMILY], double rate_out[OV_NFAMILY],
		  double kappa_out[OV_NFAMILY])
{
	return ov_thresholds_src(s, p, Ep, E, alpha, m, h, rate_out, kappa_out, NULL);
}

int ov_thresholds_src(const struct ov_settings *s, const struct ov_panel *p, const double *Ep, const double *E,
		      const double *alpha, const struct ov_model *m, double h[OV_NFAMILY], double rate_out[OV_NFAMILY],
		      double kappa_out[OV_NFAMILY], double *h_model)
{
	if (!s || !h || !m || check_panel(p) != OV_OK || m->nhomes != p->nhomes || (p->nhomes && !m->par) ||
	    (p->nhomes && p->nmonths && (!Ep || !E || !alpha)) ||
	    !(s->budget_confidence >= 0 && s->budget_confidence <= OV_BUDGET_CONFIDENCE_MAX))
		return OV_EINVALID;
	size_t hm = p->nhomes * p->nmonths;
	size_t reps = hm ? (size_t)ceil(s->sim_home_months / (double)hm) : 0;
	if (hm && reps < 2)
		reps = 2;
	struct streams real = {0}, sim[OV_NFAMILY], bs = {0};
	memset(sim, 0, sizeof sim);
	struct rep0 kept_c = {0}, kept_s = {0}; /* the check's replicates at kc and ks */
	struct sim_call sim_early = {0};
	pthread_t early_tid;
	bool early = false;
	double kappa[OV_NFAMILY], budget[OV_NFAMILY];
	int rc = OV_ENOMEM;
	for (int f = 0; f < OV_NFAMILY; f++) {
		budget[f] = s->false_alarms_per_100_home_years * s->share[f];
		kappa[f] = 1;
	}
	if (hm && s->fit_check > 0) {
		/* The check of the model against the panel, family by family: each chart's highest value over
		 * the span (no restarts), its quantiles from the median to fit_check (0.8) over the panel's
		 * charts, where harmful homes (a few percent, at the top) hardly count, against the same of one
		 * replicate of the model's panel. Every variance of the data the family's thresholds are
		 * simulated from is scaled by the smallest kappa >= check_floor (to 2%) at which the model's
		 * reach the panel's: up where the panel's are higher, down where the model is the noisier. */
		if (real_streams(s, p, m, E, alpha, &real) != OV_OK)
			goto out;
		unsigned comb = 0, single = 0;
		for (int f = 0; f < OV_NFAMILY; f++)
			if (budget[f] > 0 && real.n[f])
				*(f == OV_FAMILY_COMBINED ? &comb : &single) |= 1u << f;
		double kc = 1, ks;
		int singles_fit = 1;
		if (check_kappa(s, p, Ep, m, &real, comb, s->check_floor > 0 ? s->check_floor : 1, false, single,
				&singles_fit, &kc, &kept_c) != OV_OK)
			goto out;
		ks = kc;
		if (!singles_fit) {
			/* The single charts' check goes on above kc; the combined family's simulation, at kc from
			 * the check's trial there (kept_c, read only from here on), does not wait for it: on its
			 * own thread, the same call as below. */
			sim_early = (struct sim_call){s, p, Ep, m, kc, reps, (1u << OV_FAMILY_COMBINED) | (1u << OV_FAMILY_PAIR),
						      &sim[OV_FAMILY_COMBINED], &kept_c, OV_OK};
			early = s->threads > 1 && comb && pthread_create(&early_tid, NULL, sim_call_main, &sim_early) == 0;
			int rs = check_kappa(s, p, Ep, m, &real, single, kc, true, 0, NULL, &ks, &kept_s);
			if (early) {
				pthread_join(early_tid, NULL);
				if (sim_early.rc != OV_OK)
					goto out;
			}
			if (rs != OV_OK)
				goto out;
		}
		for (int f = 0; f < OV_NFAMILY; f++)
			kappa[f] = f == OV_FAMILY_COMBINED || f == OV_FAMILY_PAIR ? kc : ks;
		if (!s->boot_block)
			streams_free(&real);
		for (int f = 0; f < OV_NFAMILY && s->boot_block; f++)
			if (f != OV_FAMILY_COMBINED && (!s->boot_single || f == OV_FAMILY_PAIR)) {
				/* the bootstrap below reads the combined chart's (and with boot_single the single
				 * charts') */
				free(real.w[f]), free(real.top[f]), free(real.order[f]);
				real.w[f] = real.top[f] = NULL, real.order[f] = NULL, real.n[f] = 0;
			}
	}
	/* One simulation per distinct kappa (at most two), kept until every family's threshold is read from
	 * its own: first at the budget, then at the target the area's own spread leaves (budget_target). */
	int gi[OV_NFAMILY];
	for (int f = 0; f < OV_NFAMILY; f++) {
		gi[f] = f;
		for (int g = 0; g < f; g++)
			if (kappa[g] == kappa[f]) {
				gi[f] = g;
				break;
			}
	}
	for (int g = 0; g < OV_NFAMILY; g++) {
		if (gi[g] != g)
			continue;
		unsigned need = 0;
		for (int f = g; f < OV_NFAMILY; f++)
			need |= (unsigned)(gi[f] == g) << f;
		/* Its replicate 0 is the check's trial at this kappa when one computed what it needs (simulate
		 * checks kappa and families and otherwise draws it anew). */
		const struct rep0 *from = kept_c.have && kept_c.kappa == kappa[g] ? &kept_c : &kept_s;
		if (early && g == OV_FAMILY_COMBINED && need == sim_early.need && kappa[g] == sim_early.kappa &&
		    from == sim_early.from)
			continue; /* simulated beside the single charts' check */
		streams_free(&sim[g]); /* (empty unless the early call was not this one) */
		if (simulate(s, p, Ep, m, kappa[g], reps, need, &sim[g], from, NULL) != OV_OK)
			goto out;
	}
	pick_all(sim, gi, budget, h, rate_out);
	double z = z_of(s->budget_confidence), target = s->false_alarms_per_100_home_years;
	if (z > 0 && hm) {
		if (budget_target(sim, gi, h, p->nhomes, reps, z, s->false_alarms_per_100_home_years, &target) !=
		    OV_OK)
			goto out;
		for (int f = 0; f < OV_NFAMILY; f++)
			budget[f] = target * s->share[f];
		pick_all(sim, gi, budget, h, rate_out);
	}
	if (h_model)
		*h_model = h[OV_FAMILY_COMBINED];
	if (s->boot_block && hm && !pair_on(s) && h[OV_FAMILY_COMBINED] < 1e9) {
		/* The null's tail from the panel: the combined chart's threshold at least what the panel's own
		 * increments, resampled, need for its share of the same target (boot_combined). Where they set
		 * it, the margin for the 90% limit is read from their replicates too (boot_target): the larger
		 * spread of the two is taken, every family's threshold picked again at its target and the
		 * bootstrap read again at the combined share of it (once: the second spread is not read). */
		if (!real.w[OV_FAMILY_COMBINED] && real_streams(s, p, m, E, alpha, &real) != OV_OK)
			goto out;
		double hb;
		if (boot_combined(s, p, E, &real, reps, budget[OV_FAMILY_COMBINED], h[OV_FAMILY_COMBINED], &hb,
				  &bs) != OV_OK)
			goto out;
		if (hb > h[OV_FAMILY_COMBINED] && z > 0) {
			double tb;
			if (boot_target(sim, gi, &bs, h, hb, p->nhomes, reps, z, s->false_alarms_per_100_home_years,
					&tb) != OV_OK)
				goto out;
			if (tb < target) {
				for (int f = 0; f < OV_NFAMILY; f++)
					budget[f] = tb * s->share[f];
				pick_all(sim, gi, budget, h, rate_out);
				if (h_model)
					*h_model = h[OV_FAMILY_COMBINED];
				streams_free(&bs);
				if (boot_combined(s, p, E, &real, reps, budget[OV_FAMILY_COMBINED],
						  h[OV_FAMILY_COMBINED], &hb, &bs) != OV_OK)
					goto out;
			}
		}
		if (hb > h[OV_FAMILY_COMBINED]) {
			h[OV_FAMILY_COMBINED] = hb;
			if (rate_out)
				rate_out[OV_FAMILY_COMBINED] = rate_at(&sim[gi[OV_FAMILY_COMBINED]], OV_FAMILY_COMBINED, hb);
		}
		/* Round 18: the single charts' thresholds likewise at least their own bootstrap's for their
		 * share of the same (final) target; the margin stays the one read above. */
		for (int f = OV_FAMILY_UP; f <= OV_FAMILY_DOWN && s->boot_single; f++) {
			if (!real.w[f] || !real.n[f] || h[f] >= 1e9)
				continue;
			double hf;
			if (boot_single(s, p, E, &real, reps, f, budget[f], h[f], &hf) != OV_OK)
				goto out;
			if (hf > h[f]) {
				h[f] = hf;
				if (rate_out)
					rate_out[f] = rate_at(&sim[gi[f]], f, hf);
			}
		}
	}
	if (kappa_out)
		memcpy(kappa_out, kappa, sizeof kappa);
	rc = OV_OK;
out:
	streams_free(&real);
	streams_free(&bs);
	for (int g = 0; g < OV_NFAMILY; g++)
		streams_free(&sim[g]);
	rep0_free(&kept_c);
	rep0_free(&kept_s);
	return rc;
}

/* ---- Funnel --------------------------------------------------------------------------------------- */

static int dcmp(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;
	return a < b ? -1 : a > b;
}

/* The p-quantile of sorted[0..m) as R's quantile() computes it by default (Hyndman & Fan type 7, the one
 * FunnelPlotR winsorises with): linear between the order statistics around (m - 1) p. */
static double quantile7(const double *sorted, size_t m, double p)
{
	double h = (double)(m - 1) * p, f = floor(h);
	size_t i = (size_t)f;
	return i + 1 < m ? sorted[i] + (h - f) * (sorted[i + 1] - sorted[i]) : sorted[m - 1];
}

int ov_funnel(const double *O, const double *E, size_t n, double trim, struct ov_funnel *f,
	      struct ov_funnel_point *pts)
{
	if (!f || (n && (!O || !E)) || !(trim >= 0 && trim < 0.5))
		return OV_EINVALID;
	memset(f, 0, sizeof *f);
	double *z = malloc((n + 1) * sizeof *z), *sorted = malloc((n + 1) * sizeof *sorted);
	if (!z || !sorted) {
		free(z);
		free(sorted);
		return OV_ENOMEM;
	}
	size_t m = 0;
	double sw = 0, sw2 = 0;
	for (size_t i = 0; i < n; i++) {
		bool used = E[i] > 0;
		/* O = 0 has no log: it counts as half an event, the usual continuity correction. */
		double zi = used ? sqrt(E[i]) * log((O[i] > 0 ? O[i] : 0.5) / E[i]) : 0;
		if (pts)
			pts[i] = (struct ov_funnel_point){used ? O[i] / E[i] : 0, zi, used};
		if (!used)
			continue;
		z[m] = sorted[m] = zi;
		m++;
		sw += E[i];
		sw2 += E[i] * E[i];
	}
	f->n = m;
	if (m) {
		qsort(sorted, m, sizeof *sorted, dcmp);
		double lo = quantile7(sorted, m, trim), hi = quantile7(sorted, m, 1 - trim), phi = 0;
		for (size_t i = 0; i < m; i++) {
			double zi = z[i] < lo ? lo : z[i] > hi ? hi : z[i];
			phi += zi * zi;
		}
		f->phi = phi / (double)m;
		double den = sw - sw2 / sw, num = (double)m * f->phi - (double)(m - 1);
		f->tau2 = den > 0 && num > 0 ? num / den : 0;
	}
	free(z);
	free(sorted);
	return OV_OK;
}

double ov_funnel_limit(const struct ov_funnel *f, double E, double z, bool upper)
{
	if (!f || !(E > 0))
		return upper ? INFINITY : 0;
	double sd = sqrt(1 / E + f->tau2);
	return exp(upper ? z * sd : -z * sd);
}

/* ---- Empirical Bayes ------------------------------------------------------------------------------ */

double ov_eb_prior(const double *O, const double *E, size_t n)
{
	double num = 0, den = 0;
	for (size_t i = 0; O && E && i < n; i++)
		if (E[i] > 0) {
			num += (O[i] - E[i]) * (O[i] - E[i]) - E[i];
			den += E[i] * E[i];
		}
	double inv = den > 0 ? num / den : 0;
	return inv > 1e-6 ? 1 / inv : 1e6;
}

double ov_eb_ratio(double O, double E, double a)
{
	return (O + a) / (E + a);
}
