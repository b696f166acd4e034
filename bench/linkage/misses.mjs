#!/usr/bin/env node
// Why are the missed pairs missed? For every true child whose records fall in two or more predicted
// clusters, each pair of its pieces (a piece: its records in one predicted cluster) is one "split"; the
// pairs of records it loses are |piece i| x |piece j|. Each split is put down to:
//   - how the strongest candidate pair between the two pieces fared (pairs.csv of the same dedupe run):
//       no candidate   blocking never compared any record of one piece with any of the other;
//       distinct       the best pair scored below the review threshold;
//       review         the best pair scored between review and link;
//       refused:R B    no pair between the pieces was a link and a pairwise rule R refused the best one,
//                      whose probability lies in band B (">= link", "review band", "below review"; in the
//                      batch a "twins" pair at the link threshold goes on to clustering, which judges it);
//       cluster        a pair between the pieces was an accepted link but clustering kept them apart;
//   - the error tags (truth.csv `errors`) carried by the records of the smaller piece (a split may carry
//     several; each is counted);
//   - the given-name, family-name and date-of-birth levels of that best pair.
//
//   node bench/linkage/misses.mjs --records R --truth T --clusters C --pairs P [--examples N [--only TEXT]]
//   [--link P --review P: the thresholds of the run, 0.99 and 0.5 by default]
//   (--only: examples whose fate and given/family/dob levels, as "cluster exact/exact/exact", contain TEXT)
//
// Only node's built-in modules are used; the pairs file is read line by line and only pairs between two
// records of one child in two clusters are kept.
import fs from 'node:fs';
import readline from 'node:readline';
import { split, table } from './csv.mjs';

const a = { records: null, truth: null, clusters: null, pairs: null, examples: '0', only: '', link: '0.99', review: '0.5' };
for (let i = 2; i < process.argv.length; i++) {
  const k = process.argv[i].replace(/^--/, '');
  if (!(k in a)) { console.error(`misses: unknown argument ${process.argv[i]}`); process.exit(2); }
  a[k] = process.argv[++i];
}
if (!a.records || !a.truth || !a.clusters || !a.pairs) {
  console.error('usage: node bench/linkage/misses.mjs --records R --truth T --clusters C --pairs P [--examples N]');
  process.exit(2);
}

const recs = table(a.records);
const byId = new Map(recs.map((r) => [r.record_id, r]));
for (const t of table(a.truth)) Object.assign(byId.get(t.record_id), { child: t.child_id, errors: t.errors });
for (const c of table(a.clusters)) byId.get(c.record_id).cluster = c.cluster_id;

// children -> pieces
const pieces = new Map();
for (const r of recs) {
  if (!pieces.has(r.child)) pieces.set(r.child, new Map());
  const m = pieces.get(r.child);
  if (!m.has(r.cluster)) m.set(r.cluster, []);
  m.get(r.cluster).push(r);
}
let truePairs = 0;
const splits = [];
const splitOf = new Map(); // "ida|idb" -> split
for (const [child, m] of pieces) {
  let n = 0;
  for (const p of m.values()) n += p.length;
  truePairs += (n * (n - 1)) / 2;
  if (m.size < 2) continue;
  const ps = [...m.values()].sort((x, y) => y.length - x.length);
  for (let i = 0; i < ps.length; i++) {
    for (let j = i + 1; j < ps.length; j++) {
      const s = { child, big: ps[i], small: ps[j], lost: ps[i].length * ps[j].length, best: null };
      splits.push(s);
      for (const x of ps[i]) for (const y of ps[j]) {
        splitOf.set(`${x.record_id}|${y.record_id}`, s);
        splitOf.set(`${y.record_id}|${x.record_id}`, s);
      }
    }
  }
}

const rl = readline.createInterface({ input: fs.createReadStream(a.pairs), crlfDelay: Infinity });
let head = null;
for await (const line of rl) {
  if (!head) { head = split(line); continue; }
  const q1 = line.indexOf('"', 1);
  const q2 = line.indexOf('"', q1 + 3);
  const key = `${line.slice(1, q1)}|${line.slice(q1 + 3, q2)}`;
  const s = splitOf.get(key);
  if (!s) continue;
  const f = split(line);
  const row = Object.fromEntries(head.map((h, k) => [h, f[k]]));
  row.w = Number(row.match_weight);
  if (!s.best || row.w > s.best.w) s.best = row;
  if (row.decision === 'link') s.linked = true;
}

function fate(s) {
  if (!s.best) return 'no candidate';
  // The pairs file's decision is the pairwise one (linkage_score): a refused pair reads "distinct" whatever
  // its weight. A split with any accepted link between its pieces was kept apart by clustering; otherwise a
  // refused best pair is named by its rule and by where its probability falls (at or above the link
  // threshold the batch lets a "twins" pair through to clustering, which judges it).
  if (s.linked) return 'cluster';
  if (s.best.not_linked_because)
    return `refused:${s.best.not_linked_because} ${Number(s.best.match_probability) >= Number(a.link) ? '>= link' :
      Number(s.best.match_probability) >= Number(a.review) ? 'review band' : 'below review'}`;
  return s.best.decision;
}

const lost = splits.reduce((t, s) => t + s.lost, 0);
const tally = (keyf) => {
  const t = new Map();
  for (const s of splits) for (const k of keyf(s)) {
    const e = t.get(k) || { splits: 0, pairs: 0 };
    e.splits++;
    e.pairs += s.lost;
    t.set(k, e);
  }
  return [...t].sort((x, y) => y[1].pairs - x[1].pairs);
};
const pct = (x) => `${((100 * x) / truePairs).toFixed(2)}%`.padStart(7);
const show = (title, rows, lim = 40) => {
  console.log(`\n${title}`);
  console.log(`  ${'splits'.padStart(6)} ${'pairs'.padStart(7)} ${'of true'.padStart(7)}  what`);
  for (const [k, e] of rows.slice(0, lim)) console.log(`  ${String(e.splits).padStart(6)} ${String(e.pairs).padStart(7)} ${pct(e.pairs)}  ${k}`);
};

console.log(`${truePairs} true pairs, ${lost} missed (recall ${(1 - lost / truePairs).toFixed(4)}), ${splits.length} splits`);
show('by fate of the best pair between the pieces', tally((s) => [fate(s)]));
const tags = (s) => {
  const t = new Set();
  for (const r of s.small) for (const e of (r.errors || '').split('+')) if (e) t.add(e);
  return t.size ? [...t] : ['(none)'];
};
show('by error tags of the smaller piece (a split may count under several)', tally(tags));
show('by fate x tag', tally((s) => tags(s).map((t) => `${fate(s)} / ${t}`)), 30);
show('by levels of the best pair (given / family / dob)', tally((s) => [s.best ?
  `${s.best.given_name_level} / ${s.best.family_name_level} / ${s.best.dob_level}` : 'no candidate']), 30);

for (const f of ['distinct', 'review'])
  show(`scored ${f}: by the best pair's levels (given / family / middle / dob / sex / postcode / address / nhs / upn)`,
    tally((s) => fate(s) === f ? [['given_name', 'family_name', 'middle_names', 'dob', 'sex', 'postcode', 'address', 'nhs_number', 'upn']
      .map((k) => s.best[`${k}_level`]).join(' / ')] : []), 25);
for (const f of ['distinct', 'review'])
  show(`scored ${f}: by field, the best pair's level when it is below the field's strongest (a split counts under each)`,
    tally((s) => fate(s) === f ? ['given_name', 'family_name', 'middle_names', 'dob', 'sex', 'postcode', 'address', 'nhs_number', 'upn']
      .filter((k) => !['exact', 'equal', 'full', 'equal_valid', 'missing'].includes(s.best[`${k}_level`]))
      .map((k) => `${k} ${s.best[`${k}_level`]}`) : []), 30);

show('links accepted but kept apart by clustering, by levels of the best pair (given / middle / sex) and the smaller piece\'s size',
  tally((s) => fate(s) === 'cluster' ? [`${s.best.given_name_level} / ${s.best.middle_names_level} / ${s.best.sex_level} / ` +
    `${s.small.length > 3 ? '4+' : s.small.length} record(s)`] : []), 30);

const nEx = Number(a.examples);
const byCluster = new Map();
if (nEx > 0) for (const r of recs) {
  if (!byCluster.has(r.cluster)) byCluster.set(r.cluster, []);
  byCluster.get(r.cluster).push(r);
}
if (nEx > 0) {
  console.log(`\nlargest ${nEx} splits`);
  const only = (s) => !a.only || `${fate(s)} ${s.best ? `${s.best.given_name_level}/${s.best.family_name_level}/${s.best.dob_level}` : ''}`.includes(a.only);
  for (const s of [...splits].filter(only).sort((x, y) => y.lost - x.lost).slice(0, nEx)) {
    console.log(`-- child ${s.child}: ${s.lost} pairs lost; ${fate(s)}` + (s.best ? ` (best w ${s.best.match_weight}: given ` +
      `${s.best.given_name_level} family ${s.best.family_name_level} middle ${s.best.middle_names_level} dob ` +
      `${s.best.dob_level} sex ${s.best.sex_level} pc ${s.best.postcode_level} nhs ${s.best.nhs_number_level} ` +
      `upn ${s.best.upn_level})` : ''));
    for (const [lab, p] of [['big', s.big], ['small', s.small]])
      for (const r of [...p.slice(0, 6), ...(byCluster.get(p[0].cluster) || []).filter((x) => x.child !== s.child).slice(0, 4)])
        console.log(`   ${(r.child === s.child ? lab : `${lab}*${r.child}`).padEnd(12)} ${r.record_id.padStart(7)} ${r.source.padEnd(18)} ${r.given_name} | ${r.middle_names} | ` +
          `${r.family_name} | ${r.dob} | ${r.sex} | ${r.postcode} | nhs ${r.nhs_number || '-'} upn ${r.upn || '-'} | ${r.errors || '-'}`);
  }
}
