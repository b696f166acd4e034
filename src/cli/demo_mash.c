/* demo mash: the demonstration area's MASH queue at work. The synthetic families' contacts and referrals are
 * all social care's and years old; this adds this fortnight's contacts from the police, health, schools and
 * housing about children the area knows (one arriving today, so not every item is overdue), and records
 * the MASH's decision on the oldest few through service/mash.h, each with its reason, as a MASH worker would:
 * so the queue shows several agencies and ages, and "decided" has content. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "clock/now.h"
#include "core/date.h"
#include "service/alerts.h"
#include "service/intake.h"
#include "service/mash.h"
#include "service/txq.h"

#define DEMO_CONTACTS 16
#define DEMO_DECIDED 12

static const struct {
	const char *agency, *summary;
} contacts[] = {
	{"police", "Called to the home at 23:10: shouting, a broken window; the child was awake and frightened."},
	{"health", "Seen in A&E with a burn to the forearm; the explanation changed between the nurse and the doctor."},
	{"education", "Has come to school hungry most days this month and asked staff not to phone home."},
	{"housing", "Family served notice to leave; the flat has no working heating and damp in the child's room."},
	{"police", "Found by officers at 01:30 in the town centre with older teenagers; said she did not want to go home."},
	{"health", "Health visitor: the baby has lost weight and missed two appointments; mother low in mood."},
	{"education", "Disclosed to a teaching assistant that a parent's partner hits him when he is late home."},
	{"police", "Domestic abuse incident at the address; the child was present and saw the assault."},
};

static const struct {
	const char *outcome, *reason;
} decisions[] = {
	{"nfa", "Checked with school and GP: the family is known and coping; no concerns for the child's safety."},
	{"early_help", "Needs are about housing and money: referred to the family hub with the parents' agreement."},
	{"s17", "A parent's illness leaves the child caring for younger siblings: assess the family's needs."},
	{"s47", "Disclosure of physical harm by an adult in the home: reasonable cause to suspect significant harm."},
};

struct demo_mash {
	int64_t now;
	int64_t ids[DEMO_DECIDED];
	int n;
};

static int demo_mash_run(store_conn *c, void *arg)
{
	struct demo_mash *d = arg;
	struct alerts_config cfg;
	int rc;
	alerts_config_default(&cfg);

	/* The oldest items first, before this fortnight's contacts join the queue. */
	if ((rc = mash_oldest_awaiting(c, d->ids, DEMO_DECIDED, &d->n)) != STORE_OK)
		return rc;
	const struct access_writer w = {0, "mash.worker", "social_care", "mash_worker"};
	for (int i = 0; i < d->n; i++) {
		struct mash_decision md = {.writer = &w, .actor = "demo", .event_id = d->ids[i],
					   .outcome = decisions[i % 4].outcome, .reason = decisions[i % 4].reason,
					   .alerts = &cfg, .now = d->now - (int64_t)(d->n - i) * 3600};
		if ((rc = mash_decide(c, &md)) != STORE_OK)
			return rc;
	}

	/* This fortnight's contacts, about children the area already knows: every third child of the first 48. */
	for (int i = 0; i < DEMO_CONTACTS; i++) {
		int64_t child = 7 + 3 * i; /* intake refuses an id that holds no child (INTAKE_NO_CHILD): skipped */
		const size_t k = (size_t)i % (sizeof contacts / sizeof contacts[0]);
		char ref[48], details[] = "{}";
		snprintf(ref, sizeof ref, "demo-mash-%d", i);
		struct intake_request rq = {.actor = "demo", .source_ref = ref, .kind = "contact",
					    .summary = contacts[k].summary, .details = details, .payload = details,
					    .known_child_id = child, .alerts = &cfg};
		snprintf(rq.agency, sizeof rq.agency, "%s", contacts[k].agency);
		/* From 13 days ago to an hour ago, a day apart. */
		ts_format_utc(d->now - (int64_t)(DEMO_CONTACTS - 1 - i) * 86400 * 13 / (DEMO_CONTACTS - 1) - 3600,
			      rq.occurred_at);
		crypto_generichash(rq.payload_hash, sizeof rq.payload_hash, (const unsigned char *)ref, strlen(ref), NULL,
				   0);
		struct intake_result res;
		if ((rc = intake_apply(c, &rq, &res)) != STORE_OK)
			return rc;
	}
	return STORE_OK;
}

int cli_demo_mash(store *st)
{
	struct demo_mash d = {.now = clock_now()};
	return txq_exec(st, demo_mash_run, &d) == STORE_OK ? 0 : -1;
}
