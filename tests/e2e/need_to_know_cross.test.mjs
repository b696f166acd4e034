// What one event says about another (r-ntk21). A row or a card about event A (or child A) that shows what
// event B says must ask access.c whether the reader may see B, not only A: B has an agency and a category of
// its own. Today they differ where an agency's system sent B under a health-only category (service/access.h:
// ACCESS_HEALTH_ONLY), which only health may read, or where the reader's view is their own agency's events.
//   - The MASH lists show, on a contact's row, the decision that answered it (outcome, who, when, and on the
//     item's page why). Only social care's referral decision answers a contact (r-mashdec21), and no social
//     care event is health-only: a referral decision health's system sends under a health-only category is
//     health's own record, answers nothing, and shows nothing on the row or the item, which still awaits the
//     MASH's decision. (Where a reader may not see the decision that answered a contact, the row says a
//     decision was recorded that they may not see: tests/unit/test_mash_view.c, a view of one agency's own.)
//   - The record's summary card derives the legal status and "missing now" from status events: only from
//     those the reader may see (the store's VIEW_EVENT, as a column of the status read), so the card says
//     nothing the chronology hides.
// Real binary, HTTP, SQLite (and PostgreSQL with make e2e-pg).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  addPerson, dbUrl, event, everyAgencysEvents, freshArea, isoSeconds, nhsNumbers, now, postEvent, removeDir, request, runCli, startServer,
  webSignIn as signInAs, sessionCsrf,
} from './lib.mjs';

const PASSWORD = 'the decision is an event of its own';
const DAY = 86400000;
const RUN = Math.random().toString(36).slice(2, 8);
const HIDDEN = { who: `hidden.decider.${RUN}`, why: `HEALTH-ONLY-REASON-${RUN}`, summary: `HEALTH-ONLY-SUMMARY-${RUN}` };
const SHOWN = { who: `shown.decider.${RUN}`, why: `SHOWN-REASON-${RUN}` };

let area;
let server;
const secrets = {};
const sessions = {};
const kids = {}; // name → {child, contact, later}

async function get(username, path) {
  if (!sessions[username]) {
    const cookie = await signInAs(server.url, area.db, username, { password: PASSWORD, secrets });
    sessions[username] = { cookie, csrf: await sessionCsrf(server.url, cookie) };
  }
  return request(`${server.url}${path}`, { headers: { cookie: sessions[username].cookie } });
}

/** The decided table's rows: [event id, row text]. */
function rowsOf(html) {
  return [...html.matchAll(/<tr class="govuk-table__row" id="mash-(\d+)">([\s\S]*?)<\/tr>/g)]
    .map((m) => [Number(m[1]), m[2].replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim()]);
}
const decisionOf = (html) => (/<dl class="govuk-summary-list" id="mash-decision">([\s\S]*?)<\/dl>/.exec(html)?.[1] ?? '')
  .replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();

before(async () => {
  area = freshArea('mash-decision-view');
  for (const [name, agency, role] of [['mo.mash', 'social_care', 'mash_worker'],
    ['hal.mash', 'health', 'mash_worker'], ['tom.manager', 'social_care', 'team_manager'],
    ['sam.worker', 'social_care', 'social_worker'], ['dr.hale', 'health', 'health_practitioner']]) {
    secrets[name] = addPerson(area.db, name, agency, role, PASSWORD);
  }
  server = await startServer(area.db);
  const nhs = nhsNumbers(600200000);
  const send = async (agency, subject, over) => {
    const r = await postEvent(server.url, area.tokens[agency], event(over, subject));
    assert.equal(r.status, 201, r.text);
    return r.json;
  };
  // Two children, each a police contact and then a referral decision: for "hidden" one health's system sent
  // under a health-only category (health's own record: it answers nothing), for "shown" social care's, which
  // answers it. Then a second contact each, awaiting, so that the MASH triages the child (the whole record:
  // service/access.c) and may open the first contact's page.
  for (const [name, decider, details, summary] of [
    ['hidden', 'health', { category: 'sexual_health', outcome: 'nfa', decided_by: HIDDEN.who, reason: HIDDEN.why }, HIDDEN.summary],
    ['shown', 'social_care', { outcome: 'early_help', decided_by: SHOWN.who, reason: SHOWN.why }, 'Early help offered'],
  ]) {
    const subject = { given_name: `Kid${name}`, family_name: `Decision${name}`, nhs_number: nhs.next().value,
      dob: '2014-05-06', postcode: 'LS2 1AA', address: '2 Decision Row' };
    const contact = await send('police', subject, { source_ref: `MDV-${name}-1`, kind: 'contact',
      occurred_at: isoSeconds(now() - 3 * DAY), summary: `Police contact about ${name}` });
    await send(decider, subject, { source_ref: `MDV-${name}-2`, kind: 'referral_decision',
      occurred_at: isoSeconds(now() - 2 * DAY), summary, details });
    const later = await send('police', subject, { source_ref: `MDV-${name}-3`, kind: 'contact',
      occurred_at: isoSeconds(now() - DAY), summary: `Second police contact about ${name}` });
    assert.equal(contact.child_id, later.child_id);
    kids[name] = { child: contact.child_id, contact: contact.id, later: later.id };
  }
  // Two children reported missing and not returned: "ward" by health under a health-only category, "street" by
  // the police. Both allocated to sam.worker, who reads the whole record.
  runCli(['team', 'add', '--db', dbUrl(area.db), '--code', 'north', '--name', 'Family Support North']);
  for (const [name, agency, details] of [['ward', 'health', { category: 'mental_health' }], ['street', 'police', {}]]) {
    const subject = { given_name: `Kid${name}`, family_name: `Missing${name}`, nhs_number: nhs.next().value,
      dob: '2012-03-04', postcode: 'LS3 1AA', address: '3 Missing Row' };
    const m = await send(agency, subject, { source_ref: `MDV-${name}-missing`, kind: 'missing_start',
      occurred_at: isoSeconds(now() - DAY), summary: `${HIDDEN.summary}-${name}`, details });
    runCli(['allocate', '--db', dbUrl(area.db), '--child', String(m.child_id), '--team', 'north', '--worker', 'sam.worker']);
    kids[name] = { child: m.child_id };
  }
  // A child on a child protection plan (social care's) who attended A&E, recorded by health under a health-only
  // category: the rules raise UNSCHEDULED_CARE_ATTENDANCE on it, owned by the allocated worker.
  {
    const subject = { given_name: 'Kidae', family_name: 'Attended', nhs_number: nhs.next().value, dob: '2013-07-08',
      postcode: 'LS4 1AA', address: '4 Attendance Row' };
    const plan = await send('social_care', subject, { source_ref: 'MDV-ae-plan', kind: 'cp_plan_start',
      occurred_at: isoSeconds(now() - 10 * DAY), summary: 'Child protection plan: neglect', details: { category: 'neglect' } });
    runCli(['allocate', '--db', dbUrl(area.db), '--child', String(plan.child_id), '--team', 'north', '--worker', 'sam.worker']);
    const ae = await send('health', subject, { source_ref: 'MDV-ae-visit', kind: 'unscheduled_care',
      occurred_at: isoSeconds(now() - DAY), summary: `${HIDDEN.summary}-ae`, details: { category: 'mental_health' } });
    kids.ae = { child: plan.child_id, event: ae.id };
  }
});

after(async () => {
  try {
    if (server) await server.stop();
  } finally {
    if (area) removeDir(area.dir);
  }
});

describe('a contact\'s row shows only the decision that answered it: social care\'s', () => {
  const noneOfHidden = (who, html, where) => {
    for (const v of Object.values(HIDDEN)) assert.ok(!html.includes(v), `${who}: ${where} shows no ${v}`);
  };

  test('health\'s own health-only decision answers nothing: the contact awaits, nothing of it shown', async () => {
    for (const who of ['mo.mash', 'tom.manager', 'hal.mash']) {
      const r = await get(who, '/mash?status=decided');
      assert.equal(r.status, 200);
      const rows = Object.fromEntries(rowsOf(r.text));
      assert.equal(rows[kids.hidden.contact], undefined, `${who}: not decided`);
      noneOfHidden(who, r.text, 'the decided list');
      // Social care's decision is shown whole, to health's MASH worker as to social care's.
      assert.match(rows[kids.shown.contact], new RegExp(`Early help .* by ${SHOWN.who.replaceAll('.', '\\.')}`));
      const a = await get(who, '/mash');
      const awaiting = Object.fromEntries(rowsOf(a.text));
      assert.ok(awaiting[kids.hidden.contact], `${who}: the contact awaits`);
      assert.ok(awaiting[kids.hidden.later], `${who}: the later contact awaits`);
      assert.equal(awaiting[kids.shown.contact], undefined, `${who}: the one social care decided does not`);
      assert.doesNotMatch(awaiting[kids.hidden.contact], /A decision was recorded that you may not see/);
      noneOfHidden(who, a.text, 'the queue');
    }
  });

  test('the item\'s page: a form to decide, nothing of health\'s record; social care\'s decision shown whole', async () => {
    let r = await get('mo.mash', `/mash/${kids.hidden.contact}`);
    assert.equal(r.status, 200, 'the MASH triages the child (contacts await)');
    assert.match(r.text, /id="mash-decide"/, 'a form to decide it');
    assert.doesNotMatch(r.text, /A decision was recorded that you may not see/);
    noneOfHidden('mo.mash', r.text, 'the item page');
    r = await get('mo.mash', `/mash/${kids.shown.contact}`);
    assert.equal(r.status, 200);
    assert.match(decisionOf(r.text), new RegExp(`Early help.*${SHOWN.why}.*by ${SHOWN.who.replaceAll('.', '\\.')}`));
    assert.doesNotMatch(r.text, /id="mash-decide"/, 'no form to decide it again');
  });

  test('the MASH decides the contact health decided on its own; a second decision is refused (409)', async () => {
    const decisions = async () => (await everyAgencysEvents(server.url, area.tokens, kids.hidden.child))
      .filter((e) => e.kind === 'referral_decision').map((e) => e.agency).sort();
    assert.deepEqual(await decisions(), ['health']);
    assert.equal((await get('mo.mash', '/mash')).status, 200); // signed in
    const s = sessions['mo.mash'];
    const decide = (reason) => request(`${server.url}/mash/${kids.hidden.contact}/decision`, {
      method: 'POST', body: new URLSearchParams({ csrf_token: s.csrf, outcome: 'nfa', reason }),
      headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
    });
    let r = await decide('Known to health; no concerns for social care');
    assert.equal(r.status, 303, r.text);
    assert.deepEqual(await decisions(), ['health', 'social_care'], 'health\'s record kept beside social care\'s');
    r = await decide('Deciding it twice');
    assert.equal(r.status, 409, r.text);
    assert.match(r.text, /This has already been decided/);
    noneOfHidden('mo.mash', r.text, 'the refusal');
    assert.deepEqual(await decisions(), ['health', 'social_care'], 'no second decision');
    const row = Object.fromEntries(rowsOf((await get('mo.mash', '/mash?status=decided')).text))[kids.hidden.contact];
    assert.match(row, /No further action .* by mo\.mash/);
  });

  test('the chronology agrees: the decision event is not on the record for those the row hides it from', async () => {
    const r = await get('mo.mash', `/children/${kids.hidden.child}`);
    assert.equal(r.status, 200);
    assert.ok(!r.text.includes(HIDDEN.summary), 'the health-only decision is not on the record');
    const s = await get('mo.mash', `/children/${kids.shown.child}`);
    assert.ok(s.text.includes('Early help offered'), 'the other decision is');
  });
});

describe('the record\'s summary card counts only the events the reader may see', () => {
  const missing = (html) => (/<div class="govuk-summary-list__row" id="summary-missing">([\s\S]*?)<\/div>/.exec(html)?.[1] ?? '')
    .replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();

  test('"missing now" from a health-only event: not for the allocated worker outside health', async () => {
    let r = await get('sam.worker', `/children/${kids.ward.child}`);
    assert.equal(r.status, 200);
    assert.ok(!r.text.includes(`${HIDDEN.summary}-ward`), 'the chronology hides the event');
    // r-review39: not a plain "No", which would mislead the worker (the rules' REPEAT_MISSING and return
    // interview alerts rest on the same event): the card says a record they may not see bears on it, and
    // nothing of that record.
    assert.equal(missing(r.text), 'Missing now Not in the records you may see A record you may not see bears on this: '
      + 'what is shown here may not be the whole picture.');
    assert.doesNotMatch(r.text, /Missing since/);
    assert.doesNotMatch(r.text, /id="summary-status-withheld"/, 'the legal status is not touched by it');
    // The positive control: the police's report is shown, with no note.
    r = await get('sam.worker', `/children/${kids.street.child}`);
    assert.equal(r.status, 200);
    assert.match(missing(r.text), /Missing now Missing Missing since/);
    assert.doesNotMatch(r.text, /id="summary-missing-withheld"/);
  });
});

describe('an alert resting on a health-only event', () => {
  test('shown to its owner (the attendance, as CP-IS shares it), its evidence by id alone', async () => {
    const list = await request(`${server.url}/api/v1/alerts?state=open`, { token: area.tokens.social_care });
    assert.equal(list.status, 200, list.text);
    const alert = list.json.alerts.find((a) => a.child_id === kids.ae.child && a.code === 'UNSCHEDULED_CARE_ATTENDANCE');
    assert.ok(alert, 'the rule raised the alert');
    assert.deepEqual(alert.evidence.includes(kids.ae.event), true);
    const r = await get('sam.worker', `/alerts/${alert.id}`);
    assert.equal(r.status, 200);
    assert.ok(!r.text.includes(`${HIDDEN.summary}-ae`), 'nothing the event says');
    // The evidence list names the event by its id alone: no date, agency or kind of it.
    assert.match(r.text, new RegExp(`>Event ${kids.ae.event}</a>`));
    assert.doesNotMatch(r.text, /Health: A&amp;E or unscheduled care attendance/);
    // Health reads it described.
    const h = await get('dr.hale', `/children/${kids.ae.child}`);
    assert.ok(h.status === 200 && h.text.includes(`${HIDDEN.summary}-ae`), 'health sees its own event');
  });
});
