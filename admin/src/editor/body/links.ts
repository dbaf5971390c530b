/**
 * Which links and embeds the server keeps (mirrors safeHref and describeEmbed in
 * src/newsroom/body.ts, which the admin cannot import): the editor refuses what
 * the server would drop, so what you see is what gets published.
 */

/** The cleaned href when the server keeps it: http(s), mailto, `#anchor` or a site-relative `/path`. */
export function safeHref(href: string): string | null {
  const value = href.trim();
  if (!value) return null;
  if (/^(https?:|mailto:)/i.test(value) || value.startsWith('#')) return value;
  // Site-relative, but not protocol-relative (`//host`, `/\host`): those leave the site.
  if (value.startsWith('/') && !/^\/[/\\]/.test(value)) return value;
  return null;
}

/**
 * What someone typed into the link box, made into an href: "example.com/x" becomes
 * "https://example.com/x", "name@example.com" a mailto: link. Null when it cannot be a link.
 */
export function normalizeLinkInput(input: string): string | null {
  const value = input.trim();
  if (!value || /\s/.test(value)) return null;
  if (/^[^@/:]+@[^@/:]+\.[a-z]{2,}$/i.test(value)) return `mailto:${value}`;
  if (/^[a-z][a-z0-9+.-]*:/i.test(value)) {
    if (!/^(https?:\/\/[^/]|mailto:.)/i.test(value)) return null;
    try {
      if (/^https?:/i.test(value)) new URL(value);
    } catch {
      return null;
    }
    return value;
  }
  if (value.startsWith('/') || value.startsWith('#')) return safeHref(value);
  // A bare host name: needs a dot and a plausible top-level domain.
  if (/^[\p{L}\p{N}-]+(\.[\p{L}\p{N}-]+)*\.[\p{L}]{2,}([/?#].*)?$/u.test(value)) return `https://${value}`;
  return null;
}

export type EmbedProvider = 'youtube' | 'x' | 'instagram' | 'facebook' | 'bluesky' | 'link';

const EMBED_HOSTS: [RegExp, EmbedProvider][] = [
  [/(^|\.)youtube\.com$|^youtu\.be$/, 'youtube'],
  [/(^|\.)(x|twitter)\.com$/, 'x'],
  [/(^|\.)instagram\.com$/, 'instagram'],
  [/(^|\.)facebook\.com$|^fb\.watch$/, 'facebook'],
  [/^bsky\.app$/, 'bluesky'],
];

export const PROVIDER_NAMES: Record<EmbedProvider, string> = {
  youtube: 'YouTube',
  x: 'X',
  instagram: 'Instagram',
  facebook: 'Facebook',
  bluesky: 'Bluesky',
  link: 'Link',
};

export interface EmbedInfo {
  provider: EmbedProvider;
  url: string;
  host: string;
}

/** The provider of an embed URL; null when the server would not show it (not an http(s) URL). */
export function describeEmbed(raw: string): EmbedInfo | null {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  const host = url.hostname.toLowerCase();
  const provider = EMBED_HOSTS.find(([pattern]) => pattern.test(host))?.[1] ?? 'link';
  return { provider, url: url.toString(), host: host.replace(/^www\./, '') };
}
