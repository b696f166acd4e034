// Migration 31 (issue 17): link_counts' one row is filled from the store as it stands (every review task, every
// record whose payload has a subject object), at the clock's time. A store at version 30 with records and a review
// task is migrated and `safeguard link model --json` then gives the full recount: a fill that wrote 0 fails here.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UNDO_41, freshArea, linkModel, linkReviews, onPostgres, rowCount, postEvent, removeDir, runCli, dbUrl, sql, sqlWrite, startServer } from './lib.mjs';

const dropCounts = () => UNDO_41 + (onPostgres()
  ? 'DROP TABLE link_counts; DROP FUNCTION IF EXISTS sg_link_counts_one_row(); UPDATE sg_schema_version SET version = 30;'
  : 'DROP TABLE link_counts; PRAGMA user_version = 30;');

test('migration 31 fills link_counts with the full recount at the clock\'s time', async () => {
  const area = freshArea('counts31');
  const AMIRA = { given_name: 'Amira', family_name: 'Khan', dob: '2016-05-03', nhs_number: '', upn: '' };
  // the candidate, then the same name a day out elsewhere: a review task (as in link_review.test.mjs); others plain
  const subjects = [
    AMIRA,
    { ...AMIRA, dob: '2016-05-04', postcode: 'LS7 1AA', address: '3 Other Road' },
    { given_name: 'Billy', family_name: "O'Brien", dob: '2014-11-20', postcode: 'LS6 2AB' },
    { given_name: 'Zoë', family_name: 'Ng', dob: '2012-07-01' },
    { family_name: 'Nowak', dob: '2019-02-14' },
  ];
  try {
    const server = await startServer(area.db);
    try {
      for (const [i, subject] of subjects.entries()) {
        const r = await postEvent(server.url, i === 0 ? area.tokens.education : area.tokens.police, {
          source_ref: `C31-${i}`, kind: 'concern', occurred_at: '2025-05-01T10:00:00Z', subject, summary: 'Sent', details: {},
        });
        assert.equal(r.status, 201, r.text);
      }
    } finally {
      await server.stop();
    }
    const tasks = linkReviews(area.db).length; // every task, open or decided (none names a sealed child here)
    assert.ok(tasks >= 1, 'the borderline record raised a review task');
    // Two payloads without a subject object, as a page's plain-text record and a malformed one are stored: not counted.
    sqlWrite(area.db, "UPDATE source_record SET payload = 'a plain-text note' WHERE source_ref = 'C31-3'; "
      + `UPDATE source_record SET payload = '{"subject": [1, 2]}' WHERE source_ref = 'C31-4';`);
    const records = subjects.length - 2;
    const counted = rowCount(area.db, 'source_record');
    assert.equal(counted, subjects.length, 'each record stored once');
    sqlWrite(area.db, dropCounts());
    const NOW = '2031-02-03T04:05:06Z';
    const m = runCli(['migrate', '--db', dbUrl(area.db)], { env: { SAFEGUARD_NOW: NOW } });
    assert.match(m.stderr, /migrated from version 30 to/);
    const model = linkModel(area.db);
    assert.equal(model.records_received, records, JSON.stringify(model));
    assert.equal(model.review_tasks, tasks, JSON.stringify(model));
    // the clock set runs on from NOW: the fill's instant is NOW, give or take the run's own seconds
    const at = Date.parse(model.counted_at);
    assert.ok(at >= Date.parse(NOW) && at - Date.parse(NOW) < 120000, `${model.counted_at} is ${NOW}`);
  } finally {
    removeDir(area.dir);
  }
});
