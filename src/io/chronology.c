#include "io/chronology.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/event.h"

/* Ids, households and codes: bounded so that one line cannot hold a megabyte "id". */
#define CHRON_ID_MAX 200

struct ctx {
	const char *line;
	size_t len;
	struct chron_error *err;
};

/* The column of "key" as a key in the line (a quoted string followed by a colon), else 1. jansson does
 * not keep positions of values, and a reviewer fixing a line wants to be pointed at the field. */
int chron_key_column(const char *line, size_t len, const char *key)
{
	size_t klen = strlen(key);
	for (size_t i = 0; i + klen + 2 <= len; i++) {
		if (line[i] != '"' || memcmp(line + i + 1, key, klen) != 0 || line[i + 1 + klen] != '"')
			continue;
		size_t j = i + klen + 2;
		while (j < len && (line[j] == ' ' || line[j] == '\t'))
			j++;
		if (j < len && line[j] == ':')
			return i < INT32_MAX ? (int)i + 1 : 1;
	}
	return 1;
}

__attribute__((format(printf, 3, 4))) static int fail(const struct ctx *c, const char *key, const char *fmt, ...)
{
	va_list ap;
	c->err->column = key ? chron_key_column(c->line, c->len, key) : 1;
	va_start(ap, fmt);
	vsnprintf(c->err->message, sizeof c->err->message, fmt, ap);
	va_end(ap);
	/* Messages may quote the input: keep them printable ASCII for a terminal. */
	for (char *p = c->err->message; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
			*p = '?';
	return -1;
}

static char *dup_or_die(const char *s)
{
	char *d = strdup(s);
	if (!d)
		abort(); /* out of memory in a batch command: nothing sensible to go on with */
	return d;
}

/* A string field: absent or null gives *out NULL (an error when required). */
static int get_str(const struct ctx *c, json_t *o, const char *key, bool required, char **out)
{
	json_t *v = json_object_get(o, key);
	*out = NULL;
	if (!v || json_is_null(v)) {
		if (required)
			return fail(c, NULL, "%s is required", key);
		return 0;
	}
	if (!json_is_string(v))
		return fail(c, key, "%s must be a string", key);
	const char *s = json_string_value(v);
	size_t n = json_string_length(v);
	if (n == 0 && required)
		return fail(c, key, "%s must not be empty", key);
	if (n > CHRON_ID_MAX)
		return fail(c, key, "%s is longer than %d bytes", key, CHRON_ID_MAX);
	if (strlen(s) != n)
		return fail(c, key, "%s contains a NUL character", key);
	*out = dup_or_die(s);
	return 0;
}

static int get_tri(const struct ctx *c, json_t *o, const char *key, enum rules_tri *out)
{
	json_t *v = json_object_get(o, key);
	*out = RULES_UNKNOWN;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_boolean(v))
		return fail(c, key, "%s must be true or false", key);
	*out = json_is_true(v) ? RULES_YES : RULES_NO;
	return 0;
}

/* "YYYY-MM-DD", or an RFC 3339 date-time whose England date is taken (docs/RULES.md "Conventions"). */
static int get_day(const struct ctx *c, json_t *o, const char *key, bool required, struct date *day,
		   bool *has_instant, int64_t *instant)
{
	json_t *v = json_object_get(o, key);
	*has_instant = false;
	memset(day, 0, sizeof *day);
	if (!v || json_is_null(v))
		return required ? fail(c, NULL, "%s is required", key) : 0;
	if (!json_is_string(v))
		return fail(c, key, "%s must be a string", key);
	const char *s = json_string_value(v);
	if (strlen(s) == DATE_ISO_LEN) {
		int rc = date_parse_iso(s, day);
		if (rc == DATE_EIMPOSSIBLE)
			return fail(c, key, "%s is not a real date", key);
		if (rc)
			return fail(c, key, "%s must be a date (YYYY-MM-DD) or a date-time (RFC 3339)", key);
		return 0;
	}
	int rc = ts_parse_rfc3339(s, instant);
	if (rc == DATE_EIMPOSSIBLE)
		return fail(c, key, "%s is not a real date and time", key);
	if (rc)
		return fail(c, key, "%s must be a date (YYYY-MM-DD) or a date-time (RFC 3339)", key);
	*has_instant = true;
	*day = ts_utc_date(ts_uk_local(*instant));
	return 0;
}

static int parse_person(const struct ctx *c, json_t *o, struct chron_person *p)
{
	bool has_instant;
	int64_t instant;
	if (get_str(c, o, "id", true, &p->id) || get_str(c, o, "household", false, &p->household) ||
	    get_tri(c, o, "mobile", &p->child.mobile))
		return -1;
	json_t *dob = json_object_get(o, "dob");
	if (dob && json_is_string(dob) && json_string_length(dob) != DATE_ISO_LEN)
		return fail(c, "dob", "dob must be a date (YYYY-MM-DD)");
	return get_day(c, o, "dob", false, &p->child.dob, &has_instant, &instant);
}

static int parse_event(const struct ctx *c, json_t *o, struct chron_event *e)
{
	char *kind = NULL;
	int rc = -1;
	struct rules_event *ev = &e->ev;

	ev->score = -1;
	if (get_str(c, o, "id", true, &e->id) || get_str(c, o, "kind", true, &kind))
		goto out;
	/* The LADO's events (issue 18) are about a person who works with children, not an agency's record of a
	 * child: the rules know them, the chronology of a child does not. */
	if (!event_kind_find(kind) && rules_kind_from_code(kind) < RULES_LADO_REFERRAL) {
		fail(c, "kind", "kind \"%.40s\" is not a known kind of event", kind);
		goto out;
	}
	ev->kind = rules_kind_from_code(kind);
	if (get_str(c, o, "child", false, &e->child) || get_str(c, o, "agency", false, &e->agency) ||
	    get_str(c, o, "outcome", false, &e->outcome) || get_str(c, o, "employer", false, &e->employer) ||
	    get_day(c, o, "at", true, &ev->day, &ev->has_instant, &ev->instant) ||
	    get_tri(c, o, "seen", &ev->seen) || get_tri(c, o, "seen_alone", &ev->seen_alone) ||
	    get_tri(c, o, "distant", &ev->distant) || get_tri(c, o, "dcs_approved", &ev->dcs_approved) ||
	    get_tri(c, o, "independent", &ev->independent))
		goto out;
	if (ev->kind == RULES_DOMESTIC_ABUSE_INCIDENT && get_str(c, o, "household", false, &e->household))
		goto out;
	if (!e->child && !e->household) {
		fail(c, NULL, ev->kind == RULES_DOMESTIC_ABUSE_INCIDENT ? "child or household is required"
									 : "child is required");
		goto out;
	}
	json_t *score = json_object_get(o, "score");
	if (score && !json_is_null(score)) {
		/* SafeLives DASH has 24 questions: the score is how many were answered yes. */
		if (!json_is_integer(score) || json_integer_value(score) < 0 || json_integer_value(score) > 24) {
			fail(c, "score", "score must be a whole number from 0 to 24");
			goto out;
		}
		ev->score = (int)json_integer_value(score);
	}
	if (!e->agency)
		e->agency = dup_or_die("");
	ev->id = e->id;
	ev->agency = e->agency;
	ev->outcome = e->outcome;
	ev->employer = e->employer;
	rc = 0;
out:
	free(kind);
	return rc;
}

int chron_parse_line(const char *line, size_t len, struct chron_line *out, struct chron_error *err)
{
	struct ctx c = {line, len, err};
	json_error_t jerr;
	json_t *o = NULL;
	char *type = NULL;
	int rc = -1;

	memset(out, 0, sizeof *out);
	memset(err, 0, sizeof *err);
	if (len > CHRON_LINE_MAX)
		return fail(&c, NULL, "the line is longer than %d bytes", CHRON_LINE_MAX);
	if (memchr(line, '\0', len))
		return fail(&c, NULL, "the line contains a NUL byte");
	o = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!o) {
		fail(&c, NULL, "not valid JSON: %s", jerr.text);
		err->column = jerr.column > 0 ? jerr.column : 1;
		return -1;
	}
	if (!json_is_object(o)) {
		fail(&c, NULL, "a line must be a JSON object");
		goto out;
	}
	if (get_str(&c, o, "type", true, &type))
		goto out;
	if (strcmp(type, "person") == 0) {
		out->type = CHRON_PERSON;
		rc = parse_person(&c, o, &out->person);
	} else if (strcmp(type, "event") == 0) {
		out->type = CHRON_EVENT;
		rc = parse_event(&c, o, &out->event);
	} else {
		fail(&c, "type", "type \"%.40s\" is not person or event", type);
	}
out:
	if (rc)
		chron_line_release(out);
	free(type);
	json_decref(o);
	return rc;
}

void chron_line_release(struct chron_line *l)
{
	free(l->person.id);
	free(l->person.household);
	free(l->event.id);
	free(l->event.child);
	free(l->event.household);
	free(l->event.agency);
	free(l->event.outcome);
	free(l->event.employer);
	memset(l, 0, sizeof *l);
}
