// "Answered 201 = kept": SIGKILL the server in the middle of a burst, restart, and find every answered record.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  auditRows,
  AGENCIES, event, freshArea, letters, nhsNumbers, postEvent, removeDir, request, sql, startServer, onPostgres, rowCount,
} from './lib.mjs';

const TOTAL = 3000;
const CONCURRENCY = 32;
const KILL_AFTER = 500;

let area;
let first;
let second;

before(() => { area = freshArea('durability'); });

after(async () => {
  try {
    if (first?.isAlive()) await first.kill9();
    if (second) await second.stop();
  } finally {
    removeDir(area?.dir);
  }
});

function bodies() {
  const gen = nhsNumbers(600000000);
  const out = [];
  for (let i = 0; i < TOTAL; i++) {
    const agency = AGENCIES[i % AGENCIES.length];
    const day = String((i % 28) + 1).padStart(2, '0');
    const month = String((Math.floor(i / 28) % 12) + 1).padStart(2, '0');
    out.push({
      agency,
      body: event({
        source_ref: `DUR-${i}`,
        kind: 'contact',
        occurred_at: `2024-${month}-${day}T12:00:00Z`,
        summary: `burst record ${i}`,
      }, {
        given_name: `Dur${letters(i)}`,
        family_name: `Able${letters(i + 7)}`,
        dob: `2015-${month}-${day}`,
        nhs_number: gen.next().value,
        postcode: '',
        address: '',
      }),
    });
  }
  return out;
}

test('every record answered 201 before a SIGKILL is there after a restart, and no record is half-written', { timeout: 150000 }, async () => {
  const reqs = bodies();
  assert.equal(new Set(reqs.map((r) => r.body.subject.nhs_number)).size, TOTAL);
  first = await startServer(area.db);
  const url1 = first.url;

  const answered = new Map(); // index -> {id, child_id}
  const otherStatus = [];
  const started = new Set();
  let next = 0;
  let killed = false;
  let inFlightAtKill = -1;
  let inFlight = 0;

  async function worker() {
    while (!killed && next < TOTAL) {
      const i = next++;
      started.add(i);
      inFlight++;
      try {
        const r = await postEvent(url1, area.tokens[reqs[i].agency], reqs[i].body);
        if (r.status === 201 && r.json && Number.isInteger(r.json.id)) {
          answered.set(i, r.json);
          if (!killed && answered.size >= KILL_AFTER) {
            killed = true;
            inFlightAtKill = inFlight - 1; // the others still waiting for their answers
            first.proc.kill('SIGKILL');
          }
        } else if (!killed) {
          otherStatus.push(`${i}: ${r.status} ${r.text}`);
        }
      } catch (e) {
        if (!killed) otherStatus.push(`${i}: no answer before the kill: ${e.cause?.code || e.message}`);
      } finally {
        inFlight--;
      }
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const exit = await first.kill9();
  assert.equal(exit.signal, 'SIGKILL', 'the server was killed, it did not exit by itself');
  assert.deepEqual(otherStatus, [], 'every answer before the kill was 201');
  assert.ok(killed, 'the kill happened');
  assert.ok(answered.size >= KILL_AFTER, `${answered.size} answered 201`);
  assert.ok(answered.size > 0);
  assert.ok(inFlightAtKill > 0, 'requests were in flight when the server was killed');
  assert.ok(started.size < TOTAL, 'the burst was cut short');

  // The database as the killed server left it (SQLite recovers the WAL on open). Stays SQL: what the storage kept
  // after the kill, row by row (every event's child, one source record and identifier each), is the test; the
  // restarted server's chronologies are read through the API below.
  second = await startServer(area.db);
  if (!onPostgres()) assert.equal(sql(area.db, 'pragma integrity_check'), 'ok'); // SQLite's file; PostgreSQL checks its own pages
  const rows = sql(area.db, 'select id, person_id from event').split('\n').filter(Boolean);
  const inDb = new Map(rows.map((row) => row.split('|').map(Number)));
  const missing = [];
  for (const [i, ids] of answered) if (inDb.get(ids.id) !== ids.child_id) missing.push(`${i}: ${JSON.stringify(ids)}`);
  assert.deepEqual(missing, [], 'records answered 201 are missing after the restart');

  const events = rowCount(area.db, 'event');
  assert.equal(rowCount(area.db, 'source_record'), events, 'one source record per event');
  assert.equal(rowCount(area.db, 'person'), events, 'one child per event (each record a different child)');
  assert.equal(rowCount(area.db, 'identifier'), events, 'one NHS number per event');
  assert.equal(auditRows(area.db, { action: 'event.create' }).length, events, 'one audit row per event');
  assert.ok(events >= answered.size && events <= started.size, `${events} events, ${answered.size} answered, ${started.size} sent`);

  // The restarted server serves them: a spread of answered records, each found in its child's chronology as
  // the agency that sent it reads it (a token reads its own agency's records).
  const answeredList = [...answered];
  const step = Math.max(1, Math.floor(answeredList.length / 60));
  let checked = 0;
  for (let k = 0; k < answeredList.length; k += step) {
    const [i, { id, child_id: child }] = answeredList[k];
    const tok = area.tokens[reqs[i].agency];
    const r = await request(`${second.url}/api/v1/children/${child}/chronology`, { token: tok });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.events.map((e) => e.id), [id]);
    checked++;
  }
  assert.ok(checked >= 50);

  // Replays after the crash: an answered record gives 200 with its ids; one that was in flight gives
  // 200 (it was kept) or 201 (it was not), and afterwards every record sent is there exactly once.
  for (const [i, ids] of [...answered].slice(0, 50)) {
    const r = await postEvent(second.url, area.tokens[reqs[i].agency], reqs[i].body);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json, ids);
  }
  // Requests in flight at the kill may all have been answered already (one group commit answers a whole
  // batch at once), so this set can be empty; the invariants below hold either way.
  const unanswered = [...started].filter((i) => !answered.has(i));
  for (const i of unanswered) {
    const r = await postEvent(second.url, area.tokens[reqs[i].agency], reqs[i].body);
    assert.ok(r.status === 200 || r.status === 201, `${i}: ${r.status} ${r.text}`);
    assert.equal(inDb.has(r.json.id), r.status === 200, `${i}: ${r.status} but the event was ${inDb.has(r.json.id) ? '' : 'not '}kept`);
  }
  assert.equal(rowCount(area.db, 'event'), started.size);
  assert.equal(rowCount(area.db, 'source_record'), started.size);
});
