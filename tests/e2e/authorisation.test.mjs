// The authorisation matrix (issue 4, "Done when"): every route of the API and of the pages, for every role,
// for each agency's system and for no one signed in, against this file's own statement of who may use it.
//
// The server lists its routes (`safeguard routes`); this test fails when the server has a route this file
// has no entry for, or this file has an entry for a route the server does not have. Each (route, caller) is
// then requested over real HTTP and the answer classified:
//   - "denied by role": API 403 {"error":{"code":"not_permitted"}}, page 403 "You cannot use this page";
//   - "not signed in": API 401, page 303 to /sign-in (GET) or 403 "Your session has ended" (POST);
//   - anything else is "let through" (need-to-know about one child, validation, 404 may still follow).
// So this checks the first gate (the role policy); need-to-know has its own tests (users.test.mjs,
// pages_access.test.mjs).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import {
  AGENCIES, BIN, assertNoSanitizerReport, event, freshArea, postEvent, removeDir, request, startServer, totp,
  webSignIn as signInAs, sessionCsrf, dbUrl, addPerson,
} from './lib.mjs';

const PASSWORD = 'a long enough passphrase for the matrix';

// role → agency of the person holding it
const ROLES = {
  social_worker: 'social_care',
  team_manager: 'social_care',
  mash_worker: 'social_care',
  police_officer: 'police',
  health_practitioner: 'health',
  school_dsl: 'education',
  conference_chair: 'social_care',
  oversight_analyst: 'social_care',
  dpo: 'social_care',
  admin: 'social_care',
  lado: 'social_care',
};
const SYSTEMS = AGENCIES.map((a) => `system:${a}`);

// Who may use what: this file's own statement of the policy (docs/API.md "Who may do what").
const ANYONE = ['anonymous', ...SYSTEMS, ...Object.keys(ROLES)];
const PEOPLE = Object.keys(ROLES);
const PRACTITIONERS = ['social_worker', 'team_manager', 'mash_worker', 'police_officer', 'health_practitioner',
  'school_dsl', 'conference_chair'];
const READERS = [...PRACTITIONERS, 'dpo'];
const ALERT_OWNERS = ['social_worker', 'team_manager', 'mash_worker', 'health_practitioner'];

const EXPECTED = {
  'api GET /healthz': ANYONE,
  'api GET /metrics': ANYONE,
  'api GET /openapi.json': ANYONE,
  'api POST /api/v1/sessions': ANYONE,
  'api POST /api/v1/events': SYSTEMS,
  'api GET /api/v1/children/{id}': [...SYSTEMS, ...READERS],
  'api GET /api/v1/children/{id}/chronology': [...SYSTEMS, ...READERS],
  'api GET /api/v1/children/{id}/viewers': ['social_worker', 'team_manager', 'dpo'],
  'api POST /api/v1/children/{id}/break-glass': PRACTITIONERS,
  'api GET /api/v1/notices': ['dpo'],
  'api GET /api/v1/health/break-glass': ['health_practitioner'],
  'api GET /api/v1/alerts': ['system:social_care', ...ALERT_OWNERS],
  'api GET /api/v1/alerts/{id}': ['system:social_care', ...ALERT_OWNERS],
  'api POST /api/v1/alerts/{id}/acknowledge': ['system:social_care', ...ALERT_OWNERS],
  'api POST /api/v1/alerts/{id}/resolve': ['system:social_care', ...ALERT_OWNERS],
  'api GET /api/v1/flags': ['system:health', 'health_practitioner'],
  'api POST /api/v1/children/{id}/recordings': PRACTITIONERS,
  'api GET /api/v1/children/{id}/recordings': PRACTITIONERS,
  'api GET /api/v1/recordings/{id}/content': PRACTITIONERS,
  'api POST /api/v1/oversight/runs': ['oversight_analyst'],
  'api GET /api/v1/oversight/runs/{id}': ['oversight_analyst'],
  'api GET /api/v1/homes/alerts': ['oversight_analyst'],
  'api GET /api/v1/link-reviews': ['social_worker', 'team_manager', 'mash_worker'],
  'api GET /api/v1/link-reviews/{id}': ['social_worker', 'team_manager', 'mash_worker'],
  'api POST /api/v1/link-reviews/{id}/decision': ['social_worker', 'team_manager', 'mash_worker'],
  'api POST /api/v1/merges/{id}/undo': ['social_worker', 'team_manager', 'mash_worker'],
  'api POST /api/v1/homes/alerts/{id}/acknowledge': ['oversight_analyst'],
  'api POST /api/v1/homes/alerts/{id}/resolve': ['oversight_analyst'],
  'api POST /api/v1/homes/{id}/reg44-reports': ['oversight_analyst'],
  'api POST /api/v1/homes/{id}/placements': ['system:social_care', 'social_worker', 'team_manager'],

  'web GET /sign-in': ['anonymous', ...PEOPLE],
  'web POST /sign-in': ['anonymous', ...PEOPLE],
  'web POST /sign-out': PEOPLE,
  'web GET /': PEOPLE,
  'web GET /children/{id}': READERS,
  'web GET /children/{id}/events/{id}': READERS,
  'web GET /children/{id}/concerns/new': PRACTITIONERS,
  'web POST /children/{id}/concerns': PRACTITIONERS,
  'web GET /children/{id}/visits/new': ['social_worker', 'team_manager'],
  'web POST /children/{id}/visits': ['social_worker', 'team_manager'],
  'web GET /alerts': ALERT_OWNERS,
  'web GET /alerts/{id}': ALERT_OWNERS,
  'web POST /alerts/{id}/acknowledge': ALERT_OWNERS,
  'web POST /alerts/{id}/resolve': ALERT_OWNERS,
  'web GET /caseload': ['social_worker', 'team_manager'],
  'web GET /mash': ['mash_worker', 'team_manager'],
  'web GET /mash/{id}': ['mash_worker', 'team_manager'],
  'web POST /mash/{id}/decision': ['mash_worker', 'team_manager'],
  'web GET /team': ['team_manager'],
  'web GET /link-reviews': ['social_worker', 'team_manager', 'mash_worker'],
  'web GET /link-reviews/{id}': ['social_worker', 'team_manager', 'mash_worker'],
  'web POST /link-reviews/{id}/decision': ['social_worker', 'team_manager', 'mash_worker'],
  'web POST /merges/{id}/undo': ['social_worker', 'team_manager', 'mash_worker'],
  'web GET /children/{id}/break-glass': PRACTITIONERS,
  'web POST /children/{id}/break-glass': PRACTITIONERS,
  'web GET /children/{id}/viewers': ['social_worker', 'team_manager', 'dpo'],
  // Issue 18: the recordings on the child's page, for the roles that handle recordings (then need-to-know).
  'web GET /children/{id}/recordings': PRACTITIONERS,
  'web POST /children/{id}/recordings': PRACTITIONERS,
  'web GET /recordings/{id}/play': PRACTITIONERS,
  'web GET /recordings/{id}/download': PRACTITIONERS,
  'web GET /notices': ['dpo'],
  'web GET /dpo': ['dpo'],
  'web GET /health/break-glass': ['health_practitioner'],
  'web GET /my-notices': ['social_worker', 'team_manager'],
  'web GET /admin': ['admin'],
  'web GET /admin/users': ['admin'],
  'web POST /admin/users': ['admin'],
  'web GET /admin/users/{id}/reset': ['admin'],
  'web POST /admin/users/{id}/reset': ['admin'],
  'web POST /admin/users/{id}/disable': ['admin'],
  'web POST /admin/users/{id}/enable': ['admin'],
  'web GET /admin/teams': ['admin'],
  'web POST /admin/teams': ['admin'],
  'web GET /admin/allocations': ['admin'],
  'web POST /admin/allocations': ['admin'],
  'web GET /admin/tokens': ['admin'],
  'web POST /admin/tokens': ['admin'],
  'web POST /admin/tokens/{id}/revoke': ['admin'],
  'web POST /admin/tokens/{id}/approve': ['admin'],
  'web GET /admin/users/{id}/disable': ['admin'],
  'web GET /admin/tokens/{id}/revoke': ['admin'],
  'web GET /admin/allocations/confirm': ['admin'],
  'web GET /homes': ['oversight_analyst'],
  'web POST /homes/runs': ['oversight_analyst'],
  'web GET /homes/funnel': ['oversight_analyst'],
  'web GET /homes/{id}': ['oversight_analyst'],
  'web POST /homes/{id}/reg44-reports': ['oversight_analyst'],
  'web POST /homes/alerts/{id}/acknowledge': ['oversight_analyst'],
  'web POST /homes/alerts/{id}/resolve': ['oversight_analyst'],
  'web GET /flag': ['health_practitioner'],
  'web GET /police/homes': ['police_officer'],
  'web GET /police/homes/{id}': ['police_officer'],
  'web POST /police/homes/{id}/notes': ['police_officer'],
  // Issue 18: allegations against people who work with children are the LADO's; the DPO reads a person's record.
  'web GET /lado': ['lado'],
  'web GET /lado/new': ['lado'],
  'web POST /lado/new': ['lado'],
  'web GET /lado/people/{id}': ['lado', 'dpo'],
  'web GET /lado/allegations/{id}': ['lado', 'dpo'],
  'web POST /lado/allegations/{id}/steps': ['lado'],
  // Speak up (issue 18): the reporter's pages need no sign-in; the reviewers' queue is the oversight analyst's and the LADO's.
  'web GET /speak-up': ['anonymous', ...PEOPLE],
  'web POST /speak-up': ['anonymous', ...PEOPLE],
  'web GET /speak-up/easy': ['anonymous', ...PEOPLE],
  'web GET /speak-up/return': ['anonymous', ...PEOPLE],
  'web POST /speak-up/return': ['anonymous', ...PEOPLE],
  'web GET /speak-up/reports': ['oversight_analyst', 'lado'],
  'web GET /speak-up/reports/{id}': ['oversight_analyst', 'lado'],
  'web POST /speak-up/reports/{id}/triage': ['oversight_analyst', 'lado'],
  'web POST /speak-up/reports/{id}/reply': ['oversight_analyst', 'lado'],
};

function cookieOf(res, name) {
  for (const c of res.headers.getSetCookie()) if (c.startsWith(`${name}=`)) return c.split(';')[0];
  return null;
}

let area;
let server;
let routes;
const bearer = {}; // role → API session token
const cookies = {}; // role → {cookie, csrf}
let ids;

/** Signs in through the page, as a browser does: {cookie, csrf} of the new session. */
async function webSignIn(username, secret) {
  const cookie = await signInAs(server.url, area.db, username, { password: PASSWORD });
  assert.ok(cookie, 'a session cookie');
  const home = await fetch(`${server.url}/sign-in?next=/`, { headers: { cookie }, redirect: 'manual' });
  assert.equal(home.status, 303, 'signed in: the sign-in page sends one on');
  return { cookie, csrf: await sessionCsrf(server.url, cookie) };
}

before(async () => {
  area = freshArea('authorisation');
  const r = spawnSync(BIN, ['routes'], { encoding: 'utf8' });
  assertNoSanitizerReport(r.stderr, 'safeguard routes');
  assert.equal(r.status, 0, r.stderr);
  routes = JSON.parse(r.stdout);
  for (const [role, agency] of Object.entries(ROLES)) {
    ROLES[role] = { agency, secret: addPerson(area.db, `m.${role}`, agency, role, PASSWORD) };
  }
  server = await startServer(area.db);
  for (const [role, { secret }] of Object.entries(ROLES)) {
    const s = await request(`${server.url}/api/v1/sessions`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: `m.${role}`, password: PASSWORD, totp: totp(secret) }),
    });
    assert.equal(s.status, 201, s.text);
    bearer[role] = s.json.token;
    cookies[role] = await webSignIn(`m.${role}`, secret);
  }
  const ev = await postEvent(server.url, area.tokens.education, event({ kind: 'referral' }));
  assert.equal(ev.status, 201, ev.text);
  ids = [ev.json.child_id, ev.json.id];
});

after(async () => {
  try {
    if (server) await server.stop();
  } finally {
    removeDir(area.dir);
  }
});

function pathOf(pattern) {
  // An account or token no one has: an administrator's allowed POST must not disable a caller of this test.
  if (pattern.startsWith('/admin/')) return pattern.replace('{id}', '999999');
  let i = 0;
  return pattern.replace(/\{id\}/g, () => String(ids[i++] ?? 1));
}

/** One request of route as caller: 'role' | 'through' | 'signin' (see the top of the file). */
async function attempt(route, caller) {
  const url = `${server.url}${pathOf(route.path)}`;
  const post = route.method === 'POST';
  if (route.surface === 'api') {
    const headers = post ? { 'content-type': 'application/json' } : {};
    let token;
    if (caller.startsWith('system:')) token = area.tokens[caller.slice(7)];
    else if (caller !== 'anonymous') token = bearer[caller];
    // An empty object: every POST of the API refuses it (400) or, acknowledging, acts on nothing it may not.
    const r = await request(url, { method: route.method, token, headers, body: post ? '{}' : undefined });
    if (r.status === 401) return 'signin';
    if (r.status === 403 && r.json?.error?.code === 'not_permitted') return 'role';
    return 'through';
  }
  const c = cookies[caller];
  const headers = c ? { cookie: c.cookie } : {};
  let body;
  if (post) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    headers.origin = server.url;
    body = new URLSearchParams({ csrf_token: c ? c.csrf : '' }).toString();
  }
  const r = await request(url, { method: route.method, headers, body });
  if (r.status === 303 && (r.headers.get('location') ?? '').startsWith('/sign-in?next=')) return 'signin';
  if (r.status === 403 && /Your session has ended/.test(r.text)) return 'signin';
  if (r.status === 403 && /You cannot use this page/.test(r.text)) return 'role';
  return 'through';
}

describe('the authorisation matrix', () => {
  test('every route the server has is in this matrix, and every entry is a route the server has', () => {
    const served = routes.map((r) => `${r.surface} ${r.method} ${r.path}`).sort();
    assert.ok(served.length >= 30, 'the server lists its routes');
    assert.deepEqual(served.filter((k) => !(k in EXPECTED)), [], 'routes with no entry in the matrix');
    assert.deepEqual(Object.keys(EXPECTED).filter((k) => !served.includes(k)), [], 'entries for no route');
  });

  test('every route, for every role, system and no one: allowed or denied as the matrix says', async () => {
    const wrong = [];
    let checked = 0;
    // Signing out ends the session the other rows use: it goes last.
    const ordered = [...routes].sort((a, b) => (a.path === '/sign-out') - (b.path === '/sign-out'));
    for (const route of ordered) {
      const key = `${route.surface} ${route.method} ${route.path}`;
      const callers = route.surface === 'api' ? ANYONE : ['anonymous', ...PEOPLE];
      for (const caller of callers) {
        const got = await attempt(route, caller);
        const allowed = EXPECTED[key].includes(caller);
        let want;
        if (allowed) want = 'through';
        else if (caller === 'anonymous' || (route.surface === 'web' && caller.startsWith('system:'))) want = 'signin';
        else want = 'role';
        checked++;
        if (got !== want) wrong.push(`${key} as ${caller}: ${got}, expected ${want}`);
      }
    }
    assert.deepEqual(wrong, []);
    assert.ok(checked > 300, `${checked} checks`);
  });
});
