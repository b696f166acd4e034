// Floors for `safeguard homes monitor` on the third simulator, style c (bench/homes_gen_c.mjs, issue 16
// round 6): written apart from styles a and b with another structure (levels drifting as a random walk, one
// shared latent climate, incidents in episodes on consecutive days, late batch recording, homes opening and
// closing, harm in a step or a ramp). What must hold there is the false-alarm budget, in every cell of a small
// grid including an area with no harmful home at all (every alarm false); detection is low on style c (even
// an oracle that knows every rate finds about half, bench/homes_power.mjs --recorded) and its floors only
// catch a monitor that stops finding harm. Measured, this seed and size (docs/BENCHMARKS.md "Round 6"):
// false alarms 2.7-4.2 per 100 home-years; x1 7/24 flagged, harm x2 15/24. No timing is asserted.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { removeDir, tempDir } from './lib.mjs';
import { budgetSuite, simulator } from './homes_sim.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const HOMES = 800;
const SEED = 4;
const GRID = [
  ['x1', []],
  ['drift x2', ['--drift-scale', '2']],
  ['late recorders x2', ['--late-pct', '40']],
  ['dispersion x2', ['--dispersion-scale', '2']],
  ['harm x2', ['--harm-scale', '2']],
  ['no harmful home', ['--harmful-pct', '0']],
];
const FLOORS = { fa: 5, flaggedAtOne: 20, flaggedHarmTwice: 50 };

let dir;
before(() => { dir = tempDir('homes-style-c'); });
after(() => removeDir(dir));
const { gen, area } = simulator('homes_gen_c.mjs', HOMES, SEED, () => dir);

describe('style c, the third simulator: its files', () => {
  test('the same seed gives the same area, another seed another; the monitor reads every file', () => {
    const a = path.join(dir, 'det-a');
    const b = path.join(dir, 'det-b');
    const c = path.join(dir, 'det-c');
    gen(a, []);
    gen(b, []);
    gen(c, ['--seed', String(SEED + 1)]);
    for (const f of ['homes.csv', 'occupancy.csv', 'incidents.csv', 'reg44.csv', 'truth.csv']) {
      assert.equal(fs.readFileSync(path.join(a, f), 'utf8'), fs.readFileSync(path.join(b, f), 'utf8'), f);
    }
    assert.notEqual(fs.readFileSync(path.join(a, 'incidents.csv'), 'utf8'), fs.readFileSync(path.join(c, 'incidents.csv'), 'utf8'));
    const truth = fs.readFileSync(path.join(a, 'truth.csv'), 'utf8').trim().split('\n').slice(1);
    assert.equal(truth.length, HOMES);
    // Homes open and close within the span: some homes have fewer occupancy rows than the span's 36 months.
    const months = new Map();
    for (const l of fs.readFileSync(path.join(a, 'occupancy.csv'), 'utf8').trim().split('\n').slice(1)) {
      const id = l.split(',')[0];
      months.set(id, (months.get(id) || 0) + 1);
    }
    assert.ok([...months.values()].some((n) => n < 36) && [...months.values()].some((n) => n === 36));
  });
});

budgetSuite('c', GRID, FLOORS, 15, area);
