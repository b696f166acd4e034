// `safeguard user list`: the people who sign in, as the administrator (and the tests, instead of SQL) read them:
// TSV with a header, or JSON lines; --username keeps one; never a password hash or a second factor's secret;
// misuse answered 2 naming the option.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addPerson, dbUrl, freshArea, removeDir, runCli, userRows } from './lib.mjs';

const PASSWORD = 'a passphrase long enough to list';
let area;

before(() => {
  area = freshArea('user-list');
  addPerson(area.db, 'lee.list', 'police', 'police_officer', PASSWORD);
  addPerson(area.db, 'ann.list', 'health', 'health_practitioner', PASSWORD);
  runCli(['user', 'disable', '--db', dbUrl(area.db), '--username', 'ann.list']);
});

after(() => removeDir(area?.dir));

test('lists every person by username, with who is disabled, and never a secret', () => {
  const all = userRows(area.db);
  const mine = all.filter((u) => u.username.endsWith('.list'));
  assert.deepEqual(mine.map((u) => [u.username, u.agency, u.role, u.disabled_at !== '']),
    [['ann.list', 'health', 'health_practitioner', true], ['lee.list', 'police', 'police_officer', false]]);
  assert.deepEqual(userRows(area.db, { username: 'lee.list' }).map((u) => u.username), ['lee.list']);
  assert.deepEqual(userRows(area.db, { username: 'no.one' }), []);
  const tsv = runCli(['user', 'list', '--db', dbUrl(area.db)]).stdout;
  assert.match(tsv, /^id\tusername\tagency\trole\tteam\tfull_name\temail\tphone\tdisabled_at\n/);
  assert.equal(tsv.trim().split('\n').length, all.length + 1, 'a header and a line a person');
  assert.doesNotMatch(tsv + JSON.stringify(all), /argon2|\$argon|password|totp/i, 'no hash, no secret');
});

test('misuse is answered 2, naming the option', () => {
  const bad = runCli(['user', 'list', '--db', dbUrl(area.db), '--nope'], { check: false });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown option --nope/);
  const none = runCli(['user', 'list'], { check: false });
  assert.equal(none.status, 2);
  assert.match(none.stderr, /--db URL is required/);
});
