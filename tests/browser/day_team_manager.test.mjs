// A team manager's day on the demo area (issue 15): sign in and land on the team page (the team's alerts,
// what was escalated to them, each worker's caseload); a worker's alerts and the team's, not another team's;
// act on the escalated alert; open the child. axe on every page; each page also without JavaScript at 375 px.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  alertRows, assertAccessible, assertPhaseBanner, clearSnaps, fillSignIn, goto, navigate, newPage, request, snap,
  startDemoAndBrowser, summaryList, textOf, totp, WORKER, WORKER_TEAM,
} from './lib.mjs';
import { newAuthenticator } from '../e2e/lib.mjs';

const MANAGER = 'north.manager';

let demo;
let browser;
let page;
const visited = [];

before(async () => {
  clearSnaps('day-tm');
  ({ demo, browser } = await startDemoAndBrowser());
  page = await newPage(browser, { as: null });
});

after(async () => {
  await browser?.close();
  await demo?.stop();
});

describe("a team manager's day", () => {
  after(() => assert.deepEqual(page.problems(), [], 'no failed requests or dialogs'));
  let escalated;

  test('she signs in and lands on the team page', async () => {
    await goto(page, `${demo.url}/sign-in`);
    demo.people[MANAGER].secret = newAuthenticator(demo.db, MANAGER); // as a sign-in minutes after the last
    await fillSignIn(page, { username: MANAGER, password: demo.people[MANAGER].password, code: totp(demo.people[MANAGER].secret) });
    await navigate(page, () => page.getByRole('button', { name: 'Sign in' }).click(), (u) => u.pathname === '/team');
    await assertPhaseBanner(page);
    await snap(page, 'day-tm-01-team');
    assert.equal(await textOf(page.locator('h1')), 'My team');
    assert.equal(await textOf(page.locator('.govuk-service-navigation__item--active')), 'My team');
    // The demo escalated one of the worker's alerts to her.
    const esc = page.locator('#escalated-table tbody tr');
    assert.ok(await esc.count() >= 1, 'an escalation');
    assert.match(await textOf(page.locator('#escalated')), /^\d+ alerts? escalated to you$/);
    const link = esc.first().locator('td').nth(1).locator('a').first();
    escalated = { href: await link.getAttribute('href'), title: (await link.innerText()).trim() };
    // The team's card: the worker's caseload row and the team's open alerts.
    const card = page.locator(`#team-${WORKER_TEAM}`);
    const worker = card.locator('table.sg-workload tbody tr', { has: page.getByRole('link', { name: WORKER, exact: true }) });
    assert.equal(await worker.count(), 1, "the worker's caseload row");
    const cells = (await worker.locator('td').allInnerTexts()).map((t) => Number(t.replace(/\D/g, '')));
    assert.ok(cells[0] >= 8 && cells[1] >= 1, `children and open alerts: ${cells}`);
    assert.ok(await card.locator('table.sg-team-alerts tbody tr').count() >= 1, "the team's open alerts");
    assert.equal(await page.locator('#team-oversight').count(), 0, "not another manager's team");
    await assertAccessible(page, 'the team page');
    visited.push('/team');
  });

  test("a worker's alerts and the team's open; another team's are refused", async () => {
    await navigate(page, () => page.locator(`#team-${WORKER_TEAM} table.sg-workload a[href="/alerts?owner=${WORKER}"]`).click(),
      (u) => u.pathname === '/alerts' && u.searchParams.get('owner') === WORKER);
    assert.ok((await alertRows(page)).length >= 1, "the worker's open alerts");
    await assertAccessible(page, "a worker's alerts");
    visited.push(`/alerts?owner=${WORKER}`);
    await goto(page, `${demo.url}/team`);
    await navigate(page, () => page.locator(`#team-${WORKER_TEAM}`).getByRole('link', { name: /Every open alert/ }).click(),
      (u) => u.searchParams.get('owner') === `team:${WORKER_TEAM}`);
    assert.match(await textOf(page.locator('#results')), new RegExp(`open alerts? for team ${WORKER_TEAM}$`));
    await assertAccessible(page, "the team's alerts");
    visited.push(`/alerts?owner=team:${WORKER_TEAM}`);
    const res = await goto(page, `${demo.url}/alerts?owner=team:oversight`);
    assert.equal(res.status(), 403);
    assert.equal(await textOf(page.locator('h1')), 'You cannot see these alerts');
    await assertAccessible(page, "another team's alerts (refused)");
  });

  test('she acts on the escalated alert and opens the child', async () => {
    await goto(page, `${demo.url}${escalated.href}`);
    assert.equal(await textOf(page.locator('h1')), escalated.title);
    let list = await summaryList(page);
    assert.match(list.Escalated, new RegExp(`^To ${MANAGER.replace('.', '\\.')} on `));
    assert.equal(list.Owner, WORKER, 'still the worker\'s to do');
    await assertAccessible(page, 'the escalated alert');
    visited.push(escalated.href);
    await navigate(page, () => page.getByRole('button', { name: 'Acknowledge' }).click(),
      (u) => u.searchParams.get('done') === 'acknowledged');
    list = await summaryList(page);
    assert.equal(list.State, 'Acknowledged');
    assert.match(list.Acknowledged, new RegExp(`^By ${MANAGER.replace('.', '\\.')} on `));
    const id = escalated.href.split('/').pop();
    const api = await request(`${demo.url}/api/v1/alerts/${id}`, { token: demo.tokens.social_care });
    assert.equal(api.json.acknowledged_by, MANAGER);
    const child = page.locator('#alert-summary a').first();
    const href = await child.getAttribute('href');
    await navigate(page, () => child.click(), (u) => u.pathname === href);
    await assertAccessible(page, "the child's record");
    visited.push(href);
    await goto(page, `${demo.url}/caseload?worker=${WORKER}`);
    assert.match(await textOf(page.locator('#results')), new RegExp(`children allocated to ${WORKER.replace('.', '\\.')} in the teams you manage$`));
    await assertAccessible(page, "the worker's caseload");
    visited.push(`/caseload?worker=${WORKER}`);
  });

  test('every page of her day works without JavaScript, and at 375 px', async () => {
    // Without script (axe needs script to run, so it runs at 375 px with script on).
    const nojs = await newPage(browser, { as: MANAGER, javaScriptEnabled: false, viewport: { width: 375, height: 800 } });
    const phone = await newPage(browser, { as: MANAGER, viewport: { width: 375, height: 800 } });
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
    await snap(phone, 'day-tm-phone');
    assert.deepEqual(nojs.problems(), []);
    assert.deepEqual(phone.problems(), []);
  });
});
