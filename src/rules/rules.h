/*
 * rules/rules.h — safeguarding rules: one child's events in date order, the alerts the rules raise and on
 * which day. The statutory clocks of DOMAIN.md are computed here from events, never typed in.
 *
 * Pure: no I/O, no allocation, no global mutable state, no clock reads. The same events and settings give
 * the same alerts on every machine, which is what `safeguard replay` (the serious case reviewer's "what
 * would have been flagged, and when?"), the intake transaction and the daily sweep all rely on.
 *
 * Conventions (the decisions where the guidance is silent are written next to each rule in rules.c):
 *   - Days are England's local dates. The caller converts an instant with an offset to Europe/London
 *     before taking its date (core/date.h ts_uk_local) and passes both the day and, when it knew one, the
 *     instant.
 *   - An overdue alert is raised on the first calendar day after its due date, if the clock has not been
 *     met by the end of the due date. An event-triggered alert is raised on the event's day.
 *   - Each deadline raises at most one alert; the clock then waits for the event that meets it and
 *     restarts from there (one missed visit is one alert, not one a day).
 *   - Events must be sorted by day, then instant (a day-only event sorts before timed events of its day),
 *     then the caller's order. rules_evaluate refuses unsorted input with RULES_EUNSORTED.
 *   - A household's domestic abuse incident is given to each child of the household: the caller routes it.
 */
#ifndef SAFEGUARD_RULES_RULES_H
#define SAFEGUARD_RULES_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "clock/clock.h"
#include "core/date.h"
#include "core/event.h"

enum {
	RULES_OK = 0,
	RULES_EUNSORTED = -1, /* events not in (day, instant) order */
	RULES_EINVALID = -2,  /* an invalid day, or a NULL argument */
	RULES_ECAPACITY = -3, /* more than 32 referrals awaiting a decision, or returns awaiting an interview */
	/* the emit callback's own negative value is passed back unchanged */
};

/* ---- Settings ----------------------------------------------------------------------------------- */

/* Every number a rule uses, named once. rules_settings_default fills the national and usual local values
 * (sources in rules.c). Local authorities change the local ones through `--settings` or the service's
 * configuration; calendar may be NULL (bank holidays only). */
struct rules_settings {
	const struct clock_calendar *calendar;
	int referral_decision_working_days; /* 1 */
	int assessment_working_days;        /* 45, from the referral */
	int icpc_working_days;              /* 15, from the strategy discussion that started the s47 */
	int cp_first_review_months;         /* 3, after the ICPC */
	int cp_review_months;               /* 6, after each review */
	int cp_visit_working_days;          /* 10 (local) between visits where the child was seen */
	int seen_alone_days;                /* 42 (local) */
	int seen_alone_min_age;             /* 4 (local): younger children are not expected to be seen alone */
	int lac_first_review_working_days;  /* 20 */
	int lac_second_review_months;       /* 3 */
	int lac_review_months;              /* 6 */
	int lac_first_visit_days;           /* 7, after each placement starts */
	int lac_visit_days;                 /* 42 */
	int rhi_hours;                      /* 72, after a missing episode ends */
	int repeat_missing_count;           /* 3 */
	int repeat_missing_window_days;     /* 90 */
	int non_mobile_age_months;          /* 6 */
	int cumulative_concern_count;       /* 3 */
	int cumulative_concern_agencies;    /* 2 */
	int cumulative_concern_window_days; /* 90 */
	int dash_high_risk_score;           /* 14 */
	int unscheduled_care_lookback_months; /* 12 */
	int home_education_lookback_months;   /* 12 */
	int serious_incident_working_days;    /* 5 */
	int rapid_review_working_days;        /* 15 */
	int strategy_discussion_working_days; /* 1 (local): after a MASH decision for a strategy discussion */
	/* Allegations against people who work with children (the LADO's process, issue 18). */
	int lado_consideration_working_days;  /* 1: the LADO's initial consideration after the referral */
	int lado_strategy_working_days;       /* 5 (local): a strategy discussion where the threshold is met */
	int lado_outcome_months;              /* 1: an outcome (KCSIE: 80% of cases resolved within a month) */
	int lado_employer_action_months;      /* 1 (local): the employer's actions recorded after the outcome */
};

void rules_settings_default(struct rules_settings *s);

/* The settings by name, for a settings file: NULL when name is not one. Each points into s. */
int *rules_setting_find(struct rules_settings *s, const char *name);
const char *rules_setting_name_at(size_t i); /* NULL past the end */

/* ---- Input ------------------------------------------------------------------------------------------ */

/* The event kinds the rules read. Every other kind of the chronology is RULES_OTHER and ignored. */
enum rules_kind {
	RULES_OTHER = 0,
	RULES_CONTACT, RULES_CONCERN, RULES_REFERRAL, RULES_REFERRAL_DECISION, RULES_STRATEGY_DISCUSSION,
	RULES_S47_START, RULES_S47_END, RULES_ICPC, RULES_CP_PLAN_START, RULES_CP_REVIEW, RULES_CP_PLAN_END,
	RULES_ASSESSMENT_START, RULES_ASSESSMENT_END, RULES_CIN_PLAN_START, RULES_CIN_PLAN_END,
	RULES_LAC_START, RULES_LAC_REVIEW, RULES_LAC_END, RULES_PLACEMENT_START, RULES_PLACEMENT_END,
	RULES_VISIT, RULES_MISSING_START, RULES_MISSING_END, RULES_RETURN_INTERVIEW, RULES_INJURY,
	RULES_UNSCHEDULED_CARE, RULES_POLICE_CALLOUT, RULES_DOMESTIC_ABUSE_INCIDENT, RULES_DASH_ASSESSMENT,
	RULES_HOME_EDUCATION_START, RULES_SERIOUS_INCIDENT, RULES_PANEL_NOTIFIED, RULES_RAPID_REVIEW,
	/* An allegation against a person who works with children (issue 18): the events are about the person,
	 * not a child; employer names where the allegation arose. */
	RULES_LADO_REFERRAL, RULES_LADO_CONSIDERATION, RULES_LADO_STRATEGY, RULES_LADO_OUTCOME,
	RULES_LADO_EMPLOYER_ACTION,
	RULES_KIND_COUNT
};

/* From an event kind code of core/event.h ("referral"); RULES_OTHER for any other string. */
enum rules_kind rules_kind_from_code(const char *code);
const char *rules_kind_code(enum rules_kind k); /* "" for RULES_OTHER */

/* Whether e is a referral decision that answers the child's referrals (disarms REFERRAL_DECISION_OVERDUE,
 * starts the assessment or strategy clock its outcome names): social care's (core/event.h's
 * EVENT_REFERRAL_DECIDER), or one whose agency is not known ("" or NULL: a chronology replayed without
 * agencies, `safeguard replay`). Another agency's referral_decision is its own record and answers nothing. */
struct rules_event;
bool rules_answers_referral(const struct rules_event *e);

/* A yes/no field the agency may not have sent. */
enum rules_tri { RULES_UNKNOWN = 0, RULES_NO, RULES_YES };

struct rules_child {
	struct date dob;            /* {0,0,0} when unknown */
	enum rules_tri mobile;      /* independently mobile; unknown reads as the age decides */
};

struct rules_event {
	const char *id;             /* the caller's id, handed back as evidence */
	enum rules_kind kind;
	struct date day;            /* England's local date */
	bool has_instant;
	int64_t instant;            /* seconds since the epoch (UTC) when the caller knew the time */
	const char *agency;         /* agency code, "" when unknown */
	/* Kind-specific fields; RULES_UNKNOWN, -1 or NULL when not sent. */
	enum rules_tri seen, seen_alone;           /* visit */
	enum rules_tri distant, dcs_approved;      /* placement_start */
	enum rules_tri independent;                /* return_interview */
	int score;                                 /* dash_assessment */
	const char *outcome;                       /* s47_end, referral_decision, icpc, lado_consideration
	                                            * ("threshold_met", "threshold_not_met"), lado_outcome */
	const char *employer;                      /* lado_referral: the employer (a home's key, or the employer's
	                                            * name folded); NULL or "" when not known */
};

/* ---- Output ----------------------------------------------------------------------------------------- */

enum rules_code {
	RULES_REFERRAL_DECISION_OVERDUE, RULES_ASSESSMENT_OVERDUE, RULES_ICPC_OVERDUE, RULES_CP_REVIEW_OVERDUE,
	RULES_CP_VISIT_OVERDUE, RULES_NOT_SEEN_ALONE, RULES_LAC_REVIEW_OVERDUE, RULES_LAC_VISIT_OVERDUE,
	RULES_RHI_OVERDUE, RULES_REPEAT_MISSING, RULES_NON_MOBILE_INJURY, RULES_CUMULATIVE_CONCERN,
	RULES_DOMESTIC_ABUSE_IN_HOUSEHOLD, RULES_DASH_HIGH_RISK, RULES_UNSCHEDULED_CARE_ATTENDANCE,
	RULES_HOME_EDUCATED_KNOWN_TO_SERVICES, RULES_DISTANT_PLACEMENT_APPROVAL,
	RULES_SERIOUS_INCIDENT_NOTIFICATION_DUE, RULES_RAPID_REVIEW_DUE, RULES_STRATEGY_DISCUSSION_OVERDUE,
	RULES_LADO_CONSIDERATION_OVERDUE, RULES_LADO_STRATEGY_OVERDUE, RULES_LADO_OUTCOME_OVERDUE,
	RULES_LADO_EMPLOYER_ACTION_OVERDUE, RULES_LADO_ACROSS_EMPLOYERS,
	RULES_CODE_COUNT
};

const char *rules_code_name(enum rules_code c);  /* "ICPC_OVERDUE" */
const char *rules_code_title(enum rules_code c); /* "Initial child protection conference overdue" */
/* -1 when name is not an alert code. */
int rules_code_from_name(const char *name);

#define RULES_EVIDENCE_MAX 8

struct rules_alert {
	enum rules_code code;
	struct date raised_on;
	bool has_due;
	struct date due;
	size_t nevidence;
	const struct rules_event *evidence[RULES_EVIDENCE_MAX]; /* into the caller's array, oldest first */
};

/* Return 0 to go on; a negative value stops the evaluation and is returned. */
typedef int (*rules_emit_fn)(const struct rules_alert *a, void *ctx);

/* Replays ev[0..n) for one child and emits every alert raised on a day up to and including until, in the
 * order they are raised: by day; within a day, the overdue alerts first (by due date, then rule order),
 * then those the day's events trigger, in event order. Events after until are not read. */
int rules_evaluate(const struct rules_settings *s, const struct rules_child *child,
		   const struct rules_event *ev, size_t n, struct date until, rules_emit_fn emit, void *ctx);

#endif
