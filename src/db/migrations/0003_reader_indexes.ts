import type { Kysely } from 'kysely';
import type { MigrationFactory } from './index.js';

/**
 * Indexes for queries every reader page runs. The live breaking story is
 * looked up on every rendered page; without this index SQLite walked the
 * whole published archive (and each row's overflow pages) to find that no
 * story is flagged: ~200 ms per page at 50,000 articles (see docs/PERFORMANCE.md).
 * breaking_until is in the index so that stories whose flag has expired (they
 * keep breaking = 1) are skipped without reading their rows.
 */
export const readerIndexes: MigrationFactory = () => ({
  async up(db: Kysely<any>) {
    await db.schema.createIndex('articles_breaking').on('articles').columns(['breaking', 'status', 'published_at', 'breaking_until']).execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropIndex('articles_breaking').ifExists().execute();
  },
});
