#!/usr/bin/env node
// In-control departures, one at a time (issue 16, round 9). A small children's homes simulator whose base is
// the textbook null the monitor assumes (a home's lasting level, month noise, Poisson counts, a mild season,
// steady occupancy), to which `--null` adds ONE departure a real area has and our three simulators lack, at a
// plausible size, so that what breaks the false-alarm budget can be found departure by departure:
//
//   ar1        a home's rate autocorrelated month to month: log level AR(1), phi 0.8, sd 0.35 per indicator
//   drift      a home's level drifting slowly without harm: a random walk on the log scale, step sd 0.06 a
//              month (sd 0.36 after three years), every home
//   occupancy  children come and go during the months: each child stays a geometric time (mean 8 months),
//              arrives and leaves mid-month, brings its own propensity (log-normal, sd 0.8); vacancies fill
//              with chance 0.3 a month, so a home's rate moves with who is placed
//   trend      recording practice improving across the whole area: every home's rates rise linearly over
//              the span, by 20-60% depending on the indicator
//   adopt      the same, home by home: each home adopts better recording in a month of its own and its
//              counts step up by 1.35 from then on (all indicators), a level shift without harm
//   tail       a heavier tail than the gamma: 5% of homes have very variable months (month noise sd 0.9
//              where the others have 0.25)
//   corr       indicators moving together in the null: the month noise shared through loadings (0.8 on
//              restraint, injury, missing, police, self-harm; 0.3 on the others), its variance unchanged
//
// Round 18 (docs/BENCHMARKS.md "Round 18"): departures the independent data's maker might have thought of and
// round 9 did not, each in control (no harmful home has any of them in a way that differs from the others).
// Their own draws come from a second stream per home, so round 9's departures' files are byte for byte what
// they were, and an area with one of them has the textbook null's homes, places, levels and harmful homes
// (onset and size) of the same seed; the months' draws differ once a count's mean does.
//
//   record     a home changes its recording practice: 25% of homes start, at a month of their own (6 .. T-6),
//              recording low-level incidents of ONE indicator (restraint, injury or missing, at random), a
//              step x2 in that indicator only, no harm
//   crisis     one child in crisis: 30% of homes have, once, a 2-3 month burst in which one of their children
//              is 4 times as likely as a usual child to be restrained, injured, go missing, self-harm or
//              meet the police (the home's rate x (n + 3) / n, n its children; a solo home x4)
//   gaps       months missing from a home's series: 10% of homes lose 1-3 runs of 1-4 months (no occupancy
//              row, no incidents: absent, not zeros; the visitors' reports still come)
//   openclose  15% of homes open late (month 3 .. T-12, filling from one child over 3 months) and 15% close
//              early (month 12 .. T-3, children leaving over the last 2 months); no rows outside their months
//   mislabel   10% of homes carry another specialism's label: their rates are their own specialism's
//   batch      10% of homes record each quarter's incidents in the quarter's last month (dates in it)
//   nbtail     negative-binomial month noise with a small k: gamma, shape 1.5 (sd 0.82), in every home,
//              where the textbook null has log-normal sd 0.25
//   phase      strong seasonality at another phase by specialism: +-40% peaking in August (emotional and
//              behavioural: the summer holidays), April (disability), December (solo); the base's +-10%
//              February season is replaced
//   provider   homes of one provider moving together: providers of 12 homes (the provider column says
//              which), each with a monthly factor, AR(1) phi 0.7, log sd 0.3, loaded on the indicators as
//              corr's, shared by all its homes
//
// `--null a,b` combines departures; `--size X` scales each departure's magnitude (sd, step, rise, share).
// Same files as `safeguard gen homes` (homes.csv, occupancy.csv, incidents.csv, reg44.csv, truth.csv; and
// structure.csv, each home's specialism, places, whether it is volatile, its adoption month; with a round 18
// departure also structure18.csv, each home's label, provider and months of the departure: for diagnosis), scored
// by bench/homes_score.mjs. Harm: a step at a random month, restraint, injury and missing x2.5 (x --harm-scale
// on the log scale), complaints x0.6.
//
//   node bench/homes_gen_null.mjs --out DIR [--null NAME[,NAME]] [--size X] [--homes 1500] [--months 36]
//        [--seed 1] [--harmful-pct 5] [--harm-scale X]
import fs from 'node:fs';
import path from 'node:path';
import { draws } from './homes_draws.mjs';

const TYPES = ['restraint', 'injury', 'missing', 'police', 'complaint', 'self_harm', 'notification', 'allegation'];
const [R, I, M, P, C, S, N, A] = [0, 1, 2, 3, 4, 5, 6, 7];
const KNOWN = ['none', 'ar1', 'drift', 'occupancy', 'trend', 'adopt', 'tail', 'corr',
  'record', 'crisis', 'gaps', 'openclose', 'mislabel', 'batch', 'nbtail', 'phase', 'provider'];

function usage(msg) {
  console.error(`homes_gen_null: ${msg}`);
  console.error(`usage: node bench/homes_gen_null.mjs --out DIR [--null ${KNOWN.join('|')}[,...]] [--size X] [--homes N] [--months M] [--seed S] [--harmful-pct P] [--harm-scale X]`);
  process.exit(2);
}

function args() {
  const a = { out: null, nulls: new Set(), size: 1, homes: 1500, months: 36, seed: 1, harmfulPct: 5, harm: 1 };
  const v = process.argv.slice(2);
  const num = (i) => { const x = Number(v[i]); if (!Number.isFinite(x)) usage(`${v[i - 1]} needs a number`); return x; };
  for (let i = 0; i < v.length; i++) {
    switch (v[i]) {
      case '--out': a.out = v[++i]; break;
      case '--null': for (const n of String(v[++i]).split(',')) { if (!KNOWN.includes(n)) usage(`unknown departure ${n}`); if (n !== 'none') a.nulls.add(n); } break;
      case '--size': a.size = num(++i); break;
      case '--homes': a.homes = num(++i); break;
      case '--months': a.months = num(++i); break;
      case '--seed': a.seed = num(++i); break;
      case '--harmful-pct': a.harmfulPct = num(++i); break;
      case '--harm-scale': a.harm = num(++i); break;
      default: usage(`unknown argument ${v[i]}`);
    }
  }
  if (!a.out) usage('--out DIR is required');
  if (!Number.isInteger(a.homes) || a.homes < 1 || !Number.isInteger(a.months) || a.months < 12) usage('--homes >= 1 and --months >= 12, whole numbers');
  return a;
}

// xorshift128+ on two 32-bit halves would do; a splitmix-seeded mulberry32 per home is enough here.
function rng(seed, home) {
  let s = (Math.imul(seed, 0x9e3779b1) ^ Math.imul(home + 1, 0x85ebca77) ^ 0x27d4eb2f) >>> 0;
  const u = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  for (let i = 0; i < 8; i++) u();
  return draws(u);
}

// Specialisms: share, places lo..hi, base incidents per 100 child-nights (order of TYPES).
const SPECS = [
  { code: 'emotional_behavioural', share: 0.5, lo: 2, hi: 6, rate: [0.9, 0.4, 0.5, 0.2, 0.15, 0.25, 0.35, 0.04] },
  { code: 'disability', share: 0.25, lo: 2, hi: 8, rate: [0.6, 0.6, 0.05, 0.03, 0.2, 0.1, 0.5, 0.03] },
  { code: 'solo_crisis', share: 0.25, lo: 1, hi: 2, rate: [1.4, 0.6, 0.9, 0.4, 0.12, 0.5, 0.4, 0.05] },
];
const TREND = [0.6, 0.4, 0.2, 0.2, 0.3, 0.3, 0.5, 0.2]; // "trend": each indicator's rise over the span
const LOADC = [0.8, 0.8, 0.8, 0.8, 0.3, 0.8, 0.3, 0.3]; // "corr": the shared month noise's loadings
const PHASE = { emotional_behavioural: 7, disability: 3, solo_crisis: 11 }; // "phase": peak month (0 = Jan)
const PROVIDER_HOMES = 12; // "provider": homes per provider
// A gamma draw of mean 1 and shape k (Marsaglia & Tsang 2000; k < 1 by the boost u^(1/k)), from draws q.
function gamma1(q, k) {
  const boost = k < 1 ? q.u() ** (1 / k) : 1;
  const d = (k < 1 ? k + 1 : k) - 1 / 3; const c = 1 / Math.sqrt(9 * d);
  for (let i = 0; i < 1000; i++) { // bounded: each try is accepted with chance above 0.95
    let x; let v;
    do { x = q.normal(); v = 1 + c * x; } while (v <= 0);
    v = v * v * v; const u = q.u();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return (d * v * boost) / k;
  }
  return 1;
}
const daysIn = (y, m) => new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
const pad = (n, w = 2) => String(n).padStart(w, '0');

function main() {
  const a = args();
  const has = (n) => a.nulls.has(n);
  const z = a.size;
  const y0 = 2023; const T = a.months;
  const out = { homes: ['home_id,name,provider,la_code,specialism,places,rating'], occ: ['home_id,month,child_nights'],
    inc: [], reg: ['home_id,month,safeguarded'], truth: ['home_id,harmful,onset_month'],
    made: ['home_id,specialism,places,volatile,adopt_month'],
    made18: ['home_id,label,provider,record_month,record_type,crisis_month,crisis_months,absent_months,open_month,close_month,batch'] };
  const round18 = KNOWN.slice(8).some(has);
  let nHarm = 0;
  // "provider": each provider's monthly factor, AR(1) on the log scale, stationary sd 0.3 x size.
  const provSeries = [];
  if (has('provider')) {
    for (let p = 0; p * PROVIDER_HOMES < a.homes; p++) {
      const q = rng(a.seed, 5000000 + p); const sd = 0.3 * z; let x = sd * q.normal(); const ser = [];
      for (let t = 0; t < T; t++) { ser.push(x); x = 0.7 * x + Math.sqrt(1 - 0.49) * sd * q.normal(); }
      provSeries.push(ser);
    }
  }
  for (let h = 0; h < a.homes; h++) {
    const r = rng(a.seed, h);
    const q = rng(a.seed ^ 0x5bd1e995, h + 1000003); // round 18's departures' own draws
    const id = `SN${pad(300000 + h * 11 + 5, 6)}`;
    let x = r.u(); let sp = SPECS[SPECS.length - 1];
    for (const s of SPECS) { if (x < s.share) { sp = s; break; } x -= s.share; }
    const places = r.int(sp.lo, sp.hi);
    let label = sp.code; // "mislabel": another specialism's label, the home's own rates
    if (has('mislabel') && q.u() < 0.1 * z) { const o = SPECS.filter((x2) => x2 !== sp); label = o[q.int(0, o.length - 1)].code; }
    const provider = has('provider') ? `Provider P${1 + Math.floor(h / PROVIDER_HOMES)}` : `Provider ${1 + (h % 7)}`;
    out.homes.push(`${id},Home ${h + 1},${provider},${800 + (h % 5)},${label},${places},good`);
    // Lasting level: a shared part and each indicator's own, log-normal, mean 1.
    const F = r.normal();
    const level = TYPES.map(() => Math.exp(0.4 * (0.6 * F + 0.8 * r.normal()) - 0.08));
    const volatile = has('tail') && r.u() < 0.05 * z;
    const msd = volatile ? 0.9 : 0.25; // month noise sd (log scale)
    const harmful = r.u() * 100 < a.harmfulPct;
    const onset = harmful ? r.int(9, T - 6) : -1;
    const fold = new Array(8).fill(1);
    if (harmful) { nHarm++; fold[R] = fold[I] = fold[M] = 2.5 ** a.harm; fold[C] = 0.6 ** a.harm; }
    out.truth.push(`${id},${harmful ? 1 : 0},${harmful ? `${y0 + Math.floor(onset / 12)}-${pad((onset % 12) + 1)}` : ''}`);
    const adoptAt = has('adopt') ? r.int(1, T - 1) : T;
    out.made.push(`${id},${sp.code},${places},${volatile ? 1 : 0},${adoptAt < T ? adoptAt : ''}`);
    const p44 = 0.03 * Math.exp(0.5 * r.normal());
    const sees = harmful && r.u() < 0.5;
    // Round 18's departures' state (draws from q only).
    const recAt = has('record') && q.u() < 0.25 * z ? q.int(6, T - 6) : T; const recK = [R, I, M][q.int(0, 2)];
    const crisisAt = has('crisis') && q.u() < 0.3 * z ? q.int(0, T - 2) : T; const crisisLen = q.int(2, 3);
    const absent = new Array(T).fill(false);
    if (has('gaps') && q.u() < 0.1 * z) {
      for (let g = q.int(1, 3); g > 0; g--) { const s0 = q.int(0, T - 1); const len = q.int(1, 4); for (let t = s0; t < Math.min(T, s0 + len); t++) absent[t] = true; }
    }
    let openAt = 0; let closeAt = T;
    if (has('openclose')) {
      if (q.u() < 0.15 * z) openAt = q.int(3, T - 12);
      if (q.u() < 0.15 * z) closeAt = q.int(Math.max(12, openAt + 6), T - 3);
    }
    const batch = has('batch') && q.u() < 0.1 * z;
    const pending = []; // "batch": the quarter's incidents so far, their types
    out.made18.push([id, label, provider, recAt < T ? recAt : '', recAt < T ? TYPES[recK] : '', crisisAt < T ? crisisAt : '',
      crisisAt < T ? crisisLen : '', absent.filter(Boolean).length || '', openAt || '', closeAt < T ? closeAt : '', batch ? 1 : ''].join(','));
    // State of the departures.
    const ar = new Array(8).fill(0).map(() => (has('ar1') ? 0.35 * z * r.normal() : 0));
    const walk = new Array(8).fill(0);
    let kids = [];
    const nKids0 = Math.max(1, Math.round(places * (0.6 + 0.4 * r.u())));
    const child = () => ({ prop: Math.exp(0.8 * z * r.normal() - 0.32 * z * z), stay: 1 + Math.floor(-Math.log(r.u()) * 8) });
    if (has('occupancy')) for (let c = 0; c < nKids0; c++) kids.push(child());
    for (let t = 0; t < T; t++) {
      const yy = y0 + Math.floor(t / 12); const mm = t % 12; const days = daysIn(yy, mm);
      const ym = `${yy}-${pad(mm + 1)}`;
      // Occupancy and what the children bring.
      let nights; let bring = 1;
      if (has('occupancy')) {
        let n = 0; let p = 0; const next = [];
        for (const c of kids) {
          c.stay--;
          const d = c.stay <= 0 ? r.int(1, days) : days; // leaves mid-month
          n += d; p += c.prop * d;
          if (c.stay > 0) next.push(c);
        }
        for (let v = next.length; v < places; v++) {
          if (r.u() < 0.3) { const c = child(); const d = r.int(1, days); n += d; p += c.prop * d; next.push(c); }
        }
        kids = next; nights = n; bring = n > 0 ? p / n : 1;
      } else nights = nKids0 * days - r.int(0, 3);
      if (t < openAt || t >= closeAt || absent[t]) nights = 0; // no row at all (below)
      else if (t < openAt + 3 && openAt > 0) nights = Math.max(1, Math.round(nights * Math.min(1, (1 + (nKids0 - 1) * (t - openAt) / 3) / nKids0)));
      else if (closeAt < T && t >= closeAt - 2) nights = Math.max(1, Math.round(nights * (closeAt - t) / 3));
      const row = !(t < openAt || t >= closeAt || absent[t]);
      if (row) out.occ.push(`${id},${ym},${nights}`);
      const gm = has('nbtail') ? TYPES.map(() => gamma1(q, 1.5 / z)) : null;
      const F2 = r.normal();
      const list = [];
      for (let k = 0; k < 8; k++) {
        if (has('ar1')) ar[k] = 0.8 * ar[k] + Math.sqrt(1 - 0.64) * 0.35 * z * r.normal();
        if (has('drift')) walk[k] += 0.06 * z * r.normal();
        const e = has('corr') ? LOADC[k] * F2 + Math.sqrt(1 - LOADC[k] ** 2) * r.normal() : r.normal();
        const season = has('phase') ? 1 + 0.4 * z * Math.cos(2 * Math.PI * (mm - PHASE[sp.code]) / 12)
          : 1 + 0.1 * Math.cos(2 * Math.PI * (mm - 1) / 12);
        let mu = (nights / 100) * sp.rate[k] * level[k] * (gm ? gm[k] : Math.exp(msd * e - msd * msd / 2)) * bring * season;
        if (t >= recAt && k === recK) mu *= 1 + z;
        if (t >= crisisAt && t < crisisAt + crisisLen && [R, I, M, P, S].includes(k)) mu *= (nKids0 + 3) / nKids0;
        if (provSeries.length) { const x = provSeries[Math.floor(h / PROVIDER_HOMES)][t]; mu *= Math.exp(LOADC[k] * x - (LOADC[k] * 0.3 * z) ** 2 / 2); }
        if (has('ar1')) mu *= Math.exp(ar[k] - 0.5 * (0.35 * z) ** 2);
        if (has('drift')) mu *= Math.exp(walk[k]);
        if (has('trend')) mu *= 1 + TREND[k] * z * t / (T - 1);
        if (t >= adoptAt) mu *= 1 + 0.35 * z;
        if (harmful && t >= onset) mu *= fold[k];
        const cnt = r.poisson(mu);
        for (let j = 0; j < cnt; j++) list.push(`${id},${ym}-${pad(r.int(1, days))},${TYPES[k]}`);
      }
      if (!row) list.length = 0; // an absent month has no incidents either (its draws made, so the stream stays)
      if (batch) {
        pending.push(...list.map((l) => l.slice(l.lastIndexOf(',') + 1))); list.length = 0;
        if (mm % 3 === 2 || t === T - 1) { for (const k2 of pending) list.push(`${id},${ym}-${pad(q.int(1, days))},${k2}`); pending.length = 0; }
      }
      list.sort();
      out.inc.push(...list);
      if ((nights > 0 || (absent[t] && t >= openAt && t < closeAt)) && r.u() < 0.85) { // "gaps": the visitor still reports
        const p = Math.min(0.9, p44 * (sees && t >= onset ? 3 : 1));
        out.reg.push(`${id},${ym},${r.u() < p ? 'no' : 'yes'}`);
      }
    }
  }
  fs.mkdirSync(a.out, { recursive: true });
  const w = (f, l) => fs.writeFileSync(path.join(a.out, f), l.join('\n') + '\n');
  w('homes.csv', out.homes); w('occupancy.csv', out.occ); w('incidents.csv', ['home_id,date,type', ...out.inc]);
  w('reg44.csv', out.reg); w('truth.csv', out.truth); w('structure.csv', out.made); // structure: for diagnosis, never read by the monitor
  if (round18) w('structure18.csv', out.made18); // round 18's departures, home by home (months from 0): for diagnosis
  console.error(`homes_gen_null: ${a.homes} homes (${nHarm} harmful), null ${[...a.nulls].join(',') || 'none'} x${z}, ${out.inc.length} incidents in ${a.out}`);
}

main();
