/*
 * api/alerts_api.c — /api/v1/alerts (the inbox, one alert, acknowledge, resolve) and /api/v1/flags (the
 * unscheduled-care look-up, as NHS CP-IS). Reads go audit-first, as the children's reads do; changes run
 * as jobs on the write queue and answer after their commit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/api_int.h"
#include "clock/now.h"
#include "core/event.h"
#include "core/ident.h"
#include "core/text.h"
#include "service/alerts.h"
#include "service/children.h"

#define ALERTS_LIMIT_DEFAULT 100
#define ALERTS_LIMIT_MAX 500
#define OUTCOME_MAX 300 /* characters, as the resolve form */
#define BY_MAX 64
#define SETTING_MAX 100
#define FLAG_ACCESSES_SHOWN 25 /* NHS CP-IS shows the last 25 look-ups */

static struct date today_uk(void)
{
	return ts_utc_date(ts_uk_local(clock_now()));
}

static json_t *str_or_null(const char *s)
{
	return s[0] ? json_string(s) : json_null();
}

static json_t *alert_json(const struct store_alert *al)
{
	char today[DATE_ISO_LEN + 1];
	date_format_iso(today_uk(), today);
	json_t *evidence = json_loads(al->evidence, 0, NULL);
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(al->id));
	json_object_set_new(o, "child_id", json_integer(al->person_id));
	json_object_set_new(o, "child_name", json_sprintf("%s %s", al->given_name, al->family_name));
	json_object_set_new(o, "code", json_string(al->code));
	json_object_set_new(o, "title", json_string(alerts_title(al->code)));
	json_object_set_new(o, "raised_on", json_string(al->raised_on));
	json_object_set_new(o, "due", str_or_null(al->due));
	json_object_set_new(o, "overdue", json_boolean(al->due[0] && strcmp(al->state, "resolved") != 0 &&
						       strcmp(al->due, today) < 0));
	json_object_set_new(o, "evidence", json_is_array(evidence) ? evidence : json_array());
	if (!json_is_array(evidence))
		json_decref(evidence);
	json_object_set_new(o, "owner", json_pack("{s:s, s:s}", "kind", al->owner_kind, "name", al->owner));
	json_object_set_new(o, "state", json_string(al->state));
	json_object_set_new(o, "created_at", json_string(al->created_at));
	json_object_set_new(o, "acknowledged_at", str_or_null(al->acknowledged_at));
	json_object_set_new(o, "acknowledged_by", str_or_null(al->acknowledged_by));
	json_object_set_new(o, "resolved_at", str_or_null(al->resolved_at));
	json_object_set_new(o, "resolved_by", str_or_null(al->resolved_by));
	json_object_set_new(o, "outcome", str_or_null(al->outcome));
	json_object_set_new(o, "escalated_at", str_or_null(al->escalated_at));
	json_object_set_new(o, "escalated_to", str_or_null(al->escalated_to));
	return o;
}

/* ---- GET /api/v1/alerts and /api/v1/alerts/{id} ---- */

struct list_job {
	struct children_access access; /* first: the audit entry gates the read */
	struct api *a;
	http_request *rq;
	struct caller who;
	struct store_alert_query q;
	struct alerts_owner owner;
	char state[16];
	int64_t id; /* one alert, or 0 for the list */
	json_t *list;
	struct store_alert one;
};

static void list_job_free(void *arg)
{
	struct list_job *j = arg;
	json_decref(j->list);
	free(j);
}

static void list_audited(struct children_access *access)
{
	struct list_job *j = (struct list_job *)access;
	http_resume(j->rq);
}

static void list_continue(http_request *rq, void *ctx);

/* One alert's read decided (alerts_read_decided), just before its entry is queued: the entry's detail, and the
 * request suspended until it is durable. */
static void one_hold(struct children_access *access)
{
	struct list_job *j = (struct list_job *)access;
	char about[48] = ""; /* a refusal's entry names no child; its detail says which, for the auditor */
	if (access->refuse && access->child_id)
		snprintf(about, sizeof about, " (child:%lld)", (long long)access->child_id);
	snprintf(access->detail, sizeof access->detail, "alert %lld%s%s%s", (long long)j->id, about,
		 j->who.note[0] ? "; " : "", j->who.note);
	http_continue_with(j->rq, list_continue, j, list_job_free);
	http_suspend(j->rq);
}

/* The list's decision made (alerts_list_decided), just before its entry is queued: the request suspended until
 * the entry is durable. */
static void list_hold(struct children_access *access)
{
	struct list_job *j = (struct list_job *)access;
	http_continue_with(j->rq, list_continue, j, list_job_free);
	http_suspend(j->rq);
}

static int on_alert(const struct store_alert *al, void *ctx)
{
	struct list_job *j = ctx;
	return json_array_append_new(j->list, alert_json(al)) == 0 ? 0 : STORE_EIO;
}

static void list_continue(http_request *rq, void *ctx)
{
	struct list_job *j = ctx;
	struct api *a = j->a;
	bool found = false;
	int rc;
	if (!j->access.audited) {
		fprintf(stderr, "safeguard: audit of an alerts read failed (store error %d)\n", j->access.rc);
		api_reply_store_failure(a, rq, j->access.rc);
		goto out;
	}
	if (!j->id && j->access.refused) { /* not an owner whose alerts they may list (alerts_list_decided) */
		api_reply_simple(a, rq, 403, "forbidden", "owner",
				 "you may list only your own alerts (a team manager: their team's and its workers')");
		goto out;
	}
	if (j->id) {
		rc = j->access.refused ? STORE_OK : alerts_get(a->st, &j->access, j->id, &j->one, &found);
		if (rc < 0)
			api_reply_store_failure(a, rq, rc);
		else if (!found && j->who.is_user) /* as the check before, and as acting on it: not there, or not theirs */
			api_reply_simple(a, rq, 403, "forbidden", NULL, "this alert is not yours");
		else if (!found)
			api_reply_simple(a, rq, 404, "not_found", "alert_id", "there is no alert with this id");
		else
			api_reply_json(a, rq, 200, alert_json(&j->one));
		goto out;
	}
	j->list = json_array();
	/* One more than asked for: says whether there are more. */
	int limit = j->q.limit;
	j->q.limit = limit + 1;
	rc = alerts_list(a->st, &j->access, &j->q, on_alert, j);
	if (rc < 0) {
		api_reply_store_failure(a, rq, rc);
		goto out;
	}
	bool more = json_array_size(j->list) > (size_t)limit;
	if (more)
		json_array_remove(j->list, (size_t)limit);
	api_reply_json(a, rq, 200, json_pack("{s:O, s:b}", "alerts", j->list, "more", more));
out:
	list_job_free(j);
}

static void get_alerts(struct api *a, http_request *rq, const struct caller *who, int64_t id)
{
	struct list_job *j = calloc(1, sizeof *j);
	if (!j) {
		api_reply_simple(a, rq, 503, "busy", NULL, "out of memory: try again");
		return;
	}
	j->who = *who;
	j->id = id;
	if (!id) {
		const char *owner = http_query(rq, "owner"), *state = http_query(rq, "state");
		const char *child = http_query(rq, "child"), *limit = http_query(rq, "limit");
		int64_t n = ALERTS_LIMIT_DEFAULT;
		if (limit && (!event_parse_id(limit, strlen(limit), &n) || n > ALERTS_LIMIT_MAX)) {
			api_reply_simple(a, rq, 400, "invalid_value", "limit", "limit must be a whole number from 1 to 500");
			goto fail;
		}
		if (child && !event_parse_id(child, strlen(child), &j->q.person_id)) {
			api_reply_simple(a, rq, 400, "invalid_value", "child", "child must be a child's id");
			goto fail;
		}
		/* The page's validation (alerts_owner_text_ok, r-tidy34: a newline or "%FF" went on to the decision and
		 * was answered 403, where the page answers 400), then the API's byte bound and the owner's kind. */
		if (owner && (!alerts_owner_text_ok(owner) || strlen(owner) > BY_MAX || !alerts_owner_parse(owner, &j->owner))) {
			api_reply_simple(a, rq, 400, "invalid_value", "owner",
					 "owner must be a username (or user:USERNAME), team:CODE, or mash");
			goto fail;
		}
		if (!state || strcmp(state, "open") == 0) {
			j->q.open_or_acknowledged = true;
		} else if (strcmp(state, "acknowledged") == 0 || strcmp(state, "resolved") == 0) {
			snprintf(j->state, sizeof j->state, "%s", state);
			j->q.state = j->state;
		} else if (strcmp(state, "all") != 0) {
			api_reply_simple(a, rq, 400, "invalid_value", "state",
					 "state must be open, acknowledged, resolved or all");
			goto fail;
		}
		/* A person lists their own alerts (or, a MASH worker, the MASH's); agency systems any owner's. Owners
		 * are typed (alerts_owner_parse): a person named "mash" is not the MASH. */
		if (j->who.is_user && !owner) {
			char mine[STORE_USER_MAX + 8];
			snprintf(mine, sizeof mine, "user:%s", j->who.username);
			alerts_owner_parse(mine, &j->owner);
		}
		if (j->owner.kind[0]) {
			j->q.owner_kind = j->owner.kind;
			j->q.owner = j->owner.name;
		}
		j->q.limit = (int)n;
		snprintf(j->access.detail, sizeof j->access.detail, "state %s, owner %s, child %lld%s%s",
			 state ? state : "open", j->owner.kind[0] ? j->owner.kind : "any", (long long)j->q.person_id,
			 j->who.note[0] ? "; " : "", j->who.note);
	}
	j->a = a;
	j->rq = rq;
	snprintf(j->access.actor, sizeof j->access.actor, "%s", j->who.actor);
	api_reader_init(&j->access.reader, &j->who);
	j->access.action = id ? "alert.read" : "alerts.read";
	j->access.done = list_audited;
	if (id) {
		/* One call decides and audits the read (alerts_read_decided: theirs, or any for an agency's system, and
		 * about a child their view shows): a read is audited naming the child, a refusal as one whatever the id
		 * holds (an id with no alert, another's alert, an alert on a child they may not see: `access.refused`
		 * on the alert, no child; r-ntk27), so each refusal is the same work and the same answer. */
		j->access.hold = one_hold;
		int rc = alerts_read_decided(a->st, a->q, id, &j->access);
		if (rc != STORE_OK) {
			api_reply_store_failure(a, rq, rc);
			goto fail;
		}
		return;
	}
	/* A person lists their own alerts (a MASH worker the MASH's, a team manager their team's and its workers');
	 * an agency's system any owner's. One call decides and audits (alerts_list_decided, r-ntk32): an allowed
	 * list's entry as before, a refusal's one `access.refused` entry on the owner's kind, then the 403. */
	j->access.hold = list_hold;
	if (alerts_list_decided(a->st, a->q, &j->owner, &j->access) != STORE_OK) {
		api_reply_simple(a, rq, 503, "busy", NULL, "the alerts could not be read: try again");
		goto fail;
	}
	return;
fail:
	free(j);
}

/* ---- POST /api/v1/alerts/{id}/acknowledge and /resolve ---- */

struct act_job {
	struct txq_job job;
	struct api *a;
	http_request *rq;
	struct caller who;
	int64_t id;
	bool resolve;
	char by[BY_MAX + 1];
	char *outcome;
	enum alerts_result res;
};

static int act_run(store_conn *c, void *arg)
{
	struct act_job *j = arg;
	const struct access_writer w = {j->who.user_id, j->who.username, j->who.client.agency,
					j->who.is_user ? j->who.role : NULL};
	if (j->resolve)
		return alerts_resolve(c, j->id, &w, j->who.actor, j->by, j->outcome, &j->res);
	return alerts_acknowledge(c, j->id, &w, j->who.actor, j->by, &j->res);
}

static void act_done(struct txq_job *job)
{
	struct act_job *j = (struct act_job *)job;
	struct api *a = j->a;
	if (job->rc < 0)
		api_reply_store_failure(a, j->rq, job->rc);
	else if (j->res == ALERTS_NOT_FOUND && j->who.is_user) /* as the check before: no alert, or not theirs */
		api_reply_simple(a, j->rq, 403, "forbidden", NULL, "this alert is not yours");
	else if (j->res == ALERTS_NOT_FOUND)
		api_reply_simple(a, j->rq, 404, "not_found", "alert_id", "there is no alert with this id");
	else if (j->res == ALERTS_WRONG_STATE)
		api_reply_simple(a, j->rq, 409, "wrong_state", "state",
				 j->resolve ? "the alert is already resolved"
					    : "the alert is already acknowledged or resolved");
	else
		api_reply_json(a, j->rq, 200, json_pack("{s:I, s:s}", "id", (json_int_t)j->id, "state",
							j->resolve ? "resolved" : "acknowledged"));
	http_resume(j->rq);
	free(j->outcome);
	free(j);
}

/* A string field of the body: absent or null gives NULL; anything else must be a string of at most max
 * characters without control characters (new lines allowed in an outcome). */
static int body_string(struct api *a, http_request *rq, json_t *body, const char *key, size_t max, bool lines,
		       const char **out)
{
	json_t *v = json_object_get(body, key);
	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	char msg[120];
	if (!json_is_string(v)) {
		snprintf(msg, sizeof msg, "%s must be a string", key);
		api_reply_simple(a, rq, 400, "wrong_type", key, msg);
		return -1;
	}
	const char *s = json_string_value(v);
	size_t n = json_string_length(v);
	bool controls = false;
	for (size_t i = 0; i < n; i++)
		controls |= ((unsigned char)s[i] < 0x20 && !(lines && (s[i] == '\n' || s[i] == '\r' || s[i] == '\t'))) ||
			    s[i] == 0x7f;
	if (strlen(s) != n || controls) {
		snprintf(msg, sizeof msg, "%s contains control characters", key);
		api_reply_simple(a, rq, 400, "invalid_characters", key, msg);
		return -1;
	}
	if (text_utf8_length(s, n) > max) {
		snprintf(msg, sizeof msg, "%s is longer than %zu characters", key, max);
		api_reply_simple(a, rq, 400, "too_long", key, msg);
		return -1;
	}
	*out = s;
	return 0;
}

static void post_action(struct api *a, http_request *rq, const struct caller *who, int64_t id, bool resolve)
{
	struct act_job *j = calloc(1, sizeof *j);
	json_t *body = NULL;
	if (!j) {
		api_reply_simple(a, rq, 503, "busy", NULL, "out of memory: try again");
		return;
	}
	j->who = *who;
	size_t len = 0;
	const char *text = http_body(rq, &len);
	if (len > 0 || resolve) {
		if (!api_json_content_type(rq)) {
			api_reply_simple(a, rq, 415, "unsupported_media_type", "Content-Type", "send the body as application/json");
			goto fail;
		}
		json_error_t jerr;
		body = json_loadb(text ? text : "", len, JSON_REJECT_DUPLICATES, &jerr);
		if (!json_is_object(body)) {
			api_reply_simple(a, rq, 400, "invalid_json", NULL, "the body must be a JSON object");
			goto fail;
		}
		const char *key;
		json_t *v;
		json_object_foreach(body, key, v)
		{
			if (strcmp(key, "by") != 0 && !(resolve && strcmp(key, "outcome") == 0)) {
				/* The key is the client's text: name it, bounded and printable, as intake does. */
				char shown[33];
				size_t k;
				for (k = 0; key[k] && k < sizeof shown - 1; k++)
					shown[k] = (key[k] >= 0x20 && key[k] < 0x7f) ? key[k] : '?';
				shown[k] = '\0';
				struct api_error e;
				api_error_set(&e, 400, "unknown_field", shown, "%s is not a field of this request (%s)", shown,
					      resolve ? "send outcome and by" : "send by, or nothing");
				api_reply_error(a, rq, &e);
				goto fail;
			}
		}
	}
	const char *by = NULL, *outcome = NULL;
	if (body && (body_string(a, rq, body, "by", BY_MAX, false, &by) ||
		     body_string(a, rq, body, "outcome", OUTCOME_MAX, true, &outcome)))
		goto fail;
	if (resolve) {
		if (!outcome || !outcome[strspn(outcome, " \t\r\n")]) {
			api_reply_simple(a, rq, 400, "missing_field", "outcome",
					 "outcome is required: say what was done about the alert");
			goto fail;
		}
		if (!(j->outcome = strdup(outcome))) {
			api_reply_simple(a, rq, 503, "busy", NULL, "out of memory: try again");
			goto fail;
		}
	}
	/* Who acted is who is signed in (issue 14): a person may leave "by" out or name themselves, nothing else.
	 * An agency's system names the practitioner in its own records, shown as the system's word (alerts_by);
	 * the audit always records the caller. */
	if (j->who.is_user && by && *by && strcmp(by, j->who.username) != 0) {
		api_reply_simple(a, rq, 400, "invalid_value", "by",
				 "by must be your own username (or left out): an alert records the person signed in as "
				 "who acted");
		goto fail;
	}
	/* The body is asked first, then whose the alert is (r-review46): the MASH's alert about a child the person may
	 * not see passes this check and is refused in the transaction (ALERTS_NOT_FOUND), so a body refused after it
	 * (400, 415) told her alert's id from one that holds no alert (403 here). The body's answer names no alert. */
	/* The one decision a read of it asks (alerts_reader_may), for a person and an agency's system alike: an id
	 * with no alert, another's alert and an alert on a child the caller may not see are refused here, by the
	 * same work (r-ntk27: her alert went on to the write queue, an empty id did not). The transaction decides
	 * again (a change meanwhile). Nothing is written on a refusal. */
	/* refused: audited by the same call, then the same answer (r-ntk30, r-ntk31) */
	if (!api_alert_write_decided(a, rq, &j->who, id, resolve ? "alert.resolve" : "alert.acknowledge",
				     j->who.is_user ? 403 : 404, j->who.is_user ? "forbidden" : "not_found",
				     j->who.is_user ? NULL : "alert_id",
				     j->who.is_user ? "this alert is not yours" : "there is no alert with this id"))
		goto fail;
	const struct access_writer w = {j->who.user_id, j->who.username, j->who.client.agency,
					j->who.is_user ? j->who.role : NULL};
	alerts_by(&w, j->who.actor, by, j->by);
	j->a = a;
	j->rq = rq;
	j->id = id;
	j->resolve = resolve;
	j->job.run = act_run;
	j->job.arg = j;
	j->job.done = act_done;
	json_decref(body);
	http_suspend(rq);
	txq_submit(a->q, &j->job);
	return;
fail:
	json_decref(body);
	free(j->outcome);
	free(j);
}

void api_alerts_list(struct api *a, http_request *rq, const struct caller *who, const int64_t *ids)
{
	(void)ids;
	get_alerts(a, rq, who, 0);
}

void api_alert_get(struct api *a, http_request *rq, const struct caller *who, const int64_t *ids)
{
	get_alerts(a, rq, who, ids[0]);
}

void api_alert_acknowledge(struct api *a, http_request *rq, const struct caller *who, const int64_t *ids)
{
	post_action(a, rq, who, ids[0], false);
}

void api_alert_resolve(struct api *a, http_request *rq, const struct caller *who, const int64_t *ids)
{
	post_action(a, rq, who, ids[0], true);
}

/* ---- GET /api/v1/flags?nhs_number=... ---- */

struct flag_job {
	struct txq_job job;
	struct api *a;
	http_request *rq;
	struct caller who;
	char nhs[IDENT_NHS_LEN + 1];
	char setting[sizeof ((struct store_flag_access *)0)->setting];
	struct date today;
	int64_t child_id;
	struct alerts_flag flag;
	json_t *accesses;
};

static int on_access(const struct store_flag_access *f, void *ctx)
{
	struct flag_job *j = ctx;
	return json_array_append_new(j->accesses, json_pack("{s:s, s:s, s:s}", "at", f->at, "organisation",
							    f->organisation, "setting", f->setting));
}

/* One job, one transaction: the service finds the child, reads the flag, audits, records and tells. */
static int flag_run(store_conn *c, void *arg)
{
	struct flag_job *j = arg;
	struct store_flag_access fa;
	memset(&fa, 0, sizeof fa);
	snprintf(fa.actor, sizeof fa.actor, "%s", j->who.actor);
	const struct agency_kind *ag = NULL;
	for (size_t i = 0; (ag = agency_builtin_at(i)); i++)
		if (strcmp(ag->code, j->who.client.agency) == 0)
			break;
	snprintf(fa.organisation, sizeof fa.organisation, "%s", ag ? ag->name : j->who.client.agency);
	snprintf(fa.setting, sizeof fa.setting, "%s", j->setting);
	return alerts_flag_lookup(c, j->nhs, &fa, j->who.note, j->today, FLAG_ACCESSES_SHOWN, on_access, j, &j->child_id,
				  &j->flag);
}

static json_t *episode_json(bool current, const char *start, const char *end)
{
	if (!start[0])
		return json_null();
	return json_pack("{s:b, s:s, s:o}", "current", current, "start", start, "end", str_or_null(end));
}

static void flag_done(struct txq_job *job)
{
	struct flag_job *j = (struct flag_job *)job;
	struct api *a = j->a;
	if (job->rc < 0) {
		api_reply_store_failure(a, j->rq, job->rc);
	} else {
		const struct alerts_flag *f = &j->flag;
		json_t *doc = json_pack("{s:s, s:b}", "nhs_number", j->nhs, "flagged", f->flagged);
		if (f->flagged) {
			json_t *cp = episode_json(f->on_cp_plan, f->cp_start, f->cp_end);
			if (json_is_object(cp)) {
				json_object_set_new(cp, "category", str_or_null(f->cp_category));
				json_object_set_new(cp, "unborn", json_boolean(f->unborn_cp_plan));
			}
			json_object_set_new(doc, "child_id", json_integer(j->child_id));
			json_object_set_new(doc, "child_protection_plan", cp);
			json_object_set_new(doc, "looked_after", episode_json(f->looked_after, f->lac_start, f->lac_end));
			json_object_set_new(doc, "contacts", json_pack("{s:s, s:s}", "office_hours", a->office_hours_contact,
								       "emergency_duty", a->emergency_duty_contact));
			json_object_set_new(doc, "recent_accesses", json_incref(j->accesses));
		}
		api_reply_json(a, j->rq, 200, doc);
	}
	http_resume(j->rq);
	json_decref(j->accesses);
	free(j);
}

void api_flags(struct api *a, http_request *rq, const struct caller *who, const int64_t *ids)
{
	(void)ids;
	struct flag_job *j = calloc(1, sizeof *j);
	if (!j) {
		api_reply_simple(a, rq, 503, "busy", NULL, "out of memory: try again");
		return;
	}
	/* The flag is for clinicians in unscheduled care (DOMAIN.md "Flags for unscheduled care"): the role
	 * policy lets only health systems and health practitioners here (access_route_decided). */
	j->who = *who;
	const char *nhs = http_query(rq, "nhs_number"), *setting = http_query(rq, "setting");
	if (!nhs || !*nhs) {
		api_reply_simple(a, rq, 400, "missing_field", "nhs_number", "nhs_number is required");
		goto fail;
	}
	int rc = ident_nhs_check(nhs, j->nhs);
	if (rc == IDENT_EFORMAT) {
		api_reply_simple(a, rq, 422, "invalid_format", "nhs_number", "nhs_number must be 10 digits");
		goto fail;
	}
	if (rc == IDENT_ECHECK) {
		api_reply_simple(a, rq, 422, "check_digit", "nhs_number",
				 "nhs_number fails its check digit: it is probably mistyped");
		goto fail;
	}
	if (setting && (text_utf8_length(setting, strlen(setting)) > SETTING_MAX ||
			!text_utf8_valid(setting, strlen(setting)) || text_has_controls(setting, strlen(setting)))) {
		api_reply_simple(a, rq, 400, "invalid_value", "setting",
				 "setting must be a short description such as 'emergency department'");
		goto fail;
	}
	snprintf(j->setting, sizeof j->setting, "%s", setting && *setting ? setting : "unscheduled care");
	j->today = today_uk();
	j->accesses = json_array();
	j->a = a;
	j->rq = rq;
	j->job.run = flag_run;
	j->job.arg = j;
	j->job.done = flag_done;
	http_suspend(rq);
	txq_submit(a->q, &j->job);
	return;
fail:
	free(j);
}
