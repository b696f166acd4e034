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

#define VIEWERS_SHOWN 100     /* as the API's list */
#define BREAK_GLASS_SHOWN 100
#define REASON_BYTES (4 * ACCESS_REASON_MAX + 8)

/* ---- break-glass ---- */

static void glass_render(const struct web *w, http_request *rq, int status, int64_t child_id, json_t *view)
{
	char back[64];
	snprintf(back, sizeof back, "/children/%lld", (long long)child_id);
	json_object_set_new(view, "title", json_string("Open a record in an emergency"));
	json_object_set_new(view, "child_id", json_integer(child_id));
	json_object_set_new(view, "reason_min", json_integer(ACCESS_REASON_MIN));
	json_object_set_new(view, "reason_max", json_integer(ACCESS_REASON_MAX));
	json_object_set_new(view, "hours", json_integer(ACCESS_BREAK_GLASS_SECONDS / 3600));
	json_object_set_new(view, "back", json_pack("{s:s, s:s}", "href", "/", "text", "Find a child"));
	web_render(w, rq, status, "break_glass", view);
}

/* The form says nothing about the child (not even whether there is one): the person has no access yet. */
void web_break_glass_form(const struct web *w, http_request *rq, int64_t child_id)
{
	glass_render(w, rq, 200, child_id, json_object());
}

struct glass_job {
	struct txq_job job;
	const struct web *w;
	http_request *rq;
	struct access_person p;
	char username[STORE_USER_MAX + 1], agency[STORE_CODE_MAX + 1], role[STORE_CODE_MAX + 1], actor[96];
	int64_t child_id, now;
	char reason[REASON_BYTES];
	bool refused;
	char expires_at[STORE_TS_LEN + 1];
};

static int glass_run(store_conn *c, void *arg)
{
	struct glass_job *j = arg;
	return access_break_glass(c, &j->p, j->actor, j->child_id, j->reason, j->now, &j->refused, j->expires_at);
}

static void glass_done(struct txq_job *job)
{
	struct glass_job *j = (struct glass_job *)job;
	if (job->rc < 0) {
		fprintf(stderr, "safeguard: a break-glass could not be stored (store error %d)\n", job->rc);
		web_message(j->w, j->rq, 503, "Sorry, there is a problem with the service",
			    "The record was not opened. Go back and try again.");
	} else if (j->refused) {
		char msg[320];
		snprintf(msg, sizeof msg, "You have opened %d records in an emergency in the last 24 hours, which is as many as "
			 "anyone may. The record was not opened, and the data protection officer has been told. Ask "
			 "them or your manager if you need it.", access_break_glass_per_day());
		web_message(j->w, j->rq, 429, "The record was not opened", msg);
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
	struct glass_job *j = calloc(1, sizeof *j);
	if (!j) {
		web_unavailable(w, rq);
		return;
	}
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
		glass_render(w, rq, 400, child_id, view);
		return;
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

/* ---- who has looked ---- */

struct viewers_job {
	struct web_read r; /* first */
	json_t *rows, *glass;
};

static void viewers_release(struct web_read *r)
{
	struct viewers_job *j = (struct viewers_job *)r;
	json_decref(j->rows);
	json_decref(j->glass);
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
	{"child.search", "Found the child in a search"},
	{"placement.record", "Recorded where the child is placed (a children's home)"},
};

/* The basis a read's audit detail ends with (access_decide's words, or "agency system"), as people say it. */
static const struct {
	const char *basis, *text;
} basis_texts[] = {
	{"allocated worker", "Allocated worker"},
	{"manager of the allocated team", "Manager of the allocated team"},
	{"MASH triage", "MASH triage (a contact or referral awaiting a decision)"},
	{"break-glass", "Emergency access (break-glass)"},
	{"own agency's records", "Their own agency's records"},
	{"agency system", "An agency's system"},
	{"no legitimate relationship", "No relationship with the child"},
};

static const char *basis_text(const char *detail)
{
	const char *tail = strrchr(detail, ';');
	tail = tail ? tail + 1 : detail;
	while (*tail == ' ')
		tail++;
	for (size_t i = 0; i < sizeof basis_texts / sizeof basis_texts[0]; i++)
		if (strcmp(tail, basis_texts[i].basis) == 0)
			return basis_texts[i].text;
	return "Not recorded";
}

/* "user:ID:NAME" is a person, "client:ID:AGENCY" an agency's system, "cli" the command line. */
static void who_text(const char *actor, char *out, size_t outsz)
{
	const char *colon = strchr(actor, ':'), *second = colon ? strchr(colon + 1, ':') : NULL;
	if (strncmp(actor, "user:", 5) == 0 && second)
		snprintf(out, outsz, "%s", second + 1);
	else if (strncmp(actor, "client:", 7) == 0 && second)
		snprintf(out, outsz, "%s (agency system)", web_agency_name(second + 1));
	else if (strcmp(actor, "cli") == 0)
		snprintf(out, outsz, "An operator (command line)");
	else
		snprintf(out, outsz, "%s", actor);
}

static int viewers_row(const struct store_audit *e, void *ctx)
{
	struct viewers_job *j = ctx;
	char date[DATE_LONG_MAX + 1], hm[8], who[STORE_USER_MAX + 64];
	const char *what = e->action;
	for (size_t i = 0; i < sizeof action_texts / sizeof action_texts[0]; i++)
		if (strcmp(e->action, action_texts[i].action) == 0)
			what = action_texts[i].text;
	web_when_text(e->at, date, sizeof date, hm, sizeof hm);
	who_text(e->actor, who, sizeof who);
	bool glass = strcmp(e->action, "break_glass.open") == 0;
	json_t *o = json_pack("{s:s, s:s, s:o, s:o, s:s, s:b}", "date", date, "time", hm, "who", web_str(who), "what",
			      web_str(what), "basis", glass ? "Emergency access (break-glass)" : basis_text(e->detail),
			      "break_glass", glass);
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
	if (!r->access.exists) { /* only the data protection officer gets here for an id with no child, as the API */
		web_message(r->w, r->rq, 404, "Child not found", "There is no child with this reference. Search again.");
		return;
	}
	j->rows = json_array();
	j->glass = json_array();
	int rc = children_viewers(r->w->st, &r->access, VIEWERS_SHOWN, viewers_row, j);
	if (rc == STORE_OK)
		rc = children_break_glass(r->w->st, &r->access, BREAK_GLASS_SHOWN, glass_row, j);
	if (rc != STORE_OK) {
		fprintf(stderr, "safeguard: who has looked could not be read (store error %d)\n", rc);
		web_unavailable(r->w, r->rq);
		return;
	}
	char back[64];
	snprintf(back, sizeof back, "/children/%lld", (long long)r->access.child_id);
	/* The data protection officer reviews who has looked without reading the record: no link into it. */
	bool dpo = strcmp(web_user(r->rq)->role, "dpo") == 0;
	json_t *view = json_pack("{s:s, s:I, s:O, s:b, s:O, s:b, s:i, s:{s:s, s:s}}", "title",
				 "Who has looked at this record", "child_id", (json_int_t)r->access.child_id, "rows",
				 j->rows, "has_rows", json_array_size(j->rows) > 0, "glass", j->glass, "has_glass",
				 json_array_size(j->glass) > 0, "shown", VIEWERS_SHOWN, "back", "href", dpo ? "/" : back, "text",
				 dpo ? "Back to the start" : "Back to the record");
	web_render(r->w, r->rq, 200, "viewers", view);
}

void web_viewers_page(const struct web *w, http_request *rq, int64_t child_id)
{
	const struct web_user *u = web_user(rq);
	bool may = false;
	int rc = children_may_see_viewers(w->st, u->username, u->role, child_id, &may);
	if (rc != STORE_OK) {
		web_unavailable(w, rq);
		return;
	}
	if (!may) { /* the same whether or not the child exists */
		web_message(w, rq, 403, "You cannot see who has looked at this record",
			    "Only the child's allocated worker and the data protection officer see who has looked at a "
			    "child's record.");
		return;
	}
	struct viewers_job *j = calloc(1, sizeof *j);
	if (!j) {
		web_unavailable(w, rq);
		return;
	}
	j->r.show = viewers_show;
	j->r.release = viewers_release;
	/* The basis, as every read's entry has one: children_may_see_viewers lets in these two only. */
	web_read_start(w, rq, &j->r, "viewers.read", child_id,
		       strcmp(u->role, "dpo") == 0 ? "viewers page; data protection officer" : "viewers page; allocated worker");
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
							"who", web_str(n->username), "detail", web_str(n->detail),
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
