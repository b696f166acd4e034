#!/usr/bin/env node
// Lone records without an identifier, read against the component their best pair reaches (issue 16,
// Round 32a). A "lone" record is one the clustering left alone (a cluster of one) carrying neither an NHS
// number nor a UPN as written. For each, its best candidate pair (the pairs file of the same dedupe run)
// names a component A; the record is counted as if it joined A: true pairs = A's records of the record's
// own child, false pairs = A's other records (a record whose child has no other record adds only false
// ones). So each table says what a rule that joined such records would buy and cost, against the link
// policy's 99 true pairs a false one.
//
//   node bench/linkage/lone_band.mjs --records R --truth T --clusters C --pairs P [--model M.json]
//       [--link 0.99] [--review 0.5] [--top 30] [--examples N --only TEXT]
//
// Tables: (1) lone records by the best pair's fate; (2) those whose best pair is between the thresholds
// (the review band), by the best pair's given / family / date levels; (3) the review band read collectively
// (the record against its whole component, not its best pair; other components it reaches; the best pair's
// weight); (4) with --model (`safeguard link train` on the same records): every field's m replaced by the
// share of the truth's compared pairs at each level (an oracle no rule can have), how many lone records'
// best pairs would then cross the link threshold. --examples prints N review-band records (whose levels
// contain --only) with their component. Only node's built-in modules; the pairs file is read in blocks.
import fs from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { split, table } from './csv.mjs';

const a = { records: null, truth: null, clusters: null, pairs: null, model: null, link: '0.99', review: '0.5', top: '30', examples: '0', only: '' };
for (let i = 2; i < process.argv.length; i++) {
  const k = process.argv[i].replace(/^--/, '');
  if (!(k in a) || i + 1 >= process.argv.length) { console.error(`lone_band: bad argument ${process.argv[i]}`); process.exit(2); }
  a[k] = process.argv[++i];
}
if (!a.records || !a.truth || !a.clusters || !a.pairs) {
  console.error('usage: node bench/linkage/lone_band.mjs --records R --truth T --clusters C --pairs P [--model M]');
  process.exit(2);
}
const odds = (p) => Math.log2(p / (1 - p));
const LINK = odds(+a.link), REVIEW = odds(+a.review);
const FIELDS = ['given_name', 'family_name', 'middle_names', 'dob', 'sex', 'postcode', 'address', 'nhs_number', 'upn'];

const recs = table(a.records);
const byId = new Map(recs.map((r) => [r.record_id, r]));
for (const t of table(a.truth)) Object.assign(byId.get(t.record_id), { child: t.child_id });
const members = new Map();
for (const c of table(a.clusters)) {
  const r = byId.get(c.record_id);
  r.cluster = c.cluster_id;
  if (!members.has(c.cluster_id)) members.set(c.cluster_id, []);
  members.get(c.cluster_id).push(r);
}
const lone = (r) => members.get(r.cluster).length === 1 && !r.nhs_number && !r.upn;

// One pass over the pairs: every pair of a lone record; level counts over the compared true pairs.
const pairsOf = new Map();
const trueLevels = new Map();
let trueCompared = 0;
let head = null;
{
  const fd = fs.openSync(a.pairs, 'r');
  const buf = Buffer.alloc(1 << 24);
  const dec = new StringDecoder('utf8'); // a character cut by a block's end waits for the next block
  let rest = '';
  for (let n; (n = fs.readSync(fd, buf, 0, buf.length, null)) > 0;) {
    const s = rest + dec.write(buf.subarray(0, n));
    let i = 0;
    for (let j; (j = s.indexOf('\n', i)) >= 0; i = j + 1) {
      const line = s.slice(i, j);
      if (!head) { head = split(line); continue; }
      // the two record ids first (quoted by dedupe), the whole line split only when it is kept
      const q1 = line.indexOf('"', 1), q2 = line.indexOf('"', q1 + 3);
      const ra = byId.get(line.slice(1, q1)), rb = byId.get(line.slice(q1 + 3, q2));
      const same = ra.child === rb.child;
      if (!same && !lone(ra) && !lone(rb)) continue;
      const f = split(line);
      if (same) {
        trueCompared++;
        for (const fl of FIELDS) { const k = `${fl}:${f[head.indexOf(fl + '_level')]}`; trueLevels.set(k, (trueLevels.get(k) || 0) + 1); }
      }
      if (!lone(ra) && !lone(rb)) continue;
      const o = Object.fromEntries(head.map((h, k) => [h, f[k]]));
      o.w = +o.match_weight;
      for (const [x, y] of [[ra, rb], [rb, ra]]) if (lone(x)) {
        if (!pairsOf.has(x.record_id)) pairsOf.set(x.record_id, []);
        pairsOf.get(x.record_id).push({ ...o, other: y });
      }
    }
    rest = s.slice(i);
  }
  fs.closeSync(fd);
}

const band = (w) => (w >= LINK ? '>= link' : w >= REVIEW ? 'review band' : 'below review');
const rows = [];
for (const [id, ps] of pairsOf) {
  const x = byId.get(id);
  ps.sort((p, q) => q.w - p.w);
  const best = ps[0];
  const A = members.get(best.other.cluster);
  const tp = A.filter((m) => m.child === x.child).length;
  const inA = ps.filter((p) => p.other.cluster === best.other.cluster);
  let composite = +best.prior_weight; // each field at its best level over A's records
  for (const fl of FIELDS) composite += Math.max(...inA.map((p) => +p[fl + '_weight']));
  const others = ps.filter((p) => p.other.cluster !== best.other.cluster);
  rows.push({
    x, best, tp, fp: A.length - tp, size: A.length, composite,
    fate: best.decision === 'link' ? 'link accepted, held in clustering' : best.not_linked_because ? `refused ${best.not_linked_because}, ${band(best.w)}` : best.decision,
    levels: `${best.given_name_level}/${best.family_name_level}/${best.dob_level}`,
    aboveReviewInA: inA.filter((p) => p.w >= REVIEW).length,
    otherInBand: others.some((p) => p.w >= REVIEW),
    second: others.length ? others[0].w : -Infinity,
  });
}

const sum = (rs) => {
  const tp = rs.reduce((s, q) => s + q.tp, 0), fp = rs.reduce((s, q) => s + q.fp, 0);
  const own = rs.filter((q) => q.tp > 0).length;
  return [rs.length, tp, fp, fp ? (tp / fp).toFixed(1) : '-', rs.length ? (own / rs.length).toFixed(3) : '-'];
};
const print = (title, groups) => {
  console.log(`\n${title}\n| | lone records | true pairs if joined | false pairs | true per false | records of A's child |\n|---|---|---|---|---|---|`);
  for (const [k, rs] of groups) console.log(`| ${k} | ${sum(rs).join(' | ')} |`);
};
const groupBy = (rs, key) => {
  const m = new Map();
  for (const q of rs) { const k = key(q); if (!m.has(k)) m.set(k, []); m.get(k).push(q); }
  return [...m].sort((p, q) => sum(q[1])[1] - sum(p[1])[1]);
};

console.log(`${rows.length} lone records without an identifier with a candidate pair; link threshold ${LINK.toFixed(2)} bits, review ${REVIEW.toFixed(2)}`);
print('(1) by the best pair\'s fate', groupBy(rows, (q) => q.fate));
const rb = rows.filter((q) => q.best.w >= REVIEW && q.best.w < LINK && q.best.decision === 'review');
print('(2) review band, by the best pair\'s given / family / date levels', [['all', rb], ...groupBy(rb, (q) => q.levels).slice(0, +a.top)]);
const typo = (q) => !q.levels.startsWith('exact/exact/');
const dobExact = (q) => q.best.dob_level === 'exact';
print('(3) review band read collectively', [
  ['all', rb],
  ['each field at its best level over the component (composite) >= link', rb.filter((q) => q.composite >= LINK)],
  ['no pair at or above review with another component', rb.filter((q) => !q.otherInBand)],
  ['every record of the component pairs at or above review (2+ records)', rb.filter((q) => q.size >= 2 && q.aboveReviewInA === q.size)],
  ['3+ records of the component pair at or above review', rb.filter((q) => q.aboveReviewInA >= 3)],
  ['best outweighs every other component by the link odds', rb.filter((q) => q.best.w - q.second >= LINK)],
  ['names not both exact, date exact', rb.filter((q) => typo(q) && dobExact(q))],
  ['  the same, no other component at or above review', rb.filter((q) => typo(q) && dobExact(q) && !q.otherInBand)],
  ['  the same, best pair >= link - 1.63 bits (5 bits at 0.99)', rb.filter((q) => typo(q) && dobExact(q) && !q.otherInBand && q.best.w >= LINK - 1.63)],
  ['names both exact', rb.filter((q) => !typo(q))],
  ...[1, 2, 3, 4, 5, 6].map((t) => [`best pair >= ${t} bits`, rb.filter((q) => q.best.w >= t)]),
]);

if (a.model) {
  const model = JSON.parse(fs.readFileSync(a.model, 'utf8'));
  const delta = {};
  for (const fl of FIELDS) {
    if (!model.fields[fl]) continue;
    let tot = 0;
    for (const lv of Object.keys(model.fields[fl])) tot += trueLevels.get(`${fl}:${lv}`) || 0;
    delta[fl] = {};
    for (const lv of Object.keys(model.fields[fl])) {
      const share = Math.max(trueLevels.get(`${fl}:${lv}`) || 0, 0.5) / Math.max(tot, 1);
      delta[fl][lv] = Math.log2(share / model.fields[fl][lv].m);
    }
  }
  console.log(`\n(4) m from the truth (${trueCompared} compared true pairs) against the model's, bits per level:`);
  for (const [fl, d] of Object.entries(delta)) console.log(`  ${fl}: ${Object.entries(d).map(([lv, v]) => `${lv} ${v >= 0 ? '+' : ''}${v.toFixed(2)}`).join(', ')}`);
  const crossed = [];
  for (const q of rows) {
    if (q.best.w >= LINK) continue;
    let bw = -Infinity, by = null;
    for (const p of pairsOf.get(q.x.record_id)) {
      if (p.not_linked_because) continue; // a refused pair stays refused
      let w = p.w;
      for (const fl of Object.keys(delta)) w += delta[fl][p[fl + '_level']] ?? 0;
      if (w > bw) { bw = w; by = p.other; }
    }
    if (bw < LINK) continue;
    const A = members.get(by.cluster), tp = A.filter((m) => m.child === q.x.child).length;
    crossed.push({ tp, fp: A.length - tp });
  }
  print('(4) lone records whose best unrefused pair crosses the link threshold under the truth\'s m', [['all', crossed]]);
}

const show = (r) => `${r.source} [${r.given_name}|${r.middle_names}|${r.family_name}] ${r.dob} ${r.sex} ${r.postcode} ${r.address} nhs=${r.nhs_number} upn=${r.upn} child=${r.child}`;
let shown = 0;
for (const q of rb) {
  if (shown >= +a.examples) break;
  if (a.only && !`${q.levels}/${q.best.postcode_level}/${q.best.address_level}`.includes(a.only)) continue;
  shown++;
  console.log(`\n${q.best.w.toFixed(2)} bits, ${q.levels}, composite ${q.composite.toFixed(2)}, true ${q.tp} false ${q.fp}\n  x ${show(q.x)}`);
  for (const m of members.get(q.best.other.cluster).slice(0, 6)) console.log(`  A ${show(m)}`);
}
