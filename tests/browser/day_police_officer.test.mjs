// A police officer's day on the demo area (issue 15): the children's homes of the area and the children
// reported missing from them, every one named and linked to their record with what it opens to the officer
// (their force's records, or emergency access only: service/access.c decides); a home's children placed now;
// following a name to the record, or to the refusal that offers the emergency opening. Every page is checked
// by axe three ways: with JavaScript at 1280 px, without JavaScript, and at 375 px (nothing wider than the phone).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertAccessible, clearSnaps, goto, navigate, newPage, snap, sql, startDemoAndBrowser, textOf } from './lib.mjs';
import { homePlacements, homeRows } from '../e2e/lib.mjs';

let demo;
let browser;

before(async () => {
  clearSnaps('day-police');
  ({ demo, browser } = await startDemoAndBrowser());
});

after(async () => {
  await browser?.close();
  await demo?.stop();
});

/** The same page at 375 px (axe, and nothing wider than the phone) and without JavaScript (axe needs script, so
 * there: the page answers, no script ran, and it says what it says with script), side by side. */
async function otherWays(pages, url, label, expect) {
  await Promise.all([(async () => {
    await goto(pages.phone, url);
    const wide = await pages.phone.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 376, `${label} is ${wide} px wide in a 375 px window`);
    await assertAccessible(pages.phone, `${label} at 375 px`);
  })(), (async () => {
    const res = await goto(pages.nojs, url);
    assert.equal(res.status(), 200, `${label} without JavaScript`);
    assert.equal(await pages.nojs.locator('body.js-enabled').count(), 0, 'no script ran');
    if (expect) await expect(pages.nojs);
  })()]);
}

describe('the police officer\'s day', () => {
  const pages = {};
  // The area's homes (host authority 383) and the children on the record placed in them now, from the operator's lists.
  const areaHomes = () => new Set(homeRows(demo.db, { la: '383' }).map((h) => h.id));
  const placedNow = () => {
    const homes = areaHomes();
    return homePlacements(demo.db).filter((p) => homes.has(p.home_id) && p.end === '' && p.child > 0);
  };
  // Stays SQL: which children the police sent events about, the truth the need-to-know check is measured against
  // (the police token's chronology answers through the same check the page uses: the product against itself).
  const policeKnows = () => new Set(sql(demo.db, "SELECT DISTINCT person_id FROM event WHERE agency = 'police'").split('\n'));
  before(async () => {
    pages.main = await newPage(browser, { as: 'demo.police' });
    pages.nojs = await newPage(browser, { as: 'demo.police', javaScriptEnabled: false });
    pages.phone = await newPage(browser, { as: 'demo.police', viewport: { width: 375, height: 800 } });
  });
  after(() => {
    for (const p of Object.values(pages)) assert.deepEqual(p.problems(), [], 'no script errors, failed requests or dialogs');
  });

  test('the area\'s homes: every child reported missing is named and linked, with what the record opens', async () => {
    const page = pages.main;
    await goto(page, `${demo.url}/`);
    await navigate(page, () => page.getByRole('link', { name: 'Homes in our area' }).first().click(),
      (u) => u.pathname === '/police/homes');
    const rows = page.locator('#missing-table tbody tr');
    const n = await rows.count();
    assert.ok(n > 20, `missing episodes: ${n}`);
    assert.equal(await page.locator('#missing-table').getByText("Not linked to a child's record").count(), 0);
    assert.equal(await page.locator('#missing-table tbody tr td:nth-child(2) a[href^="/children/"]').count(), n);
    const knows = policeKnows();
    for (let i = 0; i < Math.min(n, 15); i++) {
      const cell = rows.nth(i).locator('td').nth(1);
      const id = (await cell.locator('a').getAttribute('href')).split('/').pop();
      assert.equal(await textOf(cell.locator('.govuk-hint')), knows.has(id) ? "Your force's records" : 'Emergency access only');
    }
    const placed = await page.locator('#police-homes-table tbody tr td:nth-child(5)').allInnerTexts();
    const want = placedNow().length;
    assert.equal(placed.reduce((a, b) => a + Number(b), 0), want, 'children placed now, home by home');
    await snap(page, 'day-police-homes');
    await assertAccessible(page, 'the homes of the area');
    await otherWays(pages, `${demo.url}/police/homes`, 'the homes of the area', async (p) => {
      assert.equal(await p.locator('#missing-table tbody tr td:nth-child(2) a[href^="/children/"]').count(), n);
    });
  });

  test('a name opens the record the officer works with; another child\'s name offers the emergency opening', async () => {
    const page = pages.main;
    await goto(page, `${demo.url}/police/homes`);
    const knows = policeKnows();
    const links = page.locator('#missing-table tbody tr td:nth-child(2) a');
    const ids = (await links.evaluateAll((as) => as.map((a) => a.getAttribute('href').split('/').pop())));
    const mine = ids.find((id) => knows.has(id));
    const other = ids.find((id) => !knows.has(id));
    assert.ok(mine && other, 'the demo has both kinds');
    await navigate(page, () => page.locator(`#missing-table a[href="/children/${mine}"]`).first().click(),
      (u) => u.pathname === `/children/${mine}`);
    assert.equal(await page.locator('h1').count(), 1);
    assert.doesNotMatch(await textOf(page.locator('h1')), /cannot see/);
    await assertAccessible(page, 'a child\'s record from the police page');
    await goto(page, `${demo.url}/police/homes`);
    await navigate(page, () => page.locator(`#missing-table a[href="/children/${other}"]`).first().click(),
      (u) => u.pathname === `/children/${other}`);
    assert.equal(await textOf(page.locator('h1')), 'You cannot see this record');
    assert.equal(await page.getByRole('link', { name: 'Open the record in an emergency' }).count() +
      await page.getByRole('button', { name: 'Open the record in an emergency' }).count(), 1);
    await assertAccessible(page, 'the refusal with the emergency opening');
  });

  test('a home: the children placed now, named on need-to-know, and its missing episodes', async () => {
    const page = pages.main;
    const perHome = new Map();
    const homes = areaHomes();
    for (const p of homePlacements(demo.db).filter((x) => x.end === '')) {
      if (homes.has(p.home_id)) perHome.set(p.home_id, (perHome.get(p.home_id) || 0) + 1);
    }
    const [home] = [...perHome].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]; // the most placed now, then the lowest id
    await goto(page, `${demo.url}/police/homes`);
    await navigate(page, () => page.locator(`#police-homes-table a[href="/police/homes/${home}"]`).click(),
      (u) => u.pathname === `/police/homes/${home}`);
    const placed = placedNow().filter((p) => p.home_id === home).map((p) => String(p.child));
    const named = await page.locator('#placed-table tbody tr td:first-child a').evaluateAll((as) => as.map((a) => a.getAttribute('href').split('/').pop()));
    // In the demo every child placed in the area's homes was reported missing from them: all are named.
    assert.deepEqual([...named].sort(), [...placed].sort());
    assert.match(await textOf(page.locator('#placed-summary')), new RegExp(`^${placed.length} (child is|children are) placed here now\\.$`));
    assert.match(await textOf(page.locator('#placed-table caption')), /^Children placed in .+ now$/);
    const missing = await page.locator('#missing-list li').allInnerTexts();
    assert.ok(missing.length > 0 && missing.every((m) => !/not linked/.test(m)), missing.join(' | '));
    assert.match(await textOf(page.locator('.govuk-caption-l')), /^Ofsted URN SC\d{6} · /);
    await snap(page, 'day-police-home');
    await assertAccessible(page, 'a home of the area');
    await otherWays(pages, `${demo.url}/police/homes/${home}`, 'a home of the area', async (p) => {
      assert.equal(await p.locator('#placed-table tbody tr').count(), placed.length);
    });
  });
});
