// One injected clock (issue 13): the tests' now() reads SAFEGUARD_NOW as src/clock/now.h does, the server and
// the CLI take "now" from it (--now, SAFEGUARD_NOW), and a run of the calendar matrix (scripts/calendar.sh) is on
// the day it says. The instants here are chosen far from the real date, so that only an injected clock can
// give what is asserted.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  alertRows,
  lastAudit,
  auditEntries,
  CLOCK_OFFSET_S, clockOffsetSeconds, event, freshArea, now, postEvent, removeDir, runCli, sql, startServer,
  ukDate, ukToday, dbUrl,
} from './lib.mjs';

// Good Friday 2027, 10:00 in England (BST has not begun): a bank holiday, months from the day this was written.
const INSTANT = '2027-03-26T10:00:00Z';
const INSTANT_MS = Date.parse(INSTANT);
const STAMP_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** A server or CLI stamp (to the second) read at least at `from` and at most `elapsed` ms after it. */
function assertStampNear(stamp, from, elapsedMs, what) {
  assert.match(stamp, STAMP_RE, what);
  const t = Date.parse(stamp);
  assert.ok(t >= from - 1000 && t <= from + elapsedMs + 1000,
    `${what}: ${stamp} is not within ${elapsedMs} ms after ${new Date(from).toISOString()}`);
}

describe('the tests\' clock (lib.mjs) reads SAFEGUARD_NOW as src/clock/now.h does', () => {
  test('offsets, instants (with a zone or a fraction), unset; anything else is refused', () => {
    const system = Date.UTC(2026, 11, 4, 17, 0, 0, 400); // a system clock part-way through a second
    assert.equal(clockOffsetSeconds(undefined, system), 0);
    assert.equal(clockOffsetSeconds('', system), 0);
    assert.equal(clockOffsetSeconds('+86400', system), 86400);
    assert.equal(clockOffsetSeconds('-3600', system), -3600);
    assert.equal(clockOffsetSeconds('+0', system), 0);
    assert.equal(clockOffsetSeconds('2026-12-05T17:00:00Z', system), 86400);
    assert.equal(clockOffsetSeconds('2026-12-05T18:00:00+01:00', system), 86400);
    assert.equal(clockOffsetSeconds('2026-12-05t17:00:00.999z', system), 86400, 'the fraction is ignored');
    assert.equal(clockOffsetSeconds('2026-12-04T16:00:00-01:00', system), 0);
    for (const bad of ['tomorrow', '+', '+1.5', '1 day', '2027-02-29T10:00:00Z', '2027-03-26', '2027-03-26T24:00:00Z',
      '2027-03-26T10:00:00', '2027-03-26T10:00Z', `+${101 * 366 * 86400}`, '2200-01-01T00:00:00Z']) {
      assert.throws(() => clockOffsetSeconds(bad, system), /SAFEGUARD_NOW=.*RFC 3339 instant/, bad);
    }
  });

  test('the processes the tests start get the clock as an offset, the one this process runs on', () => {
    if (process.env.SAFEGUARD_NOW === undefined || process.env.SAFEGUARD_NOW === '') {
      assert.equal(CLOCK_OFFSET_S, 0);
    } else {
      assert.match(process.env.SAFEGUARD_NOW, /^[+-]\d+$/);
      assert.equal(Number(process.env.SAFEGUARD_NOW), CLOCK_OFFSET_S);
    }
    const d = now() - Date.now();
    assert.ok(Math.abs(d - CLOCK_OFFSET_S * 1000) < 1000, `now() is the system clock + ${CLOCK_OFFSET_S} s (off by ${d} ms)`);
  });

  test('a calendar run is on the day it names (CALENDAR_AT, set by scripts/calendar.sh)', (t) => {
    const at = process.env.CALENDAR_AT;
    if (!at) {
      t.skip('not a run of the calendar matrix');
      return;
    }
    // The run started at most an hour ago (the matrix's runs take a minute or two).
    const since = now() - Date.parse(at);
    assert.ok(since >= -2000 && since < 3600e3, `the clock reads ${new Date(now()).toISOString()}, not about ${at}`);
    assert.ok([ukDate(Date.parse(at)), ukDate(Date.parse(at) + 3600e3)].includes(ukToday()));
  });
});

describe('no test reads the real clock for "now"', () => {
  // The files that may: the clock itself; real-time bounds on a wait (not "now" for the service); a test that
  // sets its own fixed instant from the real clock; chromium's cookie expiry, which runs on the system clock.
  const MAY = new Set(['e2e/lib.mjs', 'e2e/clock.test.mjs', 'e2e/http_hardening.test.mjs',
    'e2e/crawl_need_to_know.test.mjs', 'e2e/need_to_know_routes.test.mjs', 'browser/signin.test.mjs']);
  test('every e2e and browser file takes now() from lib.mjs (the injected clock)', () => {
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
    const offenders = [];
    let files = 0;
    for (const dir of ['e2e', 'browser']) {
      for (const name of fs.readdirSync(path.join(root, dir)).filter((n) => n.endsWith('.mjs'))) {
        files++;
        if (MAY.has(`${dir}/${name}`)) continue;
        fs.readFileSync(path.join(root, dir, name), 'utf8').split('\n').forEach((line, i) => {
          if (/\bDate\.now\(\)|new Date\(\)/.test(line)) offenders.push(`${dir}/${name}:${i + 1}: ${line.trim()}`);
        });
      }
    }
    assert.ok(files > 20, `read ${files} files`);
    assert.deepEqual(offenders, [], 'read now() from lib.mjs instead');
  });
});

describe('the calendar matrix\'s list of days (tests/calendar/days.txt)', () => {
  test('holds every awkward day the issue names, each with a set of files scripts/calendar.sh knows', () => {
    const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../calendar/days.txt');
    const days = fs.readFileSync(file, 'utf8').split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean)
      .map((l) => l.split(/\s+/));
    for (const [at, set] of days) {
      assert.match(at, STAMP_RE, at);
      assert.ok(['core', 'full', 'full-pg'].includes(set), `${at}: set ${set}`);
    }
    const instants = days.map(([at]) => at);
    const ukDays = instants.map((at) => ukDate(Date.parse(at)));
    const weekdays = new Set(ukDays.map((d) => new Date(`${d}T12:00:00Z`).getUTCDay()));
    assert.equal(weekdays.size, 7, 'each day of the week');
    for (const d of ['2027-03-26', '2027-03-29', '2027-12-24', '2027-12-25', '2027-12-26', '2027-12-27', '2027-12-28',
      '2027-12-31', '2028-02-29']) assert.ok(ukDays.includes(d), d);
    // The clocks change at 01:00 UTC: a run starting half a minute before crosses the change.
    for (const at of ['2027-03-28T00:59:30Z', '2027-10-31T00:59:30Z']) assert.ok(instants.includes(at), at);
    assert.ok(days.some(([, set]) => set === 'full'), 'some days run every file');
    assert.ok(days.some(([, set]) => set === 'full-pg'), 'a day runs every file on PostgreSQL (make check\'s e2e run there)');
  });
});

describe('the server and the CLI take now from --now / SAFEGUARD_NOW', () => {
  let area;
  let server;
  let started; // the system clock when the server was asked to start

  before(async () => {
    area = freshArea('clock');
    started = Date.now();
    server = await startServer(area.db, { env: { SAFEGUARD_NOW: INSTANT } });
  });

  after(async () => {
    try {
      if (server) await server.stop();
    } finally {
      removeDir(area?.dir);
    }
  });

  test('the server\'s now is the instant it was given: intake\'s future, its stamps, its today', async () => {
    // Two days after the instant is the future (intake allows a day of clock skew); an hour before is not,
    // though it is months after the system clock.
    const future = await postEvent(server.url, area.tokens.education,
      event({ source_ref: 'CLK-1', kind: 'referral', occurred_at: '2027-03-28T10:00:00Z' }));
    assert.equal(future.status, 422, future.text);
    assert.equal(future.json.error.code, 'future_date');
    const auditBefore = auditEntries(area.db);
    const ok = await postEvent(server.url, area.tokens.education,
      event({ source_ref: 'CLK-2', kind: 'referral', occurred_at: '2027-03-15T09:00:00Z' }));
    assert.equal(ok.status, 201, ok.text);
    const elapsed = Date.now() - started;
    // The audit entry and the alert are stamped with the server's now (SQL timestamps follow the clock too).
    assert.ok(auditEntries(area.db) > auditBefore);
    // (The area's tokens were made by the CLI on this process's clock: the newest entry is the server's.)
    assertStampNear(lastAudit(area.db)?.at ?? '', INSTANT_MS, elapsed, 'the audit entry');
    const raised = alertRows(area.db, { child: ok.json.child_id, code: 'REFERRAL_DECISION_OVERDUE' });
    assert.equal(raised.length, 1, JSON.stringify(raised));
    const [{ created_at: createdAt, raised_on: raisedOn, due: dueOn }] = raised;
    assertStampNear(createdAt, INSTANT_MS, elapsed, 'the alert');
    // A referral on Monday 15 March: its decision was due Tuesday 16th, overdue from the 17th; the server's
    // today (Good Friday) is past it, so intake raised it.
    assert.deepEqual([raisedOn, dueOn], ['2027-03-17', '2027-03-16']);
  });

  test('the CLI: SAFEGUARD_NOW sets the clock; --now wins over it; a bad one is refused naming the forms', () => {
    const auditStamp = () => lastAudit(area.db)?.at ?? '';
    let from = Date.now();
    runCli(['token', 'create', '--db', dbUrl(area.db), '--agency', 'health', '--label', 'clock env'],
      { env: { SAFEGUARD_NOW: '2028-02-29T23:59:00Z' } });
    assertStampNear(auditStamp(), Date.parse('2028-02-29T23:59:00Z'), Date.now() - from, 'SAFEGUARD_NOW');
    from = Date.now();
    runCli(['--now', '2027-10-31T00:59:30Z', 'token', 'create', '--db', dbUrl(area.db), '--agency', 'health',
      '--label', 'clock flag'], { env: { SAFEGUARD_NOW: '2028-02-29T23:59:00Z' } });
    assertStampNear(auditStamp(), Date.parse('2027-10-31T00:59:30Z'), Date.now() - from, '--now');
    const bad = runCli(['token', 'create', '--db', dbUrl(area.db), '--agency', 'health'],
      { check: false, env: { SAFEGUARD_NOW: 'next tuesday' } });
    assert.equal(bad.status, 2, bad.stderr);
    assert.match(bad.stderr, /SAFEGUARD_NOW/);
    assert.match(bad.stderr, /RFC 3339/);
  });
});
