/*
 * api/homes_api.c — children's homes oversight for the oversight analyst (issue 6, part 4):
 *   POST /api/v1/oversight/runs       run the monitor now; 201 with the run
 *   GET  /api/v1/oversight/runs/{id}  a run with its signals, each with its reason in words
 *   GET  /api/v1/homes/alerts         the open alerts about homes, newest first
 *   POST /api/v1/homes/alerts/{id}/acknowledge, /resolve   as a child's alert (outcome required to resolve)
 *   POST /api/v1/homes/{id}/reg44-reports   record a month's independent visitor's report; a month already
 *                                     held is refused (409), and the month's "no report" alert resolves
 *   POST /api/v1/homes/{id}/placements      social care: a child placed in the home (ACT_PLACEMENT)
 * Runs hold no personal data (homes, counts, reasons): their reads are not audited; a run is.
 *
 * A run is computed on the request's thread (about half a second for 2,000 homes x 36 months, most of it the
 * threshold simulation) and written through the write queue, which the thread waits for: runs are rare and
 * started by one team, so holding one server thread for that long is the simple choice.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/api_int.h"
#include "clock/now.h"
#include "core/date.h"
#include "core/text.h"
#include "service/homes.h"

/* A stored run's confidence or simulated rate: null when the run was stored before they were (-1). */
static json_t *num_or_null(double x)
{
	return x >= 0 ? json_real(x) : json_null();
}

static json_t *run_json(const struct store_oversight_run *r)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:f, s:{s:f, s:f, s:f}, s:i, s:i, s:s, s:s, s:i}", "id",
			 (json_int_t)r->id, "started_at", r->started_at, "finished_at", r->finished_at, "trigger",
			 r->trigger, "by", r->by, "false_alarms_per_100_home_years", r->budget, "thresholds", "up", r->h_up,
			 "down", r->h_down, "combined", r->h_combined, "homes", r->homes, "months", r->months,
			 "first_month", r->first_month, "last_month", r->last_month, "signals", r->signals);
	json_object_set_new(o, "false_alarm_confidence", num_or_null(r->budget_confidence));
	json_object_set_new(o, "simulated_false_alarms_per_100_home_years", num_or_null(r->simulated_rate));
	return o;
}

static json_t *str_or_null(const char *s)
{
	return s[0] ? json_string(s) : json_null();
}

static json_t *alert_json(const struct store_home_alert *a)
{
	json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)a->id, "home_id",
			 (json_int_t)a->home_id, "home_name", a->home_name, "kind", a->kind, "month", a->month, "reason",
			 a->reason, "owner", a->owner, "state", a->state, "created_at", a->created_at);
	json_object_set_new(o, "acknowledged_at", str_or_null(a->acknowledged_at));
	json_object_set_new(o, "acknowledged_by", str_or_null(a->acknowledged_by));
	json_object_set_new(o, "resolved_at", str_or_null(a->resolved_at));
	json_object_set_new(o, "resolved_by", str_or_null(a->resolved_by));
	json_object_set_new(o, "outcome", str_or_null(a->outcome));
	json_object_set_new(o, "escalated_at", str_or_null(a->escalated_at));
	json_object_set_new(o, "escalated_to", str_or_null(a->escalated_to));
	return o;
}

void api_oversight_run(struct api *a, http_request *rq, const struct caller *who, const int64_t *ids)
{
	(void)ids;
	double budget = 0, confidence = 0;
	bool confidence_set = false;
	size_t len = 0;
	const char *body = http_body(rq, &len);
	if (len) {
		json_error_t jerr;
		if (!api_json_content_type(rq)) {
			api_reply_simple(a, rq, 415, "unsupported_media_type", "Content-Type",
					 "send the body as application/json (or no body)");
			return;
		}
		json_t *doc = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
		json_t *b = json_object_get(doc, "false_alarms_per_100_home_years");
		json_t *cf = json_object_get(doc, "false_alarm_confidence");
		if (!json_is_object(doc) || json_object_size(doc) != (b ? 1u : 0u) + (cf ? 1u : 0u)) {
			json_decref(doc);
			api_reply_simple(a, rq, 400, "invalid_json", NULL,
					 "the body must be {} or {\"false_alarms_per_100_home_years\": N, "
					 "\"false_alarm_confidence\": P}, either or both");
			return;
		}
		if (cf) {
			confidence = json_is_number(cf) ? json_number_value(cf) : -1;
			confidence_set = true;
			if (!(confidence >= 0) || !(confidence <= OV_BUDGET_CONFIDENCE_MAX)) {
				json_decref(doc);
				api_reply_simple(a, rq, 400, "invalid_value", "false_alarm_confidence",
						 "false_alarm_confidence must be a number from 0 to 0.99");
				return;
			}
		}
		if (b) {
			budget = json_is_number(b) ? json_number_value(b) : -1;
			if (!(budget > 0) || budget > 1000) {
				json_decref(doc);
				api_reply_simple(a, rq, 400, "invalid_value", "false_alarms_per_100_home_years",
						 "false_alarms_per_100_home_years must be a number above 0 and at most 1000");
				return;
			}
		}
		json_decref(doc);
	}
	char now[STORE_TS_LEN + 1], month[8];
	int64_t t = clock_now();
	ts_format_utc(t, now);
	homes_last_complete_month(t, month);
	struct homes_run_opts o = {.trigger = "on_demand", .actor = who->actor, .budget = budget,
				   .confidence_set = confidence_set, .confidence = confidence, .reg44_month = month,
				   .started_at = now};
	struct homes_run_result res;
	int rc = homes_run(a->st, a->q, &o, &res);
	if (rc == HOMES_EEMPTY) {
		api_reply_simple(a, rq, 409, "no_homes", NULL,
				 "the register has no homes with months of occupancy: there is nothing to monitor");
		return;
	}
	if (rc != 0) {
		api_reply_store_failure(a, rq, rc < 0 && rc > -100 ? rc : STORE_EIO);
		return;
	}
	api_reply_json(a, rq, 201,
		       json_pack("{s:I, s:i, s:i, s:s, s:s, s:i, s:i, s:i, s:i, s:{s:f, s:f, s:f}, s:f, s:f, s:f, s:b, s:f}",
				 "run_id",
				 (json_int_t)res.run_id, "homes", res.homes, "months", res.months, "first_month",
				 res.first_month, "last_month", res.last_month, "signals", res.signals, "homes_flagged",
				 res.flagged, "reg44_missing", res.reg44_missing, "alerts_raised", res.alerts_raised,
				 "thresholds", "up", res.h[0], "down", res.h[1], "combined", res.h[2], "false_alarms_per_100_home_years",
				 res.budget, "false_alarm_confidence", res.budget_confidence,
				 "simulated_false_alarms_per_100_home_years", res.simulated_rate,
				 "combined_threshold_from_panel", res.combined_from_panel, "model_combined_threshold",
				 res.h_model_combined));
}

void api_oversight_run_get(struct api *a, http_request *rq, const struct caller *who, const int64_t *ids)
{
	(void)who;
	struct homes_view v;
	bool found = false;
	int rc = ids[0] > 0 ? homes_run_load(a->st, ids[0], &v, &found) : STORE_OK;
	if (rc != STORE_OK) {
		homes_view_free(&v);
		api_reply_store_failure(a, rq, rc);
		return;
	}
	if (!found) {
		if (ids[0] > 0)
			homes_view_free(&v);
		api_reply_simple(a, rq, 404, "not_found", "run_id", "there is no run with this id");
		return;
	}
	json_t *doc = run_json(&v.run), *sig = json_array();
	for (size_t i = 0; i < v.nsignals; i++) {
		const struct store_oversight_signal *g = &v.signals[i];
		json_array_append_new(sig, json_pack("{s:I, s:s, s:s, s:s, s:f, s:f, s:f, s:f, s:i, s:s}", "home_id",
						     (json_int_t)g->home_id, "month", g->month, "indicator", g->indicator,
						     "direction", g->direction, "statistic", g->statistic, "threshold",
						     g->threshold, "observed", g->observed, "expected", g->expected,
						     "months", g->months, "reason", g->reason));
	}
	json_object_set_new(doc, "signal_list", sig);
	homes_view_free(&v);
	api_reply_json(a, rq, 200, doc);
}

void api_home_alerts(struct api *a, http_request *rq, const struct caller *who, const int64_t *ids)
{
	(void)who;
	(void)ids;
	struct homes_view v;
	bool found = false;
	int rc = homes_run_load(a->st, 0, &v, &found);
	if (rc != STORE_OK) {
		homes_view_free(&v);
		api_reply_store_failure(a, rq, rc);
		return;
	}
	json_t *list = json_array();
	for (size_t i = 0; i < v.nalerts; i++)
		json_array_append_new(list, alert_json(&v.alerts[i]));
	json_t *doc = json_pack("{s:o}", "alerts", list);
	if (found)
		json_object_set_new(doc, "latest_run", run_json(&v.run));
	homes_view_free(&v);
	api_reply_json(a, rq, 200, doc);
}

/* ---- writes: acting on an alert, a Regulation 44 report, a placement ---- */

/* The body as a JSON object whose keys are all in allowed (NULL-terminated); else a 4xx naming the field and
 * NULL. An empty body is {} when empty_ok. */
static json_t *body_object(struct api *a, http_request *rq, const char *const *allowed, bool empty_ok)
{
	size_t len = 0;
	const char *text = http_body(rq, &len);
	if (!len && empty_ok)
		return json_object();
	if (!api_json_content_type(rq)) {
		api_reply_simple(a, rq, 415, "unsupported_media_type", "Content-Type", "send the body as application/json");
		return NULL;
	}
	json_error_t jerr;
	json_t *doc = json_loadb(text ? text : "", len, JSON_REJECT_DUPLICATES, &jerr);
	if (!json_is_object(doc)) {
		json_decref(doc);
		api_reply_simple(a, rq, 400, "invalid_json", NULL, "the body must be a JSON object");
		return NULL;
	}
	const char *key;
	json_t *v;
	json_object_foreach(doc, key, v)
	{
		bool ok = false;
		for (size_t i = 0; allowed[i]; i++)
			ok |= strcmp(allowed[i], key) == 0;
		if (ok)
			continue;
		char shown[33]; /* the client's text: bounded and printable */
		size_t k;
		for (k = 0; key[k] && k < sizeof shown - 1; k++)
			shown[k] = (key[k] >= 0x20 && key[k] < 0x7f) ? key[k] : '?';
		shown[k] = '\0';
		struct api_error e;
		api_error_set(&e, 400, "unknown_field", shown, "%s is not a field of this request", shown);
		api_reply_error(a, rq, &e);
		json_decref(doc);
		return NULL;
	}
	return doc;
}

/* A string field: required or not, at most max_bytes bytes (and max_chars characters when > 0), printable
 * (new lines allowed when lines). NULL when absent and not required; -1 after replying. */
static int field_string(struct api *a, http_request *rq, json_t *doc, const char *key, bool required, size_t max_bytes,
			size_t max_chars, bool lines, const char **out)
{
	json_t *v = json_object_get(doc, key);
	char msg[160];
	*out = NULL;
	if (!v || json_is_null(v)) {
		if (!required)
			return 0;
		snprintf(msg, sizeof msg, "%s is required", key);
		api_reply_simple(a, rq, 400, "missing_field", key, msg);
		return -1;
	}
	if (!json_is_string(v)) {
		snprintf(msg, sizeof msg, "%s must be a string", key);
		api_reply_simple(a, rq, 400, "wrong_type", key, msg);
		return -1;
	}
	const char *s = json_string_value(v);
	size_t n = json_string_length(v);
	bool controls = strlen(s) != n;
	for (size_t i = 0; i < n; i++)
		controls |= ((unsigned char)s[i] < 0x20 && !(lines && (s[i] == '\n' || s[i] == '\r' || s[i] == '\t'))) ||
			    s[i] == 0x7f;
	if (controls) {
		snprintf(msg, sizeof msg, "%s contains control characters", key);
		api_reply_simple(a, rq, 400, "invalid_characters", key, msg);
		return -1;
	}
	if (required && !s[strspn(s, " \t\r\n")]) {
		snprintf(msg, sizeof msg, "%s is required and must not be blank", key);
		api_reply_simple(a, rq, 400, "missing_field", key, msg);
		return -1;
	}
	if (n > max_bytes || (max_chars && text_utf8_length(s, n) > max_chars)) {
		snprintf(msg, sizeof msg, "%s is longer than %zu %s", key, max_chars ? max_chars : max_bytes,
			 max_chars ? "characters" : "bytes");
		api_reply_simple(a, rq, 400, "too_long", key, msg);
		return -1;
	}
	*out = s;
	return 0;
}

/* A day "YYYY-MM-DD" no later than today. */
static int field_day(struct api *a, http_request *rq, json_t *doc, const char *key, bool required, struct date today,
		     const char **out)
{
	char msg[160];
	if (field_string(a, rq, doc, key, required, 10, 0, false, out))
		return -1;
	struct date d;
	if (*out && (strlen(*out) != 10 || date_parse_iso(*out, &d) != DATE_OK)) {
		snprintf(msg, sizeof msg, "%s must be a date as YYYY-MM-DD", key);
		api_reply_simple(a, rq, 400, "invalid_value", key, msg);
		return -1;
	}
	if (*out && date_cmp(d, today) > 0) {
		snprintf(msg, sizeof msg, "%s must not be in the future", key);
		api_reply_simple(a, rq, 400, "invalid_value", key, msg);
		return -1;
	}
	return 0;
}

static struct date uk_today(void)
{
	return ts_utc_date(ts_uk_local(clock_now()));
}

/* POST /api/v1/homes/alerts/{id}/acknowledge and /resolve */

struct halert_job {
	struct txq_job job;
	struct api *a;
	http_request *rq;
	struct caller who;
	int64_t id;
	char *outcome; /* NULL to acknowledge */
	enum alerts_result res;
};

static int halert_run(store_conn *c, void *arg)
{
	struct halert_job *j = arg;
	const char *by = j->who.is_user ? j->who.username : j->who.actor;
	if (j->outcome)
		return homes_alert_resolve(c, j->id, j->who.actor, by, j->outcome, &j->res);
	return homes_alert_acknowledge(c, j->id, j->who.actor, by, &j->res);
}

static void halert_done(struct txq_job *job)
{
	struct halert_job *j = (struct halert_job *)job;
	struct api *a = j->a;
	if (job->rc < 0)
		api_reply_store_failure(a, j->rq, job->rc > -100 ? job->rc : STORE_EIO);
	else if (j->res == ALERTS_NOT_FOUND)
		api_reply_simple(a, j->rq, 404, "not_found", "alert_id", "there is no alert about a home with this id");
	else if (j->res == ALERTS_WRONG_STATE)
		api_reply_simple(a, j->rq, 409, "wrong_state", "state",
				 j->outcome ? "the alert is already resolved" : "the alert is already acknowledged or resolved");
	else
		api_reply_json(a, j->rq, 200, json_pack("{s:I, s:s}", "id", (json_int_t)j->id, "state",
							j->outcome ? "resolved" : "acknowledged"));
	http_resume(j->rq);
	free(j->outcome);
	free(j);
}

static void halert_action(struct api *a, http_request *rq, const struct caller *who, int64_t id, bool resolve)
{
	static const char *const ack_keys[] = {NULL}, *const res_keys[] = {"outcome", NULL};
	json_t *doc = body_object(a, rq, resolve ? res_keys : ack_keys, !resolve);
	const char *outcome = NULL;
	if (!doc)
		return;
	if (resolve && field_string(a, rq, doc, "outcome", true, 4 * HOMES_OUTCOME_MAX, HOMES_OUTCOME_MAX, true, &outcome)) {
		json_decref(doc);
		return;
	}
	struct halert_job *j = calloc(1, sizeof *j);
	if (!j || (resolve && !(j->outcome = strdup(outcome)))) {
		json_decref(doc);
		free(j);
		api_reply_simple(a, rq, 503, "busy", NULL, "out of memory: try again");
		return;
	}
	json_decref(doc);
	j->a = a;
	j->rq = rq;
	j->who = *who;
	j->id = id;
	j->job.run = halert_run;
	j->job.arg = j;
	j->job.done = halert_done;
	http_suspend(rq);
	txq_submit(a->q, &j->job);
}

void api_home_alert_acknowledge(struct api *a, http_request *rq, const struct caller *who, const int64_t *ids)
{
	halert_action(a, rq, who, ids[0], false);
}

void api_home_alert_resolve(struct api *a, http_request *rq, const struct caller *who, const int64_t *ids)
{
	halert_action(a, rq, who, ids[0], true);
}

/* POST /api/v1/homes/{id}/reg44-reports and /placements */

struct record_job {
	struct txq_job job;
	struct api *a;
	http_request *rq;
	struct caller who;
	bool placement;
	char placing_la[8];
	struct store_reg44 r;
	struct store_home_placement p;
	int64_t id, resolved_alert;
	enum homes_record_result res;
};

static int record_run(store_conn *c, void *arg)
{
	struct record_job *j = arg;
	if (j->placement) {
		const struct access_writer w = {j->who.user_id, j->who.username, j->who.client.agency,
						j->who.is_user ? j->who.role : NULL};
		return homes_placement_add(c, j->who.actor, &w, j->placing_la, &j->p, &j->id, &j->res);
	}
	return homes_reg44_add(c, j->who.actor, j->who.is_user ? j->who.username : j->who.actor, &j->r, &j->id,
			       &j->resolved_alert, &j->res);
}

static void record_done(struct txq_job *job)
{
	struct record_job *j = (struct record_job *)job;
	struct api *a = j->a;
	if (job->rc < 0)
		api_reply_store_failure(a, j->rq, job->rc > -100 ? job->rc : STORE_EIO);
	else if (j->res == HOMES_NO_HOME)
		api_reply_simple(a, j->rq, 404, "not_found", "home_id", "there is no home with this id");
	else if (j->res == HOMES_NO_CHILD) /* no child, a sealed one, or one not theirs: one answer (access.h) */
		api_reply_simple(a, j->rq, 403, "forbidden", "child_id",
				 j->who.is_user ? "you may not record a placement for this child_id: placements are "
						  "recorded by the child's allocated worker or the manager of their team"
						: "this system may not record a placement for this child_id: only for a child "
						  "its agency has sent records about");
	else if (j->res == HOMES_HELD)
		api_reply_simple(a, j->rq, 409, "already_held", "month",
				 "the home already has a Regulation 44 report for this month: it was not replaced");
	else if (j->placement)
		api_reply_json(a, j->rq, 201,
			       json_pack("{s:I, s:I, s:I, s:b, s:b}", "id", (json_int_t)j->id, "home_id",
					 (json_int_t)j->p.home_id, "child_id", (json_int_t)j->p.person_id, "out_of_area",
					 j->p.out_of_area, "distant", j->p.distant));
	else {
		json_t *doc = json_pack("{s:I, s:I, s:s, s:s}", "id", (json_int_t)j->id, "home_id",
					(json_int_t)j->r.home_id, "month", j->r.month, "safeguarded", j->r.safeguarded);
		json_object_set_new(doc, "resolved_alert_id",
				    j->resolved_alert ? json_integer(j->resolved_alert) : json_null());
		api_reply_json(a, j->rq, 201, doc);
	}
	http_resume(j->rq);
	free(j);
}

static void record_submit(struct api *a, http_request *rq, const struct caller *who, struct record_job *j)
{
	j->a = a;
	j->rq = rq;
	j->who = *who;
	j->job.run = record_run;
	j->job.arg = j;
	j->job.done = record_done;
	http_suspend(rq);
	txq_submit(a->q, &j->job);
}

void api_home_reg44(struct api *a, http_request *rq, const struct caller *who, const int64_t *ids)
{
	static const char *const keys[] = {"month", "received_on", "visitor", "summary", "safeguarded", NULL};
	json_t *doc = body_object(a, rq, keys, false);
	const char *month, *received, *visitor, *summary, *safeguarded;
	struct date today = uk_today();
	if (!doc)
		return;
	struct record_job *j = NULL;
	if (field_string(a, rq, doc, "month", true, 7, 0, false, &month))
		goto out;
	int y = 0, m = 0;
	char this_month[8];
	homes_month_text(today.y * 12 + today.m - 1, this_month);
	if (strlen(month) != 7 || sscanf(month, "%4d-%2d", &y, &m) != 2 || month[4] != '-' || y < 2000 || m < 1 ||
	    m > 12 || strspn(month, "0123456789-") != 7) {
		api_reply_simple(a, rq, 400, "invalid_value", "month", "month must be a month as YYYY-MM");
		goto out;
	}
	if (strcmp(month, this_month) > 0) {
		api_reply_simple(a, rq, 400, "invalid_value", "month", "month must not be in the future");
		goto out;
	}
	if (field_day(a, rq, doc, "received_on", true, today, &received))
		goto out;
	if (strncmp(received, month, 7) < 0) {
		api_reply_simple(a, rq, 400, "invalid_value", "received_on",
				 "received_on must be on or after the first day of the month the visit was in");
		goto out;
	}
	if (field_string(a, rq, doc, "visitor", true, HOMES_VISITOR_MAX, 0, false, &visitor) ||
	    field_string(a, rq, doc, "summary", true, HOMES_REG44_SUMMARY_MAX, 0, true, &summary) ||
	    field_string(a, rq, doc, "safeguarded", false, 10, 0, false, &safeguarded))
		goto out;
	/* Reg 44(4)(c): the visitor's opinion whether children are effectively safeguarded. Optional here (a
	 * report sent without it says nothing), one of three words when given. */
	if (safeguarded && !homes_reg44_opinion_ok(safeguarded)) {
		api_reply_simple(a, rq, 400, "invalid_value", "safeguarded",
				 "safeguarded must be \"yes\", \"no\" or \"not_stated\": in the visitor's opinion, are "
				 "children effectively safeguarded?");
		goto out;
	}
	if (!(j = calloc(1, sizeof *j))) {
		api_reply_simple(a, rq, 503, "busy", NULL, "out of memory: try again");
		goto out;
	}
	j->r.home_id = ids[0];
	snprintf(j->r.month, sizeof j->r.month, "%.7s", month);
	snprintf(j->r.received_at, sizeof j->r.received_at, "%.10s", received);
	snprintf(j->r.visitor, sizeof j->r.visitor, "%.*s", (int)(sizeof j->r.visitor - 1), visitor);
	snprintf(j->r.summary, sizeof j->r.summary, "%.*s", (int)(sizeof j->r.summary - 1), summary);
	snprintf(j->r.safeguarded, sizeof j->r.safeguarded, "%s", safeguarded ? safeguarded : "not_stated");
	record_submit(a, rq, who, j);
out:
	json_decref(doc);
}

void api_home_placement(struct api *a, http_request *rq, const struct caller *who, const int64_t *ids)
{
	static const char *const keys[] = {"child_id", "start", "end", "distance_km", "placing_authority", NULL};
	json_t *doc = body_object(a, rq, keys, false);
	const char *start, *end, *la;
	struct date today = uk_today();
	if (!doc)
		return;
	json_t *child = json_object_get(doc, "child_id"), *dist = json_object_get(doc, "distance_km");
	if (!json_is_integer(child) || json_integer_value(child) <= 0) {
		api_reply_simple(a, rq, 400, child ? "invalid_value" : "missing_field", "child_id",
				 "child_id is required: the child's id, a whole number above 0");
		goto out;
	}
	if (field_day(a, rq, doc, "start", true, today, &start) || field_day(a, rq, doc, "end", false, today, &end))
		goto out;
	if (end && strcmp(end, start) < 0) {
		api_reply_simple(a, rq, 400, "invalid_value", "end", "end must not be before start");
		goto out;
	}
	double km = -1;
	if (dist && !json_is_null(dist)) {
		km = json_is_number(dist) ? json_number_value(dist) : -1;
		if (!(km >= 0) || km > 2000) {
			api_reply_simple(a, rq, 400, "invalid_value", "distance_km",
					 "distance_km must be a number from 0 to 2000 (or null when not known)");
			goto out;
		}
	}
	if (field_string(a, rq, doc, "placing_authority", true, 3, 0, false, &la))
		goto out;
	if (strlen(la) != 3 || strspn(la, "0123456789") != 3) {
		api_reply_simple(a, rq, 400, "invalid_value", "placing_authority",
				 "placing_authority must be the placing authority's three-digit DfE LA number");
		goto out;
	}
	struct record_job *j = calloc(1, sizeof *j);
	if (!j) {
		api_reply_simple(a, rq, 503, "busy", NULL, "out of memory: try again");
		goto out;
	}
	j->placement = true;
	snprintf(j->placing_la, sizeof j->placing_la, "%.3s", la);
	j->p.home_id = ids[0];
	j->p.person_id = (int64_t)json_integer_value(child);
	snprintf(j->p.start, sizeof j->p.start, "%.10s", start);
	snprintf(j->p.end, sizeof j->p.end, "%.10s", end ? end : "");
	j->p.distance_km = km;
	record_submit(a, rq, who, j);
out:
	json_decref(doc);
}
