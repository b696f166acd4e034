// Who answers a contact (r-mashdec21): the referral decision is the local authority's (DOMAIN.md; Working
// Together 2023: a social worker decides the next step within one working day of the referral). A
// `referral_decision` another agency sends through intake (the police's, health's) is kept on the chronology as
// that agency's own record, but it answers nothing: the referral still awaits in the MASH's queue, the MASH may
// decide it, and REFERRAL_DECISION_OVERDUE still falls due one working day after the referral. Social care's
// decision answers it. Dates are relative to the tests' clock (SAFEGUARD_NOW, lib.mjs): a referral ten days
// before today, the other agency's decision the next day (never after the due date, whatever the weekday:
// one working day after a day is at least the next day), so that intake, which runs the rules up to today,
// raises the alert at once when the decision does not answer the referral. Real binary, HTTP, the MASH
// worker through the sign-in form.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  addPerson, alertRows, event, everyAgencysEvents, freshArea, isoSeconds, nhsNumbers, now, postEvent, removeDir,
  request, sessionCsrf, startServer, webSignIn,
} from './lib.mjs';

const PASSWORD = 'only the local authority decides';
const DAY = 86400000;

let area;
let server;
let cookie;
let csrf;
const nhs = nhsNumbers(600300000);

const get = (path) => request(`${server.url}${path}`, { headers: { cookie } });
const post = (path, fields) => request(`${server.url}${path}`, {
  method: 'POST', body: new URLSearchParams({ csrf_token: csrf, ...fields }),
  headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
});
const rowIds = (html) => [...html.matchAll(/<tr class="govuk-table__row" id="mash-(\d+)">/g)].map((m) => Number(m[1]));
const isoDay = (ms) => new Date(ms).toISOString().slice(0, 10);

/** A referral ten days before today from education about a new child, and, the next day, a referral_decision
 *  from `decider`'s system (intake API), posted first. */
async function referredAndDecidedBy(decider, n) {
  const at = now() - 10 * DAY;
  const subject = { given_name: `Dee${n}`, family_name: `Cider${n}`, nhs_number: nhs.next().value, dob: '2014-03-04' };
  // The decision's feed first (feeds arrive in any order; an alert once raised stands): when the referral
  // arrives, the rules read both.
  const d = await postEvent(server.url, area.tokens[decider], event(
    { source_ref: `MD-${n}-D`, kind: 'referral_decision', occurred_at: isoSeconds(at + DAY),
      summary: `${decider}'s own decision`, details: { outcome: 'nfa' } }, subject));
  assert.equal(d.status, 201, d.text);
  const r = await postEvent(server.url, area.tokens.education, event(
    { source_ref: `MD-${n}-R`, kind: 'referral', occurred_at: isoSeconds(at), summary: 'Referral from school' }, subject));
  assert.equal(r.status, 201, r.text);
  assert.equal(d.json.child_id, r.json.child_id);
  return { referral: r.json.id, child: r.json.child_id, decision: d.json.id, referredOn: isoDay(at) };
}

before(async () => {
  area = freshArea('mash-decider');
  addPerson(area.db, 'mo.mash', 'social_care', 'mash_worker', PASSWORD);
  server = await startServer(area.db);
  cookie = await webSignIn(server.url, area.db, 'mo.mash', { password: PASSWORD });
  csrf = await sessionCsrf(server.url, cookie);
});

after(async () => {
  try {
    if (server) await server.stop();
  } finally {
    if (area) removeDir(area.dir);
  }
});

describe('only social care\'s referral decision answers a referral', () => {
  for (const [n, agency] of [[1, 'police'], [2, 'health']]) {
    test(`a ${agency} referral_decision: kept on the chronology, the referral still awaits, the alert fires`, async () => {
      const it = await referredAndDecidedBy(agency, n);
      // The alert: due one working day after the referral (within five days, Christmas included), evidence
      // the referral.
      const alerts = alertRows(area.db, { child: it.child, code: 'REFERRAL_DECISION_OVERDUE' });
      assert.equal(alerts.length, 1, JSON.stringify(alerts));
      assert.ok(alerts[0].due > it.referredOn && alerts[0].due <= isoDay(Date.parse(`${it.referredOn}T12:00:00Z`) + 5 * DAY),
        `${alerts[0].due} is one working day after ${it.referredOn}`);
      // The MASH's queue: awaiting, not decided; the item offers the decision.
      let r = await get('/mash');
      assert.equal(r.status, 200, r.text);
      assert.ok(rowIds(r.text).includes(it.referral), 'awaiting');
      r = await get('/mash?status=decided');
      assert.ok(!rowIds(r.text).includes(it.referral), 'not decided');
      r = await get(`/mash/${it.referral}`);
      assert.equal(r.status, 200, r.text);
      assert.match(r.text, new RegExp(`action="/mash/${it.referral}/decision"`));
      // The other agency's record stays on the chronology as its own.
      const own = (await everyAgencysEvents(server.url, area.tokens, it.child)).filter((e) => e.kind === 'referral_decision');
      assert.deepEqual(own.map((e) => `${e.id}|${e.agency}`), [`${it.decision}|${agency}`]);

      // The MASH decides it (not "already decided"): now decided, by social care, gone from awaiting.
      r = await post(`/mash/${it.referral}/decision`, { outcome: 'early_help', reason: 'Early help with the family' });
      assert.equal(r.status, 303, r.text);
      r = await get('/mash');
      assert.ok(!rowIds(r.text).includes(it.referral), 'no longer awaiting');
      r = await get('/mash?status=decided');
      assert.ok(rowIds(r.text).includes(it.referral), 'decided');
      const both = (await everyAgencysEvents(server.url, area.tokens, it.child)).filter((e) => e.kind === 'referral_decision');
      assert.deepEqual(both.map((e) => e.agency).sort(), [agency, 'social_care']);
      r = await post(`/mash/${it.referral}/decision`, { outcome: 'nfa', reason: 'Again' });
      assert.equal(r.status, 409);
    });
  }

  test('social care\'s referral_decision through intake answers it: decided, no alert', async () => {
    const it = await referredAndDecidedBy('social_care', 3);
    assert.deepEqual(alertRows(area.db, { child: it.child, code: 'REFERRAL_DECISION_OVERDUE' }), []);
    let r = await get('/mash');
    assert.ok(!rowIds(r.text).includes(it.referral), 'not awaiting');
    r = await get('/mash?status=decided');
    assert.ok(rowIds(r.text).includes(it.referral), 'decided');
    r = await post(`/mash/${it.referral}/decision`, { outcome: 'nfa', reason: 'Again' });
    assert.equal(r.status, 409);
    assert.match(r.text, /This has already been decided/);
  });
});
