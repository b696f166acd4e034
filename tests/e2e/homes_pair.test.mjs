// `safeguard homes monitor --rho-pair R` (issue 16, round 5; docs/OVERSIGHT.md "The pair"): a second combined
// chart beside the first, the two calibrated together to the combined chart's budget. Off by default: the
// default run names no second chart and is what it was; with it, the summary names the second chart's
// threshold, every combined row is reported against one of the pair's two thresholds, and the pair keeps the
// simulated budget of the combined family. Misuse (not above 1, equal to the first chart's 1.5) exits 2
// naming the option and writes nothing.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { removeDir, runCli, tempDir } from './lib.mjs';

let dir;
before(() => {
  dir = tempDir('homes-pair');
  runCli(['gen', 'homes', '--out', dir, '--homes', '150', '--months', '24', '--seed', '3']);
});
after(() => removeDir(dir));

function monitor(out, extra = [], check = true) {
  return runCli(['homes', 'monitor', '--homes', path.join(dir, 'homes.csv'), '--occupancy', path.join(dir, 'occupancy.csv'),
    '--incidents', path.join(dir, 'incidents.csv'), '--reg44', path.join(dir, 'reg44.csv'), '--out', path.join(dir, out),
    ...extra], { check });
}

function rows(file) {
  const lines = fs.readFileSync(path.join(dir, file), 'utf8').trim().split('\n');
  assert.equal(lines[0], 'home_id,month,indicator,direction,statistic,threshold');
  return lines.slice(1).map((l) => {
    const [home, month, indicator, direction, statistic, threshold] = l.split(',');
    return { home, month, indicator, direction, statistic: Number(statistic), threshold: Number(threshold) };
  });
}

describe('homes monitor --rho-pair', () => {
  test('off by default: no second chart in the summary', () => {
    const r = monitor('alerts-default.csv');
    assert.match(r.stderr, /combined [0-9]+\.[0-9]{3} \(simulated/);
    assert.doesNotMatch(r.stderr, /second chart/);
  });

  test('on: the second chart\'s threshold is named, every combined row is against one of the two, and the pair keeps its share', () => {
    const r = monitor('alerts-pair.csv', ['--rho-pair', '1.25']);
    const m = /combined ([0-9.]+), its pair's second chart ([0-9.]+) \(simulated false alarms per 100 home-years ([0-9.]+) \+ ([0-9.]+) \+ ([0-9.]+);/.exec(r.stderr);
    assert.ok(m, r.stderr);
    const [h1, h2, , , comb] = m.slice(1).map(Number);
    assert.ok(h1 > 0 && h2 > 0 && h1 !== h2, `thresholds ${h1} and ${h2}`);
    assert.ok(comb <= 0.9 * 5 + 1e-9, `the pair's simulated rate ${comb} within the combined family's 4.5`);
    const combined = rows('alerts-pair.csv').filter((x) => x.indicator === 'combined');
    assert.ok(combined.length > 0, 'the pair signals somewhere in an area with harmful homes');
    for (const x of combined) {
      assert.ok(x.threshold === h1 || x.threshold === h2, `row threshold ${x.threshold}`);
      assert.ok(x.statistic >= x.threshold, `statistic ${x.statistic} under its threshold ${x.threshold}`);
    }
  });

  for (const bad of ['1.5', '1', 'x']) {
    test(`--rho-pair ${bad} exits 2 naming the option and writes nothing`, () => {
      const r = monitor(`alerts-bad-${bad}.csv`, ['--rho-pair', bad], false);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /--rho-pair must be a number above 1/);
      assert.equal(fs.existsSync(path.join(dir, `alerts-bad-${bad}.csv`)), false);
    });
  }
});
