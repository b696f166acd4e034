// Bulk loads (issue 17, item 2), through the real binary, on whichever backend the tests run on (SQLite, or
// PostgreSQL when SAFEGUARD_TEST_DB names one: COPY FROM STDIN):
//   - `safeguard area-load` writes a synthetic area through the store's bulk path: the children, their NHS
//     numbers, their blocking keys and their chronologies are there and read back through the API; each
//     chunk is one audited transaction and the audit chain verifies; the same area twice is refused and
//     nothing more is written; an ordinary intake after a load gets ids past the loaded ones;
//   - `homes import` (its months and incidents on the bulk path) writes exactly the files' figures, and a bad
//     file is refused with file, line and column and nothing written.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  auditEntries,
  auditRows,
  count, createToken, dbUrl, event, freshArea, postEvent, removeDir, request, runCli, sql, startServer,
} from './lib.mjs';

let area;

before(() => {
  area = freshArea('bulk-load');
});

after(() => {
  removeDir(area.dir);
});

describe('area-load', () => {
  test('a synthetic area goes in through the bulk path, audited chunk by chunk, and reads back', async () => {
    const r = runCli(['area-load', '--db', dbUrl(area.db), '--children', '30', '--events-per-child', '4',
      '--seed', '5', '--chunk', '12']);
    const m = /^children 30 events 120 seconds [0-9.]+ first_child (\d+) last_child (\d+)$/m.exec(r.stdout);
    assert.ok(m, r.stdout);
    const [first, last] = [Number(m[1]), Number(m[2])];
    assert.equal(last - first, 29);
    assert.equal(count(area.db, 'person'), 30);
    assert.equal(count(area.db, 'event'), 120);
    assert.equal(count(area.db, 'source_record'), 120);
    assert.equal(count(area.db, 'identifier', "kind = 'nhs'"), 30);
    // every child holds intake's blocking keys: its NHS number among them
    assert.equal(count(area.db, 'person_block_key', "key LIKE 'nhs:%'"), 30);
    // 30 children in chunks of 12: three transactions, each audited
    assert.equal(auditRows(area.db, { action: 'area.bulk_load' }).length, 3);
    assert.equal(runCli(['audit', 'verify', '--db', dbUrl(area.db)]).status, 0);

    // The chronology of a loaded child, through the API: each agency's system sees its own events.
    const server = await startServer(area.db);
    try {
      let seen = 0;
      for (const [agency, token] of Object.entries(area.tokens)) {
        const c = await request(`${server.url}/api/v1/children/${first}/chronology?limit=100`, { token });
        if (c.status === 404) continue; // this agency sent nothing about the child
        assert.equal(c.status, 200, c.text);
        assert.ok(c.json.events.every((e) => e.agency === agency));
        seen += c.json.events.length;
      }
      assert.equal(seen, 4);
      // An ordinary intake after the load: a new child, with an id past the loaded ones (PostgreSQL's
      // sequence was moved past the ids the load brought).
      const res = await postEvent(server.url, area.tokens.health, event({ source_ref: 'BULK-AFTER-1' },
        { given_name: 'Niamh', family_name: 'Okafor', dob: '2015-03-04', nhs_number: '', upn: '' }));
      assert.equal(res.status, 201, res.text);
      assert.ok(res.json.child_id > last, `child ${res.json.child_id} after ${last}`);
    } finally {
      await server.stop();
    }
  });

  test('the same area twice is refused and nothing more is written', () => {
    const before = { person: count(area.db, 'person'), event: count(area.db, 'event'), audit: auditEntries(area.db) };
    const r = runCli(['area-load', '--db', dbUrl(area.db), '--children', '10', '--events-per-child', '4',
      '--seed', '5'], { check: false });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /an area of seed 5 is already in the database/);
    assert.equal(count(area.db, 'person'), before.person);
    assert.equal(count(area.db, 'event'), before.event);
    assert.equal(auditEntries(area.db), before.audit);
  });

  test('bad options are refused by name', () => {
    const r = runCli(['area-load', '--db', dbUrl(area.db), '--children', '0'], { check: false });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--children must be 1 to 100000000/);
  });
});

describe('homes import on the bulk path', () => {
  let gen;
  before(() => {
    gen = path.join(area.dir, 'homes');
    runCli(['gen', 'homes', '--out', gen, '--homes', '12', '--months', '12', '--seed', '3']);
  });

  test('a bad incidents file is refused with file, line and column, and nothing is written', () => {
    const bad = path.join(area.dir, 'bad');
    fs.mkdirSync(bad);
    for (const f of ['homes.csv', 'occupancy.csv']) fs.copyFileSync(path.join(gen, f), path.join(bad, f));
    const lines = fs.readFileSync(path.join(gen, 'incidents.csv'), 'utf8').trimEnd().split('\n');
    lines.splice(3, 0, `${lines[1].split(',')[0]},2023-05-10,shouting`);
    fs.writeFileSync(path.join(bad, 'incidents.csv'), lines.join('\n') + '\n');
    const r = runCli(['homes', 'import', '--db', dbUrl(area.db), '--dir', bad], { check: false });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /incidents\.csv:4: type "shouting" is not one of .* \(column type\)/);
    assert.equal(count(area.db, 'home'), 0);
    assert.equal(count(area.db, 'home_occupancy'), 0);
    assert.equal(count(area.db, 'home_incident'), 0);
  });

  test("the register holds exactly the files' months and incidents", () => {
    runCli(['homes', 'import', '--db', dbUrl(area.db), '--dir', gen]);
    const occ = fs.readFileSync(path.join(gen, 'occupancy.csv'), 'utf8').trimEnd().split('\n').slice(1)
      .map((l) => l.split(',')).filter((f) => Number(f[2]) > 0);
    assert.equal(count(area.db, 'home_occupancy'), occ.length);
    const nights = occ.reduce((s, f) => s + Number(f[2]), 0);
    assert.ok(Math.abs(Number(sql(area.db, 'select sum(child_nights) from home_occupancy')) - nights) < 1e-6);
    const inc = fs.readFileSync(path.join(gen, 'incidents.csv'), 'utf8').trimEnd().split('\n').slice(1);
    const byType = {};
    for (const l of inc) { const t = l.split(',')[2]; byType[t] = (byType[t] ?? 0) + 1; }
    for (const [type, n] of Object.entries(byType)) assert.equal(count(area.db, 'home_incident', `type = '${type}'`), n, type);
    assert.equal(count(area.db, 'home_incident'), inc.length);
    // the months and incidents hang off the homes the same transaction wrote
    assert.equal(count(area.db, 'home_incident', 'home_id NOT IN (select id from home)'), 0);
    // the Regulation 35 details were not recorded in the files: NULL, not 0 or -1
    assert.equal(count(area.db, 'home_incident', 'duration_min IS NOT NULL OR child_injured IS NOT NULL'), 0);
  });
});
