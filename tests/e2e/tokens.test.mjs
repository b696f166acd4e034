// Agency tokens have scopes (issue 14, item 4): what each may do, checked by the route policy; a token that
// reads children, made by an administrator, waits for a second person's approval; every read through a token
// names the token (its number, label and who made it) in the audit.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import {
  tokenRows,
  auditRows, lastAudit,
  dbUrl, onPostgres, UNDO_41,
  AGENCIES, BIN, TOKEN_RE, addPerson, assertNoSanitizerReport, createToken, event, freshArea, migrate,
  nhsNumber, postEvent, removeDir, request, runCli, sql, sqlWrite, startServer, tempDir, webSignIn as signInAs, sessionCsrf,
} from './lib.mjs';

const PASSWORD = 'a long enough passphrase for the tokens';
let area;
let server;
let url;
let routes;
const secrets = {};
const cookies = {};

function cookieOf(res, name) {
  for (const c of res.headers.getSetCookie()) if (c.startsWith(`${name}=`)) return c.split(';')[0];
  return null;
}

async function webSignIn(username) {
  const cookie = await signInAs(url, area.db, username, { password: PASSWORD, secrets });
  return { cookie, csrf: await sessionCsrf(url, cookie) };
}

function post(who, pathname, fields) {
  const c = cookies[who];
  return request(`${url}${pathname}`, {
    method: 'POST',
    headers: { cookie: c.cookie, 'content-type': 'application/x-www-form-urlencoded', origin: url },
    body: new URLSearchParams({ csrf_token: c.csrf, ...fields }).toString(),
  });
}

let nhsSeq = 700000000;
function nextNhs() {
  for (;;) {
    const n = nhsNumber(nhsSeq++);
    if (n) return n;
  }
}

let childId; // sent by health and education: health's systems may read it
let nhsOnPlan; // a child on a child protection plan, for the flag look-up

before(async () => {
  area = freshArea('tokens');
  for (const u of ['t.admin1', 't.admin2']) secrets[u] = addPerson(area.db, u, 'social_care', 'admin', PASSWORD);
  const r = spawnSync(BIN, ['routes'], { encoding: 'utf8' });
  assertNoSanitizerReport(r.stderr, 'safeguard routes');
  routes = JSON.parse(r.stdout);
  server = await startServer(area.db);
  url = server.url;
  for (const u of ['t.admin1', 't.admin2']) cookies[u] = await webSignIn(u);
  const subject = { given_name: 'Tansy', family_name: 'Reed', dob: '2016-02-02', nhs_number: nextNhs() };
  const h = await postEvent(url, area.tokens.health, event({ source_ref: 'T-1', kind: 'gp_appointment' }, subject));
  assert.equal(h.status, 201, h.text);
  childId = h.json.child_id;
  await postEvent(url, area.tokens.education, event({ source_ref: 'T-2' }, subject));
  nhsOnPlan = nextNhs();
  const plan = await postEvent(url, area.tokens.social_care, event({ source_ref: 'T-3', kind: 'cp_plan_start',
    occurred_at: '2025-01-06T10:00:00Z', details: { category: 'neglect' } },
  { given_name: 'Pip', family_name: 'Lane', dob: '2019-09-09', nhs_number: nhsOnPlan }));
  assert.equal(plan.status, 201, plan.text);
});

after(async () => {
  try {
    if (server) await server.stop();
  } finally {
    removeDir(area?.dir);
  }
});

describe('safeguard token create --scope', () => {
  test('scopes are named, checked against the agency, and printed; the default sends records only', () => {
    const db = dbUrl(area.db);
    const made = runCli(['token', 'create', '--db', db, '--agency', 'health', '--scope', 'flags:read', '--scope',
      'events:write,records:read', '--label', 'EPR']);
    assert.match(made.stdout, /scope events:write records:read flags:read/);
    assert.match(made.stdout.trimEnd().split('\n').pop(), TOKEN_RE);
    const plain = runCli(['token', 'create', '--db', db, '--agency', 'police', '--label', 'plain']);
    assert.match(plain.stdout, /scope events:write \(/);
    const id = tokenRows(area.db, { label: 'plain' }).map((k) => k.id).join('\n');
    assert.equal(tokenRows(area.db).filter((k) => String(k.id) === id).map((k) => `${k.scopes}|${k.created_by}|${k.pending ? 1 : 0}`).join('\n'),
      'events:write|cli|0');
    const before = tokenRows(area.db).length;
    for (const [args, message] of [
      [['--agency', 'police', '--scope', 'children:read'], /--scope: no scope 'children:read'/],
      [['--agency', 'police', '--scope', 'flags:read'], /flags:read is for health's systems only/],
      [['--agency', 'education', '--scope', 'placements:write'], /placements:write is for social_care's systems only/],
      [['--agency', 'police', '--label', 'two\nlines'], /--label must be 100 characters or fewer, on one line/],
    ]) {
      const r = runCli(['token', 'create', '--db', db, ...args], { check: false });
      assert.equal(r.status, 2, r.stdout);
      assert.match(r.stderr, message);
    }
    assert.equal(tokenRows(area.db).length, before, 'nothing was made');
  });
});

describe('the route policy checks the scope', () => {
  test('a token with one scope reaches exactly the routes of that scope, and no other', async () => {
    const agencyFor = { 'flags:read': 'health', 'alerts:read': 'social_care', 'alerts:write': 'social_care',
      'placements:write': 'social_care' };
    const scopes = [...new Set(routes.filter((r) => r.scope).map((r) => r.scope))].sort();
    assert.deepEqual(scopes, ['alerts:read', 'alerts:write', 'events:write', 'flags:read', 'placements:write', 'records:read']);
    const wrong = [];
    for (const scope of scopes) {
      const token = createToken(area.db, agencyFor[scope] ?? 'social_care', `only ${scope}`, [scope]);
      for (const route of routes.filter((r) => r.surface === 'api' && r.action !== 'public')) {
        const post = route.method === 'POST';
        const r = await request(`${url}${route.path.replace(/\{id\}/g, String(childId))}`, {
          method: route.method, token, headers: post ? { 'content-type': 'application/json' } : {},
          body: post ? '{}' : undefined,
        });
        const through = !(r.status === 403 && r.json?.error?.code === 'not_permitted') && r.status !== 401;
        if (through !== (route.scope === scope)) wrong.push(`${route.method} ${route.path} with ${scope}: ${r.status} ${r.text.slice(0, 120)}`);
      }
    }
    assert.deepEqual(wrong, []);
  });

  test('a token of the foundation (events:write) sends records but reads no child', async () => {
    const token = createToken(area.db, 'health', 'send only');
    const sent = await postEvent(url, token, event({ source_ref: 'T-9' }, { given_name: 'Tansy', family_name: 'Reed', dob: '2016-02-02', nhs_number: '' }));
    assert.equal(sent.status, 201, sent.text);
    for (const path of [`/api/v1/children/${childId}`, `/api/v1/children/${childId}/chronology`, `/api/v1/flags?nhs_number=${nhsOnPlan}`]) {
      const r = await request(`${url}${path}`, { token });
      assert.equal(r.status, 403, path);
      assert.equal(r.json.error.code, 'not_permitted');
    }
  });

  test('tokens made before scopes (schema 14) send records and nothing else after the migration', async () => {
    const dir = tempDir('tokens-v14');
    try {
      const db = `${dir}/old.db`;
      migrate(db);
      const token = createToken(db, 'police', 'old police', ['events:write', 'records:read']);
      // The database as version 14 left it: no scope, no maker, no approval (nor what 15 and 16 changed). mash_open
      // (37) first: its trigger names bulk_held_index, which SQLite's ALTER TABLE checks once that table is gone.
      sqlWrite(db, UNDO_41 + (onPostgres() ? 'DROP TRIGGER mash_open_moved ON event; DROP FUNCTION sg_mash_open(); '
        : 'DROP TRIGGER mash_open_moved; ') + 'DROP TABLE mash_open; '
        + 'ALTER TABLE api_client DROP COLUMN scope; ALTER TABLE api_client DROP COLUMN created_by; '
        + 'ALTER TABLE api_client DROP COLUMN pending; ALTER TABLE api_client DROP COLUMN approved_by; '
        + 'ALTER TABLE api_client DROP COLUMN approved_at; DROP TABLE link_model; DROP TABLE dpo_notice; DROP TABLE login_throttle; '
        + 'ALTER TABLE app_user DROP COLUMN totp_sealed; ALTER TABLE person ADD COLUMN sealed INTEGER NOT NULL DEFAULT 0; '
        + 'ALTER TABLE team DROP COLUMN phone; ALTER TABLE team DROP COLUMN out_of_hours_phone; ALTER TABLE team DROP COLUMN email; '
        + 'ALTER TABLE app_user DROP COLUMN full_name; ALTER TABLE app_user DROP COLUMN email; '
        + 'ALTER TABLE app_user DROP COLUMN phone; ALTER TABLE app_user DROP COLUMN team; '
        + 'DROP TABLE speakup_message; DROP TABLE speakup_report; '
        + 'DROP TABLE worker_notice; DROP INDEX break_glass_at; '
        + 'DROP TABLE lado_alert; DROP TABLE lado_allegation; DROP TABLE lado_employment; DROP TABLE lado_person; '
        + 'ALTER TABLE recording DROP COLUMN kind; ALTER TABLE recording DROP COLUMN recorded_on; '
        + 'ALTER TABLE recording DROP COLUMN present; ALTER TABLE recording DROP COLUMN consent; '
        + 'ALTER TABLE recording DROP COLUMN words; ALTER TABLE reg44_report DROP COLUMN safeguarded; '
        + 'DROP TABLE bulk_held_index; '
        + 'ALTER TABLE oversight_run DROP COLUMN budget_confidence; ALTER TABLE oversight_run DROP COLUMN simulated_rate; '
        + (onPostgres() ? 'UPDATE sg_schema_version SET version = 14;' : 'PRAGMA user_version = 14;'));
      const m = runCli(['migrate', '--db', dbUrl(db)]);
      assert.match(m.stdout, /schema at version (\d+)/);
      const latest = /schema at version (\d+)/.exec(m.stdout)[1]; /* the binary's latest, whatever a branch added */
      assert.match(m.stderr, new RegExp(`migrated from version 14 to ${latest}`));
      assert.equal(tokenRows(db).map((k) => `${k.scopes}|${k.created_by}|${k.pending ? 1 : 0}`).join('\n'), 'events:write|cli|0',
        'the scope is the default, and its maker is taken from the audit');
      const s = await startServer(db);
      try {
        const sent = await postEvent(s.url, token, event({ source_ref: 'OLD-1' }));
        assert.equal(sent.status, 201, sent.text);
        const read = await request(`${s.url}/api/v1/children/${sent.json.child_id}`, { token });
        assert.equal(read.status, 403);
        assert.match(read.json.error.message, /needs the scope records:read/);
      } finally {
        await s.stop();
      }
    } finally {
      removeDir(dir);
    }
  });
});

describe('a token that reads children needs a second person', () => {
  let id;
  let token;

  test('made by an administrator on the pages, it is refused until another administrator approves it', async () => {
    const r = await post('t.admin1', '/admin/tokens', { agency: 'health', label: 'Ward EPR', 'events:write': 'yes',
      'flags:read': 'yes', 'records:read': 'yes' });
    assert.equal(r.status, 200, r.text.slice(0, 300));
    assert.match(r.text, /It does not work yet/);
    token = /id="secret">([^<]+)</.exec(r.text)?.[1];
    assert.match(token, TOKEN_RE);
    id = tokenRows(area.db, { label: 'Ward EPR' }).map((k) => k.id).join('\n');
    assert.match(auditRows(area.db, { action: 'token.create', object: `client:${id}` }).reverse().map((e) => e.detail).join('\n'),
      /^health; scope events:write records:read flags:read; pending approval$/);
    const refused = await request(`${url}/api/v1/flags?nhs_number=${nhsOnPlan}`, { token });
    assert.equal(refused.status, 401, refused.text);
    assert.equal(refused.json.error.code, 'token_pending');
    const sent = await postEvent(url, token, event({ source_ref: 'T-P-1' }));
    assert.equal(sent.status, 401, 'a pending token does nothing at all');
    // The page says whose approval it waits for.
    const list = await request(`${url}/admin/tokens`, { headers: { cookie: cookies['t.admin1'].cookie } });
    assert.match(list.text, new RegExp(`id="token-${id}"[\\s\\S]*?Awaiting approval[\\s\\S]*?You made it: another administrator approves it`));
  });

  test('the administrator who made it cannot approve it; nothing changes', async () => {
    const r = await post('t.admin1', `/admin/tokens/${id}/approve`, {});
    assert.equal(r.status, 403);
    assert.match(r.text, /You made this token/);
    assert.equal((await request(`${url}/api/v1/flags?nhs_number=${nhsOnPlan}`, { token })).status, 401);
    assert.equal(auditRows(area.db, { action: 'token.approve', object: `client:${id}` }).length, 0);
  });

  test('another administrator approves it; from then it works, and only for its scope', async () => {
    const r = await post('t.admin2', `/admin/tokens/${id}/approve`, {});
    assert.equal(r.status, 303, r.text.slice(0, 300));
    assert.equal(r.headers.get('location'), '/admin/tokens?done=approved');
    assert.match(auditRows(area.db, { action: 'token.approve', object: `client:${id}` }).reverse().map((e) => `${e.actor} ${e.detail}`).join('\n'),
      /^user:\d+:t\.admin2 events:write records:read flags:read$/);
    const flag = await request(`${url}/api/v1/flags?nhs_number=${nhsOnPlan}`, { token });
    assert.equal(flag.status, 200, flag.text);
    assert.equal(flag.json.flagged, true);
    assert.equal((await request(`${url}/api/v1/alerts`, { token })).json.error.code, 'not_permitted');
    const again = await post('t.admin2', `/admin/tokens/${id}/approve`, {});
    assert.equal(again.status, 409);
    const list = await request(`${url}/admin/tokens`, { headers: { cookie: cookies['t.admin1'].cookie } });
    assert.match(list.text, new RegExp(`id="token-${id}"[\\s\\S]*?Approved by t\\.admin2[\\s\\S]*?In use`));
  });

  test('a token that only writes works at once; the operator may approve a page-made one', async () => {
    const w = await post('t.admin1', '/admin/tokens', { agency: 'police', label: 'Police feed', 'events:write': 'yes' });
    const writer = /id="secret">([^<]+)</.exec(w.text)?.[1];
    assert.doesNotMatch(w.text, /It does not work yet/);
    assert.equal((await postEvent(url, writer, event({ source_ref: 'T-W-1' }))).status, 201);
    const r = await post('t.admin1', '/admin/tokens', { agency: 'education', label: 'School MIS', 'records:read': 'yes' });
    const reader = /id="secret">([^<]+)</.exec(r.text)?.[1];
    const mis = tokenRows(area.db, { label: 'School MIS' }).map((k) => k.id).join('\n');
    assert.equal((await request(`${url}/api/v1/children/${childId}`, { token: reader })).status, 401);
    const ok = runCli(['token', 'approve', '--db', dbUrl(area.db), '--id', mis]);
    assert.match(ok.stdout, new RegExp(`token ${mis} approved`));
    assert.equal((await request(`${url}/api/v1/children/${childId}`, { token: reader })).status, 200);
    const twice = runCli(['token', 'approve', '--db', dbUrl(area.db), '--id', mis], { check: false });
    assert.equal(twice.status, 1);
    assert.match(twice.stderr, /awaits no approval/);
  });
});

describe('every read through a token names the token: its number, label and who made it', () => {
  test('the child, the chronology, the alerts and the flag look-up', async () => {
    const id = tokenRows(area.db, { label: 'Ward EPR' }).map((k) => k.id).join('\n');
    const note = new RegExp(`token ${id} 'Ward EPR' made by user:\\d+:t\\.admin1`);
    const health = tokenRows(area.db, { label: 'e2e health' }).map((k) => k.id).join('\n');
    const cli = new RegExp(`^token ${health} 'e2e health' made by cli`);
    assert.equal((await request(`${url}/api/v1/children/${childId}`, { token: area.tokens.health })).status, 200);
    assert.match(lastAudit(area.db, { action: 'child.read', child: childId })?.detail ?? '', cli);
    assert.equal((await request(`${url}/api/v1/children/${childId}/chronology`, { token: area.tokens.health })).status, 200);
    assert.match(lastAudit(area.db, { action: 'chronology.read', child: childId })?.detail ?? '',
      new RegExp(`^limit 100; token ${health} 'e2e health' made by cli; own agency's records$`));
    assert.equal((await request(`${url}/api/v1/alerts`, { token: area.tokens.social_care })).status, 200);
    const sc = tokenRows(area.db, { label: 'e2e social_care' }).map((k) => k.id).join('\n');
    assert.match(lastAudit(area.db, { action: 'alerts.read' })?.detail ?? '',
      new RegExp(`; token ${sc} 'e2e social_care' made by cli$`));
    // The approved page-made token's flag look-up (above) names its label and the administrator who made it.
    assert.match(lastAudit(area.db, { action: 'flags.lookup' })?.detail ?? '', note);
  });
});

describe('the whole set of agencies', () => {
  test('the e2e areas\' tokens carry their agency\'s scopes', () => {
    for (const a of AGENCIES) {
      const scope = tokenRows(area.db, { label: `e2e ${a}` }).map((k) => k.scopes).join('\n');
      assert.ok(scope.startsWith('events:write records:read'), `${a}: ${scope}`);
    }
  });
});

// issue 17: the server keeps a token that sent records (service/tokens.h, the token cache) and the writer checks
// it again in the transaction that stores the event, so a revocation holds from the next event on.
describe('a token the server keeps after sending records', () => {
  async function send(token, ref) {
    return postEvent(url, token, event({ source_ref: ref }, { given_name: 'Kit', family_name: 'Keep', dob: '2015-05-05', nhs_number: '' }));
  }
  // Whether the agency's record `ref` is stored, through the API: the same record sent again with a good token of
  // the agency is a replay (200, nothing written) when it was stored, and a new record (201) when it was not (it is
  // then).
  const good = {};
  async function stored(ref, agency = 'police') {
    good[agency] ??= createToken(area.db, agency, `kept, a good ${agency} one`);
    const r = await send(good[agency], ref);
    assert.ok(r.status === 200 || r.status === 201, `${ref}: ${r.status} ${r.text}`);
    return r.status === 200;
  }

  test('is refused at once when revoked on the command line, and nothing is stored', async () => {
    const token = createToken(area.db, 'police', 'kept, revoked by cli');
    for (const ref of ['K-1', 'K-2', 'K-3']) assert.equal((await send(token, ref)).status, 201, ref); // kept from the first
    const id = tokenRows(area.db, { label: 'kept, revoked by cli' })[0].id;
    runCli(['token', 'revoke', '--db', dbUrl(area.db), '--id', String(id)]);
    const r = await send(token, 'K-4');
    assert.equal(r.status, 401, r.text);
    assert.equal(r.json.error.code, 'invalid_token');
    assert.equal((await send(token, 'K-5')).status, 401, 'and still refused (looked up afresh)');
    assert.equal(await stored('K-3'), true, 'a record the token sent before it was revoked stays');
    assert.equal(await stored('K-4'), false, 'nothing stored');
    assert.equal(await stored('K-5'), false);
  });

  test('a bad body from a kept token is not answered from the cache twice: a revocation shows at once', async () => {
    const token = createToken(area.db, 'police', 'kept, bad bodies');
    assert.equal((await send(token, 'K-20')).status, 201); // kept
    const id = tokenRows(area.db, { label: 'kept, bad bodies' })[0].id;
    runCli(['token', 'revoke', '--db', dbUrl(area.db), '--id', String(id)]);
    // the first bad body is refused before the writer (400 from the kept entry), which is then dropped
    assert.equal((await postEvent(url, token, '{')).status, 400);
    const r = await postEvent(url, token, '{');
    assert.equal(r.status, 401, r.text); // looked up afresh: revoked
    assert.equal((await postEvent(url, token, '{}', { contentType: 'text/plain' })).status, 401);
  });

  test('is refused at once when revoked on the pages; another kept token goes on working', async () => {
    const token = createToken(area.db, 'housing', 'kept, revoked on the pages');
    const other = createToken(area.db, 'housing', 'kept, not revoked');
    for (const ref of ['K-10', 'K-11']) assert.equal((await send(token, ref)).status, 201, ref);
    for (const ref of ['K-12', 'K-13']) assert.equal((await send(other, ref)).status, 201, ref);
    const id = tokenRows(area.db, { label: 'kept, revoked on the pages' })[0].id;
    assert.equal((await post('t.admin1', `/admin/tokens/${id}/revoke`, { confirm: 'yes' })).status, 303);
    const r = await send(token, 'K-14');
    assert.equal(r.status, 401, r.text);
    // the revocation moved the clients' generation: the other token is read again, found as it was, and works
    for (const ref of ['K-15', 'K-16']) assert.equal((await send(other, ref)).status, 201, ref);
    assert.equal(await stored('K-14', 'housing'), false, 'nothing stored');
    assert.equal(await stored('K-15', 'housing'), true);
    assert.equal(await stored('K-16', 'housing'), true);
  });
});
