/*
 * synth/homes2.c — the second children's homes simulator, "style b" (`safeguard gen homes --style b`;
 * contract in homes.h). Written apart from homes.c, with a different data-generating process, so that the
 * oversight monitor can be measured on data it was not developed against (issue 16): what holds on both is
 * less likely to hold only because it was fitted to one.
 *
 * What differs from style a, on purpose (each a named parameter below):
 *   - specialisms: five, among them solo homes (one or two places, one child's story is the home's) and
 *     short-break homes (children stay days to weeks), in other shares and sizes;
 *   - incidents come from children, not from the home: each child placed carries its own propensities
 *     (gamma, heavy-tailed) for as long as it stays, so a home's level drifts as its children change and
 *     one distressed child keeps a home busy for months (dependence over months, not month noise);
 *   - home levels are log-normal, correlated across indicators through a two-factor structure (conduct:
 *     restraint, injury, missing, police, self-harm; voice: complaint, notification, allegation), with a
 *     minority of legitimately busier homes (a mixture);
 *   - indicators move together because incidents cause incidents: a restraint may injure, a missing child
 *     brings the police, serious incidents are notified (Regulation 40);
 *   - seasonality in steps (school holidays: summer, Christmas), on missing, police, restraint, self-harm,
 *     not a cosine;
 *   - the area changes under every home: restraints are recorded more each year, and new guidance raises
 *     notifications everywhere from the middle of the span;
 *   - staff turnover brings months of unrest (legitimate), and some homes change how much they record
 *     from some month on (a new manager);
 *   - homes open and close during the span;
 *   - harm ramps up over 1-5 months to a size of its own per home (log-normal), on a pattern of its own
 *     (not every harmful home shows every indicator); complaints fall in most.
 *
 * How hard it is: the magnitudes below are orders of magnitude, not a fit to any series; they were set,
 * before the monitor was reworked for issue 16, so that the monitor as it then was (commit 5381f90) scores
 * about as it scored on the independent data the issue reports (82% of harmful homes flagged, median
 * delay 5 months, 7.5 false alarms per 100 home-years; here, 1,500 homes, seeds 1-3: 78-83%, 4-5 months,
 * 8.5-9.9). Nothing of the new monitor was looked at to set them.
 *
 * Like homes.c: pure and deterministic (own PRNG stream per home from the seed and the home's number, so a
 * home does not depend on how many there are; no clock, no locale, no allocation), rows handed to the sink
 * home by home: home, its months, its incidents by date, its truth.
 */
#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "lib/rng.h"
#include "synth/homes.h"
#include "synth/synth_int.h"

#define NT SYNTH_INC_NTYPES
enum { R = SYNTH_INC_RESTRAINT, I = SYNTH_INC_INJURY, M = SYNTH_INC_MISSING, P = SYNTH_INC_POLICE,
       C = SYNTH_INC_COMPLAINT, S = SYNTH_INC_SELF_HARM, N = SYNTH_INC_NOTIFICATION, A = SYNTH_INC_ALLEGATION };

/* ---- the model's parameters ---- */

/* Specialisms: share of homes (percent), places lo..hi, a child's monthly chance of leaving, a free
 * place's monthly chance of being filled, and the base rates per 100 child-nights (the order of
 * enum synth_incident_type) before incidents cause incidents. Orders of magnitude, not a fit. */
static const struct b_spec {
	const char *code;
	unsigned pct;
	int places_lo, places_hi;
	double leave, fill;
	double rate[NT];
} b_specs[] = {
	/*                                              restr  injury missing police compl  s-harm notif  alleg */
	{"disability", 18, 3, 8, 0.03, 0.30,           {2.2,   1.3,   0.15,   0.15,  0.45,  0.40,  0.45,  0.08}},
	{"emotional_behavioural", 32, 2, 6, 0.07, 0.40, {3.0,   0.7,   2.4,    0.6,   0.50,  1.20,  0.50,  0.12}},
	{"general", 26, 3, 10, 0.08, 0.35,             {0.6,   0.35,  1.0,    0.3,   0.55,  0.50,  0.40,  0.08}},
	{"solo", 12, 1, 2, 0.05, 0.45,                 {5.0,   1.2,   2.0,    0.9,   0.30,  1.50,  0.70,  0.15}},
	{"short_breaks", 12, 4, 10, 0.65, 0.75,        {0.8,   0.5,   0.05,   0.05,  0.30,  0.10,  0.25,  0.05}},
};
#define B_NSPECS (sizeof b_specs / sizeof b_specs[0])
#define B_PLACES_MAX 10

/* Ofsted grades, percent: unrelated to harm, as in style a, in other shares. */
static const struct {
	const char *code;
	unsigned pct;
} b_ratings[] = {{"outstanding", 20}, {"good", 58}, {"requires_improvement", 17}, {"inadequate", 5}};

/* Home level per indicator: log-normal with mean 1, log-sd HOME_SD, its normal part
 * sqrt(LOAD) x factor + sqrt(1 - LOAD) x own, the factor conduct or voice per indicator. */
#define HOME_SD 0.40
#define HOME_LOAD 0.5
static const int voice[NT] = {0, 0, 0, 0, 1, 0, 1, 1};
#define BUSY_PCT 8         /* homes legitimately busier across conduct indicators ... */
#define BUSY_LEVEL 1.6     /* ... by this much */

/* A child's propensities, gamma with mean 1: distress (restraint, injury, self-harm; half of police),
 * running (missing; half of police), voice (complaints). */
#define CHILD_DISTRESS_SHAPE 5.0
#define CHILD_RUN_SHAPE 4.0
#define CHILD_VOICE_SHAPE 4.0
#define BURST_SHAPE 3.0    /* a child's month: gamma-Poisson per indicator */
#define SHOCK_SD 0.20      /* a home's month: log-normal shock on conduct indicators */

/* Incidents causing incidents, per incident. */
#define RESTRAINT_INJURES 0.10
#define MISSING_POLICE 0.30
#define NOTIFIED 0.20      /* an injury, a police call-out or an allegation is notified */

/* School holidays, multipliers by calendar month (Jan..Dec): missing and police up in the summer and at
 * Christmas; restraints down out of term (fewer school triggers); self-harm up in the dark months. */
static const double season_missing[12] = {0.90, 0.95, 1.00, 1.10, 0.95, 1.05, 1.30, 1.35, 0.90, 1.00, 0.90, 1.15};
static const double season_restraint[12] = {1.05, 1.05, 1.05, 0.95, 1.05, 1.05, 0.90, 0.80, 1.10, 1.05, 1.05, 0.90};
static const double season_self_harm[12] = {1.20, 1.15, 1.00, 0.95, 0.90, 0.90, 0.90, 0.90, 0.95, 1.00, 1.05, 1.15};

#define TREND_RESTRAINT 0.04  /* recorded restraints rise 4% a year, area-wide */
#define GUIDANCE_NOTIFY 1.35  /* notifications everywhere from the month after the span's middle */

#define TURNOVER_PCT 1.5      /* chance a month starts a spell of staff turnover ... */
#define TURNOVER_MONTHS_LO 2  /* ... of 2-5 months, unrest fading linearly */
#define TURNOVER_MONTHS_HI 5
static const double turnover_peak[NT] = {1.7, 1.4, 1.4, 1.5, 1.4, 1.2, 1.0, 1.0};

#define REPORTING_PCT 12      /* homes whose recording changes from some month on: */
#define REPORTING_LO 0.6      /* injuries, complaints, notifications, allegations times U(LO, HI) */
#define REPORTING_HI 1.7

#define OPENS_PCT 8           /* homes that open during the span (in its first half) */
#define CLOSES_PCT 5          /* homes that close (in its second half) */
#define OPEN_FILL 0.7         /* a home opening mid-span fills each place with this chance at once */

/* Harm: from the onset a rise to full size over 1..RAMP_MAX months (geometric); full size log-normal,
 * median HARM_MEDIAN, log-sd HARM_SD, kept in HARM_LO..HARM_HI; each indicator in the harm pattern with
 * its chance, at the size to a power U(0.75, 1) (at least one of restraint, injury, missing). Complaints
 * fall to 1 / size in COMPLAINT_PCT of harmful homes; allegations double in ALLEGATION_PCT. */
#define RAMP_MAX 5
#define HARM_MEDIAN 2.5
#define HARM_SD 0.25
#define HARM_LO 1.5
#define HARM_HI 4.0
static const double harm_pct[NT] = {90, 75, 65, 0, 0, 40, 0, 0};
#define COMPLAINT_PCT 60
#define ALLEGATION_PCT 30

#define PROVIDERS 250

static const char *const home_kinds[] = {"Lodge", "House", "Barn", "Mews", "Rise", "Gardens", "Farm", "Villa"};
static const char *const provider_kinds[] = {"Care", "Childcare Ltd", "Young People's Services",
					     "Residential Ltd", "Outcomes Ltd"};

/* ---- sampling, written for this file (its own draws, not homes.c's) ---- */

static double u01(struct rng *r)
{
	return rng_unit(r); /* (0, 1) */
}

/* Standard normal: Marsaglia's polar method. */
static double gauss(struct rng *r)
{
	for (;;) {
		double x = 2 * u01(r) - 1, y = 2 * u01(r) - 1, q = x * x + y * y;
		if (q > 0 && q < 1)
			return x * sqrt(-2 * log(q) / q);
	}
}

/* Gamma with mean 1 and shape k (variance 1 / k): Marsaglia & Tsang; k < 1 through
 * Gamma(k) = Gamma(k + 1) U^(1/k). */
static double gamma_m1(struct rng *r, double k)
{
	if (k < 1)
		return gamma_m1(r, k + 1) * (k + 1) * pow(u01(r), 1 / k) / k;
	double d = k - 1.0 / 3, c = 1 / sqrt(9 * d);
	for (;;) {
		double z = gauss(r), v = 1 + c * z;
		if (v <= 0)
			continue;
		v = v * v * v;
		if (log(u01(r)) < 0.5 * z * z + d - d * v + d * log(v))
			return d * v / k;
	}
}

/* Poisson by inversion (sequential search from 0), in pieces of at most 20 so the start exp(-l) keeps its
 * precision. */
static int poisson(struct rng *r, double lambda)
{
	int n = 0;
	while (lambda > 0) {
		double l = lambda > 20 ? 20 : lambda, p = exp(-l), F = p, u = u01(r);
		int k = 0;
		lambda -= l;
		while (u > F && k < 1000) {
			k++;
			p *= l / k;
			F += p;
		}
		n += k;
	}
	return n;
}

static bool chance(struct rng *r, double pct)
{
	return u01(r) * 100 < pct;
}

static int between(struct rng *r, int lo, int hi)
{
	return lo + (int)rng_below(r, (uint32_t)(hi - lo + 1));
}

/* A gamma shape whose variance 1 / k is scaled by the sweep's dispersion_scale. */
static double sh(const struct synth_homes_opts *o, double k)
{
	return k / o->dispersion_scale;
}

/* A log-normal log-sd whose variance exp(sd^2) - 1 is scaled by dispersion_scale. */
static double lsd(const struct synth_homes_opts *o, double sd)
{
	return sqrt(log1p(o->dispersion_scale * expm1(sd * sd)));
}

/* A seasonal multiplier with its swing scaled, never below 0.05. */
static double swing(const struct synth_homes_opts *o, double f)
{
	double x = 1 + o->season_scale * (f - 1);
	return x < 0.05 ? 0.05 : x;
}

/* ---- formatting (digits only: no locale) ---- */

static void digits(char *p, unsigned v, int width)
{
	for (int i = width - 1; i >= 0; i--, v /= 10)
		p[i] = (char)('0' + v % 10);
	p[width] = '\0';
}

static void join(char *dst, size_t cap, const char *a, const char *b)
{
	size_t n = 0;
	for (; *a && n + 1 < cap; a++)
		dst[n++] = *a;
	if (n + 1 < cap)
		dst[n++] = ' ';
	for (; *b && n + 1 < cap; b++)
		dst[n++] = *b;
	dst[n] = '\0';
}

/* Month n (1-based) of the span: its year and calendar month, its "YYYY-MM" and days. */
static void month_of(const struct synth_homes_opts *o, int n, int *y, int *m, char out[8])
{
	int k = o->start_year * 12 + o->start_month - 1 + n - 1;
	*y = k / 12;
	*m = k % 12 + 1;
	digits(out, (unsigned)*y, 4);
	out[4] = '-';
	digits(out + 5, (unsigned)*m, 2);
}

static int month_days(int y, int m)
{
	static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) ? 29 : d[m - 1];
}

/* ---- a home ---- */

struct child {
	bool here;
	double prop[NT]; /* propensities, mean 1 */
};

struct home {
	struct synth_home h;
	const struct b_spec *spec;
	double level[NT];
	int open_from, open_to;        /* months (1-based) in which children may be placed */
	int harmful, onset, ramp;
	double harm[NT];               /* full-size multipliers */
	int turnover_left, turnover_len;
	int report_from;               /* 0: never changes */
	double report;
	struct child child[B_PLACES_MAX];
	struct rng r44;                /* the Reg 44 visits' own stream */
	double diligence;              /* this visitor's */
};

static void new_child(const struct synth_homes_opts *o, struct rng *r, struct child *c)
{
	double d = gamma_m1(r, sh(o, CHILD_DISTRESS_SHAPE)), run = gamma_m1(r, sh(o, CHILD_RUN_SHAPE));
	c->here = true;
	for (int k = 0; k < NT; k++)
		c->prop[k] = 1;
	c->prop[R] = c->prop[I] = c->prop[S] = d;
	c->prop[M] = run;
	c->prop[P] = 0.5 * (d + run);
	c->prop[C] = gamma_m1(r, sh(o, CHILD_VOICE_SHAPE));
}

static const char *pick_rating(struct rng *r)
{
	unsigned x = rng_below(r, 100), acc = 0;
	for (size_t i = 0; i < sizeof b_ratings / sizeof b_ratings[0]; i++) {
		acc += b_ratings[i].pct;
		if (x < acc)
			return b_ratings[i].code;
	}
	return b_ratings[1].code;
}

static void make_home(const struct synth_homes_opts *o, struct rng *r, int no, struct home *s)
{
	memset(s, 0, sizeof *s);
	struct synth_home *h = &s->h;
	h->home_no = (uint64_t)no;
	/* 104729 is prime, so no * 104729 mod 900000 is one-to-one while homes < 900000. */
	h->home_id[0] = 'S';
	h->home_id[1] = 'C';
	digits(h->home_id + 2, (unsigned)(100000 + ((uint64_t)no * 104729u) % 900000u), 6);

	unsigned x = rng_below(r, 100), acc = 0;
	s->spec = &b_specs[B_NSPECS - 1];
	for (size_t i = 0; i < B_NSPECS; i++) {
		acc += b_specs[i].pct;
		if (x < acc) {
			s->spec = &b_specs[i];
			break;
		}
	}
	h->specialism = s->spec->code;
	h->places = between(r, s->spec->places_lo, s->spec->places_hi);
	h->rating = pick_rating(r);
	join(h->name, sizeof h->name, synth_street_stems[rng_below(r, synth_nstreet_stems)],
	     home_kinds[rng_below(r, sizeof home_kinds / sizeof home_kinds[0])]);
	unsigned pv = rng_below(r, PROVIDERS);
	join(h->provider, sizeof h->provider, synth_street_stems[(pv * 7) % synth_nstreet_stems],
	     provider_kinds[pv % (sizeof provider_kinds / sizeof provider_kinds[0])]);
	unsigned la = rng_below(r, synth_nareas + synth_nother_las);
	digits(h->la_code, (unsigned)(la < synth_nareas ? synth_areas[la].la : synth_other_las[la - synth_nareas]), 3);

	/* Levels: correlated log-normal, mean 1. */
	double sd = lsd(o, HOME_SD), f[2] = {gauss(r), gauss(r)};
	bool busy = chance(r, BUSY_PCT);
	for (int k = 0; k < NT; k++) {
		double z = sqrt(HOME_LOAD) * f[voice[k]] + sqrt(1 - HOME_LOAD) * gauss(r);
		s->level[k] = exp(sd * z - sd * sd / 2) * (busy && !voice[k] ? BUSY_LEVEL : 1);
	}

	s->open_from = 1;
	s->open_to = o->months;
	if (chance(r, OPENS_PCT))
		s->open_from = between(r, 2, o->months / 2);
	else if (chance(r, CLOSES_PCT))
		s->open_to = between(r, o->months / 2 + 1, o->months - 1);
	if (chance(r, REPORTING_PCT)) {
		s->report_from = between(r, 2, o->months);
		s->report = REPORTING_LO + (REPORTING_HI - REPORTING_LO) * u01(r);
	}

	int lo, hi;
	synth_homes_onset_range(o->months, &lo, &hi);
	/* Onsets only while the home is open (the ranges always overlap: a home opens in the span's first
	 * half and closes in its second). */
	if (lo < s->open_from)
		lo = s->open_from;
	if (hi > s->open_to)
		hi = s->open_to;
	if (hi < lo)
		hi = lo;
	s->harmful = chance(r, o->harmful_pct);
	double size = exp(log(HARM_MEDIAN) + HARM_SD * gauss(r));
	size = size < HARM_LO ? HARM_LO : size > HARM_HI ? HARM_HI : size;
	s->onset = between(r, lo, hi);
	s->ramp = between(r, 1, RAMP_MAX);
	for (int k = 0; k < NT; k++)
		s->harm[k] = chance(r, harm_pct[k]) ? pow(size, 0.75 + 0.25 * u01(r)) : 1;
	if (s->harm[R] == 1 && s->harm[I] == 1 && s->harm[M] == 1)
		s->harm[R] = size;
	if (chance(r, COMPLAINT_PCT))
		s->harm[C] = 1 / size;
	if (chance(r, ALLEGATION_PCT))
		s->harm[A] = 2;
	for (int k = 0; k < NT; k++)
		s->harm[k] = pow(s->harm[k], o->harm_scale);
	if (!s->harmful)
		s->onset = 0;

	/* Children at the start, if open. */
	if (s->open_from == 1) {
		int n = (h->places + 1) / 2 + (int)rng_below(r, (uint32_t)(h->places / 2 + 1));
		for (int c = 0; c < n && c < h->places; c++)
			new_child(o, r, &s->child[c]);
	}
}

/* Regulation 44 visits, written for this file (an assumption, not a fit: how often a visitor sees harm is
 * unknown). The visitor reads the home's records: the opinion "not effectively safeguarded" comes with
 * B_REG44_CONCERN times the visitor's diligence times (the month's restraints, injuries and missing
 * episodes + 1 over what the specialism usually records with these child-nights + 1) to the power
 * B_REG44_RECORDS, so a distressed child's months worry a visitor in a home that harms no one; a new
 * visitor every B_REG44_TERM months, diligence log-normal (log-sd B_REG44_SD: some never raise a concern);
 * a report in B_REG44_VISIT_PCT of the months with children; in a harmful home a visit sees the harm with
 * B_REG44_SEE times the diligence (at most 0.9) as the harm ramps up. */
#define B_REG44_VISIT_PCT 80
#define B_REG44_CONCERN 0.02
#define B_REG44_RECORDS 0.7
#define B_REG44_TERM 12
#define B_REG44_SD 0.8
#define B_REG44_SEE 0.12

/* Incidents of one month by day and type (a day's count of one type fits 16 bits). */
struct day_counts {
	uint16_t n[31][NT];
};

static void add(struct day_counts *dc, int day, int k, int n)
{
	unsigned v = dc->n[day - 1][k] + (unsigned)n;
	dc->n[day - 1][k] = (uint16_t)(v > 65535 ? 65535 : v);
}

static int run_month(const struct synth_homes_opts *o, struct rng *r, struct home *s, int n,
		     const struct synth_homes_sink *sink)
{
	int y, m, rc;
	struct synth_home_month hm = {.home = &s->h, .month_no = n};
	month_of(o, n, &y, &m, hm.month);
	int days = month_days(y, m);
	bool open = n >= s->open_from && n <= s->open_to;

	/* Who is here on which nights: from[c]..to[c] (day numbers; nights from..to, to < from: none). */
	int from[B_PLACES_MAX], to[B_PLACES_MAX], nights = 0;
	for (int c = 0; c < B_PLACES_MAX; c++)
		from[c] = 1, to[c] = 0;
	if (!open) {
		for (int c = 0; c < B_PLACES_MAX; c++)
			s->child[c].here = false;
	} else {
		for (int c = 0; c < s->h.places; c++) {
			struct child *ch = &s->child[c];
			if (ch->here) {
				from[c] = 1;
				to[c] = days;
				if (u01(r) < s->spec->leave) {
					to[c] = between(r, 1, days) - 1; /* leaves on that day */
					ch->here = false;
				}
			} else if (n == s->open_from && s->open_from > 1 ? u01(r) < OPEN_FILL : u01(r) < s->spec->fill) {
				new_child(o, r, ch);
				from[c] = between(r, 1, days);
				to[c] = days;
			}
			if (to[c] >= from[c])
				nights += to[c] - from[c] + 1;
		}
	}
	hm.child_nights = nights;
	if (sink->month && (rc = sink->month(&hm, sink->ctx)) != 0)
		return rc;

	/* This month's factors, every one drawn whether or not a child is here (one path). */
	double shock = exp(lsd(o, SHOCK_SD) * gauss(r) - lsd(o, SHOCK_SD) * lsd(o, SHOCK_SD) / 2);
	if (s->turnover_left == 0 && chance(r, TURNOVER_PCT)) {
		s->turnover_len = between(r, TURNOVER_MONTHS_LO, TURNOVER_MONTHS_HI);
		s->turnover_left = s->turnover_len;
	}
	double unrest = 0;
	if (s->turnover_left > 0) {
		unrest = (double)s->turnover_left / s->turnover_len; /* 1 in the first month, fading */
		s->turnover_left--;
	}
	double f[NT];
	for (int k = 0; k < NT; k++) {
		f[k] = s->spec->rate[k] * o->rate_scale / 100.0 * s->level[k];
		f[k] *= 1 + (turnover_peak[k] - 1) * unrest;
	}
	f[M] *= swing(o, season_missing[m - 1]);
	f[P] *= swing(o, 0.5 + 0.5 * season_missing[m - 1]);
	f[R] *= swing(o, season_restraint[m - 1]) * (1 + TREND_RESTRAINT * (n - 1) / 12.0);
	f[S] *= swing(o, season_self_harm[m - 1]);
	if (n > o->months / 2)
		f[N] *= GUIDANCE_NOTIFY;
	f[R] *= shock, f[I] *= shock, f[S] *= shock;
	f[M] *= sqrt(shock), f[P] *= sqrt(shock);
	if (s->report_from && n >= s->report_from)
		f[I] *= s->report, f[C] *= s->report, f[N] *= s->report, f[A] *= s->report;
	if (s->harmful && n >= s->onset) {
		double part = (double)(n - s->onset + 1) / s->ramp;
		if (part > 1)
			part = 1;
		for (int k = 0; k < NT; k++)
			f[k] *= pow(s->harm[k], part);
	}

	struct day_counts dc;
	memset(&dc, 0, sizeof dc);
	for (int c = 0; c < s->h.places; c++) {
		if (to[c] < from[c])
			continue;
		int cn = to[c] - from[c] + 1;
		for (int k = 0; k < NT; k++) {
			int cnt = poisson(r, f[k] * cn * s->child[c].prop[k] * gamma_m1(r, sh(o, BURST_SHAPE)));
			for (int i = 0; i < cnt; i++) {
				int d = between(r, from[c], to[c]);
				add(&dc, d, k, 1);
				/* Incidents causing incidents, the same day. */
				int inj = k == R && u01(r) < RESTRAINT_INJURES, pol = k == M && u01(r) < MISSING_POLICE;
				add(&dc, d, I, inj);
				add(&dc, d, P, pol);
				int serious = (k == I || k == P || k == A) + inj + pol, notified = 0;
				for (int j = 0; j < serious; j++)
					notified += u01(r) < NOTIFIED;
				add(&dc, d, N, notified);
			}
		}
	}
	if (sink->reg44 && (n - 1) % B_REG44_TERM == 0) {
		double sd = lsd(o, B_REG44_SD);
		s->diligence = exp(sd * gauss(&s->r44) - sd * sd / 2);
	}
	if (sink->reg44 && nights > 0 && chance(&s->r44, B_REG44_VISIT_PCT)) {
		double rim = 0, usual = (s->spec->rate[R] + s->spec->rate[I] + s->spec->rate[M]) * o->rate_scale / 100.0 * nights;
		for (int d = 0; d < days; d++)
			rim += dc.n[d][R] + dc.n[d][I] + dc.n[d][M];
		double pc = B_REG44_CONCERN * o->rate_scale * s->diligence * pow((rim + 1) / (usual + 1), B_REG44_RECORDS);
		double see = 0;
		if (s->harmful && n >= s->onset) {
			double part = (double)(n - s->onset + 1) / s->ramp;
			see = B_REG44_SEE * s->diligence * (part > 1 ? 1 : part);
			see = 1 - pow(1 - (see > 0.9 ? 0.9 : see), o->harm_scale);
		}
		pc = pc > 0.6 ? 0.6 : pc;
		struct synth_home_reg44 rep = {.home = &s->h, .safeguarded = !(u01(&s->r44) < 1 - (1 - pc) * (1 - see))};
		memcpy(rep.month, hm.month, 8);
		if ((rc = sink->reg44(&rep, sink->ctx)) != 0)
			return rc;
	}
	struct synth_home_incident inc = {.home = &s->h};
	memcpy(inc.date, hm.month, 7);
	inc.date[7] = '-';
	for (int d = 1; d <= days; d++) {
		digits(inc.date + 8, (unsigned)d, 2);
		for (int k = 0; k < NT; k++)
			for (int i = 0; i < dc.n[d - 1][k]; i++) {
				inc.type = (enum synth_incident_type)k;
				if (sink->incident && (rc = sink->incident(&inc, sink->ctx)) != 0)
					return rc;
			}
	}
	return 0;
}

int synth_homes2_generate(const struct synth_homes_opts *o, const struct synth_homes_sink *sink)
{
	if (synth_homes_check_opts(o) != 0)
		return -1;
	for (int i = 1; i <= o->homes; i++) {
		struct rng r;
		struct home s;
		int rc, y, m;
		/* Its own stream per home, apart from style a's ("homes2" + i). */
		rng_seed(&r, rng_mix64(o->seed * 0x9e3779b97f4a7c15ULL) ^ rng_mix64(0x686f6d657332ULL + (uint64_t)i));
		make_home(o, &r, i, &s);
		rng_seed(&s.r44, rng_mix64(o->seed * 0x9e3779b97f4a7c15ULL) ^ rng_mix64(0x72656734342bULL + (uint64_t)i));
		if (sink->home && (rc = sink->home(&s.h, sink->ctx)) != 0)
			return rc;
		for (int n = 1; n <= o->months; n++)
			if ((rc = run_month(o, &r, &s, n, sink)) != 0)
				return rc;
		struct synth_home_truth t = {.home = &s.h, .harmful = s.harmful, .onset_month_no = s.onset};
		if (s.harmful)
			month_of(o, s.onset, &y, &m, t.onset_month);
		if (sink->truth && (rc = sink->truth(&t, sink->ctx)) != 0)
			return rc;
	}
	return 0;
}
