/* demo lado: the demonstration area's allegations against people who work with children (issue 18), entered
 * through service/lado.h as the LADO would: a residential worker with allegations at a children's home of the
 * register and, a week later, at a school under a shortened first name (the same person, confirmed: the
 * across-employers alert), a coach awaiting the employer's actions after an outcome, and a referral that
 * arrived today. Days are relative to today, so some clocks are overdue whatever the day. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "clock/now.h"
#include "core/date.h"
#include "service/lado.h"
#include "service/txq.h"

static const struct lado_who demo_lado = {"demo", "demo", "lado"};

static void day_ago(struct date today, int days, char out[DATE_ISO_LEN + 1])
{
	date_format_iso(clock_add_days(today, -days), out);
}

static int refer(store_conn *c, struct date today, int64_t person_id, const char *given, const char *family,
		 const char *dob, const char *employer, const char *urn, const char *job, int days_ago,
		 const char *referrer, const char *summary, int64_t *id, int64_t *person)
{
	char received[DATE_ISO_LEN + 1];
	day_ago(today, days_ago, received);
	struct lado_referral in = {person_id, given, family, dob, employer, urn, job, "", "", received, referrer, summary};
	struct lado_error err = {0};
	/* Entered the day it arrived, as the LADO would: a clock runs out only where the demo leaves it waiting. */
	int rc = lado_refer(c, &demo_lado, &in, clock_add_days(today, -days_ago), id, person, &err);
	if (rc == LADO_EINVALID)
		fprintf(stderr, "safeguard demo: allegation refused: %s: %s\n", err.field, err.message);
	return rc;
}

static int step(store_conn *c, struct date today, int64_t id, enum lado_step s, int days_ago, const char *choice,
		const char *notes)
{
	char day[DATE_ISO_LEN + 1];
	day_ago(today, days_ago, day);
	struct lado_step_in in = {s, day, choice, notes};
	struct lado_error err = {0};
	bool found = false;
	int rc = lado_record_step(c, &demo_lado, id, &in, clock_add_days(today, -days_ago), &found, &err);
	if (rc == LADO_EINVALID)
		fprintf(stderr, "safeguard demo: step refused: %s: %s\n", err.field, err.message);
	return rc ? rc : found ? STORE_OK : STORE_EIO;
}

static int demo_lado_run(store_conn *c, void *arg)
{
	struct date today = ts_utc_date(ts_uk_local(clock_now()));
	char urn[16] = "";
	int64_t a1, a2, a3, a4, person;
	int rc = lado_first_home_urn(c, urn);
	if (rc)
		return rc;
	if ((rc = refer(c, today, 0, "Jonathan", "Blackwood", "1984-07-12", "", urn, "Residential support worker", 14,
			"Registered manager of the home",
			"A 13-year-old resident said the worker pushed him against a wall during a night shift and told him "
			"not to tell anyone.",
			&a1, &person)) ||
	    (rc = step(c, today, a1, LADO_STEP_CONSIDERATION, 13, "threshold_met",
		       "Physical harm alleged by a child in care: the harm threshold is met.")))
		return rc;
	if ((rc = refer(c, today, person, "Jon", "Blackwood", "1984-07-12", "Northfield Primary School", "",
			"Supply teaching assistant", 7, "Headteacher, Northfield Primary School",
			"A Year 5 pupil said the assistant grabbed her arm hard enough to leave marks.", &a2, NULL)))
		return rc;
	if ((rc = refer(c, today, 0, "Priya", "Kaur", "1990-11-20", "Riverside Sports Club", "", "Swimming coach", 45,
			"Club welfare officer", "A parent said the coach sent their 14-year-old daughter private messages late at night.",
			&a3, NULL)) ||
	    (rc = step(c, today, a3, LADO_STEP_CONSIDERATION, 44, "threshold_met", "")) ||
	    (rc = step(c, today, a3, LADO_STEP_STRATEGY, 40, "",
		       "Police, children's social care and the club's chair. The police will not investigate; the club "
		       "will hold a disciplinary investigation.")) ||
	    (rc = step(c, today, a3, LADO_STEP_OUTCOME, 5, "unsubstantiated",
		       "The messages were about training times; no evidence either way about their tone.")))
		return rc;
	if ((rc = refer(c, today, 0, "Mark", "Evans", "1978-02-14", "Oakwood Academy", "", "Science teacher", 0,
			"Designated safeguarding lead, Oakwood Academy",
			"A pupil said the teacher made remarks about her body in front of the class.", &a4, NULL)))
		return rc;
	return lado_refresh(c, "demo", today); /* what fell due since */
}

int cli_demo_lado(store *st)
{
	if (txq_exec(st, demo_lado_run, NULL) != STORE_OK) {
		fprintf(stderr, "safeguard demo: cannot load the demo allegations\n");
		return -1;
	}
	return 0;
}
