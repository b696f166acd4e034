#!/usr/bin/env node
// What does a clustering refusal such as `own_ids` refuse? Two runs of `safeguard link dedupe` on one file,
// with the rule (--with) and without it (--without, `--refuse -own_ids`): every pair of with-clusters that the
// without-run joins is one "merge". For the merges between two pieces of two or more records, each holding an
// identifier (the pieces `own_ids` judges), it prints whether the merge is right (the pieces share a true
// child) or wrong, the identifier schemes on each side (N: an NHS number, U: a UPN), each side's sources, and
// p1: the chance under "one child" that each side shows none of the scheme the other side shows, from each
// source's share of records carrying that scheme in this file (the product over the side's records of
// 1 - share). Under "two children" a side lacking the other's scheme has the same chance (the second child's
// own number is as often missing), so p1 is also the likelihood ratio's numerator alone: the question is only
// whether it separates the two kinds of merge. With --pairs (the with-run's pairs file), the given-name level
// of the strongest pair between the two pieces.
//
//   node bench/linkage/ownids.mjs --records R --truth T --with C1 --without C2 [--pairs P] [--list 1]
//
// An identifier is counted when it is well formed: an NHS number of ten digits whose check digit is right
// (modulus 11), a UPN of a letter, eleven digits and a digit or letter (the check letter is not tested).
import fs from 'node:fs';
import readline from 'node:readline';
import { split, table } from './csv.mjs';

const a = { records: null, truth: null, with: null, without: null, pairs: null, list: '0' };
for (let i = 2; i < process.argv.length; i++) {
  const k = process.argv[i].replace(/^--/, '');
  if (!(k in a)) { console.error(`ownids: unknown argument ${process.argv[i]}`); process.exit(2); }
  a[k] = process.argv[++i];
}
if (!a.records || !a.truth || !a.with || !a.without) {
  console.error('usage: node bench/linkage/ownids.mjs --records R --truth T --with C1 --without C2 [--pairs P] [--list 1]');
  process.exit(2);
}

const nhsOk = (s) => {
  const d = s.replace(/\s/g, '');
  if (!/^\d{10}$/.test(d)) return false;
  let t = 0;
  for (let i = 0; i < 9; i++) t += Number(d[i]) * (10 - i);
  const c = (11 - (t % 11)) % 11;
  return c !== 10 && c === Number(d[9]);
};
const upnOk = (s) => /^[A-Z]\d{11}[0-9A-Z]$/.test(s.replace(/\s/g, '').toUpperCase());

const byId = new Map();
const src = new Map(); // source -> { k, n, u }
for (const r of table(a.records)) {
  r.n = nhsOk(r.nhs_number);
  r.u = upnOk(r.upn);
  byId.set(r.record_id, r);
  if (!src.has(r.source)) src.set(r.source, { k: 0, n: 0, u: 0 });
  const s = src.get(r.source);
  s.k++;
  if (r.n) s.n++;
  if (r.u) s.u++;
}
for (const t of table(a.truth)) byId.get(t.record_id).child = t.child_id;
const withC = new Map(table(a.with).map((c) => [c.record_id, c.cluster_id]));
const groups = new Map(); // without-cluster -> with-cluster -> [records]
for (const c of table(a.without)) {
  if (!groups.has(c.cluster_id)) groups.set(c.cluster_id, new Map());
  const g = groups.get(c.cluster_id), w = withC.get(c.record_id);
  if (!g.has(w)) g.set(w, []);
  g.get(w).push(byId.get(c.record_id));
}

const absent = (rs, scheme) => rs.reduce((p, r) => p * (1 - src.get(r.source)[scheme] / src.get(r.source).k), 1);
const code = (rs) => (rs.some((r) => r.n) ? 'N' : '') + (rs.some((r) => r.u) ? 'U' : '');
const merges = [];
for (const g of groups.values()) {
  const ps = [...g.values()];
  for (let i = 0; i < ps.length; i++)
    for (let j = i + 1; j < ps.length; j++) {
      const A = ps[i], B = ps[j], ca = code(A), cb = code(B);
      if (A.length < 2 || B.length < 2 || !ca || !cb) continue;
      const kids = new Set(A.map((r) => r.child));
      const right = B.some((r) => kids.has(r.child));
      let p1 = 1;
      for (const [x, y] of [[A, B], [B, A]]) {
        if (x.some((r) => r.n) && !y.some((r) => r.n)) p1 *= absent(y, 'n');
        if (x.some((r) => r.u) && !y.some((r) => r.u)) p1 *= absent(y, 'u');
      }
      merges.push({ A, B, ca, cb, right, p1, pairs: A.length * B.length, level: '' });
    }
}

if (a.pairs) {
  const side = new Map();
  merges.forEach((m, i) => { for (const r of m.A) side.set(r.record_id, [i, 0]); for (const r of m.B) side.set(r.record_id, [i, 1]); });
  let head = null, best = merges.map(() => -Infinity);
  for await (const line of readline.createInterface({ input: fs.createReadStream(a.pairs) })) {
    const f = split(line);
    if (!head) { head = f; continue; }
    const x = side.get(f[0]), y = side.get(f[1]);
    if (!x || !y || x[0] !== y[0] || x[1] === y[1]) continue;
    const w = Number(f[head.indexOf('match_weight')]);
    if (w > best[x[0]]) { best[x[0]] = w; merges[x[0]].level = f[head.indexOf('given_name_level')]; }
  }
}

const count = (f) => {
  const o = {};
  for (const m of merges) { const k = f(m); o[k] = (o[k] || 0) + 1; }
  return Object.entries(o).sort().map(([k, v]) => `${k} ${v}`).join(', ');
};
const rights = merges.filter((m) => m.right), wrongs = merges.filter((m) => !m.right);
const sum = (ms) => ms.reduce((s, m) => s + m.pairs, 0);
console.log(`merges of two identified pieces of 2+ records: ${merges.length} (right ${rights.length}, ${sum(rights)} record pairs; wrong ${wrongs.length}, ${sum(wrongs)})`);
console.log(`schemes (side/side): ${count((m) => `${m.right ? 'right' : 'wrong'} ${[m.ca, m.cb].sort().join('/')}`)}`);
if (a.pairs) console.log(`given-name level of the strongest pair: ${count((m) => `${m.right ? 'right' : 'wrong'} ${m.level || 'none'}`)}`);
const q = (ms) => { const v = ms.map((m) => m.p1).sort((x, y) => x - y); return v.length ? `min ${v[0].toFixed(3)} median ${v[v.length >> 1].toFixed(3)} max ${v[v.length - 1].toFixed(3)}` : '-'; };
console.log(`p1 right: ${q(rights)}; wrong: ${q(wrongs)}`);
for (const w of wrongs) console.log(`  wrong merge p1 ${w.p1.toFixed(3)}: right merges with p1 at or below it: ${rights.filter((m) => m.p1 <= w.p1).length}`);
const desc = (rs) => {
  const s = {};
  for (const r of rs) s[r.source] = (s[r.source] || 0) + 1;
  return `${rs.length}${code(rs)} ${Object.entries(s).map(([k, v]) => `${k}:${v}`).join(' ')}`;
};
if (a.list === '1')
  for (const m of merges.sort((x, y) => x.p1 - y.p1))
    console.log(`${m.right ? 'right' : 'wrong'} p1 ${m.p1.toFixed(3)} ${m.level} | ${desc(m.A)} | ${desc(m.B)}`);
