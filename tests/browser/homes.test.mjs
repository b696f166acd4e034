// The children's homes pages in a browser (issue 6, part 4), on the demo area's register: the analyst's
// ranked list with reasons, a funnel plot whose points take keyboard focus (each naming its home and figures)
// with the table alternative, a home's profile, running the monitor from the page; the police's area page
// and adding a location-risk note; acknowledging and resolving an alert about a home, and recording a
// Regulation 44 report with its errors named (by keyboard, and without JavaScript). axe-core on every page.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  assertAccessible, clearSnaps, errorSummary, focused, goto, navigate, newPage, request, snap, startDemoAndBrowser, textOf,
} from './lib.mjs';
import { homeAlertRows, homePlacements, homeRows, lastRun } from '../e2e/lib.mjs';

/** The alerts about homes through `safeguard homes alerts` (e2e lib's homeAlertRows), oldest first. */
const homeAlerts = (filter) => homeAlertRows(demo.db, filter).sort((a, b) => a.id - b.id);
const homeAlert = (id) => homeAlerts().find((a) => a.id === Number(id));
/** The first open alert (of a kind, when given) as [id, home id, month], strings. */
const firstOpen = (kind) => [homeAlerts(kind ? { kind } : {}).find((a) => a.state === 'open')]
  .map((a) => [String(a.id), String(a.home_id), a.month])[0];

let demo;
let browser;

before(async () => {
  clearSnaps('homes');
  ({ demo, browser } = await startDemoAndBrowser());
});

after(async () => {
  await browser?.close();
  await demo?.stop();
});

describe('the oversight analyst', () => {
  let page;
  before(async () => { page = await newPage(browser, { as: 'demo.analyst' }); });
  after(() => assert.deepEqual(page.problems(), [], 'no script errors, failed requests or dialogs'));

  test('the start page leads to the ranked list, flagged homes first with their reasons', async () => {
    await goto(page, `${demo.url}/`);
    assert.equal(new URL(page.url()).pathname, '/homes');
    const first = page.locator('#homes-table tbody tr').first();
    assert.match(await textOf(first), /what similar homes record|Regulation 44/);
    const flagged = new Set(homeAlerts().filter((a) => a.state === 'open').map((a) => a.home_id)).size;
    assert.equal(await page.locator('#homes-table tbody tr ul.sg-reasons').count(), flagged);
    await snap(page, 'homes-list');
    await assertAccessible(page, 'the homes list');
  });

  test('the list filters by specialism', async () => {
    await page.selectOption('#specialism', 'disability');
    await navigate(page, () => page.getByRole('button', { name: 'Show homes' }).click(),
      (u) => u.pathname === '/homes' && u.searchParams.get('specialism') === 'disability');
    const n = homeRows(demo.db).filter((h) => h.specialism === 'disability').length;
    assert.ok(n > 0, 'the demo has homes for disabled children');
    assert.equal(await page.locator('#homes-table tbody tr').count(), n);
    for (const cell of await page.locator('#homes-table tbody tr td:nth-child(3)').allInnerTexts()) assert.equal(cell, 'Disability');
    await assertAccessible(page, 'the homes list filtered');
  });

  test('a funnel plot: every home is a point reached by the keyboard, named with its figures, and in the table', async () => {
    await goto(page, `${demo.url}/homes/funnel?indicator=restraint`);
    const points = page.locator('svg.sg-funnel a');
    const n = await points.count();
    assert.ok(n > 50, `points: ${n}`);
    assert.equal(await page.locator('#funnel-table tbody tr').count(), n);
    await points.first().focus();
    const label = await page.evaluate(() => document.activeElement.getAttribute('aria-label'));
    assert.match(label, /^.+ \(URN SC\d+\): \d+ restraints, [0-9.]+ expected, (about the expected rate|[0-9.]+ times the expected rate|almost none of the expected number)\. (Within the lines|Above|Below)/);
    const href = await page.evaluate(() => document.activeElement.getAttribute('href'));
    // Tab moves from point to point.
    await page.keyboard.press('Tab');
    const next = await page.evaluate(() => document.activeElement.getAttribute('href'));
    assert.match(next, /^\/homes\/\d+$/);
    assert.notEqual(next, href);
    await snap(page, 'homes-funnel');
    await assertAccessible(page, 'the funnel plot');
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname === next);
    assert.equal(new URL(page.url()).pathname, next);
  });

  test('a flagged home\'s profile: grade, charts with reasons, incidents with Reg 35 details, visits, children placed without names', async () => {
    const { home_id: id, home_name: name } = homeAlerts({ kind: 'signal' })[0];
    await goto(page, `${demo.url}/homes/${id}`);
    assert.equal(await textOf(page.locator('h1')), name);
    assert.ok(await page.locator('#home-alerts section.sg-home-alert').count() >= 1);
    assert.equal(await page.locator('svg.sg-cusum').count(), 11);
    assert.ok(await page.locator('#rates-table tbody tr').count() === 8);
    await assertAccessible(page, 'a home profile');
    // A home with children placed: how many, how far, never who.
    const placed = homePlacements(demo.db).sort((a, b) => a.id - b.id)[0].home_id;
    await goto(page, `${demo.url}/homes/${placed}`);
    assert.match(await textOf(page.locator('#placed-summary')), /children? placed now/);
    // The names the page must not show: each placed child's family name as an agency's system holds it (GET
    // /api/v1/children/{id} with the token of an agency that wrote about the child; the operator's list prints none).
    const names = [];
    for (const { child } of homePlacements(demo.db, { home: placed }).filter((p) => p.child > 0)) {
      for (const token of Object.values(demo.tokens)) {
        const r = await request(`${demo.url}/api/v1/children/${child}`, { token });
        if (r.status !== 200) continue;
        names.push(r.json.person.family_name);
        break;
      }
    }
    assert.ok(names.length >= 1 && names.every((n) => n.length > 1), `the placed children's names: ${names}`);
    const body = await page.locator('main').innerText();
    for (const name of names) assert.ok(!body.includes(name), `the analyst is not shown ${name}`);
    assert.ok(await page.locator('.sg-reg35').count() >= 1, 'a restraint with its Regulation 35 details');
    await snap(page, 'homes-profile');
    await assertAccessible(page, 'a home profile with children placed');
  });

  test('a home with a missing Regulation 44 report says so', async () => {
    const id = homeAlerts({ kind: 'reg44' })[0].home_id;
    await goto(page, `${demo.url}/homes/${id}`);
    assert.match(await textOf(page.locator('#reports-missing')), /Missing No report for/);
  });

  test('the monitor runs from the page', async () => {
    await goto(page, `${demo.url}/homes`);
    const before = lastRun(demo.db);
    await navigate(page, () => page.getByRole('button', { name: 'Run the monitor now' }).click(),
      (u) => u.pathname === '/homes' && u.searchParams.has('ran'));
    const ran = lastRun(demo.db);
    assert.equal(ran.id, (before?.id ?? 0) + 1, 'one run more');
    assert.equal(lastRun(demo.db, { run: ran.id + 1 }), undefined);
    assert.equal(ran.trigger, 'on_demand', 'started from the page');
    assert.equal(ran.homes, homeRows(demo.db).length, 'over the whole register');
    assert.match(await textOf(page.locator('#ran-text')), /The monitor ran/);
    await assertAccessible(page, 'the homes list after a run');
  });
});

describe('the analyst acts on alerts about homes and records Regulation 44 reports', () => {
  let page;
  before(async () => { page = await newPage(browser, { as: 'demo.analyst' }); });
  after(() => assert.deepEqual(page.problems(), [], 'no script errors, failed requests or dialogs'));

  test('acknowledge from the ranked list, then resolve on the profile: an empty outcome is named, then saved', async () => {
    const [id, home] = firstOpen('signal');
    await goto(page, `${demo.url}/homes`);
    const ack = page.locator(`#alert-${id} button`, { hasText: 'Acknowledge' });
    await ack.focus();
    await navigate(page, () => page.keyboard.press('Enter'), (u) => u.pathname === `/homes/${home}`);
    assert.equal([homeAlert(id)].map((a) => `${a.state} ${a.acknowledged_by}`)[0], 'acknowledged demo.analyst');
    assert.equal(await textOf(page.locator('.govuk-notification-banner__heading')), 'Alert acknowledged. Resolve it once the work it asks for is done.');
    assert.match(await textOf(page.locator(`#alert-${id}`)), /Acknowledged By demo\.analyst on/);
    await snap(page, 'homes-alert-acknowledged');
    await assertAccessible(page, 'a home profile after acknowledging');
    const section = page.locator(`section#alert-${id}`);
    await navigate(page, () => section.getByRole('button', { name: /^Resolve/ }).click(), (u) => u.pathname.endsWith('/resolve'));
    assert.deepEqual(await errorSummary(page), [{ text: 'Enter the outcome: what was done about the alert', href: `#outcome-${id}` }]);
    await page.locator('.govuk-error-summary__list a').first().click();
    assert.equal(await focused(page), `outcome-${id}`);
    await assertAccessible(page, 'a home profile with an outcome error');
    await page.fill(`#outcome-${id}`, 'visited: restraints explained by a new high-needs child');
    await navigate(page, () => page.locator(`section#alert-${id}`).getByRole('button', { name: /^Resolve/ }).click(),
      (u) => u.pathname === `/homes/${home}`);
    assert.equal(await textOf(page.locator('.govuk-notification-banner__heading')), 'Alert resolved. The outcome is recorded with it.');
    await page.locator('#closed-alerts summary').click();
    assert.match(await page.locator(`#closed-alerts li#alert-${id}`).textContent(), /Outcome: visited: restraints explained by a new high-needs child/);
    await assertAccessible(page, 'a home profile with a resolved alert');
  });

  test('a Regulation 44 report: errors named in the summary, then recorded, resolving the month\'s alert', async () => {
    const [id, home, month] = firstOpen('reg44');
    await goto(page, `${demo.url}/homes/${home}`);
    await page.fill('#reg44-month', '14');
    await page.fill('#reg44-year', month.slice(0, 4));
    await navigate(page, () => page.getByRole('button', { name: 'Record the report' }).click(), (u) => u.pathname.endsWith('/reg44-reports'));
    assert.deepEqual((await errorSummary(page)).map((e) => e.href), ['#reg44-month', '#received-day', '#visitor', '#safeguarded', '#summary']);
    assert.equal(await page.inputValue('#reg44-month'), '14', 'the answers are kept');
    await snap(page, 'homes-reg44-errors');
    await assertAccessible(page, 'the Reg 44 form with errors');
    const [y, m] = month.split('-');
    await page.fill('#reg44-month', String(Number(m)));
    await page.fill('#received-day', '3');
    await page.fill('#received-month', String(Number(m) === 12 ? 1 : Number(m) + 1));
    await page.fill('#received-year', String(Number(m) === 12 ? Number(y) + 1 : Number(y)));
    await page.fill('#visitor', 'C. Independent');
    await page.fill('#summary', 'Spoke to two children in private. Recommends more activities at weekends.');
    await page.getByRole('group', { name: /are children effectively safeguarded/ }).getByLabel('No', { exact: true }).check();
    await navigate(page, () => page.getByRole('button', { name: 'Record the report' }).click(), (u) => u.pathname === `/homes/${home}`);
    assert.equal(await textOf(page.locator('.govuk-notification-banner__heading')), 'Regulation 44 report recorded.');
    assert.match(await textOf(page.locator('#reports-list')), /Recommends more activities at weekends\./);
    assert.match(await textOf(page.locator('#reports-list')), /Children effectively safeguarded, in the visitor's opinion: No/);
    assert.equal([homeAlert(id)].map((a) => `${a.state}|${a.resolved_by}`)[0], 'resolved|safeguard');
    await page.locator('#closed-alerts summary').click();
    assert.match(await page.locator(`#closed-alerts li#alert-${id}`).textContent(), /Resolved automatically: the Regulation 44 report for .* was recorded by demo\.analyst\./);
    await assertAccessible(page, 'a home profile after a Reg 44 report');
  });

  test('without JavaScript the forms still work: an alert is acknowledged', async () => {
    const nojs = await newPage(browser, { as: 'demo.analyst', javaScriptEnabled: false });
    const [id, home] = firstOpen();
    await goto(nojs, `${demo.url}/homes/${home}`);
    await navigate(nojs, () => nojs.locator(`section#alert-${id}`).getByRole('button', { name: /^Acknowledge/ }).click(),
      (u) => u.pathname === `/homes/${home}`);
    assert.equal(await nojs.locator('body.govuk-frontend-supported').count(), 0, 'no script ran');
    assert.equal(homeAlert(id).state, 'acknowledged');
    assert.equal(await textOf(nojs.locator('.govuk-notification-banner__heading')), 'Alert acknowledged. Resolve it once the work it asks for is done.');
    // The Reg 44 form's errors come back from the server, with the summary's links to the fields.
    await navigate(nojs, () => nojs.getByRole('button', { name: 'Record the report' }).click(), (u) => u.pathname.endsWith('/reg44-reports'));
    assert.deepEqual((await errorSummary(nojs)).map((e) => e.text), ['Enter the month of the visit', 'Enter the date the report was received',
      "Enter the independent visitor's name", "Select whether, in the visitor's opinion, children are effectively safeguarded",
      'Enter the summary of the report and its recommendations']);
    assert.deepEqual(nojs.problems(), []);
    await nojs.context().close();
  });
});

describe('the police', () => {
  let page;
  before(async () => { page = await newPage(browser, { as: 'demo.police' }); });
  after(() => assert.deepEqual(page.problems(), [], 'no script errors, failed requests or dialogs'));

  test('the homes of the area and the children missing from them', async () => {
    await goto(page, `${demo.url}/police/homes`);
    const n = homeRows(demo.db, { la: '383' }).length;
    assert.ok(n > 0, 'the demo has homes in Leeds');
    assert.equal(await page.locator('#police-homes-table tbody tr').count(), n);
    await snap(page, 'homes-police');
    await assertAccessible(page, 'the police homes page');
  });

  test('a location-risk note: refused when too short, then saved and shown', async () => {
    const id = String(homeRows(demo.db, { la: '383' })[0].id);
    await goto(page, `${demo.url}/police/homes/${id}`);
    await assertAccessible(page, 'a police home page');
    await page.fill('#note', 'short');
    await navigate(page, () => page.getByRole('button', { name: 'Add note' }).click(), (u) => u.pathname.endsWith('/notes'));
    assert.match(await textOf(page.locator('.govuk-error-summary')), /Enter the note: 10 to 2,000 characters/);
    await assertAccessible(page, 'a police note with an error');
    const text = 'Two adults seen waiting in a car outside most evenings; checks made.';
    await page.fill('#note', text);
    await navigate(page, () => page.getByRole('button', { name: 'Add note' }).click(),
      (u) => u.pathname === `/police/homes/${id}`);
    assert.ok((await textOf(page.locator('#notes-list'))).includes(text));
  });
});
