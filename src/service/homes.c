#include "service/homes.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock/now.h"
#include "core/date.h"
#include "oversight/reason.h"
#include "service/audit.h"
#include "service/service_int.h"

#define NCHART (2 * OV_NIND + 1)

/* A growable array of fixed-size rows (the reads below collect rows from callbacks). */
struct vec {
	void *v;
	size_t n, cap, size;
};

static void *vec_push(struct vec *a)
{
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 32;
		void *q = realloc(a->v, cap * a->size);
		if (!q)
			return NULL;
		a->v = q;
		a->cap = cap;
	}
	return (char *)a->v + a->size * a->n++;
}

int homes_month_number(const char *s)
{
	if (!s || strlen(s) < 7 || s[4] != '-')
		return -1;
	for (int i = 0; i < 7; i++)
		if (i != 4 && (s[i] < '0' || s[i] > '9'))
			return -1;
	int y = ((s[0] - '0') * 10 + (s[1] - '0')) * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	int m = (s[5] - '0') * 10 + (s[6] - '0');
	return m >= 1 && m <= 12 ? y * 12 + m - 1 : -1;
}

void homes_month_text(int month_number, char out[8])
{
	unsigned m = month_number < 0 ? 0u : (unsigned)month_number, y = (m / 12) % 10000, mo = m % 12 + 1;
	snprintf(out, 8, "%04u-%02u", y, mo);
}

/* ---- the panel ---- */

static int panel_home(const struct store_home *h, void *ctx)
{
	struct vec *v = ctx;
	struct store_home *d = vec_push(v);
	if (!d)
		return HOMES_ENOMEM;
	*d = *h;
	return 0;
}

struct occ_row {
	int64_t home_id;
	int month;
	double nights;
};

static int panel_occ(int64_t home_id, const char *month, double nights, void *ctx)
{
	struct vec *v = ctx;
	struct occ_row *r = vec_push(v);
	if (!r)
		return HOMES_ENOMEM;
	*r = (struct occ_row){home_id, homes_month_number(month), nights};
	return 0;
}

static int panel_count(int64_t home_id, const char *month, const char *type, int64_t n, void *ctx)
{
	struct homes_panel *p = ctx;
	long h = homes_panel_index(p, home_id);
	int m = homes_month_number(month), k = ov_indicator_from_name(type);
	if (h < 0 || k < 0 || m < p->first_month || m >= p->first_month + (int)p->nmonths)
		return 0; /* an incident outside the months of occupancy has no exposure to be judged against */
	p->counts[((size_t)h * p->nmonths + (size_t)(m - p->first_month)) * OV_NIND + (size_t)k] += (uint32_t)n;
	return 0;
}

/* A Reg 44 opinion into the panel: a report for a month outside the span of occupancy has nothing to be
 * judged with. The array is made at the first opinion, so a register without any keeps reg44 NULL. */
static int panel_opinion(int64_t home_id, const char *month, bool safeguarded, void *ctx)
{
	struct homes_panel *p = ctx;
	long h = homes_panel_index(p, home_id);
	int m = homes_month_number(month);
	if (h < 0 || m < p->first_month || m >= p->first_month + (int)p->nmonths)
		return 0;
	if (!p->reg44 && !(p->reg44 = calloc(p->nhomes * p->nmonths, sizeof *p->reg44)))
		return HOMES_ENOMEM;
	p->reg44[(size_t)h * p->nmonths + (size_t)(m - p->first_month)] = safeguarded ? OV_REG44_SAFE : OV_REG44_CONCERN;
	return 0;
}

long homes_panel_index(const struct homes_panel *p, int64_t home_id)
{
	size_t lo = 0, hi = p->nhomes;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (p->homes[mid].id < home_id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < p->nhomes && p->homes[lo].id == home_id ? (long)lo : -1;
}

int homes_panel_load(store_conn *c, struct homes_panel *p)
{
	struct vec homes = {.size = sizeof(struct store_home)}, occ = {.size = sizeof(struct occ_row)};
	int rc;
	memset(p, 0, sizeof *p);
	ov_settings_default(&p->settings);
	if ((rc = store_homes(c, "", panel_home, &homes)) != STORE_OK ||
	    (rc = store_home_occupancy(c, 0, panel_occ, &occ)) != STORE_OK)
		goto fail;
	p->homes = homes.v;
	p->nhomes = homes.n;
	homes.v = NULL;
	struct occ_row *rows = occ.v;
	int lo = 0, hi = -1;
	for (size_t i = 0; i < occ.n; i++) {
		if (rows[i].month < 0)
			continue;
		if (hi < lo || rows[i].month < lo)
			lo = hi < lo ? (hi = rows[i].month, rows[i].month) : rows[i].month;
		if (rows[i].month > hi)
			hi = rows[i].month;
	}
	if (!p->nhomes || hi < lo) {
		rc = HOMES_EEMPTY;
		goto fail;
	}
	p->first_month = lo;
	p->nmonths = (size_t)(hi - lo + 1);
	p->group = calloc(p->nhomes, sizeof *p->group);
	p->groups = calloc(p->nhomes, sizeof *p->groups);
	p->nights = calloc(p->nhomes * p->nmonths, sizeof *p->nights);
	p->counts = calloc(p->nhomes * p->nmonths * OV_NIND, sizeof *p->counts);
	if (!p->group || !p->groups || !p->nights || !p->counts) {
		rc = HOMES_ENOMEM;
		goto fail;
	}
	for (size_t h = 0; h < p->nhomes; h++) {
		size_t g = 0;
		while (g < p->ngroups && strcmp(p->groups[g], p->homes[h].specialism) != 0)
			g++;
		if (g == p->ngroups)
			snprintf(p->groups[p->ngroups++], sizeof p->groups[0], "%s", p->homes[h].specialism);
		p->group[h] = (int)g;
	}
	for (size_t i = 0; i < occ.n; i++) {
		long h = homes_panel_index(p, rows[i].home_id);
		if (h >= 0 && rows[i].month >= 0)
			p->nights[(size_t)h * p->nmonths + (size_t)(rows[i].month - lo)] = rows[i].nights;
	}
	free(occ.v);
	occ.v = NULL;
	if ((rc = store_home_incident_counts(c, panel_count, p)) != STORE_OK ||
	    (rc = store_reg44_opinions(c, panel_opinion, p)) != STORE_OK)
		goto fail;
	return STORE_OK;
fail:
	free(homes.v);
	free(occ.v);
	homes_panel_free(p);
	return rc;
}

void homes_panel_view(const struct homes_panel *p, struct ov_panel *out)
{
	out->nhomes = p->nhomes;
	out->nmonths = p->nmonths;
	out->ngroups = p->ngroups;
	out->group = p->group;
	out->nights = p->nights;
	out->counts = p->counts;
	out->reg44 = p->reg44; /* the visitors' opinions, as `homes monitor --reg44` reads them from CSV */
}

int homes_panel_fit(struct homes_panel *p)
{
	size_t n = p->nhomes * p->nmonths * OV_NIND + 1;
	struct ov_panel v;
	homes_panel_view(p, &v);
	free(p->E);
	free(p->alpha);
	free(p->Ep);
	ov_model_free(&p->model);
	p->E = malloc(n * sizeof *p->E);
	p->alpha = malloc(n * sizeof *p->alpha);
	p->Ep = malloc(n * sizeof *p->Ep);
	if (!p->E || !p->alpha || !p->Ep || ov_model_alloc(&p->model, p->nhomes) != OV_OK)
		return HOMES_ENOMEM;
	return ov_fit(&p->settings, &v, p->E, p->alpha, p->Ep, &p->model) == OV_OK ? 0 : HOMES_ENOMEM;
}

void homes_panel_free(struct homes_panel *p)
{
	free(p->homes);
	free(p->groups);
	free(p->group);
	free(p->nights);
	free(p->counts);
	free(p->reg44);
	free(p->E);
	free(p->alpha);
	free(p->Ep);
	ov_model_free(&p->model);
	memset(p, 0, sizeof *p);
}

/* ---- the monitor ---- */

struct collect {
	struct vec v;
};

static int collect(const struct ov_signal *sig, void *ctx)
{
	struct collect *c = ctx;
	struct homes_signal *s = vec_push(&c->v);
	if (!s)
		return -1;
	memset(s, 0, sizeof *s);
	s->sig = *sig;
	return 0;
}

static int chart_index(const struct ov_signal *g)
{
	return g->indicator == OV_COMBINED ? 2 * OV_NIND : g->high ? g->indicator : OV_NIND + g->indicator;
}

/* How long the chart climbed before it signalled, what was observed and expected from similar homes over
 * those months, and the reason in words. */
static void explain(const struct ov_settings *st, const struct ov_panel *p, const double *Ep, const double *chart,
		    struct homes_signal *s)
{
	const struct ov_signal *g = &s->sig;
	size_t nm = p->nmonths, t0 = g->month;
	int j = chart_index(g);
	while (t0 > 0 && chart[((g->home * nm) + t0 - 1) * NCHART + (size_t)j] > 0)
		t0--;
	struct ov_reason r;
	memset(&r, 0, sizeof r);
	r.indicator = g->indicator;
	r.high = g->high;
	r.months = (int)(g->month - t0 + 1);
	for (int k = 0; k < OV_NIND; k++)
		r.ind_expected[k] = -1;
	for (size_t t = t0; t <= g->month; t++) {
		size_t i = (g->home * nm + t) * OV_NIND;
		if (g->indicator != OV_COMBINED) {
			r.observed += p->counts[i + (size_t)g->indicator];
			r.expected += Ep[i + (size_t)g->indicator];
			continue;
		}
		if (st->reg44 && p->reg44 && p->reg44[g->home * nm + t] == OV_REG44_CONCERN)
			r.reg44_concerns++;
		for (int k = 0; k < OV_NIND; k++)
			if (st->combined_up[k] || st->combined_down[k]) {
				if (r.ind_expected[k] < 0)
					r.ind_expected[k] = 0;
				r.ind_observed[k] += p->counts[i + (size_t)k];
				r.ind_expected[k] += Ep[i + (size_t)k];
				r.observed += p->counts[i + (size_t)k];
				r.expected += Ep[i + (size_t)k];
			}
	}
	s->observed = r.observed;
	s->expected = r.expected;
	s->months = r.months;
	ov_reason_text(&r, s->reason, sizeof s->reason);
}

int homes_monitor_panel(const struct ov_settings *st, const struct ov_panel *v, double *E, double *alpha, double *Ep,
			struct ov_model *model, bool fit, bool want_chart, struct homes_monitor_out *out)
{
	struct collect c = {.v = {.size = sizeof(struct homes_signal)}};
	int rc = 0;
	memset(out, 0, sizeof *out);
	double *chart = malloc((v->nhomes * v->nmonths * NCHART + 1) * sizeof *chart);
	if (!chart || (fit && ov_fit(st, v, E, alpha, Ep, model) != OV_OK) ||
	    ov_thresholds_src(st, v, Ep, E, alpha, model, out->h, out->rate, out->kappa, &out->h_model_combined) !=
		    OV_OK ||
	    ov_monitor(st, v, model, E, alpha, out->h, chart, collect, &c) != OV_OK) {
		rc = HOMES_ENOMEM;
		goto out;
	}
	out->signals = c.v.v;
	out->nsignals = c.v.n;
	c.v.v = NULL;
	for (size_t i = 0; i < out->nsignals; i++)
		explain(st, v, Ep, chart, &out->signals[i]);
	if (want_chart) {
		out->chart = chart;
		chart = NULL;
	}
out:
	free(c.v.v);
	free(chart);
	return rc;
}

int homes_monitor(struct homes_panel *p, bool want_chart, struct homes_monitor_out *out)
{
	struct ov_panel v;
	homes_panel_view(p, &v);
	bool fit = !p->E;
	if (fit && homes_panel_fit(p) != 0) {
		memset(out, 0, sizeof *out);
		return HOMES_ENOMEM;
	}
	return homes_monitor_panel(&p->settings, &v, p->E, p->alpha, p->Ep, &p->model, false, want_chart, out);
}

static int no_emit(const struct ov_signal *sig, void *ctx)
{
	(void)sig;
	(void)ctx;
	return 0;
}

int homes_charts(struct homes_panel *p, const double h[OV_NFAMILY], double *chart)
{
	struct ov_panel v;
	homes_panel_view(p, &v);
	if (!p->E && homes_panel_fit(p) != 0)
		return HOMES_ENOMEM;
	return ov_monitor(&p->settings, &v, &p->model, p->E, p->alpha, h, chart, no_emit, NULL) == OV_OK ? 0 : HOMES_ENOMEM;
}

void homes_monitor_free(struct homes_monitor_out *out)
{
	free(out->signals);
	free(out->chart);
	memset(out, 0, sizeof *out);
}

/* ---- import ---- */

struct import_job {
	const char *actor;
	struct homes_import *in;
};

static int import_run(store_conn *c, void *arg)
{
	struct import_job *j = arg;
	struct homes_import *in = j->in;
	int64_t *ids = calloc(in->nhomes + 1, sizeof *ids);
	int rc = STORE_OK;
	if (!ids)
		return HOMES_ENOMEM;
	for (size_t i = 0; i < in->nhomes && rc == STORE_OK; i++) {
		rc = store_home_insert(c, &in->homes[i], &ids[i]);
		if (rc == STORE_ECONFLICT) {
			in->duplicate = i;
			rc = HOMES_EDUPLICATE;
		}
	}
	/* The months and incidents are the bulk of a register: one bulk load each (COPY on PostgreSQL). The
	 * homes themselves go one by one above, for their ids and to name the one already in the register. */
	if (rc == STORE_OK && in->nocc && (rc = store_bulk_begin(c, STORE_BULK_HOME_OCCUPANCY)) == STORE_OK) {
		for (size_t i = 0; i < in->nocc && rc == STORE_OK; i++) {
			struct store_bulk_value v[3] = {STORE_BULK_INT(ids[in->occ[i].home]), STORE_BULK_TEXT(in->occ[i].month),
							STORE_BULK_REAL(in->occ[i].nights)};
			rc = store_bulk_row(c, v, 3);
		}
		int end = store_bulk_end(c, rc == STORE_OK);
		rc = rc == STORE_OK ? end : rc;
	}
	if (rc == STORE_OK && in->ninc && (rc = store_bulk_begin(c, STORE_BULK_HOME_INCIDENT)) == STORE_OK) {
		for (size_t i = 0; i < in->ninc && rc == STORE_OK; i++) {
			const struct homes_import_inc *x = &in->inc[i];
			struct store_bulk_value v[10] = {
				STORE_BULK_INT(ids[x->home]),
				STORE_BULK_NULL,
				STORE_BULK_TEXT(x->date),
				STORE_BULK_TEXT(ov_indicator_name(x->type)),
				x->duration_min < 0 ? STORE_BULK_NULL : STORE_BULK_INT(x->duration_min),
				STORE_BULK_TEXT(x->technique ? x->technique : ""),
				x->child_injured < 0 ? STORE_BULK_NULL : STORE_BULK_INT(x->child_injured),
				x->staff_involved < 0 ? STORE_BULK_NULL : STORE_BULK_INT(x->staff_involved),
				x->debrief_offered < 0 ? STORE_BULK_NULL : STORE_BULK_INT(x->debrief_offered),
				STORE_BULK_TEXT(x->summary ? x->summary : ""),
			};
			rc = store_bulk_row(c, v, 10);
		}
		int end = store_bulk_end(c, rc == STORE_OK);
		rc = rc == STORE_OK ? end : rc;
	}
	/* The visitors' reports, one by one as the page records them (a few per home a year, not the bulk). */
	struct store_reg44 rep;
	for (size_t i = 0; i < in->nreg44 && rc == STORE_OK; i++) {
		const struct homes_import_reg44 *x = &in->reg44[i];
		memset(&rep, 0, sizeof rep);
		rep.home_id = ids[x->home];
		snprintf(rep.month, sizeof rep.month, "%s", x->month);
		snprintf(rep.received_at, sizeof rep.received_at, "%s", x->received_on);
		snprintf(rep.visitor, sizeof rep.visitor, "%s", x->visitor ? x->visitor : "");
		snprintf(rep.summary, sizeof rep.summary, "%s", x->summary ? x->summary : "");
		snprintf(rep.safeguarded, sizeof rep.safeguarded, "%s", x->safeguarded);
		rc = store_reg44_insert(c, &rep, NULL);
	}
	free(ids);
	if (rc != STORE_OK)
		return rc;
	char detail[200];
	snprintf(detail, sizeof detail, "%zu homes, %zu home-months, %zu incidents, %zu Regulation 44 reports", in->nhomes,
		 in->nocc, in->ninc, in->nreg44);
	struct store_audit a = {.actor = j->actor, .action = "homes.import", .object = "homes", .detail = detail};
	return audit_append(c, &a);
}

int homes_import(store *st, const char *actor, struct homes_import *in)
{
	struct import_job j = {actor, in};
	return txq_exec(st, import_run, &j);
}

/* ---- a run ---- */

void homes_last_complete_month(int64_t epoch, char out[8])
{
	struct date d = ts_utc_date(ts_uk_local(epoch));
	homes_month_text(d.y * 12 + d.m - 1 - 1, out);
}

double homes_simulated_rate(const struct homes_monitor_out *m)
{
	/* rate[OV_FAMILY_COMBINED] is the pair's when there is one; rate[OV_FAMILY_PAIR] its second chart's
	 * alone, already in it. */
	return m->rate[OV_FAMILY_UP] + m->rate[OV_FAMILY_DOWN] + m->rate[OV_FAMILY_COMBINED];
}

bool homes_combined_from_panel(const struct homes_monitor_out *m)
{
	return m->h[OV_FAMILY_COMBINED] > m->h_model_combined;
}

struct run_job {
	const struct homes_run_opts *o;
	const struct homes_panel *p;
	const struct homes_monitor_out *m;
	struct homes_run_result *res;
	char finished_at[STORE_TS_LEN + 1];
};

static int reg44_missing(int64_t id, void *ctx)
{
	struct vec *v = ctx;
	int64_t *d = vec_push(v);
	if (!d)
		return HOMES_ENOMEM;
	*d = id;
	return 0;
}

static void month_words(const char *month, char *out, size_t outsz)
{
	static const char *const names[] = {"January", "February", "March", "April", "May", "June", "July",
					    "August", "September", "October", "November", "December"};
	int m = homes_month_number(month);
	if (m < 0)
		snprintf(out, outsz, "%s", month);
	else
		snprintf(out, outsz, "%s %d", names[m % 12], m / 12);
}

static int run_write(store_conn *c, void *arg)
{
	struct run_job *j = arg;
	const struct homes_panel *p = j->p;
	const struct homes_monitor_out *m = j->m;
	struct homes_run_result *res = j->res;
	struct store_oversight_run r;
	int rc;
	memset(&r, 0, sizeof r);
	snprintf(r.started_at, sizeof r.started_at, "%s", j->o->started_at);
	snprintf(r.finished_at, sizeof r.finished_at, "%s", j->finished_at);
	snprintf(r.trigger, sizeof r.trigger, "%s", j->o->trigger);
	snprintf(r.by, sizeof r.by, "%s", j->o->actor);
	r.budget = p->settings.false_alarms_per_100_home_years;
	r.budget_confidence = p->settings.budget_confidence;
	r.simulated_rate = homes_simulated_rate(m);
	r.h_up = m->h[OV_FAMILY_UP];
	r.h_down = m->h[OV_FAMILY_DOWN];
	r.h_combined = m->h[OV_FAMILY_COMBINED];
	r.homes = (int)p->nhomes;
	r.months = (int)p->nmonths;
	homes_month_text(p->first_month, r.first_month);
	homes_month_text(p->first_month + (int)p->nmonths - 1, r.last_month);
	r.signals = (int)m->nsignals;
	res->alerts_raised = res->flagged = res->reg44_missing = 0;
	if ((rc = store_oversight_run_insert(c, &r, &res->run_id)) != STORE_OK)
		return rc;
	struct store_oversight_signal g;
	memset(&g, 0, sizeof g);
	g.run_id = res->run_id;
	for (size_t i = 0; i < m->nsignals && rc == STORE_OK; i++) {
		const struct homes_signal *s = &m->signals[i];
		g.home_id = p->homes[s->sig.home].id;
		homes_month_text(p->first_month + (int)s->sig.month, g.month);
		snprintf(g.indicator, sizeof g.indicator, "%s", ov_indicator_name(s->sig.indicator));
		snprintf(g.direction, sizeof g.direction, "%s", s->sig.high ? "high" : "low");
		g.statistic = s->sig.statistic;
		g.threshold = s->sig.threshold;
		g.observed = s->observed;
		g.expected = s->expected;
		g.months = s->months;
		snprintf(g.reason, sizeof g.reason, "%s", s->reason);
		rc = store_oversight_signal_insert(c, &g);
	}
	/* One alert per flagged home: its signals in the last HOMES_FLAG_MONTHS months, newest month first. */
	size_t window = p->nmonths > HOMES_FLAG_MONTHS ? p->nmonths - HOMES_FLAG_MONTHS : 0;
	struct store_home_alert *a = calloc(1, sizeof *a);
	if (!a)
		return HOMES_ENOMEM;
	for (size_t h = 0; h < p->nhomes && rc == STORE_OK; h++) {
		size_t newest = 0, parts = 0;
		bool any = false;
		memset(a, 0, sizeof *a);
		for (size_t i = m->nsignals; i-- > 0;) {
			const struct homes_signal *s = &m->signals[i];
			if (s->sig.home != h || s->sig.month < window)
				continue;
			if (!any) {
				newest = s->sig.month;
				any = true;
			}
			/* One reason per chart: the newest. */
			bool seen = false;
			for (size_t k = m->nsignals; k-- > i + 1;)
				if (m->signals[k].sig.home == h && m->signals[k].sig.month >= window &&
				    m->signals[k].sig.indicator == s->sig.indicator && m->signals[k].sig.high == s->sig.high)
					seen = true;
			if (seen)
				continue;
			size_t len = strlen(a->reason);
			snprintf(a->reason + len, sizeof a->reason - len, "%s%s", parts++ ? "; " : "", s->reason);
		}
		if (!any)
			continue;
		res->flagged++;
		a->home_id = p->homes[h].id;
		a->run_id = res->run_id;
		snprintf(a->kind, sizeof a->kind, "signal");
		homes_month_text(p->first_month + (int)newest, a->month);
		snprintf(a->dedup_key, sizeof a->dedup_key, "signal:%s", a->month);
		snprintf(a->owner, sizeof a->owner, HOMES_ALERT_OWNER);
		bool inserted = false;
		int64_t id;
		if ((rc = store_home_alert_insert(c, a, &id, &inserted)) == STORE_OK && inserted)
			res->alerts_raised++;
	}
	/* Regulation 44: a visit and a report every month. */
	if (rc == STORE_OK && j->o->reg44_month && j->o->reg44_month[0]) {
		struct vec miss = {.size = sizeof(int64_t)};
		char words[32];
		month_words(j->o->reg44_month, words, sizeof words);
		rc = store_reg44_missing(c, j->o->reg44_month, reg44_missing, &miss);
		for (size_t i = 0; i < miss.n && rc == STORE_OK; i++) {
			memset(a, 0, sizeof *a);
			a->home_id = ((int64_t *)miss.v)[i];
			a->run_id = res->run_id;
			snprintf(a->kind, sizeof a->kind, "reg44");
			snprintf(a->month, sizeof a->month, "%s", j->o->reg44_month);
			snprintf(a->reason, sizeof a->reason,
				 "no Regulation 44 visit report for %s: an independent person must visit every month, "
				 "speak to the children in private and report", words);
			snprintf(a->dedup_key, sizeof a->dedup_key, "reg44:%s", j->o->reg44_month);
			snprintf(a->owner, sizeof a->owner, HOMES_ALERT_OWNER);
			bool inserted = false;
			int64_t id;
			res->reg44_missing++;
			if ((rc = store_home_alert_insert(c, a, &id, &inserted)) == STORE_OK && inserted)
				res->alerts_raised++;
		}
		free(miss.v);
	}
	free(a);
	if (rc != STORE_OK)
		return rc;
	char object[40], detail[200];
	snprintf(object, sizeof object, "oversight_run:%lld", (long long)res->run_id);
	snprintf(detail, sizeof detail, "%s; %d homes, %s to %s; %zu signals, %d homes flagged, %d alerts raised",
		 j->o->trigger, r.homes, r.first_month, r.last_month, m->nsignals, res->flagged, res->alerts_raised);
	struct store_audit e = {.actor = j->o->actor, .action = "oversight.run", .object = object, .detail = detail};
	return audit_append(c, &e);
}

static int load_snapshot(store_conn *c, void *arg)
{
	return homes_panel_load(c, arg);
}

int homes_run(store *st, txq *q, const struct homes_run_opts *o, struct homes_run_result *res)
{
	struct homes_panel p;
	struct homes_monitor_out m;
	memset(res, 0, sizeof *res);
	memset(&m, 0, sizeof m);
	int rc = service_in_snapshot(st, load_snapshot, &p);
	if (rc != STORE_OK)
		return rc;
	if (o->budget > 0)
		p.settings.false_alarms_per_100_home_years = o->budget;
	if (o->confidence_set)
		p.settings.budget_confidence = o->confidence;
	if ((rc = homes_monitor(&p, false, &m)) != 0)
		goto out;
	struct run_job j = {.o = o, .p = &p, .m = &m, .res = res};
	ts_format_utc(clock_now(), j.finished_at);
	if (o->now)
		o->now(j.finished_at);
	rc = q ? txq_run(q, run_write, &j) : txq_exec(st, run_write, &j);
	if (rc == STORE_OK) {
		res->homes = (int)p.nhomes;
		res->months = (int)p.nmonths;
		res->signals = (int)m.nsignals;
		memcpy(res->h, m.h, sizeof res->h);
		res->budget = p.settings.false_alarms_per_100_home_years;
		res->budget_confidence = p.settings.budget_confidence;
		res->simulated_rate = homes_simulated_rate(&m);
		res->combined_from_panel = homes_combined_from_panel(&m);
		res->h_model_combined = m.h_model_combined;
		homes_month_text(p.first_month, res->first_month);
		homes_month_text(p.first_month + (int)p.nmonths - 1, res->last_month);
	}
out:
	homes_monitor_free(&m);
	homes_panel_free(&p);
	return rc;
}

/* ---- reads ---- */

static int push_signal(const struct store_oversight_signal *s, void *ctx)
{
	struct store_oversight_signal *d = vec_push(ctx);
	if (!d)
		return HOMES_ENOMEM;
	*d = *s;
	return 0;
}

static int push_alert(const struct store_home_alert *a, void *ctx)
{
	struct store_home_alert *d = vec_push(ctx);
	if (!d)
		return HOMES_ENOMEM;
	*d = *a;
	return 0;
}

static int view_run(store_conn *c, void *arg)
{
	struct homes_view *v = arg;
	struct vec sig = {.size = sizeof(struct store_oversight_signal)};
	struct vec al = {.size = sizeof(struct store_home_alert)};
	int rc = homes_panel_load(c, &v->panel);
	if (rc != STORE_OK)
		return rc;
	if ((rc = store_oversight_run_get(c, 0, &v->run, &v->have_run)) == STORE_OK && v->have_run)
		rc = store_oversight_signals(c, v->run.id, 0, push_signal, &sig);
	if (rc == STORE_OK)
		rc = store_home_alerts(c, 0, true, 1000, push_alert, &al);
	v->signals = sig.v;
	v->nsignals = sig.n;
	v->alerts = al.v;
	v->nalerts = al.n;
	return rc;
}

int homes_view_load(store *st, const struct children_access *a, struct homes_view *v)
{
	memset(v, 0, sizeof *v);
	if (!a || !a->audited)
		return CHILDREN_ENOAUDIT;
	int rc = service_in_snapshot(st, view_run, v);
	if (rc == STORE_OK && homes_panel_fit(&v->panel) != 0)
		rc = HOMES_ENOMEM;
	return rc;
}

struct run_load {
	int64_t run_id;
	struct homes_view *v;
};

static int run_load_run(store_conn *c, void *arg)
{
	struct run_load *x = arg;
	struct homes_view *v = x->v;
	struct vec sig = {.size = sizeof(struct store_oversight_signal)};
	struct vec al = {.size = sizeof(struct store_home_alert)};
	int rc = store_oversight_run_get(c, x->run_id, &v->run, &v->have_run);
	if (rc == STORE_OK && v->have_run)
		rc = store_oversight_signals(c, v->run.id, 0, push_signal, &sig);
	if (rc == STORE_OK)
		rc = store_home_alerts(c, 0, true, 1000, push_alert, &al);
	v->signals = sig.v;
	v->nsignals = sig.n;
	v->alerts = al.v;
	v->nalerts = al.n;
	return rc;
}

int homes_run_load(store *st, int64_t run_id, struct homes_view *v, bool *found)
{
	memset(v, 0, sizeof *v);
	struct run_load x = {run_id, v};
	int rc = service_in_snapshot(st, run_load_run, &x);
	*found = v->have_run;
	return rc;
}

void homes_view_free(struct homes_view *v)
{
	homes_panel_free(&v->panel);
	free(v->signals);
	free(v->alerts);
	memset(v, 0, sizeof *v);
}

#define PUSH_FN(name, type)                                                                               \
	static int name(const type *x, void *ctx)                                                          \
	{                                                                                                 \
		type *d = vec_push(ctx);                                                                   \
		if (!d)                                                                                   \
			return HOMES_ENOMEM;                                                               \
		*d = *x;                                                                                  \
		return 0;                                                                                 \
	}
PUSH_FN(push_incident, struct store_home_incident)
PUSH_FN(push_placement, struct store_home_placement)
PUSH_FN(push_report, struct store_reg44)
PUSH_FN(push_note, struct store_home_note)
PUSH_FN(push_home, struct store_home)

struct profile_args {
	int64_t home_id;
	struct homes_profile *p;
	bool *found;
	struct store_view view; /* what the reader may see of the children named (service/access.h) */
};

static int profile_run(store_conn *c, void *arg)
{
	struct profile_args *x = arg;
	struct homes_profile *p = x->p;
	struct vec inc = {.size = sizeof(struct store_home_incident)}, pl = {.size = sizeof(struct store_home_placement)},
		   rep = {.size = sizeof(struct store_reg44)}, notes = {.size = sizeof(struct store_home_note)};
	int rc = store_home_get(c, x->home_id, &p->home, x->found);
	if (rc != STORE_OK || !*x->found)
		return rc;
	struct store_incident_query q = {.home_id = x->home_id, .la_code = "", .type = "", .since = "", .limit = 50};
	if ((rc = store_home_incidents(c, &x->view, &q, push_incident, &inc)) == STORE_OK &&
	    (rc = store_home_placements(c, &x->view, x->home_id, push_placement, &pl)) == STORE_OK &&
	    (rc = store_reg44_reports(c, x->home_id, 24, push_report, &rep)) == STORE_OK)
		rc = store_home_notes(c, x->home_id, 50, push_note, &notes);
	struct vec al = {.size = sizeof(struct store_home_alert)};
	if (rc == STORE_OK)
		rc = store_home_alerts(c, x->home_id, false, 50, push_alert, &al);
	p->alerts = al.v;
	p->nalerts = al.n;
	p->incidents = inc.v;
	p->nincidents = inc.n;
	p->placements = pl.v;
	p->nplacements = pl.n;
	p->reports = rep.v;
	p->nreports = rep.n;
	p->notes = notes.v;
	p->nnotes = notes.n;
	return rc;
}

int homes_profile_load(store *st, const struct children_access *a, int64_t home_id, struct homes_profile *p,
		       bool *found)
{
	memset(p, 0, sizeof *p);
	*found = false;
	if (!a || !a->audited)
		return CHILDREN_ENOAUDIT;
	struct profile_args x = {home_id, p, found, {0}};
	access_list_view(&a->reader, &x.view);
	return service_in_snapshot(st, profile_run, &x);
}

void homes_profile_free(struct homes_profile *p)
{
	free(p->incidents);
	free(p->placements);
	free(p->reports);
	free(p->notes);
	free(p->alerts);
	memset(p, 0, sizeof *p);
}

struct police_args {
	const char *la_code, *since;
	struct homes_police *p;
	struct store_view view;
};

static int police_run(store_conn *c, void *arg)
{
	struct police_args *x = arg;
	struct vec homes = {.size = sizeof(struct store_home)}, inc = {.size = sizeof(struct store_home_incident)};
	int rc = store_homes(c, x->la_code, push_home, &homes);
	struct store_incident_query q = {.la_code = x->la_code, .type = "missing", .since = x->since, .limit = 200};
	if (rc == STORE_OK)
		rc = store_home_incidents(c, &x->view, &q, push_incident, &inc);
	x->p->homes = homes.v;
	x->p->nhomes = homes.n;
	x->p->missing = inc.v;
	x->p->nmissing = inc.n;
	return rc;
}

int homes_police_load(store *st, const struct children_access *a, const char *la_code, const char *since,
		      struct homes_police *p)
{
	memset(p, 0, sizeof *p);
	if (!a || !a->audited)
		return CHILDREN_ENOAUDIT;
	struct police_args x = {la_code ? la_code : "", since ? since : "", p, {0}};
	access_list_view(&a->reader, &x.view);
	return service_in_snapshot(st, police_run, &x);
}

void homes_police_free(struct homes_police *p)
{
	free(p->homes);
	free(p->missing);
	memset(p, 0, sizeof *p);
}

int homes_note_add(store_conn *c, const char *actor, const char *la_code, const struct store_home_note *n,
		   int64_t *id, bool *found)
{
	struct store_home h;
	int rc = store_home_get(c, n->home_id, &h, found);
	if (rc != STORE_OK || !*found)
		return rc;
	if (la_code && la_code[0] && strcmp(h.la_code, la_code) != 0) {
		*found = false; /* outside the area: as if there were no such home */
		return STORE_OK;
	}
	if ((rc = store_home_note_insert(c, n, id)) != STORE_OK)
		return rc;
	char object[40], detail[64];
	snprintf(object, sizeof object, "home:%lld", (long long)n->home_id);
	snprintf(detail, sizeof detail, "home_note:%lld", (long long)*id); /* the text may name people */
	struct store_audit e = {.actor = actor, .action = "home_note.add", .object = object, .detail = detail};
	return audit_append(c, &e);
}

/* ---- acting on an alert about a home ---- */

static int alert_act(store_conn *c, int64_t id, const char *actor, const char *by, const char *outcome,
		     enum alerts_result *res)
{
	struct store_home_alert *a = malloc(sizeof *a);
	bool found = false, changed = false;
	int rc;
	if (!a)
		return HOMES_ENOMEM;
	*res = ALERTS_NOT_FOUND;
	if ((rc = store_home_alert_get(c, id, a, &found)) != STORE_OK || !found)
		goto out;
	rc = outcome ? store_home_alert_resolve(c, id, by, outcome, &changed)
		     : store_home_alert_acknowledge(c, id, by, &changed);
	if (rc != STORE_OK)
		goto out;
	*res = changed ? ALERTS_DONE : ALERTS_WRONG_STATE;
	if (!changed)
		goto out;
	char object[40], detail[96];
	snprintf(object, sizeof object, "home_alert:%lld", (long long)id);
	/* The outcome is the analyst's words: kept on the alert, not in the audit detail. */
	snprintf(detail, sizeof detail, "home:%lld %s %s", (long long)a->home_id, a->kind, a->month);
	struct store_audit au = {.actor = actor,
				 .action = outcome ? "home_alert.resolve" : "home_alert.acknowledge",
				 .object = object,
				 .detail = detail};
	rc = audit_append(c, &au);
out:
	free(a);
	return rc;
}

int homes_alert_acknowledge(store_conn *c, int64_t id, const char *actor, const char *by, enum alerts_result *res)
{
	return alert_act(c, id, actor, by, NULL, res);
}

int homes_alert_resolve(store_conn *c, int64_t id, const char *actor, const char *by, const char *outcome,
			enum alerts_result *res)
{
	return alert_act(c, id, actor, by, outcome ? outcome : "", res);
}

struct alert_get_args {
	int64_t id;
	struct store_home_alert *out;
	bool *found;
};

static int alert_get_run(store_conn *c, void *arg)
{
	struct alert_get_args *x = arg;
	return store_home_alert_get(c, x->id, x->out, x->found);
}

int homes_alert_get(store *st, int64_t id, struct store_home_alert *out, bool *found)
{
	struct alert_get_args x = {id, out, found};
	*found = false;
	return service_in_snapshot(st, alert_get_run, &x);
}

struct alerts_list_args {
	bool open_only;
	store_home_alert_fn fn;
	void *ctx;
};

static int alerts_list_run(store_conn *c, void *arg)
{
	struct alerts_list_args *x = arg;
	return store_home_alerts(c, 0, x->open_only, INT_MAX, x->fn, x->ctx);
}

int homes_alerts_list(store *st, bool open_only, store_home_alert_fn fn, void *ctx)
{
	struct alerts_list_args x = {open_only, fn, ctx};
	return service_in_snapshot(st, alerts_list_run, &x);
}

/* ---- recording what happens in a home ---- */

bool homes_reg44_opinion_ok(const char *v)
{
	return v && (strcmp(v, "yes") == 0 || strcmp(v, "no") == 0 || strcmp(v, "not_stated") == 0);
}

int homes_reg44_add(store_conn *c, const char *actor, const char *by, const struct store_reg44 *r, int64_t *id,
		    int64_t *resolved_alert, enum homes_record_result *res)
{
	struct store_home *h = malloc(sizeof *h);
	bool found = false;
	int rc;
	*id = *resolved_alert = 0;
	*res = HOMES_NO_HOME;
	if (!h)
		return HOMES_ENOMEM;
	if ((rc = store_home_get(c, r->home_id, h, &found)) != STORE_OK || !found)
		goto out;
	rc = store_reg44_insert(c, r, id);
	if (rc == STORE_ECONFLICT) {
		*res = HOMES_HELD; /* a second report for a month is refused: the first is the record */
		rc = STORE_OK;
		goto out;
	}
	if (rc != STORE_OK)
		goto out;
	*res = HOMES_RECORDED;
	char object[40], detail[96], key[32], words[32], outcome[200];
	snprintf(object, sizeof object, "home:%lld", (long long)r->home_id);
	snprintf(detail, sizeof detail, "reg44_report:%lld %s safeguarded:%s", (long long)*id, r->month,
		 r->safeguarded[0] ? r->safeguarded : "not_stated"); /* names stay off */
	struct store_audit au = {.actor = actor, .action = "reg44.record", .object = object, .detail = detail};
	if ((rc = audit_append(c, &au)) != STORE_OK)
		goto out;
	/* The month's "no report" alert is answered by the report itself. */
	snprintf(key, sizeof key, "reg44:%s", r->month);
	month_words(r->month, words, sizeof words);
	snprintf(outcome, sizeof outcome, "Resolved automatically: the Regulation 44 report for %s was recorded by %s.",
		 words, by);
	if ((rc = store_home_alert_resolve_key(c, r->home_id, key, "safeguard", outcome, resolved_alert)) != STORE_OK ||
	    !*resolved_alert)
		goto out;
	snprintf(object, sizeof object, "home_alert:%lld", (long long)*resolved_alert);
	snprintf(detail, sizeof detail, "home:%lld reg44 %s: report recorded", (long long)r->home_id, r->month);
	struct store_audit ar = {.actor = actor, .action = "home_alert.resolve", .object = object, .detail = detail};
	rc = audit_append(c, &ar);
out:
	free(h);
	return rc;
}

int homes_placement_add(store_conn *c, const char *actor, const struct access_writer *writer, const char *placing_la,
			struct store_home_placement *p, int64_t *id, enum homes_record_result *res)
{
	struct store_home *h = malloc(sizeof *h);
	bool found = false;
	char basis[ACCESS_BASIS_MAX];
	int rc;
	*id = 0;
	*res = HOMES_NO_HOME;
	if (!h)
		return HOMES_ENOMEM;
	if ((rc = store_home_get(c, p->home_id, h, &found)) != STORE_OK || !found)
		goto out;
	*res = HOMES_NO_CHILD; /* no such child, a sealed one, or one this writer may not place: one answer */
	const struct access_write_ask ask = {writer, actor, WRITE_PLACEMENT, NULL, p->person_id};
	/* refused: audited by the decision, naming no child (r-ntk30) */
	if ((rc = access_write_checked(c, &ask, p->person_id, 0, clock_now(), &found, basis)) != STORE_OK || !found)
		goto out;
	p->out_of_area = strcmp(h->la_code, placing_la) != 0;
	p->distant = p->distance_km > HOMES_DISTANT_KM;
	if ((rc = store_home_placement_insert(c, p, id)) != STORE_OK)
		goto out;
	*res = HOMES_RECORDED;
	char object[40], detail[64];
	snprintf(object, sizeof object, "home_placement:%lld", (long long)*id);
	snprintf(detail, sizeof detail, "home:%lld; %s", (long long)p->home_id, basis);
	struct store_audit au = {
		.actor = actor, .action = "placement.record", .child_id = p->person_id, .object = object, .detail = detail};
	rc = audit_append(c, &au);
out:
	free(h);
	return rc;
}

struct child_placement_args {
	int64_t child_id;
	const char *day;
	struct store_home_placement *out;
	bool *found;
};

static int child_placement_run(store_conn *c, void *arg)
{
	struct child_placement_args *x = arg;
	return store_person_placement(c, x->child_id, x->day, x->out, x->found);
}

int homes_child_placement(store *st, const struct children_access *a, const char *day,
			  struct store_home_placement *out, bool *found)
{
	*found = false;
	if (!a || !a->audited || a->child_id <= 0)
		return CHILDREN_ENOAUDIT;
	/* A placement is social care's record: shown with the whole record, or to social care's own readers. */
	struct store_view v;
	access_view(&a->reader, &v);
	if (a->refused || a->reader.level < ACCESS_AGENCY || !access_view_shows(&v, ACCESS_PLACEMENT_AGENCY))
		return STORE_OK;
	struct child_placement_args x = {a->child_id, day, out, found};
	return service_in_read(st, a, child_placement_run, &x);
}

void homes_escalation_target(const char *owner_team, const char *manager, char out[STORE_USER_MAX + 1])
{
	snprintf(out, STORE_USER_MAX + 1, "%s", manager && manager[0] ? manager : owner_team);
}

int homes_escalate_due(store_conn *c, const char *cutoff, int64_t *n)
{
	struct store_team_contact *t = malloc(sizeof *t);
	bool found = false;
	char to[STORE_USER_MAX + 1];
	*n = 0;
	if (!t)
		return STORE_EIO;
	int rc = store_team_contact_get(c, HOMES_ALERT_OWNER, t, &found);
	if (rc == STORE_OK) {
		homes_escalation_target(HOMES_ALERT_OWNER, found ? t->team.manager : NULL, to);
		rc = store_home_alerts_escalate(c, cutoff, HOMES_ALERT_OWNER, to, n);
	}
	free(t);
	return rc;
}
