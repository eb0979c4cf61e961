// Head office and a depot in a real browser (SPEC §8): the depot's dashboard shows its link to
// head office (up to date, then retrying with what waits while head office is down); head office's
// dashboard lists the conflicts sites' facts made, and a disputed bag's page says why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { browserSuite, Server, ApiClient, signIn, screenshot, sleep, ADMIN_PASSWORD } from './harness.mjs';

const suite = browserSuite();

async function until(check, ms = 30000) {
  const end = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > end) return false;
    await sleep(200);
  }
}

// Head office with areas Kanpur and Lucknow and a site for each, and the Kanpur depot pushing to
// it (`args`: more options for the depot), with a parent and a child scanned and sent.
async function headOfficeAndDepot(args = []) {
  const hq = await new Server().start();
  const hqAdmin = await new ApiClient(hq).login('admin', ADMIN_PASSWORD);
  await hqAdmin.must('POST', '/api/v1/areas', { name: 'Kanpur' });
  await hqAdmin.must('POST', '/api/v1/areas', { name: 'Lucknow' });
  const kanpur = await hqAdmin.must('POST', '/api/v1/sites', { name: 'Kanpur depot', areas: ['Kanpur'] });
  const lucknow = await hqAdmin.must('POST', '/api/v1/sites', { name: 'Lucknow depot', areas: ['Lucknow'] });
  const depot = new Server({ args: [] });
  const tokenFile = join(depot.dir, 'sync-token');
  writeFileSync(tokenFile, kanpur.token + '\n');
  depot.args = ['--upstream', hq.url, '--site-id', kanpur.site.id, '--sync-token-file', tokenFile, ...args];
  await depot.start();
  const depotAdmin = await new ApiClient(depot).login('admin', ADMIN_PASSWORD);
  await depotAdmin.must('POST', '/api/v1/scans/parent', { code: 'SB31000' });
  await depotAdmin.must('POST', '/api/v1/scans/child', { parent: 'SB31000', code: 'TRAVELLER' });
  assert.ok(await until(async () => (await depotAdmin.must('GET', '/api/v1/sync/status')).backlog_ops === 0), 'the depot drains');
  return { hq, depot, depotAdmin, lucknow };
}

// The Lucknow site, offline, put the same child into its own parent: head office records a conflict.
async function lucknowLinksTheChild(hq, lucknow) {
  const op = (seq, kind, data) => ({ seq, uid: randomUUID(), kind, at: Date.now() * 1000, user: 'asha', data });
  const pushed = await fetch(hq.url + '/api/v1/sync/push', {
    method: 'POST',
    headers: { Authorization: 'Bearer ' + lucknow.token, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      site: lucknow.site.id, batch: randomUUID(), after: 0,
      ops: [
        op(1, 'bag.create', { bag: { uid: randomUUID(), code: 'SB41000', type: 'parent', kind: 'SB' }, area: 'Lucknow' }),
        op(2, 'link.add', { child: 'TRAVELLER', parent: 'SB41000', area: 'Lucknow' }),
      ],
    }),
  });
  assert.equal(pushed.status, 200);
  return pushed.json();
}

test('a depot shows its link to head office; head office shows the conflict and the disputed bag', { timeout: 180000 }, async () => {
  const { hq, depot, depotAdmin, lucknow } = await headOfficeAndDepot();
  try {
    // The depot's dashboard: up to date.
    const page = await suite.open();
    await signIn(page, depot, 'admin', ADMIN_PASSWORD, '/dashboard');
    await page.waitForSelector('[data-testid=sync-card][data-state=ok]');
    // Signing in was a change too (an audit entry): it leaves within a round of the card.
    await page.waitForFunction(() => /^0 operations/.test(document.querySelector('[data-testid=sync-backlog]')?.textContent || ''), null, { timeout: 25000 });
    await screenshot(page, 'sync-depot-ok');

    // Another site put the same child into its own parent, offline: head office records the
    // conflict and keeps the first placement.
    assert.equal((await lucknowLinksTheChild(hq, lucknow)).conflicts.length, 1);

    const office = await suite.open();
    await signIn(office, hq, 'admin', ADMIN_PASSWORD, '/dashboard');
    await office.waitForSelector('[data-testid=sync-conflicts-count]');
    assert.equal(await office.locator('[data-testid=sync-conflicts-count]').textContent(), '1 open conflict');
    assert.match(await office.locator('[data-testid=sync-conflicts] li').first().textContent(),
      /TRAVELLER was linked into SB41000 at Lucknow depot by asha on .*; head office keeps it in SB31000\./);
    await screenshot(office, 'sync-head-office-dashboard');
    await office.goto(hq.url + '/bags/TRAVELLER');
    await office.waitForSelector('[data-testid=disputed]');
    assert.match(await office.locator('[data-testid=disputed]').textContent(), /Disputed.*SB41000/s);
    assert.equal(await office.locator('[data-testid=bag] .facts a').first().textContent(), 'SB31000');
    // Its history names the site each scan came from.
    assert.equal(await office.locator('[data-testid=history-site]').first().textContent(), ' at Kanpur depot');
    await screenshot(office, 'sync-disputed-bag');

    // Head office goes down; the depot keeps scanning and says what waits.
    await hq.stop();
    await depotAdmin.must('POST', '/api/v1/scans/child', { parent: 'SB31000', code: 'OFFLINE-1' });
    await page.waitForSelector('[data-testid=sync-card][data-state=retrying]', { timeout: 30000 });
    await page.waitForFunction(() => /^[1-9]/.test(document.querySelector('[data-testid=sync-backlog]')?.textContent || ''), null, { timeout: 30000 });
    await screenshot(page, 'sync-depot-retrying');
    // "Try again now" asks the pusher for a round at once (head office is still down: it keeps retrying).
    const [retried] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/v1/sync/retry')),
      page.click('[data-testid=sync-retry]'),
    ]);
    assert.equal(retried.status(), 202);
    await page.waitForSelector('[data-testid=sync-card][data-state=retrying]');
  } finally {
    await depot.dispose();
    await hq.dispose();
  }
});

test("head office's dashboard has a card per site; a conflict resolved on the conflicts page moves the bag at the depot", { timeout: 180000 }, async () => {
  const { hq, depot, depotAdmin, lucknow } = await headOfficeAndDepot(['--sync-interval', '1']);
  try {
    await lucknowLinksTheChild(hq, lucknow);

    // The dashboard: a card per site, and the totals of all.
    const office = await suite.open();
    await signIn(office, hq, 'admin', ADMIN_PASSWORD, '/dashboard');
    await office.waitForSelector('[data-testid=site-cards]');
    assert.equal(await office.locator('[data-testid=site-card]').count(), 2);
    const lucknowCard = office.locator('[data-testid=site-card][data-name="Lucknow depot"]');
    assert.equal(await lucknowCard.locator('[data-testid=site-conflicts]').textContent(), '1');
    assert.notEqual(await office.locator('[data-testid=site-card][data-name="Kanpur depot"] [data-testid=site-last-push]').textContent(), 'never');
    assert.equal(await office.locator('[data-testid=sites-conflicts]').textContent(), '1');
    await screenshot(office, 'sync-site-cards');

    // One site's figures: Kanpur's card shows the dashboard of its rows alone.
    await office.click('[data-testid=site-card][data-name="Kanpur depot"] h3 a');
    await office.waitForFunction(() => /Kanpur depot/.test(document.querySelector('h1')?.textContent || ''));
    assert.equal(await office.locator('[data-testid=figure-parents] .value').textContent(), '1');

    // The conflicts page, reached from Lucknow's card, tells both sides and resolves it.
    await office.goto(hq.url + '/dashboard');
    await office.waitForSelector('[data-testid=site-cards]');
    await office.click('[data-testid=site-card][data-name="Lucknow depot"] [data-testid=site-conflicts] a');
    await office.waitForSelector('[data-testid=conflicts] li[data-key=TRAVELLER]');
    const item = office.locator('[data-testid=conflicts] li[data-key=TRAVELLER]');
    assert.match(await item.textContent(), /Head office.*had TRAVELLER in SB31000.*Lucknow depot \(asha\).*linked TRAVELLER into SB41000/s);
    await screenshot(office, 'sync-conflicts-open');
    await office.click('[data-testid=resolve-keep_site-TRAVELLER]');
    await office.click('[data-testid=resolve-keep_site-TRAVELLER-confirm] button.danger');
    await office.waitForSelector('[data-testid=no-conflicts]');
    await office.selectOption('[data-testid=conflicts-status]', 'resolved');
    await office.waitForSelector('[data-testid=conflict-resolution]');
    assert.match(await office.locator('[data-testid=conflict-resolution]').textContent(), /Resolved: moved to the site's parent by admin/);
    await screenshot(office, 'sync-conflicts-resolved');

    // The depot applies it at its next pull: TRAVELLER is in SB41000 there too.
    assert.ok(await until(async () => (await depotAdmin.must('GET', '/api/v1/bags/TRAVELLER')).parent?.code === 'SB41000'),
      'the depot moves the child');
    const floor = await suite.open();
    await signIn(floor, depot, 'admin', ADMIN_PASSWORD, '/bags/TRAVELLER');
    await floor.waitForSelector('[data-testid=bag]');
    await screenshot(floor, 'sync-depot-bag-moved');
  } finally {
    await depot.dispose();
    await hq.dispose();
  }
});
