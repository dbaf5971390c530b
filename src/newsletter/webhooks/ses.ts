/**
 * Amazon SES bounce and complaint notifications, delivered by Amazon SNS as
 * HTTP(S) POSTs (docs/newsletters.md). Every message is checked as AWS
 * documents it ("Verifying the signatures of Amazon SNS messages"):
 *
 * 1. `SigningCertURL` must be https on `sns.<region>.amazonaws.com` (or
 *    `.com.cn`) and end in `.pem`: the certificate is fetched from AWS only,
 *    never from a host the message names (otherwise anyone could sign);
 * 2. the string to sign is the named fields, in this order, each as
 *    "Name\nvalue\n": Notification: Message, MessageId, Subject (when
 *    present), Timestamp, TopicArn, Type; SubscriptionConfirmation and
 *    UnsubscribeConfirmation: Message, MessageId, SubscribeURL, Timestamp,
 *    Token, TopicArn, Type;
 * 3. `SignatureVersion` 1 is SHA1withRSA, 2 is SHA256withRSA, over that string,
 *    with the certificate's public key; the certificate must be valid now.
 * Then `TopicArn` must be one we were told to trust (NEWSLETTER_SES_TOPIC_ARNS):
 * a valid message from someone else's topic is still refused.
 *
 * Certificates are cached per URL (AWS rotates them by publishing a new URL).
 * A `SubscriptionConfirmation` for a trusted topic is confirmed by GETting its
 * `SubscribeURL`, which must pass the same host rule. For tests only,
 * NEWSLETTER_SNS_CERT_ORIGIN adds one more trusted origin for both URLs.
 */
import { createVerify, X509Certificate } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { MailEvent } from '../suppressions.service.js';
import { checker, parseJson, refuse, sha256, type Refusal, type Verdict } from './verdict.js';

/** A signed message older than this is refused (SNS stops retrying a delivery within an hour). */
export const SNS_MAX_AGE_MS = 24 * 3_600_000;
const FETCH_TIMEOUT_MS = 10_000;
const AWS_SNS_HOST = /^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/;

const Optional = (schema: ReturnType<typeof Type.String>) => Type.Optional(Type.Union([schema, Type.Null()]));
const SnsEnvelope = Type.Object({
  Type: Type.Union([Type.Literal('Notification'), Type.Literal('SubscriptionConfirmation'), Type.Literal('UnsubscribeConfirmation')]),
  MessageId: Type.String({ minLength: 1, maxLength: 200 }),
  TopicArn: Type.String({ minLength: 1, maxLength: 400 }),
  Message: Type.String(),
  Timestamp: Type.String({ maxLength: 40 }),
  SignatureVersion: Type.Union([Type.Literal('1'), Type.Literal('2')]),
  Signature: Type.String({ minLength: 1, maxLength: 4000 }),
  SigningCertURL: Type.String({ minLength: 1, maxLength: 2000 }),
  Subject: Optional(Type.String()),
  SubscribeURL: Optional(Type.String({ maxLength: 4000 })),
  Token: Optional(Type.String({ maxLength: 4000 })),
});
const checkEnvelope = checker(SnsEnvelope);
const checkSigned = checker(Type.Object({ Signature: Type.String({ minLength: 1 }), SigningCertURL: Type.String({ minLength: 1 }) }));

const Recipient = Type.Object({ emailAddress: Type.String({ maxLength: 400 }), diagnosticCode: Type.Optional(Type.String()), status: Type.Optional(Type.String()) });
const SesNotification = Type.Object({
  notificationType: Type.Optional(Type.String({ maxLength: 50 })),
  /** SES event publishing (configuration sets) says eventType instead. */
  eventType: Type.Optional(Type.String({ maxLength: 50 })),
  bounce: Type.Optional(
    Type.Object({
      bounceType: Type.String({ maxLength: 50 }),
      bounceSubType: Type.Optional(Type.String({ maxLength: 100 })),
      bouncedRecipients: Type.Array(Recipient, { maxItems: 1000 }),
    }),
  ),
  complaint: Type.Optional(
    Type.Object({
      complainedRecipients: Type.Array(Recipient, { maxItems: 1000 }),
      complaintFeedbackType: Type.Optional(Type.String({ maxLength: 100 })),
    }),
  ),
  delivery: Type.Optional(Type.Object({ recipients: Type.Array(Type.String({ maxLength: 400 }), { maxItems: 1000 }) })),
});
const checkReceived = checker(
  Type.Object({
    notificationType: Type.Literal('Received'),
    mail: Type.Object({ commonHeaders: Type.Object({ subject: Type.Optional(Type.String({ maxLength: 2000 })) }) }),
  }),
);
const checkSes = checker(SesNotification);

type Envelope = typeof SnsEnvelope.static;

/** The string AWS signs for this message type. */
export function stringToSign(message: Envelope): string {
  const fields: (keyof Envelope)[] =
    message.Type === 'Notification'
      ? ['Message', 'MessageId', ...(message.Subject != null ? (['Subject'] as const) : []), 'Timestamp', 'TopicArn', 'Type']
      : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
  return fields.map((name) => `${name}\n${message[name] ?? ''}\n`).join('');
}

export interface SesWebhookOptions {
  topicArns: readonly string[];
  /** Testing only: one more origin trusted for certificates and subscription URLs. */
  testOrigin?: string | undefined;
  now: () => Date;
  /** GETs a URL (certificates, subscription confirmations); tests leave the default. */
  fetchText?: (url: string) => Promise<{ status: number; text: string }>;
}

export type SesVerdict = Verdict | { ok: 'subscribe'; url: string; topicArn: string };

async function defaultFetch(url: string): Promise<{ status: number; text: string }> {
  const response = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  return { status: response.status, text: await response.text() };
}

export class SesWebhook {
  private readonly certificates = new Map<string, Promise<X509Certificate>>();
  private readonly fetchText: (url: string) => Promise<{ status: number; text: string }>;

  constructor(private readonly options: SesWebhookOptions) {
    this.fetchText = options.fetchText ?? defaultFetch;
  }

  /** https on an AWS SNS host (or the test origin); the URL itself, or why not. */
  trustedUrl(raw: string | null | undefined, what: string, pem: boolean): URL | Refusal {
    let url: URL;
    try {
      url = new URL(raw ?? '');
    } catch {
      return refuse(403, `${what} is not a URL`);
    }
    if (this.options.testOrigin && url.origin === this.options.testOrigin) return url;
    if (url.protocol !== 'https:' || url.username || url.password || url.port || !AWS_SNS_HOST.test(url.hostname)) {
      return refuse(403, `${what} must be https on sns.<region>.amazonaws.com`);
    }
    if (pem && !url.pathname.endsWith('.pem')) return refuse(403, `${what} must name a .pem certificate`);
    return url;
  }

  private certificate(url: string): Promise<X509Certificate> {
    let pending = this.certificates.get(url);
    if (!pending) {
      pending = this.fetchText(url).then(({ status, text }) => {
        if (status !== 200) throw new Error(`the certificate URL answered ${status}`);
        return new X509Certificate(text);
      });
      // A failed fetch is not cached: the next message tries again.
      pending.catch(() => this.certificates.delete(url));
      if (this.certificates.size >= 50) this.certificates.delete(this.certificates.keys().next().value!);
      this.certificates.set(url, pending);
    }
    return pending;
  }

  /** An SNS message whose signature, certificate, topic and age check out; or why not. */
  private async verified(body: string): Promise<{ message: typeof SnsEnvelope.static } | Refusal> {
    const json = parseJson(body);
    if (json === undefined) return refuse(400, 'The body is not JSON');
    if ('problem' in checkSigned(json)) return refuse(401, 'The message is not signed (Signature and SigningCertURL are required)');
    const envelope = checkEnvelope(json);
    if ('problem' in envelope) return refuse(400, `The body is not an Amazon SNS message: ${envelope.problem}`);
    const message = envelope.value;

    // The signature first.
    const certUrl = this.trustedUrl(message.SigningCertURL, 'SigningCertURL', true);
    if ('ok' in certUrl) return certUrl;
    let certificate: X509Certificate;
    try {
      certificate = await this.certificate(certUrl.toString());
    } catch {
      return refuse(503, 'The signing certificate could not be fetched; try again later');
    }
    const now = this.options.now();
    if (now < new Date(certificate.validFrom) || now > new Date(certificate.validTo)) return refuse(403, 'The signing certificate is not valid now');
    const verifier = createVerify(message.SignatureVersion === '1' ? 'RSA-SHA1' : 'RSA-SHA256');
    verifier.update(stringToSign(message), 'utf8');
    let valid = false;
    try {
      valid = verifier.verify(certificate.publicKey, message.Signature, 'base64');
    } catch {
      valid = false;
    }
    if (!valid) return refuse(403, 'The signature does not match');
    if (!this.options.topicArns.includes(message.TopicArn)) return refuse(403, 'Messages from this topic are not accepted (NEWSLETTER_SES_TOPIC_ARNS)');
    const sent = Date.parse(message.Timestamp);
    if (Number.isNaN(sent) || now.getTime() - sent > SNS_MAX_AGE_MS) return refuse(403, 'The message is too old');
    return { message };
  }

  /** A topic subscription to confirm: its SubscribeURL, when it is on a trusted host. */
  private subscription(message: typeof SnsEnvelope.static): { ok: 'subscribe'; url: string; topicArn: string } | Refusal {
    const subscribe = this.trustedUrl(message.SubscribeURL, 'SubscribeURL', false);
    if ('ok' in subscribe) return subscribe;
    return { ok: 'subscribe', url: subscribe.toString(), topicArn: message.TopicArn };
  }

  async read(body: string): Promise<SesVerdict> {
    const checked = await this.verified(body);
    if ('ok' in checked) return checked;
    const { message } = checked;
    if (message.Type === 'SubscriptionConfirmation') return this.subscription(message);
    if (message.Type === 'UnsubscribeConfirmation') return { ok: true, eventKey: message.MessageId, digest: sha256(message.Message), events: [] };

    const notification = checkSes(parseJson(message.Message));
    if ('problem' in notification) return refuse(400, `The message is not an SES notification: ${notification.problem}`);
    return { ok: true, eventKey: message.MessageId, digest: sha256(message.Message), events: sesEvents(notification.value) };
  }

  /**
   * An SES receiving notification (a receipt rule's SNS action): the subject of the email that arrived, for the
   * mailto: unsubscribe address (inbound.ts). Subscription confirmations are handled as for bounces.
   */
  async readInbound(body: string): Promise<{ ok: true; messageId: string; subject: string } | { ok: 'subscribe'; url: string; topicArn: string } | { ok: 'ignore' } | Refusal> {
    const checked = await this.verified(body);
    if ('ok' in checked) return checked;
    const { message } = checked;
    if (message.Type === 'SubscriptionConfirmation') return this.subscription(message);
    if (message.Type !== 'Notification') return { ok: 'ignore' };
    const received = checkReceived(parseJson(message.Message));
    if ('problem' in received) return refuse(400, `The message is not an SES receiving notification: ${received.problem}`);
    return { ok: true, messageId: message.MessageId, subject: received.value.mail.commonHeaders.subject ?? '' };
  }

  /** Confirms a subscription to a trusted topic, as the AWS console's "Confirm subscription" would. */
  async confirmSubscription(url: string): Promise<boolean> {
    try {
      return (await this.fetchText(url)).status === 200;
    } catch {
      return false;
    }
  }
}

function sesEvents(n: typeof SesNotification.static): MailEvent[] {
  const type = n.notificationType ?? n.eventType;
  if (type === 'Bounce' && n.bounce) {
    // Permanent: the address does not exist or refuses us for good. Transient and Undetermined may pass.
    const kind = n.bounce.bounceType === 'Permanent' ? 'hard_bounce' : 'soft_bounce';
    const why = `${n.bounce.bounceType}${n.bounce.bounceSubType ? `/${n.bounce.bounceSubType}` : ''}`;
    return n.bounce.bouncedRecipients.map((r) => ({ kind, email: r.emailAddress, detail: r.diagnosticCode ? `${why}: ${r.diagnosticCode}` : why }));
  }
  if (type === 'Complaint' && n.complaint) {
    // A feedback report saying "not spam" is no complaint.
    if (n.complaint.complaintFeedbackType === 'not-spam') return [];
    const detail = n.complaint.complaintFeedbackType ? `complaint (${n.complaint.complaintFeedbackType})` : 'complaint';
    return n.complaint.complainedRecipients.map((r) => ({ kind: 'complaint' as const, email: r.emailAddress, detail }));
  }
  if (type === 'Delivery' && n.delivery) return n.delivery.recipients.map((email) => ({ kind: 'delivered' as const, email }));
  return [];
}
