/*
 * store/store_homes.h — children's homes and their oversight.
 * One part of the store's contract (issue 17): store/store.h includes every part.
 */
#ifndef SAFEGUARD_STORE_STORE_HOMES_H
#define SAFEGUARD_STORE_STORE_HOMES_H

#include "store/store_core.h"
#include "store/store_alerts.h"

/* ---- children's homes and their oversight (issue 6; service/homes.h) ---------------------------------- */

#define STORE_HOME_TEXT 201  /* names, providers: up to 200 bytes */
#define STORE_MONTH_LEN 7    /* YYYY-MM */
#define STORE_LONG_TEXT 2001 /* summaries, notes: up to 2,000 bytes */

struct store_home {
	int64_t id;
	char urn[16];                    /* Ofsted unique reference number, e.g. "SC123456"; unique */
	char name[STORE_HOME_TEXT];
	char provider[STORE_HOME_TEXT];
	char la_code[4];                 /* DfE LA number of the host authority */
	char postcode[9];
	double lat, lon;                 /* WGS84; both 0 when unknown */
	int places;                      /* registered places */
	char specialism[33];             /* the peer group: "disability", "emotional_behavioural", "general" */
	char ofsted_grade[24];           /* "outstanding", "good", "requires_improvement", "inadequate", "" */
	char grade_date[STORE_DAY_LEN + 1]; /* of the last full inspection, or "" */
};
typedef int (*store_home_fn)(const struct store_home *h, void *ctx);
/* STORE_ECONFLICT when a home with the URN exists. */
int store_home_insert(store_conn *c, const struct store_home *h, int64_t *id);
int store_home_get(store_conn *c, int64_t id, struct store_home *out, bool *found);
/* Every home, by id; la_code "" for all, else the homes of that host authority. */
int store_homes(store_conn *c, const char *la_code, store_home_fn fn, void *ctx);

/* Child-nights per home and month (the exposure). Replaces the month's figure. */
int store_home_occupancy_set(store_conn *c, int64_t home_id, const char *month, double child_nights);
typedef int (*store_occupancy_fn)(int64_t home_id, const char *month, double child_nights, void *ctx);
/* Every home's months (home_id 0) or one home's, by home and month. */
int store_home_occupancy(store_conn *c, int64_t home_id, store_occupancy_fn fn, void *ctx);

/* What happened in a home. type is one of the oversight indicators (oversight.h); the Regulation 35 details
 * are for restraints (-1 / "" when not recorded). */
struct store_home_incident {
	int64_t id, home_id;
	int64_t person_id;               /* the child, or 0 when not linked */
	char occurred_at[STORE_TS_LEN + 1]; /* YYYY-MM-DD or an RFC 3339 UTC instant */
	char type[16];
	int duration_min;                /* restraint: minutes */
	char technique[STORE_HOME_TEXT]; /* restraint: the hold used */
	int child_injured;               /* restraint: 1 yes, 0 no, -1 not recorded */
	int staff_involved;              /* restraint: staff involved */
	int debrief_offered;             /* restraint: the child was offered a debrief: 1, 0, -1 */
	char summary[STORE_LONG_TEXT];
	/* Filled on reads: the home's name and the child's names ("" when no child is linked). */
	char home_name[STORE_HOME_TEXT];
	char given_name[STORE_NAME_BYTES], family_name[STORE_NAME_BYTES];
};
typedef int (*store_home_incident_fn)(const struct store_home_incident *i, void *ctx);
int store_home_incident_insert(store_conn *c, const struct store_home_incident *i, int64_t *id);
/* Incidents per home, month and type, for the monitor. */
typedef int (*store_incident_count_fn)(int64_t home_id, const char *month, const char *type, int64_t n, void *ctx);
int store_home_incident_counts(store_conn *c, store_incident_count_fn fn, void *ctx);
/* Newest first: of one home (home_id) or of every home of a host authority (home_id 0, la_code; "" for
 * all), of one type ("" any), on or after since ("" any), up to limit. */
struct store_incident_query {
	int64_t home_id;
	const char *la_code, *type, *since;
	int limit;
};
int store_home_incidents(store_conn *c, const struct store_view *v, const struct store_incident_query *q,
			 store_home_incident_fn fn, void *ctx);

/* A child placed in a home. */
struct store_home_placement {
	int64_t id, home_id, person_id;  /* person_id 0 when the child is not on the record */
	char start[STORE_DAY_LEN + 1], end[STORE_DAY_LEN + 1]; /* end "" while placed */
	double distance_km;              /* from the child's home address; < 0 unknown */
	bool out_of_area;                /* host authority is not the placing (responsible) authority */
	bool distant;                    /* more than 20 miles from home (DOMAIN.md) */
	/* Filled on reads (home_name by store_person_placement only). */
	char given_name[STORE_NAME_BYTES], family_name[STORE_NAME_BYTES];
	char home_name[STORE_HOME_TEXT];
};
typedef int (*store_placement_fn)(const struct store_home_placement *p, void *ctx);
int store_home_placement_insert(store_conn *c, const struct store_home_placement *p, int64_t *id);
/* A home's placements, current first, then by start, newest first; home_id 0: every home's, by home, so,
 * with the names left empty (its one caller, the operator's list, shows the child by id only). */
int store_home_placements(store_conn *c, const struct store_view *v, int64_t home_id, store_placement_fn fn,
			  void *ctx);
/* The child's placement on day ("YYYY-MM-DD"), the latest started when more than one; home_name filled. */
int store_person_placement(store_conn *c, int64_t person_id, const char *day, struct store_home_placement *out,
			   bool *found);

/* An independent person's monthly visit report (Children's Homes Regulations 2015, reg 44). */
struct store_reg44 {
	int64_t id, home_id;
	char month[STORE_MONTH_LEN + 1];
	char received_at[STORE_TS_LEN + 1];
	char visitor[STORE_HOME_TEXT];
	char summary[STORE_LONG_TEXT];   /* findings and recommendations */
	/* "yes", "no", "not_stated": in the visitor's opinion, are children effectively safeguarded
	 * (reg 44(4)(c))? Empty on insert: "not_stated". */
	char safeguarded[12];
};
typedef int (*store_reg44_fn)(const struct store_reg44 *r, void *ctx);
/* STORE_ECONFLICT when the home has a report for that month. */
int store_reg44_insert(store_conn *c, const struct store_reg44 *r, int64_t *id);
int store_reg44_reports(store_conn *c, int64_t home_id, int limit, store_reg44_fn fn, void *ctx); /* newest first */
/* The homes with children placed in month (child-nights > 0) and no report for it. */
typedef int (*store_id_fn)(int64_t id, void *ctx);
int store_reg44_missing(store_conn *c, const char *month, store_id_fn fn, void *ctx);
/* Every report whose visitor gave an opinion (safeguarded "yes" or "no"), by home and month: the monitor's
 * panel (no names, no text). */
typedef int (*store_reg44_opinion_fn)(int64_t home_id, const char *month, bool safeguarded, void *ctx);
int store_reg44_opinions(store_conn *c, store_reg44_opinion_fn fn, void *ctx);

/* A police location-risk note on a home. */
struct store_home_note {
	int64_t id, home_id;
	char author[STORE_USER_MAX + 1];
	char agency[STORE_CODE_MAX + 1];
	char created_at[STORE_TS_LEN + 1];
	char text[STORE_LONG_TEXT];
};
typedef int (*store_home_note_fn)(const struct store_home_note *n, void *ctx);
int store_home_note_insert(store_conn *c, const struct store_home_note *n, int64_t *id);
int store_home_notes(store_conn *c, int64_t home_id, int limit, store_home_note_fn fn, void *ctx); /* newest first */

/* One run of the monitor over the register, and what it found. */
struct store_oversight_run {
	int64_t id;
	char started_at[STORE_TS_LEN + 1], finished_at[STORE_TS_LEN + 1];
	char trigger[16];                /* "nightly", "on_demand", "cli" */
	char by[96];                     /* the actor */
	double budget;                   /* false alarms per 100 home-years */
	double h_up, h_down, h_combined; /* the thresholds chosen */
	int homes, months;
	char first_month[STORE_MONTH_LEN + 1], last_month[STORE_MONTH_LEN + 1];
	int signals, alerts;
	/* The limit the run was held to (issue 16): the chance with which the area's false alarms stay within
	 * the budget (0: the budget is their expected rate), and the false alarms per 100 home-years the
	 * thresholds were simulated at to hold it, every family. -1: not recorded (a run stored before). */
	double budget_confidence, simulated_rate;
};
int store_oversight_run_insert(store_conn *c, const struct store_oversight_run *r, int64_t *id);
/* id 0: the newest run. */
int store_oversight_run_get(store_conn *c, int64_t id, struct store_oversight_run *out, bool *found);

struct store_oversight_signal {
	int64_t run_id, home_id;
	char month[STORE_MONTH_LEN + 1];
	char indicator[16];              /* one of the eight, or "combined" */
	char direction[8];               /* "high", "low" */
	double statistic, threshold;
	double observed, expected;       /* over the months the chart climbed, expected from similar homes */
	int months;                      /* how many months it climbed */
	char reason[400];                /* in words */
};
typedef int (*store_signal_fn)(const struct store_oversight_signal *s, void *ctx);
int store_oversight_signal_insert(store_conn *c, const struct store_oversight_signal *s);
/* A run's signals (home_id 0 for every home), by home, month, indicator. */
int store_oversight_signals(store_conn *c, int64_t run_id, int64_t home_id, store_signal_fn fn, void *ctx);

/* An alert about a home (not a child): for the oversight team. */
struct store_home_alert {
	int64_t id, home_id, run_id;     /* run_id 0 when no run raised it */
	char kind[8];                    /* "signal", "reg44" */
	char month[STORE_MONTH_LEN + 1];
	char reason[1200];
	char dedup_key[64];              /* the same home and key: the same alert */
	char owner[STORE_CODE_MAX + 1];  /* the team that owns it */
	char state[16];                  /* "open", "acknowledged", "resolved" */
	char created_at[STORE_TS_LEN + 1];
	/* Its history, as a child's alert keeps it ("" until it happens). */
	char acknowledged_at[STORE_TS_LEN + 1], acknowledged_by[STORE_USER_MAX + 1];
	char resolved_at[STORE_TS_LEN + 1], resolved_by[STORE_USER_MAX + 1];
	char outcome[STORE_ATTR_BYTES];  /* the resolver's words, up to 300 characters */
	char escalated_at[STORE_TS_LEN + 1], escalated_to[STORE_USER_MAX + 1];
	char home_name[STORE_HOME_TEXT]; /* filled on reads */
};
typedef int (*store_home_alert_fn)(const struct store_home_alert *a, void *ctx);
/* *inserted false when the home has an alert with that dedup_key (nothing written). */
int store_home_alert_insert(store_conn *c, const struct store_home_alert *a, int64_t *id, bool *inserted);
/* Newest first; home_id 0 for every home; open_only: open and acknowledged. */
int store_home_alerts(store_conn *c, int64_t home_id, bool open_only, int limit, store_home_alert_fn fn, void *ctx);
int store_home_alert_get(store_conn *c, int64_t id, struct store_home_alert *out, bool *found);
/* *changed false when the alert is not open (acknowledge) or already resolved (resolve), or there is none. */
int store_home_alert_acknowledge(store_conn *c, int64_t id, const char *by, bool *changed);
int store_home_alert_resolve(store_conn *c, int64_t id, const char *by, const char *outcome, bool *changed);
/* Resolves the home's open or acknowledged alert with that dedup_key; *id its id, 0 when there was none. */
int store_home_alert_resolve_key(store_conn *c, int64_t home_id, const char *dedup_key, const char *by,
				 const char *outcome, int64_t *id);
/* Open alerts the team owner owns, written before created_before and not yet escalated, go to escalated_to
 * (whom is the homes service's decision: homes_escalation_target). */
int store_home_alerts_escalate(store_conn *c, const char *created_before, const char *owner, const char *escalated_to,
			       int64_t *n);

#endif
