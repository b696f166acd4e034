// issue 17, item 3: several servers, one database. A throwaway PostgreSQL cluster (scripts/pg-test.sh) with two
// `safeguard serve` on it, sharing one --data-dir (the keys). Shown here: a person's web session made on one
// server works on the other (pages, a POST with the session's CSRF token, signing out); sign-in throttling
// counts the failures made on both; concurrent intake on both lands every acknowledged event exactly once (an
// event sent to both at once is stored once: the second is a replay); the nightly sweep runs on one of them
// only (the day is claimed in the store: service/alerts.h); and `safeguard audit verify` passes with the
// entries the requests made. Skipped by name where PostgreSQL is not installed.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import {
  auditRows,
  addPerson, auditEntries, clockOffsetSeconds, createToken, event, freshArea, postEvent, removeDir, sessionCsrf,
  tokenRows,
  startServer, sweepRuns, tempDir, totp, newAuthenticator, webSignIn, rowCount,
} from './lib.mjs';
import { clusterArea, clusterInstalled } from './pg_cluster.mjs';


const PASSWORD = 'two servers one database 1';

/** Polls cond until it holds, at most boundMs (a bounded wait on what the servers print, never a fixed sleep). */
async function until(cond, boundMs, what) {
  const deadline = process.hrtime.bigint() + BigInt(boundMs) * 1000000n;
  while (!cond()) {
    assert.ok(process.hrtime.bigint() < deadline, `not within ${boundMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function form(url, cookie, fields) {
  return fetch(url, {
    method: 'POST', redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', origin: new URL(url).origin },
    body: new URLSearchParams(fields),
  });
}

describe('two servers on one PostgreSQL', { skip: clusterInstalled ? false : 'skipped suite postgresql: initdb not found' }, () => {
  let set;
  let area;
  let s1;
  let s2;
  const secrets = {};
  // The last test's area and its two servers, on a clock of their own 15 seconds before the sweep's 01:00. They
  // start in before(), so that those 15 seconds pass while the other tests run (the test waited them out alone:
  // about 13 s of the file's 19 s, ci91).
  let night;
  let pair = [];

  before(async () => {
    set = clusterArea('pg-two');
    area = set.area;
    secrets['ada.admin'] = addPerson(area.db, 'ada.admin', 'social_care', 'admin', PASSWORD);
    secrets['gus.guessed'] = addPerson(area.db, 'gus.guessed', 'social_care', 'social_worker', PASSWORD);
    // the same --db and the same data folder (lib.mjs gives both the area's): one set of keys
    // both at once, as servers restarted together do (they race to make the data folder's keys); one that did
    // start is kept for after() to stop even when the other did not
    const started = await Promise.allSettled([startServer(area.db), startServer(area.db)]);
    [s1, s2] = started.map((p) => (p.status === 'fulfilled' ? p.value : undefined));
    const refused = started.find((p) => p.status === 'rejected');
    if (refused) throw refused.reason;
    // An area of its own, on a clock of its own: both servers read the same instant, 15 seconds before the
    // sweep's 01:00 (a January day: England's clock is UTC's).
    night = freshArea('pg-two-night');
    const clock = { SAFEGUARD_NOW: `+${clockOffsetSeconds('2031-01-15T00:59:45Z')}` };
    const nightStarted = await Promise.allSettled([startServer(night.db, { env: clock }), startServer(night.db, { env: clock })]);
    pair = nightStarted.filter((p) => p.status === 'fulfilled').map((p) => p.value);
    const nightRefused = nightStarted.find((p) => p.status === 'rejected');
    if (nightRefused) throw nightRefused.reason;
  });

  after(async () => {
    try {
      for (const s of [s1, s2, ...pair]) if (s) await s.stop();
    } finally {
      removeDir(night?.dir);
      set?.close();
    }
  });

  test('a web session made on one server works on the other: pages, a POST with its CSRF token, signing out', async () => {
    const before0 = auditEntries(area.db);
    const cookie = await webSignIn(s1.url, area.db, 'ada.admin', { password: PASSWORD, secrets });
    assert.ok(cookie, 'signed in on server 1');
    // server 2 knows the session: the admin's page, not the sign-in page
    const teams = await fetch(`${s2.url}/admin/teams`, { headers: { cookie }, redirect: 'manual' });
    assert.equal(teams.status, 200);
    assert.match(await teams.text(), /<h1[^>]*>[^<]*Teams/);
    // the CSRF token shown by server 2 is the session's: server 1 takes it for a write
    const csrf = await sessionCsrf(s2.url, cookie);
    assert.ok(csrf);
    const refused = await form(`${s1.url}/admin/teams`, cookie, { code: 'west', name: 'West team', csrf_token: 'x'.repeat(csrf.length) });
    assert.equal(refused.status, 403, 'a wrong token is refused: the check is real');
    const saved = await form(`${s1.url}/admin/teams`, cookie, { code: 'west', name: 'West team', csrf_token: csrf });
    assert.equal(saved.status, 303, await saved.text());
    // what server 1 wrote, server 2 shows
    const after1 = await fetch(`${s2.url}/admin/teams`, { headers: { cookie } });
    assert.match(await after1.text(), /West team/);
    // signed out on server 2: server 1 no longer knows the session
    const out = await form(`${s2.url}/sign-out`, cookie, { csrf_token: csrf });
    assert.equal(out.status, 303);
    const gone = await fetch(`${s1.url}/admin/teams`, { headers: { cookie }, redirect: 'manual' });
    assert.equal(gone.status, 303);
    assert.match(gone.headers.get('location'), /^\/sign-in/);
    // one chain across both processes: sign-in, the team, sign-out
    const made = auditEntries(area.db) - before0;
    assert.equal(made, 4, "the new authenticator (lib's newAuthenticator), sign-in, the team and sign-out: one entry each");
    assert.equal(auditRows(area.db, { action: 'team.upsert', object: 'team:west' }).length, 1);
  });

  test('sign-in throttling counts the failures made on both servers', async () => {
    const signIn = (s, password) => fetch(`${s.url}/api/v1/sessions`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'gus.guessed', password, totp: totp(secrets['gus.guessed']) }),
    }).then(async (r) => { await r.text(); return r.status; });
    const answers = [];
    // five wrong passwords from this address, alternating servers: then both refuse this address that account
    for (let i = 0; i < 7; i++) answers.push(await signIn(i % 2 ? s2 : s1, `wrong guess ${i}`));
    assert.deepEqual(answers, [401, 401, 401, 401, 401, 429, 429]);
    secrets['gus.guessed'] = newAuthenticator(area.db, 'gus.guessed');
    assert.equal(await signIn(s1, PASSWORD), 429, 'the right password is refused too, on server 1');
    secrets['gus.guessed'] = newAuthenticator(area.db, 'gus.guessed');
    assert.equal(await signIn(s2, PASSWORD), 429, 'and on server 2');
  });

  test('concurrent intake on both servers lands every acknowledged event exactly once', async () => {
    const token = area.tokens.health;
    const auditBefore = auditEntries(area.db);
    const sources = rowCount(area.db, 'source_record');
    const CLIENTS = 4;
    const EACH = 30;
    const jobs = [];
    for (let c = 0; c < CLIENTS; c++) {
      for (const [k, s] of [[1, s1], [2, s2]]) {
        jobs.push((async () => {
          const out = [];
          for (let i = 0; i < EACH; i++) {
            const ref = `TWO-${k}-${c}-${i}`;
            const body = event({ source_ref: ref }, { given_name: `Kid${c}x${i}`, family_name: `Server${k}` });
            const r = await postEvent(s.url, token, body);
            out.push({ ref, body, status: r.status, id: r.json?.id });
          }
          return out;
        })());
      }
      // the same record sent to both servers at once, as a feed retrying on another server does
      jobs.push((async () => {
        const out = [];
        for (let i = 0; i < EACH / 3; i++) {
          const ref = `BOTH-${c}-${i}`;
          const body = event({ source_ref: ref }, { given_name: `Both${c}x${i}`, family_name: 'Twice' });
          const [a, b] = await Promise.all([postEvent(s1.url, token, body), postEvent(s2.url, token, body)]);
          out.push({ ref, body, status: a.status, id: a.json?.id, other: b.status, otherId: b.json?.id });
        }
        return out;
      })());
    }
    const results = (await Promise.all(jobs)).flat();
    for (const r of results) assert.ok(r.status === 201 || (r.other !== undefined && r.status === 200), `${r.ref}: ${r.status}`);
    const pairs = results.filter((r) => r.other !== undefined);
    for (const p of pairs) {
      assert.deepEqual([p.status, p.other].sort(), [200, 201], `${p.ref}: one stored it, the other replayed it`);
      assert.equal(p.id, p.otherId, `${p.ref}: the same event`);
    }
    const created = results.length;
    assert.equal(created, CLIENTS * (2 * EACH + EACH / 3));
    const ids = new Set(results.map((r) => r.id));
    assert.equal(ids.size, created, 'every acknowledged event has its own id');
    assert.equal(rowCount(area.db, 'source_record') - sources, created, 'each stored exactly once');
    // the audit chain is one unbroken sequence across both processes: one event.create an event
    assert.equal(auditEntries(area.db) - auditBefore, created);
    // and the records stored are these: each sent again, to the other server, is a replay answered 200 with the id
    // it was acknowledged with, and writes nothing
    for (const [i, r] of results.entries()) {
      const again = await postEvent((i % 2 ? s1 : s2).url, token, r.body);
      assert.equal(again.status, 200, `${r.ref}: ${again.status} ${again.text}`);
      assert.equal(again.json.id, r.id, r.ref);
    }
    assert.equal(rowCount(area.db, 'source_record') - sources, created, 'the replays wrote nothing');
  });

  test('a token revoked on one server is refused at once on the other, which kept it (the token cache)', async () => {
    const token = createToken(area.db, 'police', 'two servers, revoked on one');
    const id = tokenRows(area.db, { label: 'two servers, revoked on one' })[0].id;
    const send = (s, ref) => postEvent(s.url, token, event({ source_ref: ref }, { given_name: 'Rev', family_name: 'Oked' }));
    // each server has looked the token up and keeps it (service/tokens.h)
    const stored = rowCount(area.db, 'source_record');
    for (const [s, ref] of [[s1, 'REV-1'], [s2, 'REV-2'], [s1, 'REV-3'], [s2, 'REV-4']]) assert.equal((await send(s, ref)).status, 201, ref);
    assert.equal(rowCount(area.db, 'source_record'), stored + 4, 'the four records stored');
    const cookie = await webSignIn(s1.url, area.db, 'ada.admin', { password: PASSWORD, secrets });
    const csrf = await sessionCsrf(s1.url, cookie);
    const revoked = await form(`${s1.url}/admin/tokens/${id}/revoke`, cookie, { confirm: 'yes', csrf_token: csrf });
    assert.equal(revoked.status, 303, await revoked.text());
    for (const [s, ref] of [[s2, 'REV-5'], [s1, 'REV-6']]) {
      const r = await send(s, ref);
      assert.equal(r.status, 401, `${ref}: ${r.text}`);
      assert.equal(r.json.error.code, 'invalid_token');
    }
    assert.equal(rowCount(area.db, 'source_record'), stored + 4, 'nothing stored after the revocation');
  });

  test('the nightly sweep runs on one server only', async () => {
    // the two servers before() started on the night's area, 15 seconds before 01:00 on their clock
    assert.equal(pair.length, 2);
    const swept = (s) => /nightly sweep: \d+ children/.test(s.stderr);
    const skipped = (s) => /nightly sweep: another server has claimed tonight's; skipped here/.test(s.stderr);
    await until(() => pair.every((s) => swept(s) || skipped(s)), 60000, 'both servers reached 01:00');
    assert.equal(pair.filter(swept).length, 1, pair.map((s) => s.stderr).join('\n----\n'));
    assert.equal(pair.filter(skipped).length, 1);
    // which server ran the night's sweep, as the operator reads it (`safeguard sweep runs`)
    const rows = sweepRuns(night.db);
    assert.equal(rows.length, 1, JSON.stringify(rows));
    const winner = pair.find(swept);
    assert.equal(`${rows[0].day}|${rows[0].server}`, `2031-01-15|${fs.readFileSync('/proc/sys/kernel/hostname', 'utf8').trim()} pid ${winner.pid}`);
    auditEntries(night.db); // the chain verifies after the sweep's checkpoint
  });
});
