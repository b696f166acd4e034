// An area with no health member in the MASH and no health safeguarding lead (r-redteam26, the case r-ntk25 left):
// an alert on a child known only from health-only records is the MASH's, which shows her to health's members
// alone, and escalates to health's lead, else to the MASH as a whole: with neither, it waits where no one who can
// act sees it. The administrator is warned on their pages (/admin, /admin/teams) while that is so: a warning
// decided from people and teams alone (alerts_health_reach), never from a child, so it reads the same whether or
// not such a child or alert exists. Real binary, HTTP, SQLite (and PostgreSQL with make e2e-pg).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addPerson, alertRows, dbUrl, freshArea, isoSeconds, now, removeDir, runCli, signedInPeople,
  startServer } from './lib.mjs';

const PASSWORD = 'nobody to tell is a fault to fix';
const DAY = 86400000;
const PEOPLE = [['ada.admin', 'social_care', 'admin'], ['nn.nurse', 'health', 'health_practitioner'],
  ['mo.mash', 'social_care', 'mash_worker'], ['mm.manager', 'social_care', 'team_manager']];
let area;
let server;
const secrets = {};
let people;

before(async () => {
  area = freshArea('ntk-health-reach');
  for (const [name, agency, role] of PEOPLE) secrets[name] = addPerson(area.db, name, agency, role, PASSWORD);
  runCli(['team', 'add', '--db', dbUrl(area.db), '--code', 'mash', '--name', 'MASH', '--manager', 'mm.manager']);
  server = await startServer(area.db);
  people = signedInPeople(server.url, area, PASSWORD, secrets);
});
after(async () => {
  await server?.stop();
  removeDir(area?.dir);
});

const WARNING = /<div class="govuk-warning-text" id="health-warning">/;
async function pages() {
  const out = [];
  for (const p of ['/admin', '/admin/teams']) out.push(await people.page('ada.admin', p));
  return out;
}

test('no health member in the MASH and no lead: the administrator is warned, whether or not there is such a child', async () => {
  const empty = await pages();
  for (const p of empty) {
    assert.equal(p.status, 200);
    assert.match(p.text, WARNING);
    assert.match(p.text, /reaches no one who can see her/);
  }
  // A child known only from health-only records, with the MASH's alert on her: the pages do not change.
  for (const k of [1, 2, 3]) {
    await people.send('health', { given_name: 'Wren', family_name: 'Unreached', dob: '2011-04-05', nhs_number: '',
      postcode: 'LS8 2BB', address: '7 Far Lane' }, { source_ref: `REACH-${k}`, kind: 'missing_start',
      occurred_at: isoSeconds(now() - (10 - k) * DAY), summary: 'REACH-HEALTH-ONLY', details: { category: 'sexual_health' } });
  }
  assert.ok(alertRows(area.db, {}).some((a) => a.owner_kind === 'mash'), 'the MASH\'s alert on her');
  const withChild = await pages();
  for (let i = 0; i < 2; i++) assert.equal(withChild[i].text, empty[i].text, 'the warning does not depend on a child');
});

test('a health member of the MASH, or health\'s safeguarding lead, and the warning goes', async () => {
  secrets['hal.mash'] = addPerson(area.db, 'hal.mash', 'health', 'mash_worker', PASSWORD);
  for (const p of await pages()) assert.doesNotMatch(p.text, WARNING);
  runCli(['user', 'disable', '--db', dbUrl(area.db), '--username', 'hal.mash']);
  for (const p of await pages()) assert.match(p.text, WARNING, 'a disabled member acts on nothing');
  // A lead who is not health's (social care's MASH manager) cannot see her: still warned.
  runCli(['team', 'add', '--db', dbUrl(area.db), '--code', 'health_safeguarding', '--name', 'Safeguarding (health)',
    '--manager', 'mm.manager']);
  for (const p of await pages()) assert.match(p.text, WARNING, 'social care\'s manager is no health lead');
  runCli(['team', 'add', '--db', dbUrl(area.db), '--code', 'health_safeguarding', '--name', 'Safeguarding (health)',
    '--manager', 'nn.nurse']);
  for (const p of await pages()) assert.doesNotMatch(p.text, WARNING);
});
