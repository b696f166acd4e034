/*
 * api/viewers_api.c — GET /api/v1/children/{id}/viewers: who has looked at this child's record, for the
 * allocated worker and the data protection officer (issue 4, part 4); POST .../break-glass; and
 * GET /api/v1/notices, the data protection officer's notices of break-glass (issue 14). A person's session is needed: an
 * agency's system has no one to answer for. Any refusal is the same 403 whether or not the child exists.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/api_int.h"
#include "clock/now.h"
#include "core/date.h"
#include "core/text.h"
#include "service/access.h"
#include "service/children.h"

#define VIEWERS_SHOWN 100

struct viewers_job {
	struct children_access access; /* first: the audit entry gates the read */
	struct api *a;
	http_request *rq;
	json_t *list;
	char note[160]; /* the caller's (an agency system's token), for a refusal's entry */
};

static void viewers_free(void *arg)
{
	struct viewers_job *j = arg;
	json_decref(j->list);
	free(j);
}

static void viewers_audited(struct children_access *access)
{
	http_resume(((struct viewers_job *)access)->rq);
}

static int on_read(const struct store_audit *e, void *ctx)
{
	struct viewers_job *j = ctx;
	return json_array_append_new(j->list, json_pack("{s:s, s:s, s:s}", "at", e->at, "who", e->actor, "action",
							e->action)) ? STORE_EIO : 0;
}

static void viewers_continue(http_request *rq, void *ctx)
{
	struct viewers_job *j = ctx;
	struct api *a = j->a;
	if (!j->access.audited) {
		api_reply_store_failure(a, rq, j->access.rc);
	} else if (j->access.refused) {
		api_reply_simple(a, rq, 403, "forbidden", NULL,
				 "only the child's allocated worker and the data protection officer see who has looked");
	} else if (!j->access.exists) {
		api_reply_simple(a, rq, 404, "not_found", "child_id", "there is no child with this id");
	} else {
		j->list = json_array();
		int rc = children_viewers(a->st, &j->access, VIEWERS_SHOWN, on_read, j);
		if (rc < 0)
			api_reply_store_failure(a, rq, rc);
		else
			api_reply_json(a, rq, 200, json_pack("{s:I, s:O}", "child_id", (json_int_t)j->access.child_id,
							     "viewers", j->list));
	}
	viewers_free(j);
}

/* The decision made (children_viewers_read_decided), just before its entry is queued: a refusal's detail says
 * which route, and an agency's system's token; the request suspended until the entry is durable. */
static void viewers_hold(struct children_access *access)
{
	struct viewers_job *j = (struct viewers_job *)access;
	if (access->refuse)
		snprintf(access->detail, sizeof access->detail, "viewers API%s%s", j->note[0] ? "; " : "", j->note);
	http_continue_with(j->rq, viewers_continue, j, viewers_free);
	http_suspend(j->rq);
}

void api_viewers(struct api *a, http_request *rq, const struct caller *who, const int64_t *ids)
{
	int64_t child_id = ids[0];
	struct viewers_job *j = calloc(1, sizeof *j);
	if (!j) {
		api_reply_simple(a, rq, 503, "busy", NULL, "out of memory: try again");
		return;
	}
	j->a = a;
	j->rq = rq;
	snprintf(j->note, sizeof j->note, "%s", who->note);
	j->access.action = "viewers.read";
	snprintf(j->access.actor, sizeof j->access.actor, "%s", who->actor);
	api_reader_init(&j->access.reader, who);
	j->access.done = viewers_audited;
	j->access.hold = viewers_hold;
	/* One call decides and audits (r-ntk32): the allocated worker and the DPO read, audited as before; anyone
	 * else (an agency's system too) is refused with one `access.refused` entry, then the same 403 whether or
	 * not the child exists. */
	int rc = children_viewers_read_decided(a->st, a->q, child_id, &j->access);
	if (rc != STORE_OK) {
		api_reply_store_failure(a, rq, rc);
		viewers_free(j);
	}
}

/* ---- POST /api/v1/children/{id}/break-glass ---- */

struct glass_job {
	struct txq_job job;
	struct api *a;
	http_request *rq;
	struct caller who;
	int64_t child_id;
	char *reason;
	bool refused;
	int64_t now;
	char expires_at[STORE_TS_LEN + 1];
};

static int glass_run(store_conn *c, void *arg)
{
	struct glass_job *j = arg;
	struct access_person p = {j->who.user_id, j->who.username, j->who.client.agency, j->who.role};
	return access_break_glass(c, &p, j->who.actor, j->child_id, j->reason, j->now, &j->refused, j->expires_at);
}

static void glass_done(struct txq_job *job)
{
	struct glass_job *j = (struct glass_job *)job;
	if (job->rc < 0)
		api_reply_store_failure(j->a, j->rq, job->rc);
	else if (j->refused)
		/* The allowance is per person, whatever the id: this says nothing about the child. */
		api_reply_simple(j->a, j->rq, 429, "break_glass_allowance_used", NULL,
				 "you have used today's allowance of records opened in an emergency: nothing was opened, "
				 "and the data protection officer has been told; ask them or your manager");
	else /* an id that holds no child (or a sealed one) is answered the same: nothing tells them apart */
		api_reply_json(j->a, j->rq, 201, json_pack("{s:I, s:s}", "child_id", (json_int_t)j->child_id,
							   "expires_at", j->expires_at));
	http_resume(j->rq);
	free(j->reason);
	free(j);
}

void api_break_glass(struct api *a, http_request *rq, const struct caller *who, const int64_t *ids)
{
	int64_t child_id = ids[0];
	struct glass_job *j = calloc(1, sizeof *j);
	json_t *body = NULL;
	if (!j) {
		api_reply_simple(a, rq, 503, "busy", NULL, "out of memory: try again");
		return;
	}
	j->who = *who;
	if (!j->who.is_user) { /* the role policy already refuses systems: a person answers for it */
		api_reply_simple(a, rq, 403, "forbidden", NULL, "break-glass is for a person signed in, who answers for it");
		goto fail;
	}
	if (!api_json_content_type(rq)) {
		api_reply_simple(a, rq, 415, "unsupported_media_type", "Content-Type", "send the body as application/json");
		goto fail;
	}
	size_t len = 0;
	const char *text = http_body(rq, &len);
	json_error_t jerr;
	body = json_loadb(text ? text : "", len, JSON_REJECT_DUPLICATES, &jerr);
	json_t *reason = json_object_get(body, "reason");
	if (!json_is_object(body) || json_object_size(body) != (reason ? 1u : 0u)) {
		api_reply_simple(a, rq, 400, "invalid_json", NULL, "the body must be {\"reason\": \"...\"}");
		goto fail;
	}
	const char *r = json_string_value(reason);
	size_t chars = r && text_utf8_valid(r, json_string_length(reason)) ? text_utf8_length(r, json_string_length(reason)) : 0;
	if (!r || strlen(r) != json_string_length(reason) || text_has_controls(r, strlen(r)) ||
	    chars < ACCESS_REASON_MIN || chars > ACCESS_REASON_MAX) {
		api_reply_simple(a, rq, 400, "invalid_value", "reason",
				 "reason is required: 10 to 500 characters saying why this is an emergency");
		goto fail;
	}
	if (!(j->reason = strdup(r))) {
		api_reply_simple(a, rq, 503, "busy", NULL, "out of memory: try again");
		goto fail;
	}
	json_decref(body);
	j->a = a;
	j->rq = rq;
	j->child_id = child_id;
	j->now = clock_now();
	j->job.run = glass_run;
	j->job.arg = j;
	j->job.done = glass_done;
	http_suspend(rq);
	txq_submit(a->q, &j->job);
	return;
fail:
	json_decref(body);
	free(j->reason);
	free(j);
}

/* ---- GET /api/v1/notices: the data protection officer's notices ---- */

#define NOTICES_SHOWN 200

/* The filters of health's openings (r-mash29: the DPO's list's, the agency fixed): a username or part of it, and
 * the UK days from and to as the instants they start and end */
struct glass_filter {
	char person[STORE_USER_MAX + 1];
	char from[STORE_TS_LEN + 1], to[STORE_TS_LEN + 1];
};

struct notices_job {
	struct children_access access; /* first: the audit entry gates the read */
	struct api *a;
	http_request *rq;
	json_t *list;
	struct glass_filter filter;
};

static void notices_free(void *arg)
{
	struct notices_job *j = arg;
	json_decref(j->list);
	free(j);
}

static void notices_audited(struct children_access *access)
{
	http_resume(((struct notices_job *)access)->rq);
}

static int on_notice(const struct store_notice *n, void *ctx)
{
	struct notices_job *j = ctx;
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:I, s:s}", "id", (json_int_t)n->id, "kind", n->kind, "at", n->at,
			      "who", n->username, "child_id", (json_int_t)n->child_id, "detail", n->detail);
	if (o && n->break_glass_id)
		json_object_set_new(o, "break_glass_id", json_integer(n->break_glass_id));
	return !o || json_array_append_new(j->list, o) ? STORE_EIO : 0;
}

static void notices_continue(http_request *rq, void *ctx)
{
	struct notices_job *j = ctx;
	struct api *a = j->a;
	if (!j->access.audited) {
		api_reply_store_failure(a, rq, j->access.rc);
	} else {
		j->list = json_array();
		int rc = access_notices(a->st, &j->access, NOTICES_SHOWN, on_notice, j);
		if (rc < 0)
			api_reply_store_failure(a, rq, rc);
		else
			api_reply_json(a, rq, 200, json_pack("{s:O}", "notices", j->list));
	}
	notices_free(j);
}

/* The audit entry first (refused when refused_object is given: audited as a refusal of that object), then cont
 * with the job once it is durable. reader NULL: the caller's reader is the audit's to make (the DPO's notices). */
static void notices_job_start(struct api *a, http_request *rq, const struct caller *who, const char *action,
			      const char *detail, const struct access_reader *reader, const char *refused_object,
			      const struct glass_filter *filter, http_handler cont)
{
	struct notices_job *j = calloc(1, sizeof *j);
	if (!j) {
		api_reply_simple(a, rq, 503, "busy", NULL, "out of memory: try again");
		return;
	}
	j->a = a;
	j->rq = rq;
	if (filter)
		j->filter = *filter;
	j->access.action = action;
	snprintf(j->access.actor, sizeof j->access.actor, "%s", who->actor);
	if (reader)
		j->access.reader = *reader;
	snprintf(j->access.detail, sizeof j->access.detail, "%s", detail);
	if (refused_object) { /* a refused read is audited as one (r-ntk27) */
		j->access.refuse = true;
		snprintf(j->access.object, sizeof j->access.object, "%s", refused_object);
	}
	j->access.done = notices_audited;
	http_continue_with(rq, cont, j, notices_free);
	http_suspend(rq);
	children_access_audit(a->q, &j->access);
}

void api_notices(struct api *a, http_request *rq, const struct caller *who, const int64_t *ids)
{
	(void)ids;
	notices_job_start(a, rq, who, "notices.read", "break-glass notices; data protection officer", NULL, NULL, NULL,
			  notices_continue);
}

/* ---- GET /api/v1/health/break-glass: health's own openings, for health's safeguarding lead (r-ntk27) ---- */

#define HEALTH_OPENINGS_SHOWN 200
#define HEALTH_OPENINGS_REFUSED                                                                                    \
	"health's emergency openings are for health's safeguarding lead (the manager of the team health_safeguarding)"

static int on_health_opening(const struct store_break_glass *b, void *ctx)
{
	struct notices_job *j = ctx;
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:s}", "id", (json_int_t)b->id, "at", b->at,
			      "expires_at", b->expires_at, "who", b->username, "role", b->role, "child_id",
			      (json_int_t)b->child_id, "given_name", b->given_name, "family_name", b->family_name, "reason",
			      b->reason);
	return !o || json_array_append_new(j->list, o) ? STORE_EIO : 0;
}

static void health_glass_continue(http_request *rq, void *ctx)
{
	struct notices_job *j = ctx;
	struct api *a = j->a;
	if (!j->access.audited) {
		api_reply_store_failure(a, rq, j->access.rc);
	} else if (j->access.refused) { /* not the lead: refused, audited as a refusal */
		api_reply_simple(a, rq, 403, "forbidden", NULL, HEALTH_OPENINGS_REFUSED);
	} else {
		j->list = json_array();
		const struct glass_filter *f = &j->filter;
		const struct store_glass_query q = {f->person[0] ? f->person : NULL, NULL, f->from[0] ? f->from : NULL,
						    f->to[0] ? f->to : NULL, HEALTH_OPENINGS_SHOWN};
		int rc = access_health_openings(a->st, &j->access, &q, on_health_opening, j);
		if (rc == CHILDREN_ENOAUDIT) /* no longer the lead since the entry */
			api_reply_simple(a, rq, 403, "forbidden", NULL, HEALTH_OPENINGS_REFUSED);
		else if (rc < 0)
			api_reply_store_failure(a, rq, rc);
		else
			api_reply_json(a, rq, 200, json_pack("{s:O}", "openings", j->list));
	}
	notices_free(j);
}

/* A day of the query (YYYY-MM-DD) as the instant its UK day starts, or the next day's for the end of "to";
 * false for anything else */
static bool glass_day(const char *v, bool end, char out[STORE_TS_LEN + 1], struct date *d)
{
	if (!v || date_parse_iso(v, d) != 0)
		return false;
	ts_format_utc(ts_uk_civil(end ? date_from_days(date_to_days(*d) + 1) : *d, 0, 0), out);
	return true;
}

/* ?person=&from=&to= (r-mash29: the filters of the DPO's list of openings, /dpo): a 400 naming the field, before
 * anything is read or audited; nothing given, the whole list */
static bool glass_filter_read(struct api *a, http_request *rq, struct glass_filter *f)
{
	const char *person = http_query(rq, "person"), *from = http_query(rq, "from"), *to = http_query(rq, "to");
	struct date df, dt;
	memset(f, 0, sizeof *f);
	if (person && person[0]) {
		if (strlen(person) > STORE_USER_MAX || !text_utf8_valid(person, strlen(person)) ||
		    text_has_controls(person, strlen(person))) {
			api_reply_simple(a, rq, 400, "invalid_value", "person",
					 "person must be a username, or part of it, of 64 characters or fewer");
			return false;
		}
		snprintf(f->person, sizeof f->person, "%s", person);
	}
	if (from && from[0] && !glass_day(from, false, f->from, &df)) {
		api_reply_simple(a, rq, 400, "invalid_value", "from", "from must be a real date, YYYY-MM-DD");
		return false;
	}
	if (to && to[0] && !glass_day(to, true, f->to, &dt)) {
		api_reply_simple(a, rq, 400, "invalid_value", "to", "to must be a real date, YYYY-MM-DD");
		return false;
	}
	if (f->from[0] && f->to[0] && date_cmp(df, dt) > 0) {
		api_reply_simple(a, rq, 400, "invalid_value", "to", "to must be the same day as from or after it");
		return false;
	}
	return true;
}

void api_health_glass(struct api *a, http_request *rq, const struct caller *who, const int64_t *ids)
{
	(void)ids;
	bool lead = false;
	struct access_reader reader;
	struct glass_filter filter;
	if (!glass_filter_read(a, rq, &filter))
		return;
	api_reader_init(&reader, who);
	int rc = access_health_lead(a->st, &reader, &lead);
	if (rc != STORE_OK) {
		api_reply_store_failure(a, rq, rc);
		return;
	}
	notices_job_start(a, rq, who, "health_glass.read", "health's emergency openings", &reader,
			  lead ? NULL : "health_glass", &filter, health_glass_continue);
}
