// A child protection conference chair's day (issue 15): before the review conference the chair opens the
// child's record and must see at once the legal status (which plan, since when), whether the child is missing,
// where the child lives, and who the allocated worker and team are with their numbers; then the chronology,
// where a visit nobody timed says "time not recorded" (not 12:00) and sits after the day's timed entries.
// The chair is social care's reader of the record (not the allocated worker): the card is built from social
// care's own records. axe on every page; the record also without JavaScript at 375 px.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  addDays, assertAccessible, chronologyRows, goto, longDate, makeChild, newPage, nhsNumbers, snap, startDemoAndBrowser,
  summaryCard, ukToday, WORKER,
} from './lib.mjs';

let demo;
let browser;
const CHAIR = 'demo.chair';
const today = ukToday();
const planDay = addDays(today, -90);
const visitDay = addDays(today, -4);
const nhs = nhsNumbers(943476900);
const jude = {
  given_name: 'Jude', family_name: 'Farrant-Obi', dob: '2012-06-30', sex: 'M', postcode: 'LS12 3HF',
  address: '15 Tong Road', nhs_number: nhs.next().value,
};
let judeId;

before(async () => {
  ({ demo, browser } = await startDemoAndBrowser());
  judeId = await makeChild(demo, jude, [
    { agency: 'social_care', kind: 'cp_plan_start', occurred_at: `${planDay}T14:00:00Z`, summary: 'Plan made at the ICPC',
      details: { category: 'emotional' } },
    { agency: 'social_care', kind: 'visit', occurred_at: `${visitDay}T00:00:00Z`, summary: 'Home visit, time not noted',
      details: { seen: true, seen_alone: true, visit_type: 'cp', time_recorded: false } },
    { agency: 'social_care', kind: 'visit', occurred_at: `${visitDay}T10:00:00Z`, summary: 'School visit at ten',
      details: { seen: true, seen_alone: true, visit_type: 'cp' } },
  ]); // allocated to demo.worker in the demo's team north
});

after(async () => {
  await browser?.close();
  await demo?.stop();
});

describe("the chair reads the child's summary card and chronology", () => {
  test('the card: status since when, not missing, worker and team with numbers', async () => {
    const page = await newPage(browser, { as: CHAIR });
    await goto(page, `${demo.url}/children/${judeId}`);
    await snap(page, 'day-chair-01-record');
    const card = await summaryCard(page);
    assert.equal(card['Legal status'], `Child protection plan Since ${longDate(planDay)} (emotional abuse)`);
    assert.equal(card['Missing now'], 'No');
    assert.equal(card.Placement, "Not placed in a children's home");
    assert.equal(card['Allocated worker'], WORKER);
    assert.equal(card.Team, 'Family Support North Office hours: 0113 496 0200 Out of hours: 0113 496 0999 '
      + 'Email: north.team@demo.safeguard.invalid');
    const cardBox = await page.locator('#child-summary').boundingBox();
    const chron = await page.locator('#chronology').boundingBox();
    assert.ok(cardBox.y < chron.y, 'the card opens the page, above the chronology');
    await assertAccessible(page, 'the record with its summary card');
    assert.deepEqual(page.problems(), []);
    await page.context().close();
  });

  test('the chronology: an untimed visit says so and sits after the timed one of its day', async () => {
    const page = await newPage(browser, { as: CHAIR });
    await goto(page, `${demo.url}/children/${judeId}`);
    const rows = (await chronologyRows(page)).filter((r) => r.when.startsWith(longDate(visitDay)));
    assert.deepEqual(rows.map((r) => [r.when, r.category, r.recorder]), [
      [`${longDate(visitDay)} 10:00`, 'Child protection visit', "Sent by Children's social care's system"],
      [`${longDate(visitDay)} Time not recorded`, 'Child protection visit', "Sent by Children's social care's system"],
    ]);
    await page.context().close();
  });

  test('the demo area shows the card at work: the banner child is on a plan', async () => {
    const page = await newPage(browser, { as: CHAIR });
    await goto(page, `${demo.url}/children/${demo.exampleChild}`);
    const card = await summaryCard(page);
    assert.match(card['Legal status'], /^Child protection plan Since .* \(neglect\)/);
    assert.equal(card['Allocated worker'], WORKER);
    await page.context().close();
  });

  test('without JavaScript at 375 px the card and the chronology read the same', async () => {
    const page = await newPage(browser, { as: CHAIR, javaScriptEnabled: false, viewport: { width: 375, height: 740 } });
    await goto(page, `${demo.url}/children/${judeId}`);
    await snap(page, 'day-chair-02-record-375-nojs');
    const card = await summaryCard(page);
    assert.equal(card['Missing now'], 'No');
    assert.match(card['Legal status'], /^Child protection plan Since/);
    assert.ok((await chronologyRows(page)).some((r) => r.when.endsWith('Time not recorded')));
    assert.equal(await page.locator('body.govuk-frontend-supported').count(), 0, 'no script ran');
    await page.context().close();
    const narrow = await newPage(browser, { as: CHAIR, viewport: { width: 375, height: 740 } });
    await goto(narrow, `${demo.url}/children/${judeId}`);
    await assertAccessible(narrow, 'the record at 375 px');
    await narrow.context().close();
  });
});
