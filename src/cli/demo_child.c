/* demo child: the demonstration area's legal statuses and contacts (issue 15), so that the child's summary
 * card and the flag answer show at work: the teams' office-hours and out-of-hours numbers, and among the
 * children allocated to the demo worker one on a child protection plan, one looked after, one on a child in
 * need plan and one missing now (on a plan too). Children placed in children's homes come from demo_homes.c:
 * they are looked after by their placement. Recorded through intake as social care's records, on the
 * children's own records (known_child_id). */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "clock/now.h"
#include "core/date.h"
#include "service/intake.h"
#include "service/summary.h"
#include "service/txq.h"

/* Ofcom's numbers for drama (Leeds, 0113 496 0000 to 0999): never anyone's real line. */
static const struct {
	const char *team, *phone, *ooh, *email;
} contacts[] = {
	{"mash", "0113 496 0100", "0113 496 0999", "mash@demo.safeguard.invalid"},
	{"north", "0113 496 0200", "0113 496 0999", "north.team@demo.safeguard.invalid"},
};

/* Which of the demo worker's children (every fifth from the first), what is recorded, how many days ago. */
static const struct {
	int offset;
	const char *kind;
	int days_ago, hour;
	const char *summary, *details;
} events[] = {
	{0, "cp_plan_start", 240, 11, "Initial child protection conference: child protection plan made (neglect).",
	 "{\"category\":\"neglect\"}"},
	{5, "lac_start", 400, 15, "Accommodated under section 20; foster placement.", "{}"},
	{10, "cin_plan_start", 90, 10, "Child in need plan agreed at the child in need meeting.", "{}"},
	{15, "cp_plan_start", 120, 14, "Initial child protection conference: child protection plan made (emotional abuse).",
	 "{\"category\":\"emotional\"}"},
	{15, "missing_start", 1, 22, "Reported missing by the carer: not home by the agreed time.", "{}"},
};

struct demo_child_args {
	int64_t first_child, now;
};

static int demo_child_run(store_conn *c, void *arg)
{
	const struct demo_child_args *a = arg;
	int rc;
	for (size_t i = 0; i < sizeof contacts / sizeof contacts[0]; i++) {
		struct store_team_contact t;
		bool found = false;
		memset(&t, 0, sizeof t);
		snprintf(t.team.code, sizeof t.team.code, "%s", contacts[i].team);
		snprintf(t.phone, sizeof t.phone, "%s", contacts[i].phone);
		snprintf(t.out_of_hours_phone, sizeof t.out_of_hours_phone, "%s", contacts[i].ooh);
		snprintf(t.email, sizeof t.email, "%s", contacts[i].email);
		if ((rc = summary_team_contact_set(c, "demo", &t, &found)) != STORE_OK)
			return rc;
	}
	for (size_t i = 0; i < sizeof events / sizeof events[0]; i++) {
		struct intake_request rq;
		struct intake_result res;
		char ref[64];
		memset(&rq, 0, sizeof rq);
		int64_t day = (a->now / 86400 - events[i].days_ago) * 86400;
		ts_format_utc(day + events[i].hour * 3600, rq.occurred_at);
		snprintf(ref, sizeof ref, "demo-status-%zu", i);
		snprintf(rq.agency, sizeof rq.agency, "social_care");
		rq.actor = "demo:social_care";
		rq.source_ref = ref;
		rq.kind = events[i].kind;
		rq.summary = events[i].summary;
		rq.details = events[i].details;
		rq.payload = events[i].summary;
		crypto_generichash(rq.payload_hash, sizeof rq.payload_hash, (const unsigned char *)ref, strlen(ref), NULL, 0);
		rq.known_child_id = a->first_child + events[i].offset;
		if ((rc = intake_apply(c, &rq, &res)) != STORE_OK)
			return rc;
	}
	return STORE_OK;
}

int cli_demo_children(store *st, int64_t first_child)
{
	struct demo_child_args a = {first_child, clock_now()};
	return txq_exec(st, demo_child_run, &a) == STORE_OK ? 0 : -1;
}
