// issue 17, item 4: failure. A PostgreSQL primary with a synchronous streaming replica (scripts/pg-replica.sh:
// pg_basebackup -R, synchronous_standby_names = '*', so a COMMIT returns only once the replica has it), and two
// `safeguard serve` on the multi-host URL `host=PRIMARY,REPLICA&target_session_attrs=read-write`. During an
// intake burst from several clients the primary's postmaster is killed with SIGKILL and the replica promoted;
// nothing is done to the servers. Shown: every event answered 201 before the kill is in the database; a request
// the outage cut off is answered 503 with Retry-After (never 500, never a 201 for what was not kept); requests
// after the promotion succeed without restarting the servers (the pool drops lost connections, and libpq finds
// the new primary); each event answered 503 sent again is stored once (201, or 200 when its commit had reached
// the replica: intake is idempotent by agency and source_ref); `safeguard audit verify` passes with one
// entry an event. Then fencing (docs/SCALING.md "Fencing"): the killed primary is started again, alone, as a
// primary on its old timeline (an operator's restart); the servers' connections are cut so that they connect
// again (libpq would take the old primary first: it is first in the URL and accepts writes), more intake is
// sent: every event is stored on the new primary, none reaches the old one; a third server whose URL names the
// old primary alone (running since before the failover) answers 503 rather than write there, and so do the CLI's
// commands on that URL; `safeguard audit verify` passes on the new primary. Bounded waits only. Skipped by name
// where PostgreSQL is not installed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { auditEntries, count, dbUrl, event, postEvent, runCli, sql, startServer } from './lib.mjs';
import { replicaArea, replicaInstalled } from './pg_cluster.mjs';

const CLIENTS_PER_SERVER = 3;
const BEFORE_KILL = 60;      // acknowledged events before the primary is killed
const AFTER_PROMOTION = 8;   // each client's events after the promotion, all answered 201
const MAX_PER_CLIENT = 2000; // a bound on every client's loop
const AFTER_RESTART = 4;     // each server's events once the old primary runs again

/** The area's database on one host of the pair alone: 0 the (old) primary, 1 the replica (the new primary). */
function oneHost(db, i) {
  const u = new URL(dbUrl(db));
  u.searchParams.set('host', u.searchParams.get('host').split(',')[i]);
  u.searchParams.delete('target_session_attrs');
  return u.toString();
}

/** One value from psql on a URL (the tests' sql() would follow the pair's URL, which may reach the old primary). */
function psqlAt(url, query) {
  const r = spawnSync('psql', [url, '-X', '-A', '-t', '-q', '-v', 'ON_ERROR_STOP=1', '-c', query], { encoding: 'utf8' });
  assert.equal(r.status, 0, `psql: ${r.stderr}`);
  return r.stdout.trim();
}

const WRITES = "select (select count(*) from source_record) || ' ' || (select count(*) from audit) || ' ' || " +
  '(select count(*) from api_client)';

describe('failover to a synchronous replica during an intake burst',
  { skip: replicaInstalled ? false : 'skipped suite postgresql: initdb or pg_basebackup not found' }, () => {
    let set;
    let area;
    let servers = [];
    let oldOnly; // a server whose URL names the primary alone: it must never write there once it is old

    before(async () => {
      set = replicaArea('pg-failover');
      area = set.area;
      servers = await Promise.all([startServer(area.db), startServer(area.db)]);
      oldOnly = await startServer(area.db, { db: oneHost(area.db, 0), env: { SAFEGUARD_DATA_DIR: `${area.db}.data` } });
      const r = await postEvent(oldOnly.url, area.tokens.police, event({ source_ref: 'OLD-ONLY-0' }));
      assert.equal(r.status, 201, `the primary-only server writes while it is the primary: ${r.text}`);
    });

    after(async () => {
      try {
        for (const s of [...servers, oldOnly]) if (s?.isAlive()) await s.stop();
      } finally {
        set?.close();
      }
    });

    test('every acknowledged event survives; the servers recover by themselves; audit verify passes', async (t) => {
      const token = area.tokens.police;
      const auditBefore = auditEntries(area.db);
      const answers = []; // {ref, status, retryAfter, phase}
      let acknowledged = 0;
      let phase = 'before'; // before -> outage (kill sent) -> promoted
      let killed;

      const client = async (s, c) => {
        let afterPromotion = 0;
        for (let i = 0; i < MAX_PER_CLIENT && afterPromotion < AFTER_PROMOTION; i++) {
          const ref = `FO-${s.port}-${c}-${i}`;
          const sentIn = phase;
          const r = await postEvent(s.url, token, event({ source_ref: ref }, { given_name: `Fo${c}x${i}`, family_name: `Port${s.port}` }));
          answers.push({ ref, status: r.status, retryAfter: r.headers.get('retry-after'), sentIn, body: r.text });
          if (r.status === 201 && sentIn === 'before') acknowledged++;
          if (sentIn === 'promoted') {
            if (r.status === 201) afterPromotion++;
          }
          // the kill, once enough was acknowledged (one client starts it; the others keep sending throughout)
          if (phase === 'before' && acknowledged >= BEFORE_KILL && !killed) {
            phase = 'outage';
            killed = (async () => {
              await set.runAsync('kill-primary');
              await set.runAsync('promote');
              phase = 'promoted';
            })();
          }
          if (r.status !== 201 && r.status !== 503) break; // anything else fails the test below
          if (r.status === 503 && killed) await killed; // a feed told to wait: here, until the promotion
        }
      };
      const jobs = [];
      for (const s of servers) for (let c = 0; c < CLIENTS_PER_SERVER; c++) jobs.push(client(s, c));
      await Promise.all(jobs);
      await killed;
      assert.ok(killed, 'the primary was killed during the burst');

      for (const p of ['before', 'outage', 'promoted']) {
        const inPhase = answers.filter((a) => a.sentIn === p);
        t.diagnostic(`${p}: ${inPhase.length} sent, ${inPhase.filter((a) => a.status === 201).length} answered 201, ` +
          `${inPhase.filter((a) => a.status === 503).length} answered 503`);
      }
      // Only 201 or 503 (with Retry-After): nothing half-done, no 500.
      const odd = answers.filter((a) => a.status !== 201 && a.status !== 503);
      assert.deepEqual(odd, [], 'every answer is 201 or 503');
      const refused = answers.filter((a) => a.status === 503);
      for (const a of refused) {
        assert.equal(a.retryAfter, '1', `${a.ref}: 503 says when to try again`);
        assert.match(a.body, /"code":"unavailable"/);
      }
      assert.ok(refused.length >= 1, 'the outage was seen by at least one request');
      // After the promotion every client got its events stored, from both servers, with no restart.
      const late = answers.filter((a) => a.sentIn === 'promoted');
      assert.deepEqual(late.filter((a) => a.status !== 201), [], 'sent after the promotion: every one stored');
      assert.equal(late.length, servers.length * CLIENTS_PER_SERVER * AFTER_PROMOTION);
      for (const s of servers) assert.ok(s.isAlive(), 'the server was not restarted');

      // Every event answered 201 is in the new primary's database, exactly once.
      const stored = new Set(sql(area.db, "select source_ref from source_record where source_ref like 'FO-%'").split('\n'));
      const ok = answers.filter((a) => a.status === 201);
      for (const a of ok) assert.ok(stored.has(a.ref), `${a.ref} was acknowledged (${a.sentIn}) and must be kept`);
      assert.ok(ok.filter((a) => a.sentIn === 'before').length >= BEFORE_KILL);

      // The feeds send again what was answered 503: each is stored once (201, or 200 if its commit had reached
      // the replica before the primary died).
      for (const a of refused) {
        const again = await postEvent(servers[0].url, token, event({ source_ref: a.ref },
          { given_name: a.ref.replace(/^FO-\d+-(\d+)-(\d+)$/, 'Fo$1x$2'), family_name: `Port${a.ref.split('-')[1]}` }));
        assert.ok(again.status === 201 || again.status === 200, `${a.ref} again: ${again.status} ${again.text}`);
      }
      const all = new Set(answers.map((a) => a.ref));
      assert.equal(count(area.db, 'source_record', "source_ref like 'FO-%'"), all.size, 'every event once');

      // One unbroken chain on the new primary: one event.create an event stored.
      assert.equal(auditEntries(area.db) - auditBefore, all.size);
      assert.equal(sql(area.db, 'select pg_is_in_recovery()'), 'f');

      // ---- fencing: the old primary comes back ----
      const oldUrl = oneHost(area.db, 0);
      const newUrl = oneHost(area.db, 1);
      const dataDir = { SAFEGUARD_DATA_DIR: `${area.db}.data` };
      set.run('restart-old-primary');
      assert.equal(psqlAt(oldUrl, 'select pg_is_in_recovery()'), 'f', 'the old primary is back as a primary: it would take writes');
      const oldBefore = psqlAt(oldUrl, WRITES);
      const auditNew = auditEntries(area.db);
      // the servers connect again: their connections on the new primary cut (they would be reused otherwise)
      psqlAt(newUrl, 'select count(*) from (select pid from pg_stat_activity where datname = current_database() ' +
        "and backend_type = 'client backend' and pid <> pg_backend_pid() offset 0) s where pg_terminate_backend(pid, 5000)");
      const more = [];
      for (const s of servers) {
        for (let i = 0; i < AFTER_RESTART; i++) more.push(postEvent(s.url, token, event({ source_ref: `FENCE-${s.port}-${i}` })));
      }
      const moreAnswers = await Promise.all(more);
      for (const r of moreAnswers) assert.equal(r.status, 201, `intake with the old primary back: ${r.text}`);
      // the server that names the old primary alone refuses to write there
      const refusedOld = await postEvent(oldOnly.url, token, event({ source_ref: 'OLD-ONLY-1' }));
      assert.equal(refusedOld.status, 503, `the primary-only server: ${refusedOld.text}`);
      assert.ok(oldOnly.isAlive());
      await oldOnly.waitForStderr(/old primary back after a failover/);
      // and so do commands on that URL, a write and a read alike
      const tokenOld = runCli(['token', 'create', '--db', oldUrl, '--agency', 'police', '--label', 'fenced'], { check: false, env: dataDir });
      assert.notEqual(tokenOld.status, 0, 'a command on the old primary refuses');
      assert.match(tokenOld.stderr, /timeline 1 of a database that has moved on to timeline 2/);
      const verifyOld = runCli(['audit', 'verify', '--db', oldUrl], { check: false, env: dataDir });
      assert.notEqual(verifyOld.status, 0);
      // nothing reached the old primary
      assert.equal(psqlAt(oldUrl, WRITES), oldBefore, 'no write reached the old primary');
      assert.equal(psqlAt(oldUrl, "select count(*) from source_record where source_ref like 'FENCE-%' or source_ref = 'OLD-ONLY-1'"), '0');
      // every one is on the new primary, once, and the chain verifies there (through the pair's URL and alone)
      assert.equal(psqlAt(newUrl, "select count(*) from source_record where source_ref like 'FENCE-%'"), String(more.length));
      assert.equal(auditEntries(area.db), auditNew + more.length);
      const verifyNew = runCli(['audit', 'verify', '--db', newUrl], { env: dataDir });
      assert.match(verifyNew.stdout, new RegExp(`^audit chain verified: ${auditNew + more.length} entries`, 'm'));
    });
  });
