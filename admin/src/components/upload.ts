/**
 * Uploading one image to the media library (docs/media.md): multipart/form-data
 * with the file in a field named "file"; the server reads text fields only when
 * they come before the file, so `alt` goes first.
 */
import { api } from '../api';
import type { MediaItem } from '../types';

/** Image types the server can decode; used to pick files out of a drop or paste. */
export const ACCEPTED_IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/avif', 'image/gif'];

export function isUsableImage(file: File): boolean {
  return ACCEPTED_IMAGE_TYPES.includes(file.type);
}

/** The first image file in a drop or paste, if any (a clipboard may also hold HTML or text). */
export function firstImageFile(list: FileList | null | undefined): File | undefined {
  if (!list) return undefined;
  for (const file of Array.from(list)) if (file.type.startsWith('image/')) return file;
  return undefined;
}

/** Uploads the file and answers the library item (the existing one when the same file was uploaded before). */
export async function uploadImage(file: File, alt?: string): Promise<MediaItem> {
  const form = new FormData();
  if (alt) form.append('alt', alt);
  // Pasted screenshots arrive as "image.png"; the name only helps searching later.
  form.append('file', file, file.name || 'pasted-image');
  const answer = await api.post<{ media: MediaItem; duplicate: boolean }>('/media', form);
  return answer.media;
}

/** The smallest variant's URL, for thumbnails (falls back to the item's own URL). */
export function thumbnailUrl(item: MediaItem): string {
  let best: { width: number; url: string } | undefined;
  for (const variant of item.variants) {
    // Prefer formats every browser shows; AVIF/WebP of the same width are just as small, but JPEG/PNG always load.
    if (variant.format !== 'jpeg' && variant.format !== 'png' && variant.format !== 'jpg') continue;
    if (!best || variant.width < best.width) best = variant;
  }
  if (!best) for (const variant of item.variants) if (!best || variant.width < best.width) best = variant;
  return best?.url ?? item.url;
}
