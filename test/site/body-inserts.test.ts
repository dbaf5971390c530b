import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planInserts, weaveBody, type BodyInsert } from '../../src/site/body-inserts.js';
import type { BlockType, RenderedBlock } from '../../src/newsroom/body.js';

const b = (type: BlockType, n: number | string): RenderedBlock => ({ type, html: `<${type}-${n}>` });
const p = (n: number) => b('paragraph', n);
const ins = (kind: string, afterParagraph: number, extra: Partial<BodyInsert> = {}): BodyInsert => ({ kind, afterParagraph, html: `[${kind}]`, ...extra });

test('places an insert right after the requested paragraph', () => {
  const blocks = [p(1), p(2), p(3), p(4), p(5)];
  const woven = weaveBody(blocks, [ins('related', 3)]);
  assert.equal(woven.html, '<paragraph-1><paragraph-2><paragraph-3>[related]<paragraph-4><paragraph-5>');
});

test('never places an insert before or after a list, quote, image or embed: slides to the next gap between paragraphs', () => {
  for (const type of ['list', 'quote', 'embed', 'image', 'pullquote', 'heading', 'rule'] as const) {
    const blocks = [p(1), p(2), p(3), b(type, 'x'), p(4), p(5), p(6)];
    const woven = weaveBody(blocks, [ins('related', 3)]);
    assert.equal(woven.html, `<paragraph-1><paragraph-2><paragraph-3><${type}-x><paragraph-4>[related]<paragraph-5><paragraph-6>`, type);
  }
});

test('does not place after the last paragraph unless asked; then appends at the end', () => {
  const blocks = [p(1), p(2), p(3)];
  assert.deepEqual(weaveBody(blocks, [ins('related', 3)]).dropped, ['related']);
  assert.equal(weaveBody(blocks, [ins('related', 3)]).html, '<paragraph-1><paragraph-2><paragraph-3>');
  assert.equal(weaveBody(blocks, [ins('prompt', 3, { fallback: 'end' })]).html, '<paragraph-1><paragraph-2><paragraph-3>[prompt]');
});

test('a short article takes fewer inserts', () => {
  const blocks = [p(1), p(2)];
  const woven = weaveBody(blocks, [ins('a', 1), ins('b', 2), ins('c', 7)]);
  assert.equal(woven.html, '<paragraph-1>[a]<paragraph-2>');
  assert.deepEqual(woven.dropped.sort(), ['b', 'c']);
});

test('two inserts never share a gap, so they are never adjacent', () => {
  const blocks = [p(1), p(2), p(3), p(4), p(5), p(6)];
  const woven = weaveBody(blocks, [ins('related', 2), ins('prompt', 2)]);
  assert.equal(woven.html, '<paragraph-1><paragraph-2>[related]<paragraph-3>[prompt]<paragraph-4><paragraph-5><paragraph-6>');
  assert.doesNotMatch(woven.html, /\]\[/);
});

test('priority decides who gets a contested gap', () => {
  const blocks = [p(1), p(2), p(3), p(4)];
  const woven = weaveBody(blocks, [ins('low', 2), ins('high', 2, { priority: 10 })]);
  assert.equal(woven.html, '<paragraph-1><paragraph-2>[high]<paragraph-3>[low]<paragraph-4>');
});

test('paragraph numbers count only top-level paragraphs', () => {
  const blocks = [b('heading', 'h'), p(1), b('list', 'l'), p(2), p(3), b('quote', 'q'), p(4), p(5)];
  const plan = planInserts(blocks, [ins('x', 2)]);
  assert.deepEqual(plan.placed, [{ kind: 'x', afterBlock: 3 }]);
});

test('an article with no paragraphs at all drops inline inserts and keeps end ones', () => {
  const blocks = [b('image', 1), b('embed', 2)];
  const woven = weaveBody(blocks, [ins('x', 1), ins('y', 1, { fallback: 'end' })]);
  assert.equal(woven.html, '<image-1><embed-2>[y]');
  assert.deepEqual(woven.dropped, ['x']);
});

test('nonsense positions are treated as "after the first paragraph"', () => {
  const blocks = [p(1), p(2), p(3)];
  assert.equal(weaveBody(blocks, [ins('x', -4)]).html, '<paragraph-1>[x]<paragraph-2><paragraph-3>');
  assert.equal(weaveBody(blocks, [ins('x', 1.7)]).html, '<paragraph-1>[x]<paragraph-2><paragraph-3>');
});

test('without inserts the body is the blocks joined', () => {
  assert.equal(weaveBody([p(1), b('list', 2)], []).html, '<paragraph-1><list-2>');
});
