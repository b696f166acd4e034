// The HTTP edge under clients that do not behave as a browser does (issues 13 and 14): answers given before a
// body is read reach clients that write the whole body first (lingering close), one address cannot take every
// connection, no body is kept before the caller is known, sign-in returns only to a path of this service,
// forms work behind a TLS proxy, and the database and key files are readable by their owner only.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  BIN, assertNoSanitizerReport, event, freshArea, postEvent, rawPost, removeDir, request, runCli, startServer,
  tempDir, totp, newAuthenticator, dbUrl, addPerson, onPostgres,
} from './lib.mjs';

const PASSWORD = 'http hardening passphrase';
const MiB = 1024 * 1024;
const PER_ADDRESS_DEFAULT = 64; // http/server.h HTTP_CONNECTIONS_PER_ADDRESS_DEFAULT
const CONNECTIONS_MAX = 1000; // http/server.h HTTP_CONNECTIONS_MAX
// These bound a hang; they are not synchronisation.
const WAIT_MS = 60000;

let area;
let server;
let childId;
let secret; // wes.worker's TOTP secret
let workerToken; // wes.worker's API session (POST /api/v1/sessions)

/**
 * POSTs size bytes with Python's urllib, the kind of client issue 13 is about: it sends Content-Length (no
 * "Expect: 100-continue"), writes the whole body and only then reads the answer. chunked: the body as an
 * iterable, which urllib sends with Transfer-Encoding: chunked. {status, json} or {error}.
 */
function pythonPost(url, headers, size, { chunked = false } = {}) {
  const script = `
import json, sys, urllib.request, urllib.error
a = json.loads(sys.argv[1])
body = b'x' * a['size']
data = (body[i:i + 65536] for i in range(0, len(body), 65536)) if a['chunked'] else body
req = urllib.request.Request(a['url'], data=data, method='POST', headers=a['headers'])
try:
    with urllib.request.urlopen(req, timeout=60) as r:
        out = {'status': r.status, 'text': r.read().decode('utf-8', 'replace')}
except urllib.error.HTTPError as e:
    out = {'status': e.code, 'text': e.read().decode('utf-8', 'replace')}
except OSError as e:
    out = {'error': type(e).__name__ + ': ' + str(e)}
print(json.dumps(out))
`;
  const r = spawnSync('python3', ['-c', script, JSON.stringify({ url, headers, size, chunked })],
    { encoding: 'utf8', timeout: WAIT_MS });
  if (r.error) throw r.error;
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  if (out.text !== undefined) {
    try { out.json = JSON.parse(out.text); } catch { out.json = null; }
  }
  return out;
}

function setCookie(res, name) {
  return res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`)) ?? null;
}

/** The sign-in form as a browser posts it; next is put into the body as it is (already form-encoded). */
async function signIn(base, rawNext) {
  secret = newAuthenticator(area.db, 'wes.worker'); // each code signs in once: as a minute later
  const form = await fetch(`${base}/sign-in`);
  const pre = setCookie(form, 'sg_presession').split(';')[0];
  const csrf = /name="csrf_token" value="([^"]+)"/.exec(await form.text())[1];
  let body = new URLSearchParams({ username: 'wes.worker', password: PASSWORD, totp: totp(secret), csrf_token: csrf })
    .toString();
  if (rawNext !== undefined) body += `&next=${rawNext}`;
  return fetch(`${base}/sign-in`, {
    method: 'POST', redirect: 'manual', body,
    headers: { cookie: pre, 'content-type': 'application/x-www-form-urlencoded', origin: base },
  });
}

async function webSession(base) {
  const r = await signIn(base);
  assert.equal(r.status, 303, await r.text());
  return setCookie(r, 'sg_session').split(';')[0];
}

function vmRssKiB(pid) {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  assert.ok(m, 'VmRSS in /proc/PID/status');
  return Number(m[1]);
}

/** Resolves once cond() is true, looking again every 50 ms; fails after WAIT_MS (a bound on a hang). */
async function until(cond, what) {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    if (cond()) return;
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${what}`);
    await new Promise((r) => { setTimeout(r, 50); });
  }
}

before(async () => {
  area = freshArea('http-hardening');
  secret = addPerson(area.db, 'wes.worker', 'social_care', 'social_worker', PASSWORD);
  server = await startServer(area.db);
  const created = await postEvent(server.url, area.tokens.education, event({ source_ref: 'HH-1' }));
  assert.equal(created.status, 201, created.text);
  childId = created.json.child_id;
  runCli(['allocate', '--db', dbUrl(area.db), '--child', String(childId), '--user', 'wes.worker']);
  secret = newAuthenticator(area.db, 'wes.worker');
  const s = await request(`${server.url}/api/v1/sessions`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'wes.worker', password: PASSWORD, totp: totp(secret) }),
  });
  assert.equal(s.status, 201, s.text);
  workerToken = s.json.token;
});

after(async () => {
  try {
    if (server) await server.stop();
  } finally {
    if (area) removeDir(area.dir);
  }
});

describe('answers before the body reach a client that does not ask first (lingering close)', () => {
  const events = () => `${server.url}/api/v1/events`;
  const recordings = () => `${server.url}/api/v1/children/${childId}/recordings?filename=interview.mp3`;

  test('413: urllib posting 2 MiB (and 6 MiB) reads the status, not a broken pipe', () => {
    const auth = { Authorization: `Bearer ${area.tokens.police}`, 'Content-Type': 'application/json' };
    for (const size of [2 * MiB, 2 * MiB, 2 * MiB, 6 * MiB]) {
      const r = pythonPost(events(), auth, size);
      assert.equal(r.status, 413, `${size} bytes: ${JSON.stringify(r)}`);
      assert.equal(r.json.error.code, 'body_too_large');
    }
    // A chunked body over the limit: read to its end and dropped, then the same answer.
    const chunked = pythonPost(events(), auth, 3 * MiB, { chunked: true });
    assert.equal(chunked.status, 413, JSON.stringify(chunked));
    assert.equal(chunked.json.error.code, 'body_too_large');
  });

  test('401: a body without credentials is answered 401 before it is read, and urllib reads it', () => {
    for (const size of [512 * 1024, 2 * MiB, 6 * MiB]) {
      const r = pythonPost(events(), { 'Content-Type': 'application/json' }, size);
      assert.equal(r.status, 401, `${size} bytes: ${JSON.stringify(r)}`);
      assert.equal(r.json.error.code, 'unauthenticated');
      const bad = pythonPost(events(), { 'Content-Type': 'application/json', Authorization: 'Bearer sgt_nope' }, size);
      assert.equal(bad.status, 401, `${size} bytes: ${JSON.stringify(bad)}`);
      assert.equal(bad.json.error.code, 'invalid_token');
    }
    // A streamed request (a recording) is refused at its headers too.
    for (const size of [2 * MiB, 6 * MiB]) {
      const r = pythonPost(recordings(), { 'Content-Type': 'audio/mpeg' }, size);
      assert.equal(r.status, 401, `${size} bytes: ${JSON.stringify(r)}`);
    }
  });

  test('415: a recording of a type not kept is refused before its body, and urllib reads it', () => {
    const files = fs.readdirSync(recordingsDir(area.db)).length;
    for (const size of [2 * MiB, 6 * MiB]) {
      const r = pythonPost(recordings(), { Authorization: `Bearer ${workerToken}`, 'Content-Type': 'application/x-msdownload' },
        size);
      assert.equal(r.status, 415, `${size} bytes: ${JSON.stringify(r)}`);
      assert.equal(r.json.error.code, 'unsupported_media_type');
    }
    assert.equal(fs.readdirSync(recordingsDir(area.db)).length, files, 'nothing was written');
  });

  test('a client that asks first (Expect: 100-continue) is answered at once and never sends the body', async () => {
    const big = Buffer.alloc(2 * MiB, 'x');
    const r = await rawPost(events(), { 'Content-Type': 'application/json' }, big);
    assert.equal(r.status, 401, r.text);
    assert.equal(r.wentOn, false);
    const over = await rawPost(events(), { 'Content-Type': 'application/json', Authorization: `Bearer ${area.tokens.police}` },
      big);
    assert.equal(over.status, 413, over.text);
    assert.equal(over.wentOn, false);
  });

  test('bounded: a declared body over 16 MiB is answered at once; an endless refused body is cut off', async (t) => {
    // Declared 1 GiB: nobody waits for that. The answer comes at once and the server closes.
    const declared = await new Promise((resolve, reject) => {
      const s = net.connect({ host: '127.0.0.1', port: server.port }, () => {
        s.write(`POST /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n`
          + `Content-Length: ${1024 * MiB}\r\n\r\n`);
      });
      let text = '';
      s.setEncoding('latin1');
      s.on('data', (d) => { text += d; });
      s.on('error', () => {}); // the close may come as a reset: the text read so far is what counts
      s.on('close', () => resolve(text));
      s.setTimeout(WAIT_MS, () => reject(new Error('no answer to a 1 GiB declared body')));
    });
    assert.match(declared, /^HTTP\/1\.1 401 /);
    // A chunked body without credentials that never ends: read and dropped up to the bound, then closed.
    const written = await new Promise((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port: server.port });
      const piece = Buffer.alloc(64 * 1024, 'x');
      const chunk = Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]);
      let n = 0;
      let done = false;
      const finish = () => { if (!done) { done = true; s.destroy(); resolve(n); } };
      s.on('error', finish);
      s.on('close', finish);
      s.on('connect', () => {
        s.write('POST /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n'
          + 'Transfer-Encoding: chunked\r\n\r\n');
        const pump = () => {
          // Bounded: 1 GiB at most, far past the 16 MiB the server reads of a refused body.
          while (!done && n < 1024 * MiB) {
            n += piece.length;
            if (!s.write(chunk)) { s.once('drain', pump); return; }
          }
          finish();
        };
        pump();
      });
    });
    t.diagnostic(`the client wrote ${written} bytes before the server closed`);
    // 16 MiB read and dropped, plus what the kernel's buffers on both sides held when the server closed.
    assert.ok(written < 128 * MiB, `the client wrote ${written} bytes of a refused body before the server closed`);
  });
});

describe('one address cannot take every connection', () => {
  /** count sockets from localAddress, each sending the start of a request and one more byte a second (slowloris). */
  function slowSockets(localAddress, count) {
    const all = [];
    let closedByServer = 0;
    for (let i = 0; i < count; i++) {
      const s = net.connect({ host: '127.0.0.1', port: server.port, localAddress });
      const entry = { s, mine: false };
      s.on('connect', () => s.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: '));
      s.on('error', () => {});
      s.on('close', () => { if (!entry.mine) closedByServer++; });
      all.push(entry);
    }
    const trickle = setInterval(() => { for (const e of all) if (!e.s.destroyed) e.s.write('a'); }, 1000);
    return {
      get closedByServer() { return closedByServer; },
      end() {
        clearInterval(trickle);
        for (const e of all) { e.mine = true; e.s.destroy(); }
      },
    };
  }

  test(`1,010 slow sockets from one address: ${PER_ADDRESS_DEFAULT} are kept, the rest closed, /healthz answers others`,
    async () => {
      const n = CONNECTIONS_MAX + 10;
      const slow = slowSockets('127.0.0.2', n);
      try {
        await until(() => slow.closedByServer >= n - PER_ADDRESS_DEFAULT,
          `the server to close the sockets over the per-address limit (closed ${slow.closedByServer})`);
        const r = await request(`${server.url}/healthz`);
        assert.equal(r.status, 200, r.text);
        assert.equal(slow.closedByServer, n - PER_ADDRESS_DEFAULT, 'exactly the limit is kept');
      } finally {
        slow.end();
      }
    });

  test('--max-connections-per-address sets the limit (0: only the global one); bad values are refused', async () => {
    /** n keep-alive connections from localAddress, each asking for /healthz: how many were answered, how many closed. */
    async function burst(port, localAddress, n) {
      const sockets = [];
      const outcomes = await Promise.all(Array.from({ length: n }, () => new Promise((resolve) => {
        const s = net.connect({ host: '127.0.0.1', port, localAddress });
        sockets.push(s);
        let text = '';
        s.setEncoding('latin1');
        s.on('connect', () => s.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'));
        s.on('data', (d) => { text += d; if (/\r\n\r\n/.test(text)) resolve('answered'); });
        s.on('error', () => {});
        s.on('close', () => resolve(text ? 'answered' : 'closed'));
      })));
      for (const s of sockets) s.destroy();
      return { answered: outcomes.filter((o) => o === 'answered').length, closed: outcomes.filter((o) => o === 'closed').length };
    }
    const three = await startServer(area.db, { extraArgs: ['--max-connections-per-address', '3'] });
    const none = await startServer(area.db, { extraArgs: ['--max-connections-per-address', '0'] });
    try {
      assert.deepEqual(await burst(three.port, '127.0.0.3', 10), { answered: 3, closed: 7 });
      assert.deepEqual(await burst(none.port, '127.0.0.3', 100), { answered: 100, closed: 0 });
      assert.deepEqual(await burst(server.port, '127.0.0.3', 100), { answered: PER_ADDRESS_DEFAULT, closed: 100 - PER_ADDRESS_DEFAULT });
    } finally {
      await three.stop();
      await none.stop();
    }
    for (const bad of ['1001', '-1', 'x', '']) {
      const r = runCli(['serve', '--db', dbUrl(area.db), '--listen', '127.0.0.1:0', '--max-connections-per-address', bad],
        { check: false });
      assert.equal(r.status, 2, bad);
      assert.match(r.stderr, /--max-connections-per-address must be 0 .* to 1000/, bad);
    }
  });
});

describe('no body is kept before the caller is known', () => {
  /** /proc/net/tcp's queues for the connections between the server's port and the given client addresses. */
  function tcpQueues(port, clients) {
    const ip = (h) => [6, 4, 2, 0].map((i) => parseInt(h.slice(i, i + 2), 16)).join('.');
    let serverRx = 0;
    let clientTx = 0;
    for (const line of fs.readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 5) continue;
      const [lip, lport] = f[1].split(':');
      const [rip, rport] = f[2].split(':');
      const [tx, rx] = f[4].split(':').map((h) => parseInt(h, 16));
      if (parseInt(lport, 16) === port && clients.has(ip(rip))) serverRx += rx;
      if (parseInt(rport, 16) === port && clients.has(ip(lip))) clientTx += tx;
    }
    return { serverRx, clientTx };
  }

  test('300 half-sent 1 MiB bodies without credentials (API and pages): the server stays under +64 MiB', async (t) => {
    const clients = ['127.0.0.4', '127.0.0.5', '127.0.0.6', '127.0.0.7', '127.0.0.8', '127.0.0.9'];
    const perClient = 50; // under the per-address limit: every one is accepted, so only buffering could cost memory
    const before = vmRssKiB(server.pid);
    const half = Buffer.alloc(512 * 1024, 'x');
    const sockets = [];
    let sent = 0;
    let answers = '';
    try {
      await Promise.all(clients.flatMap((localAddress, k) => Array.from({ length: perClient }, (_, i) => new Promise(
        (resolve, reject) => {
          const page = (k * perClient + i) % 2 === 1;
          const s = net.connect({ host: '127.0.0.1', port: server.port, localAddress });
          sockets.push(s);
          s.setEncoding('latin1');
          s.on('data', (d) => { answers += d; });
          s.on('error', () => {});
          s.on('connect', () => {
            s.write(page
              ? `POST /children/${childId}/concerns HTTP/1.1\r\nHost: 127.0.0.1\r\n`
                + `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${MiB}\r\n\r\n`
              : `POST /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n`
                + `Content-Length: ${MiB}\r\n\r\n`);
            s.write(half, (err) => { if (!err) sent++; resolve(); });
          });
          s.setTimeout(WAIT_MS, () => reject(new Error('a half body could not be sent')));
        }))));
      // Every byte sent has been taken off the sockets by the server (or its connection closed).
      const addrs = new Set(clients);
      await until(() => { const q = tcpQueues(server.port, addrs); return q.serverRx === 0 && q.clientTx === 0; },
        'the server to read what was sent');
      const grown = vmRssKiB(server.pid) - before;
      t.diagnostic(`VmRSS ${before} KiB before, grew by ${grown} KiB`);
      assert.ok(sent > 250, `${sent} half bodies were sent`);
      assert.ok(grown < 64 * 1024, `the server grew by ${grown} KiB for ${sent} half-sent bodies (${sent / 2} MiB sent)`);
      assert.doesNotMatch(answers, /HTTP\/1\.1 [^4]/, 'no request went further than a refusal');
    } finally {
      for (const s of sockets) s.destroy();
    }
  });

  test('a whole body without credentials is answered 401 (API) or 403 (a page), however big', async () => {
    const r = await postEvent(server.url, null, 'x'.repeat(MiB));
    assert.equal(r.status, 401, r.text);
    const form = await fetch(`${server.url}/children/${childId}/concerns`, {
      method: 'POST', redirect: 'manual', body: 'summary=x'.padEnd(MiB, 'x'),
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
    });
    assert.equal(form.status, 403);
    assert.match(await form.text(), /Your session has ended/);
    // The public sign-in takes a small body only (16 KiB): a sign-in is a name, a password and a code.
    const big = await request(`${server.url}/api/v1/sessions`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'wes.worker', password: 'x'.repeat(20000), totp: '123456' }),
    });
    assert.equal(big.status, 413, big.text);
    assert.equal(big.json.error.code, 'body_too_large');
  });
});

describe('sign-in goes back only to a path of this service', () => {
  // As they arrive in the form body (form-encoded), with what the server decodes them to.
  const hostile = [
    ['//evil.example/x', '//evil.example/x'],
    ['/%5Cevil.example/x', '/\\evil.example/x'],
    ['/%09/evil.example/x', '/<TAB>/evil.example/x'],
    ['https%3A%2F%2Fevil.example%2Fx', 'https://evil.example/x'],
    ['/%252F/evil.example/x', '/%2F/evil.example/x'],
    ['/%250A/evil.example/x', '/%0A/evil.example/x'],
    ['/x%0D%0ASet-Cookie:%20sg_session=evil', '/x<CR><LF>Set-Cookie: sg_session=evil'],
    ['/%0A/evil.example/x', '/<LF>/evil.example/x'],
  ];

  test('each hostile next lands on the person\'s own work instead (their role\'s page, issue 15)', async () => {
    for (const [raw, what] of hostile) {
      const r = await signIn(server.url, raw);
      assert.equal(r.status, 303, `${what}: ${await r.text()}`);
      assert.equal(r.headers.get('location'), '/alerts', what); // wes.worker is a social worker
      assert.match(setCookie(r, 'sg_session') ?? '', /^sg_session=sgs_/, `${what}: signed in all the same`);
    }
  });

  test('the sign-in page does not carry a hostile next in its form; a path of ours is carried and followed', async () => {
    for (const [raw, what] of hostile) {
      const page = await (await fetch(`${server.url}/sign-in?next=${raw}`)).text();
      assert.doesNotMatch(page, /name="next"/, what);
    }
    const page = await (await fetch(`${server.url}/sign-in?next=/alerts%3Fx%3D1`)).text();
    assert.match(page, /name="next" value="\/alerts\?x=1"/);
    const r = await signIn(server.url, '/alerts%3Fx%3D1');
    assert.equal(r.status, 303);
    assert.equal(r.headers.get('location'), '/alerts?x=1');
  });
});

describe('behind a TLS proxy (serve --behind-tls)', () => {
  let tls;
  before(async () => { tls = await startServer(area.db, { extraArgs: ['--behind-tls'] }); });
  after(async () => { if (tls) await tls.stop(); });

  /** Signs out with the form on /alerts, as a browser on ORIGIN would send it. */
  async function signOut(base, cookie, origin) {
    const home = await (await fetch(`${base}/alerts`, { headers: { cookie }, redirect: 'manual' })).text();
    const csrf = /name="csrf_token" value="([^"]+)"/.exec(home)[1];
    return fetch(`${base}/sign-out`, {
      method: 'POST', redirect: 'manual', body: new URLSearchParams({ csrf_token: csrf }),
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', origin },
    });
  }

  test('a form from https://HOST is accepted; http://HOST, another host or another site are refused', async () => {
    const host = `127.0.0.1:${tls.port}`;
    const cookie = await webSession(tls.url);
    for (const origin of [`http://${host}`, `https://evil.example`, `https://${host}.evil.example`]) {
      const r = await signOut(tls.url, cookie, origin);
      assert.equal(r.status, 403, origin);
      assert.match(await r.text(), /The form could not be sent/, origin);
    }
    const ok = await signOut(tls.url, cookie, `https://${host}`);
    assert.equal(ok.status, 303, await ok.text());
    assert.equal(ok.headers.get('location'), '/sign-in?signed_out=1');
    assert.match(setCookie(ok, 'sg_session'), /; Secure; /);
  });

  test('without --behind-tls an https origin is another site', async () => {
    const cookie = await webSession(server.url);
    const r = await signOut(server.url, cookie, `https://127.0.0.1:${server.port}`);
    assert.equal(r.status, 403);
    const ok = await signOut(server.url, cookie, server.url);
    assert.equal(ok.status, 303);
  });
});

/** Where an area keeps its recordings: beside SQLite's file, in the data folder on PostgreSQL (lib's dbUrl). */
function recordingsDir(db) {
  return onPostgres() ? path.join(`${db}.data`, 'recordings') : `${db}.recordings`;
}

describe('the database and the keys are readable by their owner only', () => {
  let dir;
  let oldMask;
  before(() => {
    dir = tempDir('http-modes');
    oldMask = process.umask(0o022); // the usual umask: files are world-readable unless made otherwise
  });
  after(() => {
    process.umask(oldMask);
    removeDir(dir);
  });
  const mode = (p) => fs.statSync(p).mode & 0o777;

  test('migrate makes the database 0600; serve keeps its -wal and -shm and makes the keys 0600', async () => {
    const db = path.join(dir, 'safeguard.db');
    runCli(['migrate', '--db', dbUrl(db)]);
    if (onPostgres()) { // the database is the cluster's; the keys and recordings are in the data folder
      const s = await startServer(db);
      try {
        const data = `${db}.data`;
        assert.equal(mode(data).toString(8), '700');
        assert.equal(mode(path.join(data, 'audit-key')).toString(8), '600');
        assert.equal(mode(path.join(data, 'recordings-key')).toString(8), '600');
        assert.equal(mode(path.join(data, 'recordings')).toString(8), '700');
      } finally {
        await s.stop();
      }
      return;
    }
    assert.equal(mode(db).toString(8), '600');
    const s = await startServer(db);
    try {
      // While the server has the database open, the WAL and its index exist.
      assert.equal(mode(`${db}-wal`).toString(8), '600');
      assert.equal(mode(`${db}-shm`).toString(8), '600');
      assert.equal(mode(`${db}.audit-key`).toString(8), '600');
      assert.equal(mode(`${db}.recordings-key`).toString(8), '600');
      assert.equal(mode(`${db}.recordings`).toString(8), '700');
    } finally {
      await s.stop();
    }
  });

  test('demo --no-serve makes its database 0600 too', {
    skip: onPostgres() ? 'SQLite file only: on PostgreSQL demo --no-serve makes no file (the database is the '
      + "cluster's; the keys come with serve, checked above)" : false,
  }, () => {
    const db = path.join(dir, 'demo', 'safeguard.db');
    fs.mkdirSync(path.dirname(db));
    runCli(['demo', '--db', dbUrl(db), '--families', '2', '--no-serve']);
    assert.equal(mode(db).toString(8), '600');
    for (const f of fs.readdirSync(path.dirname(db))) {
      assert.equal(mode(path.join(path.dirname(db), f)) & 0o077, 0, `${f} is not readable by others`);
    }
  });
});

describe('the request trace (SAFEGUARD_REQ_TRACE) keeps its last mark', () => {
  // The rule itself, with more marks than slots, is tests/unit/test_reqtrace.c; this is the server using it.
  const LINE = /^req-trace: (\d{3}) ([A-Z]+) total=(\d+)((?: [a-z]+=\+\d+\/(?:\+\d+|-))+)(?: dropped=(\d+))?$/;

  test('each request writes one line ending with sent or ended, its marks adding up to its total; no path', async () => {
    const traced = await startServer(area.db, { env: { SAFEGUARD_REQ_TRACE: '1' } });
    let lines;
    try {
      const cookie = await webSession(traced.url);
      const page = await fetch(`${traced.url}/children/${childId}?q=HH-1`, { headers: { cookie } });
      assert.equal(page.status, 200);
      await page.text();
      assert.equal((await fetch(`${traced.url}/healthz`).then((r) => r.status)), 200);
      assert.equal((await fetch(`${traced.url}/no/such/page`).then((r) => r.status)), 404);
    } finally {
      await traced.stop(); // every request has ended, so every line is written
      lines = traced.stderr.split('\n').filter((l) => l.startsWith('req-trace: '));
    }
    assert.ok(lines.length >= 5, `sign-in form, sign-in, record page, /healthz, 404: ${lines.length} lines`);
    for (const line of lines) {
      const m = LINE.exec(line);
      assert.ok(m, `a trace line as INTERNALS describes: ${line}`);
      const marks = [...m[4].matchAll(/ ([a-z]+)=\+(\d+)\//g)];
      assert.match(marks.at(-1)[1], /^(sent|ended)$/, line);
      const walls = marks.reduce((s, x) => s + Number(x[2]), 0);
      assert.ok(Math.abs(walls - Number(m[3])) <= marks.length, `the marks add up to the total (rounding apart): ${line}`);
      assert.equal(m[5], undefined, `no request here has more marks than slots: ${line}`);
      assert.doesNotMatch(line, new RegExp(`children|healthz|HH-1|wes|/${childId}\\b`), 'no path, query or name');
    }
    const record = lines.map((l) => LINE.exec(l)).find((m) => m[1] === '200' && / render=/.test(m[4]));
    assert.ok(record, 'the record page was traced');
    const names = [...record[4].matchAll(/ ([a-z]+)=/g)].map((x) => x[1]);
    for (const [a, b] of [['handler', 'session'], ['session', 'audit'], ['audit', 'committed'], ['render', 'queue'],
      ['queue', 'sent']]) {
      assert.ok(names.indexOf(a) >= 0 && names.indexOf(a) < names.indexOf(b), `${a} before ${b}: ${names.join(' ')}`);
    }
  });
});
