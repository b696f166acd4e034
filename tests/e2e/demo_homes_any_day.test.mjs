// The demo area's missing episodes name a child on any day (cli/demo_homes.c). The police officer's day (browser)
// checks that every child reported missing from a home of the area is named and linked; with the tests' small area
// (40 families) the demo ran out of teenagers on the days whose 120 days held episodes in more homes, and the last
// home's episodes went in unlinked: the browser stage failed from 2026-12-07 on. Here the demo is made on the
// clock at instants spread over a year (fixed ones, not today), and each must leave no episode of the area's homes
// in the police page's 90 days without a child.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  clockOffsetSeconds, dbUrl, homeIncidents, homeRows, onPostgres, removeDir, rowCount, runCli, tempDir,
} from './lib.mjs';

const DAY = 86400000;
// 2026-12-07 (the day it failed) and every 33 days after, for a year: each a different weekday and month
const INSTANTS = Array.from({ length: 12 }, (_, i) => new Date(Date.parse('2026-12-07T09:00:00Z') + i * 33 * DAY)
  .toISOString().replace(/\.\d{3}Z$/, 'Z'));

test('on every day the demo is made, each recent missing episode of the area\'s homes names a child', {
  skip: onPostgres() ? 'the demo\'s homes are the same on both engines; SQLite only, for time' : false }, () => {
  for (const at of INSTANTS) {
    const dir = tempDir('demo-any-day');
    try {
      const db = `${dir}/demo.db`;
      runCli(['demo', '--db', dbUrl(db), '--no-serve', '--families', '40'],
        { env: { SAFEGUARD_NOW: `${clockOffsetSeconds(at) >= 0 ? '+' : ''}${clockOffsetSeconds(at)}` } });
      const area = new Set(homeRows(db, { la: '383' }).map((h) => h.id));
      const since = new Date(Date.parse(at) - 90 * DAY).toISOString().slice(0, 10);
      const missing = homeIncidents(db, { type: 'missing' }).filter((i) => area.has(i.home_id) && i.occurred_at >= since);
      assert.ok(missing.length > 20, `${at}: ${missing.length} episodes in the police page's 90 days`);
      assert.deepEqual(missing.filter((i) => !i.child).map((i) => `${i.home_id} ${i.occurred_at}`), [], at);
    } finally {
      removeDir(dir);
    }
  }
});

// The search for the children the episodes name read the store once an id, trying up to 500 ids past the area's
// last child for each home and then every id again from the first: in a small area (3 families, as homes_lists and
// lado_list make theirs) about a million reads, microseconds each on SQLite, a round trip each on PostgreSQL, where
// `demo --no-serve` did not end in 5 minutes (make check-all, 2026-12-07). Now each child is read once: the reads of
// a person (counted by SAFEGUARD_PG_RT_TRACE, which names the statement each round trip waits for) stay a few a
// person, plus the DEMO_PLACED (12) children the demo places before the search. A fixed instant: the same area and
// episodes every run.
test('a small demo area on PostgreSQL: each child read a few times, not once an id past the area', {
  skip: onPostgres() ? false : 'the round trips are counted by the PostgreSQL driver (SAFEGUARD_PG_RT_TRACE)' }, () => {
  const dir = tempDir('demo-small-pg');
  try {
    const db = `${dir}/demo.db`;
    const at = INSTANTS[0];
    const r = runCli(['demo', '--db', dbUrl(db), '--no-serve', '--families', '3'], { env: {
      SAFEGUARD_NOW: `${clockOffsetSeconds(at) >= 0 ? '+' : ''}${clockOffsetSeconds(at)}`, SAFEGUARD_PG_RT_TRACE: '1' } });
    const reads = r.stderr.split('\n').filter((l) => l.startsWith('pg-rt: SELECT p.id, p.given_name,')).length;
    const persons = rowCount(db, 'person');
    assert.ok(persons > 0 && reads > 0, `${persons} persons, ${reads} reads`);
    assert.ok(reads <= 12 + 4 * persons, `${reads} reads of a person for ${persons} persons`);
    // what the search is for: the area's recent episodes name its children (not all of them here: 3 families have
    // fewer children than the area has homes with episodes; the test above has 40 families)
    const area = new Set(homeRows(db, { la: '383' }).map((h) => h.id));
    const since = new Date(Date.parse(at) - 90 * DAY).toISOString().slice(0, 10);
    const missing = homeIncidents(db, { type: 'missing' }).filter((i) => area.has(i.home_id) && i.occurred_at >= since);
    assert.ok(missing.some((i) => i.child), `${missing.length} episodes in the police page's 90 days, none with a child`);
  } finally {
    removeDir(dir);
  }
});
