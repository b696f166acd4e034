// Migration 42 (r-ntk30) on a demo area, checked by r-review50: each merge keeps what the need-to-know rule reads of
// the events it moved (person_merge_key: each agency and category key once), so that a record a standing merge
// emptied is decided without reading those events. On the demo's area, with its review tasks decided "same" by a
// social worker through the API and one merge undone, the keys the merges wrote must be what reading the moved events
// says (person_merge_row joined to event, each one's key), and migration 42 run again on that area (the store put
// back to 41 as docs/INTERNALS.md says) must write the same rows; SQLite's integrity and foreign keys hold. Real
// binary, HTTP, SQLite (and PostgreSQL with make e2e-pg).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import path from 'node:path';
import { UNDO_42, addPerson, dbUrl, linkReviews, onPostgres, removeDir, request, runCli, signedInPeople, sql, sqlWrite,
  startServer, tempDir } from './lib.mjs';

const PASSWORD = 'the same child, twice recorded';
const KEYS = 'SELECT merge_id, agency, category_key FROM person_merge_key ORDER BY merge_id, agency, category_key';
// what reading the moved events says: each merge's events' (agency, key), once; an event with no key (none here:
// intake writes every key) would be read by its details, so none must be left out unnoticed
const MOVED = "SELECT DISTINCT r.merge_id, e.agency, e.category_key FROM person_merge_row r JOIN event e ON e.id = r.row_id "
  + "WHERE r.tbl = 'event' ORDER BY 1, 2, 3";

test('migration 42 on a demo area: each merge\'s keys are its moved events\' keys, written alike by the merge and the migration', async (t) => {
  const dir = tempDir('merge-keys-42');
  const area = { dir, db: path.join(dir, 'safeguard.db') };
  try {
    runCli(['demo', '--db', dbUrl(area.db), '--no-serve', '--families', '40']); // as need_to_know_routes makes its area
    const secrets = { 'rv.worker': addPerson(area.db, 'rv.worker', 'social_care', 'social_worker', PASSWORD) };
    const server = await startServer(area.db);
    let merges = [];
    try {
      const people = signedInPeople(server.url, area, PASSWORD, secrets);
      const token = await people.apiToken('rv.worker');
      const post = (path, body) => request(`${server.url}${path}`, { method: 'POST', token,
        headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const open = linkReviews(area.db, { open: true });
      assert.ok(open.length >= 3, `the demo's review tasks: ${open.length}`);
      for (const t of open) {
        const r = await post(`/api/v1/link-reviews/${t.id}/decision`, { decision: 'same', reason: 'RV50 the same child' });
        assert.ok(r.status === 200 || r.status === 409, `${t.id}: ${r.status} ${r.text}`);
        if (r.status === 200) merges.push(r.json.merge_id);
      }
      assert.ok(merges.length >= 3, `${merges.length} merges`);
      // the first undone: its keys stay (a merge undone keeps its record), and nothing asks them
      const undo = await post(`/api/v1/merges/${merges[0]}/undo`, { reason: 'RV50 two children after all' });
      assert.equal(undo.status, 200, undo.text);
    } finally {
      await server.stop();
    }
    const keys = sql(area.db, KEYS);
    const moved = sql(area.db, MOVED);
    assert.ok(keys.split('\n').length >= merges.length, keys);
    assert.equal(sql(area.db, "SELECT count(*) FROM person_merge_row r JOIN event e ON e.id = r.row_id WHERE r.tbl = 'event' "
      + 'AND e.category_key IS NULL'), '0', 'every moved event keyed');
    assert.equal(keys, moved, 'the merges\' keys are what their moved events say');
    t.diagnostic(`${merges.length} merges (one undone), ${keys.split('\n').length} key rows: ${keys.replaceAll('\n', ', ')}`);
    // back to the version before 42 and migrated again: the migration's rows are the merges' (UNDO_42 undoes the
    // later ones too: 43, r-pgin32's, on PostgreSQL)
    const version = Number(sql(area.db, onPostgres() ? 'SELECT version FROM sg_schema_version' : 'PRAGMA user_version'));
    assert.ok(version >= 42, `schema ${version}`);
    sqlWrite(area.db, UNDO_42 + (onPostgres() ? 'UPDATE sg_schema_version SET version = 41;'
      : 'PRAGMA user_version = 41;'));
    const m = runCli(['migrate', '--db', dbUrl(area.db)]);
    assert.match(m.stderr, new RegExp(`migrated from version 41 to ${version}`));
    assert.equal(sql(area.db, KEYS), keys, 'the migration writes what the merges wrote');
    if (!onPostgres()) {
      assert.equal(sql(area.db, 'PRAGMA integrity_check'), 'ok');
      assert.equal(sql(area.db, 'PRAGMA foreign_key_check'), '');
    }
  } finally {
    removeDir(area.dir);
  }
});
