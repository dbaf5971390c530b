/**
 * Article bodies as structured blocks a native app can render without an
 * HTML engine. Derived from the stored, already sanitized HTML of each block
 * (what reader pages show), read with htmlparser2: text runs with their marks
 * and links, headings with their level, lists with their items (nested lists
 * kept), quotes, pull quotes, images, embeds and rules. Links and image
 * addresses are made absolute: an app has no page to resolve them against.
 */
import { parseDocument } from 'htmlparser2';
import type { ChildNode, Element } from 'domhandler';
import type { RenderedBlock } from '../newsroom/body.js';

export type Mark = 'bold' | 'italic';

/** A run of text with the same marks; `href` when it is a link. A line break is a run of "\n". */
export interface Span {
  text: string;
  marks?: Mark[];
  href?: string;
}

export interface ListItem {
  content: Span[];
  /** A list nested in this item. */
  children?: ListBlock;
}

export interface ListBlock {
  type: 'list';
  ordered: boolean;
  start?: number;
  items: ListItem[];
}

export type ContentBlock =
  | { type: 'paragraph'; content: Span[] }
  | { type: 'heading'; level: number; content: Span[] }
  | ListBlock
  | { type: 'quote'; paragraphs: Span[][] }
  | { type: 'pullquote'; content: Span[]; attribution: string }
  | { type: 'image'; src: string; alt: string; width: number | null; height: number | null; caption: string; credit: string }
  | { type: 'embed'; provider: string; url: string; title: string }
  | { type: 'rule' };

const isElement = (node: ChildNode): node is Element => node.type === 'tag';

function textOf(nodes: readonly ChildNode[]): string {
  let out = '';
  for (const node of nodes) {
    if (node.type === 'text') out += node.data;
    else if (isElement(node)) out += textOf(node.children);
  }
  return out;
}

/** Text runs of inline HTML; neighbouring runs with the same marks and link are joined. */
function spans(nodes: readonly ChildNode[], absolute: (url: string) => string, marks: Mark[] = [], href?: string, out: Span[] = []): Span[] {
  for (const node of nodes) {
    if (node.type === 'text') {
      if (!node.data) continue;
      const last = out[out.length - 1];
      if (last && last.href === href && sameMarks(last.marks, marks) && last.text !== '\n') last.text += node.data;
      else out.push({ text: node.data, ...(marks.length ? { marks: [...marks] } : {}), ...(href ? { href } : {}) });
    } else if (isElement(node)) {
      if (node.name === 'br') out.push({ text: '\n' });
      else if (node.name === 'strong' || node.name === 'b') spans(node.children, absolute, addMark(marks, 'bold'), href, out);
      else if (node.name === 'em' || node.name === 'i') spans(node.children, absolute, addMark(marks, 'italic'), href, out);
      else if (node.name === 'a' && node.attribs.href) spans(node.children, absolute, marks, absolute(node.attribs.href), out);
      else if (node.name !== 'ul' && node.name !== 'ol') spans(node.children, absolute, marks, href, out);
    }
  }
  return out;
}

const addMark = (marks: Mark[], mark: Mark): Mark[] => (marks.includes(mark) ? marks : [...marks, mark]);
const sameMarks = (a: Mark[] | undefined, b: Mark[]) => (a ?? []).length === b.length && b.every((m) => a!.includes(m));

function list(el: Element, absolute: (url: string) => string): ListBlock {
  const start = Number(el.attribs.start);
  return {
    type: 'list',
    ordered: el.name === 'ol',
    ...(el.name === 'ol' && Number.isInteger(start) && start !== 1 ? { start } : {}),
    items: el.children
      .filter(isElement)
      .filter((li) => li.name === 'li')
      .map((li) => {
        const nested = li.children.filter(isElement).find((c) => c.name === 'ul' || c.name === 'ol');
        return { content: spans(li.children, absolute), ...(nested ? { children: list(nested, absolute) } : {}) };
      }),
  };
}

function find(nodes: readonly ChildNode[], name: string): Element | undefined {
  for (const node of nodes) {
    if (!isElement(node)) continue;
    if (node.name === name) return node;
    const inner = find(node.children, name);
    if (inner) return inner;
  }
  return undefined;
}

function dimension(value: string | undefined): number | null {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : null;
}

/** One stored block as structured data; null for a block with nothing an app could show. */
export function toContentBlock(block: RenderedBlock, absolute: (url: string) => string): ContentBlock | null {
  const root = parseDocument(block.html).children.filter(isElement)[0];
  if (!root) return null;
  switch (block.type) {
    case 'paragraph':
      return { type: 'paragraph', content: spans(root.children, absolute) };
    case 'heading':
      return { type: 'heading', level: Number(root.name.slice(1)) || 2, content: spans(root.children, absolute) };
    case 'list':
      return root.name === 'ul' || root.name === 'ol' ? list(root, absolute) : null;
    case 'quote':
      return { type: 'quote', paragraphs: root.children.filter(isElement).filter((p) => p.name === 'p').map((p) => spans(p.children, absolute)) };
    case 'pullquote': {
      const quote = find(root.children, 'p');
      const caption = find(root.children, 'figcaption');
      return { type: 'pullquote', content: quote ? spans(quote.children, absolute) : [], attribution: caption ? textOf(caption.children).trim() : '' };
    }
    case 'image': {
      const img = find([root], 'img');
      if (!img?.attribs.src) return null;
      const caption = find(root.children, 'figcaption');
      const credit = caption ? find(caption.children, 'span') : undefined;
      const captionText = caption ? textOf(caption.children.filter((c) => c !== credit)).trim() : '';
      return {
        type: 'image',
        src: img.attribs.src,
        alt: img.attribs.alt ?? '',
        width: dimension(img.attribs.width),
        height: dimension(img.attribs.height),
        caption: captionText,
        credit: credit ? textOf(credit.children).trim() : '',
      };
    }
    case 'embed': {
      const link = find(root.children, 'a');
      if (!link?.attribs.href) return null;
      return { type: 'embed', provider: root.attribs['data-embed'] ?? 'link', url: absolute(link.attribs.href), title: textOf(link.children).trim() };
    }
    case 'rule':
      return { type: 'rule' };
    default:
      return null;
  }
}
