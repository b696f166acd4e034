// Need-to-know, looked for everywhere rather than where a leak is expected (issue 14). A demonstration area is
// generated, three children are sealed (one with an unsealed sibling, one placed in a children's home where a
// missing episode was recorded, one awaiting a decision in the MASH queue), and a child placed in a home gets
// events from every agency carrying marker strings, one of them a health-only note. Then every role signs in
// and follows every link it can reach from its start pages (bounded: a visited set and a page budget), and
// every person's API session and every agency's token calls every GET route of the API (`safeguard routes`),
// following the children the answers name. Asserted over every answer:
//   - no sealed child's name, date of birth, NHS number, UPN or id (as a link or a child_id) appears, to
//     anyone but the data protection officer (the one role named for sealed records);
//   - a health-only note never reaches a reader outside health;
//   - a person who reads the marked child as their own agency's reader ("access": "own_agency") sees none of
//     another agency's events: not its summary, not its kind among the filters, not the open episode or flag
//     it starts, not an alert resting on it, not the placement (social care's record).
//   - a decision on a contact (its outcome, who, why) only where the reader may see the decision event: a MASH
//     decision health's system sent under a health-only category carries the health-only note;
//   - the summary card's "missing now" is not derived from a health-only missing episode (r-ntk21).
// Positive controls show that each check can see what it looks for (the DPO sees the sealed child's name, the
// allocated worker the siblings' households, each agency its own markers).
//
// The area is generated at a fixed instant (SAFEGUARD_NOW, shifted for every process the test starts), so
// which children are chosen does not depend on the day the test runs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  AGENCIES, AGENCY_SCOPES, BIN, assertNoSanitizerReport, clockOffsetSeconds, createToken, event, postEvent, removeDir, request, runCli, speakupReports, sql,
  startServer, tempDir, totp, newAuthenticator, dbUrl, addPerson, onPostgres, alertRows,
} from './lib.mjs';

const FIXED_NOW = '2026-06-10T10:00:00Z';
// The server's clock pinned to FIXED_NOW (lib.mjs's parser, as the binary reads it); the test's TOTP codes are
// made on that clock, from the system clock this file is allowed to read (clock.test.mjs lists it).
const OFFSET = clockOffsetSeconds(FIXED_NOW);
process.env.SAFEGUARD_NOW = `${OFFSET >= 0 ? '+' : ''}${OFFSET}`;
const code = (secret) => totp(secret, Date.now() + OFFSET * 1000);

const PASSWORD = 'look everywhere, not where we expect the leak';
const MAX_PAGES = 400; // per person: the crawl's bound
const MAX_API = 400; // per caller
// One person for every role (the demo area's names: its teams name north.manager and mash.manager).
const PEOPLE = [
  ['demo.worker', 'social_care', 'social_worker'], ['north.manager', 'social_care', 'team_manager'],
  ['mash.worker', 'social_care', 'mash_worker'], ['mash.manager', 'social_care', 'team_manager'],
  ['demo.police', 'police', 'police_officer'], ['demo.health', 'health', 'health_practitioner'],
  ['demo.school', 'education', 'school_dsl'], ['demo.chair', 'social_care', 'conference_chair'],
  ['demo.analyst', 'social_care', 'oversight_analyst'], ['demo.dpo', 'social_care', 'dpo'],
  ['demo.admin', 'social_care', 'admin'], ['demo.lado', 'social_care', 'lado'],
];
const AGENCY_OF = Object.fromEntries(PEOPLE.map(([u, a]) => [u, a]));
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October',
  'November', 'December'];
const RUN = Math.random().toString(36).slice(2, 8);
const MARK = {
  police: `POLICE-MARK-${RUN}`, education: `EDU-MARK-${RUN}`, health: `HEALTH-MARK-${RUN}`,
  healthOnly: `HEALTH-ONLY-MARK-${RUN}`, housing: `HOUSING-MARK-${RUN}`,
};
// Kinds and episodes whose labels say what another agency recorded (core/event.c), HTML-escaped as pages show them.
// Two missing episodes reported just before FIXED_NOW, and how the summary card words each (UK time, BST).
const MISSING = {
  hiddenAt: '2026-06-10T09:17:00Z', hidden: 'Missing since 10 June 2026 at 10:17',
  shownAt: '2026-06-10T09:19:00Z', shown: 'Missing since 10 June 2026 at 10:19',
};
const DISTINCT_LABELS = {
  missing_start: ['Missing episode', 'Missing from home or care'], police_callout: ['Police call-out'],
  domestic_abuse_incident: ['Domestic abuse incident'], unscheduled_care: ['A&amp;E or unscheduled care attendance',
    'A&E or unscheduled care attendance'], housing_notice: ['Housing notice or eviction'],
};

let area;
let server;
const secrets = {};
const tokens = {};
let sealed = []; // {id, given, family, dob, nhs, upn, why}
let siblings = [];
let marked; // the child with every agency's markers
// A child known only from health-only records (r-ntk24, r-ntk25): her names reach no one outside health.
const HIDDEN = { given: 'Quillonia', family: 'Unseenworth' };
let hiddenId;
let markedHome; // where marked is placed: its name
let homeOfS2;
let speakupReport; // a speak-up report (issue 18): the queue's pages are crawled
let webPatterns;
let apiGets;
const crawled = {}; // reader → [{url, status, text, json}]

function q(query) {
  return sql(area.db, query);
}
function rows(query) {
  const out = q(query);
  return out ? out.split('\n').map((l) => l.split('|')) : [];
}

/**
 * A speak-up report (issue 18) through the public form's four steps, as a reporter's browser sends them (each step's
 * answers carried by the next page's hidden fields); its reference.
 */
async function speakUp(answers) {
  const first = await fetch(`${server.url}/speak-up`);
  assert.equal(first.status, 200);
  const cookie = cookieOf(first, 'sg_form');
  let token = /name="csrf_token" value="([^"]+)"/.exec(await first.text())?.[1];
  assert.ok(cookie && token, 'the form sets its cookie and token');
  const byStep = [['who'], ['home', 'person_name', 'person_role'], ['what', 'child_name', 'dob_day', 'dob_month', 'dob_year'],
    ['about', 'first_name', 'contact']];
  let carried = {};
  let text = '';
  for (let step = 1; step <= 4; step++) {
    const form = { csrf_token: token, step: String(step), ...carried };
    for (const k of byStep[step - 1]) form[k] = answers[k] ?? '';
    const r = await fetch(`${server.url}/speak-up`, {
      method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(), redirect: 'manual',
    });
    text = await r.text();
    assert.equal(r.status, 200, `speak-up step ${step}`);
    carried = {};
    for (const m of text.matchAll(/<input type="hidden" name="([a-z_]+)" value="([^"]*)">/g)) {
      if (m[1] !== 'csrf_token' && m[1] !== 'step') carried[m[1]] = m[2].replace(/&amp;/g, '&').replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'");
    }
    token = /name="csrf_token" value="([^"]+)"/.exec(text)?.[1] ?? token;
  }
  const ref = /<strong id="ref">([^<]+)<\/strong>/.exec(text)?.[1];
  assert.ok(ref, 'the last step gives the reference');
  return ref;
}

function cookieOf(res, name) {
  for (const c of res.headers.getSetCookie()) if (c.startsWith(`${name}=`)) return c.split(';')[0];
  return null;
}

async function webSignIn(username) {
  secrets[username] = newAuthenticator(area.db, username);
  const form = await fetch(`${server.url}/sign-in`);
  const pre = cookieOf(form, 'sg_presession');
  const csrf = /name="csrf_token" value="([^"]+)"/.exec(await form.text())[1];
  const res = await fetch(`${server.url}/sign-in`, {
    method: 'POST', redirect: 'manual',
    headers: { cookie: pre, 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
    body: new URLSearchParams({ username, password: PASSWORD, totp: code(secrets[username]), csrf_token: csrf }),
  });
  await res.text();
  assert.equal(res.status, 303, `web sign-in of ${username}`);
  const cookie = cookieOf(res, 'sg_session');
  assert.ok(cookie, `a session cookie for ${username}`);
  return cookie;
}

async function apiSignIn(username) {
  secrets[username] = newAuthenticator(area.db, username);
  const s = await request(`${server.url}/api/v1/sessions`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD, totp: code(secrets[username]) }),
  });
  assert.equal(s.status, 201, `API sign-in of ${username}: ${s.text}`);
  return s.json.token;
}

function longDate(iso) {
  const [y, m, d] = iso.split('-').map(Number);
  return `${d} ${MONTHS[m - 1]} ${y}`;
}

function person(id, why) {
  const [given, middle, family, dob] = rows(`select given_name, middle_names, family_name, dob from person
    where id = ${id}`)[0];
  const nhs = q(`select value from identifier where person_id = ${id} and kind = 'nhs'`);
  const upn = q(`select value from identifier where person_id = ${id} and kind = 'upn'`);
  return { id: Number(id), given, middle, family, dob, nhs, upn, why };
}

/** Every value under key in a JSON document. */
function valuesOf(doc, keys, out = []) {
  if (Array.isArray(doc)) for (const v of doc) valuesOf(v, keys, out);
  else if (doc && typeof doc === 'object') {
    for (const [k, v] of Object.entries(doc)) {
      if (keys.includes(k)) out.push(v);
      valuesOf(v, keys, out);
    }
  }
  return out;
}
function objectsOf(doc, out = []) {
  if (Array.isArray(doc)) for (const v of doc) objectsOf(v, out);
  else if (doc && typeof doc === 'object') {
    out.push(doc);
    for (const v of Object.values(doc)) objectsOf(v, out);
  }
  return out;
}

/** What a sealed child would be known by in an answer; [] when none of it is there. */
function sealedLeaks(s, url, page, json) {
  const found = [];
  const text = page.replace(/<input [^>]*>/g, ''); // what the reader typed into a search box is theirs
  // Lists give "Given Family", the record "Given Middle Family".
  if (text.includes(`${s.given} ${s.family}`) || (s.middle && text.includes(`${s.given} ${s.middle} ${s.family}`))) {
    found.push('name');
  }
  if (json && objectsOf(json).some((o) => o.given_name === s.given && o.family_name === s.family)) found.push('name (JSON)');
  if (text.includes(s.dob) || text.includes(longDate(s.dob))) found.push('date of birth');
  // An identifier the caller sent (a look-up, a search) may come back to them: it says nothing they did not know.
  if (s.nhs && !url.includes(s.nhs)
    && (text.includes(s.nhs) || text.includes(`${s.nhs.slice(0, 3)} ${s.nhs.slice(3, 6)} ${s.nhs.slice(6)}`))) {
    found.push('NHS number');
  }
  if (s.upn && !url.includes(s.upn) && text.includes(s.upn)) found.push('UPN');
  // Its id, as a link or as the child an answer is about, where the request did not name it.
  if (!new RegExp(`/${s.id}(?![0-9])`).test(url)) {
    if (new RegExp(`/children/${s.id}(?![0-9])`).test(text)) found.push('link to the record');
    if (json && valuesOf(json, ['child_id', 'person_id']).includes(s.id)) found.push('child id');
  }
  return found;
}

/** The marked child's facts, from the database: its events by agency, its alerts' evidence. */
function markedFacts() {
  const events = rows(`select id, agency, kind, coalesce(json_extract(details, '$.category'), '') from event
    where person_id = ${marked.id}`).map(([id, agency, kind, category]) => ({ id: Number(id), agency, kind, category }));
  const alerts = rows(`select id, evidence from alert where person_id = ${marked.id}`)
    .map(([id, evidence]) => ({ id: Number(id), evidence: JSON.parse(evidence) }));
  return { events, alerts };
}

/** What an own-agency reader of the marked child was shown that is another agency's; [] when nothing. */
function ownAgencyLeaks(agency, url, text, json, facts) {
  const found = [];
  for (const [who, mark] of Object.entries(MARK)) {
    if (who === 'healthOnly') continue; // checked for every reader
    if (who !== agency && text.includes(mark)) found.push(`${who}'s event (${mark})`);
  }
  if (!new RegExp(`/children/${marked.id}(?![0-9])`).test(url)) return found;
  const own = new Set(facts.events.filter((e) => e.agency === agency).map((e) => e.kind));
  const visible = new Set(facts.events.filter((e) => e.agency === agency).map((e) => e.id));
  for (const e of facts.events) {
    if (e.agency === agency || own.has(e.kind)) continue;
    if (new RegExp(`<option value="${e.kind}"`).test(text)) found.push(`the filter for ${e.agency}'s ${e.kind}`);
    for (const label of DISTINCT_LABELS[e.kind] ?? []) if (text.includes(label)) found.push(`"${label}" (${e.agency})`);
  }
  for (const a of facts.alerts) {
    if (a.evidence.length > 0 && a.evidence.every((id) => visible.has(id))) continue;
    if (text.includes(`href="/alerts/${a.id}"`)) found.push(`alert ${a.id} resting on another agency's events`);
  }
  if (agency !== 'social_care' && (text.includes('id="placement"') || text.includes(markedHome))) {
    found.push('the placement (social care\'s record)');
  }
  if (json) {
    for (const a of valuesOf(json, ['agency'])) if (typeof a === 'string' && a !== agency) found.push(`a ${a} event in JSON`);
  }
  return found;
}

async function crawlWeb(username) {
  const cookie = await webSignIn(username);
  const seeds = ['/', '/sign-in', '/caseload', '/caseload?worker=demo.worker', '/mash', '/alerts', '/alerts?owner=mash', '/team',
    '/police/homes', `/police/homes/${homeOfS2}`, '/homes', `/homes/${homeOfS2}`, '/homes/funnel', '/link-reviews',
    '/admin', '/admin/users', '/admin/allocations', '/admin/tokens', '/admin/teams', '/dpo', '/my-notices', '/notices',
    '/lado', '/lado/new',
    '/speak-up', '/speak-up/easy', '/speak-up/return', '/speak-up/reports', `/speak-up/reports/${speakupReport}`];
  // Issue 18: the demo's people who work with children, by number, for every role (the LADO reaches them by links).
  for (const [p] of rows('select id from lado_person')) seeds.push(`/lado/people/${p}`);
  for (const [a] of rows('select id from lado_allegation')) seeds.push(`/lado/allegations/${a}`);
  for (const c of [...sealed, ...siblings, marked]) {
    seeds.push(`/children/${c.id}`, `/children/${c.id}/viewers`, `/children/${c.id}/break-glass`,
      `/children/${c.id}/concerns/new`, `/children/${c.id}/visits/new`, `/children/${c.id}/recordings`);
    const ev = q(`select min(id) from event where person_id = ${c.id}`);
    if (ev) seeds.push(`/children/${c.id}/events/${ev}`);
  }
  // The marked child's police contact in the MASH (the last police contact sent: the area's came first).
  const contact = q(`select max(id) from event where person_id = ${marked.id} and kind = 'contact' and agency = 'police'`);
  seeds.push(`/mash/${contact}`, `/mash?name=${encodeURIComponent(marked.family)}`);
  for (const s of sealed) {
    const [y, m, d] = s.dob.split('-').map(Number);
    seeds.push(`/?q=${encodeURIComponent(s.family)}`, `/?q=${encodeURIComponent(`${s.given} ${s.family}`)}`,
      `/?q=${encodeURIComponent(s.given)}`, `/?dob-day=${d}&dob-month=${m}&dob-year=${y}`);
    // Issue 15: the administrator's allocation search and its confirmation page never show a sealed child.
    seeds.push(`/admin/allocations?child_q=${encodeURIComponent(s.family)}&worker_q=demo`,
      `/admin/allocations?child_q=${s.id}&worker_q=demo`, `/admin/allocations/confirm?child=${s.id}&user=demo.worker&team=north`);
    if (s.nhs) seeds.push(`/?q=${s.nhs}`);
    if (s.upn) seeds.push(`/?q=${s.upn}`);
    for (const [a] of rows(`select id from alert where person_id = ${s.id}`)) seeds.push(`/alerts/${a}`);
  }
  for (const [r] of rows('select id from link_review')) seeds.push(`/link-reviews/${r}`);
  const queue = [...seeds];
  const seen = new Set();
  const out = [];
  while (queue.length > 0 && out.length < MAX_PAGES) {
    const url = queue.shift();
    if (seen.has(url)) continue;
    seen.add(url);
    const res = await fetch(`${server.url}${url}`, { headers: { cookie }, redirect: 'manual' });
    const text = await res.text();
    out.push({ url, status: res.status, text });
    const next = [];
    if (res.status >= 300 && res.status < 400 && res.headers.get('location')) next.push(res.headers.get('location'));
    for (const m of text.matchAll(/href="([^"]*)"/g)) next.push(m[1].replaceAll('&amp;', '&'));
    // A player's source is a GET as much as a link is (issue 18: /recordings/{id}/play).
    for (const m of text.matchAll(/<(?:audio|video)\b[^>]*\ssrc="([^"]*)"/g)) next.push(m[1].replaceAll('&amp;', '&'));
    for (const n of next) {
      const u = n.split('#')[0];
      if (u.startsWith('/') && !u.startsWith('//') && !u.startsWith('/static/') && !u.startsWith('/assets/')
        && !u.startsWith('/sign-in') && !seen.has(u)) queue.push(u);
    }
  }
  return out;
}

async function crawlApi(token) {
  const childIds = [...sealed, ...siblings, marked].map((c) => c.id);
  const alertIds = rows('select id from alert').map(([id]) => Number(id));
  const ids = {
    '/api/v1/alerts/{id}': alertIds,
    '/api/v1/recordings/{id}/content': [1],
    '/api/v1/oversight/runs/{id}': rows('select id from oversight_run').map(([id]) => Number(id)),
    '/api/v1/link-reviews/{id}': rows('select id from link_review').map(([id]) => Number(id)),
  };
  const queue = [];
  for (const path of apiGets) {
    if (!path.includes('{id}')) queue.push(path);
    else for (const id of ids[path] ?? childIds) queue.push(path.replace('{id}', String(id)));
  }
  queue.push('/api/v1/alerts?owner=mash', '/api/v1/alerts?owner=demo.worker', '/api/v1/alerts?state=open');
  for (const c of [...sealed, marked]) if (c.nhs) queue.push(`/api/v1/flags?nhs_number=${c.nhs}`);
  for (const id of childIds) queue.push(`/api/v1/children/${id}/chronology?limit=500`);
  const seen = new Set();
  const out = [];
  while (queue.length > 0 && out.length < MAX_API) {
    const url = queue.shift();
    if (seen.has(url)) continue;
    seen.add(url);
    const r = await request(`${server.url}${url}`, { token });
    out.push({ url, status: r.status, text: r.text, json: r.json });
    // The children an answer names are links to follow.
    for (const v of valuesOf(r.json, ['child_id', 'person_id'])) {
      if (Number.isInteger(v) && v > 0) queue.push(`/api/v1/children/${v}`, `/api/v1/children/${v}/chronology`);
    }
  }
  return out;
}

before(async () => {
  const dir = tempDir('crawl');
  area = { dir, db: path.join(dir, 'safeguard.db') };
  runCli(['demo', '--db', dbUrl(area.db), '--no-serve', '--families', '40']);
  for (const [username, agency, role] of PEOPLE) {
    secrets[username] = addPerson(area.db, username, agency, role, PASSWORD);
  }
  for (const a of AGENCIES) tokens[a] = createToken(area.db, a, `crawl ${a}`, AGENCY_SCOPES[a]); // each reads (issue 14)
  const routes = JSON.parse(runCli(['routes']).stdout);
  webPatterns = routes.filter((r) => r.surface === 'web' && r.method === 'GET').map((r) => r.path);
  apiGets = routes.filter((r) => r.surface === 'api' && r.method === 'GET').map((r) => r.path);

  // Children whose every identifying string is theirs alone in the area (a unique name and date of birth, a
  // date no event, incident or inspection falls on), so that finding it in an answer means finding them.
  // A column holding only characters of a class (SQLite's glob, PostgreSQL's regular expression).
  const onlyOf = (col, cls) => (onPostgres() ? `${col} !~ '[^${cls}]'` : `${col} not glob '*[^${cls}]*'`);
  const telling = `from person p where (select count(*) from person x where x.given_name = p.given_name
      and x.family_name = p.family_name) = 1 and (select count(*) from person x where x.dob = p.dob) = 1
    and p.dob < (select min(substr(occurred_at, 1, 10)) from event)
    and p.dob < (select min(substr(occurred_at, 1, 10)) from home_incident)
    and p.dob not in (select grade_date from home where grade_date is not null)
    and ${onlyOf('p.given_name || p.family_name', 'A-Za-z')} and ${onlyOf('p.middle_names', 'A-Za-z ')}
    and (select count(*) from identifier i where i.person_id = p.id and i.kind = 'nhs') = 1`;
  // A housemate who stays unsealed (none of the chosen children is another's housemate).
  const withSibling = (chosen) => `exists (select 1 from household_member a join household_member b
    on b.household_id = a.household_id and b.person_id <> a.person_id where a.person_id = p.id)
    and not exists (select 1 from household_member a join household_member b on b.household_id = a.household_id
    where a.person_id = p.id and b.person_id in (${[0, ...chosen].join(',')}))`;
  const awaiting = `exists (select 1 from event e where e.person_id = p.id and e.kind in ('contact', 'referral') and not exists
    (select 1 from event d where d.person_id = e.person_id and d.kind = 'referral_decision' and d.agency = 'social_care'
      and d.occurred_at >= e.occurred_at))`; // only social care's decision answers a contact (r-mashdec21)
  const placed = 'p.id in (select person_id from home_placement where person_id is not null)';
  const s2 = q(`select p.id ${telling} and p.id in (select person_id from home_incident) order by p.id limit 1`);
  const s3 = q(`select p.id ${telling} and ${awaiting} and ${withSibling([s2])} order by p.id limit 1`);
  const s1 = q(`select p.id ${telling} and ${withSibling([s2, s3])} and not ${awaiting} and not ${placed}
    order by p.id limit 1`);
  assert.ok(s1 && s2 && s3, `the area has children to seal (${s1}, ${s2}, ${s3})`);
  sealed = [person(s1, 'with a sibling'), person(s2, 'placed, missing from the home'), person(s3, 'in the MASH queue')];
  homeOfS2 = Number(q(`select home_id from home_incident where person_id = ${s2} limit 1`));
  const sealedIds = sealed.map((s) => s.id).join(',');
  siblings = rows(`select distinct b.person_id from household_member a join household_member b
      on b.household_id = a.household_id and b.person_id <> a.person_id
    where a.person_id in (${sealedIds}) and b.person_id not in (${sealedIds}) order by 1`).map(([id]) => person(id, 'sibling'));
  assert.ok(siblings.length > 0, `the sealed children (${sealedIds}) have siblings`);
  // The sealed child with a sibling, and every sibling, on the demo worker's caseload: the worker sees their
  // households, and the caseload lists them.
  for (const c of [sealed[0], ...siblings]) {
    runCli(['allocate', '--db', dbUrl(area.db), '--child', String(c.id), '--team', 'north', '--user', 'demo.worker']);
  }
  // Placed, and allocated to the demo worker (the positive control: the allocated worker sees every agency's
  // events); the demo also places children allocated to no one (issue 15: those missing from the area's homes).
  marked = person(q(`select p.id from person p where ${placed} and p.id <> ${s2} and p.id not in (${sealedIds})
    and p.id in (select person_id from allocation where worker = 'demo.worker')
    and (select count(*) from identifier i where i.person_id = p.id and i.kind = 'nhs') = 1 order by p.id limit 1`), 'marked');
  markedHome = q(`select h.name from home_placement l join home h on h.id = l.home_id where l.person_id = ${marked.id}`);
  assert.ok(markedHome, 'the marked child is placed in a home');

  server = await startServer(area.db);
  // Issue 18: a speak-up report about the sealed child's home (its words name no child), for the queue's pages,
  // made as a member of staff makes one (the form's four steps) and found by its reference (`speakup reports`).
  const ref = await speakUp({ who: 'staff', home: String(homeOfS2), what: 'A worker shouts at night', about: 'nothing' });
  speakupReport = speakupReports(area.db, { ref }).map((r) => r.id)[0];
  assert.ok(Number.isInteger(speakupReport), `the speak-up report ${ref} is listed`);
  const subject = { nhs_number: marked.nhs, given_name: marked.given, family_name: marked.family, dob: marked.dob,
    upn: '', postcode: '', address: '' };
  const send = async (agency, kind, summary, details = {}, n = 0) => {
    const r = await postEvent(server.url, tokens[agency], event({
      source_ref: `CRAWL-${agency}-${kind}-${n}`, kind, summary, details,
      occurred_at: `2026-06-0${1 + n}T10:00:00Z`,
    }, subject));
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.child_id, marked.id, `the ${agency} ${kind} is the marked child's`);
  };
  await send('education', 'concern', `${MARK.education}: quiet and withdrawn in class`);
  await send('police', 'missing_start', `${MARK.police}: reported missing from the home`, {}, 1);
  await send('police', 'police_callout', `${MARK.police}: call-out to the home`, {}, 2);
  await send('police', 'domestic_abuse_incident', `${MARK.police}: incident at the family address`, {}, 3);
  await send('health', 'unscheduled_care', `${MARK.health}: seen in A&E`, {}, 4);
  await send('health', 'gp_appointment', `${MARK.healthOnly}: sexual health clinic`, { category: 'sexual_health' }, 5);
  await send('housing', 'housing_notice', `${MARK.housing}: notice to quit`, {}, 6);
  // What one event says about another (r-ntk21): a police contact, then a referral decision that health's
  // system sent under a health-only category, whose outcome's who and why carry the health-only mark. It is
  // health's own record and answers nothing (r-mashdec21: only social care's does); no page may show its marks
  // to a reader outside health, the MASH's rows and pages included.
  await send('police', 'contact', `${MARK.police}: contact to the front door`, {}, 7);
  await send('health', 'referral_decision', `${MARK.healthOnly}: decided in the sexual health clinic`, {
    category: 'sexual_health', outcome: 'nfa', decided_by: `${MARK.healthOnly}-who`, reason: `${MARK.healthOnly}-why`,
  }, 8);
  // The summary card derives "missing now" from the status events: a missing episode health's system reported
  // under a health-only category on one sibling (the worker's), and one the police reported on another (the
  // positive control), each at an instant no other answer names.
  const withNhs = siblings.filter((c) => c.nhs);
  assert.ok(withNhs.length >= 2, `two siblings with an NHS number (${withNhs.length})`);
  for (const [c, agency, details, at] of [[withNhs[0], 'health', { category: 'mental_health' }, MISSING.hiddenAt],
    [withNhs[1], 'police', {}, MISSING.shownAt]]) {
    const r = await postEvent(server.url, tokens[agency], event({
      source_ref: `CRAWL-${agency}-missing-${c.id}`, kind: 'missing_start', occurred_at: at,
      summary: agency === 'health' ? `${MARK.healthOnly}: left the ward` : `${MARK.police}: reported missing`, details,
    }, { nhs_number: c.nhs, given_name: c.given, middle_names: c.middle, family_name: c.family, dob: c.dob,
      upn: '', postcode: '', address: '' }));
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.child_id, c.id, `the ${agency} missing episode is sibling ${c.id}'s`);
  }
  // Three missing episodes a sexual health clinic recorded about a child no other record names: the rules raise
  // REPEAT_MISSING on her (the MASH's alert, whose health members alone may see her); no page, list or answer
  // names her to a reader outside health.
  for (const k of [1, 2, 3]) {
    const r = await postEvent(server.url, tokens.health, event({ source_ref: `CRAWL-hidden-${k}`, kind: 'missing_start',
      occurred_at: `2026-06-0${k}T12:00:00Z`, summary: `${MARK.healthOnly}: missing, told the clinic`,
      details: { category: 'sexual_health' } }, { given_name: HIDDEN.given, family_name: HIDDEN.family, dob: '2011-08-09',
      nhs_number: '', upn: '', postcode: 'LS29 9ZZ', address: '1 Clinic Knows Lane' }));
    assert.equal(r.status, 201, r.text);
    hiddenId = r.json.child_id;
  }
  assert.ok(alertRows(area.db, { child: hiddenId }).some((a) => a.code === 'REPEAT_MISSING' && a.owner_kind === 'mash'),
    'REPEAT_MISSING on the hidden child, the MASH\'s');
  // Issue 18: a recording on the marked child's record, so that its page, player and download are crawled.
  const rec = await request(`${server.url}/api/v1/children/${marked.id}/recordings?filename=crawl.mp3`, {
    method: 'POST', token: await apiSignIn('demo.worker'), headers: { 'content-type': 'audio/mpeg' },
    body: Buffer.from('ID3 a recording the crawl plays'),
  });
  assert.equal(rec.status, 201, rec.text);
});

after(async () => {
  try {
    if (server) await server.stop();
  } finally {
    removeDir(area?.dir);
  }
});

describe('need-to-know, crawled', () => {
  test('before sealing, the checks see what they look for: the worker sees the sealed-to-be names', async () => {
    const cookie = await webSignIn('demo.worker');
    let named = 0;
    for (const sib of siblings) {
      const page = await (await fetch(`${server.url}/children/${sib.id}`, { headers: { cookie } })).text();
      named += sealed.filter((s) => sealedLeaks(s, `/children/${sib.id}`, page, null).includes('name')).length;
    }
    assert.ok(named > 0, 'a sibling\'s household names a child before the seal');
    const caseload = await (await fetch(`${server.url}/caseload`, { headers: { cookie } })).text();
    assert.ok(sealedLeaks(sealed[0], '/caseload', caseload, null).length > 0, 'the caseload names the child before the seal');
    for (const s of sealed) {
      const r = runCli(['seal', '--db', dbUrl(area.db), '--child', String(s.id), '--basis', 'protection']);
      assert.match(r.stdout, /the record is sealed/);
    }
  });

  test('every role signs in and crawls every page it can reach; every person and token calls every GET route', async (t) => {
    for (const [username] of PEOPLE) crawled[`web ${username}`] = await crawlWeb(username);
    for (const [username] of PEOPLE) crawled[`api ${username}`] = await crawlApi(await apiSignIn(username));
    for (const a of AGENCIES) crawled[`token ${a}`] = await crawlApi(tokens[a]);
    // Every GET page and every GET route of the API was reached by someone (the crawl cannot skip a new one).
    const hit = new Set();
    for (const [who, answers] of Object.entries(crawled)) {
      for (const { url } of answers) {
        const p = url.split('?')[0].replace(/\/[0-9]+(?=\/|$)/g, '/{id}');
        hit.add(`${who.startsWith('web') ? 'web' : 'api'} ${p}`);
      }
    }
    t.diagnostic(Object.entries(crawled).map(([who, answers]) => `${who}: ${answers.length}`).join(', '));
    for (const p of webPatterns) assert.ok(hit.has(`web ${p}`), `no one reached the page ${p}`);
    for (const p of apiGets) assert.ok(hit.has(`api ${p}`), `no one called GET ${p}`);
    for (const [who, answers] of Object.entries(crawled)) {
      // The crawl ran out of links, not of budget: everything reachable was looked at.
      assert.ok(answers.length < (who.startsWith('web') ? MAX_PAGES : MAX_API), `${who} reached the crawl's bound`);
      for (const a of answers) assert.ok(a.status < 500, `${who} ${a.url}: ${a.status}`);
    }
  });

  test('a speak-up report\'s words reach the oversight analyst and the LADO only (issue 18)', () => {
    const seenBy = new Set();
    for (const [who, answers] of Object.entries(crawled)) {
      for (const { text, json } of answers) {
        if (text.includes('A worker shouts at night') || (json && JSON.stringify(json).includes('A worker shouts at night'))) seenBy.add(who);
      }
    }
    assert.deepEqual([...seenBy].sort(), ['web demo.analyst', 'web demo.lado'], 'the reviewers\' queue is the only way to the words');
  });

  test('no sealed child\'s name, date of birth, identifier or id reaches anyone but the DPO', () => {
    const leaks = [];
    for (const [who, answers] of Object.entries(crawled)) {
      if (who.endsWith('demo.dpo')) continue;
      for (const { url, text, json } of answers) {
        for (const s of sealed) {
          const found = sealedLeaks(s, url, text, json);
          if (found.length) leaks.push(`${who} ${url}: sealed child ${s.id} (${s.why}): ${found.join(', ')}`);
        }
      }
    }
    assert.deepEqual(leaks.slice(0, 30), [], `${leaks.length} answers show a sealed child`);
    // The DPO, the role named for sealed records, does see them: the check can see a name.
    const dpo = crawled['web demo.dpo'].filter((a) => sealedLeaks(sealed[0], '', a.text, null).includes('name'));
    assert.ok(dpo.length > 0, 'the DPO reads the sealed record');
  });

  test('a person who works with children, and their allegations, reach the LADO and the DPO only', () => {
    // Issue 18: the demo's allegations (src/cli/demo_lado.c) name people no child record names.
    const names = ['Blackwood', 'Riverside Sports Club', 'Northfield Primary School'];
    const leaks = [];
    for (const [who, answers] of Object.entries(crawled)) {
      if (who === 'web demo.lado' || who === 'web demo.dpo') continue;
      for (const { url, text } of answers) {
        for (const n of names) if (text.includes(n)) leaks.push(`${who} ${url}: ${n}`);
      }
    }
    assert.deepEqual(leaks.slice(0, 30), [], `${leaks.length} answers show the LADO's records`);
    // Positive controls: the LADO and the DPO do read them.
    for (const who of ['web demo.lado', 'web demo.dpo']) {
      assert.ok(crawled[who].some((a) => a.status === 200 && a.text.includes('Blackwood')), `${who} reads the person`);
    }
  });

  test('a health-only note reaches no one outside health; another agency\'s event no own-agency reader', async () => {
    const facts = markedFacts();
    const leaks = [];
    // Who reads the marked child as their agency's own reader: the API says so for each person.
    const ownAgency = [];
    for (const [username] of PEOPLE) {
      const token = await apiSignIn(username);
      const r = await request(`${server.url}/api/v1/children/${marked.id}`, { token });
      if (r.status === 200 && r.json.access === 'own_agency') ownAgency.push(username);
    }
    for (const u of ['demo.school', 'demo.police', 'demo.health']) assert.ok(ownAgency.includes(u), `${u} reads as own agency`);
    for (const [who, answers] of Object.entries(crawled)) {
      const reader = who.split(' ')[1];
      const agency = who.startsWith('token') ? reader : AGENCY_OF[reader];
      for (const { url, text, json } of answers) {
        if (agency !== 'health' && text.includes(MARK.healthOnly)) leaks.push(`${who} ${url}: the health-only note`);
        if (agency !== 'health' && text.includes(MISSING.hidden)) leaks.push(`${who} ${url}: missing, from a health-only event`);
        if (agency !== 'health' && text.includes(HIDDEN.given)) leaks.push(`${who} ${url}: the child only health knows`);
        if (!who.startsWith('token') && ownAgency.includes(reader)) {
          for (const f of ownAgencyLeaks(agency, url, text, json, facts)) leaks.push(`${who} ${url}: ${f}`);
        }
      }
    }
    assert.deepEqual(leaks.slice(0, 30), [], `${leaks.length} leaks`);
    // Each agency's reader sees its own markers; the allocated worker every agency's but the health-only note.
    const saw = (who, mark) => crawled[who].some((a) => a.text.includes(mark));
    assert.ok(saw('web demo.school', MARK.education), 'the school sees its own concern');
    assert.ok(saw('web demo.police', MARK.police), 'the police see their own events');
    assert.ok(saw('web demo.health', MARK.healthOnly), 'health sees its health-only note');
    assert.ok(saw('token health', MARK.healthOnly), 'the health system sees its health-only note');
    // The child only health knows: health's practitioner reads her record (the check can see her name).
    const hidden = await fetch(`${server.url}/children/${hiddenId}`, { headers: { cookie: await webSignIn('demo.health') } });
    assert.ok((await hidden.text()).includes(HIDDEN.given), "health's practitioner reads the child only health knows");
    // The worker's card says "missing" from the police's report (the card's check can see what it looks for).
    assert.ok(saw('web demo.worker', MISSING.shown), 'the worker sees the police\'s missing episode on the card');
    // The MASH reached the marked child's contact (the police's mark on its page): health's decision answers
    // nothing (r-mashdec21), so it awaits the MASH's own, with a form to decide it, and no page tells the MASH
    // of a decision it may not see.
    assert.ok(crawled['web mash.worker'].some((a) => /^\/mash\/\d+$/.test(a.url) && a.status === 200
      && a.text.includes(MARK.police) && a.text.includes('id="mash-decide"')), 'the MASH sees the contact awaiting');
    assert.ok(!crawled['web mash.worker'].some((a) => a.text.includes('A decision was recorded that you may not see')),
      'no decision withheld from the MASH');
    for (const m of [MARK.police, MARK.education, MARK.health, MARK.housing]) {
      assert.ok(saw('web demo.worker', m), `the allocated worker sees ${m}`);
    }
  });
});
