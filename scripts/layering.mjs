#!/usr/bin/env node
// The layering check: reads the rules (scripts/layering.rules), the known exceptions (scripts/layering.allow)
// and every .c and .h under src/, and prints each violation as FILE:LINE: RULE: MESSAGE (matched text).
//
//   node scripts/layering.mjs [--root DIR] [--rules FILE] [--allow FILE] [--objects DIR]
//
// --objects DIR (make layering: DIR is build/obj, its edges' objects built first): the rules that look at code
// are checked on the compiled objects too, each symbol an object of src/EDGE/ refers to (nm -u) against the
// rule's pattern. The lexer reads the text as written; the compiler reads it after the preprocessor, so a name
// spliced by a backslash-newline, pasted by a macro (a##b), or reached through an include the lexer does not
// see (%:include, #include MACRO) escapes the text check but not this one (r-review33). A symbol an allow entry
// names for the source file is allowed, as in the text.
//
// Exits 1 if any violation is not allowed, 2 on a malformed rules or allow file, else 0. An allow entry that
// no longer matches anything is printed as a notice (remove it) and does not fail the check: the list is
// meant to shrink, and code moving under it must not break the build.
//
// Written by hand (no C parser in Debian that node reaches): a small lexer that knows comments, string and
// character literals and #include lines is all the rules need.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = { root: path.resolve(here, '..'), rules: null, allow: null, objects: null };
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  if (a === '--root' || a === '--rules' || a === '--allow' || a === '--objects')
    args[a.slice(2)] = path.resolve(process.argv[++i]);
  else { console.error(`layering: unknown argument ${a}`); process.exit(2); }
}
args.rules ??= path.join(here, 'layering.rules');
args.allow ??= path.join(here, 'layering.allow');

function fail(file, n, message) {
  console.error(`${file}:${n}: ${message}`);
  process.exit(2);
}

// ---- the rules and the allow list ----

const LOOKS = ['include', 'call', 'string', 'code'];

function readRules(file) {
  const rules = [];
  fs.readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
    if (/^\s*(#|$)/.test(line)) return;
    const m = /^(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(.+)$/.exec(line);
    if (!m) fail(file, i + 1, 'expected NAME WHERE LOOK PATTERN MESSAGE');
    const [, name, where, look, pattern, message] = m;
    if (!LOOKS.includes(look)) fail(file, i + 1, `LOOK is one of ${LOOKS.join(', ')}, not ${look}`);
    const except = where.startsWith('!');
    const dirs = where.replace(/^!/, '').split(',');
    let re;
    try { re = new RegExp(pattern); } catch (e) { fail(file, i + 1, `bad pattern: ${e.message}`); }
    rules.push({ name, except, dirs, look, re, message: message.trim() });
  });
  return rules;
}

// Lines: RULE FILE WHAT REASON..., WHAT the matched text as the report prints it, or * for any.
function readAllow(file, rules) {
  if (!fs.existsSync(file)) return [];
  const entries = [];
  fs.readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
    if (/^\s*(#|$)/.test(line)) return;
    const m = /^(\S+)\s+(\S+)\s+(\S+)\s+(\S.*)$/.exec(line);
    if (!m) fail(file, i + 1, 'expected RULE FILE WHAT REASON (WHAT may be *; the reason is required)');
    const [, rule, f, what] = m;
    if (!rules.some((r) => r.name === rule)) fail(file, i + 1, `no rule named ${rule}`);
    entries.push({ rule, file: f, what, line: i + 1, used: 0 });
  });
  return entries;
}

// ---- a C file, lexed just enough ----

/**
 * Returns {includes: [{line, text}], strings: [{line, text}], code}: code is the file with every comment and
 * literal replaced by spaces (newlines kept, so offsets give line numbers); adjacent string literals are one.
 */
function lex(src) {
  const out = src.split('');
  const includes = [];
  const strings = [];
  let line = 1;
  let i = 0;
  let atLineStart = true; // only whitespace since the last newline
  let last = null; // the previous string literal, while nothing but space and comments follows it
  const blank = (from, to) => { for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = ' '; };
  while (i < src.length) {
    const c = src[i];
    if (c === '\n') { line++; i++; atLineStart = true; continue; }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') { i++; continue; }
    if (c === '/' && src[i + 1] === '/') {
      const end = src.indexOf('\n', i);
      const to = end < 0 ? src.length : end;
      blank(i, to); i = to; continue;
    }
    if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      const to = end < 0 ? src.length : end + 2;
      for (let k = i; k < to; k++) if (src[k] === '\n') line++;
      blank(i, to); i = to; continue;
    }
    if (c === '#' && atLineStart) {
      const eol = src.indexOf('\n', i);
      const to = eol < 0 ? src.length : eol;
      const m = /^#\s*include\s*["<]([^">]*)[">]/.exec(src.slice(i, to));
      if (m) {
        includes.push({ line, text: m[1] });
        blank(i, to); i = to; last = null; continue;
      }
    }
    atLineStart = false;
    if (c === '"' || c === "'") {
      const start = i;
      const startLine = line;
      let text = '';
      i++;
      while (i < src.length && src[i] !== c && src[i] !== '\n') {
        if (src[i] === '\\' && i + 1 < src.length) {
          if (src[i + 1] === '\n') line++;
          text += src[i] + src[i + 1];
          i += 2;
        } else text += src[i++];
      }
      i++; // the closing quote
      blank(start, i);
      if (c === '"') {
        if (last) last.text += text;
        else { last = { line: startLine, text }; strings.push(last); }
      }
      continue;
    }
    last = null;
    i++;
  }
  return { includes, strings, code: out.join('') };
}

function lineAt(text, offset) {
  let n = 1;
  for (let k = 0; k < offset; k++) if (text[k] === '\n') n++;
  return n;
}

// ---- the check ----

function sources(root) {
  const src = path.join(root, 'src');
  const files = [];
  for (const dir of fs.readdirSync(src, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    const walk = (d) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.[ch]$/.test(e.name)) files.push({ dir: dir.name, path: path.relative(root, p) });
      }
    };
    walk(path.join(src, dir.name));
  }
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

function violations(rule, lexed) {
  const found = [];
  if (rule.look === 'include') {
    for (const inc of lexed.includes) if (rule.re.test(inc.text)) found.push({ line: inc.line, what: inc.text });
  } else if (rule.look === 'string') {
    for (const s of lexed.strings) {
      const m = rule.re.exec(s.text);
      if (m) found.push({ line: s.line, what: m[0].split(/\s+/).slice(0, 2).join(' ') });
    }
  } else if (rule.look === 'call') {
    for (const m of lexed.code.matchAll(/\b([A-Za-z_]\w*)\s*\(/g)) {
      if (rule.re.test(m[1])) found.push({ line: lineAt(lexed.code, m.index), what: m[1] });
    }
  } else {
    const re = new RegExp(rule.re.source, 'g');
    for (const m of lexed.code.matchAll(re)) {
      found.push({ line: lineAt(lexed.code, m.index), what: m[0].replace(/\s+/g, '') });
    }
  }
  return found;
}

const rules = readRules(args.rules);
const allow = readAllow(args.allow, rules);
const broken = new Set();
let bad = 0;
let allowed = 0;
for (const f of sources(args.root)) {
  const applies = rules.filter((r) => r.dirs.includes(f.dir) !== r.except);
  if (!applies.length) continue;
  const lexed = lex(fs.readFileSync(path.join(args.root, f.path), 'utf8'));
  const found = [];
  for (const rule of applies) {
    for (const v of violations(rule, lexed)) {
      const entry = allow.find((a) => a.rule === rule.name && a.file === f.path && (a.what === '*' || a.what === v.what));
      if (entry) { entry.used++; allowed++; continue; }
      found.push({ ...v, rule });
    }
  }
  for (const v of found.sort((a, b) => a.line - b.line)) {
    console.log(`${f.path}:${v.line}: ${v.rule.name}: ${v.rule.message} (${v.what})`);
    broken.add(v.rule.name);
    bad++;
  }
}
// The compiled objects (--objects): what the preprocessor made of the text, as the symbols each object refers to.
function objects(dir) {
  const files = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.o')) files.push(p);
    }
  };
  const src = path.join(dir, 'src');
  if (!fs.existsSync(src)) fail(dir, 0, 'no src/ under the objects folder: build first');
  walk(src);
  return files.sort().map((p) => {
    const rel = path.relative(dir, p); // src/EDGE/NAME.o, of src/EDGE/NAME.c
    return { dir: rel.split(path.sep)[1], path: rel.replace(/\.o$/, '.c'), obj: p };
  });
}

if (args.objects) {
  const objs = objects(args.objects).filter((o) => rules.some((r) => r.look === 'code' && r.dirs.includes(o.dir) !== r.except));
  // One nm for every object (-A: each line starts with the object's path), not one a file: a second, not ten.
  const nm = objs.length ? spawnSync('nm', ['-u', '-P', '-A', ...objs.map((o) => o.obj)], { encoding: 'utf8',
    maxBuffer: 64 << 20 }) : { status: 0, stdout: '' };
  if (nm.status !== 0) fail(args.objects, 0, `nm failed: ${nm.error?.message ?? nm.stderr}`);
  const refs = new Map(objs.map((o) => [o.obj, []]));
  for (const line of nm.stdout.split('\n')) {
    const m = /^(.*\.o): (\S+) /.exec(line);
    if (m && refs.has(m[1])) refs.get(m[1]).push(m[2]);
  }
  for (const o of objs) {
    const applies = rules.filter((r) => r.look === 'code' && r.dirs.includes(o.dir) !== r.except);
    for (const sym of refs.get(o.obj)) {
      for (const rule of applies) {
        const m = new RegExp(rule.re.source).exec(sym);
        if (!m || m[0] !== sym) continue; // the whole symbol is the name the rule forbids
        const entry = allow.find((a) => a.rule === rule.name && a.file === o.path && (a.what === '*' || a.what === sym));
        if (entry) { entry.used++; allowed++; continue; }
        console.log(`${o.path}: ${rule.name}: ${rule.message} (${sym}, in the compiled object)`);
        broken.add(rule.name);
        bad++;
      }
    }
  }
  console.log(`layering: ${objs.length} compiled objects checked (${path.relative(process.cwd(), args.objects) || '.'})`);
}
for (const a of allow.filter((e) => e.used === 0)) {
  console.log(`layering: notice: ${path.relative(process.cwd(), args.allow)}:${a.line}: ${a.rule} ${a.file} ${a.what} ` +
    'allows nothing any more: remove the line');
}
const kept = rules.filter((r) => !broken.has(r.name)).length;
console.log(`layering: ${allowed} known exceptions (${path.relative(process.cwd(), args.allow)}), ${bad} new violations`);
console.log(`layering: ${kept} passed, ${broken.size} failed`);
process.exit(bad ? 1 : 0);
