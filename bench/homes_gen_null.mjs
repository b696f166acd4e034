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
// `--null a,b` combines departures; `--size X` scales each departure's magnitude (sd, step, rise, share).
// Same files as `safeguard gen homes` (homes.csv, occupancy.csv, incidents.csv, reg44.csv, truth.csv; and
// structure.csv, each home's specialism, places, whether it is volatile, its adoption month: for diagnosis), scored
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
const KNOWN = ['none', 'ar1', 'drift', 'occupancy', 'trend', 'adopt', 'tail', 'corr'];

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
const daysIn = (y, m) => new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
const pad = (n, w = 2) => String(n).padStart(w, '0');

function main() {
  const a = args();
  const has = (n) => a.nulls.has(n);
  const z = a.size;
  const y0 = 2023; const T = a.months;
  const out = { homes: ['home_id,name,provider,la_code,specialism,places,rating'], occ: ['home_id,month,child_nights'],
    inc: [], reg: ['home_id,month,safeguarded'], truth: ['home_id,harmful,onset_month'],
    made: ['home_id,specialism,places,volatile,adopt_month'] };
  let nHarm = 0;
  for (let h = 0; h < a.homes; h++) {
    const r = rng(a.seed, h);
    const id = `SN${pad(300000 + h * 11 + 5, 6)}`;
    let x = r.u(); let sp = SPECS[SPECS.length - 1];
    for (const s of SPECS) { if (x < s.share) { sp = s; break; } x -= s.share; }
    const places = r.int(sp.lo, sp.hi);
    out.homes.push(`${id},Home ${h + 1},Provider ${1 + (h % 7)},${800 + (h % 5)},${sp.code},${places},good`);
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
      out.occ.push(`${id},${ym},${nights}`);
      const F2 = r.normal();
      const list = [];
      for (let k = 0; k < 8; k++) {
        if (has('ar1')) ar[k] = 0.8 * ar[k] + Math.sqrt(1 - 0.64) * 0.35 * z * r.normal();
        if (has('drift')) walk[k] += 0.06 * z * r.normal();
        const e = has('corr') ? LOADC[k] * F2 + Math.sqrt(1 - LOADC[k] ** 2) * r.normal() : r.normal();
        let mu = (nights / 100) * sp.rate[k] * level[k] * Math.exp(msd * e - msd * msd / 2) * bring *
          (1 + 0.1 * Math.cos(2 * Math.PI * (mm - 1) / 12));
        if (has('ar1')) mu *= Math.exp(ar[k] - 0.5 * (0.35 * z) ** 2);
        if (has('drift')) mu *= Math.exp(walk[k]);
        if (has('trend')) mu *= 1 + TREND[k] * z * t / (T - 1);
        if (t >= adoptAt) mu *= 1 + 0.35 * z;
        if (harmful && t >= onset) mu *= fold[k];
        const cnt = r.poisson(mu);
        for (let j = 0; j < cnt; j++) list.push(`${id},${ym}-${pad(r.int(1, days))},${TYPES[k]}`);
      }
      list.sort();
      out.inc.push(...list);
      if (nights > 0 && r.u() < 0.85) {
        const p = Math.min(0.9, p44 * (sees && t >= onset ? 3 : 1));
        out.reg.push(`${id},${ym},${r.u() < p ? 'no' : 'yes'}`);
      }
    }
  }
  fs.mkdirSync(a.out, { recursive: true });
  const w = (f, l) => fs.writeFileSync(path.join(a.out, f), l.join('\n') + '\n');
  w('homes.csv', out.homes); w('occupancy.csv', out.occ); w('incidents.csv', ['home_id,date,type', ...out.inc]);
  w('reg44.csv', out.reg); w('truth.csv', out.truth); w('structure.csv', out.made); // structure: for diagnosis, never read by the monitor
  console.error(`homes_gen_null: ${a.homes} homes (${nHarm} harmful), null ${[...a.nulls].join(',') || 'none'} x${z}, ${out.inc.length} incidents in ${a.out}`);
}

main();
