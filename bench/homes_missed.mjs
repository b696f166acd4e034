#!/usr/bin/env node
// Why harmful homes are missed (issue 16; docs/OVERSIGHT.md "What the monitor misses, and why"): for areas
// from `safeguard gen homes` with the monitor's alerts.csv beside them, compares the harmful homes the
// monitor flagged (an alert at or after onset) with those it missed, on what the data itself shows:
//   months left    months from onset to the end of the span (a late onset has little time to be found);
//   rise R+I+M     restraints + injuries + missing episodes per child-night after onset over before it (half
//                  an event added before, so no home divides by 0): the harm pattern's rise as recorded;
//   rise < 1.5     the share of homes whose recorded rise in the pattern is under 1.5-fold;
//   children       average children placed (child-nights a month / 30.44);
//   complaints     the share whose complaints per child-night fell below 0.6 of what they were;
//   allegations    the share whose allegations per child-night at least doubled (outside the pattern);
//   self-harm, notifications, police   the same share for each (outside the pattern);
//   outside only   the share whose pattern rose under 1.5-fold but self-harm, notifications, police or
//                  allegations at least doubled: evidence a wider pattern could read;
//   little evidence  the share with none of: a 1.5-fold rise in the pattern, complaints below 0.6, any of
//                  self-harm, notifications, police or allegations doubled, a Reg 44 "no" after onset;
//   Reg 44 "no"    the share with at least one "not effectively safeguarded" opinion after onset, and the
//                  median months from onset to the first (reg44.csv, when the area has one);
//   specialisms    how many of each.
//
//   node bench/homes_missed.mjs DIR [DIR ...] [--list]
// Each DIR holds homes.csv, occupancy.csv, incidents.csv, truth.csv and alerts.csv (the monitor's --out).
// --list also prints one row per harmful home with its recorded rise per indicator.
import fs from 'node:fs';
import path from 'node:path';

const T = ['restraint', 'injury', 'missing', 'police', 'complaint', 'self_harm', 'notification', 'allegation'];
const argv = process.argv.slice(2);
const list = argv.includes('--list');
const dirs = argv.filter((a) => a !== '--list');
if (!dirs.length) {
  console.error('usage: node bench/homes_missed.mjs DIR [DIR ...] [--list]');
  process.exit(2);
}

const rows = (dir, f) => fs.readFileSync(path.join(dir, f), 'utf8').trim().split('\n').slice(1)
  .map((l) => l.replace(/\r$/, '').split(','));
const homes = { flagged: [], missed: [] };
for (const dir of dirs) {
  const header = fs.readFileSync(path.join(dir, 'homes.csv'), 'utf8').split('\n')[0].replace(/\r$/, '').split(',');
  const [id, sp] = [header.indexOf('home_id'), header.indexOf('specialism')];
  const spec = new Map(rows(dir, 'homes.csv').map((r) => [r[id], r[sp]]));
  const occ = rows(dir, 'occupancy.csv');
  const months = [...new Set(occ.map((r) => r[1]))].sort();
  const mi = new Map(months.map((m, i) => [m, i]));
  const nights = new Map();
  for (const r of occ) {
    if (!nights.has(r[0])) nights.set(r[0], new Array(months.length).fill(0));
    nights.get(r[0])[mi.get(r[1])] = Number(r[2]);
  }
  const counts = new Map();
  for (const r of rows(dir, 'incidents.csv')) {
    if (!counts.has(r[0])) counts.set(r[0], T.map(() => new Array(months.length).fill(0)));
    const m = mi.get(r[1].slice(0, 7));
    if (m !== undefined) counts.get(r[0])[T.indexOf(r[2])][m]++;
  }
  const concern = new Map();
  if (fs.existsSync(path.join(dir, 'reg44.csv'))) {
    for (const r of rows(dir, 'reg44.csv')) {
      if (r[2] !== 'no') continue;
      if (!concern.has(r[0])) concern.set(r[0], []);
      concern.get(r[0]).push(mi.get(r[1]));
    }
  }
  const alerts = new Map();
  for (const r of rows(dir, 'alerts.csv')) {
    if (!alerts.has(r[0])) alerts.set(r[0], []);
    alerts.get(r[0]).push(mi.get(r[1]));
  }
  for (const r of rows(dir, 'truth.csv')) {
    if (r[1] !== '1') continue;
    const onset = mi.get(r[2]) ?? Number(r[2]);
    const n = nights.get(r[0]) || new Array(months.length).fill(0);
    const c = counts.get(r[0]) || T.map(() => new Array(months.length).fill(0));
    const rise = (ks) => {
      let before = 0, after = 0, nb = 0, na = 0;
      for (let m = 0; m < months.length; m++) {
        const x = ks.reduce((s, k) => s + c[k][m], 0);
        if (m < onset) { before += x; nb += n[m]; } else { after += x; na += n[m]; }
      }
      return (after / Math.max(na, 1)) / ((before + 0.5) / Math.max(nb, 1));
    };
    const first = (alerts.get(r[0]) || []).filter((m) => m >= onset).sort((a, b) => a - b)[0];
    homes[first === undefined ? 'missed' : 'flagged'].push({
      id: r[0], dir, spec: spec.get(r[0]), left: months.length - onset, delay: first === undefined ? null : first - onset,
      pattern: rise([0, 1, 2]), complaint: rise([4]), allegation: rise([7]),
      selfHarm: rise([5]), notification: rise([6]), police: rise([3]),
      reg44: ((concern.get(r[0]) || []).filter((m) => m >= onset).sort((a, b) => a - b)[0] ?? onset - 1) - onset,
      children: n.reduce((s, x) => s + x, 0) / months.length / 30.44, each: T.map((_, k) => rise([k])),
    });
  }
}

const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  if (!s.length) return NaN;
  const h = (s.length - 1) / 2;
  return (s[Math.floor(h)] + s[Math.ceil(h)]) / 2;
};
const pct = (a, f) => (a.length ? `${Math.round((a.filter(f).length / a.length) * 100)}%` : '-');
console.log('| harmful homes | n | months left (median) | rise R+I+M (median) | rise < 1.5 | children (median) | complaints fell | allegations doubled | self-harm doubled | notifications doubled | police doubled | outside only | Reg 44 "no" after onset (median months to it) | little evidence | specialisms |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const k of ['flagged', 'missed']) {
  const a = homes[k];
  const specs = {};
  for (const h of a) specs[h.spec] = (specs[h.spec] || 0) + 1;
  console.log(`| ${k} | ${a.length} | ${median(a.map((h) => h.left))} | ${median(a.map((h) => h.pattern)).toFixed(2)} | `
    + `${pct(a, (h) => h.pattern < 1.5)} | ${median(a.map((h) => h.children)).toFixed(1)} | ${pct(a, (h) => h.complaint < 0.6)} | `
    + `${pct(a, (h) => h.allegation >= 2)} | ${pct(a, (h) => h.selfHarm >= 2)} | ${pct(a, (h) => h.notification >= 2)} | `
    + `${pct(a, (h) => h.police >= 2)} | ${pct(a, (h) => h.pattern < 1.5 && (h.selfHarm >= 2 || h.notification >= 2 || h.police >= 2 || h.allegation >= 2))} | `
    + `${pct(a, (h) => h.reg44 >= 0)} (${median(a.filter((h) => h.reg44 >= 0).map((h) => h.reg44))}) | `
    + `${pct(a, (h) => h.pattern < 1.5 && h.complaint >= 0.6 && h.reg44 < 0 && h.selfHarm < 2 && h.notification < 2 && h.police < 2 && h.allegation < 2)} | `
    + `${Object.entries(specs).sort((x, y) => y[1] - x[1]).map(([s, n]) => `${s} ${n}`).join(', ')} |`);
}
if (list) {
  console.log(`\nhome, area, specialism, children, months left, delay (- missed), rise per ${T.join(' ')}`);
  for (const h of [...homes.missed, ...homes.flagged]) {
    console.log(`${h.id} ${path.basename(h.dir)} ${h.spec} ${h.children.toFixed(1)} ${h.left} ${h.delay ?? '-'} ${h.each.map((x) => x.toFixed(1)).join(' ')}`);
  }
}
