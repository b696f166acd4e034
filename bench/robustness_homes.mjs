#!/usr/bin/env node
// The homes half of the robustness harness (issue 16; docs/BENCHMARKS.md "Robustness"): on both simulators
// (`safeguard gen homes --style a|b`), every rate of the model from x0.5 to x2, one factor at a time, and
// `safeguard homes monitor` scored on each area by bench/homes_score.mjs. Prints a table per perturbation and,
// per style, the worst case and the median over the grid, each against the issue's bar.
//
//   node bench/robustness_homes.mjs [--bin build/safeguard] [--homes 1500] [--months 36] [--seeds 1,2]
//                                   [--scales 0.5,2] [--jobs 2] [--json out.json] [--monitor-bin B] [--no-reg44]
//                                   [--rho-pair R] [--rise-year-z Z] [--styles a,b,c,d]
// --styles: which simulators (default a,b); c is bench/homes_gen_c.mjs, the third, written apart from both
// (round 6), whose grid also scales its drift (--drift-scale) and its share of late batch recorders (--late-pct);
// d is bench/homes_gen_d.mjs, the fourth (round 22: provider groups, managers who change, solo homes, empty
// spells, county-wide months, hidden harm), whose grid also scales its managers' turnover (--manager-scale) and
// how much of the harm goes unrecorded (--hide-scale).
// The monitor reads the simulators' Regulation 44 visit reports (reg44.csv) unless --no-reg44 (which removes each
// area's reg44.csv before the monitor runs: the monitor reads one beside the incidents by default since round 23).
// --monitor-bin runs another binary's monitor on the same areas (an earlier build, for a before/after).
// --rho-pair R passes `--rho-pair R` to the monitor (the pair of combined charts, docs/OVERSIGHT.md).
// --rise-year-z Z passes `--rise-year-z Z` to the monitor (small homes, docs/OVERSIGHT.md; 0 off).
// (bench/robustness_homes.sh builds the binary and runs this.)
//
// Factors (each scaled alone, the others at 1):
//   rates       every base rate (--rate-scale)
//   dispersion  every variance of the model's overdispersion: home levels, month and child noise
//               (--dispersion-scale)
//   harm        each harmful rise and fall, as a power: x0.5 makes a 2.5-fold rise 1.58-fold
//               (--harm-scale)
//   harmful     the share of homes that turn harmful, 5% at x1 (--harmful-pct)
//   season      each seasonal swing (--season-scale)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const BAR = { flagged: 85, delay: 3, fa: 5 }; // issue 16's done-when

function args() {
  const a = { bin: 'build/safeguard', monitorBin: null, homes: 1500, months: 36, seeds: [1], scales: [0.5, 2], jobs: 2, json: null, reg44: true, rhoPair: null, riseYearZ: null, styles: ['a', 'b'] };
  const v = process.argv.slice(2);
  for (let i = 0; i < v.length; i++) {
    const next = () => { if (i + 1 >= v.length) usage(`${v[i]} needs a value`); return v[++i]; };
    if (v[i] === '--bin') a.bin = next();
    else if (v[i] === '--monitor-bin') a.monitorBin = next();
    else if (v[i] === '--homes') a.homes = Number(next());
    else if (v[i] === '--months') a.months = Number(next());
    else if (v[i] === '--seeds') a.seeds = next().split(',').map(Number);
    else if (v[i] === '--scales') a.scales = next().split(',').map(Number);
    else if (v[i] === '--jobs') a.jobs = Number(next());
    else if (v[i] === '--json') a.json = next();
    else if (v[i] === '--no-reg44') a.reg44 = false;
    else if (v[i] === '--rho-pair') a.rhoPair = next();
    else if (v[i] === '--rise-year-z') a.riseYearZ = next();
    else if (v[i] === '--styles') a.styles = next().split(',');
    else usage(`unknown argument ${v[i]}`);
  }
  for (const [k, x] of [['homes', a.homes], ['months', a.months], ['jobs', a.jobs]]) {
    if (!(Number.isInteger(x) && x > 0)) usage(`--${k} must be a positive whole number`);
  }
  if (!a.styles.length || !a.styles.every((s) => ['a', 'b', 'c', 'd'].includes(s))) usage('--styles is a list of a, b, c, d');
  if (!a.seeds.every((s) => Number.isInteger(s) && s >= 0)) usage('--seeds must be whole numbers');
  if (!a.scales.every((s) => s >= 0.1 && s <= 10)) usage('--scales must be within 0.1-10');
  return a;
}

function usage(msg) {
  console.error(`robustness_homes: ${msg}`);
  console.error('usage: node bench/robustness_homes.mjs [--bin B] [--homes N] [--months M] [--seeds 1,2] [--scales 0.5,2] [--jobs J] [--json F]');
  process.exit(2);
}

const FACTORS = [
  ['rates', (x) => ['--rate-scale', String(x)]],
  ['dispersion', (x) => ['--dispersion-scale', String(x)]],
  ['harm', (x) => ['--harm-scale', String(x)]],
  ['harmful', (x) => ['--harmful-pct', String(5 * x)]],
  ['season', (x) => ['--season-scale', String(x)]],
];
const FACTORS_C = [ // style c's own structure (bench/homes_gen_c.mjs)
  ['drift', (x) => ['--drift-scale', String(x)]],
  ['late', (x) => ['--late-pct', String(20 * x)]],
];
const FACTORS_D = [ // style d's own structure (bench/homes_gen_d.mjs)
  ['manager', (x) => ['--manager-scale', String(x)]],
  ['hide', (x) => ['--hide-scale', String(x)]],
];
const FACTORS_OF = { a: FACTORS, b: FACTORS, c: [...FACTORS, ...FACTORS_C], d: [...FACTORS, ...FACTORS_D] };

function run(cmd, argv) {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { err += d; });
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve({ out, err }) : reject(new Error(`${cmd} ${argv.join(' ')}: exit ${code}\n${err}`))));
  });
}

async function one(a, work, c) {
  const dir = path.join(work, `${c.style}-${c.factor}-${c.scale}-s${c.seed}`);
  const size = ['--out', dir, '--homes', String(a.homes), '--months', String(a.months), '--seed', String(c.seed)];
  if (c.style === 'c' || c.style === 'd') await run(process.execPath, [path.join(here, `homes_gen_${c.style}.mjs`), ...size, ...c.extra]);
  else await run(a.bin, ['gen', 'homes', ...size, '--style', c.style, ...c.extra]);
  const alerts = path.join(dir, 'alerts.csv');
  // --no-reg44: the area without its opinions. The file is removed, not only left off the command line: since
  // round 23 the monitor reads a reg44.csv beside the incidents by default (an older --monitor-bin does not
  // know --no-reg44).
  if (!a.reg44) fs.rmSync(path.join(dir, 'reg44.csv'), { force: true });
  const t0 = process.hrtime.bigint();
  const mon = await run(a.monitorBin || a.bin, ['homes', 'monitor', '--homes', path.join(dir, 'homes.csv'), '--occupancy',
    path.join(dir, 'occupancy.csv'), '--incidents', path.join(dir, 'incidents.csv'), '--out', alerts,
    ...(a.reg44 && fs.existsSync(path.join(dir, 'reg44.csv')) ? ['--reg44', path.join(dir, 'reg44.csv')] : []),
    ...(a.rhoPair ? ['--rho-pair', a.rhoPair] : []), ...(a.riseYearZ != null ? ['--rise-year-z', a.riseYearZ] : [])]);
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const sc = await run(process.execPath, [path.join(here, 'homes_score.mjs'), '--dir', dir, '--alerts', alerts, '--json']);
  const s = JSON.parse(sc.out)['safeguard homes monitor'];
  const kappa = /model check x([0-9.]+)/.exec(mon.err);
  fs.rmSync(dir, { recursive: true, force: true });
  return { ...c, extra: undefined, harmful: s.harmful, found: s.found, flagged: s.flagged_pct, delay: s.median_delay_months,
    q1: s.delay_q1_months, q3: s.delay_q3_months, p90: s.delay_p90_months, fa: s.false_alarms_per_100_home_years,
    kappa: kappa ? Number(kappa[1]) : null, wall };
}

const median = (xs) => {
  const v = xs.filter((x) => x !== null && Number.isFinite(x)).sort((p, q) => p - q);
  if (!v.length) return null;
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};
const fmt = (x, d = 1) => (x === null || x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(d));

function table(head, rows) {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (r) => `| ${r.map((c, i) => String(c).padEnd(w[i])).join(' | ')} |`;
  return [line(head), `|${w.map((n) => '-'.repeat(n + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

async function main() {
  const a = args();
  if (!fs.existsSync(a.bin)) usage(`no binary at ${a.bin} (make, or --bin)`);
  if (a.monitorBin && !fs.existsSync(a.monitorBin)) usage(`no binary at ${a.monitorBin}`);
  const cases = [];
  for (const style of a.styles) {
    for (const seed of a.seeds) {
      cases.push({ style, factor: 'none', scale: 1, seed, extra: [] });
      for (const [factor, opt] of FACTORS_OF[style]) {
        for (const scale of a.scales) if (scale !== 1) cases.push({ style, factor, scale, seed, extra: opt(scale) });
      }
    }
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'safeguard-robust-homes.'));
  const results = new Array(cases.length);
  let next = 0;
  const t0 = Date.now();
  try {
    await Promise.all(Array.from({ length: Math.min(a.jobs, cases.length) }, async () => {
      while (next < cases.length) {
        const i = next++;
        results[i] = await one(a, work, cases[i]);
        process.stderr.write(`robustness_homes: ${i + 1}/${cases.length} ${cases[i].style} ${cases[i].factor} x${cases[i].scale} seed ${cases[i].seed}\n`);
      }
    }));
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  const meets = (r) => r.flagged >= BAR.flagged && r.delay !== null && r.delay <= BAR.delay && r.fa <= BAR.fa;
  console.log(`Homes robustness: ${a.homes} homes x ${a.months} months, seeds ${a.seeds.join(',')}, scales ${a.scales.join(',')}` +
    `${a.monitorBin ? `, the monitor of ${a.monitorBin}` : ''}${a.rhoPair ? `, --rho-pair ${a.rhoPair}` : ''}${a.riseYearZ != null ? `, --rise-year-z ${a.riseYearZ}` : ''}${a.reg44 ? ', Reg 44 opinions read' : ', Reg 44 opinions not read'}; ` +
    `bar: >= ${BAR.flagged}% flagged, median delay <= ${BAR.delay} months, <= ${BAR.fa} false alarms per 100 home-years\n`);
  const head = ['style', 'factor', 'scale', 'seed', 'harmful flagged', 'median delay', 'delay q1/q3/p90', 'FA / 100 home-years', 'check', 'meets bar', 'monitor s'];
  console.log(table(head, results.map((r) => [r.style, r.factor, `x${r.scale}`, r.seed, `${r.found}/${r.harmful} (${fmt(r.flagged)}%)`,
    fmt(r.delay), `${fmt(r.q1)}/${fmt(r.q3)}/${fmt(r.p90)}`, fmt(r.fa, 2), r.kappa === null ? '-' : `x${r.kappa}`, meets(r) ? 'yes' : 'no', fmt(r.wall, 2)])));
  console.log('');
  const sum = [];
  for (const style of a.styles) {
    const rs = results.filter((r) => r.style === style);
    const worst = {
      flagged: Math.min(...rs.map((r) => r.flagged)),
      delay: Math.max(...rs.map((r) => (r.delay === null ? Infinity : r.delay))),
      p90: Math.max(...rs.map((r) => (r.p90 === null ? Infinity : r.p90))),
      fa: Math.max(...rs.map((r) => r.fa)),
    };
    const at = (k, v) => rs.filter((r) => (k === 'delay' ? r.delay : r[k]) === v).map((r) => `${r.factor} x${r.scale}`)[0] || '';
    const med = { flagged: median(rs.map((r) => r.flagged)), delay: median(rs.map((r) => r.delay)), p90: median(rs.map((r) => r.p90)), fa: median(rs.map((r) => r.fa)) };
    sum.push([style, 'worst', `${fmt(worst.flagged)}% (${at('flagged', worst.flagged)})`, `${fmt(worst.delay)} (${at('delay', worst.delay)})`,
      fmt(worst.p90), `${fmt(worst.fa, 2)} (${at('fa', worst.fa)})`, `${rs.filter(meets).length}/${rs.length}`]);
    sum.push([style, 'median', `${fmt(med.flagged)}%`, fmt(med.delay), fmt(med.p90), fmt(med.fa, 2), '']);
  }
  console.log(table(['style', 'over the grid', 'harmful flagged', 'median delay', 'delay p90', 'FA / 100 home-years', 'cases meeting the bar'], sum));
  console.log(`\n${results.length} areas in ${((Date.now() - t0) / 1000).toFixed(0)} s (jobs ${a.jobs}, ${os.cpus().length} cores, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')})`);
  if (a.json) fs.writeFileSync(a.json, JSON.stringify(results, null, 2));
}

main().catch((e) => { console.error(e.message); process.exit(1); });
