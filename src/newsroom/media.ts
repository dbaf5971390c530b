/** How stored media becomes <img> attributes on the site. */
import type { MediaRow } from '../db/schema.js';

export interface MediaVariant {
  width: number;
  height: number;
  key: string;
  format: 'jpeg' | 'webp' | 'avif' | 'png' | 'gif';
}

export interface ImageRef {
  src: string;
  width: number;
  height: number;
  alt: string;
  caption: string;
  credit: string;
  /** `srcset` of same-format variants, empty when there are none. */
  srcset: string;
  mime: string;
  /** Modern formats of the same widths, best first (AVIF, then WebP), for `<picture>` sources; empty when there are none. */
  sources: { type: string; srcset: string }[];
}

const MODERN_FORMATS = ['avif', 'webp'] as const;

export function mediaUrl(key: string): string {
  return `/media/${key}`;
}

export function parseVariants(json: string): MediaVariant[] {
  try {
    const value = JSON.parse(json) as unknown;
    return Array.isArray(value) ? (value as MediaVariant[]) : [];
  } catch {
    return [];
  }
}

export function imageRef(
  media: Pick<MediaRow, 'storage_key' | 'width' | 'height' | 'alt' | 'caption' | 'credit' | 'variants' | 'mime'>,
  overrides: { alt?: string; caption?: string; credit?: string } = {},
): ImageRef {
  const all = parseVariants(media.variants).sort((a, b) => a.width - b.width);
  const setOf = (list: MediaVariant[]) => list.map((v) => `${mediaUrl(v.key)} ${v.width}w`).join(', ');
  const fallback = media.mime.replace('image/', '');
  const variants = all.filter((v) => v.format === 'jpeg' || v.format === fallback);
  const srcset = variants.length ? setOf(variants) : '';
  const sources = srcset
    ? MODERN_FORMATS.flatMap((format) => {
        const list = all.filter((v) => v.format === format);
        return list.length && format !== fallback ? [{ type: `image/${format}`, srcset: setOf(list) }] : [];
      })
    : [];
  return {
    src: mediaUrl(media.storage_key),
    width: media.width,
    height: media.height,
    alt: overrides.alt || media.alt,
    caption: overrides.caption || media.caption,
    credit: overrides.credit || media.credit,
    srcset,
    mime: media.mime,
    sources,
  };
}
