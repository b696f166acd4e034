// `safeguard homes list | reg44 | notes | signals | incidents | placements | occupancy | last-run`: the register of
// children's homes, a home's Regulation 44 reports, its police notes, a monitor run's signals, what happened in the
// homes, who is placed there, the months' child-nights and the monitor's last run, as the operator (and the tests,
// instead of SQL) read
// them, on the demo area (cli/demo_homes.c): TSV with a header or JSON lines, --la, the reports newest first, the
// reads of reports and notes audited before they are read (the register and the signals name no one: not
// audited), misuse answered 2 naming the option and nothing audited.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  auditRows, dbUrl, homeAlertRows, homeIncidents, homeNotes, homeOccupancy, homePlacements, homeRows, lastAudit, lastRun,
  reg44Reports, removeDir, runCli, signalRows, tempDir,
} from './lib.mjs';

let dir;
let db;

before(() => {
  dir = tempDir('homes-lists');
  db = `${dir}/safeguard.db`;
  runCli(['demo', '--db', dbUrl(db), '--no-serve', '--families', '3']);
});

after(() => removeDir(dir));

test('list: every home by id with its URN and peer group; --la keeps one host authority\'s; not audited', () => {
  const audits = auditRows(db).length;
  const all = homeRows(db);
  assert.ok(all.length > 20, `${all.length} homes`);
  assert.deepEqual(all.map((h) => h.id), [...all.map((h) => h.id)].sort((a, b) => a - b), 'by id');
  assert.equal(new Set(all.map((h) => h.urn)).size, all.length, 'one URN a home');
  for (const h of all) {
    assert.match(h.urn, /^SC\d{6}$/);
    assert.match(h.la_code, /^\d{3}$/);
    assert.ok(h.name && h.provider && h.specialism, JSON.stringify(h));
    assert.ok(Number.isInteger(h.places) && h.places > 0);
  }
  const la = all[0].la_code;
  assert.deepEqual(homeRows(db, { la }).map((h) => h.id), all.filter((h) => h.la_code === la).map((h) => h.id));
  assert.deepEqual(homeRows(db, { la: '999' }), []);
  const tsv = runCli(['homes', 'list', '--db', dbUrl(db), '--la', la]).stdout.split('\n');
  assert.equal(tsv[0], 'id\turn\tname\tprovider\tla_code\tpostcode\tplaces\tspecialism\tofsted_grade\tgrade_date');
  const h = all[0];
  assert.equal(tsv[1], [h.id, h.urn, h.name, h.provider, h.la_code, h.postcode, h.places, h.specialism, h.ofsted_grade, h.grade_date].join('\t'));
  assert.equal(auditRows(db).length, audits, 'the public register: no audit entry');
});

test('reg44: a home\'s reports newest first, with the visitor\'s opinion; audited before it is read', () => {
  const home = homeRows(db).find((h) => reg44Reports(db, h.id).length >= 2);
  assert.ok(home, 'the demo has a home with two reports');
  const before_ = auditRows(db, { action: 'reg44.list' }).length;
  const reports = reg44Reports(db, home.id);
  const months = reports.map((r) => r.month);
  assert.deepEqual(months, [...months].sort().reverse(), 'newest first');
  for (const r of reports) {
    assert.equal(r.home_id, home.id);
    assert.match(r.safeguarded, /^(yes|no|not_stated)$/);
    assert.ok(r.visitor && r.summary);
    assert.ok(r.received_at.slice(0, 7) >= r.month, 'received after the month visited');
  }
  const e = auditRows(db, { action: 'reg44.list', limit: 1 })[0];
  assert.equal(auditRows(db, { action: 'reg44.list' }).length, before_ + 1);
  assert.deepEqual([e.actor, e.child_id, e.detail], ['cli', 0, `operator's list: home ${home.id}'s Regulation 44 reports`]);
  assert.deepEqual(reg44Reports(db, 999999), []);
});

test('notes: none in the demo; audited all the same', () => {
  const before_ = auditRows(db, { action: 'home_notes.list' }).length;
  assert.deepEqual(homeNotes(db, 1), []);
  assert.equal(runCli(['homes', 'notes', '--db', dbUrl(db), '--home', '1']).stdout, 'id\thome_id\tauthor\tagency\tcreated_at\ttext\n');
  assert.equal(auditRows(db, { action: 'home_notes.list' }).length, before_ + 2);
});

test('signals: the demo\'s run, by home, with the reason in words; each signal alert\'s home among them; --home', () => {
  const audits = auditRows(db).length;
  const all = signalRows(db, 1);
  assert.ok(all.length > 0, 'the demo run flags homes');
  const ids = new Set(homeRows(db).map((h) => h.id));
  for (const g of all) {
    assert.equal(g.run, 1);
    assert.ok(ids.has(g.home_id));
    assert.match(g.direction, /^(high|low)$/);
    assert.ok(g.statistic >= g.threshold || g.direction === 'low', JSON.stringify(g));
    assert.match(g.reason, /what similar homes record/);
  }
  const homes = new Set(all.map((g) => g.home_id));
  for (const a of homeAlertRows(db, { kind: 'signal' })) assert.ok(homes.has(a.home_id), `alert ${a.id}`);
  const one = all[0].home_id;
  assert.deepEqual(signalRows(db, 1, { home: one }), all.filter((g) => g.home_id === one));
  assert.deepEqual(signalRows(db, 999), []);
  assert.equal(auditRows(db).length, audits, 'about homes, naming no one: not audited');
});

test('incidents: newest first, --home, --type; the child by id, no summary; audited; no sealed child\'s', () => {
  const all = homeIncidents(db);
  assert.ok(all.length > 100, `${all.length} incidents`);
  const days = all.map((i) => i.occurred_at);
  assert.deepEqual(days, [...days].sort().reverse(), 'newest first');
  assert.ok(all.every((i) => i.home_id > 0 && /^(restraint|injury|missing|police|complaint|self_harm|notification|allegation)$/.test(i.type)));
  assert.ok(all.every((i) => !('summary' in i) && !('given_name' in i)), 'no summary, no names');
  const home = all[0].home_id;
  const e = lastAudit(db, { action: 'home_incidents.list' });
  assert.deepEqual([e.actor, e.child_id, e.detail], ['cli', 0, 'operator\'s list: every home\'s incidents']);
  const mine = homeIncidents(db, { home });
  assert.deepEqual(mine.map((i) => i.id), all.filter((i) => i.home_id === home).map((i) => i.id));
  assert.equal(lastAudit(db, { action: 'home_incidents.list' }).detail, `operator's list: home ${home}'s incidents`);
  const restraints = homeIncidents(db, { type: 'restraint' });
  assert.ok(restraints.length > 0 && restraints.every((i) => i.type === 'restraint' && i.duration_min >= 0 && i.technique));
  assert.deepEqual(restraints.map((i) => i.id), all.filter((i) => i.type === 'restraint').map((i) => i.id));
  const tsv = runCli(['homes', 'incidents', '--db', dbUrl(db), '--home', String(home)]).stdout.trim().split('\n');
  assert.equal(tsv[0], 'id\thome_id\tchild\toccurred_at\ttype\tduration_min\ttechnique\tchild_injured\tstaff_involved\tdebrief_offered');
  assert.equal(tsv.length, mine.length + 1);
  // A child's incident, then the child's record sealed: gone from the list, and nothing else.
  const named = all.find((i) => i.child > 0);
  assert.ok(named, 'the demo links an incident to a child');
  runCli(['seal', '--db', dbUrl(db), '--child', String(named.child), '--basis', 'adoption']);
  const after_ = homeIncidents(db);
  assert.deepEqual(after_.map((i) => i.id), all.filter((i) => i.child !== named.child).map((i) => i.id));
});

test('placements: by home, current first; --home, --child; the child by id, no names; audited; no sealed child\'s', () => {
  const all = homePlacements(db);
  assert.ok(all.length >= 1, `${all.length} placements`); // the demo places few children (two with three families)
  assert.deepEqual(all.map((p) => p.home_id), [...all.map((p) => p.home_id)].sort((a, b) => a - b), 'by home');
  for (const p of all) {
    assert.match(p.start, /^\d{4}-\d{2}-\d{2}$/);
    assert.ok(p.end === '' || p.end >= p.start, JSON.stringify(p));
    assert.equal(typeof p.out_of_area, 'boolean');
    assert.ok(!('given_name' in p) && !('family_name' in p), 'no names');
  }
  let e = lastAudit(db, { action: 'home_placements.list' });
  assert.deepEqual([e.actor, e.child_id, e.object, e.detail], ['cli', 0, 'list', "operator's list: placements, every home, every child"]);
  const home = all.find((p) => p.child > 0).home_id;
  const mine = homePlacements(db, { home });
  assert.deepEqual(mine, all.filter((p) => p.home_id === home));
  const current = mine.filter((p) => p.end === '').length;
  assert.ok(mine.slice(0, current).every((p) => p.end === '') && mine.slice(current).every((p) => p.end !== ''), 'current first');
  const child = mine.find((p) => p.child > 0).child;
  assert.deepEqual(homePlacements(db, { child }), all.filter((p) => p.child === child));
  e = lastAudit(db, { action: 'home_placements.list' });
  assert.deepEqual([e.child_id, e.object, e.detail], [child, `child:${child}`, "operator's list: placements, every home, one child"]);
  assert.deepEqual(homePlacements(db, { child: 987654321 }), [], 'no such child: nothing');
  const tsv = runCli(['homes', 'placements', '--db', dbUrl(db), '--home', String(home)]).stdout.trim().split('\n');
  assert.equal(tsv[0], 'id\thome_id\tchild\tstart\tend\tdistance_km\tout_of_area\tdistant');
  assert.equal(tsv.length, mine.length + 1);
  assert.equal(lastAudit(db, { action: 'home_placements.list' }).detail, `operator's list: placements, home ${home}, every child`);
  runCli(['seal', '--db', dbUrl(db), '--child', String(child), '--basis', 'adoption']);
  assert.deepEqual(homePlacements(db, { child }), []);
  assert.deepEqual(homePlacements(db), all.filter((p) => p.child !== child), 'the sealed child\'s left out, nothing else');
});

test('occupancy: every home\'s months of child-nights by home and month; --home; not audited', () => {
  const audits = auditRows(db).length;
  const all = homeOccupancy(db);
  assert.ok(all.length > 100, `${all.length} home-months`);
  const key = (o) => `${String(o.home_id).padStart(9, '0')} ${o.month}`;
  assert.deepEqual(all.map(key), [...all.map(key)].sort(), 'by home, then month');
  assert.equal(new Set(all.map(key)).size, all.length, 'one figure a home and month');
  const places = new Map(homeRows(db).map((h) => [h.id, h.places]));
  const daysIn = (month) => new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).getUTCDate();
  for (const o of all) {
    assert.ok(places.has(o.home_id), JSON.stringify(o));
    assert.match(o.month, /^\d{4}-(0[1-9]|1[0-2])$/);
    // No more child-nights than the home's places every night of that month.
    assert.ok(o.child_nights >= 0 && o.child_nights <= daysIn(o.month) * places.get(o.home_id),
      `${JSON.stringify(o)}: ${places.get(o.home_id)} places, ${daysIn(o.month)} days`);
  }
  const home = all[0].home_id;
  assert.deepEqual(homeOccupancy(db, { home }), all.filter((o) => o.home_id === home));
  assert.deepEqual(homeOccupancy(db, { home: 999999 }), []);
  const tsv = runCli(['homes', 'occupancy', '--db', dbUrl(db), '--home', String(home)]).stdout.split('\n');
  assert.equal(tsv[0], 'home_id\tmonth\tchild_nights');
  assert.equal(tsv[1], `${home}\t${all[0].month}\t${all[0].child_nights}`);
  assert.equal(auditRows(db).length, audits, 'about homes: no audit entry');
});

test('last-run: the monitor\'s newest run with what started it, its budget and what it found; --run; not audited', () => {
  const audits = auditRows(db).length;
  const r = lastRun(db);
  assert.ok(r, 'the demo ran the monitor');
  assert.equal(r.id, 1);
  assert.deepEqual(lastRun(db, { run: 1 }), r);
  assert.equal(lastRun(db, { run: 2 }), undefined);
  assert.match(r.trigger, /^(nightly|on_demand|cli)$/);
  assert.ok(r.by.length > 0);
  assert.ok(r.started_at <= r.finished_at, `${r.started_at} .. ${r.finished_at}`);
  assert.equal(r.homes, homeRows(db).length);
  assert.equal(r.signals, signalRows(db, r.id).length);
  assert.ok(Number.isInteger(r.alerts) && r.alerts >= 0, 'the alerts it raised (the demo raises its own)');
  const months = new Set(homeOccupancy(db).map((o) => o.month));
  assert.equal(r.first_month, [...months].sort()[0]);
  assert.equal(r.last_month, [...months].sort().at(-1));
  assert.ok(r.budget > 0 && r.h_up > 0 && r.h_combined > 0, JSON.stringify(r));
  const tsv = runCli(['homes', 'last-run', '--db', dbUrl(db)]).stdout.split('\n');
  assert.equal(tsv[0], 'id\tstarted_at\tfinished_at\ttrigger\tby\tbudget\tbudget_confidence\tsimulated_rate\th_up\t'
    + 'h_down\th_combined\thomes\tmonths\tfirst_month\tlast_month\tsignals\talerts');
  assert.deepEqual(tsv[1].split('\t').slice(0, 5), [String(r.id), r.started_at, r.finished_at, r.trigger, r.by]);
  assert.deepEqual(tsv[1].split('\t').slice(11), [r.homes, r.months, r.first_month, r.last_month, r.signals, r.alerts].map(String));
  assert.equal(auditRows(db).length, audits, 'about homes: no audit entry');
});

test('misuse is answered 2, naming the option, and reads nothing', () => {
  const audits = auditRows(db).length;
  const cases = [
    [['homes', 'list', '--db', dbUrl(db), '--nope'], /unknown option --nope/],
    [['homes', 'list', '--db', dbUrl(db), '--la', 'Leeds'], /--la must be a local authority's DfE number/],
    [['homes', 'list', '--db', dbUrl(db), '--home', '1'], /--home is an option of homes reg44, notes, signals, incidents, placements and occupancy only/],
    [['homes', 'last-run', '--db', dbUrl(db), '--home', '1'], /--home is an option of homes reg44/],
    [['homes', 'last-run', '--db', dbUrl(db), '--run', '0'], /--run must be a run's id/],
    [['homes', 'occupancy', '--db', dbUrl(db), '--run', '1'], /--run is an option of homes signals and last-run only/],
    [['homes', 'occupancy', '--db', dbUrl(db), '--home', 'all'], /--home must be a home's id/],
    [['homes', 'reg44', '--db', dbUrl(db)], /--home is required/],
    [['homes', 'reg44', '--db', dbUrl(db), '--home', 'x'], /--home must be a home's id/],
    [['homes', 'notes', '--db', dbUrl(db), '--home', '0'], /--home must be a home's id/],
    [['homes', 'notes', '--db', dbUrl(db), '--home', '1', '--la', '383'], /--la is an option of homes list only/],
    [['homes', 'reg44', '--home', '1'], /--db URL is required/],
    [['homes', 'signals', '--db', dbUrl(db)], /--run is required/],
    [['homes', 'signals', '--db', dbUrl(db), '--run', 'last'], /--run must be a run's id/],
    [['homes', 'reg44', '--db', dbUrl(db), '--home', '1', '--run', '1'], /--run is an option of homes signals and last-run only/],
    [['homes', 'incidents', '--db', dbUrl(db), '--type', 'shouting'], /--type must be one of restraint/],
    [['homes', 'incidents', '--db', dbUrl(db), '--home', '0'], /--home must be a home's id/],
    [['homes', 'reg44', '--db', dbUrl(db), '--home', '1', '--type', 'injury'], /--type is an option of homes incidents only/],
    [['homes', 'placements', '--db', dbUrl(db), '--child', 'Ann'], /--child must be a child's id/],
    [['homes', 'incidents', '--db', dbUrl(db), '--child', '1'], /--child is an option of homes placements only/],
  ];
  for (const [args, re] of cases) {
    const r = runCli(args, { check: false });
    assert.equal(r.status, 2, args.join(' '));
    assert.match(r.stderr, re, args.join(' '));
  }
  // audit list's own reads are not audited entries: the count is the same
  assert.equal(auditRows(db).length, audits);
});
