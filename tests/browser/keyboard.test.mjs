// Keyboard only: sign in, find a child, open the record and record a concern with Tab, Shift+Tab, Enter, Space,
// arrow keys and typing. No mouse, no element.click(): the page is only read (which element has the focus, what
// is checked) to know where the keys went. The person is demo.worker, the social worker the child is allocated to.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  clearSnaps, apiChronology, assertPhaseBanner, chronologyRows, errorSummary, focused, goto, makeChild, navigate, newPage,
  nhsNumbers, signedInAs, snap, startDemoAndBrowser, textOf, totp, WORKER,
} from './lib.mjs';

let demo;
let browser;
let page;
let childId;
const subject = {
  given_name: 'Oluwaseun', family_name: 'Penhaligon', dob: '2015-06-17', sex: 'M', postcode: 'LS11 5TR',
  address: '31 Mill Street', nhs_number: nhsNumbers(943476300).next().value,
};

before(async () => {
  clearSnaps('keyboard');
  ({ demo, browser } = await startDemoAndBrowser());
  childId = await makeChild(demo, subject, [
    { agency: 'education', kind: 'school_absence', occurred_at: '2025-01-13T09:00:00Z', summary: 'Absent all week' },
    { agency: 'police', kind: 'police_callout', occurred_at: '2025-01-20T22:00:00Z', summary: 'Noise complaint at the address' },
  ]);
  page = await newPage(browser, { as: null }); // the first test signs in with the keyboard
});

after(async () => {
  await browser?.close();
  await demo?.stop();
});

/** Does the focused element match the CSS selector? */
function focusIs(selector) {
  return page.evaluate((sel) => Boolean(document.activeElement?.matches(sel)), selector);
}

/** Presses key (Tab or Shift+Tab) until the focus is on selector; fails after max presses. */
async function tabTo(selector, { key = 'Tab', max = 60 } = {}) {
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press(key);
    if (await focusIs(selector)) return i;
  }
  return assert.fail(`the focus never reached ${selector} in ${max} presses of ${key}`);
}

async function press(key, expected) {
  await page.keyboard.press(key);
  assert.ok(await focusIs(expected), `after ${key} the focus is on ${expected}, not ${await focused(page)}`);
}

function checked(selector) {
  return page.evaluate((sel) => document.querySelector(sel).checked, selector);
}

describe('keyboard only', () => {
  after(() => assert.deepEqual(page.problems(), [], 'no script errors, failed requests or dialogs'));

  test('sign in with the keyboard, and come back to the page asked for', async () => {
    const res = await goto(page, `${demo.url}/`);
    assert.equal(res.request().redirectedFrom()?.url(), `${demo.url}/`, 'the search page sent the browser to sign in');
    assert.equal(new URL(page.url()).pathname, '/sign-in');
    await press('Tab', 'a.govuk-skip-link');
    await tabTo('#username');
    await page.keyboard.type(WORKER);
    await press('Tab', '#password');
    await page.keyboard.type(demo.people[WORKER].password);
    await press('Tab', '#totp');
    await page.keyboard.type(totp(demo.people[WORKER].secret));
    await snap(page, 'keyboard-00-sign-in');
    // Enter in a text box sends the form.
    await navigate(page, () => page.keyboard.press('Enter'), (u) => u.pathname === '/');
    assert.equal(await signedInAs(page), `${WORKER} (Social worker)`);
    assert.equal(await textOf(page.locator('h1')), 'Find a child');
  });

  test('the skip link is the first Tab stop and moves the focus to main', async () => {
    await goto(page, `${demo.url}/`);
    await press('Tab', 'a.govuk-skip-link');
    const skip = page.locator('a.govuk-skip-link');
    assert.equal(await textOf(skip), 'Skip to main content');
    const box = await skip.boundingBox();
    assert.ok(box && box.width > 10 && box.height > 10 && box.y >= 0, `the focused skip link is shown: ${JSON.stringify(box)}`);
    await snap(page, 'keyboard-01-skip-link');
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.hash === '#main-content');
    assert.equal(await focused(page), 'main-content', 'the focus is on <main>');
    assert.ok(await focusIs('main'));
    // The next Tab goes into the page's own content: the search box.
    await press('Tab', '#q');
  });

  test('search, open the record, record a concern', async () => {
    await goto(page, `${demo.url}/`);
    await tabTo('#q');
    await page.keyboard.type('Penhaligon');
    await press('Tab', '#dob-day');
    await page.keyboard.type('17');
    await press('Tab', '#dob-month');
    await page.keyboard.type('6');
    await press('Tab', '#dob-year');
    await page.keyboard.type('2015');
    await press('Tab', 'button.govuk-button');
    assert.equal(await page.evaluate(() => document.activeElement.textContent.trim()), 'Search');
    await navigate(page, () => page.keyboard.press('Enter'), (u) => u.searchParams.get('q') === 'Penhaligon');
    await snap(page, 'keyboard-02-results');
    assert.equal(await textOf(page.locator('#results')), '1 child found');

    // The result, by Tab; Enter follows it.
    await tabTo(`a[href="/children/${childId}"]`);
    await navigate(page, () => page.keyboard.press('Enter'), (u) => u.pathname === `/children/${childId}`);
    assert.equal(await textOf(page.locator('h1')), 'Oluwaseun Penhaligon');
    await snap(page, 'keyboard-03-record');

    // "Record a concern" is a link that looks like a button: Space works on it as on a button.
    await tabTo(`a.govuk-button[href="/children/${childId}/concerns/new"]`);
    await navigate(page, () => page.keyboard.press('Space'), (u) => u.pathname.endsWith('/concerns/new'));
    assert.equal(await textOf(page.locator('h1')), 'Record a concern');
    await assertPhaseBanner(page);

    // Enter in a text box sends the form: with nothing filled in, the error summary comes back, focused.
    await tabTo('#when-day');
    await navigate(page, () => page.keyboard.press('Enter'), (u) => u.pathname === `/children/${childId}/concerns`);
    assert.equal((await errorSummary(page)).length, 5); // six before the form stopped asking which agency
    assert.ok(await focusIs('.govuk-error-summary'), 'the error summary has the focus');
    await snap(page, 'keyboard-04-errors');
    // Tab reaches the first problem (the agency question's, before it went; now the date's); Enter on it puts
    // the focus in the day box.
    await press('Tab', '.govuk-error-summary__list a[href="#when-day"]');
    await page.keyboard.press('Enter');
    assert.equal(await focused(page), 'when-day');

    await page.keyboard.type('14');
    await press('Tab', '#when-month');
    await page.keyboard.type('2');
    await press('Tab', '#when-year');
    await page.keyboard.type('2025');
    await press('Tab', '#time');
    await press('Shift+Tab', '#when-year'); // back one, to check the year
    assert.equal(await page.evaluate(() => document.activeElement.value), '2025');
    await press('Tab', '#time');
    await page.keyboard.type('16:05');

    // Radios: Space picks the focused one, the arrows move through the group and pick as they go.
    await press('Tab', '#category');
    await page.keyboard.press('Space');
    assert.ok(await checked('#category'), 'the first category picked');
    await press('ArrowDown', '#category-emotional');
    assert.ok(await checked('#category-emotional'), 'Emotional harm picked');
    assert.ok(!(await checked('#category')), 'and the first no longer');
    await press('ArrowUp', '#category');
    for (const next of ['#category-emotional', '#category-sexual', '#category-neglect']) await press('ArrowDown', next);
    assert.ok(await checked('#category-neglect'), 'Neglect picked');
    await press('ArrowUp', '#category-sexual');
    await press('ArrowDown', '#category-neglect');

    await press('Tab', '#summary');
    await page.keyboard.type('Oluwaseun said he had not eaten since Friday.');
    await press('Tab', '#child_words');
    await page.keyboard.type('There was no food in the house');
    await press('Tab', '#child_seen');
    await page.keyboard.press('Space');
    assert.ok(await checked('#child_seen'), 'Yes picked');
    await press('Tab', '#action');
    await page.keyboard.type('Gave breakfast; told the designated safeguarding lead');
    await press('Tab', 'button.govuk-button');
    assert.equal(await page.evaluate(() => document.activeElement.textContent.trim()), 'Save concern');
    await navigate(page, () => page.keyboard.press('Enter'), (u) => u.searchParams.get('recorded') === '1');
    await snap(page, 'keyboard-05-saved');

    const banner = page.locator('.govuk-notification-banner--success');
    assert.equal(await banner.count(), 1);
    assert.match(await textOf(banner), /Concern recorded/);
    const saved = (await apiChronology(demo, childId))[0];
    assert.equal(saved.kind, 'concern');
    assert.equal(saved.agency, 'social_care', "demo.worker's agency (the form used to ask; Health was picked)");
    assert.equal(saved.summary, 'Oluwaseun said he had not eaten since Friday.');
    assert.equal(saved.details.child_words, 'There was no food in the house');
    assert.equal(saved.details.category, 'neglect');
    assert.equal(saved.details.child_seen, true);
    assert.equal(saved.occurred_at, '2025-02-14T16:05:00Z');
    const rows = await chronologyRows(page);
    assert.equal(rows.length, 3);
    assert.equal(rows[0].id, `event-${saved.id}`);
    assert.equal(rows[0].agency, "Children's social care");
    assert.ok(rows[0].what.includes('The child said: “There was no food in the house”'), rows[0].what);
  });
});
