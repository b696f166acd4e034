#!/usr/bin/env node
// scripts/time-report.mjs PROFILE.jsonl [N]: where a stage's time went, file by file, from the lines that
// tests/e2e/lib.mjs writes when SG_PROFILE names a file (scripts/check.sh: build/check/STAGE.files.jsonl).
// Prints the N (default 10) files with the most wall time (summed over the calendar's days where a file ran on
// several), with their runs, CPU seconds and, for the browser files, the helpers that took longest; then the
// totals. Wall time moves with the machine's load; CPU seconds hardly do: compare runs by those.
import fs from 'node:fs';

const [file, nArg] = process.argv.slice(2);
if (!file) { console.error('usage: scripts/time-report.mjs PROFILE.jsonl [N]'); process.exit(2); }
const n = Number(nArg ?? 10);
const lines = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
const byFile = new Map();
const HELPER_KEYS = new Set(['file', 'wall_ms', 'cpu_ms', 'day', 'backend']);
for (const line of lines) {
  let r;
  try { r = JSON.parse(line); } catch { continue; }
  const f = byFile.get(r.file) ?? { file: r.file, runs: 0, wall: 0, cpu: 0, helpers: {} };
  f.runs += 1; f.wall += r.wall_ms; f.cpu += r.cpu_ms;
  for (const [k, v] of Object.entries(r)) {
    if (HELPER_KEYS.has(k) || typeof v !== 'object') continue;
    const h = f.helpers[k] ??= { n: 0, ms: 0 };
    h.n += v.n; h.ms += v.ms;
  }
  byFile.set(r.file, f);
}
const files = [...byFile.values()].sort((a, b) => b.wall - a.wall);
const s = (ms) => (ms / 1000).toFixed(1);
for (const f of files.slice(0, n)) {
  const helpers = Object.entries(f.helpers).sort((a, b) => b[1].ms - a[1].ms).slice(0, 3)
    .map(([k, v]) => `${k} ${v.n}x ${s(v.ms)} s`).join(', ');
  console.log(`  ${f.file.padEnd(44)} ${String(f.runs).padStart(3)} run(s) ${s(f.wall).padStart(7)} s wall ${
    s(f.cpu).padStart(7)} s cpu${helpers ? `  (${helpers})` : ''}`);
}
const tw = files.reduce((a, f) => a + f.wall, 0);
const tc = files.reduce((a, f) => a + f.cpu, 0);
console.log(`  ${files.length} files, ${lines.length} runs: ${s(tw)} s wall, ${s(tc)} s cpu in all`);
