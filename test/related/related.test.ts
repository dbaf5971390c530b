/**
 * Related stories on SQLite and PostgreSQL: ranking on a small fixed corpus
 * (right neighbours, exclusions, recency, pins), the jobs after publish, edit
 * and unpublish as readers see them on article pages, and the Admin API.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertPostgresReachable, DIALECTS, startTestApp, TestClock, type TestApp } from '../support/apps.js';
import { makeNewsroom, type Newsroom } from '../support/fixtures.js';
import { call, createStaff, signIn } from '../accounts/support.js';
import { docFromParagraphs } from '../../src/newsroom/body.js';
import { blendedScore } from '../../src/related/related.engine.js';

const DAY = 86_400_000;

/** Eight paragraphs: the first ones carry the story, the rest are neutral filler so inline links have room. */
function body(lines: string[]) {
  const filler = [
    'More details are expected later in the week.',
    'The county will publish a full report when it is ready.',
    'Readers can send questions to the newsroom.',
    'This story was reported with help from our partners.',
    'We will keep following what happens next.',
    'Several people asked not to be named.',
  ];
  return docFromParagraphs([...lines, ...filler].slice(0, 8));
}

const FIRE = {
  headline: 'Wildfire near Cedar Flats forces evacuations',
  dek: 'The Juniper Ridge fire spread through dry brush overnight.',
  lines: [
    'The Juniper Ridge fire spread quickly through dry brush on the hills above Cedar Flats.',
    'Fire Chief Marta Ocampo said crews from the Cedar Flats Fire District had cut a line along the eastern edge.',
    'Evacuation centres opened at the Cedar Flats high school.',
  ],
};
const FIRE_FOLLOW_UP = {
  headline: 'Crews gain ground on the Juniper Ridge fire',
  dek: 'Marta Ocampo says the blaze is half contained.',
  lines: [
    'Firefighters made progress on the Juniper Ridge fire above Cedar Flats on Tuesday.',
    'Chief Marta Ocampo said the Cedar Flats Fire District expects to lift some evacuation orders.',
    'The fire began near an abandoned sawmill off Quarry Road.',
  ],
};
const FIRE_RETURN = {
  headline: 'Residents of Cedar Flats return to scorched streets',
  dek: 'The Juniper Ridge fire destroyed several homes.',
  lines: [
    'Families returned to Cedar Flats after the Juniper Ridge fire was contained.',
    'Marta Ocampo thanked volunteers and the crews from the Tolman Valley reservation.',
    'Several homes near Quarry Road were destroyed by the fire.',
  ],
};
const OTHER_FIRE = {
  headline: 'Sulphur Creek fire jumps the railway near Ashby Hollow',
  dek: 'Battalion Chief Dennis Kowalczyk asks for help.',
  lines: [
    'The Sulphur Creek fire jumped the railway line near the old Ashby grain elevator.',
    'Battalion Chief Dennis Kowalczyk said the Ashby County Fire Authority had requested help.',
    'Vineyards along Sulphur Creek lost most of the harvest.',
  ],
};
const ELECTION = {
  headline: 'Harriet Osondu wins the race for Port Lindqvist mayor',
  dek: 'Turnout was the highest in decades.',
  lines: [
    'Harriet Osondu won the Port Lindqvist mayoral election by a comfortable margin.',
    'Osondu ran on a plan to reopen the Lindqvist ferry pier.',
    'Her opponent, councillor Barnaby Tull, conceded by phone.',
  ],
};

for (const dialect of DIALECTS) {
  describe(`related stories on ${dialect}`, () => {
    let t: TestApp;
    let room: Newsroom;
    const clock = new TestClock(new Date('2030-03-01T09:00:00.000Z'));
    const ids: Record<string, number> = {};
    const paths: Record<string, string> = {};

    const publish = async (name: string, story: { headline: string; dek: string; lines: string[] }, fields: Record<string, unknown> = {}) => {
      const created = await t.app.articles.create(
        { headline: story.headline, dek: story.dek, body: body(story.lines), sectionId: room.sections.local, ...fields },
        { actor: 'test' },
      );
      const published = await t.app.articles.publish(created.id, { actor: 'test' });
      ids[name] = published.id;
      paths[name] = `/${published.section_id === room.sections.world ? 'world' : 'local'}/${published.slug}`;
      await t.app.runner.drain();
      return published.id;
    };
    const pickIds = async (name: string) => (await t.app.related.picksFor(ids[name]!)).picks.map((p) => p.id);
    const page = async (path: string) => {
      const res = await fetch(t.url + path);
      return { status: res.status, body: await res.text() };
    };
    const readLinks = (html: string) => [...html.matchAll(/<aside class="related-inline"[^>]*><p><span class="related-label">([^<]*)<\/span> <a href="([^"]+)">([^<]*)<\/a><\/p><\/aside>/g)].map((m) => ({ label: m[1]!, href: m[2]!, headline: m[3]! }));

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      t = await startTestApp(dialect, { clock });
      room = await makeNewsroom(t.app);
      clock.set(new Date('2030-03-01T09:00:00.000Z'));
      await publish('election', ELECTION);
      clock.advance(DAY);
      await publish('otherFire', OTHER_FIRE);
      clock.advance(DAY);
      await publish('fire', FIRE, { tagIds: [room.tags.harbour] });
      clock.advance(DAY);
      await publish('followUp', FIRE_FOLLOW_UP, { tagIds: [room.tags.harbour] });
      clock.advance(DAY);
      await publish('sponsored', { ...FIRE_RETURN, headline: 'Rebuild after the Cedar Flats fire with Juniper Homes' }, { label: 'sponsored' });
      clock.advance(DAY);
      await publish('duplicate', { ...FIRE, headline: 'Wildfire near Cedar Flats forces evacuations (updated)' });
      clock.advance(DAY);
      await publish('returning', FIRE_RETURN);
    });
    after(() => t?.close());

    test('the same story\'s coverage ranks first; itself, other topics, sponsored content and its own near-duplicate are left out', async () => {
      const picks = await pickIds('fire');
      assert.deepEqual(new Set(picks.slice(0, 2)), new Set([ids.followUp, ids.returning]), 'both inline picks are the Cedar Flats follow-ups');
      assert.ok(!picks.includes(ids.fire!), 'never itself');
      assert.ok(!picks.includes(ids.sponsored!), 'no sponsored content by default');
      assert.ok(!picks.includes(ids.duplicate!), 'not the same story updated under another slug');
      assert.ok(!picks.includes(ids.election!), 'nothing from an unrelated story');
      if (picks.includes(ids.otherFire!)) assert.ok(picks.indexOf(ids.otherFire!) >= 2, 'another fire only after the same fire');
    });

    test('two picks never tell the same story twice', async () => {
      const picks = await pickIds('followUp');
      const sameStory = [ids.fire, ids.duplicate].filter((id) => picks.includes(id!));
      assert.equal(sameStory.length, 1, `one of the original and its update, got ${JSON.stringify(picks)}`);
    });

    test('the site may allow sponsored content', async () => {
      await t.app.settings.update({ related: { allowSponsored: true } }, clock.now().toISOString());
      try {
        await t.app.related.refill(ids.returning!);
        assert.ok((await pickIds('returning')).includes(ids.sponsored!));
      } finally {
        await t.app.settings.update({ related: { allowSponsored: false } }, clock.now().toISOString());
        await t.app.related.refill(ids.returning!);
      }
      assert.ok(!(await pickIds('returning')).includes(ids.sponsored!));
    });

    test('recency: nearer in time scores higher, and stories further apart than the maximum age are never paired', async () => {
      const base = { similarity: 0.5, halfLifeDays: 90, sharedTags: 0, sameSection: true };
      assert.ok(blendedScore({ ...base, daysApart: 2 }) > blendedScore({ ...base, daysApart: 200 }));
      assert.ok(blendedScore({ ...base, daysApart: -2 }) === blendedScore({ ...base, daysApart: 2 }), 'symmetric in time');

      const saved = clock.now();
      clock.advance(400 * DAY);
      const late = await publish('late', { ...FIRE_FOLLOW_UP, headline: 'A year on, Cedar Flats remembers the Juniper Ridge fire' });
      const latePicks = await pickIds('late');
      assert.ok(![ids.fire, ids.followUp, ids.returning].some((id) => latePicks.includes(id!)), 'stories over 12 months apart are not paired');
      assert.ok(!(await pickIds('fire')).includes(late));
      await t.app.settings.update({ related: { maxAgeDays: 3650 } }, clock.now().toISOString());
      await t.app.related.refill(late);
      assert.ok((await pickIds('late')).includes(ids.followUp!), 'with a longer maximum age they are');
      await t.app.settings.update({ related: { maxAgeDays: 365 } }, clock.now().toISOString());
      await t.app.articles.unpublish(late, { actor: 'test' });
      await t.app.runner.drain();
      clock.set(saved);
    });

    test('an article page shows READ: links to its picks, with an accessible label', async () => {
      const res = await page(paths.fire!);
      assert.equal(res.status, 200);
      const links = readLinks(res.body);
      assert.equal(links.length, 2);
      assert.deepEqual(links.map((l) => l.label), ['READ:', 'READ:']);
      assert.deepEqual(new Set(links.map((l) => l.href)), new Set([paths.followUp, paths.returning]));
    });

    test('publishing a story adds it to its neighbours\' pages (bounded neighbour update, page cache invalidated)', async () => {
      await page(paths.returning!); // cached now
      clock.advance(DAY);
      await publish('fourth', {
        headline: 'Juniper Ridge fire: Cedar Flats counts the cost',
        dek: 'Marta Ocampo says the Cedar Flats Fire District needs new engines.',
        lines: [
          'The Juniper Ridge fire cost Cedar Flats more than anyone expected.',
          'Chief Marta Ocampo said the Cedar Flats Fire District lost two engines near Quarry Road.',
          'Evacuation orders were lifted across Cedar Flats.',
        ],
      });
      const neighbours = await pickIds('returning');
      assert.ok(neighbours.includes(ids.fourth!), 'the new story joined a neighbour\'s picks');
      assert.ok(!(await pickIds('election')).includes(ids.fourth!), 'but not an unrelated story\'s');
      const res = await page(paths.returning!);
      const hrefs = [...res.body.matchAll(/<a href="([^"]+)">/g)].map((m) => m[1]);
      assert.ok(hrefs.includes(paths.fourth), 'the neighbour\'s page links to it now');
      // Three stories of the same fire: two READ: links, the third in the "More from" list at the end.
      const more = /<aside class="related-more" aria-labelledby="related-more-title"><h2 id="related-more-title">More from Local<\/h2><ul>(.*?)<\/ul><\/aside>/.exec(res.body);
      assert.ok(more, 'a More from Local list');
      const inline = new Set(readLinks(res.body).map((l) => l.href));
      for (const m of more[1]!.matchAll(/href="([^"]+)"/g)) assert.ok(!inline.has(m[1]!), 'the list does not repeat the inline links');
    });

    test('a pick\'s new headline shows on the pages linking to it', async () => {
      const before = readLinks((await page(paths.fire!)).body);
      const target = before[0]!;
      const targetName = target.href === paths.followUp ? 'followUp' : 'returning';
      await t.app.articles.update(ids[targetName]!, { headline: `${target.headline} as winds ease` }, { actor: 'test' });
      const after = readLinks((await page(paths.fire!)).body);
      assert.ok(after.some((l) => l.headline === `${target.headline} as winds ease`));
    });

    test('a substantial edit re-ranks; an unchanged save does no work', async () => {
      const outcome = await t.app.related.index(ids.election!);
      assert.equal(outcome.result, 'unchanged');
      await t.app.articles.update(ids.election!, { body: body(FIRE_RETURN.lines.concat(FIRE.lines)), headline: 'Cedar Flats fire: mayor-elect visits Juniper Ridge' }, { actor: 'test' });
      await t.app.runner.drain();
      const picks = await pickIds('election');
      assert.ok(picks.includes(ids.fire!) || picks.includes(ids.followUp!), `now about the fire: ${JSON.stringify(picks)}`);
    });

    test('unpublishing removes a story from every page at once, then lists are refilled by jobs', async () => {
      const linking = (await Promise.all(['fire', 'returning', 'fourth'].map(async (n) => ((await pickIds(n)).includes(ids.followUp!) ? n : undefined)))).filter(Boolean) as string[];
      assert.ok(linking.length >= 2, 'several pages link to the follow-up');
      for (const n of linking) await page(paths[n]!); // cached
      await t.app.articles.unpublish(ids.followUp!, { actor: 'test' });
      // No job has run yet: the pages already leave it out.
      for (const n of linking) {
        const res = await page(paths[n]!);
        assert.ok(!res.body.includes(`href="${paths.followUp}"`), `${n} no longer links to the unpublished story`);
        assert.ok(!(await pickIds(n)).includes(ids.followUp!));
      }
      await t.app.runner.drain();
      assert.equal(readLinks((await page(paths.fire!)).body).length, 2, 'the list was refilled');
    });

    test('editors pin, reorder, remove and switch inline links off through the Admin API; pins survive recomputation', async () => {
      const editor = await createStaff(t, 'editor');
      const session = await signIn(t, editor.email, editor.password);
      const auth = { cookie: session.cookie, csrf: session.csrf };
      const url = `/api/admin/articles/${ids.fire}/related`;

      const got = await call(t, 'GET', url, auth);
      assert.equal(got.status, 200);
      assert.equal(got.json.inline, true);
      const auto = got.json.picks.map((p: { id: number }) => p.id) as number[];
      assert.ok(auto.length >= 2);

      // Pin the election story first (an editor's choice), remove the engine's first other pick.
      const removedId = auto.find((id) => id !== ids.election)!;
      const put = await call(t, 'PUT', url, { ...auth, body: { picks: [{ id: ids.election, pinned: true }], removed: [removedId] } });
      assert.equal(put.status, 200, put.text);
      assert.equal(put.json.picks[0].id, ids.election);
      assert.equal(put.json.picks[0].pinned, true);
      assert.equal(put.json.picks[0].url, paths.election);
      assert.ok(!put.json.picks.some((p: { id: number }) => p.id === removedId));
      assert.deepEqual(put.json.removed.map((p: { id: number }) => p.id), [removedId]);

      // Recomputation (a substantial edit and its job) keeps the pin and the removal.
      await t.app.articles.update(ids.fire!, { dek: 'Thousands leave Cedar Flats as the Juniper Ridge fire grows near Quarry Road.' }, { actor: 'test' });
      await t.app.runner.drain();
      await t.app.related.refill(ids.fire!);
      const again = await call(t, 'GET', url, auth);
      assert.equal(again.json.picks[0].id, ids.election);
      assert.ok(!again.json.picks.some((p: { id: number }) => p.id === removedId));
      let links = readLinks((await page(paths.fire!)).body);
      assert.equal(links[0]!.href, paths.election, 'the pinned pick is the first READ: link');

      // Reorder: the pin moves to second place.
      const second = again.json.picks[1].id as number;
      const reordered = await call(t, 'PUT', url, { ...auth, body: { picks: [{ id: second, pinned: true }, { id: ids.election, pinned: true }] } });
      assert.deepEqual(reordered.json.picks.slice(0, 2).map((p: { id: number }) => p.id), [second, ids.election]);

      // Inline links off for this article: no READ: links, the More from list stays.
      const off = await call(t, 'PUT', url, { ...auth, body: { inline: false } });
      assert.equal(off.json.inline, false);
      const res = await page(paths.fire!);
      links = readLinks(res.body);
      assert.equal(links.length, 0);

      // Bad input: clear messages with field paths.
      const bad = await call(t, 'PUT', url, { ...auth, body: { picks: [{ id: ids.fire, pinned: true }, { id: 999999, pinned: true }] } });
      assert.equal(bad.status, 400);
      assert.match(bad.text, /cannot link to itself/);
      assert.match(bad.text, /no article with id 999999/);

      // A contributor may not change the picks of someone else's published article.
      const contributor = await createStaff(t, 'contributor');
      const cs = await signIn(t, contributor.email, contributor.password);
      const refused = await call(t, 'PUT', url, { cookie: cs.cookie, csrf: cs.csrf, body: { inline: true } });
      assert.equal(refused.status, 403);
      const missing = await call(t, 'GET', `/api/admin/articles/999999/related`, auth);
      assert.equal(missing.status, 404);
    });

    test('after an upgrade with an empty index, the background rebuild fills it in steps; editors\' pins stay', async () => {
      const db = t.app.db.kysely;
      const pinsBefore = await db.selectFrom('related_picks').select(['article_id', 'picked_id']).where('kind', '=', 'pinned').orderBy('article_id').orderBy('picked_id').execute();
      assert.ok(pinsBefore.length > 0);
      await db.deleteFrom('related_terms').execute();
      await db.deleteFrom('related_df').execute();
      await db.deleteFrom('related_picks').where('kind', '=', 'auto').execute();
      await db.updateTable('related_articles').set({ counted: 0, text_hash: null }).execute();
      assert.equal(await t.app.related.scheduleRebuildIfEmpty(), true);
      await t.app.runner.drain();
      assert.equal(await t.app.related.scheduleRebuildIfEmpty(), false, 'indexed now');
      const count = async (table: 'related_terms' | 'related_picks') => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      assert.ok((await count('related_terms')) > 0, 'terms are back');
      assert.ok((await db.selectFrom('related_picks').select('article_id').where('kind', '=', 'auto').execute()).length > 0, 'picks were computed again');
      assert.ok((await pickIds('returning')).length > 0);
      assert.ok((await count('related_picks')) > pinsBefore.length);
      const pinsAfter = await db.selectFrom('related_picks').select(['article_id', 'picked_id']).where('kind', '=', 'pinned').orderBy('article_id').orderBy('picked_id').execute();
      assert.deepEqual(pinsAfter, pinsBefore);
    });

    test('a new site language rebuilds the index in its terms (other stemming); other settings changes do not', async () => {
      const rebuilds = async () =>
        Number((await t.app.db.kysely.selectFrom('jobs').select((eb) => eb.fn.countAll<number>().as('n')).where('kind', '=', 'related.rebuild').where('status', '=', 'queued').executeTakeFirstOrThrow()).n);
      await t.app.runner.drain();
      await t.app.settings.update({ tagline: 'Another tagline' }, t.clock.now().toISOString());
      assert.equal(await rebuilds(), 0);
      await t.app.settings.update({ language: 'fr' }, t.clock.now().toISOString());
      assert.equal(await rebuilds(), 1);
      await t.app.runner.drain();
      assert.ok((await pickIds('returning')).length > 0, 'picks are back after the rebuild');
      await t.app.settings.update({ language: 'en' }, t.clock.now().toISOString());
      await t.app.runner.drain();
    });
  });
}
