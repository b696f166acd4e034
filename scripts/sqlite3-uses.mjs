#!/usr/bin/env node
// How often the e2e and browser tests look into the database with sqlite3 instead of through the CLI or the
// API (issue 17: tests that any backend can run). Counts, per file, the calls of tests/e2e/lib.mjs's helpers
// that run the sqlite3 shell (sql, sqlWrite, sqlRows, count, counts) and any direct 'sqlite3' spawn,
// with comments left out, and not a file's own function of one of those names. Prints "N FILE" lines, most first, then the total.
//
//   node scripts/sqlite3-uses.mjs [--json]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dirs = ['tests/e2e', 'tests/browser'];
// A helper call (not a definition, not SQL's own count(*) inside a query string) or a spawn of the shell.
const CALL = /(?<![\w.]|function\s)(sql|sqlWrite|sqlRows|count|counts)\((?!\s*(\*|DISTINCT\b|distinct\b|1\)))/g;
const SPAWN = /['"]sqlite3['"]/g;

function stripComments(src) {
  return src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

const rows = [];
for (const d of dirs) {
  for (const f of fs.readdirSync(path.join(root, d)).filter((n) => n.endsWith('.mjs')).sort()) {
    const rel = `${d}/${f}`;
    const src = stripComments(fs.readFileSync(path.join(root, rel), 'utf8'));
    // A name the file defines for itself over something else (`const count = (x) => x['incidents.csv'].length`) is
    // not SQL; a local wrapper of lib's helpers (`const count = (q) => Number(sql(demo.db, q))`) still is.
    const own = new Set([...src.matchAll(/^\s*(?:const|let|function)\s+(sql|sqlWrite|sqlRows|count|counts)\b(.*)$/gm)]
      .filter((m) => !/\b(sql|sqlWrite|sqlRows)\(|sqlite3/.test(m[2])).map((m) => m[1]));
    const calls = [...src.matchAll(CALL)].filter((m) => !own.has(m[1])).length;
    const n = calls + (src.match(SPAWN) || []).length;
    if (n) rows.push({ file: rel, n });
  }
}
rows.sort((a, b) => b.n - a.n || a.file.localeCompare(b.file));
const total = rows.reduce((s, r) => s + r.n, 0);
if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ total, files: rows }, null, 1));
} else {
  for (const r of rows) console.log(`${String(r.n).padStart(4)} ${r.file}`);
  console.log(`${String(total).padStart(4)} in ${rows.length} files`);
}
