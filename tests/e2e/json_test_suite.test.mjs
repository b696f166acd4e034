// Every JSONTestSuite parsing case POSTed as-is: always an answer, never a 5xx, never a crash. The suite lives
// outside the repository ($SHARED/testdata/JSONTestSuite, SHARED defaulting to ../shared): where it is absent
// the test is skipped and says so.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { SHARED, freshArea, removeDir, request, startServer, rowCount } from './lib.mjs';

const DIR = path.join(SHARED, 'testdata', 'JSONTestSuite', 'test_parsing');
const skip = fs.existsSync(DIR) ? false : `skipped suite JSONTestSuite: ${DIR} not found (set SHARED)`;

let area;
let server;

before(async () => {
  if (skip) return;
  area = freshArea('jsonsuite');
  server = await startServer(area.db);
});

after(async () => {
  try {
    if (server) await server.stop();
  } finally {
    removeDir(area?.dir);
  }
});

test('every JSONTestSuite file gets a 2xx or 4xx answer and the server stays up', { timeout: 120000, skip }, async () => {
  const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();
  assert.equal(files.length, 318, `expected the 318 JSONTestSuite parsing files in ${DIR}`);
  const token = area.tokens.police;
  let answered = 0;
  const wrong = [];
  const byStatus = {};
  for (const f of files) {
    const body = fs.readFileSync(path.join(DIR, f));
    let status;
    try {
      const res = await fetch(`${server.url}/api/v1/events`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body,
      });
      await res.arrayBuffer();
      status = res.status;
      answered++;
    } catch (e) {
      wrong.push(`${f}: no answer (${e.cause?.code || e.message})`);
      continue;
    }
    byStatus[status] = (byStatus[status] || 0) + 1;
    if (!((status >= 200 && status < 300) || (status >= 400 && status < 500))) wrong.push(`${f}: ${status}`);
    // A parse that must fail (n_) is refused; nothing in the suite is a valid event.
    if (f.startsWith('n_') && status < 400) wrong.push(`${f}: accepted invalid JSON with ${status}`);
  }
  assert.deepEqual(wrong, [], `alive=${server.isAlive()} stderr tail: ${server.stderr.slice(-2000)}`);
  assert.equal(answered, files.length);
  assert.ok(byStatus[400] > 0, JSON.stringify(byStatus));
  assert.equal(rowCount(area.db, 'event'), 0, 'none of these bodies is an event');

  const h = await request(`${server.url}/healthz`);
  assert.equal(h.status, 200);
  assert.deepEqual(h.json, { status: 'ok' });
  assert.ok(server.isAlive(), 'the server process is still running');
  assert.doesNotMatch(server.stderr, /ERROR: AddressSanitizer|runtime error:/);
});
