/**
 * The service worker script as served: `public/sw.js` with a one-line configuration in front
 * (the build id and the files to precache). The build id is a hash of both, so a new site
 * script or stylesheet is a new worker, and browsers install it (docs/web-app.md).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { publicDir } from '../shared/paths.js';

export const SERVICE_WORKER_FILE = path.join(publicDir, 'sw.js');
export const OFFLINE_PATH = '/offline';

export interface ServiceWorkerScript {
  body: string;
  etag: string;
  build: string;
}

/** Reads the worker once (at start): `precache` are same-origin URLs the offline page needs. */
export function buildServiceWorker(precache: readonly string[]): ServiceWorkerScript {
  const source = fs.readFileSync(SERVICE_WORKER_FILE, 'utf8');
  const urls = [OFFLINE_PATH, ...precache.filter((u) => u !== OFFLINE_PATH)];
  const build = createHash('sha1').update(source).update('\0').update(urls.join('\n')).digest('hex').slice(0, 12);
  const header = `self.BROADSHEET_SW = ${JSON.stringify({ build, precache: urls })};\n`;
  const body = header + source;
  return { body, build, etag: `"sw-${build}"` };
}
