/**
 * A newsletter message prepared once per send and merged per reader
 * (src/email/bulk-message.ts) arrives through a real SMTP server (sent by
 * src/email/smtp-lanes.ts) as exactly the merged text and HTML, with its
 * headers, DKIM-signed: long lines, non-ASCII text and subject and sender
 * name, placeholders at the start, the end and next to each other, empty
 * values, values that need HTML escaping, runs of spaces and tabs (which
 * relaxed canonicalisation folds). The signature verifies with mailauth for an
 * RSA and an Ed25519 key (RFC 8463) and covers the list headers RFC 8058 asks
 * for. Single messages (receipts) are signed too.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import { createBulkTransport } from '../../src/email/bulk.js';
import { BulkMessage } from '../../src/email/bulk-message.js';
import { DkimKey } from '../../src/email/dkim.js';
import { escapeHtml } from '../../src/shared/html.js';

const rsa = generateKeyPairSync('rsa', { modulusLength: 1024, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
const ed25519 = generateKeyPairSync('ed25519', { privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'der' } });
// mailauth's package entry needs Node 22; its DKIM verifier alone runs on Node 20.
const { dkimVerify } = createRequire(import.meta.url)('mailauth/lib/dkim/verify') as {
  dkimVerify: (message: Buffer, options: { resolver: (name: string, type: string) => Promise<string[][]> }) => Promise<{ results: { status: { result: string } }[] }>;
};
const resolver = async (name: string, type: string): Promise<string[][]> => {
  if (name === 'bench._domainkey.news.test' && type === 'TXT') return [[`v=DKIM1; k=rsa; p=${rsa.publicKey.replace(/-----[^-]+-----|\s/g, '')}`]];
  // RFC 8463: an Ed25519 record holds the bare 32-byte public key (the end of its SPKI form).
  if (name === 'ed._domainkey.news.test' && type === 'TXT') return [[`v=DKIM1; k=ed25519; p=${ed25519.publicKey.subarray(-32).toString('base64')}`]];
  throw Object.assign(new Error(`no ${type} record for ${name}`), { code: 'ENOTFOUND' });
};

const PLACEHOLDERS = ['{{name}}', '{{unsubscribe_url}}'];
const longLine = 'Le conseil municipal a voté — 5 voix contre 2 — après une longue nuit; “la digue” coûte 12 M€. '.repeat(6);
const TEXT = `{{name}}{{unsubscribe_url}}\nHello {{name}},\n${longLine}\n  indented line with trailing spaces   \n.a line starting with a dot\nwide   gaps\tand\t\ttabs\nUnsubscribe: {{unsubscribe_url}}`;
const HTML = `<p>Hello <b>{{name}}</b>!</p>\n<p style="font-family:Georgia,serif;color:#222">${longLine}</p><a href="{{unsubscribe_url}}">Unsubscribe</a>{{name}}`;

function merge(template: string, values: Record<string, string>): string {
  let out = template;
  for (const [placeholder, value] of Object.entries(values)) out = out.split(placeholder).join(value);
  return out;
}

describe('bulk message bodies encoded once per batch', () => {
  const raw: Buffer[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        raw.push(Buffer.concat(chunks));
        callback();
      });
    },
  });
  let port = 0;
  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.server.address() as AddressInfo).port;
  });
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const readers = [
    { to: 'ann@example.org', name: 'Ann <Lee> & “Zoë”', url: 'https://news.test/newsletters/unsubscribe/1.abc.' + 'x'.repeat(43) },
    { to: 'bob@example.org', name: '', url: 'https://news.test/newsletters/unsubscribe/2.def.' + 'y'.repeat(43) },
  ];
  const listHeaders = (url: string) => ({
    'List-Id': 'Morning Briefing <morning.newsletters.news.test>',
    'List-Unsubscribe': `<${url}>, <mailto:desk@news.test?subject=unsubscribe%20${'z'.repeat(60)}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  });
  const signedNames = (line: string) => (/\bh=([^;]+);/.exec(line.replace(/\r\n[ \t]/g, ' '))?.[1] ?? '').split(':').map((x) => x.trim());

  for (const key of [
    { kind: 'RSA', selector: 'bench', privateKey: rsa.privateKey },
    { kind: 'Ed25519', selector: 'ed', privateKey: ed25519.privateKey },
  ]) {
    test(`each reader gets exactly their merged text, HTML and headers, and the ${key.kind} DKIM signature verifies`, async () => {
      raw.length = 0;
      const transport = createBulkTransport(
        { smtpUrl: `smtp://127.0.0.1:${port}`, connections: 2, ratePerSecond: 1000, batchSize: 10, dkim: { domainName: 'news.test', keySelector: key.selector, privateKey: key.privateKey } },
        { dataDir: '/nonexistent', log: pino({ level: 'silent' }) },
      );
      const subject = 'Morning Briefing: la digue coûte 12 M€ — “a long subject” that needs folding across more than one header line';
      const message = new BulkMessage({ from: { name: 'La Gazette du Port', address: 'desk@news.test' }, replyTo: 'letters@news.test', subject, text: TEXT, html: HTML, placeholders: PLACEHOLDERS }, transport.dkim);
      const date = new Date('2026-11-30T06:30:00Z');
      try {
        await Promise.all(
          readers.map(async (r) =>
            transport.sendRaw(
              { from: 'desk@news.test', to: r.to },
              await message.render({ to: r.to, messageId: `<m-${r.to}@news.test>`, date, headers: listHeaders(r.url), text: { '{{name}}': r.name, '{{unsubscribe_url}}': r.url }, html: { '{{name}}': escapeHtml(r.name), '{{unsubscribe_url}}': escapeHtml(r.url) } }),
              { messageId: `<m-${r.to}@news.test>` },
            ),
          ),
        );
      } finally {
        await transport.close();
      }
      assert.equal(raw.length, 2);
      for (const r of readers) {
        const message = raw.find((m) => m.includes(`To: ${r.to}`))!;
        assert.ok(message, `a message to ${r.to}`);
        for (const line of message.toString('latin1').split('\r\n')) assert.ok(line.length <= 998, 'no line longer than SMTP allows');
        const mail = await simpleParser(message);
        assert.equal(mail.text?.replace(/\r\n/g, '\n').trimEnd(), merge(TEXT, { '{{name}}': r.name, '{{unsubscribe_url}}': r.url }).trimEnd());
        assert.equal(String(mail.html).replace(/\r\n/g, '\n').trimEnd(), merge(HTML, { '{{name}}': escapeHtml(r.name), '{{unsubscribe_url}}': escapeHtml(r.url) }).trimEnd());
        assert.equal(mail.subject, subject);
        assert.deepEqual(mail.from?.value, [{ name: 'La Gazette du Port', address: 'desk@news.test' }]);
        assert.equal(mail.replyTo?.text, 'letters@news.test');
        assert.equal(mail.messageId, `<m-${r.to}@news.test>`);
        assert.equal(mail.date?.toISOString(), date.toISOString());
        const line = (key: string) => mail.headerLines.find((h) => h.key === key)?.line.replace(/\r\n[ \t]/g, ' ');
        assert.equal(line('list-unsubscribe-post'), 'List-Unsubscribe-Post: List-Unsubscribe=One-Click');
        assert.equal(line('list-id'), 'List-Id: Morning Briefing <morning.newsletters.news.test>');
        assert.equal(line('list-unsubscribe'), `List-Unsubscribe: ${listHeaders(r.url)['List-Unsubscribe']}`);
        const dkim = await dkimVerify(message, { resolver });
        assert.deepEqual(dkim.results.map((x) => x.status.result), ['pass']);
        // RFC 8058: one-click unsubscribe counts only when the signature covers both list headers.
        const names = signedNames(String((mail.headerLines.find((h) => h.key === 'dkim-signature') ?? { line: '' }).line));
        for (const name of ['from', 'to', 'subject', 'date', 'message-id', 'list-unsubscribe', 'list-unsubscribe-post']) assert.ok(names.includes(name), `${name} is signed (h=${names.join(':')})`);
      }
    });
  }

  test('a changed byte breaks the signature (the test can fail)', async () => {
    const key = new DkimKey({ domainName: 'news.test', keySelector: 'bench', privateKey: rsa.privateKey });
    const message = new BulkMessage({ from: { name: 'Desk', address: 'desk@news.test' }, subject: 'Hi', text: TEXT, html: HTML, placeholders: PLACEHOLDERS }, key);
    const bytes = await message.render({ to: 'ann@example.org', messageId: '<x@news.test>', date: new Date(), headers: {}, text: { '{{name}}': 'Ann' }, html: { '{{name}}': 'Ann' } });
    assert.deepEqual((await dkimVerify(bytes, { resolver })).results.map((x) => x.status.result), ['pass']);
    for (const [from, to] of [
      ['Hello', 'Jello'], // the body
      ['Subject: Hi', 'Subject: Ho'], // a signed header
    ]) {
      const tampered = Buffer.from(bytes.toString('latin1').replace(from!, to!), 'latin1');
      const result = (await dkimVerify(tampered, { resolver })).results.map((x) => x.status.result);
      assert.equal(result.length, 1);
      assert.notEqual(result[0], 'pass', `changing ${from} breaks the signature`);
    }
  });

  test('a single message (a receipt) is composed, signed and sent', async () => {
    raw.length = 0;
    const transport = createBulkTransport(
      { smtpUrl: `smtp://127.0.0.1:${port}`, connections: 1, ratePerSecond: 1000, batchSize: 10, dkim: { domainName: 'news.test', keySelector: 'bench', privateKey: rsa.privateKey } },
      { dataDir: '/nonexistent', log: pino({ level: 'silent' }) },
    );
    try {
      await transport.send({ from: { name: 'The Test Gazette', address: 'desk@news.test' }, to: 'ann@example.org', subject: 'Thank you — reçu', text: 'Thank you, Zoë.', html: '<p>Thank you, Zoë.</p>', headers: {}, messageId: '<receipt-1@news.test>' });
    } finally {
      await transport.close();
    }
    assert.equal(raw.length, 1);
    const mail = await simpleParser(raw[0]!);
    assert.equal(mail.subject, 'Thank you — reçu');
    assert.equal(mail.text?.trim(), 'Thank you, Zoë.');
    assert.equal(mail.messageId, '<receipt-1@news.test>');
    assert.deepEqual((await dkimVerify(raw[0]!, { resolver })).results.map((x) => x.status.result), ['pass']);
  });
});
