// Two-factor sign-in in a real browser (SPEC §3.9, RFC 6238): a user turns it on from the account
// page (the QR code on screen decodes to the key shown as text, a wrong code is refused in words),
// keeps the recovery codes shown once, then signs in with a code and with a recovery code, and
// again in place on the scan screen; an administrator requires it for administrators, a second
// administrator is sent to set it up before anything else, and a user's second factor is reset
// from the users page. The test computes the codes itself from the key the page shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { browserSuite, ApiClient, signIn, screenshot, wedge, sleep, PASSWORD, ADMIN_PASSWORD } from './harness.mjs';

const suite = browserSuite();
const phone = { width: 390, height: 844 };
const url = (path) => suite.depot.server.url + path;

// RFC 4648 base32, as authenticator apps read the key.
function base32(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const out = [];
  let bits = 0;
  let value = 0;
  for (const c of text.replace(/=+$/, '').toUpperCase()) {
    const i = alphabet.indexOf(c);
    assert.ok(i >= 0, `not base32: ${c}`);
    value = ((value << 5) | i) & 0xfff;  // never more than 12 bits are waiting
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((value >> bits) & 0xff);
    }
  }
  return Buffer.from(out);
}

// RFC 6238 with the defaults every app uses: HMAC-SHA1, 30 s steps, 6 digits, dynamic truncation.
function totp(secret, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32(secret)).update(counter).digest();
  const at = mac[mac.length - 1] & 0x0f;
  const n = ((mac[at] & 0x7f) << 24) | (mac[at + 1] << 16) | (mac[at + 2] << 8) | mac[at + 3];
  return String(n % 1e6).padStart(6, '0');
}
const stepNow = () => Math.floor(Date.now() / 30000);

// A phone with the app: the server takes a code once, and only for a step later than the last one
// it took, within one step either side of now. So each sign-in uses a later step, waiting for the
// clock when the next one is still too far ahead.
class Phone {
  constructor(secret, lastStep) {
    this.secret = secret;
    this.lastStep = lastStep;
  }
  async nextCode() {
    while (this.lastStep + 1 > stepNow() + 1) await sleep(30000 - (Date.now() % 30000) + 50);
    this.lastStep = Math.max(stepNow(), this.lastStep + 1);
    return totp(this.secret, this.lastStep);
  }
  // A code the server cannot take at this moment: none of the steps it would look at.
  wrongCode() {
    const now = stepNow();
    const near = new Set([-2, -1, 0, 1, 2].map((d) => totp(this.secret, now + d)));
    for (let n = 0; ; n++) {
      const candidate = String(n).padStart(6, '0');
      if (!near.has(candidate)) return candidate;
    }
  }
}

// Reads the QR code as the screen shows it (a screenshot of the element, as a camera would see it)
// with the app's own decoder.
async function decodeQr(page, selector) {
  const png = (await page.locator(selector).screenshot()).toString('base64');
  return page.evaluate(async (data) => {
    const zxing = await import('/vendor/zxing/reader/index.js');
    zxing.prepareZXingModule({ overrides: { locateFile: (file) => '/vendor/zxing/' + file }, fireImmediately: true });
    const img = new Image();
    img.src = 'data:image/png;base64,' + data;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.width;
    canvas.height = img.height;
    const ctx = canvas.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const found = await zxing.readBarcodes(ctx.getImageData(0, 0, img.width, img.height), { formats: ['QRCode'] });
    return found.map((r) => r.text);
  }, png);
}

const noSidewaysScroll = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

// From the account page with the set-up open: checks the QR code and the key, then turns it on
// with the current code. Returns the phone holding the key.
async function enrol(page, name) {
  await page.waitForSelector('[data-testid=second-factor-qr]');
  const shown = await page.textContent('[data-testid=second-factor-secret]');
  assert.match(shown, /^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/, 'the key in groups of four');
  const secret = shown.replace(/\s+/g, '');
  const box = await page.locator('[data-testid=second-factor-qr]').boundingBox();
  assert.equal(box.width, box.height, 'the QR code is square');
  assert.ok(box.width >= 180 && box.width <= 260, `the QR code is ${box.width} px wide`);
  const [text] = await decodeQr(page, '[data-testid=second-factor-qr]');
  assert.match(text, /^otpauth:\/\/totp\//);
  assert.equal(new URL(text).searchParams.get('secret'), secret, 'the QR code holds the key shown as text');
  await screenshot(page, name);
  const phoneApp = new Phone(secret, -1);
  await page.fill('[data-testid=second-factor-enable] input[name=code]', await phoneApp.nextCode());
  await page.click('[data-testid=second-factor-enable] button[type=submit]');
  await page.waitForSelector('[data-testid=recovery-code-list] li');
  return phoneApp;
}

const recoveryCodes = (page) => page.locator('[data-testid=recovery-code-list] li').allTextContents();

// The password step of /login, which then asks for a code.
async function passwordStep(page, username, password = PASSWORD) {
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('[data-testid=signin] button[type=submit]');
  await page.waitForSelector('[data-testid=signin][data-step=code]');
}

async function signOut(page) {
  await page.click('header.top button:has-text("Sign out")');
  await page.waitForURL(/\/login/);
}

let tara;  // tara's phone, from the first test on

test('turned on from the account page, then signing in with a code and with a recovery code', { timeout: 180000 }, async () => {
  await suite.depot.admin.must('POST', '/api/v1/users', { username: 'tara', password: PASSWORD, role: 'dispatcher', area: 'Lucknow' });
  const page = await suite.open();
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: suite.depot.server.url });
  await signIn(page, suite.depot.server, 'tara', PASSWORD, '/account');
  await page.waitForSelector('[data-testid=second-factor-state]:has-text("Off")');
  await page.click('[data-testid=turn-on]');
  await page.waitForSelector('[data-testid=second-factor-qr]');

  // A wrong code first: refused in words, and nothing is turned on.
  const secret = (await page.textContent('[data-testid=second-factor-secret]')).replace(/\s+/g, '');
  await page.fill('[data-testid=second-factor-enable] input[name=code]', new Phone(secret, -1).wrongCode());
  await page.click('[data-testid=second-factor-enable] button[type=submit]');
  assert.match(await page.textContent('[data-testid=second-factor-error]'), /does not match/);
  const input = page.locator('[data-testid=second-factor-enable] input[name=code]');
  assert.equal(await input.getAttribute('inputmode'), 'numeric');
  assert.equal(await input.getAttribute('autocomplete'), 'one-time-code');
  tara = await enrol(page, 'second-factor-setup');

  // Ten recovery codes, shown once: copied, printed (the codes alone), kept.
  const codes = await recoveryCodes(page);
  assert.equal(codes.length, 10);
  for (const c of codes) assert.match(c, /^[a-z0-9]{5}-[a-z0-9]{5}$/i);
  await screenshot(page, 'second-factor-recovery-codes');
  await page.click('[data-testid=recovery-codes] button:has-text("Copy")');
  await page.waitForSelector('[data-testid=codes-copied]');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), codes.join('\n') + '\n');
  await page.evaluate(() => {
    window.print = () => (window.__printed = true);
  });
  await page.click('[data-testid=recovery-codes] button:has-text("Print")');
  assert.equal(await page.evaluate(() => window.__printed), true);
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('[data-testid=sessions]').isVisible(), false, 'the sessions are not printed');
  assert.equal(await page.locator('[data-testid=recovery-code-list]').isVisible(), true);
  await screenshot(page, 'second-factor-recovery-codes-printed');
  await page.emulateMedia({ media: 'screen' });
  const kept = codes[3];
  await page.click('[data-testid=codes-kept]');
  await page.waitForSelector('[data-testid=recovery-code-list]', { state: 'detached' });
  assert.match(await page.textContent('[data-testid=second-factor-state]'), /On.*since.*10 recovery codes left/s);
  assert.equal((await suite.depot.admin.must('GET', '/api/v1/users/tara')).user.second_factor, true);

  // Signing in: the password, then a code from the app (a wrong one first), into the page asked for.
  await signOut(page);
  await page.goto(url('/account'));
  await page.waitForURL(/\/login/);
  await passwordStep(page, 'tara');
  assert.equal(await page.evaluate(() => document.activeElement.name), 'code', 'the code field has the focus');
  const codeInput = page.locator('[data-testid=signin] input[name=code]');
  assert.equal(await codeInput.getAttribute('inputmode'), 'numeric');
  assert.equal(await codeInput.getAttribute('autocomplete'), 'one-time-code');
  assert.match(await page.textContent('[data-testid=signin]'), /Enter the 6-digit code from your authenticator app/);
  await page.fill('[data-testid=signin] input[name=code]', tara.wrongCode());
  await page.click('[data-testid=signin] button[type=submit]');
  assert.match(await page.textContent('[data-testid=signin] .error'), /not correct/);
  await screenshot(page, 'second-factor-sign-in-code');
  // Back to the password, and on again.
  await page.click('[data-testid=signin] button:has-text("Back")');
  await page.waitForSelector('[data-testid=signin] input[name=password]');
  await passwordStep(page, 'tara');
  const code = await tara.nextCode();
  await page.fill('[data-testid=signin] input[name=code]', code.slice(0, 3) + ' ' + code.slice(3));  // as the app shows it
  await page.click('[data-testid=signin] button[type=submit]');
  await page.waitForURL((u) => u.pathname === '/account');
  assert.equal(await page.textContent('[data-testid=user]'), 'tara');

  // With a recovery code instead: signed in, one code fewer.
  await signOut(page);
  await page.goto(url('/account'));
  await page.waitForURL(/\/login/);
  await passwordStep(page, 'tara');
  await page.click('[data-testid=use-recovery]');
  await page.waitForSelector('[data-testid=signin][data-step=recovery]');
  assert.equal(await page.evaluate(() => document.activeElement.name), 'recovery_code');
  await page.fill('[data-testid=signin] input[name=recovery_code]', kept);
  await page.click('[data-testid=signin] button[type=submit]');
  await page.waitForURL((u) => u.pathname === '/account');
  await page.waitForSelector('[data-testid=recovery-codes-left]');
  assert.equal(await page.textContent('[data-testid=recovery-codes-left]'), '9 recovery codes left.');

  // A recovery code works once.
  const again = await new ApiClient(suite.depot.server).call('POST', '/api/v1/auth/login', { username: 'tara', password: PASSWORD });
  const reused = await new ApiClient(suite.depot.server).call('POST', '/api/v1/auth/login/second-factor',
    { challenge: again.body.challenge, recovery_code: kept });
  assert.equal(reused.status, 401);

  // New recovery codes ask for the password, and replace the old ones.
  await page.click('[data-testid=new-recovery-codes]');
  await page.fill('[data-testid=renew-codes] input[name=password]', 'not-the-password');
  await page.click('[data-testid=renew-codes] button[type=submit]');
  await page.waitForSelector('[data-testid=renew-codes] .error');
  await page.fill('[data-testid=renew-codes] input[name=password]', PASSWORD);
  await page.click('[data-testid=renew-codes] button[type=submit]');
  await page.waitForSelector('[data-testid=recovery-code-list] li');
  const renewed = await recoveryCodes(page);
  assert.equal(renewed.length, 10);
  assert.ok(!renewed.includes(codes[0]));
  await page.click('[data-testid=codes-kept]');
  await page.waitForSelector('[data-testid=recovery-codes-left]:has-text("10 recovery codes left")');
});

test('the scan screen signs in again in place with a code, and the waiting scans go out', { timeout: 120000 }, async () => {
  assert.ok(tara, 'the first test set up tara\'s phone');
  const page = await suite.open();
  await page.goto(url('/scan'));
  await page.waitForURL(/\/login/);
  await passwordStep(page, 'tara');
  await page.fill('[data-testid=signin] input[name=code]', await tara.nextCode());
  await page.click('[data-testid=signin] button[type=submit]');
  await page.waitForSelector('[data-testid=scan-input]');
  await wedge(page, 'SB81001');
  await page.waitForSelector('[data-testid=queue-status][data-waiting="0"]');
  // An administrator resets tara's password: the server ends tara's sessions.
  await suite.depot.admin.must('PATCH', '/api/v1/users/tara', { password: 'tara-new-pass-2' });
  await sleep(1200);  // a server trusts a looked-up session for up to a second
  await wedge(page, 'TF-1');
  await page.waitForSelector('[data-testid=signin]');
  await page.fill('[data-testid=signin] input[name=password]', 'tara-new-pass-2');
  await page.click('[data-testid=signin] button[type=submit]');
  await page.waitForSelector('[data-testid=signin][data-step=code]');
  // The code field does not take the focus: scans made meanwhile still go to the scan field.
  await wedge(page, 'TF-2');
  assert.match(await page.locator('[data-testid=queue-status]').textContent(), /2 scans waiting/);
  await screenshot(page, 'second-factor-scan-sign-in');
  await page.fill('[data-testid=signin] input[name=code]', await tara.nextCode());
  await page.click('[data-testid=signin] button[type=submit]');
  await page.waitForSelector('[data-testid=signin]', { state: 'detached' });
  await page.waitForSelector('[data-testid=queue-status][data-waiting="0"]');
  const bag = await suite.depot.admin.must('GET', '/api/v1/bags/SB81001');
  assert.deepEqual(bag.children.map((c) => c.code), ['TF-1', 'TF-2']);
});

test('administrators must use it: refused until one\'s own is on, a second administrator sets it up first, a reset', { timeout: 240000 }, async () => {
  const admin = suite.depot.admin;
  await admin.must('POST', '/api/v1/users', { username: 'nita', password: PASSWORD, role: 'admin' });
  // nita is signed in before the setting changes.
  const before = await suite.open();
  await signIn(before, suite.depot.server, 'nita', PASSWORD, '/admin/users');
  await before.waitForSelector('[data-testid=users] tbody tr');

  const page = await suite.open();
  await signIn(page, suite.depot.server, 'admin', ADMIN_PASSWORD, '/admin/settings');
  const setting = page.locator('fieldset[data-key=admins_need_second_factor]');
  await setting.waitFor();
  assert.match(await setting.textContent(), /Default: no/);
  const box = setting.locator('input[type=checkbox]');
  assert.equal(await box.isChecked(), false);
  // Refused while the administrator has no second factor, in words, as soon as it is ticked (the
  // page checks each value with the server), and it cannot be saved.
  await box.check();
  const refusal = page.locator('[data-testid=error-admins_need_second_factor]');
  await refusal.waitFor();
  assert.match(await refusal.textContent(), /Turn on two-factor sign-in for your own account first/);
  assert.equal(await page.locator('[data-testid=save-settings]').isDisabled(), true);
  assert.equal((await admin.must('GET', '/api/v1/settings')).settings.admins_need_second_factor, false);
  await screenshot(page, 'second-factor-setting-refused');

  // The administrator turns their own on, then requires it.
  await refusal.locator('a:has-text("account page")').click();
  await page.waitForURL((u) => u.pathname === '/account');
  await page.click('[data-testid=turn-on]');
  await enrol(page, 'second-factor-setup-admin');
  await page.click('[data-testid=codes-kept]');
  await page.goto(url('/admin/settings'));
  await page.locator('fieldset[data-key=admins_need_second_factor] input[type=checkbox]').check();
  await page.click('[data-testid=save-settings]');
  await page.waitForSelector('[data-testid=settings-saved]');
  assert.equal((await admin.must('GET', '/api/v1/settings')).settings.admins_need_second_factor, true);
  assert.equal(await page.locator('fieldset[data-key=admins_need_second_factor] input').isChecked(), true);

  // nita's open session: the next page she opens is refused, and she is sent to the set-up.
  await sleep(1200);  // a server trusts a looked-up session for up to a second
  await before.click('[data-testid=admin-nav] a:has-text("Areas")');
  await before.waitForURL((u) => u.pathname === '/account');
  await before.waitForSelector('[data-testid=second-factor-required]');

  // nita signs in on her phone: straight to the account page with the banner, nothing else offered.
  const nita = await suite.open({ viewport: phone });
  await nita.goto(url('/admin/users'));
  await nita.waitForURL(/\/login/);
  await nita.fill('input[name=username]', 'nita');
  await nita.fill('input[name=password]', PASSWORD);
  await nita.click('[data-testid=signin] button[type=submit]');
  await nita.waitForURL((u) => u.pathname === '/account');
  assert.match(await nita.textContent('[data-testid=second-factor-required]'),
    /Administrators must sign in with a one-time code: set up two-factor sign-in to continue\./);
  assert.equal(await nita.locator('[data-testid=admin-nav]').count(), 0);
  assert.deepEqual(await nita.locator('header nav a').allTextContents(), ['Account']);
  assert.equal(await nita.locator('[data-testid=sessions]').count(), 0, 'nothing that would be refused');
  assert.equal(await nita.locator('[data-testid=change-password]').count(), 0);
  await nita.goto(url('/admin/users'));
  await nita.waitForURL((u) => u.pathname === '/account');
  assert.equal(await nita.locator('[data-testid=users]').count(), 0);
  const nitaApi = await new ApiClient(suite.depot.server).login('nita', PASSWORD);
  const refused = await nitaApi.call('GET', '/api/v1/users');
  assert.equal(refused.status, 403);
  assert.equal(refused.body.error.code, 'second_factor_required');
  // The set-up is open already, and fits the phone.
  await nita.waitForSelector('[data-testid=second-factor-qr]');
  assert.ok((await noSidewaysScroll(nita)) <= 0, 'the account page scrolls sideways on a phone');
  await screenshot(nita, 'second-factor-required');
  await enrol(nita, 'second-factor-setup');
  await nita.waitForSelector('[data-testid=second-factor-required]', { state: 'detached' });
  assert.ok((await noSidewaysScroll(nita)) <= 0, 'the recovery codes scroll sideways on a phone');
  await screenshot(nita, 'second-factor-recovery-codes');
  await nita.click('[data-testid=codes-kept]');
  // Required of administrators: it cannot be turned off here, and the page says why.
  await nita.waitForSelector('[data-testid=second-factor-kept]');
  assert.equal(await nita.locator('[data-testid=turn-off-open]').count(), 0);
  await nita.click('header nav a:has-text("Users")');
  await nita.waitForSelector('[data-testid=users] tbody tr');
  assert.equal((await nitaApi.call('GET', '/api/v1/users')).status, 200);

  // tara lost her phone: an administrator resets it after a confirmation, and it is audited.
  await page.goto(url('/admin/users'));
  const row = page.locator('tr[data-username=tara]');
  await row.waitFor();
  assert.match(await row.locator('[data-testid=second-factor-tara]').textContent(), /on since/);
  assert.match(await page.locator('[data-testid=second-factor-dev]').textContent(), /off/);
  assert.equal(await page.locator('[data-testid=reset-second-factor-dev]').count(), 0, 'nothing to reset');
  await screenshot(page, 'second-factor-users');
  await page.click('[data-testid=reset-second-factor-tara]');
  assert.match(await page.textContent('[data-testid=reset-second-factor-tara-confirm]'), /lost phone/);
  await page.click('[data-testid=reset-second-factor-tara-confirm] button:has-text("Reset two-factor")');
  await page.waitForSelector('[data-testid=second-factor-tara]:has-text("off")');
  assert.equal(await page.locator('[data-testid=reset-second-factor-tara]').count(), 0);
  const login = await new ApiClient(suite.depot.server).call('POST', '/api/v1/auth/login', { username: 'tara', password: 'tara-new-pass-2' });
  assert.equal(login.status, 200);
  assert.equal(login.body.challenge, undefined, 'the password alone signs tara in again');
  const audit = await admin.must('GET', '/api/v1/audit?action=second_factor_reset');
  assert.ok(JSON.stringify(audit).includes('tara'), 'the reset is in the audit log');
});
