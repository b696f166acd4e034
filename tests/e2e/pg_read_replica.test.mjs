// issue 17, item 4 (reads that can go to a replica): `serve --db PRIMARY --db-read REPLICA` sends snapshot reads
// (chronologies, child records, pages) to a synchronous replica (scripts/pg-replica.sh), and writers' commits
// wait until the replica has applied them (synchronous_commit = remote_apply), so an event acknowledged 201 is in
// the chronology read straight after. Shown by the replica's own pg_stat_activity: the server's read connection
// there ('safeguard read') works during the read. On SQLite --db-read is refused by name. Skipped by name where
// PostgreSQL is not installed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { dbUrl, event, getChronology, postEvent, removeDir, runCli, startServer, tempDir } from './lib.mjs';
import { replicaArea, replicaInstalled } from './pg_cluster.mjs';

test('--db-read is refused on SQLite, by name', () => {
  const dir = tempDir('read-sqlite');
  try {
    runCli(['migrate', '--db', `sqlite:${path.join(dir, 'x.db')}`]);
    const r = runCli(['serve', '--db', `sqlite:${path.join(dir, 'x.db')}`, '--db-read', 'postgresql:///nowhere',
      '--listen', '127.0.0.1:0'], { check: false, env: { SAFEGUARD_DATA_DIR: dir } });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /--db-read: --db-read needs --db postgresql:/);
  } finally {
    removeDir(dir);
  }
});

describe('reads sent to a replica', { skip: replicaInstalled ? false : 'skipped suite postgresql: initdb or pg_basebackup not found' }, () => {
  let set;
  let area;
  let server;
  let replicaDb; // psql on the replica, this area's database
  const onReplica = (query) => {
    const r = spawnSync('psql', [replicaDb, '-X', '-A', '-t', '-q', '-v', 'ON_ERROR_STOP=1', '-c', query], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.trim();
  };

  before(async () => {
    set = replicaArea('pg-read');
    area = set.area;
    const read = new URL(dbUrl(area.db));
    read.searchParams.set('host', read.searchParams.get('host').split(',')[1]);
    read.searchParams.delete('target_session_attrs');
    replicaDb = read.toString();
    server = await startServer(area.db, { extraArgs: ['--db-read', replicaDb] });
  });

  after(async () => {
    try {
      if (server) await server.stop();
    } finally {
      set?.close();
    }
  });

  test('the chronology is read on the replica, and shows the event acknowledged just before', async () => {
    assert.equal(onReplica('select pg_is_in_recovery()'), 't', 'the read URL names the standby');
    const token = area.tokens.police;
    const sent = await postEvent(server.url, token, event({ source_ref: 'READ-1' }));
    assert.equal(sent.status, 201, sent.text);
    const mark = onReplica('select clock_timestamp()');
    const working = () => Number(onReplica("select count(*) from pg_stat_activity where application_name = 'safeguard read' " +
      `and datname = current_database() and state_change >= '${mark}'`));
    assert.equal(working(), 0, 'no read on the replica since the mark');
    const chron = await getChronology(server.url, token, sent.json.child_id);
    assert.equal(chron.status, 200, chron.text);
    assert.deepEqual(chron.json.events.map((e) => e.id), [sent.json.id], 'the event acknowledged is read back at once');
    assert.ok(working() >= 1, 'the server read it through its connection to the replica');
    // and what was written went to the primary: the replica holds it too (applied before the 201)
    assert.equal(onReplica("select count(*) from source_record where source_ref = 'READ-1'"), '1');
  });
});
