/**
 * Subscriber CSV export (docs/newsletters.md, "Export"), for the Admin API's
 * `export.csv` and `broadsheet subscribers export`. Rows are read a page at a
 * time and written as they come, so a large list never sits in memory.
 *
 * The file is UTF-8 with a byte-order mark (so spreadsheet programs read
 * accented names right) and CRLF line ends (RFC 4180). Cells that a
 * spreadsheet would run as a formula (starting with = + - @, a tab or a
 * carriage return) get a leading apostrophe; our import removes it again.
 */
import type { Kysely } from 'kysely';
import type { Database, NewsletterRow, SubscriptionRow, SubscriptionStatus } from '../db/schema.js';
import { NotFound } from '../shared/errors.js';
import type { NewslettersRepository } from './newsletters.repository.js';

const PAGE = 1000;

export interface ExportFilter {
  /** A newsletter's slug or id: only its readers, and only its columns. */
  newsletter?: string;
  status?: SubscriptionStatus;
}

export interface PreparedExport {
  filename: string;
  /** The file, a few lines at a time (the first chunk starts with the BOM and the header row). */
  chunks: AsyncGenerator<string>;
}

/** One CSV cell: formula-neutralised, quoted when it has to be. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",;\r\n\t]|^\s|\s$/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const csvLine = (cells: readonly string[]) => `${cells.map(csvCell).join(',')}\r\n`;

export class SubscriberExport {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly newsletters: NewslettersRepository,
  ) {}

  /** Checks the filter (404 for an unknown newsletter) before anything is sent, then streams. */
  async prepare(filter: ExportFilter, today: Date): Promise<PreparedExport> {
    const all = await this.newsletters.all();
    let only: NewsletterRow | undefined;
    if (filter.newsletter !== undefined && filter.newsletter.trim() !== '') {
      const spec = filter.newsletter.trim();
      only = all.find((n) => n.slug === spec || String(n.id) === spec);
      if (!only) throw new NotFound(`There is no newsletter "${spec.slice(0, 100)}"`);
    }
    const scope = only ? [only] : all;
    const date = today.toISOString().slice(0, 10);
    const filename = `subscribers${only ? `-${only.slug}` : ''}${filter.status ? `-${filter.status}` : ''}-${date}.csv`;
    return { filename, chunks: this.chunks(scope, only !== undefined, filter.status) };
  }

  private async *chunks(scope: NewsletterRow[], single: boolean, status: SubscriptionStatus | undefined): AsyncGenerator<string> {
    const columns = (n: NewsletterRow) => (single ? ['status', 'subscribed at', 'source'] : [`status (${n.slug})`, `subscribed at (${n.slug})`, `source (${n.slug})`]);
    yield '\uFEFF' + csvLine(['email', 'name', ...scope.flatMap(columns)]);
    const ids = scope.map((n) => n.id);
    let after = 0;
    for (;;) {
      let query = this.db.selectFrom('newsletter_subscribers as s').select(['s.id', 's.email', 's.name']).where('s.id', '>', after);
      if (single || status) {
        query = query.where((eb) =>
          eb.exists(
            eb
              .selectFrom('newsletter_subscriptions as x')
              .select('x.subscriber_id')
              .whereRef('x.subscriber_id', '=', 's.id')
              .$if(single, (qb) => qb.where('x.newsletter_id', '=', ids[0]!))
              .$if(status !== undefined, (qb) => qb.where('x.status', '=', status!)),
          ),
        );
      }
      const readers = await query.orderBy('s.id').limit(PAGE).execute();
      if (!readers.length) return;
      after = readers.at(-1)!.id;
      const subs = ids.length
        ? await this.db
            .selectFrom('newsletter_subscriptions')
            .select(['subscriber_id', 'newsletter_id', 'status', 'confirmed_at', 'source'])
            .where('subscriber_id', 'in', readers.map((r) => r.id))
            .where('newsletter_id', 'in', ids)
            .execute()
        : [];
      const byReader = new Map<number, Map<number, Pick<SubscriptionRow, 'status' | 'confirmed_at' | 'source'>>>();
      for (const s of subs) {
        if (!byReader.has(s.subscriber_id)) byReader.set(s.subscriber_id, new Map());
        byReader.get(s.subscriber_id)!.set(s.newsletter_id, s);
      }
      let text = '';
      for (const r of readers) {
        const mine = byReader.get(r.id);
        text += csvLine([
          r.email,
          r.name,
          ...scope.flatMap((n) => {
            const s = mine?.get(n.id);
            return s ? [s.status, s.confirmed_at ?? '', s.source] : ['', '', ''];
          }),
        ]);
      }
      yield text;
    }
  }
}
