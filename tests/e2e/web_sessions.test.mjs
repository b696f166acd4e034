// Web sessions (issue 4, part 2): the cookie's flags, the idle timeout pushed on by use (never past the
// absolute one), both timeouts ending the session, signing out, and the TOTP code required on the page. Time
// passes on the one clock (servers of the same database on the clock moved on), never by editing a row.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  auditRows,
  addPerson,
  clockMovedOn, event, freshArea, postEvent, removeDir, startServer,
  now, newAuthenticator, totp, rowCount, signinAttempts, userSessions,
} from './lib.mjs';

const PASSWORD = 'web sessions passphrase';

let area;
let server;
let secret;

function setCookie(res, name) {
  return res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`)) ?? null;
}

/** The person's sessions as the operator lists them (`safeguard user sessions`: each named by the first 12 hex
 * digits of its token's hash), by that name. The sign-in throttle's rows are read through `user attempts`. */
const sessionsByName = () => new Map(userSessions(area.db, { username: 'wes.worker' }).map((x) => [x.session, x]));
/** The session the latest sign-in opened (its name in the list), for newest(). */
let latest = null;

/**
 * Posts the sign-in form as a browser does: the answer. Notes the session it opened, if any, as the newest. `code`
 * is a code as typed, or a function of the secret that makes one: then from a new authenticator (lib's
 * newAuthenticator, as a sign-in minutes after the last).
 */
async function signIn(code, next = '/alerts') {
  if (typeof code === 'function') code = code(secret = newAuthenticator(area.db, 'wes.worker'));
  const form = await fetch(`${server.url}/sign-in`);
  const pre = setCookie(form, 'sg_presession').split(';')[0];
  const csrf = /name="csrf_token" value="([^"]+)"/.exec(await form.text())[1];
  const had = sessionsByName();
  const r = await fetch(`${server.url}/sign-in`, {
    method: 'POST', redirect: 'manual',
    headers: { cookie: pre, 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
    body: new URLSearchParams({ username: 'wes.worker', password: PASSWORD, totp: code, csrf_token: csrf, next }),
  });
  const opened = [...sessionsByName().keys()].filter((h) => !had.has(h));
  assert.ok(opened.length <= 1, `one sign-in opened ${opened.length} sessions`);
  if (opened.length === 1) latest = opened[0];
  return r;
}

async function session() {
  const r = await signIn((s) => totp(s));
  assert.equal(r.status, 303);
  return setCookie(r, 'sg_session').split(';')[0];
}

const page = (cookie, path = '/alerts', base = server.url) => fetch(`${base}${path}`, { headers: { cookie }, redirect: 'manual' });
/** A field of the newest session, as `user sessions` shows it ("" for an ended_at not set). */
function newest(col) {
  assert.ok(latest, 'no sign-in has opened a session yet');
  const row = sessionsByName().get(latest);
  assert.ok(row, `session ${latest} listed`);
  return row[col] ?? '';
}
const TEN_HOURS = 10 * 3600e3;
/** A write through the queue, after which every job queued before it (the idle push-on) has committed. */
async function drainQueue(base = server.url) {
  const r = await postEvent(base, area.tokens.education, event({ source_ref: `WS-${crypto.randomUUID()}` }));
  assert.equal(r.status, 201, r.text);
}

/**
 * Time passing, on the one clock: a server of the same database whose clock is the tests' clock moved to the instant
 * at (ms) or a little after (src/clock/now.h, no row edited, nothing waited for), started, given fn(its url), and stopped after its
 * queue has drained (an idle push-on has committed). Each instant is counted from the sign-in, not from when the
 * server starts, so the walk's own time does not drift it.
 */
async function onServerAt(at, fn) {
  const s = await startServer(area.db, { env: clockMovedOn(Math.ceil((at - now()) / 1000)) });
  try {
    const out = await fn(s.url);
    await drainQueue(s.url);
    return out;
  } finally {
    await s.stop();
  }
}

/** The session has ended, on the server at base: pages send the browser to sign in, forms are refused. */
async function ended(base, cookie, what) {
  const r = await fetch(`${base}/alerts`, { headers: { cookie }, redirect: 'manual' });
  assert.equal(r.status, 303, what);
  assert.equal(r.headers.get('location'), '/sign-in?next=/alerts');
  const post = await fetch(`${base}/children/1/concerns`, {
    method: 'POST', redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', origin: base },
    body: 'summary=x',
  });
  assert.equal(post.status, 403, what);
  assert.match(await post.text(), /Your session has ended/);
}

before(async () => {
  area = freshArea('web-sessions');
  secret = addPerson(area.db, 'wes.worker', 'social_care', 'social_worker', PASSWORD);
  server = await startServer(area.db);
});

after(async () => {
  try {
    if (server) await server.stop();
  } finally {
    removeDir(area.dir);
  }
});

describe('web sessions', () => {
  test('the session cookie is HttpOnly, SameSite=Strict, for the whole site, not Secure on plain http', async () => {
    const r = await signIn((s) => totp(s));
    assert.equal(r.status, 303);
    assert.equal(r.headers.get('location'), '/alerts');
    const c = setCookie(r, 'sg_session');
    assert.match(c, /^sg_session=sgs_[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=36000$/);
    assert.doesNotMatch(c, /Secure/);
    assert.equal(newest('kind'), 'web');
  });

  test('a wrong or missing TOTP code does not sign in (the same message as a wrong password); nothing opened', async () => {
    const before = rowCount(area.db, 'session');
    for (const code of [(s) => totp(s, now(), 5), '000000', '12345', '']) {
      const r = await signIn(code);
      assert.equal(r.status, 400, `code ${code}`);
      assert.equal(setCookie(r, 'sg_session'), null);
      const text = await r.text();
      assert.match(text, code ? /The username, password or security code is not right/ : /Enter the 6-digit security code/);
    }
    assert.equal(rowCount(area.db, 'session'), before);
    assert.equal(signinAttempts(area.db, { username: 'wes.worker', failed: true }).length, 3);
  });

  test('each use pushes the idle timeout on (30 minutes from then), never past the absolute one, 10 hours after sign-in', async () => {
    // The session used every 29 minutes for ten hours, each time on a server on the one clock moved on; then a
    // minute before and a minute after the absolute timeout.
    const cookie = await session();
    const t0 = Date.parse(newest('created_at'));
    const mins = (ms) => `+${((ms - t0) / 60e3).toFixed(1)} min`;
    for (let k = 1; k * 29 < 600; k++) {
      const at = t0 + k * 29 * 60e3;
      const status = await onServerAt(at, async (base) => (await page(cookie, '/alerts', base)).status);
      assert.equal(status, 200, `used at ${mins(at)}`);
      const idle = Date.parse(newest('idle_until'));
      const expires = Date.parse(newest('expires_at'));
      assert.ok(idle <= expires, `the idle timeout ${mins(idle)} past the absolute one ${mins(expires)}`);
      // Pushed to 30 minutes after the use (the server's clock runs on a little while it starts), or to the absolute.
      const pushedTo = Math.min(at + 30 * 60e3, t0 + TEN_HOURS);
      assert.ok(idle >= pushedTo && idle <= pushedTo + 60e3, `used at ${mins(at)}: idle until ${mins(idle)}`);
    }
    assert.equal(newest('idle_until'), newest('expires_at'), 'near the absolute timeout the idle one stops there');
    assert.equal(await onServerAt(t0 + TEN_HOURS - 60e3, async (base) => (await page(cookie, '/alerts', base)).status), 200,
      'a minute before the absolute timeout');
    await onServerAt(t0 + TEN_HOURS + 60e3, (base) => ended(base, cookie, 'a minute past the absolute timeout'));
    assert.equal(Date.parse(newest('expires_at')) - t0, TEN_HOURS, 'the absolute timeout as kept');
  });

  test('past the idle timeout the session has ended: pages send the browser to sign in, forms are refused', async () => {
    // Idle: the same database 31 minutes after its last use, on a second server whose clock is the one clock moved
    // on (src/clock/now.h; no row edited, not waited for); on the first, now, it still opens pages.
    const cookie = await session();
    assert.equal((await page(cookie)).status, 200);
    await drainQueue(); // the use's push-on of the idle timeout has committed
    const next = await startServer(area.db, { env: clockMovedOn(31 * 60) });
    try {
      await ended(next.url, cookie, 'idle for 31 minutes');
    } finally {
      await next.stop();
    }
    assert.equal((await page(cookie)).status, 200, 'still open now');
  });

  test('signing in comes back to the page asked for, with its query, each argument encoded as sent', async () => {
    const r = await fetch(`${server.url}/?q=Smith%20J&agency=a%26b`, { redirect: 'manual' });
    assert.equal(r.status, 303);
    const location = r.headers.get('location');
    assert.equal(location, '/sign-in?next=/%3Fq%3DSmith%2520J%26agency%3Da%2526b');
    const next = new URL(location, server.url).searchParams.get('next');
    assert.equal(next, '/?q=Smith%20J&agency=a%26b');
    const form = await (await fetch(`${server.url}${location}`)).text();
    assert.match(form, /name="next" value="\/\?q=Smith%20J&amp;agency=a%26b"/);
    const done = await signIn((s) => totp(s), next);
    assert.equal(done.status, 303);
    assert.equal(done.headers.get('location'), next);
    const cookie = setCookie(done, 'sg_session').split(';')[0];
    const back = await page(cookie, next);
    assert.equal(back.status, 200);
    assert.match(await back.text(), /value="Smith J"/);
  });

  test('signing out ends the session on the server (the old cookie no longer works), audited', async () => {
    const cookie = await session();
    const signedOut = latest;
    const liveBefore = userSessions(area.db, { username: 'wes.worker', live: true }).map((x) => x.session);
    assert.ok(liveBefore.includes(signedOut), 'the session is live before signing out');
    const home = await (await page(cookie)).text();
    const csrf = /name="csrf_token" value="([^"]+)"/.exec(home)[1];
    const closes = auditRows(area.db, { action: 'session.close' }).length;
    const out = await fetch(`${server.url}/sign-out`, {
      method: 'POST', redirect: 'manual',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
      body: new URLSearchParams({ csrf_token: csrf }),
    });
    assert.equal(out.status, 303);
    assert.equal(out.headers.get('location'), '/sign-in?signed_out=1');
    assert.match(setCookie(out, 'sg_session'), /^sg_session=; .*Max-Age=0$/);
    assert.match(newest('ended_at'), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    // This session and only this one: the person's others (earlier tests') stay as they were.
    const liveAfter = userSessions(area.db, { username: 'wes.worker', live: true }).map((x) => x.session);
    assert.deepEqual(liveAfter, liveBefore.filter((h) => h !== signedOut));
    assert.equal(auditRows(area.db, { action: 'session.close' }).length, closes + 1);
    const again = await page(cookie); // a copy of the cookie kept elsewhere
    assert.equal(again.status, 303);
  });

  test('an API session token is not a web session: as a cookie it opens no page', async () => {
    secret = newAuthenticator(area.db, 'wes.worker');
    const had = sessionsByName();
    const s = await fetch(`${server.url}/api/v1/sessions`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'wes.worker', password: PASSWORD, totp: totp(secret) }),
    });
    assert.equal(s.status, 201);
    const { token } = await s.json();
    const opened = [...sessionsByName().values()].filter((x) => !had.has(x.session));
    assert.deepEqual(opened.map((x) => [x.kind, x.ended_at]), [['api', null]]);
    const r = await page(`sg_session=${token}`);
    assert.equal(r.status, 303);
  });
});
