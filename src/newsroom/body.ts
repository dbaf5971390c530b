/**
 * Article bodies. The source of truth is a ProseMirror/Tiptap JSON document
 * (what the admin editor produces). On save it is validated against the node
 * types we support and rendered to one sanitized HTML string per top-level
 * block; reader pages join those blocks, and the body-insert pipeline
 * (src/site/body-inserts.ts) places related links and prompts between them.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { createRequire } from 'node:module';
import type sanitizeHtmlModule from 'sanitize-html';
import { escapeHtml } from '../shared/html.js';
import { Invalid } from '../shared/errors.js';

const Mark = Type.Union([
  Type.Object({ type: Type.Literal('bold') }),
  Type.Object({ type: Type.Literal('italic') }),
  Type.Object({ type: Type.Literal('link'), attrs: Type.Object({ href: Type.String({ maxLength: 2048 }) }, { additionalProperties: true }) }),
]);

export const BodyNode = Type.Recursive(
  (Node) =>
    Type.Object(
      {
        type: Type.String({ maxLength: 40 }),
        text: Type.Optional(Type.String({ maxLength: 100_000 })),
        attrs: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
        marks: Type.Optional(Type.Array(Mark, { maxItems: 10 })),
        content: Type.Optional(Type.Array(Node, { maxItems: 5000 })),
      },
      { additionalProperties: true },
    ),
  { $id: 'BodyNode' },
);
export type BodyNode = Static<typeof BodyNode>;

export const BodyDoc = Type.Object({
  type: Type.Literal('doc'),
  content: Type.Array(BodyNode as TSchema, { maxItems: 5000 }),
});
export type BodyDoc = { type: 'doc'; content: BodyNode[] };

const checkDoc = TypeCompiler.Compile(BodyDoc);

export type BlockType = 'paragraph' | 'heading' | 'list' | 'quote' | 'pullquote' | 'image' | 'embed' | 'rule';

export interface RenderedBlock {
  type: BlockType;
  html: string;
}

export interface RenderedBody {
  blocks: RenderedBlock[];
  wordCount: number;
  text: string;
}

/** The allowlist every stored body passes, whatever produced it. */
const SANITIZE: sanitizeHtmlModule.IOptions = {
  allowedTags: [
    'p', 'h2', 'h3', 'h4', 'strong', 'em', 'a', 'ul', 'ol', 'li', 'blockquote', 'figure', 'figcaption',
    'img', 'hr', 'br', 'cite', 'span',
  ],
  allowedAttributes: {
    a: ['href', 'rel', 'class'],
    img: ['src', 'alt', 'width', 'height', 'loading', 'decoding', 'srcset', 'sizes'],
    figure: ['class', 'data-embed'],
    ol: ['start'],
    span: ['class'],
    blockquote: ['class'],
    p: ['class'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowProtocolRelative: false,
  transformTags: {
    a: (tagName, attribs) => {
      const external = /^https?:\/\//i.test(attribs.href ?? '');
      return { tagName, attribs: external ? { ...attribs, rel: 'noopener' } : attribs };
    },
  },
};

// Loaded on first use: only saves sanitize, reader pages never do, and the module
// (with its HTML parser and PostCSS) is a tenth of the program's start-up.
const requireLazily = createRequire(import.meta.url);
let sanitizeHtml: typeof sanitizeHtmlModule | undefined;

/** `extraTags` (no attributes) lets importers keep tags they map onto the document, e.g. h1 or b. */
export function sanitizeBodyHtml(input: string, extraTags: readonly string[] = []): string {
  sanitizeHtml ??= requireLazily('sanitize-html') as typeof sanitizeHtmlModule;
  if (!extraTags.length) return sanitizeHtml(input, SANITIZE);
  return sanitizeHtml(input, { ...SANITIZE, allowedTags: [...(SANITIZE.allowedTags as string[]), ...extraTags] });
}

export function validateDoc(input: unknown): BodyDoc {
  if (!checkDoc.Check(input)) {
    const first = checkDoc.Errors(input).First();
    throw new Invalid('The article body is not a valid document', [
      { path: `/body${first?.path ?? ''}`, message: first?.message ?? 'invalid document' },
    ]);
  }
  return cleanDoc(input as BodyDoc);
}

/**
 * The stored document itself is kept free of addresses that could run script
 * or leave the page unexpectedly (`javascript:`, `data:`, `//host`): images and
 * embeds with such an address are dropped, such links lose their link mark.
 * The rendered HTML is safe either way; this keeps the source safe too, for
 * the editor that loads it and for apps that render the structured blocks.
 */
function cleanDoc(doc: BodyDoc): BodyDoc {
  const cleanNodes = (nodes: readonly BodyNode[]): BodyNode[] => {
    const out: BodyNode[] = [];
    for (const node of nodes) {
      if (node.type === 'image') {
        const src = safeHref(attr(node, 'src'));
        if (!src || !/^(https?:|\/)/i.test(src)) continue;
      }
      if (node.type === 'embed' && !describeEmbed(str(attr(node, 'url')))) continue;
      let next = node;
      if (node.marks?.some((m) => m.type === 'link' && !safeHref(m.attrs.href))) {
        next = { ...next, marks: node.marks.filter((m) => m.type !== 'link' || safeHref(m.attrs.href)) };
      }
      if (node.content) next = { ...next, content: cleanNodes(node.content) };
      out.push(next);
    }
    return out;
  };
  return { type: 'doc', content: cleanNodes(doc.content) };
}

function safeHref(href: unknown): string | null {
  if (typeof href !== 'string') return null;
  const value = href.trim();
  if (/^(https?:|mailto:)/i.test(value) || value.startsWith('#')) return value;
  // Site-relative, but not protocol-relative (`//host`, `/\host`): those leave the site.
  if (value.startsWith('/') && !/^\/[/\\]/.test(value)) return value;
  return null;
}

function attr(node: BodyNode, name: string): unknown {
  return node.attrs?.[name];
}

function str(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : fallback;
}

function inline(nodes: readonly BodyNode[] | undefined, words: { count: number; text: string[] }): string {
  let out = '';
  // Text runs of one block join without a space: marks can split a word ("un<b>believ</b>able").
  let plain = '';
  for (const node of nodes ?? []) {
    if (node.type === 'hardBreak') {
      out += '<br>';
      plain += ' ';
      continue;
    }
    if (node.type !== 'text' || typeof node.text !== 'string') continue;
    plain += node.text;
    let piece = escapeHtml(node.text);
    for (const mark of node.marks ?? []) {
      if (mark.type === 'bold') piece = `<strong>${piece}</strong>`;
      else if (mark.type === 'italic') piece = `<em>${piece}</em>`;
      else if (mark.type === 'link') {
        const href = safeHref(mark.attrs.href);
        if (href) piece = `<a href="${escapeHtml(href)}">${piece}</a>`;
      }
    }
    out += piece;
  }
  if (plain.trim()) words.text.push(plain);
  return out;
}

export interface EmbedInfo {
  provider: 'youtube' | 'x' | 'instagram' | 'facebook' | 'bluesky' | 'link';
  url: string;
  videoId?: string;
}

const EMBED_HOSTS: [RegExp, EmbedInfo['provider']][] = [
  [/(^|\.)youtube\.com$|^youtu\.be$/, 'youtube'],
  [/(^|\.)(x|twitter)\.com$/, 'x'],
  [/(^|\.)instagram\.com$/, 'instagram'],
  [/(^|\.)facebook\.com$|^fb\.watch$/, 'facebook'],
  [/^bsky\.app$/, 'bluesky'],
];

export function describeEmbed(raw: string): EmbedInfo | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  const host = url.hostname.toLowerCase();
  const provider = EMBED_HOSTS.find(([pattern]) => pattern.test(host))?.[1] ?? 'link';
  const info: EmbedInfo = { provider, url: url.toString() };
  if (provider === 'youtube') {
    const id = host === 'youtu.be' ? url.pathname.slice(1) : (url.searchParams.get('v') ?? url.pathname.split('/').pop() ?? '');
    if (/^[A-Za-z0-9_-]{6,20}$/.test(id)) info.videoId = id;
  }
  return info;
}

const PROVIDER_NAMES: Record<EmbedInfo['provider'], string> = {
  youtube: 'Watch on YouTube',
  x: 'View the post on X',
  instagram: 'View the post on Instagram',
  facebook: 'View the post on Facebook',
  bluesky: 'View the post on Bluesky',
  link: 'Open the link',
};

/**
 * Embeds are stored as a URL and rendered as a link card: no third-party script
 * or request happens until a reader chooses to follow it (privacy, speed, CSP).
 */
function renderEmbed(raw: string): string | null {
  const info = describeEmbed(raw);
  if (!info) return null;
  const host = new URL(info.url).hostname.replace(/^www\./, '');
  return (
    `<figure class="embed embed-${info.provider}" data-embed="${info.provider}">` +
    `<a href="${escapeHtml(info.url)}">${escapeHtml(PROVIDER_NAMES[info.provider])}</a>` +
    `<figcaption>${escapeHtml(host)}</figcaption></figure>`
  );
}

function listItems(node: BodyNode, words: { count: number; text: string[] }): string {
  let out = '';
  for (const item of node.content ?? []) {
    if (item.type !== 'listItem') continue;
    let inner = '';
    for (const child of item.content ?? []) {
      if (child.type === 'paragraph') inner += inline(child.content, words);
      else if (child.type === 'bulletList' || child.type === 'orderedList') inner += renderList(child, words);
    }
    out += `<li>${inner}</li>`;
  }
  return out;
}

function renderList(node: BodyNode, words: { count: number; text: string[] }): string {
  if (node.type === 'orderedList') {
    const start = Number(attr(node, 'start') ?? 1);
    const startAttr = Number.isInteger(start) && start !== 1 ? ` start="${start}"` : '';
    return `<ol${startAttr}>${listItems(node, words)}</ol>`;
  }
  return `<ul>${listItems(node, words)}</ul>`;
}

function renderBlock(node: BodyNode, words: { count: number; text: string[] }): RenderedBlock | null {
  switch (node.type) {
    case 'paragraph': {
      const content = inline(node.content, words);
      if (!content.replace(/<br>/g, '').trim()) return null; // empty paragraphs are editor noise
      return { type: 'paragraph', html: `<p>${content}</p>` };
    }
    case 'heading': {
      const level = Math.min(4, Math.max(2, Number(attr(node, 'level') ?? 2) || 2));
      return { type: 'heading', html: `<h${level}>${inline(node.content, words)}</h${level}>` };
    }
    case 'bulletList':
    case 'orderedList':
      return { type: 'list', html: renderList(node, words) };
    case 'blockquote': {
      const inner = (node.content ?? [])
        .filter((c) => c.type === 'paragraph')
        .map((c) => `<p>${inline(c.content, words)}</p>`)
        .join('');
      return { type: 'quote', html: `<blockquote>${inner}</blockquote>` };
    }
    case 'pullQuote': {
      const text = inline(node.content, words);
      const attribution = str(attr(node, 'attribution'));
      return {
        type: 'pullquote',
        html:
          `<figure class="pullquote"><blockquote class="pullquote-text"><p>${text}</p></blockquote>` +
          (attribution ? `<figcaption>${escapeHtml(attribution)}</figcaption>` : '') +
          `</figure>`,
      };
    }
    case 'horizontalRule':
      return { type: 'rule', html: '<hr>' };
    case 'image': {
      const src = safeHref(attr(node, 'src'));
      if (!src || !/^(https?:|\/)/i.test(src)) return null; // not mailto: or #: the sanitizer would leave an empty <img>
      const width = Number(attr(node, 'width'));
      const height = Number(attr(node, 'height'));
      const size =
        Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0
          ? ` width="${width}" height="${height}"`
          : '';
      const caption = str(attr(node, 'caption'));
      const credit = str(attr(node, 'credit'));
      const figcaption =
        caption || credit
          ? `<figcaption>${escapeHtml(caption)}${credit ? ` <span class="credit">${escapeHtml(credit)}</span>` : ''}</figcaption>`
          : '';
      return {
        type: 'image',
        html: `<figure class="body-image"><img src="${escapeHtml(src)}" alt="${escapeHtml(str(attr(node, 'alt')))}"${size} loading="lazy" decoding="async">${figcaption}</figure>`,
      };
    }
    case 'embed': {
      const rendered = renderEmbed(str(attr(node, 'url')));
      return rendered ? { type: 'embed', html: rendered } : null;
    }
    default:
      return null; // unknown node types are dropped, never passed through
  }
}

export function renderBody(doc: BodyDoc): RenderedBody {
  const words = { count: 0, text: [] as string[] };
  const blocks: RenderedBlock[] = [];
  for (const node of doc.content) {
    const block = renderBlock(node, words);
    if (block) blocks.push({ type: block.type, html: sanitizeBodyHtml(block.html) });
  }
  const text = words.text.join(' ');
  const wordCount = text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
  return { blocks, wordCount, text };
}

export function blocksToHtml(blocks: readonly RenderedBlock[]): string {
  let out = '';
  for (const block of blocks) out += block.html;
  return out;
}

/** Minutes at 230 words per minute, never less than one. */
export function readingMinutes(wordCount: number): number {
  return Math.max(1, Math.round(wordCount / 230));
}

/** A plain-text document from paragraphs: for tests, imports and the CLI. */
export function docFromParagraphs(paragraphs: readonly string[]): BodyDoc {
  return {
    type: 'doc',
    content: paragraphs.map((text) => ({ type: 'paragraph', content: text ? [{ type: 'text', text }] : [] })),
  };
}
