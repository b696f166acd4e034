/*
 * oversight/oversight.h — continuous oversight of children's homes: expected incident counts from peers and
 * the area's month, an in-control model learnt from the panel (home levels by size and specialism, month
 * noise, correlation between indicators), CUSUM charts up and down and a combined harm chart, thresholds
 * by simulating that model, checked against the panel, to a system-wide false-alarm budget, funnel plots
 * with overdispersion, and empirical-Bayes shrunk rates for display
 * (methods: ../shared/design/OVERSIGHT.md; as implemented, with every decision: docs/OVERSIGHT.md).
 *
 * Pure: no I/O, no global mutable state, no clock reads. The only randomness is the seeded PRNG of the
 * threshold simulation, so the same panel and settings give the same thresholds and signals everywhere.
 * Allocation: ov_fit, ov_thresholds and ov_funnel allocate working memory proportional to the panel (freed
 * before they return) and report OV_ENOMEM when they cannot; the caller owns every output array and the
 * model (ov_model_alloc / ov_model_free).
 *
 * Layout of panel arrays (caller-owned, row-major):
 *   nights[h * nmonths + t]                   child-nights of home h in month t (>= 0)
 *   counts[(h * nmonths + t) * OV_NIND + k]   incidents of indicator k
 *   E, alpha, Ep: same layout as counts       expected count, NB dispersion, peer-based expectation
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

/* A month's Regulation 44 visit report, as the panel carries it: none, or the independent visitor's opinion
 * whether children are effectively safeguarded (Reg 44(4)(c)). */
enum ov_reg44 { OV_REG44_NONE = 0, OV_REG44_SAFE = 1, OV_REG44_CONCERN = 2 };

/* Chart families: one threshold each. OV_FAMILY_PAIR is the combined chart's second, shorter-memory chart
 * (rho_pair): it has no budget of its own; the pair is calibrated to the combined family's (ov_thresholds). */
enum ov_family { OV_FAMILY_UP, OV_FAMILY_DOWN, OV_FAMILY_COMBINED, OV_FAMILY_PAIR, OV_NFAMILY };

/* ---- Settings ----------------------------------------------------------------------------------- */

/* The most threads the threshold simulation takes (ov_settings threads). */
#define OV_THREADS_MAX 64

/* The highest budget_confidence accepted (z 2.33): the CLI's and the API's bound too. */
#define OV_BUDGET_CONFIDENCE_MAX 0.99

struct ov_settings {
	double rho_up;              /* 1.5: the rate ratio an upward chart is tuned to detect */
	double rho_down;            /* 1/1.5: the same downward */
	double rate_prior_count;    /* 0.5: events added to the peer count so a rate is never 0 */
	double dispersion_max;      /* 5: every variance of the model is clamped to [0, this] */
	bool negative_binomial;     /* true: NB likelihood; false: Poisson */
	bool month_factor;          /* true: peer expectations follow the area's month (season, area-wide
	                             * changes); false: cumulative peer rates only */
	bool slow_part;             /* false: a lasting level and month noise; true: also a slowly moving part
	                             * (a home's level drifts as its children change; docs/OVERSIGHT.md) */
	bool slow_part_sim;         /* true: the threshold simulation draws a slowly moving part, fitted from the
	                             * panel, even when the filter (slow_part false) does not follow one */
	double check_floor;         /* the model check's lowest kappa; 0: 1 (never quieter than fitted) */
	double fit_check;           /* 0.8: the highest quantile of the model check (ov_thresholds); 0: no check */
	bool combined_joint;        /* true: the combined chart's W is the likelihood ratio of the harm pattern's
	                             * shift given all eight indicators, with their in-control correlation
	                             * (ov_model corr[0]); false: the sum of the pattern's own LLRs */
	/* 0 (off; docs/OVERSIGHT.md "The pair"), or > 1 and != rho_up, with combined_joint: the combined chart is a pair of charts of the same month's
	 * joint statistic, one tuned to rho_up and one to rho_pair (the pattern's standardised shift scaled by
	 * (rho_pair - 1) / (rho_up - 1): at 1.25 a longer memory, for a small rise sustained over months), one
	 * signal when either reaches its threshold, both restarting. Calibrated to the combined family's whole
	 * share by simulation (ov_thresholds): both charts at the same simulated false-alarm rate (the alarm is
	 * the min of their p-values), that rate the largest at which the pair as it runs keeps the share.
	 * 0: one chart (measured with 1.25, 2 and 2.5; not taken). */
	double rho_pair;
	bool chart_down[OV_NIND];   /* indicators with a downward chart: complaint, notification */
	/* The combined chart sums the NB/Poisson LLRs of these: up (restraint, injury, missing), down
	 * (complaint): the harm pattern of ../shared/design/OVERSIGHT.md. */
	bool combined_up[OV_NIND], combined_down[OV_NIND];
	bool reg44;                 /* true: the combined chart also reads the Reg 44 visitors' opinions (panel reg44) */
	double rho_reg44;           /* 3: the odds ratio of a "not effectively safeguarded" opinion it is tuned to */
	double false_alarms_per_100_home_years; /* 5: the budget for the whole system */
	/* 0.9: the budget is a limit the area's own false alarms meet with this one-sided chance, not their
	 * expectation: the simulated rate is set below it by z standard errors of the area's count (z = 1.28
	 * at 0.9), the error read from the simulation's own spread over homes (ov_thresholds). 0 (or up to
	 * 0.5): the expected rate equals the budget. At most OV_BUDGET_CONFIDENCE_MAX: nearer 1 the margin
	 * grows without bound (z 6 at 0.999999999) and one setting would all but silence the monitor. */
	double budget_confidence;
	double share[OV_NFAMILY];   /* 0.08, 0.02, 0.9, 0: how the budget is split between up, down, combined
	                             * (the pair's share is the combined family's: share[OV_FAMILY_PAIR] unread) */
	/* The null's tail from the panel (issue 16, round 12): non-zero, the combined chart's threshold is at
	 * least the one read from a block bootstrap of the panel's own combined-chart increments, each home's
	 * months resampled within the home in blocks of boot_block months (< 0: ceil(months^(1/3)), the usual
	 * order of a block bootstrap's block; 4 for 36 months), a home whose chart is still up at the span's end
	 * giving only its months up to that excursion's signal at the model's threshold, so sustained harm is
	 * not learnt as normal while bursts the chart came back from are (ov_thresholds). 0: the model alone.
	 * Not with rho_pair. boot_whole_homes (false; for the tests): every home's whole span. */
	int boot_block;
	bool boot_whole_homes;
	/* true (issue 16, round 18): the single-indicator charts' thresholds (up, down) are likewise at least
	 * what a block bootstrap of the panel's own increments of each chart needs for the family's share, each
	 * chart's stream resampled within its home, a sustained excursion cut from its start (the chart's last
	 * month at zero; the combined chart's at its crossing): at a hundredth of the budget a chart, one
	 * harmful home's climb would set the threshold.
	 * Where a few homes' months are unlike the rest (a quarter's incidents recorded in one month, a step in
	 * recording), the check may settle the single charts' null below their tail. Needs boot_block. */
	bool boot_single;
	/* 2 (round 14): the joint combined chart (combined_joint) of a home with few expected incidents is tuned
	 * to the rise a year of its counts can show at z standard errors, 1 + z / sqrt(12 Ebar), Ebar its
	 * peer-expected harm-pattern count a month, where that is above rho_up and 12 Ebar >= z^2 (ov_fit sets
	 * ov_model shift_scale; the downward indicators fall to 1 / rho_h at the defaults). The pair's second
	 * chart is not scaled. 0: every home's at rho_up. */
	double rise_year_z;
	uint64_t seed;              /* of the simulation PRNG */
	/* Threads of the fit, the threshold simulation and the monitor: 0 or 1 the calling thread alone, at
	 * most OV_THREADS_MAX (the default 1; the CLI's --threads). Each simulation's random draws stay one
	 * stream in one order on one thread; what is computed from each home's draws, each home's filters and
	 * W, each lag's moments, are spread over the others, and the combined family's simulation runs beside
	 * the single charts' check. Every value is computed by the same arithmetic in the same order whichever
	 * thread computes it: the same fit, thresholds and signals, bit for bit, at any number
	 * (docs/OVERSIGHT.md "`safeguard homes monitor`", threads). */
	unsigned threads;
	double sim_home_months;     /* 240000: simulated home-months (replicates of the panel, at least 2) */
};

void ov_settings_default(struct ov_settings *s);

/* ---- Panel, the in-control model, and the fit ----------------------------------------------------- */

struct ov_panel {
	size_t nhomes, nmonths, ngroups;
	const int *group;           /* nhomes: the home's specialism, 0..ngroups-1 */
	const double *nights;       /* nhomes * nmonths */
	const uint32_t *counts;     /* nhomes * nmonths * OV_NIND */
	const uint8_t *reg44;       /* nhomes * nmonths, enum ov_reg44; NULL: no visit reports */
};

/* The in-control model of one specialism's indicator, relative to the peer-based expectation Ep: a home's
 * count in a month is Poisson with mean Ep * mu * U * X_t * e_t, each factor with mean 1: U the home's
 * lasting level (variance v), X_t a slowly moving part (variance a, correlation phi^l between months l
 * apart: the children placed change), e_t the month's noise (variance w). */
struct ov_params {
	double mu, v, a, phi, w;
	/* What the threshold simulation draws from: with slow_part_sim the same covariances fitted with a slow
	 * part (v + a phi^l), so simulated homes drift as real ones do while the filter keeps v, a, phi, w;
	 * otherwise equal to them. */
	double sv, sa, sphi, sw;
};

/* What ov_estimate learns of the panel (the whole panel: it feeds the expectation filter and the
 * threshold simulation, never which months count): per specialism and indicator the parameters above,
 * shrunk towards the other specialisms' as far as the data cannot tell them apart; and how indicators move
 * together: per part (lasting level, slow part, month noise) the correlation between indicators, on the
 * normal scale of the simulation's log-normal draws. */
struct ov_model {
	size_t nhomes;
	struct ov_params *par;      /* nhomes * OV_NIND: each home's, its specialism's at its size */
	double corr[3][OV_NIND][OV_NIND]; /* [0] lasting level, [1] slow part, [2] month noise */
	/* Reg 44 opinions: a home's chance of a "not effectively safeguarded" opinion is Beta with mean its
	 * specialism's share (ov_reg44_p0) and prior strength reg44_prior (by moments over the homes; 0 when
	 * the panel has no reports). */
	double reg44_prior;
	/* How the opinions move with the month's counts in the panel (ov_fit): logit P(concern) = logit p0 +
	 * reg44_beta (x - reg44_xbar), x the combined chart's count part that month; 0: not at all. */
	double reg44_beta, reg44_xbar;
	/* nhomes: the scale c of each home's upward harm-pattern shift in the combined chart, rho_h = 1 + c
	 * (rho_up - 1), 1 <= c <= 1 / (rho_up - 1) (rise_year_z; set by ov_fit). NULL: 1 for every home. */
	double *shift_scale;
};
int ov_model_alloc(struct ov_model *m, size_t nhomes);    /* OV_ENOMEM; zeroed, shift_scale 1 */
/* The rate ratio the joint combined chart's alternative gives indicator k (enum ov_indicator) in a home whose
 * shift_scale is cs: 1 + cs (rho_up - 1) for an upward indicator of the pattern, the matching fall
 * rho_down^g (g = log rho_h / log rho_up; 1 / rho_h at the defaults) for a downward one, 1 otherwise. */
double ov_combined_alt(const struct ov_settings *s, double cs, int k);
void ov_model_free(struct ov_model *m);

/* Peer-based expectations Ep (nhomes * nmonths * OV_NIND), each from data up to and including its month
 * (changing month t+1 never changes month t):
 *   peer rate  r = (O_peers + rate_prior_count) / X_peers over the months before t (month 0: month 0
 *              itself), peers the other homes of the same specialism (all other homes when those have no
 *              child-nights), X their child-nights each times its month's area factor (so the rate is
 *              free of the season);
 *   month      the area's factor for month t (month_factor): the other homes' count this month over what
 *              their peer rates expected, shrunk towards 1 by credibility (between-month variance of the
 *              factor so far against this month's sampling variance, both from the data);
 *   Ep = nights * r * factor; 0 in a month without child-nights. */
int ov_expect(const struct ov_settings *s, const struct ov_panel *p, double *Ep);

/* The in-control model from the panel and Ep, by moments within homes: per specialism and indicator the
 * covariances of O / (Ep mu) between months l apart (l = 0: sum(O^2 - O)), over months with children;
 * each specialism's shrunk towards the others' by a random-effects (DerSimonian-Laird) weighting with
 * sampling variances from the homes' own contributions; then v + a phi^l fitted by weighted least squares
 * to lags l >= 1 (phi on a grid of 0.02; without slow_part a = 0) and w = lag 0 - v - a. The loadings from
 * the same moments between indicators, pooled over specialisms. m must be allocated for p->ngroups. */
int ov_estimate(const struct ov_settings *s, const struct ov_panel *p, const double *Ep, struct ov_model *m);

/* The expectation each month's charts compare with, by a Kalman filter per home and indicator on the
 * model's two states (lasting level, slow part) from the home's own months before t with children:
 * E = Ep * mu * m, m the predicted level (at least 0.01); alpha = w + tau + w tau, the NB dispersion of the
 * month given what is still unknown of the level (tau = its variance / m^2), clamped to dispersion_max. A
 * new home is judged on its peers with their whole spread; its own history weighs as much as it knows. */
int ov_filter(const struct ov_settings *s, const struct ov_panel *p, const double *Ep, const struct ov_model *m,
	      double *E, double *alpha);

/* ov_expect, ov_estimate and ov_filter in one call. Ep and m may be NULL (then kept internally). */
int ov_fit(const struct ov_settings *s, const struct ov_panel *p, double *E, double *alpha, double *Ep,
	   struct ov_model *m);

/* The chance p0 of a "not effectively safeguarded" opinion that each report month is judged against
 * (nhomes * nmonths; -1 where there is no report): the home's own opinions before t shrunk towards its
 * specialism's share before t (month 0: month 0 itself) with m->reg44_prior,
 *   p0 = (A * share + concerns_before) / (A + reports_before),  share = (concerns + 0.5) / (reports + 1),
 * clamped to [0.001, 0.5]. */
int ov_reg44_p0(const struct ov_panel *p, const struct ov_model *m, double *p0);

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
 * 2 * OV_NIND (combined); 0 for charts not run. m gives the combined chart its correlation between
 * indicators (combined_joint); NULL: independent. With rho_pair and h[OV_FAMILY_PAIR] > 0 (and < 1e9) the
 * combined chart is the pair: one signal when either chart reaches its threshold (the statistic and
 * threshold of the one over, the first's when both), both restarting; chart_out holds the first's. */
int ov_monitor(const struct ov_settings *s, const struct ov_panel *p, const struct ov_model *m, const double *E,
	       const double *alpha, const double h[OV_NFAMILY], double *chart_out, ov_emit_fn emit, void *ctx);

/* ---- Thresholds by simulation ------------------------------------------------------------------- */

/* Simulates in-control panels from the fitted model with the seeded PRNG: each simulated home has a real
 * home's specialism, Ep (its child-nights, peers and months) and parameters, draws its lasting level, slow
 * part and month noise (log-normal with the model's variances and correlation between indicators),
 * O ~ Poisson, and runs its charts on what ov_filter gives it from its own simulated history. Picks for
 * each family the smallest h (to 1e-3) at which that family raises no more than its share of the budget
 * per 100 home-years (home-years = simulated home-months with children / 12). Before that, the model is
 * checked against the panel (fit_check > 0): the quantiles 0.5 .. fit_check of the combined charts'
 * highest values on the panel (from E and alpha, ov_filter's) against one simulated replicate's; where
 * the panel's are higher, every variance of the data the combined threshold is simulated from is scaled by
 * the smallest kappa >= 1 (to 2%) that lifts the model's to them. The single charts (up and down, each
 * family's quantiles) take that kappa when they fit at it, else the smallest larger one at which both
 * do, and their thresholds come from a simulation at theirs. kappa_out (may be NULL) receives each
 * family's. Deterministic: the same inputs and
 * seed give the same h. rate_out (may be NULL) receives each family's simulated false alarms per 100
 * home-years at the chosen h. The budget is held with chance budget_confidence: the thresholds are first
 * picked at the budget, the area's count of false alarms over all families read from the simulation
 * (mean mu and variance V: the sum over the real homes of each home's count's variance across replicates,
 * so overdispersion and a home's repeated alarms count), its dispersion V / mu taken as fixed, and the
 * target rate R solved from R + z sqrt(V(R)) * 100 / Y = budget (Y the area's home-years, V(R) the
 * dispersion times R Y / 100, times 1 + 1/replicates for the simulation's own error in h); each family
 * then gets its share of R. With rho_pair the combined family's h and its pair's (h[OV_FAMILY_PAIR]) are
 * chosen together, at equal simulated rates, the largest at which the pair as it runs keeps the combined
 * share; rate_out[OV_FAMILY_COMBINED] is then the pair's, rate_out[OV_FAMILY_PAIR] its second chart's
 * alone. Without it h[OV_FAMILY_PAIR] and rate_out[OV_FAMILY_PAIR] are 0. */
int ov_thresholds(const struct ov_settings *s, const struct ov_panel *p, const double *Ep, const double *E,
		  const double *alpha, const struct ov_model *m, double h[OV_NFAMILY], double rate_out[OV_NFAMILY],
		  double kappa_out[OV_NFAMILY]);
/* As ov_thresholds; h_model (when not NULL) the combined chart's threshold from the model alone, below
 * h[OV_FAMILY_COMBINED] when the panel's bootstrap set it (rate_out[OV_FAMILY_COMBINED] is then still the
 * model's rate at h, not what the panel gives). */
int ov_thresholds_src(const struct ov_settings *s, const struct ov_panel *p, const double *Ep, const double *E,
		      const double *alpha, const struct ov_model *m, double h[OV_NFAMILY], double rate_out[OV_NFAMILY],
		      double kappa_out[OV_NFAMILY], double *h_model);

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
