// r-review33: who has looked and listing an owner's alerts, asked by every role, an agency's token and no session
// (the allocated child, a sealed one, an id that holds none; fifteen owners, malformed ones too; page, HEAD, API),
// against one binary: each answer (status, headers but Date, body) and the audit entries it wrote, one JSON line a
// request. Not a test (not *.test.mjs): a review's tool, to compare two binaries with the same requests.
//   SAFEGUARD_BIN=/tmp/base/build/safeguard node tests/e2e/refusal_probe.mjs > base.jsonl
//   SAFEGUARD_BIN=$PWD/build/safeguard node tests/e2e/refusal_probe.mjs > branch.jsonl
//   node tests/e2e/refusal_probe.mjs compare base.jsonl branch.jsonl
// compare prints each answer that differs and each request whose entries differ, then a count by kind.
import fs from 'node:fs';
import { addPerson, dbUrl, freshArea, isoSeconds, now, removeDir, request, runCli, sql, signedInPeople,
  startServer } from './lib.mjs';

if (process.argv[2] === 'compare') {
  const read = (f) => fs.readFileSync(f, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const [a, b] = [read(process.argv[3]), read(process.argv[4])];
  const times = (t) => t.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/g, 'T').replace(/\d\d:\d\d<\/span>/g, 'HH:MM</span>');
  const count = {};
  const add = (k) => { count[k] = (count[k] ?? 0) + 1; };
  a.forEach((x, i) => {
    const y = b[i];
    if (x.label !== y.label) throw new Error(`request ${i}: ${x.label} / ${y.label}`);
    if (x.status !== y.status || JSON.stringify(x.headers) !== JSON.stringify(y.headers) || times(x.body) !== times(y.body)) {
      console.log(`answer differs: ${y.label}: ${x.status} / ${y.status}`);
      add('answers that differ (but the times shown)');
    }
    if (JSON.stringify(x.entries) === JSON.stringify(y.entries)) add(x.entries.length ? 'same entries' : 'no entry either');
    else if (!x.entries.length && y.entries.length === 1 && y.status === 403 && y.entries[0].split('|')[1] === 'access.refused')
      add('a refusal that wrote none writes one access.refused');
    else { console.log(`entries differ: ${y.label}: ${JSON.stringify(x.entries)} / ${JSON.stringify(y.entries)}`); add('other entries'); }
  });
  console.log(`${a.length} requests: ${JSON.stringify(count)}`);
  process.exit(0);
}
const PASSWORD = 'a clinic is not a register';
const DAY = 86400000;
const NOBODY = 987654;
const PEOPLE = [['sam.worker', 'social_care', 'social_worker'], ['bob.worker', 'social_care', 'social_worker'],
  ['mm.manager', 'social_care', 'team_manager'], ['tn.manager', 'social_care', 'team_manager'],
  ['dee.dpo', 'social_care', 'dpo'], ['mo.mash', 'social_care', 'mash_worker'], ['pc.police', 'police', 'police_officer'],
  ['ada.admin', 'social_care', 'admin'], ['hp.health', 'health', 'health_practitioner']];
const area = freshArea('rv33');
const secrets = {};
for (const [n, ag, r] of PEOPLE) secrets[n] = addPerson(area.db, n, ag, r, PASSWORD);
runCli(['team', 'add', '--db', dbUrl(area.db), '--code', 'mash', '--name', 'MASH', '--manager', 'mm.manager']);
runCli(['team', 'add', '--db', dbUrl(area.db), '--code', 'north', '--name', 'North', '--manager', 'tn.manager']);
const server = await startServer(area.db);
const people = signedInPeople(server.url, area, PASSWORD, secrets);
const mk = async (given, ref, family, dob, postcode, address) => (await people.send('police', { given_name: given,
  family_name: family, dob, postcode, address }, { source_ref: ref, kind: 'police_callout',
  occurred_at: isoSeconds(now() - 2 * DAY), summary: 'RV33' })).child_id;
const kid = await mk('Alma', 'RV33-1', 'Probe', '2013-05-05', 'LS17 1AA', '7 Station Close');
const sealed = await mk('Selma', 'RV33-2', 'Quixley', '2009-11-21', 'BD3 9ZZ', '41 Mill Row');
runCli(['allocate', '--db', dbUrl(area.db), '--child', String(kid), '--team', 'north', '--user', 'sam.worker']);
runCli(['allocate', '--db', dbUrl(area.db), '--child', String(sealed), '--team', 'north', '--user', 'sam.worker']);
if (sealed === kid) throw new Error('one child');
runCli(['seal', '--db', dbUrl(area.db), '--child', String(sealed), '--basis', 'adoption']);
for (const [n] of PEOPLE) { await people.cookie(n); await people.apiToken(n); }
const lastId = () => Number(sql(area.db, 'SELECT coalesce(max(id),0) FROM audit'));
const norm = (t) => t.replace(/name="csrf_token" value="[^"]+"/g, 'CSRF').replace(/sgt_[A-Za-z0-9_-]{43}/g, 'TOKEN');
const out = [];
async function probe(label, path, opts) {
  const before = lastId();
  const r = await request(`${server.url}${path}`, opts);
  const rows = sql(area.db, `SELECT actor, action, child_id, object, detail FROM audit WHERE id > ${before} ORDER BY id`);
  const headers = Object.fromEntries([...r.headers].filter(([k]) => !['date', 'set-cookie', 'x-request-id'].includes(k)));
  out.push(JSON.stringify({ label, path, status: r.status, headers, body: norm(r.text ?? ''), entries: rows.split('\n').filter(Boolean) }));
}
const ids = { kid, sealed, nobody: NOBODY };
const owners = [null, 'sam.worker', 'bob.worker', 'user:bob.worker', 'team:north', 'team:mash', 'mash', 'team:', 'user:',
  'Alma Probe', 'user:mash', 'a%0Ab', '%FF', 'x'.repeat(65), 'team:nosuch'];
for (const [who] of PEOPLE) {
  const cookie = await people.cookie(who), token = await people.apiToken(who);
  for (const [k, id] of Object.entries(ids)) {
    await probe(`${who} page viewers ${k}`, `/children/${id}/viewers`, { headers: { cookie } });
    await probe(`${who} HEAD page viewers ${k}`, `/children/${id}/viewers`, { method: 'HEAD', headers: { cookie } });
    await probe(`${who} api viewers ${k}`, `/api/v1/children/${id}/viewers`, { token });
  }
  for (const o of owners) {
    const q = o === null ? '' : `?owner=${o.includes('%') ? o : encodeURIComponent(o)}`;
    await probe(`${who} page alerts ${o}`, `/alerts${q}`, { headers: { cookie } });
    await probe(`${who} api alerts ${o}`, `/api/v1/alerts${q}`, { token });
    await probe(`${who} api alerts resolved ${o}`, `/api/v1/alerts${q}${q ? '&' : '?'}state=resolved`, { token });
  }
}
for (const [ag, token] of Object.entries(area.tokens)) {
  await probe(`${ag} system api viewers`, `/api/v1/children/${kid}/viewers`, { token });
  await probe(`${ag} system api alerts owner`, `/api/v1/alerts?owner=sam.worker`, { token });
  await probe(`${ag} system api alerts`, `/api/v1/alerts`, { token });
}
for (const [k, id] of Object.entries(ids)) {
  await probe(`anon page viewers ${k}`, `/children/${id}/viewers`, {});
  await probe(`anon api viewers ${k}`, `/api/v1/children/${id}/viewers`, {});
  await probe(`badtoken api viewers ${k}`, `/api/v1/children/${id}/viewers`, { token: 'sgt_' + 'A'.repeat(43) });
  await probe(`badcookie page viewers ${k}`, `/children/${id}/viewers`, { headers: { cookie: 'sg_session=nonsense' } });
}
await probe('anon page alerts other', '/alerts?owner=bob.worker', {});
await probe('anon api alerts other', '/api/v1/alerts?owner=bob.worker', {});
await probe('cross-site page alerts', '/alerts?owner=bob.worker', { headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } });
process.stdout.write(out.join('\n') + '\n');
await server.stop();
removeDir(area.dir);
