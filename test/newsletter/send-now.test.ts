/**
 * "Send now" from a composition, on SQLite and PostgreSQL over a real listening
 * server, to a real SMTP server (messages parsed with mailparser): subscribed
 * readers get the composed issue once (stories in the editor's order, the
 * intro, their name) and nobody else does; an Idempotency-Key repeated (one
 * after the other or at the same moment) starts one send; no stories or no
 * readers is a 409 and bad input a 400, with nothing stored; the list of a
 * newsletter's sends; permissions.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { assertPostgresReachable, DIALECTS, startTestApp, type TestApp } from '../support/apps.js';
import { call, createStaff, signIn, type Signed } from '../accounts/support.js';
import { makeNewsroom, publishedArticle, type Newsroom } from '../support/fixtures.js';
import { addReader, MailServer } from './delivery-support.js';

for (const dialect of DIALECTS) {
  describe(`send now on ${dialect}`, () => {
    const smtp = new MailServer();
    let t: TestApp;
    let editor: Signed;
    let contributor: Signed;
    let room: Newsroom;
    const stories: Record<string, number> = {};

    const api = (method: string, path: string, body?: unknown, options: { who?: Signed | null; key?: string } = {}) => {
      const who = options.who === undefined ? editor : options.who;
      return call(t, method, `/api/admin${path}`, {
        body,
        ...(who ? { cookie: who.cookie, csrf: who.csrf } : {}),
        ...(options.key !== undefined ? { headers: { 'idempotency-key': options.key } } : {}),
      });
    };
    const newsletter = (name: string) => t.app.newsletters.newsletters.create({ name, senderName: 'The Test Gazette', senderEmail: 'desk@news.test' });
    const sendCount = async (newsletterId: number) =>
      Number((await t.app.db.kysely.selectFrom('newsletter_sends').select((eb) => eb.fn.countAll<string | number>().as('n')).where('newsletter_id', '=', newsletterId).executeTakeFirst())?.n ?? 0);

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      await smtp.start();
      t = await startTestApp(dialect, { env: { NEWSLETTER_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, NEWSLETTER_BATCH_SIZE: '2' } });
      room = await makeNewsroom(t.app);
      editor = await signIn(t, (await createStaff(t, 'editor')).email, 'a long and memorable passphrase');
      contributor = await signIn(t, (await createStaff(t, 'contributor')).email, 'a long and memorable passphrase');
      for (const [key, headline] of [
        ['ferry', 'Ferry service returns to the island'],
        ['budget', 'Council approves harbour budget'],
        ['market', 'Night market opens on the pier'],
      ] as const) {
        stories[key] = (await publishedArticle(t.app, room, { headline })).id;
      }
      stories.draft = (await t.app.articles.create({ headline: 'A draft nobody may read yet', sectionId: room.sections.local }, { actor: 'test' })).id;
    });
    after(async () => {
      await t?.close();
      await smtp.close();
    });

    test('send now: every subscribed reader gets the composed issue once, stories in the chosen order; nobody else gets it', async () => {
      const daily = await newsletter('Harbour Daily');
      await addReader(t, 'ann@example.org', 'Ann', [[daily.id, 'subscribed']]);
      await addReader(t, 'bob@example.org', 'Bob', [[daily.id, 'subscribed']]);
      await addReader(t, 'cat@example.org', '', [[daily.id, 'subscribed']]);
      await addReader(t, 'pending@example.org', 'Pat', [[daily.id, 'pending']]);
      await addReader(t, 'left@example.org', 'Lee', [[daily.id, 'unsubscribed']]);

      const subject = 'Harbour Daily: the ferry is back';
      const res = await api('POST', `/newsletters/${daily.id}/sends`, { subject, intro: 'Good morning from the harbour desk.', itemIds: [stories.market, stories.ferry] }, { key: randomUUID() });
      assert.equal(res.status, 201, res.text);
      assert.equal(res.headers.get('location'), `/api/admin/newsletter-sends/${res.json.id}`);
      assert.equal(res.json.subject, subject);
      assert.equal(res.json.newsletterId, daily.id);
      assert.equal(res.json.recipients, 3);
      assert.equal(res.json.test, false);
      assert.ok(['queued', 'sending'].includes(res.json.status), res.json.status);

      await t.app.runner.drain();
      for (const address of ['ann@example.org', 'bob@example.org', 'cat@example.org']) assert.equal(smtp.to(address, subject).length, 1, address);
      assert.equal(smtp.withSubject(subject).length, 3, 'pending and unsubscribed readers get nothing');
      const mail = smtp.to('ann@example.org', subject)[0]!;
      const text = mail.text ?? '';
      assert.match(text, /Hello Ann/);
      assert.ok(text.includes('Good morning from the harbour desk.'), 'the intro');
      const market = text.indexOf('Night market opens on the pier');
      const ferry = text.indexOf('Ferry service returns to the island');
      assert.ok(market >= 0 && ferry > market, 'the stories in the order the editor chose');
      assert.ok(!text.includes('Council approves harbour budget'), 'a story the editor left out is not in it');
      assert.ok(String(mail.html).includes('Night market opens on the pier'));

      const view = await api('GET', `/newsletter-sends/${res.json.id}`);
      assert.equal(view.json.status, 'done');
      assert.equal(view.json.counts.sent, 3);

      const list = await api('GET', `/newsletters/${daily.id}/sends`);
      assert.equal(list.status, 200, list.text);
      assert.equal(list.json.total, 1);
      assert.deepEqual(
        { ...list.json.items[0], createdAt: undefined, finishedAt: typeof list.json.items[0].finishedAt },
        { id: res.json.id, subject, status: 'done', test: false, recipients: 3, counts: { pending: 0, sending: 0, sent: 3, failed: 0, skipped: 0 }, createdAt: undefined, finishedAt: 'string' },
      );
    });

    test('the same Idempotency-Key again, or twice at once, starts one send: nobody gets two copies', async () => {
      const weekly = await newsletter('Harbour Weekly');
      await addReader(t, 'dee@example.org', 'Dee', [[weekly.id, 'subscribed']]);
      await addReader(t, 'eve@example.org', 'Eve', [[weekly.id, 'subscribed']]);
      const subject = 'Harbour Weekly: the week on the water';
      const body = { subject, itemIds: [stories.budget] };

      const key = randomUUID();
      const first = await api('POST', `/newsletters/${weekly.id}/sends`, body, { key });
      assert.equal(first.status, 201, first.text);
      const again = await api('POST', `/newsletters/${weekly.id}/sends`, body, { key });
      assert.equal(again.status, 200, 'a repeat answers with the send the key started');
      assert.equal(again.json.id, first.json.id);
      assert.equal(again.headers.get('location'), `/api/admin/newsletter-sends/${first.json.id}`);

      // A double click: both requests at the same moment.
      const raceKey = randomUUID();
      const raceSubject = 'Harbour Weekly: a double click';
      const [a, b] = await Promise.all([0, 1].map(() => api('POST', `/newsletters/${weekly.id}/sends`, { ...body, subject: raceSubject }, { key: raceKey })));
      assert.deepEqual([a!.status, b!.status].sort(), [200, 201], `${a!.text} ${b!.text}`);
      assert.equal(a!.json.id, b!.json.id);
      assert.equal(await sendCount(weekly.id), 2, 'one send per key');

      await t.app.runner.drain();
      for (const address of ['dee@example.org', 'eve@example.org']) {
        assert.equal(smtp.to(address, subject).length, 1, `${address}: one copy`);
        assert.equal(smtp.to(address, raceSubject).length, 1, `${address}: one copy of the double click`);
      }
      // The key is per newsletter: another newsletter's composition with the same key is its own send.
      const other = await newsletter('Harbour Extra');
      await addReader(t, 'fay@example.org', 'Fay', [[other.id, 'subscribed']]);
      const elsewhere = await api('POST', `/newsletters/${other.id}/sends`, body, { key });
      assert.equal(elsewhere.status, 201, elsewhere.text);
      assert.notEqual(elsewhere.json.id, first.json.id);
    });

    test('409: no stories, or nobody subscribed, with a clear message and nothing stored', async () => {
      const quiet = await newsletter('Quiet Letter');
      await addReader(t, 'gus@example.org', 'Gus', [[quiet.id, 'pending']]);
      await addReader(t, 'hal@example.org', 'Hal', [[quiet.id, 'unsubscribed']]);
      const noReaders = await api('POST', `/newsletters/${quiet.id}/sends`, { subject: 'Hello', itemIds: [stories.ferry] }, { key: randomUUID() });
      assert.equal(noReaders.status, 409, noReaders.text);
      assert.match(noReaders.json.error.message, /Nobody is subscribed to Quiet Letter/);

      await addReader(t, 'ida@example.org', 'Ida', [[quiet.id, 'subscribed']]);
      const empty = await api('POST', `/newsletters/${quiet.id}/sends`, { subject: 'Hello', intro: 'Nothing today', itemIds: [] }, { key: randomUUID() });
      assert.equal(empty.status, 409, empty.text);
      assert.match(empty.json.error.message, /no stories/);
      assert.equal(await sendCount(quiet.id), 0, 'nothing stored');
      await t.app.runner.drain();
      assert.equal(smtp.to('ida@example.org', 'Hello').length, 0);
    });

    test('400 on bad input, 404 for an unknown newsletter; nothing stored', async () => {
      const n = await newsletter('Strict Letter');
      await addReader(t, 'jo@example.org', 'Jo', [[n.id, 'subscribed']]);
      const post = (body: unknown, key: string = randomUUID()) => api('POST', `/newsletters/${n.id}/sends`, body, { key });
      const cases: [unknown, string][] = [
        [{ itemIds: [stories.ferry] }, 'subject'],
        [{ subject: '', itemIds: [stories.ferry] }, '/subject'],
        [{ subject: 'Two\r\nBcc: everyone@example.org', itemIds: [stories.ferry] }, '/subject'],
        [{ subject: 'Hi', itemIds: [stories.ferry], test: true }, '/test'],
        [{ subject: 'Hi', itemIds: ['ferry'] }, '/itemIds/0'],
        [{ subject: 'Hi', itemIds: [stories.ferry, stories.ferry] }, '/itemIds'],
        [{ subject: 'Hi', itemIds: [stories.draft] }, '/itemIds/0'],
        [{ subject: 'Hi', itemIds: [stories.ferry, 987654] }, '/itemIds/1'],
      ];
      for (const [body, path] of cases) {
        const res = await post(body);
        assert.equal(res.status, 400, `${JSON.stringify(body)}: ${res.text}`);
        assert.ok((res.json.error.fields as { path: string }[]).some((f) => f.path.startsWith(path) || f.path === path.slice(1)), `${JSON.stringify(body)} names ${path}: ${res.text}`);
      }
      for (const key of ['has space', 'x'.repeat(201), 'ünïcode']) {
        const res = await post({ subject: 'Hi', itemIds: [stories.ferry] }, key);
        assert.equal(res.status, 400, `key ${key.slice(0, 20)}: ${res.text}`);
      }
      const notJson = await call(t, 'POST', `/api/admin/newsletters/${n.id}/sends`, { raw: '{"subject":', cookie: editor.cookie, csrf: editor.csrf });
      assert.equal(notJson.status, 400);
      assert.equal(await sendCount(n.id), 0, 'nothing stored');

      assert.equal((await api('POST', '/newsletters/999999/sends', { subject: 'Hi', itemIds: [stories.ferry] })).status, 404);
      assert.equal((await api('GET', '/newsletters/999999/sends')).status, 404);
      assert.equal((await api('GET', `/newsletters/${n.id}/sends?pageSize=1000`)).status, 400);
    });

    test('the list of sends: newest first, in pages', async () => {
      const n = await newsletter('Paged Letter');
      await addReader(t, 'kim@example.org', 'Kim', [[n.id, 'subscribed']]);
      const ids: number[] = [];
      for (const subject of ['First issue', 'Second issue', 'Third issue']) {
        const res = await api('POST', `/newsletters/${n.id}/sends`, { subject, itemIds: [stories.ferry] }, { key: randomUUID() });
        assert.equal(res.status, 201, res.text);
        ids.push(res.json.id);
      }
      const page1 = await api('GET', `/newsletters/${n.id}/sends?pageSize=2`);
      assert.deepEqual(page1.json.items.map((s: { subject: string }) => s.subject), ['Third issue', 'Second issue']);
      assert.equal(page1.json.total, 3);
      const page2 = await api('GET', `/newsletters/${n.id}/sends?pageSize=2&page=2`);
      assert.deepEqual(page2.json.items.map((s: { id: number }) => s.id), [ids[0]]);
      assert.equal(page2.json.items[0].counts.pending, 1, 'not sent yet: one reader pending');
      await t.app.runner.drain();
    });

    test('403 without newsletter.manage, 401 signed out; nothing stored', async () => {
      const n = await newsletter('Guarded Letter');
      await addReader(t, 'lou@example.org', 'Lou', [[n.id, 'subscribed']]);
      const body = { subject: 'Guarded', itemIds: [stories.ferry] };
      const refused = await api('POST', `/newsletters/${n.id}/sends`, body, { who: contributor, key: randomUUID() });
      assert.equal(refused.status, 403, refused.text);
      assert.equal((await api('GET', `/newsletters/${n.id}/sends`, undefined, { who: contributor })).status, 403);
      assert.equal((await api('POST', `/newsletters/${n.id}/sends`, body, { who: null })).status, 401);
      assert.equal(await sendCount(n.id), 0);
      await t.app.runner.drain();
      assert.equal(smtp.to('lou@example.org', 'Guarded').length, 0);
    });
  });
}
