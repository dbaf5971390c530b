/**
 * The mailto: in every newsletter's List-Unsubscribe header
 * (`mailto:<reply-to>?subject=unsubscribe%20<token>`): mail clients that know
 * no one-click URL send an email there. Where that mailbox's mail service can
 * hand incoming mail to a webhook, these endpoints read the subject and
 * unsubscribe the reader from that newsletter, exactly as the one-click URL
 * does (the token is the same signed, per-reader, per-newsletter token):
 *
 *   POST /webhooks/newsletters/inbound/ses       SES receiving, a receipt rule's SNS action (signed by AWS)
 *   POST /webhooks/newsletters/inbound/postmark  Postmark inbound webhook (basic credentials in the URL)
 *   POST /webhooks/newsletters/inbound/generic   the raw email (or JSON `{ "subject": … }`), signed like /generic
 *
 * Anything that is not an unsubscribe request (a reply, an auto-responder, a
 * bad token) is acknowledged and left alone: the provider could do nothing
 * better with an error, and the email still reaches the mailbox if it was
 * also delivered there.
 */
import { Type } from '@sinclair/typebox';
import { safeEqual } from '../../accounts/tokens.js';
import { checker, parseJson, refuse, type Refusal } from './verdict.js';

/** The subject an unsubscribe request carries: `unsubscribe <token>`, maybe behind a client's "Re:" or "Fwd:". */
export function unsubscribeTokenIn(subject: string): string | undefined {
  return /(?:^|\s|:)unsubscribe\s+([A-Za-z0-9._~-]{8,300})\s*$/i.exec(subject.trim())?.[1];
}

const PostmarkInbound = Type.Object({ Subject: Type.Optional(Type.String({ maxLength: 2000 })), MessageID: Type.Optional(Type.String({ maxLength: 200 })) });
const checkPostmark = checker(PostmarkInbound);

/** Postmark's inbound webhook: the same basic credentials as its bounce webhook (NEWSLETTER_POSTMARK_WEBHOOK_AUTH). */
export function readPostmarkInbound(credentials: string, authorization: string | undefined, body: string): { ok: true; subject: string } | Refusal {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(authorization ?? '');
  if (!match) return refuse(401, 'HTTP basic credentials are required (put them in the webhook URL)');
  if (!safeEqual(Buffer.from(match[1]!, 'base64').toString('utf8'), credentials)) return refuse(403, 'Wrong credentials');
  const parsed = checkPostmark(parseJson(body));
  if ('problem' in parsed) return refuse(400, `The body is not a Postmark inbound message: ${parsed.problem}`);
  return { ok: true, subject: parsed.value.Subject ?? '' };
}

const GenericInbound = Type.Object({ subject: Type.String({ maxLength: 2000 }) });
const checkGeneric = checker(GenericInbound);

/**
 * The subject of a generic inbound request: JSON `{ "subject": … }`, or the
 * email as received (RFC 5322), whose Subject field is read (unfolded,
 * encoded words decoded).
 */
export function genericInboundSubject(contentType: string | undefined, body: string): { ok: true; subject: string } | Refusal {
  if (/^application\/json\b/i.test(contentType ?? '')) {
    const parsed = checkGeneric(parseJson(body));
    if ('problem' in parsed) return refuse(400, `The body must be {"subject": "…"}: ${parsed.problem}`);
    return { ok: true, subject: parsed.value.subject };
  }
  const end = body.search(/\r?\n\r?\n/);
  const head = (end === -1 ? body : body.slice(0, end)).replace(/\r?\n(?=[ \t])/g, '');
  const field = /^subject:[ \t]*(.*)$/im.exec(head);
  if (!/^[\x21-\x39\x3b-\x7e]+:/m.test(head)) return refuse(400, 'The body is neither JSON nor an email (no header fields)');
  return { ok: true, subject: decodeWords(field?.[1] ?? '') };
}

/** RFC 2047 encoded words (`=?UTF-8?Q?…?=`, `=?UTF-8?B?…?=`) in a header value; adjacent words join without the space between. */
export function decodeWords(value: string): string {
  return value
    .replace(/(=\?[^?]+\?[QqBb]\?[^?]*\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_all, charset: string, encoding: string, text: string) => {
      const bytes = encoding.toUpperCase() === 'B' ? Buffer.from(text, 'base64') : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1');
      try {
        return new TextDecoder(charset.toLowerCase().split('*')[0]).decode(bytes);
      } catch {
        return bytes.toString('latin1');
      }
    });
}
