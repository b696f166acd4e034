/*
 * service/intake.h — an agency's record arrives: find the child, keep what was sent, add it to the
 * chronology, audit it. All in the caller's transaction (a txq job), so it lands whole or not at all.
 */
#ifndef SAFEGUARD_SERVICE_INTAKE_H
#define SAFEGUARD_SERVICE_INTAKE_H

#include <stdint.h>

struct alerts_config;

#include "core/date.h"
#include "service/identity.h"
#include "store/store.h"

struct intake_request {
	const char *actor; /* for the audit: "client:3:police" */
	char agency[STORE_CODE_MAX + 1];
	const char *source_ref;
	const char *kind;
	char occurred_at[STORE_TS_LEN + 1]; /* UTC */
	struct identity_subject subject;
	const char *summary;
	const char *details; /* a JSON object as text */
	const char *payload; /* the whole request as sent */
	uint8_t payload_hash[32];
	/* When a practitioner records on a child's own record, the child is known: no identity resolution. */
	int64_t known_child_id;
	/* The rules run on the new event in the same transaction (service/alerts.h): with these settings, or
	 * the defaults when NULL, up to today (England's date now when left {0,0,0}). */
	const struct alerts_config *alerts;
	struct date today;
	/* Made from the record alone before it is queued, on the request's thread (intake_prepare, issue 17: the
	 * one writer then does not): identity's keys and subject (NULL: intake_apply makes them), the household's
	 * key (household_ready false: likewise). Zeroed with the rest of the request until then. Once prepared, the
	 * request owns heap memory (ready): pass it by pointer, never copy it by value (two copies would free it
	 * twice); intake_release frees it once, when the request is done with, and leaves ready NULL. */
	struct identity_ready *ready;
	bool household_ready;
	char household_key[16 + STORE_ADDR_BYTES];
};

enum intake_outcome {
	INTAKE_CREATED,  /* new event */
	INTAKE_REPLAYED, /* the same agency sent the same record again: nothing written */
	INTAKE_CONFLICT, /* the same agency reused a source_ref for a different record: nothing written */
	INTAKE_NO_CHILD, /* known_child_id names no child: nothing written */
};

struct intake_result {
	enum intake_outcome outcome;
	int64_t event_id;
	int64_t child_id;
	const char *link_rule; /* service/identity.h: "score", "review", "new"; "record" for a known child */
	int64_t review_id;     /* the review task queued (service/linkreview.h), or 0 */
	int alerts_raised;
};

/* Must run inside a write transaction. */
int intake_apply(store_conn *c, const struct intake_request *rq, struct intake_result *res);
/* Outside any transaction, once the request is whole: makes what intake_apply needs from the record alone
 * (rq->ready, rq->household_key), so that the writer's transaction does not; what it cannot make (out of
 * memory) intake_apply makes itself, with the same outcome. intake_release frees it. */
void intake_prepare(struct intake_request *rq);
void intake_release(struct intake_request *rq);
/* Inside a write transaction, before the records' intake_apply (as a txq job's `ahead`, issue 17): whether each
 * record was sent before is asked of the store once for all (store_source_absent_ahead), so that intake_apply
 * asks again only for those that were, or that came twice. The outcome of each is the same either way. */
int intake_ahead(store_conn *c, const struct intake_request *const *rqs, int n);

#endif
