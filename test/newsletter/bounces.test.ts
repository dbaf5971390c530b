/**
 * Bounces, complaints and the suppression list, on SQLite and PostgreSQL.
 *
 * Each provider's webhook gets what the provider really sends, signed the way
 * it signs: Amazon SNS messages signed with a locally made RSA key whose
 * self-signed X.509 certificate a local HTTP server hands out (the test-only
 * NEWSLETTER_SNS_CERT_ORIGIN trusts it; the canonical string is built here
 * from AWS's documentation, not from the code under test), Postmark's basic
 * credentials, Mailgun's HMAC of timestamp and token, our own
 * X-Broadsheet-Signature. Newsletters go through a real SMTP server.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { execFileSync } from 'node:child_process';
import { createHmac, createSign, randomBytes, randomUUID } from 'node:crypto';
import { assertPostgresReachable, DIALECTS, startTestApp, type TestApp } from '../support/apps.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { call, createStaff, signIn, type Signed } from '../accounts/support.js';
import { addReader, email, MailServer } from './delivery-support.js';
import { confirmLinkIn, nextIp, postForm, recipients, visibleText } from './support.js';

// --- Amazon SNS, as AWS signs it ------------------------------------------------------------

const keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'broadsheet-sns-'));
execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(keyDir, 'key.pem'), '-out', path.join(keyDir, 'cert.pem'), '-days', '2', '-subj', '/CN=sns.eu-west-1.amazonaws.com'], { stdio: 'ignore' });
const SNS_KEY = fs.readFileSync(path.join(keyDir, 'key.pem'), 'utf8');
const SNS_CERT = fs.readFileSync(path.join(keyDir, 'cert.pem'), 'utf8');
fs.rmSync(keyDir, { recursive: true, force: true });

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:ses-bounces';
const OTHER_TOPIC = 'arn:aws:sns:eu-west-1:999999999999:someone-else';
const POSTMARK_AUTH = 'postmark:a-long-hook-password';
const MAILGUN_KEY = 'key-3ax6xnjp29jd6fds4gc373sgvjxteol0';
const SECRET = 'generic-webhook-secret-0123456789abcdef';

describe('webhook configuration', () => {
  const base = { PUBLIC_URL: 'http://news.test' };
  const refused = (env: Record<string, string>, variable: string) =>
    assert.throws(() => loadConfig({ ...base, ...env }), (e: unknown) => e instanceof ConfigError && e.variable === variable && !e.message.includes('hunter2'));

  test('each secret that is set must be usable, and is never repeated in the error', () => {
    refused({ NEWSLETTER_SES_TOPIC_ARNS: 'arn:aws:sns:eu-west-1:123:short' }, 'NEWSLETTER_SES_TOPIC_ARNS');
    refused({ NEWSLETTER_POSTMARK_WEBHOOK_AUTH: 'hunter2' }, 'NEWSLETTER_POSTMARK_WEBHOOK_AUTH');
    refused({ NEWSLETTER_POSTMARK_WEBHOOK_AUTH: 'user:hunter2' }, 'NEWSLETTER_POSTMARK_WEBHOOK_AUTH');
    refused({ NEWSLETTER_MAILGUN_SIGNING_KEY: 'hunter2' }, 'NEWSLETTER_MAILGUN_SIGNING_KEY');
    refused({ NEWSLETTER_WEBHOOK_SECRET: 'hunter2hunter2hunter2' }, 'NEWSLETTER_WEBHOOK_SECRET');
    refused({ NEWSLETTER_SNS_CERT_ORIGIN: 'http://127.0.0.1:8080/certs' }, 'NEWSLETTER_SNS_CERT_ORIGIN');
    const ok = loadConfig({ ...base, NEWSLETTER_SES_TOPIC_ARNS: `${TOPIC} , arn:aws-cn:sns:cn-north-1:123456789012:b`, NEWSLETTER_WEBHOOK_SECRET: SECRET }).newsletterWebhooks;
    assert.deepEqual(ok.sesTopicArns, [TOPIC, 'arn:aws-cn:sns:cn-north-1:123456789012:b']);
    assert.equal(ok.secret, SECRET);
    assert.deepEqual(loadConfig(base).newsletterWebhooks, { sesTopicArns: [], snsTestOrigin: undefined, postmarkAuth: undefined, mailgunSigningKey: undefined, secret: undefined }, 'all off by default');
  });
});

/** AWS's "string to sign": the named fields in this order, each "Name\nvalue\n" (Subject only when present). */
function snsStringToSign(m: Record<string, string>): string {
  const names =
    m.Type === 'Notification'
      ? ['Message', 'MessageId', ...('Subject' in m ? ['Subject'] : []), 'Timestamp', 'TopicArn', 'Type']
      : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
  return names.map((n) => `${n}\n${m[n]}\n`).join('');
}

/** A local "AWS": hands out the signing certificate and takes subscription confirmations. */
class FakeSnsHost {
  readonly requests: string[] = [];
  port = 0;
  private readonly server = http.createServer((req, res) => {
    this.requests.push(req.url ?? '');
    if (req.url === '/SimpleNotificationService-test.pem') {
      res.writeHead(200, { 'content-type': 'application/x-x509-ca-cert' }).end(SNS_CERT);
    } else if (req.url?.startsWith('/confirm?')) {
      res.writeHead(200, { 'content-type': 'text/xml' }).end('<ConfirmSubscriptionResponse/>');
    } else {
      res.writeHead(404).end();
    }
  });
  get origin() {
    return `http://127.0.0.1:${this.port}`;
  }
  async start() {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }
  close() {
    return new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

for (const dialect of DIALECTS) {
  describe(`bounces, complaints and suppression on ${dialect}`, () => {
    const smtp = new MailServer();
    const sns = new FakeSnsHost();
    let t: TestApp;
    let editor: Signed;

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      await smtp.start();
      await sns.start();
      t = await startTestApp(dialect, {
        env: {
          SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
          NEWSLETTER_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
          NEWSLETTER_SES_TOPIC_ARNS: `${TOPIC}, arn:aws:sns:us-east-1:123456789012:other`,
          NEWSLETTER_SNS_CERT_ORIGIN: sns.origin,
          NEWSLETTER_POSTMARK_WEBHOOK_AUTH: POSTMARK_AUTH,
          NEWSLETTER_MAILGUN_SIGNING_KEY: MAILGUN_KEY,
          NEWSLETTER_WEBHOOK_SECRET: SECRET,
        },
      });
      editor = await signIn(t, (await createStaff(t, 'editor')).email, 'a long and memorable passphrase');
    });
    after(async () => {
      await t?.close();
      await smtp.close();
      await sns.close();
    });

    let counter = 0;
    const newsletter = (name: string) => t.app.newsletters.newsletters.create({ name: `${name} ${++counter}`, senderName: 'The Test Gazette', senderEmail: 'desk@news.test' });
    const db = () => t.app.db.kysely;
    const statuses = async (subscriberId: number) =>
      (await db().selectFrom('newsletter_subscriptions').select(['newsletter_id', 'status']).where('subscriber_id', '=', subscriberId).orderBy('newsletter_id').execute()).map((r) => r.status);
    const suppression = (address: string) => db().selectFrom('newsletter_suppressions').selectAll().where('email_key', '=', address.toLowerCase()).executeTakeFirst();
    const count = async (table: 'newsletter_suppressions' | 'newsletter_soft_bounces' | 'newsletter_webhook_events') =>
      Number((await db().selectFrom(table).select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow()).n);
    /** Everything a webhook could change, to compare before and after a refused request. */
    const snapshot = async () => ({
      suppressions: await db().selectFrom('newsletter_suppressions').selectAll().orderBy('id').execute(),
      softBounces: await db().selectFrom('newsletter_soft_bounces').selectAll().orderBy('email_key').execute(),
      subscriptions: await db().selectFrom('newsletter_subscriptions').selectAll().orderBy('subscriber_id').orderBy('newsletter_id').execute(),
    });
    const sendTo = async (newsletterId: number, subject: string) => {
      const { sendId } = await t.app.newsletters.delivery.startSend({ newsletterId, email: email(subject) });
      await t.app.runner.drain();
      return sendId;
    };

    // --- posting to the webhooks, as each provider does ---

    const post = (p: string, body: string, headers: Record<string, string> = {}) => call(t, 'POST', `/webhooks/newsletters/${p}`, { raw: body, headers });

    function snsMessage(fields: Record<string, string>, options: { version?: '1' | '2'; certUrl?: string } = {}): Record<string, string> {
      const m: Record<string, string> = {
        MessageId: randomUUID(),
        TopicArn: TOPIC,
        Timestamp: t.clock.now().toISOString(),
        ...fields,
        SignatureVersion: options.version ?? '1',
        SigningCertURL: options.certUrl ?? `${sns.origin}/SimpleNotificationService-test.pem`,
      };
      m.Signature = createSign(m.SignatureVersion === '1' ? 'RSA-SHA1' : 'RSA-SHA256').update(snsStringToSign(m), 'utf8').sign(SNS_KEY, 'base64');
      return m;
    }
    const sesNotification = (message: unknown, options: { version?: '1' | '2'; certUrl?: string; topic?: string } = {}) =>
      snsMessage({ Type: 'Notification', Message: JSON.stringify(message), ...(options.topic ? { TopicArn: options.topic } : {}) }, options);
    // SNS posts JSON as text/plain.
    const postSns = (m: Record<string, string>) => post('ses', JSON.stringify(m), { 'content-type': 'text/plain; charset=UTF-8', 'x-amz-sns-message-type': m.Type! });
    const sesBounce = (bounceType: 'Permanent' | 'Transient', addresses: string[]) => ({
      notificationType: 'Bounce',
      bounce: {
        bounceType,
        bounceSubType: bounceType === 'Permanent' ? 'General' : 'MailboxFull',
        bouncedRecipients: addresses.map((a) => ({ emailAddress: a, action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' })),
        timestamp: t.clock.now().toISOString(),
        feedbackId: randomUUID(),
      },
      mail: { messageId: randomUUID(), destination: addresses },
    });

    const postmark = (record: unknown, auth: string | null = POSTMARK_AUTH) =>
      post('postmark', JSON.stringify(record), auth === null ? { 'content-type': 'application/json' } : { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(auth).toString('base64')}` });

    function mailgunBody(eventData: Record<string, unknown>, options: { key?: string; timestamp?: number; token?: string } = {}) {
      const timestamp = String(options.timestamp ?? Math.floor(t.clock.now().getTime() / 1000));
      const token = options.token ?? randomBytes(25).toString('hex');
      const signature = createHmac('sha256', options.key ?? MAILGUN_KEY).update(timestamp + token).digest('hex');
      return { signature: { timestamp, token, signature }, 'event-data': { id: randomUUID(), timestamp: Number(timestamp), ...eventData } };
    }
    const mailgun = (body: unknown) => post('mailgun', JSON.stringify(body), { 'content-type': 'application/json' });

    function generic(body: string, options: { secret?: string; t?: number; header?: string | null } = {}) {
      const ts = options.t ?? Math.floor(t.clock.now().getTime() / 1000);
      const v1 = createHmac('sha256', options.secret ?? SECRET).update(`${ts}.${body}`).digest('hex');
      const header = options.header === undefined ? `t=${ts},v1=${v1}` : options.header;
      return post('generic', body, { 'content-type': 'application/json', ...(header === null ? {} : { 'x-broadsheet-signature': header }) });
    }

    // --- Amazon SES through SNS ---

    test('SES: a permanent bounce suppresses the address at once for every newsletter; a running send skips it and the next send leaves it out', async () => {
      const daily = await newsletter('Daily');
      const weekly = await newsletter('Weekly');
      const gone = await addReader(t, 'Gone@Example.org', 'Gone', [[daily.id, 'subscribed'], [weekly.id, 'subscribed']]);
      await addReader(t, 'stays@example.org', 'Stays', [[daily.id, 'subscribed']]);
      // A send that has started (its recipients are fixed) but not reached them yet.
      const { sendId } = await t.app.newsletters.delivery.startSend({ newsletterId: daily.id, email: email('SES running send') });

      const res = await postSns(sesNotification(sesBounce('Permanent', ['gone@example.org'])));
      assert.equal(res.status, 204, res.text);

      assert.deepEqual(await statuses(gone), ['bounced', 'bounced'], 'every newsletter at once');
      const row = await suppression('gone@example.org');
      assert.equal(row?.reason, 'hard_bounce');
      assert.equal(row?.source, 'ses');
      assert.match(row!.detail, /Permanent\/General: smtp; 550 5\.1\.1 user unknown/);

      await t.app.runner.drain();
      assert.equal(smtp.to('gone@example.org', 'SES running send').length, 0, 'the running send skipped them');
      assert.equal(smtp.to('stays@example.org', 'SES running send').length, 1);
      const view = await call(t, 'GET', `/api/admin/newsletter-sends/${sendId}`, { cookie: editor.cookie });
      assert.equal(view.json.counts.skipped, 1);

      await sendTo(weekly.id, 'SES next send');
      assert.equal(smtp.withSubject('SES next send').length, 0, 'the next send leaves them out');
    });

    test('SES: a complaint marks every subscription complained; a replay (SNS retries) leaves the same state; SHA256 signatures work too', async () => {
      const n = await newsletter('Complaints');
      const cy = await addReader(t, 'cy@example.org', 'Cy', [[n.id, 'subscribed']]);
      const message = sesNotification({ notificationType: 'Complaint', complaint: { complainedRecipients: [{ emailAddress: 'cy@example.org' }], complaintFeedbackType: 'abuse' } }, { version: '2' });
      assert.equal((await postSns(message)).status, 204);
      assert.deepEqual(await statuses(cy), ['complained']);
      assert.equal((await suppression('cy@example.org'))?.reason, 'complaint');
      const before = await snapshot();
      const events = await count('newsletter_webhook_events');
      assert.equal((await postSns(message)).status, 204, 'a replay is answered as handled');
      assert.deepEqual(await snapshot(), before, 'and changes nothing');
      assert.equal(await count('newsletter_webhook_events'), events);
    });

    test('SES: transient bounces are counted (a replay counts once) and suppress at the soft-bounce limit', async () => {
      const n = await newsletter('Soft');
      const full = await addReader(t, 'full@example.org', 'Full', [[n.id, 'subscribed']]);
      const first = sesNotification(sesBounce('Transient', ['full@example.org']));
      assert.equal((await postSns(first)).status, 204);
      assert.equal((await postSns(first)).status, 204);
      assert.equal((await postSns(sesNotification(sesBounce('Transient', ['full@example.org'])))).status, 204);
      assert.equal(await suppression('full@example.org'), undefined, 'two soft bounces: still mailed (the limit is 3)');
      assert.deepEqual(await statuses(full), ['subscribed']);
      assert.equal((await postSns(sesNotification(sesBounce('Transient', ['full@example.org'])))).status, 204);
      const row = await suppression('full@example.org');
      assert.equal(row?.reason, 'soft_bounce');
      assert.match(row!.detail, /^3 soft bounces in a row/);
      assert.deepEqual(await statuses(full), ['bounced']);
    });

    test('SES: a delivery report starts the soft-bounce count again', async () => {
      const n = await newsletter('Delivered');
      await addReader(t, 'flaky@example.org', 'Flaky', [[n.id, 'subscribed']]);
      for (let i = 0; i < 2; i++) await postSns(sesNotification(sesBounce('Transient', ['flaky@example.org'])));
      assert.equal((await postSns(sesNotification({ notificationType: 'Delivery', delivery: { recipients: ['flaky@example.org'] } }))).status, 204);
      for (let i = 0; i < 2; i++) await postSns(sesNotification(sesBounce('Transient', ['flaky@example.org'])));
      assert.equal(await suppression('flaky@example.org'), undefined, 'two, a delivery, two: never three in a row');
    });

    test('SES: a tampered message, a missing signature, a foreign certificate host or an untrusted topic is refused and changes nothing', async () => {
      const n = await newsletter('Refused');
      await addReader(t, 'target@example.org', 'Target', [[n.id, 'subscribed']]);
      const before = await snapshot();
      const fetchesBefore = sns.requests.length;

      const tampered = sesNotification(sesBounce('Permanent', ['someone@example.org']));
      tampered.Message = JSON.stringify(sesBounce('Permanent', ['target@example.org']));
      assert.equal((await postSns(tampered)).status, 403);

      const unsigned = sesNotification(sesBounce('Permanent', ['target@example.org']));
      delete unsigned.Signature;
      assert.equal((await postSns(unsigned)).status, 401);

      for (const certUrl of [
        'https://evil.example.com/SimpleNotificationService-test.pem',
        'http://sns.eu-west-1.amazonaws.com/SimpleNotificationService-test.pem', // not https
        'https://sns.eu-west-1.amazonaws.com.evil.example/SimpleNotificationService-test.pem',
        'https://user@sns.eu-west-1.amazonaws.com/x.pem',
      ]) {
        const res = await postSns(sesNotification(sesBounce('Permanent', ['target@example.org']), { certUrl }));
        assert.equal(res.status, 403, `${certUrl}: ${res.text}`);
        assert.match(res.json.error.message, /sns\.<region>\.amazonaws\.com/);
      }
      const foreignTopic = await postSns(sesNotification(sesBounce('Permanent', ['target@example.org']), { topic: OTHER_TOPIC }));
      assert.equal(foreignTopic.status, 403, 'validly signed, but not our topic');
      assert.equal((await postSns(snsMessage({ Type: 'Notification', Message: 'not json' }))).status, 400, 'signed, but no SES notification');
      assert.equal((await post('ses', 'not json at all', { 'content-type': 'text/plain' })).status, 400);

      assert.deepEqual(await snapshot(), before);
      assert.ok(sns.requests.slice(fetchesBefore).every((u) => u === '/SimpleNotificationService-test.pem'), 'no other URL was fetched');
    });

    test('SES: a subscription confirmation for a trusted topic is confirmed by fetching its SubscribeURL; one for another topic is not', async () => {
      const confirm = (topic: string, token: string) =>
        snsMessage({ Type: 'SubscriptionConfirmation', TopicArn: topic, Token: token, Message: `You have chosen to subscribe to the topic ${topic}.`, SubscribeURL: `${sns.origin}/confirm?Action=ConfirmSubscription&Token=${token}` });
      const ours = await postSns(confirm(TOPIC, 'token-ours'));
      assert.equal(ours.status, 204, ours.text);
      assert.ok(sns.requests.includes('/confirm?Action=ConfirmSubscription&Token=token-ours'), 'the SubscribeURL was fetched');

      const theirs = await postSns(confirm(OTHER_TOPIC, 'token-theirs'));
      assert.equal(theirs.status, 403);
      assert.ok(!sns.requests.some((u) => u.includes('token-theirs')), 'not confirmed');

      const foreign = snsMessage({ Type: 'SubscriptionConfirmation', TopicArn: TOPIC, Token: 'token-x', Message: 'subscribe', SubscribeURL: 'https://evil.example.com/confirm?Token=token-x' });
      assert.equal((await postSns(foreign)).status, 403, 'a SubscribeURL off AWS is never fetched');
    });

    test('SES: the signing certificate is fetched once and then cached', () => {
      assert.equal(sns.requests.filter((u) => u === '/SimpleNotificationService-test.pem').length, 1);
    });

    // --- Postmark ---

    test('Postmark: a hard bounce suppresses, a spam complaint marks complained; missing or wrong credentials are refused; a replay changes nothing', async () => {
      const n = await newsletter('Postmark');
      const hard = await addReader(t, 'pm-hard@example.org', 'Hard', [[n.id, 'subscribed']]);
      const spam = await addReader(t, 'pm-spam@example.org', 'Spam', [[n.id, 'subscribed']]);
      const bounce = { RecordType: 'Bounce', ID: 4323372036854775807, Type: 'HardBounce', TypeCode: 1, Name: 'Hard bounce', MessageID: randomUUID(), Description: 'The server was unable to deliver your message (ex: unknown user, mailbox not found).', Details: 'smtp;550 5.1.1 The email account that you tried to reach does not exist.', Email: 'pm-hard@example.org', From: 'desk@news.test', BouncedAt: t.clock.now().toISOString(), Inactive: true, CanActivate: true, MessageStream: 'broadcast' };

      const before = await snapshot();
      assert.equal((await postmark(bounce, null)).status, 401, 'no credentials');
      assert.equal((await postmark(bounce, 'postmark:wrong-password-here')).status, 403, 'wrong credentials');
      assert.deepEqual(await snapshot(), before, 'nothing changed');

      assert.equal((await postmark(bounce)).status, 204);
      assert.deepEqual(await statuses(hard), ['bounced']);
      assert.equal((await suppression('pm-hard@example.org'))?.source, 'postmark');
      const afterFirst = await snapshot();
      assert.equal((await postmark(bounce)).status, 204);
      assert.deepEqual(await snapshot(), afterFirst, 'the replay changed nothing');

      const complaint = { RecordType: 'SpamComplaint', ID: 42, Type: 'SpamComplaint', TypeCode: 512, MessageID: randomUUID(), Email: 'pm-spam@example.org', Description: 'The subscriber explicitly marked this message as spam.', BouncedAt: t.clock.now().toISOString() };
      assert.equal((await postmark(complaint)).status, 204);
      assert.deepEqual(await statuses(spam), ['complained']);
      assert.equal((await suppression('pm-spam@example.org'))?.reason, 'complaint');

      // Soft bounces: Postmark's IDs are past 2^53 (these two are one number in JSON); each message counts once.
      const softReader = await addReader(t, 'pm-soft@example.org', 'Soft', [[n.id, 'subscribed']]);
      const soft = (id: string) => `{"RecordType":"Bounce","ID":${id},"Type":"SoftBounce","TypeCode":4096,"MessageID":"${randomUUID()}","Description":"The server could not temporarily deliver your message (ex: Message is delayed due to network troubles).","Email":"pm-soft@example.org"}`;
      const auth = { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(POSTMARK_AUTH).toString('base64')}` };
      const first = soft('9223372036854775801');
      assert.equal((await post('postmark', first, auth)).status, 204);
      assert.equal((await post('postmark', first, auth)).status, 204, 'a replay');
      assert.equal((await post('postmark', soft('9223372036854775802'), auth)).status, 204);
      assert.equal(await suppression('pm-soft@example.org'), undefined, 'two soft bounces so far');
      assert.equal((await post('postmark', soft('9223372036854775803'), auth)).status, 204);
      assert.equal((await suppression('pm-soft@example.org'))?.reason, 'soft_bounce');
      assert.deepEqual(await statuses(softReader), ['bounced']);

      assert.equal((await postmark({ Type: 'HardBounce' })).status, 400, 'no RecordType');
      assert.equal((await post('postmark', '{not json', { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(POSTMARK_AUTH).toString('base64')}` })).status, 400);
      const tooLarge = await post('postmark', JSON.stringify({ ...bounce, Details: 'x'.repeat(600 * 1024) }), { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(POSTMARK_AUTH).toString('base64')}` });
      assert.equal(tooLarge.status, 413);
      assert.equal(tooLarge.json.error.message, 'The request body is too large', 'said in JSON, as to any provider');
    });

    // --- Mailgun ---

    test('Mailgun: a permanent failure suppresses, a complaint marks complained; bad or stale signatures and reused tokens are refused; a retry changes nothing', async () => {
      const n = await newsletter('Mailgun');
      const perm = await addReader(t, 'mg-perm@example.org', 'Perm', [[n.id, 'subscribed']]);
      const spam = await addReader(t, 'mg-spam@example.org', 'Spam', [[n.id, 'subscribed']]);
      const failed = { event: 'failed', severity: 'permanent', reason: 'bounce', recipient: 'mg-perm@example.org', 'delivery-status': { code: 550, message: '5.1.1 The email account that you tried to reach does not exist', 'attempt-no': 1 } };

      const before = await snapshot();
      assert.equal((await mailgun(mailgunBody(failed, { key: 'key-not-the-right-one-at-all' }))).status, 403, 'signed with another key');
      assert.equal((await mailgun({ 'event-data': failed })).status, 401, 'unsigned');
      const stale = Math.floor(t.clock.now().getTime() / 1000) - 16 * 60;
      assert.equal((await mailgun(mailgunBody(failed, { timestamp: stale }))).status, 403, 'older than 15 minutes');
      assert.deepEqual(await snapshot(), before, 'nothing changed');

      const body = mailgunBody(failed);
      assert.equal((await mailgun(body)).status, 204);
      assert.deepEqual(await statuses(perm), ['bounced']);
      assert.equal((await suppression('mg-perm@example.org'))?.source, 'mailgun');
      const afterFirst = await snapshot();
      assert.equal((await mailgun(body)).status, 204, "Mailgun's retry of the same request");
      assert.deepEqual(await snapshot(), afterFirst);

      // The signature covers only timestamp and token: the same token on another event is a forgery.
      const forged = { ...body, 'event-data': { ...body['event-data'], event: 'complained', recipient: 'mg-spam@example.org' } };
      assert.equal((await mailgun(forged)).status, 403);
      assert.deepEqual(await statuses(spam), ['subscribed']);

      assert.equal((await mailgun(mailgunBody({ event: 'complained', recipient: 'mg-spam@example.org' }))).status, 204);
      assert.deepEqual(await statuses(spam), ['complained']);
    });

    test('Mailgun: temporary failures suppress at the limit; retries of one message (attempt 2, 3 …) count once', async () => {
      const n = await newsletter('Mailgun soft');
      const soft = await addReader(t, 'mg-soft@example.org', 'Soft', [[n.id, 'subscribed']]);
      const temporary = (attempt: number) => mailgunBody({ event: 'failed', severity: 'temporary', reason: 'generic', recipient: 'mg-soft@example.org', 'delivery-status': { code: 452, message: 'mailbox full', 'attempt-no': attempt } });
      for (const attempt of [1, 2, 3, 4]) assert.equal((await mailgun(temporary(attempt))).status, 204);
      assert.equal(await suppression('mg-soft@example.org'), undefined, 'one message retried is one soft bounce');
      assert.equal((await mailgun(temporary(1))).status, 204);
      assert.equal((await mailgun(temporary(1))).status, 204);
      assert.equal((await suppression('mg-soft@example.org'))?.reason, 'soft_bounce');
      assert.deepEqual(await statuses(soft), ['bounced']);
    });

    // --- our own format ---

    test('generic: a signed permanent bounce suppresses; missing, wrong or stale signatures are refused; malformed bodies are 400s; soft bounces follow the setting', async () => {
      const n = await newsletter('Generic');
      const hard = await addReader(t, 'gen-hard@example.org', 'Hard', [[n.id, 'subscribed']]);
      const soft = await addReader(t, 'gen-soft@example.org', 'Soft', [[n.id, 'subscribed']]);
      const body = JSON.stringify({ type: 'bounce', email: 'gen-hard@example.org', permanent: true, detail: '550 no such user' });

      const before = await snapshot();
      assert.equal((await generic(body, { header: null })).status, 401);
      assert.equal((await generic(body, { header: 'v1=abc' })).status, 401);
      assert.equal((await generic(body, { secret: 'another-secret-another-secret-another' })).status, 403);
      assert.equal((await generic(body, { t: Math.floor(t.clock.now().getTime() / 1000) - 600 })).status, 403, 'ten minutes old');
      assert.deepEqual(await snapshot(), before);

      const res = await generic(body);
      assert.equal(res.status, 204, res.text);
      assert.deepEqual(await statuses(hard), ['bounced']);
      const row = await suppression('gen-hard@example.org');
      assert.deepEqual([row?.reason, row?.source, row?.detail], ['hard_bounce', 'webhook', '550 no such user']);

      const malformed = await generic(JSON.stringify({ type: 'bounced', email: 'gen-hard@example.org' }));
      assert.equal(malformed.status, 400);
      assert.match(malformed.json.error.message, /type/);
      assert.equal((await generic(JSON.stringify({ type: 'bounce', email: 'x@example.org', extra: 1 }))).status, 400, 'unknown field');

      // The site lowers the limit to 2.
      await t.app.settings.update({ newsletters: { softBounceLimit: 2 } }, t.clock.now().toISOString());
      try {
        const softBody = JSON.stringify({ type: 'bounce', email: 'gen-soft@example.org', detail: '452 mailbox full' });
        assert.equal((await generic(softBody)).status, 204);
        assert.equal((await generic(softBody)).status, 204, 'the same request again (same signature) counts once');
        assert.equal(await suppression('gen-soft@example.org'), undefined);
        t.clock.advance(1000);
        assert.equal((await generic(softBody)).status, 204, 'a second bounce (new time, new signature)');
        assert.equal((await suppression('gen-soft@example.org'))?.reason, 'soft_bounce');
        assert.deepEqual(await statuses(soft), ['bounced']);
      } finally {
        await t.app.settings.update({ newsletters: { softBounceLimit: 3 } }, t.clock.now().toISOString());
      }
    });

    test('an SMTP "no such user" refusal during a send goes through the suppression list: every newsletter bounces', async () => {
      const a = await newsletter('SMTP A');
      const b = await newsletter('SMTP B');
      smtp.refuse.set('nosuch@example.org', () => ({ code: 550, message: '5.1.1 No such user here' }));
      const reader = await addReader(t, 'nosuch@example.org', 'No Such', [[a.id, 'subscribed'], [b.id, 'subscribed']]);
      await sendTo(a.id, 'SMTP refusal');
      assert.deepEqual(await statuses(reader), ['bounced', 'bounced']);
      const row = await suppression('nosuch@example.org');
      assert.deepEqual([row?.reason, row?.source], ['hard_bounce', 'smtp']);
    });

    // --- the way back, imports, endpoints that are not set up ---

    test('a suppressed reader who signs up again gets the usual page and email; confirming lifts the suppression and the next send reaches them', async () => {
      const n = await newsletter('Comeback');
      const reader = await addReader(t, 'back@example.org', 'Back', [[n.id, 'subscribed']]);
      assert.equal((await generic(JSON.stringify({ type: 'complaint', email: 'back@example.org' }))).status, 204);
      assert.deepEqual(await statuses(reader), ['complained']);

      const page = await postForm(t, '/newsletters', [['email', 'back@example.org'], ['newsletters', n.slug], ['website', '']], { ip: nextIp() });
      assert.equal(page.status, 200);
      assert.match(visibleText(page.text), /Check your inbox/i);
      await t.app.runner.drain();
      const mail = smtp.messages.filter((m) => recipients(m).includes('back@example.org')).at(-1);
      assert.ok(mail, 'the confirmation email went out');
      assert.ok(await suppression('back@example.org'), 'still suppressed until they confirm');

      const confirmed = await postForm(t, confirmLinkIn(mail), []);
      assert.equal(confirmed.status, 200, confirmed.text);
      assert.equal(await suppression('back@example.org'), undefined, 'lifted');
      assert.deepEqual(await statuses(reader), ['subscribed']);
      const consents = await db().selectFrom('newsletter_consents').select(['action', 'source']).where('subscriber_id', '=', reader).orderBy('id').execute();
      assert.deepEqual(consents.at(-1), { action: 'confirmed', source: 'email-link' }, 'the consent is on record');

      await sendTo(n.id, 'Comeback issue');
      assert.equal(smtp.to('back@example.org', 'Comeback issue').length, 1);
    });

    test('a subscribed reader whose address is suppressed (an old preferences link) is still left out of a send', async () => {
      const n = await newsletter('Belt and braces');
      await addReader(t, 'braces@example.org', 'Braces', [[n.id, 'subscribed']]);
      // Suppressed while not yet a reader, e.g. a forwarded copy that bounced.
      await t.app.newsletters.suppressions.suppress({ email: 'braces@example.org', reason: 'manual', source: 'test' });
      await db().updateTable('newsletter_subscriptions').set({ status: 'subscribed' }).where('newsletter_id', '=', n.id).execute();
      await sendTo(n.id, 'Belt and braces issue');
      assert.equal(smtp.to('braces@example.org', 'Belt and braces issue').length, 0);
    });

    test('a CSV import skips suppressed addresses and says why, even ones that were never readers', async () => {
      const n = await newsletter('Imported');
      await t.app.newsletters.suppressions.suppress({ email: 'never-a-reader@example.org', reason: 'complaint', source: 'test' });
      const form = new FormData();
      form.append('newsletters', n.slug);
      form.append('consent', 'yes');
      form.append('file', new Blob([Buffer.from('email,name\nnew-reader@example.org,New\nNever-A-Reader@example.org,Never\n')]), 'readers.csv');
      const res = await fetch(`${t.url}/api/admin/subscribers/imports`, { method: 'POST', headers: { cookie: editor.cookie, 'x-csrf-token': editor.csrf }, body: form });
      const upload = (await res.json()) as { id: number };
      assert.equal(res.status, 202);
      await t.app.runner.drain();
      const done = (await call(t, 'GET', `/api/admin/subscribers/imports/${upload.id}`, { cookie: editor.cookie })).json;
      assert.equal(done.status, 'done');
      assert.equal(done.created, 1);
      assert.deepEqual(done.skippedRows, [{ line: 3, reason: 'on the suppression list (complaint): not added to any newsletter' }]);
      assert.equal(await t.app.newsletters.subscribersRepo.byKey('never-a-reader@example.org'), undefined, 'not added as a reader');
    });

    test('unsubscribe by email: the List-Unsubscribe mailto: request arriving through SES, Postmark or as a signed raw email unsubscribes that reader from that newsletter only; other mail and bad signatures change nothing', async () => {
      const daily = await newsletter('Daily');
      const weekly = await newsletter('Weekly');
      const readers = await Promise.all(['ses', 'postmark', 'raw'].map((way) => addReader(t, `mailto-${way}@example.org`, way, [[daily.id, 'subscribed'], [weekly.id, 'subscribed']])));
      const subject = `Morning ${randomUUID()}`;
      await sendTo(daily.id, subject);
      /** What a mail client puts in the subject when the reader picks the mailto: (the header's `subject=` decoded). */
      const requestSubject = (address: string) => {
        const mail = smtp.to(address, subject)[0];
        assert.ok(mail, `${address} got the newsletter`);
        const header = String(mail.headerLines.find((h) => h.key === 'list-unsubscribe')?.line ?? '').replace(/\r\n[ \t]/g, ' ');
        const mailto = /<mailto:([^>]+)>/.exec(header)?.[1];
        assert.ok(mailto, `a mailto: in ${header}`);
        const url = new URL(`mailto:${mailto}`);
        assert.equal(url.pathname, 'desk@news.test', 'the request goes to the newsletter\'s reply-to or sender');
        return url.searchParams.get('subject')!;
      };
      const before = await Promise.all(readers.map(statuses));
      assert.deepEqual(before, readers.map(() => ['subscribed', 'subscribed']));

      // Amazon SES receiving: a receipt rule's SNS action.
      const sesReceived = (subjectLine: string) => ({ notificationType: 'Received', mail: { messageId: randomUUID(), commonHeaders: { from: ['mailto-ses@example.org'], subject: subjectLine } }, receipt: {} });
      let answer = await post('inbound/ses', JSON.stringify(sesNotification(sesReceived(requestSubject('mailto-ses@example.org')))), { 'content-type': 'text/plain; charset=UTF-8' });
      assert.equal(answer.status, 204);
      // Postmark's inbound webhook.
      answer = await post('inbound/postmark', JSON.stringify({ From: 'mailto-postmark@example.org', Subject: `Re: ${requestSubject('mailto-postmark@example.org')}`, MessageID: randomUUID(), TextBody: '' }), {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from(POSTMARK_AUTH).toString('base64')}`,
      });
      assert.equal(answer.status, 204);
      // The email itself, as a relay script pipes it, signed with the generic secret; its subject folded onto two lines.
      const rawEmail = `From: mailto-raw@example.org\r\nTo: desk@news.test\r\nSubject: ${requestSubject('mailto-raw@example.org').replace(' ', '\r\n ')}\r\nMessage-ID: <${randomUUID()}@example.org>\r\n\r\nunsubscribe\r\n`;
      const ts = Math.floor(t.clock.now().getTime() / 1000);
      const signed = (body: string, secret = SECRET) => `t=${ts},v1=${createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex')}`;
      answer = await post('inbound/generic', rawEmail, { 'content-type': 'message/rfc822', 'x-broadsheet-signature': signed(rawEmail) });
      assert.equal(answer.status, 204);

      assert.deepEqual(await Promise.all(readers.map(statuses)), readers.map(() => ['unsubscribed', 'subscribed']), 'each left the daily newsletter, kept the weekly one');
      const consents = await db().selectFrom('newsletter_consents').select(['subscriber_id', 'action', 'source']).where('subscriber_id', 'in', readers).where('action', '=', 'withdrawn').execute();
      assert.deepEqual(consents.map((c) => c.source).sort(), ['mailto', 'mailto (postmark)', 'mailto (ses)']);

      // Not requests, or not signed: nothing changes.
      const snap = await snapshot();
      const reply = `From: someone@example.org\r\nSubject: Re: Morning news\r\n\r\nThanks!\r\n`;
      assert.equal((await post('inbound/generic', reply, { 'content-type': 'message/rfc822', 'x-broadsheet-signature': signed(reply) })).status, 204);
      const forged = `From: x@example.org\r\nSubject: unsubscribe ${'A'.repeat(40)}\r\n\r\n`;
      assert.equal((await post('inbound/generic', forged, { 'content-type': 'message/rfc822', 'x-broadsheet-signature': signed(forged) })).status, 204, 'a made-up token is acknowledged and ignored');
      assert.equal((await post('inbound/generic', rawEmail, { 'content-type': 'message/rfc822', 'x-broadsheet-signature': signed(rawEmail, 'not-the-secret-0123456789abcdef0123') })).status, 403);
      assert.equal((await post('inbound/generic', rawEmail, { 'content-type': 'message/rfc822' })).status, 401);
      assert.equal((await post('inbound/generic', 'no headers at all', { 'content-type': 'text/plain', 'x-broadsheet-signature': signed('no headers at all') })).status, 400);
      assert.equal((await post('inbound/postmark', '{}', { 'content-type': 'application/json' })).status, 401);
      assert.equal((await post('inbound/ses', JSON.stringify(sesNotification(sesReceived('unsubscribe x'), { topic: OTHER_TOPIC })), { 'content-type': 'text/plain' })).status, 403);
      assert.deepEqual(await snapshot(), snap);
    });

    test('an endpoint whose secret is not configured answers 404 and accepts nothing', async () => {
      const bare = await startTestApp(dialect);
      try {
        for (const p of ['ses', 'postmark', 'mailgun', 'generic']) {
          const res = await call(bare, 'POST', `/webhooks/newsletters/${p}`, { raw: JSON.stringify({ type: 'bounce', email: 'a@example.org', permanent: true }) });
          assert.equal(res.status, 404, p);
          assert.match(res.json.error.message, /not set up/);
        }
        assert.equal(Number((await bare.app.db.kysely.selectFrom('newsletter_suppressions').select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow()).n), 0);
      } finally {
        await bare.close();
      }
    });

    // --- Admin API ---

    test('Admin API: list with search and reason filter, add by hand (201, 409 twice, 400 invalid), lift (204, 404); authors get 403', async () => {
      const api = (method: string, p: string, body?: unknown, who: Signed = editor) => call(t, method, `/api/admin/newsletter-suppressions${p}`, { body, cookie: who.cookie, csrf: who.csrf });
      const n = await newsletter('Admin list');
      const reader = await addReader(t, 'admin-added@example.org', 'Added', [[n.id, 'subscribed']]);

      const added = await api('POST', '', { email: ' Admin-Added@Example.org ', detail: 'asked by phone' });
      assert.equal(added.status, 201, added.text);
      assert.equal(added.json.email, 'Admin-Added@example.org');
      assert.equal(added.json.reason, 'manual');
      assert.equal(added.json.detail, 'asked by phone');
      assert.equal(added.json.subscriberId, reader);
      assert.match(added.json.source, /^admin:editor\d+@news\.test$/);
      assert.deepEqual(await statuses(reader), ['bounced'], 'nothing more is sent to them');

      const twice = await api('POST', '', { email: 'admin-added@example.org' });
      assert.equal(twice.status, 409);
      assert.match(twice.json.error.message, /already/);
      const invalid = await api('POST', '', { email: 'not an address' });
      assert.equal(invalid.status, 400);
      assert.equal(invalid.json.error.fields[0].path, '/email');
      assert.equal((await api('POST', '', { email: 'x@example.org', reason: 'complaint' })).status, 400, 'unknown field');

      const search = await api('GET', '?q=admin-ADDED');
      assert.equal(search.status, 200);
      assert.deepEqual(search.json.items.map((i: { email: string }) => i.email), ['Admin-Added@example.org']);
      assert.equal(search.json.counts.manual, 1);
      const complaints = await api('GET', '?reason=complaint&pageSize=100');
      assert.ok(complaints.json.items.length >= 1);
      assert.ok(complaints.json.items.every((i: { reason: string }) => i.reason === 'complaint'));
      assert.equal(complaints.json.total, complaints.json.counts.complaint);
      assert.equal((await api('GET', '?reason=bogus')).status, 400);
      assert.equal((await api('GET', '?q=%25')).json.total, 0, '% is literal');

      const author = await signIn(t, (await createStaff(t, 'author')).email, 'a long and memorable passphrase');
      assert.equal((await api('GET', '', undefined, author)).status, 403);
      assert.equal((await api('POST', '', { email: 'y@example.org' }, author)).status, 403);
      assert.equal((await api('DELETE', `/${added.json.id}`, undefined, author)).status, 403);
      assert.equal((await call(t, 'GET', '/api/admin/newsletter-suppressions')).status, 401, 'signed out');

      assert.equal((await api('DELETE', `/${added.json.id}`)).status, 204);
      assert.equal(await suppression('admin-added@example.org'), undefined);
      assert.equal((await api('DELETE', `/${added.json.id}`)).status, 404);
      assert.equal((await api('GET', '?q=admin-added')).json.total, 0);
    });
  });
}
