/**
 * Breaking news from the article editor, on SQLite and PostgreSQL, with a real
 * SMTP server (messages parsed with mailparser): a published story goes to a
 * newsletter's subscribed readers as a one-story email in one request; a
 * second request (or a double click) is a 409 that says when it went, unless
 * it asks to send again; stories that are not public, bad bodies and staff
 * without `newsletter.manage` are refused with nothing sent.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertPostgresReachable, DIALECTS, startTestApp, TestClock, type TestApp } from '../support/apps.js';
import { call, createStaff, signIn, type Signed } from '../accounts/support.js';
import { makeNewsroom, paragraphs, publishedArticle, type Newsroom } from '../support/fixtures.js';
import { addReader, MailServer } from './delivery-support.js';
import { recipients } from './support.js';

const PASSWORD = 'a long and memorable passphrase';

for (const dialect of DIALECTS) {
  describe(`breaking news from the editor on ${dialect}`, () => {
    const smtp = new MailServer();
    const clock = new TestClock(new Date('2026-11-30T14:00:00Z'));
    let t: TestApp;
    let room: Newsroom;
    let editor: Signed;
    let breaking: { id: number; name: string };

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      await smtp.start();
      t = await startTestApp(dialect, { clock, env: { NEWSLETTER_SMTP_URL: `smtp://127.0.0.1:${smtp.port}` } });
      room = await makeNewsroom(t.app);
      editor = await signIn(t, (await createStaff(t, 'editor')).email, PASSWORD);
      breaking = await t.app.newsletters.newsletters.create({ name: 'Breaking News', senderEmail: 'alerts@news.test' });
      const daily = await t.app.newsletters.newsletters.create({ name: 'Top Stories' });
      await addReader(t, 'ann@example.org', 'Ann', [[breaking.id, 'subscribed']]);
      await addReader(t, 'bob@example.org', 'Bob', [[breaking.id, 'subscribed'], [daily.id, 'subscribed']]);
      await addReader(t, 'pat@example.org', 'Pat', [[breaking.id, 'pending']]);
      await addReader(t, 'dan@example.org', 'Dan', [[daily.id, 'subscribed']]);
    });
    after(async () => {
      await t?.close();
      await smtp.close();
    });

    const sendStory = (articleId: number | string, body: unknown, who: Signed = editor) =>
      call(t, 'POST', `/api/admin/articles/${articleId}/newsletter-send`, { cookie: who.cookie, csrf: who.csrf, body });
    const sendCount = async () => Number((await t.app.db.kysely.selectFrom('newsletter_sends').select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow()).n);
    const inboxOf = (address: string) => smtp.messages.filter((m) => recipients(m).includes(address));

    test('a published story goes to the newsletter’s readers in one step: headline as subject, dek as intro, one story', async () => {
      const story = await publishedArticle(t.app, room, { headline: 'Harbour bridge closes after crash', dek: 'Traffic is diverted through the old town until further notice.' });
      const res = await sendStory(story.id, { newsletterId: breaking.id });
      assert.equal(res.status, 201, res.text);
      assert.equal(res.headers.get('location'), `/api/admin/newsletter-sends/${res.json.id}`);
      assert.equal(res.json.subject, 'Harbour bridge closes after crash');
      assert.equal(res.json.recipients, 2);
      await t.app.runner.drain();

      for (const reader of ['ann@example.org', 'bob@example.org']) {
        const [mail, ...more] = inboxOf(reader);
        assert.equal(more.length, 0, `${reader} gets one email`);
        assert.equal(mail!.subject, 'Harbour bridge closes after crash');
        assert.equal(mail!.from?.value[0]?.address, 'alerts@news.test');
        const text = mail!.text ?? '';
        assert.equal(text.split('Traffic is diverted through the old town').length - 1, 1, 'the dek is the intro, once');
        assert.match(text, new RegExp(`http://news\\.test${story.path}`));
        assert.match(String(mail!.html), /Harbour bridge closes after crash/);
      }
      assert.equal(inboxOf('pat@example.org').length, 0, 'pending readers get nothing');
      assert.equal(inboxOf('dan@example.org').length, 0, 'other newsletters’ readers get nothing');
    });

    test('a second request is a 409 that says when it went; `again: true` sends it once more, with the subject the editor wrote', async () => {
      const story = await publishedArticle(t.app, room, { headline: 'Storm warning for the coast', dek: 'Gusts of 120 km/h expected tonight.' });
      const first = await sendStory(story.id, { newsletterId: breaking.id });
      assert.equal(first.status, 201, first.text);
      clock.advance(5 * 60_000);
      const before = await sendCount();
      const second = await sendStory(story.id, { newsletterId: breaking.id });
      assert.equal(second.status, 409, second.text);
      assert.match(second.json.error.message, /already went to Breaking News on .*2026/);
      assert.equal(second.json.error.details.sendId, first.json.id);
      assert.equal(second.json.error.details.sentAt, '2026-11-30T14:00:00.000Z');
      assert.equal(await sendCount(), before);
      await t.app.runner.drain();
      assert.equal(inboxOf('ann@example.org').filter((m) => m.subject === 'Storm warning for the coast').length, 1);

      const again = await sendStory(story.id, { newsletterId: breaking.id, subject: 'Update: storm warning extended', again: true });
      assert.equal(again.status, 201, again.text);
      await t.app.runner.drain();
      assert.deepEqual(
        inboxOf('ann@example.org').filter((m) => /storm warning/i.test(m.subject ?? '')).map((m) => m.subject),
        ['Storm warning for the coast', 'Update: storm warning extended'],
      );
    });

    test('a double click sends once: two requests at the same instant give one 201 and one 409', async () => {
      const story = await publishedArticle(t.app, room, { headline: 'Mayor resigns', dek: 'A statement is expected at noon.' });
      const answers = await Promise.all([sendStory(story.id, { newsletterId: breaking.id }), sendStory(story.id, { newsletterId: breaking.id })]);
      assert.deepEqual(answers.map((a) => a.status).sort(), [201, 409], answers.map((a) => a.text).join('\n'));
      await t.app.runner.drain();
      assert.equal(inboxOf('bob@example.org').filter((m) => m.subject === 'Mayor resigns').length, 1);
    });

    test('only public stories and newsletters with readers: drafts, scheduled and unpublished ones, and nobody subscribed, are a 409; unknown ids a 404; nothing is sent', async () => {
      const before = await sendCount();
      const draft = await t.app.articles.create({ headline: 'Draft story', body: paragraphs(2), sectionId: room.sections.local }, { actor: 'test' });
      let res = await sendStory(draft.id, { newsletterId: breaking.id });
      assert.equal(res.status, 409, res.text);
      assert.match(res.json.error.message, /Only a published story can be sent as a newsletter; this one is draft/);

      const later = await t.app.articles.create({ headline: 'Tomorrow’s story', body: paragraphs(2), sectionId: room.sections.local }, { actor: 'test' });
      await t.app.articles.schedule(later.id, new Date(clock.now().getTime() + 86_400_000), { actor: 'test' });
      res = await sendStory(later.id, { newsletterId: breaking.id });
      assert.equal(res.status, 409, res.text);
      assert.match(res.json.error.message, /this one is scheduled/);

      const withdrawn = await publishedArticle(t.app, room, { headline: 'Withdrawn story' });
      await t.app.articles.unpublish(withdrawn.id, { actor: 'test' });
      res = await sendStory(withdrawn.id, { newsletterId: breaking.id });
      assert.equal(res.status, 409, res.text);
      assert.match(res.json.error.message, /this one is unpublished/);

      res = await sendStory(999_999, { newsletterId: breaking.id });
      assert.equal(res.status, 404, res.text);

      // A newsletter nobody is subscribed to yet: nothing to send (and the story can still go once readers come).
      const empty = await t.app.newsletters.newsletters.create({ name: 'Night Desk' });
      await addReader(t, 'nat@example.org', 'Nat', [[empty.id, 'pending']]);
      const story = await publishedArticle(t.app, room, { headline: 'Late-night story' });
      res = await sendStory(story.id, { newsletterId: empty.id });
      assert.equal(res.status, 409, res.text);
      assert.match(res.json.error.message, /Nobody is subscribed to Night Desk yet/);
      assert.equal(await sendCount(), before);
    });

    test('bad bodies are 400s naming the field, header injection included; nothing is sent', async () => {
      const story = await publishedArticle(t.app, room, { headline: 'Water main bursts' });
      const before = await sendCount();
      const cases: [unknown, string][] = [
        [{}, '/newsletterId'],
        [{ newsletterId: 999_999 }, '/newsletterId'],
        [{ newsletterId: 'breaking' }, '/newsletterId'],
        [{ newsletterId: breaking.id, subject: 'Water\r\nBcc: everyone@example.org' }, '/subject'],
        [{ newsletterId: breaking.id, subject: '   ' }, '/subject'],
        [{ newsletterId: breaking.id, subject: 'x'.repeat(201) }, '/subject'],
        [{ newsletterId: breaking.id, again: 'yes' }, '/again'],
        [{ newsletterId: breaking.id, to: 'everyone' }, '/to'],
      ];
      for (const [body, path] of cases) {
        const res = await sendStory(story.id, body);
        assert.equal(res.status, 400, `${JSON.stringify(body)}: ${res.text}`);
        assert.ok(
          // The route's schema answers some (`newsletterId`), the service the rest (`/subject`).
          res.json.error.fields?.some((f: { path: string }) => `/${f.path.replace(/^\//, '')}` === path),
          `${JSON.stringify(body)} names ${path}: ${res.text}`,
        );
      }
      const notJson = await call(t, 'POST', `/api/admin/articles/${story.id}/newsletter-send`, { cookie: editor.cookie, csrf: editor.csrf, raw: '{"newsletterId":' });
      assert.equal(notJson.status, 400, notJson.text);
      assert.equal(await sendCount(), before);
    });

    test('staff without newsletter.manage get a 403, signed-out callers a 401, a missing CSRF token a 403; nothing is sent', async () => {
      const story = await publishedArticle(t.app, room, { headline: 'Power cut downtown' });
      const before = await sendCount();
      for (const role of ['author', 'contributor'] as const) {
        const who = await signIn(t, (await createStaff(t, role)).email, PASSWORD);
        const res = await sendStory(story.id, { newsletterId: breaking.id }, who);
        assert.equal(res.status, 403, `${role}: ${res.text}`);
      }
      const anonymous = await call(t, 'POST', `/api/admin/articles/${story.id}/newsletter-send`, { body: { newsletterId: breaking.id } });
      assert.equal(anonymous.status, 401, anonymous.text);
      const noCsrf = await call(t, 'POST', `/api/admin/articles/${story.id}/newsletter-send`, { cookie: editor.cookie, body: { newsletterId: breaking.id } });
      assert.equal(noCsrf.status, 403, noCsrf.text);
      assert.equal(await sendCount(), before);
    });
  });
}
