/**
 * Readers' push subscriptions and the alert form's rules, on SQLite and
 * PostgreSQL, as a production site (no test switch for local endpoints):
 * only https endpoints on public addresses, keys that decode to a P-256 point
 * and a 16-byte secret, real topics, requests from our own pages; change and
 * stop need the subscription's secret. The VAPID key survives a restart.
 * Alerts: editors only, clear 400s for oversized or bad fields, one alert per
 * requestKey.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createECDH, randomBytes } from 'node:crypto';
import { assertPostgresReachable, DIALECTS, startTestApp, type TestApp } from '../support/apps.js';
import { call, createStaff, signIn } from '../accounts/support.js';
import { makeNewsroom, paragraphs, publishedArticle, type Newsroom } from '../support/fixtures.js';

type Json = Record<string, any>;
const SAME_ORIGIN = { 'sec-fetch-site': 'same-origin', accept: 'application/json' };

function keys() {
  return { p256dh: createECDH('prime256v1').generateKeys().toString('base64url'), auth: randomBytes(16).toString('base64url') };
}

for (const dialect of DIALECTS) {
  describe(`push subscriptions on ${dialect}`, () => {
    let t: TestApp;
    let room: Newsroom;
    const save = (body: unknown, headers: Record<string, string> = SAME_ORIGIN) => call(t, 'PUT', '/push/subscription', { body, headers });

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      t = await startTestApp(dialect);
      room = await makeNewsroom(t.app);
    });
    after(async () => {
      await t?.close();
    });

    test('a subscription is saved with its topics, found, changed and removed with its secret', async () => {
      const k = keys();
      const endpoint = 'https://203.0.114.9/push/abc'; // a public address: nothing is resolved
      const created = await save({ subscription: { endpoint, expirationTime: null, keys: k }, topics: ['breaking', `section:${room.sections.world}`] });
      assert.equal(created.status, 201, created.text);
      assert.deepEqual(created.json.topics, ['breaking', `section:${room.sections.world}`]);

      const found = await call(t, 'POST', '/push/subscription/find', { body: { endpoint, auth: k.auth }, headers: SAME_ORIGIN });
      assert.equal(found.status, 200);
      assert.deepEqual(found.json, { topics: ['breaking', `section:${room.sections.world}`], active: true });

      const changed = await save({ subscription: { endpoint, keys: k }, topics: [`section:${room.sections.local}`] });
      assert.equal(changed.status, 200);
      assert.deepEqual(changed.json.topics, [`section:${room.sections.local}`]);

      const stranger = await save({ subscription: { endpoint, keys: keys() }, topics: ['breaking'] });
      assert.equal(stranger.status, 403, 'another browser cannot take over the endpoint');
      const wrongSecret = await call(t, 'POST', '/push/subscription/find', { body: { endpoint, auth: keys().auth }, headers: SAME_ORIGIN });
      assert.equal(wrongSecret.status, 404);
      const deleteWrong = await call(t, 'DELETE', '/push/subscription', { body: { endpoint, auth: keys().auth }, headers: SAME_ORIGIN });
      assert.equal(deleteWrong.status, 404);

      const removed = await call(t, 'DELETE', '/push/subscription', { body: { endpoint, auth: k.auth }, headers: SAME_ORIGIN });
      assert.equal(removed.status, 204);
      assert.equal(await t.app.push.repo.subscriptionByEndpoint(endpoint), undefined);
    });

    test('endpoints that are not https, or reach loopback, private, link-local or other special-use addresses, are 400s', async () => {
      const bad = [
        'http://push.example.com/x',
        'https://127.0.0.1/x',
        'https://localhost:8443/x',
        'https://10.1.2.3/x',
        'https://172.20.0.5/x',
        'https://192.168.1.10/x',
        'https://169.254.169.254/latest/meta-data',
        'https://100.64.0.1/x',
        'https://0.0.0.0/x',
        'https://[::1]/x',
        'https://[fe80::1]/x',
        'https://[fd00::5]/x',
        'https://[::ffff:127.0.0.1]/x',
        'https://224.0.0.1/x',
        'https://user:pw@push.example.com/x',
        'not a url',
      ];
      for (const endpoint of bad) {
        const res = await save({ subscription: { endpoint, keys: keys() }, topics: ['breaking'] });
        assert.equal(res.status, 400, `${endpoint}: ${res.text}`);
        assert.equal(res.json.error.fields[0].path, '/subscription/endpoint', endpoint);
      }
      const unresolvable = await save({ subscription: { endpoint: 'https://no-such-host.invalid/x', keys: keys() }, topics: ['breaking'] });
      assert.equal(unresolvable.status, 400);
      assert.match(unresolvable.json.error.message, /resolve/);
    });

    test('keys must decode to a P-256 point and a 16-byte secret; topics must exist; JSON from our own pages only', async () => {
      const endpoint = 'https://203.0.114.10/push/keys';
      const good = keys();
      const notOnCurve = Buffer.alloc(65, 1);
      notOnCurve[0] = 4;
      const cases: [string, unknown, string][] = [
        ['short p256dh', { subscription: { endpoint, keys: { ...good, p256dh: randomBytes(33).toString('base64url') } }, topics: ['breaking'] }, '/subscription/keys/p256dh'],
        ['p256dh off the curve', { subscription: { endpoint, keys: { ...good, p256dh: notOnCurve.toString('base64url') } }, topics: ['breaking'] }, '/subscription/keys/p256dh'],
        ['auth of 15 bytes', { subscription: { endpoint, keys: { ...good, auth: randomBytes(15).toString('base64url') } }, topics: ['breaking'] }, '/subscription/keys/auth'],
        ['auth not base64url', { subscription: { endpoint, keys: { ...good, auth: 'not base64!' } }, topics: ['breaking'] }, '/subscription/keys/auth'],
        ['unknown topic', { subscription: { endpoint, keys: good }, topics: ['sport'] }, '/topics/0'],
        ['deleted section', { subscription: { endpoint, keys: good }, topics: ['section:99999'] }, '/topics/0'],
      ];
      for (const [name, body, path] of cases) {
        const res = await save(body);
        assert.equal(res.status, 400, `${name}: ${res.text}`);
        assert.ok(res.json.error.fields.some((f: Json) => f.path === path), `${name}: ${res.text}`);
      }
      const noTopics = await save({ subscription: { endpoint, keys: good }, topics: [] });
      assert.equal(noTopics.status, 400);
      const missingKeys = await save({ subscription: { endpoint }, topics: ['breaking'] });
      assert.equal(missingKeys.status, 400);
      const notJson = await call(t, 'PUT', '/push/subscription', { raw: 'subscription=1', headers: { ...SAME_ORIGIN, 'content-type': 'application/x-www-form-urlencoded' } });
      assert.ok(notJson.status === 400 || notJson.status === 415, `form posts are refused: ${notJson.status}`);
      const crossSite = await save({ subscription: { endpoint, keys: good }, topics: ['breaking'] }, { 'sec-fetch-site': 'cross-site', accept: 'application/json' });
      assert.equal(crossSite.status, 403);
      const otherOrigin = await save({ subscription: { endpoint, keys: good }, topics: ['breaking'] }, { origin: 'https://evil.example', accept: 'application/json' });
      assert.equal(otherOrigin.status, 403);
      assert.equal(await t.app.push.repo.subscriptionByEndpoint(endpoint), undefined, 'nothing was stored by any refused request');
    });

    test('alerts: editors only; oversized or bad fields are 400s; one alert per requestKey', async () => {
      const article = await publishedArticle(t.app, room, { headline: 'Water main bursts downtown' });
      const draft = await t.app.articles.create({ headline: 'Draft story', body: paragraphs(2) }, { actor: 'test' });
      const editorStaff = await createStaff(t, 'editor');
      const authorStaff = await createStaff(t, 'author');
      const editor = await signIn(t, editorStaff.email, editorStaff.password);
      const author = await signIn(t, authorStaff.email, authorStaff.password);
      const post = (who: { cookie: string; csrf: string }, body: unknown) => call(t, 'POST', '/api/admin/push/alerts', { body, cookie: who.cookie, csrf: who.csrf });
      const valid = { title: 'Water main bursts', body: 'Avoid Main Street.', articleId: article.id, topic: 'breaking' };

      assert.equal((await post(author, valid)).status, 403, 'authors cannot alert every reader');
      const cases: [string, Json, string][] = [
        ['title too long', { ...valid, title: 'x'.repeat(121) }, '/title'],
        ['body too long', { ...valid, body: 'y'.repeat(501) }, '/body'],
        ['unknown field', { ...valid, colour: 'red' }, '/colour'],
        ['bad urgency', { ...valid, urgency: 'urgent' }, '/urgency'],
        ['unknown topic', { ...valid, topic: 'sport' }, '/topic'],
        ['link off the site', { ...valid, url: 'https://evil.example/phish' }, '/url'],
        ['send time passed', { ...valid, sendAt: '2020-01-01T00:00:00.000Z' }, '/sendAt'],
        ['unpublished article', { ...valid, articleId: draft.id }, '/articleId'],
        ['no link and no article', { title: 'x', body: '', topic: 'breaking' }, '/url'],
      ];
      for (const [name, body, path] of cases) {
        const res = await post(editor, body);
        assert.equal(res.status, 400, `${name}: ${res.text}`);
        assert.ok(res.json.error.fields.some((f: Json) => f.path === path), `${name}: ${res.text}`);
      }
      const first = await post(editor, { ...valid, requestKey: 'compose-123456' });
      assert.equal(first.status, 201, first.text);
      assert.equal(first.json.url, `http://news.test${article.path}`, 'the link defaults to the article');
      const again = await post(editor, { ...valid, requestKey: 'compose-123456' });
      assert.equal(again.status, 200);
      assert.equal(again.json.id, first.json.id, 'a double click sends one alert');
      const list = await call(t, 'GET', '/api/admin/push/alerts', { cookie: editor.cookie });
      assert.equal(list.json.items.filter((a: Json) => a.title === 'Water main bursts').length, 1);
    });

    test('the VAPID key pair is made once and kept across restarts', async () => {
      const first = (await call(t, 'GET', '/push/key')).json.publicKey as string;
      assert.match(first, /^[A-Za-z0-9_-]{87}$/);
      const schema = /schema=([a-z0-9_]+)/.exec(t.config.database.kind === 'postgres' ? `${t.config.database.url}?schema=${t.config.database.schema}` : '')?.[1];
      const again = await startTestApp(dialect, { reuse: { dataDir: t.config.dataDir, schema } });
      try {
        assert.equal(again.app.push.keys.publicKey, first);
      } finally {
        await again.close();
      }
    });
  });
}

describe('VAPID keys from the environment', () => {
  test('PUSH_VAPID_PUBLIC_KEY and PUSH_VAPID_PRIVATE_KEY are used instead of stored ones', async () => {
    const webpush = (await import('web-push')).default;
    const pair = webpush.generateVAPIDKeys();
    const t = await startTestApp('sqlite', { env: { PUSH_VAPID_PUBLIC_KEY: pair.publicKey, PUSH_VAPID_PRIVATE_KEY: pair.privateKey } });
    try {
      assert.equal((await call(t, 'GET', '/push/key')).json.publicKey, pair.publicKey);
      const page = await call(t, 'GET', '/alerts');
      assert.equal(page.status, 200);
      assert.ok(page.text.includes(`data-key="${pair.publicKey}"`));
      assert.ok(page.text.includes('Get breaking news alerts'));
    } finally {
      await t.close();
    }
  });
});
