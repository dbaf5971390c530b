/**
 * Password reset and staff invitations end to end, on SQLite and PostgreSQL:
 * the app sends real SMTP to an in-process server (smtp-server), the test
 * parses the message (mailparser), follows the link and completes the flow.
 * Links are single-use and expire (moved past with the test clock). Without
 * SMTP_URL, messages land in DATA_DIR/outbox as .eml files.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { assertPostgresReachable, DIALECTS, startTestApp, type TestApp } from '../support/apps.js';
import { call, createStaff, signIn, tokenOf, type Staff } from './support.js';
import { MailServer, recipients } from '../support/mail.js';

const MINUTE = 60_000;

function linkIn(mail: ParsedMail, pathName: string): string {
  const match = new RegExp(`http://news\\.test${pathName}#token=[A-Za-z0-9_-]+`).exec(mail.text ?? '');
  assert.ok(match, `no ${pathName} link in:\n${mail.text}`);
  assert.ok(String(mail.html).includes(match[0]), 'the HTML part carries the same link');
  return match[0];
}

for (const dialect of DIALECTS) {
  describe(`account emails on ${dialect}`, () => {
    const inbox = new MailServer();
    let t: TestApp;
    let admin: Staff;

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      await inbox.start();
      t = await startTestApp(dialect, {
        env: { SMTP_URL: `smtp://127.0.0.1:${inbox.port}`, MAIL_FROM: 'The Test Gazette <newsroom@news.test>', TRUST_PROXY: 'true' },
      });
      await t.app.settings.update({ name: 'The Test Gazette' }, new Date().toISOString());
      admin = await createStaff(t, 'admin');
    });
    after(async () => {
      await t?.close();
      await inbox.close();
    });

    test('password reset: the emailed link sets a new password once, ends every session and lifts a lock-out', async () => {
      const user = await createStaff(t, 'editor');
      const session = await signIn(t, user.email, user.password);
      // Someone else guessed at the account until it locked.
      for (let i = 0; i < 5; i++) await call(t, 'POST', '/api/admin/session', { body: { email: user.email, password: 'a guess' }, headers: { 'x-forwarded-for': '198.51.100.7' } });
      assert.equal((await call(t, 'POST', '/api/admin/session', { body: { email: user.email, password: user.password } })).status, 429);

      const seen = inbox.messages.length;
      const req = await call(t, 'POST', '/api/admin/password-reset', { body: { email: user.email.toUpperCase() } });
      assert.equal(req.status, 202);
      const mail = await inbox.next(user.email, seen);
      assert.equal(mail.subject, 'Reset your The Test Gazette password');
      assert.equal(mail.from?.value[0]?.address, 'newsroom@news.test');
      assert.match(mail.text ?? '', /within the next hour/);
      const link = linkIn(mail, '/admin/reset-password');
      const token = tokenOf(link);
      const stored = await t.app.db.kysely.selectFrom('auth_tokens').selectAll().execute();
      assert.ok(stored.every((r) => !JSON.stringify(r).includes(token)), 'only a hash of the token is stored');

      const weak = await call(t, 'POST', '/api/admin/password-reset/complete', { body: { token, password: 'short' } });
      assert.equal(weak.status, 400, 'a weak password is refused, and the link still works');
      const done = await call(t, 'POST', '/api/admin/password-reset/complete', { body: { token, password: 'my fresh new passphrase' } });
      assert.equal(done.status, 204, done.text);
      assert.equal((await call(t, 'GET', '/api/admin/session', { cookie: session.cookie })).status, 401, 'every session ended');
      assert.equal((await call(t, 'POST', '/api/admin/session', { body: { email: user.email, password: user.password } })).status, 401, 'the old password is gone');
      await signIn(t, user.email, 'my fresh new passphrase');

      const again = await call(t, 'POST', '/api/admin/password-reset/complete', { body: { token, password: 'yet another passphrase' } });
      assert.equal(again.status, 400, 'the link works once');
      assert.equal(again.json.error.fields[0].path, '/token');
      assert.match(again.json.error.message, /expired or was already used/);
    });

    test('password reset: an unknown address gets the same answer and no email', async () => {
      const user = await createStaff(t, 'author');
      const seen = inbox.messages.length;
      const known = await call(t, 'POST', '/api/admin/password-reset', { body: { email: user.email } });
      const unknown = await call(t, 'POST', '/api/admin/password-reset', { body: { email: 'nobody@news.test' } });
      assert.equal(known.status, unknown.status);
      assert.deepEqual(known.json, unknown.json);
      await inbox.next(user.email, seen);
      await t.app.accounts.service.flush();
      assert.equal(inbox.to('nobody@news.test').length, 0);
    });

    test('password reset: links expire after an hour, and a newer link replaces an older one', async () => {
      const user = await createStaff(t, 'contributor');
      let seen = inbox.messages.length;
      await call(t, 'POST', '/api/admin/password-reset', { body: { email: user.email } });
      const first = tokenOf(linkIn(await inbox.next(user.email, seen), '/admin/reset-password'));
      seen = inbox.messages.length;
      await call(t, 'POST', '/api/admin/password-reset', { body: { email: user.email } });
      const second = tokenOf(linkIn(await inbox.next(user.email, seen), '/admin/reset-password'));
      assert.equal((await call(t, 'POST', '/api/admin/password-reset/complete', { body: { token: first, password: 'replaced link passphrase' } })).status, 400);
      t.clock.advance(61 * MINUTE);
      const late = await call(t, 'POST', '/api/admin/password-reset/complete', { body: { token: second, password: 'too late passphrase' } });
      assert.equal(late.status, 400, 'expired after an hour');
      await signIn(t, user.email, user.password);
    });

    test('password reset: at most three emails an hour per address', async () => {
      const user = await createStaff(t, 'author');
      for (let i = 0; i < 5; i++) assert.equal((await call(t, 'POST', '/api/admin/password-reset', { body: { email: user.email } })).status, 202);
      await t.app.accounts.service.flush();
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(inbox.to(user.email).length, 3);
    });

    test('invitation: an admin invites, the email link creates the account with the role and signs in, once', async () => {
      const s = await signIn(t, admin.email, admin.password);
      const email = `new-editor-${dialect}@news.test`;
      const seen = inbox.messages.length;
      const res = await call(t, 'POST', '/api/admin/invitations', { cookie: s.cookie, csrf: s.csrf, body: { email, name: 'Nia Editor', role: 'editor' } });
      assert.equal(res.status, 201, res.text);
      assert.equal(res.json.role, 'editor');
      const mail = await inbox.next(email, seen);
      assert.equal(mail.subject, 'You are invited to the The Test Gazette newsroom');
      assert.match(mail.text ?? '', /invited you to join the The Test Gazette newsroom as an editor/);
      const token = tokenOf(linkIn(mail, '/admin/accept-invitation'));
      const pending = await call(t, 'GET', '/api/admin/invitations', { cookie: s.cookie });
      assert.deepEqual(pending.json.invitations.map((i: { email: string }) => i.email), [email]);

      const accepted = await call(t, 'POST', '/api/admin/invitations/accept', { body: { token, password: 'nias own passphrase' } });
      assert.equal(accepted.status, 201, accepted.text);
      assert.equal(accepted.json.user.email, email);
      assert.equal(accepted.json.user.name, 'Nia Editor');
      assert.equal(accepted.json.user.role, 'editor');
      assert.ok(accepted.setCookie, 'signed in straight away');
      assert.equal((await call(t, 'GET', '/api/admin/session', { cookie: accepted.setCookie })).json.user.role, 'editor');
      const reuse = await call(t, 'POST', '/api/admin/invitations/accept', { body: { token, password: 'someone elses passphrase' } });
      assert.equal(reuse.status, 400, 'an invitation works once');
      assert.equal((await call(t, 'GET', '/api/admin/invitations', { cookie: s.cookie })).json.invitations.length, 0);
      const dup = await call(t, 'POST', '/api/admin/invitations', { cookie: s.cookie, csrf: s.csrf, body: { email, name: 'Nia Again', role: 'author' } });
      assert.equal(dup.status, 409, 'the address already has an account');
    });

    test('invitation: expires after 7 days; can be revoked; only admins invite, and never an owner', async () => {
      const s = await signIn(t, admin.email, admin.password);
      let seen = inbox.messages.length;
      await call(t, 'POST', '/api/admin/invitations', { cookie: s.cookie, csrf: s.csrf, body: { email: 'late@news.test', name: 'Late', role: 'author' } });
      const late = tokenOf(linkIn(await inbox.next('late@news.test', seen), '/admin/accept-invitation'));
      seen = inbox.messages.length;
      const revokedRes = await call(t, 'POST', '/api/admin/invitations', { cookie: s.cookie, csrf: s.csrf, body: { email: 'revoked@news.test', name: 'Rev', role: 'author' } });
      const revoked = tokenOf(linkIn(await inbox.next('revoked@news.test', seen), '/admin/accept-invitation'));
      assert.equal((await call(t, 'DELETE', `/api/admin/invitations/${revokedRes.json.id}`, { cookie: s.cookie, csrf: s.csrf })).status, 204);
      assert.equal((await call(t, 'POST', '/api/admin/invitations/accept', { body: { token: revoked, password: 'revoked passphrase' } })).status, 400);

      t.clock.advance(7 * 24 * 60 * MINUTE + MINUTE);
      const expired = await call(t, 'POST', '/api/admin/invitations/accept', { body: { token: late, password: 'late passphrase here' } });
      assert.equal(expired.status, 400, 'expired after 7 days');

      const s2 = await signIn(t, admin.email, admin.password); // the clock moved past the first session's life
      const owner = await call(t, 'POST', '/api/admin/invitations', { cookie: s2.cookie, csrf: s2.csrf, body: { email: 'boss@news.test', name: 'Boss', role: 'owner' } });
      assert.equal(owner.status, 400, 'owner is not an invitable role');
      const editor = await createStaff(t, 'editor');
      const e = await signIn(t, editor.email, editor.password);
      const byEditor = await call(t, 'POST', '/api/admin/invitations', { cookie: e.cookie, csrf: e.csrf, body: { email: 'x@news.test', name: 'X', role: 'contributor' } });
      assert.equal(byEditor.status, 403);
    });
  });

  describe(`account emails without SMTP on ${dialect}`, () => {
    let t: TestApp;
    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      t = await startTestApp(dialect);
    });
    after(() => t?.close());

    test('without SMTP_URL the email is written to DATA_DIR/outbox as an .eml file whose link works', async () => {
      const user = await createStaff(t, 'author');
      assert.equal((await call(t, 'POST', '/api/admin/password-reset', { body: { email: user.email } })).status, 202);
      await t.app.accounts.service.flush();
      const outbox = path.join(t.config.dataDir, 'outbox');
      const files = fs.readdirSync(outbox);
      assert.equal(files.length, 1);
      assert.match(files[0]!, new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\d-\\d{3}Z-${user.email.replace(/[.+]/g, '\\$&')}\\.eml$`));
      const file = path.join(outbox, files[0]!);
      assert.equal(fs.statSync(file).mode & 0o077, 0, 'only the account running Broadsheet can read it');
      const mail = await simpleParser(fs.readFileSync(file));
      assert.deepEqual(recipients(mail), [user.email.toLowerCase()]);
      const token = tokenOf(linkIn(mail, '/admin/reset-password'));
      assert.equal((await call(t, 'POST', '/api/admin/password-reset/complete', { body: { token, password: 'outbox passphrase ok' } })).status, 204);
      await signIn(t, user.email, 'outbox passphrase ok');
    });
  });
}

describe('account emails when the mail server is down', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp('sqlite', { env: { SMTP_URL: 'smtp://127.0.0.1:1' } });
  });
  after(() => t?.close());

  test('an invitation that cannot be sent is a clear 502, not a 500, and leaves no live link', async () => {
    const admin = await createStaff(t, 'admin');
    const s = await signIn(t, admin.email, admin.password);
    const res = await call(t, 'POST', '/api/admin/invitations', { cookie: s.cookie, csrf: s.csrf, body: { email: 'lost@news.test', name: 'Lost', role: 'author' } });
    assert.equal(res.status, 502);
    assert.equal(res.json.error.code, 'email_failed');
    assert.match(res.json.error.message, /SMTP_URL/);
    assert.equal((await call(t, 'GET', '/api/admin/invitations', { cookie: s.cookie })).json.invitations.length, 0);
    // A reset request still answers the same (the failure is logged, not shown).
    assert.equal((await call(t, 'POST', '/api/admin/password-reset', { body: { email: admin.email } })).status, 202);
    await t.app.accounts.service.flush();
  });
});
