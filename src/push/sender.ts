/**
 * One push request through `web-push`, and what its outcome means for the
 * delivery. Requests go through one keep-alive HTTPS agent whose DNS lookup
 * refuses special-use addresses (see endpoint-guard.ts).
 */
import https from 'node:https';
import fs from 'node:fs';
import tls from 'node:tls';
import webpush, { WebPushError } from 'web-push';
import type { PushConfig } from '../config.js';
import type { PushUrgency } from '../db/schema.js';
import { safeLookup } from './endpoint-guard.js';
import type { VapidKeys } from './vapid.js';

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

  constructor(
    private readonly config: PushConfig,
    private readonly keys: VapidKeys,
  ) {
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

  async send(message: PushMessage): Promise<SendOutcome> {
    try {
      await webpush.sendNotification({ endpoint: message.endpoint, keys: { p256dh: message.p256dh, auth: message.auth } }, message.payload, {
        TTL: message.ttlSeconds,
        urgency: message.urgency,
        topic: message.topic,
        contentEncoding: 'aes128gcm',
        headers: this.authorization(message.endpoint),
        agent: this.agent,
        timeout: REQUEST_TIMEOUT_MS,
      });
      return { kind: 'sent' };
    } catch (error) {
      return classify(error);
    }
  }

  close(): void {
    this.agent.destroy();
  }
}

function classify(error: unknown): SendOutcome {
  if (error instanceof WebPushError) {
    const status = error.statusCode;
    if (status === 404 || status === 410) return { kind: 'gone', status };
    const text = `push service answered ${status}${error.body ? `: ${String(error.body).slice(0, 200)}` : ''}`;
    if (status === 429 || status >= 500) return { kind: 'retry', error: text, retryAfterMs: retryAfterMs(error.headers?.['retry-after'], Date.now()) };
    return { kind: 'failed', error: text };
  }
  const code = (error as { code?: unknown })?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'EPUSHADDRESS') return { kind: 'failed', error: message };
  if (typeof code === 'string' && NOT_SENT_CODES.has(code)) return { kind: 'retry', error: `${code}: ${message}` };
  return { kind: 'unknown', error: message };
}
