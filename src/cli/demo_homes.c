/* demo homes: the demonstration area's children's homes register, so that every homes page has content:
 * DEMO_HOMES homes x DEMO_MONTHS months from the homes simulator (synth/homes.h), ending with the last
 * complete month, some of them turning harmful; the Regulation 35 details of restraints; a few of the
 * demo area's children placed (near and far); a Regulation 44 report for every home-month with children of
 * the last six months, except DEMO_REG44_GAPS homes' last month; missing episodes of placed children in the
 * last weeks (what the police page shows); and one run of the monitor.
 *
 * The simulator's incidents name no child (it counts child-nights, not children). A missing episode the police
 * page lists must say who went missing (issue 15: 58 of 60 said "Not linked to a child's record"), so the
 * register's missing episodes of the last DEMO_LINK_DAYS days in the area's own homes are held back from the
 * import and recorded instead against demo children placed in those homes: the same homes, days and counts
 * (the monitor's statistics do not change), now with the child. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "clock/clock.h"
#include "clock/now.h"
#include "core/date.h"
#include "service/homes.h"
#include "service/homes_demo.h"
#include "service/txq.h"
#include "synth/homes.h"

#define DEMO_HOMES 120
#define DEMO_MONTHS 24
#define DEMO_HARMFUL_PCT 8
#define DEMO_REG44_GAPS 2
#define DEMO_PLACED 12
#define DEMO_LINK_DAYS 120 /* longer than the police page's 90 days, so a demo a few days old still shows them */
#define DEMO_LINK_PER_HOME 2
#define DEMO_CHILD_MIN_AGE 11 /* children's homes mostly look after teenagers */

/* Where each host authority of the simulator is (its centre, WGS84) and a postcode district in it. */
static const struct {
	const char *la;
	double lat, lon;
	const char *district;
} areas[] = {
	{"383", 53.7997, -1.5492, "LS7"},  {"330", 52.4862, -1.8904, "B12"}, {"202", 51.5517, -0.1588, "NW5"},
	{"801", 51.4545, -2.5879, "BS5"},  {"800", 51.3811, -2.3590, "BA2"}, {"935", 52.1872, 0.9708, "IP4"},
	{"201", 51.5155, -0.0922, "EC2"},
};

struct demo_homes {
	struct store_home *homes;
	size_t nhomes;
	struct homes_import_occ *occ;
	size_t nocc, cap_occ;
	struct homes_import_inc *inc;
	size_t ninc, cap_inc;
	struct homes_import_inc *held; /* the area's recent missing episodes, recorded with a child (see the top) */
	size_t nheld;
	int harmful[DEMO_HOMES];
	int64_t linked[DEMO_HOMES][DEMO_LINK_PER_HOME]; /* the children the held episodes name, per home */
	unsigned rnd;
};

static unsigned next(struct demo_homes *d)
{
	d->rnd = d->rnd * 1103515245u + 12345u; /* a fixed sequence: the demo is the same every time */
	return (d->rnd >> 16) & 0x7fff;
}

static int on_home(const struct synth_home *h, void *ctx)
{
	struct demo_homes *d = ctx;
	struct store_home *x = &d->homes[d->nhomes++];
	memset(x, 0, sizeof *x);
	snprintf(x->urn, sizeof x->urn, "%s", h->home_id);
	snprintf(x->name, sizeof x->name, "%s", h->name);
	snprintf(x->provider, sizeof x->provider, "%s", h->provider);
	snprintf(x->la_code, sizeof x->la_code, "%s", h->la_code);
	snprintf(x->specialism, sizeof x->specialism, "%s", h->specialism);
	snprintf(x->ofsted_grade, sizeof x->ofsted_grade, "%s", h->rating);
	x->places = h->places;
	size_t a = 0;
	for (size_t i = 0; i < sizeof areas / sizeof areas[0]; i++)
		if (strcmp(areas[i].la, h->la_code) == 0)
			a = i;
	x->lat = areas[a].lat + ((double)next(d) / 32767.0 - 0.5) * 0.2;
	x->lon = areas[a].lon + ((double)next(d) / 32767.0 - 0.5) * 0.3;
	snprintf(x->postcode, sizeof x->postcode, "%s %u%c%c", areas[a].district, next(d) % 9 + 1,
		 "ABDEFGHJLNPQRSTUWXYZ"[next(d) % 20], "ABDEFGHJLNPQRSTUWXYZ"[next(d) % 20]);
	return 0;
}

static int on_month(const struct synth_home_month *m, void *ctx)
{
	struct demo_homes *d = ctx;
	if (m->child_nights <= 0)
		return 0;
	if (d->nocc == d->cap_occ) {
		size_t n = d->cap_occ ? d->cap_occ * 2 : 1024;
		void *q = realloc(d->occ, n * sizeof *d->occ);
		if (!q)
			return -1;
		d->occ = q;
		d->cap_occ = n;
	}
	struct homes_import_occ *o = &d->occ[d->nocc++];
	o->home = d->nhomes - 1;
	snprintf(o->month, sizeof o->month, "%s", m->month);
	o->nights = m->child_nights;
	return 0;
}

static const char *const techniques[] = {"Single elbow hold", "Figure of four", "Guided escort",
					 "Seated hold (two staff)"};

static int on_incident(const struct synth_home_incident *i, void *ctx)
{
	struct demo_homes *d = ctx;
	if (d->ninc == d->cap_inc) {
		size_t n = d->cap_inc ? d->cap_inc * 2 : 4096;
		void *q = realloc(d->inc, n * sizeof *d->inc);
		if (!q)
			return -1;
		d->inc = q;
		d->cap_inc = n;
	}
	struct homes_import_inc *x = &d->inc[d->ninc++];
	memset(x, 0, sizeof *x);
	x->home = d->nhomes - 1;
	snprintf(x->date, sizeof x->date, "%s", i->date);
	x->type = ov_indicator_from_name(synth_incident_type_name(i->type));
	x->duration_min = x->child_injured = x->staff_involved = x->debrief_offered = -1;
	if (x->type == OV_RESTRAINT) { /* Regulation 35: what a restraint record holds */
		x->duration_min = 1 + (int)(next(d) % 15);
		x->technique = techniques[next(d) % 4];
		x->child_injured = next(d) % 10 == 0;
		x->staff_involved = 1 + (int)(next(d) % 3);
		x->debrief_offered = next(d) % 6 != 0;
		x->summary = "Physical intervention to prevent harm to the young person and others.";
	}
	return 0;
}

static int on_truth(const struct synth_home_truth *t, void *ctx)
{
	struct demo_homes *d = ctx;
	d->harmful[d->nhomes - 1] = t->harmful;
	return 0;
}

/* Great-circle distance (haversine, mean Earth radius). */
static double km_between(double lat1, double lon1, double lat2, double lon2)
{
	const double r = 6371.0088, rad = 3.14159265358979323846 / 180;
	double dl = (lat2 - lat1) * rad, dn = (lon2 - lon1) * rad;
	double a = sin(dl / 2) * sin(dl / 2) + cos(lat1 * rad) * cos(lat2 * rad) * sin(dn / 2) * sin(dn / 2);
	return 2 * r * asin(sqrt(a));
}

struct extras {
	struct demo_homes *d;
	const int64_t *ids; /* the homes' ids, in order */
	int64_t first_child, last_child;
	/* The birth year of each person first_child..last_child (0: no such person; INT_MAX: no date), read once:
	 * the search for a child old enough below went to the store for every id it tried, up to 500 a home past
	 * the area's last child, then again from the first child on (2026-12-07: `demo --families 3` on
	 * PostgreSQL, one round trip a read, did not end in 5 minutes; on SQLite the same reads take microseconds).
	 * The children chosen are the same. */
	int *born_year;
	const char *authority;
	char last_month[8];
	struct date today;
};

/* Whether a child already names a home's episodes (d->linked). */
static bool demo_linked(const struct demo_homes *d, int64_t id)
{
	for (size_t h = 0; h < DEMO_HOMES; h++)
		for (int k = 0; k < DEMO_LINK_PER_HOME; k++)
			if (d->linked[h][k] == id)
				return true;
	return false;
}

static int extras_run(store_conn *c, void *arg)
{
	struct extras *x = arg;
	struct demo_homes *d = x->d;
	int rc = STORE_OK;
	/* Two children in harmful homes, the others spread over the register. */
	size_t pick[DEMO_PLACED];
	size_t np = 0;
	for (size_t h = 0; h < d->nhomes && np < 2; h++)
		if (d->harmful[h])
			pick[np++] = h;
	for (size_t h = 0; np < DEMO_PLACED; h += 7)
		pick[np++] = h % d->nhomes;
	double home_lat = areas[0].lat, home_lon = areas[0].lon;
	for (size_t i = 0; i < DEMO_PLACED && rc == STORE_OK; i++) {
		const struct store_home *h = &d->homes[pick[i]];
		struct store_home_placement p;
		memset(&p, 0, sizeof p);
		p.home_id = x->ids[pick[i]];
		p.person_id = x->first_child + (int64_t)i * 5; /* the children allocated to the demo worker */
		bool exists = false;
		char dob[11];
		if ((rc = homes_demo_child_dob(c, p.person_id, dob, &exists)) != STORE_OK)
			break;
		if (!exists) /* a small demo area has fewer children than places */
			continue;
		struct date s = clock_add_days(x->today, -(int)(30 + next(d) % 300));
		date_format_iso(s, p.start);
		p.distance_km = km_between(home_lat, home_lon, h->lat, h->lon);
		p.out_of_area = strcmp(h->la_code, x->authority) != 0;
		p.distant = p.distance_km > HOMES_DISTANT_KM;
		rc = homes_demo_place(c, &p);
		/* A missing episode in the last weeks for every other child: what the police see. */
		if (rc == STORE_OK && i % 2 == 0) {
			struct store_home_incident m;
			memset(&m, 0, sizeof m);
			m.home_id = p.home_id;
			m.person_id = p.person_id;
			struct date day = clock_add_days(x->today, -(int)(2 + next(d) % 40));
			char iso[DATE_ISO_LEN + 1];
			date_format_iso(day, iso);
			snprintf(m.occurred_at, sizeof m.occurred_at, "%sT%02u:%02u:00Z", iso, 17 + next(d) % 6, next(d) % 60);
			snprintf(m.type, sizeof m.type, "missing");
			m.duration_min = m.child_injured = m.staff_involved = m.debrief_offered = -1;
			snprintf(m.summary, sizeof m.summary, "Did not return to the home by the agreed time; reported "
							      "missing to the police and returned the next morning.");
			rc = homes_demo_incident(c, &m);
		}
	}
	/* The area's recent missing episodes, each with a child placed in that home (two children a home, taking
	 * turns), placed from before the first of them. */
	for (int64_t k = x->first_child; k <= x->last_child && rc == STORE_OK; k++) {
		char born[11];
		bool found = false;
		struct date dob;
		if ((rc = homes_demo_child_dob(c, k, born, &found)) == STORE_OK && found)
			x->born_year[k - x->first_child] = date_parse_iso(born, &dob) == 0 ? dob.y : INT_MAX; /* no age */
	}
	int64_t next_child = x->first_child;
	for (size_t i = 0; i < d->nheld && rc == STORE_OK; i++) {
		size_t hh = d->held[i].home;
		if (d->linked[hh][0])
			continue;
		const char *first = d->held[i].date;
		int n = 0;
		for (size_t k = i; k < d->nheld; k++)
			if (d->held[k].home == hh) {
				n++;
				if (strcmp(d->held[k].date, first) < 0)
					first = d->held[k].date;
			}
		for (int kk = 0; kk < DEMO_LINK_PER_HOME && kk < n && rc == STORE_OK; kk++) {
			/* The next child old enough, not one of the demo worker's (every fifth from the first), not
			 * placed above. */
			int64_t id = 0;
			for (int tries = 0; tries < 500 && !id && next_child <= x->last_child; tries++, next_child++) {
				if ((next_child - x->first_child) % 5 == 0)
					continue;
				int y = x->born_year[next_child - x->first_child];
				if (y && y <= x->today.y - DEMO_CHILD_MIN_AGE)
					id = next_child;
			}
			/* A small area (the tests' 40 families) can run out of teenagers on the days whose 120 days hold
			 * episodes in more homes: then any child of the area not placed above, so that no day's demo
			 * lists an episode "not linked to a child's record" (a home's first episode names a child). */
			for (int64_t k = x->first_child; !id && kk == 0 && k < next_child && k <= x->last_child; k++) {
				if ((k - x->first_child) % 5 == 0 || demo_linked(d, k))
					continue;
				if (x->born_year[k - x->first_child])
					id = k;
			}
			if (!id)
				break;
			d->linked[hh][kk] = id;
			struct store_home_placement p;
			memset(&p, 0, sizeof p);
			p.home_id = x->ids[hh];
			p.person_id = id;
			struct date s;
			if (date_parse_iso(first, &s) != 0)
				s = x->today;
			date_format_iso(clock_add_days(s, -(int)(20 + next(d) % 200)), p.start);
			p.distance_km = km_between(areas[0].lat, areas[0].lon, d->homes[hh].lat, d->homes[hh].lon);
			p.out_of_area = strcmp(d->homes[hh].la_code, x->authority) != 0;
			p.distant = p.distance_km > HOMES_DISTANT_KM;
			rc = homes_demo_place(c, &p);
		}
	}
	int turn[DEMO_HOMES] = {0};
	for (size_t i = 0; i < d->nheld && rc == STORE_OK; i++) {
		size_t hh = d->held[i].home;
		struct store_home_incident m;
		memset(&m, 0, sizeof m);
		m.home_id = x->ids[hh];
		m.person_id = d->linked[hh][turn[hh] % DEMO_LINK_PER_HOME] ? d->linked[hh][turn[hh] % DEMO_LINK_PER_HOME]
									  : d->linked[hh][0];
		turn[hh]++;
		snprintf(m.occurred_at, sizeof m.occurred_at, "%s", d->held[i].date);
		snprintf(m.type, sizeof m.type, "missing");
		m.duration_min = m.child_injured = m.staff_involved = m.debrief_offered = -1;
		snprintf(m.summary, sizeof m.summary, "Not back at the home by the agreed time; reported missing to the police.");
		rc = homes_demo_incident(c, &m);
	}
	/* Regulation 44 reports for the last six months with children, but for DEMO_REG44_GAPS homes' last. */
	int gaps = 0;
	for (size_t i = 0; i < d->nocc && rc == STORE_OK; i++) {
		const struct homes_import_occ *o = &d->occ[i];
		if (strcmp(o->month, x->last_month) > 0)
			continue;
		int m = homes_month_number(o->month), back = homes_month_number(x->last_month) - m;
		if (back < 0 || back >= 6)
			continue;
		if (back == 0 && o->home % 40 == 3 && gaps < DEMO_REG44_GAPS) {
			gaps++;
			continue;
		}
		struct store_reg44 r;
		memset(&r, 0, sizeof r);
		r.home_id = x->ids[o->home];
		snprintf(r.month, sizeof r.month, "%s", o->month);
		snprintf(r.received_at, sizeof r.received_at, "%.7sT", o->month);
		snprintf(r.received_at + 7, sizeof r.received_at - 7, "-28T10:00:00Z");
		snprintf(r.visitor, sizeof r.visitor, "%s", (o->home + (size_t)m) % 2 ? "J. Okafor (independent visitor)"
									: "M. Hughes (independent visitor)");
		snprintf(r.summary, sizeof r.summary, "%s",
			 (o->home + (size_t)m) % 3 ? "Spoke with two young people in private. Records of physical "
						     "intervention reviewed. Recommendation: debriefs to be recorded "
						     "within 5 days."
						   : "Spoke with the young people in private; they said they feel safe. "
						     "No recommendations this month.");
		snprintf(r.safeguarded, sizeof r.safeguarded, "yes"); /* reg 44(4)(c); the monitor reads it */
		rc = homes_demo_reg44(c, &r);
	}
	return rc;
}

struct vec_ids {
	int64_t *v;
	size_t n;
};

static int ids_run(store_conn *c, void *arg)
{
	struct vec_ids *v = arg;
	return homes_demo_home_ids(c, v->v, DEMO_HOMES, &v->n);
}

int cli_demo_homes(store *st, int64_t first_child, int64_t last_child, const char *authority)
{
	struct demo_homes *d = calloc(1, sizeof *d);
	struct vec_ids ids = {0};
	int *born_year = NULL;
	int rc = -1;
	if (last_child < first_child)
		last_child = first_child - 1; /* no child: none is placed */
	if (!(born_year = calloc((size_t)(last_child - first_child + 1) + 1, sizeof *born_year)) || !d ||
	    !(d->homes = calloc(DEMO_HOMES, sizeof *d->homes)) || !(ids.v = calloc(DEMO_HOMES, sizeof *ids.v)))
		goto out;
	d->rnd = 2015;
	int64_t now = clock_now();
	struct extras x = {.d = d, .first_child = first_child, .last_child = last_child, .born_year = born_year,
			   .authority = authority, .today = ts_utc_date(ts_uk_local(now))};
	homes_last_complete_month(now, x.last_month);
	struct synth_homes_opts o;
	synth_homes_defaults(&o);
	o.seed = 2015;
	o.homes = DEMO_HOMES;
	o.months = DEMO_MONTHS;
	o.harmful_pct = DEMO_HARMFUL_PCT;
	int last = homes_month_number(x.last_month), start = last - (DEMO_MONTHS - 1);
	o.start_year = start / 12;
	o.start_month = start % 12 + 1;
	struct synth_homes_sink sink = {on_home, on_month, on_incident, on_truth, d, NULL};
	if (synth_homes_generate(&o, &sink) != 0)
		goto out;
	/* Hold back the area's recent missing episodes (see the top), oldest first as generated. */
	char since[DATE_ISO_LEN + 1];
	date_format_iso(clock_add_days(x.today, -DEMO_LINK_DAYS), since);
	if (!(d->held = calloc(d->ninc + 1, sizeof *d->held)))
		goto out;
	size_t kept = 0;
	for (size_t i = 0; i < d->ninc; i++) {
		const struct homes_import_inc *q = &d->inc[i];
		if (q->type == OV_MISSING && strcmp(q->date, since) >= 0 && strcmp(d->homes[q->home].la_code, authority) == 0)
			d->held[d->nheld++] = *q;
		else
			d->inc[kept++] = *q;
	}
	d->ninc = kept;
	struct homes_import in = {d->homes, d->nhomes, d->occ, d->nocc, d->inc, d->ninc, NULL, 0, 0};
	if (homes_import(st, "demo", &in) != 0 || txq_exec(st, ids_run, &ids) != STORE_OK || ids.n != d->nhomes)
		goto out;
	x.ids = ids.v;
	if (txq_exec(st, extras_run, &x) != STORE_OK)
		goto out;
	char started[STORE_TS_LEN + 1];
	ts_format_utc(now, started);
	struct homes_run_opts ro = {.trigger = "cli", .actor = "demo", .reg44_month = x.last_month, .started_at = started};
	struct homes_run_result res;
	if (homes_run(st, NULL, &ro, &res) != 0)
		goto out;
	fprintf(stderr, "safeguard demo: %zu children's homes, %d months to %s; the monitor flagged %d, %d alerts\n",
		d->nhomes, DEMO_MONTHS, x.last_month, res.flagged, res.alerts_raised);
	rc = 0;
out:
	if (d) {
		free(d->homes);
		free(d->occ);
		free(d->inc);
		free(d->held);
	}
	free(d);
	free(ids.v);
	free(born_year);
	return rc;
}
