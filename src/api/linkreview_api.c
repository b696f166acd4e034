/*
 * api/linkreview_api.c — record linkage's review queue (service/linkreview.h): the open tasks, one task with
 * the two records side by side and each field's contribution, the decision (same or different, with a
 * reason), and undoing a merge. People only (ACT_LINK_REVIEW). Reads go audit-first; decisions and undos are
 * jobs on the write queue and answer after their commit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include "core/event.h"
#include "core/text.h"
#include "service/linkreview.h"

#define REVIEWS_LIMIT_DEFAULT 100
#define REVIEWS_LIMIT_MAX 500

/* ---- reading ---- */

struct read_job {
	struct children_access access; /* first: the audit entry gates the read */
	struct api *a;
	http_request *rq;
	int64_t id; /* one task, or 0 for the queue */
	int limit;
	json_t *list;
	struct store_link_review one;
};

static void read_job_free(void *arg)
{
	struct read_job *j = arg;
	json_decref(j->list);
	free((void *)j->one.explanation);
	free(j);
}

static void read_audited(struct children_access *access)
{
	struct read_job *j = (struct read_job *)access;
	http_resume(j->rq);
}

static json_t *name(const char *given, const char *family)
{
	return json_sprintf("%s%s%s", given, given[0] && family[0] ? " " : "", family);
}

static json_t *review_summary(const struct store_link_review *r)
{
	return json_pack("{s:I, s:s, s:f, s:f, s:{s:I, s:s, s:s, s:I, s:o}, s:{s:I, s:o}}", "id", (json_int_t)r->id,
			 "created_at", r->created_at, "probability", r->probability, "weight", r->weight, "record",
			 "source_record_id", (json_int_t)r->source_record_id, "agency", r->agency, "source_ref",
			 r->source_ref, "child_id", (json_int_t)r->person_id, "name",
			 name(r->person_given, r->person_family), "candidate", "child_id", (json_int_t)r->candidate_id,
			 "name", name(r->candidate_given, r->candidate_family));
}

static int on_review(const struct store_link_review *r, void *ctx)
{
	struct read_job *j = ctx;
	return json_array_append_new(j->list, review_summary(r)) == 0 ? 0 : STORE_EIO;
}

static json_t *str_or_null(const char *s)
{
	return s[0] ? json_string(s) : json_null();
}

static json_t *review_full(const struct store_link_review *r)
{
	json_t *o = review_summary(r);
	json_t *ex = json_loads(r->explanation ? r->explanation : "", 0, NULL);
	json_t *fields = json_object_get(ex, "fields");
	json_object_set(o, "fields", json_is_array(fields) ? fields : json_array());
	json_decref(ex);
	json_object_set_new(o, "state", json_string(r->decided_at[0] ? "decided" : "open"));
	json_object_set_new(o, "decision", str_or_null(r->decision));
	json_object_set_new(o, "reason", str_or_null(r->reason));
	json_object_set_new(o, "decided_at", str_or_null(r->decided_at));
	json_object_set_new(o, "decided_by", str_or_null(r->decided_by));
	json_object_set_new(o, "merge_id", r->merge_id ? json_integer(r->merge_id) : json_null());
	return o;
}

static void read_continue(http_request *rq, void *ctx)
{
	struct read_job *j = ctx;
	struct api *a = j->a;
	bool found = false;
	int rc;
	if (!j->access.audited) {
		fprintf(stderr, "safeguard: audit of a link review read failed (store error %d)\n", j->access.rc);
		api_reply_store_failure(a, rq, j->access.rc);
		goto out;
	}
	if (j->id) {
		rc = linkreview_get(a->st, &j->access, j->id, &j->one, &found);
		if (rc < 0)
			api_reply_store_failure(a, rq, rc);
		else if (!found)
			api_reply_simple(a, rq, 404, "not_found", "review_id", "there is no review task with this id");
		else
			api_reply_json(a, rq, 200, review_full(&j->one));
		goto out;
	}
	j->list = json_array();
	rc = linkreview_list(a->st, &j->access, j->limit + 1, on_review, j);
	if (rc < 0) {
		api_reply_store_failure(a, rq, rc);
		goto out;
	}
	bool more = json_array_size(j->list) > (size_t)j->limit;
	if (more)
		json_array_remove(j->list, (size_t)j->limit);
	api_reply_json(a, rq, 200, json_pack("{s:O, s:b}", "reviews", j->list, "more", more));
out:
	read_job_free(j);
}

static void get_reviews(struct api *a, http_request *rq, const struct caller *who, int64_t id)
{
	struct read_job *j = calloc(1, sizeof *j);
	if (!j) {
		api_reply_simple(a, rq, 503, "busy", NULL, "out of memory: try again");
		return;
	}
	j->id = id;
	j->limit = REVIEWS_LIMIT_DEFAULT;
	if (!id) {
		const char *limit = http_query(rq, "limit");
		int64_t n = REVIEWS_LIMIT_DEFAULT;
		if (limit && (!event_parse_id(limit, strlen(limit), &n) || n > REVIEWS_LIMIT_MAX)) {
			api_reply_simple(a, rq, 400, "invalid_value", "limit", "limit must be a whole number from 1 to 500");
			free(j);
			return;
		}
		j->limit = (int)n;
		snprintf(j->access.detail, sizeof j->access.detail, "open link reviews, limit %d", j->limit);
	} else {
		snprintf(j->access.detail, sizeof j->access.detail, "link_review %lld", (long long)id);
	}
	j->a = a;
	j->rq = rq;
	snprintf(j->access.actor, sizeof j->access.actor, "%s", who->actor);
	api_reader_init(&j->access.reader, who);
	j->access.action = id ? "link_review.read" : "link_reviews.read";
	j->access.done = read_audited;
	http_continue_with(rq, read_continue, j, read_job_free);
	http_suspend(rq);
	children_access_audit(a->q, &j->access);
}

API_ROUTE(api_link_reviews)
{
	get_reviews(a, rq, who, 0);
}

API_ROUTE(api_link_review)
{
	get_reviews(a, rq, who, ids[0]);
}

/* ---- deciding and undoing ---- */

struct act_job {
	struct txq_job job;
	struct api *a;
	http_request *rq;
	struct caller who;
	int64_t id;
	bool undo, same;
	char *reason;
	enum linkreview_result res;
	int64_t merge_id;
};

static int act_run(store_conn *c, void *arg)
{
	struct act_job *j = arg;
	if (j->undo)
		return linkreview_unmerge(c, j->who.actor, j->who.client.agency, j->id, j->reason, &j->res);
	return linkreview_decide(c, j->who.actor, j->who.client.agency, j->id, j->same, j->reason, &j->res,
				 &j->merge_id);
}

static void act_done(struct txq_job *job)
{
	struct act_job *j = (struct act_job *)job;
	struct api *a = j->a;
	if (job->rc < 0) {
		fprintf(stderr, "safeguard: link review action failed (store error %d)\n", job->rc);
		api_reply_store_failure(a, j->rq, job->rc);
	} else if (j->res == LINKREVIEW_NOT_FOUND) {
		api_reply_simple(a, j->rq, 404, "not_found", j->undo ? "merge_id" : "review_id",
				 j->undo ? "there is no merge with this id" : "there is no review task with this id");
	} else if (j->res == LINKREVIEW_DECIDED) {
		api_reply_simple(a, j->rq, 409, "wrong_state", "state",
				 j->undo ? "the merge was already undone" : "the review task was already decided");
	} else if (j->res == LINKREVIEW_GONE) {
		api_reply_simple(a, j->rq, 409, "merged_since", "review_id",
				 "one of the two records has since been merged into another; decide on that one");
	} else if (j->res == LINKREVIEW_LATER) {
		api_reply_simple(a, j->rq, 409, "later_merge", "merge_id",
				 "a later merge involving these records stands: undo that one first");
	} else if (j->undo) {
		api_reply_json(a, j->rq, 200, json_pack("{s:I, s:s}", "merge_id", (json_int_t)j->id, "state", "undone"));
	} else {
		api_reply_json(a, j->rq, 200,
			       json_pack("{s:I, s:s, s:o}", "id", (json_int_t)j->id, "decision", j->same ? "same" : "different",
					 "merge_id", j->merge_id ? json_integer(j->merge_id) : json_null()));
	}
	http_resume(j->rq);
	free(j->reason);
	free(j);
}

/* The body: a JSON object with exactly the allowed keys; every refusal names its field. */
static int parse_body(struct api *a, http_request *rq, bool undo, bool *same, const char **reason, json_t **out)
{
	size_t len = 0;
	const char *text = http_body(rq, &len);
	json_error_t jerr;
	*out = NULL;
	if (!api_json_content_type(rq)) {
		api_reply_simple(a, rq, 415, "unsupported_media_type", "Content-Type", "send the body as application/json");
		return -1;
	}
	json_t *body = json_loadb(text ? text : "", len, JSON_REJECT_DUPLICATES, &jerr);
	if (!json_is_object(body)) {
		json_decref(body);
		api_reply_simple(a, rq, 400, "invalid_json", NULL, "the body must be a JSON object");
		return -1;
	}
	*out = body;
	const char *key;
	json_t *v;
	json_object_foreach(body, key, v)
	{
		if (strcmp(key, "reason") != 0 && (undo || strcmp(key, "decision") != 0)) {
			char shown[33];
			size_t k;
			for (k = 0; key[k] && k < sizeof shown - 1; k++)
				shown[k] = (key[k] >= 0x20 && key[k] < 0x7f) ? key[k] : '?';
			shown[k] = '\0';
			struct api_error e;
			api_error_set(&e, 400, "unknown_field", shown, "%s is not a field of this request (%s)", shown,
				      undo ? "send reason" : "send decision and reason");
			api_reply_error(a, rq, &e);
			return -1;
		}
	}
	if (!undo) {
		json_t *d = json_object_get(body, "decision");
		if (!d || json_is_null(d)) {
			api_reply_simple(a, rq, 400, "missing_field", "decision", "decision is required: same or different");
			return -1;
		}
		if (!json_is_string(d)) {
			api_reply_simple(a, rq, 400, "wrong_type", "decision", "decision must be a string: same or different");
			return -1;
		}
		if (strcmp(json_string_value(d), "same") != 0 && strcmp(json_string_value(d), "different") != 0) {
			api_reply_simple(a, rq, 400, "invalid_value", "decision", "decision must be same or different");
			return -1;
		}
		*same = strcmp(json_string_value(d), "same") == 0;
	}
	json_t *r = json_object_get(body, "reason");
	if (!r || json_is_null(r)) {
		api_reply_simple(a, rq, 400, "missing_field", "reason", "reason is required: say why");
		return -1;
	}
	if (!json_is_string(r)) {
		api_reply_simple(a, rq, 400, "wrong_type", "reason", "reason must be a string");
		return -1;
	}
	const char *s = json_string_value(r);
	size_t n = json_string_length(r);
	bool controls = strlen(s) != n;
	for (size_t i = 0; i < n; i++)
		controls |= ((unsigned char)s[i] < 0x20 && s[i] != '\n' && s[i] != '\r' && s[i] != '\t') || s[i] == 0x7f;
	if (controls) {
		api_reply_simple(a, rq, 400, "invalid_characters", "reason", "reason contains control characters");
		return -1;
	}
	size_t chars = text_utf8_length(s, n);
	if (chars < LINKREVIEW_REASON_MIN || !s[strspn(s, " \t\r\n")]) {
		api_reply_simple(a, rq, 400, "too_short", "reason", "reason must say why, in at least 5 characters");
		return -1;
	}
	if (chars > LINKREVIEW_REASON_MAX) {
		api_reply_simple(a, rq, 400, "too_long", "reason", "reason is longer than 500 characters");
		return -1;
	}
	*reason = s;
	return 0;
}

static void post_action(struct api *a, http_request *rq, const struct caller *who, int64_t id, bool undo)
{
	struct act_job *j = calloc(1, sizeof *j);
	json_t *body = NULL;
	const char *reason = NULL;
	if (!j) {
		api_reply_simple(a, rq, 503, "busy", NULL, "out of memory: try again");
		return;
	}
	if (parse_body(a, rq, undo, &j->same, &reason, &body) != 0)
		goto fail;
	if (!(j->reason = strdup(reason))) {
		api_reply_simple(a, rq, 503, "busy", NULL, "out of memory: try again");
		goto fail;
	}
	json_decref(body);
	j->who = *who;
	j->id = id;
	j->undo = undo;
	j->a = a;
	j->rq = rq;
	j->job.run = act_run;
	j->job.arg = j;
	j->job.done = act_done;
	http_suspend(rq);
	txq_submit(a->q, &j->job);
	return;
fail:
	json_decref(body);
	free(j->reason);
	free(j);
}

API_ROUTE(api_link_review_decision)
{
	post_action(a, rq, who, ids[0], false);
}

API_ROUTE(api_merge_undo)
{
	post_action(a, rq, who, ids[0], true);
}
