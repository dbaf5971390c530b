/**
 * Postmark's bounce and spam-complaint webhooks (`RecordType: Bounce` with
 * `Type` HardBounce, SoftBounce …; `RecordType: SpamComplaint`; `Delivery`).
 * Postmark signs nothing; it sends the HTTP basic credentials written in the
 * webhook's URL (https://user:password@…/webhooks/newsletters/postmark), so
 * those are required (NEWSLETTER_POSTMARK_WEBHOOK_AUTH) and compared in
 * constant time. Events are remembered by Postmark's ID.
 */
import { Type } from '@sinclair/typebox';
import { safeEqual } from '../../accounts/tokens.js';
import type { MailEvent } from '../suppressions.service.js';
import { checker, parseJson, refuse, sha256, type Verdict } from './verdict.js';

const PostmarkRecord = Type.Object({
  RecordType: Type.String({ maxLength: 100 }),
  ID: Type.Optional(Type.Union([Type.Integer(), Type.String({ maxLength: 100 })])),
  MessageID: Type.Optional(Type.String({ maxLength: 200 })),
  Type: Type.Optional(Type.String({ maxLength: 100 })),
  Email: Type.Optional(Type.String({ maxLength: 320 })),
  Recipient: Type.Optional(Type.String({ maxLength: 320 })),
  Description: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  Details: Type.Optional(Type.Union([Type.String(), Type.Null()])),
});
const check = checker(PostmarkRecord);

/** Postmark bounce types that mean the address is gone for good, and those that may pass. */
const HARD = new Set(['HardBounce', 'BadEmailAddress', 'ManuallyDeactivated']);
const SOFT = new Set(['SoftBounce', 'Transient', 'DnsError']);

export function readPostmark(credentials: string, authorization: string | undefined, body: string): Verdict {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(authorization ?? '');
  if (!match) return refuse(401, 'HTTP basic credentials are required (put them in the webhook URL)');
  if (!safeEqual(Buffer.from(match[1]!, 'base64').toString('utf8'), credentials)) return refuse(403, 'Wrong credentials');

  const parsed = check(parseJson(body));
  if ('problem' in parsed) return refuse(400, `The body is not a Postmark webhook: ${parsed.problem}`);
  const record = parsed.value;
  const detail = [record.Description, record.Details].filter(Boolean).join(' — ');
  const events: MailEvent[] = [];
  const bounceType = record.Type ?? '';
  if (record.RecordType === 'SpamComplaint' || (record.RecordType === 'Bounce' && bounceType === 'SpamComplaint')) {
    if (!record.Email) return refuse(400, 'The complaint has no Email');
    events.push({ kind: 'complaint', email: record.Email, detail: detail || 'spam complaint' });
  } else if (record.RecordType === 'Bounce') {
    if (!record.Email) return refuse(400, 'The bounce has no Email');
    if (HARD.has(bounceType)) events.push({ kind: 'hard_bounce', email: record.Email, detail: `${bounceType}: ${detail}` });
    else if (SOFT.has(bounceType)) events.push({ kind: 'soft_bounce', email: record.Email, detail: `${bounceType}: ${detail}` });
    // Auto-responders, challenge verifications and the like say nothing about the mailbox.
  } else if (record.RecordType === 'Delivery' && record.Recipient) {
    events.push({ kind: 'delivered', email: record.Recipient });
  }
  // Postmark's IDs go past 2^53, where JSON numbers lose their last digits: the message id keeps two events apart.
  const eventKey = [record.RecordType, record.ID ?? '', record.MessageID ?? '', record.Type ?? '', record.Email ?? record.Recipient ?? ''].join(':');
  return { ok: true, eventKey: eventKey.length > 500 ? sha256(eventKey) : eventKey, digest: sha256(body), events };
}
