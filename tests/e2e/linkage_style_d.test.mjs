// Floors for `safeguard link dedupe` on the fourth linkage generator, style d (bench/linkage/gen_d.mjs, issue 16
// round 28b): written apart from styles a, b and c with another structure (records made by agencies' encounters
// with a household through time, each agency with its own conventions and error process). Style d is far harder
// than a, b or c for the method (docs/BENCHMARKS.md "Round 28b: style d"), so these floors are the worst case
// measured over the harness's grid at this size (bench/robustness_linkage.sh, STYLES=d D_FAMILIES=440, seeds
// 1-3, main's binary of 2026-12-07; the recall floor raised in rounds 29 and 29c to the worst of these cells with
// `age_dates` and `wrong_id`), less the noise between seeds: they catch a method that gets worse on data it was
// not tuned on, not one that meets issue 16's bar. No timing is asserted.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { removeDir, runCli, tempDir } from './lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const GEN = path.resolve(here, '../../bench/linkage/gen_d.mjs');
const SCORE = path.resolve(here, '../../bench/linkage/score.mjs');
const FAMILIES = 440; // about 5,200 records
const SEED = 1;
// The default and the cells of the grid that measured worst (5,000-5,700 records each; main's binary, seeds 1-3 x
// 47 cells): recall 0.6990 (seed 2, dob_estimate x2), precision 0.9803 and 3 twin clusters (seed 3, moves x2),
// precision 0.9921 (seed 2, translit x0.5), 2 twin clusters (seed 1, head_name x2). The default at seed 1: P 0.9979
// R 0.8384, no twin cluster. Floors: those worst values less the noise a seed moves a cell by at this size
// (about 0.02 of recall, 0.005 of precision). Round 29 (`age_dates`, docs/BENCHMARKS.md "Round 29"), the same five
// cells: recall 0.8725, 0.7871 (dob_estimate x2, the worst), 0.8205, 0.8496, 0.8525; precision 0.9979, 0.9968,
// 0.9798 (moves x2, the worst), 0.9911, 0.9982; twin clusters 0, 0, 3, 1, 2. The recall floor is 0.7871 less
// 0.02; precision and twin clusters did not move. Round 29c (integ with `age_dates` and `wrong_id`, docs/BENCHMARKS.md
// "Round 29c"), the same five cells: recall 0.8858, 0.8091 (dob_estimate x2, the worst), 0.8369, 0.8557, 0.8573;
// precision 0.9981, 0.9970, 0.9816 (moves x2, the worst), 0.9921, 0.9982; twin clusters 0, 0, 3, 0, 2. The recall
// floor is 0.8091 less 0.02, rounded down (without `age_dates` that cell gives 0.7711 and fails it); precision
// (0.9816 less 0.005 is above 0.975) and twin clusters (3 at moves x2) stay. Over the whole grid at this size
// (seeds 1-3, 141 cells) the worst are recall 0.8063, precision 0.9816, 3 twin clusters: within the floors. Round
// 30a (a temporary UPN and `lone_reach`, docs/BENCHMARKS.md "Round 30a"), the same five cells: recall 0.8972, 0.8350
// (dob_estimate x2, the worst), 0.8642, 0.8655, 0.8686; precision 0.9982, 0.9971, 0.9821 (moves x2), 0.9922, 0.9983;
// twin clusters 0, 0, 3, 0, 2. The recall floor is 0.8350 less 0.02, rounded down (integ's 0.8091 fails it);
// precision and twin clusters stay. The whole grid was not run again. Round 32b (`absent_id`, docs/BENCHMARKS.md
// "Round 32b"), the same five cells: recall 0.9013, 0.8413 (dob_estimate x2, the worst), 0.8770, 0.8821, 0.8783;
// precision 0.9989, 0.9989, 0.9986, 0.9915 (translit x0.5, the worst), 0.9989; twin clusters 0, 0, 1, 0, 1. The floors
// stay: the base's 0.8381 would pass a floor raised by the same rule (0.82), so a raise would test nothing new.
const GRID = [
  ['default', 1, []],
  ['dob_estimate x2', 2, ['--scale', 'dob_estimate=2']],
  ['moves x2', 3, ['--scale', 'moves=2']],
  ['translit x0.5', 2, ['--scale', 'translit=0.5']],
  ['head_name x2', 1, ['--scale', 'head_name=2']],
];
const FLOORS = { precision: 0.975, recall: 0.81, twinClusters: 3 };

let dir;
before(() => { dir = tempDir('linkage-style-d'); });
after(() => removeDir(dir));

function gen(out, extra, seed = SEED) {
  const r = spawnSync(process.execPath, [GEN, '--out', out, '--families', String(FAMILIES), '--seed', String(seed), ...extra],
    { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

function area(name, seed, extra) {
  const out = path.join(dir, name.replace(/[^a-z0-9]/gi, '_'));
  gen(out, extra, seed);
  const clusters = path.join(out, 'clusters.csv');
  runCli(['link', 'dedupe', '--in', path.join(out, 'records.csv'), '--out', clusters, '--threads', '2']);
  const r = spawnSync(process.execPath, [SCORE, '--records', path.join(out, 'records.csv'), '--truth', path.join(out, 'truth.csv'),
    '--clusters', clusters, '--json'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  return { name, records: s.records, twinChildren: s.twin_children, ...s.results.clusters };
}

describe('style d, the fourth generator: its files', () => {
  test('the same seed gives the same area, another seed another; the columns are gen\'s, the truth has true_dob', () => {
    const a = path.join(dir, 'det-a');
    const b = path.join(dir, 'det-b');
    const c = path.join(dir, 'det-c');
    gen(a, []);
    gen(b, []);
    gen(c, [], SEED + 1);
    for (const f of ['records.csv', 'truth.csv'])
      assert.equal(fs.readFileSync(path.join(a, f), 'utf8'), fs.readFileSync(path.join(b, f), 'utf8'), f);
    assert.notEqual(fs.readFileSync(path.join(a, 'records.csv'), 'utf8'), fs.readFileSync(path.join(c, 'records.csv'), 'utf8'));
    const rec = fs.readFileSync(path.join(a, 'records.csv'), 'utf8').trim().split('\n');
    const tru = fs.readFileSync(path.join(a, 'truth.csv'), 'utf8').trim().split('\n');
    assert.equal(rec[0], 'record_id,source,given_name,middle_names,family_name,dob,sex,postcode,address,nhs_number,upn,source_ref');
    assert.equal(tru[0], 'record_id,child_id,family_id,errors,true_dob');
    assert.equal(rec.length, tru.length);
    assert.ok(rec.length > 4000 && rec.length < 7000, `${rec.length - 1} records`);
    // Seven agencies write; every truth row has a true date of birth.
    const sources = new Set(rec.slice(1).map((l) => l.split(',')[1].replace(/"/g, '')));
    assert.deepEqual([...sources].sort(), ['emergency_dept', 'gp', 'housing', 'maternity', 'police', 'school', 'social_care']);
    for (const l of tru.slice(1)) assert.match(l, /,"\d{4}-\d{2}-\d{2}"$/);
  });

  test('a factor changes what it names: twice the estimated dates, more records tagged so', () => {
    const x1 = path.join(dir, 'factor-1');
    const x2 = path.join(dir, 'factor-2');
    gen(x1, []);
    gen(x2, ['--scale', 'dob_estimate=2']);
    const count = (d) => fs.readFileSync(path.join(d, 'truth.csv'), 'utf8').split('dob_estimated').length - 1;
    assert.ok(count(x2) > 1.5 * count(x1), `${count(x1)} -> ${count(x2)}`);
    const bad = spawnSync(process.execPath, [GEN, '--out', path.join(dir, 'bad'), '--scale', 'nonsense=2'], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /unknown factor nonsense/);
  });
});

describe('link dedupe on style d: the worst case measured holds', () => {
  const cells = [];
  before(() => {
    for (const [name, seed, extra] of GRID) cells.push(area(name, seed, extra));
  });

  test('every area was scored', (t) => {
    t.diagnostic(cells.map((c) => `${c.name}: ${c.records} records, P ${c.precision.toFixed(4)} R ${c.recall.toFixed(4)} `
      + `twins ${c.twin_clusters}`).join('; '));
    assert.equal(cells.length, GRID.length);
    for (const c of cells) assert.ok(c.records > 4000 && c.twinChildren > 0, `${c.name}: ${c.records} records, ${c.twinChildren} twins`);
  });

  test('precision, recall and the clusters joining twins stay within their floors in every cell', () => {
    for (const c of cells) {
      assert.ok(c.precision >= FLOORS.precision, `${c.name}: precision ${c.precision.toFixed(4)}`);
      assert.ok(c.recall >= FLOORS.recall, `${c.name}: recall ${c.recall.toFixed(4)}`);
      assert.ok(c.twin_clusters <= FLOORS.twinClusters, `${c.name}: ${c.twin_clusters} twin clusters`);
    }
  });
});
