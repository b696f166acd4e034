// The sweep keeps SQLite's query planner statistics (issue 17, branch r-sqlstat24). Nothing else in the product
// runs ANALYZE on SQLite, and a file built by intake or a load, never analysed, plans the MASH's decided list
// over every contact (3.6 s at 50,000 children against 3 ms with statistics; docs/BENCHMARKS.md). `safeguard
// sweep` (and the server's nightly sweep, which calls the same service function last) takes them: a whole
// ANALYZE, then the statistics of a table of fewer than 1,000 rows dropped, so that a near-empty table keeps the
// planner's defaults rather than being planned as tiny after the next day's intake (store/store_core.h).
// On PostgreSQL the sweep leaves them to autovacuum: the test checks the sweep still succeeds there.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { dbUrl, freshArea, onPostgres, removeDir, runCli, sql } from './lib.mjs';

let area;

before(() => {
  area = freshArea('planner-stats');
});

after(() => {
  removeDir(area?.dir);
});

test('the sweep takes the planner statistics of the tables with rows, not of near-empty ones', () => {
  // 60 children, 1,200 events and source records; person, identifier and the blocking keys under 1,000 rows
  runCli(['area-load', '--db', dbUrl(area.db), '--children', '60', '--events-per-child', '20', '--seed', '3']);
  const statTables = () => sql(area.db, "select case when exists (select 1 from sqlite_master where name = "
    + "'sqlite_stat1') then 'analysed' else 'none' end");
  if (!onPostgres()) assert.equal(statTables(), 'none'); // a loaded file carries none before its first sweep

  const r = runCli(['sweep', '--db', dbUrl(area.db), '--today', '2026-12-07']);
  assert.match(r.stdout, /^swept 60 children/m);
  assert.doesNotMatch(r.stderr, /statistics/);
  if (onPostgres()) return; // autovacuum's

  assert.equal(statTables(), 'analysed');
  // every table of 1,000 rows or more, and only those, with each of its indexes counted whole
  assert.equal(sql(area.db, 'select group_concat(tbl || \':\' || idx || \':\' || cast(stat as integer), \' \') from '
    + '(select tbl, idx, stat from sqlite_stat1 where idx in (\'event_history\', \'source_record_person\', '
    + '\'person_dob\', \'identifier_person\') order by tbl, idx)'),
  'event:event_history:1200 source_record:source_record_person:1200');
  assert.equal(sql(area.db, 'select count(*) from sqlite_stat1 where cast(stat as integer) < 1000'), '0');
  assert.equal(sql(area.db, "select group_concat(tbl) from (select distinct tbl from sqlite_stat1 order by tbl)"),
    'event,source_record');
});
