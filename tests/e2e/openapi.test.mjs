// docs/openapi.json: a valid OpenAPI 3.0.3 document (@apidevtools/swagger-parser), the one the binary serves at
// /openapi.json, and true of the server: real answers of a running server (successes and 4xx errors) are
// checked against the response schemas the document gives for their path, method and status (ajv).
//
// The check is stricter than the document on one point: an object schema that lists its properties is taken
// as closed (no additionalProperties unless it says so), so a field the server sends but the document does
// not describe fails here, and the document cannot quietly fall behind the code.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import SwaggerParser from '@apidevtools/swagger-parser';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import {
  addPerson, dbUrl, event, freshArea, nhsNumbers, now, postEvent, removeDir, request, runCli, sqlWrite, startServer,
  totp,
} from './lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const DOC_PATH = path.resolve(here, '../../docs/openapi.json');
const DOC_TEXT = fs.readFileSync(DOC_PATH, 'utf8');
const PASSWORD = 'the document says what the server does';

// ---- the document as JSON Schema ----

/**
 * An OpenAPI 3.0 schema object (dereferenced) as JSON Schema (draft 7, what ajv reads by default):
 * `nullable: true` admits null (in the type, in an enum, or around an allOf: 3.0's nullable $ref), a boolean
 * exclusiveMinimum/Maximum (3.0 took it from draft 4) becomes the number form, OpenAPI-only annotations go,
 * and objects with properties are closed (see the top of the file). Written here because the converters on
 * npm are for 3.1 or do not close objects.
 */
function toJsonSchema(schema) {
  if (Array.isArray(schema)) return schema.map(toJsonSchema);
  if (!schema || typeof schema !== 'object') return schema;
  const s = flattenAllOf(schema);
  let out = {};
  for (const [k, v] of Object.entries(s)) {
    if (['nullable', 'example', 'xml', 'externalDocs', 'discriminator', 'deprecated'].includes(k)) continue;
    if (k === 'properties') out[k] = Object.fromEntries(Object.entries(v).map(([n, p]) => [n, toJsonSchema(p)]));
    else out[k] = toJsonSchema(v);
  }
  if (s.exclusiveMinimum === true) { out.exclusiveMinimum = s.minimum; delete out.minimum; }
  if (s.exclusiveMaximum === true) { out.exclusiveMaximum = s.maximum; delete out.maximum; }
  if (s.exclusiveMinimum === false) delete out.exclusiveMinimum;
  if (s.exclusiveMaximum === false) delete out.exclusiveMaximum;
  if (s.properties && !('additionalProperties' in s)) out.additionalProperties = false;
  if (s.nullable === true) {
    if (out.enum && !out.enum.includes(null)) out.enum = [...out.enum, null];
    if (out.type) out.type = [out.type, 'null'];
    else if (!out.enum) out = { anyOf: [out, { type: 'null' }] };
  }
  return out;
}

/**
 * An allOf of object schemas (the document's way to extend one: LinkReview is LinkReviewSummary and more) as
 * one object schema, so that closing it admits the properties of every part.
 */
function flattenAllOf(s) {
  if (!s.allOf) return s;
  const parts = s.allOf.map(flattenAllOf);
  if (!parts.every((p) => p.properties && !p.allOf && !p.anyOf && !p.oneOf)) return s;
  const { allOf, ...rest } = s;
  const required = [...new Set(parts.flatMap((p) => p.required || []))];
  return {
    type: 'object', ...rest, properties: Object.assign({}, ...parts.map((p) => p.properties)),
    ...(required.length ? { required } : {}),
  };
}

const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false });
addFormats(ajv);
ajv.addFormat('binary', true); // a file's bytes: nothing to check in JSON

let api; // the document, dereferenced
let area;
let server;
const sessions = {}; // username -> session token
const checked = new Set(); // "METHOD PATH STATUS" answered and checked

/**
 * Asserts that an answer is one the document describes: the path and method are in it, the status is one of
 * the operation's responses, and a JSON body matches that response's schema.
 */
function conforms(method, template, res) {
  const op = api.paths[template]?.[method.toLowerCase()];
  assert.ok(op, `${method} ${template} is not in the document`);
  const response = op.responses[String(res.status)] ?? op.responses.default;
  assert.ok(response, `${method} ${template} answered ${res.status}, which the document does not list: ${res.text}`);
  const media = response.content?.['application/json'];
  assert.ok(media, `${method} ${template} ${res.status}: the document gives no application/json body`);
  assert.match(res.headers.get('content-type') || '', /^application\/json/);
  assert.notEqual(res.json, undefined, `${method} ${template} ${res.status}: the body is not JSON: ${res.text}`);
  const validate = ajv.compile(toJsonSchema(media.schema));
  const errors = () => validate.errors.map((e) => `body${e.instancePath} ${e.message}` +
    (e.params.additionalProperty ? `: ${e.params.additionalProperty}` : '') +
    (e.params.allowedValues ? ` (${JSON.stringify(e.params.allowedValues)}, got ${JSON.stringify(
      e.instancePath.split('/').slice(1).reduce((o, k) => o?.[k], res.json))})` : ''));
  if (!validate(res.json)) {
    assert.fail(`${method} ${template} ${res.status} does not match the document:\n  ` +
      `${[...new Set(errors())].join('\n  ')}\n${res.text.slice(0, 2000)}`);
  }
  checked.add(`${method} ${template} ${res.status}`);
}

function call(method, pathname, { token, body, contentType = 'application/json' } = {}) {
  const headers = body === undefined ? {} : { 'content-type': contentType };
  return request(`${server.url}${pathname}`, {
    method, token, headers, body: body === undefined || typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** An occurred_at an hour ago, to the second, as intake takes it (never in the future, on any day). */
function anHourAgo() {
  return `${new Date(now() - 3600 * 1000).toISOString().slice(0, 19)}Z`;
}

const nhs = nhsNumbers(720000000);
let ref = 0;
function kid(over = {}) {
  return { given_name: 'Doc', family_name: `Schema${++ref}`, nhs_number: nhs.next().value, ...over };
}

before(async () => {
  api = await SwaggerParser.dereference(structuredClone(JSON.parse(DOC_TEXT)));
  area = freshArea('openapi');
  const secrets = {};
  // A small register of homes (gen homes, imported) for the oversight runs' answers.
  const gen = path.join(area.dir, 'gen');
  runCli(['gen', 'homes', '--out', gen, '--homes', '40', '--months', '12', '--seed', '5', '--harmful-pct', '10']);
  runCli(['homes', 'import', '--db', dbUrl(area.db), '--dir', gen]);
  for (const [name, agency, role] of [['sam.worker', 'social_care', 'social_worker'],
    ['ola.analyst', 'social_care', 'oversight_analyst']]) {
    secrets[name] = addPerson(area.db, name, agency, role, PASSWORD);
  }
  server = await startServer(area.db);
  for (const [name, secret] of Object.entries(secrets)) {
    const r = await call('POST', '/api/v1/sessions', { body: { username: name, password: PASSWORD, totp: totp(secret) } });
    assert.equal(r.status, 201, r.text);
    conforms('POST', '/api/v1/sessions', r);
    sessions[name] = r.json.token;
  }
});

after(async () => {
  try {
    if (server) await server.stop();
  } finally {
    removeDir(area?.dir);
  }
});

describe('the document', () => {
  test('docs/openapi.json is a valid OpenAPI 3.0.3 document', async () => {
    const doc = JSON.parse(DOC_TEXT);
    assert.equal(doc.openapi, '3.0.3');
    await SwaggerParser.validate(doc); // throws, naming every place that is wrong
  });

  test('every response schema compiles as JSON Schema', () => {
    let n = 0;
    for (const [p, item] of Object.entries(api.paths)) {
      for (const [method, op] of Object.entries(item)) {
        for (const [status, r] of Object.entries(op.responses || {})) {
          const media = r.content?.['application/json'];
          if (!media) continue;
          assert.doesNotThrow(() => ajv.compile(toJsonSchema(media.schema)), `${method} ${p} ${status}`);
          n++;
        }
      }
    }
    assert.ok(n > 50, `${n} response schemas`);
  });

  test('the binary serves the document it was built from, byte for byte', async () => {
    const r = await request(`${server.url}/openapi.json`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^application\/json/);
    assert.equal(r.text, DOC_TEXT, 'GET /openapi.json differs from docs/openapi.json: rebuild (make)');
  });
});

describe('real answers match the document', () => {
  let child;

  test('POST /api/v1/events: created, replayed, and refused', async () => {
    const body = event({ source_ref: 'OA-1', occurred_at: anHourAgo() }, kid());
    let r = await postEvent(server.url, area.tokens.police, body);
    assert.equal(r.status, 201, r.text);
    conforms('POST', '/api/v1/events', r);
    child = r.json.child_id;

    r = await postEvent(server.url, area.tokens.police, body); // the same record again: a replay
    assert.equal(r.status, 200, r.text);
    conforms('POST', '/api/v1/events', r);

    r = await postEvent(server.url, area.tokens.police, { ...body, source_ref: 'OA-2', kind: undefined });
    assert.equal(r.status, 400, r.text);
    assert.equal(r.json.error.field, 'kind');
    conforms('POST', '/api/v1/events', r);

    r = await postEvent(server.url, null, body);
    assert.equal(r.status, 401, r.text);
    conforms('POST', '/api/v1/events', r);

    r = await postEvent(server.url, area.tokens.police, 'kind=concern', { contentType: 'text/plain' });
    assert.equal(r.status, 415, r.text);
    conforms('POST', '/api/v1/events', r);
  });

  test('GET /api/v1/children/{child_id} and its chronology', async () => {
    assert.ok(child, 'the event test ran first');
    // An agency's system reads a child its agency sent records about (records:read): the police sent this one.
    let r = await call('GET', `/api/v1/children/${child}`, { token: area.tokens.police });
    assert.equal(r.status, 200, r.text);
    conforms('GET', '/api/v1/children/{child_id}', r);

    r = await call('GET', '/api/v1/children/987654321', { token: area.tokens.social_care });
    assert.equal(r.status, 404, r.text);
    conforms('GET', '/api/v1/children/{child_id}', r);

    r = await call('GET', `/api/v1/children/${child}/chronology?limit=1`, { token: area.tokens.police });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.events.length, 1);
    conforms('GET', '/api/v1/children/{child_id}/chronology', r);

    r = await call('GET', `/api/v1/children/${child}/chronology?limit=nine`, { token: area.tokens.police });
    assert.equal(r.status, 400, r.text);
    conforms('GET', '/api/v1/children/{child_id}/chronology', r);
  });

  test('GET /api/v1/alerts, one alert, acknowledge and resolve', async () => {
    // A DASH risk assessment of 14 or more raises DASH_HIGH_RISK on its own day (docs/RULES.md): no due date.
    const subject = kid();
    let r = await postEvent(server.url, area.tokens.police, event({
      source_ref: 'OA-DASH', kind: 'dash_assessment', occurred_at: anHourAgo(), details: { score: 20 },
    }, subject));
    assert.equal(r.status, 201, r.text);
    const alertChild = r.json.child_id;

    r = await call('GET', `/api/v1/alerts?child=${alertChild}&state=all`, { token: area.tokens.social_care });
    assert.equal(r.status, 200, r.text);
    conforms('GET', '/api/v1/alerts', r);
    const alert = r.json.alerts.find((a) => a.code === 'DASH_HIGH_RISK');
    assert.ok(alert, `a DASH_HIGH_RISK alert in ${r.text}`);
    assert.equal(alert.due, null);

    r = await call('GET', '/api/v1/alerts?limit=0', { token: area.tokens.social_care });
    assert.equal(r.status, 400, r.text);
    conforms('GET', '/api/v1/alerts', r);

    r = await call('GET', `/api/v1/alerts/${alert.id}`, { token: area.tokens.social_care });
    assert.equal(r.status, 200, r.text);
    conforms('GET', '/api/v1/alerts/{alert_id}', r);

    r = await call('POST', `/api/v1/alerts/${alert.id}/acknowledge`, { token: area.tokens.social_care, body: { by: 'j.doe' } });
    assert.equal(r.status, 200, r.text);
    conforms('POST', '/api/v1/alerts/{alert_id}/acknowledge', r);

    r = await call('POST', `/api/v1/alerts/${alert.id}/acknowledge`, { token: area.tokens.social_care, body: {} });
    assert.equal(r.status, 409, r.text);
    conforms('POST', '/api/v1/alerts/{alert_id}/acknowledge', r);

    r = await call('POST', `/api/v1/alerts/${alert.id}/resolve`, { token: area.tokens.social_care, body: { outcome: 'seen and safe' } });
    assert.equal(r.status, 200, r.text);
    conforms('POST', '/api/v1/alerts/{alert_id}/resolve', r);

    r = await call('GET', `/api/v1/alerts/${alert.id}`, { token: area.tokens.social_care });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.state, 'resolved');
    conforms('GET', '/api/v1/alerts/{alert_id}', r);
  });

  test('GET /api/v1/flags: not flagged, flagged, refused', async () => {
    const plain = kid();
    let r = await postEvent(server.url, area.tokens.education, event({ source_ref: 'OA-F1', occurred_at: anHourAgo() }, plain));
    assert.equal(r.status, 201, r.text);
    r = await call('GET', `/api/v1/flags?nhs_number=${plain.nhs_number}`, { token: area.tokens.health });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.flagged, false);
    conforms('GET', '/api/v1/flags', r);

    const planned = kid();
    r = await postEvent(server.url, area.tokens.social_care, event({
      source_ref: 'OA-F2', kind: 'cp_plan_start', occurred_at: anHourAgo(), details: { category: 'neglect' },
    }, planned));
    assert.equal(r.status, 201, r.text);
    r = await call('GET', `/api/v1/flags?nhs_number=${planned.nhs_number}&setting=emergency%20department`,
      { token: area.tokens.health });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.flagged, true);
    assert.notEqual(r.json.child_protection_plan, null);
    conforms('GET', '/api/v1/flags', r);

    r = await call('GET', '/api/v1/flags?nhs_number=1234567890', { token: area.tokens.health });
    assert.equal(r.status, 422, r.text);
    conforms('GET', '/api/v1/flags', r);

    r = await call('GET', `/api/v1/flags?nhs_number=${plain.nhs_number}`, { token: area.tokens.police });
    assert.equal(r.status, 403, r.text);
    conforms('GET', '/api/v1/flags', r);
  });

  test('GET /api/v1/link-reviews and one review', async () => {
    // A record as likely as not about a known child (a day out on the date of birth, another address) waits
    // for a person (docs/LINKAGE.md): the same pair as tests/e2e/link_review.test.mjs.
    const known = { given_name: 'Amira', family_name: 'Khan', dob: '2016-05-03', nhs_number: '', upn: '' };
    let r = await postEvent(server.url, area.tokens.education,
      event({ source_ref: 'OA-L1', kind: 'school_absence', occurred_at: anHourAgo() }, known));
    assert.equal(r.status, 201, r.text);
    r = await postEvent(server.url, area.tokens.police, event({ source_ref: 'OA-L2', occurred_at: anHourAgo() },
      { ...known, dob: '2016-05-04', postcode: 'LS7 1AA', address: '3 Other Road' }));
    assert.equal(r.status, 201, r.text);

    r = await call('GET', '/api/v1/link-reviews', { token: sessions['sam.worker'] });
    assert.equal(r.status, 200, r.text);
    assert.ok(r.json.reviews.length >= 1, r.text);
    conforms('GET', '/api/v1/link-reviews', r);

    const id = r.json.reviews[0].id;
    r = await call('GET', `/api/v1/link-reviews/${id}`, { token: sessions['sam.worker'] });
    assert.equal(r.status, 200, r.text);
    conforms('GET', '/api/v1/link-reviews/{review_id}', r);

    r = await call('GET', `/api/v1/link-reviews/${id}`, { token: area.tokens.police });
    assert.equal(r.status, 403, r.text);
    conforms('GET', '/api/v1/link-reviews/{review_id}', r);

    r = await call('POST', `/api/v1/link-reviews/${id}/decision`, { token: sessions['sam.worker'], body: { decision: 'maybe' } });
    assert.equal(r.status, 400, r.text);
    conforms('POST', '/api/v1/link-reviews/{review_id}/decision', r);
  });

  test('POST /api/v1/oversight/runs and GET one run: its limit\'s fields, and null for a run stored before them', async () => {
    const token = sessions['ola.analyst'];
    let r = await call('POST', '/api/v1/oversight/runs', { token, body: { false_alarm_confidence: 0.9 } });
    assert.equal(r.status, 201, r.text);
    conforms('POST', '/api/v1/oversight/runs', r);
    const id = r.json.run_id;
    r = await call('GET', `/api/v1/oversight/runs/${id}`, { token });
    assert.equal(r.status, 200, r.text);
    conforms('GET', '/api/v1/oversight/runs/{run_id}', r);
    sqlWrite(area.db, `UPDATE oversight_run SET budget_confidence = NULL, simulated_rate = NULL WHERE id = ${id}`);
    r = await call('GET', `/api/v1/oversight/runs/${id}`, { token });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.false_alarm_confidence, null, r.text);
    conforms('GET', '/api/v1/oversight/runs/{run_id}', r);
    r = await call('POST', '/api/v1/oversight/runs', { token, body: { false_alarm_confidence: 0.999999999 } });
    assert.equal(r.status, 400, r.text);
    assert.equal(r.json.error.field, 'false_alarm_confidence');
    conforms('POST', '/api/v1/oversight/runs', r);
    r = await call('GET', '/api/v1/oversight/runs/999999', { token });
    assert.equal(r.status, 404, r.text);
    conforms('GET', '/api/v1/oversight/runs/{run_id}', r);
  });

  test('POST /api/v1/sessions refused, and GET /healthz', async () => {
    let r = await call('POST', '/api/v1/sessions', { body: { username: 'sam.worker', password: 'not the password', totp: '000000' } });
    assert.equal(r.status, 401, r.text);
    conforms('POST', '/api/v1/sessions', r);

    r = await call('GET', '/healthz');
    assert.equal(r.status, 200, r.text);
    conforms('GET', '/healthz', r);
  });

  test('the answers checked cover the operations named in the brief', () => {
    for (const k of ['POST /api/v1/events 201', 'GET /api/v1/children/{child_id} 200',
      'GET /api/v1/children/{child_id}/chronology 200', 'GET /api/v1/alerts 200', 'GET /api/v1/flags 200',
      'GET /api/v1/link-reviews 200', 'POST /api/v1/events 400', 'POST /api/v1/oversight/runs 201',
      'GET /api/v1/oversight/runs/{run_id} 200']) {
      assert.ok(checked.has(k), `${k} was not checked (checked: ${[...checked].join(', ')})`);
    }
  });
});
