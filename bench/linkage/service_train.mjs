#!/usr/bin/env node
// The service learning its linkage model (issue 16), measured through the real server: records of `safeguard
// gen` (style a or b) are posted through the API as agencies would send them. The first part is the area's
// history; reviewers decide its review tasks by the ground truth; `safeguard link train --db` learns from it;
// then the rest arrive. Beside it, the same records into a second area that keeps the built-in model. For
// the incoming records: review tasks per 1,000, joins to the right and wrong child, and records given a new
// child although their child was already known.
//
//   node bench/linkage/service_train.mjs [--style a|b] [--families N] [--seed S] [--history 0.6]
//   node bench/linkage/service_train.mjs --style c [--children N] [--namesakes P] [--seed S] [--history 0.6]
// Style c is bench/linkage/gen_c.mjs (its dates read into ISO as the agency would send them); with
// --namesakes P, joins to another child are also counted when that child is the record's planted namesake.
//   SAFEGUARD_BIN=... (default build/safeguard)
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import {
  addPerson, count, freshArea, parseCsv, postEvent, removeDir, newAuthenticator, request, runCli, sql, startServer, totp,
} from '../../tests/e2e/lib.mjs';

const { values: opt } = parseArgs({
  options: {
    style: { type: 'string', default: 'b' }, families: { type: 'string', default: '300' },
    seed: { type: 'string', default: '7' }, history: { type: 'string', default: '0.6' },
    children: { type: 'string', default: '1500' }, namesakes: { type: 'string', default: '0' },
  },
});
const PASSWORD = 'benchmarks of a model that learns';

function agencyOf(source) {
  if (/police/.test(source)) return 'police';
  if (/gp|health|hospital|nhs|ambulance/.test(source)) return 'health';
  if (/school|education/.test(source)) return 'education';
  if (/housing/.test(source)) return 'housing';
  return 'social_care';
}
function isoDob(v) {
  if (/^\d{4}-\d\d-\d\d$/.test(v)) return v;
  const m = /^(\d\d)[/.-](\d\d)[/.-](\d{4})$/.exec(v);
  return m ? `${m[3]}-${m[2]}-${m[1]}` : '';
}
const MON = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
function isoDobC(v) { // gen_c's shapes: year first with or without separators or a time, day first, a month's name
  const p2 = (x) => String(x).padStart(2, '0');
  let m = /^(\d{4})-?(\d\d)-?(\d\d)(T.*)?$/.exec(v);
  if (m) return `${m[1]}-${m[2]}-${m[3]}`;
  m = /^(\d\d?)[/.-](\d\d?)[/.-](\d{4})$/.exec(v) ?? /^(\d\d)(\d\d)(\d{4})$/.exec(v);
  if (m) return `${m[3]}-${p2(m[2])}-${p2(m[1])}`;
  m = /^(\d\d?)[ -]([A-Za-z]{3})[ -](\d{4})$/.exec(v);
  if (m && MON.includes(m[2].toLowerCase())) return `${m[3]}-${p2(MON.indexOf(m[2].toLowerCase()) + 1)}-${p2(m[1])}`;
  return '';
}
const sexOf = (v) => (/^[mf]/i.test(v.trim()) ? v.trim()[0].toUpperCase() : '');

const dir = fs.mkdtempSync('/tmp/safeguard-service-train-');
if (opt.style === 'c') {
  execFileSync(process.execPath, [path.join(path.dirname(new URL(import.meta.url).pathname), 'gen_c.mjs'), '--out', dir,
    '--children', opt.children, '--seed', opt.seed, '--namesakes', opt.namesakes], { stdio: 'ignore' });
} else {
  runCli(['gen', '--style', opt.style, '--out', dir, '--families', opt.families, '--seed', opt.seed, '--today', '2025-06-01']);
}
const rows = parseCsv(fs.readFileSync(path.join(dir, 'records.csv'), 'utf8'));
const h = rows[0];
const col = (r, n) => (h.indexOf(n) >= 0 ? r[h.indexOf(n)] : '');
const records = rows.slice(1).filter((r) => r.length === h.length).map((r) => ({
  ref: `R-${col(r, 'record_id')}`,
  agency: agencyOf(col(r, 'source') || col(r, 'agency')),
  subject: {
    given_name: col(r, 'given_name'), middle_names: col(r, 'middle_names'), family_name: col(r, 'family_name'),
    dob: (opt.style === 'c' ? isoDobC : isoDob)(col(r, 'dob')), sex: sexOf(col(r, 'sex')), postcode: col(r, 'postcode'), address: col(r, 'address'),
    nhs_number: col(r, 'nhs_number'), upn: col(r, 'upn'),
  },
}));
const truth = parseCsv(fs.readFileSync(path.join(dir, 'truth.csv'), 'utf8'));
const th = truth[0];
const childOf = Object.fromEntries(truth.slice(1).map((t) => [`R-${t[th.indexOf('record_id')]}`, t[th.indexOf('child_id')]]));
// planted namesakes (gen_c.mjs --namesakes): child → its namesakes
const namesakeOf = new Map();
if (fs.existsSync(path.join(dir, 'namesakes.csv'))) {
  for (const t of parseCsv(fs.readFileSync(path.join(dir, 'namesakes.csv'), 'utf8')).slice(1)) {
    if (t.length < 2) continue;
    for (const [x, y] of [[t[0], t[1]], [t[1], t[0]]]) {
      if (!namesakeOf.has(x)) namesakeOf.set(x, new Set());
      namesakeOf.get(x).add(y);
    }
  }
}
const cut = Math.round(records.length * Number(opt.history));

async function send(url, tokens, r) {
  const subject = { ...r.subject };
  for (let i = 0; i < 6; i++) {
    const res = await postEvent(url, tokens[r.agency], {
      source_ref: r.ref, kind: 'concern', occurred_at: '2025-05-01T10:00:00Z', subject, summary: 'Sent', details: {},
    });
    if (res.status === 201) return true;
    const f = (res.json?.error?.field ?? '').replace(/^subject\./, '');
    if (!f || !(f in subject) || subject[f] === '') return false;
    subject[f] = '';
  }
  return false;
}

/** Intake's outcome for the records after `afterId`: joins right/wrong, new although known, review tasks. */
function outcome(db, afterRecord, afterReview, incoming) {
  const seen = new Map(); // person → set of true children among records before each record
  const all = sql(db, 'select id, source_ref, person_id, link_rule from source_record order by id').split('\n')
    .filter(Boolean).map((l) => l.split('|'));
  const childPersons = new Map(); // true child → persons holding its earlier records
  let right = 0; let wrong = 0; let newKnown = 0; let n = 0; let namesake = 0;
  for (const [id, ref, person, rule] of all) {
    const child = childOf[ref];
    if (Number(id) > afterRecord) {
      n++;
      if (rule === 'score') {
        if ((seen.get(person) ?? new Set()).has(child)) right++;
        else {
          wrong++;
          const ns = namesakeOf.get(child);
          if (ns && [...(seen.get(person) ?? [])].some((c) => ns.has(c))) namesake++;
        }
      } else if (childPersons.has(child)) newKnown++;
    }
    if (!seen.has(person)) seen.set(person, new Set());
    seen.get(person).add(child);
    if (!childPersons.has(child)) childPersons.set(child, new Set());
    childPersons.get(child).add(person);
  }
  const reviews = Number(sql(db, `select count(*) from link_review where id > ${afterReview}`));
  return { incoming: n, sent: incoming, reviews, perThousand: (1000 * reviews / n).toFixed(1), right, wrong, newKnown, namesake };
}

async function area(name, train) {
  const a = freshArea(name);
  addPerson(a.db, 'bench.worker', 'social_care', 'social_worker', PASSWORD);
  const server = await startServer(a.db);
  try {
    for (const r of records.slice(0, cut)) await send(server.url, a.tokens, r);
    let trained = '';
    if (train) {
      const fresh = newAuthenticator(a.db, 'bench.worker'); // a secret whose steps no sign-in has used
      const s = await request(`${server.url}/api/v1/sessions`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'bench.worker', password: PASSWORD, totp: totp(fresh) }),
      });
      const open = await request(`${server.url}/api/v1/link-reviews`, { token: s.json.token });
      for (const v of open.json.reviews) {
        const ref = sql(a.db, `select s.source_ref from link_review r join source_record s on s.id = r.source_record_id where r.id = ${v.id}`);
        const cands = sql(a.db, `select source_ref from source_record where person_id = ${v.candidate.child_id}`).split('\n');
        const same = cands.some((c) => childOf[c] === childOf[ref]);
        await request(`${server.url}/api/v1/link-reviews/${v.id}/decision`, {
          method: 'POST', token: s.json.token, headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ decision: same ? 'same' : 'different', reason: 'compared against the ground truth' }),
        });
      }
      trained = runCli(['link', 'train', '--db', `sqlite:${a.db}`]).stdout.trim();
    }
    const lastRecord = Number(sql(a.db, 'select coalesce(max(id), 0) from source_record'));
    const lastReview = Number(sql(a.db, 'select coalesce(max(id), 0) from link_review'));
    const history = { records: count(a.db, 'source_record'), reviews: lastReview };
    let sent = 0;
    for (const r of records.slice(cut)) sent += await send(server.url, a.tokens, r);
    return { history, trained, incoming: outcome(a.db, lastRecord, lastReview, sent) };
  } finally {
    await server.stop();
    removeDir(a.dir);
  }
}

console.log(`style ${opt.style}, ${records.length} records (${opt.style === 'c' ? `${opt.children} children, namesakes ${opt.namesakes}` : `${opt.families} families`}, seed ${opt.seed}); history ${cut}, incoming ${records.length - cut}` +
  (namesakeOf.size ? `; ${namesakeOf.size / 2} namesake pairs planted` : ''));
for (const [name, train] of [['built-in', false], ['trained', true]]) {
  const r = await area(`service-train-${name}`, train);
  console.log(`== ${name}: history ${r.history.records} records, ${r.history.reviews} review tasks (${(1000 * r.history.reviews / r.history.records).toFixed(1)} per 1,000)`);
  if (r.trained) console.log(r.trained.replace(/^/gm, '   '));
  const o = r.incoming;
  console.log(`   incoming ${o.incoming} records: ${o.reviews} review tasks (${o.perThousand} per 1,000); joined to their child ${o.right}, to another child ${o.wrong}; a new child although known ${o.newKnown}` +
    (namesakeOf.size ? `; joined to a namesake ${o.namesake}` : ''));
}
removeDir(dir);
