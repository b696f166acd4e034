// Floors for `safeguard homes monitor` on the fourth simulator, style d (bench/homes_gen_d.mjs, issue 16
// round 22): written apart from styles a, b and c, before reading the monitor, with another structure (provider
// groups sharing a recording culture, registered managers who change and step what is recorded, solo homes,
// long empty spells, a heatwave month and a reporting change for every home, harm that hides itself). What must
// hold there is the false-alarm budget, in every cell of a small grid including an area with no harmful home at
// all (every alarm false); detection is low on style d (a chart that must learn each home's level finds about a
// third, bench/homes_power.mjs --recorded --oracle learnt) and its floors only catch a monitor that stops
// finding harm. Measured, this seed and size (docs/BENCHMARKS.md "Round 22"): false alarms 1.4-3.8 per 100
// home-years; x1 14/40 flagged, harm x2 36/40. No timing is asserted.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { removeDir, tempDir } from './lib.mjs';
import { budgetSuite, simulator } from './homes_sim.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const GEN = path.resolve(here, '../../bench/homes_gen_d.mjs');
const HOMES = 800;
const SEED = 4;
const GRID = [
  ['x1', []],
  ['managers x2', ['--manager-scale', '2']],
  ['hidden x2', ['--hide-scale', '2']],
  ['dispersion x2', ['--dispersion-scale', '2']],
  ['harm x2', ['--harm-scale', '2']],
  ['no harmful home', ['--harmful-pct', '0']],
];
const FLOORS = { fa: 5, flaggedAtOne: 20, flaggedHarmTwice: 60 };

let dir;
before(() => { dir = tempDir('homes-style-d'); });
after(() => removeDir(dir));
const { gen, area } = simulator('homes_gen_d.mjs', HOMES, SEED, () => dir);

const csv = (file) => fs.readFileSync(file, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));

describe('style d, the fourth simulator: its files and its structure', () => {
  let a;
  before(() => {
    a = path.join(dir, 'det-a');
    gen(a, []);
  });

  test('the same seed gives the same area, another seed another; a bad option is refused and writes nothing', () => {
    const b = path.join(dir, 'det-b');
    const c = path.join(dir, 'det-c');
    gen(b, []);
    gen(c, ['--seed', String(SEED + 1)]);
    for (const f of ['homes.csv', 'occupancy.csv', 'incidents.csv', 'reg44.csv', 'truth.csv', 'structure.csv']) {
      assert.equal(fs.readFileSync(path.join(a, f), 'utf8'), fs.readFileSync(path.join(b, f), 'utf8'), f);
    }
    assert.notEqual(fs.readFileSync(path.join(a, 'incidents.csv'), 'utf8'), fs.readFileSync(path.join(c, 'incidents.csv'), 'utf8'));
    const bad = path.join(dir, 'det-bad');
    const r = spawnSync(process.execPath, [GEN, '--out', bad, '--hide-scale', 'x'], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--hide-scale must be a number/);
    assert.equal(fs.existsSync(bad), false);
  });

  test('solo homes, long empty spells, managers running several homes who change, harm where children live', () => {
    const st = csv(path.join(a, 'structure.csv'));
    assert.equal(st.length, HOMES);
    assert.ok(st.some((r) => Number(r[4]) === 1), 'a one-bed home');
    assert.ok(st.some((r) => Number(r[5]) >= 2 && r[6] !== ''), 'a manager of several homes who changed');
    const nights = new Map();
    for (const [id, , n] of csv(path.join(a, 'occupancy.csv'))) {
      if (!nights.has(id)) nights.set(id, []);
      nights.get(id).push(Number(n));
    }
    const longestEmpty = (xs) => { let best = 0; let run = 0; for (const x of xs) { run = x === 0 ? run + 1 : 0; best = Math.max(best, run); } return best; };
    assert.ok([...nights.values()].filter((xs) => longestEmpty(xs) >= 3).length >= HOMES / 50, 'homes empty for 3 months or more');
    const months = csv(path.join(a, 'occupancy.csv')).filter((r) => r[0] === st[0][0]).map((r) => r[1]);
    for (const [id, harmful, onset] of csv(path.join(a, 'truth.csv'))) {
      if (harmful === '1') assert.ok(nights.get(id)[months.indexOf(onset)] > 0, `${id}: children at its onset ${onset}`);
    }
    // The heatwave: every home's missing episodes up in one month; the area's rate per child-night that month
    // above the median month's.
    const heat = st[0][15].split(' ')[0];
    const missing = new Map();
    for (const [, date, type] of csv(path.join(a, 'incidents.csv'))) if (type === 'missing') missing.set(date.slice(0, 7), (missing.get(date.slice(0, 7)) || 0) + 1);
    const cn = months.map((m, i) => [...nights.values()].reduce((s, xs) => s + xs[i], 0));
    const rate = months.map((m, i) => (missing.get(m) || 0) / cn[i]);
    const med = [...rate].sort((p, q) => p - q)[Math.floor(rate.length / 2)];
    assert.ok(rate[months.indexOf(heat)] > 1.2 * med, `heatwave ${heat}: ${rate[months.indexOf(heat)]} against ${med}`);
  });
});

budgetSuite('d', GRID, FLOORS, 30, area);
