/**
 * A Web Push service in the test process, speaking what real ones speak
 * (RFC 8030) over HTTPS with a certificate made for the run, so that the
 * product sends to it through `web-push` exactly as in production. For every
 * request it checks the VAPID authorization (RFC 8292: an ES256 JWT signed
 * with the key in `k=`, `aud` the endpoint's origin, `exp` within 24 hours, a
 * `sub`), decrypts the `aes128gcm` payload (RFC 8291, RFC 8188) with the keys
 * the test made for that subscription, and answers what the test scripted:
 * 201 by default, or 404, 410, 429 (with Retry-After) or 500.
 */
import { createECDH, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { decryptPush, makeLocalCertificate, verifyVapid, type LocalCertificate, type SubscriberKeys } from '../../bench/push-service-kit.js';

export interface TestSubscription {
  /** The JSON a browser's PushSubscription.toJSON() gives. */
  json: { endpoint: string; keys: { p256dh: string; auth: string } };
  id: string;
}

export interface ReceivedPush {
  subscriptionId: string;
  status: number;
  ttl: string | undefined;
  urgency: string | undefined;
  topic: string | undefined;
  /** The decrypted payload (parsed JSON). */
  payload: any;
  payloadBytes: number;
  vapid: { publicKey: string; claims: { aud: string; exp: number; sub: string } };
}

export interface Scripted {
  status: number;
  retryAfter?: string;
}


const b64u = (b: Buffer) => b.toString('base64url');

export class TestPushService {
  readonly received: ReceivedPush[] = [];
  /** Requests refused for a bad VAPID token or undecryptable body (a test expecting none checks this is empty). */
  readonly refused: { subscriptionId: string; reason: string }[] = [];
  private readonly keys = new Map<string, SubscriberKeys>();
  private readonly scripts = new Map<string, Scripted[]>();
  private server!: https.Server;
  private tls!: LocalCertificate;
  origin = '';
  /** Holds the response of every request while set (to simulate a slow push service). */
  hold: Promise<void> | undefined;

  get caFile(): string {
    return this.tls.certFile;
  }

  async start(): Promise<this> {
    this.tls = makeLocalCertificate();
    this.server = https.createServer({ cert: this.tls.cert, key: this.tls.key }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void this.handle(req, Buffer.concat(chunks)).then(({ status, headers }) => {
          res.writeHead(status, headers);
          res.end();
        });
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.origin = `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    fs.rmSync(this.tls.dir, { recursive: true, force: true });
  }

  /** A new browser subscription on this service, with keys only the test (and the product) know. */
  subscription(): TestSubscription {
    const ecdh = createECDH('prime256v1');
    const publicKey = ecdh.generateKeys();
    const auth = randomBytes(16);
    const id = randomBytes(9).toString('base64url');
    this.keys.set(id, { ecdh, publicKey, auth });
    return { id, json: { endpoint: `${this.origin}/wpush/v2/${id}`, keys: { p256dh: b64u(publicKey), auth: b64u(auth) } } };
  }

  /** The next answers for one subscription, in order (then 201 again). */
  script(subscriptionId: string, ...answers: Scripted[]): void {
    this.scripts.set(subscriptionId, [...(this.scripts.get(subscriptionId) ?? []), ...answers]);
  }

  deliveredTo(subscriptionId: string): ReceivedPush[] {
    return this.received.filter((r) => r.subscriptionId === subscriptionId && r.status === 201);
  }

  private async handle(req: import('node:http').IncomingMessage, body: Buffer): Promise<{ status: number; headers: Record<string, string> }> {
    if (this.hold) await this.hold;
    const id = /^\/wpush\/v2\/([A-Za-z0-9_-]+)$/.exec(req.url ?? '')?.[1];
    const keys = id ? this.keys.get(id) : undefined;
    if (!id || !keys || req.method !== 'POST') return { status: 404, headers: {} };
    let vapid: ReceivedPush['vapid'];
    let payload: Buffer;
    try {
      vapid = this.checkVapid(String(req.headers.authorization ?? ''));
      if (req.headers['content-encoding'] !== 'aes128gcm') throw new Error(`Content-Encoding ${String(req.headers['content-encoding'])}`);
      if (!/^\d+$/.test(String(req.headers.ttl ?? ''))) throw new Error('no TTL header');
      payload = decryptPush(body, keys);
    } catch (error) {
      this.refused.push({ subscriptionId: id, reason: (error as Error).message });
      return { status: 400, headers: {} };
    }
    const answer = this.scripts.get(id)?.shift() ?? { status: 201 };
    const text = payload.toString('utf8');
    this.received.push({
      subscriptionId: id,
      status: answer.status,
      ttl: req.headers.ttl as string | undefined,
      urgency: req.headers.urgency as string | undefined,
      topic: req.headers.topic as string | undefined,
      payload: JSON.parse(text),
      payloadBytes: payload.length,
      vapid,
    });
    return { status: answer.status, headers: answer.retryAfter ? { 'retry-after': answer.retryAfter } : {} };
  }

  /** RFC 8292 (bench/push-service-kit.ts); throws with the reason when anything is wrong. */
  private checkVapid(header: string): ReceivedPush['vapid'] {
    return verifyVapid(header, this.origin);
  }
}
