/**
 * Environment -> typed, validated configuration with zero-setup defaults.
 * Every variable is documented in README.md; a bad value stops start-up with a
 * message that names the variable and what it expects.
 */
import { createPrivateKey } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export type DatabaseConfig =
  | { kind: 'sqlite'; file: string }
  | { kind: 'postgres'; url: string; schema?: string };

export interface Config {
  port: number;
  host: string;
  publicUrl: string;
  dataDir: string;
  database: DatabaseConfig;
  redisUrl: string | undefined;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  pageCache: { enabled: boolean; maxBytes: number };
  /** The Content API's answer cache (docs/content-api.md, "Caching"). */
  contentApiCache: { enabled: boolean; maxBytes: number; maxAgeMs: number };
  seedDemo: boolean;
  trustProxy: boolean;
  bodyLimitBytes: number;
  /** Uploaded images: the largest file accepted, in bytes (MEDIA_MAX_MB). */
  media: { maxBytes: number };
  jobs: { pollMs: number; concurrency: number };
  /** Outgoing email: SMTP when `smtpUrl` is set, else DATA_DIR/outbox. */
  mail: { smtpUrl: string | undefined; from: string };
  /** Newsletter sends (docs/newsletters.md, "Delivery"): a pooled SMTP transport of their own, rate-limited, DKIM-signed when configured. */
  newsletterMail: NewsletterMailConfig;
  /** Staff sessions: signed out after `idleMs` without a request, and `maxMs` after signing in whatever happens. */
  sessions: { idleMs: number; maxMs: number };
  /** Bounce and complaint webhooks (docs/newsletters.md): each endpoint is off (404) until its secret is set. */
  newsletterWebhooks: NewsletterWebhooksConfig;
  /** Donations through Stripe (docs/revenue.md): off until both keys are set. */
  stripe: StripeConfig;
  /** Breaking-news Web Push (docs/push.md). */
  push: PushConfig;
}

export interface PushConfig {
  /** PUSH_VAPID_PUBLIC_KEY / PUSH_VAPID_PRIVATE_KEY: both or neither; neither: a pair is made on first start and kept in the database. */
  vapid: { publicKey: string; privateKey: string } | undefined;
  /** PUSH_VAPID_SUBJECT: how push services can reach the operator (mailto: or https:). */
  subject: string;
  /** PUSH_ALLOW_LOCAL_ENDPOINTS, for tests and development only: accept endpoints on loopback and private addresses. */
  allowLocalEndpoints: boolean;
  /** PUSH_TEST_CA_FILE, for tests only: one more certificate authority trusted for push services (the local one). */
  testCaFile: string | undefined;
}

export interface StripeConfig {
  /** STRIPE_SECRET_KEY: the API key (sk_live_…, sk_test_… or a restricted rk_…). Never logged. */
  secretKey: string | undefined;
  /** STRIPE_WEBHOOK_SECRET: the signing secret of the webhook endpoint (whsec_…). Never logged. */
  webhookSecret: string | undefined;
  /** STRIPE_API_URL, for tests only: where the SDK sends its requests instead of api.stripe.com. */
  apiUrl: string | undefined;
}

export interface NewsletterWebhooksConfig {
  /** NEWSLETTER_SES_TOPIC_ARNS: the SNS topics whose SES notifications are trusted. */
  sesTopicArns: string[];
  /** NEWSLETTER_SNS_CERT_ORIGIN, for tests only: one more origin trusted for SNS certificates and subscription URLs. */
  snsTestOrigin: string | undefined;
  /** NEWSLETTER_POSTMARK_WEBHOOK_AUTH: "user:password" Postmark must send (basic auth in the webhook URL). */
  postmarkAuth: string | undefined;
  /** NEWSLETTER_MAILGUN_SIGNING_KEY: Mailgun's HTTP webhook signing key. */
  mailgunSigningKey: string | undefined;
  /** NEWSLETTER_WEBHOOK_SECRET: signs the generic endpoint's requests. */
  secret: string | undefined;
}

export interface NewsletterMailConfig {
  /** NEWSLETTER_SMTP_URL, else SMTP_URL; unset: messages go to DATA_DIR/outbox. */
  smtpUrl: string | undefined;
  connections: number;
  ratePerSecond: number;
  batchSize: number;
  dkim: { domainName: string; keySelector: string; privateKey: string } | undefined;
}

/** The message ends up in logs: never repeat the credentials of a URL (`//user:password@`). */
function withoutCredentials(value: string): string {
  return value.replace(/\/\/[^@/]*@/, '//***@');
}

export class ConfigError extends Error {
  readonly got: string;
  constructor(
    readonly variable: string,
    readonly expected: string,
    got: string,
  ) {
    super(`${variable} must be ${expected} (got ${JSON.stringify(withoutCredentials(got))})`);
    this.got = withoutCredentials(got);
  }
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `a whole number from ${min} to ${max}`, raw);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `a whole number from ${min} to ${max}`, raw);
  return value;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const v = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new ConfigError(name, 'one of true/false, yes/no, on/off, 1/0', raw);
}

function oneOf<T extends string>(env: Env, name: string, options: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if ((options as readonly string[]).includes(raw)) return raw as T;
  throw new ConfigError(name, `one of ${options.join(', ')}`, raw);
}

function httpUrl(name: string, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, 'an absolute http(s) URL such as https://news.example.org', raw);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(name, 'an absolute http(s) URL such as https://news.example.org', raw);
  }
  if (url.search || url.hash) throw new ConfigError(name, 'a URL without query string or fragment', raw);
  return url.toString().replace(/\/+$/, '');
}

function smtpUrl(env: Env, name = 'SMTP_URL'): string | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const expected = 'an smtp://user:password@host:port or smtps://... URL';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, expected, raw.replace(/\/\/[^@/]*@/, '//***@'));
  }
  if ((url.protocol !== 'smtp:' && url.protocol !== 'smtps:') || !url.hostname) {
    throw new ConfigError(name, expected, raw.replace(/\/\/[^@/]*@/, '//***@'));
  }
  return raw;
}

/** DKIM signing: all of DKIM_DOMAIN, DKIM_SELECTOR and a key (DKIM_PRIVATE_KEY or DKIM_PRIVATE_KEY_FILE), or none. */
function dkim(env: Env): NewsletterMailConfig['dkim'] {
  const domain = env.DKIM_DOMAIN?.trim() || undefined;
  const selector = env.DKIM_SELECTOR?.trim() || undefined;
  const inline = env.DKIM_PRIVATE_KEY?.trim() || undefined;
  const file = env.DKIM_PRIVATE_KEY_FILE?.trim() || undefined;
  if (!domain && !selector && !inline && !file) return undefined;
  if (!domain) throw new ConfigError('DKIM_DOMAIN', 'set (the domain that signs, e.g. example.org) when DKIM_SELECTOR or a DKIM key is set', '');
  if (!/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i.test(domain)) throw new ConfigError('DKIM_DOMAIN', 'a domain name such as example.org', domain);
  if (!selector) throw new ConfigError('DKIM_SELECTOR', 'set (the DNS selector, e.g. broadsheet) when DKIM_DOMAIN is set', '');
  if (!/^[a-z0-9]([a-z0-9._-]{0,62})$/i.test(selector)) throw new ConfigError('DKIM_SELECTOR', 'letters, digits, dots, hyphens and underscores', selector);
  if (inline && file) throw new ConfigError('DKIM_PRIVATE_KEY', 'unset when DKIM_PRIVATE_KEY_FILE is set (one or the other)', '(a key)');
  let key: string;
  if (file) {
    try {
      key = fs.readFileSync(path.resolve(file), 'utf8');
    } catch {
      throw new ConfigError('DKIM_PRIVATE_KEY_FILE', 'a readable file holding a PEM private key', file);
    }
  } else if (inline) {
    // An environment variable cannot always hold line breaks: accept them written as \n.
    key = inline.replace(/\\n/g, '\n');
  } else {
    throw new ConfigError('DKIM_PRIVATE_KEY', 'set (or DKIM_PRIVATE_KEY_FILE) when DKIM_DOMAIN is set', '');
  }
  // Never echo the key itself in the error.
  const variable = file ? 'DKIM_PRIVATE_KEY_FILE' : 'DKIM_PRIVATE_KEY';
  if (!/-----BEGIN (RSA )?PRIVATE KEY-----/.test(key)) throw new ConfigError(variable, 'a PEM private key (-----BEGIN PRIVATE KEY-----)', '(not shown)');
  let type: string | undefined;
  try {
    type = createPrivateKey(key).asymmetricKeyType;
  } catch {
    throw new ConfigError(variable, 'a PEM private key that can be read (not encrypted)', '(not shown)');
  }
  if (type !== 'rsa' && type !== 'ed25519') throw new ConfigError(variable, 'an RSA or Ed25519 private key (DKIM signs with rsa-sha256 or ed25519-sha256)', `(a ${type ?? 'unknown'} key)`);
  return { domainName: domain.toLowerCase(), keySelector: selector, privateKey: key };
}

/** The webhook secrets; each one that is set must be usable (a typo must not leave an endpoint open or dead). */
function newsletterWebhooks(env: Env): NewsletterWebhooksConfig {
  const arns = (env.NEWSLETTER_SES_TOPIC_ARNS ?? '').split(',').map((a) => a.trim()).filter(Boolean);
  for (const arn of arns) {
    if (!/^arn:aws(-cn|-us-gov)?:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_.-]{1,256}$/.test(arn)) {
      throw new ConfigError('NEWSLETTER_SES_TOPIC_ARNS', 'comma-separated SNS topic ARNs such as arn:aws:sns:eu-west-1:123456789012:ses-bounces', arn);
    }
  }
  let snsTestOrigin: string | undefined;
  const origin = env.NEWSLETTER_SNS_CERT_ORIGIN?.trim();
  if (origin) {
    let url: URL | undefined;
    try {
      url = new URL(origin);
    } catch {
      url = undefined;
    }
    if (!url || !/^https?:$/.test(url.protocol) || url.origin !== origin.replace(/\/+$/, '')) {
      throw new ConfigError('NEWSLETTER_SNS_CERT_ORIGIN', 'an origin such as http://127.0.0.1:8080 (for tests only)', origin);
    }
    snsTestOrigin = url.origin;
  }
  const postmarkAuth = env.NEWSLETTER_POSTMARK_WEBHOOK_AUTH?.trim() || undefined;
  if (postmarkAuth !== undefined && !/^[^:\s]{1,100}:\S{12,200}$/.test(postmarkAuth)) {
    throw new ConfigError('NEWSLETTER_POSTMARK_WEBHOOK_AUTH', 'user:password, the password at least 12 characters, no spaces', '(not shown)');
  }
  const mailgunSigningKey = env.NEWSLETTER_MAILGUN_SIGNING_KEY?.trim() || undefined;
  if (mailgunSigningKey !== undefined && !/^\S{16,200}$/.test(mailgunSigningKey)) {
    throw new ConfigError('NEWSLETTER_MAILGUN_SIGNING_KEY', "Mailgun's webhook signing key (at least 16 characters, no spaces)", '(not shown)');
  }
  const secret = env.NEWSLETTER_WEBHOOK_SECRET?.trim() || undefined;
  if (secret !== undefined && !/^\S{32,500}$/.test(secret)) {
    throw new ConfigError('NEWSLETTER_WEBHOOK_SECRET', 'a random secret of at least 32 characters, no spaces (e.g. openssl rand -hex 32)', '(not shown)');
  }
  return { sesTopicArns: arns, snsTestOrigin, postmarkAuth, mailgunSigningKey, secret };
}

/** The Stripe keys; each one that is set must look like one (a pasted publishable key must not pass for a secret one). */
function stripe(env: Env): StripeConfig {
  const secretKey = env.STRIPE_SECRET_KEY?.trim() || undefined;
  if (secretKey !== undefined && !/^(sk|rk)_(test|live)_[A-Za-z0-9_]{8,500}$/.test(secretKey)) {
    throw new ConfigError('STRIPE_SECRET_KEY', 'a Stripe secret key (sk_live_… or sk_test_…, or a restricted rk_… key)', '(not shown)');
  }
  const webhookSecret = env.STRIPE_WEBHOOK_SECRET?.trim() || undefined;
  if (webhookSecret !== undefined && !/^whsec_[A-Za-z0-9_+/=]{8,500}$/.test(webhookSecret)) {
    throw new ConfigError('STRIPE_WEBHOOK_SECRET', "the webhook endpoint's signing secret (whsec_…)", '(not shown)');
  }
  const rawApiUrl = env.STRIPE_API_URL?.trim() || undefined;
  let apiUrl: string | undefined;
  if (rawApiUrl) {
    let url: URL | undefined;
    try {
      url = new URL(rawApiUrl);
    } catch {
      url = undefined;
    }
    if (!url || !/^https?:$/.test(url.protocol) || url.origin !== rawApiUrl.replace(/\/+$/, '')) {
      throw new ConfigError('STRIPE_API_URL', 'an origin such as http://127.0.0.1:12111 (for tests only)', rawApiUrl);
    }
    apiUrl = url.origin;
  }
  return { secretKey, webhookSecret, apiUrl };
}

/** The Web Push settings: a VAPID key pair given in the environment must be a real P-256 pair in base64url. */
function push(env: Env, from: string, publicUrl: string): PushConfig {
  const publicKey = env.PUSH_VAPID_PUBLIC_KEY?.trim() || undefined;
  const privateKey = env.PUSH_VAPID_PRIVATE_KEY?.trim() || undefined;
  if (Boolean(publicKey) !== Boolean(privateKey)) {
    throw new ConfigError(publicKey ? 'PUSH_VAPID_PRIVATE_KEY' : 'PUSH_VAPID_PUBLIC_KEY', 'set as well (both VAPID keys, or neither)', '');
  }
  if (publicKey && !/^[A-Za-z0-9_-]{87}$/.test(publicKey)) throw new ConfigError('PUSH_VAPID_PUBLIC_KEY', 'a base64url P-256 public key (87 characters, e.g. from npx web-push generate-vapid-keys)', publicKey);
  if (privateKey && !/^[A-Za-z0-9_-]{43}$/.test(privateKey)) throw new ConfigError('PUSH_VAPID_PRIVATE_KEY', 'a base64url P-256 private key (43 characters)', '(not shown)');
  const rawSubject = env.PUSH_VAPID_SUBJECT?.trim();
  let subject: string;
  if (rawSubject) {
    if (!/^(mailto:[^\s@]+@[^\s@]+|https:\/\/\S+)$/.test(rawSubject)) throw new ConfigError('PUSH_VAPID_SUBJECT', 'a mailto: address or an https:// URL', rawSubject);
    subject = rawSubject;
  } else {
    // The site's own address when it is HTTPS, else the sender of its emails: push services need a way to reach us.
    const address = /<([^>]+)>/.exec(from)?.[1] ?? from;
    subject = publicUrl.startsWith('https://') ? publicUrl : `mailto:${address}`;
  }
  const testCaFile = env.PUSH_TEST_CA_FILE?.trim() || undefined;
  if (testCaFile && !fs.existsSync(testCaFile)) throw new ConfigError('PUSH_TEST_CA_FILE', 'a readable PEM certificate file (for tests only)', testCaFile);
  return {
    vapid: publicKey && privateKey ? { publicKey, privateKey } : undefined,
    subject,
    allowLocalEndpoints: boolean(env, 'PUSH_ALLOW_LOCAL_ENDPOINTS', false),
    testCaFile,
  };
}

function mailFrom(env: Env, publicUrl: string): string {
  const raw = env.MAIL_FROM?.trim();
  if (!raw) return `Broadsheet <no-reply@${new URL(publicUrl).hostname}>`;
  // "Name <address@host>" or a bare address; no line breaks (header injection).
  if (!/^([^<>\r\n]{0,100}<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/.test(raw)) {
    throw new ConfigError('MAIL_FROM', 'an address such as "The Gazette <news@example.org>" or news@example.org', raw);
  }
  return raw;
}

function database(env: Env, dataDir: string): DatabaseConfig {
  const raw = env.DATABASE_URL;
  if (raw === undefined || raw === '') return { kind: 'sqlite', file: path.join(dataDir, 'broadsheet.db') };
  if (/^postgres(ql)?:\/\//.test(raw)) {
    try {
      const url = new URL(raw);
      const schema = url.searchParams.get('schema') ?? undefined;
      if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
        throw new ConfigError('DATABASE_URL', 'a schema parameter of lowercase letters, digits and _', raw);
      }
      url.searchParams.delete('schema');
      return { kind: 'postgres', url: url.toString(), schema };
    } catch (error) {
      if (error instanceof ConfigError) throw error;
      throw new ConfigError('DATABASE_URL', 'a valid postgres://user@host:port/database URL', raw);
    }
  }
  if (raw.startsWith('sqlite:')) {
    const file = raw.slice('sqlite:'.length).replace(/^\/\//, '');
    if (!file) throw new ConfigError('DATABASE_URL', 'sqlite:<path to file>', raw);
    return { kind: 'sqlite', file: path.resolve(file) };
  }
  throw new ConfigError('DATABASE_URL', 'a postgres://... URL or sqlite:<file path>', raw);
}

export function loadConfig(env: Env = process.env): Config {
  const port = integer(env, 'PORT', 3000, 0, 65535);
  const host = env.HOST?.trim() || '0.0.0.0';
  if (!/^[A-Za-z0-9.:_-]+$/.test(host)) throw new ConfigError('HOST', 'a host name or IP address', host);
  const dataDir = path.resolve(env.DATA_DIR?.trim() || './data');
  const publicUrl = httpUrl('PUBLIC_URL', env.PUBLIC_URL?.trim() || `http://localhost:${port}`);
  const redisUrl = env.REDIS_URL?.trim() || undefined;
  if (redisUrl !== undefined && !/^rediss?:\/\//.test(redisUrl)) {
    throw new ConfigError('REDIS_URL', 'a redis://host:port URL', redisUrl);
  }
  return {
    port,
    host,
    publicUrl,
    dataDir,
    database: database(env, dataDir),
    redisUrl,
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    pageCache: {
      enabled: boolean(env, 'PAGE_CACHE', true),
      maxBytes: integer(env, 'PAGE_CACHE_MB', 64, 1, 4096) * 1024 * 1024,
    },
    contentApiCache: {
      enabled: boolean(env, 'CONTENT_API_CACHE', true),
      maxBytes: integer(env, 'CONTENT_API_CACHE_MB', 32, 1, 4096) * 1024 * 1024,
      maxAgeMs: integer(env, 'CONTENT_API_CACHE_SECONDS', 60, 1, 3600) * 1000,
    },
    seedDemo: boolean(env, 'SEED_DEMO', true),
    trustProxy: boolean(env, 'TRUST_PROXY', false),
    bodyLimitBytes: integer(env, 'BODY_LIMIT_KB', 1024, 1, 1024 * 1024) * 1024,
    media: { maxBytes: integer(env, 'MEDIA_MAX_MB', 20, 1, 1024) * 1024 * 1024 },
    jobs: {
      pollMs: integer(env, 'JOBS_POLL_MS', 1000, 50, 60_000),
      concurrency: integer(env, 'JOBS_CONCURRENCY', 2, 1, 64),
    },
    mail: { smtpUrl: smtpUrl(env), from: mailFrom(env, publicUrl) },
    newsletterMail: {
      smtpUrl: smtpUrl(env, 'NEWSLETTER_SMTP_URL') ?? smtpUrl(env),
      connections: integer(env, 'NEWSLETTER_SMTP_CONNECTIONS', 3, 1, 50),
      ratePerSecond: integer(env, 'NEWSLETTER_RATE_PER_SECOND', 20, 1, 10_000),
      batchSize: integer(env, 'NEWSLETTER_BATCH_SIZE', 100, 1, 1000),
      dkim: dkim(env),
    },
    sessions: {
      idleMs: integer(env, 'SESSION_IDLE_HOURS', 24, 1, 24 * 30) * 3_600_000,
      maxMs: integer(env, 'SESSION_MAX_DAYS', 14, 1, 365) * 86_400_000,
    },
    newsletterWebhooks: newsletterWebhooks(env),
    stripe: stripe(env),
    push: push(env, mailFrom(env, publicUrl), publicUrl),
  };
}
