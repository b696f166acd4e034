// What a person sees on the pages, in headless chromium: finding a child, their record and chronology,
// filtering it, recording a concern (wrong, then right), the communication-needs warning and the flags.
// Every page visited is saved as a full-page PNG under build/artifacts/browser/.
// The person is demo.worker, the social worker the children are allocated to (a social worker sees the whole
// record only of a child they work with); need-to-know is seen as others: an agency's reader sees its own
// agency's events, health-only notes stay health's, and a child one does not work with is not listed.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  clearSnaps, addEvent, ageToday, apiChronology, assertPhaseBanner, chronologyRows, errorSummary, focused, goto,
  longDate, makeChild, navigate, newPage, nhsNumbers, searchResults, snap, spacedNhs,
  startDemoAndBrowser, summaryList, textOf, upn,
  fillConcern, WORKER,
} from './lib.mjs';

let demo;
let browser;
const nhs = nhsNumbers(943476100);

// The child the journeys follow, with a sibling at the same address.
const tamsin = {
  given_name: 'Tamsin', middle_names: '', family_name: 'Wetherall', dob: '2014-07-09', sex: 'F',
  postcode: 'LS6 2AB', address: '4 Larch Row', nhs_number: nhs.next().value, upn: upn('999123456789'),
  first_language: 'Welsh', ethnicity: 'White British',
};
const rowan = {
  given_name: 'Rowan', family_name: 'Wetherall', dob: '2017-11-23', sex: 'M', postcode: 'LS6 2AB',
  address: '4 Larch Row', nhs_number: nhs.next().value,
};
const tamsinEvents = [
  { agency: 'police', kind: 'police_callout', occurred_at: '2024-11-02T21:40:00Z', summary: 'Neighbours reported shouting at the address' },
  { agency: 'police', kind: 'domestic_abuse_incident', occurred_at: '2024-12-14T23:05:00Z', summary: 'Officers attended a domestic incident; Tamsin was in the house' },
  { agency: 'health', kind: 'unscheduled_care', occurred_at: '2025-01-20T16:30:00Z', summary: 'Attended A&E with a sprained wrist' },
  { agency: 'education', kind: 'school_absence', occurred_at: '2025-02-03T09:00:00Z', summary: 'Absent for five days without explanation' },
  { agency: 'education', kind: 'concern', occurred_at: '2025-02-10T11:15:00Z', summary: 'Teacher noticed Tamsin was hungry at breakfast club' },
  { agency: 'social_care', kind: 'cp_plan_start', occurred_at: '2025-03-01T10:00:00Z', summary: 'Child protection plan agreed at the conference' },
];
let tamsinId;
let rowanId;

// A child who cannot speak: the warning must be hard to miss.
const noor = {
  given_name: 'Noor', family_name: 'Ashdown-Vale', dob: '2012-02-29', sex: 'F', postcode: 'LS7 3QP',
  address: '18 Beech Terrace', nhs_number: nhs.next().value, communication_needs: 'Non-verbal; uses Makaton and PECS',
  disability: 'Autism',
};
let noorId;

// A child no one here works with (police only, not allocated): not for demo.worker's eyes.
const quill = {
  given_name: 'Quillon', family_name: 'Farthingale', dob: '2013-05-06', sex: 'M', postcode: 'LS10 1AB',
  address: '5 Hunslet Road', nhs_number: nhs.next().value,
};
let quillId;

// A child with a health-only note (sexual health): health readers see it, no one else does.
const saffi = {
  given_name: 'Saffron', family_name: 'Oyelaran', dob: '2009-08-14', sex: 'F', postcode: 'LS3 1HH',
  address: '22 Kirkstall Road', nhs_number: nhs.next().value,
};
let saffiId;

// A child whose flag comes and goes with cp_plan_start and cp_plan_end.
const ellis = {
  given_name: 'Ellis', family_name: 'Brackenbury', dob: '2019-04-14', sex: 'U', postcode: 'LS8 1AA',
  address: '2 Oak Yard', nhs_number: nhs.next().value,
};
let ellisId;

before(async () => {
  clearSnaps('journeys');
  ({ demo, browser } = await startDemoAndBrowser());
  tamsinId = await makeChild(demo, tamsin, tamsinEvents);
  rowanId = await makeChild(demo, rowan, [{ agency: 'health', kind: 'gp_appointment', occurred_at: '2025-01-05T09:30:00Z', summary: 'Routine check' }]);
  noorId = await makeChild(demo, noor, [{ agency: 'education', kind: 'concern', occurred_at: '2025-02-11T13:00:00Z', summary: 'Noor pointed to the sad symbol and to her arm' }]);
  ellisId = await makeChild(demo, ellis, [{ agency: 'health', kind: 'health_assessment', occurred_at: '2024-10-01T10:00:00Z', summary: 'Health assessment' }]);
  quillId = await makeChild(demo, quill, [{ agency: 'police', kind: 'police_callout', occurred_at: '2025-01-09T20:00:00Z', summary: 'Quillon found out late' }],
    { allocate: false });
  saffiId = await makeChild(demo, saffi, [
    { agency: 'health', kind: 'gp_appointment', occurred_at: '2025-01-14T09:00:00Z', summary: 'Clinic appointment about contraception',
      details: { category: 'sexual_health' } },
    { agency: 'health', kind: 'gp_appointment', occurred_at: '2025-01-21T09:00:00Z', summary: 'Asthma review' },
  ]);
  assert.notEqual(tamsinId, rowanId);
});

after(async () => {
  await browser?.close();
  await demo?.stop();
});

/** Fills the search form and presses Search; resolves on the results page. */
async function search(page, { q = '', day = '', month = '', year = '' }) {
  await page.getByLabel('Name, NHS number or UPN').fill(q);
  await page.locator('#dob-day').fill(day);
  await page.locator('#dob-month').fill(month);
  await page.locator('#dob-year').fill(year);
  await navigate(page, () => page.getByRole('button', { name: 'Search' }).click(),
    (u) => u.pathname === '/' && u.searchParams.has('q'));
  await assertPhaseBanner(page);
}

describe('find a child', () => {
  let page;
  before(async () => { page = await newPage(browser, { as: WORKER }); });
  after(async () => {
    assert.deepEqual(page.problems(), [], 'no script errors, failed requests or dialogs');
    await page.context().close();
  });

  test('the search page', async () => {
    await goto(page, `${demo.url}/`);
    await snap(page, 'journeys-01-search');
    await assertPhaseBanner(page);
    assert.equal(await textOf(page.locator('h1')), 'Find a child');
    assert.match(await page.title(), /^Find a child – Safeguard$/);
    for (const id of ['q', 'dob-day', 'dob-month', 'dob-year']) assert.ok(await page.locator(`#${id}`).isVisible(), id);
    assert.equal(await page.locator('table.govuk-table').count(), 0, 'no results before a search');
    assert.equal(await page.locator('.govuk-error-summary').count(), 0, 'no error before a search');
  });

  test('an empty search shows the error summary', async () => {
    await goto(page, `${demo.url}/`);
    await search(page, {});
    await snap(page, 'journeys-02-search-empty');
    assert.match(await page.title(), /^Error: Find a child/);
    assert.deepEqual(await errorSummary(page), [{ text: 'Enter a name, NHS number or UPN, or a date of birth', href: '#q' }]);
    assert.equal(await textOf(page.locator('#q-error')), 'Error: Enter a name, NHS number or UPN, or a date of birth');
    assert.ok(await page.locator('#q').evaluate((e) => e.classList.contains('govuk-input--error')));
    assert.equal(await page.locator('table.govuk-table').count(), 0, 'no results');
    // GOV.UK Frontend's error summary takes the focus on load, so a screen reader announces it...
    assert.ok(await page.evaluate(() => document.activeElement?.classList.contains('govuk-error-summary')),
      'the error summary is focused when the page loads');
    // ... and its link moves to the field.
    await page.locator('.govuk-error-summary__list a').first().click();
    assert.equal(await focused(page), 'q');
  });

  test('by part of the family name', async () => {
    await goto(page, `${demo.url}/`);
    await search(page, { q: 'wether' });
    await snap(page, 'journeys-03-results-name');
    assert.equal(await page.locator('#q').inputValue(), 'wether', 'what was typed stays in the box');
    const rows = await searchResults(page);
    assert.ok(rows.length >= 2, `Tamsin and Rowan are found: ${JSON.stringify(rows)}`);
    assert.equal(await textOf(page.locator('#results')), `${rows.length} children found`);
    for (const r of rows) assert.match(r.name, /(^|\s)wether/i, `every result has a name starting "wether": ${r.name}`);
    const t = rows.find((r) => r.href === `/children/${tamsinId}`);
    assert.deepEqual(t, { name: 'Tamsin Wetherall', href: `/children/${tamsinId}`, dob: '9 July 2014', postcode: 'LS6 2AB' });
    assert.ok(rows.some((r) => r.href === `/children/${rowanId}` && r.name === 'Rowan Wetherall'));
  });

  test('by NHS number written with spaces', async () => {
    await goto(page, `${demo.url}/`);
    await search(page, { q: spacedNhs(tamsin.nhs_number) });
    await snap(page, 'journeys-04-results-nhs');
    assert.deepEqual(await searchResults(page),
      [{ name: 'Tamsin Wetherall', href: `/children/${tamsinId}`, dob: '9 July 2014', postcode: 'LS6 2AB' }]);
    assert.equal(await textOf(page.locator('#results')), '1 child found');
  });

  test('by UPN', async () => {
    await goto(page, `${demo.url}/`);
    await search(page, { q: tamsin.upn.toLowerCase() });
    await snap(page, 'journeys-05-results-upn');
    assert.deepEqual(await searchResults(page),
      [{ name: 'Tamsin Wetherall', href: `/children/${tamsinId}`, dob: '9 July 2014', postcode: 'LS6 2AB' }]);
  });

  test('by date of birth with day and month swapped', async () => {
    await goto(page, `${demo.url}/`);
    await search(page, { day: '7', month: '9', year: '2014' }); // born 9 July 2014, written 7/9
    await snap(page, 'journeys-06-results-dob');
    const rows = await searchResults(page);
    assert.ok(rows.length >= 1, 'found');
    for (const r of rows) assert.ok(['7 September 2014', '9 July 2014'].includes(r.dob), `every result born on either date: ${r.dob}`);
    assert.ok(rows.some((r) => r.href === `/children/${tamsinId}`), 'Tamsin is found though the date was swapped');
    assert.equal(await page.locator('#dob-day').inputValue(), '7');
  });

  test('a search that finds no one says what to try', async () => {
    await goto(page, `${demo.url}/`);
    await search(page, { q: 'Zzyzxqwv' });
    assert.equal(await textOf(page.locator('#results')), '0 children found');
    assert.equal(await page.locator('table.govuk-table').count(), 0);
    assert.match(await textOf(page.locator('main')), /Check the spelling, try part of the name/);
  });

  test('a child one does not work with: not listed by name; their NHS number says only that they are known', async () => {
    await goto(page, `${demo.url}/`);
    await search(page, { q: 'Farthingale' });
    assert.equal(await textOf(page.locator('#results')), '0 children found');
    assert.equal(await page.locator(`a[href="/children/${quillId}"]`).count(), 0);
    await search(page, { q: quill.nhs_number });
    await snap(page, 'journeys-05b-results-known');
    const rows = page.locator('table.govuk-table tbody tr');
    assert.equal(await rows.count(), 1);
    const text = await textOf(rows);
    assert.match(text, /^A child with this number is known\. Nothing shows that you work with them, so their record is not open to you\./);
    assert.ok(!text.includes('Quillon') && !text.includes('Farthingale') && !text.includes('LS10'), `no name or postcode: ${text}`);
    assert.equal(await rows.getByRole('link', { name: 'Open the record in an emergency' }).getAttribute('href'),
      `/children/${quillId}/break-glass`);
    const res = await goto(page, `${demo.url}/children/${quillId}`);
    assert.equal(res.status(), 403);
    assert.equal(await textOf(page.locator('h1')), 'You cannot see this record');
  });

  test('open a record from the results', async () => {
    await goto(page, `${demo.url}/`);
    await search(page, { q: 'Tamsin Wetherall' });
    const link = page.getByRole('link', { name: 'Tamsin Wetherall' });
    assert.equal(await link.count(), 1);
    await navigate(page, () => link.click(), (u) => u.pathname === `/children/${tamsinId}`);
    assert.equal(await textOf(page.locator('h1')), 'Tamsin Wetherall');
    assert.match(await page.title(), /^Tamsin Wetherall – Safeguard$/);
    await assertPhaseBanner(page);
  });
});

describe("a child's record", () => {
  let page;
  before(async () => { page = await newPage(browser, { as: WORKER }); });
  after(async () => {
    assert.deepEqual(page.problems(), [], 'no script errors, failed requests or dialogs');
    await page.context().close();
  });

  test('who the child is, who they live with, what is open', async () => {
    await goto(page, `${demo.url}/children/${tamsinId}`);
    await snap(page, 'journeys-07-record');
    await assertPhaseBanner(page);
    assert.equal(await textOf(page.locator('h1')), 'Tamsin Wetherall');
    const about = await summaryList(page);
    assert.deepEqual(about, {
      'Date of birth': `9 July 2014 (age ${ageToday(tamsin.dob)})`,
      Sex: 'Female',
      'NHS number': spacedNhs(tamsin.nhs_number),
      'Unique pupil number': tamsin.upn,
      Address: '4 Larch Row LS6 2AB',
      'Communication needs': 'None recorded',
      Disability: 'None recorded',
      Ethnicity: 'White British',
      'First language': 'Welsh',
    });
    assert.equal(await page.locator('.govuk-warning-text').count(), 0, 'no communication warning without needs');
    // Lives with: the sibling at the same address, as a link to their record.
    const livesWith = page.locator('h2:text-is("Lives with") + ul a');
    assert.equal(await livesWith.count(), 1);
    assert.equal(await textOf(livesWith), 'Rowan Wetherall');
    assert.equal(await livesWith.getAttribute('href'), `/children/${rowanId}`);
    const episodes = page.locator('h2:text-is("Open episodes") + ul li');
    assert.deepEqual(await episodes.allInnerTexts(), ['Child protection plan, since 1 March 2025']);
  });

  test('the chronology: every event, newest first', async () => {
    await goto(page, `${demo.url}/children/${tamsinId}`);
    const rows = await chronologyRows(page);
    assert.equal(rows.length, tamsinEvents.length);
    assert.match(await textOf(page.locator('#chronology + form + p')), /^(Showing )?6 events\b/);
    const api = await apiChronology(demo, tamsinId);
    assert.deepEqual(rows.map((r) => r.id), api.map((e) => `event-${e.id}`), 'the table lists the API chronology in order');
    const newestFirst = [...tamsinEvents].reverse();
    rows.forEach((r, i) => {
      assert.ok(r.when.startsWith(longDate(newestFirst[i].occurred_at.slice(0, 10))), `${r.when} row ${i}`);
      assert.ok(r.what.includes(newestFirst[i].summary), r.what);
    });
    assert.match(rows[0].what, /^Child protection plan started/);
    assert.equal(rows[0].agency, "Children's social care");
    assert.equal(rows.at(-1).agency, 'Police');
  });

  test('the timeline: a titled SVG with a link to each row, after a skip link', async () => {
    await goto(page, `${demo.url}/children/${tamsinId}`);
    const svg = page.locator('svg.sg-timeline');
    assert.equal(await svg.count(), 1);
    assert.ok(await svg.isVisible());
    assert.equal(await svg.locator('title#timeline-title').textContent(), 'Timeline of events for Tamsin Wetherall');
    assert.match(await svg.locator('desc').textContent(), /^6 events from .* one row per agency/);
    assert.equal(await svg.getAttribute('aria-labelledby'), 'timeline-title timeline-desc');
    const rows = await chronologyRows(page);
    // Each mark's accessible name: its aria-label, or else its <title>.
    const marks = await svg.locator('a').evaluateAll((as) => as.map((a) => ({
      href: a.getAttribute('href'), label: a.getAttribute('aria-label') ?? a.querySelector(':scope > title')?.textContent ?? '',
    })));
    assert.ok(rows.length > 0);
    assert.equal(marks.length, rows.length, 'one mark per row');
    assert.deepEqual(marks.map((m) => m.href).sort(), rows.map((r) => `#${r.id}`).sort());
    for (const m of marks) {
      const row = rows.find((r) => `#${r.id}` === m.href);
      assert.ok(m.label.includes(row.agency), `${m.label} names the agency ${row.agency}`);
      assert.ok(m.label.startsWith(row.when.split(' ').slice(0, 3).join(' ')), `${m.label} starts with the date`);
    }
    // The skip link comes before the drawing and leads to the table.
    const skip = page.getByRole('link', { name: 'Skip the timeline and go to the table of events' });
    assert.equal(await skip.count(), 1);
    assert.equal(await skip.getAttribute('href'), '#chronology-table');
    assert.ok(await page.evaluate(() => {
      const s = [...document.querySelectorAll('a')].find((a) => a.textContent.startsWith('Skip the timeline'));
      return Boolean(s.compareDocumentPosition(document.querySelector('svg.sg-timeline')) & Node.DOCUMENT_POSITION_FOLLOWING);
    }), 'the skip link precedes the timeline');
    // A mark, followed, lands on its row.
    const first = svg.locator('a').first();
    const href = await first.getAttribute('href');
    await first.click();
    await page.waitForURL((u) => u.hash === href);
    assert.ok(await page.locator(href).isVisible());
  });

  test('filter the chronology by agency', async () => {
    await goto(page, `${demo.url}/children/${tamsinId}`);
    const all = (await chronologyRows(page)).length;
    await page.getByLabel('Agency', { exact: true }).selectOption('police');
    await navigate(page, () => page.getByRole('button', { name: 'Filter' }).click(),
      (u) => u.searchParams.get('agency') === 'police');
    await snap(page, 'journeys-08-record-filter-agency');
    const rows = await chronologyRows(page);
    assert.equal(rows.length, 2, 'the two police events');
    assert.ok(rows.length < all);
    for (const r of rows) assert.equal(r.agency, 'Police');
    assert.match(await textOf(page.locator('#chronology + form + p')), /^(Showing )?2 events from Police\b/);
    assert.equal(await page.getByLabel('Agency', { exact: true }).inputValue(), 'police', 'the choice stays selected');
    assert.equal(await page.locator('svg.sg-timeline a').count(), 2, 'the timeline shows the same events');
  });

  test('filter the chronology by kind', async () => {
    await goto(page, `${demo.url}/children/${tamsinId}`);
    const options = await page.locator('#kind option').allInnerTexts();
    assert.deepEqual(options.slice(1).sort(), ['A&E or unscheduled care attendance', 'Child protection plan started',
      'Concern', 'Domestic abuse incident', 'Police call-out', 'School absence'], 'only the kinds this child has');
    await page.getByLabel('What happened', { exact: true }).selectOption({ label: 'Concern' });
    await navigate(page, () => page.getByRole('button', { name: 'Filter' }).click(),
      (u) => u.searchParams.get('kind') === 'concern');
    await snap(page, 'journeys-09-record-filter-kind');
    const rows = await chronologyRows(page);
    assert.equal(rows.length, 1);
    for (const r of rows) assert.match(r.what, /^Concern /);
    assert.match(await textOf(page.locator('#chronology + form + p')), /^(Showing )?1 event of the kind you chose\b/);
    // Both filters: education concerns, then a combination that matches nothing.
    await page.getByLabel('Agency', { exact: true }).selectOption('health');
    await navigate(page, () => page.getByRole('button', { name: 'Filter' }).click(),
      (u) => u.searchParams.get('agency') === 'health');
    assert.equal(await page.locator('#chronology-table').count(), 0);
    assert.match(await textOf(page.locator('#chronology + form + p')), /^No events match the filter\./);
  });

  test('a cp_plan_start gives the red "Child protection plan" tag; a later cp_plan_end removes it', async () => {
    await goto(page, `${demo.url}/children/${ellisId}`);
    // Flags only: the record's alerts (tagged "Overdue") are another list.
    assert.equal(await page.locator('ul[aria-label="Flags"] .govuk-tag--red').count(), 0, 'no flag before the plan');
    await addEvent(demo, 'social_care', { kind: 'cp_plan_start', occurred_at: '2025-02-20T10:00:00Z', summary: 'Plan agreed', subject: ellis });
    await goto(page, `${demo.url}/children/${ellisId}`);
    await snap(page, 'journeys-10-record-cp-flag');
    const tag = page.locator('ul[aria-label="Flags"] .govuk-tag');
    assert.equal(await tag.count(), 1);
    assert.equal(await textOf(tag), 'Child protection plan');
    assert.ok(await tag.evaluate((e) => e.classList.contains('govuk-tag--red')));
    assert.ok(await tag.isVisible());
    const colour = await tag.evaluate((e) => getComputedStyle(e).color);
    assert.notEqual(colour, await page.locator('h1').evaluate((e) => getComputedStyle(e).color), 'the tag is coloured');
    assert.equal(await textOf(page.locator('ul[aria-label="Flags"] li')), 'Child protection plan since 20 February 2025');
    const box = await tag.boundingBox();
    const chron = await page.locator('#chronology').boundingBox();
    assert.ok(box.y < chron.y, 'the flag is above the chronology');
    await addEvent(demo, 'social_care', { kind: 'cp_plan_end', occurred_at: '2025-03-20T10:00:00Z', summary: 'Plan ended', subject: ellis });
    await goto(page, `${demo.url}/children/${ellisId}`);
    assert.equal(await page.locator('ul[aria-label="Flags"]').count(), 0, 'no flag after the plan ended');
    assert.equal(await page.locator('.govuk-tag').count(), await page.locator('.govuk-phase-banner .govuk-tag, .sg-alerts .govuk-tag').count(),
      'only the phase banner and any alerts carry tags');
  });

  test('communication needs: a warning above the chronology, in the first screenful', async () => {
    await goto(page, `${demo.url}/children/${noorId}`);
    await snap(page, 'journeys-11-record-communication');
    const warning = page.locator('.govuk-warning-text');
    assert.equal(await warning.count(), 1);
    assert.ok(await warning.isVisible());
    const text = await textOf(warning);
    assert.ok(text.includes('Communication needs: Non-verbal; uses Makaton and PECS.'), text);
    assert.equal(await warning.locator('.govuk-warning-text__text .govuk-visually-hidden').textContent(), 'Warning',
      'a screen reader hears "Warning" first');
    const w = await warning.boundingBox();
    const chron = await page.locator('#chronology').boundingBox();
    const about = await page.locator('.govuk-summary-list:not(#child-summary .govuk-summary-list)').boundingBox();
    const viewport = page.viewportSize();
    assert.ok(w.y + w.height < chron.y, 'the warning is above the chronology');
    assert.ok(w.y < about.y, 'and above the details');
    assert.ok(w.y + w.height <= viewport.height, 'and seen without scrolling');
    const about2 = await summaryList(page);
    assert.equal(about2['Communication needs'], 'Non-verbal; uses Makaton and PECS');
    assert.equal(about2.Disability, 'Autism');
  });
});

describe('need-to-know on the record', () => {
  const pages = [];
  let page0; // demo.worker's
  before(async () => { page0 = await pageAs(WORKER); });
  after(async () => {
    for (const p of pages) {
      assert.deepEqual(p.problems(), [], 'no script errors, failed requests or dialogs');
      await p.context().close();
    }
  });
  async function pageAs(as) {
    const p = await newPage(browser, { as });
    pages.push(p);
    return p;
  }

  test("the police see only the police's events, whatever the filter asks, and not the household", async () => {
    const page = await pageAs('demo.police');
    await goto(page, `${demo.url}/children/${tamsinId}`);
    await snap(page, 'journeys-11b-record-police');
    assert.equal(await textOf(page.locator('h1')), 'Tamsin Wetherall');
    const police = (await apiChronology(demo, tamsinId)).filter((e) => e.agency === 'police');
    assert.equal(police.length, 2);
    let rows = await chronologyRows(page);
    assert.deepEqual(rows.map((r) => r.id), police.map((e) => `event-${e.id}`), "the police's two events, newest first");
    assert.equal(await page.locator('svg.sg-timeline a').count(), 2, 'the timeline shows the same');
    assert.equal(await page.locator('h2:text-is("Lives with") + ul a').count(), 0, 'Rowan is not named');
    assert.equal(await page.locator(`a[href="/children/${rowanId}"]`).count(), 0);
    // Asking for another agency's events (an edited address) still shows the police's only.
    await goto(page, `${demo.url}/children/${tamsinId}?agency=health&kind=`);
    rows = await chronologyRows(page);
    assert.deepEqual(rows.map((r) => r.agency), ['Police', 'Police']);
  });

  // Once known gaps, now fixed: an agency's reader is told the household is hidden (not that there is none), is
  // told the chronology is their agency's only, and is not offered what their role may not do.
  test("an agency's reader is not told that no one else lives at the address", async () => {
    const page = await pageAs('demo.police');
    await goto(page, `${demo.url}/children/${tamsinId}`);
    const main = await textOf(page.locator('main'));
    assert.ok(!main.includes('No one else recorded at this address'), 'Rowan lives there: the household is hidden, not empty');
    assert.ok(main.includes('The household is shown to those who work with the child.'));
    assert.equal(await textOf(page.locator('#chronology')), 'Chronology: Police only');
    assert.match(await textOf(page.locator('#own-agency-only')), /^You see what Police recorded about this child\./);
  });

  test('the record offers only what the role may do', async () => {
    const page = await pageAs('demo.police');
    await goto(page, `${demo.url}/children/${tamsinId}`);
    assert.equal(await page.getByRole('button', { name: 'Record a visit' }).count(), 0, 'the police may not record visits');
  });

  test('a health-only note (sexual health) is for health readers only', async () => {
    const api = await apiChronology(demo, saffiId, 'health');
    assert.deepEqual(await apiChronology(demo, saffiId, 'police'), [], "the police's system reads nothing it did not send");
    const note = api.find((e) => e.details?.category === 'sexual_health');
    const asthma = api.find((e) => e.summary === 'Asthma review');
    assert.ok(note && asthma, 'both events are stored');
    // The allocated social worker sees the whole record, but not the note.
    await goto(page0, `${demo.url}/children/${saffiId}`);
    assert.deepEqual((await chronologyRows(page0)).map((r) => r.id), [`event-${asthma.id}`]);
    assert.ok(!(await textOf(page0.locator('main'))).includes('contraception'));
    // A health practitioner (health wrote both) sees both.
    const health = await pageAs('demo.health');
    await goto(health, `${demo.url}/children/${saffiId}`);
    assert.deepEqual((await chronologyRows(health)).map((r) => r.id), [`event-${asthma.id}`, `event-${note.id}`]);
    assert.ok((await textOf(health.locator(`#event-${note.id}`))).includes('Clinic appointment about contraception'));
    // Nor does the note's own link open it for someone else.
    const res = await goto(page0, `${demo.url}/children/${saffiId}/events/${note.id}`);
    assert.ok(!(await textOf(page0.locator('main'))).includes('contraception'), `the event link (${res.status()}) does not show it`);
  });
});

describe('record a concern', () => {
  let page;
  before(async () => { page = await newPage(browser, { as: WORKER }); });
  after(async () => {
    assert.deepEqual(page.problems(), [], 'no script errors, failed requests or dialogs');
    await page.context().close();
  });

  // The first of these was "Select which agency you are recording for": the form no longer asks (a concern is
  // recorded for the signed-in person's agency).
  const expectedErrors = [
    { text: 'Enter the date it happened', href: '#when-day' },
    { text: 'Select what the concern is about', href: '#category' },
    { text: 'Enter what happened', href: '#summary' },
    { text: 'Select yes if you saw the child yourself', href: '#child_seen' },
    { text: 'Enter what you have done about it', href: '#action' },
  ];

  test('the form, from the record', async () => {
    await goto(page, `${demo.url}/children/${tamsinId}`);
    await navigate(page, () => page.getByRole('button', { name: 'Record a concern' }).click(),
      (u) => u.pathname === `/children/${tamsinId}/concerns/new`);
    await snap(page, 'journeys-12-concern-form');
    await assertPhaseBanner(page);
    assert.equal(await textOf(page.locator('h1')), 'Record a concern');
    assert.equal(await textOf(page.locator('.govuk-caption-l')), 'Tamsin Wetherall');
    assert.equal(await page.getByRole('radio').count(), 8 + 2, 'categories and seen: no agency radios');
    assert.equal(await textOf(page.locator('main p', { hasText: /^Recorded for / })), `Recorded for Children's social care by ${WORKER}.`);
    assert.equal(await page.getByRole('group', { name: 'When did it happen?' }).count(), 1);
    assert.equal(await textOf(page.locator('.govuk-back-link')), 'Back to the record');
    assert.equal(await page.locator('.govuk-error-summary').count(), 0);
  });

  test('sent empty: the error summary lists each problem, each link goes to its field, nothing is saved', async () => {
    const before = (await apiChronology(demo, tamsinId)).length;
    await goto(page, `${demo.url}/children/${tamsinId}/concerns/new`);
    await navigate(page, () => page.getByRole('button', { name: 'Save concern' }).click(),
      (u) => u.pathname === `/children/${tamsinId}/concerns`);
    await snap(page, 'journeys-13-concern-errors');
    await assertPhaseBanner(page);
    assert.match(await page.title(), /^Error: Record a concern/);
    assert.deepEqual(await errorSummary(page), expectedErrors);
    assert.ok(await page.evaluate(() => document.activeElement?.classList.contains('govuk-error-summary')),
      'the error summary is focused when the page loads');
    // Each field shows its own message inline.
    for (const [group, message] of [['when', expectedErrors[0].text], ['category', expectedErrors[1].text],
      ['summary', expectedErrors[2].text], ['child_seen', expectedErrors[3].text], ['action', expectedErrors[4].text]]) {
      const err = page.locator(`#${group}-error`);
      assert.equal(await textOf(err), `Error: ${message}`, group);
      assert.ok(await err.evaluate((e) => e.closest('.govuk-form-group').classList.contains('govuk-form-group--error')));
    }
    assert.equal(await page.locator('#child_words-error').count(), 0, "the child's words are optional");
    // Following a link puts the focus in the field.
    for (const e of expectedErrors) {
      await page.locator(`.govuk-error-summary__list a[href="${e.href}"]`).click();
      assert.equal(await focused(page), e.href.slice(1), `the link "${e.text}" focuses ${e.href}`);
      assert.ok(await page.locator(e.href).isVisible());
    }
    assert.equal((await apiChronology(demo, tamsinId)).length, before, 'nothing was saved');
  });

  test('sent part-filled: the answers are kept and only what is missing is listed', async () => {
    await goto(page, `${demo.url}/children/${tamsinId}/concerns/new`);
    await page.getByLabel('Day').fill('31');
    await page.getByLabel('Month').fill('2');
    await page.getByLabel('Year').fill('2025');
    await page.getByLabel('Neglect').check();
    await page.getByLabel('What happened?').fill('Tamsin came in without a coat again.');
    await navigate(page, () => page.getByRole('button', { name: 'Save concern' }).click(),
      (u) => u.pathname === `/children/${tamsinId}/concerns`);
    await snap(page, 'journeys-14-concern-kept');
    assert.deepEqual(await errorSummary(page), [
      { text: 'The date it happened must be a real date', href: '#when-day' },
      { text: 'Select yes if you saw the child yourself', href: '#child_seen' },
      { text: 'Enter what you have done about it', href: '#action' },
    ]);
    assert.ok(await page.getByLabel('Neglect').isChecked());
    assert.equal(await page.getByLabel('Day').inputValue(), '31');
    assert.equal(await page.getByLabel('Month').inputValue(), '2');
    assert.equal(await page.getByLabel('What happened?').inputValue(), 'Tamsin came in without a coat again.');
  });

  test('an answer the time box cannot take does not lose the other answers', async () => {
    const before = (await apiChronology(demo, tamsinId)).length;
    await goto(page, `${demo.url}/children/${tamsinId}/concerns/new`);
    await fillConcern(page, {
      day: '12', month: '3', year: '2025', time: 'around 2pm après school', category: 'Emotional harm',
      summary: 'Tamsin was crying at the school gate.', seen: 'No', action: 'Phoned the school',
    });
    await navigate(page, () => page.getByRole('button', { name: 'Save concern' }).click(),
      (u) => u.pathname === `/children/${tamsinId}/concerns`);
    assert.deepEqual(await errorSummary(page),
      [{ text: 'Enter the time as hours and minutes, for example 14:30', href: '#time' }]);
    assert.equal(await page.getByLabel('What happened?').inputValue(), 'Tamsin was crying at the school gate.');
    assert.equal(await page.getByLabel('Day').inputValue(), '12');
    assert.ok(await page.getByLabel('Emotional harm').isChecked());
    assert.equal(await page.getByLabel('What have you done about it?').inputValue(), 'Phoned the school');
    assert.equal(await page.getByLabel('Time (optional)').inputValue(), 'around 2pm après school', 'the time as typed');
    assert.equal((await apiChronology(demo, tamsinId)).length, before, 'nothing was saved');
  });

  test('sent complete: saved, with a success banner and the new row at the top', async () => {
    await goto(page, `${demo.url}/children/${tamsinId}/concerns/new`);
    await fillConcern(page, {
      day: '10', month: '3', year: '2025', time: '14:30', category: 'Neglect',
      summary: 'Tamsin came in without a coat again and ate two breakfasts.', words: "Mum didn't come home last night",
      seen: 'Yes', action: 'Told the designated safeguarding lead at 14:45',
    });
    await navigate(page, () => page.getByRole('button', { name: 'Save concern' }).click(),
      (u) => u.pathname === `/children/${tamsinId}` && u.searchParams.get('recorded') === '1');
    await snap(page, 'journeys-15-record-saved');
    await assertPhaseBanner(page);
    const banner = page.locator('.govuk-notification-banner--success');
    assert.equal(await banner.count(), 1);
    assert.ok(await banner.isVisible());
    assert.equal(await banner.getAttribute('role'), 'alert');
    assert.match(await textOf(banner), /^Success Concern recorded\. It is now in the chronology for every agency that works with Tamsin\.$/);
    const api = await apiChronology(demo, tamsinId);
    const saved = api[0];
    assert.equal(saved.kind, 'concern');
    assert.equal(saved.agency, 'social_care', "the signed-in person's agency (the form used to ask; Education was picked)");
    assert.equal(saved.summary, 'Tamsin came in without a coat again and ate two breakfasts.');
    assert.equal(saved.details.child_words, "Mum didn't come home last night");
    assert.equal(saved.occurred_at, '2025-03-10T14:30:00Z'); // GMT in March before the clocks change
    assert.equal(new URL(page.url()).hash, `#event-${saved.id}`, 'the page opens at the new row');
    const rows = await chronologyRows(page);
    assert.equal(rows.length, tamsinEvents.length + 1);
    assert.equal(rows[0].id, `event-${saved.id}`, 'the new concern is the top row');
    assert.equal(rows[0].when, '10 March 2025 14:30');
    assert.equal(rows[0].agency, "Children's social care");
    assert.ok(rows[0].what.includes('Tamsin came in without a coat again and ate two breakfasts.'), rows[0].what);
    const words = page.locator(`#event-${saved.id} .sg-childs-words`);
    assert.equal(await textOf(words), 'The child said: “Mum didn\'t come home last night”');
    assert.ok(await words.isVisible());
    assert.ok(rows[0].what.includes('What was done: Told the designated safeguarding lead at 14:45'), rows[0].what);
    assert.equal(await page.locator('svg.sg-timeline a').count(), rows.length);
  });
  test("a school's safeguarding lead records for Education, and sees Education's events only", async () => {
    const school = await newPage(browser, { as: 'demo.school' });
    try {
      await goto(school, `${demo.url}/children/${tamsinId}/concerns/new`);
      assert.equal(await textOf(school.locator('main p', { hasText: /^Recorded for / })), 'Recorded for Education by demo.school.');
      await fillConcern(school, {
        day: '11', month: '3', year: '2025', category: 'Emotional harm', summary: 'Tamsin cried in the corridor.',
        seen: 'Yes', action: 'Spoke to Tamsin with her teacher',
      });
      await navigate(school, () => school.getByRole('button', { name: 'Save concern' }).click(),
        (u) => u.pathname === `/children/${tamsinId}` && u.searchParams.get('recorded') === '1');
      const api = await apiChronology(demo, tamsinId);
      const saved = api.find((e) => e.summary === 'Tamsin cried in the corridor.');
      assert.equal(saved.agency, 'education');
      const education = api.filter((e) => e.agency === 'education');
      assert.equal(education.length, 3, "the school's two events and this concern");
      const rows = await chronologyRows(school);
      assert.deepEqual(rows.map((r) => r.id), education.map((e) => `event-${e.id}`), "Education's events only, newest first");
      assert.ok(api.length > rows.length, 'the other agencies\' events are there, not shown');
      assert.deepEqual(school.problems(), []);
    } finally {
      await school.context().close();
    }
  });
});
