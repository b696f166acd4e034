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
#include "service/users.h"
#include "web/web_int.h"

#define QUEUE_MAX 200
#define REASON_BYTES (4 * LINKREVIEW_REASON_MAX + 8)

static const struct {
	const char *code, *label;
} field_labels[] = {{"given_name", "Given name"}, {"family_name", "Family name"}, {"middle_names", "Middle names"},
		    {"dob", "Date of birth"},     {"sex", "Sex"},		  {"postcode", "Postcode"},
		    {"address", "Address"},	  {"nhs_number", "NHS number"}, {"upn", "Unique pupil number"}};

/* The core's comparison levels (linkage/linkage.h) in words, and what each says to a reviewer: the details
 * agree, nearly agree (a typing error or a nickname could explain it), or differ. */
enum agreement { AGREES, NEARLY, DIFFERS, ONE_ONLY, NEITHER };
static const struct {
	const char *code, *text;
	enum agreement a;
} level_texts[] = {{"exact", "The same", AGREES},
		   {"equal", "The same", AGREES},
		   {"full", "The same", AGREES},
		   {"equal_valid", "The same", AGREES},
		   {"variant", "A nickname or other spelling", NEARLY},
		   {"close", "Nearly the same", NEARLY},
		   {"phonetic", "Sounds the same", NEARLY},
		   {"near", "Similar", NEARLY},
		   {"given_middle_swapped", "Given and middle names swapped", NEARLY},
		   {"part", "One is part of the other", NEARLY},
		   {"two_edits", "Two letters differ", NEARLY},
		   {"partial", "Some in common", NEARLY},
		   {"day_month_swapped", "Day and month swapped", NEARLY},
		   {"day_or_month_off_by_one", "Day or month one out", NEARLY},
		   {"year_off_by_one", "Year one out", NEARLY},
		   {"one_digit", "One digit differs", NEARLY},
		   {"sector", "Same street area (postcode sector)", NEARLY},
		   {"district", "Same district, different postcodes", NEARLY},
		   /* The same postcode area is what most children of a town share: it counts against. */
		   {"area", "Different postcodes in the same town", DIFFERS},
		   {"overlap", "Mostly the same", NEARLY},
		   {"typo", "Likely a typing error", NEARLY},
		   {"both_valid_different", "Different", DIFFERS},
		   {"different", "Different", DIFFERS},
		   {"else", "Different", DIFFERS},
		   {"missing", "Only in one record", ONE_ONLY}};

static const char *label_of(const char *code)
{
	for (size_t i = 0; i < sizeof field_labels / sizeof field_labels[0]; i++)
		if (strcmp(field_labels[i].code, code) == 0)
			return field_labels[i].label;
	return code;
}

static int level_index(const char *code)
{
	for (size_t i = 0; i < sizeof level_texts / sizeof level_texts[0]; i++)
		if (strcmp(level_texts[i].code, code) == 0)
			return (int)i;
	return -1;
}

/* A detail as a reader writes it: dates as "9 July 2015", NHS numbers as "943 476 5919" (each of a list). */
static void value_text(const char *field, const char *v, char *out, size_t outsz)
{
	if (!v || !v[0]) {
		snprintf(out, outsz, "Not recorded");
		return;
	}
	if (strcmp(field, "dob") == 0 && web_day_text(v, NULL, out, outsz))
		return;
	if (strcmp(field, "nhs_number") == 0) {
		size_t o = 0;
		int digits = 0;
		for (const char *c = v; *c && o + 2 < outsz; c++) {
			if (*c >= '0' && *c <= '9') {
				if (digits == 3 || digits == 6)
					out[o++] = ' ';
				digits++;
			} else {
				digits = 0;
			}
			out[o++] = *c;
		}
		out[o] = '\0';
		return;
	}
	snprintf(out, outsz, "%s", v);
}

/* What the comparison says, field by field, from the task's explanation. */
struct reading {
	enum agreement family, given, dob, nhs, address, postcode;
	bool family_seen, given_seen, dob_seen, nhs_seen, address_seen, postcode_seen;
};

static enum agreement agreement_of(const char *level, const char *rec, const char *cand)
{
	int i = level_index(level ? level : "");
	enum agreement a = i < 0 ? DIFFERS : level_texts[i].a;
	/* "missing" when both records hold a value is two values the model could not compare: different. */
	if (a == ONE_ONLY && rec && rec[0] && cand && cand[0])
		a = DIFFERS;
	else if (a == ONE_ONLY && !(rec && rec[0]) && !(cand && cand[0]))
		a = NEITHER;
	return a;
}

static void read_explanation(const char *explanation, struct reading *rd)
{
	json_t *ex = json_loads(explanation ? explanation : "", 0, NULL);
	size_t i;
	json_t *f;
	memset(rd, 0, sizeof *rd);
	rd->family = rd->given = rd->dob = rd->nhs = rd->address = rd->postcode = NEITHER;
	json_array_foreach(json_object_get(ex, "fields"), i, f)
	{
		const char *code = json_string_value(json_object_get(f, "field"));
		enum agreement a = agreement_of(json_string_value(json_object_get(f, "level")),
						json_string_value(json_object_get(f, "record")),
						json_string_value(json_object_get(f, "candidate")));
		if (!code)
			continue;
		if (strcmp(code, "family_name") == 0)
			rd->family = a, rd->family_seen = true;
		else if (strcmp(code, "given_name") == 0)
			rd->given = a, rd->given_seen = true;
		else if (strcmp(code, "dob") == 0)
			rd->dob = a, rd->dob_seen = true;
		else if (strcmp(code, "nhs_number") == 0)
			rd->nhs = a, rd->nhs_seen = true;
		else if (strcmp(code, "address") == 0)
			rd->address = a, rd->address_seen = true;
		else if (strcmp(code, "postcode") == 0)
			rd->postcode = a, rd->postcode_seen = true;
	}
	json_decref(ex);
}

/* The match's strength in a word, from the model's probability, never stronger than the details allow: two
 * NHS numbers that differ make it weak, family names or dates of birth that differ completely at most
 * possible, whatever the other details add up to. Decision: strong from 0.9, possible from 0.5. */
static const char *strength(double p, const struct reading *rd, const char **why)
{
	int level = p >= 0.9 ? 2 : p >= 0.5 ? 1 : 0;
	*why = level == 2 ? "Most details agree." : level == 1 ? "Some details agree and some differ." :
								"Few details agree.";
	if (rd->nhs == DIFFERS && level > 0) {
		level = 0;
		*why = "They have different NHS numbers: two children, unless one number was mistyped.";
	} else if (rd->family == DIFFERS && level > 1) {
		level = 1;
		*why = "Their family names are different: check whether the child’s name has changed.";
	} else if (rd->dob == DIFFERS && level > 1) {
		level = 1;
		*why = "Their dates of birth are different.";
	}
	return level == 2 ? "Strong" : level == 1 ? "Possible" : "Weak";
}

static const char *strength_class(const char *s)
{
	return strcmp(s, "Strong") == 0 ? "govuk-tag--green" : strcmp(s, "Possible") == 0 ? "govuk-tag--yellow"
											   : "govuk-tag--grey";
}

/* Brothers and sisters share a family name and a home; twins a date of birth too. What would make the two
 * records two children of one family rather than one child, in words; NULL when nothing points that way. */
static const char *family_note(const struct reading *rd)
{
	bool family = rd->family == AGREES || rd->family == NEARLY;
	bool home = rd->address == AGREES || rd->address == NEARLY || rd->postcode == AGREES;
	if (!family || !home)
		return NULL;
	if (rd->given == DIFFERS && (rd->dob == AGREES || rd->dob == NEARLY))
		return "Same family name, home and date of birth, but a different given name: they could be twins.";
	if (rd->given == DIFFERS)
		return "Same family name and home, but a different given name and date of birth: they could be brothers "
		       "or sisters.";
	if (rd->dob == DIFFERS)
		return "Same name and home, but a different date of birth: they could be brothers or sisters given a "
		       "similar name, or one date could be wrong.";
	return NULL;
}

/* "north.manager" from the audit's actor "user:2:north.manager"; an agency's system in words. */
/* Who decided, as a practitioner reads it: a person's name (users_person: the username when they have none)
 * and agency, or the agency's system for a token. */
static void person_of(store *st, const char *actor, char *out, size_t outsz)
{
	const char *c = strrchr(actor, ':');
	struct users_person p;
	bool found = false;
	if (strncmp(actor, "user:", 5) == 0 && c) {
		if (users_person_get(st, c + 1, &p, &found) == 0 && found)
			snprintf(out, outsz, "%s (%s)", p.name, web_agency_name(p.agency));
		else
			snprintf(out, outsz, "%s", c + 1);
	} else if (strncmp(actor, "client:", 7) == 0 && c)
		snprintf(out, outsz, "the %s system", web_agency_name(c + 1));
	else
		snprintf(out, outsz, "%s", actor);
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
	char rec[2 * STORE_NAME_BYTES + 24], cand[2 * STORE_NAME_BYTES + 24], date[DATE_LONG_MAX + 1], hm[8];
	struct reading rd;
	const char *why;
	if (j->n++ >= QUEUE_MAX)
		return 0;
	web_short_name(v->person_given, v->person_family, rec, sizeof rec);
	web_short_name(v->candidate_given, v->candidate_family, cand, sizeof cand);
	read_explanation(v->explanation, &rd);
	const char *st = strength(v->probability, &rd, &why);
	web_when_text(v->created_at, date, sizeof date, hm, sizeof hm);
	json_array_append_new(j->rows, json_pack("{s:I, s:o, s:o, s:s, s:s, s:s, s:s}", "id", (json_int_t)v->id,
						 "record", web_str(rec), "candidate", web_str(cand), "agency",
						 web_agency_name(v->agency), "strength", st, "strength_class",
						 strength_class(st), "created", date));
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
	int rc = linktrain_quality(w->st, &q);
	if (rc != STORE_OK) {
		/* (a missing link_counts row among the causes: the box is left out, never shown as 0 of 0) */
		fprintf(stderr, "safeguard: the linkage model's figures could not be read (error %d)\n", rc);
		return NULL;
	}
	char source[160], precision[200], recall[200], rate[180], a[32], b[32], date[DATE_LONG_MAX + 1], hm[8];
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
	/* As of the last training or nightly sweep (link_counts), not live: a manager's daily figure. */
	thousands(q.records, a, sizeof a);
	web_when_text(q.counted_at, date, sizeof date, hm, sizeof hm);
	snprintf(rate, sizeof rate, "%.1f (%s records received) as of %s %s",
		 q.records > 0 ? 1000.0 * (double)q.review_tasks / (double)q.records : 0.0, a, date, hm);
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

/* The table's rows, and the lists of what agrees, nearly agrees, differs and is in one record only. */
static json_t *fields_view(const char *explanation, json_t *lists)
{
	json_t *ex = json_loads(explanation ? explanation : "", 0, NULL), *rows = json_array();
	json_t *agrees = json_array(), *nearly = json_array(), *differs = json_array(), *one = json_array();
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(ex, "fields"), i, f)
	{
		const char *code = json_string_value(json_object_get(f, "field"));
		const char *level = json_string_value(json_object_get(f, "level"));
		const char *rec = json_string_value(json_object_get(f, "record"));
		const char *cand = json_string_value(json_object_get(f, "candidate"));
		char rtext[1300], ctext[1300], line[2800];
		code = code ? code : "";
		value_text(code, rec, rtext, sizeof rtext);
		value_text(code, cand, ctext, sizeof ctext);
		enum agreement a = agreement_of(level, rec, cand);
		int li = level_index(level ? level : "");
		const char *words = a == NEITHER						 ? "In neither record"
				    : a == DIFFERS && li >= 0 && level_texts[li].a != DIFFERS ? "Different"
				    : li >= 0					      ? level_texts[li].text
											      : "Different";
		const char *label = label_of(code);
		switch (a) {
		case AGREES:
			json_array_append_new(agrees, json_string(label));
			break;
		case NEARLY:
			snprintf(line, sizeof line, "%s: %s (%s, %s)", label, words, rtext, ctext);
			json_array_append_new(nearly, json_string(line));
			break;
		case DIFFERS:
			snprintf(line, sizeof line, "%s: %s and %s", label, rtext, ctext);
			json_array_append_new(differs, json_string(line));
			break;
		case ONE_ONLY:
			json_array_append_new(one, json_string(label));
			break;
		case NEITHER:
			break;
		}
		json_array_append_new(rows, json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:b}", "field", code, "label", label,
						      "record", rtext, "candidate", ctext, "level", words, "agrees",
						      a == AGREES, "differs", a == DIFFERS));
	}
	json_decref(ex);
	json_object_set_new(lists, "agrees", agrees);
	json_object_set_new(lists, "nearly", nearly);
	json_object_set_new(lists, "differs", differs);
	json_object_set_new(lists, "one_only", one);
	json_object_set_new(lists, "has_agrees", json_boolean(json_array_size(agrees) > 0));
	json_object_set_new(lists, "has_nearly", json_boolean(json_array_size(nearly) > 0));
	json_object_set_new(lists, "has_differs", json_boolean(json_array_size(differs) > 0));
	json_object_set_new(lists, "has_one_only", json_boolean(json_array_size(one) > 0));
	return rows;
}

/* The next record to check after this one: the oldest open task but this. */
struct next_find {
	int64_t self, next;
};

static int next_row(const struct store_link_review *v, void *ctx)
{
	struct next_find *n = ctx;
	if (v->id == n->self || v->decided_at[0])
		return 0;
	n->next = v->id;
	return 1;
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
	char rec[2 * STORE_NAME_BYTES + 24], cand[2 * STORE_NAME_BYTES + 24], date[DATE_LONG_MAX + 1], hm[8];
	char rec_href[48], cand_href[48], decided[STORE_PERSON_NAME_MAX + 200] = "", who[STORE_PERSON_NAME_MAX + 64];
	struct reading rd;
	const char *why;
	web_short_name(v->person_given, v->person_family, rec, sizeof rec);
	web_short_name(v->candidate_given, v->candidate_family, cand, sizeof cand);
	read_explanation(v->explanation, &rd);
	const char *st = strength(v->probability, &rd, &why), *family = family_note(&rd);
	web_when_text(v->created_at, date, sizeof date, hm, sizeof hm);
	snprintf(rec_href, sizeof rec_href, "/children/%lld", (long long)v->person_id);
	snprintf(cand_href, sizeof cand_href, "/children/%lld", (long long)v->candidate_id);
	if (v->decided_at[0]) {
		char d[DATE_LONG_MAX + 1], t[8];
		web_when_text(v->decided_at, d, sizeof d, t, sizeof t);
		person_of(r->w->st, v->decided_by, who, sizeof who);
		snprintf(decided, sizeof decided, "%s, by %s on %s at %s",
			 strcmp(v->decision, "same") == 0 ? "The same child" : "Different children", who, d, t);
	}
	json_t *view = j->view ? j->view : json_object();
	j->view = NULL;
	if (!json_object_get(view, "form"))
		json_object_set_new(view, "form", json_pack("{s:s, s:s}", "reason", "", "undo_reason", ""));
	json_t *lists = json_object();
	json_t *fields = fields_view(v->explanation, lists);
	json_object_update_new(
		view, json_pack("{s:s, s:I, s:o, s:o, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:b, s:o, s:o, s:i, s:i, s:b}",
				"title", "Check a record", "id", (json_int_t)v->id, "record", web_str(rec), "candidate",
				web_str(cand), "record_href", rec_href, "candidate_href", cand_href, "agency",
				web_agency_name(v->agency), "strength", st, "strength_class", strength_class(st),
				"strength_why", why, "created", date, "decided", decided, "fields", fields, "is_open",
				!v->decided_at[0], "source_ref", web_str(v->source_ref), "reason_text",
				web_str(v->reason), "reason_min", LINKREVIEW_REASON_MIN, "reason_max",
				LINKREVIEW_REASON_MAX, "nav_links", 1));
	json_object_update_new(view, lists);
	if (family)
		json_object_set_new(view, "family_note", json_string(family));
	/* The next record to check, for after a decision. */
	struct next_find nx = {.self = v->id};
	if (linkreview_list(r->w->st, &r->access, 2, next_row, &nx) >= 0 && nx.next) {
		char next[48];
		snprintf(next, sizeof next, "/link-reviews/%lld", (long long)nx.next);
		json_object_set_new(view, "next_href", json_string(next));
	}
	json_object_set_new(view, "review_id", json_integer(v->id));
	if (merged && !j->m.undone_at[0])
		json_object_set_new(view, "merge", json_pack("{s:I}", "id", (json_int_t)j->m.id));
	else if (merged)
	{
		person_of(r->w->st, j->m.undone_by, who, sizeof who);
		json_object_set_new(view, "merge_undone", json_pack("{s:s}", "by", who));
	}
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
	char actor[96], agency[STORE_CODE_MAX + 1];
	enum linkreview_result res;
	int64_t merge_id;
};

static int act_run(store_conn *c, void *arg)
{
	struct act_job *j = arg;
	if (j->undo)
		return linkreview_unmerge(c, j->actor, j->agency, j->id, j->reason, &j->res);
	return linkreview_decide(c, j->actor, j->agency, j->id, j->same, j->reason, &j->res, &j->merge_id);
}

static void act_done(struct txq_job *job)
{
	struct act_job *j = (struct act_job *)job;
	char to[80];
	snprintf(to, sizeof to, "/link-reviews/%lld", (long long)j->review_id);
	if (job->rc < 0) {
		fprintf(stderr, "safeguard: a link review could not be decided (store error %d)\n", job->rc);
		web_write_failed(j->w, j->rq, job->rc, "Sorry, there is a problem with the service",
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
	snprintf(j->agency, sizeof j->agency, "%s", web_user(rq)->agency);
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
