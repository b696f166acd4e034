#include "api/intake_json.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/event.h"
#include "core/visit.h"
#include "core/ident.h"
#include "core/text.h"

/* A clock that runs a little fast on an agency's server must not bounce its records. */
#define FUTURE_TOLERANCE_SECONDS (24 * 60 * 60)

/* Coded fields (dates, identifiers, kinds) are judged by their format; this bound only stops a megabyte
 * "date" early, and is loose so that a near miss ("2016-05-03T00:00:00Z" for a date) gets the format's
 * message rather than "too long". */
#define CODED_MAX 64

void api_error_set(struct api_error *e, int status, const char *code, const char *field, const char *fmt, ...)
{
	va_list ap;
	e->status = status;
	e->code = code;
	snprintf(e->field, sizeof e->field, "%s", field ? field : "");
	va_start(ap, fmt);
	vsnprintf(e->message, sizeof e->message, fmt, ap);
	va_end(ap);
	/* A message may quote the parser, which may quote the client's bytes: keep it printable ASCII so it can
	 * always be sent back as a JSON string. */
	for (char *c = e->message; *c; c++)
		if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f)
			*c = '?';
}

/* Only these keys may appear: a misspelt key ("occured_at") is an error, not a silently dropped value. */
static const char *const top_keys[] = {"source_ref", "kind", "occurred_at", "subject", "summary", "details"};
static const char *const subject_keys[] = {"given_name", "middle_names", "family_name", "dob",
					   "sex", "postcode", "address", "nhs_number", "upn", "communication_needs",
					   "disability", "ethnicity", "first_language"};

static int check_keys(json_t *obj, const char *const *keys, size_t n, const char *prefix, struct api_error *err)
{
	const char *k;
	json_t *v;
	json_object_foreach(obj, k, v)
	{
		size_t i;
		for (i = 0; i < n; i++)
			if (strcmp(k, keys[i]) == 0)
				break;
		if (i == n) {
			char field[64];
			/* The key is the client's text: show a bounded, printable prefix of it. */
			char shown[32];
			size_t j;
			for (j = 0; k[j] && j < sizeof shown - 1; j++)
				shown[j] = (k[j] >= 0x20 && k[j] < 0x7f) ? k[j] : '?';
			shown[j] = '\0';
			snprintf(field, sizeof field, "%s%s", prefix, shown);
			api_error_set(err, 400, "unknown_field", field, "%s is not a field of this request", field);
			return -1;
		}
	}
	return 0;
}

/*
 * A string field: absent or null reads as "" (unless required), anything but a string is wrong_type.
 * max_chars bounds its length in characters; controls other than tab/CR/LF are refused (multi_line
 * allows CR/LF and tab; single-line fields allow none).
 */
static int get_string(json_t *obj, const char *key, const char *field, bool required, size_t max_chars,
		      bool multi_line, const char **out, struct api_error *err)
{
	json_t *v = json_object_get(obj, key);
	*out = "";
	if (!v || json_is_null(v)) {
		if (required) {
			api_error_set(err, 400, "missing_field", field, "%s is required", field);
			return -1;
		}
		return 0;
	}
	if (!json_is_string(v)) {
		api_error_set(err, 400, "wrong_type", field, "%s must be a string", field);
		return -1;
	}
	const char *s = json_string_value(v);
	size_t len = json_string_length(v);
	if (text_has_controls(s, len) || (!multi_line && strpbrk(s, "\t\r\n"))) {
		api_error_set(err, 400, "invalid_characters", field, "%s contains control characters", field);
		return -1;
	}
	if (text_utf8_length(s, len) > max_chars) {
		api_error_set(err, 400, "too_long", field, "%s is longer than %zu characters", field, max_chars);
		return -1;
	}
	/* Required means something a person can read, not white space. */
	if (required && strspn(s, " \t\r\n") == len) {
		api_error_set(err, 400, "missing_field", field, "%s is required", field);
		return -1;
	}
	*out = s;
	return 0;
}

/* Copies s without leading and trailing spaces into dst (which the caller sized for the field's limit). */
static void copy_trimmed(char *dst, size_t dstsz, const char *s)
{
	while (*s == ' ')
		s++;
	size_t n = strlen(s);
	while (n && s[n - 1] == ' ')
		n--;
	if (n >= dstsz)
		n = dstsz - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

static int parse_subject(json_t *subj, int64_t now, struct identity_subject *s, struct api_error *err)
{
	const char *given, *middle, *family, *dob, *sex, *postcode, *address, *nhs, *upn, *comm, *disability,
		*ethnicity, *language;
	if (!subj || json_is_null(subj)) {
		api_error_set(err, 400, "missing_field", "subject", "subject is required");
		return -1;
	}
	if (!json_is_object(subj)) {
		api_error_set(err, 400, "wrong_type", "subject", "subject must be an object");
		return -1;
	}
	if (check_keys(subj, subject_keys, sizeof subject_keys / sizeof subject_keys[0], "subject.", err) ||
	    get_string(subj, "given_name", "subject.given_name", false, EVENT_NAME_MAX, false, &given, err) ||
	    get_string(subj, "middle_names", "subject.middle_names", false, EVENT_NAME_MAX, false, &middle, err) ||
	    get_string(subj, "family_name", "subject.family_name", false, EVENT_NAME_MAX, false, &family, err) ||
	    get_string(subj, "dob", "subject.dob", false, CODED_MAX, false, &dob, err) ||
	    get_string(subj, "sex", "subject.sex", false, CODED_MAX, false, &sex, err) ||
	    get_string(subj, "postcode", "subject.postcode", false, CODED_MAX, false, &postcode, err) ||
	    get_string(subj, "address", "subject.address", false, EVENT_ADDRESS_MAX, false, &address, err) ||
	    get_string(subj, "nhs_number", "subject.nhs_number", false, CODED_MAX, false, &nhs, err) ||
	    get_string(subj, "upn", "subject.upn", false, CODED_MAX, false, &upn, err) ||
	    get_string(subj, "communication_needs", "subject.communication_needs", false, EVENT_ATTRIBUTE_MAX, false,
		       &comm, err) ||
	    get_string(subj, "disability", "subject.disability", false, EVENT_ATTRIBUTE_MAX, false, &disability, err) ||
	    get_string(subj, "ethnicity", "subject.ethnicity", false, EVENT_NAME_MAX, false, &ethnicity, err) ||
	    get_string(subj, "first_language", "subject.first_language", false, EVENT_NAME_MAX, false, &language, err))
		return -1;

	memset(s, 0, sizeof *s);
	copy_trimmed(s->given_name, sizeof s->given_name, given);
	copy_trimmed(s->middle_names, sizeof s->middle_names, middle);
	copy_trimmed(s->family_name, sizeof s->family_name, family);
	copy_trimmed(s->address, sizeof s->address, address);
	copy_trimmed(s->communication_needs, sizeof s->communication_needs, comm);
	copy_trimmed(s->disability, sizeof s->disability, disability);
	copy_trimmed(s->ethnicity, sizeof s->ethnicity, ethnicity);
	copy_trimmed(s->first_language, sizeof s->first_language, language);

	if (*dob) {
		struct date d;
		int rc = date_parse_iso(dob, &d);
		if (rc == DATE_EFORMAT) {
			api_error_set(err, 400, "invalid_format", "subject.dob", "subject.dob must be a date as YYYY-MM-DD");
			return -1;
		}
		if (rc == DATE_EIMPOSSIBLE) {
			api_error_set(err, 422, "impossible_date", "subject.dob", "subject.dob is not a real date");
			return -1;
		}
		if (date_cmp(d, ts_utc_date(now + FUTURE_TOLERANCE_SECONDS)) > 0) {
			api_error_set(err, 422, "future_date", "subject.dob", "subject.dob is in the future");
			return -1;
		}
		date_format_iso(d, s->dob);
	}
	if (*sex) {
		if (strcmp(sex, "M") && strcmp(sex, "F") && strcmp(sex, "U")) {
			api_error_set(err, 422, "invalid_value", "subject.sex",
				      "subject.sex must be \"M\", \"F\", \"U\" (unknown) or empty");
			return -1;
		}
		snprintf(s->sex, sizeof s->sex, "%s", sex);
	}
	if (*postcode && ident_postcode_normalise(postcode, s->postcode) != IDENT_OK) {
		api_error_set(err, 422, "invalid_postcode", "subject.postcode", "subject.postcode is not a UK postcode");
		return -1;
	}
	if (*nhs) {
		int rc = ident_nhs_check(nhs, s->nhs_number);
		if (rc == IDENT_EFORMAT) {
			api_error_set(err, 422, "invalid_format", "subject.nhs_number", "subject.nhs_number must be 10 digits");
			return -1;
		}
		if (rc == IDENT_ECHECK) {
			api_error_set(err, 422, "check_digit", "subject.nhs_number",
				      "subject.nhs_number has a wrong check digit: probably mistyped");
			return -1;
		}
	}
	if (*upn) {
		int rc = ident_upn_check(upn, s->upn);
		if (rc == IDENT_EFORMAT) {
			api_error_set(err, 422, "invalid_format", "subject.upn", "subject.upn must be 13 characters");
			return -1;
		}
		if (rc == IDENT_ECHECK) {
			api_error_set(err, 422, "check_digit", "subject.upn",
				      "subject.upn has a wrong check letter: probably mistyped");
			return -1;
		}
	}
	/* Someone must be identifiable: a family name, or an identifier (a newborn may have only an NHS number). */
	if (!s->family_name[0] && !s->nhs_number[0] && !s->upn[0]) {
		api_error_set(err, 400, "missing_field", "subject.family_name",
			      "subject.family_name is required unless an NHS number or UPN is given");
		return -1;
	}
	return 0;
}

/* Whether v nests at most max levels (v itself is the first). The walk stops at the first level past max, so it
 * reads at most max levels of any value (jansson read at most 2,048). */
static bool depth_within(const json_t *v, int max)
{
	if (!json_is_object(v) && !json_is_array(v))
		return true;
	if (max <= 0)
		return false;
	if (json_is_array(v)) {
		for (size_t i = 0; i < json_array_size(v); i++)
			if (!depth_within(json_array_get(v, i), max - 1))
				return false;
		return true;
	}
	const char *k;
	json_t *m;
	json_object_foreach((json_t *)v, k, m)
		if (!depth_within(m, max - 1))
			return false;
	return true;
}

/* What json_dump_callback writes, gathered into a buffer and hashed a buffer at a time (jansson hands over
 * pieces of a few bytes each: a string, a colon, a brace). */
struct hash_sink {
	crypto_generichash_state st;
	size_t n;
	unsigned char buf[1024];
};

static int hash_piece(const char *piece, size_t size, void *data)
{
	struct hash_sink *h = data;
	if (h->n + size > sizeof h->buf) {
		crypto_generichash_update(&h->st, h->buf, h->n);
		h->n = 0;
		if (size > sizeof h->buf) {
			crypto_generichash_update(&h->st, (const unsigned char *)piece, size);
			return 0;
		}
	}
	memcpy(h->buf + h->n, piece, size);
	h->n += size;
	return 0;
}

/* BLAKE2b of the document's canonical text (compact, keys sorted): crypto_generichash of json_dumps(doc,
 * JSON_COMPACT | JSON_SORT_KEYS), as it was computed before r-sqlcpu23, so that a retry sent before an upgrade
 * still matches its stored hash (tests/unit/test_intake_json.c checks the two agree). */
static int canonical_hash(const json_t *doc, unsigned char *out, size_t outlen)
{
	struct hash_sink h;
	h.n = 0;
	crypto_generichash_init(&h.st, NULL, 0, outlen);
	if (json_dump_callback(doc, hash_piece, &h, JSON_COMPACT | JSON_SORT_KEYS) != 0)
		return -1;
	crypto_generichash_update(&h.st, h.buf, h.n);
	crypto_generichash_final(&h.st, out, outlen);
	return 0;
}

int api_intake_parse(const char *body, size_t len, int64_t now, struct intake_request *rq, json_t **root,
		     char **details_text, struct api_error *err)
{
	json_error_t jerr;
	json_t *doc = NULL;
	const char *source_ref, *kind, *occurred_at, *summary;

	*root = NULL;
	*details_text = NULL;
	memset(rq, 0, sizeof *rq);
	/* JSON text never holds a raw NUL byte, but jansson lets one through after some tokens; the record is
	 * kept as text, so it would be stored cut short. */
	if (memchr(body, '\0', len)) {
		api_error_set(err, 400, "invalid_json", "", "the body is not valid JSON: it contains a NUL byte");
		return -1;
	}
	/* Duplicate keys are refused: two values for one field leave the record ambiguous. */
	doc = json_loadb(body, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
	if (!doc) {
		api_error_set(err, 400, "invalid_json", "", "the body is not valid JSON (line %d, column %d): %.120s",
			      jerr.line, jerr.column, jerr.text);
		return -1;
	}
	if (!json_is_object(doc)) {
		api_error_set(err, 400, "wrong_type", "", "the body must be a JSON object");
		goto fail;
	}
	if (check_keys(doc, top_keys, sizeof top_keys / sizeof top_keys[0], "", err) ||
	    get_string(doc, "source_ref", "source_ref", true, EVENT_SOURCE_REF_MAX, false, &source_ref, err) ||
	    get_string(doc, "kind", "kind", true, CODED_MAX, false, &kind, err) ||
	    get_string(doc, "occurred_at", "occurred_at", true, CODED_MAX, false, &occurred_at, err) ||
	    get_string(doc, "summary", "summary", true, EVENT_SUMMARY_MAX, true, &summary, err))
		goto fail;

	if (!event_kind_find(kind)) {
		api_error_set(err, 422, "unknown_kind", "kind", "kind is not a known kind of event");
		goto fail;
	}
	int64_t at;
	int rc = ts_parse_rfc3339(occurred_at, &at);
	if (rc == DATE_EFORMAT) {
		api_error_set(err, 400, "invalid_format", "occurred_at",
			      "occurred_at must be a date and time as YYYY-MM-DDTHH:MM:SSZ (or with an offset)");
		goto fail;
	}
	if (rc == DATE_EIMPOSSIBLE) {
		api_error_set(err, 422, "impossible_date", "occurred_at", "occurred_at is not a real date and time");
		goto fail;
	}
	if (at > now + FUTURE_TOLERANCE_SECONDS) {
		api_error_set(err, 422, "future_date", "occurred_at", "occurred_at is in the future");
		goto fail;
	}
	if (parse_subject(json_object_get(doc, "subject"), now, &rq->subject, err))
		goto fail;

	json_t *details = json_object_get(doc, "details");
	if (details && !json_is_null(details) && !json_is_object(details)) {
		api_error_set(err, 400, "wrong_type", "details", "details must be an object");
		goto fail;
	}
	/* Details nested past what the store's engines read alike would break every list that reads their category
	 * (VIEW_EVENT): SQLite's JSON functions fail past 2,000 levels, jansson reads 2,048 (r-review40). */
	if (details && !depth_within(details, EVENT_DETAILS_DEPTH_MAX)) {
		api_error_set(err, 400, "too_deep", "details", "details may nest at most %d levels",
			      EVENT_DETAILS_DEPTH_MAX);
		goto fail;
	}
	/* A visit's answers agree with each other and its type is one of ours (core/visit.h); older agency
	 * systems may leave the type out, so it is not required here as it is on the page. */
	if (strcmp(kind, "visit") == 0 && json_is_object(details)) {
		json_t *seen = json_object_get(details, "seen"), *alone = json_object_get(details, "seen_alone");
		json_t *type = json_object_get(details, "visit_type");
		enum visit_answer s_ans = json_is_true(seen) ? VISIT_YES : json_is_false(seen) ? VISIT_NO : VISIT_UNANSWERED;
		enum visit_answer a_ans = json_is_true(alone) ? VISIT_YES : json_is_false(alone) ? VISIT_NO : VISIT_UNANSWERED;
		if (visit_answers_check(s_ans, a_ans) != VISIT_OK) {
			api_error_set(err, 422, "inconsistent", "details.seen_alone",
				      "details.seen_alone cannot be true when details.seen is false: a child not seen was not seen alone");
			goto fail;
		}
		if (type && !json_is_null(type) && !visit_type_find(json_string_value(type))) {
			api_error_set(err, 422, "invalid_value", "details.visit_type",
				      "details.visit_type must be one of statutory_lac, cp, cin, lac_review, unannounced, "
				      "return_interview, other");
			goto fail;
		}
	}
	/* Most records have no details: "{}" is what jansson writes for an empty object, without its dump. */
	*details_text = details && json_is_object(details) && json_object_size(details) > 0
				? json_dumps(details, JSON_COMPACT | JSON_SORT_KEYS)
				: strdup("{}");
	/* The canonical form (sorted keys, no spaces) tells a retry from a different record whatever the
	 * sender's formatting. Its text is only hashed: jansson writes it into the hash a piece at a time
	 * (canonical_hash), the same bytes json_dumps would return, without building the string. */
	if (!*details_text || canonical_hash(doc, rq->payload_hash, sizeof rq->payload_hash) != 0) {
		api_error_set(err, 500, "internal", "", "out of memory");
		goto fail;
	}

	rq->source_ref = source_ref;
	rq->kind = kind;
	ts_format_utc(at, rq->occurred_at);
	rq->summary = summary;
	rq->details = *details_text;
	rq->payload = body;
	*root = doc;
	return 0;
fail:
	free(*details_text);
	*details_text = NULL;
	json_decref(doc);
	return -1;
}
