/**
 * The body-insert pipeline: the one place where anything is woven into an
 * article's body (related-story links, reader-revenue prompts ...).
 *
 * Inserts go only into gaps between two top-level paragraphs: never inside or
 * beside a list, quote, table, image or embed, and never after the last
 * paragraph unless the insert asks for the end. Each gap takes one insert, so
 * two inserts are never adjacent. An insert whose paragraph is followed by
 * something other than a paragraph slides down to the next free gap.
 */
import type { RenderedBlock } from '../newsroom/body.js';

export interface BodyInsert {
  /** What it is, e.g. "related" or "prompt:donation"; rendered as data-insert on the wrapper. */
  kind: string;
  /** 1-based: place after this top-level paragraph (or the first free gap after it). */
  afterParagraph: number;
  html: string;
  /** When no gap is left: append at the end of the body ("end"), or leave it out ("drop", the default). */
  fallback?: 'end' | 'drop';
  /** Higher goes first when inserts compete for gaps. Default 0. */
  priority?: number;
  /** Cache tags of what the insert shows (e.g. the linked articles), so the page is re-rendered when they change. */
  tags?: string[];
}

export interface PlacedInsert {
  kind: string;
  /** Index in `blocks` after which the insert stands (blocks.length - 1 for the end). */
  afterBlock: number;
}

export interface WovenBody {
  html: string;
  placed: PlacedInsert[];
  dropped: string[];
}

/** Indices of blocks after which an insert may stand: a paragraph followed by a paragraph. */
function gaps(blocks: readonly RenderedBlock[]): { afterBlock: number; paragraphNumber: number }[] {
  const result: { afterBlock: number; paragraphNumber: number }[] = [];
  let paragraphNumber = 0;
  for (let i = 0; i < blocks.length; i++) {
    if (blocks[i]!.type !== 'paragraph') continue;
    paragraphNumber++;
    if (blocks[i + 1]?.type === 'paragraph') result.push({ afterBlock: i, paragraphNumber });
  }
  return result;
}

export function planInserts(blocks: readonly RenderedBlock[], inserts: readonly BodyInsert[]): { placed: PlacedInsert[]; dropped: string[]; atEnd: BodyInsert[]; byBlock: Map<number, BodyInsert> } {
  const available = gaps(blocks);
  const taken = new Set<number>();
  const byBlock = new Map<number, BodyInsert>();
  const atEnd: BodyInsert[] = [];
  const dropped: string[] = [];
  const ordered = inserts
    .map((insert, index) => ({ insert, index }))
    .sort((a, b) => (b.insert.priority ?? 0) - (a.insert.priority ?? 0) || a.insert.afterParagraph - b.insert.afterParagraph || a.index - b.index);
  for (const { insert } of ordered) {
    const wanted = Math.max(1, Math.floor(insert.afterParagraph));
    const gap = available.find((g) => g.paragraphNumber >= wanted && !taken.has(g.afterBlock));
    if (gap) {
      taken.add(gap.afterBlock);
      byBlock.set(gap.afterBlock, insert);
    } else if (insert.fallback === 'end') {
      atEnd.push(insert);
    } else {
      dropped.push(insert.kind);
    }
  }
  const placed: PlacedInsert[] = [...byBlock.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([afterBlock, insert]) => ({ kind: insert.kind, afterBlock }));
  for (const insert of atEnd) placed.push({ kind: insert.kind, afterBlock: blocks.length - 1 });
  return { placed, dropped, atEnd, byBlock };
}

export function weaveBody(blocks: readonly RenderedBlock[], inserts: readonly BodyInsert[]): WovenBody {
  if (inserts.length === 0) {
    let html = '';
    for (const block of blocks) html += block.html;
    return { html, placed: [], dropped: [] };
  }
  const plan = planInserts(blocks, inserts);
  let html = '';
  for (let i = 0; i < blocks.length; i++) {
    html += blocks[i]!.html;
    const insert = plan.byBlock.get(i);
    if (insert) html += insert.html;
  }
  for (const insert of plan.atEnd) html += insert.html;
  return { html, placed: plan.placed, dropped: plan.dropped };
}
