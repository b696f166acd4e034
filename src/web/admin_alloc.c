/*
 * web/admin_alloc.c — allocating a child by finding them (issue 15): the administrator searches for the
 * child (name, date of birth, NHS number or the child's number) and for the worker (name), picks one of
 * each, and a confirmation page names both ("Allocate Amelia Brown (born 3 May 2016) to Sam Patel, Family
 * Support North?") before the POST of web/admin.c allocates.
 *
 * What the administrator is shown of a child is decided by the service (service/access.h
 * access_allocation_may_find, service/cases.h): who the child is, never the record, never a sealed child.
 * Each search is audited with the ids it showed ("allocation.search") and each confirmation page with its
 * child ("allocation.confirm") before anything is shown. Only people who may hold a case are offered as
 * workers (service/users.h users_may_hold_cases); the allocation itself checks again (cases_allocate).
 */
#include "web/web_int.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/event.h"
#include "core/ident.h"
#include "core/text.h"
#include "service/cases.h"
#include "service/children.h"
#include "service/users.h"

#define CHILDREN_SHOWN 20
#define WORKERS_SHOWN 20
#define TEAMS_SHOWN 500
#define DEFAULT_TEAM "default" /* as web/admin.c and `safeguard allocate` */
#define QUERY_MAX 100          /* characters */

static json_t *alloc_view(const char *title)
{
	return json_pack("{s:s, s:b, s:{s:s, s:s}}", "title", title, "nav_admin", 1, "back", "href", "/admin", "text",
			 "Administration");
}

static bool code_ok(const char *code)
{
	size_t n = strlen(code);
	return n <= STORE_CODE_MAX && strspn(code, "abcdefghijklmnopqrstuvwxyz0123456789_-") == n;
}

static bool username_ok(const char *u)
{
	size_t n = strlen(u);
	return n >= 1 && n <= STORE_USER_MAX && strspn(u, "abcdefghijklmnopqrstuvwxyz0123456789._-") == n;
}

/* ---- the teams ---- */

struct teams_ctx {
	json_t *options;
	const char *selected;
	const char *want; /* a code whose name is wanted */
	char name[101];
	bool found;
};

static int team_row(const struct store_team *t, void *ctx)
{
	struct teams_ctx *c = ctx;
	if (c->want && strcmp(t->code, c->want) == 0) {
		snprintf(c->name, sizeof c->name, "%s", t->name);
		c->found = true;
	}
	if (c->options)
		return json_array_append_new(c->options, json_pack("{s:o, s:o, s:b}", "value", web_str(t->code), "text",
								   web_str(t->name), "selected",
								   c->selected && strcmp(c->selected, t->code) == 0))
			       ? STORE_EIO
			       : 0;
	return 0;
}

/* ---- the search page ---- */

struct alloc_search {
	struct web_read read; /* first: web_read_start's */
	json_t *view, *children;
	int64_t ids[CHILDREN_SHOWN];
	int n;
};

static int child_row(const struct cases_child *ch, void *ctx)
{
	struct alloc_search *a = ctx;
	char name[3 * STORE_NAME_BYTES], dob[64];
	for (int i = 0; i < a->n; i++)
		if (a->ids[i] == ch->id)
			return 0; /* found by two readings of the name */
	if (a->n == CHILDREN_SHOWN)
		return 0;
	a->ids[a->n++] = ch->id;
	web_short_name(ch->given_name, ch->family_name, name, sizeof name);
	if (ch->dob[0])
		web_dob_text(ch->dob, false, dob, sizeof dob);
	else
		snprintf(dob, sizeof dob, "date of birth not recorded");
	char label[sizeof name + sizeof dob + 64];
	snprintf(label, sizeof label, "%s, %s%s (number %lld)", name, ch->dob[0] ? "born " : "", dob, (long long)ch->id);
	return json_array_append_new(a->children, json_pack("{s:I, s:o, s:b}", "id", (json_int_t)ch->id, "label",
							    json_string(text_utf8_valid(label, strlen(label)) ? label : ""),
							    "first", a->n == 1))
		       ? STORE_EIO
		       : 0;
}

struct workers_ctx {
	json_t *rows;
	const struct web *w;
};

static int worker_row(const struct users_person *p, int64_t id, void *ctx)
{
	struct workers_ctx *c = ctx;
	struct teams_ctx t = {.want = p->team};
	if (p->team[0] && cases_teams(c->w->st, TEAMS_SHOWN, team_row, &t) != STORE_OK)
		return STORE_EIO;
	char label[STORE_PERSON_NAME_MAX + STORE_USER_MAX + 240];
	snprintf(label, sizeof label, "%s (%s), %s%s%s", p->name, p->username, web_role_name(p->role),
		 t.found ? ", " : "", t.found ? t.name : "");
	return json_array_append_new(c->rows, json_pack("{s:o, s:o, s:b}", "username", web_str(p->username), "label",
							json_string(text_utf8_valid(label, strlen(label)) ? label : ""),
							"first", json_array_size(c->rows) == 0))
		       ? STORE_EIO
		       : 0;
}

static void search_show(struct web_read *r)
{
	struct alloc_search *a = (struct alloc_search *)r;
	json_t *view = a->view;
	a->view = NULL;
	web_render(r->w, r->rq, 200, "admin_allocations", view);
}

static void search_release(struct web_read *r)
{
	struct alloc_search *a = (struct alloc_search *)r;
	json_decref(a->view);
	free(a);
}

/* The readings of what was typed about the child, searched in turn (as the practitioners' search does). */
static int find_children(const struct web *w, struct alloc_search *a, const struct access_reader *who,
			 const char *query, const char *iso, bool *bad_nhs)
{
	char folded[4 * QUERY_MAX + 8] = "", nhs[IDENT_NHS_LEN + 1];
	int64_t id = 0;
	struct store_search s = {.dob = iso, .dob_alt = "", .limit = CHILDREN_SHOWN, .family_prefix = "", .given_prefix = ""};
	*bad_nhs = false;
	int nhs_rc = ident_nhs_check(query, nhs);
	if (nhs_rc == IDENT_OK) {
		s.nhs = nhs;
		return cases_find_children(w->st, who, &s, 0, child_row, a);
	}
	if (query[0] && event_parse_id(query, strlen(query), &id))
		return cases_find_children(w->st, who, &s, id, child_row, a);
	if (nhs_rc == IDENT_ECHECK) {
		*bad_nhs = true;
		return STORE_OK;
	}
	if (text_name_fold(query, folded, sizeof folded) < 0)
		folded[0] = '\0';
	if (!folded[0])
		return cases_find_children(w->st, who, &s, 0, child_row, a); /* a date of birth alone */
	char *first = folded, *last = strrchr(folded, ' ');
	int rc;
	if (!last) {
		s.family_prefix = first;
		rc = cases_find_children(w->st, who, &s, 0, child_row, a);
		s.family_prefix = "";
		s.given_prefix = first;
		return rc == STORE_OK ? cases_find_children(w->st, who, &s, 0, child_row, a) : rc;
	}
	*last++ = '\0';
	char *sp = strchr(first, ' ');
	if (sp)
		*sp = '\0';
	s.given_prefix = first;
	s.family_prefix = last;
	rc = cases_find_children(w->st, who, &s, 0, child_row, a);
	s.given_prefix = last;
	s.family_prefix = first;
	return rc == STORE_OK ? cases_find_children(w->st, who, &s, 0, child_row, a) : rc;
}

void web_admin_allocations_page(const struct web *w, http_request *rq)
{
	const char *cq = http_query(rq, "child_q"), *wq = http_query(rq, "worker_q"), *team = http_query(rq, "team"),
		   *dd = http_query(rq, "dob-day"), *dm = http_query(rq, "dob-month"), *dy = http_query(rq, "dob-year");
	json_t *view = alloc_view("Allocate a child");
	const char *done = http_query(rq, "done");
	if (done && strcmp(done, "allocated") == 0)
		json_object_set_new(view, "done_text", json_string("The child is allocated: the worker and the team's "
								   "manager see the record and its alerts."));
	bool searched = cq || wq || dd || dm || dy;
	json_object_set_new(view, "form", json_pack("{s:s, s:s, s:s, s:s, s:s}", "child_q", "", "worker_q", "",
						    "dob_day", "", "dob_month", "", "dob_year", ""));
	json_t *form = json_object_get(view, "form");
	struct teams_ctx tc = {.options = json_array(), .selected = team};
	if (cases_teams(w->st, TEAMS_SHOWN, team_row, &tc) != STORE_OK) {
		json_decref(tc.options);
		json_decref(view);
		web_unavailable(w, rq);
		return;
	}
	json_object_set_new(view, "team_options", tc.options);
	if (!searched) {
		web_render(w, rq, 200, "admin_allocations", view);
		return;
	}
	char query[4 * QUERY_MAX + 8] = "", wquery[4 * QUERY_MAX + 8] = "", iso[DATE_ISO_LEN + 1] = "";
	struct date dob;
	bool dob_given = false;
	if (cq && (!text_utf8_valid(cq, strlen(cq)) || text_utf8_length(cq, strlen(cq)) > QUERY_MAX))
		web_add_error(view, "child_q", "child", "Search for the child with at most 100 characters");
	else if (cq)
		snprintf(query, sizeof query, "%s", cq);
	if (wq && (!text_utf8_valid(wq, strlen(wq)) || text_utf8_length(wq, strlen(wq)) > QUERY_MAX))
		web_add_error(view, "worker_q", "user", "Search for the worker with at most 100 characters");
	else if (wq)
		snprintf(wquery, sizeof wquery, "%s", wq);
	if (web_date_fields(dd, dm, dy, &dob, &dob_given) != 0)
		web_add_error(view, "dob", "dob-day", "Date of birth must be a real date, for example 3 5 2016");
	else if (dob_given)
		date_format_iso(dob, iso);
	if (team && team[0] && !code_ok(team))
		web_add_error(view, "team", "team", "Select a team from the list");
	char folded[4 * QUERY_MAX + 8] = "";
	if (text_name_fold(query, folded, sizeof folded) < 0)
		folded[0] = '\0';
	if (!folded[0] && !dob_given && !json_object_get(view, "errors"))
		web_add_error(view, "child_q", "child", "Enter the child's name, NHS number or number, or a date of birth");
	char wfolded[4 * QUERY_MAX + 8] = "";
	if (text_name_fold(wquery, wfolded, sizeof wfolded) < 0)
		wfolded[0] = '\0';
	if (!wfolded[0] && !json_object_get(json_object_get(view, "errors"), "worker_q"))
		web_add_error(view, "worker_q", "user", "Enter the worker's name");
	json_object_set_new(form, "child_q", json_string(text_utf8_valid(query, strlen(query)) ? query : ""));
	json_object_set_new(form, "worker_q", json_string(text_utf8_valid(wquery, strlen(wquery)) ? wquery : ""));
	json_object_set_new(form, "dob_day", json_string(dd && text_utf8_valid(dd, strlen(dd)) && strlen(dd) < 8 ? dd : ""));
	json_object_set_new(form, "dob_month", json_string(dm && text_utf8_valid(dm, strlen(dm)) && strlen(dm) < 8 ? dm : ""));
	json_object_set_new(form, "dob_year", json_string(dy && text_utf8_valid(dy, strlen(dy)) && strlen(dy) < 8 ? dy : ""));
	if (json_object_get(view, "errors")) {
		web_render(w, rq, 400, "admin_allocations", view);
		return;
	}
	struct alloc_search *a = calloc(1, sizeof *a);
	if (!a) {
		json_decref(view);
		web_unavailable(w, rq);
		return;
	}
	a->view = view;
	a->children = json_array();
	struct children_access reader;
	web_access_init(&reader, rq, "allocation.search", 0, ACCESS_NONE, "");
	bool bad_nhs = false;
	int rc = find_children(w, a, &reader.reader, query, iso, &bad_nhs);
	struct workers_ctx wc = {json_array(), w};
	if (rc == STORE_OK)
		rc = users_find(w->st, wquery, true, WORKERS_SHOWN, worker_row, &wc);
	if (rc != STORE_OK) {
		json_decref(a->children);
		json_decref(wc.rows);
		search_release(&a->read);
		web_unavailable(w, rq);
		return;
	}
	if (bad_nhs) {
		json_decref(a->children);
		json_decref(wc.rows);
		a->view = NULL;
		web_add_error(view, "child_q", "child", "That NHS number is not valid: check each digit");
		search_release(&a->read);
		web_render(w, rq, 400, "admin_allocations", view);
		return;
	}
	json_object_set_new(view, "searched", json_true());
	json_object_set_new(view, "has_children", json_boolean(a->n > 0));
	json_object_set_new(view, "children", a->children);
	json_object_set_new(view, "has_workers", json_boolean(json_array_size(wc.rows) > 0));
	json_object_set_new(view, "workers", wc.rows);
	json_object_set_new(view, "can_continue", json_boolean(a->n > 0 && json_array_size(wc.rows) > 0));
	json_object_set_new(view, "team", json_string(team && code_ok(team) ? team : ""));
	/* The audit entry names every child shown, by number (no personal data). */
	char detail[CHILDREN_DETAIL_MAX];
	size_t len = (size_t)snprintf(detail, sizeof detail, "to allocate; children shown:");
	for (int i = 0; i < a->n && len < sizeof detail; i++)
		len += (size_t)snprintf(detail + len, sizeof detail - len, " %lld", (long long)a->ids[i]);
	if (a->n == 0)
		snprintf(detail + len, sizeof detail - len, " none");
	a->read.show = search_show;
	a->read.release = search_release;
	web_read_start(w, rq, &a->read, "allocation.search", 0, detail);
}

/* ---- the confirmation page ---- */

struct alloc_confirm {
	struct web_read read; /* first */
	int64_t child_id;
	char team[STORE_CODE_MAX + 1], team_name[101], user[STORE_USER_MAX + 1];
	char team_given[STORE_CODE_MAX + 1];
	struct users_person worker;
};

static void refuse(const struct web *w, http_request *rq, const char *field, const char *anchor, const char *msg)
{
	json_t *view = alloc_view("Allocate a child");
	struct teams_ctx tc = {.options = json_array()};
	if (cases_teams(w->st, TEAMS_SHOWN, team_row, &tc) != STORE_OK) {
		json_decref(tc.options);
		json_decref(view);
		web_unavailable(w, rq);
		return;
	}
	json_object_set_new(view, "team_options", tc.options);
	json_object_set_new(view, "form", json_pack("{s:s, s:s, s:s, s:s, s:s}", "child_q", "", "worker_q", "",
						    "dob_day", "", "dob_month", "", "dob_year", ""));
	web_add_error(view, field, anchor, msg);
	web_render(w, rq, 400, "admin_allocations", view);
}

static void confirm_show(struct web_read *r)
{
	struct alloc_confirm *c = (struct alloc_confirm *)r;
	struct cases_child ch;
	bool found = false;
	if (r->access.refused) {
		web_unavailable(r->w, r->rq);
		return;
	}
	int rc = cases_child_get(r->w->st, &r->access.reader, c->child_id, &ch, &found);
	if (rc != STORE_OK) {
		web_unavailable(r->w, r->rq);
		return;
	}
	if (!found) {
		refuse(r->w, r->rq, "child", "child", "There is no child with that number: search for the child again");
		return;
	}
	char name[3 * STORE_NAME_BYTES], dob[64] = "", question[3 * STORE_NAME_BYTES + STORE_PERSON_NAME_MAX + 300];
	web_short_name(ch.given_name, ch.family_name, name, sizeof name);
	if (ch.dob[0])
		web_dob_text(ch.dob, false, dob, sizeof dob);
	snprintf(question, sizeof question, "Allocate %s%s%s%s to %s, %s?", name, dob[0] ? " (born " : "", dob,
		 dob[0] ? ")" : "", c->worker.name, c->team_name);
	char number[24], born[80];
	snprintf(number, sizeof number, "%lld", (long long)ch.id);
	snprintf(born, sizeof born, "%s", dob[0] ? dob : "Not recorded");
	char worker[STORE_PERSON_NAME_MAX + STORE_USER_MAX + 80];
	snprintf(worker, sizeof worker, "%s (%s), %s", c->worker.name, c->worker.username, web_role_name(c->worker.role));
	json_t *view = alloc_view("Allocate a child: check");
	json_t *rows = json_array();
	const char *pairs[] = {"Child", name, "Date of birth", born, "Child's number", number, "Worker", worker, "Team",
			       c->team_name, NULL};
	for (size_t i = 0; pairs[i]; i += 2)
		json_array_append_new(rows, json_pack("{s:s, s:o}", "key", pairs[i + 1] ? pairs[i] : "", "value",
						      json_string(text_utf8_valid(pairs[i + 1], strlen(pairs[i + 1])) ? pairs[i + 1] : "")));
	json_object_set_new(view, "caption", json_string("Allocate a child"));
	json_object_set_new(view, "question", json_string(text_utf8_valid(question, strlen(question)) ? question : "Allocate?"));
	json_object_set_new(view, "has_rows", json_true());
	json_object_set_new(view, "rows", rows);
	json_object_set_new(view, "warning", json_string("The worker and the team's manager will see the child's whole "
							 "record and its alerts."));
	json_object_set_new(view, "action", json_string("/admin/allocations"));
	json_object_set_new(view, "button", json_string("Yes, allocate"));
	json_object_set_new(view, "cancel", json_string("/admin/allocations"));
	json_object_set_new(view, "hidden", json_pack("[{s:s, s:s}, {s:s, s:s}, {s:s, s:s}]", "name", "child", "value",
						      number, "name", "team", "value", c->team, "name", "user", "value",
						      c->user));
	web_render(r->w, r->rq, 200, "admin_confirm", view);
}

static void confirm_release(struct web_read *r)
{
	free(r);
}

void web_admin_allocation_confirm(const struct web *w, http_request *rq)
{
	const char *child = http_query(rq, "child"), *team = http_query(rq, "team"), *user = http_query(rq, "user");
	int64_t child_id = 0;
	if (!child || !event_parse_id(child, strlen(child), &child_id)) {
		refuse(w, rq, "child", "child", "Select the child: search for them by name, date of birth or number");
		return;
	}
	if (!user || !username_ok(user)) {
		refuse(w, rq, "worker_q", "user", "Select the worker: search for them by name");
		return;
	}
	if (team && !code_ok(team)) {
		refuse(w, rq, "team", "team", "Select a team from the list");
		return;
	}
	struct alloc_confirm *c = calloc(1, sizeof *c);
	bool found = false;
	if (!c || users_person_get(w->st, user, &c->worker, &found) != STORE_OK) {
		free(c);
		web_unavailable(w, rq);
		return;
	}
	if (!found || !users_may_hold_cases(c->worker.role, c->worker.agency) || c->worker.disabled) {
		free(c);
		refuse(w, rq, "worker_q", "user", found ? "Only a social worker or a team manager of children's social care "
							  "can hold a child's case: find another worker"
							: "There is no person with that username: search for the worker again");
		return;
	}
	c->child_id = child_id;
	snprintf(c->user, sizeof c->user, "%s", user);
	snprintf(c->team_given, sizeof c->team_given, "%s", team ? team : "");
	/* No team chosen: the worker's own team, else the team "default" (as the allocation does). */
	snprintf(c->team, sizeof c->team, "%s", c->team_given[0] ? c->team_given : c->worker.team[0] ? c->worker.team : DEFAULT_TEAM);
	struct teams_ctx tc = {.want = c->team};
	if (cases_teams(w->st, TEAMS_SHOWN, team_row, &tc) != STORE_OK) {
		free(c);
		web_unavailable(w, rq);
		return;
	}
	if (!tc.found && strcmp(c->team, DEFAULT_TEAM) != 0) {
		free(c);
		refuse(w, rq, "team", "team", "There is no such team: select a team from the list");
		return;
	}
	snprintf(c->team_name, sizeof c->team_name, "%s", tc.found ? tc.name : "Default team");
	c->read.show = confirm_show;
	c->read.release = confirm_release;
	web_read_start(w, rq, &c->read, "allocation.confirm", child_id, "to allocate: who the child is");
}
