/**
 * The ordered list of migrations, one set for both databases. A migration is a
 * factory so that it can pick dialect-specific column types where they differ.
 * Add new migrations at the end; never edit one that has shipped.
 */
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { Db, Dialect } from '../connection.js';
import { core } from './0001_core.js';
import { accounts } from './0002_accounts.js';
import { readerIndexes } from './0003_reader_indexes.js';
import { adminIndexes } from './0004_admin_indexes.js';
import { mediaLibrary } from './0005_media_library.js';
import { previewLinks } from './0006_preview_links.js';
import { search } from './0007_search.js';
import { related } from './0008_related.js';
import { relatedRanking } from './0009_related_ranking.js';
import { newsletters } from './0010_newsletters.js';
import { searchPostgresSpeed } from './0011_search_postgres_speed.js';
import { newsletterImports } from './0012_newsletter_imports.js';
import { newsletterSends } from './0013_newsletter_sends.js';
import { newsletterSuppressions } from './0014_newsletter_suppressions.js';
import { newsletterTracking } from './0015_newsletter_tracking.js';
import { newsletterSendKeys } from './0016_newsletter_send_keys.js';
import { newsletterSchedule } from './0017_newsletter_schedule.js';
import { donations } from './0018_donations.js';
import { prompts } from './0020_prompts.js';
import { donorAccess } from './0022_donor_access.js';
import { donationRefundRequests } from './0026_donation_refund_requests.js';
import { apiKeys } from './0023_api_keys.js';
import { push } from './0024_push.js';
import { social } from './0025_social.js';

export type MigrationFactory = (dialect: Dialect) => Migration;

const migrations: Record<string, MigrationFactory> = {
  '0001_core': core,
  '0002_accounts': accounts,
  '0003_reader_indexes': readerIndexes,
  '0004_admin_indexes': adminIndexes,
  '0005_media_library': mediaLibrary,
  '0006_preview_links': previewLinks,
  '0007_search': search,
  '0008_related': related,
  '0009_related_ranking': relatedRanking,
  '0010_newsletters': newsletters,
  '0011_search_postgres_speed': searchPostgresSpeed,
  '0012_newsletter_imports': newsletterImports,
  '0013_newsletter_sends': newsletterSends,
  '0014_newsletter_suppressions': newsletterSuppressions,
  '0015_newsletter_tracking': newsletterTracking,
  '0016_newsletter_send_keys': newsletterSendKeys,
  '0017_newsletter_schedule': newsletterSchedule,
  '0018_donations': donations,
  '0020_prompts': prompts,
  '0022_donor_access': donorAccess,
  '0026_donation_refund_requests': donationRefundRequests,
  '0023_api_keys': apiKeys,
  '0024_push': push,
  '0025_social': social,
};

class InCodeProvider implements MigrationProvider {
  constructor(private readonly dialect: Dialect) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return Object.fromEntries(Object.entries(migrations).map(([name, factory]) => [name, factory(this.dialect)]));
  }
}

export interface MigrationReport {
  applied: string[];
}

/** Brings the schema up to date. Safe to run on every start and from several nodes at once. */
export async function migrateToLatest(db: Db): Promise<MigrationReport> {
  // On PostgreSQL, pin Kysely's bookkeeping tables to our schema: otherwise it looks for them in
  // every schema of the database, finds another instance's (or test run's), and never creates ours.
  const migrationTableSchema =
    db.dialect === 'postgres' ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db.kysely)).rows[0]?.schema : undefined;
  const migrator = new Migrator({
    db: db.kysely as Kysely<any>,
    provider: new InCodeProvider(db.dialect),
    ...(migrationTableSchema ? { migrationTableSchema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${String(error)}`, { cause: error });
  }
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}
