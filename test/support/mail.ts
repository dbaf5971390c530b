/**
 * A real SMTP server on loopback for tests (smtp-server), keeping every
 * message it accepts parsed by mailparser, and its bytes (signatures are
 * checked over them). It can refuse chosen recipients per attempt, run a hook
 * before accepting (what a test does "while the send is going on"), and wait
 * for a message that has not arrived yet.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

export type Refusal = { code: number; message: string } | undefined;

/** The lower-cased addresses a message was sent to. */
export function recipients(mail: ParsedMail): string[] {
  const to = Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : [];
  return to.flatMap((a) => a.value.map((v) => (v.address ?? '').toLowerCase()));
}

/** A header as it was written (unfolded), e.g. `List-Unsubscribe`. */
export function header(mail: ParsedMail, name: string): string | undefined {
  const line = mail.headerLines.find((h) => h.key === name.toLowerCase())?.line;
  return line?.replace(/\r?\n[ \t]+/g, ' ').replace(/^[^:]+:\s*/, '');
}

export class MailServer {
  readonly messages: ParsedMail[] = [];
  /** Each message as it arrived, byte for byte. */
  readonly raw = new Map<ParsedMail, Buffer>();
  /** Refusals at RCPT TO, by lower-cased address, decided per attempt (1, 2 …). */
  readonly refuse = new Map<string, (attempt: number) => Refusal>();
  /** Runs before a message is accepted; throwing refuses it. */
  onMessage: ((mail: ParsedMail) => Promise<void>) | undefined;
  port = 0;
  private readonly attempts = new Map<string, number>();
  private waiters: (() => void)[] = [];
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
        for (const wake of this.waiters.splice(0)) wake();
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

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
  }

  /** Messages to `address`; with `subject`, only that send's (each test uses its own subject). */
  to(address: string, subject?: string): ParsedMail[] {
    return this.messages.filter((m) => (subject === undefined || m.subject === subject) && recipients(m).includes(address.toLowerCase()));
  }

  withSubject(subject: string): ParsedMail[] {
    return this.messages.filter((m) => m.subject === subject);
  }

  /** The next message to `address` after the first `since` messages (for emails sent in the background). */
  async next(address: string, since: number, timeoutMs = 10_000): Promise<ParsedMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.slice(since).find((m) => recipients(m).includes(address.toLowerCase()));
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no email to ${address} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
