// Migration 32 (issue 17, intake's candidates at a million children): the coarse blocking key "fdob:SX|YYYY" (a
// family name's sound with the birth year) is split into "fdm:SX|YYYY-MM" and "fgi:SX|YYYY|INITIAL". A store that
// holds intake's keys as the binary before wrote them (fdob beside gdob, each from its source record) is migrated
// and then holds exactly the keys that intake writes now: the rows of person_block_key are compared one for one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UNDO_41, freshArea, onPostgres, postEvent, removeDir, runCli, dbUrl, sql, sqlWrite, startServer } from './lib.mjs';

const setVersion31 = () => UNDO_41 + (onPostgres() ? 'UPDATE sg_schema_version SET version = 31;' : 'PRAGMA user_version = 31;');

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
      + setVersion31());
    assert.ok(keyRows(area.db).some((k) => k.startsWith('fdob:')));
    const m = runCli(['migrate', '--db', dbUrl(area.db)]);
    assert.match(m.stderr, /migrated from version 31 to/);
    assert.deepEqual(keyRows(area.db), now);
  } finally {
    removeDir(area.dir);
  }
});

// The binary before wrote a key once a person, by the first record that brought it (S_BLOCK_ADD): a later record of
// the same child whose fdob key was held stored only its gdob key, and the other way round. Records that disagree
// (a month written wrong, another initial, another family name with the same date of birth, a first record with
// no given name in another month than a later one) leave keys under different records; the migration must still
// make every key intake writes now for them. It may make more: each only of the child's own sounds, months and
// initials (pairing within the person and the year, not the record).
test('migration 32 makes every key of records that disagree, from keys held once a person', async () => {
  const area = freshArea('keys32');
  // sound: the family name's phonetic code as identity_block_keys makes it (checked against intake's keys below)
  const records = [
    { child: 'A', sound: 'KN', subject: { given_name: 'Amira', family_name: 'Khan', dob: '2016-05-03', nhs_number: '9434765919' } },
    { child: 'A', sound: 'KN', subject: { given_name: 'Amira', family_name: 'Khan', dob: '2016-06-03', nhs_number: '9434765919' } },
    { child: 'A', sound: 'KN', subject: { given_name: 'Emira', family_name: 'Khan', dob: '2016-05-03', nhs_number: '9434765919' } },
    { child: 'A', sound: 'BKM', subject: { given_name: 'Amira', family_name: 'Begum', dob: '2016-05-03', nhs_number: '9434765919' } },
    { child: 'B', sound: 'NK', subject: { family_name: 'Nowak', dob: '2019-02-14', nhs_number: '9434765870' } },
    { child: 'B', sound: 'NK', subject: { given_name: 'Zofia', family_name: 'Nowak', dob: '2019-03-14', nhs_number: '9434765870' } },
    // the first record's date with the year mistyped: its keys pair only with keys of its own year
    { child: 'B', sound: 'NK', subject: { given_name: 'Zofia', family_name: 'Nowak', dob: '2018-02-14', nhs_number: '9434765870' } },
  ];
  try {
    const server = await startServer(area.db);
    try {
      for (const [i, r] of records.entries()) {
        const res = await postEvent(server.url, area.tokens.police, {
          source_ref: `K32-${i}`, kind: 'concern', occurred_at: '2025-05-01T10:00:00Z', subject: r.subject, summary: 'Sent', details: {},
        });
        assert.equal(res.status, 201, res.text);
      }
    } finally {
      await server.stop();
    }
    for (const [i, r] of records.entries()) {
      const [id, person] = sql(area.db, `select id || '#' || person_id from source_record where source_ref = 'K32-${i}'`).trim().split('#');
      Object.assign(r, { id: Number(id), person: Number(person) });
    }
    for (const r of records) assert.equal(r.person, records.find((q) => q.child === r.child).person, `K32 ${r.child}: one child`);
    const byKey = (rows) => new Set(rows.map((k) => { const [key, person] = k.split('#'); return `${key}#${person}`; }));
    const coarse = (k) => k.startsWith('fdm:') || k.startsWith('fgi:');
    const now = keyRows(area.db);
    const wanted = [...byKey(now.filter(coarse))];
    // the sounds written above are intake's: each record's fdm key is among the keys intake wrote
    for (const r of records) {
      assert.ok(wanted.includes(`fdm:${r.sound}|${r.subject.dob.slice(0, 7)}#${r.person}`), `${r.sound}: ${wanted.join(' ')}`);
    }
    // every record brings a key the first record of its child did not (else the test shows nothing)
    assert.equal(wanted.length, 11, wanted.join(' '));
    // The keys as the binary before wrote them: fdob (sound and year) and gdob, each once a person, by the first
    // record that brought it; no fdm or fgi. The other keys (nhs, gdob, pc) are as intake writes them now.
    const held = new Set();
    const old = [];
    for (const r of records) {
      const key = `fdob:${r.sound}|${r.subject.dob.slice(0, 4)}`;
      if (!held.has(`${key}#${r.person}`)) {
        held.add(`${key}#${r.person}`);
        old.push(`('${key}', ${r.person}, ${r.id})`);
      }
    }
    const gdob = now.filter((k) => k.startsWith('gdob:'));
    assert.equal(gdob.length, 5, gdob.join(' ')); // a|2016-05-03, a|2016-06-03, e|2016-05-03; z|2019-03-14, z|2018-02-14
    sqlWrite(area.db, "DELETE FROM person_block_key WHERE key LIKE 'fdm:%' OR key LIKE 'fgi:%'; "
      + `INSERT INTO person_block_key(key, person_id, source_record_id) VALUES ${old.join(', ')}; ${setVersion31()}`);
    const m = runCli(['migrate', '--db', dbUrl(area.db)]);
    assert.match(m.stderr, /migrated from version 31 to/);
    const after = keyRows(area.db);
    const have = byKey(after);
    const missing = wanted.filter((k) => !have.has(k));
    assert.deepEqual(missing, [], `keys intake writes now, missing after the migration: ${missing.join(' ')}`);
    assert.ok(!after.some((k) => k.startsWith('fdob:')), after.join(' '));
    assert.deepEqual(after.filter((k) => !coarse(k)), now.filter((k) => !coarse(k)), 'the other keys are untouched');
    // The mistyped year's record pairs with no key of the other year (2019's months or initial with 2018, or back).
    const B = records.find((r) => r.child === 'B').person;
    const crossed = ['fdm:NK|2018-03']; // 2018's fdob with 2019's gdob (2019-02 is the first record's own)
    const wrongYear = after.filter((k) => crossed.includes(k.split('#')[0]) && k.split('#')[1] === String(B));
    assert.deepEqual(wrongYear, [], 'keys of the other year');
    // The extras: each of the child's own sounds with its own months or initials of the same year, under one of its
    // own records.
    const year = (r) => r.subject.dob.slice(0, 4);
    for (const k of after.filter(coarse)) {
      const [key, person, source] = k.split('#');
      const own = records.filter((r) => r.person === Number(person));
      assert.ok(own.some((r) => r.id === Number(source)), `${k}: one of the child's records`);
      // the child's own initials of a year: those of its gdob keys of that year (the canonical initial, as intake
      // makes it)
      const initials = (y) => gdob.filter((g) => g.split('#')[1] === person && g.split('#')[0].split('|')[1].startsWith(`${y}-`))
        .map((g) => g.slice(5).split('|')[0]);
      const ok = own.some((r) => own.some((q) => year(q) === year(r) && key === `fdm:${r.sound}|${q.subject.dob.slice(0, 7)}`)
        || initials(year(r)).some((i) => key === `fgi:${r.sound}|${year(r)}|${i}`));
      assert.ok(ok, `${k}: a variant of the child's own names and dates of the same year`);
    }
  } finally {
    removeDir(area.dir);
  }
});
