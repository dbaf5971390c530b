/**
 * DKIM signatures (RFC 6376, relaxed/relaxed) for outgoing mail: rsa-sha256,
 * or ed25519-sha256 (RFC 8463) when the configured key is an Ed25519 key.
 *
 * Why our own signer and not nodemailer's: nodemailer canonicalises and hashes
 * every message's body byte by byte in JavaScript streams, about a fifth of a
 * newsletter sender's CPU per message. A newsletter's body is the same for
 * every reader except a few merged values, so `bulk-message.ts` canonicalises
 * the constant parts once per send and only hashes them per reader; this module
 * does the parts that need the key. Receivers check these signatures like any
 * other (the tests verify them with mailauth).
 */
import { createHash, createPrivateKey, sign, type KeyObject } from 'node:crypto';

export interface DkimOptions {
  domainName: string;
  keySelector: string;
  /** PEM. */
  privateKey: string;
}

/**
 * Header fields signed when present: RFC 6376 5.4.1's list, plus the list
 * headers (RFC 8058 counts one-click unsubscribe only when the signature covers
 * List-Unsubscribe and List-Unsubscribe-Post).
 */
export const SIGNED_HEADERS: ReadonlySet<string> = new Set([
  'from',
  'sender',
  'reply-to',
  'subject',
  'date',
  'message-id',
  'to',
  'cc',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
  'list-id',
  'list-unsubscribe',
  'list-unsubscribe-post',
]);

/** Relaxed body canonicalisation (3.4.4) of text with CRLF line ends: whitespace runs become one space, none at line ends. */
export function relaxedLines(text: string): string {
  // Single spaces are left alone: replacing each one with itself was most of the cost.
  return text.replace(/[ \t]+(?=\r\n|$)/g, '').replace(/[ \t]{2,}|\t/g, ' ');
}

/** The whole relaxed body: `relaxedLines`, no empty lines at the end, one CRLF after the last line (an empty body stays empty). */
export function relaxedBody(body: string): string {
  const trimmed = relaxedLines(body).replace(/(\r\n)+$/, '');
  return trimmed ? `${trimmed}\r\n` : '';
}

/** Relaxed header canonicalisation (3.4.2) of one field as written (folded or not, without its final CRLF). */
export function relaxedHeader(field: string): string {
  const colon = field.indexOf(':');
  const name = field.slice(0, colon).trim().toLowerCase();
  const value = field
    .slice(colon + 1)
    .replace(/\r\n(?=[ \t])/g, '')
    .replace(/[ \t]+/g, ' ')
    .trim();
  return `${name}:${value}`;
}

/** The lower-case name of a header field as written. */
export function fieldName(field: string): string {
  return field.slice(0, field.indexOf(':')).trim().toLowerCase();
}

export class DkimKey {
  readonly algorithm: 'rsa-sha256' | 'ed25519-sha256';
  private readonly key: KeyObject;

  constructor(private readonly options: DkimOptions) {
    // Parsed once: handed over as PEM text, Node parses it again for every signature (three times the cost).
    this.key = createPrivateKey(options.privateKey);
    const type = this.key.asymmetricKeyType;
    if (type === 'rsa') this.algorithm = 'rsa-sha256';
    else if (type === 'ed25519') this.algorithm = 'ed25519-sha256';
    else throw new Error(`DKIM keys are RSA or Ed25519; this one is ${type ?? 'unknown'}`);
  }

  /**
   * The DKIM-Signature field (folded, ending with CRLF) for a message whose
   * signed header fields are `signed` (each `[field as written, its relaxed form]`)
   * and whose relaxed body hashes to `bodyHash` (base64 SHA-256).
   */
  async signatureField(signed: readonly (readonly [written: string, relaxed: string])[], bodyHash: string): Promise<string> {
    const names = signed.map(([written]) => fieldName(written)).join(':');
    const unsigned =
      `DKIM-Signature: v=1; a=${this.algorithm}; c=relaxed/relaxed; d=${this.options.domainName};\r\n` +
      ` s=${this.options.keySelector}; q=dns/txt; h=${names};\r\n bh=${bodyHash};\r\n b=`;
    let data = '';
    for (const [, relaxed] of signed) data += `${relaxed}\r\n`;
    data += relaxedHeader(unsigned);
    const bytes = Buffer.from(data, 'latin1');
    // RFC 8463: Ed25519 signs the SHA-256 hash of the data (PureEdDSA); RSA signs the data with SHA-256.
    // With a callback the signature is made in libuv's thread pool: an RSA-2048 signature was the largest
    // single cost of a newsletter copy on the event loop (a quarter of a millisecond); now it overlaps
    // with the next copy's merging and the SMTP conversation.
    const signature = await new Promise<Buffer>((resolve, reject) => {
      const done = (error: Error | null, result: Buffer) => (error ? reject(error) : resolve(result));
      if (this.algorithm === 'rsa-sha256') sign('sha256', bytes, this.key, done);
      else sign(null, createHash('sha256').update(bytes).digest(), this.key, done);
    });
    return `${unsigned}${fold(signature.toString('base64'))}\r\n`;
  }

  /**
   * Signs a whole message (CRLF line ends, as bytes): returns it with the
   * DKIM-Signature field in front. For single messages; newsletters use
   * `bulk-message.ts`, which hashes a send's constant body parts once.
   */
  async signMessage(message: Buffer): Promise<Buffer> {
    const text = message.toString('latin1'); // the signature is over bytes, whatever their charset
    const split = text.indexOf('\r\n\r\n');
    const head = split === -1 ? text : text.slice(0, split);
    const body = split === -1 ? '' : text.slice(split + 4);
    const signed = head
      .split(/\r\n(?![ \t])/)
      .filter((field) => field.includes(':') && SIGNED_HEADERS.has(fieldName(field)))
      .map((field) => [field, relaxedHeader(field)] as const);
    const bodyHash = createHash('sha256').update(relaxedBody(body), 'latin1').digest('base64');
    return Buffer.concat([Buffer.from(await this.signatureField(signed, bodyHash), 'latin1'), message]);
  }
}

/** A long base64 value folded into lines a receiver's parser accepts (whitespace in b= is ignored). */
function fold(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i += 72) out += (i ? '\r\n ' : '') + value.slice(i, i + 72);
  return out;
}
