/*
 * service/homes.h — children's homes in the service (issue 6, parts 1 and 4): the register and what happens
 * in each home, loaded from the store into an oversight panel (oversight/oversight.h); the monitor run over
 * it, its run, signals and alerts stored; and the reads behind the homes pages.
 *
 * The monitor is the same as `safeguard homes monitor` (homes_monitor below is shared by both): ov_fit
 * (expectations, the in-control model, the filter), ov_thresholds, ov_monitor. A run reads the register in one snapshot, computes outside
 * any transaction (about half a second for 2,000 homes x 36 months), then writes the run, its signals, the
 * alerts and the audit entry in one transaction.
 *
 * Alerts about a home are not about a child: they are kept in their own table (store_home_alert), owned by
 * the oversight team (HOMES_ALERT_OWNER), and shown to the oversight analyst on the homes pages and the API.
 * A home is flagged when one of its charts signalled in the last HOMES_FLAG_MONTHS months of the register;
 * it gets one alert per newest signal month, with the reasons in words (oversight/reason.h). A home with
 * children placed in the last complete month and no Regulation 44 report for that month gets an alert too.
 * They have a child's alert's lifecycle (service/alerts.h): acknowledged, resolved with an outcome, and
 * escalated by the daily sweep when still open after the same deadline (to the oversight team's manager).
 * A resolved alert stays resolved: the next run finds its home and month held and writes nothing.
 * Recording the missing month's Regulation 44 report resolves that month's alert, saying so.
 *
 * Reads for the pages are audit-first like a child's record (service/children.h): the caller passes an
 * access whose entry is durable, or gets CHILDREN_ENOAUDIT.
 */
#ifndef SAFEGUARD_SERVICE_HOMES_H
#define SAFEGUARD_SERVICE_HOMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "oversight/oversight.h"
#include "service/access.h"
#include "service/alerts.h"
#include "service/children.h"
#include "service/txq.h"
#include "store/store.h"

#define HOMES_FLAG_MONTHS 3            /* a signal in the register's last 3 months flags the home */
#define HOMES_ALERT_OWNER "oversight"  /* the team that owns alerts about homes */
/* Distant placement: DOMAIN.md, "over 20 miles" is the statistical measure (SI 2013/3239 defines it by
 * authority boundaries, which the register does not hold). */
#define HOMES_DISTANT_KM 32.18688

enum {
	HOMES_EEMPTY = -200,     /* no homes, or no months of occupancy: nothing to monitor */
	HOMES_EDUPLICATE = -201, /* import: a home's URN is already in the register */
	HOMES_ENOMEM = -202,
};

/* ---- the panel: the register as the monitor sees it ---- */

struct homes_panel {
	size_t nhomes, nmonths, ngroups;
	struct store_home *homes;        /* by id */
	char (*groups)[33];              /* specialisms, by first appearance */
	int *group;                      /* nhomes */
	int first_month;                 /* year * 12 + month - 1 */
	double *nights;                  /* nhomes * nmonths */
	uint32_t *counts;                /* nhomes * nmonths * OV_NIND */
	/* nhomes * nmonths, enum ov_reg44: the Reg 44 visitors' opinions; NULL when no report in the register
	 * gives one (the charts are then the counts' alone) */
	uint8_t *reg44;
	/* After homes_panel_fit: ov_fit's outputs (same layout as counts) and its model. */
	double *E, *alpha, *Ep;
	struct ov_model model;
	struct ov_settings settings;
};

/* Reads the register in the connection's transaction. HOMES_EEMPTY when there is nothing to monitor. */
int homes_panel_load(store_conn *c, struct homes_panel *p);
int homes_panel_fit(struct homes_panel *p);
void homes_panel_free(struct homes_panel *p);
void homes_panel_view(const struct homes_panel *p, struct ov_panel *out);
/* The index of a home, or -1. */
long homes_panel_index(const struct homes_panel *p, int64_t home_id);
/* Month index t as "YYYY-MM"; a month number (year * 12 + month - 1) likewise. */
/* "YYYY-MM..." as year * 12 + month - 1, or -1 when it does not start so. */
int homes_month_number(const char *s);
void homes_month_text(int month_number, char out[8]);

/* ---- the monitor (shared with `safeguard homes monitor`) ---- */

struct homes_signal {
	struct ov_signal sig;
	double observed, expected;       /* over the months the chart climbed; expected from similar homes (Ep) */
	int months;
	char reason[400];
};
struct homes_monitor_out {
	double h[OV_NFAMILY], rate[OV_NFAMILY];
	double kappa[OV_NFAMILY];        /* the model check's scale on the simulated variances per family
	                                  * (up, down, combined; 1: none) */
	double h_model_combined;         /* the combined chart's threshold from the model alone: below
	                                  * h[OV_FAMILY_COMBINED] when the panel's bootstrap set it, and then
	                                  * rate[OV_FAMILY_COMBINED] is the model's rate at it (homes_combined_from_panel) */
	struct homes_signal *signals;    /* month by month, as ov_monitor emits them */
	size_t nsignals;
	double *chart;                   /* ov_monitor's chart_out when asked for, else NULL */
};
/* The same over any panel (the batch command's, from CSV): E, alpha and Ep caller-allocated
 * (nhomes * nmonths * OV_NIND) and the model (ov_model_alloc for v->ngroups), filled by ov_fit when fit. */
int homes_monitor_panel(const struct ov_settings *s, const struct ov_panel *v, double *E, double *alpha, double *Ep,
			struct ov_model *model, bool fit, bool want_chart, struct homes_monitor_out *out);
/* ov_fit (when p->E is NULL), ov_thresholds and ov_monitor with settings s over the panel p; each signal
 * with its reason in words. want_chart keeps every chart's values. */
int homes_monitor(struct homes_panel *p, bool want_chart, struct homes_monitor_out *out);
/* The charts with thresholds fixed (a page drawing them): no simulation. chart has
 * nhomes * nmonths * (2 * OV_NIND + 1) elements. */
int homes_charts(struct homes_panel *p, const double h[OV_NFAMILY], double *chart);
void homes_monitor_free(struct homes_monitor_out *out);
/* The simulated false alarms per 100 home-years of every family together at the chosen thresholds: what the
 * budget, held with its confidence, was simulated at. */
double homes_simulated_rate(const struct homes_monitor_out *m);
/* Whether the combined chart's threshold came from the panel's bootstrap, not from the model's simulation. */
bool homes_combined_from_panel(const struct homes_monitor_out *m);

/* ---- import ---- */

struct homes_import_occ {
	size_t home;                     /* index into homes */
	char month[8];
	double nights;
};
struct homes_import_inc {
	size_t home;
	char date[11];
	int type;                        /* enum ov_indicator */
	/* Regulation 35, for restraints (-1 / NULL when not recorded); the summary may be NULL. */
	int duration_min, child_injured, staff_involved, debrief_offered;
	const char *technique, *summary;
};
/* A Regulation 44 visit report (reg44.csv): recorded as the home's page or the API would record it. */
struct homes_import_reg44 {
	size_t home;                     /* index into homes */
	char month[8];
	char received_on[11];            /* YYYY-MM-DD */
	const char *visitor, *summary;
	const char *safeguarded;         /* "yes", "no", "not_stated" */
};
struct homes_import {
	const struct store_home *homes;
	size_t nhomes;
	const struct homes_import_occ *occ;
	size_t nocc;
	const struct homes_import_inc *inc;
	size_t ninc;
	const struct homes_import_reg44 *reg44;
	size_t nreg44;
	size_t duplicate;                /* out: with HOMES_EDUPLICATE, the home whose URN is held */
};
/* Everything in one transaction, or nothing; audited. */
int homes_import(store *st, const char *actor, struct homes_import *in);

/* ---- a run ---- */

struct homes_run_opts {
	const char *trigger;             /* "nightly", "on_demand", "cli" */
	const char *actor;
	double budget;                   /* false alarms per 100 home-years; 0 for the default (5) */
	bool confidence_set;             /* confidence given, else the default (ov_settings budget_confidence) */
	double confidence;               /* [0, 1): the chance with which the area keeps the budget */
	const char *reg44_month;         /* YYYY-MM: the last complete month, checked for Reg 44 reports; "" none */
	const char *started_at;          /* RFC 3339 UTC */
	const char *(*now)(char buf[STORE_TS_LEN + 1]); /* the finish time; NULL: the system clock */
};
struct homes_run_result {
	int64_t run_id;
	int homes, months, signals, flagged, alerts_raised, reg44_missing;
	double h[OV_NFAMILY];
	double budget, budget_confidence; /* the limit the run was held to, as stored */
	double simulated_rate;           /* the false alarms per 100 home-years simulated to hold it (all families) */
	bool combined_from_panel;        /* the combined threshold from the panel's bootstrap (then simulated_rate
	                                  * is the model's rate at it); not stored with the run */
	double h_model_combined;         /* the combined chart's threshold from the model alone */
	char first_month[8], last_month[8];
};
/* Reads, monitors and writes a run. q NULL: the write runs in a transaction of its own (txq_exec), else
 * through the write queue (txq_run: the caller waits). */
int homes_run(store *st, txq *q, const struct homes_run_opts *o, struct homes_run_result *res);
/* The last complete calendar month before the UK day of epoch, "YYYY-MM". */
void homes_last_complete_month(int64_t epoch, char out[8]);

/* ---- reads for the pages and the API (audit-first) ---- */

struct homes_view {
	struct homes_panel panel;        /* fitted */
	struct store_oversight_run run;  /* the newest run */
	bool have_run;
	struct store_oversight_signal *signals; /* the newest run's, every home */
	size_t nsignals;
	struct store_home_alert *alerts; /* open and acknowledged, newest first */
	size_t nalerts;
};
/* HOMES_EEMPTY (and an empty view) when the register is empty. */
int homes_view_load(store *st, const struct children_access *a, struct homes_view *v);
void homes_view_free(struct homes_view *v);

/* A run (run_id 0: the newest), its signals and the open alerts, without the panel: the API's reads. These
 * hold no personal data (homes, counts, reasons), so they are read without an audit entry. *found false when
 * there is no such run (the alerts are read all the same). */
int homes_run_load(store *st, int64_t run_id, struct homes_view *v, bool *found);

struct homes_profile {
	struct store_home home;
	struct store_home_incident *incidents; size_t nincidents; /* newest first, up to 50 */
	struct store_home_placement *placements; size_t nplacements;
	struct store_reg44 *reports; size_t nreports;             /* newest first, up to 24 */
	struct store_home_note *notes; size_t nnotes;             /* newest first, up to 50 */
	struct store_home_alert *alerts; size_t nalerts;          /* every state, newest first, up to 50 */
};
int homes_profile_load(store *st, const struct children_access *a, int64_t home_id, struct homes_profile *p,
		       bool *found);
void homes_profile_free(struct homes_profile *p);

/* The police view: homes of a host authority ("" every home) and the missing episodes recorded in them on or
 * after since, newest first (with the child's names when linked). */
struct homes_police {
	struct store_home *homes; size_t nhomes;
	struct store_home_incident *missing; size_t nmissing;
};
int homes_police_load(store *st, const struct children_access *a, const char *la_code, const char *since,
		      struct homes_police *p);
void homes_police_free(struct homes_police *p);

/* The child's placement in a children's home on day ("YYYY-MM-DD"), for the child's record: a read under
 * the record's access (audited for that child), home_name filled. *found false when not placed. */
int homes_child_placement(store *st, const struct children_access *a, const char *day,
			  struct store_home_placement *out, bool *found);

/* A police location-risk note (in a write transaction, audited). *found false when there is no such home, or
 * it is not in la_code's area (la_code "" for any). */
int homes_note_add(store_conn *c, const char *actor, const char *la_code, const struct store_home_note *n,
		   int64_t *id, bool *found);

/* ---- acting on an alert about a home (the words and rules of service/alerts.h) ---- */

/* In the caller's write transaction; audited ("home_alert.acknowledge", "home_alert.resolve"). actor is the
 * audit's actor, by the name shown on the alert. */
int homes_alert_acknowledge(store_conn *c, int64_t id, const char *actor, const char *by, enum alerts_result *res);
int homes_alert_resolve(store_conn *c, int64_t id, const char *actor, const char *by, const char *outcome,
			enum alerts_result *res);
/* One alert (no personal data: read without an audit entry, as the list is). */
int homes_alert_get(store *st, int64_t id, struct store_home_alert *out, bool *found);
/* Every alert about a home, newest first (open_only: open and acknowledged), in one snapshot: the operator's
 * `safeguard homes alerts`. A home's alert names no child: no audit entry, as the list above. */
int homes_alerts_list(store *st, bool open_only, store_home_alert_fn fn, void *ctx);

/* ---- recording what happens in a home ---- */

enum homes_record_result {
	HOMES_RECORDED = 0,
	HOMES_NO_HOME = 1,   /* no home with that id */
	HOMES_HELD = 2,      /* Reg 44: the home has a report for that month (refused, nothing written) */
	HOMES_NO_CHILD = 3,  /* placement: no child with that id, a sealed child, or one the writer may not place
			      * (access_write_checked: one refusal for the three, audited) */
};
#define HOMES_VISITOR_MAX 200       /* bytes (store_reg44.visitor) */
#define HOMES_REG44_SUMMARY_MAX 2000 /* bytes (store_reg44.summary) */
#define HOMES_OUTCOME_MAX 300        /* characters, as a child's alert's outcome */

/* A Regulation 44 report (month, received_at a day or an instant, visitor, summary), in a write transaction:
 * audited ("reg44.record"); resolves the home's open "no report" alert for that month, by "safeguard", with
 * the outcome saying which report closed it (*resolved_alert its id, else 0). */
/* True for the three answers to reg 44(4)(c), "are children effectively safeguarded?": "yes", "no",
 * "not_stated". */
bool homes_reg44_opinion_ok(const char *v);
int homes_reg44_add(store_conn *c, const char *actor, const char *by, const struct store_reg44 *r, int64_t *id,
		    int64_t *resolved_alert, enum homes_record_result *res);

/* A child placed in a home by writer, in a write transaction: the writer's relationship with the child is
 * decided first (access_write_checked, WRITE_PLACEMENT); audited ("placement.record", the child's id on the
 * entry, so it shows in who has looked). The flags are derived here from the home and placing_la: out of area
 * when the home's host authority is not the placing authority, distant beyond HOMES_DISTANT_KM. */
int homes_placement_add(store_conn *c, const char *actor, const struct access_writer *writer, const char *placing_la,
			struct store_home_placement *p, int64_t *id, enum homes_record_result *res);

/* Escalation (the daily sweep, service/alerts.c): an alert about a home goes to the manager of the team that
 * owns it, else to the team itself (pure: manager "" or NULL when the team has none or does not exist). */
void homes_escalation_target(const char *owner_team, const char *manager, char out[STORE_USER_MAX + 1]);
/* In the caller's write transaction: the open alerts about homes written before cutoff and not yet escalated
 * go to homes_escalation_target's choice for HOMES_ALERT_OWNER. *n says how many. */
int homes_escalate_due(store_conn *c, const char *cutoff, int64_t *n);

#endif
