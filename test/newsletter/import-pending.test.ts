/**
 * The `pending` option of subscriber imports (confirm by email), on SQLite and
 * PostgreSQL, with a real SMTP server and the reader pages: new readers and
 * new subscriptions of known readers become pending and each reader gets one
 * confirmation email, which confirms; subscribed readers stay subscribed and
 * get nothing; a reader already pending is not emailed twice; unsubscribed
 * readers are skipped; a large file's emails go out a few per second, not all
 * at once; a bad mode is a 400 that stores nothing; the command line's
 * `--pending`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { assertPostgresReachable, DIALECTS, startTestApp, type TestApp } from '../support/apps.js';
import { call, createStaff, signIn, type Signed } from '../accounts/support.js';
import { confirmLinkIn, deliver, Inbox, mainOf, nextIp, postForm, visibleText } from './support.js';
import { CONFIRMATIONS_PER_SECOND } from '../../src/newsletter/import.service.js';
import { importCommand } from '../../src/newsletter/import-cli.js';

class Collect extends PassThrough {
  text = '';
  constructor() {
    super();
    this.on('data', (chunk: Buffer) => (this.text += chunk.toString()));
  }
}

for (const dialect of DIALECTS) {
  describe(`pending subscriber imports on ${dialect}`, () => {
    const inbox = new Inbox();
    let t: TestApp;
    let editor: Signed;
    let top: { id: number; slug: string; name: string };
    let breaking: { id: number; slug: string; name: string };

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      await inbox.start();
      t = await startTestApp(dialect, { env: { SMTP_URL: `smtp://127.0.0.1:${inbox.port}`, MAIL_FROM: 'The Test Gazette <newsroom@news.test>' } });
      const staff = await createStaff(t, 'editor');
      editor = await signIn(t, staff.email, staff.password);
      top = (await api('POST', '/newsletters', { name: 'Top Stories' })).json;
      breaking = (await api('POST', '/newsletters', { name: 'Breaking News' })).json;
    });
    after(async () => {
      await t?.close();
      await inbox.close();
    });

    const api = (method: string, p: string, body?: unknown) => call(t, method, `/api/admin${p}`, { body, cookie: editor.cookie, csrf: editor.csrf });

    async function upload(fields: [string, string][], csv: string) {
      const form = new FormData();
      for (const [k, v] of fields) form.append(k, v);
      form.append('file', new Blob([Buffer.from(csv)]), 'readers.csv');
      const response = await fetch(`${t.url}/api/admin/subscribers/imports`, { method: 'POST', headers: { cookie: editor.cookie, 'x-csrf-token': editor.csrf }, body: form });
      const text = await response.text();
      return { status: response.status, json: JSON.parse(text), text };
    }

    /** A reader who signed up through the reader pages' service; confirmed unless `confirm: false`. */
    async function reader(email: string, slugs: string[], options: { confirm?: boolean; unsubscribeFrom?: number } = {}) {
      const service = t.app.newsletters.subscribers;
      await service.signup({ email, name: '', newsletters: slugs, source: 'page:/newsletters', ip: nextIp(), honeypot: '' });
      const row = (await t.app.newsletters.subscribersRepo.byKey(email))!;
      if (options.confirm !== false) await service.confirm(row, t.clock.now().getTime(), '192.0.2.1');
      if (options.unsubscribeFrom) await service.unsubscribe(row, options.unsubscribeFrom, 'one-click', '192.0.2.1');
      return row;
    }
    const statusOf = async (email: string, newsletterId: number) => {
      const r = await t.app.newsletters.subscribersRepo.byKey(email);
      return r ? (await t.app.newsletters.subscribersRepo.subscriptions(r.id)).find((s) => s.newsletter_id === newsletterId)?.status : undefined;
    };
    const consents = async (email: string) => {
      const r = (await t.app.newsletters.subscribersRepo.byKey(email))!;
      return t.app.db.kysely.selectFrom('newsletter_consents').select(['newsletter_id', 'action', 'source']).where('subscriber_id', '=', r.id).orderBy('id').execute();
    };

    test('new readers and new subscriptions become pending, each reader gets one confirmation email that confirms; subscribed readers stay as they are', async () => {
      await reader('fay@example.org', [top.slug]); // subscribed
      await reader('dave@example.org', [top.slug], { unsubscribeFrom: top.id });
      await reader('gus@example.org', [top.slug], { confirm: false }); // pending, has his email
      await reader('carol@example.org', [breaking.slug]); // subscribed to the other newsletter
      await deliver(t);
      assert.equal(inbox.to('gus@example.org').length, 1, 'the sign-up sent Gus his confirmation');
      const before = inbox.messages.length;

      const csv = ['email,name', 'ann@example.org,Ann Lee', 'bob@example.org,', 'fay@example.org,', 'dave@example.org,Dave', 'gus@example.org,', 'not an address,Nobody', 'Carol@example.org,Carol'].join('\n');
      const res = await upload([['newsletters', top.slug], ['consent', 'yes'], ['mode', 'pending']], csv);
      assert.equal(res.status, 202, res.text);
      await deliver(t); // the import, then the confirmation emails that are due

      const done = (await api('GET', `/subscribers/imports/${res.json.id}`)).json;
      assert.equal(done.status, 'done', done.error);
      assert.deepEqual(
        { created: done.created, updated: done.updated, unchanged: done.unchanged, skipped: done.skipped, invalid: done.invalid },
        { created: 2, updated: 1, unchanged: 2, skipped: 1, invalid: 1 },
      );
      assert.deepEqual(done.skippedRows, [{ line: 5, reason: 'unsubscribed from Top Stories before: not subscribed again' }]);
      for (const email of ['ann@example.org', 'bob@example.org', 'carol@example.org', 'gus@example.org']) assert.equal(await statusOf(email, top.id), 'pending', email);
      assert.equal(await statusOf('fay@example.org', top.id), 'subscribed');
      assert.equal(await statusOf('dave@example.org', top.id), 'unsubscribed');
      assert.equal(await statusOf('carol@example.org', breaking.id), 'subscribed', 'what Carol had is untouched');

      // One confirmation email each for Ann, Bob and Carol; nothing for Fay, Dave, or Gus again.
      assert.deepEqual(
        inbox.messages.slice(before).map((m) => (Array.isArray(m.to) ? '' : m.to?.value[0]?.address)).sort(),
        ['ann@example.org', 'bob@example.org', 'carol@example.org'],
      );
      const mail = inbox.to('ann@example.org')[0]!;
      assert.match(mail.text ?? '', /Top Stories/);

      // Ann confirms through the link, as a reader would.
      const confirmed = await postForm(t, confirmLinkIn(mail), []);
      assert.equal(confirmed.status, 200);
      assert.match(visibleText(mainOf(confirmed.text)), /You are subscribed/);
      assert.equal(await statusOf('ann@example.org', top.id), 'subscribed');
      assert.deepEqual(
        (await consents('ann@example.org')).map((c) => [c.newsletter_id, c.action, c.source]),
        [
          [top.id, 'requested', `import:readers.csv by Editor Person <${editor.user.email}> (import ${res.json.id})`],
          [top.id, 'confirmed', 'email-link'],
        ],
      );
      // Carol's link confirms only what the import asked for.
      await postForm(t, confirmLinkIn(inbox.to('carol@example.org').at(-1)!), []);
      assert.equal(await statusOf('carol@example.org', top.id), 'subscribed');
    });

    test(`a large file's confirmation emails go out ${CONFIRMATIONS_PER_SECOND} a second, each once`, async () => {
      const count = CONFIRMATIONS_PER_SECOND * 2 + 5;
      const emails = Array.from({ length: count }, (_, i) => `many${i}@example.org`);
      const res = await upload([['newsletters', breaking.slug], ['consent', 'yes'], ['mode', 'pending']], ['email', ...emails].join('\n'));
      assert.equal(res.status, 202, res.text);
      const sentTo = () => emails.filter((e) => inbox.to(e).length > 0).length;

      await deliver(t);
      assert.equal(sentTo(), CONFIRMATIONS_PER_SECOND, 'the first second');
      t.clock.advance(1000);
      await deliver(t);
      assert.equal(sentTo(), CONFIRMATIONS_PER_SECOND * 2);
      t.clock.advance(1000);
      await deliver(t);
      assert.equal(sentTo(), count);
      t.clock.advance(60_000);
      await deliver(t);
      assert.ok(emails.every((e) => inbox.to(e).length === 1), 'one email per reader');
    });

    test('a mode other than subscribed or pending is a 400 naming the field, and nothing is stored', async () => {
      const imports = (await api('GET', '/subscribers/imports')).json.items.length;
      const res = await upload([['newsletters', top.slug], ['consent', 'yes'], ['mode', 'later']], 'email\nzed@example.org\n');
      assert.equal(res.status, 400);
      assert.equal(res.json.error.fields[0].path, '/mode');
      assert.match(res.json.error.message, /mode must be subscribed or pending/);
      assert.equal((await api('GET', '/subscribers/imports')).json.items.length, imports);
      assert.equal(await t.app.newsletters.subscribersRepo.byKey('zed@example.org'), undefined);

      // Without a mode the import subscribes at once, as before.
      const plain = await upload([['newsletters', top.slug], ['consent', 'yes']], 'email\nyan@example.org\n');
      assert.equal(plain.status, 202);
      await deliver(t);
      assert.equal(await statusOf('yan@example.org', top.id), 'subscribed');
      assert.equal(inbox.to('yan@example.org').length, 0, 'no confirmation email');
    });

    test('command line: --pending', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'broadsheet-cli-'));
      try {
        const file = path.join(dir, 'list.csv');
        fs.writeFileSync(file, 'Email\nquinn@example.org\n');
        const io = { out: new Collect(), err: new Collect() };
        const code = await importCommand({ imports: t.app.newsletters.imports, jobs: t.app.jobs, clock: t.app.clock }, file, { newsletter: [top.slug], consent: true, pending: true }, io);
        assert.equal(code, 0, io.err.text);
        assert.match(io.out.text, /created 1/);
        assert.match(io.out.text, /pending: a running worker .* emails each reader a confirmation link/);
        assert.equal(await statusOf('quinn@example.org', top.id), 'pending');
        await deliver(t);
        const mail = inbox.to('quinn@example.org');
        assert.equal(mail.length, 1);
        await postForm(t, confirmLinkIn(mail[0]!), []);
        assert.equal(await statusOf('quinn@example.org', top.id), 'subscribed');
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
