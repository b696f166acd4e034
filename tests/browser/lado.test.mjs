// Issue 18 in a browser, the LADO's day: they land on the queue of open allegations (the demo's, most overdue
// first, the across-employers alert among the alerts), enter a new allegation (an empty form answers an error
// summary whose links reach the fields; "Jon Blackwood" finds the demo's Jonathan Blackwood to confirm), record
// the initial consideration on the allegation's page, and read the person across their employers. The DPO reads
// the person's page. axe on every page at 1280 px and 375 px (JavaScript on), and each page fits 375 px with
// JavaScript off.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  assertAccessible, clearSnaps, errorSummary, goto, navigate, newPage, snap, startDemoAndBrowser, textOf, ukToday,
} from './lib.mjs';
import { ladoAllegation, ladoAllegations, ladoEmployments } from '../e2e/lib.mjs';

let demo;
let browser;

before(async () => {
  clearSnaps('lado');
  ({ demo, browser } = await startDemoAndBrowser({ families: 10 }));
});

after(async () => {
  await browser?.close();
  await demo?.stop();
});

async function assertFits(page, label) {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  assert.ok(scroll <= width, `${label} is ${scroll} px wide in a ${width} px window`);
}

async function check(page, label) {
  await assertAccessible(page, label);
  await page.setViewportSize({ width: 375, height: 812 });
  await assertAccessible(page, `${label} at 375 px`);
  await assertFits(page, `${label} at 375 px`);
  await page.setViewportSize({ width: 1280, height: 900 });
}

const [ty, tm, td] = ukToday().split('-').map(Number);

describe('the LADO\'s day', () => {
  test('the queue, a new allegation confirmed across employers, a step recorded, the person', async () => {
    const page = await newPage(browser, { as: 'demo.lado' });
    assert.equal(new URL(page.url()).pathname, '/lado', 'the LADO lands on the queue');
    assert.equal(await textOf(page.locator('h1')), 'Allegations against people who work with children');
    assert.match(await textOf(page.locator('main')), /Allegations at more than one employer/);
    assert.match(await textOf(page.locator('main')), /Jonathan Blackwood/);
    await check(page, 'the LADO\'s queue');
    await snap(page, 'lado-01-queue');

    await navigate(page, () => page.getByRole('button', { name: 'Enter a new allegation' }).click(), (u) => u.pathname === '/lado/new');
    await check(page, 'the new allegation form');
    await navigate(page, () => page.getByRole('button', { name: 'Save allegation' }).click(), (u) => u.pathname === '/lado/new');
    const errors = await errorSummary(page);
    assert.equal(errors[0].href, '#given-name');
    await check(page, 'the new allegation form with its errors');
    await page.locator('.govuk-error-summary__list a').first().click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'given-name', 'the link reaches the field');

    await page.getByLabel('First name').fill('Jon');
    await page.getByLabel('Last name').fill('Blackwood');
    await page.locator('#dob-day').fill('12');
    await page.locator('#dob-month').fill('7');
    await page.locator('#dob-year').fill('1984');
    await page.getByLabel('Employer', { exact: true }).fill('Elm Youth Club');
    await page.locator('#received-day').fill(String(td));
    await page.locator('#received-month').fill(String(tm));
    await page.locator('#received-year').fill(String(ty));
    await page.getByLabel('Who made the referral').fill('Club welfare officer');
    await page.getByLabel('What is alleged').fill('A member said the youth worker slapped him in the changing room.');
    await navigate(page, () => page.getByRole('button', { name: 'Save allegation' }).click(), (u) => u.pathname === '/lado/new');
    assert.equal((await errorSummary(page))[0].href, '#person');
    const known = page.getByLabel(/Jonathan Blackwood, born 12 July 1984/);
    assert.equal(await known.count(), 1, 'the demo\'s Jonathan Blackwood is the candidate');
    await check(page, 'the new allegation form asking who it is');
    await known.check();
    await navigate(page, () => page.getByRole('button', { name: 'Save allegation' }).click(), (u) => /^\/lado\/allegations\/\d+$/.test(u.pathname));
    assert.match(await textOf(page.locator('.govuk-notification-banner')), /The allegation was saved/);
    await check(page, 'the allegation\'s page');
    const id = Number(new URL(page.url()).pathname.split('/').pop());
    const person = ladoAllegation(demo.db, id)?.person;
    assert.ok(person > 0, `allegation ${id} names a person`);
    assert.equal(ladoEmployments(demo.db, person).length, 3, 'a third employer');

    // The initial consideration, with its own error summary first.
    await navigate(page, () => page.getByRole('button', { name: 'Save the initial consideration' }).click(), (u) => u.pathname.endsWith('/steps'));
    assert.equal((await errorSummary(page))[0].href, '#day-day');
    await check(page, 'the step form with its errors');
    await page.locator('#day-day').fill(String(td));
    await page.locator('#day-month').fill(String(tm));
    await page.locator('#day-year').fill(String(ty));
    await page.getByLabel('Yes: hold a strategy discussion').check();
    await navigate(page, () => page.getByRole('button', { name: 'Save the initial consideration' }).click(), (u) => u.pathname === `/lado/allegations/${id}`);
    assert.match(await textOf(page.locator('.govuk-notification-banner')), /The step was recorded/);
    assert.match(await textOf(page.locator('#process ~ .govuk-task-list')), /The harm threshold is met/);
    assert.equal(await page.getByRole('button', { name: 'Save the strategy discussion' }).count(), 1, 'the next step\'s form');
    await snap(page, 'lado-02-allegation');

    await navigate(page, () => page.locator('.govuk-caption-l a').click(), (u) => u.pathname === `/lado/people/${person}`);
    assert.match(await textOf(page.locator('#employers')), /Elm Youth Club/);
    assert.match(await textOf(page.locator('#employers')), /Northfield Primary School/);
    await check(page, 'the person\'s page');
    assert.deepEqual(page.problems(), []);
    await page.context().close();

    // The DPO reads the person's page (subject access), without any form.
    const dpo = await newPage(browser, { as: 'demo.dpo' });
    assert.equal((await goto(dpo, `${demo.url}/lado/people/${person}`)).status(), 200);
    await check(dpo, 'the person\'s page, for the DPO');
    assert.equal((await goto(dpo, `${demo.url}/lado/allegations/${id}`)).status(), 200);
    assert.equal(await dpo.locator('form[action$="/steps"]').count(), 0);
    await dpo.context().close();
  });

  test('without JavaScript, at phone width, every LADO page works and fits', async () => {
    const page = await newPage(browser, { as: 'demo.lado', javaScriptEnabled: false, viewport: { width: 375, height: 812 } });
    // The person by name, as the LADO finds them: the link on their own list (the operator's lists print no names).
    await goto(page, `${demo.url}/lado`);
    const ids = await page.locator('a[href^="/lado/people/"]', { hasText: 'Blackwood' })
      .evaluateAll((links) => links.map((a) => Number(a.getAttribute('href').split('/').pop())));
    assert.ok(ids.length >= 1 && ids.every(Number.isSafeInteger), `Blackwood on the LADO's list: ${ids}`);
    const person = Math.min(...ids);
    const alleg = Math.min(...ladoAllegations(demo.db, { person }).map((a) => a.id));
    for (const p of ['/lado', '/lado/new', `/lado/people/${person}`, `/lado/allegations/${alleg}`]) {
      assert.equal((await goto(page, `${demo.url}${p}`)).status(), 200, p);
      await assertFits(page, `${p} without JavaScript`);
    }
    await snap(page, 'lado-03-allegation-nojs');
    // A form posts without JavaScript too: an empty step answers its error summary.
    await goto(page, `${demo.url}/lado/allegations/${alleg}`);
    const button = page.locator('form[action$="/steps"] button[type=submit]');
    if (await button.count() === 1) {
      await navigate(page, () => button.click(), (u) => u.pathname.endsWith('/steps'));
      assert.equal((await errorSummary(page))[0].href, '#day-day');
    }
    await page.context().close();
  });
});
