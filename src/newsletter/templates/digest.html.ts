/**
 * The HTML of a digest email, before its CSS is inlined (render.ts does that).
 *
 * Built the way mail clients need it: one 600 px column of nested
 * `role="presentation"` tables (Outlook for Windows renders with Word and
 * ignores max-width, hence the conditional fixed-width table around it),
 * images with absolute URLs and explicit width, height and alt, no web fonts,
 * no scripts, and a dark-mode palette for clients that honour
 * `prefers-color-scheme` (Apple Mail, Outlook for Mac and iOS); Gmail and
 * Outlook.com recolour on their own, which plain backgrounds and text survive.
 * Every value is escaped by the `html` tag; the per-reader placeholders
 * (MERGE_FIELDS) contain nothing the escaping changes.
 */
import { html, raw, type Html } from '../../shared/html.js';
import { EMAIL_CONTENT_WIDTH, type DigestItem } from '../digest.js';
import { MERGE_FIELDS } from '../rendered.js';
import { PALETTE } from './colors.js';

export interface DigestView {
  language: string;
  subject: string;
  preheader: string;
  newsletterName: string;
  siteName: string;
  publicUrl: string;
  /** The site's postal address or organisation line, when the newsroom has one. */
  address: string;
  logoUrl: string | null;
  /** The accent as chosen, and adjusted to read on the light and the dark card. */
  accent: { fill: string; onLight: string; onDark: string };
  /** Paragraphs of the intro (each may hold single line breaks). */
  intro: string[];
  items: DigestItem[];
}

export function digestCss(view: DigestView): string {
  const { light, dark } = PALETTE;
  return `
body, .page { margin: 0; padding: 0; background-color: ${light.page}; color: ${light.text}; }
.container { width: 100%; max-width: 600px; }
.card { background-color: ${light.card}; color: ${light.text}; }
.masthead { padding: 24px 24px 8px 24px; font-family: Georgia, 'Times New Roman', serif; font-size: 26px; line-height: 32px; font-weight: bold; }
.masthead a { color: ${light.text}; text-decoration: none; }
.greeting { padding: 16px 24px 0 24px; font-family: Arial, Helvetica, sans-serif; font-size: 16px; line-height: 24px; }
.intro { padding: 8px 24px 8px 24px; font-family: Arial, Helvetica, sans-serif; font-size: 16px; line-height: 24px; }
.intro p { margin: 0 0 12px 0; }
.item { padding: 20px 24px 20px 24px; border-top: 1px solid ${light.rule}; }
.item img { display: block; width: 100%; height: auto; border: 0; outline: none; text-decoration: none; }
.image-cell { padding: 0 0 12px 0; }
.section { font-family: Arial, Helvetica, sans-serif; font-size: 12px; line-height: 16px; letter-spacing: 1px; text-transform: uppercase; font-weight: bold; color: ${view.accent.onLight}; padding: 0 0 4px 0; }
.headline { font-family: Georgia, 'Times New Roman', serif; font-size: 22px; line-height: 28px; font-weight: bold; padding: 0 0 6px 0; }
.headline a { color: ${light.text}; text-decoration: none; }
.lead .headline { font-size: 26px; line-height: 32px; }
.dek { font-family: Arial, Helvetica, sans-serif; font-size: 16px; line-height: 24px; color: ${light.text}; padding: 0 0 6px 0; }
.byline { font-family: Arial, Helvetica, sans-serif; font-size: 13px; line-height: 18px; color: ${light.muted}; padding: 0 0 8px 0; }
.more a { font-family: Arial, Helvetica, sans-serif; font-size: 14px; line-height: 20px; font-weight: bold; color: ${view.accent.onLight}; text-decoration: underline; }
.footer { padding: 20px 24px 28px 24px; border-top: 1px solid ${light.rule}; font-family: Arial, Helvetica, sans-serif; font-size: 13px; line-height: 20px; color: ${light.muted}; }
.footer p { margin: 0 0 8px 0; }
.footer a { color: ${light.muted}; text-decoration: underline; }
@media (prefers-color-scheme: dark) {
  body, .page { background-color: ${dark.page} !important; color: ${dark.text} !important; }
  .card { background-color: ${dark.card} !important; color: ${dark.text} !important; }
  .masthead a, .headline a, .dek { color: ${dark.text} !important; }
  .section, .more a { color: ${view.accent.onDark} !important; }
  .byline, .footer, .footer a { color: ${dark.muted} !important; }
  .item, .footer { border-top-color: ${dark.rule} !important; }
}
@media only screen and (max-width: 620px) {
  .outer { padding: 0 !important; }
  .headline, .lead .headline { font-size: 21px !important; line-height: 27px !important; }
}
`;
}

/** Keeps the body's first words out of the inbox preview after the preheader. */
const PREHEADER_FILLER = raw('&#847;&zwnj;&nbsp;'.repeat(60));

function paragraph(text: string): Html {
  const lines = text.split('\n');
  return html`<p>${lines.map((line, i) => (i === 0 ? html`${line}` : html`<br>${line}`))}</p>`;
}

/** "By Ana Reyes, Ben Okafor and Cy Lee"; empty for unsigned stories. */
export function bylineText(names: readonly string[]): string {
  if (names.length === 0) return '';
  const list = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  return `By ${list}`;
}

function item(story: DigestItem, lead: boolean): Html {
  const image = story.image;
  let picture: Html | string = '';
  if (image) {
    const width = Math.min(EMAIL_CONTENT_WIDTH, image.width);
    const height = Math.max(1, Math.round((image.height * width) / image.width));
    picture = html`<tr><td class="image-cell"><a href="${story.url}"><img src="${image.url}" width="${width}" height="${height}" alt="${image.alt}" style="max-width:${width}px"></a></td></tr>`;
  }
  const by = bylineText(story.byline);
  return html`<tr><td class="card item${lead ? ' lead' : ''}">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">
${picture}
${story.section ? html`<tr><td class="section">${story.section}</td></tr>` : ''}
<tr><td class="headline"><a href="${story.url}">${story.headline}</a></td></tr>
${story.dek ? html`<tr><td class="dek">${story.dek}</td></tr>` : ''}
${by ? html`<tr><td class="byline">${by}</td></tr>` : ''}
<tr><td class="more"><a href="${story.url}">Read the story</a></td></tr>
</table>
</td></tr>`;
}

export function digestHtml(view: DigestView): string {
  const masthead = view.logoUrl
    ? html`<a href="${view.publicUrl}"><img src="${view.logoUrl}" width="200" alt="${view.siteName}" style="display:block;width:200px;max-width:200px;height:auto;border:0"></a>`
    : html`<a href="${view.publicUrl}">${view.newsletterName}</a>`;
  const page = html`<!DOCTYPE html>
<html lang="${view.language}" xmlns="http://www.w3.org/1999/xhtml" xmlns:o="urn:schemas-microsoft-com:office:office">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="x-apple-disable-message-reformatting">
<meta name="format-detection" content="telephone=no, date=no, address=no, email=no">
<meta name="color-scheme" content="light dark">
<meta name="supported-color-schemes" content="light dark">
<title>${view.subject}</title>
${raw('<!--[if mso]><noscript><xml><o:OfficeDocumentSettings><o:PixelsPerInch>96</o:PixelsPerInch></o:OfficeDocumentSettings></xml></noscript><![endif]-->')}
<style>
:root { color-scheme: light dark; supported-color-schemes: light dark; }
${raw(digestCss(view))}
</style>
</head>
<body class="page">
<div class="preheader" style="display:none;font-size:1px;line-height:1px;max-height:0;max-width:0;opacity:0;overflow:hidden;mso-hide:all">${view.preheader}${PREHEADER_FILLER}</div>
<table role="presentation" class="page" width="100%" cellpadding="0" cellspacing="0" border="0">
<tr><td class="outer" align="center" style="padding:24px 12px">
${raw('<!--[if mso]><table role="presentation" width="600" align="center" cellpadding="0" cellspacing="0" border="0"><tr><td><![endif]-->')}
<table role="presentation" class="container" width="100%" cellpadding="0" cellspacing="0" border="0">
<tr><td height="4" style="background-color:${view.accent.fill};font-size:0;line-height:0">&nbsp;</td></tr>
<tr><td class="card masthead">${masthead}</td></tr>
<tr><td class="card greeting">Hello ${MERGE_FIELDS.name}</td></tr>
${view.intro.length ? html`<tr><td class="card intro">${view.intro.map(paragraph)}</td></tr>` : ''}
${view.items.map((story, i) => item(story, i === 0))}
<tr><td class="card footer">
<p>You are receiving ${view.newsletterName} from <a href="${view.publicUrl}">${view.siteName}</a> because you signed up for it.</p>
<p><a href="${MERGE_FIELDS.preferencesUrl}">Manage your newsletters</a> &nbsp;|&nbsp; <a href="${MERGE_FIELDS.unsubscribeUrl}">Unsubscribe</a></p>
${view.address ? html`<p>${view.address}</p>` : ''}
</td></tr>
</table>
${raw('<!--[if mso]></td></tr></table><![endif]-->')}
</td></tr>
</table>
</body>
</html>`;
  return page.value;
}
