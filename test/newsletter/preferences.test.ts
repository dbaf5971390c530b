/**
 * What a reader does from the links in our emails, on SQLite and PostgreSQL:
 * the preferences page (choose newsletters, change name, leave everything) and
 * one-click unsubscribe (RFC 8058) exercised as a mail client does: the
 * List-Unsubscribe header read from a real message (smtp-server, mailparser),
 * then a POST with `List-Unsubscribe=One-Click`, no cookie, no session.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import nodemailer from 'nodemailer';
import { assertPostgresReachable, DIALECTS, startTestApp, type TestApp } from '../support/apps.js';
import { listHeaders, preferencesUrl } from '../../src/newsletter/links.js';
import { confirmLinkIn, deliver, getPage, Inbox, mainOf, nextIp, postForm, visibleText } from './support.js';

for (const dialect of DIALECTS) {
  describe(`newsletter preferences and one-click unsubscribe on ${dialect}`, () => {
    const inbox = new Inbox();
    let t: TestApp;
    let daily: { id: number; slug: string; name: string };
    let weekly: { id: number; slug: string; name: string };
    let internal: { id: number; slug: string; name: string };

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      await inbox.start();
      t = await startTestApp(dialect, { env: { SMTP_URL: `smtp://127.0.0.1:${inbox.port}`, TRUST_PROXY: 'true' } });
      daily = await t.app.newsletters.newsletters.create({ name: 'Morning Briefing' });
      weekly = await t.app.newsletters.newsletters.create({ name: 'The Weekender' });
      internal = await t.app.newsletters.newsletters.create({ name: 'Staff Picks', visibility: 'hidden' });
    });
    after(async () => {
      await t?.close();
      await inbox.close();
    });

    /** A reader who signed up for `slugs` through the form and confirmed with the emailed link. */
    async function confirmedReader(email: string, slugs: string[]) {
      await postForm(t, '/newsletters', [['email', email], ...slugs.map((s): [string, string] => ['newsletters', s])], { ip: nextIp() });
      await deliver(t);
      const done = await postForm(t, confirmLinkIn(inbox.to(email).at(-1)!), []);
      assert.equal(done.status, 200);
      return (await t.app.newsletters.subscribersRepo.byKey(email))!;
    }
    const statuses = async (id: number) =>
      Object.fromEntries((await t.app.newsletters.subscribersRepo.subscriptions(id)).map((s) => [s.newsletter_id, s.status]));
    const lastConsent = async (id: number) => (await t.app.newsletters.subscribersRepo.consents(id)).at(-1);

    test('the preferences page: choose newsletters, change the name, then leave everything', async () => {
      const reader = await confirmedReader('prefs@example.org', [daily.slug]);
      const path = preferencesUrl('', reader);
      assert.equal(preferencesUrl('http://news.test', reader), `http://news.test${path}`);

      const page = await getPage(t, path);
      assert.equal(page.status, 200);
      assert.equal(page.headers.get('cache-control'), 'no-store');
      const main = mainOf(page.text);
      assert.match(main, new RegExp(`value="${daily.slug}" checked`));
      assert.match(main, new RegExp(`value="${weekly.slug}">`));
      assert.ok(!main.includes(internal.slug), 'a hidden newsletter the reader does not receive is not offered');
      assert.match(visibleText(main), /For prefs@example\.org/);

      const saved = await postForm(t, path, [['newsletters', weekly.slug], ['newsletters', internal.slug], ['name', 'Pat Reader'], ['action', 'save']]);
      assert.equal(saved.status, 200);
      assert.match(visibleText(mainOf(saved.text)), /Your choices are saved/);
      assert.deepEqual(await statuses(reader.id), { [daily.id]: 'unsubscribed', [weekly.id]: 'subscribed' });
      assert.equal((await t.app.newsletters.subscribersRepo.byId(reader.id))?.name, 'Pat Reader');
      const records = (await t.app.newsletters.subscribersRepo.consents(reader.id)).slice(-2);
      assert.deepEqual(records.map((c) => [c.newsletter_id, c.action, c.source]).sort(), [[daily.id, 'withdrawn', 'preferences'], [weekly.id, 'confirmed', 'preferences']].sort());

      const left = await postForm(t, path, [['newsletters', weekly.slug], ['action', 'unsubscribe-all']]);
      assert.equal(left.status, 200);
      assert.match(visibleText(mainOf(left.text)), /unsubscribed from everything/);
      assert.deepEqual(await statuses(reader.id), { [daily.id]: 'unsubscribed', [weekly.id]: 'unsubscribed' });
      assert.equal((await lastConsent(reader.id))?.source, 'preferences:all');
    });

    test('preferences: a tampered link or a post from another site changes nothing', async () => {
      const reader = await confirmedReader('careful@example.org', [daily.slug]);
      const path = preferencesUrl('', reader);
      const tampered = path.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
      assert.equal((await getPage(t, tampered)).status, 400);
      assert.equal((await postForm(t, tampered, [['action', 'unsubscribe-all']])).status, 400);
      const forged = await postForm(t, path, [['action', 'unsubscribe-all']], { headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } });
      assert.equal(forged.status, 403);
      // A preferences token is not an unsubscribe token, nor a confirmation.
      const token = path.split('/').at(-1)!;
      assert.equal((await postForm(t, `/newsletters/unsubscribe/${token}`, [['List-Unsubscribe', 'One-Click']])).status, 400);
      assert.equal((await getPage(t, `/newsletters/confirm/${token}`)).status, 400);
      assert.deepEqual(await statuses(reader.id), { [daily.id]: 'subscribed' });
    });

    test('one-click unsubscribe: the List-Unsubscribe URL of a real message, POSTed as a mail client does', async () => {
      const reader = await confirmedReader('oneclick@example.org', [daily.slug, weekly.slug]);
      const headers = listHeaders('http://news.test', reader, daily);
      // Send a message carrying the headers through real SMTP and read them back as a mail client would.
      const transport = nodemailer.createTransport({ host: '127.0.0.1', port: inbox.port, secure: false, ignoreTLS: true });
      await transport.sendMail({ from: 'news@news.test', to: reader.email, subject: 'Morning Briefing', text: 'Today', headers });
      transport.close();
      const mail = inbox.to(reader.email).at(-1)!;
      // The raw header lines, as a mail client reads them (unfolded).
      const header = (name: string) => mail.headerLines.find((l) => l.key === name)?.line.replace(/\r?\n[ \t]+/g, ' ').replace(/^[^:]+:\s*/, '');
      assert.equal(header('list-unsubscribe-post'), 'List-Unsubscribe=One-Click');
      assert.equal(header('list-id'), 'Morning Briefing <morning-briefing.newsletters.news.test>');
      const unsubscribeUrl = /^<(http:\/\/news\.test\/newsletters\/unsubscribe\/[^>]+)>$/.exec(header('list-unsubscribe') ?? '')?.[1];
      assert.ok(unsubscribeUrl, `the message names the one-click URL: ${header('list-unsubscribe')}`);
      const path = new URL(unsubscribeUrl).pathname;

      // A mail scanner following the link changes nothing.
      const shown = await getPage(t, path);
      assert.equal(shown.status, 200);
      assert.match(visibleText(mainOf(shown.text)), /Unsubscribe from Morning Briefing\?/);
      assert.deepEqual(await statuses(reader.id), { [daily.id]: 'subscribed', [weekly.id]: 'subscribed' });

      // The mail provider's POST: no cookie, no Origin from our site, form body.
      const response = await fetch(t.url + path, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://mail.example' },
        body: 'List-Unsubscribe=One-Click',
        redirect: 'manual',
      });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('location'), null, 'no redirect');
      assert.match(visibleText(await response.text()), /You are unsubscribed from Morning Briefing/);
      assert.deepEqual(await statuses(reader.id), { [daily.id]: 'unsubscribed', [weekly.id]: 'subscribed' }, 'only that newsletter');
      const record = await lastConsent(reader.id);
      assert.deepEqual([record?.newsletter_id, record?.action, record?.source], [daily.id, 'withdrawn', 'one-click']);

      // Again (clients retry), and as multipart: still 200, nothing more recorded.
      const count = (await t.app.newsletters.subscribersRepo.consents(reader.id)).length;
      const form = new FormData();
      form.set('List-Unsubscribe', 'One-Click');
      const again = await fetch(t.url + path, { method: 'POST', body: form, redirect: 'manual' });
      assert.equal(again.status, 200);
      assert.equal((await t.app.newsletters.subscribersRepo.consents(reader.id)).length, count);

      // A tampered token: refused, nothing changes.
      const weeklyPath = new URL(/<([^>]+)>/.exec(listHeaders('http://news.test', reader, weekly)['List-Unsubscribe'])![1]!).pathname;
      const bad = await fetch(t.url + weeklyPath.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
      assert.equal(bad.status, 400);
      assert.deepEqual(await statuses(reader.id), { [daily.id]: 'unsubscribed', [weekly.id]: 'subscribed' });
    });

    test('deleting a reader retires every link they were sent', async () => {
      const reader = await confirmedReader('gone@example.org', [daily.slug]);
      const prefs = preferencesUrl('', reader);
      await t.app.newsletters.subscribers.delete(reader.id);
      assert.equal((await getPage(t, prefs)).status, 400);
    });
  });
}

test('list headers: a newsletter name with quotes, brackets, line breaks or accents stays a plain List-Id phrase', () => {
  const headers = listHeaders('https://news.example.org', { id: 7, secret: 'k'.repeat(43) }, { id: 3, slug: 'breaking', name: 'Café "Breaking"\r\nBcc: x@y.z <News>' });
  assert.equal(headers['List-Id'], 'Cafe Breaking Bcc x y z News <breaking.newsletters.news.example.org>');
  assert.match(headers['List-Unsubscribe'], /^<https:\/\/news\.example\.org\/newsletters\/unsubscribe\/[0-9a-z]+\.[0-9a-z]+\.[A-Za-z0-9_-]{43}>$/);
  assert.ok(Object.values(headers).every((v) => !/[\r\n]/.test(v)));
});
