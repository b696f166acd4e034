// Helpers for the end-to-end suite: the real binary, real HTTP, a real SQLite file.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const BIN = process.env.SAFEGUARD_BIN || path.resolve(here, '../../build/safeguard');
// Conformance suites kept outside the repository (JSONTestSuite): tests that read them skip where absent.
export const SHARED = process.env.SHARED || path.resolve(here, '../../../shared');
export const AGENCIES = ['police', 'health', 'education', 'social_care', 'housing'];
export const TOKEN_RE = /^sgt_[A-Za-z0-9_-]{43}$/;

// Under ASan a slow start is normal; these bound a hang, they are not synchronisation.
const START_TIMEOUT_MS = 30000;
const STOP_TIMEOUT_MS = 30000;

// ---- the clock ----
//
// One clock for the tests and every process they start, as src/clock/now.h reads SAFEGUARD_NOW:
//   - "+N" / "-N": the system clock shifted by N whole seconds;
//   - an RFC 3339 instant: the clock reads that instant now and runs on from there;
//   - unset or "": the system clock.
// An instant is turned into an offset ONCE, here, and SAFEGUARD_NOW is rewritten in the offset form, so that
// the servers and CLIs the tests start (they inherit process.env) agree with this process to the second
// instead of each starting its own clock at the instant. Nothing in tests/ may read Date.now() or new Date()
// for "now": use now(), ukToday(), isoNow().

const OFFSET_MAX_S = 100 * 366 * 86400; // a century either way, as clock_now_set allows
const RFC3339_RE = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/** The clock's offset from the system clock in whole seconds for a SAFEGUARD_NOW spec (throws on a bad one). */
export function clockOffsetSeconds(spec, systemMs = Date.now()) {
  if (spec === undefined || spec === '') return 0;
  const bad = () => new Error(`SAFEGUARD_NOW=${JSON.stringify(spec)}: the clock must be an RFC 3339 instant `
    + '(2027-03-26T09:00:00Z) or an offset in seconds (+86400, -3600), within a century of today');
  let offset;
  if (/^[+-]\d+$/.test(spec)) {
    offset = Number(spec);
  } else {
    const m = RFC3339_RE.exec(spec);
    if (!m) throw bad();
    const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number);
    const t = Date.UTC(y, mo - 1, d, h, mi, s);
    const back = new Date(t);
    if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) throw bad();
    const zone = m[7] ? 0 : (m[8] === '+' ? 1 : -1) * (Number(m[9]) * 3600 + Number(m[10]) * 60);
    offset = t / 1000 - zone - Math.floor(systemMs / 1000); // the fraction is ignored, as in src/core/date.c
  }
  if (!Number.isSafeInteger(offset) || Math.abs(offset) > OFFSET_MAX_S) throw bad();
  return offset;
}

/** The clock's offset from the system clock, in seconds (0 without SAFEGUARD_NOW). */
export const CLOCK_OFFSET_S = clockOffsetSeconds(process.env.SAFEGUARD_NOW);
/** SAFEGUARD_NOW's offset form for an offset in seconds ("+N" or "-N"). */
const offsetSpec = (s) => `${s < 0 ? '-' : '+'}${Math.abs(s)}`;
if (process.env.SAFEGUARD_NOW !== undefined && process.env.SAFEGUARD_NOW !== '') {
  process.env.SAFEGUARD_NOW = offsetSpec(CLOCK_OFFSET_S);
}

/** The environment of a process on the tests' clock moved on by `seconds`: a second server or a sweep that
 * answers as it would that much later, with no row edited and nothing waited for
 * (`startServer(db, { env: clockMovedOn(61 * 60) })`). */
export function clockMovedOn(seconds) {
  return { SAFEGUARD_NOW: offsetSpec(CLOCK_OFFSET_S + seconds) };
}

/** Now on the injected clock, in milliseconds since the epoch (what Date.now() would be on that day). */
export function now() {
  return Date.now() + CLOCK_OFFSET_S * 1000;
}

const LONDON_DATE = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit',
});

/** England's civil date (Europe/London) of an instant in ms, YYYY-MM-DD; today's by default, as the server's. */
export function ukDate(ms = now()) {
  return LONDON_DATE.format(new Date(ms));
}

/** Today's date in England on the injected clock (what the server calls today). */
export function ukToday() {
  return ukDate(now());
}

/** An instant as the server writes timestamps, to the second: YYYY-MM-DDTHH:MM:SSZ; now by default. */
export function isoSeconds(ms = now()) {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/**
 * Waits until the injected clock has passed the second of an instant written by the server (YYYY-MM-DDTHH:MM:SSZ),
 * for code that compares timestamps to the second. The clock runs, so this ends within about a second; the bound
 * only turns a stopped or shifted clock into a clear failure.
 */
export async function clockPast(stamp, { boundMs = 5000 } = {}) {
  const until = Date.parse(stamp);
  assert.ok(Number.isFinite(until), `clockPast: not a timestamp: ${stamp}`);
  const give = Date.now() + boundMs;
  while (Math.floor(now() / 1000) * 1000 <= until) {
    assert.ok(Date.now() < give, `the clock did not pass ${stamp} within ${boundMs} ms (now ${isoSeconds()})`);
    await new Promise((res) => setTimeout(res, 25));
  }
}

// ---- where the time goes (SG_PROFILE) ----
//
// SG_PROFILE=FILE (scripts/check.sh sets it for each stage): when a test file's process ends it appends one JSON
// line to FILE: the file, its wall milliseconds, its CPU milliseconds (node's own, and its children's that it
// waited for: the servers, CLIs and chromium it started; not chromium's renderers, which its zygote leaves to
// init, nor a PostgreSQL server: for a browser file the count is about half its whole, which make check's table
// counts per stage through scripts/reap.c), the calendar day it ran on (CALENDAR_AT), and the
// count and milliseconds of each helper wrapped in timed() (the browser suite's demo start, sign-ins, axe).
const profile = {};
export async function timed(name, fn) {
  if (!process.env.SG_PROFILE) return fn();
  const t0 = performance.now();
  try { return await fn(); } finally {
    const p = profile[name] ??= { n: 0, ms: 0 };
    p.n += 1; p.ms += performance.now() - t0;
  }
}
if (process.env.SG_PROFILE) {
  process.on('exit', () => {
    const file = process.argv.find((a) => a.endsWith('.test.mjs'));
    if (!file) return;
    const own = process.cpuUsage();
    let children = 0; // /proc/self/stat fields 16 and 17 (cutime, cstime), in clock ticks of 10 ms
    try {
      const f = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
      children = (Number(f[13]) + Number(f[14])) * 10;
    } catch { /* not Linux: children unknown */ }
    const line = {
      file: `${path.basename(path.dirname(file))}/${path.basename(file)}`,
      wall_ms: Math.round(process.uptime() * 1000),
      cpu_ms: Math.round((own.user + own.system) / 1000) + children,
      ...(process.env.CALENDAR_AT ? { day: process.env.CALENDAR_AT } : {}),
      ...(process.env.SAFEGUARD_TEST_DB ? { backend: 'postgresql' } : {}),
      ...Object.fromEntries(Object.entries(profile).map(([k, v]) => [k, { n: v.n, ms: Math.round(v.ms) }])),
    };
    try { fs.appendFileSync(process.env.SG_PROFILE, `${JSON.stringify(line)}\n`); } catch { /* a profile is no test */ }
  });
}

// ---- sanitizer reports ----

const SANITIZER_RE = /ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:/;

export function sanitizerReport(text) {
  const m = SANITIZER_RE.exec(text || '');
  return m ? text.slice(Math.max(0, m.index - 200), m.index + 3000) : null;
}

export function assertNoSanitizerReport(text, what = 'process') {
  const report = sanitizerReport(text);
  assert.equal(report, null, `${what} printed a sanitizer report:\n${report}`);
}

// ---- files ----

export function tempDir(name = 'e2e') {
  return fs.mkdtempSync(path.join(os.tmpdir(), `safeguard-${name}-`));
}

export function removeDir(dir) {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}

// ---- the database ----

/**
 * The --db URL of an area whose files live beside dbPath: sqlite:PATH, or, when SAFEGUARD_TEST_DB names a
 * PostgreSQL database (scripts/pg-test.sh), a database of its own on that cluster, made empty the first time
 * this process names it (the same path gives the same database).
 */
const pgDatabases = new Map();
const pgDataDirs = new Map(); // URL -> the folder beside dbPath that holds its keys and recordings (--data-dir)
// Migration 41 (event.category_key and its index) undone, for the tests that put a store back to an older version
// and migrate it again: an added column is not made again over itself (docs/INTERNALS.md undoes 41 so).
// Migration 42 (r-ntk30: a merge's record of what the rule reads of the events it moved) undone first: a store put
// back below 41 is below 42 too.
// Migration 43 (r-pgin32: PostgreSQL's event key, its person, record and agency as one) undone before it, on
// PostgreSQL (SQLite's 43 runs nothing): a store put back below 42 is below 43 too.
export const onPostgres = () => (process.env.SAFEGUARD_TEST_DB ?? '').startsWith('postgres');
export const UNDO_43 = onPostgres()
  ? 'ALTER TABLE event DROP CONSTRAINT event_source_record; ALTER TABLE event ADD FOREIGN KEY (person_id) REFERENCES '
    + 'person(id), ADD FOREIGN KEY (source_record_id) REFERENCES source_record(id), ADD FOREIGN KEY (agency) '
    + 'REFERENCES agency(code); ALTER TABLE source_record DROP CONSTRAINT source_record_person; '
    + 'CREATE INDEX source_record_person ON source_record(person_id); '
  : '';
export const UNDO_42 = `${UNDO_43}DROP TABLE person_merge_key; `;
export const UNDO_41 = `${UNDO_42}DROP INDEX event_person_category; ALTER TABLE event DROP COLUMN category_key; `;
export function dbUrl(dbPath) {
  const base = process.env.SAFEGUARD_TEST_DB ?? '';
  if (!base.startsWith('postgres')) return `sqlite:${dbPath}`;
  let name = pgDatabases.get(dbPath);
  if (!name) {
    name = `sg_${crypto.createHash('sha256').update(dbPath).digest('hex').slice(0, 16)}`;
    for (const sql of [`DROP DATABASE IF EXISTS ${name}`, `CREATE DATABASE ${name}`]) {
      const r = spawnSync('psql', [base, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', sql], { encoding: 'utf8' });
      assert.equal(r.status, 0, `psql: ${r.stderr}`);
    }
    pgDatabases.set(dbPath, name);
  }
  const u = new URL(base);
  u.pathname = `/${name}`;
  const url = u.toString();
  pgDataDirs.set(url, `${dbPath}.data`);
  return url;
}

/**
 * A PostgreSQL area keeps its keys and recordings in a folder of its own (a URL does not name one): the
 * environment of a process whose arguments name `--db URL` gets SAFEGUARD_DATA_DIR for it, unless it sets one.
 */
function withDataDir(args, env) {
  const i = args.indexOf('--db');
  const dir = i >= 0 ? pgDataDirs.get(args[i + 1]) : undefined;
  if (!dir || (env && 'SAFEGUARD_DATA_DIR' in env)) return env;
  return { ...(env ?? {}), SAFEGUARD_DATA_DIR: dir };
}

/** The environment for a process of the binary started by hand (spawn/spawnSync, e.g. with stdin): as runCli's. */
export function cliEnv(args, env) {
  return childEnv(withDataDir(args, env));
}

/**
 * Where the area's server keeps a file of its own (recordings-key, recordings, audit-key, totp-key): beside the
 * SQLite file (PATH.NAME), or in the area's data folder on PostgreSQL (DIR/NAME), as README "Where files live".
 */
export function dataPath(dbPath, name) {
  return onPostgres() ? path.join(`${dbPath}.data`, name) : `${dbPath}.${name}`;
}

// ---- the CLI ----

/** The environment of a process the tests start: this one's (with the clock), changed by extra. */
function childEnv(extra) {
  if (!extra) return process.env;
  const env = { ...process.env, ...extra };
  for (const [k, v] of Object.entries(extra)) if (v === undefined) delete env[k];
  return env;
}

/**
 * Runs the binary to completion. Returns {status, signal, stdout, stderr}; fails on a sanitizer report. env adds
 * to (or, with undefined values, removes from) this process's environment, which the binary inherits: among it
 * SAFEGUARD_NOW, the tests' clock. input is written to its standard input (--password-stdin).
 */
export function runCli(args, { check = true, timeout = 120000, cwd, env, input } = {}) {
  const r = spawnSync(BIN, args, { encoding: 'utf8', timeout, cwd, env: childEnv(withDataDir(args, env)), input,
    maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  assertNoSanitizerReport(r.stderr, `safeguard ${args.join(' ')}`);
  if (check) {
    assert.equal(r.status, 0, `safeguard ${args.join(' ')} exited ${r.status} (signal ${r.signal}): ${r.stderr}`);
  }
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

export function migrate(dbPath) {
  const r = runCli(['migrate', '--db', dbUrl(dbPath)]);
  assert.match(r.stdout, /schema at version [0-9]+/);
  return r;
}

// What each agency's system may do at most (service/tokens.h): every scope there is for that agency.
export const AGENCY_SCOPES = {
  police: ['events:write', 'records:read'],
  health: ['events:write', 'records:read', 'flags:read'],
  education: ['events:write', 'records:read'],
  social_care: ['events:write', 'records:read', 'alerts:read', 'alerts:write', 'placements:write'],
  housing: ['events:write', 'records:read'],
};

/** A token made on the command line (the operator's: it works at once); scopes default to events:write. */
export function createToken(dbPath, agency, label, scopes) {
  const args = ['token', 'create', '--db', dbUrl(dbPath), '--agency', agency];
  if (label !== undefined) args.push('--label', label);
  for (const s of scopes ?? []) args.push('--scope', s);
  const r = runCli(args);
  const lines = r.stdout.trimEnd().split('\n');
  const token = lines[lines.length - 1];
  assert.match(token, TOKEN_RE);
  return token;
}

/** A migrated database with one token per agency, each with every scope its agency may have: {dir, db, tokens}. */
export function freshArea(name) {
  const dir = tempDir(name);
  const db = path.join(dir, 'safeguard.db');
  migrate(db);
  const tokens = {};
  for (const a of AGENCIES) tokens[a] = createToken(db, a, `e2e ${a}`, AGENCY_SCOPES[a]);
  return { dir, db, tokens };
}

/** Adds a person who signs in (safeguard user add): their TOTP secret. */
export function addPerson(dbPath, username, agency, role, password) {
  const args = ['user', 'add', '--db', dbUrl(dbPath), '--username', username, '--agency', agency,
    '--role', role, '--password-stdin'];
  const r = spawnSync(BIN, args, { input: `${password}\n`, encoding: 'utf8', env: childEnv(withDataDir(args)) });
  if (r.error) throw r.error;
  assertNoSanitizerReport(r.stderr, 'safeguard user add');
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trimEnd().split('\n').pop();
}

/** Every event of a child as the agencies' systems read them between them: each token (records:read) sees its
 * own agency's events of a child its agency sent records about, so the union is the whole chronology. */
export async function everyAgencysEvents(baseUrl, tokens, childId) {
  const events = [];
  for (const agency of Object.keys(tokens)) {
    const r = await request(`${baseUrl}/api/v1/children/${childId}/chronology?limit=500`, { token: tokens[agency] });
    if (r.status === 404) continue; // this agency has sent nothing about the child (or there is no such child)
    assert.equal(r.status, 200, r.text);
    assert.ok(r.json.events.every((e) => e.agency === agency), `${agency}'s system sees only its own events`);
    events.push(...r.json.events);
  }
  return events;
}

// ---- the server ----

/**
 * Starts `safeguard serve` and resolves once it printed "listening on http://HOST:PORT".
 * Rejects if the process exits first (with its exit code and stderr in the message). env as for runCli; db: another
 * --db URL than the area's (then name its data folder in env: SAFEGUARD_DATA_DIR).
 */
export function startServer(dbPath, { listen = '127.0.0.1:0', extraArgs = [], env, db } = {}) {
  const args = ['serve', '--db', db ?? dbUrl(dbPath), '--listen', listen, ...extraArgs];
  const proc = spawn(BIN, args, {
    stdio: ['ignore', 'pipe', 'pipe'], env: childEnv(withDataDir(args, env)),
  });
  let stdout = '';
  let stderr = '';
  let exitInfo = null;
  const exited = new Promise((resolve) => {
    proc.on('exit', (code, signal) => {
      exitInfo = { code, signal };
      resolve(exitInfo);
    });
  });
  proc.stderr.setEncoding('utf8');
  proc.stderr.on('data', (d) => { stderr += d; });
  proc.stdout.setEncoding('utf8');

  const server = {
    proc,
    pid: proc.pid,
    exited,
    get stderr() { return stderr; },
    get stdout() { return stdout; },
    get exitInfo() { return exitInfo; },
    isAlive() { return exitInfo === null; },
    /** Resolves once stderr matches re: a line the server wrote before it answered may reach this process after
     * the answer does (two pipes). Rejects after ms. */
    waitForStderr(re, ms = 10000) {
      if (re.test(stderr)) return Promise.resolve(stderr);
      return withTimeout(new Promise((resolve) => {
        const on = () => {
          if (re.test(stderr)) {
            proc.stderr.off('data', on);
            resolve(stderr);
          }
        };
        proc.stderr.on('data', on);
      }), ms, `the server's stderr never matched ${re}: ${stderr}`);
    },
    url: null,
    port: null,
    /** SIGTERM, await the exit, require exit code 0 and no sanitizer report. */
    async stop() {
      if (exitInfo === null) proc.kill('SIGTERM');
      const info = await withTimeout(exited, STOP_TIMEOUT_MS, 'server did not stop after SIGTERM');
      await streamsClosed;
      assertNoSanitizerReport(stderr, 'safeguard serve');
      assert.deepEqual(info, { code: 0, signal: null }, `safeguard serve did not exit cleanly: ${stderr}`);
      return info;
    },
    /** SIGKILL and await the exit. */
    async kill9() {
      if (exitInfo === null) proc.kill('SIGKILL');
      const info = await exited;
      await streamsClosed;
      assertNoSanitizerReport(stderr, 'safeguard serve');
      return info;
    },
  };
  const streamsClosed = Promise.all([
    new Promise((r) => proc.stdout.on('close', r)),
    new Promise((r) => proc.stderr.on('close', r)),
  ]);

  const ready = new Promise((resolve, reject) => {
    proc.on('error', reject);
    proc.stdout.on('data', (d) => {
      stdout += d;
      const m = /listening on (http:\/\/(\S+):(\d+))\n/.exec(stdout);
      if (m && !server.url) {
        server.url = m[1];
        server.port = Number(m[3]);
        resolve(server);
      }
    });
    exited.then((info) => {
      if (!server.url) {
        const err = new Error(`safeguard serve exited (${info.code}, ${info.signal}) before listening: ${stderr}`);
        err.exitInfo = info;
        err.stderr = stderr;
        reject(err);
      }
    });
  });
  return withTimeout(ready, START_TIMEOUT_MS, 'server did not print "listening on"').catch((e) => {
    if (exitInfo === null) proc.kill('SIGKILL');
    throw e;
  });
}

function withTimeout(promise, ms, message) {
  let t;
  const timer = new Promise((_, reject) => { t = setTimeout(() => reject(new Error(message)), ms); });
  return Promise.race([promise, timer]).finally(() => clearTimeout(t));
}

// ---- HTTP ----

async function readResponse(res) {
  const text = await res.text();
  let json;
  try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
  return { status: res.status, headers: res.headers, text, json };
}

/**
 * A POST over its own socket, for bodies the server refuses by size. body is sent as it is; chunked sends it
 * in 64 KiB chunks (Transfer-Encoding: chunked), else Content-Length declares it and the client asks first
 * (Expect: 100-continue, as curl does for large bodies), sending the body only if the server says go on: a
 * client still writing a large body into a connection the server has answered and closed may otherwise meet
 * EPIPE before it reads the answer. The answer: status, headers, text, json, and wentOn (whether the server
 * asked for the declared body).
 */
export function rawPost(url, headers, body, { chunked = false } = {}) {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const h = chunked ? { ...headers, 'Transfer-Encoding': 'chunked' }
      : { ...headers, 'Content-Length': Buffer.byteLength(body), Expect: '100-continue' };
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname + u.search, method: 'POST', headers: h,
      agent: false });
    let answered = false;
    let wentOn = false;
    req.on('response', (res) => {
      answered = true;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => {
        req.destroy(); // a refused declared body is never sent
        let json = null;
        try { json = JSON.parse(text); } catch { /* not JSON: the caller's assertion shows the text */ }
        resolve({ status: res.statusCode, headers: res.headers, text, json, wentOn });
      });
      res.on('error', reject);
    });
    req.on('error', (e) => { if (!answered) reject(e); });
    if (chunked) {
      for (let i = 0; i < body.length; i += 65536) req.write(body.slice(i, i + 65536));
      req.end();
    } else {
      req.on('continue', () => { wentOn = true; req.end(body); });
      req.flushHeaders();
    }
  });
}

// A read sent on a kept-alive connection that the server had already closed fails before the server sees it
// ("other side closed"). It happens after a test blocks its event loop for longer than the server keeps an idle
// connection (30 s): a long spawnSync (homes run at load, 2026-12-06 calendar days), during which the close
// arrives but is not read, so the next fetch reuses the dead socket. Browsers and HTTP clients send such an
// idempotent request again on a new connection, once; so does this (a POST is never repeated: the caller sees the
// error). A server that is gone still fails: the second attempt is refused.
const CLOSED_IDLE = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE']);

export async function request(url, { method = 'GET', token, headers = {}, body, redirect = 'manual' } = {}) {
  const h = { ...headers };
  if (token !== undefined) h.Authorization = `Bearer ${token}`;
  let res;
  try {
    res = await fetch(url, { method, headers: h, body, redirect });
  } catch (e) {
    if (!(method === 'GET' || method === 'HEAD') || !CLOSED_IDLE.has(e?.cause?.code)) throw e;
    res = await fetch(url, { method, headers: h, body, redirect });
  }
  return readResponse(res);
}

/** POSTs an event. body: an object (sent as JSON) or a string/Buffer (sent as-is). */
export async function postEvent(baseUrl, token, body, { contentType = 'application/json', headers = {} } = {}) {
  const h = { ...headers };
  if (contentType !== null) h['Content-Type'] = contentType;
  if (token !== null && token !== undefined) h.Authorization = `Bearer ${token}`;
  const payload = typeof body === 'string' || Buffer.isBuffer(body) || body instanceof Uint8Array
    ? body : JSON.stringify(body);
  const res = await fetch(`${baseUrl}/api/v1/events`, { method: 'POST', headers: h, body: payload });
  return readResponse(res);
}

export function getChild(baseUrl, token, id) {
  return request(`${baseUrl}/api/v1/children/${id}`, { token });
}

export function getChronology(baseUrl, token, id, query = '') {
  return request(`${baseUrl}/api/v1/children/${id}/chronology${query ? `?${query}` : ''}`, { token });
}

/** Follows next_cursor until null; returns every event in order and the page sizes. */
export async function allChronology(baseUrl, token, id, limit) {
  const events = [];
  const pages = [];
  let cursor = null;
  for (let i = 0; i < 10000; i++) {
    const q = new URLSearchParams();
    if (limit) q.set('limit', String(limit));
    if (cursor) q.set('cursor', cursor);
    const r = await getChronology(baseUrl, token, id, q.toString());
    assert.equal(r.status, 200, r.text);
    pages.push(r.json.events.length);
    events.push(...r.json.events);
    cursor = r.json.next_cursor;
    if (cursor === null) return { events, pages };
    assert.equal(typeof cursor, 'string');
  }
  throw new Error('chronology paging did not end');
}

// ---- the database (read-only) ----

/** Writes with the sqlite3 shell beside a running server (WAL; waits for the server's writer). */
// The pages' session cookie and CSRF token, as a browser keeps them (several files sign in over HTTP).
export function cookieOf(res, name) {
  for (const c of res.headers.getSetCookie()) {
    const m = new RegExp(`^${name}=([^;]*)`).exec(c);
    if (m && m[1]) return `${name}=${m[1]}`;
  }
  return null;
}
export const csrfOf = (html) => /name="csrf_token" value="([^"]+)"/.exec(html)?.[1];

/**
 * Runs SQL on the area's database: sqlite3 on the file, or psql when the tests run on PostgreSQL
 * (SAFEGUARD_TEST_DB). Both print rows with '|' between columns and an empty field for NULL. Tests should check
 * state through the CLI or the API where one answers (docs/INTERNALS.md); this is for what neither shows yet.
 */
function runSql(dbPath, query, { write }) {
  const r = onPostgres()
    ? spawnSync('psql', [dbUrl(dbPath), '-X', '-A', '-t', '-q', '-F', '|', '-v', 'ON_ERROR_STOP=1', '-c', query],
      { encoding: 'utf8' })
    : spawnSync('sqlite3', write ? ['-batch', '-cmd', '.timeout 5000', dbPath, query]
      : ['-readonly', '-batch', dbPath, query], { encoding: 'utf8' });
  if (r.error) throw r.error;
  assert.equal(r.status, 0, `${onPostgres() ? 'psql' : 'sqlite3'} failed: ${r.stderr}`);
  return r.stdout.trim();
}

export function sqlWrite(dbPath, query) {
  return runSql(dbPath, query, { write: true });
}

export function base32Decode(s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of s.replace(/=+$/, '')) {
    const v = alphabet.indexOf(c);
    assert.ok(v >= 0, `base32 character ${c}`);
    bits += v.toString(2).padStart(5, '0');
  }
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** RFC 6238 TOTP (HMAC-SHA-1, 30-second steps, 6 digits), written here from the RFC, not taken from the server. */
export function totp(secretB32, at = now(), stepOffset = 0) {
  const counter = Math.floor(at / 1000 / 30) + stepOffset;
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const h = crypto.createHmac('sha1', base32Decode(secretB32)).update(msg).digest();
  const o = h[h.length - 1] & 15; // RFC 4226 dynamic truncation
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1000000).padStart(6, '0');
}

/**
 * A TOTP code signs in once (RFC 6238 section 5.2): the server keeps the last time step used, and accepts only the
 * step either side of its own, so one authenticator signs a person in at most three times in 30 seconds. A test
 * that signs someone in again stands for a sign-in minutes later; it does not move the clock (the server's is set
 * once, when it starts) nor edit the row: it gives the person a new authenticator first, as an operator does for
 * a phone lost or replaced, with `safeguard user reset-totp` (the password and the sessions stay; audited
 * "user.totp_reset" by actor cli, one entry before each such sign-in's "session.open"). Returns the new secret
 * (base32), whose codes are counted afresh. Tests of the one-use rule itself send codes of one secret twice.
 */
export function newAuthenticator(dbPath, username) {
  const r = runCli(['user', 'reset-totp', '--db', dbUrl(dbPath), '--username', username]);
  const secret = r.stdout.trimEnd().split('\n').pop();
  assert.match(secret, /^[A-Z2-7]{32}$/, `a new TOTP secret for ${username}`);
  return secret;
}

/**
 * Signs `username` in over the web as a browser does: GET /sign-in for the sg_presession cookie and the form's
 * csrf_token, then POST username, password and a code from a new authenticator (newAuthenticator: the person's
 * earlier secrets stop working; `secrets`, when given, is the test's map of username to secret and is brought up
 * to date). Asserts the 303 and returns the sg_session cookie ("sg_session=..."). `next` is sent when given.
 * Tests of the sign-in itself (http_hardening, web_sessions) take these steps by hand.
 */
export async function webSignIn(baseUrl, dbPath, username, { password, secrets, next } = {}) {
  const secret = newAuthenticator(dbPath, username);
  if (secrets) secrets[username] = secret;
  const form = await fetch(`${baseUrl}/sign-in`);
  const pre = cookieOf(form, 'sg_presession');
  const csrf = csrfOf(await form.text());
  const body = { username, password, totp: totp(secret), csrf_token: csrf };
  if (next) body.next = next;
  const res = await fetch(`${baseUrl}/sign-in`, {
    method: 'POST', redirect: 'manual',
    headers: { cookie: pre, 'content-type': 'application/x-www-form-urlencoded', origin: baseUrl },
    body: new URLSearchParams(body),
  });
  await res.text();
  assert.equal(res.status, 303, `web sign-in of ${username}`);
  return cookieOf(res, 'sg_session');
}

/** The CSRF token of a signed-in session's forms, from any page it sees (a 404 page will do). */
export async function sessionCsrf(baseUrl, cookie) {
  return csrfOf(await (await fetch(`${baseUrl}/nope`, { headers: { cookie } })).text());
}

export function sql(dbPath, query) {
  return runSql(dbPath, query, { write: false });
}
/**
 * A test file's people, each signed in once when first needed and kept (tests/e2e/need_to_know_unseen*): over the
 * web (webSignIn, a new authenticator: `secrets` is brought up to date) and over the API (POST /api/v1/sessions
 * with the code after the web sign-in's, since a code signs in once). `password` is every person's.
 *   page(username, path): {status, text} of a page, with every <input> and value="..." blanked (what the reader
 *     typed into a search box is theirs, and a form's token differs from page to page), so that two answers
 *     compare byte for byte;
 *   apiToken(username): their API session's bearer token;
 *   cookie(username), csrf(username): their web session's cookie and a CSRF token for its forms;
 *   send(agency, subject, over): an agency's record (lib's event(over, subject)) posted with area.tokens[agency],
 *     asserting 201; its answer's JSON.
 */
export function signedInPeople(baseUrl, area, password, secrets) {
  const cookies = {};
  const tokens = {};
  const cookie = async (username) => (cookies[username] ??= await webSignIn(baseUrl, area.db, username, { password, secrets }));
  return {
    cookie,
    csrf: async (username) => sessionCsrf(baseUrl, await cookie(username)),
    async page(username, path) {
      const r = await request(`${baseUrl}${path}`, { headers: { cookie: await cookie(username) } });
      return { status: r.status, text: r.text.replace(/<input [^>]*>/g, '').replace(/value="[^"]*"/g, '') };
    },
    async apiToken(username) {
      if (tokens[username]) return tokens[username];
      await cookie(username);
      const r = await request(`${baseUrl}/api/v1/sessions`, { method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password, totp: totp(secrets[username], now(), 1) }) });
      assert.equal(r.status, 201, r.text);
      return (tokens[username] = r.json.token);
    },
    async send(agency, subject, over) {
      const r = await postEvent(baseUrl, area.tokens[agency], event(over, subject));
      assert.equal(r.status, 201, r.text);
      return r.json;
    },
  };
}

/**
 * What the area's database holds, as bytes, for tests that a secret is NOT in it: the SQLite file and its
 * write-ahead log, or on PostgreSQL a dump of every row (pg_dump --data-only). A dump writes BLOBs (bytea) as
 * hex: look for bytes with holdsBytes(), which also looks for their hex there.
 */
export function databaseBytes(dbPath) {
  if (!onPostgres()) return [dbPath, `${dbPath}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f));
  const r = spawnSync('pg_dump', ['--data-only', dbUrl(dbPath)], { maxBuffer: 512 * 1024 * 1024 });
  if (r.error) throw r.error;
  assert.equal(r.status, 0, `pg_dump failed: ${r.stderr}`);
  assert.match(String(r.stdout), /^COPY public\.app_user /m, 'the dump holds the rows');
  return [r.stdout];
}

/** Whether any of databaseBytes()'s buffers holds bytes (or, in a PostgreSQL dump, their hex). */
export function holdsBytes(buffers, bytes) {
  const b = Buffer.from(bytes);
  const hex = onPostgres() ? Buffer.from(b.toString('hex')) : null;
  return buffers.some((x) => x.includes(b) || (hex !== null && x.includes(hex)));
}

/**
 * How many entries the area's audit holds, read through the CLI (`safeguard audit verify`, which also proves the
 * chain unbroken), not through sqlite3: a check any backend can answer (docs/INTERNALS.md "Tests through the
 * CLI and the API").
 */
export function auditEntries(dbPath) {
  const r = runCli(['audit', 'verify', '--db', dbUrl(dbPath)]);
  const m = /^audit chain verified: (\d+) entries/m.exec(r.stdout);
  assert.ok(m, `audit verify said: ${r.stdout}${r.stderr}`);
  return Number(m[1]);
}

/**
 * The area's audit entries, newest first, through the CLI (`safeguard audit list --json`), not through SQL: each
 * {id, at, actor, action, child_id, object, detail} (child_id 0 when the entry names no child). Filters as the
 * command's options: {action, child, object, since, limit} (limit 0 or absent: every match).
 */
export function auditRows(dbPath, { action, child, object, since, limit = 0 } = {}) {
  const args = ['audit', 'list', '--db', dbUrl(dbPath), '--json', '--limit', String(limit)];
  if (action !== undefined) args.push('--action', action);
  if (child !== undefined) args.push('--child', String(child));
  if (object !== undefined) args.push('--object', object);
  if (since !== undefined) args.push('--since', since);
  const out = runCli(args).stdout.trim();
  return out ? out.split('\n').map((line) => JSON.parse(line)) : [];
}

/**
 * The area's API clients, newest first, through the CLI (`safeguard token list --json`): each {id, agency, label,
 * scopes, pending, created_by, approved_by, created_at, revoked_at} (never a token). Filters: {agency, label}.
 */
export function tokenRows(dbPath, { agency, label } = {}) {
  const args = ['token', 'list', '--db', dbUrl(dbPath), '--json', '--limit', '0'];
  if (agency !== undefined) args.push('--agency', agency);
  if (label !== undefined) args.push('--label', label);
  const out = runCli(args).stdout.trim();
  return out ? out.split('\n').map((line) => JSON.parse(line)) : [];
}

/**
 * The people who sign in, by username, through the CLI (`safeguard user list --json`): each {id, username, agency,
 * role, team, full_name, email, phone, disabled_at} (disabled_at "" while enabled; never a hash or a secret).
 * Filter: {username}.
 */
export function userRows(dbPath, { username } = {}) {
  const args = ['user', 'list', '--db', dbUrl(dbPath), '--json'];
  if (username !== undefined) args.push('--username', username);
  const out = runCli(args).stdout.trim();
  return out ? out.split('\n').map((line) => JSON.parse(line)) : [];
}

/**
 * The teams, by code, through the CLI (`safeguard team list --json`): each {code, name, manager} (manager "" when
 * none). Filter: {code}.
 */
export function teamRows(dbPath, { code } = {}) {
  const args = ['team', 'list', '--db', dbUrl(dbPath), '--json'];
  if (code !== undefined) args.push('--code', code);
  const out = runCli(args).stdout.trim();
  return out ? out.split('\n').map((line) => JSON.parse(line)) : [];
}

function jsonLines(args) {
  const out = runCli(args).stdout.trim();
  return out ? out.split('\n').map((line) => JSON.parse(line)) : [];
}

/**
 * Who holds each child's case, by child id, through the CLI (`safeguard allocation list --json`): each {child, team,
 * worker, manager, since} (worker "" when only the team holds the child). Filter: {child}. The list is itself an
 * audited read (allocations.list): one audit entry a call.
 */
export function allocationRows(dbPath, { child } = {}) {
  const args = ['allocation', 'list', '--db', dbUrl(dbPath), '--json'];
  if (child !== undefined) args.push('--child', String(child));
  return jsonLines(args);
}

/** The child's allocation as allocationRows shows it, or undefined. */
export const allocationOf = (dbPath, child) => allocationRows(dbPath, { child })[0];

/**
 * The alerts, newest raised first, through the CLI (`safeguard alert list --json`): each {id, child, code, state,
 * raised_on, due, owner_kind, owner, created_at, acknowledged_at, acknowledged_by, resolved_at, resolved_by, outcome,
 * escalated_at, escalated_to, evidence} ("" for what has not happened). Filters: {child, state, code}. An audited
 * read (alerts.list): one audit entry a call.
 */
export function alertRows(dbPath, { child, state, code } = {}) {
  const args = ['alert', 'list', '--db', dbUrl(dbPath), '--json'];
  if (child !== undefined) args.push('--child', String(child));
  if (state !== undefined) args.push('--state', state);
  if (code !== undefined) args.push('--code', code);
  return jsonLines(args);
}

/** One alert by id as alertRows shows it, or undefined. */
export const alertById = (dbPath, id, filter = {}) => alertRows(dbPath, filter).find((a) => a.id === Number(id));

/**
 * The data protection officer's notices, newest first, through the CLI (`safeguard dpo notices --json`): each {id,
 * kind, at, user_id, username, child, break_glass_id, detail}. Filters: {kind, user} (a username). An audited read
 * (notices.list): one audit entry a call.
 */
export function dpoNotices(dbPath, { kind, user } = {}) {
  const args = ['dpo', 'notices', '--db', dbUrl(dbPath), '--json'];
  if (kind !== undefined) args.push('--kind', kind);
  if (user !== undefined) args.push('--user', user);
  return jsonLines(args);
}

/**
 * The alerts about children's homes, newest first, through the CLI (`safeguard homes alerts --json`): each {id,
 * home_id, home_name, kind, month, reason, owner, state, created_at, acknowledged_at, acknowledged_by, resolved_at,
 * resolved_by, outcome, escalated_at, escalated_to} ("" for what has not happened). Filters: {open, kind, home}.
 */
export function homeAlertRows(dbPath, { open, kind, home } = {}) {
  const args = ['homes', 'alerts', '--db', dbUrl(dbPath), '--json'];
  if (open) args.push('--open');
  if (kind !== undefined) args.push('--kind', kind);
  if (home !== undefined) args.push('--home', String(home));
  return jsonLines(args);
}

/**
 * The LADO's allegations, oldest received first, through the CLI (`safeguard lado allegations --json`): each {id,
 * person, employment, employer, home_id, given_name, family_name, received_on, created_by, consideration_on,
 * threshold, strategy_on, outcome, outcome_on, employer_action_on} ("" for what is not recorded; no notes).
 * Filters: {person, open}. An audited read (lado.list): one audit entry a call.
 */
export function ladoAllegations(dbPath, { person, open } = {}) {
  const args = ['lado', 'allegations', '--db', dbUrl(dbPath), '--json'];
  if (person !== undefined) args.push('--person', String(person));
  if (open) args.push('--open');
  return jsonLines(args);
}

/** One allegation as ladoAllegations shows it, or undefined. */
export const ladoAllegation = (dbPath, id) => ladoAllegations(dbPath).find((a) => a.id === Number(id));

/**
 * The LADO's alerts, by id, through the CLI (`safeguard lado alerts --json`): each {id, person, allegation, code,
 * state, raised_on, due, created_at, resolved_at, resolved_by} (allegation 0: about the person). Filters:
 * {person, allegation, open, code} (code picked here). An audited read (lado.list).
 */
export function ladoAlerts(dbPath, { person, allegation, open, code } = {}) {
  const args = ['lado', 'alerts', '--db', dbUrl(dbPath), '--json'];
  if (person !== undefined) args.push('--person', String(person));
  if (allegation !== undefined) args.push('--allegation', String(allegation));
  if (open) args.push('--open');
  return jsonLines(args).filter((a) => code === undefined || a.code === code).sort((x, y) => x.id - y.id);
}

/**
 * A person's employers, most recent start first, through the CLI (`safeguard lado employments --person ID --json`):
 * each {id, person, employer, home_id, home_urn, role, from, to}. An audited read (lado.list).
 */
export function ladoEmployments(dbPath, person) {
  return jsonLines(['lado', 'employments', '--db', dbUrl(dbPath), '--person', String(person), '--json']);
}

/**
 * The register of children's homes, by id, through the CLI (`safeguard homes list --json`): each {id, urn, name,
 * provider, la_code, postcode, places, specialism, ofsted_grade, grade_date}. Filter: {la} (a DfE number).
 */
export function homeRows(dbPath, { la } = {}) {
  const args = ['homes', 'list', '--db', dbUrl(dbPath), '--json'];
  if (la !== undefined) args.push('--la', la);
  return jsonLines(args);
}

/**
 * Homes added to the register as an operator adds them (`safeguard homes import --dir`, audited as the import is):
 * homes is [{urn, name, provider, la_code, specialism, places, postcode}] (urn, name and specialism required);
 * one month of no child-nights goes with them (the import asks for a month; it stores no occupancy). Returns the
 * register's ids by URN.
 */
export function addHomes(dbPath, homes) {
  const dir = tempDir('homes');
  try {
    const cols = ['urn', 'name', 'provider', 'la_code', 'specialism', 'places', 'postcode'];
    const field = (v) => (v === undefined || v === null ? '' : /[",\n]/.test(String(v)) ? `"${String(v).replaceAll('"', '""')}"` : String(v));
    fs.writeFileSync(path.join(dir, 'homes.csv'), ['home_id,name,provider,la_code,specialism,places,postcode',
      ...homes.map((h) => cols.map((c) => field(h[c])).join(','))].join('\n') + '\n');
    fs.writeFileSync(path.join(dir, 'occupancy.csv'), `home_id,month,child_nights\n${field(homes[0].urn)},2023-01,0\n`);
    fs.writeFileSync(path.join(dir, 'incidents.csv'), 'home_id,date,type\n');
    runCli(['homes', 'import', '--db', dbUrl(dbPath), '--dir', dir]);
  } finally {
    removeDir(dir);
  }
  const ids = {};
  for (const h of homeRows(dbPath)) ids[h.urn] = h.id;
  for (const h of homes) assert.ok(ids[h.urn] > 0, `${h.urn} is in the register`);
  return ids;
}

/**
 * A home's Regulation 44 reports, newest first, through the CLI (`safeguard homes reg44 --home ID --json`): each
 * {id, home_id, month, received_at, visitor, safeguarded, summary}. An audited read (reg44.list).
 */
export function reg44Reports(dbPath, home) {
  return jsonLines(['homes', 'reg44', '--db', dbUrl(dbPath), '--home', String(home), '--json']);
}

/**
 * A home's police location-risk notes, newest first, through the CLI (`safeguard homes notes --home ID --json`):
 * each {id, home_id, author, agency, created_at, text}. An audited read (home_notes.list).
 */
export function homeNotes(dbPath, home) {
  return jsonLines(['homes', 'notes', '--db', dbUrl(dbPath), '--home', String(home), '--json']);
}

/**
 * A monitor run's signals, by home, month and indicator, through the CLI (`safeguard homes signals --run ID --json`):
 * each {run, home_id, month, indicator, direction, statistic, threshold, observed, expected, months, reason}.
 * Filter: {home}.
 */
export function signalRows(dbPath, run, { home } = {}) {
  const args = ['homes', 'signals', '--db', dbUrl(dbPath), '--run', String(run), '--json'];
  if (home !== undefined) args.push('--home', String(home));
  return jsonLines(args);
}

/**
 * The speak-up reports, new first then newest first, through the CLI (`safeguard speakup reports --json`): each {id,
 * ref, created_at, who, home_id, home_name, home_unknown, about, first_name, contact, state, outcome, triaged_by,
 * triaged_at, child_id, incident_id, messages} (never the words or the passphrase's hash). Filter: {ref}. An
 * audited read (speakup.list).
 */
export function speakupReports(dbPath, { ref } = {}) {
  const args = ['speakup', 'reports', '--db', dbUrl(dbPath), '--json'];
  if (ref !== undefined) args.push('--ref', ref);
  return jsonLines(args);
}

/**
 * The break-glass openings, newest first, through the CLI (`safeguard break-glass list --json`): each {id, child,
 * user_id, username, agency, role, at, expires_at, reason}. Filter: {child}. An audited read (break_glass.list); a
 * sealed child's are not listed.
 */
export function breakGlassRows(dbPath, { child } = {}) {
  const args = ['break-glass', 'list', '--db', dbUrl(dbPath), '--json'];
  if (child !== undefined) args.push('--child', String(child));
  return jsonLines(args);
}

/** `safeguard recordings list --json` (oldest first; audited recordings.list; no sealed child, no file name,
 * who was present, consent or words): [{id, child, kind, recorded_on, content_type, bytes, uploaded_by,
 * uploaded_at}]. */
export function recordingRows(dbPath, { child } = {}) {
  const args = ['recordings', 'list', '--db', dbUrl(dbPath), '--json'];
  if (child !== undefined) args.push('--child', String(child));
  return jsonLines(args);
}

/** `safeguard sweep runs --json` (newest day first; names no one, not audited): [{day, started_at, server}]. */
export function sweepRuns(dbPath, { limit } = {}) {
  const args = ['sweep', 'runs', '--db', dbUrl(dbPath), '--json'];
  if (limit !== undefined) args.push('--limit', String(limit));
  return jsonLines(args);
}

/** `safeguard agency list --json` (by code; reference data, not audited): [{code, name}]; code: that agency only. */
export function agencyRows(dbPath, { code } = {}) {
  const args = ['agency', 'list', '--db', dbUrl(dbPath), '--json'];
  if (code !== undefined) args.push('--code', code);
  return jsonLines(args);
}

/** `safeguard seal list --json` (newest sealed first; audited seals.list): [{child, basis, sealed_at, sealed_by}];
 * child: that record's only (none when it is not sealed); limit: the first N. */
export function sealRows(dbPath, { child, limit } = {}) {
  const args = ['seal', 'list', '--db', dbUrl(dbPath), '--json'];
  if (child !== undefined) args.push('--child', String(child));
  if (limit !== undefined) args.push('--limit', String(limit));
  return jsonLines(args);
}

/** `safeguard link reviews --json` (oldest first; audited link_reviews.list; no task naming a sealed child, no
 * names, explanation or reason): [{id, record, agency, source_ref, person, candidate, probability, weight,
 * created_at, decided_at, decided_by, decision, merge}]; child: those naming it on either side; open: undecided. */
export function linkReviews(dbPath, { child, open } = {}) {
  const args = ['link', 'reviews', '--db', dbUrl(dbPath), '--json'];
  if (child !== undefined) args.push('--child', String(child));
  if (open) args.push('--open');
  return jsonLines(args);
}

/** `safeguard link model --json`: the record linkage model intake scores with (not audited: it names no child):
 * {id (0: the built-in settings), trained_at, how, records, pairs, random_pairs, reviewed, reviewed_same, linked,
 * linked_same, link_threshold, review_threshold, lambda, precision, recall, review_tasks, records_received}. */
export function linkModel(dbPath) {
  const rows = jsonLines(['link', 'model', '--db', dbUrl(dbPath), '--json']);
  assert.equal(rows.length, 1, 'link model prints one line');
  return rows[0];
}

/** `safeguard homes placements --json` (by home, current first, then newest first; audited home_placements.list;
 * the child by id, no names, no sealed child's): [{id, home_id, child, start, end, distance_km, out_of_area,
 * distant}]; home: that home's; child: that child's. */
export function homePlacements(dbPath, { home, child } = {}) {
  const args = ['homes', 'placements', '--db', dbUrl(dbPath), '--json'];
  if (home !== undefined) args.push('--home', String(home));
  if (child !== undefined) args.push('--child', String(child));
  return jsonLines(args);
}

/** `safeguard flags lookups --child ID --json` (newest first; audited flags.list with the child; none for a sealed
 * child): [{child, at, actor, organisation, setting}]. */
export function flagLookups(dbPath, child, { limit } = {}) {
  const args = ['flags', 'lookups', '--db', dbUrl(dbPath), '--child', String(child), '--json'];
  if (limit !== undefined) args.push('--limit', String(limit));
  return jsonLines(args);
}

/**
 * The schema's indexes (and PostgreSQL's foreign keys) as the engine holds them, and those a bulk load that stopped
 * held back, through the CLI (`safeguard indexes --json`; names no one: not audited): each {name, table, kind
 * ('index' | 'foreign_key'), state ('built' | 'held'), definition}, by name. Filters: {table}, {held: true}.
 */
export function schemaIndexes(dbPath, { table, held } = {}) {
  const args = ['indexes', '--db', dbUrl(dbPath), '--json'];
  if (table !== undefined) args.push('--table', table);
  if (held) args.push('--held');
  return jsonLines(args);
}

/**
 * A child's merges, newest first, through the CLI (`safeguard link merges --json`; audited merges.list with the
 * child; none with a sealed child): each {id, kept, merged, merged_by, merged_at, undone_by, undone_at} ("" while
 * it stands). Filter: {limit}.
 */
export function linkMerges(dbPath, child, { limit } = {}) {
  const args = ['link', 'merges', '--db', dbUrl(dbPath), '--child', String(child), '--json'];
  if (limit !== undefined) args.push('--limit', String(limit));
  return jsonLines(args);
}

/**
 * The sign-in attempts kept, newest first, through the CLI (`safeguard user attempts --json`; staff's, no child: not
 * audited): each {id, at, username, remote, ok}. Filters: {username} (as typed), {failed: true} (the refused ones).
 */
export function signinAttempts(dbPath, { username, failed } = {}) {
  const args = ['user', 'attempts', '--db', dbUrl(dbPath), '--json'];
  if (username !== undefined) args.push('--username', username);
  if (failed) args.push('--failed');
  return jsonLines(args);
}

/** `safeguard user sessions --json` (staff's: not audited), newest first: [{session, username, kind, created_at,
 * expires_at, idle_until, ended_at}], session the first 12 hex digits of the token's hash (BLAKE2b-256), ended_at
 * null while not ended; `live` keeps those live at the server's clock (SAFEGUARD_NOW). */
export function userSessions(dbPath, { username, live, limit } = {}) {
  const args = ['user', 'sessions', '--db', dbUrl(dbPath), '--json'];
  if (username !== undefined) args.push('--username', username);
  if (live) args.push('--live');
  if (limit !== undefined) args.push('--limit', String(limit));
  return jsonLines(args);
}

/** `safeguard homes occupancy --json` (by home and month; about homes: not audited): [{home_id, month,
 * child_nights}]. */
export function homeOccupancy(dbPath, { home } = {}) {
  const args = ['homes', 'occupancy', '--db', dbUrl(dbPath), '--json'];
  if (home !== undefined) args.push('--home', String(home));
  return jsonLines(args);
}

/** `safeguard homes last-run --json`: the monitor's newest run (or run's), {id, started_at, finished_at, trigger, by,
 * budget, budget_confidence, simulated_rate, h_up, h_down, h_combined, homes, months, first_month, last_month,
 * signals, alerts}, or undefined when there is none. */
export function lastRun(dbPath, { run } = {}) {
  const args = ['homes', 'last-run', '--db', dbUrl(dbPath), '--json'];
  if (run !== undefined) args.push('--run', String(run));
  const rows = jsonLines(args);
  assert.ok(rows.length <= 1, `one run at most: ${rows.length}`);
  return rows[0];
}

/** `safeguard homes incidents --json` (newest first; audited home_incidents.list; the child by id, no summary, no
 * sealed child's): [{id, home_id, child, occurred_at, type, duration_min, technique, child_injured,
 * staff_involved, debrief_offered}]. */
export function homeIncidents(dbPath, { home, type } = {}) {
  const args = ['homes', 'incidents', '--db', dbUrl(dbPath), '--json'];
  if (home !== undefined) args.push('--home', String(home));
  if (type !== undefined) args.push('--type', type);
  return jsonLines(args);
}

/** One person as userRows shows them, or undefined. */
export const userRow = (dbPath, username) => userRows(dbPath, { username })[0];

/** A person's id (as userRows), failing the test when there is no such person. */
export function userId(dbPath, username) {
  const u = userRow(dbPath, username);
  assert.ok(u, `no person ${username}`);
  return u.id;
}

/** The newest audit entry that matches (as auditRows), or undefined. */
export function lastAudit(dbPath, filter = {}) {
  return auditRows(dbPath, { ...filter, limit: 1 })[0];
}

/**
 * Rows of a read-only query as objects, column name to value (sqlite3 -json; on PostgreSQL psql's json_agg of
 * the query): integers as numbers, text as strings, NULL as null, on either backend. For what neither the CLI
 * nor the API shows yet, as sql().
 */
export function sqlRows(dbPath, query) {
  const q = query.trim().replace(/;$/, '');
  const r = onPostgres()
    ? spawnSync('psql', [dbUrl(dbPath), '-X', '-A', '-t', '-q', '-v', 'ON_ERROR_STOP=1', '-c',
      `select coalesce(json_agg(q), '[]'::json) from (${q}) q`], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
    : spawnSync('sqlite3', ['-readonly', '-json', dbPath, q], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  assert.equal(r.status, 0, `${onPostgres() ? 'psql' : 'sqlite3'} failed: ${r.stderr}`);
  return r.stdout.trim() ? JSON.parse(r.stdout) : [];
}

/**
 * How many rows each table holds, through `safeguard stats --json` (what an operator runs: no SQL, any backend):
 * { table: rows } for the tables named. A name that is no table fails the CLI; a table missing from its output
 * throws.
 */
export function rowCounts(dbPath, tables = ['event', 'source_record', 'person', 'audit', 'identifier',
  'household', 'household_member']) {
  const r = runCli(['stats', '--db', dbUrl(dbPath), '--json', ...tables.flatMap((t) => ['--table', t])]);
  const all = Object.fromEntries(r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l))
    .map((o) => [o.table, o.rows]));
  const out = {};
  for (const t of tables) {
    // a table missing from the output (or a count that is no integer) fails here, never compares equal
    if (!Number.isSafeInteger(all[t])) throw new Error(`safeguard stats gave no count for ${t}: ${r.stdout}`);
    out[t] = all[t];
  }
  return out;
}

/** The rows of one table, as rowCounts. */
export const rowCount = (dbPath, table) => rowCounts(dbPath, [table])[table];

export function count(dbPath, table, where = '') {
  return Number(sql(dbPath, `select count(*) from ${table}${where ? ` where ${where}` : ''}`));
}


// ---- test data ----

/** Appends the NHS check digit to a 9-digit string; null when the check would be 10 (never issued). */
export function nhsNumber(nine) {
  const s = String(nine).padStart(9, '0');
  assert.equal(s.length, 9);
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(s[i]) * (10 - i);
  let check = 11 - (sum % 11);
  if (check === 11) check = 0;
  if (check === 10) return null;
  return s + check;
}

/** The n-th valid NHS number from a 9-digit base upwards (skipping those that cannot be valid). */
export function* nhsNumbers(base) {
  for (let n = base; ; n++) {
    const v = nhsNumber(n);
    if (v) yield v;
  }
}

/** Letters-only name from a number (a, b, ... z, ba, bb ...) so names differ after folding. */
export function letters(n) {
  let s = '';
  do { s = String.fromCharCode(97 + (n % 26)) + s; n = Math.floor(n / 26); } while (n > 0);
  return s[0].toUpperCase() + s.slice(1);
}

export function subject(over = {}) {
  return {
    given_name: 'Amira',
    middle_names: '',
    family_name: 'Khan',
    dob: '2016-05-03',
    sex: 'F',
    postcode: 'LS6 2AB',
    address: '12 Mill Lane',
    nhs_number: '9434765919',
    upn: '',
    ...over,
  };
}

export function event(over = {}, subjectOver = {}) {
  return {
    source_ref: 'PN-2025-0001',
    kind: 'concern',
    occurred_at: '2025-03-04T10:15:00Z',
    subject: subject(subjectOver),
    summary: 'Came to school with a bruised cheek',
    details: {},
    ...over,
  };
}

/** A tiny RFC 4180 parser (quoted fields may hold commas, quotes and newlines). */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
        quoted = false; i++; continue;
      }
      field += c; i++; continue;
    }
    if (c === '"') { quoted = true; i++; continue; }
    if (c === ',') { row.push(field); field = ''; i++; continue; }
    if (c === '\r' && text[i + 1] === '\n') { i++; continue; }
    if (c === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; continue; }
    field += c; i++;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}
