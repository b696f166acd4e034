#include "service/linkreview.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock/now.h"
#include "service/access.h"
#include "service/audit.h"
#include "service/service_int.h"

/* ---- queueing ---- */

static json_t *ids_text(const char *first, size_t stride, int n)
{
	char buf[IDENTITY_IDS_MAX * 16] = "";
	size_t used = 0;
	for (int i = 0; i < n && used < sizeof buf - 16; i++)
		used += (size_t)snprintf(buf + used, sizeof buf - used, "%s%s", i ? ", " : "", first + (size_t)i * stride);
	return json_string(buf);
}

/* The values compared, per field, beside each field's level and contribution: what a reviewer reads. */
static char *explanation(const struct identity_subject *s, const struct identity_match *m)
{
	const struct store_person *p = m->review_person;
	const struct identity_ids *ids = &m->review_ids;
	json_t *fields = json_array();
	for (int i = 0; i < m->review_score.nfields; i++) {
		const struct identity_field *f = &m->review_score.fields[i];
		json_t *rec = NULL, *cand = NULL;
		if (strcmp(f->field, "nhs_number") == 0) {
			rec = json_string(s->nhs_number);
			cand = ids_text(ids->nhs[0], sizeof ids->nhs[0], ids->n_nhs);
		} else if (strcmp(f->field, "upn") == 0) {
			rec = json_string(s->upn);
			cand = ids_text(ids->upn[0], sizeof ids->upn[0], ids->n_upn);
		} else if (strcmp(f->field, "family_name") == 0) {
			rec = json_string(s->family_name);
			cand = json_string(p->family_name);
		} else if (strcmp(f->field, "given_name") == 0) {
			rec = json_string(s->given_name);
			cand = json_string(p->given_name);
		} else if (strcmp(f->field, "dob") == 0) {
			rec = json_string(s->dob);
			cand = json_string(p->dob);
		} else if (strcmp(f->field, "postcode") == 0) {
			rec = json_string(s->postcode);
			cand = json_string(p->postcode);
		} else if (strcmp(f->field, "middle_names") == 0) {
			rec = json_string(s->middle_names);
			cand = json_string(p->middle_names);
		} else if (strcmp(f->field, "address") == 0) {
			rec = json_string(s->address);
			cand = json_string(p->address);
		} else {
			rec = json_string(s->sex);
			cand = json_string(p->sex);
		}
		json_array_append_new(fields, json_pack("{s:s, s:s, s:f, s:o, s:o}", "field", f->field, "level", f->level,
							"contribution", f->contribution, "record", rec ? rec : json_string(""),
							"candidate", cand ? cand : json_string("")));
	}
	json_t *doc = json_pack("{s:f, s:f, s:f, s:o, s:o}", "weight", m->review_score.weight, "probability",
				m->review_score.probability, "prior", m->review_score.prior, "cannot_link",
				m->review_score.cannot_link ? json_string(m->review_score.cannot_link) : json_null(),
				"fields", fields);
	char *out = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
	json_decref(doc);
	return out;
}

int linkreview_queue(store_conn *c, const char *actor, int64_t source_record_id, int64_t person_id,
		     const struct identity_subject *s, const struct identity_match *m, int64_t *id)
{
	struct store_link_review r;
	char object[48], detail[96];
	int rc;
	memset(&r, 0, sizeof r);
	r.source_record_id = source_record_id;
	r.person_id = person_id;
	r.candidate_id = m->review_candidate;
	r.weight = m->review_score.weight;
	r.probability = m->review_score.probability;
	char *text = explanation(s, m);
	if (!text)
		return STORE_EIO;
	r.explanation = text;
	rc = store_link_review_insert(c, &r, id);
	free(text);
	if (rc != STORE_OK)
		return rc;
	snprintf(object, sizeof object, "link_review:%lld", (long long)*id);
	snprintf(detail, sizeof detail, "candidate %lld, probability %.4f", (long long)r.candidate_id, r.probability);
	struct store_audit a = {.actor = actor, .action = "link_review.create", .child_id = person_id, .object = object,
				.detail = detail};
	return audit_append(c, &a);
}

/* ---- deciding ---- */

/* The write decision for the two records of a task or a merge (service/access.h): both there for this reviewer
 * (the queue is the role's: only whether each is there; a sealed identity is joined by no one and separated by
 * no one; a person known only from records their agency may not see is not there: r-ntk24). Refused, its
 * entry is written on the task or merge asked (r-ntk31), and alike when the id holds none (found false), as the
 * read of a task is audited whatever the id holds. */
static int pair_writable(store_conn *c, const char *actor, const char *agency, enum access_write what, int64_t id,
			 bool found, int64_t one, int64_t other, bool *allowed)
{
	const struct access_writer w = {0, actor, agency, NULL};
	const struct access_write_ask ask = {&w, actor, what, NULL, id};
	return access_write_checked(c, &ask, found ? one : 0, found ? other : 0, clock_now(), allowed, NULL);
}

/* Whether either has since been merged into another. */
static int pair_merged(store_conn *c, int64_t one, int64_t other, bool *merged)
{
	int64_t kept = 0, kept_other = 0;
	int rc = store_person_merged_into(c, one, &kept);
	if (rc == STORE_OK)
		rc = store_person_merged_into(c, other, &kept_other);
	*merged = kept != 0 || kept_other != 0;
	return rc;
}

int linkreview_decide(store_conn *c, const char *actor, const char *agency, int64_t id, bool same, const char *reason,
		      enum linkreview_result *res, int64_t *merge_id)
{
	struct store_link_review *r = calloc(1, sizeof *r);
	bool found = false, allowed = false, merged_since = false, changed = false;
	char object[48], detail[96];
	int rc;
	*merge_id = 0;
	*res = LINKREVIEW_NOT_FOUND;
	if (!r)
		return STORE_EIO;
	r->explanation = NULL;
	if ((rc = store_link_review_get(c, id, r, &found)) != STORE_OK)
		goto out;
	if ((rc = pair_writable(c, actor, agency, WRITE_LINK, id, found, r->person_id, r->candidate_id, &allowed)) !=
		    STORE_OK ||
	    !allowed) /* no task, or a sealed identity, which is joined by no one: refused, audited */
		goto out;
	if ((rc = pair_merged(c, r->person_id, r->candidate_id, &merged_since)) != STORE_OK)
		goto out;
	*res = LINKREVIEW_DECIDED;
	if (r->decided_at[0])
		goto out;
	*res = LINKREVIEW_GONE;
	if (merged_since)
		goto out;
	/* The older person is kept: the one the others were linked to first. */
	int64_t kept = r->person_id < r->candidate_id ? r->person_id : r->candidate_id;
	int64_t merged = r->person_id < r->candidate_id ? r->candidate_id : r->person_id;
	if (same) {
		if ((rc = store_person_merge(c, kept, merged, actor, reason, merge_id)) != STORE_OK)
			goto out;
		snprintf(object, sizeof object, "merge:%lld", (long long)*merge_id);
		snprintf(detail, sizeof detail, "person %lld merged into %lld; link_review %lld", (long long)merged,
			 (long long)kept, (long long)id);
		struct store_audit a = {.actor = actor, .action = "person.merge", .child_id = kept, .object = object,
					.detail = detail};
		if ((rc = audit_append(c, &a)) != STORE_OK)
			goto out;
	} else if ((rc = store_link_refusal_add(c, r->person_id, r->candidate_id, r->source_record_id, id, actor,
						reason)) != STORE_OK) {
		goto out;
	}
	if ((rc = store_link_review_decide(c, id, actor, same ? "same" : "different", reason, *merge_id, &changed)) !=
	    STORE_OK)
		goto out;
	if (!changed) { /* cannot happen inside the write transaction: it was open above */
		rc = STORE_ECONFLICT;
		goto out;
	}
	snprintf(object, sizeof object, "link_review:%lld", (long long)id);
	snprintf(detail, sizeof detail, "%s; persons %lld and %lld", same ? "same" : "different",
		 (long long)r->person_id, (long long)r->candidate_id);
	struct store_audit a = {.actor = actor, .action = "link_review.decide", .child_id = r->person_id,
				.object = object, .detail = detail};
	if ((rc = audit_append(c, &a)) != STORE_OK)
		goto out;
	*res = LINKREVIEW_DONE;
out:
	free((void *)r->explanation);
	free(r);
	return rc;
}

enum linkreview_result linkreview_unmerge_check(const struct store_merge *m, const struct store_merge *involving,
						size_t n)
{
	if (m->undone_at[0])
		return LINKREVIEW_DECIDED;
	for (size_t i = 0; i < n; i++) {
		const struct store_merge *x = &involving[i];
		bool shares = x->kept_id == m->kept_id || x->kept_id == m->merged_id || x->merged_id == m->kept_id ||
			      x->merged_id == m->merged_id;
		if (x->id > m->id && !x->undone_at[0] && shares)
			return LINKREVIEW_LATER;
	}
	return LINKREVIEW_DONE;
}

/* The merges after `after` that a person was part of (newest first, so the walk stops at the first older one). */
struct later_merges {
	int64_t after;
	struct store_merge *v;
	size_t n, cap;
};

static int later_merge_add(const struct store_merge *m, void *ctx)
{
	struct later_merges *l = ctx;
	if (m->id <= l->after)
		return 0;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		void *v = realloc(l->v, cap * sizeof *l->v);
		if (!v)
			return STORE_EIO;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *m;
	return 0;
}

/* Every merge a person can have been part of (a bound, not a page: each one is a decision someone made). */
#define LINKREVIEW_MERGES_OF_MAX 100000

int linkreview_unmerge(store_conn *c, const char *actor, const char *agency, int64_t merge_id, const char *reason,
		       enum linkreview_result *res)
{
	struct store_merge m = {0};
	struct later_merges later = {.after = merge_id};
	bool found = false, allowed = false, done = false;
	char object[48], detail[96];
	int rc;
	*res = LINKREVIEW_NOT_FOUND;
	if ((rc = store_merge_get(c, merge_id, &m, &found)) != STORE_OK)
		return rc;
	/* An undo is asked of the merge, whatever came after (whether either was merged since is not asked). No merge,
	 * or a sealed identity: refused, audited on the merge asked. */
	if ((rc = pair_writable(c, actor, agency, WRITE_MERGE_UNDO, merge_id, found, m.kept_id, m.merged_id,
				&allowed)) != STORE_OK ||
	    !allowed)
		return rc;
	/* The facts the rule needs (the later merges of either person), then the rule, then the write. */
	if ((rc = store_merges_of(c, m.kept_id, LINKREVIEW_MERGES_OF_MAX, later_merge_add, &later)) != STORE_OK ||
	    (rc = store_merges_of(c, m.merged_id, LINKREVIEW_MERGES_OF_MAX, later_merge_add, &later)) != STORE_OK)
		goto out;
	if ((*res = linkreview_unmerge_check(&m, later.v, later.n)) != LINKREVIEW_DONE)
		goto out;
	if ((rc = store_person_unmerge(c, merge_id, actor, reason, &done)) != STORE_OK)
		goto out;
	if (!done) { /* undone since it was read: the transaction holds the write lock, so not expected */
		*res = LINKREVIEW_DECIDED;
		goto out;
	}
	snprintf(object, sizeof object, "merge:%lld", (long long)merge_id);
	snprintf(detail, sizeof detail, "person %lld taken back out of %lld", (long long)m.merged_id,
		 (long long)m.kept_id);
	struct store_audit a = {.actor = actor, .action = "person.unmerge", .child_id = m.kept_id, .object = object,
				.detail = detail};
	if ((rc = audit_append(c, &a)) != STORE_OK)
		goto out;
	*res = LINKREVIEW_DONE;
out:
	free(later.v);
	return rc;
}

/* ---- reading ---- */

struct read_args {
	struct store_view view; /* the reader's list view */
	int limit;
	int64_t id;
	store_link_review_fn fn;
	void *ctx;
	struct store_link_review *out;
	struct store_merge *merge;
	bool *found;
};

static int list_run(store_conn *c, void *arg)
{
	struct read_args *a = arg;
	return store_link_reviews_open(c, &a->view, a->limit, a->fn, a->ctx);
}

int linkreview_list(store *st, const struct children_access *a, int limit, store_link_review_fn fn, void *ctx)
{
	if (!a->audited)
		return CHILDREN_ENOAUDIT;
	struct read_args args = {.limit = limit, .fn = fn, .ctx = ctx};
	access_list_view(&a->reader, &args.view);
	return service_in_snapshot(st, list_run, &args);
}

static int get_run(store_conn *c, void *arg)
{
	struct read_args *a = arg;
	struct store_access_facts fa, fb;
	int rc = store_link_review_get(c, a->id, a->out, a->found);
	if (rc != STORE_OK || !*a->found)
		return rc;
	/* as the queue: neither person sealed, and both known to the reader's view (VIEW_PERSON's rule) */
	if ((rc = store_access_facts(c, a->out->person_id, &a->view, &fa)) != STORE_OK ||
	    (rc = store_access_facts(c, a->out->candidate_id, &a->view, &fb)) != STORE_OK)
		return rc;
	if (fa.sealed || fb.sealed || !fa.known || !fb.known) {
		*a->found = false;
		free((void *)a->out->explanation);
		a->out->explanation = NULL;
	}
	return STORE_OK;
}

int linkreview_get(store *st, const struct children_access *a, int64_t id, struct store_link_review *out,
		   bool *found)
{
	*found = false;
	out->explanation = NULL;
	if (!a->audited)
		return CHILDREN_ENOAUDIT;
	struct read_args args = {.id = id, .out = out, .found = found};
	access_list_view(&a->reader, &args.view);
	int rc = service_in_snapshot(st, get_run, &args);
	if (rc != STORE_OK) {
		free((void *)out->explanation);
		out->explanation = NULL;
		*found = false;
	}
	return rc;
}

static int merge_run(store_conn *c, void *arg)
{
	struct read_args *a = arg;
	bool sa = false, sb = false;
	int rc = store_merge_get(c, a->id, a->merge, a->found);
	if (rc != STORE_OK || !*a->found)
		return rc;
	if ((rc = store_person_sealed(c, a->merge->kept_id, &sa)) != STORE_OK ||
	    (rc = store_person_sealed(c, a->merge->merged_id, &sb)) != STORE_OK)
		return rc;
	*a->found = !sa && !sb;
	return STORE_OK;
}

int linkreview_merge_get(store *st, const struct children_access *a, int64_t id, struct store_merge *out,
			 bool *found)
{
	*found = false;
	if (!a->audited)
		return CHILDREN_ENOAUDIT;
	struct read_args args = {.id = id, .merge = out, .found = found};
	return service_in_snapshot(st, merge_run, &args);
}
