/**
 * A small pool of SMTP connections (nodemailer's SMTP client, one message at a
 * time per connection) that sends messages already built as bytes.
 *
 * Why not nodemailer's own pool: it builds every message through its mail
 * composer and a chain of streams (newline conversion, DKIM, last newline,
 * dot-stuffing), several hundred microseconds of JavaScript a message that a
 * newsletter send pays 100,000 times. A newsletter's messages are built once
 * per send and merged per reader (bulk-message.ts), so here each one is handed
 * to the connection as one buffer: one pass of dot-stuffing, one socket write.
 *
 * Connections open on demand up to `connections`, are reused, and are replaced
 * after `maxMessages` messages, an error, or when the server closes them. A
 * refused message (an SMTP 4xx/5xx to the envelope or the data) leaves the
 * connection usable after RSET. A message on a reused connection that fails
 * before a byte of it was written (the server had closed the idle connection)
 * is tried once more on a new connection: nothing can have been delivered.
 */
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { parseConnectionUrl } from 'nodemailer/lib/shared';

export interface SmtpLanesOptions {
  /** smtp:// or smtps:// URL, with credentials and options (`?requireTLS=true`, `tls.rejectUnauthorized=false` …) as nodemailer reads them. */
  url: string;
  connections: number;
  /** Messages a second across all connections. */
  ratePerSecond: number;
  /** Messages on one connection before it is replaced (default 100, as nodemailer's pool). */
  maxMessages?: number;
  connectionTimeoutMs?: number;
  socketTimeoutMs?: number;
  /** An unused connection is closed after this long (default 30 s, well inside common server timeouts). */
  idleTimeoutMs?: number;
}

export interface Envelope {
  from: string;
  to: string;
}

interface Lane {
  connection: SMTPConnection;
  messages: number;
  alive: boolean;
  /** Still counted in `open` (forgotten once, however it ends). */
  counted: boolean;
  idleTimer?: NodeJS.Timeout;
}

/** What nodemailer's SMTP client puts on its errors. */
interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
  command?: string;
}

/** The connection itself failed (as opposed to the server refusing a message). */
const isConnectionError = (error: SmtpError) => error.responseCode === 421 || ['ECONNECTION', 'ESOCKET', 'ETIMEDOUT', 'EPROTOCOL'].includes(error.code ?? '');

export class SmtpLanes {
  private readonly idle: Lane[] = [];
  private readonly waiting: ((lane: Lane | undefined) => void)[] = [];
  private open = 0;
  private closed = false;
  private readonly rate: RateLimiter;
  private readonly connectionOptions: SMTPConnection.Options;
  private readonly auth: { user: string; pass: string } | undefined;

  constructor(private readonly options: SmtpLanesOptions) {
    const parsed = parseConnectionUrl(options.url) as SMTPConnection.Options & { auth?: { user: string; pass: string } };
    const { auth, ...rest } = parsed;
    this.auth = auth && (auth.user || auth.pass) ? auth : undefined;
    this.connectionOptions = {
      ...rest,
      connectionTimeout: options.connectionTimeoutMs ?? 30_000,
      greetingTimeout: options.connectionTimeoutMs ?? 30_000,
      socketTimeout: options.socketTimeoutMs ?? 60_000,
      logger: false,
    };
    this.rate = new RateLimiter(options.ratePerSecond);
  }

  /** Resolves when the server accepted the message; rejects with nodemailer's error (its `responseCode` says 4xx or 5xx). */
  async send(envelope: Envelope, message: Buffer): Promise<void> {
    await this.rate.take();
    const lane = await this.acquire();
    const reused = lane.messages > 0;
    try {
      await this.sendOn(lane, envelope, message);
      this.release(lane);
    } catch (caught) {
      const error = caught as SmtpError;
      if (lane.alive && !isConnectionError(error)) {
        // The server refused this message; the connection is fine once its session is reset.
        this.reset(lane);
      } else {
        this.discard(lane);
        // The server had closed a connection we kept open: the envelope was never accepted, so nothing was
        // delivered and the message can go out on a fresh connection.
        if (reused && error.command !== 'DATA' && !error.responseCode) return this.send(envelope, message);
      }
      throw error;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const wake of this.waiting.splice(0)) wake(undefined);
    for (const lane of this.idle.splice(0)) this.discard(lane, true);
  }

  private sendOn(lane: Lane, envelope: Envelope, message: Buffer): Promise<void> {
    lane.messages++;
    return new Promise((resolve, reject) => {
      lane.connection.send({ from: envelope.from, to: [envelope.to] }, message, (error) => (error ? reject(error) : resolve()));
    });
  }

  private async acquire(): Promise<Lane> {
    if (this.closed) throw Object.assign(new Error('The SMTP connections are closed'), { code: 'ECONNECTION' });
    const lane = this.idle.pop();
    if (lane) {
      clearTimeout(lane.idleTimer);
      return lane;
    }
    if (this.open < this.options.connections) return this.connect();
    const next = await new Promise<Lane | undefined>((resolve) => this.waiting.push(resolve));
    return next ?? this.acquire();
  }

  /** Opens a connection (and signs in); counts against `connections` until discarded. */
  private async connect(): Promise<Lane> {
    this.open++;
    const connection = new SMTPConnection(this.connectionOptions);
    const lane: Lane = { connection, messages: 0, alive: true, counted: true };
    const gone = () => {
      if (!lane.alive) return;
      lane.alive = false;
      this.forget(lane);
    };
    // Without a listener an error would crash the process; the failing send reports it.
    connection.on('error', gone);
    connection.on('end', gone);
    try {
      await new Promise<void>((resolve, reject) => {
        connection.once('error', reject);
        connection.connect(() => {
          connection.removeListener('error', reject);
          resolve();
        });
      });
      if (this.auth) await new Promise<void>((resolve, reject) => connection.login(this.auth, (error) => (error ? reject(error) : resolve())));
      return lane;
    } catch (error) {
      this.discard(lane);
      throw error;
    }
  }

  private release(lane: Lane): void {
    if (!lane.alive || this.closed || lane.messages >= (this.options.maxMessages ?? 100)) {
      this.discard(lane, lane.alive);
      return;
    }
    const waiter = this.waiting.shift();
    if (waiter) return waiter(lane);
    lane.idleTimer = setTimeout(() => this.discard(lane, true), this.options.idleTimeoutMs ?? 30_000);
    lane.idleTimer.unref();
    this.idle.push(lane);
  }

  private reset(lane: Lane): void {
    lane.connection.reset((error) => (error ? this.discard(lane) : this.release(lane)));
  }

  /** Closes a connection for good (politely with QUIT when it still works) and lets a waiting sender open another. */
  private discard(lane: Lane, quit = false): void {
    clearTimeout(lane.idleTimer);
    const wasAlive = lane.alive;
    lane.alive = false;
    this.forget(lane);
    if (wasAlive && quit) lane.connection.quit();
    else lane.connection.close();
  }

  /** Takes a connection out of the count (once) and wakes a sender waiting for one. */
  private forget(lane: Lane): void {
    const index = this.idle.indexOf(lane);
    if (index !== -1) this.idle.splice(index, 1);
    if (!lane.counted) return;
    lane.counted = false;
    this.open--;
    this.waiting.shift()?.(undefined);
  }
}

/**
 * At most `perSecond` messages a second, evenly: a token bucket that holds one
 * second's worth, so a send starts at full speed and then keeps the pace.
 */
class RateLimiter {
  private tokens: number;
  private last = Date.now();
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly perSecond: number) {
    this.tokens = perSecond;
  }

  take(): Promise<void> {
    // One taker at a time, in order: each waits for the one before it.
    const turn = this.queue.then(() => this.wait());
    this.queue = turn;
    return turn;
  }

  private async wait(): Promise<void> {
    for (;;) {
      const now = Date.now();
      this.tokens = Math.min(this.perSecond, this.tokens + ((now - this.last) * this.perSecond) / 1000);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.ceil(((1 - this.tokens) * 1000) / this.perSecond)));
    }
  }
}
