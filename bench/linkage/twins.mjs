#!/usr/bin/env node
// Lists the predicted clusters that join two twins (children of one family with one true date of birth, as
// bench/linkage/score.mjs defines them): every record of such a cluster with its true child, names, date
// of birth, identifiers and the errors the generator put in it (truth.csv), and, given the --pairs file of
// the same dedupe run, the accepted links inside the cluster between records of different children (the
// links that joined the twins), with each field's level.
//
//   node bench/linkage/twins.mjs --records records.csv --truth truth.csv --clusters clusters.csv [--pairs pairs.csv]
//
// The pairs file of a million records is several GB: it is read line by line and only rows whose two
// records lie in a twin-joining cluster are kept. Only node's built-in modules are used.
import fs from 'node:fs';
import readline from 'node:readline';
import { split, table } from './csv.mjs';

const a = { records: null, truth: null, clusters: null, pairs: null };
for (let i = 2; i < process.argv.length; i++) {
  const k = process.argv[i].replace(/^--/, '');
  if (!(k in a)) { console.error(`twins: unknown argument ${process.argv[i]}`); process.exit(2); }
  a[k] = process.argv[++i];
}
if (!a.records || !a.truth || !a.clusters) {
  console.error('usage: node bench/linkage/twins.mjs --records R --truth T --clusters C [--pairs P]');
  process.exit(2);
}

const recs = table(a.records);
const byId = new Map(recs.map((r) => [r.record_id, r]));
for (const t of table(a.truth))
  Object.assign(byId.get(t.record_id), { child: t.child_id, family: t.family_id, errors: t.errors, true_dob: t.true_dob });
for (const c of table(a.clusters)) Object.assign(byId.get(c.record_id), { cluster: c.cluster_id, p: c.match_probability });

const normDob = (s) => { const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(s); return m ? `${m[3]}-${m[2]}-${m[1]}` : s; };
const trueDob = new Map();
const familyOf = new Map();
for (const r of recs) {
  familyOf.set(r.child, r.family);
  if (r.true_dob !== undefined) { if (r.true_dob) trueDob.set(r.child, r.true_dob); }
  else if (r.dob && !/\bdob_(swap|off)\b/.test(r.errors) && !trueDob.has(r.child)) trueDob.set(r.child, normDob(r.dob));
}
const perKey = new Map();
for (const [c, d] of trueDob) {
  const k = `${familyOf.get(c)}|${d}`;
  if (!perKey.has(k)) perKey.set(k, []);
  perKey.get(k).push(c);
}
const twinOf = new Map();
for (const [k, cs] of perKey) if (cs.length > 1) for (const c of cs) twinOf.set(c, k);

const clusters = new Map();
for (const r of recs) {
  if (!clusters.has(r.cluster)) clusters.set(r.cluster, []);
  clusters.get(r.cluster).push(r);
}
const bad = [];
for (const [id, rs] of clusters) {
  const seen = new Map();
  let joins = false;
  for (const c of new Set(rs.map((r) => r.child))) {
    const k = twinOf.get(c);
    if (k === undefined) continue;
    if (seen.has(k)) joins = true;
    seen.set(k, c);
  }
  if (joins) bad.push(id);
}

const inBad = new Map();
for (const id of bad) for (const r of clusters.get(id)) inBad.set(r.record_id, id);
const links = new Map(bad.map((id) => [id, []]));
if (a.pairs) {
  const rl = readline.createInterface({ input: fs.createReadStream(a.pairs), crlfDelay: Infinity });
  let head = null;
  for await (const line of rl) {
    if (!head) { head = split(line); continue; }
    const q1 = line.indexOf('"', 1);
    const ida = line.slice(1, q1);
    if (!inBad.has(ida)) continue;
    const f = split(line);
    const row = Object.fromEntries(head.map((h, k) => [h, f[k]]));
    const c = inBad.get(row.record_id_a);
    if (c === undefined || inBad.get(row.record_id_b) !== c) continue;
    if (byId.get(row.record_id_a).child === byId.get(row.record_id_b).child) continue;
    links.get(c).push(row);
  }
}

console.log(`${bad.length} clusters join twins`);
for (const id of bad) {
  console.log(`\n== cluster ${id} ==`);
  for (const r of clusters.get(id))
    console.log(`  ${r.record_id.padStart(8)} child ${r.child.padStart(7)} ${r.source.padEnd(10)} ` +
      `${r.given_name} | ${r.middle_names} | ${r.family_name} | ${r.dob} | ${r.sex} | ${r.postcode} | ` +
      `nhs ${r.nhs_number || '-'} upn ${r.upn || '-'} | p ${r.p} | errors: ${r.errors || '-'}`);
  for (const p of links.get(id))
    console.log(`  pair ${p.record_id_a}-${p.record_id_b} w ${p.match_weight} ${p.decision}` +
      `${p.not_linked_because ? ` (${p.not_linked_because})` : ''}: given ${p.given_name_level} ` +
      `family ${p.family_name_level} middle ${p.middle_names_level} dob ${p.dob_level} sex ${p.sex_level} ` +
      `pc ${p.postcode_level} addr ${p.address_level} nhs ${p.nhs_number_level} upn ${p.upn_level}`);
}
