// Statutory alerts as a person meets them: an alert raised by a referral nobody decided, listed in the inbox,
// opened, its evidence followed to the chronology, acknowledged and resolved (wrong, then right); the MASH
// queue's one-working-day clock; recording a visit (seen? seen alone? the child's words, and for a child who
// does not speak, how their views were gathered); a caseload allocated with the CLI; escalation by the sweep.
// Then axe on every new page, the same journeys with JavaScript off, and the inbox's ceiling. Expected dates
// come from an independent working-day calendar in lib.mjs, never from the pages themselves.
// Each page is seen by the person whose work it is: the MASH worker for the MASH's alerts and queue, the
// allocated social worker for visits and their caseload, the team's manager for escalations and a worker's
// caseload. People other than the demo's are made with the CLI, as an administrator would.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  addDays, addEvent, addWorkingDays, alertRows, apiChronology, assertAccessible, assertPhaseBanner, chronologyRows,
  allocateChild, clearSnaps, csrfToken, demoCli, errorSummary, fillVisit, goto, isWorkingDay, longDate, makeChild,
  makePerson, navigate, newPage, nhsNumbers, postFromPage, request, snap, sql, startDemoAndBrowser, summaryList, textOf,
  isoSeconds, now, ukTime, ukToday, WORKER as DEMO_WORKER,
} from './lib.mjs';
import { auditRows } from '../e2e/lib.mjs';

let demo;
let browser;
const nhs = nhsNumbers(943476600);
const today = ukToday();
// A referral three weeks ago with no decision: REFERRAL_DECISION_OVERDUE (due one working day after it).
const referralDay = addDays(today, -21);
const referralDue = addWorkingDays(referralDay, 1);
const referral = (summary) => ({ agency: 'education', kind: 'referral', occurred_at: `${referralDay}T10:00:00Z`, summary });

const ottilie = {
  given_name: 'Ottilie', family_name: 'Pemberton-Rhys', dob: '2012-04-18', sex: 'F', postcode: 'LS4 2PR',
  address: '12 Cardigan Road', nhs_number: nhs.next().value,
};
const caspian = {
  given_name: 'Caspian', family_name: 'Thornbury', dob: '2016-09-02', sex: 'M', postcode: 'LS5 3AB',
  address: '3 Vesper Lane', nhs_number: nhs.next().value,
};
const ishbel = {
  given_name: 'Ishbel', family_name: 'Marchetti', dob: '2014-01-27', sex: 'F', postcode: 'LS7 4HE',
  address: '8 Potternewton Mount', nhs_number: nhs.next().value, communication_needs: 'Non-verbal; uses BSL and Makaton',
};
const hollis = {
  given_name: 'Hollis', family_name: 'Vantongeren', dob: '2011-12-05', sex: 'M', postcode: 'LS8 2QQ',
  address: '40 Harehills Lane', nhs_number: nhs.next().value,
};
const TEAM = { code: 'ne1', name: 'North East locality 1', manager: 'm.adeyemi' };
const WORKER = 't.okafor'; // a social worker with nothing allocated until the caseload tests
const EMPTY = 'e.nobody'; // a social worker who never holds a child

let ottilieId;
let ottilieReferral;
let caspianId;
let ishbelId;
let hollisId;
let hollisReferral;

before(async () => {
  clearSnaps('alerts');
  ({ demo, browser } = await startDemoAndBrowser());
  makePerson(demo, { username: WORKER, role: 'social_worker' });
  makePerson(demo, { username: TEAM.manager, role: 'team_manager' });
  const o = await addEvent(demo, 'education', { ...referral('Ottilie disclosed being hit at home'), subject: ottilie });
  ottilieId = o.child_id;
  ottilieReferral = o.id;
  // Not allocated until the MASH has resolved her alert (alerts follow allocation, issue 15); demo.worker then
  // records a visit to her.
  makePerson(demo, { username: EMPTY, role: 'social_worker' });
  caspianId = await makeChild(demo, caspian, [referral('Caspian left alone overnight, says a neighbour')]);
  ishbelId = await makeChild(demo, ishbel, [
    { agency: 'health', kind: 'gp_appointment', occurred_at: `${addDays(today, -40)}T09:00:00Z`, summary: 'Annual review' },
  ]);
  // A long history: the referral is older than the record's first page of 100 events.
  const h = await addEvent(demo, 'education', { ...referral('Hollis arrived hungry and unwashed'), subject: hollis }); // not allocated
  hollisId = h.child_id;
  hollisReferral = h.id;
  for (let i = 0; i < 104; i++) {
    await addEvent(demo, 'education', {
      kind: 'school_absence', occurred_at: `${addDays(today, -20 + (i % 18))}T08:${String(10 + (i % 40)).padStart(2, '0')}:00Z`,
      summary: `Absence ${i + 1}`, subject: hollis,
    });
  }
});

after(async () => {
  await browser?.close();
  await demo?.stop();
});

/** The API's alerts (an independent reading of the same store). */
async function apiAlerts(query) {
  const r = await request(`${demo.url}/api/v1/alerts?${query}`, { token: demo.tokens.social_care });
  assert.equal(r.status, 200, r.text);
  return r.json.alerts;
}

async function apiAlert(id) {
  const r = await request(`${demo.url}/api/v1/alerts/${id}`, { token: demo.tokens.social_care });
  assert.equal(r.status, 200, r.text);
  return r.json;
}

/** The one alert the child has, through the API. */
async function onlyAlert(childId) {
  const list = await apiAlerts(`child=${childId}&state=all`);
  assert.equal(list.length, 1, `one alert for child ${childId}: ${JSON.stringify(list)}`);
  return list[0];
}

/**
 * The pages a describe block opens, one per person (signed in as them), each checked for script errors, failed
 * requests and dialogs after the block, then closed.
 */
function pagesFor(options = {}) {
  const opened = new Map();
  after(async () => {
    for (const [who, p] of opened) assert.deepEqual(p.problems(), [], `no script errors, failed requests or dialogs (${who})`);
    for (const p of opened.values()) await p.context().close();
  });
  return async (as) => {
    if (!opened.has(as)) opened.set(as, await newPage(browser, { as, ...options }));
    return opened.get(as);
  };
}

describe('the alerts inbox', () => {
  const pageAs = pagesFor();
  let page; // the MASH worker's
  before(async () => { page = await pageAs('mash.worker'); });

  test('a referral with no decision raises an overdue alert, and the MASH sees it', async () => {
    const api = await onlyAlert(ottilieId);
    assert.equal(api.code, 'REFERRAL_DECISION_OVERDUE');
    assert.equal(api.due, referralDue);
    assert.equal(api.raised_on, addDays(referralDue, 1), 'raised the first day after the due date (docs/RULES.md)');
    assert.deepEqual(api.evidence, [ottilieReferral]);
    assert.deepEqual(api.owner, { kind: 'mash', name: 'mash' }, 'no one holds the case: the front door owns it');

    await goto(page, `${demo.url}/alerts`);
    await assertPhaseBanner(page);
    assert.equal(await textOf(page.locator('h1')), 'Alerts');
    assert.equal(await textOf(page.locator('.govuk-service-navigation__item--active')), 'Alerts');
    assert.equal(await page.getByLabel('Owner').inputValue(), 'mash', "a MASH worker's alerts are the MASH's");
    assert.match(await textOf(page.locator('#results')), / for the MASH$/);
    await page.getByLabel('Owner').fill('mash');
    await page.getByLabel('Show', { exact: true }).selectOption('open');
    await navigate(page, () => page.getByRole('button', { name: 'Show alerts' }).click(),
      (u) => u.pathname === '/alerts' && u.searchParams.get('owner') === 'mash' && u.searchParams.get('state') === 'open');
    await snap(page, 'alerts-01-inbox-mash');
    assert.equal(await page.getByLabel('Owner').inputValue(), 'mash', 'the filter stays filled in');
    const rows = await alertRows(page);
    const mine = rows.filter((r) => r.childHref === `/children/${ottilieId}`);
    assert.deepEqual(mine, [{
      id: String(api.id), href: `/alerts/${api.id}`, child: 'Ottilie Pemberton-Rhys', childHref: `/children/${ottilieId}`,
      title: 'Referral decision overdue',
      why: 'A decision on a referral is due within 1 working day of the referral being received (Working Together 2023), and none has been recorded.',
      next: 'Decide what happens next (no further action, early help, section 17 or section 47) and record the referral decision.',
      raised: longDate(api.raised_on),
      due: longDate(referralDue), overdue: true, owner: 'MASH', state: 'Open',
    }]);
    // The page lists what the API lists for the same filter, in the same order (most overdue first).
    const apiMash = await apiAlerts('owner=mash&state=open&limit=500');
    assert.ok(apiMash.length <= 200, 'under the ceiling here');
    assert.deepEqual(rows.map((r) => r.id), apiMash.map((a) => String(a.id)));
    assert.equal(await textOf(page.locator('#results')), `${rows.length} open alert${rows.length === 1 ? '' : 's'} for the MASH`);
    for (const r of rows) assert.equal(r.overdue, apiMash.find((a) => String(a.id) === r.id).overdue, `Overdue tag on ${r.id}`);
  });

  test("someone with no alerts: the page says so in words; others' alerts are not theirs to see", async () => {
    // Was a look at ?owner=nobody.here: anyone could list anyone's alerts. Now a person lists their own (and a
    // MASH worker the MASH's), so the person with no alerts signs in.
    const worker = await pageAs(WORKER);
    await goto(worker, `${demo.url}/alerts`);
    assert.equal(await worker.getByLabel('Owner').inputValue(), WORKER);
    assert.equal(await textOf(worker.locator('#results')), `0 open alerts for ${WORKER}`);
    assert.equal(await textOf(worker.locator('#alerts-empty')), `There are no open alerts for ${WORKER}.`);
    assert.equal(await worker.locator('#alerts-table').count(), 0);
    await goto(worker, `${demo.url}/alerts?state=resolved`);
    assert.equal(await textOf(worker.locator('#alerts-empty')), `There are no resolved alerts for ${WORKER}.`);
    assert.equal(await worker.locator('#state').inputValue(), 'resolved');
    for (const owner of ['mash', 'nobody.here', DEMO_WORKER]) {
      const res = await goto(worker, `${demo.url}/alerts?owner=${owner}`);
      assert.equal(res.status(), 403, `${WORKER} asking for ${owner}'s alerts`);
      assert.equal(await textOf(worker.locator('h1')), 'You cannot see these alerts');
      assert.equal(await worker.locator('#alerts-table').count(), 0, 'nothing listed');
      assert.equal(await worker.getByRole('link', { name: 'Go to your alerts' }).getAttribute('href'), '/alerts');
    }
  });

  test('an owner that cannot be one is refused with the error summary, the answer kept', async () => {
    const long = 'x'.repeat(65);
    const res = await goto(page, `${demo.url}/alerts?owner=${long}`);
    assert.equal(res.status(), 400);
    assert.match(await page.title(), /^Error: Alerts/);
    assert.deepEqual(await errorSummary(page), [{
      text: 'The owner must be a username or team code of 64 characters or fewer, on one line', href: '#owner',
    }]);
    assert.equal(await page.locator('#owner').inputValue(), long);
    assert.equal(await page.locator('#alerts-table').count(), 0, 'nothing listed');
  });

  test("the child's record lists the child's open alerts near the top", async () => {
    const api = await onlyAlert(caspianId);
    const page = await pageAs(DEMO_WORKER); // Caspian's and Ishbel's social worker
    await goto(page, `${demo.url}/children/${caspianId}`);
    const items = page.locator('.sg-alerts li');
    assert.equal(await items.count(), 1);
    assert.equal(await textOf(items), `Referral decision overdue, due ${longDate(referralDue)} Overdue Open`);
    assert.equal(await items.locator('a').getAttribute('href'), `/alerts/${api.id}`);
    assert.equal(await page.getByRole('button', { name: 'Record a visit' }).getAttribute('href'),
      `/children/${caspianId}/visits/new`);
    await goto(page, `${demo.url}/children/${ishbelId}`);
    assert.equal(await page.locator('.sg-alerts').count(), 0, 'no list for a child with no open alerts');
  });
});

describe('one alert: evidence, acknowledge, resolve', () => {
  const pageAs = pagesFor();
  let page; // the MASH worker's: the alerts are the MASH's
  let alertId;
  before(async () => {
    page = await pageAs('mash.worker');
    alertId = (await onlyAlert(ottilieId)).id;
  });

  test('the alert page, from the inbox', async () => {
    await goto(page, `${demo.url}/alerts?owner=mash`);
    await navigate(page, () => page.locator(`#alert-${alertId} a[href="/alerts/${alertId}"]`).click(),
      (u) => u.pathname === `/alerts/${alertId}`);
    await snap(page, 'alerts-02-alert');
    await assertPhaseBanner(page);
    assert.equal(await textOf(page.locator('h1')), 'Referral decision overdue');
    assert.equal(await textOf(page.locator('.govuk-caption-l')), 'Alert about Ottilie Pemberton-Rhys');
    assert.deepEqual(await summaryList(page), {
      Child: 'Ottilie Pemberton-Rhys',
      Alert: 'Referral decision overdue REFERRAL_DECISION_OVERDUE',
      Why: 'A decision on a referral is due within 1 working day of the referral being received (Working Together 2023), and none has been recorded.',
      'Next step': 'Decide what happens next (no further action, early help, section 17 or section 47) and record the referral decision.',
      Raised: longDate(addDays(referralDue, 1)),
      Due: `${longDate(referralDue)} Overdue`,
      Owner: 'MASH',
      State: 'Open',
      Acknowledged: 'Not yet',
      Resolved: 'Not yet',
      Escalated: 'Not escalated',
    });
    assert.equal(await page.getByRole('link', { name: 'Ottilie Pemberton-Rhys' }).getAttribute('href'), `/children/${ottilieId}`);
    assert.equal(await page.getByRole('button', { name: 'Acknowledge' }).count(), 1);
    assert.equal(await page.getByRole('button', { name: 'Resolve' }).count(), 1);
    assert.equal(await textOf(page.locator('#outcome-info')), 'You can enter up to 300 characters');
    // Who looked is on the audit, against the child the alert is about, with the basis (issue 15: every look has one).
    assert.equal(auditRows(demo.db, { action: 'alert.read', child: ottilieId })
      .filter((e) => [`alert ${alertId}; MASH triage`, `alert ${alertId}; alert owner`].includes(e.detail)).length, 1);
  });

  test("evidence links to the event's row in the chronology", async () => {
    await goto(page, `${demo.url}/alerts/${alertId}`);
    const links = page.locator('ul[aria-labelledby="evidence"] a');
    assert.equal(await links.count(), 1);
    assert.equal(await textOf(links), `${longDate(referralDay)}, Education: Referral`);
    assert.equal(await links.getAttribute('href'), `/children/${ottilieId}#event-${ottilieReferral}`);
    await navigate(page, () => links.click(), (u) => u.pathname === `/children/${ottilieId}` && u.hash === `#event-${ottilieReferral}`);
    const row = page.locator(`#event-${ottilieReferral}`);
    assert.ok(await row.isVisible(), 'the row is on the page the link opened');
    assert.match(await textOf(row), /Referral Ottilie disclosed being hit at home/);
  });

  test('evidence older than the first page of the record opens the page that holds it', async () => {
    const api = await onlyAlert(hollisId);
    assert.deepEqual(api.evidence, [hollisReferral]);
    await goto(page, `${demo.url}/alerts/${api.id}`);
    assert.equal(await textOf(page.locator('ul[aria-labelledby="evidence"] a')), `${longDate(referralDay)}, Education: Referral`);
    await navigate(page, () => page.locator('ul[aria-labelledby="evidence"] a').click(),
      (u) => u.pathname === `/children/${hollisId}` && u.searchParams.has('before') && u.hash === `#event-${hollisReferral}`);
    const rows = await chronologyRows(page);
    assert.equal(rows[0].id, `event-${hollisReferral}`, 'the page starts with the evidence');
    assert.match(rows[0].what, /^Referral Hollis arrived hungry and unwashed/);
  });

  test("an alert that is not yours: not shown, and its buttons change nothing", async () => {
    const worker = await pageAs(DEMO_WORKER); // not Ottilie's social worker (yet): the alert is the MASH's
    const res = await goto(worker, `${demo.url}/alerts/${alertId}`);
    assert.equal(res.status(), 403);
    assert.equal(await textOf(worker.locator('h1')), 'You cannot see this alert');
    assert.ok(!(await textOf(worker.locator('main'))).includes('Referral decision overdue'));
    const token = await csrfToken(worker);
    for (const [path, fields] of [[`/alerts/${alertId}/acknowledge`, {}], [`/alerts/${alertId}/resolve`, { outcome: 'Not mine' }]]) {
      const r = await postFromPage(worker, path, { csrf_token: token, ...fields });
      assert.equal(r.status, 403, path);
      assert.match(r.text, /You cannot change this alert/);
    }
    const api = await apiAlert(alertId);
    assert.deepEqual([api.state, api.acknowledged_by, api.resolved_by], ['open', null, null], 'nothing changed');
  });

  test('acknowledge: the state changes and the button goes', async () => {
    await goto(page, `${demo.url}/alerts/${alertId}`);
    await navigate(page, () => page.getByRole('button', { name: 'Acknowledge' }).click(),
      (u) => u.pathname === `/alerts/${alertId}` && u.searchParams.get('done') === 'acknowledged');
    await snap(page, 'alerts-03-acknowledged');
    assert.match(await textOf(page.locator('.govuk-notification-banner--success')), /Alert acknowledged/);
    const list = await summaryList(page);
    assert.equal(list.State, 'Acknowledged');
    // "By" names the person signed in (it was the one demo identity, demo-web).
    assert.match(list.Acknowledged, new RegExp(`^By mash\\.worker on ${longDate(today)} at \\d\\d:\\d\\d$`));
    assert.equal(list.Resolved, 'Not yet');
    assert.equal(await page.getByRole('button', { name: 'Acknowledge' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Resolve' }).count(), 1, 'it can still be resolved');
    const api = await apiAlert(alertId);
    assert.equal(api.state, 'acknowledged');
    assert.equal(api.acknowledged_by, 'mash.worker');
    // Acknowledged alerts are still open work: the inbox's default lists them, tagged.
    await goto(page, `${demo.url}/alerts?owner=mash`);
    assert.equal((await alertRows(page)).find((r) => r.id === String(alertId)).state, 'Acknowledged');
  });

  test('resolve: without an outcome, too long, then done', async () => {
    await goto(page, `${demo.url}/alerts/${alertId}`);
    await navigate(page, () => page.getByRole('button', { name: 'Resolve' }).click(),
      (u) => u.pathname === `/alerts/${alertId}/resolve`);
    await snap(page, 'alerts-04-resolve-empty');
    assert.match(await page.title(), /^Error: Referral decision overdue/);
    assert.deepEqual(await errorSummary(page), [{ text: 'Enter the outcome: what was done about the alert', href: '#outcome' }]);
    assert.equal(await textOf(page.locator('#outcome-error')), 'Error: Enter the outcome: what was done about the alert');
    assert.equal((await apiAlert(alertId)).state, 'acknowledged', 'nothing changed');

    const tooLong = `${'Decision made at the MASH meeting. '.repeat(9)}`.trim(); // 314 characters
    assert.ok(tooLong.length > 300);
    await page.getByLabel('Outcome').fill(tooLong);
    await navigate(page, () => page.getByRole('button', { name: 'Resolve' }).click(),
      (u) => u.pathname === `/alerts/${alertId}/resolve`);
    assert.deepEqual(await errorSummary(page),
      [{ text: 'The outcome must be 300 characters or fewer, without control characters', href: '#outcome' }]);
    assert.equal(await page.getByLabel('Outcome').inputValue(), tooLong, 'the answer is kept');

    const outcome = 'Referral accepted: strategy discussion held with police and school.';
    await page.getByLabel('Outcome').fill(outcome);
    await navigate(page, () => page.getByRole('button', { name: 'Resolve' }).click(),
      (u) => u.pathname === `/alerts/${alertId}` && u.searchParams.get('done') === 'resolved');
    await snap(page, 'alerts-05-resolved');
    assert.match(await textOf(page.locator('.govuk-notification-banner--success')), /Alert resolved/);
    const list = await summaryList(page);
    assert.equal(list.State, 'Resolved');
    assert.equal(list.Outcome, outcome);
    assert.match(list.Resolved, new RegExp(`^By mash\\.worker on ${longDate(today)} at \\d\\d:\\d\\d$`));
    assert.equal(list.Due, longDate(referralDue), 'a resolved alert is no longer overdue');
    assert.equal(await page.getByRole('button', { name: 'Resolve' }).count(), 0);
    assert.equal(await page.locator('#outcome').count(), 0);
    const api = await apiAlert(alertId);
    assert.deepEqual([api.state, api.resolved_by, api.outcome], ['resolved', 'mash.worker', outcome]);

    await goto(page, `${demo.url}/alerts?owner=mash`);
    assert.equal((await alertRows(page)).filter((r) => r.id === String(alertId)).length, 0, 'gone from the open alerts');
    await goto(page, `${demo.url}/alerts?owner=mash&state=resolved`);
    const row = (await alertRows(page)).find((r) => r.id === String(alertId));
    assert.deepEqual([row.state, row.overdue], ['Resolved', false]);
  });

  test('a form sent after someone else resolved it says so (409); another site cannot act (403)', async () => {
    const api = await onlyAlert(caspianId);
    // Caspian is demo.worker's, and so is his alert (alerts follow allocation, issue 15).
    const mine = await pageAs(DEMO_WORKER);
    await goto(mine, `${demo.url}/alerts/${api.id}`);
    const r = await request(`${demo.url}/api/v1/alerts/${api.id}/resolve`, {
      method: 'POST', token: demo.tokens.social_care, headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ outcome: 'Closed by the case system', by: 'j.bloggs' }),
    });
    assert.equal(r.status, 200, r.text);
    await mine.getByLabel('Outcome').fill('Visited; all well');
    await navigate(mine, () => mine.getByRole('button', { name: 'Resolve' }).click(),
      (u) => u.pathname === `/alerts/${api.id}/resolve`);
    assert.equal(await textOf(mine.locator('h1')), 'This alert is already resolved');
    assert.match(await textOf(mine.locator('main')), /Someone resolved it before your outcome was saved/);
    await navigate(mine, () => mine.getByRole('link', { name: 'Open the alert' }).click(), (u) => u.pathname === `/alerts/${api.id}`);
    const list = await summaryList(mine);
    // The system's word for who acted, shown as its own (never taken for a person who signs in here).
    assert.deepEqual([list.Outcome, list.Resolved.startsWith('By j.bloggs via social_care system on ')], ['Closed by the case system', true]);

    // The same forms sent again from this person's browser (its session and the form's token).
    const token = await csrfToken(mine);
    const conflict = await postFromPage(mine, `/alerts/${api.id}/resolve`, { csrf_token: token, outcome: 'again' });
    assert.equal(conflict.status, 409);
    const acked = await postFromPage(mine, `/alerts/${api.id}/acknowledge`, { csrf_token: token });
    assert.equal(acked.status, 409);
    assert.match(acked.text, /This alert is no longer open/);

    // Another site: refused even with the session and the right token, and without the token from here too.
    const open = (await apiAlerts('owner=mash&state=open')).find((a) => a.state === 'open');
    const forged = await postFromPage(page, `/alerts/${open.id}/acknowledge`, { csrf_token: await csrfToken(page) },
      { origin: 'http://evil.example' });
    assert.equal(forged.status, 403);
    const tokenless = await postFromPage(page, `/alerts/${open.id}/acknowledge`, {});
    assert.equal(tokenless.status, 403);
    assert.match(tokenless.text, /The form could not be sent/);
    assert.equal((await apiAlert(open.id)).state, 'open', 'the forged forms changed nothing');
  });

  // Was a 404 "Alert not found", its attempt audited on no child. Now an alert that does not exist is answered
  // as one that is not yours (403, the same page), so an id does not say whether an alert exists; the refusal is
  // not audited (reported: the old audit of the attempt is gone).
  test('an alert that does not exist: the same answer as an alert that is not yours', async () => {
    const res = await goto(page, `${demo.url}/alerts/987654`);
    assert.equal(res.status(), 403);
    assert.equal(await textOf(page.locator('h1')), 'You cannot see this alert');
    assert.equal(await page.getByRole('link', { name: 'Go to your alerts' }).getAttribute('href'), '/alerts');
    const r = await postFromPage(page, '/alerts/987654/acknowledge', { csrf_token: await csrfToken(page) });
    assert.equal(r.status, 403);
    assert.match(r.text, /You cannot change this alert/);
  });
});

describe('the MASH queue', () => {
  const pageAs = pagesFor();
  let page;
  before(async () => { page = await pageAs('mash.worker'); });

  test("a fresh contact is due the next working day; yesterday's is due today", async () => {
    const aMinuteAgo = new Date(now() - 60000);
    const fresh = await addEvent(demo, 'police', {
      kind: 'contact', occurred_at: isoSeconds(+aMinuteAgo), summary: 'Call from a neighbour',
      subject: { given_name: 'Rafferty', family_name: 'Quillinan', dob: '2019-03-14', nhs_number: nhs.next().value },
    });
    const yesterday = addDays(today, -1);
    const wren = { given_name: 'Wren', family_name: 'Abernethy-Cole', dob: '2024-02-01', nhs_number: nhs.next().value };
    const older = await addEvent(demo, 'health', {
      kind: 'contact', occurred_at: `${yesterday}T12:00:00Z`, summary: 'Health visitor worried', subject: wren,
    });

    await goto(page, `${demo.url}/`);
    await navigate(page, () => page.getByRole('link', { name: 'MASH queue' }).click(), (u) => u.pathname === '/mash');
    await snap(page, 'alerts-06-mash');
    assert.equal(await textOf(page.locator('h1')), 'MASH queue');
    const n = Number(/^(\d+) contacts and referrals await a decision$/.exec(await textOf(page.locator('#results')))?.[1]);
    assert.ok(n > 2);
    assert.equal(await page.locator('#mash-table tbody tr').count(), Math.min(n, 25), '25 a page');

    const cells = async (id) => (await page.locator(`#mash-${id} td`).allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    await goto(page, `${demo.url}/mash?name=Quillinan`);
    const freshDay = ukToday(aMinuteAgo);
    const freshDue = addWorkingDays(freshDay, 1);
    assert.deepEqual(await cells(fresh.id),
      ['Rafferty Quillinan', `${longDate(freshDay)} ${ukTime(aMinuteAgo)}`, 'Contact', 'Police', longDate(freshDue)]);
    const olderDue = addWorkingDays(yesterday, 1);
    const tag = olderDue < today ? ' Overdue' : olderDue === today ? ' Due today' : '';
    if (isWorkingDay(today)) assert.equal(tag, ' Due today', 'received on the working day before today');
    await goto(page, `${demo.url}/mash?name=Abernethy`);
    assert.deepEqual(await cells(older.id), ['Wren Abernethy-Cole', `${longDate(yesterday)} ${ukTime(new Date(`${yesterday}T12:00:00Z`))}`,
      'Contact', 'Health', `${longDate(olderDue)}${tag}`]);
    // What arrived opens on its own page, to decide.
    await goto(page, `${demo.url}/mash?name=Quillinan`);
    await navigate(page, () => page.locator(`#mash-${fresh.id} a`).click(), (u) => u.pathname === `/mash/${fresh.id}`);
    assert.match(await textOf(page.locator('#mash-item')), /Call from a neighbour/);
    // Most overdue first: yesterday's contact comes before today's, page after page.
    const order = [];
    for (let p = 1; p <= Math.ceil(n / 25); p++) {
      await goto(page, `${demo.url}/mash?page=${p}`);
      order.push(...await page.locator('#mash-table tbody tr').evaluateAll((trs) => trs.map((tr) => tr.id)));
    }
    assert.equal(order.length, n);
    assert.ok(order.indexOf(`mash-${older.id}`) < order.indexOf(`mash-${fresh.id}`), "yesterday's contact comes before today's");
    // A decision takes the referral off the queue.
    await addEvent(demo, 'social_care', {
      kind: 'referral_decision', occurred_at: isoSeconds(), summary: 'No further action',
      subject: wren, details: { outcome: 'nfa' },
    });
    await goto(page, `${demo.url}/mash?name=Abernethy`);
    assert.equal(await page.locator(`#mash-${older.id}`).count(), 0, 'decided: off the queue');
    await goto(page, `${demo.url}/mash?name=Quillinan`);
    assert.equal(await page.locator(`#mash-${fresh.id}`).count(), 1);
    await goto(page, `${demo.url}/mash`);
    assert.equal(await textOf(page.locator('#results')), `${n - 1} contacts and referrals await a decision`);
  });
});

describe('record a visit', () => {
  const pageAs = pagesFor();
  let page; // the social worker Ishbel and Caspian are allocated to
  before(async () => { page = await pageAs(DEMO_WORKER); });

  const visitDay = addDays(today, -2);
  const [vy, vm, vd] = visitDay.split('-').map(Number);

  test("the form, from the record, shows the child's communication needs by the question about views", async () => {
    await goto(page, `${demo.url}/children/${ishbelId}`);
    await navigate(page, () => page.getByRole('button', { name: 'Record a visit' }).click(),
      (u) => u.pathname === `/children/${ishbelId}/visits/new`);
    await snap(page, 'alerts-07-visit-form');
    assert.equal(await textOf(page.locator('h1')), 'Record a visit');
    assert.equal(await textOf(page.locator('.govuk-caption-l')), 'Ishbel Marchetti');
    assert.equal(await textOf(page.locator('.govuk-inset-text')), 'Ishbel’s communication needs: Non-verbal; uses BSL and Makaton');
    const described = await page.locator('#views_method').getAttribute('aria-describedby');
    assert.ok(described.split(' ').includes('views_method-needs'), 'the needs are read out with the field');
  });

  test('no answers: each required one is listed, "Was the child seen?" among them', async () => {
    await goto(page, `${demo.url}/children/${ishbelId}/visits/new`);
    await navigate(page, () => page.getByRole('button', { name: 'Save visit' }).click(),
      (u) => u.pathname === `/children/${ishbelId}/visits`);
    await snap(page, 'alerts-08-visit-errors');
    assert.match(await page.title(), /^Error: Record a visit/);
    assert.deepEqual(await errorSummary(page), [
      { text: 'Select what kind of visit it was', href: '#visit_type' },
      { text: 'Enter the date of the visit', href: '#visit-day' },
      { text: 'Select yes if the child was seen', href: '#seen' },
      { text: 'Enter how the child’s views and feelings were gathered, or what they said in their own words', href: '#views_method' },
      { text: 'Enter your note of the visit', href: '#summary' },
    ]);
    assert.equal(await textOf(page.locator('#seen-error')), 'Error: Select yes if the child was seen');
    assert.equal(await textOf(page.locator('.govuk-inset-text')), 'Ishbel’s communication needs: Non-verbal; uses BSL and Makaton');
  });

  test('seen, but not whether alone: asked; then saved, and in the chronology', async () => {
    const count0 = (await apiChronology(demo, ishbelId)).length;
    await goto(page, `${demo.url}/children/${ishbelId}/visits/new`);
    const method = 'Used BSL with an interpreter; Ishbel chose the happy and safe symbols';
    await fillVisit(page, { day: String(vd), month: String(vm), year: String(vy), time: '10:30', seen: 'Yes', method,
      summary: 'Home visit. Ishbel showed me her room.' });
    await navigate(page, () => page.getByRole('button', { name: 'Save visit' }).click(),
      (u) => u.pathname === `/children/${ishbelId}/visits`);
    assert.deepEqual(await errorSummary(page), [{ text: 'Select yes if the child was seen alone', href: '#seen_alone' }]);
    assert.ok(await page.locator('#seen').isChecked(), 'the answers are kept');
    assert.ok(await page.locator('#seen_alone').isVisible(), 'the question is shown');
    assert.equal(await page.locator('#views_method').inputValue(), method);
    assert.equal(await page.locator('#visit-day').inputValue(), String(vd));
    assert.equal((await apiChronology(demo, ishbelId)).length, count0, 'nothing saved');

    await fillVisit(page, { alone: 'Yes', words: 'Signed: school good, home good' });
    await navigate(page, () => page.getByRole('button', { name: 'Save visit' }).click(),
      (u) => u.pathname === `/children/${ishbelId}` && u.searchParams.get('recorded') === 'visit');
    await snap(page, 'alerts-09-visit-saved');
    assert.match(await textOf(page.locator('.govuk-notification-banner--success')), /^Success Visit recorded/);
    const saved = (await apiChronology(demo, ishbelId))[0];
    assert.equal(saved.kind, 'visit');
    assert.equal(saved.agency, 'social_care');
    const { recorded_by: by, ...answers } = saved.details;
    assert.equal(by, DEMO_WORKER, 'the recorder is kept with the visit (issue 15)');
    assert.deepEqual(answers, { seen: true, seen_alone: true, childs_words: 'Signed: school good, home good', views_method: method,
      visit_type: 'statutory_lac' });
    assert.equal(new URL(page.url()).hash, `#event-${saved.id}`);
    const top = (await chronologyRows(page))[0];
    assert.equal(top.id, `event-${saved.id}`);
    assert.equal(top.when, `${longDate(visitDay)} 10:30`);
    assert.equal(top.agency, "Children's social care");
    assert.equal(top.what, 'Visit to the child Home visit. Ishbel showed me her room. The child was seen, and seen alone. '
      + `The child said: “Signed: school good, home good” How their views were gathered: ${method}`);
  });

  test('a child with no communication needs: not seen, and the views question is optional', async () => {
    await goto(page, `${demo.url}/children/${caspianId}/visits/new`);
    assert.equal(await page.locator('.govuk-inset-text').count(), 0);
    await fillVisit(page, { day: String(vd), month: String(vm), year: String(vy), seen: 'No', summary: 'No answer at the door.' });
    await navigate(page, () => page.getByRole('button', { name: 'Save visit' }).click(),
      (u) => u.searchParams.get('recorded') === 'visit');
    const saved = (await apiChronology(demo, caspianId))[0];
    const { recorded_by: by, ...answers } = saved.details;
    assert.equal(by, DEMO_WORKER);
    assert.deepEqual(answers, { seen: false, visit_type: 'statutory_lac', time_recorded: false },
      'seen alone is left out when the child was not seen; no time given is kept as such (issue 15)');
    assert.match((await chronologyRows(page))[0].what, /No answer at the door\. The child was not seen\.$/);
  });

  test('a visit in the future is refused', async () => {
    const [fy, fm, fd] = addDays(today, 3).split('-');
    await goto(page, `${demo.url}/children/${caspianId}/visits/new`);
    await fillVisit(page, { day: fd, month: fm, year: fy, seen: 'No', summary: 'Planned' });
    await navigate(page, () => page.getByRole('button', { name: 'Save visit' }).click(),
      (u) => u.pathname === `/children/${caspianId}/visits`);
    assert.deepEqual(await errorSummary(page), [{ text: 'The date of the visit must be today or in the past', href: '#visit-day' }]);
  });
});

describe('my caseload', () => {
  const pageAs = pagesFor();
  let worker; // t.okafor's
  let manager; // m.adeyemi's, the manager of t.okafor's team
  before(async () => {
    worker = await pageAs(WORKER);
    manager = await pageAs(TEAM.manager);
  });

  // Was: the page asked whose caseload to show (an empty answer was an error). Now it shows the signed-in
  // person's own; only a team manager may ask for someone else's (and must then say whose).
  test("the menu opens one's own caseload; another's is for team managers, who must say whose", async () => {
    await goto(worker, `${demo.url}/`);
    await navigate(worker, () => worker.getByRole('link', { name: 'My caseload' }).click(), (u) => u.pathname === '/caseload');
    assert.equal(await textOf(worker.locator('h1')), 'My caseload');
    assert.equal(await worker.getByLabel('Your username').inputValue(), WORKER);
    assert.equal(await textOf(worker.locator('#results')), `0 children allocated to ${WORKER}`);
    assert.equal(await worker.locator('#caseload-table').count(), 0);
    const res = await goto(worker, `${demo.url}/caseload?worker=${DEMO_WORKER}`);
    assert.equal(res.status(), 403);
    assert.equal(await textOf(worker.locator('h1')), 'You cannot see this caseload');
    assert.equal(await worker.locator('#caseload-table').count(), 0, 'nothing listed');

    await goto(manager, `${demo.url}/caseload`);
    await manager.getByLabel('Your username').fill('');
    await navigate(manager, () => manager.getByRole('button', { name: 'Show caseload' }).click(),
      (u) => u.pathname === '/caseload' && u.searchParams.get('worker') === '');
    assert.deepEqual(await errorSummary(manager), [{ text: 'Enter your username', href: '#worker' }]);
  });

  test('a child allocated with the CLI is listed with its open alerts and the earliest due date', async () => {
    assert.equal(demoCli(demo, ['team', 'add', '--code', TEAM.code, '--name', TEAM.name, '--manager', TEAM.manager]), '');
    assert.equal(demoCli(demo, ['allocate', '--child', String(hollisId), '--worker', WORKER, '--team', TEAM.code]), '');
    assert.equal(demoCli(demo, ['allocate', '--child', String(ishbelId), '--worker', WORKER, '--team', TEAM.code]), '');
    const open = await apiAlerts(`child=${hollisId}&state=open`);
    assert.equal(open.length, 1, 'the referral decision is still overdue');

    const expected = [ // by family name
      ['Ishbel Marchetti', '27 January 2014', TEAM.code, '0', 'None'],
      ['Hollis Vantongeren', '5 December 2011', TEAM.code, '1', `${longDate(referralDue)} Overdue`],
    ];
    const caseloadRows = async (p) => {
      const rows = [];
      for (const row of await p.locator('#caseload-table tbody tr').all()) {
        rows.push((await row.locator('td').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()));
      }
      return rows;
    };
    // The worker's own, from the menu.
    await goto(worker, `${demo.url}/caseload`);
    await snap(worker, 'alerts-10-caseload');
    assert.equal(await textOf(worker.locator('#results')), `2 children allocated to ${WORKER}`);
    assert.deepEqual(await caseloadRows(worker), expected);
    assert.equal(await worker.getByRole('link', { name: 'Hollis Vantongeren' }).getAttribute('href'), `/children/${hollisId}`);
    assert.equal(await worker.getByRole('link', { name: `Every open alert owned by ${WORKER}` }).getAttribute('href'),
      `/alerts?owner=${WORKER}`);
    // The team's manager, asking for it by name.
    await goto(manager, `${demo.url}/caseload`);
    await manager.getByLabel('Your username').fill(WORKER);
    await navigate(manager, () => manager.getByRole('button', { name: 'Show caseload' }).click(),
      (u) => u.searchParams.get('worker') === WORKER);
    assert.equal(await textOf(manager.locator('#results')), `2 children allocated to ${WORKER} in the teams you manage`);
    assert.deepEqual(await caseloadRows(manager), expected);
  });

  test('a worker with no children: said in words', async () => {
    await goto(manager, `${demo.url}/caseload?worker=nobody.here`);
    assert.equal(await textOf(manager.locator('#results')), '0 children allocated to nobody.here in the teams you manage');
    assert.equal(await textOf(manager.locator('#caseload-empty')), 'No children are allocated to nobody.here in the teams you manage.');
  });

  test("the sweep escalates an alert nobody acknowledged to the team's manager", async () => {
    const alert = (await apiAlerts(`child=${hollisId}&state=open`))[0];
    assert.equal(alert.escalated_to, null);
    const out = demoCli(demo, ['sweep', '--today', addWorkingDays(today, 2)]);
    assert.match(out, /escalated/);
    const after = await apiAlert(alert.id);
    assert.equal(after.escalated_to, TEAM.manager);

    await goto(manager, `${demo.url}/alerts`); // the manager's own: what was escalated to them
    const row = (await alertRows(manager)).find((r) => r.id === String(alert.id));
    // Hollis was allocated to WORKER, and his open alert followed (issue 15).
    assert.equal(row.owner, `${WORKER} Escalated to ${TEAM.manager}`, 'the owner, and who it went to');
    await goto(manager, `${demo.url}/alerts/${alert.id}`);
    assert.match((await summaryList(manager)).Escalated, new RegExp(`^To ${TEAM.manager} on ${longDate(today)} at \\d\\d:\\d\\d$`));
  });
});

describe('no axe violations on the new pages', () => {
  const pageAs = pagesFor();

  const pages = [
    ['the inbox', 'mash.worker', '/alerts', 200],
    ['the inbox, resolved alerts', 'mash.worker', '/alerts?state=resolved', 200],
    ['the inbox, empty', EMPTY, '/alerts', 200],
    ['the inbox with an error', 'mash.worker', `/alerts?owner=${'y'.repeat(70)}`, 400],
    ["someone else's alerts (refused)", WORKER, '/alerts?owner=mash', 403],
    ['the MASH queue', 'mash.worker', '/mash', 200],
    ['a page the role does not include', WORKER, '/mash', 403],
    ['my caseload', WORKER, '/caseload', 200],
    ["a worker's caseload, for their manager", TEAM.manager, `/caseload?worker=${WORKER}`, 200],
    ['a caseload with an error', TEAM.manager, '/caseload?worker=', 400],
    ["someone else's caseload (refused)", WORKER, `/caseload?worker=${TEAM.manager}`, 403],
    ['an alert that does not exist', 'mash.worker', '/alerts/987654', 403],
  ];
  for (const [label, as, path, status] of pages) {
    test(`${label} (as ${as})`, async () => {
      const page = await pageAs(as);
      const res = await goto(page, `${demo.url}${path}`);
      assert.equal(res.status(), status);
      if (label.endsWith(', empty')) assert.equal(await page.locator('#alerts-empty').count(), 1, 'the empty state is what is checked');
      await assertPhaseBanner(page);
      await assertAccessible(page, label);
    });
  }

  test('an open alert, its resolve form with an error, and resolved', async () => {
    const open = (await apiAlerts(`child=${hollisId}&state=open`))[0];
    assert.equal(open.escalated_to, TEAM.manager);
    const page = await pageAs(TEAM.manager);
    await goto(page, `${demo.url}/alerts/${open.id}`);
    await assertAccessible(page, 'an open alert');
    await navigate(page, () => page.getByRole('button', { name: 'Resolve' }).click(), (u) => u.pathname.endsWith('/resolve'));
    assert.equal((await errorSummary(page)).length, 1);
    await assertAccessible(page, 'the resolve form with an error');
    const done = (await apiAlerts(`child=${ottilieId}&state=resolved`))[0];
    const mash = await pageAs('mash.worker');
    await goto(mash, `${demo.url}/alerts/${done.id}?done=resolved`);
    assert.equal(await mash.locator('.govuk-notification-banner--success').count(), 1);
    await assertAccessible(mash, 'a resolved alert with the banner');
  });

  test('the visit form, with errors, and the record after a visit with its alerts', async () => {
    const page = await pageAs(WORKER); // Ishbel and Hollis are now allocated to t.okafor
    await goto(page, `${demo.url}/children/${ishbelId}/visits/new`);
    await assertAccessible(page, 'the visit form');
    await fillVisit(page, { seen: 'Yes' });
    await navigate(page, () => page.getByRole('button', { name: 'Save visit' }).click(), (u) => u.pathname.endsWith('/visits'));
    assert.ok((await errorSummary(page)).length >= 3);
    await assertAccessible(page, 'the visit form with errors');
    await goto(page, `${demo.url}/children/${hollisId}?recorded=visit`);
    assert.equal(await page.locator('.sg-alerts li').count(), 1);
    await assertAccessible(page, 'a record with alerts and the visit banner');
  });
});

describe('JavaScript off', () => {
  const pageAs = pagesFor({ javaScriptEnabled: false });

  test('inbox filter, acknowledge and resolve', async () => {
    const page = await pageAs(TEAM.manager); // the alert was escalated to them
    await goto(page, `${demo.url}/alerts`);
    assert.equal(await page.locator('body.govuk-frontend-supported').count(), 0, 'no script ran');
    await page.getByLabel('Owner').fill(TEAM.manager);
    await navigate(page, () => page.getByRole('button', { name: 'Show alerts' }).click(),
      (u) => u.searchParams.get('owner') === TEAM.manager);
    const rows = await alertRows(page);
    assert.ok(rows.length >= 1, 'the escalated alert');
    const id = rows.find((r) => r.childHref === `/children/${hollisId}`).id;
    await navigate(page, () => page.locator(`#alert-${id} a[href="/alerts/${id}"]`).click(), (u) => u.pathname === `/alerts/${id}`);
    await navigate(page, () => page.getByRole('button', { name: 'Acknowledge' }).click(),
      (u) => u.searchParams.get('done') === 'acknowledged');
    await snap(page, 'alerts-11-nojs-acknowledged');
    const list = await summaryList(page);
    assert.equal(list.State, 'Acknowledged');
    assert.ok(list.Acknowledged.startsWith(`By ${TEAM.manager} on `), list.Acknowledged);
    await navigate(page, () => page.getByRole('button', { name: 'Resolve' }).click(), (u) => u.pathname.endsWith('/resolve'));
    assert.deepEqual(await errorSummary(page), [{ text: 'Enter the outcome: what was done about the alert', href: '#outcome' }]);
    await page.getByLabel('Outcome').fill('Decision recorded in the case system');
    await navigate(page, () => page.getByRole('button', { name: 'Resolve' }).click(), (u) => u.searchParams.get('done') === 'resolved');
    assert.equal((await summaryList(page)).Outcome, 'Decision recorded in the case system');
    const api = await apiAlert(id);
    assert.deepEqual([api.state, api.acknowledged_by, api.resolved_by], ['resolved', TEAM.manager, TEAM.manager]);
  });

  test('the visit form: the seen-alone question is there without script', async () => {
    allocateChild(demo, ottilieId, DEMO_WORKER); // her alert was resolved by the MASH: nothing moves
    const page = await pageAs(DEMO_WORKER); // Ottilie's social worker
    await goto(page, `${demo.url}/children/${ottilieId}/visits/new`);
    assert.ok(await page.locator('#seen_alone').isVisible(), 'the nested question shows without script');
    const day = addDays(today, -1).split('-');
    await fillVisit(page, { day: day[2], month: day[1], year: day[0], seen: 'Yes', alone: 'No', words: 'I want to stay with Nan',
      summary: 'Seen with her mother present.' });
    await navigate(page, () => page.getByRole('button', { name: 'Save visit' }).click(), (u) => u.searchParams.get('recorded') === 'visit');
    await snap(page, 'alerts-12-nojs-visit');
    const saved = (await apiChronology(demo, ottilieId))[0];
    assert.deepEqual(saved.details, { seen: true, seen_alone: false, childs_words: 'I want to stay with Nan',
      visit_type: 'statutory_lac', time_recorded: false, recorded_by: DEMO_WORKER });
    assert.match((await chronologyRows(page))[0].what, /The child was seen, not alone\. The child said: “I want to stay with Nan”$/);
  });

  test('the MASH queue and a caseload', async () => {
    const mash = await pageAs('mash.worker');
    await goto(mash, `${demo.url}/mash`);
    assert.ok(await mash.locator('#mash-table tbody tr').count() > 0);
    const manager = await pageAs(TEAM.manager);
    await goto(manager, `${demo.url}/caseload`);
    await manager.getByLabel('Your username').fill(WORKER);
    await navigate(manager, () => manager.getByRole('button', { name: 'Show caseload' }).click(), (u) => u.searchParams.get('worker') === WORKER);
    assert.equal(await manager.locator('#caseload-table tbody tr').count(), 2);
    const worker = await pageAs(WORKER);
    await goto(worker, `${demo.url}/caseload`);
    assert.equal(await worker.locator('#caseload-table tbody tr').count(), 2, 'their own, without asking');
  });
});

describe('the ceiling', () => {
  const pageAs = pagesFor();
  let page;
  before(async () => { page = await pageAs('mash.worker'); });

  test('past 200 alerts the inbox says there are more; the MASH queue says how many it shows', async () => {
    const letters = (n) => 'Abcdefghij'[Math.floor(n / 100)] + 'abcdefghij'[Math.floor(n / 10) % 10] + 'abcdefghij'[n % 10];
    for (let batch = 0; batch < 210; batch += 30) {
      await Promise.all(Array.from({ length: Math.min(30, 210 - batch) }, (_, k) => addEvent(demo, 'police', {
        ...referral(`Bulk referral ${batch + k}`),
        subject: { given_name: 'Capped', family_name: `Child${letters(batch + k)}`, dob: '2015-05-05' },
      })));
    }
    const total = (await apiAlerts('owner=mash&state=open&limit=500')).length;
    assert.ok(total > 200, `${total} open alerts for the MASH`);
    await goto(page, `${demo.url}/alerts?owner=mash`);
    assert.equal((await alertRows(page)).length, 200);
    assert.equal(await textOf(page.locator('#results')), 'More than 200 open alerts for the MASH');
    assert.match(await textOf(page.locator('main')), /Only the 200 most overdue are shown\. Choose an owner to see fewer\./);

    await goto(page, `${demo.url}/mash`);
    assert.equal(await page.locator('#mash-table tbody tr').count(), 25);
    const m = /^(\d+) contacts and referrals await a decision$/.exec(await textOf(page.locator('#results')));
    assert.ok(m && Number(m[1]) > 200, 'the total counts them all');
    assert.equal(await textOf(page.locator('#mash-shown')), `Showing 1 to 25 of ${m[1]}, most overdue first.`);
  });
});
