/**
 * A newsletter body encoded once per batch (src/email/bulk-body.ts) arrives
 * as exactly the merged text and HTML, DKIM-signed, through a real SMTP
 * server: long lines, non-ASCII text, placeholders at the start, the end and
 * next to each other, empty values, values that need HTML escaping. The
 * signature covers the list headers RFC 8058 asks for.
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
import { prepareBody } from '../../src/email/bulk-body.js';
import { escapeHtml } from '../../src/shared/html.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
// mailauth's package entry needs Node 22; its DKIM verifier alone runs on Node 20.
const { dkimVerify } = createRequire(import.meta.url)('mailauth/lib/dkim/verify') as {
  dkimVerify: (message: Buffer, options: { resolver: (name: string, type: string) => Promise<string[][]> }) => Promise<{ results: { status: { result: string } }[] }>;
};
const resolver = async (name: string, type: string): Promise<string[][]> => {
  if (name === 'bench._domainkey.news.test' && type === 'TXT') return [[`v=DKIM1; k=rsa; p=${publicKey.replace(/-----[^-]+-----|\s/g, '')}`]];
  throw Object.assign(new Error(`no ${type} record for ${name}`), { code: 'ENOTFOUND' });
};

const PLACEHOLDERS = ['{{name}}', '{{unsubscribe_url}}'];
const longLine = 'Le conseil municipal a voté — 5 voix contre 2 — après une longue nuit; “la digue” coûte 12 M€. '.repeat(6);
const TEXT = `{{name}}{{unsubscribe_url}}\nHello {{name}},\n${longLine}\n  indented line with trailing spaces   \n.a line starting with a dot\nUnsubscribe: {{unsubscribe_url}}`;
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

  test('each reader gets exactly their merged text and HTML, and the DKIM signature verifies', async () => {
    const transport = createBulkTransport(
      { smtpUrl: `smtp://127.0.0.1:${port}`, connections: 2, ratePerSecond: 1000, batchSize: 10, dkim: { domainName: 'news.test', keySelector: 'bench', privateKey } },
      { dataDir: '/nonexistent', log: pino({ level: 'silent' }) },
    );
    const body = prepareBody(TEXT, HTML, PLACEHOLDERS);
    const readers = [
      { to: 'ann@example.org', name: 'Ann <Lee> & “Zoë”', url: 'https://news.test/newsletters/unsubscribe/1.abc.' + 'x'.repeat(43) },
      { to: 'bob@example.org', name: '', url: 'https://news.test/newsletters/unsubscribe/2.def.' + 'y'.repeat(43) },
    ];
    try {
      for (const r of readers) {
        const text = merge(TEXT, { '{{name}}': r.name, '{{unsubscribe_url}}': r.url });
        const html = merge(HTML, { '{{name}}': escapeHtml(r.name), '{{unsubscribe_url}}': escapeHtml(r.url) });
        await transport.send({
          from: { name: 'The Test Gazette', address: 'desk@news.test' },
          to: r.to,
          subject: 'Morning Briefing',
          text,
          html,
          headers: {
            'List-Id': 'Morning Briefing <morning.newsletters.news.test>',
            'List-Unsubscribe': `<${r.url}>, <mailto:desk@news.test?subject=unsubscribe%20${'z'.repeat(60)}>`,
            'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          },
          messageId: `<m-${r.to}@news.test>`,
          encoded: { text: body.text.fill({ '{{name}}': r.name, '{{unsubscribe_url}}': r.url }), html: body.html.fill({ '{{name}}': escapeHtml(r.name), '{{unsubscribe_url}}': escapeHtml(r.url) }) },
        });
      }
    } finally {
      await transport.close();
    }
    assert.equal(raw.length, 2);
    for (const [i, r] of readers.entries()) {
      const message = raw[i]!;
      for (const line of message.toString('latin1').split('\r\n')) assert.ok(line.length <= 998, 'no line longer than SMTP allows');
      const mail = await simpleParser(message);
      assert.equal(mail.text?.replace(/\r\n/g, '\n').trimEnd(), merge(TEXT, { '{{name}}': r.name, '{{unsubscribe_url}}': r.url }).trimEnd());
      assert.equal(String(mail.html).replace(/\r\n/g, '\n').trimEnd(), merge(HTML, { '{{name}}': escapeHtml(r.name), '{{unsubscribe_url}}': escapeHtml(r.url) }).trimEnd());
      const dkim = await dkimVerify(message, { resolver });
      assert.deepEqual(dkim.results.map((x) => x.status.result), ['pass']);
      // RFC 8058: one-click unsubscribe counts only when the signature covers both list headers.
      const signedHeaders = /\bh=([^;]+);/.exec(mail.headers.get('dkim-signature') ? String((mail.headerLines.find((h) => h.key === 'dkim-signature') ?? { line: '' }).line).replace(/\r\n[ \t]/g, ' ') : '')?.[1] ?? '';
      for (const name of ['from', 'to', 'subject', 'message-id', 'list-unsubscribe', 'list-unsubscribe-post']) assert.ok(signedHeaders.split(':').map((x) => x.trim()).includes(name), `${name} is signed (h=${signedHeaders})`);
    }
  });
});
