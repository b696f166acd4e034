/*
 * web/mash_pages.c — the MASH queue (GET /mash): contacts and referrals awaiting a decision, most overdue
 * first, in pages of 25 with filters (awaiting or decided, agency, how old, the child's name); one item
 * (GET /mash/{id}) with the decision form; and the decision (POST /mash/{id}/decision) with its reason.
 * What a decision means and what it starts is service/mash.h's; this file only asks and shows.
 */
#include "web/web_int.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock/now.h"
#include "core/date.h"
#include "core/event.h"
#include "http/server.h"
#include "lib/buf.h"
#include "service/mash.h"
#include "service/txq.h"

#define NAME_QUERY_MAX 100 /* characters of the name filter */
#define REASON_BYTES (4 * MASH_REASON_MAX + 8)

static const struct {
	const char *code, *text;
	enum mash_age age;
} ages[] = {
	{"", "Any age", MASH_AGE_ANY},
	{"overdue", "Decision overdue", MASH_AGE_OVERDUE},
	{"not-overdue", "Due today or later", MASH_AGE_NOT_OVERDUE},
	{"old", "Received over 4 weeks ago", MASH_AGE_OLD},
};

#define BAD_AFTER "The link to the next page (after) is not one the MASH queue made. Go to the first page"
#define BAD_BEFORE "The link to the previous page (before) is not one the MASH queue made. Go to the first page"

/* A decision the reader may not see (service/mash.c asks access.c): the contact was answered, so it is not
 * theirs to decide again; what, who, when and why are the decision's, not the contact's. */
#define WITHHELD_TEXT "A decision was recorded that you may not see"

static const char *outcome_label(const char *code)
{
	const struct mash_outcome *o = mash_outcome_find(code);
	return o ? o->label : "Decision recorded";
}

/* "4 December 2026" and "14:05" for an item's instant, and its decision's due date against today. */
static json_t *when_json(const char *ts, struct date today, bool with_due)
{
	char date[DATE_LONG_MAX + 16] = "", hm[16] = "", due[DATE_LONG_MAX + 1] = "";
	int64_t t;
	bool overdue = false, due_today = false;
	web_when_text(ts, date, sizeof date, hm, sizeof hm);
	if (with_due && ts_parse_rfc3339(ts, &t) == DATE_OK) {
		struct date d = mash_due(ts_utc_date(ts_uk_local(t)));
		date_format_long(d, due);
		overdue = date_cmp(d, today) < 0;
		due_today = date_cmp(d, today) == 0;
	}
	return json_pack("{s:s, s:s, s:s, s:b, s:b}", "date", date, "time", hm, "due", due, "overdue", overdue,
			 "due_today", due_today);
}

/* ---- the queue ---- */

struct queue_job {
	struct web_read r;
	struct mash_filter f;
	char status[16], agency[STORE_CODE_MAX + 1], age[16], name[4 * NAME_QUERY_MAX + 8];
	json_t *rows, *errors_view;
	struct date today;
	char key_at[21];
	/* the page's first and last rows: the keys its links to the pages before and after carry */
	char first_at[STORE_TS_LEN + 1], last_at[STORE_TS_LEN + 1];
	int64_t first_id, last_id;
};

static void queue_release(struct web_read *r)
{
	struct queue_job *j = (struct queue_job *)r;
	json_decref(j->rows);
	json_decref(j->errors_view);
	free(j);
}

static int queue_row(const struct store_mash_item *m, void *ctx)
{
	struct queue_job *j = ctx;
	char name[2 * STORE_NAME_BYTES + 24], decided[DATE_LONG_MAX + 16] = "", hm[16];
	if (!j->first_id) {
		snprintf(j->first_at, sizeof j->first_at, "%s", m->event.occurred_at);
		j->first_id = m->event.id;
	}
	snprintf(j->last_at, sizeof j->last_at, "%s", m->event.occurred_at);
	j->last_id = m->event.id;
	web_short_name(m->given_name, m->family_name, name, sizeof name);
	const struct event_kind *k = event_kind_find(m->event.kind);
	json_t *row = json_pack("{s:I, s:I, s:o, s:o, s:o, s:o, s:b}", "child_id", (json_int_t)m->event.person_id,
				"event_id", (json_int_t)m->event.id, "child", web_str(name), "kind",
				web_str(k ? k->label : m->event.kind), "agency", web_str(web_agency_name(m->event.agency)),
				"when", when_json(m->event.occurred_at, j->today, !m->decision_id), "decided",
				m->decision_id != 0);
	if (m->decision_withheld) {
		json_object_set_new(row, "decision", json_string(WITHHELD_TEXT));
		json_object_set_new(row, "withheld", json_true());
	} else if (m->decision_id) {
		web_when_text(m->decided_at, decided, sizeof decided, hm, sizeof hm);
		json_object_set_new(row, "decision", web_str(outcome_label(m->outcome)));
		json_object_set_new(row, "decided_on", json_string(decided));
		json_object_set_new(row, "decided_by", web_str(m->decided_by[0] ? m->decided_by : "not recorded"));
	}
	json_array_append_new(j->rows, row);
	return 0;
}

/* How a link reaches its page: by number (the first page), after the row (at, id) shown last, before the row
 * shown first, or the last page. */
enum page_by { BY_NUMBER, BY_AFTER, BY_BEFORE, BY_LAST };

/* The queue's address with its filters and a page (0: none). Pages past the first are reached by the row they
 * continue from (service/mash.h: a far page costs what the first costs), with their number for the heading. */
static void queue_href(const struct queue_job *j, int page, enum page_by by, const char *at, int64_t id, char *out,
		       size_t outsz)
{
	struct buf b;
	buf_init(&b, 1024);
	buf_puts(&b, "/mash?status=");
	buf_puts(&b, j->f.decided ? "decided" : "awaiting");
	if (j->agency[0]) {
		buf_puts(&b, "&agency=");
		buf_puts(&b, j->agency); /* a code from our table */
	}
	if (j->age[0]) {
		buf_puts(&b, "&age=");
		buf_puts(&b, j->age);
	}
	if (j->name[0]) {
		buf_puts(&b, "&name=");
		for (const unsigned char *c = (const unsigned char *)j->name; *c; c++) {
			if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
			    strchr("-_.~", *c))
				buf_append(&b, (const char *)c, 1);
			else
				buf_printf(&b, "%%%02X", *c);
		}
	}
	if (by == BY_LAST) {
		buf_puts(&b, "&last=1");
	} else if (page > 1) {
		buf_printf(&b, "&page=%d", page);
		char key[EVENT_CURSOR_MAX], key_at[21];
		int64_t key_id;
		/* digits, '-', ':', 'T', 'Z', '_': nothing to escape. A row whose time is not in the form intake writes
		 * (the key would be refused) is reached by its number instead. */
		if (by != BY_NUMBER && at) {
			event_cursor_format(at, id, key);
			if (event_cursor_parse(key, key_at, &key_id))
				buf_printf(&b, "&%s=%s", by == BY_AFTER ? "after" : "before", key);
		}
	}
	snprintf(out, outsz, "%s", b.failed || !b.data ? "/mash" : b.data);
	buf_free(&b);
}

/* GOV.UK pagination: previous, the first page, the pages either side of this one, the last when the count
 * knows it, next. The links carry the row they continue from, so numbers are shown only for pages one link
 * away (and the first and last, read from the list's ends); with more items than were counted the last page
 * is not known: an ellipsis after the next one. */
static json_t *pagination(const struct queue_job *j, const struct mash_page *pg, bool more)
{
	int cur = pg->page, pages = more ? 0 : (int)((pg->total + MASH_PAGE_SIZE - 1) / MASH_PAGE_SIZE);
	bool next = pg->next && j->last_id;
	char href[1200];
	if (cur <= 1 && !next)
		return json_null();
	json_t *items = json_array(), *p = json_object();
	/* the first, the one before, this, the one after, the last */
	int nums[5] = {1, cur - 1, cur, next ? cur + 1 : 0, pages > cur + 1 ? pages : 0}, last_shown = 0;
	for (int k = 0; k < 5; k++) {
		int i = nums[k];
		if (i < 1 || i <= last_shown)
			continue;
		if (last_shown && i > last_shown + 1)
			json_array_append_new(items, json_pack("{s:b}", "ellipsis", 1));
		if (i == 1)
			queue_href(j, 1, BY_NUMBER, NULL, 0, href, sizeof href);
		else if (i == cur - 1)
			queue_href(j, i, BY_BEFORE, j->first_at, j->first_id, href, sizeof href);
		else if (i == cur + 1)
			queue_href(j, i, BY_AFTER, j->last_at, j->last_id, href, sizeof href);
		else if (i == pages && i != cur)
			queue_href(j, i, BY_LAST, NULL, 0, href, sizeof href);
		else if (j->f.last) /* this page, by the way it was reached */
			queue_href(j, i, BY_LAST, NULL, 0, href, sizeof href);
		else if (j->f.key_at && i > 1)
			queue_href(j, i, j->f.before ? BY_BEFORE : BY_AFTER, j->f.key_at, j->f.key_id, href, sizeof href);
		else
			queue_href(j, i, BY_NUMBER, NULL, 0, href, sizeof href);
		json_array_append_new(items, json_pack("{s:i, s:s, s:b}", "number", i, "href", href, "current", i == cur));
		last_shown = i;
	}
	if (more && next)
		json_array_append_new(items, json_pack("{s:b}", "ellipsis", 1));
	json_object_set_new(p, "items", items);
	if (cur > 1) {
		if (cur - 1 == 1 || !j->first_id)
			queue_href(j, 1, BY_NUMBER, NULL, 0, href, sizeof href);
		else
			queue_href(j, cur - 1, BY_BEFORE, j->first_at, j->first_id, href, sizeof href);
		json_object_set_new(p, "previous", json_string(href));
	}
	if (next) {
		queue_href(j, cur + 1, BY_AFTER, j->last_at, j->last_id, href, sizeof href);
		json_object_set_new(p, "next", json_string(href));
	}
	return p;
}

static void queue_show(struct web_read *r)
{
	struct queue_job *j = (struct queue_job *)r;
	struct mash_page pg = {.page = 1, .bound = MASH_COUNT_MAX};
	json_t *view = j->errors_view ? j->errors_view : json_object();
	j->errors_view = NULL;
	bool bad = json_object_get(view, "errors") != NULL;
	if (!bad) {
		int rc = mash_queue(r->w->st, &r->access, &j->f, j->today, queue_row, j, &pg);
		if (rc != STORE_OK) {
			json_decref(view);
			fprintf(stderr, "safeguard: the MASH queue could not be read (error %d)\n", rc);
			web_unavailable(r->w, r->rq);
			return;
		}
	}
	bool filtered = j->agency[0] || j->age[0] || j->name[0];
	int64_t total = pg.total, bound = pg.bound; /* counted no further (service/mash.h) */
	bool more = total > bound;
	char heading[160], shown[160] = "";
	const char *what = j->f.decided ? (total == 1 ? "has been decided" : "have been decided")
					 : (total == 1 ? "awaits a decision" : "await a decision");
	if (more)
		snprintf(heading, sizeof heading, "More than %lld contacts and referrals %s%s", (long long)bound,
			 filtered ? "matching your filters " : "", what);
	else if (total == 1)
		snprintf(heading, sizeof heading, "1 contact or referral %s%s", filtered ? "matching your filters " : "",
			 what);
	else
		snprintf(heading, sizeof heading, "%lld contacts and referrals %s%s", (long long)total,
			 filtered ? "matching your filters " : "", what);
	size_t rows = json_array_size(j->rows);
	const char *order = j->f.decided ? "most recently received first" : "most overdue first";
	int64_t first = (int64_t)(pg.page - 1) * MASH_PAGE_SIZE + 1, last_row = first + (int64_t)rows - 1;
	if (rows && more && last_row > bound) /* a page past the count: its place, not a total */
		snprintf(shown, sizeof shown, "Showing %lld to %lld of more than %lld, %s.", (long long)first,
			 (long long)last_row, (long long)(pg.next ? last_row : bound), order);
	else if (rows && (pg.page > 1 || pg.next || (int64_t)rows < total))
		snprintf(shown, sizeof shown, "Showing %lld to %lld of %s%lld, %s.", (long long)first, (long long)last_row,
			 more ? "more than " : "", (long long)(more ? bound : total), order);
	else if (!rows && total > 0)
		snprintf(shown, sizeof shown, "There is no page %d. Go back to the first page.", pg.page);
	json_t *agencies = json_array(), *age_opts = json_array();
	const struct agency_kind *a;
	json_array_append_new(agencies, json_pack("{s:s, s:s, s:b}", "value", "", "text", "All agencies", "selected",
						  !j->agency[0]));
	for (size_t i = 0; (a = agency_builtin_at(i)) != NULL; i++)
		json_array_append_new(agencies, json_pack("{s:s, s:s, s:b}", "value", a->code, "text", a->name,
							  "selected", strcmp(a->code, j->agency) == 0));
	for (size_t i = 0; i < sizeof ages / sizeof ages[0]; i++)
		json_array_append_new(age_opts, json_pack("{s:s, s:s, s:b}", "value", ages[i].code, "text", ages[i].text,
							  "selected", strcmp(ages[i].code, j->age) == 0));
	char first_href[1200];
	queue_href(j, 0, BY_NUMBER, NULL, 0, first_href, sizeof first_href);
	json_object_update_new(
		view, json_pack("{s:s, s:b, s:s, s:s, s:b, s:O, s:b, s:b, s:o, s:o, s:o, s:o, s:s}", "title",
				j->f.decided ? "MASH queue: decided" : "MASH queue", "nav_mash", 1, "results_heading",
				heading, "shown_text", shown, "has_rows", rows > 0, "rows", j->rows, "awaiting",
				!j->f.decided, "decided", j->f.decided, "agencies", agencies, "ages", age_opts, "name",
				web_str(j->name), "pagination", pagination(j, &pg, more), "first_href", first_href));
	/* After a decision: what was decided and the clock it started (service/mash.h). */
	const char *done = http_query(r->rq, "done"), *due = http_query(r->rq, "due");
	const struct mash_outcome *o = done ? mash_outcome_find(done) : NULL;
	if (o) {
		char text[300], dd[DATE_LONG_MAX + 1] = "";
		struct date d;
		if (due && date_parse_iso(due, &d) == DATE_OK)
			date_format_long(d, dd);
		if (dd[0] && o->clock && strcmp(o->clock, "strategy") == 0)
			snprintf(text, sizeof text, "Decision recorded: %s. The strategy discussion is due by %s.", o->label, dd);
		else if (dd[0] && o->clock)
			snprintf(text, sizeof text, "Decision recorded: %s. The assessment is due by %s.", o->label, dd);
		else
			snprintf(text, sizeof text, "Decision recorded: %s.", o->label);
		json_object_set_new(view, "done_text", json_string(text));
	}
	web_render(r->w, r->rq, bad ? 400 : 200, "mash", view);
}

void web_mash_page(const struct web *w, http_request *rq)
{
	struct queue_job *j = calloc(1, sizeof *j);
	if (!j) {
		web_unavailable(w, rq);
		return;
	}
	const char *status = http_query(rq, "status"), *agency = http_query(rq, "agency"), *age = http_query(rq, "age"),
		   *name = http_query(rq, "name"), *page = http_query(rq, "page"), *after = http_query(rq, "after"),
		   *before = http_query(rq, "before"), *last = http_query(rq, "last");
	json_t *view = json_object();
	j->f.page = 1;
	if (status && status[0] && strcmp(status, "awaiting") != 0 && strcmp(status, "decided") != 0)
		web_add_error(view, "status", "status", "Choose awaiting a decision or decided");
	j->f.decided = status && strcmp(status, "decided") == 0;
	if (agency && agency[0]) {
		if (!web_agency_find(agency))
			web_add_error(view, "agency", "agency", "Choose an agency from the list");
		else
			snprintf(j->agency, sizeof j->agency, "%s", agency);
	}
	if (age && age[0]) {
		size_t i;
		for (i = 1; i < sizeof ages / sizeof ages[0] && strcmp(ages[i].code, age) != 0; i++)
			;
		if (i == sizeof ages / sizeof ages[0]) {
			web_add_error(view, "age", "age", "Choose how old from the list");
		} else {
			snprintf(j->age, sizeof j->age, "%s", ages[i].code);
			j->f.age = ages[i].age;
		}
	}
	if (name && name[0]) {
		if (!web_text_ok(name, NAME_QUERY_MAX, false))
			web_add_error(view, "name", "name", "The name must be 100 characters or fewer");
		else { /* trimmed of white space around it */
			while (*name == ' ' || *name == '\t')
				name++;
			size_t n = strlen(name);
			while (n && (name[n - 1] == ' ' || name[n - 1] == '\t'))
				n--;
			snprintf(j->name, sizeof j->name, "%.*s", (int)(n < sizeof j->name ? n : sizeof j->name - 1), name);
		}
	}
	if (page && page[0]) {
		char *end = NULL;
		long n = strtol(page, &end, 10);
		if (!end || *end || n < 1 || n > 100000)
			web_add_error(view, "page", "results", "The page must be a whole number from 1");
		else
			j->f.page = (int)n;
	}
	/* The links' keys (pagination): the row a page continues from, as this page wrote it. One that is not
	 * (an edited or truncated address) is refused, naming it, rather than guessed at. */
	if (after && before) {
		web_add_error(view, "before", "results", "Follow a link to the next page (after) or the previous page "
							   "(before), not both");
	} else if ((after && after[0]) || (before && before[0])) {
		const char *key = after && after[0] ? after : before;
		if (!event_cursor_parse(key, j->key_at, &j->f.key_id) || j->f.key_id < 1) {
			web_add_error(view, key == after ? "after" : "before", "results", key == after ? BAD_AFTER : BAD_BEFORE);
		} else {
			j->f.key_at = j->key_at;
			j->f.before = key == before;
		}
	} else if (after || before) {
		web_add_error(view, after ? "after" : "before", "results", after ? BAD_AFTER : BAD_BEFORE);
	}
	if (last && strcmp(last, "1") != 0)
		web_add_error(view, "last", "results", "The link to the last page (last) is not one the MASH queue made. "
						      "Go to the first page");
	else if (last && (j->f.key_at || (page && page[0])))
		web_add_error(view, "last", "results", "Follow a link to the last page (last) or to a numbered page, not "
						      "both");
	else
		j->f.last = last != NULL;
	if (j->name[0])
		j->f.name = j->name;
	if (j->agency[0])
		j->f.agency = j->agency;
	if (json_object_get(view, "errors"))
		j->errors_view = view;
	else
		json_decref(view);
	j->rows = json_array();
	j->today = web_today();
	j->r.show = queue_show;
	j->r.release = queue_release;
	web_read_start(w, rq, &j->r, "mash.read", 0, j->f.decided ? "MASH queue, decided" : "MASH queue");
}

/* ---- one item ---- */

struct item_job {
	struct web_read r;
	int64_t event_id;
	json_t *form, *errors_view; /* a decision to show again, with its problems; or NULL */
	json_t *item;
	struct date today;
};

static void item_release(struct web_read *r)
{
	struct item_job *j = (struct item_job *)r;
	json_decref(j->form);
	json_decref(j->errors_view);
	json_decref(j->item);
	free(j);
}

static int item_row(const struct store_mash_item *m, void *ctx)
{
	struct item_job *j = ctx;
	char name[2 * STORE_NAME_BYTES + 24], dob[DATE_LONG_MAX + 24], decided[DATE_LONG_MAX + 16] = "", hm[16];
	web_short_name(m->given_name, m->family_name, name, sizeof name);
	web_dob_text(m->dob, true, dob, sizeof dob);
	const struct event_kind *k = event_kind_find(m->event.kind);
	j->item = json_pack("{s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:b}", "child_id",
			    (json_int_t)m->event.person_id, "event_id", (json_int_t)m->event.id, "child", web_str(name),
			    "dob", web_str(dob[0] ? dob : "Not known"), "kind", web_str(k ? k->label : m->event.kind),
			    "agency", web_str(web_agency_name(m->event.agency)), "when",
			    when_json(m->event.occurred_at, j->today, !m->decision_id), "summary",
			    web_str(m->event.summary[0] ? m->event.summary : "No summary was sent."), "decided",
			    m->decision_id != 0);
	if (m->decision_withheld) {
		json_object_set_new(j->item, "decision", json_string(WITHHELD_TEXT));
		json_object_set_new(j->item, "withheld", json_true());
	} else if (m->decision_id) {
		web_when_text(m->decided_at, decided, sizeof decided, hm, sizeof hm);
		json_object_set_new(j->item, "decision", web_str(outcome_label(m->outcome)));
		json_object_set_new(j->item, "decided_on", json_string(decided));
		json_object_set_new(j->item, "decided_by", web_str(m->decided_by[0] ? m->decided_by : "not recorded"));
		json_object_set_new(j->item, "reason", web_str(m->reason));
	}
	return 0;
}

static void item_show(struct web_read *r)
{
	struct item_job *j = (struct item_job *)r;
	int rc = mash_item(r->w->st, &r->access, j->event_id, item_row, j);
	if (rc != STORE_OK) {
		fprintf(stderr, "safeguard: a MASH item could not be read (error %d)\n", rc);
		web_unavailable(r->w, r->rq);
		return;
	}
	if (!j->item) {
		web_message_link(r->w, r->rq, 404, "Contact or referral not found",
				 "There is no contact or referral with this reference in the MASH queue.", "/mash",
				 "Go to the MASH queue");
		return;
	}
	json_t *form = j->form ? j->form : json_object(), *view = j->errors_view ? j->errors_view : json_object();
	j->form = j->errors_view = NULL;
	const char *chosen = json_string_value(json_object_get(form, "outcome"));
	json_t *outcomes = json_array();
	const struct mash_outcome *o;
	for (size_t i = 0; (o = mash_outcome_at(i)) != NULL; i++)
		json_array_append_new(outcomes,
				      json_pack("{s:s, s:s, s:s, s:s, s:b}", "id", i ? o->code : "outcome", "value", o->code,
						"text", o->label, "hint", o->hint, "checked",
						chosen && strcmp(chosen, o->code) == 0));
	/* The title names no child: it stays in the browser's history and tabs. */
	json_object_update_new(view, json_pack("{s:s, s:b, s:O, s:o, s:o, s:i, s:{s:s, s:s}}", "title", "MASH decision",
					       "nav_mash", 1, "item", j->item, "outcomes", outcomes, "form", form,
					       "reason_max", MASH_REASON_MAX, "back", "href", "/mash", "text",
					       "Back to the MASH queue"));
	web_render(r->w, r->rq, json_object_get(view, "has_errors") ? 400 : 200, "mash_item", view);
}

static void item_not_found(struct web_read *r)
{
	web_message_link(r->w, r->rq, 404, "Contact or referral not found",
			 "There is no contact or referral with this reference in the MASH queue.", "/mash",
			 "Go to the MASH queue");
}

static void item_page(const struct web *w, http_request *rq, int64_t event_id, json_t *form, json_t *errors_view)
{
	int64_t child_id = 0;
	bool found = false;
	const struct web_user *u = web_user(rq);
	struct access_reader who;
	access_reader_person(&who, u->user_id, u->username, u->agency, u->role);
	int rc = mash_child_of(w->st, &who, event_id, &child_id, &found);
	if (rc != STORE_OK) {
		json_decref(form);
		json_decref(errors_view);
		web_unavailable(w, rq);
		return;
	}
	struct item_job *j = calloc(1, sizeof *j);
	if (!j) {
		json_decref(form);
		json_decref(errors_view);
		web_unavailable(w, rq);
		return;
	}
	char detail[64];
	if (!found) {
		/* No contact, or one the reader's view leaves out (a health-only contact of a child it does not know, a
		 * sealed child's): a refused read, audited whatever the id holds (r-ntk28: `access.refused` on the
		 * contact, naming no child, children_access.refuse), then "not found" as before, once durable. */
		json_decref(form);
		json_decref(errors_view);
		j->r.access.refuse = true;
		snprintf(j->r.access.object, sizeof j->r.access.object, "mash:%lld", (long long)event_id);
		snprintf(detail, sizeof detail, "MASH item event %lld", (long long)event_id);
		j->r.show = item_not_found; /* not called: the entry is a refusal */
		j->r.refusal = item_not_found;
		j->r.release = item_release;
		web_read_start(w, rq, &j->r, "mash.item.read", 0, detail);
		return;
	}
	j->event_id = event_id;
	j->form = form;
	j->errors_view = errors_view;
	j->today = web_today();
	j->r.show = item_show;
	j->r.release = item_release;
	snprintf(detail, sizeof detail, "MASH item event %lld%s", (long long)event_id, errors_view ? ", corrections" : "");
	/* The contact as the MASH triages it: the whole record (the MASH while it triages, the allocated worker
	 * or team: service/access.c); anyone else gets the record's refusal. */
	web_child_read_start(w, rq, &j->r, "mash.item.read", child_id, ACCESS_FULL, detail);
}

void web_mash_item_page(const struct web *w, http_request *rq, int64_t event_id)
{
	item_page(w, rq, event_id, NULL, NULL);
}

/* ---- the decision ---- */

struct decide_job {
	struct txq_job job;
	const struct web *w;
	http_request *rq;
	struct access_writer writer;
	char username[STORE_USER_MAX + 1], role[STORE_CODE_MAX + 1], agency[STORE_CODE_MAX + 1], actor[96];
	char outcome[32];
	char *reason;
	struct mash_decision d;
};

static int decide_run(store_conn *c, void *arg)
{
	struct decide_job *j = arg;
	return mash_decide(c, &j->d);
}

static void decide_done(struct txq_job *job)
{
	struct decide_job *j = (struct decide_job *)job;
	char to[160];
	if (job->rc < 0) {
		fprintf(stderr, "safeguard: a MASH decision could not be saved (store error %d)\n", job->rc);
		web_write_failed(j->w, j->rq, job->rc, "Sorry, there is a problem with the service",
				 "The decision was not saved. Go back and try again.", "/mash", "Go to the MASH queue");
	} else if (j->d.result == MASH_NO_ITEM || j->d.result == MASH_REFUSED) {
		web_message_link(j->w, j->rq, 403, "You cannot decide this",
				 "Nothing was saved. Decisions on a contact or referral are recorded by the MASH while it "
				 "triages, or by the child's social worker or their team.",
				 "/mash", "Go to the MASH queue");
	} else if (j->d.result == MASH_ALREADY_DECIDED) {
		web_message_link(j->w, j->rq, 409, "This has already been decided",
				 "Someone recorded a decision on this contact or referral before yours was saved, so "
				 "yours was not. Look for it under decided in the MASH queue.",
				 "/mash?status=decided", "See decided contacts and referrals");
	} else {
		char due[DATE_ISO_LEN + 1] = "";
		if (date_valid(j->d.due))
			date_format_iso(j->d.due, due);
		snprintf(to, sizeof to, "/mash?done=%s%s%s", j->outcome, due[0] ? "&due=" : "", due);
		web_redirect(j->rq, to);
	}
	http_resume(j->rq);
	free(j->reason);
	free(j);
}

void web_mash_decide(const struct web *w, http_request *rq, int64_t event_id)
{
	char outcome[64];
	char *reason = malloc(REASON_BYTES);
	json_t *view = json_object();
	if (!reason) {
		json_decref(view);
		web_unavailable(w, rq);
		return;
	}
	web_field(rq, "outcome", outcome, sizeof outcome);
	web_field(rq, "reason", reason, REASON_BYTES);
	const struct mash_outcome *o = mash_outcome_find(outcome);
	if (!o)
		web_add_error(view, "outcome", "outcome", "Select what happens next");
	if (!reason[0])
		web_add_error(view, "reason", "reason", "Enter the reason for the decision");
	else if (!web_text_ok(reason, MASH_REASON_MAX, true))
		web_add_error(view, "reason", "reason",
			      "The reason must be 2000 characters or fewer, without control characters");
	if (json_object_get(view, "errors")) {
		json_t *form = json_object();
		web_keep(form, view, "outcome", "outcome", "outcome", o ? o->code : "");
		web_keep(form, view, "reason", "reason", "reason", reason);
		free(reason);
		item_page(w, rq, event_id, form, view);
		return;
	}
	json_decref(view);
	struct decide_job *j = calloc(1, sizeof *j);
	if (!j) {
		free(reason);
		web_unavailable(w, rq);
		return;
	}
	const struct web_user *u = web_user(rq);
	snprintf(j->username, sizeof j->username, "%s", u->username);
	snprintf(j->role, sizeof j->role, "%s", u->role);
	snprintf(j->agency, sizeof j->agency, "%s", u->agency);
	snprintf(j->actor, sizeof j->actor, "%s", u->actor);
	snprintf(j->outcome, sizeof j->outcome, "%s", o->code);
	j->writer = (struct access_writer){u->user_id, j->username, j->agency, j->role};
	j->reason = reason;
	j->d = (struct mash_decision){.writer = &j->writer, .actor = j->actor, .event_id = event_id,
				      .outcome = j->outcome, .reason = reason, .alerts = &w->alerts, .now = clock_now()};
	j->w = w;
	j->rq = rq;
	j->job.run = decide_run;
	j->job.arg = j;
	j->job.done = decide_done;
	http_suspend(rq);
	txq_submit(w->q, &j->job);
}
