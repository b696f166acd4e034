// Helpers for the browser suite: the real binary's demo area, Debian's chromium (headless) driven by
// playwright-core, accessibility checked by axe-core. Nothing here downloads a browser.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';
import {
  BIN, allocationOf, assertNoSanitizerReport, dbUrl, isoSeconds, nhsNumbers, now, onPostgres, postEvent, request, removeDir, runCli,
  sql, tempDir, timed, totp,
  newAuthenticator, ukDate, userRow,
} from '../e2e/lib.mjs';

// The clock is the e2e suite's (SAFEGUARD_NOW, read once by ../e2e/lib.mjs and passed to every server and CLI the
// tests start). Chromium's own clock is the system's: nothing a page computes in JavaScript from the browser's
// clock may be compared with now() (today the pages compute no dates; chromium turns a cookie's Max-Age into an
// expiry on its own clock, which signin.test.mjs compares with the system clock).
export { BIN, isoSeconds, nhsNumbers, now, postEvent, request, sql, totp };

const here = path.dirname(fileURLToPath(import.meta.url));
// axe-core's browser build, the one @axe-core/playwright injects (tests/package.json installs both).
const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
export const ARTIFACTS = path.resolve(here, '../../build/artifacts/browser');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const AGENCIES = ['police', 'health', 'education', 'social_care', 'housing'];
// Without the background-networking flags chromium keeps trying to reach Google's services.
export const CHROMIUM_ARGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const PHASE_TEXT = 'Demonstration area: synthetic children only. Every look at a record is audited.';

// The people `safeguard demo` makes, one per role (src/cli/cmd_demo.c), and what the header calls each role.
export const DEMO_PEOPLE = {
  'demo.worker': 'social_worker', 'north.manager': 'team_manager', 'mash.worker': 'mash_worker',
  'mash.manager': 'team_manager', 'demo.police': 'police_officer', 'demo.health': 'health_practitioner',
  'demo.school': 'school_dsl', 'demo.chair': 'conference_chair', 'demo.analyst': 'oversight_analyst',
  'demo.dpo': 'dpo', 'demo.admin': 'admin', 'demo.lado': 'lado',
};
export const ROLE_NAMES = {
  social_worker: 'Social worker', team_manager: 'Team manager', mash_worker: 'MASH worker',
  police_officer: 'Police officer', health_practitioner: 'Health practitioner', school_dsl: 'School safeguarding lead',
  conference_chair: 'Conference chair or IRO', oversight_analyst: 'Oversight analyst', dpo: 'Data protection officer',
  admin: 'Administrator', lado: 'Local Authority Designated Officer',
};
// The practitioner most journeys follow: a social worker in team north, whose manager is north.manager.
export const WORKER = 'demo.worker';
export const WORKER_TEAM = 'north';

// These bound a hang (ASan starts slowly); they are not synchronisation.
const START_TIMEOUT_MS = 60000;
const STOP_TIMEOUT_MS = 30000;

function withTimeout(promise, ms, message) {
  let t;
  const timer = new Promise((_, reject) => { t = setTimeout(() => reject(new Error(message)), ms); });
  return Promise.race([promise, timer]).finally(() => clearTimeout(t));
}

// ---- the demo server ----

// The demo server the test file started last: newPage and signIn use it unless told another.
let currentDemo = null;

/**
 * The demo area as `safeguard demo --no-serve --families N` builds it (40 families through intake, the homes
 * register, the MASH queue, the LADO's referrals), built once and copied by each file: `safeguard demo` serves an
 * existing area as it is and makes its tokens, people and keys anew at each start (none of them is in the file
 * --no-serve leaves), so a copy serves what a fresh build would, the same children with the same ids. Building it
 * in every file cost 1.2 CPU seconds and about 2 s of each of 25 files (ci91: 50 s of the stage's wall time);
 * a copy and the start 0.3. The template is keyed by the binary (path, size, mtime) and by today's date in
 * England and in UTC on the tests' clock (the area's dates count from the day it was built: a file run after
 * midnight builds a new one). It lives under TMPDIR (make check's own, removed at the end); one is built beside
 * another file's at most once (a rename puts it in place whole). Not on PostgreSQL (browser-pg builds each area),
 * nor with DEMO_TEMPLATE=0. Returns the template's path, or null to build the area in place.
 */
function demoTemplate(families) {
  if (onPostgres() || process.env.DEMO_TEMPLATE === '0') return null;
  const bin = fs.statSync(BIN);
  const key = crypto.createHash('sha256')
    .update(JSON.stringify([fs.realpathSync(BIN), bin.size, bin.mtimeMs, families, ukDate(), isoSeconds().slice(0, 10)]))
    .digest('hex').slice(0, 16);
  const dir = path.join(os.tmpdir(), 'safeguard-demo-templates');
  const file = path.join(dir, `demo-${families}-${key}.db`);
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(dir, { recursive: true });
  const build = tempDir('demo-template');
  try {
    runCli(['demo', '--db', `sqlite:${build}/demo.db`, '--no-serve', '--families', String(families)]);
    fs.renameSync(`${build}/demo.db`, file);
  } finally {
    removeDir(build);
  }
  return file;
}

/**
 * Starts `safeguard demo` on a fresh SQLite file (or PostgreSQL database, see e2e lib dbUrl) and resolves once it printed its address, every person of
 * DEMO_PEOPLE (with their role, password and TOTP secret) and the five agency tokens:
 * {url, db, people: {username: {role, password, secret}}, tokens: {police, ...}, exampleChild, stderr, stop()}.
 * stop() sends SIGTERM and requires exit 0 and no sanitizer report.
 */
async function startDemoUntimed({ families = 40 } = {}) {
  const dir = tempDir('browser');
  const db = path.join(dir, 'demo.db');
  const template = demoTemplate(families);
  if (template) fs.copyFileSync(template, db);
  // On PostgreSQL (SAFEGUARD_TEST_DB) the area is a database of its own on that cluster, its keys and
  // recordings in DB.data (the folder the e2e lib's CLI helpers give the same URL).
  const env = onPostgres() ? { ...process.env, SAFEGUARD_DATA_DIR: `${db}.data` } : process.env;
  const proc = spawn(BIN, ['demo', '--db', dbUrl(db), '--listen', '127.0.0.1:0',
    '--families', String(families)], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let stdout = '';
  let stderr = '';
  let exitInfo = null;
  const exited = new Promise((resolve) => {
    proc.on('exit', (code, signal) => { exitInfo = { code, signal }; resolve(exitInfo); });
  });
  const streamsClosed = Promise.all([
    new Promise((r) => proc.stdout.on('close', r)),
    new Promise((r) => proc.stderr.on('close', r)),
  ]);
  proc.stdout.setEncoding('utf8');
  proc.stderr.setEncoding('utf8');
  proc.stderr.on('data', (d) => { stderr += d; });

  const demo = {
    proc,
    dir,
    db, // the SQLite file (or the name of the PostgreSQL area: dbUrl(db)): the CLI's commands (team add,
    // allocate, sweep) work on it beside the server
    url: null,
    tokens: {},
    people: {},
    exampleChild: null, // the child the banner offers (allocated to demo.worker)
    get stderr() { return stderr; },
    async stop() {
      if (exitInfo === null) proc.kill('SIGTERM');
      const info = await withTimeout(exited, STOP_TIMEOUT_MS, 'safeguard demo did not stop after SIGTERM');
      await streamsClosed;
      removeDir(dir);
      if (currentDemo === demo) currentDemo = null;
      assertNoSanitizerReport(stderr, 'safeguard demo');
      assert.deepEqual(info, { code: 0, signal: null }, `safeguard demo did not exit cleanly: ${stderr}`);
    },
  };
  const ready = new Promise((resolve, reject) => {
    proc.on('error', reject);
    proc.stdout.on('data', (d) => {
      stdout += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(stdout);
      if (m) demo.url = m[1];
      for (const t of stdout.matchAll(/^ +([a-z_]+) +(sgt_[A-Za-z0-9_-]+)$/gm)) demo.tokens[t[1]] = t[2];
      for (const p of stdout.matchAll(/^ +([a-z0-9._-]+) +([a-z_]+) +password (\S+) +totp-secret ([A-Z2-7]+)$/gm)) {
        demo.people[p[1]] = { role: p[2], password: p[3], secret: p[4] };
      }
      const ex = /^ +http:\/\/127\.0\.0\.1:\d+\/children\/(\d+)$/m.exec(stdout);
      if (ex) demo.exampleChild = Number(ex[1]);
      if (demo.url && demo.exampleChild && AGENCIES.every((a) => demo.tokens[a])
        && Object.keys(DEMO_PEOPLE).every((u) => demo.people[u])) resolve(demo);
    });
    exited.then((info) => reject(new Error(`safeguard demo exited (${info.code}, ${info.signal}) before it was ready:\n${stdout}\n${stderr}`)));
  });
  try {
    await withTimeout(ready, START_TIMEOUT_MS, 'safeguard demo did not print its address, people and tokens');
    for (const [u, role] of Object.entries(DEMO_PEOPLE)) {
      assert.equal(demo.people[u].role, role, `the demo prints ${u} as a ${role}`);
      assert.ok(demo.people[u].password.length >= 12, `${u}'s password`);
      assert.match(demo.people[u].secret, /^[A-Z2-7]{32}$/, `${u}'s TOTP secret`);
    }
    currentDemo = demo;
    return demo;
  } catch (e) {
    if (exitInfo === null) proc.kill('SIGKILL');
    await exited;
    removeDir(dir);
    throw e;
  }
}

/**
 * The demo server and a browser, started side by side: {demo, browser}. If either fails the other is stopped,
 * so a failed start never leaves a process behind (the test file would not end).
 */
export async function startDemoAndBrowser(options) {
  const [d, b] = await Promise.allSettled([startDemo(options), launchBrowser()]);
  if (d.status === 'fulfilled' && b.status === 'fulfilled') return { demo: d.value, browser: b.value };
  if (b.status === 'fulfilled') await b.value.close();
  if (d.status === 'fulfilled') await d.value.stop().catch(() => {});
  throw d.status === 'rejected' ? d.reason : b.reason;
}

// ---- test data through the API ----

let refSeq = 0;

/** POSTs one event with the agency's token; requires 201 and returns {id, child_id}. */
export async function addEvent(demo, agency, { kind = 'concern', occurred_at = '2025-01-15T10:00:00Z', summary, subject,
  details } = {}) {
  const body = { source_ref: `BROWSER-${process.pid}-${++refSeq}`, kind, occurred_at, subject, summary };
  if (details) body.details = details;
  const r = await postEvent(demo.url, demo.tokens[agency], body);
  assert.equal(r.status, 201, `POST /api/v1/events (${agency} ${kind}): ${r.status} ${r.text}`);
  return r.json;
}

/**
 * Creates a child from several agencies' events (all about the same subject); returns the child's id. A social
 * worker sees the whole record only of a child allocated to them, so by default the child is allocated (with the
 * CLI, as an administrator would) to WORKER in WORKER_TEAM; { allocate: USERNAME, team } allocates to someone
 * else, { allocate: false } leaves the child unallocated.
 */
export async function makeChild(demo, subject, events, { allocate = WORKER, team = WORKER_TEAM } = {}) {
  assert.ok(events.length > 0);
  let childId = null;
  for (const e of events) {
    const r = await addEvent(demo, e.agency, { ...e, subject });
    if (childId === null) childId = r.child_id;
    assert.equal(r.child_id, childId, 'every event about the same subject lands on the same child');
  }
  if (allocate) allocateChild(demo, childId, allocate, team);
  return childId;
}

/** `safeguard allocate` beside the running server; then the operator's list (allocation list) says who holds the case. */
export function allocateChild(demo, childId, worker, team = WORKER_TEAM) {
  assert.equal(demoCli(demo, ['allocate', '--child', String(childId), '--user', worker, '--team', team]), '');
  const held = allocationOf(demo.db, childId);
  assert.equal(`${held?.worker} ${held?.team}`, `${worker} ${team}`, `child ${childId} is allocated to ${worker} in ${team}`);
}

// ---- people ----

/**
 * Makes a person with `safeguard user add` (password on standard input) beside the running server, and adds
 * them to demo.people: {role, agency, password, secret}.
 */
export function makePerson(demo, { username, agency = 'social_care', role, password = `pw-${crypto.randomBytes(12).toString('hex')}` }) {
  assert.ok(username && role);
  const args = ['user', 'add', '--db', dbUrl(demo.db), '--username', username, '--agency', agency, '--role', role,
    '--password-stdin'];
  const r = runCli(args, { input: `${password}\n`, check: false });
  assert.equal(r.status, 0, `safeguard user add ${username}: ${r.stderr}`);
  const lines = r.stdout.trimEnd().split('\n');
  const secret = lines[lines.length - 1];
  assert.match(secret, /^[A-Z2-7]{32}$/, 'the TOTP secret is the last line');
  const made = userRow(demo.db, username);
  assert.deepEqual([made?.agency, made?.role], [agency, role], `${username} is listed by user list with their agency and role`);
  demo.people[username] = { role, agency, password, secret };
  return demo.people[username];
}

/**
 * The child's chronology through the API (newest first, as the API orders it), as the agencies' systems hold it
 * between them: each token (records:read) reads its own agency's events of a child its agency sent records
 * about. Health-only notes are left out, as for every reader outside health. With agency, that agency's
 * system's own view alone ([] when it sent nothing about the child), health-only notes and all.
 */
export async function apiChronology(demo, childId, agency) {
  if (agency) {
    const r = await request(`${demo.url}/api/v1/children/${childId}/chronology?limit=500`, { token: demo.tokens[agency] });
    if (r.status === 404) return [];
    assert.equal(r.status, 200, r.text);
    return r.json.events;
  }
  const events = [];
  for (const [name, token] of Object.entries(demo.tokens)) {
    const r = await request(`${demo.url}/api/v1/children/${childId}/chronology?limit=500`, { token });
    if (r.status === 404) continue; // this agency sent nothing about the child
    assert.equal(r.status, 200, r.text);
    assert.ok(r.json.events.every((e) => e.agency === name), `${name}'s system reads only its own events`);
    events.push(...r.json.events);
  }
  const healthOnly = (e) => e.agency === 'health' && ['sexual_health', 'mental_health'].includes(e.details?.category);
  return events.filter((e) => !healthOnly(e))
    .sort((a, b) => (a.occurred_at < b.occurred_at ? 1 : a.occurred_at > b.occurred_at ? -1 : b.id - a.id));
}

const UPN_LETTERS = 'ABCDEFGHJKLMNPQRTUVWXYZ';

/** A valid UPN (check letter first) from 12 digits. */
export function upn(twelveDigits) {
  const rest = String(twelveDigits);
  assert.match(rest, /^[0-9]{12}$/);
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(rest[i]) * (i + 2);
  return UPN_LETTERS[sum % 23] + rest;
}

/** "943 476 5919", as the NHS writes it. */
export function spacedNhs(nhs) {
  return `${nhs.slice(0, 3)} ${nhs.slice(3, 6)} ${nhs.slice(6)}`;
}

// ---- the browser ----

function launchBrowserUntimed() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 60000 });
}

/**
 * A new context and page that record what should never happen: script errors, console errors, dialogs and
 * failed requests. problems() lists them.
 *
 * Every page but /sign-in needs someone signed in, so the caller says who: { as: USERNAME } signs that person in
 * by filling /sign-in in this page (the session cookie lives in this context only); { as: null } stays signed
 * out. { demo } is the server (the one started last by default); the other options go to browser.newContext.
 */
async function newPageUntimed(browser, { as, demo = currentDemo, ...options } = {}) {
  assert.ok(as !== undefined, 'newPage: say who signs in ({ as: USERNAME }), or { as: null } to stay signed out');
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  context.setDefaultTimeout(20000);
  context.setDefaultNavigationTimeout(30000);
  const page = await context.newPage();
  const seen = { errors: [], dialogs: [] };
  page.on('pageerror', (e) => seen.errors.push(`page error: ${e.message}`));
  // A page answered 400 or 404 is a result to check, not a problem; a sub-resource that fails is one (the
  // console's "Failed to load resource" lines repeat what the responses say).
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) seen.errors.push(`console error: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && r.request().resourceType() !== 'document') seen.errors.push(`${r.status()} for ${r.url()}`);
  });
  page.on('requestfailed', (r) => { // a request the browser itself dropped on leaving a page is no fault
    if (r.failure()?.errorText !== 'net::ERR_ABORTED') seen.errors.push(`request failed: ${r.url()} ${r.failure()?.errorText}`);
  });
  page.on('dialog', (d) => { seen.dialogs.push(`${d.type()}: ${d.message()}`); d.dismiss().catch(() => {}); });
  page.problems = () => [...seen.errors, ...seen.dialogs];
  page.dialogs = () => [...seen.dialogs];
  page.demo = demo;
  if (as !== null) await signIn(page, as, { demo });
  return page;
}

/** Fills the sign-in form as a person would; the answers left out stay as they are. */
export async function fillSignIn(page, { username, password, code }) {
  if (username !== undefined) await page.getByLabel('Username').fill(username);
  if (password !== undefined) await page.getByLabel('Password').fill(password);
  if (code !== undefined) await page.getByLabel('Security code').fill(code);
}

/** The header's "USERNAME (Role name)", or null when no one is signed in. */
export async function signedInAs(page) {
  const who = page.locator('.govuk-service-navigation__text');
  if (await who.count() === 0) return null;
  return textOf(who);
}

/**
 * Signs a person of demo.people in, in this page, through /sign-in (next: the path to come back to, which the
 * server must send the browser to). Requires that the browser lands there and that the header names the person.
 * A code from the current 30-second step: the server accepts the step either side, so a step that ends between
 * reading the clock and the server's check does not matter. Each code signs in once, and the suite signs the same
 * people in many times a minute: each sign-in here stands for one minutes after the last, so the person is given a
 * new authenticator first (newAuthenticator: `safeguard user reset-totp`, password and sessions kept), and
 * demo.people[username].secret becomes its secret.
 */
async function signInUntimed(page, username, { demo = page.demo ?? currentDemo, next, form: formSignIn = process.env.SIGN_IN_FORM === '1' } = {}) {
  assert.ok(demo, 'signIn: no demo server');
  const person = demo.people[username];
  assert.ok(person, `signIn: ${username} is not one of the demo's people (${Object.keys(demo.people).join(', ')})`);
  const signInUrl = `${demo.url}/sign-in${next ? `?next=${encodeURIComponent(next)}` : ''}`;
  if (formSignIn) {
    await goto(page, signInUrl);
    assert.equal(await textOf(page.locator('h1')), 'Sign in', `the sign-in page (at ${page.url()})`);
    person.secret = newAuthenticator(demo.db, username);
    await fillSignIn(page, { username, password: person.password, code: totp(person.secret) });
    await navigate(page, () => page.getByRole('button', { name: 'Sign in' }).click(),
      (u) => u.pathname !== '/sign-in' && (!next || `${u.pathname}${u.search}` === next));
  } else {
    // The same form posted from the page's context (its cookies: the sign-in page's pre-session and then the
    // session), without chromium drawing the sign-in page: ~190 sign-ins a run as set-up of tests about other
    // pages. The form itself, as a person fills it, is signin.test.mjs's (SIGN_IN_FORM=1 makes every file sign in
    // through it). Then the page the form's answer leads to, in the browser.
    // Connection: close: the context's request client would otherwise keep its connection open beside chromium's
    // and the tests' own, and the server takes at most 64 at once from one address (an alerts test's 30 posts at
    // once were refused: ci64, 2026-12-06).
    // The sign-in page is fetched by the context's request client only: chromium opening it too, as it did
    // before each of these sign-ins until 2026-12-06 (r-ci20), drew a page nothing here looked at but its heading.
    const form = await page.context().request.get(signInUrl, { headers: { Connection: 'close' } });
    const html = await form.text();
    assert.equal(form.status(), 200, `the sign-in page: ${html.slice(0, 300)}`);
    assert.match(html, /<h1 class="govuk-heading-l">Sign in<\/h1>/, 'the sign-in page'); // templates/signin.mustache
    const csrf = /name="csrf_token" value="([^"]+)"/.exec(html);
    assert.ok(csrf, 'the sign-in page carries its CSRF token');
    person.secret = newAuthenticator(demo.db, username);
    const r = await page.context().request.post(`${demo.url}/sign-in`, {
      form: { csrf_token: csrf[1], username, password: person.password, totp: totp(person.secret), ...(next ? { next } : {}) },
      headers: { Origin: demo.url, Connection: 'close' }, maxRedirects: 0,
    });
    assert.equal(r.status(), 303, `the sign-in form's answer: ${(await r.text()).slice(0, 300)}`);
    const to = new URL(r.headers().location, demo.url);
    await goto(page, to.href);
    const u = new URL(page.url());
    assert.ok(u.pathname !== '/sign-in' && (!next || `${u.pathname}${u.search}` === next), `signed in, at ${page.url()}`);
  }
  assert.equal(await signedInAs(page), `${username} (${ROLE_NAMES[person.role]})`, 'the header names who is signed in');
  const cookies = await page.context().cookies(demo.url);
  assert.equal(cookies.filter((c) => c.name === 'sg_session').length, 1, 'the session cookie is set');
  return page;
}

/** Presses the header's "Sign out"; requires the signed-out sign-in page, with no session cookie left. */
export async function signOut(page) {
  await navigate(page, () => page.getByRole('button', { name: 'Sign out' }).click(),
    (u) => u.pathname === '/sign-in' && u.searchParams.get('signed_out') === '1');
  assert.equal(await signedInAs(page), null);
  assert.deepEqual((await page.context().cookies()).filter((c) => c.name === 'sg_session'), [], 'the session cookie is gone');
}

/** The CSRF token the page's forms carry (every page has one in the header's sign-out form). */
export async function csrfToken(page) {
  const t = await page.locator('input[name="csrf_token"]').first().getAttribute('value');
  assert.ok(t && t.length >= 16, `a CSRF token on ${page.url()}`);
  return t;
}

/**
 * A form POSTed from this page's context (its cookies, so as the person signed in there), as a browser would
 * from origin; fields are sent as given (add csrf_token yourself). Returns {status, text}.
 */
export async function postFromPage(page, path, fields, { origin } = {}) {
  const demo = page.demo ?? currentDemo;
  const r = await page.context().request.post(`${demo.url}${path}`, {
    form: fields, headers: { Origin: origin ?? demo.url }, maxRedirects: 0,
  });
  return { status: r.status(), text: await r.text(), headers: r.headers() };
}

/**
 * Runs action (a click, a key press) and waits for the page it leads to (after any redirect) to load; fails,
 * saying where the browser went and what the page said, unless pred(URL) holds for it.
 */
async function navigateUntimed(page, action, pred) {
  const committed = page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame() });
  await action();
  await committed;
  await page.waitForLoadState('load');
  const url = new URL(page.url());
  if (!pred(url)) {
    const h1 = await page.locator('h1').first().innerText().catch(() => '(no h1)');
    assert.fail(`expected another page: the browser is at ${url.pathname}${url.search}${url.hash}, whose heading is "${h1}"`);
  }
  return url;
}

async function gotoUntimed(page, url) {
  const res = await page.goto(url, { waitUntil: 'load' });
  assert.ok(res, `no response for ${url}`);
  return res;
}

/** Removes the screenshots a test file saved on an earlier run (their names start with prefix-). */
export function clearSnaps(prefix) {
  if (!fs.existsSync(ARTIFACTS)) return;
  for (const f of fs.readdirSync(ARTIFACTS)) if (f.startsWith(`${prefix}-`)) fs.rmSync(path.join(ARTIFACTS, f));
}

/** A full-page PNG under build/artifacts/browser/. */
async function snapUntimed(page, name) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  assert.ok(fs.statSync(file).size > 1000, `${file} is not a real screenshot`);
  return file;
}

/**
 * axe-core on the page as it is now; fails listing each violation's id, help, impact and targets.
 *
 * axe-core's own axe.run in the page, every rule, as @axe-core/playwright's AxeBuilder runs it in its legacy mode,
 * but with axe injected once per document (not again for each check of the same page) and without the builder's
 * default path, which for every check opened a second, blank page in the context, injected axe (650 kB) there too
 * and merged the results in it (axe.runPartial/finishRun, made for cross-origin iframes, which these pages do not
 * have): about half of the browser stage's time went on that. resultTypes: violations are reported with every
 * node, the other result types (passes, incomplete) with one node each (axe still runs every rule).
 */
async function assertAccessibleUntimed(page, label) {
  const results = await runAxe(page);
  assert.ok(results.passes.length > 0, `axe ran no checks on ${label}`);
  const lines = results.violations.map((v) => `  ${v.id} (${v.impact}): ${v.help} [${v.helpUrl}]\n${
    v.nodes.map((n) => `      at ${n.target.join(' ')}\n        ${n.failureSummary?.replace(/\n/g, '\n        ')}`).join('\n')}`);
  assert.equal(results.violations.length, 0,
    `axe found ${results.violations.length} violation(s) on ${label} (${page.url()}):\n${lines.join('\n')}`);
  return results;
}

/** axe.run on the page's document (axe-core injected first if this document has not got it yet). */
export async function runAxe(page) {
  if (!await page.evaluate(() => typeof window.axe?.run === 'function')) await page.evaluate(AXE_SOURCE);
  return page.evaluate((options) => window.axe.run(document, options), { resultTypes: ['violations'] });
}

/** What every page of the demo area carries: the phase banner saying it holds synthetic children and is audited. */
export async function assertPhaseBanner(page) {
  const banner = page.locator('.govuk-phase-banner');
  assert.equal(await banner.count(), 1, `no phase banner on ${page.url()}`);
  assert.ok(await banner.isVisible());
  const text = (await banner.innerText()).replace(/\s+/g, ' ');
  assert.match(text, /demonstration/i, `the phase banner says it is a demonstration: ${text}`);
  assert.ok(text.includes(PHASE_TEXT), `the phase banner says "${PHASE_TEXT}": ${text}`);
}

/** Visible text with runs of white space as one space. */
export async function textOf(locator) {
  return (await locator.innerText()).replace(/\s+/g, ' ').trim();
}

/** The results table of the search page: [{name, href, dob, postcode}]. */
export async function searchResults(page) {
  const rows = page.locator('table.govuk-table tbody tr');
  const out = [];
  for (const row of await rows.all()) {
    const cells = row.locator('td');
    const link = cells.nth(0).locator('a');
    out.push({
      name: (await link.innerText()).trim(),
      href: await link.getAttribute('href'),
      dob: (await cells.nth(1).innerText()).trim(),
      postcode: (await cells.nth(2).innerText()).trim(),
    });
  }
  return out;
}

/** A cell's visible text without the parts matching selector (issue 15's recorder and category lines). */
async function textWithout(cell, selector) {
  return cell.evaluate((td, sel) => {
    const c = td.cloneNode(true);
    for (const x of c.querySelectorAll(sel)) x.remove();
    document.body.appendChild(c); // innerText needs layout
    const t = c.innerText;
    c.remove();
    return t;
  }, selector);
}

/**
 * The chronology table of a record page: [{id, when, agency, what, recorder, category}], in page order. agency and
 * what are the cells without the recorder ("Recorded by ...") and the category (issue 15), which come apart.
 */
export async function chronologyRows(page) {
  const rows = page.locator('#chronology-table tbody tr');
  const out = [];
  for (const row of await rows.all()) {
    const cells = row.locator('td');
    const recorder = cells.nth(1).locator('.sg-recorder');
    const category = cells.nth(2).locator('.sg-category');
    out.push({
      id: await row.getAttribute('id'),
      when: (await cells.nth(0).innerText()).replace(/\s+/g, ' ').trim(),
      agency: (await textWithout(cells.nth(1), '.sg-recorder')).replace(/\s+/g, ' ').trim(),
      what: (await textWithout(cells.nth(2), '.sg-category')).replace(/\s+/g, ' ').trim(),
      recorder: (await recorder.count()) ? (await recorder.innerText()).trim() : '',
      category: (await category.count()) ? (await category.innerText()).replace(/^:\s*/, '').trim() : '',
    });
  }
  return out;
}

/** The page's summary list as {key: value}, without the rows of summary cards (summaryCard reads those). */
export async function summaryList(page) {
  const out = {};
  for (const row of await page.locator('.govuk-summary-list__row:not(.govuk-summary-card .govuk-summary-list__row)').all()) {
    out[(await row.locator('dt').innerText()).trim()] = (await row.locator('dd').innerText()).replace(/\s+/g, ' ').trim();
  }
  return out;
}

/** A summary card's rows as {key: value} (the child's summary card by default: issue 15). */
export async function summaryCard(page, selector = '#child-summary') {
  const out = {};
  for (const row of await page.locator(`${selector} .govuk-summary-list__row`).all()) {
    out[(await row.locator('dt').innerText()).trim()] = (await row.locator('dd').innerText()).replace(/\s+/g, ' ').trim();
  }
  return out;
}

/** The links of the error summary: [{text, href}]. */
export async function errorSummary(page) {
  const summary = page.locator('.govuk-error-summary');
  if (await summary.count() !== 1) {
    const h1 = await page.locator('h1').first().innerText().catch(() => '(no h1)');
    assert.fail(`no error summary on ${page.url()}, whose heading is "${h1}"`);
  }
  assert.ok(await summary.isVisible());
  assert.equal(await textOf(summary.locator('.govuk-error-summary__title')), 'There is a problem');
  const out = [];
  for (const a of await summary.locator('.govuk-error-summary__list a').all()) {
    out.push({ text: (await a.innerText()).trim(), href: await a.getAttribute('href') });
  }
  return out;
}

/** "9 July 2014" from an ISO date, as the pages write it. */
export function longDate(iso) {
  const [y, m, d] = iso.split('-').map(Number);
  const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October',
    'November', 'December'];
  return `${d} ${months[m - 1]} ${y}`;
}

/** Whole years from an ISO date of birth to today in the UK. */
export function ageToday(iso) {
  const [ty, tm, td] = ukToday().split('-').map(Number);
  const [y, m, d] = iso.split('-').map(Number);
  return ty - y - (tm < m || (tm === m && td < d) ? 1 : 0);
}

/** The id of the focused element (or its tag when it has none). */
export function focused(page) {
  return page.evaluate(() => {
    const e = document.activeElement;
    return e ? (e.id || e.tagName.toLowerCase()) : null;
  });
}

/**
 * Fills the concern form as a person would, by its labels. Every answer is optional: what is left out stays
 * as it is. seen is 'Yes' or 'No'; category is the radio's label. The form no longer asks which agency: a
 * concern is recorded for the agency of the person signed in.
 */
export async function fillConcern(page, { agency, day, month, year, time, category, summary, words, seen, action }) {
  assert.equal(agency, undefined, 'the concern form has no agency question: sign in as someone of that agency');
  if (day !== undefined) await page.getByLabel('Day').fill(day);
  if (month !== undefined) await page.getByLabel('Month').fill(month);
  if (year !== undefined) await page.getByLabel('Year').fill(year);
  if (time !== undefined) await page.getByLabel('Time (optional)').fill(time);
  if (category !== undefined) await page.getByLabel(category).check();
  if (summary !== undefined) await page.getByLabel('What happened?').fill(summary);
  if (words !== undefined) await page.getByLabel('What did the child say, in their own words?').fill(words);
  if (seen !== undefined) await page.getByRole('group', { name: 'Did you see the child yourself?' }).getByLabel(seen).check();
  if (action !== undefined) await page.getByLabel('What have you done about it?').fill(action);
}

// ---- alerts, caseloads, the MASH queue, visits ----

/** Runs `safeguard ARGS --db DEMO_DB` beside the running demo server; requires exit 0; returns stdout. */
export function demoCli(demo, args) {
  return runCli([...args, '--db', dbUrl(demo.db)]).stdout;
}

/** The date in England (Europe/London), as YYYY-MM-DD, of an instant (a Date or ms); today's on the injected clock by default. */
export function ukToday(at = now()) {
  return ukDate(Number(at));
}

/** "HH:MM" in England for an instant. */
export function ukTime(at) {
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .format(at);
}

export function addDays(iso, n) {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

function weekday(iso) {
  return new Date(`${iso}T00:00:00Z`).getUTCDay(); // 0 Sunday .. 6 Saturday
}

/**
 * England and Wales bank holidays of a year, written out independently of src/clock (an oracle for the
 * pages' due dates): the regular rules with substitute days, and the one-off changes since 2020.
 */
export function bankHolidays(y) {
  const out = new Set();
  const iso = (m, d) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  const weekend = (d) => weekday(d) === 0 || weekday(d) === 6;
  // Each search ends within a week (a week holds a Monday and five weekdays, and at most two are taken).
  const within = (d, step, ok) => {
    for (let i = 0; i < 7; i++, d = addDays(d, step)) if (ok(d)) return d;
    throw new Error(`bankHolidays(${y}): no day from ${d} on`);
  };
  const firstWeekday = (d) => within(d, 1, (x) => !weekend(x) && !out.has(x));
  const mondayOnOrAfter = (d) => within(d, 1, (x) => weekday(x) === 1);
  const lastMonday = (m) => within(addDays(m === 12 ? `${y + 1}-01-01` : iso(m + 1, 1), -1), -1, (x) => weekday(x) === 1);
  // Easter Sunday (anonymous Gregorian algorithm).
  const a = y % 19; const b = Math.floor(y / 100); const c = y % 100; const d = Math.floor(b / 4); const e = b % 4;
  const f = Math.floor((b + 8) / 25); const g = Math.floor((b - f + 1) / 3); const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4); const k = c % 4; const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451); const month = Math.floor((h + l - 7 * m + 114) / 31);
  const easter = iso(month, ((h + l - 7 * m + 114) % 31) + 1);
  out.add(firstWeekday(iso(1, 1)));
  out.add(addDays(easter, -2));
  out.add(addDays(easter, 1));
  out.add(y === 2020 ? '2020-05-08' : mondayOnOrAfter(iso(5, 1)));
  if (y === 2022) { out.add('2022-06-02'); out.add('2022-06-03'); } else out.add(lastMonday(5));
  out.add(lastMonday(8));
  out.add(firstWeekday(iso(12, 25)));
  out.add(firstWeekday(iso(12, 26)));
  if (y === 2022) out.add('2022-09-19');
  if (y === 2023) out.add('2023-05-08');
  return out;
}

export function isWorkingDay(iso) {
  const w = weekday(iso);
  return w !== 0 && w !== 6 && !bankHolidays(Number(iso.slice(0, 4))).has(iso);
}

/** The nth working day after iso (iso itself not counted); a negative n counts back. */
export function addWorkingDays(iso, n) {
  let d = iso;
  // No run of days off in England is longer than 5, so 7 days a working day bounds the walk.
  for (let left = Math.abs(n), days = 0; left > 0; days++) {
    if (days > 7 * Math.abs(n) + 7) throw new Error(`addWorkingDays(${iso}, ${n}) found no working days`);
    d = addDays(d, n > 0 ? 1 : -1);
    if (isWorkingDay(d)) left--;
  }
  return d;
}

/**
 * The alerts inbox table, one row per item: [{id, href, child, childHref, title, why, next, raised, due, overdue, owner,
 * state}] (issue 15: words, not rule codes). A row for one incident's children names the first; children lists each
 * as {child, childHref, alertHref}.
 */
export async function alertRows(page) {
  const out = [];
  for (const row of await page.locator('#alerts-table tbody tr').all()) {
    const cells = row.locator('td');
    const grouped = await cells.nth(0).locator('li').count() > 0;
    const child = grouped ? cells.nth(0).locator('li a').first() : cells.nth(0).locator('a');
    const alert = cells.nth(1).locator('a').first();
    const children = [];
    for (const li of await cells.nth(0).locator('li').all()) {
      children.push({ child: (await li.locator('a').first().innerText()).trim(),
        childHref: await li.locator('a').first().getAttribute('href'), alertHref: await li.locator('a').nth(1).getAttribute('href') });
    }
    const words = async (sel) => (await cells.nth(1).locator(sel).count() ? (await cells.nth(1).locator(sel).innerText()).trim() : '');
    const dueCell = cells.nth(3);
    out.push({
      id: (await row.getAttribute('id')).replace(/^alert-/, ''),
      href: await alert.getAttribute('href'),
      child: (await child.innerText()).trim(),
      childHref: await child.getAttribute('href'),
      title: (await alert.innerText()).trim(),
      why: await words('.sg-why'),
      next: (await words('.sg-next')).replace(/^Next step:\s*/, ''),
      ...(grouped ? { children } : {}),
      raised: (await cells.nth(2).innerText()).trim(),
      due: (await dueCell.innerText()).replace(/\s+/g, ' ').replace(/ Overdue$/, '').trim(),
      overdue: await dueCell.locator('.govuk-tag--red').count() === 1,
      owner: (await cells.nth(4).innerText()).replace(/\s+/g, ' ').trim(),
      state: (await cells.nth(5).innerText()).trim(),
    });
  }
  return out;
}

/**
 * Fills the visit form as a person would. Every answer is optional: what is left out stays as it is. seen and
 * alone are 'Yes' or 'No'; day, month and year are the visit date's boxes.
 */
export async function fillVisit(page, { type = 'Statutory visit to a looked-after child', day, month, year, time, seen, alone,
  words, method, summary }) {
  if (type) await page.getByLabel(type, { exact: true }).check(); // required since issue 15
  if (day !== undefined) await page.getByLabel('Day').fill(day);
  if (month !== undefined) await page.getByLabel('Month').fill(month);
  if (year !== undefined) await page.getByLabel('Year').fill(year);
  if (time !== undefined) await page.getByLabel('Time (optional)').fill(time);
  // The seen-alone question sits inside the "Yes" answer of the seen question: its radios are found by id.
  if (seen !== undefined) await page.locator(seen === 'Yes' ? '#seen' : '#seen-no').check();
  if (alone !== undefined) await page.locator(alone === 'Yes' ? '#seen_alone' : '#seen_alone-no').check();
  if (words !== undefined) await page.getByLabel('What did the child say, in their own words?').fill(words);
  if (method !== undefined) {
    await page.getByLabel('If the child does not communicate in words, how were their views and feelings gathered?').fill(method);
  }
  if (summary !== undefined) await page.getByLabel('Note of the visit').fill(summary);
}

// ---- the profile's wrappers (SG_PROFILE) ----
export function startDemo(...args) { return timed('startDemo', () => startDemoUntimed(...args)); }
export function launchBrowser(...args) { return timed('launchBrowser', () => launchBrowserUntimed(...args)); }
export function signIn(...args) { return timed('signIn', () => signInUntimed(...args)); }
export function snap(...args) { return timed('snap', () => snapUntimed(...args)); }
export function assertAccessible(...args) { return timed('assertAccessible', () => assertAccessibleUntimed(...args)); }
export function newPage(...args) { return timed('newPage', () => newPageUntimed(...args)); }
export function navigate(...args) { return timed('navigate', () => navigateUntimed(...args)); }
export function goto(...args) { return timed('goto', () => gotoUntimed(...args)); }
