/**
 * Delivering newsletter sends, on SQLite and PostgreSQL, to a real SMTP server
 * (smtp-server in process; messages parsed with mailparser and counted per
 * recipient): who gets the email (subscribed readers only, exactly once), what
 * it carries (merged name, working links, the list headers, DKIM), temporary
 * and permanent refusals, pause, resume, cancel, and a restart after a crash
 * that sends to the rest and to nobody twice.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { simpleParser } from 'mailparser';
import { assertPostgresReachable, dropTestStorage, DIALECTS, startTestApp, TestClock, type TestApp } from '../support/apps.js';
import { call, createStaff, signIn, type Signed } from '../accounts/support.js';
import { loadConfig, ConfigError } from '../../src/config.js';
import { DELIVERY_MAX_ATTEMPTS, HAND_OFF_WINDOW_MS, retryDelayMs, SEND_JOB, SENDING_LEASE_MS } from '../../src/newsletter/delivery.service.js';
import { recipients } from './support.js';
import { addReader, email, header, MailServer } from './delivery-support.js';

const { privateKey: DKIM_KEY, publicKey: DKIM_PUBLIC } = generateKeyPairSync('rsa', { modulusLength: 1024, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });

// mailauth's package entry loads its BIMI part, whose undici needs Node 22; the DKIM verifier alone runs on Node 20.
const { dkimVerify } = createRequire(import.meta.url)('mailauth/lib/dkim/verify') as {
  dkimVerify: (message: Buffer, options: { resolver: (name: string, type: string) => Promise<string[][]> }) => Promise<{ results: { status: { result: string } }[] }>;
};
/** The DNS answer a receiving server would get for our selector: the public key's DER in base64. */
const dkimResolver = async (name: string, type: string): Promise<string[][]> => {
  if (name === 'broadsheet._domainkey.news.test' && type === 'TXT') return [[`v=DKIM1; k=rsa; p=${DKIM_PUBLIC.replace(/-----[^-]+-----|\s/g, '')}`]];
  throw Object.assign(new Error(`no ${type} record for ${name}`), { code: 'ENOTFOUND' });
};

const statusOf = async (t: TestApp, subscriberId: number, newsletterId: number) =>
  (await t.app.db.kysely.selectFrom('newsletter_subscriptions').select('status').where('subscriber_id', '=', subscriberId).where('newsletter_id', '=', newsletterId).executeTakeFirst())?.status;

for (const dialect of DIALECTS) {
  describe(`newsletter delivery on ${dialect}`, () => {
    const smtp = new MailServer();
    let t: TestApp;
    let editor: Signed;
    let env: Record<string, string>;

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      await smtp.start();
      env = {
        NEWSLETTER_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
        NEWSLETTER_BATCH_SIZE: '2',
        DKIM_DOMAIN: 'news.test',
        DKIM_SELECTOR: 'broadsheet',
        DKIM_PRIVATE_KEY: DKIM_KEY.replace(/\n/g, '\\n'),
      };
      t = await startTestApp(dialect, { env });
      editor = await signIn(t, (await createStaff(t, 'editor')).email, 'a long and memorable passphrase');
    });
    after(async () => {
      await t?.close();
      await smtp.close();
    });

    const api = (method: string, p: string, who: Signed = editor, app: TestApp = t) => call(app, method, `/api/admin/newsletter-sends${p}`, { cookie: who.cookie, csrf: who.csrf });
    const newsletter = (name: string) => t.app.newsletters.newsletters.create({ name, senderName: 'The Test Gazette', senderEmail: 'desk@news.test' });

    test('every subscribed reader gets one message with their name, working links, the list headers and a DKIM signature; nobody else gets one', async () => {
      const daily = await newsletter('Morning Briefing');
      const other = await newsletter('The Weekender');
      const ann = await addReader(t, 'ann@example.org', `Ann <O'Brien> & Co`, [[daily.id, 'subscribed']]);
      await addReader(t, 'Bob@Example.org', 'Bob', [[daily.id, 'subscribed'], [other.id, 'subscribed']]);
      await addReader(t, 'cat@example.org', '', [[daily.id, 'subscribed']]);
      await addReader(t, 'pending@example.org', 'Pat', [[daily.id, 'pending']]);
      await addReader(t, 'left@example.org', 'Lee', [[daily.id, 'unsubscribed']]);
      await addReader(t, 'bounced@example.org', 'Bea', [[daily.id, 'bounced']]);
      await addReader(t, 'complained@example.org', 'Cy', [[daily.id, 'complained']]);
      await addReader(t, 'weekend@example.org', 'Wes', [[other.id, 'subscribed']]);

      const subject = 'Morning Briefing: Tuesday';
      const { sendId } = await t.app.newsletters.delivery.startSend({ newsletterId: daily.id, email: email(subject) });
      await t.app.runner.drain();

      for (const address of ['ann@example.org', 'bob@example.org', 'cat@example.org']) assert.equal(smtp.to(address, subject).length, 1, address);
      assert.equal(smtp.withSubject(subject).length, 3, 'pending, unsubscribed, bounced, complained and other lists get nothing');

      const mail = smtp.to('ann@example.org', subject)[0]!;
      assert.match(mail.text ?? '', /^Hello Ann <O'Brien> & Co,/, 'the name as written in the text part');
      assert.ok(String(mail.html).includes('Hello Ann &lt;O&#39;Brien&gt; &amp; Co,'), `the name escaped in the HTML part: ${mail.html}`);
      assert.ok(!String(mail.html).includes('{{'), 'no placeholder left');
      assert.equal(mail.from?.value[0]?.address, 'desk@news.test');
      assert.equal(mail.from?.value[0]?.name, 'The Test Gazette');

      // The list headers.
      const unsubscribe = header(mail, 'List-Unsubscribe')!;
      const [httpLink, mailto] = [...unsubscribe.matchAll(/<([^>]+)>/g)].map((m) => m[1]!);
      assert.match(httpLink!, /^http:\/\/news\.test\/newsletters\/unsubscribe\//);
      assert.match(mailto!, /^mailto:desk@news\.test\?subject=unsubscribe%20/);
      assert.equal(header(mail, 'List-Unsubscribe-Post'), 'List-Unsubscribe=One-Click');
      assert.equal(header(mail, 'List-Id'), 'Morning Briefing <morning-briefing.newsletters.news.test>');
      assert.match(header(mail, 'DKIM-Signature') ?? '', /d=news\.test; .*s=broadsheet/, 'signed with the configured key');
      const dkim = await dkimVerify(smtp.raw.get(mail)!, { resolver: dkimResolver });
      assert.deepEqual(dkim.results.map((r) => r.status.result), ['pass'], 'the signature verifies against the published key (mailauth)');
      assert.ok((mail.text ?? '').includes(httpLink!), 'the text part carries the same unsubscribe link');

      // The preferences link opens the reader's page; the one-click URL, POSTed as a mail client does, unsubscribes.
      const prefs = /Your preferences: http:\/\/news\.test(\S+)/.exec(mail.text ?? '')![1]!;
      assert.equal((await fetch(t.url + prefs)).status, 200);
      const oneClick = await fetch(t.url + new URL(httpLink!).pathname, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
      assert.equal(oneClick.status, 200);
      assert.equal(await statusOf(t, ann, daily.id), 'unsubscribed');

      const view = await api('GET', `/${sendId}`);
      assert.equal(view.status, 200, view.text);
      assert.equal(view.json.status, 'done');
      assert.equal(view.json.recipients, 3);
      assert.deepEqual(view.json.counts, { pending: 0, sending: 0, sent: 3, failed: 0, skipped: 0 });

      // Draining again sends nothing more.
      await t.app.runner.drain();
      assert.equal(smtp.withSubject(subject).length, 3);
    });

    test('a temporary refusal (4xx) is retried later and delivered once; a permanent one (5xx) fails that reader only', async () => {
      const n = await newsletter('Evening Edition');
      smtp.refuse.set('busy@example.org', (attempt) => (attempt === 1 ? { code: 451, message: '4.2.0 Mailbox busy, try again later' } : undefined));
      smtp.refuse.set('nobody@example.org', () => ({ code: 550, message: '5.1.1 No such user here' }));
      await addReader(t, 'busy@example.org', 'Busy', [[n.id, 'subscribed']]);
      const nobody = await addReader(t, 'nobody@example.org', 'Nobody', [[n.id, 'subscribed']]);
      await addReader(t, 'fine1@example.org', 'One', [[n.id, 'subscribed']]);
      await addReader(t, 'fine2@example.org', 'Two', [[n.id, 'subscribed']]);

      const subject = 'Evening Edition: Monday';
      const { sendId } = await t.app.newsletters.delivery.startSend({ newsletterId: n.id, email: email(subject) });
      await t.app.runner.drain();
      assert.equal(smtp.to('fine1@example.org', subject).length, 1);
      assert.equal(smtp.to('fine2@example.org', subject).length, 1);
      assert.equal(smtp.to('busy@example.org', subject).length, 0);
      let view = (await api('GET', `/${sendId}`)).json;
      assert.equal(view.status, 'sending', 'waiting for the retry');
      assert.deepEqual(view.counts, { pending: 1, sending: 0, sent: 2, failed: 1, skipped: 0 });
      assert.equal(view.problems.length, 1);
      assert.equal(view.problems[0].email, 'nobody@example.org');
      assert.match(view.problems[0].error, /550|No such user/);
      assert.equal(await statusOf(t, nobody, n.id), 'bounced', 'a "no such user" refusal marks the subscription bounced');

      t.clock.advance(retryDelayMs(1) + 1000);
      await t.app.runner.drain();
      assert.equal(smtp.to('busy@example.org', subject).length, 1);
      assert.equal(smtp.to('nobody@example.org', subject).length, 0);
      assert.equal(smtp.withSubject(subject).length, 3);
      view = (await api('GET', `/${sendId}`)).json;
      assert.equal(view.status, 'done');
      assert.deepEqual(view.counts, { pending: 0, sending: 0, sent: 3, failed: 1, skipped: 0 });
    });

    test('pause stops before the next batch; resume sends to the rest, each once', async () => {
      const n = await newsletter('Midday');
      const readers = ['p1', 'p2', 'p3', 'p4', 'p5'].map((x) => `${x}@example.org`);
      for (const r of readers) await addReader(t, r, r, [[n.id, 'subscribed']]);
      const subject = 'Midday: Wednesday';
      let sendId = 0;
      let paused = false;
      smtp.onMessage = async (mail) => {
        if (mail.subject !== subject || paused) return;
        paused = true;
        const res = await api('POST', `/${sendId}/pause`);
        assert.equal(res.status, 200, res.text);
      };
      try {
        sendId = (await t.app.newsletters.delivery.startSend({ newsletterId: n.id, email: email(subject) })).sendId;
        await t.app.runner.drain();
      } finally {
        smtp.onMessage = undefined;
      }
      assert.equal(smtp.withSubject(subject).length, 2, 'the batch in progress finished; no other started');
      let view = (await api('GET', `/${sendId}`)).json;
      assert.equal(view.status, 'paused');
      assert.deepEqual(view.counts, { pending: 3, sending: 0, sent: 2, failed: 0, skipped: 0 });
      await t.app.runner.drain();
      assert.equal(smtp.withSubject(subject).length, 2, 'a paused send stays paused');
      assert.equal((await api('POST', `/${sendId}/pause`)).status, 409, 'already paused');

      const resumed = await api('POST', `/${sendId}/resume`);
      assert.equal(resumed.status, 200, resumed.text);
      await t.app.runner.drain();
      for (const r of readers) assert.equal(smtp.to(r, subject).length, 1, r);
      view = (await api('GET', `/${sendId}`)).json;
      assert.equal(view.status, 'done');
      assert.equal(view.counts.sent, 5);
      assert.equal((await api('POST', `/${sendId}/resume`)).status, 409, 'nothing to resume');
    });

    test('cancel stops the send: nobody else gets it', async () => {
      const n = await newsletter('Late Night');
      for (const r of ['c1', 'c2', 'c3', 'c4']) await addReader(t, `${r}@example.org`, r, [[n.id, 'subscribed']]);
      const subject = 'Late Night: Thursday';
      let sendId = 0;
      let cancelled = false;
      smtp.onMessage = async (mail) => {
        if (mail.subject !== subject || cancelled) return;
        cancelled = true;
        assert.equal((await api('POST', `/${sendId}/cancel`)).status, 200);
      };
      try {
        sendId = (await t.app.newsletters.delivery.startSend({ newsletterId: n.id, email: email(subject) })).sendId;
        await t.app.runner.drain();
      } finally {
        smtp.onMessage = undefined;
      }
      assert.equal(smtp.withSubject(subject).length, 2);
      const view = (await api('GET', `/${sendId}`)).json;
      assert.equal(view.status, 'cancelled');
      assert.deepEqual(view.counts, { pending: 0, sending: 0, sent: 2, failed: 0, skipped: 2 });
      assert.equal((await api('POST', `/${sendId}/resume`)).status, 409);
      await t.app.runner.drain();
      assert.equal(smtp.withSubject(subject).length, 2);
    });

    test('the Admin API: editors only, clear 404s and 400s', async () => {
      const author = await signIn(t, (await createStaff(t, 'author')).email, 'a long and memorable passphrase');
      assert.equal((await api('GET', '/1', author)).status, 403);
      assert.equal((await api('GET', '/999999')).status, 404);
      assert.equal((await api('POST', '/999999/pause')).status, 404);
      assert.equal((await api('GET', '/abc')).status, 400);
      await assert.rejects(t.app.newsletters.delivery.startSend({ newsletterId: 999999, email: email('x') }), /No such newsletter/);
    });

    test('without an SMTP server, each newsletter email is written to the outbox folder', async () => {
      const local = await startTestApp(dialect);
      try {
        const n = await local.app.newsletters.newsletters.create({ name: 'Outbox Weekly' });
        await addReader(local, 'o1@example.org', 'Olive', [[n.id, 'subscribed']]);
        await addReader(local, 'o2@example.org', 'Oscar', [[n.id, 'subscribed']]);
        await local.app.newsletters.delivery.startSend({ newsletterId: n.id, email: email('Outbox Weekly: Friday') });
        await local.app.runner.drain();
        const dir = path.join(local.config.dataDir, 'outbox');
        const files = fs.readdirSync(dir).filter((f) => f.endsWith('.eml'));
        assert.equal(files.length, 2);
        const parsed = await Promise.all(files.map((f) => simpleParser(fs.readFileSync(path.join(dir, f)))));
        assert.deepEqual(parsed.flatMap(recipients).sort(), ['o1@example.org', 'o2@example.org']);
        assert.ok(parsed.every((m) => header(m, 'List-Unsubscribe-Post') === 'List-Unsubscribe=One-Click'));
        assert.match(parsed.find((m) => recipients(m).includes('o1@example.org'))!.text ?? '', /^Hello Olive,/);
      } finally {
        await local.close();
      }
    });

    test('a worker that has held its batch too long hands the rest back untouched, so no other worker can send them while it lives', async () => {
      const clock = new TestClock();
      const local = await startTestApp(dialect, { env: { ...env, NEWSLETTER_BATCH_SIZE: '10', NEWSLETTER_SMTP_CONNECTIONS: '1' }, clock });
      const subject = `Slow lane on ${dialect}`;
      try {
        const n = await local.app.newsletters.newsletters.create({ name: 'Slow Lane' });
        const readers = ['s1', 's2', 's3', 's4'].map((x) => `${x}@example.org`);
        for (const r of readers) await addReader(local, r, r, [[n.id, 'subscribed']]);
        const { sendId } = await local.app.newsletters.delivery.startSend({ newsletterId: n.id, email: email(subject) });
        // The first answer comes after the hand-off window has passed (a very slow server).
        smtp.onMessage = async (mail) => {
          if (mail.subject === subject) clock.advance(HAND_OFF_WINDOW_MS + 1000);
        };
        await local.app.newsletters.delivery.runBatch(sendId);
        smtp.onMessage = undefined;
        assert.equal(smtp.withSubject(subject).length, 1, 'one message went before the window closed');
        const rows = await local.app.db.kysely.selectFrom('newsletter_deliveries').select(['status', 'attempts']).where('send_id', '=', sendId).orderBy('id').execute();
        assert.deepEqual(rows.map((r) => [r.status, Number(r.attempts)]), [['sent', 1], ['pending', 0], ['pending', 0], ['pending', 0]]);
        await local.app.runner.drain();
        for (const r of readers) assert.equal(smtp.to(r, subject).length, 1, r);
      } finally {
        smtp.onMessage = undefined;
        await local.close();
      }
    });

    test('after a crash, a new process sends to the rest and to nobody twice; a message caught mid-hand-off is sent again with its Message-ID', async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `broadsheet-${dialect}-crash-`));
      const schema = `t_${randomBytes(6).toString('hex')}`;
      const clock = new TestClock();
      const first = await startTestApp(dialect, { env, clock, reuse: { dataDir, schema } });
      let second: TestApp | undefined;
      try {
        const n = await first.app.newsletters.newsletters.create({ name: 'Crash Course' });
        const readers = ['k1', 'k2', 'k3', 'k4', 'k5', 'k6'].map((x) => `${x}@example.org`);
        for (const r of readers) await addReader(first, r, r, [[n.id, 'subscribed']]);
        const subject = `Crash Course on ${dialect}`;
        const { sendId } = await first.app.newsletters.delivery.startSend({ newsletterId: n.id, email: email(subject) });

        // The first process runs one batch, then takes the next job run and dies holding it, in the middle of
        // handing k3's message to SMTP: k3's delivery is committed as `sending`, with no outcome recorded.
        // k6's message is one that has stopped a worker every time it was tried: its attempts are used up.
        const job = await first.app.jobs.claim('worker-first', [SEND_JOB], 60_000);
        assert.ok(job);
        await first.app.newsletters.delivery.runBatch(sendId);
        assert.equal(smtp.withSubject(subject).length, 2);
        assert.ok(await first.app.jobs.claim('worker-first', [SEND_JOB], 5 * 60_000), 'the next run is held by the dying worker');
        const strand = (who: string, attempts: number) =>
          first.app.db.kysely
            .updateTable('newsletter_deliveries')
            .set({ status: 'sending', attempts, updated_at: clock.now().toISOString() })
            .where('send_id', '=', sendId)
            .where('email', '=', who)
            .execute();
        await strand('k3@example.org', 1);
        await strand('k6@example.org', DELIVERY_MAX_ATTEMPTS);
        const k3Row = await first.app.db.kysely.selectFrom('newsletter_deliveries').select('id').where('send_id', '=', sendId).where('email', '=', 'k3@example.org').executeTakeFirstOrThrow();
        await first.close();

        second = await startTestApp(dialect, { env, clock, reuse: { dataDir, schema } });
        await second.app.runner.drain();
        assert.equal(smtp.withSubject(subject).length, 2, 'the dead worker still holds its lease');
        clock.advance(SENDING_LEASE_MS + 60_000);
        await second.app.runner.drain();

        for (const r of ['k1', 'k2', 'k3', 'k4', 'k5']) assert.equal(smtp.to(`${r}@example.org`, subject).length, 1, r);
        assert.equal(smtp.to('k3@example.org', subject)[0]!.messageId, `<send-${sendId}.${k3Row.id}@news.test>`, 'the same Message-ID as a first copy would have had');
        assert.equal(smtp.to('k6@example.org', subject).length, 0, 'a message that stopped every worker is not tried again');
        const staff = await signIn(second, (await createStaff(second, 'editor')).email, 'a long and memorable passphrase');
        const view = (await api('GET', `/${sendId}`, staff, second)).json;
        assert.equal(view.status, 'done');
        assert.deepEqual(view.counts, { pending: 0, sending: 0, sent: 5, failed: 1, skipped: 0 });
        assert.deepEqual(
          view.problems.map((p: { email: string; status: string; error: string }) => [p.email, p.status, /stopped 5 times/.test(p.error)]),
          [['k6@example.org', 'failed', true]],
        );
      } finally {
        await second?.close();
        await dropTestStorage(dialect, dataDir, schema);
      }
    });
  });
}

describe('newsletter delivery configuration', () => {
  const base = { PUBLIC_URL: 'http://news.test' };
  const fails = (env: Record<string, string>, variable: string) =>
    assert.throws(() => loadConfig({ ...base, ...env }), (error: unknown) => error instanceof ConfigError && error.variable === variable, variable);

  test('bad values name the variable; the key itself is never repeated', () => {
    fails({ NEWSLETTER_SMTP_URL: 'http://mail.example.org' }, 'NEWSLETTER_SMTP_URL');
    fails({ NEWSLETTER_SMTP_CONNECTIONS: '0' }, 'NEWSLETTER_SMTP_CONNECTIONS');
    fails({ NEWSLETTER_RATE_PER_SECOND: 'fast' }, 'NEWSLETTER_RATE_PER_SECOND');
    fails({ DKIM_DOMAIN: 'news.test' }, 'DKIM_SELECTOR');
    fails({ DKIM_SELECTOR: 'broadsheet', DKIM_PRIVATE_KEY: DKIM_KEY }, 'DKIM_DOMAIN');
    fails({ DKIM_DOMAIN: 'news.test', DKIM_SELECTOR: 'broadsheet' }, 'DKIM_PRIVATE_KEY');
    fails({ DKIM_DOMAIN: 'news.test', DKIM_SELECTOR: 'broadsheet', DKIM_PRIVATE_KEY_FILE: '/nonexistent/key.pem' }, 'DKIM_PRIVATE_KEY_FILE');
    assert.throws(() => loadConfig({ ...base, DKIM_DOMAIN: 'news.test', DKIM_SELECTOR: 's', DKIM_PRIVATE_KEY: 'secret-but-not-a-key' }), (error: unknown) => error instanceof ConfigError && !error.message.includes('secret-but-not-a-key'));
  });

  test('the newsletter transport falls back to SMTP_URL, then to the outbox', () => {
    assert.equal(loadConfig({ ...base, SMTP_URL: 'smtp://mail.example.org:587' }).newsletterMail.smtpUrl, 'smtp://mail.example.org:587');
    assert.equal(loadConfig({ ...base, SMTP_URL: 'smtp://a.example.org', NEWSLETTER_SMTP_URL: 'smtp://b.example.org' }).newsletterMail.smtpUrl, 'smtp://b.example.org');
    assert.equal(loadConfig(base).newsletterMail.smtpUrl, undefined);
  });
});
