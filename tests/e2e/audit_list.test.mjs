// `safeguard audit list`: the audit's entries, filtered, newest first, as TSV or JSON lines, on either backend;
// reading the audit is the operator's act and writes no entry; a bad option is named.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  auditEntries, auditRows, dbUrl, event, freshArea, getChild, isoSeconds, lastAudit, nhsNumbers, postEvent,
  removeDir, runCli, startServer,
} from './lib.mjs';

let area;
let server;
let childId;
let eventId;
const nhs = nhsNumbers(412000000);

before(async () => {
  area = freshArea('audit-list');
  server = await startServer(area.db);
  const r = await postEvent(server.url, area.tokens.police, event({ source_ref: 'AL-1' }, { nhs_number: nhs.next().value }));
  assert.equal(r.status, 201, r.text);
  childId = r.json.child_id;
  eventId = r.json.id;
  for (let i = 0; i < 2; i++) assert.equal((await getChild(server.url, area.tokens.police, childId)).status, 200);
  await server.stop();
  server = undefined;
});

after(async () => {
  try {
    if (server) await server.stop();
  } finally {
    removeDir(area?.dir);
  }
});

describe('safeguard audit list', () => {
  test('prints every entry, newest first, as TSV with a header line, and reading it writes no entry', () => {
    const before = auditEntries(area.db);
    const r = runCli(['audit', 'list', '--db', dbUrl(area.db), '--limit', '0']);
    const lines = r.stdout.replace(/\n$/, '').split('\n');
    assert.equal(lines[0], 'id\tat\tactor\taction\tchild_id\tobject\tdetail');
    assert.equal(lines.length - 1, before, 'one line per entry');
    const ids = lines.slice(1).map((l) => Number(l.split('\t')[0]));
    assert.deepEqual(ids, [...ids].sort((a, b) => b - a), 'newest first');
    assert.equal(new Set(ids).size, ids.length);
    for (const l of lines.slice(1)) {
      const f = l.split('\t');
      assert.equal(f.length, 7, l);
      assert.match(f[1], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.match(f[4], /^\d+$/);
    }
    // the five tokens freshArea made, by the operator
    const made = lines.slice(1).map((l) => l.split('\t')).filter((f) => f[3] === 'token.create');
    assert.equal(made.length, 5);
    for (const f of made) assert.equal(f[2], 'cli');
    assert.equal(auditEntries(area.db), before, 'listing the audit is not itself audited');
  });

  test('filters by action, child and object, and keeps the newest N', () => {
    const all = auditRows(area.db);
    assert.equal(all.length, auditEntries(area.db));
    const reads = auditRows(area.db, { action: 'child.read', child: childId });
    assert.equal(reads.length, 2);
    for (const e of reads) {
      assert.equal(e.action, 'child.read');
      assert.equal(e.child_id, childId);
      assert.match(e.actor, /^client:\d+:police$/);
      assert.match(e.detail, /^token \d+ 'e2e police' made by cli; /);
    }
    assert.ok(reads[0].id > reads[1].id);
    const created = auditRows(area.db, { object: `event:${eventId}` });
    assert.equal(created.length, 1);
    assert.equal(created[0].action, 'event.create');
    assert.equal(created[0].child_id, childId);
    assert.deepEqual(lastAudit(area.db), all[0]);
    assert.deepEqual(auditRows(area.db, { limit: 3 }), all.slice(0, 3));
    assert.deepEqual(auditRows(area.db, { action: 'no.such.action' }), []);
    // TSV's default is the newest 100 (header + up to 100 lines)
    const dflt = runCli(['audit', 'list', '--db', dbUrl(area.db)]).stdout.trimEnd().split('\n');
    assert.equal(dflt.length - 1, Math.min(100, all.length));
  });

  test('--since keeps the entries at or after a UTC date or time', () => {
    const all = auditRows(area.db);
    const newest = all[0].at;
    const since = auditRows(area.db, { since: newest });
    assert.deepEqual(since, all.filter((e) => e.at >= newest));
    assert.ok(since.length >= 1);
    assert.deepEqual(auditRows(area.db, { since: '2000-01-01' }), all);
    const tomorrow = isoSeconds(Date.parse(newest) + 86400000).slice(0, 10);
    assert.deepEqual(auditRows(area.db, { since: tomorrow }), []);
  });

  test('--help explains it; a bad option or value is named and exits 2', () => {
    const h = runCli(['audit', 'list', '--help']);
    assert.match(h.stdout, /^usage: safeguard audit list --db URL/);
    assert.match(h.stdout, /not itself audited/);
    assert.match(runCli(['audit', '--help']).stdout, /safeguard audit list/);
    const db = dbUrl(area.db);
    const bad = [
      [['--child', 'seven'], /--child must be a child's number .*"seven"/],
      [['--child', '0'], /--child must be a child's number/],
      [['--limit', '-1'], /--limit must be a whole number .*"-1"/],
      [['--since', '2026-02-30'], /--since must be a UTC date .*"2026-02-30"/],
      [['--since', '2026-01-01T25:00:00Z'], /--since must be a UTC date/],
      [['--colour', 'red'], /unknown option --colour/],
      [['--action'], /--action needs a value/],
      [['stray'], /unexpected argument "stray"/],
    ];
    for (const [args, msg] of bad) {
      const r = runCli(['audit', 'list', '--db', db, ...args], { check: false });
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, msg);
      assert.equal(r.stdout, '', 'nothing listed on a bad option');
    }
    const noDb = runCli(['audit', 'list'], { check: false });
    assert.equal(noDb.status, 2);
    assert.match(noDb.stderr, /--db URL is required/);
  });
});
