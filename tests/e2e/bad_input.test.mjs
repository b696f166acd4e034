// A table of refused requests: each answers its status, error.code and error.field, and nothing is written.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  auditRows,
  event, freshArea, nhsNumber, now, postEvent, rawPost, removeDir, request, sql, startServer, subject, rowCount, rowCounts,
} from './lib.mjs';

let area;
let server;
let url;
let tok;
let childId;

before(async () => {
  area = freshArea('bad-input');
  tok = area.tokens;
  server = await startServer(area.db);
  url = server.url;
  // One real child, so that refused reads of it are refused for their own reason, not a 404.
  const r = await postEvent(url, tok.police, event({ source_ref: 'BASE-1' }));
  assert.equal(r.status, 201, r.text);
  childId = r.json.child_id;
});

after(async () => {
  try {
    if (server) await server.stop();
  } finally {
    removeDir(area?.dir);
  }
});

const isoDate = (d) => d.toISOString().slice(0, 10);
const inDays = (n) => new Date(now() + n * 86400000);
const without = (obj, key) => { const o = { ...obj }; delete o[key]; return o; };
const withSubject = (over) => event({}, over);
const valid = JSON.stringify(event());

// [name, request, status, code, field]; request: {body, contentType, auth, method, path}
const POST_CASES = [
  // authentication
  ['no Authorization header', { body: event(), auth: null }, 401, 'unauthenticated', 'Authorization'],
  ['Authorization not Bearer', { body: event(), auth: 'Basic cG9saWNlOnNlY3JldA==' }, 401, 'unauthenticated', 'Authorization'],
  ['Bearer with no token', { body: event(), auth: 'Bearer ' }, 401, 'unauthenticated', 'Authorization'],
  ['unknown token of the right shape', { body: event(), auth: `Bearer sgt_${'A'.repeat(43)}` }, 401, 'invalid_token', 'Authorization'],
  ['garbage token', { body: event(), auth: 'Bearer not-a-token' }, 401, 'invalid_token', 'Authorization'],
  // content type
  ['no Content-Type', { body: valid, contentType: null }, 415, 'unsupported_media_type', 'Content-Type'],
  ['text/plain', { body: valid, contentType: 'text/plain' }, 415, 'unsupported_media_type', 'Content-Type'],
  ['application/jsonx', { body: valid, contentType: 'application/jsonx' }, 415, 'unsupported_media_type', 'Content-Type'],
  ['form encoded', { body: valid, contentType: 'application/x-www-form-urlencoded' }, 415, 'unsupported_media_type', 'Content-Type'],
  // JSON shape
  ['not JSON', { body: 'this is not json' }, 400, 'invalid_json', null],
  ['truncated JSON', { body: valid.slice(0, -1) }, 400, 'invalid_json', null],
  ['empty body', { body: '' }, 400, 'invalid_json', null],
  ['invalid UTF-8', { body: Buffer.concat([Buffer.from('{"source_ref":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]) }, 400, 'invalid_json', null],
  ['duplicate keys', { body: `{"source_ref":"DUP-1",${valid.slice(1)}` }, 400, 'invalid_json', null],
  ['duplicate subject keys', { body: valid.replace('"given_name":"Amira"', '"given_name":"Amira","given_name":"Amy"') }, 400, 'invalid_json', null],
  ['an array', { body: '[]' }, 400, 'wrong_type', null],
  ['an array of the event', { body: `[${valid}]` }, 400, 'wrong_type', null],
  ['a number', { body: '42' }, 400, 'wrong_type', null],
  ['a string', { body: '"event"' }, 400, 'wrong_type', null],
  ['null', { body: 'null' }, 400, 'wrong_type', null],
  // unknown keys
  ['misspelt occurred_at', { body: { ...without(event(), 'occurred_at'), occured_at: '2025-03-04T10:15:00Z' } }, 400, 'unknown_field', 'occured_at'],
  ['extra top-level key', { body: { ...event(), child_id: 5 } }, 400, 'unknown_field', 'child_id'],
  ['unknown subject key', { body: withSubject({ nhs: '9434765919' }) }, 400, 'unknown_field', 'subject.nhs'],
  // required fields: missing, null, blank
  ...['source_ref', 'kind', 'occurred_at', 'summary', 'subject'].flatMap((f) => [
    [`missing ${f}`, { body: without(event(), f) }, 400, 'missing_field', f],
    [`null ${f}`, { body: { ...event(), [f]: null } }, 400, 'missing_field', f],
    ...(f === 'subject' ? [] : [[`blank ${f}`, { body: { ...event(), [f]: '   ' } }, 400, 'missing_field', f]]),
  ]),
  ['empty source_ref', { body: event({ source_ref: '' }) }, 400, 'missing_field', 'source_ref'],
  // wrong types
  ['source_ref a number', { body: event({ source_ref: 5 }) }, 400, 'wrong_type', 'source_ref'],
  ['summary an object', { body: event({ summary: { text: 'x' } }) }, 400, 'wrong_type', 'summary'],
  ['kind an array', { body: event({ kind: ['concern'] }) }, 400, 'wrong_type', 'kind'],
  ['occurred_at a number', { body: event({ occurred_at: 1741083300 }) }, 400, 'wrong_type', 'occurred_at'],
  ['subject a string', { body: event({ subject: 'Amira Khan' }) }, 400, 'wrong_type', 'subject'],
  ['subject.given_name a number', { body: withSubject({ given_name: 7 }) }, 400, 'wrong_type', 'subject.given_name'],
  ['subject.nhs_number a number', { body: withSubject({ nhs_number: 9434765919 }) }, 400, 'wrong_type', 'subject.nhs_number'],
  ['subject.dob an object', { body: withSubject({ dob: { y: 2016 } }) }, 400, 'wrong_type', 'subject.dob'],
  ['details an array', { body: event({ details: [] }) }, 400, 'wrong_type', 'details'],
  ['details a string', { body: event({ details: 'none' }) }, 400, 'wrong_type', 'details'],
  ['details a number', { body: event({ details: 3 }) }, 400, 'wrong_type', 'details'],
  // r-review40: nested past what SQLite's JSON reads (2,000 levels), every list reading its category failed
  ['details nested 2,010 levels', { body: event({ details: { x: JSON.parse('['.repeat(2009) + ']'.repeat(2009)) } }) }, 400, 'too_deep', 'details'],
  ['details nested 65 levels', { body: event({ details: { x: JSON.parse('['.repeat(64) + ']'.repeat(64)) } }) }, 400, 'too_deep', 'details'],
  // who the record is about
  ['no family_name, no identifiers', { body: withSubject({ family_name: '', nhs_number: '', upn: '' }) }, 400, 'missing_field', 'subject.family_name'],
  ['family_name missing, no identifiers', { body: { ...event(), subject: { ...without(subject(), 'family_name'), nhs_number: '' } } }, 400, 'missing_field', 'subject.family_name'],
  // kind
  ['unknown kind', { body: event({ kind: 'party' }) }, 422, 'unknown_kind', 'kind'],
  // occurred_at
  ['occurred_at UK style', { body: event({ occurred_at: '04/03/2025 10:15' }) }, 400, 'invalid_format', 'occurred_at'],
  ['occurred_at a date only', { body: event({ occurred_at: '2025-03-04' }) }, 400, 'invalid_format', 'occurred_at'],
  ['occurred_at without a zone', { body: event({ occurred_at: '2025-03-04T10:15:00' }) }, 400, 'invalid_format', 'occurred_at'],
  ['occurred_at 30 February', { body: event({ occurred_at: '2025-02-30T10:00:00Z' }) }, 422, 'impossible_date', 'occurred_at'],
  ['occurred_at three days ahead', { body: event({ occurred_at: `${isoDate(inDays(3))}T10:00:00Z` }) }, 422, 'future_date', 'occurred_at'],
  ['occurred_at next year', { body: event({ occurred_at: `${inDays(400).getUTCFullYear()}-01-01T00:00:00Z` }) }, 422, 'future_date', 'occurred_at'],
  // dob
  ['dob UK style', { body: withSubject({ dob: '03/05/2016' }) }, 400, 'invalid_format', 'subject.dob'],
  ['dob with a time', { body: withSubject({ dob: '2016-05-03T00:00:00Z' }) }, 400, 'invalid_format', 'subject.dob'],
  ['dob 30 February', { body: withSubject({ dob: '2025-02-30' }) }, 422, 'impossible_date', 'subject.dob'],
  ['dob in the future', { body: withSubject({ dob: isoDate(inDays(5)) }) }, 422, 'future_date', 'subject.dob'],
  // identifiers
  ['NHS number wrong check digit', { body: withSubject({ nhs_number: '9434765918' }) }, 422, 'check_digit', 'subject.nhs_number'],
  ['NHS number 9 digits', { body: withSubject({ nhs_number: '943476591' }) }, 422, 'invalid_format', 'subject.nhs_number'],
  ['NHS number 11 digits', { body: withSubject({ nhs_number: '94347659190' }) }, 422, 'invalid_format', 'subject.nhs_number'],
  ['NHS number letters', { body: withSubject({ nhs_number: '94347659AB' }) }, 422, 'invalid_format', 'subject.nhs_number'],
  ['UPN wrong check letter', { body: withSubject({ nhs_number: '', upn: 'A801200005001' }) }, 422, 'check_digit', 'subject.upn'],
  ['UPN another wrong check letter', { body: withSubject({ nhs_number: '', upn: 'C801200005001' }) }, 422, 'check_digit', 'subject.upn'],
  // postcode and sex
  ['postcode not UK', { body: withSubject({ postcode: '90210' }) }, 422, 'invalid_postcode', 'subject.postcode'],
  ['postcode nonsense', { body: withSubject({ postcode: 'XYZ' }) }, 422, 'invalid_postcode', 'subject.postcode'],
  ['sex X', { body: withSubject({ sex: 'X' }) }, 422, 'invalid_value', 'subject.sex'],
  ['sex lower case', { body: withSubject({ sex: 'f' }) }, 422, 'invalid_value', 'subject.sex'],
  ['sex spelt out', { body: withSubject({ sex: 'female' }) }, 422, 'invalid_value', 'subject.sex'],
  // characters and lengths
  ['control character in a name', { body: withSubject({ given_name: 'Am\u0001ira' }) }, 400, 'invalid_characters', 'subject.given_name'],
  ['newline in source_ref', { body: event({ source_ref: 'PN-1\nPN-2' }) }, 400, 'invalid_characters', 'source_ref'],
  ['tab in family_name', { body: withSubject({ family_name: 'Kh\tan' }) }, 400, 'invalid_characters', 'subject.family_name'],
  ['bell in summary', { body: event({ summary: 'a\u0007b' }) }, 400, 'invalid_characters', 'summary'],
  ['summary of 2001 characters', { body: event({ summary: 'x'.repeat(2001) }) }, 400, 'too_long', 'summary'],
  ['summary of 2001 accented characters', { body: event({ summary: 'é'.repeat(2001) }) }, 400, 'too_long', 'summary'],
  ['given_name of 101 characters', { body: withSubject({ given_name: 'a'.repeat(101) }) }, 400, 'too_long', 'subject.given_name'],
  ['family_name of 101 characters', { body: withSubject({ family_name: 'ß'.repeat(101) }) }, 400, 'too_long', 'subject.family_name'],
  ['middle_names of 101 characters', { body: withSubject({ middle_names: 'm'.repeat(101) }) }, 400, 'too_long', 'subject.middle_names'],
  // a retry of BASE-1 with other content is a conflict (nothing written)
  ['source_ref reused with other content', { body: event({ source_ref: 'BASE-1', summary: 'changed' }) }, 409, 'source_ref_conflict', 'source_ref'],
];

const GET_CASES = [
  ['child read without a token', { method: 'GET', path: () => `/api/v1/children/${childId}`, auth: null }, 401, 'unauthenticated', 'Authorization'],
  ['child read with an unknown token', { method: 'GET', path: () => `/api/v1/children/${childId}`, auth: `Bearer sgt_${'b'.repeat(43)}` }, 401, 'invalid_token', 'Authorization'],
  ['chronology without a token', { method: 'GET', path: () => `/api/v1/children/${childId}/chronology`, auth: null }, 401, 'unauthenticated', 'Authorization'],
  ['chronology with a lower-case bearer of a bad token', { method: 'GET', path: () => `/api/v1/children/${childId}/chronology`, auth: 'bearer nope' }, 401, 'invalid_token', 'Authorization'],
  ['chronology limit 0', { method: 'GET', path: () => `/api/v1/children/${childId}/chronology?limit=0` }, 400, 'invalid_value', 'limit'],
  ['chronology bad cursor', { method: 'GET', path: () => `/api/v1/children/${childId}/chronology?cursor=zzz` }, 400, 'invalid_value', 'cursor'],
  ['unknown child', { method: 'GET', path: () => '/api/v1/children/987654321' }, 404, 'not_found', 'child_id'],
];

async function send(req) {
  const headers = {};
  if (req.auth === undefined) headers.Authorization = `Bearer ${tok.police}`;
  else if (req.auth !== null) headers.Authorization = req.auth;
  if (req.method === 'GET') {
    const res = await fetch(`${url}${req.path()}`, { headers });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, json: JSON.parse(text) };
  }
  return postEvent(url, null, req.body, {
    contentType: req.contentType === undefined ? 'application/json' : req.contentType, headers,
  });
}

const TABLES = ['event', 'source_record', 'person', 'audit', 'identifier', 'household', 'household_member'];
let countsBefore;

describe('refused requests', () => {
  before(() => {
    // "Nothing written" is every table's row count, through `safeguard stats` (docs/INTERNALS.md, issue 17).
    countsBefore = rowCounts(area.db, TABLES);
    assert.equal(countsBefore.event, 1);
    assert.ok(POST_CASES.length + GET_CASES.length > 80);
  });

  for (const [name, req, status, code, field] of [...POST_CASES, ...GET_CASES]) {
    test(`${name} -> ${status} ${code} ${field}`, async () => {
      const r = await send(req);
      assert.deepEqual({ status: r.status, code: r.json?.error?.code, field: r.json?.error?.field },
        { status, code, field }, r.text.slice(0, 300));
      assert.equal(typeof r.json.error.message, 'string');
      assert.ok(r.json.error.message.length > 0);
      assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(r.headers.get('cache-control'), 'no-store');
      if (status === 401) assert.match(r.headers.get('www-authenticate') || '', /^Bearer/);
    });
  }
});

test('the refused requests wrote nothing (no event, source record, person ...); only the probe of an unknown child is audited', () => {
  assert.ok(countsBefore, 'the table ran');
  // A read of a well-formed id that holds no child is an attempt the auditor should see: one audit row,
  // attached to no child. Every other refused request writes nothing at all.
  const probes = GET_CASES.filter(([, , status]) => status === 404).length;
  assert.equal(probes, 1);
  assert.deepEqual(rowCounts(area.db, TABLES), { ...countsBefore, audit: countsBefore.audit + probes });
  assert.equal(auditRows(area.db).filter((e) => e.detail === 'no such child' && e.child_id === 0).length, probes);
  assert.ok(server.isAlive());
});

test('a body over 1 MiB is refused 413 body_too_large (declared length and chunked), nothing written', async () => {
  const tables = ['event', 'source_record', 'person', 'audit'];
  const before1 = rowCounts(area.db, tables);
  const big = JSON.stringify(event({ source_ref: 'BIG-1', details: { pad: 'x'.repeat(1024 * 1024 + 10) } }));
  const auth = `Bearer ${tok.police}`;
  const target = `${url}/api/v1/events`;
  const declared = await rawPost(target, { 'Content-Type': 'application/json', Authorization: auth }, big);
  assert.equal(declared.status, 413, declared.text);
  assert.equal(declared.json.error.code, 'body_too_large');
  assert.equal(declared.wentOn, false, 'refused before the body was asked for');
  const chunked = await rawPost(target, { 'Content-Type': 'application/json', Authorization: auth }, big, { chunked: true });
  assert.equal(chunked.status, 413, chunked.text);
  assert.equal(chunked.json.error.code, 'body_too_large');
  assert.deepEqual(rowCounts(area.db, tables), before1);
  // The server still works afterwards.
  const h = await request(`${url}/healthz`);
  assert.equal(h.status, 200);
});

test('the limits themselves are accepted: 2000-character summary, 100-character names, multi-line summary', async () => {
  const before1 = rowCount(area.db, 'event');
  const n = nhsNumber(512345678);
  assert.ok(n);
  const r = await postEvent(url, tok.health, event({
    source_ref: 'LIMITS-1', summary: `${'é'.repeat(1000)}\n\t${'y'.repeat(998)}`,
  }, { given_name: 'g'.repeat(100), family_name: 'Ł'.repeat(100), nhs_number: n, postcode: '', address: '' }));
  assert.equal(r.status, 201, r.text);
  assert.equal(rowCount(area.db, 'event'), before1 + 1);
  const c = await request(`${url}/api/v1/children/${r.json.child_id}/chronology`, { token: tok.health });
  assert.equal(c.status, 200);
  assert.equal(c.json.events.length, 1);
  assert.equal([...c.json.events[0].summary].length, 2000);
  // With only an NHS number (no names at all) a record is still accepted.
  const baby = await postEvent(url, tok.health, event({ source_ref: 'LIMITS-2' },
    { given_name: '', family_name: '', dob: '', nhs_number: nhsNumber(512345679) ?? nhsNumber(512345680), postcode: '', address: '' }));
  assert.equal(baby.status, 201, baby.text);
});
