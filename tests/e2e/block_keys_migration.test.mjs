// Migration 32 (issue 17, intake's candidates at a million children): the coarse blocking key "fdob:SX|YYYY" (a
// family name's sound with the birth year) is split into "fdm:SX|YYYY-MM" and "fgi:SX|YYYY|INITIAL". A store that
// holds intake's keys as the binary before wrote them (fdob beside gdob, each from its source record) is migrated
// and then holds exactly the keys that intake writes now: the rows of person_block_key are compared one for one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { freshArea, onPostgres, postEvent, removeDir, runCli, dbUrl, sql, sqlWrite, startServer } from './lib.mjs';

const keyRows = (db) => sql(db, "select key || '#' || person_id || '#' || source_record_id from person_block_key "
  + 'order by person_id, source_record_id, key').split('\n').filter(Boolean);

test('migration 32 rewrites fdob keys into the keys intake now writes', async () => {
  const area = freshArea('keys31');
  try {
    const server = await startServer(area.db);
    const subjects = [
      { given_name: 'Amira', family_name: 'Khan', dob: '2016-05-03', nhs_number: '9434765919' },
      { given_name: 'Billy', family_name: "O'Brien", dob: '2014-11-20', postcode: 'LS6 2AB' }, // a nickname's initial: w
      { family_name: 'Nowak', dob: '2019-02-14' }, // no given name: no gdob key, the month from the person's row
      { given_name: 'Zoë', family_name: 'Ng', dob: '2012-07-01' },
      { given_name: 'Amira', family_name: 'Khan', dob: '2016-05-03', nhs_number: '9434765919' }, // the same child
    ];
    try {
      for (const [i, subject] of subjects.entries()) {
        const r = await postEvent(server.url, area.tokens.police, {
          source_ref: `K31-${i}`, kind: 'concern', occurred_at: '2025-05-01T10:00:00Z', subject, summary: 'Sent', details: {},
        });
        assert.equal(r.status, 201, r.text);
      }
    } finally {
      await server.stop();
    }
    const now = keyRows(area.db);
    assert.ok(now.some((k) => k.startsWith('fgi:') && k.includes('|w#')), `Billy blocks as William: ${now.join(' ')}`);
    assert.ok(now.some((k) => k.startsWith('fdm:') && k.includes('|2019-02#')), now.join(' '));
    assert.ok(!now.some((k) => k.startsWith('fdob:')), now.join(' '));
    // The keys as the binary before wrote them: each fdm key's year alone as fdob, no fgi; schema 31.
    const fdm = now.filter((k) => k.startsWith('fdm:'));
    assert.equal(fdm.length, 4);
    const old = fdm.map((k) => {
      const [key, person, source] = k.split('#');
      return `('fdob:${key.slice(4, -3).replace(/'/g, "''")}', ${person}, ${source})`;
    });
    sqlWrite(area.db, "DELETE FROM person_block_key WHERE key LIKE 'fdm:%' OR key LIKE 'fgi:%'; "
      + `INSERT INTO person_block_key(key, person_id, source_record_id) VALUES ${old.join(', ')}; `
      + (onPostgres() ? 'UPDATE sg_schema_version SET version = 31;' : 'PRAGMA user_version = 31;'));
    assert.ok(keyRows(area.db).some((k) => k.startsWith('fdob:')));
    const m = runCli(['migrate', '--db', dbUrl(area.db)]);
    assert.match(m.stderr, /migrated from version 31 to/);
    assert.deepEqual(keyRows(area.db), now);
  } finally {
    removeDir(area.dir);
  }
});
