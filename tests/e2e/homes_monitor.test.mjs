// `safeguard homes monitor`: small hand-made panels through the real binary. A home whose restraints,
// injuries and missing episodes jump is flagged high (and on the combined chart); a home whose complaints
// stop is flagged low; steady homes raise nothing. Bad input names the file and line, exits 1 and writes
// no output file. (The statistics themselves are checked by hand in tests/unit/test_oversight.c.)
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { removeDir, runCli, tempDir } from './lib.mjs';

let dir;
let runNo = 0;
before(() => { dir = tempDir('homes'); });
after(() => { removeDir(dir); });

const HEADER = 'home_id,month,indicator,direction,statistic,threshold';
const MONTHS = Array.from({ length: 24 }, (_, t) => `${2024 + Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}`);

/** Steady monthly counts: every home, every month (before any change). */
const STEADY = { restraint: 3, injury: 1, missing: 1, complaint: 2, police: 1 };

/**
 * A panel: homes [{id, specialism, counts(t) -> {type: n}, nights(t)}] as the three CSV texts. Incidents
 * fall on the 10th of their month.
 */
function panel(homes) {
  const h = ['home_id,name,provider,la_code,specialism,places,rating'];
  const o = ['home_id,month,child_nights'];
  const i = ['home_id,date,type'];
  for (const home of homes) {
    h.push(`${home.id},"Home ${home.id}, Anytown",Provider,E09000001,${home.specialism || 'general'},4,good`);
    MONTHS.forEach((m, t) => {
      o.push(`${home.id},${m},${home.nights ? home.nights(t) : 100}`);
      const counts = home.counts ? home.counts(t) : STEADY;
      for (const [type, n] of Object.entries(counts)) for (let k = 0; k < n; k++) i.push(`${home.id},${m}-10,${type}`);
    });
  }
  return { homes: h.join('\n') + '\n', occupancy: o.join('\n') + '\n', incidents: i.join('\n') + '\n' };
}

/** Writes the files (overrides replace a file's text) and runs the monitor. */
function monitor(files, extra = []) {
  const d = path.join(dir, `run${++runNo}`);
  fs.mkdirSync(d);
  const p = {};
  for (const name of ['homes', 'occupancy', 'incidents', 'reg44']) {
    if (files[name] === undefined) continue;
    p[name] = path.join(d, `${name}.csv`);
    fs.writeFileSync(p[name], files[name]);
  }
  const out = path.join(d, 'alerts.csv');
  const r = runCli(['homes', 'monitor', '--homes', p.homes, '--occupancy', p.occupancy, '--incidents', p.incidents,
    '--out', out, ...(p.reg44 ? ['--reg44', p.reg44] : []), ...extra], { check: false });
  const exists = fs.existsSync(out);
  const text = exists ? fs.readFileSync(out, 'utf8') : null;
  const left = fs.readdirSync(d).filter((f) => !['homes.csv', 'occupancy.csv', 'incidents.csv', 'reg44.csv', 'alerts.csv'].includes(f));
  return { ...r, exists, text, paths: p, left };
}

function rows(text) {
  const lines = text.trimEnd().split('\n');
  assert.equal(lines[0], HEADER);
  return lines.slice(1).map((l) => {
    const [home_id, month, indicator, direction, statistic, threshold] = l.split(',');
    return { home_id, month, indicator, direction, statistic: Number(statistic), threshold: Number(threshold) };
  });
}

const quiet = (n) => Array.from({ length: n }, (_, k) => ({ id: `Q${k + 1}` }));
const RISE = {
  id: 'RISE',
  counts: (t) => (t < 12 ? STEADY : { ...STEADY, restraint: 12, injury: 5, missing: 5 }),
};
const SILENT = {
  id: 'SILENT',
  counts: (t) => (t < 12 ? STEADY : { ...STEADY, complaint: 0 }),
};

describe('homes monitor: signals', () => {
  let result;
  before(() => { result = monitor(panel([...quiet(8), RISE, SILENT])); });

  test('exits 0 and writes exactly the specified columns', () => {
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.text.split('\n')[0], HEADER);
    for (const r of rows(result.text)) {
      assert.match(r.month, /^\d{4}-\d{2}$/);
      assert.ok(['high', 'low'].includes(r.direction));
      assert.ok(Number.isFinite(r.statistic) && Number.isFinite(r.threshold));
      assert.ok(r.statistic >= r.threshold, `a signal's statistic reaches its threshold: ${JSON.stringify(r)}`);
    }
    assert.deepEqual(result.left, [], 'no temporary file left behind');
  });

  test('the home whose restraints jump is flagged high on restraint and on the combined chart, after the jump', () => {
    const got = rows(result.text).filter((r) => r.home_id === 'RISE');
    const restraint = got.filter((r) => r.indicator === 'restraint' && r.direction === 'high');
    const combined = got.filter((r) => r.indicator === 'combined' && r.direction === 'high');
    assert.ok(restraint.length >= 1, result.text);
    assert.ok(combined.length >= 1, result.text);
    assert.ok(restraint[0].month >= '2025-01' && restraint[0].month <= '2025-03', `first restraint signal ${restraint[0].month}`);
    assert.ok(combined[0].month >= '2025-01' && combined[0].month <= '2025-03', `first combined signal ${combined[0].month}`);
    assert.ok(got.every((r) => r.month >= '2025-01'), 'nothing before the change');
  });

  test('the home whose complaints stop is flagged low on complaints', () => {
    const got = rows(result.text).filter((r) => r.home_id === 'SILENT');
    const low = got.filter((r) => r.indicator === 'complaint' && r.direction === 'low');
    assert.ok(low.length >= 1, result.text);
    assert.ok(low[0].month >= '2025-01', `first low signal ${low[0].month}`);
    assert.ok(got.every((r) => r.direction === 'low' || r.indicator === 'combined'), result.text);
  });

  test('steady homes raise nothing', () => {
    assert.deepEqual(rows(result.text).filter((r) => r.home_id.startsWith('Q')), []);
  });

  test('the same input gives the same output (thresholds from a seeded simulation)', () => {
    const again = monitor(panel([...quiet(8), RISE, SILENT]));
    assert.equal(again.text, result.text);
  });
});

describe('homes monitor: quiet peers and empty months', () => {
  test('a quiet peer set raises nothing', () => {
    const r = monitor(panel(quiet(10)));
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.text, `${HEADER}\n`);
  });

  test('a month with zero child-nights (and one with no row at all) is fine', () => {
    const homes = quiet(6);
    homes[0].nights = (t) => (t === 5 ? 0 : 100);
    homes[0].counts = (t) => (t === 5 ? {} : STEADY);
    const files = panel(homes);
    files.occupancy = files.occupancy.split('\n').filter((l) => !l.startsWith('Q2,2024-07')).join('\n');
    files.incidents = files.incidents.split('\n').filter((l) => !l.startsWith('Q2,2024-07')).join('\n');
    const r = monitor(files);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.text, `${HEADER}\n`);
  });

  test('a higher false-alarm budget gives lower thresholds', () => {
    const files = panel([...quiet(8), RISE]);
    const a = rows(monitor(files).text);
    const b = rows(monitor(files, ['--false-alarms-per-100-home-years', '50']).text);
    assert.ok(a.length && b.length);
    const ha = a.find((r) => r.indicator === 'restraint').threshold;
    const hb = b.find((r) => r.indicator === 'restraint').threshold;
    assert.ok(hb < ha, `${hb} < ${ha}`);
  });
});

describe('homes monitor: bad input stops, names file and line, writes nothing', () => {
  const base = () => panel(quiet(3));
  /** Replaces line n (1-based) of a file's text. */
  const setLine = (text, n, line) => { const l = text.split('\n'); l[n - 1] = line; return l.join('\n'); };
  const cases = [
    ['unknown home in incidents', 'incidents', (f) => setLine(f.incidents, 4, 'NOPE,2024-01-10,restraint'), 4, /NOPE.*not in the homes file/],
    ['unknown home in occupancy', 'occupancy', (f) => setLine(f.occupancy, 3, 'NOPE,2024-02,100'), 3, /NOPE.*not in the homes file/],
    ['bad month', 'occupancy', (f) => setLine(f.occupancy, 2, 'Q1,2024-13,100'), 2, /month "2024-13"/],
    ['bad date', 'incidents', (f) => setLine(f.incidents, 5, 'Q1,2024-02-30,injury'), 5, /date "2024-02-30"/],
    ['unknown type', 'incidents', (f) => setLine(f.incidents, 2, 'Q1,2024-01-10,fight'), 2, /type "fight"/],
    ['negative nights', 'occupancy', (f) => setLine(f.occupancy, 6, 'Q1,2024-05,-5'), 6, /negative/],
    ['non-numeric nights', 'occupancy', (f) => setLine(f.occupancy, 7, 'Q1,2024-06,lots'), 7, /"lots" is not a number/],
    ['duplicate home id', 'homes', (f) => f.homes + 'Q2,Other,P,E1,general,3,good\n', 5, /"Q2" is given twice/],
    ['missing required column', 'occupancy', (f) => setLine(f.occupancy, 1, 'home_id,month,nights'), 1, /no column "child_nights"/],
    ['malformed CSV', 'homes', (f) => setLine(f.homes, 3, 'Q2,"Home Q2,P,E1,general,4,good'), 3, /malformed CSV/],
    ['incident outside the months', 'incidents', (f) => setLine(f.incidents, 3, 'Q1,2023-12-31,injury'), 3, /outside the months/],
    ['month given twice', 'occupancy', (f) => setLine(f.occupancy, 3, 'Q1,2024-01,90'), 3, /month 2024-01 twice/],
  ];
  for (const [name, file, edit, line, re] of cases) {
    test(name, () => {
      const f = base();
      f[file] = edit(f);
      const r = monitor(f);
      assert.equal(r.status, 1, r.stderr);
      const where = `${r.paths[file]}:${line}: `;
      assert.ok(r.stderr.includes(where), `stderr names ${where}: ${r.stderr}`);
      assert.match(r.stderr, re);
      assert.equal(r.exists, false, 'no output file');
      assert.deepEqual(r.left, [], 'no temporary file');
    });
  }

  test('a bad option value is misuse (exit 2)', () => {
    const r = monitor(base(), ['--false-alarms-per-100-home-years', '-1']);
    assert.equal(r.status, 2);
    assert.equal(r.exists, false);
  });

  // The budget's confidence is a probability up to 0.99 (0: the budget is the expected rate; nearer 1 the
  // margin has no bound and silences the monitor; docs/OVERSIGHT.md).
  for (const bad of ['1', '0.995', '0.999999999', '-0.1', 'nan', 'abc', '']) {
    test(`--false-alarm-confidence ${JSON.stringify(bad)} is misuse naming the option`, () => {
      const r = monitor(base(), ['--false-alarm-confidence', bad]);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /--false-alarm-confidence/);
      assert.equal(r.exists, false, 'no output file');
    });
  }
});

// Regulation 44 visitors' opinions (issue 16): `--reg44 FILE`, home_id,month,safeguarded (yes/no).
describe('homes monitor --reg44: the visitors\' opinions', () => {
  /** One report a month for every home: "no" where concern(id, t) says so. */
  const reg44 = (homes, concern) => ['home_id,month,safeguarded',
    ...homes.flatMap((h) => MONTHS.map((m, t) => `${h.id},${m},${concern(h.id, t) ? 'no' : 'yes'}`))].join('\n') + '\n';
  // Thirty homes that record a restraint a month and nothing else; WORRY's visitors find its children not
  // effectively safeguarded month after month from 2025-01, the others' now and then, as visitors do.
  const FEW = { restraint: 1 };
  const homes = [...quiet(29), { id: 'WORRY' }].map((h) => ({ ...h, counts: () => FEW }));
  const now = (id, t) => (id === 'WORRY' && t >= 12) || (id !== 'WORRY' && (Number(id.slice(1)) * 7 + t) % 29 === 0);
  const setLine = (text, n, line) => { const l = text.split('\n'); l[n - 1] = line; return l.join('\n'); };

  test('a home whose visitors keep finding children not safeguarded is flagged on the combined chart; not without the file', (t) => {
    const f = panel(homes);
    const r = monitor({ ...f, reg44: reg44(homes, now) });
    assert.equal(r.status, 0, r.stderr);
    const got = rows(r.text);
    const worry = got.filter((x) => x.home_id === 'WORRY' && x.indicator === 'combined');
    assert.ok(worry.length >= 1, r.text);
    t.diagnostic(`first combined signal for WORRY: ${worry[0].month}`);
    assert.ok(worry[0].month >= '2025-01' && worry[0].month <= '2025-08', `first signal ${worry[0].month}`);
    assert.deepEqual(got.filter((x) => x.home_id !== 'WORRY'), [], 'one concern now and then raises nothing');
    const without = monitor(f);
    assert.equal(without.status, 0, without.stderr);
    assert.deepEqual(rows(without.text), [], 'the counts alone show nothing');
  });

  // Round 23: the opinions by default where the input has them (a reg44.csv beside incidents.csv), as the
  // service's nightly run reads every opinion its register holds; --no-reg44 leaves them out.
  test('a reg44.csv beside incidents.csv is read without --reg44, and said so; --no-reg44 leaves it out', () => {
    const f = panel(homes);
    const text = reg44(homes, now);
    const given = monitor({ ...f, reg44: text });
    assert.equal(given.status, 0, given.stderr);
    assert.doesNotMatch(given.stderr, /beside the incidents/, 'a file given is read without a word');
    const d = path.dirname(given.paths.incidents);
    const run = (out, extra) => runCli(['homes', 'monitor', '--homes', given.paths.homes, '--occupancy', given.paths.occupancy,
      '--incidents', given.paths.incidents, '--out', path.join(d, out), ...extra], { check: false });
    const beside = run('beside.csv', []);
    assert.equal(beside.status, 0, beside.stderr);
    assert.ok(beside.stderr.includes(`reading the Regulation 44 visitors' opinions in ${path.join(d, 'reg44.csv')} (beside the incidents; --no-reg44 leaves them out)`), beside.stderr);
    const byDefault = fs.readFileSync(path.join(d, 'beside.csv'), 'utf8');
    assert.deepEqual(rows(byDefault), rows(given.text));
    assert.ok(rows(byDefault).some((x) => x.home_id === 'WORRY'), 'WORRY flagged on its visitors\' opinions');
    const left = run('left.csv', ['--no-reg44']);
    assert.equal(left.status, 0, left.stderr);
    assert.doesNotMatch(left.stderr, /Regulation 44/);
    assert.deepEqual(rows(fs.readFileSync(path.join(d, 'left.csv'), 'utf8')), rows(monitor(f).text), 'as without the file');
    const both = run('both.csv', ['--no-reg44', '--reg44', given.paths.reg44]);
    assert.equal(both.status, 2);
    assert.match(both.stderr, /--reg44 and --no-reg44 contradict each other/);
    assert.equal(fs.existsSync(path.join(d, 'both.csv')), false);
  });

  test('a bad reg44.csv beside incidents.csv stops with its file and line, writes nothing', () => {
    const f = panel(quiet(3));
    const given = monitor({ ...f, reg44: setLine(reg44(quiet(3), () => false), 2, 'Q1,2024-01,maybe') });
    assert.equal(given.status, 1);
    const d = path.dirname(given.paths.incidents);
    const r = runCli(['homes', 'monitor', '--homes', given.paths.homes, '--occupancy', given.paths.occupancy,
      '--incidents', given.paths.incidents, '--out', path.join(d, 'alerts.csv')], { check: false });
    assert.equal(r.status, 1, r.stderr);
    assert.ok(r.stderr.includes(`${given.paths.reg44}:2: `), r.stderr);
    assert.equal(fs.existsSync(path.join(d, 'alerts.csv')), false);
  });

  test('not_stated is a report without an opinion: the same as no report for that month', () => {
    const f = panel(homes);
    const text = reg44(homes, now);
    const notStated = monitor({ ...f, reg44: text.replace(/^(WORRY,[^,]+),no$/gm, '$1,not_stated') });
    assert.equal(notStated.status, 0, notStated.stderr);
    const dropped = monitor({ ...f, reg44: text.split('\n').filter((l) => !/^WORRY,.*,no$/.test(l)).join('\n') });
    assert.equal(dropped.status, 0, dropped.stderr);
    assert.deepEqual(rows(notStated.text), rows(dropped.text));
    assert.deepEqual(rows(notStated.text).filter((x) => x.home_id === 'WORRY'), [], 'without its "no"s WORRY is not flagged');
  });

  const cases = [
    ['unknown home', 2, 'NOPE,2024-01,yes', /NOPE.*not in the homes file/],
    ['not yes, no or not_stated', 2, 'Q1,2024-01,maybe', /safeguarded "maybe" is not yes, no or not_stated \(column safeguarded\)/],
    ['the monitor needs the opinion', 1, 'home_id,month', /the header has no column "safeguarded" \(column safeguarded\)/],
    ['a second report for a month, the first without an opinion', 3, 'Q1,2024-01,not_stated', /has a report for 2024-01 twice/],
    ['a month outside the occupancy months', 2, 'Q1,2023-12,yes', /month 2023-12 is outside the months/],
    ['a bad month', 2, 'Q1,2024-13,yes', /month "2024-13"/],
    ['a second report for a month', 3, 'Q1,2024-01,no', /has a report for 2024-01 twice/],
  ];
  for (const [name, n, line, re] of cases) {
    test(`bad reg44.csv stops with its file and line, writes nothing: ${name}`, () => {
      const f = panel(quiet(3));
      const r = monitor({ ...f, reg44: setLine(reg44(quiet(3), () => false), n, line) });
      assert.equal(r.status, 1, r.stderr);
      assert.ok(r.stderr.includes(`${r.paths.reg44}:${n}: `), r.stderr);
      assert.match(r.stderr, re);
      assert.equal(r.exists, false);
      assert.deepEqual(r.left, []);
    });
  }
});
