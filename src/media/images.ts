/**
 * Uploaded images: validated by decoding them (never by name or declared
 * type), turned upright, stripped of every piece of metadata (EXIF, GPS, XMP,
 * IPTC, comments), and rendered once into the responsive variants the site
 * serves: each width in AVIF, WebP and a fallback (JPEG, or PNG when the
 * image really has transparency).
 *
 * The whole input is decoded exactly once, into pixels no wider than the
 * largest variant; every variant is encoded from those pixels. A truncated
 * or corrupt file fails that decode, so nothing is ever made from half an
 * image. Animated GIF and WebP keep their first frame.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type sharpModule from 'sharp';
import type { Metadata, OutputInfo, Sharp } from 'sharp';

// sharp (libvips) is loaded on the first upload, not at start-up: most processes never decode an image.
const requireLazily = createRequire(import.meta.url);
let sharpLoaded: typeof sharpModule | undefined;
const sharp = ((...args: Parameters<typeof sharpModule>) => {
  sharpLoaded ??= requireLazily('sharp') as typeof sharpModule;
  return sharpLoaded(...args);
}) as typeof sharpModule;
import { Invalid } from '../shared/errors.js';
import type { MediaVariant } from '../newsroom/media.js';

export const VARIANT_WIDTHS = [320, 640, 960, 1280, 1600] as const;
/** Larger than any camera a newsroom uses (~80 megapixels); refuses decompression bombs before decoding. */
export const DEFAULT_MAX_PIXELS = 80_000_000;

export type SourceFormat = 'jpeg' | 'png' | 'webp' | 'avif' | 'gif';
type OutputFormat = 'jpeg' | 'png' | 'webp' | 'avif';

const CONTENT_TYPES: Record<OutputFormat, string> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', avif: 'image/avif' };
const EXTENSIONS: Record<OutputFormat, string> = { jpeg: 'jpg', png: 'png', webp: 'webp', avif: 'avif' };
export const ACCEPTED_FORMATS = 'JPEG, PNG, WebP, AVIF or GIF';

export class NotAnImage extends Invalid {
  constructor(message = `This file is not an image we can use: upload a ${ACCEPTED_FORMATS} file`) {
    super(message, [{ path: '/file', message }]);
  }
}

export interface VariantFile extends MediaVariant {
  data: Buffer;
  contentType: string;
}

export interface ProcessedImage {
  /** SHA-256 (hex) of the uploaded bytes. */
  hash: string;
  sourceFormat: SourceFormat;
  /** Upright size of the uploaded image. */
  width: number;
  height: number;
  /** The format every browser shows: jpeg, or png for images with transparency. */
  fallback: 'jpeg' | 'png';
  /** Every variant, smallest first; the last fallback one is the image's main file. */
  variants: VariantFile[];
}

export interface ProcessOptions {
  /** Dates the storage keys (YYYY/MM/). */
  now: Date;
  maxPixels?: number;
}

function sourceFormat(meta: Metadata): SourceFormat | undefined {
  switch (meta.format) {
    case 'jpeg':
    case 'png':
    case 'webp':
    case 'gif':
      return meta.format;
    case 'heif':
      // HEIF is a container: AVIF is HEIF with AV1 inside (HEIC, with HEVC inside, is not accepted).
      return meta.compression === 'av1' ? 'avif' : undefined;
    default:
      return undefined;
  }
}

/** The widths to render for an image `width` pixels wide: the standard ones that fit, and the image's own width when smaller than the largest. */
export function variantWidths(width: number): number[] {
  const widths: number[] = VARIANT_WIDTHS.filter((w) => w <= width);
  const largest = VARIANT_WIDTHS[VARIANT_WIDTHS.length - 1]!;
  if (width < largest && !widths.includes(width)) widths.push(width);
  return widths;
}

export function storageKey(now: Date, hash: string, width: number, format: OutputFormat): string {
  const yyyy = String(now.getUTCFullYear());
  const mm = String(now.getUTCMonth() + 1).padStart(2, '0');
  return `${yyyy}/${mm}/${hash.slice(0, 16)}-${width}.${EXTENSIONS[format]}`;
}

function encode(pipeline: Sharp, format: OutputFormat): Sharp {
  switch (format) {
    case 'jpeg':
      return pipeline.jpeg({ quality: 82, mozjpeg: true });
    case 'png':
      return pipeline.png({ compressionLevel: 9, adaptiveFiltering: true });
    case 'webp':
      return pipeline.webp({ quality: 80, effort: 4 });
    case 'avif':
      return pipeline.avif({ quality: 55, effort: 2 });
  }
}

/** Validates and renders an uploaded image. Throws `NotAnImage` (400) for anything that is not a whole, accepted image. */
export async function processImage(input: Buffer, options: ProcessOptions): Promise<ProcessedImage> {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  const open = () => sharp(input, { failOn: 'truncated', limitInputPixels: maxPixels, sequentialRead: true });

  let meta: Metadata;
  try {
    // Only the header is read here; the pixel limit is checked below with a clearer message.
    meta = await sharp(input, { failOn: 'truncated', limitInputPixels: false }).metadata();
  } catch {
    throw new NotAnImage();
  }
  const format = sourceFormat(meta);
  if (!format || !meta.width || !meta.height) throw new NotAnImage();
  if (meta.width * meta.height > maxPixels) {
    throw new NotAnImage(`This image is too large to process (${meta.width} x ${meta.height} pixels; at most ${Math.round(maxPixels / 1_000_000)} megapixels)`);
  }

  // The one full decode: upright, no wider than the largest variant, in sRGB. No metadata survives a trip through raw pixels.
  const largest = VARIANT_WIDTHS[VARIANT_WIDTHS.length - 1]!;
  let pixels: { data: Buffer; info: OutputInfo };
  try {
    pixels = await open()
      .rotate()
      .resize({ width: largest, withoutEnlargement: true })
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    if (/pixel limit/i.test(message)) throw new NotAnImage(`This image has too many pixels (at most ${Math.round(maxPixels / 1_000_000)} megapixels)`);
    throw new NotAnImage(`This image is damaged or incomplete (was the upload cut short?): upload the whole ${ACCEPTED_FORMATS} file`);
  }
  const { width, height, channels } = pixels.info;
  const raw = () => sharp(pixels.data, { raw: { width, height, channels } });

  let transparent = false;
  if (channels === 4 || channels === 2) transparent = !(await raw().stats()).isOpaque;
  const fallback = transparent ? 'png' : 'jpeg';
  const upright = (meta.autoOrient ?? { width: meta.width, height: meta.height }) as { width: number; height: number };

  const hash = createHash('sha256').update(input).digest('hex');
  const jobs: Promise<VariantFile>[] = [];
  for (const w of variantWidths(width)) {
    const h = Math.max(1, Math.round((height * w) / width));
    for (const out of [fallback, 'webp', 'avif'] as const) {
      jobs.push(
        (async () => {
          let pipeline = raw();
          if (w !== width) pipeline = pipeline.resize({ width: w, height: h, fit: 'fill' });
          if (!transparent && channels === 4) pipeline = pipeline.removeAlpha();
          const data = await encode(pipeline, out).toBuffer();
          return { width: w, height: h, key: storageKey(options.now, hash, w, out), format: out, data, contentType: CONTENT_TYPES[out] };
        })(),
      );
    }
  }
  const variants = (await Promise.all(jobs)).sort((a, b) => a.width - b.width);
  return { hash, sourceFormat: format, width: upright.width, height: upright.height, fallback, variants };
}
