// Text that looks like markup stays text: names, a summary and a child's words carrying <script> and an
// <img onerror> are shown literally on the search results, the record, the concern and visit forms, the alerts
// pages, the MASH queue, the caseload and the sign-in page, and run nothing. The child is allocated to
// demo.worker, who reads and writes; the MASH worker looks at the queue, a team manager at others' caseloads.
// The page's Content-Security-Policy would block inline scripts anyway; this browser context bypasses it, so
// what is tested here is the escaping alone.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  clearSnaps, apiChronology, chronologyRows, errorSummary, goto, makeChild, navigate, newPage, nhsNumbers, snap, spacedNhs,
  startDemoAndBrowser, textOf,
  addDays, addEvent, fillConcern, fillSignIn, fillVisit, request, summaryList, ukToday, WORKER,
} from './lib.mjs';

const SCRIPT = '<script>window.__xss=1</script>';
const IMG = '<img src=x onerror="window.__xss=2">';
const BREAKOUT = '"><script>window.__xss=4</script>';
const TEXTAREA = '</textarea><img src=x onerror="window.__xss=3">';
const SHORT = '"><i>x</i>'; // fits the time box (the server keeps 15 bytes of it)

let demo;
let browser;
let page;
let childId;
const subject = {
  given_name: SCRIPT, family_name: IMG, dob: '2016-08-21', sex: 'F', postcode: 'LS2 9JT', address: `1 ${IMG} Road`,
  nhs_number: nhsNumbers(943476400).next().value, communication_needs: `Uses ${SCRIPT} signs`,
};
const NAME = `${SCRIPT} ${IMG}`;
const SUMMARY = `Reported: ${SCRIPT} and ${IMG}`;

before(async () => {
  clearSnaps('escaping');
  ({ demo, browser } = await startDemoAndBrowser());
  childId = await makeChild(demo, subject, [
    { agency: 'police', kind: 'concern', occurred_at: '2025-01-10T10:00:00Z', summary: SUMMARY },
  ]);
  page = await newPage(browser, { as: WORKER, bypassCSP: true });
});

after(async () => {
  await browser?.close();
  await demo?.stop();
});

/** Nothing ran and nothing was injected: no global set, no dialog, no inline script, no injected image. */
async function assertNothingRan(where, p = page) {
  await p.waitForLoadState('networkidle'); // an injected <img src=x> would have failed by now
  assert.equal(await p.evaluate(() => typeof window.__xss), 'undefined', `script ran on ${where}`);
  assert.deepEqual(p.dialogs(), [], `a dialog opened on ${where}`);
  const injected = await p.evaluate(() => ({
    inlineScripts: document.querySelectorAll('script:not([src])').length,
    onerror: document.querySelectorAll('[onerror]').length,
    imgX: [...document.images].filter((i) => i.getAttribute('src') === 'x').length,
  }));
  assert.deepEqual(injected, { inlineScripts: 0, onerror: 0, imgX: 0 }, `markup was injected on ${where}`);
}

/** The literal text is on the page and visible. */
async function assertShown(text, where) {
  const loc = page.getByText(text, { exact: false });
  assert.ok(await loc.count() > 0, `"${text}" is not on ${where}`);
  assert.ok(await loc.first().isVisible(), `"${text}" is not visible on ${where}`);
}

describe('markup in data is shown as text', () => {
  const others = [];
  after(async () => {
    for (const p of [page, ...others]) assert.deepEqual(p.problems(), [], 'no script errors, failed requests or dialogs');
    for (const p of others) await p.context().close();
  });
  /** Another person's page, its script errors checked at the end like the main page's. */
  async function pageAs(as) {
    const p = await newPage(browser, { as, bypassCSP: true });
    others.push(p);
    return p;
  }

  test('search results', async () => {
    await goto(page, `${demo.url}/?q=${encodeURIComponent(spacedNhs(subject.nhs_number))}`);
    await snap(page, 'escaping-01-results');
    const links = page.locator('table.govuk-table tbody a');
    assert.equal(await links.count(), 1);
    assert.equal(await textOf(links), NAME);
    await assertShown(NAME, 'the results');
    await assertNothingRan('the results');
  });

  test('what was typed in the search box comes back as the value, not as markup', async () => {
    for (const q of [IMG, BREAKOUT, SCRIPT]) {
      await goto(page, `${demo.url}/`);
      await page.locator('#q').fill(q);
      await navigate(page, () => page.getByRole('button', { name: 'Search' }).click(), (u) => u.searchParams.get('q') === q);
      assert.equal(await page.locator('#q').inputValue(), q);
      assert.equal(await page.locator('main input').count(), 4, 'no input added or removed');
      await assertNothingRan(`the search for ${q}`);
    }
    await snap(page, 'escaping-02-search-box');
  });

  test("the record: name, address, needs, summary and the timeline's title", async () => {
    await goto(page, `${demo.url}/children/${childId}`);
    await snap(page, 'escaping-03-record');
    assert.equal(await textOf(page.locator('h1')), NAME);
    assert.equal(await page.title(), `${NAME} – Safeguard`);
    await assertShown(NAME, 'the record');
    await assertShown(`1 ${IMG} Road`, 'the record');
    await assertShown(`Communication needs: Uses ${SCRIPT} signs.`, 'the record');
    const rows = await chronologyRows(page);
    assert.equal(rows.length, 1);
    assert.ok(rows[0].what.includes(SUMMARY), rows[0].what);
    assert.equal(await page.locator('svg.sg-timeline title#timeline-title').textContent(), `Timeline of events for ${NAME}`);
    await assertNothingRan('the record');
  });

  test("the concern form: the name, answers kept after an error, the child's words once saved", async () => {
    const words = `${SCRIPT} ${IMG} ${TEXTAREA}`;
    await goto(page, `${demo.url}/children/${childId}/concerns/new`);
    assert.equal(await textOf(page.locator('.govuk-caption-l')), NAME);
    await assertNothingRan('the concern form');
    // First with a time the box cannot take (the form used to be sent without an agency too; it no longer asks):
    // the form comes back with every answer as typed.
    await fillConcern(page, {
      day: '2', month: '2', year: '2025', category: 'Something else', summary: SUMMARY, words, seen: 'No', action: TEXTAREA,
    });
    await page.getByLabel('Time (optional)').fill(SHORT);
    await navigate(page, () => page.getByRole('button', { name: 'Save concern' }).click(),
      (u) => u.pathname === `/children/${childId}/concerns`);
    await snap(page, 'escaping-04-form-errors');
    assert.deepEqual((await errorSummary(page)).map((e) => e.href), ['#time']);
    assert.equal(await page.locator('#summary').inputValue(), SUMMARY);
    assert.equal(await page.locator('#child_words').inputValue(), words);
    assert.equal(await page.locator('#action').inputValue(), TEXTAREA);
    assert.equal(await page.locator('#time').inputValue(), SHORT);
    assert.equal(await page.locator('main i').count(), 0, 'no element injected from the time box');
    assert.equal(await page.locator('textarea').count(), 3, 'no textarea added or removed');
    assert.equal(await textOf(page.locator('.govuk-caption-l')), NAME);
    await assertNothingRan('the concern form with errors');

    await page.getByLabel('Time (optional)').fill('');
    await navigate(page, () => page.getByRole('button', { name: 'Save concern' }).click(),
      (u) => u.searchParams.get('recorded') === '1');
    await snap(page, 'escaping-05-saved');
    const saved = (await apiChronology(demo, childId))[0];
    assert.equal(saved.details.child_words, words, 'stored as typed');
    const row = page.locator(`#event-${saved.id}`);
    assert.equal(await textOf(row.locator('.sg-childs-words')), `The child said: “${words}”`);
    assert.ok((await textOf(row)).includes(`What was done: ${TEXTAREA}`));
    assert.ok((await textOf(row)).includes(SUMMARY));
    assert.match(await textOf(page.locator('.govuk-notification-banner')), new RegExp(`works with ${SCRIPT.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\.`));
    await assertShown(`The child said: “${words}”`, 'the record after saving');
    await assertNothingRan('the record after saving');
  });

  test('the alerts inbox, an alert and its outcome, the MASH queue', async () => {
    const ref = await addEvent(demo, 'education', {
      kind: 'referral', occurred_at: `${addDays(ukToday(), -21)}T10:00:00Z`, summary: SUMMARY, subject,
    });
    const r = await request(`${demo.url}/api/v1/alerts?child=${childId}`, { token: demo.tokens.social_care });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.alerts.length, 1, 'the undecided referral raised an alert');
    const id = r.json.alerts[0].id;
    // The child is allocated, so the alert is the worker's (it was the MASH's when nobody held the case).
    assert.deepEqual(r.json.alerts[0].owner, { kind: 'worker', name: WORKER });

    await goto(page, `${demo.url}/alerts`);
    await snap(page, 'escaping-06-inbox');
    assert.equal(await textOf(page.locator(`#alert-${id} td a`).first()), NAME);
    await assertNothingRan('the inbox');

    await goto(page, `${demo.url}/alerts/${id}`);
    assert.equal(await textOf(page.locator('.govuk-caption-l')), `Alert about ${NAME}`);
    const outcome = `${SCRIPT} ${TEXTAREA}`;
    await page.getByLabel('Outcome').fill(outcome);
    await navigate(page, () => page.getByRole('button', { name: 'Resolve' }).click(), (u) => u.searchParams.get('done') === 'resolved');
    await snap(page, 'escaping-07-alert');
    assert.equal((await summaryList(page)).Outcome, outcome);
    assert.equal(await page.locator('textarea').count(), 0, 'no textarea injected by the outcome');
    await assertNothingRan('the resolved alert');

    const mash = await pageAs('mash.worker');
    await goto(mash, `${demo.url}/mash`);
    assert.equal(await textOf(mash.locator(`#mash-${ref.id} td a`).first()), NAME);
    await assertNothingRan('the MASH queue', mash);

    // An owner one may not list is refused (403) without repeating it; one too long to be an owner comes back
    // in the box, as typed, with the error.
    for (const typed of [BREAKOUT, IMG]) {
      const res = await goto(page, `${demo.url}/alerts?owner=${encodeURIComponent(typed)}`);
      assert.equal(res.status(), 403);
      assert.equal(await textOf(page.locator('h1')), 'You cannot see these alerts');
      await assertNothingRan(`the inbox refused for ${typed}`);
      const long = `${typed}${'x'.repeat(70)}`;
      assert.equal((await goto(page, `${demo.url}/alerts?owner=${encodeURIComponent(long)}`)).status(), 400);
      assert.equal(await page.locator('#owner').inputValue(), long);
      await assertNothingRan(`the inbox with the error for ${typed}`);
    }
    // A team manager may ask for any worker's caseload (their own teams' part of it): the name comes back as typed.
    const manager = await pageAs('north.manager');
    for (const typed of [BREAKOUT, IMG]) {
      await goto(manager, `${demo.url}/caseload?worker=${encodeURIComponent(typed)}`);
      assert.equal(await manager.locator('#worker').inputValue(), typed);
      assert.equal(await textOf(manager.locator('#caseload-empty')), `No children are allocated to ${typed} in the teams you manage.`);
      await assertNothingRan(`the caseload of ${typed}`, manager);
    }
  });

  test('the sign-in page: the username and the page to come back to come back as values', async () => {
    const anon = await pageAs(null);
    const next = `/children/${childId}?x=${BREAKOUT}`;
    await goto(anon, `${demo.url}/sign-in?next=${encodeURIComponent(next)}`);
    assert.equal(await anon.locator('input[name="next"]').inputValue(), next);
    await assertNothingRan('the sign-in page with a next', anon);
    for (const typed of [BREAKOUT, IMG, SCRIPT]) {
      await fillSignIn(anon, { username: typed, password: 'not the password', code: '123456' });
      await navigate(anon, () => anon.getByRole('button', { name: 'Sign in' }).click(), (u) => u.pathname === '/sign-in');
      assert.deepEqual(await errorSummary(anon), [{ text: 'The username, password or security code is not right', href: '#username' }]);
      assert.equal(await anon.locator('#username').inputValue(), typed, 'the username as typed');
      assert.equal(await anon.locator('input[name="next"]').inputValue(), next, 'the page to come back to is kept');
      assert.equal(await anon.locator('input').count(), 5, 'no input added or removed');
      await assertNothingRan(`the sign-in page with ${typed}`, anon);
    }
    await snap(anon, 'escaping-09-sign-in');
  });

  test("the visit form: the child's needs, and answers kept after an error", async () => {
    const words = `${SCRIPT} ${TEXTAREA}`;
    await goto(page, `${demo.url}/children/${childId}/visits/new`);
    assert.equal(await textOf(page.locator('.govuk-inset-text')), `${SCRIPT}’s communication needs: Uses ${SCRIPT} signs`);
    await fillVisit(page, { day: '3', month: '2', year: '2025', words, method: IMG, summary: SUMMARY });
    await navigate(page, () => page.getByRole('button', { name: 'Save visit' }).click(), (u) => u.pathname === `/children/${childId}/visits`);
    await snap(page, 'escaping-08-visit-errors');
    assert.deepEqual((await errorSummary(page)).map((e) => e.href), ['#seen']);
    assert.equal(await page.locator('#childs_words').inputValue(), words);
    assert.equal(await page.locator('#views_method').inputValue(), IMG);
    assert.equal(await page.locator('textarea').count(), 3, 'no textarea added or removed');
    await assertNothingRan('the visit form with errors');
  });
});
