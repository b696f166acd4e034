/*
 * web/child_summary.c — what a practitioner must see first about a child (issue 15): the summary card at the
 * top of the child's page (legal status, missing now, placement, the allocated worker and team with their
 * contact details), and the one-screen flag answer for unscheduled care (/flag: a clinician looks a child up
 * by NHS number and learns, on one screen, whether the child is on a child protection plan or looked after,
 * since when, and whom to call in and out of office hours; never the record itself).
 *
 * What is shown is the service's (service/summary.h): the card for readers of the whole record only, the
 * flag answer for a flagged child only (an unflagged child and an unknown number get the same answer).
 */
#include "web/web_int.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock/now.h"
#include "core/ident.h"
#include "core/text.h"
#include "service/summary.h"
#include "service/txq.h"

/* "4 March 2025" from "2025-03-04", or "" */
/* The card from the records the reader may see, where one they may not see would change a line (summary.h). */
#define WITHHELD_STATUS_TEXT "A record you may not see bears on this: what is shown here may not be the whole picture."

static void long_day(const char *iso, char *out, size_t outsz)
{
	struct date d;
	if (!iso[0] || !web_day_text(iso, &d, out, outsz))
		out[0] = '\0';
}

/* The category of abuse of a plan, in words (the codes of the CIN census's InitialCategoryOfAbuse). */
static const char *category_text(const char *code)
{
	static const struct {
		const char *code, *text;
	} cats[] = {{"neglect", "neglect"},
		    {"physical", "physical abuse"},
		    {"physical_abuse", "physical abuse"},
		    {"emotional", "emotional abuse"},
		    {"emotional_abuse", "emotional abuse"},
		    {"sexual", "sexual abuse"},
		    {"sexual_abuse", "sexual abuse"},
		    {"multiple", "more than one category"}};
	for (size_t i = 0; i < sizeof cats / sizeof cats[0]; i++)
		if (strcmp(cats[i].code, code) == 0)
			return cats[i].text;
	return "";
}

/* The legal status lines: each a label (a tag) and its since text. */
static json_t *status_lines(const struct child_status *s, bool ended_too)
{
	json_t *a = json_array();
	char since[DATE_LONG_MAX + 1], ended[DATE_LONG_MAX + 1], text[200];
	if (s->cp_plan || (ended_too && s->cp_start[0])) {
		long_day(s->cp_start, since, sizeof since);
		long_day(s->cp_end, ended, sizeof ended);
		const char *cat = category_text(s->cp_category);
		if (s->cp_plan)
			snprintf(text, sizeof text, "Since %s%s%s%s", since, cat[0] ? " (" : "", cat, cat[0] ? ")" : "");
		else
			snprintf(text, sizeof text, "From %s to %s (ended in the last 12 months)", since, ended);
		json_array_append_new(a, json_pack("{s:s, s:s, s:s}", "label",
						   s->unborn_cp_plan ? "Child protection plan (unborn)" : "Child protection plan",
						   "text", text, "tag", s->cp_plan ? "govuk-tag--red" : "govuk-tag--grey"));
	}
	if (s->looked_after || (ended_too && s->lac_start[0])) {
		long_day(s->lac_start, since, sizeof since);
		long_day(s->lac_end, ended, sizeof ended);
		if (s->looked_after)
			snprintf(text, sizeof text, "Since %s%s", since,
				 s->lac_by_placement ? " (placed in a children's home by the local authority)" : "");
		else
			snprintf(text, sizeof text, "From %s to %s (ended in the last 12 months)", since, ended);
		json_array_append_new(a, json_pack("{s:s, s:s, s:s}", "label", "Looked after", "text", text, "tag",
						   s->looked_after ? "govuk-tag--red" : "govuk-tag--grey"));
	}
	if (s->cin_plan) {
		long_day(s->cin_since, since, sizeof since);
		snprintf(text, sizeof text, "Since %s", since);
		json_array_append_new(a, json_pack("{s:s, s:s, s:s}", "label", "Child in need", "text", text, "tag",
						   "govuk-tag--yellow"));
	}
	return a;
}

static json_t *contacts_json(const struct summary_contacts *c)
{
	json_t *o = json_object();
	json_object_set_new(o, "worker", web_str(c->worker));
	json_object_set_new(o, "allocated", json_boolean(c->allocated));
	if (c->has_team) {
		json_object_set_new(o, "team", json_pack("{s:o, s:o, s:o, s:o, s:b}", "name", web_str(c->team.team.name),
							 "phone", web_str(c->team.phone), "out_of_hours",
							 web_str(c->team.out_of_hours_phone), "email",
							 web_str(c->team.email), "front_door", !c->allocated));
	}
	return o;
}

json_t *web_child_summary_view(const struct web *w, const struct children_access *a,
			       struct store_home_placement *placement, bool *placed)
{
	struct children_summary *s = malloc(sizeof *s);
	bool shown = false;
	if (placed)
		*placed = false;
	if (!s)
		return NULL;
	int rc = summary_read(w->st, a, web_today(), s, &shown);
	if (rc != STORE_OK || !shown) {
		if (rc != STORE_OK)
			fprintf(stderr, "safeguard: a child's summary could not be read (error %d)\n", rc);
		free(s);
		return NULL;
	}
	if (placed && s->placed) { /* the record page's own placement panel: the same read (issue 17) */
		*placement = s->placement;
		*placed = true;
	}
	json_t *v = json_object();
	json_t *lines = status_lines(&s->status, false);
	json_object_set_new(v, "has_status", json_boolean(json_array_size(lines) > 0));
	if (s->status.lac_by_placement) {
		char since[DATE_LONG_MAX + 1];
		long_day(s->status.lac_start, since, sizeof since);
		json_object_set_new(v, "lac_by_placement_since", json_string(since));
	}
	json_object_set_new(v, "status", lines);
	/* A record the reader may not see would change a line (service/summary.h): said, and nothing of it. */
	if (s->status_withheld)
		json_object_set_new(v, "status_withheld", json_string(WITHHELD_STATUS_TEXT));
	if (s->missing_withheld)
		json_object_set_new(v, "missing_withheld", json_string(WITHHELD_STATUS_TEXT));
	if (s->status.missing) {
		char date[DATE_LONG_MAX + 1], hm[8], text[120];
		web_when_text(s->status.missing_since, date, sizeof date, hm, sizeof hm);
		snprintf(text, sizeof text, "Missing since %s at %s", date, hm);
		json_object_set_new(v, "missing", json_string(text));
	}
	if (s->placed) {
		char since[DATE_LONG_MAX + 1], text[STORE_HOME_TEXT + 200];
		long_day(s->placement.start, since, sizeof since);
		if (s->placement.distance_km >= 0)
			snprintf(text, sizeof text, "%s, since %s, %.0f miles from home", s->placement.home_name, since,
				 s->placement.distance_km / 1.609344);
		else
			snprintf(text, sizeof text, "%s, since %s", s->placement.home_name, since);
		json_object_set_new(v, "placement", web_str(text));
		json_object_set_new(v, "placement_out_of_area", json_boolean(s->placement.out_of_area));
	}
	json_object_set_new(v, "contacts", contacts_json(&s->contacts));
	free(s);
	return v;
}

/* ---- /flag: the one-screen answer for unscheduled care ---- */

struct flag_job {
	struct txq_job job;
	const struct web *w;
	http_request *rq;
	char nhs[IDENT_NHS_LEN + 1];
	char shown_nhs[16];
	struct store_flag_access who;
	struct date today;
	struct summary_flag_answer answer;
};

static int flag_run(store_conn *c, void *arg)
{
	struct flag_job *j = arg;
	return summary_flag_answer(c, j->nhs, &j->who, j->today, &j->answer);
}

static void flag_done(struct txq_job *job)
{
	struct flag_job *j = (struct flag_job *)job;
	http_resume(j->rq);
}

static void flag_continue(http_request *rq, void *ctx)
{
	struct flag_job *j = ctx;
	const struct summary_flag_answer *a = &j->answer;
	if (j->job.rc < 0) {
		fprintf(stderr, "safeguard: a flag look-up failed (store error %d)\n", j->job.rc);
		web_unavailable(j->w, rq);
		free(j);
		return;
	}
	json_t *view = json_pack("{s:s, s:b, s:b, s:s, s:{s:s}}", "title",
				 a->flagged ? "Flagged: call children's social care" : "No flag for this NHS number",
				 "nav_flag", true, "answered", true, "nhs_shown", j->shown_nhs, "form", "nhs_number",
				 j->shown_nhs);
	json_object_set_new(view, "flagged", json_boolean(a->flagged));
	if (a->flagged) {
		char name[2 * STORE_NAME_BYTES + 4], dob[64];
		web_short_name(a->given_name, a->family_name, name, sizeof name);
		web_dob_text(a->dob, true, dob, sizeof dob);
		json_object_set_new(view, "child_name", web_str(name));
		json_object_set_new(view, "dob", json_string(dob));
		json_object_set_new(view, "status", status_lines(&a->status, true));
		json_object_set_new(view, "contacts", contacts_json(&a->contacts));
	}
	web_render(j->w, rq, 200, "flag", view);
	free(j); /* fn answers and frees; release (free) only when the request ended first */
}

void web_flag_page(const struct web *w, http_request *rq)
{
	const char *q = http_query(rq, "nhs_number");
	if (!q || !q[0]) {
		web_render(w, rq, 200, "flag", json_pack("{s:s, s:b}", "title", "Flag look-up for unscheduled care", "nav_flag", true));
		return;
	}
	struct flag_job *j = calloc(1, sizeof *j);
	if (!j) {
		web_unavailable(w, rq);
		return;
	}
	int rc = ident_nhs_check(q, j->nhs);
	if (rc != IDENT_OK) {
		json_t *view = json_pack("{s:s, s:b, s:{s:s}}", "title", "Flag look-up for unscheduled care", "nav_flag", true,
					 "form", "nhs_number", "");
		/* What was typed, shown again when it is short, readable text (else the field is empty). */
		size_t qn = strlen(q);
		if (qn < 64 && text_utf8_valid(q, qn) && !text_has_controls(q, qn))
			json_object_set_new(json_object_get(view, "form"), "nhs_number", json_string(q));
		web_add_error(view, "nhs_number", "nhs_number",
			      rc == IDENT_ECHECK ? "The NHS number is not right: check each digit (the last is a check digit)"
						 : "Enter the NHS number as 10 digits, like 943 476 5919");
		web_render(w, rq, 400, "flag", view);
		free(j);
		return;
	}
	snprintf(j->shown_nhs, sizeof j->shown_nhs, "%.3s %.3s %.4s", j->nhs, j->nhs + 3, j->nhs + 6);
	const struct web_user *u = web_user(rq);
	snprintf(j->who.actor, sizeof j->who.actor, "%s", u->actor);
	snprintf(j->who.organisation, sizeof j->who.organisation, "%s", web_agency_name(u->agency));
	snprintf(j->who.setting, sizeof j->who.setting, "%s", "unscheduled care (flag page)");
	j->today = web_today();
	j->w = w;
	j->rq = rq;
	j->job.run = flag_run;
	j->job.arg = j;
	j->job.done = flag_done;
	http_continue_with(rq, flag_continue, j, free);
	http_suspend(rq);
	txq_submit(w->q, &j->job);
}
