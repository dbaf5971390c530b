/**
 * Images in the body: a block figure with the picture and, when set, its caption
 * and credit. Attributes are exactly what the server renders (src, alt, width,
 * height, caption, credit); caption and credit belong to this use of the image,
 * not to the library item. Only http(s) and site-relative sources are accepted,
 * so a pasted Word document's local file:// or data: pictures are left out.
 */
import Image from '@tiptap/extension-image';
import { safeHref } from './links';

export interface ImageAttrs {
  src: string;
  alt: string;
  width: number | null;
  height: number | null;
  caption: string;
  credit: string;
}

declare module '@tiptap/core' {
  interface Commands<ReturnType> {
    bodyImage: {
      insertBodyImage: (attrs: ImageAttrs, at?: number) => ReturnType;
    };
  }
}

function imgOf(element: HTMLElement): HTMLImageElement | null {
  return element.tagName === 'IMG' ? (element as HTMLImageElement) : element.querySelector('img');
}

function usableSrc(src: string | null | undefined): string | null {
  const safe = src ? safeHref(src) : null;
  return safe && /^(https?:|\/)/i.test(safe) ? safe : null;
}

function size(value: string | null | undefined): number | null {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : null;
}

/** The figcaption's text without the credit span, and the credit. */
function captionParts(element: HTMLElement): { caption: string; credit: string } {
  const figcaption = element.tagName === 'FIGURE' ? element.querySelector('figcaption') : null;
  if (!figcaption) return { caption: '', credit: '' };
  const copy = figcaption.cloneNode(true) as HTMLElement;
  const credit = copy.querySelector('.credit');
  const creditText = credit?.textContent?.trim() ?? '';
  credit?.remove();
  return { caption: copy.textContent?.trim() ?? '', credit: creditText };
}

export const BodyImage = Image.extend({
  addOptions() {
    return { ...this.parent!(), inline: false, allowBase64: false };
  },

  // Replaces the parent's attributes (no title): each one reads the <figure> or a bare <img>.
  addAttributes() {
    return {
      src: { default: null, parseHTML: (el) => usableSrc(imgOf(el)?.getAttribute('src')), renderHTML: () => ({}) },
      alt: { default: '', parseHTML: (el) => imgOf(el)?.getAttribute('alt') ?? '', renderHTML: () => ({}) },
      width: { default: null, parseHTML: (el) => size(imgOf(el)?.getAttribute('width')), renderHTML: () => ({}) },
      height: { default: null, parseHTML: (el) => size(imgOf(el)?.getAttribute('height')), renderHTML: () => ({}) },
      caption: { default: '', parseHTML: (el) => captionParts(el).caption, renderHTML: () => ({}) },
      credit: { default: '', parseHTML: (el) => captionParts(el).credit, renderHTML: () => ({}) },
    };
  },

  parseHTML() {
    const keep = (el: HTMLElement) => (usableSrc(imgOf(el)?.getAttribute('src')) ? null : false);
    return [
      { tag: 'figure.body-image', getAttrs: keep },
      { tag: 'img[src]', getAttrs: keep },
    ];
  },

  renderHTML({ node }) {
    const { src, alt, width, height, caption, credit } = node.attrs as ImageAttrs;
    const img = ['img', { src, alt, width: width ?? undefined, height: height ?? undefined, draggable: 'false' }];
    if (!caption && !credit) return ['figure', { class: 'body-image' }, img];
    const figcaption: unknown[] = ['figcaption', {}, caption];
    if (credit) figcaption.push(['span', { class: 'credit' }, credit]);
    return ['figure', { class: 'body-image' }, img, figcaption] as never;
  },

  addCommands() {
    return {
      ...this.parent?.(),
      insertBodyImage:
        (attrs, at) =>
        ({ commands }) => {
          const content = { type: this.name, attrs };
          return at === undefined ? commands.insertContent(content) : commands.insertContentAt(at, content);
        },
    };
  },
});
