/**
 * The site's colours for apps, read from the reader stylesheet's custom
 * properties (public/assets/site.css), so an app's brand follows the site's.
 */
import fs from 'node:fs';
import path from 'node:path';
import { publicDir } from '../shared/paths.js';

export interface SiteColours {
  /** Links, buttons, the brand colour. */
  accent: string;
  /** Text on the accent colour. */
  onAccent: string;
  text: string;
  background: string;
  breaking: string;
}

const FALLBACK: SiteColours = { accent: '#0b5394', onAccent: '#ffffff', text: '#1a1a1a', background: '#ffffff', breaking: '#b00020' };
const NAMES: Record<keyof SiteColours, string> = { accent: '--accent', onAccent: '--accent-ink', text: '--ink', background: '--paper', breaking: '--breaking' };

let cached: SiteColours | undefined;

export function coloursFromCss(css: string): SiteColours {
  const root = /:root\s*\{([^}]*)\}/.exec(css)?.[1] ?? '';
  const out = { ...FALLBACK };
  for (const key of Object.keys(NAMES) as (keyof SiteColours)[]) {
    const value = new RegExp(`${NAMES[key]}\\s*:\\s*(#[0-9a-fA-F]{3,8})\\s*;`).exec(root)?.[1];
    if (value) out[key] = value.toLowerCase();
  }
  return out;
}

export function siteColours(): SiteColours {
  if (!cached) {
    try {
      cached = coloursFromCss(fs.readFileSync(path.join(publicDir, 'assets', 'site.css'), 'utf8'));
    } catch {
      cached = FALLBACK;
    }
  }
  return cached;
}
