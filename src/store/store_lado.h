/*
 * store/store_lado.h — the LADO's records: people who work with children, employers, allegations.
 * One part of the store's contract (issue 17): store/store.h includes every part.
 */
#ifndef SAFEGUARD_STORE_STORE_LADO_H
#define SAFEGUARD_STORE_STORE_LADO_H

#include "store/store_core.h"
#include "store/store_users.h"
#include "store/store_homes.h"

/* ---- the LADO's records (issue 18): people who work with children, their employers, allegations ----
 *
 * A person here is an adult who works with children, not a child: no store_view applies, and only the
 * service (service/lado.h) decides who reads them. Days are YYYY-MM-DD, "" when not yet recorded. */
struct store_lado_person {
	int64_t id;
	char given_name[STORE_NAME_BYTES], family_name[STORE_NAME_BYTES];
	char dob[STORE_DAY_LEN + 1];
	char created_at[STORE_TS_LEN + 1];
	char created_by[STORE_USER_MAX + 1];
};
typedef int (*store_lado_person_fn)(const struct store_lado_person *p, void *ctx);

struct store_lado_employment {
	int64_t id, person_id;
	int64_t home_id;                 /* 0 when the employer is not a children's home of the register */
	char employer[STORE_HOME_TEXT];  /* as entered (a home: its name) */
	char role[STORE_HOME_TEXT];
	char from_day[STORE_DAY_LEN + 1], to_day[STORE_DAY_LEN + 1]; /* "" when not known / still there */
	char home_urn[16];               /* filled on reads */
};
typedef int (*store_lado_employment_fn)(const struct store_lado_employment *e, void *ctx);

struct store_lado_allegation {
	int64_t id, person_id, employment_id;
	char received_on[STORE_DAY_LEN + 1];
	char referrer[STORE_HOME_TEXT];
	char summary[STORE_LONG_TEXT];
	char created_at[STORE_TS_LEN + 1], created_by[STORE_USER_MAX + 1];
	char consideration_on[STORE_DAY_LEN + 1];
	char threshold[24];              /* "threshold_met", "threshold_not_met", "" */
	char consideration_notes[STORE_LONG_TEXT];
	char strategy_on[STORE_DAY_LEN + 1];
	char strategy_notes[STORE_LONG_TEXT];
	char outcome[24];                /* substantiated, false, malicious, unfounded, unsubstantiated, "" */
	char outcome_on[STORE_DAY_LEN + 1];
	char outcome_notes[STORE_LONG_TEXT];
	char employer_action_on[STORE_DAY_LEN + 1];
	char employer_action[STORE_LONG_TEXT];
	/* Filled on reads: the employment's employer and home, the person's names. */
	char employer[STORE_HOME_TEXT];
	int64_t home_id;
	char given_name[STORE_NAME_BYTES], family_name[STORE_NAME_BYTES];
};
typedef int (*store_lado_allegation_fn)(const struct store_lado_allegation *a, void *ctx);

struct store_lado_alert {
	int64_t id, person_id, allegation_id; /* allegation_id 0 for an alert about the person (across employers) */
	char code[STORE_ALERT_CODE_MAX + 1];
	char raised_on[STORE_DAY_LEN + 1], due[STORE_DAY_LEN + 1];
	char evidence[256];              /* allegation ids, JSON array text */
	char state[16];                  /* "open", "resolved" */
	char created_at[STORE_TS_LEN + 1];
	char resolved_at[STORE_TS_LEN + 1], resolved_by[STORE_USER_MAX + 1];
	char given_name[STORE_NAME_BYTES], family_name[STORE_NAME_BYTES]; /* filled on reads */
};
typedef int (*store_lado_alert_fn)(const struct store_lado_alert *a, void *ctx);

int store_lado_person_insert(store_conn *c, const struct store_lado_person *p, int64_t *id);
int store_lado_person_get(store_conn *c, int64_t id, struct store_lado_person *out, bool *found);
/* The blocking of the person look-up: people born within a year of dob, or on its day and month (either
 * way round), up to limit. */
int store_lado_people_near(store_conn *c, const char *dob, int limit, store_lado_person_fn fn, void *ctx);
int store_lado_employment_add(store_conn *c, const struct store_lado_employment *e, int64_t *id);
/* A person's employers, most recent start first. */
int store_lado_employments(store_conn *c, int64_t person_id, store_lado_employment_fn fn, void *ctx);
int store_lado_home_by_urn(store_conn *c, const char *urn, int64_t *home_id, bool *found);
int store_lado_allegation_insert(store_conn *c, const struct store_lado_allegation *a, int64_t *id);
int store_lado_allegation_get(store_conn *c, int64_t id, struct store_lado_allegation *out, bool *found);
/* Writes the process's steps (consideration, strategy, outcome, employer's actions) of a->id. */
int store_lado_allegation_update(store_conn *c, const struct store_lado_allegation *a);
/* person_id 0: everyone's. open_only: no outcome yet, or an outcome without the employer's actions, and not
 * closed at consideration. Oldest received first. */
int store_lado_allegations(store_conn *c, int64_t person_id, bool open_only, int limit, store_lado_allegation_fn fn,
			   void *ctx);
/* *inserted false when the same alert (person, allegation, code, due) exists. */
int store_lado_alert_insert(store_conn *c, const struct store_lado_alert *a, int64_t *id, bool *inserted);
/* person_id / allegation_id 0: any. Most overdue first (due date, then raised). */
int store_lado_alerts(store_conn *c, int64_t person_id, int64_t allegation_id, bool open_only, int limit,
		      store_lado_alert_fn fn, void *ctx);
/* Resolves an allegation's open alerts of a code (the step that closes the clock was recorded); code "": all
 * of them (the allegation is closed). */
int store_lado_alert_resolve(store_conn *c, int64_t allegation_id, const char *code, const char *by, int64_t *n);

#endif
