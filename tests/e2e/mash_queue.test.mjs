// The MASH queue (issue 15): pages of 25, most overdue first; filters by status, agency, age and name; the
// decision with its reason on the item's page, refused naming the field when incomplete, written with its
// audit entry, on the child's chronology, gone from "awaiting", and starting the clock DOMAIN.md names
// (section 47 → strategy discussion by the next working day; section 17 → assessment in 45 working days).
// Driven as a browser would (sign-in form, session cookie, CSRF token, Origin). Real binary, HTTP, SQLite.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  auditRows, everyAgencysEvents, alertRows,
  dbUrl, addPerson, event, freshArea, isoSeconds, nhsNumbers, letters, now, postEvent, removeDir, request, runCli,
  startServer, ukToday, webSignIn as signInAs, sessionCsrf,
} from './lib.mjs';

const PASSWORD = 'the front door decides today';
const DAY = 86400000;

let area;
let server;
const secrets = {};
const sessions = {};
const items = []; // {event, child, agency, family, ageDays}


async function session(username) {
  if (!sessions[username]) {
    const cookie = await signInAs(server.url, area.db, username, { password: PASSWORD, secrets });
    sessions[username] = { cookie, csrf: await sessionCsrf(server.url, cookie) };
  }
  return sessions[username];
}

async function get(username, path) {
  const s = await session(username);
  return request(`${server.url}${path}`, { headers: { cookie: s.cookie } });
}

async function post(username, path, fields) {
  const s = await session(username);
  return request(`${server.url}${path}`, {
    method: 'POST', body: new URLSearchParams({ csrf_token: s.csrf, ...fields }),
    headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
  });
}

/** The queue table's rows: [event id, row text]. */
function rowsOf(html) {
  return [...html.matchAll(/<tr class="govuk-table__row" id="mash-(\d+)">([\s\S]*?)<\/tr>/g)]
    .map((m) => [Number(m[1]), m[2].replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim()]);
}
const heading = (html) => /<h2 class="govuk-heading-m" id="results">([^<]*)<\/h2>/.exec(html)?.[1];
const text = (html) => html.replace(/<[^>]+>/g, ' ').replace(/&#39;|&rsquo;|’/g, "'").replace(/\s+/g, ' ');
const UK_LONG = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });
const longDate = (iso) => UK_LONG.format(new Date(`${iso}T00:00:00Z`));
/** A child's MASH decisions as the agencies' systems read the chronology (the API, not SQL). */
const decisionsOf = async (child) =>
  (await everyAgencysEvents(server.url, area.tokens, child)).filter((e) => e.kind === 'referral_decision');

before(async () => {
  area = freshArea('mash-queue');
  for (const [name, agency, role] of [['mo.mash', 'social_care', 'mash_worker'],
    ['sam.worker', 'social_care', 'social_worker'], ['pat.police', 'police', 'police_officer']]) {
    secrets[name] = addPerson(area.db, name, agency, role, PASSWORD);
  }
  server = await startServer(area.db);
  // 30 contacts, one child each: 24 from education, 4 from health, 2 from the police; ages from 40 days to
  // today, so the oldest is the most overdue. One is a referral.
  const nhs = nhsNumbers(600100000);
  for (let i = 0; i < 30; i++) {
    const agency = i < 24 ? 'education' : i < 28 ? 'health' : 'police';
    const ageDays = i === 29 ? 0 : 40 - i; // the last one arrives today
    const family = i === 7 ? 'Zorowska' : `Fam${letters(i + 3)}`;
    const at = isoSeconds(now() - ageDays * DAY - (i === 29 ? 60000 : 0));
    const r = await postEvent(server.url, area.tokens[agency], event(
      { source_ref: `MQ-${i}`, kind: i === 5 ? 'referral' : 'contact', occurred_at: at,
        summary: `Contact number ${i} about the child` },
      { given_name: `Kid${letters(i)}`, family_name: family, nhs_number: nhs.next().value, dob: '2015-01-02',
        postcode: `LS${i % 9 + 1} 1AA`, address: `${i + 1} Queue Street` }));
    assert.equal(r.status, 201, r.text);
    items.push({ event: r.json.id, child: r.json.child_id, agency, family, ageDays });
  }
});

after(async () => {
  try {
    if (server) await server.stop();
  } finally {
    if (area) removeDir(area.dir);
  }
});

describe('the MASH queue', () => {
  test('pages of 25, most overdue first, with GOV.UK pagination', async () => {
    let r = await get('mo.mash', '/mash');
    assert.equal(r.status, 200);
    assert.equal(heading(r.text), '30 contacts and referrals await a decision');
    const first = rowsOf(r.text);
    assert.equal(first.length, 25);
    assert.deepEqual(first.map(([id]) => id), items.slice(0, 25).map((x) => x.event));
    assert.match(first[0][1], /Overdue/);
    assert.match(r.text, /Showing 1 to 25 of 30, most overdue first\./);
    assert.match(r.text, /<nav class="govuk-pagination"[^>]*>/);
    // The next page's link carries the last row shown (its time and id), so that it is read from there.
    const next = /<a class="govuk-link govuk-pagination__link" href="([^"]+)" rel="next">/.exec(r.text)?.[1];
    assert.match(next.replaceAll('&amp;', '&'), new RegExp(`^/mash\\?status=awaiting&page=2&after=\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ_${first.at(-1)[0]}$`));
    r = await get('mo.mash', next.replaceAll('&amp;', '&'));
    assert.equal(r.status, 200);
    assert.deepEqual(rowsOf(r.text).map(([id]) => id), items.slice(25).map((x) => x.event));
    assert.match(r.text, /Showing 26 to 30 of 30, most overdue first\./);
    // Its previous page, read back from its first row: the first page's rows.
    const prev = /href="([^"]+)" rel="prev"/.exec(r.text)?.[1].replaceAll('&amp;', '&');
    assert.equal(prev, '/mash?status=awaiting');
    // The same page by its number (an address typed or kept from before): the same rows.
    r = await get('mo.mash', '/mash?status=awaiting&page=2');
    assert.equal(r.status, 200);
    const second = rowsOf(r.text);
    assert.deepEqual(second.map(([id]) => id), items.slice(25).map((x) => x.event));
    assert.match(r.text, /rel="prev"/);
    assert.doesNotMatch(r.text, /rel="next"/);
    assert.match(r.text, /aria-current="page"[^>]*>2</);
    // Today's contact is not yet overdue: its decision is due the next working day.
    assert.doesNotMatch(second.at(-1)[1], /Overdue/);
  });

  test('filters by agency, age and name, and keeps them across pages', async () => {
    let r = await get('mo.mash', '/mash?status=awaiting&agency=health');
    assert.equal(r.status, 200);
    assert.equal(heading(r.text), '4 contacts and referrals matching your filters await a decision');
    assert.deepEqual(rowsOf(r.text).map(([id]) => id), items.filter((x) => x.agency === 'health').map((x) => x.event));
    assert.match(r.text, /<option value="health" selected>Health<\/option>/);

    r = await get('mo.mash', '/mash?name=zorow');
    assert.deepEqual(rowsOf(r.text).map(([id]) => id), [items[7].event]);
    assert.match(r.text, /value="zorow"/);

    r = await get('mo.mash', '/mash?age=old');
    assert.deepEqual(rowsOf(r.text).map(([id]) => id), items.filter((x) => x.ageDays > 28).map((x) => x.event));
    r = await get('mo.mash', '/mash?age=not-overdue');
    assert.deepEqual(rowsOf(r.text).map(([id]) => id), [items[29].event]);
    r = await get('mo.mash', '/mash?age=overdue&agency=education&page=1');
    assert.equal(heading(r.text), '24 contacts and referrals matching your filters await a decision');

    r = await get('mo.mash', '/mash?age=overdue');
    assert.equal(heading(r.text), '29 contacts and referrals matching your filters await a decision');
    const next = /href="([^"]+)" rel="next"/.exec(r.text)?.[1].replaceAll('&amp;', '&');
    assert.match(next, /^\/mash\?status=awaiting&age=overdue&page=2&after=[0-9TZ:_-]+$/);
    r = await get('mo.mash', next);
    assert.equal(r.status, 200);
    assert.deepEqual(rowsOf(r.text).map(([id]) => id), items.filter((x) => x.ageDays >= 1).slice(25).map((x) => x.event));
    // The filters stay on the links back too.
    assert.match(/href="([^"]+)" rel="prev"/.exec(r.text)?.[1].replaceAll('&amp;', '&'), /^\/mash\?status=awaiting&age=overdue$/);
  });

  test('a bad filter is a 400 naming the field', async () => {
    for (const [q, field, message] of [['agency=martians', 'agency', 'Choose an agency from the list'],
      ['age=ancient', 'age', 'Choose how old from the list'], ['page=0', 'results', 'The page must be a whole number from 1'],
      ['status=maybe', 'status', 'Choose awaiting a decision or decided'],
      // the pages' keys: what a link wrote and nothing else (core/event.h event_cursor_parse)
      ['page=2&after=2026-01-01T10:00:00Z', 'results', 'The link to the next page \\(after\\) is not one the MASH queue made. Go to the first page'],
      ['page=2&after=2026-02-30T10:00:00Z_5', 'results', 'The link to the next page \\(after\\) is not one the MASH queue made. Go to the first page'],
      ['page=2&after=2026-01-01T10:00:00%2B01:00_5', 'results', 'The link to the next page \\(after\\) is not one the MASH queue made. Go to the first page'],
      ['page=2&after=2026-01-01T10:00:00Z_-5', 'results', 'The link to the next page \\(after\\) is not one the MASH queue made. Go to the first page'],
      ['page=2&after=2026-01-01T10:00:00Z_0', 'results', 'The link to the next page \\(after\\) is not one the MASH queue made. Go to the first page'],
      ['page=2&after=', 'results', 'The link to the next page \\(after\\) is not one the MASH queue made. Go to the first page'],
      ['page=2&before=%27%3B--', 'results', 'The link to the previous page \\(before\\) is not one the MASH queue made. Go to the first page'],
      ['after=2026-01-01T10:00:00Z_5&before=2026-01-01T10:00:00Z_5', 'results',
        'Follow a link to the next page \\(after\\) or the previous page \\(before\\), not both'],
      ['last=2', 'results', 'The link to the last page \\(last\\) is not one the MASH queue made. Go to the first page'],
      ['last=1&page=3', 'results', 'Follow a link to the last page \\(last\\) or to a numbered page, not both']]) {
      const r = await get('mo.mash', `/mash?${q}`);
      assert.equal(r.status, 400, q);
      assert.match(r.text, /govuk-error-summary/, q);
      assert.match(r.text, new RegExp(`href="#${field}">${message}</a>`), q);
    }
  });

  test('only the MASH (and managers) reach the queue; an item needs the record', async () => {
    assert.equal((await get('pat.police', '/mash')).status, 403);
    assert.equal((await get('pat.police', `/mash/${items[0].event}`)).status, 403);
    assert.equal((await get('mo.mash', '/mash/987654321')).status, 404);
  });
});

describe('recording the decision', () => {
  test('the item page shows the contact and asks what happens next', async () => {
    const r = await get('mo.mash', `/mash/${items[0].event}`);
    assert.equal(r.status, 200);
    assert.match(r.text, /Decide what happens next/);
    assert.match(r.text, /Contact number 0 about the child/);
    for (const label of ['No further action', 'Early help', 'Child in need: section 17 assessment',
      'Section 47 enquiry: hold a strategy discussion', 'Immediate protection']) assert.ok(r.text.includes(label), label);
    assert.match(r.text, /action="\/mash\/\d+\/decision"/);
  });

  test('without a decision or a reason, nothing is saved and the errors name the fields', async () => {
    const before = (await decisionsOf(items[1].child)).length;
    let r = await post('mo.mash', `/mash/${items[1].event}/decision`, { reason: '' });
    assert.equal(r.status, 400);
    assert.match(r.text, /href="#outcome">Select what happens next<\/a>/);
    assert.match(r.text, /href="#reason">Enter the reason for the decision<\/a>/);
    r = await post('mo.mash', `/mash/${items[1].event}/decision`, { outcome: 's47', reason: 'x'.repeat(2001) });
    assert.equal(r.status, 400);
    assert.match(r.text, /href="#reason">The reason must be 2000 characters or fewer/);
    assert.match(r.text, /value="s47" aria-describedby="s47-hint" checked/); // the answer is kept
    r = await post('mo.mash', `/mash/${items[1].event}/decision`, { outcome: 'refer_to_mars', reason: 'Because' });
    assert.equal(r.status, 400);
    assert.match(r.text, /href="#outcome">Select what happens next<\/a>/);
    assert.equal((await decisionsOf(items[1].child)).length, before);
    assert.equal(before, 0);
  });

  test('section 47: written and audited, on the chronology, out of "awaiting", strategy discussion clock started', async () => {
    const it = items[2];
    const reason = 'Police report of a head injury; reasonable cause to suspect significant harm';
    let r = await post('mo.mash', `/mash/${it.event}/decision`, { outcome: 's47', reason });
    assert.equal(r.status, 303, r.text);
    const to = r.headers.get('location');
    assert.match(to, /^\/mash\?done=s47&due=\d{4}-\d{2}-\d{2}$/);
    const due = /due=(.*)$/.exec(to)[1];
    assert.ok(due > ukToday(), 'the strategy discussion is due after today');
    r = await get('mo.mash', to);
    assert.match(text(r.text), new RegExp(`Decision recorded: Section 47 enquiry: hold a strategy discussion\\. The strategy discussion is due by ${longDate(due)}\\.`));
    assert.equal(heading(r.text), '29 contacts and referrals await a decision');
    assert.ok(!rowsOf(r.text).some(([id]) => id === it.event));

    // On the child's chronology, as social care's event with the reason.
    const [ev, ...more] = await decisionsOf(it.child);
    assert.deepEqual(more, []);
    assert.equal(`${ev.kind}|${ev.agency}|${ev.summary}`,
      `referral_decision|social_care|MASH decision: Section 47 enquiry: hold a strategy discussion. Reason: ${reason}`);
    assert.equal(ev.details.outcome, 's47');
    // Audited, naming the item and the decision (no words of the reason).
    assert.equal(auditRows(area.db, { action: 'mash.decide', child: it.child, object: `event:${it.event}` })
      .filter((e) => e.detail === 's47').length, 1);

    // Decided, with who decided.
    r = await get('mo.mash', '/mash?status=decided');
    const row = rowsOf(r.text).find(([id]) => id === it.event);
    assert.ok(row, 'listed under decided');
    assert.match(row[1], /Section 47 enquiry: hold a strategy discussion .* by mo\.mash/);

    // The clock: no strategy discussion by the due date raises STRATEGY_DISCUSSION_OVERDUE the day after.
    runCli(['sweep', '--db', dbUrl(area.db), '--today', due]);
    assert.deepEqual(alertRows(area.db, { child: it.child, code: 'STRATEGY_DISCUSSION_OVERDUE' }), []);
    const after = new Date(Date.parse(`${due}T12:00:00Z`) + DAY).toISOString().slice(0, 10);
    runCli(['sweep', '--db', dbUrl(area.db), '--today', after]);
    assert.deepEqual(alertRows(area.db, { child: it.child, code: 'STRATEGY_DISCUSSION_OVERDUE' }).map((a) => a.due), [due]);

    // A second decision on the same item is refused, nothing written.
    r = await post('mo.mash', `/mash/${it.event}/decision`, { outcome: 'nfa', reason: 'Changed my mind' });
    assert.equal(r.status, 409);
    assert.match(r.text, /This has already been decided/);
    assert.equal((await decisionsOf(it.child)).length, 1);
  });

  test('section 17 starts the assessment clock (45 working days); no further action starts none', async () => {
    let r = await post('mo.mash', `/mash/${items[3].event}/decision`, { outcome: 's17', reason: 'Needs assessed: parent unwell, young carer' });
    assert.equal(r.status, 303, r.text);
    const due = /due=(.*)$/.exec(r.headers.get('location'))[1];
    const days = (Date.parse(due) - Date.parse(ukToday())) / DAY;
    assert.ok(days >= 63 && days <= 70, `45 working days is about nine weeks: ${days} days`);
    r = await post('mo.mash', `/mash/${items[4].event}/decision`, { outcome: 'nfa', reason: 'Already known to the school nurse; no concerns' });
    assert.equal(r.status, 303);
    assert.equal(r.headers.get('location'), '/mash?done=nfa');
    const later = new Date(Date.parse(`${due}T12:00:00Z`) + 2 * DAY).toISOString().slice(0, 10);
    runCli(['sweep', '--db', dbUrl(area.db), '--today', later]);
    assert.deepEqual(alertRows(area.db, { child: items[3].child, code: 'ASSESSMENT_OVERDUE' }).map((a) => a.due), [due]);
    assert.deepEqual(alertRows(area.db, { child: items[4].child }).filter((a) => ['ASSESSMENT_OVERDUE', 'STRATEGY_DISCUSSION_OVERDUE'].includes(a.code)), []);
  });

  test('someone with no part in the child cannot decide', async () => {
    // A social worker reaches no MASH page at all (the role policy).
    const r = await post('sam.worker', `/mash/${items[6].event}/decision`, { outcome: 'nfa', reason: 'No' });
    assert.equal(r.status, 403);
    assert.equal((await decisionsOf(items[6].child)).length, 0);
  });
});
