// The command-line contract: help, migrate, token, serve's refusals, gen.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  auditEntries,
  AGENCIES, BIN, TOKEN_RE, assertNoSanitizerReport, createToken, migrate, parseCsv, postEvent,
  removeDir, runCli, startServer, tempDir, dbUrl, cliEnv, onPostgres, rowCount, rowCounts, databaseBytes, holdsBytes,
} from './lib.mjs';

let dir;
const servers = [];

before(() => { dir = tempDir('cli'); });

after(async () => {
  try {
    for (const s of servers) if (s.isAlive()) await s.stop();
  } finally {
    removeDir(dir);
  }
});

/** Runs serve expecting it to refuse: resolves {code, signal, stdout, stderr} when it exits. */
function serveExpectingExit(args, env) {
  return new Promise((resolve, reject) => {
    const argv = ['serve', ...args];
    const p = spawn(BIN, argv, { stdio: ['ignore', 'pipe', 'pipe'], env: cliEnv(argv, env) });
    let stdout = '';
    let stderr = '';
    p.stdout.setEncoding('utf8').on('data', (d) => {
      stdout += d;
      // It should not get this far; stop it so the test fails instead of hanging.
      if (/listening on/.test(stdout)) p.kill('SIGTERM');
    });
    p.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
    p.on('error', reject);
    p.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

describe('help', () => {
  const cases = [['--help'], ['serve', '--help'], ['migrate', '--help'], ['token', '--help'],
    ['token', 'create', '--help'], ['gen', '--help'], ['demo', '--help']];
  for (const args of cases) {
    test(`safeguard ${args.join(' ')} exits 0 with a usage text`, () => {
      const r = runCli(args);
      assert.equal(r.status, 0);
      assert.match(r.stdout, /usage: safeguard/);
    });
  }
  test('safeguard --help lists every command', () => {
    const r = runCli(['--help']);
    for (const c of ['serve', 'migrate', 'token', 'gen', 'demo']) assert.match(r.stdout, new RegExp(`\\b${c}\\b`));
  });
});

describe('migrate and token', () => {
  let db;
  before(() => { db = path.join(dir, 'tokens.db'); });

  test('migrate creates the schema and is safe to run again', () => {
    const r1 = migrate(db);
    assert.match(r1.stdout, /schema at version [0-9]+/);
    if (!onPostgres()) assert.ok(fs.existsSync(db)); // PostgreSQL's database is made by the tests (dbUrl)
    assert.equal(auditEntries(db), 0);
    const r2 = migrate(db);
    assert.match(r2.stdout, /schema at version [0-9]+/);
    // the tables, through `safeguard stats` (rowCounts throws when one has no count: no such table)
    assert.deepEqual(rowCounts(db, ['event', 'source_record', 'person', 'audit']),
      { event: 0, source_record: 0, person: 0, audit: 0 });
  });

  test('token create prints a distinct sgt_ token per call for every agency, keeping only its hash', () => {
    const tokens = AGENCIES.map((a) => createToken(db, a, `label ${a}`));
    assert.equal(tokens.length, 5);
    for (const t of tokens) assert.match(t, TOKEN_RE);
    assert.equal(new Set(tokens).size, tokens.length);
    const again = createToken(db, 'police');
    assert.ok(!tokens.includes(again));
    // The token text itself is not stored: not in SQLite's files (the database, its WAL), not in any row of any
    // table on PostgreSQL.
    if (onPostgres()) {
      // every row of every table (pg_dump --data-only: databaseBytes), the tokens' rows among them
      const dump = databaseBytes(db);
      assert.equal(rowCount(db, 'api_client'), 6);
      for (const t of [...tokens, again]) assert.ok(!holdsBytes(dump, t), 'the database holds a token in clear');
    } else {
      const files = fs.readdirSync(dir).filter((f) => f.startsWith('tokens.db'));
      assert.ok(files.length > 0);
      for (const f of files) {
        const bytes = fs.readFileSync(path.join(dir, f));
        for (const t of [...tokens, again]) assert.equal(bytes.indexOf(t), -1, `${f} holds a token in clear`);
      }
    }
  });

  test('stats counts each table\'s rows: the tokens made above, as TSV or JSON lines; an unknown table exits 2', () => {
    const all = runCli(['stats', '--db', dbUrl(db)]).stdout.trim().split('\n');
    assert.equal(all[0], 'table\trows');
    const rows = Object.fromEntries(all.slice(1).map((l) => l.split('\t')));
    assert.equal(rows.api_client, '6'); // five agencies' tokens and one more for the police
    assert.equal(rows.person, '0');
    for (const t of ['event', 'source_record', 'audit', 'link_review']) assert.match(rows[t] ?? '', /^\d+$/, t);
    const two = runCli(['stats', '--db', dbUrl(db), '--json', '--table', 'api_client', '--table', 'person']);
    assert.deepEqual(two.stdout.trim().split('\n').map((l) => JSON.parse(l)),
      [{ table: 'api_client', rows: 6 }, { table: 'person', rows: 0 }]);
    const bad = runCli(['stats', '--db', dbUrl(db), '--table', 'persons'], { check: false });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--table persons: no such table/);
    // the one-row tables are not counted, and it says so rather than "no such table"
    const one = runCli(['stats', '--db', dbUrl(db), '--table', 'link_counts'], { check: false });
    assert.equal(one.status, 2);
    assert.match(one.stderr, /--table link_counts: a one-row table, not counted/);
  });

  test('token create for an unknown agency exits 1 naming it on stderr', () => {
    const r = runCli(['token', 'create', '--db', dbUrl(db), '--agency', 'fire_brigade'], { check: false });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /fire_brigade/);
    assert.doesNotMatch(r.stdout, /sgt_/);
  });

  test('token create without --agency exits 2', () => {
    const r = runCli(['token', 'create', '--db', dbUrl(db)], { check: false });
    assert.equal(r.status, 2);
    assert.doesNotMatch(r.stdout, /sgt_/);
  });
});

describe('serve', () => {
  test('refuses a database that was not migrated (exit 1, says to run safeguard migrate)', async () => {
    const db = path.join(dir, 'unmigrated.db');
    const r = await serveExpectingExit(['--db', dbUrl(db), '--listen', '127.0.0.1:0']);
    assertNoSanitizerReport(r.stderr);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /safeguard migrate/);
    assert.doesNotMatch(r.stdout, /listening on/);
  });

  test('a mistyped --db: exit 1, and the folder is as it was (no database, key, nor recordings folder)', async () => {
    const empty = fs.mkdtempSync(path.join(dir, 'typo-'));
    const r = await serveExpectingExit(['--db', `sqlite:${path.join(empty, 'typo.db')}`, '--listen', '127.0.0.1:0'],
      { SAFEGUARD_DATA_DIR: undefined });
    assertNoSanitizerReport(r.stderr);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /there is no database .*typo\.db/);
    assert.doesNotMatch(r.stdout, /listening on/);
    assert.deepEqual(fs.readdirSync(empty), []);
  });

  test('prints "listening on", answers, and stops on SIGTERM with exit 0', async () => {
    const db = path.join(dir, 'serve.db');
    migrate(db);
    const s = await startServer(db);
    servers.push(s);
    assert.match(s.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(s.port > 0);
    const h = await fetch(`${s.url}/healthz`);
    assert.equal(h.status, 200);
    await h.text();
    const info = await s.stop();
    assert.deepEqual(info, { code: 0, signal: null });
  });

  test('a port held by another program: exit 1 with a message', async () => {
    const db = path.join(dir, 'port.db');
    migrate(db);
    const holder = net.createServer();
    await new Promise((resolve, reject) => { holder.once('error', reject); holder.listen(0, '127.0.0.1', resolve); });
    try {
      const port = holder.address().port;
      const r = await serveExpectingExit(['--db', dbUrl(db), '--listen', `127.0.0.1:${port}`]);
      assertNoSanitizerReport(r.stderr);
      assert.equal(r.code, 1, `stdout: ${r.stdout} stderr: ${r.stderr}`);
      assert.match(r.stderr, new RegExp(String(port)));
      assert.doesNotMatch(r.stdout, /listening on/);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });

  test('a port held by another safeguard server: exit 1 with a message', async () => {
    const db = path.join(dir, 'port2.db');
    migrate(db);
    const first = await startServer(db);
    servers.push(first);
    const r = await serveExpectingExit(['--db', dbUrl(db), '--listen', `127.0.0.1:${first.port}`]);
    assertNoSanitizerReport(r.stderr);
    assert.equal(r.code, 1, `second server on port ${first.port}: exit ${r.code} signal ${r.signal}, stdout: ${r.stdout}`);
    assert.match(r.stderr, new RegExp(String(first.port)));
    await first.stop();
  });
});

describe('gen', () => {
  const genArgs = (out, seed = 42) => ['gen', '--out', out, '--families', '12', '--seed', String(seed), '--today', '2025-06-01'];
  let a;
  let b;
  before(() => {
    a = path.join(dir, 'gen-a');
    b = path.join(dir, 'gen-b');
    runCli(genArgs(a));
    runCli(genArgs(b));
  });

  test('same options give byte-identical files; another seed gives other files', () => {
    const c = path.join(dir, 'gen-c');
    runCli(genArgs(c, 43));
    for (const f of ['events.jsonl', 'records.csv', 'truth.csv']) {
      const x = fs.readFileSync(path.join(a, f));
      assert.ok(x.length > 0, `${f} is empty`);
      assert.ok(x.equals(fs.readFileSync(path.join(b, f))), `${f} differs between two runs with the same options`);
    }
    assert.ok(!fs.readFileSync(path.join(a, 'events.jsonl')).equals(fs.readFileSync(path.join(c, 'events.jsonl'))));
  });

  test('events.jsonl lines == records.csv rows == truth.csv rows, > 0, and they describe the same records', () => {
    const events = fs.readFileSync(path.join(a, 'events.jsonl'), 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l));
    const records = parseCsv(fs.readFileSync(path.join(a, 'records.csv'), 'utf8'));
    const truth = parseCsv(fs.readFileSync(path.join(a, 'truth.csv'), 'utf8'));
    assert.deepEqual(truth[0], ['record_id', 'child_id', 'family_id', 'errors']);
    const rHead = records[0];
    const recs = records.slice(1);
    const truths = truth.slice(1);
    assert.ok(events.length > 0);
    assert.equal(recs.length, events.length);
    assert.equal(truths.length, events.length);
    for (const r of recs) assert.equal(r.length, rHead.length);
    for (const t of truths) assert.equal(t.length, 4);
    // record ids match between records.csv and truth.csv
    const rid = rHead.indexOf('record_id');
    assert.ok(rid >= 0);
    assert.deepEqual(recs.map((r) => r[rid]).sort(), truths.map((t) => t[0]).sort());
    // the (agency, source_ref) pairs are the same in events.jsonl and records.csv
    const src = rHead.indexOf('source');
    const ref = rHead.indexOf('source_ref');
    assert.ok(src >= 0 && ref >= 0);
    const fromEvents = events.map((e) => `${e.agency}/${e.request.source_ref}`).sort();
    const fromRecords = recs.map((r) => `${r[src]}/${r[ref]}`).sort();
    assert.deepEqual(fromRecords, fromEvents);
    assert.equal(new Set(fromEvents).size, fromEvents.length, 'source refs are unique per agency');
    // Children in families: more than one child and more than one family.
    assert.ok(new Set(truths.map((t) => t[1])).size > 1);
    assert.ok(new Set(truths.map((t) => t[2])).size > 1);
    for (const e of events) assert.ok(AGENCIES.includes(e.agency), e.agency);
  });

  test('every events.jsonl request is a valid POST /api/v1/events body (201 from a real server)', { timeout: 120000 }, async () => {
    const db = path.join(dir, 'gen.db');
    migrate(db);
    const tokens = Object.fromEntries(AGENCIES.map((ag) => [ag, createToken(db, ag)]));
    const s = await startServer(db);
    servers.push(s);
    const lines = fs.readFileSync(path.join(a, 'events.jsonl'), 'utf8').split('\n').filter((l) => l !== '');
    assert.ok(lines.length > 0);
    const statuses = {};
    const bad = [];
    for (const line of lines) {
      const { agency, request } = JSON.parse(line);
      const r = await postEvent(s.url, tokens[agency], request);
      statuses[r.status] = (statuses[r.status] || 0) + 1;
      if (r.status !== 201) bad.push(`${agency} ${request.source_ref}: ${r.status} ${r.text}`);
    }
    assert.deepEqual(bad, []);
    assert.deepEqual(statuses, { 201: lines.length });
    assert.equal(rowCount(db, 'event'), lines.length);
    assert.equal(rowCount(db, 'source_record'), lines.length);
    await s.stop();
  });
});
