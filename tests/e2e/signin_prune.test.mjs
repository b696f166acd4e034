// issue 16/17 loose end: `login_attempt` rows were never pruned. The nightly sweep (and `safeguard sweep`, the same
// service call) removes the sign-in attempts older than the throttles' window (15 minutes), which no throttle reads
// again. Counted through the CLI's own report, on the tests' clock shifted past the window: no SQL.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addPerson, clockMovedOn, dbUrl, freshArea, removeDir, request, runCli, startServer } from './lib.mjs';

const WINDOW_S = 15 * 60; // USERS_FAILURE_WINDOW_SECONDS
let area;

const removed = (later) => { // a sweep on the clock moved on `later` seconds
  const r = runCli(['sweep', '--db', dbUrl(area.db)], { env: clockMovedOn(later) });
  assert.match(r.stdout, /^swept \d+ children/, 'the sweep ran');
  // a line when it removed some (none: no line, as the audit checkpoint's)
  const m = /^removed (\d+) sign-in attempts older than the throttles' window$/m.exec(r.stdout);
  if (m) assert.ok(Number(m[1]) > 0, 'the line is only there for some');
  return m ? Number(m[1]) : 0;
};

before(async () => {
  area = freshArea('signin-prune');
  addPerson(area.db, 'pru.dent', 'police', 'police_officer', 'a passphrase long enough for the prune test');
  const server = await startServer(area.db);
  try {
    // three wrong passwords for a real account and one for a username that names no one: four attempts kept
    for (const username of ['pru.dent', 'pru.dent', 'pru.dent', 'no.one']) {
      const r = await request(`${server.url}/api/v1/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: 'not the passphrase', totp: '123456' }) });
      assert.equal(r.status, 401, r.text);
    }
  } finally {
    await server.stop();
  }
});

after(() => removeDir(area?.dir));

test('the sweep removes the sign-in attempts past the window, and only those', () => {
  assert.equal(removed(0), 0, 'within the window: all four are still read by the throttles');
  assert.equal(removed(WINDOW_S - 120), 0, 'two minutes before the window ends: still kept');
  assert.equal(removed(WINDOW_S + 120), 4, 'past the window: all four removed');
  assert.equal(removed(WINDOW_S + 180), 0, 'nothing left to remove');
});
