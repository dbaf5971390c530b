/**
 * The web app manifest (https://www.w3.org/TR/appmanifest/) from the site settings: names, colours,
 * the icons made from the logo, and how the app opens (standalone, at the front page, marked
 * `?source=pwa` so visits from the installed app can be told apart in logs and analytics).
 */
import type { SiteSettings } from '../newsroom/settings.js';
import type { IconSet } from './icons.js';

export const MANIFEST_PATH = '/manifest.webmanifest';
export const START_URL = '/?source=pwa';

/** Launchers show about 12 characters under an icon; longer site names are cut at a word where possible. */
export function shortNameFor(site: SiteSettings): string {
  if (site.webApp.shortName) return site.webApp.shortName;
  if (site.name.length <= 12) return site.name;
  // "The Riverside Chronicle" is "Riverside" under an icon, not "The".
  const words = site.name.replace(/^the\s+/i, '').split(/\s+/);
  let short = '';
  for (const word of words) {
    const next = short ? `${short} ${word}` : word;
    if (next.length > 12) break;
    short = next;
  }
  return short || site.name.slice(0, 12);
}

export function iconPath(set: IconSet, name: string): string {
  return `/icons/${set.hash}/${name}`;
}

interface RelatedApp {
  platform: 'play' | 'itunes';
  url: string;
  id?: string;
}

/** The newsroom's store apps, so browsers can tell a reader who has one installed. */
function relatedApplications(site: SiteSettings): RelatedApp[] {
  const apps: RelatedApp[] = [];
  const { ios, android } = site.appLinks;
  if (android) {
    const id = /^https:\/\/play\.google\.com\/store\/apps\/details\?(?:.*&)?id=([A-Za-z0-9_.]+)/.exec(android)?.[1];
    apps.push({ platform: 'play', url: android, ...(id ? { id } : {}) });
  }
  if (ios) apps.push({ platform: 'itunes', url: ios });
  return apps;
}

export function buildManifest(site: SiteSettings, icons: IconSet): Record<string, unknown> {
  const related = relatedApplications(site);
  return {
    id: '/',
    name: site.name,
    short_name: shortNameFor(site),
    description: site.description || site.tagline,
    lang: site.language,
    dir: 'auto',
    start_url: START_URL,
    scope: '/',
    display: 'standalone',
    orientation: 'any',
    theme_color: site.webApp.themeColor,
    background_color: site.webApp.backgroundColor,
    categories: ['news'],
    icons: [
      { src: iconPath(icons, 'icon-192.png'), sizes: '192x192', type: 'image/png', purpose: 'any' },
      { src: iconPath(icons, 'icon-512.png'), sizes: '512x512', type: 'image/png', purpose: 'any' },
      { src: iconPath(icons, 'maskable-192.png'), sizes: '192x192', type: 'image/png', purpose: 'maskable' },
      { src: iconPath(icons, 'maskable-512.png'), sizes: '512x512', type: 'image/png', purpose: 'maskable' },
    ],
    ...(related.length ? { related_applications: related, prefer_related_applications: false } : {}),
  };
}
