#!/usr/bin/env node
// Does the fitted model track the data? Two tables from one dedupe run's pairs file and the truth:
//   1. per field and level, the fitted m (MODEL.json from `safeguard link train` on the same records)
//      against the level's share among the true pairs that blocking found (missing levels left out);
//   2. per band of match weight, the model's mean posterior against the share of pairs of one child,
//      and, from the top down, the model's expected precision against the true share (before refusals).
//
//   node bench/linkage/calib.mjs --truth T --pairs P --model M
//
// Only node's built-in modules; the pairs file is read line by line and only counts are kept (a million's
// pairs file of several GB is fine).
import fs from 'node:fs';
import readline from 'node:readline';
import { split, table } from './csv.mjs';

const a = { truth: null, pairs: null, model: null };
for (let i = 2; i < process.argv.length; i++) {
  const k = process.argv[i].replace(/^--/, '');
  if (!(k in a)) { console.error(`calib: unknown argument ${process.argv[i]}`); process.exit(2); }
  a[k] = process.argv[++i];
}
if (!a.truth || !a.pairs || !a.model) {
  console.error('usage: node bench/linkage/calib.mjs --truth T --pairs P --model M');
  process.exit(2);
}
const child = new Map(table(a.truth).map((r) => [r.record_id, r.child_id]));
const fields = JSON.parse(fs.readFileSync(a.model, 'utf8')).fields;
const count = Object.fromEntries(Object.keys(fields).map((f) => [f, {}]));
const bands = [-Infinity, -5, 0, 2, 4, 5, 6.64, 8, 10, 14, Infinity];
const band = bands.slice(1).map(() => ({ n: 0, p: 0, same: 0 }));
let nPairs = 0;
let head = null;
let nTrue = 0;
for await (const line of readline.createInterface({ input: fs.createReadStream(a.pairs) })) {
  if (!line) continue;
  const f = split(line);
  if (!head) { head = Object.fromEntries(f.map((h, k) => [h, k])); continue; }
  const w = Number(f[head.match_weight]), p = Number(f[head.match_probability]);
  const same = child.get(f[head.record_id_a]) === child.get(f[head.record_id_b]);
  const b = band[bands.findIndex((x, k) => w >= x && w < bands[k + 1])];
  b.n++; b.p += p; b.same += same;
  nPairs++;
  if (!same) continue;
  nTrue++;
  for (const fld of Object.keys(fields)) {
    const l = f[head[`${fld}_level`]];
    count[fld][l] = (count[fld][l] ?? 0) + 1;
  }
}
console.log(`${nPairs} candidate pairs, ${nTrue} of one child\n\nfitted m / share among true candidate pairs (missing left out)`);
for (const [fld, lv] of Object.entries(fields)) {
  const tot = Object.entries(count[fld]).reduce((s, [l, v]) => s + (l === 'missing' ? 0 : v), 0) || 1;
  const cells = Object.entries(lv).filter(([l, v]) => l !== 'missing' && (v.m > 0.003 || (count[fld][l] ?? 0) / tot > 0.003))
    .map(([l, v]) => `${l} ${v.m.toFixed(3)}/${((count[fld][l] ?? 0) / tot).toFixed(3)}`);
  console.log(`  ${fld}: ${cells.join('  ')}`);
}
console.log('\nweight band       pairs  model mean p  share of one child');
band.forEach((b, k) => { if (b.n) console.log(`  [${bands[k]}, ${bands[k + 1]})`.padEnd(18) + `${String(b.n).padStart(7)}  ${(b.p / b.n).toFixed(4).padStart(12)}  ${(b.same / b.n).toFixed(4).padStart(18)}`); });
console.log('\nfrom the top: weight >=   pairs  model expected precision  share of one child');
let n = 0, sp = 0, ss = 0;
for (let k = band.length - 1; k >= 1; k--) {
  n += band[k].n; sp += band[k].p; ss += band[k].same;
  if (n) console.log(`  ${String(bands[k]).padStart(20)}  ${String(n).padStart(7)}  ${(sp / n).toFixed(4).padStart(24)}  ${(ss / n).toFixed(4).padStart(18)}`);
}
