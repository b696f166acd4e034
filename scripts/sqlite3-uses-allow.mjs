// What scripts/sqlite3-uses.mjs does not count as work left (issue 17): each direct SQL call in the e2e and browser
// tests that stays, and why, and each that is left to convert, and how. One entry per call site: `file`, a piece of
// the call's line (`match`, unique enough), how many calls it covers (`n`, checked), its `kind` and the `reason`.
// docs/INTERNALS.md ("Tests through the CLI and the API") has the same table for people.
//
// Kinds that stay (the test is about what only the stored rows or the engine can show):
//   storage   a property of storage itself: a secret or a hash as stored, a key wrapped on disk, the audit's stored
//             hashes, a NULL rather than a value, what the storage kept after a kill
//   engine    the engine's own state: PostgreSQL's statistics, plans, backends and recovery; SQLite's integrity check
//   fault     a fault injected into storage to see the product meet it (a trigger that fails or holds a commit, a
//             corrupted key, an index dropped as a killed load leaves it, a task's stored explanation rewritten)
//   old-schema rows as an older schema left them, for a migration or a legacy path to meet
//   truth     the truth a need-to-know decision is measured against, read beside the product, not through it
//   sealed    a sealed child's rows that no reader is shown, by design (service/access.h; the DPO reads the record and
//             chronology, `seal list` the seal itself, not its alerts or allocation)
//   helper    tests/e2e/lib.mjs's helpers themselves (sql, sqlWrite, count)
// Left to convert (counted as work left; none since r-tests13):
//   later     state a command, page or the one clock could give or make, with the way in the reason
export const ALLOW = [
  // lib.mjs: the helpers
  { file: 'tests/e2e/lib.mjs', match: "spawnSync('sqlite3', write ?", n: 1, kind: 'helper', reason: 'sql()/sqlWrite(): the shell itself (psql under SAFEGUARD_TEST_DB)' },
  { file: 'tests/e2e/lib.mjs', match: "${onPostgres() ? 'psql' : 'sqlite3'} failed", n: 2, kind: 'helper', reason: "the helpers' failure messages" },
  { file: 'tests/e2e/lib.mjs', match: "spawnSync('sqlite3', ['-readonly', '-json'", n: 1, kind: 'helper', reason: 'sqlRows(): the shell itself' },
  { file: 'tests/e2e/lib.mjs', match: 'return Number(sql(dbPath, `select count(*) from ${table}', n: 1, kind: 'helper', reason: 'count(): the helper itself' },

  // the audit's storage: tampering that `audit verify` must catch
  { file: 'tests/e2e/audit.test.mjs', match: "spawnSync('sqlite3', ['-batch', db, q]", n: 1, kind: 'storage', reason: 'the owner of the file edits the audit rows (triggers dropped) for `audit verify` to catch' },
  { file: 'tests/e2e/audit.test.mjs', match: 'where length(hash) = 32', n: 1, kind: 'storage', reason: 'every entry carries a 32-byte stored hash' },

  // secrets and hashes as stored
  { file: 'tests/e2e/users.test.mjs', match: 'substr(password_hash, 1, 10), length(totp_sealed)', n: 1, kind: 'storage', reason: 'the password stored as an argon2id hash, the TOTP secret sealed (its stored length)' },
  { file: 'tests/e2e/users.test.mjs', match: "set totp_sealed = null, totp_secret = ${blob} where username = 'ola.legacy'", n: 1, kind: 'old-schema', reason: 'a row as schema 14 left it (the TOTP secret in plain text) for `user reset-totp` to meet' },
  { file: 'tests/e2e/users.test.mjs', match: "username = 'ola.legacy' and totp_sealed is null", n: 2, kind: 'storage', reason: 'the legacy secret is sealed in storage afterwards (and not before)' },
  { file: 'tests/e2e/signin_abuse.test.mjs', match: "count(area.db, 'app_user', 'totp_sealed is null')", n: 1, kind: 'storage', reason: 'no TOTP secret stored unsealed' },
  { file: 'tests/e2e/signin_abuse.test.mjs', match: "totp_secret <> ${onPostgres()", n: 1, kind: 'storage', reason: 'no plain TOTP secret left in the old column' },
  { file: 'tests/e2e/signin_abuse.test.mjs', match: "where username = 'old.timer'", n: 1, kind: 'old-schema', reason: 'a row as schema 14 left it, for the sign-in path that seals it' },
  { file: 'tests/e2e/signin_abuse.test.mjs', match: "count(old.db, 'app_user', 'totp_sealed is null')", n: 1, kind: 'storage', reason: 'sealed in storage after the sign-in' },
  { file: 'tests/e2e/speakup.test.mjs', match: 'select pass_hash from speakup_report', n: 1, kind: 'storage', reason: "the reporter's passphrase stored as a hash, not in the clear" },
  { file: 'tests/e2e/alert_owners.test.mjs', match: 'insert into app_user(username, agency, role, password_hash, totp_secret, created_at)', n: 1, kind: 'old-schema', reason: "a person named `mash` as a database from before may hold one (which `user add` refuses), its secret in plain text as before schema 15" },
  { file: 'tests/e2e/tokens.test.mjs', match: 'DROP TRIGGER mash_open_moved ON event', n: 1, kind: 'old-schema', reason: 'api_client as before token scopes, for the migration to meet' },

  // recordings: keys and files on disk
  { file: 'tests/e2e/recordings.test.mjs', match: 'select disk_name from recording where id = ${rec.id}', n: 2, kind: 'storage', reason: "the file's name on disk (random, not the uploader's), to look at the encrypted bytes" },
  { file: 'tests/e2e/recordings_pages.test.mjs', match: 'select disk_name from recording where id = ${meeting}', n: 1, kind: 'storage', reason: 'the file on disk, to show it is encrypted' },
  { file: 'tests/e2e/recordings_pages.test.mjs', match: "select ${hex('wrapped_key')} from recording order by id", n: 2, kind: 'storage', reason: 'the wrapped keys change when the recordings key is rotated (stored bytes)' },
  { file: 'tests/e2e/recordings_pages.test.mjs', match: "select ${hex('wrapped_key')} from recording where id = ${last}", n: 1, kind: 'fault', reason: 'keeps the good wrapped key to put back after corrupting it' },
  { file: 'tests/e2e/recordings_pages.test.mjs', match: "|| ${hex('key_nonce')} from recording order by id", n: 2, kind: 'storage', reason: 'a failed rotation leaves every wrapped key as it was (stored bytes)' },
  { file: 'tests/e2e/recordings_pages.test.mjs', match: "update recording set wrapped_key = ${blob(", n: 2, kind: 'fault', reason: 'a corrupted wrapped key for the rotation to refuse, then put back' },

  // what the storage kept: a kill, a bulk load, a NULL
  { file: 'tests/e2e/durability.test.mjs', match: "pragma integrity_check", n: 1, kind: 'engine', reason: "SQLite's file after a SIGKILL" },
  { file: 'tests/e2e/durability.test.mjs', match: "select id, person_id from event", n: 1, kind: 'storage', reason: 'every event answered 201 is in the storage the killed server left, row by row' },
  { file: 'tests/e2e/bulk_load.test.mjs', match: 'const rows = sql(db, `select ${q}`)', n: 1, kind: 'storage', reason: "the digest of the rows a load wrote, against the plain path's (GOLDEN)" },
  { file: 'tests/e2e/bulk_load.test.mjs', match: "count(area.db, 'identifier', \"kind = 'nhs'\")", n: 1, kind: 'storage', reason: 'the identifier rows a load wrote, by kind' },
  { file: 'tests/e2e/bulk_load.test.mjs', match: "count(area.db, 'person_block_key'", n: 1, kind: 'storage', reason: "the blocking index's rows (internal: no list shows blocking keys)" },
  { file: 'tests/e2e/bulk_load.test.mjs', match: 'select count(distinct ${col}) from ${t}', n: 1, kind: 'storage', reason: "every row stamped with the load's one instant" },
  { file: 'tests/e2e/bulk_load.test.mjs', match: 'select min(${col}) from ${t}', n: 1, kind: 'storage', reason: "the instant is the injected clock's" },
  { file: 'tests/e2e/bulk_load.test.mjs', match: 'drop index event_kind_sought; insert into bulk_held_index', n: 1, kind: 'fault', reason: 'an index held back as a killed load leaves it' },
  { file: 'tests/e2e/bulk_load.test.mjs', match: 'drop index person_dob; insert into bulk_held_index', n: 1, kind: 'fault', reason: 'an index held back as a killed load leaves it' },
  { file: 'tests/e2e/bulk_load.test.mjs', match: "'duration_min IS NOT NULL OR child_injured IS NOT NULL'", n: 1, kind: 'storage', reason: 'Regulation 35 details not in the files are stored NULL, not 0 or -1 (`homes incidents` shows both as -1)' },
  { file: 'tests/e2e/writes.test.mjs', match: "count(area.db, 'event', `person_id = ${MISSING}`)", n: 1, kind: 'storage', reason: 'no row names an id that holds no child: only storage could hold one (no reader can ask about it)' },

  // migrations: an older schema's rows
  { file: 'tests/e2e/block_keys_migration.test.mjs', match: 'const keyRows = (db) => sql(db', n: 1, kind: 'old-schema', reason: "the blocking keys migration 32 wrote, against intake's" },
  { file: 'tests/e2e/block_keys_migration.test.mjs', match: "DELETE FROM person_block_key WHERE key LIKE 'fdm:%'", n: 2, kind: 'old-schema', reason: 'the keys as before migration 32' },
  { file: 'tests/e2e/block_keys_migration.test.mjs', match: "select id || '#' || person_id from source_record", n: 1, kind: 'old-schema', reason: "each source record's id, which the blocking keys name (internal)" },
  { file: 'tests/e2e/link_counts_migration.test.mjs', match: "SET payload = 'a plain-text note'", n: 1, kind: 'old-schema', reason: 'a payload as an old row may hold, for migration 31 to count' },
  { file: 'tests/e2e/link_counts_migration.test.mjs', match: 'sqlWrite(area.db, dropCounts())', n: 1, kind: 'old-schema', reason: 'the schema before migration 31' },
  { file: 'tests/e2e/homes_service.test.mjs', match: 'UPDATE oversight_run SET budget_confidence = NULL', n: 1, kind: 'old-schema', reason: 'a run as stored before migration 29' },
  { file: 'tests/e2e/openapi.test.mjs', match: 'UPDATE oversight_run SET budget_confidence = NULL', n: 1, kind: 'old-schema', reason: 'a run as stored before migration 29, against the schema' },

  // faults injected into storage
  { file: 'tests/e2e/link_train.test.mjs', match: 'sqlWrite(area.db, onPostgres()', n: 1, kind: 'fault', reason: "a trigger refusing the counts' update: `link train` must warn" },
  { file: 'tests/e2e/link_train.test.mjs', match: "DROP TRIGGER test_counts_fail ON link_counts", n: 1, kind: 'fault', reason: 'the trigger dropped again' },
  { file: 'tests/e2e/link_review_words.test.mjs', match: 'select explanation from link_review where id', n: 1, kind: 'fault', reason: "a task's stored explanation, to rewrite it for the words under test" },
  { file: 'tests/e2e/link_review_words.test.mjs', match: 'update link_review set probability', n: 1, kind: 'fault', reason: "a task's stored explanation rewritten (no intake makes every wording)" },
  { file: 'tests/e2e/link_review.test.mjs', match: "select payload from source_record where source_ref = 'LR-2'", n: 2, kind: 'storage', reason: 'what the agency sent is kept as sent through a merge and its undoing (no reader shows the raw payload)' },

  // PostgreSQL's own state (pg_* files)
  { file: 'tests/e2e/pg_cluster.mjs', match: 'from pg_stat_activity where datname', n: 1, kind: 'engine', reason: "the sessions terminated (pg_stat_activity)" },
  { file: 'tests/e2e/pg_cluster.mjs', match: 'from pg_stat_activity where pid in', n: 1, kind: 'engine', reason: 'until they have gone (bounded)' },
  { file: 'tests/e2e/pg_commit_cut.test.mjs', match: 'CREATE FUNCTION test_hold()', n: 1, kind: 'fault', reason: 'a trigger that holds a commit' },
  { file: 'tests/e2e/pg_commit_cut.test.mjs', match: 'pid = sql(area.db, held)', n: 1, kind: 'engine', reason: 'the backend held in its commit' },
  { file: 'tests/e2e/pg_commit_cut.test.mjs', match: 'select pg_terminate_backend(', n: 1, kind: 'fault', reason: 'the connection cut mid-commit' },
  { file: 'tests/e2e/pg_commit_cut.test.mjs', match: 'CREATE CONSTRAINT TRIGGER test_hold_commit', n: 1, kind: 'fault', reason: 'a trigger that holds the commit itself' },
  { file: 'tests/e2e/pg_commit_cut.test.mjs', match: 'DROP TRIGGER test_hold_commit ON team', n: 1, kind: 'fault', reason: 'dropped again' },
  { file: 'tests/e2e/pg_commit_cut.test.mjs', match: 'CREATE TRIGGER test_hold_insert', n: 1, kind: 'fault', reason: 'a trigger that holds the insert' },
  { file: 'tests/e2e/pg_commit_cut.test.mjs', match: 'DROP TRIGGER test_hold_insert ON team', n: 1, kind: 'fault', reason: 'dropped again' },
  { file: 'tests/e2e/pg_failover.test.mjs', match: "select source_ref from source_record where source_ref like 'FO-%'", n: 1, kind: 'storage', reason: 'every acknowledged record is on the promoted replica, row by row' },
  { file: 'tests/e2e/pg_failover.test.mjs', match: "count(area.db, 'source_record', \"source_ref like 'FO-%'\")", n: 1, kind: 'storage', reason: 'each once on the promoted replica' },
  { file: 'tests/e2e/pg_failover.test.mjs', match: 'select pg_is_in_recovery()', n: 1, kind: 'engine', reason: 'the replica was promoted' },
  { file: 'tests/e2e/pg_intake_plans.test.mjs', match: 'from pg_stat_user_tables where relname in', n: 1, kind: 'engine', reason: "PostgreSQL's scan counters (no sequential scan on intake's path)" },
  { file: 'tests/e2e/pg_intake_plans.test.mjs', match: 'select count(distinct person_id) from household_member', n: 1, kind: 'engine', reason: 'the rows the plans are measured over' },
  { file: 'tests/e2e/pg_intake_plans.test.mjs', match: "sql(area.db, 'analyze')", n: 1, kind: 'engine', reason: "the planner's statistics" },
  { file: 'tests/e2e/planner_stats.test.mjs', match: "from sqlite_master where name = 'sqlite_stat1'", n: 1, kind: 'engine', reason: "SQLite's statistics table made by the sweep's ANALYZE (none before)" },
  { file: 'tests/e2e/planner_stats.test.mjs', match: "cast(stat as integer), ", n: 1, kind: 'engine', reason: "the planner's statistics of the tables with rows, counted whole" },
  { file: 'tests/e2e/planner_stats.test.mjs', match: "cast(stat as integer) < 1000", n: 1, kind: 'engine', reason: 'no statistics of a near-empty table' },
  { file: 'tests/e2e/planner_stats.test.mjs', match: "select distinct tbl from sqlite_stat1", n: 1, kind: 'engine', reason: 'the tables the statistics are of (after the CLI\'s and the nightly sweep)' },
  { file: 'tests/e2e/planner_stats.test.mjs', match: "select group_concat(rowid) from sqlite_stat1", n: 2, kind: 'engine', reason: 'a sweep with nothing moved rewrites no row of the statistics (r-stats25)' },
  { file: 'tests/e2e/planner_stats.test.mjs', match: "select count(*) from event", n: 1, kind: 'storage', reason: 'the events a second area-load added: x1.17, under the factor that re-analyses (r-stats25)' },
  { file: 'tests/e2e/planner_stats.test.mjs', match: "from sqlite_stat1 where idx = ", n: 1, kind: 'engine', reason: 'a table grown x2 analysed again, its index counted whole (r-stats25)' },
  { file: 'tests/e2e/planner_stats.test.mjs', match: "coalesce(idx, ", n: 1, kind: 'engine', reason: 'every row of the statistics, to compare one sweep\'s with the next (r-stats25)' },
  { file: 'tests/e2e/planner_stats.test.mjs', match: "select max(cast(stat as integer)) from sqlite_stat1", n: 1, kind: 'engine', reason: 'the rows a table had when last analysed (r-stats25)' },
  { file: 'tests/e2e/planner_stats.test.mjs', match: "pragma schema_version", n: 4, kind: 'engine', reason: 'the schema cookie: still after a sweep with nothing moved, moved after one that analysed (other connections reload the statistics; r-stats25)' },
  { file: 'tests/e2e/pg_intake_plans.test.mjs', match: 'from pg_stat_user_indexes', n: 1, kind: 'engine', reason: "PostgreSQL's index scan counters" },
  { file: 'tests/e2e/pg_intake_plans.test.mjs', match: 'select count(*) from person_block_key k join source_record s', n: 1, kind: 'storage', reason: "the key check's outcome: a child's second record writes none of the keys the first wrote (blocking keys are internal)" },
  { file: 'tests/e2e/pg_member_upsert.test.mjs', match: 'select n_tup_upd from pg_stat_user_tables', n: 1, kind: 'engine', reason: "PostgreSQL's update counter (an upsert that changes nothing writes nothing)" },
  { file: 'tests/e2e/pg_member_upsert.test.mjs', match: 'select first_seen, last_seen from household_member', n: 1, kind: 'storage', reason: "the member row's span as stored, around upserts that must not move it" },
  { file: 'tests/e2e/pg_member_upsert.test.mjs', match: 'select count(*) from household_member', n: 1, kind: 'storage', reason: 'one member row, not one per upsert' },

  // the truth need-to-know is measured against
  { file: 'tests/e2e/oversight_pages.test.mjs', match: 'select distinct person_id, agency from event', n: 1, kind: 'truth', reason: 'which agencies sent events about which children, read beside the access check the page uses (r-mend24)' },
  { file: 'tests/browser/day_police_officer.test.mjs', match: "SELECT DISTINCT person_id FROM event WHERE agency = 'police'", n: 1, kind: 'truth', reason: 'which children the police sent events about, read beside the access check the page uses (r-mend24)' },

  { file: 'tests/e2e/need_to_know_routes.test.mjs', match: 'return sql(area.db, query);', n: 1, kind: 'truth', reason: "q(): the ids of the events of a child a reader may not see (sealed, known only from health-only records, moved away), which the test asks every route with beside ids that hold nothing: no reader may be asked, since none of them is shown those events" },
  { file: 'tests/e2e/crawl_need_to_know.test.mjs', match: 'return sql(area.db, query);', n: 1, kind: 'truth', reason: "q()/rows(): the crawl's subjects and what it looks for, chosen over every agency's rows (a name, a date of birth and identifiers unique in the whole area, siblings, a placement, the MASH queue, the LADO's records): no reader may be asked, since each shows only what its need to know allows, and that is what the crawl measures" },

  // the engine's id counter
  { file: 'tests/e2e/need_to_know_reads.test.mjs', match: 'insert into person(id, created_at) values (1999999', n: 1, kind: 'engine', reason: "ids as a large area's run leaves them (seven digits): SQLite numbers the next row after the largest id; no command chooses an id (two million intakes would)" },
  { file: 'tests/e2e/need_to_know_reads.test.mjs', match: "select setval(pg_get_serial_sequence('person', 'id')", n: 1, kind: 'engine', reason: "PostgreSQL's identity moved past it, as above" },

  // sealed children: shown to no reader by design
  { file: 'tests/e2e/writes.test.mjs', match: 'select state from alert where id = ${id}', n: 1, kind: 'sealed', reason: "a sealed child's alert is left unchanged by refused acknowledgements: no list or reader shows it" },
  { file: 'tests/e2e/writes.test.mjs', match: 'select team from allocation where person_id = ${S}', n: 1, kind: 'sealed', reason: "a sealed child's allocation is left unchanged by a refused allocation: no list or reader shows it" },
];

