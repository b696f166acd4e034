// Issue 18, part 3: recordings on the child's record, driven over real HTTP against the real binary as a
// browser does (a session cookie, the form's CSRF token, multipart/form-data). On the main branch the issue was
// filed against none of this existed: /children/{id}/recordings, /recordings/{id}/play and /download answered 404,
// and `safeguard recordings sweep | rekey` were usage errors.
//   - upload: the form (kind, date, who was present, consent, the child's words, the file) is streamed to an
//     encrypted file; bad input is a 400 page naming the field, with nothing written and no file left behind;
//   - play: streamed and decrypted, Range requests answered 206, Cache-Control: no-store, every request audited
//     (recording.play); downloads audited (recording.download); 403 for those who may not, the same whether or
//     not the recording exists;
//   - retention per kind shown on the page; the sweep deletes what is past it, audited, file and all;
//   - rekey rewraps every key in one transaction: a failure half-way changes nothing; an interruption after the
//     commit is finished by the next rekey.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import {
  auditEntries,
  auditRows, lastAudit,
  dataPath, dbUrl, onPostgres,
  addPerson, event, freshArea, postEvent, removeDir, request, runCli, sql, sqlWrite, startServer, ukToday,
  recordingRows, userId, webSignIn as signInAs, sessionCsrf,
} from './lib.mjs';

const PASSWORD = 'recordings are the child speaking';

let area;
let server;
let small; // the same database, --recording-max-mb 1
let childId;
let otherChild; // a child sam.worker is not allocated to
let recDir;
const secrets = {};
const sessions = {};

const text = (html) => html.replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'").replace(/&amp;/g, '&')
  .replace(/&quot;/g, '"').replace(/\s+/g, ' ');
const longDate = (iso) => new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })
  .format(new Date(`${iso}T12:00:00Z`));
/** An ISO day some whole years before (negative: after) today in England. */
function yearsAgo(n, iso = ukToday()) {
  const [y, m, d] = iso.split('-').map(Number);
  const day = m === 2 && d === 29 ? 28 : d;
  return `${String(y - n).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

async function session(base, username) {
  const key = `${base}|${username}`;
  if (!sessions[key]) {
    const cookie = await signInAs(base, area.db, username, { password: PASSWORD, secrets });
    sessions[key] = { cookie, csrf: await sessionCsrf(base, cookie) };
  }
  return sessions[key];
}

async function get(username, path, { base = server.url, headers = {} } = {}) {
  const s = await session(base, username);
  return request(`${base}${path}`, { headers: { cookie: s.cookie, ...headers } });
}

/** Raw bytes of a GET (request() reads text). */
async function getBytes(username, path, headers = {}) {
  const s = await session(server.url, username);
  const res = await fetch(`${server.url}${path}`, { headers: { cookie: s.cookie, ...headers }, redirect: 'manual' });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

const GOOD = {
  kind: 'interview', day: '', month: '', year: '',
  present: 'Sam Worker, social worker\nPC Pat Police, police officer',
  consent: 'Given by the child and by her mother, who has parental responsibility',
  words: 'He said I was not to tell anyone. I want to stay with my nan.',
};

/** The upload form as a browser sends it: the CSRF token first, then the fields in the form's order, then the file. */
async function upload(username, fields, file, { base = server.url, id = childId, csrf, tokenFirst = true } = {}) {
  const s = await session(base, username);
  const fd = new FormData();
  const token = csrf === undefined ? s.csrf : csrf;
  if (tokenFirst && token !== null) fd.append('csrf_token', token);
  const f = { ...GOOD, ...fields };
  if (f.kind !== null) fd.append('kind', f.kind);
  const [y, m, d] = (f.date || ukToday()).split('-');
  fd.append('recorded-day', f.day || String(Number(d)));
  fd.append('recorded-month', f.month || String(Number(m)));
  fd.append('recorded-year', f.year || y);
  fd.append('present', f.present);
  fd.append('consent', f.consent);
  fd.append('words', f.words);
  if (file) fd.append('file', new Blob([file.body], { type: file.type }), file.name);
  else fd.append('file', new Blob([], { type: 'application/octet-stream' }), '');
  if (!tokenFirst && token !== null) fd.append('csrf_token', token);
  return request(`${base}/children/${id}/recordings`, {
    method: 'POST', body: fd, headers: { cookie: s.cookie, origin: base },
  });
}

function filesOnDisk() {
  return fs.readdirSync(recDir).sort();
}

const AUDIO = { name: 'interview.mp3', type: 'audio/mpeg', body: Buffer.concat([Buffer.from('ID3'), crypto.randomBytes(200 * 1024)]) };

before(async () => {
  area = freshArea('recordings-pages');
  for (const [name, agency, role] of [['sam.worker', 'social_care', 'social_worker'],
    ['una.worker', 'social_care', 'social_worker'], ['pat.police', 'police', 'police_officer'],
    ['dee.dpo', 'social_care', 'dpo']]) {
    secrets[name] = addPerson(area.db, name, agency, role, PASSWORD);
  }
  server = await startServer(area.db);
  small = await startServer(area.db, { extraArgs: ['--recording-max-mb', '1'] });
  recDir = dataPath(area.db, 'recordings');
  let r = await postEvent(server.url, area.tokens.education, event({ source_ref: 'RP-1' }));
  assert.equal(r.status, 201, r.text);
  childId = r.json.child_id;
  r = await postEvent(server.url, area.tokens.education, event({ source_ref: 'RP-2' },
    { given_name: 'Ben', family_name: 'Ortiz', nhs_number: '9434765870', dob: '2014-02-01' }));
  assert.equal(r.status, 201, r.text);
  otherChild = r.json.child_id;
  runCli(['allocate', '--db', dbUrl(area.db), '--child', String(childId), '--user', 'sam.worker']);
});

after(async () => {
  try {
    if (server) await server.stop();
    if (small) await small.stop();
  } finally {
    if (area) removeDir(area.dir);
  }
});

let recId;

describe('upload on the child\'s page', () => {
  test('the record links to the recordings for the allocated worker, not for a police officer who may not have it', async () => {
    let r = await get('sam.worker', `/children/${childId}`);
    assert.equal(r.status, 200);
    assert.match(r.text, new RegExp(`href="/children/${childId}/recordings" id="recordings-link"`));
    r = await get('sam.worker', `/children/${childId}/recordings`);
    assert.equal(r.status, 200);
    assert.match(r.text, /enctype="multipart\/form-data"/);
    assert.match(text(r.text), /0 recordings: none have been added yet/);
    // The form's first field is the CSRF token: it is checked before the file's first byte is kept.
    assert.match(r.text, /<form[^>]*id="recording-form">\s*<input type="hidden" name="csrf_token"/);
    // The retention of each kind is on the page.
    const t = text(r.text);
    assert.match(t, /Interview 75 years from the day it was recorded/);
    assert.match(t, /Meeting 2 years from the day it was recorded/);
    assert.match(t, /Other 25 years from the day it was recorded/);
  });

  test('a good upload: 303 to the list; row with kind, day, present, consent and words; audited; encrypted on disk', async () => {
    const uploads = auditRows(area.db, { action: 'recording.upload' }).length;
    const r = await upload('sam.worker', {}, AUDIO);
    assert.equal(r.status, 303, r.text);
    const loc = r.headers.get('location');
    const m = new RegExp(`^/children/${childId}/recordings\\?uploaded=(\\d+)#recording-(\\d+)$`).exec(loc);
    assert.ok(m, loc);
    recId = Number(m[1]);
    // What was stored, as the operator's list shows it (the words, who was present and consent: on the page below).
    const row = recordingRows(area.db, { child: childId }).find((x) => x.id === recId);
    assert.deepEqual(row && [row.child, row.kind, row.recorded_on, row.content_type, row.bytes, row.uploaded_by],
      [childId, 'interview', ukToday(), 'audio/mpeg', AUDIO.body.length, `user:${userId(area.db, 'sam.worker')}:sam.worker`]);
    assert.equal(auditRows(area.db, { action: 'recording.upload' }).length, uploads + 1);
    const files = filesOnDisk();
    assert.equal(files.length, 1);
    assert.ok(!fs.readFileSync(`${recDir}/${files[0]}`).includes(AUDIO.body.subarray(0, 64)));
    const page = await get('sam.worker', loc.split('#')[0]);
    assert.equal(page.status, 200);
    const t = text(page.text);
    assert.match(t, /The recording was added/);
    assert.match(t, new RegExp(`Interview, ${longDate(ukToday())}`));
    assert.match(t, /Who was present Sam Worker, social worker PC Pat Police, police officer/);
    assert.match(t, /The child's own words He said I was not to tell anyone\. I want to stay with my nan\./);
    assert.ok(t.includes(GOOD.consent), 'consent is kept');
    assert.match(t, new RegExp(`Kept until ${longDate(yearsAgo(-75))}`));
    assert.match(page.text, new RegExp(`<audio class="sg-player" controls preload="none" src="/recordings/${recId}/play"`));
  });

  for (const [what, fields, file, field, message] of [
    ['no kind', { kind: null }, AUDIO, 'kind', 'Select what kind of recording this is'],
    ['an impossible date', { day: '31', month: '2', year: '2025' }, AUDIO, 'recorded-day', 'Enter the date it was recorded as a real date'],
    ['a date in the future', { date: yearsAgo(-1) }, AUDIO, 'recorded-day', 'must be today or in the past'],
    ['no one present', { present: '  ' }, AUDIO, 'present', 'Enter who was present'],
    ['no consent', { consent: '' }, AUDIO, 'consent', 'Enter who gave consent, or why consent was not needed'],
    ['words over 4,000 characters', { words: 'x'.repeat(4001) }, AUDIO, 'words', '4,000 characters or fewer'],
    ['no file', {}, null, 'file', 'Select the recording or document to upload'],
    ['a file of a kind not kept', {}, { name: 'run.exe', type: 'application/x-msdownload', body: Buffer.from('MZ') }, 'file', 'The file must be audio'],
    ['an empty file', {}, { name: 'empty.mp3', type: 'audio/mpeg', body: Buffer.alloc(0) }, 'file', 'The selected file is empty'],
  ]) {
    test(`bad input (${what}): 400 naming the field, nothing written, no file left`, async () => {
      const rows = recordingRows(area.db).length;
      const audit = auditRows(area.db, { action: 'recording.upload' }).length;
      const files = filesOnDisk();
      const r = await upload('sam.worker', fields, file);
      assert.equal(r.status, 400, r.text.slice(0, 400));
      assert.match(r.text, /govuk-error-summary/);
      assert.match(r.text, new RegExp(`<a href="#${field}">[^<]*${message.replace(/[.()]/g, '\\$&')}`));
      assert.equal(recordingRows(area.db).length, rows);
      assert.equal(auditRows(area.db, { action: 'recording.upload' }).length, audit);
      assert.deepEqual(filesOnDisk(), files);
      // What was typed is kept (the file is not: the page says to select it again).
      if (fields.present === undefined) assert.ok(r.text.includes('PC Pat Police, police officer'));
      assert.match(r.text, /Select the file again/);
    });
  }

  test('a file over the limit: 413 naming the file, nothing written', async () => {
    const rows = recordingRows(area.db).length;
    const files = filesOnDisk();
    const big = { name: 'long.mp3', type: 'audio/mpeg', body: crypto.randomBytes(1536 * 1024) };
    const r = await upload('sam.worker', {}, big, { base: small.url });
    assert.equal(r.status, 413, r.text.slice(0, 300));
    assert.match(r.text, /<a href="#file">The file must be smaller than 1 MB/);
    assert.equal(recordingRows(area.db).length, rows);
    assert.deepEqual(filesOnDisk(), files);
  });

  test('without the CSRF token first, or with another one: 403 and nothing kept', async () => {
    const rows = recordingRows(area.db).length;
    const files = filesOnDisk();
    let r = await upload('sam.worker', {}, AUDIO, { tokenFirst: false });
    assert.equal(r.status, 403);
    r = await upload('sam.worker', {}, AUDIO, { csrf: 'not-the-token' });
    assert.equal(r.status, 403);
    r = await upload('sam.worker', {}, AUDIO, { csrf: null });
    assert.equal(r.status, 403);
    assert.equal(recordingRows(area.db).length, rows);
    assert.deepEqual(filesOnDisk(), files);
  });

  test('those without the child\'s whole record cannot upload: the same 403 whether or not the child exists', async () => {
    const rows = recordingRows(area.db).length;
    for (const [who, id] of [['una.worker', childId], ['pat.police', childId], ['sam.worker', otherChild],
      ['sam.worker', 999999]]) {
      const r = await upload(who, {}, AUDIO, { id });
      assert.equal(r.status, 403, `${who} on ${id}`);
      assert.match(r.text, /You cannot use the recordings of this child/);
    }
    // The DPO's role has no recordings at all.
    const r = await upload('dee.dpo', {}, AUDIO);
    assert.equal(r.status, 403);
    assert.equal(recordingRows(area.db).length, rows);
  });
});

describe('play and download', () => {
  test('play: the plaintext, no-store, inline, audited as recording.play', async () => {
    const plays = auditRows(area.db, { action: 'recording.play', child: childId }).length;
    const r = await getBytes('sam.worker', `/recordings/${recId}/play`);
    assert.equal(r.status, 200);
    assert.ok(r.body.equals(AUDIO.body));
    assert.equal(r.headers.get('cache-control'), 'no-store');
    assert.equal(r.headers.get('content-type'), 'audio/mpeg');
    assert.equal(r.headers.get('accept-ranges'), 'bytes');
    assert.match(r.headers.get('content-disposition'), /^inline; filename="interview.mp3"/);
    assert.equal(auditRows(area.db, { action: 'recording.play', child: childId }).length, plays + 1);
    const detail = lastAudit(area.db, { action: 'recording.play' })?.detail ?? '';
    assert.ok(detail.includes(`recording:${recId} blake2b `), detail);
    // and "who has looked" shows it, on either backend (r-review34: PostgreSQL's list left plays out)
    const viewers = await get('sam.worker', `/children/${childId}/viewers`);
    assert.equal(viewers.status, 200);
    assert.match(viewers.text, /Played a recording in the page/);
  });

  test('a seek: Range requests answered 206 with the bytes asked for, each audited', async () => {
    const plays = auditRows(area.db, { action: 'recording.play' }).length;
    let r = await getBytes('sam.worker', `/recordings/${recId}/play`, { range: 'bytes=100000-100099' });
    assert.equal(r.status, 206);
    assert.equal(r.headers.get('content-range'), `bytes 100000-100099/${AUDIO.body.length}`);
    assert.ok(r.body.equals(AUDIO.body.subarray(100000, 100100)));
    r = await getBytes('sam.worker', `/recordings/${recId}/play`, { range: 'bytes=-10' });
    assert.equal(r.status, 206);
    assert.ok(r.body.equals(AUDIO.body.subarray(AUDIO.body.length - 10)));
    r = await getBytes('sam.worker', `/recordings/${recId}/play`, { range: `bytes=${AUDIO.body.length}-` });
    assert.equal(r.status, 416);
    assert.equal(r.headers.get('content-range'), `bytes */${AUDIO.body.length}`);
    assert.equal(auditRows(area.db, { action: 'recording.play' }).length, plays + 3);
  });

  test('download: an attachment, audited as recording.download', async () => {
    const downloads = auditRows(area.db, { action: 'recording.download' }).length;
    const r = await getBytes('sam.worker', `/recordings/${recId}/download`);
    assert.equal(r.status, 200);
    assert.ok(r.body.equals(AUDIO.body));
    assert.match(r.headers.get('content-disposition'), /^attachment; filename="interview.mp3"/);
    assert.equal(r.headers.get('cache-control'), 'no-store');
    assert.equal(auditRows(area.db, { action: 'recording.download' }).length, downloads + 1);
  });

  test('403 for those who may not, the same whether or not the recording exists; a refused page is audited', async () => {
    const refused = auditRows(area.db, { action: 'access.refused' }).length;
    for (const who of ['una.worker', 'pat.police']) {
      for (const path of [`/recordings/${recId}/play`, `/recordings/${recId}/download`, '/recordings/999999/play',
        `/children/${childId}/recordings`]) {
        const r = await get(who, path);
        assert.equal(r.status, 403, `${who} ${path}`);
        assert.doesNotMatch(r.text, /interview\.mp3|nan/);
        // Nothing says which child a recording is about.
        if (path.startsWith('/recordings/')) assert.doesNotMatch(r.text, new RegExp(`/children/${childId}`));
      }
    }
    // The child's recordings page is a read of the record: its refusal is audited. A recording played or downloaded
    // is refused as one, audited whatever the id holds (r-ntk27: one entry of one kind on the recording, naming no
    // child, the same work for an id with no recording as for one the reader may not have): 2 + 2 x 3.
    assert.equal(auditRows(area.db, { action: 'access.refused' }).length, refused + 8);
    const onRec = auditRows(area.db, { action: 'access.refused', object: `recording:${recId}` });
    const onNone = auditRows(area.db, { action: 'access.refused', object: 'recording:999999' });
    assert.equal(onRec.length, 4, JSON.stringify(onRec));
    assert.equal(onNone.length, 2, JSON.stringify(onNone));
    for (const e of [...onRec, ...onNone]) {
      assert.equal(e.child_id, 0, JSON.stringify(e));
      assert.match(e.detail, /^recording\.(play|download) refused: recording [0-9]+/, JSON.stringify(e));
    }
    const r = await get('dee.dpo', `/recordings/${recId}/play`);
    assert.equal(r.status, 403);
  });
});

describe('retention and the sweep', () => {
  test('a meeting recorded 3 years ago is past its 2 years: the sweep deletes it, file and all, audited; the interview stays', async () => {
    const r = await upload('sam.worker', { kind: 'meeting', date: yearsAgo(3) },
      { name: 'strategy.webm', type: 'audio/webm', body: crypto.randomBytes(5000) });
    assert.equal(r.status, 303, r.text);
    const meeting = Number(/uploaded=(\d+)/.exec(r.headers.get('location'))[1]);
    const page = await get('sam.worker', `/children/${childId}/recordings`);
    assert.match(text(page.text), new RegExp(`Meeting, ${longDate(yearsAgo(3))}.*Kept until ${longDate(yearsAgo(1))}`));
    const disk = sql(area.db, `select disk_name from recording where id = ${meeting}`);
    assert.ok(fs.existsSync(`${recDir}/${disk}`));
    const out = runCli(['recordings', 'sweep', '--db', dbUrl(area.db)]);
    assert.match(out.stdout, /^1 recordings past their retention period deleted/);
    assert.deepEqual(recordingRows(area.db).map((x) => x.id), [recId]);
    assert.ok(!fs.existsSync(`${recDir}/${disk}`));
    const audit = auditRows(area.db, { action: 'recording.delete' }).reverse().map((e) => `${e.object}|${e.detail}|${e.child_id}`).join('\n');
    assert.equal(audit, `recording:${meeting}|retention over: meeting, kept 2 years from ${yearsAgo(3)}; ` +
      `blake2b ${audit.split('blake2b ')[1].split('|')[0]}|${childId}`);
    // Run again: nothing more to delete.
    assert.match(runCli(['recordings', 'sweep', '--db', dbUrl(area.db)]).stdout, /^0 recordings/);
    runCli(['audit', 'verify', '--db', dbUrl(area.db)]);
  });
});

describe('rekey', () => {
  const keyPath = () => dataPath(area.db, 'recordings-key');
  const db = () => dbUrl(area.db);
  // A BLOB column as upper-case hex, and a BLOB literal from hex, the same on either backend.
  const hex = (col) => (onPostgres() ? `upper(encode(${col}, 'hex'))` : `hex(${col})`);
  const blob = (h) => (onPostgres() ? `decode('${h}', 'hex')` : `X'${h}'`);

  test('every key rewrapped under a new key file; the files are not rewritten; the recordings still play', async () => {
    await server.stop();
    await small.stop();
    server = null;
    small = null;
    const second = { name: 'note.txt', type: 'text/plain', body: Buffer.from('the child drew her house') };
    const oldKey = fs.readFileSync(keyPath());
    const filesBefore = filesOnDisk().map((f) => [f, fs.readFileSync(`${recDir}/${f}`)]);
    const wrappedBefore = sql(area.db, `select ${hex('wrapped_key')} from recording order by id`);
    const out = runCli(['recordings', 'rekey', '--db', db()]);
    assert.match(out.stdout, /^1 recordings rewrapped under a new recordings key/);
    const newKey = fs.readFileSync(keyPath());
    assert.equal(newKey.length, 32);
    assert.ok(!newKey.equals(oldKey));
    assert.equal(fs.statSync(keyPath()).mode & 0o777, 0o600);
    assert.ok(!fs.existsSync(`${keyPath()}.new`));
    assert.notEqual(sql(area.db, `select ${hex('wrapped_key')} from recording order by id`), wrappedBefore);
    for (const [f, bytes] of filesBefore) assert.ok(fs.readFileSync(`${recDir}/${f}`).equals(bytes), f);
    assert.match(auditRows(area.db, { action: 'recordings.rekey' }).reverse().map((e) => e.detail).join('\n'),
      /^1 recordings rewrapped; key [0-9a-f]{16} to [0-9a-f]{16}$/);
    runCli(['recordings', 'verify', '--db', db()]);
    server = await startServer(area.db);
    for (const k of Object.keys(sessions)) delete sessions[k];
    const r = await getBytes('sam.worker', `/recordings/${recId}/play`);
    assert.equal(r.status, 200);
    assert.ok(r.body.equals(AUDIO.body));
    const up = await upload('sam.worker', { kind: 'other' }, second);
    assert.equal(up.status, 303, up.text);
  });

  test('a failure half-way (a row whose key does not open) changes nothing: every recording under the old key', async () => {
    await server.stop();
    server = null;
    const key = fs.readFileSync(keyPath());
    const ids = recordingRows(area.db).map((x) => String(x.id));
    assert.equal(ids.length, 2);
    const last = ids[1];
    const good = sql(area.db, `select ${hex('wrapped_key')} from recording where id = ${last}`);
    const before = sql(area.db, `select id || ${hex('wrapped_key')} || ${hex('key_nonce')} from recording order by id`);
    const audits = auditEntries(area.db);
    sqlWrite(area.db, `update recording set wrapped_key = ${blob('00'.repeat(48))} where id = ${last}`);
    const out = runCli(['recordings', 'rekey', '--db', db()], { check: false });
    assert.equal(out.status, 1);
    assert.match(out.stderr, new RegExp(`recording ${last}'s key does not open .*nothing was changed`));
    assert.ok(fs.readFileSync(keyPath()).equals(key));
    assert.ok(!fs.existsSync(`${keyPath()}.new`));
    assert.equal(auditEntries(area.db), audits);
    // The first row, rewrapped in memory before the failing one, is as it was.
    sqlWrite(area.db, `update recording set wrapped_key = ${blob(good)} where id = ${last}`);
    assert.equal(sql(area.db, `select id || ${hex('wrapped_key')} || ${hex('key_nonce')} from recording order by id`), before);
    assert.match(runCli(['recordings', 'verify', '--db', db()]).stdout, /^2 recordings verified/);
  });

  test('interrupted after the commit: the server refuses to start; the next rekey finds the key the rows are under', async () => {
    const oldKey = fs.readFileSync(keyPath());
    runCli(['recordings', 'rekey', '--db', db()]);
    const newKey = fs.readFileSync(keyPath());
    // The state a crash between the commit and the rename leaves: rows under the new key, in KEY.new; KEY old.
    fs.writeFileSync(keyPath(), oldKey, { mode: 0o600 });
    fs.writeFileSync(`${keyPath()}.new`, newKey, { mode: 0o600 });
    let r = runCli(['recordings', 'verify', '--db', db()], { check: false });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /a recordings rekey was interrupted .*run `safeguard recordings rekey --db URL` to finish it/);
    r = runCli(['serve', '--db', db(), '--listen', '127.0.0.1:0'], { check: false });
    assert.equal(r.status, 1);
    r = runCli(['recordings', 'rekey', '--db', db()]);
    assert.match(r.stderr, /an interrupted rekey was finished \(the recordings were under the new key\)/);
    assert.match(r.stdout, /^2 recordings rewrapped/);
    assert.ok(!fs.existsSync(`${keyPath()}.new`));
    assert.match(runCli(['recordings', 'verify', '--db', db()]).stdout, /^2 recordings verified/);
    // And the other way: a stale KEY.new whose transaction never committed is dropped.
    fs.writeFileSync(`${keyPath()}.new`, crypto.randomBytes(32), { mode: 0o600 });
    r = runCli(['recordings', 'rekey', '--db', db()]);
    assert.match(r.stderr, /an interrupted rekey was undone \(the recordings were under the old key\)/);
    assert.match(runCli(['recordings', 'verify', '--db', db()]).stdout, /^2 recordings verified/);
    runCli(['audit', 'verify', '--db', db()]);
  });
});

describe('the operator\'s list (safeguard recordings list)', () => {
  test('each recording, oldest first, with --child; audited before it is read; none of the row\'s personal data', async () => {
    server = await startServer(area.db);
    runCli(['allocate', '--db', dbUrl(area.db), '--child', String(otherChild), '--user', 'sam.worker']);
    const up = await upload('sam.worker', { kind: 'meeting' }, AUDIO, { id: otherChild });
    assert.equal(up.status, 303, up.text);
    const other = Number(/uploaded=(\d+)/.exec(up.headers.get('location'))[1]);
    const all = recordingRows(area.db);
    assert.equal(all.length, 3);
    assert.deepEqual(all.map((x) => x.id), [...all.map((x) => x.id)].sort((a, b) => a - b), 'oldest first');
    assert.deepEqual(recordingRows(area.db, { child: otherChild }).map((x) => [x.id, x.child, x.kind]), [[other, otherChild, 'meeting']]);
    assert.deepEqual(recordingRows(area.db, { child: childId }).map((x) => x.child), [childId, childId]);
    const e = lastAudit(area.db, { action: 'recordings.list' });
    assert.deepEqual([e.actor, e.child_id, e.object], ['cli', childId, `child:${childId}`]);
    assert.deepEqual(runCli(['recordings', 'list', '--db', dbUrl(area.db), '--limit', '1', '--json']).stdout.trim().split('\n')
      .map((l) => JSON.parse(l).id), [all[0].id]);
    const tsv = runCli(['recordings', 'list', '--db', dbUrl(area.db)]).stdout;
    assert.equal(tsv.split('\n')[0], 'id\tchild\tkind\trecorded_on\tcontent_type\tbytes\tuploaded_by\tuploaded_at');
    assert.equal(tsv.trim().split('\n').length, 4);
    for (const secret of ['interview.mp3', 'nan', 'Pat Police', 'parental responsibility']) {
      assert.ok(!tsv.includes(secret), secret);
    }
  });

  test('a sealed child\'s recordings are not listed, not even asked for by id', async () => {
    await server.stop();
    server = null;
    runCli(['seal', '--db', dbUrl(area.db), '--child', String(otherChild), '--basis', 'adoption']);
    assert.deepEqual(recordingRows(area.db, { child: otherChild }), []);
    assert.deepEqual(recordingRows(area.db).map((x) => x.child), [childId, childId]);
  });

  test('misuse is answered 2, naming the option', () => {
    const db = dbUrl(area.db);
    for (const [args, re] of [
      [['recordings', 'list', '--db', db, '--child', '0'], /--child must be a child's id/],
      [['recordings', 'list', '--db', db, '--limit', 'x'], /--limit must be a whole number/],
      [['recordings', 'list', '--db', db, '--nope'], /unknown option --nope/],
      [['recordings', 'list', '--db', db, 'extra'], /unexpected argument "extra"/],
      [['recordings', 'list'], /--db URL is required/],
    ]) {
      const r = runCli(args, { check: false });
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, re, args.join(' '));
    }
  });
});
