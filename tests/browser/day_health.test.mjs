// A clinician's day in unscheduled care (issue 15): a child arrives at A&E; the clinician looks the child up by
// NHS number (typed as the NHS prints it, with spaces; a mistyped digit is caught by the check digit) and gets
// one screen: flagged or not, what (child protection plan, looked after), since when, and whom to call in
// office hours and out of hours. No record. The allocated worker is told of the look-up. axe on every page;
// the answer also with JavaScript off at 375 px.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  addDays, assertAccessible, errorSummary, goto, longDate, makeChild, navigate, newPage, nhsNumbers, snap, spacedNhs,
  startDemoAndBrowser, textOf, ukToday, WORKER,
} from './lib.mjs';
import { alertRows } from '../e2e/lib.mjs';

let demo;
let browser;
const HEALTH = 'demo.health';
const today = ukToday();
const planDay = addDays(today, -40);
const nhs = nhsNumbers(943476700);
const ravi = {
  given_name: 'Ravi', family_name: 'Ashworth-Lee', dob: '2015-08-14', sex: 'M', postcode: 'LS9 8AB',
  address: '22 Osmondthorpe Lane', nhs_number: nhs.next().value,
};
const other = nhs.next().value; // a number no child holds
let raviId;

before(async () => {
  ({ demo, browser } = await startDemoAndBrowser());
  raviId = await makeChild(demo, ravi, [
    { agency: 'social_care', kind: 'cp_plan_start', occurred_at: `${planDay}T11:00:00Z`, summary: 'Plan made at the ICPC',
      details: { category: 'physical' } },
  ]); // allocated to demo.worker in the demo's team north, whose numbers the demo area holds
});

after(async () => {
  await browser?.close();
  await demo?.stop();
});

// The answer screen, read as the clinician reads it.
async function answer(page) {
  return {
    h1: await textOf(page.locator('h1')),
    card: await textOf(page.locator('#flag-card')),
    inHours: await textOf(page.locator('#flag-in-hours dd')),
    outOfHours: await textOf(page.locator('#flag-out-of-hours dd')),
  };
}

describe('A&E: the flag look-up', () => {
  test('from the menu, a mistyped number is caught, the spaced one answers on one screen', async () => {
    const page = await newPage(browser, { as: HEALTH });
    await goto(page, `${demo.url}/`);
    await navigate(page, () => page.getByRole('link', { name: 'Flag look-up' }).click(), (u) => u.pathname === '/flag');
    assert.equal(await textOf(page.locator('h1')), 'Flag look-up for unscheduled care');
    await assertAccessible(page, 'the flag look-up form');
    // One digit wrong: the check digit catches it, and nothing is looked up.
    const wrong = `${ravi.nhs_number.slice(0, 9)}${(Number(ravi.nhs_number[9]) + 1) % 10}`;
    const flagAlerts = () => alertRows(demo.db, { child: raviId, code: 'FLAG_LOOKUP' });
    const alerts = () => flagAlerts().length;
    await page.getByLabel('NHS number').fill(spacedNhs(wrong));
    await navigate(page, () => page.getByRole('button', { name: 'Look up' }).click(), (u) => u.pathname === '/flag');
    const errors = await errorSummary(page);
    assert.equal(errors.length, 1);
    assert.equal(errors[0].href, '#nhs_number');
    assert.match(errors[0].text, /check each digit/);
    await assertAccessible(page, 'the flag look-up with an error');
    assert.equal(alerts(), 0);

    await page.getByLabel('NHS number').fill(spacedNhs(ravi.nhs_number));
    await navigate(page, () => page.getByRole('button', { name: 'Look up' }).click(), (u) => u.searchParams.has('nhs_number'));
    await snap(page, 'day-health-01-flagged');
    const a = await answer(page);
    assert.equal(a.h1, "Flagged: call children's social care");
    assert.match(a.card, /^Ravi Ashworth-Lee, born 14 August 2015/);
    assert.match(a.card, new RegExp(`Child protection plan Since ${longDate(planDay)} \\(physical abuse\\)`));
    assert.equal(a.inHours, `Social worker ${WORKER}, Family Support North: 0113 496 0200 Email: north.team@demo.safeguard.invalid`);
    assert.equal(a.outOfHours, '0113 496 0999');
    assert.equal(await page.locator(`a[href^="/children/"]`).count(), 0, 'no way into the record from the answer');
    assert.equal(await page.locator('#chronology').count(), 0);
    await assertAccessible(page, 'the flag answer');
    // Told to the allocated worker: an alert in their inbox, owned by them.
    assert.equal(alerts(), 1);
    assert.deepEqual(flagAlerts().map((x) => `${x.owner_kind}:${x.owner}`), [`worker:${WORKER}`]);
    assert.deepEqual(page.problems(), []);
    await page.context().close();
  });

  test('no flag: the same answer for an unflagged child and for a number nobody holds', async () => {
    const page = await newPage(browser, { as: HEALTH });
    await goto(page, `${demo.url}/flag?nhs_number=${other}`);
    assert.equal(await textOf(page.locator('h1')), 'No flag for this NHS number');
    await assertAccessible(page, 'the no-flag answer');
    await page.context().close();
  });

  test('without JavaScript, at 375 px: the same one screen, nothing wider than the phone', async () => {
    const page = await newPage(browser, { as: HEALTH, javaScriptEnabled: false, viewport: { width: 375, height: 740 } });
    await goto(page, `${demo.url}/flag`);
    await page.getByLabel('NHS number').fill(spacedNhs(ravi.nhs_number));
    await navigate(page, () => page.getByRole('button', { name: 'Look up' }).click(), (u) => u.searchParams.has('nhs_number'));
    await snap(page, 'day-health-02-flagged-375-nojs');
    const a = await answer(page);
    assert.equal(a.h1, "Flagged: call children's social care");
    assert.equal(a.outOfHours, '0113 496 0999');
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 375, `the page is ${wide} px wide at 375`);
    assert.equal(await page.locator('body.govuk-frontend-supported').count(), 0, 'no script ran');
    assert.deepEqual(page.problems(), []);
    await page.context().close();
    // axe runs in the page (it needs script): the same answer at 375 px, checked with script on.
    const narrow = await newPage(browser, { as: HEALTH, viewport: { width: 375, height: 740 } });
    await goto(narrow, `${demo.url}/flag?nhs_number=${ravi.nhs_number}`);
    assert.equal(await textOf(narrow.locator('h1')), "Flagged: call children's social care");
    await assertAccessible(narrow, 'the flag answer at 375 px');
    await narrow.context().close();
  });
});

// r-ntk27: health's safeguarding lead (the demo names demo.health the manager of health_safeguarding) reviews
// health's own emergency openings, as the DPO reviews the rest: from the menu, a table with who, when, the child and
// the reason given. Here the lead opens Ravi's record (allocated to social care, so refused to health first), then
// finds the opening on the list.
describe("health's safeguarding lead: health's emergency openings", () => {
  test('from the menu, the opening with its reason; axe', async () => {
    const page = await newPage(browser, { as: HEALTH });
    const reason = 'NTK27 he came to A&E hurt and said he was afraid to go home';
    const res = await goto(page, `${demo.url}/children/${raviId}`);
    assert.equal(res.status(), 403);
    await navigate(page, () => page.getByRole('link', { name: 'Open the record in an emergency' }).click(),
      (u) => u.pathname === `/children/${raviId}/break-glass`);
    await navigate(page, () => page.getByRole('button', { name: 'Continue' }).click(),
      (u) => u.pathname === `/children/${raviId}/break-glass`);
    await page.getByLabel('Why is this an emergency?').fill(reason);
    await navigate(page, () => page.getByRole('button', { name: 'Open the record' }).click(),
      (u) => u.pathname === `/children/${raviId}`);
    await navigate(page, () => page.getByRole('link', { name: 'Emergency openings' }).click(),
      (u) => u.pathname === '/health/break-glass');
    assert.equal(await textOf(page.locator('h1')), "Health's emergency openings");
    const row = page.locator('#health-openings-table tbody tr').first();
    const cells = await row.locator('td').allInnerTexts();
    assert.match(cells[1], /demo\.health/);
    assert.match(cells[2], /Ravi/);
    assert.equal(cells[3].trim(), reason);
    await assertAccessible(page, "health's emergency openings");
    // r-mash29: filtered as the DPO's list is: by person (part of a username), and a bad date named in the error
    // summary, whose link leads to the field
    await page.getByLabel('Person (username, or part of it)').fill('DEMO.HEAL');
    await navigate(page, () => page.getByRole('button', { name: 'Apply filters' }).click(),
      (u) => u.searchParams.get('person') === 'DEMO.HEAL');
    assert.equal((await page.locator('#health-openings-table tbody tr').first().locator('td').allInnerTexts())[3].trim(), reason);
    assert.match(await textOf(page.locator('#openings-count')), /match the filters/);
    await page.getByLabel('Person (username, or part of it)').fill('nobody.here');
    await navigate(page, () => page.getByRole('button', { name: 'Apply filters' }).click(),
      (u) => u.searchParams.get('person') === 'nobody.here');
    assert.equal(await textOf(page.locator('#openings-count')), 'No openings match the filters.');
    assert.equal(await page.locator('#health-openings-table').count(), 0);
    await page.getByLabel('Person (username, or part of it)').fill('');
    const from = page.getByRole('group', { name: 'From' });
    await from.getByLabel('Day').fill('31');
    await from.getByLabel('Month').fill('2');
    await from.getByLabel('Year').fill('2026');
    await navigate(page, () => page.getByRole('button', { name: 'Apply filters' }).click(),
      (u) => u.searchParams.get('from-day') === '31');
    assert.equal(await textOf(page.locator('.govuk-error-summary__title')), 'There is a problem');
    const link = page.locator('.govuk-error-summary__list a');
    assert.equal(await textOf(link), 'The date from must be a real date, like 4 12 2026');
    assert.equal(await link.getAttribute('href'), '#from-day');
    assert.equal(await page.locator('#health-openings-table').count(), 0, 'nothing listed under a bad filter');
    await assertAccessible(page, "health's emergency openings, a bad date");
    await navigate(page, () => page.getByRole('link', { name: 'Clear filters' }).click(),
      (u) => u.pathname === '/health/break-glass' && u.search === '');
    assert.equal(await page.locator('#health-openings-table tbody tr').count() >= 1, true);
  });
});
