// The MASH queue's count on a grown area (issue 17, r-mashcnt21): the heading and the pagination count at most
// 1,000 items past which they read "more than" (service/mash.h MASH_COUNT_MAX): an exact count read every contact
// of the area for every page. Past the bound no last page is offered, only the next; a page further on counts to
// its own last row, so that its next page is known. An area loaded by `safeguard area-load` (no decision:
// every contact and referral awaits one), a MASH worker through the sign-in form. Real binary, HTTP.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { addPerson, dbUrl, freshArea, removeDir, request, runCli, startServer, webSignIn } from './lib.mjs';

const PASSWORD = 'the front door counts to a thousand';

let area;
let server;
let cookie;
let awaiting; // contacts and referrals in the area, all awaiting a decision

const heading = (html) => /<h2 class="govuk-heading-m" id="results">([^<]*)<\/h2>/.exec(html)?.[1];
const pageLinks = (html) => [...html.matchAll(/govuk-pagination__link" href="[^"]*page=(\d+)[&"]/g)].map((m) => Number(m[1]));
const rowIds = (html) => [...html.matchAll(/<tr class="govuk-table__row" id="mash-(\d+)">/g)].map((m) => m[1]);
const link = (html, rel) => new RegExp(`href="([^"]+)" rel="${rel}"`).exec(html)?.[1].replaceAll('&amp;', '&');
const rowCount = (html) => [...html.matchAll(/<tr class="govuk-table__row" id="mash-\d+">/g)].length;
const get = (path) => request(`${server.url}${path}`, { headers: { cookie } });

before(async () => {
  area = freshArea('mash-count');
  addPerson(area.db, 'mo.mash', 'social_care', 'mash_worker', PASSWORD);
  runCli(['area-load', '--db', dbUrl(area.db), '--children', '200', '--events-per-child', '20', '--seed', '3']);
  server = await startServer(area.db);
  cookie = await webSignIn(server.url, area.db, 'mo.mash', { password: PASSWORD });
  // How many await, counted by the pages themselves: the last page's rows past the bound.
  const first = await get('/mash');
  assert.equal(first.status, 200, first.text);
  let page = 41;
  let r = await get(`/mash?page=${page}`);
  while (rowCount(r.text) === 25 && page < 80) { // bounded: 200 children x 20 events
    page += 1;
    r = await get(`/mash?page=${page}`);
  }
  awaiting = (page - 1) * 25 + rowCount(r.text);
});

after(async () => {
  try {
    if (server) await server.stop();
  } finally {
    if (area) removeDir(area.dir);
  }
});

describe('the MASH queue counted to a bound', () => {
  test('past 1,000 items the heading says more than 1000, the first page offers the next, not a last', async () => {
    assert.ok(awaiting > 1050, `${awaiting} awaiting: the area is too small to pass the bound`);
    const r = await get('/mash');
    assert.equal(r.status, 200, r.text);
    assert.equal(heading(r.text), 'More than 1000 contacts and referrals await a decision');
    assert.match(r.text, /Showing 1 to 25 of more than 1000, most overdue first\./);
    assert.equal(rowCount(r.text), 25);
    const links = pageLinks(r.text);
    assert.ok(links.includes(2), links.join(' '));
    assert.ok(Math.max(...links) <= 2, `no last page offered: ${links.join(' ')}`);
    assert.match(r.text, /rel="next"/);
  });

  test('a page past the bound counts to its own last row: its next page is offered while there is one', async () => {
    const r = await get('/mash?page=41');
    assert.equal(r.status, 200, r.text);
    assert.equal(heading(r.text), 'More than 1025 contacts and referrals await a decision');
    assert.match(r.text, /Showing 1001 to 1025 of more than 1025, most overdue first\./);
    assert.match(r.text, /rel="next"/);
    // The last page: its count is exact again (nothing past it), and it names the total.
    const last = Math.ceil(awaiting / 25);
    const l = await get(`/mash?page=${last}`);
    assert.equal(l.status, 200, l.text);
    assert.equal(heading(l.text), `${awaiting} contacts and referrals await a decision`);
    assert.doesNotMatch(l.text, /rel="next"/);
    assert.equal(rowCount(l.text), awaiting - (last - 1) * 25);
  });

  test('the next links walk every page, each read from the row before it, with the rows of its number', async () => {
    // Keyset (r-mashkey22): a link to the next page carries the last row shown; a page past the 1,000th item
    // costs what the first costs. Its rows are the rows of the page of that number, to the end of the list.
    for (const status of ['awaiting', 'decided']) {
      let r = await get(`/mash?status=${status}`);
      const walked = [];
      let page = 1;
      for (;;) { // bounded: the list's pages, at most 80
        assert.equal(r.status, 200, r.text);
        const ids = rowIds(r.text);
        walked.push(...ids);
        if (status === 'awaiting' && [2, 41, 50].includes(page)) {
          const byNumber = await get(`/mash?status=${status}&page=${page}`);
          assert.deepEqual(ids, rowIds(byNumber.text), `page ${page} by its key and by its number`);
          assert.match(r.text, new RegExp(`Showing ${(page - 1) * 25 + 1} to ${(page - 1) * 25 + ids.length} of `));
          assert.match(r.text, new RegExp(`aria-current="page"[^>]*>${page}<`));
        }
        const next = link(r.text, 'next');
        if (!next) break;
        page += 1;
        assert.ok(page <= 80, 'too many pages');
        assert.match(next, new RegExp(`^/mash\\?status=${status}&page=${page}&after=[0-9T:-]+Z_${ids.at(-1)}$`));
        r = await get(next);
      }
      if (status === 'awaiting') {
        assert.equal(walked.length, awaiting);
        assert.equal(new Set(walked).size, awaiting);
        // back from the last page by the previous links: the same pages in reverse
        const back = [];
        for (let p = page; p >= 1; p -= 1) {
          back.unshift(...rowIds(r.text));
          const prev = link(r.text, 'prev');
          if (p === 1) {
            assert.equal(prev, undefined);
            break;
          }
          assert.match(prev, p === 2 ? /^\/mash\?status=awaiting$/ : new RegExp(`&page=${p - 1}&before=[0-9T:-]+Z_\\d+$`));
          r = await get(prev);
          assert.equal(r.status, 200, r.text);
        }
        assert.deepEqual(back, walked);
      } else {
        assert.equal(walked.length, 0); // nothing decided in this area
      }
    }
  });

  test('under the bound the last page is offered, read from the end of the list', async () => {
    const r = await get('/mash?agency=police');
    const total = Number(/^(\d+) contacts/.exec(heading(r.text))[1]);
    const lastPage = Math.ceil(total / 25);
    assert.ok(lastPage > 3, `${total} police contacts: too few pages`);
    const last = [...r.text.matchAll(/govuk-pagination__link" href="([^"]+)"/g)].map((m) => m[1].replaceAll('&amp;', '&'))
      .find((h) => h.includes('last=1'));
    assert.equal(last, '/mash?status=awaiting&agency=police&last=1');
    const l = await get(last);
    assert.equal(l.status, 200, l.text);
    const byNumber = await get(`/mash?status=awaiting&agency=police&page=${lastPage}`);
    assert.deepEqual(rowIds(l.text), rowIds(byNumber.text));
    assert.equal(rowIds(l.text).length, total - (lastPage - 1) * 25);
    assert.match(l.text, new RegExp(`aria-current="page"[^>]*>${lastPage}<`));
    assert.match(l.text, new RegExp(`Showing ${(lastPage - 1) * 25 + 1} to ${total} of ${total}, `));
    assert.equal(link(l.text, 'next'), undefined);
    // and its previous page, read back from its first row
    const prev = await get(link(l.text, 'prev'));
    assert.deepEqual(rowIds(prev.text), rowIds((await get(`/mash?status=awaiting&agency=police&page=${lastPage - 1}`)).text));
  });

  test('with a filter that leaves fewer than the bound the count is exact', async () => {
    const r = await get('/mash?agency=police');
    assert.equal(r.status, 200, r.text);
    const m = /^(\d+) contacts and referrals matching your filters await a decision$/.exec(heading(r.text));
    assert.ok(m, heading(r.text));
    assert.ok(Number(m[1]) > 0 && Number(m[1]) <= 1000, m[1]);
  });
});
