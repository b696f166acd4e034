/*
 * web/work.c — the pages where practitioners act on what the rules found: the alerts inbox, one alert
 * (acknowledge, resolve with an outcome), a worker's caseload with due and overdue dates, and the MASH
 * queue of contacts and referrals awaiting a decision on its one-working-day clock.
 *
 * Every list goes through the service (service/alerts.h) behind a durable audit entry, as the record does;
 * every change is a write-queue job. Dates are England's local dates (web_today).
 */
#include "web/web_int.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock/clock.h"
#include "core/date.h"
#include "core/event.h"
#include "core/text.h"
#include "service/alerts.h"
#include "service/children.h"
#include "service/txq.h"

#define INBOX_MAX 200           /* rows of the inbox; more are counted as "more" */
#define CASELOAD_MAX 200        /* children on one caseload page */
#define CASELOAD_ALERTS_MAX 1000 /* open alerts counted per child */
#define OUTCOME_MAX 300 /* characters: what the store keeps of an outcome (STORE_ATTR_BYTES) */
#define OUTCOME_BYTES (4 * OUTCOME_MAX + 8)
#define MARKS_ALL 1000000 /* a child's whole history, for finding one event in it */

/* ---- shared pieces ---- */

/* A prefix of s that fits n bytes (NUL included) and ends on a whole character: audit details are UTF-8. */
static void utf8_prefix(char *out, size_t n, const char *s)
{
	size_t len = strlen(s);
	if (len >= n) {
		len = n - 1;
		while (len && ((unsigned char)s[len] & 0xC0) == 0x80)
			len--;
	}
	memcpy(out, s, len);
	out[len] = '\0';
}

/* A query parameter, trimmed of surrounding spaces, into buf (truncated to whole characters when longer:
 * it is then refused as too long, since buf holds more than any valid value). NULL when absent. */
static const char *query_param(http_request *rq, const char *name, char *buf, size_t bufsz)
{
	const char *v = http_query(rq, name);
	if (!v)
		return NULL;
	while (*v == ' ' || *v == '\t')
		v++;
	utf8_prefix(buf, bufsz, v);
	size_t n = strlen(buf);
	while (n && (buf[n - 1] == ' ' || buf[n - 1] == '\t'))
		buf[--n] = '\0';
	return buf;
}

static void owner_text(const char *kind, const char *owner, char *out, size_t outsz)
{
	if (strcmp(kind, "mash") == 0 || strcmp(owner, "mash") == 0)
		snprintf(out, outsz, "MASH");
	else if (strcmp(kind, "team") == 0)
		snprintf(out, outsz, "Team %s", owner);
	else
		snprintf(out, outsz, "%s", owner);
}

static void state_tag(const char *state, const char **text, const char **cls)
{
	if (strcmp(state, "resolved") == 0) {
		*text = "Resolved";
		*cls = "govuk-tag--green";
	} else if (strcmp(state, "acknowledged") == 0) {
		*text = "Acknowledged";
		*cls = "govuk-tag--yellow";
	} else {
		*text = "Open";
		*cls = "govuk-tag--blue";
	}
}

/* "4 March 2025 at 14:30" from an RFC 3339 instant; "" for "". */
static void at_text(const char *ts, char *out, size_t outsz)
{
	char date[DATE_LONG_MAX + 1], hm[8];
	if (!ts[0]) {
		out[0] = '\0';
		return;
	}
	web_when_text(ts, date, sizeof date, hm, sizeof hm);
	snprintf(out, outsz, "%s%s%s", date, hm[0] ? " at " : "", hm);
}

/* The due date of an alert as the lists show it, and whether it has passed (an alert resolved is no
 * longer overdue, whatever its date). */
static json_t *due_view(const struct store_alert *a, struct date today)
{
	char due[DATE_LONG_MAX + 1];
	struct date d;
	bool has = web_day_text(a->due, &d, due, sizeof due);
	return json_pack("{s:s, s:b}", "text", has ? due : "", "overdue",
			 has && strcmp(a->state, "resolved") != 0 && date_cmp(d, today) < 0);
}

static json_t *alert_row(const struct store_alert *a, struct date today)
{
	char name[2 * STORE_NAME_BYTES + 24], raised[DATE_LONG_MAX + 1], owner[STORE_USER_MAX + 16];
	char escalated[STORE_USER_MAX + 1] = "";
	const char *st, *cls, *why, *next;
	web_short_name(a->given_name, a->family_name, name, sizeof name);
	if (!web_day_text(a->raised_on, NULL, raised, sizeof raised))
		snprintf(raised, sizeof raised, "Not known");
	owner_text(a->owner_kind, a->owner, owner, sizeof owner);
	state_tag(a->state, &st, &cls);
	alerts_words(a->code, &why, &next);
	if (a->escalated_to[0])
		snprintf(escalated, sizeof escalated, "%s", a->escalated_to);
	json_t *children = json_array();
	json_array_append_new(children, json_pack("{s:I, s:I, s:o}", "child_id", (json_int_t)a->person_id, "alert_id",
						  (json_int_t)a->id, "child", web_str(name)));
	return json_pack("{s:I, s:I, s:o, s:s, s:o, s:s, s:o, s:o, s:s, s:s, s:o, s:s, s:s, s:o, s:b}", "id",
			 (json_int_t)a->id, "child_id", (json_int_t)a->person_id, "child", web_str(name), "title",
			 alerts_title(a->code), "code", web_str(a->code), "raised", raised, "due", due_view(a, today), "owner",
			 web_str(owner), "state_text", st, "state_class", cls, "escalated_to", web_str(escalated), "why", why,
			 "next", next, "children", children, "grouped", 0);
}

/* ---- the alerts inbox ---- */

struct inbox_job {
	struct web_read r;
	char owner[STORE_USER_MAX * 4 + 8];
	struct alerts_owner typed; /* owner as alerts_owner_parse reads it */
	const char *state; /* "open" (open or acknowledged), "resolved", "all" */
	json_t *view, *rows;
	int n;
	struct date today;
	/* The first alert of each row, to find one incident's other children (alerts_same_incident). */
	struct store_alert *firsts;
	size_t nrows;
};

static void inbox_release(struct web_read *r)
{
	struct inbox_job *j = (struct inbox_job *)r;
	json_decref(j->view);
	json_decref(j->rows);
	free(j->firsts);
	free(j);
}

/* One row per alert, except that siblings alerted for one incident share a row listing each child (each
 * alert was filtered for this reader on its own: the list is the service's). */
static int inbox_row(const struct store_alert *a, void *ctx)
{
	struct inbox_job *j = ctx;
	if (j->n++ >= INBOX_MAX)
		return 0;
	for (size_t i = 0; i < j->nrows; i++) {
		if (!alerts_same_incident(&j->firsts[i], a))
			continue;
		char name[2 * STORE_NAME_BYTES + 24];
		web_short_name(a->given_name, a->family_name, name, sizeof name);
		json_t *row = json_array_get(j->rows, i);
		json_array_append_new(json_object_get(row, "children"),
				      json_pack("{s:I, s:I, s:o}", "child_id", (json_int_t)a->person_id, "alert_id",
						(json_int_t)a->id, "child", web_str(name)));
		json_object_set_new(row, "grouped", json_true());
		json_object_set_new(row, "count", json_integer((json_int_t)json_array_size(json_object_get(row, "children"))));
		return 0;
	}
	j->firsts[j->nrows++] = *a;
	json_array_append_new(j->rows, alert_row(a, j->today));
	return 0;
}

static void inbox_show(struct web_read *r)
{
	struct inbox_job *j = (struct inbox_job *)r;
	struct store_alert_query q = {.limit = INBOX_MAX + 1};
	if (strcmp(j->state, "open") == 0) {
		q.open_or_acknowledged = true; /* with no state: open or acknowledged (as the API asks) */
	} else if (strcmp(j->state, "resolved") == 0) {
		q.state = "resolved";
	}
	if (j->owner[0]) {
		q.owner_kind = j->typed.kind;
		q.owner = j->typed.name;
	}
	int rc = alerts_list(r->w->st, &r->access, &q, inbox_row, j);
	if (rc != STORE_OK) {
		fprintf(stderr, "safeguard: the alerts could not be read (error %d)\n", rc);
		web_unavailable(r->w, r->rq);
		return;
	}
	/* "open alerts for jsmith", "resolved alerts for the MASH", "alerts for everyone". */
	const char *which = strcmp(j->state, "all") == 0 ? "" : j->state;
	char whom[sizeof j->owner + 16], heading[sizeof whom + 96], empty[sizeof whom + 96];
	if (!j->owner[0])
		snprintf(whom, sizeof whom, "everyone");
	else if (strcmp(j->typed.kind, "mash") == 0)
		snprintf(whom, sizeof whom, "the MASH");
	else if (strcmp(j->typed.kind, "team") == 0)
		snprintf(whom, sizeof whom, "team %s", j->typed.name);
	else
		snprintf(whom, sizeof whom, "%s", j->typed.name);
	if (j->n > INBOX_MAX)
		snprintf(heading, sizeof heading, "More than %d %s%salerts for %s", INBOX_MAX, which, which[0] ? " " : "",
			 whom);
	else
		snprintf(heading, sizeof heading, "%d %s%salert%s for %s", j->n, which, which[0] ? " " : "",
			 j->n == 1 ? "" : "s", whom);
	snprintf(empty, sizeof empty, "There are no %s%salerts for %s.", which, which[0] ? " " : "",
		 j->owner[0] ? whom : "anyone");
	json_t *view = j->view;
	j->view = NULL;
	json_object_set_new(view, "results_heading", json_string(heading));
	json_object_set_new(view, "has_rows", json_boolean(j->n > 0));
	json_object_set_new(view, "empty_text", json_string(empty));
	if (j->n > INBOX_MAX)
		json_object_set_new(view, "more_text",
				    json_string("Only the 200 most overdue are shown. Choose an owner to see fewer."));
	json_object_set_new(view, "rows", j->rows);
	j->rows = NULL;
	web_render(r->w, r->rq, 200, "alerts", view);
}

/* Refused (alerts_list_decided), audited as a refusal */
static void inbox_refusal(struct web_read *r)
{
	web_message_link(r->w, r->rq, 403, "You cannot see these alerts",
			 "You can see your own alerts (in the MASH, the MASH's; a team manager, their team's and "
			 "its workers'), not someone else's.",
			 "/alerts", "Go to your alerts");
}

void web_alerts_page(const struct web *w, http_request *rq)
{
	char ownerbuf[STORE_USER_MAX * 4 + 8], statebuf[16];
	const char *owner = query_param(rq, "owner", ownerbuf, sizeof ownerbuf);
	const char *state = query_param(rq, "state", statebuf, sizeof statebuf);
	/* One of three static strings (the job outlives this stack frame); an unknown state (an edited link)
	 * shows the open alerts rather than an error. */
	if (state && strcmp(state, "resolved") == 0)
		state = "resolved";
	else if (state && strcmp(state, "all") == 0)
		state = "all";
	else
		state = "open";
	static const char *const states[][2] = {
		{"open", "Open (including acknowledged)"}, {"resolved", "Resolved"}, {"all", "All"}};
	json_t *options = json_array();
	for (size_t i = 0; i < sizeof states / sizeof states[0]; i++)
		json_array_append_new(options, json_pack("{s:s, s:s, s:b}", "value", states[i][0], "text", states[i][1],
							 "selected", strcmp(states[i][0], state) == 0));
	json_t *view = json_pack("{s:s, s:b, s:s, s:o}", "title", "Alerts", "nav_alerts", 1, "owner", "", "state_options",
				 options);
	if (owner && !alerts_owner_text_ok(owner)) { /* the API's validation too (r-tidy34) */
		if (text_utf8_valid(owner, strlen(owner)))
			json_object_set_new(view, "owner", json_string(owner));
		web_add_error(view, "owner", "owner",
			      "The owner must be a username or team code of 64 characters or fewer, on one line");
		web_render(w, rq, 400, "alerts", view);
		return;
	}
	/* A person sees their own alerts (a MASH worker the MASH's), as the API decides. */
	const struct web_user *u = web_user(rq);
	char mine[STORE_USER_MAX + 8];
	/* Their username as the owner (typed "user:" only for one that reads as the MASH: alerts_owner_parse). */
	snprintf(mine, sizeof mine, "%s%s", strcmp(u->username, "mash") == 0 ? "user:" : "", u->username);
	if (!owner || !owner[0])
		owner = strcmp(u->role, "mash_worker") == 0 ? "mash" : mine;
	struct alerts_owner typed;
	bool parsed = alerts_owner_parse(owner, &typed);
	struct inbox_job *j = calloc(1, sizeof *j);
	if (!j || !(j->firsts = calloc(INBOX_MAX, sizeof *j->firsts))) {
		free(j);
		json_decref(view);
		web_unavailable(w, rq);
		return;
	}
	snprintf(j->owner, sizeof j->owner, "%s", owner);
	if (parsed)
		j->typed = typed;
	json_object_set_new(view, "owner", json_string(j->owner));
	j->state = state;
	j->view = view;
	j->rows = json_array();
	j->today = web_today();
	j->r.show = inbox_show;
	j->r.release = inbox_release;
	/* Whatever was typed as the owner stays out of the audit (it could be anything, a child's name too), as
	 * the API's entry does. */
	char detail[64];
	snprintf(detail, sizeof detail, "inbox, state %s, owner %s", state, j->owner[0] ? "set" : "any");
	/* One call decides and audits (alerts_list_decided, r-ntk32): a person sees their own alerts (a MASH worker
	 * the MASH's, a team manager their team's and its workers'), as the API decides; a refusal writes its one
	 * `access.refused` entry (on the owner's kind) before the 403. */
	j->r.refusal = inbox_refusal;
	web_read_prepare(w, rq, &j->r, "alerts.read", ACCESS_NONE, detail);
	if (alerts_list_decided(w->st, w->q, parsed ? &typed : NULL, &j->r.access) != STORE_OK) {
		inbox_release(&j->r);
		web_unavailable(w, rq);
	}
}

/* ---- one alert ---- */

#define EVIDENCE_MAX 8 /* docs/RULES.md: an alert rests on at most 8 events */

struct evidence {
	int64_t id;
	bool found;
	int index; /* in the child's history, newest first: which page of the record holds it */
	char at[STORE_TS_LEN + 1];
	char agency[STORE_CODE_MAX + 1], kind[STORE_CODE_MAX + 1];
};

struct alert_job {
	struct web_read r;
	int64_t id;
	json_t *view; /* a resolve form sent again: its errors and the answer */
	char done[16];
	struct evidence ev[EVIDENCE_MAX];
	int nev, nfound, seen;
};

static void alert_release(struct web_read *r)
{
	struct alert_job *j = (struct alert_job *)r;
	json_decref(j->view);
	free(j);
}

/* The record's page and row of an event, as the timeline links them (web/timeline.c): the first page
 * holds the newest WEB_RECORD_PAGE events, and a later page starts just above the cursor it is given. */
static void event_href(int64_t child_id, int64_t event_id, int index, const char *at, char *out, size_t outsz)
{
	char cursor[EVENT_CURSOR_MAX];
	if (index < WEB_RECORD_PAGE) {
		snprintf(out, outsz, "/children/%lld#event-%lld", (long long)child_id, (long long)event_id);
		return;
	}
	event_cursor_format(at, event_id + 1, cursor);
	snprintf(out, outsz, "/children/%lld?before=%s#event-%lld", (long long)child_id, cursor, (long long)event_id);
}

static int evidence_mark(const struct store_event *e, void *ctx)
{
	struct alert_job *j = ctx;
	int index = j->seen++;
	for (int i = 0; i < j->nev; i++) {
		struct evidence *v = &j->ev[i];
		if (v->found || v->id != e->id)
			continue;
		v->found = true;
		v->index = index;
		snprintf(v->at, sizeof v->at, "%s", e->occurred_at);
		snprintf(v->agency, sizeof v->agency, "%s", e->agency);
		snprintf(v->kind, sizeof v->kind, "%s", e->kind);
		if (++j->nfound == j->nev)
			return 1; /* all found: the rest of the history is not needed */
	}
	return 0;
}

/* The evidence events, each with its date, agency and kind, linked to its row in the record. They are read
 * from the child's history (ids, dates and kinds only) under the alert's own audit entry, which names the
 * child. */
static json_t *evidence_view(struct alert_job *j, const struct store_alert *a)
{
	json_t *ids = json_loads(a->evidence, 0, NULL), *out = json_array(), *v;
	size_t i;
	json_array_foreach(ids, i, v) {
		if (j->nev < EVIDENCE_MAX && json_is_integer(v) && json_integer_value(v) > 0)
			j->ev[j->nev++].id = (int64_t)json_integer_value(v);
	}
	json_decref(ids);
	if (j->nev > 0) {
		static const struct child_visitor visitor = {.mark = evidence_mark};
		struct store_page page = {.limit = 1};
		struct children_page_end end;
		bool child = false;
		int rc = children_record(j->r.w->st, &j->r.access, &visitor, &page, MARKS_ALL, j, &child, &end);
		if (rc < 0) /* the alert is still worth showing: its evidence is then linked by id alone */
			fprintf(stderr, "safeguard: an alert's evidence could not be read (store error %d)\n", rc);
	}
	for (int k = 0; k < j->nev; k++) {
		struct evidence *e = &j->ev[k];
		char href[160], text[160], date[DATE_LONG_MAX + 1], hm[8];
		if (e->found) {
			const struct event_kind *kind = event_kind_find(e->kind);
			web_when_text(e->at, date, sizeof date, hm, sizeof hm);
			event_href(a->person_id, e->id, e->index, e->at, href, sizeof href);
			snprintf(text, sizeof text, "%s, %s: %s", date, web_agency_name(e->agency), kind ? kind->label : e->kind);
		} else { /* not in the child's chronology now (or not read): the link finds it if it can */
			snprintf(href, sizeof href, "/children/%lld/events/%lld", (long long)a->person_id, (long long)e->id);
			snprintf(text, sizeof text, "Event %lld", (long long)e->id);
		}
		json_array_append_new(out, json_pack("{s:s, s:o}", "href", href, "text", web_str(text)));
	}
	return out;
}

/* The one answer for an alert a person may not read: not theirs, not there, or about a child they may not see. */
static void alert_refused(const struct web *w, http_request *rq)
{
	web_message_link(w, rq, 403, "You cannot see this alert",
			 "This alert is not yours: it goes to the worker, team or MASH that owns it.", "/alerts",
			 "Go to your alerts");
}

static void alert_refusal(struct web_read *r)
{
	alert_refused(r->w, r->rq);
}

static void alert_show(struct web_read *r)
{
	struct alert_job *j = (struct alert_job *)r;
	struct store_alert *a = malloc(sizeof *a); /* several KiB: not on a server thread's stack */
	bool found = false;
	int rc = a ? alerts_get(r->w->st, &r->access, j->id, a, &found) : STORE_EIO;
	if (rc != STORE_OK) {
		fprintf(stderr, "safeguard: an alert could not be read (error %d)\n", rc);
		web_unavailable(r->w, r->rq);
		goto out;
	}
	/* Not there for this reader (its child sealed, or not known to their view: alerts_get decides) is answered
	 * as an id that holds no alert is, "not yours" (r-redteam26: a 404 here told the MASH's members that the
	 * id held the MASH's alert on a child they may not see). */
	if (!found || a->person_id != r->access.child_id) {
		alert_refused(r->w, r->rq);
		goto out;
	}
	struct date today = web_today();
	char name[2 * STORE_NAME_BYTES + 24], raised[DATE_LONG_MAX + 1], owner[STORE_USER_MAX + 16];
	char ack[STORE_USER_MAX + 64] = "", res[STORE_USER_MAX + 64] = "", esc[STORE_USER_MAX + 64] = "", when[40];
	char back[64];
	const char *st, *cls;
	web_short_name(a->given_name, a->family_name, name, sizeof name);
	if (!web_day_text(a->raised_on, NULL, raised, sizeof raised))
		snprintf(raised, sizeof raised, "Not known");
	owner_text(a->owner_kind, a->owner, owner, sizeof owner);
	state_tag(a->state, &st, &cls);
	if (a->acknowledged_at[0] || a->acknowledged_by[0]) {
		at_text(a->acknowledged_at, when, sizeof when);
		snprintf(ack, sizeof ack, "By %s%s%s", a->acknowledged_by[0] ? a->acknowledged_by : "someone",
			 when[0] ? " on " : "", when);
	}
	if (a->resolved_at[0] || a->resolved_by[0]) {
		at_text(a->resolved_at, when, sizeof when);
		snprintf(res, sizeof res, "By %s%s%s", a->resolved_by[0] ? a->resolved_by : "someone",
			 when[0] ? " on " : "", when);
	}
	if (a->escalated_to[0]) {
		at_text(a->escalated_at, when, sizeof when);
		snprintf(esc, sizeof esc, "To %s%s%s", a->escalated_to, when[0] ? " on " : "", when);
	}
	bool resolved = strcmp(a->state, "resolved") == 0;
	json_t *view = j->view ? j->view : json_object();
	j->view = NULL;
	if (!json_object_get(view, "form"))
		json_object_set_new(view, "form", json_pack("{s:s}", "outcome", ""));
	json_object_update_new(
		view, json_pack("{s:s, s:I, s:I, s:o, s:s, s:o, s:s, s:o, s:o, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:b, s:b, "
				"s:b}",
				"title", alerts_title(a->code), "id", (json_int_t)a->id, "child_id",
				(json_int_t)a->person_id, "child", web_str(name), "alert_title", alerts_title(a->code),
				"code", web_str(a->code), "raised", raised, "due", due_view(a, today), "owner",
				web_str(owner), "state_text", st, "state_class", cls, "acknowledged", web_str(ack),
				"resolved", web_str(res), "outcome", web_str(a->outcome), "escalated", web_str(esc),
				"evidence", evidence_view(j, a), "can_acknowledge", strcmp(a->state, "open") == 0,
				"can_resolve", !resolved, "is_resolved", resolved));
	json_object_set_new(view, "has_evidence", json_boolean(json_array_size(json_object_get(view, "evidence")) > 0));
	const char *why, *next;
	alerts_words(a->code, &why, &next);
	json_object_set_new(view, "why", json_string(why));
	json_object_set_new(view, "next", json_string(next));
	json_object_set_new(view, "back", json_pack("{s:s, s:s}", "href", "/alerts", "text", "All alerts"));
	json_object_set_new(view, "outcome_max", json_integer(OUTCOME_MAX));
	if (strcmp(j->done, "acknowledged") == 0)
		json_object_set_new(view, "done_text", json_string("Alert acknowledged. Resolve it once the work it asks for is done."));
	else if (strcmp(j->done, "resolved") == 0)
		json_object_set_new(view, "done_text", json_string("Alert resolved. The outcome is recorded with it."));
	snprintf(back, sizeof back, "/children/%lld", (long long)a->person_id);
	json_object_set_new(view, "child_href", json_string(back));
	web_render(r->w, r->rq, json_object_get(view, "has_errors") ? 400 : 200, "alert", view);
out:
	free(a);
}

/* The decision made (alerts_read_decided), just before its entry is queued: the entry's detail, and the request
 * suspended until it is durable. */
static void alert_hold(struct children_access *a)
{
	struct alert_job *j = (struct alert_job *)a;
	if (a->refuse) {
		json_decref(j->view); /* refused: the refusal page, not the form again */
		j->view = NULL;
		if (a->child_id) /* the refusal's entry names no child; its detail says which, for the auditor */
			snprintf(a->detail, sizeof a->detail, "alert %lld (child:%lld)", (long long)j->id, (long long)a->child_id);
		else
			snprintf(a->detail, sizeof a->detail, "alert %lld", (long long)j->id);
	} else {
		snprintf(a->detail, sizeof a->detail, "alert %lld%s", (long long)j->id, j->view ? ", resolve form again" : "");
	}
	web_read_suspend(&j->r);
}

/* The alert's page; errors_view (stolen, may be NULL) holds a resolve form's errors and answer. */
static void alert_page(const struct web *w, http_request *rq, int64_t id, json_t *errors_view, const char *done)
{
	struct alert_job *j = calloc(1, sizeof *j);
	int rc = STORE_EIO;
	if (!j) {
		json_decref(errors_view);
		web_unavailable(w, rq);
		goto fail;
	}
	/* One call decides and audits the read, as the API's (alerts_read_decided: theirs, about a child their view
	 * shows): a read is audited naming the child; a refusal is audited too, whatever the id holds (an id with no
	 * alert, another's alert, an alert on a child they may not see: `access.refused` on the alert, naming no
	 * child; r-ntk27), and answered once durable, so every refusal is the same work and the same page. */
	j->id = id;
	j->view = errors_view;
	if (done && (strcmp(done, "acknowledged") == 0 || strcmp(done, "resolved") == 0))
		snprintf(j->done, sizeof j->done, "%s", done);
	j->r.show = alert_show;
	j->r.release = alert_release;
	j->r.refusal = alert_refusal;
	web_read_prepare(w, rq, &j->r, "alert.read", ACCESS_NONE, "");
	j->r.access.hold = alert_hold;
	rc = alerts_read_decided(w->st, w->q, id, &j->r.access);
	if (rc != STORE_OK) {
		fprintf(stderr, "safeguard: an alert could not be found (store error %d)\n", rc);
		json_decref(errors_view);
		web_unavailable(w, rq);
		goto fail;
	}
	return;
fail:
	free(j);
}

void web_alert_page(const struct web *w, http_request *rq, int64_t id)
{
	alert_page(w, rq, id, NULL, http_query(rq, "done"));
}

/* ---- a link to one event of a child's chronology ---- */

/* For links that know an event only by its id (the MASH queue, evidence not found above): finds the page
 * of the record that holds the event and sends the browser to its row. */
struct event_job {
	struct web_read r;
	int64_t event_id;
	int index; /* newest first */
	bool found;
	char at[STORE_TS_LEN + 1];
};

static void event_release(struct web_read *r)
{
	free(r);
}

static int event_mark(const struct store_event *e, void *ctx)
{
	struct event_job *j = ctx;
	if (e->id != j->event_id) {
		j->index++;
		return 0;
	}
	j->found = true;
	snprintf(j->at, sizeof j->at, "%s", e->occurred_at);
	return 1; /* found: the rest of the history is not needed */
}

static void event_show(struct web_read *r)
{
	struct event_job *j = (struct event_job *)r;
	static const struct child_visitor v = {.mark = event_mark};
	struct store_page page = {.limit = 1};
	struct children_page_end end;
	bool child = false;
	char to[160], record[64];
	int rc = children_record(r->w->st, &r->access, &v, &page, MARKS_ALL, j, &child, &end);
	snprintf(record, sizeof record, "/children/%lld", (long long)r->access.child_id);
	if (rc < 0) {
		fprintf(stderr, "safeguard: an event could not be found (store error %d)\n", rc);
		web_unavailable(r->w, r->rq);
	} else if (!child) {
		web_message(r->w, r->rq, 404, "Child not found", "There is no child with this reference. Search again.");
	} else if (!j->found) {
		web_message_link(r->w, r->rq, 404, "Event not found",
				 "This child's chronology has no event with this reference.", record,
				 "Open the child's record");
	} else {
		event_href(r->access.child_id, j->event_id, j->index, j->at, to, sizeof to);
		web_redirect(r->rq, to);
	}
}

void web_event_link(const struct web *w, http_request *rq, int64_t child_id, int64_t event_id)
{
	struct event_job *j = calloc(1, sizeof *j);
	char detail[64];
	if (!j) {
		web_unavailable(w, rq);
		return;
	}
	j->event_id = event_id;
	j->r.show = event_show;
	j->r.release = event_release;
	snprintf(detail, sizeof detail, "find event %lld", (long long)event_id);
	/* Found only among the events this reader is shown: another agency's event is "not found", as an event
	 * of another child is, so the answer does not tell which ids are the child's. */
	web_child_read_start(w, rq, &j->r, "child.read", child_id, ACCESS_AGENCY, detail);
}

/* ---- acting on an alert ---- */

struct act_job {
	struct txq_job job;
	const struct web *w;
	http_request *rq;
	int64_t id;
	char *outcome; /* NULL to acknowledge */
	enum alerts_result res;
	char actor[96], by[STORE_USER_MAX + 1]; /* the person signed in */
	int64_t user_id;
	char role[STORE_CODE_MAX + 1], agency[STORE_CODE_MAX + 1];
};

static int act_run(store_conn *c, void *arg)
{
	struct act_job *j = arg;
	const struct access_writer w = {j->user_id, j->by, j->agency, j->role};
	if (j->outcome)
		return alerts_resolve(c, j->id, &w, j->actor, j->by, j->outcome, &j->res);
	return alerts_acknowledge(c, j->id, &w, j->actor, j->by, &j->res);
}

/* The one refusal of acting on an alert, whatever the id holds (audited first: r-ntk30). */
static void alert_act_refusal_page(const struct web *w, http_request *rq)
{
	web_message_link(w, rq, 403, "You cannot change this alert", "This alert is not yours: nothing was changed.",
			 "/alerts", "Go to your alerts");
}

static void act_done(struct txq_job *job)
{
	struct act_job *j = (struct act_job *)job;
	char to[64];
	snprintf(to, sizeof to, "/alerts/%lld", (long long)j->id);
	if (job->rc < 0) {
		fprintf(stderr, "safeguard: an alert could not be changed (store error %d)\n", job->rc);
		web_write_failed(j->w, j->rq, job->rc, "Sorry, there is a problem with the service",
				 "The alert was not changed. Go back to the alert and try again.", to, "Go back to the alert");
	} else if (j->res == ALERTS_NOT_FOUND) { /* as act_submit's refusal: no alert, or not theirs to change */
		alert_act_refusal_page(j->w, j->rq);
	} else if (j->res == ALERTS_WRONG_STATE) {
		web_message_link(j->w, j->rq, 409,
				 j->outcome ? "This alert is already resolved" : "This alert is no longer open",
				 j->outcome ? "Someone resolved it before your outcome was saved, so yours was not. "
					      "Open the alert to see who resolved it and what they wrote."
					    : "Someone acknowledged or resolved it before you. Open the alert to see who.",
				 to, "Open the alert");
	} else {
		snprintf(to, sizeof to, "/alerts/%lld?done=%s", (long long)j->id, j->outcome ? "resolved" : "acknowledged");
		web_redirect(j->rq, to);
	}
	http_resume(j->rq);
	free(j->outcome);
	free(j);
}

static void act_submit(const struct web *w, http_request *rq, int64_t id, char *outcome)
{
	const struct web_user *u = web_user(rq);
	/* As the page decides (alerts_reader_may): an alert on a child the person may not see is refused here as an
	 * id with no alert is, not in the write's transaction after a trip through the queue (r-ntk27); refused,
	 * audited by the same call, then the same answer (r-ntk30, r-ntk31). */
	if (!web_alert_write_decided(w, rq, id, outcome ? "alert.resolve" : "alert.acknowledge", alert_act_refusal_page)) {
		free(outcome);
		return;
	}
	struct act_job *j = calloc(1, sizeof *j);
	if (!j) {
		free(outcome);
		web_unavailable(w, rq);
		return;
	}
	snprintf(j->actor, sizeof j->actor, "%s", u->actor);
	snprintf(j->by, sizeof j->by, "%s", u->username);
	j->user_id = u->user_id;
	snprintf(j->role, sizeof j->role, "%s", u->role);
	snprintf(j->agency, sizeof j->agency, "%s", u->agency);
	j->w = w;
	j->rq = rq;
	j->id = id;
	j->outcome = outcome;
	j->job.run = act_run;
	j->job.arg = j;
	j->job.done = act_done;
	http_suspend(rq);
	txq_submit(w->q, &j->job);
}

void web_alert_acknowledge(const struct web *w, http_request *rq, int64_t id)
{
	act_submit(w, rq, id, NULL);
}

void web_alert_resolve(const struct web *w, http_request *rq, int64_t id)
{
	char *outcome = malloc(OUTCOME_BYTES);
	if (!outcome) {
		web_unavailable(w, rq);
		return;
	}
	web_field(rq, "outcome", outcome, OUTCOME_BYTES);
	json_t *view = json_object(), *form = json_object();
	if (!outcome[0])
		web_add_error(view, "outcome", "outcome", "Enter the outcome: what was done about the alert");
	else if (!web_text_ok(outcome, OUTCOME_MAX, true))
		web_add_error(view, "outcome", "outcome",
			      "The outcome must be 300 characters or fewer, without control characters");
	web_keep(form, view, "outcome", "outcome", "outcome", outcome);
	json_object_set_new(view, "form", form);
	if (json_object_get(view, "errors")) {
		free(outcome);
		alert_page(w, rq, id, view, NULL);
		return;
	}
	json_decref(view);
	act_submit(w, rq, id, outcome);
}

/* ---- a worker's caseload ---- */

struct case_child {
	int64_t id;
	char name[2 * STORE_NAME_BYTES + 24];
	char dob[DATE_LONG_MAX + 1];
	char team[STORE_CODE_MAX + 1];
	int open;
	struct date due; /* the earliest due date of its open alerts, when due_set */
	bool due_set;
};

struct caseload_job {
	struct web_read r;
	char worker[STORE_USER_MAX * 4 + 8];
	enum alerts_caseload_view view_of; /* own, or a manager's view of their team's part of a worker's */
	struct case_child *kids;
	int n;
	json_t *view;
};

static void caseload_release(struct web_read *r)
{
	struct caseload_job *j = (struct caseload_job *)r;
	json_decref(j->view);
	free(j->kids);
	free(j);
}

static int caseload_child(const struct store_allocation *a, void *ctx)
{
	struct caseload_job *j = ctx;
	if (j->n++ >= CASELOAD_MAX)
		return 0;
	struct case_child *k = &j->kids[j->n - 1];
	k->id = a->person_id;
	web_short_name(a->given_name, a->family_name, k->name, sizeof k->name);
	web_dob_text(a->dob, false, k->dob, sizeof k->dob);
	snprintf(k->team, sizeof k->team, "%s", a->team);
	return 0;
}

static int caseload_alert(const struct store_alert *a, void *ctx)
{
	struct case_child *k = ctx;
	struct date d;
	k->open++;
	if (a->due[0] && date_parse_iso(a->due, &d) == DATE_OK && (!k->due_set || date_cmp(d, k->due) < 0)) {
		k->due = d;
		k->due_set = true;
	}
	return 0;
}

static void caseload_show(struct web_read *r)
{
	struct caseload_job *j = (struct caseload_job *)r;
	int rc = j->view_of == ALERTS_CASELOAD_TEAM
			 ? alerts_caseload_managed(r->w->st, &r->access, j->worker, web_user(r->rq)->username, CASELOAD_MAX + 1,
						   caseload_child, j)
			 : alerts_caseload(r->w->st, &r->access, j->worker, CASELOAD_MAX + 1, caseload_child, j);
	/* Each child's open alerts, whoever owns them (they follow the allocation, service/cases.h, so they are
	 * the worker's; one escalated is still counted). One indexed read per child; a caseload is a few dozen
	 * children. */
	int shown = j->n < CASELOAD_MAX ? j->n : CASELOAD_MAX;
	for (int i = 0; i < shown && rc == STORE_OK; i++) {
		struct store_alert_query q = {.open_or_acknowledged = true,
					      .person_id = j->kids[i].id,
					      .limit = CASELOAD_ALERTS_MAX};
		rc = alerts_list(r->w->st, &r->access, &q, caseload_alert, &j->kids[i]);
	}
	if (rc != STORE_OK) {
		fprintf(stderr, "safeguard: a caseload could not be read (error %d)\n", rc);
		web_unavailable(r->w, r->rq);
		return;
	}
	struct date today = web_today();
	json_t *rows = json_array();
	for (int i = 0; i < shown; i++) {
		struct case_child *k = &j->kids[i];
		char due[DATE_LONG_MAX + 1] = "";
		if (k->due_set)
			date_format_long(k->due, due);
		json_array_append_new(rows, json_pack("{s:I, s:o, s:s, s:o, s:i, s:s, s:b}", "id", (json_int_t)k->id, "name",
						      web_str(k->name), "dob", k->dob, "team", web_str(k->team), "open",
						      k->open, "due", due, "overdue",
						      k->due_set && date_cmp(k->due, today) < 0));
	}
	char heading[sizeof j->worker + 96], empty[sizeof j->worker + 96], href[sizeof j->worker * 3 + 32];
	const char *teams = j->view_of == ALERTS_CASELOAD_TEAM ? " in the teams you manage" : "";
	if (j->n > CASELOAD_MAX)
		snprintf(heading, sizeof heading, "More than %d children allocated to %s%s", CASELOAD_MAX, j->worker, teams);
	else
		snprintf(heading, sizeof heading, "%d %s allocated to %s%s", j->n, j->n == 1 ? "child" : "children",
			 j->worker, teams);
	snprintf(empty, sizeof empty, "No children are allocated to %s%s.", j->worker, teams);
	/* The link to the worker's alerts: the name percent-encoded for the query. */
	int used = snprintf(href, sizeof href, "/alerts?owner=");
	for (const unsigned char *c = (const unsigned char *)j->worker; *c && (size_t)used + 4 < sizeof href; c++)
		used += ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
			 strchr("-._~", *c))
				? snprintf(href + used, sizeof href - (size_t)used, "%c", *c)
				: snprintf(href + used, sizeof href - (size_t)used, "%%%02X", *c);
	json_t *view = j->view;
	j->view = NULL;
	json_object_set_new(view, "searched", json_true());
	json_object_set_new(view, "results_heading", json_string(heading));
	json_object_set_new(view, "has_rows", json_boolean(shown > 0));
	json_object_set_new(view, "rows", rows);
	json_object_set_new(view, "empty_text", json_string(empty));
	/* The alerts are their owner's: a manager looking at a worker's caseload is not sent to a refusal. */
	if (strcmp(j->worker, web_user(r->rq)->username) == 0)
		json_object_set_new(view, "alerts_href", json_string(href));
	web_render(r->w, r->rq, 200, "caseload", view);
}

void web_caseload_page(const struct web *w, http_request *rq)
{
	char workerbuf[STORE_USER_MAX * 4 + 8];
	const char *worker = query_param(rq, "worker", workerbuf, sizeof workerbuf);
	json_t *view = json_pack("{s:s, s:b, s:s}", "title", "My caseload", "nav_caseload", 1, "worker", "");
	/* One's own caseload; a team manager sees a worker's children in the teams they manage, no other team's
	 * (alerts_caseload_whose). */
	const struct web_user *u = web_user(rq);
	if (!worker)
		worker = u->username;
	enum alerts_caseload_view whose = alerts_caseload_whose(worker, u->username, u->role);
	if (worker[0] && whose == ALERTS_CASELOAD_REFUSED) {
		json_decref(view);
		web_message_link(w, rq, 403, "You cannot see this caseload",
				 "You can see your own caseload; team managers can see their workers'.", "/caseload",
				 "Go to your caseload");
		return;
	}
	if (text_utf8_valid(worker, strlen(worker)))
		json_object_set_new(view, "worker", json_string(worker));
	if (!worker[0])
		web_add_error(view, "worker", "worker", "Enter your username");
	else if (!web_text_ok(worker, STORE_USER_MAX, false))
		web_add_error(view, "worker", "worker", "A username is 64 characters or fewer, on one line");
	if (json_object_get(view, "errors")) {
		web_render(w, rq, 400, "caseload", view);
		return;
	}
	struct caseload_job *j = calloc(1, sizeof *j);
	if (!j || !(j->kids = calloc(CASELOAD_MAX, sizeof *j->kids))) {
		free(j);
		json_decref(view);
		web_unavailable(w, rq);
		return;
	}
	snprintf(j->worker, sizeof j->worker, "%s", worker);
	j->view_of = whose;
	j->view = view;
	j->r.show = caseload_show;
	j->r.release = caseload_release;
	web_read_start(w, rq, &j->r, "caseload.read", 0, "caseload, worker set"); /* as the inbox: not the name */
}
