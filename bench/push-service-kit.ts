/**
 * What a local Web Push service needs, shared by the tests' push service
 * (test/support/push-service.ts) and the fan-out benchmark's (bench/push-sink.ts):
 * a TLS certificate for 127.0.0.1 made for the run, the VAPID check (RFC 8292)
 * and the `aes128gcm` decryption (RFC 8291, RFC 8188) with the subscription's keys.
 */
import { createDecipheriv, createPublicKey, hkdfSync, verify, type ECDH } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface LocalCertificate {
  dir: string;
  cert: string;
  key: string;
  /** The certificate's file: the product trusts it through PUSH_TEST_CA_FILE. */
  certFile: string;
}

/** A self-signed P-256 certificate for 127.0.0.1, made with openssl in a temporary folder (remove `dir` afterwards). */
export function makeLocalCertificate(): LocalCertificate {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'push-service-'));
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  return { dir, cert: fs.readFileSync(certFile, 'utf8'), key: fs.readFileSync(keyFile, 'utf8'), certFile };
}

export interface SubscriberKeys {
  /** The subscription's private side (the browser's). */
  ecdh: ECDH;
  /** Its public key, 65 bytes uncompressed (the `p256dh` the browser gave). */
  publicKey: Buffer;
  /** The 16-byte `auth` secret. */
  auth: Buffer;
}

export interface VapidClaims {
  aud: string;
  exp: number;
  sub: string;
}

const b64u = (b: Buffer) => b.toString('base64url');

/**
 * `vapid t=<JWT>, k=<P-256 public key>`: an ES256 JWT signed with `k`, `aud`
 * the push service's origin, `exp` within 24 hours, a mailto:/https: `sub`.
 * Throws with the reason when anything is wrong.
 */
export function verifyVapid(header: string, origin: string, nowSeconds = Math.floor(Date.now() / 1000)): { publicKey: string; claims: VapidClaims } {
  const match = /^vapid t=([A-Za-z0-9_.-]+),\s*k=([A-Za-z0-9_-]+)$/.exec(header);
  if (!match) throw new Error(`Authorization is not "vapid t=…, k=…": ${header}`);
  const [, token, k] = match as unknown as [string, string, string];
  const [h, p, s] = token.split('.');
  if (!h || !p || !s) throw new Error('the JWT does not have three parts');
  const jwtHeader = JSON.parse(Buffer.from(h, 'base64url').toString()) as { alg?: unknown };
  if (jwtHeader.alg !== 'ES256') throw new Error(`JWT alg ${String(jwtHeader.alg)}`);
  const point = Buffer.from(k, 'base64url');
  if (point.length !== 65 || point[0] !== 4) throw new Error('k is not an uncompressed P-256 point');
  const key = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: b64u(point.subarray(1, 33)), y: b64u(point.subarray(33)) }, format: 'jwk' });
  if (!verify('sha256', Buffer.from(`${h}.${p}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url'))) throw new Error('the JWT signature does not verify with k');
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as VapidClaims;
  if (claims.aud !== origin) throw new Error(`aud ${String(claims.aud)} is not ${origin}`);
  if (typeof claims.exp !== 'number' || claims.exp <= nowSeconds || claims.exp > nowSeconds + 24 * 3600) throw new Error(`exp ${String(claims.exp)} is not within 24 hours`);
  if (typeof claims.sub !== 'string' || !/^(mailto:|https:)/.test(claims.sub)) throw new Error(`sub ${String(claims.sub)}`);
  return { publicKey: k, claims };
}

/** RFC 8291 + RFC 8188: one aes128gcm record, keyed by the subscription's private key and auth secret. */
export function decryptPush(body: Buffer, keys: SubscriberKeys): Buffer {
  if (body.length < 21) throw new Error('shorter than an aes128gcm header');
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
