// The demo area's missing episodes name a child on any day (cli/demo_homes.c). The police officer's day (browser)
// checks that every child reported missing from a home of the area is named and linked; with the tests' small area
// (40 families) the demo ran out of teenagers on the days whose 120 days held episodes in more homes, and the last
// home's episodes went in unlinked: the browser stage failed from 2026-12-07 on. Here the demo is made on the
// clock at instants spread over a year (fixed ones, not today), and each must leave no episode of the area's homes
// in the police page's 90 days without a child.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clockOffsetSeconds, dbUrl, homeIncidents, homeRows, onPostgres, removeDir, runCli, tempDir } from './lib.mjs';

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
