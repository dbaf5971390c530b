/**
 * The web app's icons, made from the site logo (setting `logoUrl`; without one, public/assets/logo.png)
 * with sharp: 192 and 512 px ("any"), the same as "maskable" (the logo inside the central safe zone that
 * launchers may crop to a circle), and a 180 px Apple touch icon. Opaque, on the app's background colour.
 *
 * Made once per (logo, background) and kept in memory; a changed logo setting or colour makes a new set
 * with a new content hash (the hash is in the icons' URLs, so they are cached for a year). A logo that
 * cannot be read (gone, not an image, unreachable) falls back to the shipped one, and is tried again a
 * few minutes later.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import fs from 'node:fs/promises';
import path from 'node:path';
import type sharpModule from 'sharp';
import type { Logger } from 'pino';
import { publicDir } from '../shared/paths.js';

const requireLazily = createRequire(import.meta.url);
let sharpLoaded: typeof sharpModule | undefined;
const sharp = (input: Buffer) => {
  sharpLoaded ??= requireLazily('sharp') as typeof sharpModule;
  return sharpLoaded(input, { limitInputPixels: 40_000_000 });
};

export const DEFAULT_LOGO_FILE = path.join(publicDir, 'assets', 'logo.png');
/** Bump when the drawing below changes, so browsers fetch the new icons. */
const GENERATOR_VERSION = '1';
const MAX_LOGO_BYTES = 5 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 5_000;
const RETRY_FAILED_MS = 5 * 60_000;

export const ICON_NAMES = ['icon-192.png', 'icon-512.png', 'maskable-192.png', 'maskable-512.png', 'apple-touch-icon.png'] as const;
export type IconName = (typeof ICON_NAMES)[number];

export interface IconSet {
  /** Content hash of the whole set (in the icons' URLs). */
  hash: string;
  files: Record<IconName, Buffer>;
  /** Set when the configured logo could not be used: when it is tried again (epoch ms). */
  retryAt?: number;
}

export interface IconSource {
  logoUrl: string;
  background: string;
}

/** Where local logo paths live: `/assets/...` in public/assets, `/media/...` in the media folder. */
export interface LogoFolders {
  media: string;
  publicUrl: string;
}

/** How much of the icon the logo may fill: "any" icons keep a margin; maskable ones stay inside the 80% safe circle. */
const FILL: Record<'any' | 'maskable' | 'apple', number> = { any: 0.84, maskable: 0.56, apple: 0.8 };

async function drawIcon(logo: Buffer, size: number, fill: number, background: string): Promise<Buffer> {
  const inner = Math.round(size * fill);
  const fitted = await sharp(logo)
    .resize(inner, inner, { fit: 'contain', background: { r: 0, g: 0, b: 0, alpha: 0 } })
    .png()
    .toBuffer();
  return sharpLoaded!({ create: { width: size, height: size, channels: 4, background } })
    .composite([{ input: fitted, gravity: 'centre' }])
    .flatten({ background })
    .png({ compressionLevel: 9 })
    .toBuffer();
}

export async function renderIcons(logo: Buffer, background: string): Promise<IconSet> {
  // Decoding once here turns a file that is not an image into an error before anything is drawn.
  await sharp(logo).metadata();
  const [a192, a512, m192, m512, apple] = await Promise.all([
    drawIcon(logo, 192, FILL.any, background),
    drawIcon(logo, 512, FILL.any, background),
    drawIcon(logo, 192, FILL.maskable, background),
    drawIcon(logo, 512, FILL.maskable, background),
    drawIcon(logo, 180, FILL.apple, background),
  ]);
  const files: Record<IconName, Buffer> = { 'icon-192.png': a192, 'icon-512.png': a512, 'maskable-192.png': m192, 'maskable-512.png': m512, 'apple-touch-icon.png': apple };
  const hash = createHash('sha1');
  hash.update(GENERATOR_VERSION);
  for (const name of ICON_NAMES) hash.update(files[name]);
  return { hash: hash.digest('hex').slice(0, 12), files };
}

/** Reads a file inside `root` only (a setting like `/assets/../../etc/passwd` does not leave it). */
async function readInside(root: string, relative: string): Promise<Buffer> {
  const file = path.resolve(root, relative);
  if (!file.startsWith(path.resolve(root) + path.sep)) throw new Error('logo path leaves its folder');
  const stat = await fs.stat(file);
  if (stat.size > MAX_LOGO_BYTES) throw new Error('logo file too large');
  return fs.readFile(file);
}

async function fetchLogo(url: URL): Promise<Buffer> {
  const response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'follow' });
  if (!response.ok) throw new Error(`logo answered ${response.status}`);
  const length = Number(response.headers.get('content-length') ?? 0);
  if (length > MAX_LOGO_BYTES) throw new Error('logo too large');
  const body = Buffer.from(await response.arrayBuffer());
  if (body.length > MAX_LOGO_BYTES) throw new Error('logo too large');
  return body;
}

/** The logo's bytes from the setting: a path on this site (its own files) or an http(s) address. */
export async function loadLogo(logoUrl: string, folders: LogoFolders): Promise<Buffer> {
  if (!logoUrl) return fs.readFile(DEFAULT_LOGO_FILE);
  if (logoUrl.startsWith('/')) {
    const pathname = decodeURIComponent(logoUrl.split(/[?#]/)[0]!);
    if (pathname.startsWith('/assets/')) return readInside(path.join(publicDir, 'assets'), pathname.slice('/assets/'.length));
    if (pathname.startsWith('/media/')) return readInside(folders.media, pathname.slice('/media/'.length));
    return fetchLogo(new URL(logoUrl, folders.publicUrl));
  }
  return fetchLogo(new URL(logoUrl));
}

/** The current icon set for the settings, made on first use and again when the logo or colour changes. */
export class AppIcons {
  private entry?: { key: string; set: Promise<IconSet>; retryAt?: number };

  constructor(
    private readonly folders: LogoFolders,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  current(source: IconSource): Promise<IconSet> {
    const key = `${source.logoUrl}\n${source.background}`;
    const entry = this.entry;
    if (entry && entry.key === key && (entry.retryAt === undefined || entry.retryAt > this.now())) return entry.set;
    const next: { key: string; set: Promise<IconSet>; retryAt?: number } = { key, set: Promise.resolve() as unknown as Promise<IconSet> };
    next.set = this.make(source, () => (next.retryAt = this.now() + RETRY_FAILED_MS));
    this.entry = next;
    return next.set;
  }

  private async make(source: IconSource, onFallback: () => number): Promise<IconSet> {
    try {
      return await renderIcons(await loadLogo(source.logoUrl, this.folders), source.background);
    } catch (error) {
      this.log.warn({ err: error, logoUrl: source.logoUrl }, 'web app icons: the site logo could not be used; using the default logo');
      const retryAt = onFallback();
      return { ...(await renderIcons(await fs.readFile(DEFAULT_LOGO_FILE), source.background)), retryAt };
    }
  }
}
