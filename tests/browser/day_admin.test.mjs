// The administrator's day (issue 15) on the demo area, in a real browser: add a person with a role their
// agency does not hold (refused, the role named), then add them properly with a name, email, phone and team (a
// QR code for the authenticator, the text secret kept); allocate a child by searching for the child and the
// worker, with a confirmation page naming both; revoke a token after a confirmation page. axe on every page;
// each page also with JavaScript off and at 375 px wide.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  assertAccessible, clearSnaps, errorSummary, goto, makeChild, navigate, newPage, snap, startDemoAndBrowser,
  textOf,
} from './lib.mjs';
import { allocationOf, tokenRows, userRow } from '../e2e/lib.mjs';

/** An API client as `safeguard token list` shows it (lib's tokenRows). */
const tokenOf = (id) => tokenRows(demo.db).find((t) => t.id === Number(id));

let demo;
let browser;
const pages = [];

// Not allocated; the police wrote about her: the administrator allocates her to the person they add.
const amelia = {
  given_name: 'Amelia', family_name: 'Brookfield-Osei', dob: '2016-05-03', sex: 'F', postcode: 'LS7 3QT',
  address: '9 Potternewton Lane',
};
let ameliaId;
const NEW = { username: 'rowan.hale', full_name: 'Rowan Hale', email: 'rowan.hale@demo.example', phone: '01632 960 321' };

before(async () => {
  clearSnaps('day-admin');
  ({ demo, browser } = await startDemoAndBrowser());
  ameliaId = await makeChild(demo, amelia, [
    { agency: 'police', kind: 'police_callout', occurred_at: '2025-02-14T20:00:00Z', summary: 'Found out late by officers' },
  ], { allocate: false });
});

after(async () => {
  const problems = pages.flatMap((p) => p.problems());
  try {
    for (const p of pages) await p.context().close();
    await browser?.close();
  } finally {
    await demo?.stop();
  }
  assert.deepEqual(problems, [], 'no script errors, failed requests or dialogs');
});

async function adminPage(options = {}) {
  const p = await newPage(browser, { as: 'demo.admin', ...options });
  pages.push(p);
  return p;
}

/** The same page with JavaScript off and at 375 px (one signed-in page of each, kept for the day): it answers
 * and has its heading; at 375 px nothing scrolls sideways and axe passes. */
const variants = {};
async function alsoWithoutJsAndNarrow(url, heading, label) {
  for (const [name, options] of [['nojs', { javaScriptEnabled: false }], ['narrow', { viewport: { width: 375, height: 800 } }]]) {
    variants[name] ??= await adminPage(options);
    const p = variants[name];
    const res = await goto(p, url);
    assert.ok(res.status() < 500, `${label}: ${res.status()}`);
    assert.match(await textOf(p.locator('h1')), heading, label);
    if (options.viewport) {
      const wide = await p.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(wide <= 375, `${label} fits 375 px (scroll width ${wide})`);
      await assertAccessible(p, `${label} (375 px)`);
    } else { // axe runs inside the page: with JavaScript off it cannot, so this checks what the page offers
      assert.ok(await p.locator('main form, main .govuk-button').count() > 0, `${label}: its forms work without JavaScript`);
    }
  }
}

describe("the administrator's day", () => {
  let admin;

  test('add a person: a police officer as a social worker is refused, naming the role; then added with name, team and a QR code', async () => {
    admin = await adminPage();
    await goto(admin, `${demo.url}/admin/users`);
    assert.equal(await textOf(admin.locator('h1')), 'People who sign in');
    // The demo's people are listed by name, the username under it.
    assert.match(await textOf(admin.locator('#users-table')), /Sam Patel demo\.worker/);
    await assertAccessible(admin, 'the people page');
    await alsoWithoutJsAndNarrow(`${demo.url}/admin/users`, /People who sign in/, 'the people page');

    await admin.getByLabel('Username').fill(NEW.username);
    await admin.getByLabel('Full name').fill(NEW.full_name);
    await admin.getByLabel('Agency').selectOption('police');
    await admin.getByLabel('Role', { exact: true }).selectOption('social_worker');
    await admin.getByLabel('Password for their first sign-in').fill('a long enough passphrase');
    await navigate(admin, () => admin.getByRole('button', { name: 'Add the person' }).click(), (u) => u.pathname === '/admin/users');
    assert.deepEqual(await errorSummary(admin), [{
      text: "Police staff cannot have the role Social worker (a role for Children's social care): select another role or agency",
      href: '#role',
    }]);
    assert.equal(userRow(demo.db, NEW.username), undefined, 'nothing written');
    await snap(admin, 'day-admin-01-role-refused');
    await assertAccessible(admin, 'the people page refusing the role');

    await admin.getByLabel('Agency').selectOption('social_care');
    await admin.getByLabel('Email address (optional)').fill(NEW.email);
    await admin.getByLabel('Telephone number (optional)').fill(NEW.phone);
    await admin.getByLabel('Team (optional)').selectOption('north');
    await admin.getByLabel('Password for their first sign-in').fill('a long enough passphrase');
    await navigate(admin, () => admin.getByRole('button', { name: 'Add the person' }).click(), (u) => u.pathname === '/admin/users');
    assert.equal(await textOf(admin.locator('h1')), 'Person added');
    const qr = admin.locator('svg#qr-code');
    assert.equal(await qr.count(), 1, 'a QR code for the authenticator');
    assert.equal(await qr.getAttribute('role'), 'img');
    const box = await qr.boundingBox();
    assert.ok(box && box.width >= 150, 'large enough to scan');
    assert.match(await textOf(admin.locator('#secret')), /^[A-Z2-7]{32}$/, 'the text secret for people who type it');
    await snap(admin, 'day-admin-02-person-added-qr');
    await assertAccessible(admin, 'the page showing the new secret and its QR code');
    const added = userRow(demo.db, NEW.username);
    assert.equal(`${added.full_name}|${added.team}`, `${NEW.full_name}|north`);
  });

  test('allocate by search: the child and the worker found by name, a confirmation naming both, then allocated', async () => {
    await goto(admin, `${demo.url}/admin/allocations`);
    assert.equal(await textOf(admin.locator('h1')), 'Allocate a child');
    await assertAccessible(admin, 'the allocation search');
    await alsoWithoutJsAndNarrow(`${demo.url}/admin/allocations`, /Allocate a child/, 'the allocation search');
    await admin.getByLabel("Child's name, NHS number or number").fill('Amelia Brookfield');
    await admin.getByLabel("Worker's name").fill('rowan');
    await navigate(admin, () => admin.getByRole('button', { name: 'Search' }).click(), (u) => u.pathname === '/admin/allocations');
    const child = admin.getByLabel(`Amelia Brookfield-Osei, born 3 May 2016 (number ${ameliaId})`);
    assert.equal(await child.count(), 1, 'the child by name and date of birth');
    await child.check();
    const worker = admin.getByLabel('Rowan Hale (rowan.hale), Social worker, Family Support North');
    assert.equal(await worker.count(), 1, 'the worker by name, with their team');
    await worker.check();
    await snap(admin, 'day-admin-03-allocation-search');
    await assertAccessible(admin, 'the allocation search results');
    const searchUrl = admin.url();
    await alsoWithoutJsAndNarrow(searchUrl, /Allocate a child/, 'the allocation search results');

    await navigate(admin, () => admin.getByRole('button', { name: 'Continue' }).click(), (u) => u.pathname === '/admin/allocations/confirm');
    assert.equal(await textOf(admin.locator('h1')),
      'Allocate Amelia Brookfield-Osei (born 3 May 2016) to Rowan Hale, Family Support North?');
    assert.equal(allocationOf(demo.db, ameliaId), undefined, 'nothing yet');
    await snap(admin, 'day-admin-04-allocation-confirm');
    await assertAccessible(admin, 'the allocation confirmation');
    await alsoWithoutJsAndNarrow(admin.url(), /^Allocate Amelia/, 'the allocation confirmation');
    await navigate(admin, () => admin.getByRole('button', { name: 'Yes, allocate' }).click(),
      (u) => u.pathname === '/admin/allocations' && u.searchParams.get('done') === 'allocated');
    assert.match(await textOf(admin.locator('.govuk-notification-banner__heading')), /The child is allocated/);
    const held = allocationOf(demo.db, ameliaId);
    assert.equal(`${held.worker}|${held.team}`, 'rowan.hale|north');
    await assertAccessible(admin, 'the allocation page after allocating');
  });

  test('revoke a token: the list links to a question naming the token; revoked only after the yes', async () => {
    const id = Math.min(...tokenRows(demo.db).filter((t) => t.agency === 'housing' && t.revoked_at === '').map((t) => t.id));
    await goto(admin, `${demo.url}/admin/tokens`);
    await assertAccessible(admin, 'the tokens page');
    await navigate(admin, () => admin.locator(`#token-${id}`).getByRole('button', { name: `Revoke token ${id}` }).click(),
      (u) => u.pathname === `/admin/tokens/${id}/revoke`);
    assert.equal(await textOf(admin.locator('h1')), `Revoke Housing's token ${id}?`);
    assert.equal(tokenOf(id).revoked_at, '', 'asking changes nothing');
    await snap(admin, 'day-admin-05-revoke-confirm');
    await assertAccessible(admin, 'the revoke confirmation');
    await alsoWithoutJsAndNarrow(admin.url(), /^Revoke Housing/, 'the revoke confirmation');
    await navigate(admin, () => admin.getByRole('button', { name: 'Yes, revoke the token' }).click(),
      (u) => u.pathname === '/admin/tokens' && u.searchParams.get('done') === 'revoked');
    assert.match(await textOf(admin.locator(`#token-${id}`)), /Revoked/);
    assert.notEqual(tokenOf(id).revoked_at, '');
    await assertAccessible(admin, 'the tokens page after revoking');
  });
});
