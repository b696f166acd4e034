// Sealed records (issue 4, part 3): once `safeguard seal` has sealed a child's record (an adopted child's birth
// identity, a child given a new identity for protection), it is invisible to everyone but the data protection
// officer: every answer is the one for an id that holds no child, for people and agency systems alike, whatever
// their relationship to the child (allocation, contributed events, break-glass), and the flag look-up does not
// find it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  auditRows, lastAudit,
  addPerson, dbUrl,
  event, freshArea, nhsNumber, postEvent, removeDir, request, runCli, sealRows,
  startServer, totp, rowCount,
} from './lib.mjs';

const PASSWORD = 'sealed records are for the dpo';
const NHS = nhsNumber('401023457');
const MISSING = 987654; // an id that holds no child

let area;
let server;
let childId;
const tokens = {};

function as(who, path, options = {}) {
  return request(`${server.url}${path}`, { token: tokens[who] ?? area.tokens[who], ...options });
}

function breakGlass(who, id) {
  return as(who, `/api/v1/children/${id}/break-glass`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ reason: 'Child brought to A&E with injuries, need history' }),
  });
}

before(async () => {
  area = freshArea('sealed');
  const secrets = {};
  for (const [name, agency, role] of [['sam.worker', 'social_care', 'social_worker'], ['dee.dpo', 'social_care', 'dpo'],
    ['pat.police', 'police', 'police_officer']]) {
    secrets[name] = addPerson(area.db, name, agency, role, PASSWORD);
  }
  server = await startServer(area.db);
  const subj = { nhs_number: NHS, given_name: 'Sealed', family_name: 'Child' };
  const a = await postEvent(server.url, area.tokens.police, event({ source_ref: 'SEAL-1', kind: 'concern' }, subj));
  assert.equal(a.status, 201, a.text);
  childId = a.json.child_id;
  const plan = await postEvent(server.url, area.tokens.social_care, event({
    source_ref: 'SEAL-2', kind: 'cp_plan_start', occurred_at: '2026-10-01T10:00:00Z', details: { category: 'neglect' },
  }, subj));
  assert.equal(plan.status, 201, `${plan.status} ${plan.text}`);
  assert.equal(plan.json.child_id, childId);
  runCli(['allocate', '--db', dbUrl(area.db), '--child', String(childId), '--user', 'sam.worker']);
  for (const name of Object.keys(secrets)) {
    const s = await request(`${server.url}/api/v1/sessions`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: name, password: PASSWORD, totp: totp(secrets[name]) }),
    });
    assert.equal(s.status, 201, s.text);
    tokens[name] = s.json.token;
  }
});

after(async () => {
  try {
    if (server) await server.stop();
  } finally {
    removeDir(area.dir);
  }
});

describe('sealed records', () => {
  test('before sealing, the allocated worker, the police and the systems see the child; the flag is found', async () => {
    assert.equal((await as('sam.worker', `/api/v1/children/${childId}`)).status, 200);
    assert.equal((await as('pat.police', `/api/v1/children/${childId}`)).status, 200);
    assert.equal((await as('police', `/api/v1/children/${childId}`)).status, 200);
    const flag = await as('health', `/api/v1/flags?nhs_number=${NHS}`);
    assert.equal(flag.status, 200);
    assert.equal(flag.json.flagged, true);
    assert.equal(flag.json.child_id, childId);
  });

  test('safeguard seal refuses a bad basis or an unknown child, writes nothing; then seals, audited, once', () => {
    const bad = runCli(['seal', '--db', dbUrl(area.db), '--child', String(childId), '--basis', 'whim'],
      { check: false });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--basis must be adoption, protection or court_order/);
    const none = runCli(['seal', '--db', dbUrl(area.db), '--child', String(MISSING), '--basis', 'adoption'],
      { check: false });
    assert.equal(none.status, 1);
    assert.match(none.stderr, /there is no child/);
    assert.equal(rowCount(area.db, 'sealed_record'), 0);
    const ok = runCli(['seal', '--db', dbUrl(area.db), '--child', String(childId), '--basis', 'adoption']);
    assert.match(ok.stdout, /the record is sealed/);
    const sealed = sealRows(area.db, { child: childId });
    assert.deepEqual(sealed.map((s) => `${s.child} ${s.basis} ${s.sealed_by}`), [`${childId} adoption cli`]);
    assert.equal(auditRows(area.db, { action: 'record.seal', child: childId }).length, 1);
    const again = runCli(['seal', '--db', dbUrl(area.db), '--child', String(childId), '--basis', 'protection']);
    assert.match(again.stdout, /already sealed/);
    assert.equal(auditRows(area.db, { action: 'record.seal' }).length, 1);
    assert.deepEqual(sealRows(area.db), sealed, 'the seal as it was: its basis, its time, by whom');
  });

  test('safeguard seal list: each seal, when and by whom, audited with the record asked about; misuse exits 2', () => {
    const listed = () => auditRows(area.db, { action: 'seals.list' });
    const before = listed().length;
    const tsv = runCli(['seal', 'list', '--db', dbUrl(area.db)]).stdout.trim().split('\n');
    const all = sealRows(area.db);
    assert.equal(tsv[0], 'child\tbasis\tsealed_at\tsealed_by');
    assert.deepEqual(tsv.slice(1), all.map((s) => [s.child, s.basis, s.sealed_at, s.sealed_by].join('\t')));
    assert.equal(all.length, 1);
    // sealed when `safeguard seal` audited it (the same transaction, the one clock)
    const seal = lastAudit(area.db, { action: 'record.seal', child: childId });
    assert.ok(Math.abs(Date.parse(all[0].sealed_at) - Date.parse(seal.at)) <= 1000, `${all[0].sealed_at} ${seal.at}`);
    assert.deepEqual(sealRows(area.db, { child: MISSING }), [], 'no seal for an id that holds no child');
    assert.deepEqual(sealRows(area.db, { child: childId, limit: 1 }), all);
    const entries = listed();
    assert.equal(entries.length, before + 4, 'each list audited');
    assert.deepEqual(entries.slice(0, 4).map((e) => e.child_id), [childId, 0, 0, 0], 'the record asked about');
    assert.ok(entries.every((e) => e.actor === 'cli'));
    for (const args of [['--limit', 'x'], ['--child', 'abc'], ['--bogus']]) {
      const r = runCli(['seal', 'list', '--db', dbUrl(area.db), ...args], { check: false });
      assert.equal(r.status, 2, args.join(' '));
      assert.match(r.stderr, new RegExp(args[0]), args.join(' '));
    }
  });

  test('after sealing: the allocated worker and the police officer get what a missing id gets, nothing read', async () => {
    const reads = auditRows(area.db).filter((e) => e.action === 'child.read' || e.action === 'chronology.read').length;
    for (const who of ['sam.worker', 'pat.police']) {
      for (const tail of ['', '/chronology']) {
        const sealed = await as(who, `/api/v1/children/${childId}${tail}`);
        const missing = await as(who, `/api/v1/children/${MISSING}${tail}`);
        assert.equal(sealed.status, 403, `${who} ${tail}`);
        assert.equal(sealed.text, missing.text, `${who} ${tail}: the same answer as for no child`);
      }
    }
    assert.equal(auditRows(area.db).filter((e) => e.action === 'child.read' || e.action === 'chronology.read').length, reads);
  });

  test('agency systems get the 404 of a missing id', async () => {
    for (const agency of ['police', 'social_care']) {
      const sealed = await as(agency, `/api/v1/children/${childId}/chronology`);
      const missing = await as(agency, `/api/v1/children/${MISSING}/chronology`);
      assert.equal(sealed.status, 404);
      assert.equal(sealed.text, missing.text);
    }
  });

  test('break-glass cannot open it, and who has looked is closed to the old allocated worker', async () => {
    // The operator's list leaves a sealed child's openings out, so "nothing opened" is a row count (`safeguard stats`).
    const glasses = rowCount(area.db, 'break_glass');
    const sealed = await breakGlass('sam.worker', childId);
    const missing = await breakGlass('sam.worker', MISSING);
    assert.equal(sealed.status, missing.status);
    // Both answered as an opening is (the id and the hour it ends aside): nothing tells them apart.
    const shape = (r) => r.text.replace(/"child_id":\s*\d+/, '').replace(/"expires_at":\s*"[^"]+"/, '');
    assert.equal(shape(sealed), shape(missing));
    assert.equal(rowCount(area.db, 'break_glass'), glasses);
    const viewers = await as('sam.worker', `/api/v1/children/${childId}/viewers`);
    const none = await as('sam.worker', `/api/v1/children/${MISSING}/viewers`);
    assert.equal(viewers.status, 403);
    assert.equal(viewers.text, none.text);
  });

  test('the flag look-up does not find a sealed identity: the answer of an NHS number no one has', async () => {
    const sealed = await as('health', `/api/v1/flags?nhs_number=${NHS}`);
    const unknown = await as('health', `/api/v1/flags?nhs_number=${nhsNumber('401023465')}`);
    assert.equal(sealed.status, 200);
    assert.equal(sealed.json.flagged, false);
    assert.equal(sealed.json.child_id, undefined);
    assert.deepEqual(Object.keys(sealed.json).sort(), Object.keys(unknown.json).sort());
    assert.doesNotMatch(sealed.text, /neglect/);
  });

  test('the data protection officer, the role named for sealed records, reads it, audited with that basis', async () => {
    const r = await as('dee.dpo', `/api/v1/children/${childId}/chronology`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.events.length, 2);
    const detail = lastAudit(area.db, { action: 'chronology.read' })?.detail ?? '';
    assert.match(detail, /sealed record: named role/);
  });
});
