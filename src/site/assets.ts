/** The reader site's static files, addressed by content hash so browsers and CDNs keep them forever. */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { publicDir } from '../shared/paths.js';

export interface SiteAssets {
  css: string;
  printCss: string;
  script: string;
}

/** `/assets/<file>?v=<hash of its content>`: cached for a year, refetched when the file changes. */
export function versionedAsset(file: string): string {
  const content = fs.readFileSync(path.join(publicDir, 'assets', file));
  const hash = createHash('sha1').update(content).digest('hex').slice(0, 10);
  return `/assets/${file}?v=${hash}`;
}

export function loadAssets(): SiteAssets {
  return { css: versionedAsset('site.css'), printCss: versionedAsset('print.css'), script: versionedAsset('site.js') };
}
