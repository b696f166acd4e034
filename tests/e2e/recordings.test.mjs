// Recordings of interviews and meetings (issue 4, part 5): uploaded by the child's allocated worker as a
// streamed body bigger than the server's 1 MiB buffer, kept encrypted beside the database (the key file
// mode 0600), its plaintext's BLAKE2b-256 in the audit chain, every download audited before its first byte,
// refusals that write nothing, 413 over the limit with nothing left on disk, and a tampered file that
// fails to decrypt (500 recording_damaged, `safeguard recordings verify` exits 1 naming it).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  auditRows,
  addPerson, dataPath, dbUrl,
  auditEntries,
  event, freshArea, postEvent, rawPost, recordingRows, removeDir, request, runCli, sql, startServer,
  now, totp,
} from './lib.mjs';

const PASSWORD = 'correct horse battery staple';

/** BLAKE2b-256 by coreutils' b2sum: not the server's code, and node has no 256-bit BLAKE2b. */
function blake2b256(buf) {
  const r = spawnSync('b2sum', ['-l', '256'], { input: buf });
  assert.equal(r.status, 0, String(r.stderr));
  return String(r.stdout).split(' ')[0];
}

let area;
let server;
let small; // the same database with --recording-max-mb 1
let childId;
let recDir;
const tokens = {};

/** Ciphertext files and temporary files in the recordings directory. */
function filesOnDisk() {
  return fs.readdirSync(recDir).sort();
}

function upload(base, token, body, { filename = 'interview.mp3', type = 'audio/mpeg', id = childId } = {}) {
  const q = filename === null ? '' : `?filename=${encodeURIComponent(filename)}`;
  const headers = {};
  if (type !== null) headers['Content-Type'] = type;
  return request(`${base}/api/v1/children/${id}/recordings${q}`, { method: 'POST', token, headers, body });
}

before(async () => {
  area = freshArea('recordings');
  const db = dbUrl(area.db);
  const secrets = {};
  for (const [name, agency, role] of [['sam.worker', 'social_care', 'social_worker'],
    ['pat.police', 'police', 'police_officer']]) {
    secrets[name] = addPerson(area.db, name, agency, role, PASSWORD);
  }
  server = await startServer(area.db);
  small = await startServer(area.db, { extraArgs: ['--recording-max-mb', '1'] });
  recDir = dataPath(area.db, 'recordings');
  const created = await postEvent(server.url, area.tokens.education, event({ source_ref: 'REC-1' }));
  assert.equal(created.status, 201);
  childId = created.json.child_id;
  runCli(['allocate', '--db', db, '--child', String(childId), '--user', 'sam.worker']);
  for (const u of ['sam.worker', 'pat.police']) {
    const r = await request(`${server.url}/api/v1/sessions`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: u, password: PASSWORD, totp: totp(secrets[u]) }),
    });
    assert.equal(r.status, 201, r.text);
    tokens[u] = r.json.token;
  }
});

after(async () => {
  try {
    if (server) await server.stop();
    if (small) await small.stop();
  } finally {
    if (area) removeDir(area.dir);
  }
});

describe('keys and files', () => {
  test('the master key is 32 bytes, mode 0600, beside the database (in its data folder); the directory is mode 0700', () => {
    const key = fs.statSync(dataPath(area.db, 'recordings-key'));
    assert.equal(key.mode & 0o777, 0o600);
    assert.equal(key.size, 32);
    assert.equal(fs.statSync(recDir).mode & 0o777, 0o700);
  });

  test('serve refuses a key file others may read, or of the wrong size, with the reason', () => {
    const bad = path.join(area.dir, 'loose.key');
    fs.writeFileSync(bad, Buffer.alloc(32, 7), { mode: 0o644 });
    fs.chmodSync(bad, 0o644);
    let r = runCli(['serve', '--db', dbUrl(area.db), '--listen', '127.0.0.1:0', '--recordings-key', bad],
      { check: false });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /can be read by others: make it mode 0600/);
    fs.chmodSync(bad, 0o600);
    fs.appendFileSync(bad, 'x');
    r = runCli(['serve', '--db', dbUrl(area.db), '--listen', '127.0.0.1:0', '--recordings-key', bad],
      { check: false });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /is not a recordings key \(it must be exactly 32 bytes\)/);
  });
});

describe('upload and download', () => {
  const marker = Buffer.from('INTERVIEW TRANSCRIPT: what the child said, in her own words. ');
  // Over HTTP_BODY_MAX (1 MiB) three times: it can only have been streamed.
  const plain = Buffer.concat([Buffer.from(marker.toString().repeat(1000)), crypto.randomBytes(3 * 1024 * 1024)]);
  let rec;

  test('the allocated worker uploads 3 MiB: 201 with its BLAKE2b-256, encrypted on disk, hash in the audit', async () => {
    const auditBefore = auditEntries(area.db);
    const r = await upload(server.url, tokens['sam.worker'], plain, { filename: 'Zoë interview "1".mp3' });
    assert.equal(r.status, 201, r.text);
    rec = r.json;
    assert.deepEqual(Object.keys(rec).sort(), ['blake2b', 'bytes', 'child_id', 'content_type', 'filename', 'id',
      'uploaded_at', 'uploaded_by']);
    assert.equal(rec.child_id, childId);
    assert.equal(rec.bytes, plain.length);
    assert.equal(rec.filename, 'Zoë interview "1".mp3');
    assert.equal(rec.content_type, 'audio/mpeg');
    assert.match(rec.uploaded_by, /^user:\d+:sam\.worker$/);
    assert.ok(Math.abs(Date.parse(rec.uploaded_at) - now()) < 60e3);
    assert.equal(rec.blake2b, blake2b256(plain));
    // One row, one audit entry carrying the hash (and never the file name).
    assert.equal(auditEntries(area.db), auditBefore + 1);
    const audit = auditRows(area.db, { action: 'recording.upload' }).reverse().map((e) => `${e.object}|${e.detail}`).join('\n');
    assert.equal(audit.split('\n').length, 1);
    assert.ok(audit.startsWith(`recording:${rec.id}|`), audit);
    assert.ok(audit.includes(rec.blake2b), audit);
    assert.equal(auditRows(area.db).filter((e) => /interview/i.test(e.detail)).length, 0);
    // What was stored decrypts to content of the hash stored with it (recordings verify, not audited), and that is
    // the hash of what was sent (above): the stored hash is the answer's.
    assert.equal(runCli(['recordings', 'verify', '--db', dbUrl(area.db)]).stdout.trim(), '1 recordings verified');
    // On disk: one file named by a random id, ciphertext (no run of the plaintext in it), no temporary file.
    const files = filesOnDisk();
    assert.equal(files.length, 1);
    assert.match(files[0], /^[0-9a-f]{32}$/);
    assert.equal(sql(area.db, `select disk_name from recording where id = ${rec.id}`), files[0]);
    const onDisk = fs.readFileSync(path.join(recDir, files[0]));
    const chunks = Math.ceil(plain.length / 65536);
    assert.equal(onDisk.length, 24 + plain.length + 17 * chunks);
    assert.equal(onDisk.indexOf(marker), -1);
    assert.equal(onDisk.indexOf(plain.subarray(2 * 1024 * 1024, 2 * 1024 * 1024 + 32)), -1);
    // The chain still verifies.
    assert.match(runCli(['audit', 'verify', '--db', dbUrl(area.db)]).stdout, /^audit chain verified/);
  });

  test('a chunked upload (no Content-Length) streams too', async () => {
    const body = crypto.randomBytes(1536 * 1024);
    const r = await rawPost(`${server.url}/api/v1/children/${childId}/recordings?filename=notes.txt`,
      { Authorization: `Bearer ${tokens['sam.worker']}`, 'Content-Type': 'text/plain; charset=utf-8' }, body,
      { chunked: true });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.bytes, body.length);
    assert.equal(r.json.content_type, 'text/plain');
    assert.equal(r.json.blake2b, blake2b256(body));
    assert.equal(filesOnDisk().length, 2);
  });

  test('download: byte-identical, with its type, length and a safe attachment name; audited before the body', async () => {
    const downloads = auditRows(area.db, { action: 'recording.download' }).length;
    const res = await fetch(`${server.url}/api/v1/recordings/${rec.id}/content`,
      { headers: { Authorization: `Bearer ${tokens['sam.worker']}` } });
    assert.equal(res.status, 200);
    // The headers are in, the body not yet read: the entry is on disk already.
    assert.equal(auditRows(area.db, { action: 'recording.download' }).length, downloads + 1);
    assert.equal(res.headers.get('content-type'), 'audio/mpeg');
    assert.equal(res.headers.get('content-length'), String(plain.length));
    assert.equal(res.headers.get('content-disposition'),
      'attachment; filename="Zo_ interview _1_.mp3"; filename*=UTF-8\'\'Zo%C3%AB%20interview%20%221%22.mp3');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const got = Buffer.from(await res.arrayBuffer());
    assert.equal(got.length, plain.length);
    assert.ok(got.equals(plain));
    const detail = auditRows(area.db, { action: 'recording.download', limit: 1 }).map((e) => `${e.actor}|${e.detail}`).join('\n');
    assert.match(detail, new RegExp(`^user:\\d+:sam\\.worker\\|recording:${rec.id} blake2b ${rec.blake2b}; allocated worker$`));
    // One entry per download.
    assert.equal((await request(`${server.url}/api/v1/recordings/${rec.id}/content`,
      { token: tokens['sam.worker'] })).status, 200);
    assert.equal(auditRows(area.db, { action: 'recording.download' }).length, downloads + 2);
  });

  test('the list: every recording of the child, audited', async () => {
    const lists = auditRows(area.db, { action: 'recordings.list' }).length;
    const r = await request(`${server.url}/api/v1/children/${childId}/recordings`, { token: tokens['sam.worker'] });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.recordings.length, 2);
    assert.deepEqual(r.json.recordings[0], rec);
    assert.equal(auditRows(area.db, { action: 'recordings.list' }).length, lists + 1);
  });

  test('recordings verify: every recording decrypts and matches its hash', () => {
    const r = runCli(['recordings', 'verify', '--db', dbUrl(area.db)]);
    assert.equal(r.stdout.trim(), '2 recordings verified');
  });

  describe('refused, and nothing written', () => {
    let before1;
    const snapshot = () => ({
      rows: recordingRows(area.db).length,
      audit: auditRows(area.db).filter((e) => e.action.startsWith('recording') && !(e.action === 'recordings.list' && e.actor === 'cli')).length,
      files: filesOnDisk().join(','),
    });
    before(() => { before1 = snapshot(); });

    test('a person with no relationship, or a child that does not exist: the same 403', async () => {
      const refusedOn = (object) => auditRows(area.db, { action: 'access.refused', object }).length;
      const refusedBefore = [refusedOn(`recording:${rec.id}`), refusedOn('recording:99999'),
        refusedOn(`child:${childId}`), refusedOn('child:987654')];
      const answers = [
        await upload(server.url, tokens['pat.police'], Buffer.from('x')),
        await upload(server.url, tokens['pat.police'], Buffer.from('x'), { id: 987654 }),
        await request(`${server.url}/api/v1/children/${childId}/recordings`, { token: tokens['pat.police'] }),
        await request(`${server.url}/api/v1/children/987654/recordings`, { token: tokens['pat.police'] }),
        await request(`${server.url}/api/v1/recordings/${rec.id}/content`, { token: tokens['pat.police'] }),
        await request(`${server.url}/api/v1/recordings/99999/content`, { token: tokens['pat.police'] }),
        await request(`${server.url}/api/v1/recordings/99999/content`, { token: tokens['sam.worker'] }),
      ];
      for (const r of answers) {
        assert.equal(r.status, 403, r.text);
        assert.equal(r.json.error.code, 'forbidden');
        assert.equal(r.text, answers[0].text);
      }
      assert.deepEqual(snapshot(), before1);
      // Every refused read is audited, whatever the id holds (r-ntk27): the lists as reads of the record, the
      // content as one refusal on the recording; and since r-ntk30 every refused write: the uploads, one refusal
      // each on the child asked ("recording.upload refused: child ID"), nothing else written.
      assert.deepEqual([refusedOn(`recording:${rec.id}`), refusedOn('recording:99999'), refusedOn(`child:${childId}`),
        refusedOn('child:987654')], refusedBefore.map((n, i) => n + [1, 2, 2, 2][i]));
      for (const id of [childId, 987654]) {
        const [e] = auditRows(area.db, { action: 'access.refused', object: `child:${id}` })
          .filter((x) => x.detail.startsWith('recording.upload refused'));
        assert.ok(e && e.child_id === 0 && e.detail === `recording.upload refused: child ${id}`, JSON.stringify(e));
      }
    });

    test('an agency system: 403 not_permitted (the role policy); no token: 401', async () => {
      for (const r of [await upload(server.url, area.tokens.social_care, Buffer.from('x')),
        await request(`${server.url}/api/v1/children/${childId}/recordings`, { token: area.tokens.social_care }),
        await request(`${server.url}/api/v1/recordings/${rec.id}/content`, { token: area.tokens.social_care })]) {
        assert.equal(r.status, 403, r.text);
        assert.equal(r.json.error.code, 'not_permitted');
      }
      assert.equal((await upload(server.url, undefined, Buffer.from('x'))).status, 401);
      assert.deepEqual(snapshot(), before1);
    });

    test('bad requests are 4xx naming the field', async () => {
      const t = tokens['sam.worker'];
      const cases = [
        [{ filename: null }, 400, 'filename'],
        [{ filename: '' }, 400, 'filename'],
        [{ filename: 'a'.repeat(201) }, 400, 'filename'],
        [{ filename: '../etc/passwd' }, 400, 'filename'],
        [{ filename: 'two\nlines.mp3' }, 400, 'filename'],
        [{ type: 'text/html' }, 415, 'Content-Type'],
        [{ type: null }, 415, 'Content-Type'],
      ];
      for (const [opts, status, field] of cases) {
        const r = await upload(server.url, t, Buffer.from('some bytes'), opts);
        assert.equal(r.status, status, `${JSON.stringify(opts)}: ${r.text}`);
        assert.equal(r.json.error.field, field);
      }
      const empty = await upload(server.url, t, Buffer.alloc(0));
      assert.equal(empty.status, 400, empty.text);
      assert.equal(empty.json.error.field, 'body');
      assert.equal((await request(`${server.url}/api/v1/children/${childId}/recordings`,
        { method: 'DELETE', token: t })).status, 405);
      assert.equal((await request(`${server.url}/api/v1/recordings/${rec.id}/content`,
        { method: 'POST', token: t })).status, 405);
      assert.equal((await request(`${server.url}/api/v1/recordings/${rec.id}`, { token: t })).status, 404);
      assert.deepEqual(snapshot(), before1);
    });

    test('over --recording-max-mb: 413 (declared or chunked), nothing left on disk; 1 MiB itself is kept', async () => {
      const big = crypto.randomBytes(1024 * 1024 + 1);
      const auth = `Bearer ${tokens['sam.worker']}`;
      const p = `/api/v1/children/${childId}/recordings?filename=big.mp4`;
      const declared = await rawPost(`${small.url}${p}`, { Authorization: auth, 'Content-Type': 'video/mp4' }, big);
      assert.equal(declared.status, 413, declared.text);
      assert.equal(declared.json.error.code, 'body_too_large');
      assert.equal(declared.wentOn, false, 'refused before the body was asked for');
      const chunked = await rawPost(`${small.url}${p}`, { Authorization: auth, 'Content-Type': 'video/mp4' }, big,
        { chunked: true });
      assert.equal(chunked.status, 413, chunked.text);
      assert.equal(chunked.json.error.code, 'body_too_large');
      assert.deepEqual(snapshot(), before1);
      // Exactly the limit is accepted.
      const r = await upload(small.url, tokens['sam.worker'], big.subarray(0, 1024 * 1024), { type: 'video/mp4' });
      assert.equal(r.status, 201, r.text);
      before1 = snapshot();
    });
  });

  test('tampered on disk: one flipped byte, the download is 500 recording_damaged, verify exits 1 naming it', async () => {
    const name = sql(area.db, `select disk_name from recording where id = ${rec.id}`);
    const file = path.join(recDir, name);
    const bytes = fs.readFileSync(file);
    bytes[1024 * 1024] ^= 0x01;
    fs.writeFileSync(file, bytes);
    const downloads = auditRows(area.db, { action: 'recording.download' }).length;
    const r = await request(`${server.url}/api/v1/recordings/${rec.id}/content`, { token: tokens['sam.worker'] });
    assert.equal(r.status, 500);
    assert.deepEqual(r.json, { error: { code: 'recording_damaged', field: null,
      message: `recording ${rec.id} failed to decrypt: the file on disk has been changed or damaged` } });
    // The attempt is audited like any download; the log names the recording, not the file.
    assert.equal(auditRows(area.db, { action: 'recording.download' }).length, downloads + 1);
    await server.waitForStderr(new RegExp(`recording ${rec.id} failed to decrypt: the file on disk has been changed`));
    assert.ok(!server.stderr.includes('interview'));
    const v = runCli(['recordings', 'verify', '--db', dbUrl(area.db)], { check: false });
    assert.equal(v.status, 1);
    assert.match(v.stderr, new RegExp(`^recording ${rec.id}: failed to decrypt: the file on disk has been changed or damaged`, 'm'));
    assert.match(v.stderr, /1 of 3 recordings failed/);
    // Put back, it verifies again; the audit chain held throughout.
    bytes[1024 * 1024] ^= 0x01;
    fs.writeFileSync(file, bytes);
    assert.equal(runCli(['recordings', 'verify', '--db', dbUrl(area.db)]).stdout.trim(), '3 recordings verified');
    assert.match(runCli(['audit', 'verify', '--db', dbUrl(area.db)]).stdout, /^audit chain verified/);
  });
});
