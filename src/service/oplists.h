/*
 * service/oplists.h — the operator's read-only lists on the command line: allocations, alerts, the data
 * protection officer's notices (`safeguard allocation list`, `alert list`, `dpo notices`). An administrator
 * checks who holds a case and what is waiting on whom through them, and the tests check state through them
 * rather than through SQL, so that they hold on every backend (issue 17).
 *
 * Each is the operator's read ("cli") and answerable as every read naming children is: its audit entry is
 * durable before anything is read (actions "allocations.list", "alerts.list", "notices.list"; child_id the
 * child asked about when it holds one, else 0; the filter in detail, no personal data), and it shows what
 * service/access.c decides the operator is shown (access_operator_view). One read snapshot after the entry.
 */
#ifndef SAFEGUARD_SERVICE_OPLISTS_H
#define SAFEGUARD_SERVICE_OPLISTS_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

/* Every allocation (child_id 0) or that child's, by child id, up to limit (0: all). */
int oplists_allocations(store *st, int64_t child_id, int limit, store_allocation_fn fn, void *ctx);
/* The alerts matching q (store_alert_query; q->limit 0: all), newest raised first. */
int oplists_alerts(store *st, const struct store_alert_query *q, store_alert_fn fn, void *ctx);
/* The data protection officer's notices, newest first, up to limit (0: all). */
int oplists_notices(store *st, int limit, store_notice_fn fn, void *ctx);

/* The LADO's records (`safeguard lado allegations|alerts|employments`): adults who work with children, not
 * children, so no store_view applies; each list is audited ("lado.list", child_id 0, the filter in detail)
 * before it is read, as the LADO's own reads are (service/lado.h). person_id / allegation_id 0: any. */
/* Allegations, oldest received first; open_only as store_lado_allegations. */
int oplists_lado_allegations(store *st, int64_t person_id, bool open_only, int limit, store_lado_allegation_fn fn,
			     void *ctx);
/* The LADO's alerts, most overdue first; open_only: the open ones. */
int oplists_lado_alerts(store *st, int64_t person_id, int64_t allegation_id, bool open_only, int limit,
			store_lado_alert_fn fn, void *ctx);
/* A person's employers, most recent start first. */
int oplists_lado_employments(store *st, int64_t person_id, store_lado_employment_fn fn, void *ctx);

/* The nights' sweeps (`safeguard sweep runs`, store_sweep_runs), newest day first, up to limit (0: all): which
 * server ran each (one a night when several serve one database) and when it started. Names no one: not audited. */
int oplists_sweep_runs(store *st, int limit, store_sweep_run_fn fn, void *ctx);

/* The agencies (`safeguard agency list`), by code: reference data naming no one, not audited. One snapshot. */
int oplists_agencies(store *st, store_agency_fn fn, void *ctx);

/* How many rows each table holds (`safeguard stats`): what a load brought, how big the area is. Counts name
 * no one: not audited. One snapshot. */
int oplists_table_counts(store *st, store_table_count_fn fn, void *ctx);

/* The schema's indexes and foreign keys as the engine holds them, and those a bulk load that stopped held back
 * (`safeguard indexes`, store_schema_indexes): after a killed `area-load` an operator sees what is missing until
 * `migrate` builds it. Names no one: not audited. One snapshot. */
int oplists_indexes(store *st, store_index_fn fn, void *ctx);

/* The sign-in attempts kept (`safeguard user attempts`, store_login_attempts), newest first: who is being
 * guessed at, from where, and whether a person's own tries failed. Staff's names and addresses, no child: the
 * operator's, not audited (service/access.h, "staff's own lists"). One snapshot. */
int oplists_login_attempts(store *st, const char *username, bool failed_only, int limit, store_login_attempt_fn fn,
			   void *ctx);

/* The sessions kept (`safeguard user sessions`, store_user_sessions), newest first: whether a person is signed in,
 * where (web or API), since when and until when, and how each session ended. live_only: only those live at the
 * clock's now (clock/now.h). Staff's, no child: the operator's, not audited (service/access.h, "staff's own
 * lists"). Each is named by a part of its token's hash, never the token. One snapshot. */
int oplists_user_sessions(store *st, const char *username, bool live_only, int limit, store_session_row_fn fn,
			  void *ctx);

/* The homes of the register (`safeguard homes list`), by id; la_code "" or NULL: every authority's. Ofsted's
 * public register names no one: not audited. */
int oplists_homes(store *st, const char *la_code, store_home_fn fn, void *ctx);
/* A home's Regulation 44 reports (`homes reg44`), newest first: the visitor's findings may describe the
 * children there, so audited ("reg44.list", the home in detail) before they are read. */
int oplists_reg44(store *st, int64_t home_id, store_reg44_fn fn, void *ctx);
/* A home's police location-risk notes (`homes notes`), newest first: audited ("home_notes.list"). */
int oplists_home_notes(store *st, int64_t home_id, store_home_note_fn fn, void *ctx);
/* What happened in the homes (`homes incidents`), newest first: of one home (home_id 0: every home's), of one type
 * (type "" or NULL: any), up to limit (0: all). An incident may name a child: audited ("home_incidents.list", the
 * home in detail) before it is read, and shown as the operator may see it: no sealed child's (access_operator_view),
 * the child by id only, and not the summary (free text about the child). */
int oplists_home_incidents(store *st, int64_t home_id, const char *type, int limit, store_home_incident_fn fn,
			   void *ctx);
/* The children placed in homes (`homes placements`): one home's (home_id 0: every home's, by home), current first,
 * then newest first; child_id > 0: that child's only (chosen here, so that the audit names the child listed). Each
 * names a child: audited ("home_placements.list", with the child when one was asked about) before it is read, and
 * shown as the operator may see it: no sealed child's (access_operator_view), the child by id, no names. */
int oplists_home_placements(store *st, int64_t home_id, int64_t child_id, store_placement_fn fn, void *ctx);
/* A monitor run's signals (`homes signals`), by home, month, indicator (home_id 0: every home's). About homes,
 * naming no one: not audited. */
int oplists_signals(store *st, int64_t run_id, int64_t home_id, store_signal_fn fn, void *ctx);
/* A child's unscheduled-care flag look-ups (`safeguard flags lookups --child ID`), newest first, up to limit (0: all;
 * the API shows the newest 25): who looked the child up, from which organisation and setting, when. Each names the
 * child: audited ("flags.list", the child) before it is read; none when the operator may not see the child (a
 * sealed record: access_operator_names). */
int oplists_flag_lookups(store *st, int64_t child_id, int limit, store_flag_access_fn fn, void *ctx);
/* The homes' child-nights month by month, the monitor's exposure (`homes occupancy`), by home and month (home_id 0:
 * every home's). About homes, naming no one: not audited. */
int oplists_occupancy(store *st, int64_t home_id, store_occupancy_fn fn, void *ctx);
/* A monitor run (`homes last-run`): run_id's, or (0) the newest; *found false when there is none. About homes,
 * naming no child (the staff actor who started it, as GET /api/v1/oversight/runs/{id} shows): not audited. */
int oplists_oversight_run(store *st, int64_t run_id, struct store_oversight_run *out, bool *found);

/* Speak-up reports (`safeguard speakup reports`): the queue (new first, then newest first), or (ref not NULL,
 * the stored 8 characters) the one report. A child's report to the council: audited ("speakup.list") before it
 * is read. Each row as the operator is shown it: no passphrase hash, none of the report's words or the names in
 * it, no reviewer's reason, no link to a sealed child. */
int oplists_speakups(store *st, const char *ref, store_speakup_fn fn, void *ctx);

/* Break-glass openings (`safeguard break-glass list`), newest first, under the operator's view (no sealed
 * child), up to limit (0: all): who opened which child's record, why, until when. Audited ("break_glass.list",
 * the child asked about) before it is read. */
int oplists_break_glass(store *st, int64_t child_id, int limit, store_break_glass_fn fn, void *ctx);

/* The sealed records (`safeguard seal list`, store_seals), newest sealed first, up to limit (0: all): which child
 * (by id), on what basis, when and by whom; child_id > 0: that record only. The one operator's list that names
 * sealed children, and so nothing but the seal itself: what the data protection officer reviews (an adoption, a new
 * identity, a court order) and what `safeguard seal` wrote. Audited ("seals.list", the child asked about) before
 * it is read. */
int oplists_seals(store *st, int64_t child_id, int limit, store_seal_fn fn, void *ctx);

/* Recordings of interviews and meetings (`safeguard recordings list`), oldest first (child_id 0: every child's),
 * up to limit (0: all): what each is, of whom, how big, when and by whom it was uploaded, so that an operator can
 * check retention and the sweep without opening the child's page. Audited ("recordings.list", the child asked
 * about) before it is read. As the operator is shown it: no recording of a sealed child (access_operator_names),
 * and none of the row's personal data (the uploader's file name, who was present, consent, the child's words);
 * the keys and the file's name on disk stay in the store. */
int oplists_recordings(store *st, int64_t child_id, int limit, store_recording_fn fn, void *ctx);

/* Record linkage's review tasks (`safeguard link reviews`), open and decided, oldest first: of one person, as the
 * record's or the candidate's (person_id 0: everyone's); open_only: the undecided; up to limit (0: all). Which
 * record raised each, the two persons' ids, the probability, and the decision, by whom and the merge it made.
 * Audited ("link_reviews.list", the person asked about) before it is read. As the operator is shown it: no task
 * that names a sealed person (access_operator_names, either side), no names, no explanation (the values
 * compared) and no reviewer's reason. */
/* A child's merges (`safeguard link merges`, store_merges_of: kept or merged), newest first, up to limit (0: all):
 * ids, who merged and when, who undid it and when; never the reasons. Audited (merges.list, the child) before it is
 * read; a merge with a sealed child on either side is not listed (access_operator_names). */
int oplists_merges(store *st, int64_t child_id, int limit, store_merge_fn fn, void *ctx);
int oplists_link_reviews(store *st, int64_t person_id, bool open_only, int limit, store_link_review_fn fn,
			 void *ctx);

#endif
