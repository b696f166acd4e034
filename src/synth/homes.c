/*
 * synth/homes.c — the children's homes simulator (contract in homes.h).
 *
 * Shape of a run: homes in order 1..n; each home draws from its own PRNG stream (seeded from the
 * options' seed and the home number), so a home's months do not depend on how busy earlier homes were,
 * and a home is the same whatever --homes says. One home and one month live on the stack; nothing is
 * allocated.
 *
 * The model, month by month for one home:
 *   children present  a random walk: each child leaves with LEAVE_PCT a month on a random day, one
 *                     arrives with ARRIVE_PCT when there is room; with EMPTY_PCT the home stands empty
 *                     for 1-2 months (between placements, a refit) and then refills;
 *   expected count    rate per 100 child-nights for the specialism (base_rate)
 *                     x the home's own level (gamma: shared HOME_SHAPE times per-type TYPE_SHAPE)
 *                     x season (missing and police, summer peak)
 *                     x this month's distress (gamma DISTRESS_SHAPE; restraint, injury, self-harm, police)
 *                     x a high-needs arrival's spike (SPIKE_RATE for 1-2 months; restraint, self-harm)
 *                     x harm from the onset (HARM_LO..HARM_HI up; COMPLAINT_HARM down);
 *   observed count    Poisson of that times gamma(BURST_SHAPE): negative binomial, overdispersed.
 * Incidents are dated on days when children were there and emitted in date order.
 */
#include "synth/homes.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "lib/rng.h"
#include "synth/synth_int.h"

/* ---- the model's parameters ---- */

/* Specialisms: share of homes (percent), registered places lo..hi, and base rates per 100 child-nights
 * in the order of enum synth_incident_type. Emotional/behavioural homes restrain and lose children
 * most; homes for disabled children restrain and injure but rarely report missing; general homes are
 * quieter. Orders of magnitude, not a fit to any published series. */
static const struct specialism {
	const char *code;
	unsigned pct;
	int places_lo, places_hi;
	double rate[SYNTH_INC_NTYPES];
} specialisms[] = {
	/*                                     restr  injury missing police compl  s-harm notif  alleg */
	{"disability", 25, 2, 6,            {3.0,   1.2,   0.2,    0.3,   0.5,   0.5,   0.9,   0.10}},
	{"emotional_behavioural", 45, 2, 5, {2.5,   0.9,   2.0,    1.2,   0.6,   1.0,   1.0,   0.15}},
	{"general", 30, 3, 8,               {0.8,   0.5,   1.2,    0.6,   0.6,   0.6,   0.7,   0.10}},
};
#define NSPECIALISMS (sizeof specialisms / sizeof specialisms[0])

/* Ofsted grades, percent of homes. Drawn independently of harm: the point of issue 6 is that a grade
 * says little about what is happening now. */
static const struct {
	const char *code;
	unsigned pct;
} ratings[] = {{"outstanding", 15}, {"good", 65}, {"requires_improvement", 17}, {"inadequate", 3}};

#define HOME_SHAPE 10.0    /* a home's overall level: gamma, mean 1, CV 0.32 */
#define TYPE_SHAPE 4.0     /* and per indicator on top: gamma, mean 1, CV 0.5 */
#define DISTRESS_SHAPE 6.0 /* a month's shared distress: gamma, mean 1, CV 0.41 */
#define BURST_SHAPE 4.0    /* per indicator and month: gamma-Poisson, CV of the rate 0.5 */

/* Season: 1 + amplitude * cos(2 pi (calendar month - peak) / 12). Missing episodes rise in the long
 * summer evenings and holidays; police call-outs follow them. */
#define SEASON_PEAK_MONTH 7
#define SEASON_MISSING 0.30
#define SEASON_POLICE 0.15

#define OCCUPANCY_LO_PCT 60 /* children present at the start, share of places: 60-100% */
#define LEAVE_PCT 8         /* each child, each month */
#define ARRIVE_PCT 25       /* one arrival a month when there is a free place */
#define EMPTY_PCT 2         /* chance a month starts an empty spell of 1-2 months */
#define HIGH_NEEDS_PCT 20   /* an arriving child has high needs ... */
#define SPIKE_RATE 3.0      /* ... and restraints and self-harm run at 3 times for ... */
#define SPIKE_MONTHS_MAX 2  /* ... 1-2 months (from the arrival month), then settle */

#define HARM_LO 2.0         /* from onset: restraints, injuries, missing times U(HARM_LO, HARM_HI) */
#define HARM_HI 3.0
#define COMPLAINT_HARM 0.3  /* and complaints fall: children are silenced */

/* Regulation 44 visits (an assumption, not a fit: how often a visitor sees harm is unknown). A report for
 * REG44_VISIT_PCT of the months with children; the visitor's opinion "not effectively safeguarded" with
 * REG44_CONCERN in control times the home's visitor's leaning (gamma REG44_SHAPE: some visitors worry
 * more), and in a harmful home from its onset a visit sees the harm with REG44_SEE (raised to the harm
 * scale's power of its complement: x0.5 sees it less often). */
#define REG44_VISIT_PCT 90
#define REG44_CONCERN 0.03
#define REG44_SHAPE 2.0
#define REG44_SEE 0.15

#define PROVIDERS 300

static const char *const type_names[SYNTH_INC_NTYPES] = {
	"restraint", "injury", "missing", "police", "complaint", "self_harm", "notification", "allegation"};

static const char *const home_kinds[] = {"House", "Lodge", "Cottage", "View", "Grange", "Court", "Place"};
static const char *const provider_kinds[] = {"Care Ltd", "Children's Services", "Homes Ltd", "Care Group",
					     "Family Care", "Trust"};

/* Uniform in (0, 1]: never 0, so log() is safe. */
static double unit_closed(struct rng *r)
{
	return (double)((rng_next(r) >> 11) + 1) * 0x1.0p-53;
}

static double rng_normal(struct rng *r)
{
	return sqrt(-2.0 * log(unit_closed(r))) * cos(6.283185307179586 * unit_closed(r));
}

/* Gamma(shape k >= 1, mean 1): Marsaglia and Tsang (2000), divided by k. */
static double rng_gamma1(struct rng *r, double k)
{
	double d = k - 1.0 / 3.0, c = 1.0 / sqrt(9.0 * d);
	for (;;) {
		double x = rng_normal(r), v = 1.0 + c * x;
		if (v <= 0)
			continue;
		v = v * v * v;
		double u = unit_closed(r);
		if (log(u) < 0.5 * x * x + d - d * v + d * log(v))
			return d * v / k;
	}
}

/* Poisson: Knuth's product of uniforms, in pieces of at most 30 so exp() never underflows. */
static int rng_poisson(struct rng *r, double lambda)
{
	int n = 0;
	while (lambda > 0) {
		double piece = lambda > 30 ? 30 : lambda, limit = exp(-piece), p = 1.0;
		lambda -= piece;
		for (;;) {
			p *= unit_closed(r);
			if (p <= limit)
				break;
			n++;
		}
	}
	return n;
}

/* ---- formatting without snprintf (no locale) ---- */

static char *put_uint(char *p, unsigned v, int width)
{
	char tmp[12];
	int n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v && n < (int)sizeof tmp);
	while (n < width && n < (int)sizeof tmp)
		tmp[n++] = '0';
	while (n)
		*p++ = tmp[--n];
	*p = '\0';
	return p;
}

/* "a b" into dst of cap bytes, truncated to fit. */
static void put_str(char *dst, size_t cap, const char *a, const char *b)
{
	size_t n = 0;
	for (const char *q = a; *q && n + 1 < cap; q++)
		dst[n++] = *q;
	if (n + 1 < cap)
		dst[n++] = ' ';
	for (const char *q = b; *q && n + 1 < cap; q++)
		dst[n++] = *q;
	dst[n] = '\0';
}

/* Month n (1-based) of the span as year and calendar month. */
static void span_month(const struct synth_homes_opts *o, int n, int *y, int *m)
{
	int k = (o->start_year * 12 + (o->start_month - 1)) + (n - 1);
	*y = k / 12;
	*m = k % 12 + 1;
}

static void put_month(char out[8], int y, int m)
{
	char *p = put_uint(out, (unsigned)y, 4);
	*p++ = '-';
	put_uint(p, (unsigned)m, 2);
}

static int days_in(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : d[m - 1];
}

/* ---- the contract ---- */

void synth_homes_defaults(struct synth_homes_opts *o)
{
	o->seed = 1;
	o->homes = 2000;
	o->months = 36;
	o->start_year = 2023;
	o->start_month = 1;
	o->harmful_pct = 5;
	o->style = SYNTH_HOMES_STYLE_A;
	o->rate_scale = o->dispersion_scale = o->harm_scale = o->season_scale = 1;
}

static bool scale_ok(double x)
{
	return x >= SYNTH_HOMES_SCALE_MIN && x <= SYNTH_HOMES_SCALE_MAX;
}

int synth_homes_check_opts(const struct synth_homes_opts *o)
{
	bool ok = o->homes >= 1 && o->homes <= SYNTH_HOMES_MAX && o->months >= SYNTH_HOMES_MIN_MONTHS &&
		  o->months <= SYNTH_HOMES_MAX_MONTHS && o->harmful_pct >= 0 && o->harmful_pct <= 100 &&
		  o->start_year >= 1900 && o->start_year <= 9000 && o->start_month >= 1 && o->start_month <= 12 &&
		  (o->style == SYNTH_HOMES_STYLE_A || o->style == SYNTH_HOMES_STYLE_B) && scale_ok(o->rate_scale) &&
		  scale_ok(o->dispersion_scale) && scale_ok(o->harm_scale) && scale_ok(o->season_scale);
	return ok ? 0 : -1;
}

void synth_homes_onset_range(int months, int *lo, int *hi)
{
	*lo = months / 3 + 1;
	*hi = months * 5 / 6;
}

const char *synth_incident_type_name(enum synth_incident_type t)
{
	return (unsigned)t < SYNTH_INC_NTYPES ? type_names[t] : "";
}

/* A gamma shape with its variance (1 / shape) times the sweep's dispersion_scale; at least 1, which
 * rng_gamma1 needs (a scale above 4 meets that bound on the burst and type shapes). */
static double shape(const struct synth_homes_opts *o, double k)
{
	double s = k / o->dispersion_scale;
	return s < 1 ? 1 : s;
}

/* Everything about one home that lasts the whole span. */
struct home_state {
	struct synth_home h;
	const struct specialism *spec;
	double level[SYNTH_INC_NTYPES]; /* home effect per type, mean 1 */
	int harmful, onset;             /* onset: 1-based month, 0 when not harmful */
	double harm;                    /* the rise, HARM_LO..HARM_HI */
	int children;                   /* present at the end of the last month */
	int empty_left;                 /* months left of an empty spell */
	int spike_left;                 /* months left of a high-needs spike */
	struct rng r44;                 /* the Reg 44 visits' own stream */
	double r44_p;                   /* the visitor's chance of a concern in control */
};

static void make_home(const struct synth_homes_opts *o, struct rng *r, uint64_t no, struct home_state *s)
{
	memset(s, 0, sizeof *s);
	struct synth_home *h = &s->h;
	h->home_no = no;
	/* Unique while homes < 900000: 7919 is prime and shares no factor with 900000. */
	memcpy(h->home_id, "SC", 2);
	put_uint(h->home_id + 2, (unsigned)(100000 + (no * 7919) % 900000), 6);

	unsigned x = rng_below(r, 100), acc = 0;
	s->spec = &specialisms[NSPECIALISMS - 1];
	for (size_t i = 0; i < NSPECIALISMS; i++) {
		acc += specialisms[i].pct;
		if (x < acc) {
			s->spec = &specialisms[i];
			break;
		}
	}
	h->specialism = s->spec->code;
	h->places = s->spec->places_lo + (int)rng_below(r, (uint32_t)(s->spec->places_hi - s->spec->places_lo + 1));
	x = rng_below(r, 100);
	acc = 0;
	h->rating = ratings[1].code;
	for (size_t i = 0; i < sizeof ratings / sizeof ratings[0]; i++) {
		acc += ratings[i].pct;
		if (x < acc) {
			h->rating = ratings[i].code;
			break;
		}
	}
	put_str(h->name, sizeof h->name, synth_street_stems[rng_below(r, synth_nstreet_stems)],
		home_kinds[rng_below(r, sizeof home_kinds / sizeof home_kinds[0])]);
	unsigned p = rng_below(r, PROVIDERS);
	put_str(h->provider, sizeof h->provider, synth_street_stems[p % synth_nstreet_stems],
		provider_kinds[(p / synth_nstreet_stems) % (sizeof provider_kinds / sizeof provider_kinds[0])]);
	unsigned la = rng_below(r, synth_nareas + synth_nother_las);
	put_uint(h->la_code, (unsigned)(la < synth_nareas ? synth_areas[la].la : synth_other_las[la - synth_nareas]), 3);

	double shared = rng_gamma1(r, shape(o, HOME_SHAPE));
	for (int t = 0; t < SYNTH_INC_NTYPES; t++)
		s->level[t] = shared * rng_gamma1(r, shape(o, TYPE_SHAPE));
	s->children = (h->places * (OCCUPANCY_LO_PCT + (int)rng_below(r, 100 - OCCUPANCY_LO_PCT + 1)) + 50) / 100;
	if (s->children < 1)
		s->children = 1;

	int lo, hi;
	synth_homes_onset_range(o->months, &lo, &hi);
	/* In hundredths of a percent: for a whole percent the same decision as rng_pct on the same draw. */
	s->harmful = rng_below(r, 10000) < (uint32_t)(o->harmful_pct * 100 + 0.5);
	if (s->harmful) {
		s->onset = lo + (int)rng_below(r, (uint32_t)(hi - lo + 1));
		s->harm = pow(HARM_LO + (HARM_HI - HARM_LO) * unit_closed(r), o->harm_scale);
	}
}

/* One month of one home: who was there, then what was recorded. */
static int run_month(const struct synth_homes_opts *o, struct rng *r, struct home_state *s, int n,
		     const struct synth_homes_sink *sink)
{
	int y, m;
	span_month(o, n, &y, &m);
	int days = days_in(y, m), nights = 0, first = days + 1, last = 0;

	if (s->empty_left == 0 && s->children > 0 && rng_pct(r, EMPTY_PCT)) {
		s->empty_left = 1 + (int)rng_below(r, 2);
		s->children = 0;
		s->spike_left = 0;
	}
	if (s->empty_left > 0) {
		s->empty_left--;
	} else {
		/* Children present on the 1st stay all month unless they leave on day d (nights 1..d-1). */
		int stay = 0, free_from = s->children < s->h.places ? 1 : days + 1;
		if (s->children > 0)
			first = 1;
		for (int c = 0; c < s->children; c++) {
			if (rng_pct(r, LEAVE_PCT)) {
				int d = 1 + (int)rng_below(r, (uint32_t)days);
				nights += d - 1;
				if (d > last)
					last = d;
				if (d < free_from)
					free_from = d; /* a full home has a place from the day a child leaves */
			} else {
				stay++;
			}
		}
		nights += stay * days;
		if (stay > 0)
			last = days;
		/* After an empty spell the home refills over the month; otherwise one arrival at most. */
		int arrivals = 0;
		if (s->children == 0)
			arrivals = 1 + (int)rng_below(r, (uint32_t)s->h.places);
		else if (free_from <= days && rng_pct(r, ARRIVE_PCT))
			arrivals = 1;
		for (int a = 0; a < arrivals; a++) {
			int d = free_from + (int)rng_below(r, (uint32_t)(days - free_from + 1));
			nights += days - d + 1;
			if (d < first)
				first = d;
			last = days;
			if (rng_pct(r, HIGH_NEEDS_PCT))
				s->spike_left = 1 + (int)rng_below(r, SPIKE_MONTHS_MAX);
		}
		s->children = stay + arrivals;
	}

	struct synth_home_month hm = {.home = &s->h, .month_no = n, .child_nights = nights};
	put_month(hm.month, y, m);
	int rc = sink->month ? sink->month(&hm, sink->ctx) : 0;
	if (rc)
		return rc;

	/* An empty month still draws its distress and bursts (with nothing to multiply), which keeps the
	 * code one path; its incidents are none because lambda is 0 without child-nights. */
	double distress = rng_gamma1(r, shape(o, DISTRESS_SHAPE));
	double season = o->season_scale * cos(6.283185307179586 * (m - SEASON_PEAK_MONTH) / 12.0);
	bool spike = s->spike_left > 0, harmed = s->harmful && n >= s->onset;
	if (s->spike_left > 0)
		s->spike_left--;
	unsigned char count[SYNTH_INC_NTYPES][31];
	memset(count, 0, sizeof count);
	for (int t = 0; t < SYNTH_INC_NTYPES; t++) {
		double lambda = s->spec->rate[t] * o->rate_scale / 100.0 * nights * s->level[t];
		switch (t) {
		case SYNTH_INC_MISSING: lambda *= 1.0 + SEASON_MISSING * season; break;
		case SYNTH_INC_POLICE: lambda *= (1.0 + SEASON_POLICE * season) * distress; break;
		case SYNTH_INC_INJURY: lambda *= distress; break;
		case SYNTH_INC_RESTRAINT:
		case SYNTH_INC_SELF_HARM: lambda *= distress * (spike ? SPIKE_RATE : 1.0); break;
		default: break;
		}
		if (harmed) {
			if (t == SYNTH_INC_RESTRAINT || t == SYNTH_INC_INJURY || t == SYNTH_INC_MISSING)
				lambda *= s->harm;
			else if (t == SYNTH_INC_COMPLAINT)
				lambda *= pow(COMPLAINT_HARM, o->harm_scale);
		}
		if (lambda < 0)
			lambda = 0; /* a season swing scaled past 1 */
		int k = rng_poisson(r, lambda * rng_gamma1(r, shape(o, BURST_SHAPE)));
		for (int i = 0; i < k && last >= first; i++) {
			int d = first + (int)rng_below(r, (uint32_t)(last - first + 1));
			if (count[t][d - 1] < 255)
				count[t][d - 1]++;
		}
	}
	if (sink->reg44 && nights > 0 && rng_pct(&s->r44, REG44_VISIT_PCT)) {
		double see = harmed ? 1 - pow(1 - REG44_SEE, o->harm_scale) : 0;
		double pc = 1 - (1 - s->r44_p) * (1 - see);
		struct synth_home_reg44 rep = {.home = &s->h, .safeguarded = !(rng_unit(&s->r44) < pc)};
		put_month(rep.month, y, m);
		if ((rc = sink->reg44(&rep, sink->ctx)) != 0)
			return rc;
	}
	struct synth_home_incident inc = {.home = &s->h};
	char *p = inc.date;
	put_month(p, y, m);
	p[7] = '-';
	for (int d = 1; d <= days; d++) {
		put_uint(p + 8, (unsigned)d, 2);
		for (int t = 0; t < SYNTH_INC_NTYPES; t++)
			for (int i = 0; i < count[t][d - 1]; i++) {
				inc.type = (enum synth_incident_type)t;
				if (sink->incident && (rc = sink->incident(&inc, sink->ctx)) != 0)
					return rc;
			}
	}
	return 0;
}

int synth_homes_generate(const struct synth_homes_opts *o, const struct synth_homes_sink *sink)
{
	if (synth_homes_check_opts(o) != 0)
		return -1;
	if (o->style == SYNTH_HOMES_STYLE_B)
		return synth_homes2_generate(o, sink);
	for (int i = 1; i <= o->homes; i++) {
		struct rng r;
		struct home_state s;
		int rc;
		rng_seed(&r, rng_mix64(o->seed) ^ rng_mix64(0x686f6d6573ULL + (uint64_t)i)); /* "homes" + i */
		make_home(o, &r, (uint64_t)i, &s);
		rng_seed(&s.r44, rng_mix64(o->seed) ^ rng_mix64(0x7265673434ULL + (uint64_t)i)); /* "reg44" + i */
		s.r44_p = REG44_CONCERN * o->rate_scale * rng_gamma1(&s.r44, shape(o, REG44_SHAPE));
		if (s.r44_p > 0.5)
			s.r44_p = 0.5;
		if (sink->home && (rc = sink->home(&s.h, sink->ctx)) != 0)
			return rc;
		for (int n = 1; n <= o->months; n++)
			if ((rc = run_month(o, &r, &s, n, sink)) != 0)
				return rc;
		struct synth_home_truth t = {.home = &s.h, .harmful = s.harmful, .onset_month_no = s.onset};
		if (s.harmful) {
			int y, m;
			span_month(o, s.onset, &y, &m);
			put_month(t.onset_month, y, m);
		}
		if (sink->truth && (rc = sink->truth(&t, sink->ctx)) != 0)
			return rc;
	}
	return 0;
}
