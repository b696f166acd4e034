// Issue 18, part 3: the recordings on the child's page, in a real browser. The allocated worker follows the
// record's link to the child's recordings, adds an interview (a real WAV file chosen in the form), sees it with
// who was present, consent, the child's own words and how long it is kept, and the page's player loads it from
// the server (decrypted as it streams; the play is audited). A form with a missing answer shows the error
// summary with nothing saved. With JavaScript the "record here" box appears; without it the form alone works,
// at 375 px as at 1280. axe on every state.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  assertAccessible, clearSnaps, errorSummary, goto, longDate, makeChild, navigate, newPage, nhsNumbers, snap,
  startDemoAndBrowser, textOf, ukToday, WORKER,
} from './lib.mjs';
import { auditRows, recordingRows } from '../e2e/lib.mjs';

let demo;
let browser;
let childId;
const nhs = nhsNumbers(943478300);
const child = {
  given_name: 'Imogen', family_name: 'Castellanos', dob: '2015-05-11', sex: 'F', postcode: 'LS7 3QB',
  address: '9 Harehills Lane', nhs_number: nhs.next().value,
};

/** A real WAV file: 16-bit mono PCM, 8 kHz, a quarter of a second of a quiet tone. */
function wav() {
  const rate = 8000;
  const n = rate / 4;
  const data = Buffer.alloc(n * 2);
  for (let i = 0; i < n; i++) data.writeInt16LE(Math.round(2000 * Math.sin((2 * Math.PI * 440 * i) / rate)), i * 2);
  const h = Buffer.alloc(44);
  h.write('RIFF', 0);
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVEfmt ', 8);
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(rate, 24);
  h.writeUInt32LE(rate * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36);
  h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}

before(async () => {
  clearSnaps('recordings');
  ({ demo, browser } = await startDemoAndBrowser());
  childId = await makeChild(demo, child, [
    { agency: 'education', kind: 'concern', occurred_at: '2025-03-03T09:00:00Z', summary: 'Said she is scared to go home' },
  ]);
});

after(async () => {
  await browser?.close();
  await demo?.stop();
});

async function fill(page, { kind = 'Interview', present, consent, words, file }) {
  const [y, m, d] = ukToday().split('-');
  await page.getByLabel(kind, { exact: true }).check();
  await page.getByLabel('Day').fill(String(Number(d)));
  await page.getByLabel('Month').fill(String(Number(m)));
  await page.getByLabel('Year').fill(y);
  if (present !== undefined) await page.getByLabel('Who was present').fill(present);
  if (consent !== undefined) await page.getByLabel('Consent', { exact: true }).fill(consent);
  if (words !== undefined) await page.getByLabel("The child's own words (optional)").fill(words);
  if (file) await page.getByLabel('The recording or document').setInputFiles(file);
}

/**
 * axe on a page as it is: run in the page itself, or, with JavaScript off (axe is a script), on the same HTML
 * served from the same origin in a context whose scripts are all blocked, so that nothing the scripts would do
 * is counted.
 */
async function accessible(page, label, nojs) {
  if (!nojs) return assertAccessible(page, label);
  const html = await page.content();
  const ctx = await browser.newContext({ viewport: page.viewportSize() });
  try {
    await ctx.route('**/*.js', (r) => r.abort());
    await ctx.route(`${demo.url}/axe-snapshot`, (r) => r.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
    const copy = await ctx.newPage();
    await copy.goto(`${demo.url}/axe-snapshot`, { waitUntil: 'load' });
    assert.equal(await copy.locator('body.js-enabled').count(), 0, 'no script ran in the copy');
    return await assertAccessible(copy, `${label}, without JavaScript`);
  } finally {
    await ctx.close();
  }
}

const PRESENT = 'Sam Worker, social worker\nDC Lee Ashby, police officer';
const CONSENT = 'Imogen, and her mother who has parental responsibility';
const WORDS = 'I told my teacher because she listens.';

describe('the recordings on the child\'s page', () => {
  for (const [name, options] of [['wide', {}], ['narrow', { viewport: { width: 375, height: 812 } }],
    ['nojs', { javaScriptEnabled: false, viewport: { width: 375, height: 812 } }]]) {
    test(`${name}: from the record to the recordings, an error, then an interview added and played`, async () => {
      const page = await newPage(browser, { as: WORKER, ...options });
      try {
        await goto(page, `${demo.url}/children/${childId}`);
        if (name === 'nojs') assert.equal(await page.locator('body.js-enabled').count(), 0, 'no script ran');
        await navigate(page, () => page.locator('#recordings-link').click(), (u) => u.pathname === `/children/${childId}/recordings`);
        assert.equal(await textOf(page.locator('h1')), 'Recordings');
        await accessible(page, `the recordings page (${name})`, name === 'nojs');
        // The record-here box is an enhancement: shown with JavaScript (MediaRecorder), hidden without.
        assert.equal(await page.locator('#recorder').isVisible(), name !== 'nojs');
        if (options.viewport) {
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
          assert.ok(overflow <= 0, `no sideways scrolling at 375 px (${overflow} px over)`);
        }
        // A missing answer: the error summary, nothing saved.
        const before = recordingRows(demo.db).length;
        await fill(page, { present: '', consent: CONSENT, file: { name: 'first.wav', mimeType: 'audio/wav', buffer: wav() } });
        await navigate(page, () => page.getByRole('button', { name: 'Add recording' }).click(), (u) => u.pathname === `/children/${childId}/recordings`);
        assert.deepEqual(await errorSummary(page), [{ text: 'Enter who was present, with their roles', href: '#present' }]);
        assert.equal(recordingRows(demo.db).length, before);
        await accessible(page, `the form with an error (${name})`, name === 'nojs');
        await snap(page, `recordings-error-${name}`);
        // Corrected: saved, and shown on the child's recordings.
        await fill(page, { present: PRESENT, consent: CONSENT, words: WORDS, file: { name: `imogen-${name}.wav`, mimeType: 'audio/wav', buffer: wav() } });
        await navigate(page, () => page.getByRole('button', { name: 'Add recording' }).click(), (u) => u.searchParams.has('uploaded'));
        const id = new URL(page.url()).searchParams.get('uploaded');
        assert.match(await textOf(page.locator('#uploaded-banner')), /The recording was added/);
        const card = page.locator(`#recording-${id}`);
        assert.equal(await textOf(card.locator('h3')), `Interview, ${longDate(ukToday())}`);
        const t = await textOf(card);
        for (const s of ['Sam Worker, social worker', 'DC Lee Ashby, police officer', CONSENT, WORDS, `imogen-${name}.wav`]) {
          assert.ok(t.includes(s), `${s} in ${t}`);
        }
        const [y, m, d] = ukToday().split('-');
        const until = `${Number(y) + 75}-${m}-${m === '02' && d === '29' ? '28' : d}`;
        assert.ok(t.includes(`Kept until ${longDate(until)}`), t);
        await accessible(page, `the recordings with one added (${name})`, name === 'nojs');
        await snap(page, `recordings-added-${name}`);
        // The player: the browser loads it from the server (with JavaScript to ask it to; a person presses play).
        if (name !== 'nojs') {
          const plays = auditRows(demo.db, { action: 'recording.play' }).length;
          const duration = await card.locator('audio').evaluate((a) => new Promise((resolve, reject) => {
            a.addEventListener('loadedmetadata', () => resolve(a.duration), { once: true });
            a.addEventListener('error', () => reject(new Error(`media error ${a.error?.code}`)), { once: true });
            a.preload = 'auto';
            a.load();
          }));
          assert.ok(Math.abs(duration - 0.25) < 0.01, `the player read the recording (${duration} s)`);
          assert.ok(auditRows(demo.db, { action: 'recording.play' }).length > plays,
            'every play is audited');
        }
        assert.deepEqual(page.problems(), [], 'no script errors, failed requests or dialogs');
      } finally {
        await page.context().close();
      }
    });
  }
});
