// A health-only record's subject (r-review40). The chronology hides health's event under a health-only category
// (sexual_health, mental_health) from every reader outside health (VIEW_EVENT), but the address the record gave
// made a household of the child's, and the record page shows the most recent household as where the child lives,
// with the others who live there: a reader outside health read where the clinic's record said the child was, and
// who lives there, and that health had recorded it most recently; and the record's communication needs and
// disability became the child's, on the record page. A health-only record now joins no household and sets none
// of the child's attributes (service/intake.c, decided by the store's rule); health's other records still do.
// Real binary, HTTP, SQLite (and PostgreSQL with make e2e-pg).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addPerson, event, freshArea, getChild, isoSeconds, now, postEvent, removeDir, request, startServer, totp, webSignIn } from './lib.mjs';

const PASSWORD = 'where the clinic says she lives';
const DAY = 86400000;
let area;
let server;
const secrets = {};

before(async () => {
  area = freshArea('ntk-household');
  for (const [name, agency] of [['mo.mash', 'social_care'], ['hal.mash', 'health']])
    secrets[name] = addPerson(area.db, name, agency, 'mash_worker', PASSWORD);
  server = await startServer(area.db);
});
after(async () => {
  await server?.stop();
  removeDir(area?.dir);
});

async function page(username, path) {
  const cookie = await webSignIn(server.url, area.db, username, { password: PASSWORD, secrets });
  const r = await request(`${server.url}${path}`, { headers: { cookie } });
  assert.equal(r.status, 200);
  return r.text;
}

test("a health-only record's address makes no household; health's other records' do", async () => {
  const send = async (agency, subject, over) => {
    const r = await postEvent(server.url, area.tokens[agency], event(over, subject));
    assert.equal(r.status, 201, r.text);
    return r.json;
  };
  const home = { postcode: 'LS2 1AA', address: '2 Home Row' };
  const clinic = { postcode: 'LS6 2AB', address: '99 Clinic Says Street' };
  const ward = { postcode: 'LS7 3AD', address: '5 Ward Lane' };
  const lily = { given_name: 'Lily', family_name: 'Hidden', nhs_number: '9434765919', dob: '2010-05-06' };
  const kim = { given_name: 'Kim', family_name: 'Shown', nhs_number: '4010232137', dob: '2011-02-03' };
  // Each child: a police contact at home (awaiting: the MASH triages the child and reads the whole record), then
  // health's record at another address, later; an adult known to the police at that address.
  const a = await send('police', { ...lily, ...home }, { source_ref: 'NH-P1', kind: 'contact',
    occurred_at: isoSeconds(now() - 3 * DAY), summary: 'Police contact' });
  await send('health', { ...lily, ...clinic, disability: 'CLINIC-DISABILITY', communication_needs: 'CLINIC-NEEDS' }, { source_ref: 'NH-H1', kind: 'contact',
    occurred_at: isoSeconds(now() - DAY), summary: 'HEALTH-ONLY-CLINIC', details: { category: 'sexual_health' } });
  await send('police', { given_name: 'Adam', family_name: 'Older', dob: '1990-01-01', ...clinic },
    { source_ref: 'NH-P2', kind: 'contact', occurred_at: isoSeconds(now() - 2 * DAY), summary: 'Adult at the address' });
  const b = await send('police', { ...kim, ...home }, { source_ref: 'NH-P3', kind: 'contact',
    occurred_at: isoSeconds(now() - 3 * DAY), summary: 'Police contact' });
  await send('health', { ...kim, ...ward }, { source_ref: 'NH-H2', kind: 'contact',
    occurred_at: isoSeconds(now() - DAY), summary: 'Ward admission', details: { category: 'physical' } });

  const hidden = await page('mo.mash', `/children/${a.child_id}`);
  assert.ok(!hidden.includes('HEALTH-ONLY-CLINIC'), 'the chronology hides the health-only record');
  assert.ok(!hidden.includes('Clinic Says') && !hidden.includes('LS6 2AB'), "the health-only record's address is not shown");
  assert.ok(!hidden.includes('Older'), 'nor who lives there');
  assert.ok(!hidden.includes('CLINIC-DISABILITY') && !hidden.includes('CLINIC-NEEDS'),
    "nor what the health-only record says of the child's needs");
  assert.ok(hidden.includes('2 Home Row'), 'the household the other records give is');
  // Health's reader: the record is health's own, and its address is where health last saw her: the same page
  // as before for health too (no household from it), the event itself shown.
  const health = await page('hal.mash', `/children/${a.child_id}`);
  assert.ok(health.includes('HEALTH-ONLY-CLINIC'));
  // A health record under no health-only category makes a household as every record does.
  const shown = await page('mo.mash', `/children/${b.child_id}`);
  assert.ok(shown.includes('5 Ward Lane'), "health's record outside the health-only categories still makes a household");
});

// The dates the API gives with the child (r-ntk23): an identifier's first_seen (when a record first named it) and
// the household's last_seen. An NHS number that only a health-only record gave would date that record for every
// reader of the API; a health-only record now gives its identifiers no first_seen (""), and joins no household.
test("a health-only record dates neither the child's identifiers nor their household", async () => {
  const send = async (agency, subject, over) => {
    const r = await postEvent(server.url, area.tokens[agency], event(over, subject));
    assert.equal(r.status, 201, r.text);
    return r.json;
  };
  const home = { postcode: 'LS3 1DD', address: '3 Dated Row' };
  const ada = { given_name: 'Ada', family_name: 'Undated', dob: '2012-07-08', nhs_number: '', ...home };
  const homeAt = isoSeconds(now() - 3 * DAY);
  const a = await send('police', ada, { source_ref: 'ND-P1', kind: 'contact', occurred_at: homeAt,
    summary: 'Police contact' });
  // health's record names her NHS number (nothing else has) at the same address, later
  await send('health', { ...ada, nhs_number: '9434765870' }, { source_ref: 'ND-H1', kind: 'contact',
    occurred_at: isoSeconds(now() - DAY), summary: 'HEALTH-ONLY-DATED', details: { category: 'mental_health' } });
  // and another child's NHS number, first named by health's record under no health-only category
  const b = await send('health', { given_name: 'Bea', family_name: 'Dated', dob: '2013-01-02',
    nhs_number: '9434765838', ...home }, { source_ref: 'ND-H2', kind: 'contact',
    occurred_at: isoSeconds(now() - DAY), summary: 'Ward admission', details: { category: 'physical' } });
  assert.equal(b.child_id === a.child_id, false);

  // police's system reads its own child (identifiers, no household); social care's MASH worker the whole record
  const r = await getChild(server.url, area.tokens.police, a.child_id);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.child_id, a.child_id);
  const nhs = r.json.identifiers.filter((i) => i.kind === 'nhs');
  assert.equal(nhs.length, 1, r.text);
  assert.equal(nhs[0].first_seen, '', "the health-only record does not date the identifier it alone gave");
  const secret = addPerson(area.db, 'sue.mash', 'social_care', 'mash_worker', PASSWORD);
  const session = await request(`${server.url}/api/v1/sessions`, { method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'sue.mash', password: PASSWORD, totp: totp(secret) }) });
  assert.equal(session.status, 201, session.text);
  const whole = await getChild(server.url, session.json.token, a.child_id);
  assert.equal(whole.status, 200, whole.text);
  assert.equal(whole.json.access, 'full', whole.text);
  assert.equal(whole.json.identifiers.find((i) => i.kind === 'nhs').first_seen, '', whole.text);
  assert.equal(whole.json.household.address, '3 Dated Row', whole.text);
  assert.equal(whole.json.household.last_seen, homeAt, "the household's last_seen is the police record's");
  const rb = await getChild(server.url, area.tokens.health, b.child_id);
  assert.equal(rb.status, 200, rb.text);
  assert.match(rb.json.identifiers[0].first_seen, /^\d{4}-\d\d-\d\dT/, "health's other records date theirs");
});
