/*
 * web/link_pages.c — record linkage's review queue for people (service/linkreview.h): /link-reviews (the open
 * tasks), /link-reviews/{id} (the two records side by side, each field's agreement and contribution, the
 * decision form, and once merged the undo form), POST .../decision and POST /merges/{id}/undo. Reads go
 * audit-first (web_read_start); decisions are jobs on the write queue. Social workers and team managers
 * (ACT_LINK_REVIEW); the dispatcher checks the CSRF token of every POST.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/event.h"
#include "service/linkreview.h"
#include "service/linktrain.h"
#include "web/web_int.h"

#define QUEUE_MAX 200
#define REASON_BYTES (4 * LINKREVIEW_REASON_MAX + 8)

static const struct {
	const char *code, *label;
} field_labels[] = {{"given_name", "Given name"}, {"family_name", "Family name"}, {"middle_names", "Middle names"},
		    {"dob", "Date of birth"},     {"sex", "Sex"},		  {"postcode", "Postcode"},
		    {"address", "Address"},	  {"nhs_number", "NHS number"}, {"upn", "Unique pupil number"}};

/* The core's comparison levels (linkage/linkage.h) in words. */
static const struct {
	const char *code, *text;
} level_texts[] = {{"exact", "The same"},
		   {"equal", "The same"},
		   {"full", "The same"},
		   {"equal_valid", "The same"},
		   {"variant", "A nickname or other spelling"},
		   {"close", "Nearly the same"},
		   {"phonetic", "Sounds the same"},
		   {"near", "Similar"},
		   {"given_middle_swapped", "Given and middle names swapped"},
		   {"part", "One is part of the other"},
		   {"two_edits", "Two letters differ"},
		   {"partial", "Some in common"},
		   {"day_month_swapped", "Day and month swapped"},
		   {"day_or_month_off_by_one", "Day or month one out"},
		   {"year_off_by_one", "Year one out"},
		   {"one_digit", "One digit differs"},
		   {"sector", "Same postcode sector"},
		   {"district", "Same postcode district"},
		   {"area", "Same postcode area"},
		   {"overlap", "Mostly the same"},
		   {"typo", "Likely a typing error"},
		   {"both_valid_different", "Different"},
		   {"different", "Different"},
		   {"else", "Different"},
		   {"missing", "Not in both records"}};

static const char *label_of(const char *code)
{
	for (size_t i = 0; i < sizeof field_labels / sizeof field_labels[0]; i++)
		if (strcmp(field_labels[i].code, code) == 0)
			return field_labels[i].label;
	return code;
}

static const char *level_of(const char *code)
{
	for (size_t i = 0; i < sizeof level_texts / sizeof level_texts[0]; i++)
		if (strcmp(level_texts[i].code, code) == 0)
			return level_texts[i].text;
	return code;
}

static void percent(double p, char *out, size_t outsz)
{
	snprintf(out, outsz, "%.0f%%", p * 100.0 > 99.0 && p < 1.0 ? 99.0 : p * 100.0);
}

/* ---- the queue ---- */

struct queue_job {
	struct web_read r;
	json_t *rows;
	int n;
};

static void queue_release(struct web_read *r)
{
	struct queue_job *j = (struct queue_job *)r;
	json_decref(j->rows);
	free(j);
}

static int queue_row(const struct store_link_review *v, void *ctx)
{
	struct queue_job *j = ctx;
	char rec[2 * STORE_NAME_BYTES + 24], cand[2 * STORE_NAME_BYTES + 24], pc[8], date[DATE_LONG_MAX + 1], hm[8];
	if (j->n++ >= QUEUE_MAX)
		return 0;
	web_short_name(v->person_given, v->person_family, rec, sizeof rec);
	web_short_name(v->candidate_given, v->candidate_family, cand, sizeof cand);
	percent(v->probability, pc, sizeof pc);
	web_when_text(v->created_at, date, sizeof date, hm, sizeof hm);
	json_array_append_new(j->rows, json_pack("{s:I, s:o, s:o, s:s, s:s, s:s}", "id", (json_int_t)v->id, "record",
						 web_str(rec), "candidate", web_str(cand), "agency",
						 web_agency_name(v->agency), "probability", pc, "created", date));
	return 0;
}

/* ---- for managers: how well the model in use does on the pairs people checked (service/linktrain.h) ---- */

static void thousands(int64_t v, char *out, size_t outsz)
{
	char digits[32];
	int n = snprintf(digits, sizeof digits, "%lld", (long long)(v < 0 ? 0 : v)), k = 0;
	size_t o = 0;
	for (int i = 0; i < n && o + 2 < outsz; i++) {
		out[o++] = digits[i];
		k = n - i - 1;
		if (k > 0 && k % 3 == 0 && o + 2 < outsz)
			out[o++] = ',';
	}
	out[o] = '\0';
}

static json_t *model_view(const struct web *w)
{
	struct linktrain_quality q;
	if (linktrain_quality(w->st, &q) != STORE_OK)
		return NULL;
	char source[160], precision[200], recall[200], rate[120], a[32], b[32], date[DATE_LONG_MAX + 1], hm[8];
	if (q.trained) {
		thousands(q.model.records, a, sizeof a);
		web_when_text(q.model.trained_at, date, sizeof date, hm, sizeof hm);
		snprintf(source, sizeof source, "Learnt from this service's %s records on %s (%s)", a, date,
			 strcmp(q.model.how, "nightly") == 0 ? "overnight" : "on request");
	} else
		snprintf(source, sizeof source, "Built-in settings: not yet learnt from this service's records");
	if (q.precision >= 0) {
		thousands(q.model.linked, a, sizeof a);
		thousands(q.model.linked_same, b, sizeof b);
		snprintf(precision, sizeof precision, "%.1f%%: of the %s checked pairs it would join, %s were the same child",
			 100.0 * q.precision, a, b);
	} else
		snprintf(precision, sizeof precision, q.trained ? "Not measured: it would join none of the pairs people checked"
								 : "Not measured until it learns from this service's records");
	if (q.recall >= 0) {
		thousands(q.model.reviewed_same, a, sizeof a);
		thousands(q.model.linked_same, b, sizeof b);
		snprintf(recall, sizeof recall, "%.1f%%: it would join %s of the %s pairs people found to be the same child",
			 100.0 * q.recall, b, a);
	} else
		snprintf(recall, sizeof recall, "Not measured: no pair checked so far was the same child");
	thousands(q.records, a, sizeof a);
	snprintf(rate, sizeof rate, "%.1f (%s records received)",
		 q.records > 0 ? 1000.0 * (double)q.review_tasks / (double)q.records : 0.0, a);
	return json_pack("{s:s, s:s, s:s, s:s}", "source", source, "precision", precision, "recall", recall, "rate", rate);
}

static void queue_show(struct web_read *r)
{
	struct queue_job *j = (struct queue_job *)r;
	j->rows = json_array();
	int rc = linkreview_list(r->w->st, &r->access, QUEUE_MAX + 1, queue_row, j);
	if (rc != STORE_OK) {
		fprintf(stderr, "safeguard: the link reviews could not be read (error %d)\n", rc);
		web_unavailable(r->w, r->rq);
		return;
	}
	char heading[64];
	if (j->n > QUEUE_MAX)
		snprintf(heading, sizeof heading, "More than %d records to check", QUEUE_MAX);
	else
		snprintf(heading, sizeof heading, j->n == 1 ? "1 record to check" : "%d records to check", j->n);
	json_t *view = json_pack("{s:s, s:b, s:s, s:b, s:O}", "title", "Records to check", "nav_links", 1,
				 "results_heading", heading, "has_rows", j->n > 0, "rows", j->rows);
	if (view && linktrain_quality_shown_to(web_user(r->rq)->role)) {
		json_t *model = model_view(r->w);
		if (model)
			json_object_set_new(view, "model", model);
	}
	web_render(r->w, r->rq, 200, "link_reviews", view);
}

void web_link_reviews_page(const struct web *w, http_request *rq)
{
	struct queue_job *j = calloc(1, sizeof *j);
	if (!j) {
		web_unavailable(w, rq);
		return;
	}
	j->r.show = queue_show;
	j->r.release = queue_release;
	web_read_start(w, rq, &j->r, "link_reviews.read", 0, "open link reviews");
}

/* ---- one task ---- */

struct review_job {
	struct web_read r;
	int64_t id;
	json_t *view; /* a form's errors and answers to show again, or NULL */
	char done[16];
	struct store_link_review v;
	struct store_merge m;
};

static void review_release(struct web_read *r)
{
	struct review_job *j = (struct review_job *)r;
	json_decref(j->view);
	free((void *)j->v.explanation);
	free(j);
}

static json_t *fields_view(const char *explanation)
{
	json_t *ex = json_loads(explanation ? explanation : "", 0, NULL), *rows = json_array();
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(ex, "fields"), i, f)
	{
		const char *code = json_string_value(json_object_get(f, "field"));
		const char *level = json_string_value(json_object_get(f, "level"));
		const char *rec = json_string_value(json_object_get(f, "record"));
		const char *cand = json_string_value(json_object_get(f, "candidate"));
		double c = json_number_value(json_object_get(f, "contribution"));
		char contribution[32];
		snprintf(contribution, sizeof contribution, "%+.1f", c);
		if (strcmp(contribution, "+0.0") == 0 || strcmp(contribution, "-0.0") == 0)
			snprintf(contribution, sizeof contribution, "0");
		json_array_append_new(
			rows, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:b}", "field", code ? code : "", "label",
					label_of(code ? code : ""), "record", rec && rec[0] ? rec : "Not recorded", "candidate",
					cand && cand[0] ? cand : "Not recorded", "level", level_of(level ? level : ""),
					"contribution", contribution, "for", c > 0.05, "against", c < -0.05));
	}
	json_decref(ex);
	return rows;
}

static int merge_of(store *st, const struct children_access *a, int64_t id, struct store_merge *m, bool *found)
{
	return linkreview_merge_get(st, a, id, m, found);
}

static void review_show(struct web_read *r)
{
	struct review_job *j = (struct review_job *)r;
	bool found = false, merged = false;
	int rc = linkreview_get(r->w->st, &r->access, j->id, &j->v, &found);
	if (rc == STORE_OK && found && j->v.merge_id)
		rc = merge_of(r->w->st, &r->access, j->v.merge_id, &j->m, &merged);
	if (rc != STORE_OK) {
		fprintf(stderr, "safeguard: a link review could not be read (error %d)\n", rc);
		web_unavailable(r->w, r->rq);
		return;
	}
	if (!found) {
		web_message_link(r->w, r->rq, 404, "Record check not found", "There is no record to check with this reference.",
				 "/link-reviews", "Go to the records to check");
		return;
	}
	const struct store_link_review *v = &j->v;
	char rec[2 * STORE_NAME_BYTES + 24], cand[2 * STORE_NAME_BYTES + 24], pc[8], date[DATE_LONG_MAX + 1], hm[8];
	char rec_href[48], cand_href[48], decided[160] = "";
	web_short_name(v->person_given, v->person_family, rec, sizeof rec);
	web_short_name(v->candidate_given, v->candidate_family, cand, sizeof cand);
	percent(v->probability, pc, sizeof pc);
	web_when_text(v->created_at, date, sizeof date, hm, sizeof hm);
	snprintf(rec_href, sizeof rec_href, "/children/%lld", (long long)v->person_id);
	snprintf(cand_href, sizeof cand_href, "/children/%lld", (long long)v->candidate_id);
	if (v->decided_at[0]) {
		char d[DATE_LONG_MAX + 1], t[8];
		web_when_text(v->decided_at, d, sizeof d, t, sizeof t);
		snprintf(decided, sizeof decided, "%s by %s on %s at %s",
			 strcmp(v->decision, "same") == 0 ? "The same child" : "Different children", v->decided_by, d, t);
	}
	json_t *view = j->view ? j->view : json_object();
	j->view = NULL;
	if (!json_object_get(view, "form"))
		json_object_set_new(view, "form", json_pack("{s:s, s:s}", "reason", "", "undo_reason", ""));
	json_object_update_new(
		view, json_pack("{s:s, s:I, s:o, s:o, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:b, s:o, s:o, s:i, s:i, s:b}",
				"title", "Check a record", "id", (json_int_t)v->id, "record", web_str(rec), "candidate",
				web_str(cand), "record_href", rec_href, "candidate_href", cand_href, "agency",
				web_agency_name(v->agency), "probability", pc, "created", date, "decided", decided,
				"fields", fields_view(v->explanation), "is_open", !v->decided_at[0], "source_ref",
				web_str(v->source_ref), "reason_text", web_str(v->reason), "reason_min",
				LINKREVIEW_REASON_MIN, "reason_max", LINKREVIEW_REASON_MAX, "nav_links", 1));
	json_object_set_new(view, "review_id", json_integer(v->id));
	if (merged && !j->m.undone_at[0])
		json_object_set_new(view, "merge", json_pack("{s:I}", "id", (json_int_t)j->m.id));
	else if (merged)
		json_object_set_new(view, "merge_undone", json_pack("{s:s}", "by", j->m.undone_by));
	if (strcmp(j->done, "decided") == 0)
		json_object_set_new(view, "done_text", json_string("Decision saved."));
	else if (strcmp(j->done, "undone") == 0)
		json_object_set_new(view, "done_text", json_string("Merge undone. Each record is back with the child it came from."));
	web_render(r->w, r->rq, json_object_get(view, "has_errors") ? 400 : 200, "link_review", view);
}

static void review_page(const struct web *w, http_request *rq, int64_t id, json_t *errors_view, const char *done)
{
	struct review_job *j = calloc(1, sizeof *j);
	char detail[64];
	if (!j) {
		json_decref(errors_view);
		web_unavailable(w, rq);
		return;
	}
	j->id = id;
	j->view = errors_view;
	if (done && (strcmp(done, "decided") == 0 || strcmp(done, "undone") == 0))
		snprintf(j->done, sizeof j->done, "%s", done);
	j->r.show = review_show;
	j->r.release = review_release;
	snprintf(detail, sizeof detail, "link_review %lld", (long long)id);
	web_read_start(w, rq, &j->r, "link_review.read", 0, detail);
}

void web_link_review_page(const struct web *w, http_request *rq, int64_t id)
{
	review_page(w, rq, id, NULL, http_query(rq, "done"));
}

/* ---- deciding and undoing ---- */

struct act_job {
	struct txq_job job;
	const struct web *w;
	http_request *rq;
	int64_t id, review_id; /* the task, or the merge (undo) and the task it came from */
	bool undo, same;
	char *reason;
	char actor[96];
	enum linkreview_result res;
	int64_t merge_id;
};

static int act_run(store_conn *c, void *arg)
{
	struct act_job *j = arg;
	if (j->undo)
		return linkreview_unmerge(c, j->actor, j->id, j->reason, &j->res);
	return linkreview_decide(c, j->actor, j->id, j->same, j->reason, &j->res, &j->merge_id);
}

static void act_done(struct txq_job *job)
{
	struct act_job *j = (struct act_job *)job;
	char to[80];
	snprintf(to, sizeof to, "/link-reviews/%lld", (long long)j->review_id);
	if (job->rc < 0) {
		fprintf(stderr, "safeguard: a link review could not be decided (store error %d)\n", job->rc);
		web_message_link(j->w, j->rq, 503, "Sorry, there is a problem with the service",
				 "Nothing was changed. Go back to the record and try again.", to, "Go back to the record");
	} else if (j->res == LINKREVIEW_NOT_FOUND) {
		web_message_link(j->w, j->rq, 404, "Record check not found", "There is no record to check with this reference.",
				 "/link-reviews", "Go to the records to check");
	} else if (j->res == LINKREVIEW_DECIDED) {
		web_message_link(j->w, j->rq, 409, j->undo ? "This merge was already undone" : "This record was already checked",
				 "Someone did it before you, so nothing was changed. Open the record to see who.", to,
				 "Open the record");
	} else if (j->res == LINKREVIEW_GONE) {
		web_message_link(j->w, j->rq, 409, "One of the two records has since been merged",
				 "Nothing was changed. Check the record it was merged into instead.", "/link-reviews",
				 "Go to the records to check");
	} else if (j->res == LINKREVIEW_LATER) {
		web_message_link(j->w, j->rq, 409, "A later merge must be undone first",
				 "One of these records was merged again after this merge. Undo that merge first.", to,
				 "Go back to the record");
	} else {
		snprintf(to, sizeof to, "/link-reviews/%lld?done=%s", (long long)j->review_id, j->undo ? "undone" : "decided");
		web_redirect(j->rq, to);
	}
	http_resume(j->rq);
	free(j->reason);
	free(j);
}

/* Reads and checks the reason; adds an error to view under field when it is not good. */
static char *reason_field(http_request *rq, json_t *view, json_t *form, const char *field)
{
	char *reason = malloc(REASON_BYTES);
	if (!reason)
		return NULL;
	web_field(rq, field, reason, REASON_BYTES);
	if (strlen(reason) < LINKREVIEW_REASON_MIN)
		web_add_error(view, field, field, "Enter a reason of at least 5 characters: say why");
	else if (!web_text_ok(reason, LINKREVIEW_REASON_MAX, true))
		web_add_error(view, field, field, "The reason must be 500 characters or fewer, without control characters");
	web_keep(form, view, field, field, field, reason);
	return reason;
}

static void submit(const struct web *w, http_request *rq, struct act_job *j)
{
	snprintf(j->actor, sizeof j->actor, "%s", web_user(rq)->actor);
	j->w = w;
	j->rq = rq;
	j->job.run = act_run;
	j->job.arg = j;
	j->job.done = act_done;
	http_suspend(rq);
	txq_submit(w->q, &j->job);
}

void web_link_review_decide(const struct web *w, http_request *rq, int64_t id)
{
	json_t *view = json_object(), *form = json_object();
	struct act_job *j = calloc(1, sizeof *j);
	char decision[16];
	if (!j) {
		json_decref(view);
		json_decref(form);
		web_unavailable(w, rq);
		return;
	}
	web_field(rq, "decision", decision, sizeof decision);
	bool same = strcmp(decision, "same") == 0, different = strcmp(decision, "different") == 0;
	if (!same && !different)
		web_add_error(view, "decision", "decision", "Select whether the records are about the same child");
	json_object_set_new(form, "same", json_boolean(same));
	json_object_set_new(form, "different", json_boolean(different));
	j->reason = reason_field(rq, view, form, "reason");
	json_object_set_new(form, "undo_reason", json_string(""));
	json_object_set_new(view, "form", form);
	if (!j->reason || json_object_get(view, "errors")) {
		free(j->reason);
		free(j);
		review_page(w, rq, id, view, NULL);
		return;
	}
	json_decref(view);
	j->id = j->review_id = id;
	j->same = same;
	submit(w, rq, j);
}

void web_merge_undo(const struct web *w, http_request *rq, int64_t merge_id)
{
	json_t *view = json_object(), *form = json_object();
	struct act_job *j = calloc(1, sizeof *j);
	char review[24];
	int64_t review_id = 0;
	web_field(rq, "review_id", review, sizeof review);
	if (!j || !event_parse_id(review, strlen(review), &review_id)) {
		json_decref(view);
		json_decref(form);
		free(j);
		if (j)
			web_message_link(w, rq, 400, "Undo a merge from the record check",
					 "Open the record check that made the merge and undo it there.", "/link-reviews",
					 "Go to the records to check");
		else
			web_unavailable(w, rq);
		return;
	}
	j->reason = reason_field(rq, view, form, "undo_reason");
	json_object_set_new(form, "reason", json_string(""));
	json_object_set_new(view, "form", form);
	if (!j->reason || json_object_get(view, "errors")) {
		free(j->reason);
		free(j);
		review_page(w, rq, review_id, view, NULL);
		return;
	}
	json_decref(view);
	j->id = merge_id;
	j->review_id = review_id;
	j->undo = true;
	submit(w, rq, j);
}
