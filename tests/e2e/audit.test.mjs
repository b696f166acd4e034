// The tamper-evident audit: `safeguard audit verify` walks the hash chain and names the first entry that
// was changed, deleted, inserted or moved in the database itself (the triggers that refuse UPDATE and
// DELETE are dropped first, as an attacker with the file, or the database owner's role, would). On
// PostgreSQL (SAFEGUARD_TEST_DB) a copy of the area is a database made from the pristine one as its template.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { auditRows, dbUrl, onPostgres, removeDir, runCli, sql, tempDir } from './lib.mjs';

const ON_PG = onPostgres();
const DROP_TRIGGERS = ON_PG ? 'DROP TRIGGER audit_no_update ON audit; DROP TRIGGER audit_no_delete ON audit;'
  : 'DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;';
const DROP_DELETE_TRIGGER = ON_PG ? 'DROP TRIGGER audit_no_delete ON audit;' : 'DROP TRIGGER audit_no_delete;';

/** SQL on an area as its owner would run it, refusals included: {status, stdout, stderr} (no assertion). */
function ownerSql(db, q, input) {
  const r = ON_PG
    ? spawnSync('psql', [dbUrl(db), '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', q], { encoding: 'utf8', input })
    : spawnSync('sqlite3', ['-batch', db, q], { encoding: 'utf8', input });
  if (r.error) throw r.error;
  return r;
}

/** The PostgreSQL database of an area (dbUrl's). */
const pgName = (db) => new URL(dbUrl(db)).pathname.slice(1);

/** A copy of an area: SQLite's file, or a PostgreSQL database made from the area's as its template, with its
 * data folder (its keys). */
function copyArea(from, to) {
  if (!ON_PG) {
    fs.copyFileSync(from, to);
    return;
  }
  const name = pgName(to);
  for (const q of [`DROP DATABASE ${name}`, `CREATE DATABASE ${name} TEMPLATE ${pgName(from)}`]) {
    const r = spawnSync('psql', [process.env.SAFEGUARD_TEST_DB, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', q],
      { encoding: 'utf8' });
    assert.equal(r.status, 0, `psql: ${r.stderr}`);
  }
  if (fs.existsSync(`${from}.data`)) fs.cpSync(`${from}.data`, `${to}.data`, { recursive: true });
}

/** Where the server keeps an area's audit signing key: beside SQLite's file, in the data folder otherwise. */
const auditKeyOf = (db) => (ON_PG ? path.join(`${db}.data`, 'audit-key') : `${db}.audit-key`);

let dir;
let pristine;
let entries;

before(() => {
  dir = tempDir('audit');
  pristine = path.join(dir, 'pristine.db');
  // A small area through intake: events, reads of nothing yet, teams, allocations, alerts: every writer.
  runCli(['demo', '--db', dbUrl(pristine), '--families', '12', '--no-serve']);
  // How many entries there are, as the operator's list shows them (`audit list`, not audited itself): verify's
  // count below is checked against another read of the product, not against itself.
  entries = auditRows(pristine).length;
  assert.ok(entries > 50, `the area has ${entries} audit entries`);
});

after(() => removeDir(dir));

/** A copy of the pristine area with `change` applied by its owner after the triggers are dropped. */
function tampered(name, change) {
  const db = path.join(dir, `${name}.db`);
  copyArea(pristine, db);
  const r = ownerSql(db, `${DROP_TRIGGERS} ${change}`);
  assert.equal(r.status, 0, `tampering: ${r.stderr}`);
  return db;
}

function verify(db) {
  return runCli(['audit', 'verify', '--db', dbUrl(db)], { check: false });
}

describe('audit verify', () => {
  test('an untouched chain verifies, with the number of entries', () => {
    const r = verify(pristine);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), `audit chain verified: ${entries} entries, 0 signed checkpoints`);
    // Every entry carries a 32-byte hash.
    assert.equal(Number(sql(pristine, 'select count(*) from audit where length(hash) = 32')), entries);
  });

  test('the triggers still refuse UPDATE and DELETE through SQL', () => {
    const db = path.join(dir, 'triggers.db');
    copyArea(pristine, db);
    for (const q of ['UPDATE audit SET detail = \'x\' WHERE id = 5', 'DELETE FROM audit WHERE id = 5',
      'UPDATE audit SET hash = zeroblob(32) WHERE id = 5']) {
      const r = ownerSql(db, q);
      assert.notEqual(r.status, 0, q);
      assert.match(r.stderr, /append-only/);
    }
    assert.equal(verify(db).status, 0);
  });

  const cases = [
    ['a changed detail', 'UPDATE audit SET detail = \'nothing to see\' WHERE id = 20', 20, /does not match/],
    ['a changed actor', 'UPDATE audit SET actor = \'someone else\' WHERE id = 33', 33, /does not match/],
    ['a changed child', 'UPDATE audit SET child_id = 1 WHERE id = (SELECT max(id) FROM audit WHERE child_id > 1)',
      null, /does not match/],
    ['a changed time', 'UPDATE audit SET at = \'2020-01-01T00:00:00Z\' WHERE id = 7', 7, /does not match/],
    ['a deleted entry', 'DELETE FROM audit WHERE id = 15', 16, /entry 15 before it is missing/, 14],
    ['the last entry deleted and replaced by a forged one',
      `DELETE FROM audit WHERE id = (SELECT max(id) FROM audit);
       INSERT INTO audit(id, at, actor, action, object, detail, hash)
         VALUES ((SELECT max(id) + 1 FROM audit), '2026-01-01T00:00:00Z', 'cli', 'child.read', '', '', zeroblob(32))`,
      'last', /does not match/],
    ['an inserted entry at the end without a hash',
      'INSERT INTO audit(id, at, actor, action, object, detail) VALUES ((SELECT max(id) + 1 FROM audit), ' +
      '\'2026-01-01T00:00:00Z\', \'cli\', \'child.read\', \'\', \'\')', 'next', /no chain hash/],
    ['an entry inserted out of sequence',
      'INSERT INTO audit(id, at, actor, action, object, detail, hash) VALUES (1000000, ' +
      '\'2026-01-01T00:00:00Z\', \'cli\', \'child.read\', \'\', \'\', zeroblob(32))', 1000000, /missing/, 'all'],
    ['two entries swapped (moved)',
      `CREATE TEMP TABLE t AS SELECT * FROM audit WHERE id IN (40, 41);
       UPDATE audit SET at = (SELECT at FROM t WHERE t.id = 81 - audit.id),
         actor = (SELECT actor FROM t WHERE t.id = 81 - audit.id),
         action = (SELECT action FROM t WHERE t.id = 81 - audit.id),
         child_id = (SELECT child_id FROM t WHERE t.id = 81 - audit.id),
         object = (SELECT object FROM t WHERE t.id = 81 - audit.id),
         detail = (SELECT detail FROM t WHERE t.id = 81 - audit.id),
         hash = (SELECT hash FROM t WHERE t.id = 81 - audit.id) WHERE id IN (40, 41)`, 40, /does not match/],
    ['a renumbered entry', 'UPDATE audit SET id = id + 5000 WHERE id = 60', 61, /entry 60 before it is missing/, 59],
  ];

  // [what, the change, the first broken entry, why, how many verify before it (default: all before it)]
  for (const [what, change, expectId, why, verifiedBefore] of cases) {
    test(`finds ${what}`, () => {
      const db = tampered(what.replace(/\W+/g, '_'), change);
      let want = expectId;
      if (want === null) want = auditRows(pristine).find((e) => e.child_id > 1).id; // newest first
      if (want === 'last') want = entries;
      if (want === 'next') want = entries + 1;
      const r = verify(db);
      assert.equal(r.status, 1, `verify should fail: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, new RegExp(`the chain is broken at entry ${want}: `));
      assert.match(r.stderr, why);
      let verified = verifiedBefore === undefined ? want - 1 : verifiedBefore;
      if (verified === 'all') verified = entries;
      assert.match(r.stderr, new RegExp(`\\(${verified} entries before it verified\\)`));
      assert.equal(r.stdout, '');
    });
  }

  test('a checkpoint signs the newest entry with a key made beside the database, mode 0600', () => {
    const db = path.join(dir, 'signed.db');
    copyArea(pristine, db);
    const r = runCli(['audit', 'checkpoint', '--db', dbUrl(db)]);
    assert.equal(r.stdout.trim(), `audit checkpoint signed at entry ${entries}`);
    const key = fs.statSync(auditKeyOf(db));
    assert.equal(key.mode & 0o777, 0o600);
    assert.equal(key.size, 64);
    assert.equal(runCli(['audit', 'checkpoint', '--db', dbUrl(db)]).stdout.trim(),
      'nothing new to sign: the newest entry already has a checkpoint, or the audit is empty');
    const v = verify(db);
    assert.equal(v.status, 0, v.stderr);
    assert.equal(v.stdout.trim(), `audit chain verified: ${entries} entries, 1 signed checkpoints`);
  });

  test('the sweep signs a checkpoint too', () => {
    const db = path.join(dir, 'swept.db');
    copyArea(pristine, db);
    const r = runCli(['sweep', '--db', dbUrl(db)]);
    assert.match(r.stdout, /^audit checkpoint signed at entry \d+$/m);
    const v = verify(db);
    assert.equal(v.status, 0, v.stderr);
    assert.match(v.stdout, /^audit chain verified: \d+ entries, 1 signed checkpoints/m);
  });

  test('entries deleted from the end after a checkpoint are found', () => {
    const db = path.join(dir, 'truncated.db');
    copyArea(pristine, db);
    runCli(['audit', 'checkpoint', '--db', dbUrl(db)]);
    const r0 = ownerSql(db, `${DROP_DELETE_TRIGGER} DELETE FROM audit WHERE id > ${entries - 3}`);
    assert.equal(r0.status, 0, r0.stderr);
    const r = verify(db);
    assert.equal(r.status, 1);
    assert.match(r.stderr, new RegExp(`broken at entry ${entries}: the checkpoint of .* signed this entry, and the ` +
      `audit now ends at entry ${entries - 3}: the last entries were deleted`));
  });

  test('a whole chain rewritten (another valid chain put in its place) contradicts the checkpoint', () => {
    // A second area's audit is a valid chain of its own: put in place of the signed one, it verifies as a
    // chain, but not against the checkpoint this server signed.
    const other = path.join(dir, 'other.db');
    runCli(['demo', '--db', dbUrl(other), '--families', '14', '--no-serve']);
    const db = path.join(dir, 'rewritten.db');
    copyArea(pristine, db);
    runCli(['audit', 'checkpoint', '--db', dbUrl(db)]);
    if (ON_PG) { // PostgreSQL attaches no other database: the other chain is copied out and in
      const out = ownerSql(other, '\\copy audit to stdout');
      assert.equal(out.status, 0, out.stderr);
      const del = ownerSql(db, `${DROP_DELETE_TRIGGER} DELETE FROM audit`);
      assert.equal(del.status, 0, del.stderr);
      const r0 = ownerSql(db, '\\copy audit from stdin', out.stdout);
      assert.equal(r0.status, 0, r0.stderr);
    } else {
      const r0 = ownerSql(db, `ATTACH '${other}' AS o; ${DROP_DELETE_TRIGGER}
        DELETE FROM audit; INSERT INTO audit SELECT * FROM o.audit;`);
      assert.equal(r0.status, 0, r0.stderr);
    }
    const r = verify(db);
    assert.equal(r.status, 1);
    assert.match(r.stderr, new RegExp(`broken at entry ${entries}: it is not the entry the checkpoint of .* signed: ` +
      'the chain was rewritten at or before it'));
  });

  test('a checkpoint signed by another key is found; a key file others can read is refused', () => {
    const db = path.join(dir, 'otherkey.db');
    copyArea(pristine, db);
    const theirs = path.join(dir, 'their.key');
    runCli(['audit', 'checkpoint', '--db', dbUrl(db), '--audit-key', theirs]);
    // The server's own key, made beside the database; nothing new to sign with it.
    assert.match(runCli(['audit', 'checkpoint', '--db', dbUrl(db)]).stdout, /nothing new to sign/);
    const r = verify(db);
    assert.equal(r.status, 1);
    assert.match(r.stderr, new RegExp(`broken at entry ${entries}: the checkpoint of .* was signed by another key`));
    assert.equal(runCli(['audit', 'verify', '--db', dbUrl(db), '--audit-key', theirs]).status, 0);
    fs.chmodSync(theirs, 0o644);
    const loose = runCli(['audit', 'verify', '--db', dbUrl(db), '--audit-key', theirs], { check: false });
    assert.equal(loose.status, 1);
    assert.match(loose.stderr, /is not an audit signing key readable by this user only/);
  });

  test('usage errors exit 2', () => {
    assert.equal(runCli(['audit'], { check: false }).status, 2);
    assert.equal(runCli(['audit', 'check', '--db', dbUrl(pristine)], { check: false }).status, 2);
    const help = runCli(['audit', '--help']);
    assert.match(help.stdout, /safeguard audit verify --db URL/);
  });
});
