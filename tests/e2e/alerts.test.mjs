// Alerts that reach a person (issue 5, parts 5 and 6), end to end: the rules in the intake transaction,
// owners (allocated worker, else team, else the MASH), GET /api/v1/alerts and its filters, acknowledge and
// resolve, audit of reads and changes, domestic abuse reaching every child of a household, the daily sweep
// and escalation (`safeguard sweep --today`), `team add` and `allocate`, and the unscheduled-care flags
// (GET /api/v1/flags, as NHS CP-IS).
//
// Dates: intake refuses future dates and runs the rules up to England's today (the injected clock, which
// SAFEGUARD_NOW sets for this process and the servers it starts: lib.mjs), so every event here is dated
// relative to today with the calendar below, an oracle written from docs/RULES.md and GOV.UK's bank holidays
// (not from src/clock). Where a date must be exact regardless of today, the sweep is run with --today on
// events whose dates the test chose. No expectation may rest on the weekday, month or year of today: `make
// calendar` runs this file on a fixed list of awkward days (scripts/calendar.sh).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import {
  auditRows, teamRows, allocationOf, alertRows as cliAlerts,
  auditEntries as auditTotal, addPerson, totp,
  clockPast, count, event, flagLookups, freshArea, isoSeconds, letters, nhsNumbers, now, postEvent, removeDir, request, runCli,
  agencyRows, startServer, ukDate, ukToday, dbUrl,
} from './lib.mjs';

// ---- the calendar (England & Wales) ----

const DAY_MS = 86400000;

const ms = (d) => Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10)));
const iso = (t) => new Date(t).toISOString().slice(0, 10);
const addDays = (d, n) => iso(ms(d) + n * DAY_MS);
const weekday = (d) => new Date(ms(d)).getUTCDay(); // 0 Sunday .. 6 Saturday
const ymd = (y, m, d) => iso(Date.UTC(y, m - 1, d));

/** Calendar months with the day clamped (31 Jan + 1 month = 28/29 Feb). */
function addMonths(d, n) {
  const y = Number(d.slice(0, 4));
  const m = Number(d.slice(5, 7)) - 1 + n;
  const ty = y + Math.floor(m / 12);
  const tm = ((m % 12) + 12) % 12;
  const last = new Date(Date.UTC(ty, tm + 1, 0)).getUTCDate();
  return iso(Date.UTC(ty, tm, Math.min(Number(d.slice(8, 10)), last)));
}

function easterSunday(y) { // anonymous Gregorian algorithm
  const a = y % 19, b = Math.floor(y / 100), c = y % 100, d = Math.floor(b / 4), e = b % 4;
  const f = Math.floor((b + 8) / 25), g = Math.floor((b - f + 1) / 3), h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4), k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7, m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  return ymd(y, month, ((h + l - 7 * m + 114) % 31) + 1);
}

/** The first day from d on (step 1) or back (step -1) that is a Monday: at most 6 steps. */
function monday(d, step) {
  for (let i = 0; i < 7; i++, d = addDays(d, step)) if (weekday(d) === 1) return d;
  throw new Error(`no Monday within a week of ${d}`);
}

const firstMonday = (y, m) => monday(ymd(y, m, 1), 1);
const lastMonday = (y, m) => monday(iso(Date.UTC(y, m, 0)), -1);

const holidayCache = new Map();
/** England & Wales bank holidays of a year (GOV.UK), with the one-off moves and extra days since 2000. */
function bankHolidays(y) {
  if (holidayCache.has(y)) return holidayCache.get(y);
  const s = new Set();
  const jan1 = ymd(y, 1, 1);
  s.add(weekday(jan1) === 6 ? ymd(y, 1, 3) : weekday(jan1) === 0 ? ymd(y, 1, 2) : jan1);
  const easter = easterSunday(y);
  s.add(addDays(easter, -2));
  s.add(addDays(easter, 1));
  s.add(y === 2020 ? '2020-05-08' : firstMonday(y, 5));
  const spring = { 2002: ['2002-06-03', '2002-06-04'], 2012: ['2012-06-04', '2012-06-05'], 2022: ['2022-06-02', '2022-06-03'] };
  for (const d of spring[y] || [lastMonday(y, 5)]) s.add(d);
  s.add(lastMonday(y, 8));
  const xmas = weekday(ymd(y, 12, 25));
  if (xmas === 6) { s.add(ymd(y, 12, 27)); s.add(ymd(y, 12, 28)); } // Sat: Mon and Tue
  else if (xmas === 0) { s.add(ymd(y, 12, 26)); s.add(ymd(y, 12, 27)); } // Sun: Mon (Boxing Day) and Tue
  else if (xmas === 5) { s.add(ymd(y, 12, 25)); s.add(ymd(y, 12, 28)); } // Boxing Day on Sat: Mon
  else { s.add(ymd(y, 12, 25)); s.add(ymd(y, 12, 26)); }
  for (const d of ['2011-04-29', '2022-09-19', '2023-05-08']) if (Number(d.slice(0, 4)) === y) s.add(d);
  holidayCache.set(y, s);
  return s;
}

const isWorkingDay = (d) => weekday(d) !== 0 && weekday(d) !== 6 && !bankHolidays(Number(d.slice(0, 4))).has(d);

/** The n-th working day after d (n > 0), or before it (n < 0), not counting d itself. */
function addWorkingDays(d, n) {
  const step = n < 0 ? -1 : 1;
  let left = Math.abs(n);
  let x = d;
  // No run of days off in England is longer than 5 (Christmas with both substitutes), so this is a bound.
  for (let days = 0; left > 0; days++) {
    if (days > 7 * Math.abs(n) + 7) throw new Error(`addWorkingDays(${d}, ${n}) found no working days`);
    x = addDays(x, step);
    if (isWorkingDay(x)) left--;
  }
  return x;
}

/** When REFERRAL_DECISION_OVERDUE falls for a referral on day r: due 1 working day after, raised the day after. */
function referralClock(r) {
  const due = addWorkingDays(r, 1);
  return { due, raised: addDays(due, 1) };
}

/**
 * Two referrals, Q on a working day from `from` on and P after it, whose decision alerts are raised on
 * consecutive days (P's the day after Q's): what the sweep's 90-day look-back needs to tell "90 days old"
 * from "91". Not every day has such a pair (a decision is never due on a Saturday, so no alert is raised on
 * a Sunday), so the first that does within two weeks of `from` is taken, whatever day of the week `from` is.
 */
function referralsOneDayApart(from) {
  for (let k = 0; k < 14; k++) {
    const rq = addDays(from, k);
    if (!isWorkingDay(rq)) continue;
    const want = addDays(referralClock(rq).raised, 1);
    for (let j = 1; j <= 14; j++) {
      const rp = addDays(rq, j);
      if (referralClock(rp).raised === want) return { rq, rp };
    }
  }
  assert.fail(`no two referrals within two weeks of ${from} have decision alerts raised on consecutive days`);
}

const TODAY = ukToday();

/** An occurred_at on day d at time t (UTC), never in the future (intake refuses those). */
function at(d, t = '10:00:00') {
  const s = `${d}T${t}Z`;
  if (Date.parse(s) <= now()) return s;
  return isoSeconds(now() - 1000);
}

// ---- the area ----

let area;
let server;
let url;
let tok;
const nhs = nhsNumbers(610000000);
let refNo = 0;
let childNo = 0;

before(async () => {
  area = freshArea('alerts');
  tok = area.tokens;
  server = await startServer(area.db);
  url = server.url;
});

after(async () => {
  try {
    if (server) await server.stop();
  } finally {
    removeDir(area?.dir);
  }
});

// ---- helpers ----

/** The audit entries that match (lib's auditRows), oldest first, with only the named fields. */
function auditOf(db, filter, fields) {
  return auditRows(db, filter).reverse().map((e) => Object.fromEntries(fields.map((f) => [f, e[f]])));
}

/**
 * How many entries the audit holds (lib's auditEntries, which also verifies the chain) but the operator's own
 * reads of the alerts and allocations (`safeguard alert list`, `allocation list`: alertRows and allocationOf
 * below), which are audited reads too: what the server and the commands under test wrote.
 */
function auditEntries(db) {
  const reads = auditRows(db, { action: 'alerts.list' }).length + auditRows(db, { action: 'allocations.list' }).length;
  return auditTotal(db) - reads;
}

/** A new child's subject: its own NHS number, name and address (so no two children share a household by accident). */
function kid(over = {}) {
  const n = ++childNo;
  return {
    given_name: letters(n + 700), family_name: 'Alertson', dob: '2016-04-05', sex: 'F',
    postcode: 'LS1 4AP', address: `${n} Rule Row`, nhs_number: nhs.next().value, upn: '', ...over,
  };
}

/** POSTs one event; requires 201. Returns {id, child_id, body}. */
async function post(token, kind, occurredAt, subj, details = {}, base = url) {
  const body = event({
    source_ref: `AL-${++refNo}`, kind, occurred_at: occurredAt, summary: `${kind} for the alerts tests`, details,
  }, subj);
  const r = await postEvent(base, token, body);
  assert.equal(r.status, 201, `${kind} at ${occurredAt}: ${r.text}`);
  return { ...r.json, body };
}

const NULLABLE = ['due', 'acknowledged_at', 'acknowledged_by', 'resolved_at', 'resolved_by', 'outcome', 'escalated_at',
  'escalated_to'];

/**
 * The alerts as stored, through the CLI (lib's alertRows: `safeguard alert list --json`, filters {child, code,
 * state}), oldest first, each with person_id and due_on, and null for what has not happened, as the tests below
 * compare them; keep, when given, picks rows (evidence, escalation).
 */
function alertRows(db, filter = {}, keep = () => true) {
  return cliAlerts(db, filter).filter(keep).sort((a, b) => a.id - b.id).map(({ child, due, ...a }) => {
    const row = { ...a, person_id: child, due_on: due };
    for (const k of NULLABLE) if (row[k === 'due' ? 'due_on' : k] === '') row[k === 'due' ? 'due_on' : k] = null;
    return row;
  });
}

function alertRow(db, id) {
  const r = alertRows(db, {}, (a) => a.id === Number(id));
  assert.equal(r.length, 1, `alert ${id} in the database`);
  return r[0];
}

function getAlerts(query = '', token = tok.social_care, base = url) {
  return request(`${base}/api/v1/alerts${query ? `?${query}` : ''}`, { token });
}

/** Every alert of a child through the API (state=all), requiring 200. */
async function alertsOfChild(childId, token = tok.social_care, base = url) {
  const r = await getAlerts(`child=${childId}&state=all&limit=500`, token, base);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.more, false);
  return r.json.alerts;
}

function postAction(id, action, body, { token = tok.social_care, contentType = 'application/json', base = url } = {}) {
  const headers = {};
  if (contentType !== null) headers['Content-Type'] = contentType;
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  return request(`${base}/api/v1/alerts/${id}/${action}`, { method: 'POST', token, headers, body: payload });
}

function getFlags(query, token = tok.health, base = url) {
  return request(`${base}/api/v1/flags?${query}`, { token });
}

function assertError(r, status, code, field) {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json?.error?.code, code, r.text);
  if (field !== undefined) assert.equal(r.json.error.field, field, r.text);
}

function teamAdd(db, code, name, manager) {
  const args = ['team', 'add', '--db', dbUrl(db), '--code', code, '--name', name];
  if (manager !== undefined) args.push('--manager', manager);
  return runCli(args);
}

function allocate(db, child, team, worker, { check = true } = {}) {
  const args = ['allocate', '--db', dbUrl(db), '--child', String(child), '--team', team];
  if (worker !== undefined) args.push('--worker', worker);
  return runCli(args, { check });
}

// The sweep then removes old sign-in attempts and signs an audit checkpoint (a line each, when there is something to do).
const SWEEP_RE = /^swept (\d+) children \((\d+) events\): (\d+) new alerts, (\d+) escalated\n(removed \d+ sign-in attempts older than the throttles' window\n)?(audit checkpoint signed at entry \d+\n)?$/;

function sweep(db, today) {
  const args = ['sweep', '--db', dbUrl(db)];
  if (today !== undefined) args.push('--today', today);
  const r = runCli(args);
  const m = SWEEP_RE.exec(r.stdout);
  assert.ok(m, `sweep stdout: ${JSON.stringify(r.stdout)}`);
  return { children: Number(m[1]), events: Number(m[2]), raised: Number(m[3]), escalated: Number(m[4]) };
}

/** A child with one referral on day r: returns the child id, the referral's event id and its alert. */
async function childWithOverdueReferral(r = addWorkingDays(TODAY, -10), subj = kid()) {
  const ev = await post(tok.education, 'referral', at(r), subj);
  const alerts = alertRows(area.db, { child: ev.child_id, code: 'REFERRAL_DECISION_OVERDUE' });
  assert.equal(alerts.length, 1, 'one REFERRAL_DECISION_OVERDUE alert');
  return { childId: ev.child_id, eventId: ev.id, alert: alerts[0], subj };
}

// ---- the oracle itself ----

describe('the calendar the expected dates rest on', () => {
  test('bank holidays 2025-2027 are GOV.UK\'s, and working days skip them and weekends', () => {
    const expected = {
      2025: ['2025-01-01', '2025-04-18', '2025-04-21', '2025-05-05', '2025-05-26', '2025-08-25', '2025-12-25', '2025-12-26'],
      2026: ['2026-01-01', '2026-04-03', '2026-04-06', '2026-05-04', '2026-05-25', '2026-08-31', '2026-12-25', '2026-12-28'],
      2027: ['2027-01-01', '2027-03-26', '2027-03-29', '2027-05-03', '2027-05-31', '2027-08-30', '2027-12-27', '2027-12-28'],
      2022: ['2022-01-03', '2022-04-15', '2022-04-18', '2022-05-02', '2022-06-02', '2022-06-03', '2022-08-29',
        '2022-09-19', '2022-12-26', '2022-12-27'],
    };
    for (const [y, days] of Object.entries(expected)) assert.deepEqual([...bankHolidays(Number(y))].sort(), days, y);
    assert.equal(addWorkingDays('2026-12-24', 1), '2026-12-29'); // Christmas Friday, Boxing Day substitute Monday
    assert.equal(addWorkingDays('2025-04-17', 1), '2025-04-22'); // Good Friday, Easter Monday
    assert.equal(addWorkingDays('2025-04-22', -1), '2025-04-17');
    assert.equal(addMonths('2025-01-31', 1), '2025-02-28');
    assert.equal(addMonths('2024-03-31', -1), '2024-02-29');
    assert.match(TODAY, /^\d{4}-\d{2}-\d{2}$/);
  });
});

// ---- 1. intake raises alerts in its transaction ----

describe('intake raises alerts', () => {
  test('a referral 10 working days ago with no decision: REFERRAL_DECISION_OVERDUE for the MASH, written once', async () => {
    const r = addWorkingDays(TODAY, -10);
    const { due, raised } = referralClock(r);
    const subj = kid({ given_name: 'Rosa', family_name: 'Referral' });
    const raiseAuditBefore = auditRows(area.db, { action: 'alert.raise' }).length;
    const body = event({ source_ref: `AL-${++refNo}`, kind: 'referral', occurred_at: at(r), summary: 'Referral from school', details: {} }, subj);
    const first = await postEvent(url, tok.education, body);
    assert.equal(first.status, 201, first.text);
    const { id: eventId, child_id: childId } = first.json;

    // In the intake transaction: on disk by the time the 201 arrived.
    const stored = alertRows(area.db, { child: childId });
    assert.equal(stored.length, 1, JSON.stringify(stored));
    assert.deepEqual(
      { code: stored[0].code, raised_on: stored[0].raised_on, due_on: stored[0].due_on, evidence: JSON.parse(stored[0].evidence),
        owner_kind: stored[0].owner_kind, owner: stored[0].owner, state: stored[0].state },
      { code: 'REFERRAL_DECISION_OVERDUE', raised_on: raised, due_on: due, evidence: [eventId], owner_kind: 'mash',
        owner: 'mash', state: 'open' });
    const raise = auditOf(area.db, { action: 'alert.raise', child: childId }, ['actor', 'child_id', 'object', 'detail']);
    assert.deepEqual(raise, [{ actor: 'rules', child_id: childId, object: `alert:${stored[0].id}`, detail: 'REFERRAL_DECISION_OVERDUE' }]);
    assert.equal(auditRows(area.db, { action: 'alert.raise' }).length, raiseAuditBefore + 1);

    const list = await getAlerts(`child=${childId}`);
    assert.equal(list.status, 200, list.text);
    assert.equal(list.json.more, false);
    assert.equal(list.json.alerts.length, 1);
    const a = list.json.alerts[0];
    assert.equal(a.id, stored[0].id);
    assert.equal(a.child_id, childId);
    assert.equal(a.child_name, 'Rosa Referral');
    assert.equal(a.code, 'REFERRAL_DECISION_OVERDUE');
    assert.equal(a.title, 'Referral decision overdue');
    assert.equal(a.raised_on, raised);
    assert.equal(a.due, due);
    assert.equal(a.overdue, true);
    assert.deepEqual(a.evidence, [eventId]);
    assert.deepEqual(a.owner, { kind: 'mash', name: 'mash' });
    assert.equal(a.state, 'open');
    for (const k of ['acknowledged_at', 'acknowledged_by', 'resolved_at', 'resolved_by', 'outcome', 'escalated_at', 'escalated_to']) {
      assert.equal(a[k], null, k);
    }
    assert.match(a.created_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);

    // The same record again (an agency feed retrying): 200, same ids, no second alert.
    const replay = await postEvent(url, tok.education, body);
    assert.equal(replay.status, 200, replay.text);
    assert.deepEqual(replay.json, first.json);
    // Another event for the child runs the rules again: the same rule, evidence and due is the same alert.
    await post(tok.health, 'gp_appointment', at(TODAY, '00:00:00'), subj);
    await post(tok.education, 'contact', at(TODAY, '00:00:00'), subj);
    assert.equal(alertRows(area.db, { child: childId }).length, 1);
    assert.equal(auditRows(area.db, { action: 'alert.raise' }).length, raiseAuditBefore + 1);
    assert.equal((await alertsOfChild(childId)).length, 1);
  });

  test('a referral_decision by the due date means no alert; one the day after is late, and the alert stands', async () => {
    const r = addWorkingDays(TODAY, -10);
    const { due, raised } = referralClock(r);
    // Feeds arrive in any order: the decision is posted first, then the referral it decides.
    const sameDay = kid();
    await post(tok.social_care, 'referral_decision', at(r, '15:00:00'), sameDay, { outcome: 'assessment' });
    const a = await post(tok.education, 'referral', at(r, '09:00:00'), sameDay);
    const onDue = kid();
    await post(tok.social_care, 'referral_decision', at(due, '16:00:00'), onDue, { outcome: 'assessment' });
    const b = await post(tok.education, 'referral', at(r, '09:00:00'), onDue);
    const late = kid();
    await post(tok.social_care, 'referral_decision', at(addDays(due, 1), '09:00:00'), late, { outcome: 'assessment' });
    const c = await post(tok.education, 'referral', at(r, '09:00:00'), late);

    assert.equal(alertRows(area.db, { child: a.child_id, code: 'REFERRAL_DECISION_OVERDUE' }).length, 0);
    assert.equal(alertRows(area.db, { child: b.child_id, code: 'REFERRAL_DECISION_OVERDUE' }).length, 0);
    assert.deepEqual((await alertsOfChild(a.child_id)).filter((x) => x.code === 'REFERRAL_DECISION_OVERDUE'), []);
    assert.deepEqual((await alertsOfChild(b.child_id)).filter((x) => x.code === 'REFERRAL_DECISION_OVERDUE'), []);
    const lateAlerts = (await alertsOfChild(c.child_id)).filter((x) => x.code === 'REFERRAL_DECISION_OVERDUE');
    assert.equal(lateAlerts.length, 1, JSON.stringify(lateAlerts));
    assert.equal(lateAlerts[0].raised_on, raised);
    assert.equal(lateAlerts[0].due, due);
    assert.deepEqual(lateAlerts[0].evidence, [c.id]);
  });

  test('alerts raised more than 90 days before today are history: intake does not write them', async () => {
    // A referral 200 days ago: its decision alert (and the 45-working-day assessment alert) fell due long
    // before the 90-day look-back.
    const old = kid();
    const r = addDays(TODAY, -200);
    const ev = await post(tok.education, 'referral', at(r), old);
    assert.ok(referralClock(r).raised < addDays(TODAY, -90));
    assert.ok(addDays(addWorkingDays(r, 45), 1) < addDays(TODAY, -90));
    assert.equal(alertRows(area.db, { child: ev.child_id }).length, 0);
  });
});

// ---- 2. owners, team add, allocate ----

describe('owners', () => {
  test('team add and allocate: new alerts go to the worker, else the team, else the MASH', async () => {
    teamAdd(area.db, 'CIN1', 'Child in need team 1', 'mgr.cin1');
    assert.deepEqual(teamRows(area.db, { code: 'CIN1' }),
      [{ code: 'CIN1', name: 'Child in need team 1', manager: 'mgr.cin1', phone: '', out_of_hours_phone: '', email: '' }]);
    assert.equal(auditRows(area.db, { action: 'team.upsert', object: 'team:CIN1' }).length, 1);

    const w = kid();
    const wFirst = await post(tok.education, 'contact', at(TODAY, '00:00:00'), w);
    allocate(area.db, wFirst.child_id, 'CIN1', 'jsmith');
    const held = allocationOf(area.db, wFirst.child_id);
    assert.deepEqual({ worker: held.worker, team: held.team, manager: held.manager },
      { worker: 'jsmith', team: 'CIN1', manager: 'mgr.cin1' });
    assert.deepEqual(auditOf(area.db, { action: 'allocation.set', child: wFirst.child_id }, ['detail']),
      [{ detail: 'team CIN1, worker jsmith' }]);
    const ref = await post(tok.education, 'referral', at(addWorkingDays(TODAY, -10)), w);
    const [wa] = (await alertsOfChild(wFirst.child_id)).filter((x) => x.code === 'REFERRAL_DECISION_OVERDUE');
    assert.ok(wa, 'the worker\'s child has its alert');
    assert.deepEqual(wa.owner, { kind: 'worker', name: 'jsmith' });
    assert.deepEqual(wa.evidence, [ref.id]);

    const t = kid();
    const tFirst = await post(tok.education, 'contact', at(TODAY, '00:00:00'), t);
    allocate(area.db, tFirst.child_id, 'CIN1');
    assert.deepEqual([allocationOf(area.db, tFirst.child_id)].map((l) => ({ worker: l.worker, team: l.team })),
      [{ worker: '', team: 'CIN1' }]);
    await post(tok.education, 'referral', at(addWorkingDays(TODAY, -10)), t);
    const [ta] = (await alertsOfChild(tFirst.child_id)).filter((x) => x.code === 'REFERRAL_DECISION_OVERDUE');
    assert.deepEqual(ta.owner, { kind: 'team', name: 'CIN1' });
    assert.deepEqual([alertRow(area.db, ta.id)].map((a) => ({ owner_kind: a.owner_kind, owner: a.owner })), [{ owner_kind: 'team', owner: 'CIN1' }]);
  });

  test('allocate to an unknown team or an unknown child exits 1 with a message and writes nothing but the refusal\'s entry', async () => {
    const c = await post(tok.education, 'contact', at(TODAY, '00:00:00'), kid());
    const auditBefore = auditEntries(area.db);
    const noTeam = allocate(area.db, c.child_id, 'NOSUCH', 'jsmith', { check: false });
    assert.equal(noTeam.status, 1, noTeam.stderr);
    assert.match(noTeam.stderr, /no team 'NOSUCH'/);
    assert.equal(allocationOf(area.db, c.child_id), undefined);

    const noChild = allocate(area.db, 987654321, 'CIN1', 'jsmith', { check: false });
    assert.equal(noChild.status, 1, noChild.stderr);
    assert.match(noChild.stderr, /no child 987654321/);
    assert.equal(allocationOf(area.db, 987654321), undefined);
    // r-tidy32: a refused allocation is audited as the page's is (one access.refused entry on the id asked)
    assert.equal(auditEntries(area.db), auditBefore + 1);
    const refusals = auditRows(area.db, { action: 'access.refused', object: 'child:987654321' });
    assert.deepEqual(refusals.map((e) => [e.actor, e.child_id, e.detail]), [['cli', 0, 'allocation.record refused: child 987654321']]);

    const badId = allocate(area.db, 'abc', 'CIN1', undefined, { check: false });
    assert.equal(badId.status, 2, badId.stderr);
    assert.equal(auditEntries(area.db), auditBefore + 1);
  });
});

// ---- 3. GET /api/v1/alerts: filters, paging, validation ----

describe('GET /api/v1/alerts', () => {
  let x; // child with three alerts, worker filter.worker
  let y; // child with one alert, worker filter.worker
  let z; // child with one alert, worker other.worker
  const xAlerts = [];

  before(async () => {
    teamAdd(area.db, 'FILT', 'Filter team');
    const mk = async (worker, referralDays) => {
      const s = kid();
      const c = await post(tok.education, 'contact', at(TODAY, '00:00:00'), s);
      allocate(area.db, c.child_id, 'FILT', worker);
      const refs = [];
      for (const d of referralDays) refs.push(await post(tok.education, 'referral', at(addWorkingDays(TODAY, -d)), s));
      return { childId: c.child_id, refs };
    };
    x = await mk('filter.worker', [14, 12, 10]);
    y = await mk('filter.worker', [11]);
    z = await mk('other.worker', [10]);
    for (const ref of x.refs) {
      const [a] = alertRows(area.db, { child: x.childId }, (r) => r.evidence === `[${ref.id}]`);
      assert.ok(a, `an alert for referral ${ref.id}`);
      xAlerts.push(a);
    }
  });

  test('owner=W lists that worker\'s alerts, most overdue first; child=ID lists one child\'s', async () => {
    const r = await getAlerts('owner=filter.worker');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.more, false);
    assert.equal(r.json.alerts.length, 4, r.text);
    for (const a of r.json.alerts) assert.deepEqual(a.owner, { kind: 'worker', name: 'filter.worker' });
    assert.deepEqual(new Set(r.json.alerts.map((a) => a.child_id)), new Set([x.childId, y.childId]));
    // An inbox (issue 15): the earliest due first (an alert with no due date is due the day it was raised),
    // then the oldest raised, then id.
    const keys = r.json.alerts.map((a) => [a.due || a.raised_on, a.raised_on, a.id]);
    const cmp = (p, q) => (p < q ? -1 : p > q ? 1 : 0);
    const sorted = [...keys].sort((p, q) => cmp(p[0], q[0]) || cmp(p[1], q[1]) || p[2] - q[2]);
    assert.deepEqual(keys, sorted, 'due (else raised) ascending, then raised, then id');

    const other = await getAlerts('owner=other.worker');
    assert.equal(other.status, 200);
    assert.deepEqual(other.json.alerts.map((a) => a.child_id), [z.childId]);
    const nobody = await getAlerts('owner=no.such.worker');
    assert.deepEqual(nobody.json, { alerts: [], more: false });

    const cx = await getAlerts(`child=${x.childId}`);
    assert.equal(cx.status, 200);
    assert.deepEqual(cx.json.alerts.map((a) => a.id).sort((p, q) => p - q), xAlerts.map((a) => a.id));
    for (const a of cx.json.alerts) assert.equal(a.child_id, x.childId);
    assert.deepEqual(cx.json.alerts.map((a) => a.evidence[0]).sort((p, q) => p - q), x.refs.map((e) => e.id));
  });

  test('limit pages the list and more says whether there are more', async () => {
    for (const [limit, n, more] of [[1, 1, true], [3, 3, true], [4, 4, false], [500, 4, false]]) {
      const r = await getAlerts(`owner=filter.worker&limit=${limit}`);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.alerts.length, n, `limit ${limit}`);
      assert.equal(r.json.more, more, `limit ${limit}`);
    }
    const all = await getAlerts('owner=filter.worker');
    const two = await getAlerts('owner=filter.worker&limit=2');
    assert.deepEqual(two.json.alerts.map((a) => a.id), all.json.alerts.slice(0, 2).map((a) => a.id));
  });

  test('state=open (open and acknowledged), acknowledged, resolved and all', async () => {
    const [a0, a1, a2] = xAlerts;
    assert.equal((await postAction(a1.id, 'acknowledge')).status, 200);
    const res = await postAction(a2.id, 'resolve', { outcome: 'Decision recorded late; no further action' });
    assert.equal(res.status, 200, res.text);
    const ids = async (q) => {
      const r = await getAlerts(`child=${x.childId}${q}`);
      assert.equal(r.status, 200, r.text);
      return r.json.alerts.map((a) => a.id).sort((p, q2) => p - q2);
    };
    assert.deepEqual(await ids(''), [a0.id, a1.id], 'the default is what still needs action');
    assert.deepEqual(await ids('&state=open'), [a0.id, a1.id]);
    assert.deepEqual(await ids('&state=acknowledged'), [a1.id]);
    assert.deepEqual(await ids('&state=resolved'), [a2.id]);
    assert.deepEqual(await ids('&state=all'), [a0.id, a1.id, a2.id]);
    const r = await getAlerts(`child=${x.childId}&state=all`);
    const byId = Object.fromEntries(r.json.alerts.map((a) => [a.id, a.state]));
    assert.deepEqual(byId, { [a0.id]: 'open', [a1.id]: 'acknowledged', [a2.id]: 'resolved' });
    assert.deepEqual((await getAlerts(`owner=filter.worker&state=resolved`)).json.alerts.map((a) => a.id), [a2.id]);
  });

  test('bad parameters are 400 invalid_value naming the parameter, and are not audited', async () => {
    const cases = [
      ['state=bogus', 'state'], ['state=', 'state'], ['state=OPEN', 'state'],
      ['limit=0', 'limit'], ['limit=501', 'limit'], ['limit=-1', 'limit'], ['limit=abc', 'limit'], ['limit=', 'limit'],
      ['limit=1.5', 'limit'],
      ['child=abc', 'child'], ['child=0', 'child'], ['child=-3', 'child'], ['child=', 'child'],
      [`owner=${'w'.repeat(65)}`, 'owner'], ['owner=a%01b', 'owner'],
    ];
    const auditBefore = auditEntries(area.db);
    for (const [q, field] of cases) {
      const r = await getAlerts(q);
      assert.equal(r.status, 400, `${q}: ${r.text}`);
      assert.equal(r.json.error.code, 'invalid_value', q);
      assert.equal(r.json.error.field, field, q);
    }
    assert.equal(auditEntries(area.db), auditBefore, 'a refused read writes nothing');
    // The edges that are allowed.
    for (const q of ['limit=1', 'limit=500', `owner=${'w'.repeat(64)}`, 'child=987654321']) {
      const r = await getAlerts(q);
      assert.equal(r.status, 200, `${q}: ${r.text}`);
    }
  });

  test('without a valid token: 401, nothing written', async () => {
    const auditBefore = auditEntries(area.db);
    const none = await request(`${url}/api/v1/alerts`);
    assertError(none, 401, 'unauthenticated');
    const wrong = await getAlerts('', 'sgt_' + 'A'.repeat(43));
    assertError(wrong, 401, 'invalid_token');
    const ack = await request(`${url}/api/v1/alerts/${xAlerts[0].id}/acknowledge`, { method: 'POST' });
    assertError(ack, 401, 'unauthenticated');
    const res = await request(`${url}/api/v1/alerts/${xAlerts[0].id}/resolve`, {
      method: 'POST', token: 'sgt_' + 'B'.repeat(43), headers: { 'Content-Type': 'application/json' }, body: '{"outcome":"x"}',
    });
    assertError(res, 401, 'invalid_token');
    const flags = await request(`${url}/api/v1/flags?nhs_number=${nhs.next().value}`);
    assert.equal(flags.status, 401, flags.text);
    assert.equal(auditEntries(area.db), auditBefore);
    assert.equal(alertRow(area.db, xAlerts[0].id).state, 'open');
  });
});

// ---- 4 and 9. acknowledge and resolve; bad input never writes ----

describe('acknowledge and resolve', () => {
  test('acknowledge, then resolve with an outcome; each audited once, the outcome kept out of the audit', async () => {
    const { childId, alert } = await childWithOverdueReferral();
    const id = alert.id;
    const auditBefore = auditEntries(area.db);

    const ack = await postAction(id, 'acknowledge', undefined, { contentType: null });
    assert.equal(ack.status, 200, ack.text);
    assert.deepEqual(ack.json, { id, state: 'acknowledged' });
    const afterAck = alertRow(area.db, id);
    assert.equal(afterAck.state, 'acknowledged');
    assert.match(afterAck.acknowledged_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    const ackAudit = auditOf(area.db, { action: 'alert.acknowledge', object: `alert:${id}` }, ['actor', 'child_id', 'object', 'detail']);
    assert.equal(ackAudit.length, 1);
    assert.equal(ackAudit[0].child_id, childId);
    assert.equal(ackAudit[0].detail, 'REFERRAL_DECISION_OVERDUE');
    assert.match(ackAudit[0].actor, /^client:\d+:social_care$/);
    assert.equal(afterAck.acknowledged_by, ackAudit[0].actor, 'without "by" the client is who acknowledged');
    assert.equal(auditEntries(area.db), auditBefore + 1);

    const again = await postAction(id, 'acknowledge', undefined, { contentType: null });
    assertError(again, 409, 'wrong_state', 'state');
    assert.deepEqual(alertRow(area.db, id), afterAck);
    assert.equal(auditEntries(area.db), auditBefore + 1);

    const outcome = 'Strategy discussion held 14:00; Zebedee-Quill-7731 agreed to a joint visit.\nPlan recorded.';
    const res = await postAction(id, 'resolve', { outcome, by: 'jsmith' });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json, { id, state: 'resolved' });
    const afterRes = alertRow(area.db, id);
    assert.equal(afterRes.state, 'resolved');
    // The name a system sends is its practitioner's, shown as the system's word: never taken for a person here.
    assert.equal(afterRes.resolved_by, 'jsmith via social_care system');
    assert.equal(afterRes.outcome, outcome);
    assert.equal(afterRes.acknowledged_by, afterAck.acknowledged_by);
    const resAudit = auditOf(area.db, { action: 'alert.resolve', object: `alert:${id}` }, ['actor', 'child_id', 'detail']);
    assert.deepEqual(resAudit, [{ actor: ackAudit[0].actor, child_id: childId, detail: 'REFERRAL_DECISION_OVERDUE' }],
      'the audit records the client, not the name it sent');
    assert.equal(auditEntries(area.db), auditBefore + 2);
    // Personal data stays out of the audit: the practitioner's words are on the alert only.
    const everything = auditRows(area.db);
    assert.ok(everything.length > 0);
    assert.equal(everything.filter((e) => /zebedee/i.test(`${e.detail} ${e.object} ${e.actor}`)).length, 0);
    assert.equal(everything.filter((e) => /strategy discussion/i.test(e.detail)).length, 0);

    const one = await request(`${url}/api/v1/alerts/${id}`, { token: tok.social_care });
    assert.equal(one.status, 200, one.text);
    assert.equal(one.json.state, 'resolved');
    assert.equal(one.json.resolved_by, 'jsmith via social_care system');
    assert.equal(one.json.outcome, outcome);
    assert.equal(one.json.overdue, false, 'a resolved alert is not overdue');
    assert.equal(one.json.acknowledged_by, afterAck.acknowledged_by);
    assert.match(one.json.resolved_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);

    const auditDone = auditEntries(area.db);
    assertError(await postAction(id, 'resolve', { outcome: 'again' }), 409, 'wrong_state', 'state');
    assertError(await postAction(id, 'acknowledge', undefined, { contentType: null }), 409, 'wrong_state', 'state');
    assert.deepEqual(alertRow(area.db, id), afterRes);
    assert.equal(auditEntries(area.db), auditDone);
  });

  test('an open alert can be resolved directly; "by" names who acted; 300 characters of outcome is allowed', async () => {
    const { alert } = await childWithOverdueReferral();
    const ack2 = await childWithOverdueReferral();
    const a = await postAction(ack2.alert.id, 'acknowledge', { by: 'a.worker' });
    assert.equal(a.status, 200, a.text);
    assert.equal(alertRow(area.db, ack2.alert.id).acknowledged_by, 'a.worker via social_care system');

    const outcome = 'é'.repeat(300); // characters, not bytes
    const r = await postAction(alert.id, 'resolve', { outcome }, { contentType: 'application/json; charset=utf-8' });
    assert.equal(r.status, 200, r.text);
    const row = alertRow(area.db, alert.id);
    assert.equal(row.state, 'resolved');
    assert.equal(row.outcome, outcome);
    assert.equal(row.acknowledged_at, null);
  });

  test('refused requests: the right status and field, and the alert and the audit unchanged', async () => {
    const { alert } = await childWithOverdueReferral();
    const id = alert.id;
    const snapshot = alertRow(area.db, id);
    const auditBefore = auditEntries(area.db);
    const cases = [
      ['resolve without a body', () => postAction(id, 'resolve', undefined), 400, 'invalid_json'],
      ['resolve {}', () => postAction(id, 'resolve', {}), 400, 'missing_field', 'outcome'],
      ['resolve with only by', () => postAction(id, 'resolve', { by: 'jsmith' }), 400, 'missing_field', 'outcome'],
      ['resolve with outcome null', () => postAction(id, 'resolve', { outcome: null }), 400, 'missing_field', 'outcome'],
      ['resolve with outcome ""', () => postAction(id, 'resolve', { outcome: '' }), 400, 'missing_field', 'outcome'],
      ['resolve with bad JSON', () => postAction(id, 'resolve', '{"outcome": "done"'), 400, 'invalid_json'],
      ['resolve with a JSON array', () => postAction(id, 'resolve', '["done"]'), 400, 'invalid_json'],
      ['resolve with a duplicate key', () => postAction(id, 'resolve', '{"outcome":"a","outcome":"b"}'), 400, 'invalid_json'],
      ['resolve with an unknown field', () => postAction(id, 'resolve', { outcome: 'done', note: 'x' }), 400, 'unknown_field'],
      ['acknowledge with an outcome', () => postAction(id, 'acknowledge', { outcome: 'done' }), 400, 'unknown_field'],
      ['resolve with outcome of 301 characters', () => postAction(id, 'resolve', { outcome: 'x'.repeat(301) }), 400, 'too_long', 'outcome'],
      ['resolve with a number outcome', () => postAction(id, 'resolve', { outcome: 5 }), 400, 'wrong_type', 'outcome'],
      ['resolve with a number by', () => postAction(id, 'resolve', { outcome: 'done', by: 5 }), 400, 'wrong_type', 'by'],
      ['by over 64 characters', () => postAction(id, 'acknowledge', { by: 'b'.repeat(65) }), 400, 'too_long', 'by'],
      ['by with a control character', () => postAction(id, 'acknowledge', { by: 'j\u0007smith' }), 400, 'invalid_characters', 'by'],
      ['outcome with a control character', () => postAction(id, 'resolve', { outcome: 'do\u0001ne' }), 400, 'invalid_characters', 'outcome'],
      ['resolve as text/plain', () => postAction(id, 'resolve', { outcome: 'done' }, { contentType: 'text/plain' }), 415, 'unsupported_media_type', 'Content-Type'],
      ['resolve without a Content-Type', () => postAction(id, 'resolve', { outcome: 'done' }, { contentType: null }), 415, 'unsupported_media_type', 'Content-Type'],
      ['acknowledge with a body as text/plain', () => postAction(id, 'acknowledge', { by: 'x' }, { contentType: 'text/plain' }), 415, 'unsupported_media_type', 'Content-Type'],
      ['acknowledge with bad JSON', () => postAction(id, 'acknowledge', '{by'), 400, 'invalid_json'],
      ['resolve an unknown alert', () => postAction(987654321, 'resolve', { outcome: 'done' }), 404, 'not_found', 'alert_id'],
      ['acknowledge an unknown alert', () => postAction(987654321, 'acknowledge', undefined, { contentType: null }), 404, 'not_found', 'alert_id'],
      ['acknowledge a non-numeric id', () => postAction('abc', 'acknowledge', undefined, { contentType: null }), 404, 'not_found'],
      ['an unknown action', () => postAction(id, 'close', { outcome: 'done' }), 404, 'not_found'],
      ['GET on acknowledge', () => request(`${url}/api/v1/alerts/${id}/acknowledge`, { token: tok.social_care }), 405, 'method_not_allowed'],
      ['PUT on resolve', () => request(`${url}/api/v1/alerts/${id}/resolve`, { method: 'PUT', token: tok.social_care, headers: { 'Content-Type': 'application/json' }, body: '{"outcome":"x"}' }), 405, 'method_not_allowed'],
      ['DELETE an alert', () => request(`${url}/api/v1/alerts/${id}`, { method: 'DELETE', token: tok.social_care }), 405, 'method_not_allowed'],
      ['POST the list', () => request(`${url}/api/v1/alerts`, { method: 'POST', token: tok.social_care, headers: { 'Content-Type': 'application/json' }, body: '{}' }), 405, 'method_not_allowed'],
    ];
    const failures = [];
    let auditSeen = auditBefore;
    for (const [what, send, status, code, field] of cases) {
      const r = await send();
      const ok = r.status === status && r.json?.error?.code === code && (field === undefined || r.json.error.field === field);
      if (!ok) failures.push(`${what}: expected ${status} ${code}${field !== undefined ? ` field ${field}` : ''}, got ${r.status} ${r.text}`);
      if (status === 405) {
        const allow = r.headers.get('allow') || '';
        if (!/POST/.test(allow) && !/GET/.test(allow)) failures.push(`${what}: no Allow header`);
      }
      // Nothing written, whatever the answer: but a refusal of the alert itself (an id that holds none) is audited,
      // one access.refused entry on the id, naming no child (r-ntk30), as a refused read is.
      const audited = what.endsWith('an unknown alert') ? 1 : 0;
      const auditNow = auditEntries(area.db);
      if (auditNow !== auditSeen + audited) {
        failures.push(`${what}: wrote audit ${JSON.stringify(auditRows(area.db, { limit: Math.max(auditNow - auditSeen, 1) }))}`);
      } else if (audited) {
        const [e] = auditRows(area.db, { limit: 1 });
        if (e.action !== 'access.refused' || e.object !== 'alert:987654321' || e.child_id !== 0) failures.push(`${what}: ${JSON.stringify(e)}`);
      }
      auditSeen = auditNow;
      const now = alertRow(area.db, id);
      if (JSON.stringify(now) !== JSON.stringify(snapshot)) {
        failures.push(`${what}: the alert changed: ${JSON.stringify(now)}`);
        break; // the rest would compare against a changed row
      }
    }
    assert.deepEqual(failures, []);
    assert.equal(auditEntries(area.db), auditBefore + 2, 'refused requests write no audit but the two refusals of the alert');
    const allowAck = await request(`${url}/api/v1/alerts/${id}/acknowledge`, { token: tok.social_care });
    assert.equal(allowAck.headers.get('allow'), 'POST');
    const allowOne = await request(`${url}/api/v1/alerts/${id}`, { method: 'DELETE', token: tok.social_care });
    assert.match(allowOne.headers.get('allow'), /^GET(, HEAD)?$/);
  });

  test('an outcome that is only white space is blank: 400 missing_field, the alert stays open', async () => {
    // docs/API.md: missing_field is "a required field is absent, null or blank"; an outcome is required.
    const { alert } = await childWithOverdueReferral();
    const snapshot = alertRow(area.db, alert.id);
    const auditBefore = auditEntries(area.db);
    const r = await postAction(alert.id, 'resolve', { outcome: ' \n\t ' });
    assertError(r, 400, 'missing_field', 'outcome');
    assert.deepEqual(alertRow(area.db, alert.id), snapshot);
    assert.equal(auditEntries(area.db), auditBefore);
  });

  test('unknown_field names the key at fault, as intake does (a misspelt "outcom" must be findable)', async () => {
    // docs/API.md: "field names the field at fault"; POST /api/v1/events answers unknown_field with the key.
    const { alert } = await childWithOverdueReferral();
    const snapshot = alertRow(area.db, alert.id);
    assertError(await postAction(alert.id, 'resolve', { outcom: 'done', outcome: 'done' }), 400, 'unknown_field', 'outcom');
    assertError(await postAction(alert.id, 'acknowledge', { outcome: 'done' }), 400, 'unknown_field', 'outcome');
    assert.deepEqual(alertRow(area.db, alert.id), snapshot);
  });

  test('GET an unknown alert is 404 alert_id', async () => {
    const r = await request(`${url}/api/v1/alerts/987654321`, { token: tok.social_care });
    assertError(r, 404, 'not_found', 'alert_id');
  });
});

// ---- 5. reads are audited ----

describe('reads are audited', () => {
  test('GET /api/v1/alerts writes "alerts.read"; GET one writes "alert.read" about the alert\'s child', async () => {
    const { childId, alert } = await childWithOverdueReferral();
    const lastAudit = () => auditOf(area.db, { limit: 1 }, ['actor', 'action', 'child_id', 'object', 'detail'])[0];
    const before1 = auditEntries(area.db);
    const list = await getAlerts(`child=${childId}`, tok.social_care);
    assert.equal(list.status, 200);
    assert.equal(auditEntries(area.db), before1 + 1);
    const la = lastAudit();
    assert.equal(la.action, 'alerts.read');
    assert.match(la.actor, /^client:\d+:social_care$/);

    const one = await request(`${url}/api/v1/alerts/${alert.id}`, { token: tok.social_care });
    assert.equal(one.status, 200, one.text);
    assert.equal(one.json.id, alert.id);
    assert.equal(auditEntries(area.db), before1 + 2);
    const oa = lastAudit();
    assert.equal(oa.action, 'alert.read');
    assert.match(oa.actor, /^client:\d+:social_care$/);
    // alerts.h: "One alert, for its page (audit action "alert.read", child_id the alert's child)": the auditor
    // must be able to see whose alert was read.
    assert.equal(oa.child_id, childId, `the alert.read audit entry names the child: ${JSON.stringify(oa)}`);
  });
});

// ---- 7. domestic abuse reaches every child of the household ----

describe('domestic abuse in a household', () => {
  test('a police incident for one child raises DOMESTIC_ABUSE_IN_HOUSEHOLD for each child at the address, due the next working day', async () => {
    const home = { postcode: 'LS9 8QT', address: '27 Encompass Road' };
    const a = kid({ ...home, dob: '2014-02-03' });
    const b = kid({ ...home, dob: '2019-09-10' });
    const adult = kid({ ...home, dob: addMonths(TODAY, -12 * 30) });
    const elsewhere = kid({ postcode: 'LS9 8QU', address: '27 Encompass Road' });
    const ca = await post(tok.education, 'contact', at(addDays(TODAY, -20)), a);
    const cb = await post(tok.education, 'contact', at(addDays(TODAY, -20)), b);
    const cAdult = await post(tok.health, 'gp_appointment', at(addDays(TODAY, -20)), adult);
    const cElse = await post(tok.education, 'contact', at(addDays(TODAY, -20)), elsewhere);
    assert.equal(new Set([ca.child_id, cb.child_id, cAdult.child_id, cElse.child_id]).size, 4);
    teamAdd(area.db, 'DA', 'Domestic abuse team');
    allocate(area.db, cb.child_id, 'DA', 'b.worker');

    // The last Friday before today (1 to 7 days back): the school must be told by Monday (or Tuesday after a
    // bank holiday).
    const friday = [1, 2, 3, 4, 5, 6, 7].map((k) => addDays(TODAY, -k)).find((d) => weekday(d) === 5);
    const due = addWorkingDays(friday, 1);
    const incident = await post(tok.police, 'domestic_abuse_incident', at(friday, '20:30:00'), a, { household: 'H-27' });
    assert.equal(incident.child_id, ca.child_id);

    const da = (id) => alertRows(area.db, { child: id, code: 'DOMESTIC_ABUSE_IN_HOUSEHOLD' });
    for (const [who, id, owner] of [['the named child', ca.child_id, ['mash', 'mash']], ['the sibling', cb.child_id, ['worker', 'b.worker']]]) {
      const got = da(id);
      assert.equal(got.length, 1, `${who}: ${JSON.stringify(got)}`);
      assert.deepEqual(
        [got[0].raised_on, got[0].due_on, JSON.parse(got[0].evidence), got[0].owner_kind, got[0].owner, got[0].state],
        [friday, due, [incident.id], ...owner, 'open'], who);
      const api = (await alertsOfChild(id)).filter((x) => x.code === 'DOMESTIC_ABUSE_IN_HOUSEHOLD');
      assert.equal(api.length, 1);
      assert.equal(api[0].title, 'Domestic abuse in the household');
      assert.equal(api[0].due, due);
    }
    assert.deepEqual(da(cAdult.child_id), [], 'an adult at the address is not a child to tell the school about');
    assert.deepEqual(da(cElse.child_id), [], 'another postcode is another household');
    assert.equal(auditRows(area.db, { action: 'alert.raise' }).filter((e) => e.actor === 'rules'
      && e.detail === 'DOMESTIC_ABUSE_IN_HOUSEHOLD' && [ca.child_id, cb.child_id].includes(e.child_id)).length, 2);

    // Later events at the address do not raise it again.
    await post(tok.education, 'contact', at(TODAY, '00:00:00'), b);
    await post(tok.education, 'contact', at(TODAY, '00:00:00'), a);
    assert.equal(da(ca.child_id).length + da(cb.child_id).length, 2);
  });
});

// ---- 8. flags for unscheduled care ----

describe('GET /api/v1/flags', () => {
  const DOC = { nhs_number: '', flagged: false };
  // The look-ups kept for a child, all of them (the API returns the newest 25), as an auditor reads them: each
  // read is audited flags.list, which the counts of flags.lookup below leave out.
  const flagRows = (id) => flagLookups(area.db, id).length;
  const lookupAlerts = (id) => alertRows(area.db, { child: id, code: 'FLAG_LOOKUP' });

  test('a child on a CP plan: flagged with the plan, contacts and this look-up; the allocated worker is told', async () => {
    const s = kid();
    const cpStart = addDays(TODAY, -30);
    const plan = await post(tok.social_care, 'cp_plan_start', at(cpStart), s, { category: 'neglect' });
    const childId = plan.child_id;
    teamAdd(area.db, 'FLAGS', 'Flags team');
    allocate(area.db, childId, 'FLAGS', 'flag.worker');
    const started = now();
    const auditBefore = auditRows(area.db, { action: 'flags.lookup', child: childId }).length;

    // The look-up is raised on the server's today: the day it answered, which is today before or after it
    // (a run may cross midnight).
    const dayBefore = ukToday();
    const r = await getFlags(`nhs_number=${s.nhs_number}&setting=${encodeURIComponent('emergency department')}`);
    const days = [dayBefore, ukToday()];
    assert.equal(r.status, 200, r.text);
    const d = r.json;
    assert.equal(d.nhs_number, s.nhs_number);
    assert.equal(d.flagged, true);
    assert.equal(d.child_id, childId);
    assert.deepEqual(d.child_protection_plan, { current: true, start: cpStart, end: null, category: 'neglect', unborn: false });
    assert.equal(d.looked_after, null);
    assert.equal(typeof d.contacts.office_hours, 'string');
    assert.equal(typeof d.contacts.emergency_duty, 'string');
    assert.ok(d.contacts.office_hours.length > 0 && d.contacts.emergency_duty.length > 0, r.text);
    assert.equal(d.recent_accesses.length, 1, r.text);
    // The agency's name as the migrations seeded it, from the operator's list of agencies.
    const health = agencyRows(area.db, { code: 'health' })[0].name;
    assert.equal(d.recent_accesses[0].setting, 'emergency department');
    assert.equal(d.recent_accesses[0].organisation, health);
    const when = Date.parse(d.recent_accesses[0].at);
    assert.ok(when >= Math.floor(started / 1000) * 1000 && when <= now(), d.recent_accesses[0].at);

    assert.equal(flagRows(childId), 1);
    const audit = auditOf(area.db, { action: 'flags.lookup', child: childId }, ['actor', 'detail']);
    assert.equal(audit.length, auditBefore + 1);
    assert.match(audit[audit.length - 1].actor, /^client:\d+:health$/);
    const la = lookupAlerts(childId);
    assert.equal(la.length, 1, JSON.stringify(la));
    assert.deepEqual([la[0].owner_kind, la[0].owner, la[0].due_on, la[0].state], ['worker', 'flag.worker', null, 'open']);
    assert.ok(days.includes(la[0].raised_on), `raised on ${la[0].raised_on}, not on today (${days.join(' or ')})`);
    const inbox = await getAlerts(`owner=flag.worker&child=${childId}`);
    const fl = inbox.json.alerts.filter((x) => x.code === 'FLAG_LOOKUP');
    assert.equal(fl.length, 1, inbox.text);
    assert.equal(fl[0].title, 'Seen in unscheduled care: flag looked up');
    assert.deepEqual(fl[0].owner, { kind: 'worker', name: 'flag.worker' });
    assert.equal(fl[0].due, null);
    assert.equal(fl[0].overdue, false);

    // Without ?setting= the look-up is from "unscheduled care"; the newest comes first.
    const r2 = await getFlags(`nhs_number=${s.nhs_number}`);
    assert.equal(r2.status, 200);
    assert.deepEqual(r2.json.recent_accesses.map((x) => x.setting), ['unscheduled care', 'emergency department']);
  });

  // r-tidy34: a refusal by the role gate is audited (one access.refused entry naming the route, no child), queued
  // after the 403; the look-up itself is never made and nothing else is written.
  test('only health services may look up: 403 (not_permitted) for other agencies, only the refusal audited', async () => {
    const s = kid();
    const plan = await post(tok.social_care, 'cp_plan_start', at(addDays(TODAY, -30)), s, { category: 'emotional_abuse' });
    // the list read below that waits for the refusals' entries is audited itself: count what one writes
    const beforeRead = auditEntries(area.db);
    await alertsOfChild(plan.child_id);
    const oneRead = auditEntries(area.db) - beforeRead;
    const auditBefore = auditEntries(area.db);
    const refusedBefore = auditRows(area.db, { action: 'access.refused', object: 'route:GET /api/v1/flags' }).length;
    const alertsBefore = alertRows(area.db).length;
    const agencies = ['police', 'education', 'social_care', 'housing'];
    for (const agency of agencies) {
      const r = await getFlags(`nhs_number=${s.nhs_number}`, tok[agency]);
      assertError(r, 403, 'not_permitted');
      assert.equal(r.json.child_id, undefined);
      assert.doesNotMatch(r.text, /emotional_abuse/);
    }
    // a list read is durable before it answers and the write queue runs in order: the refusals are written by then
    await alertsOfChild(plan.child_id);
    const refused = auditRows(area.db, { action: 'access.refused', object: 'route:GET /api/v1/flags' });
    assert.equal(refused.length - refusedBefore, agencies.length);
    for (const e of refused.slice(0, agencies.length)) {
      assert.equal(e.child_id, 0);
      assert.doesNotMatch(`${e.detail}`, new RegExp(s.nhs_number));
    }
    assert.equal(auditEntries(area.db), auditBefore + agencies.length + oneRead);
    assert.equal(alertRows(area.db).length, alertsBefore);
    assert.equal(flagRows(plan.child_id), 0); // after the counts: the list itself is audited
  });

  test('a missing or malformed NHS number is refused (400 or 422, field nhs_number), nothing written', async () => {
    const good = nhs.next().value;
    const wrongCheck = good.slice(0, 9) + String((Number(good[9]) + 1) % 10);
    const auditBefore = auditEntries(area.db);
    assertError(await getFlags(''), 400, 'missing_field', 'nhs_number');
    assertError(await getFlags('nhs_number='), 400, 'missing_field', 'nhs_number');
    assertError(await getFlags('setting=ward'), 400, 'missing_field', 'nhs_number');
    assertError(await getFlags(`nhs_number=${wrongCheck}`), 422, 'check_digit', 'nhs_number');
    assertError(await getFlags('nhs_number=12345'), 422, 'invalid_format', 'nhs_number');
    assertError(await getFlags('nhs_number=abcdefghij'), 422, 'invalid_format', 'nhs_number');
    assertError(await getFlags(`nhs_number=${good}&setting=${'s'.repeat(101)}`), 400, 'invalid_value', 'setting');
    const m = await request(`${url}/api/v1/flags?nhs_number=${good}`, { method: 'POST', token: tok.health });
    assertError(m, 405, 'method_not_allowed');
    assert.equal(auditEntries(area.db), auditBefore);
  });

  test('no plan, an unknown NHS number, or a plan ended 13 months ago: {flagged:false} only; no one is told', async () => {
    const none = kid();
    const c = await post(tok.education, 'concern', at(addDays(TODAY, -5)), none);
    const ended = kid();
    const e1 = await post(tok.social_care, 'cp_plan_start', at(addMonths(TODAY, -30)), ended, { category: 'neglect' });
    await post(tok.social_care, 'cp_plan_end', at(addMonths(TODAY, -13)), ended);
    const unknown = nhs.next().value;
    const alertsBefore = alertRows(area.db).length;

    for (const [what, n, childId] of [['no plan', none.nhs_number, c.child_id], ['ended 13 months ago', ended.nhs_number, e1.child_id], ['unknown', unknown, null]]) {
      const r = await getFlags(`nhs_number=${n}&setting=minor%20injuries%20unit`);
      assert.equal(r.status, 200, `${what}: ${r.text}`);
      assert.deepEqual(r.json, { ...DOC, nhs_number: n }, `${what}: nothing else, not even the child's id`);
      if (childId !== null) {
        assert.equal(flagRows(childId), 0, what);
        assert.deepEqual(lookupAlerts(childId), [], what);
        assert.equal(auditRows(area.db, { action: 'flags.lookup', child: childId }).length, 1, `${what}: the look-up is audited`);
      }
    }
    assert.equal(alertRows(area.db).length, alertsBefore, 'no FLAG_LOOKUP alert');
  });

  test('a plan that ended 11 months ago is still flagged, not current; looked after is flagged too', async () => {
    const s = kid();
    const start = addMonths(TODAY, -20);
    const end = addMonths(TODAY, -11);
    const p = await post(tok.social_care, 'cp_plan_start', at(start), s, { category: 'physical_abuse' });
    await post(tok.social_care, 'cp_plan_end', at(end), s);
    const r = await getFlags(`nhs_number=${s.nhs_number}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.flagged, true);
    assert.equal(r.json.child_id, p.child_id);
    assert.equal(r.json.child_protection_plan.current, false);
    assert.equal(r.json.child_protection_plan.start, start);
    assert.equal(r.json.child_protection_plan.end, end);
    assert.equal(r.json.looked_after, null);
    // Not allocated: the MASH is told.
    const la = lookupAlerts(p.child_id);
    assert.equal(la.length, 1);
    assert.deepEqual([la[0].owner_kind, la[0].owner], ['mash', 'mash']);

    const lac = kid();
    const lacStart = addDays(TODAY, -100);
    const l = await post(tok.social_care, 'lac_start', at(lacStart), lac);
    const r2 = await getFlags(`nhs_number=${lac.nhs_number}`);
    assert.equal(r2.status, 200, r2.text);
    assert.equal(r2.json.flagged, true);
    assert.equal(r2.json.child_id, l.child_id);
    assert.deepEqual(r2.json.looked_after, { current: true, start: lacStart, end: null });
    assert.equal(r2.json.child_protection_plan, null);
  });

  test('after 30 look-ups the last 25 are returned, newest first; all 30 are recorded', async () => {
    const s = kid();
    const p = await post(tok.social_care, 'cp_plan_start', at(addDays(TODAY, -10)), s, { category: 'sexual_abuse' });
    let last;
    for (let i = 1; i <= 30; i++) {
      last = await getFlags(`nhs_number=${s.nhs_number}&setting=${encodeURIComponent(`ward ${i}`)}`);
      assert.equal(last.status, 200, last.text);
      assert.equal(last.json.recent_accesses.length, Math.min(i, 25), `look-up ${i}`);
      assert.equal(last.json.recent_accesses[0].setting, `ward ${i}`, 'this look-up comes first');
    }
    assert.deepEqual(last.json.recent_accesses.map((x) => x.setting), Array.from({ length: 25 }, (_, k) => `ward ${30 - k}`));
    assert.equal(flagRows(p.child_id), 30);
    const kept = flagLookups(area.db, p.child_id);
    assert.deepEqual(kept.map((x) => x.setting), Array.from({ length: 30 }, (_, k) => `ward ${30 - k}`), 'all 30, newest first');
    assert.ok(kept.every((x) => x.child === p.child_id && x.organisation === last.json.recent_accesses[0].organisation));
    assert.deepEqual(flagLookups(area.db, p.child_id, { limit: 25 }).map((x) => x.setting),
      last.json.recent_accesses.map((x) => x.setting), '--limit 25: what the API shows');
    assert.equal(auditRows(area.db, { action: 'flags.list', child: p.child_id }).at(0).detail,
      "operator's list: flag look-ups, one child; the first 25");
    assert.equal(auditRows(area.db, { action: 'flags.lookup', child: p.child_id }).length, 30);
  });

  test('each look-up notifies: look-ups in quick succession each give their own FLAG_LOOKUP alert', async () => {
    // Issue 5 part 6: "each look-up from unscheduled care notifies the allocated worker". Two clinicians in
    // one department (one client) may look up the same child within the same second.
    const s = kid();
    const p = await post(tok.social_care, 'cp_plan_start', at(addDays(TODAY, -10)), s, { category: 'neglect' });
    for (let i = 1; i <= 5; i++) {
      const r = await getFlags(`nhs_number=${s.nhs_number}&setting=${encodeURIComponent(`cubicle ${i}`)}`);
      assert.equal(r.status, 200, r.text);
    }
    assert.equal(flagRows(p.child_id), 5);
    assert.equal(lookupAlerts(p.child_id).length, 5, 'one FLAG_LOOKUP alert per recorded look-up');
  });

  test('flags lookups: audited with the child; none for a sealed child; --child required', async () => {
    const s = kid();
    const p = await post(tok.social_care, 'cp_plan_start', at(addDays(TODAY, -10)), s, { category: 'neglect' });
    assert.equal((await getFlags(`nhs_number=${s.nhs_number}&setting=x-ray`)).status, 200);
    const reads = auditRows(area.db, { action: 'flags.list', child: p.child_id }).length;
    const tsv = runCli(['flags', 'lookups', '--db', dbUrl(area.db), '--child', String(p.child_id)]).stdout.split('\n');
    assert.equal(tsv[0], 'child\tat\tactor\torganisation\tsetting');
    assert.match(tsv[1], new RegExp(`^${p.child_id}\t\\d{4}-\\d\\d-\\d\\dT[^\t]+\t[^\t]+\t[^\t]+\tx-ray$`));
    assert.equal(tsv.length, 3, 'one look-up, then the final newline');
    const e = auditRows(area.db, { action: 'flags.list', child: p.child_id });
    assert.equal(e.length, reads + 1, 'the list wrote one flags.list entry naming the child');
    assert.deepEqual([e[0].actor, e[0].detail], ['cli', "operator's list: flag look-ups, one child"]);
    runCli(['seal', '--db', dbUrl(area.db), '--child', String(p.child_id), '--basis', 'adoption']);
    assert.deepEqual(flagLookups(area.db, p.child_id), [], "a sealed child's look-ups are not listed");
    assert.equal(auditRows(area.db, { action: 'flags.list', child: p.child_id }).length, reads + 2, 'still audited');
    const none = runCli(['flags', 'lookups', '--db', dbUrl(area.db)], { check: false });
    assert.equal(none.status, 2);
    assert.match(none.stderr, /--child is required/);
  });

  test('flags lookups of a record merged into a sealed child: none (access_operator_names follows the merge)', async () => {
    // Look-ups stay on the record they were made under (a merge does not move them): once M is merged into K
    // (a reviewer's "same" through the API, as a social worker does it) and K is sealed, M's are K's and sealed.
    const who = 'mia.merger';
    const password = 'a merge needs a person to decide it';
    const secret = addPerson(area.db, who, 'social_care', 'social_worker', password);
    const session = await request(`${url}/api/v1/sessions`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: who, password, totp: totp(secret) }),
    });
    assert.equal(session.status, 201, session.text);
    const base = { given_name: 'Ottilie', family_name: 'Marrowgate', sex: 'F', middle_names: '', upn: '' };
    const k = await post(tok.education, 'school_absence', at(addDays(TODAY, -20)),
      { ...base, dob: '2015-02-11', postcode: 'LS6 2AB', address: '12 Mill Lane', nhs_number: '' });
    const mNhs = nhs.next().value;
    const m = await post(tok.social_care, 'cp_plan_start', at(addDays(TODAY, -10)),
      { ...base, dob: '2015-02-12', postcode: 'LS7 1AA', address: '3 Other Road', nhs_number: mNhs }, { category: 'neglect' });
    assert.notEqual(m.child_id, k.child_id, 'a borderline record gets a child of its own');
    for (const setting of ['ward 1', 'ward 2']) {
      const r = await getFlags(`nhs_number=${mNhs}&setting=${encodeURIComponent(setting)}`);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.child_id, m.child_id);
    }
    assert.deepEqual(flagLookups(area.db, m.child_id).map((x) => x.setting), ['ward 2', 'ward 1'], 'M lists its own');
    const reviews = await request(`${url}/api/v1/link-reviews?limit=500`, { token: session.json.token });
    assert.equal(reviews.status, 200, reviews.text);
    const review = reviews.json.reviews.find((v) => v.record.child_id === m.child_id && v.candidate.child_id === k.child_id);
    assert.ok(review, 'the review task for M against K');
    const d = await request(`${url}/api/v1/link-reviews/${review.id}/decision`, {
      method: 'POST', token: session.json.token, headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ decision: 'same', reason: 'the school confirmed the date of birth was mistyped' }),
    });
    assert.equal(d.status, 200, d.text);
    assert.equal(flagLookups(area.db, m.child_id).length, 2, 'merged into an unsealed child: still listed under M');
    // M stands merged into K, which now holds M's records: sealing M alone is refused, naming K, nothing written
    const sealM = runCli(['seal', '--db', dbUrl(area.db), '--child', String(m.child_id), '--basis', 'adoption'], { check: false });
    assert.equal(sealM.status, 1, sealM.stderr);
    assert.equal(sealM.stderr.trim(),
      `safeguard seal: record ${m.child_id} stands merged into child ${k.child_id}: seal ${k.child_id} (nothing sealed)`);
    assert.equal(auditRows(area.db, { action: 'record.seal', child: m.child_id }).length, 0, 'nothing sealed');
    const stray = runCli(['seal', '--db', dbUrl(area.db), '--child', String(k.child_id), '--basis', 'adoption', 'extra'], { check: false });
    assert.equal(stray.status, 2, 'a stray argument is misuse');
    assert.match(stray.stderr, /unexpected argument "extra"/);
    assert.equal(auditRows(area.db, { action: 'record.seal', child: k.child_id }).length, 0, 'nothing sealed');
    const sealedK = runCli(['seal', '--db', dbUrl(area.db), '--child', String(k.child_id), '--basis', 'adoption']);
    assert.equal(sealedK.stdout.trim(), `child ${k.child_id}: the record is sealed, and 1 record standing merged into it`);
    // the record standing merged into K is sealed with it (access_seal), so every list that leaves out a sealed
    // record (allocations, notices, break-glass openings under M's id) leaves M out too
    const sealedM = auditRows(area.db, { action: 'record.seal', child: m.child_id });
    assert.equal(sealedM.length, 1, 'M sealed with K');
    assert.equal(sealedM[0].detail, `adoption; merged into child:${k.child_id}; sealed with child:${k.child_id}`);
    const mReads = auditRows(area.db, { action: 'flags.list', child: m.child_id }).length;
    assert.deepEqual(flagLookups(area.db, m.child_id), [], "a sealed child's look-ups are not listed through a record merged into it");
    assert.equal(auditRows(area.db, { action: 'flags.list', child: m.child_id }).length, mReads + 1, 'the read is audited');
  });
});

// ---- 6. the sweep and escalation (each in an area of its own: a sweep covers every child) ----

describe('safeguard sweep', () => {
  let sa;
  let ss;

  before(async () => {
    sa = freshArea('alerts-sweep');
    ss = await startServer(sa.db);
  });

  after(async () => {
    try {
      if (ss) await ss.stop();
    } finally {
      removeDir(sa?.dir);
    }
  });

  test('--today writes what fell due by then (exact dates, the 90-day look-back), and nothing twice', async () => {
    // Two referrals about eight months ago: at intake every alert they raise is older than 90 days.
    const { rq, rp } = referralsOneDayApart(addDays(TODAY, -240));
    const xq = referralClock(rq).raised;
    const xp = referralClock(rp).raised;
    assert.equal(xp, addDays(xq, 1));
    const T = addDays(xp, 90); // P's decision alert is 90 days old on T (written), Q's 91 (history)
    assert.ok(T < addDays(TODAY, -90));

    const q = await post(sa.tokens.education, 'referral', at(rq), kid(), {}, ss.url);
    const p = await post(sa.tokens.education, 'referral', at(rp), kid(), {}, ss.url);
    assert.equal(alertRows(sa.db).length, 0, 'intake wrote nothing older than 90 days');

    const s1 = sweep(sa.db, T);
    const assess = (r) => {
      const due = addWorkingDays(r, 45);
      return { due, raised: addDays(due, 1) };
    };
    const expected = [
      { person_id: p.child_id, code: 'REFERRAL_DECISION_OVERDUE', raised_on: xp, due_on: referralClock(rp).due, evidence: `[${p.id}]` },
      { person_id: p.child_id, code: 'ASSESSMENT_OVERDUE', raised_on: assess(rp).raised, due_on: assess(rp).due, evidence: `[${p.id}]` },
      { person_id: q.child_id, code: 'ASSESSMENT_OVERDUE', raised_on: assess(rq).raised, due_on: assess(rq).due, evidence: `[${q.id}]` },
    ];
    for (const e of expected) assert.ok(e.raised_on <= T && e.raised_on >= addDays(T, -90), JSON.stringify(e));
    const key = (a) => `${a.person_id} ${a.code}`;
    const got = alertRows(sa.db);
    assert.deepEqual(got.map((a) => ({ person_id: a.person_id, code: a.code, raised_on: a.raised_on, due_on: a.due_on, evidence: a.evidence }))
      .sort((a, b) => key(a).localeCompare(key(b))), [...expected].sort((a, b) => key(a).localeCompare(key(b))));
    for (const a of got) assert.deepEqual([a.owner_kind, a.owner, a.state], ['mash', 'mash', 'open']);
    assert.deepEqual(s1, { children: 2, events: 2, raised: 3, escalated: 0 });
    assert.equal(auditRows(sa.db, { action: 'alert.raise' }).filter((e) => e.actor === 'sweep').length, 3);

    const s2 = sweep(sa.db, T);
    assert.deepEqual(s2, { children: 2, events: 2, raised: 0, escalated: 0 });
    assert.equal(alertRows(sa.db).length, 3);
    const s3 = sweep(sa.db); // today: all of it is history
    assert.equal(s3.raised, 0);
    assert.equal(alertRows(sa.db).length, 3);
    assert.equal(auditRows(sa.db, { action: 'alert.raise' }).filter((e) => e.actor === 'sweep').length, 3);

    // The API shows what the sweep wrote.
    const api = await getAlerts(`child=${p.child_id}`, sa.tokens.social_care, ss.url);
    assert.equal(api.status, 200, api.text);
    assert.deepEqual(api.json.alerts.map((a) => a.code).sort(), ['ASSESSMENT_OVERDUE', 'REFERRAL_DECISION_OVERDUE']);
  });

  test('a bad --today is refused with exit 2', () => {
    for (const d of ['2025-02-30', 'tomorrow', '2025-1-5']) {
      const r = runCli(['sweep', '--db', dbUrl(sa.db), '--today', d], { check: false });
      assert.equal(r.status, 2, `${d}: ${r.stderr}`);
      assert.match(r.stderr, /--today/);
    }
  });
});

describe('escalation at the sweep', () => {
  let ea;
  let es;

  before(async () => {
    ea = freshArea('alerts-escalate');
    es = await startServer(ea.db);
  });

  after(async () => {
    try {
      if (es) await es.stop();
    } finally {
      removeDir(ea?.dir);
    }
  });

  test('open alerts left a working day go to the team manager; acknowledged and resolved ones do not', async () => {
    teamAdd(ea.db, 'CP2', 'Child protection team 2', 'mgr.cp2');
    teamAdd(ea.db, 'mash', 'MASH', 'mash.lead');
    const r = addWorkingDays(TODAY, -10);
    const mk = async (worker) => {
      const s = kid();
      const c = await post(ea.tokens.education, 'contact', at(TODAY, '00:00:00'), s, {}, es.url);
      if (worker) allocate(ea.db, c.child_id, 'CP2', worker);
      const ref = await post(ea.tokens.education, 'referral', at(r), s, {}, es.url);
      const [a] = alertRows(ea.db, { child: c.child_id, code: 'REFERRAL_DECISION_OVERDUE' });
      assert.ok(a, JSON.stringify(ref));
      return a;
    };
    const open = await mk('e.worker');
    const acked = await mk('e.worker');
    const resolved = await mk('e.worker');
    const unallocated = await mk(null);
    const opts = { token: ea.tokens.social_care, base: es.url };
    assert.equal((await postAction(acked.id, 'acknowledge', undefined, { ...opts, contentType: null })).status, 200);
    assert.equal((await postAction(resolved.id, 'resolve', { outcome: 'Decision made: assessment' }, opts)).status, 200);

    // Today: written today, within their working day: nothing escalated.
    const s0 = sweep(ea.db);
    assert.equal(s0.raised, 0);
    assert.equal(s0.escalated, 0);
    assert.equal(alertRows(ea.db, {}, (a) => a.escalated_to !== '' || a.escalated_at !== '').length, 0);

    // The sweep bounds escalation by its own start time (to the second), so it must start in a later
    // second than the alerts were written: wait for the wall clock to pass it (the condition the code tests).
    await clockPast(alertRows(ea.db).map((a) => a.created_at).sort().pop());

    const later = addWorkingDays(TODAY, 3);
    const s1 = sweep(ea.db, later);
    assert.equal(s1.escalated, 2, JSON.stringify(s1));
    const row = (a) => alertRow(ea.db, a.id);
    assert.equal(row(open).escalated_to, 'mgr.cp2');
    assert.match(row(open).escalated_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    assert.equal(row(open).state, 'open');
    assert.equal(row(unallocated).escalated_to, 'mash.lead', 'no team: the MASH manager');
    for (const a of [acked, resolved]) {
      assert.equal(row(a).escalated_to, null);
      assert.equal(row(a).escalated_at, null);
    }
    assert.deepEqual(auditOf(ea.db, { action: 'alert.escalate' }, ['actor', 'detail']), [{ actor: 'sweep', detail: '2 escalated' }]);

    // The manager sees it in their inbox; the worker still owns it.
    const inbox = await getAlerts('owner=mgr.cp2', ea.tokens.social_care, es.url);
    assert.equal(inbox.status, 200, inbox.text);
    assert.deepEqual(inbox.json.alerts.map((a) => a.id), [open.id]);
    assert.equal(inbox.json.alerts[0].escalated_to, 'mgr.cp2');
    assert.deepEqual(inbox.json.alerts[0].owner, { kind: 'worker', name: 'e.worker' });

    // Escalated once only.
    const escalatedAt = row(open).escalated_at;
    const s2 = sweep(ea.db, later);
    assert.equal(s2.escalated, 0);
    assert.equal(row(open).escalated_at, escalatedAt);
    assert.equal(auditRows(ea.db, { action: 'alert.escalate' }).length, 1);
  });
});

describe('escalation: the boundary of one working day', () => {
  let ba;
  let bs;

  before(async () => {
    ba = freshArea('alerts-escalate-edge');
    bs = await startServer(ba.db);
  });

  after(async () => {
    try {
      if (bs) await bs.stop();
    } finally {
      removeDir(ba?.dir);
    }
  });

  test('an alert written today has the next working day to be acknowledged; it escalates the working day after', async () => {
    // alerts.h: "An alert not acknowledged within this many working days of being written goes to the team
    // manager" (1 by default). Written today, it is within 1 working day of being written until the end of
    // the next working day, so the sweep of that day must leave it alone; the sweep of the day after escalates.
    teamAdd(ba.db, 'CP3', 'Child protection team 3', 'mgr.cp3');
    const s = kid();
    const c = await post(ba.tokens.education, 'contact', at(TODAY, '00:00:00'), s, {}, bs.url);
    allocate(ba.db, c.child_id, 'CP3', 'edge.worker');
    await post(ba.tokens.education, 'referral', at(addWorkingDays(TODAY, -10)), s, {}, bs.url);
    const [a] = alertRows(ba.db, { child: c.child_id });
    assert.ok(a);
    await clockPast(alertRows(ba.db).map((a) => a.created_at).sort().pop());

    // The day it was written in England (today, or tomorrow if the run crossed midnight since TODAY was read).
    const written = ukDate(Date.parse(a.created_at));
    const next = addWorkingDays(written, 1);
    const s1 = sweep(ba.db, next);
    assert.equal(s1.escalated, 0, `sweep --today ${next} (the next working day after the alert was written on ${written}) escalated it`);
    assert.equal(alertRow(ba.db, a.id).escalated_to, null);
    const s2 = sweep(ba.db, addWorkingDays(written, 2));
    assert.equal(s2.escalated, 1);
    assert.equal(alertRow(ba.db, a.id).escalated_to, 'mgr.cp3');
  });
});
