// Children's homes in the service (issue 6, parts 1 and 4), through the real binary:
//   - `homes import` loads `gen homes` output in one transaction: a bad file (or a URN already held) leaves
//     the register as it was;
//   - `homes run` and POST /api/v1/oversight/runs store a run, its signals with reasons in words, and raise
//     alerts about homes (and about a missing Regulation 44 report);
//   - the API routes answer the oversight analyst and refuse the other roles;
//   - the police add a location-risk note to a home of their area (CSRF), not to one outside it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import {
  BIN, assertNoSanitizerReport, count, freshArea, removeDir, request, runCli, sql, startServer, totp, totpUsedLongAgo,
} from './lib.mjs';

const PASSWORD = 'a long enough passphrase for the homes';
let area;
let gen;

function cookieOf(res, name) {
  for (const c of res.headers.getSetCookie()) if (c.startsWith(`${name}=`)) return c.split(';')[0];
  return null;
}

function addUser(username, agency, role) {
  const u = spawnSync(BIN, ['user', 'add', '--db', `sqlite:${area.db}`, '--username', username, '--agency', agency,
    '--role', role, '--password-stdin'], { input: `${PASSWORD}\n`, encoding: 'utf8' });
  assertNoSanitizerReport(u.stderr, 'safeguard user add');
  assert.equal(u.status, 0, u.stderr);
  return u.stdout.trimEnd().split('\n').pop();
}

async function apiSession(url, username, secret) {
  totpUsedLongAgo(area.db, username);
  const s = await request(`${url}/api/v1/sessions`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD, totp: totp(secret) }),
  });
  assert.equal(s.status, 201, s.text);
  return s.json.token;
}

async function webSignIn(url, username, secret) {
  totpUsedLongAgo(area.db, username);
  const form = await fetch(`${url}/sign-in`);
  const pre = cookieOf(form, 'sg_presession');
  const csrf = /name="csrf_token" value="([^"]+)"/.exec(await form.text())[1];
  const res = await fetch(`${url}/sign-in`, {
    method: 'POST', redirect: 'manual',
    headers: { cookie: pre, 'content-type': 'application/x-www-form-urlencoded', origin: url },
    body: new URLSearchParams({ username, password: PASSWORD, totp: totp(secret), csrf_token: csrf }),
  });
  assert.equal(res.status, 303);
  const cookie = cookieOf(res, 'sg_session');
  const page = await (await fetch(`${url}/nope`, { headers: { cookie } })).text();
  return { cookie, csrf: /name="csrf_token" value="([^"]+)"/.exec(page)[1] };
}

before(() => {
  area = freshArea('homes-service');
  gen = path.join(area.dir, 'gen');
  runCli(['gen', 'homes', '--out', gen, '--homes', '150', '--months', '24', '--seed', '3', '--harmful-pct', '10']);
});

after(() => { removeDir(area.dir); });

describe('homes import', () => {
  test('a bad incidents file stops the import with its file and line, and nothing is written', () => {
    const bad = path.join(area.dir, 'bad');
    fs.mkdirSync(bad);
    for (const f of ['homes.csv', 'occupancy.csv']) fs.copyFileSync(path.join(gen, f), path.join(bad, f));
    const lines = fs.readFileSync(path.join(gen, 'incidents.csv'), 'utf8').trimEnd().split('\n');
    lines.splice(500, 0, `${lines[1].split(',')[0]},2023-05-10,shouting`);
    fs.writeFileSync(path.join(bad, 'incidents.csv'), lines.join('\n') + '\n');
    const r = runCli(['homes', 'import', '--db', `sqlite:${area.db}`, '--dir', bad], { check: false });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /incidents\.csv:501: type "shouting" is not one of .* \(column type\)/);
    assert.equal(count(area.db, 'home'), 0);
    assert.equal(count(area.db, 'home_incident'), 0);
  });

  test('the files go in whole, and a second import of the same homes changes nothing', () => {
    const r = runCli(['homes', 'import', '--db', `sqlite:${area.db}`, '--dir', gen]);
    assert.match(r.stderr, /150 homes, 2023-01 to 2024-12/);
    const incidents = fs.readFileSync(path.join(gen, 'incidents.csv'), 'utf8').trimEnd().split('\n').length - 1;
    assert.equal(count(area.db, 'home'), 150);
    assert.equal(count(area.db, 'home_incident'), incidents);
    const again = runCli(['homes', 'import', '--db', `sqlite:${area.db}`, '--dir', gen], { check: false });
    assert.equal(again.status, 1);
    assert.match(again.stderr, /homes\.csv: home "SC[0-9]+" is already in the register \(column home_id\); nothing was imported/);
    assert.equal(count(area.db, 'home'), 150);
    assert.equal(count(area.db, 'home_incident'), incidents);
    assert.equal(Number(sql(area.db, "SELECT count(*) FROM audit WHERE action = 'homes.import'")), 1);
  });
});

describe('homes run', () => {
  test('a run stores its signals with reasons in words and raises an alert for each flagged home', () => {
    const r = runCli(['homes', 'run', '--db', `sqlite:${area.db}`, '--reg44-month', '2024-12']);
    const m = /run (\d+): 150 homes, 2023-01 to 2024-12; .* (\d+) signals, (\d+) homes flagged, (\d+) without a Regulation 44 report for 2024-12, (\d+) new alerts/.exec(r.stdout);
    assert.ok(m, r.stdout);
    const [, run, signals, flagged, reg44, alerts] = m.map(Number);
    assert.ok(signals > 0 && flagged > 0, r.stdout);
    assert.equal(count(area.db, 'oversight_signal', `run_id = ${run}`), signals);
    // No report was imported: every home with children in December 2024 lacks one.
    const occupied = Number(sql(area.db, "SELECT count(*) FROM home_occupancy WHERE month = '2024-12' AND child_nights > 0"));
    assert.equal(reg44, occupied);
    assert.equal(alerts, flagged + reg44);
    assert.equal(count(area.db, 'home_alert', "kind = 'signal'"), flagged);
    const reasons = sql(area.db, "SELECT reason FROM home_alert WHERE kind = 'signal'").split('\n');
    for (const reason of reasons) assert.match(reason, /(restraints|injuries|missing episodes|police call-outs|complaints|self-harm incidents|notifications|allegations against staff) .*what similar homes record/);
    assert.match(sql(area.db, "SELECT reason FROM home_alert WHERE kind = 'reg44' LIMIT 1"),
      /^no Regulation 44 visit report for December 2024/);
    // The same run again raises nothing new (the same home, month and kind is the same alert).
    const again = runCli(['homes', 'run', '--db', `sqlite:${area.db}`, '--reg44-month', '2024-12']);
    assert.match(again.stdout, /, 0 new alerts$/m);
    assert.equal(count(area.db, 'home_alert'), alerts);
  });
});

describe('in the server', () => {
  let server;
  const secrets = {};
  before(async () => {
    secrets.analyst = addUser('h.analyst', 'social_care', 'oversight_analyst');
    secrets.police = addUser('h.police', 'police', 'police_officer');
    secrets.worker = addUser('h.worker', 'social_care', 'social_worker');
    const la = sql(area.db, 'SELECT la_code FROM home ORDER BY id LIMIT 1');
    server = await startServer(area.db, { extraArgs: ['--authority', la] });
  });
  after(async () => { if (server) await server.stop(); });

  test('POST /api/v1/oversight/runs runs the monitor for the analyst; the run and its reasons are read back', async () => {
    const token = await apiSession(server.url, 'h.analyst', secrets.analyst);
    const before_ = count(area.db, 'oversight_run');
    const r = await request(`${server.url}/api/v1/oversight/runs`, {
      method: 'POST', token, headers: { 'content-type': 'application/json' }, body: '{"false_alarms_per_100_home_years": 5}',
    });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.homes, 150);
    assert.ok(r.json.signals > 0);
    assert.equal(count(area.db, 'oversight_run'), before_ + 1);
    assert.equal(sql(area.db, `SELECT trigger || ' ' || by FROM oversight_run WHERE id = ${r.json.run_id}`),
      `on_demand user:${sql(area.db, "SELECT id FROM app_user WHERE username = 'h.analyst'")}:h.analyst`);
    const g = await request(`${server.url}/api/v1/oversight/runs/${r.json.run_id}`, { token });
    assert.equal(g.status, 200);
    assert.equal(g.json.signal_list.length, r.json.signals);
    assert.ok(g.json.signal_list.every((s) => /what similar homes record/.test(s.reason)));
    const a = await request(`${server.url}/api/v1/homes/alerts`, { token });
    assert.equal(a.status, 200);
    assert.equal(a.json.alerts.length, count(area.db, 'home_alert', "state = 'open'"));
    assert.equal(a.json.latest_run.id, r.json.run_id);
    const missing = await request(`${server.url}/api/v1/oversight/runs/999999`, { token });
    assert.equal(missing.status, 404);
    const bad = await request(`${server.url}/api/v1/oversight/runs`, {
      method: 'POST', token, headers: { 'content-type': 'application/json' }, body: '{"false_alarms_per_100_home_years": -1}',
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error.field, 'false_alarms_per_100_home_years');
  });

  test('the other roles are refused the oversight routes', async () => {
    for (const [who, name] of [['police', 'h.police'], ['worker', 'h.worker']]) {
      const token = await apiSession(server.url, name, secrets[who]);
      const r = await request(`${server.url}/api/v1/homes/alerts`, { token });
      assert.equal(r.status, 403);
      assert.equal(r.json.error.code, 'not_permitted');
    }
  });

  test('the analyst\'s pages: the ranked list with reasons, a funnel plot, a profile without children\'s names', async () => {
    const s = await webSignIn(server.url, 'h.analyst', secrets.analyst);
    const list = await request(`${server.url}/homes`, { headers: { cookie: s.cookie } });
    assert.equal(list.status, 200);
    const reason = sql(area.db, "SELECT reason FROM home_alert WHERE kind = 'signal' LIMIT 1");
    assert.ok(list.text.includes(reason.replace(/&/g, '&amp;')), 'a flagged home shows its reason');
    const funnel = await request(`${server.url}/homes/funnel?indicator=missing`, { headers: { cookie: s.cookie } });
    assert.equal(funnel.status, 200);
    assert.equal((funnel.text.match(/<a href="\/homes\/\d+" aria-label="/g) || []).length,
      (funnel.text.match(/<tr class="govuk-table__row">\s*<td class="govuk-table__cell"><a class="govuk-link" href="\/homes\//g) || []).length);
    const id = sql(area.db, "SELECT home_id FROM home_alert WHERE kind = 'signal' LIMIT 1");
    const profile = await request(`${server.url}/homes/${id}`, { headers: { cookie: s.cookie } });
    assert.equal(profile.status, 200);
    assert.match(profile.text, /CUSUM chart of Combined/);
    assert.ok(Number(sql(area.db, "SELECT count(*) FROM audit WHERE action = 'homes.read'")) >= 3);
  });

  test('the police add a location-risk note to a home of their area, with the session\'s CSRF token only', async () => {
    const s = await webSignIn(server.url, 'h.police', secrets.police);
    const la = sql(area.db, 'SELECT la_code FROM home ORDER BY id LIMIT 1');
    const inside = sql(area.db, `SELECT id FROM home WHERE la_code = '${la}' ORDER BY id LIMIT 1`);
    const outside = sql(area.db, `SELECT id FROM home WHERE la_code <> '${la}' ORDER BY id LIMIT 1`);
    const page = await request(`${server.url}/police/homes`, { headers: { cookie: s.cookie } });
    assert.equal(page.status, 200);
    assert.ok(page.text.includes(`href="/police/homes/${inside}"`));
    assert.ok(!page.text.includes(`href="/police/homes/${outside}"`));
    const post = (id, note, csrf = s.csrf) => request(`${server.url}/police/homes/${id}/notes`, {
      method: 'POST',
      headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
      body: new URLSearchParams({ csrf_token: csrf, note }).toString(),
    });
    const text = 'A grey van seen collecting young people at night, reg noted in PNC log 1234.';
    const forged = await post(inside, text, 'not-the-token');
    assert.equal(forged.status, 403);
    const short = await post(inside, 'short');
    assert.equal(short.status, 400);
    assert.match(short.text, /Enter the note: 10 to 2,000 characters/);
    const away = await post(outside, text);
    assert.equal(away.status, 404);
    assert.equal(count(area.db, 'home_note'), 0);
    const ok = await post(inside, text);
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.get('location'), `/police/homes/${inside}?noted=1#notes`);
    assert.equal(sql(area.db, `SELECT home_id || ' ' || author || ' ' || text FROM home_note`), `${inside} h.police ${text}`);
    assert.equal(Number(sql(area.db, "SELECT count(*) FROM audit WHERE action = 'home_note.add'")), 1);
    const shown = await request(`${server.url}/police/homes/${inside}`, { headers: { cookie: s.cookie } });
    assert.ok(shown.text.includes('A grey van seen collecting young people'), shown.text.slice(shown.text.indexOf('<main'), shown.text.indexOf('<main') + 3000));
  });
});
