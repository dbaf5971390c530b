/**
 * The editor's schema: exactly the node and mark types the server keeps
 * (src/newsroom/body.ts), so nothing typed or pasted is silently dropped on save.
 * paragraph, heading 2–4, bullet/ordered lists, blockquote (paragraphs only),
 * pullQuote, horizontalRule, image, embed, hardBreak; marks bold, italic, link.
 */
import { Extension, type AnyExtension, type JSONContent } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import Placeholder from '@tiptap/extension-placeholder';
// Both come with @tiptap/starter-kit (same version); imported to narrow what they may contain.
import Blockquote from '@tiptap/extension-blockquote';
import { ListItem } from '@tiptap/extension-list';
import { BodyImage } from './BodyImage';
import { Embed, EmbedPaste } from './Embed';
import { ImageUpload, type ImageUploadOptions } from './ImageUpload';
import { PullQuote } from './PullQuote';
import { safeHref } from './links';

export interface BodyExtensionOptions extends ImageUploadOptions {
  placeholder: string;
  /** Mod-K: the page opens its link dialog. */
  onLinkShortcut(): void;
}

export function bodyExtensions(options: BodyExtensionOptions): AnyExtension[] {
  return [
    StarterKit.configure({
      code: false,
      codeBlock: false,
      strike: false,
      underline: false,
      blockquote: false,
      listItem: false,
      heading: { levels: [2, 3, 4] },
      link: {
        openOnClick: false,
        autolink: true,
        linkOnPaste: true,
        defaultProtocol: 'https',
        protocols: ['http', 'https', 'mailto'],
        isAllowedUri: (url) => safeHref(url) !== null,
        HTMLAttributes: { rel: null, target: null },
      },
    }),
    // The server keeps only paragraphs inside quotes, and paragraphs and nested lists inside list items.
    Blockquote.extend({ content: 'paragraph+' }),
    ListItem.extend({ content: 'paragraph (bulletList | orderedList)*' }),
    PullQuote,
    Embed,
    EmbedPaste,
    BodyImage,
    ImageUpload.configure({ upload: options.upload, onBusy: options.onBusy, onError: options.onError }),
    Placeholder.configure({ placeholder: options.placeholder }),
    Extension.create({
      name: 'linkShortcut',
      addKeyboardShortcuts() {
        return {
          'Mod-k': () => {
            options.onLinkShortcut();
            return true;
          },
        };
      },
    }),
  ];
}

/** Node and mark types the editor knows: anything else in a stored document would make Tiptap drop the whole document. */
const NODES = new Set([
  'doc', 'paragraph', 'heading', 'bulletList', 'orderedList', 'listItem', 'blockquote', 'pullQuote',
  'horizontalRule', 'image', 'embed', 'hardBreak', 'text',
]);
const MARKS = new Set(['bold', 'italic', 'link']);

interface JsonNode {
  type?: string;
  content?: JsonNode[];
  marks?: { type?: string }[];
  [key: string]: unknown;
}

function fit(node: JsonNode): JsonNode | null {
  if (!node || typeof node.type !== 'string' || !NODES.has(node.type)) return null;
  const out: JsonNode = { ...node };
  if (Array.isArray(node.marks)) out.marks = node.marks.filter((m) => typeof m?.type === 'string' && MARKS.has(m.type));
  if (Array.isArray(node.content)) out.content = node.content.map(fit).filter((n): n is JsonNode => n !== null);
  return out;
}

/** A stored body as the editor can load it: unknown types left out, never an empty document. */
export function toEditorDoc(value: { content?: unknown[] } | null | undefined): JSONContent {
  const content = (value?.content ?? []).map((n) => fit(n as JsonNode)).filter((n): n is JsonNode => n !== null);
  return { type: 'doc', content: (content.length ? content : [{ type: 'paragraph' }]) as JSONContent[] };
}
