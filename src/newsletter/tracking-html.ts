/**
 * Rewriting a send's HTML for tracking, once, when the send starts: the
 * address of each http(s) link (`<a href>`, `<area href>`) is replaced by a
 * tracked one, and the open pixel goes before `</body>`. Everything else stays
 * byte for byte as composed: only the `href="…"` attributes are spliced, at
 * the positions the HTML parser (htmlparser2) reports, so the inlined styles,
 * Outlook conditional comments and entities of the composed email are not
 * re-serialised. Links inside comments (Outlook-only markup) are left alone.
 *
 * Left untouched on purpose:
 * - links holding a merge field (`{{unsubscribe_url}}`, `{{preferences_url}}`,
 *   anything with `{{`): they are per reader and filled in at delivery, and
 *   unsubscribing must never pass through a counter;
 * - mailto:, tel:, relative and other non-http(s) links.
 */
import { Parser } from 'htmlparser2';
import { escapeHtml } from '../shared/html.js';

/** The address a link goes to, normalised as a browser would (so a redirect header can carry it), or undefined when it is not tracked. */
export function trackableUrl(href: string): string | undefined {
  const raw = href.trim();
  if (!raw || raw.includes('{{')) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined; // relative or malformed: nothing a reader could follow from an email anyway
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  return url.href;
}

interface HrefSpan {
  /** Offsets of the whole attribute (`href="…"`) in the source. */
  start: number;
  end: number;
  url: string;
}

/** The trackable link attributes of `html`, in document order, and where `</body>` starts (-1 when there is none). */
function scan(html: string): { links: HrefSpan[]; bodyEnd: number } {
  const links: HrefSpan[] = [];
  let bodyEnd = -1;
  let tag = '';
  let hrefSeen = false;
  const parser: Parser = new Parser(
    {
      onopentagname(name) {
        tag = name;
        hrefSeen = false;
      },
      onattribute(name, value) {
        if (name !== 'href' || (tag !== 'a' && tag !== 'area')) return;
        // A repeated href is ignored by browsers: only the first one counts.
        if (hrefSeen) return;
        hrefSeen = true;
        const url = trackableUrl(value);
        if (url) links.push({ start: parser.startIndex, end: parser.endIndex, url });
      },
      onclosetag(name) {
        if (name === 'body') bodyEnd = parser.startIndex;
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.end(html);
  return { links, bodyEnd };
}

/** The distinct trackable addresses of `html`, in the order they first appear. */
export function trackableLinks(html: string): string[] {
  return [...new Set(scan(html).links.map((l) => l.url))];
}

/**
 * `html` with every trackable link's address replaced by `tracked(url)` (the
 * same address gets the same tracked link each time it appears; undefined
 * leaves the link as it is), and with
 * `pixel` (an image URL) before `</body>` (at the end without one).
 */
export function rewriteForTracking(html: string, options: { tracked?: (url: string) => string | undefined; pixel?: string }): string {
  const { links, bodyEnd } = scan(html);
  const edits: { start: number; end: number; text: string }[] = [];
  if (options.tracked) {
    for (const link of links) {
      const tracked = options.tracked(link.url);
      if (tracked !== undefined) edits.push({ start: link.start, end: link.end, text: `href="${escapeHtml(tracked)}"` });
    }
  }
  if (options.pixel) {
    const at = bodyEnd === -1 ? html.length : bodyEnd;
    // Empty alt: screen readers skip it; border 0 and display block keep old clients from drawing a box or a gap.
    edits.push({ start: at, end: at, text: `<img src="${escapeHtml(options.pixel)}" width="1" height="1" alt="" style="display:block;border:0;width:1px;height:1px">` });
  }
  let out = '';
  let from = 0;
  for (const edit of edits.sort((a, b) => a.start - b.start)) {
    out += html.slice(from, edit.start) + edit.text;
    from = edit.end;
  }
  return out + html.slice(from);
}
