// The read side of issue 14, items 12, 13 and 15, each against the real binary:
//   12. an own-agency reader cannot tell which event ids are the child's: a link to another agency's event of
//       the child is answered as one to an event of another child, or to no event;
//   13. a refused read is audited ("access.refused", with what was asked and why it was refused), and "who
//       has looked" shows refused attempts, recording downloads and placements recorded;
//   15. a search's audit entry names every child it showed, however many (up to the page's 50).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  auditRows, lastAudit,
  addPerson, dbUrl, count, onPostgres, event, freshArea, letters, postEvent, removeDir, request, runCli,
  sqlWrite, startServer, totp, newAuthenticator, webSignIn as signInAs, addHomes
} from './lib.mjs';

const PASSWORD = 'refused reads are answerable too';
const MISSING = 987654; // an id that holds no child
const PEOPLE = [['sam.worker', 'social_care', 'social_worker'], ['nia.health', 'health', 'health_practitioner'],
  ['sid.school', 'education', 'school_dsl']];

let area;
let server;
const secrets = {};
const cookies = {};
const tokens = {};
let child; // allocated to sam.worker; the school and the police wrote about it
let other; // another child
const ev = {};

function cookieOf(res, name) {
  for (const c of res.headers.getSetCookie()) if (c.startsWith(`${name}=`)) return c.split(';')[0];
  return null;
}

async function webSignIn(username) {
  return signInAs(server.url, area.db, username, { password: PASSWORD, secrets });
}

async function apiSignIn(username) {
  secrets[username] = newAuthenticator(area.db, username);
  const s = await request(`${server.url}/api/v1/sessions`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD, totp: totp(secrets[username]) }),
  });
  assert.equal(s.status, 201, s.text);
  return s.json.token;
}

const page = (who, path) => request(`${server.url}${path}`, { headers: { cookie: cookies[who] } });
const api = (who, path, options = {}) => request(`${server.url}${path}`, { token: tokens[who], ...options });

before(async () => {
  area = freshArea('ntk-reads');
  for (const [username, agency, role] of PEOPLE) {
    secrets[username] = addPerson(area.db, username, agency, role, PASSWORD);
  }
  server = await startServer(area.db);
  const post = async (agency, over, subj = {}) => {
    const r = await postEvent(server.url, area.tokens[agency], event(over, subj));
    assert.equal(r.status, 201, r.text);
    return r.json;
  };
  let r = await post('education', { source_ref: 'NR-EDU', kind: 'concern' });
  child = r.child_id;
  ev.school = r.id;
  r = await post('police', { source_ref: 'NR-POL', kind: 'police_callout', summary: 'Call-out to the address' });
  assert.equal(r.child_id, child);
  ev.police = r.id;
  r = await post('education', { source_ref: 'NR-OTHER', kind: 'concern' },
    { given_name: 'Otto', family_name: 'Elsewhere', nhs_number: '9434765870', dob: '2012-09-09' });
  other = r.child_id;
  ev.other = r.id;
  assert.notEqual(other, child);
  runCli(['allocate', '--db', dbUrl(area.db), '--child', String(child), '--user', 'sam.worker']);
  for (const [username] of PEOPLE) {
    cookies[username] = await webSignIn(username);
    tokens[username] = await apiSignIn(username);
  }
});

after(async () => {
  try {
    if (server) await server.stop();
  } finally {
    removeDir(area?.dir);
  }
});

describe('reads, need-to-know', () => {
  test('item 12: another agency\'s event of the child is "not found", as another child\'s event or no event', async () => {
    const own = await page('sid.school', `/children/${child}/events/${ev.school}`);
    assert.equal(own.status, 303, 'the school\'s own event: to its row');
    assert.match(own.headers.get('location'), new RegExp(`^/children/${child}.*#event-${ev.school}$`));
    const answers = [];
    for (const id of [ev.police, ev.other, 99999999]) {
      const r = await page('sid.school', `/children/${child}/events/${id}`);
      answers.push(r);
      assert.equal(r.status, 404, `event ${id}`);
    }
    for (const r of answers.slice(1)) assert.equal(r.text, answers[0].text, 'one answer for every event not theirs');
    // The allocated worker, who sees the whole record, is sent to the police's event.
    const worker = await page('sam.worker', `/children/${child}/events/${ev.police}`);
    assert.equal(worker.status, 303);
  });

  test('item 13: a refused read is audited as access.refused, with what was asked and why; the answer is unchanged', async () => {
    const refused = () => auditRows(area.db, { action: 'access.refused' }).length;
    const before = refused();
    const reads = auditRows(area.db).filter((e) => e.action === 'child.read' || e.action === 'chronology.read').length;
    const web = await page('nia.health', `/children/${child}`);
    const webNone = await page('nia.health', `/children/${MISSING}`);
    assert.equal(web.status, 403);
    assert.equal(web.text.replaceAll(`/children/${child}/`, '/children/ID/'),
      webNone.text.replaceAll(`/children/${MISSING}/`, '/children/ID/'));
    const a = await api('nia.health', `/api/v1/children/${child}`);
    const b = await api('nia.health', `/api/v1/children/${child}/chronology`);
    const c = await api('nia.health', `/api/v1/children/${MISSING}`);
    for (const r of [a, b, c]) assert.equal(r.status, 403);
    assert.equal(a.text, c.text, 'the same answer whether or not the child exists');
    assert.equal(refused(), before + 5);
    assert.equal(auditRows(area.db).filter((e) => e.action === 'child.read' || e.action === 'chronology.read').length, reads, 'nothing was read');
    const rows = auditRows(area.db, { action: 'access.refused' }).filter((e) => e.actor.endsWith('nia.health')).slice(0, 5)
      .map((e) => `${e.child_id}|${e.object}|${e.detail}`);
    assert.deepEqual(rows.reverse(), [
      `${child}|child:${child}|child.read refused: no legitimate relationship`,
      `0|child:${MISSING}|child.read refused: no such child`,
      `${child}|child:${child}|child.read refused: no legitimate relationship`,
      `${child}|child:${child}|chronology.read refused: no legitimate relationship`,
      `0|child:${MISSING}|child.read refused: no such child`,
    ]);
  });

  test('item 13: who has looked shows refused attempts, recording downloads and placements recorded', async () => {
    const up = await api('sam.worker', `/api/v1/children/${child}/recordings?filename=visit.txt`, {
      method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'notes of a home visit',
    });
    assert.equal(up.status, 201, up.text);
    const down = await api('sam.worker', `/api/v1/recordings/${up.json.id}/content`);
    assert.equal(down.status, 200);
    const home = String(addHomes(area.db, [{ urn: 'SC900001', name: 'Beech House', specialism: 'general', la_code: '383' }]).SC900001);
    const placed = await api('sam.worker', `/api/v1/homes/${home}/placements`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ child_id: child, start: '2026-01-05', distance_km: 3, placing_authority: '383' }),
    });
    assert.equal(placed.status, 201, placed.text);
    const v = await api('sam.worker', `/api/v1/children/${child}/viewers`);
    assert.equal(v.status, 200, v.text);
    const actions = v.json.viewers.map((x) => x.action);
    for (const a of ['access.refused', 'recording.download', 'placement.record']) {
      assert.ok(actions.includes(a), `who has looked shows ${a}: ${actions.join(', ')}`);
    }
    const refusal = v.json.viewers.find((x) => x.action === 'access.refused');
    assert.match(refusal.who, /nia\.health/);
  });

  test('item 15: a search\'s audit entry names every child it showed, all fifty', async () => {
    // Ids as a real area's run (six and seven digits): the entry must hold fifty of them.
    sqlWrite(area.db, "insert into person(id, created_at) values (1999999, '2026-01-01T00:00:00Z')");
    // SQLite numbers the next rows after the largest id; PostgreSQL's identity column is told so.
    if (onPostgres()) sqlWrite(area.db, "select setval(pg_get_serial_sequence('person', 'id'), 1999999)");
    const ids = new Set();
    for (let i = 0; i < 50; i++) {
      const r = await postEvent(server.url, area.tokens.education, event({ source_ref: `NR-MANY-${i}` }, {
        given_name: letters(i + 30), family_name: 'Manyfold', nhs_number: '', upn: '',
        dob: `2015-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + Math.floor(i / 12)).padStart(2, '0')}`,
        postcode: '', address: '',
      }));
      assert.equal(r.status, 201, r.text);
      ids.add(r.json.child_id);
    }
    assert.equal(ids.size, 50);
    assert.ok([...ids].every((id) => id > 1999999), 'seven-digit ids');
    const r = await page('sid.school', '/?q=Manyfold');
    assert.equal(r.status, 200);
    const shown = new Set([...r.text.matchAll(/href="\/children\/([0-9]+)"/g)].map((m) => Number(m[1])));
    assert.equal(shown.size, 50, 'the page shows fifty children');
    const detail = lastAudit(area.db, { action: 'child.search' })?.detail ?? '';
    const m = /^name search, 50 found:((?: [0-9]+)+)$/.exec(detail);
    assert.ok(m, detail);
    const audited = new Set(m[1].trim().split(' ').map(Number));
    assert.deepEqual([...audited].sort(), [...shown].sort(), 'the entry names exactly the children shown');
  });
});
