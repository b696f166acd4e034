// Where the server's files live comes from settings, not from the database URL (issue 17): with --data-dir DIR
// (or SAFEGUARD_DATA_DIR) the audit signing key, the key of the TOTP secrets, the recordings key and the
// recordings themselves land in DIR, and nothing lands beside an sqlite: database kept in another folder.
// Without it a sqlite:PATH database keeps them beside itself (every other e2e file relies on that); any
// other database URL is refused with an error naming --data-dir.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  BIN, assertNoSanitizerReport, event, postEvent, removeDir, request, runCli, startServer, tempDir, totp, dbUrl, onPostgres,
} from './lib.mjs';

const PASSWORD = 'correct horse battery staple';

let top;
let dbDir;
let dataDir;
let db;
let server;
let childId;
let sessionToken;
let agencyToken;

/** The files beside the database that are the database itself (SQLite's write-ahead log and its index). */
const DATABASE_FILES = new Set(['safeguard.db', 'safeguard.db-wal', 'safeguard.db-shm', 'safeguard.db-journal']);

function besideTheDatabase() {
  return fs.readdirSync(dbDir).filter((f) => !DATABASE_FILES.has(f)).sort();
}

before(async () => {
  top = tempDir('data-dir');
  dbDir = path.join(top, 'db');
  dataDir = path.join(top, 'settings', 'safeguard'); // the parent exists, the folder not yet: serve makes it
  fs.mkdirSync(dbDir);
  fs.mkdirSync(path.join(top, 'settings'));
  db = dbUrl(path.join(dbDir, 'safeguard.db'));
  const withDir = ['--data-dir', dataDir];
  runCli(['migrate', '--db', db, ...withDir]);
  let r = runCli(['token', 'create', '--db', db, '--agency', 'education', '--label', 'e2e', ...withDir]);
  agencyToken = r.stdout.trimEnd().split('\n').pop();
  // The global option sits anywhere on the line, as --now does.
  r = spawnSync(BIN, ['--data-dir', dataDir, 'user', 'add', '--db', db, '--username', 'sam.worker', '--agency',
    'social_care', '--role', 'social_worker', '--password-stdin'], { input: `${PASSWORD}\n`, encoding: 'utf8' });
  assertNoSanitizerReport(r.stderr, 'safeguard user add');
  assert.equal(r.status, 0, r.stderr);
  const secret = r.stdout.trimEnd().split('\n').pop();
  server = await startServer(path.join(dbDir, 'safeguard.db'), { extraArgs: withDir });
  const created = await postEvent(server.url, agencyToken, event({ source_ref: 'DATA-DIR-1' }));
  assert.equal(created.status, 201, created.text);
  childId = created.json.child_id;
  runCli(['allocate', '--db', db, '--child', String(childId), '--user', 'sam.worker', ...withDir]);
  const s = await request(`${server.url}/api/v1/sessions`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'sam.worker', password: PASSWORD, totp: totp(secret) }),
  });
  assert.equal(s.status, 201, s.text);
  sessionToken = s.json.token;
});

after(async () => {
  try {
    if (server) await server.stop();
  } finally {
    removeDir(top);
  }
});

describe('--data-dir', () => {
  test('the keys are made in the data directory, mode 0600, and the directory mode 0700', () => {
    assert.equal(fs.statSync(dataDir).mode & 0o777, 0o700);
    for (const [name, size] of [['audit-key', 64], ['totp-key', 32], ['recordings-key', 32]]) {
      const st = fs.statSync(path.join(dataDir, name));
      assert.equal(st.mode & 0o777, 0o600, name);
      assert.equal(st.size, size, name);
    }
    assert.equal(fs.statSync(path.join(dataDir, 'recordings')).mode & 0o777, 0o700);
  });

  test('a recording lands in the data directory, and nothing beside the database', async () => {
    const body = Buffer.from('what the child said, in her own words');
    const up = await request(`${server.url}/api/v1/children/${childId}/recordings?filename=interview.mp3`, {
      method: 'POST', token: sessionToken, headers: { 'Content-Type': 'audio/mpeg' }, body,
    });
    assert.equal(up.status, 201, up.text);
    const files = fs.readdirSync(path.join(dataDir, 'recordings'));
    assert.equal(files.length, 1, files.join(' '));
    assert.ok(!fs.readFileSync(path.join(dataDir, 'recordings', files[0])).includes(body), 'kept encrypted');
    assert.deepEqual(besideTheDatabase(), []);
  });

  test('the CLI finds the same files there: recordings verify, audit checkpoint and verify', () => {
    let r = runCli(['recordings', 'verify', '--db', db, '--data-dir', dataDir]);
    assert.match(r.stdout, /\b1 recording/);
    r = runCli(['audit', 'checkpoint', '--db', db, '--data-dir', dataDir]);
    assert.match(r.stdout, /audit checkpoint signed at entry \d+/);
    // SAFEGUARD_DATA_DIR names it as well; verify checks the checkpoint against the key it finds there.
    r = runCli(['audit', 'verify', '--db', db], { env: { SAFEGUARD_DATA_DIR: dataDir } });
    assert.equal(r.status, 0);
    assert.doesNotMatch(r.stdout + r.stderr, /stored beside it/);
    assert.deepEqual(besideTheDatabase(), []);
  });

  test('without it, the key is looked for beside the database, which has none', {
    skip: onPostgres() ? 'SQLite file only: a PostgreSQL URL has no folder beside it (the next test: --data-dir is required)' : false,
  }, () => {
    const r = runCli(['recordings', 'verify', '--db', db], { check: false, env: { SAFEGUARD_DATA_DIR: undefined } });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /there is no recordings key .*safeguard\.db\.recordings-key/);
  });

  test('a database that is not sqlite:PATH needs --data-dir, and the error names it', () => {
    const r = runCli(['audit', 'checkpoint', '--db', 'postgresql://localhost/safeguard'],
      { check: false, env: { SAFEGUARD_DATA_DIR: undefined } });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /--data-dir DIR is required with a database that is not sqlite:PATH/);
    const bare = runCli(['audit', 'verify', '--db', db, '--data-dir'], { check: false });
    assert.equal(bare.status, 2);
    assert.match(bare.stderr, /--data-dir needs a directory/);
  });
});
