// Record linkage's review queue as a social worker meets it: the records to check, one record side by side
// with the child it may be (each detail with how much it counts), deciding "the same child" (with the form's
// errors first), undoing the merge; deciding by keyboard alone; and the same with JavaScript off. axe on each
// page. The tasks are made through the API: a record that is as likely as not about a child already known.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  addEvent, apiChronology, assertAccessible, clearSnaps, errorSummary, focused, goto, navigate, newPage, snap,
  startDemoAndBrowser, textOf,
} from './lib.mjs';
import { linkReviews, rowCounts } from '../e2e/lib.mjs';

let demo;
let browser;

// A known child, and a record with the same name, a date of birth a day out and another address.
function pair(given, family) {
  const known = { given_name: given, family_name: family, dob: '2015-07-09', sex: 'F', postcode: 'LS6 2AB', address: '12 Mill Lane' };
  return [known, { ...known, dob: '2015-07-10', postcode: 'LS7 1AA', address: '3 Other Road' }];
}

/** Makes the pair's two children through intake; returns the review task's id. */
async function reviewFor(given, family) {
  const [known, record] = pair(given, family);
  const a = await addEvent(demo, 'education', { kind: 'school_absence', summary: 'Absent', subject: known });
  const b = await addEvent(demo, 'police', { summary: 'Seen at the station', subject: record });
  const task = linkReviews(demo.db, { child: b.child_id }).find((v) => v.person === b.child_id && v.candidate === a.child_id);
  assert.ok(task, `a review task for ${given} ${family}`);
  return { id: task.id, known: a.child_id, record: b.child_id };
}

async function submit(page, action, pred = () => true) {
  const posted = page.waitForResponse((r) => r.request().method() === 'POST');
  const url = await navigate(page, action, pred);
  return { status: (await posted).status(), url };
}

let tasks;

before(async () => {
  clearSnaps('link-review');
  ({ demo, browser } = await startDemoAndBrowser());
  tasks = {
    mouse: await reviewFor('Philippa', 'Ormondroyd'),
    keyboard: await reviewFor('Wilhelmina', 'Baptiste'),
    nojs: await reviewFor('Clementine', 'Azikiwe'),
  };
});

after(async () => {
  await browser?.close();
  await demo?.stop();
});

describe('the review queue', () => {
  test('the queue lists the task; its page shows the two records side by side; same, then undo', async () => {
    const t = tasks.mouse;
    const page = await newPage(browser, { as: 'demo.worker' });
    await goto(page, `${demo.url}/link-reviews`);
    assert.equal(await textOf(page.locator('h1')), 'Records to check');
    const row = page.locator(`#link-review-${t.id}`);
    assert.equal(await row.count(), 1);
    assert.match(await textOf(row), /^Philippa Ormondroyd \(check this record\) Philippa Ormondroyd Police (Strong|Possible|Weak) /);
    await assertAccessible(page, 'the review queue');
    await snap(page, 'link-review-queue');

    await navigate(page, () => row.getByRole('link').click(), (u) => u.pathname === `/link-reviews/${t.id}`);
    assert.equal(await textOf(page.locator('h1')), 'Is Philippa Ormondroyd the same child as Philippa Ormondroyd?');
    const dob = page.locator('#field-dob');
    assert.equal(await textOf(dob), 'Date of birth 10 July 2015 9 July 2015 Day or month one out');
    assert.match(await textOf(page.locator('#field-postcode')), /^Postcode LS7 1AA LS6 2AB Different postcodes in the same town$/);
    assert.match(await textOf(page.locator('#field-nhs_number')), /Not recorded Not recorded In neither record$/);
    assert.equal(await page.locator('#comparison tbody tr').count(), 9);
    await assertAccessible(page, 'one record to check');
    await snap(page, 'link-review-one');

    // Nothing chosen, no reason: both errors, nothing decided.
    let r = await submit(page, () => page.getByRole('button', { name: 'Save decision' }).click());
    assert.equal(r.status, 400);
    assert.deepEqual(await errorSummary(page), [
      { text: 'Select whether the records are about the same child', href: '#decision' },
      { text: 'Enter a reason of at least 5 characters: say why', href: '#reason' },
    ]);
    assert.ok(linkReviews(demo.db, { child: t.record, open: true }).some((v) => v.id === t.id), 'nothing decided');
    await assertAccessible(page, 'the decision with errors');

    await page.getByLabel('The same child').check();
    await page.getByLabel('Why?').fill('The school confirmed the date of birth was mistyped');
    r = await submit(page, () => page.getByRole('button', { name: 'Save decision' }).click(),
      (u) => u.pathname === `/link-reviews/${t.id}`);
    assert.equal(r.status, 303);
    assert.equal(await textOf(page.locator('.govuk-notification-banner__heading')), 'Decision saved.');
    assert.match(await textOf(page.locator('#decision-summary')), /The same child, by Sam Patel \(Children.s social care\) on /);
    assert.deepEqual(await apiChronology(demo, t.record), [], 'the record\'s event moved to the kept child');
    await assertAccessible(page, 'a decided record');

    r = await submit(page, () => page.getByRole('button', { name: 'Undo the merge' }).click());
    assert.equal(r.status, 400);
    assert.deepEqual(await errorSummary(page), [{ text: 'Enter a reason of at least 5 characters: say why', href: '#undo_reason' }]);
    await page.getByLabel('Why undo it?').fill('Two children after all: the police checked');
    r = await submit(page, () => page.getByRole('button', { name: 'Undo the merge' }).click(),
      (u) => u.pathname === `/link-reviews/${t.id}`);
    assert.equal(r.status, 303);
    assert.match(await textOf(page.locator('.govuk-notification-banner__heading')), /^Merge undone/);
    assert.equal((await apiChronology(demo, t.record)).length, 1, 'the record\'s event is back');
    assert.deepEqual(page.problems(), []);
  });

  test('keyboard only: choose "Different children", type the reason, Enter', async () => {
    const t = tasks.keyboard;
    const refusals = rowCounts(demo.db, ['link_refusal']).link_refusal; // `safeguard stats`
    const page = await newPage(browser, { as: 'north.manager' });
    await goto(page, `${demo.url}/link-reviews/${t.id}`);
    for (let pressed = 0; await focused(page) !== 'decision';) {
      assert.ok(++pressed <= 60, 'Tab never reached the first choice');
      await page.keyboard.press('Tab');
    }
    await page.keyboard.press('ArrowDown'); // the next radio: Different children
    assert.equal(await focused(page), 'decision-different');
    assert.equal(await page.locator('#decision-different').isChecked(), true);
    await page.keyboard.press('Tab');
    assert.equal(await focused(page), 'reason');
    await page.keyboard.type('Different children: their mothers are sisters');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Save decision');
    const r = await submit(page, () => page.keyboard.press('Enter'), (u) => u.pathname === `/link-reviews/${t.id}`);
    assert.equal(r.status, 303);
    assert.equal(linkReviews(demo.db, { child: t.record }).find((v) => v.id === t.id)?.decision, 'different');
    assert.match(await textOf(page.locator('#decision-summary')), /Reason Different children: their mothers are sisters/);
    // The pair kept apart as a refusal (what stops linkage proposing them again): one more, through `stats`.
    assert.equal(rowCounts(demo.db, ['link_refusal']).link_refusal, refusals + 1);
    assert.deepEqual(page.problems(), []);
  });

  test('JavaScript off: the queue, the record, a decision', async () => {
    const t = tasks.nojs;
    const page = await newPage(browser, { as: 'demo.worker', javaScriptEnabled: false });
    await goto(page, `${demo.url}/link-reviews`);
    assert.equal(await page.locator('body.js-enabled').count(), 0, 'no script ran');
    await navigate(page, () => page.locator(`#link-review-${t.id}`).getByRole('link').click(),
      (u) => u.pathname === `/link-reviews/${t.id}`);
    await page.getByLabel('Different children').check();
    await page.getByLabel('Why?').fill('Another child: different school year');
    const r = await submit(page, () => page.getByRole('button', { name: 'Save decision' }).click(),
      (u) => u.pathname === `/link-reviews/${t.id}`);
    assert.equal(r.status, 303);
    assert.match(await textOf(page.locator('#decision-summary')), /^Decided Different children, by Sam Patel \(Children.s social care\) on /);
    // (axe runs in the page, so it is run on these pages with JavaScript on, above.)
  });

  test('people who do not review are refused the queue', async () => {
    const page = await newPage(browser, { as: 'demo.police' });
    const res = await goto(page, `${demo.url}/link-reviews`);
    assert.equal(res.status(), 403);
    assert.equal(await page.locator('a[href="/link-reviews"]').count(), 0, 'no menu item');
  });
});
