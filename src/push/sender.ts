/**
 * Push requests made by `web-push` (encryption, VAPID and headers, on a
 * worker thread: encryption-worker.ts), sent over one keep-alive HTTPS agent
 * whose DNS lookup refuses special-use addresses (see endpoint-guard.ts), and
 * what each answer means for the delivery.
 */
import https from 'node:https';
import fs from 'node:fs';
import tls from 'node:tls';
import webpush from 'web-push';
import type { PushConfig } from '../config.js';
import type { PushUrgency } from '../db/schema.js';
import { safeLookup } from './endpoint-guard.js';
import type { VapidKeys } from './vapid.js';
import { EncryptionWorker, type PreparedRequest } from './encryption-worker.js';

export type SendOutcome =
  | { kind: 'sent' }
  /** 404/410: the subscription no longer exists; remove it. */
  | { kind: 'gone'; status: number }
  /** 429/5xx or no connection: the push service did not take it; try again after `retryAfterMs` (when it said). */
  | { kind: 'retry'; error: string; retryAfterMs?: number }
  /** Refused for good (400, 401, 403, 413 ...). */
  | { kind: 'failed'; error: string }
  /** The request may have reached the push service (timeout, reset): not sent again. */
  | { kind: 'unknown'; error: string };

export interface PushMessage {
  endpoint: string;
  p256dh: string;
  auth: string;
  payload: string;
  ttlSeconds: number;
  urgency: PushUrgency;
  /** Push services keep only the newest undelivered message per topic for a device. */
  topic: string;
}

/** A message ready to go: its endpoint and what `web-push` made of it (or why it could not). */
export interface PreparedPush {
  endpoint: string;
  request: PreparedRequest;
}

/** Errors raised before a request was written: nothing reached the push service, so trying again is safe. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const REQUEST_TIMEOUT_MS = 30_000;
/** A VAPID token is valid for 12 hours; one is reused for an hour per push service. */
const VAPID_TOKEN_SECONDS = 12 * 3600;
const VAPID_REUSE_MS = 3600_000;

/** Retry-After as seconds or an HTTP date, in milliseconds from now (undefined when absent or unreadable). */
export function retryAfterMs(value: string | string[] | undefined, now: number): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw) return undefined;
  if (/^\d+$/.test(raw.trim())) return Number(raw.trim()) * 1000;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export class PushSender {
  private readonly agent: https.Agent;
  private readonly vapidHeaders = new Map<string, { headers: Record<string, string>; until: number }>();
  private readonly encryption: EncryptionWorker;

  constructor(
    private readonly config: PushConfig,
    private readonly keys: VapidKeys,
    onWorkerError: (error: unknown) => void = () => undefined,
  ) {
    this.encryption = new EncryptionWorker(onWorkerError);
    const testCa = config.testCaFile ? fs.readFileSync(config.testCaFile, 'utf8') : undefined;
    this.agent = new https.Agent({
      keepAlive: true,
      maxSockets: 64,
      ...(config.allowLocalEndpoints ? {} : { lookup: safeLookup }),
      // One context made once: given as `ca`, the agent would join every root certificate into each request's pool name
      // and parse them again for each connection (measured: most of the sender's CPU in the fan-out bench).
      ...(testCa ? { secureContext: tls.createSecureContext({ ca: [...tls.rootCertificates, testCa] }) } : {}),
    });
  }

  /** The VAPID Authorization header for one push service (its origin is the token's audience). */
  private authorization(endpoint: string): Record<string, string> {
    const audience = new URL(endpoint).origin;
    const now = Date.now();
    const cached = this.vapidHeaders.get(audience);
    if (cached && cached.until > now) return cached.headers;
    const headers = webpush.getVapidHeaders(audience, this.config.subject, this.keys.publicKey, this.keys.privateKey, 'aes128gcm', Math.floor(now / 1000) + VAPID_TOKEN_SECONDS) as Record<string, string>;
    this.vapidHeaders.set(audience, { headers, until: now + VAPID_REUSE_MS });
    return headers;
  }

  /** Encrypts and signs a batch (on the worker thread), results in order. */
  async prepare(messages: readonly PushMessage[]): Promise<PreparedPush[]> {
    const requests = await this.encryption.prepare(
      messages.map((m) => ({
        endpoint: m.endpoint,
        p256dh: m.p256dh,
        auth: m.auth,
        payload: m.payload,
        options: { TTL: m.ttlSeconds, urgency: m.urgency, topic: m.topic, headers: this.authorization(m.endpoint) },
      })),
    );
    return messages.map((m, i) => ({ endpoint: m.endpoint, request: requests[i]! }));
  }

  /** Sends one prepared message (as `web-push`'s sendNotification would) and says what the answer means. */
  deliver(prepared: PreparedPush): Promise<SendOutcome> {
    const { request } = prepared;
    // Nothing was sent: a key that does not decode will not decode next time either.
    if (!request.ok) return Promise.resolve({ kind: 'failed', error: request.error });
    return new Promise((resolve) => {
      let req: ReturnType<typeof https.request>;
      try {
        req = https.request(prepared.endpoint, { method: 'POST', headers: request.headers, agent: this.agent, timeout: REQUEST_TIMEOUT_MS }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            if (text.length < 1000) text += chunk;
          });
          res.on('end', () => resolve(answerOutcome(res.statusCode ?? 0, res.headers['retry-after'], text)));
          res.on('error', (error) => resolve(classify(error)));
        });
      } catch (error) {
        // An endpoint Node cannot even make a request for: nothing was sent.
        resolve({ kind: 'failed', error: error instanceof Error ? error.message : String(error) });
        return;
      }
      req.on('timeout', () => req.destroy(new Error('Socket timeout')));
      req.on('error', (error) => resolve(classify(error)));
      req.end(request.body);
    });
  }

  async close(): Promise<void> {
    this.agent.destroy();
    await this.encryption.close();
  }
}

/** What the push service's answer means (RFC 8030 §5, §8.4). */
function answerOutcome(status: number, retryAfter: string | string[] | undefined, body: string): SendOutcome {
  if (status >= 200 && status <= 299) return { kind: 'sent' };
  if (status === 404 || status === 410) return { kind: 'gone', status };
  const text = `push service answered ${status}${body ? `: ${body.slice(0, 200)}` : ''}`;
  if (status === 429 || status >= 500) return { kind: 'retry', error: text, retryAfterMs: retryAfterMs(retryAfter, Date.now()) };
  return { kind: 'failed', error: text };
}

function classify(error: unknown): SendOutcome {
  const code = (error as { code?: unknown })?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'EPUSHADDRESS') return { kind: 'failed', error: message };
  if (typeof code === 'string' && NOT_SENT_CODES.has(code)) return { kind: 'retry', error: `${code}: ${message}` };
  return { kind: 'unknown', error: message };
}
