/*
 * api/sessions_api.c — POST /api/v1/sessions: a person signs in for a script (username, password, TOTP
 * code) and gets a bearer token for a session of their own. The password check (Argon2id: tens of
 * milliseconds of CPU) runs on this server thread, outside any transaction; the outcome is recorded and the
 * session opened in one short job on the write queue.
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
	struct txq_job job;
	struct api *a;
	http_request *rq;
	struct store_user user;
	enum users_sign_in res;
	char username[STORE_USER_MAX + 1];
	char remote[HTTP_REMOTE_MAX];
	int64_t now;
	char token[USERS_SESSION_TOKEN_MAX];
	char expires_at[STORE_TS_LEN + 1];
};

static int session_run(store_conn *c, void *arg)
{
	struct session_job *j = arg;
	return users_session_open(c, &j->user, j->res, j->username, j->remote, "api", j->now, j->token, j->expires_at);
}

static void session_done(struct txq_job *job)
{
	struct session_job *j = (struct session_job *)job;
	struct api *a = j->a;
	if (job->rc < 0) {
		api_reply_store_failure(a, j->rq, job->rc);
	} else if (j->res == USERS_THROTTLED) {
		http_add_header(j->rq, "Retry-After", "900");
		api_reply_simple(a, j->rq, 429, "too_many_attempts", NULL,
				 "too many failed sign-ins for this account or from this address: try again later");
	} else if (j->res != USERS_SIGNED_IN) {
		/* One answer for a wrong name, password or code, and for a disabled account: nothing to probe. */
		api_reply_simple(a, j->rq, 401, "invalid_credentials", NULL, "the username, password or code is wrong");
	} else {
		api_reply_json(a, j->rq, 201,
			       json_pack("{s:s, s:s, s:s, s:s, s:s}", "token", j->token, "expires_at", j->expires_at,
					 "username", j->user.username, "agency", j->user.agency, "role", j->user.role));
	}
	http_resume(j->rq);
	sodium_memzero(j, sizeof *j); /* the token and the password hash */
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
	j->now = clock_now();
	http_remote_address(rq, j->remote);
	snprintf(j->username, sizeof j->username, "%s", username);
	int rc = users_check(a->st, username, password, totp, j->remote, j->now, &j->user, &j->res);
	if (rc != STORE_OK) {
		api_reply_store_failure(a, rq, rc);
		free(j);
		goto out;
	}
	j->a = a;
	j->rq = rq;
	j->job.run = session_run;
	j->job.arg = j;
	j->job.done = session_done;
	http_suspend(rq);
	txq_submit(a->q, &j->job);
out:
	/* The password was in the body: wipe what jansson holds before letting it go. */
	if (json_is_object(body) && json_is_string(json_object_get(body, "password")))
		sodium_memzero((void *)json_string_value(json_object_get(body, "password")),
			       json_string_length(json_object_get(body, "password")));
	json_decref(body);
}
