#include "service/identity.h"

#include <stdio.h>
#include <string.h>

#include "core/text.h"

void identity_match_key(const struct identity_subject *s, char *out, size_t outsz)
{
	char given[STORE_NAME_BYTES], family[STORE_NAME_BYTES];
	out[0] = '\0';
	if (!s->dob[0] || text_name_fold(s->given_name, given, sizeof given) <= 0 ||
	    text_name_fold(s->family_name, family, sizeof family) <= 0)
		return;
	/* '|' never survives folding, so the parts cannot run into each other. */
	snprintf(out, outsz, "%s|%s|%s", family, given, s->dob);
}

struct conflict_walk {
	const struct identity_subject *s;
	bool conflict;
};

static int find_conflict(const char *kind, const char *value, const char *first_seen, void *ctx)
{
	struct conflict_walk *w = ctx;
	if ((strcmp(kind, "nhs") == 0 && w->s->nhs_number[0] && strcmp(value, w->s->nhs_number) != 0) ||
	    (strcmp(kind, "upn") == 0 && w->s->upn[0] && strcmp(value, w->s->upn) != 0))
		w->conflict = true;
	return 0;
}

int identity_resolve(store_conn *c, const struct identity_subject *s, struct identity_match *m)
{
	int rc;
	struct store_person p;
	memset(&p, 0, sizeof p);
	m->person_id = 0;
	m->score = 1.0;
	if (s->nhs_number[0]) {
		if ((rc = store_person_by_identifier(c, "nhs", s->nhs_number, &m->person_id)) != STORE_OK)
			return rc;
		if (m->person_id) {
			m->rule = "nhs";
			goto found;
		}
	}
	if (s->upn[0]) {
		if ((rc = store_person_by_identifier(c, "upn", s->upn, &m->person_id)) != STORE_OK)
			return rc;
		if (m->person_id) {
			m->rule = "upn";
			goto found;
		}
	}
	identity_match_key(s, p.match_key, sizeof p.match_key);
	if (p.match_key[0]) {
		if ((rc = store_person_by_match_key(c, p.match_key, &m->person_id)) != STORE_OK)
			return rc;
		if (m->person_id && (s->nhs_number[0] || s->upn[0])) {
			struct conflict_walk w = {s, false};
			if ((rc = store_identifiers_each(c, m->person_id, find_conflict, &w)) != STORE_OK)
				return rc;
			if (w.conflict)
				m->person_id = 0; /* same name and birthday, different child */
		}
		if (m->person_id) {
			m->rule = "name_dob";
			goto found;
		}
	}
	memcpy(p.given_name, s->given_name, sizeof p.given_name);
	memcpy(p.middle_names, s->middle_names, sizeof p.middle_names);
	memcpy(p.family_name, s->family_name, sizeof p.family_name);
	memcpy(p.dob, s->dob, sizeof p.dob);
	memcpy(p.sex, s->sex, sizeof p.sex);
	memcpy(p.postcode, s->postcode, sizeof p.postcode);
	memcpy(p.address, s->address, sizeof p.address);
	if (text_name_fold(s->given_name, p.given_fold, sizeof p.given_fold) < 0 ||
	    text_name_fold(s->family_name, p.family_fold, sizeof p.family_fold) < 0)
		return STORE_EIO; /* cannot happen: a fold is never longer than its name */
	memcpy(p.communication_needs, s->communication_needs, sizeof p.communication_needs);
	memcpy(p.disability, s->disability, sizeof p.disability);
	memcpy(p.ethnicity, s->ethnicity, sizeof p.ethnicity);
	memcpy(p.first_language, s->first_language, sizeof p.first_language);
	m->rule = "new";
	return store_person_insert(c, &p, &m->person_id);

found:
	if (!s->communication_needs[0] && !s->disability[0] && !s->ethnicity[0] && !s->first_language[0])
		return STORE_OK;
	memcpy(p.communication_needs, s->communication_needs, sizeof p.communication_needs);
	memcpy(p.disability, s->disability, sizeof p.disability);
	memcpy(p.ethnicity, s->ethnicity, sizeof p.ethnicity);
	memcpy(p.first_language, s->first_language, sizeof p.first_language);
	return store_person_update_attributes(c, m->person_id, &p);
}
