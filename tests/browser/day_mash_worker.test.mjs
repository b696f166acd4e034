// A MASH worker's day (issue 15) on the demo area: land on the MASH queue, filter it, page through it, open a
// contact, record the decision (the form's errors first), see the clock it started; then check a record that
// may be a known child, in words, decide, and go on to the next record. axe on every page; every page again
// with JavaScript off and at 375 px wide (the decision made there too, with no script).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  addEvent, addWorkingDays, assertAccessible, errorSummary, goto, longDate, navigate, newPage,
  startDemoAndBrowser, textOf, ukToday,
} from './lib.mjs';
import { auditRows, linkReviews, rowCount } from '../e2e/lib.mjs';

let demo;
let browser;
const visited = new Set(); // the pages the day went through, to see again narrow and without script
let review; // {id, record, known}

async function submit(page, action, pred = () => true) {
  const posted = page.waitForResponse((r) => r.request().method() === 'POST');
  const url = await navigate(page, action, pred);
  return { status: (await posted).status(), url };
}

async function rows(page) {
  return page.locator('#mash-table tbody tr').evaluateAll((trs) => trs.map((tr) => ({
    id: Number(tr.id.replace('mash-', '')),
    cells: [...tr.querySelectorAll('td')].map((td) => td.innerText.replace(/\s+/g, ' ').trim()),
  })));
}

async function see(page, label) {
  visited.add(new URL(page.url()).pathname + new URL(page.url()).search);
  await assertAccessible(page, label);
}

before(async () => {
  ({ demo, browser } = await startDemoAndBrowser());
  // A record from the police that may be a child the school knows: a task to check.
  const known = { given_name: 'Rosalind', family_name: 'Achterberg', dob: '2014-03-09', sex: 'F', postcode: 'LS6 2AB', address: '12 Mill Lane' };
  const a = await addEvent(demo, 'education', { kind: 'school_absence', summary: 'Absent', subject: known });
  const b = await addEvent(demo, 'police', { summary: 'Seen at the station',
    subject: { ...known, dob: '2014-03-10', postcode: 'LS7 1AA', address: '3 Other Road' } });
  const task = linkReviews(demo.db, { child: b.child_id }).find((v) => v.person === b.child_id && v.candidate === a.child_id);
  assert.ok(task, 'a review task');
  review = { id: task.id, record: b.child_id, known: a.child_id };
});

after(async () => {
  await browser?.close();
  await demo?.stop();
});

describe('the MASH worker', () => {
  test('the queue: filter, page, open a contact, decide with a reason; then a record to check and the next', async () => {
    const page = await newPage(browser, { as: 'mash.worker' });
    await goto(page, `${demo.url}/mash`);
    assert.equal(await textOf(page.locator('h1')), 'MASH queue');
    const total = Number(/^(\d+) contacts and referrals await a decision$/.exec(await textOf(page.locator('#results')))?.[1]);
    assert.ok(total > 25, `the demo's queue runs to a second page (${total})`);
    let r = await rows(page);
    assert.equal(r.length, 25);
    assert.match(r[0].cells[4], /Overdue$/, 'the most overdue first');
    await see(page, 'the MASH queue');

    // Filter: the police's contacts, this fortnight's.
    await page.getByLabel('From').selectOption('police');
    await navigate(page, () => page.getByRole('button', { name: 'Apply filters' }).click(),
      (u) => u.pathname === '/mash' && u.searchParams.get('agency') === 'police');
    r = await rows(page);
    assert.ok(r.length > 0 && r.every((x) => x.cells[3] === 'Police'), 'only the police');
    assert.match(await textOf(page.locator('#results')), /matching your filters await a decision$/);
    await see(page, 'the MASH queue, filtered');
    const chosen = r[0];

    // Page: all agencies, the second page.
    await navigate(page, () => page.getByRole('link', { name: 'Clear filters' }).click(), (u) => u.pathname === '/mash');
    await navigate(page, () => page.locator('#mash-pages').getByRole('link', { name: 'Next page' }).click(),
      (u) => u.searchParams.get('page') === '2');
    assert.match(await textOf(page.locator('#mash-shown')), new RegExp(`^Showing 26 to ${Math.min(total, 50)} of ${total}`));
    await see(page, 'the MASH queue, page 2');

    // Open the police contact.
    await goto(page, `${demo.url}/mash?agency=police`);
    await navigate(page, () => page.locator(`#mash-${chosen.id}`).getByRole('link').click(),
      (u) => u.pathname === `/mash/${chosen.id}`);
    assert.equal(await textOf(page.locator('h1')), 'Decide what happens next');
    assert.match(await textOf(page.locator('#mash-item')), /Contact from Police/);
    await see(page, 'a contact to decide');

    // Nothing chosen: both errors, nothing written.
    // "Nothing written": no event of any kind, and no audit entry of a decision (`safeguard stats`, `audit list`).
    const before = { events: rowCount(demo.db, 'event'), decisions: auditRows(demo.db, { action: 'mash.decide' }).length };
    let res = await submit(page, () => page.getByRole('button', { name: 'Record the decision' }).click());
    assert.equal(res.status, 400);
    assert.deepEqual(await errorSummary(page), [
      { text: 'Select what happens next', href: '#outcome' },
      { text: 'Enter the reason for the decision', href: '#reason' },
    ]);
    assert.deepEqual({ events: rowCount(demo.db, 'event'), decisions: auditRows(demo.db, { action: 'mash.decide' }).length }, before);
    await assertAccessible(page, 'the decision with errors');

    await page.getByLabel('Section 47 enquiry: hold a strategy discussion').check();
    await page.getByLabel('Why?').fill('Found at night with older teenagers she did not know: risk of exploitation');
    res = await submit(page, () => page.getByRole('button', { name: 'Record the decision' }).click(),
      (u) => u.pathname === '/mash' && u.searchParams.get('done') === 's47');
    assert.equal(res.status, 303);
    const due = addWorkingDays(ukToday(), 1);
    assert.equal(await textOf(page.locator('#mash-done .govuk-notification-banner__heading')),
      `Decision recorded: Section 47 enquiry: hold a strategy discussion. The strategy discussion is due by ${longDate(due)}.`);
    assert.equal(await page.locator(`#mash-${chosen.id}`).count(), 0, 'gone from awaiting');
    await see(page, 'the MASH queue after a decision');
    await goto(page, `${demo.url}/mash?status=decided&agency=police`);
    assert.match(await textOf(page.locator(`#mash-${chosen.id}`)), /Section 47 enquiry: hold a strategy discussion .*by mash\.worker/);
    await see(page, 'decided contacts');

    // A record to check, in words; then the next one.
    await goto(page, `${demo.url}/link-reviews`);
    assert.match(await textOf(page.locator(`#link-review-${review.id}`)), /(Strong|Possible|Weak)/);
    await see(page, 'the records to check');
    await navigate(page, () => page.locator(`#link-review-${review.id}`).getByRole('link').click(),
      (u) => u.pathname === `/link-reviews/${review.id}`);
    assert.equal(await textOf(page.locator('#field-dob')), 'Date of birth 10 March 2014 9 March 2014 Day or month one out');
    assert.match(await textOf(page.locator('#differs')), /Address: 3 Other Road and 12 Mill Lane/);
    await see(page, 'a record to check');
    await page.getByLabel('Different children').check();
    await page.getByLabel('Why?').fill('The school says her birthday is the 9th; the police record is another girl');
    res = await submit(page, () => page.getByRole('button', { name: 'Save decision' }).click(),
      (u) => u.pathname === `/link-reviews/${review.id}`);
    assert.equal(res.status, 303);
    assert.match(await textOf(page.locator('#decision-summary')), /^Decided Different children, by Mark Ellis \(Children.s social care\) on /);
    await see(page, 'a decided record');
    const next = page.locator('#next-record');
    if (await next.count()) {
      await navigate(page, () => next.click(), (u) => /^\/link-reviews\/\d+$/.test(u.pathname) && u.pathname !== `/link-reviews/${review.id}`);
      assert.match(await textOf(page.locator('h1')), /^Is .* the same child as .*\?$/);
      await see(page, 'the next record to check');
    } else {
      assert.match(await textOf(page.locator('.govuk-notification-banner__content')), /no more records to check/);
    }
    assert.deepEqual(page.problems(), []);
  });

  test('every page of the day at 375 px (axe) and with JavaScript off; a decision made with no script', async () => {
    assert.ok(visited.size >= 8, `the day went through ${visited.size} pages`);
    const narrow = await newPage(browser, { as: 'mash.worker', viewport: { width: 375, height: 800 } });
    const nojs = await newPage(browser, { as: 'mash.worker', javaScriptEnabled: false, viewport: { width: 375, height: 800 } });
    // The decided contact's page is closed to the MASH now (need-to-know: no longer triaging): another
    // contact, still awaiting, stands in for it.
    await goto(narrow, `${demo.url}/mash`);
    const waiting = (await rows(narrow))[0].id;
    const paths = [...visited].map((p) => (/^\/mash\/\d+$/.test(p) ? `/mash/${waiting}` : p));
    for (const path of paths) {
      // The two views of one page side by side: each its own browser context.
      await Promise.all([(async () => {
        await goto(narrow, `${demo.url}${path}`);
        const width = await narrow.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= 375, `${path} fits 375 px (${width})`);
        await assertAccessible(narrow, `${path} at 375 px`);
      })(), (async () => {
        const res = await goto(nojs, `${demo.url}${path}`);
        assert.ok(res.status() === 200, `${path} without JavaScript: ${res.status()}`);
        assert.equal(await nojs.locator('body.js-enabled').count(), 0, 'no script ran');
        assert.ok((await textOf(nojs.locator('h1'))).length > 0);
      })()]);
    }
    // The filter and a decision with no script.
    await goto(nojs, `${demo.url}/mash`);
    await nojs.getByLabel('From').selectOption('health');
    await navigate(nojs, () => nojs.getByRole('button', { name: 'Apply filters' }).click(), (u) => u.searchParams.get('agency') === 'health');
    const first = (await rows(nojs))[0];
    await navigate(nojs, () => nojs.locator(`#mash-${first.id}`).getByRole('link').click(), (u) => u.pathname === `/mash/${first.id}`);
    await nojs.getByLabel('Early help').check();
    await nojs.getByLabel('Why?').fill('Family hub already working with the family; parents agree');
    const res = await submit(nojs, () => nojs.getByRole('button', { name: 'Record the decision' }).click(),
      (u) => u.searchParams.get('done') === 'early_help');
    assert.equal(res.status, 303);
    assert.equal(await textOf(nojs.locator('#mash-done .govuk-notification-banner__heading')), 'Decision recorded: Early help.');
    assert.deepEqual([...narrow.problems(), ...nojs.problems()], []);
  });
});
