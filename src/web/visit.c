/*
 * web/visit.c — record a visit to a child: was the child seen, seen alone, what they said in their own
 * words, and for a child who does not communicate in words, how their views and feelings were gathered.
 * The rules read "seen" and "seen_alone" (docs/RULES.md: CP_VISIT_OVERDUE, NOT_SEEN_ALONE,
 * LAC_VISIT_OVERDUE), so the answers are required and kept as booleans in the event's details.
 *
 * Modelled on the concern form (web.c): the answers are checked here, a form with problems is shown again
 * with every answer kept, and a complete one goes through intake on the write queue as the concern does.
 */
#include "web/web_int.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock/now.h"
#include "core/date.h"
#include "core/event.h"
#include "core/text.h"
#include "core/visit.h"
#include "service/children.h"
#include "service/intake.h"
#include "service/txq.h"

#define TEXT_BYTES (4 * EVENT_SUMMARY_MAX + 8)

/* ---- the form ---- */

struct form_job {
	struct web_read r;
	json_t *form; /* the answers to show again, or NULL */
	json_t *view; /* their errors, or NULL */
	char name[3 * STORE_NAME_BYTES], given[STORE_NAME_BYTES], needs[STORE_ATTR_BYTES];
};

static void form_release(struct web_read *r)
{
	struct form_job *j = (struct form_job *)r;
	json_decref(j->form);
	json_decref(j->view);
	free(j);
}

static int form_person(const struct store_person *p, void *ctx)
{
	struct form_job *j = ctx;
	web_full_name(p, j->name, sizeof j->name);
	snprintf(j->given, sizeof j->given, "%s", p->given_name[0] ? p->given_name : "the child");
	snprintf(j->needs, sizeof j->needs, "%s", p->communication_needs);
	return 0;
}

static void form_show(struct web_read *r)
{
	struct form_job *j = (struct form_job *)r;
	static const struct child_visitor v = {.person = form_person};
	bool found = false;
	int rc = children_read(r->w->st, &r->access, &v, j, &found);
	if (rc != STORE_OK) {
		fprintf(stderr, "safeguard: page read failed (store error %d)\n", rc);
		web_unavailable(r->w, r->rq);
		return;
	}
	if (!found) {
		web_message(r->w, r->rq, 404, "Child not found", "There is no child with this reference. Search again.");
		return;
	}
	json_t *form = j->form ? j->form : json_object(), *view = j->view ? j->view : json_object();
	j->form = j->view = NULL;
	const char *seen = json_string_value(json_object_get(form, "seen"));
	const char *alone = json_string_value(json_object_get(form, "seen_alone"));
	json_object_set_new(form, "seen_yes", json_boolean(seen && strcmp(seen, "yes") == 0));
	json_object_set_new(form, "seen_no", json_boolean(seen && strcmp(seen, "no") == 0));
	json_object_set_new(form, "alone_yes", json_boolean(alone && strcmp(alone, "yes") == 0));
	json_object_set_new(form, "alone_no", json_boolean(alone && strcmp(alone, "no") == 0));
	const char *type = json_string_value(json_object_get(form, "visit_type"));
	json_t *types = json_array();
	const struct visit_type *vt;
	for (size_t i = 0; (vt = visit_type_at(i)) != NULL; i++) {
		char id[48];
		snprintf(id, sizeof id, i ? "visit_type-%s" : "visit_type", vt->code);
		json_array_append_new(types, json_pack("{s:s, s:s, s:s, s:b}", "id", id, "value", vt->code, "label", vt->label,
						       "checked", type && strcmp(type, vt->code) == 0));
	}
	json_object_set_new(view, "visit_types", types);
	char back[64];
	snprintf(back, sizeof back, "/children/%lld", (long long)r->access.child_id);
	json_object_update_new(view, json_pack("{s:s, s:I, s:o, s:o, s:o, s:o, s:{s:s, s:s}}", "title", "Record a visit",
					       "child_id", (json_int_t)r->access.child_id, "name", web_str(j->name),
					       "given_name", web_str(j->given), "communication_needs",
					       web_str(j->needs), "form", form, "back", "href", back, "text",
					       "Back to the record"));
	web_render(r->w, r->rq, json_object_get(view, "has_errors") ? 400 : 200, "visit", view);
}

/* The form, empty or (form and errors_view given, both stolen) again with the answers and their problems. */
static void visit_form(const struct web *w, http_request *rq, int64_t child_id, json_t *form, json_t *errors_view)
{
	struct form_job *j = calloc(1, sizeof *j);
	if (!j) {
		json_decref(form);
		json_decref(errors_view);
		web_unavailable(w, rq);
		return;
	}
	j->form = form;
	j->view = errors_view;
	j->r.show = form_show;
	j->r.release = form_release;
	web_read_start(w, rq, &j->r, "child.read", child_id, errors_view ? "visit form, corrections" : "visit form");
}

void web_visit_form(const struct web *w, http_request *rq, int64_t child_id)
{
	visit_form(w, rq, child_id, NULL, NULL);
}

/* ---- saving it ---- */

static bool yes_no(const char *v)
{
	return strcmp(v, "yes") == 0 || strcmp(v, "no") == 0;
}

void web_visit_submit(const struct web *w, http_request *rq, int64_t child_id)
{
	char day[64], month[64], year[64], hm[64], seen[16], alone[16], needs_shown[8], type[48];
	char *summary = malloc(TEXT_BYTES), *words = malloc(TEXT_BYTES), *method = malloc(TEXT_BYTES);
	json_t *view = json_object(), *form = NULL;
	struct date d;
	bool when_given = false;
	int hour = 12, minute = 0;
	if (!summary || !words || !method) {
		web_unavailable(w, rq);
		goto out;
	}
	web_field(rq, "visit_type", type, sizeof type);
	web_field(rq, "visit-day", day, sizeof day);
	web_field(rq, "visit-month", month, sizeof month);
	web_field(rq, "visit-year", year, sizeof year);
	web_field(rq, "time", hm, sizeof hm);
	web_field(rq, "seen", seen, sizeof seen);
	web_field(rq, "seen_alone", alone, sizeof alone);
	web_field(rq, "childs_words", words, TEXT_BYTES);
	web_field(rq, "views_method", method, TEXT_BYTES);
	web_field(rq, "summary", summary, TEXT_BYTES);
	/* Whether the form showed the child's communication needs (it asks for how their views were gathered
	 * then). The form is re-read with the record whenever it is shown again. */
	web_field(rq, "needs_shown", needs_shown, sizeof needs_shown);
	bool seen_yes = strcmp(seen, "yes") == 0;

	/* In the order of the form, so the error summary reads top to bottom. */
	const struct visit_type *vtype = visit_type_find(type);
	if (!vtype)
		web_add_error(view, "visit_type", "visit_type", "Select what kind of visit it was");
	int drc = web_date_fields(day, month, year, &d, &when_given);
	if (!when_given)
		web_add_error(view, "when", "visit-day", "Enter the date of the visit");
	else if (drc != 0)
		web_add_error(view, "when", "visit-day", "The date of the visit must be a real date");
	else if (date_cmp(d, web_today()) > 0)
		web_add_error(view, "when", "visit-day", "The date of the visit must be today or in the past");
	if (hm[0] && web_time_field(hm, &hour, &minute) != 0)
		web_add_error(view, "time", "time", "Enter the time as hours and minutes, for example 14:30");
	if (!yes_no(seen))
		web_add_error(view, "seen", "seen", "Select yes if the child was seen");
	else if (seen_yes && !yes_no(alone))
		web_add_error(view, "seen_alone", "seen_alone", "Select yes if the child was seen alone");
	else if (visit_answers_check(seen_yes ? VISIT_YES : VISIT_NO, strcmp(alone, "yes") == 0 ? VISIT_YES
								     : strcmp(alone, "no") == 0 ? VISIT_NO : VISIT_UNANSWERED) != VISIT_OK)
		web_add_error(view, "seen_alone", "seen_alone",
			      "The child was not seen, so they were not seen alone: change one of the answers");
	if (!web_text_ok(words, EVENT_SUMMARY_MAX, true))
		web_add_error(view, "childs_words", "childs_words",
			      "What the child said must be 2000 characters or fewer, without control characters");
	if (!web_text_ok(method, EVENT_SUMMARY_MAX, true))
		web_add_error(view, "views_method", "views_method",
			      "How their views were gathered must be 2000 characters or fewer, without control characters");
	else if (strcmp(needs_shown, "1") == 0 && !words[0] && !method[0])
		web_add_error(view, "views_method", "views_method",
			      "Enter how the child’s views and feelings were gathered, or what they said in their own words");
	if (!summary[0])
		web_add_error(view, "summary", "summary", "Enter your note of the visit");
	else if (!web_text_ok(summary, EVENT_SUMMARY_MAX, true))
		web_add_error(view, "summary", "summary",
			      "The note of the visit must be 2000 characters or fewer, without control characters");

	form = json_object();
	web_keep(form, view, "visit_type", "visit_type", "visit_type", vtype ? type : "");
	web_keep(form, view, "visit_day", "when", "visit-day", day);
	web_keep(form, view, "visit_month", "when", "visit-day", month);
	web_keep(form, view, "visit_year", "when", "visit-day", year);
	web_keep(form, view, "time", "time", "time", hm);
	web_keep(form, view, "seen", "seen", "seen", seen);
	web_keep(form, view, "seen_alone", "seen_alone", "seen_alone", alone);
	web_keep(form, view, "childs_words", "childs_words", "childs_words", words);
	web_keep(form, view, "views_method", "views_method", "views_method", method);
	web_keep(form, view, "summary", "summary", "summary", summary);
	if (json_object_get(view, "errors")) {
		visit_form(w, rq, child_id, form, view);
		form = view = NULL;
		goto out;
	}

	/* Without a time the visit is kept at the start of its day, marked "time_recorded": false: the
	 * chronology says "time not recorded" and, newest first, lists it after the day's timed entries. */
	bool timed = hm[0] != '\0';
	if (!timed)
		hour = minute = 0;
	int64_t at = web_uk_civil(d, hour, minute), now = clock_now();
	if (at > now)
		at = now;
	/* What the rules read: seen, and seen alone only when the child was seen. */
	json_t *details = json_pack("{s:b, s:s}", "seen", seen_yes, "visit_type", vtype->code);
	if (!timed)
		json_object_set_new(details, "time_recorded", json_false());
	if (seen_yes)
		json_object_set_new(details, "seen_alone", json_boolean(strcmp(alone, "yes") == 0));
	if (words[0])
		json_object_set_new(details, "childs_words", json_string(words));
	if (method[0])
		json_object_set_new(details, "views_method", json_string(method));
	bool queued = web_record_event(w, rq, child_id, "social_care", "visit", "visit", "visit", at, details, form,
				       summary);
	json_decref(details);
	if (!queued) {
		web_unavailable(w, rq);
		goto out;
	}
	summary = NULL; /* the job has it */
out:
	free(summary);
	free(words);
	free(method);
	json_decref(form);
	json_decref(view);
}
