/**
 * Mailgun's webhooks (JSON: `signature { timestamp, token, signature }` and
 * `event-data`). The signature is HMAC-SHA256 of timestamp + token with the
 * webhook signing key (NEWSLETTER_MAILGUN_SIGNING_KEY) and does not cover the
 * body, so a captured signature could be put on another body: timestamps
 * older than 15 minutes are refused, and each token is remembered with the
 * event it came with. The same token with the same event is a retry (nothing
 * to do); with another event it is refused.
 */
import { createHmac } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { safeEqual } from '../../accounts/tokens.js';
import type { MailEvent } from '../suppressions.service.js';
import { checker, parseJson, refuse, sha256, type Verdict } from './verdict.js';

export const MAILGUN_TOLERANCE_MS = 15 * 60_000;

const MailgunWebhook = Type.Object({
  signature: Type.Object({
    timestamp: Type.String({ pattern: '^\\d{1,12}$' }),
    token: Type.String({ minLength: 10, maxLength: 200 }),
    signature: Type.String({ pattern: '^[0-9a-fA-F]{64}$' }),
  }),
  'event-data': Type.Object({
    event: Type.String({ maxLength: 100 }),
    id: Type.Optional(Type.String({ maxLength: 200 })),
    recipient: Type.Optional(Type.String({ maxLength: 320 })),
    severity: Type.Optional(Type.String({ maxLength: 50 })),
    reason: Type.Optional(Type.String({ maxLength: 200 })),
    'delivery-status': Type.Optional(
      Type.Object({
        code: Type.Optional(Type.Union([Type.Integer(), Type.String({ maxLength: 20 })])),
        message: Type.Optional(Type.String()),
        description: Type.Optional(Type.String()),
        'attempt-no': Type.Optional(Type.Integer()),
      }),
    ),
  }),
});
const Envelope = Type.Object({ signature: Type.Object({ timestamp: Type.String(), token: Type.String(), signature: Type.String() }) });
const checkEnvelope = checker(Envelope);
const check = checker(MailgunWebhook);

export function mailgunSignature(signingKey: string, timestamp: string, token: string): string {
  return createHmac('sha256', signingKey).update(timestamp + token, 'utf8').digest('hex');
}

export function readMailgun(signingKey: string, body: string, now: Date): Verdict {
  const json = parseJson(body);
  // The signature first: nothing else is looked at until it is checked.
  const envelope = checkEnvelope(json);
  if ('problem' in envelope) return refuse(401, 'The Mailgun signature is missing or malformed');
  const { timestamp, token, signature } = envelope.value.signature;
  if (!safeEqual(signature.toLowerCase(), mailgunSignature(signingKey, timestamp, token))) return refuse(403, 'The signature does not match');
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(now.getTime() - Number(timestamp) * 1000) > MAILGUN_TOLERANCE_MS) {
    return refuse(403, 'The signature is more than 15 minutes old (or its clock is wrong)');
  }

  const parsed = check(json);
  if ('problem' in parsed) return refuse(400, `The body is not a Mailgun webhook: ${parsed.problem}`);
  const data = parsed.value['event-data'];
  const status = data['delivery-status'];
  const detail = [status?.code, status?.message || status?.description, data.reason].filter((x) => x !== undefined && x !== '').join(' ');
  const events: MailEvent[] = [];
  if (data.recipient) {
    if (data.event === 'failed' && data.severity === 'permanent') events.push({ kind: 'hard_bounce', email: data.recipient, detail });
    // Mailgun reports every retry of one message: only its first counts as a soft bounce (a message that
    // never gets through ends as a permanent failure, which suppresses).
    else if (data.event === 'failed' && data.severity === 'temporary') {
      if ((status?.['attempt-no'] ?? 1) <= 1) events.push({ kind: 'soft_bounce', email: data.recipient, detail });
    }
    else if (data.event === 'complained') events.push({ kind: 'complaint', email: data.recipient, detail: detail || 'spam complaint' });
    else if (data.event === 'delivered') events.push({ kind: 'delivered', email: data.recipient });
  }
  return { ok: true, eventKey: token, digest: sha256(JSON.stringify(data)), events };
}
