/** What changed between the loaded settings and the form, as the partial document PATCH /settings takes. */
import type { SiteSettings } from '../types';

type Group = 'social' | 'appLinks' | 'policies';
const GROUPS: Group[] = ['social', 'appLinks', 'policies'];

export function settingsChanges(before: SiteSettings, after: SiteSettings): Partial<SiteSettings> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(after) as (keyof SiteSettings)[]) {
    if ((GROUPS as string[]).includes(key)) continue;
    if (after[key] !== before[key]) out[key] = after[key];
  }
  for (const group of GROUPS) {
    const changed: Record<string, string> = {};
    const a = after[group] as Record<string, string>;
    const b = before[group] as Record<string, string>;
    for (const key of Object.keys(a)) if (a[key] !== b[key]) changed[key] = a[key]!;
    if (Object.keys(changed).length) out[group] = changed;
  }
  return out as Partial<SiteSettings>;
}

const URL_FIELDS = /^\/(social|appLinks)\//;
const PATH_FIELDS = /^\/(policies\/|logoUrl$)/;

/**
 * The settings validator answers in schema terms ("Expected string to match '^(https?…'");
 * for the fields whose rule is a pattern, say what is wanted instead.
 */
export function plainSettingsMessage(path: string, message: string): string {
  if (!/match|pattern/i.test(message)) return message;
  if (URL_FIELDS.test(path)) return 'Enter a full address starting with https://, or leave it empty';
  if (PATH_FIELDS.test(path)) return 'Enter a path on this site starting with / (like /about), a full https:// address, or nothing';
  if (path === '/language') return 'Enter a language code such as en, en-GB or fr';
  return message;
}
