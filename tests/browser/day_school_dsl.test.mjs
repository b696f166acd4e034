// A school's designated safeguarding lead's day (issue 15): a pupil comes in hungry again; the DSL finds the
// child, raises a concern, and sees it in the chronology saying who recorded it, for which agency, and what the
// concern is about (the category), so that whoever reads the chronology next knows whom to ask. axe on every
// page; the record also without JavaScript at 375 px.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  addDays, assertAccessible, chronologyRows, fillConcern, goto, makeChild, navigate, newPage, nhsNumbers, snap,
  startDemoAndBrowser, textOf, ukToday,
} from './lib.mjs';

let demo;
let browser;
const DSL = 'demo.school';
const today = ukToday();
const nhs = nhsNumbers(943476800);
const maisie = {
  given_name: 'Maisie', family_name: 'Okonkwo-Hart', dob: '2013-11-02', sex: 'F', postcode: 'LS11 5QT',
  address: '7 Dewsbury Road', nhs_number: nhs.next().value,
};
let maisieId;

before(async () => {
  ({ demo, browser } = await startDemoAndBrowser());
  maisieId = await makeChild(demo, maisie, [
    { agency: 'education', kind: 'school_absence', occurred_at: `${addDays(today, -10)}T08:40:00Z`, summary: 'Absent, no call' },
  ]);
});

after(async () => {
  await browser?.close();
  await demo?.stop();
});

describe("a school DSL's concern, in the chronology", () => {
  const [y, m, d] = addDays(today, -1).split('-');

  test('raise a concern: the entry names the recorder, their agency and the category', async () => {
    const page = await newPage(browser, { as: DSL });
    await goto(page, `${demo.url}/?q=${maisie.nhs_number}`);
    await navigate(page, () => page.getByRole('link', { name: 'Maisie Okonkwo-Hart' }).click(),
      (u) => u.pathname === `/children/${maisieId}`);
    await assertAccessible(page, "the pupil's record as the school sees it");
    await navigate(page, () => page.getByRole('button', { name: 'Record a concern' }).click(),
      (u) => u.pathname === `/children/${maisieId}/concerns/new`);
    await assertAccessible(page, 'the concern form');
    await fillConcern(page, { day: String(Number(d)), month: String(Number(m)), year: y, time: '08:50', category: 'Neglect',
      summary: 'Maisie came in hungry again and ate two breakfasts.', words: 'There was nothing for tea', seen: 'Yes',
      action: 'Fed her; spoke to the DSL; called home, no answer' });
    await navigate(page, () => page.getByRole('button', { name: 'Save concern' }).click(),
      (u) => u.pathname === `/children/${maisieId}` && u.searchParams.has('recorded'));
    await snap(page, 'day-school-01-concern-saved');
    const top = (await chronologyRows(page))[0];
    assert.equal(top.when, `${Number(d)} ${new Date(`${y}-${m}-${d}T12:00:00Z`).toLocaleString('en-GB', { month: 'long', timeZone: 'UTC' })} ${y} 08:50`);
    assert.equal(top.agency, 'Education');
    assert.equal(top.recorder, 'Recorded by demo.school, Education');
    assert.equal(top.category, 'Neglect');
    assert.match(top.what, /^Concern Maisie came in hungry again/);
    // The system's record beside it says it came from the system, not from a person.
    const absence = (await chronologyRows(page)).find((r) => r.what.startsWith('School absence'));
    assert.equal(absence.recorder, "Sent by Education's system");
    await assertAccessible(page, 'the record with the concern saved');
    assert.deepEqual(page.problems(), []);
    await page.context().close();
  });

  test('the social worker reads the same entry, and the timeline has no rows for agencies with no records', async () => {
    const page = await newPage(browser, { as: 'demo.worker' });
    await goto(page, `${demo.url}/children/${maisieId}`);
    const row = (await chronologyRows(page)).find((r) => r.what.includes('came in hungry again'));
    assert.equal(row.recorder, 'Recorded by demo.school, Education');
    assert.equal(row.category, 'Neglect');
    const rows = await page.locator('svg.sg-timeline .sg-key text').evaluateAll((els) => els.map((e) => e.textContent));
    assert.deepEqual(rows, ['Education'], 'one row: the only agency with records');
    await page.context().close();
  });

  test('without JavaScript at 375 px the entry reads the same', async () => {
    const page = await newPage(browser, { as: DSL, javaScriptEnabled: false, viewport: { width: 375, height: 740 } });
    await goto(page, `${demo.url}/children/${maisieId}`);
    await snap(page, 'day-school-02-record-375-nojs');
    const row = (await chronologyRows(page)).find((r) => r.what.includes('came in hungry again'));
    assert.equal(row.recorder, 'Recorded by demo.school, Education');
    assert.equal(row.category, 'Neglect');
    assert.equal(await page.locator('body.govuk-frontend-supported').count(), 0, 'no script ran');
    await page.context().close();
    const narrow = await newPage(browser, { as: DSL, viewport: { width: 375, height: 740 } });
    await goto(narrow, `${demo.url}/children/${maisieId}/concerns/new`);
    await assertAccessible(narrow, 'the concern form at 375 px');
    await goto(narrow, `${demo.url}/children/${maisieId}`);
    await assertAccessible(narrow, 'the record at 375 px');
    assert.equal(await textOf(narrow.locator('h1')), 'Maisie Okonkwo-Hart');
    await narrow.context().close();
  });
});
