// bench/linkage/score.mjs: the figures the linkage benchmark reports, checked by hand on a small file and
// on a whole generated area (the truth itself as the clusters scores 1, families as clusters join twins).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { removeDir, runCli, tempDir } from './lib.mjs';

const SCORE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bench/linkage/score.mjs');
let dir;

before(() => { dir = tempDir('linkscore'); });
after(() => removeDir(dir));

function score(records, truth, clusters) {
  const a = [SCORE, '--records', records, '--truth', truth, '--json'];
  if (clusters) a.push('--clusters', clusters);
  return JSON.parse(execFileSync(process.execPath, a, { encoding: 'utf8' }));
}

test('a small file scored by hand: pairs, mixed clusters, twins and both baselines', () => {
  const rec = path.join(dir, 'records.csv');
  const tru = path.join(dir, 'truth.csv');
  const clu = path.join(dir, 'clusters.csv');
  // a1 a2 a3: child A (a3 with a swapped dob); b1: child B, A's twin; c1 c2: child C, who shares A's NHS number
  // in c2 only (a typo). Quoted fields hold commas, quotes and a line break.
  fs.writeFileSync(rec, '\ufeffrecord_id,given_name,family_name,dob,nhs_number,address\r\n' +
    'a1,Zoë,O\'Neil,2016-05-03,4857773456,"1 High St, Leeds"\r\n' +
    'a2,"zoe","o neil",03/05/2016,4857773456,"The ""Yard""\nLeeds"\r\n' +
    'a3,Zoe,ONeil,2016-03-05,,\r\n' +
    'b1,Zac,O\'Neil,2016-05-03,,\r\n' +
    'c1,Ann,Lee,2010-01-01,9434765919,\r\n' +
    'c2,Ann,Lee,2010-01-01,4857773456,\r\n');
  fs.writeFileSync(tru, 'record_id,child_id,family_id,errors\n' +
    'a1,A,F1,\na2,A,F1,\na3,A,F1,dob_swap\nb1,B,F1,\nc1,C,F2,\nc2,C,F2,typo\n');
  fs.writeFileSync(clu, 'record_id,cluster_id,match_probability\n' +
    'a1,x,0.99\na2,x,0.99\nb1,x,0.97\nc1,y,1\nc2,y,1\n'); // a3 missing: its own cluster
  const s = score(rec, tru, clu);
  assert.equal(s.records, 6);
  assert.equal(s.children, 3);
  assert.equal(s.true_pairs, 3 + 0 + 1);
  assert.equal(s.twin_children, 2);
  assert.equal(s.missing_from_clusters, 1);
  // {a1 a2 b1} {c1 c2} {a3}: 3 + 1 predicted pairs, a1-a2 and c1-c2 true
  assert.deepEqual(s.results.clusters, { clusters: 3, predicted_pairs: 4, true_positive_pairs: 2,
    precision: 0.5, recall: 0.5, f1: 0.5, mixed_clusters: 1, twin_clusters: 1 });
  // exact name+dob: a1 = a2 once normalised (accents, apostrophes, spaces, d/m/y), c1 = c2
  const e = s.results['exact name+dob'];
  assert.equal(e.predicted_pairs, 2);
  assert.equal(e.true_positive_pairs, 2);
  assert.equal(e.recall, 0.5);
  assert.equal(e.twin_clusters, 0);
  // NHS number: a1 a2 c2 share one: 3 pairs, 1 true
  const n = s.results['NHS number'];
  assert.equal(n.predicted_pairs, 3);
  assert.equal(n.true_positive_pairs, 1);
  assert.equal(n.mixed_clusters, 1);
});

test('a generated area: the truth as clusters scores 1; families as clusters join every pair of twins', () => {
  const area = path.join(dir, 'area');
  fs.mkdirSync(area);
  runCli(['gen', '--out', area, '--families', '300', '--seed', '7']);
  const rec = path.join(area, 'records.csv');
  const tru = path.join(area, 'truth.csv');
  const lines = fs.readFileSync(tru, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map((f) => f.replace(/"/g, '')));
  const byChild = path.join(dir, 'by-child.csv');
  const byFamily = path.join(dir, 'by-family.csv');
  fs.writeFileSync(byChild, 'record_id,cluster_id,match_probability\n' + lines.map((t) => `${t[0]},${t[1]},1\n`).join(''));
  fs.writeFileSync(byFamily, 'record_id,cluster_id,match_probability\n' + lines.map((t) => `${t[0]},${t[2]},1\n`).join(''));
  const perfect = score(rec, tru, byChild);
  assert.ok(perfect.records > 1000 && perfect.true_pairs > 0);
  assert.equal(perfect.results.clusters.precision, 1);
  assert.equal(perfect.results.clusters.recall, 1);
  assert.equal(perfect.results.clusters.clusters, perfect.children);
  assert.equal(perfect.results.clusters.mixed_clusters, 0);
  assert.ok(perfect.twin_children >= 2, 'the generator makes twins in 300 families');
  // the baselines miss links (recall well under 1) but the NHS number links nobody wrongly
  assert.ok(perfect.results['exact name+dob'].recall < 0.9);
  assert.ok(perfect.results['NHS number'].recall < 0.5);
  assert.equal(perfect.results['NHS number'].precision, 1);
  const fam = score(rec, tru, byFamily);
  assert.equal(fam.results.clusters.recall, 1);
  assert.ok(fam.results.clusters.precision < 1);
  // each family with twins is one cluster joining them (twins come in pairs, one pair per family at most)
  assert.equal(fam.results.clusters.twin_clusters, fam.twin_children / 2);
});
