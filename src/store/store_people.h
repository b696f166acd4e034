/*
 * store/store_people.h — persons, identifiers, households.
 * One part of the store's contract (issue 17): store/store.h includes every part.
 */
#ifndef SAFEGUARD_STORE_STORE_PEOPLE_H
#define SAFEGUARD_STORE_STORE_PEOPLE_H

#include "store/store_core.h"

/* ---- persons, identifiers, households ------------------------------------------------------------- */

struct store_person {
	int64_t id;
	char given_name[STORE_NAME_BYTES];
	char middle_names[STORE_NAME_BYTES];
	char family_name[STORE_NAME_BYTES];
	char dob[11]; /* YYYY-MM-DD or "" */
	char sex[2];  /* "M", "F", "U" or "" */
	char postcode[9];
	char address[STORE_ADDR_BYTES];
	char match_key[STORE_NAME_BYTES * 2 + 12]; /* deterministic identity key, or "" (service/identity.c) */
	char created_at[STORE_TS_LEN + 1];
	/* Folded names (core/text.h) for search; written on insert, not read back. */
	char given_fold[STORE_NAME_BYTES];
	char family_fold[STORE_NAME_BYTES];
	/* What a practitioner must know before meeting the child; the latest an agency sent. */
	char communication_needs[STORE_ATTR_BYTES]; /* "non-verbal; uses Makaton", "PECS", ... */
	char disability[STORE_ATTR_BYTES];
	char ethnicity[STORE_NAME_BYTES];
	char first_language[STORE_NAME_BYTES];
};

int store_person_insert(store_conn *c, const struct store_person *p, int64_t *id);
int store_person_get(store_conn *c, int64_t id, struct store_person *out, bool *found);
int store_person_exists(store_conn *c, int64_t id, bool *found);
/* Sets the attributes (communication needs, disability, ethnicity, first language) that p holds non-empty;
 * the others keep their values. */
int store_person_update_attributes(store_conn *c, int64_t id, const struct store_person *p);

/* Finding children for a practitioner's search; sealed persons only when the view shows them. Every set
 * field must match; prefixes are of folded names (core/text.h); dob_alt is a second date accepted (day and month
 * swapped). fn gets each person (no match key). */
struct store_search {
	const char *nhs, *upn;                   /* exact identifiers: used alone when set */
	const char *family_prefix, *given_prefix; /* folded, "" for any */
	const char *dob, *dob_alt;                /* YYYY-MM-DD or "" */
	int limit;
};
typedef int (*store_person_fn)(const struct store_person *p, void *ctx);
int store_person_search(store_conn *c, const struct store_view *v, const struct store_search *q, store_person_fn fn,
			void *ctx);
/* The person holding an identifier of this kind ("nhs", "upn"); 0 when none. */
int store_person_by_identifier(store_conn *c, const char *kind, const char *value, int64_t *person_id);
/* The oldest person with this match key; 0 when none. For tests and tools: the key has no index (migration 33),
 * so this reads the whole person table. */
int store_person_by_match_key(store_conn *c, const char *key, int64_t *person_id);

/* Adds the identifier unless the person already has it. */
int store_identifier_add(store_conn *c, int64_t person_id, const char *kind, const char *value,
			 int64_t source_record_id);
typedef int (*store_identifier_fn)(const char *kind, const char *value, const char *first_seen, void *ctx);
int store_identifiers_each(store_conn *c, int64_t person_id, store_identifier_fn fn, void *ctx);

/* The household at a normalised address key, created if new; the person is recorded as living there.
 * household_id may be NULL (intake: nothing then waits for the household's id on PostgreSQL). */
int store_household_join(store_conn *c, const char *key, const char *postcode, const char *address,
			 int64_t person_id, const char *seen_at, int64_t *household_id);

struct store_household {
	int64_t id;
	char postcode[9];
	char address[STORE_ADDR_BYTES];
	char last_seen[STORE_TS_LEN + 1];
};
typedef int (*store_household_fn)(const struct store_household *h, void *ctx);
/* The person's households, most recently seen first. */
int store_households_of(store_conn *c, int64_t person_id, store_household_fn fn, void *ctx);
int store_household_members(store_conn *c, const struct store_view *v, int64_t household_id, store_person_fn fn,
			    void *ctx);

#endif
