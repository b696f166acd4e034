// An oversight analyst's day on the demo area (issue 15): the ranked homes, where every unflagged home says
// where it stands and why it is not flagged; the funnel plot, scaled to its data, with its table most
// concerning first and sortable by links; a flagged home's profile, its rates in words and its month-by-month
// charts with labelled axes and their figures in a table. Every page is checked by axe three ways: with
// JavaScript at 1280 px, without JavaScript, and at 375 px (where nothing may push the page sideways).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertAccessible, clearSnaps, goto, navigate, newPage, snap, startDemoAndBrowser, textOf } from './lib.mjs';
import { homeAlertRows } from '../e2e/lib.mjs';

let demo;
let browser;
const MONTH = '(January|February|March|April|May|June|July|August|September|October|November|December) 20\\d\\d';

before(async () => {
  clearSnaps('day-analyst');
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

describe('the oversight analyst\'s day', () => {
  const pages = {};
  before(async () => {
    pages.main = await newPage(browser, { as: 'demo.analyst' });
    pages.nojs = await newPage(browser, { as: 'demo.analyst', javaScriptEnabled: false });
    pages.phone = await newPage(browser, { as: 'demo.analyst', viewport: { width: 375, height: 800 } });
  });
  after(() => {
    for (const p of Object.values(pages)) assert.deepEqual(p.problems(), [], 'no script errors, failed requests or dialogs');
  });

  test('the homes: months in words, and every home says why it is flagged or not', async () => {
    const page = pages.main;
    await goto(page, `${demo.url}/homes`);
    const summary = await textOf(page.locator('#run-summary'));
    assert.match(summary, new RegExp(`^The monitor last ran on .+ \\(run by an administrator\\)\\. It looked at 120 homes from ${MONTH} to ${MONTH}`));
    const cells = await page.locator('#homes-table tbody tr td:nth-child(5)').allInnerTexts();
    assert.equal(cells.length, 120);
    const flagged = new Set(homeAlertRows(demo.db, { open: true }).map((a) => a.home_id)).size;
    const notFlagged = cells.filter((c) => c.startsWith('Not flagged'));
    assert.equal(notFlagged.length, 120 - flagged);
    for (const c of notFlagged) assert.match(c, /^Not flagged(\. Restraints were|, though .+ above the (95|99\.8)% line of the funnel plot)/);
    assert.ok(notFlagged.some((c) => /above the 95% line/.test(c) && /flagged only when its month-by-month chart/.test(c)),
      'a home above the 95% line says why it is not flagged');
    const text = await textOf(page.locator('main'));
    assert.doesNotMatch(text, /shrunk|\(cli\)|\b20\d\d-\d\d\b/);
    await snap(page, 'day-analyst-homes');
    await assertAccessible(page, 'the homes list');
    await otherWays(pages, `${demo.url}/homes`, 'the homes list', async (p) => {
      assert.equal(await p.locator('#homes-table tbody tr').count(), 120);
      assert.match(await textOf(p.locator('#run-summary')), new RegExp(`from ${MONTH} to ${MONTH}`));
    });
  });

  test('the funnel plot: the axis reaches past the highest home; the table sorts by links', async () => {
    const page = pages.main;
    await goto(page, `${demo.url}/homes`);
    await navigate(page, () => page.getByRole('link', { name: 'Funnel plots' }).click(), (u) => u.pathname === '/homes/funnel');
    const ticks = (await page.locator('svg.sg-funnel text.sg-ytick').allTextContents()).map(Number);
    const ratios = await page.locator('svg.sg-funnel circle').evaluateAll((cs) => cs.map((c) => Number(c.dataset.ratio)));
    assert.ok(Math.max(...ticks) > Math.max(...ratios), `axis to ${Math.max(...ticks)}, highest home ${Math.max(...ratios)}`);
    // The highest home is drawn below the plot's top edge, in the browser's own layout.
    const top = await page.locator('svg.sg-funnel').evaluate((svg) => {
      const cs = [...svg.querySelectorAll('circle')];
      const hi = cs.reduce((a, c) => (Number(c.dataset.ratio) > Number(a.dataset.ratio) ? c : a));
      return Number(hi.getAttribute('cy'));
    });
    assert.ok(top > 21, `the highest home at y ${top}`);
    assert.match(await textOf(page.locator('#funnel-caption')), new RegExp(`^Funnel plot of restraints, ${MONTH} to ${MONTH}$`));
    const first = await page.locator('#funnel-table tbody tr').first().locator('td').last().innerText();
    assert.match(first, /^Above the (99\.8|95)% line$/, 'most concerning first');
    assert.match(await textOf(page.locator('#funnel-table tbody tr').first().locator('td').nth(1)), /^SC\d{6}$/);
    await assertAccessible(page, 'the funnel plot');
    await snap(page, 'day-analyst-funnel');
    // Sort by name with the header's link (no JavaScript needed: it is a link).
    await navigate(page, () => page.locator('#funnel-table thead a').first().click(),
      (u) => u.pathname === '/homes/funnel' && u.searchParams.get('sort') === 'name');
    const names = await page.locator('#funnel-table tbody tr td:first-child a').allInnerTexts();
    assert.deepEqual(names, [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    assert.equal(await page.locator('#funnel-table thead th[aria-sort="ascending"]').count(), 1);
    await assertAccessible(page, 'the funnel plot sorted by name');
    await otherWays(pages, `${demo.url}/homes/funnel?indicator=missing`, 'the funnel plot of missing episodes', async (p) => {
      // Sorting is a link: it works with no script.
      await navigate(p, () => p.locator('#funnel-table thead th').nth(4).locator('a').click(),
        (u) => u.searchParams.get('sort') === 'ratio');
      const r = (await p.locator('#funnel-table tbody tr td:nth-child(5)').allInnerTexts()).map(Number);
      for (let i = 1; i < r.length; i++) assert.ok(r[i - 1] >= r[i], 'highest rate first');
    });
  });

  test('a flagged home: rates in words, charts with labelled axes and their figures in a table', async () => {
    const page = pages.main;
    const signals = homeAlertRows(demo.db, { kind: 'signal' }).sort((x, y) => x.id - y.id);
    assert.ok(signals.length > 0, 'the demo flags a home');
    const id = signals[0].home_id;
    await goto(page, `${demo.url}/homes/funnel`);
    await navigate(page, () => page.locator(`#funnel-table a[href="/homes/${id}"]`).click(), (u) => u.pathname === `/homes/${id}`);
    const heads = await page.locator('#rates-table thead th').allInnerTexts();
    assert.deepEqual(heads.map((h) => h.trim()), ['Indicator', 'Recorded', 'Expected', 'Times the expected rate', 'Allowing for chance']);
    const charts = page.locator('svg.sg-cusum');
    const n = await charts.count();
    assert.ok(n >= 8);
    for (let i = 0; i < n; i++) {
      const labels = await charts.nth(i).locator('text.sg-axis-label').allTextContents();
      assert.deepEqual(labels, ['Evidence score', 'Month']);
      assert.match(await charts.nth(i).locator('title').textContent(), /^Month-by-month chart of [a-z]/);
    }
    // A signalled chart's figures: open its table (a details element works without JavaScript too).
    const section = page.locator('.sg-cusum-section').filter({ has: page.locator('.govuk-list--bullet') }).first();
    await section.locator('.govuk-details__summary').click();
    const table = section.locator('table.sg-cusum-table');
    assert.ok(await table.isVisible());
    const months = await table.locator('tbody tr td:first-child').allInnerTexts();
    assert.ok(months.every((m) => new RegExp(`^${MONTH}$`).test(m)), months.join(', '));
    assert.ok((await table.locator('tbody tr td:last-child').allInnerTexts()).includes('Yes'), 'the month it signalled');
    assert.doesNotMatch(await textOf(page.locator('main')), /shrunk|CUSUM/i);
    await snap(page, 'day-analyst-home');
    await assertAccessible(page, 'a flagged home');
    await otherWays(pages, `${demo.url}/homes/${id}`, 'a flagged home', async (p) => {
      // The details element opens with no script.
      const summary = p.locator('.sg-cusum-section .govuk-details__summary').first();
      await summary.click();
      assert.ok(await p.locator('.sg-cusum-section table.sg-cusum-table').first().isVisible());
    });
  });
});
