#!/usr/bin/env node
// The scan screen in the browser, measured: the time from the scanner's Enter to the counter showing
// the answer, and the bytes the scan page costs on its first load.
//
//   node bench/ui-latency.mjs [--scans N] [--binary PATH]
//
// Starts the server on a fresh SQLite database (release build, synchronous=FULL as shipped) on
// loopback, signs a dispatcher in in Debian's Chromium and scans like a wedge scanner: a parent,
// then its children, the next code once the counter shows the last answer (so each figure is one
// scan's latency, not a queue's). The page marks Enter (scan:enter:ID) and the counter's update
// (scan:counted:ID); the figures are their differences. Prints the figures and writes
// bench/UI-RESULTS.md.
import { writeFileSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const scans = Number(arg('--scans', 200));
process.env.TT_BINARY = arg('--binary', process.env.TT_BINARY || join(root, 'build/bench/src/tracetrack'));
const { startDepot, launchBrowser, newPage, signIn, wedge, PASSWORD } = await import('../tests/browser/harness.mjs');

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

const { server } = await startDepot();
const browser = await launchBrowser();
try {
  // First load: a signed-in dispatcher opens /scan with an empty cache, with and without gzip.
  const weights = {};
  for (const [name, encoding] of [['gzip', 'gzip, deflate, br'], ['identity', 'identity']]) {
    const context = await browser.newContext({ extraHTTPHeaders: { 'Accept-Encoding': encoding }, serviceWorkers: 'block' });
    const page = await context.newPage();
    await signIn(page, server, 'dev', PASSWORD);
    await page.close();
    const fresh = await context.newPage();
    const cdp = await context.newCDPSession(fresh);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    let bytes = 0;
    let requests = 0;
    cdp.on('Network.loadingFinished', (e) => {
      bytes += e.encodedDataLength;
      requests++;
    });
    await fresh.goto(server.url + '/scan', { waitUntil: 'networkidle' });
    await fresh.waitForSelector('[data-testid=scan-input]');
    weights[name] = { bytes, requests };
    await context.close();
  }

  // Latency: Enter to counter, one scan at a time.
  const page = await newPage(browser);
  await signIn(page, server, 'dev', PASSWORD);
  await page.waitForSelector('[data-testid=scan-input]');
  const perParent = 25;
  let done = 0;
  for (let p = 0; done < scans; p++) {
    await wedge(page, `SB${String(70000 + p)}`);
    await page.waitForSelector('[data-testid=queue-status][data-waiting="0"]');
    for (let c = 0; c < perParent && done < scans; c++, done++) {
      const before = await page.evaluate(() => performance.getEntriesByType('mark').filter((m) => m.name.startsWith('scan:counted:')).length);
      await wedge(page, `LAT-${p}-${c}`);
      await page.waitForFunction(
        (n) => performance.getEntriesByType('mark').filter((m) => m.name.startsWith('scan:counted:')).length > n,
        before,
        { polling: 1 },
      );
    }
  }
  const latencies = await page.evaluate(() => {
    const enter = new Map(performance.getEntriesByType('mark').filter((m) => m.name.startsWith('scan:enter:')).map((m) => [m.name.slice(11), m.startTime]));
    return performance
      .getEntriesByType('mark')
      .filter((m) => m.name.startsWith('scan:counted:'))
      .map((m) => ({ id: m.name.slice(13), ms: m.startTime - enter.get(m.name.slice(13)) }))
      .filter((x) => !Number.isNaN(x.ms));
  });
  const children = latencies.slice().map((x) => x.ms).sort((a, b) => a - b);
  const p50 = percentile(children, 50);
  const p95 = percentile(children, 95);
  const max = children[children.length - 1];
  let commit = '';
  try {
    commit = execSync('git rev-parse --short HEAD', { cwd: root }).toString().trim();
  } catch {
    commit = 'unknown';
  }
  const kb = (n) => (n / 1024).toFixed(1);
  const lines = [
    '# Scan screen in the browser',
    '',
    `Measured by \`bench/ui\` (bench/ui-latency.mjs) at commit ${commit}, ${new Date().toISOString().slice(0, 10)},`,
    `on ${cpus().length} × ${cpus()[0]?.model || 'unknown CPU'}; release build, SQLite with synchronous=FULL,`,
    'headless Chromium on the same machine, loopback.',
    '',
    `## Enter to counter (${children.length} scans, one at a time)`,
    '',
    '| p50 | p95 | max | aim |',
    '| --- | --- | --- | --- |',
    `| ${p50.toFixed(1)} ms | ${p95.toFixed(1)} ms | ${max.toFixed(1)} ms | p95 ≤ 30 ms |`,
    '',
    '## First load of /scan, signed in, empty cache',
    '',
    '| transfer | bytes over the wire | requests | aim |',
    '| --- | --- | --- | --- |',
    `| gzip | ${weights.gzip.bytes} (${kb(weights.gzip.bytes)} KB) | ${weights.gzip.requests} | ≤ 60 KB |`,
    `| without compression | ${weights.identity.bytes} (${kb(weights.identity.bytes)} KB) | ${weights.identity.requests} | |`,
    '',
    'Bytes over the wire are what Chromium counted per response, headers included: the page, its',
    'scripts, styles and icon, and the API calls the page makes on load (/api/v1/auth/me, the current',
    'parent). The offline copy (service worker) is blocked here: it only re-validates what was loaded.',
    '',
  ];
  writeFileSync(join(root, 'bench/UI-RESULTS.md'), lines.join('\n'));
  console.log(lines.join('\n'));
} finally {
  await browser.close();
  await server.dispose();
}
