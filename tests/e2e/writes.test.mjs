// The authorisation matrix for writes (issue 14, item 3): every route that writes about one child, for each
// role and each relationship with the child (allocated worker, manager of the child's team, no relationship,
// break-glass, the MASH while it triages, own agency's records) and for agency systems, against a child they
// may write to, a sealed child and an id that holds no child.
//
// The write decision is one service function (service/access.h: access_write_checked, which also audits its refusal). This file asserts, over
// real HTTP, that
//   - each write is let through or refused as its rule says (the status, and the code or page);
//   - a refused write wrote nothing (checked through the API: who has looked, the chronology, the recordings
//     list, the alert; and in the database as well);
//   - the answer for a sealed child is the answer for an id that holds no child, byte for byte, and so is
//     the answer for a child the writer may not touch.
// The role gate before it (who may use a route at all) is authorisation.test.mjs's.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  auditRows,
  dbUrl,
  addPerson, count, event, freshArea, postEvent, removeDir, request, runCli, sql, startServer, totp, now,
  recordingRows, newAuthenticator, webSignIn as signInAs, sessionCsrf, homeRows, homePlacements, rowCount
} from './lib.mjs';

const PASSWORD = 'a long enough passphrase for the writes';
const MISSING = 99999999;

// username → [agency, role]
const PEOPLE = {
  'w.alloc': ['social_care', 'social_worker'], // allocated worker of A and S
  'w.manager': ['social_care', 'team_manager'], // manages A's and S's team
  'w.glass': ['social_care', 'social_worker'], // opens A with break-glass
  'w.other': ['social_care', 'social_worker'], // social care, no relationship (own agency's records only)
  'w.manager2': ['social_care', 'team_manager'], // manages another team
  'w.mash': ['social_care', 'mash_worker'], // A's referral awaits a decision: MASH triage
  'w.school': ['education', 'school_dsl'], // the school sent A's records: own agency's records
  'w.police': ['police', 'police_officer'], // the police sent nothing: no relationship
  'w.dpo': ['social_care', 'dpo'],
  'w.admin': ['social_care', 'admin'],
};
// What each sees of A (service/access.h): the whole record, or their own agency's records, or nothing.
const FULL_ON_A = ['w.alloc', 'w.manager', 'w.glass', 'w.mash'];
const AGENCY_ON_A = ['w.other', 'w.manager2', 'w.school'];
const WRITERS = ['w.alloc', 'w.manager', 'w.glass', 'w.other', 'w.manager2', 'w.mash', 'w.school', 'w.police'];

let area;
let server;
let url;
let home;
const api = {}; // username → API session token
const web = {}; // username → {cookie, csrf}
let A;
let S;
let alertA;
let alertS;

function cookieOf(res, name) {
  for (const c of res.headers.getSetCookie()) if (c.startsWith(`${name}=`)) return c.split(';')[0];
  return null;
}

async function apiSignIn(username) {
  const secret = newAuthenticator(area.db, username);
  const r = await request(`${url}/api/v1/sessions`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD, totp: totp(secret) }),
  });
  assert.equal(r.status, 201, r.text);
  return r.json.token;
}

async function webSignIn(username) {
  const cookie = await signInAs(url, area.db, username, { password: PASSWORD });
  return { cookie, csrf: await sessionCsrf(url, cookie) };
}

function ymd(d) {
  return d.toISOString().slice(0, 10);
}
const DAY = 86400000;
const tenDaysAgo = `${ymd(new Date(now() - 10 * DAY))}T10:00:00Z`;

// ---- the writes, each as one request ----

function placement(token, childId) {
  return request(`${url}/api/v1/homes/${home}/placements`, {
    method: 'POST', token, headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ child_id: childId, start: '2024-06-01', distance_km: 12.5, placing_authority: '383' }),
  });
}

function recording(token, childId) {
  return request(`${url}/api/v1/children/${childId}/recordings?filename=note.txt`, {
    method: 'POST', token, headers: { 'content-type': 'text/plain' }, body: 'What was said at the meeting.',
  });
}

function form(who, pathname, fields) {
  const c = web[who];
  return request(`${url}${pathname}`, {
    method: 'POST',
    headers: { cookie: c.cookie, 'content-type': 'application/x-www-form-urlencoded', origin: url },
    body: new URLSearchParams({ csrf_token: c.csrf, ...fields }).toString(),
  });
}

function today() {
  const [y, m, d] = ymd(new Date(now())).split('-');
  return { y, m: String(Number(m)), d: String(Number(d)) };
}

function visit(who, childId) {
  const t = today();
  return form(who, `/children/${childId}/visits`, {
    visit_type: 'statutory_lac', 'visit-day': t.d, 'visit-month': t.m, 'visit-year': t.y, time: '09:30', seen: 'yes', seen_alone: 'yes',
    childs_words: 'I like my room', views_method: 'Talked in the garden', summary: 'Statutory visit: well.',
  });
}

function concern(who, childId) {
  const t = today();
  return form(who, `/children/${childId}/concerns`, {
    'when-day': t.d, 'when-month': t.m, 'when-year': t.y, time: '08:45', category: 'neglect', child_seen: 'yes',
    summary: 'Arrived hungry again.', child_words: '', action: 'Gave breakfast; told the DSL.',
  });
}

/** A page's answer without what differs by request (its CSRF token, nonces, the id asked about). */
function pageText(r, id) {
  const main = /<main[^>]*>([\s\S]*?)<\/main>/.exec(r.text);
  const title = /<title>([^<]*)<\/title>/.exec(r.text);
  return `${r.status} ${title?.[1]} ${(main?.[1] ?? r.text).replace(/name="csrf_token" value="[^"]*"/g, '')
    .replace(new RegExp(`\\b${id}\\b`, 'g'), 'ID')}`;
}

/** An API answer as it reads (status and body). */
function apiText(r) {
  return `${r.status} ${r.text}`;
}

/** How a page answered: through (the write was made: a redirect), or which refusal. */
function pageOutcome(r) {
  if (r.status === 303) return 'written';
  if (r.status === 403 && /You cannot use this page/.test(r.text)) return 'role';
  if (r.status === 403 && /You cannot record this for this child/.test(r.text)) return 'refused';
  return `unexpected ${r.status}`;
}

function apiOutcome(r) {
  if (r.status === 201 || r.status === 200) return 'written';
  if (r.status === 403 && r.json?.error?.code === 'not_permitted') return 'role';
  if (r.status === 403 && r.json?.error?.code === 'forbidden') return 'refused';
  if (r.status === 404 && r.json?.error?.code === 'not_found') return 'refused';
  return `unexpected ${r.status} ${r.text}`;
}

/** Who has looked at a child, as the DPO reads it (the DPO sees sealed records): the entries of one action. */
async function looks(childId, action) {
  const r = await request(`${url}/api/v1/children/${childId}/viewers`, { token: api['w.dpo'] });
  assert.equal(r.status, 200, r.text);
  return r.json.viewers.filter((v) => v.action === action).length;
}

/** The child's events of one kind, as a reader who sees them all reads them. */
async function eventsOf(childId, kind, reader) {
  const r = await request(`${url}/api/v1/children/${childId}/chronology?limit=500`, { token: api[reader] });
  assert.equal(r.status, 200, r.text);
  return r.json.events.filter((e) => e.kind === kind).length;
}

before(async () => {
  area = freshArea('writes');
  const gen = path.join(area.dir, 'homes');
  runCli(['gen', 'homes', '--out', gen, '--homes', '3', '--months', '6', '--seed', '5']);
  runCli(['homes', 'import', '--db', dbUrl(area.db), '--dir', gen]);
  home = Math.min(...homeRows(area.db).map((h) => h.id));
  const secrets = {};
  for (const [u, [agency, role]] of Object.entries(PEOPLE)) secrets[u] = addPerson(area.db, u, agency, role, PASSWORD);
  const db = dbUrl(area.db);
  runCli(['team', 'add', '--db', db, '--code', 'wteam', '--name', 'Team W', '--manager', 'w.manager']);
  runCli(['team', 'add', '--db', db, '--code', 'oteam', '--name', 'Team O', '--manager', 'w.manager2']);
  server = await startServer(area.db);
  url = server.url;

  // A and S: the school's records, social care's, allocated to w.alloc in team W; a referral ten days ago with
  // no decision raises an alert that is w.alloc's. Then S is sealed.
  const child = async (tag, nhs) => {
    const subject = { given_name: `Wren${tag}`, family_name: 'Harlow', dob: '2015-04-0' + (tag === 'A' ? 1 : 2), nhs_number: nhs };
    const first = await postEvent(url, area.tokens.education, event({ source_ref: `W-${tag}-1`, occurred_at: tenDaysAgo }, subject));
    assert.equal(first.status, 201, first.text);
    const id = first.json.child_id;
    const sc = await postEvent(url, area.tokens.social_care, event({ source_ref: `W-${tag}-2`, occurred_at: tenDaysAgo }, subject));
    assert.equal(sc.json.child_id, id);
    runCli(['allocate', '--db', db, '--child', String(id), '--team', 'wteam', '--user', 'w.alloc']);
    const ref = await postEvent(url, area.tokens.education, event({ source_ref: `W-${tag}-3`, kind: 'referral', occurred_at: tenDaysAgo }, subject));
    assert.equal(ref.json.child_id, id);
    return id;
  };
  A = await child('A', '9434765919');
  S = await child('S', '9434765870');
  for (const u of Object.keys(PEOPLE)) {
    api[u] = await apiSignIn(u);
    web[u] = await webSignIn(u);
  }
  const mine = await request(`${url}/api/v1/alerts?state=all&limit=500`, { token: api['w.alloc'] });
  assert.equal(mine.status, 200, mine.text);
  const overdue = (id) => mine.json.alerts.find((a) => a.child_id === id && a.code === 'REFERRAL_DECISION_OVERDUE');
  alertA = overdue(A)?.id;
  alertS = overdue(S)?.id;
  assert.ok(alertA && alertS, `the referrals raised alerts for w.alloc: ${mine.text}`);
  runCli(['seal', '--db', db, '--child', String(S), '--basis', 'protection']);
  const glass = await request(`${url}/api/v1/children/${A}/break-glass`, {
    method: 'POST', token: api['w.glass'], headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ reason: 'Child at A&E with injuries, out of hours' }),
  });
  assert.equal(glass.status, 201, glass.text);
});

after(async () => {
  try {
    if (server) await server.stop();
  } finally {
    removeDir(area?.dir);
  }
});

// ---- the matrix ----

// Each route: who may use it at all (the role gate), what relationship with the child it needs of a person
// (FULL: the whole record; AGENCY: own agency's records and up), and how to send it.
const ROUTES = {
  'api POST /api/v1/homes/{id}/placements': { roles: ['social_worker', 'team_manager'], need: 'FULL', send: (who, id) => placement(api[who], id), api: true },
  'api POST /api/v1/children/{id}/recordings': { roles: ['social_worker', 'team_manager', 'mash_worker', 'school_dsl', 'police_officer'], need: 'FULL', send: (who, id) => recording(api[who], id), api: true },
  'web POST /children/{id}/visits': { roles: ['social_worker', 'team_manager'], need: 'FULL', send: visit, api: false },
  'web POST /children/{id}/concerns': { roles: ['social_worker', 'team_manager', 'mash_worker', 'school_dsl', 'police_officer'], need: 'AGENCY', send: concern, api: false },
};

function expected(route, who, target) {
  const { roles, need } = ROUTES[route];
  if (!roles.includes(PEOPLE[who][1])) return 'role';
  if (target !== A) return 'refused';
  if (FULL_ON_A.includes(who)) return 'written';
  if (need === 'AGENCY' && AGENCY_ON_A.includes(who)) return 'written';
  return 'refused';
}

describe('the write matrix', () => {
  const written = {}; // route → how many were let through on A

  test('every write route × every writer × A, the sealed S and a missing id: through or refused as its rule says', async () => {
    const wrong = [];
    let checked = 0;
    for (const [route, r] of Object.entries(ROUTES)) {
      written[route] = 0;
      for (const who of WRITERS) {
        const answers = {};
        for (const target of [A, S, MISSING]) {
          const res = await r.send(who, target);
          const got = r.api ? apiOutcome(res) : pageOutcome(res);
          const want = expected(route, who, target);
          checked++;
          if (got !== want) wrong.push(`${route} by ${who} on ${target === A ? 'A' : target === S ? 'sealed S' : 'missing'}: ${got}, expected ${want}`);
          if (got === 'written' && target === A) written[route]++;
          answers[target] = r.api ? apiText(res) : pageText(res, target);
        }
        // Sealed and missing: one answer. And a child one may not touch is refused as no child is.
        if (answers[S] !== answers[MISSING]) wrong.push(`${route} by ${who}: sealed and missing differ:\n  ${answers[S]}\n  ${answers[MISSING]}`);
        if (expected(route, who, A) === 'refused' && answers[A] !== answers[MISSING]) {
          wrong.push(`${route} by ${who}: A (not theirs) and missing differ:\n  ${answers[A]}\n  ${answers[MISSING]}`);
        }
      }
    }
    assert.deepEqual(wrong, []);
    assert.ok(checked >= 90, `${checked} checks`);
  });

  test('agency systems: social care places a child its agency sent records about; sealed and missing alike', async () => {
    const sc = area.tokens.social_care;
    const onA = await placement(sc, A);
    assert.equal(onA.status, 201, onA.text);
    const onS = await placement(sc, S);
    const none = await placement(sc, MISSING);
    assert.equal(onS.status, 403);
    assert.equal(apiText(onS), apiText(none));
    // A child social care has sent nothing about: the same answer.
    const other = await postEvent(url, area.tokens.police, event({ source_ref: 'W-P-1' }, { given_name: 'Pell', family_name: 'Stone', nhs_number: '', dob: '2012-02-02' }));
    assert.equal(apiText(await placement(sc, other.json.child_id)), apiText(none));
    // A token without placements:write may not place at all.
    assert.equal((await placement(area.tokens.police, A)).json.error.code, 'not_permitted');
    written['api POST /api/v1/homes/{id}/placements']++;
  });

  test('nothing was written when refused: seen through the API, and in the database', async () => {
    const P = 'api POST /api/v1/homes/{id}/placements';
    // Placements show in who has looked (issue 14): one entry for each placement made, none for a refusal.
    assert.equal(await looks(A, 'placement.record'), written[P]);
    assert.equal(await looks(S, 'placement.record'), 0);
    assert.equal(homePlacements(area.db, { child: A }).length, written[P]);
    // None for S nor for the missing id: every placement stored (`safeguard stats`) is one the operator's list shows,
    // and the list leaves out only a sealed child's (S is the only sealed child here; a missing id holds no child).
    assert.equal(rowCount(area.db, 'home_placement'), homePlacements(area.db).length, 'no placement the list leaves out');
    // Visits and concerns are events of the chronology: the allocated worker reads A's, the DPO S's.
    const V = 'web POST /children/{id}/visits';
    const C = 'web POST /children/{id}/concerns';
    assert.equal(await eventsOf(A, 'visit', 'w.alloc'), written[V]);
    assert.equal(await eventsOf(S, 'visit', 'w.dpo'), 0);
    assert.equal(await eventsOf(A, 'concern', 'w.alloc'), 2 + written[C], 'the two sent by the systems, and those let through');
    assert.equal(await eventsOf(S, 'concern', 'w.dpo'), 2);
    assert.equal(count(area.db, 'event', `person_id = ${MISSING}`), 0); // SQL on purpose: no child, no read
    // Recordings: the allocated worker's list of A's; none on S.
    const R = 'api POST /api/v1/children/{id}/recordings';
    const list = await request(`${url}/api/v1/children/${A}/recordings`, { token: api['w.alloc'] });
    assert.equal(list.status, 200, list.text);
    assert.equal(list.json.recordings.length, written[R]);
    assert.equal(recordingRows(area.db, { child: A }).length, written[R]);
    // None on S nor on the missing id: every recording stored (`safeguard stats`) is one the operator's list shows,
    // and the list leaves out only a sealed child's (S is the only one here).
    assert.equal(rowCount(area.db, 'recording'), recordingRows(area.db).length, 'no recording the list leaves out');
    assert.ok(written[P] === 4 && written[R] === 4 && written[V] === 3 && written[C] === 7, JSON.stringify(written));
  });

  test('a placement is in who has looked, with who placed the child', async () => {
    const r = await request(`${url}/api/v1/children/${A}/viewers`, { token: api['w.alloc'] });
    assert.equal(r.status, 200, r.text);
    const placed = r.json.viewers.filter((v) => v.action === 'placement.record').map((v) => v.who);
    assert.ok(placed.some((w) => /^user:\d+:w\.alloc$/.test(w)), placed.join());
    assert.ok(placed.some((w) => /^client:\d+:social_care$/.test(w)), placed.join());
  });
});

describe('acting on an alert: the writer must own it, and the child must be there', () => {
  const ack = (token, id, body) => request(`${url}/api/v1/alerts/${id}/acknowledge`, {
    method: 'POST', token, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}),
  });
  const resolve = (token, id, body) => request(`${url}/api/v1/alerts/${id}/resolve`, {
    method: 'POST', token, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  // SQL on purpose: the sealed child's alert, which the operator's alert list leaves out.
  const state = (id) => sql(area.db, `select state from alert where id = ${id}`);

  test('a sealed child\'s alert is refused as no alert is: to its owner, to others, to systems', async () => {
    for (const who of ['w.alloc', 'w.other', 'w.mash']) {
      const s = await ack(api[who], alertS);
      const m = await ack(api[who], MISSING);
      assert.equal(s.status, 403, `${who}: ${s.text}`);
      assert.equal(apiText(s), apiText(m), who);
      const rs = await resolve(api[who], alertS, { outcome: 'Closed' });
      assert.equal(apiText(rs), apiText(await resolve(api[who], MISSING, { outcome: 'Closed' })), who);
    }
    const sys = await ack(area.tokens.social_care, alertS);
    assert.equal(sys.status, 404, sys.text);
    assert.equal(apiText(sys), apiText(await ack(area.tokens.social_care, MISSING)));
    const page = await form('w.alloc', `/alerts/${alertS}/acknowledge`, {});
    const none = await form('w.alloc', `/alerts/${MISSING}/acknowledge`, {});
    assert.equal(page.status, 403);
    assert.equal(pageText(page, alertS), pageText(none, MISSING));
    assert.equal(state(alertS), 'open', 'nothing was written');
    assert.equal(auditRows(area.db, { object: `alert:${alertS}` }).filter((e) => e.action.startsWith('alert.') && e.action !== 'alert.raise').length, 0);
  });

  test('someone else\'s alert is refused as no alert is; nothing is written', async () => {
    const other = await ack(api['w.other'], alertA);
    assert.equal(apiText(other), apiText(await ack(api['w.other'], MISSING)));
    const page = await form('w.manager2', `/alerts/${alertA}/acknowledge`, {});
    assert.equal(pageText(page, alertA), pageText(await form('w.manager2', `/alerts/${MISSING}/acknowledge`, {}), MISSING));
    const seen = await request(`${url}/api/v1/alerts/${alertA}`, { token: api['w.alloc'] });
    assert.equal(seen.json.state, 'open', 'nothing was written');
  });

  test('"by" is the person signed in: a person naming someone else is refused, nothing written', async () => {
    const r = await resolve(api['w.alloc'], alertA, { outcome: 'Visited; all well', by: 'w.manager' });
    assert.equal(r.status, 400, r.text);
    assert.equal(r.json.error.field, 'by');
    assert.equal((await request(`${url}/api/v1/alerts/${alertA}`, { token: api['w.alloc'] })).json.state, 'open');
    const ok = await ack(api['w.alloc'], alertA, { by: 'w.alloc' });
    assert.equal(ok.status, 200, ok.text);
    const done = await resolve(api['w.alloc'], alertA, { outcome: 'Visited; all well' });
    assert.equal(done.status, 200, done.text);
    const after = (await request(`${url}/api/v1/alerts/${alertA}`, { token: api['w.alloc'] })).json;
    assert.deepEqual([after.state, after.acknowledged_by, after.resolved_by], ['resolved', 'w.alloc', 'w.alloc']);
  });

  test('an agency system\'s "by" is shown as its practitioner, never as a person who signs in here', async () => {
    const r = await postEvent(url, area.tokens.education, event({ source_ref: 'W-B-1', kind: 'referral', occurred_at: tenDaysAgo },
      { given_name: 'Bryn', family_name: 'Kell', nhs_number: '', dob: '2013-03-03' }));
    const list = await request(`${url}/api/v1/alerts?owner=mash&child=${r.json.child_id}`, { token: area.tokens.social_care });
    const id = list.json.alerts.find((a) => a.code === 'REFERRAL_DECISION_OVERDUE').id;
    const res = await resolve(area.tokens.social_care, id, { outcome: 'Closed by the case system', by: 'w.alloc' });
    assert.equal(res.status, 200, res.text);
    const one = await request(`${url}/api/v1/alerts/${id}`, { token: area.tokens.social_care });
    assert.equal(one.json.resolved_by, 'w.alloc via social_care system');
  });
});

describe('allocating: a sealed child is no child', () => {
  test('the administrator\'s page and the command line answer a sealed child as an id that holds no child', async () => {
    const s = await form('w.admin', '/admin/allocations', { child: String(S), team: 'oteam', user: '', confirm: 'yes' });
    const m = await form('w.admin', '/admin/allocations', { child: String(MISSING), team: 'oteam', user: '', confirm: 'yes' });
    assert.equal(s.status, 400, s.text.slice(0, 200));
    // Issue 15: the allocation page no longer echoes the child's number, so the two pages are the same as they
    // are (replacing a short id would also rewrite GOV.UK classes such as govuk-input--width-2).
    assert.equal(pageText(s, 'no-such-id'), pageText(m, 'no-such-id'));
    const cs = runCli(['allocate', '--db', dbUrl(area.db), '--child', String(S), '--team', 'oteam'], { check: false });
    const cm = runCli(['allocate', '--db', dbUrl(area.db), '--child', String(MISSING), '--team', 'oteam'], { check: false });
    assert.equal(cs.status, 1);
    assert.equal(cs.stderr.replace(String(S), 'ID'), cm.stderr.replace(String(MISSING), 'ID'));
    // SQL on purpose: the sealed child's allocation, which the operator's list leaves out.
    assert.equal(sql(area.db, `select team from allocation where person_id = ${S}`), 'wteam', 'nothing was written');
  });
});
