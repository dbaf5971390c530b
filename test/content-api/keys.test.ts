/**
 * Content API keys on SQLite and PostgreSQL: made in the Admin API (secret
 * shown once, only its hash stored), sent three ways, refused when unknown or
 * revoked (401 JSON), limited per key (429 with Retry-After and RateLimit
 * headers, a new minute lets it through again), CORS per key (preflight and
 * actual requests), last-used time, and who may manage keys.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertPostgresReachable, DIALECTS, startTestApp, type TestApp } from '../support/apps.js';
import { call, createStaff, signIn } from '../accounts/support.js';
import { hashToken } from '../../src/accounts/tokens.js';
import { get, makeKey, signInAdmin, type Admin } from './support.js';

for (const dialect of DIALECTS) {
  describe(`content API keys on ${dialect}`, () => {
    let t: TestApp;
    let admin: Admin;

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      t = await startTestApp(dialect);
      admin = await signInAdmin(t);
    });
    after(async () => t?.close());

    test('a key is shown once, stored only as a hash, and works as Bearer, X-Api-Key or ?key=', async () => {
      const { id, secret } = await makeKey(t, admin, { name: 'Android app' });
      assert.match(secret, /^bsk_[A-Za-z0-9_-]{43}$/);
      const listed = await call(t, 'GET', '/api/admin/api-keys', { cookie: admin.cookie });
      assert.equal(listed.status, 200);
      assert.ok(!listed.text.includes(secret), 'the list never shows the secret');
      const row = listed.json.items.find((k: { id: number }) => k.id === id);
      assert.equal(row.name, 'Android app');
      assert.equal(row.rateLimit, 600, 'default limit');
      assert.equal(row.prefix, secret.slice(0, 10));
      assert.equal(row.lastUsedAt, null);
      const stored = await t.app.db.kysely.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      assert.equal(stored.secret_hash, hashToken(secret));
      assert.ok(!JSON.stringify(stored).includes(secret.slice(4)), 'the secret itself is not in the database');

      assert.equal((await get(t, secret, '/sections')).status, 200);
      assert.equal((await get(t, undefined, '/sections', { 'x-api-key': secret })).status, 200);
      assert.equal((await get(t, undefined, `/sections?key=${secret}`)).status, 200);
      const used = await call(t, 'GET', '/api/admin/api-keys', { cookie: admin.cookie });
      assert.ok(used.json.items.find((k: { id: number }) => k.id === id).lastUsedAt, 'last used time shown');
    });

    test('no key, an unknown key and a revoked key are 401s with a JSON error', async () => {
      const missing = await get(t, undefined, '/articles');
      assert.equal(missing.status, 401);
      assert.equal(missing.json.error.code, 'api_key_missing');
      assert.equal(typeof missing.json.error.message, 'string');
      const unknown = await get(t, `bsk_${'A'.repeat(43)}`, '/articles');
      assert.equal(unknown.status, 401);
      assert.equal(unknown.json.error.code, 'api_key_invalid');
      assert.equal((await get(t, 'nonsense', '/articles')).json.error.code, 'api_key_invalid');

      const { id, secret } = await makeKey(t, admin, { name: 'Partner' });
      assert.equal((await get(t, secret, '/articles')).status, 200);
      const revoked = await call(t, 'POST', `/api/admin/api-keys/${id}/revoke`, { cookie: admin.cookie, csrf: admin.csrf });
      assert.equal(revoked.status, 200);
      assert.ok(revoked.json.revokedAt);
      const refused = await get(t, secret, '/articles');
      assert.equal(refused.status, 401);
      assert.equal(refused.json.error.code, 'api_key_revoked');
      assert.equal(refused.headers.get('cache-control'), 'no-store');
      const again = await call(t, 'POST', `/api/admin/api-keys/${id}/revoke`, { cookie: admin.cookie, csrf: admin.csrf });
      assert.equal(again.json.revokedAt, revoked.json.revokedAt, 'revoking twice keeps the first time');
    });

    test('each key has its own limit: 429 with Retry-After past it, and the next minute lets it through', async () => {
      t.clock.set(new Date('2026-03-02T10:00:10.000Z'));
      const small = await makeKey(t, admin, { name: 'Tiny partner', rateLimit: 3 });
      const other = await makeKey(t, admin, { name: 'Other app' });
      for (let i = 0; i < 3; i++) {
        const ok = await get(t, small.secret, '/sections');
        assert.equal(ok.status, 200);
        assert.equal(ok.headers.get('ratelimit-limit'), '3');
        assert.equal(ok.headers.get('ratelimit-remaining'), String(2 - i));
      }
      const limited = await get(t, small.secret, '/sections');
      assert.equal(limited.status, 429);
      assert.equal(limited.json.error.code, 'rate_limited');
      assert.equal(limited.headers.get('retry-after'), '50');
      assert.equal(limited.headers.get('ratelimit-remaining'), '0');
      assert.equal((await get(t, other.secret, '/sections')).status, 200, 'another key is not affected');
      t.clock.advance(60_000);
      assert.equal((await get(t, small.secret, '/sections')).status, 200, 'a new minute');
      const rows = await t.app.db.kysely.selectFrom('api_key_usage').selectAll().where('key_id', '=', small.id).execute();
      assert.equal(rows.length, 1, 'earlier minutes are forgotten');
    });

    test('a new limit or new origins apply from the next request (key rows kept in memory are forgotten at once)', async () => {
      t.clock.set(new Date('2026-03-02T11:00:05.000Z'));
      const { id, secret } = await makeKey(t, admin, { name: 'Changing app' });
      assert.equal((await get(t, secret, '/sections')).headers.get('ratelimit-limit'), '600');
      assert.equal((await get(t, secret, '/sections', { origin: 'https://app.example.org' })).status, 403);
      const patched = await call(t, 'PATCH', `/api/admin/api-keys/${id}`, { body: { rateLimit: 3, corsOrigins: ['https://app.example.org'] }, cookie: admin.cookie, csrf: admin.csrf });
      assert.equal(patched.status, 200, patched.text);
      const next = await get(t, secret, '/sections', { origin: 'https://app.example.org' });
      assert.equal(next.status, 200, 'the new origin is allowed');
      assert.equal(next.headers.get('access-control-allow-origin'), 'https://app.example.org');
      // Counted this minute: the first request and this one (the refused origin was not counted).
      assert.equal(next.headers.get('ratelimit-limit'), '3');
      assert.equal(next.headers.get('ratelimit-remaining'), '1');
    });

    test('CORS: a key allows its origins (preflight and request); others get no access', async () => {
      const { secret } = await makeKey(t, admin, { name: 'Web widget', corsOrigins: ['https://widget.example.org'] });
      const preflight = await call(t, 'OPTIONS', '/api/content/v1/articles', {
        headers: { origin: 'https://widget.example.org', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
      });
      assert.equal(preflight.status, 204);
      assert.equal(preflight.headers.get('access-control-allow-origin'), 'https://widget.example.org');
      assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /Authorization/);
      const refusedPreflight = await call(t, 'OPTIONS', '/api/content/v1/articles', { headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' } });
      assert.equal(refusedPreflight.status, 403);
      assert.equal(refusedPreflight.headers.get('access-control-allow-origin'), null);

      const allowed = await get(t, secret, '/sections', { origin: 'https://widget.example.org' });
      assert.equal(allowed.status, 200);
      assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://widget.example.org');
      assert.match(allowed.headers.get('access-control-expose-headers') ?? '', /ETag/);
      const other = await get(t, secret, '/sections', { origin: 'https://evil.example' });
      assert.equal(other.status, 403);
      assert.equal(other.json.error.code, 'origin_not_allowed');
      assert.equal(other.headers.get('access-control-allow-origin'), null);
    });

    test('bad key settings are 400s; editors may not manage keys; keys can be renamed and re-limited', async () => {
      const bad = await call(t, 'POST', '/api/admin/api-keys', { body: { name: 'X', corsOrigins: ['https://a.example/path'] }, cookie: admin.cookie, csrf: admin.csrf });
      assert.equal(bad.status, 400);
      assert.equal(bad.json.error.fields[0].path, '/corsOrigins/0');
      const noName = await call(t, 'POST', '/api/admin/api-keys', { body: { name: '  ' }, cookie: admin.cookie, csrf: admin.csrf });
      assert.equal(noName.status, 400);
      assert.equal(noName.json.error.fields[0].path, '/name');
      const tooMany = await call(t, 'POST', '/api/admin/api-keys', { body: { name: 'X', rateLimit: 0 }, cookie: admin.cookie, csrf: admin.csrf });
      assert.equal(tooMany.status, 400);

      const { id } = await makeKey(t, admin, { name: 'Renamed later' });
      const patched = await call(t, 'PATCH', `/api/admin/api-keys/${id}`, { body: { name: 'Partner feed', rateLimit: 120, corsOrigins: ['*'] }, cookie: admin.cookie, csrf: admin.csrf });
      assert.equal(patched.status, 200, patched.text);
      assert.deepEqual([patched.json.name, patched.json.rateLimit, patched.json.corsOrigins], ['Partner feed', 120, ['*']]);

      const editor = await createStaff(t, 'editor');
      const session = await signIn(t, editor.email, editor.password);
      assert.equal((await call(t, 'GET', '/api/admin/api-keys', { cookie: session.cookie })).status, 403);
      assert.equal((await call(t, 'POST', '/api/admin/api-keys', { body: { name: 'Mine' }, cookie: session.cookie, csrf: session.csrf })).status, 403);
      assert.equal((await call(t, 'GET', '/api/admin/api-keys')).status, 401);
    });
  });
}
