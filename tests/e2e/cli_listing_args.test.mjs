// The listings' one argument parser (cli_list_args, src/cli/common.c): every listing that reads through it answers
// misuse the same way, exit 2 naming the option (unknown, without its value, a bad --limit, an id that is not one, a
// value outside its set, a stray argument, no --db), --help on stdout with exit 0, and reads with its filters given.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { dbUrl, migrate, removeDir, runCli, tempDir } from './lib.mjs';

let dir;
let db;

before(() => {
  dir = tempDir('cli-listing-args');
  db = `${dir}/safeguard.db`;
  migrate(db);
});

after(() => removeDir(dir));

// [command words, the header's first field, own options that read fine on an empty area]
const LISTINGS = [
  [['agency', 'list'], 'code', ['--code', 'police']],
  [['team', 'list'], 'code', ['--code', 'east']],
  [['user', 'list'], 'id', ['--username', 'nobody']],
  [['user', 'sessions'], 'session', ['--username', 'nobody', '--live', '--limit', '3']],
  [['user', 'attempts'], 'id', ['--username', 'nobody', '--failed', '--limit', '0']],
  [['token', 'list'], 'id', ['--agency', 'police', '--label', 'x', '--limit', '5']],
  [['sweep', 'runs'], 'day', ['--limit', '2']],
  [['speakup', 'reports'], 'id', ['--ref', 'SU-ABCD-EFGH']],
  [['alert', 'list'], 'id', ['--child', '7', '--state', 'resolved', '--code', 'x', '--limit', '1']],
  [['dpo', 'notices'], 'id', ['--kind', 'break_glass_misuse', '--user', 'x', '--limit', '1']],
  [['homes', 'alerts'], 'id', ['--open', '--kind', 'reg44', '--home', '3']],
  [['indexes'], 'name', ['--table', 'event', '--held']],
  [['break-glass', 'list'], 'id', ['--child', '2', '--limit', '1']],
];

test('each listing reads with its own options given, and --help is usage on stdout', () => {
  for (const [words, first, own] of LISTINGS) {
    const r = runCli([...words, '--db', dbUrl(db), ...own], { check: false });
    assert.equal(r.status, 0, `${words.join(' ')}: ${r.stderr}`);
    assert.equal(r.stdout.split('\t')[0].split('\n')[0], first, words.join(' '));
    const j = runCli([...words, '--db', dbUrl(db), '--json', ...own], { check: false });
    assert.equal(j.status, 0, `${words.join(' ')} --json: ${j.stderr}`);
    for (const line of j.stdout.split('\n').filter(Boolean)) JSON.parse(line);
    const h = runCli([...words, '--help'], { check: false });
    assert.equal(h.status, 0, words.join(' '));
    assert.match(h.stdout, new RegExp(`^usage: safeguard ${words.join(' ')} --db URL`), words.join(' '));
  }
});

test('misuse is answered 2, naming the option', () => {
  const common = (words) => [
    [[...words, '--db', dbUrl(db), '--nope'], /unknown option --nope/],
    [[...words, '--db'], /--db needs a value/],
    [[...words, '--db', dbUrl(db), 'extra'], /unexpected argument "extra"/],
    [[...words, '--json'], /--db URL is required/],
  ];
  const cases = [
    ...LISTINGS.flatMap(([words]) => common(words)),
    [['user', 'sessions', '--db', dbUrl(db), '--limit', '-1'], /--limit must be a whole number \(0 for all\), not "-1"/],
    [['token', 'list', '--db', dbUrl(db), '--limit', 'ten'], /--limit must be a whole number \(0 for all\), not "ten"/],
    [['sweep', 'runs', '--db', dbUrl(db), '--limit', '1000000001'], /--limit must be a whole number/],
    [['agency', 'list', '--db', dbUrl(db), '--limit', '1'], /unknown option --limit/],
    [['user', 'list', '--db', dbUrl(db), '--username'], /--username needs a value/],
    [['alert', 'list', '--db', dbUrl(db), '--child', '0'], /--child must be a child's id \(a whole number above 0\), not "0"/],
    [['break-glass', 'list', '--db', dbUrl(db), '--child', 'Ann'], /--child must be a child's id/],
    [['homes', 'alerts', '--db', dbUrl(db), '--home', '2x'], /--home must be a home's id \(a whole number above 0\), not "2x"/],
    [['alert', 'list', '--db', dbUrl(db), '--state', 'closed'], /--state must be open, acknowledged or resolved, not "closed"/],
    [['homes', 'alerts', '--db', dbUrl(db), '--kind', 'visit'], /--kind must be signal or reg44, not "visit"/],
    [['dpo', 'notices', '--db', dbUrl(db), '--kind', 'x'], /--kind must be break_glass or break_glass_misuse, not "x"/],
    [['speakup', 'reports', '--db', dbUrl(db), '--ref', 'nope'], /--ref must be a speak-up reference/],
    [['indexes', '--db', dbUrl(db), '--held=yes'], /--held/],
  ];
  for (const [args, re] of cases) {
    const r = runCli(args, { check: false });
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re, args.join(' '));
    assert.equal(r.stdout, '', `${args.join(' ')} printed nothing`);
  }
});
