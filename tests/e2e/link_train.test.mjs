// The service learns its record-linkage model (issue 16): `safeguard link train --db` re-estimates the model from
// the records agencies sent (here records of `safeguard gen --style b`, posted through the API), checks it on
// the pairs reviewers decided, stores it (link_model), and intake scores the next records with it; the review
// list shows a team manager the model's measured precision on reviewed pairs, and a social worker not.
// Real binary, real HTTP, real SQLite.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import {
  dbUrl, addPerson, everyAgencysEvents, freshArea, linkModel, linkReviews, parseCsv, postEvent, removeDir, request, runCli, startServer, totp, newAuthenticator,
  cookieOf, onPostgres, sqlWrite,
} from './lib.mjs';

const PASSWORD = 'a model that learns from its own records';
const HELD_OUT = 405; // the last records of the file arrive after training

let area;
let server;
const secrets = {};
const apiTokens = {};
let records; // [{ref, agency, subject}]
let childOf; // source_ref → true child
const refOfEvent = {}; // the id of each event stored → the source_ref of the record that brought it

function agencyOf(source) {
  if (/police/.test(source)) return 'police';
  if (/gp|health|hospital|nhs|ambulance|a_e/.test(source)) return 'health';
  if (/school|education/.test(source)) return 'education';
  if (/housing/.test(source)) return 'housing';
  return 'social_care';
}

/** A date of birth as the API takes it (YYYY-MM-DD), from the shapes the generator writes; '' otherwise. */
function isoDob(v) {
  let m = /^(\d{4})-(\d\d)-(\d\d)$/.exec(v);
  if (m) return v;
  m = /^(\d\d)[/.-](\d\d)[/.-](\d{4})$/.exec(v);
  return m ? `${m[3]}-${m[2]}-${m[1]}` : '';
}

function sexOf(v) {
  const c = v.trim().charAt(0).toUpperCase();
  return c === 'M' || c === 'F' ? c : '';
}

/** An instant as the pages show it, in England: "6 May 2031 08:08". */
function ukWhen(ts) {
  const d = new Date(ts);
  const date = d.toLocaleDateString('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'long', year: 'numeric' });
  const hm = d.toLocaleTimeString('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return `${date} ${hm}`;
}

/** Posts one record; a field the API refuses (it names it) is sent empty instead, as an agency would; a record
 * missing what the API requires is not sent (false). */
async function send(r) {
  const subject = { ...r.subject };
  for (let attempt = 0; attempt < 6; attempt++) {
    const res = await postEvent(server.url, area.tokens[r.agency], {
      source_ref: r.ref, kind: 'concern', occurred_at: '2025-05-01T10:00:00Z', subject,
      summary: 'Record sent by an agency system', details: {},
    });
    if (res.status === 201) {
      refOfEvent[res.json.id] = r.ref;
      return true;
    }
    const field = res.json?.error?.field ?? '';
    assert.ok(res.status >= 400 && res.status < 500 && field.startsWith('subject.'), `${res.status} ${res.text}`);
    if (subject[field.slice(8)] === '') return false; // a required field it does not hold: never sent
    subject[field.slice(8)] = '';
  }
  return false;
}


/** A review task's prior, as its reviewer is shown the task: the weight less every field's contribution. */
async function priorOf(id) {
  const r = await request(`${server.url}/api/v1/link-reviews/${id}`, { token: apiTokens['sam.worker'] });
  assert.equal(r.status, 200, r.text);
  return r.json.weight - r.json.fields.reduce((sum, f) => sum + f.contribution, 0);
}

async function page(username, p) {
  secrets[username] = newAuthenticator(area.db, username);
  const form = await fetch(`${server.url}/sign-in`);
  const pre = cookieOf(form, 'sg_presession');
  const csrf = /name="csrf_token" value="([^"]+)"/.exec(await form.text())?.[1];
  const res = await fetch(`${server.url}/sign-in`, {
    method: 'POST', redirect: 'manual',
    headers: { cookie: pre, 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
    body: new URLSearchParams({ username, password: PASSWORD, totp: totp(secrets[username]), csrf_token: csrf }),
  });
  await res.text();
  assert.equal(res.status, 303, `sign-in of ${username}`);
  const r = await request(`${server.url}${p}`, { headers: { cookie: cookieOf(res, 'sg_session') } });
  assert.equal(r.status, 200, r.text);
  return r.text;
}

before(async () => {
  area = freshArea('link-train');
  secrets['tam.manager'] = addPerson(area.db, 'tam.manager', 'social_care', 'team_manager', PASSWORD);
  secrets['sam.worker'] = addPerson(area.db, 'sam.worker', 'social_care', 'social_worker', PASSWORD);
  const gen = path.join(area.dir, 'gen');
  runCli(['gen', '--style', 'b', '--out', gen, '--families', '120', '--seed', '5', '--today', '2025-06-01']);
  const rows = parseCsv(fs.readFileSync(path.join(gen, 'records.csv'), 'utf8'));
  const h = rows[0];
  const col = (row, name) => row[h.indexOf(name)];
  records = rows.slice(1).filter((r) => r.length === h.length).map((r) => ({
    ref: `B-${col(r, 'record_id')}`,
    agency: agencyOf(col(r, 'source')),
    subject: {
      given_name: col(r, 'given_name'), middle_names: col(r, 'middle_names'), family_name: col(r, 'family_name'),
      dob: isoDob(col(r, 'dob')), sex: sexOf(col(r, 'sex')), postcode: col(r, 'postcode'),
      address: col(r, 'address'), nhs_number: col(r, 'nhs_number'), upn: col(r, 'upn'),
    },
  }));
  const truth = parseCsv(fs.readFileSync(path.join(gen, 'truth.csv'), 'utf8'));
  childOf = Object.fromEntries(truth.slice(1).map((t) => [`B-${t[0]}`, t[1]]));
  assert.ok(records.length > 900, `${records.length} records`);
  server = await startServer(area.db);
  for (const name of Object.keys(secrets)) {
    secrets[name] = newAuthenticator(area.db, name);
    const s = await request(`${server.url}/api/v1/sessions`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: name, password: PASSWORD, totp: totp(secrets[name]) }),
    });
    assert.equal(s.status, 201, s.text);
    apiTokens[name] = s.json.token;
  }
});

after(async () => {
  try {
    if (server) await server.stop();
  } finally {
    if (area) removeDir(area.dir);
  }
});

test('with too few records, training refuses and the built-in model stays', async () => {
  const r = runCli(['link', 'train', '--db', dbUrl(area.db)], { check: false });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /0 records with a subject; at least 200 are needed/);
  const builtin = linkModel(area.db);
  assert.equal(builtin.id, 0, JSON.stringify(builtin));
  assert.equal(builtin.how, 'built-in');
  // the built-in settings intake scores with, not -1: a link threshold above the review one, and the prior whose
  // log-odds the review tasks show below (-13)
  assert.ok(builtin.link_threshold > builtin.review_threshold && builtin.review_threshold > 0 && builtin.link_threshold < 1,
    JSON.stringify(builtin));
  assert.ok(Math.abs(Math.log2(builtin.lambda / (1 - builtin.lambda)) - -13) < 1e-6, `built-in lambda ${builtin.lambda}`);
  const manager = await page('tam.manager', '/link-reviews');
  assert.match(manager, /id="link-model"/);
  assert.match(manager, /Built-in settings: not yet learnt from this service&#39;s records|Built-in settings: not yet learnt from this service's records/);
  assert.match(manager, /Not measured until it learns/);
  // the rate's counts as migration 31 counted them (nothing received yet), and when
  assert.match(manager, /id="link-model-rate">0\.0 \(0 records received\) as of \d{1,2} [A-Z][a-z]+ \d{4} \d\d:\d\d</);
});

test('a count that cannot be written is said also when training refuses (too few records)', () => {
  // Injected fault, no command makes it (stays SQL): a trigger refusing every update of link_counts.
  sqlWrite(area.db, onPostgres()
    ? `CREATE FUNCTION test_counts_fail() RETURNS trigger LANGUAGE plpgsql AS
       $$ BEGIN RAISE EXCEPTION 'injected: link_counts not writable'; END $$;
       CREATE TRIGGER test_counts_fail BEFORE UPDATE ON link_counts FOR EACH ROW EXECUTE FUNCTION test_counts_fail();`
    : `CREATE TRIGGER test_counts_fail BEFORE UPDATE ON link_counts BEGIN
       SELECT RAISE(ABORT, 'injected: link_counts not writable'); END;`);
  try {
    const r = runCli(['link', 'train', '--db', dbUrl(area.db)], { check: false });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /0 records with a subject; at least 200 are needed/);
    assert.match(r.stderr, /warning: the review page's counts were not written/);
  } finally {
    sqlWrite(area.db, onPostgres() ? 'DROP TRIGGER test_counts_fail ON link_counts; DROP FUNCTION test_counts_fail();'
      : 'DROP TRIGGER test_counts_fail;');
  }
  const r = runCli(['link', 'train', '--db', dbUrl(area.db)], { check: false });
  assert.equal(r.status, 1);
  assert.doesNotMatch(r.stderr, /warning/); // once writable, no warning
});

test('trained on its own records and reviewers\' decisions; intake scores the next records with it', async (t) => {
  const first = records.slice(0, records.length - HELD_OUT);
  let sent = 0;
  for (const r of first) sent += await send(r);
  assert.ok(sent > first.length * 0.95, `${sent} of ${first.length} sent`);
  // Reviewers decide every open task by the truth: the record's child against the candidate's records' child.
  const open = await request(`${server.url}/api/v1/link-reviews`, { token: apiTokens['sam.worker'] });
  assert.equal(open.status, 200, open.text);
  const builtinPrior = await priorOf(open.json.reviews[0].id);
  assert.ok(Math.abs(builtinPrior - -13) < 1e-6, `built-in prior ${builtinPrior}`);
  let same = 0;
  let decided = 0;
  for (const v of open.json.reviews) {
    const ref = v.record.source_ref;
    // The candidate's records as they stand now (earlier decisions merged some): the events of its chronology.
    const cands = (await everyAgencysEvents(server.url, area.tokens, v.candidate.child_id)).map((e) => refOfEvent[e.id]);
    const isSame = cands.some((c) => childOf[c] === childOf[ref]);
    const d = await request(`${server.url}/api/v1/link-reviews/${v.id}/decision`, {
      method: 'POST', token: apiTokens['sam.worker'], headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ decision: isSame ? 'same' : 'different', reason: 'compared both records in full' }),
    });
    if (d.status !== 200) continue; // a task a merge made moot
    decided++;
    same += isSame;
  }
  assert.ok(decided >= 5, `${decided} decided`);

  // Trained at a set instant (the injected clock): the counts it writes carry that time (British Summer Time on
  // the page).
  const TRAINED_AT = '2031-05-06T07:08:09Z';
  const r = runCli(['link', 'train', '--db', dbUrl(area.db)], { env: { SAFEGUARD_NOW: TRAINED_AT } });
  t.diagnostic(r.stdout.trim().replaceAll('\n', ' | '));
  const received = sent; // each record stored once (its source_ref is new)
  assert.match(r.stdout, new RegExp(`^model 1 trained on ${received} records, [1-9]\\d* candidate pairs`, 'm'));
  assert.match(r.stdout, new RegExp(`^reviewed pairs: ${decided} \\(${same} decided same\\)`, 'm'));
  const tasks = linkReviews(area.db).length;
  assert.match(r.stdout, new RegExp(`review tasks so far: ${tasks} for ${received} records, ` +
    `${(1000 * tasks / received).toFixed(1)} per 1,000 incoming records`));
  const model = linkModel(area.db);
  const { id, reviewed, reviewed_same: reviewedSame, linked, linked_same: linkedSame, link_threshold: linkT } = model;
  assert.equal(id, 1);
  assert.equal(model.how, 'command');
  assert.equal(model.records, received);
  assert.equal(model.records_received, received);
  assert.equal(model.review_tasks, tasks);
  // counted in the walk before training (the set clock runs on from its instant): not before it, not after the model
  assert.ok(TRAINED_AT <= model.counted_at && model.counted_at <= model.trained_at, JSON.stringify(model));
  assert.equal(reviewed, decided);
  assert.equal(reviewedSame, same);
  assert.ok(linkedSame <= linked && linked <= reviewed);
  assert.ok(linkT >= 0.99 && linkT < 1);
  // The correction: at the stored threshold, the reviewers' pairs are linked at 99.5% precision or not at all.
  assert.ok(linked === 0 || linkedSame / linked >= 0.995, `${linkedSame}/${linked}`);
  const lambda = model.lambda;
  assert.ok(lambda > 0 && lambda < 1, `lambda ${lambda}`);
  const trainedPrior = Math.log2(lambda / (1 - lambda));
  assert.ok(Math.abs(trainedPrior - builtinPrior) > 0.5, `trained prior ${trainedPrior}`);

  // The next records are scored with it: every task they raise carries the trained model's prior.
  const before = Math.max(0, ...linkReviews(area.db).map((v) => v.id));
  let heldOut = 0;
  for (const rec of records.slice(records.length - HELD_OUT)) heldOut += await send(rec);
  const priors = [];
  for (const v of linkReviews(area.db).filter((x) => x.id > before)) priors.push(await priorOf(v.id));
  assert.ok(priors.length >= 1, 'the held-out records raised a review');
  t.diagnostic(`held-out records: ${heldOut} received, ${priors.length} review tasks`);
  for (const p of priors) assert.ok(Math.abs(p - trainedPrior) < 1e-6, `prior ${p} against ${trainedPrior}`);

  // A team manager sees how it does on the reviewed pairs; a social worker sees the queue only.
  const manager = await page('tam.manager', '/link-reviews');
  assert.match(manager, new RegExp(`Learnt from this service(&#39;|')s ${received.toLocaleString('en-GB')} records on`));
  if (linked > 0) {
    assert.match(manager, new RegExp(`id="link-model-precision">${(100 * linkedSame / linked).toFixed(1)}%: of the ${linked} checked pairs`));
  } else {
    assert.match(manager, /id="link-model-precision">Not measured: it would join none of the pairs people checked/);
  }
  // The rate is as of the training (a manager's daily figure, not live): the records and tasks `link train`
  // counted, at its time, not the held-out ones received since.
  assert.ok(heldOut > 0 && linkReviews(area.db).length > tasks);
  assert.match(manager, new RegExp(`id="link-model-rate">${(1000 * tasks / received).toFixed(1)} ` +
    `\\(${received.toLocaleString('en-GB')} records received\\) as of ${ukWhen(model.counted_at)}<`));
  assert.deepEqual([linkModel(area.db).records_received, linkModel(area.db).counted_at], [received, model.counted_at]);
  const worker = await page('sam.worker', '/link-reviews');
  assert.doesNotMatch(worker, /id="link-model"/);
});
