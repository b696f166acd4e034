// With JavaScript off the pages still work: they are rendered on the server and GOV.UK Frontend's scripts
// only enhance them. Sign in (as demo.worker, the child's allocated social worker), search, open the record,
// filter it, record a concern (wrong, then right). Signing in and out without script is in signin.test.mjs.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  clearSnaps, apiChronology, assertPhaseBanner, chronologyRows, errorSummary, goto, makeChild, navigate, newPage, nhsNumbers,
  snap, startDemoAndBrowser, textOf, upn,
  fillConcern, signedInAs, WORKER,
} from './lib.mjs';

let demo;
let browser;
let page;
let childId;
const subject = {
  given_name: 'Marisol', family_name: 'Trevithick', dob: '2011-03-30', sex: 'F', postcode: 'LS12 4HQ',
  address: '9 Canal Wharf', nhs_number: nhsNumbers(943476500).next().value, upn: upn('999765432101'),
};

before(async () => {
  clearSnaps('nojs');
  ({ demo, browser } = await startDemoAndBrowser());
  childId = await makeChild(demo, subject, [
    { agency: 'health', kind: 'gp_appointment', occurred_at: '2024-12-02T10:00:00Z', summary: 'Weight loss noted' },
    { agency: 'education', kind: 'school_exclusion', occurred_at: '2025-01-15T12:00:00Z', summary: 'Excluded for two days' },
    { agency: 'education', kind: 'concern', occurred_at: '2025-01-22T12:00:00Z', summary: 'Seen with older men at the gate' },
  ]);
  page = await newPage(browser, { as: WORKER, javaScriptEnabled: false }); // the sign-in form, sent without script
});

after(async () => {
  await browser?.close();
  await demo?.stop();
});

describe('JavaScript off', () => {
  after(() => assert.deepEqual(page.problems(), [], 'no failed requests or dialogs'));

  test('search, record, filter, record a concern', async () => {
    await goto(page, `${demo.url}/`);
    assert.equal(await page.locator('body.js-enabled').count(), 0, 'no script ran');
    await assertPhaseBanner(page);
    assert.equal(await signedInAs(page), `${WORKER} (Social worker)`);
    await page.getByLabel('Name, NHS number or UPN').fill(subject.upn);
    await navigate(page, () => page.getByRole('button', { name: 'Search' }).click(), (u) => u.searchParams.has('q'));
    await snap(page, 'nojs-01-results');
    assert.equal(await textOf(page.locator('#results')), '1 child found');

    await navigate(page, () => page.getByRole('link', { name: 'Marisol Trevithick' }).click(),
      (u) => u.pathname === `/children/${childId}`);
    assert.equal(await textOf(page.locator('h1')), 'Marisol Trevithick');
    assert.equal((await chronologyRows(page)).length, 3);
    assert.equal(await page.locator('svg.sg-timeline a').count(), 3, 'the timeline is drawn without script');
    await snap(page, 'nojs-02-record');

    await page.locator('#agency').selectOption('education');
    await navigate(page, () => page.getByRole('button', { name: 'Filter' }).click(),
      (u) => u.searchParams.get('agency') === 'education');
    const rows = await chronologyRows(page);
    assert.equal(rows.length, 2);
    for (const r of rows) assert.equal(r.agency, 'Education');

    await navigate(page, () => page.getByRole('button', { name: 'Record a concern' }).click(),
      (u) => u.pathname === `/children/${childId}/concerns/new`);
    await navigate(page, () => page.getByRole('button', { name: 'Save concern' }).click(),
      (u) => u.pathname === `/children/${childId}/concerns`);
    await snap(page, 'nojs-03-errors');
    const errors = await errorSummary(page);
    assert.equal(errors.length, 5); // six before the form stopped asking which agency
    // Without script the summary's links are plain links to the fields.
    await page.locator('.govuk-error-summary__list a[href="#summary"]').click();
    await page.waitForURL((u) => u.hash === '#summary');
    assert.ok(await page.locator('#summary').isVisible());

    assert.equal(await textOf(page.locator('main p', { hasText: /^Recorded for / })), `Recorded for Children's social care by ${WORKER}.`);
    await fillConcern(page, {
      day: '23', month: '1', year: '2025', category: 'Exploitation (criminal or sexual)',
      summary: 'Marisol was picked up by a car after school.', words: "They're my friends, they buy me stuff", seen: 'No',
      action: 'Strategy discussion requested',
    });
    await navigate(page, () => page.getByRole('button', { name: 'Save concern' }).click(),
      (u) => u.searchParams.get('recorded') === '1');
    await snap(page, 'nojs-04-saved');
    assert.match(await textOf(page.locator('.govuk-notification-banner--success')), /Concern recorded/);
    const saved = (await apiChronology(demo, childId))[0];
    assert.equal(saved.agency, 'social_care');
    assert.equal(saved.details.child_seen, false);
    const top = (await chronologyRows(page))[0];
    assert.equal(top.id, `event-${saved.id}`);
    assert.ok(top.what.includes('The child said: “They\'re my friends, they buy me stuff”'), top.what);
  });
});
