// What the browser tests share: a real TraceTrack server on loopback with a fresh SQLite database,
// Debian's Chromium driven by playwright-core (no browser download), pages that fail the test if
// anything leaves 127.0.0.1, and screenshots kept as artefacts.
//
// Environment: TT_BINARY (the tracetrack binary; default build/test/src/tracetrack),
// TT_ARTIFACTS (where screenshots go; default build/browser-artifacts), TT_CHROMIUM
// (default /usr/bin/chromium).
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const binary = process.env.TT_BINARY || join(root, 'build/test/src/tracetrack');
export const artifacts = process.env.TT_ARTIFACTS || join(root, 'build/browser-artifacts');
const chromiumPath = process.env.TT_CHROMIUM || '/usr/bin/chromium';
export const ADMIN_PASSWORD = 'browser-admin-pw-1';
export const PASSWORD = 'browser-user-pw-1';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A tracetrack server process. start() waits for its "listening on" line.
export class Server {
  // `args`: more options for `serve` (a depot's --upstream ...).
  constructor({ port = 0, dir, args = [] } = {}) {
    this.dir = dir || mkdtempSync(join(tmpdir(), 'tt-browser-'));
    this.port = port;
    this.args = args;
    this.proc = null;
    this.output = '';
  }
  get url() {
    return `http://127.0.0.1:${this.port}`;
  }
  async start() {
    const args = ['serve', '--db', `sqlite:${join(this.dir, 'tt.db')}`, '--listen', `127.0.0.1:${this.port}`, '--no-access-log',
      ...this.args];
    this.proc = spawn(binary, args, {
      env: { ...process.env, TRACETRACK_ADMIN_PASSWORD: ADMIN_PASSWORD },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise((resolve) => this.proc.once('exit', (code) => resolve(code)));
    this.exited = exited;
    const listening = new Promise((resolve, reject) => {
      const onData = (chunk) => {
        this.output += chunk;
        const m = this.output.match(/listening on http:\/\/127\.0\.0\.1:(\d+)/);
        if (m) {
          this.port = Number(m[1]);
          resolve();
        }
      };
      this.proc.stdout.on('data', onData);
      this.proc.stderr.on('data', (c) => (this.output += c));
      exited.then((code) => reject(new Error(`tracetrack exited (${code}) before listening:\n${this.output}`)));
    });
    await Promise.race([listening, sleep(20000).then(() => Promise.reject(new Error('tracetrack did not start in 20 s')))]);
    return this;
  }
  async stop(signal = 'SIGTERM') {
    if (!this.proc || this.proc.exitCode !== null) return;
    this.proc.kill(signal);
    await this.exited;
  }
  async dispose() {
    await this.stop('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }
}

// A client of the API with its own session (cookie and CSRF token), for setting up and checking.
export class ApiClient {
  constructor(server) {
    this.server = server;
    this.cookie = '';
    this.csrf = '';
  }
  async call(method, path, body) {
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (this.cookie) headers.Cookie = this.cookie;
    if (this.csrf && method !== 'GET') headers['X-CSRF-Token'] = this.csrf;
    const res = await fetch(this.server.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0];
    const text = await res.text();
    let json = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
    return { status: res.status, body: json, text };
  }
  async login(username, password) {
    const r = await this.call('POST', '/api/v1/auth/login', { username, password });
    if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${r.text}`);
    this.csrf = r.body.csrf_token;
    return this;
  }
  async must(method, path, body) {
    const r = await this.call(method, path, body);
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${r.text}`);
    return r.body;
  }
}

// A depot: a started server with two areas and a dispatcher in each, a biller and the admin.
export async function startDepot(options) {
  const server = await new Server(options).start();
  const admin = await new ApiClient(server).login('admin', ADMIN_PASSWORD);
  for (const name of ['Lucknow', 'Kanpur']) await admin.must('POST', '/api/v1/areas', { name });
  const users = [
    ['dev', 'dispatcher', 'Lucknow'],
    ['kiran', 'dispatcher', 'Kanpur'],
    ['bina', 'biller', 'Lucknow'],
  ];
  for (const [username, role, area] of users) {
    await admin.must('POST', '/api/v1/users', { username, password: PASSWORD, role, area });
  }
  return { server, admin };
}

// Chromium as the test machine runs it: headless, no sandbox when root, nothing reaching out.
export async function launchBrowser(extraArgs = []) {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required', ...extraArgs,
    ],
  });
}

// A page of a fresh browser context (its own cookies and localStorage) that records every request
// leaving 127.0.0.1 in `outside` and the outcome cues the page gives in window.__cues.
export async function newPage(browser, { viewport = { width: 1280, height: 900 } } = {}) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.outside = [];
  context.on('request', (req) => {
    const url = new URL(req.url());
    if (url.hostname !== '127.0.0.1' && url.protocol !== 'data:' && url.protocol !== 'blob:') page.outside.push(req.url());
  });
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  await context.addInitScript(() => {
    window.__cues = [];
    addEventListener('tt:feedback', (e) => window.__cues.push(e.detail));
    window.__tones = [];
    const start = OscillatorNode.prototype.start;
    OscillatorNode.prototype.start = function (when) {
      window.__tones.push({ frequency: this.frequency.value, type: this.type, when });
      return start.call(this, when);
    };
    navigator.vibrate = (pattern) => {
      (window.__vibrations = window.__vibrations || []).push(pattern);
      return true;
    };
  });
  return page;
}

export async function signIn(page, server, username, password = PASSWORD, path = '/scan') {
  await page.goto(server.url + path);
  await page.waitForURL(/\/login/);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForURL((url) => url.pathname + url.search === path);
}

// Saves a screenshot as an artefact: NAME-desktop.png or NAME-phone.png.
export async function screenshot(page, name) {
  mkdirSync(artifacts, { recursive: true });
  const width = page.viewportSize().width;
  const file = join(artifacts, `${name}-${width < 600 ? 'phone' : 'desktop'}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

// Types like a keyboard-wedge scanner: the characters, then the suffix key, with no pause.
export async function wedge(page, code, suffix = 'Enter') {
  await page.keyboard.type(code);
  await page.keyboard.press(suffix);
}

export { sleep };

// The set-up of a test file: a depot (startDepot) and a browser for all its tests, every page
// opened through open() checked after each test (nothing left 127.0.0.1, nothing thrown), and all
// of it stopped at the end; setup(depot), when given, runs once the depot is up. Returns the live
// objects: { depot, browser, open }.
export function browserSuite(setup) {
  const suite = { depot: null, browser: null };
  const pages = [];
  suite.open = async (options, browser = suite.browser) => {
    const page = await newPage(browser, options);
    pages.push(page);
    return page;
  };
  before(async () => {
    suite.depot = await startDepot();
    suite.browser = await launchBrowser();
    if (setup) await setup(suite.depot);
  });
  after(async () => {
    await suite.browser?.close();
    await suite.depot?.server.dispose();
  });
  afterEach(() => {
    for (const page of pages.splice(0)) {
      assert.deepEqual(page.outside, [], 'requests left 127.0.0.1');
      assert.deepEqual(page.errors, [], 'the page threw');
    }
  });
  return suite;
}
