/**
 * Staff sessions over real HTTP on SQLite and PostgreSQL: signing in and out,
 * cookie flags, server-side storage shared by two app instances, idle and
 * absolute expiry, signing out everywhere, CSRF and cross-origin protection,
 * bad input, password change and two-step sign-in.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { assertPostgresReachable, DIALECTS, startTestApp, TestClock, type TestApp } from '../support/apps.js';
import { totpCode } from '../../src/accounts/totp.js';
import { call, createStaff, PASSWORD, signIn, type Staff } from './support.js';

const HOUR = 3_600_000;

for (const dialect of DIALECTS) {
  describe(`staff sessions on ${dialect}`, () => {
    let t: TestApp;
    let second: TestApp;
    let editor: Staff;

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      t = await startTestApp(dialect);
      // A second node on the same database (same SQLite file / PostgreSQL schema) and the same clock.
      const schema = t.config.database.kind === 'postgres' ? t.config.database.schema : undefined;
      second = await startTestApp(dialect, { clock: t.clock, reuse: { dataDir: t.config.dataDir, schema } });
      editor = await createStaff(t, 'editor');
    });
    after(async () => {
      await second?.close();
      await t?.close();
    });

    test('signing in sets an HttpOnly, SameSite=Lax session cookie and returns the user and a CSRF token', async () => {
      const res = await call(t, 'POST', '/api/admin/session', { body: { email: `  ${editor.email.toUpperCase()} `, password: editor.password } });
      assert.equal(res.status, 200, res.text);
      const cookie = res.headers.get('set-cookie')!;
      assert.match(cookie, /^broadsheet_session=[A-Za-z0-9_-]{43};/);
      assert.match(cookie, /; HttpOnly/);
      assert.match(cookie, /; SameSite=Lax/);
      assert.match(cookie, /; Path=\//);
      assert.match(cookie, /; Max-Age=\d+/);
      assert.doesNotMatch(cookie, /Secure/, 'PUBLIC_URL is http: no Secure flag, or the browser would drop it');
      assert.equal(res.headers.get('cache-control'), 'no-store');
      assert.equal(res.json.user.email, editor.email);
      assert.equal(res.json.user.role, 'editor');
      assert.match(res.json.csrfToken, /^[A-Za-z0-9_-]{43}$/);
      assert.ok(!('password_hash' in res.json.user));

      const me = await call(t, 'GET', '/api/admin/session', { cookie: res.setCookie });
      assert.equal(me.status, 200);
      assert.equal(me.json.user.id, editor.id);
      assert.equal(me.json.csrfToken, res.json.csrfToken, 'the CSRF token belongs to the session');
    });

    test('only the SHA-256 of the session token is stored; the password only as an argon2id hash', async () => {
      const s = await signIn(t, editor.email, editor.password);
      const token = s.cookie.split('=')[1]!;
      const rows = await t.app.db.kysely.selectFrom('sessions').selectAll().execute();
      assert.ok(rows.some((r) => r.token_hash === createHash('sha256').update(token).digest('hex')));
      assert.ok(rows.every((r) => !JSON.stringify(r).includes(token)), 'the raw token is nowhere in the table');
      const user = await t.app.db.kysely.selectFrom('users').selectAll().where('id', '=', editor.id).executeTakeFirstOrThrow();
      assert.match(user.password_hash!, /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=1\$/);
      const [, m, tc] = /m=(\d+),t=(\d+)/.exec(user.password_hash!)!;
      assert.ok(Number(m) >= 19_456 && Number(tc) >= 2, 'OWASP minimum: 19 MiB, 2 passes');
    });

    test('a session lives in the database: another node honours it, and signing out on one ends it on both', async () => {
      const s = await signIn(t, editor.email, editor.password);
      const onSecond = await call(second, 'GET', '/api/admin/session', { cookie: s.cookie });
      assert.equal(onSecond.status, 200, 'the second node knows the session');
      assert.equal(onSecond.json.user.id, editor.id);
      const out = await call(second, 'DELETE', '/api/admin/session', { cookie: s.cookie, csrf: s.csrf });
      assert.equal(out.status, 204);
      assert.match(out.headers.get('set-cookie') ?? '', /broadsheet_session=;.*Max-Age=0/);
      assert.equal((await call(t, 'GET', '/api/admin/session', { cookie: s.cookie })).status, 401, 'signed out on the first node too');
      assert.equal((await call(second, 'GET', '/api/admin/session', { cookie: s.cookie })).status, 401);
    });

    test('a session ends after the idle time without requests', async () => {
      const s = await signIn(t, editor.email, editor.password);
      const idle = t.config.sessions.idleMs;
      t.clock.advance(idle - HOUR);
      assert.equal((await call(t, 'GET', '/api/admin/session', { cookie: s.cookie })).status, 200, 'still alive, and this request counts as activity');
      t.clock.advance(idle - HOUR);
      assert.equal((await call(t, 'GET', '/api/admin/session', { cookie: s.cookie })).status, 200, 'activity moved the idle deadline');
      t.clock.advance(idle + 1000);
      const expired = await call(t, 'GET', '/api/admin/session', { cookie: s.cookie });
      assert.equal(expired.status, 401);
      assert.equal(expired.json.error.code, 'unauthenticated');
      assert.match(expired.headers.get('set-cookie') ?? '', /Max-Age=0/, 'the dead cookie is cleared');
    });

    test('a session ends at its absolute expiry, however active', async () => {
      const s = await signIn(t, editor.email, editor.password);
      const step = t.config.sessions.idleMs / 2;
      let elapsed = 0;
      while (elapsed + step < t.config.sessions.maxMs) {
        t.clock.advance(step);
        elapsed += step;
        assert.equal((await call(t, 'GET', '/api/admin/session', { cookie: s.cookie })).status, 200, `alive after ${elapsed / HOUR} h`);
      }
      t.clock.advance(t.config.sessions.maxMs - elapsed + 1000);
      assert.equal((await call(t, 'GET', '/api/admin/session', { cookie: s.cookie })).status, 401);
    });

    test('sign out everywhere ends every session of the user, on every node, and no one else\'s', async () => {
      const a = await signIn(t, editor.email, editor.password);
      const b = await signIn(second, editor.email, editor.password);
      const other = await createStaff(t, 'author');
      const o = await signIn(t, other.email, other.password);
      const list = await call(t, 'GET', '/api/admin/sessions', { cookie: a.cookie });
      assert.equal(list.status, 200);
      assert.ok(list.json.sessions.length >= 2);
      assert.equal(list.json.sessions.filter((x: { current: boolean }) => x.current).length, 1);
      const res = await call(second, 'DELETE', '/api/admin/sessions', { cookie: b.cookie, csrf: b.csrf });
      assert.equal(res.status, 204);
      assert.equal((await call(t, 'GET', '/api/admin/session', { cookie: a.cookie })).status, 401);
      assert.equal((await call(second, 'GET', '/api/admin/session', { cookie: b.cookie })).status, 401);
      assert.equal((await call(t, 'GET', '/api/admin/session', { cookie: o.cookie })).status, 200, 'other users stay signed in');
    });

    test('signing in again replaces the session the browser came with (no session fixation)', async () => {
      const first = await signIn(t, editor.email, editor.password);
      const again = await call(t, 'POST', '/api/admin/session', { cookie: first.cookie, body: { email: editor.email, password: editor.password } });
      assert.equal(again.status, 200);
      assert.notEqual(again.setCookie, first.cookie);
      assert.equal((await call(t, 'GET', '/api/admin/session', { cookie: first.cookie })).status, 401);
      assert.equal((await call(t, 'GET', '/api/admin/session', { cookie: again.setCookie })).status, 200);
    });

    test('CSRF: a state-changing request without the token, or with a wrong one, is refused with 403', async () => {
      const s = await signIn(t, editor.email, editor.password);
      const other = await signIn(t, editor.email, editor.password);
      for (const csrf of [undefined, '', 'x'.repeat(43), other.csrf]) {
        const res = await call(t, 'DELETE', '/api/admin/session', { cookie: s.cookie, ...(csrf !== undefined ? { headers: { 'x-csrf-token': csrf } } : {}) });
        assert.equal(res.status, 403, `token ${JSON.stringify(csrf)}`);
        assert.equal(res.json.error.code, 'csrf');
      }
      const put = await call(t, 'PUT', '/api/admin/me/password', { cookie: s.cookie, body: { currentPassword: PASSWORD, newPassword: 'another long passphrase' } });
      assert.equal(put.status, 403);
      assert.equal((await call(t, 'GET', '/api/admin/session', { cookie: s.cookie })).status, 200, 'still signed in: nothing happened');
      assert.equal((await call(t, 'DELETE', '/api/admin/session', { cookie: s.cookie, csrf: s.csrf })).status, 204, 'with the right token it works');
    });

    test('cross-origin: requests from another origin or site are refused, signed in or not', async () => {
      const s = await signIn(t, editor.email, editor.password);
      const body = { email: editor.email, password: editor.password };
      const evil = await call(t, 'POST', '/api/admin/session', { body, headers: { origin: 'https://evil.example' } });
      assert.equal(evil.status, 403);
      assert.equal(evil.json.error.code, 'cross_origin');
      assert.equal(evil.setCookie, undefined, 'no session for a cross-origin sign-in');
      assert.equal((await call(t, 'POST', '/api/admin/session', { body, headers: { origin: 'null' } })).status, 403);
      assert.equal((await call(t, 'POST', '/api/admin/session', { body, headers: { 'sec-fetch-site': 'cross-site' } })).status, 403);
      assert.equal((await call(t, 'POST', '/api/admin/session', { body, headers: { 'sec-fetch-site': 'same-site' } })).status, 403, 'a sibling subdomain is another origin');
      const withToken = await call(t, 'DELETE', '/api/admin/sessions', { cookie: s.cookie, csrf: s.csrf, headers: { origin: 'http://evil.example' } });
      assert.equal(withToken.status, 403, 'even with a stolen CSRF token');
      const ok = await call(t, 'POST', '/api/admin/session', { body, headers: { origin: 'http://news.test', 'sec-fetch-site': 'same-origin' } });
      assert.equal(ok.status, 200, 'the site itself is welcome');
      assert.equal((await call(t, 'GET', '/api/admin/session', { cookie: s.cookie, headers: { origin: 'https://evil.example' } })).status, 200, 'reads do not change anything');
    });

    test('the Admin API takes JSON only: an HTML form or plain text gets 415', async () => {
      const form = await call(t, 'POST', '/api/admin/session', {
        raw: `email=${encodeURIComponent(editor.email)}&password=${encodeURIComponent(editor.password)}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      assert.equal(form.status, 415);
      assert.equal(form.setCookie, undefined);
      const text = await call(t, 'POST', '/api/admin/session', { raw: JSON.stringify({ email: editor.email, password: editor.password }), headers: { 'content-type': 'text/plain' } });
      assert.equal(text.status, 415);
    });

    test('bad input gets a 400 JSON error, never a 500', async () => {
      const s = await signIn(t, editor.email, editor.password);
      const cases: [string, string, Parameters<typeof call>[3]][] = [
        ['POST', '/api/admin/session', { raw: '{"email": "a@b.c", "password": ' }],
        ['POST', '/api/admin/session', { raw: '' }],
        ['POST', '/api/admin/session', { body: [] }],
        ['POST', '/api/admin/session', { body: { email: 5, password: null } }],
        ['POST', '/api/admin/session', { body: { email: 'x@y.z' } }],
        ['POST', '/api/admin/session', { body: { email: 'x@y.z', password: 'p'.repeat(5000) } }],
        ['POST', '/api/admin/setup', { body: { token: 'nope', email: 'not an email', name: '', password: 'x' } }],
        ['POST', '/api/admin/password-reset/complete', { body: { token: '../../etc', password: PASSWORD } }],
        ['POST', '/api/admin/invitations/accept', { body: { token: 'a'.repeat(43), password: PASSWORD } }],
        ['PATCH', '/api/admin/users/abc', { body: { role: 'editor' }, cookie: s.cookie, csrf: s.csrf }],
        ['PUT', '/api/admin/me/password', { body: { currentPassword: 1 }, cookie: s.cookie, csrf: s.csrf }],
        ['POST', '/api/admin/me/two-factor/confirm', { raw: '{', cookie: s.cookie, csrf: s.csrf }],
      ];
      for (const [method, path, options] of cases) {
        const res = await call(t, method, path, options);
        assert.equal(res.status, 400, `${method} ${path} ${JSON.stringify(options)}: ${res.text}`);
        assert.match(res.headers.get('content-type') ?? '', /application\/json/);
        assert.equal(res.json.error.status, 400);
        assert.equal(typeof res.json.error.message, 'string');
      }
      const unknown = await call(t, 'GET', '/api/admin/nothing-here');
      assert.equal(unknown.status, 404);
      assert.equal(unknown.json.error.code, 'not_found');
    });

    test('changing your password needs the current one and signs out your other sessions', async () => {
      const user = await createStaff(t, 'author');
      const here = await signIn(t, user.email, user.password);
      const elsewhere = await signIn(second, user.email, user.password);
      const wrong = await call(t, 'PUT', '/api/admin/me/password', { cookie: here.cookie, csrf: here.csrf, body: { currentPassword: 'not the password', newPassword: 'brand new passphrase here' } });
      assert.equal(wrong.status, 400);
      assert.equal(wrong.json.error.fields[0].path, '/currentPassword');
      const weak = await call(t, 'PUT', '/api/admin/me/password', { cookie: here.cookie, csrf: here.csrf, body: { currentPassword: user.password, newPassword: 'short' } });
      assert.equal(weak.status, 400);
      assert.match(weak.json.error.message, /at least 12 characters/);
      const ok = await call(t, 'PUT', '/api/admin/me/password', { cookie: here.cookie, csrf: here.csrf, body: { currentPassword: user.password, newPassword: 'brand new passphrase here' } });
      assert.equal(ok.status, 204, ok.text);
      assert.equal((await call(t, 'GET', '/api/admin/session', { cookie: here.cookie })).status, 200, 'this device stays signed in');
      assert.equal((await call(second, 'GET', '/api/admin/session', { cookie: elsewhere.cookie })).status, 401, 'the others are signed out');
      assert.equal((await call(t, 'POST', '/api/admin/session', { body: { email: user.email, password: user.password } })).status, 401);
      await signIn(t, user.email, 'brand new passphrase here');
    });

    test('two-step sign-in (TOTP): enrol, then a code is required, and no code works twice', async () => {
      const user = await createStaff(t, 'admin');
      const s = await signIn(t, user.email, user.password);
      const begin = await call(t, 'POST', '/api/admin/me/two-factor', { cookie: s.cookie, csrf: s.csrf });
      assert.equal(begin.status, 200, begin.text);
      assert.match(begin.json.secret, /^[A-Z2-7]{32}$/);
      assert.match(begin.json.uri, /^otpauth:\/\/totp\/.+\?secret=[A-Z2-7]{32}&issuer=/);
      const bad = await call(t, 'POST', '/api/admin/me/two-factor/confirm', { cookie: s.cookie, csrf: s.csrf, body: { code: '000000' } });
      assert.equal(bad.status, 400);
      const code = totpCode(begin.json.secret, t.clock.now());
      const ok = await call(t, 'POST', '/api/admin/me/two-factor/confirm', { cookie: s.cookie, csrf: s.csrf, body: { code } });
      assert.equal(ok.status, 204, ok.text);

      const noCode = await call(t, 'POST', '/api/admin/session', { body: { email: user.email, password: user.password } });
      assert.equal(noCode.status, 401);
      assert.equal(noCode.json.error.code, 'totp_required');
      assert.equal(noCode.setCookie, undefined);
      const replay = await call(t, 'POST', '/api/admin/session', { body: { email: user.email, password: user.password, totp: code } });
      assert.equal(replay.status, 401, 'the code used to confirm cannot sign in');
      assert.equal(replay.json.error.code, 'invalid_totp');
      t.clock.advance(30_000);
      const next = totpCode(begin.json.secret, t.clock.now());
      const signed = await call(t, 'POST', '/api/admin/session', { body: { email: user.email, password: user.password, totp: next } });
      assert.equal(signed.status, 200, signed.text);
      assert.equal(signed.json.user.twoFactor, true);
      const again = await call(t, 'POST', '/api/admin/session', { body: { email: user.email, password: user.password, totp: next } });
      assert.equal(again.status, 401, 'a code works once');
      const wrongPassword = await call(t, 'POST', '/api/admin/session', { body: { email: user.email, password: 'wrong password here', totp: next } });
      assert.equal(wrongPassword.json.error.code, 'invalid_credentials', 'a wrong password never reveals the second step');

      const off = await call(t, 'POST', '/api/admin/me/two-factor/disable', { cookie: signed.setCookie, csrf: signed.json.csrfToken, body: { password: user.password } });
      assert.equal(off.status, 204);
      await signIn(t, user.email, user.password);

      // Lost phone: another admin turns it off for them (but nobody for themselves without their password).
      const again2 = await call(t, 'POST', '/api/admin/me/two-factor', { cookie: signed.setCookie, csrf: signed.json.csrfToken });
      t.clock.advance(30_000);
      assert.equal((await call(t, 'POST', '/api/admin/me/two-factor/confirm', { cookie: signed.setCookie, csrf: signed.json.csrfToken, body: { code: totpCode(again2.json.secret, t.clock.now()) } })).status, 204);
      const self = await call(t, 'PATCH', `/api/admin/users/${user.id}`, { cookie: signed.setCookie, csrf: signed.json.csrfToken, body: { twoFactor: false } });
      assert.equal(self.status, 403);
      const colleague = await createStaff(t, 'admin');
      const c = await signIn(t, colleague.email, colleague.password);
      const reset = await call(t, 'PATCH', `/api/admin/users/${user.id}`, { cookie: c.cookie, csrf: c.csrf, body: { twoFactor: false } });
      assert.equal(reset.status, 200, reset.text);
      assert.equal(reset.json.twoFactor, false);
      await signIn(t, user.email, user.password);
    });
  });
}

describe('staff sessions behind https', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp('sqlite', { env: { PUBLIC_URL: 'https://news.test' }, clock: new TestClock() });
  });
  after(() => t?.close());

  test('the cookie is Secure and __Host- prefixed when PUBLIC_URL is https', async () => {
    const user = await createStaff(t, 'editor');
    const res = await call(t, 'POST', '/api/admin/session', { body: { email: user.email, password: user.password }, headers: { origin: 'https://news.test' } });
    assert.equal(res.status, 200, res.text);
    const cookie = res.headers.get('set-cookie')!;
    assert.match(cookie, /^__Host-broadsheet_session=/);
    assert.match(cookie, /; Secure/);
    assert.match(cookie, /; HttpOnly/);
    assert.match(cookie, /; SameSite=Lax/);
    assert.doesNotMatch(cookie, /Domain=/i);
    const plain = await call(t, 'POST', '/api/admin/session', { body: { email: user.email, password: user.password }, headers: { origin: 'http://news.test' } });
    assert.equal(plain.status, 403, 'the http origin is not the https site');
  });
});
