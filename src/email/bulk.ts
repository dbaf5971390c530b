/**
 * The transport for newsletter sends: one message per recipient, many of
 * them. With an SMTP URL (NEWSLETTER_SMTP_URL, else SMTP_URL) it is a pooled
 * nodemailer transport with its own connection count and rate limit, so a
 * send of 50,000 emails neither opens 50,000 connections nor trips the
 * provider's limits, and it DKIM-signs when a key is configured. Without one,
 * each message is written to `DATA_DIR/outbox` like account emails.
 *
 * `send` resolves when the server accepted the message; it rejects with a
 * `BulkSendError` that says whether trying again later could help.
 */
import { createPrivateKey } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js';
import type { Logger } from 'pino';
import type { NewsletterMailConfig } from '../config.js';

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
  /**
   * The same text and HTML as MIME parts already encoded (bulk-body.ts, prepared once per batch):
   * sent instead of encoding `text` and `html` again for every reader.
   */
  encoded?: { text: string; html: string };
}

/** What nodemailer gets: the encoded parts as they are when the sender has them. */
function mailOptions(message: BulkMessage) {
  const { encoded, text, html, ...rest } = message;
  return encoded ? { ...rest, alternatives: [{ raw: encoded.text }, { raw: encoded.html }] } : { ...rest, text, html };
}

export interface BulkTransport {
  readonly kind: 'smtp' | 'outbox';
  /** How many messages it works on at once: a sender hands over no more than this, so none waits in a queue. */
  readonly connections: number;
  send(message: BulkMessage): Promise<void>;
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

/**
 * The DKIM options with the key parsed once: handed over as PEM text, Node
 * parses it again for every signature, which tripled the cost of signing
 * (0.7 ms instead of 0.2 ms a message on the bench machine).
 */
function dkimOptions(dkim: NewsletterMailConfig['dkim']) {
  return dkim ? { dkim: { ...dkim, privateKey: createPrivateKey(dkim.privateKey) } } : {};
}

export function createBulkTransport(config: NewsletterMailConfig, options: { dataDir: string; log: Logger }): BulkTransport {
  return config.smtpUrl ? new PooledSmtp(config) : new BulkOutbox(options.dataDir, options.log, config.dkim);
}

class PooledSmtp implements BulkTransport {
  readonly kind = 'smtp' as const;
  readonly connections: number;
  private readonly transport: Transporter<SMTPPool.SentMessageInfo, SMTPPool.Options>;

  constructor(config: NewsletterMailConfig) {
    this.connections = config.connections;
    const options: SMTPPool.Options = {
      url: config.smtpUrl,
      pool: true,
      maxConnections: config.connections,
      // nodemailer's limit is "rateLimit messages per rateDelta ms", per pool.
      rateDelta: 1000,
      rateLimit: config.ratePerSecond,
      connectionTimeout: 30_000,
      greetingTimeout: 30_000,
      socketTimeout: 60_000,
      ...dkimOptions(config.dkim),
    };
    this.transport = nodemailer.createTransport(options);
  }

  async send(message: BulkMessage): Promise<void> {
    try {
      await this.transport.sendMail(mailOptions(message));
    } catch (error) {
      throw classifySendError(error);
    }
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}

class BulkOutbox implements BulkTransport {
  readonly kind = 'outbox' as const;
  readonly connections = 4;
  private readonly dir: string;
  private readonly composer;

  constructor(
    dataDir: string,
    private readonly log: Logger,
    dkim: NewsletterMailConfig['dkim'],
  ) {
    this.dir = path.join(dataDir, 'outbox');
    this.composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix', ...dkimOptions(dkim) });
  }

  async send(message: BulkMessage): Promise<void> {
    const info = await this.composer.sendMail(mailOptions(message));
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const safeTo = message.to.replace(/[^A-Za-z0-9@._+-]/g, '_').slice(0, 100);
    await fs.promises.mkdir(this.dir, { recursive: true, mode: 0o700 });
    let file = path.join(this.dir, `${stamp}-${safeTo}.eml`);
    for (let n = 2; fs.existsSync(file); n++) file = path.join(this.dir, `${stamp}-${safeTo}-${n}.eml`);
    // Newsletter emails hold each reader's signed unsubscribe and preferences links.
    await fs.promises.writeFile(file, info.message as Buffer, { mode: 0o600 });
    this.log.info({ to: message.to, subject: message.subject, file }, 'newsletter email written to the outbox (no SMTP URL is set)');
  }

  async close(): Promise<void> {}
}
