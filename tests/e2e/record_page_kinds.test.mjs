// Issue 17 (the record page's speed): the kinds of event a child has (the "What happened" filter and the open
// episodes) now come from the timeline's marks when the page is not filtered, and from the store's own grouping
// when it is. Both must say the same, under the reader's view: a health-only note's kind is not offered to a
// social worker, and a kind whose only event is another agency's is not offered to an own agency's reader.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  addPerson, event, freshArea, isoSeconds, now, postEvent, removeDir, request, runCli, dbUrl, startServer,
  webSignIn,
} from './lib.mjs';

const PASSWORD = 'kinds from the marks, kinds from the store';
const DAY = 86400000;
let area;
let server;
let child;
const cookies = {};

// The options of the "What happened" filter, as [value, label], and the open episodes' summary text.
function kindOptions(html) {
  const select = /<select class="govuk-select" id="kind" name="kind">([\s\S]*?)<\/select>/.exec(html);
  assert.ok(select, 'the page has the kind filter');
  return [...select[1].matchAll(/<option value="([^"]*)"[^>]*>([^<]*)<\/option>/g)].map((m) => [m[1], m[2]]);
}

async function page(user, query = '') {
  const r = await request(`${server.url}/children/${child}${query}`, { headers: { cookie: cookies[user] } });
  assert.equal(r.status, 200, r.text);
  return r.text;
}

before(async () => {
  area = freshArea('record-kinds');
  const secrets = {
    'kim.worker': addPerson(area.db, 'kim.worker', 'social_care', 'social_worker', PASSWORD),
    'pat.police': addPerson(area.db, 'pat.police', 'police', 'police_officer', PASSWORD),
  };
  server = await startServer(area.db);
  const at = (days) => isoSeconds(now() - days * DAY);
  const sent = [
    ['education', { source_ref: 'RK-1', kind: 'concern', occurred_at: at(40) }],
    ['police', { source_ref: 'RK-2', kind: 'police_callout', occurred_at: at(30) }],
    ['police', { source_ref: 'RK-3', kind: 'concern', occurred_at: at(20) }],
    ['social_care', { source_ref: 'RK-4', kind: 'cp_plan_start', occurred_at: at(10) }],
    // a health-only note: its kind is the only one of its kind, and a social worker does not see it
    ['health', { source_ref: 'RK-5', kind: 'gp_appointment', occurred_at: at(5), details: { category: 'sexual_health' } }],
    ['health', { source_ref: 'RK-6', kind: 'injury', occurred_at: at(3) }],
  ];
  for (const [agency, over] of sent) {
    const r = await postEvent(server.url, area.tokens[agency], event(over));
    assert.equal(r.status, 201, r.text);
    child ??= r.json.child_id;
    assert.equal(r.json.child_id, child, 'one child');
  }
  runCli(['allocate', '--db', dbUrl(area.db), '--child', String(child), '--user', 'kim.worker']);
  for (const [user, secret] of Object.entries(secrets)) {
    cookies[user] = await webSignIn(server.url, area.db, user, { password: PASSWORD });
  }
});

after(async () => {
  await server?.stop();
  if (area) removeDir(area.dir);
});

test('the allocated worker: the same kinds unfiltered (from the marks) and filtered (from the store), without the health-only note', async () => {
  const whole = kindOptions(await page('kim.worker'));
  assert.deepEqual(whole, [
    ['', 'Everything'], ['concern', 'Concern'], ['cp_plan_start', 'Child protection plan started'],
    ['injury', 'Injury'], ['police_callout', 'Police call-out'],
  ]);
  for (const q of ['?agency=police', '?kind=injury', '?agency=health&kind=concern']) {
    assert.deepEqual(kindOptions(await page('kim.worker', q)).map(([v, l]) => [v, l]), whole, q);
  }
  // The open episode the kinds give (a plan started, none ended) shows on both.
  for (const q of ['', '?agency=education']) {
    assert.match(await page('kim.worker', q), /Child protection plan/, `the open plan ${q || 'unfiltered'}`);
  }
});

test('an own agency\'s reader: only the kinds of its own events, whatever the filter', async () => {
  const own = kindOptions(await page('pat.police'));
  assert.deepEqual(own, [['', 'Everything'], ['concern', 'Concern'], ['police_callout', 'Police call-out']]);
  assert.deepEqual(kindOptions(await page('pat.police', '?kind=concern')), own);
});
