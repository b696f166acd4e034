// The suite's axe check (lib.mjs assertAccessible: axe.run in the page, axe injected once per document) finds what
// @axe-core/playwright's AxeBuilder finds, on pages with known faults and on a clean one, and fails when it should:
// the faster runner must not be a weaker one. No demo server: the pages are set as content.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import { assertAccessible, launchBrowser, runAxe } from './lib.mjs';

let browser;
let context;

before(async () => {
  browser = await launchBrowser();
  context = await browser.newContext();
});

after(async () => {
  await context?.close();
  await browser?.close();
});

// A page with faults of several kinds (an image without text, a field without a label, a link without text, two
// ids the same, text too faint to read) and the same page put right.
const FAULTY = `<!DOCTYPE html><html lang="en"><head><title>Faults</title></head><body><main><h1>Faults</h1>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<form><input type="text" name="q" id="dup"><input type="text" name="r" id="dup"></form>
<a href="/somewhere"></a>
<p style="color:#ddd;background:#fff">Faint words</p>
</main></body></html>`;
const CLEAN = `<!DOCTYPE html><html lang="en"><head><title>Clean</title></head><body><main><h1>Clean</h1>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="A dot">
<form><label for="q">Search</label><input type="text" name="q" id="q"></form>
<a href="/somewhere">Somewhere</a>
<p style="color:#0b0c0c;background:#fff">Plain words</p>
</main></body></html>`;

const ids = (results) => results.violations.map((v) => `${v.id}:${v.nodes.length}`).sort();

test('the runner finds the violations AxeBuilder finds, node for node', async () => {
  const page = await context.newPage();
  await page.setContent(FAULTY);
  const builder = await new AxeBuilder({ page }).analyze();
  const ours = await runAxe(page);
  assert.ok(builder.violations.length >= 4, `the faulty page has faults: ${ids(builder)}`);
  assert.deepEqual(ids(ours), ids(builder));
  for (const id of ['image-alt', 'label', 'link-name', 'color-contrast']) {
    assert.ok(ours.violations.some((v) => v.id === id), `${id} among ${ids(ours)}`);
  }
  await page.close();
});

test('assertAccessible fails on the faulty page, naming each rule, and passes the clean one', async () => {
  const page = await context.newPage();
  await page.setContent(FAULTY);
  await assert.rejects(assertAccessible(page, 'the faulty page'), (e) => {
    for (const id of ['image-alt', 'label', 'link-name', 'color-contrast']) assert.match(e.message, new RegExp(`\\b${id}\\b`));
    return true;
  });
  // The same document checked again (axe already injected) still fails: a second check is not a no-op.
  await assert.rejects(assertAccessible(page, 'the faulty page, again'), /image-alt/);
  await page.setContent(CLEAN);
  const results = await assertAccessible(page, 'the clean page');
  assert.ok(results.passes.some((p) => p.id === 'image-alt'), 'the clean page passes image-alt');
  assert.deepEqual(ids(await new AxeBuilder({ page }).analyze()), [], 'AxeBuilder agrees the clean page is clean');
  await page.close();
});

test('a fault added after the first check is found by the next (no stale result from the first injection)', async () => {
  const page = await context.newPage();
  await page.setContent(CLEAN);
  await assertAccessible(page, 'the clean page');
  await page.evaluate(() => { const i = document.createElement('img'); i.src = 'data:,'; document.querySelector('main').append(i); });
  await assert.rejects(assertAccessible(page, 'the clean page with an image added'), /image-alt/);
  await page.close();
});
