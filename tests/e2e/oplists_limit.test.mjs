// The operator's lists that check each row against the sealed children (break-glass list, recordings list, link
// reviews) stop at --limit: exactly N rows, the first N the unlimited list shows, none about a sealed child even
// when sealed children's rows come first, and the audit entry written before the read says how much was asked
// for. Since fdc77be the walk stops once the list holds N rows (each later row would cost a sealed check); a
// sealed row counted against the limit, a limit off by one, or a stop that reached the caller as an error
// fails here.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  addPerson, breakGlassRows, dbUrl, event, freshArea, lastAudit, linkReviews, postEvent, recordingRows, removeDir,
  request, runCli, startServer, totp,
} from './lib.mjs';

const PASSWORD = 'correct horse battery staple';
const LIMIT = 3;
// Six children, each with a near twin from the police (the same name, a day out, another address): a review task.
const NAMES = [['Noor', 'Baker'], ['Ivy', 'Sutton'], ['Omar', 'Haddad'], ['Lena', 'Novak'], ['Theo', 'Marsh'],
  ['Rosa', 'Quinn']];
let area;
let server;
const kids = []; // the education records' children, in the order made
const twins = []; // the police records' children
let sealed; // the first two: theirs are the first rows of every list
let token; // gil.glass's API session

before(async () => {
  area = freshArea('oplists-limit');
  const secret = addPerson(area.db, 'gil.glass', 'social_care', 'social_worker', PASSWORD);
  server = await startServer(area.db, { extraArgs: ['--break-glass-per-day', '20'] });
  for (const [i, [given, family]] of NAMES.entries()) {
    const subject = { given_name: given, family_name: family, dob: `2011-0${i + 1}-11`, nhs_number: '', upn: '' };
    let r = await postEvent(server.url, area.tokens.education, event({ source_ref: `LIM-E${i}` }, subject));
    assert.equal(r.status, 201, r.text);
    kids.push(r.json.child_id);
    r = await postEvent(server.url, area.tokens.police, event({ source_ref: `LIM-P${i}` },
      { ...subject, dob: `2011-0${i + 1}-12`, postcode: 'LS7 1AA', address: '3 Other Road' }));
    assert.equal(r.status, 201, r.text);
    twins.push(r.json.child_id);
  }
  assert.equal(new Set([...kids, ...twins]).size, 2 * NAMES.length, 'twelve children');
  const s = await request(`${server.url}/api/v1/sessions`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'gil.glass', password: PASSWORD, totp: totp(secret) }),
  });
  assert.equal(s.status, 201, s.text);
  token = s.json.token;
  // Break-glass lists newest first: open the last child's first, so the first two children's are the newest.
  for (const id of [...kids].reverse()) {
    const r = await request(`${server.url}/api/v1/children/${id}/break-glass`, {
      method: 'POST', token, headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'Child at A&E with injuries, out of hours' }),
    });
    assert.equal(r.status, 201, r.text);
  }
  // Recordings list oldest first: the first two children's are the oldest.
  for (const id of kids) {
    const r = await request(`${server.url}/api/v1/children/${id}/recordings?filename=note.txt`, {
      method: 'POST', token, headers: { 'content-type': 'text/plain' }, body: `What was said at meeting ${id}.`,
    });
    assert.equal(r.status, 201, r.text);
  }
  sealed = kids.slice(0, 2);
  for (const id of sealed) runCli(['seal', '--db', dbUrl(area.db), '--child', String(id), '--basis', 'adoption']);
});

after(async () => {
  try {
    if (server) await server.stop();
  } finally {
    removeDir(area?.dir);
  }
});

function limited(args) {
  const out = runCli([...args, '--db', dbUrl(area.db), '--limit', String(LIMIT), '--json']).stdout.trim();
  return out ? out.split('\n').map((l) => JSON.parse(l)) : [];
}

function auditedAsked(action, detail) {
  const e = lastAudit(area.db, { action });
  assert.deepEqual([e.actor, e.child_id, e.object, e.detail], ['cli', 0, 'list', detail]);
}

test('break-glass list --limit: the newest N openings, a sealed child\'s passed over, not counted', () => {
  const all = breakGlassRows(area.db);
  assert.deepEqual(all.map((g) => g.child), kids.slice(2), 'every opening but the sealed children\'s, newest first');
  const rows = limited(['break-glass', 'list']);
  assert.deepEqual(rows, all.slice(0, LIMIT), 'the first N of the whole list');
  assert.deepEqual(rows.map((g) => g.child), kids.slice(2, 2 + LIMIT), 'the newest openings after the sealed ones');
  assert.ok(rows.every((g) => !sealed.includes(g.child)));
  auditedAsked('break_glass.list', `operator's list: break-glass, every child; the first ${LIMIT}`);
});

test('recordings list --limit: the oldest N, a sealed child\'s passed over, not counted', () => {
  const all = recordingRows(area.db);
  assert.deepEqual(all.map((x) => x.child), kids.slice(2), 'every recording but the sealed children\'s');
  const rows = limited(['recordings', 'list']);
  assert.deepEqual(rows, all.slice(0, LIMIT), 'the first N of the whole list');
  assert.deepEqual(rows.map((x) => x.child), kids.slice(2, 2 + LIMIT));
  auditedAsked('recordings.list', `operator's list: recordings, every child; the first ${LIMIT}`);
});

test('link reviews --limit: the oldest N tasks, those naming a sealed child passed over, not counted', () => {
  const all = linkReviews(area.db);
  assert.deepEqual(all.map((v) => [v.person, v.candidate]), kids.slice(2).map((k) => [twins[kids.indexOf(k)], k]),
    'a task for each twin but the sealed children\'s');
  const rows = limited(['link', 'reviews']);
  assert.deepEqual(rows, all.slice(0, LIMIT), 'the first N of the whole list');
  assert.deepEqual(rows.map((v) => v.candidate), kids.slice(2, 2 + LIMIT));
  assert.ok(rows.every((v) => !sealed.includes(v.person) && !sealed.includes(v.candidate)));
  auditedAsked('link_reviews.list', `operator's list: link review tasks, everyone's; the first ${LIMIT}`);
});

test('a limit above what there is gives everything; one child\'s list stops at its limit too; a sealed child\'s is empty', () => {
  const big = (args) => runCli([...args, '--db', dbUrl(area.db), '--limit', '100', '--json']).stdout.trim().split('\n');
  assert.equal(big(['recordings', 'list']).length, kids.length - sealed.length);
  assert.equal(big(['break-glass', 'list']).length, kids.length - sealed.length);
  assert.equal(big(['link', 'reviews']).length, kids.length - sealed.length);
  const one = runCli(['link', 'reviews', '--db', dbUrl(area.db), '--child', String(kids[3]), '--limit', '1', '--json']);
  assert.deepEqual(one.stdout.trim().split('\n').map((l) => JSON.parse(l).candidate), [kids[3]]);
  assert.equal(lastAudit(area.db, { action: 'link_reviews.list' }).detail,
    "operator's list: link review tasks, one person; the first 1");
  for (const cmd of [['recordings', 'list'], ['break-glass', 'list'], ['link', 'reviews']]) {
    const r = runCli([...cmd, '--db', dbUrl(area.db), '--child', String(sealed[0]), '--limit', '1', '--json']);
    assert.equal(r.stdout, '', `${cmd.join(' ')} of a sealed child`);
  }
  const r = runCli(['break-glass', 'list', '--db', dbUrl(area.db), '--limit', 'x'], { check: false });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--limit must be a whole number/);
});
