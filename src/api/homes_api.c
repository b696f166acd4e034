/*
 * api/homes_api.c — children's homes oversight for the oversight analyst (issue 6, part 4):
 *   POST /api/v1/oversight/runs       run the monitor now; 201 with the run
 *   GET  /api/v1/oversight/runs/{id}  a run with its signals, each with its reason in words
 *   GET  /api/v1/homes/alerts         the open alerts about homes, newest first
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
#include "core/date.h"
#include "service/homes.h"

static json_t *run_json(const struct store_oversight_run *r)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:f, s:{s:f, s:f, s:f}, s:i, s:i, s:s, s:s, s:i}", "id",
			 (json_int_t)r->id, "started_at", r->started_at, "finished_at", r->finished_at, "trigger",
			 r->trigger, "by", r->by, "false_alarms_per_100_home_years", r->budget, "thresholds", "up", r->h_up,
			 "down", r->h_down, "combined", r->h_combined, "homes", r->homes, "months", r->months,
			 "first_month", r->first_month, "last_month", r->last_month, "signals", r->signals);
}

static json_t *alert_json(const struct store_home_alert *a)
{
	return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)a->id, "home_id",
			 (json_int_t)a->home_id, "home_name", a->home_name, "kind", a->kind, "month", a->month, "reason",
			 a->reason, "owner", a->owner, "state", a->state, "created_at", a->created_at);
}

void api_oversight_run(struct api *a, http_request *rq, const struct caller *who, const int64_t *ids)
{
	(void)ids;
	double budget = 0;
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
		if (!json_is_object(doc) || json_object_size(doc) != (b ? 1u : 0u)) {
			json_decref(doc);
			api_reply_simple(a, rq, 400, "invalid_json", NULL,
					 "the body must be {} or {\"false_alarms_per_100_home_years\": N}");
			return;
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
	int64_t t = (int64_t)time(NULL);
	ts_format_utc(t, now);
	homes_last_complete_month(t, month);
	struct homes_run_opts o = {.trigger = "on_demand", .actor = who->actor, .budget = budget, .reg44_month = month,
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
		       json_pack("{s:I, s:i, s:i, s:s, s:s, s:i, s:i, s:i, s:i, s:{s:f, s:f, s:f}}", "run_id",
				 (json_int_t)res.run_id, "homes", res.homes, "months", res.months, "first_month",
				 res.first_month, "last_month", res.last_month, "signals", res.signals, "homes_flagged",
				 res.flagged, "reg44_missing", res.reg44_missing, "alerts_raised", res.alerts_raised,
				 "thresholds", "up", res.h[0], "down", res.h[1], "combined", res.h[2]));
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
