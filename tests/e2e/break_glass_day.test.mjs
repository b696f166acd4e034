// Issue 15, break-glass and "who has looked" in a practitioner's day: the record opened in an emergency says so
// and until when; a missing or sealed id is told "not found" before any reason is asked for (after a try that
// counts, as an opening does); the allocated worker is told who opened the record, their agency, when and why;
// "who has looked" names the child, each person's agency and role and the basis of every look, with filters and
// pages; the data protection officer has a home page with the area's emergency openings. Real binary, real HTTP,
// real SQLite; each test fails on the main branch of 4 December 2026.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import {
  auditRows, dpoNotices,
  BIN, assertNoSanitizerReport, event, freshArea, postEvent, removeDir, request, runCli, sql, startServer,
  webSignIn as signInAs, sessionCsrf, dbUrl, addPerson, breakGlassRows, rowCount
} from './lib.mjs';

const PASSWORD = 'correct horse battery staple';
const MISSING = 987654321; // an id that holds no child

function userAdd(db, username, agency, role) {
  return addPerson(db, username, agency, role, PASSWORD);
}


let area;
let server;
const secrets = {};
const sessions = {};
let amira; // allocated to sam.worker; opened in an emergency by pat.police
let ben; // allocated to sam.worker; sealed
let cara; // allocated to nobody

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

async function post(username, path, fields = {}) {
  const s = await session(username);
  return request(`${server.url}${path}`, {
    method: 'POST', body: new URLSearchParams({ csrf_token: s.csrf, ...fields }),
    headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
  });
}

/** A UTC instant (YYYY-MM-DDTHH:MM:SSZ) as the pages write it in England: {date: "4 December 2026", time: "14:05"}. */
function ukText(stamp) {
  const d = new Date(Date.parse(stamp));
  const date = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'long', year: 'numeric' }).format(d);
  const time = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(d);
  return { date, time };
}

/** The rows of the page's table with this id: each row's cells as text. */
function tableRows(html, id) {
  const m = new RegExp(`<table[^>]*id="${id}"[\\s\\S]*?</table>`).exec(html);
  if (!m) return [];
  const body = /<tbody[^>]*>([\s\S]*?)<\/tbody>/.exec(m[0])[1];
  return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((r) => [...r[1].matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)]
    .map((c) => c[1].replace(/<br>/g, ' ').replace(/<[^>]+>/g, '').replace(/&#39;/g, "'").replace(/\s+/g, ' ').trim()));
}

const REASON = 'Officer at the door now, child crying inside and an adult refusing entry';

before(async () => {
  area = freshArea('break-glass-day');
  for (const [name, agency, role] of [['sam.worker', 'social_care', 'social_worker'], ['dee.dpo', 'social_care', 'dpo'],
    ['pat.police', 'police', 'police_officer'], ['sol.other', 'social_care', 'social_worker'],
    ['nia.health', 'health', 'health_practitioner']]) {
    secrets[name] = userAdd(area.db, name, agency, role);
  }
  server = await startServer(area.db);
  let r = await postEvent(server.url, area.tokens.education, event({ source_ref: 'BG-1' }));
  assert.equal(r.status, 201, r.text);
  amira = r.json.child_id;
  r = await postEvent(server.url, area.tokens.education, event({ source_ref: 'BG-2' },
    { given_name: 'Ben', family_name: 'Ortiz', nhs_number: '9434765870', dob: '2014-02-01' }));
  ben = r.json.child_id;
  r = await postEvent(server.url, area.tokens.education, event({ source_ref: 'BG-3' },
    { given_name: 'Cara', family_name: 'Lowe', nhs_number: '9434765889', dob: '2013-06-09', postcode: 'LS9 1AA' }));
  cara = r.json.child_id;
  assert.equal(new Set([amira, ben, cara]).size, 3);
  runCli(['allocate', '--db', dbUrl(area.db), '--child', String(amira), '--user', 'sam.worker']);
  runCli(['allocate', '--db', dbUrl(area.db), '--child', String(ben), '--user', 'sam.worker']);
  runCli(['seal', '--db', dbUrl(area.db), '--child', String(ben), '--basis', 'adoption']);
});

after(async () => {
  try {
    if (server) await server.stop();
  } finally {
    removeDir(area?.dir);
  }
});

describe('break-glass', () => {
  test('an id that holds no child, or a sealed one, is "not found" before a reason is asked for; the try counts', async () => {
    const first = await get('nia.health', `/children/${MISSING}/break-glass`);
    assert.equal(first.status, 200);
    assert.doesNotMatch(first.text, /<textarea/, 'no reason is asked for before the try');
    assert.match(first.text, /name="step" value="start"/);
    const tries = () => dpoNotices(area.db, { kind: 'break_glass', user: 'nia.health' }).length;
    const before = tries();
    const none = await post('nia.health', `/children/${MISSING}/break-glass`, { step: 'start' });
    assert.equal(none.status, 404);
    assert.match(none.text, /Child not found/);
    assert.doesNotMatch(none.text, /<textarea/);
    const sealed = await post('nia.health', `/children/${ben}/break-glass`, { step: 'start' });
    assert.equal(sealed.status, 404);
    assert.equal(sealed.text.replace(/value="[^"]+"/g, ''), none.text.replace(/value="[^"]+"/g, ''),
      'a sealed record is answered as no child');
    assert.equal(tries(), before + 2, 'each try counts against the allowance and is told to the DPO');
    assert.equal(auditRows(area.db, { action: 'break_glass.empty' }).filter((e) => [`child:${MISSING}`, `child:${ben}`].includes(e.object)).length, 2);
    // The operator's list leaves a sealed child's openings out, so "nothing opened" is a row count (`safeguard stats`).
    assert.equal(rowCount(area.db, 'break_glass'), 0, 'nothing opened');
    // The record page itself still answers the same whether or not the child exists (issue 13).
    const out = await get('nia.health', `/children/${cara}`);
    const gone = await get('nia.health', `/children/${MISSING}`);
    assert.equal(out.status, 403);
    assert.equal(out.text.replaceAll(`/children/${cara}/`, '/children/ID/'), gone.text.replaceAll(`/children/${MISSING}/`, '/children/ID/'));
  });

  test('a police officer opens a record: one try, the reason asked for, and the record says until when', async () => {
    const tries = () => dpoNotices(area.db, { kind: 'break_glass', user: 'pat.police' }).length;
    const before = tries();
    const ask = await post('pat.police', `/children/${amira}/break-glass`, { step: 'start' });
    assert.equal(ask.status, 200, ask.text);
    assert.match(ask.text, /<textarea[^>]+name="reason"/);
    assert.equal(auditRows(area.db, { action: 'break_glass.start', child: amira }).length, 1);
    const open = await post('pat.police', `/children/${amira}/break-glass`, { reason: REASON });
    assert.equal(open.status, 303, open.text);
    assert.equal(open.headers.get('location'), `/children/${amira}`);
    assert.equal(tries(), before + 1, 'the opening used the try it started with');
    const notice = [dpoNotices(area.db, { user: 'pat.police' })[0]].map((n) => `${n.break_glass_id}|${n.detail}`)[0];
    const [glass] = breakGlassRows(area.db, { child: amira });
    const [glassId, expires] = [glass.id, glass.expires_at];
    assert.deepEqual([glass.username, glass.agency, glass.role, glass.reason], ['pat.police', 'police', 'police_officer', REASON]);
    assert.equal(notice, `${glassId}|opened until ${expires}`, "the DPO's notice is the opening's");
    const record = await get('pat.police', `/children/${amira}`);
    assert.equal(record.status, 200);
    const { date, time } = ukText(expires);
    assert.match(record.text, /class="govuk-notification-banner"/);
    assert.match(record.text, new RegExp(`You opened this record in an emergency\\. Your access ends at ${time} on ${date}\\.`));
    // The worker's own view of the record has no such banner.
    const own = await get('sam.worker', `/children/${amira}`);
    assert.equal(own.status, 200);
    assert.doesNotMatch(own.text, /You opened this record in an emergency/);
  });

  test('the allocated worker is told who opened the record, their agency and role, when and why', async () => {
    const r = await get('sam.worker', '/my-notices');
    assert.equal(r.status, 200, r.text);
    assert.match(r.text, /href="\/my-notices" aria-current="true">Notices</);
    const card = /<div class="govuk-summary-card" id="notice-\d+">([\s\S]*?)<\/dl>/.exec(r.text)?.[1];
    assert.ok(card, 'a notice');
    assert.match(card, /Emergency access<\/strong> Amira Khan/);
    assert.match(card, />pat\.police<br><span class="govuk-body-s">Police officer</);
    assert.match(card, /Agency<\/dt><dd class="govuk-summary-list__value">Police</);
    const at = [breakGlassRows(area.db, { child: amira })[0]].map((g) => [g.at, g.expires_at])[0];
    const when = ukText(at[0]);
    const until = ukText(at[1]);
    assert.match(card, new RegExp(`${when.date} at ${when.time}`));
    assert.match(card, new RegExp(`Access ends</dt><dd class="govuk-summary-list__value">${until.time} on ${until.date}`));
    assert.match(card, new RegExp(REASON));
    assert.equal(auditRows(area.db, { action: 'worker_notices.read' }).filter((e) => /^user:.*:sam\.worker$/i.test(e.actor)).length, 1);
    // Another worker is told nothing; people who are not workers have no such page.
    const other = await get('sol.other', '/my-notices');
    assert.equal(other.status, 200);
    assert.doesNotMatch(other.text, /Amira/);
    assert.equal((await get('pat.police', '/my-notices')).status, 403);
  });
});

describe('who has looked', () => {
  test('names the child, each person with their agency and role, and a basis for every look', async () => {
    assert.equal((await get('sam.worker', `/children/${amira}`)).status, 200);
    assert.equal((await get('nia.health', `/children/${amira}`)).status, 403);
    assert.equal((await get('dee.dpo', `/children/${amira}/viewers`)).status, 200);
    const r = await get('sam.worker', `/children/${amira}/viewers`);
    assert.equal(r.status, 200, r.text);
    assert.match(r.text, /<span class="govuk-caption-l">Amira Khan<\/span>/);
    assert.doesNotMatch(r.text, /Child reference/);
    const rows = tableRows(r.text, 'viewers-table');
    assert.ok(rows.length >= 6, `looks: ${JSON.stringify(rows)}`);
    for (const row of rows) assert.doesNotMatch(row[4], /Not recorded/, `every look has a basis: ${row.join(' | ')}`);
    const find = (who, what) => rows.find((x) => x[1].startsWith(who) && x[3].includes(what));
    assert.deepEqual(find('pat.police', 'Opened the record').slice(1, 3), ['pat.police Police officer', 'Police']);
    assert.match(find('pat.police', 'in an emergency')[4], /Emergency access \(break-glass\)/);
    assert.match(find('pat.police', 'Opened the record')[4], /^Emergency access \(break-glass\)$/);
    assert.deepEqual(find('dee.dpo', 'who has looked').slice(1), ['dee.dpo Data protection officer', "Children's social care",
      'Looked at who has looked at the record', 'Data protection officer']);
    assert.match(find('sam.worker', 'Opened the record')[4], /^Allocated worker$/);
    assert.match(find('nia.health', 'refused')?.[4] ?? '', /^Refused: no relationship with the child$/);
  });

  test('filters by agency, basis and dates, naming a wrong field; pages of 25', async () => {
    const police = tableRows((await get('sam.worker', `/children/${amira}/viewers?agency=police`)).text, 'viewers-table');
    assert.ok(police.length >= 2);
    assert.ok(police.every((x) => x[2] === 'Police'), JSON.stringify(police));
    const glass = tableRows((await get('sam.worker', `/children/${amira}/viewers?basis=break_glass`)).text, 'viewers-table');
    assert.ok(glass.length >= 2 && glass.every((x) => x[4].startsWith('Emergency access')), JSON.stringify(glass));
    const later = await get('sam.worker', `/children/${amira}/viewers?from-day=1&from-month=1&from-year=2099`);
    assert.equal(later.status, 200);
    assert.deepEqual(tableRows(later.text, 'viewers-table'), []);
    assert.match(later.text, /No looks match the filters\./);
    const bad = await get('sam.worker', `/children/${amira}/viewers?to-day=31&to-month=2&to-year=2026`);
    assert.equal(bad.status, 400);
    assert.match(bad.text, /govuk-error-summary/);
    assert.match(bad.text, /href="#to-day">The date to must be a real date/);
    assert.equal((await get('sam.worker', `/children/${amira}/viewers?basis=nonsense`)).status, 400);
    // 30 more looks: two pages, the second reached through the pagination's link.
    for (let i = 0; i < 30; i++) assert.equal((await get('sam.worker', `/children/${amira}`)).status, 200);
    const first = await get('sam.worker', `/children/${amira}/viewers?basis=allocated_worker`);
    assert.equal(tableRows(first.text, 'viewers-table').length, 25);
    const next = /<div class="govuk-pagination__next"><a class="govuk-link govuk-pagination__link" href="([^"]+)"/.exec(first.text)?.[1];
    assert.equal(next, `/children/${amira}/viewers?basis=allocated_worker&amp;page=2`);
    const second = await get('sam.worker', next.replaceAll('&amp;', '&'));
    const rows = tableRows(second.text, 'viewers-table');
    assert.ok(rows.length >= 6 && rows.length <= 25, `${rows.length}`);
    assert.ok(rows.every((x) => x[4] === 'Allocated worker'));
  });
});

describe("the data protection officer's home", () => {
  test('navigation, the notices and the area-wide emergency openings with filters, each to who has looked', async () => {
    const r = await get('dee.dpo', '/dpo');
    assert.equal(r.status, 200, r.text);
    assert.match(r.text, /href="\/dpo" aria-current="true">Data protection</);
    assert.ok(tableRows(r.text, 'dpo-notices').length >= 3);
    const openings = tableRows(r.text, 'openings-table');
    assert.equal(openings.length, 1);
    assert.deepEqual(openings[0].slice(1, 4), ['pat.police Police officer', 'Police', 'Amira Khan: who has looked, and the reason given']);
    const glassId = breakGlassRows(area.db, { child: amira })[0].id;
    assert.match(r.text, new RegExp(`href="/children/${amira}/viewers#break-glass-${glassId}"`));
    assert.equal(tableRows((await get('dee.dpo', '/dpo?person=pat')).text, 'openings-table').length, 1);
    assert.equal(tableRows((await get('dee.dpo', '/dpo?person=nobody')).text, 'openings-table').length, 0);
    assert.equal(tableRows((await get('dee.dpo', '/dpo?agency=health')).text, 'openings-table').length, 0);
    assert.equal(tableRows((await get('dee.dpo', '/dpo?agency=police')).text, 'openings-table').length, 1);
    assert.equal(tableRows((await get('dee.dpo', '/dpo?from-day=1&from-month=1&from-year=2099')).text, 'openings-table').length, 0);
    const bad = await get('dee.dpo', '/dpo?agency=martians');
    assert.equal(bad.status, 400);
    assert.match(bad.text, /href="#agency">Choose an agency from the list/);
    assert.equal(auditRows(area.db, { action: 'dpo.read' }).length, 7);
    for (const who of ['sam.worker', 'pat.police']) assert.equal((await get(who, '/dpo')).status, 403);
  });
});
