/*
 * store/ops.c — every store operation, written once over the driver interface of store/sql.h: the schema's
 * migrations, the statements, their binding and the mapping of rows. The engines are store/drv_sqlite.c
 * (the embedded default) and store/drv_pg.c (PostgreSQL over libpq).
 *
 * Every statement that carries data is prepared once per connection from the table below and bound;
 * nothing is ever interpolated into SQL. The SQL is written so that both engines accept it (ON CONFLICT DO
 * NOTHING, INSERT ... RETURNING id, ?NN parameters, the injected clock as a bound parameter); where they
 * cannot agree, pg_override[] (at the end of the statements) holds PostgreSQL's text for that statement
 * alone, and the row mapping stays one. Migrations are the SQLite DDL scripts below, one transaction each;
 * the PostgreSQL driver rewrites their few type words (store/drv_pg.c).
 *
 * Converting old-style code (sqlite3_* calls) that a branch adds: scripts/store-neutral.sh.
 */
#include "store/store_int.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "clock/now.h"
#include "core/date.h"
#include "core/event.h"
#include "store/sql.h"

#define POOL_MAX 16

/* ---- schema ------------------------------------------------------------------------------------------ */

/* ---- the MASH's rule, for the schema (migration 37's triggers) and the statements ------------------- */

/* The kinds the partial index event_kind_sought holds (migration 28), in its words: a statement that seeks
 * events by one of these kinds names the list too, or SQLite will not use that index. Not a bound parameter:
 * a partial index's kind compared with a parameter makes SQLite prepare the statement again at every bind. */
#define EVENT_KIND_SOUGHT(e) e ".kind IN ('contact', 'referral', 'domestic_abuse_incident')"
/* The same list as SQLite's index holds it since migration 38 and SQLite's statements name it (lite_sql): an IN
 * list of three constants or more is coded through a temporary b-tree, which an INSERT builds, probes and frees
 * for each partial index and CHECK that names one, on every row; comparisons joined by OR are not. PostgreSQL
 * has no such b-tree and keeps the IN list, in its index and its statements (it planned the MASH pages worse
 * with OR: r-sqlintake6). */
#define EVENT_KIND_SOUGHT_OR(e) "(" e ".kind = 'contact' OR " e ".kind = 'referral' OR " e ".kind = 'domestic_abuse_incident')"
/* A decision that answers a contact or referral (and ends the MASH's part): social care's referral decision
 * (core/event.h's EVENT_REFERRAL_DECIDER). Another agency's referral_decision is that agency's own record on the
 * chronology and answers nothing. Every statement below that asks whether a contact is decided says it so; the
 * rules say the same in C (rules_answers_referral). The probe for such a decision at or after a contact reads
 * the partial index event_mash_answer (migration 35), which holds those decisions only, their kind and agency
 * in it: its WHERE is this text, which SQLite needs to use it, and a row value, not two comparisons: a WHERE of
 * kind = ... AND agency = ... made SQLite prepare again at every bind each statement that compares kind or
 * agency with a parameter (test_store's no_statement_prepared_again); a parameter is never a row value. */
#define MASH_ANSWERS(d) "(" d ".kind, " d ".agency) = ('referral_decision', '" EVENT_REFERRAL_DECIDER "')"
/* The one rule of what awaits the MASH: a contact or referral that no such decision of its child answers at or
 * after it (MASH_AWAITS), its negation for a contact answered (MASH_ANSWERED, d the probe's alias). Every
 * statement that asks it (the lists, the counts, a child's and the alerts' awaiting) and the triggers that keep
 * mash_open (migration 37) say it with this text; nothing else says what awaiting is. */
#define MASH_ANSWERED(e, d) "EXISTS (SELECT 1 FROM event " d " WHERE " d ".person_id = " e ".person_id AND " \
			    MASH_ANSWERS(d) " AND " d ".occurred_at >= " e ".occurred_at)"
#define MASH_AWAITS(e) "(" e ".kind IN ('contact', 'referral') AND NOT " MASH_ANSWERED(e, "d") ")"
/* A row of mash_open: an event's (occurred_at, id) and, since migration 39, its agency, the agency filter's
 * leading key (mash_open_agency). Migration 37's text wrote the first two only (MASH_OPEN_ROW_37): the
 * migrations' texts are what they were, so that a database at any version is migrated as it was then. */
#define MASH_OPEN_ROW "mash_open(occurred_at, event_id, agency) SELECT e.occurred_at, e.id, e.agency"
#define MASH_OPEN_ROW_37 "mash_open(occurred_at, event_id) SELECT e.occurred_at, e.id"
/* mash_open (migration 37) made what the rule says for the children `persons` (an SQL list): their contacts
 * and referrals that no longer await out, those that await in. The child is the event's, read through it, so
 * that a merge moving events needs no second copy moved; the agency is copied (migration 39), and an event
 * whose agency changes is taken out and put back by the trigger that runs this (UPDATE OF agency). */
#define MASH_OPEN_FIX_(persons, row)                                                                           \
	"DELETE FROM mash_open WHERE (occurred_at, event_id) IN (SELECT e.occurred_at, e.id FROM event e "      \
	"WHERE e.person_id IN (" persons ") AND e.kind IN ('contact', 'referral') AND NOT " MASH_AWAITS("e") "); " \
	"INSERT INTO " row " FROM event e WHERE e.person_id "                                                    \
	"IN (" persons ") AND " MASH_AWAITS("e") " AND NOT EXISTS (SELECT 1 FROM mash_open o WHERE "            \
	"o.occurred_at = e.occurred_at AND o.event_id = e.id);"
#define MASH_OPEN_FIX(persons) MASH_OPEN_FIX_(persons, MASH_OPEN_ROW)
/* A new event (?1, written by sq_event_insert or intake's statements, which run these after it): a contact or
 * referral in when the rule says it awaits (a decision may already be there, after it); a decision that
 * answers takes out the child's rows the rule no longer says await. Statements of the writer, not triggers:
 * an INSERT trigger on event cost SQLite's writer ~40,000 instructions on every event it writes, of any kind
 * (a statement journal and the trigger's program), and PostgreSQL's 70,000-90,000 an event (the function's
 * queries), +5% of the writer backend (docs/BENCHMARKS.md, r-mash23). */
#define MASH_OPEN_CONTACT                                                                                      \
	"INSERT INTO " MASH_OPEN_ROW " FROM event e WHERE e.id = ?1 AND " MASH_AWAITS("e")
#define MASH_OPEN_ANSWER                                                                                       \
	"DELETE FROM mash_open WHERE (occurred_at, event_id) IN (SELECT e.occurred_at, e.id FROM event n JOIN "  \
	"event e ON e.person_id = n.person_id WHERE n.id = ?1 AND " MASH_ANSWERS("n") " AND e.kind IN "         \
	"('contact', 'referral') AND NOT " MASH_AWAITS("e") ")"
/* Every row the rule says awaits, for the migration and after a bulk load (held back while its rows went in).
 * A row already there is left by ON CONFLICT, not asked by a NOT EXISTS of mash_open: the table is empty when
 * this runs and analysed so (migration 37's ANALYZE), and PostgreSQL probed it by a scan in a nested loop, which
 * passed every row the statement had inserted so far, once for each contact: quadratic, over 10 minutes of CPU
 * for a fast area-load of 50,000 children (300,262 contacts, none decided; docs/BENCHMARKS.md, r-pgpage25). */
#define MASH_OPEN_FILL_(sought, row)                                                                           \
	"INSERT INTO " row " FROM event e WHERE " sought("e") " AND " MASH_AWAITS("e") " ON CONFLICT DO NOTHING"
#define MASH_OPEN_FILL MASH_OPEN_FILL_(EVENT_KIND_SOUGHT, MASH_OPEN_ROW)
/* SQLite's, since migration 38 (EVENT_KIND_SOUGHT_OR), kept in bulk_held_index by a SQLite bulk load */
#define MASH_OPEN_FILL_LITE MASH_OPEN_FILL_(EVENT_KIND_SOUGHT_OR, MASH_OPEN_ROW)
/* Whether a bulk load holds mash_open back (its name in bulk_held_index, with MASH_OPEN_FILL to run after) */
#define MASH_OPEN_HELD "EXISTS (SELECT 1 FROM bulk_held_index WHERE name = 'mash_open')"
#define MASH_OPEN_KINDS(e) e ".kind IN ('contact', 'referral', 'referral_decision')"

/* ---- the category of a health-only record, for the schema (migration 41's index) and the views ------------ */

/* Whether the rule reads the details' category at all (VIEW_CATEGORY_SHOWN_'s and EVENT_CATEGORY_KEY's part):
 * no escaped letter of the key, and "category" in quotes once at most (two conditions joined by AND, unbracketed:
 * VIEW_CATEGORY_SHOWN_'s text is what it was before migration 41). */
#define VIEW_CATEGORY_READ_(d)                                                                                 \
	"(instr(" d ", '\\u') = 0 OR (instr(lower(" d "), '\\u006') = 0 AND instr(lower(" d "), '\\u007') = 0)) " \
	"AND (" d " NOT LIKE '%\"category\"%\"category\"%' OR instr(substr(" d ", instr(" d ", '\"category\"') + 1), " \
	"'\"category\"') = 0)"
/* The details' category as VIEW_CATEGORY_SHOWN_ reads it, as one text a b-tree can hold (event.category_key,
 * migration 41, in the index event_person_category: person_id, agency, category_key): '=' and the category ('='
 * alone where there is none, as the rule's coalesce reads it), or '' where the rule does not read it (it hides
 * those; '' is below every other key in any order of text, which VIEW_PERSON_KNOWN_AS_ needs). So the rule's
 * category part is: the key is not '' and not '=' || any value of the list; both engines write the same text (a
 * number is made text by the ||). Details that do not name a category
 * (EVENT_CATEGORY_NAMED: neither "category" nor an escape in their text, as the key can be named only so) are
 * '=' at once, without parsing them. Every statement that inserts an event writes it with this text. */
#define EVENT_CATEGORY_KEY(d)                                                                                  \
	"(CASE WHEN NOT " EVENT_CATEGORY_NAMED(d) " THEN '=' WHEN (" VIEW_CATEGORY_READ_(d) \
	") THEN '=' || coalesce(json_extract(" d ", '$.category'), '') ELSE '' END)"
#define EVENT_CATEGORY_NAMED(d) "(instr(" d ", 'category') > 0 OR instr(" d ", '\\u') > 0)"

/*
 * Times are UTC text "YYYY-MM-DDTHH:MM:SSZ": they sort as text, read well in a dump and mean the same in
 * PostgreSQL. Ids are integers. Tables that other tables point at are never deleted from (person merges
 * in the linkage issue will record provenance instead).
 */
static const char *const migrations[] = {
	/* 1: the foundation */
	"CREATE TABLE agency ("
	"  code TEXT PRIMARY KEY CHECK (length(code) BETWEEN 1 AND 32),"
	"  name TEXT NOT NULL);"
	"CREATE TABLE api_client ("
	"  id INTEGER PRIMARY KEY,"
	"  agency TEXT NOT NULL REFERENCES agency(code),"
	"  token_hash BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),"
	"  label TEXT NOT NULL DEFAULT '',"
	"  created_at TEXT NOT NULL,"
	"  revoked_at TEXT);"
	"CREATE TABLE person ("
	"  id INTEGER PRIMARY KEY,"
	"  given_name TEXT NOT NULL DEFAULT '',"
	"  middle_names TEXT NOT NULL DEFAULT '',"
	"  family_name TEXT NOT NULL DEFAULT '',"
	"  dob TEXT,"
	"  sex TEXT NOT NULL DEFAULT '' CHECK (sex IN ('', 'M', 'F', 'U')),"
	"  postcode TEXT NOT NULL DEFAULT '',"
	"  address TEXT NOT NULL DEFAULT '',"
	"  match_key TEXT,"
	"  sealed INTEGER NOT NULL DEFAULT 0,"
	"  created_at TEXT NOT NULL);"
	"CREATE INDEX person_match_key ON person(match_key) WHERE match_key IS NOT NULL;"
	"CREATE TABLE source_record ("
	"  id INTEGER PRIMARY KEY,"
	"  agency TEXT NOT NULL REFERENCES agency(code),"
	"  source_ref TEXT NOT NULL,"
	"  payload_hash BLOB NOT NULL,"
	"  payload TEXT NOT NULL,"
	"  person_id INTEGER NOT NULL REFERENCES person(id),"
	"  link_score REAL NOT NULL,"
	"  link_rule TEXT NOT NULL,"
	"  decided_by TEXT NOT NULL DEFAULT 'intake',"
	"  received_at TEXT NOT NULL,"
	"  UNIQUE (agency, source_ref));"
	"CREATE INDEX source_record_person ON source_record(person_id);"
	"CREATE TABLE identifier ("
	"  id INTEGER PRIMARY KEY,"
	"  person_id INTEGER NOT NULL REFERENCES person(id),"
	"  kind TEXT NOT NULL CHECK (kind IN ('nhs', 'upn', 'local')),"
	"  value TEXT NOT NULL,"
	"  source_record_id INTEGER REFERENCES source_record(id),"
	"  first_seen TEXT NOT NULL,"
	"  UNIQUE (kind, value, person_id));"
	"CREATE INDEX identifier_person ON identifier(person_id);"
	"CREATE TABLE household ("
	"  id INTEGER PRIMARY KEY,"
	"  key TEXT NOT NULL UNIQUE,"
	"  postcode TEXT NOT NULL,"
	"  address TEXT NOT NULL);"
	"CREATE TABLE household_member ("
	"  household_id INTEGER NOT NULL REFERENCES household(id),"
	"  person_id INTEGER NOT NULL REFERENCES person(id),"
	"  first_seen TEXT NOT NULL,"
	"  last_seen TEXT NOT NULL,"
	"  PRIMARY KEY (household_id, person_id));"
	"CREATE INDEX household_member_person ON household_member(person_id);"
	"CREATE TABLE relationship ("
	"  id INTEGER PRIMARY KEY,"
	"  person_a INTEGER NOT NULL REFERENCES person(id),"
	"  person_b INTEGER NOT NULL REFERENCES person(id),"
	"  kind TEXT NOT NULL CHECK (kind IN ('parent', 'sibling', 'partner', 'carer', 'other')),"
	"  source_record_id INTEGER REFERENCES source_record(id),"
	"  started_on TEXT, ended_on TEXT,"
	"  CHECK (person_a <> person_b));"
	"CREATE INDEX relationship_a ON relationship(person_a);"
	"CREATE INDEX relationship_b ON relationship(person_b);"
	"CREATE TABLE event ("
	"  id INTEGER PRIMARY KEY,"
	"  person_id INTEGER NOT NULL REFERENCES person(id),"
	"  source_record_id INTEGER NOT NULL UNIQUE REFERENCES source_record(id),"
	"  agency TEXT NOT NULL REFERENCES agency(code),"
	"  kind TEXT NOT NULL,"
	"  occurred_at TEXT NOT NULL,"
	"  recorded_at TEXT NOT NULL,"
	"  summary TEXT NOT NULL,"
	"  details TEXT NOT NULL DEFAULT '{}',"
	"  supersedes INTEGER REFERENCES event(id));"
	"CREATE INDEX event_chronology ON event(person_id, occurred_at DESC, id DESC);"
	"CREATE TABLE episode ("
	"  id INTEGER PRIMARY KEY,"
	"  person_id INTEGER NOT NULL REFERENCES person(id),"
	"  kind TEXT NOT NULL,"
	"  started_at TEXT NOT NULL,"
	"  ended_at TEXT,"
	"  start_event_id INTEGER REFERENCES event(id),"
	"  end_event_id INTEGER REFERENCES event(id),"
	"  data TEXT NOT NULL DEFAULT '{}');"
	"CREATE INDEX episode_person ON episode(person_id, kind);"
	"CREATE TABLE alert ("
	"  id INTEGER PRIMARY KEY,"
	"  person_id INTEGER REFERENCES person(id),"
	"  code TEXT NOT NULL,"
	"  raised_on TEXT NOT NULL,"
	"  due_on TEXT,"
	"  evidence TEXT NOT NULL DEFAULT '[]',"
	"  owner TEXT,"
	"  state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'acknowledged', 'escalated', 'closed')),"
	"  acknowledged_at TEXT, escalated_at TEXT, closed_at TEXT);"
	"CREATE INDEX alert_person ON alert(person_id, state);"
	/* Append-only: no UPDATE or DELETE path exists in this file, and the triggers refuse any from outside. */
	"CREATE TABLE audit ("
	"  id INTEGER PRIMARY KEY,"
	"  at TEXT NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  action TEXT NOT NULL,"
	"  child_id INTEGER,"
	"  object TEXT NOT NULL DEFAULT '',"
	"  detail TEXT NOT NULL DEFAULT '');"
	"CREATE INDEX audit_child ON audit(child_id, id) WHERE child_id IS NOT NULL;"
	"CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;"
	"CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;",

	/* 2: what the pages show and search by: a child's needs, folded names, events by kind */
	"ALTER TABLE person ADD COLUMN communication_needs TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE person ADD COLUMN disability TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE person ADD COLUMN ethnicity TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE person ADD COLUMN first_language TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE person ADD COLUMN given_fold TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE person ADD COLUMN family_fold TEXT NOT NULL DEFAULT '';"
	/* Rows from version 1 get SQLite's lower() (ASCII only); new rows get core/text.h's full folding. */
	"UPDATE person SET given_fold = lower(given_name), family_fold = lower(family_name);"
	"CREATE INDEX person_family_fold ON person(family_fold, given_fold);"
	"CREATE INDEX person_dob ON person(dob);"
	"CREATE INDEX event_person_kind ON event(person_id, kind, occurred_at);"
	/* Covers the chronology's order and what an overview needs, so a 2,000-event timeline reads no rows;
	 * it serves the paged chronology as well, which makes the version 1 index redundant. */
	"CREATE INDEX event_history ON event(person_id, occurred_at, id, agency, kind);"
	"DROP INDEX event_chronology;",

	/* 3: one vocabulary with the rules (docs/RULES.md): what agencies sent stays as sent in source_record */
	"UPDATE event SET kind = 'unscheduled_care' WHERE kind = 'ae_attendance';"
	"UPDATE event SET kind = 'visit' WHERE kind = 'home_visit';",

	/* 4: alerts that reach a person (the version 1 table was never written to), teams, allocations, and
	 * the unscheduled-care look-ups */
	"DROP TABLE alert;"
	"CREATE TABLE team ("
	"  code TEXT PRIMARY KEY CHECK (length(code) BETWEEN 1 AND 32),"
	"  name TEXT NOT NULL,"
	"  manager TEXT NOT NULL DEFAULT '');"
	"CREATE TABLE allocation ("
	"  person_id INTEGER PRIMARY KEY REFERENCES person(id),"
	"  worker TEXT NOT NULL DEFAULT '',"
	"  team TEXT NOT NULL REFERENCES team(code),"
	"  since TEXT NOT NULL);"
	"CREATE INDEX allocation_worker ON allocation(worker) WHERE worker <> '';"
	"CREATE TABLE alert ("
	"  id INTEGER PRIMARY KEY,"
	"  person_id INTEGER NOT NULL REFERENCES person(id),"
	"  code TEXT NOT NULL,"
	"  raised_on TEXT NOT NULL,"
	"  due_on TEXT,"
	"  evidence TEXT NOT NULL DEFAULT '[]',"
	"  dedup_key TEXT NOT NULL,"
	"  owner_kind TEXT NOT NULL CHECK (owner_kind IN ('worker', 'team', 'mash')),"
	"  owner TEXT NOT NULL,"
	"  state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'acknowledged', 'resolved')),"
	"  created_at TEXT NOT NULL,"
	"  acknowledged_at TEXT, acknowledged_by TEXT,"
	"  resolved_at TEXT, resolved_by TEXT, outcome TEXT,"
	"  escalated_at TEXT, escalated_to TEXT,"
	"  UNIQUE (person_id, dedup_key));"
	"CREATE INDEX alert_owner ON alert(owner, state, raised_on);"
	"CREATE INDEX alert_escalated ON alert(escalated_to, state) WHERE escalated_to IS NOT NULL;"
	"CREATE INDEX alert_state ON alert(state, raised_on);"
	"CREATE TABLE flag_access ("
	"  id INTEGER PRIMARY KEY,"
	"  person_id INTEGER NOT NULL REFERENCES person(id),"
	"  at TEXT NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  organisation TEXT NOT NULL,"
	"  setting TEXT NOT NULL);"
	"CREATE INDEX flag_access_person ON flag_access(person_id, id);"
	/* The MASH queue looks contacts and referrals up by kind across every child. */
	"CREATE INDEX event_kind_time ON event(kind, occurred_at);",

	/* 5: the audit is a hash chain (service/audit.h). Rows from before get their hash once, in order, when
	 * the chain is sealed; after that no column of any row may change. */
	"ALTER TABLE audit ADD COLUMN hash BLOB;"
	"DROP TRIGGER audit_no_update;"
	"CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit WHEN OLD.hash IS NOT NULL OR NEW.hash IS NULL "
	"OR NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at OR NEW.actor IS NOT OLD.actor OR NEW.action IS NOT OLD.action "
	"OR NEW.child_id IS NOT OLD.child_id OR NEW.object IS NOT OLD.object OR NEW.detail IS NOT OLD.detail "
	"BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;"
	"CREATE TABLE audit_checkpoint ("
	"  audit_id INTEGER PRIMARY KEY,"
	"  hash BLOB NOT NULL,"
	"  at TEXT NOT NULL,"
	"  public_key BLOB NOT NULL,"
	"  signature BLOB NOT NULL);"
	"CREATE TRIGGER audit_checkpoint_no_update BEFORE UPDATE ON audit_checkpoint BEGIN "
	"SELECT RAISE(ABORT, 'checkpoints are append-only'); END;"
	"CREATE TRIGGER audit_checkpoint_no_delete BEFORE DELETE ON audit_checkpoint BEGIN "
	"SELECT RAISE(ABORT, 'checkpoints are append-only'); END;",

	/* 6: a child's alerts by index (every record page lists them; the filtered inbox query scanned) */
	"CREATE INDEX alert_person ON alert(person_id, raised_on);",

	/* 7: people who sign in (issue 4): roles, Argon2id password hashes, TOTP secrets, server-side sessions,
	 * and sign-in attempts for throttling */
	"CREATE TABLE app_user ("
	"  id INTEGER PRIMARY KEY,"
	"  username TEXT NOT NULL UNIQUE CHECK (length(username) BETWEEN 1 AND 64),"
	"  agency TEXT NOT NULL REFERENCES agency(code),"
	"  role TEXT NOT NULL CHECK (role IN ('social_worker', 'team_manager', 'mash_worker', 'police_officer', "
	"    'health_practitioner', 'school_dsl', 'conference_chair', 'oversight_analyst', 'dpo', 'admin')),"
	"  password_hash TEXT NOT NULL,"
	"  totp_secret BLOB NOT NULL CHECK (length(totp_secret) = 20),"
	"  created_at TEXT NOT NULL,"
	"  disabled_at TEXT);"
	"CREATE TABLE session ("
	"  token_hash BLOB PRIMARY KEY,"
	"  user_id INTEGER NOT NULL REFERENCES app_user(id),"
	"  kind TEXT NOT NULL CHECK (kind IN ('api', 'web')),"
	"  created_at TEXT NOT NULL,"
	"  expires_at TEXT NOT NULL,"
	"  idle_until TEXT NOT NULL,"
	"  ended_at TEXT);"
	"CREATE TABLE login_attempt ("
	"  id INTEGER PRIMARY KEY,"
	"  username TEXT NOT NULL,"
	"  remote TEXT NOT NULL,"
	"  at TEXT NOT NULL,"
	"  ok INTEGER NOT NULL);"
	"CREATE INDEX login_attempt_user ON login_attempt(username, at);"
	"CREATE INDEX login_attempt_remote ON login_attempt(remote, at);",

	/* 8: break-glass, for the record's owner and the data protection officer to review */
	"CREATE TABLE break_glass ("
	"  id INTEGER PRIMARY KEY,"
	"  child_id INTEGER NOT NULL REFERENCES person(id),"
	"  user_id INTEGER NOT NULL REFERENCES app_user(id),"
	"  reason TEXT NOT NULL,"
	"  at TEXT NOT NULL,"
	"  expires_at TEXT NOT NULL);"
	"CREATE INDEX break_glass_child ON break_glass(child_id, user_id, expires_at);"
	"CREATE INDEX event_person_agency ON event(person_id, agency);",

	/* 9: recordings of interviews and meetings (service/recordings.h): the file on disk is ciphertext; the
	 * row holds its key wrapped by a master key kept outside the database, and the plaintext's hash */
	"CREATE TABLE recording ("
	"  id INTEGER PRIMARY KEY,"
	"  child_id INTEGER NOT NULL REFERENCES person(id),"
	"  filename TEXT NOT NULL CHECK (length(filename) BETWEEN 1 AND 200),"
	"  content_type TEXT NOT NULL,"
	"  bytes INTEGER NOT NULL CHECK (bytes >= 0),"
	"  blake2b TEXT NOT NULL CHECK (length(blake2b) = 64),"
	"  wrapped_key BLOB NOT NULL CHECK (length(wrapped_key) = 48),"
	"  key_nonce BLOB NOT NULL CHECK (length(key_nonce) = 24),"
	"  disk_name TEXT NOT NULL UNIQUE,"
	"  uploaded_by TEXT NOT NULL,"
	"  uploaded_at TEXT NOT NULL);"
	"CREATE INDEX recording_child ON recording(child_id, id);",

	/* 10: sealed records (an adopted child's birth identity, a child given a new identity for protection):
	 * invisible to everyone but the roles named for them (service/access.h) */
	"CREATE TABLE sealed_record ("
	"  person_id INTEGER PRIMARY KEY REFERENCES person(id),"
	"  basis TEXT NOT NULL CHECK (basis IN ('adoption', 'protection', 'court_order')),"
	"  sealed_at TEXT NOT NULL,"
	"  sealed_by TEXT NOT NULL);",

	/* 11: a TOTP code signs in once (RFC 6238 section 5.2): the last time step used, per person */
	"ALTER TABLE app_user ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;",

	/* 12: children's homes (issue 6): the register, child-nights, incidents with the Regulation 35 details of
	 * restraints, placements, Regulation 44 visit reports, police location-risk notes, and the oversight
	 * monitor's runs, signals and alerts about homes (an alert about a home has no child: its own table) */
	"CREATE TABLE home ("
	"  id INTEGER PRIMARY KEY,"
	"  urn TEXT NOT NULL UNIQUE CHECK (length(urn) BETWEEN 1 AND 15),"
	"  name TEXT NOT NULL,"
	"  provider TEXT NOT NULL DEFAULT '',"
	"  la_code TEXT NOT NULL DEFAULT '',"
	"  postcode TEXT NOT NULL DEFAULT '',"
	"  lat REAL, lon REAL,"
	"  places INTEGER NOT NULL DEFAULT 0 CHECK (places >= 0),"
	"  specialism TEXT NOT NULL,"
	"  ofsted_grade TEXT NOT NULL DEFAULT '' CHECK (ofsted_grade IN ('', 'outstanding', 'good', "
	"    'requires_improvement', 'inadequate')),"
	"  grade_date TEXT);"
	"CREATE INDEX home_la ON home(la_code);"
	"CREATE TABLE home_occupancy ("
	"  home_id INTEGER NOT NULL REFERENCES home(id),"
	"  month TEXT NOT NULL CHECK (length(month) = 7),"
	"  child_nights REAL NOT NULL CHECK (child_nights >= 0),"
	"  PRIMARY KEY (home_id, month));"
	"CREATE TABLE home_placement ("
	"  id INTEGER PRIMARY KEY,"
	"  home_id INTEGER NOT NULL REFERENCES home(id),"
	"  person_id INTEGER REFERENCES person(id),"
	"  start_on TEXT NOT NULL,"
	"  end_on TEXT,"
	"  distance_km REAL,"
	"  out_of_area INTEGER NOT NULL DEFAULT 0,"
	"  distant INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX home_placement_home ON home_placement(home_id, start_on);"
	"CREATE INDEX home_placement_person ON home_placement(person_id) WHERE person_id IS NOT NULL;"
	"CREATE TABLE home_incident ("
	"  id INTEGER PRIMARY KEY,"
	"  home_id INTEGER NOT NULL REFERENCES home(id),"
	"  person_id INTEGER REFERENCES person(id),"
	"  occurred_at TEXT NOT NULL,"
	"  type TEXT NOT NULL CHECK (type IN ('restraint', 'injury', 'missing', 'police', 'complaint', 'self_harm', "
	"    'notification', 'allegation')),"
	"  duration_min INTEGER CHECK (duration_min >= 0),"
	"  technique TEXT NOT NULL DEFAULT '',"
	"  child_injured INTEGER CHECK (child_injured IN (0, 1)),"
	"  staff_involved INTEGER CHECK (staff_involved >= 0),"
	"  debrief_offered INTEGER CHECK (debrief_offered IN (0, 1)),"
	"  summary TEXT NOT NULL DEFAULT '');"
	"CREATE INDEX home_incident_home ON home_incident(home_id, occurred_at);"
	"CREATE INDEX home_incident_type ON home_incident(type, occurred_at);"
	"CREATE TABLE reg44_report ("
	"  id INTEGER PRIMARY KEY,"
	"  home_id INTEGER NOT NULL REFERENCES home(id),"
	"  month TEXT NOT NULL CHECK (length(month) = 7),"
	"  received_at TEXT NOT NULL,"
	"  visitor TEXT NOT NULL,"
	"  summary TEXT NOT NULL DEFAULT '',"
	"  UNIQUE (home_id, month));"
	"CREATE TABLE home_note ("
	"  id INTEGER PRIMARY KEY,"
	"  home_id INTEGER NOT NULL REFERENCES home(id),"
	"  author TEXT NOT NULL,"
	"  agency TEXT NOT NULL,"
	"  created_at TEXT NOT NULL,"
	"  text TEXT NOT NULL);"
	"CREATE INDEX home_note_home ON home_note(home_id, id);"
	"CREATE TABLE oversight_run ("
	"  id INTEGER PRIMARY KEY,"
	"  started_at TEXT NOT NULL,"
	"  finished_at TEXT NOT NULL,"
	"  trigger TEXT NOT NULL CHECK (trigger IN ('nightly', 'on_demand', 'cli')),"
	"  by TEXT NOT NULL,"
	"  budget REAL NOT NULL,"
	"  h_up REAL NOT NULL, h_down REAL NOT NULL, h_combined REAL NOT NULL,"
	"  homes INTEGER NOT NULL, months INTEGER NOT NULL,"
	"  first_month TEXT NOT NULL, last_month TEXT NOT NULL,"
	"  signals INTEGER NOT NULL, alerts INTEGER NOT NULL);"
	"CREATE TABLE oversight_signal ("
	"  id INTEGER PRIMARY KEY,"
	"  run_id INTEGER NOT NULL REFERENCES oversight_run(id),"
	"  home_id INTEGER NOT NULL REFERENCES home(id),"
	"  month TEXT NOT NULL,"
	"  indicator TEXT NOT NULL,"
	"  direction TEXT NOT NULL CHECK (direction IN ('high', 'low')),"
	"  statistic REAL NOT NULL, threshold REAL NOT NULL,"
	"  observed REAL NOT NULL, expected REAL NOT NULL, months INTEGER NOT NULL,"
	"  reason TEXT NOT NULL);"
	"CREATE INDEX oversight_signal_run ON oversight_signal(run_id, home_id, month);"
	"CREATE TABLE home_alert ("
	"  id INTEGER PRIMARY KEY,"
	"  home_id INTEGER NOT NULL REFERENCES home(id),"
	"  run_id INTEGER REFERENCES oversight_run(id),"
	"  kind TEXT NOT NULL CHECK (kind IN ('signal', 'reg44')),"
	"  month TEXT NOT NULL,"
	"  reason TEXT NOT NULL,"
	"  dedup_key TEXT NOT NULL,"
	"  owner TEXT NOT NULL,"
	"  state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'acknowledged', 'resolved')),"
	"  created_at TEXT NOT NULL,"
	"  UNIQUE (home_id, dedup_key));"
	"CREATE INDEX home_alert_state ON home_alert(state, id);",
	/* 13: record linkage in the service (service/identity.h, service/linkreview.h). The blocking index: each
	 * person's cheap keys, each from the source record that brought it (0: from the person's own row), so a
	 * merge moves a record's keys with the record. Review tasks with their explanation, refusals ("different"
	 * is remembered), merges with every row they moved, so an undo puts back exactly those rows. Keys that
	 * need the service's phonetic code cannot be computed here: persons from before get their identifier,
	 * given-initial + date of birth and postcode keys now, the rest when they next gain a record. */
	"CREATE TABLE person_block_key ("
	"  key TEXT NOT NULL,"
	"  person_id INTEGER NOT NULL REFERENCES person(id),"
	"  source_record_id INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (key, person_id, source_record_id)) WITHOUT ROWID;"
	"CREATE INDEX person_block_key_source ON person_block_key(source_record_id) WHERE source_record_id <> 0;"
	"INSERT INTO person_block_key(key, person_id) SELECT kind || ':' || value, person_id FROM identifier "
	"  WHERE kind IN ('nhs', 'upn') ON CONFLICT DO NOTHING;"
	"INSERT INTO person_block_key(key, person_id) SELECT 'gdob:' || substr(given_fold, 1, 1) || '|' || dob, id "
	"  FROM person WHERE given_fold <> '' AND dob IS NOT NULL ON CONFLICT DO NOTHING;"
	"INSERT INTO person_block_key(key, person_id) SELECT 'pc:' || postcode || '|' || substr(given_fold, 1, 1), id "
	"  FROM person WHERE given_fold <> '' AND postcode <> '' ON CONFLICT DO NOTHING;"
	"CREATE TABLE person_merge ("
	"  id INTEGER PRIMARY KEY,"
	"  kept_id INTEGER NOT NULL REFERENCES person(id),"
	"  merged_id INTEGER NOT NULL REFERENCES person(id),"
	"  merged_by TEXT NOT NULL,"
	"  merged_at TEXT NOT NULL,"
	"  reason TEXT NOT NULL,"
	"  undone_at TEXT, undone_by TEXT, undo_reason TEXT,"
	"  CHECK (kept_id <> merged_id));"
	"CREATE UNIQUE INDEX person_merge_active ON person_merge(merged_id) WHERE undone_at IS NULL;"
	"CREATE INDEX person_merge_kept ON person_merge(kept_id);"
	"CREATE TABLE person_merge_row ("
	"  merge_id INTEGER NOT NULL REFERENCES person_merge(id),"
	"  tbl TEXT NOT NULL CHECK (tbl IN ('source_record', 'event', 'identifier', 'alert', 'household')),"
	"  row_id INTEGER NOT NULL,"
	"  PRIMARY KEY (merge_id, tbl, row_id)) WITHOUT ROWID;"
	"CREATE TABLE link_review ("
	"  id INTEGER PRIMARY KEY,"
	"  source_record_id INTEGER NOT NULL REFERENCES source_record(id),"
	"  person_id INTEGER NOT NULL REFERENCES person(id),"
	"  candidate_id INTEGER NOT NULL REFERENCES person(id),"
	"  weight REAL NOT NULL,"
	"  probability REAL NOT NULL,"
	"  explanation TEXT NOT NULL,"
	"  created_at TEXT NOT NULL,"
	"  decided_at TEXT, decided_by TEXT,"
	"  decision TEXT CHECK (decision IN ('same', 'different')),"
	"  reason TEXT,"
	"  merge_id INTEGER REFERENCES person_merge(id),"
	"  CHECK (person_id <> candidate_id));"
	"CREATE INDEX link_review_open ON link_review(id) WHERE decided_at IS NULL;"
	"CREATE INDEX link_review_pair ON link_review(person_id, candidate_id);"
	"CREATE INDEX link_review_candidate ON link_review(candidate_id);"
	"CREATE TABLE link_refusal ("
	"  id INTEGER PRIMARY KEY,"
	"  person_a INTEGER NOT NULL REFERENCES person(id),"
	"  person_b INTEGER NOT NULL REFERENCES person(id),"
	"  source_record_id INTEGER REFERENCES source_record(id),"
	"  review_id INTEGER REFERENCES link_review(id),"
	"  refused_by TEXT NOT NULL,"
	"  refused_at TEXT NOT NULL,"
	"  reason TEXT NOT NULL,"
	"  CHECK (person_a < person_b));"
	"CREATE INDEX link_refusal_pair ON link_refusal(person_a, person_b);"
	"CREATE INDEX link_refusal_b ON link_refusal(person_b);",
	/* 14: alerts about homes are acknowledged, resolved with an outcome and escalated as a child's are */
	"ALTER TABLE home_alert ADD COLUMN acknowledged_at TEXT;"
	"ALTER TABLE home_alert ADD COLUMN acknowledged_by TEXT;"
	"ALTER TABLE home_alert ADD COLUMN resolved_at TEXT;"
	"ALTER TABLE home_alert ADD COLUMN resolved_by TEXT;"
	"ALTER TABLE home_alert ADD COLUMN outcome TEXT;"
	"ALTER TABLE home_alert ADD COLUMN escalated_at TEXT;"
	"ALTER TABLE home_alert ADD COLUMN escalated_to TEXT;"
	"CREATE INDEX home_alert_open ON home_alert(created_at) WHERE state = 'open' AND escalated_at IS NULL;",

	/* 15: signing in and break-glass (issue 14). TOTP secrets encrypted with the server's key (nonce ||
	 * ciphertext || tag; the plain column keeps zeros once a row is sealed, which service/users.c does for
	 * older rows when it has the key); one audit entry per throttling key and window; the data protection
	 * officer's notices of break-glass (child_id is the id asked for, which may hold no child) */
	"ALTER TABLE app_user ADD COLUMN totp_sealed BLOB CHECK (totp_sealed IS NULL OR length(totp_sealed) = 60);"
	"CREATE TABLE login_throttle ("
	"  key TEXT PRIMARY KEY,"
	"  noted_at TEXT NOT NULL);"
	"CREATE TABLE dpo_notice ("
	"  id INTEGER PRIMARY KEY,"
	"  kind TEXT NOT NULL CHECK (kind IN ('break_glass', 'break_glass_misuse')),"
	"  at TEXT NOT NULL,"
	"  user_id INTEGER NOT NULL REFERENCES app_user(id),"
	"  child_id INTEGER NOT NULL,"
	"  break_glass_id INTEGER REFERENCES break_glass(id),"
	"  detail TEXT NOT NULL DEFAULT '');"
	"CREATE INDEX dpo_notice_user ON dpo_notice(user_id, kind, at);",

	/* 16: sealed state has one source of truth, sealed_record (schema 10): the person.sealed flag of schema 1,
	 * which nothing ever set while lists filtered on it, is gone, so no list can consult it again */
	"ALTER TABLE person DROP COLUMN sealed;",

	/* 17: agency tokens get scopes (issue 14): what each may do, space-separated (service/tokens.h); the
	 * tokens from before send records and nothing else. Who made each (its creator named from the audit where
	 * the audit has it), and a token that reads children waits for a second person's approval (pending). */
	"ALTER TABLE api_client ADD COLUMN scope TEXT NOT NULL DEFAULT 'events:write' CHECK (length(scope) BETWEEN 1 AND 200);"
	"ALTER TABLE api_client ADD COLUMN created_by TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE api_client ADD COLUMN pending INTEGER NOT NULL DEFAULT 0 CHECK (pending IN (0, 1));"
	"ALTER TABLE api_client ADD COLUMN approved_by TEXT;"
	"ALTER TABLE api_client ADD COLUMN approved_at TEXT;"
	"UPDATE api_client SET created_by = coalesce((SELECT a.actor FROM audit a WHERE a.action = 'token.create' "
	"  AND a.object = 'client:' || api_client.id ORDER BY a.id LIMIT 1), '');",

	/* 18: the service's own record-linkage model (issue 16): each training from the store's records
	 * (`safeguard link train --db`, or the nightly sweep), with what it saw and how it did on the pairs
	 * reviewers decided; params is the model itself (JSON, service/linktrain.c). The latest row is in use. */
	"CREATE TABLE link_model ("
	"  id INTEGER PRIMARY KEY,"
	"  trained_at TEXT NOT NULL,"
	"  how TEXT NOT NULL CHECK (how IN ('command', 'nightly')),"
	"  records INTEGER NOT NULL CHECK (records >= 0),"
	"  pairs INTEGER NOT NULL CHECK (pairs >= 0),"
	"  random_pairs INTEGER NOT NULL CHECK (random_pairs >= 0),"
	"  reviewed INTEGER NOT NULL CHECK (reviewed >= 0),"
	"  reviewed_same INTEGER NOT NULL CHECK (reviewed_same BETWEEN 0 AND reviewed),"
	"  linked INTEGER NOT NULL CHECK (linked BETWEEN 0 AND reviewed),"
	"  linked_same INTEGER NOT NULL CHECK (linked_same BETWEEN 0 AND linked),"
	"  link_threshold REAL NOT NULL CHECK (link_threshold > 0 AND link_threshold < 1),"
	"  review_threshold REAL NOT NULL CHECK (review_threshold > 0 AND review_threshold <= link_threshold),"
	"  params TEXT NOT NULL);",
	/* 19: a team's contact details (issue 15): the child's page and the unscheduled-care flag answer say whom
	 * to call in office hours and out of hours; people have none of their own here, teams do */
	"ALTER TABLE team ADD COLUMN phone TEXT NOT NULL DEFAULT '' CHECK (length(phone) <= 40);"
	"ALTER TABLE team ADD COLUMN out_of_hours_phone TEXT NOT NULL DEFAULT '' CHECK (length(out_of_hours_phone) <= 40);"
	"ALTER TABLE team ADD COLUMN email TEXT NOT NULL DEFAULT '' CHECK (length(email) <= 254);",
	/* 20: notices to the child's allocated worker (issue 15): someone opened the record in an emergency, or
	 * looked the child up for unscheduled care. Who looked (as shown, with their agency and role) is kept on
	 * the row; a break-glass's reason stays in break_glass, joined when the notice is read. */
	"CREATE TABLE worker_notice ("
	"  id INTEGER PRIMARY KEY,"
	"  kind TEXT NOT NULL CHECK (kind IN ('break_glass', 'flag_lookup')),"
	"  at TEXT NOT NULL,"
	"  recipient TEXT NOT NULL,"
	"  child_id INTEGER NOT NULL REFERENCES person(id),"
	"  actor TEXT NOT NULL,"
	"  who TEXT NOT NULL,"
	"  agency TEXT NOT NULL DEFAULT '',"
	"  role TEXT NOT NULL DEFAULT '',"
	"  break_glass_id INTEGER REFERENCES break_glass(id),"
	"  detail TEXT NOT NULL DEFAULT '');"
	"CREATE INDEX worker_notice_recipient ON worker_notice(recipient, id);"
	"CREATE INDEX break_glass_at ON break_glass(at);",
	/* 21: people have names, an email, a phone and a team (issue 15): all optional, so the rows from before
	 * keep their username, agency and role as they were; the team is a team's code, checked by the service
	 * (service/users.c), not by a foreign key, so that a person may be added before their team */
	"ALTER TABLE app_user ADD COLUMN full_name TEXT NOT NULL DEFAULT '' CHECK (length(full_name) <= 400);"
	"ALTER TABLE app_user ADD COLUMN email TEXT NOT NULL DEFAULT '' CHECK (length(email) <= 254);"
	"ALTER TABLE app_user ADD COLUMN phone TEXT NOT NULL DEFAULT '' CHECK (length(phone) <= 32);"
	"ALTER TABLE app_user ADD COLUMN team TEXT NOT NULL DEFAULT '';",
	/* 22: what a recording is, on the child's page (issue 18, part 3): its kind (which sets how long it is
	 * kept, service/recordings.h), the day it was made, who was present, consent, and the child's own words
	 * kept beside it. Rows from before are 'other', dated the day they were uploaded. */
	"ALTER TABLE recording ADD COLUMN kind TEXT NOT NULL DEFAULT 'other' CHECK (kind IN ('interview', 'meeting', 'other'));"
	"ALTER TABLE recording ADD COLUMN recorded_on TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE recording ADD COLUMN present TEXT NOT NULL DEFAULT '' CHECK (length(present) <= 1000);"
	"ALTER TABLE recording ADD COLUMN consent TEXT NOT NULL DEFAULT '' CHECK (length(consent) <= 500);"
	"ALTER TABLE recording ADD COLUMN words TEXT NOT NULL DEFAULT '' CHECK (length(words) <= 4000);"
	"UPDATE recording SET recorded_on = substr(uploaded_at, 1, 10) WHERE recorded_on = '';",
	/* 23: allegations against people who work with children (issue 18). The LADO's role: SQLite cannot alter
	 * a CHECK, so app_user is rebuilt with every column and row; the foreign keys to it (sessions, break-glass,
	 * notices) are deferred while it is, and the rows put back satisfy them again before the commit. Then the
	 * people (adults who work with children, never children), their employers (a children's home of the
	 * register where it is one), the allegations with each step of the process, and the LADO's alerts. */
	"/* sqlite-only */"
	"PRAGMA defer_foreign_keys = ON;"
	"CREATE TEMP TABLE app_user_keep AS SELECT * FROM app_user;"
	"DROP TABLE app_user;"
	"CREATE TABLE app_user ("
	"  id INTEGER PRIMARY KEY,"
	"  username TEXT NOT NULL UNIQUE CHECK (length(username) BETWEEN 1 AND 64),"
	"  agency TEXT NOT NULL REFERENCES agency(code),"
	"  role TEXT NOT NULL CHECK (role IN ('social_worker', 'team_manager', 'mash_worker', 'police_officer', "
	"    'health_practitioner', 'school_dsl', 'conference_chair', 'oversight_analyst', 'dpo', 'admin', 'lado')),"
	"  password_hash TEXT NOT NULL,"
	"  totp_secret BLOB NOT NULL CHECK (length(totp_secret) = 20),"
	"  created_at TEXT NOT NULL,"
	"  disabled_at TEXT,"
	"  totp_last_step INTEGER NOT NULL DEFAULT 0,"
	"  totp_sealed BLOB CHECK (totp_sealed IS NULL OR length(totp_sealed) = 60),"
	"  full_name TEXT NOT NULL DEFAULT '' CHECK (length(full_name) <= 400),"
	"  email TEXT NOT NULL DEFAULT '' CHECK (length(email) <= 254),"
	"  phone TEXT NOT NULL DEFAULT '' CHECK (length(phone) <= 32),"
	"  team TEXT NOT NULL DEFAULT '');"
	"INSERT INTO app_user(id, username, agency, role, password_hash, totp_secret, created_at, disabled_at, "
	"  totp_last_step, totp_sealed, full_name, email, phone, team) SELECT id, username, agency, role, "
	"  password_hash, totp_secret, created_at, disabled_at, totp_last_step, totp_sealed, full_name, email, phone, "
	"  team FROM app_user_keep;"
	"DROP TABLE app_user_keep;"
	"/* end sqlite-only */"
	"CREATE TABLE lado_person ("
	"  id INTEGER PRIMARY KEY,"
	"  given_name TEXT NOT NULL CHECK (length(given_name) BETWEEN 1 AND 400),"
	"  family_name TEXT NOT NULL CHECK (length(family_name) BETWEEN 1 AND 400),"
	"  dob TEXT NOT NULL CHECK (length(dob) = 10),"
	"  created_at TEXT NOT NULL,"
	"  created_by TEXT NOT NULL);"
	"CREATE INDEX lado_person_dob ON lado_person(dob);"
	"CREATE TABLE lado_employment ("
	"  id INTEGER PRIMARY KEY,"
	"  person_id INTEGER NOT NULL REFERENCES lado_person(id),"
	"  employer TEXT NOT NULL CHECK (length(employer) BETWEEN 1 AND 200),"
	"  home_id INTEGER REFERENCES home(id),"
	"  role TEXT NOT NULL DEFAULT '' CHECK (length(role) <= 200),"
	"  from_day TEXT NOT NULL DEFAULT '',"
	"  to_day TEXT NOT NULL DEFAULT '');"
	"CREATE INDEX lado_employment_person ON lado_employment(person_id);"
	"CREATE TABLE lado_allegation ("
	"  id INTEGER PRIMARY KEY,"
	"  person_id INTEGER NOT NULL REFERENCES lado_person(id),"
	"  employment_id INTEGER NOT NULL REFERENCES lado_employment(id),"
	"  received_on TEXT NOT NULL CHECK (length(received_on) = 10),"
	"  referrer TEXT NOT NULL CHECK (length(referrer) <= 200),"
	"  summary TEXT NOT NULL CHECK (length(summary) BETWEEN 1 AND 2000),"
	"  created_at TEXT NOT NULL,"
	"  created_by TEXT NOT NULL,"
	"  consideration_on TEXT NOT NULL DEFAULT '',"
	"  threshold TEXT NOT NULL DEFAULT '' CHECK (threshold IN ('', 'threshold_met', 'threshold_not_met')),"
	"  consideration_notes TEXT NOT NULL DEFAULT '' CHECK (length(consideration_notes) <= 2000),"
	"  strategy_on TEXT NOT NULL DEFAULT '',"
	"  strategy_notes TEXT NOT NULL DEFAULT '' CHECK (length(strategy_notes) <= 2000),"
	"  outcome TEXT NOT NULL DEFAULT '' CHECK (outcome IN ('', 'substantiated', 'false', 'malicious', 'unfounded', "
	"    'unsubstantiated')),"
	"  outcome_on TEXT NOT NULL DEFAULT '',"
	"  outcome_notes TEXT NOT NULL DEFAULT '' CHECK (length(outcome_notes) <= 2000),"
	"  employer_action_on TEXT NOT NULL DEFAULT '',"
	"  employer_action TEXT NOT NULL DEFAULT '' CHECK (length(employer_action) <= 2000));"
	"CREATE INDEX lado_allegation_person ON lado_allegation(person_id);"
	"CREATE TABLE lado_alert ("
	"  id INTEGER PRIMARY KEY,"
	"  person_id INTEGER NOT NULL REFERENCES lado_person(id),"
	"  allegation_id INTEGER NOT NULL DEFAULT 0,"
	"  code TEXT NOT NULL,"
	"  raised_on TEXT NOT NULL,"
	"  due TEXT NOT NULL DEFAULT '',"
	"  evidence TEXT NOT NULL DEFAULT '[]',"
	"  state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'resolved')),"
	"  created_at TEXT NOT NULL,"
	"  resolved_at TEXT, resolved_by TEXT,"
	"  UNIQUE (person_id, allegation_id, code, due));"
	"CREATE INDEX lado_alert_open ON lado_alert(due) WHERE state = 'open';",
	/* 24: speak up (issue 18): reports made without signing in, that bypass the home. No column for an
	 * address or a user agent; the passphrase only as its hash; wrong passphrases counted per report (the
	 * throttle of /speak-up/return); the reviewer's triage; the two-way thread. A report about a home counts
	 * as the home's incident (incident_id, type 'allegation'); one linked to a child adds an event. */
	"CREATE TABLE speakup_report ("
	"  id INTEGER PRIMARY KEY,"
	"  ref TEXT NOT NULL UNIQUE CHECK (length(ref) = 8),"
	"  pass_hash TEXT NOT NULL,"
	"  created_at TEXT NOT NULL,"
	"  who TEXT NOT NULL CHECK (who IN ('child', 'parent', 'staff', 'other')),"
	"  home_id INTEGER REFERENCES home(id),"
	"  home_unknown INTEGER NOT NULL DEFAULT 0 CHECK (home_unknown IN (0, 1)),"
	"  person_name TEXT NOT NULL DEFAULT '' CHECK (length(person_name) <= 100),"
	"  person_role TEXT NOT NULL DEFAULT '' CHECK (length(person_role) <= 100),"
	"  what TEXT NOT NULL CHECK (length(what) BETWEEN 1 AND 2000),"
	"  child_name TEXT NOT NULL DEFAULT '' CHECK (length(child_name) <= 100),"
	"  child_dob TEXT NOT NULL DEFAULT '',"
	"  about TEXT NOT NULL CHECK (about IN ('nothing', 'first_name', 'contact')),"
	"  first_name TEXT NOT NULL DEFAULT '' CHECK (length(first_name) <= 100),"
	"  contact TEXT NOT NULL DEFAULT '' CHECK (length(contact) <= 100),"
	"  state TEXT NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'triaged')),"
	"  outcome TEXT NOT NULL DEFAULT '' CHECK (outcome IN ('', 'lado', 'home_oversight', 'social_worker', "
	"    'police', 'no_further_action')),"
	"  outcome_reason TEXT NOT NULL DEFAULT '' CHECK (length(outcome_reason) <= 2000),"
	"  triaged_by TEXT NOT NULL DEFAULT '',"
	"  triaged_at TEXT NOT NULL DEFAULT '',"
	"  child_id INTEGER REFERENCES person(id),"
	"  incident_id INTEGER REFERENCES home_incident(id),"
	"  fails INTEGER NOT NULL DEFAULT 0 CHECK (fails >= 0),"
	"  fail_since TEXT NOT NULL DEFAULT '');"
	"CREATE INDEX speakup_report_queue ON speakup_report(state, id);"
	"CREATE INDEX speakup_report_created ON speakup_report(created_at);"
	"CREATE TABLE speakup_message ("
	"  id INTEGER PRIMARY KEY,"
	"  report_id INTEGER NOT NULL REFERENCES speakup_report(id),"
	"  at TEXT NOT NULL,"
	"  from_reporter INTEGER NOT NULL CHECK (from_reporter IN (0, 1)),"
	"  author TEXT NOT NULL DEFAULT '',"
	"  text TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 2000));"
	"CREATE INDEX speakup_message_report ON speakup_message(report_id, id);",
	/* 25: several servers on one database (issue 17): the nightly sweep of a day is claimed once, by the
	 * first server whose write transaction records it; the others skip that night's sweep. No personal
	 * data: the day, when, and which server (host name and process id). IF NOT EXISTS: tests that rewind a
	 * database to an older version leave the newer tables in place. */
	"CREATE TABLE IF NOT EXISTS sweep_run ("
	"  day TEXT PRIMARY KEY CHECK (length(day) = 10),"
	"  started_at TEXT NOT NULL,"
	"  server TEXT NOT NULL CHECK (length(server) <= 300));",
	/* 26: homes oversight (issue 16): the Reg 44 visitor's opinion, are children effectively safeguarded
	 * (reg 44(4)(c))? Reports recorded before it say nothing: 'not_stated'. The nightly run reads it. */
	"ALTER TABLE reg44_report ADD COLUMN safeguarded TEXT NOT NULL DEFAULT 'not_stated' "
	"  CHECK (safeguarded IN ('yes', 'no', 'not_stated'));",
	/* 27: bulk loads into an empty area (issue 17): the secondary indexes of the loaded tables (and on
	 * PostgreSQL their foreign keys) are dropped before the rows go in and built once after them. Each is
	 * held here (its name, table and CREATE or ADD CONSTRAINT statement, from the engine's catalogue) in the
	 * transaction that drops it, so that a load killed half-way leaves them listed: the next area-load, or
	 * migrate, builds them again. No personal data. */
	"CREATE TABLE IF NOT EXISTS bulk_held_index ("
	"  name TEXT PRIMARY KEY,"
	"  tbl TEXT NOT NULL,"
	"  sql TEXT NOT NULL);",
	/* 28: fewer pages written per event (issue 17, intake speed). Every index of the event table costs a
	 * page written per event in a commit (its leaf; splits more). event_kind_time (kind, occurred_at) put
	 * every event at a random leaf, the most pages of any index, for three kinds only: the MASH queue's
	 * contacts and referrals and the nightly sweep's domestic abuse incidents. A partial index holds those
	 * (the statements repeat its list, EVENT_KIND_SOUGHT: SQLite uses a partial index only for a query that
	 * names its WHERE). event_person_agency served "has this agency contributed to this child" and counts,
	 * which event_history (person_id, occurred_at, id, agency, kind) covers. The record page, chronology and
	 * rules keep their plans (bench/eqp_diff.sh). */
	"DROP INDEX IF EXISTS event_kind_time;"
	"DROP INDEX IF EXISTS event_person_agency;"
	"CREATE INDEX IF NOT EXISTS event_kind_sought ON event(kind, occurred_at) "
	"  WHERE kind IN ('contact', 'referral', 'domestic_abuse_incident');",
	/* 29: homes oversight (issue 16): what limit a run was held to. Since round 11 the budget is a limit the
	 * area's false alarms meet with a chance (budget_confidence, 0 the expected rate), reached by simulating
	 * at a lower rate (simulated_rate: false alarms per 100 home-years, every family). A run stored before
	 * this says nothing: NULL, shown as not recorded. */
	"ALTER TABLE oversight_run ADD COLUMN budget_confidence REAL CHECK (budget_confidence IS NULL OR "
	"  (budget_confidence >= 0 AND budget_confidence < 1));"
	"ALTER TABLE oversight_run ADD COLUMN simulated_rate REAL CHECK (simulated_rate IS NULL OR simulated_rate >= 0);",
	/* 30: the API clients' generation (issue 17, the token cache: service/tokens.h). One row whose number
	 * changes with every change to api_client (creation, revocation, approval, anything), by triggers, so that
	 * every server process sees such a change as soon as it reads the number, whoever made it (the CLI,
	 * another server). Each change sets a random 63-bit value, not n + 1: a value read inside a transaction
	 * that rolled back is not taken again by the next change (compared for equality only). No personal data. */
	"CREATE TABLE IF NOT EXISTS auth_generation ("
	"  id INTEGER PRIMARY KEY CHECK (id = 1),"
	"  n INTEGER NOT NULL);"
	/* (no row inserted at all when it is there: auth_generation_one_row refuses even a conflicting insert) */
	"INSERT INTO auth_generation(id, n) SELECT 1, 0 WHERE NOT EXISTS (SELECT 1 FROM auth_generation);"
	"DROP TRIGGER IF EXISTS api_client_changed;"
	"CREATE TRIGGER api_client_changed AFTER UPDATE ON api_client BEGIN "
	"  UPDATE auth_generation SET n = (random() & 9223372036854775807) WHERE id = 1; END;"
	"DROP TRIGGER IF EXISTS api_client_deleted;"
	"CREATE TRIGGER api_client_deleted AFTER DELETE ON api_client BEGIN "
	"  UPDATE auth_generation SET n = (random() & 9223372036854775807) WHERE id = 1; END;"
	/* an insert too: INSERT OR REPLACE deletes the old row without the delete trigger (no recursive_triggers) */
	"DROP TRIGGER IF EXISTS api_client_inserted;"
	"CREATE TRIGGER api_client_inserted AFTER INSERT ON api_client BEGIN "
	"  UPDATE auth_generation SET n = (random() & 9223372036854775807) WHERE id = 1; END;"
	/* Its one row stays, alone (a missing row is an error: store_auth_generation): no DELETE, and no INSERT
	 * while it is there (INSERT OR REPLACE would put back a value of one's choosing). */
	"DROP TRIGGER IF EXISTS auth_generation_no_delete;"
	"CREATE TRIGGER auth_generation_no_delete BEFORE DELETE ON auth_generation BEGIN "
	"  SELECT RAISE(ABORT, 'auth_generation keeps its one row'); END;"
	"DROP TRIGGER IF EXISTS auth_generation_one_row;"
	"CREATE TRIGGER auth_generation_one_row BEFORE INSERT ON auth_generation "
	"  WHEN EXISTS (SELECT 1 FROM auth_generation) BEGIN "
	"  SELECT RAISE(ABORT, 'auth_generation keeps its one row'); END;",
	/* 31: the /link-reviews page's model box in constant time (issue 17). It showed the review tasks per
	 * 1,000 records received, counting the records with a subject (json over every payload: ~30 ms at 40,000
	 * records) and the tasks on every render. One row keeps both counts and when they were counted; what counts
	 * already writes it (`link train`'s walk, the nightly sweep's growth check: store_link_counts_set), and the
	 * page shows it "as of" then. Not moved by triggers on each insert: that cost every intake record a
	 * statement (docs/BENCHMARKS.md). Filled from the store here by sq_migrate (the clock's time is a bound
	 * parameter, which a script has not). Its one row stays, alone (a missing row is an error): no DELETE, and
	 * no INSERT while it is there. No personal data. */
	"CREATE TABLE IF NOT EXISTS link_counts ("
	"  id INTEGER PRIMARY KEY CHECK (id = 1),"
	"  records INTEGER NOT NULL,"
	"  reviews INTEGER NOT NULL,"
	"  counted_at TEXT NOT NULL);"
	"DROP TRIGGER IF EXISTS link_counts_no_delete;"
	"CREATE TRIGGER link_counts_no_delete BEFORE DELETE ON link_counts BEGIN "
	"  SELECT RAISE(ABORT, 'link_counts keeps its one row'); END;"
	"DROP TRIGGER IF EXISTS link_counts_one_row;"
	"CREATE TRIGGER link_counts_one_row BEFORE INSERT ON link_counts "
	"  WHEN EXISTS (SELECT 1 FROM link_counts) BEGIN "
	"  SELECT RAISE(ABORT, 'link_counts keeps its one row'); END;",
	/* 32: intake's coarse blocking key at a million children (issue 17; service/identity.c). The family name's
	 * sound with the birth year ("fdob:SX|2016") becomes two narrower keys, the sound with the year and month
	 * ("fdm:SX|2016-05") and with the year and the given initial ("fgi:SX|2016|a"). They are made from the keys
	 * held (the phonetic code and the nickname's initial need not be computed here): each of the person's fdob
	 * keys with each of its gdob keys of the same year ("gdob:a|2016-05-03": its initial and month), paired
	 * within the person and the year, not the record. Intake wrote a key once a person, by the first record that
	 * brought it, so a later record's fdob or gdob may be held under another record: pairing by record missed a
	 * child whose records disagree in month or initial (2.9% of the keys on c7x2's first 30,000 records). Each
	 * new key belongs to the later of its two rows' records (a merge's undo moves it with that record). The
	 * person's own date of birth gives the month to each fdob key of its year too (a record with no given name
	 * has no gdob key). Pairing across records adds keys intake would not have written: variants of the child's
	 * own names and dates (1.9% more keys on c7x2), harmless to the candidate search. A later record with no
	 * given name whose month no other record or the person's row has left no key to make its month from: that
	 * month's key is missing (none on c7x2's first 30,000). Then the fdob keys go. A temporary index on
	 * (person_id, source_record_id) finds a person's keys. The keys' text only: no personal data leaves the
	 * table. Servers must be stopped first (docs/INTERNALS.md): an old binary would go on writing fdob keys. */
	"CREATE INDEX person_block_key_m32 ON person_block_key(person_id, source_record_id);"
	"INSERT INTO person_block_key(key, person_id, source_record_id) "
	"  SELECT 'fdm:' || substr(f.key, 6) || substr(g.key, length(g.key) - 5, 3), f.person_id, "
	"    max(f.source_record_id, g.source_record_id) "
	"  FROM person_block_key f JOIN person_block_key g ON g.person_id = f.person_id AND substr(g.key, 1, 5) = 'gdob:' "
	"  WHERE substr(f.key, 1, 5) = 'fdob:' AND length(g.key) > 16 "
	"    AND substr(g.key, length(g.key) - 9, 4) = substr(f.key, length(f.key) - 3) ON CONFLICT DO NOTHING;"
	"INSERT INTO person_block_key(key, person_id, source_record_id) "
	"  SELECT 'fgi:' || substr(f.key, 6) || '|' || substr(g.key, 6, length(g.key) - 16), f.person_id, "
	"    max(f.source_record_id, g.source_record_id) "
	"  FROM person_block_key f JOIN person_block_key g ON g.person_id = f.person_id AND substr(g.key, 1, 5) = 'gdob:' "
	"  WHERE substr(f.key, 1, 5) = 'fdob:' AND length(g.key) > 16 "
	"    AND substr(g.key, length(g.key) - 9, 4) = substr(f.key, length(f.key) - 3) ON CONFLICT DO NOTHING;"
	"INSERT INTO person_block_key(key, person_id, source_record_id) "
	"  SELECT 'fdm:' || substr(f.key, 6) || substr(p.dob, 5, 3), f.person_id, f.source_record_id "
	"  FROM person_block_key f JOIN person p ON p.id = f.person_id "
	"  WHERE substr(f.key, 1, 5) = 'fdob:' AND length(p.dob) = 10 "
	"    AND substr(p.dob, 1, 4) = substr(f.key, length(f.key) - 3) "
	"    AND NOT EXISTS (SELECT 1 FROM person_block_key d WHERE d.person_id = f.person_id "
	"      AND d.key = 'fdm:' || substr(f.key, 6) || substr(p.dob, 5, 3)) ON CONFLICT DO NOTHING;"
	"DELETE FROM person_block_key WHERE substr(key, 1, 5) = 'fdob:';"
	"DROP INDEX person_block_key_m32;",
	/* 33: fewer pages written per event (issue 17, SQLite intake's writer, r-sqlw19; docs/BENCHMARKS.md "SQLite
	 * intake: pages written an event"). Each index entry a record writes dirties a leaf of that index in its
	 * commit. person_match_key served one statement, the oldest person with a match key, which nothing but
	 * tests calls: each new person put an entry at a random leaf of it for no read. Both engines; the column
	 * stays, written as before. */
	"DROP INDEX IF EXISTS person_match_key;",
	/* 34: the MASH lists on a grown area (issue 17, r-mash20; docs/BENCHMARKS.md "The MASH lists on a grown
	 * area"). The queue (oldest first) walks the contacts and referrals in the order it shows them and stops at
	 * its page; the decisions (latest first) walk the referral decisions in theirs, each finding the contacts it
	 * answered. Before, both read every contact of the area and sorted them for a page of 25 (0.2 s on SQLite,
	 * 2-5 s on PostgreSQL at 300,000 contacts). One partial index for both, as event_kind_sought: an entry for
	 * those kinds only, the kind in it so that a walk passes the other lists' rows without reading them. Its
	 * WHERE is an IN list that the statements repeat (MASH_KINDS): SQLite uses a partial index only for a query
	 * that names its WHERE, and a WHERE of kind = 'referral_decision' made SQLite prepare again, for each value
	 * bound, every statement that compares kind with a parameter (test_store's no_statement_prepared_again).
	 * Both engines; undone by dropping it (docs/INTERNALS.md). */
	"CREATE INDEX IF NOT EXISTS event_mash ON event(occurred_at, id, kind) "
	"  WHERE kind IN ('contact', 'referral', 'referral_decision');",
	/* 35: the probe for a decision that answers a contact (MASH_ANSWERS: social care's referral decision at or
	 * after it; r-mashdec21, r-mashidx21; docs/BENCHMARKS.md). The agency is in no index the probe could seek
	 * by kind, so SQLite read each decision's row and PostgreSQL walked every later event of the child in
	 * event_history. An entry for social care's decisions only: nothing else that intake writes touches it.
	 * Its WHERE is MASH_ANSWERS's text: SQLite uses a partial index only for a query that names its WHERE;
	 * a row value, as event_mash's IN list, so that a statement comparing kind or agency with a parameter is
	 * not prepared again at every bind. kind and agency are columns too, though the WHERE fixes them: SQLite
	 * (3.40) reads the row for a column the query names that the index lacks, and then prefers
	 * event_person_kind. Both engines; undone by dropping it (docs/INTERNALS.md). */
	"CREATE INDEX IF NOT EXISTS event_mash_answer ON event(person_id, occurred_at, id, kind, agency) "
	"  WHERE (kind, agency) = ('referral_decision', 'social_care');",
	/* 36: the MASH lists with a piece of a name (r-mashkey22; docs/BENCHMARKS.md). PostgreSQL's only
	 * (pg_migration): statistics of the folded name (MASH_NAME_FOLDED), which ANALYZE (autovacuum) gathers and
	 * the planner reads for the lists' LIKE, so that it starts from the few children a rare name matches and
	 * walks the contacts in time order for a common one. Nothing is written at intake for it. SQLite keeps no
	 * statistics of an expression and needs none: it starts from the children either way. Undone by dropping
	 * it (docs/INTERNALS.md). */
	"",
	/* 37: the MASH queue from the contacts that await, not from the area's history (issue 17, r-mash23;
	 * docs/BENCHMARKS.md). The queue (oldest first) walked every contact and referral in time order and
	 * skipped those answered, which on an area with years of decided contacts is nearly all it read: its first
	 * page and its count cost 30-40 ms of CPU on SQLite and 150-460 ms on PostgreSQL at 300,000 contacts. A
	 * partial index cannot hold "awaiting": it depends on a later row (the decision). mash_open holds the
	 * contacts and referrals the rule (MASH_AWAITS) says await, by their (occurred_at, id), the queue's order
	 * and key, kept in the transaction that writes the contact or the decision (the writer's statements after
	 * the event's: MASH_OPEN_CONTACT, MASH_OPEN_ANSWER), moves an event (a merge, its undo: a trigger on UPDATE,
	 * the one writer of event's rows after their INSERT) or bulk-loads events (sq_bulk_end), each asking the
	 * same rule (MASH_AWAITS): nothing else says what awaits. While a fast bulk load holds it back
	 * (bulk_held_index 'mash_open') nothing writes it and the load's end fills it (MASH_OPEN_FILL), as it builds
	 * the indexes held. Filled here for the area's existing contacts. No personal data (an event's time and id).
	 * Both engines (PostgreSQL's trigger: pg_migration); undone as docs/INTERNALS.md says. */
	"CREATE TABLE IF NOT EXISTS mash_open ("
	"  occurred_at TEXT NOT NULL,"
	"  event_id INTEGER NOT NULL,"
	"  PRIMARY KEY (occurred_at, event_id)) WITHOUT ROWID;"
	"DROP TRIGGER IF EXISTS mash_open_moved;"
	"CREATE TRIGGER mash_open_moved AFTER UPDATE OF person_id, kind, agency, occurred_at ON event WHEN ("
	MASH_OPEN_KINDS("OLD") " OR " MASH_OPEN_KINDS("NEW") ") AND NOT " MASH_OPEN_HELD " BEGIN "
	"DELETE FROM mash_open WHERE occurred_at = OLD.occurred_at AND event_id = OLD.id; "
	MASH_OPEN_FIX_("OLD.person_id, NEW.person_id", MASH_OPEN_ROW_37) " END;"
	MASH_OPEN_FILL_(EVENT_KIND_SOUGHT, MASH_OPEN_ROW_37) ";",
	/* 38: no temporary b-tree an insert (issue 17, SQLite intake's writer; r-sqlw25, r-sqlw26; docs/BENCHMARKS.md).
	 * SQLite codes an IN list of three constants or more through a temporary b-tree (OpenEphemeral), which an
	 * INSERT builds, probes and frees on every row for each partial index's WHERE and each CHECK that names
	 * one: event_kind_sought's and event_mash's WHERE, the CHECKs of person.sex, identifier.kind,
	 * alert.owner_kind and alert.state, ~3 an event. Here each is the same list as comparisons joined by OR:
	 * the same rows indexed, the same values allowed (a NULL passes either form). SQLite only (PostgreSQL has
	 * no such b-tree and keeps its IN lists, in the indexes and the statements: lite_sql gives SQLite's
	 * statements the OR text, which SQLite needs to use a partial index). The indexes are made again. The
	 * CHECKs are rewritten in sqlite_schema under writable_schema, the procedure SQLite's documentation
	 * ("ALTER TABLE", "Making Other Kinds Of Table Schema Changes") gives for changes that leave the stored
	 * content as it is, removing a CHECK among them: a CHECK rewritten to an equivalent one changes no byte of
	 * a row or an index, and no row can fail it. Not the 12-step rebuild (a new table, every row copied, the
	 * old one dropped): it needs foreign keys off, which cannot change inside the migration's transaction, and
	 * with them on, DROP TABLE person deletes every row first, checking each against the tables that refer to
	 * it, before a million children and their identifiers are copied back (minutes at scale), for a text no
	 * row depends on. As SQLite's procedure asks: the schema reloaded (writable_schema RESET), the schema
	 * cookie moved (the index DDL after it does), and the tables checked (quick_check: each row against the
	 * new CHECKs, each index's structure), a failure failing the migration (m38_ok's CHECK); each new text
	 * is checked as present, so a schema not as this code wrote it fails rather than keeps its IN list. */
	"/* sqlite-only */"
	"PRAGMA writable_schema = ON;"
	"UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (sex IN ('''', ''M'', ''F'', ''U''))', "
	"  'CHECK (sex = '''' OR sex = ''M'' OR sex = ''F'' OR sex = ''U'')') WHERE type = 'table' AND name = 'person';"
	"UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (kind IN (''nhs'', ''upn'', ''local''))', "
	"  'CHECK (kind = ''nhs'' OR kind = ''upn'' OR kind = ''local'')') WHERE type = 'table' AND name = 'identifier';"
	"UPDATE sqlite_schema SET sql = replace(replace(sql, "
	"  'CHECK (owner_kind IN (''worker'', ''team'', ''mash''))', "
	"  'CHECK (owner_kind = ''worker'' OR owner_kind = ''team'' OR owner_kind = ''mash'')'), "
	"  'CHECK (state IN (''open'', ''acknowledged'', ''resolved''))', "
	"  'CHECK (state = ''open'' OR state = ''acknowledged'' OR state = ''resolved'')') "
	"  WHERE type = 'table' AND name = 'alert';"
	"PRAGMA writable_schema = RESET;"
	"CREATE TEMP TABLE m38_ok (ok TEXT CHECK (ok = 'ok'));"
	"INSERT INTO m38_ok SELECT CASE WHEN count(*) = 3 THEN 'ok' ELSE 'an IN list left' END FROM sqlite_schema "
	"  WHERE type = 'table' AND ((name = 'person' AND instr(sql, 'CHECK (sex = '''' OR sex = ''M''') > 0) "
	"  OR (name = 'identifier' AND instr(sql, 'CHECK (kind = ''nhs'' OR') > 0) "
	"  OR (name = 'alert' AND instr(sql, 'CHECK (owner_kind = ''worker'' OR') > 0 "
	"    AND instr(sql, 'CHECK (state = ''open'' OR') > 0));"
	"DROP INDEX IF EXISTS event_kind_sought;"
	"CREATE INDEX event_kind_sought ON event(kind, occurred_at) "
	"  WHERE kind = 'contact' OR kind = 'referral' OR kind = 'domestic_abuse_incident';"
	"DROP INDEX IF EXISTS event_mash;"
	"CREATE INDEX event_mash ON event(occurred_at, id, kind) "
	"  WHERE kind = 'contact' OR kind = 'referral' OR kind = 'referral_decision';"
	"INSERT INTO m38_ok SELECT quick_check FROM pragma_quick_check('person');"
	"INSERT INTO m38_ok SELECT quick_check FROM pragma_quick_check('identifier');"
	"INSERT INTO m38_ok SELECT quick_check FROM pragma_quick_check('alert');"
	"DROP TABLE m38_ok;"
	"/* end sqlite-only */",
	/* 39: the MASH queue filtered by an agency walks that agency's awaiting contacts only (issue 17, r-mash27;
	 * docs/BENCHMARKS.md). mash_open's key is the queue's order across agencies, so the queue of one agency
	 * (the police's "due today or later", its count to 1,001) read every awaiting row of every agency in
	 * that order and kept the agency's: ~5 rows read for one shown at 50,000 children, every row of the
	 * window for a count that reaches its end. mash_open now holds the event's agency, and mash_open_agency
	 * (agency, occurred_at, event_id) is that agency's rows in the queue's order, which the agency's list, its
	 * pages before a key and its count seek (S_MASH_AWAITING_AGENCY_*); the queue of every agency keeps the
	 * primary key. A second b-tree rather than the agency first in the key: the queue of every agency would
	 * then merge one range an agency, which SQLite does not (it would sort every awaiting row for a page).
	 * The agency is the event's, copied when the row is written (MASH_OPEN_ROW); a change of an event's
	 * agency is followed by the trigger (UPDATE OF agency takes the row out and puts it back), and the
	 * statements still ask the event's agency (MASH_FILTER_AGENCY): the key says where to look. The table is
	 * made again and filled by the rule, as migration 37 filled it (derived rows: no personal data, an event's
	 * time, id and agency code); a load that stopped half-way holding it back was finished before this runs
	 * (sq_migrate's bulk_build_held). The trigger's text is made again with the new row (PostgreSQL's
	 * function: pg_migration). Both engines; undone as docs/INTERNALS.md says. */
	"DROP TABLE IF EXISTS mash_open;"
	"CREATE TABLE mash_open ("
	"  occurred_at TEXT NOT NULL,"
	"  event_id INTEGER NOT NULL,"
	"  agency TEXT NOT NULL,"
	"  PRIMARY KEY (occurred_at, event_id)) WITHOUT ROWID;"
	"CREATE INDEX mash_open_agency ON mash_open(agency, occurred_at, event_id);"
	"DROP TRIGGER IF EXISTS mash_open_moved;"
	"CREATE TRIGGER mash_open_moved AFTER UPDATE OF person_id, kind, agency, occurred_at ON event WHEN ("
	MASH_OPEN_KINDS("OLD") " OR " MASH_OPEN_KINDS("NEW") ") AND NOT " MASH_OPEN_HELD " BEGIN "
	"DELETE FROM mash_open WHERE occurred_at = OLD.occurred_at AND event_id = OLD.id; "
	MASH_OPEN_FIX("OLD.person_id, NEW.person_id") " END;"
	"/* sqlite-only */" MASH_OPEN_FILL_LITE ";/* end sqlite-only */",
	/* 40: the MASH decided list filtered by an agency walks that agency's contacts and referrals (issue 17,
	 * r-mash29; docs/BENCHMARKS.md). The decisions (newest first) walked event_mash, every agency's contacts,
	 * referrals and decisions in time order, and kept the agency's: the police's count to 1,001 read every
	 * agency's decided contacts until 1,001 were the police's, 4.7-4.9 ms of CPU at 50,000 children against
	 * 1.1-1.5 for every agency (r-mash27). event_mash_agency is one agency's contacts and referrals in the
	 * list's order, which the agency's list, its pages before a key and its count seek
	 * (S_MASH_DECIDED_AGENCY_*); the decided list of every agency keeps event_mash. An index of event, not a
	 * table of the decided rows kept as mash_open is: "decided" depends on a later row (the decision), so
	 * such a table needs a statement of every writer (intake's contact and decision, the merge's trigger,
	 * PostgreSQL's function, a bulk load's end) to say it, where the engine keeps an index on every write of
	 * event by itself; the walk passes the agency's contacts that await, which the queue keeps few of (each
	 * row is still asked the rule: MASH_ANSWERED). The child and the kind are in it so that the count reads
	 * no event's row (MASH_DECIDED_AGENCY_COUNT, with VIEW_EVENT_BY_ID): walked across children by time, each
	 * row read was a page of event elsewhere, and the police's count cost more than the walk of every agency
	 * it replaced (5.4-7.9 ms against 4.0-4.3 of CPU at 50,000 children, r-mash29). A contact or referral
	 * writes one entry more at intake (0.11 WAL frames an event, +3%, with the synthetic records' times spread
	 * over years; a live MASH's contacts land at the agency's newest). Its WHERE is an IN list of two, which
	 * SQLite codes as comparisons (no temporary b-tree, migration 38) and the statements repeat ("e.kind IN
	 * ('contact', 'referral')"): SQLite uses a partial index only for a query that names its WHERE. No personal data (an agency code, a time, an id, a child's id, a kind). Made again, not "IF
	 * NOT EXISTS": a database put back to an older version keeping the index gets it as this text says. Both
	 * engines; undone by dropping it (docs/INTERNALS.md). */
	"DROP INDEX IF EXISTS event_mash_agency;"
	"CREATE INDEX event_mash_agency ON event(agency, occurred_at, id, person_id, kind) "
	"  WHERE kind IN ('contact', 'referral');",
	/* 41: a refusal costs the same whatever the child's health-only records (r-ntk29; r-review47's finding;
	 * docs/SECURITY.md "And the same work", docs/BENCHMARKS.md). Whether the reader's view knows a child
	 * (VIEW_PERSON_KNOWN_: the access facts of every decision about a child, and every list that names one)
	 * read every event of a child known only from health-only records to find none the view shows: her refusal
	 * cost more than an empty id's by her number of such records (303: 80-190 us of the server's CPU). The
	 * question now seeks event_person_category (person_id, agency, category_key): another agency's event by
	 * (person_id, agency), and a shown category among the private agency's by the category's key (the rule's
	 * reading of the details' category: EVENT_CATEGORY_KEY), a few seeks whatever she holds. The key is a
	 * column, not the index's expression: SQLite refuses json_extract in the schema of a connection that does
	 * not trust it (drv_sqlite.c: trusted_schema off; "unsafe use of json_extract()"). It is the category as
	 * read, not a decision (the list of health-only categories stays the view's, bound), and a function of the
	 * event's details alone, which are never changed: set by the statements that insert an event (intake's,
	 * S_EVENT_INSERT and PostgreSQL's, SQLite's bulk INSERT), after a bulk load by COPY (sq_bulk_end), and here
	 * for the events whose details name a category (an event whose details cannot is left NULL, as are rows any
	 * other writer adds: a NULL key is read by its details, as every event was before; VIEW_PERSON_KNOWN_AS_).
	 * A merge or its undoing moves events, not their details. Both engines (PostgreSQL: its statistics now,
	 * pg_migration). Undone as docs/INTERNALS.md says. */
	"ALTER TABLE event ADD COLUMN category_key TEXT;"
	"UPDATE event SET category_key = " EVENT_CATEGORY_KEY("details") " WHERE " EVENT_CATEGORY_NAMED("details") ";"
	"CREATE INDEX event_person_category ON event(person_id, agency, category_key);",
	/* 42 (r-ntk30; 43 if another branch takes 42 first: the lead renumbers at merge): a record a standing merge
	 * emptied of events is known as it was before the merge (VIEW_PERSON_KNOWN_: r-review44), and that was
	 * decided by reading every event the merge moved (person_merge_row joined to event, each one's details), so
	 * a refusal about such a record cost more by the number of events moved (docs/SECURITY.md "Her number of
	 * records", left by r-ntk29). Now each merge keeps what the rule reads of the events it moved: their
	 * agencies and category keys (EVENT_CATEGORY_KEY, as event.category_key holds them), each pair once, so the
	 * question reads a handful of rows whatever the merge moved (the pairs: agencies by the categories health
	 * writes). The reading, not a decision: which categories are hidden stays the view's, bound. Written by the
	 * merge (S_MERGE_ROWS_KEYS, from the merged person's events as it lists them) and here for the merges made
	 * before (undone ones too: harmless, only a standing merge is asked). Never changed: events are append-only,
	 * and a merge undone keeps its record. Both engines. Undone as docs/INTERNALS.md says. */
	"CREATE TABLE person_merge_key ("
	"  merge_id INTEGER NOT NULL REFERENCES person_merge(id),"
	"  agency TEXT NOT NULL,"
	"  category_key TEXT NOT NULL,"
	"  PRIMARY KEY (merge_id, agency, category_key)) WITHOUT ROWID;"
	"INSERT INTO person_merge_key(merge_id, agency, category_key) SELECT DISTINCT r.merge_id, e.agency, "
	"  coalesce(e.category_key, " EVENT_CATEGORY_KEY("e.details") ") FROM person_merge_row r JOIN event e "
	"  ON e.id = r.row_id WHERE r.tbl = 'event';",
	/* 43: PostgreSQL's foreign-key checks of an event, three in one (issue 17, r-pgin32; docs/INTERNALS.md
	 * "Foreign keys kept on intake's tables"). An event's person, source record and agency are its record's:
	 * intake writes them from the same values, the bulk load from the same draw, and a merge or its undoing
	 * moves a record and its event together. PostgreSQL checked each of the three keys with a query of its own
	 * at every event (~31,000 instructions each, mostly the check's executor start-up); one key on the three
	 * columns, referencing the record's, is one query, and states the same rules and one more: the event's
	 * person and agency are its record's (which the record's own keys to person and agency then carry). Its
	 * unique index takes the place of source_record_person, whose column it leads with (one index entry a
	 * record, as before). PostgreSQL's own (pg_migration); SQLite keeps its three keys (a key dropped there is
	 * a rebuild of event, and its checks cost little): nothing to run here. Undone as docs/INTERNALS.md says. */
	"/* sqlite-only */SELECT 1;/* end sqlite-only */",
};
/* One script a version: two branches that each add "the next" migration must not merge into a gap. */
_Static_assert(sizeof migrations / sizeof migrations[0] == STORE_SCHEMA_VERSION,
	       "STORE_SCHEMA_VERSION must equal the number of migrations");

/* PostgreSQL's own part of a migration, by the same index, for what the driver cannot rewrite from the
 * SQLite text above (store/drv_pg.c drops SQLite's triggers): the append-only triggers. */
static const char *const pg_migration[STORE_SCHEMA_VERSION] = {
	[0] = "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit FOR EACH ROW EXECUTE FUNCTION sg_append_only();"
	      "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit FOR EACH ROW EXECUTE FUNCTION sg_append_only();",
	[4] = "DROP TRIGGER audit_no_update ON audit;"
	      "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit FOR EACH ROW WHEN (OLD.hash IS NOT NULL OR "
	      "NEW.hash IS NULL OR NEW.id IS DISTINCT FROM OLD.id OR NEW.at IS DISTINCT FROM OLD.at OR NEW.actor IS "
	      "DISTINCT FROM OLD.actor OR NEW.action IS DISTINCT FROM OLD.action OR NEW.child_id IS DISTINCT FROM "
	      "OLD.child_id OR NEW.object IS DISTINCT FROM OLD.object OR NEW.detail IS DISTINCT FROM OLD.detail) "
	      "EXECUTE FUNCTION sg_append_only();"
	      "CREATE TRIGGER audit_checkpoint_no_update BEFORE UPDATE ON audit_checkpoint FOR EACH ROW "
	      "EXECUTE FUNCTION sg_append_only();"
	      "CREATE TRIGGER audit_checkpoint_no_delete BEFORE DELETE ON audit_checkpoint FOR EACH ROW "
	      "EXECUTE FUNCTION sg_append_only();",
	/* 23: the LADO's role. SQLite rebuilds app_user to change its CHECK (the part marked sqlite-only);
	 * PostgreSQL drops the role's CHECK, whatever an earlier rebuild named it, and adds the new one. */
	[22] = "DO $$ DECLARE c text; BEGIN FOR c IN SELECT conname FROM pg_constraint WHERE conrelid = "
	       "'app_user'::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%role%' LOOP "
	       "EXECUTE format('ALTER TABLE app_user DROP CONSTRAINT %I', c); END LOOP; END $$;"
	       "ALTER TABLE app_user ADD CONSTRAINT app_user_role_check CHECK (role IN ('social_worker', "
	       "'team_manager', 'mash_worker', 'police_officer', 'health_practitioner', 'school_dsl', "
	       "'conference_chair', 'oversight_analyst', 'dpo', 'admin', 'lado'));",
	/* 30: the API clients' generation, changed by a statement trigger as SQLite's row triggers change it: a
	 * random 63-bit value (two draws of random(), 32 and 31 bits: no double near 2^63 to overflow a cast).
	 * Nothing may call setseed() on a store connection: a repeated sequence would reuse generations. */
	[29] = "CREATE OR REPLACE FUNCTION sg_auth_bump() RETURNS trigger LANGUAGE plpgsql AS "
	       "$$ BEGIN UPDATE auth_generation SET n = floor(random() * 4294967296)::bigint * 2147483648 + "
	       "floor(random() * 2147483648)::bigint WHERE id = 1; RETURN NULL; END $$;"
	       "DROP TRIGGER IF EXISTS api_client_changed ON api_client;"
	       "CREATE TRIGGER api_client_changed AFTER INSERT OR UPDATE OR DELETE ON api_client "
	       "FOR EACH STATEMENT EXECUTE FUNCTION sg_auth_bump();"
	       "DROP TRIGGER IF EXISTS api_client_truncated ON api_client;"
	       "CREATE TRIGGER api_client_truncated AFTER TRUNCATE ON api_client "
	       "FOR EACH STATEMENT EXECUTE FUNCTION sg_auth_bump();"
	       /* its one row stays: no DELETE or TRUNCATE (a second row breaks the key: id is 1) */
	       "CREATE OR REPLACE FUNCTION sg_auth_one_row() RETURNS trigger LANGUAGE plpgsql AS "
	       "$$ BEGIN RAISE EXCEPTION 'auth_generation keeps its one row' USING ERRCODE = "
	       "'integrity_constraint_violation'; END $$;"
	       "DROP TRIGGER IF EXISTS auth_generation_no_delete ON auth_generation;"
	       "CREATE TRIGGER auth_generation_no_delete BEFORE DELETE ON auth_generation "
	       "FOR EACH ROW EXECUTE FUNCTION sg_auth_one_row();"
	       "DROP TRIGGER IF EXISTS auth_generation_no_truncate ON auth_generation;"
	       "CREATE TRIGGER auth_generation_no_truncate BEFORE TRUNCATE ON auth_generation "
	       "FOR EACH STATEMENT EXECUTE FUNCTION sg_auth_one_row();",
	/* 31: the link counts' one row stays: no DELETE or TRUNCATE (a second row breaks the key: id is 1) */
	[30] = "CREATE OR REPLACE FUNCTION sg_link_counts_one_row() RETURNS trigger LANGUAGE plpgsql AS "
	       "$$ BEGIN RAISE EXCEPTION 'link_counts keeps its one row' USING ERRCODE = "
	       "'integrity_constraint_violation'; END $$;"
	       "DROP TRIGGER IF EXISTS link_counts_no_delete ON link_counts;"
	       "CREATE TRIGGER link_counts_no_delete BEFORE DELETE ON link_counts "
	       "FOR EACH ROW EXECUTE FUNCTION sg_link_counts_one_row();"
	       "DROP TRIGGER IF EXISTS link_counts_no_truncate ON link_counts;"
	       "CREATE TRIGGER link_counts_no_truncate BEFORE TRUNCATE ON link_counts "
	       "FOR EACH STATEMENT EXECUTE FUNCTION sg_link_counts_one_row();",
	/* 36: gathered now, not at autovacuum's next ANALYZE of person, which an area whose children change by
	 * less than a tenth may not see for months. Only where person has rows: ANALYZE of an empty table tells
	 * the planner it is empty (reltuples 0), and intake's reads of person then planned as scans of the whole
	 * table until autovacuum looked again (e2e pg_intake_plans: person read whole 970 times for 60 records) */
	[35] = "CREATE STATISTICS IF NOT EXISTS person_name_folded ON (lower(given_name || ' ' || family_name)) "
	       "FROM person;"
	       "DO $$ BEGIN IF EXISTS (SELECT 1 FROM person) THEN ANALYZE person; END IF; END $$;",
	/* 37: mash_open's trigger (the SQLite script's, as a function; PostgreSQL's trigger WHEN takes no
	 * subquery, so the bulk load's hold is asked inside), and its statistics now: filled above */
	[36] = "CREATE OR REPLACE FUNCTION sg_mash_open() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
	       "IF " MASH_OPEN_HELD " THEN RETURN NULL; END IF; "
	       "DELETE FROM mash_open WHERE occurred_at = OLD.occurred_at AND event_id = OLD.id; "
	       MASH_OPEN_FIX_("OLD.person_id, NEW.person_id", MASH_OPEN_ROW_37) " RETURN NULL; END $$;"
	       "DROP TRIGGER IF EXISTS mash_open_moved ON event;"
	       "CREATE TRIGGER mash_open_moved AFTER UPDATE OF person_id, kind, agency, occurred_at ON event "
	       "FOR EACH ROW WHEN (" MASH_OPEN_KINDS("OLD") " OR " MASH_OPEN_KINDS("NEW") ") "
	       "EXECUTE FUNCTION sg_mash_open();"
	       "ANALYZE mash_open;",
	/* 39: the trigger's function writes the agency too (the table made again by the shared text; the trigger,
	 * which calls the function by name, stays), the table filled (the shared text's fill is SQLite's words)
	 * and its statistics now */
	[38] = "CREATE OR REPLACE FUNCTION sg_mash_open() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
	       "IF " MASH_OPEN_HELD " THEN RETURN NULL; END IF; "
	       "DELETE FROM mash_open WHERE occurred_at = OLD.occurred_at AND event_id = OLD.id; "
	       MASH_OPEN_FIX("OLD.person_id, NEW.person_id") " RETURN NULL; END $$;"
	       MASH_OPEN_FILL ";"
	       "ANALYZE mash_open;",
	/* 41: the expression's statistics (the planner's estimate of a key's seek), where event has rows (as 36) */
	[40] = "DO $$ BEGIN IF EXISTS (SELECT 1 FROM event) THEN ANALYZE event; END IF; END $$;",
	/* 43: the event's three keys as one (migrations[42] says why); the merge moves a record and its event in
	 * one statement (pg_override's S_MERGE_MOVE_SOURCE). The unique index named as the one it replaces. */
	[42] = "DROP INDEX IF EXISTS source_record_person;"
	       "ALTER TABLE source_record ADD CONSTRAINT source_record_person UNIQUE (person_id, id, agency);"
	       "DO $$ DECLARE c text; BEGIN FOR c IN SELECT conname FROM pg_constraint WHERE conrelid = "
	       "'event'::regclass AND contype = 'f' AND confrelid IN ('person'::regclass, 'source_record'::regclass, "
	       "'agency'::regclass) LOOP EXECUTE format('ALTER TABLE event DROP CONSTRAINT %I', c); END LOOP; END $$;"
	       "ALTER TABLE event ADD CONSTRAINT event_source_record FOREIGN KEY (person_id, source_record_id, agency) "
	       "REFERENCES source_record(person_id, id, agency);",
};

/* The injected clock (clock/now.h), not SQLite's own 'now': a test or a replay that sets the clock sets the
 * database's timestamps too. The same text on every engine: a reserved parameter (store/sql.h's SQL_NOW_PARAM). */
#define NOW_SQL "CAST(?60 AS TEXT)" /* SQL_NOW_PARAM, bound by stmt() from clock_now() */

/* ---- prepared statements ----------------------------------------------------------------------------- */

enum stmt_id {
	S_BEGIN,
	S_BEGIN_READ,
	S_COMMIT,
	S_ROLLBACK,
	S_SAVEPOINT,
	S_RELEASE,
	S_ROLLBACK_TO,
	S_PING,
	S_AGENCY_UPSERT,
	S_AGENCY_EXISTS,
	S_AGENCIES,
	S_CLIENT_INSERT,
	S_CLIENT_FIND,
	S_AUTH_GENERATION,
	S_PERSON_INSERT,
	S_PERSON_GET,
	S_PERSON_EXISTS,
	S_PERSON_ATTRS,
	S_SEARCH_IDENT,
	S_SEARCH_NAME,
	S_EVENT_KINDS,
	S_EVENT_MARKS,
	S_PERSON_BY_IDENT,
	S_PERSON_BY_KEY,
	S_IDENT_ADD,
	S_IDENT_EACH,
	S_HOUSEHOLD_UPSERT,
	S_HOUSEHOLD_ID,
	S_MEMBER_UPSERT,
	S_MEMBER_HELD,
	S_HOUSEHOLD_INSERT,
	S_HOUSEHOLD_JOIN_BY_KEY,
	S_HOUSEHOLDS_OF,
	S_MEMBERS,
	S_SOURCE_INSERT,
	S_SOURCE_FIND,
	S_SOURCE_ABSENT,
	S_EVENT_INSERT,
	S_SOURCE_EVENT_INSERT,
	S_SOURCE_EVENT_KEYS_INSERT,
	S_SOURCE_EVENT_IDS_INSERT,
	S_SOURCE_EVENT_KEYS_IDS_INSERT,
	/* the two above without what a record does not need (bits: 1 no identifiers, 2 its household known to
	 * exist), in that order: S_SOURCE_EVENT_IDS_INSERT + 2 * bits, KEYS_ one after (source_event_ids_text) */
	S_SOURCE_EVENT_IDS_NOIDENT_INSERT,
	S_SOURCE_EVENT_KEYS_IDS_NOIDENT_INSERT,
	S_SOURCE_EVENT_IDS_HOME_INSERT,
	S_SOURCE_EVENT_KEYS_IDS_HOME_INSERT,
	S_SOURCE_EVENT_IDS_NOIDENT_HOME_INSERT,
	S_SOURCE_EVENT_KEYS_IDS_NOIDENT_HOME_INSERT,
	S_RULE_EVENTS,
	S_CHRONO_FIRST,
	S_CHRONO_AFTER,
	S_CHRONO_FIRST_DRAWN,
	S_CHRONO_AFTER_DRAWN,
	S_EVENT_COUNT,
	S_AUDIT_APPEND,
	S_AUDIT_APPEND_HELD,
	S_AUDIT_COUNT,
	S_AUDIT_LAST,
	S_AUDIT_EACH,
	S_AUDIT_UNSEALED,
	S_AUDIT_SEAL,
	S_AUDIT_READS,
	S_AUDIT_LIST,
	S_CHECKPOINT_ADD,
	S_USER_INSERT,
	S_AGENCY_CONTRIBUTED,
	S_CHILD_AWAITING,
	S_BREAK_GLASS_ADD,
	S_BREAK_GLASS_LIVE,
	S_USER_BY_NAME,
	S_SESSION_INSERT,
	S_SESSION_FIND,
	S_SESSION_TOUCH,
	S_USER_TOTP_STEP,
	S_SEALED_GET,
	S_ACCESS_FACTS,
	S_ACCESS_FACTS_MANY,
	S_SEAL,
	S_SEALS,
	S_USER_CREDENTIALS,
	S_USER_TOTP_NEW,
	S_USER_SESSIONS_END,
	S_SESSION_END,
	S_LOGIN_ADD,
	S_LOGIN_FAILURES,
	S_LOGIN_THROTTLE_NOTE,
	S_LOGIN_PRUNE,
	S_LOGIN_ATTEMPTS,
	S_USER_SESSIONS,
	S_LOGIN_THROTTLE_PRUNE,
	S_SWEEP_CLAIM,
	S_SWEEP_RUNS,
	S_USERS_TOTP_PLAIN,
	S_USER_TOTP_SEAL,
	S_NOTICE_ADD,
	S_NOTICE_COUNT,
	S_NOTICES,
	S_CHECKPOINTS,
	S_EVENTS_KINDS_ONE,
	S_EVENTS_STATUS,
	S_DETAILS_SHOWN,
	S_EVENTS_KINDS_ALL,
	S_EVENTS_KINDS_IN_TIME,
	S_HOUSEMATES,
	S_HOUSEMATE_EVENTS,
	S_ALERT_INSERT,
	S_ALERT_GET,
	S_ALERTS,
	S_ALERTS_CHILD,
	S_ALERTS_CHILD_ALL,
	S_ALERTS_CHILD_DECIDED,
	S_ALERTS_CHILD_DECIDED_ALL,
	S_ALERT_COUNTS,
	S_ALERT_ACK,
	S_ALERT_RESOLVE,
	S_ALERT_ESCALATION_DUE,
	S_ALERTS_ESCALATED_TO,
	S_TEAM_UPSERT,
	S_ALLOC_SET,
	S_ALLOC_GET,
	S_CASELOAD,
	S_AWAITING,
	S_AWAITING_COUNT,
	S_MASH_AWAITING_LIST,
	S_MASH_AWAITING_BACK,
	S_MASH_AWAITING_COUNT,
	S_MASH_AWAITING_AGENCY_LIST,
	S_MASH_AWAITING_AGENCY_BACK,
	S_MASH_AWAITING_AGENCY_COUNT,
	S_MASH_AWAITING_COUNT_NAMED,
	S_MASH_OPEN_CONTACT,
	S_MASH_OPEN_ANSWER,
	S_MASH_OPEN_LOADED,
	S_MASH_OPEN_LOADED_DROP,
	S_MASH_OPEN_LOADED_ADD,
	S_EVENT_KEY_LOADED,
	S_MASH_DECIDED_LIST,
	S_MASH_DECIDED_BACK,
	S_MASH_DECIDED_COUNT,
	S_MASH_DECIDED_AGENCY_LIST,
	S_MASH_DECIDED_AGENCY_BACK,
	S_MASH_DECIDED_AGENCY_COUNT,
	S_MASH_AWAITING_NAMED,
	S_MASH_AWAITING_NAMED_BACK,
	S_MASH_DECIDED_NAMED,
	S_MASH_DECIDED_NAMED_BACK,
	S_MASH_ITEM,
	S_FLAG_ADD,
	S_FLAGS,
	S_RECORDING_INSERT,
	S_RECORDING_GET,
	S_RECORDINGS_CHILD,
	S_RECORDINGS_ALL,
	S_RECORDING_REWRAP,
	S_RECORDING_DELETE,
	S_BREAK_GLASS_OF_CHILD,
	S_CLIENTS,
	S_CLIENT_REVOKE,
	S_CLIENT_GET,
	S_CLIENT_APPROVE,
	S_ALERTS_OWNED,
	S_CASELOAD_MANAGED,
	S_ALLOCATIONS,
	S_TEAMS,
	S_USER_BY_ID,
	S_USERS,
	S_USER_DISABLE,
	S_USER_ENABLE,
	S_HOME_INSERT,
	S_HOME_GET,
	S_HOMES,
	S_OCC_SET,
	S_OCC_ALL,
	S_OCC_HOME,
	S_INC_INSERT,
	S_INC_COUNTS,
	S_INCIDENTS,
	S_PLACE_INSERT,
	S_PLACEMENTS,
	S_PLACEMENTS_ALL,
	S_REG44_INSERT,
	S_REG44,
	S_REG44_MISSING,
	S_REG44_OPINIONS,
	S_NOTE_INSERT,
	S_NOTES,
	S_RUN_INSERT,
	S_RUN_GET,
	S_RUN_LATEST,
	S_SIGNAL_INSERT,
	S_SIGNALS,
	S_HALERT_INSERT,
	S_HALERTS,
	S_HALERT_GET,
	S_HALERT_ACK,
	S_HALERT_RESOLVE,
	S_HALERT_RESOLVE_KEY,
	S_HALERT_ESCALATE,
	S_PLACEMENT_CURRENT,
	/* record linkage (schema 13) */
	S_BLOCK_ADD,
	S_BLOCK_ABSENT,
	S_BLOCK_ADD_KEY,
	S_BLOCK_CANDIDATES,
	S_BLOCK_CANDIDATES_SCORED,
	S_BLOCK_CANDIDATES_MANY,
	S_BLOCK_CANDIDATE_IDS,
	S_BLOCK_CANDIDATE_ROWS,
	S_EVENT_KINDS_EVERY,
	S_EVENT_MARKS_EVERY,
	S_REVIEW_INSERT,
	S_REVIEW_GET,
	S_REVIEWS_OPEN,
	S_REVIEWS_LIST,
	S_REVIEW_DECIDE,
	S_REVIEW_PAIR,
	S_REFUSAL_ADD,
	S_REFUSED,
	S_MERGED_INTO,
	S_MERGE_INSERT,
	S_MERGE_ROWS_SOURCE,
	S_MERGE_ROWS_EVENT,
	S_MERGE_ROWS_KEYS,
	S_MERGE_ROWS_IDENT,
	S_MERGE_ROWS_ALERT,
	S_MERGE_ROWS_HOUSEHOLD,
	S_MERGE_MOVE_SOURCE,
	S_MERGE_MOVE_EVENT,
	S_MERGE_MOVE_IDENT,
	S_MERGE_MOVE_ALERT,
	S_MERGE_MOVE_HOUSEHOLD,
	S_MERGE_MOVE_KEYS,
	S_MERGE_GET,
	S_MERGE_UNDONE,
	S_MERGES_OF,
	/* the service's linkage model (schema 18) */
	S_LINK_MODEL_INSERT,
	S_LINK_MODEL_LATEST,
	S_LINK_MODEL_LATEST_ID,
	S_LINK_TRAIN_RECORDS,
	S_LINK_REVIEWS_DECIDED,
	S_LINK_REVIEW_COUNTS,
	S_LINK_COUNTS_FILL,
	S_LINK_COUNTS_GET,
	S_LINK_COUNTS_SET,
	S_TABLE_COUNTS,
	S_SCHEMA_INDEXES,
	S_ALERTS_FOLLOW,
	S_ALERT_ESCALATE_ONE,
	S_MANAGES,
	S_TEAM_WORKLOAD,
	S_TEAM_CONTACT_GET,
	S_TEAM_CONTACTS,
	S_CHILD_CONTACTS,
	S_TEAM_CONTACT_SET,
	S_BREAK_GLASS_UNTIL,
	S_NOTICE_ATTACH,
	S_NOTICE_PENDING,
	S_WORKER_NOTICE_ADD,
	S_WORKER_NOTICES,
	S_CHILD_LOOKS,
	S_GLASS_AREA,
	S_LADO_PERSON_INSERT,
	S_LADO_PERSON_GET,
	S_LADO_PEOPLE_NEAR,
	S_LADO_EMPLOYMENT_ADD,
	S_LADO_EMPLOYMENTS,
	S_LADO_HOME_BY_URN,
	S_LADO_ALLEGATION_INSERT,
	S_LADO_ALLEGATION_GET,
	S_LADO_ALLEGATION_UPDATE,
	S_LADO_ALLEGATIONS,
	S_LADO_ALERT_INSERT,
	S_LADO_ALERTS,
	S_LADO_ALERT_RESOLVE,
	S_SPEAKUP_INSERT,
	S_SPEAKUP_GET,
	S_SPEAKUP_BY_REF,
	S_SPEAKUPS,
	S_SPEAKUP_UPDATE,
	S_SPEAKUP_COUNT,
	S_SPEAKUP_MSG_INSERT,
	S_SPEAKUP_MSGS,
	/* bulk loads (store_bulk.h): one INSERT and one next-id query per table of bulk_tables[], built there */
	S_BULK_0,
	S_BULK_LAST = S_BULK_0 + STORE_BULK__COUNT - 1,
	S_BULK_NEXT_0,
	S_BULK_NEXT_LAST = S_BULK_NEXT_0 + STORE_BULK__COUNT - 1,
	S_BULK_EMPTY,
	S_BULK_INDEXES,
	S_BULK_HOLD,
	S_BULK_HELD,
	S_BULK_UNHOLD,
	S_BULK_SYNC,
	/* the planner's statistics, a table at a time (SQLite; store_core.h) */
	S_STATS_NEXT_TABLE,
	S_STATS_HAVE,
	S_STATS_COUNTED,
	S_STATS_COUNT, /* the table's name in its text: prepared for one table and forgotten (sql_forget) */
	S_STATS_DROP,
	S__COUNT
};

/* An identifier the person holds already keeps its row; one written undated (first_seen "": by a record readers
 * outside health may not see, r-ntk23) is dated by the first record that may be seen to name it (r-ntk24), so
 * that it says when a record the reader can see first named it, not "" for ever. A dated one is never moved. */
#define IDENT_DATED_LATER "DO UPDATE SET first_seen = excluded.first_seen WHERE identifier.first_seen = '' " \
			  "AND excluded.first_seen <> ''"
#define PERSON_COLS "p.id, p.given_name, p.middle_names, p.family_name, coalesce(p.dob, ''), p.sex, p.postcode, " \
		    "p.address, coalesce(p.match_key, ''), p.created_at, p.communication_needs, p.disability, " \
		    "p.ethnicity, p.first_language"

#define ALERT_COLS "a.id, a.person_id, a.code, a.raised_on, coalesce(a.due_on, ''), a.evidence, a.dedup_key, " \
		   "a.owner_kind, a.owner, a.state, a.created_at, coalesce(a.acknowledged_at, ''), " \
		   "coalesce(a.acknowledged_by, ''), coalesce(a.resolved_at, ''), coalesce(a.resolved_by, ''), " \
		   "coalesce(a.outcome, ''), coalesce(a.escalated_at, ''), coalesce(a.escalated_to, ''), " \
		   "p.given_name, p.family_name"
/* One child's alerts with the query's filters (store_alert_query; ?6 the child), and their order and limit: the
 * view's parts go between the two (S_ALERTS_CHILD...). */
#define ALERTS_CHILD_WHERE                                                                                     \
	"SELECT " ALERT_COLS " FROM alert a JOIN person p ON p.id = a.person_id WHERE a.person_id = ?6 "         \
	"AND (?1 = '' OR a.state = ?1) AND (?2 = 0 OR a.state IN ('open', 'acknowledged')) "                   \
	"AND (?3 = '' OR a.owner_kind = ?3) AND (?4 = '' OR a.owner = ?4 OR a.escalated_to = ?4) "            \
	"AND (?5 = '' OR a.escalated_to = ?5)"
#define ALERTS_CHILD_ORDER " ORDER BY a.raised_on DESC, a.id DESC LIMIT ?7"
/* The chronology's page from the newest (FIRST) or after a cursor (AFTER: ?3 the time, ?4 the id), ?5 ?6 the
 * filters, ?2 the limit. */
#define CHRONO_FIRST_FROM                                                                                      \
	"FROM event WHERE person_id = ?1 AND (?5 IS NULL OR agency = ?5) AND (?6 IS NULL OR kind = ?6) "        \
	"AND " VIEW_EVENT("event") " ORDER BY occurred_at DESC, id DESC LIMIT ?2"
#define CHRONO_AFTER_FROM                                                                                      \
	"FROM event WHERE person_id = ?1 AND (occurred_at < ?3 OR (occurred_at = ?3 AND id < ?4)) "             \
	"AND (?5 IS NULL OR agency = ?5) AND (?6 IS NULL OR kind = ?6) AND " VIEW_EVENT("event")               \
	" ORDER BY occurred_at DESC, id DESC LIMIT ?2"
#define CLIENT_COLS "id, agency, label, created_at, coalesce(revoked_at, ''), scope, created_by, pending, " \
		    "coalesce(approved_by, ''), coalesce(approved_at, '')"
#define ALLOC_COLS "l.person_id, l.worker, l.team, l.since, p.given_name, p.family_name, coalesce(p.dob, ''), " \
		   "t.manager FROM allocation l JOIN person p ON p.id = l.person_id JOIN team t ON t.code = l.team"
/* The reader's view (struct store_view, decided by service/access.c), as every list that names a child or
 * shows a child's events applies it, bound by bind_view: ?61 sealed persons shown (0 or 1); ?62 only this
 * agency's events (NULL: every agency's); ?63 and ?64 that agency's events whose details.category is in that
 * JSON array left out (NULL: none). The numbers are far above any statement's own parameters. */
#define VIEW_PERSON(id) "(" VIEW_PERSON_UNSEALED_(id) " AND " VIEW_PERSON_KNOWN_(id) ")"
#define VIEW_PERSON_UNSEALED_(id) "(?61 <> 0 OR NOT EXISTS (SELECT 1 FROM sealed_record vr WHERE vr.person_id = " id "))"
/* VIEW_EVENT is the one decider of whether a reader's view shows an event: every list and the chronology
 * filter by it, and where a row or a derivation names an event it does not list (the MASH decision on a
 * contact's row, the status events of the summary card) the statement returns it as a column (VIEW_SHOWN), so
 * that nothing in C decides it again (r-ntk22; the policy's truth table: tests/unit/test_event_view_agree.c, on
 * both engines). The private agency's event is shown only when its details say "category" once, plainly,
 * with a value outside the list. Details the two engines would read differently are not shown: the key twice
 * (SQLite's json_extract reads the first, PostgreSQL's jsonb the last), or a key written with an escaped
 * letter (PostgreSQL reads "\u0063ategory" as "category", SQLite 3.40's path does not). Both are found in the
 * text ("category" in quotes twice, LIKE only choosing which details to search exactly; \u006 or \u007 in
 * any case, where there is a \u), so a value or a nested key "category" beside the category hides the event
 * too: no writer stores any of these (the API, the forms and the CLI write jansson's compact dump of an
 * object, whose keys are unique and whose letters are never escaped), and hiding a health record from a reader
 * outside health is the safe way to be wrong. VIEW_CATEGORY_SHOWN_ is VIEW_EVENT's part, not for use alone. */
#define VIEW_CATEGORY_SHOWN_(d)                                                                                \
	"(" VIEW_CATEGORY_READ_(d) " AND coalesce(json_extract(" d ", '$.category'), '') NOT IN "                  \
	"(SELECT value FROM json_each(?64)))"
/* The category's part is a CASE, so that PostgreSQL takes it for one condition of unknown selectivity, as it
 * took r-ntk21's NOT IN: as its five conditions it estimated 2 of a child's 500 health events shown and read
 * the chronology by sorting every event of the child instead of walking event_history to the page's 101st
 * (0.55 against 0.10 ms). */
#define VIEW_EVENT_(e, category_shown)                                                                         \
	"((?62 IS NULL OR " e ".agency = ?62) AND (?63 IS NULL OR " e ".agency <> ?63 OR CASE WHEN " category_shown \
	" THEN true ELSE false END))"
#define VIEW_EVENT(e) VIEW_EVENT_(e, VIEW_CATEGORY_SHOWN_(e ".details"))
/* The same, with the details read by id only where the agency is the private one (no reference to the row's
 * details: an index without them can cover the query). The rule is a CASE's condition there, as everywhere
 * (a WHERE, VIEW_SHOWN): SQLite stops at the first operand of AND or OR that decides a condition, but works
 * out every operand of one whose value is selected (the lower(), replace() and substr() of the rule on every
 * health event: +69% instructions for the marks of a child with 500 health events, +27% for its record page;
 * docs/BENCHMARKS.md r-ntk22). */
#define VIEW_EVENT_BY_ID(e)                                                                                    \
	VIEW_EVENT_(e, "(SELECT CASE WHEN " VIEW_CATEGORY_SHOWN_("vd.details") " THEN 1 ELSE 0 END FROM event vd " \
		       "WHERE vd.id = " e ".id) = 1")
/* VIEW_EVENT as a column, 1 shown or 0, for an event a statement returns without filtering by it. */
#define VIEW_SHOWN(e) "CASE WHEN " VIEW_EVENT(e) " THEN 1 ELSE 0 END"
/* Whether the view knows the person at all (r-ntk24; docs/SECURITY.md "A child known only from records the
 * reader may not see"): a person some of whose events the view's category part (VIEW_EVENT's, ?63/?64) leaves
 * out, and none of whose events it shows, is to that view what an id that holds no child is: absent from every
 * list, count and read (a sexual health clinic's record must not make a child appear to the police or a school).
 * A person with no event (an adult of a household; but not the record a standing merge emptied of events none
 * of which the rule shows: that record is known as it was before the merge, else a break-glass on its id read
 * the clinic's name, date of birth and address: r-review44), a person one of whose events the rule shows, and a
 * child social care has allocated (its own record of the child, shown on the record page: the allocated worker and
 * their manager read it as before) are known; ?62 (an own agency's reader's events) does not enter: whether a
 * child is there is not whose events one reads.
 * A shown event is sought, never walked to (migration 41, r-ntk29; r-review47: her refusal read every one of her
 * health-only events to find none shown, so it cost more than an empty id's by her number of records): each
 * question is a seek of event_person_category (person_id, agency, category_key) that reads one entry at most.
 * Another agency's event: the agencies below the private one, then above it. The private agency's: the keys the
 * rule hides are VIEW_HIDDEN_KEYS_ ('' and '=' || each value of the list), in order; a key the rule shows lies
 * strictly between two of them, or above the last ('' is below every key), so one seek an interval, bounded on
 * both sides (the bounds computed before any seek: an id past every child's, whose seeks find the end of the
 * index, must not skip work hers does), finds it or reads one entry past the interval. So 4 + the list's length
 * seeks, whatever she holds, in either engine's order of text (PostgreSQL's collation included: the b-tree, the
 * comparisons and the window's ORDER BY share it). An event with no key (NULL: stored before migration 41 with
 * details that name no category, or a row no statement of the store wrote) is read by its details as before,
 * through the same index (her NULL keys only; such a row is shown, so the first ends the question). Part of
 * VIEW_PERSON, and the column `known` of the access facts (S_ACCESS_FACTS: a child's record and every read about
 * one child). */
#define VIEW_HIDDEN_KEYS_ "(SELECT '' AS k UNION ALL SELECT '=' || value FROM json_each(?64))"
#define VIEW_PERSON_KNOWN_AS_(id, ag)                                                                          \
	"(" ag " IS NULL OR EXISTS (SELECT 1 FROM event vk WHERE vk.person_id = " id " AND vk.agency < " ag ") "  \
	"OR EXISTS (SELECT 1 FROM event vk WHERE vk.person_id = " id " AND vk.agency > " ag ") OR EXISTS (SELECT " \
	"1 FROM (SELECT k, lead(k) OVER (ORDER BY k) AS nx FROM " VIEW_HIDDEN_KEYS_ " vh) vg WHERE EXISTS (SELECT 1 " \
	"FROM event vk WHERE vk.person_id = " id " AND vk.agency = " ag " AND vk.category_key > vg.k AND "        \
	"vk.category_key < vg.nx) OR (vg.nx IS NULL AND EXISTS (SELECT 1 FROM event vk WHERE vk.person_id = " id \
	" AND vk.agency = " ag " AND vk.category_key > vg.k))) OR EXISTS (SELECT 1 FROM event vk WHERE "          \
	"vk.person_id = " id " AND vk.agency = " ag " AND vk.category_key IS NULL AND CASE WHEN "                \
	VIEW_CATEGORY_SHOWN_("vk.details") " THEN "                                                              \
	"true ELSE false END) OR "                                                                              \
	"(NOT EXISTS (SELECT "                                                                                  \
	"1 FROM event vk WHERE vk.person_id = " id ") AND NOT EXISTS (SELECT 1 FROM person_merge vm WHERE "       \
	"vm.merged_id = " id " AND vm.undone_at IS NULL AND EXISTS (SELECT 1 FROM person_merge_key vr WHERE "     \
	"vr.merge_id = vm.id) AND NOT EXISTS (SELECT 1 FROM person_merge_key vr WHERE vr.merge_id = vm.id AND "   \
	"(vr.agency <> " ag " OR vr.category_key NOT IN (SELECT k FROM " VIEW_HIDDEN_KEYS_ " vh))))) OR EXISTS "  \
	"(SELECT 1 FROM allocation va WHERE va.person_id = " id "))"
#define VIEW_PERSON_KNOWN_(id) VIEW_PERSON_KNOWN_AS_(id, "?63")
/* VIEW_PERSON for a statement whose row is an event of that person that it lists by VIEW_EVENT (the MASH's
 * lists): that event is one the view shows, so the person is known (VIEW_PERSON_KNOWN_ holds); only the seal is
 * asked. */
#define VIEW_PERSON_OF_SHOWN_EVENT(id) VIEW_PERSON_UNSEALED_(id)
/* An alert, for a reader limited to some events: only when every event it rests on is one they see. */
#define VIEW_ALERT(a)                                                                                          \
	"(?62 IS NULL OR (json_array_length(" a ".evidence) > 0 AND NOT EXISTS (SELECT 1 FROM "                \
	"json_each(" a ".evidence) x LEFT JOIN event ve ON ve.id = CAST(x.value AS BIGINT) WHERE ve.id IS NULL OR NOT "      \
	VIEW_EVENT("ve") ")))"
/* The status kinds (store_events.h's STORE_STATUS_KINDS) as an IN list in the text: a list bound as a JSON
 * parameter gives PostgreSQL's generic plan no kinds to seek, and it read every event of the child (issue 17). */
#define EVENT_KIND_STATUS_(k) "'" #k "'"
#define EVENT_KIND_STATUS(e) e ".kind IN (" STORE_STATUS_KINDS(EVENT_KIND_STATUS_, ", ") ")"
#define AWAITING_WHERE "WHERE " MASH_AWAITS("e") " AND " EVENT_KIND_SOUGHT("e")
/* The MASH queue with its filters: a contact or referral with the decision that answered it (the first
 * referral decision of the child at or after it), or none. ?1 0 awaiting, 1 decided; ?2 agency; ?3, ?4 received
 * in [from, before); ?5 a piece of the child's name (any case); NULL: no filter. The last column says whether
 * the reader's view shows the decision, an event of its own (VIEW_EVENT on d; 1 where there is none): the row is
 * listed by the contact's view, and the service withholds what the decision says where it is 0. */
#define MASH_COLS "e.id, e.person_id, e.agency, e.kind, e.occurred_at, p.given_name, p.family_name, " \
		  "coalesce(p.dob, ''), coalesce(d.id, 0), coalesce(d.occurred_at, ''), " \
		  "coalesce(json_extract(d.details, '$.outcome'), ''), coalesce(json_extract(d.details, '$.decided_by'), ''), " \
		  "coalesce(e.summary, ''), coalesce(e.details, '{}'), coalesce(json_extract(d.details, '$.reason'), ''), " \
		  "CASE WHEN d.id IS NULL OR " VIEW_EVENT("d") " THEN 1 ELSE 0 END"
#define MASH_FROM "event e JOIN person p ON p.id = e.person_id LEFT JOIN event d ON d.id = (SELECT d2.id FROM event d2 " \
		  "WHERE d2.person_id = e.person_id AND " MASH_ANSWERS("d2") " AND d2.occurred_at >= e.occurred_at " \
		  "ORDER BY d2.occurred_at, d2.id LIMIT 1)"
/* The filters of both lists (the event e, its child p). A piece of the name is a LIKE of the folded name with
 * the piece's own % _ and \ escaped (the same rows as instr(folded, lower(?5)) > 0), not instr: PostgreSQL
 * estimates a LIKE from the statistics of MASH_NAME_FOLDED (migration 36) and a function's result > 0 at a
 * third of the children, so it walked every contact of the area in time order for a name few children have,
 * 2.5-4 s a page at 50,000 children (docs/BENCHMARKS.md, r-mashkey22). */
#define MASH_NAME_FOLDED "lower(p.given_name || ' ' || p.family_name)"
#define MASH_FILTERS MASH_FILTER_AGENCY MASH_FILTER_RECEIVED MASH_FILTER_REST
#define MASH_FILTER_AGENCY "(?2 IS NULL OR e.agency = ?2)"
#define MASH_FILTER_RECEIVED " AND (?3 IS NULL OR e.occurred_at >= ?3) AND (?4 IS NULL OR e.occurred_at < ?4)"
#define MASH_FILTER_REST MASH_FILTER_REST_(VIEW_EVENT("e"))
#define MASH_FILTER_REST_(view) " AND (?5 IS NULL OR " MASH_NAME_FOLDED " LIKE '%' || " \
			 "replace(replace(replace(lower(?5), '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%' ESCAPE '\\') " \
			 "AND " VIEW_PERSON_OF_SHOWN_EVENT("p.id") " AND " view
/* The lists, one statement each (migration 34): a statement whose order is the order of an index is read
 * from it a page at a time; one ORDER BY of CASEs for both sorted every contact of the area for each page.
 * Awaiting: no referral decision of the child at or after it (the LEFT JOIN's d.id IS NULL), oldest first,
 * walking mash_open (since migration 37; event_mash before); decided (MASH_DECIDED, below) walks event_mash
 * backwards. The same rows as MASH_FROM's LEFT JOIN
 * gives (bench/mash_same.c: every page compared). ?1 is still bound and named: each statement answers one value
 * of it and no rows for the other. Each is planned with its values (SQL_CUSTOM_PLAN): PostgreSQL's generic
 * plan, taken for good after the fifth execution on a connection that had paged far, read the decisions in no
 * index's order and sorted them, 0.8-1 s a page against 3-19 ms (docs/BENCHMARKS.md, r-review38); and read in
 * their index's order (SQL_INDEX_ORDER): the plan made with the values of a page past the 130th (or the 40th
 * with an agency) sorted every decision too, 4-6 s (r-mashcnt21). */
#define MASH_KINDS(e) e ".kind IN ('contact', 'referral', 'referral_decision')"
/* event_mash's list as SQLite holds it since migration 38 and its statements name it (EVENT_KIND_SOUGHT_OR) */
#define MASH_KINDS_OR(e) "(" e ".kind = 'contact' OR " e ".kind = 'referral' OR " e ".kind = 'referral_decision')"
/* The queue reads mash_open (migration 37), the contacts and referrals the rule says await, kept by triggers
 * in the transaction that writes the contact or its decision: a first page costs what the awaiting rows cost,
 * not the area's history. Walking event_mash oldest first passed every contact decided long ago to find 25
 * awaiting: 30-40 ms of CPU on SQLite and 150-460 ms on PostgreSQL at 300,000 contacts, most of them decided
 * (docs/BENCHMARKS.md, r-mash23). Each row is still asked the rule (MASH_AWAITS, one probe of
 * event_mash_answer): the table says where to look, the rule what awaits. */
#define MASH_AWAITING "FROM mash_open o JOIN event e ON e.id = o.event_id JOIN person p ON p.id = e.person_id " \
		      "WHERE ?1 = 0 AND " MASH_AWAITS("e") " AND " MASH_FILTER_AGENCY MASH_FILTER_REST
/* The same for one agency (?2 not NULL): its rows of mash_open only, in the queue's order, by mash_open_agency
 * (agency, occurred_at, event_id; migration 39). Walking the primary key passed every other agency's awaiting
 * rows: the police's "due today or later" count read every awaiting row of the window until 1,001 were the
 * police's (docs/BENCHMARKS.md, r-mash27). The event's agency is still asked (MASH_FILTER_AGENCY): the
 * copy says where to look, the event what it is. Its own statements: SQLite plans a statement once, and
 * "?2 IS NULL OR o.agency = ?2" seeks no index. */
#define MASH_AWAITING_AGENCY "FROM mash_open o JOIN event e ON e.id = o.event_id JOIN person p ON p.id = "      \
			     "e.person_id WHERE ?1 = 0 AND o.agency = ?2 AND " MASH_AWAITS("e") " AND "          \
			     MASH_FILTER_AGENCY MASH_FILTER_REST
/* The queue with a piece of the name (?5): the one statement of before migration 34 (its LEFT JOIN, its ORDER BY
 * of CASEs, ?1 bound 0), whose order no index gives, so that SQLite starts from the children whose name matches
 * and sorts their contacts. MASH_AWAITING read event_mash in time order and probed every contact of the area
 * for the few children named: 0.36-0.44 s of CPU a page against 5 ms at 120,000 contacts (SQLite; PostgreSQL
 * 0.23-0.28 s either way; docs/BENCHMARKS.md, r-review38). The same rows (bench/mash_same.c). */
#define MASH_AWAITING_NAMED "FROM " MASH_FROM " WHERE e.kind IN ('contact', 'referral') AND " EVENT_KIND_SOUGHT("e") \
			    " AND ((?1 = 0 AND d.id IS NULL) OR (?1 = 1 AND d.id IS NOT NULL)) AND " MASH_FILTERS
/* The counts: each contact or referral with no decision at or after it, or with one, at most ?8 of them
 * (store_mash_query.count_max + 1: the page asks for 1,001, and reads "more than 1,000"). Every row of the area
 * was counted for every page: 0.2-0.4 s of CPU on SQLite, 0.6-3 s on PostgreSQL at 300,000 contacts; counting
 * stops at the bound, in no order (docs/BENCHMARKS.md, r-mashcnt21). Not through event_mash (no MASH_KINDS):
 * a count that reads every row (a name that few children have) walked the index into the table in time
 * order on SQLite, 5x the CPU of the child's own rows by event_person_kind. */
#define MASH_COUNT(decided, which) "SELECT count(*) FROM (SELECT 1 FROM event e JOIN person p ON p.id = e.person_id " \
				   "WHERE ?1 = " decided " AND " EVENT_KIND_SOUGHT("e") " AND " which " AND " MASH_FILTERS \
				   " LIMIT ?8) AS c" SQL_CUSTOM_PLAN
/* The queue's count without a name: its rows from mash_open, as the queue's (MASH_AWAITING), in the queue's
 * order: unordered, PostgreSQL hashed mash_open against every contact of the area (a bitmap scan of
 * event_kind_sought, 300,262 entries) for 1,001 rows, 120-330 ms at 50,000 children; walked in its key's
 * order, 15-57 ms (r-mash23). SQLite walks it in that order either way. */
#define MASH_COUNT_OPEN_(from) "SELECT count(*) FROM (SELECT 1 " from MASH_OPEN_FROM MASH_OPEN_UNTIL MASH_OPEN_ASC \
			       "LIMIT ?8) AS c" SQL_CUSTOM_PLAN SQL_INDEX_ORDER
#define MASH_COUNT_OPEN MASH_COUNT_OPEN_(MASH_AWAITING)
/* Decided: each contact or referral with a decision of its child at or after it, the most recently received
 * first (event_mash backwards), with that decision (MASH_FROM's first one). Ordered by the contact, not by the
 * decision: a reader may not see the decision (service/mash.c withholds it), and a row placed by its
 * decision's time between two rows whose decisions are shown said roughly when the withheld one was made
 * (r-review39). The contact's time is the reader's to see; the decision follows it within a working day. */
#define MASH_DECIDED "FROM " MASH_FROM " WHERE ?1 = 1 AND " MASH_KINDS("e") " AND e.kind IN ('contact', 'referral') " \
		     "AND " EVENT_KIND_SOUGHT("e") " AND " MASH_ANSWERED("e", "d3") " AND " MASH_FILTERS
/* The same for one agency (?2 not NULL): its contacts and referrals only, in the list's order, by
 * event_mash_agency (agency, occurred_at, id, person_id, kind; migration 40). Walking event_mash passed every
 * other agency's decided contacts, and the count read every agency's until 1,001 were the police's
 * (docs/BENCHMARKS.md, r-mash27, r-mash29). The received filters bound the walk (?11 from, ?12 before, never
 * NULL: mash_bind), as the queue's bound mash_open's (MASH_OPEN_FROM), so that a window starts at its end
 * rather than passing every newer contact: one lower and one upper bound a statement, as the queue's (SQLite
 * seeks one of each), the list's key taking the filter on its side (mash_list_bind) and the count both. The
 * count reads the index only (VIEW_EVENT_BY_ID: an event's details are read only where its agency is the
 * view's private one), oldest first: the contacts that await are the newest. Its own statements: SQLite plans
 * a statement once, and "?2 IS NULL OR e.agency = ?2" seeks no index. No event_mash's list (MASH_KINDS) here:
 * it would offer SQLite that walk too. */
#define MASH_DECIDED_AGENCY_WHERE(d, view) "?1 = 1 AND e.agency = ?2 AND e.kind IN ('contact', 'referral') AND " \
			    EVENT_KIND_SOUGHT("e") " AND " MASH_ANSWERED("e", d) " AND " MASH_FILTER_AGENCY \
			    MASH_FILTER_RECEIVED MASH_FILTER_REST_(view)
#define MASH_DECIDED_AGENCY "FROM " MASH_FROM " WHERE " MASH_DECIDED_AGENCY_WHERE("d3", VIEW_EVENT("e"))
#define MASH_DECIDED_FROM " AND e.occurred_at >= ?11"
#define MASH_DECIDED_UNTIL " AND e.occurred_at < ?12"
/* Keyset pages (store_mash_query.key_at): the rows after or before the row (?9, ?10) in the list's order, a row
 * value that both engines seek in event_mash (occurred_at, id, ...), or mash_open's (occurred_at, event_id) for
 * the queue (MASH_OPEN_AFTER), so that the page a link reaches by the
 * last row shown costs what the first page costs (OFFSET read every row before it: the decisions' page 200
 * 0.5-0.7 s on PostgreSQL, r-mashcnt21). With no key the bounds are instants no event has (sq_mash_queue), not
 * an "?9 IS NULL OR": SQLite does not seek a range under an OR. A page before the key is read nearest first
 * (LIMIT) and put back in the list's order around it (5: occurred_at, 1: id). */
#define MASH_KEY_MIN "0000-01-01T00:00:00Z" /* before every instant intake takes (and every id > 0) */
#define MASH_KEY_MAX "9999-12-31T23:59:59Z"
#define MASH_AFTER "(e.occurred_at, e.id) > (?9, ?10)"
#define MASH_BEFORE "(e.occurred_at, e.id) < (?9, ?10)"
/* The same for the lists with a name, through no index (|| ''): with the key a range of event_kind_sought,
 * SQLite read every contact of the area for the few children named, 0.7-1.1 s of CPU a page against 18-25 ms
 * starting from the children (r-mashkey22). */
#define MASH_AFTER_NAMED "(e.occurred_at || '', e.id) > (?9, ?10)"
#define MASH_BEFORE_NAMED "(e.occurred_at || '', e.id) < (?9, ?10)"
#define MASH_ASC " ORDER BY e.occurred_at, e.id "
/* The queue's key, order and bounds on mash_open's key (the same values as the event's) */
#define MASH_OPEN_AFTER "(o.occurred_at, o.event_id) > (?9, ?10)"
#define MASH_OPEN_BEFORE "(o.occurred_at, o.event_id) < (?9, ?10)"
#define MASH_OPEN_ASC " ORDER BY o.occurred_at, o.event_id "
#define MASH_OPEN_DESC " ORDER BY o.occurred_at DESC, o.event_id DESC "
/* The queue's received filters (?3 from, ?4 before) are the walk's own bounds on mash_open's key (its
 * occurred_at is the event's), not a filter of the event: so the queue "due today or later" (?3) starts at its
 * first day rather than at the oldest contact that awaits. As a filter ("?3 IS NULL OR e.occurred_at >= ?3"), a
 * page and the count passed every overdue contact first (23,000 rows at 50,000 children), and on PostgreSQL the
 * event's bound also drew the plan to event_kind_sought joined by a nested loop instead of the event's key
 * (docs/BENCHMARKS.md, r-pgpage25). ?11 and ?12 are never NULL (mash_bind: the filter's value, or an end no
 * event passes), and each statement has one lower and one upper bound: the list after its key (?9, ?10) takes
 * ?3 into that key (mash_list_bind) and keeps ?12; the list before its key takes ?4 into the key and keeps ?11;
 * the count has both. */
#define MASH_OPEN_FROM " AND o.occurred_at >= ?11"
#define MASH_OPEN_UNTIL " AND o.occurred_at < ?12"
#define MASH_DESC " ORDER BY e.occurred_at DESC, e.id DESC "
#define MASH_BACK(sel, back_order) "SELECT * FROM (" sel " LIMIT ?6) AS w ORDER BY " back_order
#define MASH_AWAITING_COLS "SELECT e.id, e.person_id, e.agency, e.kind, e.occurred_at, p.given_name, p.family_name, " \
			   "coalesce(p.dob, ''), 0, '', '', '', coalesce(e.summary, ''), coalesce(e.details, '{}'), " \
			   "'', 1 "

/* A review task with the record's agency and the two persons' names (for lists). */
#define REVIEW_COLS "v.id, v.source_record_id, v.person_id, v.candidate_id, v.weight, v.probability, v.explanation, " \
		    "v.created_at, coalesce(v.decided_at, ''), coalesce(v.decided_by, ''), coalesce(v.decision, ''), " \
		    "coalesce(v.reason, ''), coalesce(v.merge_id, 0), s.agency, s.source_ref, p.given_name, p.family_name, " \
		    "q.given_name, q.family_name FROM link_review v JOIN source_record s ON s.id = v.source_record_id " \
		    "JOIN person p ON p.id = v.person_id JOIN person q ON q.id = v.candidate_id"

#define RECORDING_COLS "id, child_id, filename, content_type, bytes, blake2b, wrapped_key, key_nonce, disk_name, " \
		       "uploaded_by, uploaded_at, kind, recorded_on, present, consent, words"

#define HOME_COLS "h.id, h.urn, h.name, h.provider, h.la_code, h.postcode, coalesce(h.lat, 0), coalesce(h.lon, 0), " \
		  "h.places, h.specialism, h.ofsted_grade, coalesce(h.grade_date, '')"
#define INCIDENT_COLS "i.id, i.home_id, coalesce(i.person_id, 0), i.occurred_at, i.type, coalesce(i.duration_min, -1), " \
		      "i.technique, coalesce(i.child_injured, -1), coalesce(i.staff_involved, -1), " \
		      "coalesce(i.debrief_offered, -1), i.summary, h.name, coalesce(p.given_name, ''), " \
		      "coalesce(p.family_name, '') FROM home_incident i JOIN home h ON h.id = i.home_id " \
		      "LEFT JOIN person p ON p.id = i.person_id"
#define RUN_COLS "id, started_at, finished_at, trigger, by, budget, h_up, h_down, h_combined, homes, months, " \
		 "first_month, last_month, signals, alerts, coalesce(budget_confidence, -1), " \
		 "coalesce(simulated_rate, -1) FROM oversight_run"

#define HALERT_COLS                                                                                             \
	"a.id, a.home_id, coalesce(a.run_id, 0), a.kind, a.month, a.reason, a.dedup_key, a.owner, a.state, "     \
	"a.created_at, h.name, coalesce(a.acknowledged_at, ''), coalesce(a.acknowledged_by, ''), "                \
	"coalesce(a.resolved_at, ''), coalesce(a.resolved_by, ''), coalesce(a.outcome, ''), "                     \
	"coalesce(a.escalated_at, ''), coalesce(a.escalated_to, '') FROM home_alert a JOIN home h ON h.id = a.home_id"

#define LINK_SUBJECT_COLS(p) \
	"coalesce(json_extract(" p ", '$.subject.given_name'), ''), coalesce(json_extract(" p ", '$.subject.middle_names'), ''), " \
	"coalesce(json_extract(" p ", '$.subject.family_name'), ''), coalesce(json_extract(" p ", '$.subject.dob'), ''), " \
	"coalesce(json_extract(" p ", '$.subject.sex'), ''), coalesce(json_extract(" p ", '$.subject.postcode'), ''), " \
	"coalesce(json_extract(" p ", '$.subject.address'), ''), coalesce(json_extract(" p ", '$.subject.nhs_number'), ''), " \
	"coalesce(json_extract(" p ", '$.subject.upn'), '')"

#define LADO_ALLEGATION_COLS \
	"a.id, a.person_id, a.employment_id, a.received_on, a.referrer, a.summary, a.created_at, a.created_by, " \
	"a.consideration_on, a.threshold, a.consideration_notes, a.strategy_on, a.strategy_notes, a.outcome, " \
	"a.outcome_on, a.outcome_notes, a.employer_action_on, a.employer_action, e.employer, coalesce(e.home_id, 0), " \
	"p.given_name, p.family_name FROM lado_allegation a JOIN lado_employment e ON e.id = a.employment_id " \
	"JOIN lado_person p ON p.id = a.person_id "

/* A record whose payload is JSON with a subject object. CASE, not AND: PostgreSQL may evaluate the operands
 * of AND in either order, and json_type on a payload that is not JSON (a page's plain-text record) is an error
 * there, not NULL as in SQLite. */
#define SUBJECT_IS_OBJECT(p) "(CASE WHEN json_valid(" p ") THEN json_type(" p ", '$.subject') END) = 'object'"

static const char *const stmt_sql[S__COUNT] = {
	[S_BULK_EMPTY] = "SELECT count(*) FROM (SELECT 1 FROM person LIMIT 1) p",
	/* the indexes of a table that no constraint needs (SQLite's own, for UNIQUE and PRIMARY KEY, have no SQL) */
	[S_BULK_INDEXES] = "SELECT name, sql, 'DROP INDEX \"' || name || '\"' FROM sqlite_master WHERE type = 'index' "
			   "AND tbl_name = ?1 AND sql IS NOT NULL ORDER BY name",
	[S_BULK_HOLD] = "INSERT INTO bulk_held_index(name, tbl, sql) VALUES (?1, ?2, ?3)",
	/* indexes first: a foreign key held back is checked against the whole table when it is added again; mash_open
	 * last: its fill reads event through the indexes */
	[S_BULK_HELD] = "SELECT name, sql, '' FROM bulk_held_index ORDER BY CASE WHEN sql LIKE 'ALTER TABLE %' THEN 1 "
			"WHEN name = 'mash_open' THEN 2 ELSE 0 END, name",
	[S_BULK_UNHOLD] = "DELETE FROM bulk_held_index WHERE name = ?1",
	/* `safeguard indexes` (PostgreSQL's: pg_override): every index SQLite holds (its own for a key or UNIQUE
	 * have no SQL), and what a load that stopped held back */
	[S_SCHEMA_INDEXES] = "SELECT name, tbl_name, 'index', 'built', coalesce(sql, '') FROM sqlite_master "
			     "WHERE type = 'index' UNION ALL SELECT name, tbl, 'index', 'held', sql FROM bulk_held_index "
			     "ORDER BY 1, 4",
	[S_BULK_SYNC] = "SELECT 'on'",
	/* SQLite's own tables (sqlite_stat1, sqlite_sequence) are not analysed; this schema has no virtual table */
	[S_STATS_NEXT_TABLE] = "SELECT name FROM sqlite_master WHERE type = 'table' AND name > ?1 "
			       "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name LIMIT 1",
	[S_STATS_HAVE] = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'",
	/* the rows the table had when it was last analysed (each of its rows' stat begins with that count) */
	[S_STATS_COUNTED] = "SELECT max(CAST(stat AS INTEGER)) FROM sqlite_stat1 WHERE tbl = ?1",
	[S_STATS_DROP] = "DELETE FROM sqlite_stat1 WHERE tbl = ?1",
	[S_BEGIN] = "BEGIN IMMEDIATE",
	[S_BEGIN_READ] = "BEGIN DEFERRED",
	[S_COMMIT] = "COMMIT",
	[S_ROLLBACK] = "ROLLBACK",
	[S_SAVEPOINT] = "SAVEPOINT job" SQL_DEFERRED, /* its failure reaches the job's RELEASE */
	[S_RELEASE] = "RELEASE job",
	[S_ROLLBACK_TO] = "ROLLBACK TO job",
	[S_PING] = "SELECT 1",
	[S_AGENCY_UPSERT] = "INSERT INTO agency(code, name) VALUES (?1, ?2) "
			    "ON CONFLICT(code) DO UPDATE SET name = excluded.name",
	[S_AGENCY_EXISTS] = "SELECT 1 FROM agency WHERE code = ?1",
	[S_AGENCIES] = "SELECT code, name FROM agency ORDER BY code",
	[S_CLIENT_INSERT] = "INSERT INTO api_client(agency, token_hash, label, created_at, scope, created_by, pending) "
			    "VALUES (?1, ?2, ?3, " NOW_SQL ", ?4, ?5, ?6) RETURNING id",
	[S_CLIENT_FIND] = "SELECT id, agency, scope, label, created_by, pending FROM api_client WHERE token_hash = ?1 "
			  "AND revoked_at IS NULL",
	[S_AUTH_GENERATION] = "SELECT n FROM auth_generation WHERE id = 1",
	[S_PERSON_INSERT] = "INSERT INTO person(given_name, middle_names, family_name, dob, sex, postcode, address, "
			    "match_key, created_at, given_fold, family_fold, communication_needs, disability, ethnicity, "
			    "first_language) VALUES (?1, ?2, ?3, nullif(?4, ''), ?5, ?6, ?7, nullif(?8, ''), " NOW_SQL
			    ", ?9, ?10, ?11, ?12, ?13, ?14) RETURNING id" SQL_DEFERRED_ROWS,
	[S_PERSON_GET] = "SELECT " PERSON_COLS " FROM person p WHERE p.id = ?1",
	[S_PERSON_ATTRS] = "UPDATE person SET communication_needs = coalesce(nullif(?2, ''), communication_needs), "
			   "disability = coalesce(nullif(?3, ''), disability), ethnicity = coalesce(nullif(?4, ''), ethnicity), "
			   "first_language = coalesce(nullif(?5, ''), first_language) WHERE id = ?1" SQL_DEFERRED,
	[S_SEARCH_IDENT] = "SELECT " PERSON_COLS " FROM identifier i JOIN person p ON p.id = i.person_id "
			   "WHERE i.kind = ?1 AND i.value = ?2 AND " VIEW_PERSON("p.id") " "
			   /* a person merged into another is found as the kept one */
			   "AND NOT EXISTS (SELECT 1 FROM person_merge m WHERE m.merged_id = p.id AND m.undone_at IS NULL) "
			   "ORDER BY p.id LIMIT ?3",
	/* Prefixes are bound with a trailing %; folding leaves no % or _ in them. */
	[S_SEARCH_NAME] = "SELECT " PERSON_COLS " FROM person p WHERE " VIEW_PERSON("p.id") " "
			  "AND (?1 = '' OR p.family_fold LIKE ?1 || '%') AND (?2 = '' OR p.given_fold LIKE ?2 || '%') "
			  "AND (?3 = '' OR p.dob = ?3 OR p.dob = ?4) "
			  "AND NOT EXISTS (SELECT 1 FROM person_merge m WHERE m.merged_id = p.id AND m.undone_at IS NULL) "
			  "ORDER BY p.family_fold, p.given_fold, p.dob, p.id LIMIT ?5",
	/* These two read the event's details (for the view's category) through its id, only for the rows of the
	 * private agency, so that the index event_history covers the rest (issue 17: for a reader with a
	 * private agency the record page read every one of the child's event rows twice); kind || '' keeps
	 * SQLite from grouping along event_person_kind, which lacks agency. */
	[S_EVENT_KINDS] = "SELECT kind || '', max(occurred_at) FROM event WHERE person_id = ?1 AND " VIEW_EVENT_BY_ID("event")
			  " GROUP BY kind || ''",
	[S_EVENT_MARKS] = "SELECT id, occurred_at, agency, kind FROM event WHERE person_id = ?1 "
			  "AND (?3 IS NULL OR agency = ?3) AND (?4 IS NULL OR kind = ?4) AND " VIEW_EVENT_BY_ID("event") " "
			  "ORDER BY occurred_at DESC, id DESC LIMIT ?2 OFFSET ?5",
	/* The same two for a reader who sees every event (no agency or category left out): without the view's
	 * condition, which names details, the indexes cover them and no row of the table is read (issue 17: the
	 * record page read all of a child's event rows twice, for its marks and for its kinds). */
	[S_EVENT_KINDS_EVERY] = "SELECT kind, max(occurred_at) FROM event WHERE person_id = ?1 GROUP BY kind",
	[S_EVENT_MARKS_EVERY] = "SELECT id, occurred_at, agency, kind FROM event WHERE person_id = ?1 "
				"AND (?3 IS NULL OR agency = ?3) AND (?4 IS NULL OR kind = ?4) "
				"ORDER BY occurred_at DESC, id DESC LIMIT ?2 OFFSET ?5",
	[S_PERSON_EXISTS] = "SELECT count(*) FROM person WHERE id = ?1",
	[S_PERSON_BY_IDENT] = "SELECT min(person_id) FROM identifier WHERE kind = ?1 AND value = ?2",
	/* no index since migration 33 (nothing but tests asks): a walk of the person table */
	[S_PERSON_BY_KEY] = "SELECT min(id) FROM person WHERE match_key = ?1",
	[S_IDENT_ADD] = "INSERT INTO identifier(person_id, kind, value, source_record_id, first_seen) "
			"VALUES (?1, ?2, ?3, nullif(?4, 0), CASE WHEN ?5 = 1 THEN '' ELSE " NOW_SQL " END) "
			"ON CONFLICT(kind, value, person_id) " IDENT_DATED_LATER SQL_DEFERRED,
	[S_IDENT_EACH] = "SELECT kind, value, first_seen FROM identifier WHERE person_id = ?1 ORDER BY kind, id",
	[S_HOUSEHOLD_UPSERT] = "INSERT INTO household(key, postcode, address) VALUES (?1, ?2, ?3) "
			       "ON CONFLICT(key) DO NOTHING" SQL_DEFERRED,
	[S_HOUSEHOLD_ID] = "SELECT id FROM household WHERE key = ?1",
	[S_MEMBER_UPSERT] = "INSERT INTO household_member(household_id, person_id, first_seen, last_seen) "
			    "VALUES (?1, ?2, ?3, ?3) ON CONFLICT(household_id, person_id) DO UPDATE SET "
			    "first_seen = min(household_member.first_seen, excluded.first_seen), "
			    "last_seen = max(household_member.last_seen, excluded.last_seen)" SQL_DEFERRED,
	/* SQLite's household join by key, when the caller needs no id (issue 17): the household's id and whether its
	 * member ?2 is already seen over a span holding ?3, read first; S_HOUSEHOLD_INSERT and S_MEMBER_UPSERT then
	 * write only what is missing. A member seen over a span holding ?3 is left alone (the rewrite of an
	 * unchanged row cost a new row version, its index entries and WAL on nearly every event). Not one INSERT ...
	 * SELECT (until r-sqlw18): it read its own table, which SQLite answered through a temporary b-tree filled,
	 * read and freed on every event, and on most events it wrote nothing. */
	[S_MEMBER_HELD] = "SELECT h.id, EXISTS (SELECT 1 FROM household_member m WHERE m.household_id = h.id "
			  "AND m.person_id = ?2 AND m.first_seen <= ?3 AND m.last_seen >= ?3) FROM household h "
			  "WHERE h.key = ?1",
	[S_HOUSEHOLD_INSERT] = "INSERT INTO household(key, postcode, address) VALUES (?1, ?2, ?3) RETURNING id"
			       SQL_DEFERRED_ROWS,
	/* [S_HOUSEHOLD_JOIN_BY_KEY]: PostgreSQL's only (pg_override); SQLite reads S_MEMBER_HELD, then writes what is
	 * missing */
	[S_HOUSEHOLDS_OF] = "SELECT h.id, h.postcode, h.address, m.last_seen FROM household_member m "
			    "JOIN household h ON h.id = m.household_id WHERE m.person_id = ?1 "
			    "ORDER BY m.last_seen DESC, h.id DESC",
	[S_MEMBERS] = "SELECT " PERSON_COLS " FROM household_member m JOIN person p ON p.id = m.person_id "
		      "WHERE m.household_id = ?1 AND " VIEW_PERSON("p.id") " ORDER BY coalesce(p.dob, ''), p.id",
	[S_SOURCE_INSERT] = "INSERT INTO source_record(agency, source_ref, payload_hash, payload, person_id, link_score, "
			    "link_rule, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, " NOW_SQL ") RETURNING id",
	/* [S_SOURCE_ABSENT]: PostgreSQL's only (pg_override); elsewhere store_source_find asks each time */
	[S_SOURCE_FIND] = "SELECT s.id, s.payload_hash, s.person_id, s.link_score, s.received_at, coalesce(e.id, 0) "
			  "FROM source_record s LEFT JOIN event e ON e.source_record_id = s.id "
			  "WHERE s.agency = ?1 AND s.source_ref = ?2",
	[S_EVENT_INSERT] = "INSERT INTO event(person_id, source_record_id, agency, kind, occurred_at, recorded_at, summary, "
			   "details, category_key) VALUES (?1, ?2, ?3, ?4, ?5, " NOW_SQL ", ?6, ?7, "
			   EVENT_CATEGORY_KEY("?7") ") RETURNING id" SQL_DEFERRED_ROWS,
	/* [S_SOURCE_EVENT_INSERT]: PostgreSQL's only (pg_override); elsewhere the two statements above */
	/* [S_SOURCE_EVENT_KEYS_INSERT]: PostgreSQL's only; elsewhere those two, then S_BLOCK_ADD */
	/* [S_SOURCE_EVENT_IDS_INSERT], [S_SOURCE_EVENT_KEYS_IDS_INSERT]: PostgreSQL's only, with ids reserved by
	 * S_SOURCE_ABSENT; their _NOIDENT_ and _HOME_ texts likewise */
	[S_CHRONO_FIRST] = "SELECT id, person_id, source_record_id, agency, kind, occurred_at, recorded_at, summary, details "
			   CHRONO_FIRST_FROM,
	[S_CHRONO_AFTER] = "SELECT id, person_id, source_record_id, agency, kind, occurred_at, recorded_at, summary, details "
			   CHRONO_AFTER_FROM,
	/* The same with what a page draws of a row alone (store_page.drawn): three columns fewer to output, send and
	 * parse, 101 rows a record page (issue 17, r-pgpage29: ~120,000 of PostgreSQL's instructions a page). */
	[S_CHRONO_FIRST_DRAWN] = "SELECT id, agency, kind, occurred_at, summary, details " CHRONO_FIRST_FROM,
	[S_CHRONO_AFTER_DRAWN] = "SELECT id, agency, kind, occurred_at, summary, details " CHRONO_AFTER_FROM,
	[S_EVENT_COUNT] = "SELECT count(*) FROM event WHERE person_id = ?1",
	[S_AUDIT_APPEND] = "INSERT INTO audit(id, at, actor, action, child_id, object, detail, hash) "
			   "VALUES (?6, ?7, ?1, ?2, nullif(?3, 0), ?4, ?5, ?8)" SQL_DEFERRED,
	/* [S_AUDIT_APPEND_HELD]: PostgreSQL's only (pg_override); elsewhere S_AUDIT_APPEND a row */
	[S_AUDIT_COUNT] = "SELECT count(*) FROM audit",
	[S_AUDIT_LAST] = "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1",
	[S_AUDIT_EACH] = "SELECT id, at, actor, action, coalesce(child_id, 0), object, detail, hash FROM audit ORDER BY id",
	[S_AUDIT_UNSEALED] = "SELECT id, at, actor, action, coalesce(child_id, 0), object, detail, hash FROM audit "
			     "WHERE hash IS NULL ORDER BY id",
	[S_AGENCY_CONTRIBUTED] = "SELECT count(*) FROM (SELECT 1 FROM event WHERE person_id = ?1 AND agency = ?2 LIMIT 1) AS x",
	[S_CHILD_AWAITING] = "SELECT count(*) FROM (SELECT 1 FROM event e JOIN person p ON p.id = e.person_id " AWAITING_WHERE
			     " AND e.person_id = ?1 LIMIT 1) AS x",
	[S_BREAK_GLASS_ADD] = "INSERT INTO break_glass(child_id, user_id, reason, at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
	[S_BREAK_GLASS_OF_CHILD] = "SELECT b.id, b.child_id, b.user_id, b.reason, b.at, b.expires_at, coalesce(u.username, '') "
				   "FROM break_glass b LEFT JOIN app_user u ON u.id = b.user_id WHERE b.child_id = ?1 "
				   "ORDER BY b.id DESC LIMIT ?2",
	[S_CLIENTS] = "SELECT " CLIENT_COLS " FROM api_client ORDER BY id DESC LIMIT ?1",
	[S_CLIENT_GET] = "SELECT " CLIENT_COLS " FROM api_client WHERE id = ?1",
	[S_CLIENT_APPROVE] = "UPDATE api_client SET pending = 0, approved_by = ?2, approved_at = ?3 WHERE id = ?1 "
			     "AND pending = 1 AND revoked_at IS NULL",
	[S_CLIENT_REVOKE] = "UPDATE api_client SET revoked_at = coalesce(revoked_at, ?2) WHERE id = ?1",
	[S_TEAMS] = "SELECT code, name, manager FROM team ORDER BY code LIMIT ?1",
	[S_USER_BY_ID] = "SELECT id, username, agency, role, password_hash, totp_secret, coalesce(disabled_at, ''), "
			 "totp_last_step, totp_sealed, full_name, email, phone, team FROM app_user WHERE id = ?1",
	[S_USERS] = "SELECT id, username, agency, role, coalesce(disabled_at, ''), full_name, email, phone, team "
		    "FROM app_user ORDER BY username LIMIT ?1",
	[S_USER_DISABLE] = "UPDATE app_user SET disabled_at = coalesce(disabled_at, ?2) WHERE username = ?1",
	[S_USER_ENABLE] = "UPDATE app_user SET disabled_at = NULL WHERE username = ?1",
	[S_BREAK_GLASS_LIVE] = "SELECT count(*) FROM break_glass WHERE child_id = ?1 AND user_id = ?2 AND at <= ?3 "
			       "AND expires_at > ?3",
	[S_USER_INSERT] = "INSERT INTO app_user(username, agency, role, password_hash, totp_secret, totp_sealed, created_at, "
			  "full_name, email, phone, team) "
			  "VALUES (?1, ?2, ?3, ?4, zeroblob(20), ?5, " NOW_SQL ", ?6, ?7, ?8, ?9) RETURNING id",
	[S_USER_BY_NAME] = "SELECT id, username, agency, role, password_hash, totp_secret, coalesce(disabled_at, ''), "
			   "totp_last_step, totp_sealed, full_name, email, phone, team FROM app_user WHERE username = ?1",
	[S_SESSION_INSERT] = "INSERT INTO session(token_hash, user_id, kind, created_at, expires_at, idle_until) "
			     "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[S_SESSION_FIND] = "SELECT s.user_id, s.kind, s.created_at, s.expires_at, s.idle_until, u.username, u.agency, u.role "
			   "FROM session s JOIN app_user u ON u.id = s.user_id WHERE s.token_hash = ?1 "
			   "AND s.ended_at IS NULL AND s.expires_at > ?2 AND s.idle_until > ?2 AND u.disabled_at IS NULL",
	/* Idle time pushed on, never past the absolute timeout. */
	[S_SESSION_TOUCH] = "UPDATE session SET idle_until = min(?2, expires_at) WHERE token_hash = ?1 AND ended_at IS NULL "
			    "AND idle_until < ?2",
	/* Only while the credentials are the ones checked: a reset, a new authenticator (each a new sealed secret) or a
	 * disable committed since the check leaves no row to update, and the sign-in is refused. */
	[S_USER_TOTP_STEP] = "UPDATE app_user SET totp_last_step = ?2 WHERE id = ?1 AND totp_last_step < ?2 "
			     "AND disabled_at IS NULL AND (totp_sealed = ?3 OR (totp_sealed IS NULL AND ?3 IS NULL))",
	[S_SEALED_GET] = "SELECT count(*) FROM sealed_record WHERE person_id = ?1",
	/* What the access decision first asks of a child, in one statement (issue 17: three, each a round trip
	 * of the writer's, for every audited read): whether it exists, whether it is sealed, and its allocation
	 * (as S_ALLOC_GET finds it: one row at most, person_id being its key), and whether the reader's view knows
	 * the child (VIEW_PERSON_KNOWN_: r-ntk24). */
	[S_ACCESS_FACTS] = "SELECT (SELECT count(*) FROM person WHERE id = ?1), "
			   "(SELECT count(*) FROM sealed_record WHERE person_id = ?1), count(a.person_id), "
			   "coalesce(max(a.worker), ''), coalesce(max(a.manager), ''), "
			   "CASE WHEN " VIEW_PERSON_KNOWN_("?1") " THEN 1 ELSE 0 END FROM (SELECT l.person_id, l.worker, "
			   "t.manager FROM allocation l JOIN person p ON p.id = l.person_id JOIN team t ON t.code = l.team "
			   "WHERE l.person_id = ?1) a",
	/* [S_ACCESS_FACTS_MANY]: PostgreSQL's only (pg_override); elsewhere S_ACCESS_FACTS a child */
	[S_SEAL] = "INSERT INTO sealed_record(person_id, basis, sealed_at, sealed_by) VALUES (?1, ?2, " NOW_SQL ", ?3) "
		   "ON CONFLICT(person_id) DO NOTHING",
	/* `safeguard seal list`: a few rows a year in an area (each an adoption or a new identity), so no index but the key. */
	[S_SEALS] = "SELECT person_id, basis, sealed_at, sealed_by FROM sealed_record WHERE (?1 = 0 OR person_id = ?1) "
		    "ORDER BY sealed_at DESC, person_id DESC LIMIT ?2",
	/* A new secret starts its own count of time steps used. */
	[S_USER_CREDENTIALS] = "UPDATE app_user SET password_hash = ?2, totp_secret = zeroblob(20), totp_sealed = ?3, "
			       "totp_last_step = 0 WHERE username = ?1",
	/* A new authenticator: the password and the sessions stay. */
	[S_USER_TOTP_NEW] = "UPDATE app_user SET totp_secret = zeroblob(20), totp_sealed = ?2, totp_last_step = 0 "
			    "WHERE username = ?1",
	[S_USER_SESSIONS_END] = "UPDATE session SET ended_at = " NOW_SQL " WHERE ended_at IS NULL AND user_id = "
				"(SELECT id FROM app_user WHERE username = ?1)",
	[S_SESSION_END] = "UPDATE session SET ended_at = ?2 WHERE token_hash = ?1 AND ended_at IS NULL",
	[S_LOGIN_ADD] = "INSERT INTO login_attempt(username, remote, at, ok) VALUES (?1, ?2, " NOW_SQL ", ?3)",
	[S_LOGIN_FAILURES] = "SELECT (SELECT count(*) FROM login_attempt WHERE username = ?1 AND at >= ?3 AND ok = 0 "
			     "AND remote = ?2), "
			     "(SELECT count(*) FROM login_attempt WHERE username = ?1 AND at >= ?3 AND ok = 0), "
			     "(SELECT coalesce(max(at), '') FROM login_attempt WHERE username = ?1 AND at >= ?3 AND ok = 0), "
			     "(SELECT count(*) FROM login_attempt WHERE remote = ?2 AND at >= ?3 AND ok = 0), "
			     "(SELECT coalesce(max(at), '') FROM login_attempt WHERE remote = ?2 AND at >= ?3 AND ok = 0)",
	[S_LOGIN_PRUNE] = "DELETE FROM login_attempt WHERE at < ?1",
	/* `safeguard user attempts`: the attempts kept, newest first. One text, both filters optional: SQLite plans it
	 * as a walk of the table newest first that stops at the limit (login_attempt_user is not used, even with
	 * --username); the walk is bounded by the attempts kept (S_LOGIN_PRUNE). */
	[S_LOGIN_ATTEMPTS] = "SELECT id, at, username, remote, ok FROM login_attempt WHERE (?1 = '' OR username = ?1) "
			     "AND (?2 = 0 OR ok = 0) ORDER BY id DESC LIMIT ?3",
	/* `safeguard user sessions`: the sessions kept, newest first; live_at (?2) as S_SESSION_FIND's now. Every
	 * session ever opened is kept (none is deleted), so this walks them all: the operator's read, not a page's. */
	[S_USER_SESSIONS] = "SELECT s.token_hash, u.username, s.kind, s.created_at, s.expires_at, s.idle_until, s.ended_at "
			    "FROM session s JOIN app_user u ON u.id = s.user_id WHERE (?1 = '' OR u.username = ?1) "
			    "AND (?2 = '' OR (s.ended_at IS NULL AND s.expires_at > ?2 AND s.idle_until > ?2 "
			    "AND u.disabled_at IS NULL)) ORDER BY s.created_at DESC, s.token_hash LIMIT ?3",
	[S_LOGIN_THROTTLE_PRUNE] = "DELETE FROM login_throttle WHERE noted_at < ?1",
	[S_LOGIN_THROTTLE_NOTE] = "INSERT INTO login_throttle(key, noted_at) VALUES (?1, ?3) ON CONFLICT(key) DO UPDATE "
				  "SET noted_at = excluded.noted_at WHERE login_throttle.noted_at < ?2",
	[S_SWEEP_CLAIM] = "INSERT INTO sweep_run(day, started_at, server) VALUES (?1, " NOW_SQL ", ?2) "
			  "ON CONFLICT(day) DO NOTHING",
	/* `safeguard sweep runs`: one row a night, by its key */
	[S_SWEEP_RUNS] = "SELECT day, started_at, server FROM sweep_run ORDER BY day DESC LIMIT ?1",
	[S_USERS_TOTP_PLAIN] = "SELECT id, username, totp_secret FROM app_user WHERE totp_sealed IS NULL ORDER BY id",
	[S_USER_TOTP_SEAL] = "UPDATE app_user SET totp_sealed = ?2, totp_secret = zeroblob(20) WHERE id = ?1 "
			     "AND totp_sealed IS NULL",
	[S_NOTICE_ADD] = "INSERT INTO dpo_notice(kind, at, user_id, child_id, break_glass_id, detail) "
			 "VALUES (?1, ?2, ?3, ?4, nullif(?5, 0), ?6) RETURNING id",
	[S_NOTICE_COUNT] = "SELECT count(*) FROM dpo_notice WHERE user_id = ?1 AND kind = ?2 AND at > ?3",
	[S_NOTICES] = "SELECT n.id, n.kind, n.at, n.user_id, n.child_id, coalesce(n.break_glass_id, 0), n.detail, "
		      "coalesce(u.username, '') FROM dpo_notice n LEFT JOIN app_user u ON u.id = n.user_id "
		      "WHERE (n.break_glass_id IS NULL AND n.detail <> ?2) OR " VIEW_PERSON("n.child_id") " "
		      "ORDER BY n.id DESC LIMIT ?1",
	[S_CHECKPOINT_ADD] = "INSERT INTO audit_checkpoint(audit_id, hash, at, public_key, signature) "
			     "VALUES (?1, ?2, ?3, ?4, ?5)",
	[S_CHECKPOINTS] = "SELECT audit_id, hash, at, public_key, signature FROM audit_checkpoint ORDER BY audit_id",
	[S_AUDIT_READS] = "SELECT id, at, actor, action, coalesce(child_id, 0), object, detail, hash FROM audit "
			  "WHERE child_id = ?1 AND action IN ('child.read', 'chronology.read', 'alert.read', 'flags.lookup', "
			  "'viewers.read', 'recordings.list', 'recording.download', 'recording.play', 'access.refused', 'break_glass.open', "
			  "'placement.record') ORDER BY id DESC LIMIT ?2",
	[S_AUDIT_SEAL] = "UPDATE audit SET hash = ?2 WHERE id = ?1 AND hash IS NULL",
	[S_AUDIT_LIST] = "SELECT id, at, actor, action, coalesce(child_id, 0), object, detail, hash FROM audit "
			 "WHERE (?1 IS NULL OR action = ?1) AND (?2 = 0 OR child_id = ?2) AND (?3 IS NULL OR object = ?3) "
			 "AND (?4 IS NULL OR at >= ?4) ORDER BY id DESC LIMIT ?5",
	/* occurred_at || '': SQLite would otherwise walk the whole history in time order (event_history) and test
	 * each row's kind; this way it seeks each kind in event_person_kind and sorts the few it finds (issue 17:
	 * the record page's summary card read all 500 events of a child to find none of these kinds). */
	[S_EVENTS_KINDS_ONE] = "SELECT id, person_id, source_record_id, agency, kind, occurred_at, recorded_at, '', details "
			       "FROM event WHERE person_id = ?1 AND kind IN (SELECT value FROM json_each(?2)) "
			       "ORDER BY occurred_at || '', id",
	/* S_EVENTS_KINDS_ONE's read of the status kinds (store_status_events), the list in the text: both engines
	 * seek each kind in event_person_kind and sort the few found (issue 17: PostgreSQL's generic plan of the
	 * bound list read every event of the child). */
	[S_EVENTS_STATUS] = "SELECT id, person_id, source_record_id, agency, kind, occurred_at, recorded_at, '', details, "
			    VIEW_SHOWN("event") " FROM event WHERE person_id = ?1 AND " EVENT_KIND_STATUS("event")
			    " ORDER BY occurred_at || '', id",
	/* Whether a view would show its private agency's event with these details (?1): VIEW_EVENT's category part,
	 * asked of a record before it is stored (store_details_shown). */
	[S_DETAILS_SHOWN] = "SELECT CASE WHEN ?64 IS NULL OR " VIEW_CATEGORY_SHOWN_("x.d") " THEN 1 ELSE 0 END "
			    "FROM (SELECT CAST(?1 AS TEXT) AS d) AS x",
	/* The rules' read: the child's history walked in time order (event_history: person_id, occurred_at, id,
	 * agency, kind), each kind checked against the list in the index before the row is read, no temporary
	 * b-tree (the IN (SELECT ... json_each) list's, the ORDER BY's). Codes are [a-z_]: '"code"' in the array
	 * text is the code in the list. */
	[S_EVENTS_KINDS_IN_TIME] = "SELECT id, person_id, source_record_id, agency, kind, occurred_at, recorded_at, '', "
				   "details FROM event WHERE person_id = ?1 AND instr(?2, '\"' || kind || '\"') > 0 "
				   "ORDER BY occurred_at, id",
	/* Each person's own events, and each domestic abuse incident once more for every housemate of the person
	 * it was recorded on (as that housemate's row), in one stream ordered by the person it is for. */
	[S_EVENTS_KINDS_ALL] = "SELECT id, pid, source_record_id, agency, kind, occurred_at, recorded_at, '', details FROM ("
			       "SELECT e.id, e.person_id AS pid, e.source_record_id, e.agency, e.kind, e.occurred_at, "
			       "e.recorded_at, e.details FROM event e WHERE e.kind IN (SELECT value FROM json_each(?1)) "
			       "UNION SELECT e.id, b.person_id AS pid, e.source_record_id, e.agency, e.kind, e.occurred_at, "
			       "e.recorded_at, e.details FROM event e CROSS JOIN household_member a CROSS JOIN household_member b "
			       "WHERE e.kind = 'domestic_abuse_incident' AND " EVENT_KIND_SOUGHT("e") " AND a.person_id = e.person_id "
			       "AND b.household_id = a.household_id AND b.person_id <> a.person_id) AS x "
			       "ORDER BY pid, occurred_at, id",
	[S_HOUSEMATES] = "SELECT " PERSON_COLS " FROM person p WHERE p.id IN ("
			 "SELECT b.person_id FROM household_member a JOIN household_member b "
			 "ON b.household_id = a.household_id AND b.person_id <> a.person_id WHERE a.person_id = ?1) "
			 "ORDER BY p.id",
	/* From the person's households outwards: the housemates as an IN list, each one's incidents by
	 * event_person_kind (person_id, kind); each event once without DISTINCT and in no order (the rules sort
	 * what they read: service/alerts.c), so one temporary b-tree per rules run instead of two. Starting from
	 * the kind would read every incident in the area: PostgreSQL, whose planner could choose that, keeps the
	 * joins in a fixed order (pg_override). The kind as CAST(?2 AS TEXT), as S_RULE_EVENTS's below. */
	[S_HOUSEMATE_EVENTS] = "SELECT e.id, e.person_id, e.source_record_id, e.agency, e.kind, e.occurred_at, "
			       "e.recorded_at, '', e.details FROM event e WHERE e.kind = CAST(?2 AS TEXT) AND e.person_id IN "
			       "(SELECT b.person_id FROM household_member a CROSS JOIN household_member b "
			       "WHERE a.person_id = ?1 AND b.household_id = a.household_id AND b.person_id <> a.person_id)",
	/* S_EVENTS_KINDS_IN_TIME and S_HOUSEMATE_EVENTS as one statement, in no order (the rules sort what they
	 * read), with rows that are no event (id NULL) for what sq_rule_events keeps to answer the person's next
	 * read in the batch (struct sq_conn, rules): each housemate without an event of the kind (its person_id),
	 * and the key of each of the person's households (in details). The housemates once each (DISTINCT: the
	 * temporary b-tree the IN list of S_HOUSEMATE_EVENTS had), each one's events by event_person_kind. The
	 * kind is compared as CAST(?3 AS TEXT): a bound value compared with a column a partial index's WHERE names
	 * as comparisons (SQLite's since migration 38) has SQLite prepare the statement again at every bind, to
	 * weigh the index for the value (r-sqlintake6; test_store's no_statement_prepared_again). */
	[S_RULE_EVENTS] = "SELECT id, person_id, source_record_id, agency, kind, occurred_at, recorded_at, '', details "
			  "FROM event WHERE person_id = ?1 AND instr(?2, '\"' || kind || '\"') > 0 UNION ALL "
			  "SELECT e.id, b.person_id, e.source_record_id, e.agency, e.kind, e.occurred_at, e.recorded_at, '', "
			  "e.details FROM (SELECT DISTINCT b.person_id FROM household_member a CROSS JOIN household_member b "
			  "WHERE a.person_id = ?1 AND b.household_id = a.household_id AND b.person_id <> a.person_id) b "
			  "LEFT JOIN event e ON e.person_id = b.person_id AND e.kind = CAST(?3 AS TEXT) UNION ALL "
			  "SELECT NULL, m.person_id, NULL, NULL, NULL, NULL, NULL, '', h.key FROM household_member m "
			  "CROSS JOIN household h ON h.id = m.household_id WHERE m.person_id = ?1",
	[S_ALERT_INSERT] = "INSERT INTO alert(person_id, code, raised_on, due_on, evidence, dedup_key, owner_kind, owner, "
			   "created_at) VALUES (?1, ?2, ?3, nullif(?4, ''), ?5, ?6, ?7, ?8, " NOW_SQL ") "
			   "ON CONFLICT(person_id, dedup_key) DO NOTHING RETURNING id",
	[S_ALERT_GET] = "SELECT " ALERT_COLS " FROM alert a JOIN person p ON p.id = a.person_id WHERE a.id = ?1",
	[S_ALERTS] = "SELECT " ALERT_COLS " FROM alert a JOIN person p ON p.id = a.person_id "
		     "WHERE (?1 = '' OR a.state = ?1) AND (?2 = 0 OR a.state IN ('open', 'acknowledged')) "
		     "AND (?3 = '' OR a.owner_kind = ?3) AND (?4 = '' OR a.owner = ?4 OR a.escalated_to = ?4) "
		     "AND (?5 = '' OR a.escalated_to = ?5) AND (?6 = 0 OR a.person_id = ?6) AND " VIEW_PERSON("p.id")
		     " AND " VIEW_ALERT("a") " ORDER BY a.raised_on DESC, a.id DESC LIMIT ?7",
	/* The same for one child: person_id first, so the index finds the rows. */
	[S_ALERTS_CHILD] = ALERTS_CHILD_WHERE " AND " VIEW_PERSON("p.id") " AND " VIEW_ALERT("a") ALERTS_CHILD_ORDER,
	/* The same for a reader whose view limits no agency (VIEW_ALERT is true for every alert then): without its
	 * subquery, which PostgreSQL's generic plan set up at every execution for nothing (issue 17: ~12 µs of its
	 * CPU on each record page of an allocated worker or anyone else who sees every agency's events). */
	[S_ALERTS_CHILD_ALL] = ALERTS_CHILD_WHERE " AND " VIEW_PERSON("p.id") ALERTS_CHILD_ORDER,
	/* The two for a child whose own view (VIEW_PERSON: sealed, known) the caller's access decision has just
	 * answered (store_alert_query.person_decided, set by the alerts service alone): the record page's alerts,
	 * read as its events are, under that decision (issue 17: VIEW_PERSON's seven subplans were 254,000 of
	 * PostgreSQL's ~4.3 M instructions a page, for a child with no alert; docs/BENCHMARKS.md, r-pgpage29). */
	[S_ALERTS_CHILD_DECIDED] = ALERTS_CHILD_WHERE " AND " VIEW_ALERT("a") ALERTS_CHILD_ORDER,
	[S_ALERTS_CHILD_DECIDED_ALL] = ALERTS_CHILD_WHERE ALERTS_CHILD_ORDER,
	[S_ALERT_COUNTS] = "SELECT count(*), coalesce(sum(due_on IS NOT NULL AND due_on < ?2), 0) FROM alert "
			   "WHERE person_id = ?1 AND state IN ('open', 'acknowledged')",
	[S_ALERT_ACK] = "UPDATE alert SET state = 'acknowledged', acknowledged_at = " NOW_SQL ", acknowledged_by = ?2 "
			"WHERE id = ?1 AND state = 'open'",
	[S_ALERT_RESOLVE] = "UPDATE alert SET state = 'resolved', resolved_at = " NOW_SQL ", resolved_by = ?2, outcome = ?3 "
			    "WHERE id = ?1 AND state IN ('open', 'acknowledged')",
	/* Who an escalated alert goes to is the alerts service's decision (alerts_escalation_target): the store
	 * lists what is due and writes the name it is given. */
	[S_ALERT_ESCALATION_DUE] = "SELECT id, person_id FROM alert WHERE state = 'open' AND escalated_at IS NULL "
				   "AND created_at < ?1 ORDER BY id",
	/* The open and acknowledged alerts escalated to one name, by id (alert_escalated finds them): the sweep asks
	 * again whom they go to (service/alerts.c escalations_known_again). */
	[S_ALERTS_ESCALATED_TO] = "SELECT id, person_id FROM alert WHERE escalated_to = ?1 "
				  "AND state IN ('open', 'acknowledged') ORDER BY id",
	[S_ALERT_ESCALATE_ONE] = "UPDATE alert SET escalated_at = " NOW_SQL ", escalated_to = ?2 "
				 "WHERE id = ?1 AND state = 'open' AND escalated_at IS NULL",
	[S_ALERTS_FOLLOW] = "UPDATE alert SET owner_kind = ?2, owner = ?3, "
			    "escalated_to = CASE WHEN escalated_at IS NULL THEN escalated_to ELSE ?4 END "
			    "WHERE person_id = ?1 AND state IN ('open', 'acknowledged') "
			    "AND (owner_kind <> ?2 OR owner <> ?3 OR (escalated_at IS NOT NULL AND escalated_to <> ?4))",
	[S_MANAGES] = "SELECT EXISTS (SELECT 1 FROM team t WHERE t.manager = ?1 AND t.manager <> '' AND "
		      "(t.code = ?2 OR EXISTS (SELECT 1 FROM allocation l WHERE l.team = t.code AND "
		      "((?3 <> '' AND l.worker = ?3) OR (?4 <> 0 AND l.person_id = ?4)))))",
	[S_TEAM_WORKLOAD] = "SELECT l.worker, count(*), "
			    "coalesce(sum((SELECT count(*) FROM alert a WHERE a.person_id = l.person_id "
			    "AND a.state IN ('open', 'acknowledged') AND " VIEW_ALERT("a") ")), 0), "
			    "coalesce(sum((SELECT count(*) FROM alert a WHERE a.person_id = l.person_id "
			    "AND a.state IN ('open', 'acknowledged') AND a.due_on IS NOT NULL AND a.due_on < ?2 AND "
			    VIEW_ALERT("a") ")), 0) "
			    "FROM allocation l JOIN person p ON p.id = l.person_id WHERE l.team = ?1 AND " VIEW_PERSON("p.id")
			    " GROUP BY l.worker ORDER BY l.worker = '', l.worker",
	[S_TEAM_UPSERT] = "INSERT INTO team(code, name, manager) VALUES (?1, ?2, ?3) "
			  "ON CONFLICT(code) DO UPDATE SET name = excluded.name, manager = excluded.manager",
	[S_ALLOC_SET] = "INSERT INTO allocation(person_id, worker, team, since) VALUES (?1, ?2, ?3, " NOW_SQL ") "
			"ON CONFLICT(person_id) DO UPDATE SET worker = excluded.worker, team = excluded.team, "
			"since = excluded.since",
	[S_ALLOC_GET] = "SELECT " ALLOC_COLS " WHERE l.person_id = ?1",
	[S_CASELOAD] = "SELECT " ALLOC_COLS " WHERE l.worker = ?1 AND " VIEW_PERSON("p.id") " "
		       "ORDER BY p.family_fold, p.given_fold, p.id LIMIT ?2",
	[S_ALLOCATIONS] = "SELECT " ALLOC_COLS " WHERE (?1 = 0 OR l.person_id = ?1) AND " VIEW_PERSON("p.id") " "
			  "ORDER BY l.person_id LIMIT ?2",
	[S_CASELOAD_MANAGED] = "SELECT " ALLOC_COLS " WHERE l.worker = ?1 AND t.manager = ?2 AND t.manager <> '' "
			       "AND " VIEW_PERSON("p.id") " "
			       "ORDER BY p.family_fold, p.given_fold, p.id LIMIT ?3",
	/* Typed owners (store.h): a username is matched only as a worker or an escalation to a person; "mash"
	 * in escalated_to is the MASH (no manager), never a person of that name. */
	[S_ALERTS_OWNED] = "SELECT " ALERT_COLS " FROM alert a JOIN person p ON p.id = a.person_id "
			   "WHERE (?1 = '' OR a.state = ?1) AND (?2 = 0 OR a.state IN ('open', 'acknowledged')) "
			   "AND ((?3 = 'worker' AND ((a.owner_kind = 'worker' AND a.owner = ?4) "
			   "  OR (a.escalated_to = ?4 AND ?4 <> 'mash'))) "
			   "OR (?3 = 'team' AND ((a.owner_kind = 'team' AND a.owner = ?4) "
			   "  OR a.person_id IN (SELECT person_id FROM allocation WHERE team = ?4))) "
			   "OR (?3 = 'mash' AND (a.owner_kind = 'mash' OR a.escalated_to = 'mash'))) "
			   "AND (?6 = 0 OR a.person_id = ?6) "
			   "AND " VIEW_PERSON("p.id") " AND " VIEW_ALERT("a") " "
			   "ORDER BY coalesce(a.due_on, a.raised_on), a.raised_on, a.id LIMIT ?7",
	[S_AWAITING] = "SELECT e.id, e.person_id, e.agency, e.kind, e.occurred_at, p.given_name, p.family_name, "
		       "coalesce(p.dob, '') FROM event e JOIN person p ON p.id = e.person_id " AWAITING_WHERE
		       " AND " VIEW_PERSON_OF_SHOWN_EVENT("p.id") " AND " VIEW_EVENT("e") " ORDER BY e.occurred_at, e.id LIMIT ?1",
	[S_AWAITING_COUNT] = "SELECT count(*) FROM event e JOIN person p ON p.id = e.person_id " AWAITING_WHERE
			     " AND " VIEW_PERSON_OF_SHOWN_EVENT("p.id") " AND " VIEW_EVENT("e"),
	[S_MASH_AWAITING_LIST] = MASH_AWAITING_COLS MASH_AWAITING " AND " MASH_OPEN_AFTER MASH_OPEN_UNTIL MASH_OPEN_ASC
		"LIMIT ?6 OFFSET ?7" SQL_CUSTOM_PLAN SQL_INDEX_ORDER,
	[S_MASH_AWAITING_BACK] = MASH_BACK(MASH_AWAITING_COLS MASH_AWAITING " AND " MASH_OPEN_BEFORE MASH_OPEN_FROM
					   MASH_OPEN_DESC, "5, 1") SQL_CUSTOM_PLAN SQL_INDEX_ORDER,
	[S_MASH_AWAITING_COUNT] = MASH_COUNT_OPEN,
	/* one agency's (MASH_AWAITING_AGENCY, migration 39) */
	[S_MASH_AWAITING_AGENCY_LIST] = MASH_AWAITING_COLS MASH_AWAITING_AGENCY " AND " MASH_OPEN_AFTER MASH_OPEN_UNTIL
		MASH_OPEN_ASC "LIMIT ?6 OFFSET ?7" SQL_CUSTOM_PLAN SQL_INDEX_ORDER,
	[S_MASH_AWAITING_AGENCY_BACK] = MASH_BACK(MASH_AWAITING_COLS MASH_AWAITING_AGENCY " AND " MASH_OPEN_BEFORE
						  MASH_OPEN_FROM MASH_OPEN_DESC, "5, 1") SQL_CUSTOM_PLAN SQL_INDEX_ORDER,
	[S_MASH_AWAITING_AGENCY_COUNT] = MASH_COUNT_OPEN_(MASH_AWAITING_AGENCY),
	[S_MASH_AWAITING_COUNT_NAMED] = MASH_COUNT("0", MASH_AWAITS("e")),
	/* mash_open after a new event ?1 (mash_open_note), queued on PostgreSQL as the event's insert is */
	[S_MASH_OPEN_CONTACT] = MASH_OPEN_CONTACT SQL_DEFERRED,
	[S_MASH_OPEN_ANSWER] = MASH_OPEN_ANSWER SQL_DEFERRED,
	/* after a bulk load of events (sq_bulk_end): where the load started (the next id), whether a fast load
	 * holds mash_open back, and the loaded events' children made what the rule says (MASH_OPEN_FIX) */
	/* the category keys (migration 41) of the events a bulk load wrote (its rows go in as they came: COPY, or
	 * SQLite's INSERT of the columns given), those whose details name a category; the rest are read as NULL */
	[S_EVENT_KEY_LOADED] = "UPDATE event SET category_key = " EVENT_CATEGORY_KEY("details") " WHERE id >= ?1 AND "
			       "category_key IS NULL AND " EVENT_CATEGORY_NAMED("details"),
	[S_MASH_OPEN_LOADED] = "SELECT coalesce(max(id), 0) + 1, CASE WHEN " MASH_OPEN_HELD " THEN 1 ELSE 0 END FROM event",
	[S_MASH_OPEN_LOADED_DROP] = "DELETE FROM mash_open WHERE (occurred_at, event_id) IN (SELECT e.occurred_at, e.id "
				    "FROM event e WHERE e.person_id IN (SELECT person_id FROM event WHERE id >= ?1) AND "
				    "e.kind IN ('contact', 'referral') AND NOT " MASH_AWAITS("e") ")",
	[S_MASH_OPEN_LOADED_ADD] = "INSERT INTO " MASH_OPEN_ROW " FROM event e "
				   "WHERE e.person_id IN (SELECT person_id FROM event WHERE id >= ?1) AND " MASH_AWAITS("e")
				   " AND NOT EXISTS (SELECT 1 FROM mash_open o WHERE o.occurred_at = e.occurred_at AND "
				   "o.event_id = e.id)",
	[S_MASH_DECIDED_LIST] = "SELECT " MASH_COLS " " MASH_DECIDED " AND " MASH_BEFORE MASH_DESC "LIMIT ?6 OFFSET ?7"
		SQL_CUSTOM_PLAN SQL_INDEX_ORDER,
	[S_MASH_DECIDED_BACK] = MASH_BACK("SELECT " MASH_COLS " " MASH_DECIDED " AND " MASH_AFTER MASH_ASC,
					  "5 DESC, 1 DESC") SQL_CUSTOM_PLAN SQL_INDEX_ORDER,
	[S_MASH_DECIDED_COUNT] = MASH_COUNT("1", "e.kind IN ('contact', 'referral') AND " MASH_ANSWERED("e", "d")),
	/* one agency's (MASH_DECIDED_AGENCY, migration 40); the count in the index's order too, so that PostgreSQL
	 * walks it to the bound rather than a bitmap of every contact of the agency */
	[S_MASH_DECIDED_AGENCY_LIST] = "SELECT " MASH_COLS " " MASH_DECIDED_AGENCY " AND " MASH_BEFORE MASH_DECIDED_FROM
		MASH_DESC "LIMIT ?6 OFFSET ?7" SQL_CUSTOM_PLAN SQL_INDEX_ORDER,
	[S_MASH_DECIDED_AGENCY_BACK] = MASH_BACK("SELECT " MASH_COLS " " MASH_DECIDED_AGENCY " AND " MASH_AFTER
						 MASH_DECIDED_UNTIL MASH_ASC, "5 DESC, 1 DESC") SQL_CUSTOM_PLAN SQL_INDEX_ORDER,
	[S_MASH_DECIDED_AGENCY_COUNT] = "SELECT count(*) FROM (SELECT 1 FROM event e JOIN person p ON p.id = e.person_id "
		"WHERE " MASH_DECIDED_AGENCY_WHERE("d", VIEW_EVENT_BY_ID("e")) MASH_DECIDED_FROM MASH_DECIDED_UNTIL MASH_ASC
		"LIMIT ?8) AS c" SQL_CUSTOM_PLAN SQL_INDEX_ORDER,
	/* with a piece of a name: in no index's order, so that the engine may start from the children named and
	 * sort their few rows (MASH_AWAITING_NAMED) */
	[S_MASH_AWAITING_NAMED] = "SELECT " MASH_COLS " " MASH_AWAITING_NAMED " AND " MASH_AFTER_NAMED MASH_ASC
				  "LIMIT ?6 OFFSET ?7" SQL_CUSTOM_PLAN,
	[S_MASH_AWAITING_NAMED_BACK] = MASH_BACK("SELECT " MASH_COLS " " MASH_AWAITING_NAMED " AND " MASH_BEFORE_NAMED
						 MASH_DESC, "5, 1") SQL_CUSTOM_PLAN,
	[S_MASH_DECIDED_NAMED] = "SELECT " MASH_COLS " " MASH_AWAITING_NAMED " AND " MASH_BEFORE_NAMED MASH_DESC
				 "LIMIT ?6 OFFSET ?7" SQL_CUSTOM_PLAN,
	[S_MASH_DECIDED_NAMED_BACK] = MASH_BACK("SELECT " MASH_COLS " " MASH_AWAITING_NAMED " AND " MASH_AFTER_NAMED
						MASH_ASC, "5 DESC, 1 DESC") SQL_CUSTOM_PLAN,
	[S_MASH_ITEM] = "SELECT " MASH_COLS " FROM " MASH_FROM " WHERE e.id = ?1 AND e.kind IN ('contact', 'referral') "
			"AND " VIEW_PERSON_OF_SHOWN_EVENT("p.id") " AND " VIEW_EVENT("e"),
	[S_FLAG_ADD] = "INSERT INTO flag_access(person_id, at, actor, organisation, setting) VALUES (?1, " NOW_SQL
		       ", ?2, ?3, ?4) RETURNING id",
	[S_FLAGS] = "SELECT person_id, at, actor, organisation, setting FROM flag_access WHERE person_id = ?1 "
		    "ORDER BY id DESC LIMIT ?2",
	[S_RECORDING_INSERT] = "INSERT INTO recording(child_id, filename, content_type, bytes, blake2b, wrapped_key, "
			       "key_nonce, disk_name, uploaded_by, uploaded_at, kind, recorded_on, present, consent, words) "
			       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15) RETURNING id",
	[S_RECORDING_REWRAP] = "UPDATE recording SET wrapped_key = ?2, key_nonce = ?3 WHERE id = ?1",
	[S_RECORDING_DELETE] = "DELETE FROM recording WHERE id = ?1",
	[S_RECORDING_GET] = "SELECT " RECORDING_COLS " FROM recording WHERE id = ?1",
	[S_RECORDINGS_CHILD] = "SELECT " RECORDING_COLS " FROM recording WHERE child_id = ?1 ORDER BY id",
	[S_RECORDINGS_ALL] = "SELECT " RECORDING_COLS " FROM recording ORDER BY id",
	[S_HOME_INSERT] = "INSERT INTO home(urn, name, provider, la_code, postcode, lat, lon, places, specialism, "
			  "ofsted_grade, grade_date) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, nullif(?11, '')) RETURNING id",
	[S_HOME_GET] = "SELECT " HOME_COLS " FROM home h WHERE h.id = ?1",
	[S_HOMES] = "SELECT " HOME_COLS " FROM home h WHERE ?1 = '' OR h.la_code = ?1 ORDER BY h.id",
	[S_OCC_SET] = "INSERT INTO home_occupancy(home_id, month, child_nights) VALUES (?1, ?2, ?3) "
		      "ON CONFLICT(home_id, month) DO UPDATE SET child_nights = excluded.child_nights",
	[S_OCC_ALL] = "SELECT home_id, month, child_nights FROM home_occupancy ORDER BY home_id, month",
	[S_OCC_HOME] = "SELECT home_id, month, child_nights FROM home_occupancy WHERE home_id = ?1 ORDER BY month",
	[S_INC_INSERT] = "INSERT INTO home_incident(home_id, person_id, occurred_at, type, duration_min, technique, "
			 "child_injured, staff_involved, debrief_offered, summary) VALUES (?1, nullif(?2, 0), ?3, ?4, "
			 "nullif(?5, -1), ?6, nullif(?7, -1), nullif(?8, -1), nullif(?9, -1), ?10) RETURNING id",
	[S_INC_COUNTS] = "SELECT home_id, substr(occurred_at, 1, 7), type, count(*) FROM home_incident "
			 "GROUP BY home_id, substr(occurred_at, 1, 7), type ORDER BY 1, 2, 3",
	[S_INCIDENTS] = "SELECT " INCIDENT_COLS " WHERE (?1 = 0 OR i.home_id = ?1) AND (?2 = '' OR h.la_code = ?2) "
			"AND (?3 = '' OR i.type = ?3) AND (?4 = '' OR i.occurred_at >= ?4) "
			"AND (i.person_id IS NULL OR " VIEW_PERSON("i.person_id") ") "
			"ORDER BY i.occurred_at DESC, i.id DESC LIMIT ?5",
	[S_PLACE_INSERT] = "INSERT INTO home_placement(home_id, person_id, start_on, end_on, distance_km, out_of_area, "
			   "distant) VALUES (?1, nullif(?2, 0), ?3, nullif(?4, ''), nullif(?5, -1.0), ?6, ?7) RETURNING id",
	[S_PLACEMENTS] = "SELECT l.id, l.home_id, coalesce(l.person_id, 0), l.start_on, coalesce(l.end_on, ''), "
			 "coalesce(l.distance_km, -1), l.out_of_area, l.distant, coalesce(p.given_name, ''), "
			 "coalesce(p.family_name, '') FROM home_placement l LEFT JOIN person p ON p.id = l.person_id "
			 "WHERE l.home_id = ?1 AND (l.person_id IS NULL OR " VIEW_PERSON("l.person_id") ") "
			 "ORDER BY l.end_on IS NOT NULL, l.start_on DESC, l.id DESC",
	/* Every home's, by home, for the operator's list (its own text: the home page's keeps its index); the
	 * list shows the child by id only, so no name is read. */
	[S_PLACEMENTS_ALL] = "SELECT l.id, l.home_id, coalesce(l.person_id, 0), l.start_on, coalesce(l.end_on, ''), "
			     "coalesce(l.distance_km, -1), l.out_of_area, l.distant, '', '' FROM home_placement l "
			     "WHERE (l.person_id IS NULL OR " VIEW_PERSON("l.person_id") ") "
			     "ORDER BY l.home_id, l.end_on IS NOT NULL, l.start_on DESC, l.id DESC",
	[S_REG44_INSERT] = "INSERT INTO reg44_report(home_id, month, received_at, visitor, summary, safeguarded) "
			   "VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
	[S_REG44] = "SELECT id, home_id, month, received_at, visitor, summary, safeguarded FROM reg44_report "
		    "WHERE home_id = ?1 ORDER BY month DESC LIMIT ?2",
	[S_REG44_OPINIONS] = "SELECT home_id, month, safeguarded FROM reg44_report WHERE safeguarded IN ('yes', 'no') "
			     "ORDER BY home_id, month",
	[S_REG44_MISSING] = "SELECT o.home_id FROM home_occupancy o WHERE o.month = ?1 AND o.child_nights > 0 "
			    "AND NOT EXISTS (SELECT 1 FROM reg44_report r WHERE r.home_id = o.home_id AND r.month = ?1) "
			    "ORDER BY o.home_id",
	[S_NOTE_INSERT] = "INSERT INTO home_note(home_id, author, agency, created_at, text) VALUES (?1, ?2, ?3, "
			  NOW_SQL ", ?4) RETURNING id",
	[S_NOTES] = "SELECT id, home_id, author, agency, created_at, text FROM home_note WHERE home_id = ?1 "
		    "ORDER BY id DESC LIMIT ?2",
	[S_RUN_INSERT] = "INSERT INTO oversight_run(started_at, finished_at, trigger, by, budget, h_up, h_down, "
			 "h_combined, homes, months, first_month, last_month, signals, alerts, budget_confidence, "
			 "simulated_rate) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16) "
			 "RETURNING id",
	[S_RUN_GET] = "SELECT " RUN_COLS " WHERE id = ?1",
	[S_RUN_LATEST] = "SELECT " RUN_COLS " ORDER BY id DESC LIMIT 1",
	[S_SIGNAL_INSERT] = "INSERT INTO oversight_signal(run_id, home_id, month, indicator, direction, statistic, "
			    "threshold, observed, expected, months, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
			    "?10, ?11)",
	[S_SIGNALS] = "SELECT run_id, home_id, month, indicator, direction, statistic, threshold, observed, expected, "
		      "months, reason FROM oversight_signal WHERE run_id = ?1 AND (?2 = 0 OR home_id = ?2) "
		      "ORDER BY home_id, month, id",
	[S_HALERT_INSERT] = "INSERT INTO home_alert(home_id, run_id, kind, month, reason, dedup_key, owner, created_at) "
			    "VALUES (?1, nullif(?2, 0), ?3, ?4, ?5, ?6, ?7, " NOW_SQL ") "
			    "ON CONFLICT(home_id, dedup_key) DO NOTHING RETURNING id",
	[S_HALERTS] = "SELECT " HALERT_COLS " WHERE (?1 = 0 OR a.home_id = ?1) AND (?2 = 0 OR a.state IN ('open', "
		      "'acknowledged')) ORDER BY a.id DESC LIMIT ?3",
	[S_HALERT_GET] = "SELECT " HALERT_COLS " WHERE a.id = ?1",
	[S_HALERT_ACK] = "UPDATE home_alert SET state = 'acknowledged', acknowledged_at = " NOW_SQL ", acknowledged_by = ?2 "
			 "WHERE id = ?1 AND state = 'open'",
	[S_HALERT_RESOLVE] = "UPDATE home_alert SET state = 'resolved', resolved_at = " NOW_SQL ", resolved_by = ?2, "
			     "outcome = ?3 WHERE id = ?1 AND state IN ('open', 'acknowledged')",
	[S_HALERT_RESOLVE_KEY] = "UPDATE home_alert SET state = 'resolved', resolved_at = " NOW_SQL ", resolved_by = ?3, "
				 "outcome = ?4 WHERE home_id = ?1 AND dedup_key = ?2 AND state IN ('open', 'acknowledged') "
				 "RETURNING id",
	/* The owning team's manager, else the team itself (its shared inbox). */
	/* Whom they go to is the homes service's decision (homes_escalation_target). */
	[S_HALERT_ESCALATE] = "UPDATE home_alert SET escalated_at = " NOW_SQL ", escalated_to = ?3 "
			      "WHERE state = 'open' AND escalated_at IS NULL AND created_at < ?1 AND owner = ?2",
	[S_PLACEMENT_CURRENT] = "SELECT l.id, l.home_id, coalesce(l.person_id, 0), l.start_on, coalesce(l.end_on, ''), "
				"coalesce(l.distance_km, -1), l.out_of_area, l.distant, '', '', h.name "
				"FROM home_placement l JOIN home h ON h.id = l.home_id WHERE l.person_id = ?1 "
				"AND l.start_on <= ?2 AND (l.end_on IS NULL OR l.end_on >= ?2) "
				"ORDER BY l.start_on DESC, l.id DESC LIMIT 1",
	/* ---- record linkage (schema 13) ---- */
	/* A person's key is written once, by the first record that brings it (issue 17: the same five keys again
	 * for every record of a child were most of an intake commit's pages). Not while persons stand merged into
	 * ?1: a merge's undo moves the merged records' keys back, and a key only they carried must then still be
	 * the kept person's if its own later record brought it too. A key from the person's own row (0, from
	 * before schema 13) is not one a merge moves, so a record still writes its own. */
	[S_BLOCK_ADD] = "INSERT INTO person_block_key(key, person_id, source_record_id) "
			"SELECT j.value, ?1, ?2 FROM json_each(?3) j WHERE NOT EXISTS (SELECT 1 FROM person_block_key k "
			"WHERE k.key = j.value AND k.person_id = ?1 AND k.source_record_id <> 0 AND NOT EXISTS "
			"(SELECT 1 FROM person_merge m WHERE m.kept_id = ?1 AND m.undone_at IS NULL)) "
			"ON CONFLICT DO NOTHING" SQL_DEFERRED,
	/* SQLite's S_BLOCK_ADD in two steps (issue 17, r-sqlw18): the keys of ?2 it would write, read, then each
	 * written by S_BLOCK_ADD_KEY. The INSERT ... SELECT reads its own table, so SQLite filled a temporary
	 * b-tree with the SELECT's rows first on every record (7% of the intake writer), which mostly wrote nothing
	 * (a person's keys are written by its first record); reading the rows first is what it did. */
	[S_BLOCK_ABSENT] = "SELECT j.value FROM json_each(?2) j WHERE NOT EXISTS (SELECT 1 FROM person_block_key k "
			   "WHERE k.key = j.value AND k.person_id = ?1 AND k.source_record_id <> 0 AND NOT EXISTS "
			   "(SELECT 1 FROM person_merge m WHERE m.kept_id = ?1 AND m.undone_at IS NULL))",
	[S_BLOCK_ADD_KEY] = "INSERT INTO person_block_key(key, person_id, source_record_id) VALUES (?3, ?1, ?2) "
			    "ON CONFLICT DO NOTHING" SQL_DEFERRED,
	/* Never a sealed person (for anyone: this is intake's blocking), never one merged into another. */
	[S_BLOCK_CANDIDATES] = "SELECT DISTINCT k.person_id FROM person_block_key k WHERE k.key IN "
			       "(SELECT value FROM json_each(?1)) "
			       "AND NOT EXISTS (SELECT 1 FROM sealed_record r WHERE r.person_id = k.person_id) "
			       "AND NOT EXISTS (SELECT 1 FROM person_merge m WHERE m.merged_id = k.person_id AND m.undone_at IS NULL) "
			       "ORDER BY k.person_id LIMIT ?2",
	/* [S_BLOCK_CANDIDATES_SCORED]: PostgreSQL's only (pg_override): the persons S_BLOCK_CANDIDATES finds with
	 * their rows, NHS numbers and UPNs, and whether persons stand merged into them, in one statement. SQLite
	 * reads the same in two (sq_block_candidates_scored): */
	/* The persons the keys find, one row per key entry (a person once per key and record that gave it the
	 * key), in the keys' order and by person id within a key: no DISTINCT, no IN list and no sort, which
	 * SQLite codes as a temporary b-tree (a pager and its page cache opened, filled and freed per record: 1.3
	 * of the 1.65 an event left, issue 17). The caller puts the ids in order and drops the repeats. The keys
	 * drive the look-up as a join from json_each, not an IN list (an IN list is a temporary b-tree too). */
	[S_BLOCK_CANDIDATE_IDS] = "SELECT k.person_id FROM json_each(?1) j CROSS JOIN person_block_key k ON k.key = j.value "
				  "WHERE NOT EXISTS (SELECT 1 FROM sealed_record r WHERE r.person_id = k.person_id) "
				  "AND NOT EXISTS (SELECT 1 FROM person_merge m WHERE m.merged_id = k.person_id AND m.undone_at IS NULL)",
	/* One of them with its NHS numbers and UPNs (one row per identifier, none: one row) in id order, which
	 * identifier_person gives (no sort), and whether persons stand merged into it. */
	[S_BLOCK_CANDIDATE_ROWS] = "SELECT " PERSON_COLS ", coalesce(i.kind, ''), coalesce(i.value, ''), "
				   "CASE WHEN EXISTS (SELECT 1 FROM person_merge g WHERE g.kept_id = p.id AND g.undone_at IS NULL) "
				   "THEN 1 ELSE 0 END FROM person p "
				   "LEFT JOIN identifier i ON i.person_id = p.id AND i.kind IN ('nhs', 'upn') "
				   "WHERE p.id = ?1 ORDER BY i.id",
	/* [S_BLOCK_CANDIDATES_MANY]: PostgreSQL's only (pg_override); elsewhere each record reads its own */
	[S_REVIEW_INSERT] = "INSERT INTO link_review(source_record_id, person_id, candidate_id, weight, probability, "
			    "explanation, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, " NOW_SQL ") RETURNING id",
	[S_REVIEW_GET] = "SELECT " REVIEW_COLS " WHERE v.id = ?1",
	/* Open tasks, oldest first; never one about a sealed person (sealed after the task was queued), whoever
	 * reads, nor one about a person the reader's view does not know (VIEW_PERSON: a health-only record's
	 * subject, to a reviewer outside health; r-ntk24). */
	[S_REVIEWS_OPEN] = "SELECT " REVIEW_COLS " WHERE v.decided_at IS NULL "
			   "AND NOT EXISTS (SELECT 1 FROM sealed_record r WHERE r.person_id IN (v.person_id, v.candidate_id)) "
			   "AND " VIEW_PERSON("v.person_id") " AND " VIEW_PERSON("v.candidate_id") " ORDER BY v.id LIMIT ?1",
	/* Every task (?2: the open ones), of one person (?1, as the record's or the candidate's; 0: anyone's), oldest
	 * first: the operator's list (service/oplists.h), which leaves out sealed persons itself. */
	[S_REVIEWS_LIST] = "SELECT " REVIEW_COLS " WHERE (?1 = 0 OR v.person_id = ?1 OR v.candidate_id = ?1) "
			   "AND (?2 = 0 OR v.decided_at IS NULL) ORDER BY v.id",
	[S_REVIEW_DECIDE] = "UPDATE link_review SET decided_at = " NOW_SQL ", decided_by = ?2, decision = ?3, reason = ?4, "
			    "merge_id = nullif(?5, 0) WHERE id = ?1 AND decided_at IS NULL",
	[S_REVIEW_PAIR] = "SELECT count(*) FROM link_review WHERE (person_id = ?1 AND candidate_id = ?2) "
			  "OR (person_id = ?2 AND candidate_id = ?1)",
	[S_REFUSAL_ADD] = "INSERT INTO link_refusal(person_a, person_b, source_record_id, review_id, refused_by, refused_at, "
			  "reason) VALUES (min(?1, ?2), max(?1, ?2), nullif(?3, 0), nullif(?4, 0), ?5, " NOW_SQL ", ?6)",
	/* A refusal holds for the persons merged into either side, as long as the merge stands. Each pair of the two
	 * sides is looked up in the pair index, as a refusal is kept: (lower id, higher id), CHECK (person_a <
	 * person_b). Only whether the count is 0 is read. Written before as the refusals whose two persons are IN
	 * the two sides' sets, either way round: SQLite built about eight temporary b-trees for that (the sets
	 * deduplicated, materialised, each IN list, the OR's row set), ~0.5 ms a call where this takes ~20 µs, on
	 * the intake writer for every record in the review band (issue 17, r-sqlin31). */
	[S_REFUSED] = "SELECT count(*) FROM (SELECT ?1 AS id UNION ALL SELECT merged_id FROM person_merge WHERE kept_id = ?1 "
		      "AND undone_at IS NULL) a, (SELECT ?2 AS id UNION ALL SELECT merged_id FROM person_merge WHERE kept_id "
		      "= ?2 AND undone_at IS NULL) b, link_refusal r WHERE r.person_a = min(a.id, b.id) AND r.person_b = "
		      "max(a.id, b.id)",
	[S_MERGED_INTO] = "SELECT kept_id FROM person_merge WHERE merged_id = ?1 AND undone_at IS NULL",
	[S_MERGE_INSERT] = "INSERT INTO person_merge(kept_id, merged_id, merged_by, merged_at, reason) "
			   "VALUES (?1, ?2, ?3, " NOW_SQL ", ?4) RETURNING id",
	/* What a merge moves (?1 the merge, ?2 the merged person, ?3 the kept one): every row of the merged person,
	 * except an identifier, alert or household the kept person already has (those stay where they are). */
	[S_MERGE_ROWS_SOURCE] = "INSERT INTO person_merge_row(merge_id, tbl, row_id) SELECT ?1, 'source_record', id "
				"FROM source_record WHERE person_id = ?2",
	[S_MERGE_ROWS_EVENT] = "INSERT INTO person_merge_row(merge_id, tbl, row_id) SELECT ?1, 'event', id FROM event "
			       "WHERE person_id = ?2",
	/* What the rule reads of the events it moves, each pair once (migration 42: VIEW_PERSON_KNOWN_AS_ asks it of a
	 * record a standing merge emptied, instead of reading every event moved). */
	[S_MERGE_ROWS_KEYS] = "INSERT INTO person_merge_key(merge_id, agency, category_key) SELECT ?1, k.agency, k.ck "
			      "FROM (SELECT DISTINCT e.agency, coalesce(e.category_key, " EVENT_CATEGORY_KEY("e.details")
			      ") AS ck FROM event e WHERE e.person_id = ?2) k",
	[S_MERGE_ROWS_IDENT] = "INSERT INTO person_merge_row(merge_id, tbl, row_id) SELECT ?1, 'identifier', i.id "
			       "FROM identifier i WHERE i.person_id = ?2 AND NOT EXISTS (SELECT 1 FROM identifier k "
			       "WHERE k.person_id = ?3 AND k.kind = i.kind AND k.value = i.value)",
	[S_MERGE_ROWS_ALERT] = "INSERT INTO person_merge_row(merge_id, tbl, row_id) SELECT ?1, 'alert', a.id FROM alert a "
			       "WHERE a.person_id = ?2 AND NOT EXISTS (SELECT 1 FROM alert k WHERE k.person_id = ?3 "
			       "AND k.dedup_key = a.dedup_key)",
	[S_MERGE_ROWS_HOUSEHOLD] = "INSERT INTO person_merge_row(merge_id, tbl, row_id) SELECT ?1, 'household', m.household_id "
				   "FROM household_member m WHERE m.person_id = ?2 AND NOT EXISTS (SELECT 1 FROM "
				   "household_member k WHERE k.person_id = ?3 AND k.household_id = m.household_id)",
	/* Moving the rows a merge listed to ?2 (the kept person on merge, the merged one on undo) from ?3. */
	[S_MERGE_MOVE_SOURCE] = "UPDATE source_record SET person_id = ?2 WHERE id IN (SELECT row_id FROM person_merge_row "
				"WHERE merge_id = ?1 AND tbl = 'source_record')",
	[S_MERGE_MOVE_EVENT] = "UPDATE event SET person_id = ?2 WHERE id IN (SELECT row_id FROM person_merge_row "
			       "WHERE merge_id = ?1 AND tbl = 'event')",
	[S_MERGE_MOVE_IDENT] = "UPDATE identifier SET person_id = ?2 WHERE id IN (SELECT row_id FROM person_merge_row "
			       "WHERE merge_id = ?1 AND tbl = 'identifier')",
	[S_MERGE_MOVE_ALERT] = "UPDATE alert SET person_id = ?2 WHERE id IN (SELECT row_id FROM person_merge_row "
			       "WHERE merge_id = ?1 AND tbl = 'alert')",
	[S_MERGE_MOVE_HOUSEHOLD] = "UPDATE household_member SET person_id = ?2 WHERE person_id = ?3 AND household_id IN "
				   "(SELECT row_id FROM person_merge_row WHERE merge_id = ?1 AND tbl = 'household')",
	/* source_record_id <> 0, which every moved record's id is: the words of the partial index
	 * person_block_key_source, without which SQLite does not use it and reads the whole blocking table. */
	[S_MERGE_MOVE_KEYS] = "UPDATE person_block_key SET person_id = ?2 WHERE source_record_id <> 0 AND source_record_id IN "
			      "(SELECT row_id FROM person_merge_row WHERE merge_id = ?1 AND tbl = 'source_record')",
	[S_MERGE_GET] = "SELECT id, kept_id, merged_id, merged_by, merged_at, reason, coalesce(undone_at, ''), "
			"coalesce(undone_by, ''), coalesce(undo_reason, '') FROM person_merge WHERE id = ?1",
	[S_MERGE_UNDONE] = "UPDATE person_merge SET undone_at = " NOW_SQL ", undone_by = ?2, undo_reason = ?3 "
			   "WHERE id = ?1 AND undone_at IS NULL",
	[S_MERGES_OF] = "SELECT id, kept_id, merged_id, merged_by, merged_at, reason, coalesce(undone_at, ''), "
			"coalesce(undone_by, ''), coalesce(undo_reason, '') FROM person_merge WHERE kept_id = ?1 OR merged_id = ?1 "
			"ORDER BY id DESC LIMIT ?2",
	[S_LINK_MODEL_INSERT] = "INSERT INTO link_model(trained_at, how, records, pairs, random_pairs, reviewed, reviewed_same, "
				"linked, linked_same, link_threshold, review_threshold, params) VALUES (" NOW_SQL ", ?1, ?2, ?3, ?4, "
				"?5, ?6, ?7, ?8, ?9, ?10, ?11) RETURNING id",
	[S_LINK_MODEL_LATEST] = "SELECT id, trained_at, how, records, pairs, random_pairs, reviewed, reviewed_same, linked, "
				"linked_same, link_threshold, review_threshold, params FROM link_model ORDER BY id DESC LIMIT 1",
	[S_LINK_MODEL_LATEST_ID] = "SELECT coalesce(max(id), 0) FROM link_model",
	/* Records sent with a subject (an agency's system or import; a page's record is about a known child);
	 * never a sealed child's, whose names must not reach even the model's name frequencies. */
	[S_LINK_TRAIN_RECORDS] = "SELECT s.id, s.agency, " LINK_SUBJECT_COLS("s.payload") " FROM source_record s "
				 "WHERE " SUBJECT_IS_OBJECT("s.payload") " "
				 "AND NOT EXISTS (SELECT 1 FROM sealed_record x WHERE x.person_id = s.person_id) ORDER BY s.id",
	[S_LINK_REVIEWS_DECIDED] = "SELECT s.id, s.agency, " LINK_SUBJECT_COLS("s.payload") ", r.candidate_id, r.decision = 'same' "
				   "FROM link_review r JOIN source_record s ON s.id = r.source_record_id "
				   "WHERE r.decision IN ('same', 'different') AND " SUBJECT_IS_OBJECT("s.payload") " "
				   "AND NOT EXISTS (SELECT 1 FROM sealed_record x "
				   "WHERE x.person_id IN (s.person_id, r.person_id, r.candidate_id)) ORDER BY r.id",
	/* a count over every payload: `link train` and the nightly sweep's check, never a page */
	[S_LINK_REVIEW_COUNTS] = "SELECT (SELECT count(*) FROM link_review), (SELECT count(*) FROM source_record WHERE "
				 SUBJECT_IS_OBJECT("payload") ")",
	/* migration 31's one row, from the store, at the clock's time (sq_migrate) */
	[S_LINK_COUNTS_FILL] = "INSERT INTO link_counts(id, records, reviews, counted_at) SELECT 1, (SELECT count(*) "
			       "FROM source_record WHERE " SUBJECT_IS_OBJECT("payload") "), (SELECT count(*) FROM "
			       "link_review), " NOW_SQL " WHERE NOT EXISTS (SELECT 1 FROM link_counts)",
	[S_LINK_COUNTS_GET] = "SELECT reviews, records, counted_at FROM link_counts WHERE id = 1",
	/* counted_at: the snapshot's instant (ts_format_utc, so text order is time order); an older count leaves a newer */
	[S_LINK_COUNTS_SET] = "UPDATE link_counts SET reviews = ?1, records = ?2, counted_at = CAST(?3 AS TEXT) "
			      "WHERE id = 1 AND counted_at <= CAST(?3 AS TEXT)",
	/* safeguard stats: the rows of every table but the one-row ones (auth_generation, link_counts: cli/cmd_stats.c
	 * names them; test_store_conformance checks this list against the schema) */
	[S_TABLE_COUNTS] = "SELECT 'agency', count(*) FROM agency UNION ALL "
			   "SELECT 'alert', count(*) FROM alert UNION ALL "
			   "SELECT 'allocation', count(*) FROM allocation UNION ALL "
			   "SELECT 'api_client', count(*) FROM api_client UNION ALL "
			   "SELECT 'app_user', count(*) FROM app_user UNION ALL "
			   "SELECT 'audit', count(*) FROM audit UNION ALL "
			   "SELECT 'audit_checkpoint', count(*) FROM audit_checkpoint UNION ALL "
			   "SELECT 'break_glass', count(*) FROM break_glass UNION ALL "
			   "SELECT 'bulk_held_index', count(*) FROM bulk_held_index UNION ALL "
			   "SELECT 'dpo_notice', count(*) FROM dpo_notice UNION ALL "
			   "SELECT 'episode', count(*) FROM episode UNION ALL "
			   "SELECT 'event', count(*) FROM event UNION ALL "
			   "SELECT 'flag_access', count(*) FROM flag_access UNION ALL "
			   "SELECT 'home', count(*) FROM home UNION ALL "
			   "SELECT 'home_alert', count(*) FROM home_alert UNION ALL "
			   "SELECT 'home_incident', count(*) FROM home_incident UNION ALL "
			   "SELECT 'home_note', count(*) FROM home_note UNION ALL "
			   "SELECT 'home_occupancy', count(*) FROM home_occupancy UNION ALL "
			   "SELECT 'home_placement', count(*) FROM home_placement UNION ALL "
			   "SELECT 'household', count(*) FROM household UNION ALL "
			   "SELECT 'household_member', count(*) FROM household_member UNION ALL "
			   "SELECT 'identifier', count(*) FROM identifier UNION ALL "
			   "SELECT 'lado_alert', count(*) FROM lado_alert UNION ALL "
			   "SELECT 'lado_allegation', count(*) FROM lado_allegation UNION ALL "
			   "SELECT 'lado_employment', count(*) FROM lado_employment UNION ALL "
			   "SELECT 'lado_person', count(*) FROM lado_person UNION ALL "
			   "SELECT 'link_model', count(*) FROM link_model UNION ALL "
			   "SELECT 'link_refusal', count(*) FROM link_refusal UNION ALL "
			   "SELECT 'link_review', count(*) FROM link_review UNION ALL "
			   "SELECT 'login_attempt', count(*) FROM login_attempt UNION ALL "
			   "SELECT 'login_throttle', count(*) FROM login_throttle UNION ALL "
			   "SELECT 'mash_open', count(*) FROM mash_open UNION ALL "
			   "SELECT 'oversight_run', count(*) FROM oversight_run UNION ALL "
			   "SELECT 'oversight_signal', count(*) FROM oversight_signal UNION ALL "
			   "SELECT 'person', count(*) FROM person UNION ALL "
			   "SELECT 'person_block_key', count(*) FROM person_block_key UNION ALL "
			   "SELECT 'person_merge', count(*) FROM person_merge UNION ALL "
			   "SELECT 'person_merge_key', count(*) FROM person_merge_key UNION ALL "
			   "SELECT 'person_merge_row', count(*) FROM person_merge_row UNION ALL "
			   "SELECT 'recording', count(*) FROM recording UNION ALL "
			   "SELECT 'reg44_report', count(*) FROM reg44_report UNION ALL "
			   "SELECT 'relationship', count(*) FROM relationship UNION ALL "
			   "SELECT 'sealed_record', count(*) FROM sealed_record UNION ALL "
			   "SELECT 'session', count(*) FROM session UNION ALL "
			   "SELECT 'source_record', count(*) FROM source_record UNION ALL "
			   "SELECT 'speakup_message', count(*) FROM speakup_message UNION ALL "
			   "SELECT 'speakup_report', count(*) FROM speakup_report UNION ALL "
			   "SELECT 'sweep_run', count(*) FROM sweep_run UNION ALL "
			   "SELECT 'team', count(*) FROM team UNION ALL "
			   "SELECT 'worker_notice', count(*) FROM worker_notice",
	[S_TEAM_CONTACT_GET] = "SELECT code, name, manager, phone, out_of_hours_phone, email FROM team WHERE code = ?1",
	[S_TEAM_CONTACTS] = "SELECT code, name, manager, phone, out_of_hours_phone, email FROM team ORDER BY code LIMIT ?1",
	/* Who to call about a child, in one statement (issue 17: the allocation, then its team's contact, were
	 * two): the allocation as S_ALLOC_GET finds it, and the contact of its team, or of team ?2 when there is
	 * none. */
	[S_CHILD_CONTACTS] = "SELECT a.person_id IS NOT NULL, coalesce(a.worker, ''), coalesce(a.since, ''), "
			     "t.code IS NOT NULL, t.code, t.name, t.manager, t.phone, t.out_of_hours_phone, t.email "
			     "FROM (SELECT 1 AS one) o LEFT JOIN (SELECT l.person_id, l.worker, l.team, l.since "
			     "FROM allocation l JOIN person p ON p.id = l.person_id JOIN team x ON x.code = l.team "
			     "WHERE l.person_id = ?1) a ON o.one = 1 LEFT JOIN team t ON t.code = coalesce(a.team, ?2)",
	[S_TEAM_CONTACT_SET] = "UPDATE team SET phone = ?2, out_of_hours_phone = ?3, email = ?4 WHERE code = ?1",
	/* issue 15: break-glass's expiry, notices to the worker, who has looked with filters, the DPO's area view */
	[S_BREAK_GLASS_UNTIL] = "SELECT coalesce(max(expires_at), '') FROM break_glass WHERE child_id = ?1 AND user_id = ?2 "
				"AND at <= ?3 AND expires_at > ?3",
	[S_NOTICE_ATTACH] = "UPDATE dpo_notice SET break_glass_id = ?4, detail = ?5 WHERE id = (SELECT id FROM dpo_notice "
			    "WHERE user_id = ?1 AND child_id = ?2 AND kind = 'break_glass' AND break_glass_id IS NULL "
			    "AND at > ?3 AND detail = ?6 ORDER BY id DESC LIMIT 1)",
	[S_NOTICE_PENDING] = "SELECT count(*) FROM dpo_notice WHERE user_id = ?1 AND child_id = ?2 AND kind = 'break_glass' "
			     "AND break_glass_id IS NULL AND at > ?3 AND detail = ?4",
	[S_WORKER_NOTICE_ADD] = "INSERT INTO worker_notice(kind, at, recipient, child_id, actor, who, agency, role, "
				"break_glass_id, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, nullif(?9, 0), ?10) RETURNING id",
	[S_WORKER_NOTICES] = "SELECT n.id, n.kind, n.at, n.recipient, n.child_id, n.actor, n.who, n.agency, n.role, "
			     "coalesce(n.break_glass_id, 0), n.detail, p.given_name, p.family_name, coalesce(b.reason, ''), "
			     "coalesce(b.expires_at, '') FROM worker_notice n JOIN person p ON p.id = n.child_id "
			     "LEFT JOIN break_glass b ON b.id = n.break_glass_id WHERE n.recipient = ?1 AND "
			     VIEW_PERSON("n.child_id") " ORDER BY n.id DESC LIMIT ?2",
	/* The person (or agency system) of each entry, by the number in its actor ("user:ID:NAME",
	 * "client:ID:AGENCY"): SQLite's CAST reads the leading digits. */
	[S_CHILD_LOOKS] = "SELECT a.id, a.at, a.actor, a.action, coalesce(a.child_id, 0), a.object, a.detail, a.hash, "
			  "coalesce(u.agency, k.agency, ''), coalesce(u.role, ''), coalesce(u.username, '') FROM audit a "
			  "LEFT JOIN app_user u ON a.actor LIKE 'user:%' AND u.id = CAST(substr(a.actor, 6) AS INTEGER) "
			  "LEFT JOIN api_client k ON a.actor LIKE 'client:%' AND k.id = CAST(substr(a.actor, 8) AS INTEGER) "
			  "WHERE a.child_id = ?1 AND a.action IN ('child.read', 'chronology.read', 'alert.read', "
			  "'flags.lookup', 'viewers.read', 'recordings.list', 'recording.download', 'recording.play', 'access.refused', "
			  "'break_glass.open', 'placement.record') AND (?2 IS NULL OR a.at >= ?2) AND (?3 IS NULL OR a.at < ?3) "
			  "AND (?4 IS NULL OR coalesce(u.agency, k.agency, '') = ?4) ORDER BY a.id DESC LIMIT ?5",
	[S_GLASS_AREA] = "SELECT b.id, b.child_id, b.user_id, b.reason, b.at, b.expires_at, coalesce(u.username, ''), "
			 "coalesce(u.agency, ''), coalesce(u.role, ''), p.given_name, p.family_name FROM break_glass b "
			 "JOIN person p ON p.id = b.child_id LEFT JOIN app_user u ON u.id = b.user_id WHERE "
			 VIEW_PERSON("b.child_id") " AND (?1 IS NULL OR instr(lower(coalesce(u.username, '')), lower(?1)) > 0) "
			 "AND (?2 IS NULL OR u.agency = ?2) AND (?3 IS NULL OR b.at >= ?3) AND (?4 IS NULL OR b.at < ?4) "
			 "ORDER BY b.id DESC LIMIT ?5",
	/* the LADO's records (issue 18) */
	[S_LADO_PERSON_INSERT] = "INSERT INTO lado_person(given_name, family_name, dob, created_at, created_by) "
				 "VALUES (?1, ?2, ?3, " NOW_SQL ", ?4) RETURNING id",
	[S_LADO_PERSON_GET] = "SELECT id, given_name, family_name, dob, created_at, created_by FROM lado_person WHERE id = ?1",
	/* Born within a year, or on the same day and month either way round (a swapped day and month). */
	[S_LADO_PEOPLE_NEAR] = "SELECT id, given_name, family_name, dob, created_at, created_by FROM lado_person WHERE "
			       "(dob BETWEEN ?3 AND ?4) OR substr(dob, 6) = substr(?1, 6) "
			       "OR substr(dob, 6) = substr(?1, 9, 2) || '-' || substr(?1, 6, 2) ORDER BY id LIMIT ?2",
	[S_LADO_EMPLOYMENT_ADD] = "INSERT INTO lado_employment(person_id, employer, home_id, role, from_day, to_day) "
				  "VALUES (?1, ?2, nullif(?3, 0), ?4, ?5, ?6) RETURNING id",
	[S_LADO_EMPLOYMENTS] = "SELECT e.id, e.person_id, coalesce(e.home_id, 0), e.employer, e.role, e.from_day, e.to_day, "
			       "coalesce(h.urn, '') FROM lado_employment e LEFT JOIN home h ON h.id = e.home_id "
			       "WHERE e.person_id = ?1 ORDER BY e.from_day DESC, e.id DESC LIMIT 200",
	[S_LADO_HOME_BY_URN] = "SELECT id FROM home WHERE urn = upper(?1)",
	[S_LADO_ALLEGATION_INSERT] = "INSERT INTO lado_allegation(person_id, employment_id, received_on, referrer, summary, "
				     "created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5, " NOW_SQL ", ?6) RETURNING id",
	[S_LADO_ALLEGATION_GET] = "SELECT " LADO_ALLEGATION_COLS "WHERE a.id = ?1",
	[S_LADO_ALLEGATION_UPDATE] = "UPDATE lado_allegation SET consideration_on = ?2, threshold = ?3, "
				     "consideration_notes = ?4, strategy_on = ?5, strategy_notes = ?6, outcome = ?7, "
				     "outcome_on = ?8, outcome_notes = ?9, employer_action_on = ?10, employer_action = ?11 "
				     "WHERE id = ?1",
	[S_LADO_ALLEGATIONS] = "SELECT " LADO_ALLEGATION_COLS "WHERE (?1 = 0 OR a.person_id = ?1) AND (?2 = 0 OR "
			       "(a.threshold <> 'threshold_not_met' AND (a.outcome = '' OR a.employer_action_on = ''))) "
			       "ORDER BY a.received_on, a.id LIMIT ?3",
	[S_LADO_ALERT_INSERT] = "INSERT INTO lado_alert(person_id, allegation_id, code, raised_on, due, evidence, created_at) "
				"VALUES (?1, ?2, ?3, ?4, ?5, ?6, " NOW_SQL ") ON CONFLICT DO NOTHING RETURNING id",
	[S_LADO_ALERTS] = "SELECT l.id, l.person_id, l.allegation_id, l.code, l.raised_on, l.due, l.evidence, l.state, "
			  "l.created_at, coalesce(l.resolved_at, ''), coalesce(l.resolved_by, ''), p.given_name, p.family_name "
			  "FROM lado_alert l JOIN lado_person p ON p.id = l.person_id WHERE (?1 = 0 OR l.person_id = ?1) AND "
			  "(?2 = 0 OR l.allegation_id = ?2) AND (?3 = 0 OR l.state = 'open') "
			  "ORDER BY CASE WHEN l.due = '' THEN l.raised_on ELSE l.due END, l.raised_on, l.id LIMIT ?4",
	[S_LADO_ALERT_RESOLVE] = "UPDATE lado_alert SET state = 'resolved', resolved_at = " NOW_SQL ", resolved_by = ?3 "
				 "WHERE allegation_id = ?1 AND (?2 = '' OR code = ?2) AND state = 'open'",
	[S_SPEAKUP_INSERT] = "INSERT INTO speakup_report(ref, pass_hash, created_at, who, home_id, home_unknown, person_name, "
		"person_role, what, child_name, child_dob, about, first_name, contact, incident_id) VALUES (?1, ?2, " NOW_SQL ", ?3, "
		"nullif(?4, 0), ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, nullif(?14, 0)) RETURNING id",
	[S_SPEAKUP_GET] = "SELECT r.id, r.ref, r.pass_hash, r.created_at, r.who, coalesce(r.home_id, 0), r.home_unknown, r.person_name, r.person_role, r.what, r.child_name, r.child_dob, r.about, r.first_name, r.contact, r.state, r.outcome, r.outcome_reason, r.triaged_by, r.triaged_at, coalesce(r.child_id, 0), coalesce(r.incident_id, 0), r.fails, r.fail_since, coalesce(h.name, ''), (SELECT count(*) FROM speakup_message m WHERE m.report_id = r.id) FROM speakup_report r LEFT JOIN home h ON h.id = r.home_id WHERE r.id = ?1",
	[S_SPEAKUP_BY_REF] = "SELECT r.id, r.ref, r.pass_hash, r.created_at, r.who, coalesce(r.home_id, 0), r.home_unknown, r.person_name, r.person_role, r.what, r.child_name, r.child_dob, r.about, r.first_name, r.contact, r.state, r.outcome, r.outcome_reason, r.triaged_by, r.triaged_at, coalesce(r.child_id, 0), coalesce(r.incident_id, 0), r.fails, r.fail_since, coalesce(h.name, ''), (SELECT count(*) FROM speakup_message m WHERE m.report_id = r.id) FROM speakup_report r LEFT JOIN home h ON h.id = r.home_id WHERE r.ref = ?1",
	[S_SPEAKUPS] = "SELECT r.id, r.ref, r.pass_hash, r.created_at, r.who, coalesce(r.home_id, 0), r.home_unknown, r.person_name, r.person_role, r.what, r.child_name, r.child_dob, r.about, r.first_name, r.contact, r.state, r.outcome, r.outcome_reason, r.triaged_by, r.triaged_at, coalesce(r.child_id, 0), coalesce(r.incident_id, 0), r.fails, r.fail_since, coalesce(h.name, ''), (SELECT count(*) FROM speakup_message m WHERE m.report_id = r.id) FROM speakup_report r LEFT JOIN home h ON h.id = r.home_id "
		"ORDER BY r.state = 'new' DESC, r.id DESC LIMIT ?1",
	[S_SPEAKUP_UPDATE] = "UPDATE speakup_report SET state = ?2, outcome = ?3, outcome_reason = ?4, triaged_by = ?5, "
		"triaged_at = ?6, child_id = nullif(?7, 0), incident_id = nullif(?8, 0), fails = ?9, fail_since = ?10 WHERE id = ?1",
	[S_SPEAKUP_COUNT] = "SELECT count(*) FROM speakup_report WHERE created_at >= ?1",
	[S_SPEAKUP_MSG_INSERT] = "INSERT INTO speakup_message(report_id, at, from_reporter, author, text) VALUES (?1, " NOW_SQL
		", ?2, ?3, ?4) RETURNING id",
	[S_SPEAKUP_MSGS] = "SELECT id, report_id, at, from_reporter, author, text FROM speakup_message WHERE report_id = ?1 "
		"ORDER BY id",
};

/* PostgreSQL's text for the few statements where one text cannot serve both engines (the row mapping stays
 * the one above): SQLite's CAST reads an actor's leading digits, PostgreSQL's refuses the rest. */
/* PostgreSQL: the housemates of person ?1 (b.person_id: everyone else in any of their households), each step an
 * index look-up driven by the one before (a LATERAL subquery with OFFSET 0 is planned on its own, as a nested
 * loop), whatever the table sizes were when a prepared statement's generic plan was made (issue 17). */
#define PG_HOUSEMATES_OF_1                                                                                     \
	"(SELECT household_id FROM household_member WHERE person_id = ?1 OFFSET 0) a CROSS JOIN LATERAL (SELECT "    \
	"person_id FROM household_member WHERE household_id = a.household_id AND person_id <> ?1 OFFSET 0) b"
/* The record's identifiers (?17 its NHS number, ?18 its UPN, "" for none; ?23 1 when undated: first_seen "")
 * on its person (?5), as S_IDENT_ADD writes them (an undated one held already dated by a dated record: iu, an
 * UPDATE of the rows still undated only, where S_IDENT_ADD's DO UPDATE ... WHERE would lock on PostgreSQL
 * every identifier a record names again, nearly every record's), in the record's statement (S_SOURCE_EVENT_*INSERT: issue 17,
 * 0.66 statements a record fewer); their foreign key to the source record is checked at the statement's end,
 * where s's row is there */
#define SOURCE_IDENT_CTE                                                                                           \
	"i AS (INSERT INTO identifier(person_id, kind, value, source_record_id, first_seen) SELECT ?5, v.kind, "   \
	"v.value, s.id, CASE WHEN ?23 = 1 THEN '' ELSE " NOW_SQL " END FROM s CROSS JOIN (VALUES ('nhs', ?17), "     \
	"('upn', ?18)) v(kind, value) WHERE v.value <> '' ON CONFLICT(kind, value, person_id) DO NOTHING), "      \
	"iu AS (UPDATE identifier SET first_seen = " NOW_SQL " WHERE ?23 <> 1 AND person_id = ?5 AND "            \
	"first_seen = '' AND ((kind = 'nhs' AND value = ?17) OR (kind = 'upn' AND value = ?18)) AND value <> '')"
/* And the household it places its person in (?19 its key, "" for none; ?20 postcode, ?21 address, ?22 when
 * seen), as S_HOUSEHOLD_JOIN_BY_KEY joins it (issue 17: one statement a record fewer). The household and
 * household_member tables are written by nothing else in the statement, so its reads see what a statement of
 * its own would */
#define SOURCE_HOUSEHOLD_CTE                                                                                       \
	"h(id) AS (INSERT INTO household(key, postcode, address) SELECT ?19, ?20, ?21 WHERE ?19 <> '' "           \
	"ON CONFLICT(key) DO NOTHING RETURNING id), hk(id) AS (SELECT id FROM h UNION ALL "                        \
	"SELECT id FROM household WHERE key = ?19 AND ?19 <> ''), " SOURCE_MEMBER_CTE
/* SOURCE_HOUSEHOLD_CTE for a household known to exist (homes_known: a record of this transaction named it):
 * its INSERT .. ON CONFLICT DO NOTHING would find it there and write nothing (issue 17, r-pgin23). Nor does
 * it take a value of household's sequence, as the conflicting insert did: household ids have fewer gaps */
#define SOURCE_HOME_KNOWN_CTE "hk(id) AS (SELECT id FROM household WHERE key = ?19), " SOURCE_MEMBER_CTE
/* the household's member hk joined by ?5, seen at ?22 */
#define SOURCE_MEMBER_CTE                                                                                          \
	"hm AS (INSERT INTO household_member(household_id, person_id, first_seen, last_seen) "                     \
	"SELECT hk.id, ?5, ?22, ?22 FROM hk WHERE NOT EXISTS (SELECT 1 FROM household_member m "                   \
	"WHERE m.household_id = hk.id AND m.person_id = ?5 AND m.first_seen <= ?22 "                               \
	"AND m.last_seen >= ?22) ON CONFLICT(household_id, person_id) DO UPDATE SET "                              \
	"first_seen = min(household_member.first_seen, excluded.first_seen), "                                     \
	"last_seen = max(household_member.last_seen, excluded.last_seen))"
/* S_SOURCE_EVENT_*IDS*_INSERT's parts: the source record with its reserved id (?15), then CTEs, then the event
 * with its own (?16), then the keys (?14) as S_SOURCE_EVENT_KEYS_INSERT writes them */
#define SOURCE_IDS_HEAD                                                                                            \
	"WITH s(id) AS (INSERT INTO source_record(id, agency, source_ref, payload_hash, payload, person_id, "     \
	"link_score, link_rule, received_at) VALUES (?15, ?1, ?2, ?3, ?4, ?5, ?6, ?7, " NOW_SQL ") RETURNING id), "
#define SOURCE_IDS_EVENT                                                                                           \
	"INSERT INTO event(id, person_id, source_record_id, agency, kind, occurred_at, recorded_at, summary, "    \
	"details, category_key) SELECT ?16, ?8, s.id, ?9, ?10, ?11, " NOW_SQL ", ?12, ?13, "                          \
	EVENT_CATEGORY_KEY("?13") " FROM s"
#define SOURCE_IDS_KEYS                                                                                            \
	"INSERT INTO person_block_key(key, person_id, source_record_id) SELECT j.value, ?5, s.id FROM s "         \
	"CROSS JOIN json_each(?14) j WHERE NOT EXISTS (SELECT 1 FROM person_block_key b WHERE b.key = j.value "   \
	"AND b.person_id = ?5 AND b.source_record_id + 0 <> 0 AND NOT EXISTS (SELECT 1 FROM person_merge m "      \
	"WHERE m.kept_id = ?5 AND m.undone_at IS NULL) OFFSET 0) ON CONFLICT DO NOTHING"
static const char *const pg_override[S__COUNT] = {
	/* and, on PostgreSQL, the table's foreign keys: each row COPY writes otherwise runs a query per key
	 * (the constraint's trigger); added again after the load, each is checked with one join */
	[S_BULK_INDEXES] = "SELECT c.relname, pg_get_indexdef(x.indexrelid), 'DROP INDEX ' || quote_ident(c.relname) "
			   "FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
			   "WHERE t.relname = ?1 AND t.relnamespace = current_schema()::regnamespace "
			   "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid) "
			   "UNION ALL SELECT k.conname, 'ALTER TABLE ' || quote_ident(t.relname) || ' ADD CONSTRAINT ' || "
			   "quote_ident(k.conname) || ' ' || pg_get_constraintdef(k.oid), 'ALTER TABLE ' || "
			   "quote_ident(t.relname) || ' DROP CONSTRAINT ' || quote_ident(k.conname) FROM pg_constraint k "
			   "JOIN pg_class t ON t.oid = k.conrelid WHERE k.contype = 'f' AND t.relname = ?1 "
			   "AND t.relnamespace = current_schema()::regnamespace ORDER BY 1",
	[S_BULK_SYNC] = "SELECT current_setting('synchronous_commit')",
	/* A merge (or its undoing) moves the records it listed and their events in one statement: the event's key
	 * is its record's (person, id, agency) since migration 43, checked at the statement's end, where both have
	 * moved. S_MERGE_MOVE_EVENT then moves any listed event not moved yet (none: every event of the merged
	 * person is its listed record's), which the key refuses unless its record is the kept person's. */
	[S_MERGE_MOVE_SOURCE] = "WITH e AS (UPDATE event SET person_id = ?2 WHERE id IN (SELECT row_id FROM "
				"person_merge_row WHERE merge_id = ?1 AND tbl = 'event')) UPDATE source_record SET "
				"person_id = ?2 WHERE id IN (SELECT row_id FROM person_merge_row WHERE merge_id = ?1 AND "
				"tbl = 'source_record')",
	[S_MERGE_MOVE_EVENT] = "UPDATE event SET person_id = ?2 WHERE id IN (SELECT row_id FROM person_merge_row "
			       "WHERE merge_id = ?1 AND tbl = 'event') AND person_id <> ?2",
	/* `safeguard indexes`: the schema's indexes (those behind a key or UNIQUE too) and foreign keys, and what a
	 * load that stopped held back */
	[S_SCHEMA_INDEXES] = "SELECT indexname, tablename, 'index', 'built', indexdef FROM pg_indexes "
			     "WHERE schemaname = current_schema() UNION ALL "
			     "SELECT k.conname, t.relname, 'foreign_key', 'built', pg_get_constraintdef(k.oid) "
			     "FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid WHERE k.contype = 'f' "
			     "AND t.relnamespace = current_schema()::regnamespace UNION ALL "
			     "SELECT name, tbl, CASE WHEN sql LIKE 'ALTER TABLE %' THEN 'foreign_key' ELSE 'index' END, "
			     "'held', sql FROM bulk_held_index ORDER BY 1, 4",
	/* S_SOURCE_INSERT and S_EVENT_INSERT as one statement (issue 17: one round trip of the writer's fewer); no
	 * statement savepoint: intake, its one caller, fails the job on a refusal */
	[S_SOURCE_EVENT_INSERT] = "WITH s(id) AS (INSERT INTO source_record(agency, source_ref, payload_hash, payload, "
				  "person_id, link_score, link_rule, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
				  NOW_SQL ") RETURNING id), " SOURCE_IDENT_CTE ", " SOURCE_HOUSEHOLD_CTE ", "
				  "e(id, source_id) AS (INSERT INTO event(person_id, "
				  "source_record_id, agency, kind, occurred_at, recorded_at, summary, details, category_key) "
				  "SELECT ?8, s.id, ?9, ?10, ?11, " NOW_SQL ", ?12, ?13, " EVENT_CATEGORY_KEY("?13")
				  " FROM s RETURNING id, "
				  "source_record_id) SELECT source_id, id FROM e" SQL_DEFERRED_ROWS,
	/* S_SOURCE_EVENT_INSERT with the record's blocking keys on its person (?14), written as S_BLOCK_ADD writes
	 * them (issue 17: one statement a record fewer). S_BLOCK_ADD's NOT EXISTS reads person_block_key as the
	 * statement began, which holds every key written before it, as a statement of its own would; its foreign
	 * key to the source record is checked at the statement's end, where s's row is there. The `+ 0` keeps the
	 * check off the partial index person_block_key_source (see S_BLOCK_ADD's text below). */
	[S_SOURCE_EVENT_KEYS_INSERT] = "WITH s(id) AS (INSERT INTO source_record(agency, source_ref, payload_hash, payload, "
				       "person_id, link_score, link_rule, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
				       NOW_SQL ") RETURNING id), " SOURCE_IDENT_CTE ", " SOURCE_HOUSEHOLD_CTE ", "
				       "e(id, source_id) AS (INSERT INTO event(person_id, "
				       "source_record_id, agency, kind, occurred_at, recorded_at, summary, details, category_key) "
				       "SELECT ?8, s.id, ?9, ?10, ?11, " NOW_SQL ", ?12, ?13, " EVENT_CATEGORY_KEY("?13")
				       " FROM s RETURNING id, "
				       "source_record_id), k AS (INSERT INTO person_block_key(key, person_id, source_record_id) "
				       "SELECT j.value, ?5, s.id FROM s CROSS JOIN json_each(?14) j WHERE NOT EXISTS (SELECT 1 "
				       "FROM person_block_key b WHERE b.key = j.value AND b.person_id = ?5 AND "
				       "b.source_record_id + 0 <> 0 AND NOT EXISTS (SELECT 1 FROM person_merge m WHERE "
				       "m.kept_id = ?5 AND m.undone_at IS NULL) OFFSET 0) ON CONFLICT DO NOTHING) "
				       "SELECT source_id, id FROM e" SQL_DEFERRED_ROWS,
	/* S_SOURCE_EVENT_INSERT and S_SOURCE_EVENT_KEYS_INSERT with the ids S_SOURCE_ABSENT reserved (?15 the
	 * source record's, ?16 the event's): sent without waiting (issue 17: one round trip a record fewer); a
	 * refusal arrives with the job's next statement that waits, and fails the job as any deferred write's */
	[S_SOURCE_EVENT_IDS_INSERT] = SOURCE_IDS_HEAD SOURCE_IDENT_CTE ", " SOURCE_HOUSEHOLD_CTE " " SOURCE_IDS_EVENT
				      SQL_DEFERRED,
	[S_SOURCE_EVENT_KEYS_IDS_INSERT] = SOURCE_IDS_HEAD SOURCE_IDENT_CTE ", " SOURCE_HOUSEHOLD_CTE ", e AS ("
					   SOURCE_IDS_EVENT ") " SOURCE_IDS_KEYS SQL_DEFERRED,
	/* The two above without the parts that would write nothing (issue 17, r-pgin23; r-pgin21 measured the
	 * first): PostgreSQL opens each part's table and its indexes, readies its ON CONFLICT and starts its
	 * nodes at every execution, rows or none. _NOIDENT_: a record with neither NHS number nor UPN (0.79 of
	 * bench/intake_cpu_pg.sh's records); _HOME_: its household known to exist (SOURCE_HOME_KNOWN_CTE) */
	[S_SOURCE_EVENT_IDS_NOIDENT_INSERT] = SOURCE_IDS_HEAD SOURCE_HOUSEHOLD_CTE " " SOURCE_IDS_EVENT SQL_DEFERRED,
	[S_SOURCE_EVENT_KEYS_IDS_NOIDENT_INSERT] = SOURCE_IDS_HEAD SOURCE_HOUSEHOLD_CTE ", e AS (" SOURCE_IDS_EVENT ") "
						   SOURCE_IDS_KEYS SQL_DEFERRED,
	[S_SOURCE_EVENT_IDS_HOME_INSERT] = SOURCE_IDS_HEAD SOURCE_IDENT_CTE ", " SOURCE_HOME_KNOWN_CTE " " SOURCE_IDS_EVENT
					   SQL_DEFERRED,
	[S_SOURCE_EVENT_KEYS_IDS_HOME_INSERT] = SOURCE_IDS_HEAD SOURCE_IDENT_CTE ", " SOURCE_HOME_KNOWN_CTE ", e AS ("
						SOURCE_IDS_EVENT ") " SOURCE_IDS_KEYS SQL_DEFERRED,
	[S_SOURCE_EVENT_IDS_NOIDENT_HOME_INSERT] = SOURCE_IDS_HEAD SOURCE_HOME_KNOWN_CTE " " SOURCE_IDS_EVENT
						   SQL_DEFERRED,
	[S_SOURCE_EVENT_KEYS_IDS_NOIDENT_HOME_INSERT] = SOURCE_IDS_HEAD SOURCE_HOME_KNOWN_CTE ", e AS ("
							SOURCE_IDS_EVENT ") " SOURCE_IDS_KEYS SQL_DEFERRED,
	/* The household and its member by key as one statement (issue 17: one statement an event fewer for
	 * PostgreSQL to start, plan and answer). The household is either new (h's RETURNING gives its id: a
	 * statement does not see its own CTE's rows) or was there before (the look-up finds it), never both, so k
	 * has one row; a member already seen over a span holding ?3 is left alone (a WHERE on DO UPDATE would still
	 * lock, i.e. write, the row; first_seen/last_seen only ever widen, so a row that holds ?3 now holds it at
	 * commit), as SQLite's S_MEMBER_HELD decides. */
	[S_HOUSEHOLD_JOIN_BY_KEY] = "WITH h(id) AS (INSERT INTO household(key, postcode, address) VALUES (?1, ?4, ?5) "
				    "ON CONFLICT(key) DO NOTHING RETURNING id), k(id) AS (SELECT id FROM h UNION ALL "
				    "SELECT id FROM household WHERE key = ?1) "
				    "INSERT INTO household_member(household_id, person_id, first_seen, last_seen) "
				    "SELECT k.id, ?2, ?3, ?3 FROM k WHERE NOT EXISTS (SELECT 1 FROM household_member m "
				    "WHERE m.household_id = k.id AND m.person_id = ?2 AND m.first_seen <= ?3 "
				    "AND m.last_seen >= ?3) ON CONFLICT(household_id, person_id) DO UPDATE SET "
				    "first_seen = min(household_member.first_seen, excluded.first_seen), "
				    "last_seen = max(household_member.last_seen, excluded.last_seen)" SQL_DEFERRED,
	/* the housemates' incidents, oldest first, each step an index look-up driven by the one before (a LATERAL
	 * subquery with OFFSET 0 is planned on its own, as a nested loop): a CROSS JOIN does not fix the order on
	 * PostgreSQL, and the generic plan a prepared statement keeps, made while the tables were small, read every
	 * household member or every incident of the kind in the area (issue 17, "PostgreSQL's own CPU") */
	[S_HOUSEMATE_EVENTS] = "SELECT DISTINCT e.id, e.person_id, e.source_record_id, e.agency, e.kind, e.occurred_at, "
			       "e.recorded_at, '', e.details FROM " PG_HOUSEMATES_OF_1 " CROSS JOIN LATERAL "
			       "(SELECT * FROM event WHERE person_id = b.person_id AND kind = ?2 OFFSET 0) e "
			       "ORDER BY e.occurred_at, e.id",
	/* the housemates (Operation Encompass's children at the incident's address) read as in S_HOUSEMATE_EVENTS */
	[S_HOUSEMATES] = "SELECT " PERSON_COLS " FROM (SELECT DISTINCT b.person_id FROM " PG_HOUSEMATES_OF_1 ") h "
			 "CROSS JOIN LATERAL (SELECT * FROM person WHERE id = h.person_id OFFSET 0) p ORDER BY p.id",
	/* S_EVENTS_KINDS_IN_TIME and S_HOUSEMATE_EVENTS as one statement (issue 17: one round trip fewer), the
	 * housemates read as in S_HOUSEMATE_EVENTS's text above; with rows that are no event (id NULL) for what
	 * sq_rule_events keeps to answer the person's next read in the batch (struct sq_conn, rules): each
	 * housemate (its person_id), and the key of each of the person's households (in details) */
	[S_RULE_EVENTS] = "(SELECT id, person_id, source_record_id, agency, kind, occurred_at, recorded_at, '', details "
			  "FROM event WHERE person_id = ?1 AND instr(?2, '\"' || kind || '\"') > 0) UNION ALL "
			  "(SELECT DISTINCT e.id, b.person_id, e.source_record_id, e.agency, e.kind, e.occurred_at, "
			  "e.recorded_at, '', e.details FROM " PG_HOUSEMATES_OF_1 " LEFT JOIN LATERAL (SELECT * FROM event "
			  "WHERE person_id = b.person_id AND kind = ?3 OFFSET 0) e ON true) UNION ALL "
			  "(SELECT NULL, m.person_id, NULL, NULL, NULL, NULL, NULL, '', h.key FROM household_member m "
			  "JOIN household h ON h.id = m.household_id WHERE m.person_id = ?1)",
	/* of the pairs (agency, source_ref) given as two arrays, the positions (from 1) of those not stored: each a
	 * look-up of the unique index (store_source_absent_ahead); with each, in the order of the positions, a
	 * source record's id and an event's id taken from their sequences for the record that will be written, so
	 * that its insert need not wait for RETURNING (S_SOURCE_EVENT_IDS_INSERT). Each sequence's name is found
	 * once a statement (the sub-select is an init plan): pg_get_serial_sequence in the row itself ran twice a
	 * record with its cast, 5-8 us of the backend's CPU (a reviewer's measure). And whether a household of
	 * each record's key (?3, "" none) is stored (made_note), a look-up of its unique index: without the
	 * OFFSET 0 the generic plan hashed the whole household table at every batch (91 -> 296 us a call at
	 * 10,000 records, r-pgin26's first text) */
	[S_SOURCE_ABSENT] = "SELECT r.i, nextval((SELECT pg_get_serial_sequence('source_record', 'id')::regclass)), "
			    "nextval((SELECT pg_get_serial_sequence('event', 'id')::regclass)), "
			    "EXISTS (SELECT 1 FROM household h WHERE h.key = r.home OFFSET 0) "
			    "FROM unnest(?1::text[], ?2::text[], ?3::text[]) WITH ORDINALITY AS r(agency, ref, home, i) "
			    "WHERE NOT EXISTS (SELECT 1 FROM source_record s WHERE s.agency = r.agency "
			    "AND s.source_ref = r.ref OFFSET 0)",
	/* S_ACCESS_FACTS for each child of an array, one row a child (store_access_facts_ahead: a batch's audited
	 * reads asked about at once). The array in a sub-select (an init plan), so that no plan knows its length:
	 * bound plainly, a plan made with the values counted the batch's children (1-4) where the generic plan
	 * takes an array for 10, so the generic looked dearer and PostgreSQL planned the statement afresh at
	 * every batch for good, 0.26-0.37 ms each on an area of 2,000 children (issue 17, round 10: 100 us of
	 * the writer's CPU a record page at 16 clients; one batch a page on a quiet server). Now both plans are
	 * priced alike and the generic one, the same plan, is kept from the sixth batch on a connection. The
	 * reader's agency (?63, NULL for a view that leaves nothing out) in a sub-select too, for the same reason:
	 * bound plainly, a plan made with NULL dropped the whole `known` test, so looked far cheaper. */
	[S_ACCESS_FACTS_MANY] = "SELECT r.id, f.* FROM (SELECT DISTINCT unnest((SELECT ?1::bigint[])) AS id) r CROSS JOIN LATERAL "
				"(SELECT (SELECT count(*) FROM person WHERE id = r.id), (SELECT count(*) FROM sealed_record "
				"WHERE person_id = r.id), count(a.person_id), coalesce(max(a.worker), ''), "
				"coalesce(max(a.manager), ''), CASE WHEN " VIEW_PERSON_KNOWN_AS_("r.id", "(SELECT ?63::text)")
				" THEN 1 ELSE 0 END FROM (SELECT l.person_id, l.worker, t.manager FROM allocation l "
				"JOIN person p ON p.id = l.person_id JOIN team t ON t.code = l.team WHERE l.person_id = r.id "
				"OFFSET 0) a) f",
	/* the write transaction's audit entries held back by S_AUDIT_APPEND (audit_held_flush), as one statement:
	 * each column an array literal, the hash in hex (issue 17: one statement a transaction, not one an entry) */
	[S_AUDIT_APPEND_HELD] = "INSERT INTO audit(id, at, actor, action, child_id, object, detail, hash) "
				"SELECT r.id, r.at, r.actor, r.action, nullif(r.child_id, 0), r.object, r.detail, "
				"decode(r.hash, 'hex') FROM unnest(?1::bigint[], ?2::text[], ?3::text[], ?4::text[], "
				"?5::bigint[], ?6::text[], ?7::text[], ?8::text[]) "
				"AS r(id, at, actor, action, child_id, object, detail, hash)" SQL_DEFERRED,
	/* S_BLOCK_ADD with OFFSET 0 in its NOT EXISTS, which keeps it a subplan run for each key (an index look-up
	 * of the key and the person) rather than an anti-join: the generic plan of the join read every key of the
	 * person through the primary key's second column (issue 17, "PostgreSQL's own CPU"). `source_record_id + 0
	 * <> 0`, not `source_record_id <> 0`: the latter is the predicate of the partial index
	 * person_block_key_source, which the planner then took for the look-up where area-load's keys (all source
	 * record 0) made it look empty, and each record's check read, filtering row by row, every key intake had
	 * written since (issue 17, "Scale: intake as the area grows"); written so, the check cannot use that index
	 * and is a probe of the primary key (key, person_id, ...) whatever the statistics. The KEYS inserts too. */
	[S_BLOCK_ADD] = "INSERT INTO person_block_key(key, person_id, source_record_id) "
			"SELECT j.value, ?1, ?2 FROM json_each(?3) j WHERE NOT EXISTS (SELECT 1 FROM person_block_key k "
			"WHERE k.key = j.value AND k.person_id = ?1 AND k.source_record_id + 0 <> 0 AND NOT EXISTS "
			"(SELECT 1 FROM person_merge m WHERE m.kept_id = ?1 AND m.undone_at IS NULL) OFFSET 0) "
			"ON CONFLICT DO NOTHING" SQL_DEFERRED,
	/* the candidates with their LIMIT in the query (SQLite's: S_BLOCK_CANDIDATE_IDS). The keys as an array (= ANY)
	 * and the person and identifiers as LATERAL look-ups, so that the generic plan is index look-ups whatever
	 * the table sizes were when it was made: with IN (json_each) and plain joins it hashed the whole of
	 * person_block_key and person (issue 17, "PostgreSQL's own CPU"). The sealed and merged persons are left
	 * out by a look-up for each person found (OFFSET 0 keeps each NOT EXISTS a subplan on its own: the primary
	 * key of sealed_record, person_merge_active), after the DISTINCT: as anti-joins, the generic plan read the
	 * whole of sealed_record into a hash and every standing merge into a sort for each record (issue 17,
	 * "PostgreSQL intake: where its CPU goes") */
	[S_BLOCK_CANDIDATES_SCORED] = "WITH c(id) AS (SELECT d.id FROM (SELECT DISTINCT k.person_id FROM person_block_key k "
				      "WHERE k.key = ANY (ARRAY(SELECT value FROM json_each(?1)))) d(id) "
				      "WHERE NOT EXISTS (SELECT 1 FROM sealed_record r WHERE r.person_id = d.id OFFSET 0) "
				      "AND NOT EXISTS (SELECT 1 FROM person_merge m WHERE m.merged_id = d.id AND m.undone_at IS NULL "
				      "OFFSET 0) ORDER BY d.id LIMIT ?2) "
				      "SELECT " PERSON_COLS ", coalesce(i.kind, ''), coalesce(i.value, ''), "
				      "CASE WHEN EXISTS (SELECT 1 FROM person_merge g WHERE g.kept_id = p.id AND g.undone_at IS NULL) "
				      "THEN 1 ELSE 0 END FROM c CROSS JOIN LATERAL (SELECT * FROM person WHERE id = c.id OFFSET 0) p "
				      "LEFT JOIN LATERAL (SELECT kind, value, id FROM identifier WHERE person_id = c.id "
				      "AND kind IN ('nhs', 'upn') OFFSET 0) i ON true ORDER BY p.id, i.kind, i.id",
	/* S_BLOCK_CANDIDATES_SCORED for each record of a batch at once (store_block_candidates_ahead): ?1 the
	 * records' keys, a JSON array each, as one text array; each record's persons as that statement finds them
	 * (the same persons, look-ups, ORDER BY and LIMIT ?2, a LATERAL a record), each row ending with which of
	 * the record's keys the person holds (bit i for the i-th) and the record's place in the array (from 1), in
	 * the array's order. The keys are read with jsonb_array_elements_text, not json_each (a SQL function, whose
	 * estimate of 1,000 rows a record put the plan's cost past jit_above_cost: 20-45 ms of JIT compiling a
	 * batch), and at most 16 (CANDS_KEYS_MAX: a record with more is not answered from this read). At most ?3
	 * persons in all (CANDS_ROWS_MAX), the first records' first: a crowded batch's (512 records x 200
	 * persons) are not all read, sent and held for the rows to be cut in memory; the record cut off, and
	 * those after it, read for themselves */
	[S_BLOCK_CANDIDATES_MANY] = "WITH c(n, id, held, held_src) AS (SELECT r.n, d.id, d.held, d.held_src FROM unnest(?1::text[]) "
				    "WITH ORDINALITY AS r(keys, n) CROSS JOIN LATERAL (SELECT d.id, d.held, d.held_src FROM "
				    "(SELECT k.person_id, bit_or(1 << (j.o::int - 1)), bit_or(CASE WHEN k.source_record_id <> 0 "
				    "THEN 1 << (j.o::int - 1) ELSE 0 END) FROM (SELECT * FROM "
				    "jsonb_array_elements_text(r.keys::jsonb) WITH ORDINALITY LIMIT 16) j(value, o) CROSS JOIN LATERAL "
				    "(SELECT person_id, source_record_id FROM person_block_key "
				    "WHERE key = j.value OFFSET 0) k GROUP BY k.person_id) d(id, held, held_src) "
				    "WHERE NOT EXISTS (SELECT 1 FROM sealed_record s WHERE s.person_id = d.id OFFSET 0) "
				    "AND NOT EXISTS (SELECT 1 FROM person_merge m WHERE m.merged_id = d.id AND m.undone_at IS NULL "
				    "OFFSET 0) ORDER BY d.id LIMIT ?2) d ORDER BY r.n, d.id LIMIT ?3) "
				    "SELECT " PERSON_COLS ", coalesce(i.kind, ''), coalesce(i.value, ''), "
				    "CASE WHEN EXISTS (SELECT 1 FROM person_merge g WHERE g.kept_id = p.id AND g.undone_at IS NULL) "
				    "THEN 1 ELSE 0 END, c.held, c.n, c.held_src, CASE WHEN i.first_seen <> '' THEN 1 ELSE 0 END "
				    "FROM c CROSS JOIN LATERAL (SELECT * FROM person WHERE id = c.id "
				    "OFFSET 0) p LEFT JOIN LATERAL (SELECT kind, value, id, first_seen FROM identifier WHERE "
				    "person_id = c.id AND kind IN ('nhs', 'upn') OFFSET 0) i ON true ORDER BY c.n, p.id, i.kind, i.id",
	[S_CHILD_LOOKS] = "SELECT a.id, a.at, a.actor, a.action, coalesce(a.child_id, 0), a.object, a.detail, a.hash, "
			  "coalesce(u.agency, k.agency, ''), coalesce(u.role, ''), coalesce(u.username, '') FROM audit a "
			  "LEFT JOIN app_user u ON a.actor LIKE 'user:%' AND u.id = CAST(substring(a.actor FROM '^user:([0-9]+)') AS BIGINT) "
			  "LEFT JOIN api_client k ON a.actor LIKE 'client:%' AND k.id = CAST(substring(a.actor FROM '^client:([0-9]+)') AS BIGINT) "
			  "WHERE a.child_id = ?1 AND a.action IN ('child.read', 'chronology.read', 'alert.read', "
			  "'flags.lookup', 'viewers.read', 'recordings.list', 'recording.download', 'recording.play', "
			  "'access.refused', 'break_glass.open', 'placement.record') AND (?2 IS NULL OR a.at >= ?2) "
			  "AND (?3 IS NULL OR a.at < ?3) AND (?4 IS NULL OR coalesce(u.agency, k.agency, '') = ?4) "
			  "ORDER BY a.id DESC LIMIT ?5",
};

/* Keys a record's entry or a made person keeps (a record has at most IDENTITY_KEYS_MAX: 6) */
#define CANDS_KEYS_MAX 16

/* A PostgreSQL array literal of text being built ("{\"a\",\"b\""; its "}" added where it is bound) */
struct text_array {
	char *s;
	size_t len, cap;
};

/* Room for extra more bytes and the closing brace in an array literal. */
static bool text_array_reserve(struct text_array *h, size_t extra)
{
	size_t need = h->len + extra + 2;
	if (need <= h->cap)
		return true;
	size_t cap = h->cap ? h->cap : 1024;
	while (cap < need)
		cap *= 2;
	char *p = realloc(h->s, cap);
	if (!p)
		return false;
	h->s = p;
	h->cap = cap;
	return true;
}

/* One element of a text array literal, quoted (so that no value reads as NULL), '"' and '\' escaped. */
static void text_array_put(struct text_array *h, const char *v)
{
	char sep = h->len ? ',' : '{';
	h->s[h->len++] = sep;
	h->s[h->len++] = '"';
	for (; *v; v++) {
		if (*v == '"' || *v == '\\')
			h->s[h->len++] = '\\';
		h->s[h->len++] = *v;
	}
	h->s[h->len++] = '"';
}

#define AUDIT_HELD_COLS 8
/* Entries, and bytes of their text, held at most before they are sent anyway (bounds on the statement's size
 * and on the memory held, not a tuning) */
#define AUDIT_HELD_MAX 4096
#define AUDIT_HELD_BYTES (1u << 20)

/* ---- connections and the pool ------------------------------------------------------------------------ */

/* The engine behind a store: one driver, a pool of its connections. The ops below see only sql.h. */
struct sq_conn {
	struct store_conn head; /* must be first */
	sql_db *db;
	struct sq_conn *next_idle;
	unsigned gen; /* the store's generation when opened: older idle connections predate a lost one */
	bool reader;  /* from the read pool (--db-read): handed back there */
	double idle_since; /* CLOCK_MONOTONIC seconds when it was last handed back (sql.h usable) */
	char now[TS_UTC_LEN + 1]; /* NOW_SQL's value: bound without a copy, so it lives here until the step */
	/* The audit chain's last entry as this connection appended it inside the write transaction it holds
	 * (writers serialise: nobody else appends until it ends), so that the next append need not read it back:
	 * one round trip less per audited job on PostgreSQL. Forgotten at every BEGIN, COMMIT, ROLLBACK and
	 * ROLLBACK TO, on any failed append and on sealing. */
	bool audit_head_known;
	/* The open transaction is sq_begin's, a writer's: on PostgreSQL its BEGIN took the writer's advisory lock
	 * (drv_pg.c pg_begin), held until the transaction ends, so no other process commits a write meanwhile.
	 * Set only when that BEGIN succeeded; cleared at COMMIT, ROLLBACK, a read BEGIN and the pool's put (not at
	 * ROLLBACK TO, which keeps the lock). store_access_facts_ahead fills its answers only while it is set. */
	bool writer;
	/* The API clients' generation read in the open writer's transaction (store_auth_generation): no other
	 * process commits a change to a client meanwhile, so every intake job of the batch asks it of memory.
	 * Forgotten with the transaction. */
	bool auth_gen_known;
	int64_t auth_gen;
	/* This transaction wrote api_client (clients_touched): its generation is its own, uncommitted. Cleared
	 * at BEGIN, COMMIT and ROLLBACK, not at ROLLBACK TO (a change made before the savepoint stays). */
	bool clients_changed;
	int64_t audit_head_id;
	uint8_t audit_head_hash[STORE_AUDIT_HASH_LEN];
	/* PostgreSQL: the entries appended in the open write transaction and not yet sent, a text array literal a
	 * column ("{\"..\",..."), written as one statement (S_AUDIT_APPEND_HELD) before COMMIT, a savepoint's
	 * start and release, and any statement naming the audit table; dropped with a rollback (audit_held_*) */
	struct text_array held[AUDIT_HELD_COLS];
	int held_n;
	/* a flush of them failed (on our side or refused): they are gone while the transaction is open, so COMMIT
	 * and RELEASE are refused (STORE_EIO) until a rollback (forget) — else the audit would have a silent gap
	 * (the next append chains from the database's head, so verification would pass over it) */
	bool held_failed;
	char held_failed_msg[256]; /* sq_errmsg's words while held_failed, with the engine's reason for the failure */
	/* store_source_absent_ahead's answer: the pairs (agency, source_ref) not stored, sorted, unique; each
	 * answers one store_source_find (used), and none once a source record with it is written. key holds
	 * the agency, its NUL, then the source_ref: compared as a pair, so no byte in either can blur the two */
	struct absent_pair {
		char *key;
		size_t agency_len;
		bool used;
		/* the ids reserved for the pair's source record and event (0: none), until its insert takes them */
		int64_t source_id, event_id;
		/* the household key the batch named for the record (NULL: none asked), and whether a household of
		 * that key was stored when the batch's read ran (sq_source_event_insert's `fresh`, made_note) */
		char *home;
		bool home_there;
	} *absent;
	int absent_n, absent_cap;
	/* store_block_candidates_ahead's answers (PostgreSQL, a writer's transaction; issue 17): each record's keys
	 * (its JSON text, and its strings: ntok -1 when they could not be told apart) and limit, with the persons
	 * the batch's one read found for it (cand_rows[first, first + n)), each with which of the record's keys it
	 * held (held: bit i for the i-th). A record's own read (store_block_candidates_scored) is answered from
	 * them and from what this transaction wrote since, which intake's writes note (cands_note_*): a person
	 * made (cands_made, with the keys it was given), a key new to a person read (cands_gained), a key given to
	 * a person not read with it (cands_keys: a record with that key reads for itself), attributes and
	 * identifiers (applied to every copy of the person's row). Any other statement that writes the tables the
	 * read reads drops them all (ends_cands), as does the transaction's end or a ROLLBACK TO. Kept only in a
	 * writer's transaction (writer): its advisory lock keeps other processes' writes out, as for facts. */
	struct cands_known {
		char *keys;
		char *tok[CANDS_KEYS_MAX];
		int ntok, limit, first, n;
	} *cands;
	int cands_n, cands_cap;
	struct cand_row {
		struct store_candidate c;
		unsigned held;
		unsigned held_src; /* of held, the keys it holds from a source record (S_BLOCK_ADD's NOT EXISTS) */
	} *cand_rows;
	int cand_rows_n, cand_rows_cap;
	struct cand_made {
		struct store_candidate c;
		char *keys[CANDS_KEYS_MAX];
		int nkeys;
	} *cands_made;
	int cands_made_n, cands_made_cap;
	struct cand_gain {
		int64_t person;
		char *key;
	} *cands_gained;
	int cands_gained_n, cands_gained_cap;
	char **cands_keys;
	int cands_keys_n, cands_keys_cap;
	/* Keys a record's statement of this transaction gave a person the batch's read found (not kept in a merge)
	 * or made: held from a source record now, as held_src says of the read's (keys_noop). Dropped with the
	 * rest (cands_drop) */
	struct cand_gain *keys_given;
	int keys_given_n, keys_given_cap;
	/* Identifiers (NHS number, UPN) persons hold, by the batch's read (the candidates' identifiers, with whether
	 * first_seen is set) and by what this transaction wrote since (a record's statement, S_IDENT_ADD): a record
	 * whose person holds each of its identifiers, dated or the record undated, is written by a text without
	 * the identifiers' parts, which would write nothing (ident_noop; issue 17, r-pgin30). dated only ever goes
	 * from false to true, as first_seen only goes from "" to a time. Dropped with the rest (cands_drop): any
	 * other writer of identifier (a merge's move) drops them */
	struct ident_known {
		int64_t person;
		bool upn, dated;
		char *value;
	} *idents;
	int idents_n, idents_cap;
	const struct store_candidate **cands_answer; /* cands_answer's, for the record being answered */
	int cands_answer_cap;
	int cands_lent; /* cand_rows and cands_made are being handed out (sq_block_candidates_scored, nested calls
			 * counted): kept */
	/* store_access_facts_ahead's answers, one a child asked about: they answer store_access_facts until the
	 * transaction ends or any statement is prepared that is not one of an audited read's own (facts_keep),
	 * so that no write the transaction makes can be missing from an answer. Filled only in a writer's
	 * transaction (writer): its advisory lock is what keeps other processes' writes out of the answers */
	struct facts_known {
		int64_t child_id;
		struct store_access_facts f;
	} *facts;
	int facts_n, facts_cap;
	/* the view's health-only part the answers' `known` was asked with (views_know_alike) */
	char facts_private_agency[STORE_CODE_MAX + 1];
	char *facts_private_categories;
	/* store_rule_events' answers (a writer's transaction, both engines; issue 17): a person's own events of the
	 * kinds asked for, its housemates' events of the housemates' kind, its housemates and the keys of its
	 * households, as the read found them, with the events this transaction's records wrote since (rules_note:
	 * intake's record statement, the one writer of those tables that notes what it writes). A person read
	 * again in the batch (its next record, a housemate's incident) is answered from them, a statement and a
	 * round trip fewer. A record that places a person in a household not among its known ones, or places
	 * someone not among a known person's housemates in one of that person's households, drops that person's
	 * answer; any other statement that writes event, household or household_member drops them all
	 * (ends_rules), as does the transaction's end or a ROLLBACK TO. Kept only in a writer's transaction
	 * (writer): its advisory lock keeps other processes' writes out, as for facts. */
	struct rules_known {
		int64_t person;
		char *kinds, *mate_kind;
		struct store_event *ev; /* each details a copy of its own; summary "" as the read's */
		int ev_n, ev_cap;
		int64_t *mates;
		int mates_n, mates_cap;
		char **homes; /* the keys of the person's households */
		int homes_n, homes_cap;
	} *rules;
	int rules_n, rules_cap;
	/* SQLite: a record's own statements are running (sq_source_event_insert writes it statement by statement,
	 * then rules_note says what they wrote), so none of them drops the answers (ends_rules) */
	bool rules_noting;
	/* The keys of households this transaction's records named (PostgreSQL; issue 17, r-pgin23): they exist
	 * (nothing deletes a household or changes its key), so the next record naming one is written by a text
	 * without the household's INSERT (SOURCE_HOME_KNOWN_CTE). Forgotten with the transaction and at a
	 * ROLLBACK TO (the record that made it may be undone), a bulk load, and any statement that deletes from or
	 * updates household (ends_homes: none today) */
	char **homes_known;
	int homes_known_n, homes_known_cap;
	/* Whether every household a record of this transaction made since the batch's read (store_source_absent_ahead,
	 * which asked the records' keys) is in homes_known: none forgotten (homes_drop), none left out (home_note's
	 * limit), and no other statement wrote household or household_member (rules_drop). Then a key the read found
	 * not stored and homes_known does not hold is a household the record's own statement makes (made_note) */
	bool homes_sure;
	/* The persons this transaction made (sq_person_insert, a writer's, in a batch asked about ahead; issue 17,
	 * r-pgin26): a new child's first rules' read (S_RULE_EVENTS, ~220,000 instructions of the backend) is
	 * answered from here when the one record written on it since placed it in no household or in one that
	 * record's statement made and nobody else joined: the person then has that record's event and no
	 * housemates. Dropped with the rules' answers (rules_drop: any other writer of event, household or
	 * household_member, the transaction's end, ROLLBACK TO, a bulk load) */
	struct made_person {
		int64_t person;
		int records;	 /* records written on it since it was made (counted to 2) */
		bool alone;	 /* its record's household: made by that record, and no one else's record named it */
		char *home;	 /* that household's key (NULL: none) */
		struct store_event ev; /* its record's event as S_RULE_EVENTS reads it (details its own copy) */
	} *made;
	int made_n, made_cap;
	/* Likewise the newest linkage model's id, which intake asks for with every record (-1: not known) */
	int64_t model_id_known;
	/* a bulk load in progress (store_bulk_begin .. store_bulk_end) */
	bool bulk_open, bulk_copy;
	char bulk_sync[24]; /* PostgreSQL: synchronous_commit before store_bulk_fast_begin turned it off */
	int bulk_table;
	/* a bulk load of events: its first id (the rows sq_bulk_end keys and puts in mash_open), and whether a fast
	 * load holds mash_open back */
	int64_t bulk_mash_from;
	bool bulk_mash_held;
	sql_stmt *bulk_stmt;
};

struct sq_store {
	struct store head; /* must be first */
	char *url; /* what the engine's open takes: the SQLite path, or the whole postgresql:// URL */
	sql_db *(*connect)(const char *url, char *err, size_t errsz);
	const char *const *override; /* the engine's own SQL for the few statements where one text cannot serve */
	int override_count;
	const char *const *own_migration; /* the engine's own part of each migration (triggers), or NULL */
	pthread_mutex_t lock;
	struct sq_conn *idle;
	int open_conns;
	/* Bumped when a connection is found lost (the database server died or failed over): the idle ones
	 * opened before are presumed lost too and are dropped as they are taken, instead of failing one request
	 * each. */
	unsigned gen;
	/* The read pool (serve --db-read URL: a replica for snapshot reads), or read_url NULL: reads use the
	 * pool above. Its own generation, as above. */
	char *read_url;
	struct sq_conn *read_idle;
	int read_open;
	unsigned read_gen;
	bool remote_apply; /* writers wait until the replica has applied their commit (read-your-writes) */
	char last_connect_err[512]; /* the last reason told for a failed connect (tell_connect_failure) */
};

_Static_assert(S__COUNT <= SQL_STMT_MAX, "raise SQL_STMT_MAX in store/sql.h");
/* sq_source_event_insert picks a record's text as S_SOURCE_EVENT_IDS_INSERT + 2 * bits + keys */
_Static_assert(S_SOURCE_EVENT_KEYS_IDS_INSERT == S_SOURCE_EVENT_IDS_INSERT + 1 &&
		       S_SOURCE_EVENT_IDS_NOIDENT_INSERT == S_SOURCE_EVENT_IDS_INSERT + 2 &&
		       S_SOURCE_EVENT_IDS_HOME_INSERT == S_SOURCE_EVENT_IDS_INSERT + 4 &&
		       S_SOURCE_EVENT_KEYS_IDS_NOIDENT_HOME_INSERT == S_SOURCE_EVENT_IDS_INSERT + 7 &&
		       S_SOURCE_EVENT_INSERT < S_SOURCE_EVENT_IDS_INSERT,
	       "the record's texts in the order sq_source_event_insert counts them");

/* SQLite's text of each statement that names a partial index's kinds (migration 38): the shared text names
 * the IN list, which PostgreSQL's indexes hold and its planner reads as it always has; SQLite's indexes hold
 * the list as comparisons joined by OR (no temporary b-tree an insert), and SQLite uses a partial index only
 * for a query whose WHERE names its WHERE, so its statements say the OR form. NULL where the shared text
 * serves. Made once, the first time a SQLite store opens; test_store's event_lists_use_their_indexes checks
 * that no statement SQLite runs still names an IN list of them. */
static const struct {
	const char *in, *or;
} lite_words[] = {
	{EVENT_KIND_SOUGHT("e"), EVENT_KIND_SOUGHT_OR("e")},
	{MASH_KINDS("e"), MASH_KINDS_OR("e")},
};
static char *lite_sql[S__COUNT];
static pthread_once_t lite_sql_once = PTHREAD_ONCE_INIT;

/* text with each of lite_words' lists in SQLite's form (malloc'd), or NULL if it names none of them */
static char *lite_words_apply(const char *text)
{
	char *out = NULL;
	for (size_t w = 0; w < sizeof lite_words / sizeof lite_words[0]; w++) {
		const char *from = out ? out : text, *at;
		if (!strstr(from, lite_words[w].in))
			continue;
		size_t in_len = strlen(lite_words[w].in), or_len = strlen(lite_words[w].or), n = 0;
		for (at = from; (at = strstr(at, lite_words[w].in)); at += in_len)
			n++;
		char *next = malloc(strlen(from) + n * (or_len - in_len) + 1);
		if (!next)
			abort(); /* once, at the first open: as every allocation the server cannot go on without */
		char *o = next;
		for (const char *p = from; (at = strstr(p, lite_words[w].in)); p = at + in_len) {
			memcpy(o, p, (size_t)(at - p));
			o += at - p;
			memcpy(o, lite_words[w].or, or_len);
			o += or_len;
			from = at + in_len; /* what follows the last list */
		}
		memcpy(o, from, strlen(from) + 1); /* the tail and its NUL: next was sized for them */
		free(out);
		out = next;
	}
	return out;
}

static void lite_sql_fill(void)
{
	for (int i = 0; i < S__COUNT; i++)
		lite_sql[i] = stmt_sql[i] ? lite_words_apply(stmt_sql[i]) : NULL;
}

/* The text statement id runs with on db: SQLite's (lite_sql) where it has one; other engines' own text comes
 * from their override table in sql_prepare. SQLite's is the one driver without an override table. */
static inline const char *stmt_text(const sql_db *db, enum stmt_id id)
{
	return !db->override && lite_sql[id] ? lite_sql[id] : stmt_sql[id];
}

const char *sql_ops_statement(int id)
{
	pthread_once(&lite_sql_once, lite_sql_fill);
	return id >= 0 && id < S__COUNT ? (lite_sql[id] ? lite_sql[id] : stmt_sql[id]) : NULL;
}
const char *sql_ops_status_events(void) { return stmt_sql[S_EVENTS_STATUS]; }
const char *sql_ops_access_facts_many(void) { return pg_override[S_ACCESS_FACTS_MANY]; }
const char *sql_ops_mash_agency_count(void) { return stmt_sql[S_MASH_AWAITING_AGENCY_COUNT]; }
const char *sql_ops_mash_decided_agency(int count)
{
	return stmt_sql[count ? S_MASH_DECIDED_AGENCY_COUNT : S_MASH_DECIDED_AGENCY_LIST];
}
const char *sql_ops_access_facts(void) { return stmt_sql[S_ACCESS_FACTS]; }

/* Steps return SQL_ROW, SQL_DONE or a negative STORE_E* already. */
static int map_rc(int rc)
{
	return rc < 0 ? rc : STORE_OK;
}

static void cands_drop(struct sq_conn *c);
static void rules_drop(struct sq_conn *c);
static void homes_drop(struct sq_conn *c);

static void conn_free(struct sq_conn *c)
{
	if (!c)
		return;
	if (c->db) {
		sql_finalize_all(c->db);
		c->db->drv->close(c->db);
	}
	for (int i = 0; i < AUDIT_HELD_COLS; i++)
		free(c->held[i].s);
	for (int i = 0; i < c->absent_n; i++)
		free(c->absent[i].key);
	free(c->absent);
	free(c->facts);
	free(c->facts_private_categories);
	rules_drop(c);
	free(c->rules);
	homes_drop(c);
	free(c->homes_known);
	free(c->made);
	cands_drop(c);
	free(c->cands);
	free(c->cand_rows);
	free(c->cands_made);
	free(c->cands_gained);
	free(c->cands_keys);
	free(c->keys_given);
	free(c->idents);
	free(c->cands_answer);
	free(c);
}

/* Seconds on CLOCK_MONOTONIC: how long a connection sat idle (a duration, never "now"). */
static double mono_seconds(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static struct sq_conn *conn_new(struct sq_store *st, bool reader, char *err, size_t errsz)
{
	struct sq_conn *c = calloc(1, sizeof *c);
	if (!c) {
		snprintf(err, errsz, "out of memory");
		return NULL;
	}
	c->head.ops = &store_sqlite_ops;
	c->reader = reader;
	c->model_id_known = -1;
	if (!(c->db = st->connect(reader ? st->read_url : st->url, err, errsz))) {
		free(c);
		return NULL;
	}
	c->db->override = st->override;
	c->db->override_count = st->override_count;
	c->idle_since = mono_seconds();
	/* Named for the operator (pg_stat_activity); on the primary, a commit returns once the replica that
	 * the reads go to has applied it, so that what a person wrote is on the next page they read. */
	const char *setup = reader ? "SET application_name = 'safeguard read'"
				   : st->remote_apply ? "SET synchronous_commit = remote_apply" : NULL;
	if (setup && sql_exec(c->db, setup) != STORE_OK) {
		snprintf(err, errsz, "cannot set up the connection: %s", sql_errmsg(c->db));
		conn_free(c);
		return NULL;
	}
	return c;
}

static int audit_held_flush(struct sq_conn *c);

static void audit_held_drop(struct sq_conn *c)
{
	c->held_n = 0;
	for (int i = 0; i < AUDIT_HELD_COLS; i++)
		c->held[i].len = 0;
}

static void absent_drop(struct sq_conn *c)
{
	for (int i = 0; i < c->absent_n; i++) {
		free(c->absent[i].key);
		free(c->absent[i].home);
	}
	c->absent_n = 0;
}

/* Bytes an array of the candidates' answers keeps between batches (struct sq_conn; cands_drop): a usual batch's
 * rows (16 records of a few hundred candidates at 7 KB a person) stay allocated from one batch to the next; a
 * crowded batch's (up to CANDS_ROWS_MAX persons, ~15 MB) are freed when its answers are dropped. In bytes, not
 * elements: a count small enough for the rows would free the per-record arrays after every batch. */
#define CANDS_KEEP_BYTES ((size_t)4 << 20)

static void cands_shrink(void **p, int *cap, size_t size)
{
	if ((size_t)*cap * size > CANDS_KEEP_BYTES) {
		free(*p);
		*p = NULL;
		*cap = 0;
	}
}

/* store_block_candidates_ahead's answers forgotten (struct sq_conn) */
static void cands_drop(struct sq_conn *c)
{
	for (int i = 0; i < c->cands_n; i++)
		for (int j = 0; j < c->cands[i].ntok; j++)
			free(c->cands[i].tok[j]);
	for (int i = 0; i < c->cands_made_n; i++)
		for (int j = 0; j < c->cands_made[i].nkeys; j++)
			free(c->cands_made[i].keys[j]);
	for (int i = 0; i < c->cands_gained_n; i++)
		free(c->cands_gained[i].key);
	for (int i = 0; i < c->cands_keys_n; i++)
		free(c->cands_keys[i]);
	for (int i = 0; i < c->keys_given_n; i++)
		free(c->keys_given[i].key);
	for (int i = 0; i < c->idents_n; i++)
		free(c->idents[i].value);
	for (int i = 0; i < c->cands_n; i++)
		free(c->cands[i].keys);
	c->cands_n = c->cand_rows_n = c->cands_made_n = c->cands_gained_n = c->cands_keys_n = c->keys_given_n = 0;
	c->idents_n = 0;
	/* A crowded batch's rows (7 KB a person, ~15 MB at CANDS_ROWS_MAX) are not kept for the connection's life:
	 * arrays grown past a usual batch's size are freed, to be grown again by the next batch that needs them */
	if (c->cands_lent)
		return;
	cands_shrink((void **)&c->cands, &c->cands_cap, sizeof *c->cands);
	cands_shrink((void **)&c->cand_rows, &c->cand_rows_cap, sizeof *c->cand_rows);
	cands_shrink((void **)&c->cands_made, &c->cands_made_cap, sizeof *c->cands_made);
	cands_shrink((void **)&c->cands_gained, &c->cands_gained_cap, sizeof *c->cands_gained);
	cands_shrink((void **)&c->cands_keys, &c->cands_keys_cap, sizeof *c->cands_keys);
	cands_shrink((void **)&c->keys_given, &c->keys_given_cap, sizeof *c->keys_given);
	cands_shrink((void **)&c->idents, &c->idents_cap, sizeof *c->idents);
	cands_shrink((void **)&c->cands_answer, &c->cands_answer_cap, sizeof *c->cands_answer);
}

/* Room for need elements of size in *p (its capacity *cap), doubling */
static bool cands_grow(void **p, int *cap, int need, size_t size)
{
	if (need <= *cap)
		return true;
	int n = *cap ? *cap : 16;
	while (n < need)
		n *= 2;
	void *q = realloc(*p, (size_t)n * size);
	if (!q)
		return false;
	*p = q;
	*cap = n;
	return true;
}

/* The strings of a JSON array of strings (a record's blocking keys), in order, each the text between its
 * quotes, up to max: their count, or -1 when the text holds an escape ('\\': the text between the quotes
 * would not be the string), is not closed, has more than max or memory runs out. */
static int key_tokens(const char *json, char **out, int max)
{
	int n = 0;
	if (!json || strchr(json, '\\'))
		return -1;
	for (const char *p = strchr(json, '"'); p; p = strchr(p, '"')) {
		const char *e = strchr(p + 1, '"');
		if (!e || n == max || !(out[n] = strndup(p + 1, (size_t)(e - p - 1)))) {
			while (n > 0)
				free(out[--n]);
			return -1;
		}
		n++;
		p = e + 1;
	}
	return n;
}

static bool key_in(const char *key, char *const *keys, int n)
{
	for (int i = 0; i < n; i++)
		if (strcmp(key, keys[i]) == 0)
			return true;
	return false;
}

/* Whether w occurs in t as a word of its own (letters, digits and '_' on neither side), any case */
static bool sql_word(const char *t, const char *w)
{
	size_t n = strlen(w);
	for (const char *p = t; *p; p++) {
		if (strncasecmp(p, w, n) != 0)
			continue;
		bool before = p > t && (isalnum((unsigned char)p[-1]) || p[-1] == '_');
		bool after = isalnum((unsigned char)p[n]) || p[n] == '_';
		if (!before && !after)
			return true;
	}
	return false;
}

/* Whether a statement's text may change what the candidates' read (S_BLOCK_CANDIDATES_MANY) found: it writes,
 * and names one of the tables that read reads */
static bool touches_candidates(const char *t)
{
	static const char *const tables[] = {"person", "person_block_key", "identifier", "sealed_record",
					     "person_merge"};
	if (!t || !(sql_word(t, "INSERT") || sql_word(t, "UPDATE") || sql_word(t, "DELETE") || sql_word(t, "TRUNCATE")))
		return false;
	for (size_t i = 0; i < sizeof tables / sizeof *tables; i++)
		if (sql_word(t, tables[i]))
			return true;
	return false;
}

/* Which statements end a kind of answers kept in a writer's transaction (the candidates', the rules'): those that
 * write a table the answers read (touches, on the statement's text) and do not note what they write (noted).
 * Found once for each engine's texts (pg_override's on PostgreSQL); a test's own override is read each time. */
struct answer_ends {
	bool (*noted)(enum stmt_id id);
	bool (*touches)(const char *sql);
	pthread_once_t once;
	bool end[2][S__COUNT];
};

static void answer_ends_fill(struct answer_ends *e)
{
	for (int i = 0; i < S__COUNT; i++) {
		const char *pg = pg_override[i] ? pg_override[i] : stmt_sql[i];
		e->end[0][i] = !e->noted((enum stmt_id)i) && e->touches(stmt_sql[i]);
		e->end[1][i] = !e->noted((enum stmt_id)i) && e->touches(pg);
	}
}

/* find: answer_ends_fill of e, for pthread_once (which takes no argument) */
static bool answer_ends_of(struct answer_ends *e, void (*find)(void), const sql_db *db, enum stmt_id id)
{
	if (db->override && db->override != pg_override) {
		const char *t = sql_override(db, (int)id);
		return !e->noted(id) && e->touches(t ? t : stmt_sql[id]);
	}
	pthread_once(&e->once, find);
	return e->end[db->override == pg_override][id];
}

/* Which statements end store_block_candidates_ahead's answers, by engine as audit_named below. The writes
 * whose sq_ functions note what they write (cands_note_*) do not: a new person, its attributes, an
 * identifier, a record's keys (S_BLOCK_ADD and the record's own statements, which write its identifiers and
 * keys on its person). */
static bool cands_noted(enum stmt_id id)
{
	switch (id) {
	case S_PERSON_INSERT:
	case S_PERSON_ATTRS:
	case S_IDENT_ADD:
	case S_BLOCK_ADD:
	case S_BLOCK_ADD_KEY:
	case S_SOURCE_EVENT_INSERT:
	case S_SOURCE_EVENT_KEYS_INSERT:
	case S_SOURCE_EVENT_IDS_INSERT:
	case S_SOURCE_EVENT_KEYS_IDS_INSERT:
	case S_SOURCE_EVENT_IDS_NOIDENT_INSERT:
	case S_SOURCE_EVENT_KEYS_IDS_NOIDENT_INSERT:
	case S_SOURCE_EVENT_IDS_HOME_INSERT:
	case S_SOURCE_EVENT_KEYS_IDS_HOME_INSERT:
	case S_SOURCE_EVENT_IDS_NOIDENT_HOME_INSERT:
	case S_SOURCE_EVENT_KEYS_IDS_NOIDENT_HOME_INSERT:
		return true;
	default:
		return false;
	}
}

static struct answer_ends cands_ends = {cands_noted, touches_candidates, PTHREAD_ONCE_INIT, {{false}}};

static void cands_end_find(void)
{
	answer_ends_fill(&cands_ends);
}

static bool ends_cands(const sql_db *db, enum stmt_id id)
{
	return answer_ends_of(&cands_ends, cands_end_find, db, id);
}

/* The person made in this transaction since the batch's read, or NULL */
static struct cand_made *cands_made_of(struct sq_conn *c, int64_t id)
{
	for (int i = 0; i < c->cands_made_n; i++)
		if (c->cands_made[i].c.person.id == id)
			return &c->cands_made[i];
	return NULL;
}

/* A key whose persons are no longer known (a person not read with the batch was given it): a record with it
 * reads for itself */
static void cands_note_unknown(struct sq_conn *c, char *key)
{
	if (!cands_grow((void **)&c->cands_keys, &c->cands_keys_cap, c->cands_keys_n + 1, sizeof *c->cands_keys)) {
		free(key);
		cands_drop(c); /* nothing known is safer than something missed */
		return;
	}
	c->cands_keys[c->cands_keys_n++] = key;
}

/* A person made since the batch's read (sq_person_insert: p as written, id its new id): found from memory by
 * the records whose keys it is given */
static void cands_note_made(struct sq_conn *c, const struct store_person *p, int64_t id)
{
	if (c->cands_n == 0)
		return;
	if (!cands_grow((void **)&c->cands_made, &c->cands_made_cap, c->cands_made_n + 1, sizeof *c->cands_made)) {
		cands_drop(c);
		return;
	}
	struct cand_made *m = &c->cands_made[c->cands_made_n++];
	memset(m, 0, sizeof *m);
	/* as person_row would read it back: every column as bound, created_at NOW_SQL's value, no folds */
	m->c.person = *p;
	m->c.person.id = id;
	snprintf(m->c.person.created_at, sizeof m->c.person.created_at, "%s", c->now);
	m->c.person.given_fold[0] = m->c.person.family_fold[0] = '\0';
}

/* The candidate rows of person id: the batch's copies (one a record that found it) and a made person's */
static void cands_each_copy(struct sq_conn *c, int64_t id, void (*fn)(struct store_candidate *, const void *),
			    const void *arg)
{
	for (int i = 0; i < c->cand_rows_n; i++)
		if (c->cand_rows[i].c.person.id == id)
			fn(&c->cand_rows[i].c, arg);
	struct cand_made *m = cands_made_of(c, id);
	if (m)
		fn(&m->c, arg);
}

static void copy_attrs(struct store_candidate *x, const void *arg)
{
	/* as S_PERSON_ATTRS: each non-empty attribute set, the others kept */
	const struct store_person *p = arg;
	if (p->communication_needs[0])
		memcpy(x->person.communication_needs, p->communication_needs, sizeof p->communication_needs);
	if (p->disability[0])
		memcpy(x->person.disability, p->disability, sizeof p->disability);
	if (p->ethnicity[0])
		memcpy(x->person.ethnicity, p->ethnicity, sizeof p->ethnicity);
	if (p->first_language[0])
		memcpy(x->person.first_language, p->first_language, sizeof p->first_language);
}

struct ident_note {
	const char *kind, *value;
};

static void copy_ident(struct store_candidate *x, const void *arg)
{
	/* as the identifier's insert: ON CONFLICT (kind, value, person_id) DO NOTHING, a new one last of its kind
	 * (the read orders by kind, id). A list already full (STORE_CANDIDATE_IDS) shows no new one either way */
	const struct ident_note *v = arg;
	bool nhs = strcmp(v->kind, "nhs") == 0;
	int *n = nhs ? &x->n_nhs : &x->n_upn;
	for (int i = 0; i < *n; i++)
		if (strcmp(nhs ? x->nhs[i] : x->upn[i], v->value) == 0)
			return;
	if (*n == STORE_CANDIDATE_IDS)
		return;
	if (nhs)
		snprintf(x->nhs[(*n)++], sizeof x->nhs[0], "%s", v->value);
	else
		snprintf(x->upn[(*n)++], sizeof x->upn[0], "%s", v->value);
}

static void cands_note_attrs(struct sq_conn *c, int64_t id, const struct store_person *p)
{
	if (c->cands_n > 0)
		cands_each_copy(c, id, copy_attrs, p);
}

static void cands_note_ident(struct sq_conn *c, int64_t id, const char *kind, const char *value)
{
	if (c->cands_n == 0 || !value || !*value || !kind || (strcmp(kind, "nhs") && strcmp(kind, "upn")))
		return;
	/* a value longer than the read's column would hold: not modelled */
	if (strlen(value) >= (strcmp(kind, "nhs") == 0 ? sizeof ((struct store_candidate *)0)->nhs[0]
						     : sizeof ((struct store_candidate *)0)->upn[0])) {
		cands_drop(c);
		return;
	}
	struct ident_note v = {kind, value};
	cands_each_copy(c, id, copy_ident, &v);
}

/* The keys (a JSON array of strings) written to person id since the batch's read. A key the person held when
 * the batch was read changes nothing (the read asks which persons hold a key, not how often). A key new to it
 * is noted as gained (a record with that key then finds it from memory); a key of a person the batch did not
 * read with that record's keys, as unknown. */
static void cands_note_keys(struct sq_conn *c, int64_t id, const char *keys_json)
{
	if (c->cands_n == 0 || !keys_json)
		return;
	char *tok[CANDS_KEYS_MAX];
	int n = key_tokens(keys_json, tok, CANDS_KEYS_MAX);
	if (n < 0) {
		cands_drop(c);
		return;
	}
	struct cand_made *m = cands_made_of(c, id);
	const struct cand_row *row = NULL;
	for (int i = 0; i < c->cands_n && !m && !row; i++) {
		const struct cands_known *e = &c->cands[i];
		if (e->ntok < 0 || strcmp(e->keys, keys_json) != 0)
			continue;
		for (int j = 0; j < e->n && !row; j++)
			if (c->cand_rows[e->first + j].c.person.id == id)
				row = &c->cand_rows[e->first + j];
	}
	for (int i = 0; i < n; i++) {
		if (m && key_in(tok[i], m->keys, m->nkeys)) {
			free(tok[i]);
		} else if (m && m->nkeys < CANDS_KEYS_MAX) {
			m->keys[m->nkeys++] = tok[i];
		} else if (row && (row->held >> i & 1u)) {
			free(tok[i]); /* held already */
		} else if (row && cands_grow((void **)&c->cands_gained, &c->cands_gained_cap, c->cands_gained_n + 1,
					     sizeof *c->cands_gained)) {
			c->cands_gained[c->cands_gained_n++] = (struct cand_gain){id, tok[i]};
		} else {
			cands_note_unknown(c, tok[i]);
		}
		if (c->cands_n == 0) { /* dropped: the rest are not kept */
			for (int j = i + 1; j < n; j++)
				free(tok[j]);
			return;
		}
	}
}

/* The row the batch's read found person id with for records of keys keys_json (NULL: none), and whether the
 * person was made in this transaction */
static const struct cand_row *cands_row_of(struct sq_conn *c, int64_t id, const char *keys_json, bool *made)
{
	*made = cands_made_of(c, id) != NULL;
	for (int i = 0; i < c->cands_n; i++) {
		const struct cands_known *e = &c->cands[i];
		if (e->ntok < 0 || strcmp(e->keys, keys_json) != 0)
			continue;
		for (int j = 0; j < e->n; j++)
			if (c->cand_rows[e->first + j].c.person.id == id)
				return &c->cand_rows[e->first + j];
	}
	return NULL;
}

static bool key_given(const struct sq_conn *c, int64_t id, const char *key)
{
	for (int i = c->keys_given_n - 1; i >= 0; i--)
		if (c->keys_given[i].person == id && strcmp(c->keys_given[i].key, key) == 0)
			return true;
	return false;
}

/* The entry of person id's identifier kind ("nhs" or "upn") value, or NULL */
static struct ident_known *ident_of(struct sq_conn *c, int64_t id, const char *kind, const char *value)
{
	bool upn = strcmp(kind, "upn") == 0;
	for (int i = c->idents_n - 1; i >= 0; i--)
		if (c->idents[i].person == id && c->idents[i].upn == upn && strcmp(c->idents[i].value, value) == 0)
			return &c->idents[i];
	return NULL;
}

/* Person id holds identifier kind value, dated (first_seen set) or not known to be: from the batch's read, or
 * written by this transaction (sent: a refusal fails the pass or rolls back, dropping these). Only while the
 * candidates' answers are kept; a note that finds no room is left out (not known: the record writes its
 * identifiers' parts) */
static void idents_note(struct sq_conn *c, int64_t id, const char *kind, const char *value, bool dated)
{
	if (c->cands_n == 0 || !kind || !value || !*value || (strcmp(kind, "nhs") && strcmp(kind, "upn")))
		return;
	struct ident_known *e = ident_of(c, id, kind, value);
	if (e) {
		e->dated = e->dated || dated;
		return;
	}
	char *v = strdup(value);
	if (!v || !cands_grow((void **)&c->idents, &c->idents_cap, c->idents_n + 1, sizeof *c->idents)) {
		free(v);
		return;
	}
	c->idents[c->idents_n++] = (struct ident_known){id, strcmp(kind, "upn") == 0, dated, v};
}

/* Whether the identifiers' parts of a record's statement (SOURCE_IDENT_CTE) would write nothing for its person
 * (?5): it holds each of the record's identifiers (i's INSERT .. ON CONFLICT DO NOTHING finds it), and each is
 * dated or the record is undated (iu dates only an undated one, from a dated record). Not known: false. Leaving
 * i out also leaves out the value of identifier's sequence that its conflicting insert took: PostgreSQL's
 * identifier ids have fewer gaps (issue 17, r-pgin30) */
static bool ident_noop(struct sq_conn *c, const struct store_source_record *r)
{
	if (c->cands_n == 0)
		return false;
	const char *v[2] = {r->nhs_number, r->upn}, *kind[2] = {"nhs", "upn"};
	for (int i = 0; i < 2; i++) {
		if (!v[i] || !*v[i])
			continue;
		const struct ident_known *e = ident_of(c, r->person_id, kind[i], v[i]);
		if (!e || !(e->dated || r->identifiers_undated))
			return false;
	}
	return true;
}

/* Whether the keys' part of a record's statement (S_BLOCK_ADD's NOT EXISTS) would write nothing for person id:
 * it holds every key from a source record, by the batch's read (held_src) or a record of this transaction
 * (keys_given), and is kept in no merge (the read's has_merged; a person made since is in none: a merge would
 * have dropped the answers). Not known: false (issue 17, r-pgin23) */
static bool keys_noop(struct sq_conn *c, int64_t id, const char *keys_json)
{
	if (c->cands_n == 0 || !keys_json)
		return false;
	bool made = false;
	const struct cand_row *row = cands_row_of(c, id, keys_json, &made);
	if ((!row && !made) || (row && row->c.has_merged))
		return false;
	char *tok[CANDS_KEYS_MAX];
	int n = key_tokens(keys_json, tok, CANDS_KEYS_MAX);
	bool all = n > 0 && n <= (int)(sizeof(unsigned) * 8);
	for (int i = 0; i < n; i++) {
		all = all && ((row && (row->held_src >> i & 1u)) || key_given(c, id, tok[i]));
		free(tok[i]);
	}
	return all;
}

/* A record's statement gave person id the keys keys_json from its source record (sent: a refusal fails the pass
 * or rolls back, dropping these); noted only for a person keys_noop can answer for */
static void keys_given_note(struct sq_conn *c, int64_t id, const char *keys_json)
{
	if (c->cands_n == 0 || !keys_json)
		return;
	bool made = false;
	const struct cand_row *row = cands_row_of(c, id, keys_json, &made);
	if ((!row && !made) || (row && row->c.has_merged))
		return;
	char *tok[CANDS_KEYS_MAX];
	int n = key_tokens(keys_json, tok, CANDS_KEYS_MAX);
	for (int i = 0; i < n; i++) {
		if (!key_given(c, id, tok[i]) &&
		    cands_grow((void **)&c->keys_given, &c->keys_given_cap, c->keys_given_n + 1, sizeof *c->keys_given)) {
			c->keys_given[c->keys_given_n++] = (struct cand_gain){id, tok[i]};
			continue;
		}
		free(tok[i]);
	}
}

static int cand_by_id(const void *a, const void *b)
{
	const struct store_candidate *x = *(const struct store_candidate *const *)a,
				     *y = *(const struct store_candidate *const *)b;
	return (x->person.id > y->person.id) - (x->person.id < y->person.id);
}

static bool cand_listed(const struct store_candidate *const *list, int n, int64_t id)
{
	for (int i = 0; i < n; i++)
		if (list[i]->person.id == id)
			return true;
	return false;
}

/* The answer for a record whose keys are keys_json read with limit, from the batch's read and what was written
 * since: the persons the read found for those keys (their rows as written since), with the persons made or
 * given one of the keys since, by id, up to limit. Its count, the persons in c->cands_answer; -1 when it
 * cannot be known so (not read with the batch, or cut from it; a key given to a person the batch did not read
 * with it; persons added since to a read that stopped at its limit, after which who comes next is not
 * known): the record then reads for itself. */
static int cands_answer(struct sq_conn *c, const char *keys_json, int limit)
{
	if (c->cands_n == 0 || !keys_json)
		return -1;
	const struct cands_known *e = NULL;
	for (int i = 0; i < c->cands_n && !e; i++)
		if (c->cands[i].limit == limit && c->cands[i].ntok >= 0 && strcmp(c->cands[i].keys, keys_json) == 0)
			e = &c->cands[i];
	if (!e)
		return -1;
	for (int i = 0; i < e->ntok; i++)
		if (key_in(e->tok[i], c->cands_keys, c->cands_keys_n))
			return -1;
	int most = e->n + c->cands_made_n + c->cands_gained_n;
	if (!cands_grow((void **)&c->cands_answer, &c->cands_answer_cap, most > 0 ? most : 1, sizeof *c->cands_answer))
		return -1;
	const struct store_candidate **out = c->cands_answer;
	int n = 0;
	for (int i = 0; i < e->n; i++)
		out[n++] = &c->cand_rows[e->first + i].c;
	int found = n;
	for (int i = 0; i < c->cands_made_n; i++) {
		const struct cand_made *m = &c->cands_made[i];
		for (int j = 0; j < m->nkeys; j++)
			if (key_in(m->keys[j], e->tok, e->ntok)) {
				out[n++] = &m->c;
				break;
			}
	}
	for (int i = 0; i < c->cands_gained_n; i++) {
		const struct cand_gain *g = &c->cands_gained[i];
		if (!key_in(g->key, e->tok, e->ntok) || cand_listed(out, n, g->person))
			continue;
		const struct store_candidate *x = NULL;
		for (int j = 0; j < c->cand_rows_n && !x; j++)
			if (c->cand_rows[j].c.person.id == g->person)
				x = &c->cand_rows[j].c;
		if (!x)
			return -1; /* cannot happen: a gain is noted only for a person read */
		out[n++] = x;
	}
	if (n > found) {
		if (e->n >= limit)
			return -1; /* the read stopped at its limit: who comes first is not known */
		qsort(out, (size_t)n, sizeof *out, cand_by_id);
		if (n > limit)
			n = limit;
	}
	return n;
}

/* Which statements name the audit table, by engine (0: stmt_sql's text, 1: PostgreSQL's, pg_override where it
 * has one): found once, not searched at every statement while entries are held */
static bool audit_named[2][S__COUNT];
static pthread_once_t audit_named_once = PTHREAD_ONCE_INIT;

static void audit_named_find(void)
{
	for (int i = 0; i < S__COUNT; i++) {
		const char *pg = pg_override[i] ? pg_override[i] : stmt_sql[i];
		audit_named[0][i] = stmt_sql[i] && strstr(stmt_sql[i], "audit");
		audit_named[1][i] = pg && strstr(pg, "audit");
	}
}

/* Whether the engine's text of statement id names the audit table (held entries are sent before it runs). */
static bool names_audit(const sql_db *db, enum stmt_id id)
{
	if (db->override && db->override != pg_override) { /* an engine the table does not know */
		const char *t = sql_override(db, (int)id);
		if (!t)
			t = stmt_sql[id];
		return t && strstr(t, "audit");
	}
	pthread_once(&audit_named_once, audit_named_find);
	return audit_named[db->override == pg_override][id];
}

/* The statements of an audited read's decision and entry (service/access.c, audit.c): reads, and writes to
 * the audit table, which no fact is read from. Any other statement ends store_access_facts_ahead's answers.
 * That covers this connection's own writes only: the answers stay true against other processes because they
 * are kept only inside a writer's transaction (sq_conn.writer), whose advisory lock stops any other writer
 * committing a seal or an allocation until it ends. Without that lock this list would not be enough. */
static bool facts_keep(enum stmt_id id)
{
	switch (id) {
	case S_ACCESS_FACTS:
	case S_ACCESS_FACTS_MANY:
	case S_AGENCY_CONTRIBUTED:
	case S_CHILD_AWAITING:
	case S_BREAK_GLASS_UNTIL:
	case S_AUDIT_LAST:
	case S_AUDIT_APPEND:
	case S_AUDIT_APPEND_HELD:
		return true;
	default:
		return false;
	}
}

/* ---- store_rule_events' answers kept in a writer's transaction (struct sq_conn, rules) ------------------ */

/* At most this many persons' answers a transaction (a batch is at most TXQ_BATCH_MAX records, a few reads each) */
#define RULES_KNOWN_MAX 128

/* Whether a statement's text may change what S_RULE_EVENTS read: it writes, and names one of its tables */
static bool touches_rules(const char *t)
{
	static const char *const tables[] = {"event", "household", "household_member"};
	if (!t || !(sql_word(t, "INSERT") || sql_word(t, "UPDATE") || sql_word(t, "DELETE") || sql_word(t, "TRUNCATE")))
		return false;
	for (size_t i = 0; i < sizeof tables / sizeof *tables; i++)
		if (sql_word(t, tables[i]))
			return true;
	return false;
}

/* The record's own statements note what they write (rules_note); every other writer of those tables ends the
 * answers, by engine as the candidates' (answer_ends) */
static bool rules_noted(enum stmt_id id)
{
	return (id >= S_SOURCE_EVENT_INSERT && id <= S_SOURCE_EVENT_KEYS_IDS_NOIDENT_HOME_INSERT) ||
	       id == S_MASH_OPEN_CONTACT || id == S_MASH_OPEN_ANSWER;
	/* (mash_open's two write mash_open only; they name event for the rule) */
}

static struct answer_ends rules_ends = {rules_noted, touches_rules, PTHREAD_ONCE_INIT, {{false}}};

static void rules_end_find(void)
{
	answer_ends_fill(&rules_ends);
}

static bool ends_rules(const sql_db *db, enum stmt_id id)
{
	return answer_ends_of(&rules_ends, rules_end_find, db, id);
}

static void rules_known_free(struct rules_known *r)
{
	for (int i = 0; i < r->ev_n; i++)
		free((char *)r->ev[i].details);
	for (int i = 0; i < r->homes_n; i++)
		free(r->homes[i]);
	free(r->ev);
	free(r->mates);
	free(r->homes);
	free(r->kinds);
	free(r->mate_kind);
	memset(r, 0, sizeof *r);
}

/* The i-th person's answer forgotten (the last takes its place) */
static void rules_forget(struct sq_conn *c, int i)
{
	rules_known_free(&c->rules[i]);
	c->rules[i] = c->rules[--c->rules_n];
}

static void made_drop(struct sq_conn *c)
{
	for (int i = 0; i < c->made_n; i++) {
		free(c->made[i].home);
		free((char *)c->made[i].ev.details);
	}
	c->made_n = 0;
}

/* store_rule_events' answers forgotten (struct sq_conn), with what answers a new person's first read (made,
 * homes_sure) */
static void rules_drop(struct sq_conn *c)
{
	while (c->rules_n > 0)
		rules_forget(c, c->rules_n - 1);
	made_drop(c);
	c->homes_sure = false;
}

static struct rules_known *rules_find(struct sq_conn *c, int64_t person, const char *kinds, const char *mate_kind)
{
	for (int i = 0; i < c->rules_n; i++)
		if (c->rules[i].person == person && strcmp(c->rules[i].kinds, kinds) == 0 &&
		    strcmp(c->rules[i].mate_kind, mate_kind) == 0)
			return &c->rules[i];
	return NULL;
}

/* A copy of e (its details too) at the end of r's events; false when out of memory */
static bool rules_add_event(struct rules_known *r, const struct store_event *e)
{
	if (r->ev_n == r->ev_cap) {
		int cap = r->ev_cap ? 2 * r->ev_cap : 16;
		struct store_event *v = realloc(r->ev, (size_t)cap * sizeof *v);
		if (!v)
			return false;
		r->ev = v;
		r->ev_cap = cap;
	}
	struct store_event *x = &r->ev[r->ev_n];
	*x = *e;
	x->summary = "";
	if (!(x->details = strdup(e->details ? e->details : "")))
		return false;
	r->ev_n++;
	return true;
}

static bool rules_is_mate(const struct rules_known *r, int64_t person)
{
	for (int i = 0; i < r->mates_n; i++)
		if (r->mates[i] == person)
			return true;
	return false;
}

static bool rules_add_mate(struct rules_known *r, int64_t person)
{
	if (rules_is_mate(r, person))
		return true;
	if (r->mates_n == r->mates_cap) {
		int cap = r->mates_cap ? 2 * r->mates_cap : 8;
		int64_t *v = realloc(r->mates, (size_t)cap * sizeof *v);
		if (!v)
			return false;
		r->mates = v;
		r->mates_cap = cap;
	}
	r->mates[r->mates_n++] = person;
	return true;
}

static bool rules_has_home(const struct rules_known *r, const char *key)
{
	for (int i = 0; i < r->homes_n; i++)
		if (strcmp(r->homes[i], key) == 0)
			return true;
	return false;
}

static bool rules_add_home(struct rules_known *r, const char *key)
{
	if (r->homes_n == r->homes_cap) {
		int cap = r->homes_cap ? 2 * r->homes_cap : 4;
		char **v = realloc(r->homes, (size_t)cap * sizeof *v);
		if (!v)
			return false;
		r->homes = v;
		r->homes_cap = cap;
	}
	if (!(r->homes[r->homes_n] = strdup(key)))
		return false;
	r->homes_n++;
	return true;
}

/* What a record's statement wrote (sq_source_event_insert): its event e, on e->person_id, as the read would
 * return it (recorded_at the statement's NOW), and its person's membership of household `home` ("" none) */
static void rules_note(struct sq_conn *c, const struct store_source_record *r, const struct store_event *e,
		       int64_t source_id, int64_t event_id, const char *recorded_at)
{
	if (c->rules_n == 0)
		return;
	if (r->person_id != e->person_id) {
		rules_drop(c);
		return;
	}
	const char *home = r->household_key && *r->household_key ? r->household_key : NULL;
	struct store_event x = *e;
	x.id = event_id;
	x.source_record_id = source_id;
	snprintf(x.recorded_at, sizeof x.recorded_at, "%s", recorded_at);
	x.details = e->details && *e->details ? e->details : "{}";
	char quoted[STORE_CODE_MAX + 3];
	snprintf(quoted, sizeof quoted, "\"%s\"", e->kind);
	for (int i = c->rules_n - 1; i >= 0; i--) {
		struct rules_known *k = &c->rules[i];
		bool own = k->person == e->person_id;
		/* a household new to the person brings housemates the read did not see; a household of the
		 * person's that someone new joins brings that one's incidents */
		bool known = home && rules_has_home(k, home);
		if (home && (own ? !known : known && !rules_is_mate(k, e->person_id))) {
			rules_forget(c, i);
			continue;
		}
		bool read = own ? strstr(k->kinds, quoted) != NULL
				: rules_is_mate(k, e->person_id) && strcmp(k->mate_kind, e->kind) == 0;
		if (read && !rules_add_event(k, &x))
			rules_forget(c, i);
	}
}

/* ---- the persons this transaction made (struct sq_conn, made) ------------------------------------------ */

/* At most this many persons a transaction (past it, a new person's first read asks the database) */
#define MADE_MAX 512

/* Person id made by this writer's transaction, in a batch asked about ahead (sq_person_insert) */
static void made_add(struct sq_conn *c, int64_t id)
{
	if (!c->writer || !c->absent_n || !c->db->drv->in_transaction(c->db) || c->made_n >= MADE_MAX)
		return;
	if (c->made_n == c->made_cap) {
		int cap = c->made_cap ? 2 * c->made_cap : 16;
		struct made_person *v = realloc(c->made, (size_t)cap * sizeof *v);
		if (!v)
			return;
		c->made = v;
		c->made_cap = cap;
	}
	struct made_person *m = &c->made[c->made_n++];
	memset(m, 0, sizeof *m);
	m->person = id;
}

static struct made_person *made_find(struct sq_conn *c, int64_t person)
{
	for (int i = 0; i < c->made_n; i++)
		if (c->made[i].person == person)
			return &c->made[i];
	return NULL;
}

/* What a record's statement (sq_source_event_insert, with reserved ids) wrote: its event x (as rules_note
 * makes it) on its person, placed in household `home` (NULL: none), which that statement made when fresh. The
 * person's first record is kept; a second makes its first read ask the database; a record of someone else
 * naming a made person's household takes that person's "alone" away. */
static void made_note(struct sq_conn *c, const struct store_event *x, const char *home, bool fresh)
{
	for (int i = 0; i < c->made_n; i++) {
		struct made_person *m = &c->made[i];
		if (m->person != x->person_id) {
			if (home && m->home && strcmp(m->home, home) == 0)
				m->alone = false;
			continue;
		}
		if (++m->records > 1) {
			m->records = 2;
			m->alone = false;
			continue;
		}
		m->ev = *x;
		m->ev.summary = "";
		m->ev.details = strdup(x->details);
		m->home = home ? strdup(home) : NULL;
		m->alone = m->ev.details && (!home || (fresh && m->home));
	}
}

/* Whether the person's first rules' read is answered by made_answer: this transaction made it, and the one
 * record written on it since left it alone (made_note) */
static struct made_person *made_alone(struct sq_conn *c, int64_t person)
{
	struct made_person *m = c->made_n > 0 && c->writer && c->db->drv->in_transaction(c->db) ? made_find(c, person)
											       : NULL;
	return m && m->records == 1 && m->alone ? m : NULL;
}

/* The read S_RULE_EVENTS would give m's person (made_alone): its record's event, when its kind is one asked
 * for (as the read's instr), and no housemates, so none of theirs; *kept false when r (NULL: not kept) could
 * not take it as the read's rows would fill it. fn's result, or STORE_EIO when out of memory. */
static int made_answer(const struct made_person *m, const char *kinds, struct rules_known *r, bool *kept,
		       store_event_fn fn, void *ctx)
{
	char quoted[STORE_CODE_MAX + 3];
	snprintf(quoted, sizeof quoted, "\"%s\"", m->ev.kind);
	bool own = strstr(kinds, quoted) != NULL;
	if (r && ((m->home && !rules_add_home(r, m->home)) || (own && !rules_add_event(r, &m->ev))))
		*kept = false;
	if (!own)
		return STORE_OK;
	/* a copy: fn's own statements may drop what is made (rules_drop) */
	struct store_event e = m->ev;
	char *details = strdup(m->ev.details);
	if (!details)
		return STORE_EIO;
	e.details = details;
	int u = fn(&e, ctx);
	free(details);
	return u;
}

/* ---- the households this transaction's records named (struct sq_conn, homes_known) ----------------------- */

/* At most this many keys a transaction (a batch is at most TXQ_BATCH_MAX records: past it, not kept) */
#define HOMES_KNOWN_MAX 512

/* Whether a statement's text may take a household away or change its key: it deletes from or updates the table
 * (household_member is another word; an INSERT's ON CONFLICT DO UPDATE names household_member's columns) */
static bool touches_homes(const char *t)
{
	if (!t || !sql_word(t, "household"))
		return false;
	if (sql_word(t, "DELETE") || sql_word(t, "TRUNCATE"))
		return true;
	for (const char *p = t; *p; p++)
		if (strncasecmp(p, "UPDATE household", 16) == 0 && !isalnum((unsigned char)p[16]) && p[16] != '_')
			return true;
	return false;
}

/* the record's own statements add to what is known (home_note): the statements rules_noted names */
static struct answer_ends homes_ends = {rules_noted, touches_homes, PTHREAD_ONCE_INIT, {{false}}};

static void homes_end_find(void)
{
	answer_ends_fill(&homes_ends);
}

static bool ends_homes(const sql_db *db, enum stmt_id id)
{
	return answer_ends_of(&homes_ends, homes_end_find, db, id);
}

static void homes_drop(struct sq_conn *c)
{
	for (int i = 0; i < c->homes_known_n; i++)
		free(c->homes_known[i]);
	c->homes_known_n = 0;
	c->homes_sure = false; /* a household made before the drop is no longer told from one not stored */
}

static bool home_known(const struct sq_conn *c, const char *key)
{
	for (int i = c->homes_known_n - 1; i >= 0; i--)
		if (strcmp(c->homes_known[i], key) == 0)
			return true;
	return false;
}

/* A record of this transaction placed its person in the household of key: it exists now (not kept when out of
 * memory or past HOMES_KNOWN_MAX: the next record names it by the full text) */
static void home_note(struct sq_conn *c, const char *key)
{
	if (!key || !*key || home_known(c, key))
		return;
	c->homes_sure = c->homes_sure && c->homes_known_n < HOMES_KNOWN_MAX; /* one left out: not sure again */
	if (c->homes_known_n >= HOMES_KNOWN_MAX)
		return;
	if (c->homes_known_n == c->homes_known_cap) {
		int cap = c->homes_known_cap ? 2 * c->homes_known_cap : 32;
		char **v = realloc(c->homes_known, (size_t)cap * sizeof *v);
		if (!v) {
			c->homes_sure = false;
			return;
		}
		c->homes_known = v;
		c->homes_known_cap = cap;
	}
	if ((c->homes_known[c->homes_known_n] = strdup(key)))
		c->homes_known_n++;
	else
		c->homes_sure = false;
}

/* The statement, reset and cleared, with the injected clock bound where its SQL asks for it (NOW_SQL). */
static sql_stmt *stmt(struct sq_conn *c, enum stmt_id id)
{
	if (c->facts_n > 0 && !facts_keep(id))
		c->facts_n = 0;
	if (c->cands_n > 0 && ends_cands(c->db, id))
		cands_drop(c);
	if ((c->rules_n > 0 || c->made_n > 0 || c->homes_sure) && !c->rules_noting && ends_rules(c->db, id))
		rules_drop(c);
	if (c->homes_known_n > 0 && ends_homes(c->db, id))
		homes_drop(c);
	if (c->held_n > 0 && id != S_AUDIT_APPEND_HELD && names_audit(c->db, id) && audit_held_flush(c) != STORE_OK)
		return NULL;
	sql_stmt *s = sql_prepare(c->db, (int)id, stmt_text(c->db, id));
	if (s && sql_bind_parameter_count(s) >= SQL_NOW_PARAM) {
		ts_format_utc(clock_now(), c->now);
		sql_bind_text(s, SQL_NOW_PARAM, c->now, -1);
	}
	return s;
}

static int store_new(const char *url, sql_db *(*connect)(const char *, char *, size_t), const char *const *override,
		     int override_count, const char *const *own_migration, store **out, char *err, size_t errsz)
{
	struct sq_store *st = calloc(1, sizeof *st);
	if (!st || !(st->url = strdup(url))) {
		free(st);
		snprintf(err, errsz, "out of memory");
		return STORE_EIO;
	}
	st->head.ops = &store_sqlite_ops;
	st->connect = connect;
	st->override = override;
	st->override_count = override_count;
	st->own_migration = own_migration;
	pthread_mutex_init(&st->lock, NULL);
	/* Open one connection now so that a bad path is reported at open, not at first use. */
	struct sq_conn *c = conn_new(st, false, err, errsz);
	if (!c) {
		pthread_mutex_destroy(&st->lock);
		free(st->url);
		free(st);
		return STORE_EURL;
	}
	st->idle = c;
	st->open_conns = 1;
	*out = &st->head;
	return STORE_OK;
}

static int sq_open(const char *path, store **out, char *err, size_t errsz)
{
	if (!*path) {
		snprintf(err, errsz, "sqlite: URL needs a file path (sqlite:PATH)");
		return STORE_EURL;
	}
	pthread_once(&lite_sql_once, lite_sql_fill);
	return store_new(path, sql_sqlite_open, NULL, 0, NULL, out, err, errsz);
}


int store_pg_open(const char *url, store **out, char *err, size_t errsz)
{
	return store_new(url, sql_pg_open, pg_override, S__COUNT, pg_migration, out, err, errsz);
}

static void sq_close(store *s)
{
	struct sq_store *st = (struct sq_store *)s;
	while (st->idle) {
		struct sq_conn *c = st->idle;
		st->idle = c->next_idle;
		conn_free(c);
	}
	while (st->read_idle) {
		struct sq_conn *c = st->read_idle;
		st->read_idle = c->next_idle;
		conn_free(c);
	}
	pthread_mutex_destroy(&st->lock);
	free(st->read_url);
	free(st->url);
	free(st);
}

static bool conn_lost(struct sq_conn *c)
{
	return c->db->drv->lost && c->db->drv->lost(c->db);
}

/* For the operator, why the pool could not connect (libpq's words: a host and a reason, never a password nor
 * personal data); under st->lock, and only when it differs from the last said, so an outage is one line, not
 * one a request. */
static void tell_connect_failure(struct sq_store *st, const char *err)
{
	if (strcmp(st->last_connect_err, err) == 0)
		return;
	snprintf(st->last_connect_err, sizeof st->last_connect_err, "%s", err);
	fprintf(stderr, "safeguard: cannot open a database connection: %s\n", err);
}

static struct sq_conn *pool_take(struct sq_store *st, bool *reused)
{
	struct sq_conn *c = NULL, *stale = NULL;
	pthread_mutex_lock(&st->lock);
	while (st->idle && st->idle->gen != st->gen) { /* opened before a connection was lost: drop it */
		struct sq_conn *old = st->idle;
		st->idle = old->next_idle;
		old->next_idle = stale;
		stale = old;
		st->open_conns--;
	}
	if ((*reused = st->idle != NULL)) {
		c = st->idle;
		st->idle = c->next_idle;
	} else if (st->open_conns < POOL_MAX) {
		st->open_conns++;
		unsigned gen = st->gen;
		pthread_mutex_unlock(&st->lock);
		char err[512];
		c = conn_new(st, false, err, sizeof err);
		if (c)
			c->gen = gen;
		pthread_mutex_lock(&st->lock);
		if (!c) {
			st->open_conns--;
			tell_connect_failure(st, err);
		} else {
			st->last_connect_err[0] = '\0'; /* connected again: the next failure is news */
		}
	}
	pthread_mutex_unlock(&st->lock);
	while (stale) {
		struct sq_conn *next = stale->next_idle;
		conn_free(stale);
		stale = next;
	}
	return c;
}

/* A connection that sat idle is looked at before it is handed on (sql.h usable: on PostgreSQL no round trip
 * unless it sat idle long): one the server ended meanwhile is closed and the next taken, so that a restart,
 * an idle timeout or pg_terminate_backend between two requests fails neither (docs/SCALING.md). Bounded: at
 * most every connection of the pool, then a new one. */
static bool conn_usable(struct sq_conn *c)
{
	return !c->db->drv->usable || c->db->drv->usable(c->db, mono_seconds() - c->idle_since);
}

/* Closes a connection the pool will not hand on. lost: it failed in use, so the connections opened before it
 * are dropped too (its pool's generation moves on); else it only sat idle too long to be trusted. */
static void conn_discard(struct sq_store *st, struct sq_conn *c, bool lost)
{
	pthread_mutex_lock(&st->lock);
	unsigned *gen = c->reader ? &st->read_gen : &st->gen;
	if (lost && c->gen == *gen)
		(*gen)++;
	if (c->reader)
		st->read_open--;
	else
		st->open_conns--;
	pthread_mutex_unlock(&st->lock);
	conn_free(c);
}

static store_conn *sq_conn_get(store *s)
{
	struct sq_store *st = (struct sq_store *)s;
	for (int i = 0; i <= POOL_MAX; i++) {
		bool reused = false;
		struct sq_conn *c = pool_take(st, &reused);
		if (!c || !reused || conn_usable(c))
			return c ? &c->head : NULL;
		conn_discard(st, c, false);
	}
	return NULL;
}

static void forget(store_conn *c);

static void sq_conn_put(store *s, store_conn *sc)
{
	struct sq_store *st = (struct sq_store *)s;
	struct sq_conn *c = (struct sq_conn *)sc;
	if (!c)
		return;
	if (!conn_lost(c) && c->db->drv->in_transaction(c->db)) /* a caller left a transaction open: never hand it on */
		sql_rollback(c->db);
	forget(&c->head); /* with that transaction: held entries, the chain's head, ... */
	c->writer = false;
	if (conn_lost(c)) { /* never handed on: closed, and the connections opened before it are dropped too */
		conn_discard(st, c, true);
		return;
	}
	c->idle_since = mono_seconds();
	pthread_mutex_lock(&st->lock);
	if (c->reader) {
		c->next_idle = st->read_idle;
		st->read_idle = c;
	} else {
		c->next_idle = st->idle;
		st->idle = c;
	}
	pthread_mutex_unlock(&st->lock);
}

static struct sq_conn *read_take(struct sq_store *st, bool *reused)
{
	struct sq_conn *c = NULL, *stale = NULL;
	pthread_mutex_lock(&st->lock);
	while (st->read_idle && st->read_idle->gen != st->read_gen) {
		struct sq_conn *old = st->read_idle;
		st->read_idle = old->next_idle;
		old->next_idle = stale;
		stale = old;
		st->read_open--;
	}
	if ((*reused = st->read_idle != NULL)) {
		c = st->read_idle;
		st->read_idle = c->next_idle;
	} else if (st->read_open < POOL_MAX) {
		st->read_open++;
		unsigned gen = st->read_gen;
		pthread_mutex_unlock(&st->lock);
		char err[512];
		c = conn_new(st, true, err, sizeof err);
		if (c)
			c->gen = gen;
		pthread_mutex_lock(&st->lock);
		if (!c)
			st->read_open--;
	}
	pthread_mutex_unlock(&st->lock);
	while (stale) {
		struct sq_conn *next = stale->next_idle;
		conn_free(stale);
		stale = next;
	}
	return c;
}

/* A connection for a snapshot read: from the read pool when there is one and it can connect, else the
 * primary's (a replica that is down costs the reads nothing but the attempt). */
static store_conn *sq_conn_get_read(store *s)
{
	struct sq_store *st = (struct sq_store *)s;
	if (!st->read_url)
		return sq_conn_get(s);
	for (int i = 0; i <= POOL_MAX; i++) {
		bool reused = false;
		struct sq_conn *c = read_take(st, &reused);
		if (!c)
			break;
		if (!reused || conn_usable(c))
			return &c->head;
		conn_discard(st, c, false);
	}
	return sq_conn_get(s);
}

static int sq_set_read_url(store *s, const char *url, char *err, size_t errsz)
{
	struct sq_store *st = (struct sq_store *)s;
	if (st->connect != sql_pg_open || strncmp(url, "postgresql://", 13) != 0) {
		snprintf(err, errsz, "--db-read needs --db postgresql://... and a postgresql:// URL (a replica of it)");
		return STORE_EURL;
	}
	if (st->read_url || !(st->read_url = strdup(url))) {
		snprintf(err, errsz, "out of memory");
		return STORE_EIO;
	}
	/* Checked now, so that a wrong URL is told at start rather than at the first page. */
	struct sq_conn *c = conn_new(st, true, err, errsz);
	if (!c) {
		free(st->read_url);
		st->read_url = NULL;
		return STORE_EURL;
	}
	pthread_mutex_lock(&st->lock);
	st->read_open++;
	c->next_idle = st->read_idle;
	st->read_idle = c;
	st->remote_apply = true;
	/* the primary's connections opened before: set up as conn_new now does */
	for (struct sq_conn *p = st->idle; p; p = p->next_idle)
		sql_exec(p->db, "SET synchronous_commit = remote_apply");
	pthread_mutex_unlock(&st->lock);
	return STORE_OK;
}

static const char *sq_errmsg(store_conn *sc)
{
	if (((struct sq_conn *)sc)->held_failed)
		return ((struct sq_conn *)sc)->held_failed_msg;
	return sql_errmsg(((struct sq_conn *)sc)->db);
}

/* ---- migrations -------------------------------------------------------------------------------------- */

static int bulk_build_held(struct sq_conn *x, int *built, char *err, size_t errsz);

/* The migration that made bulk_held_index (27): a database at an older version holds nothing. */
#define MIGRATION_BULK_HELD 27
/* The migration that made link_counts (31): its row is filled from the store in the same transaction, at the
 * clock's time (a bound parameter, which a migration's script has not). */
#define MIGRATION_LINK_COUNTS 31
static int link_counts_fill(struct sq_conn *c);

/* A file migrated by a newer binary: "run migrate" would do nothing (migrations only go up). Either a binary of
 * the file's version, or each newer migration undone by hand, newest first, as docs/INTERNALS.md ("Undoing a
 * migration") writes them out: that text is the newer binary's, which knows its migrations. */
static void schema_newer_msg(int v, char *err, size_t errsz)
{
	if (v == STORE_SCHEMA_VERSION + 1)
		snprintf(err, errsz,
			 "database schema is version %d, newer than this binary's %d: run a binary of schema %d, or undo "
			 "migration %d by hand (docs/INTERNALS.md, \"Undoing a migration\"); 'safeguard migrate' cannot go down",
			 v, STORE_SCHEMA_VERSION, v, v);
	else
		snprintf(err, errsz,
			 "database schema is version %d, newer than this binary's %d: run a binary of schema %d, or undo "
			 "migrations %d down to %d by hand, newest first (docs/INTERNALS.md, \"Undoing a migration\"); "
			 "'safeguard migrate' cannot go down",
			 v, STORE_SCHEMA_VERSION, v, v, STORE_SCHEMA_VERSION + 1);
}

static int sq_migrate(store *s, int *from, int *to, char *err, size_t errsz)
{
	struct sq_store *st = (struct sq_store *)s;
	struct sq_conn *c = (struct sq_conn *)sq_conn_get(s);
	int rc = STORE_OK, v = 0;
	if (!c) {
		snprintf(err, errsz, "cannot connect to the database");
		return STORE_EIO;
	}
	if ((rc = c->db->drv->schema_version(c->db, &v)) != STORE_OK) {
		snprintf(err, errsz, "cannot read schema version: %s", sql_errmsg(c->db));
		goto out;
	}
	if (from)
		*from = v;
	if (v > STORE_SCHEMA_VERSION) {
		schema_newer_msg(v, err, errsz);
		rc = STORE_ESCHEMA;
		goto out;
	}
	/* The indexes a bulk load that stopped half-way held back (store_bulk.h), built again first: their
	 * statements were read from the schema at the version the database is at, and a later migration that
	 * changes one (drops, renames or makes it again) would otherwise clash with it ("already exists"). */
	int built = 0;
	if (v >= MIGRATION_BULK_HELD && (rc = bulk_build_held(c, &built, err, errsz)) != STORE_OK)
		goto out;
	for (; v < STORE_SCHEMA_VERSION; v++) {
		/* One transaction a version; the driver sets the version inside it. */
		if (sql_begin(c->db, true) != STORE_OK ||
		    c->db->drv->migrate_one(c->db, v + 1, migrations[v], st->own_migration ? st->own_migration[v] : NULL) !=
			STORE_OK ||
		    (v + 1 == MIGRATION_LINK_COUNTS && link_counts_fill(c) != STORE_OK)) {
			snprintf(err, errsz, "migration %d failed: %s", v + 1, sql_errmsg(c->db));
			sql_rollback(c->db);
			rc = STORE_EIO;
			goto out;
		}
		if (sql_commit(c->db) != STORE_OK) {
			snprintf(err, errsz, "migration %d did not commit: %s", v + 1, sql_errmsg(c->db));
			rc = STORE_EIO;
			goto out;
		}
	}
out:
	if (to)
		*to = v;
	/* Connections opened before the migration cached no statements against the old schema: statements are
	 * prepared lazily (SQLite re-prepares on schema change; PostgreSQL's are prepared on first use). */
	sq_conn_put(s, &c->head);
	return rc;
}

static int sq_check_schema(store *s, char *err, size_t errsz)
{
	struct sq_conn *c = (struct sq_conn *)sq_conn_get(s);
	int v = 0, rc;
	if (!c) {
		snprintf(err, errsz, "cannot connect to the database");
		return STORE_EIO;
	}
	rc = c->db->drv->schema_version(c->db, &v);
	sq_conn_put(s, &c->head);
	if (rc != STORE_OK) {
		snprintf(err, errsz, "cannot read the schema version");
		return rc;
	}
	if (v > STORE_SCHEMA_VERSION) {
		schema_newer_msg(v, err, errsz);
		return STORE_ESCHEMA;
	}
	if (v != STORE_SCHEMA_VERSION) {
		snprintf(err, errsz, "database schema is version %d, this binary needs %d: run 'safeguard migrate'", v,
			 STORE_SCHEMA_VERSION);
		return STORE_ESCHEMA;
	}
	return STORE_OK;
}

/* ---- helpers for the statements ---------------------------------------------------------------------- */

#define CONN(sc) ((struct sq_conn *)(sc))

/* Runs a statement that returns no rows (or the one row of RETURNING id, which sql_step keeps). */
static int run(sql_stmt *s)
{
	if (!s)
		return STORE_EIO;
	int rc = sql_step(s);
	for (int i = 0; rc == SQL_ROW && i < 16; i++)
		rc = sql_step(s);
	int out = map_rc(rc);
	sql_reset(s);
	return out;
}

static void text(sql_stmt *s, int i, const char *v)
{
	sql_bind_text(s, i, v ? v : "", -1);
}

/* Binds the reader's view (VIEW_PERSON, VIEW_EVENT, VIEW_ALERT) into the parameters the statement has. */
static void bind_view(sql_stmt *s, const struct store_view *v)
{
	int n = sql_bind_parameter_count(s);
	if (n >= 61)
		sql_bind_int(s, 61, v->sealed);
	if (n >= 62 && v->agency)
		text(s, 62, v->agency);
	if (n >= 64 && v->private_agency && v->private_categories) {
		text(s, 63, v->private_agency);
		text(s, 64, v->private_categories);
	}
}

/* Whether the view leaves no event out (VIEW_EVENT is true for every row): bind_view binds neither ?62 nor
 * ?63/?64 then. */
static bool view_every_event(const struct store_view *v)
{
	return !v->agency && !(v->private_agency && v->private_categories);
}

/* Whether the view leaves no alert out (VIEW_ALERT is true for every alert: ?62 is NULL). Sealed persons are
 * VIEW_PERSON's, asked apart. */
static bool view_every_alert(const struct store_view *v)
{
	return !v->agency;
}

/* Copies a text column into a fixed buffer (columns are bounded by the API's limits; truncation is a bug
 * that shows as a shortened value, never an overflow). */
static void col_copy(sql_stmt *s, int i, char *dst, size_t dstsz)
{
	int n = 0;
	const unsigned char *v = sql_column_text_len(s, i, &n);
	size_t len = v ? (size_t)n : 0;
	if (len >= dstsz)
		len = dstsz - 1;
	if (len)
		memcpy(dst, v, len);
	dst[len] = '\0';
}

static const char *col_str(sql_stmt *s, int i)
{
	const unsigned char *v = sql_column_text(s, i);
	return v ? (const char *)v : "";
}

/* A statement returning one integer (or NULL, read as 0). */
static int one_int(sql_stmt *s, int64_t *out)
{
	if (!s)
		return STORE_EIO;
	int rc = sql_step(s);
	*out = rc == SQL_ROW ? sql_column_int64(s, 0) : 0;
	int r = map_rc(rc);
	sql_reset(s);
	return r;
}

/* ---- transactions ------------------------------------------------------------------------------------ */

/* What a transaction's end (or a ROLLBACK TO) makes unknown again: see struct sq_conn. */
static void forget(store_conn *c)
{
	CONN(c)->audit_head_known = false;
	CONN(c)->model_id_known = -1;
	audit_held_drop(CONN(c)); /* sent before a COMMIT (sq_commit); a rollback takes them with it */
	CONN(c)->held_failed = false;
	absent_drop(CONN(c));
	cands_drop(CONN(c));
	rules_drop(CONN(c));
	homes_drop(CONN(c));
	CONN(c)->facts_n = 0;
	CONN(c)->auth_gen_known = false;
}

/* A writer's transaction: on SQLite BEGIN IMMEDIATE takes the one write lock; on PostgreSQL the driver takes
 * one advisory lock after BEGIN, so writers serialise there too (store/drv_pg.c). */
static int sq_begin(store_conn *c)
{
	forget(c);
	CONN(c)->clients_changed = false;
	int rc = sql_begin(CONN(c)->db, true);
	CONN(c)->writer = rc == STORE_OK;
	return rc;
}
static int sq_begin_read(store_conn *c)
{
	forget(c);
	CONN(c)->clients_changed = false;
	CONN(c)->writer = false;
	return sql_begin(CONN(c)->db, false);
}
/* A connection lost while COMMIT was on its way (the driver's STORE_EUNAVAIL, its .lost set) leaves the outcome
 * unknown: the server may have committed before the answer was cut off (STORE_EUNKNOWN, store_core.h). */
static int sq_commit(store_conn *c)
{
	if (CONN(c)->held_failed) /* kept set: only a rollback clears it */
		return STORE_EIO;
	int rc = audit_held_flush(CONN(c)); /* its refusal fails the commit: the caller rolls back */
	if (rc != STORE_OK)
		return rc;
	forget(c);
	CONN(c)->writer = false;
	CONN(c)->clients_changed = false;
	rc = sql_commit(CONN(c)->db);
	return rc == STORE_EUNAVAIL ? STORE_EUNKNOWN : rc;
}
static int sq_rollback(store_conn *c)
{
	forget(c);
	CONN(c)->writer = false;
	CONN(c)->clients_changed = false;
	return sql_rollback(CONN(c)->db);
}
/* Held audit entries are sent before a savepoint starts (a rollback to it then drops only those after it) and
 * before it is released (a refusal fails the job it belongs to: service/txq.c). */
static int sq_savepoint(store_conn *c)
{
	int rc = audit_held_flush(CONN(c));
	return rc ? rc : run(stmt(CONN(c), S_SAVEPOINT));
}
static int sq_release(store_conn *c)
{
	if (CONN(c)->held_failed)
		return STORE_EIO;
	int rc = audit_held_flush(CONN(c));
	return rc ? rc : run(stmt(CONN(c), S_RELEASE));
}

static int sq_savepoint_rollback(store_conn *c)
{
	forget(c);
	int rc = run(stmt(CONN(c), S_ROLLBACK_TO));
	return rc ? rc : run(stmt(CONN(c), S_RELEASE));
}

static void sq_counters(store_conn *c, uint64_t *statements, uint64_t *round_trips)
{
	*statements = CONN(c)->db->statements;
	*round_trips = CONN(c)->db->round_trips;
}

static void sq_ahead_counts(store_conn *c, struct store_ahead_counts *out)
{
	const sql_db *db = CONN(c)->db;
	out->sent = db->sent;
	out->taken = db->sent_taken;
	out->fresh = db->fresh;
}

static int sq_ping(store_conn *c)
{
	int64_t one = 0;
	int rc = one_int(stmt(CONN(c), S_PING), &one);
	return rc ? rc : (one == 1 ? STORE_OK : STORE_EIO);
}

/* ---- agencies and clients ---------------------------------------------------------------------------- */

static int sq_agency_upsert(store_conn *c, const char *code, const char *name)
{
	sql_stmt *s = stmt(CONN(c), S_AGENCY_UPSERT);
	if (!s)
		return STORE_EIO;
	text(s, 1, code);
	text(s, 2, name);
	return run(s);
}

static int each_row(sql_stmt *s, int (*row)(sql_stmt *s, void *arg), void *arg);

struct agency_walk {
	store_agency_fn fn;
	void *ctx;
};

static int agency_row(sql_stmt *s, void *arg)
{
	struct agency_walk *w = arg;
	struct store_agency a;
	memset(&a, 0, sizeof a);
	col_copy(s, 0, a.code, sizeof a.code);
	col_copy(s, 1, a.name, sizeof a.name);
	return w->fn(&a, w->ctx);
}

static int sq_agencies(store_conn *c, store_agency_fn fn, void *ctx)
{
	sql_stmt *s = stmt(CONN(c), S_AGENCIES);
	struct agency_walk w = {fn, ctx};
	if (!s)
		return STORE_EIO;
	return each_row(s, agency_row, &w);
}

static int sq_agency_exists(store_conn *c, const char *code, bool *found)
{
	sql_stmt *s = stmt(CONN(c), S_AGENCY_EXISTS);
	int64_t v = 0;
	if (!s)
		return STORE_EIO;
	text(s, 1, code);
	int rc = one_int(s, &v);
	*found = v == 1;
	return rc;
}

/* Every function that writes api_client calls this first (store_clients_changed). The generation memoised
 * for the transaction is forgotten too: the change moves it, and the next read must see that. */
static void clients_touched(struct sq_conn *k)
{
	k->clients_changed = true;
	k->auth_gen_known = false;
}

static bool sq_clients_changed(store_conn *c)
{
	return CONN(c)->clients_changed;
}

static int sq_client_insert(store_conn *c, const char *agency, const uint8_t hash[STORE_TOKEN_HASH_LEN],
			    const char *label, const char *scope, const char *created_by, bool pending, int64_t *id)
{
	sql_stmt *s = stmt(CONN(c), S_CLIENT_INSERT);
	clients_touched(CONN(c));
	if (!s)
		return STORE_EIO;
	text(s, 1, agency);
	sql_bind_blob(s, 2, hash, STORE_TOKEN_HASH_LEN);
	text(s, 3, label);
	text(s, 4, scope);
	text(s, 5, created_by);
	sql_bind_int(s, 6, pending);
	int rc = run(s);
	if (rc == STORE_OK)
		*id = sql_last_insert_id(CONN(c)->db);
	return rc;
}

static int sq_client_find(store_conn *c, const uint8_t hash[STORE_TOKEN_HASH_LEN], struct store_client *out,
			  bool *found)
{
	sql_stmt *s = stmt(CONN(c), S_CLIENT_FIND);
	if (!s)
		return STORE_EIO;
	sql_bind_blob(s, 1, hash, STORE_TOKEN_HASH_LEN);
	int rc = sql_step(s);
	*found = rc == SQL_ROW;
	if (*found) {
		out->id = sql_column_int64(s, 0);
		col_copy(s, 1, out->agency, sizeof out->agency);
		col_copy(s, 2, out->scope, sizeof out->scope);
		col_copy(s, 3, out->label, sizeof out->label);
		col_copy(s, 4, out->created_by, sizeof out->created_by);
		out->pending = sql_column_int(s, 5) != 0;
	}
	int r = map_rc(rc);
	sql_reset(s);
	return r;
}

static int sq_auth_generation(store_conn *c, int64_t *gen)
{
	struct sq_conn *k = CONN(c);
	if (k->writer && k->auth_gen_known)
		return *gen = k->auth_gen, STORE_OK;
	sql_stmt *s = stmt(k, S_AUTH_GENERATION);
	if (!s)
		return STORE_EIO;
	int rc = sql_step(s);
	*gen = rc == SQL_ROW ? sql_column_int64(s, 0) : 0;
	/* No row (removed behind the triggers' back): no generation to trust, so nothing cached is accepted. */
	int r = rc == SQL_ROW ? STORE_OK : rc == SQL_DONE ? STORE_EIO : map_rc(rc);
	sql_reset(s);
	if (r == STORE_OK && k->writer && !k->clients_changed) { /* after a change of its own: read every time */
		k->auth_gen_known = true;
		k->auth_gen = *gen;
	}
	return r;
}

/* ---- persons ----------------------------------------------------------------------------------------- */

static int sq_person_insert(store_conn *c, const struct store_person *p, int64_t *id)
{
	sql_stmt *s = stmt(CONN(c), S_PERSON_INSERT);
	if (!s)
		return STORE_EIO;
	text(s, 1, p->given_name);
	text(s, 2, p->middle_names);
	text(s, 3, p->family_name);
	text(s, 4, p->dob);
	text(s, 5, p->sex);
	text(s, 6, p->postcode);
	text(s, 7, p->address);
	text(s, 8, p->match_key);
	text(s, 9, p->given_fold);
	text(s, 10, p->family_fold);
	text(s, 11, p->communication_needs);
	text(s, 12, p->disability);
	text(s, 13, p->ethnicity);
	text(s, 14, p->first_language);
	int rc = run(s);
	if (rc == STORE_OK)
		*id = sql_last_insert_id(CONN(c)->db);
	if (rc == STORE_OK) { /* a person the batch's candidates may now include (store_block_candidates_ahead) */
		cands_note_made(CONN(c), p, *id);
		made_add(CONN(c), *id); /* and whose first rules' read may need no statement */
	}
	return rc;
}

static void person_row(sql_stmt *s, struct store_person *p)
{
	p->id = sql_column_int64(s, 0);
	col_copy(s, 1, p->given_name, sizeof p->given_name);
	col_copy(s, 2, p->middle_names, sizeof p->middle_names);
	col_copy(s, 3, p->family_name, sizeof p->family_name);
	col_copy(s, 4, p->dob, sizeof p->dob);
	col_copy(s, 5, p->sex, sizeof p->sex);
	col_copy(s, 6, p->postcode, sizeof p->postcode);
	col_copy(s, 7, p->address, sizeof p->address);
	col_copy(s, 8, p->match_key, sizeof p->match_key);
	col_copy(s, 9, p->created_at, sizeof p->created_at);
	col_copy(s, 10, p->communication_needs, sizeof p->communication_needs);
	col_copy(s, 11, p->disability, sizeof p->disability);
	col_copy(s, 12, p->ethnicity, sizeof p->ethnicity);
	col_copy(s, 13, p->first_language, sizeof p->first_language);
	p->given_fold[0] = p->family_fold[0] = '\0';
}

/* Each read that store_send_ahead may send is prepared and bound by one function, which both the read and
 * the sending call, so that the read finds what was sent (store/sql.h sql_send: bound alike). */
static sql_stmt *person_get_stmt(store_conn *c, int64_t id)
{
	sql_stmt *s = stmt(CONN(c), S_PERSON_GET);
	if (s)
		sql_bind_int64(s, 1, id);
	return s;
}

static int sq_person_get(store_conn *c, int64_t id, struct store_person *out, bool *found)
{
	sql_stmt *s = person_get_stmt(c, id);
	if (!s)
		return STORE_EIO;
	int rc = sql_step(s);
	*found = rc == SQL_ROW;
	if (*found)
		person_row(s, out);
	int r = map_rc(rc);
	sql_reset(s);
	return r;
}

static int sq_person_exists(store_conn *c, int64_t id, bool *found)
{
	sql_stmt *s = stmt(CONN(c), S_PERSON_EXISTS);
	int64_t n = 0;
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, id);
	int rc = one_int(s, &n);
	*found = n == 1;
	return rc;
}

static int sq_person_update_attributes(store_conn *c, int64_t id, const struct store_person *p)
{
	cands_note_attrs(CONN(c), id, p);
	sql_stmt *s = stmt(CONN(c), S_PERSON_ATTRS);
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, id);
	text(s, 2, p->communication_needs);
	text(s, 3, p->disability);
	text(s, 4, p->ethnicity);
	text(s, 5, p->first_language);
	return run(s);
}

struct person_walk {
	store_person_fn fn;
	void *ctx;
	struct store_person p; /* reused per row: 8 KiB is too much to put on the stack for each */
};

static int person_walk_row(sql_stmt *s, void *arg)
{
	struct person_walk *w = arg;
	person_row(s, &w->p);
	w->p.match_key[0] = '\0';
	return w->fn(&w->p, w->ctx);
}

static int each_row(sql_stmt *s, int (*row)(sql_stmt *s, void *arg), void *arg);

/* Runs statement `which` bound to ?1 = id (and ?2 = limit when limit >= 0) and hands each row to row(). */
static int each_row_of(store_conn *c, int which, int64_t id, int limit, int (*row)(sql_stmt *s, void *arg),
		       void *arg)
{
	sql_stmt *s = stmt(CONN(c), which);
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, id);
	if (limit >= 0)
		sql_bind_int(s, 2, limit);
	return each_row(s, row, arg);
}

/* Walks the persons a bound statement returns. */
static int each_person(sql_stmt *s, store_person_fn fn, void *ctx)
{
	struct person_walk *w = malloc(sizeof *w);
	if (!w) {
		sql_reset(s);
		return STORE_EIO;
	}
	w->fn = fn;
	w->ctx = ctx;
	int rc = each_row(s, person_walk_row, w);
	free(w);
	return rc;
}

static int sq_person_search(store_conn *c, const struct store_view *v, const struct store_search *q, store_person_fn fn,
			    void *ctx)
{
	sql_stmt *s;
	int limit = q->limit > 0 ? q->limit : 50;
	if (q->nhs || q->upn) {
		if (!(s = stmt(CONN(c), S_SEARCH_IDENT)))
			return STORE_EIO;
		bind_view(s, v);
		text(s, 1, q->nhs ? "nhs" : "upn");
		text(s, 2, q->nhs ? q->nhs : q->upn);
		sql_bind_int(s, 3, limit);
		return each_person(s, fn, ctx);
	}
	if (!(s = stmt(CONN(c), S_SEARCH_NAME)))
		return STORE_EIO;
	bind_view(s, v);
	text(s, 1, q->family_prefix);
	text(s, 2, q->given_prefix);
	text(s, 3, q->dob);
	text(s, 4, q->dob_alt && *q->dob_alt ? q->dob_alt : q->dob);
	sql_bind_int(s, 5, limit);
	return each_person(s, fn, ctx);
}

static int sq_person_by_identifier(store_conn *c, const char *kind, const char *value, int64_t *person_id)
{
	sql_stmt *s = stmt(CONN(c), S_PERSON_BY_IDENT);
	if (!s)
		return STORE_EIO;
	text(s, 1, kind);
	text(s, 2, value);
	return one_int(s, person_id);
}

static int sq_person_by_match_key(store_conn *c, const char *key, int64_t *person_id)
{
	sql_stmt *s = stmt(CONN(c), S_PERSON_BY_KEY);
	if (!s)
		return STORE_EIO;
	text(s, 1, key);
	return one_int(s, person_id);
}

/* undated: first_seen "" (a record that readers outside health may not see: store_source_record) */
static int identifier_add(store_conn *c, int64_t person_id, const char *kind, const char *value,
			  int64_t source_record_id, bool undated)
{
	cands_note_ident(CONN(c), person_id, kind, value);
	sql_stmt *s = stmt(CONN(c), S_IDENT_ADD);
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, person_id);
	text(s, 2, kind);
	text(s, 3, value);
	sql_bind_int64(s, 4, source_record_id);
	sql_bind_int64(s, 5, undated);
	int rc = run(s);
	if (rc == STORE_OK) /* held now, and dated by a dated add (IDENT_DATED_LATER) */
		idents_note(CONN(c), person_id, kind, value, !undated);
	return rc;
}

static int sq_identifier_add(store_conn *c, int64_t person_id, const char *kind, const char *value,
			     int64_t source_record_id)
{
	return identifier_add(c, person_id, kind, value, source_record_id, false);
}

/* Walks the rows of a prepared, bound statement, calling row() for each; stops early when row() does. */
static int each_row(sql_stmt *s, int (*row)(sql_stmt *s, void *arg), void *arg)
{
	int rc, r = STORE_OK;
	while ((rc = sql_step(s)) == SQL_ROW)
		if ((r = row(s, arg)) != 0)
			break;
	if (r == 0)
		r = map_rc(rc);
	sql_reset(s);
	return r;
}

struct ident_walk {
	store_identifier_fn fn;
	void *ctx;
};

static int ident_row(sql_stmt *s, void *arg)
{
	struct ident_walk *w = arg;
	return w->fn(col_str(s, 0), col_str(s, 1), col_str(s, 2), w->ctx);
}

static sql_stmt *identifiers_stmt(store_conn *c, int64_t person_id)
{
	sql_stmt *s = stmt(CONN(c), S_IDENT_EACH);
	if (s)
		sql_bind_int64(s, 1, person_id);
	return s;
}

static int sq_identifiers_each(store_conn *c, int64_t person_id, store_identifier_fn fn, void *ctx)
{
	sql_stmt *s = identifiers_stmt(c, person_id);
	struct ident_walk w = {fn, ctx};
	if (!s)
		return STORE_EIO;
	return each_row(s, ident_row, &w);
}

/* ---- households -------------------------------------------------------------------------------------- */

static int sq_household_join(store_conn *c, const char *key, const char *postcode, const char *address,
			     int64_t person_id, const char *seen_at, int64_t *household_id)
{
	sql_stmt *s;
	int rc;
	if (!household_id && sql_override(CONN(c)->db, S_HOUSEHOLD_JOIN_BY_KEY)) {
		if (!(s = stmt(CONN(c), S_HOUSEHOLD_JOIN_BY_KEY)))
			return STORE_EIO;
		text(s, 1, key);
		sql_bind_int64(s, 2, person_id);
		text(s, 3, seen_at);
		text(s, 4, postcode);
		text(s, 5, address);
		return run(s);
	}
	int64_t hid = 0;
	if (!household_id) {
		/* SQLite (issue 17): what is there read first (S_MEMBER_HELD), then only what is missing written */
		if (!(s = stmt(CONN(c), S_MEMBER_HELD)))
			return STORE_EIO;
		text(s, 1, key);
		sql_bind_int64(s, 2, person_id);
		text(s, 3, seen_at);
		bool held = false;
		int r = sql_step(s);
		if (r == SQL_ROW) {
			hid = sql_column_int64(s, 0);
			held = sql_column_int64(s, 1) != 0;
		}
		rc = r == SQL_ROW || r == SQL_DONE ? STORE_OK : map_rc(r);
		sql_reset(s);
		if (rc != STORE_OK || held)
			return rc;
		if (!hid) { /* absent in this write transaction: the writer's lock keeps it so */
			if (!(s = stmt(CONN(c), S_HOUSEHOLD_INSERT)))
				return STORE_EIO;
			text(s, 1, key);
			text(s, 2, postcode);
			text(s, 3, address);
			if ((rc = one_int(s, &hid)) != STORE_OK)
				return rc;
		}
	} else {
		if (!(s = stmt(CONN(c), S_HOUSEHOLD_UPSERT)))
			return STORE_EIO;
		text(s, 1, key);
		text(s, 2, postcode);
		text(s, 3, address);
		if ((rc = run(s)) != STORE_OK)
			return rc;
		if (!(s = stmt(CONN(c), S_HOUSEHOLD_ID)))
			return STORE_EIO;
		text(s, 1, key);
		if ((rc = one_int(s, household_id)) != STORE_OK)
			return rc;
		hid = *household_id;
	}
	if (!(s = stmt(CONN(c), S_MEMBER_UPSERT)))
		return STORE_EIO;
	sql_bind_int64(s, 1, hid);
	sql_bind_int64(s, 2, person_id);
	text(s, 3, seen_at);
	return run(s);
}

struct hh_walk {
	store_household_fn fn;
	void *ctx;
};

static int hh_row(sql_stmt *s, void *arg)
{
	struct hh_walk *w = arg;
	struct store_household h;
	h.id = sql_column_int64(s, 0);
	col_copy(s, 1, h.postcode, sizeof h.postcode);
	col_copy(s, 2, h.address, sizeof h.address);
	col_copy(s, 3, h.last_seen, sizeof h.last_seen);
	return w->fn(&h, w->ctx);
}

static sql_stmt *households_stmt(store_conn *c, int64_t person_id)
{
	sql_stmt *s = stmt(CONN(c), S_HOUSEHOLDS_OF);
	if (s)
		sql_bind_int64(s, 1, person_id);
	return s;
}

static int sq_households_of(store_conn *c, int64_t person_id, store_household_fn fn, void *ctx)
{
	sql_stmt *s = households_stmt(c, person_id);
	struct hh_walk w = {fn, ctx};
	if (!s)
		return STORE_EIO;
	return each_row(s, hh_row, &w);
}

static int sq_household_members(store_conn *c, const struct store_view *v, int64_t household_id, store_person_fn fn,
				void *ctx)
{
	sql_stmt *s = stmt(CONN(c), S_MEMBERS);
	if (!s)
		return STORE_EIO;
	bind_view(s, v);
	sql_bind_int64(s, 1, household_id);
	return each_person(s, fn, ctx);
}

/* ---- source records and events ----------------------------------------------------------------------- */

/* A source record's columns as ?1..?7 (S_SOURCE_INSERT, and the first half of S_SOURCE_EVENT_INSERT). */
static void bind_source(sql_stmt *s, const struct store_source_record *r)
{
	text(s, 1, r->agency);
	text(s, 2, r->source_ref);
	sql_bind_blob(s, 3, r->payload_hash, sizeof r->payload_hash);
	text(s, 4, r->payload);
	sql_bind_int64(s, 5, r->person_id);
	sql_bind_double(s, 6, r->link_score);
	text(s, 7, r->link_rule);
}

/* The order of the pair p against (agency, ref): by agency, then by source_ref */
static int absent_cmp(const struct absent_pair *p, const char *agency, const char *ref)
{
	int d = strcmp(p->key, agency);
	return d ? d : strcmp(p->key + p->agency_len + 1, ref);
}

/* Whether store_source_absent_ahead found (agency, ref) not stored and no find or write has used that since;
 * marks it used. */
static bool absent_take(struct sq_conn *k, const char *agency, const char *ref)
{
	int lo = 0, hi = k->absent_n;
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2, d = absent_cmp(&k->absent[mid], agency, ref);
		if (d == 0) {
			bool fresh = !k->absent[mid].used;
			k->absent[mid].used = true;
			return fresh;
		}
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static int absent_key_cmp(const void *a, const void *b)
{
	const struct absent_pair *y = b;
	return absent_cmp(a, y->key, y->key + y->agency_len + 1);
}

/* As absent_key_cmp, a pair's first place in the batch (its smaller reserved ids) first */
static int absent_sort_cmp(const void *a, const void *b)
{
	const struct absent_pair *x = a, *y = b;
	int d = absent_key_cmp(a, b);
	return d ? d : (x->source_id > y->source_id) - (x->source_id < y->source_id);
}

/* The ids reserved for (agency, ref)'s source record and event by store_source_absent_ahead, once: true with
 * *source_id and *event_id set, the pair marked used (a later find of it asks the database); and, when home
 * (a key) is given, *home_absent: whether the batch's read asked that key for the pair and found no household
 * of it stored. */
static bool absent_take_ids(struct sq_conn *k, const char *agency, const char *ref, int64_t *source_id,
			    int64_t *event_id, const char *home, bool *home_absent)
{
	int lo = 0, hi = k->absent_n;
	if (home_absent)
		*home_absent = false;
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2, d = absent_cmp(&k->absent[mid], agency, ref);
		if (d == 0) {
			struct absent_pair *p = &k->absent[mid];
			p->used = true;
			if (p->source_id <= 0 || p->event_id <= 0)
				return false;
			if (home_absent && home && p->home && strcmp(p->home, home) == 0)
				*home_absent = !p->home_there;
			*source_id = p->source_id;
			*event_id = p->event_id;
			p->source_id = p->event_id = 0;
			return true;
		}
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static int sq_source_absent_ahead(store_conn *c, const char *const *agency, const char *const *source_ref,
				  const char *const *home, int n)
{
	struct sq_conn *k = CONN(c);
	absent_drop(k);
	if (n <= 0 || !sql_override(k->db, S_SOURCE_ABSENT) || !k->db->drv->in_transaction(k->db))
		return STORE_OK;
	struct text_array col[3] = {{0}};
	int rc = STORE_EIO;
	if (k->absent_cap < n) {
		struct absent_pair *p = realloc(k->absent, (size_t)n * sizeof *p);
		if (!p)
			return STORE_EIO;
		k->absent = p;
		k->absent_cap = n;
	}
	for (int i = 0; i < n; i++) {
		const char *v[3] = {agency[i] ? agency[i] : "", source_ref[i] ? source_ref[i] : "",
				    home && home[i] ? home[i] : ""};
		for (int j = 0; j < 3; j++) {
			if (!text_array_reserve(&col[j], 2 * strlen(v[j]) + 3))
				goto out;
			text_array_put(&col[j], v[j]);
		}
	}
	sql_stmt *s = stmt(k, S_SOURCE_ABSENT);
	if (!s)
		goto out;
	for (int j = 0; j < 3; j++) {
		col[j].s[col[j].len] = '}';
		col[j].s[col[j].len + 1] = '\0';
		sql_bind_text(s, j + 1, col[j].s, (int)col[j].len + 1);
	}
	int r = SQL_DONE;
	while (k->absent_n < n && (r = sql_step(s)) == SQL_ROW) {
		int64_t i = sql_column_int64(s, 0) - 1;
		if (i < 0 || i >= n)
			continue;
		const char *a = agency[i] ? agency[i] : "", *ref = source_ref[i] ? source_ref[i] : "";
		size_t la = strlen(a), lr = strlen(ref);
		char *key = malloc(la + lr + 2);
		if (!key)
			break;
		memcpy(key, a, la + 1);
		memcpy(key + la + 1, ref, lr + 1);
		/* the key asked (none for "": no household; a copy that fails leaves it not asked) */
		char *h = home && home[i] && *home[i] ? strdup(home[i]) : NULL;
		k->absent[k->absent_n++] = (struct absent_pair){.key = key, .agency_len = la,
								.source_id = sql_column_int64(s, 1),
								.event_id = sql_column_int64(s, 2), .home = h,
								.home_there = sql_column_int64(s, 3) != 0};
	}
	rc = map_rc(r);
	sql_reset(s);
	if (rc != STORE_OK) {
		absent_drop(k);
		goto out;
	}
	/* households made from here on by this transaction's records are in homes_known until it drops them */
	k->homes_sure = home != NULL;
	/* sorted for absent_take, one entry a pair: a pair sent twice in the batch answers its first find only,
	 * and keeps the ids reserved at its first place (the later place's go unused) */
	qsort(k->absent, (size_t)k->absent_n, sizeof *k->absent, absent_sort_cmp);
	int m = 0;
	for (int i = 0; i < k->absent_n; i++) {
		if (m > 0 && absent_key_cmp(&k->absent[m - 1], &k->absent[i]) == 0) {
			free(k->absent[i].key);
			free(k->absent[i].home);
		} else
			k->absent[m++] = k->absent[i];
	}
	k->absent_n = m;
out:
	for (int j = 0; j < 3; j++)
		free(col[j].s);
	return rc;
}

static int sq_source_insert(store_conn *c, const struct store_source_record *r, int64_t *id)
{
	int64_t unused[2];
	if (CONN(c)->absent_n) /* the pair's reserved ids, if any, go unused: this insert takes its own */
		(void)absent_take_ids(CONN(c), r->agency, r->source_ref ? r->source_ref : "", &unused[0], &unused[1],
				      NULL, NULL);
	sql_stmt *s = stmt(CONN(c), S_SOURCE_INSERT);
	if (!s)
		return STORE_EIO;
	bind_source(s, r);
	int rc = run(s);
	if (rc == STORE_OK)
		*id = sql_last_insert_id(CONN(c)->db);
	return rc;
}

static int sq_source_find(store_conn *c, const char *agency, const char *source_ref, struct store_source_record *out,
			  bool *found)
{
	if (CONN(c)->absent_n && absent_take(CONN(c), agency, source_ref ? source_ref : "")) {
		*found = false; /* not stored when the batch began, and neither found nor written since */
		return STORE_OK;
	}
	sql_stmt *s = stmt(CONN(c), S_SOURCE_FIND);
	if (!s)
		return STORE_EIO;
	text(s, 1, agency);
	text(s, 2, source_ref);
	int rc = sql_step(s);
	*found = rc == SQL_ROW;
	if (*found) {
		memset(out, 0, sizeof *out);
		out->id = sql_column_int64(s, 0);
		const void *h = sql_column_blob(s, 1);
		if (h && sql_column_bytes(s, 1) == (int)sizeof out->payload_hash)
			memcpy(out->payload_hash, h, sizeof out->payload_hash);
		out->person_id = sql_column_int64(s, 2);
		out->link_score = sql_column_double(s, 3);
		col_copy(s, 4, out->received_at, sizeof out->received_at);
		out->event_id = sql_column_int64(s, 5);
		snprintf(out->agency, sizeof out->agency, "%s", agency);
	}
	int r = map_rc(rc);
	sql_reset(s);
	return r;
}

/* mash_open (migration 37) after a new event: a contact or referral may await, a referral decision may answer
 * (the statements ask the rule; this only skips the events of no MASH kind, which neither can change) */
static int mash_open_note(store_conn *c, const struct store_event *e, int64_t event_id)
{
	bool contact = strcmp(e->kind, "contact") == 0 || strcmp(e->kind, "referral") == 0;
	if (!contact && strcmp(e->kind, "referral_decision") != 0)
		return STORE_OK;
	sql_stmt *s = stmt(CONN(c), contact ? S_MASH_OPEN_CONTACT : S_MASH_OPEN_ANSWER);
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, event_id);
	return run(s);
}

/* The event's row; recorded_at (n bytes, or NULL): NOW_SQL's value as the statement binds it */
static int event_insert_row(store_conn *c, const struct store_event *e, int64_t *id, char *recorded_at, size_t n)
{
	sql_stmt *s = stmt(CONN(c), S_EVENT_INSERT);
	if (!s)
		return STORE_EIO;
	if (recorded_at)
		snprintf(recorded_at, n, "%s", CONN(c)->now);
	sql_bind_int64(s, 1, e->person_id);
	sql_bind_int64(s, 2, e->source_record_id);
	text(s, 3, e->agency);
	text(s, 4, e->kind);
	text(s, 5, e->occurred_at);
	text(s, 6, e->summary);
	text(s, 7, e->details && *e->details ? e->details : "{}");
	int rc = run(s);
	if (rc == STORE_OK)
		*id = sql_last_insert_id(CONN(c)->db);
	return rc;
}

static int sq_event_insert(store_conn *c, const struct store_event *e, int64_t *id)
{
	int rc = event_insert_row(c, e, id, NULL, 0);
	return rc == STORE_OK ? mash_open_note(c, e, *id) : rc;
}

static int sq_block_keys_add(store_conn *c, int64_t person_id, int64_t source_record_id, const char *keys_json);

/* SQLite's record, statement by statement (sq_source_event_insert); recorded_at as rules_note takes it */
static int lite_record_insert(store_conn *c, const struct store_source_record *r, const struct store_event *e,
			      int64_t *source_id, int64_t *event_id, char *recorded_at, size_t n)
{
	struct store_event x = *e;
	int rc = sq_source_insert(c, r, source_id);
	if (rc != STORE_OK)
		return rc;
	x.source_record_id = *source_id;
	if ((rc = event_insert_row(c, &x, event_id, recorded_at, n)) != STORE_OK ||
	    (rc = mash_open_note(c, &x, *event_id)) != STORE_OK ||
	    (r->block_keys && (rc = sq_block_keys_add(c, r->person_id, *source_id, r->block_keys)) != STORE_OK) ||
	    (r->nhs_number && *r->nhs_number &&
	     (rc = identifier_add(c, r->person_id, "nhs", r->nhs_number, *source_id, r->identifiers_undated)) !=
		     STORE_OK) ||
	    (r->upn && *r->upn &&
	     (rc = identifier_add(c, r->person_id, "upn", r->upn, *source_id, r->identifiers_undated)) != STORE_OK))
		return rc;
	if (!r->household_key || !*r->household_key)
		return STORE_OK;
	return sq_household_join(c, r->household_key, r->household_postcode, r->household_address, r->person_id,
				 r->household_seen_at, NULL);
}

/* What a record's statement leaves its person's identifiers as: held, dated unless the record is undated */
static void record_idents_note(struct sq_conn *c, const struct store_source_record *r)
{
	idents_note(c, r->person_id, "nhs", r->nhs_number, !r->identifiers_undated);
	idents_note(c, r->person_id, "upn", r->upn, !r->identifiers_undated);
}

static int sq_source_event_insert(store_conn *c, const struct store_source_record *r, const struct store_event *e,
				  int64_t *source_id, int64_t *event_id)
{
	/* a household without its postcode, address or sighting: refused before anything is written, on both
	 * backends alike (bound as "", PostgreSQL's statement and SQLite's would store a household of "") */
	if (r->household_key && *r->household_key &&
	    (!r->household_postcode || !r->household_address || !r->household_seen_at))
		return STORE_EINVAL;
	/* PostgreSQL: keys its person holds already are not sent (the keys' part would write nothing: keys_noop),
	 * asked before the record's own keys are noted below */
	const char *keys = r->block_keys && !keys_noop(CONN(c), r->person_id, r->block_keys) ? r->block_keys : NULL;
	/* its keys and identifiers change what the batch's candidates' read found (store_block_candidates_ahead) */
	cands_note_keys(CONN(c), r->person_id, r->block_keys);
	cands_note_ident(CONN(c), r->person_id, "nhs", r->nhs_number);
	cands_note_ident(CONN(c), r->person_id, "upn", r->upn);
	/* PostgreSQL, in a batch asked about ahead: the ids reserved for this pair, so the insert is not waited for */
	int64_t ids[2] = {0, 0};
	bool home_absent = false; /* no household of the record's key stored when the batch's read ran */
	bool reserved = CONN(c)->absent_n &&
			absent_take_ids(CONN(c), r->agency, r->source_ref ? r->source_ref : "", &ids[0], &ids[1],
					r->household_key, &home_absent);
	if (!sql_override(CONN(c)->db, S_SOURCE_EVENT_INSERT)) {
		/* its statements keep the rules' answers (rules_noting); what they wrote is then noted as PostgreSQL's
		 * one statement's is below, or, should one fail, the answers are dropped */
		struct sq_conn *k = CONN(c);
		char recorded_at[sizeof k->now] = "";
		k->rules_noting = true;
		int rc = lite_record_insert(c, r, e, source_id, event_id, recorded_at, sizeof recorded_at);
		k->rules_noting = false;
		if (rc == STORE_OK)
			rules_note(k, r, e, *source_id, *event_id, recorded_at);
		else
			rules_drop(k);
		made_drop(k); /* what a person made has is told by the batch's path only */
		return rc;
	}
	bool home = r->household_key && *r->household_key;
	/* with reserved ids (the batch's path), a text without the parts that would write nothing: the identifiers'
	 * when there are none, the household's INSERT when a record of this transaction named it (homes_known) */
	enum stmt_id id = keys ? S_SOURCE_EVENT_KEYS_INSERT : S_SOURCE_EVENT_INSERT;
	bool known = home && home_known(CONN(c), r->household_key);
	/* the statement makes the household: not stored when the batch's read ran, nor made since (made_note) */
	bool fresh = home && home_absent && !known && CONN(c)->homes_sure;
	if (reserved) {
		/* no identifiers, or each held as the record would leave it (ident_noop) */
		bool ident = ((r->nhs_number && *r->nhs_number) || (r->upn && *r->upn)) && !ident_noop(CONN(c), r);
		int bits = (ident ? 0 : 1) | (known ? 2 : 0);
		id = (enum stmt_id)(S_SOURCE_EVENT_IDS_INSERT + 2 * bits + (keys ? 1 : 0));
	}
	sql_stmt *s = stmt(CONN(c), id);
	if (!s)
		return STORE_EIO;
	char recorded_at[sizeof CONN(c)->now]; /* NOW_SQL's value as this statement binds it */
	memcpy(recorded_at, CONN(c)->now, sizeof recorded_at);
	bind_source(s, r);
	if (keys)
		text(s, 14, keys);
	text(s, 17, r->nhs_number ? r->nhs_number : "");
	text(s, 18, r->upn ? r->upn : "");
	sql_bind_int64(s, 23, r->identifiers_undated);
	text(s, 19, home ? r->household_key : "");
	text(s, 20, home ? r->household_postcode : ""); /* set when home: refused above otherwise */
	text(s, 21, home ? r->household_address : "");
	text(s, 22, home ? r->household_seen_at : "");
	sql_bind_int64(s, 8, e->person_id);
	text(s, 9, e->agency);
	text(s, 10, e->kind);
	text(s, 11, e->occurred_at);
	text(s, 12, e->summary);
	text(s, 13, e->details && *e->details ? e->details : "{}");
	if (reserved) {
		sql_bind_int64(s, 15, ids[0]);
		sql_bind_int64(s, 16, ids[1]);
		int rc = run(s); /* queued: a refusal comes with the next statement that waits */
		if (rc == STORE_OK) {
			*source_id = ids[0];
			*event_id = ids[1];
			if (CONN(c)->made_n > 0) {
				struct store_event x = *e;
				x.id = ids[1];
				x.source_record_id = ids[0];
				snprintf(x.recorded_at, sizeof x.recorded_at, "%s", recorded_at);
				x.details = e->details && *e->details ? e->details : "{}";
				if (r->person_id != e->person_id)
					made_drop(CONN(c));
				else
					made_note(CONN(c), &x, home ? r->household_key : NULL, fresh);
			}
			rules_note(CONN(c), r, e, ids[0], ids[1], recorded_at);
			if (home) /* a refusal fails the pass, or (under savepoints) rolls back: forget() either way */
				home_note(CONN(c), r->household_key);
			keys_given_note(CONN(c), r->person_id, keys);
			record_idents_note(CONN(c), r);
			rc = mash_open_note(c, e, ids[1]); /* queued behind it */
		} else
			rules_drop(CONN(c));
		return rc;
	}
	int rc = sql_step(s);
	int out = rc == SQL_ROW ? STORE_OK : rc == SQL_DONE ? STORE_EIO : map_rc(rc); /* a row, or refused */
	if (rc == SQL_ROW) {
		*source_id = sql_column_int64(s, 0);
		*event_id = sql_column_int64(s, 1);
	}
	sql_reset(s);
	made_drop(CONN(c)); /* what a person made has is told by the batch's path only */
	if (out == STORE_OK) {
		rules_note(CONN(c), r, e, *source_id, *event_id, recorded_at);
		if (home)
			home_note(CONN(c), r->household_key);
		keys_given_note(CONN(c), r->person_id, keys);
		record_idents_note(CONN(c), r);
		out = mash_open_note(c, e, *event_id);
	} else
		rules_drop(CONN(c));
	return out;
}

struct event_walk {
	store_event_fn fn;
	void *ctx;
};

/* An event's nine columns in the order the chronology's and the status events' statements select them
 * (its strings borrowed from the statement, valid until the next step). */
static void event_columns(sql_stmt *s, struct store_event *ev)
{
	ev->id = sql_column_int64(s, 0);
	ev->person_id = sql_column_int64(s, 1);
	ev->source_record_id = sql_column_int64(s, 2);
	col_copy(s, 3, ev->agency, sizeof ev->agency);
	col_copy(s, 4, ev->kind, sizeof ev->kind);
	col_copy(s, 5, ev->occurred_at, sizeof ev->occurred_at);
	col_copy(s, 6, ev->recorded_at, sizeof ev->recorded_at);
	ev->summary = col_str(s, 7);
	ev->details = col_str(s, 8);
}

static int event_row(sql_stmt *s, void *arg)
{
	struct event_walk *w = arg;
	struct store_event e;
	event_columns(s, &e);
	return w->fn(&e, w->ctx);
}

/* A row of S_CHRONO_*_DRAWN: what a page draws (store_page.drawn). */
static int event_drawn_row(sql_stmt *s, void *arg)
{
	struct event_walk *w = arg;
	struct store_event e;
	e.id = sql_column_int64(s, 0);
	e.person_id = 0;
	e.source_record_id = 0;
	col_copy(s, 1, e.agency, sizeof e.agency);
	col_copy(s, 2, e.kind, sizeof e.kind);
	col_copy(s, 3, e.occurred_at, sizeof e.occurred_at);
	e.recorded_at[0] = '\0';
	e.summary = col_str(s, 4);
	e.details = col_str(s, 5);
	return w->fn(&e, w->ctx);
}

static sql_stmt *chronology_stmt(store_conn *c, const struct store_view *v, int64_t person_id,
				 const struct store_page *page)
{
	bool after = page->before_at != NULL;
	sql_stmt *s = stmt(CONN(c), page->drawn ? (after ? S_CHRONO_AFTER_DRAWN : S_CHRONO_FIRST_DRAWN)
						: (after ? S_CHRONO_AFTER : S_CHRONO_FIRST));
	if (!s)
		return NULL;
	bind_view(s, v);
	sql_bind_int64(s, 1, person_id);
	sql_bind_int(s, 2, page->limit);
	if (after) {
		text(s, 3, page->before_at);
		sql_bind_int64(s, 4, page->before_id);
	}
	if (page->agency)
		text(s, 5, page->agency);
	if (page->kind)
		text(s, 6, page->kind);
	return s;
}

static int sq_chronology(store_conn *c, const struct store_view *v, int64_t person_id, const struct store_page *page,
			 store_event_fn fn, void *ctx)
{
	sql_stmt *s = chronology_stmt(c, v, person_id, page);
	struct event_walk w = {fn, ctx};
	if (!s)
		return STORE_EIO;
	return each_row(s, page->drawn ? event_drawn_row : event_row, &w);
}

static int sq_event_count(store_conn *c, int64_t person_id, int64_t *n)
{
	sql_stmt *s = stmt(CONN(c), S_EVENT_COUNT);
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, person_id);
	return one_int(s, n);
}

struct kind_walk {
	store_kind_fn fn;
	void *ctx;
};

static int kind_row(sql_stmt *s, void *arg)
{
	struct kind_walk *w = arg;
	return w->fn(col_str(s, 0), col_str(s, 1), w->ctx);
}

static int mark_row(sql_stmt *s, void *arg)
{
	struct event_walk *w = arg;
	struct store_event e;
	e.id = sql_column_int64(s, 0);
	e.person_id = e.source_record_id = 0;
	e.recorded_at[0] = '\0';
	col_copy(s, 1, e.occurred_at, sizeof e.occurred_at);
	col_copy(s, 2, e.agency, sizeof e.agency);
	col_copy(s, 3, e.kind, sizeof e.kind);
	e.summary = e.details = "";
	return w->fn(&e, w->ctx);
}

static sql_stmt *marks_stmt(store_conn *c, const struct store_view *v, int64_t person_id,
			    const struct store_page *page)
{
	sql_stmt *s = stmt(CONN(c), view_every_event(v) ? S_EVENT_MARKS_EVERY : S_EVENT_MARKS);
	if (!s)
		return NULL;
	bind_view(s, v);
	sql_bind_int64(s, 1, person_id);
	sql_bind_int(s, 2, page->limit);
	if (page->agency)
		text(s, 3, page->agency);
	if (page->kind)
		text(s, 4, page->kind);
	sql_bind_int(s, 5, page->skip > 0 ? page->skip : 0);
	return s;
}

static int sq_event_marks(store_conn *c, const struct store_view *v, int64_t person_id, const struct store_page *page,
			  store_event_fn fn, void *ctx)
{
	sql_stmt *s = marks_stmt(c, v, person_id, page);
	struct event_walk w = {fn, ctx};
	if (!s)
		return STORE_EIO;
	return each_row(s, mark_row, &w);
}

static sql_stmt *kinds_stmt(store_conn *c, const struct store_view *v, int64_t person_id)
{
	sql_stmt *s = stmt(CONN(c), view_every_event(v) ? S_EVENT_KINDS_EVERY : S_EVENT_KINDS);
	if (!s)
		return NULL;
	bind_view(s, v);
	sql_bind_int64(s, 1, person_id);
	return s;
}

static int sq_event_kinds(store_conn *c, const struct store_view *v, int64_t person_id, store_kind_fn fn, void *ctx)
{
	sql_stmt *s = kinds_stmt(c, v, person_id);
	struct kind_walk w = {fn, ctx};
	if (!s)
		return STORE_EIO;
	return each_row(s, kind_row, &w);
}

/* ---- audit ------------------------------------------------------------------------------------------- */

/* Holds an entry for S_AUDIT_APPEND_HELD (PostgreSQL, inside a write transaction). STORE_EIO when out of memory,
 * with nothing of it held. */
static int audit_hold(struct sq_conn *k, const struct store_audit *a)
{
	char id[24], child[24], hex[2 * STORE_AUDIT_HASH_LEN + 1];
	snprintf(id, sizeof id, "%lld", (long long)a->id);
	snprintf(child, sizeof child, "%lld", (long long)a->child_id);
	for (int i = 0; i < STORE_AUDIT_HASH_LEN; i++)
		snprintf(hex + 2 * i, 3, "%02x", a->hash[i]);
	const char *v[AUDIT_HELD_COLS] = {id, a->at, a->actor, a->action, child, a->object, a->detail, hex};
	for (int i = 0; i < AUDIT_HELD_COLS; i++) {
		if (!v[i])
			v[i] = "";
		if (!text_array_reserve(&k->held[i], 2 * strlen(v[i]) + 3))
			return STORE_EIO;
	}
	for (int i = 0; i < AUDIT_HELD_COLS; i++)
		text_array_put(&k->held[i], v[i]);
	k->held_n++;
	return STORE_OK;
}

/* The held entries as one statement (sent without waiting: a refusal is answered with the next statement that
 * waits, at the latest the COMMIT or RELEASE). */
/* A flush of held entries failed: COMMIT and RELEASE are refused until a rollback (struct sq_conn), and the
 * words say why, with the engine's own reason for the first failure (the operator's log line keeps it). */
static void held_fail(struct sq_conn *c)
{
	const char *why = sql_errmsg(c->db);
	if (!c->held_failed)
		snprintf(c->held_failed_msg, sizeof c->held_failed_msg,
			 "audit entries held in this transaction could not be written (%s): it must be rolled back",
			 why && why[0] ? why : "no reason given");
	c->held_failed = true;
}

static int audit_held_flush(struct sq_conn *c)
{
	if (c->held_n == 0)
		return STORE_OK;
	c->held_n = 0; /* before stmt(), which would flush again */
	sql_stmt *s = stmt(c, S_AUDIT_APPEND_HELD);
	int rc = STORE_EIO;
	if (s) {
		for (int i = 0; i < AUDIT_HELD_COLS; i++) {
			c->held[i].s[c->held[i].len] = '}';
			c->held[i].s[c->held[i].len + 1] = '\0';
			sql_bind_text(s, i + 1, c->held[i].s, (int)c->held[i].len + 1);
		}
		rc = run(s);
	}
	audit_held_drop(c);
	if (rc != STORE_OK) {
		c->audit_head_known = false;
		held_fail(c);
	}
	return rc;
}

static int sq_audit_append(store_conn *c, const struct store_audit *a)
{
	struct sq_conn *h = CONN(c);
	if (a->hash && a->id > 0 && sql_override(h->db, S_AUDIT_APPEND_HELD) && h->db->drv->in_transaction(h->db)) {
		/* issue 17: nothing a write transaction does reads these back but the chain's head, kept below; a
		 * statement that reads the audit table sends them first (stmt) */
		int rc = audit_hold(h, a);
		size_t bytes = 0;
		for (int i = 0; i < AUDIT_HELD_COLS; i++)
			bytes += h->held[i].len;
		if (rc == STORE_OK && (h->held_n >= AUDIT_HELD_MAX || bytes >= AUDIT_HELD_BYTES))
			rc = audit_held_flush(h);
		h->audit_head_known = rc == STORE_OK;
		if (h->audit_head_known) {
			h->audit_head_id = a->id;
			memcpy(h->audit_head_hash, a->hash, STORE_AUDIT_HASH_LEN);
		}
		return rc;
	}
	sql_stmt *s = stmt(CONN(c), S_AUDIT_APPEND);
	if (!s)
		return STORE_EIO;
	text(s, 1, a->actor);
	text(s, 2, a->action);
	sql_bind_int64(s, 3, a->child_id);
	text(s, 4, a->object);
	text(s, 5, a->detail);
	sql_bind_int64(s, 6, a->id);
	text(s, 7, a->at);
	if (a->hash)
		sql_bind_blob(s, 8, a->hash, STORE_AUDIT_HASH_LEN);
	else
		sql_bind_null(s, 8);
	int rc = run(s);
	struct sq_conn *k = CONN(c);
	k->audit_head_known = rc == STORE_OK && a->hash && a->id > 0 && k->db->drv->in_transaction(k->db);
	if (k->audit_head_known) {
		k->audit_head_id = a->id;
		memcpy(k->audit_head_hash, a->hash, STORE_AUDIT_HASH_LEN);
	}
	return rc;
}

static int sq_audit_last(store_conn *c, int64_t *id, uint8_t hash[STORE_AUDIT_HASH_LEN], bool *found)
{
	struct sq_conn *k = CONN(c);
	if (k->audit_head_known) {
		*found = true;
		*id = k->audit_head_id;
		memcpy(hash, k->audit_head_hash, STORE_AUDIT_HASH_LEN);
		return STORE_OK;
	}
	sql_stmt *s = stmt(k, S_AUDIT_LAST);
	if (!s)
		return STORE_EIO;
	int rc = sql_step(s);
	*found = rc == SQL_ROW;
	*id = *found ? sql_column_int64(s, 0) : 0;
	memset(hash, 0, STORE_AUDIT_HASH_LEN);
	if (*found && sql_column_bytes(s, 1) == STORE_AUDIT_HASH_LEN)
		memcpy(hash, sql_column_blob(s, 1), STORE_AUDIT_HASH_LEN);
	int r = map_rc(rc);
	sql_reset(s);
	return r;
}

struct audit_walk {
	store_audit_fn fn;
	void *ctx;
};

static int audit_row(sql_stmt *s, void *arg)
{
	struct audit_walk *w = arg;
	uint8_t hash[STORE_AUDIT_HASH_LEN];
	struct store_audit a = {
		.id = sql_column_int64(s, 0),
		.at = col_str(s, 1),
		.actor = col_str(s, 2),
		.action = col_str(s, 3),
		.child_id = sql_column_int64(s, 4),
		.object = col_str(s, 5),
		.detail = col_str(s, 6),
	};
	/* A hash of any other length is not a hash this code wrote: shown as none, so verification fails. */
	if (sql_column_bytes(s, 7) == STORE_AUDIT_HASH_LEN) {
		memcpy(hash, sql_column_blob(s, 7), STORE_AUDIT_HASH_LEN);
		a.hash = hash;
	}
	return w->fn(&a, w->ctx);
}

static int sq_audit_each(store_conn *c, store_audit_fn fn, void *ctx)
{
	struct audit_walk w = {fn, ctx};
	sql_stmt *s = stmt(CONN(c), S_AUDIT_EACH);
	return s ? each_row(s, audit_row, &w) : STORE_EIO;
}

static int sq_audit_unsealed(store_conn *c, store_audit_fn fn, void *ctx)
{
	struct audit_walk w = {fn, ctx};
	sql_stmt *s = stmt(CONN(c), S_AUDIT_UNSEALED);
	return s ? each_row(s, audit_row, &w) : STORE_EIO;
}

static bool blob_copy(sql_stmt *s, int i, uint8_t *dst, int len);

/* One row of S_ACCESS_FACTS (from column `at` on). */
static void facts_read(sql_stmt *s, int at, struct store_access_facts *out)
{
	memset(out, 0, sizeof *out);
	out->exists = sql_column_int64(s, at) == 1;
	out->sealed = sql_column_int64(s, at + 1) > 0;
	out->allocated = sql_column_int64(s, at + 2) > 0;
	col_copy(s, at + 3, out->worker, sizeof out->worker);
	col_copy(s, at + 4, out->manager, sizeof out->manager);
	out->known = sql_column_int64(s, at + 5) != 0;
}

/* Whether `known` (VIEW_PERSON_KNOWN_, the view's ?63/?64) asked with the view the answers kept were asked with
 * is this view's too. */
static bool views_know_alike(const struct sq_conn *k, const struct store_view *v)
{
	bool priv = v->private_agency && v->private_categories;
	if (!priv || !k->facts_private_categories)
		return !priv && !k->facts_private_categories;
	return strcmp(k->facts_private_agency, v->private_agency) == 0 &&
	       strcmp(k->facts_private_categories, v->private_categories) == 0;
}

static int sq_access_facts_ahead(store_conn *c, const int64_t *child_ids, int n, const struct store_view *view)
{
	struct sq_conn *k = CONN(c);
	k->facts_n = 0;
	free(k->facts_private_categories);
	k->facts_private_categories = NULL;
	k->facts_private_agency[0] = '\0';
	/* SQLite: each read asks, in its own process (no round trip to spare). Outside a writer's transaction
	 * (sq_begin's, holding the advisory lock) each read asks too: another writer could commit meanwhile. */
	if (n <= 0 || !sql_override(k->db, S_ACCESS_FACTS_MANY) || !k->writer || !k->db->drv->in_transaction(k->db))
		return STORE_OK;
	struct text_array ids = {0};
	int rc = STORE_EIO;
	if (k->facts_cap < n) {
		struct facts_known *p = realloc(k->facts, (size_t)n * sizeof *p);
		if (!p)
			return STORE_EIO;
		k->facts = p;
		k->facts_cap = n;
	}
	if (!text_array_reserve(&ids, (size_t)n * 21 + 3))
		goto out;
	for (int i = 0; i < n; i++)
		ids.len += (size_t)snprintf(ids.s + ids.len, 22, "%s%lld", ids.len ? "," : "{", (long long)child_ids[i]);
	ids.s[ids.len++] = '}';
	ids.s[ids.len] = '\0';
	if (view->private_agency && view->private_categories) {
		if (!(k->facts_private_categories = strdup(view->private_categories)))
			goto out;
		snprintf(k->facts_private_agency, sizeof k->facts_private_agency, "%s", view->private_agency);
	}
	sql_stmt *s = stmt(k, S_ACCESS_FACTS_MANY);
	if (!s)
		goto out;
	bind_view(s, view);
	sql_bind_text(s, 1, ids.s, (int)ids.len);
	int r;
	while ((r = sql_step(s)) == SQL_ROW && k->facts_n < n) { /* one row a child asked about, at most */
		struct facts_known *f = &k->facts[k->facts_n++];
		f->child_id = sql_column_int64(s, 0);
		facts_read(s, 1, &f->f);
	}
	if (r == SQL_ROW) /* more rows than children: cannot happen (DISTINCT); each read asks afresh then */
		r = SQL_DONE, k->facts_n = 0;
	rc = map_rc(r);
	sql_reset(s);
	if (rc != STORE_OK)
		k->facts_n = 0;
out:
	free(ids.s);
	return rc;
}

static int sq_access_facts(store_conn *c, int64_t child_id, const struct store_view *view,
			   struct store_access_facts *out)
{
	struct sq_conn *k = CONN(c);
	for (int i = 0; i < k->facts_n && views_know_alike(k, view); i++)
		if (k->facts[i].child_id == child_id) {
			*out = k->facts[i].f;
			return STORE_OK;
		}
	sql_stmt *s = stmt(k, S_ACCESS_FACTS);
	memset(out, 0, sizeof *out);
	if (!s)
		return STORE_EIO;
	bind_view(s, view);
	sql_bind_int64(s, 1, child_id);
	int rc = sql_step(s);
	if (rc == SQL_ROW)
		facts_read(s, 0, out);
	int r = rc == SQL_ROW ? STORE_OK : map_rc(rc);
	sql_reset(s);
	return r;
}

static int sq_child_agency_contributed(store_conn *c, int64_t child_id, const char *agency, bool *yes)
{
	int64_t n = 0;
	sql_stmt *s = stmt(CONN(c), S_AGENCY_CONTRIBUTED);
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, child_id);
	text(s, 2, agency);
	int rc = one_int(s, &n);
	*yes = n > 0;
	return rc;
}

static int sq_child_awaiting_decision(store_conn *c, int64_t child_id, bool *yes)
{
	int64_t n = 0;
	sql_stmt *s = stmt(CONN(c), S_CHILD_AWAITING);
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, child_id);
	int rc = one_int(s, &n);
	*yes = n > 0;
	return rc;
}

static int sq_break_glass_add(store_conn *c, const struct store_break_glass *b, int64_t *id)
{
	sql_stmt *s = stmt(CONN(c), S_BREAK_GLASS_ADD);
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, b->child_id);
	sql_bind_int64(s, 2, b->user_id);
	text(s, 3, b->reason);
	text(s, 4, b->at);
	text(s, 5, b->expires_at);
	int rc = run(s);
	*id = rc == STORE_OK ? sql_last_insert_id(CONN(c)->db) : 0;
	return rc;
}

static int sq_break_glass_live(store_conn *c, int64_t child_id, int64_t user_id, const char *now, bool *live)
{
	int64_t n = 0;
	sql_stmt *s = stmt(CONN(c), S_BREAK_GLASS_LIVE);
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, child_id);
	sql_bind_int64(s, 2, user_id);
	text(s, 3, now);
	int rc = one_int(s, &n);
	*live = n > 0;
	return rc;
}

struct break_glass_walk {
	store_break_glass_fn fn;
	void *ctx;
};

static int break_glass_row(sql_stmt *s, void *arg)
{
	struct break_glass_walk *w = arg;
	struct store_break_glass b;
	memset(&b, 0, sizeof b);
	b.id = sql_column_int64(s, 0);
	b.child_id = sql_column_int64(s, 1);
	b.user_id = sql_column_int64(s, 2);
	col_copy(s, 3, b.reason, sizeof b.reason);
	col_copy(s, 4, b.at, sizeof b.at);
	col_copy(s, 5, b.expires_at, sizeof b.expires_at);
	col_copy(s, 6, b.username, sizeof b.username);
	return w->fn(&b, w->ctx);
}

static int sq_break_glass_of_child(store_conn *c, int64_t child_id, int limit, store_break_glass_fn fn, void *ctx)
{
	struct break_glass_walk w = {fn, ctx};
	sql_stmt *s = stmt(CONN(c), S_BREAK_GLASS_OF_CHILD);
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, child_id);
	sql_bind_int(s, 2, limit > 0 ? limit : 100);
	return each_row(s, break_glass_row, &w);
}

struct client_walk {
	store_client_fn fn;
	void *ctx;
};

static void client_info_read(sql_stmt *s, struct store_client_info *k)
{
	memset(k, 0, sizeof *k);
	k->id = sql_column_int64(s, 0);
	col_copy(s, 1, k->agency, sizeof k->agency);
	col_copy(s, 2, k->label, sizeof k->label);
	col_copy(s, 3, k->created_at, sizeof k->created_at);
	col_copy(s, 4, k->revoked_at, sizeof k->revoked_at);
	col_copy(s, 5, k->scope, sizeof k->scope);
	col_copy(s, 6, k->created_by, sizeof k->created_by);
	k->pending = sql_column_int(s, 7) != 0;
	col_copy(s, 8, k->approved_by, sizeof k->approved_by);
	col_copy(s, 9, k->approved_at, sizeof k->approved_at);
}

static int client_row(sql_stmt *s, void *arg)
{
	struct client_walk *w = arg;
	struct store_client_info k;
	client_info_read(s, &k);
	return w->fn(&k, w->ctx);
}

static int sq_clients(store_conn *c, int limit, store_client_fn fn, void *ctx)
{
	struct client_walk w = {fn, ctx};
	sql_stmt *s = stmt(CONN(c), S_CLIENTS);
	if (!s)
		return STORE_EIO;
	sql_bind_int(s, 1, limit > 0 ? limit : 100);
	return each_row(s, client_row, &w);
}

static int sq_client_revoke(store_conn *c, int64_t id, const char *at, bool *found)
{
	sql_stmt *s = stmt(CONN(c), S_CLIENT_REVOKE);
	clients_touched(CONN(c));
	*found = false;
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, id);
	text(s, 2, at);
	int rc = run(s);
	*found = rc == STORE_OK && sql_changes(CONN(c)->db) > 0;
	return rc;
}

static int sq_client_get(store_conn *c, int64_t id, struct store_client_info *out, bool *found)
{
	sql_stmt *s = stmt(CONN(c), S_CLIENT_GET);
	*found = false;
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, id);
	int rc = sql_step(s);
	*found = rc == SQL_ROW;
	if (*found)
		client_info_read(s, out);
	int r = map_rc(rc);
	sql_reset(s);
	return r;
}

static int sq_client_approve(store_conn *c, int64_t id, const char *by, const char *at, bool *changed)
{
	sql_stmt *s = stmt(CONN(c), S_CLIENT_APPROVE);
	clients_touched(CONN(c));
	*changed = false;
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, id);
	text(s, 2, by);
	text(s, 3, at);
	int rc = run(s);
	*changed = rc == STORE_OK && sql_changes(CONN(c)->db) > 0;
	return rc;
}

struct team_walk {
	store_team_fn fn;
	void *ctx;
};

static int team_row(sql_stmt *s, void *arg)
{
	struct team_walk *w = arg;
	struct store_team t;
	memset(&t, 0, sizeof t);
	col_copy(s, 0, t.code, sizeof t.code);
	col_copy(s, 1, t.name, sizeof t.name);
	col_copy(s, 2, t.manager, sizeof t.manager);
	return w->fn(&t, w->ctx);
}

static int sq_teams(store_conn *c, int limit, store_team_fn fn, void *ctx)
{
	struct team_walk w = {fn, ctx};
	sql_stmt *s = stmt(CONN(c), S_TEAMS);
	if (!s)
		return STORE_EIO;
	sql_bind_int(s, 1, limit > 0 ? limit : 100);
	return each_row(s, team_row, &w);
}

struct user_walk {
	store_user_fn fn;
	void *ctx;
};

static int user_row(sql_stmt *s, void *arg)
{
	struct user_walk *w = arg;
	struct store_user u;
	memset(&u, 0, sizeof u);
	u.id = sql_column_int64(s, 0);
	col_copy(s, 1, u.username, sizeof u.username);
	col_copy(s, 2, u.agency, sizeof u.agency);
	col_copy(s, 3, u.role, sizeof u.role);
	col_copy(s, 4, u.disabled_at, sizeof u.disabled_at);
	col_copy(s, 5, u.full_name, sizeof u.full_name);
	col_copy(s, 6, u.email, sizeof u.email);
	col_copy(s, 7, u.phone, sizeof u.phone);
	col_copy(s, 8, u.team, sizeof u.team);
	return w->fn(&u, w->ctx);
}

static int sq_users(store_conn *c, int limit, store_user_fn fn, void *ctx)
{
	struct user_walk w = {fn, ctx};
	sql_stmt *s = stmt(CONN(c), S_USERS);
	if (!s)
		return STORE_EIO;
	sql_bind_int(s, 1, limit > 0 ? limit : 100);
	return each_row(s, user_row, &w);
}

static int sq_user_disable(store_conn *c, const char *username, const char *at, bool *found)
{
	sql_stmt *s = stmt(CONN(c), S_USER_DISABLE);
	*found = false;
	if (!s)
		return STORE_EIO;
	text(s, 1, username);
	text(s, 2, at);
	int rc = run(s);
	*found = rc == STORE_OK && sql_changes(CONN(c)->db) > 0;
	if (rc == STORE_OK && *found) { /* a disabled person's sessions end now, not at their timeouts */
		sql_stmt *e = stmt(CONN(c), S_USER_SESSIONS_END);
		if (!e)
			return STORE_EIO;
		text(e, 1, username);
		rc = run(e);
	}
	return rc;
}

static int sq_user_enable(store_conn *c, const char *username, bool *found)
{
	sql_stmt *s = stmt(CONN(c), S_USER_ENABLE);
	*found = false;
	if (!s)
		return STORE_EIO;
	text(s, 1, username);
	int rc = run(s);
	*found = rc == STORE_OK && sql_changes(CONN(c)->db) > 0;
	return rc;
}

static int sq_user_insert(store_conn *c, const struct store_user *u, int64_t *id)
{
	sql_stmt *s = stmt(CONN(c), S_USER_INSERT);
	if (!s)
		return STORE_EIO;
	text(s, 1, u->username);
	text(s, 2, u->agency);
	text(s, 3, u->role);
	text(s, 4, u->password_hash);
	sql_bind_blob(s, 5, u->totp_sealed, sizeof u->totp_sealed);
	text(s, 6, u->full_name);
	text(s, 7, u->email);
	text(s, 8, u->phone);
	text(s, 9, u->team);
	int rc = run(s);
	*id = rc == STORE_OK ? sql_last_insert_id(CONN(c)->db) : 0;
	return rc;
}

static int user_one(sql_stmt *s, struct store_user *out, bool *found)
{
	int rc = sql_step(s);
	*found = rc == SQL_ROW;
	if (*found) {
		out->id = sql_column_int64(s, 0);
		col_copy(s, 1, out->username, sizeof out->username);
		col_copy(s, 2, out->agency, sizeof out->agency);
		col_copy(s, 3, out->role, sizeof out->role);
		col_copy(s, 4, out->password_hash, sizeof out->password_hash);
		*found = blob_copy(s, 5, out->totp_secret, (int)sizeof out->totp_secret);
		col_copy(s, 6, out->disabled_at, sizeof out->disabled_at);
		out->totp_last_step = sql_column_int64(s, 7);
		out->totp_is_sealed = blob_copy(s, 8, out->totp_sealed, (int)sizeof out->totp_sealed);
		col_copy(s, 9, out->full_name, sizeof out->full_name);
		col_copy(s, 10, out->email, sizeof out->email);
		col_copy(s, 11, out->phone, sizeof out->phone);
		col_copy(s, 12, out->team, sizeof out->team);
	}
	int r = map_rc(rc);
	sql_reset(s);
	return r;
}

static int sq_user_by_name(store_conn *c, const char *username, struct store_user *out, bool *found)
{
	sql_stmt *s = stmt(CONN(c), S_USER_BY_NAME);
	*found = false;
	if (!s)
		return STORE_EIO;
	text(s, 1, username);
	return user_one(s, out, found);
}

static int sq_user_by_id(store_conn *c, int64_t id, struct store_user *out, bool *found)
{
	sql_stmt *s = stmt(CONN(c), S_USER_BY_ID);
	*found = false;
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, id);
	return user_one(s, out, found);
}

static int sq_session_insert(store_conn *c, const uint8_t hash[STORE_TOKEN_HASH_LEN], const struct store_session *x)
{
	sql_stmt *s = stmt(CONN(c), S_SESSION_INSERT);
	if (!s)
		return STORE_EIO;
	sql_bind_blob(s, 1, hash, STORE_TOKEN_HASH_LEN);
	sql_bind_int64(s, 2, x->user_id);
	text(s, 3, x->kind);
	text(s, 4, x->created_at);
	text(s, 5, x->expires_at);
	text(s, 6, x->idle_until);
	return run(s);
}

static int sq_session_find(store_conn *c, const uint8_t hash[STORE_TOKEN_HASH_LEN], const char *now,
			   struct store_session *out, bool *found)
{
	sql_stmt *s = stmt(CONN(c), S_SESSION_FIND);
	if (!s)
		return STORE_EIO;
	sql_bind_blob(s, 1, hash, STORE_TOKEN_HASH_LEN);
	text(s, 2, now);
	int rc = sql_step(s);
	*found = rc == SQL_ROW;
	if (*found) {
		out->user_id = sql_column_int64(s, 0);
		col_copy(s, 1, out->kind, sizeof out->kind);
		col_copy(s, 2, out->created_at, sizeof out->created_at);
		col_copy(s, 3, out->expires_at, sizeof out->expires_at);
		col_copy(s, 4, out->idle_until, sizeof out->idle_until);
		col_copy(s, 5, out->username, sizeof out->username);
		col_copy(s, 6, out->agency, sizeof out->agency);
		col_copy(s, 7, out->role, sizeof out->role);
	}
	int r = map_rc(rc);
	sql_reset(s);
	return r;
}

static int sq_session_touch(store_conn *c, const uint8_t hash[STORE_TOKEN_HASH_LEN], const char *until)
{
	sql_stmt *s = stmt(CONN(c), S_SESSION_TOUCH);
	if (!s)
		return STORE_EIO;
	sql_bind_blob(s, 1, hash, STORE_TOKEN_HASH_LEN);
	text(s, 2, until);
	return run(s);
}

static int sq_user_totp_step(store_conn *c, int64_t id, int64_t step, const uint8_t *sealed, bool *advanced)
{
	sql_stmt *s = stmt(CONN(c), S_USER_TOTP_STEP);
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, id);
	sql_bind_int64(s, 2, step);
	if (sealed)
		sql_bind_blob(s, 3, sealed, STORE_TOTP_SEALED_LEN);
	else
		sql_bind_null(s, 3);
	int rc = run(s);
	*advanced = rc == STORE_OK && sql_changes(CONN(c)->db) == 1;
	return rc;
}

static int sq_person_sealed(store_conn *c, int64_t id, bool *sealed)
{
	sql_stmt *s = stmt(CONN(c), S_SEALED_GET);
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, id);
	int rc = sql_step(s);
	*sealed = rc == SQL_ROW && sql_column_int64(s, 0) > 0;
	int r = rc == SQL_ROW ? STORE_OK : map_rc(rc);
	sql_reset(s);
	return r;
}

static int sq_person_seal(store_conn *c, int64_t id, const char *basis, const char *by, bool *already)
{
	sql_stmt *s = stmt(CONN(c), S_SEAL);
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, id);
	text(s, 2, basis);
	text(s, 3, by);
	int rc = run(s);
	*already = rc == STORE_OK && sql_changes(CONN(c)->db) == 0;
	return rc;
}

struct seal_walk {
	store_seal_fn fn;
	void *ctx;
};

static int seal_row(sql_stmt *s, void *arg)
{
	struct seal_walk *w = arg;
	struct store_seal_row r;
	memset(&r, 0, sizeof r);
	r.person_id = sql_column_int64(s, 0);
	col_copy(s, 1, r.basis, sizeof r.basis);
	col_copy(s, 2, r.sealed_at, sizeof r.sealed_at);
	col_copy(s, 3, r.sealed_by, sizeof r.sealed_by);
	return w->fn(&r, w->ctx);
}

static int sq_seals(store_conn *c, int64_t person_id, int limit, store_seal_fn fn, void *ctx)
{
	sql_stmt *s = stmt(CONN(c), S_SEALS);
	struct seal_walk w = {fn, ctx};
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, person_id);
	sql_bind_int(s, 2, limit > 0 ? limit : INT32_MAX);
	return each_row(s, seal_row, &w);
}

static int sq_user_set_credentials(store_conn *c, const char *username, const char *password_hash,
				   const uint8_t totp_sealed[STORE_TOTP_SEALED_LEN], bool *found)
{
	sql_stmt *s = stmt(CONN(c), S_USER_CREDENTIALS);
	if (!s)
		return STORE_EIO;
	text(s, 1, username);
	text(s, 2, password_hash);
	sql_bind_blob(s, 3, totp_sealed, STORE_TOTP_SEALED_LEN);
	int rc = run(s);
	*found = rc == STORE_OK && sql_changes(CONN(c)->db) > 0;
	if (rc == STORE_OK && *found) { /* the old password's sessions end with it */
		sql_stmt *e = stmt(CONN(c), S_USER_SESSIONS_END);
		if (!e)
			return STORE_EIO;
		text(e, 1, username);
		rc = run(e);
	}
	return rc;
}

static int sq_user_set_totp(store_conn *c, const char *username, const uint8_t totp_sealed[STORE_TOTP_SEALED_LEN],
			    bool *found)
{
	sql_stmt *s = stmt(CONN(c), S_USER_TOTP_NEW);
	*found = false;
	if (!s)
		return STORE_EIO;
	text(s, 1, username);
	sql_bind_blob(s, 2, totp_sealed, STORE_TOTP_SEALED_LEN);
	int rc = run(s);
	*found = rc == STORE_OK && sql_changes(CONN(c)->db) > 0;
	return rc;
}

static int sq_session_end(store_conn *c, const uint8_t hash[STORE_TOKEN_HASH_LEN], const char *at)
{
	sql_stmt *s = stmt(CONN(c), S_SESSION_END);
	if (!s)
		return STORE_EIO;
	sql_bind_blob(s, 1, hash, STORE_TOKEN_HASH_LEN);
	text(s, 2, at);
	return run(s);
}

static int sq_login_attempt_add(store_conn *c, const char *username, const char *remote, bool ok)
{
	sql_stmt *s = stmt(CONN(c), S_LOGIN_ADD);
	if (!s)
		return STORE_EIO;
	text(s, 1, username);
	text(s, 2, remote);
	sql_bind_int(s, 3, ok);
	return run(s);
}

static int sq_login_failures(store_conn *c, const char *username, const char *remote, const char *since,
			     struct store_login_failures *out)
{
	sql_stmt *s = stmt(CONN(c), S_LOGIN_FAILURES);
	memset(out, 0, sizeof *out);
	if (!s)
		return STORE_EIO;
	text(s, 1, username);
	text(s, 2, remote);
	text(s, 3, since);
	int rc = sql_step(s);
	if (rc == SQL_ROW) {
		out->pair = sql_column_int64(s, 0);
		out->account = sql_column_int64(s, 1);
		col_copy(s, 2, out->account_last, sizeof out->account_last);
		out->address = sql_column_int64(s, 3);
		col_copy(s, 4, out->address_last, sizeof out->address_last);
	}
	int r = map_rc(rc);
	sql_reset(s);
	return r;
}

static int sq_login_throttle_note(store_conn *c, const char *key, const char *since, const char *now, bool *first)
{
	sql_stmt *s = stmt(CONN(c), S_LOGIN_THROTTLE_NOTE);
	*first = false;
	if (!s)
		return STORE_EIO;
	text(s, 1, key);
	text(s, 2, since);
	text(s, 3, now);
	int rc = run(s);
	*first = rc == STORE_OK && sql_changes(CONN(c)->db) == 1;
	return rc;
}

static int sq_login_prune(store_conn *c, const char *before, int64_t *n)
{
	sql_stmt *s = stmt(CONN(c), S_LOGIN_PRUNE);
	*n = 0;
	if (!s)
		return STORE_EIO;
	text(s, 1, before);
	int rc = run(s);
	if (rc != STORE_OK)
		return rc;
	*n = sql_changes(CONN(c)->db);
	if (!(s = stmt(CONN(c), S_LOGIN_THROTTLE_PRUNE)))
		return STORE_EIO;
	text(s, 1, before);
	return run(s);
}

struct login_walk {
	store_login_attempt_fn fn;
	void *ctx;
};

static int login_attempt_row(sql_stmt *s, void *arg)
{
	struct login_walk *w = arg;
	struct store_login_attempt a;
	a.id = sql_column_int64(s, 0);
	col_copy(s, 1, a.at, sizeof a.at);
	col_copy(s, 2, a.username, sizeof a.username);
	col_copy(s, 3, a.remote, sizeof a.remote);
	a.ok = sql_column_int64(s, 4) != 0;
	return w->fn(&a, w->ctx);
}

static int sq_login_attempts(store_conn *c, const char *username, bool failed_only, int limit,
			     store_login_attempt_fn fn, void *ctx)
{
	sql_stmt *s = stmt(CONN(c), S_LOGIN_ATTEMPTS);
	struct login_walk w = {fn, ctx};
	if (!s)
		return STORE_EIO;
	text(s, 1, username ? username : "");
	sql_bind_int(s, 2, failed_only);
	sql_bind_int(s, 3, limit > 0 ? limit : INT32_MAX);
	return each_row(s, login_attempt_row, &w);
}

struct session_walk {
	store_session_row_fn fn;
	void *ctx;
};

static int session_row(sql_stmt *s, void *arg)
{
	static const char hex[] = "0123456789abcdef";
	struct session_walk *w = arg;
	struct store_session_row r;
	memset(&r, 0, sizeof r);
	const uint8_t *h = sql_column_blob(s, 0);
	if (!h || sql_column_bytes(s, 0) != STORE_TOKEN_HASH_LEN)
		return STORE_EIO;
	for (int i = 0; i < STORE_SESSION_HANDLE_HEX / 2; i++) {
		r.handle[2 * i] = hex[h[i] >> 4];
		r.handle[2 * i + 1] = hex[h[i] & 15];
	}
	col_copy(s, 1, r.username, sizeof r.username);
	col_copy(s, 2, r.kind, sizeof r.kind);
	col_copy(s, 3, r.created_at, sizeof r.created_at);
	col_copy(s, 4, r.expires_at, sizeof r.expires_at);
	col_copy(s, 5, r.idle_until, sizeof r.idle_until);
	col_copy(s, 6, r.ended_at, sizeof r.ended_at);
	return w->fn(&r, w->ctx);
}

static int sq_user_sessions(store_conn *c, const char *username, const char *live_at, int limit,
			    store_session_row_fn fn, void *ctx)
{
	sql_stmt *s = stmt(CONN(c), S_USER_SESSIONS);
	struct session_walk w = {fn, ctx};
	if (!s)
		return STORE_EIO;
	text(s, 1, username ? username : "");
	text(s, 2, live_at ? live_at : "");
	sql_bind_int(s, 3, limit > 0 ? limit : INT32_MAX);
	return each_row(s, session_row, &w);
}

static int sq_sweep_claim(store_conn *c, const char *day, const char *server, bool *claimed)
{
	sql_stmt *s = stmt(CONN(c), S_SWEEP_CLAIM);
	*claimed = false;
	if (!s)
		return STORE_EIO;
	text(s, 1, day);
	text(s, 2, server);
	int rc = run(s);
	*claimed = rc == STORE_OK && sql_changes(CONN(c)->db) == 1;
	return rc;
}

struct sweep_run_walk {
	store_sweep_run_fn fn;
	void *ctx;
};

static int sweep_run_row(sql_stmt *s, void *arg)
{
	struct sweep_run_walk *w = arg;
	struct store_sweep_run r;
	memset(&r, 0, sizeof r);
	col_copy(s, 0, r.day, sizeof r.day);
	col_copy(s, 1, r.started_at, sizeof r.started_at);
	col_copy(s, 2, r.server, sizeof r.server);
	return w->fn(&r, w->ctx);
}

static int sq_sweep_runs(store_conn *c, int limit, store_sweep_run_fn fn, void *ctx)
{
	sql_stmt *s = stmt(CONN(c), S_SWEEP_RUNS);
	struct sweep_run_walk w = {fn, ctx};
	if (!s)
		return STORE_EIO;
	sql_bind_int(s, 1, limit > 0 ? limit : INT32_MAX);
	return each_row(s, sweep_run_row, &w);
}

struct plain_walk {
	store_user_fn fn;
	void *ctx;
};

static int plain_row(sql_stmt *s, void *arg)
{
	struct plain_walk *w = arg;
	struct store_user *u = calloc(1, sizeof *u);
	if (!u)
		return STORE_EIO;
	u->id = sql_column_int64(s, 0);
	col_copy(s, 1, u->username, sizeof u->username);
	int rc = blob_copy(s, 2, u->totp_secret, (int)sizeof u->totp_secret) ? w->fn(u, w->ctx) : STORE_EIO;
	explicit_bzero(u, sizeof *u);
	free(u);
	return rc;
}

static int sq_users_totp_plain(store_conn *c, store_user_fn fn, void *ctx)
{
	struct plain_walk w = {fn, ctx};
	sql_stmt *s = stmt(CONN(c), S_USERS_TOTP_PLAIN);
	return s ? each_row(s, plain_row, &w) : STORE_EIO;
}

static int sq_user_totp_seal(store_conn *c, int64_t id, const uint8_t totp_sealed[STORE_TOTP_SEALED_LEN])
{
	sql_stmt *s = stmt(CONN(c), S_USER_TOTP_SEAL);
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, id);
	sql_bind_blob(s, 2, totp_sealed, STORE_TOTP_SEALED_LEN);
	return run(s);
}

static int sq_wal_truncate(store_conn *c)
{
	return CONN(c)->db->drv->checkpoint(CONN(c)->db);
}

static int sq_notice_add(store_conn *c, const struct store_notice *n, int64_t *id)
{
	sql_stmt *s = stmt(CONN(c), S_NOTICE_ADD);
	*id = 0;
	if (!s)
		return STORE_EIO;
	text(s, 1, n->kind);
	text(s, 2, n->at);
	sql_bind_int64(s, 3, n->user_id);
	sql_bind_int64(s, 4, n->child_id);
	sql_bind_int64(s, 5, n->break_glass_id);
	text(s, 6, n->detail);
	int rc = run(s);
	if (rc == STORE_OK)
		*id = sql_last_insert_id(CONN(c)->db);
	return rc;
}

static int sq_notice_count(store_conn *c, int64_t user_id, const char *kind, const char *since, int64_t *n)
{
	sql_stmt *s = stmt(CONN(c), S_NOTICE_COUNT);
	*n = 0;
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, user_id);
	text(s, 2, kind);
	text(s, 3, since);
	return one_int(s, n);
}

struct notice_walk {
	store_notice_fn fn;
	void *ctx;
};

static int notice_row(sql_stmt *s, void *arg)
{
	struct notice_walk *w = arg;
	struct store_notice n;
	memset(&n, 0, sizeof n);
	n.id = sql_column_int64(s, 0);
	col_copy(s, 1, n.kind, sizeof n.kind);
	col_copy(s, 2, n.at, sizeof n.at);
	n.user_id = sql_column_int64(s, 3);
	n.child_id = sql_column_int64(s, 4);
	n.break_glass_id = sql_column_int64(s, 5);
	col_copy(s, 6, n.detail, sizeof n.detail);
	col_copy(s, 7, n.username, sizeof n.username);
	return w->fn(&n, w->ctx);
}

static int sq_notices(store_conn *c, const struct store_view *v, const char *started, int limit, store_notice_fn fn,
		      void *ctx)
{
	struct notice_walk w = {fn, ctx};
	sql_stmt *s = stmt(CONN(c), S_NOTICES);
	if (!s)
		return STORE_EIO;
	bind_view(s, v);
	sql_bind_int(s, 1, limit > 0 ? limit : 100);
	text(s, 2, started);
	return each_row(s, notice_row, &w);
}

static int sq_checkpoint_add(store_conn *c, const struct store_checkpoint *k)
{
	/* entries held: their flush goes ahead of this statement and a refusal of it is answered with this one's,
	 * so a conflict cannot mean "this head has a checkpoint" (audit_checkpoint's reading): the head is new */
	bool flushed = CONN(c)->held_n > 0;
	sql_stmt *s = stmt(CONN(c), S_CHECKPOINT_ADD);
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, k->audit_id);
	sql_bind_blob(s, 2, k->hash, STORE_AUDIT_HASH_LEN);
	text(s, 3, k->at);
	sql_bind_blob(s, 4, k->public_key, STORE_SIGN_PUBLIC_LEN);
	sql_bind_blob(s, 5, k->signature, STORE_SIGNATURE_LEN);
	int rc = run(s);
	if (rc != STORE_OK && flushed) {
		held_fail(CONN(c));
		return STORE_EIO;
	}
	return rc;
}

struct checkpoint_walk {
	store_checkpoint_fn fn;
	void *ctx;
};

static bool blob_copy(sql_stmt *s, int i, uint8_t *dst, int len)
{
	if (sql_column_bytes(s, i) != len) {
		memset(dst, 0, (size_t)len);
		return false;
	}
	memcpy(dst, sql_column_blob(s, i), (size_t)len);
	return true;
}

static int checkpoint_row(sql_stmt *s, void *arg)
{
	struct checkpoint_walk *w = arg;
	struct store_checkpoint k;
	k.audit_id = sql_column_int64(s, 0);
	k.well_formed = blob_copy(s, 1, k.hash, STORE_AUDIT_HASH_LEN);
	col_copy(s, 2, k.at, sizeof k.at);
	k.well_formed &= blob_copy(s, 3, k.public_key, STORE_SIGN_PUBLIC_LEN);
	k.well_formed &= blob_copy(s, 4, k.signature, STORE_SIGNATURE_LEN);
	return w->fn(&k, w->ctx);
}

static int sq_checkpoints(store_conn *c, store_checkpoint_fn fn, void *ctx)
{
	struct checkpoint_walk w = {fn, ctx};
	sql_stmt *s = stmt(CONN(c), S_CHECKPOINTS);
	return s ? each_row(s, checkpoint_row, &w) : STORE_EIO;
}

static int sq_audit_reads_of_child(store_conn *c, int64_t child_id, int limit, store_audit_fn fn, void *ctx)
{
	struct audit_walk w = {fn, ctx};
	sql_stmt *s = stmt(CONN(c), S_AUDIT_READS);
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, child_id);
	sql_bind_int(s, 2, limit > 0 ? limit : 100);
	return each_row(s, audit_row, &w);
}

static void text_or_null(sql_stmt *s, int i, const char *v);

static int sq_audit_list(store_conn *c, const struct store_audit_query *q, store_audit_fn fn, void *ctx)
{
	struct audit_walk w = {fn, ctx};
	sql_stmt *s = stmt(CONN(c), S_AUDIT_LIST);
	if (!s)
		return STORE_EIO;
	text_or_null(s, 1, q->action);
	sql_bind_int64(s, 2, q->child_id > 0 ? q->child_id : 0); /* typed on both engines: 0 for any child */
	text_or_null(s, 3, q->object);
	text_or_null(s, 4, q->since);
	sql_bind_int64(s, 5, q->limit > 0 ? q->limit : INT64_MAX);
	return each_row(s, audit_row, &w);
}

static int sq_audit_seal(store_conn *c, int64_t id, const uint8_t hash[STORE_AUDIT_HASH_LEN])
{
	CONN(c)->audit_head_known = false;
	sql_stmt *s = stmt(CONN(c), S_AUDIT_SEAL);
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, id);
	sql_bind_blob(s, 2, hash, STORE_AUDIT_HASH_LEN);
	return run(s);
}

static int sq_audit_count(store_conn *c, int64_t *n)
{
	return one_int(stmt(CONN(c), S_AUDIT_COUNT), n);
}

/* ---- what the rules read ----------------------------------------------------------------------------- */

/* A child's events of the kinds listed (?1 the person, ?2 the kinds as a JSON array), by statement id;
 * S_EVENTS_STATUS names its kinds: status_stmt. */
static sql_stmt *events_of_kinds_stmt(store_conn *c, enum stmt_id id, int64_t person_id, const char *kinds_json)
{
	sql_stmt *s = stmt(CONN(c), id);
	if (s) {
		sql_bind_int64(s, 1, person_id);
		text(s, 2, kinds_json);
	}
	return s;
}

static int events_of_kinds(store_conn *c, enum stmt_id id, int64_t person_id, const char *kinds_json,
			   store_event_fn fn, void *ctx)
{
	sql_stmt *s = events_of_kinds_stmt(c, id, person_id, kinds_json);
	struct event_walk w = {fn, ctx};
	if (!s)
		return STORE_EIO;
	return each_row(s, event_row, &w);
}

static int sq_events_of_kinds(store_conn *c, int64_t person_id, const char *kinds_json, store_event_fn fn,
			      void *ctx)
{
	return events_of_kinds(c, S_EVENTS_KINDS_ONE, person_id, kinds_json, fn, ctx);
}

/* S_EVENTS_STATUS, with the view that its shown column asks (NULL: none, every event shown). */
static sql_stmt *status_stmt(store_conn *c, const struct store_view *v, int64_t person_id)
{
	sql_stmt *s = stmt(CONN(c), S_EVENTS_STATUS);
	if (s) {
		if (v)
			bind_view(s, v);
		sql_bind_int64(s, 1, person_id);
	}
	return s;
}

struct status_walk {
	store_status_fn fn;
	void *ctx;
};

static int status_row(sql_stmt *s, void *arg)
{
	struct status_walk *w = arg;
	struct store_event e;
	event_columns(s, &e);
	return w->fn(&e, sql_column_int(s, 9) != 0, w->ctx);
}

static int sq_status_events(store_conn *c, const struct store_view *v, int64_t person_id, store_status_fn fn,
			    void *ctx)
{
	sql_stmt *s = status_stmt(c, v, person_id);
	struct status_walk w = {fn, ctx};
	if (!s)
		return STORE_EIO;
	return each_row(s, status_row, &w);
}

static int sq_details_shown(store_conn *c, const struct store_view *v, const char *details, bool *shown)
{
	sql_stmt *s = stmt(CONN(c), S_DETAILS_SHOWN);
	int64_t n = 0;
	*shown = true;
	if (s) {
		bind_view(s, v);
		text(s, 1, details);
	}
	int rc = one_int(s, &n);
	*shown = rc != STORE_OK || n != 0;
	return rc;
}

static int sq_events_of_kinds_in_time(store_conn *c, int64_t person_id, const char *kinds_json, store_event_fn fn,
				      void *ctx)
{
	return events_of_kinds(c, S_EVENTS_KINDS_IN_TIME, person_id, kinds_json, fn, ctx);
}

static int sq_events_of_kinds_all(store_conn *c, const char *kinds_json, store_event_fn fn, void *ctx)
{
	sql_stmt *s = stmt(CONN(c), S_EVENTS_KINDS_ALL);
	struct event_walk w = {fn, ctx};
	if (!s)
		return STORE_EIO;
	text(s, 1, kinds_json);
	return each_row(s, event_row, &w);
}

static int sq_housemates(store_conn *c, int64_t person_id, store_person_fn fn, void *ctx)
{
	sql_stmt *s = stmt(CONN(c), S_HOUSEMATES);
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, person_id);
	return each_person(s, fn, ctx);
}

static int sq_housemate_events(store_conn *c, int64_t person_id, const char *kind, store_event_fn fn, void *ctx)
{
	sql_stmt *s = stmt(CONN(c), S_HOUSEMATE_EVENTS);
	struct event_walk w = {fn, ctx};
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, person_id);
	text(s, 2, kind);
	return each_row(s, event_row, &w);
}

static int sq_rule_events(store_conn *c, int64_t person_id, const char *kinds_json, const char *housemate_kind,
			  store_event_fn fn, void *ctx)
{
	struct sq_conn *k = CONN(c);
	kinds_json = kinds_json ? kinds_json : "";
	housemate_kind = housemate_kind ? housemate_kind : "";
	struct rules_known *r = rules_find(k, person_id, kinds_json, housemate_kind);
	if (r) { /* read already in this transaction, with what it wrote since */
		for (int i = 0; i < r->ev_n; i++) {
			int u = fn(&r->ev[i], ctx);
			if (u)
				return u;
		}
		return STORE_OK;
	}
	/* a person this transaction made, alone since: answered with no statement (made_answer) */
	const struct made_person *m = made_alone(k, person_id);
	sql_stmt *s = NULL;
	if (!m) {
		if (!(s = stmt(k, S_RULE_EVENTS)))
			return STORE_EIO;
		sql_bind_int64(s, 1, person_id);
		text(s, 2, kinds_json);
		text(s, 3, housemate_kind);
	}
	/* kept for the person's next read, in a writer's transaction only (struct sq_conn, rules) */
	if (k->writer && k->db->drv->in_transaction(k->db) && k->rules_n < RULES_KNOWN_MAX) {
		if (k->rules_n == k->rules_cap) {
			int cap = k->rules_cap ? 2 * k->rules_cap : 16;
			struct rules_known *v = realloc(k->rules, (size_t)cap * sizeof *v);
			if (v) {
				k->rules = v;
				k->rules_cap = cap;
			}
		}
		if (k->rules_n < k->rules_cap) {
			r = &k->rules[k->rules_n++];
			memset(r, 0, sizeof *r);
			r->person = person_id;
			r->kinds = strdup(kinds_json);
			r->mate_kind = strdup(housemate_kind);
			if (!r->kinds || !r->mate_kind) {
				rules_forget(k, k->rules_n - 1);
				r = NULL;
			}
		}
	}
	int rc, u = STORE_OK, at = k->rules_n;
	bool kept = true;
	if (m) {
		u = made_answer(m, kinds_json, r, &kept, fn, ctx);
		if (r && k->rules_n == at && (u != STORE_OK || !kept)) /* the last one: forgotten alone */
			rules_forget(k, at - 1);
		return u;
	}
	while ((rc = sql_step(s)) == SQL_ROW) {
		int64_t id = sql_column_int64(s, 0), who = sql_column_int64(s, 1);
		if (r && k->rules_n != at) /* fn's own statements dropped the answers: this one is not kept */
			r = NULL;
		if (id == 0) { /* no event: a housemate, or a key of the person's households */
			if (r)
				kept = kept && (who == person_id ? rules_add_home(r, col_str(s, 8)) : rules_add_mate(r, who));
			continue;
		}
		struct store_event e;
		e.id = id;
		e.person_id = who;
		e.source_record_id = sql_column_int64(s, 2);
		col_copy(s, 3, e.agency, sizeof e.agency);
		col_copy(s, 4, e.kind, sizeof e.kind);
		col_copy(s, 5, e.occurred_at, sizeof e.occurred_at);
		col_copy(s, 6, e.recorded_at, sizeof e.recorded_at);
		e.summary = col_str(s, 7);
		e.details = col_str(s, 8);
		if (r)
			kept = kept && (who == person_id || rules_add_mate(r, who)) && rules_add_event(r, &e);
		if ((u = fn(&e, ctx)) != 0)
			break;
	}
	if (u == 0)
		u = map_rc(rc);
	sql_reset(s);
	if (r && k->rules_n == at && (u != STORE_OK || !kept)) /* the last one: forgotten alone */
		rules_forget(k, at - 1);
	return u;
}

/* ---- alerts, teams, allocations ---------------------------------------------------------------------- */

static int sq_alert_insert(store_conn *c, const struct store_alert *a, int64_t *id, bool *inserted)
{
	sql_stmt *s = stmt(CONN(c), S_ALERT_INSERT);
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, a->person_id);
	text(s, 2, a->code);
	text(s, 3, a->raised_on);
	text(s, 4, a->due);
	text(s, 5, a->evidence);
	text(s, 6, a->dedup_key);
	text(s, 7, a->owner_kind);
	text(s, 8, a->owner);
	int rc = run(s);
	*inserted = rc == STORE_OK && sql_changes(CONN(c)->db) == 1;
	*id = *inserted ? sql_last_insert_id(CONN(c)->db) : 0;
	return rc;
}

static void alert_row_read(sql_stmt *s, struct store_alert *a)
{
	a->id = sql_column_int64(s, 0);
	a->person_id = sql_column_int64(s, 1);
	col_copy(s, 2, a->code, sizeof a->code);
	col_copy(s, 3, a->raised_on, sizeof a->raised_on);
	col_copy(s, 4, a->due, sizeof a->due);
	col_copy(s, 5, a->evidence, sizeof a->evidence);
	col_copy(s, 6, a->dedup_key, sizeof a->dedup_key);
	col_copy(s, 7, a->owner_kind, sizeof a->owner_kind);
	col_copy(s, 8, a->owner, sizeof a->owner);
	col_copy(s, 9, a->state, sizeof a->state);
	col_copy(s, 10, a->created_at, sizeof a->created_at);
	col_copy(s, 11, a->acknowledged_at, sizeof a->acknowledged_at);
	col_copy(s, 12, a->acknowledged_by, sizeof a->acknowledged_by);
	col_copy(s, 13, a->resolved_at, sizeof a->resolved_at);
	col_copy(s, 14, a->resolved_by, sizeof a->resolved_by);
	col_copy(s, 15, a->outcome, sizeof a->outcome);
	col_copy(s, 16, a->escalated_at, sizeof a->escalated_at);
	col_copy(s, 17, a->escalated_to, sizeof a->escalated_to);
	col_copy(s, 18, a->given_name, sizeof a->given_name);
	col_copy(s, 19, a->family_name, sizeof a->family_name);
}

static int sq_alert_get(store_conn *c, int64_t id, struct store_alert *out, bool *found)
{
	sql_stmt *s = stmt(CONN(c), S_ALERT_GET);
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, id);
	int rc = sql_step(s);
	*found = rc == SQL_ROW;
	if (*found)
		alert_row_read(s, out);
	int r = map_rc(rc);
	sql_reset(s);
	return r;
}

struct alert_walk {
	store_alert_fn fn;
	void *ctx;
	struct store_alert a; /* 3 KiB, reused per row */
};

static int alert_walk_row(sql_stmt *s, void *arg)
{
	struct alert_walk *w = arg;
	alert_row_read(s, &w->a);
	return w->fn(&w->a, w->ctx);
}

static int alerts_walk(store_conn *c, const struct store_view *v, enum stmt_id id, const struct store_alert_query *q,
		       store_alert_fn fn, void *ctx);

static int sq_alerts(store_conn *c, const struct store_view *v, const struct store_alert_query *q, store_alert_fn fn,
		     void *ctx)
{
	return alerts_walk(c, v, q->person_id ? S_ALERTS_CHILD : S_ALERTS, q, fn, ctx);
}

static int sq_alerts_owned(store_conn *c, const struct store_view *v, const struct store_alert_query *q,
			   store_alert_fn fn, void *ctx)
{
	return alerts_walk(c, v, S_ALERTS_OWNED, q, fn, ctx);
}

static sql_stmt *alerts_stmt(store_conn *c, const struct store_view *v, enum stmt_id id,
			     const struct store_alert_query *q)
{
	if (id == S_ALERTS_CHILD && q->person_decided) /* the child's own view answered by the caller's decision */
		id = view_every_alert(v) ? S_ALERTS_CHILD_DECIDED_ALL : S_ALERTS_CHILD_DECIDED;
	else if (id == S_ALERTS_CHILD && view_every_alert(v))
		id = S_ALERTS_CHILD_ALL; /* VIEW_ALERT holds for every alert: not asked */
	sql_stmt *s = stmt(CONN(c), id);
	if (!s)
		return NULL;
	bind_view(s, v);
	text(s, 1, q->state);
	sql_bind_int(s, 2, q->open_or_acknowledged);
	text(s, 3, q->owner_kind);
	text(s, 4, q->owner);
	text(s, 5, q->escalated_to);
	sql_bind_int64(s, 6, q->person_id);
	sql_bind_int(s, 7, q->limit > 0 ? q->limit : 100);
	return s;
}

static int alerts_walk(store_conn *c, const struct store_view *v, enum stmt_id id, const struct store_alert_query *q,
		       store_alert_fn fn, void *ctx)
{
	struct alert_walk *w = malloc(sizeof *w);
	if (!w)
		return STORE_EIO;
	sql_stmt *s = alerts_stmt(c, v, id, q);
	if (!s) {
		free(w);
		return STORE_EIO;
	}
	w->fn = fn;
	w->ctx = ctx;
	int rc = each_row(s, alert_walk_row, w);
	free(w);
	return rc;
}

static int sq_alert_counts(store_conn *c, int64_t person_id, int64_t *open, int64_t *overdue, const char *today)
{
	sql_stmt *s = stmt(CONN(c), S_ALERT_COUNTS);
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, person_id);
	text(s, 2, today);
	int rc = sql_step(s);
	*open = rc == SQL_ROW ? sql_column_int64(s, 0) : 0;
	*overdue = rc == SQL_ROW ? sql_column_int64(s, 1) : 0;
	int r = map_rc(rc);
	sql_reset(s);
	return r;
}

static int changed_run(store_conn *c, sql_stmt *s, bool *changed)
{
	int rc = run(s);
	*changed = rc == STORE_OK && sql_changes(CONN(c)->db) > 0;
	return rc;
}

static int sq_alert_acknowledge(store_conn *c, int64_t id, const char *by, bool *changed)
{
	sql_stmt *s = stmt(CONN(c), S_ALERT_ACK);
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, id);
	text(s, 2, by);
	return changed_run(c, s, changed);
}

static int sq_alert_resolve(store_conn *c, int64_t id, const char *by, const char *outcome, bool *changed)
{
	sql_stmt *s = stmt(CONN(c), S_ALERT_RESOLVE);
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, id);
	text(s, 2, by);
	text(s, 3, outcome);
	return changed_run(c, s, changed);
}

struct escalation_due_walk {
	store_alert_due_fn fn;
	void *ctx;
};

static int escalation_due_row(sql_stmt *s, void *arg)
{
	struct escalation_due_walk *w = arg;
	return w->fn(sql_column_int64(s, 0), sql_column_int64(s, 1), w->ctx);
}

static int sq_alerts_escalation_due(store_conn *c, const char *created_before, store_alert_due_fn fn, void *ctx)
{
	sql_stmt *s = stmt(CONN(c), S_ALERT_ESCALATION_DUE);
	struct escalation_due_walk w = {fn, ctx};
	if (!s)
		return STORE_EIO;
	text(s, 1, created_before);
	return each_row(s, escalation_due_row, &w);
}

static int sq_alerts_escalated_to(store_conn *c, const char *escalated_to, store_alert_due_fn fn, void *ctx)
{
	sql_stmt *s = stmt(CONN(c), S_ALERTS_ESCALATED_TO);
	struct escalation_due_walk w = {fn, ctx};
	if (!s)
		return STORE_EIO;
	text(s, 1, escalated_to);
	return each_row(s, escalation_due_row, &w);
}

static int sq_team_upsert(store_conn *c, const struct store_team *t)
{
	sql_stmt *s = stmt(CONN(c), S_TEAM_UPSERT);
	if (!s)
		return STORE_EIO;
	text(s, 1, t->code);
	text(s, 2, t->name);
	text(s, 3, t->manager);
	return run(s);
}

static int sq_allocation_set(store_conn *c, const struct store_allocation *a)
{
	sql_stmt *s = stmt(CONN(c), S_ALLOC_SET);
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, a->person_id);
	text(s, 2, a->worker);
	text(s, 3, a->team);
	return run(s);
}

static void alloc_row_read(sql_stmt *s, struct store_allocation *a)
{
	a->person_id = sql_column_int64(s, 0);
	col_copy(s, 1, a->worker, sizeof a->worker);
	col_copy(s, 2, a->team, sizeof a->team);
	col_copy(s, 3, a->since, sizeof a->since);
	col_copy(s, 4, a->given_name, sizeof a->given_name);
	col_copy(s, 5, a->family_name, sizeof a->family_name);
	col_copy(s, 6, a->dob, sizeof a->dob);
	col_copy(s, 7, a->manager, sizeof a->manager);
}

static int sq_allocation_get(store_conn *c, int64_t person_id, struct store_allocation *out, bool *found)
{
	sql_stmt *s = stmt(CONN(c), S_ALLOC_GET);
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, person_id);
	int rc = sql_step(s);
	*found = rc == SQL_ROW;
	if (*found)
		alloc_row_read(s, out);
	int r = map_rc(rc);
	sql_reset(s);
	return r;
}

struct alloc_walk {
	store_allocation_fn fn;
	void *ctx;
	struct store_allocation a;
};

static int alloc_walk_row(sql_stmt *s, void *arg)
{
	struct alloc_walk *w = arg;
	alloc_row_read(s, &w->a);
	return w->fn(&w->a, w->ctx);
}

/* The allocation lists' one walk: the statement bound but for its limit (parameter limit_at; 500 when none
 * is asked), each row handed to fn. */
static int alloc_rows(sql_stmt *s, int limit_at, int limit, store_allocation_fn fn, void *ctx)
{
	struct alloc_walk *w = malloc(sizeof *w);
	if (!w)
		return STORE_EIO;
	w->fn = fn;
	w->ctx = ctx;
	sql_bind_int(s, limit_at, limit > 0 ? limit : 500);
	int rc = each_row(s, alloc_walk_row, w);
	free(w);
	return rc;
}

static int sq_caseload(store_conn *c, const struct store_view *v, const char *worker, int limit,
		       store_allocation_fn fn, void *ctx)
{
	sql_stmt *s = stmt(CONN(c), S_CASELOAD);
	if (!s)
		return STORE_EIO;
	bind_view(s, v);
	text(s, 1, worker);
	return alloc_rows(s, 2, limit, fn, ctx);
}

static int sq_allocations(store_conn *c, const struct store_view *v, int64_t person_id, int limit,
			  store_allocation_fn fn, void *ctx)
{
	sql_stmt *s = stmt(CONN(c), S_ALLOCATIONS);
	if (!s)
		return STORE_EIO;
	bind_view(s, v);
	sql_bind_int64(s, 1, person_id);
	return alloc_rows(s, 2, limit, fn, ctx);
}

static int sq_caseload_managed(store_conn *c, const struct store_view *v, const char *worker, const char *manager,
			       int limit, store_allocation_fn fn, void *ctx)
{
	sql_stmt *s = stmt(CONN(c), S_CASELOAD_MANAGED);
	if (!s)
		return STORE_EIO;
	bind_view(s, v);
	text(s, 1, worker);
	text(s, 2, manager);
	return alloc_rows(s, 3, limit, fn, ctx);
}

static int sq_alerts_follow(store_conn *c, int64_t person_id, const char *owner_kind, const char *owner,
			   const char *escalated_to, int64_t *n)
{
	sql_stmt *s = stmt(CONN(c), S_ALERTS_FOLLOW);
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, person_id);
	text(s, 2, owner_kind);
	text(s, 3, owner);
	text(s, 4, escalated_to);
	int rc = run(s);
	*n = rc == STORE_OK ? sql_changes(CONN(c)->db) : 0;
	return rc;
}

static int sq_alert_escalate_one(store_conn *c, int64_t id, const char *escalated_to, bool *changed)
{
	sql_stmt *s = stmt(CONN(c), S_ALERT_ESCALATE_ONE);
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, id);
	text(s, 2, escalated_to);
	return changed_run(c, s, changed);
}

static int sq_manages(store_conn *c, const char *manager, const char *team, const char *worker, int64_t child_id,
		      bool *yes)
{
	sql_stmt *s = stmt(CONN(c), S_MANAGES);
	int64_t v = 0;
	if (!s)
		return STORE_EIO;
	text(s, 1, manager);
	text(s, 2, team ? team : "");
	text(s, 3, worker ? worker : "");
	sql_bind_int64(s, 4, child_id);
	int rc = one_int(s, &v);
	*yes = rc == STORE_OK && v != 0;
	return rc;
}

struct workload_walk {
	store_workload_fn fn;
	void *ctx;
};

static int workload_row(sql_stmt *s, void *arg)
{
	struct workload_walk *w = arg;
	struct store_workload r;
	memset(&r, 0, sizeof r);
	col_copy(s, 0, r.worker, sizeof r.worker);
	r.children = sql_column_int64(s, 1);
	r.open = sql_column_int64(s, 2);
	r.overdue = sql_column_int64(s, 3);
	return w->fn(&r, w->ctx);
}

static int sq_team_workload(store_conn *c, const struct store_view *v, const char *team, const char *today,
			    store_workload_fn fn, void *ctx)
{
	sql_stmt *s = stmt(CONN(c), S_TEAM_WORKLOAD);
	struct workload_walk w = {fn, ctx};
	if (!s)
		return STORE_EIO;
	bind_view(s, v);
	text(s, 1, team);
	text(s, 2, today);
	return each_row(s, workload_row, &w);
}

struct awaiting_walk {
	store_awaiting_fn fn;
	void *ctx;
	struct store_awaiting a;
};

static int awaiting_row(sql_stmt *s, void *arg)
{
	struct awaiting_walk *w = arg;
	struct store_awaiting *a = &w->a;
	memset(&a->event, 0, sizeof a->event);
	a->event.id = sql_column_int64(s, 0);
	a->event.person_id = sql_column_int64(s, 1);
	col_copy(s, 2, a->event.agency, sizeof a->event.agency);
	col_copy(s, 3, a->event.kind, sizeof a->event.kind);
	col_copy(s, 4, a->event.occurred_at, sizeof a->event.occurred_at);
	a->event.summary = a->event.details = "";
	col_copy(s, 5, a->given_name, sizeof a->given_name);
	col_copy(s, 6, a->family_name, sizeof a->family_name);
	col_copy(s, 7, a->dob, sizeof a->dob);
	return w->fn(a, w->ctx);
}

static int sq_awaiting_decision(store_conn *c, const struct store_view *v, int limit, store_awaiting_fn fn, void *ctx,
				int64_t *total)
{
	sql_stmt *n = stmt(CONN(c), S_AWAITING_COUNT);
	if (!n)
		return STORE_EIO;
	bind_view(n, v);
	int rc = one_int(n, total);
	sql_stmt *s = stmt(CONN(c), S_AWAITING);
	if (rc)
		return rc;
	if (!s)
		return STORE_EIO;
	bind_view(s, v);
	struct awaiting_walk *w = malloc(sizeof *w);
	if (!w)
		return STORE_EIO;
	w->fn = fn;
	w->ctx = ctx;
	sql_bind_int(s, 1, limit > 0 ? limit : 100);
	rc = each_row(s, awaiting_row, w);
	free(w);
	return rc;
}

struct mash_walk {
	store_mash_fn fn;
	void *ctx;
	struct store_mash_item m;
};

static int mash_walk_row(sql_stmt *s, void *arg)
{
	struct mash_walk *w = arg;
	struct store_mash_item *m = &w->m;
	memset(m, 0, sizeof *m);
	m->event.id = sql_column_int64(s, 0);
	m->event.person_id = sql_column_int64(s, 1);
	col_copy(s, 2, m->event.agency, sizeof m->event.agency);
	col_copy(s, 3, m->event.kind, sizeof m->event.kind);
	col_copy(s, 4, m->event.occurred_at, sizeof m->event.occurred_at);
	col_copy(s, 5, m->given_name, sizeof m->given_name);
	col_copy(s, 6, m->family_name, sizeof m->family_name);
	col_copy(s, 7, m->dob, sizeof m->dob);
	m->decision_id = sql_column_int64(s, 8);
	col_copy(s, 9, m->decided_at, sizeof m->decided_at);
	col_copy(s, 10, m->outcome, sizeof m->outcome);
	col_copy(s, 11, m->decided_by, sizeof m->decided_by);
	m->event.summary = col_str(s, 12);
	m->event.details = col_str(s, 13);
	m->reason = col_str(s, 14);
	m->decision_shown = sql_column_int(s, 15) != 0;
	return w->fn(m, w->ctx);
}

static void mash_bind(sql_stmt *s, const struct store_view *v, const struct store_mash_query *q)
{
	bind_view(s, v);
	sql_bind_int(s, 1, q->decided ? 1 : 0);
	if (q->agency)
		text(s, 2, q->agency);
	if (q->received_from)
		text(s, 3, q->received_from);
	if (q->received_before)
		text(s, 4, q->received_before);
	if (q->name)
		text(s, 5, q->name);
	/* the counts' bound (the lists have no ?8: binding it does nothing there) */
	sql_bind_int64(s, 8, q->count_max > 0 ? q->count_max + 1 : INT64_MAX);
	/* the walk bounded by the received filters: the queue's on mash_open (MASH_OPEN_FROM, MASH_OPEN_UNTIL), one
	 * agency's decisions' on event_mash_agency (MASH_DECIDED_AGENCY) */
	text(s, 11, q->received_from ? q->received_from : MASH_KEY_MIN);
	text(s, 12, q->received_before ? q->received_before : MASH_KEY_MAX);
}

/* Binds a list as sq_mash_queue runs it (bench/mash_same.c binds its lists with it too): the filters, the page,
 * and the key or the end of the list. */
static void mash_list_bind(sql_stmt *s, const struct store_view *v, const struct store_mash_query *q)
{
	mash_bind(s, v, q);
	sql_bind_int(s, 6, q->limit > 0 ? q->limit : 25);
	if (!q->before) /* a page before its key has no OFFSET */
		sql_bind_int(s, 7, q->offset > 0 ? q->offset : 0);
	/* The key, or (no key) an end no event passes: the list's first row for a page after it, its last for a
	 * page before it (the awaiting list runs forwards, the decided backwards). */
	bool from_start = q->decided == q->before;
	const char *key_at = q->key_at ? q->key_at : from_start ? MASH_KEY_MIN : MASH_KEY_MAX;
	int64_t key_id = q->key_at ? q->key_id : from_start ? 0 : INT64_MAX;
	/* The queue on mash_open: a received filter nearer than the key is the key, so that the walk starts there
	 * (MASH_OPEN_FROM). (occurred_at, id) > (from, 0) is occurred_at >= from, and (occurred_at, id) <
	 * (before, 0) is occurred_at < before: every id is > 0. */
	if (!q->decided && !q->name && !q->before && q->received_from && strcmp(key_at, q->received_from) < 0)
		key_at = q->received_from, key_id = 0;
	if (!q->decided && !q->name && q->before && q->received_before && strcmp(key_at, q->received_before) >= 0)
		key_at = q->received_before, key_id = 0;
	/* One agency's decisions (MASH_DECIDED_AGENCY), walked newest first after a key and oldest first before
	 * one: the same, the other way round. */
	bool decided_agency = q->decided && !q->name && q->agency;
	if (decided_agency && !q->before && q->received_before && strcmp(key_at, q->received_before) >= 0)
		key_at = q->received_before, key_id = 0;
	if (decided_agency && q->before && q->received_from && strcmp(key_at, q->received_from) < 0)
		key_at = q->received_from, key_id = 0;
	text(s, 9, key_at);
	sql_bind_int64(s, 10, key_id);
}

/* The statements q runs (bench/mash_same.c runs the same): its count, and its list (or its page before a key).
 * The queue without a name walks mash_open, by its primary key or, filtered by an agency, by that agency's
 * rows (mash_open_agency); with a name it starts from the children named; the decisions walk event_mash, or
 * filtered by an agency, that agency's contacts (event_mash_agency). */
static enum stmt_id mash_count_id(const struct store_mash_query *q)
{
	if (q->decided)
		return !q->name && q->agency ? S_MASH_DECIDED_AGENCY_COUNT : S_MASH_DECIDED_COUNT;
	return q->name	   ? S_MASH_AWAITING_COUNT_NAMED
	       : q->agency ? S_MASH_AWAITING_AGENCY_COUNT
			   : S_MASH_AWAITING_COUNT;
}

static enum stmt_id mash_list_id(const struct store_mash_query *q)
{
	static const enum stmt_id lists[2][2][2] = { /* [decided][name][before] */
		{{S_MASH_AWAITING_LIST, S_MASH_AWAITING_BACK}, {S_MASH_AWAITING_NAMED, S_MASH_AWAITING_NAMED_BACK}},
		{{S_MASH_DECIDED_LIST, S_MASH_DECIDED_BACK}, {S_MASH_DECIDED_NAMED, S_MASH_DECIDED_NAMED_BACK}}};
	if (!q->decided && !q->name && q->agency)
		return q->before ? S_MASH_AWAITING_AGENCY_BACK : S_MASH_AWAITING_AGENCY_LIST;
	if (q->decided && !q->name && q->agency)
		return q->before ? S_MASH_DECIDED_AGENCY_BACK : S_MASH_DECIDED_AGENCY_LIST;
	return lists[q->decided][q->name != NULL][q->before];
}

static int sq_mash_queue(store_conn *c, const struct store_view *v, const struct store_mash_query *q, store_mash_fn fn,
			 void *ctx, int64_t *total)
{
	sql_stmt *n = stmt(CONN(c), mash_count_id(q));
	if (!n)
		return STORE_EIO;
	mash_bind(n, v, q);
	int rc = one_int(n, total);
	sql_clear_bindings(n);
	if (rc)
		return rc;
	if (q->count_only)
		return STORE_OK;
	sql_stmt *s = stmt(CONN(c), mash_list_id(q));
	if (!s)
		return STORE_EIO;
	mash_list_bind(s, v, q);
	struct mash_walk *w = malloc(sizeof *w);
	if (!w) {
		sql_clear_bindings(s);
		return STORE_EIO;
	}
	w->fn = fn;
	w->ctx = ctx;
	rc = each_row(s, mash_walk_row, w);
	sql_clear_bindings(s);
	free(w);
	return rc;
}

static int sq_mash_item(store_conn *c, const struct store_view *v, int64_t event_id, store_mash_fn fn, void *ctx)
{
	sql_stmt *s = stmt(CONN(c), S_MASH_ITEM);
	if (!s)
		return STORE_EIO;
	bind_view(s, v);
	sql_bind_int64(s, 1, event_id);
	struct mash_walk *w = malloc(sizeof *w);
	if (!w)
		return STORE_EIO;
	w->fn = fn;
	w->ctx = ctx;
	int rc = each_row(s, mash_walk_row, w);
	sql_clear_bindings(s);
	free(w);
	return rc;
}

static int sq_flag_access_add(store_conn *c, const struct store_flag_access *a, int64_t *id)
{
	sql_stmt *s = stmt(CONN(c), S_FLAG_ADD);
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, a->person_id);
	text(s, 2, a->actor);
	text(s, 3, a->organisation);
	text(s, 4, a->setting);
	int rc = run(s);
	*id = rc == STORE_OK ? sql_last_insert_id(CONN(c)->db) : 0;
	return rc;
}

struct flag_walk {
	store_flag_access_fn fn;
	void *ctx;
};

static int flag_row(sql_stmt *s, void *arg)
{
	struct flag_walk *w = arg;
	struct store_flag_access a;
	a.person_id = sql_column_int64(s, 0);
	col_copy(s, 1, a.at, sizeof a.at);
	col_copy(s, 2, a.actor, sizeof a.actor);
	col_copy(s, 3, a.organisation, sizeof a.organisation);
	col_copy(s, 4, a.setting, sizeof a.setting);
	return w->fn(&a, w->ctx);
}

static int sq_flag_accesses(store_conn *c, int64_t person_id, int limit, store_flag_access_fn fn, void *ctx)
{
	sql_stmt *s = stmt(CONN(c), S_FLAGS);
	struct flag_walk w = {fn, ctx};
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, person_id);
	sql_bind_int(s, 2, limit > 0 ? limit : 25);
	return each_row(s, flag_row, &w);
}

/* ---- recordings ------------------------------------------------------------------------------------- */

static int sq_recording_insert(store_conn *c, const struct store_recording *r, int64_t *id)
{
	sql_stmt *s = stmt(CONN(c), S_RECORDING_INSERT);
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, r->child_id);
	text(s, 2, r->filename);
	text(s, 3, r->content_type);
	sql_bind_int64(s, 4, r->bytes);
	text(s, 5, r->blake2b);
	sql_bind_blob(s, 6, r->wrapped_key, STORE_RECORDING_WRAPPED_LEN);
	sql_bind_blob(s, 7, r->key_nonce, STORE_RECORDING_NONCE_LEN);
	text(s, 8, r->disk_name);
	text(s, 9, r->uploaded_by);
	text(s, 10, r->uploaded_at);
	text(s, 11, r->kind[0] ? r->kind : "other");
	text(s, 12, r->recorded_on[0] ? r->recorded_on : r->uploaded_at);
	text(s, 13, r->present);
	text(s, 14, r->consent);
	text(s, 15, r->words);
	int rc = run(s);
	*id = rc == STORE_OK ? sql_last_insert_id(CONN(c)->db) : 0;
	return rc;
}

static int sq_recording_rewrap(store_conn *c, int64_t id, const uint8_t wrapped[STORE_RECORDING_WRAPPED_LEN],
			       const uint8_t nonce[STORE_RECORDING_NONCE_LEN])
{
	sql_stmt *s = stmt(CONN(c), S_RECORDING_REWRAP);
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, id);
	sql_bind_blob(s, 2, wrapped, STORE_RECORDING_WRAPPED_LEN);
	sql_bind_blob(s, 3, nonce, STORE_RECORDING_NONCE_LEN);
	int rc = run(s);
	return rc == STORE_OK && sql_changes(CONN(c)->db) != 1 ? STORE_ECONFLICT : rc;
}

static int sq_recording_delete(store_conn *c, int64_t id)
{
	sql_stmt *s = stmt(CONN(c), S_RECORDING_DELETE);
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, id);
	int rc = run(s);
	return rc == STORE_OK && sql_changes(CONN(c)->db) != 1 ? STORE_ECONFLICT : rc;
}

static void recording_row(sql_stmt *s, struct store_recording *r)
{
	memset(r, 0, sizeof *r);
	r->id = sql_column_int64(s, 0);
	r->child_id = sql_column_int64(s, 1);
	col_copy(s, 2, r->filename, sizeof r->filename);
	col_copy(s, 3, r->content_type, sizeof r->content_type);
	r->bytes = sql_column_int64(s, 4);
	col_copy(s, 5, r->blake2b, sizeof r->blake2b);
	const void *k = sql_column_blob(s, 6);
	int klen = sql_column_bytes(s, 6);
	const void *n = sql_column_blob(s, 7);
	int nlen = sql_column_bytes(s, 7);
	r->well_formed = k && n && klen == STORE_RECORDING_WRAPPED_LEN && nlen == STORE_RECORDING_NONCE_LEN;
	if (r->well_formed) {
		memcpy(r->wrapped_key, k, STORE_RECORDING_WRAPPED_LEN);
		memcpy(r->key_nonce, n, STORE_RECORDING_NONCE_LEN);
	}
	col_copy(s, 8, r->disk_name, sizeof r->disk_name);
	col_copy(s, 9, r->uploaded_by, sizeof r->uploaded_by);
	col_copy(s, 10, r->uploaded_at, sizeof r->uploaded_at);
	col_copy(s, 11, r->kind, sizeof r->kind);
	col_copy(s, 12, r->recorded_on, sizeof r->recorded_on);
	col_copy(s, 13, r->present, sizeof r->present);
	col_copy(s, 14, r->consent, sizeof r->consent);
	col_copy(s, 15, r->words, sizeof r->words);
}

static int sq_recording_get(store_conn *c, int64_t id, struct store_recording *out, bool *found)
{
	sql_stmt *s = stmt(CONN(c), S_RECORDING_GET);
	*found = false;
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, id);
	int rc = sql_step(s);
	if (rc == SQL_ROW) {
		recording_row(s, out);
		*found = true;
	}
	int r = map_rc(rc);
	sql_reset(s);
	return r;
}

struct recording_walk {
	store_recording_fn fn;
	void *ctx;
	struct store_recording r;
};

static int recording_each_row(sql_stmt *s, void *arg)
{
	struct recording_walk *w = arg;
	recording_row(s, &w->r);
	return w->fn(&w->r, w->ctx);
}

static int sq_recordings(store_conn *c, int64_t child_id, store_recording_fn fn, void *ctx)
{
	sql_stmt *s = stmt(CONN(c), child_id ? S_RECORDINGS_CHILD : S_RECORDINGS_ALL);
	struct recording_walk *w = calloc(1, sizeof *w); /* the row is large: not on the stack */
	int rc;
	if (!s || !w) {
		free(w);
		return STORE_EIO;
	}
	w->fn = fn;
	w->ctx = ctx;
	if (child_id)
		sql_bind_int64(s, 1, child_id);
	rc = each_row(s, recording_each_row, w);
	free(w);
	return rc;
}

/* ---- children's homes and their oversight ------------------------------------------------------------ */

static void home_row(sql_stmt *s, struct store_home *h)
{
	h->id = sql_column_int64(s, 0);
	col_copy(s, 1, h->urn, sizeof h->urn);
	col_copy(s, 2, h->name, sizeof h->name);
	col_copy(s, 3, h->provider, sizeof h->provider);
	col_copy(s, 4, h->la_code, sizeof h->la_code);
	col_copy(s, 5, h->postcode, sizeof h->postcode);
	h->lat = sql_column_double(s, 6);
	h->lon = sql_column_double(s, 7);
	h->places = sql_column_int(s, 8);
	col_copy(s, 9, h->specialism, sizeof h->specialism);
	col_copy(s, 10, h->ofsted_grade, sizeof h->ofsted_grade);
	col_copy(s, 11, h->grade_date, sizeof h->grade_date);
}

static int sq_home_insert(store_conn *c, const struct store_home *h, int64_t *id)
{
	sql_stmt *s = stmt(CONN(c), S_HOME_INSERT);
	if (!s)
		return STORE_EIO;
	text(s, 1, h->urn);
	text(s, 2, h->name);
	text(s, 3, h->provider);
	text(s, 4, h->la_code);
	text(s, 5, h->postcode);
	if (h->lat != 0 || h->lon != 0) {
		sql_bind_double(s, 6, h->lat);
		sql_bind_double(s, 7, h->lon);
	}
	sql_bind_int(s, 8, h->places);
	text(s, 9, h->specialism);
	text(s, 10, h->ofsted_grade);
	text(s, 11, h->grade_date);
	int rc = run(s);
	if (rc == STORE_OK)
		*id = sql_last_insert_id(CONN(c)->db);
	return rc;
}

static int sq_home_get(store_conn *c, int64_t id, struct store_home *out, bool *found)
{
	sql_stmt *s = stmt(CONN(c), S_HOME_GET);
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, id);
	int rc = sql_step(s);
	*found = rc == SQL_ROW;
	if (*found)
		home_row(s, out);
	int r = map_rc(rc);
	sql_reset(s);
	return r;
}

struct home_walk {
	store_home_fn fn;
	void *ctx;
	struct store_home h;
};

static int home_each_row(sql_stmt *s, void *arg)
{
	struct home_walk *w = arg;
	home_row(s, &w->h);
	return w->fn(&w->h, w->ctx);
}

static int sq_homes(store_conn *c, const char *la_code, store_home_fn fn, void *ctx)
{
	sql_stmt *s = stmt(CONN(c), S_HOMES);
	struct home_walk w = {.fn = fn, .ctx = ctx};
	if (!s)
		return STORE_EIO;
	text(s, 1, la_code);
	return each_row(s, home_each_row, &w);
}

static int sq_home_occupancy_set(store_conn *c, int64_t home_id, const char *month, double child_nights)
{
	sql_stmt *s = stmt(CONN(c), S_OCC_SET);
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, home_id);
	text(s, 2, month);
	sql_bind_double(s, 3, child_nights);
	return run(s);
}

struct occ_walk {
	store_occupancy_fn fn;
	void *ctx;
};

static int occ_each_row(sql_stmt *s, void *arg)
{
	struct occ_walk *w = arg;
	return w->fn(sql_column_int64(s, 0), col_str(s, 1), sql_column_double(s, 2), w->ctx);
}

static int sq_home_occupancy(store_conn *c, int64_t home_id, store_occupancy_fn fn, void *ctx)
{
	sql_stmt *s = stmt(CONN(c), home_id ? S_OCC_HOME : S_OCC_ALL);
	struct occ_walk w = {fn, ctx};
	if (!s)
		return STORE_EIO;
	if (home_id)
		sql_bind_int64(s, 1, home_id);
	return each_row(s, occ_each_row, &w);
}

static int sq_home_incident_insert(store_conn *c, const struct store_home_incident *i, int64_t *id)
{
	sql_stmt *s = stmt(CONN(c), S_INC_INSERT);
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, i->home_id);
	sql_bind_int64(s, 2, i->person_id);
	text(s, 3, i->occurred_at);
	text(s, 4, i->type);
	sql_bind_int(s, 5, i->duration_min);
	text(s, 6, i->technique);
	sql_bind_int(s, 7, i->child_injured);
	sql_bind_int(s, 8, i->staff_involved);
	sql_bind_int(s, 9, i->debrief_offered);
	text(s, 10, i->summary);
	int rc = run(s);
	if (rc == STORE_OK && id)
		*id = sql_last_insert_id(CONN(c)->db);
	return rc;
}

struct count_walk {
	store_incident_count_fn fn;
	void *ctx;
};

static int count_each_row(sql_stmt *s, void *arg)
{
	struct count_walk *w = arg;
	return w->fn(sql_column_int64(s, 0), col_str(s, 1), col_str(s, 2), sql_column_int64(s, 3), w->ctx);
}

static int sq_home_incident_counts(store_conn *c, store_incident_count_fn fn, void *ctx)
{
	sql_stmt *s = stmt(CONN(c), S_INC_COUNTS);
	struct count_walk w = {fn, ctx};
	return s ? each_row(s, count_each_row, &w) : STORE_EIO;
}

struct incident_walk {
	store_home_incident_fn fn;
	void *ctx;
	struct store_home_incident i;
};

static int incident_each_row(sql_stmt *s, void *arg)
{
	struct incident_walk *w = arg;
	struct store_home_incident *i = &w->i;
	i->id = sql_column_int64(s, 0);
	i->home_id = sql_column_int64(s, 1);
	i->person_id = sql_column_int64(s, 2);
	col_copy(s, 3, i->occurred_at, sizeof i->occurred_at);
	col_copy(s, 4, i->type, sizeof i->type);
	i->duration_min = sql_column_int(s, 5);
	col_copy(s, 6, i->technique, sizeof i->technique);
	i->child_injured = sql_column_int(s, 7);
	i->staff_involved = sql_column_int(s, 8);
	i->debrief_offered = sql_column_int(s, 9);
	col_copy(s, 10, i->summary, sizeof i->summary);
	col_copy(s, 11, i->home_name, sizeof i->home_name);
	col_copy(s, 12, i->given_name, sizeof i->given_name);
	col_copy(s, 13, i->family_name, sizeof i->family_name);
	return w->fn(i, w->ctx);
}

static int sq_home_incidents(store_conn *c, const struct store_view *v, const struct store_incident_query *q,
			     store_home_incident_fn fn, void *ctx)
{
	sql_stmt *s = stmt(CONN(c), S_INCIDENTS);
	struct incident_walk *w = calloc(1, sizeof *w);
	int rc;
	if (!s || !w) {
		free(w);
		return STORE_EIO;
	}
	bind_view(s, v);
	w->fn = fn;
	w->ctx = ctx;
	sql_bind_int64(s, 1, q->home_id);
	text(s, 2, q->la_code);
	text(s, 3, q->type);
	text(s, 4, q->since);
	sql_bind_int(s, 5, q->limit);
	rc = each_row(s, incident_each_row, w);
	free(w);
	return rc;
}

static int sq_home_placement_insert(store_conn *c, const struct store_home_placement *p, int64_t *id)
{
	sql_stmt *s = stmt(CONN(c), S_PLACE_INSERT);
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, p->home_id);
	sql_bind_int64(s, 2, p->person_id);
	text(s, 3, p->start);
	text(s, 4, p->end);
	sql_bind_double(s, 5, p->distance_km < 0 ? -1.0 : p->distance_km);
	sql_bind_int(s, 6, p->out_of_area);
	sql_bind_int(s, 7, p->distant);
	int rc = run(s);
	if (rc == STORE_OK && id)
		*id = sql_last_insert_id(CONN(c)->db);
	return rc;
}

struct placement_walk {
	store_placement_fn fn;
	void *ctx;
	struct store_home_placement p;
};

static int placement_each_row(sql_stmt *s, void *arg)
{
	struct placement_walk *w = arg;
	struct store_home_placement *p = &w->p;
	p->id = sql_column_int64(s, 0);
	p->home_id = sql_column_int64(s, 1);
	p->person_id = sql_column_int64(s, 2);
	col_copy(s, 3, p->start, sizeof p->start);
	col_copy(s, 4, p->end, sizeof p->end);
	p->distance_km = sql_column_double(s, 5);
	p->out_of_area = sql_column_int(s, 6) != 0;
	p->distant = sql_column_int(s, 7) != 0;
	col_copy(s, 8, p->given_name, sizeof p->given_name);
	col_copy(s, 9, p->family_name, sizeof p->family_name);
	return w->fn(p, w->ctx);
}

static int placement_home_row(sql_stmt *s, void *arg)
{
	struct placement_walk *w = arg;
	col_copy(s, 10, w->p.home_name, sizeof w->p.home_name);
	(void)placement_each_row(s, w); /* fills w->p; its fn returns 1 to stop */
	return 1;
}

static int placement_keep(const struct store_home_placement *p, void *ctx)
{
	(void)p;
	(void)ctx;
	return 0;
}

static sql_stmt *placement_stmt(store_conn *c, int64_t person_id, const char *day)
{
	sql_stmt *s = stmt(CONN(c), S_PLACEMENT_CURRENT);
	if (s) {
		sql_bind_int64(s, 1, person_id);
		text(s, 2, day);
	}
	return s;
}

static int sq_person_placement(store_conn *c, int64_t person_id, const char *day, struct store_home_placement *out,
			       bool *found)
{
	struct placement_walk *w = calloc(1, sizeof *w);
	sql_stmt *s = w ? placement_stmt(c, person_id, day) : NULL;
	int rc;
	*found = false;
	if (!s || !w) {
		free(w);
		return STORE_EIO;
	}
	w->fn = placement_keep;
	rc = each_row(s, placement_home_row, w);
	if (rc == 1) {
		*out = w->p;
		*found = true;
		rc = STORE_OK;
	}
	free(w);
	return rc;
}

static int sq_home_placements(store_conn *c, const struct store_view *v, int64_t home_id, store_placement_fn fn,
			      void *ctx)
{
	sql_stmt *s = stmt(CONN(c), home_id > 0 ? S_PLACEMENTS : S_PLACEMENTS_ALL);
	struct placement_walk *w = calloc(1, sizeof *w); /* the row is large: not on the stack */
	if (!s || !w) {
		free(w);
		return STORE_EIO;
	}
	w->fn = fn;
	w->ctx = ctx;
	bind_view(s, v);
	if (home_id > 0)
		sql_bind_int64(s, 1, home_id);
	int rc = each_row(s, placement_each_row, w);
	free(w);
	return rc;
}

static int sq_reg44_insert(store_conn *c, const struct store_reg44 *r, int64_t *id)
{
	sql_stmt *s = stmt(CONN(c), S_REG44_INSERT);
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, r->home_id);
	text(s, 2, r->month);
	text(s, 3, r->received_at);
	text(s, 4, r->visitor);
	text(s, 5, r->summary);
	text(s, 6, r->safeguarded[0] ? r->safeguarded : "not_stated");
	int rc = run(s);
	if (rc == STORE_OK && id)
		*id = sql_last_insert_id(CONN(c)->db);
	return rc;
}

struct reg44_walk {
	store_reg44_fn fn;
	void *ctx;
	struct store_reg44 r;
};

static int reg44_each_row(sql_stmt *s, void *arg)
{
	struct reg44_walk *w = arg;
	w->r.id = sql_column_int64(s, 0);
	w->r.home_id = sql_column_int64(s, 1);
	col_copy(s, 2, w->r.month, sizeof w->r.month);
	col_copy(s, 3, w->r.received_at, sizeof w->r.received_at);
	col_copy(s, 4, w->r.visitor, sizeof w->r.visitor);
	col_copy(s, 5, w->r.summary, sizeof w->r.summary);
	col_copy(s, 6, w->r.safeguarded, sizeof w->r.safeguarded);
	return w->fn(&w->r, w->ctx);
}

static int sq_reg44_reports(store_conn *c, int64_t home_id, int limit, store_reg44_fn fn, void *ctx)
{
	struct reg44_walk *w = calloc(1, sizeof *w); /* the row is large: not on the stack */
	if (!w)
		return STORE_EIO;
	w->fn = fn;
	w->ctx = ctx;
	int rc = each_row_of(c, S_REG44, home_id, limit, reg44_each_row, w);
	free(w);
	return rc;
}

struct id_walk {
	store_id_fn fn;
	void *ctx;
};

static int id_each_row(sql_stmt *s, void *arg)
{
	struct id_walk *w = arg;
	return w->fn(sql_column_int64(s, 0), w->ctx);
}

static int sq_reg44_missing(store_conn *c, const char *month, store_id_fn fn, void *ctx)
{
	sql_stmt *s = stmt(CONN(c), S_REG44_MISSING);
	struct id_walk w = {fn, ctx};
	if (!s)
		return STORE_EIO;
	text(s, 1, month);
	return each_row(s, id_each_row, &w);
}

struct opinion_walk {
	store_reg44_opinion_fn fn;
	void *ctx;
};

static int opinion_each_row(sql_stmt *s, void *arg)
{
	struct opinion_walk *w = arg;
	char month[STORE_MONTH_LEN + 1], v[12];
	col_copy(s, 1, month, sizeof month);
	col_copy(s, 2, v, sizeof v);
	return w->fn(sql_column_int64(s, 0), month, strcmp(v, "yes") == 0, w->ctx);
}

static int sq_reg44_opinions(store_conn *c, store_reg44_opinion_fn fn, void *ctx)
{
	sql_stmt *s = stmt(CONN(c), S_REG44_OPINIONS);
	struct opinion_walk w = {fn, ctx};
	if (!s)
		return STORE_EIO;
	return each_row(s, opinion_each_row, &w);
}

static int sq_home_note_insert(store_conn *c, const struct store_home_note *n, int64_t *id)
{
	sql_stmt *s = stmt(CONN(c), S_NOTE_INSERT);
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, n->home_id);
	text(s, 2, n->author);
	text(s, 3, n->agency);
	text(s, 4, n->text);
	int rc = run(s);
	if (rc == STORE_OK && id)
		*id = sql_last_insert_id(CONN(c)->db);
	return rc;
}

struct note_walk {
	store_home_note_fn fn;
	void *ctx;
	struct store_home_note n;
};

static int note_each_row(sql_stmt *s, void *arg)
{
	struct note_walk *w = arg;
	w->n.id = sql_column_int64(s, 0);
	w->n.home_id = sql_column_int64(s, 1);
	col_copy(s, 2, w->n.author, sizeof w->n.author);
	col_copy(s, 3, w->n.agency, sizeof w->n.agency);
	col_copy(s, 4, w->n.created_at, sizeof w->n.created_at);
	col_copy(s, 5, w->n.text, sizeof w->n.text);
	return w->fn(&w->n, w->ctx);
}

static int sq_home_notes(store_conn *c, int64_t home_id, int limit, store_home_note_fn fn, void *ctx)
{
	struct note_walk *w = calloc(1, sizeof *w); /* the row is large: not on the stack */
	if (!w)
		return STORE_EIO;
	w->fn = fn;
	w->ctx = ctx;
	int rc = each_row_of(c, S_NOTES, home_id, limit, note_each_row, w);
	free(w);
	return rc;
}

static int sq_oversight_run_insert(store_conn *c, const struct store_oversight_run *r, int64_t *id)
{
	sql_stmt *s = stmt(CONN(c), S_RUN_INSERT);
	if (!s)
		return STORE_EIO;
	text(s, 1, r->started_at);
	text(s, 2, r->finished_at);
	text(s, 3, r->trigger);
	text(s, 4, r->by);
	sql_bind_double(s, 5, r->budget);
	sql_bind_double(s, 6, r->h_up);
	sql_bind_double(s, 7, r->h_down);
	sql_bind_double(s, 8, r->h_combined);
	sql_bind_int(s, 9, r->homes);
	sql_bind_int(s, 10, r->months);
	text(s, 11, r->first_month);
	text(s, 12, r->last_month);
	sql_bind_int(s, 13, r->signals);
	sql_bind_int(s, 14, r->alerts);
	sql_bind_double(s, 15, r->budget_confidence);
	sql_bind_double(s, 16, r->simulated_rate);
	int rc = run(s);
	if (rc == STORE_OK && id)
		*id = sql_last_insert_id(CONN(c)->db);
	return rc;
}

static int sq_oversight_run_get(store_conn *c, int64_t id, struct store_oversight_run *out, bool *found)
{
	sql_stmt *s = stmt(CONN(c), id ? S_RUN_GET : S_RUN_LATEST);
	if (!s)
		return STORE_EIO;
	if (id)
		sql_bind_int64(s, 1, id);
	int rc = sql_step(s);
	*found = rc == SQL_ROW;
	if (*found) {
		out->id = sql_column_int64(s, 0);
		col_copy(s, 1, out->started_at, sizeof out->started_at);
		col_copy(s, 2, out->finished_at, sizeof out->finished_at);
		col_copy(s, 3, out->trigger, sizeof out->trigger);
		col_copy(s, 4, out->by, sizeof out->by);
		out->budget = sql_column_double(s, 5);
		out->h_up = sql_column_double(s, 6);
		out->h_down = sql_column_double(s, 7);
		out->h_combined = sql_column_double(s, 8);
		out->homes = sql_column_int(s, 9);
		out->months = sql_column_int(s, 10);
		col_copy(s, 11, out->first_month, sizeof out->first_month);
		col_copy(s, 12, out->last_month, sizeof out->last_month);
		out->signals = sql_column_int(s, 13);
		out->alerts = sql_column_int(s, 14);
		out->budget_confidence = sql_column_double(s, 15);
		out->simulated_rate = sql_column_double(s, 16);
	}
	int r = map_rc(rc);
	sql_reset(s);
	return r;
}

static int sq_oversight_signal_insert(store_conn *c, const struct store_oversight_signal *g)
{
	sql_stmt *s = stmt(CONN(c), S_SIGNAL_INSERT);
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, g->run_id);
	sql_bind_int64(s, 2, g->home_id);
	text(s, 3, g->month);
	text(s, 4, g->indicator);
	text(s, 5, g->direction);
	sql_bind_double(s, 6, g->statistic);
	sql_bind_double(s, 7, g->threshold);
	sql_bind_double(s, 8, g->observed);
	sql_bind_double(s, 9, g->expected);
	sql_bind_int(s, 10, g->months);
	text(s, 11, g->reason);
	return run(s);
}

struct signal_walk {
	store_signal_fn fn;
	void *ctx;
	struct store_oversight_signal g;
};

static int signal_each_row(sql_stmt *s, void *arg)
{
	struct signal_walk *w = arg;
	struct store_oversight_signal *g = &w->g;
	g->run_id = sql_column_int64(s, 0);
	g->home_id = sql_column_int64(s, 1);
	col_copy(s, 2, g->month, sizeof g->month);
	col_copy(s, 3, g->indicator, sizeof g->indicator);
	col_copy(s, 4, g->direction, sizeof g->direction);
	g->statistic = sql_column_double(s, 5);
	g->threshold = sql_column_double(s, 6);
	g->observed = sql_column_double(s, 7);
	g->expected = sql_column_double(s, 8);
	g->months = sql_column_int(s, 9);
	col_copy(s, 10, g->reason, sizeof g->reason);
	return w->fn(g, w->ctx);
}

static int sq_oversight_signals(store_conn *c, int64_t run_id, int64_t home_id, store_signal_fn fn, void *ctx)
{
	sql_stmt *s = stmt(CONN(c), S_SIGNALS);
	struct signal_walk w = {.fn = fn, .ctx = ctx};
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, run_id);
	sql_bind_int64(s, 2, home_id);
	return each_row(s, signal_each_row, &w);
}

static int sq_home_alert_insert(store_conn *c, const struct store_home_alert *a, int64_t *id, bool *inserted)
{
	sql_stmt *s = stmt(CONN(c), S_HALERT_INSERT);
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, a->home_id);
	sql_bind_int64(s, 2, a->run_id);
	text(s, 3, a->kind);
	text(s, 4, a->month);
	text(s, 5, a->reason);
	text(s, 6, a->dedup_key);
	text(s, 7, a->owner);
	int rc = run(s);
	*inserted = rc == STORE_OK && sql_changes(CONN(c)->db) == 1;
	if (*inserted && id)
		*id = sql_last_insert_id(CONN(c)->db);
	return rc;
}

struct halert_walk {
	store_home_alert_fn fn;
	void *ctx;
	struct store_home_alert a;
};

static int halert_each_row(sql_stmt *s, void *arg)
{
	struct halert_walk *w = arg;
	struct store_home_alert *a = &w->a;
	a->id = sql_column_int64(s, 0);
	a->home_id = sql_column_int64(s, 1);
	a->run_id = sql_column_int64(s, 2);
	col_copy(s, 3, a->kind, sizeof a->kind);
	col_copy(s, 4, a->month, sizeof a->month);
	col_copy(s, 5, a->reason, sizeof a->reason);
	col_copy(s, 6, a->dedup_key, sizeof a->dedup_key);
	col_copy(s, 7, a->owner, sizeof a->owner);
	col_copy(s, 8, a->state, sizeof a->state);
	col_copy(s, 9, a->created_at, sizeof a->created_at);
	col_copy(s, 10, a->home_name, sizeof a->home_name);
	col_copy(s, 11, a->acknowledged_at, sizeof a->acknowledged_at);
	col_copy(s, 12, a->acknowledged_by, sizeof a->acknowledged_by);
	col_copy(s, 13, a->resolved_at, sizeof a->resolved_at);
	col_copy(s, 14, a->resolved_by, sizeof a->resolved_by);
	col_copy(s, 15, a->outcome, sizeof a->outcome);
	col_copy(s, 16, a->escalated_at, sizeof a->escalated_at);
	col_copy(s, 17, a->escalated_to, sizeof a->escalated_to);
	return w->fn(a, w->ctx);
}

static int halert_copy(const struct store_home_alert *a, void *ctx)
{
	*(struct store_home_alert *)ctx = *a;
	return 1; /* one row */
}

static int sq_home_alert_get(store_conn *c, int64_t id, struct store_home_alert *out, bool *found)
{
	sql_stmt *s = stmt(CONN(c), S_HALERT_GET);
	struct halert_walk *w = calloc(1, sizeof *w);
	int rc;
	*found = false;
	if (!s || !w) {
		free(w);
		return STORE_EIO;
	}
	w->fn = halert_copy;
	w->ctx = out;
	sql_bind_int64(s, 1, id);
	rc = each_row(s, halert_each_row, w);
	free(w);
	if (rc == 1) {
		*found = true;
		rc = STORE_OK;
	}
	return rc;
}

static int sq_home_alert_acknowledge(store_conn *c, int64_t id, const char *by, bool *changed)
{
	sql_stmt *s = stmt(CONN(c), S_HALERT_ACK);
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, id);
	text(s, 2, by);
	return changed_run(c, s, changed);
}

static int sq_home_alert_resolve(store_conn *c, int64_t id, const char *by, const char *outcome, bool *changed)
{
	sql_stmt *s = stmt(CONN(c), S_HALERT_RESOLVE);
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, id);
	text(s, 2, by);
	text(s, 3, outcome);
	return changed_run(c, s, changed);
}

static int id_row(sql_stmt *s, void *arg)
{
	*(int64_t *)arg = sql_column_int64(s, 0);
	return 0;
}

static int sq_home_alert_resolve_key(store_conn *c, int64_t home_id, const char *dedup_key, const char *by,
				     const char *outcome, int64_t *id)
{
	sql_stmt *s = stmt(CONN(c), S_HALERT_RESOLVE_KEY);
	*id = 0;
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, home_id);
	text(s, 2, dedup_key);
	text(s, 3, by);
	text(s, 4, outcome);
	return each_row(s, id_row, id);
}

static int sq_home_alerts_escalate(store_conn *c, const char *created_before, const char *owner,
				   const char *escalated_to, int64_t *n)
{
	sql_stmt *s = stmt(CONN(c), S_HALERT_ESCALATE);
	if (!s)
		return STORE_EIO;
	text(s, 1, created_before);
	text(s, 2, owner);
	text(s, 3, escalated_to);
	int rc = run(s);
	*n = rc == STORE_OK ? sql_changes(CONN(c)->db) : 0;
	return rc;
}

static int sq_home_alerts(store_conn *c, int64_t home_id, bool open_only, int limit, store_home_alert_fn fn, void *ctx)
{
	sql_stmt *s = stmt(CONN(c), S_HALERTS);
	struct halert_walk *w = calloc(1, sizeof *w);
	int rc;
	if (!s || !w) {
		free(w);
		return STORE_EIO;
	}
	w->fn = fn;
	w->ctx = ctx;
	sql_bind_int64(s, 1, home_id);
	sql_bind_int(s, 2, open_only);
	sql_bind_int(s, 3, limit);
	rc = each_row(s, halert_each_row, w);
	free(w);
	return rc;
}

/* ---- record linkage (schema 13) ---------------------------------------------------------------------- */

/* SQLite: the keys read, then written one by one (S_BLOCK_ABSENT). A record has at most a few keys; more
 * than BLOCK_ABSENT_MAX absent ones (never from intake) go through S_BLOCK_ADD as before. */
#define BLOCK_ABSENT_MAX 16

static int sq_block_keys_add(store_conn *c, int64_t person_id, int64_t source_record_id, const char *keys_json)
{
	cands_note_keys(CONN(c), person_id, keys_json);
	sql_stmt *s;
	if (!sql_override(CONN(c)->db, S_BLOCK_ADD)) {
		if (!(s = stmt(CONN(c), S_BLOCK_ABSENT)))
			return STORE_EIO;
		sql_bind_int64(s, 1, person_id);
		text(s, 2, keys_json);
		char key[BLOCK_ABSENT_MAX][STORE_NAME_BYTES + 64];
		int n = 0, r;
		bool whole = true;
		while ((r = sql_step(s)) == SQL_ROW) {
			const unsigned char *v = sql_column_text(s, 0);
			size_t len = v ? strlen((const char *)v) : 0;
			if (n == BLOCK_ABSENT_MAX || len >= sizeof key[0]) {
				whole = false;
				break;
			}
			memcpy(key[n++], v ? (const char *)v : "", len + 1);
		}
		int rc = whole ? map_rc(r) : STORE_OK;
		sql_reset(s);
		if (rc != STORE_OK)
			return rc;
		if (whole) {
			for (int i = 0; i < n; i++) {
				if (!(s = stmt(CONN(c), S_BLOCK_ADD_KEY)))
					return STORE_EIO;
				sql_bind_int64(s, 1, person_id);
				sql_bind_int64(s, 2, source_record_id);
				text(s, 3, key[i]);
				if ((rc = run(s)) != STORE_OK)
					return rc;
			}
			return STORE_OK;
		}
	}
	if (!(s = stmt(CONN(c), S_BLOCK_ADD)))
		return STORE_EIO;
	sql_bind_int64(s, 1, person_id);
	sql_bind_int64(s, 2, source_record_id);
	text(s, 3, keys_json);
	return run(s);
}

static int sq_block_candidates(store_conn *c, const char *keys_json, int limit, store_id_fn fn, void *ctx)
{
	sql_stmt *s = stmt(CONN(c), S_BLOCK_CANDIDATES);
	struct id_walk w = {fn, ctx};
	if (!s)
		return STORE_EIO;
	text(s, 1, keys_json);
	sql_bind_int(s, 2, limit);
	return each_row(s, id_each_row, &w);
}

/* The candidate a row of S_BLOCK_CANDIDATES_SCORED or S_BLOCK_CANDIDATES_MANY begins, or adds an identifier to
 * (open: cand holds the row's person already) */
static void candidate_row(sql_stmt *s, struct store_candidate *cand, bool open)
{
	if (!open) {
		/* person_row writes every field; the identifiers are read up to their counts (a person's row is
		 * 7 KB: not cleared for each candidate, issue 17) */
		cand->n_nhs = cand->n_upn = 0;
		person_row(s, &cand->person);
		cand->has_merged = sql_column_int64(s, 16) != 0;
	}
	const char *kind = col_str(s, 14), *value = col_str(s, 15);
	if (strcmp(kind, "nhs") == 0 && cand->n_nhs < STORE_CANDIDATE_IDS)
		snprintf(cand->nhs[cand->n_nhs++], sizeof cand->nhs[0], "%s", value);
	else if (strcmp(kind, "upn") == 0 && cand->n_upn < STORE_CANDIDATE_IDS)
		snprintf(cand->upn[cand->n_upn++], sizeof cand->upn[0], "%s", value);
}

/* At most this many persons kept from a batch's read (7 KB each): a record whose persons do not all fit reads
 * for itself */
#define CANDS_ROWS_MAX 2048

static int sq_block_candidates_ahead(store_conn *c, const char *const *keys_json, int n, int limit)
{
	struct sq_conn *k = CONN(c);
	bool reads = k->writer && sql_override(k->db, S_BLOCK_CANDIDATES_MANY) && k->db->drv->in_transaction(k->db);
	if (n < 0) /* store_block_candidates_read_ahead */
		return reads;
	cands_drop(k);
	if (n == 0 || !reads)
		return STORE_OK;
	/* Memory short: nothing read ahead, each record reads for itself (STORE_OK: the pass goes on); a failed
	 * statement fails the pass, as a record's own read would */
	struct text_array col = {0};
	int rc = STORE_OK;
	if (!cands_grow((void **)&k->cands, &k->cands_cap, n, sizeof *k->cands))
		return STORE_OK;
	for (int i = 0; i < n; i++) {
		const char *v = keys_json[i] ? keys_json[i] : "[]";
		if (!text_array_reserve(&col, 2 * strlen(v) + 3))
			goto out;
		text_array_put(&col, v);
	}
	sql_stmt *s = stmt(k, S_BLOCK_CANDIDATES_MANY);
	if (!s) {
		rc = STORE_EIO;
		goto out;
	}
	col.s[col.len] = '}';
	col.s[col.len + 1] = '\0';
	sql_bind_text(s, 1, col.s, (int)col.len + 1);
	sql_bind_int(s, 2, limit);
	sql_bind_int(s, 3, CANDS_ROWS_MAX);
	/* every record asked gets its entry, with no persons unless rows come for it */
	bool ok = true;
	for (int i = 0; i < n && ok; i++) {
		struct cands_known *e = &k->cands[k->cands_n];
		*e = (struct cands_known){.keys = strdup(keys_json[i] ? keys_json[i] : "[]"), .limit = limit};
		if (!e->keys)
			ok = false;
		else {
			k->cands_n++;
			e->ntok = key_tokens(e->keys, e->tok, CANDS_KEYS_MAX);
			if (e->ntok > (int)(sizeof(unsigned) * 8))
				e->limit = -1; /* its held keys could not be told: answers no one */
		}
	}
	int r = SQL_DONE, at = -1; /* the record whose rows are coming */
	int persons = 0; /* (record, person) pairs read: the statement stops at CANDS_ROWS_MAX */
	int64_t last_i = -1, last_id = 0;
	while (ok && (r = sql_step(s)) == SQL_ROW) {
		int64_t i = sql_column_int64(s, 18) - 1;
		if (i < 0 || i >= n || i < at) {
			ok = false; /* not the statement's order: nothing kept */
			break;
		}
		if (i != last_i || sql_column_int64(s, 0) != last_id)
			persons++;
		last_i = i;
		last_id = sql_column_int64(s, 0);
		struct cands_known *e = &k->cands[i];
		if (e->limit < 0)
			continue;
		bool open = i == at && e->n > 0 && k->cand_rows[e->first + e->n - 1].c.person.id == sql_column_int64(s, 0);
		if (i != at) {
			at = (int)i;
			e->first = k->cand_rows_n;
		}
		if (!open) {
			if (k->cand_rows_n >= CANDS_ROWS_MAX ||
			    !cands_grow((void **)&k->cand_rows, &k->cand_rows_cap, k->cand_rows_n + 1, sizeof *k->cand_rows)) {
				for (int j = at; j < n; j++)
					k->cands[j].limit = -1; /* the rest read for themselves */
				continue;
			}
			k->cand_rows[k->cand_rows_n].held = (unsigned)sql_column_int64(s, 17);
			k->cand_rows[k->cand_rows_n++].held_src = (unsigned)sql_column_int64(s, 19);
			e->n++;
		}
		candidate_row(s, &k->cand_rows[e->first + e->n - 1].c, open);
		idents_note(k, sql_column_int64(s, 0), col_str(s, 14), col_str(s, 15), sql_column_int64(s, 20) != 0);
	}
	rc = r == SQL_ROW || r == SQL_DONE ? STORE_OK : map_rc(r);
	sql_reset(s);
	if (ok && persons >= CANDS_ROWS_MAX) /* cut: the last record's persons may not all have come, nor later ones' */
		for (int64_t j = last_i < 0 ? 0 : last_i; j < n; j++)
			k->cands[j].limit = -1;
	if (rc != STORE_OK || !ok)
		cands_drop(k); /* each record reads for itself */
out:
	free(col.s);
	return rc;
}

/* PostgreSQL's read of the candidates (S_BLOCK_CANDIDATES_SCORED): one statement, its LIMIT in the query, its
 * rows by person then identifier */
static int candidates_scored_one(store_conn *c, const char *keys_json, int limit, store_candidate_fn fn, void *ctx)
{
	sql_stmt *s = stmt(CONN(c), S_BLOCK_CANDIDATES_SCORED);
	struct store_candidate *cand = calloc(1, sizeof *cand);
	int rc, r = STORE_OK;
	bool open = false; /* cand holds a person whose rows may go on */
	if (!s || !cand) {
		free(cand);
		return STORE_EIO;
	}
	int handed = 0; /* persons given to fn: at most limit, the first by id */
	text(s, 1, keys_json);
	if (sql_bind_parameter_count(s) >= 2)
		sql_bind_int(s, 2, limit);
	while ((rc = sql_step(s)) == SQL_ROW) {
		int64_t id = sql_column_int64(s, 0);
		if (open && id != cand->person.id) {
			handed++;
			if ((r = fn(cand, ctx)) != 0)
				break;
			open = false;
		}
		if (!open && limit > 0 && handed >= limit) {
			rc = SQL_DONE;
			break;
		}
		candidate_row(s, cand, open);
		open = true;
	}
	if (r == 0)
		r = map_rc(rc);
	sql_reset(s);
	if (r == STORE_OK && open)
		r = fn(cand, ctx);
	free(cand);
	return r;
}

static int id_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static int sq_block_candidates_scored(store_conn *c, const char *keys_json, int limit, store_candidate_fn fn, void *ctx)
{
	int known = cands_answer(CONN(c), keys_json, limit);
	if (known >= 0) {
		/* as the record's own read would find them (cands_answer). fn may read (a merged candidate's
		 * persons), which leaves the answer standing; copied first, as a read's rows are */
		struct store_candidate *cand = malloc(sizeof *cand);
		const struct store_candidate **list = malloc((size_t)(known > 0 ? known : 1) * sizeof *list);
		int r = cand && list ? STORE_OK : STORE_EIO;
		if (list)
			memcpy(list, CONN(c)->cands_answer, (size_t)known * sizeof *list);
		CONN(c)->cands_lent++; /* list points into the rows: not freed should fn's statement drop them */
		for (int i = 0; i < known && r == STORE_OK; i++) {
			*cand = *list[i];
			r = fn(cand, ctx);
		}
		CONN(c)->cands_lent--;
		free(list);
		free(cand);
		return r;
	}
	if (sql_override(CONN(c)->db, S_BLOCK_CANDIDATES_SCORED))
		return candidates_scored_one(c, keys_json, limit, fn, ctx);
	/* SQLite: the persons' ids (S_BLOCK_CANDIDATE_IDS), put in order and each kept once here, then each
	 * person's rows (S_BLOCK_CANDIDATE_ROWS): the first limit persons by id, as the one statement with its
	 * IN (SELECT ...) gave them, without its temporary b-tree. Each person's statement is reset before fn
	 * runs, so fn may read. */
	int64_t few[64], *ids = few;
	size_t n = 0, cap = sizeof few / sizeof few[0];
	struct store_candidate *cand = NULL;
	int rc, r = STORE_OK;
	sql_stmt *s = stmt(CONN(c), S_BLOCK_CANDIDATE_IDS);
	if (!s)
		return STORE_EIO;
	text(s, 1, keys_json);
	while ((rc = sql_step(s)) == SQL_ROW) {
		if (n == cap) {
			int64_t *more = malloc(2 * cap * sizeof *more);
			if (!more) {
				rc = STORE_EIO;
				break;
			}
			memcpy(more, ids, n * sizeof *ids);
			if (ids != few)
				free(ids);
			ids = more;
			cap *= 2;
		}
		ids[n++] = sql_column_int64(s, 0);
	}
	sql_reset(s);
	if ((r = map_rc(rc)) != STORE_OK)
		goto out;
	qsort(ids, n, sizeof *ids, id_cmp);
	if (!(cand = malloc(sizeof *cand)) || !(s = stmt(CONN(c), S_BLOCK_CANDIDATE_ROWS))) {
		r = STORE_EIO;
		goto out;
	}
	int handed = 0;
	for (size_t i = 0; i < n && r == STORE_OK && (limit <= 0 || handed < limit); i++) {
		if (i > 0 && ids[i] == ids[i - 1])
			continue;
		bool open = false;
		sql_bind_int64(s, 1, ids[i]);
		while ((rc = sql_step(s)) == SQL_ROW) {
			candidate_row(s, cand, open);
			open = true;
		}
		sql_reset(s);
		if ((r = map_rc(rc)) == STORE_OK && open) {
			handed++;
			r = fn(cand, ctx);
		}
	}
out:
	free(cand);
	if (ids != few)
		free(ids);
	return r;
}

static int sq_link_review_insert(store_conn *c, const struct store_link_review *r, int64_t *id)
{
	sql_stmt *s = stmt(CONN(c), S_REVIEW_INSERT);
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, r->source_record_id);
	sql_bind_int64(s, 2, r->person_id);
	sql_bind_int64(s, 3, r->candidate_id);
	sql_bind_double(s, 4, r->weight);
	sql_bind_double(s, 5, r->probability);
	text(s, 6, r->explanation);
	int rc = run(s);
	if (rc == STORE_OK)
		*id = sql_last_insert_id(CONN(c)->db);
	return rc;
}

static void review_row(sql_stmt *s, struct store_link_review *r)
{
	r->id = sql_column_int64(s, 0);
	r->source_record_id = sql_column_int64(s, 1);
	r->person_id = sql_column_int64(s, 2);
	r->candidate_id = sql_column_int64(s, 3);
	r->weight = sql_column_double(s, 4);
	r->probability = sql_column_double(s, 5);
	r->explanation = col_str(s, 6);
	col_copy(s, 7, r->created_at, sizeof r->created_at);
	col_copy(s, 8, r->decided_at, sizeof r->decided_at);
	col_copy(s, 9, r->decided_by, sizeof r->decided_by);
	col_copy(s, 10, r->decision, sizeof r->decision);
	col_copy(s, 11, r->reason, sizeof r->reason);
	r->merge_id = sql_column_int64(s, 12);
	col_copy(s, 13, r->agency, sizeof r->agency);
	col_copy(s, 14, r->source_ref, sizeof r->source_ref);
	col_copy(s, 15, r->person_given, sizeof r->person_given);
	col_copy(s, 16, r->person_family, sizeof r->person_family);
	col_copy(s, 17, r->candidate_given, sizeof r->candidate_given);
	col_copy(s, 18, r->candidate_family, sizeof r->candidate_family);
}

/* The explanation is copied out (it outlives the statement only in the caller's buffer). */
static int sq_link_review_get(store_conn *c, int64_t id, struct store_link_review *out, bool *found)
{
	sql_stmt *s = stmt(CONN(c), S_REVIEW_GET);
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, id);
	int rc = sql_step(s);
	*found = rc == SQL_ROW;
	int r = map_rc(rc);
	if (*found) {
		review_row(s, out);
		char *copy = strdup(out->explanation);
		out->explanation = copy;
		if (!copy)
			r = STORE_EIO;
	}
	sql_reset(s);
	return r;
}

struct review_walk {
	store_link_review_fn fn;
	void *ctx;
	struct store_link_review r;
};

static int review_walk_row(sql_stmt *s, void *arg)
{
	struct review_walk *w = arg;
	review_row(s, &w->r);
	return w->fn(&w->r, w->ctx);
}

/* Walks the review tasks a bound statement returns. */
static int each_review(sql_stmt *s, store_link_review_fn fn, void *ctx)
{
	struct review_walk *w = malloc(sizeof *w);
	if (!w) {
		sql_reset(s);
		return STORE_EIO;
	}
	w->fn = fn;
	w->ctx = ctx;
	int rc = each_row(s, review_walk_row, w);
	free(w);
	return rc;
}

static int sq_link_reviews_open(store_conn *c, const struct store_view *view, int limit, store_link_review_fn fn,
				void *ctx)
{
	sql_stmt *s = stmt(CONN(c), S_REVIEWS_OPEN);
	if (!s)
		return STORE_EIO;
	bind_view(s, view);
	sql_bind_int(s, 1, limit);
	return each_review(s, fn, ctx);
}

static int sq_link_reviews(store_conn *c, int64_t person_id, bool open_only, store_link_review_fn fn, void *ctx)
{
	sql_stmt *s = stmt(CONN(c), S_REVIEWS_LIST);
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, person_id);
	sql_bind_int(s, 2, open_only);
	return each_review(s, fn, ctx);
}

static int sq_link_review_decide(store_conn *c, int64_t id, const char *by, const char *decision, const char *reason,
				 int64_t merge_id, bool *changed)
{
	sql_stmt *s = stmt(CONN(c), S_REVIEW_DECIDE);
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, id);
	text(s, 2, by);
	text(s, 3, decision);
	text(s, 4, reason);
	sql_bind_int64(s, 5, merge_id);
	int rc = run(s);
	*changed = rc == STORE_OK && sql_changes(CONN(c)->db) == 1;
	return rc;
}

static int pair_count(store_conn *c, enum stmt_id id, int64_t a, int64_t b, bool *yes)
{
	sql_stmt *s = stmt(CONN(c), id);
	int64_t n = 0;
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, a);
	sql_bind_int64(s, 2, b);
	int rc = one_int(s, &n);
	*yes = n > 0;
	return rc;
}

static int sq_link_review_pair(store_conn *c, int64_t a, int64_t b, bool *exists)
{
	return pair_count(c, S_REVIEW_PAIR, a, b, exists);
}

static int sq_link_refused(store_conn *c, int64_t a, int64_t b, bool *refused)
{
	return pair_count(c, S_REFUSED, a, b, refused);
}

static int sq_link_refusal_add(store_conn *c, int64_t a, int64_t b, int64_t source_record_id, int64_t review_id,
			       const char *by, const char *reason)
{
	sql_stmt *s = stmt(CONN(c), S_REFUSAL_ADD);
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, a);
	sql_bind_int64(s, 2, b);
	sql_bind_int64(s, 3, source_record_id);
	sql_bind_int64(s, 4, review_id);
	text(s, 5, by);
	text(s, 6, reason);
	return run(s);
}

static int sq_person_merged_into(store_conn *c, int64_t merged_id, int64_t *kept_id)
{
	sql_stmt *s = stmt(CONN(c), S_MERGED_INTO);
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, merged_id);
	return one_int(s, kept_id);
}

/* One statement of a merge or an undo: ?1 the merge, ?2 and ?3 the persons. */
static int merge_step(store_conn *c, enum stmt_id id, int64_t merge_id, int64_t p2, int64_t p3)
{
	sql_stmt *s = stmt(CONN(c), id);
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, merge_id);
	sql_bind_int64(s, 2, p2);
	if (sql_bind_parameter_count(s) >= 3)
		sql_bind_int64(s, 3, p3);
	return run(s);
}

static const enum stmt_id merge_lists[] = {S_MERGE_ROWS_SOURCE, S_MERGE_ROWS_EVENT, S_MERGE_ROWS_KEYS, S_MERGE_ROWS_IDENT,
					    S_MERGE_ROWS_ALERT, S_MERGE_ROWS_HOUSEHOLD};
static const enum stmt_id merge_moves[] = {S_MERGE_MOVE_SOURCE, S_MERGE_MOVE_EVENT, S_MERGE_MOVE_IDENT,
					    S_MERGE_MOVE_ALERT, S_MERGE_MOVE_HOUSEHOLD, S_MERGE_MOVE_KEYS};

static int sq_person_merge(store_conn *c, int64_t kept_id, int64_t merged_id, const char *by, const char *reason,
			   int64_t *merge_id)
{
	sql_stmt *s = stmt(CONN(c), S_MERGE_INSERT);
	int rc;
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, kept_id);
	sql_bind_int64(s, 2, merged_id);
	text(s, 3, by);
	text(s, 4, reason);
	if ((rc = run(s)) != STORE_OK)
		return rc;
	*merge_id = sql_last_insert_id(CONN(c)->db);
	/* List first (the lists look at where rows are now), then move. */
	for (size_t i = 0; i < sizeof merge_lists / sizeof merge_lists[0]; i++)
		if ((rc = merge_step(c, merge_lists[i], *merge_id, merged_id, kept_id)) != STORE_OK)
			return rc;
	for (size_t i = 0; i < sizeof merge_moves / sizeof merge_moves[0]; i++)
		if ((rc = merge_step(c, merge_moves[i], *merge_id, kept_id, merged_id)) != STORE_OK)
			return rc;
	return STORE_OK;
}

static void merge_row(sql_stmt *s, struct store_merge *m)
{
	m->id = sql_column_int64(s, 0);
	m->kept_id = sql_column_int64(s, 1);
	m->merged_id = sql_column_int64(s, 2);
	col_copy(s, 3, m->merged_by, sizeof m->merged_by);
	col_copy(s, 4, m->merged_at, sizeof m->merged_at);
	col_copy(s, 5, m->reason, sizeof m->reason);
	col_copy(s, 6, m->undone_at, sizeof m->undone_at);
	col_copy(s, 7, m->undone_by, sizeof m->undone_by);
	col_copy(s, 8, m->undo_reason, sizeof m->undo_reason);
}

static int sq_merge_get(store_conn *c, int64_t id, struct store_merge *out, bool *found)
{
	sql_stmt *s = stmt(CONN(c), S_MERGE_GET);
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, id);
	int rc = sql_step(s);
	*found = rc == SQL_ROW;
	if (*found)
		merge_row(s, out);
	int r = map_rc(rc);
	sql_reset(s);
	return r;
}

struct merge_walk {
	store_merge_fn fn;
	void *ctx;
	struct store_merge m;
};

static int merge_walk_row(sql_stmt *s, void *arg)
{
	struct merge_walk *w = arg;
	merge_row(s, &w->m);
	return w->fn(&w->m, w->ctx);
}

static int sq_merges_of(store_conn *c, int64_t person_id, int limit, store_merge_fn fn, void *ctx)
{
	sql_stmt *s = stmt(CONN(c), S_MERGES_OF);
	if (!s)
		return STORE_EIO;
	struct merge_walk *w = malloc(sizeof *w);
	if (!w)
		return STORE_EIO;
	w->fn = fn;
	w->ctx = ctx;
	sql_bind_int64(s, 1, person_id);
	sql_bind_int(s, 2, limit);
	int rc = each_row(s, merge_walk_row, w);
	free(w);
	return rc;
}

static int sq_person_unmerge(store_conn *c, int64_t merge_id, const char *by, const char *reason, bool *done)
{
	struct store_merge *m = malloc(sizeof *m);
	bool found = false;
	int rc;
	*done = false;
	if (!m)
		return STORE_EIO;
	if ((rc = sq_merge_get(c, merge_id, m, &found)) != STORE_OK || !found || m->undone_at[0])
		goto out;
	/* Whether it may be undone (a later merge standing) is the service's decision (linkreview_unmerge). */
	for (size_t i = 0; i < sizeof merge_moves / sizeof merge_moves[0]; i++)
		if ((rc = merge_step(c, merge_moves[i], merge_id, m->merged_id, m->kept_id)) != STORE_OK)
			goto out;
	sql_stmt *s = stmt(CONN(c), S_MERGE_UNDONE);
	if (!s) {
		rc = STORE_EIO;
		goto out;
	}
	sql_bind_int64(s, 1, merge_id);
	text(s, 2, by);
	text(s, 3, reason);
	rc = changed_run(c, s, done);
out:
	free(m);
	return rc;
}

/* ---- the service's linkage model (schema 18) ---- */

static int sq_link_model_insert(store_conn *c, const struct store_link_model *m, int64_t *id)
{
	CONN(c)->model_id_known = -1;
	sql_stmt *s = stmt(CONN(c), S_LINK_MODEL_INSERT);
	if (!s)
		return STORE_EIO;
	text(s, 1, m->how);
	sql_bind_int64(s, 2, m->records);
	sql_bind_int64(s, 3, m->pairs);
	sql_bind_int64(s, 4, m->random_pairs);
	sql_bind_int64(s, 5, m->reviewed);
	sql_bind_int64(s, 6, m->reviewed_same);
	sql_bind_int64(s, 7, m->linked);
	sql_bind_int64(s, 8, m->linked_same);
	sql_bind_double(s, 9, m->link_threshold);
	sql_bind_double(s, 10, m->review_threshold);
	text(s, 11, m->params);
	int rc = run(s);
	if (rc == STORE_OK && id)
		*id = sql_last_insert_id(CONN(c)->db);
	return rc;
}

static int sq_link_model_latest(store_conn *c, struct store_link_model *out, bool *found)
{
	sql_stmt *s = stmt(CONN(c), S_LINK_MODEL_LATEST);
	memset(out, 0, sizeof *out);
	*found = false;
	if (!s)
		return STORE_EIO;
	int rc = sql_step(s), r = STORE_OK;
	if (rc == SQL_ROW) {
		out->id = sql_column_int64(s, 0);
		col_copy(s, 1, out->trained_at, sizeof out->trained_at);
		col_copy(s, 2, out->how, sizeof out->how);
		out->records = sql_column_int64(s, 3);
		out->pairs = sql_column_int64(s, 4);
		out->random_pairs = sql_column_int64(s, 5);
		out->reviewed = sql_column_int64(s, 6);
		out->reviewed_same = sql_column_int64(s, 7);
		out->linked = sql_column_int64(s, 8);
		out->linked_same = sql_column_int64(s, 9);
		out->link_threshold = sql_column_double(s, 10);
		out->review_threshold = sql_column_double(s, 11);
		char *copy = strdup(col_str(s, 12));
		out->params = copy;
		if (!copy)
			r = STORE_EIO;
		*found = true;
	} else
		r = map_rc(rc);
	sql_reset(s);
	return r;
}

static int sq_link_model_latest_id(store_conn *c, int64_t *id)
{
	struct sq_conn *k = CONN(c);
	if (k->model_id_known >= 0) {
		*id = k->model_id_known;
		return STORE_OK;
	}
	int rc = one_int(stmt(k, S_LINK_MODEL_LATEST_ID), id);
	if (rc == STORE_OK && k->db->drv->in_transaction(k->db))
		k->model_id_known = *id;
	return rc;
}

static void link_subject_row(sql_stmt *s, struct store_link_subject *o)
{
	o->source_record_id = sql_column_int64(s, 0);
	col_copy(s, 1, o->agency, sizeof o->agency);
	col_copy(s, 2, o->given_name, sizeof o->given_name);
	col_copy(s, 3, o->middle_names, sizeof o->middle_names);
	col_copy(s, 4, o->family_name, sizeof o->family_name);
	col_copy(s, 5, o->dob, sizeof o->dob);
	col_copy(s, 6, o->sex, sizeof o->sex);
	col_copy(s, 7, o->postcode, sizeof o->postcode);
	col_copy(s, 8, o->address, sizeof o->address);
	col_copy(s, 9, o->nhs_number, sizeof o->nhs_number);
	col_copy(s, 10, o->upn, sizeof o->upn);
}

struct link_subject_walk {
	store_link_subject_fn fn;
	store_link_labelled_fn lfn;
	void *ctx;
	struct store_link_labelled l;
};

static int link_subject_walk_row(sql_stmt *s, void *arg)
{
	struct link_subject_walk *w = arg;
	link_subject_row(s, &w->l.subject);
	if (w->fn)
		return w->fn(&w->l.subject, w->ctx);
	w->l.candidate_id = sql_column_int64(s, 11);
	w->l.same = sql_column_int(s, 12) != 0;
	return w->lfn(&w->l, w->ctx);
}

static int link_subject_walk(store_conn *c, enum stmt_id id, store_link_subject_fn fn, store_link_labelled_fn lfn,
			     void *ctx)
{
	sql_stmt *s = stmt(CONN(c), id);
	if (!s)
		return STORE_EIO;
	struct link_subject_walk *w = calloc(1, sizeof *w);
	if (!w)
		return STORE_EIO;
	w->fn = fn;
	w->lfn = lfn;
	w->ctx = ctx;
	int rc = each_row(s, link_subject_walk_row, w);
	free(w);
	return rc;
}

static int sq_link_training_records(store_conn *c, store_link_subject_fn fn, void *ctx)
{
	return link_subject_walk(c, S_LINK_TRAIN_RECORDS, fn, NULL, ctx);
}

static int sq_link_reviews_decided(store_conn *c, store_link_labelled_fn fn, void *ctx)
{
	return link_subject_walk(c, S_LINK_REVIEWS_DECIDED, NULL, fn, ctx);
}

static int sq_link_review_counts(store_conn *c, int64_t *reviews, int64_t *records)
{
	sql_stmt *s = stmt(CONN(c), S_LINK_REVIEW_COUNTS);
	if (!s)
		return STORE_EIO;
	int rc = sql_step(s);
	*reviews = rc == SQL_ROW ? sql_column_int64(s, 0) : 0;
	*records = rc == SQL_ROW ? sql_column_int64(s, 1) : 0;
	int r = map_rc(rc);
	sql_reset(s);
	return r;
}

static int link_counts_fill(struct sq_conn *c)
{
	sql_stmt *s = stmt(c, S_LINK_COUNTS_FILL);
	return s ? run(s) : STORE_EIO;
}

static int sq_link_counts_get(store_conn *c, struct store_link_counts *out)
{
	sql_stmt *s = stmt(CONN(c), S_LINK_COUNTS_GET);
	memset(out, 0, sizeof *out);
	if (!s)
		return STORE_EIO;
	int rc = sql_step(s);
	if (rc == SQL_ROW) {
		out->reviews = sql_column_int64(s, 0);
		out->records = sql_column_int64(s, 1);
		col_copy(s, 2, out->counted_at, sizeof out->counted_at);
	}
	/* No row (removed behind the triggers' back): an error, never 0 of 0. */
	int r = rc == SQL_ROW ? STORE_OK : rc == SQL_DONE ? STORE_EIO : map_rc(rc);
	sql_reset(s);
	return r;
}

static int sq_link_counts_set(store_conn *c, int64_t reviews, int64_t records, int64_t counted_at)
{
	sql_stmt *s = stmt(CONN(c), S_LINK_COUNTS_SET);
	if (!s)
		return STORE_EIO;
	char at[TS_UTC_LEN + 1];
	ts_format_utc(counted_at, at);
	sql_bind_int64(s, 1, reviews);
	sql_bind_int64(s, 2, records);
	sql_bind_text(s, 3, at, -1);
	int rc = run(s);
	if (rc != STORE_OK || sql_changes(CONN(c)->db) == 1)
		return rc;
	/* No row changed: a newer count stands (a walk that started later wrote first), or the row is gone (an error). */
	struct store_link_counts held;
	return sq_link_counts_get(c, &held);
}

static int sq_table_counts(store_conn *c, store_table_count_fn fn, void *ctx)
{
	sql_stmt *s = stmt(CONN(c), S_TABLE_COUNTS);
	if (!s)
		return STORE_EIO;
	int rc = SQL_DONE, stop = 0;
	while (!stop && (rc = sql_step(s)) == SQL_ROW)
		stop = fn((const char *)sql_column_text(s, 0), sql_column_int64(s, 1), ctx);
	int r = stop ? STORE_OK : map_rc(rc);
	sql_reset(s);
	return r;
}

struct index_walk {
	store_index_fn fn;
	void *ctx;
};

static int index_row(sql_stmt *s, void *arg)
{
	struct index_walk *w = arg;
	struct store_index ix;
	col_copy(s, 0, ix.name, sizeof ix.name);
	col_copy(s, 1, ix.table, sizeof ix.table);
	col_copy(s, 2, ix.kind, sizeof ix.kind);
	ix.held = strcmp((const char *)sql_column_text(s, 3), "held") == 0;
	col_copy(s, 4, ix.definition, sizeof ix.definition);
	return w->fn(&ix, w->ctx);
}

static int sq_schema_indexes(store_conn *c, store_index_fn fn, void *ctx)
{
	sql_stmt *s = stmt(CONN(c), S_SCHEMA_INDEXES);
	struct index_walk w = {fn, ctx};
	if (!s)
		return STORE_EIO;
	return each_row(s, index_row, &w);
}

/* ---- a team's contact details (schema 19) ---- */

static int sq_team_contact_get(store_conn *c, const char *code, struct store_team_contact *out, bool *found)
{
	sql_stmt *s = stmt(CONN(c), S_TEAM_CONTACT_GET);
	if (!s)
		return STORE_EIO;
	text(s, 1, code);
	int rc = sql_step(s);
	*found = rc == SQL_ROW;
	if (*found) {
		col_copy(s, 0, out->team.code, sizeof out->team.code);
		col_copy(s, 1, out->team.name, sizeof out->team.name);
		col_copy(s, 2, out->team.manager, sizeof out->team.manager);
		col_copy(s, 3, out->phone, sizeof out->phone);
		col_copy(s, 4, out->out_of_hours_phone, sizeof out->out_of_hours_phone);
		col_copy(s, 5, out->email, sizeof out->email);
	}
	int r = map_rc(rc);
	sql_reset(s);
	return r;
}

struct team_contact_walk {
	store_team_contact_fn fn;
	void *ctx;
};

static int team_contact_row(sql_stmt *s, void *arg)
{
	struct team_contact_walk *w = arg;
	struct store_team_contact t;
	memset(&t, 0, sizeof t);
	col_copy(s, 0, t.team.code, sizeof t.team.code);
	col_copy(s, 1, t.team.name, sizeof t.team.name);
	col_copy(s, 2, t.team.manager, sizeof t.team.manager);
	col_copy(s, 3, t.phone, sizeof t.phone);
	col_copy(s, 4, t.out_of_hours_phone, sizeof t.out_of_hours_phone);
	col_copy(s, 5, t.email, sizeof t.email);
	return w->fn(&t, w->ctx);
}

static int sq_team_contacts(store_conn *c, int limit, store_team_contact_fn fn, void *ctx)
{
	struct team_contact_walk w = {fn, ctx};
	sql_stmt *s = stmt(CONN(c), S_TEAM_CONTACTS);
	if (!s)
		return STORE_EIO;
	sql_bind_int(s, 1, limit > 0 ? limit : 100);
	return each_row(s, team_contact_row, &w);
}

static sql_stmt *contacts_stmt(store_conn *c, int64_t child_id, const char *fallback_team)
{
	sql_stmt *s = stmt(CONN(c), S_CHILD_CONTACTS);
	if (s) {
		sql_bind_int64(s, 1, child_id);
		text(s, 2, fallback_team);
	}
	return s;
}

static int sq_child_contacts(store_conn *c, int64_t child_id, const char *fallback_team,
			     struct store_child_contacts *out)
{
	sql_stmt *s = contacts_stmt(c, child_id, fallback_team);
	memset(out, 0, sizeof *out);
	if (!s)
		return STORE_EIO;
	int rc = sql_step(s);
	if (rc == SQL_ROW) {
		out->allocated = sql_column_int64(s, 0) != 0;
		col_copy(s, 1, out->worker, sizeof out->worker);
		col_copy(s, 2, out->since, sizeof out->since);
		out->has_team = sql_column_int64(s, 3) != 0;
		col_copy(s, 4, out->team.team.code, sizeof out->team.team.code);
		col_copy(s, 5, out->team.team.name, sizeof out->team.team.name);
		col_copy(s, 6, out->team.team.manager, sizeof out->team.team.manager);
		col_copy(s, 7, out->team.phone, sizeof out->team.phone);
		col_copy(s, 8, out->team.out_of_hours_phone, sizeof out->team.out_of_hours_phone);
		col_copy(s, 9, out->team.email, sizeof out->team.email);
	}
	int r = rc == SQL_ROW ? STORE_OK : map_rc(rc);
	sql_reset(s);
	return r;
}

static int sq_team_contact_set(store_conn *c, const struct store_team_contact *t, bool *found)
{
	sql_stmt *s = stmt(CONN(c), S_TEAM_CONTACT_SET);
	if (!s)
		return STORE_EIO;
	text(s, 1, t->team.code);
	text(s, 2, t->phone);
	text(s, 3, t->out_of_hours_phone);
	text(s, 4, t->email);
	int rc = run(s);
	*found = rc == STORE_OK && sql_changes(CONN(c)->db) > 0;
	return rc;
}

/* ---- issue 15: break-glass's expiry, notices to the worker, who has looked, the DPO's area view ---------- */

static void text_or_null(sql_stmt *s, int i, const char *v)
{
	if (v && v[0])
		sql_bind_text(s, i, v, -1);
	else
		sql_bind_null(s, i);
}

static int sq_break_glass_until(store_conn *c, int64_t child_id, int64_t user_id, const char *now,
				char until[STORE_TS_LEN + 1])
{
	sql_stmt *s = stmt(CONN(c), S_BREAK_GLASS_UNTIL);
	until[0] = '\0';
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, child_id);
	sql_bind_int64(s, 2, user_id);
	text(s, 3, now);
	int rc = sql_step(s);
	if (rc == SQL_ROW)
		col_copy(s, 0, until, STORE_TS_LEN + 1);
	sql_reset(s);
	return rc == SQL_ROW || rc == SQL_DONE ? STORE_OK : STORE_EIO;
}

static int sq_notice_attach(store_conn *c, int64_t user_id, int64_t child_id, const char *since, const char *started,
			    int64_t glass_id, const char *detail, bool *attached)
{
	sql_stmt *s = stmt(CONN(c), S_NOTICE_ATTACH);
	*attached = false;
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, user_id);
	sql_bind_int64(s, 2, child_id);
	text(s, 3, since);
	sql_bind_int64(s, 4, glass_id);
	text(s, 5, detail);
	text(s, 6, started);
	int rc = run(s);
	if (rc == STORE_OK)
		*attached = sql_changes(CONN(c)->db) > 0;
	return rc;
}

static int sq_notice_pending(store_conn *c, int64_t user_id, int64_t child_id, const char *since,
			     const char *started, int64_t *n)
{
	sql_stmt *s = stmt(CONN(c), S_NOTICE_PENDING);
	*n = 0;
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, user_id);
	sql_bind_int64(s, 2, child_id);
	text(s, 3, since);
	text(s, 4, started);
	return one_int(s, n);
}

static int sq_worker_notice_add(store_conn *c, const struct store_worker_notice *n, int64_t *id)
{
	sql_stmt *s = stmt(CONN(c), S_WORKER_NOTICE_ADD);
	*id = 0;
	if (!s)
		return STORE_EIO;
	text(s, 1, n->kind);
	text(s, 2, n->at);
	text(s, 3, n->recipient);
	sql_bind_int64(s, 4, n->child_id);
	text(s, 5, n->actor);
	text(s, 6, n->who);
	text(s, 7, n->agency);
	text(s, 8, n->role);
	sql_bind_int64(s, 9, n->break_glass_id);
	text(s, 10, n->detail);
	int rc = run(s);
	if (rc == STORE_OK)
		*id = sql_last_insert_id(CONN(c)->db);
	return rc;
}

struct worker_notice_walk {
	store_worker_notice_fn fn;
	void *ctx;
};

static int worker_notice_row(sql_stmt *s, void *arg)
{
	struct worker_notice_walk *w = arg;
	struct store_worker_notice *n = malloc(sizeof *n); /* the reason makes it large */
	if (!n)
		return STORE_EIO;
	memset(n, 0, sizeof *n);
	n->id = sql_column_int64(s, 0);
	col_copy(s, 1, n->kind, sizeof n->kind);
	col_copy(s, 2, n->at, sizeof n->at);
	col_copy(s, 3, n->recipient, sizeof n->recipient);
	n->child_id = sql_column_int64(s, 4);
	col_copy(s, 5, n->actor, sizeof n->actor);
	col_copy(s, 6, n->who, sizeof n->who);
	col_copy(s, 7, n->agency, sizeof n->agency);
	col_copy(s, 8, n->role, sizeof n->role);
	n->break_glass_id = sql_column_int64(s, 9);
	col_copy(s, 10, n->detail, sizeof n->detail);
	col_copy(s, 11, n->given_name, sizeof n->given_name);
	col_copy(s, 12, n->family_name, sizeof n->family_name);
	col_copy(s, 13, n->reason, sizeof n->reason);
	col_copy(s, 14, n->expires_at, sizeof n->expires_at);
	int rc = w->fn(n, w->ctx);
	free(n);
	return rc;
}

static int sq_worker_notices(store_conn *c, const struct store_view *v, const char *recipient, int limit,
			     store_worker_notice_fn fn, void *ctx)
{
	struct worker_notice_walk w = {fn, ctx};
	sql_stmt *s = stmt(CONN(c), S_WORKER_NOTICES);
	if (!s)
		return STORE_EIO;
	bind_view(s, v);
	text(s, 1, recipient);
	sql_bind_int(s, 2, limit > 0 ? limit : 100);
	return each_row(s, worker_notice_row, &w);
}

struct look_walk {
	store_look_fn fn;
	void *ctx;
};

static int look_row(sql_stmt *s, void *arg)
{
	struct look_walk *w = arg;
	struct store_look l;
	memset(&l, 0, sizeof l);
	l.a.id = sql_column_int64(s, 0);
	l.a.at = col_str(s, 1);
	l.a.actor = col_str(s, 2);
	l.a.action = col_str(s, 3);
	l.a.child_id = sql_column_int64(s, 4);
	l.a.object = col_str(s, 5);
	l.a.detail = col_str(s, 6);
	col_copy(s, 8, l.agency, sizeof l.agency);
	col_copy(s, 9, l.role, sizeof l.role);
	col_copy(s, 10, l.username, sizeof l.username);
	return w->fn(&l, w->ctx);
}

static int sq_child_looks(store_conn *c, int64_t child_id, const struct store_look_query *q, store_look_fn fn,
			  void *ctx)
{
	struct look_walk w = {fn, ctx};
	sql_stmt *s = stmt(CONN(c), S_CHILD_LOOKS);
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, child_id);
	text_or_null(s, 2, q->from);
	text_or_null(s, 3, q->to);
	text_or_null(s, 4, q->agency);
	sql_bind_int(s, 5, q->limit > 0 ? q->limit : 100);
	return each_row(s, look_row, &w);
}

static int glass_area_row(sql_stmt *s, void *arg)
{
	struct break_glass_walk *w = arg;
	struct store_break_glass *b = malloc(sizeof *b);
	if (!b)
		return STORE_EIO;
	memset(b, 0, sizeof *b);
	b->id = sql_column_int64(s, 0);
	b->child_id = sql_column_int64(s, 1);
	b->user_id = sql_column_int64(s, 2);
	col_copy(s, 3, b->reason, sizeof b->reason);
	col_copy(s, 4, b->at, sizeof b->at);
	col_copy(s, 5, b->expires_at, sizeof b->expires_at);
	col_copy(s, 6, b->username, sizeof b->username);
	col_copy(s, 7, b->agency, sizeof b->agency);
	col_copy(s, 8, b->role, sizeof b->role);
	col_copy(s, 9, b->given_name, sizeof b->given_name);
	col_copy(s, 10, b->family_name, sizeof b->family_name);
	int rc = w->fn(b, w->ctx);
	free(b);
	return rc;
}

static int sq_break_glass_area(store_conn *c, const struct store_view *v, const struct store_glass_query *q,
			       store_break_glass_fn fn, void *ctx)
{
	struct break_glass_walk w = {fn, ctx};
	sql_stmt *s = stmt(CONN(c), S_GLASS_AREA);
	if (!s)
		return STORE_EIO;
	bind_view(s, v);
	text_or_null(s, 1, q->person);
	text_or_null(s, 2, q->agency);
	text_or_null(s, 3, q->from);
	text_or_null(s, 4, q->to);
	sql_bind_int(s, 5, q->limit > 0 ? q->limit : 100);
	return each_row(s, glass_area_row, &w);
}

/* ---- the LADO's records (issue 18) ----------------------------------------------------------------------- */

static int sq_lado_person_insert(store_conn *c, const struct store_lado_person *p, int64_t *id)
{
	sql_stmt *s = stmt(CONN(c), S_LADO_PERSON_INSERT);
	*id = 0;
	if (!s)
		return STORE_EIO;
	text(s, 1, p->given_name);
	text(s, 2, p->family_name);
	text(s, 3, p->dob);
	text(s, 4, p->created_by);
	int rc = run(s);
	if (rc == STORE_OK)
		*id = sql_last_insert_id(CONN(c)->db);
	return rc;
}

static void lado_person_row(sql_stmt *s, struct store_lado_person *p)
{
	memset(p, 0, sizeof *p);
	p->id = sql_column_int64(s, 0);
	col_copy(s, 1, p->given_name, sizeof p->given_name);
	col_copy(s, 2, p->family_name, sizeof p->family_name);
	col_copy(s, 3, p->dob, sizeof p->dob);
	col_copy(s, 4, p->created_at, sizeof p->created_at);
	col_copy(s, 5, p->created_by, sizeof p->created_by);
}

static int sq_lado_person_get(store_conn *c, int64_t id, struct store_lado_person *out, bool *found)
{
	sql_stmt *s = stmt(CONN(c), S_LADO_PERSON_GET);
	*found = false;
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, id);
	int rc = sql_step(s);
	*found = rc == SQL_ROW;
	if (*found)
		lado_person_row(s, out);
	int r = map_rc(rc);
	sql_reset(s);
	return r;
}

struct lado_walk {
	void *fn;
	void *ctx;
};

static int lado_person_each(sql_stmt *s, void *arg)
{
	struct lado_walk *w = arg;
	struct store_lado_person p;
	lado_person_row(s, &p);
	return ((store_lado_person_fn)w->fn)(&p, w->ctx);
}

/* The date a year from d (years = 1 or -1) as SQLite's date(d, '+1 year') gives it: the same day and month,
 * a day that month lacks (29 February) rolling into the next (1 March). In C, so that both engines agree. */
static void year_from(struct date d, int years, char out[DATE_ISO_LEN + 1])
{
	d.y += years;
	int dim = date_days_in_month(d.y, d.m);
	if (d.d > dim) {
		d.d -= dim;
		d.m++;
	}
	date_format_iso(d, out);
}

static int sq_lado_people_near(store_conn *c, const char *dob, int limit, store_lado_person_fn fn, void *ctx)
{
	struct lado_walk w = {(void *)fn, ctx};
	sql_stmt *s = stmt(CONN(c), S_LADO_PEOPLE_NEAR);
	if (!s)
		return STORE_EIO;
	text(s, 1, dob);
	sql_bind_int(s, 2, limit > 0 ? limit : 100);
	/* A year either side of the date of birth; no bounds (nothing found by them) for one that is not a date. */
	struct date d;
	char lo[DATE_ISO_LEN + 1], hi[DATE_ISO_LEN + 1];
	if (date_parse_iso(dob, &d) == DATE_OK && d.y > 1 && d.y < 9999) {
		year_from(d, -1, lo);
		year_from(d, 1, hi);
		sql_bind_text(s, 3, lo, -1);
		sql_bind_text(s, 4, hi, -1);
	} else {
		sql_bind_null(s, 3);
		sql_bind_null(s, 4);
	}
	return each_row(s, lado_person_each, &w);
}

static int sq_lado_employment_add(store_conn *c, const struct store_lado_employment *e, int64_t *id)
{
	sql_stmt *s = stmt(CONN(c), S_LADO_EMPLOYMENT_ADD);
	*id = 0;
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, e->person_id);
	text(s, 2, e->employer);
	sql_bind_int64(s, 3, e->home_id);
	text(s, 4, e->role);
	text(s, 5, e->from_day);
	text(s, 6, e->to_day);
	int rc = run(s);
	if (rc == STORE_OK)
		*id = sql_last_insert_id(CONN(c)->db);
	return rc;
}

static int lado_employment_each(sql_stmt *s, void *arg)
{
	struct lado_walk *w = arg;
	struct store_lado_employment e;
	memset(&e, 0, sizeof e);
	e.id = sql_column_int64(s, 0);
	e.person_id = sql_column_int64(s, 1);
	e.home_id = sql_column_int64(s, 2);
	col_copy(s, 3, e.employer, sizeof e.employer);
	col_copy(s, 4, e.role, sizeof e.role);
	col_copy(s, 5, e.from_day, sizeof e.from_day);
	col_copy(s, 6, e.to_day, sizeof e.to_day);
	col_copy(s, 7, e.home_urn, sizeof e.home_urn);
	return ((store_lado_employment_fn)w->fn)(&e, w->ctx);
}

static int sq_lado_employments(store_conn *c, int64_t person_id, store_lado_employment_fn fn, void *ctx)
{
	struct lado_walk w = {(void *)fn, ctx};
	sql_stmt *s = stmt(CONN(c), S_LADO_EMPLOYMENTS);
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, person_id);
	return each_row(s, lado_employment_each, &w);
}

static int sq_lado_home_by_urn(store_conn *c, const char *urn, int64_t *home_id, bool *found)
{
	sql_stmt *s = stmt(CONN(c), S_LADO_HOME_BY_URN);
	*home_id = 0;
	*found = false;
	if (!s)
		return STORE_EIO;
	text(s, 1, urn);
	int rc = one_int(s, home_id);
	*found = *home_id != 0;
	return rc;
}

static int sq_lado_allegation_insert(store_conn *c, const struct store_lado_allegation *a, int64_t *id)
{
	sql_stmt *s = stmt(CONN(c), S_LADO_ALLEGATION_INSERT);
	*id = 0;
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, a->person_id);
	sql_bind_int64(s, 2, a->employment_id);
	text(s, 3, a->received_on);
	text(s, 4, a->referrer);
	text(s, 5, a->summary);
	text(s, 6, a->created_by);
	int rc = run(s);
	if (rc == STORE_OK)
		*id = sql_last_insert_id(CONN(c)->db);
	return rc;
}

static void lado_allegation_row(sql_stmt *s, struct store_lado_allegation *a)
{
	memset(a, 0, sizeof *a);
	a->id = sql_column_int64(s, 0);
	a->person_id = sql_column_int64(s, 1);
	a->employment_id = sql_column_int64(s, 2);
	col_copy(s, 3, a->received_on, sizeof a->received_on);
	col_copy(s, 4, a->referrer, sizeof a->referrer);
	col_copy(s, 5, a->summary, sizeof a->summary);
	col_copy(s, 6, a->created_at, sizeof a->created_at);
	col_copy(s, 7, a->created_by, sizeof a->created_by);
	col_copy(s, 8, a->consideration_on, sizeof a->consideration_on);
	col_copy(s, 9, a->threshold, sizeof a->threshold);
	col_copy(s, 10, a->consideration_notes, sizeof a->consideration_notes);
	col_copy(s, 11, a->strategy_on, sizeof a->strategy_on);
	col_copy(s, 12, a->strategy_notes, sizeof a->strategy_notes);
	col_copy(s, 13, a->outcome, sizeof a->outcome);
	col_copy(s, 14, a->outcome_on, sizeof a->outcome_on);
	col_copy(s, 15, a->outcome_notes, sizeof a->outcome_notes);
	col_copy(s, 16, a->employer_action_on, sizeof a->employer_action_on);
	col_copy(s, 17, a->employer_action, sizeof a->employer_action);
	col_copy(s, 18, a->employer, sizeof a->employer);
	a->home_id = sql_column_int64(s, 19);
	col_copy(s, 20, a->given_name, sizeof a->given_name);
	col_copy(s, 21, a->family_name, sizeof a->family_name);
}

static int sq_lado_allegation_get(store_conn *c, int64_t id, struct store_lado_allegation *out, bool *found)
{
	sql_stmt *s = stmt(CONN(c), S_LADO_ALLEGATION_GET);
	*found = false;
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, id);
	int rc = sql_step(s);
	*found = rc == SQL_ROW;
	if (*found)
		lado_allegation_row(s, out);
	int r = map_rc(rc);
	sql_reset(s);
	return r;
}

static int sq_lado_allegation_update(store_conn *c, const struct store_lado_allegation *a)
{
	sql_stmt *s = stmt(CONN(c), S_LADO_ALLEGATION_UPDATE);
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, a->id);
	text(s, 2, a->consideration_on);
	text(s, 3, a->threshold);
	text(s, 4, a->consideration_notes);
	text(s, 5, a->strategy_on);
	text(s, 6, a->strategy_notes);
	text(s, 7, a->outcome);
	text(s, 8, a->outcome_on);
	text(s, 9, a->outcome_notes);
	text(s, 10, a->employer_action_on);
	text(s, 11, a->employer_action);
	return run(s);
}

static int lado_allegation_each(sql_stmt *s, void *arg)
{
	struct lado_walk *w = arg;
	struct store_lado_allegation *a = malloc(sizeof *a); /* the notes make it large */
	if (!a)
		return STORE_EIO;
	lado_allegation_row(s, a);
	int rc = ((store_lado_allegation_fn)w->fn)(a, w->ctx);
	free(a);
	return rc;
}

static int sq_lado_allegations(store_conn *c, int64_t person_id, bool open_only, int limit,
			       store_lado_allegation_fn fn, void *ctx)
{
	struct lado_walk w = {(void *)fn, ctx};
	sql_stmt *s = stmt(CONN(c), S_LADO_ALLEGATIONS);
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, person_id);
	sql_bind_int(s, 2, open_only);
	sql_bind_int(s, 3, limit > 0 ? limit : 100);
	return each_row(s, lado_allegation_each, &w);
}

static int sq_lado_alert_insert(store_conn *c, const struct store_lado_alert *a, int64_t *id, bool *inserted)
{
	sql_stmt *s = stmt(CONN(c), S_LADO_ALERT_INSERT);
	*id = 0;
	*inserted = false;
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, a->person_id);
	sql_bind_int64(s, 2, a->allegation_id);
	text(s, 3, a->code);
	text(s, 4, a->raised_on);
	text(s, 5, a->due);
	text(s, 6, a->evidence[0] ? a->evidence : "[]");
	int rc = run(s);
	if (rc == STORE_OK && sql_changes(CONN(c)->db) == 1) {
		*inserted = true;
		*id = sql_last_insert_id(CONN(c)->db);
	}
	return rc;
}

static int lado_alert_each(sql_stmt *s, void *arg)
{
	struct lado_walk *w = arg;
	struct store_lado_alert a;
	memset(&a, 0, sizeof a);
	a.id = sql_column_int64(s, 0);
	a.person_id = sql_column_int64(s, 1);
	a.allegation_id = sql_column_int64(s, 2);
	col_copy(s, 3, a.code, sizeof a.code);
	col_copy(s, 4, a.raised_on, sizeof a.raised_on);
	col_copy(s, 5, a.due, sizeof a.due);
	col_copy(s, 6, a.evidence, sizeof a.evidence);
	col_copy(s, 7, a.state, sizeof a.state);
	col_copy(s, 8, a.created_at, sizeof a.created_at);
	col_copy(s, 9, a.resolved_at, sizeof a.resolved_at);
	col_copy(s, 10, a.resolved_by, sizeof a.resolved_by);
	col_copy(s, 11, a.given_name, sizeof a.given_name);
	col_copy(s, 12, a.family_name, sizeof a.family_name);
	return ((store_lado_alert_fn)w->fn)(&a, w->ctx);
}

static int sq_lado_alerts(store_conn *c, int64_t person_id, int64_t allegation_id, bool open_only, int limit,
			  store_lado_alert_fn fn, void *ctx)
{
	struct lado_walk w = {(void *)fn, ctx};
	sql_stmt *s = stmt(CONN(c), S_LADO_ALERTS);
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, person_id);
	sql_bind_int64(s, 2, allegation_id);
	sql_bind_int(s, 3, open_only);
	sql_bind_int(s, 4, limit > 0 ? limit : 100);
	return each_row(s, lado_alert_each, &w);
}

static int sq_lado_alert_resolve(store_conn *c, int64_t allegation_id, const char *code, const char *by, int64_t *n)
{
	sql_stmt *s = stmt(CONN(c), S_LADO_ALERT_RESOLVE);
	*n = 0;
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, allegation_id);
	text(s, 2, code);
	text(s, 3, by);
	int rc = run(s);
	if (rc == STORE_OK)
		*n = sql_changes(CONN(c)->db);
	return rc;
}

/* ---- speak up (issue 18) ---- */

static int sq_speakup_insert(store_conn *c, const struct store_speakup *r, int64_t *id)
{
	sql_stmt *s = stmt(CONN(c), S_SPEAKUP_INSERT);
	if (!s)
		return STORE_EIO;
	text(s, 1, r->ref);
	text(s, 2, r->pass_hash);
	text(s, 3, r->who);
	sql_bind_int64(s, 4, r->home_id);
	sql_bind_int(s, 5, r->home_unknown);
	text(s, 6, r->person_name);
	text(s, 7, r->person_role);
	text(s, 8, r->what);
	text(s, 9, r->child_name);
	text(s, 10, r->child_dob);
	text(s, 11, r->about);
	text(s, 12, r->first_name);
	text(s, 13, r->contact);
	sql_bind_int64(s, 14, r->incident_id);
	int rc = run(s);
	if (rc == STORE_OK && id)
		*id = sql_last_insert_id(CONN(c)->db);
	return rc;
}

static void speakup_row(sql_stmt *s, struct store_speakup *r)
{
	r->id = sql_column_int64(s, 0);
	col_copy(s, 1, r->ref, sizeof r->ref);
	col_copy(s, 2, r->pass_hash, sizeof r->pass_hash);
	col_copy(s, 3, r->created_at, sizeof r->created_at);
	col_copy(s, 4, r->who, sizeof r->who);
	r->home_id = sql_column_int64(s, 5);
	r->home_unknown = sql_column_int(s, 6);
	col_copy(s, 7, r->person_name, sizeof r->person_name);
	col_copy(s, 8, r->person_role, sizeof r->person_role);
	col_copy(s, 9, r->what, sizeof r->what);
	col_copy(s, 10, r->child_name, sizeof r->child_name);
	col_copy(s, 11, r->child_dob, sizeof r->child_dob);
	col_copy(s, 12, r->about, sizeof r->about);
	col_copy(s, 13, r->first_name, sizeof r->first_name);
	col_copy(s, 14, r->contact, sizeof r->contact);
	col_copy(s, 15, r->state, sizeof r->state);
	col_copy(s, 16, r->outcome, sizeof r->outcome);
	col_copy(s, 17, r->outcome_reason, sizeof r->outcome_reason);
	col_copy(s, 18, r->triaged_by, sizeof r->triaged_by);
	col_copy(s, 19, r->triaged_at, sizeof r->triaged_at);
	r->child_id = sql_column_int64(s, 20);
	r->incident_id = sql_column_int64(s, 21);
	r->fails = sql_column_int(s, 22);
	col_copy(s, 23, r->fail_since, sizeof r->fail_since);
	col_copy(s, 24, r->home_name, sizeof r->home_name);
	r->messages = sql_column_int(s, 25);
}

static int sq_speakup_get(store_conn *c, int64_t id, const char *ref, struct store_speakup *out, bool *found)
{
	sql_stmt *s = stmt(CONN(c), id ? S_SPEAKUP_GET : S_SPEAKUP_BY_REF);
	*found = false;
	if (!s)
		return STORE_EIO;
	if (id)
		sql_bind_int64(s, 1, id);
	else
		text(s, 1, ref);
	int rc = sql_step(s);
	if (rc == SQL_ROW) {
		speakup_row(s, out);
		*found = true;
	}
	int r = map_rc(rc);
	sql_reset(s);
	return r;
}

struct speakup_walk {
	store_speakup_fn fn;
	void *ctx;
	struct store_speakup r;
};

static int speakup_each_row(sql_stmt *s, void *arg)
{
	struct speakup_walk *w = arg;
	speakup_row(s, &w->r);
	return w->fn(&w->r, w->ctx);
}

static int sq_speakups(store_conn *c, int limit, store_speakup_fn fn, void *ctx)
{
	sql_stmt *s = stmt(CONN(c), S_SPEAKUPS);
	struct speakup_walk *w = calloc(1, sizeof *w); /* the row is large: not on the stack */
	if (!s || !w) {
		free(w);
		return STORE_EIO;
	}
	w->fn = fn;
	w->ctx = ctx;
	sql_bind_int(s, 1, limit);
	int rc = each_row(s, speakup_each_row, w);
	free(w);
	return rc;
}

static int sq_speakup_update(store_conn *c, const struct store_speakup *r)
{
	sql_stmt *s = stmt(CONN(c), S_SPEAKUP_UPDATE);
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, r->id);
	text(s, 2, r->state);
	text(s, 3, r->outcome);
	text(s, 4, r->outcome_reason);
	text(s, 5, r->triaged_by);
	text(s, 6, r->triaged_at);
	sql_bind_int64(s, 7, r->child_id);
	sql_bind_int64(s, 8, r->incident_id);
	sql_bind_int(s, 9, r->fails);
	text(s, 10, r->fail_since);
	return run(s);
}

static int sq_speakup_count_since(store_conn *c, const char *since, int64_t *n)
{
	sql_stmt *s = stmt(CONN(c), S_SPEAKUP_COUNT);
	if (!s)
		return STORE_EIO;
	text(s, 1, since);
	return one_int(s, n);
}

static int sq_speakup_message_insert(store_conn *c, const struct store_speakup_message *m, int64_t *id)
{
	sql_stmt *s = stmt(CONN(c), S_SPEAKUP_MSG_INSERT);
	if (!s)
		return STORE_EIO;
	sql_bind_int64(s, 1, m->report_id);
	sql_bind_int(s, 2, m->from_reporter);
	text(s, 3, m->author);
	text(s, 4, m->text);
	int rc = run(s);
	if (rc == STORE_OK && id)
		*id = sql_last_insert_id(CONN(c)->db);
	return rc;
}

struct speakup_msg_walk {
	store_speakup_message_fn fn;
	void *ctx;
	struct store_speakup_message m;
};

static int speakup_msg_row(sql_stmt *s, void *arg)
{
	struct speakup_msg_walk *w = arg;
	w->m.id = sql_column_int64(s, 0);
	w->m.report_id = sql_column_int64(s, 1);
	col_copy(s, 2, w->m.at, sizeof w->m.at);
	w->m.from_reporter = sql_column_int(s, 3);
	col_copy(s, 4, w->m.author, sizeof w->m.author);
	col_copy(s, 5, w->m.text, sizeof w->m.text);
	return w->fn(&w->m, w->ctx);
}

static int sq_speakup_messages(store_conn *c, int64_t report_id, store_speakup_message_fn fn, void *ctx)
{
	struct speakup_msg_walk *w = calloc(1, sizeof *w);
	if (!w)
		return STORE_EIO;
	w->fn = fn;
	w->ctx = ctx;
	int rc = each_row_of(c, S_SPEAKUP_MSGS, report_id, -1, speakup_msg_row, w);
	free(w);
	return rc;
}

/* ---- bulk loads (store_bulk.h): COPY where the engine has it, else one prepared INSERT reused ---------- */

static const struct {
	const char *table, *cols;
	int ncols;
	bool has_id;
} bulk_tables[STORE_BULK__COUNT] = {
	[STORE_BULK_PERSON] = {"person", "id, given_name, middle_names, family_name, dob, sex, postcode, address, "
					 "match_key, created_at, given_fold, family_fold", 12, true},
	[STORE_BULK_IDENTIFIER] = {"identifier", "person_id, kind, value, source_record_id, first_seen", 5, false},
	[STORE_BULK_SOURCE_RECORD] = {"source_record", "id, agency, source_ref, payload_hash, payload, person_id, "
						   "link_score, link_rule, received_at", 9, true},
	[STORE_BULK_EVENT] = {"event", "id, person_id, source_record_id, agency, kind, occurred_at, recorded_at, "
				       "summary, details", 9, true},
	[STORE_BULK_BLOCK_KEY] = {"person_block_key", "key, person_id, source_record_id", 3, false},
	[STORE_BULK_HOME_OCCUPANCY] = {"home_occupancy", "home_id, month, child_nights", 3, false},
	[STORE_BULK_HOME_INCIDENT] = {"home_incident", "home_id, person_id, occurred_at, type, duration_min, "
						   "technique, child_injured, staff_involved, debrief_offered, summary", 10, false},
};

#define BULK_COLS_MAX 16

int store_bulk_columns(enum store_bulk_table t)
{
	return (int)t >= 0 && t < STORE_BULK__COUNT ? bulk_tables[t].ncols : 0;
}

static int sq_bulk_next_id(store_conn *c, enum store_bulk_table t, int64_t *next)
{
	struct sq_conn *x = CONN(c);
	*next = 0;
	if ((int)t < 0 || t >= STORE_BULK__COUNT || !bulk_tables[t].has_id || x->bulk_open)
		return STORE_EIO;
	char sql[128]; /* the table's name is one of bulk_tables[]'s constants, never input */
	snprintf(sql, sizeof sql, "SELECT coalesce(max(id), 0) + 1 FROM %s", bulk_tables[t].table);
	sql_stmt *s = sql_prepare(x->db, S_BULK_NEXT_0 + (int)t, sql);
	if (!s)
		return STORE_EIO;
	int rc = sql_step(s);
	if (rc == SQL_ROW)
		*next = sql_column_int64(s, 0);
	sql_reset(s);
	return rc == SQL_ROW ? STORE_OK : map_rc(rc) ? map_rc(rc) : STORE_EIO;
}

static int sq_bulk_begin(store_conn *c, enum store_bulk_table t)
{
	struct sq_conn *x = CONN(c);
	if ((int)t < 0 || t >= STORE_BULK__COUNT || x->bulk_open || !x->db->drv->in_transaction(x->db))
		return STORE_EIO;
	/* the rows go by COPY or S_BULK_*, past stmt()'s ends_rules and ends_cands: event's rows change the rules'
	 * reads, person's, identifier's and person_block_key's the candidates' (test_txq_pipeline's
	 * rule_reads_dropped_by_a_bulk_load, batch_candidates_dropped_by_a_bulk_load) */
	rules_drop(x);
	cands_drop(x);
	homes_drop(x);
	if (t == STORE_BULK_EVENT) {
		sql_stmt *m = stmt(x, S_MASH_OPEN_LOADED);
		if (!m)
			return STORE_EIO;
		int rc = sql_step(m);
		if (rc == SQL_ROW) {
			x->bulk_mash_from = sql_column_int64(m, 0);
			x->bulk_mash_held = sql_column_int(m, 1) != 0;
		}
		sql_reset(m);
		if (rc != SQL_ROW)
			return map_rc(rc) ? map_rc(rc) : STORE_EIO;
	}
	const struct sql_driver *d = x->db->drv;
	if (d->copy_begin) {
		int rc = d->copy_begin(x->db, bulk_tables[t].table, bulk_tables[t].cols);
		if (rc != STORE_OK)
			return rc;
		x->bulk_copy = true;
	} else {
		char sql[512];
		int o = snprintf(sql, sizeof sql, "INSERT INTO %s(%s) VALUES (", bulk_tables[t].table, bulk_tables[t].cols);
		for (int i = 1; i <= bulk_tables[t].ncols && o > 0 && o < (int)sizeof sql; i++)
			o += snprintf(sql + o, sizeof sql - (size_t)o, "%s?%d", i > 1 ? ", " : "", i);
		if (o <= 0 || o + 2 >= (int)sizeof sql)
			return STORE_EIO;
		snprintf(sql + o, sizeof sql - (size_t)o, ")");
		if (!(x->bulk_stmt = sql_prepare(x->db, S_BULK_0 + (int)t, sql)))
			return STORE_EIO;
		x->bulk_copy = false;
	}
	x->bulk_open = true;
	x->bulk_table = (int)t;
	return STORE_OK;
}

static int sq_bulk_row(store_conn *c, const struct store_bulk_value *v, int n)
{
	struct sq_conn *x = CONN(c);
	if (!x->bulk_open || n != bulk_tables[x->bulk_table].ncols || n > BULK_COLS_MAX)
		return STORE_EIO;
	if (x->bulk_copy) {
		struct sql_value w[BULK_COLS_MAX];
		static const int kinds[] = {[STORE_BV_NULL] = SQL_V_NULL, [STORE_BV_INT] = SQL_V_INT,
					    [STORE_BV_REAL] = SQL_V_DOUBLE, [STORE_BV_TEXT] = SQL_V_TEXT,
					    [STORE_BV_BLOB] = SQL_V_BLOB};
		for (int i = 0; i < n; i++) {
			if ((unsigned)v[i].kind > STORE_BV_BLOB)
				return STORE_EIO;
			w[i] = (struct sql_value){kinds[v[i].kind], v[i].i, v[i].d, v[i].p, v[i].n};
		}
		return x->db->drv->copy_row(x->db, w, n);
	}
	sql_stmt *s = x->bulk_stmt;
	sql_reset(s);
	sql_clear_bindings(s);
	for (int i = 0; i < n; i++) {
		switch (v[i].kind) {
		case STORE_BV_INT: sql_bind_int64(s, i + 1, v[i].i); break;
		case STORE_BV_REAL: sql_bind_double(s, i + 1, v[i].d); break;
		case STORE_BV_TEXT: sql_bind_text(s, i + 1, v[i].p ? v[i].p : "", v[i].p ? v[i].n : 0); break;
		case STORE_BV_BLOB: sql_bind_blob(s, i + 1, v[i].p, v[i].n); break;
		case STORE_BV_NULL: sql_bind_null(s, i + 1); break;
		default: return STORE_EIO;
		}
	}
	int rc = sql_step(s);
	sql_reset(s);
	return rc == SQL_DONE ? STORE_OK : map_rc(rc) ? map_rc(rc) : STORE_EIO;
}

static int sq_bulk_end(store_conn *c, bool ok)
{
	struct sq_conn *x = CONN(c);
	if (!x->bulk_open)
		return STORE_EIO;
	x->bulk_open = false;
	x->bulk_stmt = NULL;
	int rc = x->bulk_copy ? x->db->drv->copy_end(x->db, ok) : ok ? STORE_OK : STORE_EIO;
	/* the loaded events' category keys (their ids from bulk_mash_from on) */
	if (rc == STORE_OK && x->bulk_table == STORE_BULK_EVENT) {
		sql_stmt *k = stmt(x, S_EVENT_KEY_LOADED);
		if (!k)
			return STORE_EIO;
		sql_bind_int64(k, 1, x->bulk_mash_from);
		rc = run(k);
	}
	/* the loaded events' children in mash_open as the rule says, in the load's transaction (a fast load fills
	 * it once, at its end) */
	if (rc == STORE_OK && x->bulk_table == STORE_BULK_EVENT && !x->bulk_mash_held) {
		for (int i = 0; i < 2 && rc == STORE_OK; i++) {
			sql_stmt *m = stmt(x, i == 0 ? S_MASH_OPEN_LOADED_DROP : S_MASH_OPEN_LOADED_ADD);
			if (!m)
				return STORE_EIO;
			sql_bind_int64(m, 1, x->bulk_mash_from);
			rc = run(m);
		}
	}
	return rc;
}

/* Fast loads into an empty area (store_bulk.h). The five tables area-load fills; their secondary indexes are
 * held back while the rows go in. */
static const char *const held_tables[] = {"person", "identifier", "source_record", "event", "person_block_key"};

static bool on_sqlite(const struct sq_conn *x) { return strcmp(x->db->drv->name, "sqlite") == 0; }

struct held {
	char *name, *tbl, *sql, *drop; /* drop: the catalogue's own DROP statement (S_BULK_INDEXES only) */
};

static void held_free(struct held *h, int n)
{
	for (int i = 0; i < n; i++) {
		free(h[i].name);
		free(h[i].tbl);
		free(h[i].sql);
		free(h[i].drop);
	}
	free(h);
}

/* The rows of S_BULK_INDEXES (table t) or S_BULK_HELD (t NULL), copied: DDL runs after the statement is reset. */
static int held_list(struct sq_conn *x, const char *t, struct held **out, int *n)
{
	*out = NULL;
	*n = 0;
	sql_stmt *s = sql_prepare(x->db, t ? S_BULK_INDEXES : S_BULK_HELD, stmt_sql[t ? S_BULK_INDEXES : S_BULK_HELD]);
	if (!s)
		return STORE_EIO;
	if (t)
		sql_bind_text(s, 1, t, -1);
	int rc, cap = 0;
	while ((rc = sql_step(s)) == SQL_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			struct held *g = realloc(*out, (size_t)cap * sizeof *g);
			if (!g)
				break;
			*out = g;
		}
		struct held *h = &(*out)[(*n)++];
		h->name = strdup((const char *)sql_column_text(s, 0));
		h->sql = strdup((const char *)sql_column_text(s, 1));
		h->drop = strdup((const char *)sql_column_text(s, 2));
		h->tbl = strdup(t ? t : "");
		if (!h->name || !h->sql || !h->tbl || !h->drop) {
			rc = STORE_EIO;
			break;
		}
	}
	sql_reset(s);
	if (rc != SQL_DONE) {
		held_free(*out, *n);
		*out = NULL;
		*n = 0;
		return map_rc(rc) ? map_rc(rc) : STORE_EIO;
	}
	return STORE_OK;
}

/* Builds every index bulk_held_index lists and forgets it, in one transaction. On failure err (when given) says
 * why in the engine's words, read before the rollback (which leaves "not an error"). */
static int bulk_build_held(struct sq_conn *x, int *built, char *err, size_t errsz)
{
	*built = 0;
	int rc = sql_begin(x->db, true), n = 0;
	struct held *h = NULL;
	bool began = rc == STORE_OK;
	if (began && (rc = held_list(x, NULL, &h, &n)) == STORE_OK && n > 0 && !on_sqlite(x))
		rc = sql_exec(x->db, "SET LOCAL maintenance_work_mem = '512MB'");
	for (int i = 0; began && i < n && rc == STORE_OK; i++) {
		if ((rc = sql_exec(x->db, h[i].sql)) != STORE_OK)
			break;
		sql_stmt *s = sql_prepare(x->db, S_BULK_UNHOLD, stmt_sql[S_BULK_UNHOLD]);
		if (!s)
			rc = STORE_EIO;
		else if (sql_bind_text(s, 1, h[i].name, -1), (rc = run(s)) == STORE_OK)
			(*built)++;
	}
	held_free(h, n);
	bool failed_inside = began && rc != STORE_OK;
	if (began && rc == STORE_OK)
		rc = sql_commit(x->db);
	if (rc != STORE_OK && err)
		snprintf(err, errsz, "cannot build the indexes a bulk load held back: %s", sql_errmsg(x->db));
	if (failed_inside)
		sql_rollback(x->db);
	return rc;
}

static int sq_bulk_fast_begin(store_conn *c, bool *fast)
{
	struct sq_conn *x = CONN(c);
	*fast = false;
	if (x->bulk_open || x->db->drv->in_transaction(x->db))
		return STORE_EIO;
	int rc = sql_begin(x->db, true);
	if (rc != STORE_OK)
		return rc;
	sql_stmt *s = sql_prepare(x->db, S_BULK_EMPTY, stmt_sql[S_BULK_EMPTY]);
	bool empty = false;
	if (!s)
		rc = STORE_EIO;
	else if ((rc = sql_step(s)) == SQL_ROW) {
		empty = sql_column_int64(s, 0) == 0;
		rc = STORE_OK;
	} else
		rc = map_rc(rc) ? map_rc(rc) : STORE_EIO;
	if (s)
		sql_reset(s);
	/* the indexes held and dropped in the transaction that checked the tables are empty */
	for (size_t t = 0; empty && rc == STORE_OK && t < sizeof held_tables / sizeof held_tables[0]; t++) {
		struct held *h = NULL;
		int n = 0;
		rc = held_list(x, held_tables[t], &h, &n);
		for (int i = 0; i < n && rc == STORE_OK; i++) {
			sql_stmt *w = sql_prepare(x->db, S_BULK_HOLD, stmt_sql[S_BULK_HOLD]);
			if (!w) {
				rc = STORE_EIO;
				break;
			}
			sql_bind_text(w, 1, h[i].name, -1);
			sql_bind_text(w, 2, h[i].tbl, -1);
			sql_bind_text(w, 3, h[i].sql, -1);
			if ((rc = run(w)) == STORE_OK)
				rc = sql_exec(x->db, h[i].drop);
		}
		held_free(h, n);
	}
	/* mash_open too (migration 37): its triggers do nothing while the rows go in (each would probe an event
	 * table whose indexes are held), and bulk_build_held fills it once, after the indexes */
	if (empty && rc == STORE_OK) {
		sql_stmt *w = sql_prepare(x->db, S_BULK_HOLD, stmt_sql[S_BULK_HOLD]);
		if (!w)
			rc = STORE_EIO;
		else {
			sql_bind_text(w, 1, "mash_open", -1);
			sql_bind_text(w, 2, "event", -1);
			sql_bind_text(w, 3, x->db->override ? MASH_OPEN_FILL : MASH_OPEN_FILL_LITE, -1);
			rc = run(w);
		}
	}
	if (rc != STORE_OK || !empty) {
		sql_rollback(x->db);
		return rc;
	}
	if ((rc = sql_commit(x->db)) != STORE_OK)
		return rc;
	/* From here the indexes are held back: whatever happens next, the caller must end the load
	 * (store_bulk_fast_end(c, true)), which restores durability and builds them again. */
	*fast = true;
	/* Durability off while the rows of an empty area go in (store_bulk_fast_end restores it and makes the
	 * whole load durable): SQLite skips its fsyncs (its journal still keeps the file whole if the process
	 * dies; only the machine losing power could leave it damaged) and gets a page cache of 1 GiB;
	 * PostgreSQL's commits do not wait for their WAL to reach disk (a crash loses the last chunks, never
	 * consistency). */
	if (on_sqlite(x)) {
		/* and a rollback journal instead of the write-ahead log: a page the load adds past the end of the
		 * file is written once, not to the log and again into the file (an empty area's file is nearly all
		 * such pages). Left in WAL if another connection holds the file: SQLite then refuses the switch
		 * ("database is locked"), which is no reason to stop the load. */
		if ((rc = sql_exec(x->db, "PRAGMA synchronous = OFF; PRAGMA cache_size = -1048576")) == STORE_OK)
			(void)sql_exec(x->db, "PRAGMA journal_mode = DELETE");
	} else {
		snprintf(x->bulk_sync, sizeof x->bulk_sync, "on");
		if ((s = sql_prepare(x->db, S_BULK_SYNC, stmt_sql[S_BULK_SYNC])) && sql_step(s) == SQL_ROW) {
			const char *v = (const char *)sql_column_text(s, 0);
			if (v && strspn(v, "abcdefghijklmnopqrstuvwxyz_") == strlen(v) && strlen(v) < sizeof x->bulk_sync)
				snprintf(x->bulk_sync, sizeof x->bulk_sync, "%s", v);
		}
		if (s)
			sql_reset(s);
		rc = sql_exec(x->db, "SET synchronous_commit = off");
	}
	return rc;
}

static int sq_bulk_fast_end(store_conn *c, bool fast)
{
	struct sq_conn *x = CONN(c);
	if (x->bulk_open || x->db->drv->in_transaction(x->db))
		return STORE_EIO;
	int rc = STORE_OK, built = 0;
	/* durable again before the indexes' commit, which then carries every commit of the load to disk */
	if (fast && on_sqlite(x))
		rc = sql_exec(x->db, "PRAGMA synchronous = FULL; PRAGMA threads = 2");
	else if (fast) {
		char set[64];
		snprintf(set, sizeof set, "SET synchronous_commit = %s", x->bulk_sync[0] ? x->bulk_sync : "on");
		rc = sql_exec(x->db, set);
	}
	if (rc == STORE_OK)
		rc = bulk_build_held(x, &built, NULL, 0);
	if (rc == STORE_OK && (fast || built) && on_sqlite(x)) {
		/* the load's pages from the log into the file, synced, and the log emptied */
		rc = sql_exec(x->db, "PRAGMA journal_mode = WAL");
		if (rc == STORE_OK)
			rc = x->db->drv->checkpoint(x->db);
		int r2 = sql_exec(x->db, "PRAGMA threads = 0; PRAGMA cache_size = -32768"); /* as sql_sqlite_open */
		rc = rc != STORE_OK ? rc : r2;
	} else if (rc == STORE_OK && (fast || built)) /* the planner's statistics of the new rows */
		rc = sql_exec(x->db, "ANALYZE person, identifier, source_record, event, person_block_key, mash_open");
	return rc;
}

/* ---- the planner's statistics (store_core.h) ---------------------------------------------------------- */

/* One int64 from a statement bound with text (or none): *v, and *null when the value is NULL. */
static int stats_int(sql_stmt *s, const char *text, int64_t *v, bool *null)
{
	if (!s)
		return STORE_EIO;
	if (text)
		sql_bind_text(s, 1, text, -1);
	int rc = sql_step(s);
	if (rc == SQL_ROW) {
		*v = sql_column_int64(s, 0);
		if (null)
			*null = sql_column_is_null(s, 0);
	}
	sql_reset(s);
	return rc == SQL_ROW ? STORE_OK : map_rc(rc) ? map_rc(rc) : STORE_EIO;
}

/* Whether a table's name is one SQL may carry unquoted inside double quotes (every table of this schema's) */
static bool stats_plain_name(const char *n)
{
	if (!*n)
		return false;
	for (; *n; n++)
		if (!((*n >= 'a' && *n <= 'z') || (*n >= '0' && *n <= '9') || *n == '_'))
			return false;
	return true;
}

static int sq_planner_stats_table(store_conn *c, const char *after, char *table, bool *changed)
{
	struct sq_conn *x = CONN(c);
	table[0] = '\0';
	*changed = false;
	if (!on_sqlite(x))
		return STORE_OK; /* PostgreSQL: autovacuum's ANALYZE */
	sql_stmt *s = sql_prepare(x->db, S_STATS_NEXT_TABLE, stmt_sql[S_STATS_NEXT_TABLE]);
	if (!s)
		return STORE_EIO;
	sql_bind_text(s, 1, after, -1);
	int rc = sql_step(s);
	if (rc == SQL_ROW) {
		const char *n = (const char *)sql_column_text(s, 0);
		if (n && strlen(n) < STORE_STATS_TABLE_MAX)
			memcpy(table, n, strlen(n) + 1);
		else
			rc = STORE_EIO; /* no table of this schema has such a name */
	}
	sql_reset(s);
	if (rc == SQL_DONE)
		return STORE_OK; /* no table after it */
	if (rc != SQL_ROW)
		return map_rc(rc) ? map_rc(rc) : STORE_EIO;
	if (!stats_plain_name(table))
		return STORE_OK; /* not a name this schema has: left as it is */
	/* the rows it had when last analysed (none: never analysed, or under STORE_STATS_MIN_ROWS then) */
	int64_t have = 0, counted = 0, now = 0;
	bool none = true;
	if ((rc = stats_int(sql_prepare(x->db, S_STATS_HAVE, stmt_sql[S_STATS_HAVE]), NULL, &have, NULL)) != STORE_OK)
		return rc;
	if (have && (rc = stats_int(sql_prepare(x->db, S_STATS_COUNTED, stmt_sql[S_STATS_COUNTED]), table, &counted,
				    &none)) != STORE_OK)
		return rc;
	/* its rows now: count(*) reads its smallest b-tree whole (a rowid's max would miss the deletes of mash_open,
	 * login_attempt, person_block_key...): 7 ms of CPU for event's 1.2 million rows where its ANALYZE takes
	 * 0.41-0.54 s (docs/BENCHMARKS.md, r-stats25) */
	char sql[STORE_STATS_TABLE_MAX + 48];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM \"%s\"", table);
	rc = stats_int(sql_prepare(x->db, S_STATS_COUNT, sql), NULL, &now, NULL);
	sql_forget(x->db, S_STATS_COUNT);
	if (rc != STORE_OK)
		return rc;
	if (now < STORE_STATS_MIN_ROWS) {
		/* near empty: the planner's defaults (a large table) rather than a tiny count that the next day's intake
		 * outgrows; what an earlier night wrote of it, when it was larger, goes */
		if (none)
			return STORE_OK;
		if (!(s = sql_prepare(x->db, S_STATS_DROP, stmt_sql[S_STATS_DROP])))
			return STORE_EIO;
		sql_bind_text(s, 1, table, -1);
		if ((rc = run(s)) == STORE_OK)
			*changed = true;
		return rc;
	}
	if (!none && now * STORE_STATS_MOVED_DEN <= counted * STORE_STATS_MOVED_NUM &&
	    counted * STORE_STATS_MOVED_DEN <= now * STORE_STATS_MOVED_NUM)
		return STORE_OK; /* moved by less than the factor since its statistics: they stand */
	/* the whole table (analysis_limit 0: store_core.h says why not a bounded one) */
	snprintf(sql, sizeof sql, "PRAGMA analysis_limit = 0; ANALYZE \"%s\"", table);
	if ((rc = sql_exec(x->db, sql)) == STORE_OK)
		*changed = true;
	return rc;
}

static int sq_planner_stats_end(store_conn *c)
{
	struct sq_conn *x = CONN(c);
	if (!on_sqlite(x))
		return STORE_OK;
	/* sqlite_stat1's stat begins with the table's row count; ANALYZE sqlite_schema reloads what is left into
	 * this connection's planner. The other connections (a server's readers) load statistics only when they read
	 * the schema, and ANALYZE changes the schema cookie only when it creates sqlite_stat1 (the first night):
	 * a view made and dropped changes it, so that each reads the schema and these statistics again at its next
	 * statement (checked on 3.40.1: without it, a connection open before a later night's ANALYZE kept the old
	 * plan; docs/BENCHMARKS.md, r-stats25). */
	char sql[300];
	snprintf(sql, sizeof sql,
		 "DELETE FROM sqlite_stat1 WHERE CAST(stat AS INTEGER) < %d; ANALYZE sqlite_schema; "
		 "CREATE VIEW sg_stats_reload AS SELECT 1; DROP VIEW sg_stats_reload",
		 STORE_STATS_MIN_ROWS);
	return sql_exec(x->db, sql);
}

/* ---- send now, read later (issue 17) ------------------------------------------------------------------ */

static int send_stmt(sql_stmt *s)
{
	return s ? sql_send(s) : STORE_EIO;
}

static int sq_send_ahead(store_conn *c, const struct store_ahead *a)
{
	const struct store_view *v = &a->view;
	int rc = STORE_OK;
	if (!CONN(c)->db->drv->send)
		return STORE_OK; /* nothing would be sent (SQLite): the reads are made as ever */
	if (rc == STORE_OK && a->person)
		rc = send_stmt(person_get_stmt(c, a->child_id));
	if (rc == STORE_OK && a->identifiers)
		rc = send_stmt(identifiers_stmt(c, a->child_id));
	if (rc == STORE_OK && a->households)
		rc = send_stmt(households_stmt(c, a->child_id));
	if (rc == STORE_OK && a->marks)
		rc = send_stmt(marks_stmt(c, v, a->child_id, a->marks));
	if (rc == STORE_OK && a->kinds)
		rc = send_stmt(kinds_stmt(c, v, a->child_id));
	if (rc == STORE_OK && a->rows)
		rc = send_stmt(chronology_stmt(c, v, a->child_id, a->rows));
	if (rc == STORE_OK && a->alerts && a->alerts->person_id)
		rc = send_stmt(alerts_stmt(c, v, S_ALERTS_CHILD, a->alerts));
	if (rc == STORE_OK && a->status_events)
		rc = send_stmt(status_stmt(c, v, a->child_id));
	if (rc == STORE_OK && a->placement_day)
		rc = send_stmt(placement_stmt(c, a->child_id, a->placement_day));
	if (rc == STORE_OK && a->contacts_team)
		rc = send_stmt(contacts_stmt(c, a->child_id, a->contacts_team));
	return rc;
}

const struct store_ops store_sqlite_ops = {
	.scheme = "sqlite",
	.open = sq_open,
	.close = sq_close,
	.migrate = sq_migrate,
	.check_schema = sq_check_schema,
	.conn_get = sq_conn_get,
	.conn_put = sq_conn_put,
	.conn_get_read = sq_conn_get_read,
	.set_read_url = sq_set_read_url,
	.errmsg = sq_errmsg,
	.counters = sq_counters,
	.ahead_counts = sq_ahead_counts,
	.begin = sq_begin,
	.begin_read = sq_begin_read,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.savepoint = sq_savepoint,
	.savepoint_release = sq_release,
	.savepoint_rollback = sq_savepoint_rollback,
	.ping = sq_ping,
	.agency_upsert = sq_agency_upsert,
	.agency_exists = sq_agency_exists,
	.agencies = sq_agencies,
	.client_insert = sq_client_insert,
	.client_find = sq_client_find,
	.auth_generation = sq_auth_generation,
	.clients_changed = sq_clients_changed,
	.person_insert = sq_person_insert,
	.person_get = sq_person_get,
	.person_exists = sq_person_exists,
	.person_update_attributes = sq_person_update_attributes,
	.person_search = sq_person_search,
	.person_by_identifier = sq_person_by_identifier,
	.person_by_match_key = sq_person_by_match_key,
	.identifier_add = sq_identifier_add,
	.identifiers_each = sq_identifiers_each,
	.household_join = sq_household_join,
	.households_of = sq_households_of,
	.household_members = sq_household_members,
	.source_insert = sq_source_insert,
	.source_find = sq_source_find,
	.source_absent_ahead = sq_source_absent_ahead,
	.event_insert = sq_event_insert,
	.source_event_insert = sq_source_event_insert,
	.rule_events = sq_rule_events,
	.chronology = sq_chronology,
	.event_count = sq_event_count,
	.event_marks = sq_event_marks,
	.event_kinds = sq_event_kinds,
	.send_ahead = sq_send_ahead,
	.audit_append = sq_audit_append,
	.audit_count = sq_audit_count,
	.child_agency_contributed = sq_child_agency_contributed,
	.access_facts = sq_access_facts,
	.access_facts_ahead = sq_access_facts_ahead,
	.child_awaiting_decision = sq_child_awaiting_decision,
	.break_glass_add = sq_break_glass_add,
	.break_glass_live = sq_break_glass_live,
	.break_glass_of_child = sq_break_glass_of_child,
	.clients = sq_clients,
	.client_revoke = sq_client_revoke,
	.client_get = sq_client_get,
	.client_approve = sq_client_approve,
	.teams = sq_teams,
	.user_by_id = sq_user_by_id,
	.users = sq_users,
	.user_disable = sq_user_disable,
	.user_enable = sq_user_enable,
	.audit_reads_of_child = sq_audit_reads_of_child,
	.audit_list = sq_audit_list,
	.user_insert = sq_user_insert,
	.user_by_name = sq_user_by_name,
	.session_insert = sq_session_insert,
	.session_find = sq_session_find,
	.session_touch = sq_session_touch,
	.person_sealed = sq_person_sealed,
	.user_totp_step = sq_user_totp_step,
	.person_seal = sq_person_seal,
	.seals = sq_seals,
	.user_set_credentials = sq_user_set_credentials,
	.user_set_totp = sq_user_set_totp,
	.session_end = sq_session_end,
	.login_attempt_add = sq_login_attempt_add,
	.login_failures = sq_login_failures,
	.login_throttle_note = sq_login_throttle_note,
	.login_prune = sq_login_prune,
	.login_attempts = sq_login_attempts,
	.user_sessions = sq_user_sessions,
	.sweep_claim = sq_sweep_claim,
	.sweep_runs = sq_sweep_runs,
	.users_totp_plain = sq_users_totp_plain,
	.user_totp_seal = sq_user_totp_seal,
	.wal_truncate = sq_wal_truncate,
	.notice_add = sq_notice_add,
	.notice_count = sq_notice_count,
	.notices = sq_notices,
	.checkpoint_add = sq_checkpoint_add,
	.checkpoints = sq_checkpoints,
	.audit_last = sq_audit_last,
	.audit_each = sq_audit_each,
	.audit_unsealed = sq_audit_unsealed,
	.audit_seal = sq_audit_seal,
	.events_of_kinds = sq_events_of_kinds,
	.events_of_kinds_all = sq_events_of_kinds_all,
	.status_events = sq_status_events,
	.details_shown = sq_details_shown,
	.events_of_kinds_in_time = sq_events_of_kinds_in_time,
	.housemates = sq_housemates,
	.housemate_events = sq_housemate_events,
	.alert_insert = sq_alert_insert,
	.alert_get = sq_alert_get,
	.alerts = sq_alerts,
	.alerts_owned = sq_alerts_owned,
	.alert_counts = sq_alert_counts,
	.alert_acknowledge = sq_alert_acknowledge,
	.alert_resolve = sq_alert_resolve,
	.alerts_escalation_due = sq_alerts_escalation_due,
	.alerts_escalated_to = sq_alerts_escalated_to,
	.team_upsert = sq_team_upsert,
	.allocation_set = sq_allocation_set,
	.allocation_get = sq_allocation_get,
	.caseload = sq_caseload,
	.allocations = sq_allocations,
	.caseload_managed = sq_caseload_managed,
	.alerts_follow = sq_alerts_follow,
	.alert_escalate_one = sq_alert_escalate_one,
	.manages = sq_manages,
	.team_workload = sq_team_workload,
	.awaiting_decision = sq_awaiting_decision,
	.mash_queue = sq_mash_queue,
	.mash_item = sq_mash_item,
	.flag_access_add = sq_flag_access_add,
	.flag_accesses = sq_flag_accesses,
	.recording_insert = sq_recording_insert,
	.recording_get = sq_recording_get,
	.recordings = sq_recordings,
	.recording_rewrap = sq_recording_rewrap,
	.recording_delete = sq_recording_delete,
	.home_insert = sq_home_insert,
	.home_get = sq_home_get,
	.homes = sq_homes,
	.home_occupancy_set = sq_home_occupancy_set,
	.home_occupancy = sq_home_occupancy,
	.home_incident_insert = sq_home_incident_insert,
	.home_incident_counts = sq_home_incident_counts,
	.home_incidents = sq_home_incidents,
	.home_placement_insert = sq_home_placement_insert,
	.home_placements = sq_home_placements,
	.reg44_insert = sq_reg44_insert,
	.reg44_reports = sq_reg44_reports,
	.reg44_missing = sq_reg44_missing,
	.reg44_opinions = sq_reg44_opinions,
	.home_note_insert = sq_home_note_insert,
	.home_notes = sq_home_notes,
	.oversight_run_insert = sq_oversight_run_insert,
	.oversight_run_get = sq_oversight_run_get,
	.oversight_signal_insert = sq_oversight_signal_insert,
	.oversight_signals = sq_oversight_signals,
	.home_alert_insert = sq_home_alert_insert,
	.home_alerts = sq_home_alerts,
	.home_alert_get = sq_home_alert_get,
	.home_alert_acknowledge = sq_home_alert_acknowledge,
	.home_alert_resolve = sq_home_alert_resolve,
	.home_alert_resolve_key = sq_home_alert_resolve_key,
	.home_alerts_escalate = sq_home_alerts_escalate,
	.person_placement = sq_person_placement,
	.block_keys_add = sq_block_keys_add,
	.block_candidates = sq_block_candidates,
	.block_candidates_scored = sq_block_candidates_scored,
	.block_candidates_ahead = sq_block_candidates_ahead,
	.link_review_insert = sq_link_review_insert,
	.link_review_get = sq_link_review_get,
	.link_reviews_open = sq_link_reviews_open,
	.link_reviews = sq_link_reviews,
	.link_review_decide = sq_link_review_decide,
	.link_review_pair = sq_link_review_pair,
	.link_refusal_add = sq_link_refusal_add,
	.link_refused = sq_link_refused,
	.person_merged_into = sq_person_merged_into,
	.person_merge = sq_person_merge,
	.merge_get = sq_merge_get,
	.merges_of = sq_merges_of,
	.person_unmerge = sq_person_unmerge,
	.link_model_insert = sq_link_model_insert,
	.link_model_latest = sq_link_model_latest,
	.link_model_latest_id = sq_link_model_latest_id,
	.link_training_records = sq_link_training_records,
	.link_reviews_decided = sq_link_reviews_decided,
	.link_review_counts = sq_link_review_counts,
	.link_counts_get = sq_link_counts_get,
	.link_counts_set = sq_link_counts_set,
	.table_counts = sq_table_counts,
	.schema_indexes = sq_schema_indexes,
	.team_contact_get = sq_team_contact_get,
	.team_contacts = sq_team_contacts,
	.child_contacts = sq_child_contacts,
	.team_contact_set = sq_team_contact_set,
	.break_glass_until = sq_break_glass_until,
	.notice_attach = sq_notice_attach,
	.notice_pending = sq_notice_pending,
	.worker_notice_add = sq_worker_notice_add,
	.worker_notices = sq_worker_notices,
	.child_looks = sq_child_looks,
	.break_glass_area = sq_break_glass_area,
	.lado_person_insert = sq_lado_person_insert,
	.lado_person_get = sq_lado_person_get,
	.lado_people_near = sq_lado_people_near,
	.lado_employment_add = sq_lado_employment_add,
	.lado_employments = sq_lado_employments,
	.lado_home_by_urn = sq_lado_home_by_urn,
	.lado_allegation_insert = sq_lado_allegation_insert,
	.lado_allegation_get = sq_lado_allegation_get,
	.lado_allegation_update = sq_lado_allegation_update,
	.lado_allegations = sq_lado_allegations,
	.lado_alert_insert = sq_lado_alert_insert,
	.lado_alerts = sq_lado_alerts,
	.lado_alert_resolve = sq_lado_alert_resolve,
	.speakup_insert = sq_speakup_insert,
	.speakup_get = sq_speakup_get,
	.speakups = sq_speakups,
	.speakup_update = sq_speakup_update,
	.speakup_count_since = sq_speakup_count_since,
	.speakup_message_insert = sq_speakup_message_insert,
	.speakup_messages = sq_speakup_messages,
	.bulk_next_id = sq_bulk_next_id,
	.bulk_begin = sq_bulk_begin,
	.bulk_row = sq_bulk_row,
	.bulk_end = sq_bulk_end,
	.bulk_fast_begin = sq_bulk_fast_begin,
	.bulk_fast_end = sq_bulk_fast_end,
	.planner_stats_table = sq_planner_stats_table,
	.planner_stats_end = sq_planner_stats_end,
};
