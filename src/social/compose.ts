/**
 * The words of a post on each network: the editor's custom text or the
 * article's social title (or headline), then the link, cut to fit the
 * network's length rules with an ellipsis at a word boundary.
 */
import type { NetworkId } from './networks/types.js';

interface LengthRule {
  /** Longest post, in the unit the network counts. */
  max: number;
  /** Networks that count every link as this many characters (t.co, Mastodon). */
  linkWeight?: number;
  /** The link goes in the text (Facebook takes it as a separate `link` field). */
  linkInText: boolean;
  /** Bluesky counts graphemes; the others code points (near enough for X's weighting of Latin text). */
  unit: 'graphemes' | 'codepoints';
}

const RULES: Record<NetworkId, LengthRule> = {
  mastodon: { max: 500, linkWeight: 23, linkInText: true, unit: 'codepoints' },
  bluesky: { max: 300, linkInText: true, unit: 'graphemes' },
  x: { max: 280, linkWeight: 23, linkInText: true, unit: 'codepoints' },
  facebook: { max: 5000, linkInText: false, unit: 'codepoints' },
};

/** The longest custom text an editor may save per network (room is left for the link). */
export const CUSTOM_TEXT_MAX: Record<NetworkId, number> = { mastodon: 475, bluesky: 240, x: 255, facebook: 5000 };

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

function units(text: string, unit: LengthRule['unit']): string[] {
  return unit === 'graphemes' ? Array.from(segmenter.segment(text), (s) => s.segment) : Array.from(text);
}

/** Cuts `text` to `max` units, at the last space when there is one in the final fifth, adding "…". */
export function truncate(text: string, max: number, unit: LengthRule['unit'] = 'codepoints'): string {
  const parts = units(text, unit);
  if (parts.length <= max) return text;
  const cut = parts.slice(0, Math.max(0, max - 1)).join('');
  const space = cut.lastIndexOf(' ');
  return `${(space > cut.length * 0.8 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

export function composeText(network: NetworkId, base: string, link: string): string {
  const rule = RULES[network];
  const words = base.replace(/\s+\n/g, '\n').trim();
  if (!rule.linkInText) return truncate(words, rule.max, rule.unit);
  const linkLength = rule.linkWeight ?? units(link, rule.unit).length;
  const room = rule.max - linkLength - 2;
  return `${truncate(words, room, rule.unit)}\n\n${link}`;
}
