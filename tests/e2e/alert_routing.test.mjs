// Issue 15, items 1-4: alerts follow allocation; the team manager's page and ?owner= for their team; each
// person lands on their own work after sign-in; inboxes most overdue first, in words, one incident's
// children as one item. Every test here fails on the main of before issue 15.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import {
  auditRows,
  BIN, addPerson, assertNoSanitizerReport, event, freshArea, now, postEvent, removeDir, request, runCli, startServer,
  isoSeconds, totp, newAuthenticator, ukDate, dbUrl, alertRows,
} from './lib.mjs';

const PASSWORD = 'a long enough passphrase for routing';
const DAY = 86400000;
const daysAgo = (n) => `${new Date(now() - n * DAY).toISOString().slice(0, 10)}T10:00:00Z`;

let area;
let server;
let url;
const secrets = {};
const cookies = {};
let childNo = 0;

function cookieOf(res, name) {
  for (const c of res.headers.getSetCookie()) if (c.startsWith(`${name}=`)) return c.split(';')[0];
  return null;
}

/** One alert as stored, through `safeguard alert list` (lib's alertRows), or undefined. */
function storedAlert(id) {
  return alertRows(area.db).find((a) => a.id === id);
}

/** Signs in through the page: {location, cookie}. next is sent when given. */
async function webSignIn(username, next) {
  secrets[username] = newAuthenticator(area.db, username);
  const form = await fetch(`${url}/sign-in`);
  const pre = cookieOf(form, 'sg_presession');
  const csrf = /name="csrf_token" value="([^"]+)"/.exec(await form.text())[1];
  const body = { username, password: PASSWORD, totp: totp(secrets[username]), csrf_token: csrf };
  if (next) body.next = next;
  const res = await fetch(`${url}/sign-in`, {
    method: 'POST', redirect: 'manual',
    headers: { cookie: pre, 'content-type': 'application/x-www-form-urlencoded', origin: url },
    body: new URLSearchParams(body),
  });
  assert.equal(res.status, 303, `web sign-in of ${username}`);
  return { location: res.headers.get('location'), cookie: cookieOf(res, 'sg_session') };
}

async function page(username, path) {
  cookies[username] ??= (await webSignIn(username)).cookie;
  return request(`${url}${path}`, { headers: { cookie: cookies[username] } });
}

/** The CSRF token of a page's forms. */
function csrfOf(html) {
  return /name="csrf_token" value="([^"]+)"/.exec(html)[1];
}

/** A new child with an overdue referral (days ago), no one allocated: {id, alert}. */
async function childWithReferral(days, over = {}) {
  const n = ++childNo;
  // Nothing alike between two of them, so that linkage never takes one for another.
  const given = ['Aurelia', 'Benedikt', 'Cosima', 'Dashiell', 'Evander', 'Fenella', 'Gulliver', 'Hermione', 'Ignatius',
    'Juniper', 'Kasimir', 'Leocadia', 'Montague', 'Nerissa', 'Octavian', 'Perpetua'][n % 16];
  const family = ['Quennell', 'Rustomji', 'Szczepanik', 'Thistlewood', 'Umberleigh', 'Vandersteen', 'Wolstenholme',
    'Xenakis', 'Yardley', 'Zabriskie', 'Abernethy', 'Bracegirdle', 'Cattermole', 'Drinkwater', 'Eggleston', 'Fotheringay'][n % 16];
  const subject = { given_name: given, family_name: family, dob: `${2008 + (n % 9)}-0${1 + (n % 9)}-1${n % 10}`, nhs_number: '',
    address: `${n} ${family} Street`, postcode: `LS${10 + n} 7RR`, ...over };
  const r = await postEvent(url, area.tokens.education,
    event({ source_ref: `RT-${n}`, kind: 'referral', occurred_at: daysAgo(days) }, subject));
  assert.equal(r.status, 201, r.text);
  const alerts = await request(`${url}/api/v1/alerts?child=${r.json.child_id}&state=all`, { token: area.tokens.social_care });
  const alert = alerts.json.alerts.find((a) => a.code === 'REFERRAL_DECISION_OVERDUE');
  assert.ok(alert, alerts.text);
  return { id: r.json.child_id, alert, subject };
}

function allocate(child, team, worker) {
  runCli(['allocate', '--db', dbUrl(area.db), '--child', String(child), '--team', team,
    ...(worker ? ['--user', worker] : [])]);
}

before(async () => {
  area = freshArea('alert-routing');
  for (const [u, role, agency] of [['r.one', 'social_worker'], ['r.two', 'social_worker'], ['r.south', 'social_worker'],
    ['r.nmanager', 'team_manager'], ['r.smanager', 'team_manager'], ['r.mash', 'mash_worker'],
    ['r.health', 'health_practitioner', 'health'], ['r.police', 'police_officer', 'police'],
    ['r.analyst', 'oversight_analyst'], ['r.dpo', 'dpo'], ['r.admin', 'admin'], ['r.school', 'school_dsl', 'education']]) {
    secrets[u] = addPerson(area.db, u, agency ?? 'social_care', role, PASSWORD);
  }
  const db = dbUrl(area.db);
  runCli(['team', 'add', '--db', db, '--code', 'north', '--name', 'North', '--manager', 'r.nmanager']);
  runCli(['team', 'add', '--db', db, '--code', 'south', '--name', 'South', '--manager', 'r.smanager']);
  server = await startServer(area.db);
  url = server.url;
});

after(async () => {
  try {
    if (server) await server.stop();
  } finally {
    removeDir(area?.dir);
  }
});

describe('alerts follow allocation (item 1)', () => {
  test('allocating hands the open alert to the worker, who sees, opens and acts on it; re-allocation moves it on', async () => {
    const { id, alert } = await childWithReferral(10);
    assert.deepEqual(alert.owner, { kind: 'mash', name: 'mash' }, 'no one holds the case yet: the MASH');
    allocate(id, 'north', 'r.one');

    // The worker's inbox (page and API), the alert's page, and acknowledging it.
    const inbox = await page('r.one', '/alerts');
    assert.equal(inbox.status, 200);
    assert.match(inbox.text, new RegExp(`href="/alerts/${alert.id}"`), 'listed in her inbox');
    assert.match(inbox.text, /1 open alert for r\.one/);
    const one = await page('r.one', `/alerts/${alert.id}`);
    assert.equal(one.status, 200, 'her child\'s alert opens');
    assert.match(one.text, /Owner<\/dt><dd class="govuk-summary-list__value">r\.one</);
    const ack = await request(`${url}/alerts/${alert.id}/acknowledge`, {
      method: 'POST', headers: { cookie: cookies['r.one'], 'content-type': 'application/x-www-form-urlencoded', origin: url },
      body: new URLSearchParams({ csrf_token: csrfOf(one.text) }),
    });
    assert.equal(ack.status, 303, ack.text);
    assert.equal(storedAlert(alert.id).state, 'acknowledged');
    const moved = auditRows(area.db, { action: 'alert.reassign', child: id }).reverse().map(({ actor, detail }) => ({ actor, detail }));
    assert.deepEqual(moved, [{ actor: 'cli', detail: '1 open alert to worker r.one' }], 'the move is audited');
    const mash = await page('r.mash', '/alerts');
    assert.doesNotMatch(mash.text, new RegExp(`/alerts/${alert.id}"`), 'the MASH no longer lists it');
    assert.equal((await page('r.mash', `/alerts/${alert.id}`)).status, 403);

    // Re-allocated: the old worker loses it (page, API, acting), the new one has it.
    allocate(id, 'north', 'r.two');
    assert.equal((await page('r.one', `/alerts/${alert.id}`)).status, 403);
    assert.doesNotMatch((await page('r.one', '/alerts')).text, new RegExp(`/alerts/${alert.id}"`));
    secrets['r.one'] = newAuthenticator(area.db, 'r.one');
    const t1 = await request(`${url}/api/v1/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'r.one', password: PASSWORD, totp: totp(secrets['r.one']) }) });
    assert.equal(t1.status, 201, t1.text);
    assert.equal((await request(`${url}/api/v1/alerts/${alert.id}`, { token: t1.json.token })).status, 403);
    const res1 = await request(`${url}/api/v1/alerts/${alert.id}/resolve`, { method: 'POST', token: t1.json.token,
      headers: { 'content-type': 'application/json' }, body: JSON.stringify({ outcome: 'not mine any more' }) });
    assert.equal(res1.status, 403, res1.text);
    const two = await page('r.two', '/alerts');
    assert.match(two.text, new RegExp(`href="/alerts/${alert.id}"`), 'the new worker sees it');
    assert.equal((await page('r.two', `/alerts/${alert.id}`)).status, 200);
    const api = await request(`${url}/api/v1/alerts?owner=team:north`, { token: area.tokens.social_care });
    assert.deepEqual(api.json.alerts.find((a) => a.id === alert.id)?.owner, { kind: 'worker', name: 'r.two' });
  });

  test('an alert escalated before re-allocation goes to the new team\'s manager; allocating to a team alone gives it to the team', async () => {
    const { id, alert } = await childWithReferral(12);
    allocate(id, 'north', 'r.one');
    // A week on, nobody has acknowledged it: that day's sweep escalates it to the worker's team manager.
    runCli(['--now', isoSeconds(now() + 7 * DAY), 'sweep', '--db', dbUrl(area.db), '--today', ukDate(now() + 7 * DAY)]);
    assert.equal(storedAlert(alert.id).escalated_to, 'r.nmanager');
    allocate(id, 'south');
    const { owner_kind, owner, escalated_to } = storedAlert(alert.id);
    assert.deepEqual({ owner_kind, owner, escalated_to }, { owner_kind: 'team', owner: 'south', escalated_to: 'r.smanager' });
  });
});

describe('the team manager (item 2)', () => {
  let north;
  let south;
  before(async () => {
    north = await childWithReferral(15);
    allocate(north.id, 'north', 'r.one');
    south = await childWithReferral(15);
    allocate(south.id, 'south', 'r.south');
  });

  test('the team page shows the team\'s alerts and each worker\'s caseload; nothing of another team', async () => {
    const r = await page('r.nmanager', '/team');
    assert.equal(r.status, 200, r.text);
    assert.match(r.text, /<h1 class="govuk-heading-l">My team<\/h1>/);
    assert.match(r.text, new RegExp(`id="team-alert-${north.alert.id}"`), 'the team\'s alert');
    assert.doesNotMatch(r.text, new RegExp(`/alerts/${south.alert.id}"`), 'not another team\'s');
    assert.match(r.text, /href="\/caseload\?worker=r\.one">r\.one<\/a>/, 'the worker\'s caseload row');
    assert.equal(auditRows(area.db, { action: 'team.read' }).filter((e) => e.actor.endsWith('r.nmanager')).length, 1);
    assert.equal((await page('r.one', '/team')).status, 403, 'a social worker has no team page');
  });

  test('?owner= for the team or one of its workers works for the manager; another team\'s is 403', async () => {
    for (const owner of ['team:north', 'r.one']) {
      const r = await page('r.nmanager', `/alerts?owner=${encodeURIComponent(owner)}`);
      assert.equal(r.status, 200, `${owner}: ${r.status}`);
      assert.match(r.text, new RegExp(`href="/alerts/${north.alert.id}"`), owner);
    }
    for (const owner of ['team:south', 'r.south']) {
      assert.equal((await page('r.nmanager', `/alerts?owner=${encodeURIComponent(owner)}`)).status, 403, owner);
    }
    assert.equal((await page('r.nmanager', `/alerts/${north.alert.id}`)).status, 200, 'the manager opens the team\'s alert');
    assert.equal((await page('r.nmanager', `/alerts/${south.alert.id}`)).status, 403, 'not another team\'s');
  });
});

describe('landing on one\'s own work (item 3)', () => {
  test('each role lands on its own page after signing in; a next= still wins', async () => {
    const r = spawnSync(BIN, ['routes'], { encoding: 'utf8' });
    assertNoSanitizerReport(r.stderr, 'safeguard routes');
    const pages = new Set(JSON.parse(r.stdout).filter((x) => x.surface === 'web' && x.method === 'GET').map((x) => x.path));
    // /flag and /dpo are other engineers' pages: landed on once they exist.
    const orHome = (p) => (pages.has(p) ? p : '/');
    const expected = {
      'r.one': '/alerts', 'r.nmanager': '/team', 'r.mash': '/mash', 'r.health': orHome('/flag'), 'r.dpo': orHome('/dpo'),
      'r.analyst': '/homes', 'r.police': '/police/homes', 'r.admin': '/admin', 'r.school': '/',
    };
    for (const [u, where] of Object.entries(expected)) {
      assert.equal((await webSignIn(u)).location, where, u);
    }
    assert.equal((await webSignIn('r.nmanager', '/caseload')).location, '/caseload');
  });
});

describe('inboxes (item 4)', () => {
  test('most overdue first, in words with a next step, no rule codes', async () => {
    // 8 days: past its 1 working day on any day of the year (3 was not on a Monday: Friday's referral is due on
    // Monday, so no alert yet; it failed on 2026-12-07 with integ's binary too); 30 is still the more overdue.
    const recent = await childWithReferral(8);
    const old = await childWithReferral(30);
    allocate(recent.id, 'north', 'r.two');
    allocate(old.id, 'north', 'r.two');
    const r = await page('r.two', '/alerts');
    const at = (id) => r.text.indexOf(`href="/alerts/${id}"`);
    assert.ok(at(old.alert.id) > 0 && at(recent.alert.id) > 0);
    assert.ok(at(old.alert.id) < at(recent.alert.id), 'the most overdue first');
    assert.match(r.text, /Referral decision overdue/);
    assert.match(r.text, /A decision on a referral is due within 1 working day of the referral being received/);
    assert.match(r.text, /Next step:<\/strong> Decide what happens next/);
    assert.doesNotMatch(r.text, /REFERRAL_DECISION_OVERDUE/, 'no rule codes');
    const api = await request(`${url}/api/v1/alerts?owner=r.two`, { token: area.tokens.social_care });
    const ids = api.json.alerts.map((a) => a.id);
    assert.ok(ids.indexOf(old.alert.id) < ids.indexOf(recent.alert.id), 'the API\'s inbox order is the page\'s');
  });

  test('siblings alerted for one incident are one item listing each child', async () => {
    const home = { postcode: 'LS9 1EN', address: '4 Encompass Close' };
    const kids = [];
    for (const [given, dob] of [['Ember', '2013-01-02'], ['Flint', '2016-07-08']]) {
      const r = await postEvent(url, area.tokens.education, event({ source_ref: `SIB-${given}`, kind: 'contact',
        occurred_at: daysAgo(20) }, { given_name: given, family_name: 'Hearth', dob, nhs_number: '', ...home }));
      assert.equal(r.status, 201, r.text);
      kids.push(r.json.child_id);
    }
    const inc = await postEvent(url, area.tokens.police, event({ source_ref: 'SIB-DA', kind: 'domestic_abuse_incident',
      occurred_at: daysAgo(4), details: { household: 'H-EN4' } },
    { given_name: 'Ember', family_name: 'Hearth', dob: '2013-01-02', nhs_number: '', ...home }));
    assert.equal(inc.status, 201, inc.text);
    const da = alertRows(area.db, { code: 'DOMESTIC_ABUSE_IN_HOUSEHOLD' }).map((a) => ({ id: a.id, person_id: a.child }))
      .sort((a, b) => a.person_id - b.person_id);
    assert.deepEqual(da.map((a) => a.person_id), kids, 'one alert per child');
    const r = await page('r.mash', '/alerts');
    assert.match(r.text, /One incident, 2 children:/);
    const row = new RegExp(`<tr class="govuk-table__row" id="alert-(${da[0].id}|${da[1].id})">([\\s\\S]*?)</tr>`).exec(r.text);
    assert.ok(row, 'one row');
    for (const a of da) {
      assert.match(row[2], new RegExp(`href="/children/${a.person_id}"`), `child ${a.person_id} listed`);
      assert.match(row[2], new RegExp(`href="/alerts/${a.id}"`), `alert ${a.id} linked`);
    }
    const second = da.find((a) => `${a.id}` !== row[1]);
    assert.doesNotMatch(r.text, new RegExp(`id="alert-${second.id}"`), 'no second row');
  });
});
