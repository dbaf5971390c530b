/**
 * A subscription's keys as the browser gives them (PushSubscription.toJSON()):
 * `p256dh` the client's P-256 public key, uncompressed (65 bytes: 0x04, x, y),
 * and `auth` the 16-byte authentication secret (RFC 8291), both base64url.
 * Keys that do not decode to those would make every send to them fail.
 */
import { createPublicKey } from 'node:crypto';

const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;

function decode(value: string): Buffer | undefined {
  if (!BASE64URL.test(value)) return undefined;
  return Buffer.from(value.replace(/=+$/, ''), 'base64url');
}

/** Why the p256dh key is unusable, or undefined when it is a point on P-256. */
export function p256dhProblem(value: string): string | undefined {
  const bytes = decode(value);
  if (!bytes || bytes.length !== 65 || bytes[0] !== 0x04) return 'keys.p256dh must be a base64url uncompressed P-256 public key (65 bytes starting with 0x04)';
  try {
    // Importing as a JWK checks that the point is on the curve.
    createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: bytes.subarray(1, 33).toString('base64url'), y: bytes.subarray(33).toString('base64url') }, format: 'jwk' });
  } catch {
    return 'keys.p256dh is not a point on the P-256 curve';
  }
  return undefined;
}

export function authProblem(value: string): string | undefined {
  const bytes = decode(value);
  return bytes && bytes.length === 16 ? undefined : 'keys.auth must be a base64url 16-byte secret';
}

/** The canonical form we store and send: base64url without padding. */
export const canonicalKey = (value: string): string => value.replace(/=+$/, '');
