// issue 17, "PostgreSQL's own CPU": intake's reads on PostgreSQL must be index look-ups whatever the tables'
// sizes were when the writer's prepared statements got their generic plans (PostgreSQL makes one at a
// statement's sixth run on a connection and keeps it). The candidates for a record, the housemates at an
// incident's address and their incidents, and a record's new blocking keys were planned as hashes over whole
// tables while the area was young, and kept reading every blocking key, person and household member for each
// record: most of the 1.4 ms of PostgreSQL's CPU an event (docs/BENCHMARKS.md). Shown by PostgreSQL's own
// counters: after 60 records into a fresh area, none of those tables has been read from end to end; nor has
// source_record, which a batch's records are looked up in at once (S_SOURCE_ABSENT, an index look-up a pair).
// Into a populated area (area-load's keys, every one with source record 0, then ANALYZE), a record's check that
// its person has a key already must be a probe of the primary key, not a scan of the partial index
// person_block_key_source (source_record_id <> 0), which the planner took for an empty one and which then read
// every key intake had written since, for each key of each record (issue 17, "Scale: intake as the area grows").
// Skipped by name where PostgreSQL is not installed.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { dbUrl, event, postEvent, runCli, sql, startServer } from './lib.mjs';
import { clusterArea, clusterInstalled, endClientSessions } from './pg_cluster.mjs';

const TABLES = ['person_block_key', 'person', 'household_member', 'identifier', 'source_record', 'sealed_record'];

describe('intake reads on PostgreSQL by index only', { skip: clusterInstalled ? false : 'skipped suite postgresql: initdb not found' }, () => {
  let set;
  let area;
  let server;

  before(async () => {
    set = clusterArea('pg-plans');
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

  // Whole-table reads so far, by table
  function seqScans() {
    const out = sql(area.db, "select relname || '=' || seq_scan from pg_stat_user_tables where relname in (" +
      TABLES.map((t) => `'${t}'`).join(', ') + ')');
    return Object.fromEntries(out.split('\n').filter(Boolean).map((l) => l.split('=')).map(([t, n]) => [t, Number(n)]));
  }

  test('60 records of 15 households, incidents among them: no table of the linkage or the households read whole', async () => {
    endServerSessions();
    const before = seqScans();
    assert.deepEqual(Object.keys(before).sort(), [...TABLES].sort());
    const token = area.tokens.police;
    const names = ['Ava', 'Ben', 'Cara', 'Dev'];
    let n = 0;
    for (let f = 0; f < 15; f++) {
      const child = (c) => ({ given_name: names[(f + c) % names.length], family_name: `Plan${f}`, dob: `2015-0${c + 1}-1${f % 10}`,
        nhs_number: '', postcode: 'LS6 2AB', address: `${f + 1} Index Road` });
      // both children at the address first, then an incident there (the housemates read) and the second
      // child's injury (its rules read the incidents at its address)
      for (const [c, kind] of [[0, 'concern'], [1, 'concern'], [0, 'domestic_abuse_incident'], [1, 'injury']]) {
        n++;
        const at = `2025-03-${String(1 + (n % 28)).padStart(2, '0')}T10:00:00Z`;
        const r = await postEvent(server.url, token, event({ source_ref: `PLAN-${n}`, kind, occurred_at: at }, child(c)));
        assert.equal(r.status, 201, r.text);
      }
    }
    assert.equal(n, 60);
    assert.ok(endServerSessions() >= 1, 'the server had sessions to end');
    const afterScans = seqScans();
    for (const t of TABLES) {
      assert.equal(afterScans[t] - before[t], 0, `${t} read whole ${afterScans[t] - before[t]} times during intake`);
    }
    // the households were written, 30 children two to an address (read after the counters: this count reads
    // the table whole)
    assert.equal(Number(sql(area.db, 'select count(distinct person_id) from household_member')), 30);
    // and the server goes on: its next record is answered on a new connection
    const again = await postEvent(server.url, token, event({ source_ref: 'PLAN-61' }, { given_name: 'Eve', family_name: 'After', nhs_number: '' }));
    assert.equal(again.status, 201, again.text);
  });
});

describe('a record\'s key check on PostgreSQL in a populated area', { skip: clusterInstalled ? false : 'skipped suite postgresql: initdb not found' }, () => {
  let set;
  let area;
  let server;

  before(async () => {
    set = clusterArea('pg-keyplan');
    area = set.area;
    runCli(['area-load', '--db', dbUrl(area.db), '--children', '400', '--events-per-child', '4', '--seed', '3']);
    sql(area.db, 'analyze');
    server = await startServer(area.db);
  });

  after(async () => {
    try {
      if (server) await server.stop();
    } finally {
      set?.close();
    }
  });

  // Index scans so far of the blocking table's indexes, by index
  function indexScans() {
    const out = sql(area.db, "select indexrelname || '=' || idx_scan from pg_stat_user_indexes where relname = 'person_block_key'");
    return Object.fromEntries(out.split('\n').filter(Boolean).map((l) => l.split('=')).map(([t, n]) => [t, Number(n)]));
  }

  test('40 records of 20 children after area-load: their keys checked by the primary key, never the partial index', async () => {
    endClientSessions(area.db);
    const before = indexScans();
    assert.ok('person_block_key_source' in before, JSON.stringify(before));
    const pkey = Object.keys(before).find((i) => i.endsWith('_pkey'));
    assert.ok(pkey, JSON.stringify(before));
    const token = area.tokens.police;
    // each child twice, so that the second record's keys are checked against keys its person has from the first
    const childOf = new Map(); // the child each answer names, by the record's round (1: first, 2: second)
    for (let n = 1; n <= 40; n++) {
      const c = n % 20;
      const r = await postEvent(server.url, token, event({ source_ref: `KEYPLAN-${n}`, kind: 'concern',
        occurred_at: `2025-04-${String(1 + (n % 28)).padStart(2, '0')}T10:00:00Z` },
      { given_name: 'Kit', family_name: `Keyplan${c}`, dob: `2016-0${1 + (c % 9)}-1${c % 10}`, nhs_number: '',
        postcode: 'LS7 3CD', address: `${c + 1} Probe Street` }));
      assert.equal(r.status, 201, r.text);
      childOf.set(`${c}/${n <= 20 ? 1 : 2}`, r.json.child_id);
    }
    assert.ok(endClientSessions(area.db) >= 1, 'the server had sessions to end');
    const afterScans = indexScans();
    assert.equal(afterScans.person_block_key_source - before.person_block_key_source, 0,
      'person_block_key_source scanned during intake');
    // the checks ran, as look-ups of the primary key (one a key of each record: more than 40)
    assert.ok(afterScans[pkey] - before[pkey] > 40, `${pkey}: ${afterScans[pkey] - before[pkey]} scans`);
    // and decided right (read after the counters): each child's second record went to the child of the first,
    // which holds every key of it already, so the first record wrote the child's keys and the second none; a
    // check that found nothing would write each key again under the second record (its own primary key row)
    const children = new Set();
    for (let c = 0; c < 20; c++) {
      assert.ok(Number(childOf.get(`${c}/1`)) > 0, `child ${c}`);
      assert.equal(childOf.get(`${c}/2`), childOf.get(`${c}/1`), `child ${c}'s two records on one child`);
      children.add(childOf.get(`${c}/1`));
    }
    assert.equal(children.size, 20);
    const keys = (round) => Number(sql(area.db, 'select count(*) from person_block_key k join source_record s on ' +
      `s.id = k.source_record_id where s.source_ref in (${Array.from({ length: 20 }, (_, i) =>
        `'KEYPLAN-${i + 1 + (round - 1) * 20}'`).join(', ')})`));
    assert.ok(keys(1) >= 20, `the first records wrote ${keys(1)} keys`);
    assert.equal(keys(2), 0, 'the second records wrote keys their child held already');
  });
});
