// How well record matching is doing, as a team manager meets it on the review queue (issue 16): the built-in
// settings until the service learns from its own records, then the trained model's precision and recall on
// the pairs people checked and the review tasks per 1,000 records; at desktop width and at 375 px, axe on
// each; a social worker sees the queue without it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { linkModel } from '../e2e/lib.mjs';
import { assertAccessible, demoCli, goto, newPage, startDemoAndBrowser, textOf } from './lib.mjs';

let demo;
let browser;

before(async () => {
  ({ demo, browser } = await startDemoAndBrowser());
});

after(async () => {
  await browser?.close();
  await demo?.stop();
});

test('a team manager sees the built-in settings, then the model learnt from the records', async () => {
  const page = await newPage(browser, { as: 'north.manager' });
  await goto(page, `${demo.url}/link-reviews`);
  const card = page.locator('#link-model');
  assert.equal(await card.count(), 1);
  assert.equal(await textOf(card.locator('h2')), 'How well record matching is doing');
  assert.equal(await textOf(page.locator('#link-model-source')), 'Built-in settings: not yet learnt from this service\'s records');
  await assertAccessible(page, 'the review queue with the built-in model');

  assert.equal(linkModel(demo.db).id, 0, 'the built-in settings');
  demoCli(demo, ['link', 'train']);
  const model = linkModel(demo.db);
  assert.equal(model.how, 'command');
  const records = model.records;
  assert.ok(records > 0 && records <= model.records_received, JSON.stringify(model));
  await goto(page, `${demo.url}/link-reviews`);
  assert.match(await textOf(page.locator('#link-model-source')),
    new RegExp(`^Learnt from this service's ${records.toLocaleString('en-GB')} records on \\d{1,2} [A-Z][a-z]+ \\d{4} \\(on request\\)$`));
  assert.match(await textOf(page.locator('#link-model-precision')), /^(\d+\.\d%: of the \d+ checked pairs it would join, \d+ were the same child|Not measured: .*)$/);
  // as of the training just run (link_counts), with its date and time
  assert.match(await textOf(page.locator('#link-model-rate')),
    new RegExp(`^\\d+\\.\\d \\(${model.records_received.toLocaleString('en-GB')} records received\\) ` +
      'as of \\d{1,2} [A-Z][a-z]+ \\d{4} \\d\\d:\\d\\d$'));
  await assertAccessible(page, 'the review queue with the trained model');
  await page.context().close();

  const narrow = await newPage(browser, { as: 'north.manager', viewport: { width: 375, height: 800 } });
  await goto(narrow, `${demo.url}/link-reviews`);
  assert.ok(await narrow.locator('#link-model').isVisible());
  // The block fits the screen (the queue's table below is the page's own matter).
  const wide = await narrow.evaluate(() => {
    const card = document.querySelector('#link-model');
    let widest = card.getBoundingClientRect().right;
    for (const el of card.querySelectorAll('*')) widest = Math.max(widest, el.getBoundingClientRect().right);
    return widest;
  });
  assert.ok(wide <= 375, `the block reaches ${wide} px at 375 px`);
  await assertAccessible(narrow, 'the review queue at 375 px');
  assert.deepEqual(narrow.problems(), []);
  await narrow.context().close();
});

test('a social worker sees the queue without the model block', async () => {
  const page = await newPage(browser, { as: 'demo.worker' });
  await goto(page, `${demo.url}/link-reviews`);
  assert.equal(await textOf(page.locator('h1')), 'Records to check');
  assert.equal(await page.locator('#link-model').count(), 0);
  await page.context().close();
});
