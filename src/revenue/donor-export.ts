/**
 * The donor list as CSV, for a spreadsheet or a CRM: one row per donor, with
 * the same search and recurring-gift filter as the Donors screen. Read a few
 * hundred rows at a time (in id order, so a donor who gives meanwhile is
 * neither skipped nor repeated) and streamed; cells go through the newsletter
 * export's csvCell, which neutralises spreadsheet formulas (a name like
 * `=HYPERLINK(...)` stays text).
 */
import { sql, type Kysely } from 'kysely';
import type { Database, RecurringStatus } from '../db/schema.js';
import { csvLine } from '../newsletter/export.js';
import { currencyDecimals } from './money.js';

export interface DonorExportFilter {
  /** Part of the donor's email or name, case-insensitive. */
  q?: string;
  /** Donors whose latest recurring gift is in this state. */
  recurring?: RecurringStatus;
}

const BATCH = 500;

/** `%` and `_` in what someone typed are literal (as in the Donors search). */
const likePattern = (text: string) => `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Minor units → "1234.50": a plain number a spreadsheet reads, in the currency's own digits. */
export function csvAmount(minor: number, currency: string): string {
  const digits = currencyDecimals(currency);
  return (minor / 10 ** digits).toFixed(digits);
}

export class DonorExport {
  constructor(private readonly db: Kysely<Database>) {}

  prepare(filter: DonorExportFilter, currency: string, today: Date): { filename: string; chunks: AsyncGenerator<string> } {
    const filename = `donors${filter.recurring ? `-${filter.recurring}` : ''}-${today.toISOString().slice(0, 10)}.csv`;
    return { filename, chunks: this.chunks(filter, currency.toUpperCase()) };
  }

  private async *chunks(filter: DonorExportFilter, currency: string): AsyncGenerator<string> {
    // The BOM makes Excel read the file as UTF-8 (names with accents stay right).
    yield '\uFEFF' + csvLine(['email', 'name', `total given (${currency})`, 'gifts', 'first gift', 'last gift', 'recurring gift', 'donor since']);
    const latestRecurring = (eb: any) =>
      eb.selectFrom('recurring_gifts').select('recurring_gifts.status').whereRef('recurring_gifts.donor_id', '=', 'donors.id').orderBy('recurring_gifts.id', 'desc').limit(1);
    let after = 0;
    for (;;) {
      let query = this.db.selectFrom('donors').where('donors.id', '>', after);
      if (filter.q) {
        const pattern = likePattern(filter.q);
        query = query.where((eb) => eb.or([sql<boolean>`lower(donors.email) like ${pattern} escape '\\'`, sql<boolean>`lower(donors.name) like ${pattern} escape '\\'`]));
      }
      if (filter.recurring) {
        const status = filter.recurring;
        query = query.where((eb) => eb(latestRecurring(eb), '=', status));
      }
      const rows = await query
        .select(['donors.id', 'donors.email', 'donors.name', 'donors.total_minor', 'donors.gift_count', 'donors.first_gift_at', 'donors.last_gift_at', 'donors.created_at'])
        .select((eb) => latestRecurring(eb).as('recurring'))
        .orderBy('donors.id')
        .limit(BATCH)
        .execute();
      if (rows.length === 0) return;
      let text = '';
      for (const row of rows) {
        const r = row as typeof row & { recurring: RecurringStatus | null };
        text += csvLine([r.email, r.name, csvAmount(Number(r.total_minor), currency), String(r.gift_count), r.first_gift_at ?? '', r.last_gift_at ?? '', r.recurring ?? '', r.created_at]);
      }
      yield text;
      after = rows[rows.length - 1]!.id;
      if (rows.length < BATCH) return;
    }
  }
}
