/*
 * service/alerts.h — the rules run on the store: alerts raised in the intake transaction and by the daily
 * sweep, each with an owner who must act, acknowledged, resolved with an outcome, escalated when ignored.
 *
 * The rules themselves are rules/ (pure); this module loads a child's events through store.h, turns them
 * into rules_event values (the kind-specific fields come from the event's details object), runs
 * rules_evaluate up to today and writes each alert it has not written before. Owner: the allocated worker,
 * else the allocated team, else the MASH. Every state change writes an audit entry in the same
 * transaction. All functions that write must run inside the caller's write transaction (a txq job).
 */
#ifndef SAFEGUARD_SERVICE_ALERTS_H
#define SAFEGUARD_SERVICE_ALERTS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/date.h"
#include "rules/rules.h"
#include "service/access.h"
#include "store/store.h"

struct alerts_config {
	struct rules_settings rules;
	/* An alert still unacknowledged after the day it was written and this many whole working days more goes
	 * to the team manager at the next sweep (written Monday, escalated Wednesday 01:00 with 1). Local
	 * setting; 1 by default, since most alerts are about a statutory deadline already passed. */
	int escalate_after_working_days;
	/* Alerts raised more than this many days before today are history (replay shows them) and are not
	 * written: the first sweep after loading years of records must not fill inboxes with 2019's deadlines. */
	int lookback_days;
};

void alerts_config_default(struct alerts_config *cfg);

/* ---- raising ----------------------------------------------------------------------------------------- */

/* A new event for child_id, in the intake transaction: the child's rules up to today, and for a domestic
 * abuse incident every housemate's too (the incident is theirs as well: Operation Encompass). An event of
 * a kind no rule reads (rules_kind_from_code gives RULES_OTHER) changes nothing and is skipped. *raised
 * counts the alerts written. */
int alerts_on_event(store_conn *c, const struct alerts_config *cfg, int64_t child_id, const char *kind,
		    struct date today, int *raised);
/* The same, when the caller knows the child's date of birth as their row holds it ("" for none): the rules
 * need nothing else of the row, which is then not read again (issue 17: one round trip a record less). */
int alerts_on_event_dob(store_conn *c, const struct alerts_config *cfg, int64_t child_id, const char *dob,
			const char *kind, struct date today, int *raised);

struct alerts_sweep_stats {
	int64_t children, events, raised, escalated;
	int64_t homes_escalated; /* alerts about children's homes (service/homes.h), by the same rule */
};
/* The daily sweep: every child's rules up to today, then escalation. Reads in one snapshot, then writes in
 * short transactions of its own (so must not run inside one); now_utc ("YYYY-MM-DDTHH:MM:SSZ") bounds the
 * escalation. */
int alerts_sweep(store *st, const struct alerts_config *cfg, struct date today, const char *now_utc,
		 struct alerts_sweep_stats *stats);

/* Several servers on one database (docs/SCALING.md): the server's nightly sweep of today runs in one
 * process only. The first to claim the day (in a write transaction: one writer at a time on every engine)
 * sweeps; *claimed false tells the others to skip it. `safeguard sweep` (the operator's) does not claim. */
int alerts_sweep_claim(store *st, struct date today, const char *server, bool *claimed);

/* The sweep's last step, on the nightly sweep and `safeguard sweep`: the query planner's statistics brought
 * up to date (store_planner_stats_table: SQLite's ANALYZE of each table whose row count moved by more than
 * x1.25 since its statistics; nothing on PostgreSQL), a table a job through the writer queue like any write,
 * so that a live area is planned as it now is, not as an empty file was, and intake waits one table's ANALYZE
 * at most. */
int alerts_planner_stats(store *st);

/* ---- who owns an alert (issue 15: alerts follow allocation) -------------------------------------------- */

struct alerts_owner;
/* The team whose manager is health's safeguarding lead (the named nurse or doctor for safeguarding children):
 * whom an alert on a child known only from health-only records escalates to (r-ntk25, docs/SECURITY.md). */
#define ALERTS_HEALTH_TEAM "health_safeguarding"

/* The one place an alert's owner is decided: the child's allocated worker, else the allocated team, else
 * the MASH; escalate_to (NULL when not wanted) gets whom an escalation of it goes to, as
 * alerts_escalation_target decides from what the store says of the child and of the managers. Every alert
 * written takes its owner from here, and the sweep its escalation. */
int alerts_owner_of(store_conn *c, int64_t child_id, struct alerts_owner *owner, char escalate_to[STORE_USER_MAX + 1]);
/* Whom an escalated alert about a child goes to, decided here and nowhere else (the store writes the name it
 * is given): the manager of the team the child is allocated to (al, when allocated and the team has one);
 * else, for a child readers outside health know (known: VIEW_PERSON with their view), the MASH team's manager
 * (mash_manager, "" when it has none); for a child known only from health-only records, whom the MASH team's
 * manager (social care's) cannot see, health's safeguarding lead (health_lead: the manager of the team
 * ALERTS_HEALTH_TEAM, "" when there is none who may open the alert and sees her); else "mash" (the MASH as a
 * whole, of whom only health's members see such a child). */
void alerts_escalation_target(const struct store_allocation *al, bool allocated, bool known, const char *mash_manager,
			      const char *health_lead, char out[STORE_USER_MAX + 1]);
/* Whether an alert on a child known only from health-only records reaches anyone who can see her and act
 * (r-redteam26): an enabled health member of the MASH (its owner; the MASH's lists show her to health's members
 * alone), or health's safeguarding lead (the manager of ALERTS_HEALTH_TEAM: enabled, health's, a role that may open
 * alerts), to whom it escalates. Asked of the configuration only (people and teams), never of any child, so the
 * answer says nothing of whether such a child or alert exists: the administrator's pages warn when it is false. */
int alerts_health_reach(store *st, bool *reached);
/* After an allocation changes, in its transaction: the child's open and acknowledged alerts go to the owner
 * alerts_owner_of gives now (escalated ones to the new team's manager), audited ("alert.reassign"). */
int alerts_follow_allocation(store_conn *c, int64_t child_id, const char *actor, int64_t *moved);
/* One open alert escalated now to the manager (as the sweep does when it waited too long), audited.
 * *done false when it is not open or was escalated already. Must run in a write transaction. */
int alerts_escalate_one(store_conn *c, int64_t id, const char *actor, bool *done);

/* The MASH's open alerts, most overdue first, one per child (ids only: no personal data), up to max: for the
 * operator's demo loader (cli/demo_day.c), which allocates those children so that workers have work. */
struct alerts_pick {
	int64_t child_id, alert_id;
};
int alerts_front_door(store_conn *c, int max, struct alerts_pick *out, int *n);

/* ---- acting on an alert ------------------------------------------------------------------------------- */

enum alerts_result {
	ALERTS_DONE = 0,
	ALERTS_NOT_FOUND = 1,
	ALERTS_WRONG_STATE = 2, /* already acknowledged (for acknowledge) or resolved */
};

/* writer acts on the alert (service/access.h): a person must own it (alerts_owner_match), and the child must be
 * there to be acted on (access_write_checked, WRITE_ALERT: a sealed child's alert is as absent as no alert); an
 * agency's system (writer->role NULL, alerts:write) acts on any alert of a child that is there. Otherwise
 * ALERTS_NOT_FOUND, whatever the reason. actor is the audit's actor ("client:3:social_care", "user:7:jsmith");
 * by the name shown on the alert (for a person, their username: alerts_by). */
int alerts_acknowledge(store_conn *c, int64_t id, const struct access_writer *writer, const char *actor, const char *by,
		       enum alerts_result *res);
int alerts_resolve(store_conn *c, int64_t id, const struct access_writer *writer, const char *actor, const char *by,
		   const char *outcome, enum alerts_result *res);
/* The name an alert shows for who acted: a person is their username, whatever they send; an agency's system
 * names the practitioner in its own records, shown as theirs ("j.bloggs via social_care system") so it is
 * never taken for a person who signs in here. sent may be NULL or "". */
void alerts_by(const struct access_writer *writer, const char *actor, const char *sent, char out[STORE_USER_MAX + 1]);

/* What an alert's code means, for pages and the API ("Initial child protection conference overdue"); the
 * code itself when it is not a rules code. */
const char *alerts_title(const char *code);

/* Why the alert was raised and what to do next, in words (rules/words.h for the rules' codes); "" for a
 * code that has none. */
void alerts_words(const char *code, const char **why, const char **next);
/* Whether two alerts are one incident's (the same rule on the same evidence and due date, for different
 * children: siblings alerted for one domestic abuse incident), so that an inbox shows them as one item. */
bool alerts_same_incident(const struct store_alert *a, const struct store_alert *b);

/* ---- reading -------------------------------------------------------------------------------------------- */

/* Lists that name children, each gated by a durable audit entry exactly as children_read is (queue it with
 * children_access_audit: action "alerts.read", "caseload.read" or "mash.read", child_id 0, the filter in
 * detail); they refuse with CHILDREN_ENOAUDIT otherwise. Each runs in one read snapshot on a pooled
 * connection. */
struct children_access;
/* With an access about one child (a->child_id, and q->person_id the same; any other child gives nothing): that
 * child's alerts under the relationship a's audit decided, and under its decision that the reader's view shows the
 * child at all (access_reader.child_in_view: not asked again, as the child's events are read; alerts.c). */
int alerts_list(store *st, const struct children_access *a, const struct store_alert_query *q, store_alert_fn fn,
		void *ctx);
/* The read alerts_list(st, a, q, ...) will make, added to *ah (store_send_ahead) when it is one child's: the
 * query as it will be read is kept in *keep, which must last until *ah is sent. */
void alerts_list_ahead(const struct children_access *a, const struct store_alert_query *q, struct store_ahead *ah,
		       struct store_alert_query *keep);
int alerts_caseload(store *st, const struct children_access *a, const char *worker, int limit,
		    store_allocation_fn fn, void *ctx);
/* A worker's caseload as a team manager sees it (issue 14): only the children allocated in the teams they
 * manage, none of another team's. The policy of who reads which caseload: alerts_caseload_whose. */
int alerts_caseload_managed(store *st, const struct children_access *a, const char *worker, const char *manager,
			    int limit, store_allocation_fn fn, void *ctx);
enum alerts_caseload_view {
	ALERTS_CASELOAD_REFUSED = 0, /* not theirs to read */
	ALERTS_CASELOAD_OWN,         /* their own caseload: alerts_caseload */
	ALERTS_CASELOAD_TEAM,        /* a manager reading a worker's: alerts_caseload_managed */
};
enum alerts_caseload_view alerts_caseload_whose(const char *worker, const char *username, const char *role);
int alerts_mash_queue(store *st, const struct children_access *a, int limit, store_awaiting_fn fn, void *ctx,
		      int64_t *total);
/* Owners are typed (issue 14): a worker (by username), a team (by code) or the MASH. As text (the API's and
 * the inbox's owner=): "mash" is the MASH, "team:CODE" a team, "user:NAME" or a bare NAME a worker; so a
 * person named "mash", or named as a team's code, is never taken for them. */
struct alerts_owner {
	char kind[8]; /* "worker", "team", "mash" (as alert.owner_kind) */
	char name[STORE_USER_MAX + 1];
};
bool alerts_owner_parse(const char *text, struct alerts_owner *out); /* false: empty or too long */
/* Whether text may be an owner as typed (the inbox's and the API's owner=): valid UTF-8, on one line, no control
 * character, at most ALERTS_OWNER_MAX characters. The one validation of the page and the API, each of which answers
 * 400 naming the field "owner" when it fails (r-tidy34: the API took a newline or "%FF" on to the decision and
 * answered 403 where the page answered 400). Which owner valid text names is alerts_owner_parse's. */
#define ALERTS_OWNER_MAX STORE_USER_MAX
bool alerts_owner_text_ok(const char *text);
/* Whether the alert is this person's: a worker's owned by them, or escalated to them; for a MASH worker
 * also the MASH's, and those escalated to the MASH. */
bool alerts_owner_match(const struct store_alert *al, const char *username, const char *role);

/* Need-to-know on alerts for a person signed in (agency systems are not people and see every alert): an
 * alert is theirs as alerts_owner_match says, and a team manager's too when the child is allocated to a team
 * they manage (issue 15). Listing an owner's alerts is decided and audited in one call (alerts_list_decided);
 * acknowledging and resolving decide as reading one does (alerts_read_decided). alerts_list lists by a typed
 * owner when q->owner_kind is set (store_alerts_owned). */
struct children_access;
/* Listing an owner's alerts (the alerts page, the API's list) decided and audited in one call (r-ntk32, as
 * alerts_read_decided): a person lists their own (owner a "worker" of their username), the MASH's for a MASH
 * worker, and for a team manager their team's, a worker's who holds a child in it, and the MASH's; an agency's
 * system (a->reader with no role) any owner's. owner NULL: no owner one could be (a page's text that does not
 * parse), refused for a person. a: actor, action, reader, detail, done, ctx and hold set by the caller, child_id
 * 0, refuse false. Refused, a->refuse is set with a->object "alerts:KIND" (the owner's kind only, "alerts" for
 * NULL: whatever was typed as the owner stays out of the audit): one `access.refused` entry, naming no child;
 * then a->hold(a) runs and the entry is queued (an allowed list's entry is the list's, as before). The store's
 * failure to decide is returned: nothing queued, no hold. The bare decision is service/service_int.h's
 * alerts_person_may_list (`make layering`). */
int alerts_list_decided(store *st, txq *q, const struct alerts_owner *owner, struct children_access *a);
/* The read of one alert (its page, its API read) decided and audited in one call (r-tidy32): decided as the one
 * decision about an alert decides (theirs, for an agency's system any alert, and about a child the reader's list
 * view shows: an id with no alert, another's alert and an alert on a child they may not see alike; one snapshot,
 * the same statements whatever the id holds, r-ntk27), then a's entry queued (children_access_audit). a: actor,
 * action, reader, detail, done, ctx and hold set by the caller, refuse false. Decided, a->child_id is the alert's
 * child when the id holds one, whatever the decision (for the refusal's detail: the entry ignores it), and
 * refused, a->refuse is set with a->object "alert:ID" ("access.refused" on the alert, naming no child); then
 * a->hold(a) runs and the entry is queued. The store's failure to decide is returned: nothing queued, no hold.
 * The bare decision is the services' (service/service_int.h alerts_reader_may): an edge cannot decide with it
 * and write no entry (`make layering`). */
int alerts_read_decided(store *st, txq *q, int64_t id, struct children_access *a);
/* Acknowledging or resolving an alert, decided before the write job as alerts_read_decided decides (an id with no
 * alert, another's alert and an alert on a child the reader may not see alike; a->id the alert, a->what
 * WRITE_ALERT) and, refused, audited in the same call: the entry queued in refusal, done(refusal) once durable
 * (access_write_decided, service/access.h). The job decides again in its transaction (alerts_acknowledge). */
int alerts_write_decided(store *st, txq *q, const struct access_reader *r, const struct access_write_ask *a,
			 struct access_write_refusal *refusal, void (*done)(struct access_write_refusal *refusal),
			 bool *may);
/* The team manager's page (issue 15): the teams manager manages (by code), and a team's caseloads per worker
 * (children, open and overdue alerts), behind an audited read ("team.read") as the other lists. */
int alerts_managed_teams(store *st, const char *manager, store_team_fn fn, void *ctx);
int alerts_team_workload(store *st, const struct children_access *a, const char *team, struct date today,
			 store_workload_fn fn, void *ctx);
/* One alert, for its page (audit action "alert.read", child_id from alerts_read_decided). */
int alerts_get(store *st, const struct children_access *a, int64_t id, struct store_alert *out, bool *found);

/* ---- unscheduled-care flags (as NHS CP-IS) ----------------------------------------------------------- */

struct alerts_flag {
	bool on_cp_plan, looked_after, unborn_cp_plan;
	/* Each "" when not applicable: the start of the current plan or care episode, the end of the latest
	 * one in the last 12 months. */
	char cp_start[STORE_DAY_LEN + 1], cp_end[STORE_DAY_LEN + 1];
	char lac_start[STORE_DAY_LEN + 1], lac_end[STORE_DAY_LEN + 1];
	char cp_category[64];
	bool flagged; /* any of the above, or either ended within 12 months */
};

/* The child's flag from its events as of today. */
int alerts_flag_of(store_conn *c, int64_t child_id, struct date today, struct alerts_flag *out);

/* A clinician's look-up by NHS number, whole, in the caller's write transaction: find the child, read the
 * flag, audit the look-up (note, when not NULL or "", is added to the entry: an agency token's, tokens_note), and when there is a flag record it (alerts_flag_lookup_record) and hand fn the
 * child's last `shown` look-ups, newest first. A look-up of a child with no flag is audited but tells no
 * one: there is nothing for a worker to act on. *child_id 0 when no child has the number. */
int alerts_flag_lookup(store_conn *c, const char *nhs, const struct store_flag_access *who, const char *note,
		       struct date today, int shown, store_flag_access_fn fn, void *ctx, int64_t *child_id,
		       struct alerts_flag *flag);

/* A record opened in an emergency (service/access.h): the child's owner (allocated worker, else team, else
 * MASH) gets a BREAK_GLASS alert at once, one per opening (glass_id). Must run in a write transaction. */
int alerts_break_glass(store_conn *c, int64_t child_id, int64_t glass_id, const char *actor, struct date today);

/* A look-up from unscheduled care: recorded (the child's last 25 are shown), audited, and the allocated
 * worker (else team, else MASH) gets a FLAG_LOOKUP alert. Must run in a write transaction. */
int alerts_flag_lookup_record(store_conn *c, int64_t child_id, const struct store_flag_access *a, const char *note,
			      struct date today);

#endif
