#include "web/web.h"
#include "web/web_int.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "clock/now.h"
#include "core/date.h"
#include "core/event.h"
#include "core/visit.h"
#include "core/ident.h"
#include "core/text.h"
#include "lib/embedded.h"
#include "service/alerts.h"
#include "service/homes.h"
#include "service/children.h"
#include "service/intake.h"
#include "service/access.h"
#include "service/identity.h"
#include "lib/route.h"
#include "web/assets.h"
#include "web/timeline.h"

#define PAGE_MAX (16 * 1024 * 1024) /* a page larger than this is a bug */
#define SEARCH_LIMIT 50
/* The table shows pages of this many events, newest first; the timeline above it draws the whole
 * history (up to TIMELINE_MAX events) and links each mark to its row, on whichever page it is. */
#define RECORD_PAGE WEB_RECORD_PAGE
#define TIMELINE_MAX 2000
#define HTML_CSP "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " \
		 "manifest-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

extern const struct embedded_file web_templates[];

/* ---- templates ---- */

int web_init(struct web *w, store *st, txq *q, bool demo, char *err, size_t errsz)
{
	memset(w, 0, sizeof *w);
	w->st = st;
	w->q = q;
	w->demo = demo;
	alerts_config_default(&w->alerts);
	for (const struct embedded_file *f = web_templates; f->name; f++) {
		struct mustache_error e;
		if (w->ntemplates == WEB_TEMPLATES_MAX) {
			snprintf(err, errsz, "too many templates (raise WEB_TEMPLATES_MAX)");
			return -1;
		}
		if (mustache_compile((const char *)f->data, f->len, &w->templates[w->ntemplates].t, &e) != 0) {
			snprintf(err, errsz, "template %s.mustache, line %d column %d: %s", f->name, e.line, e.column,
				 e.message);
			web_free(w);
			return -1;
		}
		w->templates[w->ntemplates++].name = f->name;
	}
	return 0;
}

void web_free(struct web *w)
{
	for (int i = 0; i < w->ntemplates; i++)
		mustache_free(w->templates[i].t);
	w->ntemplates = 0;
}

static const mustache *template_named(const char *name, void *ctx)
{
	const struct web *w = ctx;
	for (int i = 0; i < w->ntemplates; i++)
		if (strcmp(w->templates[i].name, name) == 0)
			return w->templates[i].t;
	return NULL;
}

/* Renders a page (stealing view) and answers with it. */
void web_render(const struct web *w, http_request *rq, int status, const char *name, json_t *view)
{
	web_render_raw(w, rq, status, name, view, NULL, 0);
}

void web_render_raw(const struct web *w, http_request *rq, int status, const char *name, json_t *view,
		    const struct mustache_raw *raw, size_t nraw)
{
	struct buf out;
	const mustache *t = template_named(name, (void *)w);
	json_object_set_new(view, "assets",
			    json_pack("{s:s, s:s, s:s, s:s}", "css", web_asset_url("govuk-frontend.min.css"), "app_css",
				      web_asset_url("app.css"), "init_js", web_asset_url("init.js"), "app_js",
				      web_asset_url("app.js")));
	/* Who is signed in, what their role may open (the menu), and the CSRF token of the page's forms. */
	const struct web_user *u = web_user(rq);
	if (u) {
		json_object_set_new(view, "user", json_pack("{s:s, s:s}", "username", u->username, "role_name",
							     web_role_name(u->role)));
		json_object_set_new(view, "csrf_token", json_string(u->csrf));
		json_object_set_new(view, "can",
				    json_pack("{s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b}", "homes",
					      access_role_offers(u->role, u->agency, ACT_OVERSIGHT), "police_homes",
					      access_role_offers(u->role, u->agency, ACT_HOMES_POLICE), "visit",
					      access_role_offers(u->role, u->agency, ACT_VISIT), "search",
					      access_role_offers(u->role, u->agency, ACT_CHILD_SEARCH), "alerts",
					      access_role_offers(u->role, u->agency, ACT_ALERTS), "caseload",
					      access_role_offers(u->role, u->agency, ACT_CASELOAD), "mash",
					      access_role_offers(u->role, u->agency, ACT_MASH), "admin",
					      access_role_offers(u->role, u->agency, ACT_ADMIN), "links",
					      access_role_offers(u->role, u->agency, ACT_LINK_REVIEW)));
		json_object_set_new(json_object_get(view, "can"), "notices",
				    json_boolean(access_role_offers(u->role, u->agency, ACT_NOTICES)));
		json_object_set_new(json_object_get(view, "can"), "team",
				    json_boolean(access_role_offers(u->role, u->agency, ACT_TEAM)));
		json_object_set_new(json_object_get(view, "can"), "flag",
				    json_boolean(access_role_offers(u->role, u->agency, ACT_FLAGS)));
		json_object_set_new(json_object_get(view, "can"), "lado",
				    json_boolean(access_role_offers(u->role, u->agency, ACT_LADO)));
		json_object_set_new(json_object_get(view, "can"), "speakup",
				    json_boolean(access_role_offers(u->role, u->agency, ACT_SPEAKUP)));
		json_object_set_new(json_object_get(view, "can"), "health_glass", json_boolean(u->health_lead));
	}
	if (w->demo)
		json_object_set_new(view, "demo", json_true());
	buf_init(&out, PAGE_MAX);
	if (nraw) { /* the parts are most of such a page; the rest (header, summary, filters) is under 48 KiB */
		size_t expect = 48 * 1024;
		for (size_t i = 0; i < nraw; i++)
			expect += raw[i].len;
		if (expect < PAGE_MAX)
			buf_reserve(&out, expect);
	}
	if (!t || mustache_render_raw(t, view, template_named, (void *)w, raw, nraw, &out) != 0) {
		fprintf(stderr, "safeguard: page %s could not be rendered\n", name);
		buf_free(&out);
		status = 500;
		buf_puts(&out, "<!DOCTYPE html><html lang=\"en\"><head><title>Sorry, there is a problem</title></head>"
			       "<body><h1>Sorry, there is a problem with the service</h1></body></html>");
	}
	json_decref(view);
	size_t len;
	char *body = buf_steal(&out, &len);
	http_add_header(rq, "Content-Security-Policy", HTML_CSP);
	/* Never to other sites; to our own pages, so that browsers send a real Origin with our forms (with
	 * no-referrer, Chromium sends "Origin: null" even for a same-origin form). */
	http_add_header(rq, "Referrer-Policy", "same-origin");
	http_respond(rq, status, "text/html; charset=utf-8", body, len);
}

void web_message(const struct web *w, http_request *rq, int status, const char *title, const char *message)
{
	web_render(w, rq, status, "message", json_pack("{s:s, s:s}", "title", title, "message", message));
}

void web_message_link(const struct web *w, http_request *rq, int status, const char *title, const char *message,
		      const char *href, const char *link_text)
{
	web_render(w, rq, status, "message",
		   json_pack("{s:s, s:s, s:{s:s, s:s}}", "title", title, "message", message, "link", "href", href, "text",
			     link_text));
}

void web_unavailable(const struct web *w, http_request *rq)
{
	web_message(w, rq, 503, "Sorry, there is a problem with the service", "Try again in a moment.");
}

void web_redirect(http_request *rq, const char *to)
{
	http_add_header(rq, "Location", to);
	http_respond(rq, 303, "text/plain; charset=utf-8", NULL, 0);
}

/* ---- audited reads for pages ---- */

static void read_audited(struct children_access *a)
{
	http_resume(((struct web_read *)a)->rq);
}

static void read_release(void *arg)
{
	struct web_read *r = arg;
	r->release(r);
}

static void read_continue(http_request *rq, void *arg)
{
	struct web_read *r = arg;
	if (!r->access.audited)
		web_unavailable(r->w, rq);
	else if (r->access.refused && r->refusal) /* refused by the object's rule, audited as such (r-ntk27) */
		r->refusal(r);
	else if (r->access.refused) /* audited as a refusal: the same page whether or not the child exists */
		web_child_refusal(r->w, rq, r->access.child_id, r->access.reader.level);
	else
		r->show(r);
	r->release(r);
}

void web_access_init(struct children_access *a, http_request *rq, const char *action, int64_t child_id,
		     enum access_level need, const char *detail)
{
	const struct web_user *u = web_user(rq);
	snprintf(a->actor, sizeof a->actor, "%s", u->actor);
	access_reader_person(&a->reader, u->user_id, u->username, u->agency, u->role);
	a->action = action;
	a->child_id = child_id;
	a->need = need;
	snprintf(a->detail, sizeof a->detail, "%s", detail);
}

void web_child_read_start(const struct web *w, http_request *rq, struct web_read *r, const char *action,
			  int64_t child_id, enum access_level need, const char *detail)
{
	r->w = w;
	r->rq = rq;
	web_access_init(&r->access, rq, action, child_id, need, detail);
	r->access.done = read_audited;
	http_continue_with(rq, read_continue, r, read_release);
	http_suspend(rq);
	children_access_audit(w->q, &r->access);
}

void web_read_suspend(struct web_read *r)
{
	http_continue_with(r->rq, read_continue, r, read_release);
	http_suspend(r->rq);
}

static void read_hold(struct children_access *a)
{
	web_read_suspend((struct web_read *)a);
}

void web_read_prepare(const struct web *w, http_request *rq, struct web_read *r, const char *action,
		      enum access_level need, const char *detail)
{
	r->w = w;
	r->rq = rq;
	web_access_init(&r->access, rq, action, 0, need, detail);
	r->access.done = read_audited;
	r->access.hold = read_hold;
}

void web_read_start(const struct web *w, http_request *rq, struct web_read *r, const char *action, int64_t child_id,
		    const char *detail)
{
	web_child_read_start(w, rq, r, action, child_id, ACCESS_NONE, detail);
}

/* ---- shared pieces of views ---- */

const struct agency_kind *web_agency_find(const char *code)
{
	const struct agency_kind *a;
	for (size_t i = 0; (a = agency_builtin_at(i)) != NULL; i++)
		if (strcmp(a->code, code) == 0)
			return a;
	return NULL;
}

const char *web_agency_name(const char *code)
{
	const struct agency_kind *a = web_agency_find(code);
	return a ? a->name : code;
}

json_t *web_str(const char *s)
{
	return json_stringn_nocheck(s, strlen(s));
}

void web_full_name(const struct store_person *p, char *out, size_t outsz)
{
	snprintf(out, outsz, "%s%s%s%s%s", p->given_name, p->middle_names[0] ? " " : "", p->middle_names,
		 p->given_name[0] || p->middle_names[0] ? " " : "", p->family_name[0] ? p->family_name : "(no family name)");
}

void web_short_name(const char *given, const char *family, char *out, size_t outsz)
{
	snprintf(out, outsz, "%s%s%s", given, given[0] ? " " : "", family[0] ? family : "(no family name)");
}

bool web_day_text(const char *day, struct date *d, char *out, size_t outsz)
{
	char lng[DATE_LONG_MAX + 1];
	struct date tmp;
	if (!d)
		d = &tmp;
	if (!day[0] || date_parse_iso(day, d) != DATE_OK) {
		out[0] = '\0';
		return false;
	}
	date_format_long(*d, lng);
	snprintf(out, outsz, "%s", lng);
	return true;
}

struct date web_today(void)
{
	return ts_utc_date(ts_uk_local(clock_now()));
}

/* "3 May 2016" or "3 May 2016 (age 9)". */
void web_dob_text(const char *dob, bool with_age, char *out, size_t outsz)
{
	struct date d;
	char lng[DATE_LONG_MAX + 1];
	if (!dob[0] || date_parse_iso(dob, &d) != DATE_OK) {
		snprintf(out, outsz, "Not known");
		return;
	}
	date_format_long(d, lng);
	int age = date_age_years(d, web_today());
	if (with_age && age >= 0)
		snprintf(out, outsz, "%s (age %d)", lng, age);
	else
		snprintf(out, outsz, "%s", lng);
}

void web_when_text(const char *ts, char *date, size_t datesz, char *hm, size_t hmsz)
{
	int64_t t;
	char lng[DATE_LONG_MAX + 1];
	if (ts_parse_rfc3339(ts, &t) != DATE_OK) {
		snprintf(date, datesz, "Unknown");
		hm[0] = '\0';
		return;
	}
	int64_t local = ts_uk_local(t);
	date_format_long(ts_utc_date(local), lng);
	snprintf(date, datesz, "%s", lng);
	int64_t secs = ((local % 86400) + 86400) % 86400;
	snprintf(hm, hmsz, "%02d:%02d", (int)(secs / 3600), (int)(secs / 60 % 60));
}

/* A date from three fields (day, month, year): 0 when all empty (*given false), -1 when not a real date. */
int web_date_fields(const char *day, const char *month, const char *year, struct date *d, bool *given)
{
	char iso[48];
	long v[3];
	const char *f[3] = {year ? year : "", month ? month : "", day ? day : ""};
	*given = f[0][0] || f[1][0] || f[2][0];
	if (!*given)
		return 0;
	for (int i = 0; i < 3; i++) {
		char *end = NULL;
		while (*f[i] == ' ')
			f[i]++;
		v[i] = strtol(f[i], &end, 10);
		while (end && *end == ' ')
			end++;
		if (!f[i][0] || !end || *end || v[i] < 1 || v[i] > 9999)
			return -1;
	}
	snprintf(iso, sizeof iso, "%04d-%02d-%02d", (int)v[0], (int)(v[1] > 99 ? 99 : v[1]), (int)(v[2] > 99 ? 99 : v[2]));
	return date_parse_iso(iso, d) == DATE_OK ? 0 : -1;
}

int web_time_field(const char *hm, int *hour, int *minute)
{
	char *end = NULL;
	long h = strtol(hm, &end, 10), m = -1;
	if (end && (*end == ':' || *end == '.') && end[1] >= '0' && end[1] <= '9') {
		char *end2 = NULL;
		m = strtol(end + 1, &end2, 10);
		if (!end2 || *end2 || end2 - (end + 1) != 2)
			m = -1;
	}
	if (h < 0 || h > 23 || m < 0 || m > 59 || end == hm)
		return -1;
	*hour = (int)h;
	*minute = (int)m;
	return 0;
}

int64_t web_uk_civil(struct date d, int hour, int minute)
{
	return ts_uk_civil(d, hour, minute); /* the time was given as UK civil time */
}

void web_add_error(json_t *view, const char *field, const char *anchor, const char *message)
{
	json_t *errors = json_object_get(view, "errors");
	if (!errors) {
		errors = json_object();
		json_object_set_new(view, "errors", errors);
		json_object_set_new(view, "error_summary", json_array());
		json_object_set_new(view, "has_errors", json_true());
	}
	json_object_set_new(errors, field, json_string(message));
	json_array_append_new(json_object_get(view, "error_summary"),
			      json_pack("{s:s, s:s}", "id", anchor, "message", message));
}

/* ---- find a child ---- */

/* The audit entry of a search names every child shown, by id: all of them fit (issue 14: none dropped). */
_Static_assert(CHILDREN_DETAIL_MAX >= 64 + SEARCH_LIMIT * 21, "a search's audit detail holds every id it shows");

struct search_job {
	struct children_access access;
	const struct web *w;
	http_request *rq;
	json_t *view, *results;
	bool can_break_glass;
	int64_t seen[SEARCH_LIMIT];
	double likely[SEARCH_LIMIT]; /* the best probability of the readings of the query (service/identity.h) */
	int nseen;
	/* A name search's readings of what was typed (given then family, family then given, either date of
	 * birth): each found child is scored against each with the same scoring intake links with. */
	struct identity_subject *readings;
	int nreadings;
};

/* The results in order of likelihood, the most likely first (a stable insertion sort: at most 51 rows). */
static void search_rank(struct search_job *j)
{
	for (int i = 1; i < j->nseen; i++)
		for (int k = i; k > 0 && j->likely[k] > j->likely[k - 1]; k--) {
			double p = j->likely[k];
			int64_t id = j->seen[k];
			json_t *row = json_incref(json_array_get(j->results, (size_t)k));
			j->likely[k] = j->likely[k - 1];
			j->seen[k] = j->seen[k - 1];
			json_array_set(j->results, (size_t)k, json_array_get(j->results, (size_t)k - 1));
			j->likely[k - 1] = p;
			j->seen[k - 1] = id;
			json_array_set_new(j->results, (size_t)k - 1, row);
		}
}

/* A child found, as the service lets this reader see it: in full, or (an exact search of a child they do not
 * work with) known by its id alone. */
static int on_found(const struct store_person *p, enum access_level level, void *ctx)
{
	struct search_job *j = ctx;
	char name[3 * STORE_NAME_BYTES], dob[64];
	for (int i = 0; i < j->nseen; i++)
		if (j->seen[i] == p->id)
			return 0; /* found by two of the searches */
	if (j->nseen == SEARCH_LIMIT)
		return 0;
	if (level <= ACCESS_NONE) {
		j->likely[j->nseen] = 0.0;
		j->seen[j->nseen++] = p->id;
		json_array_append_new(j->results, json_pack("{s:I, s:b, s:b}", "id", (json_int_t)p->id, "restricted", 1,
							   "can_break_glass", j->can_break_glass));
		return 0;
	}
	double best = 0.0;
	for (int i = 0; i < j->nreadings; i++) {
		struct identity_score sc;
		if (identity_score(&j->readings[i], p, NULL, &sc) == 0 && sc.probability > best)
			best = sc.probability;
	}
	j->likely[j->nseen] = best;
	j->seen[j->nseen++] = p->id;
	web_full_name(p, name, sizeof name);
	web_dob_text(p->dob, false, dob, sizeof dob);
	json_array_append_new(j->results, json_pack("{s:I, s:o, s:s, s:o}", "id", (json_int_t)p->id, "name",
						   web_str(name), "dob", dob, "postcode", web_str(p->postcode)));
	return 0;
}

/* The readings of a name or date-of-birth search (folded words; dates ISO, "" when not given). */
static bool search_readings(struct search_job *j, const char *folded, const char *iso, const char *alt)
{
	char first[STORE_NAME_BYTES] = "", last[STORE_NAME_BYTES] = "";
	const char *sp = strchr(folded, ' '), *lsp = strrchr(folded, ' ');
	snprintf(first, sizeof first, "%.*s", (int)(sp ? (size_t)(sp - folded) : strlen(folded)), folded);
	if (lsp)
		snprintf(last, sizeof last, "%s", lsp + 1);
	const char *names[2][2] = {{first, last}, {last, first}}; /* {given, family} */
	if (!lsp) { /* one word: a family name, or a given name */
		names[0][0] = "";
		names[0][1] = first;
		names[1][0] = first;
		names[1][1] = "";
	}
	const char *dobs[2] = {iso, alt};
	if (!(j->readings = calloc(4, sizeof *j->readings)))
		return false;
	for (int n = 0; n < (folded[0] ? 2 : 1); n++)
		for (int d = 0; d < 2; d++) {
			if (d == 1 && !alt[0])
				continue;
			struct identity_subject *r = &j->readings[j->nreadings++];
			snprintf(r->given_name, sizeof r->given_name, "%s", folded[0] ? names[n][0] : "");
			snprintf(r->family_name, sizeof r->family_name, "%s", folded[0] ? names[n][1] : "");
			snprintf(r->dob, sizeof r->dob, "%s", dobs[d]);
		}
	return true;
}

static void search_job_free(void *arg)
{
	struct search_job *j = arg;
	json_decref(j->view);
	free(j->readings);
	free(j);
}

static void search_audited(struct children_access *a)
{
	http_resume(((struct search_job *)a)->rq);
}

static void search_continue(http_request *rq, void *ctx)
{
	struct search_job *j = ctx;
	if (!j->access.audited) {
		web_message(j->w, rq, 503, "Sorry, there is a problem with the service", "Try again in a moment.");
	} else {
		json_t *view = j->view;
		j->view = NULL;
		web_render(j->w, rq, 200, "search", view);
	}
	search_job_free(j);
}

static void search_page(const struct web *w, http_request *rq)
{
	const char *q = http_query(rq, "q"), *dd = http_query(rq, "dob-day"), *dm = http_query(rq, "dob-month"),
		   *dy = http_query(rq, "dob-year");
	json_t *view = json_pack("{s:s, s:b, s:s, s:s, s:s, s:s}", "title", "Find a child", "nav_search", 1, "q",
				 q ? q : "", "dob_day", dd ? dd : "", "dob_month", dm ? dm : "", "dob_year",
				 dy ? dy : "");
	bool submitted = q || dd || dm || dy, dob_given = false;
	struct date dob;
	char query[4 * EVENT_NAME_MAX + 1] = "";
	if (!submitted) {
		web_render(w, rq, 200, "search", view);
		return;
	}
	if (q && text_utf8_length(q, strlen(q)) > 2 * EVENT_NAME_MAX)
		web_add_error(view, "q", "q", "Search for at most 200 characters");
	else if (q)
		snprintf(query, sizeof query, "%s", q);
	if (web_date_fields(dd, dm, dy, &dob, &dob_given) != 0)
		web_add_error(view, "dob", "dob-day", "Date of birth must be a real date, for example 3 5 2016");
	char folded[4 * EVENT_NAME_MAX + 1] = "";
	if (text_name_fold(query, folded, sizeof folded) < 0)
		folded[0] = '\0';
	if (!folded[0] && !dob_given && !json_object_get(view, "errors"))
		web_add_error(view, "q", "q", "Enter a name, NHS number or UPN, or a date of birth");
	if (json_object_get(view, "errors")) {
		web_render(w, rq, 400, "search", view);
		return;
	}

	/* What was typed: an NHS number, a UPN, or names. */
	char nhs[IDENT_NHS_LEN + 1], upn[IDENT_UPN_LEN + 1], iso[DATE_ISO_LEN + 1] = "", alt[DATE_ISO_LEN + 1] = "";
	int nhs_rc = ident_nhs_check(query, nhs), upn_rc = ident_upn_check(query, upn);
	if (nhs_rc == IDENT_ECHECK) {
		web_add_error(view, "q", "q", "That NHS number is not valid: check each digit");
		web_render(w, rq, 400, "search", view);
		return;
	}
	if (dob_given) {
		date_format_iso(dob, iso);
		if (dob.d <= 12 && dob.d != dob.m) /* agencies swap day and month */
			date_format_iso((struct date){dob.y, dob.d, dob.m}, alt);
	}
	struct search_job *j = calloc(1, sizeof *j);
	if (!j) {
		json_decref(view);
		web_message(w, rq, 503, "Sorry, there is a problem with the service", "Try again in a moment.");
		return;
	}
	j->w = w;
	j->rq = rq;
	j->view = view;
	j->results = json_array();
	const struct web_user *u = web_user(rq);
	j->can_break_glass = access_role_offers(u->role, u->agency, ACT_BREAK_GLASS);
	web_access_init(&j->access, rq, "child.search", 0, ACCESS_NONE, "");
	const struct access_reader *who = &j->access.reader;
	bool exact = nhs_rc == IDENT_OK || upn_rc == IDENT_OK;
	if (nhs_rc != IDENT_OK && upn_rc != IDENT_OK && !search_readings(j, folded, iso, alt)) {
		json_decref(j->results);
		search_job_free(j);
		web_message(w, rq, 503, "Sorry, there is a problem with the service", "Try again in a moment.");
		return;
	}
	const char *kind = "name";
	int rc = STORE_OK;
	struct store_search s = {.dob = iso, .dob_alt = alt, .limit = SEARCH_LIMIT, .family_prefix = "", .given_prefix = ""};
	if (nhs_rc == IDENT_OK) {
		kind = "nhs";
		s.nhs = nhs;
		rc = children_search(w->st, who, &s, exact, on_found, j);
	} else if (upn_rc == IDENT_OK) {
		kind = "upn";
		s.upn = upn;
		rc = children_search(w->st, who, &s, exact, on_found, j);
	} else if (!folded[0]) {
		kind = "date of birth";
		rc = children_search(w->st, who, &s, exact, on_found, j);
	} else {
		/* One word: a family or a given name. Several: given ... family, or family ... given. */
		char *first = folded, *last = strrchr(folded, ' ');
		if (!last) {
			s.family_prefix = first;
			rc = children_search(w->st, who, &s, exact, on_found, j);
			s.family_prefix = "";
			s.given_prefix = first;
			if (rc == STORE_OK)
				rc = children_search(w->st, who, &s, exact, on_found, j);
		} else {
			*last++ = '\0';
			char *sp = strchr(first, ' ');
			if (sp)
				*sp = '\0'; /* the first word: middle names are not searched */
			s.given_prefix = first;
			s.family_prefix = last;
			rc = children_search(w->st, who, &s, exact, on_found, j);
			s.given_prefix = last;
			s.family_prefix = first;
			if (rc == STORE_OK)
				rc = children_search(w->st, who, &s, exact, on_found, j);
		}
	}
	if (rc != STORE_OK) {
		json_decref(j->results);
		search_job_free(j);
		web_message(w, rq, 503, "Sorry, there is a problem with the service", "Try again in a moment.");
		return;
	}
	/* Need-to-know was applied by the service (children_search): a child the person does not work with is
	 * not listed by a name or a date of birth, and an exact search says only that the child is known. */
	search_rank(j);
	size_t n = json_array_size(j->results);
	char heading[64];
	snprintf(heading, sizeof heading, n == 1 ? "1 child found" : "%zu children found", n);
	if (n == SEARCH_LIMIT)
		snprintf(heading, sizeof heading, "More than %d children found: add a date of birth", SEARCH_LIMIT - 1);
	json_object_set_new(view, "searched", json_true());
	json_object_set_new(view, "results_heading", json_string(heading));
	json_object_set_new(view, "has_results", json_boolean(n > 0));
	json_object_set_new(view, "results", j->results);

	/* The audit names everyone shown (ids, not names: no personal data in the detail), every one of them. */
	int used = snprintf(j->access.detail, sizeof j->access.detail, "%s search, %zu found:", kind, n);
	for (int i = 0; i < j->nseen && used > 0 && (size_t)used < sizeof j->access.detail; i++)
		used += snprintf(j->access.detail + used, sizeof j->access.detail - (size_t)used, " %lld",
				 (long long)j->seen[i]);
	if (used < 0 || (size_t)used >= sizeof j->access.detail) { /* cannot happen (the assertion above): never drop */
		search_job_free(j);
		web_unavailable(w, rq);
		return;
	}
	j->access.done = search_audited;
	http_continue_with(rq, search_continue, j, search_job_free);
	http_suspend(rq);
	children_access_audit(w->q, &j->access);
}

/* ---- a child's record ---- */

struct latest {
	char kind[STORE_CODE_MAX + 1];
	char at[STORE_TS_LEN + 1];
};

struct record_job {
	struct children_access access;
	const struct web *w;
	http_request *rq;
	enum { PAGE_RECORD, PAGE_CONCERN_FORM } page;
	json_t *view;      /* the page's view, filled as the rows arrive */
	json_t *form;      /* concern form: the answers and errors to show again */
	json_t *members, *nhs, *upn;
	struct buf rows; /* the chronology table's rows, written as the store gives them (rec_event) */
	int households;
	char name[3 * STORE_NAME_BYTES];
	char given[STORE_NAME_BYTES];
	struct latest kinds[64];
	int nkinds;
	struct store_page page_q;
	char agency_f[STORE_CODE_MAX + 1], kind_f[STORE_CODE_MAX + 1], before_at[STORE_TS_LEN + 1];
	struct timeline_event *tl;
	int ntl, shown;
	/* rec_event's last look-ups: the UTC hour's UK offset (the clocks change at 01:00 UTC) and the day's text */
	bool row_seen, row_day_seen;
	int64_t row_hour, row_off, row_day;
	char row_date[DATE_LONG_MAX + 1], row_kind[STORE_CODE_MAX + 1], row_agency[STORE_CODE_MAX + 1];
	const struct event_kind *row_k;
	const char *row_agency_name;
	/* rec_mark's last look-ups */
	bool mark_seen;
	char mark_kind[STORE_CODE_MAX + 1], mark_agency[STORE_CODE_MAX + 1];
	const struct event_kind *mark_k;
	const struct agency_kind *mark_ak;
	int64_t first_id;
	struct children_page_end end;
	/* Need-to-know is the service's (children_record shows only what j->access.reader.level allows): the
	 * page only says which it was. */
};

static void record_job_free(void *arg)
{
	struct record_job *j = arg;
	json_decref(j->view);
	json_decref(j->form);
	json_decref(j->members);
	buf_free(&j->rows);
	json_decref(j->nhs);
	json_decref(j->upn);
	free(j->tl);
	free(j);
}

static int rec_person(const struct store_person *p, void *ctx)
{
	struct record_job *j = ctx;
	char dob[64];
	static const struct {
		const char *code, *text;
	} sexes[] = {{"M", "Male"}, {"F", "Female"}, {"U", "Not known"}, {"", "Not recorded"}};
	const char *sex = "Not recorded";
	for (size_t i = 0; i < sizeof sexes / sizeof sexes[0]; i++)
		if (strcmp(p->sex, sexes[i].code) == 0)
			sex = sexes[i].text;
	web_full_name(p, j->name, sizeof j->name);
	snprintf(j->given, sizeof j->given, "%s", p->given_name[0] ? p->given_name : "this child");
	web_dob_text(p->dob, true, dob, sizeof dob);
	json_object_set_new(j->view, "name", web_str(j->name));
	json_object_set_new(j->view, "dob_text", json_string(dob));
	json_object_set_new(j->view, "sex_text", json_string(sex));
	json_object_set_new(j->view, "person",
			    json_pack("{s:o, s:o, s:o, s:o, s:o}", "given_name", web_str(j->given), "communication_needs",
				      web_str(p->communication_needs), "disability", web_str(p->disability), "ethnicity",
				      web_str(p->ethnicity), "first_language", web_str(p->first_language)));
	return 0;
}

static int rec_identifier(const char *kind, const char *value, const char *first_seen, void *ctx)
{
	struct record_job *j = ctx;
	char shown[32];
	if (strcmp(kind, "nhs") == 0 && strlen(value) == IDENT_NHS_LEN) {
		snprintf(shown, sizeof shown, "%.3s %.3s %.4s", value, value + 3, value + 6); /* as the NHS writes it */
		json_array_append_new(j->nhs, json_string(shown));
	} else if (strcmp(kind, "upn") == 0) {
		json_array_append_new(j->upn, web_str(value));
	}
	return 0;
}

static int rec_household(const struct store_household *h, void *ctx)
{
	struct record_job *j = ctx;
	if (j->households++ == 0) /* the most recent address is where the child lives */
		json_object_set_new(j->view, "household",
				    json_pack("{s:o, s:o}", "address", web_str(h->address), "postcode", web_str(h->postcode)));
	return 0;
}

static int rec_member(const struct store_person *p, void *ctx)
{
	struct record_job *j = ctx;
	char name[3 * STORE_NAME_BYTES], dob[64];
	if (j->households != 1 || p->id == j->access.child_id)
		return 0; /* the current household: the others who live there */
	web_full_name(p, name, sizeof name);
	web_dob_text(p->dob, false, dob, sizeof dob);
	json_array_append_new(j->members, json_pack("{s:I, s:o, s:s}", "child_id", (json_int_t)p->id, "name",
						   web_str(name), "dob", p->dob[0] ? dob : ""));
	return 0;
}

static int rec_kind(const char *kind, const char *latest_at, void *ctx)
{
	struct record_job *j = ctx;
	if (j->nkinds < (int)(sizeof j->kinds / sizeof j->kinds[0])) {
		snprintf(j->kinds[j->nkinds].kind, sizeof j->kinds[0].kind, "%s", kind);
		snprintf(j->kinds[j->nkinds].at, sizeof j->kinds[0].at, "%s", latest_at);
		j->nkinds++;
	}
	return 0;
}

static const char *concern_category_label(const char *code);

/* The strings one after another into text, cut as snprintf's "%s%s..." would cut them (issue 17: two
 * snprintf calls a row were a twentieth of the rows' drawing). */
static void text_join(char *text, size_t textsz, const char *const *parts, size_t nparts)
{
	size_t n = 0;
	if (textsz == 0)
		return;
	for (size_t i = 0; i < nparts && n < textsz - 1; i++) {
		size_t k = strlen(parts[i]);
		if (k > textsz - 1 - n)
			k = textsz - 1 - n;
		memcpy(text + n, parts[i], k);
		n += k;
	}
	text[n] = '\0';
}

/* Who recorded an event, for the chronology (issue 15): the practitioner a page names (details.recorded_by),
 * else the agency's system that sent it, which may name its own practitioner the same way. */
static void recorder_text(json_t *d, const char *agency, char *text, size_t textsz)
{
	const char *by = json_string_value(json_object_get(d, "recorded_by"));
	if (by && by[0] && text_utf8_valid(by, strlen(by)) && strlen(by) <= STORE_USER_MAX)
		text_join(text, textsz, (const char *const[]){"Recorded by ", by, ", ", agency}, 4);
	else
		text_join(text, textsz, (const char *const[]){"Sent by ", agency, "'s system"}, 3);
}

/* A string member of the details, "" when absent or not a string (an empty one is not shown either). */
static const char *detail_str(json_t *d, const char *key, size_t *len)
{
	json_t *v = json_object_get(d, key);
	*len = json_is_string(v) ? json_string_length(v) : 0;
	return *len ? json_string_value(v) : "";
}

/* web_when_text for the rows of one page, which come newest first: the UK offset looked up once per UTC
 * hour and the day's text made once per day (the same text: tests/unit and bench/page_same.sh). */
static void row_when(struct record_job *j, const char *ts, char *date, size_t datesz, char *hm, size_t hmsz)
{
	int64_t t;
	if (ts_parse_rfc3339(ts, &t) != DATE_OK) {
		web_when_text(ts, date, datesz, hm, hmsz);
		return;
	}
	int64_t hour = t / 3600 - (t % 3600 < 0);
	if (!j->row_day_seen || hour != j->row_hour) {
		j->row_hour = hour;
		j->row_off = ts_uk_local(hour * 3600) - hour * 3600;
	}
	int64_t local = t + j->row_off, day = local / 86400 - (local % 86400 < 0);
	if (!j->row_day_seen || day != j->row_day) {
		date_format_long(ts_utc_date(local), j->row_date);
		j->row_day = day;
	}
	j->row_day_seen = true;
	text_join(date, datesz, (const char *const[]){j->row_date}, 1);
	int64_t secs = ((local % 86400) + 86400) % 86400;
	int hh = (int)(secs / 3600), mm = (int)(secs / 60 % 60);
	if (hmsz >= 6) {
		hm[0] = (char)('0' + hh / 10);
		hm[1] = (char)('0' + hh % 10);
		hm[2] = ':';
		hm[3] = (char)('0' + mm / 10);
		hm[4] = (char)('0' + mm % 10);
		hm[5] = '\0';
	}
}

/* A chronology row's values, and its HTML (the table's markup in child.mustache; every value escaped as the
 * template's {{...}} would). */
struct row_text {
	int64_t id;
	const char *date, *hm, *agency, *by, *kind, *category, *summary, *seen; /* "" when not shown */
	const char *words, *method, *action;
	size_t words_n, method_n, action_n;
};

#define ROW_MARKUP_MAX 1024 /* the row's fixed markup, under 700 bytes */

/* The most bytes row_html writes for r. */
static size_t row_most(const struct row_text *r)
{
	size_t text = strlen(r->date) + strlen(r->hm) + strlen(r->agency) + strlen(r->by) + strlen(r->kind) +
		      strlen(r->category) + strlen(r->summary) + strlen(r->seen) + r->words_n + r->method_n + r->action_n;
	return ROW_MARKUP_MAX + BUF_INT_MAX + BUF_HTML_MAX(text);
}

/* Writes the row at o (row_most(r) bytes of room) and returns its length (issue 17: ~25 appends a row, each
 * a room check, a strlen and a copy, were a third of the rows' drawing). */
static size_t row_html(char *o, const struct row_text *r)
{
	char *p = o;
#define LIT(s) (memcpy(p, (s), sizeof(s) - 1), p += sizeof(s) - 1)
#define HTML(s, n) (p += buf_html_text(p, (s), (n)))
#define HTML_Z(s) HTML((s), strlen(s))
	LIT("    <tr class=\"govuk-table__row\" id=\"event-");
	p += buf_int_text(p, r->id);
	LIT("\">\n      <td class=\"govuk-table__cell\">");
	HTML_Z(r->date);
	LIT("<br><span class=\"govuk-body-s\">");
	HTML_Z(r->hm);
	LIT("</span></td>\n      <td class=\"govuk-table__cell\">");
	HTML_Z(r->agency);
	LIT("<br><span class=\"govuk-body-s sg-recorder\">");
	HTML_Z(r->by);
	LIT("</span></td>\n      <td class=\"govuk-table__cell\"><strong>");
	HTML_Z(r->kind);
	LIT("</strong>");
	if (r->category[0]) {
		LIT("<span class=\"sg-category\">: ");
		HTML_Z(r->category);
		LIT("</span>");
	}
	LIT("<br>");
	HTML_Z(r->summary);
	if (r->seen[0]) {
		LIT("<br>");
		HTML_Z(r->seen);
	}
	if (r->words_n) {
		LIT("<br><span class=\"sg-childs-words\">The child said: \u201c");
		HTML(r->words, r->words_n);
		LIT("\u201d</span>");
	}
	if (r->method_n) {
		LIT("<br><span class=\"govuk-body-s\">How their views were gathered: ");
		HTML(r->method, r->method_n);
		LIT("</span>");
	}
	if (r->action_n) {
		LIT("<br><span class=\"govuk-body-s\">What was done: ");
		HTML(r->action, r->action_n);
		LIT("</span>");
	}
	LIT("</td>\n    </tr>\n");
#undef LIT
#undef HTML
#undef HTML_Z
	return (size_t)(p - o);
}

/* One row of the chronology table, written straight into the page as the store gives it (issue 17: not
 * through a JSON tree and the template engine, 100 rows a page). Every value is escaped as the template's
 * {{...}} would; the markup is the table's in child.mustache. */
static int rec_event(const struct store_event *e, void *ctx)
{
	struct record_job *j = ctx;
	struct buf *b = &j->rows;
	char date[DATE_LONG_MAX + 1], hm[24], by[STORE_USER_MAX + 160];
	if (!j->row_seen || strcmp(e->kind, j->row_kind) != 0 || strcmp(e->agency, j->row_agency) != 0) {
		snprintf(j->row_kind, sizeof j->row_kind, "%s", e->kind);
		snprintf(j->row_agency, sizeof j->row_agency, "%s", e->agency);
		j->row_k = event_kind_find(e->kind);
		j->row_agency_name = web_agency_name(j->row_agency); /* its own code when unknown: kept in row_agency */
		j->row_seen = true;
	}
	const struct event_kind *k = j->row_k;
	const char *kind = k ? k->label : e->kind, *agency = j->row_agency_name;
	row_when(j, e->occurred_at, date, sizeof date, hm, sizeof hm);
	json_t *d = strcmp(e->details, "{}") != 0 ? json_loads(e->details, 0, NULL) : NULL;
	/* A time nobody recorded is not 12:00 nor midnight: the entry says so (it sorts first in its day). */
	if (json_is_false(json_object_get(d, "time_recorded")))
		snprintf(hm, sizeof hm, "Time not recorded");
	recorder_text(d, agency, by, sizeof by);
	const char *category = NULL, *seen_text = NULL;
	if (strcmp(e->kind, "concern") == 0) {
		category = concern_category_label(json_string_value(json_object_get(d, "category")));
	} else if (strcmp(e->kind, "visit") == 0) {
		const struct visit_type *vt = visit_type_find(json_string_value(json_object_get(d, "visit_type")));
		category = vt ? vt->label : NULL;
	}
	/* what a practitioner recorded beyond the summary */
	size_t words_n = 0, action_n = 0, method_n = 0;
	const char *words = detail_str(d, "child_words", &words_n);
	if (!json_is_string(json_object_get(d, "child_words")))
		words = detail_str(d, "childs_words", &words_n); /* a visit's */
	const char *action = detail_str(d, "action_taken", &action_n), *method = detail_str(d, "views_method", &method_n);
	if (strcmp(e->kind, "visit") == 0 && json_is_boolean(json_object_get(d, "seen"))) {
		bool seen = json_is_true(json_object_get(d, "seen")), alone = json_is_true(json_object_get(d, "seen_alone"));
		seen_text = !seen ? "The child was not seen."
			: alone	  ? "The child was seen, and seen alone."
				  : "The child was seen, not alone.";
	}

	struct row_text r = {.id = e->id,
			     .date = date,
			     .hm = hm,
			     .agency = agency,
			     .by = by,
			     .kind = kind,
			     .category = category && category[0] ? category : "",
			     .summary = e->summary,
			     .seen = seen_text ? seen_text : "",
			     .words = words,
			     .words_n = words_n,
			     .method = method,
			     .method_n = method_n,
			     .action = action,
			     .action_n = action_n};
	size_t most = row_most(&r);
	/* written in place in the rows (no append a piece); where the ceiling leaves less than a row's most, as
	 * a whole row appended, which fails as the pieces would have */
	char *o = most <= b->max - b->len ? buf_room(b, most) : NULL;
	if (o) {
		buf_wrote(b, row_html(o, &r));
	} else if (!b->failed && (o = malloc(most)) != NULL) {
		buf_append(b, o, row_html(o, &r));
		free(o);
	} else {
		b->failed = true;
	}
	json_decref(d);
	if (j->shown++ == 0)
		j->first_id = e->id;
	return 0;
}

/* One mark of the timeline: every event of the history, newest first. */
static int rec_mark(const struct store_event *e, void *ctx)
{
	struct record_job *j = ctx;
	if (j->ntl == TIMELINE_MAX)
		return 0;
	/* The row's strings die with the callback: keep pointers into the static tables only. A history runs
	 * in few kinds and agencies: each is looked up again only when it changes from the mark before. */
	if (!j->mark_seen || strcmp(e->kind, j->mark_kind) != 0) {
		snprintf(j->mark_kind, sizeof j->mark_kind, "%s", e->kind);
		j->mark_k = event_kind_find(e->kind);
	}
	if (!j->mark_seen || strcmp(e->agency, j->mark_agency) != 0) {
		snprintf(j->mark_agency, sizeof j->mark_agency, "%s", e->agency);
		j->mark_ak = web_agency_find(e->agency);
	}
	j->mark_seen = true;
	const struct event_kind *k = j->mark_k;
	const struct agency_kind *ak = j->mark_ak;
	struct timeline_event *m = &j->tl[j->ntl++];
	/* one assignment: a field added to the struct later is zeroed, not left as malloc gave it */
	*m = (struct timeline_event){.id = e->id,
				     .agency = ak ? ak->code : "other",
				     .agency_name = ak ? ak->name : "Another agency",
				     .kind_label = k ? k->label : "Event"};
	ts_parse_rfc3339(e->occurred_at, &m->at);
	memcpy(m->at_text, e->occurred_at, sizeof m->at_text);
	return 0;
}

/* Flags and open episodes: a start later than the last end. */
static void episodes_view(struct record_job *j)
{
	json_t *flags = json_array(), *open = json_array();
	const struct episode_kind *ep;
	for (size_t i = 0; (ep = episode_kind_at(i)) != NULL; i++) {
		const char *start = NULL, *end = NULL;
		for (int k = 0; k < j->nkinds; k++) {
			if (strcmp(j->kinds[k].kind, ep->start_kind) == 0)
				start = j->kinds[k].at;
			else if (strcmp(j->kinds[k].kind, ep->end_kind) == 0)
				end = j->kinds[k].at;
		}
		if (!start || (end && strcmp(end, start) >= 0))
			continue;
		char since[DATE_LONG_MAX + 1], hm[8];
		web_when_text(start, since, sizeof since, hm, sizeof hm);
		json_t *o = json_pack("{s:s, s:s}", "label", ep->label, "since", since);
		json_array_append(open, o);
		if (ep->flag)
			json_array_append(flags, o);
		json_decref(o);
	}
	json_object_set_new(j->view, "has_flags", json_boolean(json_array_size(flags) > 0));
	json_object_set_new(j->view, "flags", flags);
	json_object_set_new(j->view, "has_episodes", json_boolean(json_array_size(open) > 0));
	json_object_set_new(j->view, "episodes", open);
}

static void filters_view(struct record_job *j)
{
	const struct agency_kind *a;
	json_t *agencies = json_array(), *kinds = json_array();
	json_array_append_new(agencies, json_pack("{s:s, s:s, s:b}", "value", "", "text", "All agencies", "selected",
						  !j->agency_f[0]));
	for (size_t i = 0; (a = agency_builtin_at(i)) != NULL; i++)
		json_array_append_new(agencies, json_pack("{s:s, s:s, s:b}", "value", a->code, "text", a->name,
							  "selected", strcmp(a->code, j->agency_f) == 0));
	json_array_append_new(kinds, json_pack("{s:s, s:s, s:b}", "value", "", "text", "Everything", "selected",
					       !j->kind_f[0]));
	const struct event_kind *k;
	for (size_t i = 0; (k = event_kind_at(i)) != NULL; i++) { /* only kinds this child has */
		bool has = false;
		for (int n = 0; n < j->nkinds && !has; n++)
			has = strcmp(j->kinds[n].kind, k->code) == 0;
		if (has)
			json_array_append_new(kinds, json_pack("{s:s, s:s, s:b}", "value", k->code, "text", k->label,
							       "selected", strcmp(k->code, j->kind_f) == 0));
	}
	json_object_set_new(j->view, "agency_options", agencies);
	json_object_set_new(j->view, "kind_options", kinds);
}

/* The child's open alerts, read under the record's own audit entry (it names the child). */
#define RECORD_ALERTS_MAX 50

struct rec_alerts {
	json_t *list;
	struct date today;
	int n;
};

static int rec_alert(const struct store_alert *a, void *ctx)
{
	struct rec_alerts *r = ctx;
	char due[DATE_LONG_MAX + 1];
	struct date d;
	if (r->n++ == RECORD_ALERTS_MAX)
		return 0;
	bool has_due = web_day_text(a->due, &d, due, sizeof due);
	bool acked = strcmp(a->state, "acknowledged") == 0;
	json_array_append_new(r->list, json_pack("{s:I, s:s, s:s, s:b, s:s, s:s}", "id", (json_int_t)a->id, "title",
						 alerts_title(a->code), "due", due, "overdue",
						 has_due && date_cmp(d, r->today) < 0, "state_text",
						 acked ? "Acknowledged" : "Open", "state_class",
						 acked ? "govuk-tag--yellow" : "govuk-tag--blue"));
	return 0;
}

/* Where the child is placed now, when in a children's home (issue 6): the home and how far from home. From the
 * summary card's read of it (issue 17: the page read it twice): the card and the panel are shown to the same
 * readers (the whole record, or social care's own), so the card's read is the panel's. */
static void placement_view(struct record_job *j, const struct store_home_placement *p, bool placed)
{
	if (!placed)
		return;
	char since[DATE_LONG_MAX + 1] = "", dist[64] = "Not known";
	struct date d;
	web_day_text(p->start, &d, since, sizeof since);
	if (p->distance_km >= 0)
		snprintf(dist, sizeof dist, "%.0f miles (%.0f km) from home", p->distance_km / 1.609344, p->distance_km);
	json_object_set_new(j->view, "placement",
			    json_pack("{s:s, s:s, s:s, s:b, s:b}", "home", p->home_name, "since", since, "distance", dist,
				      "out_of_area", p->out_of_area, "distant", p->distant));
}

/* The summary card (web/child_summary.c, issue 15): for readers of the whole record. A child placed in a
 * children's home is looked after even where no care episode was recorded: the open episodes say so too. */
static void summary_view(struct record_job *j)
{
	struct store_home_placement *p = malloc(sizeof *p);
	bool placed = false;
	json_t *s = p ? web_child_summary_view(j->w, &j->access, p, &placed) : NULL;
	placement_view(j, p, placed);
	free(p);
	if (!s)
		return;
	json_t *open = json_object_get(j->view, "episodes"), *ep;
	const char *home_since = json_string_value(json_object_get(s, "lac_by_placement_since"));
	bool has_lac = false;
	size_t i;
	json_array_foreach(open, i, ep) has_lac = has_lac || strcmp(json_string_value(json_object_get(ep, "label")), "Looked after") == 0;
	if (home_since && !has_lac) {
		json_t *o = json_pack("{s:s, s:s}", "label", "Looked after (placed in a children's home)", "since", home_since);
		json_array_append(open, o);
		json_array_append_new(json_object_get(j->view, "flags"), o);
		json_object_set_new(j->view, "has_episodes", json_true());
		json_object_set_new(j->view, "has_flags", json_true());
	}
	json_object_set_new(j->view, "summary", s);
}

/* The record page's alerts: the open and acknowledged, newest first (and one more, to say there are more). */
static struct store_alert_query record_alerts_query(const struct record_job *j)
{
	return (struct store_alert_query){
		.open_or_acknowledged = true, .person_id = j->access.child_id, .limit = RECORD_ALERTS_MAX + 1};
}

static void alerts_view(struct record_job *j)
{
	struct rec_alerts r = {.list = json_array(), .today = web_today()};
	struct store_alert_query q = record_alerts_query(j);
	int rc = alerts_list(j->w->st, &j->access, &q, rec_alert, &r);
	if (rc != STORE_OK) { /* the record is still worth showing: it says the alerts could not be read */
		fprintf(stderr, "safeguard: a child's alerts could not be read (error %d)\n", rc);
		json_object_set_new(j->view, "alerts_error", json_true());
	}
	json_object_set_new(j->view, "has_alerts", json_boolean(json_array_size(r.list) > 0));
	json_object_set_new(j->view, "alerts", r.list);
	if (r.n > RECORD_ALERTS_MAX)
		json_object_set_new(j->view, "alerts_more",
				    json_string("There are more open alerts than these: the newest are shown."));
}

static void record_audited(struct children_access *a)
{
	http_request *rq = ((struct record_job *)a)->rq;
	if (http_tracing()) { /* the writer's part (http_mark: SAFEGUARD_REQ_TRACE) */
		http_mark_at(rq, "writer", a->job.batch_at);
		if (a->job.commit_at > 0)
			http_mark_at(rq, "commit", a->job.commit_at);
		http_mark_at(rq, "committed", a->job.batch_end_at);
	}
	http_resume(rq);
}

static json_t *concern_view(struct record_job *j);

/* The timeline, drawn into the page where the template says {{{timeline}}}. */
struct svg_draw {
	struct record_job *j;
	char page_base[128];
};

static int svg_write(struct buf *out, void *ctx)
{
	struct svg_draw *d = ctx;
	timeline_svg(d->j->tl, (size_t)d->j->ntl, d->j->name, d->page_base, out);
	http_mark(d->j->rq, "svg");
	return out->failed ? -1 : 0;
}

static void record_continue(http_request *rq, void *ctx)
{
	struct record_job *j = ctx;
	const struct web *w = j->w;
	bool found = false;
	int rc;
	if (!j->access.audited) {
		web_message(w, rq, 503, "Sorry, there is a problem with the service", "Try again in a moment.");
		goto out;
	}
	if (j->access.refused) { /* audited as a refusal: the same page whether or not the child exists */
		web_child_refusal(w, rq, j->access.child_id, j->access.reader.level);
		goto out;
	}
	static const struct child_visitor v = {.person = rec_person,
					       .identifier = rec_identifier,
					       .household = rec_household,
					       .member = rec_member,
					       .kind = rec_kind,
					       .event = rec_event,
					       .mark = rec_mark};
	static const struct child_visitor person_only = {.person = rec_person};
	/* An own-agency reader is shown their agency's events whatever the filter asks (the service decides
	 * that); the filter then says so rather than showing nothing for another agency. */
	if (j->access.reader.level != ACCESS_FULL) {
		snprintf(j->agency_f, sizeof j->agency_f, "%s", j->access.reader.agency);
		j->page_q.agency = j->agency_f;
	}
	/* The record page's reads (the record, its alerts, placement and summary card) in one snapshot (issue 17);
	 * without one (none could be had) each read takes its own. */
	if (j->page == PAGE_RECORD) {
		children_snapshot_begin(w->st, &j->access);
		http_mark(rq, "snapshot");
		/* and its independent reads sent together: on PostgreSQL one round trip for them (issue 17) */
		struct store_alert_query alerts_q = record_alerts_query(j);
		children_record_ahead(w->st, &j->access, &j->page_q, TIMELINE_MAX, &alerts_q, web_today());
		http_mark(rq, "ahead");
		rc = children_record(w->st, &j->access, &v, &j->page_q, TIMELINE_MAX, j, &found, &j->end);
		http_mark(rq, "record");
	} else {
		rc = children_read(w->st, &j->access, &person_only, j, &found);
	}
	if (rc != STORE_OK) {
		fprintf(stderr, "safeguard: page read failed (store error %d)\n", rc);
		web_message(w, rq, 503, "Sorry, there is a problem with the service", "Try again in a moment.");
		goto out;
	}
	if (!found) {
		web_message(w, rq, 404, "Child not found", "There is no child with this reference. Search again.");
		goto out;
	}
	json_t *view = j->view;
	j->view = NULL;
	if (j->page == PAGE_CONCERN_FORM) {
		json_object_update_new(view, concern_view(j));
		json_object_set_new(view, "title", json_string("Record a concern"));
		web_render(w, rq, json_object_get(view, "has_errors") ? 400 : 200, "concern", view);
		goto out;
	}
	json_object_set_new(view, "title", web_str(j->name));
	json_object_set_new(view, "child_id", json_integer(j->access.child_id));
	json_object_set_new(view, "nhs", json_incref(j->nhs));
	json_object_set_new(view, "upn", json_incref(j->upn));
	json_object_set_new(view, "has_members", json_boolean(json_array_size(j->members) > 0));
	json_object_set_new(view, "members", json_incref(j->members));
	if (j->rows.failed) { /* cannot happen: 100 rows are far below the ceiling */
		json_decref(view);
		web_unavailable(w, rq);
		goto out;
	}
	json_object_set_new(view, "has_events", json_boolean(j->shown > 0));
	json_object_set_new(view, "back", json_pack("{s:s, s:s}", "href", "/", "text", "Find a child"));
	bool own_agency = j->access.reader.level != ACCESS_FULL;
	json_object_set_new(view, "own_agency_only", json_boolean(own_agency));
	json_object_set_new(view, "reader_agency_name", web_str(web_agency_name(j->access.reader.agency)));
	web_break_glass_banner(view, &j->access.reader);
	/* Issue 18: the recordings (web/recordings_pages.c), for a role that handles them with the whole record. */
	json_object_set_new(view, "can_recordings",
			    json_boolean(!own_agency && access_role_offers(j->access.reader.role, j->access.reader.agency,
									ACT_RECORDINGS)));
	j->view = view;
	episodes_view(j);
	filters_view(j);
	alerts_view(j);
	summary_view(j); /* and the placement panel */
	j->view = NULL;
	children_snapshot_end(w->st, &j->access);
	http_mark(rq, "views");
	/* A link to "who has looked" for those who may see it (the allocated worker, the DPO), as the audit decided. */
	const struct web_user *u = web_user(rq);
	json_object_set_new(view, "can_viewers", json_boolean(access_role_offers(u->role, u->agency, ACT_VIEWERS) &&
							      children_may_see_viewers_of(&j->access)));

	char shown[200], scope[96];
	const char *filter = j->agency_f[0] ? web_agency_name(j->agency_f) : NULL;
	snprintf(scope, sizeof scope, "%s%s%s", filter ? " from " : "", filter ? filter : "",
		 j->kind_f[0] ? " of the kind you chose" : "");
	if (j->shown == 0)
		snprintf(shown, sizeof shown, "No events%s.", filter || j->kind_f[0] ? " match the filter" : " recorded yet");
	else if (j->shown == j->ntl)
		snprintf(shown, sizeof shown, "%d event%s%s.", j->ntl, j->ntl == 1 ? "" : "s", scope);
	else
		snprintf(shown, sizeof shown, "%d%s events%s. The table shows them %d at a time, newest first%s.", j->ntl,
			 j->ntl == TIMELINE_MAX ? " or more" : "", scope, RECORD_PAGE,
			 j->page_q.before_at ? ": this page has older ones" : "");
	json_object_set_new(view, "shown_text", json_string(shown));
	if (j->end.more) {
		char older[192];
		snprintf(older, sizeof older, "/children/%lld?agency=%s&kind=%s&before=%s#chronology",
			 (long long)j->access.child_id, j->agency_f, j->kind_f, j->end.cursor);
		json_object_set_new(view, "older", json_string(older));
	}
	/* A mark links to its row, on this page or on the page that starts with it: the marks come in the
	 * table's order, so this page's rows are a run of them. */
	int first = 0;
	while (first < j->ntl && j->tl[first].id != j->first_id)
		first++;
	for (int i = 0; i < j->ntl; i++)
		j->tl[i].on_page = i >= first && i < first + j->shown;
	struct svg_draw draw = {.j = j};
	snprintf(draw.page_base, sizeof draw.page_base, "/children/%lld?%s%s%s%s%s", (long long)j->access.child_id,
		 j->agency_f[0] ? "agency=" : "", j->agency_f, j->agency_f[0] && j->kind_f[0] ? "&" : "",
		 j->kind_f[0] ? "kind=" : "", j->kind_f);
	/* The timeline drawn where the page has it (~200 bytes a mark), the rows copied in: a failed drawing
	 * (cannot happen: 2,000 marks are far below the ceiling) fails the render, whose page says so. */
	const struct mustache_raw parts[] = {
		{.name = "timeline", .len = (size_t)j->ntl * 200 + 4096, .write = svg_write, .ctx = &draw},
		{.name = "event_rows", .data = j->rows.data ? j->rows.data : "", .len = j->rows.len}};
	web_render_raw(w, rq, 200, "child", view, parts, sizeof parts / sizeof parts[0]);
	http_mark(rq, "render");
out:
	children_snapshot_end(w->st, &j->access); /* when a page ended before its reads were done */
	record_job_free(j);
}

/* Starts an audited read of a child for a page, which needs the reader to be (at least) the child's own
 * agency's reader; the page is rendered by record_continue. */
static void read_child(const struct web *w, http_request *rq, struct record_job *j, const char *detail)
{
	j->w = w;
	j->rq = rq;
	web_access_init(&j->access, rq, "child.read", j->access.child_id, ACCESS_AGENCY, detail);
	j->access.done = record_audited;
	http_continue_with(rq, record_continue, j, record_job_free);
	http_suspend(rq);
	http_mark(rq, "audit");
	children_access_audit(w->q, &j->access);
}

static bool known_code(const char *v, bool agencies)
{
	return agencies ? web_agency_find(v) != NULL : event_kind_find(v) != NULL;
}

static void record_page(const struct web *w, http_request *rq, int64_t child_id)
{
	const char *agency = http_query(rq, "agency"), *kind = http_query(rq, "kind"), *before = http_query(rq, "before");
	struct record_job *j = calloc(1, sizeof *j);
	if (!j || !(j->tl = malloc(TIMELINE_MAX * sizeof *j->tl))) { /* rec_mark sets each mark it counts */
		if (j)
			record_job_free(j);
		web_message(w, rq, 503, "Sorry, there is a problem with the service", "Try again in a moment.");
		return;
	}
	j->access.child_id = child_id;
	j->page = PAGE_RECORD;
	const char *recorded = http_query(rq, "recorded");
	j->view = json_pack("{s:b, s:b}", "recorded", recorded && strcmp(recorded, "visit") != 0, "recorded_visit",
			    recorded && strcmp(recorded, "visit") == 0);
	j->members = json_array();
	buf_init(&j->rows, PAGE_MAX);
	buf_reserve(&j->rows, RECORD_PAGE * 512); /* a page of rows (~450 bytes each) without growing by copies */
	j->nhs = json_array();
	j->upn = json_array();
	/* Filters: unknown values are ignored rather than refused (a stale bookmark still opens the record). */
	if (agency && known_code(agency, true))
		snprintf(j->agency_f, sizeof j->agency_f, "%s", agency);
	if (kind && known_code(kind, false))
		snprintf(j->kind_f, sizeof j->kind_f, "%s", kind);
	j->page_q.limit = RECORD_PAGE;
	j->page_q.agency = j->agency_f[0] ? j->agency_f : NULL;
	j->page_q.kind = j->kind_f[0] ? j->kind_f : NULL;
	/* A cursor that is not one (an edited link) shows the newest page rather than an error. */
	if (before && event_cursor_parse(before, j->before_at, &j->page_q.before_id))
		j->page_q.before_at = j->before_at;
	read_child(w, rq, j, j->page_q.before_at ? "record page, older events" : "record page");
}

/* ---- record a concern ---- */

static const struct {
	const char *value, *text;
} categories[] = {
	{"physical", "Physical harm or injury"}, {"emotional", "Emotional harm"},
	{"sexual", "Sexual harm"},                 {"neglect", "Neglect"},
	{"domestic_abuse", "Domestic abuse at home"}, {"exploitation", "Exploitation (criminal or sexual)"},
	{"missing", "Going missing"},              {"other", "Something else"},
};

static const char *concern_category_label(const char *code)
{
	for (size_t i = 0; code && i < sizeof categories / sizeof categories[0]; i++)
		if (strcmp(categories[i].value, code) == 0)
			return categories[i].text;
	return NULL;
}

/* The radios and the answers given, for the form (first render or again with errors). */
static json_t *concern_view(struct record_job *j)
{
	json_t *form = j->form ? j->form : json_object();
	const char *category = json_string_value(json_object_get(form, "category"));
	json_t *cats = json_array();
	char id[48];
	for (size_t i = 0; i < sizeof categories / sizeof categories[0]; i++) {
		snprintf(id, sizeof id, i ? "category-%s" : "category", categories[i].value);
		json_array_append_new(cats, json_pack("{s:s, s:s, s:s, s:b}", "id", id, "value", categories[i].value,
						      "text", categories[i].text, "checked",
						      category && strcmp(category, categories[i].value) == 0));
	}
	const char *seen = json_string_value(json_object_get(form, "child_seen"));
	json_object_set_new(form, "seen_yes", json_boolean(seen && strcmp(seen, "yes") == 0));
	json_object_set_new(form, "seen_no", json_boolean(seen && strcmp(seen, "no") == 0));
	json_t *v = json_pack("{s:I, s:o, s:o, s:o, s:o, s:{s:s, s:s}}", "child_id", (json_int_t)j->access.child_id,
			      "name", web_str(j->name), "agency_name", web_str(web_agency_name(web_user(j->rq)->agency)),
			      "categories", cats, "form", json_incref(form),
			      "back", "href", "", "text", "Back to the record");
	char back[64];
	snprintf(back, sizeof back, "/children/%lld", (long long)j->access.child_id);
	json_object_set_new(json_object_get(v, "back"), "href", json_string(back));
	if (!j->form)
		json_decref(form);
	return v;
}

static void concern_form(const struct web *w, http_request *rq, int64_t child_id, json_t *form, json_t *errors_view)
{
	struct record_job *j = calloc(1, sizeof *j);
	if (!j) {
		json_decref(form);
		json_decref(errors_view);
		web_message(w, rq, 503, "Sorry, there is a problem with the service", "Try again in a moment.");
		return;
	}
	j->access.child_id = child_id;
	j->page = PAGE_CONCERN_FORM;
	j->form = form;
	j->view = errors_view ? errors_view : json_object();
	read_child(w, rq, j, errors_view ? "concern form, corrections" : "concern form");
}

/* ---- recording an event from a page (a concern, a visit) ---- */

static void child_write_refusal_page(const struct web *w, http_request *rq);

struct record_event_job {
	struct txq_job job;
	const struct web *w;
	http_request *rq;
	struct intake_request req;
	struct intake_result res;
	const char *what, *recorded;
	char actor[96], source_ref[40], *payload, *details, *summary;
	/* The writer, decided on again in the write's own transaction (service/access.h). */
	int64_t user_id;
	char username[STORE_USER_MAX + 1], role[STORE_CODE_MAX + 1], agency[STORE_CODE_MAX + 1];
	enum access_write write;
	bool refused;
};

static int record_event_run(store_conn *c, void *arg)
{
	struct record_event_job *j = arg;
	const struct access_writer wr = {j->user_id, j->username, j->agency, j->role};
	const struct access_write_ask ask = {&wr, j->actor, j->write, NULL, j->req.known_child_id};
	bool allowed = false;
	/* refused in the write's own transaction (a change since the edge's decision): audited by the decision, as
	 * there (r-ntk30) */
	int rc = access_write_checked(c, &ask, j->req.known_child_id, 0, clock_now(), &allowed, NULL);
	j->refused = rc == STORE_OK && !allowed;
	if (rc != STORE_OK || j->refused || (rc = intake_apply(c, &j->req, &j->res)) != STORE_OK ||
	    j->res.outcome != INTAKE_NO_CHILD)
		return rc;
	/* no child left to write to (nothing written): the same refusal, audited alike (child 0: nothing found) */
	j->refused = true;
	return access_write_checked(c, &ask, 0, 0, clock_now(), &allowed, NULL);
}

static void record_event_done(struct txq_job *job)
{
	struct record_event_job *j = (struct record_event_job *)job;
	if (job->rc < 0) {
		char message[160];
		fprintf(stderr, "safeguard: a %s could not be saved (store error %d)\n", j->what, job->rc);
		snprintf(message, sizeof message,
			 "The %s was not saved. Go back and try again: your answers are still in the form.", j->what);
		web_write_failed(j->w, j->rq, job->rc, "Sorry, there is a problem with the service", message, NULL, NULL);
	} else if (j->refused) { /* one answer, as web_child_write's */
		child_write_refusal_page(j->w, j->rq);
	} else {
		char to[128];
		snprintf(to, sizeof to, "/children/%lld?recorded=%s#event-%lld", (long long)j->res.child_id, j->recorded,
			 (long long)j->res.event_id);
		web_redirect(j->rq, to);
	}
	http_resume(j->rq);
	free(j->payload);
	free(j->details);
	free(j->summary);
	free(j);
}

bool web_record_event(const struct web *w, http_request *rq, int64_t child_id, const char *agency, const char *kind,
		      const char *what, const char *recorded, int64_t at, json_t *details, json_t *form, char *summary)
{
	struct record_event_job *j = calloc(1, sizeof *j);
	if (!j)
		return false;
	/* A page's record has no agency reference of its own: a random one keeps intake's replay check honest. */
	unsigned char rnd[8];
	randombytes_buf(rnd, sizeof rnd);
	snprintf(j->source_ref, sizeof j->source_ref, "web-%02x%02x%02x%02x%02x%02x%02x%02x", rnd[0], rnd[1], rnd[2],
		 rnd[3], rnd[4], rnd[5], rnd[6], rnd[7]);
	snprintf(j->actor, sizeof j->actor, "%s", web_user(rq)->actor);
	const struct web_user *u = web_user(rq);
	j->user_id = u->user_id;
	snprintf(j->username, sizeof j->username, "%s", u->username);
	snprintf(j->role, sizeof j->role, "%s", u->role);
	snprintf(j->agency, sizeof j->agency, "%s", u->agency);
	j->write = strcmp(kind, "visit") == 0 ? WRITE_VISIT : WRITE_CONCERN;
	/* Who recorded it, for the chronology (issue 15): the practitioner signed in, of the event's agency. */
	json_object_set_new(details, "recorded_by", json_string(u->username));
	j->details = json_dumps(details, JSON_COMPACT | JSON_SORT_KEYS);
	j->payload = json_dumps(form, JSON_COMPACT | JSON_SORT_KEYS);
	if (!j->details || !j->payload) {
		free(j->details);
		free(j->payload);
		free(j);
		return false;
	}
	snprintf(j->req.agency, sizeof j->req.agency, "%s", agency);
	j->req.actor = j->actor;
	j->req.source_ref = j->source_ref;
	j->req.kind = kind;
	ts_format_utc(at, j->req.occurred_at);
	j->req.summary = summary;
	j->req.details = j->details;
	j->req.payload = j->payload;
	crypto_generichash(j->req.payload_hash, sizeof j->req.payload_hash, (const unsigned char *)j->payload,
			   strlen(j->payload), NULL, 0);
	j->req.known_child_id = child_id;
	j->req.alerts = &w->alerts; /* the rules run on it up to today, as on the API's events */
	j->what = what;
	j->recorded = recorded;
	j->summary = summary; /* freed when the job is done */
	j->w = w;
	j->rq = rq;
	j->job.run = record_event_run;
	j->job.arg = j;
	j->job.done = record_event_done;
	http_suspend(rq);
	txq_submit(w->q, &j->job);
	return true;
}

/* A form field into buf, trimmed of surrounding white space; "" when absent. */
void web_field(http_request *rq, const char *name, char *buf, size_t bufsz)
{
	const char *v = http_form(rq, name);
	buf[0] = '\0';
	if (!v)
		return;
	while (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n')
		v++;
	size_t n = strlen(v);
	while (n && (v[n - 1] == ' ' || v[n - 1] == '\t' || v[n - 1] == '\r' || v[n - 1] == '\n'))
		n--;
	if (n >= bufsz) { /* longer than any valid answer: keep a whole-character prefix to show again */
		n = bufsz - 1;
		while (n && ((unsigned char)v[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(buf, v, n);
	buf[n] = '\0';
}

/* Keeps an answer to show again; bytes that are not UTF-8 cannot be shown or saved, so they are dropped
 * and the field is reported (the other answers stay). */
void web_keep(json_t *form, json_t *view, const char *key, const char *field, const char *anchor, const char *v)
{
	if (text_utf8_valid(v, strlen(v))) {
		json_object_set_new(form, key, json_string(v));
		return;
	}
	json_object_set_new(form, key, json_string(""));
	if (!json_object_get(json_object_get(view, "errors"), field))
		web_add_error(view, field, anchor, "This answer contains characters that cannot be saved: type it again");
}

bool web_text_ok(const char *s, size_t max_chars, bool multi_line)
{
	size_t n = strlen(s);
	return text_utf8_valid(s, n) && !text_has_controls(s, n) && (multi_line || !strpbrk(s, "\t\r\n")) &&
	       text_utf8_length(s, n) <= max_chars;
}

static void concern_submit(const struct web *w, http_request *rq, int64_t child_id)
{
	char agency[STORE_CODE_MAX + 1], day[64], month[64], year[64], hm[64], category[64], seen[64];
	char *summary = malloc(4 * EVENT_SUMMARY_MAX + 8), *words = malloc(4 * EVENT_SUMMARY_MAX + 8),
	     *action = malloc(4 * EVENT_SUMMARY_MAX + 8);
	json_t *view = json_object(), *form = NULL;
	struct date d;
	bool when_given = false;
	int hour = 12, minute = 0;
	if (!summary || !words || !action) {
		web_message(w, rq, 503, "Sorry, there is a problem with the service", "Try again in a moment.");
		goto out;
	}
	snprintf(agency, sizeof agency, "%s", web_user(rq)->agency); /* a concern is recorded for one's own agency */
	web_field(rq, "when-day", day, sizeof day);
	web_field(rq, "when-month", month, sizeof month);
	web_field(rq, "when-year", year, sizeof year);
	web_field(rq, "time", hm, sizeof hm);
	web_field(rq, "category", category, sizeof category);
	web_field(rq, "child_seen", seen, sizeof seen);
	web_field(rq, "summary", summary, 4 * EVENT_SUMMARY_MAX + 8);
	web_field(rq, "child_words", words, 4 * EVENT_SUMMARY_MAX + 8);
	web_field(rq, "action", action, 4 * EVENT_SUMMARY_MAX + 8);

	/* In the order of the form, so the error summary reads top to bottom. */
	int drc = web_date_fields(day, month, year, &d, &when_given);
	int64_t now = clock_now();
	if (!when_given)
		web_add_error(view, "when", "when-day", "Enter the date it happened");
	else if (drc != 0)
		web_add_error(view, "when", "when-day", "The date it happened must be a real date");
	else if (date_cmp(d, web_today()) > 0)
		web_add_error(view, "when", "when-day", "The date it happened must be today or in the past");
	if (hm[0] && web_time_field(hm, &hour, &minute) != 0)
		web_add_error(view, "time", "time", "Enter the time as hours and minutes, for example 14:30");
	bool cat_ok = false;
	for (size_t i = 0; i < sizeof categories / sizeof categories[0]; i++)
		cat_ok = cat_ok || strcmp(category, categories[i].value) == 0;
	if (!cat_ok)
		web_add_error(view, "category", "category", "Select what the concern is about");
	if (!summary[0])
		web_add_error(view, "summary", "summary", "Enter what happened");
	else if (!web_text_ok(summary, EVENT_SUMMARY_MAX, true))
		web_add_error(view, "summary", "summary", "What happened must be 2000 characters or fewer, without control characters");
	if (!web_text_ok(words, EVENT_SUMMARY_MAX, true))
		web_add_error(view, "child_words", "child_words", "What the child said must be 2000 characters or fewer, without control characters");
	if (strcmp(seen, "yes") && strcmp(seen, "no"))
		web_add_error(view, "child_seen", "child_seen", "Select yes if you saw the child yourself");
	if (!action[0])
		web_add_error(view, "action", "action", "Enter what you have done about it");
	else if (!web_text_ok(action, EVENT_SUMMARY_MAX, true))
		web_add_error(view, "action", "action", "What you have done must be 2000 characters or fewer, without control characters");

	/* The answers as given, kept for the form and, when valid, as the record "as sent". */
	form = json_object();
	web_keep(form, view, "when_day", "when", "when-day", day);
	web_keep(form, view, "when_month", "when", "when-day", month);
	web_keep(form, view, "when_year", "when", "when-day", year);
	web_keep(form, view, "time", "time", "time", hm);
	web_keep(form, view, "category", "category", "category", category);
	web_keep(form, view, "child_seen", "child_seen", "child_seen", seen);
	web_keep(form, view, "summary", "summary", "summary", summary);
	web_keep(form, view, "child_words", "child_words", "child_words", words);
	web_keep(form, view, "action", "action", "action", action);
	if (json_object_get(view, "errors")) {
		concern_form(w, rq, child_id, form, view);
		form = view = NULL;
		goto out;
	}

	bool timed = hm[0] != '\0'; /* without a time: the start of the day, and "time not recorded" (visit.c) */
	if (!timed)
		hour = minute = 0;
	int64_t at = web_uk_civil(d, hour, minute);
	if (at > now)
		at = now;
	json_t *details = json_pack("{s:s, s:s, s:b, s:s, s:s}", "category", category, "child_words", words,
				    "child_seen", strcmp(seen, "yes") == 0, "action_taken", action, "recorded_via", "web");
	if (!timed)
		json_object_set_new(details, "time_recorded", json_false());
	bool queued = web_record_event(w, rq, child_id, agency, "concern", "concern", "1", at, details, form, summary);
	json_decref(details);
	if (!queued) {
		web_message(w, rq, 503, "Sorry, there is a problem with the service", "Try again in a moment.");
		goto out;
	}
	summary = NULL; /* the job has it */
out:
	free(summary);
	free(words);
	free(action);
	json_decref(form);
	json_decref(view);
}

/* ---- routing ---- */

/* A form posted from another site must not act here: besides the session's CSRF token (web_csrf_ok), the
 * browser says where the form came from. The origin it names is this service's scheme and Host: https behind
 * a TLS proxy (serve --behind-tls: the browser spoke TLS to the proxy, whatever the proxy speaks to us; the
 * proxy must pass the browser's Host on), else http. X-Forwarded-Proto is not read: behind TLS the
 * scheme is https by the operator's word, and without a proxy anyone could send the header. */
bool web_same_origin(const struct web *w, http_request *rq)
{
	const char *site = http_header(rq, "Sec-Fetch-Site"), *origin = http_header(rq, "Origin"),
		   *host = http_header(rq, "Host");
	if (site && strcmp(site, "same-origin") != 0 && strcmp(site, "none") != 0)
		return false;
	if (origin && strcmp(origin, "null") == 0) /* an opaque origin: trust only the browser's own word */
		return site && strcmp(site, "same-origin") == 0;
	if (origin) {
		char expect[300];
		snprintf(expect, sizeof expect, "%s://%s", w->behind_tls ? "https" : "http", host ? host : "");
		return strcmp(origin, expect) == 0;
	}
	return true;
}

bool web_origin_vouched(const struct web *w, http_request *rq)
{
	const char *site = http_header(rq, "Sec-Fetch-Site"), *origin = http_header(rq, "Origin");
	if (site && strcmp(site, "same-origin") == 0)
		return web_same_origin(w, rq); /* and an Origin, if sent, ours */
	return !site && origin && strcmp(origin, "null") != 0 && web_same_origin(w, rq);
}

/* Whether a signed-in person's request is her own, as far as her browser says: for the entry of a refusal by the
 * role gate (r-tidy34; CSRF: nothing a page of another site can make us write). A form (POST) must be vouched for
 * as the refused upload's is (web_origin_vouched: every browser sends Origin with a form, so one that names none
 * is no browser's form, r-review50's case). A page (GET, HEAD) must not be said to come from another site
 * (web_same_origin: Sec-Fetch-Site same-site or cross-site, or an Origin not ours, says a page of another site
 * asked; the SameSite=Strict cookie keeps a cross-site request signed out besides): a link followed within the
 * service (same-origin), an address typed or a bookmark ("none", which no page can make a browser send), or a
 * browser that sends neither header, as a refusal decided on the child is audited whatever the headers. */
bool web_request_vouched(const struct web *w, http_request *rq)
{
	if (strcmp(http_method(rq), "POST") == 0)
		return web_origin_vouched(w, rq);
	return web_same_origin(w, rq);
}

/* ---- need-to-know ---- */

void web_child_refusal(const struct web *w, http_request *rq, int64_t child_id, enum access_level level)
{
	const struct web_user *u = web_user(rq);
	/* The same page whether or not the child exists, and whether or not there is more to see. */
	char href[64];
	snprintf(href, sizeof href, "/children/%lld/break-glass", (long long)child_id);
	if (access_role_offers(u->role, u->agency, ACT_BREAK_GLASS) && level <= ACCESS_NONE)
		web_message_link(w, rq, 403, "You cannot see this record",
				 "Nothing shows that you work with this child, so the record is not open to you. If a "
				 "child is at risk now and you must see it, you can open it in an emergency: you will be "
				 "asked why, and the child's social worker and the data protection officer will see that "
				 "you did.",
				 href, "Open the record in an emergency");
	else
		web_message(w, rq, 403, "You cannot see this record",
			    level <= ACCESS_NONE
				    ? "Nothing shows that you work with this child, so the record is not open to you."
				    : "This needs the whole record, which is open to the child's social worker and their "
				      "team. Ask them, or the MASH.");
}

/* The one refusal page of a concern's or a visit's write, whatever the id holds. */
static void child_write_refusal_page(const struct web *w, http_request *rq)
{
	web_message(w, rq, 403, "You cannot record this for this child",
		    "Nothing was saved. Nothing shows that you work with this child in the way this needs: a "
		    "visit is recorded by the child's social worker or their team, a concern by someone whose "
		    "agency knows the child.");
}

/* A write decided before its job and, refused, audited in the same service call (r-ntk30, r-ntk31): its entry,
 * then the same answer as before. */
struct write_refusal_job {
	struct access_write_refusal r; /* first */
	const struct web *w;
	http_request *rq;
	void (*answer)(const struct web *w, http_request *rq);
};

static void write_refusal_done(struct access_write_refusal *r)
{
	struct write_refusal_job *j = (struct write_refusal_job *)r;
	if (r->rc != STORE_OK) {
		fprintf(stderr, "safeguard: a refused write could not be audited (store error %d)\n", r->rc);
		web_unavailable(j->w, j->rq);
	} else {
		j->answer(j->w, j->rq);
	}
	http_resume(j->rq);
	free(j);
}

static void write_refusal_hold(struct access_write_refusal *r)
{
	http_suspend(((struct write_refusal_job *)r)->rq);
}

/* The job a refusal's entry is queued in, made before the decision (freed by the caller when the write may go
 * on); NULL, answered, when out of memory. */
static struct write_refusal_job *write_refusal_new(const struct web *w, http_request *rq,
						   void (*answer)(const struct web *w, http_request *rq))
{
	struct write_refusal_job *j = calloc(1, sizeof *j);
	if (!j) {
		web_unavailable(w, rq);
		return NULL;
	}
	j->w = w;
	j->rq = rq;
	j->answer = answer;
	j->r.hold = write_refusal_hold;
	return j;
}

/* After a decision: true when the write may go on; else answered (a store failure), or to be answered once its
 * entry is durable (refused). */
static bool write_decided(const struct web *w, http_request *rq, struct write_refusal_job *j, int rc, bool allowed)
{
	if (rc != STORE_OK) {
		fprintf(stderr, "safeguard: a write could not be decided (store error %d)\n", rc);
		web_unavailable(w, rq);
	}
	if (rc != STORE_OK || allowed)
		free(j);
	return rc == STORE_OK && allowed;
}

bool web_alert_write_decided(const struct web *w, http_request *rq, int64_t id, const char *action,
			     void (*answer)(const struct web *w, http_request *rq))
{
	const struct web_user *u = web_user(rq);
	struct write_refusal_job *j = write_refusal_new(w, rq, answer);
	if (!j)
		return false;
	struct access_reader reader;
	access_reader_person(&reader, u->user_id, u->username, u->agency, u->role);
	const struct access_writer wr = {u->user_id, u->username, u->agency, u->role};
	const struct access_write_ask ask = {&wr, u->actor, WRITE_ALERT, action, id};
	bool may = false;
	int rc = alerts_write_decided(w->st, w->q, &reader, &ask, &j->r, write_refusal_done, &may);
	return write_decided(w, rq, j, rc, may);
}

/* The write decision (service/access.h) for a form that records something about a child. Below it, the
 * refusal is audited (r-ntk30, by the decision itself: r-ntk31) and answered 403, one page whether the child does
 * not exist, is sealed or is not the person's to write to, and gives false; the write job decides again in its
 * transaction (record_event_run), and audits a refusal there. */
static bool web_child_write(const struct web *w, http_request *rq, int64_t child_id, enum access_write what)
{
	const struct web_user *u = web_user(rq);
	struct write_refusal_job *j = write_refusal_new(w, rq, child_write_refusal_page);
	if (!j)
		return false;
	const struct access_writer wr = {u->user_id, u->username, u->agency, u->role};
	const struct access_write_ask ask = {&wr, u->actor, what, NULL, child_id};
	bool allowed = false;
	int rc = access_write_decided(w->st, w->q, &ask, child_id, clock_now(), &j->r, write_refusal_done, &allowed);
	return write_decided(w, rq, j, rc, allowed);
}

/* ---- the route table ---- */

static void home_route(const struct web *w, http_request *rq, const int64_t *ids)
{
	(void)ids;
	const struct web_user *u = web_user(rq);
	if (access_role_offers(u->role, u->agency, ACT_CHILD_SEARCH)) {
		search_page(w, rq);
	} else if (access_role_offers(u->role, u->agency, ACT_ADMIN)) {
		web_redirect(rq, "/admin");
	} else if (access_role_offers(u->role, u->agency, ACT_OVERSIGHT)) {
		web_redirect(rq, "/homes");
	} else {
		char msg[200];
		snprintf(msg, sizeof msg, "You are signed in as %s. There are no pages for your role here yet.",
			 web_role_name(u->role));
		web_message_link(w, rq, 200, "Safeguard", msg, "/sign-in", "Sign in as someone else");
	}
}

/* The record and one event's link decide need-to-know in the read's audited step (a refusal is audited too). */
static void record_route(const struct web *w, http_request *rq, const int64_t *ids)
{
	record_page(w, rq, ids[0]);
}
/* A refused form (a concern's, a visit's) is audited as a refused read is, whatever the id holds (r-ntk28,
 * r-review47's fifth finding): the decision is made as before (access_decide: the same statements for an id with
 * no child, a child the reader's view does not know, a sealed one and one they do not work with), then one
 * `access.refused` entry on the id asked (children_access.refuse: "child:ID", naming no child), then the same
 * refusal page as before, once the entry is durable. */
struct form_refusal_job {
	struct web_read r; /* first */
	enum access_level level;
};

static void form_refusal_release(struct web_read *r)
{
	free(r);
}

static void form_refusal_show(struct web_read *r)
{
	const struct form_refusal_job *j = (const struct form_refusal_job *)r;
	web_child_refusal(r->w, r->rq, r->access.child_id, j->level);
}

/* True when the person may open the form; else the refusal is audited and answered. */
static bool web_child_form(const struct web *w, http_request *rq, int64_t child_id, enum access_level need,
			   const char *action)
{
	const struct web_user *u = web_user(rq);
	struct access_person p = {u->user_id, u->username, u->agency, u->role};
	enum access_level level;
	char basis[ACCESS_BASIS_MAX], detail[48];
	int rc = access_decide(w->st, &p, child_id, clock_now(), &level, basis);
	if (rc != STORE_OK) {
		fprintf(stderr, "safeguard: access could not be decided (store error %d)\n", rc);
		web_unavailable(w, rq);
		return false;
	}
	if (level >= need)
		return true;
	struct form_refusal_job *j = calloc(1, sizeof *j);
	if (!j) {
		web_unavailable(w, rq);
		return false;
	}
	j->level = level;
	j->r.access.refuse = true;
	snprintf(j->r.access.object, sizeof j->r.access.object, "child:%lld", (long long)child_id);
	snprintf(detail, sizeof detail, "child %lld", (long long)child_id);
	j->r.show = form_refusal_show; /* not called: the entry is a refusal */
	j->r.refusal = form_refusal_show;
	j->r.release = form_refusal_release;
	web_read_start(w, rq, &j->r, action, child_id, detail);
	return false;
}

static void concern_form_route(const struct web *w, http_request *rq, const int64_t *ids)
{
	if (web_child_form(w, rq, ids[0], ACCESS_AGENCY, "concern.form"))
		concern_form(w, rq, ids[0], NULL, NULL);
}
static void concern_route(const struct web *w, http_request *rq, const int64_t *ids)
{
	if (web_child_write(w, rq, ids[0], WRITE_CONCERN))
		concern_submit(w, rq, ids[0]);
}
static void visit_form_route(const struct web *w, http_request *rq, const int64_t *ids)
{
	if (web_child_form(w, rq, ids[0], ACCESS_FULL, "visit.form"))
		web_visit_form(w, rq, ids[0]);
}
static void visit_route(const struct web *w, http_request *rq, const int64_t *ids)
{
	if (web_child_write(w, rq, ids[0], WRITE_VISIT))
		web_visit_submit(w, rq, ids[0]);
}
static void event_route(const struct web *w, http_request *rq, const int64_t *ids)
{
	web_event_link(w, rq, ids[0], ids[1]);
}
static void glass_form_route(const struct web *w, http_request *rq, const int64_t *ids)
{
	web_break_glass_form(w, rq, ids[0]);
}
static void glass_route(const struct web *w, http_request *rq, const int64_t *ids) { web_break_glass_submit(w, rq, ids[0]); }
static void viewers_route(const struct web *w, http_request *rq, const int64_t *ids) { web_viewers_page(w, rq, ids[0]); }
static void recordings_route(const struct web *w, http_request *rq, const int64_t *ids) { web_recordings_page(w, rq, ids[0]); }
static void recording_upload_route(const struct web *w, http_request *rq, const int64_t *ids) { web_recording_upload(w, rq, ids[0]); }
static void recording_play_route(const struct web *w, http_request *rq, const int64_t *ids) { web_recording_content(w, rq, ids[0], false); }
static void recording_download_route(const struct web *w, http_request *rq, const int64_t *ids) { web_recording_content(w, rq, ids[0], true); }
static void notices_route(const struct web *w, http_request *rq, const int64_t *ids) { web_notices_page(w, rq); }
static void admin_route(const struct web *w, http_request *rq, const int64_t *ids)
{
	(void)ids;
	web_admin_page(w, rq);
}
static void admin_users_route(const struct web *w, http_request *rq, const int64_t *ids)
{
	(void)ids;
	web_admin_users_page(w, rq);
}
static void admin_user_add_route(const struct web *w, http_request *rq, const int64_t *ids)
{
	(void)ids;
	web_admin_user_add(w, rq);
}
static void admin_reset_form_route(const struct web *w, http_request *rq, const int64_t *ids)
{
	web_admin_user_reset_form(w, rq, ids[0]);
}
static void admin_reset_route(const struct web *w, http_request *rq, const int64_t *ids) { web_admin_user_reset(w, rq, ids[0]); }
static void admin_disable_route(const struct web *w, http_request *rq, const int64_t *ids)
{
	web_admin_user_disable(w, rq, ids[0]);
}

static void admin_enable_route(const struct web *w, http_request *rq, const int64_t *ids)
{
	web_admin_user_enable(w, rq, ids[0]);
}
static void admin_teams_route(const struct web *w, http_request *rq, const int64_t *ids)
{
	(void)ids;
	web_admin_teams_page(w, rq);
}
static void admin_team_route(const struct web *w, http_request *rq, const int64_t *ids)
{
	(void)ids;
	web_admin_team_save(w, rq);
}
static void admin_allocations_route(const struct web *w, http_request *rq, const int64_t *ids)
{
	(void)ids;
	web_admin_allocations_page(w, rq);
}
static void admin_allocate_route(const struct web *w, http_request *rq, const int64_t *ids)
{
	(void)ids;
	web_admin_allocate(w, rq);
}
static void admin_tokens_route(const struct web *w, http_request *rq, const int64_t *ids)
{
	(void)ids;
	web_admin_tokens_page(w, rq);
}
static void admin_token_route(const struct web *w, http_request *rq, const int64_t *ids)
{
	(void)ids;
	web_admin_token_create(w, rq);
}
static void admin_revoke_route(const struct web *w, http_request *rq, const int64_t *ids) { web_admin_token_revoke(w, rq, ids[0]); }
static void admin_approve_route(const struct web *w, http_request *rq, const int64_t *ids) { web_admin_token_approve(w, rq, ids[0]); }
/* Issue 15: asking first, and allocating by finding the child and the worker (web/admin.c, web/admin_alloc.c). */
static void admin_disable_form_route(const struct web *w, http_request *rq, const int64_t *ids) { web_admin_user_disable_form(w, rq, ids[0]); }
static void admin_revoke_form_route(const struct web *w, http_request *rq, const int64_t *ids) { web_admin_token_revoke_form(w, rq, ids[0]); }
static void admin_alloc_confirm_route(const struct web *w, http_request *rq, const int64_t *ids) { web_admin_allocation_confirm(w, rq); }
static void alerts_route(const struct web *w, http_request *rq, const int64_t *ids)
{
	(void)ids;
	web_alerts_page(w, rq);
}
static void alert_route(const struct web *w, http_request *rq, const int64_t *ids) { web_alert_page(w, rq, ids[0]); }
static void ack_route(const struct web *w, http_request *rq, const int64_t *ids) { web_alert_acknowledge(w, rq, ids[0]); }
static void resolve_route(const struct web *w, http_request *rq, const int64_t *ids) { web_alert_resolve(w, rq, ids[0]); }
static void links_route(const struct web *w, http_request *rq, const int64_t *ids) { web_link_reviews_page(w, rq); }
static void link_route(const struct web *w, http_request *rq, const int64_t *ids) { web_link_review_page(w, rq, ids[0]); }
static void link_decide_route(const struct web *w, http_request *rq, const int64_t *ids) { web_link_review_decide(w, rq, ids[0]); }
static void merge_undo_route(const struct web *w, http_request *rq, const int64_t *ids) { web_merge_undo(w, rq, ids[0]); }
static void caseload_route(const struct web *w, http_request *rq, const int64_t *ids)
{
	(void)ids;
	web_caseload_page(w, rq);
}
static void lado_route(const struct web *w, http_request *rq, const int64_t *ids) { web_lado_page(w, rq); }
static void lado_new_route(const struct web *w, http_request *rq, const int64_t *ids) { web_lado_new_page(w, rq); }
static void lado_new_submit_route(const struct web *w, http_request *rq, const int64_t *ids) { web_lado_new_submit(w, rq); }
static void lado_person_route(const struct web *w, http_request *rq, const int64_t *ids) { web_lado_person_page(w, rq, ids[0]); }
static void lado_allegation_route(const struct web *w, http_request *rq, const int64_t *ids) { web_lado_allegation_page(w, rq, ids[0]); }
static void lado_step_route(const struct web *w, http_request *rq, const int64_t *ids) { web_lado_step_submit(w, rq, ids[0]); }
static void mash_route(const struct web *w, http_request *rq, const int64_t *ids)
{
	(void)ids;
	web_mash_page(w, rq);
}
static void mash_item_route(const struct web *w, http_request *rq, const int64_t *ids) { web_mash_item_page(w, rq, ids[0]); }
static void mash_decide_route(const struct web *w, http_request *rq, const int64_t *ids) { web_mash_decide(w, rq, ids[0]); }
static void team_route(const struct web *w, http_request *rq, const int64_t *ids)
{
	(void)ids;
	web_team_page(w, rq);
}
static void dpo_route(const struct web *w, http_request *rq, const int64_t *ids)
{
	(void)ids;
	web_dpo_page(w, rq);
}
static void health_glass_route(const struct web *w, http_request *rq, const int64_t *ids)
{
	(void)ids;
	web_health_glass_page(w, rq);
}
static void my_notices_route(const struct web *w, http_request *rq, const int64_t *ids)
{
	(void)ids;
	web_my_notices_page(w, rq);
}
static void signin_route(const struct web *w, http_request *rq, const int64_t *ids)
{
	(void)ids;
	web_signin_page(w, rq);
}
static void signin_submit_route(const struct web *w, http_request *rq, const int64_t *ids)
{
	(void)ids;
	web_signin_submit(w, rq);
}
static void signout_route(const struct web *w, http_request *rq, const int64_t *ids)
{
	(void)ids;
	web_signout(w, rq);
}

static void homes_route(const struct web *w, http_request *rq, const int64_t *ids)
{
	(void)ids;
	web_homes_page(w, rq);
}
static void homes_run_route(const struct web *w, http_request *rq, const int64_t *ids)
{
	(void)ids;
	web_homes_run(w, rq);
}
static void homes_funnel_route(const struct web *w, http_request *rq, const int64_t *ids)
{
	(void)ids;
	web_homes_funnel(w, rq);
}
static void home_page_route(const struct web *w, http_request *rq, const int64_t *ids) { web_home_page(w, rq, ids[0]); }
static void flag_route(const struct web *w, http_request *rq, const int64_t *ids)
{
	(void)ids;
	web_flag_page(w, rq);
}
static void police_homes_route(const struct web *w, http_request *rq, const int64_t *ids)
{
	(void)ids;
	web_police_homes_page(w, rq);
}
static void police_home_route(const struct web *w, http_request *rq, const int64_t *ids)
{
	web_police_home_page(w, rq, ids[0]);
}
static void police_note_route(const struct web *w, http_request *rq, const int64_t *ids)
{
	web_police_note_add(w, rq, ids[0]);
}
static void home_ack_route(const struct web *w, http_request *rq, const int64_t *ids)
{
	web_home_alert_acknowledge(w, rq, ids[0]);
}
static void home_resolve_route(const struct web *w, http_request *rq, const int64_t *ids)
{
	web_home_alert_resolve(w, rq, ids[0]);
}
static void home_reg44_route(const struct web *w, http_request *rq, const int64_t *ids)
{
	web_home_reg44_add(w, rq, ids[0]);
}

static void speakup_route(const struct web *w, http_request *rq, const int64_t *ids)
{
	web_speakup_start(w, rq);
}
static void speakup_submit_route(const struct web *w, http_request *rq, const int64_t *ids)
{
	web_speakup_submit(w, rq);
}
static void speakup_easy_route(const struct web *w, http_request *rq, const int64_t *ids)
{
	web_speakup_easy(w, rq);
}
static void speakup_return_page_route(const struct web *w, http_request *rq, const int64_t *ids)
{
	web_speakup_return_page(w, rq);
}
static void speakup_return_route(const struct web *w, http_request *rq, const int64_t *ids)
{
	web_speakup_return(w, rq);
}
static void speakup_reports_route(const struct web *w, http_request *rq, const int64_t *ids)
{
	web_speakup_reports(w, rq);
}
static void speakup_report_route(const struct web *w, http_request *rq, const int64_t *ids)
{
	web_speakup_report(w, rq, ids[0]);
}
static void speakup_triage_route(const struct web *w, http_request *rq, const int64_t *ids)
{
	web_speakup_triage(w, rq, ids[0]);
}
static void speakup_reply_route(const struct web *w, http_request *rq, const int64_t *ids)
{
	web_speakup_reply(w, rq, ids[0]);
}

/* Every page, with what it does for the role policy (service/access.h). A page missing here does not exist;
 * one added here without an entry in the authorisation matrix test fails that test. */
static const struct web_route {
	struct route_key key; /* first: lib/route.h finds the route */
	enum access_action action;
	void (*fn)(const struct web *w, http_request *rq, const int64_t *ids);
} routes[] = {
	{{"GET", "/sign-in"}, ACT_PUBLIC, signin_route},
	{{"POST", "/sign-in"}, ACT_PUBLIC, signin_submit_route},
	{{"POST", "/sign-out"}, ACT_SIGNED_IN, signout_route},
	{{"GET", "/"}, ACT_SIGNED_IN, home_route},
	{{"GET", "/children/{id}"}, ACT_CHILD_READ, record_route},
	{{"GET", "/children/{id}/events/{id}"}, ACT_CHILD_READ, event_route},
	{{"GET", "/children/{id}/concerns/new"}, ACT_CONCERN, concern_form_route},
	{{"POST", "/children/{id}/concerns"}, ACT_CONCERN, concern_route},
	{{"GET", "/children/{id}/visits/new"}, ACT_VISIT, visit_form_route},
	{{"POST", "/children/{id}/visits"}, ACT_VISIT, visit_route},
	{{"GET", "/children/{id}/break-glass"}, ACT_BREAK_GLASS, glass_form_route},
	{{"POST", "/children/{id}/break-glass"}, ACT_BREAK_GLASS, glass_route},
	{{"GET", "/children/{id}/viewers"}, ACT_VIEWERS, viewers_route},
	{{"GET", "/children/{id}/recordings"}, ACT_RECORDINGS, recordings_route},
	{{"POST", "/children/{id}/recordings"}, ACT_RECORDINGS, recording_upload_route},
	{{"GET", "/recordings/{id}/play"}, ACT_RECORDINGS, recording_play_route},
	{{"GET", "/recordings/{id}/download"}, ACT_RECORDINGS, recording_download_route},
	{{"GET", "/notices"}, ACT_NOTICES, notices_route},
	{{"GET", "/dpo"}, ACT_NOTICES, dpo_route},
	{{"GET", "/health/break-glass"}, ACT_HEALTH_GLASS, health_glass_route},
	{{"GET", "/my-notices"}, ACT_CASELOAD, my_notices_route},
	{{"GET", "/alerts"}, ACT_ALERTS, alerts_route},
	{{"GET", "/alerts/{id}"}, ACT_ALERTS, alert_route},
	{{"POST", "/alerts/{id}/acknowledge"}, ACT_ALERTS, ack_route},
	{{"POST", "/alerts/{id}/resolve"}, ACT_ALERTS, resolve_route},
	{{"GET", "/caseload"}, ACT_CASELOAD, caseload_route},
	{{"GET", "/mash"}, ACT_MASH, mash_route},
	{{"GET", "/mash/{id}"}, ACT_MASH, mash_item_route},
	{{"POST", "/mash/{id}/decision"}, ACT_MASH, mash_decide_route},
	{{"GET", "/team"}, ACT_TEAM, team_route},
	{{"GET", "/link-reviews"}, ACT_LINK_REVIEW, links_route},
	{{"GET", "/link-reviews/{id}"}, ACT_LINK_REVIEW, link_route},
	{{"POST", "/link-reviews/{id}/decision"}, ACT_LINK_REVIEW, link_decide_route},
	{{"POST", "/merges/{id}/undo"}, ACT_LINK_REVIEW, merge_undo_route},
	{{"GET", "/admin"}, ACT_ADMIN, admin_route},
	{{"GET", "/admin/users"}, ACT_ADMIN, admin_users_route},
	{{"POST", "/admin/users"}, ACT_ADMIN, admin_user_add_route},
	{{"GET", "/admin/users/{id}/reset"}, ACT_ADMIN, admin_reset_form_route},
	{{"POST", "/admin/users/{id}/reset"}, ACT_ADMIN, admin_reset_route},
	{{"POST", "/admin/users/{id}/disable"}, ACT_ADMIN, admin_disable_route},
	{{"POST", "/admin/users/{id}/enable"}, ACT_ADMIN, admin_enable_route},
	{{"GET", "/admin/teams"}, ACT_ADMIN, admin_teams_route},
	{{"POST", "/admin/teams"}, ACT_ADMIN, admin_team_route},
	{{"GET", "/admin/allocations"}, ACT_ADMIN, admin_allocations_route},
	{{"POST", "/admin/allocations"}, ACT_ADMIN, admin_allocate_route},
	{{"GET", "/admin/tokens"}, ACT_ADMIN, admin_tokens_route},
	{{"POST", "/admin/tokens"}, ACT_ADMIN, admin_token_route},
	{{"POST", "/admin/tokens/{id}/revoke"}, ACT_ADMIN, admin_revoke_route},
	{{"POST", "/admin/tokens/{id}/approve"}, ACT_ADMIN, admin_approve_route},
	{{"GET", "/admin/users/{id}/disable"}, ACT_ADMIN, admin_disable_form_route},
	{{"GET", "/admin/tokens/{id}/revoke"}, ACT_ADMIN, admin_revoke_form_route},
	{{"GET", "/admin/allocations/confirm"}, ACT_ADMIN, admin_alloc_confirm_route},
	{{"GET", "/homes"}, ACT_OVERSIGHT, homes_route},
	{{"POST", "/homes/runs"}, ACT_OVERSIGHT, homes_run_route},
	{{"GET", "/homes/funnel"}, ACT_OVERSIGHT, homes_funnel_route},
	{{"GET", "/homes/{id}"}, ACT_OVERSIGHT, home_page_route},
	{{"POST", "/homes/{id}/reg44-reports"}, ACT_OVERSIGHT, home_reg44_route},
	{{"POST", "/homes/alerts/{id}/acknowledge"}, ACT_OVERSIGHT, home_ack_route},
	{{"POST", "/homes/alerts/{id}/resolve"}, ACT_OVERSIGHT, home_resolve_route},
	{{"GET", "/flag"}, ACT_FLAGS, flag_route},
	{{"GET", "/police/homes"}, ACT_HOMES_POLICE, police_homes_route},
	{{"GET", "/police/homes/{id}"}, ACT_HOMES_POLICE, police_home_route},
	{{"POST", "/police/homes/{id}/notes"}, ACT_HOMES_POLICE, police_note_route},
	/* issue 18: the LADO's pages (web/lado.c) */
	{{"GET", "/lado"}, ACT_LADO, lado_route},
	{{"GET", "/lado/new"}, ACT_LADO, lado_new_route},
	{{"POST", "/lado/new"}, ACT_LADO, lado_new_submit_route},
	{{"GET", "/lado/people/{id}"}, ACT_LADO_READ, lado_person_route},
	{{"GET", "/lado/allegations/{id}"}, ACT_LADO_READ, lado_allegation_route},
	{{"POST", "/lado/allegations/{id}/steps"}, ACT_LADO, lado_step_route},
	{{"GET", "/speak-up"}, ACT_PUBLIC, speakup_route},
	{{"POST", "/speak-up"}, ACT_PUBLIC, speakup_submit_route},
	{{"GET", "/speak-up/easy"}, ACT_PUBLIC, speakup_easy_route},
	{{"GET", "/speak-up/return"}, ACT_PUBLIC, speakup_return_page_route},
	{{"POST", "/speak-up/return"}, ACT_PUBLIC, speakup_return_route},
	{{"GET", "/speak-up/reports"}, ACT_SPEAKUP, speakup_reports_route},
	{{"GET", "/speak-up/reports/{id}"}, ACT_SPEAKUP, speakup_report_route},
	{{"POST", "/speak-up/reports/{id}/triage"}, ACT_SPEAKUP, speakup_triage_route},
	{{"POST", "/speak-up/reports/{id}/reply"}, ACT_SPEAKUP, speakup_reply_route},
};

bool web_route_at(size_t i, const char **method, const char **pattern, const char **action)
{
	if (i >= sizeof routes / sizeof routes[0])
		return false;
	*method = routes[i].key.method;
	*pattern = routes[i].key.pattern;
	*action = access_action_name(routes[i].action);
	return true;
}

/* Appends s percent-encoded: RFC 3986's unreserved characters, and those in keep, stay as they are. */
static void put_encoded(struct buf *b, const char *s, const char *keep)
{
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
		    strchr("-_.~", *c) || (keep && strchr(keep, *c)))
			buf_append(b, (const char *)c, 1);
		else
			buf_printf(b, "%%%02X", *c);
	}
}

static int put_query_arg(const char *name, const char *value, void *ctx)
{
	struct buf *b = ctx;
	buf_puts(b, b->len ? "&" : "?");
	put_encoded(b, name, NULL);
	if (value) {
		buf_puts(b, "=");
		put_encoded(b, value, NULL);
	}
	return b->failed ? -1 : 0;
}

/* To the sign-in page, coming back here afterwards: the path and its query (re-encoded from the decoded
 * arguments), percent-encoded once more as the value of next. When the query would make the return address
 * longer than the sign-in form keeps (WEB_NEXT_MAX), the path alone. */
static void to_sign_in(http_request *rq)
{
	struct buf path, query, to;
	buf_init(&path, WEB_NEXT_MAX);
	buf_init(&query, WEB_NEXT_MAX);
	buf_init(&to, 3 * 2 * WEB_NEXT_MAX + 32);
	put_encoded(&path, http_path(rq), "/");
	http_query_each(rq, put_query_arg, &query);
	if (!query.failed && path.len + query.len < WEB_NEXT_MAX && query.len)
		buf_append(&path, query.data, query.len);
	buf_puts(&to, "/sign-in?next=");
	put_encoded(&to, !path.failed && path.len ? path.data : "/", "/");
	web_redirect(rq, to.failed ? "/sign-in" : to.data);
	buf_free(&path);
	buf_free(&query);
	buf_free(&to);
}

static void form_refused(const struct web *w, http_request *rq)
{
	web_message(w, rq, 403, "The form could not be sent",
		    "The form had expired or was not sent from this service. Go back, reload the page and try again.");
}

/* Everything the headers decide: the route, the session, the role policy, where a form came from. NULL when
 * it has answered. Run when the headers of a request with a body are in (web_admit), so that no body is kept
 * for someone who would be refused, and again when the handler runs (the session is looked up once). */
static const struct web_route *web_gate(const struct web *w, http_request *rq, int64_t ids[ROUTE_IDS_MAX])
{
	const char *m = http_method(rq), *p = http_path(rq);

	if (web_asset_serve(rq))
		return NULL;
	char allow[64];
	long found = route_find(routes, sizeof routes / sizeof routes[0], sizeof routes[0], m, p, ids, allow, sizeof allow);
	const struct web_route *r = found < 0 ? NULL : &routes[found];
	if (!r && allow[0]) {
		http_add_header(rq, "Allow", allow);
		web_message(w, rq, 405, "Page not found", "This address does not take that kind of request.");
		return NULL;
	}
	if (!web_user(rq) && web_session_load(w, rq) != STORE_OK) {
		web_unavailable(w, rq);
		return NULL;
	}
	http_mark(rq, "session");
	if (!r) {
		web_message(w, rq, 404, "Page not found", "If you typed the web address, check it is correct.");
		return NULL;
	}
	const struct web_user *u = web_user(rq);
	if (r->action != ACT_PUBLIC && !u) {
		if (strcmp(r->key.method, "GET") == 0)
			to_sign_in(rq);
		else
			web_message_link(w, rq, 403, "Your session has ended",
					 "You were signed out, so this was not saved. Sign in and try again.", "/sign-in",
					 "Go to sign in");
		return NULL;
	}
	/* The first gate: one service call decides and, refused, audits the try (r-tidy34), naming what was asked. */
	const struct access_route_ask ask = {.role = u ? u->role : NULL, .agency = u ? u->agency : NULL,
					     .act = r->action, .method = m, .pattern = r->key.pattern, .path = p,
					     .id = ids[0], .actor = u ? u->actor : NULL,
					     .answerable = u && web_request_vouched(w, rq)};
	enum access_route_answer ans = u ? access_route_decided(w->q, &ask) : ACCESS_ROUTE_ALLOWED;
	if (ans == ACCESS_ROUTE_BUSY) { /* refused, its entry no room: not told (service/access.h, r-review34) */
		web_unavailable(w, rq);
		return NULL;
	}
	if (ans != ACCESS_ROUTE_ALLOWED) {
		char msg[256];
		snprintf(msg, sizeof msg,
			 "Your role (%s) does not include this page. If your work needs it, ask your manager or your "
			 "administrator.", web_role_name(u->role));
		web_message(w, rq, 403, "You cannot use this page", msg);
		return NULL;
	}
	/* A form that acts must come from this service (the CSRF token, in the body, is checked in web_handle). */
	if (strcmp(r->key.method, "POST") == 0 && r->action != ACT_PUBLIC && !web_same_origin(w, rq)) {
		form_refused(w, rq);
		return NULL;
	}
	if (r->fn == signin_submit_route && !web_signin_admit(w, rq))
		return NULL;
	if ((r->fn == speakup_submit_route || r->fn == speakup_return_route) && !web_speakup_admit(w, rq))
		return NULL;
	return r;
}

size_t web_admit(http_request *rq, void *ctx)
{
	int64_t ids[ROUTE_IDS_MAX] = {0};
	const struct web_route *r = web_gate(ctx, rq, ids);
	if (!r)
		return 0; /* answered: the body is dropped unread */
	/* A speak-up report may be 2,000 characters of any script, percent-encoded: 64 KiB, still no session. */
	if (r->fn == speakup_submit_route || r->fn == speakup_return_route)
		return 64 * 1024;
	return r->action == ACT_PUBLIC ? HTTP_PUBLIC_BODY_MAX : HTTP_BODY_MAX;
}

void web_handle(http_request *rq, void *ctx)
{
	const struct web *w = ctx;
	int64_t ids[ROUTE_IDS_MAX] = {0};
	const struct web_route *r = web_gate(w, rq, ids);
	if (!r)
		return;
	/* Every form that acts carries the session's CSRF token (a streamed upload checks it as its first field,
	 * before a byte of the file is kept: web/recordings_pages.c). */
	if (strcmp(r->key.method, "POST") == 0 && r->action != ACT_PUBLIC && r->fn != recording_upload_route &&
	    !web_csrf_ok(rq)) {
		form_refused(w, rq);
		return;
	}
	r->fn(w, rq, ids);
}

/* Whether the pages have a GET route for path (web/landing.c lands only on pages that exist). */
bool web_has_page(const char *path)
{
	int64_t ids[ROUTE_IDS_MAX];
	char allow[64];
	return route_find(routes, sizeof routes / sizeof routes[0], sizeof routes[0], "GET", path, ids, allow,
			  sizeof allow) >= 0;
}
