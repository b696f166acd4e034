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
// Then (round 14) the share found by the home's expected restraints + injuries + missing a month (its own rate
// before onset at its children after), by months left, by places, by the visitor's "no" opinions after onset
// and by the recorded rise; with --reach, the loosest budget at which each missed home was flagged (how far its
// chart got: the monitor run again at budgets of, say, 10 and 20 false alarms per 100 home-years); and per area.
//
//   node bench/homes_missed.mjs DIR [DIR ...] [--list] [--alerts-dir D] [--reach BUDGET=D ...]
// Each DIR holds homes.csv, occupancy.csv, incidents.csv, truth.csv and alerts.csv (the monitor's --out), or
// with --alerts-dir D the alerts are D/<DIR's name>.csv; --reach BUDGET=D reads a looser run's the same way.
// --list also prints one row per harmful home with its recorded rise per indicator.
import fs from 'node:fs';
import path from 'node:path';

const T = ['restraint', 'injury', 'missing', 'police', 'complaint', 'self_harm', 'notification', 'allegation'];
const argv = process.argv.slice(2);
const list = argv.includes('--list');
let alertsDir = null; // --alerts-dir D: each area's alerts are D/<area>.csv, not DIR/alerts.csv
const reach = []; // --reach B=D: alerts of a run at a looser budget B, D/<area>.csv (how far a missed home's chart got)
const dirs = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--list') continue;
  else if (argv[i] === '--alerts-dir') alertsDir = argv[++i];
  else if (argv[i] === '--reach') { const [b, d] = argv[++i].split('='); reach.push({ budget: Number(b), dir: d }); }
  else dirs.push(argv[i]);
}
reach.sort((x, y) => x.budget - y.budget);
if (!dirs.length) {
  console.error('usage: node bench/homes_missed.mjs DIR [DIR ...] [--list] [--alerts-dir D] [--reach BUDGET=D ...]');
  process.exit(2);
}
const alertFile = (dir, d) => (d ? path.join(d, `${path.basename(dir)}.csv`) : path.join(dir, 'alerts.csv'));

const rows = (dir, f) => fs.readFileSync(path.join(dir, f), 'utf8').trim().split('\n').slice(1)
  .map((l) => l.replace(/\r$/, '').split(','));
const homes = { flagged: [], missed: [] };
for (const dir of dirs) {
  const header = fs.readFileSync(path.join(dir, 'homes.csv'), 'utf8').split('\n')[0].replace(/\r$/, '').split(',');
  const [id, sp, pl] = [header.indexOf('home_id'), header.indexOf('specialism'), header.indexOf('places')];
  const spec = new Map(rows(dir, 'homes.csv').map((r) => [r[id], r[sp]]));
  const places = new Map(rows(dir, 'homes.csv').map((r) => [r[id], pl >= 0 ? Number(r[pl]) : NaN]));
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
  const reports = new Map(); // each home's months with an opinion (yes or no)
  if (fs.existsSync(path.join(dir, 'reg44.csv'))) {
    for (const r of rows(dir, 'reg44.csv')) {
      if (r[2] === 'yes' || r[2] === 'no') {
        if (!reports.has(r[0])) reports.set(r[0], []);
        reports.get(r[0]).push(mi.get(r[1]));
      }
      if (r[2] !== 'no') continue;
      if (!concern.has(r[0])) concern.set(r[0], []);
      concern.get(r[0]).push(mi.get(r[1]));
    }
  }
  const readAlerts = (f) => {
    const al = new Map();
    for (const r of fs.readFileSync(f, 'utf8').trim().split('\n').slice(1).map((l) => l.replace(/\r$/, '').split(','))) {
      if (!al.has(r[0])) al.set(r[0], []);
      al.get(r[0]).push(mi.get(r[1]));
    }
    return al;
  };
  const alerts = readAlerts(alertFile(dir, alertsDir));
  const loose = reach.map((x) => readAlerts(alertFile(dir, x.dir)));
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
    // Expected pattern count a month (restraints + injuries + missing) at the home's own rate before onset.
    let pre = 0, preN = 0, postN = 0;
    for (let m = 0; m < months.length; m++) {
      if (m < onset) { pre += c[0][m] + c[1][m] + c[2][m]; preN += n[m]; } else postN += n[m];
    }
    const postMonths = n.filter((x, m) => m >= onset && x > 0).length;
    const expected = postMonths ? ((pre + 0.5) / Math.max(preN, 1)) * postN / postMonths : 0;
    const rep = (reports.get(r[0]) || []).filter((m) => m >= onset).length;
    const nos = (concern.get(r[0]) || []).filter((m) => m >= onset).length;
    const reachAt = loose.findIndex((al) => (al.get(r[0]) || []).some((m) => m >= onset));
    homes[first === undefined ? 'missed' : 'flagged'].push({
      id: r[0], dir, spec: spec.get(r[0]), left: months.length - onset, delay: first === undefined ? null : first - onset,
      pattern: rise([0, 1, 2]), complaint: rise([4]), allegation: rise([7]),
      selfHarm: rise([5]), notification: rise([6]), police: rise([3]),
      reg44: ((concern.get(r[0]) || []).filter((m) => m >= onset).sort((a, b) => a - b)[0] ?? onset - 1) - onset,
      children: n.reduce((s, x) => s + x, 0) / months.length / 30.44, each: T.map((_, k) => rise([k])),
      places: places.get(r[0]), onset, expected, reports: rep, nos, area: path.basename(dir),
      reach: first !== undefined ? 0 : reachAt < 0 ? Infinity : reach[reachAt].budget,
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
// What the missed have in common: found share by the home's expected pattern count a month (its own rate
// before onset at its children after), by its months left, by the visitor's "no" after onset, by places.
const by = (title, key, cuts) => {
  const all = [...homes.flagged, ...homes.missed];
  console.log(`\n| ${title} | harmful | found | found % | median delay | missed | share of the missed |`);
  console.log('|---|---|---|---|---|---|---|');
  for (let i = 0; i < cuts.length; i++) {
    const lo = cuts[i], hi = cuts[i + 1] ?? Infinity;
    const a = all.filter((h) => key(h) >= lo && key(h) < hi);
    if (!a.length) continue;
    const f = a.filter((h) => h.delay !== null);
    console.log(`| ${hi === Infinity ? `>= ${lo}` : `${lo} to ${hi}`} | ${a.length} | ${f.length} | ${((f.length / a.length) * 100).toFixed(1)} | `
      + `${median(f.map((h) => h.delay))} | ${a.length - f.length} | ${(((a.length - f.length) / Math.max(homes.missed.length, 1)) * 100).toFixed(1)}% |`);
  }
};
by('expected R+I+M a month', (h) => h.expected, [0, 0.5, 1, 2, 4, 8]);
by('months left after onset', (h) => h.left, [0, 9, 15, 21, 27]);
by('places', (h) => h.places, [0, 2, 3, 4, 5, 6]);
by('Reg 44 "no" after onset', (h) => h.nos, [0, 1, 2, 3]);
by('recorded rise R+I+M', (h) => h.pattern, [0, 1.5, 2, 2.5, 3.5]);
if (reach.length) {
  console.log('\n| the missed home first flagged at a budget of | homes | share of the missed |\n|---|---|---|');
  for (const x of [...reach.map((r) => r.budget), Infinity]) {
    const k = homes.missed.filter((h) => h.reach === x).length;
    console.log(`| ${x === Infinity ? 'none tried' : x} | ${k} | ${((k / Math.max(homes.missed.length, 1)) * 100).toFixed(1)}% |`);
  }
}
if (dirs.length > 1) {
  // Per area: how many were missed, and of those how many had few expected incidents (under 1 a month), little
  // time (under 9 months left), no Reg 44 "no" after onset, and were not flagged even at the loosest budget tried.
  console.log(`\n| area | harmful | missed | missed with expected R+I+M < 1 a month | with < 9 months left | with no Reg 44 "no" | places <= 3 | not flagged at ${reach.length ? reach[reach.length - 1].budget : '-'} |`);
  console.log('|---|---|---|---|---|---|---|---|');
  for (const dir of dirs) {
    const a = path.basename(dir);
    const m = homes.missed.filter((h) => h.area === a), n = m.length + homes.flagged.filter((h) => h.area === a).length;
    console.log(`| ${a} | ${n} | ${m.length} | ${m.filter((h) => h.expected < 1).length} | ${m.filter((h) => h.left < 9).length} | `
      + `${m.filter((h) => h.nos === 0).length} | ${m.filter((h) => h.places <= 3).length} | ${reach.length ? m.filter((h) => h.reach === Infinity).length : '-'} |`);
  }
}
if (list) {
  console.log(`\nhome, area, specialism, places, children, expected R+I+M a month, months left, Reg 44 "no"/reports after onset, delay (- missed), flagged at budget, rise per ${T.join(' ')}`);
  for (const h of [...homes.missed, ...homes.flagged]) {
    console.log(`${h.id} ${h.area} ${h.spec} ${h.places} ${h.children.toFixed(1)} ${h.expected.toFixed(2)} ${h.left} ${h.nos}/${h.reports} ${h.delay ?? '-'} ${h.reach} ${h.each.map((x) => x.toFixed(1)).join(' ')}`);
  }
}
