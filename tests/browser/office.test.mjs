// The office pages in a real browser (SPEC §3.4, §3.6, §3.9, §7): the live dashboard, a bill from
// creation to print, the account page, administration, corrections on the bag page, and camera
// scanning with Chromium's fake camera fed a QR code made in the test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import QRCode from 'qrcode';
import {
  browserSuite, Server, ApiClient, launchBrowser, signIn, screenshot, wedge, sleep, artifacts, PASSWORD, ADMIN_PASSWORD,
} from './harness.mjs';

const suite = browserSuite();
const phone = { width: 390, height: 844 };

const open = (b, options) => suite.open(options, b || suite.browser);
const api = (username, server = suite.depot.server, password = PASSWORD) => new ApiClient(server).login(username, password);
const text = (page, testid) => page.locator(`[data-testid="${testid}"]`).first().textContent();
async function until(check, ms = 5000) {
  const end = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > end) return false;
    await sleep(100);
  }
}

test('the dashboard follows scans live, recovers from a cut stream, and five of them leave the browser room', { timeout: 120000 }, async () => {
  const server = await new Server().start();
  const admin = await api('admin', server, ADMIN_PASSWORD);
  await admin.must('POST', '/api/v1/areas', { name: 'Agra' });
  await admin.must('POST', '/api/v1/users', { username: 'ravi', password: PASSWORD, role: 'dispatcher', area: 'Agra' });
  await admin.must('POST', '/api/v1/users', { username: 'asha', password: PASSWORD, role: 'biller', area: 'Agra' });
  try {
    const page = await open();
    await signIn(page, server, 'asha', PASSWORD, '/dashboard');
    await page.waitForSelector('[data-testid=live-state][data-state=live]');
    const figure = async (id) => Number((await page.locator(`[data-testid=figure-${id}] .value`).textContent()).replace(/,/g, ''));
    const hourBar = () =>
      page.evaluate(() => {
        const h = String(new Date().getHours());
        return Number(document.querySelector(`[data-testid=hours-chart] .bar.today[data-group="${h}"]`).dataset.value);
      });
    const children0 = await figure('children');
    const bar0 = await hourBar();
    const url = page.url();
    // Another client scans three children.
    const ravi = await api('ravi', server);
    await ravi.must('POST', '/api/v1/scans/parent', { code: 'SB71001' });
    const t0 = Date.now();
    for (const c of ['LIVE-1', 'LIVE-2', 'LIVE-3']) await ravi.must('POST', '/api/v1/scans/child', { parent: 'SB71001', code: c });
    const followed = await until(async () => (await figure('children')) === children0 + 3 && (await hourBar()) >= bar0 + 4, 3000);
    assert.ok(followed, `figures and the hour bar follow within 3 s: children ${children0} -> ${await figure('children')}, bar ${bar0} -> ${await hourBar()}`);
    console.log(`# dashboard updated ${Date.now() - t0} ms after the scans`);
    assert.equal(page.url(), url, 'no reload');
    await screenshot(page, 'dashboard');

    // The stream is cut (the server restarts): the page reconnects and reads the figures again.
    await server.stop('SIGKILL');
    await page.waitForSelector('[data-testid=live-state][data-state=connecting]', { timeout: 15000 });
    await server.start();
    await page.waitForSelector('[data-testid=live-state][data-state=live]', { timeout: 20000 });
    await ravi.login('ravi', PASSWORD);
    await ravi.must('POST', '/api/v1/scans/child', { parent: 'SB71001', code: 'LIVE-4' });
    assert.ok(await until(async () => (await figure('children')) === children0 + 4, 5000), 'live again after the cut');

    // Five dashboards in tabs of one browser: one event stream between them, and a sixth page answers.
    const context = page.context();
    let streams = 0;
    context.on('request', (r) => r.url().includes('/api/v1/events') && streams++);
    const tabs = [];
    for (let i = 0; i < 4; i++) {
      const tab = await context.newPage();
      await tab.goto(server.url + '/dashboard');
      await tab.waitForSelector('[data-testid=live-state][data-state=live]');
      tabs.push(tab);
    }
    const sixth = await context.newPage();
    const started = Date.now();
    await sixth.goto(server.url + '/search?q=LIVE');
    await sixth.waitForSelector('[data-testid=search-results] tbody tr', { timeout: 10000 });
    console.log(`# a sixth page answered in ${Date.now() - started} ms beside five dashboards`);
    assert.equal(await sixth.locator('[data-testid=search-results] tbody tr').count(), 4);
    assert.ok(streams <= 1, `${streams} new event streams for four more dashboards`);
    await ravi.must('POST', '/api/v1/scans/child', { parent: 'SB71001', code: 'LIVE-5' });
    for (const tab of tabs) {
      assert.ok(await until(async () => (await tab.locator('[data-testid=figure-children] .value').textContent()) === String(children0 + 5)),
        'every tab follows');
    }
    for (const tab of [...tabs, sixth]) await tab.close();
  } finally {
    await server.dispose();
  }
});

test('a bill: created, filled by scanning (the third parent refused), figures as the API says, completed, reopened, printed', { timeout: 120000 }, async () => {
  const dev = await api('dev');
  for (const [parent, n] of [['SB72001', 3], ['M444-72002', 2], ['SB72003', 1]]) {
    await dev.must('POST', '/api/v1/scans/parent', { code: parent });
    for (let i = 1; i <= n; i++) await dev.must('POST', '/api/v1/scans/child', { parent, code: `${parent}-C${i}` });
  }
  const page = await open();
  await signIn(page, suite.depot.server, 'bina', PASSWORD, '/bills');
  await page.click('button:has-text("New bill")');
  await page.fill('[data-testid=new-bill] input[name=code]', 'LKO-2026-11-29');
  await page.fill('[data-testid=new-bill] input[name=description]', 'Rice, 50 kg "A" grade');
  await page.fill('[data-testid=new-bill] input[name=destination]', 'Kanpur');
  await page.fill('[data-testid=new-bill] input[name=capacity]', '2');
  await page.click('[data-testid=new-bill] button[type=submit]');
  await page.waitForURL(/\/bills\/LKO-2026-11-29$/);
  await page.waitForSelector('[data-testid=scan-input]');
  for (const code of ['SB72001', 'm444-72002', 'SB72003']) await wedge(page, code);
  await page.waitForSelector('[data-testid=bill-scans] [data-code=SB72003][data-state=done]');
  assert.equal(await page.locator('[data-testid=bill-scans] [data-code=SB72003]').getAttribute('data-tone'), 'rejected');
  assert.match(await page.locator('[data-testid=bill-scans] [data-code=SB72003] .outcome').textContent(), /full|capacity/i);
  const bill = await dev.must('GET', '/api/v1/bills/LKO-2026-11-29');
  const figure = async (id) => (await text(page, 'bill-' + id)).replace(/Parent bags|Child bags|Actual weight|Expected weight|Variance/, '').trim();
  await page.waitForFunction(() => document.querySelector('[data-testid=bill-parent-table] tbody').children.length === 2);
  assert.equal(await figure('parents'), `${bill.parent_count}/${bill.capacity}`);
  assert.equal(bill.parent_count, 2);
  assert.equal(await figure('children'), String(bill.child_count));
  assert.equal(bill.child_count, 5);
  assert.equal(await figure('actual'), `${bill.actual_weight_kg} kg`);
  assert.equal(await figure('expected'), `${bill.expected_weight_kg} kg`);
  assert.equal(bill.expected_weight_kg, 45);
  assert.equal(await figure('variance'), `${bill.variance_kg} kg`);
  assert.equal(bill.variance_kg, -40);
  assert.match(await text(page, 'bill-parent-table'), /SB72001.*M444-72002/s);
  await screenshot(page, 'bill');

  // A parent taken off (after an in-page confirmation) and scanned on again; the details edited.
  await page.click('[data-testid="remove-M444-72002"]');
  await page.click('[data-testid="remove-M444-72002-confirm"] button:has-text("Take it off")');
  await page.waitForFunction(() => document.querySelector('[data-testid=bill-parent-table] tbody').children.length === 1);
  assert.equal(await figure('parents'), '1/2');
  assert.equal((await dev.must('GET', '/api/v1/bills/LKO-2026-11-29')).parent_count, 1);
  await wedge(page, 'M444-72002');
  await page.waitForFunction(() => document.querySelector('[data-testid=bill-parent-table] tbody').children.length === 2);
  await page.click('[data-testid=edit]');
  await page.fill('[data-testid=edit-bill] input[name=vehicle]', 'UP32 AB 1234');
  await page.click('[data-testid=edit-bill] button[type=submit]');
  await page.waitForSelector('[data-testid=edit-bill]', { state: 'detached' });
  assert.equal((await dev.must('GET', '/api/v1/bills/LKO-2026-11-29')).vehicle, 'UP32 AB 1234');
  // The page reloads the bill after the form closes.
  await page.waitForSelector('[data-testid=bill]:has-text("UP32 AB 1234")');

  // Complete; the scan field goes; an administrator reopens it.
  await page.click('[data-testid=complete]');
  await page.waitForSelector('[data-testid=bill-status]:has-text("completed")');
  assert.equal(await page.locator('[data-testid=scan-input]').count(), 0);
  assert.equal(await page.locator('[data-testid=reopen]').count(), 0, 'billers do not reopen');
  const adminPage = await open();
  await signIn(adminPage, suite.depot.server, 'admin', ADMIN_PASSWORD, '/bills/LKO-2026-11-29');
  await adminPage.click('[data-testid=reopen]');
  await adminPage.waitForSelector('[data-testid=bill-status]:has-text("open")');
  assert.equal((await dev.must('GET', '/api/v1/bills/LKO-2026-11-29')).status, 'open');

  // The printed report: no navigation or controls, the figures, the parents, signature lines.
  await page.reload();
  await page.waitForSelector('[data-testid=bill-parent-table] tbody tr');
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('header.top').isVisible(), false);
  assert.equal(await page.locator('[data-testid=print]').isVisible(), false);
  assert.equal(await page.locator('[data-testid=scan-input]').isVisible(), false);
  assert.equal(await page.locator('.signatures').isVisible(), true);
  assert.equal(await page.locator('[data-testid=bill-parent-table] thead').evaluate((e) => getComputedStyle(e).display), 'table-header-group');
  await screenshot(page, 'bill-print');
  mkdirSync(artifacts, { recursive: true });
  const pdf = await page.pdf({ path: join(artifacts, 'bill-report.pdf'), format: 'A4', printBackground: true });
  assert.ok(pdf.length > 5000 && pdf.subarray(0, 5).toString() === '%PDF-');
  await page.emulateMedia({ media: 'screen' });
  // The same report as a spreadsheet file.
  const [report] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=report-csv]')]);
  assert.equal(report.suggestedFilename(), 'bill-LKO-2026-11-29.csv');
  assert.match(readFileSync(await report.path(), 'utf8'), /^bill,description,.*\r\nLKO-2026-11-29,.*SB72001/s);

  // An administrator deletes a bill after an in-page confirmation (no native dialog).
  await suite.depot.admin.must('POST', '/api/v1/bills', { code: 'DEL-ME', description: 'x', capacity: 1 });
  let dialogs = 0;
  adminPage.on('dialog', () => dialogs++);
  await adminPage.goto(suite.depot.server.url + '/bills/DEL-ME');
  await adminPage.click('[data-testid=delete]');
  await adminPage.click('[data-testid=delete-confirm] button:has-text("Delete the bill")');
  await adminPage.waitForURL(/\/bills$/);
  assert.equal(dialogs, 0);
  assert.equal((await suite.depot.admin.call('GET', '/api/v1/bills/DEL-ME')).status, 404);

  // The list offers its bills as a CSV file, downloaded with the page's own session.
  const [download] = await Promise.all([adminPage.waitForEvent('download'), adminPage.click('[data-testid=export-bills]')]);
  assert.match(download.suggestedFilename(), /^tracetrack-bills-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = readFileSync(await download.path(), 'utf8');
  assert.match(csv, /^code,description,destination,/);
  assert.match(csv, /\r\nLKO-2026-11-29,/);
});

test('administration: a new dispatcher signs in with the password shown once and sees no admin page; a token is created and revoked', { timeout: 120000 }, async () => {
  const page = await open();
  await signIn(page, suite.depot.server, 'admin', ADMIN_PASSWORD, '/admin/users');
  assert.equal(await page.locator('[data-testid=admin-nav] a').count(), 8);  // users, areas, settings, tokens, sites, conflicts, audit log, import
  await page.click('button:has-text("New user")');
  await page.fill('[data-testid=new-user] input[name=username]', 'meera');
  await page.selectOption('[data-testid=new-user] select[name=area]', 'Lucknow');
  await page.click('[data-testid=new-user] button[type=submit]');
  const password = await page.locator('[data-testid=new-password]').textContent();
  assert.match(password, /^[A-Za-z0-9]{5}-[A-Za-z0-9]{5}-[A-Za-z0-9]{5}$/);
  await screenshot(page, 'admin-users');

  const meera = await open();
  await signIn(meera, suite.depot.server, 'meera', password, '/scan');
  assert.equal(await meera.locator('[data-testid=admin-nav]').count(), 0);
  await meera.goto(suite.depot.server.url + '/admin/users');
  await meera.waitForSelector('[data-testid=not-allowed]');
  assert.match(await text(meera, 'not-allowed'), /Administrator/);
  await screenshot(meera, 'not-allowed');

  // A forgotten password: reset, shown once, and the old one stops working.
  await page.click('[data-testid="reset-meera"]');
  await page.click('[data-testid="reset-meera-confirm"] button:has-text("Reset")');
  await page.waitForFunction((old) => document.querySelector('[data-testid=new-password]')?.textContent !== old, password);
  const reset = await page.locator('[data-testid=new-password]').textContent();
  assert.equal((await new ApiClient(suite.depot.server).call('POST', '/api/v1/auth/login', { username: 'meera', password })).status, 401);
  assert.equal((await new ApiClient(suite.depot.server).call('POST', '/api/v1/auth/login', { username: 'meera', password: reset })).status, 200);
  // A change of role and area.
  await page.click('tr[data-username=meera] button:has-text("Edit")');
  await page.selectOption('tr[data-username=meera] select >> nth=0', 'biller');
  await page.selectOption('tr[data-username=meera] select >> nth=1', 'Kanpur');
  await page.click('tr[data-username=meera] button:has-text("Save")');
  await page.waitForSelector('tr[data-username=meera] td:has-text("Biller")');
  const changed = await suite.depot.admin.must('GET', '/api/v1/users/meera');
  assert.equal(changed.user.role, 'biller');
  assert.equal(changed.user.area, 'Kanpur');

  // Deactivated, meera cannot sign in again.
  await page.click('[data-testid="deactivate-meera"]');
  await page.click('[data-testid="deactivate-meera-confirm"] button:has-text("Deactivate")');
  await page.waitForSelector('tr[data-username=meera] .tag:has-text("deactivated")');
  assert.equal((await new ApiClient(suite.depot.server).call('POST', '/api/v1/auth/login', { username: 'meera', password: reset })).status, 401);

  // Areas.
  await page.goto(suite.depot.server.url + '/admin/areas');
  await page.fill('[data-testid=new-area] input[name=name]', 'Varanasi');
  await page.click('[data-testid=new-area] button[type=submit]');
  await page.waitForSelector('[data-testid=areas] td:has-text("Varanasi")');
  await screenshot(page, 'admin-areas');

  // A token: shown once, works, then revoked and refused.
  await page.goto(suite.depot.server.url + '/admin/tokens');
  await page.fill('[data-testid=new-token] input', 'weighbridge');
  await page.click('[data-testid=new-token] button[type=submit]');
  const token = await page.locator('[data-testid=token-value]').textContent();
  const asToken = (t) => fetch(suite.depot.server.url + '/api/v1/auth/me', { headers: { Authorization: 'Bearer ' + t } });
  assert.equal((await asToken(token)).status, 200);
  await screenshot(page, 'admin-tokens');
  await page.click('[data-testid=revoke-weighbridge]');
  await page.click('[data-testid=revoke-weighbridge-confirm] button:has-text("Revoke")');
  await page.waitForSelector('tr[data-name=weighbridge] .tag:has-text("revoked")');
  assert.equal((await asToken(token)).status, 401);

  // A site (head office): registered with its areas, its sync token shown once and refused as an
  // API token; renewed, which shows a new one.
  await page.goto(suite.depot.server.url + '/admin/sites');
  await page.fill('[data-testid=new-site] input[name=name]', 'Varanasi depot');
  await page.check('[data-testid=new-site] label.check:has-text("Varanasi") input');
  await page.click('[data-testid=new-site] button[type=submit]');
  const siteToken = await page.locator('[data-testid=site-token-value]').textContent();
  assert.match(siteToken, /^tts_[0-9a-f]{64}$/);
  assert.equal((await asToken(siteToken)).status, 401);
  await page.waitForSelector('tr[data-name="Varanasi depot"] td:has-text("Varanasi")');
  await screenshot(page, 'admin-sites');
  await page.click('[data-testid=site-token] button:has-text("Done")');
  await page.click('[data-testid="rotate-Varanasi depot"]');
  await page.click('[data-testid="rotate-Varanasi depot-confirm"] button:has-text("New token")');
  const renewed = await page.locator('[data-testid=site-token-value]').textContent();
  assert.notEqual(renewed, siteToken);
  const sites = (await suite.depot.admin.must('GET', '/api/v1/sites')).sites;
  assert.deepEqual(sites.map((x) => [x.name, x.areas, x.token]), [['Varanasi depot', ['Varanasi'], 'active']]);

  // Settings: each with its unit and default; a bad value is refused before saving.
  await page.goto(suite.depot.server.url + '/admin/settings');
  await page.waitForSelector('[data-testid=settings] fieldset');
  assert.equal(await page.locator('[data-testid=settings] fieldset').count(), 12);
  assert.match(await page.locator('fieldset[data-key=session_idle_minutes]').textContent(), /minutes.*Default: 30 minutes/s);
  await page.fill('fieldset[data-key=parent_capacity] input', '0');
  await page.waitForSelector('[data-testid=error-parent_capacity]');
  assert.equal(await page.locator('[data-testid=save-settings]').isDisabled(), true);
  await page.fill('fieldset[data-key=parent_capacity] input', '25');
  await page.waitForSelector('[data-testid=error-parent_capacity]', { state: 'detached' });
  await page.click('[data-testid=save-settings]');
  await page.waitForSelector('[data-testid=settings-saved]');
  assert.equal((await suite.depot.admin.must('GET', '/api/v1/settings')).settings.parent_capacity, 25);
  await screenshot(page, 'admin-settings');
  // The depot's time zone is a name, checked as it is typed.
  await page.fill('fieldset[data-key=time_zone] input', 'Mars/Olympus');
  await page.waitForSelector('[data-testid=error-time_zone]');
  await page.fill('fieldset[data-key=time_zone] input', 'Asia/Kolkata');
  await page.waitForSelector('[data-testid=error-time_zone]', { state: 'detached' });
  await suite.depot.admin.must('PATCH', '/api/v1/settings', { parent_capacity: 30 });

  // The audit log shows it, before and after, filtered by action.
  await page.goto(suite.depot.server.url + '/admin/audit?action=setting_change');
  await page.waitForSelector('[data-testid=audit] tbody tr');
  const row = page.locator('[data-testid=audit] tbody tr').last();
  assert.match(await row.textContent(), /parent_capacity.*30.*25/s);
  // The action filter offers the server's list of actions, not one kept by the page.
  const offered = await page.locator('#audit-actions option').evaluateAll((os) => os.map((o) => o.value));
  assert.deepEqual(offered, (await suite.depot.admin.must('GET', '/api/v1/audit?per_page=1')).actions);
  assert.ok(offered.includes('second_factor_reset') && offered.includes('relink'));
  // So does the "Of" filter, with the server's entities.
  const of = await page.locator('[data-testid=audit-entity] option').evaluateAll((os) => os.map((o) => o.value));
  assert.deepEqual(of, ['', ...(await suite.depot.admin.must('GET', '/api/v1/audit?per_page=1')).entities]);
  assert.ok(of.includes('return') && of.includes('import'));
  await screenshot(page, 'admin-audit');
});

test('the account page: sessions listed, the password changed, the other sessions ended', { timeout: 60000 }, async () => {
  await suite.depot.admin.must('POST', '/api/v1/users', { username: 'sunil', password: PASSWORD, role: 'biller', area: 'Kanpur' });
  const other = await api('sunil');
  const page = await open();
  await signIn(page, suite.depot.server, 'sunil', PASSWORD, '/account');
  await page.waitForSelector('[data-testid=sessions] tbody tr');
  assert.equal(await page.locator('[data-testid=sessions] tbody tr').count(), 2);
  await screenshot(page, 'account');
  await page.fill('[data-testid=change-password] input[autocomplete=current-password]', PASSWORD);
  await page.fill('[data-testid=change-password] input[name=new1]', 'sunil-new-pass-2');
  await page.fill('[data-testid=change-password] input[name=new2]', 'sunil-new-pass-2');
  await page.click('[data-testid=change-password] button[type=submit]');
  await page.waitForSelector('[data-testid=account-note]');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=sessions] tbody tr').length === 1);
  assert.equal((await other.call('GET', '/api/v1/auth/me')).status, 401);
});

test('corrections on the bag page: relink to another parent, then take it out', { timeout: 60000 }, async () => {
  const dev = await api('dev');
  await dev.must('POST', '/api/v1/scans/parent', { code: 'SB73001' });
  await dev.must('POST', '/api/v1/scans/parent', { code: 'SB73002' });
  await dev.must('POST', '/api/v1/scans/child', { parent: 'SB73001', code: 'MOVE-1' });
  const page = await open();
  await signIn(page, suite.depot.server, 'dev', PASSWORD, '/bags/MOVE-1');
  await page.fill('[data-testid=relink] input', 'sb73002');
  await page.click('[data-testid=relink] button[type=submit]');
  await page.waitForSelector('[data-testid=correction-done]');
  assert.equal(await page.locator('[data-testid=bag-parent] a').textContent(), 'SB73002');
  assert.equal((await dev.must('GET', '/api/v1/bags/MOVE-1')).parent.code, 'SB73002');
  await page.click('[data-testid=unlink]');
  await page.click('[data-testid=unlink-confirm] button:has-text("Take it out")');
  await page.waitForSelector('[data-testid=bag-parent]:has-text("in no parent")');
  assert.equal((await dev.must('GET', '/api/v1/bags/MOVE-1')).parent, null);
  // A refusal is shown in words.
  await page.fill('[data-testid=relink] input', 'SB99999');
  await page.click('[data-testid=relink] button[type=submit]');
  await page.waitForSelector('[data-testid=correction-error]');
  await screenshot(page, 'bag-corrections');
});

test('a biller moves a parent bag and its children to another area from the bag page; a dispatcher has no such control', { timeout: 60000 }, async () => {
  const dev = await api('dev');
  await dev.must('POST', '/api/v1/scans/parent', { code: 'SB75001' });
  await dev.must('POST', '/api/v1/scans/child', { parent: 'SB75001', code: 'AREA-A1' });
  await dev.must('POST', '/api/v1/scans/child', { parent: 'SB75001', code: 'AREA-A2' });
  // The dispatcher sees the bag but no control to move it.
  const seen = await open();
  await signIn(seen, suite.depot.server, 'dev', PASSWORD, '/bags/SB75001');
  await seen.waitForSelector('[data-testid=bag-count]');
  assert.equal(await seen.locator('[data-testid=transfer]').count(), 0);
  await seen.close();

  const page = await open();
  await signIn(page, suite.depot.server, 'bina', PASSWORD, '/bags/SB75001');
  await page.waitForSelector('[data-testid=transfer] option:text-is("Kanpur")', { state: 'attached' });
  // The area it is in is not offered.
  assert.equal(await page.locator('[data-testid=transfer] option:text-is("Lucknow")').count(), 0);
  await page.selectOption('[data-testid=transfer] select', 'Kanpur');
  await page.click('[data-testid=transfer] button[type=submit]');
  await page.waitForSelector('[data-testid=correction-done]');
  assert.match(await text(page, 'correction-done'), /SB75001 and its children are now in Kanpur/);
  await page.waitForSelector('.facts dd:has-text("Kanpur")');
  await page.waitForSelector('[data-testid=bag-history] td:has-text("Moved to another area")');
  const kiran = await api('kiran');
  assert.equal((await kiran.must('GET', '/api/v1/bags/AREA-A2')).area, 'Kanpur');
  await screenshot(page, 'bag-area-transfer');

  // A parent on a bill stays: the refusal is shown in words.
  const bina = await api('bina');
  await bina.must('POST', '/api/v1/bills', { code: 'BILL-AREA-1', description: '', capacity: 1 });
  await bina.must('POST', '/api/v1/bills/BILL-AREA-1/parents', { code: 'SB75001' });
  await page.reload();
  await page.waitForSelector('[data-testid=transfer] option:text-is("Lucknow")', { state: 'attached' });
  await page.selectOption('[data-testid=transfer] select', 'Lucknow');
  await page.click('[data-testid=transfer] button[type=submit]');
  await page.waitForSelector('[data-testid=correction-error]');
  assert.match(await text(page, 'correction-error'), /on bill BILL-AREA-1: take it off the bill/);
});

// A YUV4MPEG2 video (what Chromium's fake camera plays) of a QR code holding `text`, centred on
// white, a few identical frames.
function qrVideo(file, text) {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const { size, data } = qr.modules;
  const width = 640;
  const height = 480;
  const scale = Math.floor((height - 80) / (size + 8));
  const x0 = Math.floor((width - size * scale) / 2);
  const y0 = Math.floor((height - size * scale) / 2);
  const y = Buffer.alloc(width * height, 235);
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      if (!data[r * size + c]) continue;
      for (let dy = 0; dy < scale; dy++) y.fill(16, (y0 + r * scale + dy) * width + x0 + c * scale, (y0 + r * scale + dy) * width + x0 + (c + 1) * scale);
    }
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128);
  const frames = [];
  for (let i = 0; i < 5; i++) frames.push(Buffer.from('FRAME\n'), y, chroma);
  writeFileSync(file, Buffer.concat([Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`), ...frames]));
}

test('camera scanning: a QR code in front of the (fake) camera is scanned like a typed code', { timeout: 120000 }, async () => {
  mkdirSync(artifacts, { recursive: true });
  const video = join(artifacts, 'camera-qr.y4m');
  qrVideo(video, 'CAM-CHILD-1');
  const camBrowser = await launchBrowser([
    '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`,
  ]);
  try {
    const page = await open(camBrowser);
    await signIn(page, suite.depot.server, 'dev', PASSWORD, '/scan');
    await page.waitForSelector('[data-testid=scan-input]');
    await wedge(page, 'SB74001');
    await page.waitForSelector('[data-testid=queue-status][data-waiting="0"]');
    await page.click('[data-testid=camera-toggle]');
    await page.waitForSelector('[data-testid=scan-row][data-code=CAM-CHILD-1][data-state=done]', { timeout: 30000 });
    assert.equal(await page.locator('[data-testid=scan-row][data-code=CAM-CHILD-1]').getAttribute('data-tone'), 'linked');
    assert.equal(await page.locator('[data-testid=counter]').textContent(), '1/30');
    // Seen again and again while it stays in view: still one scan.
    await sleep(1500);
    assert.equal(await page.locator('[data-testid=scan-row][data-code=CAM-CHILD-1]').count(), 1);
    await screenshot(page, 'scan-camera');
    await page.click('[data-testid=camera-toggle]');
    const bag = await (await api('dev')).must('GET', '/api/v1/bags/SB74001');
    assert.deepEqual(bag.children.map((c) => c.code), ['CAM-CHILD-1']);
  } finally {
    await camBrowser.close();
  }
});

test('where the page is not a secure one, the camera is not offered and the page says why', { timeout: 60000 }, async () => {
  const page = await open();
  await page.addInitScript(() => Object.defineProperty(window, 'isSecureContext', { get: () => false }));
  await signIn(page, suite.depot.server, 'dev', PASSWORD, '/scan');
  await page.waitForSelector('[data-testid=camera-unavailable]');
  assert.equal(await page.locator('[data-testid=camera-toggle]').count(), 0);
  assert.match(await text(page, 'camera-unavailable'), /secure address/);
});

test('every office page at desktop and phone width, with no sideways scrolling on the phone', { timeout: 120000 }, async () => {
  for (const viewport of [undefined, phone]) {
    const page = await open(undefined, viewport && { viewport });
    await signIn(page, suite.depot.server, 'admin', ADMIN_PASSWORD, '/dashboard');
    for (const [path, name] of [
      ['/dashboard', 'dashboard'], ['/bills', 'bills'], ['/bills/LKO-2026-11-29', 'bill'], ['/account', 'account'],
      ['/admin/users', 'admin-users'], ['/admin/areas', 'admin-areas'], ['/admin/settings', 'admin-settings'],
      ['/admin/tokens', 'admin-tokens'], ['/admin/sites', 'admin-sites'], ['/admin/sync/conflicts', 'admin-conflicts'], ['/admin/audit', 'admin-audit'], ['/bags/SB72001', 'bag-on-bill'],
    ]) {
      await page.goto(suite.depot.server.url + path);
      await page.waitForSelector('main h1');
      await page.waitForFunction(() => !document.querySelector('.loading'));
      if (viewport) {
        const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(wide <= 0, `${path} scrolls sideways by ${wide} px`);
      }
      await screenshot(page, name);
    }
  }
});
