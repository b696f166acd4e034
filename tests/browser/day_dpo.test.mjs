// Issue 15 in a browser, the data protection officer's day: they land on the service, reach "Data protection" from
// the header, read the latest notices, filter the area's emergency openings (person, agency, dates; a wrong date
// named in an error summary), and follow an opening to the child's "who has looked", which names the child, each
// person's agency and role and the basis of every look. axe on every page at 1280 px and 375 px (JavaScript on); the
// same pages with JavaScript off at 375 px, each fitting the window.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  assertAccessible, clearSnaps, csrfToken, errorSummary, goto, makeChild, navigate, newPage, nhsNumbers, postFromPage,
  snap, sql, startDemoAndBrowser, textOf,
} from './lib.mjs';
import { breakGlassRows } from '../e2e/lib.mjs';

let demo;
let browser;
const nhs = nhsNumbers(943481100);
// Allocated to demo.worker; only the school wrote about her: demo.police opens her record in an emergency.
const freya = {
  given_name: 'Freya', family_name: 'Mbeki-Holt', dob: '2013-11-02', sex: 'F', postcode: 'LS6 3HN',
  address: '9 Brudenell Mount', nhs_number: nhs.next().value,
};
let freyaId;
let glassId;
const REASON = 'Freya reported missing from school; officers need her carers and her last known address now.';

before(async () => {
  clearSnaps('daydpo');
  ({ demo, browser } = await startDemoAndBrowser({ families: 10 }));
  freyaId = await makeChild(demo, freya, [
    { agency: 'education', kind: 'school_absence', occurred_at: '2025-04-07T09:00:00Z', summary: 'Absent without word' },
  ]);
  // The officer's opening, as their browser sends it: the try, then the reason; then they read the record.
  const police = await newPage(browser, { as: 'demo.police' });
  const csrf = await csrfToken(police);
  assert.equal((await postFromPage(police, `/children/${freyaId}/break-glass`, { csrf_token: csrf, step: 'start' })).status, 200);
  assert.equal((await postFromPage(police, `/children/${freyaId}/break-glass`, { csrf_token: csrf, reason: REASON })).status, 303);
  assert.equal((await goto(police, `${demo.url}/children/${freyaId}`)).status(), 200);
  await police.context().close();
  glassId = breakGlassRows(demo.db, { child: freyaId })[0]?.id;
  assert.ok(glassId > 0);
});

after(async () => {
  await browser?.close();
  await demo?.stop();
});

async function assertFits(page, label) {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  assert.ok(scroll <= width, `${label} is ${scroll} px wide in a ${width} px window`);
}

/** axe at 1280 px and at 375 px (and that it fits) with JavaScript on; with it off (375 px already), that it fits. */
async function check(page, label, name, { js = true } = {}) {
  if (js) {
    await assertAccessible(page, label);
    await page.setViewportSize({ width: 375, height: 812 });
    await assertAccessible(page, `${label} at 375 px`);
    await assertFits(page, `${label} at 375 px`);
    await page.setViewportSize({ width: 1280, height: 900 });
  } else {
    await assertFits(page, label);
    await snap(page, name); // the phone's view, for a person to look at
  }
}

/** The rows of a table: each row's cells' text. */
async function rows(page, id) {
  const out = [];
  for (const row of await page.locator(`#${id} tbody tr`).all()) {
    const cells = [];
    for (const c of await row.locator('td').all()) cells.push((await c.innerText()).replace(/\s+/g, ' ').trim());
    out.push(cells);
  }
  return out;
}

/** Submits the filter form (its "Apply filters" button) and waits for the page. */
async function apply(page, path) {
  await navigate(page, () => page.getByRole('button', { name: 'Apply filters' }).click(), (u) => u.pathname === path);
}

async function dpoDay(page, { js, tag }) {
  // The header leads to the DPO's home.
  if (js) {
    await navigate(page, () => page.getByRole('link', { name: 'Data protection', exact: true }).click(),
      (u) => u.pathname === '/dpo');
  } else {
    assert.equal(await page.getByRole('link', { name: 'Data protection', exact: true }).getAttribute('href'), '/dpo');
    await goto(page, `${demo.url}/dpo`);
  }
  assert.equal(await textOf(page.locator('h1')), 'Data protection');
  assert.equal(await page.locator('a[href="/dpo"][aria-current="true"]').count(), 1, 'the header marks where they are');
  const notices = await rows(page, 'dpo-notices');
  assert.ok(notices.some((r) => r[1] === 'demo.police' && /^Opened the record until \d\d:\d\d on \d{1,2} [A-Z][a-z]+ \d{4}$/.test(r[2])), JSON.stringify(notices));
  let openings = await rows(page, 'openings-table');
  assert.equal(openings.length, 1);
  assert.deepEqual(openings[0].slice(1, 4), ['demo.police Police officer', 'Police',
    'Freya Mbeki-Holt : who has looked, and the reason given']); // the link's words for a screen reader end it
  await check(page, `${tag}: the DPO's home`, `daydpo-${tag}-1-home`, { js });

  // Filters: a person, an agency, a wrong date (named), then the right ones.
  await page.getByLabel('Person (username, or part of it)').fill('police');
  await apply(page, '/dpo');
  assert.equal((await rows(page, 'openings-table')).length, 1);
  await page.getByLabel('Agency').selectOption({ label: 'Health' });
  await apply(page, '/dpo');
  assert.equal((await rows(page, 'openings-table')).length, 0);
  assert.equal(await textOf(page.locator('#openings-count')), 'No openings match the filters.');
  await check(page, `${tag}: no openings match`, `daydpo-${tag}-2-none`, { js });
  await page.getByLabel('Agency').selectOption({ label: 'Police' });
  await page.locator('#from-day').fill('31');
  await page.locator('#from-month').fill('2');
  await page.locator('#from-year').fill('2026');
  await apply(page, '/dpo');
  assert.deepEqual(await errorSummary(page), [{ text: 'The date from must be a real date, like 4 12 2026', href: '#from-day' }]);
  await check(page, `${tag}: a wrong date`, `daydpo-${tag}-3-error`, { js });
  await page.locator('#from-day').fill('1');
  await page.locator('#from-month').fill('1');
  await page.locator('#from-year').fill('2020');
  await apply(page, '/dpo');
  openings = await rows(page, 'openings-table');
  assert.equal(openings.length, 1);

  // The opening leads to the child's "who has looked", at the reason.
  await navigate(page, () => page.getByRole('link', { name: /Freya Mbeki-Holt/ }).click(),
    (u) => u.pathname === `/children/${freyaId}/viewers` && u.hash === `#break-glass-${glassId}`);
  assert.equal(await textOf(page.locator('.govuk-caption-l')), 'Freya Mbeki-Holt');
  assert.equal(await textOf(page.locator('h1')), 'Who has looked at this record');
  const looks = await rows(page, 'viewers-table');
  assert.ok(looks.length >= 3, JSON.stringify(looks));
  for (const l of looks) assert.notEqual(l[4], 'Not recorded', `a basis for every look: ${l.join(' | ')}`);
  const opened = looks.find((l) => l[3].includes('Opened the record in an emergency'));
  assert.deepEqual(opened.slice(1, 3), ['demo.police Police officer', 'Police']);
  const read = looks.find((l) => l[1].startsWith('demo.police') && l[3] === 'Opened the record');
  assert.equal(read[4], 'Emergency access (break-glass)');
  const mine = looks.find((l) => l[1].startsWith('demo.dpo'));
  assert.deepEqual(mine.slice(2), ["Children's social care", 'Looked at who has looked at the record', 'Data protection officer']);
  assert.equal(await textOf(page.locator(`#break-glass-${glassId} .sg-reason`)), REASON);
  await check(page, `${tag}: who has looked`, `daydpo-${tag}-4-viewers`, { js });
  // Filtered by basis: the emergency looks only.
  await page.getByLabel('Basis').selectOption({ label: 'Emergency access (break-glass)' });
  await apply(page, `/children/${freyaId}/viewers`);
  const glass = await rows(page, 'viewers-table');
  assert.ok(glass.length >= 2 && glass.every((l) => l[4].startsWith('Emergency access')), JSON.stringify(glass));
  await check(page, `${tag}: who has looked, filtered`, `daydpo-${tag}-5-filtered`, { js });
  // Back to the DPO's home.
  assert.equal(await page.locator('.govuk-back-link').getAttribute('href'), '/dpo');
}

describe("the data protection officer's day", () => {
  const opened = [];
  after(async () => {
    for (const p of opened) assert.deepEqual(p.problems(), [], 'no script errors, failed requests or dialogs');
    for (const p of opened) await p.context().close();
  });

  test('JavaScript on: home, notices, emergency openings filtered, who has looked', async () => {
    const page = await newPage(browser, { as: 'demo.dpo' });
    opened.push(page);
    await dpoDay(page, { js: true, tag: 'js' });
  });

  test('JavaScript off at 375 px: the same pages, each fitting the window', async () => {
    const page = await newPage(browser, { as: 'demo.dpo', javaScriptEnabled: false, viewport: { width: 375, height: 812 } });
    opened.push(page);
    assert.equal(await page.locator('body.js-enabled').count(), 0, 'no script ran');
    await dpoDay(page, { js: false, tag: 'nojs' });
  });
});
