/*
 * service/identity.h — who is this record about? Finds or creates the person an agency record describes.
 *
 * This is the seam the record-linkage issue replaces: intake asks identity_resolve() and records the
 * answer (the person, a score and the rule that decided) with the source record, whatever the method.
 *
 * Today's method is deterministic, in order: a valid NHS number already held by a person; a valid UPN
 * already held; the same folded given name, family name and date of birth, unless the record carries an
 * NHS number or UPN and that person holds a different one of the same kind (two children, never merged on
 * a name); else a new person.
 *
 * NEEDSWORK: when several persons share a name and date of birth (after such a refusal), a record with no
 * identifier joins the oldest. The record-linkage issue replaces this with scores and a review queue.
 */
#ifndef SAFEGUARD_SERVICE_IDENTITY_H
#define SAFEGUARD_SERVICE_IDENTITY_H

#include "store/store.h"

/* A subject as intake validated it: normalised identifiers, ISO date, trimmed names. */
struct identity_subject {
	char given_name[STORE_NAME_BYTES];
	char middle_names[STORE_NAME_BYTES];
	char family_name[STORE_NAME_BYTES];
	char dob[11];
	char sex[2];
	char postcode[9];
	char address[STORE_ADDR_BYTES];
	char nhs_number[11];
	char upn[14];
	char communication_needs[STORE_ATTR_BYTES];
	char disability[STORE_ATTR_BYTES];
	char ethnicity[STORE_NAME_BYTES];
	char first_language[STORE_NAME_BYTES];
};

struct identity_match {
	int64_t person_id;
	double score;     /* 1.0 for a deterministic link or a new person */
	const char *rule; /* "nhs", "upn", "name_dob" or "new" (static strings) */
};

/* The key that joins records on name and date of birth, or "" when a part is missing. */
void identity_match_key(const struct identity_subject *s, char *out, size_t outsz);

/* Finds the person or creates one (inside the caller's transaction). A found person takes the subject's
 * non-empty attributes (communication needs, disability, ethnicity, language): the latest an agency sent. */
int identity_resolve(store_conn *c, const struct identity_subject *s, struct identity_match *m);

#endif
