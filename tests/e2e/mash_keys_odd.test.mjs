// The MASH lists' links and filters given odd values (r-review41, a review of r-mashkey22's keyset pages and
// name LIKE): every after=, before=, last= and page= that the pages did not write is a 400 naming the link, never
// a 500 or a guess; a name's %, _, \ and quote are letters, not patterns; and the link to the previous page,
// followed after rows before it were decided, gives the first page whole (service/mash.c queue_run). Real
// binary, HTTP, SQLite (and PostgreSQL with make e2e-pg).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { addPerson, event, freshArea, isoSeconds, nhsNumbers, now, postEvent, removeDir, request, startServer,
  webSignIn } from './lib.mjs';

const PASSWORD = 'odd keys are refused by name';
const DAY = 86400000;
let area;
let server;
let cookie;
const named = {}; // given name -> contact id
const waiting = []; // contact ids, oldest first
const children = []; // their subjects, for the decisions

const get = (path) => request(`${server.url}${path}`, { headers: { cookie } });
const rowIds = (html) => [...html.matchAll(/<tr class="govuk-table__row" id="mash-(\d+)">/g)].map((m) => Number(m[1]));
const link = (html, rel) => new RegExp(`href="([^"]+)" rel="${rel}"`).exec(html)?.[1].replaceAll('&amp;', '&');
const shown = (html) => /<p class="govuk-body" id="mash-shown">([^<]*)<\/p>/.exec(html)?.[1];

const NAMES = [['Amy%', 'Per_cent'], ['Bo\\b', "O'Hara"], ['Élodie', 'Ünal'], ['Amyx', 'Perxcent'], ['Bob', 'OxHara']];

before(async () => {
  area = freshArea('mash-keys-odd');
  addPerson(area.db, 'mo.mash', 'social_care', 'mash_worker', PASSWORD);
  server = await startServer(area.db);
  const nhs = nhsNumbers(600300000);
  // 55 children, a police contact each, an hour apart, the oldest 60 days ago (three pages); the first five
  // with odd names
  for (let i = 0; i < 55; i += 1) {
    const [given, family] = NAMES[i] ?? [`Kid${String.fromCharCode(97 + (i % 26))}`, `Waiting${i}`];
    const subject = { given_name: given, family_name: family, nhs_number: nhs.next().value, dob: '2014-05-06',
      postcode: 'LS2 1AA', address: `${i + 1} Key Row` };
    const r = await postEvent(server.url, area.tokens.police, event({ kind: 'contact', source_ref: `ODD-${i}`,
      occurred_at: isoSeconds(now() - 60 * DAY + i * 3600000), summary: 'A contact' }, subject));
    assert.equal(r.status, 201, r.text);
    waiting.push(r.json.id);
    children.push(subject);
    if (i < NAMES.length) named[given] = r.json.id;
  }
  cookie = await webSignIn(server.url, area.db, 'mo.mash', { password: PASSWORD });
});

after(async () => {
  try {
    if (server) await server.stop();
  } finally {
    if (area) removeDir(area.dir);
  }
});

describe('the MASH lists given odd links and names', () => {
  test('a key, a page or a last the pages did not write: 400 naming it', async () => {
    const key = (i) => `2025-03-01T10:15:00Z_${i}`;
    const refused = {
      after: ['', 'x', key(0), key(-1), key('99999999999999999999'), key("1'--"), key('+1'), `${key(1)} `, ` ${key(1)}`,
        '0000-01-01T00:00:00Z_1', '2025-02-30T10:15:00Z_1', '2025-03-01T10:15:60Z_1', '2025-03-01T10:15:00+01:00_1',
        '2025-03-01t10:15:00z_1', '２025-03-01T10:15:00Z_1'],
      before: ['', 'x', key(0)],
      last: ['', '2', 'yes'],
      page: ['0', '-1', '99999999999', '1.5', '2x'],
    };
    for (const [field, values] of Object.entries(refused)) {
      for (const value of values) {
        for (const status of ['awaiting', 'decided']) {
          const r = await get(`/mash?status=${status}&${field}=${encodeURIComponent(value)}`);
          assert.equal(r.status, 400, `${field}=${value}`);
          assert.match(r.text, /govuk-error-message/, `${field}=${value}: the problem is named`);
          assert.deepEqual(rowIds(r.text), [], `${field}=${value}: no rows on a refused link`);
        }
      }
    }
    for (const q of [`after=${key(1)}&before=${key(2)}`, 'after=&before=', 'last=1&page=2', `last=1&after=${key(1)}`]) {
      const r = await get(`/mash?${q}`);
      assert.equal(r.status, 400, q);
      assert.match(r.text, /not both/, q);
    }
  });

  test('a key the pages could have written: the rows after or before it, however far', async () => {
    const far = (await get(`/mash?after=${encodeURIComponent('2000-03-01T10:15:00Z_999999999999999999')}`));
    assert.equal(far.status, 200);
    assert.deepEqual(rowIds(far.text).slice(0, 2), waiting.slice(0, 2), 'every contact comes after an old instant');
    const end = await get('/mash?before=9999-12-31T23:59:59Z_1');
    assert.equal(end.status, 200);
    assert.deepEqual(rowIds(end.text), waiting.slice(30), 'the last 25 before the end of time');
    // percent-encoded as a browser may send it
    const enc = await get('/mash?after=2000-03-01T10%3A15%3A00Z_1');
    assert.equal(enc.status, 200);
    assert.deepEqual(rowIds(enc.text), waiting.slice(0, 25));
  });

  test('a name\'s %, _, \\ and quote are letters; any case; with a key and on the last page', async () => {
    const cases = [['%', [named['Amy%']]], ['_', [named['Amy%']]], ['\\', [named['Bo\\b']]], ["'", [named['Bo\\b']]],
      ["o'h", [named['Bo\\b']]], ['AMY', [named['Amy%'], named.Amyx]], ['%_', []], ['Élodie', [named['Élodie']]],
      ["%';--", []], ['ß', []]];
    for (const [name, want] of cases) {
      for (const extra of ['', '&last=1', `&before=${encodeURIComponent('9999-12-31T23:59:59Z_1')}`]) {
        const r = await get(`/mash?name=${encodeURIComponent(name)}${extra}`);
        assert.equal(r.status, 200, `name ${name}${extra}`);
        assert.deepEqual(rowIds(r.text), want, `name ${name}${extra}`);
      }
    }
    for (const name of ['\u0001', 'a'.repeat(101), '€'.repeat(101)]) {
      const r = await get(`/mash?name=${encodeURIComponent(name)}`);
      assert.equal(r.status, 400, JSON.stringify(name));
    }
  });

  test('the previous page after rows before it were decided: the first page, whole', async () => {
    const first = await get('/mash');
    assert.deepEqual(rowIds(first.text), waiting.slice(0, 25));
    const second = await get(link(first.text, 'next'));
    assert.deepEqual(rowIds(second.text), waiting.slice(25, 50));
    const third = await get(link(second.text, 'next'));
    assert.equal(third.status, 200);
    assert.deepEqual(rowIds(third.text), waiting.slice(50));
    const previous = link(third.text, 'prev');
    assert.match(previous, /before=/, 'the link back carries the page\'s first row');
    // social care decides 27 of the first two pages' 50 meanwhile: 23 remain before the third page
    for (let i = 0; i < 27; i += 1) {
      const r = await postEvent(server.url, area.tokens.social_care, event({ kind: 'referral_decision',
        source_ref: `ODD-D-${i}`, occurred_at: isoSeconds(now() - DAY), summary: 'Decided',
        details: { outcome: 'nfa', decided_by: 'mo.mash', reason: 'No further action' } }, children[i]));
      assert.equal(r.status, 201, r.text);
    }
    const back = await get(previous);
    assert.equal(back.status, 200, back.text);
    assert.deepEqual(rowIds(back.text), waiting.slice(27, 52), 'the first page: the 23 left and 2 after them');
    assert.equal(shown(back.text), 'Showing 1 to 25 of 28, most overdue first.');
    const next = await get(link(back.text, 'next'));
    assert.deepEqual(rowIds(next.text), waiting.slice(52));
    assert.equal(shown(next.text), 'Showing 26 to 28 of 28, most overdue first.');
  });
});
