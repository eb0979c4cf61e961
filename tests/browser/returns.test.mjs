// Return tickets in a real browser (SPEC §3.8, §7): a biller opens a ticket, scans parent bags onto
// it with the always-ready field (a child refused in words), takes a mistaken one off, commits it,
// and sees the bill's figures drop and the return on the bill's page; a dispatcher is told the
// page is not for their role.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserSuite, ApiClient, signIn, screenshot, wedge, PASSWORD } from './harness.mjs';

const suite = browserSuite();
const api = (username) => new ApiClient(suite.depot.server).login(username, PASSWORD);

test('a return ticket: opened, scanned, a bag taken off, committed; the bill gives its parents back', { timeout: 120000 }, async () => {
  const bina = await api('bina');
  for (const [parent, n] of [['SB73001', 3], ['SB73002', 2], ['SB73003', 1]]) {
    await bina.must('POST', '/api/v1/scans/parent', { code: parent });
    for (let i = 1; i <= n; i++) await bina.must('POST', '/api/v1/scans/child', { parent, code: `${parent}-C${i}` });
  }
  await bina.must('POST', '/api/v1/bills', { code: 'BILL-73', description: 'returns', capacity: 5 });
  for (const p of ['SB73001', 'SB73002', 'SB73003']) await bina.must('POST', '/api/v1/bills/BILL-73/parents', { code: p });

  const page = await suite.open();
  await signIn(page, suite.depot.server, 'bina', PASSWORD, '/returns');
  await page.click('[data-testid=new-return-open]');
  await page.fill('[data-testid=new-return] input[name=code]', 'ret-73');
  await page.fill('[data-testid=new-return] input[name=note]', 'Dealer 7: unsold <b>rice</b>');
  await page.click('[data-testid=new-return] button[type=submit]');
  await page.waitForURL(/\/returns\/RET-73$/);
  await page.waitForSelector('[data-testid=scan-input]');
  for (const code of ['SB73001', 'sb73002', 'SB73001-C1', 'SB73003']) await wedge(page, code);
  await page.waitForSelector('[data-testid=return-scans] [data-code=SB73003][data-state=done]');
  const tone = (code) => page.locator(`[data-testid=return-scans] [data-code="${code}"]`).getAttribute('data-tone');
  assert.equal(await tone('SB73001'), 'linked');
  assert.equal(await tone('SB73001-C1'), 'rejected');
  assert.match(await page.locator('[data-testid=return-scans] [data-code="SB73001-C1"] .outcome').textContent(),
    /SB73001-C1 is a child bag; only parent bags are returned\./);
  await page.waitForFunction(() => document.querySelector('[data-testid=return-bag-table] tbody').children.length === 3);
  assert.equal(await page.locator('b').count(), 0, 'the note is text, not markup');
  assert.match(await page.textContent('[data-testid=return]'), /Dealer 7: unsold <b>rice<\/b>/);
  assert.equal((await page.textContent('[data-testid=return-children] .value')).trim(), '6');

  // A mistaken bag taken off after an in-page confirmation.
  await page.click('[data-testid="remove-SB73003"]');
  await page.click('[data-testid="remove-SB73003-confirm"] button:has-text("Take it off")');
  await page.waitForFunction(() => document.querySelector('[data-testid=return-bag-table] tbody').children.length === 2);
  await screenshot(page, 'return-open');

  await page.click('[data-testid=commit]');
  await page.click('[data-testid="commit-confirm"] button:has-text("Commit")');
  await page.waitForSelector('[data-testid=return-status]:has-text("committed")');
  assert.equal(await page.locator('[data-testid=scan-input]').count(), 0);
  assert.match(await page.textContent('[data-testid=return-bag-table]'), /SB73001-C1, SB73001-C2, SB73001-C3/);
  await screenshot(page, 'return-committed');

  const bill = await bina.must('GET', '/api/v1/bills/BILL-73');
  assert.equal(bill.parent_count, 1);
  assert.equal(bill.child_count, 1);
  await page.goto(suite.depot.server.url + '/bills/BILL-73');
  await page.waitForSelector('[data-testid=bill-returns]');
  assert.match(await page.textContent('[data-testid=bill-returns]'), /SB73001.*RET-73/s);
  assert.match(await page.textContent('[data-testid=bill-parents]'), /1\/5/);
  await screenshot(page, 'bill-after-return');
});

test('a dispatcher is told the returns page is not for their role', { timeout: 60000 }, async () => {
  const page = await suite.open();
  await signIn(page, suite.depot.server, 'dev', PASSWORD, '/returns');
  await page.waitForSelector('[data-testid=not-allowed]');
  assert.match(await page.textContent('[data-testid=not-allowed]'), /Returns is for Biller and Administrator accounts/);
});
