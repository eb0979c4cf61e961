// The scan screen in a real browser (SPEC §7): a wedge scanner's bursts, a slow server, an outage
// with a reload, focus and terminators, hostile codes, and a session that ends while scans wait.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserSuite, signIn, screenshot, wedge, sleep, Server, ApiClient, PASSWORD } from './harness.mjs';

// No request of any test leaves 127.0.0.1, and no page throws (checked after each test).
const suite = browserSuite();

async function scanPage(username = 'dev', server = suite.depot.server, options) {
  const page = await suite.open(options);
  await signIn(page, server, username);
  await page.waitForSelector('[data-testid=scan-input]');
  return page;
}

const input = (page) => page.locator('[data-testid=scan-input]');
const counter = (page) => page.locator('[data-testid=counter]');
const rows = (page) => page.locator('[data-testid=scan-row]');
const waitAllSent = (page) => page.waitForSelector('[data-testid=queue-status][data-waiting="0"]');

// The rows' tones, oldest first (the list shows the newest first).
async function tones(page) {
  return (await rows(page).evaluateAll((els) => els.map((e) => e.dataset.tone))).reverse();
}
async function focusedOnEmptyInput(page) {
  return page.evaluate(() => document.activeElement?.dataset.testid === 'scan-input' && document.activeElement.value === '');
}
async function apiAs(username) {
  return new ApiClient(suite.depot.server).login(username, PASSWORD);
}

test('a wedge burst: a parent and 35 children (one double, four over capacity) end at 30/30, in order', { timeout: 120000 }, async () => {
  const page = await scanPage();
  const codes = [];
  for (let i = 1; i <= 10; i++) codes.push(`WB-${String(i).padStart(3, '0')}`);
  codes.push('WB-005');  // the scanner fired twice
  for (let i = 11; i <= 34; i++) codes.push(`WB-${String(i).padStart(3, '0')}`);
  assert.equal(codes.length, 35);
  await wedge(page, 'SB12345');
  for (const code of codes) await wedge(page, code);  // no waits: as fast as the keyboard events go
  await waitAllSent(page);
  assert.equal(await counter(page).textContent(), '30/30');
  const want = ['parent', ...Array(10).fill('linked'), 'already', ...Array(20).fill('linked'), ...Array(4).fill('rejected')];
  assert.deepEqual(await tones(page), want);
  // Outcomes in the order typed, each in words; the refusals name the full parent.
  const listed = (await rows(page).evaluateAll((els) => els.map((e) => e.dataset.code))).reverse();
  assert.deepEqual(listed, ['SB12345', ...codes]);
  const texts = (await rows(page).locator('.outcome').allTextContents()).reverse();
  assert.match(texts[11], /WB-005 is already in SB12345/);
  for (const t of texts.slice(-4)) assert.match(t, /SB12345 is full: it holds 30 of 30/);
  // The sounds followed the same order, and each played its tone.
  const cues = await page.evaluate(() => window.__cues.map((c) => c.kind));
  assert.deepEqual(cues, want);
  const lowTones = await page.evaluate(() => window.__tones.filter((t) => t.frequency < 300 && t.type === 'square').length);
  assert.equal(lowTones, 8, 'two low buzzes for each of the four refusals');
  assert.ok(await focusedOnEmptyInput(page));
  assert.equal(await page.locator('[data-testid=last-result]').getAttribute('data-tone'), 'rejected');
  // The database agrees.
  const bag = await (await apiAs('dev')).must('GET', '/api/v1/bags/SB12345');
  assert.equal(bag.child_count, 30);
  assert.deepEqual(bag.children.map((c) => c.code), codes.filter((c, i) => i !== 10).slice(0, 30));
  await screenshot(page, 'scan-burst');
});

test('a server slower than the scanner: nothing lost, order kept, the field never disabled', { timeout: 120000 }, async () => {
  const page = await scanPage();
  await wedge(page, 'SB22222');
  await waitAllSent(page);
  // Slow enough that typing twelve codes (slower on a busy machine) finishes before more than two
  // answers arrive: the check below is of the queue, not of the machine's speed.
  await page.route('**/api/v1/scans/child', async (route) => {
    await sleep(400 + Math.random() * 600);
    await route.continue();
  });
  const codes = Array.from({ length: 12 }, (_, i) => `SLOW-${i + 1}`);
  for (const code of codes) {
    await wedge(page, code);
    assert.equal(await input(page).isEditable(), true);
  }
  // Each scan shows at once, waiting or sending.
  assert.ok((await page.locator('[data-testid=scan-row][data-state=waiting]').count()) >= 10);
  await waitAllSent(page);
  const listed = (await rows(page).evaluateAll((els) => els.map((e) => `${e.dataset.code} ${e.dataset.tone}`))).reverse();
  assert.deepEqual(listed, ['SB22222 parent', ...codes.map((c) => `${c} linked`)]);
  assert.equal(await counter(page).textContent(), '12/30');
  const bag = await (await apiAs('dev')).must('GET', '/api/v1/bags/SB22222');
  assert.deepEqual(bag.children.map((c) => c.code), codes);
  await page.unroute('**/api/v1/scans/child');
});

test('an outage: scans wait on the device, survive a reload, and arrive once each when the server is back', { timeout: 120000 }, async () => {
  // A server of this test's own, stopped and started again on the same port and database.
  const server = await new Server().start();
  const admin = await new ApiClient(server).login('admin', 'browser-admin-pw-1');
  await admin.must('POST', '/api/v1/areas', { name: 'Agra' });
  await admin.must('POST', '/api/v1/users', { username: 'omkar', password: PASSWORD, role: 'dispatcher', area: 'Agra' });
  try {
    const page = await scanPage('omkar', server);
    // The offline copy of the page is in place before the outage.
    await page.waitForSelector('html[data-offline=ready]', { state: 'attached' });
    await wedge(page, 'SB33333');
    await wedge(page, 'OUT-1');
    await waitAllSent(page);

    await server.stop('SIGKILL');
    const later = ['OUT-2', 'OUT-3', 'OUT-4', 'OUT-5', 'OUT-6'];
    for (const code of later) await wedge(page, code);
    const status = page.locator('[data-testid=queue-status]');
    await page.waitForFunction(() => document.querySelector('[data-testid=queue-status]').textContent.includes('Server unreachable'));
    assert.match(await status.textContent(), /Server unreachable: 5 scans waiting/);
    assert.ok((await page.evaluate(() => window.__cues.map((c) => c.kind))).includes('queued'));
    await screenshot(page, 'scan-offline');

    await page.reload();
    await page.waitForSelector('[data-testid=scan-input]');
    assert.equal(await page.locator('[data-testid=scan-row][data-state=waiting]').count(), 5);
    await page.waitForFunction(() => document.querySelector('[data-testid=queue-status]').textContent.includes('Server unreachable'));

    await server.start();  // same port, same database
    await waitAllSent(page);  // by themselves: no further scan
    const listed = (await rows(page).evaluateAll((els) => els.map((e) => `${e.dataset.code} ${e.dataset.tone}`))).reverse();
    assert.deepEqual(listed, ['SB33333 parent', 'OUT-1 linked', ...later.map((c) => `${c} linked`)]);
    assert.equal(await counter(page).textContent(), '6/30');
    const om = await new ApiClient(server).login('omkar', PASSWORD);
    for (const code of later) {
      const bag = await om.must('GET', `/api/v1/bags/${code}`);
      assert.equal(bag.history.filter((h) => h.source === 'scan').length, 1, `${code} scanned once`);
    }
  } finally {
    await server.dispose();
  }
});

test('focus and terminators: clicks anywhere, Tab, CR+LF, typed text and keys while a button has focus', { timeout: 120000 }, async () => {
  const page = await scanPage();
  assert.equal(await input(page).getAttribute('inputmode'), 'none');
  await wedge(page, 'SB44444');
  let n = 0;
  const next = () => `FT-${++n}`;
  const scanned = async (code) => {
    await page.waitForSelector(`[data-testid=scan-row][data-code="${code}"][data-state=done]`);
    assert.ok(await focusedOnEmptyInput(page), `focus back in the empty field after ${code}`);
  };
  for (const target of ['[data-testid=scan-list]', 'button:has-text("Undo last scan")', 'header.top', 'h2#children-title', 'body']) {
    if (target === 'button:has-text("Undo last scan")') {
      await wedge(page, next());
      await scanned(`FT-${n}`);
    }
    await page.click(target, { position: target === 'body' ? { x: 5, y: 880 } : undefined });
    const code = next();
    await wedge(page, code);
    await scanned(code);
  }
  // A Tab suffix submits and keeps the focus.
  const tabbed = next();
  await wedge(page, tabbed, 'Tab');
  await scanned(tabbed);
  // CR+LF: one scan, not two (the empty second submit is ignored).
  const before = await rows(page).count();
  const crlf = next();
  await page.keyboard.type(crlf);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await scanned(crlf);
  assert.equal(await rows(page).count(), before + 1);
  // Text that arrives without key events (a phone keyboard, an IME) is read from the field.
  const inserted = next();
  await page.keyboard.insertText(inserted);
  await page.keyboard.press('Enter');
  await scanned(inserted);
  // Keys typed while a button has the focus go into the field; the button is not pressed.
  const undone = () => page.locator('[data-testid=scan-row] .outcome', { hasText: 'Undone' }).count();
  assert.equal(await undone(), 1);  // the click on the undo button above
  await page.focus('button:has-text("Undo last scan")');
  const redirected = next();
  await wedge(page, redirected);
  await scanned(redirected);
  assert.equal(await undone(), 1);
  // Undo gives the focus back too, and takes the last link away.
  await page.click('button:has-text("Undo last scan")');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=scan-row]')[0].textContent.includes('Undone'));
  assert.ok(await focusedOnEmptyInput(page));
  assert.equal(await counter(page).textContent(), `${n - 2}/30`);
  const bag = await (await apiAs('dev')).must('GET', '/api/v1/bags/SB44444');
  assert.equal(bag.child_count, n - 2);
  assert.ok(!bag.children.some((c) => c.code === redirected), 'the last scan was undone');
  // Type by hand brings the soft keyboard back.
  await page.click('button:has-text("Type by hand")');
  assert.equal(await input(page).getAttribute('inputmode'), 'text');
  await screenshot(page, 'scan-focus');
});

test('a child with no parent gets a prompt; hostile codes are shown as text; codes are upper-cased', { timeout: 120000 }, async () => {
  const page = await scanPage('bina');
  await page.evaluate(() => localStorage.removeItem('tt.scan.parent:bina'));
  await page.reload();
  await page.waitForSelector('[data-testid=scan-input]');
  await wedge(page, 'LONELY-1');
  await page.waitForSelector('[data-testid=last-result][data-tone=rejected]');
  assert.match(await page.locator('[data-testid=last-result]').textContent(), /Scan a parent bag first/);

  const hostile = '"><svg/onload=window.__x=1>';
  await wedge(page, 'sb10023');
  await wedge(page, hostile);
  await waitAllSent(page);
  assert.equal(await page.locator('[data-testid=current-parent]').textContent(), 'SB10023');
  // The list shows the code exactly as received; the server keeps it upper-cased.
  const shown = await page.locator(`[data-testid=scan-row][data-tone=linked] .code`).first().textContent();
  assert.equal(shown, hostile);
  assert.equal(await page.locator('[data-testid=child-list] a').first().textContent(), hostile.toUpperCase());
  assert.equal(await page.evaluate(() => window.__x), undefined);
  assert.equal(await page.locator('svg[onload]').count(), 0);
  // Its bag page and the search show it as text too.
  await page.click(`[data-testid=child-list] a`);
  await page.waitForSelector('[data-testid=bag-code]');
  assert.equal(await page.locator('[data-testid=bag-code]').textContent(), hostile.toUpperCase());
  await page.goto(suite.depot.server.url + '/search?q=' + encodeURIComponent('"><'));
  await page.waitForSelector('[data-testid=search-results] tbody tr');
  assert.equal(await page.locator('[data-testid=search-results] tbody tr a').first().textContent(), hostile.toUpperCase());
  assert.equal(await page.evaluate(() => window.__x), undefined);
});

test('a session that ends while scans wait: sign in on the page, and the queue goes out with the new token', { timeout: 120000 }, async () => {
  const page = await scanPage('kiran');
  await wedge(page, 'SB55555');
  await waitAllSent(page);
  // An administrator resets kiran's password: the server ends kiran's sessions.
  await suite.depot.admin.must('PATCH', '/api/v1/users/kiran', { password: 'a-new-password-2' });
  await sleep(1200);  // a server trusts a looked-up session for up to a second
  for (const code of ['EXP-1', 'EXP-2', 'EXP-3']) await wedge(page, code);
  await page.waitForSelector('[data-testid=signin]');
  assert.match(await page.locator('[data-testid=queue-status]').textContent(), /Signed out: 3 scans waiting/);
  await wedge(page, 'EXP-4');  // scanning goes on meanwhile: the sign-in does not take the focus
  assert.match(await page.locator('[data-testid=queue-status]').textContent(), /Signed out: 4 scans waiting/);
  await page.fill('[data-testid=signin] input[name=password]', 'a-new-password-2');
  await page.click('[data-testid=signin] button[type=submit]');
  await waitAllSent(page);
  assert.equal(await counter(page).textContent(), '4/30');
  const kiran = await new ApiClient(suite.depot.server).login('kiran', 'a-new-password-2');
  const bag = await kiran.must('GET', '/api/v1/bags/SB55555');
  assert.deepEqual(bag.children.map((c) => c.code), ['EXP-1', 'EXP-2', 'EXP-3', 'EXP-4']);
  assert.equal(await page.locator('[data-testid=signin]').count(), 0);
});
