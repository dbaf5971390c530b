/**
 * Newsletters: the rules for creating and changing them. Validation happens
 * here with TypeBox (unknown or misspelt fields are refused, not dropped), so
 * the Admin API and the demo seed go through the same checks. Every change is
 * announced with the `newsletters` cache tag: reader pages show the sign-up
 * forms only while a public newsletter exists.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { NewsletterRow, NewsletterSendMode } from '../db/schema.js';
import { Conflict, Invalid, NotFound } from '../shared/errors.js';
import type { EventBus } from '../shared/events.js';
import type { Clock } from '../shared/clock.js';
import { isSlug, slugify } from '../newsroom/slug.js';
import { parseEmailAddress } from './email-address.js';
import { emptyCounts, type NewslettersRepository, type StatusCounts } from './newsletters.repository.js';

export const NEWSLETTERS_TAG = 'newsletters';

/** One line of text: no line breaks (these end up in email headers), no control characters. */
const Line = (max: number, min = 0) => Type.String({ minLength: min, maxLength: max, pattern: '^[^\\x00-\\x1f\\x7f]*$' });
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

export const Schedule = Type.Object(
  {
    days: Type.Array(Type.Union(WEEKDAYS.map((d) => Type.Literal(d))), { minItems: 1, maxItems: 7, uniqueItems: true }),
    time: Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'HH:MM in the site time zone' }),
  },
  { additionalProperties: false },
);
export const Template = Type.Object(
  {
    logoUrl: Type.Optional(Type.String({ maxLength: 500, pattern: '^(https?://[^\\s]+|/[^\\s]*)?$' })),
    accentColor: Type.Optional(Type.String({ pattern: '^(#[0-9a-fA-F]{6})?$' })),
    intro: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type Schedule = Static<typeof Schedule>;
export type Template = Static<typeof Template>;

export const NewsletterCreate = Type.Object(
  {
    name: Line(80, 1),
    slug: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })),
    description: Type.Optional(Type.String({ maxLength: 500 })),
    senderName: Type.Optional(Line(80, 1)),
    senderEmail: Type.Optional(Line(254, 3)),
    replyTo: Type.Optional(Type.Union([Line(254, 3), Type.Null()])),
    schedule: Type.Optional(Type.Union([Schedule, Type.Null()])),
    template: Type.Optional(Template),
    visibility: Type.Optional(Type.Union([Type.Literal('public'), Type.Literal('hidden')])),
    position: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
    /** `manual` (default): the schedule is shown and editors send; `automatic`: each slot goes out unreviewed. */
    sendMode: Type.Optional(Type.Union([Type.Literal('manual'), Type.Literal('automatic')])),
  },
  { additionalProperties: false },
);
export const NewsletterPatch = Type.Partial(NewsletterCreate, { additionalProperties: false });
export type NewsletterCreate = Static<typeof NewsletterCreate>;
export type NewsletterPatch = Static<typeof NewsletterPatch>;

const compiled = { create: TypeCompiler.Compile(NewsletterCreate), patch: TypeCompiler.Compile(NewsletterPatch) };

function checked<T extends TSchema>(checker: ReturnType<typeof TypeCompiler.Compile<T>>, input: unknown): Static<T> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new Invalid('Send a JSON object');
  if (checker.Check(input)) return input as Static<T>;
  const fields = [...checker.Errors(input)].slice(0, 10).map((e) => ({ path: e.path || '/', message: e.schema.additionalProperties === false && e.message.includes('additional') ? 'unknown field' : e.message }));
  throw new Invalid('The newsletter has invalid fields', fields);
}

export interface NewsletterView {
  id: number;
  slug: string;
  name: string;
  description: string;
  senderName: string;
  senderEmail: string;
  replyTo: string | null;
  schedule: Schedule | null;
  template: Template;
  visibility: 'public' | 'hidden';
  position: number;
  sendMode: NewsletterSendMode;
  counts: StatusCounts;
  createdAt: string;
  updatedAt: string;
}

function parseJson<T>(text: string | null, fallback: T): T {
  if (text === null) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export function newsletterView(row: NewsletterRow, counts: StatusCounts = emptyCounts()): NewsletterView {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    senderName: row.sender_name,
    senderEmail: row.sender_email,
    replyTo: row.reply_to,
    schedule: parseJson<Schedule | null>(row.schedule, null),
    template: parseJson<Template>(row.template, {}),
    visibility: row.visibility,
    position: row.position,
    sendMode: row.send_mode,
    counts,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** An automatic newsletter goes out on its schedule, so it must have one. */
function automaticNeedsSchedule(mode: NewsletterSendMode, schedule: Schedule | null): NewsletterSendMode {
  if (mode === 'automatic' && !schedule) throw new Invalid('An automatic newsletter needs a schedule', [{ path: '/sendMode', message: 'choose days and a time, or send it by hand' }]);
  return mode;
}

export interface NewslettersServiceDeps {
  repo: NewslettersRepository;
  events: EventBus;
  clock: Clock;
  /** The address newsletters come from when the newsroom names none (MAIL_FROM's). */
  defaultSenderEmail: () => string;
}

export class NewslettersService {
  constructor(private readonly deps: NewslettersServiceDeps) {}

  private now(): string {
    return this.deps.clock.now().toISOString();
  }

  async list(): Promise<NewsletterView[]> {
    const [rows, counts] = await Promise.all([this.deps.repo.all(), this.deps.repo.countsByNewsletter()]);
    return rows.map((r) => newsletterView(r, counts.get(r.id)));
  }

  async get(id: number): Promise<NewsletterView> {
    const row = await this.deps.repo.byId(id);
    if (!row) throw new NotFound('No such newsletter');
    return newsletterView(row, (await this.deps.repo.countsByNewsletter()).get(id));
  }

  async create(input: unknown): Promise<NewsletterView> {
    const data = checked(compiled.create, input);
    const slug = data.slug !== undefined ? this.slug(data.slug) : slugify(data.name, 80);
    if (await this.deps.repo.bySlug(slug)) throw new Invalid('A newsletter already has that address', [{ path: '/slug', message: 'already taken' }]);
    const now = this.now();
    const sendMode = automaticNeedsSchedule(data.sendMode ?? 'manual', data.schedule ?? null);
    const row = await this.deps.repo.insert({
      slug,
      name: data.name.trim(),
      description: (data.description ?? '').trim(),
      sender_name: (data.senderName ?? data.name).trim(),
      // MAIL_FROM's address is checked by the configuration; on a laptop it is no-reply@localhost, which the
      // readers' address rules (a dot in the domain) would refuse, and with it the demo newsroom's first start.
      sender_email: data.senderEmail !== undefined ? this.address(data.senderEmail, '/senderEmail') : this.deps.defaultSenderEmail(),
      reply_to: data.replyTo ? this.address(data.replyTo, '/replyTo') : null,
      schedule: data.schedule ? JSON.stringify(data.schedule) : null,
      template: JSON.stringify(data.template ?? {}),
      visibility: data.visibility ?? 'public',
      position: data.position ?? 0,
      send_mode: sendMode,
      // Automatic from now on: slots before its creation are not sent.
      schedule_done_until: sendMode === 'automatic' ? now : null,
      created_at: now,
      updated_at: now,
    });
    await this.announce();
    return newsletterView(row);
  }

  async update(id: number, input: unknown): Promise<NewsletterView> {
    const data = checked(compiled.patch, input);
    const current = await this.deps.repo.byId(id);
    if (!current) throw new NotFound('No such newsletter');
    const patch: Parameters<NewslettersRepository['update']>[1] = { updated_at: this.now() };
    if (data.name !== undefined) patch.name = data.name.trim();
    if (data.slug !== undefined) {
      patch.slug = this.slug(data.slug);
      const holder = await this.deps.repo.bySlug(patch.slug);
      if (holder && holder.id !== id) throw new Invalid('A newsletter already has that address', [{ path: '/slug', message: 'already taken' }]);
    }
    if (data.description !== undefined) patch.description = data.description.trim();
    if (data.senderName !== undefined) patch.sender_name = data.senderName.trim();
    if (data.senderEmail !== undefined) patch.sender_email = this.address(data.senderEmail, '/senderEmail');
    if (data.replyTo !== undefined) patch.reply_to = data.replyTo === null ? null : this.address(data.replyTo, '/replyTo');
    if (data.schedule !== undefined) patch.schedule = data.schedule === null ? null : JSON.stringify(data.schedule);
    if (data.template !== undefined) patch.template = JSON.stringify({ ...parseJson<Template>(current.template, {}), ...data.template });
    if (data.visibility !== undefined) patch.visibility = data.visibility;
    if (data.position !== undefined) patch.position = data.position;
    if (data.sendMode !== undefined || data.schedule !== undefined) {
      const schedule = data.schedule !== undefined ? data.schedule : parseJson<Schedule | null>(current.schedule, null);
      patch.send_mode = automaticNeedsSchedule(data.sendMode ?? current.send_mode, schedule);
      // Switched to automatic, or its schedule changed: only slots from now on are sent (not this morning's, at once).
      if (patch.send_mode === 'automatic' && (current.send_mode !== 'automatic' || patch.schedule !== undefined)) patch.schedule_done_until = patch.updated_at;
    }
    await this.deps.repo.update(id, patch);
    await this.announce();
    return this.get(id);
  }

  /** Only a newsletter nobody receives can be deleted; one with readers is hidden instead (their consent records stay). */
  async delete(id: number): Promise<void> {
    const current = await this.get(id);
    const active = current.counts.subscribed + current.counts.pending;
    if (active > 0) {
      throw new Conflict(`${current.name} has ${active} reader${active === 1 ? '' : 's'} (subscribed or awaiting confirmation); hide it instead of deleting it`, { subscribed: current.counts.subscribed, pending: current.counts.pending });
    }
    await this.deps.repo.delete(id);
    await this.announce();
  }

  private slug(value: string): string {
    const slug = value.trim().toLowerCase();
    if (!isSlug(slug) || slug.length > 80) throw new Invalid('The newsletter has invalid fields', [{ path: '/slug', message: 'lowercase letters, digits and single hyphens' }]);
    return slug;
  }

  private address(value: string, path: string): string {
    const parsed = parseEmailAddress(value);
    if ('error' in parsed) throw new Invalid('The newsletter has invalid fields', [{ path, message: parsed.error }]);
    return parsed.email;
  }

  private async announce(): Promise<void> {
    await this.deps.events.emit('content.changed', { change: { tags: [NEWSLETTERS_TAG] } });
  }
}
