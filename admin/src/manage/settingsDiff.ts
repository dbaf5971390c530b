/** What changed between the loaded settings and the form, as the partial document PATCH /settings takes. */
import type { SiteSettings } from '../types';

type Group = 'social' | 'appLinks' | 'webApp' | 'policies' | 'related' | 'newsletters' | 'donations';
const GROUPS: Group[] = ['social', 'appLinks', 'webApp', 'policies', 'related', 'newsletters', 'donations'];

/** Settings values are strings, numbers, booleans or lists of numbers: equal when they print the same. */
const same = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);

export function settingsChanges(before: SiteSettings, after: SiteSettings): Partial<SiteSettings> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(after) as (keyof SiteSettings)[]) {
    if ((GROUPS as string[]).includes(key)) continue;
    if (!same(after[key], before[key])) out[key] = after[key];
  }
  for (const group of GROUPS) {
    const changed: Record<string, unknown> = {};
    const a = after[group] as unknown as Record<string, unknown>;
    const b = before[group] as unknown as Record<string, unknown>;
    for (const key of Object.keys(a)) if (!same(a[key], b[key])) changed[key] = a[key];
    if (Object.keys(changed).length) out[group] = changed;
  }
  return out as Partial<SiteSettings>;
}

const URL_FIELDS = /^\/(social|appLinks)\//;
const PATH_FIELDS = /^\/(policies\/|logoUrl$)/;

/** The whole numbers the server takes (src/newsroom/settings.ts), for the inputs' bounds and plain errors. */
export const NUMBER_RANGES: Record<string, { min: number; max: number }> = {
  '/breakingDefaultHours': { min: 1, max: 168 },
  '/related/inlineCount': { min: 0, max: 5 },
  '/related/afterParagraphs': { min: 1, max: 100 },
  '/related/minParagraphs': { min: 1, max: 100 },
  '/related/moreCount': { min: 1, max: 10 },
  '/related/recencyHalfLifeDays': { min: 1, max: 3650 },
  '/related/maxAgeDays': { min: 1, max: 3650 },
  '/newsletters/softBounceLimit': { min: 1, max: 20 },
  '/donations/minimum': { min: 1, max: 1_000_000 },
  '/donations/maximum': { min: 1, max: 1_000_000 },
};

/**
 * The settings validator answers in schema terms ("Expected string to match '^(https?…'");
 * for the fields whose rule is a pattern or a range of whole numbers, say what is wanted instead.
 */
export function plainSettingsMessage(path: string, message: string): string {
  if (path.startsWith('/related/afterParagraphs') && /^expected/i.test(message)) {
    return /length|items/i.test(message) ? 'Give at most 5 paragraph numbers' : 'Paragraph numbers go from 1 to 100';
  }
  if (path === '/related/label' && /length/i.test(message)) return 'Enter a label of 1 to 40 characters';
  const range = NUMBER_RANGES[path];
  if (range && /expected (integer|number)/i.test(message)) return `Enter a whole number from ${range.min} to ${range.max}`;
  if (!/match|pattern/i.test(message)) return message;
  if (URL_FIELDS.test(path)) return 'Enter a full address starting with https://, or leave it empty';
  if (PATH_FIELDS.test(path)) return 'Enter a path on this site starting with / (like /about), a full https:// address, or nothing';
  if (/^\/webApp\/(themeColor|backgroundColor)$/.test(path)) return 'Enter a colour as # and six hexadecimal digits, like #1a1a1a';
  if (path === '/language') return 'Enter a language code such as en, en-GB or fr';
  if (path.startsWith('/donations/embedOrigins')) return 'Enter each site as its address without a path, like https://partner.example (https://*.partner.example for its subdomains)';
  return message;
}
