/**
 * Site search and related stories in a real Chromium, on SQLite and
 * PostgreSQL. A reader searches: highlighted results, a count, a section
 * filter, the next page, the empty state, and input meant to break the query
 * (quotes, `*`, NEAR, 10 KB) that only ever gives results or the empty state;
 * axe finds no WCAG 2.1 A/AA violation on the results page. An editor works the
 * article editor's "Related stories" panel (pin a story, remove a pick, turn
 * inline links off) and the reader's article page follows each change. Also:
 * the Settings screen's "Related stories" fieldset saves, and says what is
 * wrong next to the field.
 *
 * Picks come from the related-story jobs, run here with `runner.drain()` after
 * each publish (the articles go in through the services, which keep the
 * search index in step themselves: no reindex is needed).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { docFromParagraphs } from '../../src/newsroom/body.js';
import { assertPostgresReachable, DIALECTS, type TestApp } from '../support/apps.js';
import { describeProblems, emptyProblems, launchBrowser, watchedContext, type PageProblems } from '../support/browser.js';
import { assertAdminPageClean, signInThroughUi, startAdminTestApp } from '../support/admin.js';
import { makeNewsroom, type Newsroom } from '../support/fixtures.js';
import { PASSWORD } from '../accounts/support.js';
import { axeViolations, describeViolations } from '../support/axe.js';





function assertClean(problems: PageProblems, where: string): void {
  assert.ok(emptyProblems(problems), `${where}: the page had problems:\n${describeProblems(problems)}`);
}

/** Three stories about one place, each in its own words, long enough for links after paragraphs 3 and 7. */
const LIGHTHOUSE = [
  {
    headline: 'Tern Point lighthouse goes dark after lightning strike',
    body: [
      'The lighthouse on Tern Point went dark on Monday night, and the coastguard warned shipping off the Tern Point reef.',
      'Keepers said a lightning strike burned out the lamp room during the storm.',
      'Fishing boats from Tern Point stayed in harbour while the beacon was out.',
      'The coastguard said no ship had come close to the reef overnight.',
      'Residents of the headland watched the dark tower from their windows.',
      'The last time the light failed was during a power cut a decade ago.',
      'A ferry captain said the crossing felt strange without the familiar sweep of the beam.',
      'Repairs are expected to take several weeks.',
    ],
  },
  {
    headline: 'Coastal Lights Trust seeks money for Tern Point lamp room',
    body: [
      'The Coastal Lights Trust has asked for money to rebuild the lamp room at Tern Point after the lightning strike.',
      'Its director said the lens survived but the wiring and the rotating gear must be replaced.',
      'Donors have pledged a third of the cost so far, the Coastal Lights Trust said.',
      'The trust also wants a backup lamp so the Tern Point light never goes fully dark again.',
      'An appeal evening will be held in the village hall on Friday.',
      'Engineers expect the work to finish before the winter storms.',
      'The lighthouse was built by the county in the nineteenth century and automated in the seventies.',
      'Visitors will be able to tour the lamp room once it reopens.',
    ],
  },
  {
    headline: 'Buoy marks Tern Point reef while the lighthouse is out',
    body: [
      'A temporary buoy with a flashing light now marks the Tern Point reef while the lighthouse is repaired.',
      'The coastguard towed the buoy into place on Wednesday morning.',
      'Skippers said the buoy is easy to see but gives less warning than the tower on Tern Point.',
      'Volunteers have offered to keep watch from the headland at night.',
      'The harbour master asked boats to keep well clear of the reef after dark.',
      'The buoy will stay until the lamp room is rebuilt.',
      'Its battery is checked every morning by a crew from the lifeboat station.',
      'Insurers have asked the coastguard for a report on the outage.',
    ],
  },
] as const;

const ORCHARD = 'Orchard growers report a record apple harvest';

/** Race reports for search: enough for two pages of 20, in two sections. */
const REGATTA_LOCAL = 14;
const REGATTA_WORLD = 8;
const CREWS = ['Kestrel', 'Heron', 'Osprey', 'Plover', 'Curlew', 'Gannet', 'Puffin', 'Dunlin', 'Godwit', 'Merlin', 'Shrike', 'Linnet', 'Wren', 'Siskin', 'Avocet', 'Bittern', 'Egret', 'Fulmar', 'Grebe', 'Hobby', 'Ibis', 'Jackdaw'];

for (const dialect of DIALECTS) {
  describe(`search and related stories in Chromium on ${dialect}`, () => {
    let t: TestApp;
    let browser: Browser;
    let room: Newsroom;
    const lighthouse: { id: number; path: string; headline: string }[] = [];
    const editor = { email: 'edith@news.test', password: PASSWORD };
    const owner = { email: 'olive@news.test', password: PASSWORD };

    const publish = async (headline: string, paragraphs: readonly string[], sectionId: number, dek = '') => {
      const created = await t.app.articles.create({ headline, dek, body: docFromParagraphs([...paragraphs]), sectionId, authorIds: [room.authors.ana] }, { actor: 'test' });
      const row = await t.app.articles.publish(created.id, { actor: 'test' });
      // The related-story jobs this publish queued: its picks, and its neighbours'.
      await t.app.runner.drain();
      return { id: row.id, path: `/${sectionId === room.sections.world ? 'world' : 'local'}/${row.slug}`, headline };
    };

    /** The READ: links of an article page as a reader sees it now (a fresh browser profile: nothing cached). */
    const readerLinks = async (path: string): Promise<string[]> => {
      const { context, problems } = await watchedContext(browser, new URL(t.url).origin);
      const page = await context.newPage();
      const response = await page.goto(`${t.url}${path}`);
      assert.equal(response?.status(), 200, path);
      const links = await page.getByRole('complementary', { name: 'Related story' }).getByRole('link').allInnerTexts();
      assertClean(problems, `reader page ${path}`);
      await context.close();
      return links;
    };

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      t = await startAdminTestApp(dialect);
      room = await makeNewsroom(t.app);
      await t.app.accounts.service.createUser({ email: editor.email, name: 'Edith Editor', role: 'editor', password: PASSWORD });
      await t.app.accounts.service.createUser({ email: owner.email, name: 'Olive Owner', role: 'owner', password: PASSWORD });
      // Other subjects first, so the words the lighthouse stories share stand out when they are ranked.
      await publish(ORCHARD, ['Growers in the valley picked more apples this autumn than in any year on record.', 'Warm spring weather and few frosts helped the blossom set.', 'Cider makers expect prices to fall.'], room.sections.world);
      await publish('Chess club opens in the old library', ['A chess club now meets every Tuesday in the old library building.', 'Beginners get lessons from a retired teacher.', 'The club hopes to enter the regional league next year.'], room.sections.local);
      for (let i = 0; i < REGATTA_LOCAL + REGATTA_WORLD; i++) {
        const crew = CREWS[i]!;
        await publish(
          `${crew} crew wins heat ${i + 1} of the bay regatta`,
          [`The ${crew} crew won heat ${i + 1} of the bay regatta by two lengths in a stiff breeze.`, `Spectators lined the sea wall to cheer the ${crew} rowers home.`],
          i < REGATTA_LOCAL ? room.sections.local : room.sections.world,
          'Results from the water.',
        );
      }
      for (const story of LIGHTHOUSE) lighthouse.push(await publish(story.headline, story.body, room.sections.local, 'The Tern Point light is out.'));
      browser = await launchBrowser();
    });
    after(async () => {
      await browser?.close();
      await t?.close();
    });

    test('a reader searches: highlighted results, the count, a section filter, the next page, the empty state', async () => {
      const { context, problems } = await watchedContext(browser, new URL(t.url).origin);
      const page = await context.newPage();
      await page.goto(`${t.url}/search`);
      await page.getByLabel('Search stories').fill('regatta');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.waitForURL(/\/search\?q=regatta/);

      const total = REGATTA_LOCAL + REGATTA_WORLD;
      const status = page.locator('main').getByRole('status');
      assert.equal((await status.innerText()).trim(), `${total} results for “regatta”, page 1 of 2`);
      const results = page.locator('.search-result');
      assert.equal(await results.count(), 20, 'twenty to a page');
      const marks = await page.locator('.search-result mark').allInnerTexts();
      assert.ok(marks.length >= 20, `matched words are highlighted (${marks.length} marks)`);
      for (const mark of marks) assert.match(mark, /^regatta$/i);

      const found = await axeViolations(page, { allImpacts: true });
      assert.deepEqual(found, [], describeViolations(found));

      // The next page holds the rest, and links back.
      await page.getByRole('navigation', { name: 'Result pages' }).getByRole('link', { name: 'More results' }).click();
      await page.waitForURL(/page=2/);
      assert.equal((await status.innerText()).trim(), `${total} results for “regatta”, page 2 of 2`);
      assert.equal(await results.count(), total - 20);
      assert.equal(await page.getByRole('link', { name: 'Previous results' }).count(), 1);

      // Narrowed to one section.
      await page.getByLabel('Section', { exact: true }).selectOption({ label: 'World' });
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.waitForURL(/section=world/);
      assert.equal((await status.innerText()).trim(), `${REGATTA_WORLD} results for “regatta” in World`);
      assert.equal(await results.count(), REGATTA_WORLD);
      assert.deepEqual([...new Set(await page.locator('.search-result .search-section').allInnerTexts())], ['World']);
      assert.equal(await page.getByRole('navigation', { name: 'Result pages' }).count(), 0, 'one page: no pager');

      // Nothing matches.
      await page.getByLabel('Section', { exact: true }).selectOption({ label: 'All sections' });
      await page.getByLabel('Search stories').fill('zeppelin');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.waitForURL(/q=zeppelin/);
      assert.match(await page.locator('.search-empty').innerText(), /No stories match “zeppelin”/);
      assert.equal(await results.count(), 0);
      assertClean(problems, 'search');
      await context.close();
    });

    test('input meant to break the query gives results or the empty state, never an error', async () => {
      const { context, problems } = await watchedContext(browser, new URL(t.url).origin);
      const page = await context.newPage();
      const typed = ['"regatta', 'regatta"heat"', '"bay regatta"', '*', 'regat*', 'regatta NEAR heat', 'NEAR(regatta heat)', 'regatta AND OR NOT', "'; drop table articles; --", '🚣 regatta', '((("', 'heat:1 ^regatta -crew'];
      for (const q of typed) {
        await page.goto(`${t.url}/search`);
        await page.getByLabel('Search stories').fill(q);
        const [response] = await Promise.all([page.waitForResponse((r) => new URL(r.url()).pathname === '/search'), page.getByRole('button', { name: 'Search', exact: true }).click()]);
        assert.equal(response.status(), 200, `${JSON.stringify(q)} answers 200`);
        await page.waitForURL(/\/search\?q=/); // loaded, styles and script included
        const shown = (await page.locator('.search-result').count()) + (await page.locator('.search-empty').count());
        assert.ok(shown > 0, `${JSON.stringify(q)}: results or the empty state`);
      }
      // Sent in the address, past the input's 200-character limit: 10 KB, a null byte.
      for (const q of ['regatta '.repeat(1280), 'regatta\u0000heat', 'x'.repeat(10_240)]) {
        const response = await page.goto(`${t.url}/search?${new URLSearchParams({ q }).toString()}`);
        assert.equal(response?.status(), 200, `${q.length} characters answer 200`);
        const shown = (await page.locator('.search-result').count()) + (await page.locator('.search-empty').count());
        assert.ok(shown > 0, `${q.slice(0, 20)}…: results or the empty state`);
      }
      // A phrase in quotes finds the stories with those words together.
      await page.goto(`${t.url}/search?q=${encodeURIComponent('"bay regatta"')}`);
      assert.match(await page.locator('main').getByRole('status').innerText(), new RegExp(`^${REGATTA_LOCAL + REGATTA_WORLD} results`));
      assertClean(problems, 'junk queries');
      await context.close();
    });

    test("an editor pins a story, removes a pick and turns inline links off; the reader's page follows", async () => {
      const [story, trust, buoy] = lighthouse as [(typeof lighthouse)[0], (typeof lighthouse)[0], (typeof lighthouse)[0]];
      assert.deepEqual((await readerLinks(story.path)).sort(), [trust.headline, buoy.headline].sort(), 'the engine linked the two other lighthouse stories');

      const { context, problems } = await watchedContext(browser, t.url);
      const page = await context.newPage();
      await signInThroughUi(page, t.url, editor.email, editor.password);
      await page.goto(`${t.url}/admin/articles/${story.id}`);
      const panel = page.getByRole('region', { name: 'Related stories' });
      await panel.getByRole('listitem').filter({ hasText: buoy.headline }).waitFor();
      const panelStatus = panel.getByRole('status');

      // Pin a story the engine would not pick: it goes first, so it is the first READ: link.
      await panel.getByLabel('Add a story').fill('Orchard');
      await panel.getByRole('button', { name: `Add “${ORCHARD}”` }).click();
      await panelStatus.filter({ hasText: `Added “${ORCHARD}” first, pinned.` }).waitFor();
      assert.match(await panel.getByRole('listitem').first().innerText(), new RegExp(`${ORCHARD}.*pinned`, 's'));
      const afterPin = await readerLinks(story.path);
      assert.equal(afterPin[0], ORCHARD, `the pinned story is the first READ: link (${JSON.stringify(afterPin)})`);

      // Remove a pick: it leaves the page and does not come back.
      await panel.getByRole('button', { name: `Remove ${buoy.headline}` }).click();
      await panelStatus.filter({ hasText: `Removed “${buoy.headline}”` }).waitFor();
      assert.equal(await panel.getByRole('listitem').filter({ hasText: buoy.headline }).count(), 0);
      const afterRemove = await readerLinks(story.path);
      assert.ok(!afterRemove.includes(buoy.headline), `the removed story is not linked (${JSON.stringify(afterRemove)})`);
      assert.equal(afterRemove[0], ORCHARD, 'the pin stays');
      await t.app.runner.drain(); // nothing the jobs do brings it back
      assert.ok(!(await readerLinks(story.path)).includes(buoy.headline));

      const found = await axeViolations(page, { allImpacts: true });
      const serious = found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      assert.deepEqual(serious, [], `editor with the related panel:\n${describeViolations(serious)}`);

      // Inline links off for this article: none on the page.
      // The box follows the server's answer (it is saved at once), so click and wait for the answer rather than uncheck().
      const inline = panel.getByRole('checkbox', { name: 'Show “READ:” links in this article' });
      await inline.click();
      await panelStatus.filter({ hasText: 'Inline links off for this article.' }).waitFor();
      assert.equal(await inline.isChecked(), false);
      assert.deepEqual(await readerLinks(story.path), [], 'no READ: links');
      assert.ok((await readerLinks(trust.path)).length > 0, "other articles keep theirs");
      assertAdminPageClean(problems, 'related panel');
      await context.close();
    });

    test('Settings: the related-stories fieldset saves, and a bad list of paragraphs is explained next to its field', async () => {
      const { context, problems } = await watchedContext(browser, t.url);
      const page = await context.newPage();
      await signInThroughUi(page, t.url, owner.email, owner.password);
      await page.goto(`${t.url}/admin/settings`);
      const group = page.getByRole('group', { name: 'Related stories' });
      await group.waitFor();
      assert.equal(await group.getByLabel('After paragraphs').inputValue(), '3, 7');

      // Not numbers: said next to the field before anything is sent, and focused.
      await group.getByLabel('After paragraphs').fill('3, seven');
      await page.getByRole('button', { name: 'Save settings' }).click();
      const paragraphs = group.getByLabel('After paragraphs');
      await group.getByText('Enter paragraph numbers separated by commas, like 3, 7').waitFor();
      assert.equal(await paragraphs.getAttribute('aria-invalid'), 'true');
      assert.ok(await paragraphs.evaluate((el) => el === document.activeElement), 'the field is focused');
      // Out of range: the server's answer, said plainly, next to the field.
      await paragraphs.fill('0, 4');
      await page.getByRole('button', { name: 'Save settings' }).click();
      await group.getByText('Paragraph numbers go from 1 to 100').waitFor();
      await group.getByLabel('Inline links per article').fill('9');
      await paragraphs.fill('2, 4');
      await page.getByRole('button', { name: 'Save settings' }).click();
      await group.getByText('Enter a whole number from 0 to 5').waitFor();

      await group.getByLabel('Inline links per article').fill('1');
      await group.getByLabel('Label').fill('ALSO READ:');
      await group.getByLabel('Show the links in feeds').check();
      await group.getByLabel('“More from” list at the end of articles').uncheck();
      await group.getByLabel('Maximum age (days)').fill('200');
      await page.getByRole('button', { name: 'Save settings' }).click();
      await page.getByRole('status').filter({ hasText: 'Settings saved' }).first().waitFor();
      const related = t.app.settings.get().related;
      assert.deepEqual(
        { inlineCount: related.inlineCount, afterParagraphs: related.afterParagraphs, label: related.label, inFeeds: related.inFeeds, moreFromSection: related.moreFromSection, maxAgeDays: related.maxAgeDays },
        { inlineCount: 1, afterParagraphs: [2, 4], label: 'ALSO READ:', inFeeds: true, moreFromSection: false, maxAgeDays: 200 },
      );
      // What was saved is what the screen shows after a reload.
      await page.reload();
      await group.waitFor();
      assert.equal(await group.getByLabel('After paragraphs').inputValue(), '2, 4');
      assert.equal(await group.getByLabel('Show the links in feeds').isChecked(), true);
      // The reader's page follows: one link, the new label.
      const reader = await context.newPage();
      await reader.goto(`${t.url}${lighthouse[1]!.path}`);
      const asides = reader.getByRole('complementary', { name: 'Related story' });
      assert.equal(await asides.count(), 1);
      assert.match(await asides.innerText(), /^ALSO READ:/);
      assertAdminPageClean(problems, 'settings', [/400 PATCH \S+\/api\/admin\/settings$/]);
      await context.close();
    });
  });
}
