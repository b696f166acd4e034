/*
 * oversight/oversight.h — continuous oversight of children's homes: expected incident counts from peers,
 * funnel plots with overdispersion, CUSUM charts up and down, a combined harm chart, thresholds chosen by
 * simulation against a system-wide false-alarm budget, and empirical-Bayes shrunk rates for display
 * (methods: ../shared/design/OVERSIGHT.md; as implemented, with every decision: docs/OVERSIGHT.md).
 *
 * Pure: no I/O, no global mutable state, no clock reads. The only randomness is the seeded PRNG of the
 * threshold simulation, so the same panel and settings give the same thresholds and signals everywhere.
 * Allocation: ov_fit, ov_thresholds and ov_funnel allocate working memory proportional to the panel (freed
 * before they return) and report OV_ENOMEM when they cannot; the caller owns every output array.
 *
 * Layout of panel arrays (caller-owned, row-major):
 *   nights[h * nmonths + t]                   child-nights of home h in month t (>= 0)
 *   counts[(h * nmonths + t) * OV_NIND + k]   incidents of indicator k
 *   E, alpha: same layout as counts           expected count and NB dispersion, as of month t
 * A month with 0 child-nights has E = 0 and contributes nothing to any chart (W = 0), whatever its counts.
 */
#ifndef SAFEGUARD_OVERSIGHT_OVERSIGHT_H
#define SAFEGUARD_OVERSIGHT_OVERSIGHT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	OV_OK = 0,
	OV_EINVALID = -1, /* NULL argument, negative or non-finite nights, a group out of range */
	OV_ENOMEM = -2,
};

enum ov_indicator {
	OV_RESTRAINT, OV_INJURY, OV_MISSING, OV_POLICE, OV_COMPLAINT, OV_SELF_HARM, OV_NOTIFICATION,
	OV_ALLEGATION,
	OV_NIND,
	OV_COMBINED = OV_NIND /* the combined harm chart, in signals */
};

const char *ov_indicator_name(int k);          /* "restraint" .. "allegation", "combined"; "" otherwise */
int ov_indicator_from_name(const char *name);  /* -1 when not one of the eight */

/* Chart families: one threshold each. */
enum ov_family { OV_FAMILY_UP, OV_FAMILY_DOWN, OV_FAMILY_COMBINED, OV_NFAMILY };

/* ---- Settings ----------------------------------------------------------------------------------- */

struct ov_settings {
	double rho_up;              /* 1.75: the rate ratio an upward chart is tuned to detect */
	double rho_down;            /* 0.5: the same downward */
	int own_history_months;     /* 12: without credibility, months with children before the own rate */
	double own_prior_expected;  /* 12: without credibility, expected events pulling the own ratio to 1 */
	bool own_credibility;       /* true: the own ratio by credibility from the first month (then
	                             * own_history_months and own_prior_expected are not used); false: the
	                             * switch after own_history_months */
	double rate_prior_count;    /* 0.5: events added to the peer count so a rate is never 0 */
	double dispersion_max;      /* 5: NB alpha is clamped to [0, this] */
	bool negative_binomial;     /* true: NB likelihood; false: Poisson */
	bool chart_down[OV_NIND];   /* indicators with a downward chart: complaint, notification */
	/* The combined chart sums the NB/Poisson LLRs of these: up (restraint, injury, missing), down
	 * (complaint). */
	bool combined_up[OV_NIND], combined_down[OV_NIND];
	double false_alarms_per_100_home_years; /* 5: the budget for the whole system */
	double share[OV_NFAMILY];   /* 0.15, 0.05, 0.8: how the budget is split between up, down, combined */
	uint64_t seed;              /* of the simulation PRNG */
	double sim_home_months;     /* 240000: simulated home-months (replicates of the panel, at least 2) */
};

void ov_settings_default(struct ov_settings *s);

/* ---- Panel and fit ------------------------------------------------------------------------------ */

struct ov_panel {
	size_t nhomes, nmonths, ngroups;
	const int *group;           /* nhomes: the home's specialism, 0..ngroups-1 */
	const double *nights;       /* nhomes * nmonths */
	const uint32_t *counts;     /* nhomes * nmonths * OV_NIND */
};

/* Expected counts E and NB dispersion alpha for every home, month and indicator, each from data up to and
 * including that month only (changing month t+1 never changes month t):
 *   peer rate  r = (O_peers + rate_prior_count) / N_peers, cumulative over months <= t, peers = the other
 *              homes of the same specialism (all other homes when those have no child-nights);
 *   own ratio  by credibility (own_credibility): q = ov_credible_ratio of the home's months < t with
 *              children, with alpha and v below; without it, once the home has own_history_months months
 *              with children before t: q = (O_own + c) / (Ep_own + c), c = own_prior_expected, else q = 1
 *              (Ep_own is what the peer rates expected of it);
 *   E = nights * r * q;
 *   alpha      the month-level dispersion, by moments within homes over the other homes' months <= t
 *              with children: 1 + alpha = sum A / sum Q B / P, with per home A = sum (O^2 - O),
 *              Q = sum Ep^2, B = sum_{t!=s} O_t O_s, P = sum_{t!=s} Ep_t Ep_s (B / P estimates the home's
 *              level squared free of month noise); while no home has two months, the pooled residuals
 *              max(0, sum((O-Ep)^2 - Ep) / sum(Ep^2)). Clamped to [0, dispersion_max].
 *   v          the between-home variance of levels, the same way: 1 + v = sum B / sum P.
 *   alpha for the charts: alpha + tau + alpha tau, tau = what is unknown of the home's level (the
 *              credibility's tau; without credibility v before own_history_months, 0 after).
 *              alpha_month (may be NULL) receives alpha without it.
 * E, alpha, Ep (the peer-based part nights * r, may be NULL; the threshold simulation wants it) and
 * alpha_month have nhomes * nmonths * OV_NIND elements. */
int ov_fit(const struct ov_settings *s, const struct ov_panel *p, double *E, double *alpha, double *Ep,
	   double *alpha_month);

/* A home's own ratio by credibility (Buehlmann), from its history's sums oO = sum O, oEp = sum Ep,
 * oEp2 = sum Ep^2: Z = v oEp^2 / (v oEp^2 + oEp + alpha oEp2) (0 when v or oEp is 0),
 * q = 1 - Z + Z oO / oEp, returned, and *tau = (1 - Z) v, what is still unknown of the home's level. */
double ov_credible_ratio(double oO, double oEp, double oEp2, double alpha, double v, double *tau);

/* ---- CUSUM -------------------------------------------------------------------------------------- */

/* Log-likelihood ratio of a rate ratio rho against 1 for one observation O with expectation E:
 *   Poisson  W = O ln rho - (rho - 1) E
 *   NB (mean mu, variance mu + alpha mu^2; Hoehle & Paul 2008), with d = ln((1 + alpha E)/(1 + alpha rho E)):
 *            W = O (ln rho + d) + d / alpha      (alpha = 0 gives the Poisson form)
 * 0 when E <= 0. */
double ov_llr_poisson(double O, double E, double rho);
double ov_llr_nb(double O, double E, double rho, double alpha);

/* One step of C_t = max(0, C_{t-1} + W_t). True when C_t >= h: the chart signals, *stat receives C_t and
 * the chart restarts (*c = 0). */
bool ov_cusum_step(double *c, double w, double h, double *stat);

/* A signal: home h's chart for indicator k (OV_COMBINED for the combined chart) in month t. */
struct ov_signal {
	size_t home, month;
	int indicator;
	bool high;                  /* false: a downward chart */
	double statistic, threshold;
};
/* Return 0 to go on; a negative value stops ov_monitor and is returned. */
typedef int (*ov_emit_fn)(const struct ov_signal *sig, void *ctx);

/* Runs every chart over the panel with thresholds h[OV_NFAMILY], month by month (within a month: homes in
 * order; per home the up charts by indicator, then the down charts, then combined) and emits each signal.
 * chart_out, when not NULL (nhomes * nmonths * (2 * OV_NIND + 1) elements), receives every chart's value
 * after each month: [(h * nmonths + t) * (2 * OV_NIND + 1) + j], j = k (up), OV_NIND + k (down),
 * 2 * OV_NIND (combined); 0 for charts not run. */
int ov_monitor(const struct ov_settings *s, const struct ov_panel *p, const double *E, const double *alpha,
	       const double h[OV_NFAMILY], double *chart_out, ov_emit_fn emit, void *ctx);

/* ---- Thresholds by simulation ------------------------------------------------------------------- */

/* (Kept for callers of the earlier calibration; ov_calibrate measures v within homes.) Legitimate
 * differences between homes that the peer-based months cannot see: per indicator, the variance
 * v of a home's ratio to its peers (mean 1), by moments over each home's peer-based months (before it has
 * own_history_months of its own): with O_h, E_h the home's totals over those months,
 *   v = max(0, sum_h[(O_h - E_h)^2 - E_h - sum_t alpha E_t^2] / sum_h E_h^2).
 * This reads the whole panel: it feeds the threshold calibration only, never a month's statistics. */
int ov_heterogeneity(const struct ov_settings *s, const struct ov_panel *p, const double *E, const double *alpha,
		     double v[OV_NIND]);

/* Simulates in-control panels with the seeded PRNG: each simulated home gets a ratio to its peers
 * theta ~ Gamma(1/v[k], v[k]) per indicator (theta = 1 when v is NULL), O ~ NB(Ep * theta, alpha_month) (or
 * Poisson; alpha when alpha_month is NULL), and its charts run on the expectation ov_fit would give it: by
 * credibility (own_credibility) Ep * ov_credible_ratio of its own simulated history with dispersion
 * alpha_month + tau + alpha_month tau; otherwise Ep until own_history_months months with children, then
 * Ep * q with q from its own simulated history, with dispersion alpha. Ep is ov_fit's Ep. Runs the
 * same charts, and picks for each family the smallest h (to 1e-3) at which that family raises no more than
 * its share of the budget per 100 home-years (home-years = simulated home-months with children / 12).
 * Deterministic: the same inputs and seed give the same h. rate_out (may be NULL) receives each family's
 * simulated false alarms per 100 home-years at the chosen h. ov_thresholds_cal (below) adds correlation. */
int ov_thresholds(const struct ov_settings *s, size_t nhomes, size_t nmonths, const double *Ep,
		  const double *alpha, const double *alpha_month, const double *v, double h[OV_NFAMILY],
		  double rate_out[OV_NFAMILY]);

/* What the threshold simulation needs to know of the panel beyond Ep, by moments within homes over each
 * home's months with children (the whole panel: it feeds the calibration only, never a month's statistics):
 * per indicator the between-home variance v of a home's level and the month-level dispersion alpha, and
 * the correlation between indicators as a shared gamma factor at each level: a home's level is
 * theta_k = (1 - u_k + u_k S) T_k with S of variance home_shared, a month's noise
 * (1 - w_k + w_k D) G_k with D of variance month_shared (u = home_load, w = month_load, fitted by least
 * squares to the between-indicator covariances). */
struct ov_calibration {
	double v[OV_NIND], alpha[OV_NIND];
	double home_load[OV_NIND], home_shared;
	double month_load[OV_NIND], month_shared;
};
int ov_calibrate(const struct ov_settings *s, const struct ov_panel *p, const double *Ep,
		 struct ov_calibration *cal);
/* ov_thresholds with a calibration (ov_thresholds is this with v alone and no shared factors). */
int ov_thresholds_cal(const struct ov_settings *s, size_t nhomes, size_t nmonths, const double *Ep,
		      const double *alpha, const double *alpha_month, const struct ov_calibration *cal,
		      double h[OV_NFAMILY], double rate_out[OV_NFAMILY]);

/* ---- Funnel plot (Spiegelhalter 2005) ----------------------------------------------------------- */

struct ov_funnel_point {
	double ratio;               /* O/E (0 when E <= 0) */
	double z;                   /* sqrt(E) log(O'/E), O' = O, or 0.5 when O = 0; before winsorising */
	bool used;                  /* E > 0 */
};

struct ov_funnel {
	size_t n;                   /* homes used (E > 0) */
	double phi;                 /* mean of the winsorised z^2 */
	double tau2;                /* additive between-home variance on the log scale */
};

/* On the log scale (theta0 = 0, s^2 = 1/E, w = 1/s^2 = E): z-scores, winsorised by trim (0.1) at each end
 * as FunnelPlotR does (z below the trim-quantile set to it, above the (1 - trim)-quantile likewise, the
 * quantiles R's default, type 7: linear between order statistics), phi = mean(z^2),
 * tau2 = max(0, (n phi - (n - 1)) / (sum w - sum w^2 / sum w)). pts has n elements (may be NULL). */
int ov_funnel(const double *O, const double *E, size_t n, double trim, struct ov_funnel *f,
	      struct ov_funnel_point *pts);
/* The limit on the ratio scale at expectation E: exp(+-z sqrt(1/E + tau2)). z = 1.96 (95%), 3.09 (99.8%). */
double ov_funnel_limit(const struct ov_funnel *f, double E, double z, bool upper);

/* ---- Empirical-Bayes shrunk rates (display only) ------------------------------------------------ */

/* Gamma(a, a) prior on each home's ratio, a by moments over the homes with E > 0:
 * 1/a = max(eps, sum((O-E)^2 - E) / sum(E^2)). Returns a (a large number when there is no excess
 * variance: every home shrinks to 1). */
double ov_eb_prior(const double *O, const double *E, size_t n);
/* The shrunk ratio (O + a) / (E + a). */
double ov_eb_ratio(double O, double E, double a);

#endif
