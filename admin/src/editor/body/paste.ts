/**
 * Cleans HTML pasted from Word and Google Docs before ProseMirror parses it into
 * the article schema. Pure string work (no DOM), so it runs in Node's tests too.
 *
 * - Word: conditional comments, <o:p> and other namespaced tags, `mso-` styles,
 *   <style>/<xml> blocks are removed; list paragraphs (`mso-list`) become real lists.
 * - Google Docs: the <b id="docs-internal-guid-…" style="font-weight:normal"> wrapper
 *   around the whole clipboard is unwrapped (it would make everything bold).
 * - Both: <span>s styled bold or italic become <strong>/<em> (the only formatting the
 *   server keeps); every other style, class and id is dropped; h1 becomes h2 and
 *   h5/h6 become h4 (the body has headings 2–4); empty paragraphs are removed.
 */

const VOID = new Set(['br', 'hr', 'img', 'meta', 'link', 'input', 'col', 'area', 'base', 'wbr', 'source']);

/** Attributes kept per tag: those the editor's parse rules read. Everything else (style, class, id, lang) goes. */
const KEEP_ATTRS: Record<string, string[]> = {
  a: ['href'],
  img: ['src', 'alt', 'width', 'height'],
  ol: ['start'],
  figure: ['class', 'data-embed'],
  div: ['data-embed-url'],
  span: ['class'],
  blockquote: ['class'],
  figcaption: ['class'],
};

const RENAME: Record<string, string> = { h1: 'h2', h5: 'h4', h6: 'h4' };

type Attrs = [name: string, value: string | undefined][];

function parseAttrs(source: string): Attrs {
  const attrs: Attrs = [];
  const pattern = /([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;
  for (const match of source.matchAll(pattern)) {
    attrs.push([match[1]!.toLowerCase(), match[2] ?? match[3] ?? match[4]]);
  }
  return attrs;
}

function attr(attrs: Attrs, name: string): string | undefined {
  return attrs.find(([n]) => n === name)?.[1];
}

/** A style attribute as property → value, without Word's `mso-` properties. */
export function parseStyle(style: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const declaration of (style ?? '').split(';')) {
    const colon = declaration.indexOf(':');
    if (colon < 0) continue;
    const property = declaration.slice(0, colon).trim().toLowerCase();
    const value = declaration.slice(colon + 1).trim().toLowerCase();
    if (!property || property.startsWith('mso-')) continue;
    out.set(property, value.replace(/\s*!important$/, ''));
  }
  return out;
}

function isBold(weight: string | undefined): boolean {
  if (!weight) return false;
  if (weight === 'bold' || weight === 'bolder') return true;
  const n = Number(weight);
  return Number.isFinite(n) && n >= 600;
}

function isNormalWeight(weight: string | undefined): boolean {
  return weight === 'normal' || weight === '400' || weight === 'lighter';
}

function escapeAttr(value: string): string {
  return value.replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

function openTag(name: string, attrs: Attrs): string {
  const keep = KEEP_ATTRS[name] ?? [];
  let out = `<${name}`;
  for (const [key, value] of attrs) {
    if (!keep.includes(key)) continue;
    out += value === undefined ? ` ${key}` : ` ${key}="${escapeAttr(value)}"`;
  }
  return `${out}>`;
}

/** Word's list paragraphs (style `mso-list:…`, bullet in `<![if !supportLists]>`) as <ul>/<ol> of <li>. */
function wordLists(html: string): string {
  if (!/mso-list\s*:/i.test(html)) return html;
  let out = '';
  let open: 'ul' | 'ol' | null = null;
  let last = 0;
  const paragraph = /<p\b([^>]*)>([\s\S]*?)<\/p>/gi;
  for (const match of html.matchAll(paragraph)) {
    const between = html.slice(last, match.index);
    last = match.index + match[0].length;
    const rawStyle = attr(parseAttrs(match[1]!), 'style') ?? '';
    const isItem = /mso-list\s*:\s*l\d/i.test(rawStyle);
    if (!isItem) {
      if (open) out += `</${open}>`;
      open = null;
      out += between + match[0];
      continue;
    }
    // The bullet or number Word writes as text for other programs; it tells bullets from numbers.
    const marker = /<!\[if !supportLists\]>([\s\S]*?)<!\[endif\]>/i.exec(match[2]!);
    const markerText = (marker?.[1] ?? '').replace(/<[^>]+>/g, '').replace(/&nbsp;|\u00a0/g, ' ').trim();
    const kind: 'ul' | 'ol' = /^(\d+|[a-z]|[ivxlc]+)[.)]$/i.test(markerText) ? 'ol' : 'ul';
    const body = match[2]!.replace(/<!\[if !supportLists\]>[\s\S]*?<!\[endif\]>/gi, '');
    if (open && (open !== kind || between.trim() !== '')) {
      out += `</${open}>`;
      open = null;
    }
    out += between;
    if (!open) {
      out += `<${kind}>`;
      open = kind;
    }
    out += `<li><p>${body}</p></li>`;
  }
  if (open) out += `</${open}>`;
  return out + html.slice(last);
}

interface Open {
  name: string;
  /** What to write when this element closes ('' when the tag itself was dropped). */
  closer: string;
}

/** Rewrites tags one by one, keeping a stack so a dropped or converted tag's own closing tag is handled too. */
function rewriteTags(html: string): string {
  const stack: Open[] = [];
  let out = '';
  const tag = /<(\/?)([a-zA-Z][\w:-]*)([^>]*)>/g;
  let last = 0;
  for (const match of html.matchAll(tag)) {
    out += html.slice(last, match.index);
    last = match.index + match[0].length;
    const closing = match[1] === '/';
    const name = match[2]!.toLowerCase();
    if (name.includes(':')) continue; // <o:p>, <v:shape>, <w:…>: Office markup, its text (if any) is kept
    if (closing) {
      const at = stack.map((o) => o.name).lastIndexOf(name);
      if (at < 0) continue; // a stray closing tag
      while (stack.length > at) out += stack.pop()!.closer;
      continue;
    }
    const attrs = parseAttrs(match[3]!.replace(/\/$/, ''));
    const style = parseStyle(attr(attrs, 'style'));
    const selfClosing = VOID.has(name) || /\/\s*$/.test(match[3]!);
    if (name === 'meta' || name === 'link' || name === 'base') continue;

    let open = '';
    let closer = '';
    if ((name === 'b' || name === 'strong') && (isNormalWeight(style.get('font-weight')) || /^docs-internal-guid/.test(attr(attrs, 'id') ?? ''))) {
      // Google Docs' wrapper (and any "bold" tag styled not bold): keep the contents only.
    } else if (name === 'span' || name === 'font') {
      const bold = isBold(style.get('font-weight'));
      const italic = style.get('font-style') === 'italic';
      if (bold) {
        open += '<strong>';
        closer = `</strong>${closer}`;
      }
      if (italic) {
        open += '<em>';
        closer = `</em>${closer}`;
      }
      // A plain span is dropped, except our own classed ones (an image credit copied inside the admin).
      if (!bold && !italic && name === 'span' && attr(attrs, 'class') === 'credit') {
        open = openTag('span', attrs);
        closer = '</span>';
      }
    } else {
      const renamed = RENAME[name] ?? name;
      open = openTag(renamed, attrs);
      closer = selfClosing ? '' : `</${renamed}>`;
    }
    out += open;
    if (!selfClosing) stack.push({ name, closer });
  }
  out += html.slice(last);
  while (stack.length) out += stack.pop()!.closer;
  return out;
}

const BLANK = String.raw`(?:\s|&nbsp;|&#160;|&#xa0;|\u00a0)`;

export function cleanPastedHtml(input: string): string {
  let html = input;
  // Word and some browsers send a whole document: only the body matters.
  const body = /<body[^>]*>([\s\S]*)<\/body>/i.exec(html);
  if (body) html = body[1]!;
  html = html
    .replace(/<!--\[if[\s\S]*?<!\[endif\]-->/gi, '') // Word's conditional comments (VML, fallbacks)
    .replace(/<!--[\s\S]*?-->/g, '') // StartFragment markers and other comments
    .replace(/<(style|script|xml|title|head)\b[\s\S]*?<\/\1>/gi, '');
  html = wordLists(html);
  html = html
    .replace(/<!\[if !supportLists\]>[\s\S]*?<!\[endif\]>/gi, '') // bullets of list paragraphs not turned into lists
    .replace(/<!\[(?:if [^\]]*|endif)\]>/gi, ''); // other downlevel-revealed markers: keep their content
  html = rewriteTags(html);
  // Empty formatting, then empty paragraphs (Word's <p><o:p>&nbsp;</o:p></p>, Docs' <p><br></p>).
  const emptyInline = new RegExp(String.raw`<(strong|em|b|i|span)(?:\s[^>]*)?>(${BLANK}*)</\1>`, 'gi');
  for (let i = 0; i < 3; i++) html = html.replace(emptyInline, '$2');
  html = html.replace(new RegExp(String.raw`<p>(?:${BLANK}|<br\s*/?>)*</p>`, 'gi'), '');
  // Docs puts <br> between blocks for blank lines: they would become paragraphs holding only a line break.
  html = html.replace(/(<\/(?:p|h[1-6]|ul|ol|li|blockquote|figure)>|^)\s*(?:<br\s*\/?>\s*)+/gi, '$1');
  return html.trim();
}
