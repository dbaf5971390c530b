/**
 * The admin app's download size: what the browser fetches for the first
 * screen (index.html, the entry script, its statically imported chunks and
 * stylesheets: the <script>, <link rel="modulepreload"> and <link
 * rel="stylesheet"> tags Vite writes into index.html), gzip-compressed as a
 * server would send it, and separately the chunks loaded later (the article
 * editor with Tiptap is one of them). Target: under 400 KB gzip for the
 * initial load (issue 3).
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { adminDistDir } from '../src/admin/admin-app.routes.js';

export interface BundleFile {
  file: string;
  bytes: number;
  gzip: number;
  brotli: number;
}

export interface BundleReport {
  initial: BundleFile[];
  lazy: BundleFile[];
  initialGzip: number;
  initialBrotli: number;
  lazyGzip: number;
  largestLazy: BundleFile | undefined;
}

function sizes(file: string): BundleFile {
  const data = fs.readFileSync(path.join(adminDistDir, file));
  return {
    file,
    bytes: data.length,
    gzip: zlib.gzipSync(data, { level: 9 }).length,
    brotli: zlib.brotliCompressSync(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

export function measureAdminBundle(): BundleReport {
  const indexFile = path.join(adminDistDir, 'index.html');
  if (!fs.existsSync(indexFile)) throw new Error(`${indexFile} is missing: run npm run build first`);
  const html = fs.readFileSync(indexFile, 'utf8');
  const referenced = [...html.matchAll(/(?:src|href)="\/admin\/(assets\/[^"]+)"/g)].map((m) => m[1]!);
  const initialNames = new Set(['index.html', ...referenced]);
  const initial = [...initialNames].map(sizes);
  const lazy = fs
    .readdirSync(path.join(adminDistDir, 'assets'))
    .map((name) => `assets/${name}`)
    .filter((name) => /\.(js|css)$/.test(name) && !initialNames.has(name))
    .map(sizes)
    .sort((a, b) => b.gzip - a.gzip);
  const sum = (files: BundleFile[], key: 'gzip' | 'brotli') => files.reduce((total, f) => total + f[key], 0);
  return { initial, lazy, initialGzip: sum(initial, 'gzip'), initialBrotli: sum(initial, 'brotli'), lazyGzip: sum(lazy, 'gzip'), largestLazy: lazy[0] };
}
