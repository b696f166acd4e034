/* service/oplists.c — the operator's lists (service/oplists.h): the audit entry first, then one snapshot. */
#include "service/oplists.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock/now.h"
#include "core/date.h"
#include "service/access.h"
#include "service/audit.h"
#include "service/service_int.h"
#include "service/txq.h"

#define OPERATOR "cli"

struct entry {
	const char *action;
	int64_t child_id; /* asked about; 0 for a list of many */
	const char *detail;
};

static int entry_run(store_conn *c, void *arg)
{
	const struct entry *x = arg;
	bool exists = false;
	int rc;
	if (x->child_id > 0 && (rc = store_person_exists(c, x->child_id, &exists)) != STORE_OK)
		return rc;
	char object[40];
	if (x->child_id > 0)
		snprintf(object, sizeof object, "child:%lld", (long long)x->child_id);
	else
		snprintf(object, sizeof object, "list");
	char detail[200];
	snprintf(detail, sizeof detail, "%s%s", x->detail, x->child_id > 0 && !exists ? "; no such child" : "");
	struct store_audit e = {.actor = OPERATOR, .action = x->action, .child_id = exists ? x->child_id : 0,
				.object = object, .detail = detail};
	return audit_append(c, &e);
}

/* The list's audit entry, durable (its own transaction, committed) before anything is read; then the read, in
 * one snapshot. */
static int audited_read(store *st, const char *action, int64_t child_id, const char *detail,
			int (*run)(store_conn *c, void *arg), void *arg)
{
	struct entry x = {action, child_id, detail};
	int rc = txq_exec(st, entry_run, &x);
	return rc != STORE_OK ? rc : service_in_snapshot(st, run, arg);
}

static int limit_of(int limit)
{
	return limit > 0 ? limit : INT_MAX;
}

/* What a list's row callback returns once the list holds its limit: the walk stops there (the rows after it
 * would each cost a sealed check, a round trip on PostgreSQL) and the list is not an error. */
#define LIST_FULL (1 << 20)

static int walked(int rc)
{
	return rc == LIST_FULL ? STORE_OK : rc;
}

/* "; the first N" in a list's audit detail when it stops at a limit: the audit says how much was read. */
struct limit_text {
	char s[32];
};

static struct limit_text limit_said(int limit)
{
	struct limit_text t = {""};
	if (limit > 0)
		snprintf(t.s, sizeof t.s, "; the first %d", limit);
	return t;
}

struct alloc_args {
	struct store_view v;
	int64_t child_id;
	int limit;
	store_allocation_fn fn;
	void *ctx;
};

static int alloc_run(store_conn *c, void *arg)
{
	struct alloc_args *a = arg;
	return store_allocations(c, &a->v, a->child_id, a->limit, a->fn, a->ctx);
}

int oplists_allocations(store *st, int64_t child_id, int limit, store_allocation_fn fn, void *ctx)
{
	char detail[64];
	snprintf(detail, sizeof detail, "operator's list: %s", child_id > 0 ? "one child" : "every child");
	struct alloc_args a = {.child_id = child_id, .limit = limit_of(limit), .fn = fn, .ctx = ctx};
	access_operator_view(&a.v);
	return audited_read(st, "allocations.list", child_id, detail, alloc_run, &a);
}

struct alert_args {
	struct store_view v;
	struct store_alert_query q;
	store_alert_fn fn;
	void *ctx;
};

static int alert_run(store_conn *c, void *arg)
{
	struct alert_args *a = arg;
	return store_alerts(c, &a->v, &a->q, a->fn, a->ctx);
}

int oplists_alerts(store *st, const struct store_alert_query *q, store_alert_fn fn, void *ctx)
{
	char detail[160];
	snprintf(detail, sizeof detail, "operator's list: %s%s%.16s", q->person_id > 0 ? "one child" : "every child",
		 q->state && q->state[0] ? "; state " : "", q->state && q->state[0] ? q->state : "");
	struct alert_args a = {.q = *q, .fn = fn, .ctx = ctx};
	a.q.limit = limit_of(q->limit);
	access_operator_view(&a.v);
	return audited_read(st, "alerts.list", q->person_id, detail, alert_run, &a);
}

struct notice_args {
	struct store_view v;
	int limit;
	store_notice_fn fn;
	void *ctx;
};

static int notice_run(store_conn *c, void *arg)
{
	struct notice_args *a = arg;
	return store_notices(c, &a->v, ACCESS_GLASS_STARTED, a->limit, a->fn, a->ctx);
}

int oplists_notices(store *st, int limit, store_notice_fn fn, void *ctx)
{
	struct notice_args a = {.limit = limit_of(limit), .fn = fn, .ctx = ctx};
	access_operator_view(&a.v);
	return audited_read(st, "notices.list", 0, "operator's list: the data protection officer's notices", notice_run, &a);
}

/* ---- the LADO's records ---- */

struct lado_args {
	int64_t person_id, allegation_id;
	bool open_only;
	int limit;
	store_lado_allegation_fn each_allegation;
	store_lado_alert_fn each_alert;
	store_lado_employment_fn each_employment;
	void *ctx;
};

static int lado_allegations_run(store_conn *c, void *arg)
{
	struct lado_args *a = arg;
	return store_lado_allegations(c, a->person_id, a->open_only, a->limit, a->each_allegation, a->ctx);
}

static int lado_alerts_run(store_conn *c, void *arg)
{
	struct lado_args *a = arg;
	return store_lado_alerts(c, a->person_id, a->allegation_id, a->open_only, a->limit, a->each_alert, a->ctx);
}

static int lado_employments_run(store_conn *c, void *arg)
{
	struct lado_args *a = arg;
	return store_lado_employments(c, a->person_id, a->each_employment, a->ctx);
}

/* "operator's list: the LADO's allegations; person 3; open" (ids only, no names) */
static int lado_audited(store *st, const char *what, struct lado_args *a, int (*run)(store_conn *c, void *arg))
{
	char detail[160];
	int n = snprintf(detail, sizeof detail, "operator's list: the LADO's %s", what);
	if (a->person_id > 0 && n > 0 && (size_t)n < sizeof detail)
		n += snprintf(detail + n, sizeof detail - (size_t)n, "; person %lld", (long long)a->person_id);
	if (a->allegation_id > 0 && n > 0 && (size_t)n < sizeof detail)
		n += snprintf(detail + n, sizeof detail - (size_t)n, "; allegation %lld", (long long)a->allegation_id);
	if (a->open_only && n > 0 && (size_t)n < sizeof detail)
		snprintf(detail + n, sizeof detail - (size_t)n, "; open");
	return audited_read(st, "lado.list", 0, detail, run, a);
}

int oplists_lado_allegations(store *st, int64_t person_id, bool open_only, int limit, store_lado_allegation_fn fn,
			     void *ctx)
{
	struct lado_args a = {.person_id = person_id, .open_only = open_only, .limit = limit_of(limit),
			      .each_allegation = fn, .ctx = ctx};
	return lado_audited(st, "allegations", &a, lado_allegations_run);
}

int oplists_lado_alerts(store *st, int64_t person_id, int64_t allegation_id, bool open_only, int limit,
			store_lado_alert_fn fn, void *ctx)
{
	struct lado_args a = {.person_id = person_id, .allegation_id = allegation_id, .open_only = open_only,
			      .limit = limit_of(limit), .each_alert = fn, .ctx = ctx};
	return lado_audited(st, "alerts", &a, lado_alerts_run);
}

int oplists_lado_employments(store *st, int64_t person_id, store_lado_employment_fn fn, void *ctx)
{
	struct lado_args a = {.person_id = person_id, .each_employment = fn, .ctx = ctx};
	return lado_audited(st, "employments", &a, lado_employments_run);
}

/* ---- the tables' sizes ---- */

struct counts_args {
	store_table_count_fn fn;
	void *ctx;
};

static int counts_run(store_conn *c, void *arg)
{
	const struct counts_args *a = arg;
	return store_table_counts(c, a->fn, a->ctx);
}

int oplists_table_counts(store *st, store_table_count_fn fn, void *ctx)
{
	struct counts_args a = {fn, ctx};
	return service_in_snapshot(st, counts_run, &a);
}

struct sweep_runs_args {
	int limit;
	store_sweep_run_fn fn;
	void *ctx;
};

static int sweep_runs_run(store_conn *c, void *arg)
{
	struct sweep_runs_args *a = arg;
	return store_sweep_runs(c, limit_of(a->limit), a->fn, a->ctx);
}

int oplists_sweep_runs(store *st, int limit, store_sweep_run_fn fn, void *ctx)
{
	struct sweep_runs_args a = {limit, fn, ctx}; /* days and servers, no one named: not audited */
	return service_in_snapshot(st, sweep_runs_run, &a);
}

struct agencies_args {
	store_agency_fn fn;
	void *ctx;
};

static int agencies_run(store_conn *c, void *arg)
{
	struct agencies_args *a = arg;
	return store_agencies(c, a->fn, a->ctx);
}

int oplists_agencies(store *st, store_agency_fn fn, void *ctx)
{
	struct agencies_args a = {fn, ctx}; /* reference data, naming no one: not audited */
	return service_in_snapshot(st, agencies_run, &a);
}

struct indexes_args {
	store_index_fn fn;
	void *ctx;
};

static int indexes_run(store_conn *c, void *arg)
{
	struct indexes_args *a = arg;
	return store_schema_indexes(c, a->fn, a->ctx);
}

int oplists_indexes(store *st, store_index_fn fn, void *ctx)
{
	struct indexes_args a = {fn, ctx};
	return service_in_snapshot(st, indexes_run, &a);
}

struct attempts_args {
	const char *username;
	bool failed_only;
	int limit;
	store_login_attempt_fn fn;
	void *ctx;
};

static int attempts_run(store_conn *c, void *arg)
{
	struct attempts_args *a = arg;
	return store_login_attempts(c, a->username, a->failed_only, limit_of(a->limit), a->fn, a->ctx);
}

int oplists_login_attempts(store *st, const char *username, bool failed_only, int limit, store_login_attempt_fn fn,
			   void *ctx)
{
	/* the operator's, unaudited: service/access.h, "staff's own lists" */
	struct attempts_args a = {username, failed_only, limit, fn, ctx};
	return service_in_snapshot(st, attempts_run, &a);
}

struct sessions_args {
	const char *username;
	char live_at[STORE_TS_LEN + 1];
	int limit;
	store_session_row_fn fn;
	void *ctx;
};

static int sessions_run(store_conn *c, void *arg)
{
	struct sessions_args *a = arg;
	return store_user_sessions(c, a->username, a->live_at, limit_of(a->limit), a->fn, a->ctx);
}

int oplists_user_sessions(store *st, const char *username, bool live_only, int limit, store_session_row_fn fn,
			  void *ctx)
{
	/* the operator's, unaudited: service/access.h, "staff's own lists" */
	struct sessions_args a = {.username = username, .limit = limit, .fn = fn, .ctx = ctx};
	if (live_only)
		ts_format_utc(clock_now(), a.live_at);
	return service_in_snapshot(st, sessions_run, &a);
}

/* ---- the homes' register, reports and notes ---- */

struct home_args {
	const char *la_code;
	int64_t home_id, run_id;
	store_signal_fn each_signal;
	store_home_fn each_home;
	store_reg44_fn each_report;
	store_home_note_fn each_note;
	void *ctx;
};

static int homes_run_list(store_conn *c, void *arg)
{
	struct home_args *a = arg;
	return store_homes(c, a->la_code ? a->la_code : "", a->each_home, a->ctx);
}

static int reg44_run(store_conn *c, void *arg)
{
	struct home_args *a = arg;
	return store_reg44_reports(c, a->home_id, INT_MAX, a->each_report, a->ctx);
}

static int notes_run(store_conn *c, void *arg)
{
	struct home_args *a = arg;
	return store_home_notes(c, a->home_id, INT_MAX, a->each_note, a->ctx);
}

int oplists_homes(store *st, const char *la_code, store_home_fn fn, void *ctx)
{
	struct home_args a = {.la_code = la_code, .each_home = fn, .ctx = ctx};
	return service_in_snapshot(st, homes_run_list, &a);
}

int oplists_reg44(store *st, int64_t home_id, store_reg44_fn fn, void *ctx)
{
	char detail[80];
	snprintf(detail, sizeof detail, "operator's list: home %lld's Regulation 44 reports", (long long)home_id);
	struct home_args a = {.home_id = home_id, .each_report = fn, .ctx = ctx};
	return audited_read(st, "reg44.list", 0, detail, reg44_run, &a);
}

int oplists_home_notes(store *st, int64_t home_id, store_home_note_fn fn, void *ctx)
{
	char detail[80];
	snprintf(detail, sizeof detail, "operator's list: home %lld's police notes", (long long)home_id);
	struct home_args a = {.home_id = home_id, .each_note = fn, .ctx = ctx};
	return audited_read(st, "home_notes.list", 0, detail, notes_run, &a);
}

struct incident_args {
	struct store_view v;
	struct store_incident_query q;
	struct store_home_incident *shown;
	store_home_incident_fn fn;
	void *ctx;
};

/* What the operator is shown of an incident, chosen here and not by the edge: the child by id, no summary. */
static int incident_each(const struct store_home_incident *i, void *arg)
{
	struct incident_args *a = arg;
	struct store_home_incident *o = a->shown;
	*o = *i;
	o->summary[0] = o->given_name[0] = o->family_name[0] = '\0';
	return a->fn(o, a->ctx);
}

static int incidents_run(store_conn *c, void *arg)
{
	struct incident_args *a = arg;
	return store_home_incidents(c, &a->v, &a->q, incident_each, a);
}

int oplists_home_incidents(store *st, int64_t home_id, const char *type, int limit, store_home_incident_fn fn,
			   void *ctx)
{
	char detail[96];
	if (home_id > 0)
		snprintf(detail, sizeof detail, "operator's list: home %lld's incidents", (long long)home_id);
	else
		snprintf(detail, sizeof detail, "operator's list: every home's incidents");
	struct incident_args a = {.q = {.home_id = home_id, .la_code = "", .type = type ? type : "", .since = "",
					.limit = limit_of(limit)},
				  .fn = fn,
				  .ctx = ctx};
	access_operator_view(&a.v);
	if (!(a.shown = malloc(sizeof *a.shown))) /* large: not on the stack */
		return STORE_EIO;
	int rc = audited_read(st, "home_incidents.list", 0, detail, incidents_run, &a);
	free(a.shown);
	return rc;
}

struct placement_args {
	struct store_view v;
	int64_t home_id, child_id;
	struct store_home_placement *shown;
	store_placement_fn fn;
	void *ctx;
};

/* What the operator is shown of a placement, chosen here and not by the edge: the child by id, not by name. */
static int placement_each(const struct store_home_placement *p, void *arg)
{
	struct placement_args *a = arg;
	if (a->child_id && a->child_id != p->person_id)
		return 0;
	struct store_home_placement *o = a->shown;
	*o = *p;
	o->given_name[0] = o->family_name[0] = o->home_name[0] = '\0';
	return a->fn(o, a->ctx);
}

static int placements_run(store_conn *c, void *arg)
{
	struct placement_args *a = arg;
	return store_home_placements(c, &a->v, a->home_id, placement_each, a);
}

int oplists_home_placements(store *st, int64_t home_id, int64_t child_id, store_placement_fn fn, void *ctx)
{
	char detail[96];
	char where[40] = "every home";
	if (home_id > 0)
		snprintf(where, sizeof where, "home %lld", (long long)home_id);
	snprintf(detail, sizeof detail, "operator's list: placements, %s, %s", where,
		 child_id > 0 ? "one child" : "every child");
	struct placement_args a = {.home_id = home_id, .child_id = child_id, .fn = fn, .ctx = ctx};
	access_operator_view(&a.v);
	if (!(a.shown = malloc(sizeof *a.shown)))
		return STORE_EIO;
	int rc = audited_read(st, "home_placements.list", child_id, detail, placements_run, &a);
	free(a.shown);
	return rc;
}

static int signals_run(store_conn *c, void *arg)
{
	struct home_args *a = arg;
	return store_oversight_signals(c, a->run_id, a->home_id, a->each_signal, a->ctx);
}

int oplists_signals(store *st, int64_t run_id, int64_t home_id, store_signal_fn fn, void *ctx)
{
	struct home_args a = {.run_id = run_id, .home_id = home_id, .each_signal = fn, .ctx = ctx};
	return service_in_snapshot(st, signals_run, &a);
}

struct flag_args {
	int64_t child_id;
	int limit;
	store_flag_access_fn fn;
	void *ctx;
};

static int flags_run(store_conn *c, void *arg)
{
	struct flag_args *a = arg;
	bool names = false;
	int rc = access_operator_names(c, a->child_id, &names);
	if (rc != STORE_OK || !names)
		return rc; /* a sealed child's look-ups are not listed */
	return store_flag_accesses(c, a->child_id, a->limit > 0 ? a->limit : INT_MAX, a->fn, a->ctx);
}

int oplists_flag_lookups(store *st, int64_t child_id, int limit, store_flag_access_fn fn, void *ctx)
{
	char detail[96];
	snprintf(detail, sizeof detail, "operator's list: flag look-ups, one child%s", limit_said(limit).s);
	struct flag_args a = {.child_id = child_id, .limit = limit, .fn = fn, .ctx = ctx};
	return audited_read(st, "flags.list", child_id, detail, flags_run, &a);
}

struct occupancy_args {
	int64_t home_id;
	store_occupancy_fn fn;
	void *ctx;
};

static int occupancy_run(store_conn *c, void *arg)
{
	struct occupancy_args *a = arg;
	return store_home_occupancy(c, a->home_id, a->fn, a->ctx);
}

int oplists_occupancy(store *st, int64_t home_id, store_occupancy_fn fn, void *ctx)
{
	struct occupancy_args a = {.home_id = home_id, .fn = fn, .ctx = ctx};
	return service_in_snapshot(st, occupancy_run, &a);
}

struct run_args {
	int64_t run_id;
	struct store_oversight_run *out;
	bool *found;
};

static int oversight_run_read(store_conn *c, void *arg)
{
	struct run_args *a = arg;
	return store_oversight_run_get(c, a->run_id, a->out, a->found);
}

int oplists_oversight_run(store *st, int64_t run_id, struct store_oversight_run *out, bool *found)
{
	*found = false;
	struct run_args a = {.run_id = run_id, .out = out, .found = found};
	return service_in_snapshot(st, oversight_run_read, &a);
}

/* ---- speak-up reports ---- */

struct speakup_args {
	const char *ref;
	store_speakup_fn fn;
	void *ctx;
	store_conn *c;
	struct store_speakup *shown; /* the row as the operator is shown it */
	int rc;
};

/* What the operator is shown of a report, chosen here and not by the edge: what it is and where it stands. Not
 * the passphrase's hash, the report's words, the names in it or the reviewer's reason (those stay on the
 * reviewers' pages), and no link to a child the operator may not see (access_operator_names). The reporter's
 * first name and contact stay: they chose to give them, to be answered. */
static int speakup_each(const struct store_speakup *r, void *arg)
{
	struct speakup_args *a = arg;
	struct store_speakup *o = a->shown;
	*o = *r;
	o->pass_hash[0] = o->what[0] = o->child_name[0] = o->child_dob[0] = '\0';
	o->person_name[0] = o->person_role[0] = o->outcome_reason[0] = '\0';
	bool names = false;
	if (o->child_id > 0 && (a->rc = access_operator_names(a->c, o->child_id, &names)) != STORE_OK)
		return a->rc;
	if (!names)
		o->child_id = 0;
	return a->fn(o, a->ctx);
}

static int speakups_run(store_conn *c, void *arg)
{
	struct speakup_args *a = arg;
	a->c = c;
	if (!a->ref)
		return store_speakups(c, INT_MAX, speakup_each, a);
	struct store_speakup *r = calloc(1, sizeof *r); /* large: not on the stack */
	if (!r)
		return STORE_EIO;
	bool found = false;
	int rc = store_speakup_get(c, 0, a->ref, r, &found);
	if (rc == STORE_OK && found)
		rc = speakup_each(r, a);
	free(r);
	return rc;
}

int oplists_speakups(store *st, const char *ref, store_speakup_fn fn, void *ctx)
{
	char detail[80];
	snprintf(detail, sizeof detail, "operator's list: speak-up reports%s", ref ? "; one reference" : "");
	struct speakup_args a = {.ref = ref, .fn = fn, .ctx = ctx};
	if (!(a.shown = malloc(sizeof *a.shown)))
		return STORE_EIO;
	int rc = audited_read(st, "speakup.list", 0, detail, speakups_run, &a);
	free(a.shown);
	return rc;
}

/* ---- break-glass openings ---- */

struct glass_args {
	struct store_view v;
	struct store_glass_query q;
	int64_t child_id; /* 0: every child's */
	int left;         /* of the limit, counted after that choice */
	struct store_break_glass shown;
	store_break_glass_fn fn;
	void *ctx;
};

/* One child's openings only, when one was asked about (the audit names that child): chosen here, not by the
 * edge, so that what was audited is what was listed. */
static int glass_each(const struct store_break_glass *b, void *arg)
{
	struct glass_args *a = arg;
	if (a->child_id && a->child_id != b->child_id)
		return 0;
	if (a->left <= 0)
		return LIST_FULL;
	a->left--;
	a->shown = *b; /* ids, not the child's names: those are for the readers of the record */
	a->shown.given_name[0] = a->shown.family_name[0] = '\0';
	return a->fn(&a->shown, a->ctx);
}

static int glass_run(store_conn *c, void *arg)
{
	struct glass_args *a = arg;
	return walked(store_break_glass_area(c, &a->v, &a->q, glass_each, a));
}

int oplists_break_glass(store *st, int64_t child_id, int limit, store_break_glass_fn fn, void *ctx)
{
	char detail[96];
	snprintf(detail, sizeof detail, "operator's list: break-glass, %s%s", child_id > 0 ? "one child" : "every child",
		 limit_said(limit).s);
	struct glass_args a = {.q = {.limit = INT_MAX}, .child_id = child_id, .left = limit_of(limit), .fn = fn,
			       .ctx = ctx};
	access_operator_view(&a.v);
	return audited_read(st, "break_glass.list", child_id, detail, glass_run, &a);
}

/* ---- sealed records ---- */

struct seal_args {
	int64_t child_id;
	int limit;
	store_seal_fn fn;
	void *ctx;
};

static int seals_run(store_conn *c, void *arg)
{
	struct seal_args *a = arg;
	return store_seals(c, a->child_id, limit_of(a->limit), a->fn, a->ctx);
}

int oplists_seals(store *st, int64_t child_id, int limit, store_seal_fn fn, void *ctx)
{
	char detail[96];
	snprintf(detail, sizeof detail, "operator's list: sealed records, %s%s", child_id > 0 ? "one child" : "every child",
		 limit_said(limit).s);
	struct seal_args a = {child_id, limit, fn, ctx};
	return audited_read(st, "seals.list", child_id, detail, seals_run, &a);
}

/* ---- recordings ---- */

struct rec_args {
	int64_t child_id; /* 0: every child's */
	int left;
	store_conn *c;
	int64_t last_child; /* the child last asked about, and whether the operator may see them */
	bool last_names;
	struct store_recording *shown;
	store_recording_fn fn;
	void *ctx;
};

/* What the operator is shown of a recording, chosen here and not by the edge. */
static int rec_each(const struct store_recording *r, void *arg)
{
	struct rec_args *a = arg;
	int rc;
	if (a->left <= 0)
		return LIST_FULL;
	if (r->child_id != a->last_child) {
		if ((rc = access_operator_names(a->c, r->child_id, &a->last_names)) != STORE_OK)
			return rc;
		a->last_child = r->child_id;
	}
	if (!a->last_names)
		return 0; /* a sealed child's recordings are not listed */
	a->left--;
	struct store_recording *o = a->shown;
	*o = *r;
	o->filename[0] = o->present[0] = o->consent[0] = o->words[0] = o->disk_name[0] = '\0';
	memset(o->wrapped_key, 0, sizeof o->wrapped_key);
	memset(o->key_nonce, 0, sizeof o->key_nonce);
	return a->fn(o, a->ctx);
}

static int rec_run(store_conn *c, void *arg)
{
	struct rec_args *a = arg;
	a->c = c;
	return walked(store_recordings(c, a->child_id, rec_each, a));
}

int oplists_recordings(store *st, int64_t child_id, int limit, store_recording_fn fn, void *ctx)
{
	char detail[96];
	snprintf(detail, sizeof detail, "operator's list: recordings, %s%s", child_id > 0 ? "one child" : "every child",
		 limit_said(limit).s);
	struct rec_args a = {.child_id = child_id, .left = limit_of(limit), .last_child = -1, .fn = fn, .ctx = ctx};
	if (!(a.shown = malloc(sizeof *a.shown))) /* large: not on the stack */
		return STORE_EIO;
	int rc = audited_read(st, "recordings.list", child_id, detail, rec_run, &a);
	free(a.shown);
	return rc;
}

/* ---- record linkage's review tasks ---- */

struct review_args {
	int64_t person_id;
	bool open_only;
	int left;
	store_conn *c;
	struct store_link_review shown;
	store_link_review_fn fn;
	void *ctx;
	int rc;
};

/* What the operator is shown of a task, chosen here and not by the edge: ids, the score and the decision. */
static int review_each(const struct store_link_review *r, void *arg)
{
	struct review_args *a = arg;
	if (a->left <= 0)
		return LIST_FULL;
	bool names = false;
	if ((a->rc = access_operator_names(a->c, r->person_id, &names)) != STORE_OK)
		return a->rc;
	if (names && (a->rc = access_operator_names(a->c, r->candidate_id, &names)) != STORE_OK)
		return a->rc;
	if (!names)
		return 0; /* a task naming a sealed person is not listed */
	a->left--;
	struct store_link_review *o = &a->shown;
	*o = *r;
	o->explanation = NULL;
	o->reason[0] = '\0';
	o->person_given[0] = o->person_family[0] = o->candidate_given[0] = o->candidate_family[0] = '\0';
	return a->fn(o, a->ctx);
}

static int reviews_run(store_conn *c, void *arg)
{
	struct review_args *a = arg;
	a->c = c;
	return walked(store_link_reviews(c, a->person_id, a->open_only, review_each, a));
}

struct merge_args {
	int64_t child_id;
	int left;
	store_conn *c;
	struct store_merge shown;
	store_merge_fn fn;
	void *ctx;
};

/* What the operator is shown of a merge: the two children's ids, who and when, and whether it was undone; never the
 * reasons (free text about the children). A merge with a sealed child on either side is not listed. */
static int merge_each(const struct store_merge *m, void *arg)
{
	struct merge_args *a = arg;
	if (a->left <= 0)
		return LIST_FULL;
	bool names = false;
	int rc = access_operator_names(a->c, m->kept_id, &names);
	if (rc == STORE_OK && names)
		rc = access_operator_names(a->c, m->merged_id, &names);
	if (rc != STORE_OK || !names)
		return rc;
	a->left--;
	a->shown = *m;
	a->shown.reason[0] = a->shown.undo_reason[0] = '\0';
	return a->fn(&a->shown, a->ctx);
}

static int merges_run(store_conn *c, void *arg)
{
	struct merge_args *a = arg;
	a->c = c;
	return walked(store_merges_of(c, a->child_id, INT_MAX, merge_each, a));
}

int oplists_merges(store *st, int64_t child_id, int limit, store_merge_fn fn, void *ctx)
{
	char detail[96];
	snprintf(detail, sizeof detail, "operator's list: merges, one child%s", limit_said(limit).s);
	struct merge_args a = {.child_id = child_id, .left = limit_of(limit), .fn = fn, .ctx = ctx};
	return audited_read(st, "merges.list", child_id, detail, merges_run, &a);
}

int oplists_link_reviews(store *st, int64_t person_id, bool open_only, int limit, store_link_review_fn fn,
			 void *ctx)
{
	char detail[112];
	snprintf(detail, sizeof detail, "operator's list: link review tasks, %s%s%s",
		 person_id > 0 ? "one person" : "everyone's", open_only ? "; open" : "", limit_said(limit).s);
	struct review_args a = {.person_id = person_id, .open_only = open_only, .left = limit_of(limit), .fn = fn,
				.ctx = ctx};
	return audited_read(st, "link_reviews.list", person_id, detail, reviews_run, &a);
}
