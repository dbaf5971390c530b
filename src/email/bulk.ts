/**
 * The transport for newsletter sends: one message per recipient, many of
 * them. With an SMTP URL (NEWSLETTER_SMTP_URL, else SMTP_URL) it is a small
 * pool of connections (smtp-lanes.ts) with its own connection count and rate
 * limit, so a send of 50,000 emails neither opens 50,000 connections nor trips
 * the provider's limits. Without one, each message is written to
 * `DATA_DIR/outbox` like account emails. It holds the DKIM key when one is
 * configured: newsletter copies are signed as they are merged
 * (bulk-message.ts); single messages (receipts, sign-in links) are signed here.
 *
 * `send`/`sendRaw` resolve when the server accepted the message; they reject
 * with a `BulkSendError` that says whether trying again later could help.
 */
import fs from 'node:fs';
import path from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { Logger } from 'pino';
import type { NewsletterMailConfig } from '../config.js';
import { DkimKey } from './dkim.js';
import { SmtpLanes, type Envelope } from './smtp-lanes.js';

/** A single message composed here (receipts, sign-in links); newsletters hand over merged bytes with `sendRaw`. */
export interface BulkMessage {
  from: { name: string; address: string };
  replyTo?: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  /** Set by the sender (`<...@host>`), so it is known before the message leaves. */
  messageId: string;
}

export interface BulkTransport {
  readonly kind: 'smtp' | 'outbox';
  /** How many messages it works on at once: a sender hands over no more than this, so none waits in a queue. */
  readonly connections: number;
  /** The configured DKIM key: whoever builds the bytes for `sendRaw` signs with it. */
  readonly dkim: DkimKey | undefined;
  /** Composes, signs and sends one message. */
  send(message: BulkMessage): Promise<void>;
  /** Sends a message that is already whole (headers, body, signature) with CRLF line ends. */
  sendRaw(envelope: Envelope, message: Buffer, meta: { messageId: string }): Promise<void>;
  close(): Promise<void>;
}

/**
 * Why a message was not accepted. `permanent`: the server refused it for good
 * (an SMTP 5xx); otherwise a 4xx, a timeout or a lost connection, worth retrying.
 */
export class BulkSendError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly responseCode: number | undefined,
    /** The server said the mailbox does not exist (550 5.1.1 and the like): the address is dead. */
    readonly noSuchUser: boolean,
  ) {
    super(message);
  }
}

/** Sorts a nodemailer failure into retry-later or give-up. */
export function classifySendError(error: unknown): BulkSendError {
  if (error instanceof BulkSendError) return error;
  const e = error as { message?: string; responseCode?: unknown; response?: unknown; code?: unknown };
  const code = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const response = typeof e.response === 'string' ? e.response : '';
  const text = (response || e.message || String(error)).slice(0, 500);
  const permanent = code !== undefined && code >= 500 && code < 600;
  // Conservative: only answers that name a missing mailbox, not every 550 (policy blocks are 550s too).
  const noSuchUser = permanent && (/\b5\.1\.1\b/.test(response) || /\b(no such (user|mailbox)|user unknown|does not exist)\b/i.test(response));
  return new BulkSendError(text, permanent, code, noSuchUser);
}

export function createBulkTransport(config: NewsletterMailConfig, options: { dataDir: string; log: Logger }): BulkTransport {
  const dkim = config.dkim ? new DkimKey(config.dkim) : undefined;
  return config.smtpUrl ? new PooledSmtp(config, config.smtpUrl, dkim) : new BulkOutbox(options.dataDir, options.log, dkim);
}

/** Composes one message (nodemailer's composer) and signs it: the bytes `sendRaw` takes. */
async function composeSingle(message: BulkMessage, dkim: DkimKey | undefined): Promise<Buffer> {
  // MIME with CRLF line ends, as SMTP wants it.
  const built = await new MailComposer(message).compile().build();
  return dkim ? await dkim.signMessage(built) : built;
}

class PooledSmtp implements BulkTransport {
  readonly kind = 'smtp' as const;
  readonly connections: number;
  private readonly lanes: SmtpLanes;

  constructor(
    config: NewsletterMailConfig,
    url: string,
    readonly dkim: DkimKey | undefined,
  ) {
    this.connections = config.connections;
    this.lanes = new SmtpLanes({ url, connections: config.connections, ratePerSecond: config.ratePerSecond });
  }

  async send(message: BulkMessage): Promise<void> {
    await this.sendRaw({ from: message.from.address, to: message.to }, await composeSingle(message, this.dkim));
  }

  async sendRaw(envelope: Envelope, message: Buffer): Promise<void> {
    try {
      await this.lanes.send(envelope, message);
    } catch (error) {
      throw classifySendError(error);
    }
  }

  async close(): Promise<void> {
    await this.lanes.close();
  }
}

class BulkOutbox implements BulkTransport {
  readonly kind = 'outbox' as const;
  readonly connections = 4;
  private readonly dir: string;

  constructor(
    dataDir: string,
    private readonly log: Logger,
    readonly dkim: DkimKey | undefined,
  ) {
    this.dir = path.join(dataDir, 'outbox');
  }

  async send(message: BulkMessage): Promise<void> {
    await this.sendRaw({ from: message.from.address, to: message.to }, await composeSingle(message, this.dkim), { messageId: message.messageId });
  }

  async sendRaw(envelope: Envelope, message: Buffer, meta: { messageId: string }): Promise<void> {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const safeTo = envelope.to.replace(/[^A-Za-z0-9@._+-]/g, '_').slice(0, 100);
    await fs.promises.mkdir(this.dir, { recursive: true, mode: 0o700 });
    let file = path.join(this.dir, `${stamp}-${safeTo}.eml`);
    for (let n = 2; fs.existsSync(file); n++) file = path.join(this.dir, `${stamp}-${safeTo}-${n}.eml`);
    // Newsletter emails hold each reader's signed unsubscribe and preferences links.
    await fs.promises.writeFile(file, message, { mode: 0o600 });
    this.log.info({ to: envelope.to, messageId: meta.messageId, file }, 'newsletter email written to the outbox (no SMTP URL is set)');
  }

  async close(): Promise<void> {}
}
