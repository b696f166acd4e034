// Link review in words a practitioner reads (issue 15): what agrees, what differs, what could make the two
// records brothers, sisters or twins; UK dates; NHS numbers spaced as printed on a card; no raw weights; a
// strength in a word that a pair with different family names never reads as strong; two different addresses
// called different; the reviewer by name, not "user:2:north.manager"; and "check the next record" after a
// decision. Real binary, real HTTP, real SQLite; pages driven as a browser would.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  addPerson, freshArea, linkReviews, nhsNumber, postEvent, removeDir, request, sql, sqlWrite, startServer, webSignIn as signInAs,
  sessionCsrf,
} from './lib.mjs';

const PASSWORD = 'words before numbers';
let area;
let server;
let secret;
let session;
const tasks = {};

const text = (html) => html.replace(/<[^>]+>/g, ' ').replace(/&#39;|’/g, "'").replace(/\s+/g, ' ').trim();
const part = (html, id) => {
  const m = new RegExp(`<(\\w+)[^>]*id="${id}"[^>]*>([\\s\\S]*?)</\\1>`).exec(html);
  return m ? text(m[2]) : null;
};

async function signIn() {
  const cookie = await signInAs(server.url, area.db, 'sam.worker', { password: PASSWORD });
  return { cookie, csrf: await sessionCsrf(server.url, cookie) };
}
const get = (path) => request(`${server.url}${path}`, { headers: { cookie: session.cookie } });
const post = (path, fields) => request(`${server.url}${path}`, {
  method: 'POST', body: new URLSearchParams({ csrf_token: session.csrf, ...fields }),
  headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
});

/** A known child and a record with the same name, a date of birth a day out and another address: a task. */
async function reviewFor(n, given, family, recordNhs = '') {
  const known = { given_name: given, middle_names: '', family_name: family, dob: '2015-07-09', sex: 'F',
    postcode: 'LS6 2AB', address: '12 Mill Lane', nhs_number: '', upn: '' };
  const a = await postEvent(server.url, area.tokens.education, { source_ref: `W-${n}-a`, kind: 'school_absence',
    occurred_at: '2026-03-04T10:15:00Z', subject: known, summary: 'Absent', details: {} });
  assert.equal(a.status, 201, a.text);
  const b = await postEvent(server.url, area.tokens.police, { source_ref: `W-${n}-b`, kind: 'concern',
    occurred_at: '2026-03-05T10:15:00Z',
    subject: { ...known, dob: '2015-07-10', postcode: 'LS7 1AA', address: '3 Other Road', nhs_number: recordNhs },
    summary: 'Seen at the station', details: {} });
  assert.equal(b.status, 201, b.text);
  const task = linkReviews(area.db, { child: b.json.child_id })
    .find((v) => v.person === b.json.child_id && v.candidate === a.json.child_id);
  assert.ok(task, `a review task for ${given} ${family}`);
  return task.id;
}

/** Rewrites a task's explanation (the model's reading) for a case the model rarely queues. */
function rewrite(id, probability, change) {
  const ex = JSON.parse(sql(area.db, `select explanation from link_review where id = ${id}`));
  for (const f of ex.fields) Object.assign(f, change[f.field] ?? {});
  ex.probability = probability;
  sqlWrite(area.db, `update link_review set probability = ${probability}, explanation = '${JSON.stringify(ex).replaceAll("'", "''")}' where id = ${id}`);
}

before(async () => {
  area = freshArea('link-words');
  secret = addPerson(area.db, 'sam.worker', 'social_care', 'social_worker', PASSWORD);
  server = await startServer(area.db);
  tasks.plain = await reviewFor(1, 'Philippa', 'Ormondroyd', nhsNumber('943476591'));
  tasks.names = await reviewFor(2, 'Wilhelmina', 'Baptiste');
  tasks.twins = await reviewFor(3, 'Clementine', 'Azikiwe');
  rewrite(tasks.names, 0.98, { family_name: { level: 'else', record: 'Baptiste', candidate: 'Okonkwo-Reyes' } });
  rewrite(tasks.twins, 0.7, {
    given_name: { level: 'else', record: 'Clementine', candidate: 'Josephine' },
    dob: { level: 'exact', record: '2015-07-09', candidate: '2015-07-09' },
    address: { level: 'exact', record: '12 Mill Lane', candidate: '12 Mill Lane' },
  });
  session = await signIn();
});

after(async () => {
  try {
    if (server) await server.stop();
  } finally {
    if (area) removeDir(area.dir);
  }
});

describe('one record to check, in words', () => {
  test('UK dates, spaced NHS numbers, no weights, different addresses called different', async () => {
    const r = await get(`/link-reviews/${tasks.plain}`);
    assert.equal(r.status, 200);
    assert.equal(part(r.text, 'field-dob'), 'Date of birth 10 July 2015 9 July 2015 Day or month one out');
    assert.equal(part(r.text, 'field-nhs_number'), `NHS number 943 476 5919 Not recorded Only in one record`);
    assert.equal(part(r.text, 'field-address'), 'Address 3 Other Road 12 Mill Lane Different');
    assert.match(part(r.text, 'field-postcode'), /^Postcode LS7 1AA LS6 2AB (Different|Different postcodes in the same town)$/);
    assert.doesNotMatch(text(r.text), /Not in both records/);
    assert.doesNotMatch(text(r.text), /[+−-]\d+\.\d/, 'no weights');
    assert.doesNotMatch(text(r.text), /\d+%/, 'no percentages');
    assert.doesNotMatch(text(r.text), /2015-07-/, 'no ISO dates');
    assert.match(part(r.text, 'agrees'), /Given name.*Family name/);
    assert.match(part(r.text, 'differs'), /Address: 3 Other Road and 12 Mill Lane/);
    assert.match(part(r.text, 'strength'), /^How strong the match is: (Strong|Possible|Weak)$/);
  });

  test('a pair whose family names differ completely is not presented as strong, and says what differs', async () => {
    const r = await get(`/link-reviews/${tasks.names}`);
    assert.equal(r.status, 200);
    assert.equal(part(r.text, 'strength'), 'How strong the match is: Possible');
    assert.match(part(r.text, 'strength-why'), /family names are different/);
    assert.match(part(r.text, 'differs'), /Family name: Baptiste and Okonkwo-Reyes/);
    assert.doesNotMatch(text(r.text), /98%/);
    const list = await get('/link-reviews');
    assert.match(part(list.text, `link-review-${tasks.names}`), /Possible/);
    assert.doesNotMatch(text(list.text), /\d+%/);
  });

  test('same family, home and date of birth with another given name: they could be twins', async () => {
    const r = await get(`/link-reviews/${tasks.twins}`);
    assert.match(part(r.text, 'family-note'), /they could be twins/);
    const plain = await get(`/link-reviews/${tasks.plain}`);
    assert.equal(part(plain.text, 'family-note'), null);
  });

  test('after a decision: the reviewer by name and a link to the next record', async () => {
    const r = await post(`/link-reviews/${tasks.plain}/decision`, { decision: 'different', reason: 'Different birthdays confirmed by the school' });
    assert.equal(r.status, 303);
    const done = await get(r.headers.get('location'));
    assert.match(part(done.text, 'decision-summary'), /Different children, by sam\.worker \([^)]+\) on \d{1,2} \w+ \d{4}/);
    assert.doesNotMatch(done.text, /user:\d+:/);
    const next = /<a class="govuk-notification-banner__link" href="\/link-reviews\/(\d+)" id="next-record">Check the next record<\/a>/.exec(done.text);
    assert.ok(next, 'a link to the next record');
    assert.equal(Number(next[1]), tasks.names);
  });
});
