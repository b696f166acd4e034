// `safeguard homes import --reg44 FILE` (issue 16, "Homes oversight", round 2), through the real binary:
//   - the Regulation 44 visit reports go into the register with the visitor's opinion (yes, no or not_stated,
//     not_stated when the file has no safeguarded column), in the import's one transaction;
//   - the service then gets what the batch monitor gets: `homes run` over the imported register raises exactly
//     the signals `homes monitor --reg44` raises on the same files (and not those of the counts alone);
//   - a bad value is named by file, line and column, and nothing at all is written.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  dbUrl, freshArea, homeAlertRows, homeRows, lastAudit, reg44Reports, removeDir, runCli, signalRows, ukToday, rowCount,
} from './lib.mjs';

/** Every home's Regulation 44 reports, each with its home's URN, through homes list and homes reg44 (not SQL). */
function reportsByUrn(db) {
  return homeRows(db).flatMap((h) => reg44Reports(db, h.id).map((r) => ({ urn: h.urn, ...r })));
}

let area;
let gen;

const importArgs = (db, reg44) => ['homes', 'import', '--db', dbUrl(db), '--dir', gen, '--reg44', reg44];

function lines(file) {
  return fs.readFileSync(file, 'utf8').trimEnd().split('\n');
}

before(() => {
  area = freshArea('homes-import-reg44');
  gen = path.join(area.dir, 'gen');
  runCli(['gen', 'homes', '--out', gen, '--homes', '150', '--months', '24', '--seed', '3', '--harmful-pct', '10']);
});

after(() => { removeDir(area.dir); });

describe('bad reports stop the import', () => {
  const cases = [
    ['an opinion that is not yes, no or not_stated', (r) => r.replace(/,(yes|no)$/, ',maybe'),
      /safeguarded "maybe" is not yes, no or not_stated \(column safeguarded\)/],
    ['a month outside the occupancy months', (r) => r.replace(/,20\d\d-\d\d,/, ',2031-01,'),
      /month 2031-01 is outside the months of the occupancy file \(2023-01 to 2024-12\) \(column month\)/],
    ['a home not in the homes file', (r) => r.replace(/^[^,]+,/, 'SC0000000,'),
      /home "SC0000000" is not in the homes file \(column home_id\)/],
  ];
  for (const [what, edit, message] of cases) {
    test(`${what}: named by file, line and column; nothing is written`, () => {
      const rows = lines(path.join(gen, 'reg44.csv'));
      rows[40] = edit(rows[40]);
      const file = path.join(area.dir, `bad-${cases.findIndex((c) => c[0] === what)}.csv`);
      fs.writeFileSync(file, rows.join('\n') + '\n');
      const r = runCli(importArgs(area.db, file), { check: false });
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:41: ${message.source}`));
      assert.deepEqual(homeRows(area.db), [], 'no home in the register');
      assert.equal(rowCount(area.db, 'reg44_report'), 0);
    });
  }

  test('a second report for a home\'s month, and a received_on that is no date, are refused the same way', () => {
    const rows = lines(path.join(gen, 'reg44.csv'));
    const twice = path.join(area.dir, 'twice.csv');
    fs.writeFileSync(twice, [...rows, rows[7].replace(/,(yes|no)$/, ',not_stated')].join('\n') + '\n');
    const r = runCli(importArgs(area.db, twice), { check: false });
    assert.equal(r.status, 1);
    assert.match(r.stderr, new RegExp(`twice\\.csv:${rows.length + 1}: home "${rows[7].split(',')[0]}" has a report for ${rows[7].split(',')[1]} twice \\(column month\\)`));
    const dated = path.join(area.dir, 'dated.csv');
    fs.writeFileSync(dated, ['home_id,month,received_on', `${rows[1].split(',').slice(0, 2).join(',')},2024-02-30`].join('\n') + '\n');
    const d = runCli(importArgs(area.db, dated), { check: false });
    assert.equal(d.status, 1);
    assert.match(d.stderr, /dated\.csv:2: received_on "2024-02-30" is not a real date as YYYY-MM-DD \(column received_on\)/);
    assert.deepEqual(homeRows(area.db), [], 'no home in the register');
    assert.equal(rowCount(area.db, 'reg44_report'), 0);
  });
});

describe('the reports go in with their opinions', () => {
  test('every report is recorded with the visitor\'s opinion, in the one audited import', () => {
    const file = path.join(gen, 'reg44.csv');
    const rows = lines(file).slice(1).map((l) => l.split(','));
    // Today read on both sides of the import: on the calendar's 31 December day (23:59:45) the import may cross
    // midnight, and the register's "today" is then either day.
    const dayBefore = ukToday();
    const r = runCli(importArgs(area.db, file));
    const days = new Set([dayBefore, ukToday()]);
    assert.match(r.stderr, new RegExp(`150 homes, 2023-01 to 2024-12, \\d+ home-months, \\d+ incidents, ${rows.length} Regulation 44 reports`));
    const got = reportsByUrn(area.db).sort((a, b) => a.urn.localeCompare(b.urn) || a.month.localeCompare(b.month));
    const want = rows.map(([urn, month, safeguarded]) => ({ urn, month, safeguarded }))
      .sort((a, b) => a.urn.localeCompare(b.urn) || a.month.localeCompare(b.month));
    assert.deepEqual(got.map(({ urn, month, safeguarded }) => ({ urn, month, safeguarded })), want);
    assert.ok(want.some((x) => x.safeguarded === 'no') && want.some((x) => x.safeguarded === 'yes'));
    assert.ok(got.length > 0 && got.every((x) => days.has(x.received_at)),
      `without received_on, received by the register today (${[...days].join(' or ')}): ${[...new Set(got.map((x) => x.received_at))]}`);
    const audit = lastAudit(area.db, { action: 'homes.import' });
    assert.match(audit.detail, new RegExp(`, ${rows.length} Regulation 44 reports$`));
  });

  test('homes run over the register raises exactly what homes monitor --reg44 raises on the files', () => {
    const run = runCli(['homes', 'run', '--db', dbUrl(area.db), '--reg44-month', '2024-12']);
    const id = Number(/^run (\d+):/m.exec(run.stdout)[1]);
    const urn = new Map(homeRows(area.db).map((h) => [h.id, h.urn]));
    const service = signalRows(area.db, id)
      .map((s) => [urn.get(s.home_id), s.month, s.indicator, s.direction, s.statistic.toFixed(3), s.threshold.toFixed(3)].join(',')).sort();
    const monitor = (extra) => {
      const out = path.join(area.dir, `alerts${extra.length ? '-reg44' : ''}.csv`);
      runCli(['homes', 'monitor', '--homes', path.join(gen, 'homes.csv'), '--occupancy', path.join(gen, 'occupancy.csv'),
        '--incidents', path.join(gen, 'incidents.csv'), '--out', out, ...extra]);
      return lines(out).slice(1).sort();
    };
    const withOpinions = monitor(['--reg44', path.join(gen, 'reg44.csv')]);
    assert.ok(withOpinions.length > 0);
    assert.deepEqual(service, withOpinions);
    assert.notDeepEqual(service, monitor(['--no-reg44']), 'the opinions change what the monitor raises on this area');
    // gen's reg44.csv lies beside incidents.csv: without --reg44 the monitor reads it (round 23), as the service does.
    const byDefault = path.join(area.dir, 'alerts-default.csv');
    const r = runCli(['homes', 'monitor', '--homes', path.join(gen, 'homes.csv'), '--occupancy', path.join(gen, 'occupancy.csv'),
      '--incidents', path.join(gen, 'incidents.csv'), '--out', byDefault]);
    assert.match(r.stderr, /reading the Regulation 44 visitors' opinions in .*reg44\.csv \(beside the incidents; --no-reg44 leaves them out\)/);
    assert.deepEqual(lines(byDefault).slice(1).sort(), service);
    // Every month the file gives a report for has one: no missing-report alert for those homes.
    const reported = new Set(lines(path.join(gen, 'reg44.csv')).slice(1).filter((l) => l.split(',')[1] === '2024-12').map((l) => l.split(',')[0]));
    const missing = homeAlertRows(area.db, { kind: 'reg44' }).map((a) => urn.get(a.home_id));
    assert.ok(missing.length > 0 && missing.every(Boolean), 'missing-report alerts, each about a home of the register');
    assert.ok(reported.size > 0);
    for (const urn of missing) assert.ok(!reported.has(urn), `${urn} has a report for December 2024 and was not alerted as missing one`);
  });

  test('a file without the safeguarded column records not_stated; received_on, visitor and summary are kept', () => {
    const other = freshArea('homes-import-reg44-bare');
    try {
      const rows = lines(path.join(gen, 'reg44.csv')).slice(1, 4).map((l) => l.split(','));
      const bare = path.join(other.dir, 'bare.csv');
      fs.writeFileSync(bare, ['month,visitor,home_id,received_on,summary',
        ...rows.map(([urn, month], i) => `${month},"Visitor ${i}, independent",${urn},2024-0${i + 1}-15,Spoke to the children`)].join('\r\n') + '\r\n');
      runCli(importArgs(other.db, bare));
      const got = reportsByUrn(other.db).sort((a, b) => a.received_at.localeCompare(b.received_at))
        .map(({ urn, month, safeguarded, received_at, visitor, summary }) => ({ urn, month, safeguarded, received_at, visitor, summary }));
      assert.deepEqual(got, rows.map(([urn, month], i) => ({
        urn, month, safeguarded: 'not_stated', received_at: `2024-0${i + 1}-15`, visitor: `Visitor ${i}, independent`, summary: 'Spoke to the children',
      })));
    } finally {
      removeDir(other.dir);
    }
  });
});
