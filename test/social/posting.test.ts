/**
 * Posting on publish, on SQLite and PostgreSQL, against the fake networks:
 * what each network received (text, link, card, image blob, auth), what the
 * article's social panel shows, no post on edits or republishing, scheduled
 * stories posted when they go live, opt-out and custom text, and failures
 * shown plainly: an expired token (401), a rate limit (429) honouring its
 * reset time, a 500 retried, the editor's retry, and crashes mid-post.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { assertPostgresReachable, DIALECTS, startTestApp, type TestApp } from '../support/apps.js';
import { call, createStaff, signIn, type Signed } from '../accounts/support.js';
import { makeNewsroom, publishedArticle, paragraphs, type Newsroom } from '../support/fixtures.js';
import { FakeNetworks } from './fake-networks.js';
import { articleSocial, connectAll, PAGE_ID, postOf, SECRETS } from './support.js';
import { recordKeyFor } from '../../src/social/networks/bluesky.js';

for (const dialect of DIALECTS) {
  describe(`social posting on ${dialect}`, () => {
    const fake = new FakeNetworks();
    let t: TestApp;
    let admin: Signed;
    let room: Newsroom;
    let imageId: number;

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      await fake.start();
      t = await startTestApp(dialect);
      const staff = await createStaff(t, 'admin');
      admin = await signIn(t, staff.email, staff.password);
      room = await makeNewsroom(t.app);
      await connectAll(t, admin, fake);
      const jpeg = await sharp({ create: { width: 1600, height: 900, channels: 3, background: { r: 20, g: 90, b: 140 } } }).jpeg().toBuffer();
      imageId = (await t.app.media.upload({ data: jpeg, filename: 'harbour.jpg', uploadedBy: null, alt: 'The harbour at dawn' })).row.id;
    });
    after(async () => {
      await t?.close();
      await fake.close();
    });
    beforeEach(() => fake.reset());

    test('publishing posts once to every connected account, with text, link and card; the panel shows each link', async () => {
      const article = await publishedArticle(t.app, room, { headline: 'Harbour bridge reopens after repairs', dek: 'Traffic returns on Monday.', imageId });
      const link = `http://news.test${article.path}`;
      assert.equal(fake.received.length, 0, 'nothing is sent in the publishing request');
      await t.app.runner.drain();

      const [status, ...moreStatuses] = fake.of('mastodon.status');
      assert.ok(status);
      assert.equal(moreStatuses.length, 0);
      assert.equal(status.body.status, `Harbour bridge reopens after repairs\n\n${link}`);
      assert.equal(status.body.visibility, 'public');
      assert.equal(status.headers.authorization, `Bearer ${SECRETS.mastodon}`);
      assert.ok(status.headers['idempotency-key'], 'an Idempotency-Key is sent');

      const [blob] = fake.of('bluesky.blob');
      assert.ok(blob, 'the card image was uploaded');
      assert.equal(blob.headers['content-type'], 'image/jpeg');
      assert.equal(blob.headers.authorization, 'Bearer access.jwt.token');
      const image = await sharp(blob.raw).metadata();
      assert.equal(image.width, 1200, 'resized for a card');
      const [create] = fake.of('bluesky.create');
      assert.ok(create);
      assert.equal(create.body.repo, 'did:plc:gazette123');
      assert.equal(create.body.collection, 'app.bsky.feed.post');
      const record = create.body.record;
      assert.equal(record.text, `Harbour bridge reopens after repairs\n\n${link}`);
      const start = Buffer.byteLength('Harbour bridge reopens after repairs\n\n');
      assert.deepEqual(record.facets, [{ index: { byteStart: start, byteEnd: start + Buffer.byteLength(link) }, features: [{ $type: 'app.bsky.richtext.facet#link', uri: link }] }]);
      assert.equal(record.embed.$type, 'app.bsky.embed.external');
      assert.equal(record.embed.external.uri, link);
      assert.equal(record.embed.external.title, 'Harbour bridge reopens after repairs');
      assert.equal(record.embed.external.description, 'Traffic returns on Monday.');
      assert.equal(record.embed.external.thumb.ref.$link, 'bafkreibme22gw2h7y2h7tg2fhqotaqjucnbc24deqo72b6mkl2egezxhvy');
      assert.equal(record.embed.external.thumb.mimeType, 'image/jpeg');

      const [feed] = fake.of('facebook.feed');
      assert.ok(feed);
      assert.equal(feed.path, `/v21.0/${PAGE_ID}/feed`);
      assert.deepEqual(feed.body, { message: 'Harbour bridge reopens after repairs', link });
      assert.equal(feed.headers.authorization, `Bearer ${SECRETS.facebook}`);

      const [tweet] = fake.of('x.tweet');
      assert.ok(tweet);
      assert.deepEqual(tweet.body, { text: `Harbour bridge reopens after repairs\n\n${link}` });
      assert.match(String(tweet.headers.authorization), /^OAuth .*oauth_consumer_key="x-consumer-key"/);

      const social = await articleSocial(t, admin, article.id);
      assert.deepEqual(social.posts.map((p) => [p.network, p.status]), [['bluesky', 'posted'], ['facebook', 'posted'], ['mastodon', 'posted'], ['x', 'posted']]);
      assert.match(postOf(social, 'mastodon').remoteUrl!, /^https:\/\/social\.example\/@gazette\/\d+$/);
      assert.equal(postOf(social, 'bluesky').remoteUrl, `https://bsky.app/profile/gazette.bsky.social/post/${create.body.rkey}`);
      assert.match(postOf(social, 'facebook').remoteUrl!, new RegExp(`^https://www\\.facebook\\.com/${PAGE_ID}_\\d+$`));
      assert.match(postOf(social, 'x').remoteUrl!, /^https:\/\/x\.com\/i\/web\/status\/\d+$/);

      // An edit, then unpublishing and publishing again: nothing more is posted.
      await t.app.articles.update(article.id, { headline: 'Harbour bridge reopens' }, { actor: 'test' });
      await t.app.articles.unpublish(article.id, { actor: 'test' });
      await t.app.articles.publish(article.id, { actor: 'test' });
      await t.app.runner.drain();
      assert.equal(fake.of('mastodon.status').length, 1);
      assert.equal(fake.of('x.tweet').length, 1);
      assert.equal(fake.of('bluesky.create').length, 1);
      assert.equal(fake.of('facebook.feed').length, 1);

      // Unless an editor asks: a second post, with a new key.
      const again = await call(t, 'POST', `/api/admin/articles/${article.id}/social/mastodon`, { body: {}, cookie: admin.cookie, csrf: admin.csrf });
      assert.equal(again.status, 409);
      const yes = await call(t, 'POST', `/api/admin/articles/${article.id}/social/mastodon`, { body: { again: true }, cookie: admin.cookie, csrf: admin.csrf });
      assert.equal(yes.status, 202, yes.text);
      await t.app.runner.drain();
      const statuses = fake.of('mastodon.status');
      assert.equal(statuses.length, 2);
      assert.notEqual(statuses[1]!.headers['idempotency-key'], statuses[0]!.headers['idempotency-key']);
    });

    test('a scheduled story is posted when it goes live, not when it is scheduled', async () => {
      const created = await t.app.articles.create({ headline: 'Night market returns', dek: '', body: paragraphs(3), sectionId: room.sections.local }, { actor: 'test' });
      await t.app.articles.publish(created.id, { actor: 'test', at: new Date(t.clock.now().getTime() + 3_600_000) });
      await t.app.runner.drain();
      assert.equal(fake.received.length, 0);
      assert.deepEqual((await articleSocial(t, admin, created.id)).posts, []);
      t.clock.advance(3_600_001);
      await t.app.runner.drain();
      assert.equal(fake.of('mastodon.status').length, 1);
      assert.match(fake.of('mastodon.status')[0]!.body.status, /^Night market returns\n\nhttp:\/\/news\.test\/local\//);
    });

    test('opt-out: nothing is posted and every network shows "skipped"; custom text per network is used', async () => {
      const quiet = await t.app.articles.create({ headline: 'Corrections policy updated', dek: '', body: paragraphs(2), sectionId: room.sections.local }, { actor: 'test' });
      const put = await call(t, 'PUT', `/api/admin/articles/${quiet.id}/social`, { body: { optOut: true, texts: {} }, cookie: admin.cookie, csrf: admin.csrf });
      assert.equal(put.status, 200, put.text);
      await t.app.articles.publish(quiet.id, { actor: 'test' });
      await t.app.runner.drain();
      assert.equal(fake.received.length, 0);
      const skipped = await articleSocial(t, admin, quiet.id);
      assert.ok(skipped.posts.length === 4 && skipped.posts.every((p) => p.status === 'skipped' && p.error === 'Social posting is turned off for this article'));

      const custom = await t.app.articles.create({ headline: 'Ferry timetable changes', dek: '', body: paragraphs(2), sectionId: room.sections.local }, { actor: 'test' });
      const texts = { x: 'New ferry times from Monday: check your crossing', facebook: 'The ferry timetable changes on Monday. Here is what moves.' };
      assert.equal((await call(t, 'PUT', `/api/admin/articles/${custom.id}/social`, { body: { optOut: false, texts }, cookie: admin.cookie, csrf: admin.csrf })).status, 200);
      await t.app.articles.publish(custom.id, { actor: 'test' });
      await t.app.runner.drain();
      assert.match(fake.of('x.tweet')[0]!.body.text, /^New ferry times from Monday: check your crossing\n\nhttp:\/\/news\.test\/local\/ferry-timetable-changes/);
      assert.equal(fake.of('facebook.feed')[0]!.body.message, texts.facebook);
      assert.match(fake.of('mastodon.status')[0]!.body.status, /^Ferry timetable changes\n\n/, 'networks without custom text use the headline');
      const options = await articleSocial(t, admin, custom.id);
      assert.deepEqual(options.options, { optOut: false, texts });

      const tooLong = await call(t, 'PUT', `/api/admin/articles/${custom.id}/social`, { body: { optOut: false, texts: { x: 'x'.repeat(256) } }, cookie: admin.cookie, csrf: admin.csrf });
      assert.equal(tooLong.status, 400);
      assert.match(tooLong.text, /at most 255 characters on X/);
    });

    test('an expired token fails plainly at once; a 429 waits for its reset; a 500 retries; the editor retries the failure', async () => {
      fake.fail('x.tweet', { status: 401, body: { title: 'Unauthorized', detail: 'Unauthorized', type: 'about:blank', status: 401 } });
      const reset = new Date(t.clock.now().getTime() + 120_000);
      fake.fail('mastodon.status', { status: 429, body: { error: 'Too many requests' }, headers: { 'x-ratelimit-reset': reset.toISOString(), 'x-ratelimit-remaining': '0' } });
      fake.fail('facebook.feed', { status: 500, body: { error: { message: 'An unexpected error has occurred. Please retry your request later.', type: 'OAuthException', code: 2 } } });
      const article = await publishedArticle(t.app, room, { headline: 'Storm warning for the coast' });
      await t.app.runner.drain();

      let social = await articleSocial(t, admin, article.id);
      assert.equal(postOf(social, 'x').status, 'failed');
      assert.match(postOf(social, 'x').error!, /X refused the credentials \(HTTP 401\): Unauthorized\. The token may have expired or been revoked: reconnect the account\./);
      assert.equal(postOf(social, 'mastodon').status, 'queued');
      assert.match(postOf(social, 'mastodon').error!, /Mastodon rate limit reached \(HTTP 429\): Too many requests/);
      assert.equal(postOf(social, 'mastodon').nextAttemptAt, reset.toISOString(), 'the retry waits for the reset time');
      assert.equal(postOf(social, 'facebook').status, 'queued');
      assert.match(postOf(social, 'facebook').error!, /Facebook answered HTTP 500: An unexpected error/);
      assert.equal(postOf(social, 'bluesky').status, 'posted');
      const accounts = await call(t, 'GET', '/api/admin/social/accounts', { cookie: admin.cookie });
      assert.match((accounts.json.items as any[]).find((a) => a.network === 'x').lastError, /HTTP 401/, 'the account shows the refused token too');

      // A minute later the backoff for the 500 is over, the rate limit is not.
      t.clock.advance(60_000);
      await t.app.runner.drain();
      assert.equal(fake.of('mastodon.status').length, 1, 'no request before the reset time');
      assert.equal(fake.of('facebook.feed').length, 2);
      social = await articleSocial(t, admin, article.id);
      assert.equal(postOf(social, 'facebook').status, 'posted');
      assert.equal(postOf(social, 'facebook').error, null);

      t.clock.advance(61_000);
      await t.app.runner.drain();
      assert.equal(fake.of('mastodon.status').length, 2);
      const [first, second] = fake.of('mastodon.status');
      assert.equal(second!.headers['idempotency-key'], first!.headers['idempotency-key'], 'a retry sends the same key');
      social = await articleSocial(t, admin, article.id);
      assert.equal(postOf(social, 'mastodon').status, 'posted');
      assert.equal(postOf(social, 'mastodon').attempts, 2);

      // The token is fixed; the editor presses Retry.
      assert.equal(fake.of('x.tweet').length, 1, 'a refused token is not retried by itself');
      const retry = await call(t, 'POST', `/api/admin/articles/${article.id}/social/x`, { body: {}, cookie: admin.cookie, csrf: admin.csrf });
      assert.equal(retry.status, 202, retry.text);
      assert.equal(retry.json.posts.find((p: any) => p.network === 'x').status, 'queued');
      await t.app.runner.drain();
      social = await articleSocial(t, admin, article.id);
      assert.equal(postOf(social, 'x').status, 'posted');
      assert.equal(fake.of('x.tweet').length, 2);
    });

    test('a network that keeps failing is shown as failed after the last attempt, with its message', async () => {
      const down = { status: 503, body: { errors: [{ message: 'Over capacity' }] } };
      fake.fail('x.tweet', down, down, down, down, down, down);
      const article = await publishedArticle(t.app, room, { headline: 'Water main repairs finished' });
      for (let i = 0; i < 8; i++) {
        await t.app.runner.drain();
        t.clock.advance(3_600_000);
      }
      assert.equal(fake.of('x.tweet').length, 6);
      const x = postOf(await articleSocial(t, admin, article.id), 'x');
      assert.equal(x.status, 'failed');
      assert.match(x.error!, /^Gave up after 6 attempts\. X answered HTTP 503: Over capacity/);
    });

    test('a crash mid-post: Bluesky finds the post it already made; X is not sent twice and says why', async () => {
      const article = await publishedArticle(t.app, room, { headline: 'Library opens on Sundays' });
      // The worker "died" after sending to both networks and before recording the answers.
      const posts = await t.app.db.kysely.selectFrom('social_posts').selectAll().where('article_id', '=', article.id).execute();
      const bluesky = posts.find((p) => p.network === 'bluesky')!;
      fake.blueskyRecords.set(recordKeyFor(bluesky.idempotency_key), { uri: `at://did:plc:gazette123/app.bsky.feed.post/${recordKeyFor(bluesky.idempotency_key)}`, value: {} });
      await t.app.db.kysely.updateTable('social_posts').set({ status: 'posting', attempts: 1 }).where('article_id', '=', article.id).where('network', 'in', ['bluesky', 'x']).execute();
      await t.app.runner.drain();

      assert.equal(fake.of('bluesky.create').length, 0, 'no second Bluesky post');
      assert.equal(fake.of('bluesky.get').length, 1);
      assert.equal(fake.of('x.tweet').length, 0, 'no blind second X post');
      const social = await articleSocial(t, admin, article.id);
      assert.equal(postOf(social, 'bluesky').status, 'posted');
      assert.match(postOf(social, 'bluesky').remoteUrl!, new RegExp(`/post/${recordKeyFor(bluesky.idempotency_key)}$`));
      assert.equal(postOf(social, 'x').status, 'failed');
      assert.match(postOf(social, 'x').error!, /cut off while sending to X, so it may or may not have been posted/);
      assert.equal(postOf(social, 'mastodon').status, 'posted');
    });

    test('X refusing a repeated text is a refused post, not a refused token; the catch-up posts missed stories only to accounts connected before them', async () => {
      fake.fail('x.tweet', { status: 403, body: { detail: 'You are not allowed to create a Tweet with duplicate content.', type: 'about:blank', title: 'Forbidden', status: 403 } });
      const article = await publishedArticle(t.app, room, { headline: 'Same words twice' });
      await t.app.runner.drain();
      const x = postOf(await articleSocial(t, admin, article.id), 'x');
      assert.equal(x.status, 'failed');
      assert.equal(x.error, 'X refused the post as a duplicate (HTTP 403): You are not allowed to create a Tweet with duplicate content.');
      const account = (await call(t, 'GET', '/api/admin/social/accounts', { cookie: admin.cookie })).json.items.find((a: any) => a.network === 'x');
      assert.equal(account.lastError, null, 'the X account is not marked as refused');

      // The process stopped before the publish event queued anything: the rows are missing. The next start's catch-up posts it.
      const missed = await publishedArticle(t.app, room, { headline: 'Missed by a crash' });
      await t.app.db.kysely.deleteFrom('social_posts').where('article_id', '=', missed.id).execute();
      await t.app.db.kysely.deleteFrom('jobs').where('kind', '=', 'social.post').where('status', '=', 'queued').execute();
      // An account connected after that story went live gets nothing from the catch-up.
      await t.app.db.kysely.updateTable('social_accounts').set({ connected_at: new Date(t.clock.now().getTime() + 1000).toISOString() }).where('network', '=', 'facebook').execute();
      t.clock.advance(5000);
      fake.reset();
      assert.equal(await t.app.social.posts.catchUp(), 3);
      await t.app.runner.drain();
      const social = await articleSocial(t, admin, missed.id);
      assert.deepEqual(social.posts.map((p) => [p.network, p.status]), [['bluesky', 'posted'], ['mastodon', 'posted'], ['x', 'posted']]);
      assert.equal(fake.of('facebook.feed').length, 0);
      assert.equal(await t.app.social.posts.catchUp(), 0, 'nothing twice');
    });

    test('permissions and bad input on the article panel', async () => {
      const article = await publishedArticle(t.app, room, { headline: 'Permissions story' });
      await t.app.runner.drain();
      const contributorStaff = await createStaff(t, 'contributor');
      const contributor = await signIn(t, contributorStaff.email, contributorStaff.password);
      assert.equal((await call(t, 'PUT', `/api/admin/articles/${article.id}/social`, { body: { optOut: true, texts: {} }, cookie: contributor.cookie, csrf: contributor.csrf })).status, 403);
      assert.equal((await call(t, 'POST', `/api/admin/articles/${article.id}/social/x`, { body: {}, cookie: contributor.cookie, csrf: contributor.csrf })).status, 403);
      assert.equal((await call(t, 'GET', '/api/admin/articles/999999/social', { cookie: admin.cookie })).status, 404);
      assert.equal((await call(t, 'PUT', `/api/admin/articles/${article.id}/social`, { body: { optOut: 'yes' }, cookie: admin.cookie, csrf: admin.csrf })).status, 400);
      assert.equal((await call(t, 'POST', `/api/admin/articles/${article.id}/social/myspace`, { body: {}, cookie: admin.cookie, csrf: admin.csrf })).status, 400);
      const draft = await t.app.articles.create({ headline: 'Draft', dek: '', body: paragraphs(1) }, { actor: 'test' });
      assert.equal((await call(t, 'POST', `/api/admin/articles/${draft.id}/social/x`, { body: {}, cookie: admin.cookie, csrf: admin.csrf })).status, 409);
    });
  });
}
