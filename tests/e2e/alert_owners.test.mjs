// Who an alert belongs to, and whose caseload a manager reads (issue 14, item 14).
//
// Owners are typed: a worker (by username), a team (by code) or the MASH. A person whose username happens to
// be a team's code, or "mash", is not that team or the MASH. A team manager reads the part of a worker's
// caseload that is in the teams they manage, and nothing of another team's.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import {
  BIN, addPerson, assertNoSanitizerReport, event, freshArea, postEvent, removeDir, request, runCli, sqlWrite,
  base32Decode, now, startServer, totp, newAuthenticator, webSignIn as signInAs, dbUrl, onPostgres, cliEnv,
} from './lib.mjs';

const PASSWORD = 'a long enough passphrase for the owners';
const DAY = 86400000;
const tenDaysAgo = `${new Date(now() - 10 * DAY).toISOString().slice(0, 10)}T10:00:00Z`;

let area;
let server;
let url;
const secrets = {};
let teamChild;
let mashChild;
let teamAlert;
let mashAlert;
let north;
let south;

function cookieOf(res, name) {
  for (const c of res.headers.getSetCookie()) if (c.startsWith(`${name}=`)) return c.split(';')[0];
  return null;
}

/** An API session; from a new authenticator (lib's newAuthenticator) unless a secret is given (a row made here). */
async function apiSignIn(username, secret) {
  if (secret === undefined) secret = secrets[username] = newAuthenticator(area.db, username);
  const r = await request(`${url}/api/v1/sessions`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD, totp: totp(secret) }),
  });
  assert.equal(r.status, 201, r.text);
  return r.json.token;
}

async function webSignIn(username) {
  return signInAs(url, area.db, username, { password: PASSWORD, secrets });
}

/** A child from the school, allocated as given (or not), then a referral ten days ago: its overdue alert. */
async function childWithAlert(tag, allocation) {
  const subject = { given_name: `Oak${tag}`, family_name: 'Marsh', dob: '2014-06-0' + tag.length, nhs_number: '' };
  const first = await postEvent(url, area.tokens.education, event({ source_ref: `O-${tag}-1`, occurred_at: tenDaysAgo }, subject));
  assert.equal(first.status, 201, first.text);
  const id = first.json.child_id;
  if (allocation) runCli(['allocate', '--db', dbUrl(area.db), '--child', String(id), ...allocation]);
  const ref = await postEvent(url, area.tokens.education, event({ source_ref: `O-${tag}-2`, kind: 'referral', occurred_at: tenDaysAgo }, subject));
  assert.equal(ref.json.child_id, id);
  const r = await request(`${url}/api/v1/alerts?child=${id}&state=all`, { token: area.tokens.social_care });
  const alert = r.json.alerts.find((a) => a.code === 'REFERRAL_DECISION_OVERDUE');
  assert.ok(alert, r.text);
  return { id, alert };
}

before(async () => {
  area = freshArea('alert-owners');
  for (const [u, agency, role] of [['north', 'social_care', 'social_worker'], ['o.nmanager', 'social_care', 'team_manager'],
    ['o.smanager', 'social_care', 'team_manager'], ['o.xmanager', 'social_care', 'team_manager'],
    ['o.worker', 'social_care', 'social_worker'], ['o.mash', 'social_care', 'mash_worker']]) {
    secrets[u] = addPerson(area.db, u, agency, role, PASSWORD);
  }
  const db = dbUrl(area.db);
  runCli(['team', 'add', '--db', db, '--code', 'north', '--name', 'North', '--manager', 'o.nmanager']);
  runCli(['team', 'add', '--db', db, '--code', 'south', '--name', 'South', '--manager', 'o.smanager']);
  runCli(['team', 'add', '--db', db, '--code', 'east', '--name', 'East', '--manager', 'o.xmanager']);
  server = await startServer(area.db);
  url = server.url;
  // A team's alert (the child is the team "north"'s, no worker) and the MASH's (no one holds the case).
  ({ id: teamChild, alert: teamAlert } = await childWithAlert('T', ['--team', 'north']));
  ({ id: mashChild, alert: mashAlert } = await childWithAlert('MM', null));
  assert.deepEqual(teamAlert.owner, { kind: 'team', name: 'north' });
  assert.deepEqual(mashAlert.owner, { kind: 'mash', name: 'mash' });
  // o.worker holds one child in North and one in South.
  ({ id: north } = await childWithAlert('NNN', ['--team', 'north', '--user', 'o.worker']));
  ({ id: south } = await childWithAlert('SSSS', ['--team', 'south', '--user', 'o.worker']));
});

after(async () => {
  try {
    if (server) await server.stop();
  } finally {
    removeDir(area?.dir);
  }
});

describe('owners are typed', () => {
  test('a person whose username is a team\'s code is not the team: not listed, not readable, not theirs to act on', async () => {
    const token = await apiSignIn('north');
    const mine = await request(`${url}/api/v1/alerts?state=all`, { token });
    assert.equal(mine.status, 200, mine.text);
    assert.deepEqual(mine.json.alerts.map((a) => a.id), [], 'north the person owns no alert');
    for (const q of ['?owner=north', '?owner=user:north']) {
      const r = await request(`${url}/api/v1/alerts${q}`, { token });
      assert.deepEqual(r.json.alerts.map((a) => a.id), [], q);
    }
    assert.equal((await request(`${url}/api/v1/alerts?owner=team:north`, { token })).status, 403);
    assert.equal((await request(`${url}/api/v1/alerts/${teamAlert.id}`, { token })).status, 403);
    const ack = await request(`${url}/api/v1/alerts/${teamAlert.id}/acknowledge`, { method: 'POST', token });
    assert.equal(ack.status, 403, ack.text);
    const page = await request(`${url}/alerts`, { headers: { cookie: await webSignIn('north') } });
    assert.equal(page.status, 200);
    assert.doesNotMatch(page.text, new RegExp(`/alerts/${teamAlert.id}"`), 'the inbox does not list the team\'s alert');
    const seen = await request(`${url}/api/v1/alerts/${teamAlert.id}`, { token: area.tokens.social_care });
    assert.equal(seen.json.state, 'open', 'nothing was written');
  });

  test('an agency system names owners by kind: team:CODE, user:NAME (or a bare name), mash', async () => {
    const list = async (owner) => (await request(`${url}/api/v1/alerts?state=all&owner=${encodeURIComponent(owner)}`,
      { token: area.tokens.social_care })).json.alerts.map((a) => a.id);
    assert.ok((await list('team:north')).includes(teamAlert.id));
    assert.ok(!(await list('north')).includes(teamAlert.id), 'a bare name is a worker');
    assert.ok(!(await list('user:north')).includes(teamAlert.id));
    assert.ok((await list('mash')).includes(mashAlert.id));
    assert.ok(!(await list('team:north')).includes(mashAlert.id));
    const bad = await request(`${url}/api/v1/alerts?owner=team:`, { token: area.tokens.social_care });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error.field, 'owner');
  });

  test('no one can be made "mash"; a person named mash from before is not the MASH', async () => {
    const argv = ['user', 'add', '--db', dbUrl(area.db), '--username', 'mash', '--agency', 'social_care',
      '--role', 'social_worker', '--password-stdin'];
    const r = spawnSync(BIN, argv, { input: `${PASSWORD}\n`, encoding: 'utf8', env: cliEnv(argv) });
    assertNoSanitizerReport(r.stderr, 'safeguard user add');
    assert.notEqual(r.status, 0, 'the username mash is refused');
    // A database from before may hold one: made here as it would have been (its TOTP secret in plain text, as
    // before schema 15 sealed them), with north's password and secret.
    const plain = base32Decode(secrets.north).toString('hex');
    sqlWrite(area.db, "insert into app_user(username, agency, role, password_hash, totp_secret, created_at) select 'mash', "
      + `agency, role, password_hash, ${onPostgres() ? `'\\x${plain}'::bytea` : `X'${plain}'`}, created_at `
      + "from app_user where username = 'north'");
    const token = await apiSignIn('mash', secrets.north);
    const own = await request(`${url}/api/v1/alerts?state=all`, { token });
    assert.equal(own.status, 200, own.text);
    assert.ok(!own.json.alerts.some((a) => a.id === mashAlert.id), 'the MASH\'s alerts are not theirs');
    assert.equal((await request(`${url}/api/v1/alerts?owner=mash`, { token })).status, 403);
    assert.equal((await request(`${url}/api/v1/alerts/${mashAlert.id}`, { token })).status, 403);
    const ack = await request(`${url}/api/v1/alerts/${mashAlert.id}/acknowledge`, { method: 'POST', token });
    assert.equal(ack.status, 403);
    // A MASH worker does see and act on them.
    const mw = await apiSignIn('o.mash');
    assert.ok((await request(`${url}/api/v1/alerts?owner=mash`, { token: mw })).json.alerts.some((a) => a.id === mashAlert.id));
    const seen = await request(`${url}/api/v1/alerts/${mashAlert.id}`, { token: mw });
    assert.equal(seen.json.state, 'open', 'the person named mash changed nothing');
  });
});

describe('a team manager reads their own team\'s part of a worker\'s caseload', () => {
  const caseload = async (who, worker) => {
    const r = await request(`${url}/caseload?worker=${worker}`, { headers: { cookie: await webSignIn(who) } });
    assert.equal(r.status, 200, r.text.slice(0, 300));
    return [...r.text.matchAll(/href="\/children\/(\d+)"/g)].map((m) => Number(m[1])).sort((a, b) => a - b);
  };

  test('North\'s manager sees the North child, South\'s the South child, East\'s none; the worker both', async () => {
    assert.deepEqual(await caseload('o.nmanager', 'o.worker'), [north]);
    assert.deepEqual(await caseload('o.smanager', 'o.worker'), [south]);
    assert.deepEqual(await caseload('o.xmanager', 'o.worker'), []);
    assert.deepEqual(await caseload('o.worker', 'o.worker'), [north, south].sort((a, b) => a - b));
  });

  test('a social worker still reads only their own caseload', async () => {
    const r = await request(`${url}/caseload?worker=o.worker`, { headers: { cookie: await webSignIn('north') } });
    assert.equal(r.status, 403);
  });
});

// r-tidy34: a malformed owner (a newline, a byte that is no UTF-8, a tab, a control character, past 64 characters)
// is 400 naming the field on the API as on the page: one validation (alerts_owner_text_ok) both call. Before, the API
// took a newline or "%FF" on to the decision: 403 for a person (not theirs), 200 and nothing for a system.
test('a malformed owner is 400 naming the field, on the API as on the page', async () => {
  const token = await apiSignIn('o.worker');
  const cookie = await webSignIn('o.worker');
  for (const owner of ['a%0Ab', '%FF', 'o.worker%0A', 'a%09b', 'a%0Db', 'a%01b', 'x'.repeat(65), 'team%3Anorth%0A']) {
    const page = await request(`${url}/alerts?owner=${owner}`, { headers: { cookie } });
    assert.equal(page.status, 400, `page ${owner}`);
    assert.match(page.text, /The owner must be a username or team code/, `page ${owner}`);
    for (const [who, t] of [['a person', token], ['a system', area.tokens.social_care]]) {
      const api = await request(`${url}/api/v1/alerts?owner=${owner}`, { token: t });
      assert.equal(api.status, 400, `API, ${who}, ${owner}: ${api.text}`);
      assert.equal(api.json.error.field, 'owner', `API, ${who}, ${owner}`);
    }
  }
  // and well-formed owners are as before: hers 200, another's 403 (the decision's), a system's any owner's
  assert.equal((await request(`${url}/api/v1/alerts?owner=o.worker`, { token })).status, 200);
  assert.equal((await request(`${url}/api/v1/alerts?owner=o.mash`, { token })).status, 403);
  assert.equal((await request(`${url}/api/v1/alerts?owner=${'é'.repeat(30)}`, { token: area.tokens.social_care })).status, 200);
});
