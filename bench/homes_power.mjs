#!/usr/bin/env node
// What any chart of the harm pattern's counts could find in an area (issue 16, docs/OVERSIGHT.md "How much
// harm the counts can show"): a power calculation for an oracle far better placed than the monitor.
//
//   node bench/homes_power.mjs --dir DIR [--fa 5] [--reps 200] [--json] [--recorded]
//   (DIR as `safeguard gen homes` writes it: homes.csv, occupancy.csv, incidents.csv, truth.csv)
//
// The oracle knows, for every home, its own in-control rate of restraints + injuries + missing episodes and
// of complaints per child-night (read from its months before onset; in-control homes from all their months),
// knows each harmful home's onset, and knows the size of its harm as the data recorded it (the rise of each
// rate after onset over before). Its counts are Poisson around those rates: no month noise, no distressed
// child, no overdispersion at all, so in control it raises far fewer alarms than any real area would give a
// chart. It watches each harmful home from the onset month with a CUSUM tuned to that home's own recorded
// rise (the optimal chart for a known step change, Moustakides 1986), with the threshold that keeps its
// in-control homes, simulated the same way, within the whole false-alarm budget (--fa, default 5 per 100
// home-years). What it finds is an upper bound on what a chart of these counts can find in the months
// left: a real monitor learns the rates, does not know the rise, and must allow for the overdispersion.
//
// --recorded: the same oracle on the counts as the area recorded them instead of Poisson draws: each in-control
// home's real months (its own whole-span rate known) set the threshold, each harmful home's real months after
// onset are charted once. The counts keep their month noise, distressed children and incidents that cause
// incidents, so the gap from the Poisson oracle is what overdispersion costs even a chart that knows every
// rate, and the gap from it to the monitor is what learning the rates and not knowing the rise cost.
import fs from 'node:fs';
import path from 'node:path';

function args() {
  const a = { dir: null, fa: 5, reps: 200, json: false, seed: 20050101, recorded: false };
  const v = process.argv.slice(2);
  for (let i = 0; i < v.length; i++) {
    const next = () => { if (i + 1 >= v.length) usage(`${v[i]} needs a value`); return v[++i]; };
    if (v[i] === '--dir') a.dir = next();
    else if (v[i] === '--fa') a.fa = Number(next());
    else if (v[i] === '--reps') a.reps = Number(next());
    else if (v[i] === '--json') a.json = true;
    else if (v[i] === '--recorded') a.recorded = true;
    else usage(`unknown argument ${v[i]}`);
  }
  if (!a.dir) usage('--dir is required');
  if (!(a.fa > 0) || !(Number.isInteger(a.reps) && a.reps > 0 && a.reps <= 100000)) usage('--fa above 0, --reps 1-100000');
  return a;
}

function usage(msg) {
  console.error(`homes_power: ${msg}\nusage: node bench/homes_power.mjs --dir DIR [--fa 5] [--reps 200] [--json] [--recorded]`);
  process.exit(2);
}

const rows = (f) => fs.readFileSync(f, 'utf8').split(/\r?\n/).filter((l) => l).slice(1).map((l) => l.split(','));

// xoshiro128** for a seeded, repeatable stream.
function rng(seed) {
  let s = [seed >>> 0, (seed * 2654435761) >>> 0, 0x9e3779b9, 0x85ebca6b];
  const rotl = (x, k) => (x << k) | (x >>> (32 - k));
  return () => {
    const r = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t; s[3] = rotl(s[3], 11);
    return (r + 0.5) / 4294967296;
  };
}

function poisson(u, lam) {
  if (!(lam > 0)) return 0;
  if (lam > 50) { // normal approximation, far above these homes' monthly counts
    const z = Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
    return Math.max(0, Math.round(lam + Math.sqrt(lam) * z));
  }
  const L = Math.exp(-lam);
  let k = 0; let p = u();
  while (p > L) { p *= u(); k++; }
  return k;
}

function main() {
  const a = args();
  const months = new Map(); // id -> [nights by month index]
  const order = [];
  const first = new Map();
  for (const [id, m, n] of rows(path.join(a.dir, 'occupancy.csv'))) {
    if (!months.has(id)) { months.set(id, new Map()); order.push(id); }
    months.get(id).set(m, Number(n));
  }
  const allMonths = [...new Set([...months.values()].flatMap((x) => [...x.keys()]))].sort();
  allMonths.forEach((m, i) => first.set(m, i));
  const T = allMonths.length;
  const homes = new Map();
  for (const id of order) {
    const nights = new Array(T).fill(0);
    for (const [m, n] of months.get(id)) nights[first.get(m)] = n;
    homes.set(id, { nights, rim: new Array(T).fill(0), c: new Array(T).fill(0), onset: null });
  }
  for (const [id, date, type] of rows(path.join(a.dir, 'incidents.csv'))) {
    const h = homes.get(id); const t = first.get(date.slice(0, 7));
    if (type === 'restraint' || type === 'injury' || type === 'missing') h.rim[t]++;
    else if (type === 'complaint') h.c[t]++;
  }
  for (const [id, harmful, onset] of rows(path.join(a.dir, 'truth.csv'))) if (harmful === '1') homes.get(id).onset = first.get(onset);
  // Rates per child-night before onset (all months in control), and after it.
  const rate = (h, lo, hi) => {
    let n = 0; let r = 0; let c = 0;
    for (let t = lo; t < hi; t++) { n += h.nights[t]; r += h.rim[t]; c += h.c[t]; }
    return n > 0 ? { r: (r + 0.5) / n, c: (c + 0.5) / n, n } : null;
  };
  const control = []; const harmful = [];
  for (const h of homes.values()) {
    if (h.onset === null) { const b = rate(h, 0, T); if (b) control.push({ h, b }); continue; }
    const b = rate(h, 0, h.onset); const p = rate(h, h.onset, T);
    if (b && p) harmful.push({ h, b, rise: p.r / b.r, cfall: p.c / b.c });
    else harmful.push({ h, b: null });
  }
  // The LLR of one month for a home with in-control means (lr, lc) and the rise (rr, rc) it is tuned to.
  const w = (o, oc, lr, lc, rr, rc) => o * Math.log(rr) - (rr - 1) * lr + oc * Math.log(rc) - (rc - 1) * lc;
  // Thresholds: per tuned rise, on a grid, the smallest h whose in-control alarms (restarting) stay within
  // the budget per 100 home-years; the in-control homes simulated a.reps / 10 times (at least 5).
  const grid = new Map();
  const key = (rr, rc) => `${Math.round(rr * 20) / 20}/${Math.round(rc * 10) / 10}`;
  const hFor = (rr, rc) => {
    const k = key(rr, rc);
    if (grid.has(k)) return grid.get(k);
    const [gr, gc] = k.split('/').map(Number);
    const u = rng(a.seed);
    const reps = a.recorded ? 1 : Math.max(5, Math.round(a.reps / 10));
    const paths = [];
    let homeMonths = 0;
    for (let rep = 0; rep < reps; rep++) {
      for (const { h, b } of control) {
        const x = [];
        for (let t = 0; t < T; t++) {
          if (!(h.nights[t] > 0)) { x.push(0); continue; }
          homeMonths++;
          const lr = b.r * h.nights[t]; const lc = b.c * h.nights[t];
          x.push(a.recorded ? w(h.rim[t], h.c[t], lr, lc, gr, gc) : w(poisson(u, lr), poisson(u, lc), lr, lc, gr, gc));
        }
        paths.push(x);
      }
    }
    const alarms = (hh) => {
      let n = 0;
      for (const x of paths) { let c = 0; for (const v of x) { c = Math.max(0, c + v); if (c >= hh) { n++; c = 0; } } }
      return n * 100 / (homeMonths / 12);
    };
    let lo = 0; let hi = 1;
    while (alarms(hi) > a.fa && hi < 1e4) { lo = hi; hi *= 2; }
    while (hi - lo > 0.01) { const mid = (lo + hi) / 2; if (alarms(mid) > a.fa) lo = mid; else hi = mid; }
    grid.set(k, hi);
    return hi;
  };
  const u = rng(a.seed + 1);
  const out = [];
  for (const x of harmful) {
    if (!x.b || !(x.rise > 1 || x.cfall < 1)) { out.push({ p: 0, delays: [] }); continue; }
    const rr = Math.max(1.05, x.rise); const rc = Math.min(1, Math.max(0.1, x.cfall));
    const hh = hFor(rr, rc);
    let found = 0; const delays = [];
    const reps = a.recorded ? 1 : a.reps;
    for (let rep = 0; rep < reps; rep++) {
      let c = 0;
      for (let t = x.h.onset; t < T; t++) {
        if (!(x.h.nights[t] > 0)) continue;
        const lr = x.b.r * x.h.nights[t]; const lc = x.b.c * x.h.nights[t];
        c = Math.max(0, c + (a.recorded ? w(x.h.rim[t], x.h.c[t], lr, lc, rr, rc)
          : w(poisson(u, lr * x.rise), poisson(u, lc * x.cfall), lr, lc, rr, rc)));
        if (c >= hh) { found++; delays.push(t - x.h.onset); break; }
      }
    }
    out.push({ p: found / reps, delays, rise: x.rise });
  }
  const expected = out.reduce((s, x) => s + x.p, 0);
  const all = out.flatMap((x) => x.delays).sort((p, q) => p - q);
  const q = (p) => (all.length ? all[Math.min(all.length - 1, Math.floor(p * all.length))] : null);
  const res = {
    harmful: out.length,
    oracle_flagged_pct: out.length ? (100 * expected) / out.length : 0,
    oracle_median_delay_months: q(0.5),
    oracle_delay_p90_months: q(0.9),
    homes_below_half_chance: out.filter((x) => x.p < 0.5).length,
    recorded_rise_median: (() => { const r = out.map((x) => x.rise).filter((x) => x !== undefined).sort((p, qq) => p - qq); return r.length ? r[Math.floor(r.length / 2)] : null; })(),
    fa_budget: a.fa,
  };
  if (a.json) console.log(JSON.stringify(res));
  else console.log(`oracle (known rates, ${a.recorded ? 'the counts as recorded' : 'Poisson'}, tuned to each home's recorded rise, ${a.fa} false alarms per 100 home-years): ` +
    `${res.oracle_flagged_pct.toFixed(1)}% of ${res.harmful} harmful homes found in the months left, median delay ` +
    `${res.oracle_median_delay_months}, p90 ${res.oracle_delay_p90_months}; ${res.homes_below_half_chance} homes with less than ` +
    `an even chance; median recorded rise of restraints + injuries + missing ${res.recorded_rise_median?.toFixed(2)}`);
}

main();
