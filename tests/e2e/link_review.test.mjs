// Record linkage in the service (issue 7, parts 3 and 4), over real HTTP against a real SQLite file: a
// borderline record gets its own child and a review task; a reviewer sees each field's contribution and
// decides; "same" merges with provenance and can be undone exactly; "different" is remembered; bad decision
// bodies are refused naming the field; a sealed identity is never a candidate, whoever sends the record.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  auditRows, lastAudit,
  addPerson, dbUrl, everyAgencysEvents, count, event, freshArea, linkReviews, nhsNumber, postEvent, removeDir, request,
  now, runCli, sql, startServer, totp, newAuthenticator,
  userId, rowCount, linkMerges,
} from './lib.mjs';

const PASSWORD = 'linkage needs a person to look';

let area;
let server;
const secrets = {};
const tokens = {}; // username → API session token

function as(who, path, options = {}) {
  return request(`${server.url}${path}`, { token: tokens[who] ?? area.tokens[who], ...options });
}

function decide(who, id, body, { contentType = 'application/json' } = {}) {
  return as(who, `/api/v1/link-reviews/${id}/decision`, {
    method: 'POST', headers: { 'content-type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

function undo(who, id, body) {
  return as(who, `/api/v1/merges/${id}/undo`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
}

async function created(token, body) {
  const r = await postEvent(server.url, token, body);
  assert.equal(r.status, 201, r.text);
  return r.json;
}

/** Every event of a child as the agencies' systems read them between them (ids and what they say), sorted. */
async function chronology(childId) {
  const events = await everyAgencysEvents(server.url, area.tokens, childId);
  return events.map((e) => `${e.id} ${e.kind} ${e.agency} ${e.summary}`).sort();
}

async function openReviewFor(personId, candidateId) {
  const r = await as('sam.worker', '/api/v1/link-reviews');
  assert.equal(r.status, 200, r.text);
  return r.json.reviews.find((v) => v.record.child_id === personId && v.candidate.child_id === candidateId);
}

before(async () => {
  area = freshArea('link-review');
  for (const [name, agency, role] of [['sam.worker', 'social_care', 'social_worker'],
    ['tam.manager', 'social_care', 'team_manager'], ['dee.dpo', 'social_care', 'dpo'],
    ['pat.police', 'police', 'police_officer']]) {
    secrets[name] = addPerson(area.db, name, agency, role, PASSWORD);
  }
  server = await startServer(area.db);
  for (const name of Object.keys(secrets)) {
    const s = await request(`${server.url}/api/v1/sessions`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: name, password: PASSWORD, totp: totp(secrets[name]) }),
    });
    assert.equal(s.status, 201, s.text);
    tokens[name] = s.json.token;
  }
});

after(async () => {
  try {
    if (server) await server.stop();
  } finally {
    removeDir(area?.dir);
  }
});

// The candidate: no identifiers, known to the school at its address.
const AMIRA = { given_name: 'Amira', family_name: 'Khan', dob: '2016-05-03', nhs_number: '', upn: '' };
// The same name, a date of birth a day out, another address: as likely as not the same child.
const BORDERLINE = { ...AMIRA, dob: '2016-05-04', postcode: 'LS7 1AA', address: '3 Other Road' };

let theMerge; // the merge "same" made below (then undone): {id, kept, merged}

describe('a borderline record', () => {
  let candidate;
  let record;
  let review;
  before(async () => {
    candidate = await created(area.tokens.education, event({ source_ref: 'LR-1', kind: 'school_absence' }, AMIRA));
    record = await created(area.tokens.police, event({ source_ref: 'LR-2' }, BORDERLINE));
  });

  test('gets its own child and a review task naming the candidate, audited', async () => {
    assert.notEqual(record.child_id, candidate.child_id);
    review = await openReviewFor(record.child_id, candidate.child_id);
    assert.ok(review, 'the task is in the queue');
    assert.ok(review.probability >= 0.25 && review.probability < 0.99, `${review.probability}`);
    assert.equal(review.record.agency, 'police');
    assert.equal(review.record.source_ref, 'LR-2');
    assert.equal(review.candidate.name, 'Amira Khan');
    assert.equal(auditRows(area.db, { action: 'link_review.create', object: `link_review:${review.id}` }).length, 1);
    assert.doesNotMatch(auditRows(area.db).reverse().filter((e) => e.action.startsWith('link_review')).map((e) => e.detail).join('\n'), /Amira|Khan/);
  });

  test('one task shows the two records side by side, each field with its level and contribution', async () => {
    const r = await as('tam.manager', `/api/v1/link-reviews/${review.id}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.state, 'open');
    const fields = Object.fromEntries(r.json.fields.map((f) => [f.field, f]));
    assert.deepEqual(Object.keys(fields).sort(), ['address', 'dob', 'family_name', 'given_name', 'middle_names',
      'nhs_number', 'postcode', 'sex', 'upn']);
    assert.deepEqual([fields.dob.record, fields.dob.candidate, fields.dob.level], ['2016-05-04', '2016-05-03', 'day_or_month_off_by_one']);
    assert.equal(fields.family_name.level, 'exact');
    assert.ok(fields.family_name.contribution > 0);
    assert.deepEqual([fields.postcode.record, fields.postcode.candidate, fields.postcode.level], ['LS7 1AA', 'LS6 2AB', 'area']);
    assert.ok(fields.postcode.contribution < 0);
    assert.deepEqual([fields.address.record, fields.address.candidate], ['3 Other Road', '12 Mill Lane']);
    assert.equal(fields.nhs_number.level, 'missing');
    assert.equal(fields.middle_names.level, 'missing');
    assert.equal(fields.nhs_number.contribution, 0);
    const sum = r.json.fields.reduce((s, f) => s + f.contribution, 0);
    assert.ok(Math.abs(r.json.weight - (sum - 13)) < 1e-6, 'the weight is the prior plus every contribution');
    assert.equal((await as('sam.worker', '/api/v1/link-reviews/999999')).status, 404);
  });

  test('only social workers and team managers review: others are refused by role', async () => {
    for (const who of ['pat.police', 'dee.dpo', 'police', 'social_care']) {
      const r = await as(who, `/api/v1/link-reviews/${review.id}`);
      assert.equal(r.status, 403, who);
      assert.equal(r.json.error.code, 'not_permitted');
    }
  });

  test('bad decision bodies get a 4xx naming the field, and nothing is decided', async () => {
    const cases = [
      [{}, 400, 'decision'],
      [{ reason: 'looked at both records' }, 400, 'decision'],
      [{ decision: 'maybe', reason: 'looked at both records' }, 400, 'decision'],
      [{ decision: 1, reason: 'looked at both records' }, 400, 'decision'],
      [{ decision: 'same' }, 400, 'reason'],
      [{ decision: 'same', reason: 'ok' }, 400, 'reason'],
      [{ decision: 'same', reason: '      ' }, 400, 'reason'],
      [{ decision: 'same', reason: 42 }, 400, 'reason'],
      [{ decision: 'same', reason: 'x'.repeat(501) }, 400, 'reason'],
      [{ decision: 'same', reason: 'bell \u0007 in it' }, 400, 'reason'],
      [{ decision: 'same', reason: 'looked at both records', merge: true }, 400, 'merge'],
    ];
    for (const [body, status, field] of cases) {
      const r = await decide('sam.worker', review.id, body);
      assert.equal(r.status, status, JSON.stringify(body));
      assert.equal(r.json.error.field, field, JSON.stringify(body));
    }
    const notJson = await decide('sam.worker', review.id, '{"decision":');
    assert.equal(notJson.status, 400);
    const form = await decide('sam.worker', review.id, 'decision=same', { contentType: 'application/x-www-form-urlencoded' });
    assert.equal(form.status, 415);
    assert.equal(form.json.error.field, 'Content-Type');
    const missing = await decide('sam.worker', 999999, { decision: 'same', reason: 'looked at both records' });
    assert.equal(missing.status, 404);
    assert.equal(missing.json.error.field, 'review_id');
    assert.equal((await as('sam.worker', `/api/v1/link-reviews/${review.id}`)).json.state, 'open', 'nothing decided');
    assert.equal(rowCount(area.db, 'person_merge'), 0); // merge provenance: no merge row yet
  });

  // Whose the police's source record LR-2 is now: the same record sent again is a replay (200, nothing written),
  // answered with the child its source record names.
  const sourceChild = async () => {
    const r = await postEvent(server.url, area.tokens.police, event({ source_ref: 'LR-2' }, BORDERLINE));
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.id, record.id, 'the same event');
    return r.json.child_id;
  };

  test('"same" merges with provenance; undoing it gives each child exactly the chronology it had', async () => {
    const beforeCandidate = await chronology(candidate.child_id);
    const beforeRecord = await chronology(record.child_id);
    assert.equal(beforeCandidate.length, 1);
    assert.equal(beforeRecord.length, 1);
    // SQL on purpose below: the payload as the agency sent it is kept beside the records. The merge through the
    // operator's list (`link merges`).
    const payload = sql(area.db, "select payload from source_record where source_ref = 'LR-2'");

    const r = await decide('sam.worker', review.id, { decision: 'same', reason: 'School confirmed the date of birth was mistyped' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.decision, 'same');
    const mergeId = r.json.merge_id;
    assert.ok(Number.isInteger(mergeId));
    theMerge = { id: mergeId, kept: candidate.child_id, merged: record.child_id };
    // The older child is kept; the record's event, source record and household moved to it.
    assert.deepEqual(await chronology(candidate.child_id), [...beforeCandidate, ...beforeRecord].sort());
    assert.deepEqual(await chronology(record.child_id), []);
    assert.equal(await sourceChild(), candidate.child_id, 'the source record moved with its event');
    assert.equal(sql(area.db, "select payload from source_record where source_ref = 'LR-2'"), payload, 'what the agency sent is kept');
    const [merge] = linkMerges(area.db, record.child_id).filter((m) => m.id === mergeId);
    assert.deepEqual([merge.kept, merge.merged, merge.merged_by, merge.undone_at],
      [candidate.child_id, record.child_id, `user:${userId(area.db, 'sam.worker')}:sam.worker`, '']);
    assert.deepEqual(linkMerges(area.db, candidate.child_id).map((m) => m.id), [mergeId], 'the kept child\'s too');
    const tsv = runCli(['link', 'merges', '--db', dbUrl(area.db), '--child', String(record.child_id), '--limit', '1'])
      .stdout.trimEnd().split('\n');
    assert.equal(tsv[0], 'id\tkept\tmerged\tmerged_by\tmerged_at\tundone_by\tundone_at');
    assert.deepEqual(tsv.slice(1).map((l) => Number(l.split('\t')[0])), [mergeId]);
    assert.ok(!tsv.join('\n').includes('School confirmed'), 'no reason');
    assert.ok(auditRows(area.db, { action: 'merges.list', child: record.child_id }).length >= 1, 'the list is audited');
    const noChild = runCli(['link', 'merges', '--db', dbUrl(area.db)], { check: false });
    assert.equal(noChild.status, 2);
    assert.match(noChild.stderr, /--child/);
    assert.equal(auditRows(area.db, { action: 'person.merge', object: `merge:${mergeId}` }).length, 1);
    const shown = await as('sam.worker', `/api/v1/link-reviews/${review.id}`);
    assert.equal(shown.json.state, 'decided');
    assert.equal(shown.json.merge_id, mergeId);
    assert.equal(await openReviewFor(record.child_id, candidate.child_id), undefined, 'no longer in the queue');
    const again = await decide('tam.manager', review.id, { decision: 'different', reason: 'changed my mind about it' });
    assert.equal(again.status, 409);

    // The same borderline record again (another reference) now links: the merged record is part of the child.
    const next = await created(area.tokens.police, event({ source_ref: 'LR-3' }, BORDERLINE));
    assert.equal(next.child_id, candidate.child_id);
    const afterNext = await chronology(candidate.child_id);

    const bad = await undo('sam.worker', mergeId, {});
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error.field, 'reason');
    const u = await undo('tam.manager', mergeId, { reason: 'The school sent the wrong child' });
    assert.equal(u.status, 200, u.text);
    assert.equal(u.json.state, 'undone');
    assert.deepEqual(await chronology(record.child_id), beforeRecord);
    // The candidate keeps what it had, and the record that came while merged (it linked to the kept child).
    assert.deepEqual(await chronology(candidate.child_id), afterNext.filter((e) => !beforeRecord.includes(e)));
    assert.equal(await sourceChild(), record.child_id, 'the source record moved back');
    assert.equal(auditRows(area.db, { action: 'person.unmerge', object: `merge:${mergeId}` }).length, 1);
    assert.equal((await undo('tam.manager', mergeId, { reason: 'The school sent the wrong child' })).status, 409);
    assert.equal((await undo('tam.manager', 999999, { reason: 'The school sent the wrong child' })).status, 404);
  });
});

describe('"different" is remembered', () => {
  const OSCAR = { given_name: 'Oscar', family_name: 'Moss', dob: '2012-02-02', nhs_number: '', upn: '' };
  const OTHER = { ...OSCAR, dob: '2012-02-03', postcode: 'LS7 1AA', address: '3 Other Road' };
  test('the next identical record joins the record\'s own child, never the refused one, and asks no one again', async () => {
    const a = await created(area.tokens.education, event({ source_ref: 'LD-1' }, OSCAR));
    const b = await created(area.tokens.police, event({ source_ref: 'LD-2' }, OTHER));
    assert.notEqual(b.child_id, a.child_id);
    const review = await openReviewFor(b.child_id, a.child_id);
    assert.ok(review);
    const r = await decide('tam.manager', review.id, { decision: 'different', reason: 'Different children: checked with the school' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.merge_id, null);
    assert.deepEqual(linkReviews(area.db, { child: b.child_id }).map((v) => [v.id, v.person, v.candidate, v.decision, v.merge]),
      [[review.id, b.child_id, a.child_id, 'different', 0]], 'decided different, nothing merged');
    for (const [agency, ref] of [['police', 'LD-3'], ['housing', 'LD-4']]) {
      const c = await created(area.tokens[agency], event({ source_ref: ref }, OTHER));
      assert.notEqual(c.child_id, a.child_id, 'never linked to the child it was refused');
      assert.equal(c.child_id, b.child_id, 'the record is the child the reviewer said it was');
    }
    assert.equal(linkReviews(area.db, { child: b.child_id }).length, 1, 'no task asks about the pair again');
    assert.equal(rowCount(area.db, 'person_merge'), 1, 'only the merge of the test before');
  });
});

/** Signs in through the page as a browser does: {cookie, csrf}. */
async function webSignIn(who) {
  secrets[who] = newAuthenticator(area.db, who);
  const form = await fetch(`${server.url}/sign-in`);
  const pre = form.headers.getSetCookie().find((c) => c.startsWith('sg_presession=')).split(';')[0];
  const csrf = /name="csrf_token" value="([^"]+)"/.exec(await form.text())[1];
  const res = await fetch(`${server.url}/sign-in`, {
    method: 'POST', redirect: 'manual',
    headers: { cookie: pre, 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
    body: new URLSearchParams({ username: who, password: PASSWORD, totp: totp(secrets[who], now(), 1), csrf_token: csrf }),
  });
  assert.equal(res.status, 303, `sign-in of ${who}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('sg_session=')).split(';')[0];
  const page = await (await fetch(`${server.url}/nope`, { headers: { cookie } })).text();
  return { cookie, csrf: /name="csrf_token" value="([^"]+)"/.exec(page)[1] };
}

describe('the pages', () => {
  test('queue, side by side, a refused form shows its errors, a decision and an undo', async () => {
    const a = await created(area.tokens.education, event({ source_ref: 'LP-1' }, { ...AMIRA, given_name: 'Layla', family_name: 'Price' }));
    const b = await created(area.tokens.police, event({ source_ref: 'LP-2' }, { ...BORDERLINE, given_name: 'Layla', family_name: 'Price' }));
    const review = await openReviewFor(b.child_id, a.child_id);
    assert.ok(review);
    const s = await webSignIn('tam.manager');
    const page = (path) => request(`${server.url}${path}`, { headers: { cookie: s.cookie } });
    const post = (path, fields) => request(`${server.url}${path}`, {
      method: 'POST', body: new URLSearchParams({ csrf_token: s.csrf, ...fields }),
      headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
    });
    const queue = await page('/link-reviews');
    assert.equal(queue.status, 200);
    assert.match(queue.text, new RegExp(`href="/link-reviews/${review.id}"`));
    const one = await page(`/link-reviews/${review.id}`);
    assert.equal(one.status, 200);
    assert.match(one.text, /Is Layla Price the same child as Layla Price\?/);
    assert.match(one.text, /id="field-dob"[\s\S]*?4 May 2016|id="field-dob"[\s\S]*?2016-05-04/);
    assert.match(one.text, /Day or month one out/);
    const bad = await post(`/link-reviews/${review.id}/decision`, { reason: 'no' });
    assert.equal(bad.status, 400);
    assert.match(bad.text, /There is a problem/);
    assert.match(bad.text, /href="#decision"/);
    assert.match(bad.text, /href="#reason"/);
    assert.equal((await as('sam.worker', `/api/v1/link-reviews/${review.id}`)).json.state, 'open', 'nothing decided');
    const ok = await post(`/link-reviews/${review.id}/decision`, { decision: 'same', reason: 'Same child: confirmed by phone' });
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.get('location'), `/link-reviews/${review.id}?done=decided`);
    const decided = await page(`/link-reviews/${review.id}?done=decided`);
    assert.match(decided.text, /Decision saved/);
    const shown = await as('sam.worker', `/api/v1/link-reviews/${review.id}`);
    assert.equal(shown.json.state, 'decided');
    const mergeId = shown.json.merge_id;
    assert.ok(Number.isInteger(mergeId), 'decided same: merged');
    assert.match(decided.text, new RegExp(`action="/merges/${mergeId}/undo"`));
    const noReason = await post(`/merges/${mergeId}/undo`, { review_id: String(review.id), undo_reason: '' });
    assert.equal(noReason.status, 400);
    assert.match(noReason.text, /href="#undo_reason"/);
    const undone = await post(`/merges/${mergeId}/undo`, { review_id: String(review.id), undo_reason: 'Joined by mistake' });
    assert.equal(undone.status, 303);
    const [merge] = linkMerges(area.db, b.child_id).filter((m) => m.id === mergeId);
    assert.notEqual(merge.undone_at, '', 'the merge is marked undone');
    assert.match(merge.undone_by, /^user:\d+:/);
    assert.equal((await chronology(b.child_id)).length, 1, 'undone: the record\'s child has its event back');
  });
});

describe('child search', () => {
  test('ranks the children a name search finds by the scoring intake links with, the most likely first', async () => {
    const subject = { dob: '2013-04-04', nhs_number: '', upn: '', postcode: 'LS9 9ZZ', address: '1 Far Road' };
    const a = await created(area.tokens.education, event({ source_ref: 'CS-1' }, { ...subject, given_name: 'Rubyna', family_name: 'Adams' }));
    const b = await created(area.tokens.education, event({ source_ref: 'CS-2' }, { ...subject, given_name: 'Ruby', family_name: 'Zeta', dob: '2013-05-05' }));
    for (const id of [a.child_id, b.child_id]) runCli(['allocate', '--db', dbUrl(area.db), '--child', String(id), '--user', 'sam.worker']);
    const s = await webSignIn('sam.worker');
    const r = await request(`${server.url}/?q=ruby`, { headers: { cookie: s.cookie } });
    assert.equal(r.status, 200);
    const order = [...r.text.matchAll(/href="\/children\/(\d+)"/g)].map((m) => Number(m[1]));
    // In name order Adams comes first; "Ruby" is exactly what was typed, "Rubyna" is not.
    assert.deepEqual(order.filter((id) => id === a.child_id || id === b.child_id), [b.child_id, a.child_id]);
  });
});

describe('serve --linkage-model', () => {
  test('a model file that cannot be read stops the server before it starts, naming the file', () => {
    const r = runCli(['serve', '--db', dbUrl(area.db), '--listen', '127.0.0.1:0', '--linkage-model',
      `${area.dir}/no-such-model.json`], { check: false, timeout: 30000 });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /no-such-model\.json/);
  });
});

describe('sealed identities', () => {
  const NHS = nhsNumber('401023457');
  const SEALED = { given_name: 'Sealed', family_name: 'Child', dob: '2015-09-09', nhs_number: NHS, upn: '' };
  let sealedId;
  test('a record with a sealed identity\'s NHS number, name and date of birth makes a new child: no link, no task', async () => {
    const a = await created(area.tokens.health, event({ source_ref: 'LS-1' }, SEALED));
    sealedId = a.child_id;
    // No task names it before the seal (the list shows it then); after, the lists leave out what names a sealed
    // child, so "no task since" is the count of every task (`safeguard stats`) and what the DPO, who sees sealed
    // records, reads of it.
    assert.deepEqual(linkReviews(area.db, { child: sealedId }), []);
    runCli(['seal', '--db', dbUrl(area.db), '--child', String(sealedId), '--basis', 'adoption']);
    const reviews = rowCount(area.db, 'link_review');
    const identifiers = rowCount(area.db, 'identifier');
    const others = new Set();
    for (const [agency, ref] of [['health', 'LS-2'], ['social_care', 'LS-3']]) {
      const b = await created(area.tokens[agency], event({ source_ref: ref }, SEALED));
      assert.notEqual(b.child_id, sealedId, `${agency}: never linked across the seal`);
      others.add(b.child_id);
    }
    const sealedEvents = await as('dee.dpo', `/api/v1/children/${sealedId}/chronology`);
    assert.equal(sealedEvents.status, 200, sealedEvents.text);
    assert.deepEqual(sealedEvents.json.events.map((e) => e.id), [a.id], 'the sealed identity gained nothing');
    assert.equal(rowCount(area.db, 'link_review'), reviews, 'no task names the sealed identity');
    // The NHS number is held twice: by the sealed identity, and once by the one new child the two records made.
    assert.equal(others.size, 1, 'the two records are one new child');
    const nhsOf = async (id) => {
      const r = await as('dee.dpo', `/api/v1/children/${id}`);
      assert.equal(r.status, 200, r.text);
      return r.json.identifiers.filter((i) => i.kind === 'nhs').map((i) => i.value);
    };
    assert.deepEqual(await nhsOf(sealedId), [NHS]);
    assert.deepEqual(await nhsOf([...others][0]), [NHS]);
    assert.equal(rowCount(area.db, 'identifier'), identifiers + 1, 'one identifier more: the new child\'s');
  });

  test('the data protection officer\'s search still finds the sealed identity; a social worker\'s does not', async () => {
    const search = async (who) => {
      secrets[who] = newAuthenticator(area.db, who);
      const form = await fetch(`${server.url}/sign-in`);
      const pre = form.headers.getSetCookie().find((c) => c.startsWith('sg_presession=')).split(';')[0];
      const csrf = /name="csrf_token" value="([^"]+)"/.exec(await form.text())[1];
      const res = await fetch(`${server.url}/sign-in`, {
        method: 'POST', redirect: 'manual',
        headers: { cookie: pre, 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
        body: new URLSearchParams({ username: who, password: PASSWORD, totp: totp(secrets[who], now(), 1), csrf_token: csrf }),
      });
      assert.equal(res.status, 303, `sign-in of ${who}`);
      const cookie = res.headers.getSetCookie().find((c) => c.startsWith('sg_session=')).split(';')[0];
      const page = await request(`${server.url}/?q=${NHS}`, { headers: { cookie } });
      assert.equal(page.status, 200);
      return page.text;
    };
    assert.match(await search('dee.dpo'), new RegExp(`/children/${sealedId}"`));
    assert.doesNotMatch(await search('sam.worker'), new RegExp(`/children/${sealedId}"`));
  });
});

describe('the operator\'s list (safeguard link reviews)', () => {
  const NOOR = { given_name: 'Noor', family_name: 'Baker', dob: '2011-11-11', nhs_number: '', upn: '' };
  const NEAR = { ...NOOR, dob: '2011-11-12', postcode: 'LS7 1AA', address: '3 Other Road' };
  let a;
  let b;
  test('every task, open and decided, oldest first; --child, --open; audited before it is read; no names', async () => {
    a = await created(area.tokens.education, event({ source_ref: 'LO-1' }, NOOR));
    b = await created(area.tokens.police, event({ source_ref: 'LO-2' }, NEAR));
    const open = await openReviewFor(b.child_id, a.child_id);
    assert.ok(open);
    const all = linkReviews(area.db);
    assert.ok(all.length >= 4, `${all.length} tasks`);
    assert.deepEqual(all.map((v) => v.id), [...all.map((v) => v.id)].sort((x, y) => x - y), 'oldest first');
    assert.ok(all.some((v) => v.decision === 'same' && v.merge > 0) && all.some((v) => v.decision === 'different'));
    const mine = linkReviews(area.db, { child: a.child_id });
    assert.deepEqual(mine.map((v) => [v.id, v.agency, v.source_ref, v.person, v.candidate, v.decision, v.decided_at, v.merge]),
      [[open.id, 'police', 'LO-2', b.child_id, a.child_id, '', '', 0]]);
    assert.equal(mine[0].probability, open.probability);
    const e = lastAudit(area.db, { action: 'link_reviews.list' });
    assert.deepEqual([e.actor, e.child_id, e.object], ['cli', a.child_id, `child:${a.child_id}`]);
    assert.ok(linkReviews(area.db, { open: true }).every((v) => v.decision === '' && v.decided_at === ''));
    assert.ok(linkReviews(area.db, { open: true }).some((v) => v.id === open.id));
    const tsv = runCli(['link', 'reviews', '--db', dbUrl(area.db)]).stdout;
    assert.equal(tsv.split('\n')[0], 'id\trecord\tagency\tsource_ref\tperson\tcandidate\tprobability\tweight\t' +
      'created_at\tdecided_at\tdecided_by\tdecision\tmerge');
    assert.equal(tsv.trim().split('\n').length, all.length + 1);
    for (const secret of ['Noor', 'Baker', 'Amira', 'School confirmed']) assert.ok(!tsv.includes(secret), secret);
    assert.deepEqual(runCli(['link', 'reviews', '--db', dbUrl(area.db), '--limit', '1', '--json']).stdout.trim().split('\n')
      .map((l) => JSON.parse(l).id), [all[0].id]);
  });

  test('a task naming a sealed child, on either side, is not listed', () => {
    runCli(['seal', '--db', dbUrl(area.db), '--child', String(b.child_id), '--basis', 'adoption']);
    assert.deepEqual(linkReviews(area.db, { child: a.child_id }), []);
    assert.deepEqual(linkReviews(area.db, { child: b.child_id }), []);
    assert.ok(linkReviews(area.db).every((v) => v.person !== b.child_id && v.candidate !== b.child_id));
  });

  test('a merge with a sealed child, kept or merged, is not listed; the list is audited all the same', () => {
    assert.ok(theMerge, 'the merge made above');
    assert.deepEqual(linkMerges(area.db, theMerge.merged).map((m) => m.id), [theMerge.id]);
    runCli(['seal', '--db', dbUrl(area.db), '--child', String(theMerge.kept), '--basis', 'adoption']);
    const audited = auditRows(area.db, { action: 'merges.list', child: theMerge.merged }).length;
    assert.deepEqual(linkMerges(area.db, theMerge.merged), []);
    assert.equal(auditRows(area.db, { action: 'merges.list', child: theMerge.merged }).length, audited + 1);
    assert.deepEqual(linkMerges(area.db, theMerge.kept), []);
  });

  test('misuse is answered 2, naming the option', () => {
    const db = dbUrl(area.db);
    for (const [args, re] of [
      [['link', 'reviews', '--db', db, '--child', 'x'], /--child must be a child's id/],
      [['link', 'reviews', '--db', db, '--limit', '-1'], /--limit must be a whole number/],
      [['link', 'reviews', '--db', db, '--open=yes'], /--open/],
      [['link', 'reviews', '--db', db, 'extra'], /unexpected argument "extra"/],
      [['link', 'reviews'], /--db URL is required/],
      [['link', 'review', '--db', db], /is not train, dedupe, reviews or model/],
      [['link', 'model', '--db', db, '--child', '1'], /unknown option --child/],
      [['link', 'model', '--db', db, 'extra'], /unexpected argument "extra"/],
      [['link', 'model', '--json'], /--db URL is required/],
    ]) {
      const r = runCli(args, { check: false });
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, re, args.join(' '));
    }
  });
});
