/*
 * api/sessions_api.c — POST /api/v1/sessions: a person signs in for a script (username, password, TOTP
 * code) and gets a bearer token for a session of their own. users_sign_in (service/users.h, shared with the
 * sign-in page) throttles, checks the password on this server thread and records the outcome on the write
 * queue; this file only translates.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include <time.h>

#include "api/api_int.h"
#include "clock/now.h"
#include "service/users.h"

struct session_job {
	struct users_attempt si; /* first: its done() finds the job */
	struct api *a;
	http_request *rq;
};

static void session_done(struct users_attempt *si)
{
	struct session_job *j = (struct session_job *)si;
	struct api *a = j->a;
	if (si->rc < 0) {
		api_reply_store_failure(a, j->rq, si->rc);
	} else if (si->res == USERS_THROTTLED) {
		char after[16];
		snprintf(after, sizeof after, "%d", si->retry_after > 0 ? si->retry_after : 1);
		http_add_header(j->rq, "Retry-After", after);
		api_reply_simple(a, j->rq, 429, "too_many_attempts", NULL,
				 "too many failed sign-ins for this account or from this address: try again after "
				 "Retry-After seconds");
	} else if (si->res != USERS_SIGNED_IN) {
		/* One answer for a wrong name, password or code, and for a disabled account: nothing to probe. */
		api_reply_simple(a, j->rq, 401, "invalid_credentials", NULL, "the username, password or code is wrong");
	} else {
		api_reply_json(a, j->rq, 201,
			       json_pack("{s:s, s:s, s:s, s:s, s:s}", "token", si->token, "expires_at", si->expires_at,
					 "username", si->user.username, "agency", si->user.agency, "role", si->user.role));
	}
	http_resume(j->rq);
	sodium_memzero(j, sizeof *j); /* the token */
	free(j);
}

static int body_field(struct api *a, http_request *rq, json_t *body, const char *key, size_t max, const char **out)
{
	json_t *v = json_object_get(body, key);
	char msg[96];
	if (!v) {
		snprintf(msg, sizeof msg, "%s is required", key);
		api_reply_simple(a, rq, 400, "missing_field", key, msg);
		return -1;
	}
	if (!json_is_string(v) || json_string_length(v) > max || strlen(json_string_value(v)) != json_string_length(v)) {
		snprintf(msg, sizeof msg, "%s must be a string of at most %zu bytes", key, max);
		api_reply_simple(a, rq, 400, "invalid_value", key, msg);
		return -1;
	}
	*out = json_string_value(v);
	return 0;
}

void api_sessions(struct api *a, http_request *rq, const struct caller *who, const int64_t *ids)
{
	(void)who;
	(void)ids;
	if (!api_json_content_type(rq)) {
		api_reply_simple(a, rq, 415, "unsupported_media_type", "Content-Type", "send the body as application/json");
		return;
	}
	size_t len = 0;
	const char *text = http_body(rq, &len);
	json_error_t jerr;
	json_t *body = json_loadb(text ? text : "", len, JSON_REJECT_DUPLICATES, &jerr);
	struct session_job *j = NULL;
	const char *username, *password, *totp;
	if (!json_is_object(body)) {
		api_reply_simple(a, rq, 400, "invalid_json", NULL, "the body must be a JSON object");
		goto out;
	}
	const char *key;
	json_t *v;
	json_object_foreach(body, key, v)
	{
		if (strcmp(key, "username") && strcmp(key, "password") && strcmp(key, "totp")) {
			api_reply_simple(a, rq, 400, "unknown_field", NULL, "send username, password and totp only");
			goto out;
		}
	}
	if (body_field(a, rq, body, "username", STORE_USER_MAX, &username) ||
	    body_field(a, rq, body, "password", USERS_PASSWORD_MAX, &password) ||
	    body_field(a, rq, body, "totp", 8, &totp))
		goto out;
	if (!(j = calloc(1, sizeof *j))) {
		api_reply_simple(a, rq, 503, "busy", NULL, "out of memory: try again");
		goto out;
	}
	j->a = a;
	j->rq = rq;
	j->si.now = clock_now();
	http_remote_address(rq, j->si.remote);
	snprintf(j->si.username, sizeof j->si.username, "%s", username);
	snprintf(j->si.kind, sizeof j->si.kind, "api");
	j->si.done = session_done;
	http_suspend(rq);
	users_sign_in(a->st, a->q, &j->si, password, totp);
out:
	/* The password was in the body: wipe what jansson holds before letting it go. */
	if (json_is_object(body) && json_is_string(json_object_get(body, "password")))
		sodium_memzero((void *)json_string_value(json_object_get(body, "password")),
			       json_string_length(json_object_get(body, "password")));
	json_decref(body);
}
