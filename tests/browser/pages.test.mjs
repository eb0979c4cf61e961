// The pages around the scan screen in a real browser (SPEC §7): sign-in and back, the trace and
// search pages showing what the API says, what a dispatcher may not see, every page at desktop and
// phone width (screenshots kept as artefacts), and the phone layout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserSuite, signIn, screenshot, wedge, ApiClient, PASSWORD } from './harness.mjs';

const phone = { width: 390, height: 844 };

const suite = browserSuite(async (depot) => {
  // Lucknow: SB61001 with three children, CS61001 in it; Kanpur: SB62001 with one child.
  const dev = await new ApiClient(depot.server).login('dev', PASSWORD);
  await dev.must('POST', '/api/v1/scans/parent', { code: 'SB61001' });
  for (const c of ['CS61001', 'CS61002', 'CS61003']) await dev.must('POST', '/api/v1/scans/child', { parent: 'SB61001', code: c });
  await dev.must('POST', '/api/v1/scans/child', { parent: 'SB61001', code: 'CS61001' });  // a double scan
  await dev.must('POST', '/api/v1/scans/parent', { code: 'M444-61002' });
  const kiran = await new ApiClient(depot.server).login('kiran', PASSWORD);
  await kiran.must('POST', '/api/v1/scans/parent', { code: 'SB62001' });
  await kiran.must('POST', '/api/v1/scans/child', { parent: 'SB62001', code: 'CS62001' });
});
const open = (options) => suite.open(options);
const api = (username) => new ApiClient(suite.depot.server).login(username, PASSWORD);

test('a signed-out visitor goes to /login and comes back to the page asked for', { timeout: 60000 }, async () => {
  const page = await open();
  await page.goto(suite.depot.server.url + '/bags/SB61001');
  await page.waitForURL(/\/login\?next=%2Fbags%2FSB61001/);
  await screenshot(page, 'login');
  await page.fill('input[name=username]', 'dev');
  await page.fill('input[name=password]', 'wrong password');
  await page.click('button[type=submit]');
  await page.waitForSelector('.error');
  assert.match(await page.textContent('.error'), /username or password is not correct/);
  await page.fill('input[name=password]', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForURL((u) => u.pathname === '/bags/SB61001');
  await page.waitForSelector('[data-testid=bag-code]');
  // The frame: who is signed in, and the navigation of the role.
  assert.equal(await page.textContent('[data-testid=user]'), 'dev');
  assert.match(await page.textContent('.who .role'), /Dispatcher · Lucknow/);
  assert.deepEqual(await page.locator('header nav a').allTextContents(), ['Scan', 'Bills', 'Dashboard', 'Search']);
  // Signing out ends the session: the page asks to sign in again.
  await page.click('button:has-text("Sign out")');
  await page.waitForURL(/\/login/);
  await page.goto(suite.depot.server.url + '/scan');
  await page.waitForURL(/\/login\?next=%2Fscan/);
});

test('the trace page shows what the API says: children n/30, parent, bill, weight, history newest first', { timeout: 60000 }, async () => {
  const page = await open();
  await signIn(page, suite.depot.server, 'dev', PASSWORD, '/bags/SB61001');
  await page.waitForSelector('[data-testid=bag-history] tbody tr');
  const bag = await (await api('dev')).must('GET', '/api/v1/bags/SB61001');
  assert.equal(await page.textContent('[data-testid=bag-count]'), `${bag.child_count}/${bag.capacity}`);
  assert.equal(bag.child_count, 3);
  const children = await page.locator('[data-testid=bag-children] a').allTextContents();
  assert.deepEqual(children, bag.children.map((c) => c.code).reverse());
  assert.equal(await page.locator('[data-testid=bag-history] tbody tr').count(), bag.history.length);
  assert.equal(await page.textContent('[data-testid=bag-bill]'), 'on no bill');
  // Newest first: the double scan of CS61001 is the newest entry.
  assert.match(await page.locator('[data-testid=bag-history] tbody tr').first().textContent(), /already linked/);
  await screenshot(page, 'bag-parent');
  // A child's page names its parent and links to it.
  await page.click('[data-testid=bag-children] a:has-text("CS61002")');
  await page.waitForSelector('[data-testid=bag-parent] a');
  assert.equal(await page.textContent('[data-testid=bag-parent] a'), 'SB61001');
  await screenshot(page, 'bag-child');
  await page.click('[data-testid=bag-parent] a');
  await page.waitForURL((u) => u.pathname === '/bags/SB61001');
});

test('a dispatcher cannot reach another area\'s bag, and search shows only what the API gives them', { timeout: 60000 }, async () => {
  const page = await open();
  await signIn(page, suite.depot.server, 'dev', PASSWORD, '/bags/SB62001');
  await page.waitForSelector('[data-testid=bag-not-found]');
  assert.match(await page.textContent('[data-testid=bag-not-found]'), /No bag SB62001/);
  assert.equal(await page.locator('text=CS62001').count(), 0);

  await page.goto(suite.depot.server.url + '/search');
  await page.fill('input[name=q]', 'sb6');
  await page.click('button:has-text("Search")');
  await page.waitForURL(/q=sb6/);
  await page.waitForSelector('[data-testid=search-results] tbody tr');
  const shown = await page.locator('[data-testid=search-results] tbody tr td:first-child').allTextContents();
  const given = (await (await api('dev')).must('GET', '/api/v1/bags?q=sb6&page=1&per_page=50')).bags.map((b) => b.code);
  assert.deepEqual(shown, given);
  assert.deepEqual(shown, ['SB61001']);
  await screenshot(page, 'search');
  // The search is in the address: a reload shows it again.
  await page.reload();
  await page.waitForSelector('[data-testid=search-results] tbody tr');
  assert.equal(await page.inputValue('input[name=q]'), 'sb6');
  // The biller sees every area, with the area filter, and pages of results.
  const biller = await open();
  await signIn(biller, suite.depot.server, 'bina', PASSWORD, '/search?type=parent&per_page=1');
  await biller.waitForSelector('[data-testid=search-results] tbody tr');
  // One result a page: three pages of parents, newest first, as the API pages them.
  const all = [];
  for (let n = 1; n <= 3; n++) {
    await biller.waitForSelector(`[data-testid=search-results][data-page="${n}"]`);
    all.push(...(await biller.locator('[data-testid=search-results] tbody tr td:first-child').allTextContents()));
    if (n < 3) await biller.click('button:has-text("Next page")');
  }
  assert.equal(await biller.locator('button:has-text("Next page")').isDisabled(), true);
  assert.deepEqual(all.sort(), ['M444-61002', 'SB61001', 'SB62001']);
  await biller.selectOption('select[name=area]', 'Kanpur');
  await biller.click('button:has-text("Search")');
  await biller.waitForURL(/area=Kanpur/);
  // The last page shown already had one row: wait for the filtered answer itself, not for a count.
  await biller.waitForFunction(() => {
    const rows = document.querySelectorAll('[data-testid=search-results] tbody tr');
    return rows.length === 1 && rows[0].querySelector('td').textContent === 'SB62001';
  });
  assert.deepEqual(await biller.locator('[data-testid=search-results] tbody tr td:first-child').allTextContents(), ['SB62001']);
  await screenshot(biller, 'search-biller');
});

test('the dashboard\'s today and yesterday are the depot\'s days, in its time zone', { timeout: 60000 }, async () => {
  const page = await open();
  await signIn(page, suite.depot.server, 'dev');
  const me = await (await api('dev')).must('GET', '/api/v1/auth/me');
  assert.equal(me.scan.time_zone, 'UTC');
  // 20:00 UTC is 01:30 the next day in Kolkata (+05:30): the 19:00 UTC hour is that day's first.
  const result = await page.evaluate(async () => {
    const { todayAndYesterday } = await import('/app/pages/dashboard.js');
    const hours = [{ hour: '2026-11-29T18:00:00Z', scans: 3 }, { hour: '2026-11-29T19:00:00Z', scans: 5 }];
    const now = new Date('2026-11-29T20:00:00Z');
    return { kolkata: todayAndYesterday(hours, now, 'Asia/Kolkata'), utc: todayAndYesterday(hours, now, 'UTC') };
  });
  assert.equal(result.kolkata.hourNow, 1);
  assert.equal(result.kolkata.today[0], 5);
  assert.equal(result.kolkata.yesterday[23], 3);
  assert.equal(result.utc.hourNow, 20);
  assert.equal(result.utc.today[18], 3);
  assert.equal(result.utc.today[19], 5);
});

test('an unknown address shows a page that says so, inside the frame', { timeout: 60000 }, async () => {
  const page = await open();
  await signIn(page, suite.depot.server, 'dev');
  const res = await page.goto(suite.depot.server.url + '/no/such/page');
  assert.equal(res.status(), 404);
  await page.waitForSelector('[data-testid=not-found]');
  assert.equal(await page.locator('header nav a').count(), 4);
  await screenshot(page, 'not-found');
});

test('every page on a 390 px phone: no sideways scrolling, a counter readable from two metres', { timeout: 90000 }, async () => {
  const page = await open({ viewport: phone });
  await page.goto(suite.depot.server.url + '/login');
  await page.waitForSelector('input[name=username]');
  await screenshot(page, 'login');
  await signIn(page, suite.depot.server, 'dev');
  await wedge(page, 'SB61001');
  await wedge(page, 'CS61004');
  await page.waitForSelector('[data-testid=queue-status][data-waiting="0"]');
  for (const path of ['/scan', '/bags/SB61001', '/bags/CS61001', '/search?q=SB', '/no/such/page']) {
    if (path !== '/scan') {
      await page.goto(suite.depot.server.url + path);
      await page.waitForSelector('main h1, [data-testid=scan-input]');
      await page.waitForLoadState('networkidle');
    }
    const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(wide <= 0, `${path} scrolls sideways by ${wide} px`);
    const name = { '/scan': 'scan', '/bags/SB61001': 'bag-parent', '/bags/CS61001': 'bag-child', '/search?q=SB': 'search', '/no/such/page': 'not-found' }[path];
    if (path === '/scan') {
      const size = await page.locator('[data-testid=counter]').evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
      assert.ok(size >= 64, `counter ${size} px`);
      // Near-black on white: at least 7:1.
      const [fg, bg] = await page.evaluate(() => [getComputedStyle(document.querySelector('[data-testid=counter]')).color,
        getComputedStyle(document.documentElement).backgroundColor]);
      assert.ok(contrast(fg, bg) >= 7, `contrast ${contrast(fg, bg)}`);
      // Every button is a 48 px target.
      const small = await page.locator('button').evaluateAll((bs) => bs.filter((b) => b.getBoundingClientRect().height < 48).length);
      assert.equal(small, 0);
    }
    await screenshot(page, name);
  }
  // And the scan screen at desktop width.
  const desk = await open();
  await signIn(desk, suite.depot.server, 'bina');
  await wedge(desk, 'SB61001');
  await desk.waitForSelector('[data-testid=queue-status][data-waiting="0"]');
  await screenshot(desk, 'scan');
});

function contrast(a, b) {
  const lum = (c) => {
    const [r, g, bl] = c.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number).map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}
