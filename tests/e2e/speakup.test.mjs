// Issue 18 part 1, speak up: a report made without signing in, that bypasses the home.
//   - the steps of /speak-up (one question a page, the answers carried in the form), the easy-read form;
//   - a reference and a passphrase shown once; only the passphrase's hash stored;
//   - no address and no user agent kept: the database file (and its write-ahead log) and the server's
//     stderr are read for the client address and the user agent the reports were sent with;
//   - /speak-up/return: the same answer for a wrong reference and a wrong passphrase; guesses throttled;
//   - the reviewers' queue (oversight analyst): triage with an outcome, a reply the reporter reads, audited;
//   - never a user of the home's organisation: every other role is refused every reviewer's route, and the
//     report's words reach no page they can open;
//   - a report about a home counts in the home's oversight; one linked to a child is on its chronology;
//   - rate and size limits, text shown escaped and never as a link.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import {
  addHomes, auditRows, homeIncidents, speakupReports,
  databaseBytes, holdsBytes,
  addPerson, clockMovedOn, dbUrl, freshArea, getChronology, isoSeconds, now, postEvent, removeDir, runCli, sql, startServer, subject,
  webSignIn as signInAs, signinAttempts,
} from './lib.mjs';

const PASSWORD = 'nobody at the home reads this';
// The reporter's connection: an address of the loopback network no other test uses, and a user agent of its own.
const REPORTER_ADDRESS = '127.0.0.23';
const REPORTER_AGENT = 'SpeakUpReporterBrowser/7.3 (unique-agent-31415)';
const PEOPLE = [
  ['su.analyst', 'social_care', 'oversight_analyst'],
  ['su.lado', 'social_care', 'lado'],
  ['su.worker', 'social_care', 'social_worker'],
  ['su.manager', 'social_care', 'team_manager'],
  ['su.mash', 'social_care', 'mash_worker'],
  ['su.chair', 'social_care', 'conference_chair'],
  ['su.dpo', 'social_care', 'dpo'],
  ['su.admin', 'social_care', 'admin'],
  ['su.police', 'police', 'police_officer'],
  ['su.health', 'health', 'health_practitioner'],
  ['su.school', 'education', 'school_dsl'],
];
// The reviewers: the oversight analyst and the LADO (the report reaches the LADO's queue, issue 18).
const REFUSED = PEOPLE.filter(([, , role]) => role !== 'oversight_analyst' && role !== 'lado').map(([u]) => u);

let area;
let server;
let homeId;
let childId;
const secrets = {};
const cookies = {};

// ---- the reporter's requests: over node:http from REPORTER_ADDRESS, with REPORTER_AGENT ----

function anon(method, url, { cookie, form, raw, base = server.url } = {}) {
  return new Promise((resolve, reject) => {
    const u = new URL(`${base}${url}`);
    const body = raw ?? (form ? new URLSearchParams(form).toString() : undefined);
    const headers = { 'user-agent': REPORTER_AGENT };
    if (cookie) headers.cookie = cookie;
    if (body !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers['content-length'] = Buffer.byteLength(body);
    }
    const rq = http.request({ host: u.hostname, port: u.port, path: u.pathname + u.search, method, headers,
      localAddress: REPORTER_ADDRESS }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text }));
    });
    rq.on('error', reject);
    if (body !== undefined) rq.write(body);
    rq.end();
  });
}

const formCookie = (res) => (res.headers['set-cookie'] || []).map((c) => c.split(';')[0]).find((c) => c.startsWith('sg_form='));
const csrf = (html) => /name="csrf_token" value="([^"]+)"/.exec(html)?.[1];
const visible = (html) => html.replace(/<script[\s\S]*?<\/script>/g, '').replace(/<svg[\s\S]*?<\/svg>/g, '')
  .replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/\s+/g, ' ');

/** A browser's visit to the form: its cookie and CSRF token. */
async function visit(url = '/speak-up', base = server.url) {
  const r = await anon('GET', url, { base });
  assert.equal(r.status, 200, r.text);
  const cookie = formCookie(r);
  assert.ok(cookie, 'the form cookie is set');
  return { cookie, token: csrf(r.text), page: r.text };
}

/** Makes a report through the four steps; its reference and passphrase. */
async function report(answers) {
  const { cookie, token } = await visit();
  const a = { who: 'staff', home: String(homeId), person_name: '', person_role: '', what: 'something happened',
    child_name: '', dob_day: '', dob_month: '', dob_year: '', about: 'nothing', first_name: '', contact: '', ...answers };
  let carried = {};
  const byStep = [['who'], ['home', 'person_name', 'person_role'], ['what', 'child_name', 'dob_day', 'dob_month', 'dob_year'],
    ['about', 'first_name', 'contact']];
  let r;
  for (let step = 1; step <= 4; step++) {
    const form = { csrf_token: token, step: String(step), ...carried };
    for (const k of byStep[step - 1]) form[k] = a[k];
    r = await anon('POST', '/speak-up', { cookie, form });
    assert.equal(r.status, 200, `step ${step}: ${visible(r.text).slice(0, 400)}`);
    // The next page carries the answers so far as hidden fields: take them as a browser would send them.
    carried = {};
    for (const m of r.text.matchAll(/<input type="hidden" name="([a-z_]+)" value="([^"]*)">/g)) {
      if (m[1] !== 'csrf_token' && m[1] !== 'step') carried[m[1]] = m[2].replace(/&amp;/g, '&').replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'");
    }
  }
  const ref = /<strong id="ref">([^<]+)<\/strong>/.exec(r.text)?.[1];
  const pass = /<strong id="pass">([^<]+)<\/strong>/.exec(r.text)?.[1];
  assert.match(ref, /^SU-[A-HJKMNP-TV-Z2-9]{4}-[A-HJKMNP-TV-Z2-9]{4}$/);
  assert.match(pass, /^[a-z]+( [a-z]+){4}$/);
  return { ref, pass, page: r.text };
}

async function openThread(ref, passphrase, add) {
  const { cookie, token } = await visit('/speak-up/return');
  const form = { csrf_token: token, ref, passphrase };
  if (add) form.add = add;
  return anon('POST', '/speak-up/return', { cookie, form });
}

// ---- people ----

async function webSignIn(username) {
  return signInAs(server.url, area.db, username, { password: PASSWORD, secrets });
}

async function page(who, url) {
  const res = await fetch(`${server.url}${url}`, { headers: { cookie: cookies[who] }, redirect: 'manual' });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

async function post(who, url, form) {
  let p = await page(who, '/');
  if (p.status === 303) p = await page(who, p.headers.get('location'));
  const token = csrf(p.text);
  assert.ok(token, `${who} has a page with a CSRF token`);
  const res = await fetch(`${server.url}${url}`, {
    method: 'POST', redirect: 'manual',
    headers: { cookie: cookies[who], 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
    body: new URLSearchParams({ csrf_token: token, ...form }),
  });
  return { status: res.status, text: await res.text(), location: res.headers.get('location') };
}

// The reports through the CLI (safeguard speakup reports), not SQL.
const reportOf = (ref) => {
  const [r] = speakupReports(area.db, { ref });
  assert.ok(r, `no report ${ref}`);
  assert.equal(r.ref, ref);
  return r;
};
const reportId = (ref) => reportOf(ref).id;
const reportCount = () => speakupReports(area.db).length;
const messageCount = () => speakupReports(area.db).reduce((n, r) => n + r.messages, 0);

before(async () => {
  area = freshArea('speakup');
  homeId = addHomes(area.db, [
    { urn: 'SC900001', name: 'Larch House', provider: 'Evergreen Care Ltd', la_code: '383', postcode: 'LS6 2AB', places: 4, specialism: 'general' },
    { urn: 'SC900002', name: 'Birch Lodge', provider: 'Evergreen Care Ltd', la_code: '383', postcode: 'LS7 1CD', places: 3, specialism: 'general' },
  ]).SC900001;
  for (const [u, agency, role] of PEOPLE) secrets[u] = addPerson(area.db, u, agency, role, PASSWORD);
  server = await startServer(area.db);
  const ev = await postEvent(server.url, area.tokens.social_care, {
    source_ref: 'su-child-1', kind: 'concern', occurred_at: isoSeconds(now() - 86400000), summary: 'Placed at Larch House',
    subject: subject({ given_name: 'Robin', family_name: 'Ashdown', dob: '2012-03-27' }),
  });
  assert.equal(ev.status, 201, ev.text);
  childId = ev.json.child_id;
  for (const [u] of PEOPLE) cookies[u] = await webSignIn(u);
});

after(async () => {
  try {
    if (server) await server.stop();
  } finally {
    removeDir(area?.dir);
  }
});

describe('making a report', () => {
  test('every speak-up page has the quick exit, works as plain HTML and keeps no session', async () => {
    for (const url of ['/speak-up', '/speak-up/easy', '/speak-up/return']) {
      const r = await anon('GET', url);
      assert.equal(r.status, 200, url);
      assert.match(r.text, /class="govuk-button govuk-button--warning govuk-exit-this-page__button[^"]*"[^>]*rel="nofollow noreferrer"|govuk-exit-this-page__button/);
      assert.match(visible(r.text), /Leave this site quickly/);
      assert.match(r.text, /<a href="https:\/\/www\.bbc\.co\.uk\/weather"/, `${url}: the exit is a link that works without JavaScript`);
      assert.ok(!(r.headers['set-cookie'] || []).some((c) => /sg_session|Max-Age|Expires/i.test(c)), `${url}: only a browser-session form cookie`);
    }
    const easy = await anon('GET', '/speak-up/easy');
    assert.ok((easy.text.match(/<svg class="sg-easy__pic"/g) || []).length >= 3, 'pictures beside the sentences');
  });

  test('the steps ask one thing a page, say what is missing, and end with a reference and a passphrase', async () => {
    const { cookie, token } = await visit();
    const none = await anon('POST', '/speak-up', { cookie, form: { csrf_token: token, step: '1' } });
    assert.equal(none.status, 400);
    assert.match(none.text, /govuk-error-summary/);
    assert.match(visible(none.text), /Choose who is telling us/);
    const s2 = await anon('POST', '/speak-up', { cookie, form: { csrf_token: token, step: '1', who: 'child' } });
    assert.equal(s2.status, 200);
    assert.match(s2.text, /<input type="hidden" name="who" value="child">/);
    assert.match(s2.text, /Larch House \(LS6\)/, 'homes by name and town');
    const nothing = await anon('POST', '/speak-up', { cookie, form: { csrf_token: token, step: '2', who: 'child', home: '' } });
    assert.equal(nothing.status, 400, 'a home, "I don\'t know" or a person');
    const before = { reports: reportCount(), incidents: homeIncidents(area.db, { home: homeId }).length };
    const { ref, pass } = await report({ who: 'child', what: 'A night worker locks us in our rooms.', first_name: 'Kim',
      contact: 'kim@example.org' }); // typed, then "Nothing" chosen: neither is kept
    assert.equal(reportCount(), before.reports + 1);
    const hash = sql(area.db, `select pass_hash from speakup_report where id = ${reportId(ref)}`);
    assert.match(hash, /^\$argon2id\$/, 'the passphrase is kept only as its hash');
    const made = reportOf(ref);
    assert.deepEqual([made.about, made.first_name, made.contact, made.who, made.state], ['nothing', '', '', 'child', 'new'],
      'only what the reporter chose to tell');
    assert.ok(!holdsBytes(databaseBytes(area.db), Buffer.from(pass)), 'the passphrase is not in the database');
    assert.equal(homeIncidents(area.db, { home: homeId, type: 'allegation' }).length, before.incidents + 1,
      'a report about a home counts in its oversight as an allegation');
    assert.equal(made.home_id, homeId);
  });

  test('a form without its cookie, or with another token, is refused and writes nothing', async () => {
    const n = reportCount();
    const { token } = await visit();
    const noCookie = await anon('POST', '/speak-up', { form: { csrf_token: token, step: '4', who: 'staff' } });
    assert.equal(noCookie.status, 403);
    const { cookie } = await visit();
    const wrong = await anon('POST', '/speak-up', { cookie, form: { csrf_token: 'x'.repeat(43), step: '1', who: 'staff' } });
    assert.equal(wrong.status, 403);
    assert.equal(reportCount(), n);
  });

  test('the easy-read form sends a report in one page', async () => {
    const { cookie, token } = await visit('/speak-up/easy');
    const bad = await anon('POST', '/speak-up', { cookie, form: { csrf_token: token, easy: '1', who: 'child', what: '' } });
    assert.equal(bad.status, 400);
    assert.match(visible(bad.text), /Tell us what happened/);
    assert.match(bad.text, /sg-easy/, 'the error is shown on the easy-read page');
    const ok = await anon('POST', '/speak-up', { cookie, form: { csrf_token: token, easy: '1', who: 'child',
      what: 'They shout at me', home: 'unknown', first_name: 'Sam' } });
    assert.equal(ok.status, 200, visible(ok.text).slice(0, 300));
    const ref = /<strong id="ref">([^<]+)</.exec(ok.text)[1];
    const easy = reportOf(ref);
    assert.deepEqual([easy.about, easy.first_name, easy.home_unknown, easy.home_id], ['first_name', 'Sam', true, 0]);
    const nameless = await anon('POST', '/speak-up', { cookie, form: { csrf_token: token, easy: '1', who: 'child', what: 'No name', home: 'unknown' } });
    assert.equal(nameless.status, 200, 'the first name may be left out');
    const ref2 = /<strong id="ref">([^<]+)</.exec(nameless.text)[1];
    assert.deepEqual([reportOf(ref2).about, reportOf(ref2).first_name], ['nothing', '']);
  });
});

describe('coming back', () => {
  test('a wrong reference and a wrong passphrase get the same answer; the right pair shows the report', async () => {
    const { ref, pass } = await report({ what: 'The manager told us not to tell anyone.' });
    const wrongPass = await openThread(ref, 'apple apple apple apple apple');
    const wrongRef = await openThread('SU-2222-2222', pass);
    assert.equal(wrongPass.status, 400);
    assert.equal(wrongRef.status, 400);
    const msg = (r) => /<p id="ref-error" class="govuk-error-message">([\s\S]*?)<\/p>/.exec(r.text)?.[1];
    assert.ok(msg(wrongPass));
    assert.equal(msg(wrongPass), msg(wrongRef), 'one answer whichever part is wrong');
    const right = await openThread(ref.toLowerCase().replace(/-/g, ' '), pass.toUpperCase());
    assert.equal(right.status, 200, visible(right.text).slice(0, 300));
    assert.match(visible(right.text), /The manager told us not to tell anyone\./);
    assert.match(visible(right.text), /No reply yet/);
  });

  test('five wrong passphrases make the reference wait, even for the right one', async () => {
    const { ref, pass } = await report({ what: 'guess me' });
    for (let i = 0; i < 5; i++) assert.equal((await openThread(ref, `wrong words here now ${'abcde'[i]}`)).status, 400);
    const locked = await openThread(ref, pass);
    assert.equal(locked.status, 400, 'throttled: the same answer as a wrong pair');
    assert.equal(auditRows(area.db, { action: 'speakup.throttled', object: `speakup:${reportId(ref)}` }).length, 1);
  });
});

describe('the reviewers', () => {
  test('the oversight analyst triages a report, replies, and the reporter reads the reply and adds more', async () => {
    const marker = 'Marker-7781 the driver hits the younger ones';
    const { ref, pass } = await report({ what: `${marker} <script>alert(1)</script> see https://evil.example/x`,
      person_name: 'Dan Driver', person_role: 'driver', about: 'contact', first_name: 'Lee', contact: '07700 900123' });
    const id = reportId(ref);
    const q = await page('su.analyst', '/speak-up/reports');
    assert.equal(q.status, 200);
    assert.match(q.text, new RegExp(`href="/speak-up/reports/${id}">${ref}<`));
    const lq = await page('su.lado', '/speak-up/reports');
    assert.equal(lq.status, 200, "the LADO's queue has it too");
    assert.match(lq.text, new RegExp(`href="/speak-up/reports/${id}">${ref}<`));
    const one = await page('su.analyst', `/speak-up/reports/${id}`);
    assert.equal(one.status, 200);
    assert.match(one.text, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/, 'escaped');
    assert.doesNotMatch(one.text, /<script>alert/);
    assert.doesNotMatch(one.text, /href="https:\/\/evil/, 'no link made of a reporter\'s text');
    assert.match(visible(one.text), /first name Lee; contact: 07700 900123/);
    const nfa = await post('su.analyst', `/speak-up/reports/${id}/triage`, { outcome: 'no_further_action', reason: '' });
    assert.equal(nfa.status, 400, 'no further action needs a reason');
    const t = await post('su.analyst', `/speak-up/reports/${id}/triage`, { outcome: 'lado', reason: 'Allegation against a driver' });
    assert.equal(t.status, 303, t.text);
    assert.match(visible((await page('su.analyst', `/speak-up/reports/${id}`)).text),
      /Outcome [^<]*Allegation against a driver \(su\.analyst, /, 'triaged by the analyst, with the reason');
    const rp = await post('su.analyst', `/speak-up/reports/${id}/reply`, { reply: 'Thank you. We have passed this to the LADO today.' });
    assert.equal(rp.status, 303);
    for (const action of ['speakup.list', 'speakup.read', 'speakup.triage', 'speakup.reply']) {
      assert.ok(auditRows(area.db, { action }).filter((e) => /^user:.*:su\.analyst$/i.test(e.actor)).length >= 1, action);
    }
    const thread = await openThread(ref, pass, 'He did it again on Friday.');
    assert.equal(thread.status, 200);
    assert.match(visible(thread.text), /Thank you\. We have passed this to the LADO today\./);
    assert.match(visible(thread.text), /He did it again on Friday\./);
    const again = await page('su.analyst', `/speak-up/reports/${id}`);
    assert.match(visible(again.text), /He did it again on Friday\./, 'the reviewer sees what was added');
  });

  test('no other role reaches a reviewer\'s route, and the report\'s words reach no page they can open', async () => {
    const marker = 'Marker-5512 the deputy manager';
    const { ref } = await report({ what: marker });
    const id = reportId(ref);
    const n = messageCount();
    for (const u of REFUSED) {
      for (const url of ['/speak-up/reports', `/speak-up/reports/${id}`]) {
        const r = await page(u, url);
        assert.equal(r.status, 403, `${u} ${url}`);
        assert.ok(!r.text.includes('Marker-5512'), `${u} ${url}`);
      }
      for (const [url, form] of [[`/speak-up/reports/${id}/triage`, { outcome: 'no_further_action', reason: 'x' }],
        [`/speak-up/reports/${id}/reply`, { reply: 'from the home' }]]) {
        const r = await post(u, url, form);
        assert.equal(r.status, 403, `${u} POST ${url}`);
      }
      // Every page their landing page links to, one step deep: the words nowhere.
      const home = await page(u, '/');
      const start = home.status === 303 ? await page(u, home.headers.get('location')) : home;
      assert.ok(!start.text.includes('Marker-5512'));
      const links = [...new Set([...start.text.matchAll(/href="(\/[^"#?]*)"/g)].map((m) => m[1]))]
        .filter((l) => !l.startsWith('/assets') && !l.startsWith('/speak-up')).slice(0, 30);
      for (const l of links) {
        const r = await page(u, l);
        assert.ok(!r.text.includes('Marker-5512'), `${u} ${l}`);
        assert.ok(!r.text.includes(`/speak-up/reports/${id}`), `${u} ${l}`);
      }
    }
    assert.match(visible((await page('su.analyst', `/speak-up/reports/${id}`)).text), /Outcome Not triaged yet/,
      'nothing triaged by them');
    assert.equal(messageCount(), n, 'nothing replied by them');
    assert.deepEqual([reportOf(ref).state, reportOf(ref).outcome, reportOf(ref).messages], ['new', '', 0], 'nothing triaged by them');
  });

  test('a report linked to a child is on the child\'s chronology for those who may see it', async () => {
    const { ref } = await report({ what: 'Marker-9034 Robin has bruises', child_name: 'Robin Ashdown', dob_day: '27', dob_month: '3', dob_year: '2012' });
    const id = reportId(ref);
    const none = await post('su.analyst', `/speak-up/reports/${id}/triage`, { outcome: 'social_worker', reason: '', child_id: '999999' });
    assert.equal(none.status, 400, 'no such child: nothing saved');
    const t = await post('su.analyst', `/speak-up/reports/${id}/triage`, { outcome: 'social_worker', reason: '', child_id: String(childId) });
    assert.equal(t.status, 303, t.text);
    const chron = await getChronology(server.url, area.tokens.social_care, childId, 'limit=500');
    assert.equal(chron.status, 200, chron.text);
    assert.equal(chron.json.events.filter((e) => e.kind === 'speak_up').length, 1, 'on the chronology once');
    const sw = await page('su.worker', `/children/${childId}`);
    assert.equal(sw.status, 200, 'children\'s social care reads its own agency\'s events of the child');
    assert.match(visible(sw.text), /Marker-9034 Robin has bruises/);
    const police = await page('su.police', `/children/${childId}`);
    assert.equal(police.status, 403, 'need-to-know: the police have no relationship with the child');
    assert.ok(!police.text.includes('Marker-9034'));
  });
});

describe('safeguard speakup reports', () => {
  test('lists where each report stands, never its words or hash; --ref as the reporter typed it; audited; misuse 2', async () => {
    const { ref } = await report({ what: 'Marker-6620 words the list never prints', about: 'contact', first_name: 'Ash',
      contact: 'ash@example.org', person_name: 'Named Person' });
    const id = reportId(ref);
    const t = await post('su.analyst', `/speak-up/reports/${id}/triage`, { outcome: 'lado', reason: 'Marker-6621 the reason' });
    assert.equal(t.status, 303, t.text);
    const [r] = speakupReports(area.db, { ref: ref.toLowerCase().replace(/-/g, ' ') });
    assert.equal(r.ref, ref, 'the reference as typed finds the report; shown as given');
    assert.deepEqual([r.id, r.who, r.home_id, r.home_name, r.home_unknown, r.about, r.first_name, r.contact, r.state, r.outcome,
      r.triaged_by, r.child_id, r.messages], [id, 'staff', homeId, 'Larch House', false, 'contact', 'Ash', 'ash@example.org',
      'triaged', 'lado', 'su.analyst', 0, 0]);
    assert.ok(r.triaged_at >= r.created_at && r.created_at.endsWith('Z'));
    const all = speakupReports(area.db);
    assert.ok(all.some((x) => x.id === id));
    assert.deepEqual(all.filter((x) => x.state === 'new').length ? all.findIndex((x) => x.state !== 'new') : 0,
      all.filter((x) => x.state === 'new').length, 'new reports first');
    const tsv = runCli(['speakup', 'reports', '--db', dbUrl(area.db), '--ref', ref]).stdout;
    assert.ok(!/Marker-66|Named Person|argon2/.test(tsv), 'no words, no names in it, no hash');
    const [head, line, rest] = tsv.split('\n');
    assert.equal(head, 'id\tref\tcreated_at\twho\thome_id\thome_name\thome_unknown\tabout\tfirst_name\tcontact\tstate\t'
      + 'outcome\ttriaged_by\ttriaged_at\tchild_id\tincident_id\tmessages');
    assert.equal(line.split('\t').slice(0, 12).join('|'), `${id}|${ref}|${r.created_at}|staff|${homeId}|Larch House|0|contact|Ash|ash@example.org|triaged|lado`);
    assert.equal(rest, '');
    assert.deepEqual(speakupReports(area.db, { ref: 'SU-2222-2222' }), []);
    const e = auditRows(area.db, { action: 'speakup.list', limit: 1 })[0];
    assert.deepEqual([e.actor, e.child_id, e.detail], ['cli', 0, "operator's list: speak-up reports; one reference"]);
    const audits = auditRows(area.db, { action: 'speakup.list' }).length;
    for (const [args, re] of [[['--ref', 'nope'], /--ref must be a speak-up reference/], [['--nope'], /unknown option --nope/],
      [['--ref'], /--ref/]]) {
      const bad = runCli(['speakup', 'reports', '--db', dbUrl(area.db), ...args], { check: false });
      assert.equal(bad.status, 2, args.join(' '));
      assert.match(bad.stderr, re);
    }
    const none = runCli(['speakup', 'reports'], { check: false });
    assert.equal(none.status, 2);
    assert.match(none.stderr, /--db URL is required/);
    assert.equal(auditRows(area.db, { action: 'speakup.list' }).length, audits, 'misuse reads nothing');
  });

  test('links the child a report was linked to, until that child\'s record is sealed', async () => {
    const ev = await postEvent(server.url, area.tokens.social_care, {
      source_ref: 'su-child-sealed', kind: 'concern', occurred_at: isoSeconds(now() - 86400000), summary: 'Known to us',
      subject: subject({ given_name: 'Morwenna', family_name: 'Treloar', dob: '2013-08-14' }),
    });
    assert.equal(ev.status, 201, ev.text);
    const child = ev.json.child_id;
    const { ref } = await report({ what: 'Marker-6640 about Morwenna', child_name: 'Morwenna Treloar' });
    const t = await post('su.analyst', `/speak-up/reports/${reportId(ref)}/triage`, { outcome: 'social_worker', reason: '', child_id: String(child) });
    assert.equal(t.status, 303, t.text);
    const [before] = speakupReports(area.db, { ref });
    assert.deepEqual([before.child_id, before.state], [child, 'triaged'], 'the operator sees which record it went to');
    runCli(['seal', '--db', dbUrl(area.db), '--child', String(child), '--basis', 'adoption']);
    const [after] = speakupReports(area.db, { ref });
    assert.deepEqual([after.id, after.child_id, after.state], [before.id, 0, 'triaged'],
      'a sealed child is not named by the operator\'s list: the report is still there, its link is not');
    assert.ok(!speakupReports(area.db).some((r) => r.child_id === child), 'nor in the whole list');
  });
});

describe('what is kept, and the limits', () => {
  test('no client address and no user agent in the database, its log or the server\'s output', async () => {
    await report({ what: 'one more, for the record' });
    // The SQLite file and its write-ahead log; on PostgreSQL every row of the area's database (pg_dump).
    const kept = databaseBytes(area.db);
    assert.ok(kept.length >= 1);
    assert.ok(!holdsBytes(kept, REPORTER_ADDRESS), 'the database holds the reporter\'s address');
    assert.ok(!holdsBytes(kept, 'unique-agent-31415'), 'the database holds the user agent');
    assert.ok(!server.stderr.includes(REPORTER_ADDRESS) && !server.stdout.includes(REPORTER_ADDRESS));
    assert.ok(!server.stderr.includes('unique-agent-31415') && !server.stdout.includes('unique-agent-31415'));
    assert.deepEqual(signinAttempts(area.db).filter((a) => a.remote.startsWith('127.0.0.23')), []);
  });

  test('a body over the limit is refused; a report too long names the field', async () => {
    const { cookie, token } = await visit();
    const big = await anon('POST', '/speak-up', { cookie, raw: `csrf_token=${token}&step=3&what=${'a'.repeat(70 * 1024)}` });
    assert.equal(big.status, 413);
    const long = await anon('POST', '/speak-up', { cookie, form: { csrf_token: token, step: '3', who: 'staff', home: 'unknown', what: 'a'.repeat(2001) } });
    assert.equal(long.status, 400);
    assert.match(visible(long.text), /What happened must be 2,000 characters or fewer/);
  });

  test('the day\'s reports and a burst are limited without counting anyone\'s address', async () => {
    // The day: reports from everyone together, counted in the store by UTC day, then 429 and nothing written. A
    // second server of the same area takes the reports made today and two more (serve --speak-up-per-day), its clock
    // the one clock moved to noon of the same day, so that no midnight passes between the count and the tries.
    const at = now();
    const dayStart = at - (at % 86400e3);
    const made = speakupReports(area.db).filter((r) => r.created_at >= isoSeconds(dayStart)).length;
    const day = await startServer(area.db, {
      extraArgs: ['--speak-up-per-day', String(made + 2)],
      env: clockMovedOn(Math.round((dayStart + 12 * 3600e3 - at) / 1000)),
    });
    try {
      const easy = async (what) => {
        const { cookie, token } = await visit('/speak-up/easy', day.url);
        return anon('POST', '/speak-up', { base: day.url, cookie, form: { csrf_token: token, easy: '1', about: 'nothing', who: 'other', what, home: 'unknown' } });
      };
      const before = reportCount();
      for (const what of ['the day\'s last but one', 'the day\'s last']) {
        const r = await easy(what);
        assert.equal(r.status, 200, visible(r.text).slice(0, 300));
      }
      const total = reportCount();
      assert.equal(total, before + 2);
      const full = await easy('one too many');
      assert.equal(full.status, 429);
      assert.equal(reportCount(), total, 'nothing written past the day\'s allowance');
    } finally {
      await day.stop();
    }
    // A burst: the bucket of everyone together holds 20 reports; at most that many more are taken at once.
    let limited = 0;
    for (let i = 0; i < 25 && !limited; i++) {
      const { cookie, token } = await visit('/speak-up/easy');
      const r = await anon('POST', '/speak-up', { cookie, form: { csrf_token: token, easy: '1', about: 'nothing', who: 'other', what: `burst ${i}`, home: 'unknown' } });
      if (r.status === 429) limited++;
      else assert.equal(r.status, 200);
    }
    assert.equal(limited, 1, 'the burst is stopped');
  });
});
