// Issue 15, the oversight and police pages: what an inspector and a police officer read on the demo area's
// children's homes. Each test checks one item the issue found broken:
//   - months in words ("March 2026", never "2026-03"), no statistical jargon ("shrunk", "overdispersion", "(cli)");
//   - a home above a funnel plot's 95% line that is not flagged says why;
//   - the funnel plot's y-axis is scaled to the data (a home at 5.06 no longer sits on an axis cut at 4);
//   - the funnel table: most concerning first, with URNs, shared names explained, sortable by ?sort=;
//   - a home's month-by-month charts: both axes labelled, a title, and a table of their figures;
//   - the police: missing episodes name the child with a link to the record, and what it opens to the officer
//     (access.c decides); each home lists the children placed now, named only on need-to-know.
// The area is the demo's (`safeguard demo --no-serve`) on the suite's clock; expectations come from its database.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  auditRows, homeAlertRows, homeIncidents, homeOccupancy, homePlacements, homeRows, lastRun,
  AGENCIES, addPerson, createToken, dbUrl, isoSeconds, now, removeDir, request, runCli, sql, startServer,
  tempDir,
  ukToday, webSignIn as signInAs,
} from './lib.mjs';

const PASSWORD = 'an inspector reads words, not ratios';
const PEOPLE = [['ov.analyst', 'social_care', 'oversight_analyst'], ['ov.police', 'police', 'police_officer']];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October',
  'November', 'December'];
const AREA = '383'; // the demo's authority (src/cli/cmd_demo.c)
const POLICE_DAYS = 90;

let area;
let server;
const secrets = {};
const cookies = {};

// The register, the home alerts, the incidents, placements and the last run are read through the operator's lists;
// a child's name through each agency's API; a placement for today is recorded as social care's system records one
// (POST /api/v1/homes/{id}/placements); stays SQL: the truth a need-to-know check is measured against (which
// children each agency sent events about: asking the product, e.g. the police token's chronology, would check the
// product against itself).
const tokens = {}; // each agency's system (GET /api/v1/children/{id}): a child's name
let placer; // social care's system, placements:write

/** Which agencies sent events about which child, as the rows hold them: Map of person id -> Set of agencies. */
function eventAgencies() {
  const out = new Map();
  for (const line of sql(area.db, 'select distinct person_id, agency from event').split('\n').filter(Boolean)) {
    const [id, agency] = line.split('|');
    if (!out.has(Number(id))) out.set(Number(id), new Set());
    out.get(Number(id)).add(agency);
  }
  return out;
}

/** A child's name as the first agency that wrote about them holds it (GET /api/v1/children/{id}); null for none. */
async function nameOf(id) {
  for (const agency of AGENCIES) {
    const r = await request(`${server.url}/api/v1/children/${id}`, { token: tokens[agency] });
    if (r.status === 200) return [r.json.person.given_name, r.json.person.family_name];
  }
  return null;
}
const monthWords = (ym) => `${MONTHS[Number(ym.slice(5, 7)) - 1]} ${ym.slice(0, 4)}`;
// The text a reader sees: tags dropped (attributes and SVG titles are checked where they matter).
const visible = (html) => html.replace(/<script[\s\S]*?<\/script>/g, '').replace(/<[^>]+>/g, ' ')
  .replace(/&#39;/g, "'").replace(/&amp;/g, '&').replace(/\s+/g, ' ');

function cookieOf(res, name) {
  for (const c of res.headers.getSetCookie()) if (c.startsWith(`${name}=`)) return c.split(';')[0];
  return null;
}

async function webSignIn(username) {
  return signInAs(server.url, area.db, username, { password: PASSWORD, secrets });
}

async function page(who, url) {
  const r = await request(`${server.url}${url}`, { headers: { cookie: cookies[who] } });
  return r;
}

// The funnel table's rows: [home id, name, URN, recorded, expected, ratio, against the lines].
function funnelRows(html) {
  const body = /<table class="govuk-table" id="funnel-table">[\s\S]*?<tbody[^>]*>([\s\S]*?)<\/tbody>/.exec(html);
  assert.ok(body, 'the funnel table');
  return [...body[1].matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((m) => {
    const cells = [...m[1].matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => c[1]);
    const id = /href="\/homes\/(\d+)"/.exec(cells[0])[1];
    const name = /<a[^>]*>([^<]*)<\/a>/.exec(cells[0])[1];
    return [Number(id), name, ...cells.slice(1).map((c) => visible(c).trim())];
  });
}

before(async () => {
  const dir = tempDir('oversight-pages');
  area = { dir, db: path.join(dir, 'safeguard.db') };
  runCli(['demo', '--db', dbUrl(area.db), '--no-serve', '--families', '40']);
  for (const [username, agency, role] of PEOPLE) {
    secrets[username] = addPerson(area.db, username, agency, role, PASSWORD);
  }
  for (const agency of AGENCIES) tokens[agency] = createToken(area.db, agency, 'oversight pages: what each agency holds', ['records:read']);
  placer = createToken(area.db, 'social_care', 'oversight pages: a placement for today', ['placements:write']);
  server = await startServer(area.db, { extraArgs: ['--authority', AREA] });
  for (const [u] of PEOPLE) cookies[u] = await webSignIn(u);
});

after(async () => {
  try {
    if (server) await server.stop();
  } finally {
    removeDir(area?.dir);
  }
});

describe('the oversight analyst', () => {
  test('the homes list says months and who ran the monitor in words, with no statistical jargon', async () => {
    const r = await page('ov.analyst', '/homes');
    assert.equal(r.status, 200);
    const text = visible(r.text);
    const { first_month: first, last_month: last } = lastRun(area.db);
    assert.ok(text.includes(`from ${monthWords(first)} to ${monthWords(last)}`), `the run's months in words: ${text.slice(0, 600)}`);
    assert.doesNotMatch(text, /\b20\d\d-(0[1-9]|1[0-2])\b/, 'no ISO month');
    assert.doesNotMatch(text, /\(cli\)|shrunk|overdispersion/i);
    assert.match(text, /The monitor last ran on \d{1,2} [A-Z][a-z]+ 20\d\d at \d\d:\d\d \(run by an administrator\)/);
  });

  test('a home above a funnel plot\'s 95% line that is not flagged says why', async () => {
    const list = await page('ov.analyst', '/homes');
    const flagged = new Set(homeAlertRows(area.db).filter((a) => a.state !== 'resolved').map((a) => a.home_id));
    let checked = 0;
    for (const ind of ['restraint', 'missing', 'injury']) {
      const f = await page('ov.analyst', `/homes/funnel?indicator=${ind}`);
      for (const [id, , , , , , where] of funnelRows(f.text)) {
        if (!where.startsWith('Above') || flagged.has(id)) continue;
        const row = new RegExp(`<tr class="govuk-table__row" id="home-${id}">([\\s\\S]*?)</tr>`).exec(list.text);
        assert.ok(row, `home ${id} is in the list`);
        const why = visible(row[1]);
        assert.match(why, /Not flagged, though .+ were .+ times the expected rate for homes like this, above the (95|99\.8)% line/, why);
        assert.match(why, /flagged only when its month-by-month chart crosses its threshold/);
        checked++;
      }
    }
    assert.ok(checked > 0, 'the demo has a home above a 95% line and not flagged');
    const plain = (list.text.match(/Not flagged\. Restraints were (about the expected rate|[0-9.]+ times the expected rate|almost none of the expected number) for homes like this/g) || []).length;
    assert.ok(plain > 50, `the other unflagged homes say where they stand on restraints (${plain})`);
  });

  test('the funnel plot\'s y-axis is scaled to the data: the highest home sits below its top', async () => {
    for (const ind of ['restraint', 'missing', 'complaint']) {
      const f = await page('ov.analyst', `/homes/funnel?indicator=${ind}`);
      const svg = /<svg class="sg-funnel"[\s\S]*?<\/svg>/.exec(f.text)[0];
      const ticks = [...svg.matchAll(/<text class="sg-tick sg-ytick"[^>]*>([0-9.]+)<\/text>/g)].map((m) => Number(m[1]));
      const ratios = funnelRows(f.text).map((row) => Number(row[5]));
      assert.ok(ticks.length >= 3, `y ticks on ${ind}`);
      assert.ok(Math.max(...ticks) > Math.max(...ratios), `${ind}: axis to ${Math.max(...ticks)}, highest ratio ${Math.max(...ratios)}`);
      // No point on the plot area's top edge (y = 20): every one is drawn where its value is.
      const cys = [...svg.matchAll(/<circle class="sg-point[^"]*" cx="[0-9.]+" cy="([0-9.]+)"/g)].map((m) => Number(m[1]));
      assert.equal(cys.length, ratios.length);
      assert.ok(cys.every((y) => y > 21), `${ind}: a point on the top edge`);
      assert.match(svg, /Times the expected rate<\/text>/);
      assert.match(svg, /Number expected for homes like it/);
    }
  });

  test('the funnel table: most concerning first, with URNs, shared names explained, and sort links', async () => {
    const f = await page('ov.analyst', '/homes/funnel?indicator=restraint');
    const t = funnelRows(f.text);
    const register = homeRows(area.db);
    assert.equal(t.length, register.length);
    const rank = (w) => (w.startsWith('Above the 99.8') ? 0 : w.startsWith('Above the 95') ? 1 : 2);
    for (let i = 1; i < t.length; i++) assert.ok(rank(t[i - 1][6]) <= rank(t[i][6]), `row ${i}: ${t[i - 1][6]} before ${t[i][6]}`);
    assert.ok(t[0][6].startsWith('Above'), 'a home above the lines comes first');
    const urns = Object.fromEntries(register.map((h) => [String(h.id), h.urn]));
    for (const [id, , urn] of t) assert.equal(urn, urns[id], `home ${id}'s URN`);
    const named = new Map();
    for (const h of register) named.set(h.name, (named.get(h.name) ?? 0) + 1);
    const shared = register.filter((h) => named.get(h.name) > 1).length;
    assert.ok(shared > 0, 'the demo register has homes of the same name');
    assert.match(visible(f.text), /Some homes have the same name\. The URN \(Ofsted's unique reference number\) and the postcode tell them apart\./);
    const postcodes = (f.text.match(/<span class="govuk-hint govuk-!-margin-bottom-0">[A-Z0-9 ]+, /g) || []).length;
    assert.equal(postcodes, shared, 'each home of a shared name shows its postcode');
    // Sort links, without JavaScript.
    assert.match(f.text, /<th scope="col" class="govuk-table__header" aria-sort="descending"><a class="govuk-link" href="\/homes\/funnel\?indicator=restraint&amp;sort=concern#funnel-table">/);
    const byName = funnelRows((await page('ov.analyst', '/homes/funnel?indicator=restraint&sort=name')).text);
    for (let i = 1; i < byName.length; i++) assert.ok(byName[i - 1][1] <= byName[i][1], `by name: ${byName[i - 1][1]} before ${byName[i][1]}`);
    const byRatio = funnelRows((await page('ov.analyst', '/homes/funnel?indicator=restraint&sort=ratio')).text);
    for (let i = 1; i < byRatio.length; i++) assert.ok(Number(byRatio[i - 1][5]) >= Number(byRatio[i][5]));
    const junk = funnelRows((await page('ov.analyst', '/homes/funnel?indicator=restraint&sort=%3Cb%3E')).text);
    assert.deepEqual(junk.map((row) => row[0]), t.map((row) => row[0]), 'an unknown order is the default');
    assert.doesNotMatch(visible(f.text), /overdispersion|\b20\d\d-\d\d\b/);
  });

  test('a home\'s month-by-month charts: axes labelled, a title, and a table of their figures', async () => {
    // A flagged home where the monitor flagged one; any home has its charts (on some days the demo's run
    // flags none: 31 December 2027, crossing into 2028, found it).
    const signals = homeAlertRows(area.db, { kind: 'signal' }).sort((a, b) => a.id - b.id);
    const id = String(signals[0]?.home_id ?? Math.min(...homeRows(area.db).map((h) => h.id)));
    assert.match(id, /^[1-9]\d*$/, 'a home to open');
    const r = await page('ov.analyst', `/homes/${id}`);
    assert.equal(r.status, 200);
    const months = new Set(homeOccupancy(area.db).map((o) => o.month)).size;
    assert.ok(months > 0, 'months of occupancy to chart');
    const charts = [...r.text.matchAll(/<svg class="sg-cusum"[\s\S]*?<\/svg>/g)].map((m) => m[0]);
    assert.ok(charts.length >= 8, `charts: ${charts.length}`);
    for (const svg of charts) {
      assert.match(svg, /aria-labelledby="chart-\d+-title"><title id="chart-\d+-title">Month-by-month chart of [a-z]/);
      assert.match(svg, />Evidence score<\/text>/);
      assert.match(svg, />Month<\/text>/);
      assert.match(svg, />(January|February|March|April|May|June|July|August|September|October|November|December) 20\d\d<\/text>/);
      assert.doesNotMatch(svg, />20\d\d-\d\d</);
    }
    const tables = [...r.text.matchAll(/<table class="govuk-table sg-cusum-table">([\s\S]*?)<\/table>/g)].map((m) => m[1]);
    assert.equal(tables.length, charts.length, 'a table for every chart');
    for (const t of tables) {
      assert.equal((t.match(/<tr class="govuk-table__row"><td/g) || []).length, months);
      assert.match(t, /<caption[^>]*>.+: evidence score by month \(threshold [0-9.]+\)<\/caption>/);
    }
    const text = visible(r.text);
    assert.doesNotMatch(text, /shrunk|CUSUM/i);
    assert.match(text, /Times the expected rate Allowing for chance/);
  });
});

describe('the police', () => {
  // The server's window, compared as it compares: an episode with a date only sorts before any instant of its day.
  const since = () => isoSeconds(now() - POLICE_DAYS * 86400000);

  test('every missing episode of the area names the child, linked to the record, with what it opens', async () => {
    const r = await page('ov.police', '/police/homes');
    assert.equal(r.status, 200);
    const ours = new Set(homeRows(area.db, { la: AREA }).map((h) => h.id));
    const n = homeIncidents(area.db, { type: 'missing' })
      .filter((i) => ours.has(i.home_id) && i.occurred_at >= since()).length;
    assert.ok(n > 20, `the demo has missing episodes in the area (${n})`);
    const table = /<table class="govuk-table" id="missing-table">[\s\S]*?<\/table>/.exec(r.text)[0];
    const body = /<tbody[^>]*>([\s\S]*?)<\/tbody>/.exec(table)[1];
    const trs = [...body.matchAll(/<tr class="govuk-table__row">([\s\S]*?)<\/tr>/g)].map((m) => m[1]);
    assert.ok(Math.abs(trs.length - n) <= 1, `rows ${trs.length}, episodes ${n}`); // an episode at the window's edge may fall either side
    assert.doesNotMatch(table, /Not linked to a child/);
    const links = trs.map((tr) => /<a class="govuk-link" href="\/children\/(\d+)">[^<]+<\/a><br><span class="govuk-hint">([^<]+)<\/span>/.exec(tr));
    assert.ok(links.every(Boolean), 'every row links a child');
    // What the hint says is what the record does when followed.
    const events = eventAgencies();
    const seen = { open: 0, emergency: 0 };
    for (const [, id, hint] of links) {
      if (seen.open > 2 && seen.emergency > 2) break;
      const mine = events.get(Number(id))?.has('police') ?? false;
      assert.equal(hint, mine ? 'Your force&#39;s records' : 'Emergency access only', `child ${id}`);
      const child = await page('ov.police', `/children/${id}`);
      assert.equal(child.status, mine ? 200 : 403, `child ${id}`);
      if (!mine) assert.match(child.text, /Open the record in an emergency/);
      seen[mine ? 'open' : 'emergency']++;
    }
    assert.ok(seen.open > 0 && seen.emergency > 0, `both kinds seen: ${JSON.stringify(seen)}`);
  });

  test('each home lists the children placed now; a child the officer has no need to know is counted, not named', async () => {
    // The area's home with the most children placed now (the operator's lists; the demo seals no child).
    const ours = new Set(homeRows(area.db, { la: AREA }).map((h) => h.id));
    const perHome = new Map();
    for (const p of homePlacements(area.db)) {
      if (p.end === '' && ours.has(p.home_id)) perHome.set(p.home_id, (perHome.get(p.home_id) ?? 0) + 1);
    }
    const [[home]] = [...perHome].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    // A child placed there today with no police record, no placement and no missing episode, whom social care has
    // sent records about (so that its system may place them): the lowest such id among the children some agency
    // sent events about (the loop bounded by that list, whose ids need not be
    // 1..count: PostgreSQL's sequences leave gaps).
    const placedEver = new Set(homePlacements(area.db).map((p) => p.child));
    const inIncidents = new Set(homeIncidents(area.db).map((i) => i.child));
    const events = eventAgencies();
    let stranger = 0;
    let name = null;
    for (const id of [...events.keys()].sort((a, b) => a - b)) {
      if (placedEver.has(id) || inIncidents.has(id) || events.get(id).has('police') || !events.get(id).has('social_care')) continue;
      if ((name = await nameOf(id))) { stranger = id; break; }
    }
    assert.ok(stranger, 'a child to place');
    // Placed today, as social care's system records it.
    const placedNow = await request(`${server.url}/api/v1/homes/${home}/placements`, {
      method: 'POST', token: placer, headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ child_id: stranger, start: ukToday(), distance_km: 3.2, placing_authority: AREA }),
    });
    assert.equal(placedNow.status, 201, placedNow.text);
    const [given, family] = name;
    const placed = homePlacements(area.db, { home })
      .filter((p) => p.child > 0 && p.end === '' && p.start <= ukToday() && p.child !== stranger).map((p) => [String(p.child)]);
    assert.ok(placed.length >= 1);
    const r = await page('ov.police', `/police/homes/${home}`);
    assert.equal(r.status, 200);
    const table = /<table class="govuk-table" id="placed-table">[\s\S]*?<\/table>/.exec(r.text)?.[0];
    assert.ok(table, 'the children placed now');
    for (const [id] of placed) assert.match(table, new RegExp(`href="/children/${id}"`), `child ${id} is named`);
    assert.doesNotMatch(table, new RegExp(`/children/${stranger}"`));
    assert.ok(!r.text.includes(`${given} ${family}`), 'the child the officer does not work with is not named');
    assert.match(visible(r.text), new RegExp(`${placed.length + 1} children are placed here now\\. 1 is not named: you do not work with them`));
    // The area's list counts every child placed now.
    const list = await page('ov.police', '/police/homes');
    const homes = /<table class="govuk-table" id="police-homes-table">[\s\S]*?<\/table>/.exec(list.text)[0];
    const row = new RegExp(`href="/police/homes/${home}">[\\s\\S]*?</tr>`).exec(homes)[0];
    const nums = [...row.matchAll(/govuk-table__cell--numeric">(\d+)</g)].map((m) => Number(m[1]));
    assert.equal(nums[1], placed.length + 1, `the list's count: ${row}`);
    // Audited as a read of the police homes, as before.
    assert.ok(auditRows(area.db, { action: 'homes.police.read' }).length >= 2);
  });
});
