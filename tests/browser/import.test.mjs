// The import page in a real browser (SPEC §3.7, §7): an administrator uploads a file with three bad
// rows, sees the report with each row's line and reason, and applies the valid rows; codes that
// look like markup stay text. A biller is told the page is not for their role.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { browserSuite, signIn, screenshot, artifacts, ADMIN_PASSWORD, PASSWORD } from './harness.mjs';

const suite = browserSuite();

test('an admin imports a file with three bad rows: the report, then the valid rows applied', { timeout: 120000 }, async () => {
  mkdirSync(artifacts, { recursive: true });
  const file = join(artifacts, 'import-three-bad-rows.csv');
  writeFileSync(
    file,
    [
      'child,parent',
      'imp-1,SB80001',
      'imp-2,SB80001',
      '<b>bold</b>,SB80001',       // a valid code that looks like markup: shown as text
      'two words,SB80001',         // line 5: invalid code
      'SB80009,SB80001',           // line 6: a parent code as child
      'imp-3,X-80002',             // line 7: not a parent code
      'imp-4,SB80002',
      '',
    ].join('\r\n'),
  );
  const page = await suite.open();
  await signIn(page, suite.depot.server, 'admin', ADMIN_PASSWORD, '/import');
  await page.setInputFiles('input[type=file]', file);
  await page.selectOption('select[name=area]', 'Kanpur');
  await page.click('button:has-text("Check the file")');
  await page.waitForSelector('[data-testid=import-report]');
  assert.equal(await page.textContent('[data-testid=count-rows] .value'), '7');
  assert.equal(await page.textContent('[data-testid=count-changed] .value'), '4');
  assert.equal(await page.textContent('[data-testid=count-refused] .value'), '3');
  const refused = await page.$$eval('[data-testid=import-refused] tbody tr', (rows) =>
    rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)),
  );
  assert.deepEqual(
    refused.map((r) => [r[0], r[2]]),
    [['5', 'two words'], ['6', 'SB80009'], ['7', 'imp-3']],
  );
  assert.match(refused[0][4], /whitespace/);
  assert.match(refused[1][4], /SB80009 is a parent bag; it cannot go into another parent\./);
  assert.match(refused[2][4], /X-80002 is not a parent bag code/);
  // Nothing is applied by the check.
  const before = await suite.depot.admin.must('GET', '/api/v1/bags?q=IMP-');
  assert.equal(before.bags.length, 0);
  await screenshot(page, 'import-report');

  await page.click('[data-testid=apply-valid]');
  await page.waitForSelector('[data-testid=import-applied]');
  assert.match(await page.textContent('[data-testid=import-applied]'), /2 parent bags and 4 child bags created, 4 links made/);
  const bold = await suite.depot.admin.must('GET', '/api/v1/bags/' + encodeURIComponent('<B>BOLD</B>'));
  assert.equal(bold.parent.code ?? bold.parent, 'SB80001');
  assert.equal(bold.area, 'Kanpur');
  await screenshot(page, 'import-applied');

  // The bag page shows the import in its history, the markup-like code as text.
  await page.goto(suite.depot.server.url + '/bags/' + encodeURIComponent('<B>BOLD</B>'));
  await page.waitForSelector('text=import');
  assert.equal(await page.locator('b').count(), 0, 'no markup from a code');
});

test('a biller is told the import page is not for their role', { timeout: 60000 }, async () => {
  const page = await suite.open();
  await signIn(page, suite.depot.server, 'bina', PASSWORD, '/import');
  await page.waitForSelector('[data-testid=not-allowed]');
  assert.match(await page.textContent('[data-testid=not-allowed]'), /Import is for Administrator accounts/);
});
