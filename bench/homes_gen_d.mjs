#!/usr/bin/env node
// The fourth children's homes simulator, "style d" (issue 16, round 22): written apart from `safeguard gen
// homes --style a|b` (src/synth/homes.c, homes2.c) and from bench/homes_gen_c.mjs, BEFORE reading the monitor
// (src/oversight) or any of those simulators' internals: only the file formats were read (the CSV headers
// `gen homes --help` names and bench/homes_score.mjs reads). Same files: homes.csv, occupancy.csv,
// incidents.csv, reg44.csv, truth.csv, so bench/homes_score.mjs scores it as it scores the others; and
// structure.csv, what each home was made of (its group, its managers and their changes, its empty spells,
// its harm's kind and how much of it was hidden), for diagnosing which homes alarm; the monitor never reads it.
//
//   node bench/homes_gen_d.mjs --out DIR [--homes 1500] [--months 36] [--seed 1] [--start 2023-01]
//        [--rate-scale X] [--dispersion-scale X] [--harm-scale X] [--harmful-pct P] [--season-scale X]
//        [--manager-scale X] [--hide-scale X]
//
// The process is built from the DAY up, person by person, not from monthly rates:
//   - PROVIDER GROUPS own 1-12 homes each; a group has a recording culture (how much of what happens its staff
//     write down, per kind of incident) shared by its homes, and MANAGERS who each run 1-3 of the group's homes;
//   - a CHANGE OF REGISTERED MANAGER (each manager leaves at some hazard; all the homes they ran change together)
//     is a lasting step in what is recorded (the new manager's own habits) and two unsettled months, not harm;
//   - homes of very different SIZES: solo placements of 1-2 beds (one child's needs are the whole home), homes
//     of 2-8, large homes up to 12, short-break homes whose children stay days;
//   - OCCUPANCY is children arriving into vacancies at a home's own referral rate and staying a drawn time, so
//     homes stand EMPTY for long spells (a solo home between children, a home paused by its provider or under a
//     restriction), open and close mid-span; each child carries propensities and is unsettled in its first weeks;
//     incidents grow faster than the number of children (peers set each other off);
//   - COUNTY-WIDE months: a heatwave month in which every home's missing episodes rise, the summer holidays,
//     Christmas; weekends; and a REPORTING CHANGE at one date for every home (new guidance: minor injuries
//     body-mapped and self-harm recorded by a wider definition);
//   - HARM of three kinds: a CULTURE that declines (a ramp over months; restraints and injuries rise but are
//     recorded less the worse it gets, complaints fall: harm hidden); ONE MEMBER OF STAFF (incidents and
//     allegations clustered on the nights and weekends they work, which they record themselves, partly);
//     EXPLOITATION from outside (missing episodes and police call-outs rise; recorded by others, not hidden);
//     a group's culture sometimes spreads to a second home of the group some months later;
//   - the Regulation 44 visitor is the group's (one per group), with a stringency of their own; they miss a
//     month now and then, are unsettled by a change of manager, and see each kind of harm at their own rate.
// The magnitudes are orders of magnitude chosen from the description of the domain, not fitted to anything;
// nothing of the monitor's output was looked at to set them.
// Deterministic: one PRNG stream per group, per home and for the area, from the seed.
import fs from 'node:fs';
import path from 'node:path';

const TYPES = ['restraint', 'injury', 'missing', 'police', 'complaint', 'self_harm', 'notification', 'allegation'];
const T = Object.fromEntries(TYPES.map((t, i) => [t, i]));
// What a home's own staff write down (and so a manager's and a group's habits move) and what others record
// (police, the missing-person report shared with the police): the latter barely depends on the home.
const INTERNAL = [T.restraint, T.injury, T.complaint, T.self_harm, T.notification, T.allegation];

// Per child-month rates of what happens (before recording), by specialism; places drawn from `places`.
const SPEC = {
  emotional_behavioural: { share: 0.5, places: [2, 3, 3, 4, 4, 4, 5, 5, 6, 8], stay: 240, wait: 25,
    rate: [0.5, 0.15, 0.4, 0.12, 0.08, 0.12, 0.2, 0.02] },
  disability: { share: 0.14, places: [3, 4, 5, 6, 6, 8, 10], stay: 500, wait: 45,
    rate: [0.4, 0.25, 0.02, 0.01, 0.06, 0.06, 0.2, 0.015] },
  general: { share: 0.14, places: [4, 6, 6, 8, 10, 12], stay: 300, wait: 20,
    rate: [0.15, 0.08, 0.3, 0.1, 0.06, 0.06, 0.12, 0.01] },
  solo_placement: { share: 0.14, places: [1, 1, 1, 2], stay: 280, wait: 60,
    rate: [1.6, 0.5, 0.7, 0.4, 0.1, 0.4, 0.4, 0.04] },
  short_break: { share: 0.08, places: [4, 5, 6, 8], stay: 4, wait: 2,
    rate: [0.2, 0.18, 0.01, 0.01, 0.05, 0.02, 0.1, 0.01] },
};
const SPECS = Object.keys(SPEC);

function args() {
  const a = { out: null, homes: 1500, months: 36, seed: 1, start: '2023-01', rate: 1, disp: 1, harm: 1, harmfulPct: 5,
    season: 1, manager: 1, hide: 1 };
  const v = process.argv.slice(2);
  const num = (i, lo, hi) => {
    const x = Number(v[i + 1]);
    if (v[i + 1] === undefined || !Number.isFinite(x) || x < lo || x > hi) usage(`${v[i]} must be a number within ${lo}-${hi}`);
    return x;
  };
  for (let i = 0; i < v.length; i++) {
    const o = v[i];
    if (o === '--out') { if (v[i + 1] === undefined) usage('--out needs a folder'); a.out = v[++i]; continue; }
    if (o === '--start') {
      if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(v[i + 1] || '')) usage('--start must be YYYY-MM');
      a.start = v[++i];
      continue;
    }
    const k = { '--homes': ['homes', 1, 100000], '--months': ['months', 6, 240], '--seed': ['seed', 0, 2 ** 31],
      '--rate-scale': ['rate', 0.1, 10], '--dispersion-scale': ['disp', 0.1, 10], '--harm-scale': ['harm', 0.1, 10],
      '--harmful-pct': ['harmfulPct', 0, 100], '--season-scale': ['season', 0.1, 10], '--manager-scale': ['manager', 0, 10],
      '--hide-scale': ['hide', 0, 10] }[o];
    if (!k) usage(`unknown argument ${o}`);
    a[k[0]] = num(i, k[1], k[2]);
    i++;
  }
  if (!a.out) usage('--out DIR is required');
  for (const k of ['homes', 'months', 'seed']) if (!Number.isInteger(a[k])) usage(`--${k} must be a whole number`);
  return a;
}

function usage(msg) {
  console.error(`homes_gen_d: ${msg}`);
  console.error('usage: node bench/homes_gen_d.mjs --out DIR [--homes N] [--months M] [--seed S] [--start YYYY-MM]\n'
    + '       [--rate-scale X] [--dispersion-scale X] [--harm-scale X] [--harmful-pct P] [--season-scale X]\n'
    + '       [--manager-scale X] [--hide-scale X]');
  process.exit(2);
}

// sfc32 seeded through splitmix32: a small PRNG with a long enough period, one stream per (seed, kind, id).
function stream(seed, kind, id) {
  let s = (seed * 0x9e3779b1 + kind * 0x85ebca6b + id * 0xc2b2ae35) >>> 0;
  const mix = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return (z ^ (z >>> 15)) >>> 0;
  };
  let a = mix(); let b = mix(); let c = mix(); let d = mix();
  const u = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return (t + 0.5) / 4294967296;
  };
  for (let i = 0; i < 12; i++) u();
  const r = {
    u,
    int: (lo, hi) => lo + Math.floor(u() * (hi - lo + 1)),
    pick: (xs) => xs[Math.floor(u() * xs.length)],
    norm: () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u()),
    logn: (sd) => Math.exp(sd * r.norm() - (sd * sd) / 2), // mean 1
    gamma: (shape) => { // Marsaglia-Tsang; mean shape
      if (shape < 1) return r.gamma(shape + 1) * u() ** (1 / shape);
      const dd = shape - 1 / 3;
      const cc = 1 / Math.sqrt(9 * dd);
      for (;;) {
        let x; let v;
        do { x = r.norm(); v = 1 + cc * x; } while (v <= 0);
        v = v * v * v;
        const uu = u();
        if (uu < 1 - 0.0331 * x ** 4 || Math.log(uu) < 0.5 * x * x + dd * (1 - v + Math.log(v))) return dd * v;
      }
    },
    gmean1: (cv2) => (cv2 <= 0 ? 1 : r.gamma(1 / cv2) * cv2), // gamma with mean 1 and variance cv2
    poisson: (mu) => {
      if (mu <= 0) return 0;
      if (mu > 40) return Math.max(0, Math.round(mu + Math.sqrt(mu) * r.norm()));
      const L = Math.exp(-mu);
      let k = 0;
      let p = u();
      while (p > L && k < 500) { k++; p *= u(); }
      return k;
    },
    geom: (mean) => Math.max(1, Math.round(-Math.log(u()) * mean)),
  };
  return r;
}

const pad = (n, w = 2) => String(n).padStart(w, '0');

function main() {
  const a = args();
  const [y0, m0] = a.start.split('-').map(Number);
  const M = a.months;
  // Days of the span, each with its month and weekday.
  const dayMonth = [];
  const dayDow = [];
  const dayStr = [];
  const monthStr = [];
  const monthDays = [];
  const monthOfYear = [];
  for (let m = 0; m < M; m++) {
    const y = y0 + Math.floor((m0 - 1 + m) / 12);
    const mo = ((m0 - 1 + m) % 12) + 1;
    monthStr.push(`${y}-${pad(mo)}`);
    monthOfYear.push(mo);
    const nd = new Date(Date.UTC(y, mo, 0)).getUTCDate();
    monthDays.push(nd);
    for (let d = 1; d <= nd; d++) {
      dayMonth.push(m);
      dayDow.push(new Date(Date.UTC(y, mo - 1, d)).getUTCDay());
      dayStr.push(`${y}-${pad(mo)}-${pad(d)}`);
    }
  }
  const D = dayMonth.length;

  // The area: a heatwave month (a summer month, drawn), the date of the reporting change, the calendar.
  const area = stream(a.seed, 1, 0);
  const summers = [];
  for (let m = 0; m < M; m++) if (monthOfYear[m] >= 6 && monthOfYear[m] <= 8) summers.push(m);
  const heat = new Set();
  if (summers.length) heat.add(area.pick(summers));
  if (summers.length > 3 && area.u() < 0.5) heat.add(area.pick(summers));
  const reportDay = dayMonth.indexOf(area.int(Math.floor(M / 3), Math.floor((2 * M) / 3)));
  const sc = (x) => Math.exp(Math.log(x) * a.season); // a seasonal swing scaled on the log scale
  const season = TYPES.map(() => new Float64Array(D));
  for (let d = 0; d < D; d++) {
    const mo = monthOfYear[dayMonth[d]];
    const dom = Number(dayStr[d].slice(8));
    const weekend = dayDow[d] === 0 || dayDow[d] === 6;
    const summer = (mo === 7 && dom >= 22) || mo === 8;
    const xmas = mo === 12 && dom >= 20;
    for (let t = 0; t < TYPES.length; t++) {
      let f = 1;
      if (t === T.missing || t === T.police) {
        if (weekend) f *= sc(1.3);
        if (summer) f *= sc(t === T.missing ? 1.25 : 1.1);
        if (xmas) f *= sc(0.8);
        if (heat.has(dayMonth[d])) f *= sc(t === T.missing ? 1.7 : 1.3);
      }
      if (t === T.restraint || t === T.injury) {
        if (!weekend && !summer) f *= sc(1.1);
        if (xmas) f *= sc(1.15);
      }
      if (t === T.self_harm && (mo === 1 || mo === 2)) f *= sc(1.15);
      if (d >= reportDay && (t === T.injury || t === T.self_harm)) f *= t === T.injury ? 1.4 : 1.3;
      season[t][d] = f;
    }
  }

  // Provider groups: sizes from a heavy tail (many single homes, a few large groups).
  const groups = [];
  const homes = [];
  let gi = 0;
  while (homes.length < a.homes) {
    const g = stream(a.seed, 2, gi);
    const size = Math.min(a.homes - homes.length, g.u() < 0.35 ? 1 : g.u() < 0.6 ? g.int(2, 4) : g.int(4, 12));
    const culture = TYPES.map((_, t) => (INTERNAL.includes(t) ? g.logn(0.3 * Math.sqrt(a.disp)) : g.logn(0.08)));
    const visitor = { strict: 0.02 + 0.15 * g.u() ** 2, skip: 0.03 + 0.12 * g.u(), sees: 0.3 + 0.5 * g.u() };
    // A group tends to one specialism.
    const mainSpec = pickSpec(g);
    const grp = { id: gi, name: `${g.pick(GROUP_A)} ${g.pick(GROUP_B)} ${g.pick(GROUP_C)}`, culture, visitor, homes: [] };
    groups.push(grp);
    for (let k = 0; k < size; k++) {
      const spec = g.u() < 0.7 ? mainSpec : pickSpec(g);
      const h = { idx: homes.length, group: grp, spec, rng: stream(a.seed, 3, homes.length) };
      h.places = h.rng.pick(SPEC[spec].places);
      grp.homes.push(h);
      homes.push(h);
    }
    // Managers: each runs 1-3 of the group's homes (solo placements are often run together).
    let k = 0;
    while (k < grp.homes.length) {
      const n = Math.min(grp.homes.length - k, g.u() < 0.55 ? 1 : g.int(2, 3));
      const run = grp.homes.slice(k, k + n);
      const mgr = { homes: run, changes: [] };
      for (const h of run) h.manager = mgr;
      // Each manager leaves with a hazard of their own (a median tenure around three years, some churn fast).
      mgr.hazard = Math.min(0.5, (a.manager / 36) * g.logn(0.7));
      let style = TYPES.map((_, t) => (INTERNAL.includes(t) ? g.logn(0.3 * Math.sqrt(a.disp)) : 1));
      mgr.style = new Array(M);
      for (let m = 0; m < M; m++) {
        if (m > 0 && g.u() < mgr.hazard) {
          style = TYPES.map((_, t) => (INTERNAL.includes(t) ? g.logn(0.3 * Math.sqrt(a.disp)) : 1));
          mgr.changes.push(m);
        }
        mgr.style[m] = style;
      }
      k += n;
    }
    gi++;
  }

  // Occupancy, day by day: vacancies filled at the home's referral rate, stays drawn; pauses; openings and closings.
  for (const h of homes) {
    const r = h.rng;
    const sp = SPEC[h.spec];
    h.level = r.logn(0.3 * Math.sqrt(a.disp));
    h.typeLevel = TYPES.map(() => r.logn(0.2 * Math.sqrt(a.disp)));
    h.wait = sp.wait * r.logn(0.8); // mean days a vacancy waits for a child
    h.open = r.u() < 0.05 ? r.int(1, Math.floor(M / 2)) : 0;
    h.close = r.u() < 0.05 ? r.int(Math.floor(M / 2), M - 1) : M;
    h.pauses = [];
    h.openDay = dayMonth.indexOf(h.open);
    h.closeDay = h.close >= M ? D : dayMonth.indexOf(h.close);
    const paused = new Uint8Array(D);
    for (let m = h.open; m < h.close; m++) {
      if (r.u() < 1 / 150) {
        const len = r.int(2, 8);
        h.pauses.push(`${monthStr[m]}+${len}`);
        for (let d = dayMonth.indexOf(m); d < D && dayMonth[d] < m + len; d++) paused[d] = 1;
        m += len;
      }
    }
    h.children = []; // { from, to, props }
    const beds = new Array(h.places).fill(-1); // day each bed frees (-1 free)
    // Homes start partly full: the span opens on a running home.
    for (let b = 0; b < h.places; b++) {
      if (h.open === 0 && r.u() < 0.75) {
        const to = Math.min(h.closeDay, Math.round(r.u() * stayDays(r, sp)));
        beds[b] = to;
        h.children.push(child(r, 0, to, true));
      }
    }
    for (let d = h.openDay; d < h.closeDay; d++) {
      if (paused[d]) continue;
      for (let b = 0; b < h.places; b++) {
        if (beds[b] > d) continue;
        if (r.u() < 1 / h.wait) {
          const to = Math.min(h.closeDay, d + stayDays(r, sp));
          beds[b] = to;
          h.children.push(child(r, d, to, false));
        }
      }
    }
    h.nights = new Int32Array(M);
    for (const c of h.children) for (let d = c.from; d < c.to; d++) h.nights[dayMonth[d]]++;
  }

  // Harm: chosen among homes with children at the onset month, onsets in months M/4 to 5M/6.
  const harmRng = stream(a.seed, 4, 0);
  const want = Math.round((a.homes * a.harmfulPct) / 100);
  const lo = Math.max(1, Math.floor(M / 4));
  const hi = Math.max(lo, Math.floor((5 * M) / 6));
  const order = homes.map((h) => h.idx);
  for (let i = order.length - 1; i > 0; i--) { const j = Math.floor(harmRng.u() * (i + 1)); [order[i], order[j]] = [order[j], order[i]]; }
  let chosen = 0;
  for (const i of order) {
    if (chosen >= want) break;
    const h = homes[i];
    if (h.harm) continue;
    const onset = harmRng.int(lo, hi);
    if (h.nights[onset] === 0) continue;
    h.harm = makeHarm(harmRng, onset, a);
    chosen++;
    // A group's culture spreads to a second home of the group, some months later.
    if (h.harm.kind === 'culture' && chosen < want && harmRng.u() < 0.3) {
      const sib = h.group.homes.filter((x) => !x.harm && x !== h);
      if (sib.length) {
        const s = harmRng.pick(sib);
        const on2 = onset + harmRng.int(2, 8);
        if (on2 <= hi && s.nights[on2] > 0) { s.harm = makeHarm(harmRng, on2, a, 'culture'); chosen++; }
      }
    }
  }

  // Incidents, day by day.
  const incidents = [];
  const reg44 = [];
  const rate = TYPES.map(() => 0);
  for (const h of homes) {
    const r = h.rng;
    const sp = SPEC[h.spec];
    const g = h.group;
    const shift = h.harm && h.harm.kind === 'staff' ? h.harm.weekday : -1;
    // A month's climate (shared by the kinds) and each kind's own month noise.
    const clim = new Float64Array(M);
    const own = TYPES.map(() => new Float64Array(M));
    for (let m = 0; m < M; m++) {
      clim[m] = r.gmean1(0.12 * a.disp);
      for (let t = 0; t < TYPES.length; t++) own[t][m] = r.gmean1(0.06 * a.disp);
    }
    let lastChange = -99;
    for (let d = h.openDay; d < h.closeDay; d++) {
      const m = dayMonth[d];
      const here = [];
      for (const c of h.children) if (c.from <= d && d < c.to) here.push(c);
      if (!here.length) continue;
      const n = here.length;
      const crowd = 1 + 0.08 * (n - 1); // peers set each other off
      const style = h.manager.style[m];
      if (h.manager.changes.includes(m)) lastChange = m;
      const unsettled = m - lastChange < 2;
      const hv = h.harm ? harmAt(h.harm, m) : 0;
      const weekend = dayDow[d] === 0 || dayDow[d] === 6;
      const onShift = shift >= 0 && (weekend || dayDow[d] === shift);
      for (let t = 0; t < TYPES.length; t++) {
        let s = 0;
        for (const c of here) s += c.p[t] * (d - c.from < 21 ? c.settle : 1);
        let mu = (sp.rate[t] / 30.4) * a.rate * s * crowd * h.level * h.typeLevel[t] * clim[m] * own[t][m] * season[t][d];
        // What is written down: the group's culture, the manager's habits, an unsettled change.
        let rec = g.culture[t] * style[t];
        if (unsettled && (t === T.notification || t === T.complaint)) rec *= t === T.notification ? 1.5 : 1.3;
        if (hv > 0) {
          const hm = h.harm;
          if (hm.kind === 'staff') {
            if (onShift) { mu *= (hm.mult[t] - 1) * hv + 1; if (INTERNAL.includes(t)) rec *= 1 - hm.hide * hv; }
          } else {
            mu *= (hm.mult[t] - 1) * hv + 1;
            if (hm.kind === 'culture' && INTERNAL.includes(t)) rec *= 1 - hm.hide * hv;
          }
        }
        rate[t] = mu * Math.min(1.5, rec);
      }
      for (let t = 0; t < TYPES.length; t++) {
        const k = r.poisson(rate[t]);
        for (let i = 0; i < k; i++) incidents.push(`${hid(h)},${dayStr[d]},${TYPES[t]}`);
      }
    }
    // The group's Regulation 44 visitor, monthly, while children live there.
    for (let m = 0; m < M; m++) {
      if (h.nights[m] === 0) continue;
      if (r.u() < g.visitor.skip) continue;
      if (r.u() < 0.02) { reg44.push(`${hid(h)},${monthStr[m]},not_stated`); continue; }
      let p = g.visitor.strict;
      if (h.manager.changes.some((c) => m >= c && m - c < 2)) p += 0.1;
      if (h.harm && m >= h.harm.onset) {
        const seeRate = g.visitor.sees * { culture: 0.5, staff: 0.25, exploitation: 0.6 }[h.harm.kind];
        if (r.u() < seeRate * harmAt(h.harm, m)) p = Math.max(p, 0.8);
      }
      reg44.push(`${hid(h)},${monthStr[m]},${r.u() < p ? 'no' : 'yes'}`);
    }
  }

  write(a, homes, groups, incidents, reg44, monthStr, heat, reportDay, dayStr);
  process.stderr.write(`homes_gen_d: ${homes.length} homes in ${groups.length} groups (${homes.filter((h) => h.harm).length} harmful), `
    + `${homes.length * M} home-months, ${incidents.length} incidents in ${a.out}\n`);
}

function pickSpec(r) {
  let u = r.u();
  for (const s of SPECS) { u -= SPEC[s].share; if (u <= 0) return s; }
  return SPECS[0];
}

function stayDays(r, sp) {
  return Math.max(1, Math.round(sp.stay * r.logn(0.9)));
}

// A child: propensities for behaviour (restraint, injury), going missing (missing, police), self-harm; and
// how unsettled their first three weeks are.
function child(r, from, to, settled) {
  const beh = r.gmean1(0.8);
  const miss = r.gmean1(1.4);
  const sh = r.gmean1(1.8);
  const p = [beh, 0.5 + 0.5 * beh, miss, 0.6 * miss + 0.4 * beh, r.gmean1(0.5), sh, 0.5 + 0.5 * beh, r.gmean1(0.5)];
  return { from, to, p, settle: settled ? 1 : 1 + r.u() * 1.2 };
}

function makeHarm(r, onset, a, kindIn) {
  const kind = kindIn || (r.u() < 0.4 ? 'culture' : r.u() < 0.5 ? 'staff' : 'exploitation');
  const one = TYPES.map(() => 1);
  const pw = (x) => x ** a.harm;
  let mult; let ramp; let hide;
  if (kind === 'culture') {
    mult = one.slice();
    mult[T.restraint] = pw(2 + 1.5 * r.u());
    mult[T.injury] = pw(1.5 + 1.5 * r.u());
    mult[T.complaint] = pw(0.5);
    mult[T.self_harm] = pw(1.5);
    mult[T.missing] = pw(1.3);
    ramp = r.int(3, 9);
    hide = Math.min(0.9, (0.2 + 0.4 * r.u()) * a.hide);
  } else if (kind === 'staff') {
    mult = one.slice();
    mult[T.restraint] = pw(4);
    mult[T.injury] = pw(4);
    mult[T.allegation] = pw(6);
    mult[T.self_harm] = pw(2);
    ramp = r.int(0, 2);
    hide = Math.min(0.9, 0.4 * a.hide);
  } else {
    mult = one.slice();
    mult[T.missing] = pw(2 + 2 * r.u());
    mult[T.police] = pw(1.5 + 1.5 * r.u());
    mult[T.self_harm] = pw(1.5);
    mult[T.injury] = pw(1.3);
    ramp = r.int(1, 4);
    hide = 0;
  }
  return { kind, onset, ramp, hide, mult, weekday: r.int(1, 5) };
}

function harmAt(hm, m) {
  if (m < hm.onset) return 0;
  return hm.ramp === 0 ? 1 : Math.min(1, (m - hm.onset + 1) / (hm.ramp + 1));
}

const hid = (h) => `SC${pad(700001 + h.idx * 13, 6)}`;

const GROUP_A = ['Meadow', 'Kestrel', 'Harbour', 'Orchard', 'Beacon', 'Willow', 'Summit', 'Northgate', 'Riverside', 'Bluebell'];
const GROUP_B = ['Care', 'Childcare', 'Family', 'Young People\'s', 'Residential', 'Support'];
const GROUP_C = ['Ltd', 'Group', 'Services', 'Partnership', 'Trust'];
const HOME_A = ['Rowan', 'Ash', 'Elm', 'Hawthorn', 'Larch', 'Poplar', 'Cedar', 'Birch', 'Alder', 'Holly', 'Maple', 'Linden'];
const HOME_B = ['House', 'Lodge', 'Cottage', 'View', 'Court', 'Farm', 'Barn', 'Place'];
const RATINGS = [['outstanding', 0.15], ['good', 0.6], ['requires_improvement', 0.2], ['inadequate', 0.05]];

function csvField(s) { return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s; }

function write(a, homes, groups, incidents, reg44, monthStr, heat, reportDay, dayStr) {
  const M = monthStr.length;
  const files = {};
  const naming = stream(a.seed, 5, 0);
  files['homes.csv'] = ['home_id,name,provider,la_code,specialism,places,rating', ...homes.map((h) => {
    let u = naming.u();
    let rating = 'good';
    for (const [k, p] of RATINGS) { u -= p; if (u <= 0) { rating = k; break; } }
    return [hid(h), `${naming.pick(HOME_A)} ${naming.pick(HOME_B)}`, csvField(h.group.name), String(naming.int(820, 829)),
      h.spec, String(h.places), rating].join(',');
  })];
  const occ = ['home_id,month,child_nights'];
  for (const h of homes) for (let m = 0; m < M; m++) occ.push(`${hid(h)},${monthStr[m]},${h.nights[m]}`);
  files['occupancy.csv'] = occ;
  files['incidents.csv'] = ['home_id,date,type', ...incidents];
  files['reg44.csv'] = ['home_id,month,safeguarded', ...reg44];
  files['truth.csv'] = ['home_id,harmful,onset_month', ...homes.map((h) => `${hid(h)},${h.harm ? 1 : 0},${h.harm ? monthStr[h.harm.onset] : ''}`)];
  files['structure.csv'] = ['home_id,group,group_homes,specialism,places,manager_homes,manager_changes,open_month,close_month,pauses,'
    + 'empty_months,children,harm_kind,harm_ramp,harm_hide,heat_months,reporting_change', ...homes.map((h) => [hid(h), h.group.id,
    h.group.homes.length, h.spec, h.places, h.manager.homes.length, h.manager.changes.map((m) => monthStr[m]).join(' '),
    monthStr[h.open], h.close < M ? monthStr[h.close] : '', h.pauses.join(' '), Array.from(h.nights).filter((x) => x === 0).length,
    h.children.length, h.harm ? h.harm.kind : '', h.harm ? h.harm.ramp : '', h.harm ? h.harm.hide.toFixed(2) : '',
    [...heat].map((m) => monthStr[m]).join(' '), dayStr[reportDay]].join(','))];
  // All six files or none: written beside, then renamed.
  fs.mkdirSync(a.out, { recursive: true });
  const names = Object.keys(files);
  for (const f of names) fs.writeFileSync(path.join(a.out, `.${f}.tmp`), `${files[f].join('\n')}\n`);
  for (const f of names) fs.renameSync(path.join(a.out, `.${f}.tmp`), path.join(a.out, f));
}

main();
