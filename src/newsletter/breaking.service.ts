/**
 * Breaking news from the article editor (docs/newsletters.md, "Breaking news
 * from the editor"): one published story becomes a one-story email (its
 * headline as the subject unless the editor writes one, its dek as the
 * intro) sent at once to a newsletter's readers.
 *
 * One send per story and newsletter: a second request (a double click, a
 * second editor) is a 409 that says when it went, unless it says `again`.
 * The database has the last word: the send records the story and which send
 * of it this is, unique per newsletter, so two requests at the same instant
 * cannot both start one.
 */
import { Type, type Static } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { SiteSettings } from '../newsroom/settings.js';
import type { Clock } from '../shared/clock.js';
import { Conflict, Invalid, NotFound } from '../shared/errors.js';
import { formatDateTime } from '../site/format.js';
import type { BreakingRepository } from './breaking.repository.js';
import type { DeliveryService, SendView } from './delivery.service.js';
import { digestItem, oneLine } from './digest.js';
import type { DigestRepository } from './digest.repository.js';
import type { NewslettersService } from './newsletters.service.js';
import { renderEmail } from './render.js';
import { isUniqueViolation } from '../db/errors.js';

export const BreakingSendInput = Type.Object(
  {
    newsletterId: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }),
    /** One line; default: the story's headline. */
    subject: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '^[^\\x00-\\x1f\\x7f]*\\S[^\\x00-\\x1f\\x7f]*$' })),
    /** Send a story this newsletter already carried once more. */
    again: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type BreakingSendInput = Static<typeof BreakingSendInput>;
const compiled = TypeCompiler.Compile(BreakingSendInput);

function checked(input: unknown): BreakingSendInput {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new Invalid('Send a JSON object');
  if (compiled.Check(input)) return input;
  const fields = [...compiled.Errors(input)].slice(0, 10).map((e) => ({
    path: e.path || '/',
    message: e.schema.additionalProperties === false && e.message.includes('additional') ? 'unknown field' : e.path === '/subject' ? 'one line of 1 to 200 characters' : e.message,
  }));
  throw new Invalid('The newsletter send has invalid fields', fields);
}

export interface BreakingNewsDeps {
  repo: BreakingRepository;
  digest: DigestRepository;
  newsletters: NewslettersService;
  delivery: DeliveryService;
  clock: Clock;
  publicUrl: string;
  settings: () => SiteSettings;
}

export class BreakingNews {
  constructor(private readonly deps: BreakingNewsDeps) {}

  async send(articleId: number, input: unknown, createdBy: number | null): Promise<SendView> {
    const data = checked(input);
    const newsletter = await this.deps.newsletters.get(data.newsletterId).catch((error: unknown) => {
      if (error instanceof NotFound) throw new Invalid('No such newsletter', [{ path: '/newsletterId', message: `no newsletter with id ${data.newsletterId}` }]);
      throw error;
    });
    const article = await this.deps.repo.article(articleId);
    if (!article) throw new NotFound('No such article');
    const now = this.deps.clock.now().toISOString();
    const [row] = await this.deps.digest.publishedByIds([articleId], now);
    if (!row) {
      const state = article.status === 'published' ? 'not public yet (its publication time is in the future)' : article.status;
      throw new Conflict(`Only a published story can be sent as a newsletter; this one is ${state}`, { status: article.status });
    }

    // As "send now" does: an empty send would only record that the story "went" (and block sending it later).
    if (newsletter.counts.subscribed === 0) throw new Conflict(`Nobody is subscribed to ${newsletter.name} yet, so there is no one to send this story to`, { subscribed: 0 });

    const previous = await this.deps.repo.latestSend(articleId, newsletter.id);
    if (previous && !data.again) throw this.alreadySent(article.headline, newsletter.name, previous);

    const bylines = await this.deps.digest.bylines([articleId]);
    const item = digestItem(row, bylines.get(articleId) ?? [], this.deps.publicUrl);
    const settings = this.deps.settings();
    const intro = item.dek.trim() || (newsletter.template.intro ?? '');
    const email = renderEmail({
      newsletter: { name: newsletter.name, template: newsletter.template },
      site: { name: settings.name, publicUrl: this.deps.publicUrl, language: settings.language },
      subject: data.subject ?? oneLine(item.headline, 200),
      intro,
      // The dek is the intro already: not twice.
      items: [{ ...item, dek: item.dek.trim() && intro === item.dek.trim() ? '' : item.dek }],
    });
    try {
      const { sendId } = await this.deps.delivery.startSend({
        newsletterId: newsletter.id,
        email,
        createdBy,
        article: { id: articleId, round: (previous?.article_round ?? 0) + 1 },
      });
      return await this.deps.delivery.view(sendId);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // Another request for the same story and newsletter won the race.
      const winner = await this.deps.repo.latestSend(articleId, newsletter.id);
      throw winner ? this.alreadySent(article.headline, newsletter.name, winner) : error;
    }
  }

  private alreadySent(headline: string, newsletterName: string, send: { id: number; created_at: string }): Conflict {
    const { timeZone, language } = this.deps.settings();
    const when = formatDateTime(send.created_at, timeZone, language);
    return new Conflict(`“${oneLine(headline, 80)}” already went to ${newsletterName} on ${when}. To send it again, confirm that you mean to (again: true).`, {
      sendId: send.id,
      sentAt: send.created_at,
    });
  }
}
