// `safeguard team list`: the teams, as the administrator (and the tests, instead of SQL) read them: TSV with a
// header (a tab in a name written \t), or JSON lines (with the team's numbers); --code keeps one; misuse answered 2
// naming the option.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { dbUrl, freshArea, removeDir, runCli, teamRows } from './lib.mjs';

let area;

before(() => {
  area = freshArea('team-list');
  runCli(['team', 'add', '--db', dbUrl(area.db), '--code', 'north', '--name', 'North\tchildren in need', '--manager', 'tam.manager']);
  runCli(['team', 'add', '--db', dbUrl(area.db), '--code', 'east', '--name', 'East']);
});

after(() => removeDir(area?.dir));

test('lists every team by code, with its manager', () => {
  assert.deepEqual(teamRows(area.db), [
    { code: 'east', name: 'East', manager: '', phone: '', out_of_hours_phone: '', email: '' },
    { code: 'north', name: 'North\tchildren in need', manager: 'tam.manager', phone: '', out_of_hours_phone: '', email: '' },
  ]);
  assert.deepEqual(teamRows(area.db, { code: 'east' }), [{ code: 'east', name: 'East', manager: '', phone: '', out_of_hours_phone: '', email: '' }]);
  assert.deepEqual(teamRows(area.db, { code: 'west' }), []);
  const tsv = runCli(['team', 'list', '--db', dbUrl(area.db)]).stdout;
  assert.equal(tsv, 'code\tname\tmanager\neast\tEast\t\nnorth\tNorth\\tchildren in need\ttam.manager\n');
  // renamed: the same team, its new name
  runCli(['team', 'add', '--db', dbUrl(area.db), '--code', 'east', '--name', 'East and coast', '--manager', 'eve.manager']);
  assert.deepEqual(teamRows(area.db, { code: 'east' }), [{ code: 'east', name: 'East and coast', manager: 'eve.manager', phone: '', out_of_hours_phone: '', email: '' }]);
});

test('misuse is answered 2, naming the option', () => {
  const bad = runCli(['team', 'list', '--db', dbUrl(area.db), '--nope'], { check: false });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown option --nope/);
  const none = runCli(['team', 'list'], { check: false });
  assert.equal(none.status, 2);
  assert.match(none.stderr, /--db URL is required/);
});
