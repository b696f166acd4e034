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
#include "service/children.h"

#define JSON_TYPE "application/json"

/* An agency's system (client) or a person signed in (user: client.agency and role from their account). */
struct caller {
	struct store_client client;
	char actor[96]; /* "client:ID:AGENCY" or "user:ID:USERNAME" */
	char note[160]; /* an agency system's token, for the audit entries of its reads (tokens_note); "" for people */
	bool is_user;
	int64_t user_id;
	char username[STORE_USER_MAX + 1];
	char role[STORE_CODE_MAX + 1];
	/* An agency system's client taken from the token cache (service/tokens.h): the writer checks it again
	 * (tokens_cache_check) against the generation it was kept at. */
	bool token_cached;
	int64_t token_gen;
	uint8_t token_hash[STORE_TOKEN_HASH_LEN];
};

/* Names the caller as the reader of an access (service/children.h), with what it reads: the service decides
 * what they may see from it. Every audited read of the API starts here. */
void api_reader_init(struct access_reader *r, const struct caller *who);
void api_access_init(struct children_access *acc, const struct caller *who, const char *action, int64_t child_id,
		     enum access_level need, const char *detail);

/* Answers 401 itself when the bearer token is missing or not valid. */
bool api_authenticate(struct api *a, http_request *rq, struct caller *who, bool cacheable);
bool api_json_content_type(http_request *rq);

void api_count_status(struct api *a, int status);
void api_reply_json(struct api *a, http_request *rq, int status, json_t *doc); /* steals doc */
void api_reply_error(struct api *a, http_request *rq, const struct api_error *e);
void api_reply_simple(struct api *a, http_request *rq, int status, const char *code, const char *field,
		      const char *message);
void api_reply_store_failure(struct api *a, http_request *rq, int rc);
/* Acting on an alert (action "alert.acknowledge", "alert.resolve"), decided before its job as a read of it is
 * (alerts_write_decided: the decision and, refused, its "access.refused" entry in one call, r-ntk31). True: the
 * write may go on. False: answered (a store failure), or refused, and the refusal's answer (status, code, field,
 * message: static strings, the same as before) is given once the entry is durable. */
bool api_alert_write_decided(struct api *a, http_request *rq, const struct caller *who, int64_t id,
			     const char *action, int status, const char *code, const char *field, const char *message);
/* 405 with the Allow header ("GET, HEAD", "POST"). */
void api_method_not_allowed(struct api *a, http_request *rq, const char *allow);

/* Route handlers (the table is in api.c): who is the caller, authenticated and let through by the role
 * policy (NULL on public routes); ids the path's {id}s. */
#define API_ROUTE(name) void name(struct api *a, http_request *rq, const struct caller *who, const int64_t *ids)
API_ROUTE(api_alerts_list);       /* GET /api/v1/alerts (alerts_api.c) */
API_ROUTE(api_alert_get);         /* GET /api/v1/alerts/{id} */
API_ROUTE(api_alert_acknowledge); /* POST /api/v1/alerts/{id}/acknowledge */
API_ROUTE(api_alert_resolve);     /* POST /api/v1/alerts/{id}/resolve */
API_ROUTE(api_flags);             /* GET /api/v1/flags */
API_ROUTE(api_viewers);           /* GET /api/v1/children/{id}/viewers (viewers_api.c) */
API_ROUTE(api_break_glass);       /* POST /api/v1/children/{id}/break-glass */
API_ROUTE(api_notices);           /* GET /api/v1/notices: the data protection officer's */
API_ROUTE(api_health_glass);      /* GET /api/v1/health/break-glass: health's safeguarding lead's */
API_ROUTE(api_sessions);          /* POST /api/v1/sessions (sessions_api.c) */
API_ROUTE(api_recording_upload);  /* POST /api/v1/children/{id}/recordings (recordings_api.c), body streamed */
API_ROUTE(api_recordings_list);   /* GET /api/v1/children/{id}/recordings */
API_ROUTE(api_recording_content); /* GET /api/v1/recordings/{id}/content */
API_ROUTE(api_oversight_run);     /* POST /api/v1/oversight/runs (homes_api.c) */
API_ROUTE(api_oversight_run_get); /* GET /api/v1/oversight/runs/{id} */
API_ROUTE(api_home_alerts);       /* GET /api/v1/homes/alerts */
API_ROUTE(api_link_reviews);         /* GET /api/v1/link-reviews (linkreview_api.c) */
API_ROUTE(api_link_review);          /* GET /api/v1/link-reviews/{id} */
API_ROUTE(api_link_review_decision); /* POST /api/v1/link-reviews/{id}/decision */
API_ROUTE(api_merge_undo);           /* POST /api/v1/merges/{id}/undo */
API_ROUTE(api_home_alert_acknowledge); /* POST /api/v1/homes/alerts/{id}/acknowledge */
API_ROUTE(api_home_alert_resolve);     /* POST /api/v1/homes/alerts/{id}/resolve */
API_ROUTE(api_home_reg44);             /* POST /api/v1/homes/{id}/reg44-reports */
API_ROUTE(api_home_placement);         /* POST /api/v1/homes/{id}/placements */

#endif
