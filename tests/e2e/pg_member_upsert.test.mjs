// issue 17, "PostgreSQL's own CPU": each intake event joins its child to the household at its address. A child
// already a member over a span that holds the event's date must be left alone: main rewrote the unchanged row
// on every event (on PostgreSQL a new row version, its index entries and WAL). Shown by PostgreSQL's own
// counters (rows updated in household_member), and the dates still widen when an event falls outside the span.
// Skipped by name where PostgreSQL is not installed.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { event, postEvent, sql, startServer } from './lib.mjs';
import { clusterArea, clusterInstalled, endClientSessions } from './pg_cluster.mjs';

describe('household member upsert on PostgreSQL', { skip: clusterInstalled ? false : 'skipped suite postgresql: initdb not found' }, () => {
  let set;
  let area;
  let server;

  before(async () => {
    set = clusterArea('pg-member');
    area = set.area;
    server = await startServer(area.db);
  });

  after(async () => {
    try {
      if (server) await server.stop();
    } finally {
      set?.close();
    }
  });

  // The server's sessions ended, so that they hand over their table counters
  const endServerSessions = () => endClientSessions(area.db);
  const updated = () => Number(sql(area.db, "select n_tup_upd from pg_stat_user_tables where relname = 'household_member'"));
  const span = () => sql(area.db, 'select first_seen, last_seen from household_member').trim();

  test('events inside the seen span write nothing to the member; one outside widens it', async () => {
    const token = area.tokens.police;
    const child = { given_name: 'Mira', family_name: 'Upsert', dob: '2016-05-11', nhs_number: '', postcode: 'LS6 2AB', address: '7 Span Road' };
    const post = async (n, at) => {
      const r = await postEvent(server.url, token, event({ source_ref: `MEM-${n}`, occurred_at: at }, child));
      assert.equal(r.status, 201, r.text);
    };
    await post(1, '2025-03-01T10:00:00Z');
    await post(2, '2025-03-20T10:00:00Z');
    assert.equal(span(), '2025-03-01T10:00:00Z|2025-03-20T10:00:00Z');
    endServerSessions();
    const before = updated();
    for (let n = 3; n <= 8; n++) await post(n, `2025-03-${String(n + 2).padStart(2, '0')}T10:00:00Z`);
    await post(9, '2025-03-20T10:00:00Z'); // the span's own ends
    await post(10, '2025-03-01T10:00:00Z');
    assert.ok(endServerSessions() >= 1, 'the server had sessions to end');
    assert.equal(updated() - before, 0, 'the unchanged household member was rewritten');
    assert.equal(span(), '2025-03-01T10:00:00Z|2025-03-20T10:00:00Z');
    // outside the span, either side: the dates widen
    await post(11, '2025-02-01T10:00:00Z');
    await post(12, '2025-04-01T10:00:00Z');
    assert.equal(span(), '2025-02-01T10:00:00Z|2025-04-01T10:00:00Z');
    assert.equal(Number(sql(area.db, 'select count(*) from household_member')), 1);
  });
});
