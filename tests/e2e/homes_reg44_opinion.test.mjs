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
  auditRows, homeRows, reg44Reports, signalRows,
  addPerson, dbUrl, freshArea, migrate, removeDir, request, runCli, sessionCsrf, startServer, totp,
  newAuthenticator, webSignIn,
} from './lib.mjs';

const PASSWORD = 'a long enough passphrase for the visitors';
let area;
let gen;
let server;
let token;

function csv(file) {
  const [head, ...rows] = fs.readFileSync(path.join(gen, file), 'utf8').trimEnd().split('\n');
  const cols = head.split(',');
  return rows.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
}

/**
 * A run's signals through the CLI (`homes signals --run ID --json`, lib's signalRows), not SQL: each area of the
 * second part has its own database, and so its own run numbers.
 */
const signalCache = new Map();
function signals(db, run) {
  const key = `${db} ${run}`;
  if (!signalCache.has(key)) signalCache.set(key, signalRows(db, run));
  return signalCache.get(key);
}

/** The month ("YYYY-MM") of the run's first signal about the home at or after month from; '9999-99' when none. */
function firstFlag(db, run, home, from) {
  const months = signals(db, run).filter((g) => g.home_id === Number(home) && g.month >= from).map((g) => g.month);
  return months.sort()[0] ?? '9999-99';
}

function homesRun(db) {
  const r = runCli(['homes', 'run', '--db', dbUrl(db), '--reg44-month', '2024-12']);
  const m = /^run (\d+):/m.exec(r.stdout);
  assert.ok(m, r.stdout);
  return Number(m[1]);
}

/**
 * An area of its own (a new database) for the nightly run: the generated homes imported with the visitors' reports
 * given, as gen's reg44.csv has them (home_id, month, safeguarded), through `homes import --reg44`. Its database and
 * the homes' ids by URN.
 */
function opinionArea(name, reports) {
  const db = path.join(area.dir, `${name}.db`);
  const file = path.join(area.dir, `${name}-reg44.csv`);
  fs.writeFileSync(file, ['home_id,month,safeguarded', ...reports.map((r) => `${r.home_id},${r.month},${r.safeguarded}`), ''].join('\n'));
  migrate(db);
  const r = runCli(['homes', 'import', '--db', dbUrl(db), '--dir', gen, '--reg44', file]);
  assert.match(r.stderr, new RegExp(`, ${reports.length} Regulation 44 reports`));
  return { db, ids: new Map(homeRows(db).map((h) => [h.urn, String(h.id)])) };
}

/** An API session's token for the analyst of the area (made there) on the server at url. */
async function analystToken(db, url) {
  const totpSecret = newAuthenticator(db, 'v.analyst');
  const s = await request(`${url}/api/v1/sessions`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'v.analyst', password: PASSWORD, totp: totp(totpSecret) }),
  });
  assert.equal(s.status, 201, s.text);
  return s.json.token;
}

const post = (home, body, url = server.url, bearer = token) => request(`${url}/api/v1/homes/${home}/reg44-reports`, {
  method: 'POST', token: bearer, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
});

before(async () => {
  area = freshArea('homes-reg44-opinion');
  gen = path.join(area.dir, 'gen');
  runCli(['gen', 'homes', '--out', gen, '--homes', '150', '--months', '24', '--seed', '3', '--harmful-pct', '10']);
  runCli(['homes', 'import', '--db', dbUrl(area.db), '--dir', gen]);
  addPerson(area.db, 'v.analyst', 'social_care', 'oversight_analyst', PASSWORD);
  server = await startServer(area.db);
  token = await analystToken(area.db, server.url);
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
  });
});

describe('the nightly run reads the opinions', () => {
  test('a harmful home whose visitor says "no" from the onset is flagged sooner, and the reason says so', async () => {
    const truth = csv('truth.csv').filter((t) => t.harmful === '1');
    const reports = csv('reg44.csv');
    // Every home's reports as the simulator's visitors gave them, but the harmful homes' visitors say "yes"
    // throughout in the first run: what it finds, it finds on the counts. (An area of its own, imported whole: the
    // first part's reports stay where they were made.)
    const harmfulUrns = new Set(truth.map((t) => t.home_id));
    const saidYes = reports.map((r) => (harmfulUrns.has(r.home_id) ? { ...r, safeguarded: 'yes' } : r));
    const first = opinionArea('said-yes', saidYes);
    const run1 = homesRun(first.db);
    const lateness = new Map();
    for (const t of truth) lateness.set(t.home_id, firstFlag(first.db, run1, first.ids.get(t.home_id), t.onset_month));
    const late = (t) => lateness.get(t.home_id);
    const candidates = truth.filter((t) => reports.filter((r) => r.home_id === t.home_id && r.month >= t.onset_month).length >= 6)
      .sort((a, b) => late(b).localeCompare(late(a)) || a.home_id.localeCompare(b.home_id));
    assert.ok(candidates.length > 0);
    const chosen = candidates[0];
    const months = reports.filter((r) => r.home_id === chosen.home_id && r.month >= chosen.onset_month).map((r) => r.month);
    // The second run: the same reports but the chosen home's from the onset, which come in through the API, "no", as a
    // provider's or the council's system would send them (a server on that area, its analyst signed in there).
    const second = opinionArea('said-no', saidYes.filter((r) => !(r.home_id === chosen.home_id && r.month >= chosen.onset_month)));
    const home = second.ids.get(chosen.home_id);
    addPerson(second.db, 'v.analyst', 'social_care', 'oversight_analyst', PASSWORD);
    const fresh = await startServer(second.db);
    try {
      const bearer = await analystToken(second.db, fresh.url);
      for (const month of months) {
        const [y, m] = month.split('-').map(Number);
        const next = m === 12 ? `${y + 1}-01-05` : `${y}-${String(m + 1).padStart(2, '0')}-05`;
        const r = await post(home, { month, received_on: next, visitor: 'C. Visitor', summary: 'Children do not feel safe.', safeguarded: 'no' }, fresh.url, bearer);
        assert.equal(r.status, 201, r.text);
      }
    } finally {
      await fresh.stop();
    }
    assert.deepEqual(reg44Reports(second.db, home).filter((r) => r.month >= chosen.onset_month).map((r) => r.safeguarded),
      months.map(() => 'no'), 'the chosen home\'s reports from the onset are the API\'s');
    const run2 = homesRun(second.db);
    const f2 = firstFlag(second.db, run2, home, chosen.onset_month);
    assert.ok(f2 < late(chosen), `home ${chosen.home_id} (onset ${chosen.onset_month}): flagged ${f2} with the visitor's "no", against ${late(chosen)} on the counts alone`);
    const reasons = signals(second.db, run2).filter((g) => g.home_id === Number(home) && g.indicator === 'combined').map((g) => g.reason).join('\n');
    assert.match(reasons, /the Regulation 44 visitor said children were not effectively safeguarded (this month|in \d+ of these months)/);
    const reasons1 = signals(first.db, run1).filter((g) => g.home_id === Number(first.ids.get(chosen.home_id))).map((g) => g.reason).join('\n');
    assert.doesNotMatch(reasons1, /Regulation 44 visitor/, 'the words come from the visitor\'s "no", not from the counts');
  });
});
