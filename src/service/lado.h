/*
 * service/lado.h — allegations against people who work with children: the Local Authority Designated
 * Officer's process (issue 18; Working Together 2023 chapter 2 and Keeping Children Safe in Education 2024
 * part 4, docs/RULES.md "The LADO's clocks").
 *
 * A person here is an adult who works with children: a name, a date of birth and an employer history (a
 * children's home of the register where the employer is one). An allegation about them is entered at one
 * employer; the person is found across employers with the linkage core (names and date of birth compared as
 * record linkage compares children's), and the LADO confirms the candidate or creates a new person. Each
 * allegation then goes through its steps, each with its clock (rules/rules.h, RULES_LADO_*): the referral is
 * received; the LADO's initial consideration within 1 working day (is the harm threshold met?); a strategy
 * discussion where it is; the outcome (substantiated, false, malicious, unfounded, unsubstantiated); the
 * employer's actions. A clock that runs out raises an alert to the LADO team; a person with allegations at
 * more than one employer, or in more than one home, raises one the same day.
 *
 * Need-to-know (service/access.h, access_lado_may): the LADO reads and writes; the data protection officer
 * reads; nobody else learns whether a person is known. Every read and every write is audited with ids only.
 * Every function runs on a connection inside the caller's write transaction (the write queue's job), so the
 * audit entry commits with what it describes.
 */
#ifndef SAFEGUARD_SERVICE_LADO_H
#define SAFEGUARD_SERVICE_LADO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/date.h"
#include "store/store.h"

/* Both are answers, not failures: nothing was written but, for a refusal, its audit entry, which the caller
 * commits (a write-queue job returns 0 with them). */
enum {
	LADO_EINVALID = -100, /* bad input: err names the field */
	LADO_EDENIED = -101,  /* the role may not (audited as a refusal) */
};

#define LADO_NAME_MAX 100      /* characters */
#define LADO_EMPLOYER_MAX 200  /* characters */
#define LADO_TEXT_MAX 2000     /* characters of a summary or notes */
#define LADO_CANDIDATES_MAX 10
#define LADO_QUEUE_MAX 200
#define LADO_TEAM "LADO team"  /* who owns the LADO's alerts: every person of the lado role */

/* Who acts: the person signed in. */
struct lado_who {
	const char *actor; /* as the audit names them: "user:ID:NAME" */
	const char *username;
	const char *role;
};

/* A field the input got wrong: the form's field (and anchor) and the words of the error summary. */
struct lado_error {
	const char *field;
	char message[160];
};

/* ---- finding the person ---- */

struct lado_candidate {
	struct store_lado_person p;
	char why[200]; /* "Given name: variant. Family name: close. Date of birth: exact." */
};
/* The people who may be this one (linkage core: names and date of birth), best first. Audited
 * ("lado.person.search", the count). */
int lado_candidates(store_conn *c, const struct lado_who *w, const char *given, const char *family, const char *dob,
		    struct date today, struct lado_candidate *out, size_t max, size_t *n, struct lado_error *err);

/* ---- a new allegation ---- */

struct lado_referral {
	int64_t person_id;           /* the person the LADO confirmed; 0: a new person from the names below */
	const char *given, *family;  /* 1 to LADO_NAME_MAX characters each */
	const char *dob;             /* YYYY-MM-DD; 16 to 100 years before today */
	const char *employer;        /* the employer's name; "" when home_urn names a home of the register */
	const char *home_urn;        /* "" when the employer is not a children's home */
	const char *job;             /* their role there */
	const char *from_day, *to_day; /* "" when not known / still there */
	const char *received_on;     /* the day the LADO received the referral: not after today */
	const char *referrer;        /* who referred (name and organisation), up to 200 characters */
	const char *summary;         /* what is alleged, 10 to LADO_TEXT_MAX characters */
};
/* Writes the person (when new), the employment (an employer they already have is reused), the allegation and
 * the alerts it raises now (across employers: the same day), audited ("lado.allegation.create"). */
int lado_refer(store_conn *c, const struct lado_who *w, const struct lado_referral *in, struct date today,
	       int64_t *allegation_id, int64_t *person_id, struct lado_error *err);
/* The URN of the register's first home ("" when it has none): the demo's allegation at a children's home. */
int lado_first_home_urn(store_conn *c, char urn[16]);

/* ---- the process ---- */

enum lado_step { LADO_STEP_CONSIDERATION, LADO_STEP_STRATEGY, LADO_STEP_OUTCOME, LADO_STEP_EMPLOYER, LADO_STEP_COUNT };
const char *lado_step_code(enum lado_step s); /* "consideration", "strategy", "outcome", "employer" */
int lado_step_from_code(const char *code);    /* -1 when not one */

/* The outcomes (Keeping Children Safe in Education 2024 part 4, Working Together 2023): code, label, the
 * definition. NULL past the end. */
struct lado_outcome {
	const char *code, *label, *definition;
};
const struct lado_outcome *lado_outcome_at(size_t i);
const struct lado_outcome *lado_outcome_find(const char *code);

struct lado_step_in {
	enum lado_step step;
	const char *day;    /* YYYY-MM-DD: on or after the step before, not after today */
	const char *choice; /* consideration: "threshold_met" / "threshold_not_met"; outcome: a code; else "" */
	const char *notes;  /* up to LADO_TEXT_MAX characters; required for the strategy and the employer's actions */
};
/* Records one step in order (consideration, then strategy where the threshold was met, then outcome, then the
 * employer's actions; a step is recorded once). Resolves the alerts its clock raised, raises what falls due,
 * audited ("lado.allegation.STEP"). *found false: no such allegation (nothing written). */
int lado_record_step(store_conn *c, const struct lado_who *w, int64_t id, const struct lado_step_in *in,
		     struct date today, bool *found, struct lado_error *err);

/* What the allegation waits for: the step and when it is due; *step NULL when the process is closed. */
void lado_next(const struct store_lado_allegation *a, const char **step, struct date *due, bool *has_due);

/* ---- reads (each audited) ---- */

/* The LADO's queue: every open allegation, most overdue first (its next step's due date), and the open
 * alerts. Runs the clocks to today first. Audited "lado.queue.read". */
int lado_queue(store_conn *c, const struct lado_who *w, struct date today, store_lado_allegation_fn each_allegation,
	       store_lado_alert_fn each_alert, void *ctx);
/* The person, their employers, their allegations across them and their alerts. Audited "lado.person.read". */
int lado_person_read(store_conn *c, const struct lado_who *w, int64_t id, struct store_lado_person *out, bool *found,
		     store_lado_employment_fn each_employment, store_lado_allegation_fn each_allegation,
		     store_lado_alert_fn each_alert, void *ctx);
/* One allegation and its alerts. Audited "lado.allegation.read". */
int lado_allegation_read(store_conn *c, const struct lado_who *w, int64_t id, struct store_lado_allegation *out,
			 bool *found, store_lado_alert_fn each_alert, void *ctx);

/* Runs every open allegation's clocks to today and writes the alerts that fell due (the queue does it first;
 * the demo after loading). */
int lado_refresh(store_conn *c, const char *actor, struct date today);

/* The same in a transaction of its own: the nightly sweep and `safeguard sweep`, so that a clock runs out on
 * its day whether or not anyone opens the queue. */
int lado_sweep(store *st, struct date today);

/* An alert code's title and words ("Allegation: outcome overdue"). */
const char *lado_alert_title(const char *code);
const char *lado_alert_next(const char *code);

#endif
