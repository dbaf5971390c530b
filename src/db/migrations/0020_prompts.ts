import type { Kysely } from 'kysely';
import { createTableWithId } from './helpers.js';
import type { MigrationFactory } from './index.js';

/**
 * Reader prompts (docs/prompts.md):
 * - prompt_campaigns: one prompt (donation appeal, newsletter sign-up, app,
 *   social follow, custom) with where it shows, who it targets, how often,
 *   when and its A/B variants. Targeting, caps and variants are JSON checked
 *   by the service: they are always read and written whole, never queried.
 * - prompt_stats: aggregate counts per campaign, variant and UTC day. Nothing
 *   about any reader is kept; the browser's beacon only adds to these counts.
 */
export const prompts: MigrationFactory = (dialect) => ({
  async up(db: Kysely<any>) {
    await createTableWithId(db, dialect, 'prompt_campaigns')
      .addColumn('slug', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('placement', 'text', (c) => c.notNull())
      .addColumn('after_paragraph', 'integer', (c) => c.notNull().defaultTo(3))
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
      .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('starts_at', 'text')
      .addColumn('ends_at', 'text')
      .addColumn('targeting', 'text', (c) => c.notNull())
      .addColumn('caps', 'text', (c) => c.notNull())
      .addColumn('variants', 'text', (c) => c.notNull())
      .addColumn('options', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('prompt_stats')
      .addColumn('campaign_id', 'integer', (c) => c.notNull().references('prompt_campaigns.id').onDelete('cascade'))
      .addColumn('variant', 'text', (c) => c.notNull())
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('impressions', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('clicks', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('dismissals', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('conversions', 'integer', (c) => c.notNull().defaultTo(0))
      .addPrimaryKeyConstraint('prompt_stats_pk', ['campaign_id', 'variant', 'day'])
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('prompt_stats').ifExists().execute();
    await db.schema.dropTable('prompt_campaigns').ifExists().execute();
  },
});
