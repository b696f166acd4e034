// Intake, identity resolution, households, chronology, audit, routing and headers over real HTTP.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  auditRows, lastAudit,
  dbUrl, auditEntries,
  addPerson, allChronology, everyAgencysEvents, event, linkReviews, freshArea, getChild, getChronology, nhsNumbers, postEvent,
  removeDir, request, runCli, startServer, totp, rowCounts,
} from './lib.mjs';

let area;
let server;
let url;
let tok;
let worker; // a social worker's API session: the whole record of the children allocated to them
const nhs = nhsNumbers(400000000); // fresh valid NHS numbers for this file
const PASSWORD = 'a long enough passphrase for intake';

before(async () => {
  area = freshArea('intake');
  tok = area.tokens;
  const secret = addPerson(area.db, 'int.worker', 'social_care', 'social_worker', PASSWORD);
  server = await startServer(area.db);
  url = server.url;
  const s = await request(`${url}/api/v1/sessions`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'int.worker', password: PASSWORD, totp: totp(secret) }),
  });
  assert.equal(s.status, 201, s.text);
  worker = s.json.token;
});

/** Allocates the child to the worker, whose session then reads the whole record (every agency, household). */
function allocate(childId) {
  runCli(['allocate', '--db', dbUrl(area.db), '--child', String(childId), '--user', 'int.worker']);
}

after(async () => {
  try {
    if (server) await server.stop();
  } finally {
    removeDir(area?.dir);
  }
});

function auditCount(action, childId) {
  return auditRows(area.db, { action, child: childId !== undefined ? Number(childId) : undefined }).length;
}

function assertSecurityHeaders(r, { api = true } = {}) {
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(r.headers.get('x-frame-options'), 'DENY');
  assert.equal(r.headers.get('referrer-policy'), 'no-referrer');
  assert.ok(r.headers.get('content-security-policy'), 'Content-Security-Policy is set');
  if (api) assert.equal(r.headers.get('cache-control'), 'no-store');
}

async function create(token, body) {
  const r = await postEvent(url, token, body);
  assert.equal(r.status, 201, `expected 201 for ${JSON.stringify(body)}: ${r.text}`);
  assert.ok(Number.isInteger(r.json.id) && r.json.id > 0, r.text);
  assert.ok(Number.isInteger(r.json.child_id) && r.json.child_id > 0, r.text);
  return r.json;
}

describe('operators', () => {
  test('GET /healthz answers 200 {"status":"ok"} with security headers', async () => {
    const r = await request(`${url}/healthz`);
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, { status: 'ok' });
    assertSecurityHeaders(r, { api: false });
  });

  test('GET /openapi.json describes every API path the server answers', async () => {
    const r = await request(`${url}/openapi.json`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^application\/json/);
    assert.match(r.json.openapi, /^3\./);
    assert.deepEqual(Object.keys(r.json.paths).sort(), ['/api/v1/alerts', '/api/v1/alerts/{alert_id}',
      '/api/v1/alerts/{alert_id}/acknowledge', '/api/v1/alerts/{alert_id}/resolve', '/api/v1/children/{child_id}',
      '/api/v1/children/{child_id}/break-glass', '/api/v1/children/{child_id}/chronology',
      '/api/v1/children/{child_id}/recordings', '/api/v1/children/{child_id}/viewers', '/api/v1/events',
      '/api/v1/flags', '/api/v1/health/break-glass', '/api/v1/homes/alerts', '/api/v1/homes/alerts/{alert_id}/acknowledge',
      '/api/v1/homes/alerts/{alert_id}/resolve', '/api/v1/homes/{home_id}/placements', '/api/v1/homes/{home_id}/reg44-reports',
      '/api/v1/link-reviews', '/api/v1/link-reviews/{review_id}', '/api/v1/link-reviews/{review_id}/decision',
      '/api/v1/merges/{merge_id}/undo', '/api/v1/notices', '/api/v1/oversight/runs', '/api/v1/oversight/runs/{run_id}',
      '/api/v1/recordings/{recording_id}/content', '/api/v1/sessions', '/healthz', '/metrics']);
    assert.deepEqual(r.json.components.schemas.EventIn.required.sort(),
      ['kind', 'occurred_at', 'source_ref', 'subject', 'summary']);
  });

  test('GET /metrics answers Prometheus text that counts created events, records searched and candidates scored', async () => {
    const metric = (text, name) => {
      const m = new RegExp(`^${name.replace(/[{}"=]/g, '\\$&')} (\\d+)$`, 'm').exec(text);
      assert.ok(m, `metric ${name} in:\n${text}`);
      return Number(m[1]);
    };
    const r1 = await request(`${url}/metrics`);
    assert.equal(r1.status, 200);
    assert.match(r1.headers.get('content-type'), /^text\/plain/);
    assertSecurityHeaders(r1, { api: false });
    const lines = r1.text.trimEnd().split('\n');
    assert.ok(lines.length > 0);
    for (const line of lines) {
      assert.match(line, /^(# (TYPE|HELP) [a-zA-Z_:][a-zA-Z0-9_:]* .+|[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})? [0-9.eE+-]+)$/,
        `not Prometheus text: ${line}`);
    }
    const before1 = metric(r1.text, 'safeguard_events_total{outcome="created"}');
    const searched = metric(r1.text, 'safeguard_link_records_total');
    const scored = metric(r1.text, 'safeguard_link_candidates_total');
    const crowded = metric(r1.text, 'safeguard_link_crowded_total');
    const subject = { nhs_number: nhs.next().value, given_name: 'Metric' };
    await create(tok.police, event({ source_ref: 'METRICS-1' }, subject));
    const r2 = await request(`${url}/metrics`);
    assert.equal(metric(r2.text, 'safeguard_events_total{outcome="created"}'), before1 + 1);
    // The same child again: a second record searched, and at least the child found by its NHS number scored
    // (a retried batch searches again, so at least).
    await create(tok.police, event({ source_ref: 'METRICS-2' }, subject));
    const r3 = await request(`${url}/metrics`);
    assert.equal(metric(r3.text, 'safeguard_events_total{outcome="created"}'), before1 + 2);
    assert.ok(metric(r3.text, 'safeguard_link_records_total') >= searched + 2, r3.text);
    assert.ok(metric(r3.text, 'safeguard_link_candidates_total') >= scored + 1, r3.text);
    // one candidate is far below the limit (200): the crowded search's counter stays where it was
    assert.equal(metric(r3.text, 'safeguard_link_crowded_total'), crowded, r3.text);
  });
});

describe('intake', () => {
  test('201 on a new record, 200 with the same ids on a replay, nothing new written', async () => {
    const body = event({ source_ref: 'PN-2025-0001' });
    // "Nothing written" is every table's row count, through `safeguard stats` (docs/INTERNALS.md, issue 17).
    const before1 = rowCounts(area.db);
    const first = await postEvent(url, tok.police, body);
    assert.equal(first.status, 201, first.text);
    assertSecurityHeaders(first);
    assert.match(first.headers.get('content-type'), /^application\/json/);
    const after1 = rowCounts(area.db);
    assert.equal(after1.event, before1.event + 1);
    assert.equal(after1.source_record, before1.source_record + 1);
    assert.equal(after1.audit, before1.audit + 1);

    // The same record with other key order and white space, and a charset parameter.
    const { subject: s, ...rest } = body;
    const reordered = {
      details: rest.details, summary: rest.summary, subject: Object.fromEntries(Object.entries(s).reverse()),
      occurred_at: rest.occurred_at, kind: rest.kind, source_ref: rest.source_ref,
    };
    const replay = await postEvent(url, tok.police, JSON.stringify(reordered, null, 3),
      { contentType: 'application/json; charset=utf-8' });
    assert.equal(replay.status, 200, replay.text);
    assert.deepEqual(replay.json, first.json);
    assert.deepEqual(rowCounts(area.db), after1, 'a replay writes nothing');
    // The event is the child's (a read, audited: after the counts): the agency's system reads it in the child's chronology.
    const mine = await getChronology(url, tok.police, first.json.child_id);
    assert.equal(mine.status, 200, mine.text);
    assert.deepEqual(mine.json.events.map((e) => e.id), [first.json.id]);
  });

  test('409 source_ref_conflict for the same source_ref with different content, nothing written', async () => {
    const body = event({ source_ref: 'PN-CONFLICT-1' }, { nhs_number: nhs.next().value, given_name: 'Conflict' });
    const first = await create(tok.police, body);
    const before1 = rowCounts(area.db);
    const r = await postEvent(url, tok.police, { ...body, summary: 'A different account of the day' });
    assert.equal(r.status, 409, r.text);
    assert.equal(r.json.error.code, 'source_ref_conflict');
    assert.equal(r.json.error.field, 'source_ref');
    assertSecurityHeaders(r);
    assert.deepEqual(rowCounts(area.db), before1, 'a conflict writes nothing');
    // The original is untouched.
    const c = await getChronology(url, tok.police, first.child_id);
    assert.equal(c.status, 200);
    assert.equal(c.json.events.length, 1);
    assert.equal(c.json.events[0].summary, body.summary);
  });

  test('another agency may use the same source_ref: a separate record about the same child', async () => {
    const body = event({ source_ref: 'SHARED-REF-7' }, { nhs_number: nhs.next().value, given_name: 'Shared' });
    const a = await create(tok.police, body);
    const b = await create(tok.health, body);
    assert.notEqual(b.id, a.id);
    assert.equal(b.child_id, a.child_id);
    const both = await everyAgencysEvents(url, tok, a.child_id);
    assert.deepEqual(both.map((e) => `${e.agency} ${e.id}`).sort(), [`health ${b.id}`, `police ${a.id}`].sort(), 'two records, one each');
    // Each agency's system reads its own record about the child; one that sent nothing finds no child.
    assert.deepEqual((await getChronology(url, tok.police, a.child_id)).json.events.map((e) => e.id), [a.id]);
    assert.deepEqual((await getChronology(url, tok.health, a.child_id)).json.events.map((e) => e.id), [b.id]);
    assert.equal((await getChronology(url, tok.education, a.child_id)).status, 404);
    allocate(a.child_id);
    const c = await getChronology(url, worker, a.child_id);
    assert.equal(c.status, 200);
    assert.deepEqual(c.json.events.map((e) => e.agency).sort(), ['health', 'police']);
  });
});

describe('identity resolution', () => {
  test('a valid NHS number already held finds the same child when the rest of the record agrees', async () => {
    const n = nhs.next().value;
    const a = await create(tok.health, event({ source_ref: 'ID-NHS-1' }, { nhs_number: n, given_name: 'Nadia', family_name: 'Rahman', dob: '2015-01-02' }));
    const b = await create(tok.police, event({ source_ref: 'ID-NHS-2' }, { nhs_number: n, given_name: 'NADIA', family_name: 'Rahman-Hussain', dob: '', postcode: '', address: '' }));
    assert.equal(b.child_id, a.child_id);
  });

  // Decided with record linkage (issue 7): a valid NHS number that comes with another name AND another date of
  // birth is the error LINKAGE.md names (a number that belongs to another child). Linking on the number alone
  // would show one child's history to another child's worker; the record gets its own child and a person is
  // asked (a review task), instead of the foundation's link "whatever the name".
  test('a valid NHS number held by a child with another name and date of birth: a new child and a review task', async () => {
    const n = nhs.next().value;
    const a = await create(tok.health, event({ source_ref: 'ID-NHS-3' }, { nhs_number: n, given_name: 'Nadia', family_name: 'Rahman', dob: '2015-01-02' }));
    const b = await create(tok.police, event({ source_ref: 'ID-NHS-4' }, { nhs_number: n, given_name: 'Nadine', family_name: 'Smith', dob: '2014-02-01', postcode: '', address: '' }));
    assert.notEqual(b.child_id, a.child_id);
    assert.deepEqual(linkReviews(area.db, { child: b.child_id, open: true }).map((v) => [v.person, v.candidate, v.decision]),
      [[b.child_id, a.child_id, '']]);
  });

  test('a valid UPN already held finds the same child', async () => {
    const upn = 'B801200005001';
    const a = await create(tok.education, event({ source_ref: 'ID-UPN-1' }, { nhs_number: '', upn, given_name: 'Ula', family_name: 'Peters', dob: '2013-07-08' }));
    const b = await create(tok.social_care, event({ source_ref: 'ID-UPN-2' }, { nhs_number: '', upn, given_name: 'Ulla', family_name: 'Petersen', dob: '2013-08-07' }));
    assert.equal(b.child_id, a.child_id);
    const child = await getChild(url, tok.education, a.child_id);
    assert.equal(child.status, 200);
    assert.ok(child.json.identifiers.some((i) => i.kind === 'upn' && i.value === upn), child.text);
  });

  const folds = [
    ['case', { given_name: 'Amara', family_name: 'Okafor' }, { given_name: 'AMARA', family_name: 'okafor' }],
    ['accents', { given_name: 'Zoë', family_name: 'Brontë' }, { given_name: 'Zoe', family_name: 'Bronte' }],
    ['apostrophes', { given_name: 'Siobhan', family_name: "O'Neil" }, { given_name: 'Siobhan', family_name: 'ONeil' }],
    ['hyphens', { given_name: 'Mary-Jane', family_name: 'Smith-Jones' }, { given_name: 'MaryJane', family_name: 'SmithJones' }],
  ];
  for (const [what, first, second] of folds) {
    test(`same given name, family name and dob after folding ${what} is the same child`, async () => {
      const common = { nhs_number: '', upn: '', dob: '2012-03-04', postcode: '', address: '' };
      const a = await create(tok.police, event({ source_ref: `ID-FOLD-${what}-1` }, { ...common, ...first }));
      const b = await create(tok.housing, event({ source_ref: `ID-FOLD-${what}-2` }, { ...common, ...second }));
      assert.equal(b.child_id, a.child_id, `${JSON.stringify(first)} vs ${JSON.stringify(second)}`);
    });
  }

  test('same name but another dob, or another name with the same dob, is a new child', async () => {
    const common = { nhs_number: '', upn: '', postcode: '', address: '' };
    const a = await create(tok.police, event({ source_ref: 'ID-NEW-1' }, { ...common, given_name: 'Tobias', family_name: 'Grey', dob: '2011-05-06' }));
    const b = await create(tok.police, event({ source_ref: 'ID-NEW-2' }, { ...common, given_name: 'Tobias', family_name: 'Grey', dob: '2011-06-05' }));
    const c = await create(tok.police, event({ source_ref: 'ID-NEW-3' }, { ...common, given_name: 'Tobin', family_name: 'Grey', dob: '2011-05-06' }));
    assert.equal(new Set([a.child_id, b.child_id, c.child_id]).size, 3);
  });
});

describe('children', () => {
  test('GET a child: person, identifiers, household members excluding the child itself', async () => {
    const n1 = nhs.next().value;
    const n2 = nhs.next().value;
    const home = { postcode: 'LS7 3QT', address: '4 Chapel Street' };
    const a = await create(tok.health, event({ source_ref: 'HH-1' }, { ...home, nhs_number: n1, given_name: 'Ivy', family_name: 'Moss', dob: '2014-09-10', sex: 'F' }));
    const b = await create(tok.health, event({ source_ref: 'HH-2' }, { postcode: 'ls73qt', address: '4 Chapel Street', nhs_number: n2, given_name: 'Oscar', family_name: 'Moss', dob: '2017-01-20', sex: 'M' }));
    assert.notEqual(a.child_id, b.child_id);
    allocate(a.child_id);
    allocate(b.child_id);

    const ra = await getChild(url, worker, a.child_id);
    assert.equal(ra.status, 200, ra.text);
    assertSecurityHeaders(ra);
    assert.equal(ra.json.child_id, a.child_id);
    assert.deepEqual(ra.json.person, {
      given_name: 'Ivy', middle_names: '', family_name: 'Moss', dob: '2014-09-10', sex: 'F',
      postcode: 'LS7 3QT', address: '4 Chapel Street',
    });
    assert.equal(ra.json.identifiers.length, 1, ra.text);
    assert.equal(ra.json.identifiers[0].kind, 'nhs');
    assert.equal(ra.json.identifiers[0].value, n1);
    assert.equal(typeof ra.json.identifiers[0].first_seen, 'string');
    const hh = ra.json.household;
    assert.ok(hh && typeof hh === 'object', ra.text);
    assert.equal(hh.postcode, 'LS7 3QT');
    assert.equal(hh.address, '4 Chapel Street');
    assert.equal(typeof hh.last_seen, 'string');
    assert.deepEqual(hh.members, [{ child_id: b.child_id, given_name: 'Oscar', family_name: 'Moss', dob: '2017-01-20' }]);
    assert.ok(Array.isArray(ra.json.previous_households));

    const rb = await getChild(url, worker, b.child_id);
    assert.equal(rb.status, 200);
    assert.equal(rb.json.household.id, hh.id);
    assert.deepEqual(rb.json.household.members.map((m) => m.child_id), [a.child_id]);
  });

  test('an agency\'s system reads the identity and its own records, never the household', async () => {
    const home = { postcode: 'LS7 3QT', address: '6 Chapel Street' };
    const iris = { ...home, nhs_number: nhs.next().value, given_name: 'Iris', family_name: 'Lowe', dob: '2014-09-10' };
    const a = await create(tok.health, event({ source_ref: 'HH-3' }, iris));
    const b = await create(tok.police, event({ source_ref: 'HH-4', kind: 'police_callout' }, { ...home, nhs_number: nhs.next().value, given_name: 'Otto', family_name: 'Lowe', dob: '2016-01-20' }));
    const c2 = await create(tok.police, event({ source_ref: 'HH-5', kind: 'police_callout' }, iris));
    assert.equal(c2.child_id, a.child_id);
    const r = await getChild(url, tok.health, a.child_id);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.person.given_name, 'Iris');
    assert.equal(r.json.household, null, 'who the child lives with is not an agency\'s own record');
    assert.deepEqual(r.json.previous_households, []);
    assert.equal(r.json.access, 'own_agency');
    const c = await getChronology(url, tok.health, a.child_id);
    assert.deepEqual(c.json.events.map((e) => e.agency), ['health'], 'the police call-out is not health\'s');
    assert.equal((await getChild(url, tok.health, b.child_id)).status, 404, 'health sent nothing about Otto');
    assert.equal((await getChild(url, tok.education, a.child_id)).json?.error?.code, 'not_found');
  });

  test('a child known without an address has household null', async () => {
    const a = await create(tok.police, event({ source_ref: 'NOHOME-1' }, { nhs_number: nhs.next().value, given_name: 'Nomad', postcode: '', address: '' }));
    allocate(a.child_id);
    const r = await getChild(url, worker, a.child_id);
    assert.equal(r.status, 200);
    assert.equal(r.json.household, null);
    assert.deepEqual(r.json.previous_households, []);
  });

  test('unknown or non-numeric child ids answer 404 not_found; probes of well-formed ids are audited with no child', async () => {
    const audits = auditEntries(area.db);
    const probes = auditRows(area.db).filter((e) => e.detail === 'no such child' && e.child_id === 0).length;
    for (const path of ['/api/v1/children/999999', '/api/v1/children/abc', '/api/v1/children/999999/chronology',
      '/api/v1/children/abc/chronology', '/api/v1/children/0', '/api/v1/children/-1']) {
      const r = await request(`${url}${path}`, { token: tok.police });
      assert.equal(r.status, 404, `${path}: ${r.text}`);
      assert.equal(r.json.error.code, 'not_found', path);
      assertSecurityHeaders(r);
    }
    // The two reads of 999999 are attempts on an id that holds no child: kept for the auditor, attached to
    // no child (so a child later given that id does not inherit them). Malformed ids are refused unread.
    assert.equal(auditEntries(area.db), audits + 2);
    assert.equal(auditRows(area.db).filter((e) => e.detail === 'no such child' && e.child_id === 0).length, probes + 2);
    assert.equal(auditRows(area.db, { object: 'child:999999', action: 'chronology.read' }).length, 1);
  });
});

describe('chronology', () => {
  let childId;
  const created = []; // {id, occurred_at}

  before(async () => {
    const n = nhs.next().value;
    const agencies = ['police', 'health', 'education', 'social_care', 'housing'];
    const kinds = ['concern', 'contact', 'referral', 'visit', 'unscheduled_care', 'police_callout',
      'domestic_abuse_incident', 'missing_start', 'missing_end', 'school_absence', 'injury', 'restraint'];
    for (let i = 0; i < 25; i++) {
      // Days scattered out of order; every fifth shares a timestamp with the one before (a tie).
      const day = ((i * 7) % 25) + 1;
      const at = i % 5 === 4 ? created[i - 1].occurred_at : `2024-01-${String(day).padStart(2, '0')}T09:${String(i).padStart(2, '0')}:00Z`;
      const agency = agencies[i % agencies.length];
      const r = await create(tok[agency], event({
        source_ref: `CHRON-${i}`, kind: kinds[i % kinds.length], occurred_at: at,
        summary: `chronology entry ${i}`, details: { n: i, tag: 'chron' },
      }, { nhs_number: n, given_name: 'Chrono', family_name: 'Logic', dob: '2015-02-03' }));
      if (childId === undefined) childId = r.child_id;
      assert.equal(r.child_id, childId);
      created.push({ id: r.id, occurred_at: at, agency, kind: kinds[i % kinds.length], n: i });
    }
    allocate(childId); // the worker reads every agency's events
  });

  const expectedOrder = () => [...created].sort((x, y) =>
    (x.occurred_at < y.occurred_at ? 1 : x.occurred_at > y.occurred_at ? -1 : y.id - x.id)).map((e) => e.id);

  test('newest first (ties: higher id first), all fields present, default page holds all 25', async () => {
    const r = await getChronology(url, worker, childId);
    assert.equal(r.status, 200, r.text);
    assertSecurityHeaders(r);
    assert.equal(r.json.child_id, childId);
    assert.equal(r.json.next_cursor, null);
    assert.equal(r.json.events.length, 25);
    assert.deepEqual(r.json.events.map((e) => e.id), expectedOrder());
    for (const e of r.json.events) {
      const mine = created.find((c) => c.id === e.id);
      assert.ok(mine);
      assert.equal(e.kind, mine.kind);
      assert.equal(typeof e.kind_label, 'string');
      assert.ok(e.kind_label.length > 0);
      assert.equal(e.occurred_at, mine.occurred_at);
      assert.equal(typeof e.recorded_at, 'string');
      assert.equal(e.agency, mine.agency);
      assert.equal(e.summary, `chronology entry ${mine.n}`);
      assert.deepEqual(e.details, { n: mine.n, tag: 'chron' });
    }
  });

  test('paging with limit=7 returns every event exactly once, in order, then next_cursor null', async () => {
    const { events, pages } = await allChronology(url, worker, childId, 7);
    assert.deepEqual(pages, [7, 7, 7, 4]);
    const ids = events.map((e) => e.id);
    assert.equal(new Set(ids).size, 25);
    assert.deepEqual(ids, expectedOrder());
  });

  test('paging with limit=5 (page ends exactly on the last event) and limit=1', async () => {
    const five = await allChronology(url, worker, childId, 5);
    assert.equal(five.events.length, 25);
    assert.ok(five.pages.every((p) => p <= 5) && five.pages.slice(0, 5).every((p) => p === 5), five.pages.join());
    assert.deepEqual(five.events.map((e) => e.id), expectedOrder());
    const one = await allChronology(url, worker, childId, 1);
    assert.deepEqual(one.events.map((e) => e.id), expectedOrder());
  });

  test('limit outside 1..500 or not a number is 400 field limit; a bad cursor is 400 field cursor', async () => {
    const audits = auditEntries(area.db);
    for (const q of ['limit=0', 'limit=501', 'limit=abc', 'limit=-1', 'limit=', 'limit=7.5']) {
      const r = await getChronology(url, worker, childId, q);
      assert.equal(r.status, 400, `${q}: ${r.text}`);
      assert.equal(r.json.error.field, 'limit', q);
    }
    for (const q of ['cursor=garbage', 'cursor=2024-01-01T00:00:00Z_x', 'cursor=', 'cursor=2024-13-45T00:00:00Z_5']) {
      const r = await getChronology(url, worker, childId, q);
      assert.equal(r.status, 400, `${q}: ${r.text}`);
      assert.equal(r.json.error.field, 'cursor', q);
    }
    assert.equal(auditEntries(area.db), audits, 'refused reads write no audit');
    const ok = await getChronology(url, worker, childId, 'limit=500');
    assert.equal(ok.status, 200);
    assert.equal(ok.json.events.length, 25);
  });
});

describe('audit', () => {
  test('one event.create row per write, one child.read / chronology.read row per read, with the child', async () => {
    const n = nhs.next().value;
    const a = await create(tok.police, event({ source_ref: 'AUDIT-1' }, { nhs_number: n, given_name: 'Audra' }));
    assert.equal(auditCount('event.create', a.child_id), 1);
    assert.equal(auditRows(area.db, { action: 'event.create', child: a.child_id }).reverse().map((e) => e.object).join('\n'), `event:${a.id}`);
    await create(tok.health, event({ source_ref: 'AUDIT-2' }, { nhs_number: n, given_name: 'Audra' }));
    assert.equal(auditCount('event.create', a.child_id), 2);

    const reads0 = auditCount('child.read', a.child_id);
    const chron0 = auditCount('chronology.read', a.child_id);
    assert.equal(reads0, 0);
    assert.equal(chron0, 0);
    for (let i = 1; i <= 3; i++) {
      const r = await getChild(url, tok.police, a.child_id);
      assert.equal(r.status, 200);
      assert.equal(auditCount('child.read', a.child_id), i);
    }
    for (let i = 1; i <= 2; i++) {
      const r = await getChronology(url, tok.police, a.child_id);
      assert.equal(r.status, 200);
      assert.equal(auditCount('chronology.read', a.child_id), i);
    }
    assert.equal(auditCount('child.read', a.child_id), 3, 'chronology reads are not child reads');
    // A token's read names the token: its number, label and who made it (issue 14), then the basis.
    const detail = lastAudit(area.db, { action: 'child.read', child: a.child_id })?.detail ?? '';
    assert.match(detail, /^token \d+ 'e2e police' made by cli; own agency's records$/);
    // Every row says who acted and when.
    const rows = auditRows(area.db, { child: a.child_id }).reverse().map((e) => `${e.actor}|${e.at}`);
    assert.equal(rows.length, 7);
    for (const row of rows) {
      const [actor, at] = row.split('|');
      assert.ok(actor.length > 0, row);
      assert.match(at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/, row);
    }
  });
});

describe('routing', () => {
  test('unknown API paths answer 404 JSON', async () => {
    for (const path of ['/api/v1', '/api/v1/eventsx', '/api/v2/events', '/api/v1/children/1/other']) {
      const r = await request(`${url}${path}`, { token: tok.police });
      assert.equal(r.status, 404, `${path}: ${r.text}`);
      assert.match(r.headers.get('content-type'), /^application\/json/);
      assert.equal(r.json.error.code, 'not_found', path);
      assertSecurityHeaders(r);
    }
  });

  test('the pages need sign-in: a page sends the browser to /sign-in and comes back; a form is refused', async () => {
    for (const path of ['/', '/children/1', '/alerts']) {
      const r = await request(`${url}${path}`);
      assert.equal(r.status, 303, `${path}: ${r.text.slice(0, 200)}`);
      assert.equal(r.headers.get('location'), `/sign-in?next=${path}`);
    }
    const form = await request(`${url}/children/1/concerns`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'summary=x',
    });
    assert.equal(form.status, 403);
    assert.match(form.text, /Your session has ended/);
    assert.doesNotMatch(form.text, /Multi-agency chronology/);
    const nope = await request(`${url}/nope`);
    assert.equal(nope.status, 404);
    assert.match(nope.headers.get('content-type'), /^text\/html/);
    const signIn = await request(`${url}/sign-in`);
    assert.equal(signIn.status, 200);
    assert.match(signIn.text, /name="csrf_token"/);
    assert.match(signIn.headers.get('set-cookie'), /^sg_presession=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict/);
  });

  test('a wrong method on a known path answers 405 with an Allow header', async () => {
    const cases = [
      ['GET', '/api/v1/events', 'POST'],
      ['PUT', '/api/v1/events', 'POST'],
      ['DELETE', '/api/v1/children/1', 'GET'],
      ['POST', '/api/v1/children/1/chronology', 'GET'],
      ['POST', '/healthz', 'GET'],
      ['DELETE', '/metrics', 'GET'],
    ];
    const before1 = rowCounts(area.db);
    for (const [method, path, allowed] of cases) {
      const r = await request(`${url}${path}`, { method, token: tok.police });
      assert.equal(r.status, 405, `${method} ${path}: ${r.text}`);
      const allow = r.headers.get('allow');
      assert.ok(allow, `${method} ${path} has an Allow header`);
      assert.ok(allow.split(/,\s*/).includes(allowed), `${method} ${path}: Allow ${allow}`);
      assertSecurityHeaders(r);
    }
    assert.deepEqual(rowCounts(area.db), before1);
  });
});
