/** Helpers for the delivery tests: an SMTP server that can refuse chosen recipients, readers written straight to the database. */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { TestApp } from '../support/apps.js';
import type { SubscriptionStatus } from '../../src/db/schema.js';
import { newReaderSecret } from '../../src/newsletter/links.js';
import { recipients } from './support.js';

export type Refusal = { code: number; message: string } | undefined;

/** An SMTP server that keeps what it accepts and can refuse chosen recipients (RCPT TO), per attempt. */
export class MailServer {
  readonly messages: ParsedMail[] = [];
  /** Each message as it arrived, byte for byte (signatures are checked over these bytes). */
  readonly raw = new Map<ParsedMail, Buffer>();
  readonly refuse = new Map<string, (attempt: number) => Refusal>();
  /** Runs before a message is accepted: what a test does "while the send is going on". */
  onMessage: ((mail: ParsedMail) => Promise<void>) | undefined;
  private readonly attempts = new Map<string, number>();
  private readonly server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo: (address, _session, callback) => {
      const to = address.address.toLowerCase();
      const attempt = (this.attempts.get(to) ?? 0) + 1;
      this.attempts.set(to, attempt);
      const refusal = this.refuse.get(to)?.(attempt);
      if (refusal) return callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
      callback();
    },
    onData: (stream, _session, callback) => {
      (async () => {
        const chunks: Buffer[] = [];
        for await (const chunk of stream) chunks.push(chunk as Buffer);
        const raw = Buffer.concat(chunks);
        const mail = await simpleParser(raw);
        this.raw.set(mail, raw);
        await this.onMessage?.(mail);
        this.messages.push(mail);
      })().then(
        () => callback(),
        (error: Error) => callback(error),
      );
    },
  });

  constructor() {
    // A client that vanishes mid-message (a killed sender) is not the test's failure.
    this.server.on('error', () => undefined);
  }
  port = 0;

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
  }
  /** Messages of one send (each test uses its own subject) to `address`. */
  to(address: string, subject: string): ParsedMail[] {
    return this.messages.filter((m) => m.subject === subject && recipients(m).includes(address.toLowerCase()));
  }
  withSubject(subject: string): ParsedMail[] {
    return this.messages.filter((m) => m.subject === subject);
  }
  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** A header as it was written (unfolded), e.g. `List-Unsubscribe`. */
export function header(mail: ParsedMail, name: string): string | undefined {
  const line = mail.headerLines.find((h) => h.key === name.toLowerCase())?.line;
  return line?.replace(/\r?\n[ \t]+/g, ' ').replace(/^[^:]+:\s*/, '');
}

export const email = (subject: string) => ({
  subject,
  html: '<p>Hello {{name}},</p><p>Today in brief.</p><p><a href="{{preferences_url}}">Your preferences</a> · <a href="{{unsubscribe_url}}">Unsubscribe</a></p>',
  text: 'Hello {{name}},\n\nToday in brief.\n\nYour preferences: {{preferences_url}}\nUnsubscribe: {{unsubscribe_url}}\n',
});

/** A reader with subscriptions in the given states, written straight to the database. */
export async function addReader(t: TestApp, address: string, name: string, subscriptions: [number, SubscriptionStatus][]): Promise<number> {
  const at = t.clock.now().toISOString();
  const db = t.app.db.kysely;
  const { id } = await db
    .insertInto('newsletter_subscribers')
    .values({ email: address, email_key: address.toLowerCase(), name, secret: newReaderSecret(), created_at: at, updated_at: at })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const [newsletterId, status] of subscriptions) {
    await db
      .insertInto('newsletter_subscriptions')
      .values({ subscriber_id: id, newsletter_id: newsletterId, status, source: 'test', requested_at: at, confirmed_at: status === 'pending' ? null : at, updated_at: at })
      .execute();
  }
  return id;
}

