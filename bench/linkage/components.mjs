#!/usr/bin/env node
// Is a merge of two components better judged from all their cross pairs? For every two predicted clusters
// with a candidate pair between them (the --pairs file of the same dedupe run), the cross pairs' weights;
// for those whose best cross pair is for review (between the thresholds, no refusal), the share that are
// one child (the two clusters' most common true children are one) by the number of cross pairs, with
// every cross pair in the review band or not, and by the cross pairs' evidence summed as if independent
// (prior + the sum of each pair's weight less the prior) against the link threshold's weight.
//
//   node bench/linkage/components.mjs --truth T --clusters C --pairs P [--link 0.99]
//
// Only node's built-in modules; the pairs file is read line by line.
import fs from 'node:fs';
import readline from 'node:readline';
import { split, table } from './csv.mjs';

const a = { truth: null, clusters: null, pairs: null, link: '0.99' };
for (let i = 2; i < process.argv.length; i++) {
  const k = process.argv[i].replace(/^--/, '');
  if (!(k in a)) { console.error(`components: unknown argument ${process.argv[i]}`); process.exit(2); }
  a[k] = process.argv[++i];
}
if (!a.truth || !a.clusters || !a.pairs) {
  console.error('usage: node bench/linkage/components.mjs --truth T --clusters C --pairs P [--link 0.99]');
  process.exit(2);
}
const linkW = Math.log2(Number(a.link) / (1 - Number(a.link)));
const child = new Map(table(a.truth).map((t) => [t.record_id, t.child_id]));
const cl = new Map();
const votes = new Map();
for (const c of table(a.clusters)) {
  cl.set(c.record_id, c.cluster_id);
  if (!votes.has(c.cluster_id)) votes.set(c.cluster_id, new Map());
  const v = votes.get(c.cluster_id);
  const ch = child.get(c.record_id);
  v.set(ch, (v.get(ch) ?? 0) + 1);
}
const main = new Map();
for (const [k, v] of votes) main.set(k, [...v].sort((x, y) => y[1] - x[1])[0][0]);

const cp = new Map();
let head = null;
let prior = 0;
for await (const line of readline.createInterface({ input: fs.createReadStream(a.pairs) })) {
  if (!line) continue;
  const f = split(line);
  if (!head) { head = Object.fromEntries(f.map((h, k) => [h, k])); continue; }
  const ca = cl.get(f[head.record_id_a]), cb = cl.get(f[head.record_id_b]);
  if (ca === cb) continue;
  const key = ca < cb ? `${ca}|${cb}` : `${cb}|${ca}`;
  const w = Number(f[head.match_weight]);
  prior = Number(f[head.prior_weight]);
  let e = cp.get(key);
  if (!e) cp.set(key, (e = { one: main.get(ca) === main.get(cb), ws: [], best: -Infinity, dec: '' }));
  e.ws.push(w);
  if (w > e.best) { e.best = w; e.dec = f[head.not_linked_because] ? 'refused' : f[head.decision]; }
}
const rows = [...cp.values()].filter((e) => e.dec === 'review');
const share = (xs) => xs.length ? `${String(xs.length).padStart(6)} ${(xs.filter((e) => e.one).length / xs.length).toFixed(3).padStart(6)}` : `${'0'.padStart(6)}      -`;
console.log(`${cp.size} pairs of clusters with a candidate pair between them; ${rows.length} whose best cross pair is for review`);
console.log('\ncross pairs   all: n  one child   every cross pair in the review band: n  one child');
for (let n = 1; n <= 6; n++) {
  const g = rows.filter((e) => (n < 6 ? e.ws.length === n : e.ws.length >= n));
  console.log(`  ${(n < 6 ? String(n) : '6+').padEnd(10)} ${share(g)}        ${share(g.filter((e) => e.ws.every((w) => w >= 0)))}`);
}
const sum = (e) => prior + e.ws.reduce((s, w) => s + (w - prior), 0);
const two = rows.filter((e) => e.ws.length >= 2);
console.log(`\ntwo or more cross pairs, evidence summed as if independent (link threshold ${linkW.toFixed(2)} bits):`);
console.log(`  at or above it ${share(two.filter((e) => sum(e) >= linkW))}`);
console.log(`  below it       ${share(two.filter((e) => sum(e) < linkW))}`);
