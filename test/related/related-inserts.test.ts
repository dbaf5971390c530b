/**
 * Where related links go in article bodies (pure: relatedInserts + the
 * body-insert pipeline), and how they reach readers over HTTP on both
 * databases: escaped, labelled by the site's settings, left out of feeds.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { relatedInserts } from '../../src/related/related.inserts.js';
import { weaveBody } from '../../src/site/body-inserts.js';
import { DEFAULT_SETTINGS } from '../../src/newsroom/settings.js';
import type { BlockType, RenderedBlock } from '../../src/newsroom/body.js';
import type { PickView } from '../../src/related/related.repository.js';
import { assertPostgresReachable, DIALECTS, startTestApp, type TestApp } from '../support/apps.js';
import { makeNewsroom, type Newsroom } from '../support/fixtures.js';
import { docFromParagraphs } from '../../src/newsroom/body.js';

const rules = DEFAULT_SETTINGS.related;
const section = { id: 1, slug: 'local', name: 'Local' };
const card = { id: 100, section } as unknown as Parameters<typeof relatedInserts>[0]['card'];

const pick = (id: number, headline = `Story ${id}`, sectionRef: PickView['section'] = section): PickView => ({
  id,
  kind: 'auto',
  position: id,
  score: 1,
  slug: `story-${id}`,
  headline,
  status: 'published',
  publishedAt: '2030-01-01T00:00:00.000Z',
  label: 'news',
  section: sectionRef,
});
const PICKS = [pick(1), pick(2), pick(3), pick(4, 'Elsewhere', { id: 2, slug: 'world', name: 'World' }), pick(5)];

const b = (type: BlockType, n: number | string): RenderedBlock => ({ type, html: `<${type}-${n}>` });
const p = (n: number) => b('paragraph', n);

/** The body as a compact string: paragraphs as their number, inserts as R (inline) and M (the More from list). */
function layout(blocks: RenderedBlock[], picks = PICKS, inline = true, r = rules): string {
  const inserts = relatedInserts({ card, blocks }, { inline, picks }, r);
  return weaveBody(blocks, inserts)
    .html.replace(/<paragraph-(\w+)>/g, '$1 ')
    .replace(/<(list|quote|embed|image|pullquote|heading)-\w+>/g, '[$1] ')
    .replace(/<aside class="related-inline".*?<\/aside>/g, 'R ')
    .replace(/<aside class="related-more".*?<\/aside>/g, 'M ')
    .trim();
}

describe('related links in article bodies', () => {
  test('a long article: after paragraphs 3 and 7, the More from list at the end', () => {
    const blocks = Array.from({ length: 10 }, (_, i) => p(i + 1));
    assert.equal(layout(blocks), '1 2 3 R 4 5 6 7 R 8 9 10 M');
  });

  test('a short article gets fewer links: one with room for one, none below the minimum length', () => {
    assert.equal(layout([1, 2, 3, 4, 5, 6].map(p)), '1 2 3 R 4 5 6 M', 'no gap after paragraph 7: the second link is left out');
    assert.equal(layout([1, 2, 3].map(p)), '1 2 3 M', 'too short for inline links');
    assert.equal(layout([1, 2, 3, 4].map(p)), '1 2 3 R 4 M');
  });

  test('never inside or beside a list, quote or embed standing at the insertion point: the link moves to the next gap', () => {
    for (const type of ['list', 'quote', 'embed', 'image', 'pullquote'] as const) {
      const blocks = [p(1), p(2), p(3), b(type, 'x'), p(4), p(5), p(6), p(7), p(8), p(9)];
      assert.equal(layout(blocks), `1 2 3 [${type}] 4 R 5 6 7 R 8 9 M`, type);
    }
    // Embeds right after paragraph 7 as well, and a list at the end.
    const blocks = [p(1), p(2), p(3), b('quote', 'q'), p(4), p(5), p(6), p(7), b('embed', 'e'), p(8), b('list', 'l')];
    assert.equal(layout(blocks), '1 2 3 [quote] 4 R 5 6 7 [embed] 8 [list] M', 'no gap left for the second link');
  });

  test('the More from list holds the section\'s other picks, not the inline ones, and is absent when switched off', () => {
    const blocks = Array.from({ length: 10 }, (_, i) => p(i + 1));
    const inserts = relatedInserts({ card, blocks }, { inline: true, picks: PICKS }, rules);
    const more = inserts.find((i) => i.kind === 'related:more')!;
    assert.deepEqual([...more.html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]), ['/local/story-3', '/local/story-5'], 'not the World story, not the inline ones');
    assert.deepEqual(more.tags, ['related:100', 'a:3', 'a:5']);
    const off = relatedInserts({ card, blocks }, { inline: true, picks: PICKS }, { ...rules, moreFromSection: false });
    assert.equal(off.find((i) => i.kind === 'related:more')!.html, '', 'the carrier of the page tag stays, empty');
    assert.equal(layout(blocks, PICKS, false), '1 2 3 4 5 6 7 8 9 10 M', 'inline links switched off for the article');
  });

  test('settings: count, positions and label', () => {
    const blocks = Array.from({ length: 12 }, (_, i) => p(i + 1));
    assert.equal(layout(blocks, PICKS, true, { ...rules, inlineCount: 3, afterParagraphs: [2, 5] }), '1 2 R 3 4 5 R 6 7 8 9 R 10 11 12 M', 'a third link four paragraphs after the last position');
    assert.equal(layout(blocks, PICKS, true, { ...rules, inlineCount: 0 }), '1 2 3 4 5 6 7 8 9 10 11 12 M');
    const inserts = relatedInserts({ card, blocks }, { inline: true, picks: [pick(9, 'Fire <script>alert(1)</script> & "smoke"')] }, { ...rules, label: 'Read <more>:' });
    assert.equal(
      inserts[0]!.html,
      '<aside class="related-inline" aria-label="Related story"><p><span class="related-label">Read &lt;more&gt;:</span> <a href="/local/story-9">Fire &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;smoke&quot;</a></p></aside>',
    );
    assert.deepEqual(inserts[0]!.tags, ['a:9']);
  });
});

for (const dialect of DIALECTS) {
  describe(`related links on pages and feeds on ${dialect}`, () => {
    let t: TestApp;
    let room: Newsroom;
    const paths: string[] = [];

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      t = await startTestApp(dialect);
      room = await makeNewsroom(t.app);
      const lines = (n: number) => [
        `The ferry Alder Queen ran aground near Gull Island on trip ${n}, and the Harbour Authority closed the crossing.`,
        'Passengers were taken off by lifeboat and nobody was hurt, the Harbour Authority said.',
        'Engineers from Kessick Marine will inspect the hull of the Alder Queen this week.',
        'Commuters from Gull Island face long detours by road until the crossing reopens.',
        'The Harbour Authority said a replacement ferry could be chartered from the mainland.',
        'Divers found a gash in the hull of the Alder Queen below the waterline.',
        'The crossing carries about two thousand passengers a day.',
        'An inquiry into the grounding will report in the spring.',
      ];
      for (const [n, headline] of ['Ferry Alder Queen runs aground off Gull Island', 'Alder Queen hull damage worse than feared', 'Gull Island commuters stranded as the Alder Queen stays in dock'].entries()) {
        const created = await t.app.articles.create({ headline: headline + (n === 2 ? ' & <angry>' : ''), dek: 'The Gull Island crossing is closed.', body: docFromParagraphs(lines(n)), sectionId: room.sections.local }, { actor: 'test' });
        const row = await t.app.articles.publish(created.id, { actor: 'test' });
        paths.push(`/local/${row.slug}`);
        await t.app.runner.drain();
      }
    });
    after(() => t?.close());

    test('the page carries escaped READ: asides between paragraphs', async () => {
      const body = await (await fetch(t.url + paths[0])).text();
      const asides = [...body.matchAll(/<aside class="related-inline" aria-label="Related story">.*?<\/aside>/g)].map((m) => m[0]);
      assert.equal(asides.length, 2);
      assert.ok(asides.some((a) => a.includes('Gull Island commuters stranded as the Alder Queen stays in dock &amp; &lt;angry&gt;')), 'the headline is escaped');
      assert.match(body, /<\/p><aside class="related-inline"[^>]*>.*?<\/aside><p>/, 'between two paragraphs');
    });

    test('the label follows the settings; feeds leave the links out', async () => {
      await t.app.settings.update({ related: { label: 'ALSO READ:' } }, new Date().toISOString());
      const body = await (await fetch(t.url + paths[0])).text();
      assert.match(body, /<span class="related-label">ALSO READ:<\/span>/);
      for (const feed of ['/feed.xml', '/feed.atom', '/feed.json', '/local/feed.xml']) {
        const res = await fetch(t.url + feed);
        assert.equal(res.status, 200, feed);
        const text = await res.text();
        assert.ok(text.includes('Alder Queen'), `${feed} carries the stories`);
        assert.ok(!text.includes('related-inline') && !text.includes('ALSO READ:'), `${feed} has no related links`);
      }
    });
  });
}
