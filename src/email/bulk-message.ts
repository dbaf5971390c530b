/**
 * A newsletter message built once per send and merged per reader, as bytes
 * ready for SMTP, DKIM-signed.
 *
 * Why: every reader gets the same email except a few values (their name, their
 * unsubscribe and preferences links) and a few header fields (To, Message-ID,
 * Date, the list headers). Composing each copy from scratch (MIME tree,
 * quoted-printable encoding of a 20-40 KB digest, DKIM canonicalisation byte
 * by byte, a chain of streams) cost over a millisecond of CPU a message, the
 * limit of a send. Here the parts between merged values are encoded and
 * canonicalised once; a reader's copy encodes only their values, hashes the
 * canonical pieces (the part before the first value is hashed once and its
 * hash state copied), signs, and joins.
 *
 * Quoted-printable allows a soft line break (`=` CRLF) anywhere, so each merged
 * value sits on lines of its own between soft breaks: decoded, the part is
 * exactly the merged text. Every piece ends with CRLF, so the relaxed
 * canonical form of the body is the canonical pieces joined.
 */
import { createHash, randomBytes, type Hash } from 'node:crypto';
import { encodeWord, foldLines } from 'nodemailer/lib/mime-funcs';
import { encode as qpEncode, wrap as qpWrap } from 'nodemailer/lib/qp';
import { fieldName, relaxedHeader, relaxedLines, SIGNED_HEADERS, type DkimKey } from './dkim.js';

const CRLF = '\r\n';
const SOFT_BREAK = `=${CRLF}`;

/** Quoted-printable with CRLF line ends, lines short enough for a soft break after the last (RFC 2045: at most 76). */
function encode(text: string): string {
  return qpWrap(qpEncode(text.replace(/\r\n|\r|\n/g, CRLF)), 75);
}

/** Header values come from our own code; a line break in one would start a new header field. */
function oneLine(value: string): string {
  return value.replace(/[\r\n]+/g, ' ');
}

const isPrintableAscii = (value: string) => /^[\x20-\x7e]*$/.test(value);

/** A display name and address for From: a quoted string when it is plain ASCII, an encoded word otherwise (RFC 2047). */
export function mailbox(name: string, address: string): string {
  const clean = oneLine(name).trim();
  if (!clean) return address;
  const phrase = isPrintableAscii(clean) ? `"${clean.replace(/[\\"]/g, '\\$&')}"` : encodeWord(clean, 'Q', 52);
  return `${phrase} <${address}>`;
}

/** A header field as written: folded at spaces when long, non-ASCII text as encoded words. */
export function headerField(name: string, value: string, options: { encode?: boolean } = {}): string {
  const clean = oneLine(value);
  const text = options.encode && !isPrintableAscii(clean) ? encodeWord(clean, 'Q', 52) : clean;
  return foldLines(`${name}: ${text}`, 76, false).replace(/\r?\n/g, CRLF);
}

/** RFC 5322 date, as nodemailer writes it. */
export function mailDate(date: Date): string {
  return date.toUTCString().replace(/GMT/, '+0000');
}

export interface BulkTemplate {
  from: { name: string; address: string };
  replyTo?: string | undefined;
  subject: string;
  text: string;
  html: string;
  /** The strings in `text` and `html` replaced per reader. */
  placeholders: readonly string[];
}

export interface BulkCopy {
  to: string;
  /** `<…@host>` */
  messageId: string;
  date: Date;
  /** Per-reader header fields (the list headers); written after Message-ID. */
  headers: Readonly<Record<string, string>>;
  /** Each placeholder's value in the text part (as is) and in the HTML part (already escaped). */
  text: Readonly<Record<string, string>>;
  html: Readonly<Record<string, string>>;
}

/** A piece of the body: constant (encoded and canonicalised once) or a merged value. */
type Piece = { kind: 'constant'; raw: Buffer; canonical: Buffer } | { kind: 'value'; part: 'text' | 'html'; placeholder: string };

export class BulkMessage {
  private readonly pieces: Piece[] = [];
  /** The hash of the body before its first merged value, copied for each reader. */
  private readonly prefixHash: Hash;
  /** Index of the first piece not in `prefixHash`. */
  private readonly firstVariable: number;
  /** Header fields every copy has: before the per-reader ones (From, Reply-To, Subject) and after (MIME-Version, Content-Type). */
  private readonly leading: string[];
  private readonly trailing: string[];

  constructor(
    template: BulkTemplate,
    private readonly dkim?: DkimKey,
  ) {
    this.leading = [headerField('From', mailbox(template.from.name, template.from.address))];
    if (template.replyTo) this.leading.push(headerField('Reply-To', template.replyTo));
    this.leading.push(headerField('Subject', template.subject, { encode: true }));
    const boundary = `--_bs_${randomBytes(12).toString('hex')}`;
    this.trailing = ['MIME-Version: 1.0', `Content-Type: multipart/alternative; boundary="${boundary}"`];

    const head = (type: string) => `--${boundary}${CRLF}Content-Type: ${type}; charset=utf-8${CRLF}Content-Transfer-Encoding: quoted-printable${CRLF}${CRLF}`;
    this.addPart('text', head('text/plain'), template.text, template.placeholders);
    this.addConstant(CRLF);
    this.addPart('html', head('text/html'), template.html, template.placeholders);
    this.addConstant(`${CRLF}--${boundary}--${CRLF}`);

    const first = this.pieces.findIndex((piece) => piece.kind === 'value');
    this.firstVariable = first === -1 ? this.pieces.length : first;
    this.prefixHash = createHash('sha256');
    for (const piece of this.pieces.slice(0, this.firstVariable)) if (piece.kind === 'constant') this.prefixHash.update(piece.canonical);
  }

  /** One reader's copy: the whole message as SMTP sends it, signed when there is a key. */
  async render(copy: BulkCopy): Promise<Buffer> {
    // Everything is ASCII by now (encoded words, quoted-printable): one byte a character. The body is
    // joined as buffers, the constant pieces as they are: no 30 KB string built and converted per reader.
    const body: Buffer[] = [];
    const hash = this.dkim ? this.prefixHash.copy() : undefined;
    for (let i = 0; i < this.pieces.length; i++) {
      const piece = this.pieces[i]!;
      if (piece.kind === 'constant') {
        body.push(piece.raw);
        if (hash && i >= this.firstVariable) hash.update(piece.canonical);
        continue;
      }
      const value = copy[piece.part][piece.placeholder] ?? '';
      if (!value) continue;
      const raw = encode(value) + SOFT_BREAK;
      body.push(Buffer.from(raw, 'latin1'));
      hash?.update(relaxedLines(raw), 'latin1');
    }

    const fields = [...this.leading, headerField('To', copy.to), `Date: ${mailDate(copy.date)}`, headerField('Message-ID', copy.messageId)];
    for (const [name, value] of Object.entries(copy.headers)) fields.push(headerField(name, value));
    fields.push(...this.trailing);

    let signature = '';
    if (this.dkim && hash) {
      const signed = fields.filter((field) => SIGNED_HEADERS.has(fieldName(field))).map((field) => [field, relaxedHeader(field)] as const);
      signature = await this.dkim.signatureField(signed, hash.digest('base64'));
    }
    return Buffer.concat([Buffer.from(`${signature}${fields.join(CRLF)}${CRLF}${CRLF}`, 'latin1'), ...body]);
  }

  /** A MIME part: its head, then its template's pieces between placeholders, each constant ending in a soft break before a value. */
  private addPart(part: 'text' | 'html', head: string, template: string, placeholders: readonly string[]): void {
    const pattern = placeholders.length ? new RegExp(`(${placeholders.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`) : undefined;
    const split = pattern ? template.split(pattern) : [template];
    this.addConstant(head);
    split.forEach((text, i) => {
      if (i % 2) this.pieces.push({ kind: 'value', part, placeholder: text });
      else this.addConstant(encode(text) + (i < split.length - 1 ? SOFT_BREAK : ''));
    });
  }

  /** Appends constant text, joined with the constant before it when there is no value between them. */
  private addConstant(raw: string): void {
    const last = this.pieces[this.pieces.length - 1];
    const joined = last?.kind === 'constant' ? last.raw.toString('latin1') + raw : raw;
    const piece: Piece = { kind: 'constant', raw: Buffer.from(joined, 'latin1'), canonical: Buffer.from(relaxedLines(joined), 'latin1') };
    if (last?.kind === 'constant') this.pieces[this.pieces.length - 1] = piece;
    else this.pieces.push(piece);
  }
}
