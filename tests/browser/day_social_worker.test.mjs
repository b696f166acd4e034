// A social worker's day on the demo area (issue 15): sign in and land on her own alerts, the most overdue
// first, in words with a next step; open the most overdue, acknowledge and resolve it; open the child; her
// caseload. axe on every page; each page also visited with JavaScript off at 375 px.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  alertRows, assertAccessible, assertPhaseBanner, clearSnaps, fillSignIn, goto, navigate, newPage, request, snap,
  startDemoAndBrowser, summaryList, textOf, totp, WORKER,
} from './lib.mjs';
import { newAuthenticator } from '../e2e/lib.mjs';

let demo;
let browser;
let page;
const visited = []; // the pages of her day, visited again without script at phone width

before(async () => {
  clearSnaps('day-sw');
  ({ demo, browser } = await startDemoAndBrowser());
  page = await newPage(browser, { as: null });
});

after(async () => {
  await browser?.close();
  await demo?.stop();
});

async function apiInbox() {
  const r = await request(`${demo.url}/api/v1/alerts?owner=${WORKER}&limit=500`, { token: demo.tokens.social_care });
  assert.equal(r.status, 200, r.text);
  return r.json.alerts;
}

describe("a social worker's day", () => {
  after(() => assert.deepEqual(page.problems(), [], 'no failed requests or dialogs'));
  let first;

  test('she signs in and lands on her own alerts, the most overdue first, in words', async () => {
    await goto(page, `${demo.url}/sign-in`);
    demo.people[WORKER].secret = newAuthenticator(demo.db, WORKER); // as a sign-in minutes after the last
    await fillSignIn(page, { username: WORKER, password: demo.people[WORKER].password, code: totp(demo.people[WORKER].secret) });
    await navigate(page, () => page.getByRole('button', { name: 'Sign in' }).click(), (u) => u.pathname === '/alerts');
    await assertPhaseBanner(page);
    await snap(page, 'day-sw-01-inbox');
    assert.equal(await textOf(page.locator('h1')), 'Alerts');
    const api = await apiInbox();
    assert.ok(api.length >= 1, 'the demo gives her children with open alerts');
    const rows = await alertRows(page);
    assert.match(await textOf(page.locator('#results')), new RegExp(`^${api.length} open alerts? for ${WORKER}$`));
    // Most overdue first: the API's order (due, else raised, ascending), which the page keeps.
    const key = (a) => a.due || a.raised_on;
    for (let i = 1; i < api.length; i++) assert.ok(key(api[i - 1]) <= key(api[i]), `API order at ${i}`);
    const shown = rows.flatMap((r) => (r.children ? r.children.map((c) => c.alertHref.split('/').pop()) : [r.id]));
    assert.deepEqual(shown, api.map((a) => String(a.id)), 'the page lists what the API lists, in its order');
    for (const r of rows) {
      assert.ok(r.why.length > 20, `why, in words: ${r.title}`);
      assert.ok(r.next.length > 10, `a next step: ${r.title}`);
    }
    assert.doesNotMatch(await textOf(page.locator('main')), /[A-Z]+_[A-Z_]+/, 'no rule codes');
    first = rows[0];
    assert.equal(first.overdue, api[0].overdue);
    await assertAccessible(page, 'her inbox');
    visited.push('/alerts');
  });

  test('she opens the most overdue alert, acknowledges it and resolves it', async () => {
    await navigate(page, () => page.locator(`#alert-${first.id} td`).nth(1).locator('a').first().click(),
      (u) => u.pathname === `/alerts/${first.id}`);
    assert.equal(await textOf(page.locator('h1')), first.title);
    let list = await summaryList(page);
    assert.equal(list.Owner, WORKER, 'hers');
    assert.equal(list.State, 'Open');
    assert.equal(list['Next step'], first.next);
    await assertAccessible(page, 'the alert');
    visited.push(`/alerts/${first.id}`);
    await navigate(page, () => page.getByRole('button', { name: 'Acknowledge' }).click(),
      (u) => u.searchParams.get('done') === 'acknowledged');
    assert.match(await textOf(page.locator('.govuk-notification-banner--success')), /Alert acknowledged/);
    assert.match((await summaryList(page)).Acknowledged, new RegExp(`^By ${WORKER.replace('.', '\\.')} on `));
    await assertAccessible(page, 'the alert, acknowledged');
    await page.getByLabel('Outcome').fill('Visited today and saw the child alone; plan updated with the team.');
    await navigate(page, () => page.getByRole('button', { name: 'Resolve' }).click(),
      (u) => u.searchParams.get('done') === 'resolved');
    await snap(page, 'day-sw-02-resolved');
    list = await summaryList(page);
    assert.equal(list.State, 'Resolved');
    assert.equal(list.Outcome, 'Visited today and saw the child alone; plan updated with the team.');
    await assertAccessible(page, 'the alert, resolved');
    assert.ok(!(await apiInbox()).some((a) => String(a.id) === first.id), 'gone from her open alerts');
  });

  test('she opens the child, then her caseload', async () => {
    await navigate(page, () => page.locator('#alert-summary').getByRole('link', { name: first.child }).click(),
      (u) => u.pathname === first.childHref);
    assert.equal(await textOf(page.locator('h1')), first.child);
    await assertAccessible(page, "the child's record");
    visited.push(first.childHref);
    await navigate(page, () => page.getByRole('link', { name: 'My caseload' }).click(), (u) => u.pathname === '/caseload');
    const rows = await page.locator('#caseload-table tbody tr').count();
    assert.ok(rows >= 8, `her caseload (${rows} children)`);
    assert.equal(await page.locator(`#caseload-table a[href="${first.childHref}"]`).count(), 1, 'the child is on it');
    await assertAccessible(page, 'her caseload');
    visited.push('/caseload');
  });

  test('every page of her day works without JavaScript, and at 375 px', async () => {
    // Without script (axe needs script to run, so it runs at 375 px with script on).
    const nojs = await newPage(browser, { as: WORKER, javaScriptEnabled: false, viewport: { width: 375, height: 800 } });
    const phone = await newPage(browser, { as: WORKER, viewport: { width: 375, height: 800 } });
    for (const path of visited) {
      const res = await goto(nojs, `${demo.url}${path}`);
      assert.equal(res.status(), 200, path);
      assert.equal(await nojs.locator('body.govuk-frontend-supported').count(), 0, 'no script ran');
      assert.ok((await textOf(nojs.locator('h1'))).length > 0, `${path} has its heading without script`);
      await goto(phone, `${demo.url}${path}`);
      const wide = await phone.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(wide <= 375 + 1, `${path} fits 375 px (scroll width ${wide})`);
      await assertAccessible(phone, `${path} at 375 px`);
    }
    await snap(phone, 'day-sw-phone');
    assert.deepEqual(nojs.problems(), []);
    assert.deepEqual(phone.problems(), []);
  });
});
