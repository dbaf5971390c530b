/**
 * The newsroom picks one accent colour for a newsletter; these make sure text
 * in that colour stays readable on the light background and on the dark one
 * (mail clients in dark mode), by blending it towards black or white until it
 * reaches WCAG's 4.5:1 contrast for body text.
 */

type Rgb = [number, number, number];

function parse(hex: string): Rgb {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function format([r, g, b]: Rgb): string {
  return `#${[r, g, b].map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;
}

function luminance([r, g, b]: Rgb): number {
  const channel = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

export function contrast(a: string, b: string): number {
  const [x, y] = [luminance(parse(a)), luminance(parse(b))].sort((p, q) => q - p) as [number, number];
  return (x + 0.05) / (y + 0.05);
}

const mix = (from: Rgb, to: Rgb, t: number): Rgb => [0, 1, 2].map((i) => from[i]! + (to[i]! - from[i]!) * t) as Rgb;

/** `color`, or the nearest blend of it towards black or white that reads on `background` at 4.5:1. */
export function readableOn(color: string, background: string): string {
  if (contrast(color, background) >= 4.5) return color.toLowerCase();
  const towards: Rgb = luminance(parse(background)) > 0.5 ? [0, 0, 0] : [255, 255, 255];
  for (let t = 0.1; t < 1; t += 0.1) {
    const candidate = format(mix(parse(color), towards, t));
    if (contrast(candidate, background) >= 4.5) return candidate;
  }
  return format(towards);
}

export const PALETTE = {
  light: { page: '#f2f1ed', card: '#ffffff', text: '#1b1b1b', muted: '#555555', rule: '#dddddd' },
  dark: { page: '#111111', card: '#1d1d1d', text: '#ececec', muted: '#b5b5b5', rule: '#3a3a3a' },
  defaultAccent: '#b3261e',
} as const;
