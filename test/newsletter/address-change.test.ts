/**
 * A reader changes their address from the preferences page, on SQLite and
 * PostgreSQL, with the emails caught by a real SMTP server: nothing changes
 * until the link sent to the new address is opened and its button pressed;
 * the old address is told; the link works once, expires, and cannot be
 * tampered with or used to take an address another reader has.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ParsedMail } from 'mailparser';
import { assertPostgresReachable, DIALECTS, startTestApp, TestClock, type TestApp } from '../support/apps.js';
import { preferencesUrl } from '../../src/newsletter/links.js';
import { ADDRESS_LINK_TTL_MS } from '../../src/newsletter/address-change.js';
import { confirmLinkIn, deliver, getPage, Inbox, mainOf, nextIp, postForm, visibleText } from './support.js';

/** The change-of-address link in an email: the same in the text and the HTML part. */
function addressLinkIn(mail: ParsedMail): string {
  const match = /http:\/\/news\.test(\/newsletters\/address\/[A-Za-z0-9._-]+)/.exec(mail.text ?? '');
  assert.ok(match, `no change-of-address link in:\n${mail.text}`);
  assert.ok(String(mail.html).includes(match[0]), 'the HTML part carries the same link');
  return match[1]!;
}

for (const dialect of DIALECTS) {
  describe(`newsletter reader changes address on ${dialect}`, () => {
    const inbox = new Inbox();
    const clock = new TestClock();
    let t: TestApp;
    let daily: { id: number; slug: string };

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      await inbox.start();
      t = await startTestApp(dialect, { clock, env: { SMTP_URL: `smtp://127.0.0.1:${inbox.port}`, TRUST_PROXY: 'true' } });
      daily = await t.app.newsletters.newsletters.create({ name: 'Daily Dispatch' });
    });
    after(async () => {
      await t?.close();
      await inbox.close();
    });

    async function confirmedReader(email: string) {
      await postForm(t, '/newsletters', [['email', email], ['newsletters', daily.slug]], { ip: nextIp() });
      await deliver(t);
      assert.equal((await postForm(t, confirmLinkIn(inbox.to(email).at(-1)!), [])).status, 200);
      return (await t.app.newsletters.subscribersRepo.byKey(email))!;
    }
    const askToMove = (reader: { id: number; secret: string }, email: string) =>
      postForm(t, `${preferencesUrl('', reader)}/address`, [['email', email]], { ip: nextIp() });

    test('the link goes to the new address; confirming moves the subscriptions there and tells the old address', async () => {
      const reader = await confirmedReader('old.home@example.org');
      const asked = await askToMove(reader, 'New.Home@Example.org');
      assert.equal(asked.status, 200);
      assert.match(visibleText(mainOf(asked.text)), /We sent a link to New\.Home@example\.org/);
      await deliver(t);
      assert.equal((await t.app.newsletters.subscribersRepo.byId(reader.id))!.email, 'old.home@example.org', 'nothing changes before the link is used');

      const mail = inbox.to('new.home@example.org').at(-1)!;
      assert.match(mail.subject ?? '', /Confirm your new address/);
      assert.match(mail.text ?? '', /sent to old\.home@example\.org at this address instead/);
      const link = addressLinkIn(mail);

      // Opening the link (as a mail scanner would) changes nothing.
      const page = await getPage(t, link);
      assert.equal(page.status, 200);
      assert.match(visibleText(mainOf(page.text)), /Your newsletters now go to old\.home@example\.org\. After this they will go to New\.Home@example\.org/);
      assert.equal((await t.app.newsletters.subscribersRepo.byId(reader.id))!.email, 'old.home@example.org');

      const done = await postForm(t, link, []);
      assert.equal(done.status, 200, done.text);
      assert.match(visibleText(mainOf(done.text)), /Your newsletters now go to New\.Home@example\.org/);
      const moved = (await t.app.newsletters.subscribersRepo.byId(reader.id))!;
      assert.equal(moved.email, 'New.Home@example.org');
      assert.equal(moved.email_key, 'new.home@example.org');
      assert.deepEqual((await t.app.newsletters.subscribersRepo.subscriptions(reader.id)).map((s) => [s.newsletter_id, s.status]), [[daily.id, 'subscribed']]);
      assert.equal(await t.app.newsletters.subscribersRepo.byKey('old.home@example.org'), undefined);

      await deliver(t);
      const notice = inbox.to('old.home@example.org').at(-1)!;
      assert.match(notice.subject ?? '', /now go to another address/);
      assert.match(notice.text ?? '', /now go to New\.Home@example\.org/);

      // The same link again: it was signed for the old address, so it no longer works.
      const again = await postForm(t, link, []);
      assert.equal(again.status, 400);
      assert.match(visibleText(mainOf(again.text)), /link/i);
      // The reader's preferences link keeps working at the new address.
      assert.match(visibleText(mainOf((await getPage(t, preferencesUrl('', moved))).text)), /For New\.Home@example\.org/);
    });

    test('bad addresses, the current one and throwaway mailboxes get a clear message on the form and no email', async () => {
      const reader = await confirmedReader('steady@example.org');
      const before = inbox.messages.length;
      for (const [typed, message] of [
        ['not an address', /Enter an email address like name@example\.org/],
        ['Steady@example.org', /That is already your address/],
        ['me@mailinator.com', /Please use a permanent address/],
        ['a@example.org\r\nBcc: victim@example.org', /characters we cannot send to|Enter an email address/],
      ] as const) {
        const answer = await askToMove(reader, typed);
        assert.equal(answer.status, 400, typed);
        const main = mainOf(answer.text);
        assert.match(visibleText(main), message, typed);
        assert.match(main, /id="nl-address-email"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="nl-address-email"/);
      }
      await deliver(t);
      assert.equal(inbox.messages.length, before, 'no email for refused addresses');
    });

    test('a tampered, expired or forged request changes nothing; an address another reader has is not taken', async () => {
      const reader = await confirmedReader('keeper@example.org');
      await confirmedReader('taken@example.org');
      await askToMove(reader, 'taken@example.org');
      await askToMove(reader, 'fresh@example.org');
      await deliver(t);
      const takenLink = addressLinkIn(inbox.to('taken@example.org').at(-1)!);
      const freshLink = addressLinkIn(inbox.to('fresh@example.org').at(-1)!);

      const clash = await postForm(t, takenLink, []);
      assert.equal(clash.status, 409);
      assert.match(visibleText(mainOf(clash.text)), /already has its own subscriptions, so nothing was changed/);

      const tampered = freshLink.replace(/\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/, (_m, _address: string, mac: string) => `.${Buffer.from('thief@example.org').toString('base64url')}.${mac}`);
      assert.notEqual(tampered, freshLink);
      assert.equal((await postForm(t, tampered, [])).status, 400);
      assert.equal((await getPage(t, '/newsletters/address/not-a-token')).status, 400);

      const forged = await postForm(t, freshLink, [], { headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } });
      assert.equal(forged.status, 403);

      clock.advance(ADDRESS_LINK_TTL_MS + 60_000);
      const expired = await postForm(t, freshLink, []);
      assert.equal(expired.status, 410);
      assert.equal((await t.app.newsletters.subscribersRepo.byId(reader.id))!.email, 'keeper@example.org', 'still the old address');
    });

    test('at most 5 change requests an hour for one reader', async () => {
      const reader = await confirmedReader('restless@example.org');
      for (let i = 0; i < 5; i++) assert.equal((await askToMove(reader, `next${i}@example.org`)).status, 200);
      const blocked = await askToMove(reader, 'one-more@example.org');
      assert.equal(blocked.status, 429);
      assert.ok(Number(blocked.headers.get('retry-after')) > 0);
    });
  });
}
