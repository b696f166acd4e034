// The pages of need-to-know that are not a child's record, and the administrator's pages, in a real browser:
// opening a record in an emergency (break-glass: the refusal's link, the form, its errors with nothing written,
// the record then open, the audit holding no reason; by mouse, by keyboard and with JavaScript off), "who has
// looked at this record" (the allocated worker and the DPO see it, with each break-glass highlighted and its
// reason; anyone else is refused as src/service/children.c's policy says), and the administrator's pages
// (people: add, sign in as the new person, reset, disable; teams; allocations; agency tokens, revoked and then
// refused by the API). axe on every state of every page; markup typed into the forms comes back as text.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  assertAccessible, assertPhaseBanner, chronologyRows, clearSnaps, csrfToken, DEMO_PEOPLE, errorSummary, fillSignIn,
  focused, goto, makeChild, navigate, newPage, nhsNumbers, postFromPage, request, ROLE_NAMES, signedInAs, signIn,
  snap, startDemoAndBrowser, textOf, totp, WORKER, WORKER_TEAM,
} from './lib.mjs';
import {
  allocationOf, auditRows, breakGlassRows, dpoNotices, now, teamRows, tokenRows, userRow, userRows, rowCount,
} from '../e2e/lib.mjs';

let demo;
let browser;
const nhs = nhsNumbers(943477100);
const MISSING = 999999; // no child has this id

// Allocated to demo.worker; only the police and health wrote about him, so demo.school (education) and demo.chair
// (social care) have no relationship with him and must break the glass.
const ansel = {
  given_name: 'Anselm', family_name: 'Quarrington', dob: '2013-09-04', sex: 'M', postcode: 'LS9 7PQ',
  address: '12 Ribston Street', nhs_number: nhs.next().value,
};
let anselId;
// Not allocated; only education wrote about her: demo.police breaks the glass with JavaScript off.
const bryony = {
  given_name: 'Bryony', family_name: 'Achterberg', dob: '2016-01-19', sex: 'F', postcode: 'LS13 2JR',
  address: '7 Swinnow Lane', nhs_number: nhs.next().value,
};
let bryonyId;
// Not allocated; the police wrote about him: the administrator allocates him to the person they add.
const cosmo = {
  given_name: 'Cosimo', family_name: 'Fairweather-Ntim', dob: '2012-12-01', sex: 'M', postcode: 'LS14 6UF',
  address: '40 Seacroft Crescent', nhs_number: nhs.next().value,
};
let cosmoId;

const SCHOOL_REASON = 'Anselm arrived at school with a head injury and says he cannot go home tonight.';
// Markup that would break out of the textarea, or run, if it were not escaped.
const XSS_IMG = '<img src=x onerror="window.__xss=1">';
const XSS_TEXTAREA = '</textarea><script>window.__xss=2</script>';
const CHAIR_REASON = `Conference today: ${XSS_TEXTAREA} ${XSS_IMG} <b>bold</b> & "quoted"`;
const POLICE_REASON = 'Bryony reported missing overnight; officers need her school and family contacts now.';

before(async () => {
  clearSnaps('access');
  ({ demo, browser } = await startDemoAndBrowser());
  anselId = await makeChild(demo, ansel, [
    { agency: 'police', kind: 'police_callout', occurred_at: '2025-01-08T22:10:00Z', summary: 'Shouting reported at the address' },
    { agency: 'health', kind: 'unscheduled_care', occurred_at: '2025-01-21T15:00:00Z', summary: 'Attended A&E with a cut hand' },
  ]);
  bryonyId = await makeChild(demo, bryony, [
    { agency: 'education', kind: 'school_absence', occurred_at: '2025-02-03T09:00:00Z', summary: 'Absent for four days' },
  ], { allocate: false });
  cosmoId = await makeChild(demo, cosmo, [
    { agency: 'police', kind: 'police_callout', occurred_at: '2025-02-14T20:00:00Z', summary: 'Found out late by officers' },
  ], { allocate: false });
});

after(async () => {
  await browser?.close();
  await demo?.stop();
});

/** Pages opened by a describe block, checked for problems and closed after it. */
function pagesFor() {
  const opened = [];
  after(async () => {
    for (const p of opened) assert.deepEqual(p.problems(), [], 'no script errors, failed requests or dialogs');
    for (const p of opened) await p.context().close();
  });
  return async (as, options = {}) => {
    const p = await newPage(browser, { as, ...options });
    opened.push(p);
    return p;
  };
}

const userId = (username) => userRow(demo.db, username).id;
/** The audit entries of an action (lib's auditRows), those of one actor when given. */
const auditsOf = (filter, actor) => auditRows(demo.db, filter).filter((e) => actor === undefined || e.actor === actor);
/** The newest API client's id, through `safeguard token list` (lib's tokenRows). */
const newestToken = () => Math.max(...tokenRows(demo.db).map((t) => t.id));
// "Nothing written" counts every break-glass row, one on an id that holds no child too (the operator's list shows
// openings of children): `safeguard stats` counts the table's rows.
const glassRows = () => rowCount(demo.db, 'break_glass');

/** Runs action (a click, a key) that sends a form; resolves with the POST's status and where the browser ends. */
async function submit(page, action, pred = () => true) {
  const posted = page.waitForResponse((r) => r.request().method() === 'POST');
  const url = await navigate(page, action, pred);
  return { status: (await posted).status(), url };
}

/** Nothing typed ran or was injected: no global set, no dialog, no inline script, no image with src x, no <b>. */
async function assertNothingRan(page, where) {
  assert.equal(await page.evaluate(() => typeof window.__xss), 'undefined', `script ran on ${where}`);
  assert.deepEqual(page.dialogs(), [], `a dialog opened on ${where}`);
  const injected = await page.evaluate(() => ({
    inlineScripts: document.querySelectorAll('script:not([src])').length,
    onerror: document.querySelectorAll('[onerror]').length,
    imgX: [...document.images].filter((i) => i.getAttribute('src') === 'x').length,
    bold: [...document.querySelectorAll('main b')].filter((b) => b.textContent === 'bold').length,
  }));
  assert.deepEqual(injected, { inlineScripts: 0, onerror: 0, imgX: 0, bold: 0 }, `markup was injected on ${where}`);
}

/** The refusal page of a record one has no relationship with, and its break-glass link. */
async function assertRecordRefused(page, id, { glassLink = true } = {}) {
  const res = await goto(page, `${demo.url}/children/${id}`);
  assert.equal(res.status(), 403, `the record of child ${id}`);
  assert.equal(await textOf(page.locator('h1')), 'You cannot see this record');
  assert.equal(await page.locator('#chronology-table').count(), 0);
  const link = page.getByRole('link', { name: 'Open the record in an emergency' });
  assert.equal(await link.count(), glassLink ? 1 : 0, 'the break-glass link is offered only to those who may use it');
  if (glassLink) assert.equal(await link.getAttribute('href'), `/children/${id}/break-glass`);
  return link;
}

/** Presses the first page's Continue (issue 15: the try is made, then the reason asked for): by mouse or keyboard. */
async function continueGlass(page, { keyboard = false } = {}) {
  const posted = page.waitForResponse((r) => r.request().method() === 'POST');
  if (keyboard) {
    for (let pressed = 0; await page.evaluate(() => document.activeElement?.textContent?.trim()) !== 'Continue';) {
      assert.ok(++pressed <= 40, 'Tab never reached Continue');
      await page.keyboard.press('Tab');
    }
    await navigate(page, () => page.keyboard.press('Enter'), () => true);
  } else {
    await navigate(page, () => page.getByRole('button', { name: 'Continue' }).click(), () => true);
  }
  return (await posted).status();
}

/** Checks the break-glass form as it first appears (it says nothing about the child), then continues to the reason. */
async function assertGlassForm(page, id, child, options = {}) {
  assert.equal(new URL(page.url()).pathname, `/children/${id}/break-glass`);
  assert.equal(await textOf(page.locator('h1')), 'Open a record in an emergency');
  assert.match(await page.title(), /^Open a record in an emergency – Safeguard$/);
  let main = await textOf(page.locator('main'));
  assert.ok(!main.includes(child.given_name) && !main.includes(child.family_name) && !main.includes(child.postcode),
    `the first page says nothing about the child: ${main}`);
  assert.match(main, /the data protection officer is told at once/);
  if (options.axe !== false) await assertAccessible(page, 'the first page of break-glass'); // axe needs JavaScript
  assert.equal(await continueGlass(page, options), 200);
  main = await textOf(page.locator('main'));
  assert.ok(!main.includes(child.given_name) && !main.includes(child.family_name) && !main.includes(child.postcode),
    `the form says nothing about the child: ${main}`);
  assert.match(main, /The record opens to you for 1 hour\./);
  assert.equal(await page.getByLabel('Why is this an emergency?').inputValue(), '');
  assert.equal(await page.locator('form[action$="/break-glass"]').getAttribute('action'), `/children/${id}/break-glass`);
}

/** The "who has looked" table: [{when, who, what, basis, glass, reasonHref}]. */
async function viewerRows(page) {
  const out = [];
  for (const row of await page.locator('#viewers-table tbody tr').all()) {
    const cells = row.locator('td');
    const link = cells.nth(4).locator('a');
    out.push({ // issue 15: who (their role under the name), their agency, what, the basis
      who: (await textOf(cells.nth(1))).split(' ')[0],
      what: await textOf(cells.nth(3)),
      basis: (await textOf(cells.nth(4))).replace(/ Read the reason.*$/, ''),
      glass: (await row.getAttribute('class')).split(/\s+/).includes('sg-break-glass'),
      reasonHref: await link.count() ? await link.getAttribute('href') : null,
    });
  }
  return out;
}

/** The break-glass entries below the table: [{id, who, reason}]. */
async function glassEntries(page) {
  const out = [];
  for (const e of await page.locator('div.sg-break-glass').all()) {
    out.push({
      id: await e.getAttribute('id'),
      who: await textOf(e.locator('dd').nth(0)),
      reason: await e.locator('dd.sg-reason').innerText(),
    });
  }
  return out;
}

// ---- break-glass ----

describe('opening a record in an emergency (break-glass)', () => {
  const pageAs = pagesFor();

  test('no relationship: the refusal offers break-glass; an empty, short or long reason is refused, nothing written', async () => {
    const page = await pageAs('demo.school');
    const link = await assertRecordRefused(page, anselId);
    assert.match(await textOf(page.locator('main')), /you can open it in an emergency: you will be asked why/);
    await snap(page, 'access-01-record-403');
    await assertPhaseBanner(page);
    await assertAccessible(page, 'the record refusal offering break-glass');

    await navigate(page, () => link.click(), (u) => u.pathname === `/children/${anselId}/break-glass`);
    await assertGlassForm(page, anselId, ansel);
    await snap(page, 'access-02-glass-form');
    await assertAccessible(page, 'the break-glass form');
    const before = glassRows();
    const opens = auditsOf({ action: 'break_glass.open' }).length;

    // Empty: one error, linked to the reason box, which the link focuses.
    let r = await submit(page, () => page.getByRole('button', { name: 'Open the record' }).click());
    assert.equal(r.status, 400);
    assert.equal(r.url.pathname, `/children/${anselId}/break-glass`);
    assert.deepEqual(await errorSummary(page), [{ text: 'Enter why this is an emergency', href: '#reason' }]);
    assert.match(await page.title(), /^Error: Open a record in an emergency – Safeguard$/);
    assert.equal(await textOf(page.locator('#reason-error')), 'Error: Enter why this is an emergency');
    assert.match(await page.locator('#reason').getAttribute('aria-describedby'), /\breason-error\b/);
    assert.equal(await page.locator('.govuk-form-group--error #reason').count(), 1);
    await snap(page, 'access-03-glass-empty');
    await assertAccessible(page, 'the break-glass form with no reason');
    await page.locator('.govuk-error-summary__list a[href="#reason"]').click();
    assert.equal(await focused(page), 'reason', 'the error link puts the focus on the reason box');

    // Nine characters: too short, and kept as typed.
    await page.getByLabel('Why is this an emergency?').fill('Need help');
    r = await submit(page, () => page.getByRole('button', { name: 'Open the record' }).click());
    assert.equal(r.status, 400);
    assert.deepEqual(await errorSummary(page),
      [{ text: 'Why this is an emergency must be 10 characters or more', href: '#reason' }]);
    assert.equal(await page.getByLabel('Why is this an emergency?').inputValue(), 'Need help');
    await assertAccessible(page, 'the break-glass form with a short reason');

    // 501 characters: too long (the character count warns; the server refuses).
    const long = `${'x'.repeat(491)} too long.`;
    assert.equal(long.length, 501);
    await page.getByLabel('Why is this an emergency?').fill(long);
    r = await submit(page, () => page.getByRole('button', { name: 'Open the record' }).click());
    assert.equal(r.status, 400);
    assert.deepEqual(await errorSummary(page), [{
      text: 'Why this is an emergency must be 500 characters or fewer, without control characters', href: '#reason',
    }]);
    assert.equal(await page.getByLabel('Why is this an emergency?').inputValue(), long);
    await snap(page, 'access-04-glass-long');
    await assertAccessible(page, 'the break-glass form with a long reason');

    assert.equal(glassRows(), before, 'no break-glass was written');
    assert.equal(auditsOf({ action: 'break_glass.open' }).length, opens, 'nothing audited');
    assert.equal((await goto(page, `${demo.url}/children/${anselId}`)).status(), 403, 'the record is still closed');
  });

  test('a valid reason opens the record; the audit says where the reason is, without it', async () => {
    const page = await pageAs('demo.school');
    await assertRecordRefused(page, anselId);
    await navigate(page, () => page.getByRole('link', { name: 'Open the record in an emergency' }).click(),
      (u) => u.pathname === `/children/${anselId}/break-glass`);
    assert.equal(await continueGlass(page), 200);
    await page.getByLabel('Why is this an emergency?').fill(SCHOOL_REASON);
    const r = await submit(page, () => page.getByRole('button', { name: 'Open the record' }).click(),
      (u) => u.pathname === `/children/${anselId}`);
    assert.equal(r.status, 303);
    await snap(page, 'access-05-glass-record');
    assert.equal(await textOf(page.locator('h1')), 'Anselm Quarrington');
    assert.equal((await chronologyRows(page)).length, 2, 'the whole record is open');

    const me = userId('demo.school');
    // The opening as the operator's list shows it (safeguard break-glass list).
    const rows = breakGlassRows(demo.db, { child: anselId }).filter((g) => g.user_id === me);
    assert.equal(rows.length, 1, 'one break-glass row');
    const [{ id: glassId, reason, at, expires_at: until }] = rows;
    assert.equal(reason, SCHOOL_REASON, 'the reason is kept');
    assert.equal((Date.parse(until) - Date.parse(at)) / 1000, 3600, 'for an hour');
    const audit = auditsOf({ action: 'break_glass.open', child: anselId }).map((e) => `${e.actor}|${e.object}|${e.detail}`);
    assert.equal(audit.length, 1);
    const [actor, object, detail] = audit[0].split('|');
    assert.equal(actor, `user:${me}:demo.school`);
    assert.equal(object, `child:${anselId}`);
    assert.match(detail, new RegExp(`^break_glass:${glassId} until \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$`));
    for (const word of ['head injury', 'Anselm', 'school', 'home']) {
      assert.ok(!detail.includes(word), `the audit's detail does not hold the reason: ${detail}`);
    }
    assert.equal(auditsOf({ action: 'child.read', child: anselId }, `user:${me}:demo.school`)
      .filter((e) => e.detail === 'record page; break-glass').length, 1, 'the read is audited on its basis');
    // Still open on another look within the hour.
    assert.equal((await goto(page, `${demo.url}/children/${anselId}`)).status(), 200);
  });

  test('keyboard only: Tab to the link, Enter, type the reason, Enter on the button', async () => {
    const page = await pageAs('demo.chair', { bypassCSP: true });
    const link = await assertRecordRefused(page, anselId);
    await page.keyboard.press('Tab'); // from the top of the page
    let pressed = 1;
    const isLink = () => page.evaluate(() => document.activeElement?.getAttribute('href')?.endsWith('/break-glass') ?? false);
    while (!(await isLink())) {
      assert.ok(++pressed <= 40, 'Tab never reached the break-glass link');
      await page.keyboard.press('Tab');
    }
    assert.equal(await link.evaluate((a) => a === document.activeElement), true);
    await navigate(page, () => page.keyboard.press('Enter'), (u) => u.pathname === `/children/${anselId}/break-glass`);
    await assertGlassForm(page, anselId, ansel, { keyboard: true });
    for (pressed = 0; await focused(page) !== 'reason';) {
      assert.ok(++pressed <= 40, 'Tab never reached the reason box');
      await page.keyboard.press('Tab');
    }
    // Markup in an invalid reason comes back as the textarea's text.
    const bad = `${XSS_TEXTAREA}`.slice(0, 9);
    await page.keyboard.type(bad);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Open the record');
    let r = await submit(page, () => page.keyboard.press('Enter'));
    assert.equal(r.status, 400);
    assert.equal(await page.locator('#reason').inputValue(), bad);
    assert.equal(await page.locator('#reason').evaluate((t) => t.value), bad);

    // The error summary takes the focus; its link moves it to the box, where the reason is typed again.
    await page.locator('.govuk-error-summary__list a[href="#reason"]').focus();
    await page.keyboard.press('Enter');
    assert.equal(await focused(page), 'reason');
    await page.keyboard.press('Control+A');
    await page.keyboard.type(CHAIR_REASON);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Open the record');
    r = await submit(page, () => page.keyboard.press('Enter'), (u) => u.pathname === `/children/${anselId}`);
    assert.equal(r.status, 303);
    assert.equal(await textOf(page.locator('h1')), 'Anselm Quarrington');
    assert.deepEqual(breakGlassRows(demo.db, { child: anselId }).filter((g) => g.user_id === userId('demo.chair')).map((g) => g.reason),
      [CHAIR_REASON], 'the reason is kept exactly as typed');
    await assertNothingRan(page, 'the record after a marked-up reason');
  });

  test('markup in a refused reason comes back as text in the box', async () => {
    const page = await pageAs('demo.health', { bypassCSP: true });
    await goto(page, `${demo.url}/children/${bryonyId}/break-glass`);
    assert.equal(await continueGlass(page), 200);
    const reason = `${XSS_TEXTAREA} ${XSS_IMG} ${'y'.repeat(500)}`;
    await page.getByLabel('Why is this an emergency?').fill(reason);
    const before = glassRows();
    const r = await submit(page, () => page.getByRole('button', { name: 'Open the record' }).click());
    assert.equal(r.status, 400);
    assert.equal(await page.locator('#reason').inputValue(), reason, 'the box holds the reason as typed');
    assert.equal(await page.locator('textarea').count(), 1, 'the textarea was not closed early');
    await assertNothingRan(page, 'the break-glass form with a marked-up reason');
    assert.equal(glassRows(), before);
  });

  test('JavaScript off: the refusal, the form, its error and the record', async () => {
    const page = await pageAs('demo.police', { javaScriptEnabled: false });
    const link = await assertRecordRefused(page, bryonyId);
    assert.equal(await page.locator('body.js-enabled').count(), 0, 'no script ran');
    await navigate(page, () => link.click(), (u) => u.pathname === `/children/${bryonyId}/break-glass`);
    await assertGlassForm(page, bryonyId, bryony, { axe: false });
    const before = glassRows();
    let r = await submit(page, () => page.getByRole('button', { name: 'Open the record' }).click());
    assert.equal(r.status, 400);
    assert.deepEqual(await errorSummary(page), [{ text: 'Enter why this is an emergency', href: '#reason' }]);
    await snap(page, 'access-06-glass-nojs-error');
    await page.locator('.govuk-error-summary__list a[href="#reason"]').click();
    await page.waitForURL((u) => u.hash === '#reason');
    assert.equal(glassRows(), before, 'nothing written');
    await page.getByLabel('Why is this an emergency?').fill(POLICE_REASON);
    r = await submit(page, () => page.getByRole('button', { name: 'Open the record' }).click(),
      (u) => u.pathname === `/children/${bryonyId}`);
    assert.equal(r.status, 303);
    assert.equal(await textOf(page.locator('h1')), 'Bryony Achterberg');
    assert.equal((await chronologyRows(page)).length, 1);
    assert.equal(glassRows(), before + 1);
    assert.deepEqual(breakGlassRows(demo.db, { child: bryonyId }).map((g) => g.reason), [POLICE_REASON]);
  });

  test('a role that may not break the glass, and an id with no child', async () => {
    // The DPO reads records under need-to-know but does not break the glass: no link, and the form is refused.
    const dpo = await pageAs('demo.dpo');
    await assertRecordRefused(dpo, cosmoId, { glassLink: false });
    const res = await goto(dpo, `${demo.url}/children/${cosmoId}/break-glass`);
    assert.equal(res.status(), 403);
    assert.equal(await textOf(dpo.locator('h1')), 'You cannot use this page');
    assert.match(await textOf(dpo.locator('main')), /Your role \(Data protection officer\) does not include this page\./);
    await assertAccessible(dpo, 'the break-glass form refused to a role');

    // The first page for an id with no child looks the same (issue 14: it must not tell which ids hold children);
    // continuing makes the try, which counts against the day's allowance and is told to the DPO, and then says
    // "not found" before any reason is asked for (issue 15). Nothing is opened.
    const school = await pageAs('demo.school');
    await goto(school, `${demo.url}/children/${MISSING}/break-glass`);
    assert.equal(await textOf(school.locator('h1')), 'Open a record in an emergency');
    const before = glassRows();
    const noChild = () => dpoNotices(demo.db).filter((n) => n.detail === 'nothing opened: no child has this id').length;
    const notices = noChild();
    assert.equal(await continueGlass(school), 404);
    assert.equal(await textOf(school.locator('h1')), 'Child not found');
    assert.equal(await school.locator('textarea').count(), 0, 'no reason is asked for');
    assert.equal(glassRows(), before);
    assert.equal(noChild(), notices + 1);
    await assertAccessible(school, 'break-glass for an id with no child');
  });
});

// ---- who has looked ----

describe('who has looked at this record', () => {
  const pageAs = pagesFor();

  test('the allocated worker: the link on the record, every look newest first, the break-glasses and their reasons', async () => {
    const page = await pageAs(WORKER, { bypassCSP: true });
    await goto(page, `${demo.url}/children/${anselId}`);
    const link = page.getByRole('link', { name: 'Who has looked at this record' });
    assert.equal(await link.getAttribute('href'), `/children/${anselId}/viewers`);
    const reads = auditsOf({ action: 'viewers.read', child: anselId }).length;
    const res = page.waitForResponse((r) => new URL(r.url()).pathname === `/children/${anselId}/viewers`);
    await navigate(page, () => link.click(), (u) => u.pathname === `/children/${anselId}/viewers`);
    assert.equal((await res).status(), 200);
    await snap(page, 'access-07-viewers');
    assert.equal(await textOf(page.locator('h1')), 'Who has looked at this record');
    assert.equal(await textOf(page.locator('.govuk-caption-l')), 'Anselm Quarrington');
    assert.equal(await page.locator('a.govuk-back-link').getAttribute('href'), `/children/${anselId}`);
    assert.equal(auditsOf({ action: 'viewers.read', child: anselId }, `user:${userId(WORKER)}:${WORKER}`).length, reads + 1,
      'this look is audited');

    const rows = await viewerRows(page);
    // Newest first: this look, the worker's look at the record, then the chair's and the school's.
    assert.deepEqual(rows[0],
      { who: WORKER, what: 'Looked at who has looked at the record', basis: 'Allocated worker', glass: false, reasonHref: null });
    assert.deepEqual(rows[1], { who: WORKER, what: 'Opened the record', basis: 'Allocated worker', glass: false, reasonHref: null });
    const glassIds = Object.fromEntries(breakGlassRows(demo.db, { child: anselId }).map((g) => [g.username, String(g.id)]));
    for (const who of ['demo.school', 'demo.chair']) {
      const opened = rows.filter((r) => r.who === who && r.glass);
      assert.equal(opened.length, 1, `${who}'s break-glass is listed once and highlighted`);
      assert.deepEqual(opened[0], {
        who, what: 'Emergency access Opened the record in an emergency (break-glass)', basis: 'Emergency access (break-glass)',
        glass: true, reasonHref: `#break-glass-${glassIds[who]}`,
      });
      const looked = rows.filter((r) => r.who === who && r.what === 'Opened the record');
      assert.ok(looked.length >= 1, `${who}'s look at the record is listed`);
      for (const l of looked) assert.equal(l.basis, 'Emergency access (break-glass)');
      // The break-glass comes before (below) the look it allowed.
      assert.ok(rows.indexOf(opened[0]) > rows.indexOf(looked[looked.length - 1]), `${who}: newest first`);
    }
    assert.equal(rows.filter((r) => r.glass).length, 2, 'only the break-glasses are highlighted');
    const tag = page.locator('#viewers-table tr.sg-break-glass .govuk-tag--red');
    assert.equal(await tag.count(), 2);

    const entries = await glassEntries(page);
    assert.deepEqual(entries.map((e) => e.who).sort(), ['demo.chair', 'demo.school']);
    assert.equal(entries.find((e) => e.who === 'demo.school').reason, SCHOOL_REASON);
    assert.equal(entries.find((e) => e.who === 'demo.chair').reason, CHAIR_REASON, 'the marked-up reason is text');
    await assertNothingRan(page, 'the viewers page');

    // "Read the reason" goes to the reason.
    await page.locator(`#viewers-table a[href="#break-glass-${glassIds['demo.school']}"]`).click();
    await page.waitForURL((u) => u.hash === `#break-glass-${glassIds['demo.school']}`);
    const entry = page.locator(`#break-glass-${glassIds['demo.school']}`);
    assert.ok(await entry.isVisible());
    assert.ok(await entry.evaluate((e) => { const r = e.getBoundingClientRect(); return r.top < window.innerHeight && r.bottom > 0; }),
      'the reason is scrolled into view');
    assert.equal(await entry.locator('.sg-reason').innerText(), SCHOOL_REASON);
    await assertAccessible(page, 'the viewers page');
  });

  test('the data protection officer sees it for any record; an id with no child is 404 for them', async () => {
    const page = await pageAs('demo.dpo');
    const res = await goto(page, `${demo.url}/children/${anselId}/viewers`);
    assert.equal(res.status(), 200);
    assert.equal(await textOf(page.locator('h1')), 'Who has looked at this record');
    const entries = await glassEntries(page);
    assert.equal(entries.find((e) => e.who === 'demo.school')?.reason, SCHOOL_REASON);
    assert.equal((await viewerRows(page))[0].who, 'demo.dpo', "the DPO's own look is listed first");
    await assertAccessible(page, 'the viewers page, as the DPO');
    // A record nobody has looked at yet but the DPO.
    await goto(page, `${demo.url}/children/${cosmoId}/viewers`);
    assert.equal(await page.locator('div.sg-break-glass').count(), 0);
    assert.match(await textOf(page.locator('main')), /No one has opened this record in an emergency\./);
    await assertAccessible(page, 'the viewers page with no break-glass');
    const missing = await goto(page, `${demo.url}/children/${MISSING}/viewers`);
    assert.equal(missing.status(), 404);
    assert.equal(await textOf(page.locator('h1')), 'Child not found');
  });

  test('the DPO is told of each break-glass at once: the notices page, from the menu, links to who has looked', async () => {
    const page = await pageAs('demo.dpo');
    await navigate(page, () => page.getByRole('link', { name: 'Break-glass notices', exact: true }).click(), (u) => u.pathname === '/notices');
    assert.equal(await textOf(page.locator('h1')), 'Break-glass notices');
    assert.equal(await textOf(page.locator('.govuk-service-navigation__item--active')), 'Break-glass notices');
    const rows = await page.locator('#notices-table tbody tr').evaluateAll((trs) => trs.map((tr) =>
      [...tr.querySelectorAll('td')].map((td) => td.innerText.trim())));
    // demo.school opened Anselm's record, demo.chair too, demo.police Bryony's; demo.school tried an id with no child.
    const opened = rows.filter((r) => r[2].startsWith('Opened the record until')); // issue 15: in words, UK time
    assert.ok(opened.some((r) => r[1] === 'demo.school' && r[3].startsWith(String(anselId))), JSON.stringify(rows));
    assert.ok(rows.some((r) => r[1] === 'demo.school' && r[2] === 'Nothing opened: no child has this id'
      && r[3] === String(MISSING)), JSON.stringify(rows));
    const link = page.locator(`#notices-table a[href="/children/${anselId}/viewers"]`).first();
    assert.equal(await link.count(), 1, 'an opening links to who has looked');
    assert.equal(auditsOf({ action: 'notices.read' }).filter((e) => e.actor.endsWith('demo.dpo')).length >= 1, true);
    await snap(page, 'access-07-notices');
    await assertAccessible(page, 'the break-glass notices');
    await navigate(page, () => link.click(), (u) => u.pathname === `/children/${anselId}/viewers`);
    assert.equal(await textOf(page.locator('h1')), 'Who has looked at this record');
    // Nobody else has the page or its menu item.
    const worker = await pageAs(WORKER);
    await goto(worker, `${demo.url}/`);
    assert.equal(await worker.getByRole('link', { name: 'Break-glass notices' }).count(), 0);
    assert.equal((await goto(worker, `${demo.url}/notices`)).status(), 403);
  });

  test("anyone else: the team's manager, another worker's child and a missing one get the same 403; other roles cannot use the page", async () => {
    // The manager of the allocated team sees the record but not who has looked (children_may_see_viewers).
    assert.equal(teamRows(demo.db, { code: WORKER_TEAM })[0].manager, 'north.manager');
    const manager = await pageAs('north.manager');
    assert.equal((await goto(manager, `${demo.url}/children/${anselId}`)).status(), 200);
    assert.equal(await manager.getByRole('link', { name: 'Who has looked at this record' }).count(), 0, 'no link for the manager');
    const seen = [];
    for (const [page, id] of [[manager, anselId], [await pageAs(WORKER), bryonyId], [await pageAs(WORKER), MISSING]]) {
      const res = await goto(page, `${demo.url}/children/${id}/viewers`);
      assert.equal(res.status(), 403, `viewers of ${id}`);
      assert.equal(await page.locator('#viewers-table').count(), 0);
      seen.push({ h1: await textOf(page.locator('h1')), main: await textOf(page.locator('main')) });
    }
    assert.equal(seen[0].h1, 'You cannot see who has looked at this record');
    assert.match(seen[0].main, /Only the child's allocated worker and the data protection officer see who has looked/);
    assert.deepEqual(seen[1], seen[0]);
    assert.deepEqual(seen[2], seen[0], 'a missing child gets the same answer');
    await assertAccessible(manager, 'the viewers page refused');

    // A role without the page at all, even one whose break-glass is open on the child.
    const school = await pageAs('demo.school');
    assert.equal((await goto(school, `${demo.url}/children/${anselId}`)).status(), 200, 'the break-glass is still open');
    assert.equal(await school.getByRole('link', { name: 'Who has looked at this record' }).count(), 0);
    const res = await goto(school, `${demo.url}/children/${anselId}/viewers`);
    assert.equal(res.status(), 403);
    assert.equal(await textOf(school.locator('h1')), 'You cannot use this page');
    assert.match(await textOf(school.locator('main')), /Your role \(School safeguarding lead\) does not include this page\./);
    assert.ok(!(await textOf(school.locator('main'))).includes(SCHOOL_REASON));
    await assertAccessible(school, 'the viewers page refused to a role');
  });
});

// ---- administration ----

const NEW_USER = 'sam.okonkwo-reid';
const NEW_PASSWORD = 'correct horse battery staple';
const NEW_TEAM = { code: 'east-cp', name: 'Child Protection East' };
const ADMIN_ACTOR = () => `user:${userId('demo.admin')}:demo.admin`;
const adminAudits = (action) => auditsOf({ action }, ADMIN_ACTOR()).length;

describe('administration', () => {
  const pageAs = pagesFor();
  let admin;
  let newcomer; // the new person's own page, signed in
  let secret;

  before(async () => { admin = await pageAs('demo.admin'); });

  test('every other role is refused the administration pages', async () => {
    for (const [username, role] of Object.entries(DEMO_PEOPLE)) {
      if (role === 'admin') continue;
      const page = await pageAs(username);
      const res = await goto(page, `${demo.url}/admin`);
      assert.equal(res.status(), 403, `${username} on /admin`);
      assert.equal(await textOf(page.locator('h1')), 'You cannot use this page', username);
      assert.match(await textOf(page.locator('main')), new RegExp(`Your role \\(${ROLE_NAMES[role]}\\) does not include this page\\.`));
      if (username === WORKER) {
        await snap(page, 'access-08-admin-403');
        await assertAccessible(page, '/admin refused');
        for (const path of ['/admin/users', '/admin/teams', '/admin/allocations', '/admin/tokens', '/admin/users/1/reset']) {
          assert.equal((await goto(page, `${demo.url}${path}`)).status(), 403, path);
        }
        const users = userRows(demo.db).length;
        const r = await postFromPage(page, '/admin/users', {
          csrf_token: await csrfToken(page), username: 'sneaky.one', agency: 'social_care', role: 'admin',
          password: 'a long enough password',
        });
        assert.equal(r.status, 403);
        assert.match(r.text, /You cannot use this page/);
        assert.equal(userRows(demo.db).length, users, 'no one was added');
      }
      await page.context().close();
    }
  });

  test('the index; the administrator never sees a record', async () => {
    await goto(admin, `${demo.url}/admin`);
    assert.equal(await textOf(admin.locator('h1')), 'Administration');
    await assertPhaseBanner(admin);
    for (const [name, href] of [['People who sign in', '/admin/users'], ['Teams', '/admin/teams'],
      ['Allocate a child', '/admin/allocations'], ["Agency systems' API tokens", '/admin/tokens']]) {
      assert.equal(await admin.locator('main').getByRole('link', { name, exact: true }).getAttribute('href'), href, name);
    }
    await snap(admin, 'access-09-admin');
    await assertAccessible(admin, 'the administration index');
    const res = await goto(admin, `${demo.url}/children/${anselId}`);
    assert.equal(res.status(), 403);
    assert.equal(await textOf(admin.locator('h1')), 'You cannot use this page');
  });

  test('add a person: each missing or wrong answer named, then the secret shown once', async () => {
    await goto(admin, `${demo.url}/admin`);
    await navigate(admin, () => admin.getByRole('link', { name: 'People who sign in' }).click(), (u) => u.pathname === '/admin/users');
    assert.equal(await textOf(admin.locator('h1')), 'People who sign in');
    for (const u of Object.keys(DEMO_PEOPLE)) assert.equal(await admin.locator('#users-table th[scope=row]', { hasText: u }).count(), 1, u);
    assert.equal(await admin.getByRole('button', { name: 'Disable demo.admin' }).count(), 0, 'no button to disable oneself');
    await assertAccessible(admin, 'the people page');
    const users = userRows(demo.db).length;
    const add = () => admin.getByRole('button', { name: 'Add the person' }).click();

    let r = await submit(admin, add);
    assert.equal(r.status, 400);
    assert.deepEqual(await errorSummary(admin), [
      { text: 'Enter a username', href: '#username' },
      { text: "Select the person's agency", href: '#agency' },
      { text: "Select the person's role", href: '#role' },
      { text: "Enter a password for the person's first sign-in", href: '#password' },
    ]);
    assert.match(await admin.title(), /^Error: People who sign in – Safeguard$/);
    for (const id of ['username', 'agency', 'role', 'password']) {
      assert.equal(await admin.locator(`#${id}-error`).count(), 1, `${id}'s message by the field`);
      assert.match(await admin.locator(`#${id}`).getAttribute('aria-describedby'), new RegExp(`\\b${id}-error\\b`));
    }
    await snap(admin, 'access-10-user-errors');
    await assertAccessible(admin, 'the people page with errors');
    await admin.locator('.govuk-error-summary__list a[href="#role"]').click();
    assert.equal(await focused(admin), 'role');

    await admin.getByLabel('Username').fill('Sam Okonkwo');
    await admin.getByLabel('Agency').selectOption('social_care');
    await admin.getByLabel('Role').selectOption('social_worker');
    await admin.getByLabel('Password for their first sign-in').fill('too short');
    r = await submit(admin, add);
    assert.equal(r.status, 400);
    assert.deepEqual(await errorSummary(admin), [
      { text: 'The username must be 1 to 64 of a to z, 0 to 9, dots, hyphens and underscores', href: '#username' },
      { text: 'The password must be 12 to 256 characters', href: '#password' },
    ]);
    assert.equal(await admin.getByLabel('Username').inputValue(), 'Sam Okonkwo', 'the answers are kept');
    assert.equal(await admin.getByLabel('Agency').inputValue(), 'social_care');
    assert.equal(await admin.getByLabel('Role').inputValue(), 'social_worker');
    assert.equal(await admin.getByLabel('Password for their first sign-in').inputValue(), '', 'but not the password');
    await assertAccessible(admin, 'the people page with a wrong username and password');

    await admin.getByLabel('Username').fill(WORKER);
    await admin.getByLabel('Password for their first sign-in').fill(NEW_PASSWORD);
    r = await submit(admin, add);
    assert.equal(r.status, 400);
    assert.deepEqual(await errorSummary(admin), [{ text: 'That username is taken: choose another', href: '#username' }]);
    assert.equal(userRows(demo.db).length, users, 'no one added so far');

    await admin.getByLabel('Username').fill(NEW_USER);
    await admin.getByLabel('Password for their first sign-in').fill(NEW_PASSWORD);
    const posted = admin.waitForResponse((x) => x.request().method() === 'POST');
    r = await submit(admin, add);
    assert.equal(r.status, 200);
    assert.equal((await posted).headers()['cache-control'], 'no-store', 'the secret page is never kept');
    await snap(admin, 'access-11-user-secret');
    assert.equal(await textOf(admin.locator('h1')), 'Person added');
    assert.match(await textOf(admin.locator('main')),
      new RegExp(`${NEW_USER} can now sign in as ${NEW_USER} \\(Children's social care, Social worker\\)`));
    secret = await textOf(admin.locator('#secret'));
    assert.match(secret, /^[A-Z2-7]{32}$/);
    assert.equal(await textOf(admin.locator('#secret-uri')),
      `otpauth://totp/Safeguard:${NEW_USER}?secret=${secret}&issuer=Safeguard&algorithm=SHA1&digits=6&period=30`);
    assert.match(await textOf(admin.locator('.govuk-warning-text')), /This secret is shown only now\..*in person, not by email/);
    await assertAccessible(admin, 'the page showing a new secret');
    const added = userRow(demo.db, NEW_USER);
    assert.equal(`${added.agency} ${added.role} ${added.disabled_at === '' ? 1 : 0}`, 'social_care social_worker 1');
    assert.equal(auditsOf({ action: 'user.create' }, ADMIN_ACTOR()).map((e) => `${e.object}|${e.detail}`).join('\n'),
      `user:${userId(NEW_USER)}|social_care, social_worker`, 'the addition is audited with the administrator as actor');

    await navigate(admin, () => admin.getByRole('link', { name: 'Back to people who sign in' }).click(), (u) => u.pathname === '/admin/users');
    assert.equal(await admin.locator(`#user-${userId(NEW_USER)} th`).innerText(), NEW_USER);
    assert.ok(!(await admin.content()).includes(secret), 'the secret is not shown again');
  });

  test('the new person signs in with the password and a code from the secret shown', async () => {
    newcomer = await pageAs(null);
    await goto(newcomer, `${demo.url}/sign-in`);
    await fillSignIn(newcomer, { username: NEW_USER, password: NEW_PASSWORD, code: totp(secret) });
    // A social worker lands on their alerts (issue 15).
    await navigate(newcomer, () => newcomer.getByRole('button', { name: 'Sign in' }).click(), (u) => u.pathname === '/alerts');
    assert.equal(await signedInAs(newcomer), `${NEW_USER} (Social worker)`);
    // Not allocated yet: Cosimo's record is closed to them.
    await assertRecordRefused(newcomer, cosmoId);
  });

  test('teams: errors named, an unknown manager refused, then saved and listed', async () => {
    await goto(admin, `${demo.url}/admin/teams`);
    assert.equal(await textOf(admin.locator('h1')), 'Teams');
    assert.equal(await textOf(admin.locator('#teams-table tr', { hasText: 'Family Support North' }).locator('td').nth(1)), 'Nadia Okafor (north.manager)');
    await assertAccessible(admin, 'the teams page');
    const teams = teamRows(demo.db).length;
    const upserts = adminAudits('team.upsert');
    const save = () => admin.getByRole('button', { name: 'Save the team' }).click();
    let r = await submit(admin, save);
    assert.equal(r.status, 400);
    assert.deepEqual(await errorSummary(admin), [
      { text: "Enter the team's code", href: '#code' }, { text: "Enter the team's name", href: '#name' },
    ]);
    await snap(admin, 'access-12-team-errors');
    await assertAccessible(admin, 'the teams page with errors');

    await admin.getByLabel('Code').fill('East CP');
    await admin.getByLabel('Name', { exact: true }).fill(NEW_TEAM.name);
    r = await submit(admin, save);
    assert.equal(r.status, 400);
    assert.deepEqual(await errorSummary(admin),
      [{ text: 'The code must be 1 to 32 of a to z, 0 to 9, hyphens and underscores', href: '#code' }]);
    assert.equal(await admin.getByLabel('Name', { exact: true }).inputValue(), NEW_TEAM.name);

    await admin.getByLabel('Code').fill(NEW_TEAM.code);
    await admin.getByLabel("Manager's username (optional)").fill('no.such.person');
    r = await submit(admin, save);
    assert.equal(r.status, 400);
    assert.deepEqual(await errorSummary(admin), [{ text: 'There is no person with that username: add them first', href: '#manager' }]);
    await assertAccessible(admin, 'the teams page with an unknown manager');
    assert.equal(teamRows(demo.db).length, teams, 'nothing saved');
    assert.equal(adminAudits('team.upsert'), upserts, 'nothing audited');

    await admin.getByLabel("Manager's username (optional)").fill('north.manager');
    r = await submit(admin, save, (u) => u.pathname === '/admin/teams' && u.searchParams.get('done') === 'team');
    assert.equal(r.status, 303);
    assert.equal(await textOf(admin.locator('.govuk-notification-banner--success .govuk-notification-banner__heading')), 'The team is saved.');
    const row = admin.locator('#teams-table tbody tr', { has: admin.locator('th', { hasText: NEW_TEAM.code }) });
    assert.deepEqual(await row.locator('td').allInnerTexts(), [NEW_TEAM.name, 'Nadia Okafor (north.manager)']);
    assert.deepEqual(teamRows(demo.db, { code: NEW_TEAM.code }), [{ code: NEW_TEAM.code, name: NEW_TEAM.name, manager: 'north.manager',
      phone: '', out_of_hours_phone: '', email: '' }]);
    assert.equal(adminAudits('team.upsert'), upserts + 1, 'the team is audited with the administrator as actor');
    await snap(admin, 'access-13-team-saved');
    await assertAccessible(admin, 'the teams page after saving');
  });

  test('allocate a child: found by search, confirmed by name, and the worker sees the record', async () => {
    // Issue 15: the child and the worker are found by name and a confirmation page names both (the errors of
    // the confirmed POST are tests/e2e/admin_day.test.mjs's and pages_access's).
    await goto(admin, `${demo.url}/admin/allocations`);
    assert.equal(await textOf(admin.locator('h1')), 'Allocate a child');
    await assertAccessible(admin, 'the allocations page');
    const search = () => admin.getByRole('button', { name: 'Search' }).click();
    await navigate(admin, search, (u) => u.pathname === '/admin/allocations');
    assert.deepEqual(await errorSummary(admin), [
      { text: "Enter the child's name, NHS number or number, or a date of birth", href: '#child' },
      { text: "Enter the worker's name", href: '#user' },
    ]);
    await snap(admin, 'access-14-allocate-errors');
    await assertAccessible(admin, 'the allocations page with errors');

    await admin.getByLabel("Child's name, NHS number or number").fill('Cosimo Fairweather');
    await admin.getByLabel("Worker's name").fill(NEW_USER);
    await admin.getByLabel('Team', { exact: true }).selectOption(NEW_TEAM.code);
    await navigate(admin, search, (u) => u.pathname === '/admin/allocations');
    await admin.getByLabel(`Cosimo Fairweather-Ntim, born 1 December 2012 (number ${cosmoId})`).check();
    await admin.getByLabel(new RegExp(`\\(${NEW_USER.replace('.', '\\.')}\\), Social worker`)).check();
    await assertAccessible(admin, 'the allocation search results');
    await navigate(admin, () => admin.getByRole('button', { name: 'Continue' }).click(), (u) => u.pathname === '/admin/allocations/confirm');
    assert.match(await textOf(admin.locator('h1')), new RegExp(`^Allocate Cosimo Fairweather-Ntim \\(born 1 December 2012\\) to .*, ${NEW_TEAM.name}\\?$`));
    assert.equal(allocationOf(demo.db, cosmoId), undefined, 'nothing allocated before the yes');
    await assertAccessible(admin, 'the allocation confirmation');
    const r = await submit(admin, () => admin.getByRole('button', { name: 'Yes, allocate' }).click(),
      (u) => u.pathname === '/admin/allocations' && u.searchParams.get('done') === 'allocated');
    assert.equal(r.status, 303);
    assert.match(await textOf(admin.locator('.govuk-notification-banner__heading')), /^The child is allocated/);
    await assertAccessible(admin, 'the allocations page after allocating');
    const held = allocationOf(demo.db, cosmoId);
    assert.equal(`${held.worker} ${held.team}`, `${NEW_USER} ${NEW_TEAM.code}`);
    assert.equal(auditsOf({ action: 'allocation.set', child: cosmoId }, ADMIN_ACTOR()).length, 1);

    const res = await goto(newcomer, `${demo.url}/children/${cosmoId}`);
    assert.equal(res.status(), 200);
    assert.equal(await textOf(newcomer.locator('h1')), 'Cosimo Fairweather-Ntim');
    assert.equal((await chronologyRows(newcomer)).length, 1);
    assert.equal(await newcomer.getByRole('link', { name: 'Who has looked at this record' }).count(), 1, 'now their child');
  });

  test('reset a person: errors named, a new secret shown once, their sessions end, the new credentials sign in', async () => {
    await goto(admin, `${demo.url}/admin/users`);
    await navigate(admin, () => admin.getByRole('link', { name: `Reset password and second factor for ${NEW_USER}` }).click(),
      (u) => u.pathname === `/admin/users/${userId(NEW_USER)}/reset`);
    assert.equal(await textOf(admin.locator('h1')), 'Reset password and second factor');
    assert.equal(await textOf(admin.locator('.govuk-caption-l')), NEW_USER);
    await assertAccessible(admin, 'the reset form');
    const resets = adminAudits('user.reset');
    const reset = () => admin.getByRole('button', { name: 'Reset password and second factor' }).click();
    let r = await submit(admin, reset);
    assert.equal(r.status, 400);
    assert.deepEqual(await errorSummary(admin), [{ text: 'Enter the new password', href: '#password' }]);
    await assertAccessible(admin, 'the reset form with no password');
    await admin.getByLabel('New password').fill('short');
    r = await submit(admin, reset);
    assert.equal(r.status, 400);
    assert.deepEqual(await errorSummary(admin), [{ text: 'The password must be 12 to 256 characters', href: '#password' }]);
    await snap(admin, 'access-15-reset-error');
    await assertAccessible(admin, 'the reset form with a short password');
    // The refused resets changed nothing: none audited, and the person's session (which a reset ends) still opens
    // their child. (Read here, not as the stored hash: that the password did change is the new one signing in below.)
    assert.equal(adminAudits('user.reset'), resets, 'nothing reset yet');
    assert.equal((await goto(newcomer, `${demo.url}/children/${cosmoId}`)).status(), 200, 'their session still stands');
    assert.equal(new URL(newcomer.url()).pathname, `/children/${cosmoId}`);

    const newPassword = 'violet lantern orchard seventeen';
    await admin.getByLabel('New password').fill(newPassword);
    r = await submit(admin, reset);
    assert.equal(r.status, 200);
    assert.equal(await textOf(admin.locator('h1')), 'Password and second factor reset');
    const newSecret = await textOf(admin.locator('#secret'));
    assert.match(newSecret, /^[A-Z2-7]{32}$/);
    assert.notEqual(newSecret, secret);
    // Audited with the administrator as actor. (The entry's object is only "user": it does not say whose
    // credentials were reset; reported, not asserted.)
    assert.equal(adminAudits('user.reset'), resets + 1);
    assert.match(await textOf(admin.locator('.govuk-warning-text')), /Their old authenticator entry no longer works\./);
    await snap(admin, 'access-16-reset-secret');
    await assertAccessible(admin, 'the page showing a reset secret');

    // Their session ended: the next page asks them to sign in.
    await goto(newcomer, `${demo.url}/children/${cosmoId}`);
    assert.equal(new URL(newcomer.url()).pathname, '/sign-in');
    assert.equal(await signedInAs(newcomer), null);
    // The new password and secret sign in at once: a new secret starts its own count of steps used
    // (S_USER_CREDENTIALS), so its code of this step is no replay though the old secret's was used in it.
    demo.people[NEW_USER] = { role: 'social_worker', agency: 'social_care', password: newPassword, secret: newSecret };
    await fillSignIn(newcomer, { username: NEW_USER, password: newPassword, code: totp(newSecret) });
    await navigate(newcomer, () => newcomer.getByRole('button', { name: 'Sign in' }).click(),
      (u) => u.pathname === `/children/${cosmoId}`);
    assert.equal(await textOf(newcomer.locator('h1')), 'Cosimo Fairweather-Ntim');
    secret = newSecret;
  });

  test('disable a person: they are signed out and cannot sign in', async () => {
    await goto(admin, `${demo.url}/admin/users`);
    // Issue 15: asked first, on a page of its own.
    await navigate(admin, () => admin.getByRole('button', { name: `Disable ${NEW_USER}` }).click(),
      (u) => u.pathname === `/admin/users/${userId(NEW_USER)}/disable`);
    assert.match(await textOf(admin.locator('h1')), /^Disable .*\?$/);
    await assertAccessible(admin, 'the question before disabling');
    const r = await submit(admin, () => admin.getByRole('button', { name: 'Yes, disable them' }).click(),
      (u) => u.pathname === '/admin/users' && u.searchParams.get('done') === 'disabled');
    assert.equal(r.status, 303);
    assert.equal(await textOf(admin.locator('.govuk-notification-banner__heading')),
      'The person is disabled: they cannot sign in, and their sessions have ended.');
    const row = admin.locator(`#user-${userId(NEW_USER)}`);
    assert.match(await textOf(row), /Disabled since \d{1,2} \w+ \d{4}/);
    assert.equal(await row.getByRole('button').count(), 1, 'one button: Enable, no Disable for a disabled person');
    assert.equal(await row.getByRole('button', { name: `Enable ${NEW_USER}` }).count(), 1);
    assert.notEqual(userRow(demo.db, NEW_USER).disabled_at, '', 'disabled');
    assert.equal(auditsOf({ action: 'user.disable' }, ADMIN_ACTOR()).map((e) => e.object).join('\n'),
      `user:${userId(NEW_USER)}`);
    await snap(admin, 'access-17-disabled');
    await assertAccessible(admin, 'the people page after disabling');

    await goto(newcomer, `${demo.url}/children/${cosmoId}`);
    assert.equal(new URL(newcomer.url()).pathname, '/sign-in', 'their session ended');
    // Right password, right code (the next step's, which the server accepts and no sign-in has used yet: only the
    // disabling can refuse it).
    await fillSignIn(newcomer, { username: NEW_USER, password: demo.people[NEW_USER].password, code: totp(secret, now(), 1) });
    const posted = newcomer.waitForResponse((x) => x.request().method() === 'POST');
    await navigate(newcomer, () => newcomer.getByRole('button', { name: 'Sign in' }).click(), (u) => u.pathname === '/sign-in');
    assert.equal((await posted).status(), 400);
    assert.deepEqual(await errorSummary(newcomer), [{ text: 'The username, password or security code is not right', href: '#username' }]);
    assert.equal(await signedInAs(newcomer), null);

    // Disabling oneself is refused, with nothing written.
    const me = userId('demo.admin');
    const res = await postFromPage(admin, `/admin/users/${me}/disable`, { csrf_token: await csrfToken(admin) });
    assert.equal(res.status, 400);
    assert.match(res.text, /You cannot disable your own account: ask another administrator/);
    assert.equal(userRows(demo.db).find((u) => u.id === me).disabled_at, '', 'still enabled');

    // Enabled again: they sign in with what they had; the session that ended stays ended.
    await goto(admin, `${demo.url}/admin/users`);
    const on = await submit(admin, () => admin.getByRole('button', { name: `Enable ${NEW_USER}` }).click(),
      (u) => u.pathname === '/admin/users' && u.searchParams.get('done') === 'enabled');
    assert.equal(on.status, 303);
    assert.equal(await textOf(admin.locator('.govuk-notification-banner__heading')),
      'The person is enabled: they can sign in again with the password and second factor they had.');
    assert.equal(await row.getByRole('button').count(), 1);
    assert.equal(await row.getByRole('button', { name: `Disable ${NEW_USER}` }).count(), 1);
    await assertAccessible(admin, 'the people page after enabling');
    // The second factor they had: the next step's code again (the refused sign-in above used no step).
    await fillSignIn(newcomer, { username: NEW_USER, password: demo.people[NEW_USER].password, code: totp(secret, now(), 1) });
    await navigate(newcomer, () => newcomer.getByRole('button', { name: 'Sign in' }).click(), (u) => u.pathname !== '/sign-in');
    assert.match(await signedInAs(newcomer), new RegExp(`^${NEW_USER.replace('.', '\\.')} \\(`));
    assert.equal(auditsOf({ action: 'user.enable' }, ADMIN_ACTOR()).map((e) => e.object).join('\n'),
      `user:${userId(NEW_USER)}`);
  });

  test('agency tokens: errors named, a token shown once works with the API until it is revoked', async () => {
    await goto(admin, `${demo.url}/admin/tokens`);
    assert.equal(await textOf(admin.locator('h1')), "Agency systems' API tokens");
    await assertAccessible(admin, 'the tokens page');
    const tokens = tokenRows(demo.db).length;
    const create = () => admin.getByRole('button', { name: 'Create a token' }).click();
    let r = await submit(admin, create);
    assert.equal(r.status, 400);
    assert.deepEqual(await errorSummary(admin), [{ text: 'Select the agency whose system will use the token', href: '#agency' }]);
    await snap(admin, 'access-18-token-errors');
    await assertAccessible(admin, 'the tokens page with errors');
    await admin.getByLabel('Agency').selectOption('police');
    await admin.getByLabel('Label (optional)').fill('L'.repeat(101));
    r = await submit(admin, create);
    assert.equal(r.status, 400);
    assert.deepEqual(await errorSummary(admin), [{ text: 'The label must be 100 characters or fewer, on one line', href: '#label' }]);
    assert.equal(await admin.getByLabel('Agency').inputValue(), 'police');
    assert.equal(tokenRows(demo.db).length, tokens, 'no token made');

    await admin.getByLabel('Label (optional)').fill('Police case management (browser test)');
    const posted = admin.waitForResponse((x) => x.request().method() === 'POST');
    r = await submit(admin, create);
    assert.equal(r.status, 200);
    assert.equal((await posted).headers()['cache-control'], 'no-store');
    assert.equal(await textOf(admin.locator('h1')), 'Token created');
    assert.match(await textOf(admin.locator('main')), /A token for Police's system, labelled Police case management \(browser test\), to events:write\./);
    assert.doesNotMatch(await textOf(admin.locator('main')), /It does not work yet/);
    const token = await textOf(admin.locator('#secret'));
    assert.match(token, /^sgt_[A-Za-z0-9_-]{43}$/);
    assert.equal(await admin.locator('#secret-uri').count(), 0);
    assert.match(await textOf(admin.locator('.govuk-warning-text')), /This token is shown only now: only its hash is kept\./);
    await snap(admin, 'access-19-token-secret');
    await assertAccessible(admin, 'the page showing a new token');
    const id = newestToken();
    const made = tokenRows(demo.db).find((t) => t.id === id);
    assert.equal(`${made.agency}|${made.label}|${made.revoked_at === '' ? 1 : 0}`, 'police|Police case management (browser test)|1');
    assert.equal(adminAudits('token.create'), 1);

    // It works, for what its scope says: sending records, not reading a child (403, not 401).
    const api = `${demo.url}/api/v1/children/${cosmoId}`;
    const ok = await request(api, { token });
    assert.equal(ok.status, 403, `the new token is known: ${ok.text}`);
    assert.match(ok.json.error.message, /needs the scope records:read/);

    await navigate(admin, () => admin.getByRole('link', { name: 'Back to API tokens' }).click(), (u) => u.pathname === '/admin/tokens');
    assert.ok(!(await admin.content()).includes(token), 'the token is not shown again');
    const row = admin.locator(`#token-${id}`);
    assert.match(await textOf(row), /Police Police case management \(browser test\) .* In use/);
    // Issue 15: asked first, on a page of its own.
    await navigate(admin, () => row.getByRole('button', { name: `Revoke token ${id}` }).click(),
      (u) => u.pathname === `/admin/tokens/${id}/revoke`);
    assert.match(await textOf(admin.locator('h1')), new RegExp(`^Revoke Police's token ${id}\\?$`));
    await assertAccessible(admin, 'the question before revoking');
    r = await submit(admin, () => admin.getByRole('button', { name: 'Yes, revoke the token' }).click(),
      (u) => u.pathname === '/admin/tokens' && u.searchParams.get('done') === 'revoked');
    assert.equal(r.status, 303);
    assert.equal(await textOf(admin.locator('.govuk-notification-banner__heading')), 'The token is revoked: the API refuses it from now on.');
    assert.match(await textOf(admin.locator(`#token-${id}`)), /Revoked/);
    assert.notEqual(tokenRows(demo.db).find((t) => t.id === id).revoked_at, '');
    assert.equal(adminAudits('token.revoke'), 1);
    assert.equal(await admin.locator(`#token-${id}`).getByRole('button').count(), 0);
    await snap(admin, 'access-20-token-revoked');
    await assertAccessible(admin, 'the tokens page after revoking');
    const refused = await request(api, { token });
    assert.equal(refused.status, 401, `the revoked token is refused: ${refused.text}`);
    assert.notEqual((await request(api, { token: demo.tokens.police })).status, 401, "the demo's police token still works");
  });

  test('a token that reads children waits for a second administrator', async () => {
    await goto(admin, `${demo.url}/admin/tokens`);
    await admin.getByLabel('Agency').selectOption('health');
    await admin.getByLabel('Label (optional)').fill('Ward EPR (browser test)');
    await admin.getByLabel('flags:read').check();
    const r = await submit(admin, () => admin.getByRole('button', { name: 'Create a token' }).click());
    assert.equal(r.status, 200);
    assert.match(await textOf(admin.locator('main')), /to events:write flags:read\. .* It does not work yet: it reads children, so another administrator must approve it/);
    const token = await textOf(admin.locator('#secret'));
    const flags = await request(`${demo.url}/api/v1/flags?nhs_number=9434765919`, { token });
    assert.equal(flags.status, 401);
    assert.equal(flags.json.error.code, 'token_pending');
    await navigate(admin, () => admin.getByRole('link', { name: 'Back to API tokens' }).click(), (u) => u.pathname === '/admin/tokens');
    const id = newestToken();
    const row = admin.locator(`#token-${id}`);
    assert.match(await textOf(row), /events:write flags:read .* Awaiting approval You made it: another administrator approves it/);
    assert.equal(await row.getByRole('button', { name: `Approve token ${id}` }).count(), 0, 'not for the one who made it');
    await assertAccessible(admin, 'the tokens page with a token awaiting approval');
  });

  test('markup typed into the administration forms comes back as text', async () => {
    const page = await pageAs('demo.admin', { bypassCSP: true });
    const XSS_ATTR = `"><img src=x onerror="window.__xss=3">`;
    // A team name is kept and listed.
    await goto(page, `${demo.url}/admin/teams`);
    const name = `Team ${XSS_IMG} <b>bold</b>`;
    await page.getByLabel('Code').fill('xss-team');
    await page.getByLabel('Name', { exact: true }).fill(name);
    let r = await submit(page, () => page.getByRole('button', { name: 'Save the team' }).click(),
      (u) => u.searchParams.get('done') === 'team');
    assert.equal(r.status, 303);
    const row = page.locator('#teams-table tbody tr', { has: page.locator('th', { hasText: 'xss-team' }) });
    assert.equal(await row.locator('td').first().innerText(), name);
    await assertNothingRan(page, 'the teams list');
    // A username that is not one comes back in its box, with the form's error.
    await goto(page, `${demo.url}/admin/users`);
    await page.getByLabel('Username').fill(XSS_ATTR);
    r = await submit(page, () => page.getByRole('button', { name: 'Add the person' }).click());
    assert.equal(r.status, 400);
    assert.equal(await page.getByLabel('Username').inputValue(), XSS_ATTR);
    await assertNothingRan(page, 'the people page with a marked-up username');
    // A token's label, on the page that shows the token and in the list.
    await goto(page, `${demo.url}/admin/tokens`);
    const label = `<b>bold</b> ${XSS_IMG}`;
    await page.getByLabel('Agency').selectOption('housing');
    await page.getByLabel('Label (optional)').fill(label);
    r = await submit(page, () => page.getByRole('button', { name: 'Create a token' }).click());
    assert.equal(r.status, 200);
    assert.ok((await page.locator('main p').first().innerText()).includes(`labelled ${label}, to events:write.`));
    await assertNothingRan(page, 'the page showing a token with a marked-up label');
    await goto(page, `${demo.url}/admin/tokens`);
    const id = newestToken();
    assert.equal(await page.locator(`#token-${id} td`).nth(1).innerText(), label);
    await assertNothingRan(page, 'the tokens list');
  });
});
