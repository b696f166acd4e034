// `safeguard token list`: the API clients as the administrator sees them, newest first, TSV or JSON lines, never a
// token; a bad option is named.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { auditEntries, createToken, dbUrl, freshArea, removeDir, runCli, tokenRows } from './lib.mjs';

let area;

before(() => {
  area = freshArea('token-list');
  createToken(area.db, 'health', 'Ward EPR', ['events:write', 'flags:read']);
  const id = tokenRows(area.db, { label: 'e2e housing' })[0].id;
  runCli(['token', 'revoke', '--db', dbUrl(area.db), '--id', String(id)]);
});

after(() => removeDir(area?.dir));

describe('safeguard token list', () => {
  test('prints every client, newest first, as TSV with a header line, and never a token', () => {
    const r = runCli(['token', 'list', '--db', dbUrl(area.db)]);
    const lines = r.stdout.replace(/\n$/, '').split('\n');
    assert.equal(lines[0], 'id\tagency\tlabel\tscopes\tpending\tcreated_by\tapproved_by\tcreated_at\trevoked_at');
    assert.equal(lines.length, 1 + 6);
    const rows = lines.slice(1).map((l) => l.split('\t'));
    for (const f of rows) assert.equal(f.length, 9, f.join('|'));
    assert.deepEqual(rows.map((f) => Number(f[0])), [6, 5, 4, 3, 2, 1]);
    assert.deepEqual(rows[0].slice(1, 7), ['health', 'Ward EPR', 'events:write flags:read', '0', 'cli', '']);
    assert.match(rows[0][7], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(rows[0][8], '');
    const housing = rows.find((f) => f[1] === 'housing');
    assert.match(housing[8], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, 'revoked, with when');
    assert.doesNotMatch(r.stdout, /sgt_/, 'no token is shown');
  });

  test('--agency, --label and --limit filter; --json gives the same; listing writes no audit entry', () => {
    const before = auditEntries(area.db);
    const all = tokenRows(area.db);
    assert.equal(all.length, 6);
    assert.deepEqual(tokenRows(area.db, { agency: 'health' }).map((k) => k.label), ['Ward EPR', 'e2e health']);
    const [mine] = tokenRows(area.db, { label: 'e2e social_care' });
    assert.deepEqual({ ...mine, created_at: undefined },
      { id: 4, agency: 'social_care', label: 'e2e social_care', scopes: mine.scopes, pending: false, created_by: 'cli',
        approved_by: '', created_at: undefined, revoked_at: '' });
    assert.match(mine.scopes, /alerts:read/);
    const one = runCli(['token', 'list', '--db', dbUrl(area.db), '--agency', 'police', '--limit', '1', '--json']);
    assert.deepEqual(one.stdout.trim().split('\n').map((l) => JSON.parse(l)), all.filter((k) => k.agency === 'police'));
    assert.deepEqual(tokenRows(area.db, { label: 'no such label' }), []);
    assert.equal(auditEntries(area.db), before);
  });

  test('--help explains it; a bad option or value is named and exits 2', () => {
    assert.match(runCli(['token', 'list', '--help']).stdout, /^usage: safeguard token list --db URL/);
    assert.match(runCli(['token', '--help']).stdout, /safeguard token list/);
    const db = dbUrl(area.db);
    for (const [args, msg] of [
      [['--limit', 'ten'], /--limit must be a whole number .*"ten"/],
      [['--limit', '-2'], /--limit must be a whole number/],
      [['--colour'], /unknown option --colour/],
      [['--agency'], /--agency needs a value/],
      [['extra'], /unexpected argument "extra"/],
    ]) {
      const r = runCli(['token', 'list', '--db', db, ...args], { check: false });
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, msg);
      assert.equal(r.stdout, '');
    }
    const noDb = runCli(['token', 'list'], { check: false });
    assert.equal(noDb.status, 2);
    assert.match(noDb.stderr, /--db URL is required/);
  });
});
