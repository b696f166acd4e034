#!/usr/bin/env node
// Scores record linkage against the ground truth of `safeguard gen` (records.csv + truth.csv), for a
// clusters file from `safeguard link dedupe` if given, and for two baselines this script computes itself
// from records.csv:
//   exact name+dob  records whose normalised given name, family name and date of birth are all present and
//                   equal (normalised: lower case, accents, apostrophes, hyphens and spaces removed; a date
//                   as DD/MM/YYYY read as YYYY-MM-DD);
//   NHS number      records with equal, non-empty NHS numbers (the CP-IS way).
//
//   node bench/linkage/score.mjs --records records.csv --truth truth.csv [--clusters clusters.csv] [--json]
//                                [--namesakes namesakes.csv]
//
// Definitions (pairwise, over unordered pairs of records):
//   precision  pairs in one predicted cluster that are one true child, over pairs in one predicted cluster;
//   recall     the same pairs over pairs that are one true child (truth.csv child_id);
//   F1         their harmonic mean;
//   mixed      predicted clusters holding records of two or more true children;
//   twins      predicted clusters holding records of two twins: children of one family (truth.csv
//              family_id) with the same true date of birth. A child's true date of birth is truth.csv's
//              true_dob column when it has one (`safeguard gen --style b`), else the dob of its records that
//              carry no dob_swap or dob_off error (truth.csv errors); a child with no such record has none
//              and is nobody's twin here.
//   namesakes  with --namesakes (gen_c.mjs --namesakes writes the file: child_id,namesake_of,kind,
//              same_address): planted pairs of children with one given and family name and two birthdays,
//              and how many of them a labelling joins (some cluster holds records of both), by kind.
// Pairs are counted by combinatorics over (predicted cluster, true child) cells, never one by one, so a
// million records fit in memory and seconds. A record missing from the clusters file is its own cluster
// (and counted in "missing"). Only node's built-in modules are used.
import fs from 'node:fs';

function args() {
  const a = { records: null, truth: null, clusters: null, json: false, namesakes: null };
  const v = process.argv.slice(2);
  for (let i = 0; i < v.length; i++) {
    if (v[i] === '--records') a.records = v[++i];
    else if (v[i] === '--truth') a.truth = v[++i];
    else if (v[i] === '--clusters') a.clusters = v[++i];
    else if (v[i] === '--json') a.json = true;
    else if (v[i] === '--namesakes') a.namesakes = v[++i];
    else usage(`unknown argument ${v[i]}`);
  }
  if (!a.records || !a.truth) usage('--records and --truth are required');
  return a;
}

function usage(msg) {
  console.error(`score: ${msg}\nusage: node bench/linkage/score.mjs --records records.csv --truth truth.csv ` +
    '[--clusters clusters.csv] [--json] [--namesakes namesakes.csv]');
  process.exit(2);
}

/**
 * Calls onRow(fields, line) for every row of a CSV file (RFC 4180: quoted fields may hold commas, doubled
 * quotes and line breaks; LF or CR LF; a BOM is skipped; blank lines are skipped). Throws on a malformed
 * file with its name and line.
 */
function readCsv(file, onRow) {
  const text = fs.readFileSync(file, 'utf8');
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let rowLine = 1;
  let row = [];
  const bad = (what) => { throw new Error(`${file}:${line}: ${what}`); };
  while (i < n) {
    let field;
    if (text.charCodeAt(i) === 34) {
      field = '';
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) bad('a quoted field is never closed');
        const part = text.slice(j, q);
        for (let k = part.indexOf('\n'); k >= 0; k = part.indexOf('\n', k + 1)) line++;
        if (text.charCodeAt(q + 1) === 34) { field += part + '"'; j = q + 2; continue; }
        field += part;
        i = q + 1;
        break;
      }
    } else {
      let j = i;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === 44 || c === 10 || c === 13) break;
        if (c === 34) bad('a quote inside an unquoted field');
        j++;
      }
      field = text.slice(i, j);
      i = j;
    }
    row.push(field);
    const c = text.charCodeAt(i);
    if (c === 44) {
      i++;
      if (i === n) { row.push(''); onRow(row, rowLine); row = []; }
      continue;
    }
    if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
    if (i >= n || text.charCodeAt(i) === 10) {
      i++;
      if (!(row.length === 1 && row[0] === '')) onRow(row, rowLine);
      row = [];
      line++;
      rowLine = line;
      continue;
    }
    bad('a character after a closing quote');
  }
}

/** Rows of file as objects of the named columns (which must all be in its header). */
function readTable(file, want, onRecord) {
  let pos = null;
  readCsv(file, (row, line) => {
    if (!pos) {
      pos = want.map((w) => row.indexOf(w));
      const missing = want.filter((w, k) => pos[k] < 0);
      if (missing.length) throw new Error(`${file}: the header has no column ${missing.join(', ')}`);
      return;
    }
    onRecord(pos.map((p) => row[p] ?? ''), line);
  });
  if (!pos) throw new Error(`${file}: empty`);
}

const norm = (s) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/['’‘`\-‐‑–—\s]/gu, '');
const normDob = (s) => {
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(s.trim());
  return m ? `${m[3]}-${m[2]}-${m[1]}` : s.trim();
};

/** Cluster labels 0..k-1 for records with equal non-null keys; a null key is a cluster of its own. */
function groupBy(keys) {
  const ids = new Map();
  const label = new Int32Array(keys.length);
  let next = 0;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (k === null) { label[i] = next++; continue; }
    let id = ids.get(k);
    if (id === undefined) { id = next++; ids.set(k, id); }
    label[i] = id;
  }
  return label;
}

const pairs = (k) => (k * (k - 1)) / 2;

/** Pairwise precision/recall/F1, mixed clusters and twin-joining clusters of the labelling pred. */
function score(pred, child, twinKey, truePairs) {
  const n = pred.length;
  // Sort records by (cluster, child) and count the runs: cells of the contingency table.
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => pred[a] - pred[b] || child[a] - child[b]);
  let tp = 0;
  let predicted = 0;
  let mixed = 0;
  let twins = 0;
  let clusters = 0;
  let i = 0;
  while (i < n) {
    const p = pred[order[i]];
    let size = 0;
    let children = 0;
    const seenTwin = new Set();
    let joinsTwins = false;
    while (i < n && pred[order[i]] === p) {
      const c = child[order[i]];
      let cell = 0;
      while (i < n && pred[order[i]] === p && child[order[i]] === c) { cell++; i++; }
      tp += pairs(cell);
      size += cell;
      children++;
      const t = twinKey[c];
      if (t !== null) {
        if (seenTwin.has(t)) joinsTwins = true;
        seenTwin.add(t);
      }
    }
    predicted += pairs(size);
    clusters++;
    if (children > 1) mixed++;
    if (joinsTwins) twins++;
  }
  const precision = predicted ? tp / predicted : 1;
  const recall = truePairs ? tp / truePairs : 1;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { clusters, predicted_pairs: predicted, true_positive_pairs: tp, precision, recall, f1,
    mixed_clusters: mixed, twin_clusters: twins };
}

/** How many planted namesake pairs (child indexes a, b, kind) the labelling pred joins, in all and by kind. */
function namesakesJoined(pred, child, nsPairs) {
  const labelsOf = new Map();
  for (let i = 0; i < pred.length; i++) {
    let v = labelsOf.get(child[i]);
    if (!v) { v = new Set(); labelsOf.set(child[i], v); }
    v.add(pred[i]);
  }
  const r = { pairs: nsPairs.length, joined: 0, by_kind: {} };
  for (const [x, y, kind] of nsPairs) {
    const k = (r.by_kind[kind] ??= { pairs: 0, joined: 0 });
    k.pairs++;
    const lx = labelsOf.get(x), ly = labelsOf.get(y);
    let j = false;
    for (const l of lx) if (ly.has(l)) { j = true; break; }
    if (j) { r.joined++; k.joined++; }
  }
  return r;
}

function main() {
  const a = args();
  const t0 = process.hrtime.bigint();
  // records.csv
  const index = new Map();
  const nameDob = [];
  const nhs = [];
  const dob = [];
  readTable(a.records, ['record_id', 'given_name', 'family_name', 'dob', 'nhs_number'], (f, line) => {
    const [id, given, family, d, n] = f;
    if (index.has(id)) throw new Error(`${a.records}:${line}: record_id ${id} is given twice`);
    index.set(id, index.size);
    const g = norm(given);
    const fam = norm(family);
    const dd = normDob(d);
    nameDob.push(g && fam && dd ? `${g}|${fam}|${dd}` : null);
    const nn = n.replace(/\s/g, '');
    nhs.push(nn ? nn : null);
    dob.push(dd);
  });
  const n = index.size;
  // truth.csv
  const child = new Int32Array(n).fill(-1);
  const childIds = new Map();
  const familyOf = [];
  const trueDob = [];
  const truthHead = fs.readFileSync(a.truth, 'utf8').slice(0, 200).split(/\r?\n/)[0];
  const hasTrueDob = /(^|,)"?true_dob"?(,|$)/.test(truthHead);
  const cols = ['record_id', 'child_id', 'family_id', 'errors'].concat(hasTrueDob ? ['true_dob'] : []);
  readTable(a.truth, cols, (f, line) => {
    const [id, c, fam, errors, tdob] = f;
    const i = index.get(id);
    if (i === undefined) throw new Error(`${a.truth}:${line}: record_id ${id} is not in ${a.records}`);
    let ci = childIds.get(c);
    if (ci === undefined) { ci = childIds.size; childIds.set(c, ci); familyOf.push(fam); trueDob.push(null); }
    child[i] = ci;
    if (hasTrueDob) { if (tdob) trueDob[ci] = tdob; }
    else if (dob[i] && !/\bdob_(swap|off)\b/.test(errors) && trueDob[ci] === null) trueDob[ci] = dob[i];
  });
  for (let i = 0; i < n; i++) if (child[i] < 0) throw new Error(`${a.truth}: no truth for a record of ${a.records}`);
  // Twins: children of one family with one true date of birth, keyed by family and date.
  const nchild = childIds.size;
  const perKey = new Map();
  for (let c = 0; c < nchild; c++) {
    if (trueDob[c] === null) continue;
    const k = `${familyOf[c]}|${trueDob[c]}`;
    perKey.set(k, (perKey.get(k) ?? 0) + 1);
  }
  const twinKey = new Array(nchild).fill(null);
  let twinChildren = 0;
  for (let c = 0; c < nchild; c++) {
    if (trueDob[c] === null) continue;
    const k = `${familyOf[c]}|${trueDob[c]}`;
    if (perKey.get(k) > 1) { twinKey[c] = k; twinChildren++; }
  }
  const childSize = new Float64Array(nchild);
  for (let i = 0; i < n; i++) childSize[child[i]]++;
  let truePairs = 0;
  for (let c = 0; c < nchild; c++) truePairs += pairs(childSize[c]);

  // Namesakes: pairs of children (indexes into the child table).
  const nsPairs = [];
  if (a.namesakes) {
    readTable(a.namesakes, ['child_id', 'namesake_of', 'kind', 'same_address'], (f, line) => {
      const x = childIds.get(f[0]), y = childIds.get(f[1]);
      if (x === undefined || y === undefined) throw new Error(`${a.namesakes}:${line}: child ${x === undefined ? f[0] : f[1]} is not in ${a.truth}`);
      nsPairs.push([x, y, f[3] === '1' ? `${f[2]} (same address)` : f[2]]);
    });
  }
  const results = {};
  const labellings = {};
  let missing = 0;
  if (a.clusters) {
    const labels = new Map();
    const pred = new Int32Array(n).fill(-1);
    readTable(a.clusters, ['record_id', 'cluster_id'], (f, line) => {
      const i = index.get(f[0]);
      if (i === undefined) throw new Error(`${a.clusters}:${line}: record_id ${f[0]} is not in ${a.records}`);
      if (pred[i] >= 0) throw new Error(`${a.clusters}:${line}: record_id ${f[0]} is given twice`);
      let l = labels.get(f[1]);
      if (l === undefined) { l = labels.size; labels.set(f[1], l); }
      pred[i] = l;
    });
    let next = labels.size;
    for (let i = 0; i < n; i++) if (pred[i] < 0) { pred[i] = next++; missing++; }
    results.clusters = score(pred, child, twinKey, truePairs);
    labellings.clusters = pred;
  }
  labellings['exact name+dob'] = groupBy(nameDob);
  labellings['NHS number'] = groupBy(nhs);
  results['exact name+dob'] = score(labellings['exact name+dob'], child, twinKey, truePairs);
  results['NHS number'] = score(labellings['NHS number'], child, twinKey, truePairs);
  if (a.namesakes)
    for (const [name, r] of Object.entries(results)) r.namesakes = namesakesJoined(labellings[name], child, nsPairs);
  const summary = { records: n, children: nchild, true_pairs: truePairs, twin_children: twinChildren,
    missing_from_clusters: missing, seconds: Number(process.hrtime.bigint() - t0) / 1e9, results };
  if (a.json) {
    console.log(JSON.stringify(summary, null, 2));
    return;
  }
  console.log(`${n} records, ${nchild} children, ${truePairs} true pairs, ${twinChildren} children who are twins` +
    (a.clusters ? `, ${missing} records missing from the clusters file` : ''));
  const head = ['', 'precision', 'recall', 'F1', 'pred. pairs', 'clusters', 'mixed', 'twins'];
  const lines = [head];
  for (const [name, r] of Object.entries(results))
    lines.push([name, r.precision.toFixed(4), r.recall.toFixed(4), r.f1.toFixed(4), String(r.predicted_pairs),
      String(r.clusters), String(r.mixed_clusters), String(r.twin_clusters)]);
  const w = head.map((_, k) => Math.max(...lines.map((l) => l[k].length)));
  for (const l of lines) console.log(l.map((s, k) => (k ? s.padStart(w[k]) : s.padEnd(w[k]))).join('  '));
  if (a.namesakes)
    for (const [name, r] of Object.entries(results)) {
      const ns = r.namesakes;
      console.log(`namesake pairs joined (${name}): ${ns.joined} of ${ns.pairs}; ` +
        Object.entries(ns.by_kind).sort().map(([k, v]) => `${k} ${v.joined}/${v.pairs}`).join(', '));
    }
}

try {
  main();
} catch (e) {
  console.error(`score: ${e.message}`);
  process.exit(1);
}
