// A PostgreSQL primary with a synchronous streaming replica (scripts/pg-replica.sh) and a fresh area made on it,
// for the tests that need one (pg_failover, pg_read_replica): what each of them set up and tore down alike.
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freshArea, removeDir, tempDir } from './lib.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const pgReplica = path.join(root, 'scripts/pg-replica.sh');
const pgBin = (tool) => fs.existsSync('/usr/lib/postgresql') &&
  fs.readdirSync('/usr/lib/postgresql').some((v) => fs.existsSync(`/usr/lib/postgresql/${v}/bin/${tool}`));

// Whether the server's tools are here: initdb for the primary, pg_basebackup for the replica.
export const replicaInstalled = pgBin('initdb') && pgBin('pg_basebackup');

// Starts the pair (its state under a new temporary directory), points SAFEGUARD_TEST_DB at the primary through the
// multi-host URL the script prints, and makes an area there. close() puts SAFEGUARD_TEST_DB back, stops the pair
// and removes both directories; it is safe to call after a failure half-way.
export function replicaArea(name) {
  const dir = tempDir(name);
  fs.chmodSync(dir, 0o755); // the postgres cluster runs as this user but reads its directory by path
  const env = { ...process.env, PG_REPLICA_STATE: path.join(dir, 'pg-replica.dir') };
  const saved = process.env.SAFEGUARD_TEST_DB;
  const set = {
    dir, env, url: null, area: null,
    // pg-replica.sh COMMAND, waited for (start, stop, kill-primary, promote)
    run(...args) {
      const r = spawnSync(pgReplica, args, { encoding: 'utf8', env, timeout: 120000 });
      assert.equal(r.status, 0, `pg-replica.sh ${args.join(' ')}: ${r.stderr}`);
      return r.stdout.trim();
    },
    // the same, without blocking this process (clients keep sending meanwhile)
    runAsync(...args) {
      return new Promise((resolve, reject) => {
        execFile(pgReplica, args, { encoding: 'utf8', env, timeout: 120000 }, (err, stdout, stderr) => {
          if (err) reject(new Error(`pg-replica.sh ${args.join(' ')}: ${stderr}`));
          else resolve(stdout.trim());
        });
      });
    },
    close() {
      if (saved === undefined) delete process.env.SAFEGUARD_TEST_DB;
      else process.env.SAFEGUARD_TEST_DB = saved;
      spawnSync(pgReplica, ['stop'], { encoding: 'utf8', env });
      removeDir(dir);
      removeDir(set.area?.dir);
    },
  };
  try {
    set.url = set.run('start');
    assert.match(set.url, /host=[^&]+,[^&]+&.*target_session_attrs=read-write/);
    process.env.SAFEGUARD_TEST_DB = set.url; // the area's database is made on the primary, through the same URL
    set.area = freshArea(name);
    fs.chmodSync(set.area.dir, 0o755);
  } catch (e) {
    set.close();
    throw e;
  }
  return set;
}
