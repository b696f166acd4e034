// An alert escalated to health's safeguarding lead while its child was known only from health-only records
// (r-ntk25), after a record social care may see names her (r-review45). The lead had it because social care's
// MASH manager could not see her; once she is known that reason is gone, and whom it escalates to is what
// alerts_owner_of says for any known child the MASH holds: the MASH team's manager. Real binary, HTTP, SQLite
// (and PostgreSQL with make e2e-pg).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addPerson, alertRows, auditRows, dbUrl, freshArea, isoSeconds, now, removeDir, request, runCli, signedInPeople,
  startServer, ukDate } from './lib.mjs';

const PASSWORD = 'known again is known';
const DAY = 86400000;
const PEOPLE = [['mo.mash', 'social_care', 'mash_worker'], ['hal.mash', 'health', 'mash_worker'],
  ['mm.manager', 'social_care', 'team_manager'], ['nn.nurse', 'health', 'health_practitioner']];
let area;
let server;
let people;
const secrets = {};

before(async () => {
  area = freshArea('alert-escalation-known');
  for (const [name, agency, role] of PEOPLE)
    secrets[name] = addPerson(area.db, name, agency, role, PASSWORD);
  runCli(['team', 'add', '--db', dbUrl(area.db), '--code', 'mash', '--name', 'MASH', '--manager', 'mm.manager']);
  runCli(['team', 'add', '--db', dbUrl(area.db), '--code', 'health_safeguarding', '--name',
    'Safeguarding children (health)', '--manager', 'nn.nurse']);
  server = await startServer(area.db);
  people = signedInPeople(server.url, area, PASSWORD, secrets);
});
after(async () => {
  await server?.stop();
  removeDir(area?.dir);
});

const sweepOn = (days) => runCli(['--now', isoSeconds(now() + days * DAY), 'sweep', '--db', dbUrl(area.db), '--today',
  ukDate(now() + days * DAY)]);
const inboxLists = async (who, path, id) => (await people.page(who, path)).text.includes(`/alerts/${id}"`);

test("once a record social care may see names her, her alert escalated to health's lead goes to the MASH's manager",
  async () => {
    const who = { given_name: 'Perpetua', family_name: 'Knownlater', nhs_number: '9434765935', dob: '2011-08-09',
      postcode: 'LS13 1AA', address: '10 Clinic Lane' };
    let child = 0;
    for (const k of [1, 2, 3]) {
      const r = await people.send('health', who, { source_ref: `KL-${k}`, kind: 'missing_start',
        occurred_at: isoSeconds(now() - (10 - k) * DAY), summary: `HEALTH-ONLY-KL-${k}`,
        details: { category: 'sexual_health' } });
      child = r.child_id;
    }
    const raised = alertRows(area.db, { child }).find((a) => a.code === 'REPEAT_MISSING');
    assert.ok(raised, 'the rules raised REPEAT_MISSING on her');
    const id = raised.id;
    sweepOn(7);
    assert.equal(alertRows(area.db, { child }).find((a) => a.id === id).escalated_to, 'nn.nurse',
      "escalated to health's safeguarding lead while only health knows her");
    assert.ok(!(await inboxLists('mm.manager', '/alerts', id)), "not in the MASH manager's inbox yet");

    // The police record her: she is known outside health now.
    const police = await people.send('police', who, { source_ref: 'KL-P1', kind: 'police_callout',
      occurred_at: isoSeconds(now() - DAY), summary: 'Found at a friend\'s address', details: {} });
    assert.equal(police.child_id, child, "the police record joins the clinic's child");
    assert.ok(await inboxLists('mo.mash', '/alerts', id), "social care's MASH worker sees the MASH's alert now");

    // The next sweep: the escalation is the MASH manager's, as for any child the MASH holds whom social care
    // knows; the lead is no longer the one told (she still reads the child's record as health's own child).
    sweepOn(8);
    const moved = alertRows(area.db, { child }).find((a) => a.id === id);
    assert.equal(moved.owner_kind, 'mash');
    assert.equal(moved.escalated_to, 'mm.manager', "the MASH team's manager, as alerts_owner_of says now");
    assert.ok(await inboxLists('mm.manager', '/alerts', id), "the MASH manager's inbox lists it");
    assert.ok((await people.page('mm.manager', '/team')).text.includes(`/alerts/${id}"`),
      "and the team page's 'escalated to you'");
    for (const who of ['mm.manager', 'mo.mash'])
      assert.equal((await people.page(who, `/alerts/${id}`)).status, 200, `${who} opens it`);
    assert.ok(!(await inboxLists('nn.nurse', '/alerts', id)), "the lead's inbox no longer holds it");
    const reassigned = auditRows(area.db, { action: 'alert.reassign', child });
    assert.equal(reassigned.length, 1, JSON.stringify(reassigned));
    assert.equal(reassigned[0].actor, 'sweep');

    // A sweep again moves nothing more.
    sweepOn(9);
    assert.equal(auditRows(area.db, { action: 'alert.reassign', child }).length, 1);
  });

// The lead disabled while an alert about a child only health knows is escalated to them: the next sweep gives it
// to the MASH as a whole (its health members), as alerts_owner_of says of a lead who cannot open it; once a record
// social care may see names her, to the MASH team's manager.
test('an escalation to a lead who was disabled goes to the MASH, then, once she is known, to its manager', async () => {
  const who = { given_name: 'Quenburga', family_name: 'Leadgone', nhs_number: '9434765943', dob: '2012-01-02',
    postcode: 'LS14 1AA', address: '12 Clinic Lane' };
  let child = 0;
  for (const k of [1, 2, 3]) {
    const r = await people.send('health', who, { source_ref: `LG-${k}`, kind: 'missing_start',
      occurred_at: isoSeconds(now() - (10 - k) * DAY), summary: `HEALTH-ONLY-LG-${k}`,
      details: { category: 'sexual_health' } });
    child = r.child_id;
  }
  const { id } = alertRows(area.db, { child }).find((a) => a.code === 'REPEAT_MISSING');
  sweepOn(10);
  assert.equal(alertRows(area.db, { child }).find((a) => a.id === id).escalated_to, 'nn.nurse');
  runCli(['user', 'disable', '--db', dbUrl(area.db), '--username', 'nn.nurse']);
  sweepOn(11);
  assert.equal(alertRows(area.db, { child }).find((a) => a.id === id).escalated_to, 'mash',
    "the MASH as a whole, never social care's MASH manager, who cannot see her");
  assert.ok(await inboxLists('hal.mash', '/alerts', id), "health's MASH worker lists it");
  assert.ok(!(await inboxLists('mm.manager', '/alerts', id)));

  // Known outside health now (a school's concern): escalated to the MASH as a whole only because social care
  // could not see her, it goes to the MASH team's manager at the next sweep.
  const school = await people.send('education', who, { source_ref: 'LG-S1', kind: 'concern',
    occurred_at: isoSeconds(now() - DAY), summary: 'Absent and withdrawn', details: {} });
  assert.equal(school.child_id, child);
  sweepOn(12);
  assert.equal(alertRows(area.db, { child }).find((a) => a.id === id).escalated_to, 'mm.manager');
  assert.ok(await inboxLists('mm.manager', '/alerts', id), "the MASH manager's inbox lists it");
});

// The MASH decision (r-ntk25's mash_decide) on a health-only contact health's MASH worker decided, posted by social
// care's MASH worker, against one on an id that holds no contact: the same status and page, and the same audit
// (one access.refused entry each, alike but for the id: a refused write is audited, r-ntk30; nothing else).
test("a decision on a decided health-only contact: status, page and audit as for no contact", async () => {
  const NOBODY = 987654;
  const h = await people.send('health', { given_name: 'Rosamund', family_name: 'Decidedly', nhs_number: '9434765951',
    dob: '2010-09-10', postcode: 'LS15 1AA', address: '14 Clinic Lane' }, { source_ref: 'DC-1', kind: 'contact',
    occurred_at: isoSeconds(now() - 2 * DAY), summary: 'HEALTH-ONLY-DC', details: { category: 'mental_health' } });
  const post = async (who, id, reason) => request(`${server.url}/mash/${id}/decision`, { method: 'POST',
    body: new URLSearchParams({ csrf_token: await people.csrf(who), outcome: 'nfa', reason }),
    headers: { cookie: await people.cookie(who), 'content-type': 'application/x-www-form-urlencoded', origin: server.url } });
  assert.equal((await post('hal.mash', h.id, 'Seen by the clinic')).status, 303);
  const mine = () => auditRows(area.db).filter((e) => e.actor.endsWith(':mo.mash')).map((e) => `${e.action} ${e.detail}`);
  const before = mine();
  const hidden = await post('mo.mash', h.id, 'No further action');
  const afterHidden = mine();
  const none = await post('mo.mash', NOBODY, 'No further action');
  const afterNone = mine();
  assert.equal(hidden.status, none.status, hidden.text);
  assert.equal(hidden.text.replace(/[0-9]+/g, 'N'), none.text.replace(/[0-9]+/g, 'N'));
  // newest first: what each post added is at the head
  const added = (after, was) => after.slice(0, after.length - was.length).map((e) => e.replace(/[0-9]+/g, 'N'));
  assert.deepEqual(added(afterHidden, before), ['access.refused mash.decision refused: MASH item event N'],
    'one refusal entry for the hidden contact');
  assert.deepEqual(added(afterHidden, before), added(afterNone, afterHidden),
    'the same audit entries for the hidden contact and for no contact');
});
