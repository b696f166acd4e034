#include "service/intake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock/now.h"
#include "core/text.h"
#include "service/access.h"
#include "service/alerts.h"
#include "service/audit.h"
#include "service/linkreview.h"

/* A household is an address: postcode plus the folded first line. Both are needed: a postcode alone
 * covers a street, an address line alone repeats across towns. */
static void household_key(const struct identity_subject *s, char *out, size_t outsz)
{
	char addr[STORE_ADDR_BYTES];
	out[0] = '\0';
	if (!s->postcode[0] || text_name_fold(s->address, addr, sizeof addr) <= 0)
		return;
	snprintf(out, outsz, "%s|%s", s->postcode, addr);
}

static int apply_record(store_conn *c, const struct intake_request *rq, const struct identity_match *mp,
			bool private_record, struct intake_result *res);

/* Whether readers outside health may not see the record (health's, under a health-only category), by the
 * store's rule (VIEW_EVENT's category part: store_details_shown). Such a record joins no household, sets
 * none of the child's attributes (communication needs, disability, ethnicity, first language) and dates none
 * of the identifiers it gives (first_seen "", r-ntk23): the record page shows the latest household as where
 * the child lives, with who lives there, and the attributes, and the API each identifier's first_seen and the
 * household's last_seen, to readers the chronology hides the record from (r-review40). Details with neither
 * "category" nor an escape in their text have no category the rule could read: not asked (on PostgreSQL the
 * question is a round trip). */
static int record_private(store_conn *c, const struct intake_request *rq, bool *private_record)
{
	const char *d = rq->details ? rq->details : "{}";
	bool shown = true;
	*private_record = false;
	if (strcmp(rq->agency, ACCESS_HEALTH_AGENCY) != 0 || (!strstr(d, "category") && !strstr(d, "\\u")))
		return STORE_OK;
	struct store_view outside;
	access_outside_health_view(&outside);
	int rc = store_details_shown(c, &outside, d, &shown);
	*private_record = rc == STORE_OK && !shown;
	return rc;
}

int intake_apply(store_conn *c, const struct intake_request *rq, struct intake_result *res)
{
	struct store_source_record src;
	bool found = false;
	int rc;

	memset(res, 0, sizeof *res);
	if ((rc = store_source_find(c, rq->agency, rq->source_ref, &src, &found)) != STORE_OK)
		return rc;
	if (found) {
		/* Agency feeds retry: the same record again is answered with what it became. */
		res->outcome = memcmp(src.payload_hash, rq->payload_hash, sizeof src.payload_hash) == 0
				       ? INTAKE_REPLAYED
				       : INTAKE_CONFLICT;
		res->event_id = src.event_id;
		res->child_id = src.person_id;
		return STORE_OK;
	}

	bool private_record = false;
	if ((rc = record_private(c, rq, &private_record)) != STORE_OK)
		return rc;
	struct identity_match m = {.person_id = rq->known_child_id, .score = 1.0, .rule = "record"};
	if (m.person_id) {
		bool exists = false;
		if ((rc = store_person_exists(c, m.person_id, &exists)) != STORE_OK)
			return rc;
		if (!exists) {
			res->outcome = INTAKE_NO_CHILD;
			return STORE_OK;
		}
	} else {
		/* Scored with the sending agency's m where the trained model has one. */
		struct identity_subject *s = malloc(sizeof *s);
		if (!s)
			return STORE_EIO;
		*s = rq->subject;
		snprintf(s->agency, sizeof s->agency, "%s", rq->agency);
		if (private_record) /* none of the child's attributes from it: record_private */
			s->communication_needs[0] = s->disability[0] = s->ethnicity[0] = s->first_language[0] = '\0';
		rc = identity_resolve_ready(c, s, rq->ready, &m);
		free(s);
		if (rc != STORE_OK)
			return rc;
	}
	rc = apply_record(c, rq, &m, private_record, res);
	identity_match_free(&m);
	return rc;
}

void intake_prepare(struct intake_request *rq)
{
	household_key(&rq->subject, rq->household_key, sizeof rq->household_key);
	rq->household_ready = true;
	if (!rq->known_child_id && !rq->ready)
		rq->ready = identity_ready_make(&rq->subject);
}

void intake_release(struct intake_request *rq)
{
	identity_ready_free(rq->ready);
	rq->ready = NULL;
}

int intake_ahead(store_conn *c, const struct intake_request *const *rqs, int n)
{
	const char **v = n > 0 ? malloc(3 * (size_t)n * sizeof *v) : NULL;
	if (!v)
		return STORE_OK; /* nothing asked ahead: each record asks for itself */
	for (int i = 0; i < n; i++) {
		v[i] = rqs[i]->agency;
		v[n + i] = rqs[i]->source_ref;
		/* the household apply_record names (a private record names none, and its statement writes none:
		 * the key asked is then only not used) */
		v[2 * n + i] = rqs[i]->household_ready ? rqs[i]->household_key : "";
	}
	int rc = store_source_absent_ahead(c, v, v + n, v + 2 * n, n);
	free(v);
	if (rc != STORE_OK)
		return rc;
	/* and the candidates of the records that will search for their child, in one statement (issue 17) */
	const struct identity_subject **s = malloc((size_t)n * sizeof *s);
	if (!s)
		return STORE_OK;
	int m = 0;
	for (int i = 0; i < n; i++)
		if (!rqs[i]->known_child_id)
			s[m++] = &rqs[i]->subject;
	rc = m > 0 ? identity_resolve_ahead(c, s, m) : STORE_OK;
	free(s);
	return rc;
}

/* The record on its person: source record, blocking keys, identifiers, household, event, review task, audit,
 * rules. */
static int apply_record(store_conn *c, const struct intake_request *rq, const struct identity_match *mp,
			bool private_record, struct intake_result *res)
{
	struct store_source_record src;
	const struct identity_match m = *mp;
	int rc;
	char object[48];

	memset(&src, 0, sizeof src);
	memcpy(src.agency, rq->agency, sizeof src.agency);
	src.source_ref = rq->source_ref;
	memcpy(src.payload_hash, rq->payload_hash, sizeof src.payload_hash);
	src.payload = rq->payload;
	src.person_id = m.person_id;
	src.link_score = m.score;
	src.link_rule = m.rule;
	struct store_event e;
	memset(&e, 0, sizeof e);
	e.person_id = m.person_id;
	memcpy(e.agency, rq->agency, sizeof e.agency);
	snprintf(e.kind, sizeof e.kind, "%s", rq->kind);
	memcpy(e.occurred_at, rq->occurred_at, sizeof e.occurred_at);
	e.summary = rq->summary;
	e.details = rq->details;
	/* The record and its event together: on PostgreSQL one statement (issue 17), with what is set below. */
	/* The person's blocking keys grow with each record (a practitioner's entry on the child's own page
	 * describes no one new): written with the record, on PostgreSQL in its statement (issue 17). */
	char *keys_made = NULL;
	if (!rq->known_child_id && !(src.block_keys = identity_keys(&rq->subject, &m, &keys_made)))
		return STORE_EIO;
	/* and its identifiers and household on the person, likewise (on PostgreSQL in the record's statement:
	 * issue 17) */
	src.nhs_number = rq->subject.nhs_number;
	src.upn = rq->subject.upn;
	src.identifiers_undated = private_record; /* nor dates them: record_private */
	char hkey[sizeof rq->household_key];
	if (rq->household_ready)
		src.household_key = rq->household_key;
	else {
		household_key(&rq->subject, hkey, sizeof hkey);
		src.household_key = hkey;
	}
	if (private_record)
		src.household_key = ""; /* a health-only record joins no household: record_private */
	src.household_postcode = rq->subject.postcode;
	src.household_address = rq->subject.address;
	src.household_seen_at = rq->occurred_at;
	int64_t source_id = 0;
	rc = store_source_event_insert(c, &src, &e, &source_id, &res->event_id);
	free(keys_made);
	if (rc != STORE_OK)
		return rc;

	snprintf(object, sizeof object, "event:%lld", (long long)res->event_id);
	struct store_audit a = {
		.actor = rq->actor,
		.action = "event.create",
		.child_id = m.person_id,
		.object = object,
		.detail = m.rule, /* how the child was found: no personal data */
	};
	if ((rc = audit_append(c, &a)) != STORE_OK)
		return rc;
	if (m.review_candidate) {
		int64_t review_id;
		if ((rc = linkreview_queue(c, rq->actor, source_id, m.person_id, &rq->subject, &m, &review_id)) != STORE_OK)
			return rc;
		res->review_id = review_id;
	}

	/* The rules see the event in the same transaction: an alert is never missing for a stored event. */
	struct alerts_config defaults;
	const struct alerts_config *cfg = rq->alerts;
	if (!cfg) {
		alerts_config_default(&defaults);
		cfg = &defaults;
	}
	struct date today = rq->today;
	if (!date_valid(today))
		today = ts_utc_date(ts_uk_local(clock_now()));
	if ((rc = alerts_on_event_dob(c, cfg, m.person_id, m.dob_known ? m.dob : NULL, rq->kind, today,
				      &res->alerts_raised)) != STORE_OK)
		return rc;
	res->outcome = INTAKE_CREATED;
	res->child_id = m.person_id;
	res->link_rule = m.rule;
	return STORE_OK;
}
