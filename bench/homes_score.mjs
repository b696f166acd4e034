#!/usr/bin/env node
// Scores children's homes alerts against the simulator's ground truth (docs/BENCHMARKS.md, "Children's
// homes oversight (issue 6)"), beside two baselines this script computes itself from the same CSVs:
//   naive       a month whose restraints + injuries + missing episodes exceed 2.5 times the home's own
//               mean over the 6 months before it (from month 7 on; with a trailing mean of 0 any
//               incident is "over"), raw counts as a manager's spreadsheet would have them;
//   inspection  twice-yearly inspections at a random phase per home (seeded): a harmful home is found
//               at the first inspection at or after its onset; inspections raise no false alarms here,
//               which flatters them (real ones also miss harm that is there).
//
//   node bench/homes_score.mjs --dir DIR [--alerts alerts.csv] [--seed N] [--json]
// DIR holds homes.csv, occupancy.csv, incidents.csv, truth.csv from `safeguard gen homes`.
//
// Definitions (one per column):
//   flagged        harmful homes with an alert row at or after their onset month, over all harmful homes;
//   median delay   months from onset to the first such row (0 = the onset month itself), over flagged homes;
//   delay q1/q3/p90 the same delays' quartiles and 90th percentile (R's default quantile, type 7), so the
//                  distribution is seen, not only its middle;
//   false alarms   alert rows for homes that are not harmful, plus rows for harmful homes before their
//                  onset, per 100 home-years of such (harm-free) monitoring; a home-year is 12 months with
//                  children placed (child-nights > 0), as in the monitor's budget: months standing empty
//                  cannot raise an alarm and do not dilute the rate.
import fs from 'node:fs';
import path from 'node:path';

function args() {
  const a = { dir: null, alerts: null, seed: 1, json: false };
  const v = process.argv.slice(2);
  for (let i = 0; i < v.length; i++) {
    if (v[i] === '--dir') a.dir = v[++i];
    else if (v[i] === '--alerts') a.alerts = v[++i];
    else if (v[i] === '--seed') a.seed = Number(v[++i]);
    else if (v[i] === '--json') a.json = true;
    else { console.error(`homes_score: unknown argument ${v[i]}`); process.exit(2); }
  }
  if (!a.dir) { console.error('usage: node bench/homes_score.mjs --dir DIR [--alerts alerts.csv] [--seed N] [--json]'); process.exit(2); }
  return a;
}

/** Rows of a CSV file without its header; fields may be quoted. */
function rows(file) {
  const text = fs.readFileSync(file, 'utf8');
  const out = [];
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const l = lines[i].replace(/\r$/, '');
    if (l === '') continue;
    if (!l.includes('"')) { out.push(l.split(',')); continue; }
    const f = [];
    let cur = '';
    let q = false;
    for (let j = 0; j < l.length; j++) {
      const c = l[j];
      if (q) {
        if (c === '"' && l[j + 1] === '"') { cur += '"'; j++; } else if (c === '"') q = false; else cur += c;
      } else if (c === '"') q = true; else if (c === ',') { f.push(cur); cur = ''; } else cur += c;
    }
    f.push(cur);
    out.push(f);
  }
  return out;
}

const ym = (s) => { const y = Number(s.slice(0, 4)); const m = Number(s.slice(5, 7)); return y * 12 + m - 1; };

// mulberry32: a small seeded PRNG, so inspection phases are the same on every run.
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function load(dir) {
  const occ = rows(path.join(dir, 'occupancy.csv'));
  let first = Infinity;
  let last = -Infinity;
  for (const r of occ) { const m = ym(r[1]); if (m < first) first = m; if (m > last) last = m; }
  const months = last - first + 1;
  const homes = new Map();
  for (const r of rows(path.join(dir, 'homes.csv'))) {
    homes.set(r[0], { id: r[0], harm: null, counts: new Int32Array(months), occupied: new Uint8Array(months) });
  }
  for (const r of occ) if (Number(r[2]) > 0) homes.get(r[0]).occupied[ym(r[1]) - first] = 1;
  for (const r of rows(path.join(dir, 'truth.csv'))) {
    const h = homes.get(r[0]);
    if (!h) throw new Error(`truth.csv: unknown home ${r[0]}`);
    h.harm = r[1] === '1' ? ym(r[2]) - first : null;
  }
  for (const r of rows(path.join(dir, 'incidents.csv'))) {
    if (r[2] !== 'restraint' && r[2] !== 'injury' && r[2] !== 'missing') continue;
    homes.get(r[0]).counts[ym(r[1]) - first]++;
  }
  return { homes, first, months };
}

/** The p-quantile of sorted xs as R's quantile() by default (type 7: linear between order statistics at
 * (n - 1) p); null when empty. */
function quantile(xs, p) {
  if (xs.length === 0) return null;
  const h = (xs.length - 1) * p;
  const lo = Math.floor(h);
  return lo + 1 < xs.length ? xs[lo] + (h - lo) * (xs[lo + 1] - xs[lo]) : xs[lo];
}

/** flags: Map home id -> sorted array of month indexes (one entry per alert row). */
function score({ homes, months }, flags) {
  let harmful = 0;
  let found = 0;
  const delays = [];
  let falseRows = 0;
  let safeMonths = 0;
  let rowsTotal = 0;
  for (const h of homes.values()) {
    const f = flags.get(h.id) || [];
    rowsTotal += f.length;
    const clean = h.harm === null ? months : h.harm;
    for (let t = 0; t < clean; t++) safeMonths += h.occupied[t];
    if (h.harm === null) {
      falseRows += f.length;
      continue;
    }
    harmful++;
    falseRows += f.filter((m) => m < h.harm).length;
    const after = f.filter((m) => m >= h.harm);
    if (after.length) {
      found++;
      delays.push(Math.min(...after) - h.harm);
    }
  }
  delays.sort((a, b) => a - b);
  const median = delays.length === 0 ? null
    : delays.length % 2 ? delays[(delays.length - 1) / 2] : (delays[delays.length / 2 - 1] + delays[delays.length / 2]) / 2;
  return {
    harmful, found, flagged_pct: harmful ? (100 * found) / harmful : null, median_delay_months: median,
    delay_q1_months: quantile(delays, 0.25), delay_q3_months: quantile(delays, 0.75), delay_p90_months: quantile(delays, 0.9),
    false_alarms_per_100_home_years: safeMonths ? (falseRows / (safeMonths / 12)) * 100 : null, alert_rows: rowsTotal,
  };
}

function naive({ homes, months }) {
  const flags = new Map();
  for (const h of homes.values()) {
    const f = [];
    for (let t = 6; t < months; t++) {
      let s = 0;
      for (let k = t - 6; k < t; k++) s += h.counts[k];
      if (h.counts[t] > 2.5 * (s / 6)) f.push(t);
    }
    flags.set(h.id, f);
  }
  return flags;
}

function inspection({ homes, months }, seed) {
  const rnd = prng(seed);
  const flags = new Map();
  for (const h of homes.values()) {
    const phase = Math.floor(rnd() * 6);
    if (h.harm === null) { flags.set(h.id, []); continue; }
    const f = [];
    for (let m = phase; m < months; m += 6) if (m >= h.harm) { f.push(m); break; }
    flags.set(h.id, f);
  }
  return flags;
}

function monitorFlags(file, data) {
  const flags = new Map();
  for (const r of rows(file)) {
    if (!data.homes.has(r[0])) throw new Error(`${file}: alert for unknown home ${r[0]}`);
    const m = ym(r[1]) - data.first;
    if (!(m >= 0 && m < data.months)) throw new Error(`${file}: month ${r[1]} outside the span`);
    if (!flags.has(r[0])) flags.set(r[0], []);
    flags.get(r[0]).push(m);
  }
  return flags;
}

const a = args();
const data = load(a.dir);
const results = [];
if (a.alerts) results.push(['safeguard homes monitor', score(data, monitorFlags(a.alerts, data))]);
else results.push(['safeguard homes monitor', null]);
results.push(['naive: month > 2.5 x trailing 6-month mean', score(data, naive(data))]);
results.push(['inspection twice a year, random phase', score(data, inspection(data, a.seed))]);

if (a.json) {
  console.log(JSON.stringify(Object.fromEntries(results), null, 2));
} else {
  const fmt = (v, d = 1) => (v === null || v === undefined ? '-' : typeof v === 'number' ? v.toFixed(d) : String(v));
  const head = ['method', 'harmful flagged', 'median delay (months)', 'delay q1 / q3 / p90', 'false alarms / 100 home-years', 'alert rows'];
  const body = results.map(([name, s]) => (s === null
    ? [name, 'not run', '-', '-', '-', '-']
    : [name, `${s.found}/${s.harmful} (${fmt(s.flagged_pct)}%)`, fmt(s.median_delay_months),
      `${fmt(s.delay_q1_months)} / ${fmt(s.delay_q3_months)} / ${fmt(s.delay_p90_months)}`,
      fmt(s.false_alarms_per_100_home_years), String(s.alert_rows)]));
  const w = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (r) => `| ${r.map((c, i) => c.padEnd(w[i])).join(' | ')} |`;
  console.log(line(head));
  console.log(`|${w.map((n) => '-'.repeat(n + 2)).join('|')}|`);
  for (const r of body) console.log(line(r));
  console.log(`${data.homes.size} homes x ${data.months} months`);
}
