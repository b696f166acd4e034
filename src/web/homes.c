/*
 * web/homes.c — the children's homes pages (issue 6, part 4).
 *
 * For the oversight analyst (ACT_OVERSIGHT):
 *   GET  /homes            the homes ranked, with why each is flagged (newest run), filtered by specialism
 *   POST /homes/runs       run the monitor now
 *   GET  /homes/funnel     a funnel plot per indicator (?indicator=restraint), SVG with a table below
 *   GET  /homes/{id}       a home's profile: grade, shrunk rates, CUSUM charts, incidents, Reg 44 reports,
 *                          the children placed (how many, how far; never who: the analyst has no
 *                          need-to-know about any child), police notes
 * For the police (ACT_HOMES_POLICE):
 *   GET  /police/homes               the homes the deployment's authority hosts, children missing from them
 *   GET  /police/homes/{id}          one home: its missing episodes and location-risk notes, and the form
 *   POST /police/homes/{id}/notes    add a note
 *
 * Every page is an audited read (web_read_start: "homes.read", "homes.police.read"), like a child's record:
 * the police pages name children. The charts are SVG drawn here (no JavaScript): each home in a funnel plot
 * is a link around a circle, so it takes keyboard focus, with its name and figures in its aria-label and
 * <title>; every chart has a table or a sentence saying the same.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock/now.h"
#include "core/text.h"
#include "lib/buf.h"
#include "lib/plot.h"
#include "oversight/reason.h"
#include "service/homes.h"
#include "service/homes_placed.h"
#include "web/web_int.h"

#define NCHART (2 * OV_NIND + 1)
#define FUNNEL_MONTHS 12      /* the funnel plot and the rates: the register's last 12 months */
#define SVG_MAX (512 * 1024)
#define NOTE_MIN 10
#define NOTE_MAX 2000
#define POLICE_MISSING_DAYS 90

static const char *const specialism_names[][2] = {
	{"disability", "Disability"}, {"emotional_behavioural", "Emotional and behavioural"}, {"general", "General"}};

static const char *specialism_name(const char *code)
{
	for (size_t i = 0; i < sizeof specialism_names / sizeof specialism_names[0]; i++)
		if (strcmp(specialism_names[i][0], code) == 0)
			return specialism_names[i][1];
	return code;
}

static const char *grade_name(const char *g)
{
	if (strcmp(g, "outstanding") == 0)
		return "Outstanding";
	if (strcmp(g, "good") == 0)
		return "Good";
	if (strcmp(g, "requires_improvement") == 0)
		return "Requires improvement";
	if (strcmp(g, "inadequate") == 0)
		return "Inadequate";
	return "Not known";
}

static void month_long(const char *month, char *out, size_t outsz)
{
	static const char *const names[] = {"January", "February", "March", "April", "May", "June", "July",
					    "August", "September", "October", "November", "December"};
	int n = homes_month_number(month);
	if (n < 0)
		snprintf(out, outsz, "%s", month);
	else
		snprintf(out, outsz, "%s %.4s", names[n % 12], month);
}

/* "restraints were 2.4 times the expected rate for homes like this" and the like. */
static void times_words(double ratio, char *out, size_t outsz)
{
	if (ratio >= 0.95 && ratio <= 1.05)
		snprintf(out, outsz, "about the expected rate");
	else if (ratio < 0.1)
		snprintf(out, outsz, "almost none of the expected number");
	else
		snprintf(out, outsz, "%.1f times the expected rate", ratio);
}

/* The query parameter, "" when absent or not UTF-8 text. */
static void query(http_request *rq, const char *name, char *buf, size_t bufsz)
{
	const char *v = http_query(rq, name);
	buf[0] = '\0';
	if (v && strlen(v) < bufsz && text_utf8_valid(v, strlen(v)))
		snprintf(buf, bufsz, "%s", v);
}

/* A home's totals over the last FUNNEL_MONTHS months: observed and expected from similar homes. */
static void window_totals(const struct homes_panel *p, size_t h, int k, double *O, double *E)
{
	size_t t0 = p->nmonths > FUNNEL_MONTHS ? p->nmonths - FUNNEL_MONTHS : 0;
	*O = *E = 0;
	for (size_t t = t0; t < p->nmonths; t++) {
		size_t i = (h * p->nmonths + t) * OV_NIND + (size_t)k;
		*O += p->counts[i];
		*E += p->Ep[i];
	}
}

/* has_KEY for every list in the view: the templates show a list's table only when it has rows. */
static void render(const struct web *w, http_request *rq, int status, const char *name, json_t *view)
{
	const char *key;
	json_t *v;
	json_t *has = json_object();
	json_object_foreach(view, key, v)
	{
		char k[64];
		if (json_is_array(v) && (size_t)snprintf(k, sizeof k, "has_%s", key) < sizeof k)
			json_object_set_new(has, k, json_boolean(json_array_size(v) > 0));
	}
	json_object_update(view, has);
	json_decref(has);
	web_render(w, rq, status, name, view);
}

/* "4 March 2025 at 14:30" from an RFC 3339 instant; "" for "". */
static void at_text(const char *ts, char *out, size_t outsz)
{
	char date[DATE_LONG_MAX + 16], hm[16];
	if (!ts[0]) {
		out[0] = '\0';
		return;
	}
	web_when_text(ts, date, sizeof date, hm, sizeof hm);
	snprintf(out, outsz, "%s%s%s", date, hm[0] ? " at " : "", hm);
}

/* An alert about a home as the pages show it: its state and history in the words of a child's alert
 * (web/work.c), and what the analyst may do with it. */
static json_t *alert_view(const struct store_home_alert *a)
{
	char raised[96], when[96], ack[200] = "", res[200] = "", esc[200] = "", month[32]; /* name + " on " + when */
	const char *st = "Open", *cls = "govuk-tag--blue";
	bool resolved = strcmp(a->state, "resolved") == 0;
	if (resolved) {
		st = "Resolved";
		cls = "govuk-tag--green";
	} else if (strcmp(a->state, "acknowledged") == 0) {
		st = "Acknowledged";
		cls = "govuk-tag--yellow";
	}
	at_text(a->created_at, raised, sizeof raised);
	if (a->acknowledged_by[0]) {
		at_text(a->acknowledged_at, when, sizeof when);
		snprintf(ack, sizeof ack, "By %s%s%s", a->acknowledged_by, when[0] ? " on " : "", when);
	}
	if (a->resolved_by[0]) {
		at_text(a->resolved_at, when, sizeof when);
		snprintf(res, sizeof res, "By %s%s%s", strcmp(a->resolved_by, "safeguard") == 0 ? "Safeguard" : a->resolved_by,
			 when[0] ? " on " : "", when);
	}
	if (a->escalated_to[0]) {
		at_text(a->escalated_at, when, sizeof when);
		snprintf(esc, sizeof esc, "To %s%s%s", a->escalated_to, when[0] ? " on " : "", when);
	}
	month_long(a->month, month, sizeof month);
	return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:b, s:b, s:b}", "id",
			 (json_int_t)a->id, "home_id", (json_int_t)a->home_id, "home_name", a->home_name, "kind",
			 strcmp(a->kind, "reg44") == 0 ? "Regulation 44 report missing" : "Signal", "month", month,
			 "reason", a->reason, "state_text", st, "state_class", cls, "raised", web_str(raised),
			 "acknowledged", web_str(ack), "resolved", web_str(res), "escalated", web_str(esc),
			 "can_acknowledge", strcmp(a->state, "open") == 0, "can_resolve", !resolved, "is_resolved",
			 resolved);
}

/* ---- the homes list ---- */

struct list_job {
	struct web_read r;
	char specialism[40];
	char ran[24];
};

static void list_release(struct web_read *r)
{
	free(r);
}

struct ranked {
	size_t h;
	double score; /* the strongest signal of the window as statistic / threshold; 0 when not flagged */
	bool reg44;
	double restraint_ratio;
};

static int by_rank(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;
	if (x->score != y->score)
		return x->score < y->score ? 1 : -1;
	if (x->reg44 != y->reg44)
		return x->reg44 ? -1 : 1;
	if (x->restraint_ratio != y->restraint_ratio)
		return x->restraint_ratio < y->restraint_ratio ? 1 : -1;
	return x->h < y->h ? -1 : (x->h > y->h);
}

/* Who started a run, in words ("(cli)" said nothing to an inspector). */
static const char *trigger_words(const char *t)
{
	if (strcmp(t, "on_demand") == 0)
		return "run on request from these pages";
	if (strcmp(t, "nightly") == 0)
		return "the nightly run";
	if (strcmp(t, "cli") == 0)
		return "run by an administrator";
	return "run";
}

/* Where each home falls on every indicator's funnel plot over the last 12 months: above[h * OV_NIND + k] is 2
 * above the 99.8% line, 1 above the 95% line, else 0; ratio the same layout. 0 when drawn, -1 without memory. */
static int funnel_places(const struct homes_panel *p, int *above, double *ratio)
{
	double *O = calloc(p->nhomes + 1, sizeof *O), *E = calloc(p->nhomes + 1, sizeof *E);
	struct ov_funnel_point *pts = calloc(p->nhomes + 1, sizeof *pts);
	int rc = O && E && pts ? 0 : -1;
	for (int k = 0; rc == 0 && k < OV_NIND; k++) {
		struct ov_funnel f;
		for (size_t h = 0; h < p->nhomes; h++)
			window_totals(p, h, k, &O[h], &E[h]);
		bool ok = ov_funnel(O, E, p->nhomes, 0.1, &f, pts) == OV_OK && f.n > 0;
		for (size_t h = 0; h < p->nhomes; h++) {
			size_t i = h * OV_NIND + (size_t)k;
			above[i] = 0;
			ratio[i] = ok && pts[h].used ? pts[h].ratio : 0;
			if (!ok || !pts[h].used)
				continue;
			above[i] = pts[h].ratio > ov_funnel_limit(&f, E[h], 3.09, true)  ? 2
				   : pts[h].ratio > ov_funnel_limit(&f, E[h], 1.96, true) ? 1
											   : 0;
		}
	}
	free(O);
	free(E);
	free(pts);
	return rc;
}

/* Why a home is not flagged, in words: where it stands on restraints, and any indicator above a funnel plot's
 * line (a home above the 95% line shown only as "Not flagged" read as a mistake). */
static void not_flagged_text(const int *above, const double *ratio, size_t h, double restraint, char *out, size_t outsz)
{
	char tw[64];
	size_t len = 0;
	int n = 0;
	for (int k = 0; k < OV_NIND; k++) {
		size_t i = h * OV_NIND + (size_t)k;
		if (!above[i])
			continue;
		times_words(ratio[i], tw, sizeof tw);
		len += (size_t)snprintf(out + len, len < outsz ? outsz - len : 0, "%s %s were %s for homes like this, above "
											 "the %s line%s",
					n ? ";" : "Not flagged, though", ov_indicator_words(k), tw,
					above[i] == 2 ? "99.8%" : "95%", n ? "" : " of the funnel plot");
		if (len >= outsz)
			return;
		n++;
	}
	if (n) {
		snprintf(out + len, outsz - len, " (last 12 months). The lines are a guide: a home is flagged only when its "
						 "month-by-month chart crosses its threshold, or a Regulation 44 report is "
						 "missing.");
		return;
	}
	times_words(restraint, tw, sizeof tw);
	snprintf(out, outsz, "Not flagged. Restraints were %s for homes like this over the last 12 months, "
			     "allowing for chance, within the funnel plot's lines.", tw);
}

static void list_show(struct web_read *r)
{
	struct list_job *j = (struct list_job *)r;
	struct homes_view v;
	int rc = homes_view_load(r->w->st, &r->access, &v);
	json_t *view = json_pack("{s:s, s:b}", "title", "Children's homes", "nav_homes", 1);
	if (rc == HOMES_EEMPTY) {
		json_object_set_new(view, "empty", json_true());
		render(r->w, r->rq, 200, "homes", view);
		return;
	}
	if (rc != 0) {
		json_decref(view);
		fprintf(stderr, "safeguard: the homes list could not be read (error %d)\n", rc);
		web_unavailable(r->w, r->rq);
		return;
	}
	const struct homes_panel *p = &v.panel;
	struct ranked *rk = calloc(p->nhomes + 1, sizeof *rk);
	json_t **reasons = calloc(p->nhomes + 1, sizeof *reasons);
	if (!rk || !reasons) {
		free(rk);
		free(reasons);
		homes_view_free(&v);
		json_decref(view);
		web_unavailable(r->w, r->rq);
		return;
	}
	/* Shrunk restraint ratios rank the homes nobody flagged. */
	double *O = calloc(p->nhomes + 1, sizeof *O), *E = calloc(p->nhomes + 1, sizeof *E);
	for (size_t h = 0; O && E && h < p->nhomes; h++)
		window_totals(p, h, OV_RESTRAINT, &O[h], &E[h]);
	double prior = O && E ? ov_eb_prior(O, E, p->nhomes) : 1;
	for (size_t h = 0; h < p->nhomes; h++) {
		rk[h].h = h;
		rk[h].restraint_ratio = O && E ? ov_eb_ratio(O[h], E[h], prior) : 0;
		reasons[h] = json_array();
	}
	free(O);
	free(E);
	for (size_t i = 0; i < v.nalerts; i++) {
		long h = homes_panel_index(p, v.alerts[i].home_id);
		if (h < 0)
			continue;
		if (strcmp(v.alerts[i].kind, "reg44") == 0)
			rk[h].reg44 = true;
		json_t *av = alert_view(&v.alerts[i]);
		json_object_set_new(av, "text", json_string(v.alerts[i].reason));
		json_array_append_new(reasons[h], av);
	}
	/* The window's signals set the rank (the alerts above say why in words). */
	char first_window[8];
	homes_month_text(p->first_month + (int)(p->nmonths > HOMES_FLAG_MONTHS ? p->nmonths - HOMES_FLAG_MONTHS : 0),
			 first_window);
	for (size_t i = 0; i < v.nsignals; i++) {
		long h = homes_panel_index(p, v.signals[i].home_id);
		if (h < 0 || strcmp(v.signals[i].month, first_window) < 0 || !(v.signals[i].threshold > 0))
			continue;
		double s = v.signals[i].statistic / v.signals[i].threshold;
		if (s > rk[h].score)
			rk[h].score = s;
	}
	qsort(rk, p->nhomes, sizeof *rk, by_rank);
	int *above = calloc(p->nhomes * OV_NIND + 1, sizeof *above);
	double *fratio = calloc(p->nhomes * OV_NIND + 1, sizeof *fratio);
	bool have_places = above && fratio && funnel_places(p, above, fratio) == 0;
	json_t *rows = json_array(), *specs = json_array();
	int flagged = 0, shown = 0;
	for (size_t g = 0; g < p->ngroups; g++)
		json_array_append_new(specs, json_pack("{s:s, s:s, s:b}", "code", p->groups[g], "name",
						       specialism_name(p->groups[g]),
						       "selected", strcmp(p->groups[g], j->specialism) == 0));
	for (size_t i = 0; i < p->nhomes; i++) {
		const struct store_home *hm = &p->homes[rk[i].h];
		if (j->specialism[0] && strcmp(hm->specialism, j->specialism) != 0)
			continue;
		size_t nr = json_array_size(reasons[rk[i].h]);
		flagged += nr > 0;
		shown++;
		char why[900] = "";
		if (!nr) {
			static const int none[OV_NIND];
			static const double zero[OV_NIND];
			if (have_places)
				not_flagged_text(above, fratio, rk[i].h, rk[i].restraint_ratio, why, sizeof why);
			else
				not_flagged_text(none, zero, 0, rk[i].restraint_ratio, why, sizeof why);
		}
		json_array_append_new(rows, json_pack("{s:I, s:i, s:s, s:s, s:s, s:s, s:s, s:i, s:O, s:b, s:s}", "id",
						      (json_int_t)hm->id, "rank", shown, "name", hm->name, "urn", hm->urn,
						      "postcode", hm->postcode, "specialism", specialism_name(hm->specialism),
						      "grade", grade_name(hm->ofsted_grade), "places", hm->places, "reasons",
						      reasons[rk[i].h], "flagged", nr > 0, "not_flagged", why));
	}
	free(above);
	free(fratio);
	for (size_t h = 0; h < p->nhomes; h++)
		json_decref(reasons[h]);
	free(reasons);
	free(rk);
	char first[8], last[8], heading[160];
	homes_month_text(p->first_month, first);
	homes_month_text(p->first_month + (int)p->nmonths - 1, last);
	snprintf(heading, sizeof heading, "%d %s, %d with an open alert", shown, shown == 1 ? "home" : "homes", flagged);
	json_object_set_new(view, "rows", rows);
	json_object_set_new(view, "specialisms", specs);
	json_object_set_new(view, "heading", json_string(heading));
	json_object_set_new(view, "specialism", json_string(j->specialism));
	if (v.have_run) {
		char when[64], date[DATE_LONG_MAX + 16], hm[16];
		web_when_text(v.run.finished_at, date, sizeof date, hm, sizeof hm);
		snprintf(when, sizeof when, "%s at %s", date, hm);
		char rf[32], rl[32];
		month_long(v.run.first_month, rf, sizeof rf);
		month_long(v.run.last_month, rl, sizeof rl);
		json_object_set_new(view, "run",
				    json_pack("{s:I, s:s, s:s, s:s, s:s, s:i, s:i}", "id", (json_int_t)v.run.id, "when", when,
					      "trigger", trigger_words(v.run.trigger), "first", rf, "last", rl, "homes",
					      v.run.homes, "signals", v.run.signals));
	}
	if (j->ran[0])
		json_object_set_new(view, "ran", json_string(j->ran));
	homes_view_free(&v);
	render(r->w, r->rq, 200, "homes", view);
}

void web_homes_page(const struct web *w, http_request *rq)
{
	struct list_job *j = calloc(1, sizeof *j);
	if (!j) {
		web_unavailable(w, rq);
		return;
	}
	query(rq, "specialism", j->specialism, sizeof j->specialism);
	char ran[24];
	query(rq, "ran", ran, sizeof ran);
	if (ran[0] && strspn(ran, "0123456789") == strlen(ran))
		snprintf(j->ran, sizeof j->ran, "%s", ran);
	j->r.show = list_show;
	j->r.release = list_release;
	web_read_start(w, rq, &j->r, "homes.read", 0, "homes list");
}

void web_homes_run(const struct web *w, http_request *rq)
{
	const struct web_user *u = web_user(rq);
	char now[STORE_TS_LEN + 1], month[8];
	int64_t t = clock_now();
	ts_format_utc(t, now);
	homes_last_complete_month(t, month);
	struct homes_run_opts o = {.trigger = "on_demand", .actor = u->actor, .reg44_month = month, .started_at = now};
	struct homes_run_result res;
	int rc = homes_run(w->st, w->q, &o, &res);
	if (rc == HOMES_EEMPTY) {
		web_message_link(w, rq, 409, "There is nothing to monitor",
				 "The register has no homes with months of children placed.", "/homes", "Back to the homes");
		return;
	}
	if (rc != 0) {
		web_message_link(w, rq, 503, "The monitor did not run", "Nothing was stored. Try again later.", "/homes",
				 "Back to the homes");
		return;
	}
	char to[64];
	snprintf(to, sizeof to, "/homes?ran=%lld", (long long)res.run_id);
	web_redirect(rq, to);
}

/* ---- the funnel plot ---- */

struct funnel_job {
	struct web_read r;
	int indicator;
	int sort; /* enum funnel_sort */
};

/* The funnel table's orders (?sort=): most concerning first by default. */
enum funnel_sort { SORT_CONCERN, SORT_NAME, SORT_URN, SORT_RECORDED, SORT_EXPECTED, SORT_RATIO, NSORT };
static const char *const sort_names[NSORT] = {"concern", "name", "urn", "recorded", "expected", "ratio"};

static void funnel_release(struct web_read *r)
{
	free(r);
}

static void limit_path(struct buf *b, const struct plot *g, const struct ov_funnel *f, double emin, double z, bool upper,
		       const char *cls)
{
	buf_printf(b, "<path class=\"%s\" d=\"", cls);
	for (int i = 0; i <= 80; i++) {
		double e = emin + (g->xmax - emin) * i / 80.0;
		buf_printf(b, "%s%.1f %.1f", i ? " L" : "M", plot_x(g, e), plot_y(g, ov_funnel_limit(f, e, z, upper)));
	}
	buf_puts(b, "\"/>");
}

/* A tick's value without trailing zeros: "0.5", "2", "40". */
static void tick_text(double v, char *out, size_t outsz)
{
	snprintf(out, outsz, fabs(v - round(v)) < 1e-9 ? "%.0f" : "%.1f", v);
}

struct funnel_row {
	size_t h;
	double O, E, ratio, concern;
	const char *where;
	const struct store_home *home;
	int key; /* the order asked for (every row the same): qsort has no context argument */
};

static int by_funnel_row(const void *a, const void *b)
{
	const struct funnel_row *x = a, *y = b;
	const struct store_home *hx = x->home, *hy = y->home;
	int c = 0;
	switch (x->key) {
	case SORT_NAME: c = strcmp(hx->name, hy->name); break;
	case SORT_URN: c = strcmp(hx->urn, hy->urn); break;
	case SORT_RECORDED: c = (x->O < y->O) - (x->O > y->O); break;
	case SORT_EXPECTED: c = (x->E < y->E) - (x->E > y->E); break;
	case SORT_RATIO: c = (x->ratio < y->ratio) - (x->ratio > y->ratio); break;
	default: break;
	}
	if (!c)
		c = (x->concern < y->concern) - (x->concern > y->concern);
	if (!c)
		c = strcmp(hx->urn, hy->urn);
	return c;
}

static void funnel_show(struct web_read *r)
{
	struct funnel_job *j = (struct funnel_job *)r;
	struct homes_view v;
	int rc = homes_view_load(r->w->st, &r->access, &v);
	const char *words = ov_indicator_words(j->indicator);
	char title[96];
	snprintf(title, sizeof title, "Funnel plot: %s", words);
	json_t *view = json_pack("{s:s, s:b, s:s, s:s}", "title", title, "nav_homes", 1, "words", words, "indicator",
				 ov_indicator_name(j->indicator));
	json_t *tabs = json_array();
	for (int k = 0; k < OV_NIND; k++)
		json_array_append_new(tabs, json_pack("{s:s, s:s, s:b}", "code", ov_indicator_name(k), "words",
						      ov_indicator_words(k), "current", k == j->indicator));
	json_object_set_new(view, "indicators", tabs);
	json_t *sorts = json_object();
	for (int k = 0; k < NSORT; k++) {
		char href[96];
		snprintf(href, sizeof href, "/homes/funnel?indicator=%s&sort=%s#funnel-table", ov_indicator_name(j->indicator),
			 sort_names[k]);
		json_object_set_new(sorts, sort_names[k],
				    json_pack("{s:s, s:b, s:s}", "href", href, "current", k == j->sort, "aria",
					      k == j->sort ? (k == SORT_NAME || k == SORT_URN ? "ascending" : "descending")
							   : "none"));
	}
	json_object_set_new(view, "sort", sorts);
	if (rc == HOMES_EEMPTY) {
		json_object_set_new(view, "empty", json_true());
		render(r->w, r->rq, 200, "homes_funnel", view);
		return;
	}
	if (rc != 0) {
		json_decref(view);
		web_unavailable(r->w, r->rq);
		return;
	}
	const struct homes_panel *p = &v.panel;
	double *O = calloc(p->nhomes + 1, sizeof *O), *E = calloc(p->nhomes + 1, sizeof *E);
	struct ov_funnel_point *pts = calloc(p->nhomes + 1, sizeof *pts);
	struct funnel_row *fr = calloc(p->nhomes + 1, sizeof *fr);
	struct ov_funnel f;
	struct buf b;
	buf_init(&b, SVG_MAX);
	if (!O || !E || !pts || !fr) {
		rc = -1;
		goto out;
	}
	double emax = 0, emin = 1e300, rmax = 2;
	for (size_t h = 0; h < p->nhomes; h++) {
		window_totals(p, h, j->indicator, &O[h], &E[h]);
		if (E[h] > emax)
			emax = E[h];
		if (E[h] > 0 && E[h] < emin)
			emin = E[h];
	}
	if (ov_funnel(O, E, p->nhomes, 0.1, &f, pts) != OV_OK || f.n == 0 || !(emax > 0)) {
		json_object_set_new(view, "nodata", json_true());
		goto render;
	}
	for (size_t h = 0; h < p->nhomes; h++)
		if (pts[h].used && pts[h].ratio > rmax)
			rmax = pts[h].ratio;
	/* E on x, the ratio O/E on y, both linear from 0 and scaled to the data in round steps: the highest home
	 * sits below the top, never on an edge that hides how far out it is (issue 15). */
	double xstep, ystep;
	double xtop = plot_nice_max(emax * 1.02, 5, &xstep), ytop = plot_nice_max(rmax * 1.08, 6, &ystep);
	struct plot g = {720, 440, 60, 20, 20, 50, xtop, ytop};
	if (emin > emax)
		emin = emax;
	double estart = emin * 0.5 > 0.2 ? emin * 0.5 : 0.2;
	char first[8], last[8], firstl[32], lastl[32], desc[300];
	homes_month_text(p->first_month + (int)(p->nmonths > FUNNEL_MONTHS ? p->nmonths - FUNNEL_MONTHS : 0), first);
	homes_month_text(p->first_month + (int)p->nmonths - 1, last);
	month_long(first, firstl, sizeof firstl);
	month_long(last, lastl, sizeof lastl);
	snprintf(desc, sizeof desc, "Funnel plot of %s, %s to %s: each home's rate compared with homes like it (1 is the "
				    "expected rate), against how many were expected, with the 95%% and 99.8%% lines",
		 words, firstl, lastl);
	buf_printf(&b, "<svg class=\"sg-funnel\" viewBox=\"0 0 %.0f %.0f\" role=\"group\" aria-labelledby=\"funnel-title\" "
		       "width=\"100%%\" preserveAspectRatio=\"xMinYMin meet\">", g.w, g.h);
	buf_puts(&b, "<title id=\"funnel-title\">");
	buf_append_html(&b, desc, strlen(desc));
	buf_puts(&b, "</title>");
	/* Axes with ticks in round steps. */
	buf_printf(&b, "<line class=\"sg-axis\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", g.left, g.h - g.bottom,
		   g.w - g.right, g.h - g.bottom);
	buf_printf(&b, "<line class=\"sg-axis\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", g.left, g.top, g.left,
		   g.h - g.bottom);
	for (int i = 0; i * xstep <= xtop + 1e-9 && i <= 10; i++) {
		char t[24];
		tick_text(i * xstep, t, sizeof t);
		buf_printf(&b, "<text class=\"sg-tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>",
			   plot_x(&g, i * xstep), g.h - g.bottom + 16, t);
	}
	for (int i = 0; i * ystep <= ytop + 1e-9 && i <= 10; i++) {
		char t[24];
		tick_text(i * ystep, t, sizeof t);
		buf_printf(&b, "<text class=\"sg-tick sg-ytick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text>", g.left - 6,
			   plot_y(&g, i * ystep) + 4, t);
	}
	buf_printf(&b, "<text class=\"sg-axis-label\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">Number expected for "
		       "homes like it (12 months)</text>", (g.left + g.w - g.right) / 2, g.h - 8);
	buf_printf(&b, "<text class=\"sg-axis-label\" x=\"14\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 14 "
		       "%.1f)\">Times the expected rate</text>", (g.top + g.h - g.bottom) / 2, (g.top + g.h - g.bottom) / 2);
	buf_printf(&b, "<line class=\"sg-target\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", g.left, plot_y(&g, 1),
		   g.w - g.right, plot_y(&g, 1));
	limit_path(&b, &g, &f, estart, 1.96, true, "sg-limit95");
	limit_path(&b, &g, &f, estart, 1.96, false, "sg-limit95");
	limit_path(&b, &g, &f, estart, 3.09, true, "sg-limit998");
	limit_path(&b, &g, &f, estart, 3.09, false, "sg-limit998");
	size_t nrow = 0;
	for (size_t h = 0; h < p->nhomes; h++) {
		if (!pts[h].used)
			continue;
		const struct store_home *hm = &p->homes[h];
		double hi95 = ov_funnel_limit(&f, E[h], 1.96, true), hi998 = ov_funnel_limit(&f, E[h], 3.09, true);
		double lo95 = ov_funnel_limit(&f, E[h], 1.96, false), lo998 = ov_funnel_limit(&f, E[h], 3.09, false);
		const char *where = pts[h].ratio > hi998 ? "Above the 99.8% line"
				    : pts[h].ratio > hi95 ? "Above the 95% line"
				    : pts[h].ratio < lo998 ? "Below the 99.8% line"
				    : pts[h].ratio < lo95 ? "Below the 95% line"
							  : "Within the lines";
		/* How far from the expected rate, in the lines' own units: above is the concern, and for the
		 * indicators watched downwards (complaints, notifications) below is too. */
		double z = log((O[h] > 0 ? O[h] : 0.5) / E[h]) / sqrt(1 / E[h] + f.tau2);
		fr[nrow++] = (struct funnel_row){h, O[h], E[h], pts[h].ratio, p->settings.chart_down[j->indicator] ? fabs(z) : z,
						 where, hm, j->sort};
		char tw[64], label[STORE_HOME_TEXT + 260];
		times_words(pts[h].ratio, tw, sizeof tw);
		snprintf(label, sizeof label, "%s (URN %s): %.0f %s, %.1f expected, %s. %s", hm->name, hm->urn, O[h], words,
			 E[h], tw, where);
		const char *cls = pts[h].ratio > hi998 || pts[h].ratio < lo998 ? "sg-point sg-point--out"
				  : pts[h].ratio > hi95 || pts[h].ratio < lo95 ? "sg-point sg-point--warn"
									       : "sg-point";
		buf_printf(&b, "<a href=\"/homes/%lld\" aria-label=\"", (long long)hm->id);
		buf_append_html(&b, label, strlen(label));
		buf_printf(&b, "\"><circle class=\"%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"6\" data-ratio=\"%.2f\"><title>", cls,
			   plot_x(&g, E[h]), plot_y(&g, pts[h].ratio), pts[h].ratio);
		buf_append_html(&b, label, strlen(label));
		buf_puts(&b, "</title></circle></a>");
	}
	buf_puts(&b, "</svg>");
	qsort(fr, nrow, sizeof *fr, by_funnel_row);
	json_t *rows = json_array();
	int shared = 0;
	for (size_t i = 0; i < nrow; i++) {
		const struct store_home *hm = &p->homes[fr[i].h];
		int same = 0; /* homes of the same name: the URN and the place tell them apart */
		for (size_t k = 0; k < p->nhomes; k++)
			same += strcmp(p->homes[k].name, hm->name) == 0;
		shared += same > 1;
		char o[24], e[24], ratio[24], tw[64];
		snprintf(o, sizeof o, "%.0f", fr[i].O);
		snprintf(e, sizeof e, "%.1f", fr[i].E);
		snprintf(ratio, sizeof ratio, "%.2f", fr[i].ratio);
		times_words(fr[i].ratio, tw, sizeof tw);
		json_array_append_new(rows, json_pack("{s:I, s:i, s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:s, s:s, s:s}", "id",
						      (json_int_t)hm->id, "n", (int)i + 1, "name", hm->name, "urn", hm->urn,
						      "postcode", hm->postcode, "specialism", specialism_name(hm->specialism),
						      "shared_name", same > 1, "observed", o, "expected", e, "ratio", ratio,
						      "times", tw, "where", fr[i].where));
	}
	json_object_set_new(view, "rows", rows);
	json_object_set_new(view, "shared_names", json_integer(shared));
	json_object_set_new(view, "first", json_string(firstl));
	json_object_set_new(view, "last", json_string(lastl));
	json_object_set_new(view, "sort_words", json_string(j->sort == SORT_CONCERN    ? "most concerning first"
							    : j->sort == SORT_NAME     ? "by name"
							    : j->sort == SORT_URN      ? "by URN"
							    : j->sort == SORT_RECORDED ? "most recorded first"
							    : j->sort == SORT_EXPECTED ? "most expected first"
										       : "highest rate first"));
	json_object_set_new(view, "down", json_boolean(p->settings.chart_down[j->indicator]));
	size_t n = 0;
	char *svg = buf_steal(&b, &n);
	if (!svg) {
		rc = -1;
		goto out;
	}
	json_object_set_new(view, "svg", json_stringn(svg, n));
	free(svg);
render:
	render(r->w, r->rq, 200, "homes_funnel", view);
	view = NULL;
out:
	buf_free(&b);
	free(O);
	free(E);
	free(pts);
	free(fr);
	homes_view_free(&v);
	if (rc != 0 && view) {
		json_decref(view);
		web_unavailable(r->w, r->rq);
	}
}

void web_homes_funnel(const struct web *w, http_request *rq)
{
	char ind[40], sort[24];
	query(rq, "indicator", ind, sizeof ind);
	query(rq, "sort", sort, sizeof sort);
	int k = ind[0] ? ov_indicator_from_name(ind) : OV_RESTRAINT;
	if (k < 0) {
		web_message_link(w, rq, 404, "Page not found", "There is no funnel plot for that indicator.",
				 "/homes/funnel", "The funnel plot of restraints");
		return;
	}
	int so = SORT_CONCERN; /* an unknown order: the default, as a list page's filters do */
	for (int i = 0; i < NSORT; i++)
		if (strcmp(sort, sort_names[i]) == 0)
			so = i;
	struct funnel_job *j = calloc(1, sizeof *j);
	if (!j) {
		web_unavailable(w, rq);
		return;
	}
	j->indicator = k;
	j->sort = so;
	j->r.show = funnel_show;
	j->r.release = funnel_release;
	web_read_start(w, rq, &j->r, "homes.read", 0, "funnel plot");
}

/* ---- a home's profile ---- */

struct profile_job {
	struct web_read r;
	int64_t home_id;
	json_t *form;      /* a form sent back with its errors (the Reg 44 form, or an alert's outcome) */
	int64_t err_alert; /* the alert whose resolve form has the error */
	int status;
	char done[16];     /* "acknowledged", "resolved", "reg44" after a redirect */
};

static void profile_release(struct web_read *r)
{
	struct profile_job *j = (struct profile_job *)r;
	json_decref(j->form);
	free(j);
}



/* One month-by-month (CUSUM) chart as SVG: the chart's value after each month, the threshold, the months it
 * signalled; both axes labelled, the months in words. rows gets each month's figures for the table beside it. */
static void cusum_svg(struct buf *b, const struct homes_panel *p, const double *chart, size_t h, int j, double thr,
		      const double *signal_stat, const char *label, const char *title_id, json_t *rows)
{
	double vmax = thr * 1.1, ystep;
	for (size_t t = 0; t < p->nmonths; t++) {
		double c = signal_stat[t] > 0 ? signal_stat[t] : chart[(h * p->nmonths + t) * NCHART + (size_t)j];
		if (c > vmax)
			vmax = c;
	}
	double ytop = plot_nice_max(vmax * 1.05, 4, &ystep);
	struct plot g = {640, 210, 58, 16, 12, 48, p->nmonths > 1 ? (double)(p->nmonths - 1) : 1, ytop};
	buf_printf(b, "<svg class=\"sg-cusum\" viewBox=\"0 0 %.0f %.0f\" width=\"100%%\" role=\"img\" aria-labelledby=\"%s\">",
		   g.w, g.h, title_id);
	buf_printf(b, "<title id=\"%s\">", title_id);
	buf_append_html(b, label, strlen(label));
	buf_puts(b, "</title>");
	buf_printf(b, "<line class=\"sg-axis\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", g.left, g.h - g.bottom,
		   g.w - g.right, g.h - g.bottom);
	buf_printf(b, "<line class=\"sg-axis\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", g.left, g.top, g.left,
		   g.h - g.bottom);
	for (int i = 0; i * ystep <= ytop + 1e-9 && i <= 10; i++) {
		char t[24];
		tick_text(i * ystep, t, sizeof t);
		buf_printf(b, "<text class=\"sg-tick sg-ytick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text>", g.left - 4,
			   plot_y(&g, i * ystep) + 4, t);
	}
	buf_printf(b, "<text class=\"sg-axis-label\" x=\"12\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 12 %.1f)\">"
		      "Evidence score</text>", (g.top + g.h - g.bottom) / 2, (g.top + g.h - g.bottom) / 2);
	buf_printf(b, "<text class=\"sg-axis-label\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">Month</text>",
		   (g.left + g.w - g.right) / 2, g.h - 4);
	buf_printf(b, "<line class=\"sg-threshold\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", g.left, plot_y(&g, thr),
		   g.w - g.right, plot_y(&g, thr));
	buf_printf(b, "<text class=\"sg-tick sg-threshold-label\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">Threshold %.1f</text>",
		   g.w - g.right, plot_y(&g, thr) - 4, thr);
	buf_puts(b, "<path class=\"sg-line\" d=\"");
	for (size_t t = 0; t < p->nmonths; t++) {
		double c = signal_stat[t] > 0 ? signal_stat[t] : chart[(h * p->nmonths + t) * NCHART + (size_t)j];
		buf_printf(b, "%s%.1f %.1f", t ? " L" : "M", plot_x(&g, (double)t), plot_y(&g, c));
		char m[8], ml[32], val[24];
		homes_month_text(p->first_month + (int)t, m);
		month_long(m, ml, sizeof ml);
		snprintf(val, sizeof val, "%.2f", c);
		json_array_append_new(rows, json_pack("{s:s, s:s, s:b}", "month", ml, "value", val, "signal", signal_stat[t] > 0));
	}
	buf_puts(b, "\"/>");
	for (size_t t = 0; t < p->nmonths; t++)
		if (signal_stat[t] > 0)
			buf_printf(b, "<circle class=\"sg-signal\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\"/>", plot_x(&g, (double)t),
				   plot_y(&g, signal_stat[t]));
	size_t every = p->nmonths > 12 ? 6 : 3;
	for (size_t t = 0; t < p->nmonths; t += every) {
		char m[8], ml[32];
		homes_month_text(p->first_month + (int)t, m);
		month_long(m, ml, sizeof ml);
		/* "Dec 2024" under the tick would be an abbreviation; the full month fits at this spacing. */
		buf_printf(b, "<text class=\"sg-tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>", plot_x(&g, (double)t),
			   g.h - g.bottom + 16, t == 0 ? "start" : "middle", ml);
	}
	buf_puts(b, "</svg>");
}

static json_t *incident_json(const struct store_home_incident *i, bool names)
{
	char date[DATE_LONG_MAX + 16] = "", hm[16] = "";
	struct date d;
	if (strlen(i->occurred_at) > 10)
		web_when_text(i->occurred_at, date, sizeof date, hm, sizeof hm);
	else
		web_day_text(i->occurred_at, &d, date, sizeof date);
	const char *type = ov_indicator_words(ov_indicator_from_name(i->type));
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)i->id, "date", date, "time", hm, "type",
			      type[0] ? type : i->type, "summary", i->summary);
	if (i->duration_min >= 0 || i->technique[0]) {
		char dur[32] = "Not recorded", staff[32] = "Not recorded";
		if (i->duration_min >= 0)
			snprintf(dur, sizeof dur, "%d minute%s", i->duration_min, i->duration_min == 1 ? "" : "s");
		if (i->staff_involved >= 0)
			snprintf(staff, sizeof staff, "%d", i->staff_involved);
		json_object_set_new(o, "reg35",
				    json_pack("{s:s, s:s, s:s, s:s, s:s}", "duration", dur, "technique",
					      i->technique[0] ? i->technique : "Not recorded", "injured",
					      i->child_injured < 0 ? "Not recorded" : i->child_injured ? "Yes" : "No", "staff",
					      staff, "debrief",
					      i->debrief_offered < 0 ? "Not recorded" : i->debrief_offered ? "Yes" : "No"));
	}
	if (names && (i->given_name[0] || i->family_name[0])) {
		char name[2 * STORE_NAME_BYTES + 24];
		web_short_name(i->given_name, i->family_name, name, sizeof name);
		json_object_set_new(o, "child", web_str(name));
		json_object_set_new(o, "child_id", json_integer(i->person_id));
	}
	return o;
}

static json_t *note_json(const struct store_home_note *n)
{
	char date[DATE_LONG_MAX + 16], hm[16];
	web_when_text(n->created_at, date, sizeof date, hm, sizeof hm);
	return json_pack("{s:s, s:s, s:s, s:s}", "date", date, "time", hm, "author", n->author, "text", n->text);
}

static void home_summary(json_t *view, const struct store_home *h)
{
	struct date d;
	char grade_date[DATE_LONG_MAX + 1] = "";
	if (h->grade_date[0])
		web_day_text(h->grade_date, &d, grade_date, sizeof grade_date);
	json_object_set_new(view, "home",
			    json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:s}", "id", (json_int_t)h->id, "name",
				      h->name, "urn", h->urn, "provider", h->provider, "la_code", h->la_code, "postcode",
				      h->postcode, "specialism", specialism_name(h->specialism), "places", h->places,
				      "grade", grade_name(h->ofsted_grade), "grade_date", grade_date));
}

static void profile_show(struct web_read *r)
{
	struct profile_job *j = (struct profile_job *)r;
	struct homes_profile pr;
	struct homes_view v;
	bool found = false;
	double *chart = NULL;
	json_t *view = NULL;
	struct buf b;
	buf_init(&b, SVG_MAX);
	memset(&v, 0, sizeof v);
	int rc = homes_profile_load(r->w->st, &r->access, j->home_id, &pr, &found);
	if (rc == STORE_OK && !found) {
		homes_profile_free(&pr);
		web_message_link(r->w, r->rq, 404, "Page not found", "There is no home with this number in the register.",
				 "/homes", "The homes");
		return;
	}
	int vrc = rc == STORE_OK ? homes_view_load(r->w->st, &r->access, &v) : rc;
	if (rc != STORE_OK || (vrc != 0 && vrc != HOMES_EEMPTY)) {
		homes_profile_free(&pr);
		homes_view_free(&v);
		web_unavailable(r->w, r->rq);
		return;
	}
	view = json_pack("{s:s, s:b}", "title", pr.home.name, "nav_homes", 1);
	home_summary(view, &pr.home);
	const struct homes_panel *p = &v.panel;
	long h = vrc == 0 ? homes_panel_index(p, j->home_id) : -1;
	/* Rates over the last 12 months, raw and shrunk (display only). */
	if (h >= 0) {
		json_t *rates = json_array();
		double *O = calloc(p->nhomes + 1, sizeof *O), *E = calloc(p->nhomes + 1, sizeof *E);
		for (int k = 0; O && E && k < OV_NIND; k++) {
			for (size_t x = 0; x < p->nhomes; x++)
				window_totals(p, x, k, &O[x], &E[x]);
			double a = ov_eb_prior(O, E, p->nhomes);
			char o[24], e[24], raw[24], shrunk[24];
			snprintf(o, sizeof o, "%.0f", O[h]);
			snprintf(e, sizeof e, "%.1f", E[h]);
			snprintf(raw, sizeof raw, "%.2f", E[h] > 0 ? O[h] / E[h] : 0);
			snprintf(shrunk, sizeof shrunk, "%.2f", ov_eb_ratio(O[h], E[h], a));
			json_array_append_new(rates, json_pack("{s:s, s:s, s:s, s:s, s:s}", "indicator", ov_indicator_words(k),
							       "observed", o, "expected", e, "ratio", raw, "shrunk", shrunk));
		}
		free(O);
		free(E);
		json_object_set_new(view, "rates", rates);
	}
	/* CUSUM charts with the newest run's thresholds. */
	if (h >= 0 && v.have_run &&
	    (chart = malloc((p->nhomes * p->nmonths * NCHART + 1) * sizeof *chart)) != NULL &&
	    homes_charts(&v.panel, (double[]){v.run.h_up, v.run.h_down, v.run.h_combined, 0}, chart) == 0) {
		json_t *charts = json_array();
		double *stat = calloc(p->nmonths + 1, sizeof *stat);
		for (int jj = 0; stat && jj < NCHART; jj++) {
			int k = jj < OV_NIND ? jj : jj < 2 * OV_NIND ? jj - OV_NIND : OV_COMBINED;
			bool high = jj < OV_NIND || jj == 2 * OV_NIND;
			if (jj >= OV_NIND && jj < 2 * OV_NIND && !p->settings.chart_down[k])
				continue;
			double thr = jj < OV_NIND ? v.run.h_up : jj < 2 * OV_NIND ? v.run.h_down : v.run.h_combined;
			memset(stat, 0, (p->nmonths + 1) * sizeof *stat);
			json_t *months = json_array();
			for (size_t i = 0; i < v.nsignals; i++) {
				const struct store_oversight_signal *g = &v.signals[i];
				if (g->home_id != j->home_id || strcmp(g->indicator, ov_indicator_name(k)) != 0 ||
				    strcmp(g->direction, high ? "high" : "low") != 0)
					continue;
				int n = homes_month_number(g->month), m = n - p->first_month;
				if (n >= 0 && m >= 0 && (size_t)m < p->nmonths)
					stat[m] = g->statistic;
				char ml[32];
				month_long(g->month, ml, sizeof ml);
				json_array_append_new(months, json_pack("{s:s, s:s}", "month", ml, "reason", g->reason));
			}
			char name[96], label[400], title_id[32];
			if (k == OV_COMBINED)
				snprintf(name, sizeof name, "Combined: restraints, injuries and missing episodes up, complaints down");
			else
				snprintf(name, sizeof name, "%s, %s", ov_indicator_words(k), high ? "upwards" : "downwards");
			name[0] = (char)(name[0] >= 'a' && name[0] <= 'z' ? name[0] - 32 : name[0]);
			size_t nsig = json_array_size(months);
			char fl[32], ll[32], fm[8], lm[8];
			homes_month_text(p->first_month, fm);
			homes_month_text(p->first_month + (int)p->nmonths - 1, lm);
			month_long(fm, fl, sizeof fl);
			month_long(lm, ll, sizeof ll);
			snprintf(label, sizeof label, "Month-by-month chart of %s, %s to %s: the evidence score against the "
						      "threshold %.1f; %zu signal%s",
				 k == OV_COMBINED ? "restraints, injuries and missing episodes up and complaints down, together" : name, fl, ll, thr, nsig, nsig == 1 ? "" : "s");
			if (k != OV_COMBINED)
				label[24] = (char)(label[24] >= 'A' && label[24] <= 'Z' ? label[24] + 32 : label[24]); /* after "Month-by-month chart of " */
			snprintf(title_id, sizeof title_id, "chart-%d-title", jj);
			b.len = 0;
			json_t *mrows = json_array();
			cusum_svg(&b, p, chart, (size_t)h, jj, thr, stat, label, title_id, mrows);
			char thr_text[24];
			snprintf(thr_text, sizeof thr_text, "%.1f", thr);
			json_array_append_new(charts, json_pack("{s:s, s:s%, s:s, s:o, s:b, s:o, s:i, s:s}", "name", name, "svg",
								b.data, b.len, "label", label, "signals", months,
								"has_signals", nsig > 0, "months", mrows, "n", jj,
								"threshold", thr_text));
		}
		free(stat);
		json_object_set_new(view, "charts", charts);
	}
	/* Incidents, newest first. */
	json_t *inc = json_array();
	for (size_t i = 0; i < pr.nincidents && i < 30; i++)
		json_array_append_new(inc, incident_json(&pr.incidents[i], false));
	json_object_set_new(view, "incidents", inc);
	/* Reg 44 reports, and the months with children that have none (the last 6). */
	json_t *reps = json_array(), *missing = json_array();
	for (size_t i = 0; i < pr.nreports; i++) {
		char ml[32];
		month_long(pr.reports[i].month, ml, sizeof ml);
		char rec[DATE_LONG_MAX + 1] = "";
		struct date rd;
		char day[DATE_ISO_LEN + 1];
		snprintf(day, sizeof day, "%.10s", pr.reports[i].received_at); /* a day, or an instant */
		web_day_text(day, &rd, rec, sizeof rec);
		/* Reg 44(4)(c) in words, a "no" in red: what the visitor concluded is the first thing to read. */
		const char *sg = pr.reports[i].safeguarded, *sgw = strcmp(sg, "yes") == 0 ? "Yes"
								   : strcmp(sg, "no") == 0 ? "No" : "Not stated";
		json_array_append_new(reps, json_pack("{s:s, s:s, s:s, s:s, s:s, s:b}", "month", ml, "visitor",
						      pr.reports[i].visitor, "summary", pr.reports[i].summary, "received",
						      rec, "safeguarded", sgw, "not_safeguarded", strcmp(sg, "no") == 0));
	}
	if (h >= 0)
		for (size_t t = p->nmonths > 6 ? p->nmonths - 6 : 0; t < p->nmonths; t++) {
			if (!(p->nights[(size_t)h * p->nmonths + t] > 0))
				continue;
			char m[8], ml[32];
			bool have = false;
			homes_month_text(p->first_month + (int)t, m);
			for (size_t i = 0; i < pr.nreports; i++)
				have |= strcmp(pr.reports[i].month, m) == 0;
			if (!have) {
				month_long(m, ml, sizeof ml);
				json_array_append_new(missing, json_pack("{s:s}", "month", ml));
			}
		}
	json_object_set_new(view, "reports", reps);
	json_object_set_new(view, "reports_missing", missing);
	/* The children placed: how many and how far, never who (the analyst has no need-to-know). */
	json_t *pl = json_array();
	int now = 0, out_of_area = 0, distant = 0;
	for (size_t i = 0; i < pr.nplacements; i++) {
		const struct store_home_placement *x = &pr.placements[i];
		char start[DATE_LONG_MAX + 1] = "", end[DATE_LONG_MAX + 1] = "", dist[48] = "Not known";
		struct date d;
		web_day_text(x->start, &d, start, sizeof start);
		if (x->end[0])
			web_day_text(x->end, &d, end, sizeof end);
		else
			now++;
		if (x->distance_km >= 0)
			snprintf(dist, sizeof dist, "%.0f miles (%.0f km)", x->distance_km / 1.609344, x->distance_km);
		out_of_area += x->out_of_area && !x->end[0];
		distant += x->distant && !x->end[0];
		json_array_append_new(pl, json_pack("{s:i, s:s, s:s, s:s, s:b, s:b}", "n", (int)i + 1, "start", start, "end",
						    end[0] ? end : "Placed now", "distance", dist, "out_of_area", x->out_of_area,
						    "distant", x->distant));
	}
	char placed[200];
	snprintf(placed, sizeof placed, "%d %s placed now: %d from outside the area, %d more than 20 miles from home.",
		 now, now == 1 ? "child" : "children", out_of_area, distant);
	json_object_set_new(view, "placements", pl);
	json_object_set_new(view, "placed_text", json_string(placed));
	json_t *notes = json_array();
	for (size_t i = 0; i < pr.nnotes; i++)
		json_array_append_new(notes, note_json(&pr.notes[i]));
	json_object_set_new(view, "notes", notes);
	/* Alerts about the home: open ones first with the analyst's actions, then the resolved with their history. */
	json_t *alerts = json_array(), *closed = json_array();
	const char *outcome_kept = j->form ? json_string_value(json_object_get(j->form, "outcome")) : NULL;
	const char *outcome_err = j->form ? json_string_value(json_object_get(json_object_get(j->form, "errors"), "outcome"))
					  : NULL;
	for (size_t i = 0; i < pr.nalerts; i++) {
		json_t *av = alert_view(&pr.alerts[i]);
		if (pr.alerts[i].id == j->err_alert) {
			json_object_set_new(av, "error", json_string(outcome_err ? outcome_err : ""));
			json_object_set_new(av, "outcome_value", json_string(outcome_kept ? outcome_kept : ""));
		}
		if (strcmp(pr.alerts[i].state, "resolved") == 0)
			json_object_set_new(av, "outcome", json_string(pr.alerts[i].outcome));
		json_array_append_new(strcmp(pr.alerts[i].state, "resolved") == 0 ? closed : alerts, av);
	}
	json_object_set_new(view, "alerts", alerts);
	json_object_set_new(view, "closed_alerts", closed);
	json_object_set_new(view, "outcome_max", json_integer(HOMES_OUTCOME_MAX));
	if (strcmp(j->done, "acknowledged") == 0)
		json_object_set_new(view, "done_text", json_string("Alert acknowledged. Resolve it once the work it asks for is done."));
	else if (strcmp(j->done, "resolved") == 0)
		json_object_set_new(view, "done_text", json_string("Alert resolved. The outcome is recorded with it."));
	else if (strcmp(j->done, "reg44") == 0)
		json_object_set_new(view, "done_text", json_string("Regulation 44 report recorded."));
	if (j->form) {
		json_t *f = json_object_get(j->form, "reg44");
		if (f)
			json_object_set(view, "reg44", f);
		json_object_set(view, "errors", json_object_get(j->form, "errors"));
		json_object_set(view, "error_summary", json_object_get(j->form, "error_summary"));
		json_object_set(view, "has_errors", json_object_get(j->form, "has_errors"));
	}
	render(r->w, r->rq, j->status ? j->status : 200, "home", view);
	free(chart);
	buf_free(&b);
	homes_profile_free(&pr);
	homes_view_free(&v);
}

static void profile_start(const struct web *w, http_request *rq, int64_t id, json_t *form, int64_t err_alert,
			  int status)
{
	struct profile_job *j = calloc(1, sizeof *j);
	if (!j) {
		json_decref(form);
		web_unavailable(w, rq);
		return;
	}
	j->home_id = id;
	j->form = form;
	j->err_alert = err_alert;
	j->status = status;
	char done[16];
	query(rq, "done", done, sizeof done);
	if (!form && (strcmp(done, "acknowledged") == 0 || strcmp(done, "resolved") == 0 || strcmp(done, "reg44") == 0))
		snprintf(j->done, sizeof j->done, "%s", done);
	j->r.show = profile_show;
	j->r.release = profile_release;
	char detail[64];
	snprintf(detail, sizeof detail, "home:%lld", (long long)id);
	web_read_start(w, rq, &j->r, "homes.read", 0, detail);
}

void web_home_page(const struct web *w, http_request *rq, int64_t id)
{
	profile_start(w, rq, id, NULL, 0, 0);
}

/* ---- acting on an alert about a home, and recording a Regulation 44 report ---- */

struct home_act_job {
	struct txq_job job;
	const struct web *w;
	http_request *rq;
	int64_t id, home_id;
	char *outcome; /* NULL to acknowledge */
	enum alerts_result res;
	struct store_reg44 rep; /* a report when reg44 */
	bool reg44;
	enum homes_record_result rres;
	int64_t rep_id, resolved;
	char actor[96], by[STORE_USER_MAX + 1];
};

static int home_act_run(store_conn *c, void *arg)
{
	struct home_act_job *j = arg;
	if (j->reg44)
		return homes_reg44_add(c, j->actor, j->by, &j->rep, &j->rep_id, &j->resolved, &j->rres);
	if (j->outcome)
		return homes_alert_resolve(c, j->id, j->actor, j->by, j->outcome, &j->res);
	return homes_alert_acknowledge(c, j->id, j->actor, j->by, &j->res);
}

static void home_act_done(struct txq_job *job)
{
	struct home_act_job *j = (struct home_act_job *)job;
	char to[96];
	snprintf(to, sizeof to, "/homes/%lld", (long long)j->home_id);
	if (job->rc < 0) {
		fprintf(stderr, "safeguard: a home's alert or report could not be saved (store error %d)\n", job->rc);
		web_write_failed(j->w, j->rq, job->rc, "Sorry, there is a problem with the service",
				 j->reg44 ? "The report was not saved. Go back to the home and try again."
					  : "The alert was not changed. Go back to the home and try again.",
				 to, "Go back to the home");
	} else if (j->reg44 && j->rres == HOMES_NO_HOME) {
		web_message_link(j->w, j->rq, 404, "Page not found", "There is no home with this number in the register.",
				 "/homes", "The homes");
	} else if (j->reg44 && j->rres == HOMES_HELD) {
		/* Refused, not replaced: a report is a record of what the visitor found that month. */
		char ml[32], msg[240];
		month_long(j->rep.month, ml, sizeof ml);
		snprintf(msg, sizeof msg, "The home already has a Regulation 44 report for %s. It stays as it was "
					  "recorded: nothing was saved. Check the month of the visit.", ml);
		web_message_link(j->w, j->rq, 409, "There is already a report for that month", msg, to,
				 "Go back to the home");
	} else if (!j->reg44 && j->res == ALERTS_NOT_FOUND) {
		web_message_link(j->w, j->rq, 404, "Alert not found", "There is no alert about a home with this reference.",
				 "/homes", "Go to the homes");
	} else if (!j->reg44 && j->res == ALERTS_WRONG_STATE) {
		web_message_link(j->w, j->rq, 409,
				 j->outcome ? "This alert is already resolved" : "This alert is no longer open",
				 j->outcome ? "Someone resolved it before your outcome was saved, so yours was not. "
					      "Open the home to see who resolved it and what they wrote."
					    : "Someone acknowledged or resolved it before you. Open the home to see who.",
				 to, "Open the home");
	} else {
		if (j->reg44)
			snprintf(to, sizeof to, "/homes/%lld?done=reg44#reports", (long long)j->home_id);
		else
			snprintf(to, sizeof to, "/homes/%lld?done=%s#alert-%lld", (long long)j->home_id,
				 j->outcome ? "resolved" : "acknowledged", (long long)j->id);
		web_redirect(j->rq, to);
	}
	http_resume(j->rq);
	free(j->outcome);
	free(j);
}

static void home_act_submit(const struct web *w, http_request *rq, struct home_act_job *j)
{
	const struct web_user *u = web_user(rq);
	snprintf(j->actor, sizeof j->actor, "%s", u->actor);
	snprintf(j->by, sizeof j->by, "%s", u->username);
	j->w = w;
	j->rq = rq;
	j->job.run = home_act_run;
	j->job.arg = j;
	j->job.done = home_act_done;
	http_suspend(rq);
	txq_submit(w->q, &j->job);
}

/* The home an alert is about (the pages go back to it); 0 when there is no such alert. */
static int64_t alert_home(const struct web *w, http_request *rq, int64_t id)
{
	struct store_home_alert *a = malloc(sizeof *a);
	bool found = false;
	int64_t home = 0;
	if (!a || homes_alert_get(w->st, id, a, &found) != STORE_OK) {
		free(a);
		web_unavailable(w, rq);
		return -1;
	}
	if (found)
		home = a->home_id;
	free(a);
	if (!home)
		web_message_link(w, rq, 404, "Alert not found", "There is no alert about a home with this reference.",
				 "/homes", "Go to the homes");
	return home;
}

void web_home_alert_acknowledge(const struct web *w, http_request *rq, int64_t id)
{
	int64_t home = alert_home(w, rq, id);
	if (home <= 0)
		return;
	struct home_act_job *j = calloc(1, sizeof *j);
	if (!j) {
		web_unavailable(w, rq);
		return;
	}
	j->id = id;
	j->home_id = home;
	home_act_submit(w, rq, j);
}

#define OUTCOME_BYTES (HOMES_OUTCOME_MAX * 4 + 8)

void web_home_alert_resolve(const struct web *w, http_request *rq, int64_t id)
{
	int64_t home = alert_home(w, rq, id);
	if (home <= 0)
		return;
	char *outcome = malloc(OUTCOME_BYTES);
	if (!outcome) {
		web_unavailable(w, rq);
		return;
	}
	web_field(rq, "outcome", outcome, OUTCOME_BYTES);
	char anchor[40];
	snprintf(anchor, sizeof anchor, "outcome-%lld", (long long)id);
	json_t *form = json_object();
	if (!outcome[strspn(outcome, " \t\r\n")])
		web_add_error(form, "outcome", anchor, "Enter the outcome: what was done about the alert");
	else if (!web_text_ok(outcome, HOMES_OUTCOME_MAX, true))
		web_add_error(form, "outcome", anchor, "The outcome must be 300 characters or fewer, without control characters");
	if (json_object_get(form, "errors")) {
		json_object_set_new(form, "outcome", json_string(text_utf8_valid(outcome, strlen(outcome)) ? outcome : ""));
		free(outcome);
		profile_start(w, rq, home, form, id, 400);
		return;
	}
	json_decref(form);
	struct home_act_job *j = calloc(1, sizeof *j);
	if (!j) {
		free(outcome);
		web_unavailable(w, rq);
		return;
	}
	j->id = id;
	j->home_id = home;
	j->outcome = outcome;
	home_act_submit(w, rq, j);
}

void web_home_reg44_add(const struct web *w, http_request *rq, int64_t home_id)
{
	char month[8], year[8], rday[8], rmonth[8], ryear[8], visitor[HOMES_VISITOR_MAX * 2 + 8],
		summary[HOMES_REG44_SUMMARY_MAX * 2 + 8];
	web_field(rq, "reg44-month", month, sizeof month);
	web_field(rq, "reg44-year", year, sizeof year);
	web_field(rq, "received-day", rday, sizeof rday);
	web_field(rq, "received-month", rmonth, sizeof rmonth);
	web_field(rq, "received-year", ryear, sizeof ryear);
	web_field(rq, "visitor", visitor, sizeof visitor);
	web_field(rq, "summary", summary, sizeof summary);
	char safeguarded[16];
	web_field(rq, "safeguarded", safeguarded, sizeof safeguarded);
	json_t *form = json_object(), *f = json_object();
	struct date today = web_today(), vd, rd;
	bool given = false;
	/* The month of the visit: its first day must be a real date, not after this month. */
	int mrc = web_date_fields("1", month, year, &vd, &given);
	if (!month[0] && !year[0])
		web_add_error(form, "reg44_month", "reg44-month", "Enter the month of the visit");
	else if (mrc != 0 || vd.y < 2000)
		web_add_error(form, "reg44_month", "reg44-month", "The month of the visit must be a real month, for example 3 2025");
	else if (vd.y * 12 + vd.m > today.y * 12 + today.m)
		web_add_error(form, "reg44_month", "reg44-month", "The month of the visit must be this month or in the past");
	int rrc = web_date_fields(rday, rmonth, ryear, &rd, &given);
	if (!given)
		web_add_error(form, "received", "received-day", "Enter the date the report was received");
	else if (rrc != 0)
		web_add_error(form, "received", "received-day", "The date the report was received must be a real date");
	else if (date_cmp(rd, today) > 0)
		web_add_error(form, "received", "received-day", "The date the report was received must be today or in the past");
	else if (mrc == 0 && rd.y * 12 + rd.m < vd.y * 12 + vd.m)
		web_add_error(form, "received", "received-day",
			      "The date the report was received must be in or after the month of the visit");
	if (!visitor[strspn(visitor, " ")])
		web_add_error(form, "visitor", "visitor", "Enter the independent visitor's name");
	else if (!web_text_ok(visitor, HOMES_VISITOR_MAX, false) || strlen(visitor) > HOMES_VISITOR_MAX)
		web_add_error(form, "visitor", "visitor", "The visitor's name must be 200 characters or fewer, on one line");
	/* Reg 44(4)(c): asked every time, "not stated" an answer of its own, so a report without an opinion is
	 * recorded as such and never taken for a "yes". */
	if (!safeguarded[0])
		web_add_error(form, "safeguarded", "safeguarded",
			      "Select whether, in the visitor's opinion, children are effectively safeguarded");
	else if (!homes_reg44_opinion_ok(safeguarded))
		web_add_error(form, "safeguarded", "safeguarded",
			      "Select yes, no or not stated for whether children are effectively safeguarded");
	if (!summary[strspn(summary, " \t\r\n")])
		web_add_error(form, "summary", "summary", "Enter the summary of the report and its recommendations");
	else if (!web_text_ok(summary, HOMES_REG44_SUMMARY_MAX, true) || strlen(summary) > HOMES_REG44_SUMMARY_MAX)
		web_add_error(form, "summary", "summary", "The summary must be 2,000 characters or fewer");
	web_keep(f, form, "month", "reg44_month", "reg44-month", month);
	web_keep(f, form, "year", "reg44_month", "reg44-month", year);
	web_keep(f, form, "received_day", "received", "received-day", rday);
	web_keep(f, form, "received_month", "received", "received-day", rmonth);
	web_keep(f, form, "received_year", "received", "received-day", ryear);
	web_keep(f, form, "visitor", "visitor", "visitor", visitor);
	web_keep(f, form, "summary", "summary", "summary", summary);
	json_object_set_new(f, "safeguarded_yes", json_boolean(strcmp(safeguarded, "yes") == 0));
	json_object_set_new(f, "safeguarded_no", json_boolean(strcmp(safeguarded, "no") == 0));
	json_object_set_new(f, "safeguarded_not_stated", json_boolean(strcmp(safeguarded, "not_stated") == 0));
	json_object_set_new(form, "reg44", f);
	if (json_object_get(form, "errors")) {
		profile_start(w, rq, home_id, form, 0, 400);
		return;
	}
	json_decref(form);
	struct home_act_job *j = calloc(1, sizeof *j);
	if (!j) {
		web_unavailable(w, rq);
		return;
	}
	j->reg44 = true;
	j->home_id = home_id;
	j->rep.home_id = home_id;
	homes_month_text(vd.y * 12 + vd.m - 1, j->rep.month);
	date_format_iso(rd, j->rep.received_at);
	snprintf(j->rep.visitor, sizeof j->rep.visitor, "%.*s", (int)(sizeof j->rep.visitor - 1), visitor);
	snprintf(j->rep.summary, sizeof j->rep.summary, "%.*s", (int)(sizeof j->rep.summary - 1), summary);
	snprintf(j->rep.safeguarded, sizeof j->rep.safeguarded, "%.*s", (int)(sizeof j->rep.safeguarded - 1), safeguarded);
	home_act_submit(w, rq, j);
}

/* ---- the police ---- */

struct police_job {
	struct web_read r;
	int64_t home_id; /* 0: the area's list */
	json_t *form;    /* a note sent back with its errors */
	int status;
};

static void police_release(struct web_read *r)
{
	struct police_job *j = (struct police_job *)r;
	json_decref(j->form);
	free(j);
}

/* What a name on the police pages opens: the record when the officer works with the child (access.c decided
 * the level), else the record's refusal, which offers the emergency opening (break-glass). */
static void name_access(json_t *o, enum access_level level)
{
	bool opens = level >= ACCESS_AGENCY;
	json_object_set_new(o, "record_opens", json_boolean(opens));
	json_object_set_new(o, "record_text", json_string(level == ACCESS_FULL     ? "Record open to you"
							  : level == ACCESS_AGENCY ? "Your force's records"
										   : "Emergency access only"));
}

/* A missing episode on the police pages: the child's name links to the record. */
static json_t *police_missing_json(const struct store_home_incident *i, enum access_level level)
{
	json_t *o = incident_json(i, true);
	if (json_object_get(o, "child"))
		name_access(o, level);
	return o;
}

/* The children placed now in one home: named ones in a table, the others counted. */
static void resident_rows(json_t *view, const struct homes_residents *res, int64_t home_id)
{
	json_t *rows = json_array();
	int unnamed = 0, all = 0;
	for (size_t i = 0; i < res->nplaced; i++) {
		const struct homes_resident *x = &res->placed[i];
		if (x->home_id != home_id)
			continue;
		all++;
		if (!x->named) {
			unnamed++;
			continue;
		}
		char name[2 * STORE_NAME_BYTES + 24], since[DATE_LONG_MAX + 1] = "";
		struct date d;
		web_short_name(x->given_name, x->family_name, name, sizeof name);
		web_day_text(x->start, &d, since, sizeof since);
		json_t *o = json_pack("{s:I, s:o, s:s, s:b}", "child_id", (json_int_t)x->person_id, "child", web_str(name),
				      "since", since, "missing", x->missing);
		name_access(o, x->level);
		json_array_append_new(rows, o);
	}
	char text[200];
	if (!all)
		snprintf(text, sizeof text, "No child is placed here now.");
	else if (unnamed)
		snprintf(text, sizeof text, "%d %s placed here now. %d %s not named: you do not work with them, and they "
					    "have not been reported missing from a home in the area in the last %d days.",
			 all, all == 1 ? "child is" : "children are", unnamed, unnamed == 1 ? "is" : "are",
			 POLICE_MISSING_DAYS);
	else
		snprintf(text, sizeof text, "%d %s placed here now.", all, all == 1 ? "child is" : "children are");
	json_object_set_new(view, "placed", rows);
	json_object_set_new(view, "placed_text", json_string(text));
}

static void police_show(struct web_read *r)
{
	struct police_job *j = (struct police_job *)r;
	struct homes_police pol;
	char since[STORE_TS_LEN + 1];
	ts_format_utc(clock_now() - (int64_t)POLICE_MISSING_DAYS * 86400, since);
	int rc = homes_police_load(r->w->st, &r->access, r->w->authority, since, &pol);
	if (rc != STORE_OK) {
		homes_police_free(&pol);
		web_unavailable(r->w, r->rq);
		return;
	}
	/* Who is placed in the homes now, and what the officer may do with each name: access.c decides. */
	struct homes_residents res;
	char today[DATE_ISO_LEN + 1];
	date_format_iso(web_today(), today);
	if (homes_residents_load(r->w->st, &r->access, &pol, j->home_id, today, clock_now(), &res) != STORE_OK) {
		homes_residents_free(&res);
		homes_police_free(&pol);
		web_unavailable(r->w, r->rq);
		return;
	}
	json_t *view = json_pack("{s:s, s:b, s:i}", "title", "Children's homes in our area", "nav_police_homes", 1,
				 "days", POLICE_MISSING_DAYS);
	if (j->home_id) {
		const struct store_home *hm = NULL;
		for (size_t i = 0; i < pol.nhomes; i++)
			if (pol.homes[i].id == j->home_id)
				hm = &pol.homes[i];
		if (!hm) { /* not in the area, or no such home: the same answer */
			json_decref(view);
			homes_residents_free(&res);
			homes_police_free(&pol);
			web_message_link(r->w, r->rq, 404, "Page not found", "There is no home with this number in your area.",
					 "/police/homes", "Homes in your area");
			return;
		}
		json_object_set_new(view, "title", json_string(hm->name));
		home_summary(view, hm);
		json_t *miss = json_array();
		for (size_t i = 0; i < pol.nmissing; i++)
			if (pol.missing[i].home_id == j->home_id)
				json_array_append_new(miss, police_missing_json(&pol.missing[i], res.missing_level[i]));
		json_object_set_new(view, "missing", miss);
		resident_rows(view, &res, j->home_id);
		/* The notes come with the profile read. */
		struct homes_profile pr;
		bool found = false;
		if (homes_profile_load(r->w->st, &r->access, j->home_id, &pr, &found) == STORE_OK) {
			json_t *notes = json_array();
			for (size_t i = 0; i < pr.nnotes; i++)
				json_array_append_new(notes, note_json(&pr.notes[i]));
			json_object_set_new(view, "notes", notes);
		}
		homes_profile_free(&pr);
		if (j->form)
			json_object_update(view, j->form);
		homes_residents_free(&res);
		homes_police_free(&pol);
		render(r->w, r->rq, j->status ? j->status : 200, "police_home", view);
		return;
	}
	json_t *homes = json_array(), *miss = json_array();
	for (size_t i = 0; i < pol.nhomes; i++) {
		int n = 0, placed = 0;
		for (size_t k = 0; k < pol.nmissing; k++)
			n += pol.missing[k].home_id == pol.homes[i].id;
		for (size_t k = 0; k < res.nplaced; k++)
			placed += res.placed[k].home_id == pol.homes[i].id;
		json_array_append_new(homes, json_pack("{s:I, s:s, s:s, s:s, s:s, s:i, s:i, s:i}", "id",
						       (json_int_t)pol.homes[i].id, "name", pol.homes[i].name, "urn",
						       pol.homes[i].urn, "postcode", pol.homes[i].postcode, "specialism",
						       specialism_name(pol.homes[i].specialism), "places", pol.homes[i].places,
						       "missing", n, "placed", placed));
	}
	for (size_t i = 0; i < pol.nmissing; i++) {
		json_t *o = police_missing_json(&pol.missing[i], res.missing_level[i]);
		json_object_set_new(o, "home", json_string(pol.missing[i].home_name));
		json_object_set_new(o, "home_id", json_integer(pol.missing[i].home_id));
		json_array_append_new(miss, o);
	}
	json_object_set_new(view, "homes", homes);
	json_object_set_new(view, "missing", miss);
	homes_residents_free(&res);
	homes_police_free(&pol);
	render(r->w, r->rq, 200, "police_homes", view);
}

static void police_start(const struct web *w, http_request *rq, int64_t home_id, json_t *form, int status)
{
	struct police_job *j = calloc(1, sizeof *j);
	if (!j) {
		json_decref(form);
		web_unavailable(w, rq);
		return;
	}
	j->home_id = home_id;
	j->form = form;
	j->status = status;
	j->r.show = police_show;
	j->r.release = police_release;
	char detail[64];
	snprintf(detail, sizeof detail, home_id ? "home:%lld" : "area", (long long)home_id);
	web_read_start(w, rq, &j->r, "homes.police.read", 0, detail);
}

void web_police_homes_page(const struct web *w, http_request *rq)
{
	police_start(w, rq, 0, NULL, 0);
}

void web_police_home_page(const struct web *w, http_request *rq, int64_t id)
{
	police_start(w, rq, id, NULL, 0);
}

struct note_job {
	struct txq_job job;
	const struct web *w;
	http_request *rq;
	char actor[96], authority[4];
	struct store_home_note n;
	int64_t id;
	bool found;
};

static int note_run(store_conn *c, void *arg)
{
	struct note_job *j = arg;
	return homes_note_add(c, j->actor, j->authority, &j->n, &j->id, &j->found);
}

static void note_done(struct txq_job *job)
{
	struct note_job *j = (struct note_job *)job;
	char to[80];
	if (job->rc < 0)
		web_write_failed(j->w, j->rq, job->rc, "The note was not saved", "Try again later.", "/police/homes",
				 "Homes in your area");
	else if (!j->found)
		web_message_link(j->w, j->rq, 404, "Page not found", "There is no home with this number in your area.",
				 "/police/homes", "Homes in your area");
	else {
		snprintf(to, sizeof to, "/police/homes/%lld?noted=1#notes", (long long)j->n.home_id);
		web_redirect(j->rq, to);
	}
	http_resume(j->rq);
	free(j);
}

void web_police_note_add(const struct web *w, http_request *rq, int64_t id)
{
	const struct web_user *u = web_user(rq);
	char text[NOTE_MAX * 4 + 8];
	web_field(rq, "note", text, sizeof text);
	size_t chars = text_utf8_valid(text, strlen(text)) ? text_utf8_length(text, strlen(text)) : 0;
	if (chars < NOTE_MIN || chars > NOTE_MAX || strlen(text) >= STORE_LONG_TEXT || !web_text_ok(text, NOTE_MAX, true)) {
		json_t *form = json_object();
		web_add_error(form, "note", "note", "Enter the note: 10 to 2,000 characters");
		if (text_utf8_valid(text, strlen(text)))
			json_object_set_new(form, "note", json_string(text));
		police_start(w, rq, id, form, 400);
		return;
	}
	struct note_job *j = calloc(1, sizeof *j);
	if (!j) {
		web_unavailable(w, rq);
		return;
	}
	j->w = w;
	j->rq = rq;
	snprintf(j->actor, sizeof j->actor, "%s", u->actor);
	snprintf(j->authority, sizeof j->authority, "%s", w->authority);
	j->n.home_id = id;
	snprintf(j->n.author, sizeof j->n.author, "%s", u->username);
	snprintf(j->n.agency, sizeof j->n.agency, "%s", u->agency);
	snprintf(j->n.text, sizeof j->n.text, "%.*s", (int)(sizeof j->n.text - 1), text); /* checked above: it fits */
	j->job.run = note_run;
	j->job.arg = j;
	j->job.done = note_done;
	http_suspend(rq);
	txq_submit(w->q, &j->job);
}
