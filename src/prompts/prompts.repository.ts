/** Queries for prompt campaigns and their aggregate counts. */
import { sql, type Insertable, type Kysely, type Selectable, type Updateable } from 'kysely';
import type { Database, PromptCampaignsTable, PromptStatsTable } from '../db/schema.js';

export type CampaignRow = Selectable<PromptCampaignsTable>;
export type StatKind = 'impressions' | 'clicks' | 'dismissals' | 'conversions';
export interface StatIncrement {
  campaignId: number;
  variant: string;
  impressions: number;
  clicks: number;
  dismissals: number;
  conversions: number;
}

export class PromptsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  list(): Promise<CampaignRow[]> {
    return this.db.selectFrom('prompt_campaigns').selectAll().orderBy('priority', 'desc').orderBy('id').execute();
  }

  /** Campaigns that may show at some time (active); dates are checked by the caller and the reader script. */
  active(): Promise<CampaignRow[]> {
    return this.db.selectFrom('prompt_campaigns').selectAll().where('status', '=', 'active').orderBy('priority', 'desc').orderBy('id').execute();
  }

  find(id: number): Promise<CampaignRow | undefined> {
    return this.db.selectFrom('prompt_campaigns').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findBySlug(slug: string): Promise<CampaignRow | undefined> {
    return this.db.selectFrom('prompt_campaigns').selectAll().where('slug', '=', slug).executeTakeFirst();
  }

  async insert(row: Insertable<PromptCampaignsTable>): Promise<number> {
    const inserted = await this.db.insertInto('prompt_campaigns').values(row).returning('id').executeTakeFirstOrThrow();
    return inserted.id;
  }

  async update(id: number, patch: Updateable<PromptCampaignsTable>): Promise<void> {
    await this.db.updateTable('prompt_campaigns').set(patch).where('id', '=', id).execute();
  }

  async delete(id: number): Promise<boolean> {
    // SQLite enforces the cascade only with foreign keys on; delete the counts explicitly.
    return this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('prompt_stats').where('campaign_id', '=', id).execute();
      const result = await trx.deleteFrom('prompt_campaigns').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    });
  }

  /** Adds to the day's counts, one upsert per campaign and variant (both databases speak ON CONFLICT). */
  async add(day: string, increments: readonly StatIncrement[]): Promise<void> {
    if (!increments.length) return;
    await this.db.transaction().execute(async (trx) => {
      for (const inc of increments) {
        const row: Insertable<PromptStatsTable> = {
          campaign_id: inc.campaignId,
          variant: inc.variant,
          day,
          impressions: inc.impressions,
          clicks: inc.clicks,
          dismissals: inc.dismissals,
          conversions: inc.conversions,
        };
        await trx
          .insertInto('prompt_stats')
          .values(row)
          .onConflict((oc) =>
            oc.columns(['campaign_id', 'variant', 'day']).doUpdateSet({
              impressions: sql`prompt_stats.impressions + excluded.impressions`,
              clicks: sql`prompt_stats.clicks + excluded.clicks`,
              dismissals: sql`prompt_stats.dismissals + excluded.dismissals`,
              conversions: sql`prompt_stats.conversions + excluded.conversions`,
            }),
          )
          .execute();
      }
    });
  }

  /** Counts per variant and day for one campaign, within [from, to] (UTC days, inclusive). */
  stats(campaignId: number, from: string, to: string): Promise<Selectable<PromptStatsTable>[]> {
    return this.db
      .selectFrom('prompt_stats')
      .selectAll()
      .where('campaign_id', '=', campaignId)
      .where('day', '>=', from)
      .where('day', '<=', to)
      .orderBy('day')
      .orderBy('variant')
      .execute();
  }
}
