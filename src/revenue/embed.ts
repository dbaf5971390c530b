/**
 * The embeddable donate form (docs/revenue.md, "The embeddable donate form"):
 * `/donate/embed` is the donate form alone, in a page other sites may show in
 * an <iframe>. This module holds what is particular to it: which sites may
 * frame it (the page's Content-Security-Policy `frame-ancestors`, from the
 * donations settings), the bare page around the form, and the copy-paste
 * codes the admin shows.
 *
 * Every other page keeps `frame-ancestors 'self'` and `X-Frame-Options:
 * SAMEORIGIN` (src/http/server.ts): only this page is opened to other sites,
 * and only to the ones the newsroom listed.
 */
import { html, type Html } from '../shared/html.js';
import { EMBED_ORIGIN_PATTERN, type SiteSettings } from '../newsroom/settings.js';

export const EMBED_PATH = '/donate/embed';
const ORIGIN = new RegExp(EMBED_ORIGIN_PATTERN);

/**
 * The page's `frame-ancestors` sources: this site, and the origins from the settings. Checked again here
 * (the settings were checked when saved): whatever goes into the header is a plain origin, never a `;`.
 */
export function frameAncestors(settings: SiteSettings): string[] {
  return ["'self'", ...settings.donations.embedOrigins.filter((o) => ORIGIN.test(o))];
}

/** The security headers of a page that the listed sites may frame: their origins in the CSP, no X-Frame-Options. */
export function allowFraming(headers: { get(name: string): unknown; set(name: string, value: string): void; remove(name: string): void }, settings: SiteSettings): void {
  const csp = headers.get('content-security-policy');
  if (typeof csp === 'string') headers.set('content-security-policy', csp.replace(/frame-ancestors [^;]*/, `frame-ancestors ${frameAncestors(settings).join(' ')}`));
  // X-Frame-Options knows no list of sites; browsers that read frame-ancestors ignore it anyway, and those that
  // do not would refuse every frame.
  headers.remove('x-frame-options');
}

/** The bare page around the embedded form: no masthead, navigation or footer, the site's stylesheet. */
export function embedDocument(data: { settings: SiteSettings; title: string; main: Html; cssHref: string }): string {
  const { settings } = data;
  return (
    '<!doctype html>' +
    html`
<html lang="${settings.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${data.title} | ${settings.name}</title>
<meta name="robots" content="noindex, nofollow">
<link rel="stylesheet" href="${data.cssHref}">
</head>
<body class="donate-embed">
<main id="main">
${data.main}
</main>
</body>
</html>`.value
  );
}

/** The copy-paste codes for other sites (shown in the admin; the attribution in their queries is an example). */
export function embedCodes(publicUrl: string, settings: SiteSettings): { url: string; iframe: string; form: string } {
  const url = `${publicUrl}${EMBED_PATH}?utm_source=partner&utm_medium=embed`;
  const title = `Donate to ${settings.name}`;
  // No sandbox attribute: a sandboxed frame without allow-same-origin sends `Origin: null`, and the form's
  // forgery check (donate.routes.ts) would refuse it.
  const iframe = html`<iframe src="${url}" title="${title}" width="100%" height="760" style="border:0;max-width:34rem" loading="lazy"></iframe>`.value;
  // For pages that cannot have frames (some content systems strip them; email): a plain form, no script, that
  // opens the donate page with the reader's choices, like the compact form on our own pages.
  const d = settings.donations;
  const form = html`<form method="get" action="${publicUrl}/donate" target="_blank">
  <input type="hidden" name="utm_source" value="partner">
  <input type="hidden" name="utm_medium" value="embed">
  <input type="hidden" name="amount" value="custom">
  <fieldset>
    <legend>${title}</legend>
    <label><input type="radio" name="frequency" value="once"> One-time</label>
    <label><input type="radio" name="frequency" value="monthly" checked> Monthly</label>
    <label><input type="radio" name="frequency" value="yearly"> Yearly</label>
    <label>Amount in ${d.currency} <input type="text" inputmode="decimal" name="custom_amount" value="${String(d.amountsMonthly[1])}" size="8" required></label>
    <button type="submit">Donate</button>
  </fieldset>
</form>`.value;
  return { url, iframe, form };
}
