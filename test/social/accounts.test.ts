/**
 * Connected posting accounts through the Admin API, on SQLite and PostgreSQL:
 * saving each network's settings, secrets never coming back ("set"/"not set"),
 * replacing and clearing them, "test connection" calling each network's verify
 * endpoint with the right credentials (the fake networks record what arrived),
 * a refused token shown plainly, bad input as 400s, admins only.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertPostgresReachable, DIALECTS, startTestApp, type TestApp } from '../support/apps.js';
import { call, createStaff, signIn, type Signed } from '../accounts/support.js';
import { FakeNetworks } from './fake-networks.js';
import { connectAll, PAGE_ID, SECRETS } from './support.js';

for (const dialect of DIALECTS) {
  describe(`social accounts on ${dialect}`, () => {
    const fake = new FakeNetworks();
    let t: TestApp;
    let admin: Signed;

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      await fake.start();
      t = await startTestApp(dialect);
      const staff = await createStaff(t, 'admin');
      admin = await signIn(t, staff.email, staff.password);
    });
    after(async () => {
      await t?.close();
      await fake.close();
    });

    test('connecting all four: settings shown, secrets only as "set", never their values', async () => {
      await connectAll(t, admin, fake);
      const res = await call(t, 'GET', '/api/admin/social/accounts', { cookie: admin.cookie });
      assert.equal(res.status, 200);
      for (const secret of Object.values(SECRETS)) assert.ok(!res.text.includes(secret), `the secret ${secret} is not in the answer`);
      const byNetwork = Object.fromEntries((res.json.items as any[]).map((a) => [a.network, a]));
      assert.deepEqual(byNetwork.mastodon.secrets, { accessToken: 'set' });
      assert.equal(byNetwork.mastodon.settings.instanceUrl, fake.url);
      assert.equal(byNetwork.bluesky.settings.handle, 'gazette.bsky.social', 'the leading @ is dropped');
      assert.deepEqual(byNetwork.x.secrets, { apiKey: 'set', apiSecret: 'set', accessToken: 'set', accessSecret: 'set', userToken: 'not set' });
      assert.equal(byNetwork.facebook.settings.pageId, PAGE_ID);
      assert.ok(Object.values(byNetwork).every((a: any) => a.connected));
    });

    test('test connection calls each verify endpoint with the saved credentials', async () => {
      fake.reset();
      for (const network of ['mastodon', 'bluesky', 'facebook', 'x']) {
        const res = await call(t, 'POST', `/api/admin/social/accounts/${network}/test`, { body: {}, cookie: admin.cookie, csrf: admin.csrf });
        assert.equal(res.status, 200, res.text);
        assert.equal(res.json.ok, true, `${network}: ${res.text}`);
      }
      assert.equal(fake.of('mastodon.verify')[0]!.headers.authorization, `Bearer ${SECRETS.mastodon}`);
      assert.deepEqual(fake.of('bluesky.session')[0]!.body, { identifier: 'gazette.bsky.social', password: SECRETS.bluesky });
      assert.equal(fake.of('facebook.page')[0]!.headers.authorization, `Bearer ${SECRETS.facebook}`);
      assert.match(fake.of('facebook.page')[0]!.path, new RegExp(`^/v21\\.0/${PAGE_ID}\\?fields=name`));
      const xAuth = String(fake.of('x.me')[0]!.headers.authorization);
      assert.match(xAuth, /^OAuth /);
      assert.ok(xAuth.includes(`oauth_consumer_key="${SECRETS.xKey}"`) && xAuth.includes(`oauth_token="${SECRETS.xToken}"`) && xAuth.includes('oauth_signature='), xAuth);
      const list = await call(t, 'GET', '/api/admin/social/accounts', { cookie: admin.cookie });
      const mastodon = (list.json.items as any[]).find((a) => a.network === 'mastodon');
      assert.equal(mastodon.displayName, `@gazette@${new URL(fake.url).host}`);
      assert.ok(mastodon.verifiedAt);
      const x = (list.json.items as any[]).find((a) => a.network === 'x');
      assert.equal(x.displayName, '@gazette');
    });

    test('a refused token: the test says so plainly and the account shows the error', async () => {
      fake.fail('mastodon.verify', { status: 401, body: { error: 'The access token is invalid' } });
      const res = await call(t, 'POST', '/api/admin/social/accounts/mastodon/test', { body: {}, cookie: admin.cookie, csrf: admin.csrf });
      assert.equal(res.json.ok, false);
      assert.match(res.json.error, /Mastodon refused the credentials \(HTTP 401\): The access token is invalid\. The token may have expired or been revoked: reconnect the account\./);
      const list = await call(t, 'GET', '/api/admin/social/accounts', { cookie: admin.cookie });
      assert.match((list.json.items as any[]).find((a) => a.network === 'mastodon').lastError, /HTTP 401/);
    });

    test('updating without the secret keeps it; a new value replaces it; null clears it (and a required one is refused)', async () => {
      const keep = await call(t, 'PUT', '/api/admin/social/accounts/mastodon', { body: { instanceUrl: fake.url + '/' }, cookie: admin.cookie, csrf: admin.csrf });
      assert.equal(keep.status, 200, keep.text);
      assert.equal(keep.json.secrets.accessToken, 'set');
      assert.equal(keep.json.settings.instanceUrl, fake.url, 'the trailing slash is dropped');
      fake.reset();
      await call(t, 'POST', '/api/admin/social/accounts/mastodon/test', { body: {}, cookie: admin.cookie, csrf: admin.csrf });
      assert.equal(fake.of('mastodon.verify')[0]!.headers.authorization, `Bearer ${SECRETS.mastodon}`, 'the kept token is used');

      await call(t, 'PUT', '/api/admin/social/accounts/mastodon', { body: { instanceUrl: fake.url, accessToken: 'a-new-token' }, cookie: admin.cookie, csrf: admin.csrf });
      fake.reset();
      await call(t, 'POST', '/api/admin/social/accounts/mastodon/test', { body: {}, cookie: admin.cookie, csrf: admin.csrf });
      assert.equal(fake.of('mastodon.verify')[0]!.headers.authorization, 'Bearer a-new-token');

      const cleared = await call(t, 'PUT', '/api/admin/social/accounts/mastodon', { body: { instanceUrl: fake.url, accessToken: null }, cookie: admin.cookie, csrf: admin.csrf });
      assert.equal(cleared.status, 400);
      assert.deepEqual(cleared.json.fields ?? cleared.json.error?.fields, [{ path: '/accessToken', message: 'is required to connect Mastodon' }]);

      // X switched to an OAuth 2.0 user token: the OAuth 1.0a keys are forgotten.
      const x = await call(t, 'PUT', '/api/admin/social/accounts/x', { body: { auth: 'oauth2', apiUrl: fake.url, userToken: 'x-user-token' }, cookie: admin.cookie, csrf: admin.csrf });
      assert.equal(x.status, 200, x.text);
      assert.deepEqual(x.json.secrets, { apiKey: 'not set', apiSecret: 'not set', accessToken: 'not set', accessSecret: 'not set', userToken: 'set' });
      fake.reset();
      await call(t, 'POST', '/api/admin/social/accounts/x/test', { body: {}, cookie: admin.cookie, csrf: admin.csrf });
      assert.equal(fake.of('x.me')[0]!.headers.authorization, 'Bearer x-user-token');
    });

    test('bad input is a 400 naming the field; unknown networks 400; non-admins 403', async () => {
      const plainHttp = await call(t, 'PUT', '/api/admin/social/accounts/mastodon', { body: { instanceUrl: 'http://social.example', accessToken: 'x' }, cookie: admin.cookie, csrf: admin.csrf });
      assert.equal(plainHttp.status, 400);
      assert.match(plainHttp.text, /must start with https/);
      const page = await call(t, 'PUT', '/api/admin/social/accounts/facebook', { body: { pageId: 'my-page', graphVersion: '21', pageAccessToken: 'x' }, cookie: admin.cookie, csrf: admin.csrf });
      assert.equal(page.status, 400);
      assert.match(page.text, /\/pageId/);
      assert.match(page.text, /\/graphVersion/);
      const handle = await call(t, 'PUT', '/api/admin/social/accounts/bluesky', { body: { handle: 'not a handle', appPassword: 'x' }, cookie: admin.cookie, csrf: admin.csrf });
      assert.equal(handle.status, 400);
      const unknown = await call(t, 'POST', '/api/admin/social/accounts/myspace/test', { body: {}, cookie: admin.cookie, csrf: admin.csrf });
      assert.equal(unknown.status, 400);

      const editorStaff = await createStaff(t, 'editor');
      const editor = await signIn(t, editorStaff.email, editorStaff.password);
      assert.equal((await call(t, 'GET', '/api/admin/social/accounts', { cookie: editor.cookie })).status, 403);
      assert.equal((await call(t, 'DELETE', '/api/admin/social/accounts/x', { cookie: editor.cookie, csrf: editor.csrf })).status, 403);
    });

    test('disconnecting forgets the account and its secrets', async () => {
      const res = await call(t, 'DELETE', '/api/admin/social/accounts/facebook', { cookie: admin.cookie, csrf: admin.csrf });
      assert.equal(res.status, 204);
      const row = await t.app.db.kysely.selectFrom('social_accounts').selectAll().where('network', '=', 'facebook').executeTakeFirst();
      assert.equal(row, undefined);
      const again = await call(t, 'DELETE', '/api/admin/social/accounts/facebook', { cookie: admin.cookie, csrf: admin.csrf });
      assert.equal(again.status, 404);
      const test = await call(t, 'POST', '/api/admin/social/accounts/facebook/test', { body: {}, cookie: admin.cookie, csrf: admin.csrf });
      assert.equal(test.status, 409);
    });
  });
}
