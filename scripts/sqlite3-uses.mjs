#!/usr/bin/env node
// How often the e2e and browser tests look into the database with sqlite3 instead of through the CLI or the
// API (issue 17: tests that any backend can run). Counts, per file, the calls of tests/e2e/lib.mjs's helpers
// that run the sqlite3 shell (sql, sqlWrite, sqlRows, count, counts) and any direct 'sqlite3' spawn,
// with comments left out, and not a file's own function of one of those names. Prints "N FILE" lines, most first,
// then the total, then the total split by scripts/sqlite3-uses-allow.mjs: the calls that stay (what only storage or
// the engine can show, each with its reason), those left to convert, and any call the
// allow-list does not name (which should be none: a new direct SQL call is either converted or listed with why).
//
//   node scripts/sqlite3-uses.mjs [--json] [--list] [--check]
//     --list   every call: file:line, kind, reason
//     --check  exit 1 when a call is unlisted or an allow-list entry does not match exactly its n calls
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALLOW } from './sqlite3-uses-allow.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dirs = ['tests/e2e', 'tests/browser'];
// A helper call (not a definition, not SQL's own count(*) inside a query string) or a spawn of the shell.
const CALL = /(?<![\w.]|function\s)(sql|sqlWrite|sqlRows|count|counts)\((?!\s*(\*|DISTINCT\b|distinct\b|1\)))/g;
const SPAWN = /['"]sqlite3['"]/g;

// Comments out, lines kept where they were (a block comment becomes blank lines), so that a call has its line.
function stripComments(src) {
  return src.replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ''))
    .replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

const rows = [];
const uses = []; // {file, line, text, kind, reason}
const hits = new Map(ALLOW.map((a) => [a, 0]));
for (const d of dirs) {
  for (const f of fs.readdirSync(path.join(root, d)).filter((n) => n.endsWith('.mjs')).sort()) {
    const rel = `${d}/${f}`;
    const raw = fs.readFileSync(path.join(root, rel), 'utf8');
    const src = stripComments(raw);
    // A name the file defines for itself over something else (`const count = (x) => x['incidents.csv'].length`) is
    // not SQL; a local wrapper of lib's helpers (`const count = (q) => Number(sql(demo.db, q))`) still is.
    const own = new Set([...src.matchAll(/^\s*(?:const|let|function)\s+(sql|sqlWrite|sqlRows|count|counts)\b(.*)$/gm)]
      .filter((m) => !/\b(sql|sqlWrite|sqlRows)\(|sqlite3/.test(m[2])).map((m) => m[1]));
    const rawLines = raw.split('\n');
    let n = 0;
    src.split('\n').forEach((line, i) => {
      const k = [...line.matchAll(CALL)].filter((m) => !own.has(m[1])).length + (line.match(SPAWN) || []).length;
      for (let j = 0; j < k; j++) {
        const text = rawLines[i];
        let kind = 'unlisted';
        let reason = '';
        // the longest piece that matches: a call may contain a shorter entry's piece too
        const entry = ALLOW.filter((a) => a.file === rel && text.includes(a.match))
          .sort((a, b) => b.match.length - a.match.length)[0];
        if (entry) {
          hits.set(entry, hits.get(entry) + 1);
          ({ kind, reason } = entry);
        }
        uses.push({ file: rel, line: i + 1, kind, reason, text: text.trim() });
      }
      n += k;
    });
    if (n) rows.push({ file: rel, n });
  }
}
rows.sort((a, b) => b.n - a.n || a.file.localeCompare(b.file));
const total = rows.reduce((s, r) => s + r.n, 0);
const by = (k) => uses.filter((u) => u.kind === k).length;
const STAY = ['storage', 'engine', 'fault', 'old-schema', 'truth', 'sealed', 'helper'];
const stays = STAY.reduce((s, k) => s + by(k), 0);
const stale = [...hits].filter(([a, got]) => got !== a.n).map(([a, got]) => `${a.file}: "${a.match}" matched ${got}, listed ${a.n}`);
const summary = { total, stays, stays_by_kind: Object.fromEntries(STAY.map((k) => [k, by(k)])), later: by('later'),
  unlisted: by('unlisted') };
if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ ...summary, files: rows, uses, stale }, null, 1));
} else if (process.argv.includes('--list')) {
  for (const u of uses) console.log(`${u.file}:${u.line}\t${u.kind}\t${u.reason || u.text}`);
} else {
  for (const r of rows) console.log(`${String(r.n).padStart(4)} ${r.file}`);
  console.log(`${String(total).padStart(4)} in ${rows.length} files`);
  console.log(`${String(stays).padStart(4)} stay (${STAY.map((k) => `${k} ${by(k)}`).join(', ')}: scripts/sqlite3-uses-allow.mjs)`);
  console.log(`${String(by('later')).padStart(4)} left to convert (the allow-list says how)`);
  console.log(`${String(by('unlisted')).padStart(4)} unlisted`);
}
for (const s of stale) console.error(`allow-list entry out of date: ${s}`);
for (const u of uses.filter((x) => x.kind === 'unlisted')) console.error(`unlisted: ${u.file}:${u.line}: ${u.text}`);
if (process.argv.includes('--check') && (stale.length || by('unlisted'))) process.exit(1);
