/**
 * Sending email. With SMTP_URL configured, messages go out through a pooled
 * SMTP connection (nodemailer). Without it (a laptop, a first try), each
 * message is written to the log and to `DATA_DIR/outbox/<time>-<to>.eml`, so
 * whoever runs Broadsheet can open it and click the link: nothing is lost and
 * no mail server is needed to get started.
 */
import fs from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Logger } from 'pino';

export interface EmailMessage {
  to: string;
  subject: string;
  /** The plain-text body: always present, the part every mail client can show. */
  text: string;
  html?: string;
}

export interface Mailer {
  /** 'smtp' when messages leave the machine, 'outbox' when they are written to DATA_DIR/outbox. */
  readonly kind: 'smtp' | 'outbox';
  send(message: EmailMessage): Promise<void>;
  close(): Promise<void>;
}

export interface MailerOptions {
  smtpUrl: string | undefined;
  from: string;
  dataDir: string;
  log: Logger;
  /** Injectable for tests: the time used in outbox file names. */
  now?: () => Date;
}

export function createMailer(options: MailerOptions): Mailer {
  return options.smtpUrl ? new SmtpMailer(options.smtpUrl, options.from, options.log) : new OutboxMailer(options);
}

class SmtpMailer implements Mailer {
  readonly kind = 'smtp' as const;
  private readonly transport: ReturnType<typeof nodemailer.createTransport>;

  constructor(
    url: string,
    private readonly from: string,
    private readonly log: Logger,
  ) {
    // `?pool=true` in SMTP_URL reuses connections for bulk mail; one-off account emails do not need it.
    this.transport = nodemailer.createTransport(url);
  }

  async send(message: EmailMessage): Promise<void> {
    const info = await this.transport.sendMail({ from: this.from, ...message });
    this.log.info({ to: message.to, subject: message.subject, messageId: info.messageId }, 'email sent');
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}

class OutboxMailer implements Mailer {
  readonly kind = 'outbox' as const;
  private readonly dir: string;
  private readonly composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });

  constructor(private readonly options: MailerOptions) {
    this.dir = path.join(options.dataDir, 'outbox');
  }

  async send(message: EmailMessage): Promise<void> {
    const info = await this.composer.sendMail({ from: this.options.from, ...message });
    const raw = info.message as Buffer;
    const stamp = (this.options.now?.() ?? new Date()).toISOString().replace(/[:.]/g, '-');
    const safeTo = message.to.replace(/[^A-Za-z0-9@._+-]/g, '_').slice(0, 100);
    await fs.promises.mkdir(this.dir, { recursive: true, mode: 0o700 });
    let file = path.join(this.dir, `${stamp}-${safeTo}.eml`);
    for (let n = 2; fs.existsSync(file); n++) file = path.join(this.dir, `${stamp}-${safeTo}-${n}.eml`);
    // The messages hold sign-in links: readable by the account running Broadsheet only.
    await fs.promises.writeFile(file, raw, { mode: 0o600 });
    this.options.log.info(
      { to: message.to, subject: message.subject, file, text: message.text },
      'email written to the outbox (SMTP_URL is not set)',
    );
  }

  async close(): Promise<void> {}
}
