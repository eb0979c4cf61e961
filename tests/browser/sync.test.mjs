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

test('a depot shows its link to head office; head office shows the conflict and the disputed bag', { timeout: 180000 }, async () => {
  const hq = await new Server().start();
  const hqAdmin = await new ApiClient(hq).login('admin', ADMIN_PASSWORD);
  await hqAdmin.must('POST', '/api/v1/areas', { name: 'Kanpur' });
  await hqAdmin.must('POST', '/api/v1/areas', { name: 'Lucknow' });
  const kanpur = await hqAdmin.must('POST', '/api/v1/sites', { name: 'Kanpur depot', areas: ['Kanpur'] });
  const lucknow = await hqAdmin.must('POST', '/api/v1/sites', { name: 'Lucknow depot', areas: ['Lucknow'] });

  const depot = new Server({ args: [] });
  const tokenFile = join(depot.dir, 'sync-token');
  writeFileSync(tokenFile, kanpur.token + '\n');
  depot.args = ['--upstream', hq.url, '--site-id', kanpur.site.id, '--sync-token-file', tokenFile];
  await depot.start();
  try {
    const depotAdmin = await new ApiClient(depot).login('admin', ADMIN_PASSWORD);
    await depotAdmin.must('POST', '/api/v1/scans/parent', { code: 'SB31000' });
    await depotAdmin.must('POST', '/api/v1/scans/child', { parent: 'SB31000', code: 'TRAVELLER' });
    assert.ok(await until(async () => (await depotAdmin.must('GET', '/api/v1/sync/status')).backlog_ops === 0), 'the depot drains');

    // The depot's dashboard: up to date.
    const page = await suite.open();
    await signIn(page, depot, 'admin', ADMIN_PASSWORD, '/dashboard');
    await page.waitForSelector('[data-testid=sync-card][data-state=ok]');
    // Signing in was a change too (an audit entry): it leaves within a round of the card.
    await page.waitForFunction(() => /^0 operations/.test(document.querySelector('[data-testid=sync-backlog]')?.textContent || ''), null, { timeout: 25000 });
    await screenshot(page, 'sync-depot-ok');

    // Another site put the same child into its own parent, offline: head office records the
    // conflict and keeps the first placement.
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
    assert.equal((await pushed.json()).conflicts.length, 1);

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
