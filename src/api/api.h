/*
 * api/api.h — the JSON API for agency systems and scripts (/api/v1/...), and /healthz, /metrics.
 *
 * An edge: it authenticates the caller, validates and translates JSON, and hands the work to the service
 * layer through the write queue. It holds no SQL and no business rules.
 */
#ifndef SAFEGUARD_API_API_H
#define SAFEGUARD_API_API_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "http/server.h"
#include "service/alerts.h"
#include "service/recordings.h"
#include "service/tokens.h"
#include "service/txq.h"
#include "store/store.h"

struct api {
	store *st;
	txq *q;
	atomic_ullong requests, status_2xx, status_4xx, status_5xx;
	atomic_ullong events_created, events_replayed;
	struct alerts_config alerts; /* the rules' settings for intake */
	/* What a clinician looking up a flag is given: the authority's numbers (DOMAIN.md, CP-IS). */
	const char *office_hours_contact, *emergency_duty_contact;
	/* Recordings (service/recordings.h): where they are kept (NULL: none are) and the largest accepted. */
	recordings *rec;
	unsigned long long recording_max;
	/* Agency systems' tokens, validated, for POST /api/v1/events (service/tokens.h); NULL: none kept. */
	tokens_cache *tokens;
};

void api_init(struct api *a, store *st, txq *q);
void api_fini(struct api *a);

/* Whether a request's body is streamed (http_options.streamed): a recording's upload. */
bool api_body_streamed(const char *method, const char *path);
#define API_RECORDING_MAX_MB_DEFAULT 2048

/* The http_handler for the whole server (ctx is a struct api). */
void api_handle(http_request *rq, void *ctx);
/* http_options.admit for the API's requests that carry a body: the route, the bearer token and the role
 * policy are decided from the headers, so that a body is never kept for a caller who would be refused
 * (401, 403, 404, 405 are answered at once); a public route's body (a sign-in) may hold HTTP_PUBLIC_BODY_MAX. */
size_t api_admit(http_request *rq, void *ctx);

/* The i-th route: its method, path pattern and the role policy's name for what it does (for
 * `safeguard routes` and the authorisation matrix test); false past the end. */
bool api_route_at(size_t i, const char **method, const char **pattern, const char **action);
/* The token scope (service/tokens.h) the i-th route needs of an agency's system; NULL when no scope opens it. */
const char *api_route_scope_at(size_t i);

#endif
