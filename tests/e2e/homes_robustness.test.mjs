// Floors for `safeguard homes monitor` on data it was not tuned on (issue 16): both simulators
// (`safeguard gen homes --style a|b`), a small version of bench/robustness_homes.sh's grid (each rate x0.5
// or x2 alone), every area scored by bench/homes_score.mjs against its truth. The assertions are on the
// WORST case over the grid, per style, not the best: the false-alarm budget must hold in every cell, and
// detection must not fall below what the weakest harm still gets. Fixed seeds, so the same binary gives
// the same figures; the floors sit below the measured worst (docs/BENCHMARKS.md, "Robustness") by the
// margin a different libm could move them, and far enough above nothing to catch a monitor that stops
// finding harm or stops keeping its budget. No timing is asserted (speed is in bench/).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { removeDir, runCli, tempDir } from './lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const SCORE = path.resolve(here, '../../bench/homes_score.mjs');
const HOMES = 800;
const SEED = 4;
const GRID = [
  ['x1', []],
  ['harm x0.5', ['--harm-scale', '0.5']],
  ['harm x2', ['--harm-scale', '2']],
  ['dispersion x2', ['--dispersion-scale', '2']],
  ['rates x0.5', ['--rate-scale', '0.5']],
  ['harmful x2', ['--harmful-pct', '10']],
];
// Per style, with the Regulation 44 visitors' opinions read and the monitor's defaults (the joint harm chart,
// the drifting null, the two-way model check; measured, this seed and size, docs/BENCHMARKS.md): the budget
// itself (worst 4.88 on style a, 3.91 on b); detection at x1 (97.5% and 66.7%, median delays 3 and 4, p90 8
// and 10); the worst detection over the grid, at the weakest harm (62.5% and 29.4%), and without that cell,
// which is below what the counts can show (bench/homes_power.mjs; 82.5% at dispersion x2 and 56.9% at rates
// x0.5). Each floor sits a home or two below what was measured (40 harmful homes on style a, 51 on b).
// Before these defaults: x1 97.5% / 70.6%, delays 4 / 5, p90 8 / 11, worst 62.5% / 25.5%, without the
// weakest harm 80% / 49%.
// Round 11 (the budget as a limit each area meets with 90% chance, not an average; docs/OVERSIGHT.md): the
// thresholds sit below the budget by the area's own sampling error (800 homes, style b: 4.33 in place of 5), and
// style b's weakest-harm cell fell from 15/51 (29.4%) to 10/51 (19.6%); its floor was lowered from 25 to 17,
// a home below what is now measured. Worst FA now 4.26 on style a (4.88), 3.37 on b (3.91).
const FLOORS = {
  a: { fa: 5, flaggedAtOne: 85, delayAtOne: 4, worstFlagged: 55, p90AtOne: 9, worstWithoutWeakHarm: 77, reg44Loss: 0 },
  b: { fa: 5, flaggedAtOne: 62, delayAtOne: 5, worstFlagged: 17, p90AtOne: 11, worstWithoutWeakHarm: 52, reg44Loss: 0 },
};

let dir;
before(() => { dir = tempDir('homes-robust'); });
after(() => removeDir(dir));

// One area, scored with the Regulation 44 visitors' opinions read (reg44.csv), and, for x1, without them.
function area(style, name, extra) {
  const out = path.join(dir, `${style}-${name.replace(/[^a-z0-9]/gi, '_')}`);
  runCli(['gen', 'homes', '--out', out, '--homes', String(HOMES), '--seed', String(SEED), '--style', style, ...extra]);
  const score = (withReg44) => {
    const alerts = path.join(out, withReg44 ? 'alerts.csv' : 'alerts-no-reg44.csv');
    runCli(['homes', 'monitor', '--homes', path.join(out, 'homes.csv'), '--occupancy', path.join(out, 'occupancy.csv'),
      '--incidents', path.join(out, 'incidents.csv'), '--out', alerts,
      ...(withReg44 ? ['--reg44', path.join(out, 'reg44.csv')] : ['--no-reg44'])]);
    const r = spawnSync(process.execPath, [SCORE, '--dir', out, '--alerts', alerts, '--json'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout)['safeguard homes monitor'];
  };
  const s = score(true);
  if (name === 'x1') s.without = score(false);
  return s;
}

for (const style of ['a', 'b']) {
  describe(`homes monitor, style ${style}: the worst case over the grid`, () => {
    const cells = [];
    before(() => {
      for (const [name, extra] of GRID) cells.push({ name, ...area(style, name, extra) });
    });

    test('every area was scored, with harmful homes in it', (t) => {
      t.diagnostic(cells.map((c) => `${c.name}: ${c.found}/${c.harmful} flagged, median delay ${c.median_delay_months}, `
        + `p90 ${c.delay_p90_months}, ${c.false_alarms_per_100_home_years.toFixed(2)} FA`
        + (c.without ? ` (without Reg 44: ${c.without.found}/${c.without.harmful}, ${c.without.median_delay_months}, `
          + `${c.without.false_alarms_per_100_home_years.toFixed(2)} FA)` : '')).join('; '));
      assert.equal(cells.length, GRID.length);
      for (const c of cells) assert.ok(c.harmful >= 15, `${c.name}: ${c.harmful} harmful homes`);
    });

    test('the false-alarm budget holds in every cell (the worst one)', () => {
      const worst = cells.reduce((w, c) => (c.false_alarms_per_100_home_years > w.false_alarms_per_100_home_years ? c : w));
      assert.ok(worst.false_alarms_per_100_home_years <= FLOORS[style].fa,
        `${worst.name}: ${worst.false_alarms_per_100_home_years.toFixed(2)} false alarms per 100 home-years`);
    });

    test('detection at x1, and the worst over the grid, stay above their floors', () => {
      const one = cells.find((c) => c.name === 'x1');
      assert.ok(one.flagged_pct >= FLOORS[style].flaggedAtOne, `x1: ${one.flagged_pct.toFixed(1)}% flagged`);
      assert.ok(one.median_delay_months <= FLOORS[style].delayAtOne, `x1: median delay ${one.median_delay_months}`);
      const worst = cells.reduce((w, c) => (c.flagged_pct < w.flagged_pct ? c : w));
      assert.ok(worst.flagged_pct >= FLOORS[style].worstFlagged, `${worst.name}: ${worst.flagged_pct.toFixed(1)}% flagged`);
      // Stronger harm is found more often and sooner than the unperturbed, weaker harm less often: the
      // monitor responds to the evidence, not to the area.
      const strong = cells.find((c) => c.name === 'harm x2');
      const weak = cells.find((c) => c.name === 'harm x0.5');
      assert.ok(strong.flagged_pct >= one.flagged_pct && one.flagged_pct >= weak.flagged_pct,
        `flagged: harm x2 ${strong.flagged_pct}, x1 ${one.flagged_pct}, x0.5 ${weak.flagged_pct}`);
      assert.ok(strong.median_delay_months <= one.median_delay_months, 'stronger harm is found no later');
    });

    test('the delay distribution stays within its floor: 90% of the homes found are found within p90', () => {
      const one = cells.find((c) => c.name === 'x1');
      assert.ok(one.delay_p90_months <= FLOORS[style].p90AtOne, `x1: p90 delay ${one.delay_p90_months}`);
      // Excluding the x0.5 harm cell (below what the counts can show: bench/homes_power.mjs), the worst.
      const rest = cells.filter((c) => c.name !== 'harm x0.5');
      const worst = rest.reduce((w, c) => (c.flagged_pct < w.flagged_pct ? c : w));
      assert.ok(worst.flagged_pct >= FLOORS[style].worstWithoutWeakHarm, `${worst.name}: ${worst.flagged_pct.toFixed(1)}% flagged`);
    });

    test('reading the Reg 44 opinions keeps the budget, and without them the monitor is what it was', () => {
      const one = cells.find((c) => c.name === 'x1');
      assert.ok(one.without.false_alarms_per_100_home_years <= FLOORS[style].fa);
      assert.ok(one.flagged_pct >= one.without.flagged_pct - FLOORS[style].reg44Loss,
        `with Reg 44 ${one.flagged_pct.toFixed(1)}%, without ${one.without.flagged_pct.toFixed(1)}%`);
    });
  });
}
