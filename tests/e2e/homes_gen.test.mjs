// safeguard gen homes: the children's homes simulator (issue 6) — determinism, formats, consistency
// between the files, the harm it plants, and its refusals.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseCsv, removeDir, runCli, tempDir } from './lib.mjs';

const FILES = ['homes.csv', 'occupancy.csv', 'incidents.csv', 'truth.csv', 'reg44.csv'];
const TYPES = ['restraint', 'injury', 'missing', 'police', 'complaint', 'self_harm', 'notification', 'allegation'];
const SPECIALISMS = ['disability', 'emotional_behavioural', 'general'];
const RATINGS = ['outstanding', 'good', 'requires_improvement', 'inadequate'];

let dir;
before(() => { dir = tempDir('homes-gen'); });
after(() => removeDir(dir));

function gen(name, args) {
  const out = path.join(dir, name);
  runCli(['gen', 'homes', '--out', out, ...args]);
  return out;
}

function read(out) {
  const t = {};
  for (const f of FILES) t[f] = parseCsv(fs.readFileSync(path.join(out, f), 'utf8'));
  return t;
}

const monthIndex = (ym) => { const [y, m] = ym.split('-').map(Number); return y * 12 + m - 1; };

/** Per home: incidents by type and month, nights by month, truth. */
function index(t) {
  const homes = new Map();
  for (const [id, name, provider, la, spec, places, rating] of t['homes.csv'].slice(1)) {
    homes.set(id, { name, provider, la, spec, places: Number(places), rating, nights: new Map(), counts: new Map() });
  }
  for (const [id, month, nights] of t['occupancy.csv'].slice(1)) homes.get(id).nights.set(month, Number(nights));
  for (const [id, date, type] of t['incidents.csv'].slice(1)) {
    const c = homes.get(id).counts;
    const k = `${date.slice(0, 7)}/${type}`;
    c.set(k, (c.get(k) || 0) + 1);
  }
  for (const [id, harmful, onset] of t['truth.csv'].slice(1)) Object.assign(homes.get(id), { harmful: harmful === '1', onset });
  return homes;
}

describe('gen homes: files', () => {
  let a;
  let t;
  const args = ['--homes', '200', '--months', '24', '--seed', '7', '--harmful-pct', '10'];
  before(() => {
    a = gen('a', args);
    t = read(a);
  });

  test('the same options give byte-identical files; another seed gives other files', () => {
    const b = gen('b', args);
    const c = gen('c', ['--homes', '200', '--months', '24', '--seed', '8', '--harmful-pct', '10']);
    for (const f of FILES) {
      const x = fs.readFileSync(path.join(a, f));
      assert.ok(x.length > 0, f);
      assert.ok(x.equals(fs.readFileSync(path.join(b, f))), `${f} differs between two runs with the same options`);
    }
    for (const f of ['occupancy.csv', 'incidents.csv', 'truth.csv']) {
      assert.ok(!fs.readFileSync(path.join(a, f)).equals(fs.readFileSync(path.join(c, f))), `${f} is the same for seeds 7 and 8`);
    }
    // Nothing but the five files (no temporaries left behind).
    assert.deepEqual(fs.readdirSync(a).sort(), [...FILES].sort());
  });

  test('headers and every field have the documented format', () => {
    assert.deepEqual(t['homes.csv'][0], ['home_id', 'name', 'provider', 'la_code', 'specialism', 'places', 'rating']);
    assert.deepEqual(t['occupancy.csv'][0], ['home_id', 'month', 'child_nights']);
    assert.deepEqual(t['incidents.csv'][0], ['home_id', 'date', 'type']);
    assert.deepEqual(t['truth.csv'][0], ['home_id', 'harmful', 'onset_month']);
    const homes = t['homes.csv'].slice(1);
    assert.equal(homes.length, 200);
    const ids = homes.map((h) => h[0]);
    assert.equal(new Set(ids).size, 200, 'home ids are unique');
    for (const h of homes) {
      assert.equal(h.length, 7);
      assert.match(h[0], /^SC[0-9]{6}$/);
      assert.ok(h[1].length > 0 && h[2].length > 0, 'name and provider');
      assert.match(h[3], /^[0-9]{3}$/);
      assert.ok(SPECIALISMS.includes(h[4]), h[4]);
      assert.match(h[5], /^[2-8]$/);
      assert.ok(RATINGS.includes(h[6]), h[6]);
    }
    for (const s of SPECIALISMS) assert.ok(homes.some((h) => h[4] === s), `some ${s} homes`);
    // 24 months per home, 2023-01 to 2024-12, in order.
    const occ = t['occupancy.csv'].slice(1);
    assert.equal(occ.length, 200 * 24);
    const months = [];
    for (let y = 2023; y <= 2024; y++) for (let m = 1; m <= 12; m++) months.push(`${y}-${String(m).padStart(2, '0')}`);
    for (let i = 0; i < occ.length; i++) {
      assert.equal(occ[i].length, 3);
      assert.equal(occ[i][0], ids[Math.floor(i / 24)]);
      assert.equal(occ[i][1], months[i % 24]);
      assert.match(occ[i][2], /^(0|[1-9][0-9]*)$/);
    }
    for (const r of t['incidents.csv'].slice(1)) {
      assert.equal(r.length, 3);
      assert.match(r[1], /^202[34]-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/);
      const d = new Date(`${r[1]}T00:00:00Z`);
      assert.equal(d.toISOString().slice(0, 10), r[1], `${r[1]} is a real day`);
      assert.ok(TYPES.includes(r[2]), r[2]);
    }
    for (const ty of TYPES) assert.ok(t['incidents.csv'].some((r) => r[2] === ty), `some ${ty}`);
    const truth = t['truth.csv'].slice(1);
    assert.deepEqual(truth.map((r) => r[0]), ids, 'truth lists every home, in order');
    for (const r of truth) {
      assert.equal(r.length, 3);
      assert.ok(r[1] === '0' || r[1] === '1');
      if (r[1] === '0') assert.equal(r[2], '');
      else assert.match(r[2], /^202[34]-(0[1-9]|1[0-2])$/);
    }
  });

  test('every incident belongs to a listed home, in a month with child-nights; some months are empty', () => {
    const nights = new Map(t['occupancy.csv'].slice(1).map(([id, m, n]) => [`${id}/${m}`, Number(n)]));
    const inc = t['incidents.csv'].slice(1);
    assert.ok(inc.length > 1000, `${inc.length} incidents`);
    const bad = inc.filter(([id, date]) => !(nights.get(`${id}/${date.slice(0, 7)}`) > 0));
    assert.deepEqual(bad.slice(0, 5), []);
    const empty = [...nights.values()].filter((n) => n === 0).length;
    assert.ok(empty > 0, 'some home-months have no children');
    assert.ok(empty < nights.size * 0.1, `${empty} empty home-months is too many`);
    // Nights never exceed places times days in the month.
    const places = new Map(t['homes.csv'].slice(1).map((h) => [h[0], Number(h[5])]));
    for (const [id, m, n] of t['occupancy.csv'].slice(1)) {
      const [y, mo] = m.split('-').map(Number);
      const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
      assert.ok(Number(n) <= places.get(id) * days, `${id} ${m}: ${n} nights`);
    }
  });

  test('harmful homes are listed with onsets inside the span (months 9-20 of 24)', () => {
    const harmful = t['truth.csv'].slice(1).filter((r) => r[1] === '1');
    // 10% of 200: binomial, 99.9% of draws fall in 6..36.
    assert.ok(harmful.length >= 6 && harmful.length <= 36, `${harmful.length} harmful homes`);
    const lo = monthIndex('2023-09');
    const hi = monthIndex('2024-08');
    for (const r of harmful) assert.ok(monthIndex(r[2]) >= lo && monthIndex(r[2]) <= hi, `${r[0]} onset ${r[2]}`);
  });
});

describe('gen homes: the harm and the noise it plants', () => {
  const seeds = [1, 2, 3];
  let all;
  before(() => {
    all = seeds.map((s) => index(read(gen(`stat-${s}`, ['--homes', '300', '--seed', String(s), '--harmful-pct', '20']))));
  });

  /** Pooled rate per child-night of a type, before and after a month, over the given homes. */
  function pooled(homes, type, split) {
    const r = { before: [0, 0], after: [0, 0] };
    for (const h of homes) {
      const s = split(h);
      for (const [m, n] of h.nights) {
        const side = monthIndex(m) < s ? r.before : r.after;
        side[0] += h.counts.get(`${m}/${type}`) || 0;
        side[1] += n;
      }
    }
    return { before: r.before[0] / r.before[1], after: r.after[0] / r.after[1] };
  }

  test('after onset, harmful homes restrain more (per child-night) than before, on every seed; other homes do not', () => {
    for (const homes of all) {
      const harmful = [...homes.values()].filter((h) => h.harmful);
      const others = [...homes.values()].filter((h) => !h.harmful);
      assert.ok(harmful.length >= 30, `${harmful.length} harmful homes`);
      const h = pooled(harmful, 'restraint', (x) => monthIndex(x.onset));
      // Planted: x2-3. Pooled over 30+ homes and ~20 months each side, 1.6 leaves a wide margin.
      assert.ok(h.after / h.before > 1.6, `harmful restraint ratio ${h.after / h.before}`);
      // Most harmful homes, one by one (a home can be empty or quiet, so not all).
      const rising = harmful.filter((x) => { const p = pooled([x], 'restraint', () => monthIndex(x.onset)); return p.after > p.before; });
      assert.ok(rising.length >= 0.8 * harmful.length, `${rising.length} of ${harmful.length} rise`);
      const c = pooled(harmful, 'complaint', (x) => monthIndex(x.onset));
      assert.ok(c.after / c.before < 0.6, `harmful complaint ratio ${c.after / c.before}`);
      // The control: the same split at the middle month for homes that stay safe.
      const o = pooled(others, 'restraint', () => monthIndex('2024-07'));
      assert.ok(o.after / o.before > 0.85 && o.after / o.before < 1.18, `others' restraint ratio ${o.after / o.before}`);
    }
  });

  test('homes differ, missing episodes peak in summer, and months are burstier than Poisson', () => {
    for (const homes of all) {
      const safe = [...homes.values()].filter((h) => !h.harmful && h.spec === 'emotional_behavioural');
      // Home-level differences: the spread of restraint rates is far beyond what counting alone gives.
      const rates = safe.map((h) => pooled([h], 'restraint', () => Infinity).before);
      const mean = rates.reduce((a, b) => a + b, 0) / rates.length;
      const sd = Math.sqrt(rates.reduce((a, b) => a + (b - mean) ** 2, 0) / (rates.length - 1));
      assert.ok(sd / mean > 0.35, `restraint rate CV between homes ${sd / mean}`);
      // Season: July and August against January and February, per child-night.
      let summer = [0, 0];
      let winter = [0, 0];
      for (const h of safe) {
        for (const [m, n] of h.nights) {
          const mo = Number(m.slice(5));
          const k = h.counts.get(`${m}/missing`) || 0;
          if (mo === 7 || mo === 8) summer = [summer[0] + k, summer[1] + n];
          if (mo === 1 || mo === 2) winter = [winter[0] + k, winter[1] + n];
        }
      }
      assert.ok(summer[0] / summer[1] > 1.3 * (winter[0] / winter[1]), 'more missing episodes in summer');
      // Overdispersion: within a home, monthly restraint counts vary more than their mean (Poisson: equal).
      let over = 0;
      let n = 0;
      for (const h of safe) {
        const xs = [...h.nights.keys()].map((m) => h.counts.get(`${m}/restraint`) || 0);
        const mu = xs.reduce((a, b) => a + b, 0) / xs.length;
        if (mu < 2) continue;
        const v = xs.reduce((a, b) => a + (b - mu) ** 2, 0) / (xs.length - 1);
        n++;
        if (v > 1.5 * mu) over++;
      }
      assert.ok(n >= 20 && over >= 0.75 * n, `${over} of ${n} homes overdispersed`);
    }
  });

  test('the defaults: 2,000 homes x 36 months, about 5% harmful with onsets in months 13-30', () => {
    const out = path.join(dir, 'defaults');
    const r = runCli(['gen', 'homes', '--out', out]);
    assert.match(r.stderr, /2000 homes/);
    const truth = parseCsv(fs.readFileSync(path.join(out, 'truth.csv'), 'utf8')).slice(1);
    assert.equal(truth.length, 2000);
    const harmful = truth.filter((x) => x[1] === '1');
    assert.ok(harmful.length >= 60 && harmful.length <= 140, `${harmful.length} harmful`);
    for (const x of harmful) assert.ok(monthIndex(x[2]) >= monthIndex('2024-01') && monthIndex(x[2]) <= monthIndex('2025-06'), x[2]);
    const occ = fs.readFileSync(path.join(out, 'occupancy.csv'), 'utf8').trimEnd().split('\n');
    assert.equal(occ.length, 1 + 2000 * 36);
    assert.match(occ.at(-1), /,2025-12,[0-9]+$/);
  });
});

describe('gen homes --style b: the second simulator, same files', () => {
  let t;
  let b;
  before(() => {
    b = gen('style-b', ['--homes', '300', '--months', '24', '--seed', '7', '--harmful-pct', '10', '--style', 'b']);
    t = read(b);
  });

  test('byte-identical for the same options, other rows than style a, the same headers and formats', () => {
    const again = gen('style-b2', ['--homes', '300', '--months', '24', '--seed', '7', '--harmful-pct', '10', '--style', 'b']);
    const a = gen('style-a', ['--homes', '300', '--months', '24', '--seed', '7', '--harmful-pct', '10', '--style', 'a']);
    for (const f of FILES) {
      assert.ok(fs.readFileSync(path.join(b, f)).equals(fs.readFileSync(path.join(again, f))), f);
      assert.ok(!fs.readFileSync(path.join(b, f)).equals(fs.readFileSync(path.join(a, f))), `${f} is style a's`);
    }
    assert.deepEqual(t['homes.csv'][0], ['home_id', 'name', 'provider', 'la_code', 'specialism', 'places', 'rating']);
    assert.deepEqual(t['truth.csv'][0], ['home_id', 'harmful', 'onset_month']);
    const specs = new Set(t['homes.csv'].slice(1).map((h) => h[4]));
    for (const s of ['disability', 'emotional_behavioural', 'general', 'solo', 'short_breaks']) assert.ok(specs.has(s), s);
    for (const h of t['homes.csv'].slice(1)) {
      assert.match(h[0], /^SC[0-9]{6}$/);
      assert.ok(Number(h[5]) >= 1 && Number(h[5]) <= 10, h[5]);
    }
    assert.equal(t['occupancy.csv'].length - 1, 300 * 24);
    const nights = new Map(t['occupancy.csv'].slice(1).map(([id, m, n]) => [`${id}/${m}`, Number(n)]));
    const inc = t['incidents.csv'].slice(1);
    assert.ok(inc.length > 1000);
    assert.deepEqual(inc.filter(([id, date]) => !(nights.get(`${id}/${date.slice(0, 7)}`) > 0)).slice(0, 5), []);
    for (const ty of TYPES) assert.ok(inc.some((r) => r[2] === ty), `some ${ty}`);
    const harmful = t['truth.csv'].slice(1).filter((r) => r[1] === '1');
    assert.ok(harmful.length >= 12 && harmful.length <= 50, `${harmful.length} harmful`);
    for (const r of harmful) assert.ok(monthIndex(r[2]) >= monthIndex('2023-09') && monthIndex(r[2]) <= monthIndex('2024-08'), r[2]);
  });

  test('a harm scale of 2 plants stronger harm in the same homes; 1 changes nothing', () => {
    const args = ['--homes', '300', '--months', '24', '--seed', '7', '--harmful-pct', '10', '--style', 'b'];
    const one = gen('scale-1', [...args, '--harm-scale', '1', '--rate-scale', '1']);
    for (const f of FILES) assert.ok(fs.readFileSync(path.join(b, f)).equals(fs.readFileSync(path.join(one, f))), f);
    const two = read(gen('scale-2', [...args, '--harm-scale', '2']));
    assert.deepEqual(two['truth.csv'], t['truth.csv']);
    const count = (x) => x['incidents.csv'].length;
    assert.ok(count(two) > count(t), `${count(two)} incidents against ${count(t)}`);
  });
});

describe('gen homes: refusals', () => {
  const bad = [
    [['--homes', '0'], '--homes'], [['--homes', 'ten'], '--homes'], [['--homes', '100001'], '--homes'],
    [['--months', '5'], '--months'], [['--months', '241'], '--months'], [['--seed', '-1'], '--seed'],
    [['--seed', '1x'], '--seed'], [['--harmful-pct', '101'], '--harmful-pct'], [['--harmful-pct', ''], '--harmful-pct'],
    [['--colour', 'red'], '--colour'], [['--style', 'c'], '--style'], [['--harm-scale', '0'], '--harm-scale'],
    [['--rate-scale', '11'], '--rate-scale'], [['--dispersion-scale', 'x'], '--dispersion-scale'],
    [['--season-scale', '-1'], '--season-scale'],
  ];
  for (const [args, flag] of bad) {
    test(`${args.join(' ')} exits 2 naming ${flag}, and writes nothing`, () => {
      const out = path.join(dir, `bad-${flag.slice(2)}-${args[1] || 'none'}`);
      const r = runCli(['gen', 'homes', '--out', out, ...args], { check: false });
      assert.equal(r.status, 2, r.stderr);
      assert.ok(r.stderr.includes(flag), `stderr names ${flag}: ${r.stderr}`);
      assert.ok(!fs.existsSync(out), 'no output directory');
    });
  }

  test('without --out it exits 2 naming --out', () => {
    const r = runCli(['gen', 'homes', '--homes', '3'], { check: false });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--out/);
  });

  test('an --out that cannot be created fails with nothing written', () => {
    const file = path.join(dir, 'a-file');
    fs.writeFileSync(file, 'x');
    const r = runCli(['gen', 'homes', '--out', path.join(file, 'sub'), '--homes', '5'], { check: false });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /--out/);
    assert.equal(fs.readFileSync(file, 'utf8'), 'x');
  });

  test('when one file cannot be written, none is: old files stay as they were, no temporaries', () => {
    const out = path.join(dir, 'partial');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'homes.csv'), 'old\n');
    fs.mkdirSync(path.join(out, 'incidents.csv')); // a directory where a file must go
    const r = runCli(['gen', 'homes', '--out', out, '--homes', '5'], { check: false });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /incidents\.csv/);
    assert.equal(fs.readFileSync(path.join(out, 'homes.csv'), 'utf8'), 'old\n');
    assert.deepEqual(fs.readdirSync(out).sort(), ['homes.csv', 'incidents.csv']);
  });

  test('gen homes --help exits 0 with its usage; plain gen keeps its own options', () => {
    const r = runCli(['gen', 'homes', '--help']);
    assert.match(r.stdout, /usage: safeguard gen homes --out DIR/);
    const g = runCli(['gen', '--help']);
    assert.match(g.stdout, /usage: safeguard gen --out DIR \[--families N\]/);
    const out = path.join(dir, 'plain');
    runCli(['gen', '--out', out, '--families', '2', '--seed', '1', '--today', '2025-06-01']);
    assert.deepEqual(fs.readdirSync(out).sort(), ['events.jsonl', 'records.csv', 'truth.csv']);
  });
});

// Regulation 44 visit reports (issue 16): one opinion at most per home and month with children, yes or no;
// a harmful home's visitors find children not effectively safeguarded more often after its onset than the
// in-control homes' do, on both simulators; the other files are what they were without the visits.
describe('gen homes: Regulation 44 visitors\' opinions', () => {
  for (const style of ['a', 'b']) {
    test(`style ${style}: a report only in months with children, at most one a month, yes or no; harm raises concerns`, () => {
      const out = gen(`reg44-${style}`, ['--homes', '600', '--months', '36', '--seed', '3', '--harmful-pct', '20', '--style', style]);
      const t = read(out);
      assert.deepEqual(t['reg44.csv'][0], ['home_id', 'month', 'safeguarded']);
      const nights = new Map(t['occupancy.csv'].slice(1).map(([id, m, n]) => [`${id}/${m}`, Number(n)]));
      const truth = new Map(t['truth.csv'].slice(1).map(([id, h, onset]) => [id, h === '1' ? onset : null]));
      const seen = new Set();
      const tally = { harm: [0, 0], control: [0, 0] };
      for (const [id, month, v] of t['reg44.csv'].slice(1)) {
        assert.ok(nights.get(`${id}/${month}`) > 0, `${id} ${month}: a report in a month without children`);
        assert.ok(!seen.has(`${id}/${month}`), `${id} ${month}: two reports`);
        seen.add(`${id}/${month}`);
        assert.ok(v === 'yes' || v === 'no', v);
        const onset = truth.get(id);
        const k = onset === null ? 'control' : month >= onset ? 'harm' : null;
        if (k) { tally[k][0] += v === 'no'; tally[k][1] += 1; }
      }
      const months = [...nights.values()].filter((n) => n > 0).length;
      assert.ok(seen.size > 0.7 * months && seen.size < months, `${seen.size} reports for ${months} months with children`);
      const share = (k) => tally[k][0] / tally[k][1];
      assert.ok(tally.harm[1] > 200 && share('control') > 0.005 && share('control') < 0.1, JSON.stringify(tally));
      assert.ok(share('harm') > 2 * share('control'), JSON.stringify(tally));
    });
  }
});
