// The reports page in a real browser (SPEC §3.6, §3.7, §7): a biller reads the daily scan report
// and the bills summary (charts, tables, CSV files), the address keeps what is shown, codes are
// text, the page prints without its controls and fits a phone; a dispatcher is told it is not for
// their role.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { browserSuite, signIn, screenshot, ApiClient, PASSWORD } from './harness.mjs';

const today = () => new Date().toISOString().slice(0, 10);  // the server's zone is UTC here

const suite = browserSuite(async ({ server }) => {
  const dev = await new ApiClient(server).login('dev', PASSWORD);
  const kiran = await new ApiClient(server).login('kiran', PASSWORD);
  const bina = await new ApiClient(server).login('bina', PASSWORD);
  for (const [parent, n] of [['SB81001', 4], ['SB81002', 2]]) {
    await dev.must('POST', '/api/v1/scans/parent', { code: parent });
    for (let i = 1; i <= n; i++) await dev.must('POST', '/api/v1/scans/child', { parent, code: `${parent}-C${i}` });
  }
  await dev.call('POST', '/api/v1/scans/child', { parent: 'SB81001', code: 'SB81001-C1' });  // already linked
  await dev.call('POST', '/api/v1/scans/child', { parent: 'SB81001', code: 'SB81002' });     // refused: a parent
  await kiran.must('POST', '/api/v1/scans/parent', { code: 'M444-81003' });
  await kiran.must('POST', '/api/v1/scans/child', { parent: 'M444-81003', code: 'KNP-C1' });
  await bina.must('POST', '/api/v1/bills', { code: 'RPT-DONE', description: 'Rice', destination: 'Agra', capacity: 2 });
  await bina.must('POST', '/api/v1/bills/RPT-DONE/parents', { code: 'SB81001' });
  await bina.must('POST', '/api/v1/bills/RPT-DONE/complete');
  await bina.must('POST', '/api/v1/bills', { code: '<I>RPT</I>', description: '<b>bold</b>', destination: '=1+2', capacity: 3 });
  await bina.must('POST', `/api/v1/bills/${encodeURIComponent('<I>RPT</I>')}/parents`, { code: 'SB81002' });
});

test('a biller reads the daily scan report: bars per hour by outcome, users, areas, and the CSV file', { timeout: 120000 }, async () => {
  const page = await suite.open();
  await signIn(page, suite.depot.server, 'bina', PASSWORD, '/reports');
  assert.ok((await page.locator('header nav a').allTextContents()).includes('Reports'));
  await page.waitForSelector('[data-testid=scan-report]');
  assert.equal(await page.getAttribute('[data-testid=scan-report]', 'data-date'), today());
  // 3 parents created, 7 children linked and 2 parents put on bills, 1 already linked, 1 refused.
  const figure = async (id) => Number((await page.textContent(`[data-testid=total-${id}] .value`)).replace(/,/g, ''));
  assert.equal(await figure('created'), 3);
  assert.equal(await figure('linked'), 9);
  assert.equal(await figure('already_linked'), 1);
  assert.equal(await figure('rejected'), 1);
  assert.match(await page.textContent('[data-testid=reasons]'), /not a child 1/);
  // The chart: 24 hours of five bars, whose numbers add up to the total.
  assert.equal(await page.locator('[data-testid=scans-chart] g.group').count(), 24);
  const bars = await page.locator('[data-testid=scans-chart] .bar').evaluateAll((gs) => gs.map((g) => Number(g.dataset.value)));
  assert.equal(bars.length, 24 * 5);
  assert.equal(bars.reduce((a, b) => a + b, 0), await figure('scans'));
  const linked = await page.locator('[data-testid=scans-chart] .bar.outcome-linked').evaluateAll((gs) =>
    gs.reduce((sum, g) => sum + Number(g.dataset.value), 0));
  assert.equal(linked, 9);
  // Users (most scans first) and areas.
  const users = await page.locator('[data-testid=scans-per-user] tbody tr td:first-child').allTextContents();
  assert.deepEqual(users, ['dev', 'bina', 'kiran']);
  const areas = await page.locator('[data-testid=scans-per-area] tbody tr td:first-child').allTextContents();
  assert.ok(areas.includes('Lucknow') && areas.includes('Kanpur'), areas.join(','));
  await screenshot(page, 'reports-scans');

  // The CSV file, downloaded with the page's session.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=scans-csv]')]);
  assert.equal(download.suggestedFilename(), `tracetrack-scan-report-${today()}.csv`);
  const csv = readFileSync(await download.path(), 'utf8');
  assert.match(csv, /^date,hour,hour_start,user,area,outcome,reason,scans\r\n/);
  assert.match(csv, new RegExp(`\\r\\n${today()},\\d\\d:00,[^,]+,dev,Lucknow,linked,,\\d+\\r\\n`));

  // Another day from the form: the address says which, and a reload shows it again.
  await page.fill('[data-testid=scans-form] input[name=date]', '2026-01-15');
  await page.selectOption('[data-testid=scans-form] select[name=area]', 'Kanpur');
  await page.click('[data-testid=scans-form] button[type=submit]');
  await page.waitForURL((u) => u.search === '?tab=scans&date=2026-01-15&area=Kanpur');
  await page.waitForSelector('[data-testid=scan-report][data-date="2026-01-15"]');
  assert.equal(await figure('scans'), 0);
  await page.reload();
  await page.waitForSelector('[data-testid=scan-report][data-date="2026-01-15"]');
  assert.equal(await page.inputValue('[data-testid=scans-form] input[name=date]'), '2026-01-15');
  assert.equal(await page.inputValue('[data-testid=scans-form] select[name=area]'), 'Kanpur');
  assert.match(await page.textContent('.report-heading'), /Kanpur/);
});

test('a biller reads the bills summary: bars per day, every bill with its figures, totals, CSV, and a print', { timeout: 120000 }, async () => {
  const page = await suite.open();
  await signIn(page, suite.depot.server, 'bina', PASSWORD, '/reports');
  await page.click('[data-testid=tab-bills]');
  await page.waitForURL((u) => u.search === '?tab=bills');
  await page.waitForSelector('[data-testid=summary-bills] tbody tr');
  // The last 30 days, today's bars the last ones.
  assert.equal(await page.locator('[data-testid=bills-chart] g.group').count(), 30);
  const lastDay = today().slice(8);
  const bar = (series) => page.locator(`[data-testid=bills-chart] .bar.${series}[data-group="${lastDay}"]`).last().getAttribute('data-value');
  assert.equal(await bar('bills-created'), '2');
  assert.equal(await bar('bills-completed'), '1');
  // Each bill with the figures of its page; codes and text as text, never markup.
  const rows = await page.locator('[data-testid=summary-bills] tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent.trim())));
  assert.equal(rows.length, 2);
  const done = rows.find((r) => r[0].startsWith('RPT-DONE'));
  assert.deepEqual([done[1], done[2], done[5], done[6], done[7], done[8], done[9]],
    ['completed', 'Lucknow', '1/2', '4', '4 kg', '30 kg', '-26 kg']);
  const odd = rows.find((r) => r[0].startsWith('<I>RPT</I>'));
  assert.ok(odd, 'the code <I>RPT</I> shows as text');
  assert.equal(await page.locator('[data-testid=summary-bills] i').count(), 0);
  assert.match(odd[0], /=1\+2/);
  const page2 = await suite.depot.admin.must('GET', `/api/v1/bills/${encodeURIComponent('<I>RPT</I>')}`);
  assert.equal(odd[6], String(page2.child_count));
  assert.equal(await page.textContent('[data-testid=summary-created] .value'), '2');
  assert.equal(await page.textContent('[data-testid=summary-completed] .value'), '1');
  assert.match(await page.textContent('[data-testid=summary-bills] tfoot'), /2 bills.*2.*6.*6 kg.*60 kg.*-54 kg/s);
  await screenshot(page, 'reports-bills');

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=bills-csv]')]);
  assert.match(download.suggestedFilename(), /^tracetrack-bills-summary-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = readFileSync(await download.path(), 'utf8');
  assert.match(csv, /^code,description,destination,vehicle,status,area,capacity,parents,children,actual_weight_kg,/);
  assert.match(csv, /\r\nRPT-DONE,Rice,Agra,,completed,Lucknow,2,1,4,4,30,-26,/);
  assert.match(csv, /\r\n<I>RPT<\/I>,<b>bold<\/b>,'=1\+2,/);  // a formula guarded

  // On paper: no navigation, tabs, form or links; the heading, figures, chart and table.
  await page.emulateMedia({ media: 'print' });
  for (const hidden of ['header.top', 'nav.tabs', '[data-testid=bills-form]', '[data-testid=bills-csv]']) {
    assert.equal(await page.locator(hidden).isVisible(), false, hidden);
  }
  assert.equal(await page.locator('[data-testid=bills-chart]').isVisible(), true);
  await screenshot(page, 'reports-bills-print');
  await page.emulateMedia({ media: 'screen' });

  // A range from the address: a bookmark opens the same report.
  await page.goto(suite.depot.server.url + `/reports?tab=bills&from=2026-01-01&to=2026-01-07`);
  await page.waitForSelector('[data-testid=no-bills]');
  assert.equal(await page.locator('[data-testid=bills-chart] g.group').count(), 7);
  assert.equal(await page.inputValue('[data-testid=bills-form] input[name=from]'), '2026-01-01');
  // A range backwards: the server's words.
  await page.goto(suite.depot.server.url + `/reports?tab=bills&from=2026-02-01&to=2026-01-01`);
  await page.waitForSelector('.banner.bad');
  assert.match(await page.textContent('.banner.bad'), /ends \(2026-01-01\) before it starts/);
});

test('a dispatcher is told the reports are not for their role; the page fits a phone', { timeout: 90000 }, async () => {
  const page = await suite.open();
  await signIn(page, suite.depot.server, 'dev', PASSWORD, '/reports');
  await page.waitForSelector('[data-testid=not-allowed]');
  assert.match(await page.textContent('[data-testid=not-allowed]'), /Reports is for Biller and Administrator accounts/);
  assert.ok(!(await page.locator('header nav a').allTextContents()).includes('Reports'));

  const phone = await suite.open({ viewport: { width: 390, height: 844 } });
  await signIn(phone, suite.depot.server, 'bina', PASSWORD, '/reports');
  await phone.waitForSelector('[data-testid=scans-chart]');
  for (const path of ['/reports', '/reports?tab=bills']) {
    await phone.goto(suite.depot.server.url + path);
    await phone.waitForSelector('[data-testid=scan-report], [data-testid=summary-bills]');
    const wide = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(wide <= 0, `${path} scrolls sideways by ${wide} px`);
  }
  await screenshot(phone, 'reports-bills');
});
