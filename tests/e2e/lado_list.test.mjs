// `safeguard lado allegations | alerts | employments`: the LADO's records as the operator (and the tests, instead
// of SQL) read them, on the demo area's four referrals (cli/demo_lado.c): TSV with a header or JSON lines, the
// filters, no notes or summaries printed, each list audited (lado.list) before it is read, misuse answered 2
// naming the option and nothing audited.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  auditRows, dbUrl, ladoAlerts, ladoAllegations, ladoEmployments, now, removeDir, runCli, tempDir, ukDate,
} from './lib.mjs';

let dir;
let db;
const daysAgo = (n) => ukDate(now() - n * 86400000);

before(() => {
  dir = tempDir('lado-list');
  db = `${dir}/safeguard.db`;
  runCli(['demo', '--db', dbUrl(db), '--no-serve', '--families', '3']);
});

after(() => removeDir(dir));

test('allegations: oldest received first, with the person, the employer and the steps recorded; --open, --person', () => {
  const all = ladoAllegations(db);
  assert.deepEqual(all.map((a) => [a.given_name, a.family_name, a.employer, a.received_on]), [
    ['Priya', 'Kaur', 'Riverside Sports Club', daysAgo(45)],
    ['Jonathan', 'Blackwood', all[1].employer, daysAgo(14)],
    ['Jonathan', 'Blackwood', 'Northfield Primary School', daysAgo(7)],
    ['Mark', 'Evans', 'Oakwood Academy', daysAgo(0)],
  ]);
  assert.ok(all[1].home_id > 0, 'the first referral is about a home of the register');
  assert.equal(all[2].home_id, 0, 'a school is not a home');
  assert.equal(all[1].person, all[2].person, 'the same person at two employers');
  const priya = all[0];
  assert.deepEqual([priya.consideration_on, priya.threshold, priya.strategy_on, priya.outcome, priya.outcome_on,
    priya.employer_action_on], [daysAgo(44), 'threshold_met', daysAgo(40), 'unsubstantiated', daysAgo(5), '']);
  assert.equal(all[3].consideration_on, '', 'not considered yet');
  for (const a of all) {
    assert.equal(a.created_by, 'demo');
    assert.ok(!('summary' in a) && !('consideration_notes' in a), 'no free text');
  }
  // Every one is open: Priya's awaits the employer's actions.
  assert.deepEqual(ladoAllegations(db, { open: true }).map((a) => a.id), all.map((a) => a.id));
  assert.deepEqual(ladoAllegations(db, { person: all[1].person }).map((a) => a.id), [all[1].id, all[2].id]);
  assert.deepEqual(ladoAllegations(db, { person: 999 }), []);
  const tsv = runCli(['lado', 'allegations', '--db', dbUrl(db), '--person', String(all[3].person)]).stdout.split('\n');
  assert.equal(tsv[0], 'id\tperson\temployment\temployer\thome_id\tgiven_name\tfamily_name\treceived_on\tcreated_by\t'
    + 'consideration_on\tthreshold\tstrategy_on\toutcome\toutcome_on\temployer_action_on');
  assert.equal(tsv[1], `${all[3].id}\t${all[3].person}\t${all[3].employment}\tOakwood Academy\t0\tMark\tEvans\t${daysAgo(0)}\tdemo\t\t\t\t\t\t`);
  assert.equal(tsv.length, 3);
});

test('alerts: the across-employers alert names the person, the clocks their allegation; --allegation, --open', () => {
  const jon = ladoAllegations(db).find((a) => a.employer === 'Northfield Primary School');
  const across = ladoAlerts(db, { person: jon.person, code: 'LADO_ACROSS_EMPLOYERS' });
  assert.equal(across.length, 1);
  assert.deepEqual([across[0].state, across[0].raised_on, across[0].allegation], ['open', daysAgo(7), jon.id]);
  for (const a of ladoAlerts(db)) assert.match(a.code, /^LADO_/);
  assert.ok(ladoAlerts(db, { allegation: jon.id }).every((a) => a.allegation === jon.id));
  assert.deepEqual(ladoAlerts(db, { open: true }).map((a) => a.id), ladoAlerts(db).filter((a) => a.state === 'open').map((a) => a.id));
  const mark = ladoAllegations(db).find((a) => a.family_name === 'Evans');
  assert.deepEqual(ladoAlerts(db, { allegation: mark.id }), [], 'received today: nothing due yet');
});

test('employments: the person\'s employers, a home with its URN', () => {
  const jon = ladoAllegations(db).find((a) => a.employer === 'Northfield Primary School');
  const jobs = ladoEmployments(db, jon.person);
  assert.deepEqual(jobs.map((e) => e.employer).sort(), [ladoAllegations(db)[1].employer, 'Northfield Primary School'].sort());
  const home = jobs.find((e) => e.home_id > 0);
  assert.match(home.home_urn, /^SC\d{6}$/);
  assert.equal(home.role, 'Residential support worker');
  assert.deepEqual(ladoEmployments(db, 999), []);
});

test('each list is audited before it is read, naming the filter and no one', () => {
  const before = auditRows(db, { action: 'lado.list' }).length;
  runCli(['lado', 'alerts', '--db', dbUrl(db), '--person', '2', '--open']);
  const e = auditRows(db, { action: 'lado.list', limit: 1 })[0];
  assert.equal(auditRows(db, { action: 'lado.list' }).length, before + 1);
  assert.deepEqual([e.actor, e.child_id, e.object, e.detail], ['cli', 0, 'list', "operator's list: the LADO's alerts; person 2; open"]);
});

test('misuse is answered 2, naming the option, and reads nothing', () => {
  const before = auditRows(db, { action: 'lado.list' }).length;
  const cases = [
    [['lado', 'alerts', '--db', dbUrl(db), '--nope'], /unknown option --nope/],
    [['lado', 'allegations', '--db', dbUrl(db), '--person', 'x'], /--person must be a person's id/],
    [['lado', 'alerts', '--db', dbUrl(db), '--allegation', '0'], /--allegation must be an allegation's id/],
    [['lado', 'allegations', '--db', dbUrl(db), '--allegation', '3'], /--allegation is an option of lado alerts only/],
    [['lado', 'employments', '--db', dbUrl(db)], /--person is required/],
    [['lado', 'employments', '--db', dbUrl(db), '--person', '1', '--open'], /--open is an option/],
    [['lado', 'alerts', '--db', dbUrl(db), '--limit', '-1'], /--limit must be a whole number/],
    [['lado', 'allegations'], /--db URL is required/],
    [['lado', 'people', '--db', dbUrl(db)], /usage: safeguard lado allegations/],
  ];
  for (const [args, re] of cases) {
    const r = runCli(args, { check: false });
    assert.equal(r.status, 2, args.join(' '));
    assert.match(r.stderr, re, args.join(' '));
  }
  assert.equal(auditRows(db, { action: 'lado.list' }).length, before);
});
