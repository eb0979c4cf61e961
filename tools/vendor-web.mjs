#!/usr/bin/env node
// Copies the browser libraries of the web interface from node_modules (installed with `npm ci`
// from the committed lock file) into web/vendor, where the build embeds them into the binary.
// They are committed there so that building the server needs no npm and no network; this tool
// keeps them equal to the pinned packages:
//   node tools/vendor-web.mjs          writes web/vendor/*
//   node tools/vendor-web.mjs --check  exits 1 when web/vendor differs from what it would write
//
// The files are taken as published, with the changes a browser without a bundler and without the
// internet needs: the bare import "preact" becomes the relative "./preact.mjs" (no import map: a
// strict Content-Security-Policy forbids inline scripts), the source-map comment goes (no map is
// served), and zxing-wasm's default address of its .wasm file, on a CDN, becomes the copy served
// by the binary (the page also sets it; no remote address is left in what is served).
import { readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const modules = join(root, 'node_modules');
const vendor = join(root, 'web', 'vendor');

// [package, file inside the package, name in web/vendor]
const files = [
  ['preact', 'dist/preact.mjs', 'preact.mjs'],
  ['preact', 'hooks/dist/hooks.mjs', 'hooks.mjs'],
  ['htm', 'dist/htm.mjs', 'htm.mjs'],
  ['zxing-wasm', 'dist/es/share.js', 'zxing/share.js'],
  ['zxing-wasm', 'dist/es/reader/index.js', 'zxing/reader/index.js'],
  ['zxing-wasm', 'dist/reader/zxing_reader.wasm', 'zxing/zxing_reader.wasm'],
];
const licences = [['preact', 'LICENSE'], ['htm', 'LICENSE'], ['zxing-wasm', 'LICENSE']];

// zxing-wasm's default locateFile: exactly one CDN address, replaced by the served copy.
const CDN = /`https:\/\/fastly\.jsdelivr\.net\/npm\/zxing-wasm@[^`]*\/\$\{(\w+)\}`/g;

function packageVersion(name) {
  return JSON.parse(readFileSync(join(modules, name, 'package.json'), 'utf8')).version;
}

function vendored(pkg, file) {
  const source = join(modules, pkg, file);
  if (!existsSync(source)) {
    throw new Error(`${source} is missing: run "npm ci" first`);
  }
  if (file.endsWith('.wasm')) return readFileSync(source);
  let text = readFileSync(source, 'utf8')
    .replace(/from\s*"preact"/g, 'from"./preact.mjs"')
    .replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, '\n');
  if (pkg === 'zxing-wasm' && file.endsWith('share.js')) {
    const found = text.match(CDN) || [];
    if (found.length !== 1) throw new Error(`zxing-wasm ${file}: expected one CDN address, found ${found.length}`);
    text = text.replace(CDN, (_, name) => '`/vendor/zxing/${' + name + '}`');
  }
  const licence = JSON.parse(readFileSync(join(modules, pkg, 'package.json'), 'utf8')).license;
  return `/* ${pkg} ${packageVersion(pkg)} (${licence} licence, web/vendor/LICENSES.txt): ${file} as published */\n${text}`;
}

function licenceText() {
  return licences
    .map(([pkg, file]) => `== ${pkg} ${packageVersion(pkg)} ==\n\n${readFileSync(join(modules, pkg, file), 'utf8').trim()}\n`)
    .join('\n');
}

const wanted = new Map(files.map(([pkg, file, name]) => [name, vendored(pkg, file)]));
wanted.set('LICENSES.txt', licenceText());

const check = process.argv.includes('--check');
let differ = 0;
for (const [name, text] of wanted) {
  const target = join(vendor, name);
  const same = () => existsSync(target) && Buffer.compare(readFileSync(target), Buffer.from(text)) === 0;
  if (check) {
    if (!same()) {
      console.error(`web/vendor/${name} differs from the package pinned in package-lock.json: run node tools/vendor-web.mjs`);
      differ++;
    }
  } else {
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
    console.log(`web/vendor/${name}`);
  }
}
process.exit(differ ? 1 : 0);
