/**
 * Related links in feeds (setting `related.inFeeds`) on both databases: left
 * out by default; when switched on, every feed format carries the page's READ:
 * asides with absolute links, and a change of picks reaches the cached feed.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { docFromParagraphs } from '../../src/newsroom/body.js';
import { assertPostgresReachable, DIALECTS, startTestApp, type TestApp } from '../support/apps.js';
import { makeNewsroom } from '../support/fixtures.js';

const FEEDS = ['/feed.xml', '/feed.atom', '/feed.json', '/local/feed.xml'];

/** The feed's text with XML and JSON escaping undone, so markup reads the same in every format. */
async function feedText(url: string): Promise<string> {
  const res = await fetch(url);
  assert.equal(res.status, 200, url);
  const text = await res.text();
  if (url.endsWith('.json')) {
    const doc = JSON.parse(text) as { items: { content_html: string }[] };
    return doc.items.map((i) => i.content_html).join('\n');
  }
  return text.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
}

/** The hrefs of the READ: asides in some content. */
function readLinks(content: string): string[] {
  return [...content.matchAll(/<aside class="related-inline"[^>]*>.*?<a href="([^"]*)">.*?<\/aside>/g)].map((m) => m[1]!);
}

for (const dialect of DIALECTS) {
  describe(`related links in feeds on ${dialect}`, () => {
    let t: TestApp;
    const stories: { id: number; slug: string; headline: string }[] = [];

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      t = await startTestApp(dialect);
      const room = await makeNewsroom(t.app);
      // Stories on other subjects, so the words the three share stand out (published first; they find nothing to link).
      const others = [
        ['Orchard growers report a record apple harvest', ['Growers in the valley picked more apples this autumn than in any year on record.', 'Warm spring weather and few frosts helped the blossom set.', 'Cider makers expect prices to fall.']],
        ['Chess club opens in the old library', ['A chess club now meets every Tuesday in the old library building.', 'Beginners get lessons from a retired teacher.', 'The club hopes to enter the regional league next year.']],
      ] as const;
      for (const [headline, text] of others) {
        const created = await t.app.articles.create({ headline, dek: '', body: docFromParagraphs([...text]), sectionId: room.sections.world }, { actor: 'test' });
        await t.app.articles.publish(created.id, { actor: 'test' });
        await t.app.runner.drain();
      }
      // Three stories about the same place, each told in its own sentences (near-duplicates are never paired),
      // long enough for links after paragraphs 3 and 7.
      const bodies = [
        [
          'The lighthouse on Tern Point went dark on Monday night, and the coastguard warned shipping off the Tern Point reef.',
          'Keepers said a lightning strike burned out the lamp room during the storm.',
          'Fishing boats from Tern Point stayed in harbour while the beacon was out.',
          'The coastguard said no ship had come close to the reef overnight.',
          'Residents of the headland watched the dark tower from their windows.',
          'The last time the light failed was during a power cut a decade ago.',
          'A ferry captain said the crossing felt strange without the familiar sweep of the beam.',
          'Repairs are expected to take several weeks.',
        ],
        [
          'The Coastal Lights Trust has asked for money to rebuild the lamp room at Tern Point after the lightning strike.',
          'Its director said the lens survived but the wiring and the rotating gear must be replaced.',
          'Donors have pledged a third of the cost so far, the Coastal Lights Trust said.',
          'The trust also wants a backup lamp so the Tern Point light never goes fully dark again.',
          'An appeal evening will be held in the village hall on Friday.',
          'Engineers expect the work to finish before the winter storms.',
          'The lighthouse was built by the county in the nineteenth century and automated in the seventies.',
          'Visitors will be able to tour the lamp room once it reopens.',
        ],
        [
          'A temporary buoy with a flashing light now marks the Tern Point reef while the lighthouse is repaired.',
          'The coastguard towed the buoy into place on Wednesday morning.',
          'Skippers said the buoy is easy to see but gives less warning than the tower on Tern Point.',
          'Volunteers have offered to keep watch from the headland at night.',
          'The harbour master asked boats to keep well clear of the reef after dark.',
          'The buoy will stay until the lamp room is rebuilt.',
          'Its battery is checked every morning by a crew from the lifeboat station.',
          'Insurers have asked the coastguard for a report on the outage.',
        ],
      ];
      const headlines = ['Tern Point lighthouse goes dark after lightning strike', 'Coastal Lights Trust seeks money for Tern Point lamp room', 'Buoy marks Tern Point reef while the lighthouse is out'];
      for (const [n, headline] of headlines.entries()) {
        const created = await t.app.articles.create({ headline, dek: 'The Tern Point light is out.', body: docFromParagraphs(bodies[n]!), sectionId: room.sections.local }, { actor: 'test' });
        const row = await t.app.articles.publish(created.id, { actor: 'test' });
        stories.push({ id: row.id, slug: row.slug, headline });
        await t.app.runner.drain();
      }
      // The page shows the links, so there is something the feeds could show.
      const page = await (await fetch(`${t.url}/local/${stories[0]!.slug}`)).text();
      assert.equal(readLinks(page).length, 2, 'the article page carries two READ: links');
    });
    after(() => t?.close());

    test('off by default: no feed carries a READ: link', async () => {
      assert.equal(t.app.settings.get().related.inFeeds, false);
      for (const feed of FEEDS) {
        const content = await feedText(t.url + feed);
        assert.ok(content.includes('Tern Point'), `${feed} carries the stories`);
        assert.equal(readLinks(content).length, 0, `${feed} has no READ: links`);
        assert.ok(!content.includes('related-more'), `${feed} has no More from list`);
      }
    });

    test('switched on: every feed carries the READ: links with absolute addresses, and follows a change of picks', async () => {
      await t.app.settings.update({ related: { inFeeds: true, label: 'ALSO READ:' } }, new Date().toISOString());
      for (const feed of FEEDS) {
        const content = await feedText(t.url + feed);
        const links = readLinks(content);
        // Three stories, each linking the two others inline.
        assert.equal(links.length, 6, `${feed} carries every entry's READ: links`);
        for (const href of links) assert.match(href, /^http:\/\/news\.test\/local\/[a-z0-9-]+$/, `${feed}: ${href} is absolute`);
        assert.ok(content.includes('<span class="related-label">ALSO READ:</span>'), `${feed} uses the site's label`);
      }

      // An editor removes a pick: the (cached) feed follows, like the page.
      const [first, second, third] = stories as [(typeof stories)[0], (typeof stories)[0], (typeof stories)[0]];
      const before = await feedText(`${t.url}/feed.xml`);
      assert.ok(before.includes(`href="http://news.test/local/${second.slug}"`));
      await t.app.related.setPicks(first.id, { removed: [second.id] });
      await t.app.runner.drain();
      const picks = await t.app.related.pagePicks(first.id);
      assert.ok(!picks.picks.some((p) => p.id === second.id), 'the pick is gone');
      const entryOf = (content: string, headline: string) => {
        const items = content.split('<item>').slice(1);
        return items.find((item) => item.includes(`<title>${headline}</title>`)) ?? '';
      };
      const after = await feedText(`${t.url}/feed.xml`);
      const links = readLinks(entryOf(after, first.headline));
      assert.deepEqual(links, [`http://news.test/local/${third.slug}`], 'the removed story is no longer linked from that entry');
    });

    test('switched off again: the links leave the feeds', async () => {
      await t.app.settings.update({ related: { inFeeds: false } }, new Date().toISOString());
      for (const feed of FEEDS) assert.equal(readLinks(await feedText(t.url + feed)).length, 0, feed);
    });
  });
}
