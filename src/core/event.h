/*
 * core/event.h — the vocabulary of the multi-agency chronology: agencies and kinds of event.
 *
 * Pure tables. A kind code is what an agency sends in "kind"; the label is what a practitioner reads.
 * Adding a kind is adding a row: rules (rules/) and pages look kinds up by code, never by position.
 */
#ifndef SAFEGUARD_CORE_EVENT_H
#define SAFEGUARD_CORE_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct event_kind {
	const char *code;
	const char *label;
};

struct agency_kind {
	const char *code;
	const char *name;
};

/* NULL when the code is not a known kind. */
const struct event_kind *event_kind_find(const char *code);
const struct event_kind *event_kind_at(size_t i); /* NULL past the end */

/* Statutory processes and states that open and close with events. Until the clocks issue computes episodes
 * properly, one is open when its latest start is later than its latest end. A flag is what every
 * practitioner must see at once (as NHS CP-IS shows a child protection plan or looked-after status). */
struct episode_kind {
	const char *code;
	const char *label;
	const char *start_kind, *end_kind;
	int flag;
};
const struct episode_kind *episode_kind_at(size_t i); /* NULL past the end */

/* The agency whose referral_decision answers a contact or referral: the local authority's children's social
 * care (Children Act 1989 s17 and s47; Working Together 2023: a social worker decides the next step within one
 * working day of the referral). The MASH's decisions are written as it (service/mash.c). A referral_decision
 * another agency sends (a school's, health's, the police's note of its own decision) is kept as that agency's
 * record on the chronology, but it answers no contact: the contact stays in the MASH's queue and the overdue
 * clock runs on (store/ops.c's MASH_ANSWERS, rules/rules.c's rules_answers_referral). */
#define EVENT_REFERRAL_DECIDER "social_care"

/* The agencies a new area starts with (more can be added to the store's agency table). */
const struct agency_kind *agency_builtin_at(size_t i); /* NULL past the end */

/* A record's id as it appears in a URL or a query: 1 to 18 decimal digits, no sign, no leading zero. */
bool event_parse_id(const char *s, size_t n, int64_t *out);

/* The chronology's keyset cursor, "YYYY-MM-DDTHH:MM:SSZ_ID": the page holds what is older than that
 * (time, id). Parsing fills at (21 bytes) and *id; false when s is not one. */
bool event_cursor_parse(const char *s, char at[21], int64_t *id);
#define EVENT_CURSOR_MAX 48
void event_cursor_format(const char *at, int64_t id, char out[EVENT_CURSOR_MAX]);

/* Fields' limits for intake, in characters (code points). */
#define EVENT_SOURCE_REF_MAX 100
#define EVENT_SUMMARY_MAX 2000
/* How deep details may nest (the object itself is level 1), far below what the store's engines read: SQLite 3.40's
 * JSON functions fail past 2,000 levels (newer ones past 1,000), which jansson (2,048) would have let through. */
#define EVENT_DETAILS_DEPTH_MAX 64
#define EVENT_NAME_MAX 100
#define EVENT_ADDRESS_MAX 300
#define EVENT_ATTRIBUTE_MAX 300 /* communication needs, disability */

#endif
