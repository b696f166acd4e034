// Signing in and out, as a person does it in the browser: an anonymous visit sent to /sign-in and brought back to
// the page asked for; wrong answers (one message for all, 400, linked to the field); missing answers (each named);
// throttling; signing out (the session ends on the server, not only in this browser); the session cookie's flags
// as the browser holds them; forms sent with a wrong CSRF token refused with nothing written; the pages a role
// may not use and the records a person may not see (the same answer for a child that does not exist); axe on the
// sign-in page in each state and on the refusals; and all of it with JavaScript off.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  assertAccessible, assertPhaseBanner, chronologyRows, clearSnaps, errorSummary, fillConcern, fillSignIn, focused, goto,
  makeChild, makePerson, navigate, newPage, nhsNumbers, postFromPage, ROLE_NAMES, signedInAs, signIn, signOut,
  now, snap, startDemoAndBrowser, textOf, totp, WORKER,
} from './lib.mjs';
import {
  auditRows, everyAgencysEvents, newAuthenticator, userId, rowCount, signinAttempts, userSessions,
} from '../e2e/lib.mjs';

/** How many audit entries of these actions there are (lib's auditRows: `safeguard audit list`). */
const audits = (...actions) => actions.reduce((n, action) => n + auditRows(demo.db, { action }).length, 0);

let demo;
let browser;
let childId; // allocated to demo.worker; only education wrote about her, so the police have nothing on her
const nhs = nhsNumbers(943476700);
const child = {
  given_name: 'Perpetua', family_name: 'Lindqvist-Oduya', dob: '2015-02-11', sex: 'F', postcode: 'LS16 5QR',
  address: '3 Otley Old Road', nhs_number: nhs.next().value,
};
const MISSING = 999999; // no child has this id
const WRONG = 'The username, password or security code is not right';
const SESSION_ENDED = /Your session has ended/;

before(async () => {
  clearSnaps('signin');
  ({ demo, browser } = await startDemoAndBrowser());
  childId = await makeChild(demo, child, [
    { agency: 'education', kind: 'concern', occurred_at: '2025-02-03T10:00:00Z', summary: 'Perpetua asleep in lessons' },
  ]);
});

after(async () => {
  await browser?.close();
  await demo?.stop();
});

/** Pages opened by a describe block, checked for problems and closed after it. */
function pagesFor() {
  const opened = [];
  after(async () => {
    for (const p of opened) assert.deepEqual(p.problems(), [], 'no script errors, failed requests or dialogs');
    for (const p of opened) await p.context().close();
  });
  return async (as, options = {}) => {
    const p = await newPage(browser, { as, ...options });
    opened.push(p);
    return p;
  };
}

/** Presses "Sign in"; resolves with the status of the POST and the URL the browser ends at. */
async function submitSignIn(page) {
  const posted = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/sign-in');
  const url = await navigate(page, () => page.getByRole('button', { name: 'Sign in' }).click(), () => true);
  return { status: (await posted).status(), url };
}

/** A code the server must refuse: not that of the current step, nor of the one either side. */
function wrongCode(secret) {
  const at = now();
  const near = new Set([-1, 0, 1, 2].map((k) => totp(secret, at, k)));
  // Four codes of a million are taken: the first step tried almost always gives one.
  for (let k = 10; k < 1000; k++) {
    const c = totp(secret, at, k);
    if (!near.has(c)) return c;
  }
  throw new Error('no TOTP code differs from the four near the current step');
}

/** A child's events as the agencies' systems read them between them (the chronology API, lib's everyAgencysEvents). */
const childEvents = () => everyAgencysEvents(demo.url, demo.tokens, childId);
const sessionCookies = async (page) => (await page.context().cookies(demo.url)).filter((c) => c.name === 'sg_session');

describe('signing in', () => {
  const pageAs = pagesFor();

  test('anonymous: a page sends the browser to sign in, which brings it back to the page asked for', async () => {
    const page = await pageAs(null);
    const res = await goto(page, `${demo.url}/children/${childId}`);
    const first = res.request().redirectedFrom();
    assert.ok(first, 'the record page redirected');
    assert.equal((await first.response()).status(), 303);
    assert.equal((await first.response()).headers().location, `/sign-in?next=/children/${childId}`);
    assert.equal(res.status(), 200);
    const url = new URL(page.url());
    assert.deepEqual([url.pathname, url.searchParams.get('next')], ['/sign-in', `/children/${childId}`]);
    await snap(page, 'signin-01-empty');
    await assertPhaseBanner(page);
    assert.equal(await textOf(page.locator('h1')), 'Sign in');
    assert.match(await page.title(), /^Sign in – Safeguard$/);
    assert.equal(await signedInAs(page), null, 'no one is named in the header');
    assert.equal(await page.getByRole('button', { name: 'Sign out' }).count(), 0);
    for (const item of ['Find a child', 'Alerts', 'My caseload', 'MASH queue']) {
      assert.equal(await page.getByRole('link', { name: item }).count(), 0, `no "${item}" in the menu before sign-in`);
    }
    assert.equal(await page.locator('input[name="next"]').inputValue(), `/children/${childId}`);
    assert.equal(await page.getByLabel('Password').getAttribute('type'), 'password');
    assert.equal(await page.getByLabel('Security code').getAttribute('autocomplete'), 'one-time-code');

    const person = demo.people[WORKER];
    person.secret = newAuthenticator(demo.db, WORKER); // each code signs in once: as a sign-in minutes later
    await fillSignIn(page, { username: WORKER, password: person.password, code: totp(person.secret) });
    const done = await submitSignIn(page);
    assert.equal(done.status, 303);
    assert.equal(done.url.pathname, `/children/${childId}`, 'back at the page asked for');
    assert.equal(await textOf(page.locator('h1')), 'Perpetua Lindqvist-Oduya');
    assert.equal(await signedInAs(page), `${WORKER} (Social worker)`);
    assert.equal((await chronologyRows(page)).length, 1);
    assert.equal(auditRows(demo.db, { action: 'session.open' })
      .filter((e) => e.detail === 'web' && e.actor === `user:${userId(demo.db, WORKER)}`).length, 1, 'the sign-in is audited');
    // Signed in, the sign-in page is not needed: it goes home.
    await goto(page, `${demo.url}/sign-in`);
    assert.equal(new URL(page.url()).pathname, '/');
    assert.equal(await textOf(page.locator('h1')), 'Find a child');
  });

  test('every page but sign-in asks for it; a form sent without a session is refused, nothing written', async () => {
    const page = await pageAs(null);
    const api = page.context().request;
    for (const path of ['/', '/alerts', '/caseload', '/mash', `/children/${childId}`, `/children/${childId}/concerns/new`,
      `/children/${childId}/visits/new`, '/alerts/1']) {
      const r = await api.get(`${demo.url}${path}`, { maxRedirects: 0 });
      assert.equal(r.status(), 303, path);
      assert.equal(r.headers().location, `/sign-in?next=${path}`, path);
    }
    const events = rowCount(demo.db, 'event');
    const r = await postFromPage(page, `/children/${childId}/concerns`, {
      'when-day': '1', 'when-month': '2', 'when-year': '2025', category: 'neglect', summary: 'x', child_seen: 'no', action: 'y',
    });
    assert.equal(r.status, 403);
    assert.match(r.text, SESSION_ENDED);
    assert.equal(rowCount(demo.db, 'event'), events, 'nothing was saved');
  });

  test('the page to come back to is only ever a page of this service', async () => {
    for (const next of ['//evil.example/x', 'https://evil.example/', '/\\evil.example']) {
      const page = await pageAs(null);
      await goto(page, `${demo.url}/sign-in?next=${encodeURIComponent(next)}`);
      assert.equal(await page.locator('input[name="next"]').count(), 0, `${next} is not carried in the form`);
      const person = demo.people['demo.school'];
      person.secret = newAuthenticator(demo.db, 'demo.school'); // each code signs in once: as a sign-in minutes later
      await fillSignIn(page, { username: 'demo.school', password: person.password, code: totp(person.secret) });
      const done = await submitSignIn(page);
      assert.equal(done.url.origin, demo.url, `still here after next=${next}`);
      assert.equal(done.url.pathname, '/');
      // The form's own hidden field, edited: the server checks it too.
      await page.context().clearCookies();
      await goto(page, `${demo.url}/sign-in?next=/alerts`);
      await page.locator('input[name="next"]').evaluate((e, v) => { e.value = v; }, next);
      person.secret = newAuthenticator(demo.db, 'demo.school'); // each code signs in once: as a sign-in minutes later
      await fillSignIn(page, { username: 'demo.school', password: person.password, code: totp(person.secret) });
      const edited = await submitSignIn(page);
      assert.deepEqual([edited.url.origin, edited.url.pathname], [demo.url, '/'], `an edited next=${next}`);
    }
  });

  test('wrong password, wrong code, unknown name: one message, 400, linked to the username', async () => {
    const page = await pageAs(null);
    const person = demo.people['demo.health'];
    const refused = audits('session.refused');
    const cases = [
      ['a wrong password', { username: 'demo.health', password: `${person.password}x`, code: totp(person.secret) }],
      ['a wrong code', { username: 'demo.health', password: person.password, code: wrongCode(person.secret) }],
      ['a name no one has', { username: 'no.such.person', password: person.password, code: totp(person.secret) }],
    ];
    for (const [what, answers] of cases) {
      await goto(page, `${demo.url}/sign-in?next=/alerts`);
      await fillSignIn(page, answers);
      const { status, url } = await submitSignIn(page);
      assert.equal(status, 400, what);
      assert.equal(url.pathname, '/sign-in', what);
      if (what === 'a wrong code') await snap(page, 'signin-02-wrong');
      assert.match(await page.title(), /^Error: Sign in – Safeguard$/, what);
      assert.deepEqual(await errorSummary(page), [{ text: WRONG, href: '#username' }], what);
      assert.equal(await textOf(page.locator('#username-error')), `Error: ${WRONG}`, what);
      assert.equal(await page.locator('#password-error, #totp-error').count(), 0, `only one message (${what})`);
      assert.equal(await page.getByLabel('Username').inputValue(), answers.username, 'the name is kept');
      assert.equal(await page.getByLabel('Password').inputValue(), '', 'the password is never sent back');
      assert.equal(await page.getByLabel('Security code').inputValue(), '');
      assert.equal(await page.locator('input[name="next"]').inputValue(), '/alerts', 'where to go is kept');
      assert.deepEqual(await sessionCookies(page), [], 'no session');
      // GOV.UK Frontend focuses the summary; its link puts the focus in the field.
      assert.ok(await page.evaluate(() => document.activeElement?.classList.contains('govuk-error-summary')));
      await page.locator('.govuk-error-summary__list a').click();
      assert.equal(await focused(page), 'username');
    }
    // Each refusal about a person is audited; a name that names no one is counted for throttling but touches no
    // one's data, so it writes no audit row (issue 14: the audit of bad sign-ins stays bounded).
    assert.equal(audits('session.refused'), refused + 2, 'each refusal is audited');
    assert.equal(signinAttempts(demo.db, { username: 'no.such.person', failed: true }).length, 1);
    await assertAccessible(page, 'the sign-in page with the wrong answers');
  });

  test('missing answers: each is named and linked to its field', async () => {
    const page = await pageAs(null);
    await goto(page, `${demo.url}/sign-in`);
    let r = await submitSignIn(page);
    assert.equal(r.status, 400);
    await snap(page, 'signin-03-missing');
    const all = [
      { text: 'Enter your username', href: '#username' },
      { text: 'Enter your password', href: '#password' },
      { text: 'Enter the 6-digit security code from your authenticator app', href: '#totp' },
    ];
    assert.deepEqual(await errorSummary(page), all);
    for (const e of all) {
      assert.equal(await textOf(page.locator(`${e.href}-error`)), `Error: ${e.text}`);
      assert.ok(await page.locator(e.href).evaluate((el) => el.closest('.govuk-form-group').classList.contains('govuk-form-group--error')));
      await page.locator(`.govuk-error-summary__list a[href="${e.href}"]`).click();
      assert.equal(await focused(page), e.href.slice(1), `the link "${e.text}" focuses ${e.href}`);
    }
    assert.match(await page.getByLabel('Security code').getAttribute('aria-describedby'), /\btotp-error\b/);
    await assertAccessible(page, 'the sign-in page with every answer missing');

    await fillSignIn(page, { username: WORKER });
    r = await submitSignIn(page);
    assert.equal(r.status, 400);
    assert.deepEqual(await errorSummary(page), all.slice(1));
    assert.equal(await page.getByLabel('Username').inputValue(), WORKER, 'the answer given is kept');
    assert.deepEqual(await sessionCookies(page), []);
  });

  test('five wrong attempts lock the account for a while: then even the right answers are refused (429)', async () => {
    const person = makePerson(demo, { username: 'locked.out', role: 'school_dsl', agency: 'education' });
    const page = await pageAs(null);
    for (let i = 1; i <= 5; i++) {
      await goto(page, `${demo.url}/sign-in`);
      await fillSignIn(page, { username: 'locked.out', password: `wrong password ${i}`, code: totp(person.secret) });
      assert.equal((await submitSignIn(page)).status, 400, `attempt ${i}`);
    }
    await goto(page, `${demo.url}/sign-in`);
    await fillSignIn(page, { username: 'locked.out', password: person.password, code: totp(person.secret) });
    const r = await submitSignIn(page);
    assert.equal(r.status, 429);
    assert.deepEqual(await errorSummary(page), [{
      text: 'Too many attempts to sign in. Wait 15 minutes and try again, or ask your administrator', href: '#username',
    }]);
    assert.deepEqual(await sessionCookies(page), []);
    await assertAccessible(page, 'the sign-in page, throttled');
    // Someone else is not locked out by it.
    await signIn(page, 'demo.chair');
  });
});

describe('signing out', () => {
  const pageAs = pagesFor();

  test('the session ends on the server: the record asks for sign-in again, even with the old cookie', async () => {
    const page = await pageAs(WORKER);
    await goto(page, `${demo.url}/children/${childId}`);
    const [cookie] = await sessionCookies(page);
    assert.ok(cookie, 'a session cookie');
    // The person's web sessions live now, as the operator lists them (`safeguard user sessions --live`).
    const live = () => userSessions(demo.db, { username: WORKER, live: true }).filter((x) => x.kind === 'web').length;
    const liveBefore = live();
    assert.ok(liveBefore >= 1);
    await signOut(page);
    assert.equal(live(), liveBefore - 1, 'this session, and only this one, ended');
    await snap(page, 'signin-04-signed-out');
    const banner = page.locator('.govuk-notification-banner--success');
    assert.equal(await textOf(banner), 'Success You have signed out.');
    await assertAccessible(page, 'the sign-in page after signing out');

    const res = await goto(page, `${demo.url}/children/${childId}`);
    assert.equal((await res.request().redirectedFrom()?.response())?.status(), 303);
    assert.equal(new URL(page.url()).pathname, '/sign-in');
    assert.equal(await textOf(page.locator('h1')), 'Sign in');

    // The cookie the browser had, put back: the server no longer knows it.
    const again = await pageAs(null);
    await again.context().addCookies([cookie]);
    const r = await again.context().request.get(`${demo.url}/children/${childId}`, { maxRedirects: 0 });
    assert.equal(r.status(), 303);
    assert.equal(r.headers().location, `/sign-in?next=/children/${childId}`);
    const post = await postFromPage(again, '/sign-out', {});
    assert.equal(post.status, 403);
    assert.match(post.text, SESSION_ENDED);
  });

  test('the session-ended page links to sign in', async () => {
    const page = await pageAs(null);
    await goto(page, `${demo.url}/sign-in?ended=1`);
    assert.match(await textOf(page.locator('.govuk-notification-banner')), /Your session has ended\. Sign in again to carry on\./);
    await assertAccessible(page, 'the sign-in page after a session ended');
  });
});

describe('the session cookie', () => {
  const pageAs = pagesFor();

  test('HttpOnly, SameSite=Strict, not Secure on plain http, and out of reach of scripts', async () => {
    const page = await pageAs(null);
    await goto(page, `${demo.url}/sign-in`);
    const pre = (await page.context().cookies(demo.url)).find((c) => c.name === 'sg_presession');
    assert.ok(pre, 'the sign-in page sets a pre-session cookie for its CSRF token');
    assert.deepEqual([pre.httpOnly, pre.sameSite, pre.secure, pre.path], [true, 'Strict', false, '/']);
    await signIn(page, WORKER);
    const all = await page.context().cookies(demo.url);
    const session = all.filter((c) => c.name === 'sg_session');
    assert.equal(session.length, 1);
    const [c] = session;
    assert.equal(c.httpOnly, true, 'HttpOnly');
    assert.equal(c.sameSite, 'Strict', 'SameSite=Strict');
    assert.equal(c.secure, false, 'not Secure: this server is plain http (serve --behind-tls sets Secure)');
    assert.equal(c.path, '/');
    assert.equal(c.domain, '127.0.0.1', 'for this host only');
    assert.match(c.value, /^sgs_[A-Za-z0-9_-]{43}$/);
    // Chromium sets the expiry from Max-Age on its own clock, the system's (not the injected one): compare with that.
    const hours = (c.expires - Date.now() / 1000) / 3600;
    assert.ok(hours > 9.9 && hours <= 10, `lasts the session's 10 hours at most: ${hours}`);
    assert.equal(all.filter((x) => x.name === 'sg_presession').length, 0, 'the pre-session cookie is gone');
    assert.equal(await page.evaluate(() => document.cookie), '', 'a script sees no cookie');
  });
});

describe('forms with a wrong CSRF token', () => {
  const pageAs = pagesFor();

  test('a concern sent with a wrong token is refused, and nothing is written', async () => {
    const page = await pageAs(WORKER);
    await goto(page, `${demo.url}/children/${childId}/concerns/new`);
    await fillConcern(page, {
      day: '4', month: '2', year: '2025', category: 'Neglect', summary: 'Sent with a forged token', seen: 'No', action: 'None',
    });
    const before = {
      events: (await childEvents()).length,
      all: rowCount(demo.db, 'event'),
      sources: rowCount(demo.db, 'source_record'),
    };
    const form = page.locator('main form[method="post"]');
    const real = await form.locator('input[name="csrf_token"]').inputValue();
    const forged = real.slice(0, -1) + (real.endsWith('A') ? 'B' : 'A'); // the same shape, one character off
    await form.locator('input[name="csrf_token"]').evaluate((e, v) => { e.value = v; }, forged);
    const posted = page.waitForResponse((r) => r.request().method() === 'POST');
    await navigate(page, () => page.getByRole('button', { name: 'Save concern' }).click(),
      (u) => u.pathname === `/children/${childId}/concerns`);
    assert.equal((await posted).status(), 403);
    await snap(page, 'signin-05-csrf');
    assert.equal(await textOf(page.locator('h1')), 'The form could not be sent');
    await assertAccessible(page, 'the form-could-not-be-sent page');
    const afterForged = await childEvents();
    assert.deepEqual({
      events: afterForged.length,
      all: rowCount(demo.db, 'event'),
      sources: rowCount(demo.db, 'source_record'),
    }, before, 'nothing was written');
    assert.ok(!afterForged.some((e) => e.summary === 'Sent with a forged token'), 'not on the child\'s record');

    // The same form with its own token is saved: the token was the only thing wrong.
    await goto(page, `${demo.url}/children/${childId}/concerns/new`);
    await fillConcern(page, {
      day: '4', month: '2', year: '2025', category: 'Neglect', summary: 'Sent with the right token', seen: 'No', action: 'None',
    });
    await navigate(page, () => page.getByRole('button', { name: 'Save concern' }).click(), (u) => u.searchParams.get('recorded') === '1');
    const saved = await childEvents();
    assert.equal(saved.length, before.events + 1);
    assert.equal(saved.filter((e) => e.summary === 'Sent with the right token').length, 1, 'the concern, on the child\'s record');
  });

  test("another person's token, a token-less sign-out, a forged sign-in: all refused", async () => {
    const worker = await pageAs(WORKER);
    const other = await pageAs('demo.school');
    await goto(worker, `${demo.url}/`);
    await goto(other, `${demo.url}/`);
    const otherToken = await other.locator('input[name="csrf_token"]').first().inputValue();
    const events = rowCount(demo.db, 'event');
    const r = await postFromPage(worker, `/children/${childId}/concerns`, {
      csrf_token: otherToken, 'when-day': '1', 'when-month': '2', 'when-year': '2025', category: 'neglect',
      summary: 'With a token that is not mine', child_seen: 'no', action: 'y',
    });
    assert.equal(r.status, 403, "a token is the session's own");
    assert.match(r.text, /The form could not be sent/);
    assert.equal(rowCount(demo.db, 'event'), events);

    const out = await postFromPage(worker, '/sign-out', {});
    assert.equal(out.status, 403);
    await goto(worker, `${demo.url}/`);
    assert.equal(await signedInAs(worker), `${WORKER} (Social worker)`, 'still signed in');

    // A sign-in form whose token does not match this browser's pre-session cookie.
    const anon = await pageAs(null);
    await goto(anon, `${demo.url}/sign-in`);
    const opened = audits('session.open', 'session.refused');
    const attempts = rowCount(demo.db, 'login_attempt');
    await anon.locator('input[name="csrf_token"]').evaluate((e) => { e.value = 'forged'; });
    const person = demo.people[WORKER];
    person.secret = newAuthenticator(demo.db, WORKER); // each code signs in once: as a sign-in minutes later
    await fillSignIn(anon, { username: WORKER, password: person.password, code: totp(person.secret) });
    const res = await submitSignIn(anon);
    assert.equal(res.status, 403);
    assert.equal(await textOf(anon.locator('h1')), 'The form could not be sent');
    assert.deepEqual(await sessionCookies(anon), [], 'not signed in');
    assert.equal(audits('session.open', 'session.refused'), opened, 'nothing audited');
    assert.equal(rowCount(demo.db, 'login_attempt'), attempts, 'not even an attempt');
  });
});

describe('what a person may not see', () => {
  const pageAs = pagesFor();

  test('a page the role does not include: 403 "You cannot use this page", and not in the menu', async () => {
    const page = await pageAs('demo.police');
    assert.equal(await signedInAs(page), `demo.police (${ROLE_NAMES.police_officer})`);
    for (const item of ['Alerts', 'My caseload', 'MASH queue']) {
      assert.equal(await page.getByRole('link', { name: item }).count(), 0, `no "${item}" for the police`);
    }
    assert.equal(await page.getByRole('link', { name: 'Find a child' }).count(), 1);
    const res = await goto(page, `${demo.url}/mash`);
    assert.equal(res.status(), 403);
    await snap(page, 'signin-06-role-403');
    assert.equal(await textOf(page.locator('h1')), 'You cannot use this page');
    assert.match(await textOf(page.locator('main')), /Your role \(Police officer\) does not include this page\./);
    assert.equal(await page.locator('#mash-table').count(), 0);
    await assertPhaseBanner(page);
    await assertAccessible(page, 'the page a role does not include');
    for (const path of ['/alerts', '/caseload']) assert.equal((await goto(page, `${demo.url}${path}`)).status(), 403, path);
  });

  test("a record with nothing of the reader's agency, and a record that does not exist: the same 403", async () => {
    const page = await pageAs('demo.police');
    const seen = [];
    for (const id of [childId, MISSING]) {
      const res = await goto(page, `${demo.url}/children/${id}`);
      assert.equal(res.status(), 403, `child ${id}`);
      const link = page.getByRole('link', { name: 'Open the record in an emergency' });
      assert.equal(await link.getAttribute('href'), `/children/${id}/break-glass`);
      assert.equal(await page.locator('#chronology-table').count(), 0);
      seen.push({ h1: await textOf(page.locator('h1')), main: (await textOf(page.locator('main'))).replace(String(id), 'ID') });
    }
    await snap(page, 'signin-07-record-403');
    assert.equal(seen[0].h1, 'You cannot see this record');
    assert.deepEqual(seen[0], seen[1], 'nothing tells an existing child from a missing one');
    assert.ok(!seen[0].main.includes('Perpetua'), 'the name is not shown');
    await assertAccessible(page, 'the record one may not see');
    // The concern form and the event links are the record's: refused the same way.
    for (const path of [`/children/${childId}/concerns/new`, `/children/${childId}/visits/new`]) {
      assert.equal((await goto(page, `${demo.url}${path}`)).status(), 403, path);
    }
  });

  test('search lists only the children one may see; an exact number says only that the child is known', async () => {
    const page = await pageAs('demo.police');
    await goto(page, `${demo.url}/?q=Lindqvist-Oduya`);
    assert.equal(await textOf(page.locator('#results')), '0 children found');
    await goto(page, `${demo.url}/?q=${child.nhs_number}`);
    const row = page.locator('table.govuk-table tbody tr');
    assert.equal(await row.count(), 1);
    assert.match(await textOf(row), /^A child with this number is known\./);
    assert.ok(!(await textOf(row)).includes('Perpetua'));
    await assertAccessible(page, 'a search that finds a child one may not see');
  });
});

describe('JavaScript off', () => {
  const pageAs = pagesFor();

  test('sign in (back to the page asked for), then sign out', async () => {
    const page = await pageAs(null, { javaScriptEnabled: false });
    await goto(page, `${demo.url}/caseload`);
    assert.equal(await page.locator('body.govuk-frontend-supported').count(), 0, 'no script ran');
    assert.equal(new URL(page.url()).searchParams.get('next'), '/caseload');
    // Missing answers come back without script too.
    assert.equal((await submitSignIn(page)).status, 400);
    assert.equal((await errorSummary(page)).length, 3);
    const person = demo.people['north.manager'];
    person.secret = newAuthenticator(demo.db, 'north.manager'); // each code signs in once: as a sign-in minutes later
    await fillSignIn(page, { username: 'north.manager', password: person.password, code: totp(person.secret) });
    const r = await submitSignIn(page);
    assert.equal(r.status, 303);
    assert.equal(r.url.pathname, '/caseload');
    assert.equal(await signedInAs(page), 'north.manager (Team manager)');
    assert.equal(await textOf(page.locator('h1')), 'My caseload');
    await snap(page, 'signin-08-nojs');
    await signOut(page);
    assert.equal((await page.context().request.get(`${demo.url}/caseload`, { maxRedirects: 0 })).status(), 303);
  });
});

describe('each code signs in once', () => {
  const pageAs = pagesFor();

  // RFC 6238 section 5.2: "the verifier MUST NOT accept the second attempt of the same OTP after the successful
  // validation has been issued for the first OTP": the server keeps the last step used (app_user.totp_last_step).
  test('a security code that signed in once does not sign in again', async () => {
    const person = makePerson(demo, { username: 'replay.check', role: 'school_dsl', agency: 'education' });
    const code = totp(person.secret);
    const first = await pageAs(null);
    await goto(first, `${demo.url}/sign-in`);
    await fillSignIn(first, { username: 'replay.check', password: person.password, code });
    assert.equal((await submitSignIn(first)).status, 303);
    const second = await pageAs(null);
    await goto(second, `${demo.url}/sign-in`);
    await fillSignIn(second, { username: 'replay.check', password: person.password, code });
    assert.equal((await submitSignIn(second)).status, 400, 'the same code, used again');
  });
});
