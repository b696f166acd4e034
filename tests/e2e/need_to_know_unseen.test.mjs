// A child known only from a record the reader may not see (r-ntk24). Health's system sends a record under a
// health-only category (sexual_health) about a child no other record names: the chronology hid the record from
// every reader outside health (VIEW_EVENT), but the child it created was there for them: social care's MASH
// worker found her by name and opened a record page with no events on it (the MASH "triages" the clinic's
// contact it cannot see), a police officer's search by her NHS number said "a child with this number is known",
// the administrator could find her to allocate, and the API read her: each learning that some health-only
// service knows this child. Now such a child is, to every reader outside health, what an id that holds no child
// is, in every list and read (the store's rule, VIEW_PERSON); health's readers find her as before; and once a
// record they may see names her, she is there for them as any child is (and the identifier it names is dated).
// Asked as every role; real binary, HTTP, SQLite (and PostgreSQL with make e2e-pg).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addPerson, allocationOf, freshArea, getChild, isoSeconds, now, removeDir, request, signedInPeople, startServer }
  from './lib.mjs';

const PASSWORD = 'a clinic is not a register';
const DAY = 86400000;
const NHS = '9434765919';
const NOBODY = 987654;
// every role that searches or reads a child's record, outside health and in it
const OUTSIDE = [['mo.mash', 'social_care', 'mash_worker'], ['sam.worker', 'social_care', 'social_worker'],
  ['tess.manager', 'social_care', 'team_manager'], ['pc.police', 'police', 'police_officer'],
  ['sid.school', 'education', 'school_dsl'], ['cat.chair', 'social_care', 'conference_chair'],
  ['dee.dpo', 'social_care', 'dpo']];
const HEALTH = [['hal.mash', 'health', 'mash_worker'], ['nia.health', 'health', 'health_practitioner']];
let area;
let server;
const secrets = {};
let page;
let apiToken;
let send;
let people;

before(async () => {
  area = freshArea('ntk-unseen');
  for (const [name, agency, role] of [...OUTSIDE, ...HEALTH, ['ada.admin', 'social_care', 'admin']])
    secrets[name] = addPerson(area.db, name, agency, role, PASSWORD);
  server = await startServer(area.db);
  people = signedInPeople(server.url, area, PASSWORD, secrets);
  ({ page, apiToken, send } = people);
});
after(async () => {
  await server?.stop();
  removeDir(area?.dir);
});

const nia = { given_name: 'Niamhy', family_name: 'Unseenly', nhs_number: NHS, dob: '2010-05-06',
  postcode: 'LS6 2AB', address: '99 Clinic Says Street' };

// Every way a reader outside health could come upon the child: the name search, the NHS number's search, the
// record page and the API's read, the MASH queue, the administrator's allocation search. "Absent" is what an id
// or a number that holds no child gets, byte for byte where the answer has no name in it.
async function outsideSees(childId) {
  const seen = {};
  for (const [name] of OUTSIDE) {
    const byName = await page(name, '/?q=Niamhy+Unseenly');
    const byNumber = await page(name, `/?q=${NHS}`);
    const record = await page(name, `/children/${childId}`);
    const nobody = await page(name, `/children/${NOBODY}`);
    const token = await apiToken(name);
    const api = await getChild(server.url, token, childId);
    const apiNobody = await getChild(server.url, token, NOBODY);
    seen[name] = {
      byName: byName.text.includes('Niamhy'),
      byNumber: byNumber.text.includes('is known') || byNumber.text.includes('Niamhy'),
      record: record.status === 200 || record.text.includes('Niamhy') || record.status !== nobody.status
        || record.text !== nobody.text.replaceAll(String(NOBODY), String(childId)),
      api: api.status !== apiNobody.status || api.text !== apiNobody.text,
    };
  }
  seen['mo.mash'].queue = (await page('mo.mash', '/mash')).text.includes('Niamhy');
  seen['ada.admin'] = { allocate: (await page('ada.admin', '/admin/allocations?child_q=niamhy+unseenly&worker_q=sam'))
    .text.includes('Niamhy') };
  return seen;
}

test('a child known only from a health-only record is there for no reader outside health', async () => {
  const h = await send('health', nia, { source_ref: 'NU-H1', kind: 'contact', occurred_at: isoSeconds(now() - 2 * DAY),
    summary: 'HEALTH-ONLY-UNSEEN', details: { category: 'sexual_health' } });
  const seen = await outsideSees(h.child_id);
  const none = { byName: false, byNumber: false, record: false, api: false };
  const want = Object.fromEntries(OUTSIDE.map(([name]) => [name, { ...none }]));
  want['mo.mash'].queue = false;
  want['ada.admin'] = { allocate: false };
  assert.deepEqual(seen, want);
  // The administrator, by her id: the confirmation page and the allocation itself answer as for no child.
  const confirm = await page('ada.admin', `/admin/allocations/confirm?child=${h.child_id}&user=sam.worker&team=`);
  const confirmNobody = await page('ada.admin', `/admin/allocations/confirm?child=${NOBODY}&user=sam.worker&team=`);
  assert.equal(confirm.status, confirmNobody.status);
  const digitless = (t) => t.replace(/value="[^"]*"/g, '').replace(/[0-9]+/g, 'N'); // the ids asked for differ
  assert.equal(digitless(confirm.text), digitless(confirmNobody.text));
  assert.ok(!confirm.text.includes('Niamhy'));
  const allocate = async (child) => request(`${server.url}/admin/allocations`, { method: 'POST',
    body: new URLSearchParams({ csrf_token: await people.csrf('ada.admin'), child: String(child),
      team: '', user: 'sam.worker', confirm: 'yes' }),
    headers: { cookie: await people.cookie('ada.admin'), 'content-type': 'application/x-www-form-urlencoded',
      origin: server.url } });
  const [given, noChild] = [await allocate(h.child_id), await allocate(NOBODY)];
  assert.equal(given.status, noChild.status);
  assert.equal(digitless(given.text), digitless(noChild.text));
  assert.equal(allocationOf(area.db, h.child_id), undefined, 'not allocated');
  // a police system's read of her: what an id with no child gets
  const sys = await getChild(server.url, area.tokens.police, h.child_id);
  assert.equal(sys.status, 404, sys.text);

  // Health's readers find her as before: the health MASH worker by name (triaging the contact), the record with
  // the clinic's event; the health practitioner's search by number finds her (health's own record).
  assert.ok((await page('hal.mash', '/?q=Niamhy+Unseenly')).text.includes('Niamhy'));
  assert.ok((await page('hal.mash', '/mash')).text.includes('Niamhy'));
  const record = await page('hal.mash', `/children/${h.child_id}`);
  assert.equal(record.status, 200);
  assert.ok(record.text.includes('HEALTH-ONLY-UNSEEN'));
  const byNumber = await page('nia.health', `/?q=${NHS}`);
  assert.ok(byNumber.text.includes('Niamhy'), "health's own agency's child, by number");
  const api = await getChild(server.url, await apiToken('hal.mash'), h.child_id);
  assert.equal(api.status, 200, api.text);
  // the clinic's record gave her NHS number undated (r-ntk23)
  assert.equal(api.json.identifiers.find((i) => i.kind === 'nhs').first_seen, '', api.text);
});

test('once a record they may see names her, she is there as any child is, her number dated by it', async () => {
  const h = await send('health', { ...nia, given_name: 'Niamhy', nhs_number: '9434765870', family_name: 'Laterly' },
    { source_ref: 'NU-H2', kind: 'contact', occurred_at: isoSeconds(now() - 2 * DAY), summary: 'HEALTH-ONLY-LATER',
      details: { category: 'mental_health' } });
  assert.equal((await page('mo.mash', '/?q=Niamhy+Laterly')).text.includes('Niamhy'), false);
  const at = isoSeconds(now() - DAY);
  const p = await send('police', { ...nia, nhs_number: '9434765870', family_name: 'Laterly', postcode: 'LS2 1AA',
    address: '2 Home Row' }, { source_ref: 'NU-P1', kind: 'contact', occurred_at: at, summary: 'Police contact' });
  assert.equal(p.child_id, h.child_id, 'linked by her NHS number to the child the clinic made');
  // the reply says which child, nothing of how it was linked (docs/SECURITY.md, r-ntk25 (c))
  assert.deepEqual(Object.keys(p).sort(), ['child_id', 'id']);
  assert.deepEqual(Object.keys(h).sort(), ['child_id', 'id']);
  const found = await page('mo.mash', '/?q=Niamhy+Laterly');
  assert.ok(found.text.includes('Niamhy'), 'the MASH worker finds her (triaging the police contact)');
  const record = await page('mo.mash', `/children/${h.child_id}`);
  assert.equal(record.status, 200);
  assert.ok(record.text.includes('Police contact') && !record.text.includes('HEALTH-ONLY-LATER'));
  assert.ok((await page('pc.police', '/?q=9434765870')).text.includes('Niamhy'), "police's own child, in full");
  const api = await getChild(server.url, area.tokens.police, h.child_id);
  assert.equal(api.status, 200, api.text);
  // The identifier the clinic's record gave undated is dated by the first record that may be seen to name it.
  assert.match(api.json.identifiers.find((i) => i.kind === 'nhs').first_seen, /^\d{4}-\d\d-\d\dT/, api.text);
});

// Record linkage's queue: a health-only record that is as likely as not a child the school knows gets a child of
// its own and a review task. The task names the clinic's record and its child: a reviewer outside health is not
// shown it (the queue and the task take the reader's view), nor may decide it; health's reviewer may.
test("record linkage's task about a health-only record's child is health's reviewers' only", async () => {
  const rosa = { given_name: 'Rosalind', family_name: 'Borderly', dob: '2016-05-03', nhs_number: '', upn: '' };
  const school = await send('education', rosa, { source_ref: 'NU-E1', kind: 'school_absence',
    occurred_at: isoSeconds(now() - 3 * DAY), summary: 'Absent' });
  const h = await send('health', { ...rosa, dob: '2016-05-04', postcode: 'LS7 1AA', address: '3 Other Road' },
    { source_ref: 'NU-H3', kind: 'contact', occurred_at: isoSeconds(now() - DAY), summary: 'HEALTH-ONLY-BORDER',
      details: { category: 'sexual_health' } });
  assert.notEqual(h.child_id, school.child_id, 'a borderline record: a child of its own');
  const queue = async (who) => {
    const r = await request(`${server.url}/api/v1/link-reviews`, { token: await apiToken(who) });
    assert.equal(r.status, 200, r.text);
    return r.json.reviews.filter((v) => v.record.child_id === h.child_id);
  };
  const health = await queue('hal.mash');
  assert.equal(health.length, 1, "health's reviewer has the task");
  assert.equal(health[0].candidate.child_id, school.child_id);
  const id = health[0].id;
  for (const who of ['sam.worker', 'mo.mash', 'tess.manager']) {
    assert.deepEqual(await queue(who), [], `${who}'s queue`);
    const one = await request(`${server.url}/api/v1/link-reviews/${id}`, { token: await apiToken(who) });
    const none = await request(`${server.url}/api/v1/link-reviews/987654`, { token: await apiToken(who) });
    assert.equal(one.status, none.status, one.text);
    assert.ok(!one.text.includes('Rosalind'));
    const links = await page(who, '/link-reviews');
    assert.equal(links.status, 200);
    assert.ok(!links.text.includes('3 Other Road'), `${who}'s queue page`);
    const task = await page(who, `/link-reviews/${id}`);
    assert.equal(task.status, (await page(who, '/link-reviews/987654')).status);
    assert.ok(!task.text.includes('3 Other Road'), `${who}'s task page`);
  }
  const refused = await request(`${server.url}/api/v1/link-reviews/${id}/decision`, { method: 'POST',
    token: await apiToken('sam.worker'), headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ decision: 'same', reason: 'looks like the same girl' }) });
  const noTask = await request(`${server.url}/api/v1/link-reviews/987654/decision`, { method: 'POST',
    token: await apiToken('sam.worker'), headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ decision: 'same', reason: 'looks like the same girl' }) });
  assert.equal(refused.status, noTask.status, refused.text);
  assert.equal((await queue('hal.mash')).length, 1, 'still open');
});
