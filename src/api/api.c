#include "api/api.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "api/api_int.h"
#include "api/intake_json.h"
#include "clock/now.h"
#include "core/date.h"
#include "core/event.h"
#include "lib/route.h"
#include "service/access.h"
#include "service/alerts.h"
#include "service/children.h"
#include "service/identity.h"
#include "service/intake.h"
#include "service/tokens.h"
#include "service/users.h"


/* docs/openapi.json, embedded at build time (scripts/embed.sh). */
extern const unsigned char api_openapi_json[];
extern const size_t api_openapi_json_len;

void api_init(struct api *a, store *st, txq *q)
{
	memset(a, 0, sizeof *a);
	a->st = st;
	a->q = q;
	alerts_config_default(&a->alerts);
	/* Ofcom's numbers for drama: a demonstration area has no real duty team. */
	a->office_hours_contact = "Children's services front door: 01632 960000 (Monday to Friday, 9am to 5pm)";
	a->emergency_duty_contact = "Emergency duty team: 01632 960001 (evenings, weekends and bank holidays)";
	a->recording_max = (unsigned long long)API_RECORDING_MAX_MB_DEFAULT * 1024 * 1024;
	/* The token cache (service/tokens.h); SAFEGUARD_TOKEN_CACHE=0 turns it off (to measure without it). */
	const char *want = getenv("SAFEGUARD_TOKEN_CACHE");
	a->tokens = want && strcmp(want, "0") == 0 ? NULL : tokens_cache_new();
}

void api_fini(struct api *a)
{
	tokens_cache_free(a->tokens);
	a->tokens = NULL;
}

/* ---- answering ---- */

void api_count_status(struct api *a, int status)
{
	if (status < 300)
		atomic_fetch_add(&a->status_2xx, 1);
	else if (status < 500)
		atomic_fetch_add(&a->status_4xx, 1);
	else
		atomic_fetch_add(&a->status_5xx, 1);
}

/* Sends a JSON document (stolen reference). */
void api_reply_json(struct api *a, http_request *rq, int status, json_t *doc)
{
	char *body = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
	json_decref(doc);
	if (!body) {
		status = 500;
		body = strdup("{\"error\":{\"code\":\"internal\",\"field\":null,\"message\":\"out of memory\"}}");
	}
	api_count_status(a, status);
	http_respond(rq, status, JSON_TYPE, body, body ? strlen(body) : 0);
}

void api_reply_error(struct api *a, http_request *rq, const struct api_error *e)
{
	json_t *err = json_pack("{s:s, s:o, s:s}", "code", e->code, "field",
				e->field[0] ? json_string(e->field) : json_null(), "message", e->message);
	if (e->status == 401)
		http_add_header(rq, "WWW-Authenticate", "Bearer realm=\"safeguard\"");
	if (e->status == 503)
		http_add_header(rq, "Retry-After", "1");
	api_reply_json(a, rq, e->status, json_pack("{s:o}", "error", err));
}

void api_reply_simple(struct api *a, http_request *rq, int status, const char *code, const char *field,
			 const char *message)
{
	struct api_error e;
	api_error_set(&e, status, code, field, "%s", message);
	api_reply_error(a, rq, &e);
}

/* A store failure, told without its details (they are in the server's log). */
void api_reply_store_failure(struct api *a, http_request *rq, int rc)
{
	if (rc == STORE_EBUSY)
		api_reply_simple(a, rq, 503, "busy", NULL, "the database is busy: try again");
	else if (rc == STORE_EUNAVAIL || rc == STORE_EUNKNOWN) /* a cut-off commit: the same advice */
		api_reply_simple(a, rq, 503, "unavailable", NULL,
				 "the database cannot be reached just now: send the request again (an event is stored once by its source_ref)");
	else
		api_reply_simple(a, rq, 500, "storage", NULL, "the record could not be stored or read");
}

struct write_refusal_job {
	struct access_write_refusal r; /* first */
	struct api *a;
	http_request *rq;
	int status;
	const char *code, *field, *message;
};

static void write_refusal_done(struct access_write_refusal *r)
{
	struct write_refusal_job *j = (struct write_refusal_job *)r;
	if (r->rc != STORE_OK)
		api_reply_store_failure(j->a, j->rq, r->rc);
	else
		api_reply_simple(j->a, j->rq, j->status, j->code, j->field, j->message);
	http_resume(j->rq);
	free(j);
}

static void write_refusal_hold(struct access_write_refusal *r)
{
	http_suspend(((struct write_refusal_job *)r)->rq);
}

bool api_alert_write_decided(struct api *a, http_request *rq, const struct caller *who, int64_t id,
			     const char *action, int status, const char *code, const char *field, const char *message)
{
	struct write_refusal_job *j = calloc(1, sizeof *j);
	if (!j) {
		api_reply_store_failure(a, rq, STORE_EIO);
		return false;
	}
	j->a = a;
	j->rq = rq;
	j->status = status;
	j->code = code;
	j->field = field;
	j->message = message;
	j->r.hold = write_refusal_hold;
	struct access_reader reader;
	api_reader_init(&reader, who);
	const struct access_writer w = {who->user_id, who->username, who->client.agency, who->is_user ? who->role : NULL};
	const struct access_write_ask ask = {&w, who->actor, WRITE_ALERT, action, id};
	bool may = false;
	int rc = alerts_write_decided(a->st, a->q, &reader, &ask, &j->r, write_refusal_done, &may);
	if (rc != STORE_OK)
		api_reply_store_failure(a, rq, rc);
	if (rc != STORE_OK || may)
		free(j);
	return rc == STORE_OK && may;
}

/* ---- who is calling ---- */

bool api_authenticate(struct api *a, http_request *rq, struct caller *who, bool cacheable)
{
	const char *h = http_header(rq, "Authorization");
	if (!h || strncasecmp(h, "Bearer ", 7) != 0 || !h[7]) {
		api_reply_simple(a, rq, 401, "unauthenticated", "Authorization",
			     "send the agency's API token as 'Authorization: Bearer TOKEN'");
		return false;
	}
	const char *token = h + 7;
	while (*token == ' ')
		token++;
	bool found = false, person = false;
	struct store_session s;
	/* POST /api/v1/events: a client kept in the token cache, without a connection; the writer checks it
	 * again inside its transaction (service/tokens.h). */
	who->token_cached = cacheable && tokens_cache_find(a->tokens, token, &who->client, &who->token_gen,
							   who->token_hash);
	if (who->token_cached) {
		tokens_note(&who->client, who->note, sizeof who->note);
		snprintf(who->actor, sizeof who->actor, "client:%lld:%s", (long long)who->client.id, who->client.agency);
		return true;
	}
	tokens_cache *tc = cacheable ? a->tokens : NULL;
	store_conn *c = store_conn_get(a->st);
	int rc = c ? tokens_authenticate_cached(c, tc, token, &who->client, &found) : STORE_EUNAVAIL; /* none to be had */
	if (rc == STORE_EUNAVAIL && c) { /* a connection lost since its last use (a failover): a read, so once more */
		store_conn_put(a->st, c);
		c = store_conn_get(a->st);
		rc = c ? tokens_authenticate_cached(c, tc, token, &who->client, &found) : STORE_EUNAVAIL;
	}
	/* Not an agency system's token: perhaps a person's session (POST /api/v1/sessions). */
	if (rc == STORE_OK && !found && (rc = users_session_find(c, token, clock_now(), &s, &person)) == STORE_OK &&
	    person) {
		found = true;
		who->is_user = true;
		who->user_id = s.user_id;
		snprintf(who->username, sizeof who->username, "%s", s.username);
		snprintf(who->role, sizeof who->role, "%s", s.role);
		snprintf(who->client.agency, sizeof who->client.agency, "%s", s.agency);
		who->client.id = 0;
	}
	store_conn_put(a->st, c);
	if (rc != STORE_OK) {
		fprintf(stderr, "safeguard: token lookup failed (store error %d)\n", rc);
		api_reply_store_failure(a, rq, rc);
		return false;
	}
	if (!found) {
		api_reply_simple(a, rq, 401, "invalid_token", "Authorization",
				 "the token is not valid, was revoked, or its session has ended");
		return false;
	}
	if (!who->is_user && who->client.pending) { /* service/tokens.h: a read scope waits for a second person */
		api_reply_simple(a, rq, 401, "token_pending", "Authorization",
				 "this token reads children and awaits a second administrator's approval: it works once "
				 "approved");
		return false;
	}
	if (!who->is_user)
		tokens_note(&who->client, who->note, sizeof who->note);
	if (who->is_user)
		snprintf(who->actor, sizeof who->actor, "user:%lld:%s", (long long)who->user_id, who->username);
	else
		snprintf(who->actor, sizeof who->actor, "client:%lld:%s", (long long)who->client.id, who->client.agency);
	return true;
}

bool api_json_content_type(http_request *rq)
{
	const char *ct = http_header(rq, "Content-Type");
	if (!ct || strncasecmp(ct, "application/json", 16) != 0)
		return false;
	ct += 16;
	while (*ct == ' ')
		ct++;
	return *ct == '\0' || *ct == ';';
}

/* ---- POST /api/v1/events ---- */

struct intake_job {
	struct txq_job job;
	struct api *a;
	http_request *rq;
	struct caller who;
	struct intake_request req;
	struct intake_result res;
	json_t *root;
	char *details;
	bool refused; /* the cached client was revoked or changed: 401, nothing written */
};

static int intake_run(store_conn *c, void *arg)
{
	struct intake_job *j = arg;
	j->refused = false;
	if (j->who.token_cached) { /* the token came from the cache: still valid as this transaction sees it? */
		bool valid = false;
		int rc = tokens_cache_check(c, j->a->tokens, j->who.token_hash, &j->who.client, j->who.token_gen,
					    &valid);
		if (rc != STORE_OK)
			return rc;
		if (!valid) {
			j->refused = true;
			return STORE_OK;
		}
	}
	return intake_apply(c, &j->req, &j->res);
}

/* The batch's intake jobs asked about at once (txq.h `ahead`). */
static int intake_ahead_jobs(store_conn *c, struct txq_job *const *jobs, int n)
{
	const struct intake_request *rqs[TXQ_BATCH_MAX];
	for (int i = 0; i < n && i < TXQ_BATCH_MAX; i++)
		rqs[i] = &((struct intake_job *)jobs[i]->arg)->req;
	return intake_ahead(c, rqs, n < TXQ_BATCH_MAX ? n : TXQ_BATCH_MAX);
}

/* The writer hands back only the outcome (rc, ids) and wakes the request: the answer is built, and the parsed
 * request freed, on a server thread (intake_reply), so the one writer spends none of its time on JSON. The
 * answer is still sent only after the commit: the queue's completer thread calls this once its batch's COMMIT
 * returned. */
static void intake_done(struct txq_job *job)
{
	struct intake_job *j = (struct intake_job *)job;
	if (http_tracing()) { /* the writer's part (SAFEGUARD_REQ_TRACE), as the record page's */
		http_mark_at(j->rq, "writer", job->batch_at);
		if (job->commit_at > 0)
			http_mark_at(j->rq, "commit", job->commit_at);
		http_mark_at(j->rq, "committed", job->batch_end_at);
	}
	http_resume(j->rq);
}

static void intake_job_free(void *arg)
{
	struct intake_job *j = arg;
	intake_release(&j->req);
	json_decref(j->root);
	free(j->details);
	free(j);
}

static void intake_reply(http_request *rq, void *arg)
{
	struct intake_job *j = arg;
	struct api *a = j->a;
	if (j->job.rc < 0) {
		fprintf(stderr, "safeguard: intake failed (store error %d)\n", j->job.rc);
		api_reply_store_failure(a, rq, j->job.rc);
	} else if (j->refused) {
		api_reply_simple(a, rq, 401, "invalid_token", "Authorization",
				 "the token is not valid, was revoked, or its session has ended");
	} else if (j->res.outcome == INTAKE_CONFLICT) {
		api_reply_simple(a, rq, 409, "source_ref_conflict", "source_ref",
			     "this agency already sent a different record with this source_ref; "
			     "send a correction as a new record with its own source_ref");
	} else {
		bool created = j->res.outcome == INTAKE_CREATED;
		char *body = malloc(64);
		atomic_fetch_add(created ? &a->events_created : &a->events_replayed, 1);
		if (body) {
			int n = snprintf(body, 64, "{\"id\":%lld,\"child_id\":%lld}", (long long)j->res.event_id,
					 (long long)j->res.child_id);
			api_count_status(a, created ? 201 : 200);
			http_respond(rq, created ? 201 : 200, JSON_TYPE, body, (size_t)n);
		} else
			api_reply_simple(a, rq, 503, "busy", NULL, "out of memory: try again");
	}
	intake_job_free(j);
}

static void post_event(struct api *a, http_request *rq, const struct caller *who, const int64_t *ids)
{
	(void)ids;
	struct intake_job *j = calloc(1, sizeof *j);
	struct api_error err;
	size_t len;
	if (!j) {
		api_reply_simple(a, rq, 503, "busy", NULL, "out of memory: try again");
		return;
	}
	j->who = *who;
	if (!api_json_content_type(rq)) {
		api_reply_simple(a, rq, 415, "unsupported_media_type", "Content-Type", "send the body as application/json");
		goto forget;
	}
	const char *body = http_body(rq, &len);
	if (api_intake_parse(body, len, clock_now(), &j->req, &j->root, &j->details, &err) != 0) {
		api_reply_error(a, rq, &err);
		goto forget;
	}
	snprintf(j->req.agency, sizeof j->req.agency, "%s", j->who.client.agency);
	j->req.actor = j->who.actor;
	j->req.alerts = &a->alerts;
	intake_prepare(&j->req); /* here, not in the writer's transaction (issue 17) */
	j->a = a;
	j->rq = rq;
	j->job.run = intake_run;
	j->job.arg = j;
	j->job.done = intake_done;
	j->job.replayable = true; /* intake_apply writes only to the store and sets res afresh */
	j->job.ahead = intake_ahead_jobs;
	http_continue_with(rq, intake_reply, j, intake_job_free);
	http_suspend(rq);
	http_mark(rq, "queued");
	txq_submit(a->q, &j->job);
	return;
forget: /* refused before the writer could check a kept token: the next request looks it up afresh */
	if (who->token_cached)
		tokens_cache_forget(a->tokens, who->token_hash);
	free(j);
}

/* ---- who reads ---- */

void api_reader_init(struct access_reader *r, const struct caller *who)
{
	if (who->is_user)
		access_reader_person(r, who->user_id, who->username, who->client.agency, who->role);
	else
		access_reader_system(r, who->client.agency);
}

void api_access_init(struct children_access *acc, const struct caller *who, const char *action, int64_t child_id,
		     enum access_level need, const char *detail)
{
	snprintf(acc->actor, sizeof acc->actor, "%s", who->actor);
	api_reader_init(&acc->reader, who);
	acc->action = action;
	acc->child_id = child_id;
	acc->need = need;
	snprintf(acc->detail, sizeof acc->detail, "%s", detail ? detail : "");
}

/* ---- GET /api/v1/children/{id} and /chronology ---- */

/* Strings from the store were validated as UTF-8 on the way in: no need to check them again per row. */
static json_t *str(const char *s)
{
	return json_stringn_nocheck(s, strlen(s));
}

struct read_job {
	struct children_access access; /* first: the audit entry gates the read */
	struct api *a;
	http_request *rq;
	struct caller who;
	bool chronology;
	struct store_page page;
	char before_at[STORE_TS_LEN + 1];
	struct children_page_end end;
	json_t *list;       /* events or identifiers */
	json_t *doc;
	json_t *households;
	json_t *members;    /* of the household being walked */
};

static void read_job_free(void *arg)
{
	struct read_job *j = arg;
	json_decref(j->doc);
	json_decref(j->list);
	json_decref(j->households);
	free(j);
}

static json_t *person_json(const struct store_person *p)
{
	json_t *o = json_object();
	json_object_set_new_nocheck(o, "given_name", str(p->given_name));
	json_object_set_new_nocheck(o, "middle_names", str(p->middle_names));
	json_object_set_new_nocheck(o, "family_name", str(p->family_name));
	json_object_set_new_nocheck(o, "dob", p->dob[0] ? str(p->dob) : json_null());
	json_object_set_new_nocheck(o, "sex", str(p->sex));
	json_object_set_new_nocheck(o, "postcode", str(p->postcode));
	json_object_set_new_nocheck(o, "address", str(p->address));
	return o;
}

static int on_person(const struct store_person *p, void *ctx)
{
	struct read_job *j = ctx;
	json_object_set_new_nocheck(j->doc, "person", person_json(p));
	return 0;
}

static int on_identifier(const char *kind, const char *value, const char *first_seen, void *ctx)
{
	struct read_job *j = ctx;
	json_t *o = json_object();
	json_object_set_new_nocheck(o, "kind", str(kind));
	json_object_set_new_nocheck(o, "value", str(value));
	json_object_set_new_nocheck(o, "first_seen", str(first_seen));
	json_array_append_new(j->list, o);
	return 0;
}

static int on_household(const struct store_household *h, void *ctx)
{
	struct read_job *j = ctx;
	json_t *o = json_object();
	j->members = json_array();
	json_object_set_new_nocheck(o, "id", json_integer(h->id));
	json_object_set_new_nocheck(o, "postcode", str(h->postcode));
	json_object_set_new_nocheck(o, "address", str(h->address));
	json_object_set_new_nocheck(o, "last_seen", str(h->last_seen));
	json_object_set_new_nocheck(o, "members", j->members);
	json_array_append_new(j->households, o);
	return 0;
}

static int on_member(const struct store_person *p, void *ctx)
{
	struct read_job *j = ctx;
	if (p->id == j->access.child_id)
		return 0; /* the others who live there */
	json_t *o = json_object();
	json_object_set_new_nocheck(o, "child_id", json_integer(p->id));
	json_object_set_new_nocheck(o, "given_name", str(p->given_name));
	json_object_set_new_nocheck(o, "family_name", str(p->family_name));
	json_object_set_new_nocheck(o, "dob", p->dob[0] ? str(p->dob) : json_null());
	json_array_append_new(j->members, o);
	return 0;
}

static int on_event(const struct store_event *e, void *ctx)
{
	struct read_job *j = ctx;
	const struct event_kind *k = event_kind_find(e->kind);
	/* details were stored as compact JSON by intake; most are empty. What this reader may see of them the
	 * service decided (children_chronology shows only those events). */
	json_t *details = strcmp(e->details, "{}") == 0 ? json_object() : json_loads(e->details, 0, NULL);
	json_t *o = json_object();
	json_object_set_new_nocheck(o, "id", json_integer(e->id));
	json_object_set_new_nocheck(o, "kind", str(e->kind));
	json_object_set_new_nocheck(o, "kind_label", str(k ? k->label : e->kind));
	json_object_set_new_nocheck(o, "occurred_at", str(e->occurred_at));
	json_object_set_new_nocheck(o, "recorded_at", str(e->recorded_at));
	json_object_set_new_nocheck(o, "agency", str(e->agency));
	json_object_set_new_nocheck(o, "summary", str(e->summary));
	json_object_set_new_nocheck(o, "details", details ? details : json_object());
	json_array_append_new(j->list, o);
	return 0;
}

/* On the queue's completer thread, once the audit entry is durable (or failed): wake the request. */
static void read_audited(struct children_access *access)
{
	struct read_job *j = (struct read_job *)access;
	http_resume(j->rq);
}

/* Back on a server thread: read and answer. */
static void read_continue(http_request *rq, void *ctx)
{
	struct read_job *j = ctx;
	struct api *a = j->a;
	bool found = false;
	int rc;
	if (!j->access.audited) {
		fprintf(stderr, "safeguard: audit of a read failed (store error %d)\n", j->access.rc);
		api_reply_store_failure(a, rq, j->access.rc);
		goto out;
	}
	if (j->access.refused) { /* audited as a refusal; one answer for no relationship, no child, a sealed one */
		if (j->who.is_user)
			api_reply_simple(a, rq, 403, "forbidden", NULL,
					 "you have no legitimate relationship with this child's record; in an emergency, "
					 "open it with POST /api/v1/children/{id}/break-glass and a reason");
		else
			api_reply_simple(a, rq, 404, "not_found", "child_id", "there is no child with this id");
		goto out;
	}
	j->list = json_array();
	if (j->chronology) {
		rc = children_chronology(a->st, &j->access, &j->page, on_event, j, &found, &j->end);
	} else {
		static const struct child_visitor v = {
			.person = on_person, .identifier = on_identifier, .household = on_household, .member = on_member};
		j->doc = json_object();
		j->households = json_array();
		rc = children_read(a->st, &j->access, &v, j, &found);
	}
	if (rc < 0) {
		fprintf(stderr, "safeguard: read failed (store error %d)\n", rc);
		api_reply_store_failure(a, rq, rc);
	} else if (!found) {
		api_reply_simple(a, rq, 404, "not_found", "child_id", "there is no child with this id");
	} else if (j->chronology) {
		json_t *next = j->end.more ? json_string(j->end.cursor) : json_null();
		api_reply_json(a, rq, 200,
			   json_pack("{s:I, s:O, s:o}", "child_id", (json_int_t)j->access.child_id, "events", j->list,
				     "next_cursor", next));
	} else {
		json_object_set_new(j->doc, "child_id", json_integer(j->access.child_id));
		json_object_set(j->doc, "identifiers", j->list);
		/* Who the child lives with is not an agency's own record: only the full record has it (the service
		 * walks the households for that record alone). */
		bool full = j->access.reader.level == ACCESS_FULL;
		json_t *hh = full ? json_array_get(j->households, 0) : NULL;
		json_object_set(j->doc, "household", hh ? hh : json_null());
		json_t *previous = json_array();
		for (size_t i = 1; full && i < json_array_size(j->households); i++)
			json_array_append(previous, json_array_get(j->households, i));
		json_object_set_new(j->doc, "previous_households", previous);
		json_object_set_new(j->doc, "access", json_string(full ? "full" : "own_agency"));
		api_reply_json(a, rq, 200, json_incref(j->doc));
	}
out:
	read_job_free(j);
}

/* ?limit=N (1..CHRONOLOGY_PAGE_MAX) and ?cursor=<occurred_at>_<id> from a previous page. */
static bool parse_page(struct api *a, http_request *rq, struct read_job *j)
{
	const char *limit = http_query(rq, "limit"), *cursor = http_query(rq, "cursor");
	int64_t n = CHRONOLOGY_PAGE_DEFAULT;
	if (limit && (!event_parse_id(limit, strlen(limit), &n) || n > CHRONOLOGY_PAGE_MAX)) {
		api_reply_simple(a, rq, 400, "invalid_value", "limit", "limit must be a whole number from 1 to 500");
		return false;
	}
	j->page.limit = (int)n;
	if (cursor) {
		if (!event_cursor_parse(cursor, j->before_at, &j->page.before_id)) {
			api_reply_simple(a, rq, 400, "invalid_value", "cursor", "cursor must be a next_cursor from an earlier page");
			return false;
		}
		j->page.before_at = j->before_at;
	}
	return true;
}

static void get_child(struct api *a, http_request *rq, const struct caller *who, int64_t child_id, bool chronology)
{
	struct read_job *j = calloc(1, sizeof *j);
	if (!j) {
		api_reply_simple(a, rq, 503, "busy", NULL, "out of memory: try again");
		return;
	}
	j->chronology = chronology;
	j->who = *who;
	if (j->chronology && !parse_page(a, rq, j))
		goto fail;
	/* What the caller may see the service decides with the audit entry (children_access_audit): a person
	 * their relationship with the child, an agency's system (records:read) its own agency's records about a
	 * child it has sent records about (service/access.c). A system's entry names its token. */
	j->a = a;
	j->rq = rq;
	char detail[64 + sizeof j->who.note] = "";
	if (j->chronology)
		snprintf(detail, sizeof detail, "limit %d%s%s%s", j->page.limit, j->page.before_at ? ", next page" : "",
			 j->who.note[0] ? "; " : "", j->who.note);
	else
		snprintf(detail, sizeof detail, "%s", j->who.note);
	api_access_init(&j->access, who, j->chronology ? "chronology.read" : "child.read", child_id, ACCESS_AGENCY,
			detail);
	j->access.done = read_audited;
	http_continue_with(rq, read_continue, j, read_job_free);
	http_suspend(rq);
	children_access_audit(a->q, &j->access);
	return;
fail:
	free(j);
}

/* ---- operators ---- */

static void child_route(struct api *a, http_request *rq, const struct caller *who, const int64_t *ids)
{
	get_child(a, rq, who, ids[0], false);
}

static void chronology_route(struct api *a, http_request *rq, const struct caller *who, const int64_t *ids)
{
	get_child(a, rq, who, ids[0], true);
}

static void healthz(struct api *a, http_request *rq, const struct caller *who, const int64_t *ids)
{
	(void)who;
	(void)ids;
	store_conn *c = store_conn_get(a->st);
	int rc = c ? store_ping(c) : STORE_EUNAVAIL;
	store_conn_put(a->st, c);
	if (rc == STORE_OK)
		api_reply_json(a, rq, 200, json_pack("{s:s}", "status", "ok"));
	else
		api_reply_json(a, rq, 503, json_pack("{s:s}", "status", "unavailable"));
}

static void metrics(struct api *a, http_request *rq, const struct caller *who, const int64_t *ids)
{
	(void)who;
	(void)ids;
	struct txq_profile pr;
	txq_profile(a->q, &pr);
	unsigned long long jobs = pr.jobs, batches = pr.batches, resolved, candidates, crowded;
	identity_resolve_counts(&resolved, &candidates, &crowded);
	char *body = malloc(2048);
	int n = !body ? -1 : snprintf(body, 2048,
			 "# TYPE safeguard_http_responses_total counter\n"
			 "safeguard_http_responses_total{class=\"2xx\"} %llu\n"
			 "safeguard_http_responses_total{class=\"4xx\"} %llu\n"
			 "safeguard_http_responses_total{class=\"5xx\"} %llu\n"
			 "# TYPE safeguard_events_total counter\n"
			 "safeguard_events_total{outcome=\"created\"} %llu\n"
			 "safeguard_events_total{outcome=\"replayed\"} %llu\n"
			 "# TYPE safeguard_txq_jobs_total counter\n"
			 "safeguard_txq_jobs_total %llu\n"
			 "# TYPE safeguard_txq_commits_total counter\n"
			 "safeguard_txq_commits_total %llu\n"
			 "# TYPE safeguard_txq_db_statements_total counter\n"
			 "safeguard_txq_db_statements_total %llu\n"
			 "# TYPE safeguard_txq_db_round_trips_total counter\n"
			 "safeguard_txq_db_round_trips_total %llu\n"
			 "# TYPE safeguard_txq_cpu_seconds_total counter\n"
			 "safeguard_txq_cpu_seconds_total %.6f\n"
			 "# TYPE safeguard_txq_busy_seconds_total counter\n"
			 "safeguard_txq_busy_seconds_total %.6f\n"
			 "# TYPE safeguard_txq_commit_seconds_total counter\n"
			 "safeguard_txq_commit_seconds_total %.6f\n"
			 "# TYPE safeguard_link_records_total counter\n"
			 "safeguard_link_records_total %llu\n"
			 "# TYPE safeguard_link_candidates_total counter\n"
			 "safeguard_link_candidates_total %llu\n"
			 "# TYPE safeguard_link_crowded_total counter\n"
			 "safeguard_link_crowded_total %llu\n",
			 (unsigned long long)a->status_2xx, (unsigned long long)a->status_4xx,
			 (unsigned long long)a->status_5xx, (unsigned long long)a->events_created,
			 (unsigned long long)a->events_replayed, jobs, batches, pr.statements, pr.round_trips,
			 pr.cpu_seconds, pr.busy_seconds, pr.commit_seconds, resolved, candidates, crowded);
	api_count_status(a, n < 0 || n >= 2048 ? 500 : 200);
	if (n < 0 || n >= 2048) {
		free(body);
		http_respond(rq, 500, "text/plain", NULL, 0);
	}
	else
		http_respond(rq, 200, "text/plain; version=0.0.4", body, (size_t)n);
}

/* ---- routing ---- */

void api_method_not_allowed(struct api *a, http_request *rq, const char *allow)
{
	http_add_header(rq, "Allow", allow);
	api_reply_simple(a, rq, 405, "method_not_allowed", NULL, "this method is not allowed here");
}

static void openapi(struct api *a, http_request *rq, const struct caller *who, const int64_t *ids)
{
	(void)who;
	(void)ids;
	char *doc = malloc(api_openapi_json_len);
	if (doc)
		memcpy(doc, api_openapi_json, api_openapi_json_len);
	api_count_status(a, doc ? 200 : 500);
	http_respond(rq, doc ? 200 : 500, JSON_TYPE, doc, doc ? api_openapi_json_len : 0);
}

/* Every route of the API, with what it does for the role policy (service/access.h). A route missing here
 * does not exist; one added here without an entry in the authorisation matrix test fails that test. */
static const struct api_route {
	struct route_key key; /* first: lib/route.h finds the route */
	enum access_action action;
	void (*fn)(struct api *a, http_request *rq, const struct caller *who, const int64_t *ids);
} routes[] = {
	{{"GET", "/healthz"}, ACT_PUBLIC, healthz},
	{{"GET", "/metrics"}, ACT_PUBLIC, metrics},
	{{"GET", "/openapi.json"}, ACT_PUBLIC, openapi},
	{{"POST", "/api/v1/sessions"}, ACT_PUBLIC, api_sessions},
	{{"POST", "/api/v1/events"}, ACT_EVENT_WRITE, post_event},
	{{"GET", "/api/v1/children/{id}"}, ACT_CHILD_READ, child_route},
	{{"GET", "/api/v1/children/{id}/chronology"}, ACT_CHILD_READ, chronology_route},
	{{"GET", "/api/v1/children/{id}/viewers"}, ACT_VIEWERS, api_viewers},
	{{"POST", "/api/v1/children/{id}/break-glass"}, ACT_BREAK_GLASS, api_break_glass},
	{{"GET", "/api/v1/notices"}, ACT_NOTICES, api_notices},
	{{"GET", "/api/v1/health/break-glass"}, ACT_HEALTH_GLASS, api_health_glass},
	{{"GET", "/api/v1/alerts"}, ACT_ALERTS, api_alerts_list},
	{{"GET", "/api/v1/alerts/{id}"}, ACT_ALERTS, api_alert_get},
	{{"POST", "/api/v1/alerts/{id}/acknowledge"}, ACT_ALERTS, api_alert_acknowledge},
	{{"POST", "/api/v1/alerts/{id}/resolve"}, ACT_ALERTS, api_alert_resolve},
	{{"GET", "/api/v1/flags"}, ACT_FLAGS, api_flags},
	{{"POST", "/api/v1/children/{id}/recordings"}, ACT_RECORDINGS, api_recording_upload},
	{{"GET", "/api/v1/children/{id}/recordings"}, ACT_RECORDINGS, api_recordings_list},
	{{"GET", "/api/v1/recordings/{id}/content"}, ACT_RECORDINGS, api_recording_content},
	{{"POST", "/api/v1/oversight/runs"}, ACT_OVERSIGHT, api_oversight_run},
	{{"GET", "/api/v1/oversight/runs/{id}"}, ACT_OVERSIGHT, api_oversight_run_get},
	{{"GET", "/api/v1/homes/alerts"}, ACT_OVERSIGHT, api_home_alerts},
	{{"GET", "/api/v1/link-reviews"}, ACT_LINK_REVIEW, api_link_reviews},
	{{"GET", "/api/v1/link-reviews/{id}"}, ACT_LINK_REVIEW, api_link_review},
	{{"POST", "/api/v1/link-reviews/{id}/decision"}, ACT_LINK_REVIEW, api_link_review_decision},
	{{"POST", "/api/v1/merges/{id}/undo"}, ACT_LINK_REVIEW, api_merge_undo},
	{{"POST", "/api/v1/homes/alerts/{id}/acknowledge"}, ACT_OVERSIGHT, api_home_alert_acknowledge},
	{{"POST", "/api/v1/homes/alerts/{id}/resolve"}, ACT_OVERSIGHT, api_home_alert_resolve},
	{{"POST", "/api/v1/homes/{id}/reg44-reports"}, ACT_OVERSIGHT, api_home_reg44},
	{{"POST", "/api/v1/homes/{id}/placements"}, ACT_PLACEMENT, api_home_placement},
};

bool api_route_at(size_t i, const char **method, const char **pattern, const char **action)
{
	if (i >= sizeof routes / sizeof routes[0])
		return false;
	*method = routes[i].key.method;
	*pattern = routes[i].key.pattern;
	*action = access_action_name(routes[i].action);
	return true;
}

const char *api_route_scope_at(size_t i)
{
	if (i >= sizeof routes / sizeof routes[0])
		return NULL;
	return access_system_scope(routes[i].action, strcmp(routes[i].key.method, "POST") == 0);
}

/* What the request's headers decided (api_admit, or api_handle when no body came): kept with the request. */
struct admitted {
	const struct api_route *r;
	int64_t ids[ROUTE_IDS_MAX];
	bool public;
	struct caller who;
};

/* The route, the caller and the role policy, from the headers alone; NULL when it has answered. */
static struct admitted *api_gate(struct api *a, http_request *rq)
{
	const char *m = http_method(rq), *p = http_path(rq);
	atomic_fetch_add(&a->requests, 1);

	char allow[64];
	int64_t ids[ROUTE_IDS_MAX] = {0};
	long found = route_find(routes, sizeof routes / sizeof routes[0], sizeof routes[0], m, p, ids, allow, sizeof allow);
	const struct api_route *r = found < 0 ? NULL : &routes[found];
	if (!r) {
		if (allow[0])
			api_method_not_allowed(a, rq, allow);
		else
			api_reply_simple(a, rq, 404, "not_found", NULL, "no such resource");
		return NULL;
	}
	struct admitted *ad = calloc(1, sizeof *ad);
	if (!ad) {
		api_reply_simple(a, rq, 503, "busy", NULL, "out of memory: try again");
		return NULL;
	}
	ad->r = r;
	memcpy(ad->ids, ids, sizeof ids);
	ad->public = r->action == ACT_PUBLIC;
	if (!ad->public) {
		if (!api_authenticate(a, rq, &ad->who, r->fn == post_event))
			goto refused;
		/* The first gate, from the headers alone (a system's token's scope too, issue 14), before any body is
		 * read: one service call decides and, refused, audits the try (r-tidy34). A bearer token is no page of
		 * another site's to send, so every refusal of a known caller is answerable. The answers are the role's
		 * (or scope's), the same for every child and alert: they say nothing about any one of them. */
		const struct access_route_ask ask = {.role = ad->who.is_user ? ad->who.role : NULL,
						     .agency = ad->who.client.agency, .scope = ad->who.client.scope,
						     .act = r->action, .method = m, .pattern = r->key.pattern, .path = p,
						     .id = ids[0], .actor = ad->who.actor, .answerable = true};
		enum access_route_answer ans = access_route_decided(a->q, &ask);
		if (ans == ACCESS_ROUTE_BUSY) { /* refused, its entry no room: not told (service/access.h, r-review34) */
			api_reply_simple(a, rq, 503, "busy", NULL, "too many requests are waiting to be recorded: try again");
			goto refused;
		}
		if (ans == ACCESS_ROUTE_ROLE) {
			api_reply_simple(a, rq, 403, "not_permitted", NULL,
					 ad->who.is_user ? "your role may not use this" : "an agency's system may not use this");
			goto refused;
		}
		if (ans == ACCESS_ROUTE_SCOPE) {
			const char *need = access_system_scope(r->action, strcmp(r->key.method, "POST") == 0);
			char msg[160];
			if (need)
				snprintf(msg, sizeof msg, "this token's scope does not allow this: it needs the scope %s", need);
			else
				snprintf(msg, sizeof msg, "an agency's system may not use this");
			api_reply_simple(a, rq, 403, "not_permitted", NULL, msg);
			goto refused;
		}
	}
	http_set_data(rq, ad, free);
	return ad;
refused:
	free(ad);
	return NULL;
}

size_t api_admit(http_request *rq, void *ctx)
{
	const struct admitted *ad = api_gate(ctx, rq);
	if (!ad)
		return 0; /* answered: the body is dropped unread */
	return ad->public ? HTTP_PUBLIC_BODY_MAX : HTTP_BODY_MAX;
}

void api_handle(http_request *rq, void *ctx)
{
	struct api *a = ctx;
	const struct admitted *ad = http_data(rq); /* admitted when the headers came (a body followed) */
	if (!ad && !(ad = api_gate(a, rq)))
		return;
	ad->r->fn(a, rq, ad->public ? NULL : &ad->who, ad->ids);
}
