// The Regulation 44 visitor's opinion in the service (issue 16, "Homes oversight"), through the real binary:
//   - a report records "In the visitor's opinion, are children effectively safeguarded?" (reg 44(4)(c)) as
//     yes, no or not stated, through the API (optional there, "not_stated" when left out) and the home's page
//     (required: GOV.UK radios, the error summary naming the field);
//   - the nightly `homes run` reads the opinions, as `homes monitor --reg44` does: a harmful home whose
//     visitor says "no" from the onset is flagged sooner than on the counts alone, and the signal's reason
//     says what the visitor said.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  auditRows, homeRows, reg44Reports,
  addPerson, dbUrl, freshArea, removeDir, request, runCli, sessionCsrf, sqlWrite, startServer, totp,
  newAuthenticator, webSignIn,
} from './lib.mjs';

const PASSWORD = 'a long enough passphrase for the visitors';
let area;
let gen;
let server;
let secret;
let token;

function csv(file) {
  const [head, ...rows] = fs.readFileSync(path.join(gen, file), 'utf8').trimEnd().split('\n');
  const cols = head.split(',');
  return rows.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
}

/** A run's signals through the API (GET /api/v1/oversight/runs/{id}, the analyst's), not SQL. */
const signalCache = new Map();
async function signals(run) {
  if (!signalCache.has(run)) {
    const r = await request(`${server.url}/api/v1/oversight/runs/${run}`, { token });
    assert.equal(r.status, 200, r.text);
    signalCache.set(run, r.json.signal_list);
  }
  return signalCache.get(run);
}

/** The month ("YYYY-MM") of the run's first signal about the home at or after month from; '9999-99' when none. */
async function firstFlag(run, home, from) {
  const months = (await signals(run)).filter((g) => g.home_id === Number(home) && g.month >= from).map((g) => g.month);
  return months.sort()[0] ?? '9999-99';
}

function homesRun() {
  const r = runCli(['homes', 'run', '--db', dbUrl(area.db), '--reg44-month', '2024-12']);
  const m = /^run (\d+):/m.exec(r.stdout);
  assert.ok(m, r.stdout);
  return Number(m[1]);
}

const post = (home, body, url = server.url) => request(`${url}/api/v1/homes/${home}/reg44-reports`, {
  method: 'POST', token, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
});

before(async () => {
  area = freshArea('homes-reg44-opinion');
  gen = path.join(area.dir, 'gen');
  runCli(['gen', 'homes', '--out', gen, '--homes', '150', '--months', '24', '--seed', '3', '--harmful-pct', '10']);
  runCli(['homes', 'import', '--db', dbUrl(area.db), '--dir', gen]);
  secret = addPerson(area.db, 'v.analyst', 'social_care', 'oversight_analyst', PASSWORD);
  server = await startServer(area.db);
  secret = newAuthenticator(area.db, 'v.analyst');
  const s = await request(`${server.url}/api/v1/sessions`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'v.analyst', password: PASSWORD, totp: totp(secret) }),
  });
  assert.equal(s.status, 201, s.text);
  token = s.json.token;
});

after(async () => {
  if (server) await server.stop();
  removeDir(area.dir);
});

describe('the visitor\'s opinion is recorded', () => {
  test('the API takes yes, no or not_stated, names the field otherwise, and stores "not_stated" when it is left out', async () => {
    const home = homeRows(area.db)[0].id;
    const good = { month: '2020-01', received_on: '2020-02-03', visitor: 'A. Visitor', summary: 'Spoke to the children.' };
    for (const bad of ['maybe', 'No', '', 3]) {
      const r = await post(home, { ...good, safeguarded: bad });
      assert.equal(r.status, 400, `${JSON.stringify(bad)}: ${r.text}`);
      assert.equal(r.json.error.field, 'safeguarded');
    }
    assert.deepEqual(reg44Reports(area.db, home), []);
    const none = await post(home, good);
    assert.equal(none.status, 201, none.text);
    assert.equal(none.json.safeguarded, 'not_stated');
    const no = await post(home, { ...good, month: '2020-02', received_on: '2020-03-02', safeguarded: 'no' });
    assert.equal(no.status, 201, no.text);
    assert.equal(no.json.safeguarded, 'no');
    assert.deepEqual(reg44Reports(area.db, home).map((r) => `${r.month} ${r.safeguarded}`), ['2020-02 no', '2020-01 not_stated']);
    const recorded = auditRows(area.db, { action: 'reg44.record' }).filter((e) => e.detail.includes(' 2020-02 '));
    assert.equal(recorded.length, 1);
    assert.match(recorded[0].detail, /safeguarded:no$/);
    sqlWrite(area.db, "DELETE FROM reg44_report WHERE month < '2023-01'");
  });

  test('the page asks the question with radios, names it in the error summary, and shows the answer', async () => {
    const home = homeRows(area.db)[1].id;
    const cookie = await webSignIn(server.url, area.db, 'v.analyst', { password: PASSWORD });
    const csrf = await sessionCsrf(server.url, cookie);
    const form = (fields) => request(`${server.url}/homes/${home}/reg44-reports`, {
      method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
      body: new URLSearchParams({ csrf_token: csrf, ...fields }).toString(),
    });
    const fields = { 'reg44-month': '1', 'reg44-year': '2020', 'received-day': '3', 'received-month': '2', 'received-year': '2020', visitor: 'B. Visitor', summary: 'Two children said they did not feel safe at night.' };
    const page = await request(`${server.url}/homes/${home}`, { headers: { cookie } });
    assert.match(page.text, /<legend[^>]*>In the visitor(&#39;|')s opinion, are children effectively safeguarded\?<\/legend>/);
    for (const v of ['yes', 'no', 'not_stated']) assert.match(page.text, new RegExp(`name="safeguarded" type="radio" value="${v}"`));
    const missing = await form(fields);
    assert.equal(missing.status, 400);
    assert.match(missing.text, /href="#safeguarded">Select whether, in the visitor(&#39;|')s opinion, children are effectively safeguarded/);
    assert.match(missing.text, /value="Two children said they did not feel safe at night\."|>Two children said they did not feel safe at night\.</, 'what was typed is kept');
    const odd = await form({ ...fields, safeguarded: 'perhaps' });
    assert.equal(odd.status, 400);
    assert.match(odd.text, /href="#safeguarded">Select yes, no or not stated/);
    assert.deepEqual(reg44Reports(area.db, home), []);
    const ok = await form({ ...fields, safeguarded: 'no' });
    assert.equal(ok.status, 303, ok.text.slice(0, 400));
    assert.deepEqual(reg44Reports(area.db, home).map((r) => [r.month, r.received_at.slice(0, 10), r.visitor, r.safeguarded]),
      [['2020-01', '2020-02-03', 'B. Visitor', 'no']]);
    const shown = await request(`${server.url}/homes/${home}`, { headers: { cookie } });
    assert.match(shown.text, /Children effectively safeguarded, in the visitor(&#39;|')s opinion: <strong class="govuk-tag govuk-tag--red">No<\/strong>/);
    sqlWrite(area.db, "DELETE FROM reg44_report WHERE month < '2023-01'");
  });
});

describe('the nightly run reads the opinions', () => {
  test('a harmful home whose visitor says "no" from the onset is flagged sooner, and the reason says so', async () => {
    const ids = new Map(homeRows(area.db).map((h) => [h.urn, String(h.id)]));
    const truth = csv('truth.csv').filter((t) => t.harmful === '1');
    const reports = csv('reg44.csv');
    // Every home's reports as the simulator's visitors gave them (in statements short enough for one argument).
    const values = reports.map((r) => `(${ids.get(r.home_id)}, '${r.month}', '${r.month}-28', 'Visitor', '', '${r.safeguarded}')`);
    for (let i = 0; i < values.length; i += 500) {
      sqlWrite(area.db, `INSERT INTO reg44_report(home_id, month, received_at, visitor, summary, safeguarded) VALUES ${values.slice(i, i + 500).join(', ')}`);
    }
    // The harmful homes' visitors say "yes" throughout in the first run: what it finds, it finds on the counts.
    const harmful = truth.map((t) => ids.get(t.home_id));
    sqlWrite(area.db, `UPDATE reg44_report SET safeguarded = 'yes' WHERE home_id IN (${harmful.join(', ')})`);
    const run1 = homesRun();
    const lateness = new Map();
    for (const t of truth) lateness.set(t.home_id, await firstFlag(run1, ids.get(t.home_id), t.onset_month));
    const late = (t) => lateness.get(t.home_id);
    const candidates = truth.filter((t) => reports.filter((r) => r.home_id === t.home_id && r.month >= t.onset_month).length >= 6)
      .sort((a, b) => late(b).localeCompare(late(a)) || a.home_id.localeCompare(b.home_id));
    assert.ok(candidates.length > 0);
    const chosen = candidates[0];
    const home = ids.get(chosen.home_id);
    const months = reports.filter((r) => r.home_id === chosen.home_id && r.month >= chosen.onset_month).map((r) => r.month);
    // The visitor's "no" comes in through the API, as a provider's or the council's system would send it (a
    // server started now: the first one has closed the connections left idle while the run took its time).
    sqlWrite(area.db, `DELETE FROM reg44_report WHERE home_id = ${home} AND month >= '${chosen.onset_month}'`);
    const fresh = await startServer(area.db);
    try {
      for (const month of months) {
        const [y, m] = month.split('-').map(Number);
        const next = m === 12 ? `${y + 1}-01-05` : `${y}-${String(m + 1).padStart(2, '0')}-05`;
        const r = await post(home, { month, received_on: next, visitor: 'C. Visitor', summary: 'Children do not feel safe.', safeguarded: 'no' }, fresh.url);
        assert.equal(r.status, 201, r.text);
      }
    } finally {
      await fresh.stop();
    }
    const run2 = homesRun();
    const f2 = await firstFlag(run2, home, chosen.onset_month);
    assert.ok(f2 < late(chosen), `home ${chosen.home_id} (onset ${chosen.onset_month}): flagged ${f2} with the visitor's "no", against ${late(chosen)} on the counts alone`);
    const reasons = (await signals(run2)).filter((g) => g.home_id === Number(home) && g.indicator === 'combined').map((g) => g.reason).join('\n');
    assert.match(reasons, /the Regulation 44 visitor said children were not effectively safeguarded (this month|in \d+ of these months)/);
    const reasons1 = (await signals(run1)).filter((g) => g.home_id === Number(home)).map((g) => g.reason).join('\n');
    assert.doesNotMatch(reasons1, /Regulation 44 visitor/, 'the words come from the visitor\'s "no", not from the counts');
  });
});
