// Issue 18 part 1, speak up in a browser: /speak-up (every step), /speak-up/easy, /speak-up/return (the form and
// the thread) and the reviewers' queue, with axe at 1280 px and at 375 px (JavaScript on), and the whole journey
// again at both widths with JavaScript off (axe needs script in the page); nothing scrolls sideways at 375 px;
// the quick exit is on every reporter's page; no link is made of a reporter's words.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertAccessible, clearSnaps, goto, newPage, snap, startDemoAndBrowser } from './lib.mjs';

let demo;
let browser;
const VARIANTS = [
  ['wide-js', { viewport: { width: 1280, height: 900 } }],
  ['wide-nojs', { viewport: { width: 1280, height: 900 }, javaScriptEnabled: false }],
  ['narrow-js', { viewport: { width: 375, height: 800 } }],
  ['narrow-nojs', { viewport: { width: 375, height: 800 }, javaScriptEnabled: false }],
];

before(async () => {
  clearSnaps('speakup');
  ({ demo, browser } = await startDemoAndBrowser());
});

after(async () => {
  await browser?.close();
  await demo?.stop();
});

async function fits(page, label) {
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  const vw = page.viewportSize().width;
  assert.ok(wide <= vw, `${label} fits ${vw} px (scroll width ${wide})`);
}

// axe runs inside the page: with JavaScript off it cannot (nor can anything measure the page), so without
// JavaScript the test checks that each step is a working form and that the journey completes.
async function check(page, label) {
  if (page.noScript) {
    assert.ok(await page.locator('main form, main .govuk-panel, main table').count() > 0, `${label}: works without JavaScript`);
    return;
  }
  await assertAccessible(page, label);
  await fits(page, label);
}

/** Makes a report through the steps, as a person with a keyboard would; its reference and passphrase. */
async function makeReport(page, label) {
  await goto(page, `${demo.url}/speak-up`);
  assert.equal(await page.locator('.govuk-exit-this-page a').count(), 1, 'the quick exit');
  await check(page, `${label} step 1`);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForSelector('.govuk-error-summary');
  await check(page, `${label} step 1 with an error`);
  await page.getByLabel('I work with children').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForSelector('#home');
  await check(page, `${label} step 2`);
  await page.locator('#home').selectOption({ index: 2 });
  await page.getByLabel('The person\'s name (if it is about a person)').fill('Alex Night');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForSelector('#what');
  await check(page, `${label} step 3`);
  await page.locator('#what').fill('Children are locked in at night. https://example.org/should-not-be-a-link');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForSelector('#about');
  await check(page, `${label} step 4`);
  await page.getByLabel('Nothing').check();
  await page.getByRole('button', { name: 'Send' }).click();
  await page.waitForSelector('#ref');
  await check(page, `${label} done`);
  return { ref: (await page.locator('#ref').textContent()).trim(), pass: (await page.locator('#pass').textContent()).trim() };
}

describe('the reporter\'s pages', () => {
  for (const [name, options] of VARIANTS) {
    test(`${name}: the steps, the easy-read form and coming back pass axe and fit the screen`, async () => {
      const page = await newPage(browser, { as: null, ...options });
      page.noScript = options.javaScriptEnabled === false;
      const { ref, pass } = await makeReport(page, name);
      await snap(page, `speakup-${name}-done`);
      await goto(page, `${demo.url}/speak-up/easy`);
      assert.equal(await page.locator('.govuk-exit-this-page a').count(), 1);
      await check(page, `${name} easy read`);
      await snap(page, `speakup-${name}-easy`);
      // The easy-read form in one page: who, what happened, and nothing else needed.
      await page.getByLabel('I am a child').check();
      await page.getByLabel('2. What happened?').fill('They take my phone away.');
      await page.getByRole('button', { name: 'Send' }).click();
      await page.waitForSelector('#ref');
      await check(page, `${name} easy read sent`);
      await goto(page, `${demo.url}/speak-up/return`);
      await check(page, `${name} return`);
      await page.getByLabel('Reference').fill(ref);
      await page.getByLabel('Passphrase').fill(pass);
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.waitForSelector('#thread');
      await check(page, `${name} thread`);
      assert.equal(await page.locator('a[href^="https://example.org"]').count(), 0, 'no link made of the report');
      assert.deepEqual(page.problems(), []);
      await page.context().close();
    });
  }
});

describe('the reviewers\' queue', () => {
  for (const [name, options] of VARIANTS) {
    test(`${name}: the queue and a report pass axe and fit the screen`, async () => {
      const page = await newPage(browser, { as: 'demo.analyst', ...options });
      page.noScript = options.javaScriptEnabled === false;
      await goto(page, `${demo.url}/speak-up/reports`);
      await check(page, `${name} queue`);
      const first = page.locator('table a[href^="/speak-up/reports/"]').first();
      assert.ok(await first.count() > 0, 'the reports made above are in the queue');
      await first.click();
      await page.waitForSelector('#thread');
      await check(page, `${name} report`);
      await snap(page, `speakup-${name}-report`);
      assert.deepEqual(page.problems(), []);
      await page.context().close();
    });
  }
});
