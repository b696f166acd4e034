// Issue 15 in a browser, a police officer's emergency and the social worker's day after it: the officer is refused a
// record, breaks the glass (the first page, then the reason), and the record says in a notification banner until
// when it is open; the child's allocated worker finds the notice under "Notices" naming the officer, their agency
// and role, when and why. axe on every page at 1280 px and 375 px (JavaScript on); the same journey with JavaScript
// off at 375 px, every page fitting the window.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  assertAccessible, clearSnaps, goto, makeChild, navigate, newPage, nhsNumbers, snap, sql, startDemoAndBrowser, textOf,
  WORKER,
} from './lib.mjs';
import { breakGlassRows } from '../e2e/lib.mjs';

let demo;
let browser;
const nhs = nhsNumbers(943479100);
// Allocated to demo.worker; only the school wrote about them, so demo.police has no relationship with either.
const dara = {
  given_name: 'Darragh', family_name: 'Obuya', dob: '2014-03-11', sex: 'M', postcode: 'LS8 4QT',
  address: '3 Harehills Place', nhs_number: nhs.next().value,
};
const esme = {
  given_name: 'Esme', family_name: 'Rautenbach', dob: '2015-08-23', sex: 'F', postcode: 'LS12 5EX',
  address: '21 Armley Grove', nhs_number: nhs.next().value,
};
let daraId;
let esmeId;
const REASONS = {
  dara: 'Called to the address: Darragh is alone and says his mother has not come home since Friday.',
  esme: 'Esme found on the ring road at 2am; officers need her family and school contacts now.',
};

before(async () => {
  clearSnaps('daybg');
  ({ demo, browser } = await startDemoAndBrowser({ families: 10 }));
  daraId = await makeChild(demo, dara, [
    { agency: 'education', kind: 'school_absence', occurred_at: '2025-02-03T09:00:00Z', summary: 'Absent for three days' },
  ]);
  esmeId = await makeChild(demo, esme, [
    { agency: 'education', kind: 'concern', occurred_at: '2025-03-05T09:30:00Z', summary: 'Tired and hungry at school' },
  ]);
});

after(async () => {
  await browser?.close();
  await demo?.stop();
});

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

/** {date: "4 December 2026", time: "14:05"} of a UTC instant, as the pages write it in England. */
function ukText(stamp) {
  const d = new Date(Date.parse(stamp));
  return {
    date: new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'long', year: 'numeric' }).format(d),
    time: new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(d),
  };
}

/** Nothing is wider than the window (no sideways scrolling at 375 px). */
async function assertFits(page, label) {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  assert.ok(scroll <= width, `${label} is ${scroll} px wide in a ${width} px window`);
}

/**
 * Checks the page and saves a screenshot. With JavaScript on (axe runs in the page): axe at 1280 px, then at 375 px
 * axe again and that it fits, and back. With JavaScript off (narrow, 375 px already): that it fits.
 */
async function check(page, label, name, { narrow = false } = {}) {
  if (narrow) {
    await assertFits(page, label);
  } else {
    await assertAccessible(page, label);
    await page.setViewportSize({ width: 375, height: 812 });
    await assertAccessible(page, `${label} at 375 px`);
    await assertFits(page, `${label} at 375 px`);
    await page.setViewportSize({ width: 1280, height: 900 });
    return;
  }
  await snap(page, name); // the phone's view, for a person to look at
}

/** The officer's journey: refused, the first page, Continue, the reason, the record with its banner. */
async function breakGlass(page, id, reason, { narrow, tag }) {
  const res = await goto(page, `${demo.url}/children/${id}`);
  assert.equal(res.status(), 403);
  await check(page, `${tag}: the refusal`, `daybg-${tag}-1-refused`, { narrow });
  await navigate(page, () => page.getByRole('link', { name: 'Open the record in an emergency' }).click(),
    (u) => u.pathname === `/children/${id}/break-glass`);
  assert.equal(await page.locator('textarea').count(), 0, 'no reason is asked for before the try');
  await check(page, `${tag}: the first page`, `daybg-${tag}-2-first`, { narrow });
  await navigate(page, () => page.getByRole('button', { name: 'Continue' }).click(),
    (u) => u.pathname === `/children/${id}/break-glass`);
  await check(page, `${tag}: the reason`, `daybg-${tag}-3-reason`, { narrow });
  await page.getByLabel('Why is this an emergency?').fill(reason);
  await navigate(page, () => page.getByRole('button', { name: 'Open the record' }).click(),
    (u) => u.pathname === `/children/${id}`);
  const glass = breakGlassRows(demo.db, { child: id });
  assert.equal(glass.length, 1, 'one opening');
  assert.deepEqual([glass[0].reason, glass[0].agency], [reason, 'police']);
  const expires = glass[0].expires_at;
  assert.match(expires, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  const { date, time } = ukText(expires);
  const banner = page.locator('.govuk-notification-banner#emergency-access');
  assert.equal(await banner.count(), 1, 'the record opened in an emergency says so');
  assert.equal(await textOf(banner.locator('.govuk-notification-banner__title')), 'Emergency access');
  assert.equal(await textOf(banner.locator('.govuk-notification-banner__heading')),
    `You opened this record in an emergency. Your access ends at ${time} on ${date}.`);
  await check(page, `${tag}: the record with its banner`, `daybg-${tag}-4-record`, { narrow });
  return { date, time };
}

/** The worker's notices page, reached from the header's "Notices"; the card about the child, as {key: value}. */
async function noticeCard(page, childName, { narrow, tag }) {
  if (narrow) {
    await goto(page, `${demo.url}/my-notices`);
  } else {
    await navigate(page, () => page.getByRole('link', { name: 'Notices', exact: true }).click(),
      (u) => u.pathname === '/my-notices');
  }
  assert.equal(await textOf(page.locator('h1')), 'Notices about your children');
  const card = page.locator('.govuk-summary-card', { hasText: childName });
  assert.equal(await card.count(), 1, `a notice about ${childName}`);
  assert.match(await textOf(card.locator('.govuk-summary-card__title')), new RegExp(`Emergency access ${childName}$`));
  const out = {};
  for (const row of await card.locator('.govuk-summary-list__row').all()) {
    out[await textOf(row.locator('dt'))] = await textOf(row.locator('dd'));
  }
  await check(page, `${tag}: the worker's notices`, `daybg-${tag}-5-notices`, { narrow });
  return out;
}

describe("a police officer's emergency, told to the social worker", () => {
  const pageAs = pagesFor();

  test('JavaScript on, 1280 px: banner with the expiry; the worker reads who, agency, when and why', async () => {
    const police = await pageAs('demo.police');
    const until = await breakGlass(police, daraId, REASONS.dara, { tag: 'js' });
    const worker = await pageAs(WORKER);
    const card = await noticeCard(worker, 'Darragh Obuya', { tag: 'js' });
    const at = ukText(breakGlassRows(demo.db, { child: daraId })[0].at);
    assert.deepEqual(card, {
      Who: 'demo.police Police officer', Agency: 'Police', When: `${at.date} at ${at.time}`,
      'Access ends': `${until.time} on ${until.date}`, 'Reason given': REASONS.dara,
    });
  });

  test('JavaScript off, 375 px: the same journey and the same notice', async () => {
    const options = { javaScriptEnabled: false, viewport: { width: 375, height: 812 } };
    const police = await pageAs('demo.police', options);
    assert.equal(await police.locator('body.js-enabled').count(), 0, 'no script ran');
    const until = await breakGlass(police, esmeId, REASONS.esme, { tag: 'nojs', narrow: true });
    const worker = await pageAs(WORKER, options);
    const card = await noticeCard(worker, 'Esme Rautenbach', { tag: 'nojs', narrow: true });
    assert.equal(card.Agency, 'Police');
    assert.equal(card['Access ends'], `${until.time} on ${until.date}`);
    assert.equal(card['Reason given'], REASONS.esme);
  });
});
