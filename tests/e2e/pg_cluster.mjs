// Throwaway PostgreSQL clusters with a fresh area made on each, for the e2e files that start their own instead of
// using SAFEGUARD_TEST_DB: one server (scripts/pg-test.sh: pg_two_servers, pg_commit_cut), or a primary with a
// synchronous streaming replica (scripts/pg-replica.sh: pg_failover, pg_read_replica).
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freshArea, removeDir, sql, tempDir } from './lib.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const pgReplica = path.join(root, 'scripts/pg-replica.sh');
const pgTest = path.join(root, 'scripts/pg-test.sh');
const pgBin = (tool) => fs.existsSync('/usr/lib/postgresql') &&
  fs.readdirSync('/usr/lib/postgresql').some((v) => fs.existsSync(`/usr/lib/postgresql/${v}/bin/${tool}`));

// Whether the server's tools are here: initdb for a cluster, pg_basebackup too for a replica.
export const clusterInstalled = pgBin('initdb');
export const replicaInstalled = clusterInstalled && pgBin('pg_basebackup');

// What both kinds share: a temporary directory for the script's state (named by the variable stateVar), the script's
// commands (run, waited for; runAsync, not blocking this process: clients keep sending meanwhile), and an area made
// on the URL `start` prints, with SAFEGUARD_TEST_DB pointing there until close(). close() puts it back, stops the
// cluster and removes both directories; it is safe to call after a failure half-way.
function scriptArea(name, script, stateVar, checkUrl) {
  const dir = tempDir(name);
  fs.chmodSync(dir, 0o755); // the cluster may run as another user (root in CI) and reads its directory by path
  const env = { ...process.env, [stateVar]: path.join(dir, `${path.basename(script, '.sh')}.dir`) };
  const what = (args) => `${path.basename(script)} ${args.join(' ')}`;
  let saved;
  const set = {
    dir, env, url: null, area: null,
    run(...args) {
      const r = spawnSync(script, args, { encoding: 'utf8', env, timeout: 120000 });
      assert.equal(r.status, 0, `${what(args)}: ${r.stderr}`);
      return r.stdout.trim();
    },
    runAsync(...args) {
      return new Promise((resolve, reject) => {
        execFile(script, args, { encoding: 'utf8', env, timeout: 120000 }, (err, stdout, stderr) => {
          if (err) reject(new Error(`${what(args)}: ${stderr}`));
          else resolve(stdout.trim());
        });
      });
    },
    close() {
      if (saved !== undefined) {
        if (saved.value === undefined) delete process.env.SAFEGUARD_TEST_DB;
        else process.env.SAFEGUARD_TEST_DB = saved.value;
      }
      spawnSync(script, ['stop'], { encoding: 'utf8', env });
      removeDir(dir);
      removeDir(set.area?.dir);
    },
  };
  try {
    set.url = set.run('start');
    checkUrl(set.url);
    saved = { value: process.env.SAFEGUARD_TEST_DB };
    process.env.SAFEGUARD_TEST_DB = set.url; // lib.mjs's areas are databases there
    set.area = freshArea(name);
    fs.chmodSync(set.area.dir, 0o755);
  } catch (e) {
    set.close();
    throw e;
  }
  return set;
}

// A cluster of its own (scripts/pg-test.sh) with an area made there.
export function clusterArea(name) {
  return scriptArea(name, pgTest, 'PG_TEST_STATE', () => {});
}

// A primary and its synchronous replica (scripts/pg-replica.sh), the area made on the primary through the
// multi-host URL the script prints; set.run / set.runAsync('kill-primary' | 'promote').
export function replicaArea(name) {
  return scriptArea(name, pgReplica, 'PG_REPLICA_STATE',
    (url) => assert.match(url, /host=[^&]+,[^&]+&.*target_session_attrs=read-write/));
}

// Ends every client session on the area's database but psql's own, and waits until each has gone from
// pg_stat_activity: a bounded poll on that condition (400 looks, each a psql process), failing if one stays. Gone
// from pg_stat_activity means its table counters (pg_stat_user_tables) are handed over: a backend flushes its
// statistics in a before_shmem_exit callback (pgstat_shutdown_hook) and leaves pg_stat_activity in an
// on_shmem_exit one (pgstat_beshutdown_hook), which PostgreSQL runs only after every before_shmem_exit one. The
// number of sessions ended.
export function endClientSessions(db) {
  // pg_terminate_backend without its timeout: the poll below waits, and says which session stayed
  const ended = sql(db, "select string_agg(pid::text, ', ') from (select pid from pg_stat_activity where datname = " +
    "current_database() and backend_type = 'client backend' and pid <> pg_backend_pid() offset 0) s " +
    'where pg_terminate_backend(pid)');
  if (!ended) return 0;
  let left = '';
  for (let i = 0; i < 400; i++) { // bounded: 400 looks
    left = sql(db, `select string_agg(pid::text, ' ') from pg_stat_activity where pid in (${ended})`);
    if (!left) break;
  }
  assert.equal(left, '', `sessions ${left} still in pg_stat_activity after 400 looks`);
  return ended.split(', ').length;
}
