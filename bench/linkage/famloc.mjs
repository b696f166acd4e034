#!/usr/bin/env node
// Pairwise effect of a joint level for family name and postcode (docs/BENCHMARKS.md, "Round 15"): the pairs
// file's weights shifted as a joint level would shift them, then each pair decided again at the same
// thresholds (link at probability 0.99, review at 0.5: weights log2(99) and 0). A pair with the postcode
// equal gets -log2(RU) + log2(RM) when the family names are equal, -log2(RUN) + log2(RMN) when not, with the
// ratios of joint to product that bench/linkage/location_joint.c prints (u: random pairs; m: one child's).
// Refused pairs stay distinct. Prints the decisions of true (T) and false (F) pairs before and after.
//   node bench/linkage/famloc.mjs truth.csv pairs.csv RU RM RUN RMN
import fs from 'node:fs';
import readline from 'node:readline';

const [truthF, pairsF, ru, rm, run, rmn] = process.argv.slice(2);
if (!rmn) {
  console.error('usage: famloc.mjs truth.csv pairs.csv RU RM RUN RMN');
  process.exit(2);
}
const child = new Map();
for (const line of fs.readFileSync(truthF, 'utf8').split('\n').slice(1)) {
  if (!line) continue;
  const f = line.split(',');
  child.set(f[0].replace(/"/g, ''), f[1].replace(/"/g, ''));
}
const rl = readline.createInterface({ input: fs.createReadStream(pairsF) });
let hdr = null;
const c = { before: {}, after: {} };
const inc = (o, k) => { o[k] = (o[k] || 0) + 1; };
const link = Math.log2(99);
for await (const line of rl) {
  if (!hdr) { hdr = line.split(','); continue; }
  // record ids are quoted numbers; blocking_rules are joined by '|': no field holds a comma
  const f = line.split(',');
  const a = f[0].replace(/"/g, ''), b = f[1].replace(/"/g, '');
  const t = child.get(a) === child.get(b) ? 'T' : 'F';
  const w = +f[2], dec = f[4], why = f[5];
  const fam = f[hdr.indexOf('family_name_level')], pc = f[hdr.indexOf('postcode_level')];
  let w2 = w;
  if (pc === 'full') w2 += fam === 'exact' ? -Math.log2(+ru) + Math.log2(+rm) : -Math.log2(+run) + Math.log2(+rmn);
  const d2 = why ? 'distinct' : w2 >= link ? 'link' : w2 >= 0 ? 'review' : 'distinct';
  inc(c.before, t + dec);
  inc(c.after, t + d2);
}
console.log(JSON.stringify(c));
