/**
 * Reader sign-up with double opt-in, on SQLite and PostgreSQL: forms posted as
 * a browser posts them, the confirmation email received by a real SMTP server
 * (smtp-server) and parsed (mailparser), its link followed and confirmed.
 * Expired and tampered links, the honeypot, the rate limits, answers that do
 * not reveal known addresses, forged cross-site posts, and where the forms show.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertPostgresReachable, DIALECTS, startTestApp, type TestApp } from '../support/apps.js';
import { confirmLinkIn, deliver, getPage, Inbox, mainOf, nextIp, postForm, visibleText } from './support.js';

const DAY = 86_400_000;

for (const dialect of DIALECTS) {
  describe(`newsletter sign-up on ${dialect}`, () => {
    const inbox = new Inbox();
    let t: TestApp;
    let daily: { id: number; slug: string };
    let weekly: { id: number; slug: string };

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      await inbox.start();
      t = await startTestApp(dialect, {
        env: { SMTP_URL: `smtp://127.0.0.1:${inbox.port}`, MAIL_FROM: 'The Test Gazette <newsroom@news.test>', TRUST_PROXY: 'true' },
      });
      await t.app.settings.update({ name: 'The Test Gazette' }, new Date().toISOString());
      daily = await t.app.newsletters.newsletters.create({ name: 'Morning Briefing', description: 'What matters today.', schedule: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], time: '06:30' } });
      weekly = await t.app.newsletters.newsletters.create({ name: 'The Weekender', slug: 'weekender' });
    });
    after(async () => {
      await t?.close();
      await inbox.close();
    });

    const subscriberRow = (email: string) => t.app.db.kysely.selectFrom('newsletter_subscribers').selectAll().where('email_key', '=', email.toLowerCase()).executeTakeFirst();
    const statuses = async (email: string) => {
      const row = await subscriberRow(email);
      if (!row) return {};
      const subs = await t.app.db.kysely.selectFrom('newsletter_subscriptions').selectAll().where('subscriber_id', '=', row.id).execute();
      return Object.fromEntries(subs.map((s) => [s.newsletter_id, s.status]));
    };
    const consents = async (email: string) => {
      const row = await subscriberRow(email);
      return row ? t.app.db.kysely.selectFrom('newsletter_consents').selectAll().where('subscriber_id', '=', row.id).orderBy('id').execute() : [];
    };
    const signup = (email: string, newsletters: string[], extra: [string, string][] = [], ip = nextIp()) =>
      postForm(t, '/newsletters', [['email', email], ...newsletters.map((n): [string, string] => ['newsletters', n]), ['source', 'footer:/politics/a-story'], ['website', ''], ...extra], { ip });

    test('sign up, receive the confirmation email, confirm with its link: subscribed, with consent records', async () => {
      const email = 'Reader.One@Example.ORG';
      const page = await signup(email, [daily.slug, weekly.slug], [['name', 'Reader One']]);
      assert.equal(page.status, 200);
      assert.match(visibleText(page.text), /Check your inbox/);
      assert.equal(page.headers.get('cache-control'), 'no-store');
      // Stored normalized: the local part as typed, the domain lower-cased; pending until confirmed.
      const row = await subscriberRow(email);
      assert.equal(row?.email, 'Reader.One@example.org');
      assert.equal(row?.name, 'Reader One');
      assert.deepEqual(await statuses(email), { [daily.id]: 'pending', [weekly.id]: 'pending' });

      await deliver(t);
      const mails = inbox.to('reader.one@example.org');
      assert.equal(mails.length, 1, 'one confirmation email');
      const mail = mails[0]!;
      assert.equal(mail.subject, 'Confirm your subscription to Morning Briefing and The Weekender');
      assert.equal(mail.from?.value[0]?.address, 'newsroom@news.test');
      assert.match(mail.text ?? '', /within 7 days/);
      const link = confirmLinkIn(mail);

      // Following the link (as a mail scanner would) changes nothing: it shows a button.
      const shown = await getPage(t, link);
      assert.equal(shown.status, 200);
      assert.match(visibleText(mainOf(shown.text)), /Confirm your subscription You asked to receive Morning Briefing and The Weekender/);
      assert.equal(shown.headers.get('x-robots-tag'), 'noindex');
      assert.deepEqual(await statuses(email), { [daily.id]: 'pending', [weekly.id]: 'pending' });

      const done = await postForm(t, link, []);
      assert.equal(done.status, 200);
      assert.match(visibleText(mainOf(done.text)), /You are subscribed/);
      assert.match(done.text, /href="\/newsletters\/preferences\/[A-Za-z0-9._-]+"/, 'a link to the preferences page');
      assert.deepEqual(await statuses(email), { [daily.id]: 'subscribed', [weekly.id]: 'subscribed' });
      const records = await consents(email);
      assert.deepEqual(
        records.map((c) => [c.newsletter_id, c.action, c.source]),
        [
          [daily.id, 'requested', 'footer:/politics/a-story'],
          [weekly.id, 'requested', 'footer:/politics/a-story'],
          [daily.id, 'confirmed', 'email-link'],
          [weekly.id, 'confirmed', 'email-link'],
        ],
      );
      assert.ok(records.every((c) => c.ip === null), 'no IP address is kept unless the site asks for it');

      // The link again: nothing left to confirm, still subscribed.
      const again = await postForm(t, link, []);
      assert.equal(again.status, 200);
      assert.match(visibleText(mainOf(again.text)), /already subscribed/);
      assert.equal((await consents(email)).length, 4);
    });

    test('with the setting on, consent records keep the IP address', async () => {
      await t.app.settings.update({ newsletters: { recordConsentIp: true } }, new Date().toISOString());
      try {
        await signup('ip.kept@example.org', [daily.slug], [], '192.0.2.77');
        const records = await consents('ip.kept@example.org');
        assert.equal(records[0]?.ip, '192.0.2.77');
      } finally {
        await t.app.settings.update({ newsletters: { recordConsentIp: false } }, new Date().toISOString());
      }
    });

    test('an expired link and a tampered link show a clear page and change nothing', async () => {
      const email = 'late.reader@example.org';
      await signup(email, [daily.slug]);
      await deliver(t);
      const link = confirmLinkIn(inbox.to(email).at(-1)!);

      const tampered = link.slice(0, -3) + (link.endsWith('AAA') ? 'BBB' : 'AAA');
      for (const page of [await getPage(t, tampered), await postForm(t, tampered, [])]) {
        assert.equal(page.status, 400);
        assert.match(visibleText(mainOf(page.text)), /This link does not work.*Nothing was changed/);
      }
      const nonsense = await getPage(t, '/newsletters/confirm/not-a-token');
      assert.equal(nonsense.status, 400);
      assert.deepEqual(await statuses(email), { [daily.id]: 'pending' });

      t.clock.advance(7 * DAY + 60_000);
      try {
        for (const page of [await getPage(t, link), await postForm(t, link, [])]) {
          assert.equal(page.status, 410);
          assert.match(visibleText(mainOf(page.text)), /This link has expired.*Sign up again/);
        }
        assert.deepEqual(await statuses(email), { [daily.id]: 'pending' });
        assert.equal((await consents(email)).filter((c) => c.action === 'confirmed').length, 0);
      } finally {
        t.clock.advance(-(7 * DAY + 60_000));
      }
    });

    test('a filled honeypot answers like a success and stores and sends nothing', async () => {
      const email = 'bot@example.org';
      const page = await postForm(t, '/newsletters', [['email', email], ['newsletters', daily.slug], ['website', 'http://spam.example']], { ip: nextIp() });
      assert.equal(page.status, 200);
      assert.match(visibleText(page.text), /Check your inbox/);
      await deliver(t);
      assert.equal(await subscriberRow(email), undefined);
      assert.equal(inbox.to(email).length, 0);
    });

    test('the answer is the same for a new, a pending and a subscribed address; subscribed ones get no email', async () => {
      const known = 'known.reader@example.org';
      await signup(known, [daily.slug]);
      await deliver(t);
      await postForm(t, confirmLinkIn(inbox.to(known).at(-1)!), []);
      const before = inbox.to(known).length;

      const forKnown = await signup(known, [daily.slug]);
      const forNew = await signup('brand.new@example.org', [daily.slug]);
      assert.equal(forKnown.status, forNew.status);
      assert.equal(mainOf(forKnown.text), mainOf(forNew.text), 'the same page whether or not the address was known');
      await deliver(t);
      assert.equal(inbox.to(known).length, before, 'an already subscribed address gets no confirmation email');
      assert.equal(inbox.to('brand.new@example.org').length, 1);
      assert.deepEqual(await statuses(known), { [daily.id]: 'subscribed' });

      // A subscribed address asking for another newsletter is asked to confirm that one only.
      await signup(known.toUpperCase(), [daily.slug, weekly.slug]);
      await deliver(t);
      assert.equal(inbox.to(known).length, before + 1);
      assert.equal(inbox.to(known).at(-1)!.subject, 'Confirm your subscription to The Weekender');
      assert.deepEqual(await statuses(known), { [daily.id]: 'subscribed', [weekly.id]: 'pending' });
    });

    test('signing up again while pending resends the email at most once every ten minutes', async () => {
      const email = 'eager.reader@example.org';
      await signup(email, [daily.slug]);
      await signup(email, [daily.slug]);
      await signup(email, [daily.slug]);
      await deliver(t);
      assert.equal(inbox.to(email).length, 1);
      t.clock.advance(11 * 60_000);
      try {
        await signup(email, [daily.slug]);
        await deliver(t);
        assert.equal(inbox.to(email).length, 2);
        // The old link still confirms what was asked for before it was sent.
        const first = confirmLinkIn(inbox.to(email)[0]!);
        assert.equal((await postForm(t, first, [])).status, 200);
        assert.deepEqual(await statuses(email), { [daily.id]: 'subscribed' });
      } finally {
        t.clock.advance(-11 * 60_000);
      }
    });

    test('rate limits: one address at most 5 times an hour, one network at most 20 sign-ups an hour', async () => {
      const email = 'popular@example.org';
      for (let i = 0; i < 5; i++) assert.equal((await signup(email, [daily.slug])).status, 200);
      const limited = await signup(email.toUpperCase(), [daily.slug]);
      assert.equal(limited.status, 429);
      assert.ok(Number(limited.headers.get('retry-after')) > 0);
      assert.match(visibleText(mainOf(limited.text)), /Too many attempts; try again in \d+ minutes/);

      const ip = '192.0.2.200';
      for (let i = 0; i < 20; i++) assert.equal((await signup(`spray${i}@example.org`, [daily.slug], [], ip)).status, 200);
      const blocked = await signup('spray-last@example.org', [daily.slug], [], ip);
      assert.equal(blocked.status, 429);
      assert.equal(await subscriberRow('spray-last@example.org'), undefined, 'nothing stored past the limit');
      assert.equal((await signup('other-network@example.org', [daily.slug], [], '192.0.2.201')).status, 200);
    });

    test('bad input: a clear message on the form, nothing stored', async () => {
      const bad = await signup('not-an-address', [daily.slug], [['name', 'Someone']]);
      assert.equal(bad.status, 400);
      const main = mainOf(bad.text);
      assert.match(visibleText(main), /Enter an email address like name@example\.org/);
      assert.match(main, /value="not-an-address"/, 'what the reader typed is kept');
      assert.match(main, /aria-invalid="true"/);
      const none = await signup('no.choice@example.org', []);
      assert.equal(none.status, 400);
      assert.match(visibleText(mainOf(none.text)), /Choose at least one newsletter/);
      const hidden = await signup('hidden.choice@example.org', ['no-such-newsletter']);
      assert.equal(hidden.status, 400);
      const injected = await signup('a@example.org\r\nBcc: victim@example.org', [daily.slug]);
      assert.equal(injected.status, 400);
      const escaped = await signup('<script>alert(1)</script>@example.org', [daily.slug]);
      assert.equal(escaped.status, 400);
      assert.ok(!escaped.text.includes('<script>alert(1)'), 'what was typed is escaped');
      const throwaway = await signup('someone@Mailinator.com', [daily.slug]);
      assert.equal(throwaway.status, 400);
      assert.match(visibleText(mainOf(throwaway.text)), /Please use a permanent address: mailboxes at mailinator\.com are deleted/);
      const throwawaySub = await signup('someone@x7.0x01.tk', [daily.slug]);
      assert.equal(throwawaySub.status, 400, 'a subdomain of a wildcard-listed throwaway service');
      for (const email of ['no.choice@example.org', 'hidden.choice@example.org', 'a@example.org', 'someone@mailinator.com', 'someone@x7.0x01.tk']) assert.equal(await subscriberRow(email), undefined);
    });

    test('a sign-up posted from another site is refused and changes nothing', async () => {
      for (const headers of [{ origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }, { origin: 'https://evil.example', 'sec-fetch-site': '' }, { 'sec-fetch-site': 'same-site', origin: 'null' }]) {
        const clean = Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== ''));
        const response = await fetch(`${t.url}/newsletters`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...clean },
          body: new URLSearchParams([['email', 'forged@example.org'], ['newsletters', daily.slug]]).toString(),
        });
        assert.equal(response.status, 403);
        assert.match(visibleText(await response.text()), /came from another website/);
      }
      assert.equal(await subscriberRow('forged@example.org'), undefined);
    });

    test('the forms: footer and end of article while a public newsletter exists, the /newsletters page lists them', async () => {
      const page = await getPage(t, '/newsletters');
      assert.equal(page.status, 200);
      const main = visibleText(mainOf(page.text));
      assert.match(main, /Morning Briefing What matters today\. Weekdays at 06:30/);
      assert.match(main, /The Weekender/);

      const section = await t.app.taxonomy.createSection({ name: 'Politics' });
      const article = await t.app.articles.create(
        {
          headline: 'Council votes on the budget',
          sectionId: section.id,
          body: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'The council met on Tuesday.' }] }] },
        },
        { actor: 'Desk editor' },
      );
      await t.app.articles.publish(article.id, { actor: 'Desk editor' });
      const path = `/politics/${article.slug}`;
      const story = await getPage(t, path);
      assert.equal(story.status, 200);
      assert.match(story.text, new RegExp(`<section class="nl-signup nl-article"[\\s\\S]*?name="source" value="article:${path}"`));
      assert.match(story.text, /<footer class="site-footer">[\s\S]*<section class="nl-signup nl-footer"/);
      assert.ok(story.text.includes('name="website"'), 'the honeypot is in the form');

      // Hiding every newsletter takes the forms away, cached pages included.
      assert.equal((await getPage(t, path)).headers.get('x-cache'), 'HIT');
      await t.app.newsletters.newsletters.update(daily.id, { visibility: 'hidden' });
      await t.app.newsletters.newsletters.update(weekly.id, { visibility: 'hidden' });
      try {
        const bare = await getPage(t, path);
        assert.ok(!bare.text.includes('nl-signup'), 'no sign-up form without a public newsletter');
        assert.match(visibleText(mainOf((await getPage(t, '/newsletters')).text)), /no newsletters to sign up to/);
        const refused = await signup('too.late@example.org', [daily.slug]);
        assert.equal(refused.status, 400, 'a hidden newsletter cannot be signed up to');
      } finally {
        await t.app.newsletters.newsletters.update(daily.id, { visibility: 'public' });
        await t.app.newsletters.newsletters.update(weekly.id, { visibility: 'public' });
      }
      assert.match((await getPage(t, path)).text, /nl-signup nl-footer/);
    });
  });
}
