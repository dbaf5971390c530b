/**
 * Our own webhook format, for any mail service we have no module for (a relay
 * script, a mailbox parser): `POST /webhooks/newsletters/generic` with JSON
 * `{ type: "bounce" | "complaint", email, permanent?, detail? }`, signed
 * `X-Broadsheet-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`
 * with NEWSLETTER_WEBHOOK_SECRET (docs/newsletters.md). The time is signed and
 * must be within 5 minutes, so a captured request stops working; a replay
 * within those minutes is recognised by its signature and changes nothing.
 */
import { createHmac } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { safeEqual } from '../../accounts/tokens.js';
import { checker, parseJson, refuse, sha256, type Refusal, type Verdict } from './verdict.js';

export const GENERIC_TOLERANCE_MS = 5 * 60_000;

const GenericEvent = Type.Object(
  {
    type: Type.Union([Type.Literal('bounce'), Type.Literal('complaint')]),
    email: Type.String({ minLength: 3, maxLength: 320 }),
    /** A bounce that will not go away (no such mailbox); default false: a soft bounce. */
    permanent: Type.Optional(Type.Boolean()),
    detail: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
const check = checker(GenericEvent);

/** The header value for a body: what a sender computes (and what the tests sign with). */
export function genericSignature(secret: string, body: string, unixSeconds: number): string {
  return `t=${unixSeconds},v1=${createHmac('sha256', secret).update(`${unixSeconds}.${body}`, 'utf8').digest('hex')}`;
}

/** Checks X-Broadsheet-Signature for `body`: the signature itself (a replay's key), or why not. */
export function verifyGenericSignature(secret: string, header: string | undefined, body: string, now: Date): { ok: true; signature: string } | Refusal {
  if (!header) return refuse(401, 'X-Broadsheet-Signature is missing');
  const parts = new Map<string, string[]>();
  for (const part of header.split(',')) {
    const [k, v] = part.trim().split('=', 2);
    if (k && v) parts.set(k, [...(parts.get(k) ?? []), v]);
  }
  const t = parts.get('t')?.[0];
  const signatures = parts.get('v1') ?? [];
  if (!t || !/^\d{1,12}$/.test(t) || signatures.length === 0) return refuse(401, 'X-Broadsheet-Signature must be t=<unix seconds>,v1=<hex>');
  const expected = createHmac('sha256', secret).update(`${t}.${body}`, 'utf8').digest('hex');
  const match = signatures.find((s) => safeEqual(s.toLowerCase(), expected));
  if (!match) return refuse(403, 'The signature does not match');
  if (Math.abs(now.getTime() - Number(t) * 1000) > GENERIC_TOLERANCE_MS) return refuse(403, 'The signature is more than 5 minutes old (or its clock is wrong)');
  return { ok: true, signature: expected };
}

export function readGeneric(secret: string, header: string | undefined, body: string, now: Date): Verdict {
  const signed = verifyGenericSignature(secret, header, body, now);
  if (!signed.ok) return signed;
  const parsed = check(parseJson(body));
  if ('problem' in parsed) return refuse(400, `The body is not a broadsheet bounce event: ${parsed.problem}`);
  const event = parsed.value;
  const detail = event.detail ?? '';
  const kind = event.type === 'complaint' ? 'complaint' : event.permanent ? 'hard_bounce' : 'soft_bounce';
  return { ok: true, eventKey: signed.signature, digest: sha256(body), events: [{ kind, email: event.email, detail }] };
}
