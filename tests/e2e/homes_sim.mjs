// What the e2e files of the homes simulators written apart (bench/homes_gen_c.mjs, bench/homes_gen_d.mjs) share:
// generating an area, running `safeguard homes monitor` on it and scoring it with bench/homes_score.mjs, and the
// suite that asserts the false-alarm budget and detection's floors over a small grid of such areas (worst case,
// not best: issue 16). Each file keeps its own grid, floors and structure checks.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, describe, test } from 'node:test';
import { runCli } from './lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const SCORE = path.resolve(here, '../../bench/homes_score.mjs');

// A simulator GEN (a script under bench/) run with HOMES homes and SEED into folders under dir() (a function: the
// folder is made in a before hook). gen(out, extra) writes one area; area(name, extra) writes, monitors and scores
// one, returning the score's 'safeguard homes monitor' row with its name and folder.
export function simulator(gen, homes, seed, dir) {
  const script = path.resolve(here, '../../bench', gen);
  function write(out, extra) {
    const r = spawnSync(process.execPath, [script, '--out', out, '--homes', String(homes), '--seed', String(seed), ...extra],
      { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  }
  function area(name, extra) {
    const out = path.join(dir(), name.replace(/[^a-z0-9]/gi, '_'));
    write(out, extra);
    const alerts = path.join(out, 'alerts.csv');
    runCli(['homes', 'monitor', '--homes', path.join(out, 'homes.csv'), '--occupancy', path.join(out, 'occupancy.csv'),
      '--incidents', path.join(out, 'incidents.csv'), '--reg44', path.join(out, 'reg44.csv'), '--out', alerts]);
    const r = spawnSync(process.execPath, [SCORE, '--dir', out, '--alerts', alerts, '--json'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return { name, out, ...JSON.parse(r.stdout)['safeguard homes monitor'] };
  }
  return { gen: write, area };
}

// The grid's suite: every cell scored (each with at least minHarmful harmful homes, the 'no harmful home' cell
// with none), the budget held in every cell (and spent a little where every alarm is false), detection at x1 and
// at 'harm x2' above its floors, stronger harm found more often.
export function budgetSuite(style, grid, floors, minHarmful, area) {
  describe(`homes monitor on style ${style}: the budget holds in every cell`, () => {
    const cells = [];
    before(() => {
      for (const [name, extra] of grid) cells.push(area(name, extra));
    });

    test('every area was scored', (t) => {
      t.diagnostic(cells.map((c) => `${c.name}: ${c.found}/${c.harmful} flagged, median delay ${c.median_delay_months}, `
        + `${c.false_alarms_per_100_home_years.toFixed(2)} FA`).join('; '));
      assert.equal(cells.length, grid.length);
      for (const c of cells) {
        assert.ok(c.name === 'no harmful home' ? c.harmful === 0 : c.harmful >= minHarmful, `${c.name}: ${c.harmful} harmful`);
      }
    });

    test('the false-alarm budget holds in every cell, the area without harm included', () => {
      for (const c of cells) {
        assert.ok(c.false_alarms_per_100_home_years <= floors.fa, `${c.name}: ${c.false_alarms_per_100_home_years.toFixed(2)} FA`);
      }
      const none = cells.find((c) => c.name === 'no harmful home');
      assert.ok(none.false_alarms_per_100_home_years > 0, 'an area without harm still spends some of its budget');
    });

    test('detection stays above its floor, and stronger harm is found more often', () => {
      const one = cells.find((c) => c.name === 'x1');
      const strong = cells.find((c) => c.name === 'harm x2');
      assert.ok(one.flagged_pct >= floors.flaggedAtOne, `x1: ${one.flagged_pct.toFixed(1)}% flagged`);
      assert.ok(strong.flagged_pct >= floors.flaggedHarmTwice, `harm x2: ${strong.flagged_pct.toFixed(1)}% flagged`);
      assert.ok(strong.flagged_pct > one.flagged_pct, `harm x2 ${strong.flagged_pct}, x1 ${one.flagged_pct}`);
    });
  });
}
