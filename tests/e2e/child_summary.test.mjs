// Issue 15 (the child's page, flags, the A&E flag answer, chronology, visits): each broken item of the issue
// driven over real HTTP against the real binary, as a browser and an agency system would. Every test here
// failed on the main branch the issue was filed against:
//   - /api/v1/flags said flagged: false for a child living in a children's home;
//   - the child's page had no summary (status, missing, placement, allocated worker and team with numbers),
//     and a child placed in a home showed "None open" under open episodes;
//   - a clinician had no one-screen flag answer (/flag), and the allocated worker was not told of it;
//   - chronology entries named neither the recorder nor the concern's category; a visit with no time showed as
//     12:00 and sorted above a 10:00 visit of the same day; the timeline drew rows for agencies with no events;
//   - the visit form took "not seen" with "seen alone: yes", and had no visit type (nor did the API check it).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  auditRows, alertRows,
  addPerson, event, runCli, freshArea, isoSeconds, now, postEvent, removeDir, request,
  startServer, ukDate, webSignIn as signInAs, sessionCsrf, dbUrl, addHomes, teamRows, rowCount
} from './lib.mjs';

const PASSWORD = 'the child in front of you first';
const NHS = '9434765919'; // subject()'s
const DAY = 86400000;

let area;
let server;
let child; // placed in a children's home, on a plan, allocated to sam.worker in team north
let plain; // no plan, not looked after, not allocated
const secrets = {};
const sessions = {};


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

const text = (html) => html.replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'").replace(/&amp;/g, '&').replace(/\s+/g, ' ');
const longDate = (iso) => new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })
  .format(new Date(`${iso}T12:00:00Z`));

before(async () => {
  area = freshArea('child-summary');
  for (const [name, agency, role] of [['sam.worker', 'social_care', 'social_worker'],
    ['hal.health', 'health', 'health_practitioner'], ['dot.school', 'education', 'school_dsl']]) {
    secrets[name] = addPerson(area.db, name, agency, role, PASSWORD);
  }
  server = await startServer(area.db);
  let r = await postEvent(server.url, area.tokens.education, event({ source_ref: 'CS-1', occurred_at: isoSeconds(now() - 30 * DAY) }));
  assert.equal(r.status, 201, r.text);
  child = r.json.child_id;
  r = await postEvent(server.url, area.tokens.education, event({ source_ref: 'CS-2', occurred_at: isoSeconds(now() - 30 * DAY) },
    { given_name: 'Ben', family_name: 'Ortiz', nhs_number: '9434765870', dob: '2014-02-01' }));
  assert.equal(r.status, 201, r.text);
  plain = r.json.child_id;
  assert.notEqual(plain, child);
  // The team holding the child, with its numbers (schema 19), and its worker.
  runCli(['team', 'add', '--db', dbUrl(area.db), '--code', 'north', '--name', 'Family Support North', '--phone', '0113 496 0200',
    '--email', 'north@example.invalid']);
  // A second call sets the out-of-hours number alone (no --name: an existing team keeps its own); the others stay.
  runCli(['team', 'add', '--db', dbUrl(area.db), '--code', 'north', '--out-of-hours-phone', '0113 496 0999']);
  runCli(['allocate', '--db', dbUrl(area.db), '--child', String(child), '--team', 'north', '--worker', 'sam.worker']);
  // Placed in a children's home 150 miles away, with no care episode recorded (the child): social care's
  // system places a child it has records about.
  r = await postEvent(server.url, area.tokens.social_care, event({ source_ref: 'CS-SC', kind: 'contact',
    occurred_at: isoSeconds(now() - 61 * DAY), summary: 'Contact from the school' }));
  assert.equal(r.status, 201, r.text);
  const home = String(addHomes(area.db, [{ urn: 'SC915001', name: 'Hollins Court', specialism: 'general', la_code: '935' }]).SC915001);
  const placed = await request(`${server.url}/api/v1/homes/${home}/placements`, {
    method: 'POST', token: area.tokens.social_care, headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ child_id: child, start: ukDate(now() - 60 * DAY), distance_km: 241, placing_authority: '383' }),
  });
  assert.equal(placed.status, 201, placed.text);
});

after(async () => {
  try {
    if (server) await server.stop();
  } finally {
    removeDir(area?.dir);
  }
});

describe('safeguard team add sets the numbers the summary gives', () => {
  test('each contact option is audited; a malformed one is refused naming it, and nothing is written', () => {
    const set = auditRows(area.db, { action: 'team.contact', object: 'team:north' });
    assert.deepEqual(set.map((e) => e.actor), ['cli', 'cli'], 'the two calls of the set-up');
    for (const [opt, value, re] of [['--phone', '12', /--phone must be 6 to 15 digits/],
      ['--out-of-hours-phone', '0113 496 0999 ext 4', /--out-of-hours-phone must be 6 to 15 digits/],
      ['--email', 'north at example', /--email must be an email address/]]) {
      const r = runCli(['team', 'add', '--db', dbUrl(area.db), '--code', 'north', '--name', 'Renamed', opt, value],
        { check: false });
      assert.equal(r.status, 2, opt);
      assert.match(r.stderr, re);
    }
    assert.equal(auditRows(area.db, { action: 'team.contact', object: 'team:north' }).length, 2);
    assert.equal(auditRows(area.db, { action: 'team.upsert', object: 'team:north' }).length, 1,
      'created once; the second call changed a number alone, and the refused ones nothing');
  });

  test('an option not given keeps what the team has: its manager (escalation goes there), name and numbers', () => {
    const add = (...args) => runCli(['team', 'add', '--db', dbUrl(area.db), '--code', 'east', ...args], { check: false });
    const east = () => teamRows(area.db, { code: 'east' });
    const details = () => auditRows(area.db, { action: 'team.contact', object: 'team:east' }).map((e) => e.detail).reverse();
    // A new team needs its name: refused naming --name, nothing written.
    let r = add('--phone', '0113 496 0300');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /no team 'east': --name is required/);
    assert.deepEqual(east(), []);
    assert.equal(add('--name', 'East', '--manager', 'eve.manager', '--phone', '0113 496 0300',
      '--email', 'east@example.invalid').status, 0);
    assert.equal(add('--out-of-hours-phone', '0113 496 0301').status, 0);
    assert.deepEqual(east(), [{ code: 'east', name: 'East', manager: 'eve.manager', phone: '0113 496 0300',
      out_of_hours_phone: '0113 496 0301', email: 'east@example.invalid' }]);
    // "" clears a number or the address; the rest stay.
    assert.equal(add('--email', '').status, 0);
    assert.deepEqual(east(), [{ code: 'east', name: 'East', manager: 'eve.manager', phone: '0113 496 0300',
      out_of_hours_phone: '0113 496 0301', email: '' }]);
    // The same number again changes nothing: no audit entry, no team.upsert.
    assert.equal(add('--phone', '0113 496 0300').status, 0);
    assert.deepEqual(details(), ['changed: phone, email', 'changed: out_of_hours_phone', 'changed: email'],
      'each entry names the fields changed, not their values');
    assert.equal(auditRows(area.db, { action: 'team.upsert', object: 'team:east' }).length, 1);
    // A rename keeps the manager; --manager "" clears it and keeps the name.
    assert.equal(add('--name', 'East and coast').status, 0);
    assert.equal(east()[0].manager, 'eve.manager');
    assert.equal(add('--manager', '').status, 0);
    assert.deepEqual([east()[0].name, east()[0].manager], ['East and coast', '']);
    assert.equal(auditRows(area.db, { action: 'team.upsert', object: 'team:east' }).length, 3);
  });
});

describe('flags derived from the episodes', () => {
  test('/api/v1/flags: a child living in a children\'s home is looked after, and flagged', async () => {
    const r = await request(`${server.url}/api/v1/flags?nhs_number=${NHS}`, { token: area.tokens.health });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.flagged, true);
    assert.equal(r.json.looked_after.current, true);
    assert.equal(r.json.looked_after.start, ukDate(now() - 60 * DAY));
    const other = await request(`${server.url}/api/v1/flags?nhs_number=9434765870`, { token: area.tokens.health });
    assert.equal(other.json.flagged, false);
  });
});

describe('the child\'s page opens with a summary card', () => {
  test('status, placement, worker and team with their numbers; the placement is an open episode', async () => {
    const start = ukDate(now() - 20 * DAY);
    let r = await postEvent(server.url, area.tokens.social_care, event({ source_ref: 'CS-CP', kind: 'cp_plan_start',
      occurred_at: `${start}T11:00:00Z`, summary: 'Plan made', details: { category: 'neglect' } }));
    assert.equal(r.status, 201, r.text);
    const page = await get('sam.worker', `/children/${child}`);
    assert.equal(page.status, 200);
    const card = /<div class="govuk-summary-card" id="child-summary">([\s\S]*?)<\/dl>/.exec(page.text);
    assert.ok(card, 'a summary card at the top of the page');
    const t = text(card[1]);
    assert.match(t, new RegExp(`Child protection plan Since ${longDate(start)} \\(neglect\\)`));
    assert.match(t, new RegExp(`Looked after Since ${longDate(ukDate(now() - 60 * DAY))} \\(placed in a children's home`));
    assert.match(t, /Missing now No/);
    assert.match(t, /Placement Hollins Court, since .*, 150 miles from home/);
    assert.match(t, /Allocated worker sam\.worker/);
    assert.match(t, /Family Support North Office hours: 0113 496 0200 Out of hours: 0113 496 0999/);
    assert.ok(page.text.indexOf('id="child-summary"') < page.text.indexOf('id="chronology"'), 'the card comes first');
    assert.doesNotMatch(text(page.text), /Open episodes None open/);
    assert.match(text(page.text), /Open episodes .*Looked after \(placed in a children's home\), since/);
  });

  test('missing now shows with since when, and clears on return', async () => {
    const at = isoSeconds(now() - 5 * 3600);
    let r = await postEvent(server.url, area.tokens.police, event({ source_ref: 'CS-M1', kind: 'missing_start', occurred_at: at,
      summary: 'Reported missing' }));
    assert.equal(r.status, 201, r.text);
    let t = text((await get('sam.worker', `/children/${child}`)).text);
    assert.match(t, /Missing now Missing Missing since \d{1,2} \w+ \d{4} at \d\d:\d\d/);
    r = await postEvent(server.url, area.tokens.police, event({ source_ref: 'CS-M2', kind: 'missing_end',
      occurred_at: isoSeconds(now() - 3600), summary: 'Found' }));
    assert.equal(r.status, 201, r.text);
    t = text((await get('sam.worker', `/children/${child}`)).text);
    assert.match(t, /Missing now No/);
  });

  test('a reader of their own agency\'s records gets no summary card (it is social care\'s record)', async () => {
    const page = await get('dot.school', `/children/${child}`);
    assert.equal(page.status, 200);
    assert.doesNotMatch(page.text, /id="child-summary"/);
    assert.doesNotMatch(page.text, /Hollins Court/);
  });
});

describe('the one-screen flag answer for unscheduled care', () => {
  test('by a spaced NHS number: flagged, what, since when, whom to call day and night; no record', async () => {
    const alerts = () => alertRows(area.db, { child, code: 'FLAG_LOOKUP' }).length;
    const before = alerts();
    const r = await get('hal.health', '/flag?nhs_number=943+476+5919');
    assert.equal(r.status, 200, r.text);
    const t = text(r.text);
    assert.match(t, /Flagged: call children's social care/);
    assert.match(t, /Amira Khan, born 3 May 2016/);
    assert.match(t, /Child protection plan Since .* \(neglect\)/);
    assert.match(t, /Looked after Since/);
    assert.match(t, /Call in office hours Social worker sam\.worker, Family Support North: 0113 496 0200/);
    assert.match(t, /Call out of hours 0113 496 0999/);
    assert.doesNotMatch(t, /chronology/i, 'no record on the answer');
    assert.doesNotMatch(r.text, new RegExp(`/children/${child}`), 'no link into the record');
    // Told to the allocated worker: a FLAG_LOOKUP alert in their inbox, and audited.
    assert.equal(alerts(), before + 1);
    const [told] = alertRows(area.db, { child, code: 'FLAG_LOOKUP' }).sort((a, b) => b.id - a.id);
    assert.equal(`${told.owner_kind}:${told.owner}`, 'worker:sam.worker');
    assert.ok(auditRows(area.db, { action: 'flags.lookup', child }).filter((e) => e.actor.endsWith('hal.health')).length >= 1);
    const inbox = await get('sam.worker', '/alerts');
    assert.match(inbox.text, /Amira/);
  });

  test('a wrong check digit is refused naming the field; an unflagged child and an unknown number answer alike', async () => {
    const bad = await get('hal.health', '/flag?nhs_number=943+476+5918');
    assert.equal(bad.status, 400);
    assert.match(bad.text, /govuk-error-summary/);
    assert.match(bad.text, /href="#nhs_number"/);
    assert.match(bad.text, /check digit/);
    const none = await get('hal.health', '/flag?nhs_number=9434765870');
    const unknown = await get('hal.health', '/flag?nhs_number=9999999999'.replace('9999999999', '4010232137'));
    assert.equal(none.status, 200);
    assert.match(text(none.text), /No flag for this NHS number/);
    assert.doesNotMatch(none.text, /Ortiz/);
    assert.equal(text(unknown.text).replace(/401 023 2137/g, 'N'), text(none.text).replace(/943 476 5870/g, 'N'));
  });

  test('only health practitioners use it', async () => {
    const r = await get('sam.worker', '/flag?nhs_number=9434765919');
    assert.equal(r.status, 403);
  });
});

describe('the chronology', () => {
  test('a concern names the recorder, their agency and its category', async () => {
    const day = ukDate(now() - 2 * DAY).split('-');
    const r = await post('dot.school', `/children/${child}/concerns`, {
      'when-day': day[2], 'when-month': day[1], 'when-year': day[0], time: '09:10', category: 'neglect',
      child_seen: 'yes', summary: 'Came in hungry again', child_words: '', action: 'Spoke to the DSL',
    });
    assert.equal(r.status, 303, r.text);
    const page = await get('sam.worker', `/children/${child}`);
    const row = /<tr class="govuk-table__row" id="event-\d+">(?:(?!<\/tr>)[\s\S])*Came in hungry again[\s\S]*?<\/tr>/.exec(page.text);
    assert.ok(row, 'the concern is in the chronology');
    const t = text(row[0]);
    assert.match(t, /Education Recorded by dot\.school, Education/);
    assert.match(t, /Concern : Neglect/);
    // An agency system's record says it came from the system.
    assert.match(text(page.text), /Sent by Police's system/);
  });

  test('a visit with no time says "time not recorded" and sorts after the day\'s timed entries', async () => {
    const iso = ukDate(now() - 3 * DAY);
    const [y, m, d] = iso.split('-');
    const visit = (time, note) => post('sam.worker', `/children/${child}/visits`, {
      visit_type: 'statutory_lac', 'visit-day': d, 'visit-month': m, 'visit-year': y, time, seen: 'yes', seen_alone: 'yes',
      childs_words: '', views_method: '', summary: note,
    });
    let r = await visit('', 'Untimed visit note');
    assert.equal(r.status, 303, r.text);
    r = await visit('10:00', 'Ten o\'clock visit note');
    assert.equal(r.status, 303, r.text);
    const page = (await get('sam.worker', `/children/${child}`)).text;
    const untimed = page.indexOf('Untimed visit note');
    const timed = page.indexOf('Ten o\'clock visit note'.replace("'", '&#39;'));
    assert.ok(untimed > 0 && timed > 0, 'both visits shown');
    assert.ok(timed < untimed, 'newest first: the timed visit above the untimed one of the same day');
    const row = /<tr class="govuk-table__row" id="event-\d+">(?:(?!<\/tr>)[\s\S])*Untimed visit note/.exec(page);
    assert.match(text(row[0]), /Time not recorded/);
    assert.doesNotMatch(text(row[0]), /12:00/);
    assert.match(text(row[0]), /Visit to the child : Statutory visit to a looked-after child/);
  });

  test('the timeline draws rows only for agencies with events', async () => {
    const page = (await get('sam.worker', `/children/${plain}`));
    // plain is not sam.worker's: the school reads its own records of Ben.
    const own = await get('dot.school', `/children/${plain}`);
    assert.equal(own.status, 200);
    const svg = /<svg[\s\S]*?<\/svg>/.exec(own.text)[0];
    assert.match(svg, />Education<\/text>/);
    for (const a of ['Police', 'Health', 'Housing', 'Children&#39;s social care']) {
      assert.doesNotMatch(svg, new RegExp(`>${a}</text>`), `no row for ${a}`);
    }
    assert.equal(page.status, 403);
  });
});

describe('the visit form', () => {
  const today = () => ukDate(now() - DAY).split('-');
  const fields = (over) => {
    const [y, m, d] = today();
    return { visit_type: 'cp', 'visit-day': d, 'visit-month': m, 'visit-year': y, time: '14:00', seen: 'yes',
      seen_alone: 'no', childs_words: '', views_method: '', summary: 'A visit', ...over };
  };

  test('"not seen" with "seen alone: yes" is refused, naming the field; nothing is written', async () => {
    const events = rowCount(area.db, 'event');
    const r = await post('sam.worker', `/children/${child}/visits`, fields({ seen: 'no', seen_alone: 'yes' }));
    assert.equal(r.status, 400);
    assert.match(r.text, /<a href="#seen_alone">The child was not seen, so they were not seen alone/);
    assert.equal(rowCount(area.db, 'event'), events);
  });

  test('a visit type is required', async () => {
    const r = await post('sam.worker', `/children/${child}/visits`, fields({ visit_type: '' }));
    assert.equal(r.status, 400);
    assert.match(r.text, /<a href="#visit_type">Select what kind of visit it was/);
    const form = await get('sam.worker', `/children/${child}/visits/new`);
    for (const label of ['Statutory visit to a looked-after child', 'Child protection visit', 'Looked-after review visit',
      'Unannounced visit']) assert.match(form.text, new RegExp(label));
  });

  test('the API refuses the same inconsistency and an unknown visit type, naming the field', async () => {
    const base = { kind: 'visit', summary: 'Visit', occurred_at: isoSeconds(now() - DAY) };
    let r = await postEvent(server.url, area.tokens.social_care, event({ ...base, source_ref: 'CS-V1',
      details: { seen: false, seen_alone: true } }));
    assert.equal(r.status, 422, r.text);
    assert.equal(r.json.error.field, 'details.seen_alone');
    r = await postEvent(server.url, area.tokens.social_care, event({ ...base, source_ref: 'CS-V2',
      details: { seen: true, seen_alone: true, visit_type: 'coffee' } }));
    assert.equal(r.status, 422, r.text);
    assert.equal(r.json.error.field, 'details.visit_type');
    r = await postEvent(server.url, area.tokens.social_care, event({ ...base, source_ref: 'CS-V3',
      details: { seen: true, seen_alone: false, visit_type: 'cp' } }));
    assert.equal(r.status, 201, r.text);
  });
});
