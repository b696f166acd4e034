/*
 * api/api_int.h — what the API's files share (api.c: intake, children, operators; alerts_api.c: alerts and
 * flags). Nothing outside api/ includes it.
 */
#ifndef SAFEGUARD_API_INT_H
#define SAFEGUARD_API_INT_H

#include <jansson.h>
#include <stdbool.h>

#include "api/api.h"
#include "api/intake_json.h"

#define JSON_TYPE "application/json"

/* An agency's system (client) or a person signed in (user: client.agency and role from their account). */
struct caller {
	struct store_client client;
	char actor[96]; /* "client:ID:AGENCY" or "user:ID:USERNAME" */
	bool is_user;
	int64_t user_id;
	char username[STORE_USER_MAX + 1];
	char role[STORE_CODE_MAX + 1];
};

/* Answers 401 itself when the bearer token is missing or not valid. */
bool api_authenticate(struct api *a, http_request *rq, struct caller *who);
bool api_json_content_type(http_request *rq);

void api_count_status(struct api *a, int status);
void api_reply_json(struct api *a, http_request *rq, int status, json_t *doc); /* steals doc */
void api_reply_error(struct api *a, http_request *rq, const struct api_error *e);
void api_reply_simple(struct api *a, http_request *rq, int status, const char *code, const char *field,
		      const char *message);
void api_reply_store_failure(struct api *a, http_request *rq, int rc);
/* 405 with the Allow header ("GET, HEAD", "POST"). */
void api_method_not_allowed(struct api *a, http_request *rq, const char *allow);

/* Routes of alerts_api.c. */
void api_alerts(struct api *a, http_request *rq, const char *rest); /* /api/v1/alerts[/{id}[/action]] */
void api_flags(struct api *a, http_request *rq);                     /* /api/v1/flags */
/* GET /api/v1/children/{id}/viewers and POST .../break-glass (viewers_api.c). */
void api_viewers(struct api *a, http_request *rq, int64_t child_id);
void api_break_glass(struct api *a, http_request *rq, int64_t child_id);
/* Routes of recordings_api.c: /api/v1/children/{id}/recordings (child_id set, rest "") and
 * /api/v1/recordings/{rest} (child_id 0). */
void api_recordings(struct api *a, http_request *rq, int64_t child_id, const char *rest);
/* Route of sessions_api.c. */
void api_sessions(struct api *a, http_request *rq);                  /* /api/v1/sessions */

#endif
