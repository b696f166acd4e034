// `safeguard replay`: statutory clocks and patterns replayed over a chronology, written as an independent
// oracle from docs/RULES.md. Every expected date below was counted by hand; the comment next to it shows
// the count. England & Wales bank holidays used: 2025: 1 Jan, 18 Apr (Good Friday), 21 Apr (Easter
// Monday), 5 May, 26 May, 25 Aug, 25-26 Dec; 2026: 1 Jan, 3 Apr, 6 Apr, 4 May, 25 May, 31 Aug, 25 Dec,
// 28 Dec (substitute for Boxing Day on Saturday); 2027: 1 Jan (Friday).
//
// Evidence: where an alert rests on exactly one event (or the pattern's events are unambiguous) the
// evidence list is compared exactly; elsewhere the test requires the events the alert must rest on
// (`{ includes: [...] }`). Every evidence list must name known events, oldest first, at most 8.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BIN, assertNoSanitizerReport, removeDir, runCli, tempDir } from './lib.mjs';

let dir;
let runNo = 0;

before(() => { dir = tempDir('replay'); });
after(() => { removeDir(dir); });

// ---- building chronologies ----

/** A chronology under construction: person() and event() append lines and return the id. */
function chronology() {
  const lines = [];
  let n = 0;
  return {
    lines,
    person(id, extra = {}) {
      lines.push({ type: 'person', id, ...extra });
      return id;
    },
    /** child may be null (a domestic abuse incident naming only a household). */
    event(child, kind, at, extra = {}) {
      const { id = `E${++n}`, ...rest } = extra;
      const line = { type: 'event', id, kind, at, ...rest };
      if (child !== null) line.child = child;
      lines.push(line);
      return id;
    },
  };
}

const LONDON = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit',
});

/** The England local date of an `at` value (node's ICU, not the implementation). */
function localDate(at) {
  if (/^\d{4}-\d{2}-\d{2}$/.test(at)) return at;
  return LONDON.format(new Date(at));
}

/** The input lines as objects (lines given as text are parsed; blank or unparsable ones dropped). */
function objects(lines) {
  return lines.flatMap((l) => {
    if (typeof l !== 'string') return [l];
    try { return [JSON.parse(l)]; } catch { return []; }
  }).filter((l) => l && typeof l === 'object');
}

/** Sort key of each event id per the documented order: day, date-only before timed, time, input order. */
function eventOrder(lines) {
  const events = objects(lines).filter((l) => l.type === 'event');
  const keyed = events.map((e, i) => ({
    id: e.id,
    day: localDate(e.at),
    timed: /T/.test(e.at) ? 1 : 0,
    t: /T/.test(e.at) ? Date.parse(e.at) : 0,
    i,
  }));
  keyed.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0) || a.timed - b.timed || a.t - b.t || a.i - b.i);
  const rank = new Map();
  keyed.forEach((k, r) => rank.set(k.id, r));
  return rank;
}

// ---- running replay ----

function writeLines(file, lines) {
  fs.writeFileSync(file, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
}

/** Runs replay in a fresh folder; returns the process result and the paths. */
function replay(lines, { until, settings, out: existingOut } = {}) {
  const d = path.join(dir, `run-${++runNo}`);
  fs.mkdirSync(d);
  const inPath = path.join(d, 'chronology.jsonl');
  const outPath = path.join(d, 'alerts.jsonl');
  writeLines(inPath, lines);
  if (existingOut !== undefined) fs.writeFileSync(outPath, existingOut);
  const args = ['replay', '--in', inPath, '--until', until, '--out', outPath];
  if (settings !== undefined) {
    const sPath = path.join(d, 'settings.json');
    fs.writeFileSync(sPath, typeof settings === 'string' ? settings : JSON.stringify(settings));
    args.push('--settings', sPath);
  }
  const r = runCli(args, { check: false });
  return { ...r, inPath, outPath, args };
}

const ALLOWED_KEYS = new Set(['child', 'code', 'raised_on', 'due', 'evidence']);
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

function parseAlerts(text) {
  const lines = text.split('\n');
  assert.equal(lines.pop(), '', 'the output ends with a newline (or is empty)');
  return lines.map((l, i) => {
    assert.notEqual(l, '', `output line ${i + 1} is blank`);
    let a;
    try { a = JSON.parse(l); } catch (e) { assert.fail(`output line ${i + 1} is not JSON: ${l}`); }
    assert.equal(typeof a, 'object');
    for (const k of Object.keys(a)) assert.ok(ALLOWED_KEYS.has(k), `unexpected key ${k} in ${l}`);
    assert.equal(typeof a.child, 'string', l);
    assert.equal(typeof a.code, 'string', l);
    assert.match(a.raised_on, DATE_RE, l);
    if ('due' in a) assert.match(a.due, DATE_RE, l);
    assert.ok(Array.isArray(a.evidence), `evidence is a list: ${l}`);
    return a;
  });
}

function fmtActual(a) {
  return `${a.raised_on} ${a.child} ${a.code}${'due' in a ? ` due ${a.due}` : ''} [${a.evidence.join(',')}]`;
}

function fmtExpected(e) {
  const ev = Array.isArray(e.evidence) ? e.evidence.join(',') : `includes ${e.evidence.includes.join(',')}`;
  return `${e.raised_on} ${e.child} ${e.code}${e.due !== undefined ? ` due ${e.due}` : ''} [${ev}]`;
}

function evidenceMatches(actual, expected) {
  if (Array.isArray(expected)) return JSON.stringify(actual) === JSON.stringify(expected);
  return expected.includes.every((id) => actual.includes(id));
}

/**
 * Compares the full list of alerts: the same alerts (none missing, none extra), in the documented order
 * (raised_on, then the child's order of appearance). The order of codes for one child on one day is not
 * checked: "then code" may mean the code's text or its place in the rules' list.
 */
function assertAlerts(actual, expected, lines) {
  const persons = objects(lines).filter((l) => l.type === 'person').map((p) => p.id);
  const personIndex = (c) => {
    const i = persons.indexOf(c);
    return i < 0 ? Infinity : i;
  };
  const cmp = (a, b) => (a.raised_on < b.raised_on ? -1 : a.raised_on > b.raised_on ? 1 : 0)
    || personIndex(a.child) - personIndex(b.child)
    || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
  const exp = [...expected].sort(cmp);

  // every alert's evidence: known event ids, no repeats, oldest first, at most 8
  const order = eventOrder(lines);
  for (const a of actual) {
    assert.ok(a.evidence.length <= 8, `more than 8 evidence ids: ${fmtActual(a)}`);
    assert.equal(new Set(a.evidence).size, a.evidence.length, `repeated evidence: ${fmtActual(a)}`);
    for (const id of a.evidence) assert.ok(order.has(id), `evidence ${id} is not an event id: ${fmtActual(a)}`);
    for (let i = 1; i < a.evidence.length; i++) {
      assert.ok(order.get(a.evidence[i - 1]) < order.get(a.evidence[i]), `evidence not oldest first: ${fmtActual(a)}`);
    }
  }

  // the same alerts
  const used = new Set();
  const missing = [];
  for (const e of exp) {
    const j = actual.findIndex((a, k) => !used.has(k) && a.child === e.child && a.code === e.code
      && a.raised_on === e.raised_on && (e.due === undefined ? !('due' in a) : a.due === e.due)
      && evidenceMatches(a.evidence, e.evidence));
    if (j < 0) missing.push(e); else used.add(j);
  }
  const extra = actual.filter((_, k) => !used.has(k));
  if (missing.length || extra.length) {
    assert.fail([
      'alerts differ',
      `expected:\n  ${exp.map(fmtExpected).join('\n  ') || '(none)'}`,
      `actual:\n  ${actual.map(fmtActual).join('\n  ') || '(none)'}`,
      `missing:\n  ${missing.map(fmtExpected).join('\n  ') || '(none)'}`,
      `unexpected:\n  ${extra.map(fmtActual).join('\n  ') || '(none)'}`,
    ].join('\n'));
  }

  // the documented order (raised_on, then the child's order of appearance)
  const cmpDayChild = (a, b) => (a.raised_on < b.raised_on ? -1 : a.raised_on > b.raised_on ? 1 : 0)
    || personIndex(a.child) - personIndex(b.child);
  for (let i = 1; i < actual.length; i++) {
    assert.ok(cmpDayChild(actual[i - 1], actual[i]) <= 0,
      `output not ordered by raised_on, then child's appearance: line ${i} ${fmtActual(actual[i - 1])} before line ${i + 1} ${fmtActual(actual[i])}`);
  }
}

/** Replays and compares the whole output with the expected alerts. */
function expectAlerts(lines, until, expected, opts = {}) {
  const r = replay(lines, { until, ...opts });
  assert.equal(r.status, 0, `safeguard ${r.args.join(' ')} exited ${r.status}: ${r.stderr}`);
  assert.ok(fs.existsSync(r.outPath), 'the output file exists');
  const actual = parseAlerts(fs.readFileSync(r.outPath, 'utf8'));
  assertAlerts(actual, expected, lines);
  return actual;
}

const A = (child, code, raised_on, due, evidence) => (due === null
  ? { child, code, raised_on, evidence }
  : { child, code, raised_on, due, evidence });
const inc = (...ids) => ({ includes: ids });

// ---- the command is there ----

describe('replay: the command', () => {
  test('replay --help exits 0 with a usage text', () => {
    const r = runCli(['replay', '--help']);
    assert.match(r.stdout, /usage: safeguard/);
    assert.match(r.stdout, /--in/);
    assert.match(r.stdout, /--until/);
    assert.match(r.stdout, /--out/);
  });

  test('a chronology with no alerts gives an empty output file', () => {
    const c = chronology();
    c.person('C1', { dob: '2015-01-01' });
    c.event('C1', 'dash_assessment', '2025-03-03', { score: 3 });
    const r = replay(c.lines, { until: '2025-12-31' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(fs.readFileSync(r.outPath, 'utf8'), '');
  });
});

// ---- 1. every alert code, positive and negative ----

describe('replay: clocks (overdue alerts)', () => {
  test('REFERRAL_DECISION_OVERDUE: 1 working day; met on the due date, late, one decision for two referrals', () => {
    const c = chronology();
    // R1: no decision. Referral Thu 10 Apr 2025; 1 working day after: Fri 11 Apr; raised Sat 12 Apr.
    // (Its assessment clock, 45 working days after Thu 10 Apr, is due Wed 18 Jun: after --until.)
    c.person('R1', { dob: '2012-05-05' });
    const r1 = c.event('R1', 'referral', '2025-04-10', { agency: 'education' });
    // R2: decided on the due date Fri 11 Apr -> no alert (nfa stops the assessment clock too).
    c.person('R2', { dob: '2012-05-05' });
    c.event('R2', 'referral', '2025-04-10', { agency: 'police' });
    c.event('R2', 'referral_decision', '2025-04-11', { outcome: 'nfa' });
    // R3: decided the day after the due date (Sat 12 Apr) -> alert raised Sat 12 Apr anyway.
    c.person('R3', { dob: '2012-05-05' });
    const r3 = c.event('R3', 'referral', '2025-04-10', { agency: 'health' });
    c.event('R3', 'referral_decision', '2025-04-12', { outcome: 'early_help' });
    // R4: two referrals, Mon 7 Apr (due Tue 8 Apr) and Tue 8 Apr (due Wed 9 Apr); one decision on Wed 9 Apr
    // decides both: the first is late (raised Wed 9 Apr, due Tue 8 Apr), the second is on time.
    c.person('R4', { dob: '2012-05-05' });
    const r4a = c.event('R4', 'referral', '2025-04-07', { agency: 'police' });
    c.event('R4', 'referral', '2025-04-08', { agency: 'health' });
    c.event('R4', 'referral_decision', '2025-04-09', { outcome: 'no_further_action' });
    // R5: decided the same day (after it in the file) -> no alert; assessment due Wed 18 Jun: after --until.
    c.person('R5', { dob: '2012-05-05' });
    c.event('R5', 'referral', '2025-04-10', { agency: 'education' });
    c.event('R5', 'referral_decision', '2025-04-10', { outcome: 'assessment' });
    const expected = [
      A('R4', 'REFERRAL_DECISION_OVERDUE', '2025-04-09', '2025-04-08', inc(r4a)),
      A('R1', 'REFERRAL_DECISION_OVERDUE', '2025-04-12', '2025-04-11', inc(r1)),
      A('R3', 'REFERRAL_DECISION_OVERDUE', '2025-04-12', '2025-04-11', inc(r3)),
    ];
    expectAlerts(c.lines, '2025-05-31', expected);

    // Events may come in any order: the same chronology with the days reversed (same-day events keep
    // their order, persons first) gives the same alerts.
    const persons = c.lines.filter((l) => l.type === 'person');
    const events = c.lines.filter((l) => l.type === 'event');
    const days = [...new Set(events.map((e) => e.at))].sort().reverse();
    const shuffled = [...persons, ...days.flatMap((d) => events.filter((e) => e.at === d))];
    expectAlerts(shuffled, '2025-05-31', expected);
  });

  test('ASSESSMENT_OVERDUE: 45 working days across Easter and 5 May; stops, met, second referral', () => {
    // 45 working days after Mon 3 Mar 2025: 20 in March (4-31), Apr 1-17 = 13 (33), skip Good Friday 18 and
    // Easter Monday 21 Apr, Apr 22-30 = 7 (40), May 1, 2 (42), skip Mon 5 May, May 6, 7, 8 (45):
    // due Thu 8 May 2025, raised Fri 9 May.
    const c = chronology();
    c.person('A1', { dob: '2013-01-01' });
    const a1 = c.event('A1', 'referral', '2025-03-03', { agency: 'education' });
    c.event('A1', 'referral_decision', '2025-03-03', { outcome: 'assessment' });
    // A2: assessment ends on the due date -> no alert.
    c.person('A2', { dob: '2013-01-01' });
    c.event('A2', 'referral', '2025-03-03', { agency: 'health' });
    c.event('A2', 'referral_decision', '2025-03-03', { outcome: 'assessment' });
    c.event('A2', 'assessment_start', '2025-03-04');
    c.event('A2', 'assessment_end', '2025-05-08');
    // A3: an assessment_start with no referral waiting starts the clock: same count from Mon 3 Mar.
    c.person('A3', { dob: '2013-01-01' });
    const a3 = c.event('A3', 'assessment_start', '2025-03-03');
    // A4: a second referral on Mon 10 Mar while the clock runs does not start another (which would be
    // due Thu 15 May, raised Fri 16 May): one alert, from the first referral.
    c.person('A4', { dob: '2013-01-01' });
    const a4 = c.event('A4', 'referral', '2025-03-03', { agency: 'police' });
    c.event('A4', 'referral_decision', '2025-03-03', { outcome: 's17' });
    c.event('A4', 'referral', '2025-03-10', { agency: 'health' });
    c.event('A4', 'referral_decision', '2025-03-10', { outcome: 's17' });
    // A5: nfa decided only after the assessment started: it does not stop the clock. The decision on
    // Wed 5 Mar is also late (referral Mon 3 Mar, due Tue 4 Mar): referral alert raised Wed 5 Mar.
    c.person('A5', { dob: '2013-01-01' });
    const a5 = c.event('A5', 'referral', '2025-03-03', { agency: 'education' });
    c.event('A5', 'assessment_start', '2025-03-04');
    c.event('A5', 'referral_decision', '2025-03-05', { outcome: 'nfa' });
    // A6: assessment ends the day after the due date -> alert raised Fri 9 May anyway.
    c.person('A6', { dob: '2013-01-01' });
    const a6 = c.event('A6', 'referral', '2025-03-03', { agency: 'education' });
    c.event('A6', 'referral_decision', '2025-03-03', { outcome: 'assessment' });
    c.event('A6', 'assessment_start', '2025-03-05');
    c.event('A6', 'assessment_end', '2025-05-09');
    // A7: early help decided before any assessment -> stops without alert.
    c.person('A7', { dob: '2013-01-01' });
    c.event('A7', 'referral', '2025-03-03', { agency: 'education' });
    c.event('A7', 'referral_decision', '2025-03-03', { outcome: 'early_help' });
    expectAlerts(c.lines, '2025-05-31', [
      A('A5', 'REFERRAL_DECISION_OVERDUE', '2025-03-05', '2025-03-04', inc(a5)),
      A('A1', 'ASSESSMENT_OVERDUE', '2025-05-09', '2025-05-08', inc(a1)),
      A('A3', 'ASSESSMENT_OVERDUE', '2025-05-09', '2025-05-08', inc(a3)),
      A('A4', 'ASSESSMENT_OVERDUE', '2025-05-09', '2025-05-08', inc(a4)),
      A('A5', 'ASSESSMENT_OVERDUE', '2025-05-09', '2025-05-08', inc(a5)),
      A('A6', 'ASSESSMENT_OVERDUE', '2025-05-09', '2025-05-08', inc(a6)),
    ]);
  });

  test('ICPC_OVERDUE: 15 working days from the latest strategy discussion on or before the s47', () => {
    const c = chronology();
    // I1: strategy discussion Mon 14 Apr 2025, s47 Tue 15 Apr. 15 working days after Mon 14 Apr, skipping
    // Good Friday 18 Apr, Easter Monday 21 Apr and 5 May: Apr 15-17 (3), 22-25 (7), 28-30 (10), May 1-2 (12),
    // May 6-8 (15): due Thu 8 May; raised Fri 9 May.
    c.person('I1', { dob: '2014-02-02' });
    const i1sd = c.event('I1', 'strategy_discussion', '2025-04-14');
    const i1s47 = c.event('I1', 's47_start', '2025-04-15');
    // I2: discussions Thu 3 Apr (would give due Mon 28 Apr) and Mon 14 Apr, s47 Mon 14 Apr, another
    // discussion Wed 16 Apr (after the s47: not used). Due Thu 8 May; ICPC on Thu 8 May -> no alert.
    c.person('I2', { dob: '2014-02-02' });
    c.event('I2', 'strategy_discussion', '2025-04-03');
    c.event('I2', 'strategy_discussion', '2025-04-14');
    c.event('I2', 's47_start', '2025-04-14');
    c.event('I2', 'strategy_discussion', '2025-04-16');
    c.event('I2', 'icpc', '2025-05-08');
    // I3: as I1 plus a discussion on Wed 16 Apr after the s47 (timed from it, the due date would be Mon 12
    // May); ICPC Fri 9 May, the day after the due date Thu 8 May -> alert raised Fri 9 May.
    c.person('I3', { dob: '2014-02-02' });
    const i3sd = c.event('I3', 'strategy_discussion', '2025-04-14');
    const i3s47 = c.event('I3', 's47_start', '2025-04-15');
    c.event('I3', 'strategy_discussion', '2025-04-16');
    c.event('I3', 'icpc', '2025-05-09');
    // I4: s47 Thu 1 May with no discussion: 15 working days after Thu 1 May, skipping Mon 5 May:
    // May 2 (1), 6-9 (5), 12-16 (10), 19-23 (15): due Fri 23 May. s47 ends Tue 20 May with nfa -> stops.
    c.person('I4', { dob: '2014-02-02' });
    c.event('I4', 's47_start', '2025-05-01');
    c.event('I4', 's47_end', '2025-05-20', { outcome: 'nfa' });
    // I5: same, but the s47 ends recommending a conference -> clock runs: raised Sat 24 May, due Fri 23 May.
    c.person('I5', { dob: '2014-02-02' });
    const i5s47 = c.event('I5', 's47_start', '2025-05-01');
    c.event('I5', 's47_end', '2025-05-20', { outcome: 'icpc' });
    // CP review clocks from the ICPCs of I2 (Thu 8 May) and I3 (Fri 9 May) fall due in August: after --until.
    expectAlerts(c.lines, '2025-06-30', [
      A('I1', 'ICPC_OVERDUE', '2025-05-09', '2025-05-08', inc(i1sd, i1s47)),
      A('I3', 'ICPC_OVERDUE', '2025-05-09', '2025-05-08', inc(i3sd, i3s47)),
      A('I5', 'ICPC_OVERDUE', '2025-05-24', '2025-05-23', inc(i5s47)),
    ]);
  });

  test('CP_VISIT_OVERDUE: 10 working days from the plan or the last visit with seen: true', () => {
    const c = chronology();
    // V1 (a baby: no seen-alone clock). ICPC and plan Mon 2 Jun 2025 (CP review due Tue 2 Sep: after --until).
    c.person('V1', { dob: '2024-06-01' });
    c.event('V1', 'icpc', '2025-06-02');
    c.event('V1', 'cp_plan_start', '2025-06-02');
    // 10 working days after Mon 2 Jun: Jun 3-6 (4), 9-13 (9), 16 (10): due Mon 16 Jun; seen that day -> no alert.
    const v1seen = c.event('V1', 'visit', '2025-06-16', { seen: true });
    // 10 working days after Mon 16 Jun: Jun 17-20 (4), 23-27 (9), 30 (10): due Mon 30 Jun. The visit that
    // day has seen: false -> raised Tue 1 Jul.
    c.event('V1', 'visit', '2025-06-30', { seen: false });
    // Seen Thu 3 Jul: 10 working days after: Jul 4 (1), 7-11 (6), 14-17 (10): due Thu 17 Jul; a visit with
    // seen_alone: true that day implies seen -> no alert. Next due Thu 31 Jul (Jul 18, 21-25, 28-31);
    // the plan ends Wed 30 Jul -> stops.
    c.event('V1', 'visit', '2025-07-03', { seen: true });
    c.event('V1', 'visit', '2025-07-17', { seen_alone: true });
    c.event('V1', 'cp_plan_end', '2025-07-30');
    // V2: a visit on Tue 10 Jun that does not say whether the child was seen is no evidence: due Mon 16 Jun,
    // raised Tue 17 Jun. Seen Fri 20 Jun: next due 10 working days after = Fri 4 Jul (Jun 23-27, Jun 30-Jul 4);
    // the plan ends Wed 2 Jul -> no second alert.
    c.person('V2', { dob: '2024-06-01' });
    c.event('V2', 'icpc', '2025-06-02');
    const v2plan = c.event('V2', 'cp_plan_start', '2025-06-02');
    c.event('V2', 'visit', '2025-06-10');
    c.event('V2', 'visit', '2025-06-20', { seen: true });
    c.event('V2', 'cp_plan_end', '2025-07-02');
    expectAlerts(c.lines, '2025-08-31', [
      A('V2', 'CP_VISIT_OVERDUE', '2025-06-17', '2025-06-16', inc(v2plan)),
      A('V1', 'CP_VISIT_OVERDUE', '2025-07-01', '2025-06-30', inc(v1seen)),
    ]);
  });

  test('NOT_SEEN_ALONE: 42 days from the later of the start and the 4th birthday, or the last seen-alone visit', () => {
    const c = chronology();
    // All looked after from Tue 1 Apr 2025. First LAC review due 20 working days after Tue 1 Apr: Apr 2-4 (3),
    // 7-11 (8), 14-17 (12), skip 18 and 21 Apr, 22-25 (16), 28-30 (19), May 1 (20): Thu 1 May; held that day.
    // The next review is due 3 months later, Fri 1 Aug: after --until.
    // NA: 4th birthday Tue 20 May 2025 (after the start). Seen alone Tue 10 Jun; 42 days after Tue 10 Jun =
    // Tue 22 Jul (20 to 30 Jun, +22); seen alone that day -> no alert.
    c.person('NA', { dob: '2021-05-20' });
    c.event('NA', 'lac_start', '2025-04-01');
    c.event('NA', 'lac_review', '2025-05-01');
    c.event('NA', 'visit', '2025-06-10', { seen_alone: true });
    c.event('NA', 'visit', '2025-07-22', { seen_alone: true });
    // NB: same birthday; seen (not alone) Fri 20 Jun does not meet it. 42 days after Tue 20 May =
    // Tue 1 Jul (11 to 31 May, 30 to 30 Jun, +1); raised Wed 2 Jul.
    c.person('NB', { dob: '2021-05-20' });
    const nbStart = c.event('NB', 'lac_start', '2025-04-01');
    c.event('NB', 'lac_review', '2025-05-01');
    c.event('NB', 'visit', '2025-06-20', { seen: true });
    // NC: date of birth unknown -> old enough: 42 days after Tue 1 Apr = Tue 13 May (29 to 30 Apr, +13);
    // raised Wed 14 May.
    c.person('NC');
    const ncStart = c.event('NC', 'lac_start', '2025-04-01');
    c.event('NC', 'lac_review', '2025-05-01');
    // ND: 2 years old -> no clock.
    c.person('ND', { dob: '2023-01-01' });
    c.event('ND', 'lac_start', '2025-04-01');
    c.event('ND', 'lac_review', '2025-05-01');
    // NE: dob unknown, care ends Sat 10 May (before the due date Tue 13 May) -> stops.
    c.person('NE');
    c.event('NE', 'lac_start', '2025-04-01');
    c.event('NE', 'lac_review', '2025-05-01');
    c.event('NE', 'lac_end', '2025-05-10');
    expectAlerts(c.lines, '2025-07-31', [
      A('NC', 'NOT_SEEN_ALONE', '2025-05-14', '2025-05-13', inc(ncStart)),
      A('NB', 'NOT_SEEN_ALONE', '2025-07-02', '2025-07-01', inc(nbStart)),
    ]);
  });

  test('LAC_REVIEW_OVERDUE: 20 working days, then 3 months after the first review, then 6 months', () => {
    const c = chronology();
    // 20 working days after Tue 1 Apr 2025 (skipping 18 and 21 Apr): Thu 1 May (see the count above).
    // L1: no review by then -> raised Fri 2 May. First review Tue 6 May (late); second due 3 months after it,
    // Wed 6 Aug; held Thu 7 Aug -> raised Thu 7 Aug; next due 6 months after Thu 7 Aug = Sat 7 Feb 2026,
    // none held -> raised Sun 8 Feb 2026.
    c.person('L1', { dob: '2024-01-01' });
    const l1start = c.event('L1', 'lac_start', '2025-04-01');
    const l1r1 = c.event('L1', 'lac_review', '2025-05-06');
    const l1r2 = c.event('L1', 'lac_review', '2025-08-07');
    // L2: review on the due date Thu 1 May; care ends Tue 15 Jul before the next (Fri 1 Aug) -> no alert.
    c.person('L2', { dob: '2024-01-01' });
    c.event('L2', 'lac_start', '2025-04-01');
    c.event('L2', 'lac_review', '2025-05-01');
    c.event('L2', 'lac_end', '2025-07-15');
    // L3: reviews Thu 1 May and Fri 1 Aug (both on the due date); next due 6 months after Fri 1 Aug =
    // Sun 1 Feb 2026; held Mon 2 Feb -> raised Mon 2 Feb, due Sun 1 Feb.
    c.person('L3', { dob: '2024-01-01' });
    c.event('L3', 'lac_start', '2025-04-01');
    c.event('L3', 'lac_review', '2025-05-01');
    const l3r2 = c.event('L3', 'lac_review', '2025-08-01');
    c.event('L3', 'lac_review', '2026-02-02');
    expectAlerts(c.lines, '2026-02-10', [
      A('L1', 'LAC_REVIEW_OVERDUE', '2025-05-02', '2025-05-01', inc(l1start)),
      A('L1', 'LAC_REVIEW_OVERDUE', '2025-08-07', '2025-08-06', inc(l1r1)),
      A('L3', 'LAC_REVIEW_OVERDUE', '2026-02-02', '2026-02-01', inc(l3r2)),
      A('L1', 'LAC_REVIEW_OVERDUE', '2026-02-08', '2026-02-07', inc(l1r2)),
    ]);
  });

  test('LAC_VISIT_OVERDUE: 7 days after each placement, then 42 days after each visit with seen: true', () => {
    const c = chronology();
    c.person('P1', { dob: '2024-02-01' });
    // Looked after from Mon 2 Jun 2025: first review due 20 working days after = Mon 30 Jun (Jun 3-6, 9-13,
    // 16-20, 23-27, 30); held that day; the second due 3 months later, Tue 30 Sep; held that day.
    c.event('P1', 'lac_start', '2025-06-02');
    c.event('P1', 'placement_start', '2025-06-02');
    // 7 days after Mon 2 Jun = Mon 9 Jun: seen that day -> no alert.
    const seen1 = c.event('P1', 'visit', '2025-06-09', { seen: true });
    c.event('P1', 'lac_review', '2025-06-30');
    // 42 days after Mon 9 Jun = Mon 21 Jul (21 to 30 Jun, +21). A visit on Tue 15 Jul that does not say the
    // child was seen does not meet it -> raised Tue 22 Jul.
    c.event('P1', 'visit', '2025-07-15');
    // Seen Fri 25 Jul: next due 42 days after = Fri 5 Sep; the placement ends Wed 20 Aug -> stops.
    c.event('P1', 'visit', '2025-07-25', { seen: true });
    c.event('P1', 'placement_end', '2025-08-20');
    // New placement Wed 20 Aug: due 7 days after = Wed 27 Aug; seen alone that day (implies seen) -> no alert.
    c.event('P1', 'placement_start', '2025-08-20');
    const seen3 = c.event('P1', 'visit', '2025-08-27', { seen_alone: true });
    c.event('P1', 'lac_review', '2025-09-30');
    // 42 days after Wed 27 Aug = Wed 8 Oct (4 to 31 Aug, 30 to 30 Sep, +8): raised Thu 9 Oct, = --until.
    expectAlerts(c.lines, '2025-10-09', [
      A('P1', 'LAC_VISIT_OVERDUE', '2025-07-22', '2025-07-21', inc(seen1)),
      A('P1', 'LAC_VISIT_OVERDUE', '2025-10-09', '2025-10-08', inc(seen3)),
    ]);
  });
});

// ---- 5. return home interviews, with times ----

describe('replay: RHI_OVERDUE (72 hours, exact when both carry a time)', () => {
  test('on time, an hour late, not independent, before the return, date-only, one interview for two returns, BST', () => {
    const c = chronology();
    // Return Mon 10 Mar 2025 10:00 GMT; 72 hours later: Thu 13 Mar 10:00 -> due Thu 13 Mar.
    // M1: independent interview Thu 13 Mar 09:00 (hour 71) -> no alert.
    c.person('M1', { dob: '2010-01-01' });
    c.event('M1', 'missing_start', '2025-03-09T20:00:00Z');
    c.event('M1', 'missing_end', '2025-03-10T10:00:00Z');
    c.event('M1', 'return_interview', '2025-03-13T09:00:00Z', { independent: true });
    // M2: interview Thu 13 Mar 11:00 (hour 73, on the due date) -> late: raised Fri 14 Mar, due Thu 13 Mar.
    c.person('M2', { dob: '2010-01-01' });
    c.event('M2', 'missing_start', '2025-03-09T20:00:00Z');
    const m2end = c.event('M2', 'missing_end', '2025-03-10T10:00:00Z');
    c.event('M2', 'return_interview', '2025-03-13T11:00:00Z', { independent: true });
    // M3: interview in time but independent: false -> does not count: raised Fri 14 Mar.
    c.person('M3', { dob: '2010-01-01' });
    c.event('M3', 'missing_start', '2025-03-09T20:00:00Z');
    const m3end = c.event('M3', 'missing_end', '2025-03-10T10:00:00Z');
    c.event('M3', 'return_interview', '2025-03-12T09:00:00Z', { independent: false });
    // M4: interview at 09:00, before the return at 10:00 the same day -> does not count: raised Fri 14 Mar.
    c.person('M4', { dob: '2010-01-01' });
    c.event('M4', 'missing_start', '2025-03-09T20:00:00Z');
    c.event('M4', 'return_interview', '2025-03-10T09:00:00Z', { independent: true });
    const m4end = c.event('M4', 'missing_end', '2025-03-10T10:00:00Z');
    // M5: dates only: return Mon 10 Mar, due Thu 13 Mar; interview on Thu 13 Mar -> no alert.
    c.person('M5', { dob: '2010-01-01' });
    c.event('M5', 'missing_start', '2025-03-09');
    c.event('M5', 'missing_end', '2025-03-10');
    c.event('M5', 'return_interview', '2025-03-13', { independent: true });
    // M6: timed return, interview with only a date on the due date Thu 13 Mar -> no alert.
    c.person('M6', { dob: '2010-01-01' });
    c.event('M6', 'missing_start', '2025-03-09T20:00:00Z');
    c.event('M6', 'missing_end', '2025-03-10T10:00:00Z');
    c.event('M6', 'return_interview', '2025-03-13', { independent: true });
    // M7: two returns (Mon 10 Mar 10:00, due Thu 13 Mar 10:00; Wed 12 Mar 08:00, due Sat 15 Mar 08:00);
    // one interview Wed 12 Mar 15:00 meets both -> no alert.
    c.person('M7', { dob: '2010-01-01' });
    c.event('M7', 'missing_start', '2025-03-09T20:00:00Z');
    c.event('M7', 'missing_end', '2025-03-10T10:00:00Z');
    c.event('M7', 'missing_start', '2025-03-11T18:00:00Z');
    c.event('M7', 'missing_end', '2025-03-12T08:00:00Z');
    c.event('M7', 'return_interview', '2025-03-12T15:00:00Z', { independent: true });
    // M8: return 2025-06-10T23:30Z = Wed 11 Jun 00:30 BST; 72 hours later 2025-06-13T23:30Z = Sat 14 Jun
    // 00:30 BST -> due Sat 14 Jun, raised Sun 15 Jun.
    c.person('M8', { dob: '2010-01-01' });
    c.event('M8', 'missing_start', '2025-06-10T18:00:00Z');
    const m8end = c.event('M8', 'missing_end', '2025-06-10T23:30:00Z');
    // M9: return Fri 28 Mar 2025 23:30 GMT; 72 hours later 2025-03-31T23:30Z, after the clocks went forward
    // on Sun 30 Mar = Tue 1 Apr 00:30 BST -> due Tue 1 Apr, raised Wed 2 Apr.
    c.person('M9', { dob: '2010-01-01' });
    c.event('M9', 'missing_start', '2025-03-28T12:00:00Z');
    const m9end = c.event('M9', 'missing_end', '2025-03-28T23:30:00Z');
    expectAlerts(c.lines, '2025-06-30', [
      A('M2', 'RHI_OVERDUE', '2025-03-14', '2025-03-13', inc(m2end)),
      A('M3', 'RHI_OVERDUE', '2025-03-14', '2025-03-13', inc(m3end)),
      A('M4', 'RHI_OVERDUE', '2025-03-14', '2025-03-13', inc(m4end)),
      A('M9', 'RHI_OVERDUE', '2025-04-02', '2025-04-01', inc(m9end)),
      A('M8', 'RHI_OVERDUE', '2025-06-15', '2025-06-14', inc(m8end)),
    ]);
  });
});

describe('replay: patterns and events (raised on the day)', () => {
  test('REPEAT_MISSING: 3 in the 90 days ending that day, both ends included; a later one raises again', () => {
    const c = chronology();
    // RM1: Fri 10 Jan (day 0), Mon 24 Feb (day 45), Thu 10 Apr 2025 (day 90: 21 to 31 Jan, 28 to 28 Feb,
    // 31 to 31 Mar, +10) -> raised Thu 10 Apr. Sun 20 Apr: the window is 20 Jan-20 Apr, so 24 Feb, 10 Apr
    // and 20 Apr -> raised again with those three.
    c.person('RM1', { dob: '2010-01-01' });
    const a = c.event('RM1', 'missing_start', '2025-01-10');
    const b = c.event('RM1', 'missing_start', '2025-02-24');
    const d = c.event('RM1', 'missing_start', '2025-04-10');
    const e = c.event('RM1', 'missing_start', '2025-04-20');
    // RM2: Fri 10 Jan, Mon 24 Feb, Fri 11 Apr (day 91: the window starts Sat 11 Jan) -> no alert.
    c.person('RM2', { dob: '2010-01-01' });
    c.event('RM2', 'missing_start', '2025-01-10');
    c.event('RM2', 'missing_start', '2025-02-24');
    c.event('RM2', 'missing_start', '2025-04-11');
    expectAlerts(c.lines, '2025-06-30', [
      A('RM1', 'REPEAT_MISSING', '2025-04-10', null, [a, b, d]),
      A('RM1', 'REPEAT_MISSING', '2025-04-20', null, [b, d, e]),
    ]);
  });

  test('NON_MOBILE_INJURY: under 6 months or mobile: false, due the same day', () => {
    const c = chronology();
    // N1: born 15 Jan 2025, injured Mon 14 Jul (6 months old on 15 Jul) -> alert.
    c.person('N1', { dob: '2025-01-15' });
    const n1 = c.event('N1', 'injury', '2025-07-14', { agency: 'health' });
    // N2: same baby born 15 Jan, injured on 15 Jul: 6 months old, mobile not said -> no alert.
    c.person('N2', { dob: '2025-01-15' });
    c.event('N2', 'injury', '2025-07-15', { agency: 'health' });
    // N3: 3 years old, mobile: false -> alert.
    c.person('N3', { dob: '2022-01-01', mobile: false });
    const n3 = c.event('N3', 'injury', '2025-03-03', { agency: 'education' });
    // N4: 3 years old, mobile: true -> no alert.
    c.person('N4', { dob: '2022-01-01', mobile: true });
    c.event('N4', 'injury', '2025-03-03', { agency: 'education' });
    // N5: 6 weeks old, mobile: true -> under 6 months: alert.
    c.person('N5', { dob: '2025-01-15', mobile: true });
    const n5 = c.event('N5', 'injury', '2025-03-01', { agency: 'health' });
    // N6: 3 years old, mobile not said -> no alert.
    c.person('N6', { dob: '2022-01-01' });
    c.event('N6', 'injury', '2025-03-03', { agency: 'police' });
    expectAlerts(c.lines, '2025-12-31', [
      A('N5', 'NON_MOBILE_INJURY', '2025-03-01', '2025-03-01', [n5]),
      A('N3', 'NON_MOBILE_INJURY', '2025-03-03', '2025-03-03', [n3]),
      A('N1', 'NON_MOBILE_INJURY', '2025-07-14', '2025-07-14', [n1]),
    ]);
  });

  test('CUMULATIVE_CONCERN: 3 concerns from 2 agencies in 90 days while nothing is open', () => {
    const c = chronology();
    // K1: education Mon 3 Feb, education Thu 13 Feb, health Mon 24 Feb 2025 -> raised Mon 24 Feb.
    c.person('K1', { dob: '2014-01-01' });
    const k1 = [c.event('K1', 'concern', '2025-02-03', { agency: 'education' }),
      c.event('K1', 'concern', '2025-02-13', { agency: 'education' }),
      c.event('K1', 'concern', '2025-02-24', { agency: 'health' })];
    // K2: three concerns, one agency -> no alert.
    c.person('K2', { dob: '2014-01-01' });
    c.event('K2', 'concern', '2025-02-03', { agency: 'education' });
    c.event('K2', 'concern', '2025-02-13', { agency: 'education' });
    c.event('K2', 'concern', '2025-02-24', { agency: 'education' });
    // K3: a referral Thu 20 Feb awaits a decision at the third concern (Mon 24 Feb) -> no concern alert.
    // The decision comes Tue 25 Feb: 1 working day after Thu 20 Feb is Fri 21 Feb -> referral alert
    // raised Sat 22 Feb. nfa stops its assessment clock.
    c.person('K3', { dob: '2014-01-01' });
    c.event('K3', 'concern', '2025-02-03', { agency: 'education' });
    c.event('K3', 'concern', '2025-02-13', { agency: 'health' });
    const k3ref = c.event('K3', 'referral', '2025-02-20', { agency: 'police' });
    c.event('K3', 'concern', '2025-02-24', { agency: 'police' });
    c.event('K3', 'referral_decision', '2025-02-25', { outcome: 'nfa' });
    // K4: Wed 1 Jan, Sat 15 Feb, Tue 1 Apr 2025: 1 Apr is 90 days after 1 Jan (31+28+31) -> raised Tue 1 Apr.
    c.person('K4', { dob: '2014-01-01' });
    const k4 = [c.event('K4', 'concern', '2025-01-01', { agency: 'education' }),
      c.event('K4', 'concern', '2025-02-15', { agency: 'health' }),
      c.event('K4', 'concern', '2025-04-01', { agency: 'education' })];
    // K5: the third on Wed 2 Apr, 91 days after 1 Jan -> no alert.
    c.person('K5', { dob: '2014-01-01' });
    c.event('K5', 'concern', '2025-01-01', { agency: 'education' });
    c.event('K5', 'concern', '2025-02-15', { agency: 'health' });
    c.event('K5', 'concern', '2025-04-02', { agency: 'education' });
    // K6: two concerns and an injury: only concerns count -> no alert (11 years old: no injury alert).
    c.person('K6', { dob: '2014-01-01' });
    c.event('K6', 'concern', '2025-02-03', { agency: 'education' });
    c.event('K6', 'concern', '2025-02-13', { agency: 'health' });
    c.event('K6', 'injury', '2025-02-24', { agency: 'police' });
    // K7: a referral Mon 10 Feb decided the same day (nfa) is closed by the third concern -> raised Mon 24 Feb.
    c.person('K7', { dob: '2014-01-01' });
    const k7a = c.event('K7', 'concern', '2025-02-03', { agency: 'education' });
    c.event('K7', 'referral', '2025-02-10', { agency: 'education' });
    c.event('K7', 'referral_decision', '2025-02-10', { outcome: 'nfa' });
    const k7b = c.event('K7', 'concern', '2025-02-13', { agency: 'health' });
    const k7c = c.event('K7', 'concern', '2025-02-24', { agency: 'police' });
    expectAlerts(c.lines, '2025-04-30', [
      A('K3', 'REFERRAL_DECISION_OVERDUE', '2025-02-22', '2025-02-21', inc(k3ref)),
      A('K1', 'CUMULATIVE_CONCERN', '2025-02-24', null, k1),
      A('K7', 'CUMULATIVE_CONCERN', '2025-02-24', null, inc(k7a, k7b, k7c)),
      A('K4', 'CUMULATIVE_CONCERN', '2025-04-01', null, k4),
    ]);
  });

  test('CUMULATIVE_CONCERN raises again on each concern that completes the pattern; evidence at most 8', () => {
    // Ten concerns on the weekdays Mon 3 Feb-Fri 14 Feb 2025, education and health in turn: the 3rd
    // (Wed 5 Feb) and every later one completes the pattern -> 8 alerts. Which 8 of the 10 concerns the
    // last alerts cite is not specified; the common check requires at most 8, oldest first.
    const c = chronology();
    c.person('KK', { dob: '2014-01-01' });
    const days = ['03', '04', '05', '06', '07', '10', '11', '12', '13', '14'];
    days.forEach((d, i) => c.event('KK', 'concern', `2025-02-${d}`, { agency: i % 2 ? 'health' : 'education' }));
    expectAlerts(c.lines, '2025-04-30',
      days.slice(2).map((d) => A('KK', 'CUMULATIVE_CONCERN', `2025-02-${d}`, null, inc())));
  });

  test('DASH_HIGH_RISK: a score of 14 or more; other fields are kept as details', () => {
    const c = chronology();
    c.person('D1', { dob: '2012-01-01' });
    const d14 = c.event('D1', 'dash_assessment', '2025-03-03', { score: 14, agency: 'police' });
    c.event('D1', 'dash_assessment', '2025-03-04', { score: 13, agency: 'police' });
    c.person('D2', { dob: '2012-01-01' });
    const d24 = c.event('D2', 'dash_assessment', '2025-03-05',
      { score: 24, agency: 'police', note: 'kept, not read', details: { q: [1, 2], officer: 'PC 1' } });
    expectAlerts(c.lines, '2025-12-31', [
      A('D1', 'DASH_HIGH_RISK', '2025-03-03', null, [d14]),
      A('D2', 'DASH_HIGH_RISK', '2025-03-05', null, [d24]),
    ]);
  });

  test('UNSCHEDULED_CARE_ATTENDANCE: while looked after or within 12 months after', () => {
    const c = chronology();
    // U1 (2 years old, so no seen-alone clock): looked after Mon 6 Jan-Fri 17 Jan 2025 (the review, due
    // Mon 3 Feb, is stopped by the end). Attends Fri 10 Jan (in care) and Mon 1 Dec 2025 (10.5 months after).
    c.person('U1', { dob: '2023-03-01' });
    c.event('U1', 'lac_start', '2025-01-06');
    const u1a = c.event('U1', 'unscheduled_care', '2025-01-10', { agency: 'health' });
    c.event('U1', 'lac_end', '2025-01-17');
    const u1b = c.event('U1', 'unscheduled_care', '2025-12-01', { agency: 'health' });
    // U2: care ended Fri 13 Jan 2023; attends Fri 1 Mar 2024 (over 13 months later) -> no alert.
    c.person('U2', { dob: '2021-03-01' });
    c.event('U2', 'lac_start', '2023-01-09');
    c.event('U2', 'lac_end', '2023-01-13');
    c.event('U2', 'unscheduled_care', '2024-03-01', { agency: 'health' });
    // U3: never known -> no alert.
    c.person('U3', { dob: '2015-01-01' });
    c.event('U3', 'unscheduled_care', '2025-02-03', { agency: 'health' });
    expectAlerts(c.lines, '2025-12-31', [
      A('U1', 'UNSCHEDULED_CARE_ATTENDANCE', '2025-01-10', null, inc(u1a)),
      A('U1', 'UNSCHEDULED_CARE_ATTENDANCE', '2025-12-01', null, inc(u1b)),
    ]);
  });

  test('HOME_EDUCATED_KNOWN_TO_SERVICES: open, or open within the last 12 months', () => {
    const c = chronology();
    // H1: referral Mon 6 Jan 2025 decided the same day (nfa); home education Mon 2 Jun 2025 -> alert.
    c.person('H1', { dob: '2015-01-01' });
    c.event('H1', 'referral', '2025-01-06', { agency: 'education' });
    c.event('H1', 'referral_decision', '2025-01-06', { outcome: 'nfa' });
    const h1 = c.event('H1', 'home_education_start', '2025-06-02', { agency: 'education' });
    // H2: the referral was in January 2023, two years before -> no alert.
    c.person('H2', { dob: '2015-01-01' });
    c.event('H2', 'referral', '2023-01-09', { agency: 'education' });
    c.event('H2', 'referral_decision', '2023-01-09', { outcome: 'nfa' });
    c.event('H2', 'home_education_start', '2025-01-13', { agency: 'education' });
    // H3: never known -> no alert.
    c.person('H3', { dob: '2015-01-01' });
    c.event('H3', 'home_education_start', '2025-06-02', { agency: 'education' });
    expectAlerts(c.lines, '2025-12-31', [
      A('H1', 'HOME_EDUCATED_KNOWN_TO_SERVICES', '2025-06-02', null, inc(h1)),
    ]);
  });

  test('DISTANT_PLACEMENT_APPROVAL: distant and not approved by the DCS, due the same day', () => {
    const c = chronology();
    // All looked after and placed Mon 2 Jun 2025; the first visit (Mon 9 Jun) and review (Mon 30 Jun) fall
    // due after --until.
    c.person('DP1', { dob: '2024-01-01' });
    c.event('DP1', 'lac_start', '2025-06-02');
    const p1 = c.event('DP1', 'placement_start', '2025-06-02', { distant: true });
    c.person('DP2', { dob: '2024-01-01' });
    c.event('DP2', 'lac_start', '2025-06-02');
    c.event('DP2', 'placement_start', '2025-06-02', { distant: true, dcs_approved: true });
    c.person('DP3', { dob: '2024-01-01' });
    c.event('DP3', 'lac_start', '2025-06-02');
    c.event('DP3', 'placement_start', '2025-06-02', { distant: false });
    c.person('DP4', { dob: '2024-01-01' });
    c.event('DP4', 'lac_start', '2025-06-02');
    const p4 = c.event('DP4', 'placement_start', '2025-06-02', { distant: true, dcs_approved: false });
    expectAlerts(c.lines, '2025-06-06', [
      A('DP1', 'DISTANT_PLACEMENT_APPROVAL', '2025-06-02', '2025-06-02', [p1]),
      A('DP4', 'DISTANT_PLACEMENT_APPROVAL', '2025-06-02', '2025-06-02', [p4]),
    ]);
  });

  test('SERIOUS_INCIDENT_NOTIFICATION_DUE and RAPID_REVIEW_DUE: reminders raised on the day with their due date', () => {
    const c = chronology();
    c.person('S1', { dob: '2012-01-01' });
    // 5 working days after Mon 14 Apr 2025: Apr 15, 16, 17 (3), skip 18 and 21 Apr, 22 (4), 23 (5): Wed 23 Apr.
    const si = c.event('S1', 'serious_incident', '2025-04-14');
    // 15 working days after Mon 14 Apr 2025: Thu 8 May (count in the ICPC test).
    const pn1 = c.event('S1', 'panel_notified', '2025-04-14');
    // 15 working days after Thu 1 May 2025: May 2 (1), skip Mon 5 May, 6-9 (5), 12-16 (10), 19-23 (15):
    // Fri 23 May (the late May bank holiday, Mon 26 May, is not reached).
    const pn2 = c.event('S1', 'panel_notified', '2025-05-01');
    expectAlerts(c.lines, '2025-12-31', [
      A('S1', 'RAPID_REVIEW_DUE', '2025-04-14', '2025-05-08', [pn1]),
      A('S1', 'SERIOUS_INCIDENT_NOTIFICATION_DUE', '2025-04-14', '2025-04-23', [si]),
      A('S1', 'RAPID_REVIEW_DUE', '2025-05-01', '2025-05-23', [pn2]),
    ]);
  });
});

// ---- 8. domestic abuse in a household ----

describe('replay: DOMESTIC_ABUSE_IN_HOUSEHOLD', () => {
  test('every child under 18 of the household (or of unknown age), and the child named; due the next working day', () => {
    const c = chronology();
    // Persons in this order (not alphabetical): the output follows the order of appearance.
    c.person('Z1', { dob: '2015-03-01', household: 'HH1' });
    c.person('B2', { household: 'HH1' }); // age unknown
    c.person('A3', { dob: '2006-01-01', household: 'HH1' }); // 19: not a child
    c.person('M4', { dob: '2016-07-01', household: 'HH2' });
    c.person('K5', { dob: '2012-02-02' });
    // Fri 2 May 2025, household only: next working day after Fri 2 May, skipping Mon 5 May: Tue 6 May.
    const da1 = c.event(null, 'domestic_abuse_incident', '2025-05-02', { household: 'HH1', agency: 'police' });
    // Same day, a DASH for B2 (B2's two alerts that day come after Z1's).
    const dash = c.event('B2', 'dash_assessment', '2025-05-02', { score: 16, agency: 'police' });
    // Fri 9 May, naming K5 only: next working day Mon 12 May.
    const da2 = c.event('K5', 'domestic_abuse_incident', '2025-05-09', { agency: 'police' });
    // Fri 13 Jun, naming M4 with household HH1: Z1, B2 and M4; next working day Mon 16 Jun.
    const da3 = c.event('M4', 'domestic_abuse_incident', '2025-06-13', { household: 'HH1', agency: 'police' });
    // Thu 24 Dec 2026: skip Christmas Fri 25, the weekend, and Mon 28 Dec (Boxing Day substitute): Tue 29 Dec.
    const da4 = c.event(null, 'domestic_abuse_incident', '2026-12-24', { household: 'HH1', agency: 'police' });
    // Sat 26 Dec 2026: skip Sun 27 and Mon 28 Dec: Tue 29 Dec.
    const da5 = c.event('M4', 'domestic_abuse_incident', '2026-12-26', { agency: 'police' });
    // Thu 31 Dec 2026: skip New Year's Day Fri 1 Jan 2027 and the weekend: Mon 4 Jan 2027.
    const da6 = c.event('K5', 'domestic_abuse_incident', '2026-12-31', { agency: 'police' });
    expectAlerts(c.lines, '2027-01-31', [
      A('Z1', 'DOMESTIC_ABUSE_IN_HOUSEHOLD', '2025-05-02', '2025-05-06', [da1]),
      A('B2', 'DASH_HIGH_RISK', '2025-05-02', null, [dash]),
      A('B2', 'DOMESTIC_ABUSE_IN_HOUSEHOLD', '2025-05-02', '2025-05-06', [da1]),
      A('K5', 'DOMESTIC_ABUSE_IN_HOUSEHOLD', '2025-05-09', '2025-05-12', [da2]),
      A('Z1', 'DOMESTIC_ABUSE_IN_HOUSEHOLD', '2025-06-13', '2025-06-16', [da3]),
      A('B2', 'DOMESTIC_ABUSE_IN_HOUSEHOLD', '2025-06-13', '2025-06-16', [da3]),
      A('M4', 'DOMESTIC_ABUSE_IN_HOUSEHOLD', '2025-06-13', '2025-06-16', [da3]),
      A('Z1', 'DOMESTIC_ABUSE_IN_HOUSEHOLD', '2026-12-24', '2026-12-29', [da4]),
      A('B2', 'DOMESTIC_ABUSE_IN_HOUSEHOLD', '2026-12-24', '2026-12-29', [da4]),
      A('M4', 'DOMESTIC_ABUSE_IN_HOUSEHOLD', '2026-12-26', '2026-12-29', [da5]),
      A('K5', 'DOMESTIC_ABUSE_IN_HOUSEHOLD', '2026-12-31', '2027-01-04', [da6]),
    ]);
  });
});

// ---- 2. working days across bank holidays ----

describe('replay: working days across bank holidays', () => {
  test('Easter 2025 and 2026, early May, New Year 2026, Christmas 2026 with the Boxing Day substitute', () => {
    const c = chronology();
    // W1: referral Thu 17 Apr 2025; 1 working day after, skipping Good Friday 18 and Easter Monday 21 Apr:
    // Tue 22 Apr; decided Wed 23 Apr -> raised Wed 23 Apr.
    c.person('W1', { dob: '2012-01-01' });
    const w1 = c.event('W1', 'referral', '2025-04-17', { agency: 'education' });
    c.event('W1', 'referral_decision', '2025-04-23', { outcome: 'nfa' });
    // W2: decided Tue 22 Apr, the due date -> no alert.
    c.person('W2', { dob: '2012-01-01' });
    c.event('W2', 'referral', '2025-04-17', { agency: 'education' });
    c.event('W2', 'referral_decision', '2025-04-22', { outcome: 'nfa' });
    // W3: referral Wed 31 Dec 2025; next working day after New Year's Day Thu 1 Jan 2026: Fri 2 Jan;
    // decided Mon 5 Jan -> raised Sat 3 Jan 2026.
    c.person('W3', { dob: '2012-01-01' });
    const w3 = c.event('W3', 'referral', '2025-12-31', { agency: 'police' });
    c.event('W3', 'referral_decision', '2026-01-05', { outcome: 'nfa' });
    // W4: panel notified Thu 1 May 2025: 15 working days, skipping Mon 5 May: Fri 23 May.
    c.person('W4', { dob: '2012-01-01' });
    const w4 = c.event('W4', 'panel_notified', '2025-05-01');
    // W5: serious incident Thu 2 Apr 2026: 5 working days, skipping Good Friday 3 and Easter Monday 6 Apr:
    // Apr 7, 8, 9, 10, 13: Mon 13 Apr 2026.
    const w5 = c.event('W4', 'serious_incident', '2026-04-02');
    // W6: serious incident Wed 23 Dec 2026: Thu 24 (1), skip Fri 25, the weekend, Mon 28 (substitute),
    // Tue 29 (2), Wed 30 (3), Thu 31 (4), skip Fri 1 Jan 2027, Mon 4 Jan (5): Mon 4 Jan 2027.
    const w6 = c.event('W4', 'serious_incident', '2026-12-23');
    // W7 (a baby): CP plan Fri 18 Dec 2026: Dec 21, 22, 23, 24 (4), skip 25, 28, Dec 29, 30, 31 (7),
    // skip Fri 1 Jan, Jan 4, 5, 6 (10): due Wed 6 Jan 2027, raised Thu 7 Jan. (CP review 3 months later.)
    c.person('W7', { dob: '2026-01-01' });
    const w7 = c.event('W7', 'cp_plan_start', '2026-12-18');
    // W8 (a baby): same plan, seen Wed 6 Jan 2027 (due date) -> no alert; next due 10 working days after:
    // Jan 7, 8, 11-15, 18, 19, 20: Wed 20 Jan; seen that day -> no alert.
    c.person('W8', { dob: '2026-01-01' });
    c.event('W8', 'cp_plan_start', '2026-12-18');
    c.event('W8', 'visit', '2027-01-06', { seen: true });
    c.event('W8', 'visit', '2027-01-20', { seen: true });
    expectAlerts(c.lines, '2027-01-31', [
      A('W1', 'REFERRAL_DECISION_OVERDUE', '2025-04-23', '2025-04-22', inc(w1)),
      A('W4', 'RAPID_REVIEW_DUE', '2025-05-01', '2025-05-23', [w4]),
      A('W3', 'REFERRAL_DECISION_OVERDUE', '2026-01-03', '2026-01-02', inc(w3)),
      A('W4', 'SERIOUS_INCIDENT_NOTIFICATION_DUE', '2026-04-02', '2026-04-13', [w5]),
      A('W4', 'SERIOUS_INCIDENT_NOTIFICATION_DUE', '2026-12-23', '2027-01-04', [w6]),
      A('W7', 'CP_VISIT_OVERDUE', '2027-01-07', '2027-01-06', inc(w7)),
    ]);
  });
});

// ---- 3. calendar months ----

describe('replay: calendar months (CP_REVIEW_OVERDUE)', () => {
  test('3 months after the ICPC, clamped to the month end; then 6 months after each review', () => {
    const c = chronology();
    // C1: ICPC Sat 30 Nov 2024 -> 3 months: 30 Feb 2025 clamped to Fri 28 Feb; none -> raised Sat 1 Mar.
    // Review Mon 3 Mar (late): next due 6 months after = Wed 3 Sep; review that day -> no alert; next due
    // Tue 3 Mar 2026; none -> raised Wed 4 Mar 2026.
    c.person('C1', { dob: '2015-01-01' });
    const c1icpc = c.event('C1', 'icpc', '2024-11-30');
    c.event('C1', 'cp_review', '2025-03-03');
    const c1r2 = c.event('C1', 'cp_review', '2025-09-03');
    // C2: review Fri 28 Feb 2025 (due date) -> no alert; next due Thu 28 Aug; held Fri 29 Aug -> raised
    // Fri 29 Aug; next due 6 months after 29 Aug = 29 Feb 2026 clamped to Sat 28 Feb -> raised Sun 1 Mar 2026.
    c.person('C2', { dob: '2015-01-01' });
    c.event('C2', 'icpc', '2024-11-30');
    const c2r1 = c.event('C2', 'cp_review', '2025-02-28');
    const c2r2 = c.event('C2', 'cp_review', '2025-08-29');
    // C3: ICPC Thu 30 Nov 2023 -> 3 months: Thu 29 Feb 2024 (leap year); none -> raised Fri 1 Mar 2024.
    // Review Tue 5 Mar 2024; the plan ends Sat 1 Jun 2024 (before the next, Thu 5 Sep 2024) -> stops.
    c.person('C3', { dob: '2015-01-01' });
    const c3icpc = c.event('C3', 'icpc', '2023-11-30');
    c.event('C3', 'cp_review', '2024-03-05');
    c.event('C3', 'cp_plan_end', '2024-06-01');
    // C4, C5: the conference decided no plan / a child in need plan -> no CP review clock.
    c.person('C4', { dob: '2015-01-01' });
    c.event('C4', 'icpc', '2024-11-30', { outcome: 'no_plan' });
    c.person('C5', { dob: '2015-01-01' });
    c.event('C5', 'icpc', '2024-11-30', { outcome: 'cin_plan' });
    expectAlerts(c.lines, '2026-03-31', [
      A('C3', 'CP_REVIEW_OVERDUE', '2024-03-01', '2024-02-29', inc(c3icpc)),
      A('C1', 'CP_REVIEW_OVERDUE', '2025-03-01', '2025-02-28', inc(c1icpc)),
      A('C2', 'CP_REVIEW_OVERDUE', '2025-08-29', '2025-08-28', inc(c2r1)),
      A('C2', 'CP_REVIEW_OVERDUE', '2026-03-01', '2026-02-28', inc(c2r2)),
      A('C1', 'CP_REVIEW_OVERDUE', '2026-03-04', '2026-03-03', inc(c1r2)),
    ]);
  });
});

// ---- 4. time zones ----

describe('replay: dates are England local dates', () => {
  test('a date-time is converted to GMT/BST before its date is taken', () => {
    const c = chronology();
    c.person('T1', { dob: '2010-01-01' });
    // 2025-01-15T00:30+01:00 = 14 Jan 23:30 UTC = 23:30 GMT -> Tue 14 Jan.
    const t1 = c.event('T1', 'dash_assessment', '2025-01-15T00:30:00+01:00', { score: 15 });
    // 2025-03-29T23:30Z, before the clocks go forward (01:00 UTC Sun 30 Mar) -> Sat 29 Mar.
    const t2 = c.event('T1', 'dash_assessment', '2025-03-29T23:30:00Z', { score: 15 });
    // 2025-03-30T23:30Z = 00:30 BST -> Mon 31 Mar.
    const t3 = c.event('T1', 'dash_assessment', '2025-03-30T23:30:00Z', { score: 15 });
    // 2025-06-30T23:30Z = 00:30 BST -> Tue 1 Jul.
    const t4 = c.event('T1', 'dash_assessment', '2025-06-30T23:30:00Z', { score: 15 });
    // 2025-07-01T00:30+02:00 = 30 Jun 22:30 UTC = 23:30 BST -> Mon 30 Jun.
    const t5 = c.event('T1', 'dash_assessment', '2025-07-01T00:30:00+02:00', { score: 15 });
    // 2025-10-25T23:30Z, before the clocks go back (01:00 UTC Sun 26 Oct) = 00:30 BST -> Sun 26 Oct.
    const t6 = c.event('T1', 'dash_assessment', '2025-10-25T23:30:00Z', { score: 15 });
    c.person('T2', { dob: '2010-01-01' });
    // 2025-10-26T23:30Z, after the clocks went back = 23:30 GMT -> Sun 26 Oct.
    const t7 = c.event('T2', 'dash_assessment', '2025-10-26T23:30:00Z', { score: 15 });
    // 2025-12-31T23:30-01:00 = 2026-01-01 00:30 UTC = GMT -> Thu 1 Jan 2026.
    const t8 = c.event('T2', 'dash_assessment', '2025-12-31T23:30:00-01:00', { score: 15 });
    c.person('T3', { dob: '2015-01-01' });
    // Domestic abuse 2025-06-30T23:30Z -> Tue 1 Jul 2025, due the next working day Wed 2 Jul.
    const t9 = c.event('T3', 'domestic_abuse_incident', '2025-06-30T23:30:00Z', { agency: 'police' });
    // Domestic abuse 2025-12-31T23:30-01:00 -> Thu 1 Jan 2026 (a bank holiday), due Fri 2 Jan 2026.
    const t10 = c.event('T3', 'domestic_abuse_incident', '2025-12-31T23:30:00-01:00', { agency: 'police' });
    expectAlerts(c.lines, '2026-01-31', [
      A('T1', 'DASH_HIGH_RISK', '2025-01-14', null, [t1]),
      A('T1', 'DASH_HIGH_RISK', '2025-03-29', null, [t2]),
      A('T1', 'DASH_HIGH_RISK', '2025-03-31', null, [t3]),
      A('T1', 'DASH_HIGH_RISK', '2025-06-30', null, [t5]),
      A('T1', 'DASH_HIGH_RISK', '2025-07-01', null, [t4]),
      A('T3', 'DOMESTIC_ABUSE_IN_HOUSEHOLD', '2025-07-01', '2025-07-02', [t9]),
      A('T1', 'DASH_HIGH_RISK', '2025-10-26', null, [t6]),
      A('T2', 'DASH_HIGH_RISK', '2025-10-26', null, [t7]),
      A('T2', 'DASH_HIGH_RISK', '2026-01-01', null, [t8]),
      A('T3', 'DOMESTIC_ABUSE_IN_HOUSEHOLD', '2026-01-01', '2026-01-02', [t10]),
    ]);
  });
});

// ---- 6. --until ----

describe('replay: --until', () => {
  const c = chronology();
  c.person('U', { dob: '2012-01-01' });
  // Referral Thu 10 Apr 2025, never decided: due Fri 11 Apr, raised Sat 12 Apr. Its assessment clock:
  // 45 working days after Thu 10 Apr = Wed 18 Jun (Apr 11-17: 5, skip 18 and 21 Apr, 22-30: 12, May 1-2: 14,
  // skip 5 May, 6-23: 28, skip Mon 26 May, 27-30: 32, Jun 2-13: 42, 16-18: 45), raised Thu 19 Jun.
  const ref = c.event('U', 'referral', '2025-04-10', { agency: 'education' });
  const dash = c.event('U', 'dash_assessment', '2025-04-13', { score: 20 });
  c.person('UT', { dob: '2012-01-01' });
  // 2025-06-30T23:30Z is Tue 1 Jul in England: after an --until of 30 Jun, not read.
  c.event('UT', 'dash_assessment', '2025-06-30T23:30:00Z', { score: 20 });
  // 2025-07-01T00:30+02:00 is Mon 30 Jun in England: read.
  const dash30 = c.event('UT', 'dash_assessment', '2025-07-01T00:30:00+02:00', { score: 20 });
  const refAlert = A('U', 'REFERRAL_DECISION_OVERDUE', '2025-04-12', '2025-04-11', inc(ref));

  test('the due date itself: the alert, raised the next day, is not output', () => {
    expectAlerts(c.lines, '2025-04-11', []);
  });
  test('an alert raised on the --until day is output; an event after it is not read', () => {
    expectAlerts(c.lines, '2025-04-12', [refAlert]);
  });
  test('an event on the --until day is read', () => {
    expectAlerts(c.lines, '2025-04-13', [refAlert, A('U', 'DASH_HIGH_RISK', '2025-04-13', null, [dash])]);
  });
  test('the local date decides whether a timed event is after --until', () => {
    expectAlerts(c.lines, '2025-06-30', [
      refAlert,
      A('U', 'DASH_HIGH_RISK', '2025-04-13', null, [dash]),
      A('U', 'ASSESSMENT_OVERDUE', '2025-06-19', '2025-06-18', inc(ref)),
      A('UT', 'DASH_HIGH_RISK', '2025-06-30', null, [dash30]),
    ]);
  });
});

// ---- 7. --settings ----

describe('replay: --settings', () => {
  const c = chronology();
  // S1 (a baby): CP plan Mon 1 Dec 2025 (its CP review, 3 months later, is after --until).
  c.person('S1', { dob: '2025-06-01' });
  const plan = c.event('S1', 'cp_plan_start', '2025-12-01');
  // S2: referral Thu 10 Apr 2025, decided (nfa) Tue 15 Apr.
  c.person('S2', { dob: '2012-01-01' });
  const ref = c.event('S2', 'referral', '2025-04-10', { agency: 'education' });
  c.event('S2', 'referral_decision', '2025-04-15', { outcome: 'nfa' });
  // S3: serious incident Mon 14 Apr 2025; a DASH score of 12.
  c.person('S3', { dob: '2012-01-01' });
  const si = c.event('S3', 'serious_incident', '2025-04-14');
  const dash = c.event('S3', 'dash_assessment', '2025-04-14', { score: 12 });
  const until = '2026-01-05';

  // Defaults: referral due Fri 11 Apr, raised Sat 12 Apr; serious incident due Wed 23 Apr (Apr 15, 16, 17,
  // skip 18 and 21, 22, 23); CP visit 10 working days after Mon 1 Dec 2025 (Dec 2-5, 8-12, 15) = Mon 15 Dec,
  // raised Tue 16 Dec; DASH 12 < 14: no alert.
  const referralDefault = A('S2', 'REFERRAL_DECISION_OVERDUE', '2025-04-12', '2025-04-11', inc(ref));
  const siDefault = A('S3', 'SERIOUS_INCIDENT_NOTIFICATION_DUE', '2025-04-14', '2025-04-23', [si]);
  const visitDefault = A('S1', 'CP_VISIT_OVERDUE', '2025-12-16', '2025-12-15', inc(plan));
  // cp_visit_working_days 20: Dec 2-5 (4), 8-12 (9), 15-19 (14), 22-24 (17), skip Christmas Thu 25 and Boxing
  // Day Fri 26, Dec 29, 30, 31 (20): due Wed 31 Dec 2025, raised Thu 1 Jan 2026.
  const visit20 = A('S1', 'CP_VISIT_OVERDUE', '2026-01-01', '2025-12-31', inc(plan));

  test('without settings: the defaults', () => {
    expectAlerts(c.lines, until, [referralDefault, siDefault, visitDefault]);
  });

  test('a number: cp_visit_working_days 20', () => {
    expectAlerts(c.lines, until, [referralDefault, siDefault, visit20], { settings: { cp_visit_working_days: 20 } });
  });

  test('closures shift working-day due dates; dash_high_risk_score 12', () => {
    // Closure Fri 11 Apr: the referral is due Mon 14 Apr, raised Tue 15 Apr (decided that day: late anyway).
    // Closure Wed 16 Apr: serious incident Apr 15 (1), skip 16, 17 (2), skip 18 and 21, 22 (3), 23 (4),
    // 24 (5): due Thu 24 Apr.
    expectAlerts(c.lines, until, [
      A('S3', 'DASH_HIGH_RISK', '2025-04-14', null, [dash]),
      A('S3', 'SERIOUS_INCIDENT_NOTIFICATION_DUE', '2025-04-14', '2025-04-24', [si]),
      A('S2', 'REFERRAL_DECISION_OVERDUE', '2025-04-15', '2025-04-14', inc(ref)),
      visit20,
    ], { settings: { cp_visit_working_days: 20, dash_high_risk_score: 12, closures: ['2025-04-11', '2025-04-16'] } });
  });

  test('an unknown settings key fails and writes no output', () => {
    const r = replay(c.lines, { until, settings: { cp_visit_days: 20 } });
    assert.notEqual(r.status, 0, 'an unknown settings key is an error');
    assert.notEqual(r.stderr.trim(), '', 'says why on stderr');
    assert.equal(fs.existsSync(r.outPath), false, 'no output file');
  });
});

// ---- 9. bad input ----

describe('replay: bad input stops with FILE:LINE, exit 1, and no output file', () => {
  const P1 = '{"type":"person","id":"C1","dob":"2015-01-01"}';
  const P2 = '{"type":"person","id":"C2","household":"H1"}';
  const REF = '{"type":"event","id":"E1","child":"C1","kind":"referral","at":"2025-04-10","agency":"education"}';
  const DASH = '{"type":"event","id":"E2","child":"C2","kind":"dash_assessment","at":"2025-04-11","score":20}';
  // [name, lines, the line number of the bad line]
  const cases = [
    ['malformed JSON', [P1, P2, '{"type":"event","id":"E1","child":"C1","kind":"referral","at":"2025-04-10"', DASH], 3],
    ['an unknown kind', [P1, P2, REF, '{"type":"event","id":"E2","child":"C1","kind":"telepathy","at":"2025-04-11"}'], 4],
    ['an unknown type', [P1, '{"type":"animal","id":"X1"}', REF], 2],
    ['a bad date (30 February)', [P1, P2, '{"type":"event","id":"E1","child":"C1","kind":"referral","at":"2025-02-30"}', DASH], 3],
    ['a bad date ("yesterday")', [P1, P2, REF, DASH, '{"type":"event","id":"E3","child":"C1","kind":"concern","at":"yesterday","agency":"health"}'], 5],
    ['a date-time without an offset', [P1, P2, '{"type":"event","id":"E1","child":"C1","kind":"missing_end","at":"2025-03-10T10:00:00"}'], 3],
    ['a bad date of birth', ['{"type":"person","id":"C1","dob":"2015-13-01"}', P2, DASH], 1],
    ['an event for an unknown child', [P1, P2, REF, '{"type":"event","id":"E2","child":"C9","kind":"concern","at":"2025-04-11","agency":"health"}'], 4],
    ['a person after the event naming it', [P1, P2, '{"type":"event","id":"E1","child":"C3","kind":"concern","at":"2025-04-11","agency":"health"}', '{"type":"person","id":"C3"}'], 3],
    ['a duplicate event id', [P1, P2, REF, DASH, '{"type":"event","id":"E1","child":"C2","kind":"concern","at":"2025-04-12","agency":"health"}'], 5],
    ['a duplicate person id', [P1, P2, '{"type":"person","id":"C1"}', REF], 3],
    ['a wrong type ("seen":"yes")', [P1, P2, REF, '{"type":"event","id":"E2","child":"C1","kind":"visit","at":"2025-04-11","seen":"yes"}'], 4],
    ['a wrong type ("score":"20")', [P1, P2, '{"type":"event","id":"E2","child":"C2","kind":"dash_assessment","at":"2025-04-11","score":"20"}'], 3],
    ['an event without a child', [P1, P2, '{"type":"event","id":"E1","kind":"referral","at":"2025-04-10"}'], 3],
    ['blank lines count in line numbers', [P1, '', P2, '', REF, '{"type":"event","id":"E2","child":"C1",}'], 6],
  ];
  for (const [name, lines, lineNo] of cases) {
    test(`${name}: line ${lineNo}`, () => {
      const r = replay(lines, { until: '2025-12-31' });
      assert.equal(r.status, 1, `exit status 1 (got ${r.status}); stderr: ${r.stderr}`);
      assert.match(r.stderr, new RegExp(`chronology\\.jsonl:${lineNo}:`), `stderr names the file and line ${lineNo}: ${r.stderr}`);
      assert.equal(fs.existsSync(r.outPath), false, 'no output file');

      // an existing output file is left untouched
      const before = '{"previous":"alerts"}\n';
      const r2 = replay(lines, { until: '2025-12-31', out: before });
      assert.equal(r2.status, 1, r2.stderr);
      assert.match(r2.stderr, new RegExp(`chronology\\.jsonl:${lineNo}:`), r2.stderr);
      assert.equal(fs.readFileSync(r2.outPath, 'utf8'), before, 'the existing output file is untouched');
      assert.deepEqual(fs.readdirSync(path.dirname(r2.outPath)).sort(), ['alerts.jsonl', 'chronology.jsonl'],
        'no temporary file left behind');
    });
  }

  test('ids are unique within their type: an event may share a person\'s id; blank lines are skipped', () => {
    const lines = [P1, '', '{"type":"event","id":"C1","child":"C1","kind":"dash_assessment","at":"2025-04-11","score":20}', ''];
    expectAlerts(lines, '2025-12-31', [A('C1', 'DASH_HIGH_RISK', '2025-04-11', null, ['C1'])]);
  });

  test('an input file that does not exist: non-zero exit, no output file', () => {
    const d = path.join(dir, `missing-${++runNo}`);
    fs.mkdirSync(d);
    const out = path.join(d, 'alerts.jsonl');
    const r = runCli(['replay', '--in', path.join(d, 'nope.jsonl'), '--until', '2025-12-31', '--out', out], { check: false });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /nope\.jsonl/);
    assert.equal(fs.existsSync(out), false);
  });
});

// ---- 10. usage ----

describe('replay: missing options', () => {
  for (const drop of ['--in', '--until', '--out']) {
    test(`without ${drop}: non-zero exit with a usage message, no output`, () => {
      const d = path.join(dir, `usage-${++runNo}`);
      fs.mkdirSync(d);
      const inPath = path.join(d, 'chronology.jsonl');
      const outPath = path.join(d, 'alerts.jsonl');
      writeLines(inPath, ['{"type":"person","id":"C1"}',
        '{"type":"event","id":"E1","child":"C1","kind":"dash_assessment","at":"2025-04-11","score":20}']);
      const all = { '--in': inPath, '--until': '2025-12-31', '--out': outPath };
      const args = ['replay'];
      for (const [k, v] of Object.entries(all)) if (k !== drop) args.push(k, v);
      const r = runCli(args, { check: false });
      assertNoSanitizerReport(r.stderr);
      assert.notEqual(r.status, 0, `exit status non-zero without ${drop}`);
      assert.match(r.stdout + r.stderr, /usage/i);
      assert.equal(fs.existsSync(outPath), false);
    });
  }
});

// Keep BIN referenced so a wrong SAFEGUARD_BIN fails loudly here rather than in every test.
test('the binary exists', () => { assert.ok(fs.existsSync(BIN), `${BIN} not found: run make`); });
