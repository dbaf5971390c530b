/**
 * The push fan-out benchmark's push service: an HTTPS server in its own
 * process (so it does not share an event loop with the sender being
 * measured), with a certificate made for the run. Like a real push service
 * it refuses a request without a valid VAPID authorization (the ES256
 * signature is verified once per distinct token: the sender reuses one for an
 * hour), without `Content-Encoding: aes128gcm`, a TTL or a body of at most
 * 4,096 bytes, and answers 201 otherwise. The subscriptions whose keys the
 * parent hands over (a sample) have their payload decrypted and checked.
 *
 * IPC with the parent (bench/push-fanout.ts, through `fork`):
 *   → { type: 'ready', port, caFile }
 *   ← { type: 'sample', keys: [{ id, privateKey, publicKey, auth }] } (base64url) → { type: 'sampled' }
 *   ← { type: 'count' } → { type: 'count', accepted, refused, decrypted, bytes, connections, reasons }
 */
import { createECDH } from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { decryptPush, makeLocalCertificate, verifyVapid, type SubscriberKeys } from './push-service-kit.js';

export interface SampleKey {
  id: number;
  privateKey: string;
  publicKey: string;
  auth: string;
}

export interface SinkCount {
  accepted: number;
  refused: number;
  decrypted: number;
  bytes: number;
  /** TLS connections the sender opened (a keep-alive sender opens few). */
  connections: number;
  /** The first few reasons for refusals, to say what went wrong. */
  reasons: string[];
}

const certificate = makeLocalCertificate();
let origin = '';
const verifiedTokens = new Set<string>();
const sample = new Map<number, SubscriberKeys>();
const count: SinkCount = { accepted: 0, refused: 0, decrypted: 0, bytes: 0, connections: 0, reasons: [] };

function check(path: string | undefined, headers: import('node:http').IncomingHttpHeaders, body: Buffer): void {
  const id = /^\/push\/(\d+)$/.exec(path ?? '')?.[1];
  if (!id) throw new Error(`no such endpoint ${String(path)}`);
  const authorization = String(headers.authorization ?? '');
  if (!verifiedTokens.has(authorization)) {
    verifyVapid(authorization, origin);
    verifiedTokens.add(authorization);
  }
  if (headers['content-encoding'] !== 'aes128gcm') throw new Error(`Content-Encoding ${String(headers['content-encoding'])}`);
  if (!/^\d+$/.test(String(headers.ttl ?? ''))) throw new Error('no TTL header');
  if (body.length > 4096) throw new Error(`a body of ${body.length} bytes`);
  const keys = sample.get(Number(id));
  if (keys) {
    const payload = JSON.parse(decryptPush(body, keys).toString('utf8')) as { title?: unknown; url?: unknown };
    if (typeof payload.title !== 'string' || typeof payload.url !== 'string') throw new Error('the payload has no title or url');
    count.decrypted++;
  }
}

const server = https.createServer({ cert: certificate.cert, key: certificate.key, keepAliveTimeout: 30_000 }, (req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    try {
      if (req.method !== 'POST') throw new Error(`method ${String(req.method)}`);
      check(req.url, req.headers, body);
      count.accepted++;
      count.bytes += body.length;
      res.writeHead(201, { location: `${origin}/message/${count.accepted}` });
    } catch (error) {
      count.refused++;
      if (count.reasons.length < 5) count.reasons.push((error as Error).message);
      res.writeHead(400);
    }
    res.end();
  });
});
server.on('secureConnection', () => count.connections++);
// A sender that goes away mid-request is not the push service's problem.
server.on('clientError', (_error, socket) => socket.destroy());

process.on('message', (message: { type?: string; keys?: SampleKey[] }) => {
  if (message?.type === 'count') process.send?.({ type: 'count', ...count });
  if (message?.type === 'sample') {
    for (const k of message.keys ?? []) {
      const ecdh = createECDH('prime256v1');
      ecdh.setPrivateKey(Buffer.from(k.privateKey, 'base64url'));
      sample.set(k.id, { ecdh, publicKey: Buffer.from(k.publicKey, 'base64url'), auth: Buffer.from(k.auth, 'base64url') });
    }
    process.send?.({ type: 'sampled' });
  }
});
process.on('disconnect', () => {
  fs.rmSync(certificate.dir, { recursive: true, force: true });
  process.exit(0);
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  origin = `https://127.0.0.1:${port}`;
  process.send?.({ type: 'ready', port, caFile: certificate.certFile });
});
