/**
 * Content API keys: one per app or partner. A key's secret is shown once, when
 * it is made; only its SHA-256 is kept (the secret is 256 random bits, so a
 * fast hash is enough: nothing to guess). Keys are revoked, never deleted, so
 * the list keeps who had access and until when. Each key has its own rate
 * limit (requests per minute) and the browser origins allowed to call with it.
 */
import { Type, type Static } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { Unauthenticated } from '../accounts/errors.js';
import { hashToken, newToken } from '../accounts/tokens.js';
import type { Clock } from '../shared/clock.js';
import { Invalid, NotFound } from '../shared/errors.js';
import { parseOrigins, type ApiKeyListRow, type ApiKeysRepository } from './keys.repository.js';
import type { RateCounter } from './rate-counter.js';
import { keyTag, type KeyMemory } from './key-memory.js';
import type { ApiKeyRow } from '../db/schema.js';

export const DEFAULT_RATE_LIMIT = 600;
export const MAX_RATE_LIMIT = 100_000;
export const MAX_ORIGINS = 20;
const SECRET_PREFIX = 'bsk_';
/** `bsk_` and 43 base64url characters: anything else is refused before the database is asked. */
const SECRET_SHAPE = /^bsk_[A-Za-z0-9_-]{43}$/;
/** Last-used times are written at most once a minute per key: a busy app must not mean a write per request. */
const TOUCH_EVERY_MS = 60_000;

export const KeyInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 80 }),
    rateLimit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_RATE_LIMIT })),
    corsOrigins: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: MAX_ORIGINS })),
  },
  { additionalProperties: false },
);
export type KeyInput = Static<typeof KeyInput>;
export const KeyPatch = Type.Partial(KeyInput, { additionalProperties: false });
export type KeyPatch = Static<typeof KeyPatch>;
const checkInput = TypeCompiler.Compile(KeyInput);
const checkPatch = TypeCompiler.Compile(KeyPatch);

export interface ApiKeyView {
  id: number;
  name: string;
  /** The secret's first characters, to tell keys apart ("bsk_Ab12…"). */
  prefix: string;
  rateLimit: number;
  corsOrigins: string[];
  createdAt: string;
  createdBy: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface RateState {
  limit: number;
  remaining: number;
  /** Seconds until the current window ends. */
  resetSeconds: number;
  allowed: boolean;
}

export interface ApiKeysDeps {
  repo: ApiKeysRepository;
  counter: RateCounter;
  clock: Clock;
  /** Key rows kept for a few seconds (key-memory.ts); without it every request reads its key. */
  memory?: KeyMemory;
  /** Tells every node (this one first, before it returns) that a key changed: the invalidator. */
  announce?: (tags: string[]) => Promise<void>;
}

function view(row: ApiKeyListRow): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    rateLimit: row.rate_limit,
    corsOrigins: parseOrigins(row.cors_origins),
    createdAt: row.created_at,
    createdBy: row.created_by_name,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

/**
 * An allowed origin as browsers send it: `https://app.example.org` or
 * `http://localhost:8080` (scheme, host, optional port; nothing after), or `*`
 * for any site (a public widget). Returns the normalized form or undefined.
 */
export function normalizeOrigin(value: string): string | undefined {
  const text = value.trim();
  if (text === '*') return '*';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) return undefined;
  if (text.replace(/\/$/, '').toLowerCase() !== url.origin.toLowerCase()) return undefined;
  return url.origin;
}

function cleanOrigins(list: readonly string[] | undefined): string[] | undefined {
  if (list === undefined) return undefined;
  const out: string[] = [];
  const problems: { path: string; message: string }[] = [];
  list.forEach((value, i) => {
    const origin = normalizeOrigin(value);
    if (!origin) problems.push({ path: `/corsOrigins/${i}`, message: 'Write an origin such as https://app.example.org (no path), or * for any site' });
    else if (!out.includes(origin)) out.push(origin);
  });
  if (problems.length) throw new Invalid('Some allowed origins are not valid', problems);
  return out;
}

function firstProblem(check: typeof checkInput | typeof checkPatch, input: unknown): never {
  const error = check.Errors(input).First();
  const path = error?.path || '/';
  const message = path === '/name' ? 'Give the key a name (up to 80 characters), e.g. the app or partner it is for' : (error?.message ?? 'invalid');
  throw new Invalid('The key has invalid fields', [{ path, message }]);
}

export class ApiKeysService {
  constructor(private readonly deps: ApiKeysDeps) {}

  async list(): Promise<ApiKeyView[]> {
    return (await this.deps.repo.list()).map(view);
  }

  async get(id: number): Promise<ApiKeyView> {
    const row = await this.deps.repo.byId(id);
    if (!row) throw new NotFound('No such API key');
    return view(row);
  }

  /** Makes a key; the secret is in the answer and nowhere else, ever. */
  async create(input: unknown, createdBy: number | null): Promise<{ key: ApiKeyView; secret: string }> {
    if (!checkInput.Check(input)) firstProblem(checkInput, input);
    const name = input.name.trim();
    if (!name) throw new Invalid('The key has invalid fields', [{ path: '/name', message: 'Give the key a name, e.g. the app or partner it is for' }]);
    const secret = SECRET_PREFIX + newToken();
    const id = await this.deps.repo.insert({
      name,
      prefix: secret.slice(0, SECRET_PREFIX.length + 6),
      secretHash: hashToken(secret),
      rateLimit: input.rateLimit ?? DEFAULT_RATE_LIMIT,
      corsOrigins: cleanOrigins(input.corsOrigins) ?? [],
      createdAt: this.deps.clock.now().toISOString(),
      createdBy,
    });
    return { key: await this.get(id), secret };
  }

  async update(id: number, input: unknown): Promise<ApiKeyView> {
    if (!checkPatch.Check(input)) firstProblem(checkPatch, input);
    const current = await this.get(id);
    if (current.revokedAt) throw new Invalid('This key is revoked; make a new one instead');
    const name = input.name?.trim();
    if (name === '') throw new Invalid('The key has invalid fields', [{ path: '/name', message: 'Give the key a name' }]);
    await this.deps.repo.update(id, { name, rateLimit: input.rateLimit, corsOrigins: cleanOrigins(input.corsOrigins) });
    await this.deps.announce?.([keyTag(id)]);
    return this.get(id);
  }

  /**
   * Revokes the key: at once on this node, on the others as soon as the invalidation reaches them
   * (through Redis), within KEY_MEMORY_MS at the latest. Revoking twice is harmless.
   */
  async revoke(id: number): Promise<ApiKeyView> {
    await this.get(id);
    await this.deps.repo.revoke(id, this.deps.clock.now().toISOString());
    await this.deps.announce?.([keyTag(id)]);
    return this.get(id);
  }

  /** The key a request presents, or a 401 that says what is wrong with it. */
  async authenticate(secret: string | undefined): Promise<ApiKeyRow> {
    if (secret === undefined || secret === '') {
      throw new Unauthenticated('An API key is required: send it as "Authorization: Bearer <key>", in X-Api-Key, or as ?key=', 'api_key_missing');
    }
    const row = SECRET_SHAPE.test(secret) ? await this.lookUp(hashToken(secret)) : undefined;
    if (!row) throw new Unauthenticated('This API key is not valid', 'api_key_invalid');
    if (row.revoked_at) throw new Unauthenticated('This API key has been revoked', 'api_key_revoked');
    const now = this.deps.clock.now();
    if (!row.last_used_at || now.getTime() - Date.parse(row.last_used_at) >= TOUCH_EVERY_MS) {
      await this.deps.repo.touch(row.id, now.toISOString());
      // The remembered row must know it was touched, or every request until it is read again would touch.
      this.deps.memory?.update({ ...row, last_used_at: now.toISOString() });
    }
    return row;
  }

  private async lookUp(secretHash: string): Promise<ApiKeyRow | undefined> {
    const memory = this.deps.memory;
    if (!memory) return this.deps.repo.byHash(secretHash);
    const kept = memory.get(secretHash);
    if (kept) return kept;
    const started = memory.begin();
    const row = await this.deps.repo.byHash(secretHash);
    if (row) memory.set(row, started);
    return row;
  }

  /** Counts this request against the key's limit for the current minute. */
  async take(key: Pick<ApiKeyRow, 'id' | 'secret_hash' | 'rate_limit'>): Promise<RateState> {
    const nowMs = this.deps.clock.now().getTime();
    const minute = Math.floor(nowMs / 60_000);
    const count = await this.deps.counter.hit(key, minute);
    const resetSeconds = Math.max(1, Math.ceil(((minute + 1) * 60_000 - nowMs) / 1000));
    return { limit: key.rate_limit, remaining: Math.max(0, key.rate_limit - count), resetSeconds, allowed: count <= key.rate_limit };
  }

  /** Origins allowed by any working key: a preflight request carries no key, so it is answered for all of them. */
  async anyKeyAllows(origin: string): Promise<boolean> {
    const lists = await this.deps.repo.activeOrigins();
    return lists.some((list) => list.includes('*') || list.includes(origin));
  }
}

export function keyAllowsOrigin(key: Pick<ApiKeyRow, 'cors_origins'>, origin: string): boolean {
  const list = parseOrigins(key.cors_origins);
  return list.includes('*') || list.includes(origin);
}
