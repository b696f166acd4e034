/*
 * web/access_pages.c — the pages of need-to-know that are not a child's record: opening a record in an
 * emergency (break-glass), "who has looked at this record" (issue 4, parts 3 and 4), and the data
 * protection officer's notices of break-glass (issue 14).
 *
 * They follow the API's rules exactly (api/viewers_api.c): break-glass is for a person who gives a reason
 * of 10 to 500 characters; its form, and its answer, are the same whether or not the child exists (an id
 * that holds no child is sent on to the record page, which refuses it as it refuses any record one may not
 * see); past the daily allowance it is refused (429) and the data protection officer told. "Who has looked" is for the
 * child's allocated worker and the data protection officer; anyone else gets the same 403 whether or not the
 * child exists; the read is audited ("viewers.read") before anything is shown.
 *
 * Issue 15: the record opened in an emergency says so, and until when (web_break_glass_banner); the form
 * asks for the reason only once the try is made (access_break_glass_start), so an id that holds no child is
 * told "not found" first; the allocated worker reads the notices about their children (/my-notices); who has
 * looked names the child, the person with their role and agency and the basis of every look, with filters and
 * pages; the data protection officer has a home page (/dpo) with the area's emergency openings.
 */
#include "web/web_int.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock/now.h"
#include "core/text.h"
#include "service/access.h"
#include "service/children.h"
#include "service/txq.h"

#define BREAK_GLASS_SHOWN 100
#define REASON_BYTES (4 * ACCESS_REASON_MAX + 8)
/* Who has looked and the DPO's list of openings page through the newest LOOKS_SCANNED matching rows, PER_PAGE a
 * page. NEEDSWORK: the basis filter is applied to those rows, not in SQL (the basis is the audit detail's tail). */
#define LOOKS_SCANNED 5000
#define PER_PAGE 25
#define PAGES_MAX (LOOKS_SCANNED / PER_PAGE)

/* ---- the record, opened in an emergency ---- */

void web_break_glass_banner(json_t *view, const struct access_reader *r)
{
	if (strcmp(r->basis, "break-glass") != 0 || !r->glass_until[0])
		return;
	char date[DATE_LONG_MAX + 1], hm[8];
	web_when_text(r->glass_until, date, sizeof date, hm, sizeof hm);
	json_object_set_new(view, "emergency", json_pack("{s:s, s:s}", "until_date", date, "until_time", hm));
}

/* ---- break-glass ---- */

static void glass_render(const struct web *w, http_request *rq, int status, int64_t child_id, bool asking,
			 json_t *view)
{
	json_object_set_new(view, "title", json_string("Open a record in an emergency"));
	json_object_set_new(view, "child_id", json_integer(child_id));
	json_object_set_new(view, "asking", json_boolean(asking));
	json_object_set_new(view, "reason_min", json_integer(ACCESS_REASON_MIN));
	json_object_set_new(view, "reason_max", json_integer(ACCESS_REASON_MAX));
	json_object_set_new(view, "hours", json_integer(ACCESS_BREAK_GLASS_SECONDS / 3600));
	json_object_set_new(view, "per_day", json_integer(access_break_glass_per_day()));
	json_object_set_new(view, "back", json_pack("{s:s, s:s}", "href", "/", "text", "Find a child"));
	web_render(w, rq, status, "break_glass", view);
}

/* The first page says nothing about the child (not even whether there is one): the person has no access yet.
 * Continuing makes the try (counted, told to the DPO); then the reason is asked for, or "not found" said. */
void web_break_glass_form(const struct web *w, http_request *rq, int64_t child_id)
{
	glass_render(w, rq, 200, child_id, false, json_object());
}

struct glass_job {
	struct txq_job job;
	const struct web *w;
	http_request *rq;
	struct access_person p;
	char username[STORE_USER_MAX + 1], agency[STORE_CODE_MAX + 1], role[STORE_CODE_MAX + 1], actor[96];
	int64_t child_id, now;
	char reason[REASON_BYTES];
	bool start, found, refused;
	char expires_at[STORE_TS_LEN + 1];
};

static int glass_run(store_conn *c, void *arg)
{
	struct glass_job *j = arg;
	if (j->start)
		return access_break_glass_start(c, &j->p, j->actor, j->child_id, j->now, &j->refused, &j->found);
	return access_break_glass(c, &j->p, j->actor, j->child_id, j->reason, j->now, &j->refused, j->expires_at);
}

static void glass_done(struct txq_job *job)
{
	struct glass_job *j = (struct glass_job *)job;
	if (job->rc < 0) {
		fprintf(stderr, "safeguard: a break-glass could not be stored (store error %d)\n", job->rc);
		web_write_failed(j->w, j->rq, job->rc, "Sorry, there is a problem with the service",
				 "The record was not opened. Go back and try again.", NULL, NULL);
	} else if (j->refused) {
		char msg[320];
		snprintf(msg, sizeof msg, "You have opened %d records in an emergency in the last 24 hours, which is as many as "
			 "anyone may. The record was not opened, and the data protection officer has been told. Ask "
			 "them or your manager if you need it.", access_break_glass_per_day());
		web_message(j->w, j->rq, 429, "The record was not opened", msg);
	} else if (j->start && !j->found) {
		/* An id that holds no child, or a sealed record: one answer, after a try that counted. */
		web_message_link(j->w, j->rq, 404, "Child not found",
				 "There is no child with this reference, so nothing was opened. Check the reference, or "
				 "find the child by name, date of birth or NHS number.",
				 "/", "Find a child");
	} else if (j->start) {
		glass_render(j->w, j->rq, 200, j->child_id, true, json_object());
	} else { /* an id that holds no child, or a sealed one, goes the same way: the record page refuses it */
		char to[64];
		snprintf(to, sizeof to, "/children/%lld", (long long)j->child_id);
		web_redirect(j->rq, to);
	}
	http_resume(j->rq);
	free(j);
}

void web_break_glass_submit(const struct web *w, http_request *rq, int64_t child_id)
{
	const struct web_user *u = web_user(rq);
	char step[16];
	struct glass_job *j = calloc(1, sizeof *j);
	if (!j) {
		web_unavailable(w, rq);
		return;
	}
	web_field(rq, "step", step, sizeof step);
	j->start = strcmp(step, "start") == 0;
	if (!j->start) {
		web_field(rq, "reason", j->reason, sizeof j->reason);
		size_t n = strlen(j->reason);
		size_t chars = text_utf8_valid(j->reason, n) ? text_utf8_length(j->reason, n) : 0;
		if (!j->reason[0] || chars < ACCESS_REASON_MIN || !web_text_ok(j->reason, ACCESS_REASON_MAX, true)) {
			json_t *view = json_object(), *form = json_object();
			web_add_error(view, "reason", "reason",
				      !j->reason[0] ? "Enter why this is an emergency"
				      : chars < ACCESS_REASON_MIN
					      ? "Why this is an emergency must be 10 characters or more"
					      : "Why this is an emergency must be 500 characters or fewer, without control characters");
			web_keep(form, view, "reason", "reason", "reason", j->reason);
			json_object_set_new(view, "form", form);
			free(j);
			glass_render(w, rq, 400, child_id, true, view);
			return;
		}
	}
	snprintf(j->username, sizeof j->username, "%s", u->username);
	snprintf(j->agency, sizeof j->agency, "%s", u->agency);
	snprintf(j->role, sizeof j->role, "%s", u->role);
	snprintf(j->actor, sizeof j->actor, "%s", u->actor);
	j->p = (struct access_person){u->user_id, j->username, j->agency, j->role};
	j->child_id = child_id;
	j->now = clock_now();
	j->w = w;
	j->rq = rq;
	j->job.run = glass_run;
	j->job.arg = j;
	j->job.done = glass_done;
	http_suspend(rq);
	txq_submit(w->q, &j->job);
}

/* ---- shared by the lists below: filters, pages, people ---- */

static const struct {
	const char *code, *text;
} basis_texts[] = {
	{"allocated_worker", "Allocated worker"},
	{"team_manager", "Manager of the allocated team"},
	{"mash", "MASH triage (a contact or referral awaiting a decision)"},
	{"break_glass", "Emergency access (break-glass)"},
	{"own_agency", "Their own agency's records"},
	{"flag_lookup", "Unscheduled care flag look-up"},
	{"alert_owner", "Owner of an alert about the child"},
	{"dpo", "Data protection officer"},
	{"sealed_dpo", "Data protection officer (sealed record)"},
	{"refused", "Refused: no relationship with the child"},
	{"none", "Not recorded (before bases were recorded)"},
};

static const char *basis_text(const char *code)
{
	for (size_t i = 0; i < sizeof basis_texts / sizeof basis_texts[0]; i++)
		if (strcmp(code, basis_texts[i].code) == 0)
			return basis_texts[i].text;
	return NULL;
}

static const char *const agency_codes[] = {"social_care", "police", "health", "education", "housing"};

static bool agency_known(const char *code)
{
	for (size_t i = 0; i < sizeof agency_codes / sizeof agency_codes[0]; i++)
		if (strcmp(code, agency_codes[i]) == 0)
			return true;
	return false;
}

/* The person an audit actor names, as shown: "user:ID:NAME" is a person, "client:ID:AGENCY" an agency's
 * system, "cli" the command line. */
static void who_text(const char *actor, const char *username, char *out, size_t outsz)
{
	const char *colon = strchr(actor, ':'), *second = colon ? strchr(colon + 1, ':') : NULL;
	if (username && username[0])
		snprintf(out, outsz, "%s", username);
	else if (strncmp(actor, "user:", 5) == 0 && second)
		snprintf(out, outsz, "%s", second + 1);
	else if (strncmp(actor, "client:", 7) == 0 && second)
		snprintf(out, outsz, "%s's system (token %.*s)", web_agency_name(second + 1), (int)(second - colon - 1),
			 colon + 1);
	else if (strcmp(actor, "cli") == 0)
		snprintf(out, outsz, "An operator (command line)");
	else
		snprintf(out, outsz, "%s", actor);
}

/* A filter's date: GOV.UK date input fields NAME-day, NAME-month, NAME-year. 1 when given and valid (*d set),
 * 0 when not given, -1 when not a date. */
static int filter_date(http_request *rq, const char *name, struct date *d, json_t *form)
{
	char key[32], v[3][16];
	static const char *const parts[] = {"day", "month", "year"};
	for (int i = 0; i < 3; i++) {
		snprintf(key, sizeof key, "%s-%s", name, parts[i]);
		const char *q = http_query(rq, key);
		snprintf(v[i], sizeof v[i], "%s", q ? q : "");
		if (!text_utf8_valid(v[i], strlen(v[i])))
			v[i][0] = '\0';
		snprintf(key, sizeof key, "%s_%s", name, parts[i]);
		json_object_set_new(form, key, json_string(v[i]));
	}
	bool given = false;
	if (web_date_fields(v[0], v[1], v[2], d, &given) != 0)
		return -1;
	return given ? 1 : 0;
}

/* The UTC instant at which a UK civil day starts. */
static void day_start(struct date d, char out[STORE_TS_LEN + 1])
{
	ts_format_utc(web_uk_civil(d, 0, 0), out);
}

/* Appends name=value to a query string, percent-encoded. */
static void query_add(char *q, size_t qsz, const char *name, const char *value)
{
	size_t n = strlen(q);
	if (!value || !value[0] || n + 1 >= qsz)
		return;
	n += (size_t)snprintf(q + n, qsz - n, "%s%s=", n ? "&" : "?", name);
	for (const unsigned char *c = (const unsigned char *)value; *c && n + 4 < qsz; c++) {
		if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || strchr("-_.~", *c))
			q[n++] = (char)*c;
		else
			n += (size_t)snprintf(q + n, qsz - n, "%%%02X", *c);
	}
	q[n < qsz ? n : qsz - 1] = '\0';
}

/* GOV.UK pagination: previous, the pages (the first, the last and those beside this one, with ellipses
 * between), next. base is the path and the filters' query ("" or "?a=b"). */
static json_t *pagination(const char *base, int page, int pages)
{
	char href[1400];
	const char *sep = strchr(base, '?') ? "&" : "?";
	json_t *items = json_array(), *o = json_object();
	for (int p = 1; p <= pages; p++) {
		if (p != 1 && p != pages && (p < page - 1 || p > page + 1)) {
			if (p == 2 || p == pages - 1)
				json_array_append_new(items, json_pack("{s:b}", "ellipsis", 1));
			continue;
		}
		snprintf(href, sizeof href, "%s%spage=%d", base, sep, p);
		json_array_append_new(items, json_pack("{s:i, s:s, s:b}", "number", p, "href", href, "current", p == page));
	}
	json_object_set_new(o, "items", items);
	if (page > 1) {
		snprintf(href, sizeof href, "%s%spage=%d", base, sep, page - 1);
		json_object_set_new(o, "prev", json_string(href));
	}
	if (page < pages) {
		snprintf(href, sizeof href, "%s%spage=%d", base, sep, page + 1);
		json_object_set_new(o, "next", json_string(href));
	}
	return o;
}

static int page_param(http_request *rq)
{
	const char *v = http_query(rq, "page");
	long p = v ? strtol(v, NULL, 10) : 1;
	return p < 1 ? 1 : p > PAGES_MAX ? PAGES_MAX : (int)p;
}

/* The filters every list here shares: an agency, and a date range (from, to: whole UK days). Errors go into
 * view (a GOV.UK error summary); the store's query gets the UTC instants. */
struct common_filter {
	char agency[STORE_CODE_MAX + 1];
	char from[STORE_TS_LEN + 1], to[STORE_TS_LEN + 1];
	char query[600]; /* the filters again, for the pages' links */
	bool bad;
};

static void dates_filter_read(http_request *rq, struct common_filter *f, json_t *view, json_t *form);

static void common_filter_read(http_request *rq, struct common_filter *f, json_t *view, json_t *form)
{
	const char *agency = http_query(rq, "agency");
	memset(f, 0, sizeof *f);
	if (agency && agency[0]) {
		if (agency_known(agency)) {
			snprintf(f->agency, sizeof f->agency, "%s", agency);
			query_add(f->query, sizeof f->query, "agency", agency);
		} else {
			web_add_error(view, "agency", "agency", "Choose an agency from the list");
			f->bad = true;
		}
	}
	json_object_set_new(form, "agency", json_string(f->agency));
	dates_filter_read(rq, f, view, form);
}

/* The dates from and to (each a day, month and year; to the end of the day to), into f (its query too) */
static void dates_filter_read(http_request *rq, struct common_filter *f, json_t *view, json_t *form)
{
	static const char *const names[] = {"from", "to"};
	struct date days[2];
	int got[2];
	for (int i = 0; i < 2; i++) {
		got[i] = filter_date(rq, names[i], &days[i], form);
		if (got[i] < 0) {
			web_add_error(view, names[i], i ? "to-day" : "from-day",
				      i ? "The date to must be a real date, like 4 12 2026"
					: "The date from must be a real date, like 4 12 2026");
			f->bad = true;
		}
	}
	if (got[0] > 0 && got[1] > 0 && date_cmp(days[0], days[1]) > 0) {
		web_add_error(view, "to", "to-day", "The date to must be the same as or after the date from");
		f->bad = true;
	}
	char k[32], v[16];
	for (int i = 0; i < 2; i++) {
		if (got[i] <= 0)
			continue;
		struct date d0 = days[i];
		if (i == 1) /* to the end of that day */
			d0 = date_from_days(date_to_days(d0) + 1);
		day_start(d0, i ? f->to : f->from);
		static const char *const parts[] = {"day", "month", "year"};
		int vals[3] = {days[i].d, days[i].m, days[i].y};
		for (int p = 0; p < 3; p++) {
			snprintf(k, sizeof k, "%s-%s", names[i], parts[p]);
			snprintf(v, sizeof v, "%d", vals[p]);
			query_add(f->query, sizeof f->query, k, v);
		}
	}
}

static json_t *agency_options(const char *chosen)
{
	json_t *a = json_array();
	for (size_t i = 0; i < sizeof agency_codes / sizeof agency_codes[0]; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "code", agency_codes[i], "name",
						   web_agency_name(agency_codes[i]), "selected",
						   strcmp(chosen, agency_codes[i]) == 0));
	return a;
}

/* A notice's detail in words: "opened until 2026-12-04T14:05:00Z" as "Opened the record until 14:05 on
 * 4 December 2026", the others as they are (they are written in words). */
static json_t *notice_detail(const char *detail)
{
	static const char prefix[] = "opened until ";
	if (strncmp(detail, prefix, sizeof prefix - 1) == 0) {
		char date[DATE_LONG_MAX + 1], hm[8], out[DATE_LONG_MAX + 48];
		web_when_text(detail + sizeof prefix - 1, date, sizeof date, hm, sizeof hm);
		snprintf(out, sizeof out, "Opened the record until %s on %s", hm, date);
		return json_string(out);
	}
	if (strcmp(detail, ACCESS_GLASS_STARTED) == 0)
		return json_string("Asked to open the record; no reason given yet");
	if (!text_utf8_valid(detail, strlen(detail)))
		return json_string("");
	char first[161];
	snprintf(first, sizeof first, "%s", detail);
	if (first[0] >= 'a' && first[0] <= 'z')
		first[0] = (char)(first[0] - 'a' + 'A');
	return json_string(first);
}

/* ---- who has looked ---- */

struct viewers_job {
	struct web_read r; /* first */
	json_t *rows, *glass, *view, *form;
	struct common_filter f;
	char basis[24];
	int page, matched;
};

static void viewers_release(struct web_read *r)
{
	struct viewers_job *j = (struct viewers_job *)r;
	json_decref(j->rows);
	json_decref(j->glass);
	json_decref(j->view);
	json_decref(j->form);
	free(j);
}

static const struct {
	const char *action, *text;
} action_texts[] = {
	{"child.read", "Opened the record"},
	{"chronology.read", "Read the chronology"},
	{"alert.read", "Opened an alert about the child"},
	{"flags.lookup", "Looked up the child's flags (unscheduled care)"},
	{"viewers.read", "Looked at who has looked at the record"},
	{"break_glass.open", "Opened the record in an emergency (break-glass)"},
	{"recordings.list", "Listed the child's recordings"},
	{"recording.download", "Downloaded a recording"},
	{"recording.play", "Played a recording in the page"},
	{"access.refused", "Tried to open the record and was refused"},
	{"placement.record", "Recorded where the child is placed (a children's home)"},
};

static int viewers_row(const struct store_look *l, void *ctx)
{
	struct viewers_job *j = ctx;
	const struct store_audit *e = &l->a;
	const char *basis = access_look_basis(e->action, e->detail);
	if (j->basis[0] && strcmp(basis, j->basis) != 0)
		return 0;
	j->matched++;
	if (j->matched <= (j->page - 1) * PER_PAGE || j->matched > j->page * PER_PAGE)
		return 0;
	char date[DATE_LONG_MAX + 1], hm[8], who[STORE_USER_MAX + 96];
	const char *what = e->action;
	for (size_t i = 0; i < sizeof action_texts / sizeof action_texts[0]; i++)
		if (strcmp(e->action, action_texts[i].action) == 0)
			what = action_texts[i].text;
	web_when_text(e->at, date, sizeof date, hm, sizeof hm);
	who_text(e->actor, l->username, who, sizeof who);
	bool glass = strcmp(e->action, "break_glass.open") == 0;
	const char *bt = basis_text(basis);
	json_t *o = json_pack("{s:s, s:s, s:o, s:s, s:s, s:o, s:s, s:b}", "date", date, "time", hm, "who", web_str(who),
			      "role", l->role[0] ? web_role_name(l->role) : "", "agency",
			      l->agency[0] ? web_agency_name(l->agency) : "Not known", "what", web_str(what), "basis",
			      bt ? bt : "Not recorded", "break_glass", glass);
	long long id = 0;
	if (glass && sscanf(e->detail, "break_glass:%lld", &id) == 1) /* the opening's row holds its reason */
		json_object_set_new(o, "glass_id", json_integer(id));
	return json_array_append_new(j->rows, o) ? STORE_EIO : 0;
}

static int glass_row(const struct store_break_glass *b, void *ctx)
{
	struct viewers_job *j = ctx;
	char date[DATE_LONG_MAX + 1], hm[8], until_date[DATE_LONG_MAX + 1], until_hm[8];
	web_when_text(b->at, date, sizeof date, hm, sizeof hm);
	web_when_text(b->expires_at, until_date, sizeof until_date, until_hm, sizeof until_hm);
	bool ok = text_utf8_valid(b->reason, strlen(b->reason));
	return json_array_append_new(j->glass, json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:o}", "id", (json_int_t)b->id,
							 "date", date, "time", hm, "until_date", until_date,
							 "until_time", until_hm, "who", web_str(b->username),
							 "reason", ok ? web_str(b->reason) : json_string("(not readable)")))
		       ? STORE_EIO
		       : 0;
}

static void viewers_show(struct web_read *r)
{
	struct viewers_job *j = (struct viewers_job *)r;
	struct store_person *child = NULL;
	bool found = false;
	if (!r->access.exists) { /* only the data protection officer gets here for an id with no child, as the API */
		web_message(r->w, r->rq, 404, "Child not found", "There is no child with this reference. Search again.");
		return;
	}
	j->rows = json_array();
	j->glass = json_array();
	int rc = STORE_OK;
	if (!(child = calloc(1, sizeof *child)))
		rc = STORE_EIO;
	if (rc == STORE_OK && !j->f.bad) {
		const struct store_look_query q = {j->f.from, j->f.to, j->f.agency, LOOKS_SCANNED};
		rc = children_looks(r->w->st, &r->access, &q, viewers_row, j, child, &found);
	} else if (rc == STORE_OK) { /* bad filters: the child's name, and no rows (an empty range of instants) */
		const struct store_look_query none = {"9999", "0000", NULL, 1};
		rc = children_looks(r->w->st, &r->access, &none, viewers_row, j, child, &found);
	}
	if (rc == STORE_OK)
		rc = children_break_glass(r->w->st, &r->access, BREAK_GLASS_SHOWN, glass_row, j);
	if (rc != STORE_OK) {
		fprintf(stderr, "safeguard: who has looked could not be read (store error %d)\n", rc);
		free(child);
		web_unavailable(r->w, r->rq);
		return;
	}
	char back[64], name[STORE_NAME_BYTES * 3], base[700];
	web_full_name(child, name, sizeof name);
	free(child);
	snprintf(back, sizeof back, "/children/%lld", (long long)r->access.child_id);
	/* The data protection officer reviews who has looked without reading the record: no link into it. */
	bool dpo = strcmp(web_user(r->rq)->role, "dpo") == 0;
	int pages = j->matched ? (j->matched + PER_PAGE - 1) / PER_PAGE : 1;
	if (pages > PAGES_MAX)
		pages = PAGES_MAX;
	snprintf(base, sizeof base, "/children/%lld/viewers%s", (long long)r->access.child_id, j->f.query);
	json_t *view = j->view;
	j->view = NULL;
	json_t *bases = json_array();
	for (size_t i = 0; i < sizeof basis_texts / sizeof basis_texts[0]; i++)
		json_array_append_new(bases, json_pack("{s:s, s:s, s:b}", "code", basis_texts[i].code, "text",
						       basis_texts[i].text, "selected",
						       strcmp(j->basis, basis_texts[i].code) == 0));
	char count_text[160];
	if (j->f.bad)
		snprintf(count_text, sizeof count_text, "Correct the filters to see the looks.");
	else if (!j->matched)
		snprintf(count_text, sizeof count_text, "%s", j->f.query[0] ? "No looks match the filters." :
			 "No one has looked at this record yet.");
	else
		snprintf(count_text, sizeof count_text, "%d look%s%s, newest first.%s", j->matched,
			 j->matched == 1 ? "" : "s", j->f.query[0] ? " match the filters" : "",
			 j->matched > PER_PAGE ? " Shown 25 a page." : "");
	json_object_set_new(view, "title", json_string("Who has looked at this record"));
	json_object_set_new(view, "child_id", json_integer(r->access.child_id));
	json_object_set_new(view, "child_name", web_str(name));
	json_object_set_new(view, "rows", json_incref(j->rows));
	json_object_set_new(view, "has_rows", json_boolean(json_array_size(j->rows) > 0));
	json_object_set_new(view, "count_text", json_string(count_text));
	json_object_set_new(view, "glass", json_incref(j->glass));
	json_object_set_new(view, "has_glass", json_boolean(json_array_size(j->glass) > 0));
	json_object_set_new(view, "agencies", agency_options(j->f.agency));
	json_object_set_new(view, "bases", bases);
	json_object_set_new(view, "filtered", json_boolean(j->f.query[0] != '\0'));
	json_object_set_new(view, "form", json_incref(j->form));
	if (pages > 1)
		json_object_set_new(view, "pagination", pagination(base, j->page, pages));
	json_object_set_new(view, "back", json_pack("{s:s, s:s}", "href", dpo ? "/dpo" : back, "text",
						    dpo ? "Back to data protection" : "Back to the record"));
	web_render(r->w, r->rq, j->f.bad ? 400 : 200, "viewers", view);
}

/* Refused (children_viewers_read_decided), audited as a refusal: the same page whether or not the child exists */
static void viewers_refusal(struct web_read *r)
{
	web_message(r->w, r->rq, 403, "You cannot see who has looked at this record",
		    "Only the child's allocated worker and the data protection officer see who has looked at a "
		    "child's record.");
}

/* The decision made, just before its entry is queued: a refusal's detail names no basis it does not have. */
static void viewers_hold(struct children_access *a)
{
	if (a->refuse)
		snprintf(a->detail, sizeof a->detail, "viewers page");
	web_read_suspend((struct web_read *)a);
}

void web_viewers_page(const struct web *w, http_request *rq, int64_t child_id)
{
	const struct web_user *u = web_user(rq);
	struct viewers_job *j = calloc(1, sizeof *j);
	if (!j) {
		web_unavailable(w, rq);
		return;
	}
	j->view = json_object();
	j->form = json_object();
	common_filter_read(rq, &j->f, j->view, j->form);
	const char *basis = http_query(rq, "basis");
	if (basis && basis[0]) {
		if (basis_text(basis)) {
			snprintf(j->basis, sizeof j->basis, "%s", basis);
			query_add(j->f.query, sizeof j->f.query, "basis", basis);
		} else {
			web_add_error(j->view, "basis", "basis", "Choose a basis from the list");
			j->f.bad = true;
		}
	}
	j->page = page_param(rq);
	j->r.show = viewers_show;
	j->r.release = viewers_release;
	j->r.refusal = viewers_refusal;
	/* The basis, as every read's entry has one: children_viewers_read_decided lets in these two only. One call
	 * decides and audits (r-ntk32): a refusal writes its one `access.refused` entry before the 403. */
	web_read_prepare(w, rq, &j->r, "viewers.read", ACCESS_NONE,
			 strcmp(u->role, "dpo") == 0 ? "viewers page; data protection officer"
						     : "viewers page; allocated worker");
	j->r.access.hold = viewers_hold;
	if (children_viewers_read_decided(w->st, w->q, child_id, &j->r.access) != STORE_OK) {
		viewers_release(&j->r);
		web_unavailable(w, rq);
	}
}

/* ---- notices to the allocated worker (issue 15) ---- */

#define MY_NOTICES_SHOWN 100

struct my_notices_job {
	struct web_read r; /* first */
	json_t *rows;
};

static void my_notices_release(struct web_read *r)
{
	struct my_notices_job *j = (struct my_notices_job *)r;
	json_decref(j->rows);
	free(j);
}

static int my_notice_row(const struct store_worker_notice *n, void *ctx)
{
	struct my_notices_job *j = ctx;
	char date[DATE_LONG_MAX + 1], hm[8], until_date[DATE_LONG_MAX + 1], until_hm[8], name[STORE_NAME_BYTES * 2 + 8];
	web_when_text(n->at, date, sizeof date, hm, sizeof hm);
	web_short_name(n->given_name, n->family_name, name, sizeof name);
	bool glass = strcmp(n->kind, "break_glass") == 0;
	json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:o, s:o, s:s, s:s, s:b}", "id", (json_int_t)n->id, "child_id",
			      (json_int_t)n->child_id, "date", date, "time", hm, "child_name", web_str(name), "who",
			      web_str(n->who), "role", n->role[0] ? web_role_name(n->role) : "An agency's system",
			      "agency", n->agency[0] ? web_agency_name(n->agency) : "Not known", "break_glass", glass);
	if (glass && n->expires_at[0]) {
		web_when_text(n->expires_at, until_date, sizeof until_date, until_hm, sizeof until_hm);
		json_object_set_new(o, "until", json_pack("{s:s, s:s}", "date", until_date, "time", until_hm));
	}
	if (glass)
		json_object_set_new(o, "reason", text_utf8_valid(n->reason, strlen(n->reason)) ? web_str(n->reason)
										      : json_string("(not readable)"));
	else
		json_object_set_new(o, "detail", text_utf8_valid(n->detail, strlen(n->detail)) ? web_str(n->detail)
										      : json_string(""));
	return json_array_append_new(j->rows, o) ? STORE_EIO : 0;
}

static void my_notices_show(struct web_read *r)
{
	struct my_notices_job *j = (struct my_notices_job *)r;
	j->rows = json_array();
	int rc = access_worker_notices(r->w->st, &r->access, MY_NOTICES_SHOWN, my_notice_row, j);
	if (rc != STORE_OK) {
		fprintf(stderr, "safeguard: the worker's notices could not be read (store error %d)\n", rc);
		web_unavailable(r->w, r->rq);
		return;
	}
	json_t *view = json_pack("{s:s, s:b, s:O, s:b, s:i}", "title", "Notices about your children", "nav_my_notices", 1,
				 "rows", j->rows, "has_rows", json_array_size(j->rows) > 0, "shown", MY_NOTICES_SHOWN);
	web_render(r->w, r->rq, 200, "my_notices", view);
}

void web_my_notices_page(const struct web *w, http_request *rq)
{
	struct my_notices_job *j = calloc(1, sizeof *j);
	if (!j) {
		web_unavailable(w, rq);
		return;
	}
	j->r.show = my_notices_show;
	j->r.release = my_notices_release;
	web_read_start(w, rq, &j->r, "worker_notices.read", 0, "notices to the allocated worker");
}

/* ---- the data protection officer's home (issue 15) ---- */

#define DPO_NOTICES_SHOWN 10

struct dpo_job {
	struct web_read r; /* first */
	json_t *notices, *openings, *view, *form;
	struct common_filter f;
	char person[STORE_USER_MAX + 1];
	int page, matched;
};

static void dpo_release(struct web_read *r)
{
	struct dpo_job *j = (struct dpo_job *)r;
	json_decref(j->notices);
	json_decref(j->openings);
	json_decref(j->view);
	json_decref(j->form);
	free(j);
}

static int dpo_notice_row(const struct store_notice *n, void *ctx)
{
	struct dpo_job *j = ctx;
	char date[DATE_LONG_MAX + 1], hm[8];
	web_when_text(n->at, date, sizeof date, hm, sizeof hm);
	return json_array_append_new(j->notices, json_pack("{s:s, s:s, s:o, s:o, s:I, s:b, s:b}", "date", date, "time",
							   hm, "who", web_str(n->username), "detail", notice_detail(n->detail),
							   "child_id", (json_int_t)n->child_id, "opened",
							   n->break_glass_id != 0, "misuse",
							   strcmp(n->kind, "break_glass_misuse") == 0))
		       ? STORE_EIO
		       : 0;
}

/* One break-glass opening as the DPO's and health's lists show it; NULL when out of memory. */
static json_t *opening_json(const struct store_break_glass *b)
{
	char date[DATE_LONG_MAX + 1], hm[8], until_date[DATE_LONG_MAX + 1], until_hm[8], name[STORE_NAME_BYTES * 2 + 8];
	web_when_text(b->at, date, sizeof date, hm, sizeof hm);
	web_when_text(b->expires_at, until_date, sizeof until_date, until_hm, sizeof until_hm);
	web_short_name(b->given_name, b->family_name, name, sizeof name);
	return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:o, s:s, s:o}", "id", (json_int_t)b->id, "child_id",
			 (json_int_t)b->child_id, "date", date, "time", hm, "until_date", until_date, "until_time",
			 until_hm, "who", web_str(b->username), "role", b->role[0] ? web_role_name(b->role) : "",
			 "child_name", web_str(name));
}

/* The opening on its page (PER_PAGE a page) with one more field of its list: appended, or STORE_EIO. */
static int opening_on_page(json_t *list, int page, int matched, const struct store_break_glass *b, const char *key,
			   json_t *value)
{
	if (matched <= (page - 1) * PER_PAGE || matched > page * PER_PAGE) {
		json_decref(value);
		return 0;
	}
	json_t *o = opening_json(b);
	if (!o || !value || json_object_set_new(o, key, value) != 0) {
		if (!o)
			json_decref(value);
		json_decref(o);
		return STORE_EIO;
	}
	return json_array_append_new(list, o) ? STORE_EIO : 0;
}

static int opening_row(const struct store_break_glass *b, void *ctx)
{
	struct dpo_job *j = ctx;
	return opening_on_page(j->openings, j->page, ++j->matched, b, "agency",
			       json_string(b->agency[0] ? web_agency_name(b->agency) : "Not known"));
}

/* The lists of openings' (the DPO's, health's) pages and their count's text, from the filters and the matches;
 * base is the path with the filters, for the pagination's links. Returns how many pages. */
static int openings_parts(const struct common_filter *f, int matched, const char *path, const char *none,
			  char base[700], char count_text[160])
{
	int pages = matched ? (matched + PER_PAGE - 1) / PER_PAGE : 1;
	if (pages > PAGES_MAX)
		pages = PAGES_MAX;
	snprintf(base, 700, "%s%s", path, f->query);
	if (f->bad)
		snprintf(count_text, 160, "Correct the filters to see the openings.");
	else if (!matched)
		snprintf(count_text, 160, "%s", f->query[0] ? "No openings match the filters." : none);
	else
		snprintf(count_text, 160, "%d opening%s%s, newest first.%s", matched, matched == 1 ? "" : "s",
			 f->query[0] ? " match the filters" : "", matched > PER_PAGE ? " Shown 25 a page." : "");
	return pages;
}

static void dpo_show(struct web_read *r)
{
	struct dpo_job *j = (struct dpo_job *)r;
	j->notices = json_array();
	j->openings = json_array();
	int rc = access_notices(r->w->st, &r->access, DPO_NOTICES_SHOWN, dpo_notice_row, j);
	if (rc == STORE_OK && !j->f.bad) {
		const struct store_glass_query q = {j->person, j->f.agency, j->f.from, j->f.to, LOOKS_SCANNED};
		rc = access_glass_openings(r->w->st, &r->access, &q, opening_row, j);
	}
	if (rc != STORE_OK) {
		fprintf(stderr, "safeguard: the DPO's page could not be read (store error %d)\n", rc);
		web_unavailable(r->w, r->rq);
		return;
	}
	char base[700], count_text[160];
	int pages = openings_parts(&j->f, j->matched, "/dpo", "No one has opened a record in an emergency.", base,
				   count_text);
	json_t *view = j->view;
	j->view = NULL;
	json_object_set_new(view, "title", json_string("Data protection"));
	json_object_set_new(view, "nav_dpo", json_true());
	json_object_set_new(view, "notices", json_incref(j->notices));
	json_object_set_new(view, "has_notices", json_boolean(json_array_size(j->notices) > 0));
	json_object_set_new(view, "openings", json_incref(j->openings));
	json_object_set_new(view, "has_openings", json_boolean(json_array_size(j->openings) > 0));
	json_object_set_new(view, "count_text", json_string(count_text));
	json_object_set_new(view, "agencies", agency_options(j->f.agency));
	json_object_set_new(view, "filtered", json_boolean(j->f.query[0] != '\0'));
	json_object_set_new(view, "form", json_incref(j->form));
	json_object_set_new(view, "notices_shown", json_integer(DPO_NOTICES_SHOWN));
	if (pages > 1)
		json_object_set_new(view, "pagination", pagination(base, j->page, pages));
	web_render(r->w, r->rq, j->f.bad ? 400 : 200, "dpo", view);
}

/* The person filter (a username, or part of it) of the lists of openings, into person and f's query */
static void person_filter_read(http_request *rq, char person_out[STORE_USER_MAX + 1], struct common_filter *f,
			       json_t *view, json_t *form)
{
	const char *person = http_query(rq, "person");
	person_out[0] = '\0';
	if (person && person[0]) {
		if (strlen(person) <= STORE_USER_MAX && web_text_ok(person, STORE_USER_MAX, false)) {
			snprintf(person_out, STORE_USER_MAX + 1, "%s", person);
			query_add(f->query, sizeof f->query, "person", person);
		} else {
			web_add_error(view, "person", "person", "The person's username must be 64 characters or fewer");
			f->bad = true;
		}
	}
	json_object_set_new(form, "person", json_string(person_out));
}

void web_dpo_page(const struct web *w, http_request *rq)
{
	struct dpo_job *j = calloc(1, sizeof *j);
	if (!j) {
		web_unavailable(w, rq);
		return;
	}
	j->view = json_object();
	j->form = json_object();
	common_filter_read(rq, &j->f, j->view, j->form);
	person_filter_read(rq, j->person, &j->f, j->view, j->form);
	j->page = page_param(rq);
	j->r.show = dpo_show;
	j->r.release = dpo_release;
	web_read_start(w, rq, &j->r, "dpo.read", 0, "data protection home; emergency openings");
}

/* ---- health's own emergency openings, for health's safeguarding lead (r-ntk27) ---- */

struct health_glass_job {
	struct web_read r; /* first */
	json_t *openings, *view, *form;
	struct common_filter f; /* its agency unused: the list is health's */
	char person[STORE_USER_MAX + 1];
	int page, matched;
};

static void health_glass_release(struct web_read *r)
{
	struct health_glass_job *j = (struct health_glass_job *)r;
	json_decref(j->openings);
	json_decref(j->view);
	json_decref(j->form);
	free(j);
}

static int health_opening_row(const struct store_break_glass *b, void *ctx)
{
	struct health_glass_job *j = ctx;
	return opening_on_page(j->openings, j->page, ++j->matched, b, "reason", web_str(b->reason));
}

/* Anyone but the lead (a health practitioner of the role, not the lead): refused, audited as a refusal. */
static void health_glass_refusal(struct web_read *r)
{
	web_message_link(r->w, r->rq, 403, "Health's emergency openings are for its safeguarding lead",
			 "This list is for health's named safeguarding lead (the manager of the team "
			 "health_safeguarding). Ask your administrator who that is.",
			 "/", "Go to the start page");
}

static void health_glass_show(struct web_read *r)
{
	struct health_glass_job *j = (struct health_glass_job *)r;
	j->openings = json_array();
	int rc = STORE_OK;
	if (!j->f.bad) { /* the same filters as the DPO's list (r-mash29), the agency health's */
		const struct store_glass_query q = {j->person, NULL, j->f.from, j->f.to, LOOKS_SCANNED};
		rc = access_health_openings(r->w->st, &r->access, &q, health_opening_row, j);
	}
	if (rc == CHILDREN_ENOAUDIT) { /* no longer the lead since the entry */
		health_glass_refusal(r);
		return;
	}
	if (rc != STORE_OK) {
		fprintf(stderr, "safeguard: health's openings could not be read (store error %d)\n", rc);
		web_unavailable(r->w, r->rq);
		return;
	}
	char base[700], count_text[160];
	int pages = openings_parts(&j->f, j->matched, "/health/break-glass",
				   "No one in health has opened a record in an emergency.", base, count_text);
	json_t *view = j->view;
	j->view = NULL;
	json_object_set_new(view, "title", json_string("Health's emergency openings"));
	json_object_set_new(view, "nav_health_glass", json_true());
	json_object_set_new(view, "openings", json_incref(j->openings));
	json_object_set_new(view, "has_openings", json_boolean(json_array_size(j->openings) > 0));
	json_object_set_new(view, "count_text", json_string(count_text));
	json_object_set_new(view, "filtered", json_boolean(j->f.query[0] != '\0' || j->f.bad));
	json_object_set_new(view, "form", json_incref(j->form));
	if (pages > 1)
		json_object_set_new(view, "pagination", pagination(base, j->page, pages));
	web_render(r->w, r->rq, j->f.bad ? 400 : 200, "health_glass", view);
}

void web_health_glass_page(const struct web *w, http_request *rq)
{
	struct health_glass_job *j = calloc(1, sizeof *j);
	struct access_reader reader;
	bool lead = false;
	if (!j) {
		web_unavailable(w, rq);
		return;
	}
	const struct web_user *u = web_user(rq);
	access_reader_person(&reader, u->user_id, u->username, u->agency, u->role);
	if (access_health_lead(w->st, &reader, &lead) != STORE_OK) {
		free(j);
		web_unavailable(w, rq);
		return;
	}
	if (!lead) { /* a refused read is audited as one (r-ntk27) */
		j->r.access.refuse = true;
		snprintf(j->r.access.object, sizeof j->r.access.object, "health_glass");
	}
	j->view = json_object();
	j->form = json_object();
	dates_filter_read(rq, &j->f, j->view, j->form);
	person_filter_read(rq, j->person, &j->f, j->view, j->form);
	j->page = page_param(rq);
	j->r.show = health_glass_show;
	j->r.release = health_glass_release;
	j->r.refusal = health_glass_refusal;
	web_read_start(w, rq, &j->r, "health_glass.read", 0, "health's emergency openings");
}

/* ---- the data protection officer's notices (issue 14) ---- */

#define NOTICES_SHOWN 200 /* as the API's list */

struct notices_job {
	struct web_read r; /* first */
	json_t *rows;
};

static void notices_release(struct web_read *r)
{
	struct notices_job *j = (struct notices_job *)r;
	json_decref(j->rows);
	free(j);
}

static int notice_row(const struct store_notice *n, void *ctx)
{
	struct notices_job *j = ctx;
	char date[DATE_LONG_MAX + 1], hm[8];
	web_when_text(n->at, date, sizeof date, hm, sizeof hm);
	return json_array_append_new(j->rows, json_pack("{s:s, s:s, s:o, s:o, s:I, s:b, s:b}", "date", date, "time", hm,
							"who", web_str(n->username), "detail", notice_detail(n->detail),
							"child_id", (json_int_t)n->child_id, "opened",
							n->break_glass_id != 0, "misuse",
							strcmp(n->kind, "break_glass_misuse") == 0))
		       ? STORE_EIO
		       : 0;
}

static void notices_show(struct web_read *r)
{
	struct notices_job *j = (struct notices_job *)r;
	j->rows = json_array();
	int rc = access_notices(r->w->st, &r->access, NOTICES_SHOWN, notice_row, j);
	if (rc != STORE_OK) {
		fprintf(stderr, "safeguard: the notices could not be read (store error %d)\n", rc);
		web_unavailable(r->w, r->rq);
		return;
	}
	json_t *view = json_pack("{s:s, s:b, s:O, s:b, s:i, s:i}", "title", "Break-glass notices", "nav_notices", 1,
				 "rows", j->rows, "has_rows", json_array_size(j->rows) > 0, "shown", NOTICES_SHOWN,
				 "per_day", access_break_glass_per_day());
	web_render(r->w, r->rq, 200, "notices", view);
}

void web_notices_page(const struct web *w, http_request *rq)
{
	struct notices_job *j = calloc(1, sizeof *j);
	if (!j) {
		web_unavailable(w, rq);
		return;
	}
	j->r.show = notices_show;
	j->r.release = notices_release;
	web_read_start(w, rq, &j->r, "notices.read", 0, "break-glass notices; data protection officer");
}
