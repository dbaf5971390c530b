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
import { createECDH, createPublicKey, createDecipheriv, hkdfSync, randomBytes, verify } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';

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

interface Keys {
  ecdh: ReturnType<typeof createECDH>;
  publicKey: Buffer;
  auth: Buffer;
}

const b64u = (b: Buffer) => b.toString('base64url');

/** A certificate for 127.0.0.1 made with openssl for this run (the product trusts it through PUSH_TEST_CA_FILE). */
function makeCertificate(): { dir: string; cert: string; key: string; certFile: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'push-service-'));
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  return { dir, cert: fs.readFileSync(certFile, 'utf8'), key: fs.readFileSync(keyFile, 'utf8'), certFile };
}

export class TestPushService {
  readonly received: ReceivedPush[] = [];
  /** Requests refused for a bad VAPID token or undecryptable body (a test expecting none checks this is empty). */
  readonly refused: { subscriptionId: string; reason: string }[] = [];
  private readonly keys = new Map<string, Keys>();
  private readonly scripts = new Map<string, Scripted[]>();
  private server!: https.Server;
  private tls!: ReturnType<typeof makeCertificate>;
  origin = '';
  /** Holds the response of every request while set (to simulate a slow push service). */
  hold: Promise<void> | undefined;

  get caFile(): string {
    return this.tls.certFile;
  }

  async start(): Promise<this> {
    this.tls = makeCertificate();
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
      payload = decrypt(body, keys);
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

  /** RFC 8292: `vapid t=<JWT>, k=<P-256 public key>`; throws with the reason when anything is wrong. */
  private checkVapid(header: string): ReceivedPush['vapid'] {
    const match = /^vapid t=([A-Za-z0-9_.-]+),\s*k=([A-Za-z0-9_-]+)$/.exec(header);
    if (!match) throw new Error(`Authorization is not "vapid t=…, k=…": ${header}`);
    const [, token, k] = match as unknown as [string, string, string];
    const [h, p, s] = token.split('.');
    if (!h || !p || !s) throw new Error('the JWT does not have three parts');
    const jwtHeader = JSON.parse(Buffer.from(h, 'base64url').toString());
    if (jwtHeader.alg !== 'ES256') throw new Error(`JWT alg ${jwtHeader.alg}`);
    const point = Buffer.from(k, 'base64url');
    if (point.length !== 65 || point[0] !== 4) throw new Error('k is not an uncompressed P-256 point');
    const key = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: b64u(point.subarray(1, 33)), y: b64u(point.subarray(33)) }, format: 'jwk' });
    if (!verify('sha256', Buffer.from(`${h}.${p}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url'))) throw new Error('the JWT signature does not verify with k');
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    if (claims.aud !== this.origin) throw new Error(`aud ${claims.aud} is not ${this.origin}`);
    const now = Math.floor(Date.now() / 1000);
    if (typeof claims.exp !== 'number' || claims.exp <= now || claims.exp > now + 24 * 3600) throw new Error(`exp ${claims.exp} is not within 24 hours`);
    if (typeof claims.sub !== 'string' || !/^(mailto:|https:)/.test(claims.sub)) throw new Error(`sub ${claims.sub}`);
    return { publicKey: k, claims };
  }
}

/** RFC 8291 + RFC 8188: one aes128gcm record, keyed by the subscription's private key and auth secret. */
function decrypt(body: Buffer, keys: Keys): Buffer {
  const salt = body.subarray(0, 16);
  const recordSize = body.readUInt32BE(16);
  const idLength = body[20]!;
  const senderPublic = body.subarray(21, 21 + idLength);
  const ciphertext = body.subarray(21 + idLength);
  if (idLength !== 65) throw new Error('keyid is not the 65-byte sender key');
  if (ciphertext.length > recordSize) throw new Error('more than one record');
  const shared = keys.ecdh.computeSecret(senderPublic);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), keys.publicKey, senderPublic]);
  const ikm = Buffer.from(hkdfSync('sha256', shared, keys.auth, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
  const padded = Buffer.concat([decipher.update(ciphertext.subarray(0, ciphertext.length - 16)), decipher.final()]);
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (padded[end] !== 2) throw new Error('the last record does not end with the 0x02 delimiter');
  return padded.subarray(0, end);
}
