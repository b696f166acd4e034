#!/usr/bin/env node
// The third children's homes simulator, "style c" (issue 16, round 6): written afresh, in another language
// and with another data-generating process than `safeguard gen homes --style a` (src/synth/homes.c) and
// `--style b` (src/synth/homes2.c), so that the monitor's false-alarm budget can be measured on an area whose
// structure neither the monitor nor the other two simulators wrote. Same files as `gen homes`: homes.csv,
// occupancy.csv, incidents.csv, reg44.csv, truth.csv (bench/homes_score.mjs scores it as it scores them),
// and structure.csv, what each home was made of (its drift, whether it records late, when it opened and
// closed, its harm's ramp and folds), for diagnosing which homes alarm; the monitor never reads it.
//
//   node bench/homes_gen_c.mjs --out DIR [--homes 1500] [--months 36] [--seed 1] [--start 2023-01]
//        [--rate-scale X] [--dispersion-scale X] [--harm-scale X] [--harmful-pct P] [--season-scale X]
//        [--drift-scale X] [--late-pct P]
//
// What is different, on purpose (the magnitudes are orders of magnitude, not a fit to anything; nothing of
// the monitor's output was looked at to set them):
//   - home levels DRIFT as a random walk on the log scale (each home its own step size, a minority fast),
//     shared by the indicators through loadings: no lasting level, no jumps when a child arrives;
//   - indicators move together through ONE shared latent factor per home and month (an AR(1) "climate"
//     with indicator loadings), not through incidents causing incidents nor through children's propensities;
//   - incidents come in EPISODES: a Poisson number of episodes, each of 1 + geometric incidents on
//     consecutive days (a restraint episode is several holds over a few days);
//   - occupancy moves month to month as a birth-death process on the places; homes open and close
//     mid-period (and stand empty for refurbishment for a month or two);
//   - some homes record LATE IN BATCHES: in some months everything is entered in the first days of the next
//     month (dated then), so a quiet month is followed by a double one; what falls after the span is lost;
//   - specialisms unlike ours (therapeutic, unaccompanied asylum-seeking children, complex health, mixed) in
//     other shares and sizes;
//   - seasonality of another shape: a sawtooth over the school year for restraint and injury (rising through
//     the year, falling in August), a bump in early summer for missing and police, complaints dipping at
//     Christmas; an area-wide linear rise of complaints and self-harm over the span;
//   - harm starts either in a STEP or GRADUALLY (a linear ramp over 3-12 months), on a random subset of
//     restraint, injury, missing (at least one), with complaints falling in some homes and allegations
//     rising in a few; the visitors' opinions see it in only some homes.
// Deterministic: one PRNG stream per home from the seed and the home's number.
import fs from 'node:fs';
import path from 'node:path';
import { draws } from './homes_draws.mjs';

const TYPES = ['restraint', 'injury', 'missing', 'police', 'complaint', 'self_harm', 'notification', 'allegation'];
const [R, I, M, P, C, S, N, A] = [0, 1, 2, 3, 4, 5, 6, 7];

function args() {
  const a = { out: null, homes: 1500, months: 36, seed: 1, start: '2023-01', rate: 1, disp: 1, harm: 1, harmfulPct: 5, season: 1, drift: 1, latePct: 20 };
  const v = process.argv.slice(2);
  const num = (i) => { const x = Number(v[i]); if (!Number.isFinite(x)) usage(`${v[i - 1]} needs a number`); return x; };
  for (let i = 0; i < v.length; i++) {
    switch (v[i]) {
      case '--out': a.out = v[++i]; break;
      case '--homes': a.homes = num(++i); break;
      case '--months': a.months = num(++i); break;
      case '--seed': a.seed = num(++i); break;
      case '--start': a.start = v[++i]; break;
      case '--rate-scale': a.rate = num(++i); break;
      case '--dispersion-scale': a.disp = num(++i); break;
      case '--harm-scale': a.harm = num(++i); break;
      case '--harmful-pct': a.harmfulPct = num(++i); break;
      case '--season-scale': a.season = num(++i); break;
      case '--drift-scale': a.drift = num(++i); break;
      case '--late-pct': a.latePct = num(++i); break;
      default: usage(`unknown argument ${v[i]}`);
    }
  }
  if (!a.out) usage('--out DIR is required');
  if (!Number.isInteger(a.homes) || a.homes < 1 || !Number.isInteger(a.months) || a.months < 2) usage('--homes >= 1 and --months >= 2, whole numbers');
  if (!/^\d{4}-\d{2}$/.test(a.start)) usage('--start is YYYY-MM');
  return a;
}

function usage(msg) {
  console.error(`homes_gen_c: ${msg}`);
  console.error('usage: node bench/homes_gen_c.mjs --out DIR [--homes N] [--months M] [--seed S] [--rate-scale X] [--dispersion-scale X] [--harm-scale X] [--harmful-pct P] [--season-scale X] [--drift-scale X] [--late-pct P]');
  process.exit(2);
}

// splitmix32-seeded sfc32: a small PRNG with a stream per (seed, home).
function rng(seed, home) {
  let s = (seed * 0x9e3779b1 + home * 0x85ebca77 + 0x165667b1) >>> 0;
  const mix = () => { s = (s + 0x9e3779b9) >>> 0; let z = s; z = Math.imul(z ^ (z >>> 16), 0x21f0aaad); z = Math.imul(z ^ (z >>> 15), 0x735a2d97); return (z ^ (z >>> 15)) >>> 0; };
  let a = mix(); let b = mix(); let c = mix(); let d = mix();
  const u = () => {
    const t = (((a + b) >>> 0) + d) >>> 0; d = (d + 1) >>> 0;
    a = b ^ (b >>> 9); b = (c + (c << 3)) >>> 0; c = ((c << 21) | (c >>> 11)) >>> 0; c = (c + t) >>> 0;
    return (t + 0.5) / 4294967296;
  };
  for (let i = 0; i < 12; i++) u();
  return draws(u);
}

// Specialisms: share, places lo..hi, a child's monthly chance of leaving, a vacancy's of being filled, base
// episodes per 100 child-nights (order of TYPES), mean extra incidents per episode (geometric), and the
// loadings of the shared latent climate.
const SPECS = [
  { code: 'therapeutic', share: 0.35, lo: 3, hi: 6, leave: 0.05, fill: 0.25,
    ep: [0.8, 0.35, 0.45, 0.2, 0.12, 0.25, 0.3, 0.04], extra: [0.7, 0.3, 0.6, 0.2, 0.1, 0.5, 0.2, 0.05] },
  { code: 'unaccompanied', share: 0.2, lo: 4, hi: 10, leave: 0.09, fill: 0.4,
    ep: [0.12, 0.08, 0.7, 0.25, 0.18, 0.08, 0.2, 0.02], extra: [0.2, 0.1, 0.9, 0.3, 0.1, 0.2, 0.1, 0.05] },
  { code: 'complex_health', share: 0.15, lo: 2, hi: 5, leave: 0.03, fill: 0.2,
    ep: [0.5, 0.5, 0.04, 0.03, 0.2, 0.08, 0.45, 0.03], extra: [0.5, 0.4, 0.1, 0.1, 0.1, 0.2, 0.2, 0.05] },
  { code: 'mixed', share: 0.3, lo: 1, hi: 8, leave: 0.07, fill: 0.3,
    ep: [0.4, 0.2, 0.35, 0.18, 0.12, 0.15, 0.25, 0.03], extra: [0.5, 0.3, 0.5, 0.2, 0.1, 0.4, 0.2, 0.05] },
];
const LOAD = [0.9, 0.8, 0.6, 0.6, 0.2, 0.7, 0.5, 0.3]; // the latent climate's loading per indicator
const NAMES = ['Alder', 'Beech', 'Cedar', 'Damson', 'Elder', 'Fir', 'Gorse', 'Hazel', 'Ivy', 'Juniper', 'Larch', 'Maple', 'Oak', 'Pine', 'Rowan', 'Sorrel', 'Teasel', 'Willow', 'Yew'];
const KINDS = ['House', 'Lodge', 'View', 'Court', 'Place', 'Cottage'];
const PROVIDERS = ['Northgate Care', 'Meridian Homes', 'Kestrel Childcare', 'Haven Together', 'Local authority'];

const daysIn = (y, m) => new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
const pad = (n, w = 2) => String(n).padStart(w, '0');

function season(k, month, scale) {
  const moy = month % 12; // 0 = January
  let f = 1;
  if (k === R || k === I) { const pos = ((moy - 8 + 12) % 12) / 11; f = moy === 7 ? 0.8 : 0.88 + 0.24 * pos; } // Sep low .. Jul high, August drop
  else if (k === M || k === P) f = 1 + 0.3 * Math.exp(-((moy - 5.5) ** 2) / 2); // early summer bump
  else if (k === C) f = moy === 11 ? 0.7 : 1.03;
  return 1 + (f - 1) * scale;
}

function main() {
  const a = args();
  const [y0, m0] = a.start.split('-').map(Number);
  const T = a.months;
  const sdScale = Math.sqrt(a.disp); // --dispersion-scale scales variances
  const homes = ['home_id,name,provider,la_code,specialism,places,rating'];
  const occ = ['home_id,month,child_nights'];
  const inc = ['home_id,date,type'];
  const reg = ['home_id,month,safeguarded'];
  const truth = ['home_id,harmful,onset_month'];
  // What each home was made of (not read by the monitor nor the scorer): for diagnosing its alarms.
  const made = ['home_id,specialism,places,drift_step,late_recorder,open_month,close_month,harm_ramp_months,harm_folds'];
  let nInc = 0; let nHarm = 0; let nHm = 0;
  for (let h = 0; h < a.homes; h++) {
    const r = rng(a.seed, h);
    const id = `SC${pad(500000 + h * 7 + 3, 6)}`;
    let x = r.u(); let sp = SPECS[SPECS.length - 1];
    for (const s of SPECS) { if (x < s.share) { sp = s; break; } x -= s.share; }
    const places = r.int(sp.lo, sp.hi);
    const rating = ['outstanding', 'good', 'good', 'good', 'requires_improvement'][r.int(0, 4)];
    homes.push(`${id},${NAMES[r.int(0, NAMES.length - 1)]} ${KINDS[r.int(0, KINDS.length - 1)]},${PROVIDERS[r.int(0, PROVIDERS.length - 1)]},${900 + r.int(0, 3)},${sp.code},${places},${rating}`);
    // Open and close within the span.
    const open = r.u() < 0.12 ? r.int(1, T - 6) : 0;
    const close = r.u() < 0.08 ? r.int(open + 6, T) : T; // exclusive
    // The home's level: one home factor through the loadings plus each indicator's own, log-normal.
    const F = r.normal();
    const level = LOAD.map((l) => Math.exp(0.45 * sdScale * (l * F + Math.sqrt(1 - l * l) * r.normal()) - 0.5 * (0.45 * sdScale) ** 2));
    // Drift: a random walk on the log scale, its step its own (a fifth of homes drift fast).
    const step = (r.u() < 0.2 ? 0.09 : 0.03) * a.drift * sdScale;
    const late = r.u() * 100 < a.latePct; // a batch recorder
    const r44 = -3.2 + 0.6 * r.normal(); // the visitor's usual log-odds of "not effectively safeguarded"
    // Harm.
    const harmful = r.u() * 100 < a.harmfulPct && close - open > 14;
    let onset = -1; let ramp = 0; const fold = new Array(8).fill(1);
    let visitorSees = false;
    if (harmful) {
      nHarm++;
      onset = r.int(Math.max(open + 9, 9), Math.min(close - 6, T - 6));
      ramp = r.u() < 0.5 ? 0 : r.int(3, 12);
      const size = Math.exp(Math.log(2.2) + 0.3 * r.normal());
      const hit = [R, I, M].map(() => r.u() < 0.75);
      if (!hit.some(Boolean)) hit[r.int(0, 2)] = true;
      [R, I, M].forEach((k, j) => { if (hit[j]) fold[k] = size ** (0.7 + 0.6 * r.u()); });
      if (r.u() < 0.6) fold[C] = 0.55;
      if (r.u() < 0.3) fold[A] = 1.8;
      if (r.u() < 0.2) fold[P] = 1.5;
      for (let k = 0; k < 8; k++) fold[k] = fold[k] ** a.harm;
      visitorSees = r.u() < 0.5;
    }
    made.push(`${id},${sp.code},${places},${step.toFixed(3)},${late ? 1 : 0},${open},${close},${harmful ? ramp : ''},${harmful ? fold.map((f) => f.toFixed(2)).join(' ') : ''}`);
    truth.push(`${id},${harmful ? 1 : 0},${harmful ? `${y0 + Math.floor((m0 - 1 + onset) / 12)}-${pad(((m0 - 1 + onset) % 12) + 1)}` : ''}`);
    // Month by month.
    let kids = Math.max(0, Math.min(places, Math.round(places * (0.5 + 0.5 * r.u()))));
    let drift = 0; let climate = 0;
    const refurb = r.u() < 0.05 ? r.int(open + 2, Math.max(open + 2, close - 3)) : -1;
    let carry = []; // a batch recorder's incidents waiting to be entered: [type]
    for (let t = 0; t < T; t++) {
      const absM = m0 - 1 + t; const yy = y0 + Math.floor(absM / 12); const mm = absM % 12;
      const days = daysIn(yy, mm);
      const ym = `${yy}-${pad(mm + 1)}`;
      drift += step * r.normal();
      climate = 0.5 * climate + Math.sqrt(1 - 0.25) * 0.3 * sdScale * r.normal();
      if (t < open || t >= close) continue;
      const empty = t === refurb || t === refurb + 1;
      // Occupancy: each child may leave, each vacancy be filled, part-month stays.
      let nights = 0;
      if (!empty) {
        const before = kids;
        let leave = 0; for (let c = 0; c < kids; c++) if (r.u() < sp.leave) leave++;
        let come = 0; for (let c = 0; c < places - kids; c++) if (r.u() < sp.fill) come++;
        kids = kids - leave + come;
        nights = Math.round(days * (before - leave) + days * 0.5 * (leave + come) + r.int(-2, 2));
        nights = Math.max(0, Math.min(places * days, nights));
      } else kids = 0;
      occ.push(`${id},${ym},${nights}`);
      nHm++;
      // Harm's multiplier this month.
      let hf = 0;
      if (harmful && t >= onset) hf = ramp === 0 ? 1 : Math.min(1, (t - onset + 1) / ramp);
      const batchThisMonth = late && r.u() < 0.5;
      const entered = carry; carry = [];
      const list = [];
      for (let k = 0; k < 8; k++) {
        const trend = k === C ? 1 + 0.3 * t / (T - 1) : k === S ? 1 + 0.2 * t / (T - 1) : 1;
        const mu = (nights / 100) * sp.ep[k] * a.rate * level[k] * Math.exp(LOAD[k] * (drift + climate)) *
          season(k, t, a.season) * trend * (fold[k] ** hf);
        const eps = r.poisson(mu);
        for (let e = 0; e < eps; e++) {
          let size = 1; while (r.u() < sp.extra[k] / (1 + sp.extra[k]) && size < 12) size++;
          const d0 = r.int(1, days);
          for (let j = 0; j < size; j++) list.push([Math.min(days, d0 + j), k]);
        }
      }
      if (batchThisMonth) carry = list.map(([, k]) => k);
      else for (const [d, k] of list) inc.push(`${id},${ym}-${pad(d)},${TYPES[k]}`);
      // Last month's batch, entered in the first week of this one.
      for (const k of entered) inc.push(`${id},${ym}-${pad(r.int(1, 7))},${TYPES[k]}`);
      nInc += (batchThisMonth ? 0 : list.length) + entered.length;
      // The visitor: most months, an opinion that reads the climate and, in some harmful homes, the harm.
      if (nights > 0 && r.u() < 0.85) {
        const lo = r44 + 1.2 * climate + (visitorSees ? 1.3 * hf * a.harm : 0);
        reg.push(`${id},${ym},${r.u() < 1 / (1 + Math.exp(-lo)) ? 'no' : 'yes'}`);
      }
    }
  }
  // Dates within a home are written month by month; sort each home's incidents by date as gen homes does.
  const body = inc.slice(1).sort();
  fs.mkdirSync(a.out, { recursive: true });
  const w = (f, l) => fs.writeFileSync(path.join(a.out, f), l.join('\n') + '\n');
  w('homes.csv', homes); w('occupancy.csv', occ); w('incidents.csv', [inc[0], ...body]); w('reg44.csv', reg); w('truth.csv', truth); w('structure.csv', made);
  console.error(`homes_gen_c: ${a.homes} homes (${nHarm} harmful), ${nHm} home-months, ${nInc} incidents in ${a.out}`);
}

main();
