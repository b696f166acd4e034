// Writes fuzz/corpus/fuzz_http/: one request a route of `safeguard routes` (ids 1), signed in as a person the
// route's policy lets in, with a body for each route that takes one, and a few with query strings and cookies.
// The markers ($H, $O, $A0, $S0, $W0, $C0, ...) are fuzz/fuzz_http.c's. Run again when routes change:
//   node fuzz/http_seeds.mjs build/safeguard
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';

const bin = process.argv[2] ?? 'build/safeguard';
const routes = JSON.parse(execFileSync(bin, ['routes'], { encoding: 'utf8' }));
const dir = new URL('./corpus/fuzz_http/', import.meta.url).pathname;
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

// fuzz_http.c's people: 0 social worker, 1 team manager, 2 MASH worker, 3 admin, 4 DPO, 5 oversight analyst,
// 6 LADO, 7 police officer, 8 health practitioner, 9 school DSL.
const WHO = { admin: 3, oversight: 5, speakup: 5, lado: 6, 'lado.read': 6, 'homes.police': 7, mash: 2, team: 1,
  'link.review': 1, notices: 4, viewers: 4, flags: 8, break_glass: 8 };
const person = (action) => WHO[action] ?? 0;

const intake = { source_ref: 'FZ-1', kind: 'concern', occurred_at: '2026-11-20T10:00:00Z', summary: 'a concern',
  subject: { given_name: 'Amira', family_name: 'Khan', dob: '2016-05-03', nhs_number: '9434765919', postcode: 'LS6 2AB' } };
const API_BODIES = {
  'POST /api/v1/sessions': { username: 'fz.worker', password: 'not the password', totp: '123456' },
  'POST /api/v1/events': intake,
  'POST /api/v1/children/{id}/break-glass': { reason: 'seen at A&E tonight with an injury' },
  'POST /api/v1/alerts/{id}/acknowledge': { by: 'fz.worker' },
  'POST /api/v1/alerts/{id}/resolve': { outcome: 'spoke to the family', by: 'fz.worker' },
  'POST /api/v1/oversight/runs': { false_alarms_per_100_home_years: 5, false_alarm_confidence: 0.9 },
  'POST /api/v1/link-reviews/{id}/decision': { decision: 'same', reason: 'the same child' },
  'POST /api/v1/merges/{id}/undo': { reason: 'two children after all' },
  'POST /api/v1/homes/alerts/{id}/acknowledge': {},
  'POST /api/v1/homes/alerts/{id}/resolve': { outcome: 'visited the home' },
  'POST /api/v1/homes/{id}/reg44-reports': { month: '2026-10', received_on: '2026-11-02', visitor: 'A Visitor',
    summary: 'the children were safe', safeguarded: 'yes' },
  'POST /api/v1/homes/{id}/placements': { child_id: 1, start: '2026-11-01', end: null, distance_km: 12.5,
    placing_authority: '383' },
};
const WEB_FORMS = {
  'POST /sign-in': { username: 'fz.worker', password: 'not the password', totp: '123456', next: '/alerts' },
  'POST /children/{id}/concerns': { summary: 'a concern', child_words: 'I am scared', category: 'neglect' },
  'POST /children/{id}/visits': { visit_type: 'home', seen: 'yes', seen_alone: 'yes', time: '10:30', note: 'visited',
    childs_words: 'fine', views_method: 'talked' },
  'POST /children/{id}/break-glass': { reason: 'seen at A&E tonight with an injury', confirm: '1' },
  'POST /alerts/{id}/resolve': { outcome: 'spoke to the family' },
  'POST /mash/{id}/decision': { decision: 'early_help', reason: 'support for the family' },
  'POST /link-reviews/{id}/decision': { decision: 'same', reason: 'the same child', review_id: '1' },
  'POST /merges/{id}/undo': { reason: 'two children' },
  'POST /admin/users': { username: 'fz.new', full_name: 'New Person', agency: 'social_care', role: 'social_worker',
    email: 'a@b.c', phone: '0113 000 0000', team: 'T1' },
  'POST /admin/teams': { code: 'T1', name: 'Team one', manager: 'fz.manager', phone: '0113' },
  'POST /admin/allocations': { child: '1', team: 'T1', user: 'fz.worker', action: 'confirm' },
  'POST /admin/tokens': { agency: 'health', label: 'GP system', 'scope': 'flags:read' },
  'POST /homes/{id}/reg44-reports': { visitor: 'A Visitor', summary: 'safe', safeguarded: 'yes' },
  'POST /homes/alerts/{id}/resolve': { outcome: 'visited' },
  'POST /police/homes/{id}/notes': { note: 'a note about the location' },
  'POST /lado/new': { name: 'Jon Smyth', dob_day: '3', dob_month: '4', dob_year: '1985', summary: 'an allegation' },
  'POST /lado/allegations/{id}/steps': { step: 'consideration', outcome: 'substantiated', note: 'done' },
  'POST /speak-up': { step: '3', who: 'staff', home: 'unknown', what: 'something happened', about: 'nothing' },
  'POST /speak-up/return': { ref: 'SU-ABCD-EFGH', passphrase: 'one two three four five', add: 'more' },
  'POST /speak-up/reports/{id}/triage': { outcome: 'home_oversight', child: '1' },
  'POST /speak-up/reports/{id}/reply': { reply: 'thank you' },
};
const QUERIES = {
  '/api/v1/children/{id}/chronology': '?limit=2&cursor=2026-11-24T12:00:00Z_42&agency=police&kind=concern',
  '/api/v1/flags': '?nhs_number=9434765919',
  '/api/v1/alerts': '?state=open&owner=team:T1&limit=5',
  '/': '?q=Smith%20J&agency=a%26b',
  '/children/{id}': '?agency=police&kind=concern&before=2026-11-24',
  '/mash': '?status=open&agency=police&age=0-5&name=Khan&page=2',
  '/alerts': '?owner=mash&state=open',
  '/children/{id}/viewers': '?agency=health&basis=break_glass&page=2',
  '/dpo': '?user=fz.worker&agency=health&page=1',
  '/sign-in': '?next=/%3Fq%3DSmith&signed_out=1',
};

let n = 0;
const write = (name, text) => { writeFileSync(`${dir}${String(++n).padStart(3, '0')}-${name}`, text); };
for (const r of routes) {
  const path = r.path.replaceAll('{id}', '1');
  const key = `${r.method} ${r.path}`;
  const headers = ['Host: $H'];
  let body = '';
  if (r.surface === 'api') {
    if (r.scope) headers.push('Authorization: Bearer $A0');
    else if (r.action !== 'public') headers.push(`Authorization: Bearer $S${person(r.action)}`);
    if (r.method === 'POST') {
      if (key === 'POST /api/v1/children/{id}/recordings') {
        headers.push('Content-Type: audio/mpeg', 'X-Recording-Kind: interview');
        body = 'ID3 not really audio';
      } else {
        headers.push('Content-Type: application/json');
        body = JSON.stringify(API_BODIES[key] ?? {});
      }
    }
  } else {
    if (r.action !== 'public') headers.push(`Cookie: sg_session=$W${person(r.action)}`);
    if (r.method === 'POST') {
      headers.push('Origin: $O', 'Content-Type: application/x-www-form-urlencoded');
      const form = new URLSearchParams({ csrf_token: `$C${person(r.action)}`, ...(WEB_FORMS[key] ?? {}) });
      body = form.toString().replaceAll('%24', '$');
    }
  }
  const query = r.method === 'GET' ? (QUERIES[r.path] ?? '') : '';
  if (body) headers.push(`Content-Length: ${Buffer.byteLength(body)}`);
  const text = `${r.method} ${path}${query} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n${body}`;
  write(`${r.method.toLowerCase()}${path.replace(/[^a-z0-9]+/gi, '-')}`, text);
}
// The HTTP layer itself: chunked bodies, a form streamed, cookies and queries in odd shapes, a body over the limit.
write('chunked-json', 'POST /api/v1/events HTTP/1.1\r\nHost: $H\r\nAuthorization: Bearer $A0\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"sou\r\n0\r\n\r\n');
write('cookies', 'GET /alerts HTTP/1.1\r\nHost: $H\r\nCookie: a=1; sg_session=$W0; sg_session=x; b="q"; =; ;\r\n\r\n');
write('query-odd', 'GET /?q=%zz&q=a&&=&agency[]=x&%00=1 HTTP/1.1\r\nHost: $H\r\nCookie: sg_session=$W0\r\n\r\n');
write('form-odd', 'POST /children/1/concerns HTTP/1.1\r\nHost: $H\r\nCookie: sg_session=$W0\r\nOrigin: $O\r\nContent-Type: application/x-www-form-urlencoded; charset=utf-8\r\nContent-Length: 52\r\n\r\ncsrf_token=$C0&summary=%E2%80%AE&summary=&x&=y&%zz=1');
write('multipart', 'POST /children/1/recordings HTTP/1.1\r\nHost: $H\r\nCookie: sg_session=$W0\r\nOrigin: $O\r\nContent-Type: multipart/form-data; boundary=XX\r\nContent-Length: 120\r\n\r\n--XX\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n$C0\r\n--XX\r\nContent-Disposition: form-data; name="file"; filename="a.mp3"\r\n\r\nabc\r\n--XX--\r\n');
write('http10-keepalive', 'GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /metrics HTTP/1.1\r\nHost: $H\r\n\r\n');
write('range', 'GET /api/v1/recordings/1/content HTTP/1.1\r\nHost: $H\r\nAuthorization: Bearer $S0\r\nRange: bytes=5-1,-0,9999999999999999999-\r\n\r\n');
console.log(`${n} seeds in ${dir}`);
