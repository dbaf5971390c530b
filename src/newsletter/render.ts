/**
 * Renders a newsletter issue once per send: the digest's stories, the
 * newsletter's look (logo, accent colour, intro) and the site's name and
 * address become a `RenderedEmail` whose per-reader values are MERGE_FIELDS
 * placeholders for delivery to fill.
 *
 * The greeting is "Hello {{name}}" with nothing after the name, so a reader
 * without a name (delivery merges an empty string) reads a plain "Hello".
 */
import juice from 'juice';
import { escapeHtml } from '../shared/html.js';
import { absolute } from '../site/format.js';
import { oneLine, type DigestItem } from './digest.js';
import type { Template } from './newsletters.service.js';
import { MERGE_FIELDS, type RenderedEmail } from './rendered.js';
import { PALETTE, readableOn } from './templates/colors.js';
import { digestHtml, type DigestView } from './templates/digest.html.js';
import { digestText } from './templates/digest.text.js';

export interface RenderInput {
  newsletter: { name: string; template: Template };
  site: { name: string; publicUrl: string; language?: string; address?: string };
  subject: string;
  /** The intro; blank lines separate paragraphs. Empty: none. */
  intro: string;
  items: readonly DigestItem[];
}

function introParagraphs(intro: string): string[] {
  return intro
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((p) => p.replace(/[^\S\n]+/g, ' ').trim())
    .filter((p) => p.length > 0);
}

/** What the inbox shows after the subject: the intro's start, else the stories' headlines. */
function preheaderOf(intro: string[], items: readonly DigestItem[]): string {
  const source = intro[0] ?? items.map((i) => i.headline).join(' · ');
  return oneLine(source, 140);
}

export function renderEmail(input: RenderInput): RenderedEmail {
  const { newsletter, site } = input;
  const fill = newsletter.template.accentColor || PALETTE.defaultAccent;
  const intro = introParagraphs(input.intro);
  const subject = oneLine(input.subject, 200);
  const view: DigestView = {
    language: site.language ?? 'en',
    subject,
    preheader: preheaderOf(intro, input.items),
    newsletterName: newsletter.name,
    siteName: site.name,
    publicUrl: site.publicUrl,
    address: site.address?.trim() ?? '',
    logoUrl: newsletter.template.logoUrl ? absolute(site.publicUrl, newsletter.template.logoUrl) : null,
    accent: { fill, onLight: readableOn(fill, PALETTE.light.card), onDark: readableOn(fill, PALETTE.dark.card) },
    intro,
    items: [...input.items],
  };
  // Gmail and others drop <style> in some views: every rule that can be inlined is; media queries (dark mode, small screens) stay in <style>.
  const html = juice(digestHtml(view), { preserveMediaQueries: true, removeStyleTags: true, applyWidthAttributes: true, applyHeightAttributes: false });
  return { subject, html, text: digestText(view) };
}

export interface MergeValues {
  name: string;
  unsubscribeUrl: string;
  preferencesUrl: string;
}

/** Fills the placeholders for one reader: HTML-escaped in the HTML, as they are in the text and subject. */
export function fillPlaceholders(email: RenderedEmail, values: MergeValues): RenderedEmail {
  const pairs: [string, string][] = [
    [MERGE_FIELDS.name, values.name],
    [MERGE_FIELDS.unsubscribeUrl, values.unsubscribeUrl],
    [MERGE_FIELDS.preferencesUrl, values.preferencesUrl],
  ];
  const fillIn = (text: string, escape: (s: string) => string) => pairs.reduce((out, [field, value]) => out.split(field).join(escape(value)), text);
  return { subject: fillIn(email.subject, (s) => s), html: fillIn(email.html, escapeHtml), text: fillIn(email.text, (s) => s) };
}
