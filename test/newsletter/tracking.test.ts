/**
 * Open and click tracking of newsletter sends, on SQLite and PostgreSQL, with
 * a real SMTP server (messages parsed with mailparser, their HTML read the way
 * a mail client reads it): off by default (original links, no pixel); when
 * the newsroom turns it on, the links of a send go through this site, are the
 * same for every reader, redirect to exactly the original address and count;
 * the pixel counts opens; forged, tampered or foreign links never redirect;
 * unsubscribe and preferences links, the text part and List-Unsubscribe are
 * left alone; what a send tracks is fixed when it starts. In Chromium, an
 * admin turns counting on from the Settings screen (axe: no serious WCAG 2.1
 * AA violation).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { Parser } from 'htmlparser2';
import type { Browser } from 'playwright-core';
import sharp from 'sharp';
import type { ParsedMail } from 'mailparser';
import { assertPostgresReachable, DIALECTS, startTestApp, type TestApp } from '../support/apps.js';
import { call, createStaff, signIn, type Signed } from '../accounts/support.js';
import { launchBrowser, watchedContext, type PageProblems } from '../support/browser.js';
import { assertAdminPageClean, signInThroughUi, startAdminTestApp } from '../support/admin.js';
import { clickSignature } from '../../src/newsletter/tracking-links.js';
import { addReader, header, MailServer } from './delivery-support.js';
import { seriousViolations } from '../support/axe.js';

const STORY = 'https://example.org/politics/budget-vote?from=newsletter&edition=1';
const OTHER = 'http://example.com/opinion/letters';
/** The composed email: a story linked twice (image and headline, the second spelled with an entity), another link, mailto, relative, and the per-reader links. */
const email = (subject: string) => ({
  subject,
  html: `<!doctype html><html><head><style>a { color: #c00; }</style></head><body>
<p>Hello {{name}},</p>
<p><a href="${STORY.replace('&', '&amp;')}"><img src="https://example.org/budget.jpg" alt="The vote"></a></p>
<h2><a class="headline" href='${STORY}'>The budget passes</a></h2>
<p><a href="${OTHER}">Your letters</a> · <a href="mailto:desk@news.test">Write to us</a> · <a href="/about">About</a></p>
<p><a href="{{preferences_url}}">Your preferences</a> · <a href="{{unsubscribe_url}}">Unsubscribe</a></p>
</body></html>`,
  text: `Hello {{name}},\n\nThe budget passes: ${STORY}\nYour letters: ${OTHER}\n\nYour preferences: {{preferences_url}}\nUnsubscribe: {{unsubscribe_url}}\n`,
});

/** What a mail client sees in the HTML part: link addresses (in order) and image sources. */
function read(mail: ParsedMail): { hrefs: string[]; images: { src: string; attrs: Record<string, string> }[] } {
  const hrefs: string[] = [];
  const images: { src: string; attrs: Record<string, string> }[] = [];
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (name === 'a' && attrs.href !== undefined) hrefs.push(attrs.href);
        if (name === 'img') images.push({ src: attrs.src ?? '', attrs });
      },
    },
    { decodeEntities: true },
  );
  parser.end(String(mail.html));
  return { hrefs, images };
}

const trackedPath = (href: string) => {
  const url = new URL(href);
  assert.equal(url.origin, 'http://news.test', `a tracked link goes through this site: ${href}`);
  return url.pathname;
};

for (const dialect of DIALECTS) {
  describe(`newsletter open and click tracking on ${dialect}`, () => {
    const smtp = new MailServer();
    let t: TestApp;
    let editor: Signed;
    let admin: Signed;
    let newsletterId: number;

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      await smtp.start();
      t = await startTestApp(dialect, { env: { NEWSLETTER_SMTP_URL: `smtp://127.0.0.1:${smtp.port}` } });
      editor = await signIn(t, (await createStaff(t, 'editor')).email, 'a long and memorable passphrase');
      admin = await signIn(t, (await createStaff(t, 'admin')).email, 'a long and memorable passphrase');
      newsletterId = (await t.app.newsletters.newsletters.create({ name: 'Morning Briefing', senderName: 'The Test Gazette', senderEmail: 'desk@news.test' })).id;
      await addReader(t, 'ann@example.org', 'Ann', [[newsletterId, 'subscribed']]);
      await addReader(t, 'bob@example.org', 'Bob', [[newsletterId, 'subscribed']]);
    });
    after(async () => {
      await t?.close();
      await smtp.close();
    });

    const setTracking = async (newsletters: { trackOpens?: boolean; trackClicks?: boolean }) => {
      const res = await call(t, 'PATCH', '/api/admin/settings', { cookie: admin.cookie, csrf: admin.csrf, body: { newsletters } });
      assert.equal(res.status, 200, res.text);
    };
    const sendView = async (sendId: number) => {
      const res = await call(t, 'GET', `/api/admin/newsletter-sends/${sendId}`, { cookie: editor.cookie, csrf: editor.csrf });
      assert.equal(res.status, 200, res.text);
      return res.json;
    };
    /** Starts a send and delivers it; the messages each reader received. */
    const send = async (subject: string) => {
      const { sendId } = await t.app.newsletters.delivery.startSend({ newsletterId, email: email(subject) });
      await t.app.runner.drain();
      const ann = smtp.to('ann@example.org', subject);
      const bob = smtp.to('bob@example.org', subject);
      assert.equal(ann.length, 1);
      assert.equal(bob.length, 1);
      return { sendId, ann: ann[0]!, bob: bob[0]! };
    };
    /** Follows a link as a mail client's browser does (GET), without following the redirect. */
    const follow = (path: string, method = 'GET') => fetch(t.url + path, { method, redirect: 'manual' });

    /** A 404 page and no redirect; `ours`: the tracking route's own page (not the site's generic one for unknown paths). */
    const assertNotRedirected = async (path: string, why: string, ours = true) => {
      const res = await follow(path);
      assert.equal(res.status, 404, `${why}: ${path}`);
      assert.equal(res.headers.get('location'), null, `${why}: no redirect`);
      const page = await res.text();
      assert.match(res.headers.get('content-type') ?? '', /text\/html/, why);
      if (ours) assert.match(page, /This link does not work/, `${why}: the friendly page`);
    };

    test('off by default: readers get the original links and no pixel; the send shows no tracking', async () => {
      const settings = await call(t, 'GET', '/api/admin/settings', { cookie: admin.cookie });
      assert.deepEqual({ trackOpens: settings.json.newsletters.trackOpens, trackClicks: settings.json.newsletters.trackClicks }, { trackOpens: false, trackClicks: false });

      const { sendId, ann } = await send('Untracked edition');
      const { hrefs, images } = read(ann);
      assert.deepEqual(hrefs.slice(0, 5), [STORY, STORY, OTHER, 'mailto:desk@news.test', '/about'], 'the links as composed');
      assert.match(hrefs[5]!, /^http:\/\/news\.test\/newsletters\/preferences\//);
      assert.match(hrefs[6]!, /^http:\/\/news\.test\/newsletters\/unsubscribe\//);
      assert.deepEqual(images.map((i) => i.src), ['https://example.org/budget.jpg'], 'no pixel');
      assert.ok(!String(ann.html).includes('/newsletters/c/') && !String(ann.html).includes('/newsletters/o/'));
      assert.equal((await sendView(sendId)).tracking, null);
      const stored = await t.app.db.kysely.selectFrom('newsletter_send_links').select('url').where('send_id', '=', sendId).execute();
      assert.deepEqual(stored, [], 'nothing stored for an untracked send');
    });

    test('on: links go through this site, the same for every reader; following one redirects to the original and counts; the pixel counts opens', async () => {
      await setTracking({ trackOpens: true, trackClicks: true });
      const { sendId, ann, bob } = await send('Tracked edition');
      const mine = read(ann);
      const theirs = read(bob);

      // Links: the story (twice, one tracked link), the other story; mailto and relative links untouched.
      const [image, headline, other, mailto, relative, prefs, unsubscribe] = mine.hrefs;
      assert.match(trackedPath(image!), new RegExp(`^/newsletters/c/${sendId}/1/[A-Za-z0-9_-]{22}$`));
      assert.equal(headline, image, 'one address, one tracked link');
      assert.match(trackedPath(other!), new RegExp(`^/newsletters/c/${sendId}/2/[A-Za-z0-9_-]{22}$`));
      assert.equal(mailto, 'mailto:desk@news.test');
      assert.equal(relative, '/about');
      // Nothing per reader: Bob's tracked links are Ann's, so a count cannot say who clicked.
      assert.deepEqual(theirs.hrefs.slice(0, 5), mine.hrefs.slice(0, 5));
      assert.deepEqual(theirs.images, mine.images);

      // The reader's own links are theirs, not rewritten, and match List-Unsubscribe.
      assert.match(prefs!, /^http:\/\/news\.test\/newsletters\/preferences\/[^/]+$/);
      assert.match(unsubscribe!, /^http:\/\/news\.test\/newsletters\/unsubscribe\/[^/]+$/);
      assert.notEqual(theirs.hrefs[6], unsubscribe, "each reader's own unsubscribe link");
      assert.equal(header(ann, 'List-Unsubscribe')!.match(/<(http[^>]+)>/)![1], unsubscribe, 'List-Unsubscribe is the untracked one-click link');
      assert.equal(header(ann, 'List-Unsubscribe-Post'), 'List-Unsubscribe=One-Click');
      assert.equal((await follow(new URL(prefs!).pathname)).status, 200, 'the preferences link still opens the page');

      // The text part keeps the original addresses.
      assert.ok((ann.text ?? '').includes(`The budget passes: ${STORY}\n`), ann.text);
      assert.ok((ann.text ?? '').includes(`Your letters: ${OTHER}\n`));
      assert.ok(!(ann.text ?? '').includes('/newsletters/c/') && !(ann.text ?? '').includes('/newsletters/o/'));

      // The pixel: a 1×1 image with empty alt, the last thing in the body.
      const pixel = mine.images.at(-1)!;
      assert.match(trackedPath(pixel.src), new RegExp(`^/newsletters/o/${sendId}/[A-Za-z0-9_-]{22}\\.gif$`));
      assert.deepEqual([pixel.attrs.width, pixel.attrs.height, pixel.attrs.alt], ['1', '1', '']);
      assert.match(String(ann.html), /\.gif"[^>]*><\/body>/, 'just before </body>');

      // Following links as a mail client does.
      const click = await follow(trackedPath(image!));
      assert.equal(click.status, 302);
      assert.equal(click.headers.get('location'), STORY, 'exactly the original address');
      assert.equal(click.headers.get('cache-control'), 'no-store');
      assert.equal(click.headers.get('referrer-policy'), 'no-referrer');
      for (let i = 0; i < 2; i++) assert.equal((await follow(trackedPath(other!))).headers.get('location'), OTHER);
      const checker = await follow(trackedPath(other!), 'HEAD');
      assert.equal(checker.status, 302, 'a HEAD is answered');

      let tracking = (await sendView(sendId)).tracking;
      assert.deepEqual(tracking, {
        trackOpens: true,
        trackClicks: true,
        opens: 0,
        clicks: 3,
        links: [
          { url: STORY, clicks: 1 },
          { url: OTHER, clicks: 2 },
        ],
      }, 'clicks per link; HEAD requests (link checkers) are not counted');

      // Opens.
      for (let i = 0; i < 2; i++) {
        const res = await follow(trackedPath(pixel.src));
        assert.equal(res.status, 200);
        assert.equal(res.headers.get('content-type'), 'image/gif');
        assert.equal(res.headers.get('cache-control'), 'no-store');
        assert.equal(res.headers.get('cross-origin-resource-policy'), 'cross-origin', 'webmail on another origin may load it');
        const gif = Buffer.from(await res.arrayBuffer());
        assert.equal(gif.length, 43);
        const { data, info } = await sharp(gif).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
        assert.deepEqual([info.width, info.height, data[3]], [1, 1, 0], 'one transparent pixel');
      }
      tracking = (await sendView(sendId)).tracking;
      assert.equal(tracking.opens, 2);

      // Nothing per reader stored anywhere: the counts are all there is.
      const stored = await t.app.db.kysely.selectFrom('newsletter_send_links').selectAll().where('send_id', '=', sendId).orderBy('position').execute();
      assert.deepEqual(stored.map((l) => Object.keys(l).sort()), [['clicks', 'position', 'send_id', 'url'], ['clicks', 'position', 'send_id', 'url']]);
    });

    test('forged, tampered, foreign and external links never redirect and count nothing', async () => {
      await setTracking({ trackOpens: true, trackClicks: true });
      const first = await send('Tracked edition two');
      const second = await send('Tracked edition three');
      const link = trackedPath(read(first.ann).hrefs[0]!); // /newsletters/c/<first>/1/<sig>
      const [, , , , pos, sig] = link.split('/');
      const pixel = trackedPath(read(first.ann).images.at(-1)!.src);
      const before = [(await sendView(first.sendId)).tracking, (await sendView(second.sendId)).tracking];

      const tampered = sig!.slice(0, -1) + (sig!.endsWith('A') ? 'B' : 'A');
      await assertNotRedirected(`/newsletters/c/${first.sendId}/${pos}/${tampered}`, 'a tampered signature');
      await assertNotRedirected(`/newsletters/c/${second.sendId}/${pos}/${sig}`, "another send's link signature");
      await assertNotRedirected(`/newsletters/c/${first.sendId}/2/${sig}`, "another position's signature");
      // Correctly signed for a position the send does not have: the target comes only from the database.
      const secret = (await t.app.db.kysely.selectFrom('newsletter_send_tracking').select('secret').where('send_id', '=', first.sendId).executeTakeFirstOrThrow()).secret;
      await assertNotRedirected(`/newsletters/c/${first.sendId}/3/${clickSignature(secret, first.sendId, 3)}`, 'a position the send does not have');
      await assertNotRedirected(`/newsletters/c/${first.sendId}/${pos}/${encodeURIComponent('https://evil.example/')}`, 'an address in place of the signature');
      await assertNotRedirected(`/newsletters/c/https%3A%2F%2Fevil.example/${pos}/${sig}`, 'an address in place of the send');
      await assertNotRedirected(`/newsletters/c/${first.sendId}/${pos}/${sig}/https://evil.example`, 'an address after the link', false);
      await assertNotRedirected(`/newsletters/c/99999999999/${pos}/${sig}`, 'a send id out of range');
      await assertNotRedirected(`/newsletters/c/0/0/${sig}`, 'zeros');
      // Extra query parameters change nothing: the redirect goes to the stored address only.
      const withQuery = await follow(`${link}?url=https://evil.example/&next=//evil.example`);
      assert.equal(withQuery.headers.get('location'), STORY);

      // Pixels: tampered or for another send → 404, not counted.
      const [, , , , pixelSig] = pixel.split('/');
      assert.equal((await follow(`/newsletters/o/${first.sendId}/${tampered}.gif`)).status, 404);
      assert.equal((await follow(`/newsletters/o/${second.sendId}/${pixelSig}`)).status, 404);
      assert.equal((await follow(`/newsletters/o/${first.sendId}/${pixelSig!.replace('.gif', '.png')}`)).status, 404);

      const afterwards = [(await sendView(first.sendId)).tracking, (await sendView(second.sendId)).tracking];
      assert.equal(afterwards[0].clicks, before[0].clicks + 1, 'only the genuine click (with its extra query) counted');
      assert.equal(afterwards[0].opens, before[0].opens);
      assert.deepEqual(afterwards[1], before[1]);

      // A deleted send's links (already followed once, so known to this node) stop working, and their counts go with it.
      const secondLink = trackedPath(read(second.ann).hrefs[0]!);
      const secondPixel = trackedPath(read(second.ann).images.at(-1)!.src);
      assert.equal((await follow(secondLink)).status, 302);
      assert.equal((await follow(secondPixel)).status, 200);
      await t.app.db.kysely.deleteFrom('newsletter_sends').where('id', '=', second.sendId).execute();
      await assertNotRedirected(secondLink, 'a deleted send');
      assert.equal((await follow(secondPixel)).status, 404);
      const left = await t.app.db.kysely.selectFrom('newsletter_send_links').select('url').where('send_id', '=', second.sendId).execute();
      assert.deepEqual(left, []);
    });

    test('what a send tracks is fixed when it starts; opens alone leave the links as composed', async () => {
      await setTracking({ trackOpens: true, trackClicks: false });
      const { sendId: opensOnly, ann } = await send('Opens only edition');
      const { hrefs, images } = read(ann);
      assert.deepEqual(hrefs.slice(0, 3), [STORY, STORY, OTHER], 'links as composed');
      assert.match(images.at(-1)!.src, /\/newsletters\/o\//, 'the pixel is there');
      assert.deepEqual((await sendView(opensOnly)).tracking, { trackOpens: true, trackClicks: false, opens: 0, clicks: 0, links: [] });

      // Started with tracking on, then the setting is turned off before delivery: the send still tracks.
      await setTracking({ trackOpens: true, trackClicks: true });
      const subject = 'Turned off mid-send';
      const { sendId } = await t.app.newsletters.delivery.startSend({ newsletterId, email: email(subject) });
      await setTracking({ trackOpens: false, trackClicks: false });
      await t.app.runner.drain();
      const mail = smtp.to('ann@example.org', subject)[0]!;
      const link = read(mail).hrefs[0]!;
      assert.match(link, /\/newsletters\/c\//);
      assert.equal((await follow(trackedPath(link))).headers.get('location'), STORY, 'its links keep working');
      assert.equal((await sendView(sendId)).tracking.clicks, 1);

      // And the send started after that does not track.
      const { sendId: off } = await send('Off again');
      assert.equal((await sendView(off)).tracking, null);
    });

    test('the settings take only true or false', async () => {
      const res = await call(t, 'PATCH', '/api/admin/settings', { cookie: admin.cookie, csrf: admin.csrf, body: { newsletters: { trackClicks: 'yes' } } });
      assert.equal(res.status, 400, res.text);
      assert.equal(res.json.error.fields[0].path, '/newsletters/trackClicks');
      assert.equal(t.app.settings.get().newsletters.trackClicks, false, 'unchanged');
    });
  });
}


for (const dialect of DIALECTS) {
  describe(`newsletter tracking settings in Chromium on ${dialect}`, () => {
    let t: TestApp;
    let browser: Browser;

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      t = await startAdminTestApp(dialect);
      browser = await launchBrowser();
    });
    after(async () => {
      await browser?.close();
      await t?.close();
    });

    test('an admin turns click counting on in Settings; opens stay off; the soft-bounce threshold is set there too', async () => {
      const admin = await createStaff(t, 'admin');
      const { context, problems } = await watchedContext(browser, t.url);
      const page = await context.newPage();
      await signInThroughUi(page, t.url, admin.email, admin.password, '/admin/settings');
      const group = page.getByRole('group', { name: 'Newsletters' });
      const opens = group.getByRole('checkbox', { name: 'Count opens' });
      const clicks = group.getByRole('checkbox', { name: 'Count clicks' });
      assert.equal(await opens.isChecked(), false, 'off by default');
      assert.equal(await clicks.isChecked(), false, 'off by default');
      await clicks.check();
      await page.getByRole('button', { name: 'Save settings' }).click();
      await page.getByText('Settings saved.').waitFor();
      assert.deepEqual(
        { trackOpens: t.app.settings.get().newsletters.trackOpens, trackClicks: t.app.settings.get().newsletters.trackClicks },
        { trackOpens: false, trackClicks: true },
      );
      await page.reload();
      assert.equal(await page.getByRole('group', { name: 'Newsletters' }).getByRole('checkbox', { name: 'Count clicks' }).isChecked(), true, 'saved');

      // The soft-bounce threshold of the suppression list sits in the same group.
      const softBounces = page.getByRole('group', { name: 'Newsletters' }).getByRole('spinbutton', { name: /Soft bounces before an address is suppressed/ });
      assert.equal(await softBounces.inputValue(), '3', 'the default');
      await softBounces.fill('0');
      await page.getByRole('button', { name: 'Save settings' }).click();
      await page.getByText('Enter a whole number from 1 to 20', { exact: true }).waitFor();
      assert.equal(t.app.settings.get().newsletters.softBounceLimit, 3, 'nothing saved');
      await softBounces.fill('5');
      await page.getByRole('button', { name: 'Save settings' }).click();
      await page.getByText('Settings saved.').waitFor();
      assert.equal(t.app.settings.get().newsletters.softBounceLimit, 5);

      const serious = await seriousViolations(page);
      assert.equal(serious, '', 'axe: no serious or critical WCAG 2.1 AA violation on the Settings screen');
      assertAdminPageClean(problems as PageProblems, 'settings screen', [/^400 PATCH \S+\/api\/admin\/settings$/]);
      await context.close();
    });
  });
}
