// issue 17: the binary on PostgreSQL. A throwaway cluster (scripts/pg-test.sh: initdb in a temporary folder,
// Unix socket only, an unprivileged user when run as root) is started for this file and stopped after it; the
// CLI migrates a database there, makes a token, a team and a person who signs in, runs the nightly sweep at an
// injected instant, signs an audit checkpoint and verifies the chain. Skipped by name where PostgreSQL is not
// installed. (serve on PostgreSQL waits for key files named apart from the database: --data-dir.)
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { TOKEN_RE, removeDir, runCli, tempDir } from './lib.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const pgTest = path.join(root, 'scripts/pg-test.sh');
const installed = fs.existsSync('/usr/lib/postgresql') &&
  fs.readdirSync('/usr/lib/postgresql').some((v) => fs.existsSync(`/usr/lib/postgresql/${v}/bin/initdb`));

describe('the CLI on PostgreSQL', { skip: installed ? false : 'skipped suite postgresql: initdb not found' }, () => {
  let dir;
  let state;
  let url;
  before(() => {
    dir = tempDir('pg-cli');
    fs.chmodSync(dir, 0o755);
    state = path.join(dir, 'pg-test.dir');
    const r = spawnSync(pgTest, ['start'], { encoding: 'utf8', env: { ...process.env, PG_TEST_STATE: state } });
    assert.equal(r.status, 0, `pg-test.sh start: ${r.stderr}`);
    url = r.stdout.trim();
    // The socket is in the cluster's temporary folder (under TMPDIR: make check puts it on /dev/shm).
    assert.ok(url.startsWith(`postgresql:///safeguard?host=${os.tmpdir()}/`), url);
  });
  after(() => {
    if (state) spawnSync(pgTest, ['stop'], { encoding: 'utf8', env: { ...process.env, PG_TEST_STATE: state } });
    removeDir(dir);
  });

  test('migrate builds the schema once; the token, team, person, sweep and audit chain work on it', () => {
    const first = runCli(['migrate', '--db', url]);
    assert.match(first.stdout, /schema at version (\d+)/);
    const version = /schema at version (\d+)/.exec(first.stdout)[1];
    assert.match(first.stderr, new RegExp(`migrated from version 0 to ${version}`));
    const again = runCli(['migrate', '--db', url]);
    assert.match(again.stdout, new RegExp(`schema at version ${version}`));
    assert.doesNotMatch(again.stderr, /migrated/);

    const token = runCli(['token', 'create', '--db', url, '--agency', 'police', '--scope', 'events:write'])
      .stdout.trimEnd().split('\n').pop();
    assert.match(token, TOKEN_RE);
    runCli(['team', 'add', '--db', url, '--code', 'north', '--name', 'North team']);
    const totpKey = path.join(dir, 'totp-key');
    const add = spawnSync(process.env.SAFEGUARD_BIN || path.join(root, 'build/safeguard'),
      ['user', 'add', '--db', url, '--username', 'ada', '--agency', 'social_care', '--role', 'social_worker',
        '--password-stdin', '--totp-key', totpKey], { input: 'correct horse battery staple 1\n', encoding: 'utf8' });
    assert.equal(add.status, 0, add.stderr);
    // the same username again is a conflict the CLI reports, not a crash
    const dup = spawnSync(process.env.SAFEGUARD_BIN || path.join(root, 'build/safeguard'),
      ['user', 'add', '--db', url, '--username', 'ada', '--agency', 'social_care', '--role', 'social_worker',
        '--password-stdin', '--totp-key', totpKey], { input: 'correct horse battery staple 1\n', encoding: 'utf8' });
    assert.notEqual(dup.status, 0);

    const sweep = runCli(['sweep', '--db', url, '--today', '2031-07-04'], { check: false });
    assert.match(sweep.stdout + sweep.stderr, /swept 0 children/);
    const auditKey = path.join(dir, 'audit-key');
    assert.match(runCli(['audit', 'checkpoint', '--db', url, '--audit-key', auditKey]).stdout,
      /audit checkpoint signed at entry \d+/);
    const verify = runCli(['audit', 'verify', '--db', url, '--audit-key', auditKey]);
    const m = /audit chain verified: (\d+) entries, 1 signed checkpoints/.exec(verify.stdout);
    assert.ok(m, verify.stdout);
    assert.ok(Number(m[1]) >= 3, `token, team and person each audited: ${verify.stdout}`);
  });
});
