// safeguard link: the batch contract (columns in any order, extra columns ignored, one row per input record,
// bad CSV refused with FILE:LINE:COLUMN and no output, --pairs columns, train then dedupe with --model, the
// summary of bad values) and an accuracy floor on a fixed-seed generated area scored by bench/linkage/score.mjs.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { removeDir, runCli, tempDir } from './lib.mjs';

const SCORE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bench/linkage/score.mjs');
let dir;

let model;

// A model trained on a generated area: a file of seven records is too small to train on.
before(() => {
  dir = tempDir('link');
  const gen = path.join(dir, 'area');
  runCli(['gen', '--out', gen, '--families', '300', '--seed', '3', '--today', '2025-06-01']);
  model = path.join(dir, 'model.json');
  runCli(['link', 'train', '--in', path.join(gen, 'records.csv'), '--model', model]);
});
after(() => removeDir(dir));

function rows(file) {
  return fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => l.split(','));
}

const unq = (s) => s.replace(/^"|"$/g, '');

// Columns shuffled, an extra column, DD/MM/YYYY, a nickname, a transliteration, twins, bad values.
const SMALL = 'family_name,agency_notes,record_id,given_name,dob,sex,postcode,nhs_number,upn,middle_names,address\n' +
  'Smith,x,r1,William,2016-05-03,M,LS6 2AB,9434765919,,James,14 Church Road\n' +
  'Smith,,r2,Billy,03/05/2016,M,LS6 2AB,,,,14 Church Road\n' +
  'Smith,,r3,George,2016-05-03,M,LS6 2AB,4010232137,,,14 Church Road\n' +
  'Smith,,r4,George,2016-05-03,M,LS62AB,,,,14 Church Road\n' +
  'Khan,,r5,Mohammed,2012-11-20,M,B8 1AA,,,,3 Mill Lane\n' +
  'Khan,,r6,Muhammad,2012-11-20,M,B8 1AA,,,,3 Mill Lane\n' +
  'Okafor,,r7,Chioma,2011-02-30,F,NOT A PC,9434765918,X123,,\n';

test('dedupe: one row per record, nicknames and variants linked, twins apart, bad values summarised', () => {
  const input = path.join(dir, 'small.csv');
  const out = path.join(dir, 'clusters.csv');
  const pairs = path.join(dir, 'pairs.csv');
  fs.writeFileSync(input, SMALL);
  const r = runCli(['link', 'dedupe', '--in', input, '--out', out, '--pairs', pairs, '--threads', '2',
    '--model', model]);
  const c = rows(out);
  assert.deepEqual(c[0], ['record_id', 'cluster_id', 'match_probability']);
  assert.equal(c.length, 8);
  const cl = Object.fromEntries(c.slice(1).map((x) => [unq(x[0]), unq(x[1])]));
  const p = Object.fromEntries(c.slice(1).map((x) => [unq(x[0]), Number(x[2])]));
  assert.deepEqual(Object.keys(cl).sort(), ['r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7']);
  assert.equal(cl.r1, cl.r2);            // Billy is William, day and month written the other way
  assert.equal(cl.r3, cl.r4);
  assert.notEqual(cl.r1, cl.r3);         // twins
  assert.equal(cl.r5, cl.r6);            // Mohammed / Muhammad
  assert.equal(cl.r7, 'r7');             // alone
  assert.equal(p.r7, 0);
  assert.ok(p.r1 > 0.9 && p.r1 <= 1);
  // Bad values are counted, not errors.
  assert.match(r.stderr, /1 dates of birth that cannot be a date/);
  assert.match(r.stderr, /1 NHS numbers with a wrong check digit/);
  assert.match(r.stderr, /1 UPNs with a wrong check letter/);
  assert.match(r.stderr, /1 postcodes of a wrong shape/);
  assert.match(r.stderr, /candidate pairs compared and scored in .* pairs\/s per core/);
  // --pairs: each field's level and weight; the twins' pair says why it is not linked.
  const pr = rows(pairs);
  const head = pr[0];
  for (const col of ['record_id_a', 'record_id_b', 'match_weight', 'match_probability', 'decision',
    'not_linked_because', 'blocking_rules', 'given_name_level', 'given_name_weight', 'dob_level', 'dob_weight',
    'nhs_number_level', 'upn_weight', 'prior_weight']) assert.ok(head.includes(col), col);
  const byIds = (a, b) => pr.find((x) => unq(x[0]) === a && unq(x[1]) === b);
  const twins = byIds('r1', 'r3');
  assert.ok(twins, 'the twins were compared');
  assert.equal(twins[head.indexOf('not_linked_because')], 'nhs_number');
  const nick = byIds('r1', 'r2');
  assert.equal(nick[head.indexOf('given_name_level')], 'variant');
  assert.equal(nick[head.indexOf('dob_level')], 'exact');
  assert.equal(nick[head.indexOf('decision')], 'link');
  // The weight is the prior plus the fields' weights.
  const w = Number(nick[head.indexOf('match_weight')]);
  let sum = Number(nick[head.indexOf('prior_weight')]);
  for (let i = 0; i < head.length; i++) if (head[i].endsWith('_weight') && head[i] !== 'match_weight' && head[i] !== 'prior_weight') sum += Number(nick[i]);
  assert.ok(Math.abs(sum - w) < 0.01, `${sum} vs ${w}`);
});

test('train writes a readable model; dedupe --model uses it; a broken model is refused', () => {
  const m = JSON.parse(fs.readFileSync(model, 'utf8'));
  assert.equal(m.format, 'safeguard-linkage-model/1');
  assert.ok(m.prior.lambda > 0 && m.prior.lambda < 1);
  assert.ok(m.fields.given_name.exact.m > 0.5);
  assert.ok(m.fields.nhs_number.equal_valid.weight > 5);
  assert.ok(m.fields.dob.day_month_swapped.u > 0);
  const out = path.join(dir, 'small-with-model.csv');
  const input = path.join(dir, 'small2.csv');
  fs.writeFileSync(input, SMALL);
  runCli(['link', 'dedupe', '--in', input, '--out', out, '--model', model]);
  assert.equal(rows(out).length, 8);
  delete m.fields.dob;
  const broken = path.join(dir, 'broken.json');
  fs.writeFileSync(broken, JSON.stringify(m));
  const out2 = path.join(dir, 'never.csv');
  const r = runCli(['link', 'dedupe', '--in', input, '--out', out2, '--model', broken], { check: false });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /broken\.json: "fields"\."dob" is missing/);
  assert.equal(fs.existsSync(out2), false);
});

// An output that is not a file (/dev/null, a pipe) is written into, not replaced: writing a file beside it and
// renaming it over it, as for a file, once replaced /dev/null itself with a file when run as root.
test('--out to a pipe writes into it and leaves it a pipe', async () => {
  const input = path.join(dir, 'fifo-in.csv');
  fs.writeFileSync(input, SMALL);
  const fifo = path.join(dir, 'out.fifo');
  execFileSync('mkfifo', [fifo]);
  const reader = spawn('cat', [fifo], { stdio: ['ignore', 'pipe', 'inherit'] });
  let got = '';
  reader.stdout.on('data', (d) => { got += d; });
  const closed = new Promise((resolve) => reader.on('close', resolve));
  let stillFifo = false;
  try {
    runCli(['link', 'dedupe', '--in', input, '--out', fifo, '--model', model]);
    stillFifo = fs.statSync(fifo).isFIFO();
  } finally {
    if (!stillFifo) reader.kill(); // a failed run, or the old way, left cat waiting on a pipe no one opens
  }
  await closed;
  assert.equal(stillFifo, true);
  assert.equal(got.trim().split('\n').length, 8);
  assert.match(got, /^record_id,cluster_id,match_probability\n/);
  assert.deepEqual(fs.readdirSync(dir).filter((f) => f.startsWith('out.fifo.tmp')), []);
});

test('bad CSV: FILE:LINE:COLUMN, exit 1, no output file', () => {
  const input = path.join(dir, 'bad.csv');
  const out = path.join(dir, 'bad-out.csv');
  fs.writeFileSync(input, 'record_id,given_name,family_name,dob\nr1,Ann,Lee,2010-01-01\nr2,"Ann,Lee,2010-01-01\n');
  const r = runCli(['link', 'dedupe', '--in', input, '--out', out], { check: false });
  assert.equal(r.status, 1);
  assert.match(r.stderr, new RegExp(`${input.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:[0-9]+: `));
  assert.equal(fs.existsSync(out), false);
  assert.deepEqual(fs.readdirSync(dir).filter((f) => f.startsWith('bad-out')), []);
  const missing = path.join(dir, 'nohead.csv');
  fs.writeFileSync(missing, 'record_id,given_name\nr1,Ann\n');
  const r2 = runCli(['link', 'dedupe', '--in', missing, '--out', out], { check: false });
  assert.equal(r2.status, 1);
  assert.match(r2.stderr, /nohead\.csv:1:[0-9]+: .*family_name/);
  const r3 = runCli(['link', 'dedupe', '--in', input], { check: false });
  assert.equal(r3.status, 2);
  assert.match(r3.stderr, /--out is required/);
});

// --refuse (docs/LINKAGE.md, "Refusals"): a name that is no rule stops the command before any output, quoted, with
// the rules' names printed from the CLI's table in bit order (31 when written); bit 30's name is taken.
test('--refuse: an unknown name named, exit 2, no output; every rule named, bit 30\'s taken', () => {
  const input = path.join(dir, 'refuse.csv');
  const out = path.join(dir, 'refuse-out.csv');
  fs.writeFileSync(input, SMALL);
  const r = runCli(['link', 'dedupe', '--in', input, '--out', out, '--model', model, '--refuse', 'sex,bogus,-names'],
    { check: false });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--refuse: "bogus" is not a rule/);
  const list = r.stderr.match(/takes a list of (.*) \(each may start with -\), none or all/);
  assert.ok(list, r.stderr);
  const names = list[1].split(', ');
  assert.ok(names.length >= 31, list[1]); // 31 rules when written (bits 0-30); a new rule adds its name
  assert.equal(names[0], 'sex');
  assert.equal(names[30], 'even_twins');
  assert.equal(new Set(names).size, names.length);
  assert.equal(fs.existsSync(out), false);
  assert.deepEqual(fs.readdirSync(dir).filter((f) => f.startsWith('refuse-out')), []);
  const ok = runCli(['link', 'dedupe', '--in', input, '--out', out, '--model', model, '--refuse', 'all,-even_twins'],
    { check: false });
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(rows(out).length, 8);
});

test('accuracy floor on a fixed-seed area (gen --families 2000 --seed 7), scored by score.mjs', () => {
  const gen = path.join(dir, 'area7');
  runCli(['gen', '--out', gen, '--families', '2000', '--seed', '7', '--today', '2025-06-01']);
  const out = path.join(gen, 'clusters.csv');
  runCli(['link', 'dedupe', '--in', path.join(gen, 'records.csv'), '--out', out]);
  const s = JSON.parse(execFileSync(process.execPath, [SCORE, '--records', path.join(gen, 'records.csv'),
    '--truth', path.join(gen, 'truth.csv'), '--clusters', out, '--json'], { encoding: 'utf8' }));
  const m = s.results.clusters;
  // Measured when written: precision 0.9997, recall 0.9933 (see docs/BENCHMARKS.md).
  assert.ok(m.precision >= 0.995, `precision ${m.precision}`);
  assert.ok(m.recall >= 0.985, `recall ${m.recall}`);
  assert.equal(m.twin_clusters, 0, 'no cluster joins twins');
});
