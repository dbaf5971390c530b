/**
 * Composing a newsletter issue: the candidate stories, the rendered email,
 * a preview with sample values in the placeholders, and a test email to one
 * staff-chosen address. Sending to readers is delivery's job (a later slice).
 */
import { Type, type Static } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { EmailMessage, Mailer } from '../email/mailer.js';
import type { AttemptLimiter, LimitKey } from '../accounts/rate-limit.js';
import { TooManyAttempts } from '../accounts/errors.js';
import type { SiteSettings } from '../newsroom/settings.js';
import type { Clock } from '../shared/clock.js';
import { Invalid } from '../shared/errors.js';
import { digestItem, orderCandidates, suggestSubject, type DigestItem } from './digest.js';
import type { DigestRepository, DigestRow } from './digest.repository.js';
import { parseEmailAddress } from './email-address.js';
import type { NewslettersService, NewsletterView } from './newsletters.service.js';
import { fillPlaceholders, renderEmail, type MergeValues } from './render.js';
import type { RenderedEmail } from './rendered.js';
import { firstIssueSince } from './schedule-slots.js';

/** One line of text: no line breaks (the subject is a header), no control characters. */
const Line = (max: number, min = 0) => Type.String({ minLength: min, maxLength: max, pattern: '^[^\\x00-\\x1f\\x7f]*$' });

export const ComposeInput = Type.Object(
  {
    subject: Line(200, 1),
    intro: Type.Optional(Type.String({ maxLength: 5000 })),
    itemIds: Type.Array(Type.Integer({ minimum: 1, maximum: 2_147_483_647 }), { maxItems: 50, uniqueItems: true }),
  },
  { additionalProperties: false },
);
export const TestEmailInput = Type.Object(
  {
    subject: Line(200, 1),
    intro: Type.Optional(Type.String({ maxLength: 5000 })),
    itemIds: Type.Array(Type.Integer({ minimum: 1, maximum: 2_147_483_647 }), { maxItems: 50, uniqueItems: true }),
    to: Line(254, 3),
  },
  { additionalProperties: false },
);
export type ComposeInput = Static<typeof ComposeInput>;
export type TestEmailInput = Static<typeof TestEmailInput>;

const compiled = { compose: TypeCompiler.Compile(ComposeInput), test: TypeCompiler.Compile(TestEmailInput) };

function checked<T extends typeof ComposeInput | typeof TestEmailInput>(checker: ReturnType<typeof TypeCompiler.Compile<T>>, input: unknown): Static<T> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new Invalid('Send a JSON object');
  if (checker.Check(input)) return input as Static<T>;
  const fields = [...checker.Errors(input)].slice(0, 10).map((e) => ({ path: e.path || '/', message: e.schema.additionalProperties === false && e.message.includes('additional') ? 'unknown field' : e.message }));
  throw new Invalid('The email has invalid fields', fields);
}

/** Test emails a staff member may send in an hour: enough to check a layout, too few to mail a list. */
export const TEST_EMAILS_PER_HOUR = 10;
const HOUR = 60 * 60 * 1000;
const testEmailKey = (userId: number): LimitKey => ({ key: `newsletter-test:${userId}`, policy: { maxFailures: TEST_EMAILS_PER_HOUR, windowMs: HOUR, lockMs: HOUR } });

/** The sample reader of previews and test emails. Their links lead to the site's "this link does not work" page, so a forwarded test email unsubscribes nobody. */
export function sampleValues(publicUrl: string): MergeValues {
  return { name: 'Alex', unsubscribeUrl: `${publicUrl}/newsletters/unsubscribe/sample`, preferencesUrl: `${publicUrl}/newsletters/preferences/sample` };
}

export interface Candidates {
  /** Where the list starts: `since` as asked, else the last send, else the schedule's previous slot (else 24 hours ago). */
  since: string;
  /** When the newsletter last went to its readers (test and cancelled sends left out); null: never. */
  lastSendAt: string | null;
  items: DigestItem[];
  /** Published in the window but left out by the section quotas or the length limit, newest first. */
  others: DigestItem[];
  subject: string;
}

export interface ComposeServiceDeps {
  repo: DigestRepository;
  newsletters: NewslettersService;
  mailer: Mailer;
  limiter: AttemptLimiter;
  clock: Clock;
  publicUrl: string;
  settings: () => SiteSettings;
  /** When the newsletter last went to its readers (schedule.repository.ts). */
  lastSendAt: (newsletterId: number) => Promise<string | null>;
}

export class ComposeService {
  constructor(private readonly deps: ComposeServiceDeps) {}

  /** Published stories since `since` (default: since the last send), in the suggested order, with a subject. */
  async candidates(newsletterId: number, since?: string): Promise<Candidates> {
    const newsletter = await this.deps.newsletters.get(newsletterId);
    const now = this.deps.clock.now();
    const lastSendAt = await this.deps.lastSendAt(newsletterId);
    let from = lastSendAt !== null ? new Date(lastSendAt) : firstIssueSince(newsletter.schedule, this.deps.settings().timeZone, now);
    if (since !== undefined) {
      const parsed = Date.parse(since);
      if (!/^\d{4}-\d{2}-\d{2}/.test(since) || Number.isNaN(parsed)) throw new Invalid('since must be a date and time such as 2026-11-28T06:30:00Z', [{ path: '/since', message: 'not a date and time' }]);
      from = new Date(parsed);
    }
    const rows = await this.deps.repo.publishedSince(from.toISOString(), now.toISOString());
    const { chosen, others } = orderCandidates(rows);
    const [items, rest] = await this.items([chosen, others]);
    return { since: from.toISOString(), lastSendAt, items: items!, others: rest!, subject: suggestSubject(newsletter.name, items!) };
  }

  /** The issue rendered once, with placeholders for each reader's values. */
  async render(newsletterId: number, input: unknown): Promise<RenderedEmail> {
    const data = checked(compiled.compose, input);
    return this.renderChecked(await this.deps.newsletters.get(newsletterId), data);
  }

  /** The issue as the sample reader sees it (for the admin's preview). */
  async preview(newsletterId: number, input: unknown): Promise<RenderedEmail> {
    return fillPlaceholders(await this.render(newsletterId, input), sampleValues(this.deps.publicUrl));
  }

  /** One email to `to`, "[Test]" before the subject, the sample reader's values in the placeholders. */
  async sendTest(userId: number, newsletterId: number, input: unknown): Promise<{ to: string; subject: string }> {
    const data = checked(compiled.test, input);
    const address = parseEmailAddress(data.to);
    if ('error' in address) throw new Invalid('The email has invalid fields', [{ path: '/to', message: address.error }]);
    const newsletter = await this.deps.newsletters.get(newsletterId);
    const rendered = fillPlaceholders(await this.renderChecked(newsletter, data), sampleValues(this.deps.publicUrl));
    // Counted before sending: a failing mail server still uses up the quota, so retries cannot be used to flood.
    if (!(await this.deps.limiter.take(testEmailKey(userId)))) throw new TooManyAttempts(HOUR / 1000);
    const message: EmailMessage = { to: address.email, subject: `[Test] ${rendered.subject}`, text: rendered.text, html: rendered.html };
    await this.deps.mailer.send(message);
    return { to: address.email, subject: message.subject };
  }

  private async renderChecked(newsletter: NewsletterView, data: ComposeInput): Promise<RenderedEmail> {
    const items = await this.chosenItems(data.itemIds);
    const settings = this.deps.settings();
    return renderEmail({
      newsletter: { name: newsletter.name, template: newsletter.template },
      site: { name: settings.name, publicUrl: this.deps.publicUrl, language: settings.language },
      subject: data.subject,
      intro: data.intro ?? newsletter.template.intro ?? '',
      items,
    });
  }

  /** The stories by id, in the order given; unknown and unpublished ids are a 400 naming them. */
  private async chosenItems(ids: readonly number[]): Promise<DigestItem[]> {
    const rows = await this.deps.repo.publishedByIds(ids, this.deps.clock.now().toISOString());
    const byId = new Map(rows.map((r) => [r.id, r]));
    const missing = ids.map((id, index) => ({ id, index })).filter(({ id }) => !byId.has(id));
    if (missing.length > 0) {
      throw new Invalid(
        `No published story with id ${missing.map((m) => m.id).join(', ')}`,
        missing.map(({ id, index }) => ({ path: `/itemIds/${index}`, message: `no published story with id ${id}` })),
      );
    }
    const [items] = await this.items([ids.map((id) => byId.get(id)!)]);
    return items!;
  }

  /** Digest items for lists of rows, bylines fetched in one query. */
  private async items(lists: DigestRow[][]): Promise<DigestItem[][]> {
    const bylines = await this.deps.repo.bylines(lists.flat().map((r) => r.id));
    return lists.map((rows) => rows.map((r) => digestItem(r, bylines.get(r.id) ?? [], this.deps.publicUrl)));
  }
}
