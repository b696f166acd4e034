// r-review33: who has looked and listing an owner's alerts, asked by every role, an agency's token and no session
// (the allocated child, a sealed one, an id that holds none; fifteen owners, malformed ones too; page, HEAD, API),
// against one binary: each answer (status, headers but Date, body) and the audit entries it wrote, one JSON line a
// request. Not a test (not *.test.mjs): a review's tool, to compare two binaries with the same requests.
// r-tidy34: then every route of the router (`safeguard routes`, but the public ones) by every role and every agency's
// token (page routes with her cookie and the headers of her own browser; a POST with a body no handler takes), and
// the role gate's cross-site cases. Each request is followed by a read the server answers once its entry is durable
// (the allocated worker's read of her child): the write queue runs in order, so an entry queued and not waited for
// (a refusal by role) is in before it; that read's own entry is left out.
//   SAFEGUARD_BIN=/tmp/base/build/safeguard node tests/e2e/refusal_probe.mjs > base.jsonl
//   SAFEGUARD_BIN=$PWD/build/safeguard node tests/e2e/refusal_probe.mjs > branch.jsonl
//   node tests/e2e/refusal_probe.mjs compare base.jsonl branch.jsonl
// compare prints each answer that differs and each request whose entries differ, then a count by kind.
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { BIN, addPerson, dbUrl, freshArea, isoSeconds, now, removeDir, request, runCli, sql, signedInPeople,
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
const MORE = [['sd.school', 'education', 'school_dsl'], ['cc.chair', 'social_care', 'conference_chair'],
  ['oa.analyst', 'social_care', 'oversight_analyst'], ['ll.lado', 'social_care', 'lado']];
const area = freshArea('rv33');
const secrets = {};
for (const [n, ag, r] of [...PEOPLE, ...MORE]) secrets[n] = addPerson(area.db, n, ag, r, PASSWORD);
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
for (const [n] of [...PEOPLE, ...MORE]) { await people.cookie(n); await people.apiToken(n); }
const lastId = () => Number(sql(area.db, 'SELECT coalesce(max(id),0) FROM audit'));
const norm = (t) => t.replace(/name="csrf_token" value="[^"]+"/g, 'CSRF').replace(/sgt_[A-Za-z0-9_-]{43}/g, 'TOKEN');
const out = [];
const barrierToken = await people.apiToken('sam.worker');
async function probe(label, path, opts) {
  const before = lastId();
  const r = await request(`${server.url}${path}`, opts);
  const b = await request(`${server.url}/api/v1/children/${kid}`, { token: barrierToken });
  if (b.status !== 200) throw new Error(`the barrier read: ${b.status}`);
  const all = sql(area.db, `SELECT actor, action, child_id, object, detail FROM audit WHERE id > ${before} ORDER BY id`)
    .split('\n').filter(Boolean);
  const last = all.pop() ?? '';
  if (!/\|child\.read\|/.test(last) || !last.includes(`|child:${kid}|`)) throw new Error(`the barrier's entry: ${last}`);
  const rows = all.join('\n');
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
// r-tidy34: every route but the public ones, by every role (page and API) and every agency's token.
const routes = JSON.parse(spawnSync(BIN, ['routes'], { encoding: 'utf8' }).stdout).filter((x) => x.action !== 'public');
const fill = (pattern) => pattern.replace('{id}', pattern.includes('children/{id}') ? String(kid) : '1').replace('{id}', '1');
const ask = (x, extra) => x.method === 'POST'
  ? { method: 'POST', ...extra, headers: { ...extra.headers, 'content-type': 'text/plain' }, body: 'x' } : extra;
for (const x of routes) {
  const path = fill(x.path);
  for (const [who] of [...PEOPLE, ...MORE]) {
    if (x.surface === 'web') {
      const headers = { cookie: await people.cookie(who), 'sec-fetch-site': 'same-origin',
        ...(x.method === 'POST' ? { origin: server.url } : {}) };
      await probe(`${who} route ${x.method} ${x.path}`, path, ask(x, { headers }));
    } else {
      await probe(`${who} route ${x.method} ${x.path}`, path, ask(x, { token: await people.apiToken(who), headers: {} }));
    }
  }
  if (x.surface === 'api')
    for (const [ag, token] of Object.entries(area.tokens))
      await probe(`${ag} system route ${x.method} ${x.path}`, path, ask(x, { token, headers: {} }));
}
// The role gate's cases that must write nothing: cross-site (a page of another site), a form no browser vouches for.
const pc = await people.cookie('pc.police');
for (const [what, headers] of [['same-site', { 'sec-fetch-site': 'same-site' }], ['cross-site', { 'sec-fetch-site': 'cross-site' }],
  ['Origin another', { origin: 'https://evil.example' }], ['Origin null', { origin: 'null' }]]) {
  await probe(`pc.police ${what} page viewers`, `/children/${kid}/viewers`, { headers: { cookie: pc, ...headers } });
  await probe(`pc.police ${what} form alert resolve`, '/alerts/1/resolve', ask({ method: 'POST' }, { headers: { cookie: pc, ...headers } }));
}
await probe('pc.police form alert resolve, nothing said', '/alerts/1/resolve', ask({ method: 'POST' }, { headers: { cookie: pc } }));
await probe('pc.police page viewers, typed (none)', `/children/${kid}/viewers`, { headers: { cookie: pc, 'sec-fetch-site': 'none' } });
process.stdout.write(out.join('\n') + '\n');
await server.stop();
removeDir(area.dir);
