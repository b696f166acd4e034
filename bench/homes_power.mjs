#!/usr/bin/env node
// What any chart of the harm pattern's counts could find in an area (issue 16, docs/OVERSIGHT.md "How much
// harm the counts can show"): a power calculation for an oracle far better placed than the monitor.
//
//   node bench/homes_power.mjs --dir DIR [--fa 5] [--reps 200] [--json] [--recorded]
//   node bench/homes_power.mjs --recorded --oracle onset|shape|null --dir DIR [--dir DIR ...] [--alerts-dir D]
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
//
// --oracle (round 21, issue 16; with --recorded only, so each harmful home is found or not, once):
//   onset  the oracle above (the default): knows the onset and the recorded rise of restraints + injuries +
//          missing together and of complaints, charts from the onset with a CUSUM tuned to that rise;
//   shape  knows the onset and the harm's shape: the recorded rise of restraints, injuries and missing
//          episodes each and of complaints (an indicator that did not move by 5% either way is left out), one
//          CUSUM of the four Poisson log-likelihood ratios from the onset, tuned to them; its threshold from
//          the in-control homes' recorded months with that tuning, at the whole budget;
//   null   knows the null only: each home's own in-control rates (a harmful home's from its months before
//          onset, every other home's from its whole span) and, through its threshold, the in-control homes'
//          recorded counts; it does not know the onset or the rise, so it charts every home from its first
//          month, tuned to the monitor's alternative (the pattern ×1.5, complaints ×1/1.5), restarting after
//          each signal, one threshold that keeps the in-control homes within the budget; a harmful home is
//          found by a signal at or after onset. What the monitor loses against it is what learning the null
//          costs; what it loses against `shape`, what not knowing the harm's start and shape costs too.
// --alerts-dir D splits the harmful homes by the monitor's D/<DIR's name>.csv (any row at or after onset):
// found by both (the monitor sooner, the same month, later), by the oracle only (detectable, missed: the
// method's gap), by the monitor only, by neither (not detectable from the counts within the budget).
// With several --dir the areas' lines are printed and then their totals. --list adds a line per harmful home:
// `home AREA,ID,ORACLE_DELAY,MONITOR_DELAY,MONTHS_LEFT,CHILDREN,EXPECTED,RISE` (a delay empty when not found;
// children placed after onset, the pattern's expected count a month at its own rate before, its recorded rise).
import fs from 'node:fs';
import path from 'node:path';

function args() {
  const a = { dir: null, dirs: [], fa: 5, reps: 200, json: false, seed: 20050101, recorded: false, oracle: 'onset', alertsDir: null };
  const v = process.argv.slice(2);
  for (let i = 0; i < v.length; i++) {
    const next = () => { if (i + 1 >= v.length) usage(`${v[i]} needs a value`); return v[++i]; };
    if (v[i] === '--dir') { a.dir = next(); a.dirs.push(a.dir); }
    else if (v[i] === '--oracle') a.oracle = next();
    else if (v[i] === '--alerts-dir') a.alertsDir = next();
    else if (v[i] === '--list') a.list = true;
    else if (v[i] === '--fa') a.fa = Number(next());
    else if (v[i] === '--reps') a.reps = Number(next());
    else if (v[i] === '--json') a.json = true;
    else if (v[i] === '--recorded') a.recorded = true;
    else usage(`unknown argument ${v[i]}`);
  }
  if (!a.dir) usage('--dir is required');
  if (!['onset', 'shape', 'null', 'learnt', 'frozen'].includes(a.oracle)) usage('--oracle onset, shape, null, learnt or frozen');
  if (a.oracle !== 'onset' && !a.recorded) usage(`--oracle ${a.oracle} needs --recorded`);
  if (!(a.fa > 0) || !(Number.isInteger(a.reps) && a.reps > 0 && a.reps <= 100000)) usage('--fa above 0, --reps 1-100000');
  return a;
}

function usage(msg) {
  console.error(`homes_power: ${msg}\nusage: node bench/homes_power.mjs --dir DIR [--dir DIR ...] [--fa 5] [--reps 200] [--json] [--recorded] [--oracle onset|shape|null] [--alerts-dir D]`);
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
  const a = argv0;
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

// Recorded counts only (--recorded): every oracle of --oracle on one area, each harmful home found or not, with
// its delay, and the monitor's first row at or after onset when --alerts-dir is given.
function areaRecorded(a, dir) {
  const months = new Map();
  const order = [];
  for (const [id, m, n] of rows(path.join(dir, 'occupancy.csv'))) {
    if (!months.has(id)) { months.set(id, new Map()); order.push(id); }
    months.get(id).set(m, Number(n));
  }
  const allMonths = [...new Set([...months.values()].flatMap((x) => [...x.keys()]))].sort();
  const first = new Map(allMonths.map((m, i) => [m, i]));
  const T = allMonths.length;
  const K = ['restraint', 'injury', 'missing', 'complaint'];
  const homes = new Map();
  for (const id of order) {
    const nights = new Array(T).fill(0);
    for (const [m, n] of months.get(id)) nights[first.get(m)] = n;
    homes.set(id, { id, nights, o: K.map(() => new Array(T).fill(0)), onset: null, monitor: null });
  }
  for (const [id, date, type] of rows(path.join(dir, 'incidents.csv'))) {
    const k = K.indexOf(type);
    if (k >= 0) homes.get(id).o[k][first.get(date.slice(0, 7))]++;
  }
  for (const [id, harmful, onset] of rows(path.join(dir, 'truth.csv'))) if (harmful === '1') homes.get(id).onset = first.get(onset);
  {
    const head = fs.readFileSync(path.join(dir, 'homes.csv'), 'utf8').split(/\r?\n/)[0].split(',');
    const [ci, cs] = [head.indexOf('home_id'), head.indexOf('specialism')];
    for (const r of rows(path.join(dir, 'homes.csv'))) if (homes.has(r[ci])) homes.get(r[ci]).spec = r[cs];
  }
  if (a.alertsDir) {
    for (const [id, m] of rows(path.join(a.alertsDir, `${path.basename(dir)}.csv`))) {
      const h = homes.get(id); const t = first.get(m);
      if (h.onset !== null && t >= h.onset && (h.monitor === null || t < h.monitor)) h.monitor = t;
    }
  }
  // Rates per child-night of each indicator over [lo, hi), half an event added (no rate is 0).
  const rate = (h, lo, hi) => {
    let n = 0; const s = K.map(() => 0);
    for (let t = lo; t < hi; t++) { n += h.nights[t]; for (let k = 0; k < K.length; k++) s[k] += h.o[k][t]; }
    return n > 0 ? s.map((x) => (x + 0.5) / n) : null;
  };
  const control = []; const harmful = [];
  for (const h of homes.values()) {
    if (h.onset === null) { const b = rate(h, 0, T); if (b) control.push({ h, b }); continue; }
    harmful.push({ h, b: rate(h, 0, h.onset), p: rate(h, h.onset, T) });
  }
  // One month's log-likelihood ratio: ks the indicators read (a pooled count or each), rho their rises.
  const llr = (h, t, b, rho) => {
    const n = h.nights[t];
    if (!(n > 0)) return 0;
    let w = 0;
    if (rho.length === 2) { // pooled: restraints + injuries + missing at rho[0], complaints at rho[1]
      // The onset oracle's own arithmetic: half an event added once to the pooled count's rate.
      const o = h.o[0][t] + h.o[1][t] + h.o[2][t];
      const lr = b.pr * n; const lc = b.c * n;
      w = o * Math.log(rho[0]) - (rho[0] - 1) * lr + h.o[3][t] * Math.log(rho[1]) - (rho[1] - 1) * lc;
    } else {
      for (let k = 0; k < K.length; k++) if (rho[k] !== 1) w += h.o[k][t] * Math.log(rho[k]) - (rho[k] - 1) * b.r[k] * n;
    }
    return w;
  };
  // The onset oracle's rates: the pooled pattern with half an event once, as main() computes them.
  const pooledRate = (h, lo, hi) => {
    let n = 0; let r = 0; let c = 0;
    for (let t = lo; t < hi; t++) { n += h.nights[t]; r += h.o[0][t] + h.o[1][t] + h.o[2][t]; c += h.o[3][t]; }
    return n > 0 ? { pr: (r + 0.5) / n, c: (c + 0.5) / n } : null;
  };
  for (const x of control) { x.pb = pooledRate(x.h, 0, T); x.b = { r: x.b, ...x.pb }; }
  for (const x of harmful) {
    const pb = pooledRate(x.h, 0, x.h.onset); const pp = pooledRate(x.h, x.h.onset, T);
    x.b = x.b && pb ? { r: x.b, ...pb } : null;
    x.pp = pp;
  }
  // learnt / frozen: each home's rate at month t learnt from its own months before t (frozen: before its
  // onset too), as a Gamma-Poisson posterior around its specialism's in-control rate: r_s (O + a) / (E + a),
  // E = r_s N over those months, 1/a the in-control homes' spread of O/E by moments (the empirical-Bayes
  // shrinkage of docs/OVERSIGHT.md "Empirical-Bayes shrunk rates"), per indicator. It knows the peers' null
  // (their rates and spread over the whole span), not the home's own level.
  if (a.oracle === 'learnt' || a.oracle === 'frozen') {
    const specRate = new Map();
    for (const { h } of control) {
      if (!specRate.has(h.spec)) specRate.set(h.spec, { n: 0, o: K.map(() => 0) });
      const sr = specRate.get(h.spec);
      for (let t = 0; t < T; t++) { sr.n += h.nights[t]; for (let k = 0; k < K.length; k++) sr.o[k] += h.o[k][t]; }
    }
    const all = { n: 0, o: K.map(() => 0) };
    for (const sr of specRate.values()) { all.n += sr.n; for (let k = 0; k < K.length; k++) all.o[k] += sr.o[k]; }
    const rs = (spec) => { const sr = specRate.get(spec) || all; return sr.o.map((o) => (o + 0.5) / sr.n); };
    const ak = K.map((_, k) => {
      let num = 0; let den = 0;
      for (const { h } of control) {
        let o = 0; let n = 0;
        for (let t = 0; t < T; t++) { o += h.o[k][t]; n += h.nights[t]; }
        const e = rs(h.spec)[k] * n; num += (o - e) * (o - e) - e; den += e * e;
      }
      return 1 / Math.max(1e-6, num / den);
    });
    const learn = (h, stop) => { // rates[t][k] per child-night from months before min(t, stop)
      const r0 = rs(h.spec); const out = []; const o = K.map(() => 0); let n = 0;
      for (let t = 0; t < T; t++) {
        out.push(r0.map((r, k) => r * (o[k] + ak[k]) / (r * n + ak[k])));
        if (t < stop) { n += h.nights[t]; for (let k = 0; k < K.length; k++) o[k] += h.o[k][t]; }
      }
      return out;
    };
    for (const x of control) x.learnt = learn(x.h, T);
    for (const x of harmful) x.learnt = learn(x.h, a.oracle === 'frozen' ? x.h.onset : T);
  }
  const llrAt = (x, t, rho) => {
    if (!x.learnt) return llr(x.h, t, x.b, rho);
    const n = x.h.nights[t];
    if (!(n > 0)) return 0;
    let w = 0;
    for (let k = 0; k < K.length; k++) w += x.h.o[k][t] * Math.log(rho[k]) - (rho[k] - 1) * x.learnt[t][k] * n;
    return w;
  };
  // The smallest threshold (0.01) at which the in-control homes' charts, restarting, stay within the budget.
  let homeMonths = 0;
  for (const { h } of control) for (let t = 0; t < T; t++) if (h.nights[t] > 0) homeMonths++;
  const cache = new Map();
  const hFor = (rho) => {
    const k = rho.join('/');
    if (cache.has(k)) return cache.get(k);
    const paths = control.map((cx) => { const x = []; for (let t = 0; t < T; t++) if (cx.h.nights[t] > 0) x.push(llrAt(cx, t, rho)); return x; });
    const alarms = (hh) => {
      let n = 0;
      for (const x of paths) { let c = 0; for (const v of x) { c = Math.max(0, c + v); if (c >= hh) { n++; c = 0; } } }
      return n * 100 / (homeMonths / 12);
    };
    let lo = 0; let hi = 1;
    while (alarms(hi) > a.fa && hi < 1e4) { lo = hi; hi *= 2; }
    while (hi - lo > 0.01) { const mid = (lo + hi) / 2; if (alarms(mid) > a.fa) lo = mid; else hi = mid; }
    cache.set(k, hi);
    return hi;
  };
  const out = [];
  for (const x of harmful) {
    let nb = 0; let ob = 0; let na = 0; let oa = 0; let ma = 0;
    for (let t = 0; t < T; t++) {
      const o = x.h.o[0][t] + x.h.o[1][t] + x.h.o[2][t];
      if (t < x.h.onset) { nb += x.h.nights[t]; ob += o; } else { na += x.h.nights[t]; oa += o; if (x.h.nights[t] > 0) ma++; }
    }
    const rec = {
      id: x.h.id, found: false, delay: null, monitor: x.h.monitor === null ? null : x.h.monitor - x.h.onset,
      left: T - x.h.onset, children: ma ? na / ma / 30.44 : 0, // months left; children placed after onset
      expected: ma && nb ? ((ob + 0.5) / nb) * na / ma : 0, // pattern a month at its own rate before onset
      rise: nb && na ? (oa / na) / ((ob + 0.5) / nb) : null, // the pattern's recorded rise
    };
    out.push(rec);
    if (!x.learnt && (!x.b || !x.p)) continue;
    let rho; let from; let rhoH;
    if (a.oracle === 'onset') {
      const rise = x.pp.pr / x.b.pr; const cfall = x.pp.c / x.b.c;
      if (!(rise > 1 || cfall < 1)) continue;
      rho = [Math.max(1.05, rise), Math.min(1, Math.max(0.1, cfall))];
      rhoH = [Math.round(rho[0] * 20) / 20, Math.round(rho[1] * 10) / 10]; // main()'s threshold grid
      from = x.h.onset;
    } else if (a.oracle === 'shape') {
      rho = x.p.map((p, k) => { const r = p / x.b.r[k]; return Math.abs(Math.log(r)) < Math.log(1.05) ? 1 : Math.round(Math.min(20, Math.max(0.1, r)) * 10) / 10; });
      if (!(rho[0] > 1 || rho[1] > 1 || rho[2] > 1 || rho[3] < 1)) continue; // nothing the pattern shows
      from = x.h.onset;
    } else {
      rho = [1.5, 1.5, 1.5, 1 / 1.5];
      from = 0;
    }
    const hh = hFor(rhoH || rho);
    let c = 0;
    for (let t = from; t < T; t++) {
      if (!(x.h.nights[t] > 0)) continue;
      c = Math.max(0, c + llrAt(x, t, rho));
      if (c >= hh) { if (t >= x.h.onset) { rec.found = true; rec.delay = t - x.h.onset; break; } c = 0; }
    }
  }
  return out;
}

// Quantile, R's default (type 7).
function q7(v, p) {
  if (!v.length) return null;
  const s = [...v].sort((x, y) => x - y); const h = (s.length - 1) * p; const l = Math.floor(h);
  return s[l] + (h - l) * ((s[Math.min(l + 1, s.length - 1)]) - s[l]);
}

function summary(out, withMonitor) {
  const r1 = (x) => Math.round(x * 10) / 10;
  const d = (v) => (v.length ? `${r1(q7(v, 0.25))} / ${r1(q7(v, 0.5))} / ${r1(q7(v, 0.75))} / ${r1(q7(v, 0.9))}` : '-');
  const n = out.length;
  const o = out.filter((x) => x.found); const m = out.filter((x) => x.monitor !== null);
  const s = {
    harmful: n,
    oracle_found: o.length, oracle_pct: n ? 100 * o.length / n : 0, oracle_delays: d(o.map((x) => x.delay)),
    oracle_by3: o.filter((x) => x.delay <= 3).length,
  };
  if (withMonitor) {
    const both = out.filter((x) => x.found && x.monitor !== null);
    Object.assign(s, {
      monitor_found: m.length, monitor_pct: n ? 100 * m.length / n : 0, monitor_delays: d(m.map((x) => x.monitor)),
      monitor_by3: m.filter((x) => x.monitor <= 3).length,
      both: both.length, monitor_sooner: both.filter((x) => x.monitor < x.delay).length,
      same: both.filter((x) => x.monitor === x.delay).length, monitor_later: both.filter((x) => x.monitor > x.delay).length,
      later_by_median: q7(both.filter((x) => x.monitor > x.delay).map((x) => x.monitor - x.delay), 0.5),
      oracle_only: out.filter((x) => x.found && x.monitor === null).length,
      monitor_only: out.filter((x) => !x.found && x.monitor !== null).length,
      neither: out.filter((x) => !x.found && x.monitor === null).length,
    });
  }
  return s;
}

function line(name, s) {
  let t = `${name}: ${s.harmful} harmful; oracle ${s.oracle_found} (${s.oracle_pct.toFixed(1)}%), delays q1/median/q3/p90 ${s.oracle_delays}, within 3 months ${s.oracle_by3}`;
  if (s.monitor_found !== undefined) {
    t += `; monitor ${s.monitor_found} (${s.monitor_pct.toFixed(1)}%), ${s.monitor_delays}, within 3 ${s.monitor_by3}` +
      `; both ${s.both} (monitor sooner ${s.monitor_sooner}, same ${s.same}, later ${s.monitor_later}, by a median ${s.later_by_median ?? '-'})` +
      `; missed: detectable ${s.oracle_only}, not detectable ${s.neither}; monitor only ${s.monitor_only}`;
  }
  return t;
}

function mainAreas(a) {
  const all = [];
  for (const dir of a.dirs) {
    const out = areaRecorded(a, dir);
    all.push(...out);
    const s = summary(out, !!a.alertsDir);
    console.log(a.json ? JSON.stringify({ area: path.basename(dir), oracle: a.oracle, ...s }) : line(path.basename(dir), s));
    if (a.list) for (const x of out) console.log(`home ${path.basename(dir)},${x.id},${x.found ? x.delay : ''},${x.monitor ?? ''},${x.left},${x.children.toFixed(2)},${x.expected.toFixed(2)},${x.rise === null ? '' : x.rise.toFixed(2)}`);
  }
  if (a.dirs.length > 1) {
    const s = summary(all, !!a.alertsDir);
    console.log(a.json ? JSON.stringify({ area: 'total', oracle: a.oracle, ...s }) : line(`total (${a.oracle})`, s));
  }
}

const argv0 = args();
if (argv0.recorded && (argv0.oracle !== 'onset' || argv0.dirs.length > 1 || argv0.alertsDir || argv0.list)) mainAreas(argv0);
else main();
