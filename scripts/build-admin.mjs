#!/usr/bin/env node
// Builds the admin app (admin/ -> dist/admin) unless the last build came from the same sources.
// `npm start` calls this every time, so a start without admin changes costs a hash, not a Vite build.
import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const adminDir = path.join(root, 'admin');
const outDir = path.join(root, 'dist', 'admin');
const stampFile = path.join(outDir, '.source-hash');

function* files(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else yield full;
  }
}

function sourceHash() {
  const hash = createHash('sha256');
  for (const file of [...files(adminDir), path.join(root, 'package-lock.json')]) {
    hash.update(path.relative(root, file)).update('\0').update(fs.readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

const wanted = sourceHash();
const force = process.argv.includes('--force');
if (!force && fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === wanted && fs.existsSync(path.join(outDir, 'index.html'))) {
  process.exit(0);
}
const { build } = await import('vite');
const result = await build({ configFile: path.join(adminDir, 'vite.config.ts'), logLevel: process.argv.includes('--quiet') ? 'warn' : 'info' });
const outputs = (Array.isArray(result) ? result : [result]).flatMap((r) => ('output' in r ? r.output : []));
const built = outputs.map((o) => o.fileName).filter((name) => name.startsWith('assets/'));

// Pre-compressed copies: the server sends .br or .gz to browsers that accept them (no compression per request).
for (const name of built) {
  if (!/\.(js|css|svg|json)$/.test(name)) continue;
  const file = path.join(outDir, name);
  const data = fs.readFileSync(file);
  fs.writeFileSync(`${file}.gz`, zlib.gzipSync(data, { level: 9 }));
  fs.writeFileSync(
    `${file}.br`,
    zlib.brotliCompressSync(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length } }),
  );
}

// The previous build's files stay (the output folder is not emptied): an admin tab opened before a deploy still
// finds the code-split chunks it asks for later. Anything older than that is removed.
const buildsFile = path.join(outDir, '.builds.json');
let previous = [];
try {
  previous = JSON.parse(fs.readFileSync(buildsFile, 'utf8')).current ?? [];
} catch {
  previous = [];
}
const keep = new Set([...built, ...previous].flatMap((name) => [name, `${name}.gz`, `${name}.br`, `${name}.map`]));
for (const name of fs.readdirSync(path.join(outDir, 'assets'))) {
  if (!keep.has(`assets/${name}`)) fs.rmSync(path.join(outDir, 'assets', name), { force: true });
}
fs.writeFileSync(buildsFile, JSON.stringify({ current: built }));
fs.writeFileSync(stampFile, wanted);
