/*
 * api/intake_json.h — turns the JSON body of POST /api/v1/events into a validated intake request, or an
 * error that names the field. Nothing here touches the store: validation is complete before any write.
 */
#ifndef SAFEGUARD_API_INTAKE_JSON_H
#define SAFEGUARD_API_INTAKE_JSON_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "service/intake.h"

struct api_error {
	int status;        /* 400, 401, 404, 413, 415, 422, ... */
	const char *code;  /* machine-readable: "missing_field", "wrong_type", "impossible_date", ... */
	char field[64];    /* "subject.dob", or "" when the error is about no one field */
	char message[256]; /* for a person; never echoes the value sent (it may be personal data) */
};

void api_error_set(struct api_error *e, int status, const char *code, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/*
 * Parses and validates body. On success fills rq (its string pointers point into *root, which the caller
 * frees with json_decref after the request is done, and into *details_text, which the caller frees) and
 * returns 0. On failure returns -1 with err set; *root and *details_text are NULL.
 * now: the current time (seconds since the epoch), for "not in the future" checks.
 */
int api_intake_parse(const char *body, size_t len, int64_t now, struct intake_request *rq, json_t **root,
		     char **details_text, struct api_error *err);

#endif
