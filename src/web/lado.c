/*
 * web/lado.c — the LADO's pages (issue 18): the queue of open allegations (most overdue first) and the alerts
 * of its clocks, entering a new allegation (the person found across employers, confirmed or created), the
 * person with their employers and allegations, and one allegation's process with a form for its next step.
 *
 * Every page is one job of the write queue: the service (service/lado.h) decides who may, reads or writes and
 * audits in the job's transaction, and the job builds the page's view there; the page is answered when the
 * transaction is durable. No decision here but which form to show next.
 */
#include "web/web_int.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "http/server.h"
#include "service/lado.h"
#include "service/txq.h"

struct lado_job {
	struct txq_job job; /* first: the queue hands it back */
	const struct web *w;
	http_request *rq;
	char actor[96], username[STORE_USER_MAX + 1], role[STORE_CODE_MAX + 1];
	struct lado_who who;
	struct date today;
	int64_t id;
	int (*build)(store_conn *c, struct lado_job *j);
	/* the answer */
	int result;         /* the service's: 0, LADO_EINVALID, LADO_EDENIED */
	bool found;
	json_t *view;
	const char *tmpl;
	int status;
	char redirect[96];
	/* a form's fields (posts) */
	json_t *form;
	struct lado_error err;
};

static void job_free(struct lado_job *j)
{
	json_decref(j->view);
	json_decref(j->form);
	free(j);
}

static const char *form_str(const struct lado_job *j, const char *key)
{
	const char *v = json_string_value(json_object_get(j->form, key));
	return v ? v : "";
}

static void lado_done(struct txq_job *job)
{
	struct lado_job *j = (struct lado_job *)job;
	if (job->rc < 0)
		web_write_failed(j->w, j->rq, job->rc, "Sorry, there is a problem with the service",
				 "Nothing was saved. Try again later.", NULL, NULL);
	else if (j->result == LADO_EDENIED)
		web_message(j->w, j->rq, 403, "You cannot use this page", "Allegations against people who work with children are the LADO's.");
	else if (!j->found)
		web_message_link(j->w, j->rq, 404, "Page not found", "There is nothing with this number.", "/lado",
				 "Allegations");
	else if (j->redirect[0])
		web_redirect(j->rq, j->redirect);
	else {
		web_render(j->w, j->rq, j->status ? j->status : 200, j->tmpl, j->view);
		j->view = NULL; /* web_render took it */
	}
	http_resume(j->rq);
	job_free(j);
}

static int lado_run(store_conn *c, void *arg)
{
	struct lado_job *j = arg;
	j->found = true;
	int rc = j->build(c, j);
	if (rc == LADO_EINVALID || rc == LADO_EDENIED) { /* answers: keep the refusal's audit entry */
		j->result = rc;
		return 0;
	}
	return rc;
}

static struct lado_job *job_new(const struct web *w, http_request *rq, int64_t id,
				int (*build)(store_conn *c, struct lado_job *j))
{
	const struct web_user *u = web_user(rq);
	struct lado_job *j = calloc(1, sizeof *j);
	if (!j)
		return NULL;
	j->w = w;
	j->rq = rq;
	snprintf(j->actor, sizeof j->actor, "%s", u->actor);
	snprintf(j->username, sizeof j->username, "%s", u->username);
	snprintf(j->role, sizeof j->role, "%s", u->role);
	j->who = (struct lado_who){j->actor, j->username, j->role};
	j->today = web_today();
	j->id = id;
	j->build = build;
	j->job.run = lado_run;
	j->job.arg = j;
	j->job.done = lado_done;
	return j;
}

static void job_submit(struct lado_job *j)
{
	http_suspend(j->rq);
	txq_submit(j->w->q, &j->job);
}

static void start(const struct web *w, http_request *rq, int64_t id, int (*build)(store_conn *c, struct lado_job *j),
		  json_t *form)
{
	struct lado_job *j = job_new(w, rq, id, build);
	if (!j) {
		json_decref(form);
		web_unavailable(w, rq);
		return;
	}
	j->form = form;
	job_submit(j);
}

/* ---- pieces ---- */

static void day_text(const char *iso, char *out, size_t outsz)
{
	struct date d;
	if (!iso[0] || !web_day_text(iso, &d, out, outsz))
		snprintf(out, outsz, "%s", "");
}

static void name_of(const char *given, const char *family, char *out, size_t outsz)
{
	web_short_name(given, family, out, outsz);
}

static json_t *alert_json(const struct lado_job *j, const struct store_lado_alert *a)
{
	char due[DATE_LONG_MAX + 1], raised[DATE_LONG_MAX + 1], name[2 * STORE_NAME_BYTES + 8], href[64];
	struct date d;
	day_text(a->due[0] ? a->due : a->raised_on, due, sizeof due);
	day_text(a->raised_on, raised, sizeof raised);
	name_of(a->given_name, a->family_name, name, sizeof name);
	if (a->allegation_id)
		snprintf(href, sizeof href, "/lado/allegations/%lld", (long long)a->allegation_id);
	else
		snprintf(href, sizeof href, "/lado/people/%lld", (long long)a->person_id);
	bool open = strcmp(a->state, "open") == 0;
	bool overdue = open && date_parse_iso(a->due[0] ? a->due : a->raised_on, &d) == 0 && date_cmp(d, j->today) < 0;
	return json_pack("{s:s, s:s, s:o, s:s, s:s, s:s, s:b, s:b, s:s, s:I}", "title", lado_alert_title(a->code), "next",
			 lado_alert_next(a->code), "person", web_str(name), "due", due, "raised", raised, "href", href,
			 "overdue", overdue, "open", open, "owner", LADO_TEAM, "person_id", (json_int_t)a->person_id);
}

static json_t *allegation_row(const struct lado_job *j, const struct store_lado_allegation *a)
{
	char received[DATE_LONG_MAX + 1], due[DATE_LONG_MAX + 1] = "", name[2 * STORE_NAME_BYTES + 8];
	const char *step;
	struct date d;
	bool has_due;
	day_text(a->received_on, received, sizeof received);
	lado_next(a, &step, &d, &has_due);
	if (has_due)
		date_format_long(d, due);
	name_of(a->given_name, a->family_name, name, sizeof name);
	const struct lado_outcome *o = lado_outcome_find(a->outcome);
	const char *state = step ? step : strcmp(a->threshold, "threshold_not_met") == 0 ? "Closed: threshold not met" : "Closed";
	return json_pack("{s:I, s:I, s:o, s:o, s:s, s:s, s:s, s:b, s:s, s:b}", "id", (json_int_t)a->id, "person_id",
			 (json_int_t)a->person_id, "person", web_str(name), "employer", web_str(a->employer), "received",
			 received, "next", state, "due", due, "overdue", has_due && date_cmp(d, j->today) < 0, "outcome",
			 o ? o->label : "", "open", step != NULL);
}

/* ---- GET /lado: the queue ---- */

static int queue_allegation(const struct store_lado_allegation *a, void *ctx)
{
	struct lado_job *j = ctx;
	json_array_append_new(json_object_get(j->view, "allegations"), allegation_row(j, a));
	return 0;
}

static int queue_alert(const struct store_lado_alert *a, void *ctx)
{
	struct lado_job *j = ctx;
	json_array_append_new(json_object_get(j->view, "alerts"), alert_json(j, a));
	return 0;
}

static int build_queue(store_conn *c, struct lado_job *j)
{
	j->tmpl = "lado";
	j->view = json_pack("{s:s, s:b, s:[], s:[]}", "title", "Allegations against people who work with children",
			    "nav_lado", 1, "allegations", "alerts");
	int rc = lado_queue(c, &j->who, j->today, queue_allegation, queue_alert, j);
	if (rc)
		return rc;
	size_t na = json_array_size(json_object_get(j->view, "allegations"));
	size_t nl = json_array_size(json_object_get(j->view, "alerts"));
	char h1[96], h2[96];
	snprintf(h1, sizeof h1, "%zu open allegation%s, most overdue first", na, na == 1 ? "" : "s");
	snprintf(h2, sizeof h2, "%zu open alert%s for the %s, most overdue first", nl, nl == 1 ? "" : "s", LADO_TEAM);
	json_object_set_new(j->view, "allegations_heading", json_string(h1));
	json_object_set_new(j->view, "alerts_heading", json_string(h2));
	json_object_set_new(j->view, "has_allegations", json_boolean(na > 0));
	json_object_set_new(j->view, "has_alerts", json_boolean(nl > 0));
	return 0;
}

void web_lado_page(const struct web *w, http_request *rq)
{
	start(w, rq, 0, build_queue, NULL);
}

/* ---- GET and POST /lado/new: a new allegation ---- */

/* The form's fields: names as posted; a date is three fields NAME-day, NAME-month, NAME-year. */
static const char *const text_fields[] = {"given-name", "family-name", "employer", "home-urn", "job", "referrer",
					  "summary", "person"};
static const char *const date_fields[] = {"dob", "from", "to", "received"};

static void error_key(const char *field, char *out, size_t outsz)
{
	snprintf(out, outsz, "%s", field);
	for (char *p = out; *p; p++)
		if (*p == '-')
			*p = '_';
}

static void add_error(json_t *view, const char *field, const char *message)
{
	char key[48], anchor[48];
	error_key(field, key, sizeof key);
	bool is_date = false;
	for (size_t i = 0; i < sizeof date_fields / sizeof date_fields[0]; i++)
		is_date |= strcmp(field, date_fields[i]) == 0;
	snprintf(anchor, sizeof anchor, "%s%s", field, is_date ? "-day" : "");
	if (!json_object_get(json_object_get(view, "errors"), key))
		web_add_error(view, key, anchor, message);
}

static json_t *new_view(const struct lado_job *j)
{
	json_t *view = json_pack("{s:s, s:b, s:{s:s, s:s}}", "title", "Enter a new allegation", "nav_lado", 1, "back",
				 "href", "/lado", "text", "Back to allegations");
	json_t *form = json_object();
	if (j && j->form) {
		const char *k;
		json_t *v;
		json_object_foreach(j->form, k, v)
		{
			char key[48];
			error_key(k, key, sizeof key);
			json_object_set(form, key, v);
		}
	}
	json_object_set_new(view, "form", form);
	return view;
}

void web_lado_new_page(const struct web *w, http_request *rq)
{
	web_render(w, rq, 200, "lado_new", new_view(NULL));
}

struct cand_list {
	struct lado_candidate c[LADO_CANDIDATES_MAX];
	size_t n;
};

static int build_new(store_conn *c, struct lado_job *j)
{
	j->tmpl = "lado_new";
	j->view = new_view(j);
	/* Dates: three boxes each, checked here for being dates at all; the service checks what they mean. */
	char iso[4][16] = {"", "", "", ""};
	for (size_t i = 0; i < 4; i++) {
		char d[24], m[24], y[24];
		snprintf(d, sizeof d, "%s-day", date_fields[i]);
		snprintf(m, sizeof m, "%s-month", date_fields[i]);
		snprintf(y, sizeof y, "%s-year", date_fields[i]);
		struct date dt;
		bool given;
		if (web_date_fields(form_str(j, d), form_str(j, m), form_str(j, y), &dt, &given) != 0)
			add_error(j->view, date_fields[i], "Enter a real date, for example 3 4 1985");
		else if (given)
			date_format_iso(dt, iso[i]);
	}
	const char *person = form_str(j, "person");
	int64_t person_id = 0;
	bool chose_new = strcmp(person, "new") == 0;
	if (person[0] && !chose_new)
		person_id = strtoll(person, NULL, 10);
	int rc = 0;
	if (!json_object_get(j->view, "errors") && !person_id && !chose_new) {
		/* First, who is it? The people who may be this one, for the LADO to confirm or to say "new". */
		struct cand_list *cl = calloc(1, sizeof *cl);
		if (!cl)
			return STORE_EIO;
		rc = lado_candidates(c, &j->who, form_str(j, "given-name"), form_str(j, "family-name"), iso[0], j->today,
				     cl->c, LADO_CANDIDATES_MAX, &cl->n, &j->err);
		if (rc == 0 && cl->n > 0) {
			json_t *cands = json_array();
			for (size_t i = 0; i < cl->n; i++) {
				char name[2 * STORE_NAME_BYTES + 8], dob[DATE_LONG_MAX + 1], label[sizeof name + 64];
				name_of(cl->c[i].p.given_name, cl->c[i].p.family_name, name, sizeof name);
				day_text(cl->c[i].p.dob, dob, sizeof dob);
				snprintf(label, sizeof label, "%s, born %s", name, dob);
				json_array_append_new(cands, json_pack("{s:I, s:o, s:s}", "id", (json_int_t)cl->c[i].p.id,
								       "label", web_str(label), "why", cl->c[i].why));
			}
			json_object_set_new(j->view, "candidates", cands);
			json_object_set_new(j->view, "has_candidates", json_true());
			add_error(j->view, "person", "Say whether this is a person already known, or a new person");
			j->status = 400;
			free(cl);
			return 0;
		}
		free(cl);
		if (rc == LADO_EINVALID) {
			add_error(j->view, j->err.field, j->err.message);
			j->status = 400;
			return 0;
		}
		if (rc)
			return rc;
	}
	if (json_object_get(j->view, "errors")) {
		j->status = 400;
		return 0;
	}
	struct lado_referral in = {
		.person_id = person_id,
		.given = form_str(j, "given-name"),
		.family = form_str(j, "family-name"),
		.dob = iso[0],
		.employer = form_str(j, "employer"),
		.home_urn = form_str(j, "home-urn"),
		.job = form_str(j, "job"),
		.from_day = iso[1],
		.to_day = iso[2],
		.received_on = iso[3],
		.referrer = form_str(j, "referrer"),
		.summary = form_str(j, "summary"),
	};
	int64_t id = 0;
	rc = lado_refer(c, &j->who, &in, j->today, &id, NULL, &j->err);
	if (rc == LADO_EINVALID) {
		add_error(j->view, j->err.field, j->err.message);
		j->status = 400;
		return 0;
	}
	if (rc)
		return rc;
	snprintf(j->redirect, sizeof j->redirect, "/lado/allegations/%lld?entered=1", (long long)id);
	return 0;
}

/* The posted fields, kept to show again (text that is not UTF-8 is an error of its field). */
static json_t *take_form(http_request *rq, const char *const *names, size_t n, json_t **bad)
{
	json_t *form = json_object();
	for (size_t i = 0; i < n; i++) {
		char v[STORE_LONG_TEXT * 2];
		web_field(rq, names[i], v, sizeof v);
		if (!text_utf8_valid(v, strlen(v))) {
			if (!*bad)
				*bad = json_array();
			json_array_append_new(*bad, json_string(names[i]));
			v[0] = '\0';
		}
		json_object_set_new(form, names[i], json_string(v));
	}
	return form;
}

void web_lado_new_submit(const struct web *w, http_request *rq)
{
	json_t *bad = NULL;
	json_t *form = take_form(rq, text_fields, sizeof text_fields / sizeof text_fields[0], &bad);
	const char *parts[] = {"day", "month", "year"};
	for (size_t i = 0; i < sizeof date_fields / sizeof date_fields[0]; i++)
		for (size_t k = 0; k < 3; k++) {
			char name[32], v[16];
			snprintf(name, sizeof name, "%s-%s", date_fields[i], parts[k]);
			web_field(rq, name, v, sizeof v);
			json_object_set_new(form, name, json_string(text_utf8_valid(v, strlen(v)) ? v : ""));
		}
	if (bad) {
		json_t *view = new_view(NULL);
		size_t i;
		json_t *f;
		json_array_foreach(bad, i, f) add_error(view, json_string_value(f), "This answer contains characters that cannot be saved: type it again");
		json_decref(bad);
		json_decref(form);
		web_render(w, rq, 400, "lado_new", view);
		return;
	}
	start(w, rq, 0, build_new, form);
}

/* ---- GET /lado/people/{id} ---- */

static int person_employment(const struct store_lado_employment *e, void *ctx)
{
	struct lado_job *j = ctx;
	char from[DATE_LONG_MAX + 1], to[DATE_LONG_MAX + 1];
	day_text(e->from_day, from, sizeof from);
	day_text(e->to_day, to, sizeof to);
	json_array_append_new(json_object_get(j->view, "employers"),
			      json_pack("{s:o, s:o, s:s, s:s, s:s, s:b}", "employer", web_str(e->employer), "role",
					web_str(e->role[0] ? e->role : "Not known"), "from", from[0] ? from : "Not known",
					"to", to[0] ? to : "Still there or not known", "urn", e->home_urn,
					"is_home", e->home_id != 0));
	return 0;
}

static int person_allegation(const struct store_lado_allegation *a, void *ctx)
{
	struct lado_job *j = ctx;
	json_array_append_new(json_object_get(j->view, "allegations"), allegation_row(j, a));
	return 0;
}

static int person_alert(const struct store_lado_alert *a, void *ctx)
{
	struct lado_job *j = ctx;
	json_array_append_new(json_object_get(j->view, "alerts"), alert_json(j, a));
	return 0;
}

static int build_person(store_conn *c, struct lado_job *j)
{
	struct store_lado_person p;
	j->tmpl = "lado_person";
	j->view = json_pack("{s:b, s:[], s:[], s:[], s:{s:s, s:s}}", "nav_lado", 1, "employers", "allegations", "alerts",
			    "back", "href", strcmp(j->role, "lado") == 0 ? "/lado" : "/dpo", "text",
			    strcmp(j->role, "lado") == 0 ? "Back to allegations" : "Back");
	int rc = lado_person_read(c, &j->who, j->id, &p, &j->found, person_employment, person_allegation, person_alert, j);
	if (rc || !j->found)
		return rc;
	char name[2 * STORE_NAME_BYTES + 8], dob[DATE_LONG_MAX + 1];
	name_of(p.given_name, p.family_name, name, sizeof name);
	day_text(p.dob, dob, sizeof dob);
	json_object_set_new(j->view, "title", web_str(name));
	json_object_set_new(j->view, "name", web_str(name));
	json_object_set_new(j->view, "dob", json_string(dob));
	json_object_set_new(j->view, "person_id", json_integer(j->id));
	size_t ne = json_array_size(json_object_get(j->view, "employers"));
	json_object_set_new(j->view, "across", json_boolean(ne > 1));
	json_object_set_new(j->view, "has_alerts", json_boolean(json_array_size(json_object_get(j->view, "alerts")) > 0));
	return 0;
}

void web_lado_person_page(const struct web *w, http_request *rq, int64_t id)
{
	start(w, rq, id, build_person, NULL);
}

/* ---- GET /lado/allegations/{id} and POST .../steps ---- */

static json_t *step_json(const char *title, const char *day, const char *choice, const char *notes, bool done,
			 const char *status)
{
	char when[DATE_LONG_MAX + 1];
	day_text(day, when, sizeof when);
	return json_pack("{s:s, s:s, s:o, s:o, s:b, s:s}", "title", title, "when", when, "choice", web_str(choice),
			 "notes", web_str(notes), "done", done, "status", status);
}

/* Which form comes next: the step the allegation waits for, or -1 when it is closed. */
static int next_form(const struct store_lado_allegation *a)
{
	if (strcmp(a->threshold, "threshold_not_met") == 0 || a->employer_action_on[0])
		return -1;
	if (!a->consideration_on[0])
		return LADO_STEP_CONSIDERATION;
	if (strcmp(a->threshold, "threshold_met") == 0 && !a->strategy_on[0] && !a->outcome_on[0])
		return LADO_STEP_STRATEGY;
	if (!a->outcome_on[0])
		return LADO_STEP_OUTCOME;
	return LADO_STEP_EMPLOYER;
}

static const char *const step_titles[LADO_STEP_COUNT] = {"Initial consideration", "Strategy discussion", "Outcome",
							 "Employer's actions"};
/* The same inside a sentence ("Record the strategy discussion"). */
static const char *const step_words[LADO_STEP_COUNT] = {"initial consideration", "strategy discussion", "outcome",
							"employer's actions"};

static int allegation_alert(const struct store_lado_alert *a, void *ctx)
{
	struct lado_job *j = ctx;
	json_array_append_new(json_object_get(j->view, "alerts"), alert_json(j, a));
	return 0;
}

static int build_allegation(store_conn *c, struct lado_job *j)
{
	struct store_lado_allegation *a = calloc(1, sizeof *a);
	if (!a)
		return STORE_EIO;
	json_t *keep = j->view; /* a step's form with its errors, when it comes back */
	j->tmpl = "lado_allegation";
	j->view = json_pack("{s:b, s:[]}", "nav_lado", 1, "alerts");
	int rc = lado_allegation_read(c, &j->who, j->id, a, &j->found, allegation_alert, j);
	if (rc || !j->found) {
		json_decref(keep);
		free(a);
		return rc;
	}
	char name[2 * STORE_NAME_BYTES + 8], received[DATE_LONG_MAX + 1], title[64], back[48];
	name_of(a->given_name, a->family_name, name, sizeof name);
	day_text(a->received_on, received, sizeof received);
	snprintf(title, sizeof title, "Allegation %lld", (long long)a->id);
	snprintf(back, sizeof back, "/lado/people/%lld", (long long)a->person_id);
	json_object_set_new(j->view, "title", json_string(title));
	json_object_set_new(j->view, "id", json_integer(a->id));
	json_object_set_new(j->view, "person", web_str(name));
	json_object_set_new(j->view, "person_id", json_integer(a->person_id));
	json_object_set_new(j->view, "employer", web_str(a->employer));
	json_object_set_new(j->view, "received", json_string(received));
	json_object_set_new(j->view, "referrer", web_str(a->referrer));
	json_object_set_new(j->view, "summary", web_str(a->summary));
	json_object_set_new(j->view, "back", json_pack("{s:s, s:s}", "href", back, "text", "The person's allegations"));
	json_object_set_new(j->view, "entered", json_boolean(http_query(j->rq, "entered") != NULL));
	json_object_set_new(j->view, "recorded", json_boolean(http_query(j->rq, "recorded") != NULL));

	/* The steps, each with its state (GOV.UK task list). */
	const char *step;
	struct date due;
	bool has_due;
	lado_next(a, &step, &due, &has_due);
	char due_text[DATE_LONG_MAX + 40] = "";
	if (has_due) {
		char d[DATE_LONG_MAX + 1];
		date_format_long(due, d);
		snprintf(due_text, sizeof due_text, "%s by %s", date_cmp(due, j->today) < 0 ? "Overdue: due" : "Due", d);
	}
	int next = next_form(a);
	bool met = strcmp(a->threshold, "threshold_met") == 0, not_met = strcmp(a->threshold, "threshold_not_met") == 0;
	const struct lado_outcome *o = lado_outcome_find(a->outcome);
	json_t *steps = json_array();
	json_array_append_new(steps, step_json(step_titles[0], a->consideration_on,
					       met ? "The harm threshold is met" : not_met ? "The harm threshold is not met: the employer deals with it" : "",
					       a->consideration_notes, a->consideration_on[0], next == 0 ? due_text : ""));
	json_array_append_new(steps, step_json(step_titles[1], a->strategy_on, "", a->strategy_notes, a->strategy_on[0],
					       next == 1 ? due_text : not_met || (!met && a->consideration_on[0]) ? "Not needed" : ""));
	json_array_append_new(steps, step_json(step_titles[2], a->outcome_on, o ? o->label : "", a->outcome_notes,
					       a->outcome_on[0], next == 2 ? due_text : not_met ? "Not needed" : ""));
	json_array_append_new(steps, step_json(step_titles[3], a->employer_action_on, "", a->employer_action,
					       a->employer_action_on[0], next == 3 ? due_text : not_met ? "Not needed" : ""));
	json_object_set_new(j->view, "steps", steps);
	json_object_set_new(j->view, "closed", json_boolean(next < 0));
	json_object_set_new(j->view, "has_alerts", json_boolean(json_array_size(json_object_get(j->view, "alerts")) > 0));

	/* The form of the next step, for the LADO (the DPO reads). */
	if (next >= 0 && access_lado_may(j->role, true)) {
		json_t *f = json_pack("{s:s, s:s, s:b, s:b, s:b, s:b}", "code", lado_step_code((enum lado_step)next), "title",
				      step_words[next], "consideration", next == LADO_STEP_CONSIDERATION, "strategy",
				      next == LADO_STEP_STRATEGY, "outcome", next == LADO_STEP_OUTCOME, "employer",
				      next == LADO_STEP_EMPLOYER);
		json_t *outcomes = json_array();
		const struct lado_outcome *oc;
		const char *chosen = keep ? json_string_value(json_object_get(json_object_get(keep, "form"), "choice")) : NULL;
		for (size_t i = 0; (oc = lado_outcome_at(i)) != NULL; i++)
			json_array_append_new(outcomes, json_pack("{s:s, s:s, s:s, s:b}", "code", oc->code, "label", oc->label,
								  "definition", oc->definition, "checked",
								  chosen && strcmp(chosen, oc->code) == 0));
		json_object_set_new(f, "outcomes", outcomes);
		json_object_set_new(j->view, "step_form", f);
		json_object_set_new(j->view, "notes_required", json_boolean(next == LADO_STEP_STRATEGY || next == LADO_STEP_EMPLOYER));
	}
	if (keep) { /* the errors and answers of a step posted wrong */
		const char *k;
		json_t *v;
		json_object_foreach(keep, k, v) json_object_set(j->view, k, v);
		json_decref(keep);
		j->status = 400;
	}
	free(a);
	return 0;
}

void web_lado_allegation_page(const struct web *w, http_request *rq, int64_t id)
{
	start(w, rq, id, build_allegation, NULL);
}

static int build_step(store_conn *c, struct lado_job *j)
{
	int step = lado_step_from_code(form_str(j, "step"));
	char iso[16] = "";
	struct date d;
	bool given;
	json_t *errs = json_object(); /* the view's error keys, copied over the page's view when it comes back */
	if (web_date_fields(form_str(j, "day-day"), form_str(j, "day-month"), form_str(j, "day-year"), &d, &given) != 0 ||
	    !given)
		web_add_error(errs, "day", "day-day", "Enter the day as a real date, for example 3 4 2026");
	else
		date_format_iso(d, iso);
	if (!json_object_get(errs, "errors")) {
		struct lado_step_in in = {(enum lado_step)step, iso, form_str(j, "choice"), form_str(j, "notes")};
		int rc = lado_record_step(c, &j->who, j->id, &in, j->today, &j->found, &j->err);
		if (rc == 0 && j->found) {
			json_decref(errs);
			snprintf(j->redirect, sizeof j->redirect, "/lado/allegations/%lld?recorded=1#process", (long long)j->id);
			return 0;
		}
		if (rc != LADO_EINVALID) {
			json_decref(errs);
			return rc;
		}
		const char *field = strcmp(j->err.field, "threshold") == 0 || strcmp(j->err.field, "outcome") == 0 ? "choice"
													     : j->err.field;
		char anchor[32];
		snprintf(anchor, sizeof anchor, "%s", strcmp(field, "day") == 0 ? "day-day" : strcmp(field, "step") == 0 ? "process" : field);
		if (strcmp(field, "choice") == 0)
			snprintf(anchor, sizeof anchor, "%s", "choice");
		web_add_error(errs, field, anchor, j->err.message);
	}
	json_t *form = json_object();
	const char *keys[] = {"day-day", "day-month", "day-year", "choice", "notes"};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		char key[16];
		error_key(keys[i], key, sizeof key);
		json_object_set_new(form, key, json_string(form_str(j, keys[i])));
	}
	const char *choice = form_str(j, "choice");
	json_object_set_new(form, "met", json_boolean(strcmp(choice, "threshold_met") == 0));
	json_object_set_new(form, "not_met", json_boolean(strcmp(choice, "threshold_not_met") == 0));
	json_object_set_new(errs, "form", form);
	j->view = errs;
	return build_allegation(c, j);
}

void web_lado_step_submit(const struct web *w, http_request *rq, int64_t id)
{
	static const char *const names[] = {"step", "day-day", "day-month", "day-year", "choice", "notes"};
	json_t *bad = NULL;
	json_t *form = take_form(rq, names, sizeof names / sizeof names[0], &bad);
	if (bad) { /* not UTF-8: shown again empty, with the error */
		json_decref(bad);
		json_object_set_new(form, "notes", json_string(""));
	}
	start(w, rq, id, build_step, form);
}
