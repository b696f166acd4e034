// The operator's read-only lists (issue 17: tests check state through the CLI, not through SQL):
// `safeguard allocation list`, `safeguard alert list`, `safeguard dpo notices`. Each prints TSV with a header or
// JSON lines, filters as asked, leaves a sealed child out, is audited before it is read, and answers misuse 2
// naming the option.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  addPerson, agencyRows, alertRows, homeAlertRows, allocationOf, allocationRows, auditRows, dbUrl, dpoNotices, event, freshArea, isoSeconds,
  now, postEvent, removeDir, request, runCli, sessionCsrf, startServer, sweepRuns, webSignIn,
} from './lib.mjs';

const PASSWORD = 'correct horse battery staple';
const MISSING = 987654321; // an id that holds no child
let area;
let server;
let amira; // allocated to sam.worker in north; a DASH alert
let ben; // allocated to the east team only; sealed afterwards
let cara; // allocated to nobody
let police; // pat.police's TOTP secret

before(async () => {
  area = freshArea('oplists');
  addPerson(area.db, 'sam.worker', 'social_care', 'social_worker', PASSWORD);
  police = addPerson(area.db, 'pat.police', 'police', 'police_officer', PASSWORD);
  runCli(['team', 'add', '--db', dbUrl(area.db), '--code', 'north', '--name', 'North', '--manager', 'tam.manager']);
  runCli(['team', 'add', '--db', dbUrl(area.db), '--code', 'east', '--name', 'East']);
  server = await startServer(area.db);
  const aMinuteAgo = isoSeconds(now() - 60e3); // alerts raised more than 90 days ago are history
  let r = await postEvent(server.url, area.tokens.police, event({ source_ref: 'OPL-1', kind: 'dash_assessment',
    occurred_at: aMinuteAgo, details: { score: 16 } }));
  assert.equal(r.status, 201, r.text);
  amira = r.json.child_id;
  r = await postEvent(server.url, area.tokens.education, event({ source_ref: 'OPL-2' },
    { given_name: 'Ben', family_name: 'Ortiz', nhs_number: '9434765870', dob: '2014-02-01' }));
  ben = r.json.child_id;
  r = await postEvent(server.url, area.tokens.education, event({ source_ref: 'OPL-3' },
    { given_name: 'Cara', family_name: 'Lowe', nhs_number: '9434765889', dob: '2013-06-09', postcode: 'LS9 1AA' }));
  cara = r.json.child_id;
  assert.equal(new Set([amira, ben, cara]).size, 3);
});

after(async () => {
  try {
    if (server) await server.stop();
  } finally {
    removeDir(area?.dir);
  }
});

test('allocation list: who holds each case, by child; a child allocated to nobody has no row', () => {
  assert.deepEqual(allocationRows(area.db), []);
  runCli(['allocate', '--db', dbUrl(area.db), '--child', String(amira), '--team', 'north', '--user', 'sam.worker']);
  runCli(['allocate', '--db', dbUrl(area.db), '--child', String(ben), '--team', 'east']);
  const rows = allocationRows(area.db);
  assert.deepEqual(rows.map(({ since, ...r }) => r), [
    { child: Math.min(amira, ben), ...(amira < ben ? { team: 'north', worker: 'sam.worker', manager: 'tam.manager' } : { team: 'east', worker: '', manager: '' }) },
    { child: Math.max(amira, ben), ...(amira < ben ? { team: 'east', worker: '', manager: '' } : { team: 'north', worker: 'sam.worker', manager: 'tam.manager' }) },
  ]);
  assert.match(rows[0].since, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  assert.equal(allocationOf(area.db, amira).worker, 'sam.worker');
  assert.equal(allocationOf(area.db, cara), undefined, 'cara is allocated to nobody');
  assert.equal(allocationOf(area.db, MISSING), undefined);
  const tsv = runCli(['allocation', 'list', '--db', dbUrl(area.db), '--child', String(amira)]).stdout.split('\n');
  assert.equal(tsv[0], 'child\tteam\tworker\tmanager\tsince');
  assert.match(tsv[1], new RegExp(`^${amira}\tnorth\tsam\\.worker\ttam\\.manager\t\\d{4}-`));
  assert.equal(runCli(['allocation', 'list', '--db', dbUrl(area.db), '--limit', '1', '--json']).stdout.trim().split('\n').length, 1);
});

test('alert list: the alerts by child, state and rule; the alert followed the allocation to the worker', () => {
  const mine = alertRows(area.db, { child: amira });
  assert.equal(mine.length, 1, JSON.stringify(mine));
  assert.deepEqual({ ...mine[0], id: 0, created_at: '', raised_on: '', due: '', evidence: '' }, {
    id: 0, child: amira, code: 'DASH_HIGH_RISK', state: 'open', raised_on: '', due: '', owner_kind: 'worker',
    owner: 'sam.worker', created_at: '', acknowledged_at: '', acknowledged_by: '', resolved_at: '', resolved_by: '',
    outcome: '', escalated_at: '', escalated_to: '', evidence: '',
  });
  assert.match(mine[0].evidence, /^\[\d+\]$/);
  assert.deepEqual(alertRows(area.db, { child: cara }), []);
  assert.deepEqual(alertRows(area.db, { code: 'DASH_HIGH_RISK' }).map((a) => a.id), [mine[0].id]);
  assert.deepEqual(alertRows(area.db, { code: 'NO_SUCH_RULE' }), []);
  assert.deepEqual(alertRows(area.db, { state: 'resolved' }), []);
  assert.equal(alertRows(area.db, { state: 'open', child: amira })[0].id, mine[0].id);
  const tsv = runCli(['alert', 'list', '--db', dbUrl(area.db), '--child', String(amira)]).stdout.split('\n');
  assert.equal(tsv[0].split('\t')[0], 'id');
  assert.equal(tsv[0].split('\t').length, 17);
  assert.equal(tsv[1].split('\t').length, 17);
});

test('each list is audited before it is read: the operator, the action, the child asked about', () => {
  allocationRows(area.db, { child: amira });
  const [a] = auditRows(area.db, { action: 'allocations.list', limit: 1 });
  assert.equal(a.actor, 'cli');
  assert.equal(a.child_id, amira);
  alertRows(area.db, { child: MISSING });
  const [b] = auditRows(area.db, { action: 'alerts.list', limit: 1 });
  assert.equal(b.child_id, 0, 'an id that holds no child is no child');
  assert.equal(b.object, `child:${MISSING}`);
  assert.match(b.detail, /no such child/);
  dpoNotices(area.db);
  assert.equal(auditRows(area.db, { action: 'notices.list', limit: 1 })[0].actor, 'cli');
});

test("dpo notices: each break-glass try, whom and what it was about, newest first", async () => {
  assert.deepEqual(dpoNotices(area.db), []);
  const cookie = await webSignIn(server.url, area.db, 'pat.police', { password: PASSWORD });
  const csrf = await sessionCsrf(server.url, cookie);
  const r = await request(`${server.url}/children/${MISSING}/break-glass`, {
    method: 'POST', body: new URLSearchParams({ csrf_token: csrf, step: 'start' }),
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
  });
  assert.equal(r.status, 404);
  const notices = dpoNotices(area.db);
  assert.equal(notices.length, 1, JSON.stringify(notices));
  assert.equal(notices[0].kind, 'break_glass');
  assert.equal(notices[0].username, 'pat.police');
  assert.equal(notices[0].child, MISSING);
  assert.equal(notices[0].break_glass_id, 0, 'nothing was opened');
  assert.match(notices[0].detail, /no child/);
  assert.deepEqual(dpoNotices(area.db, { user: 'sam.worker' }), []);
  assert.deepEqual(dpoNotices(area.db, { kind: 'break_glass_misuse' }), []);
  assert.equal(dpoNotices(area.db, { kind: 'break_glass', user: 'pat.police' }).length, 1);
});

test('a sealed child is left out of the operator\'s lists', () => {
  assert.equal(allocationOf(area.db, ben).team, 'east');
  runCli(['seal', '--db', dbUrl(area.db), '--child', String(ben), '--basis', 'adoption']);
  assert.equal(allocationOf(area.db, ben), undefined);
  assert.deepEqual(allocationRows(area.db).map((a) => a.child), [amira]);
});

test('homes alerts: none before the monitor has run; TSV with a header', () => {
  assert.deepEqual(homeAlertRows(area.db), []);
  assert.equal(runCli(['homes', 'alerts', '--db', dbUrl(area.db)]).stdout.split('\t')[0], 'id');
});

test('agency list: the agencies by code, with their names (TSV as JSON); --code keeps one; not audited', () => {
  const entries = auditRows(area.db).length;
  const all = agencyRows(area.db);
  assert.deepEqual(all.map((a) => a.code), ['education', 'health', 'housing', 'police', 'social_care']);
  assert.equal(all.find((a) => a.code === 'social_care').name, "Children's social care");
  const tsv = runCli(['agency', 'list', '--db', dbUrl(area.db)]).stdout.trimEnd().split('\n');
  assert.deepEqual(tsv, ['code\tname', ...all.map((a) => `${a.code}\t${a.name}`)]);
  assert.deepEqual(agencyRows(area.db, { code: 'health' }), [all[1]]);
  assert.deepEqual(agencyRows(area.db, { code: 'nobody' }), []);
  assert.equal(auditRows(area.db).length, entries, 'reference data: not audited');
});

test('sweep runs: none before a server has swept a night; TSV with a header', () => {
  assert.deepEqual(sweepRuns(area.db), []);
  assert.equal(runCli(['sweep', 'runs', '--db', dbUrl(area.db)]).stdout, 'day\tstarted_at\tserver\n');
});

test('misuse is answered 2, naming the option', () => {
  const db = dbUrl(area.db);
  for (const [args, re] of [
    [['allocation', 'list', '--db', db, '--child', 'x'], /--child must be a child's id/],
    [['allocation', 'list', '--db', db, '--child', '0'], /--child must be a child's id/],
    [['allocation', 'list', '--db', db, '--limit', '-1'], /--limit must be a whole number/],
    [['allocation', 'list', '--db', db, '--nope'], /unknown option --nope/],
    [['allocation', 'list'], /--db URL is required/],
    [['allocation'], /usage: safeguard allocation list/],
    [['alert', 'list', '--db', db, '--state', 'closed'], /--state must be open, acknowledged or resolved/],
    [['alert', 'list', '--db', db, '--child'], /--child needs a value/],
    [['alert', 'list', '--db', db, 'extra'], /unexpected argument "extra"/],
    [['dpo', 'notices', '--db', db, '--kind', 'other'], /--kind must be break_glass or break_glass_misuse/],
    [['dpo', 'list', '--db', db], /usage: safeguard dpo notices/],
    [['homes', 'alerts', '--db', db, '--kind', 'other'], /--kind must be signal or reg44/],
    [['homes', 'alerts', '--db', db, '--home', '0'], /--home must be a home's id/],
    [['homes', 'alerts', '--db', db, '--nope'], /unknown option --nope/],
    [['link', 'merges', '--db', db], /--child is required/],
    [['link', 'merges', '--db', db, '--child', 'x'], /--child must be a child's id/],
    [['link', 'merges', '--db', db, '--child', '0'], /--child must be a child's id/],
    [['link', 'merges', '--db', db, '--child', '1', '--limit', '-1'], /--limit must be a whole number/],
    [['link', 'merges', '--db', db, '--child', '1', '--nope'], /unknown option --nope/],
    [['link', 'merges', '--db', db, '--child', '1', 'extra'], /unexpected argument "extra"/],
    [['link', 'merges', '--child', '1'], /--db URL is required/],
    [['seal', 'list', '--db', db, '--child', 'x'], /--child must be a child's id/],
    [['seal', 'list', '--db', db, '--limit', '-1'], /--limit must be a whole number/],
    [['seal', 'list', '--db', db, '--nope'], /unknown option --nope/],
    [['seal', 'list', '--db', db, 'extra'], /unexpected argument "extra"/],
    [['seal', 'list'], /--db URL is required/],
    [['sweep', 'runs', '--db', db, '--limit', 'x'], /--limit must be a whole number/],
    [['sweep', 'runs', '--db', db, '--nope'], /unknown option --nope/],
    [['sweep', 'runs'], /--db URL is required/],
    [['agency', 'list', '--db', db, '--nope'], /unknown option --nope/],
    [['agency', 'list', '--db', db, 'extra'], /unexpected argument "extra"/],
    [['agency', 'list'], /--db URL is required/],
    [['agency'], /usage: safeguard agency list/],
  ]) {
    const r = runCli(args, { check: false });
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re, args.join(' '));
  }
});
