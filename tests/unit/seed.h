/*
 * tests/unit/seed.h — a child and an agency's event written straight through the store, for the unit tests
 * that need a small area of their own (what one event says about another: test_mash_view, test_summary_view,
 * test_event_view_agree). Each event gets its own source record, as intake writes one. Header-only (static
 * inline), after <cmocka.h> and "fixture.h", because each test is one translation unit.
 */
#ifndef SAFEGUARD_TESTS_SEED_H
#define SAFEGUARD_TESTS_SEED_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"

/* A child born 6 May 2014. */
static inline int64_t seed_child(store_conn *c, const char *given, const char *family)
{
	struct store_person *p = calloc(1, sizeof *p);
	int64_t id = 0;
	assert_non_null(p);
	snprintf(p->given_name, sizeof p->given_name, "%s", given);
	snprintf(p->family_name, sizeof p->family_name, "%s", family);
	snprintf(p->dob, sizeof p->dob, "2014-05-06");
	assert_int_equal(store_person_insert(c, p, &id), STORE_OK);
	free(p);
	return id;
}

/* AGENCY's event of KIND at AT on the child, with DETAILS (JSON text) and the summary "summary". */
static inline int64_t seed_event(store_conn *c, int64_t person_id, const char *agency, const char *kind,
				 const char *at, const char *details)
{
	static int refs;
	char ref[32];
	struct store_source_record r;
	struct store_event e;
	int64_t source_id = 0, id = 0;
	snprintf(ref, sizeof ref, "SEED-%d", ++refs);
	memset(&r, 0, sizeof r);
	snprintf(r.agency, sizeof r.agency, "%s", agency);
	r.source_ref = ref;
	r.payload = "{}";
	r.person_id = person_id;
	r.link_score = 1.0;
	r.link_rule = "record";
	assert_int_equal(store_source_insert(c, &r, &source_id), STORE_OK);
	memset(&e, 0, sizeof e);
	e.person_id = person_id;
	e.source_record_id = source_id;
	snprintf(e.agency, sizeof e.agency, "%s", agency);
	snprintf(e.kind, sizeof e.kind, "%s", kind);
	snprintf(e.occurred_at, sizeof e.occurred_at, "%s", at);
	e.summary = "summary";
	e.details = details;
	assert_int_equal(store_event_insert(c, &e, &id), STORE_OK);
	return id;
}

/* fx_setup and the three agencies these tests read: social care, police, health; a connection left in f->c. */
static inline int seed_setup(void **state)
{
	if (fx_setup(state))
		return -1;
	struct fx *f = *state;
	if (!(f->c = store_conn_get(f->st)) || store_begin(f->c) != STORE_OK)
		return -1;
	const char *ag[][2] = {{"social_care", "Children's social care"}, {"police", "Police"}, {"health", "Health"}};
	for (size_t i = 0; i < 3; i++)
		if (store_agency_upsert(f->c, ag[i][0], ag[i][1]) != STORE_OK)
			return -1;
	return store_commit(f->c) == STORE_OK ? 0 : -1;
}

#endif
