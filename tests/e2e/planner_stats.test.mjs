// The sweep keeps SQLite's query planner statistics (issue 17, branch r-sqlstat24). Nothing else in the product
// runs ANALYZE on SQLite, and a file built by intake or a load, never analysed, plans the MASH's decided list
// over every contact (3.6 s at 50,000 children against 3 ms with statistics; docs/BENCHMARKS.md). `safeguard
// sweep` (and the server's nightly sweep, which calls the same service function last) takes them: a whole
// ANALYZE of each table that has 1,000 rows or more, none of a smaller one, so that a near-empty table keeps the
// planner's defaults rather than being planned as tiny after the next day's intake (store/store_core.h). A table
// a writer job, and only the tables whose row count moved by more than x1.25 since their statistics (r-stats25):
// a night after little intake leaves sqlite_stat1 as it was.
// On PostgreSQL the sweep leaves them to autovacuum: the test checks the sweep still succeeds there.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { clockOffsetSeconds, dbUrl, freshArea, onPostgres, removeDir, runCli, sql, startServer } from './lib.mjs';

let area;

before(() => {
  area = freshArea('planner-stats');
});

after(() => {
  removeDir(area?.dir);
});

// The tables sqlite_stat1 holds statistics of, in name order ('' when it holds none or does not exist)
const analysed = (db) => sql(db, "select case when exists (select 1 from sqlite_master where name = 'sqlite_stat1') "
  + "then 'yes' else 'no' end") === 'yes'
  ? sql(db, 'select coalesce(group_concat(tbl), \'\') from (select distinct tbl from sqlite_stat1 order by tbl)') : '';

test('the sweep takes the planner statistics of the tables with rows, not of near-empty ones', () => {
  // 60 children, 1,200 events and source records; person, identifier and the blocking keys under 1,000 rows
  runCli(['area-load', '--db', dbUrl(area.db), '--children', '60', '--events-per-child', '20', '--seed', '3']);
  if (!onPostgres()) assert.equal(analysed(area.db), ''); // a loaded file carries none before its first sweep

  const r = runCli(['sweep', '--db', dbUrl(area.db), '--today', '2026-12-07']);
  assert.match(r.stdout, /^swept 60 children/m);
  assert.doesNotMatch(r.stderr, /statistics/);
  if (onPostgres()) return; // autovacuum's

  assert.equal(analysed(area.db), 'event,source_record');
  // every table of 1,000 rows or more, and only those, with each of its indexes counted whole
  assert.equal(sql(area.db, 'select group_concat(tbl || \':\' || idx || \':\' || cast(stat as integer), \' \') from '
    + '(select tbl, idx, stat from sqlite_stat1 where idx in (\'event_history\', \'source_record_person\', '
    + '\'person_dob\', \'identifier_person\') order by tbl, idx)'),
  'event:event_history:1200 source_record:source_record_person:1200');
  assert.equal(sql(area.db, 'select count(*) from sqlite_stat1 where cast(stat as integer) < 1000'), '0');
});

// every row of sqlite_stat1, in order: what a sweep left
const stat1 = (db) => sql(db, 'select group_concat(tbl || \':\' || coalesce(idx, \'\') || \':\' || stat, \' | \') from '
  + '(select tbl, idx, stat from sqlite_stat1 order by tbl, idx)');
const rowsCounted = (db, table) => sql(db, `select max(cast(stat as integer)) from sqlite_stat1 where tbl = '${table}'`);
const sweep = (db) => {
  const r = runCli(['sweep', '--db', dbUrl(db), '--today', '2026-12-07']);
  assert.doesNotMatch(r.stderr, /statistics/);
};

test('a second sweep with nothing moved leaves the statistics as they were; a table grown x2 is analysed again, '
  + 'one grown x1.17 is not', { skip: onPostgres() ? 'SQLite only: the sweep leaves PostgreSQL\'s statistics to '
  + 'autovacuum' : false }, () => {
  const moved = freshArea('planner-stats-moved');
  try {
    runCli(['area-load', '--db', dbUrl(moved.db), '--children', '60', '--events-per-child', '20', '--seed', '5']);
    sweep(moved.db);
    const first = stat1(moved.db);
    assert.match(first, /^event:event_history:1200 /);
    assert.equal(rowsCounted(moved.db, 'source_record'), '1200');

    // the next night, nothing sent meanwhile: not a row of sqlite_stat1 rewritten (its rowids neither)
    const rowids = sql(moved.db, 'select group_concat(rowid) from sqlite_stat1');
    const schema = sql(moved.db, 'pragma schema_version');
    sweep(moved.db);
    assert.equal(stat1(moved.db), first);
    assert.equal(sql(moved.db, 'select group_concat(rowid) from sqlite_stat1'), rowids);
    assert.equal(sql(moved.db, 'pragma schema_version'), schema); // nobody's statements prepared again for nothing

    // 10 more children, 200 more events (x1.17, under x1.25): event's and source_record's statistics stand
    runCli(['area-load', '--db', dbUrl(moved.db), '--children', '10', '--events-per-child', '20', '--seed', '6']);
    assert.equal(sql(moved.db, 'select count(*) from event'), '1400');
    sweep(moved.db);
    assert.equal(stat1(moved.db), first);

    // 50 children more, 1,000 events (2,400 against the 1,200 counted: x2): both analysed again, whole
    runCli(['area-load', '--db', dbUrl(moved.db), '--children', '50', '--events-per-child', '20', '--seed', '7']);
    const loaded = Number(sql(moved.db, 'pragma schema_version'));
    sweep(moved.db);
    // the schema cookie moved (ANALYZE alone moves it only when it creates sqlite_stat1), so that a connection
    // open meanwhile (a server's readers) reads the schema, and these statistics, again at its next statement
    assert.ok(Number(sql(moved.db, 'pragma schema_version')) > loaded);
    assert.equal(rowsCounted(moved.db, 'event'), '2400');
    assert.equal(rowsCounted(moved.db, 'source_record'), '2400');
    assert.equal(sql(moved.db, 'select cast(stat as integer) from sqlite_stat1 where idx = \'event_history\''), '2400');
    // person (120 rows), identifier and the blocking keys stay under 1,000: still none
    assert.equal(analysed(moved.db), 'event,source_record');
  } finally {
    removeDir(moved.dir);
  }
});

test('the server\'s nightly sweep takes them too, as its last step', { skip: onPostgres() ? 'SQLite only: the '
  + 'sweep leaves PostgreSQL\'s statistics to autovacuum (the test above runs the sweep there)' : false }, async () => {
  const night = freshArea('planner-stats-night');
  runCli(['area-load', '--db', dbUrl(night.db), '--children', '60', '--events-per-child', '20', '--seed', '4']);
  assert.equal(analysed(night.db), '');
  // the one clock, 8 seconds before the sweep's 01:00 (a January day: England's clock is UTC's)
  const server = await startServer(night.db,
    { env: { SAFEGUARD_NOW: `+${clockOffsetSeconds('2031-01-15T00:59:52Z')}` } });
  try {
    // bounded: polls what the file holds, at most 600 times 100 ms (the sweep starts 8 s after the server)
    for (let i = 0; i < 600 && analysed(night.db) === ''; i++) {
      await new Promise((r) => { setTimeout(r, 100); });
    }
    assert.equal(analysed(night.db), 'event,source_record', server.stderr);
    assert.match(server.stderr, /nightly sweep: 60 children/);
    assert.doesNotMatch(server.stderr, /statistics failed/);
  } finally {
    await server.stop();
    removeDir(night.dir);
  }
});
