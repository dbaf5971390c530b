/**
 * Aggregate prompt counts: the reader script's beacon (impressions, clicks,
 * dismissals), conversions (a newsletter sign-up or a gift that came from a
 * prompt), and the per-variant table the admin shows. Only counts per
 * campaign, variant and UTC day are kept: nothing about who.
 */
import { Invalid, NotFound } from '../shared/errors.js';
import type { Clock } from '../shared/clock.js';
import type { PromptsRepository, StatIncrement } from './prompts.repository.js';
import { campaignView } from './campaigns.service.js';

export type PromptEventType = 'impression' | 'click' | 'dismiss' | 'conversion';
export interface PromptEvent {
  campaign: number;
  variant: string;
  type: PromptEventType;
}

const FIELD: Record<PromptEventType, keyof Omit<StatIncrement, 'campaignId' | 'variant'>> = {
  impression: 'impressions',
  click: 'clicks',
  dismiss: 'dismissals',
  conversion: 'conversions',
};

export interface VariantStats {
  variant: string;
  impressions: number;
  clicks: number;
  dismissals: number;
  conversions: number;
  /** Conversions per impression (0 without impressions). */
  conversionRate: number;
  clickRate: number;
}

export interface CampaignStats {
  from: string;
  to: string;
  variants: VariantStats[];
  days: (Omit<VariantStats, 'conversionRate' | 'clickRate'> & { day: string })[];
}

const DAY_MS = 86_400_000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export class PromptStats {
  constructor(private readonly deps: { repo: PromptsRepository; clock: Clock }) {}

  /**
   * Adds a batch of beacon events to today's counts. Events for campaigns or
   * variants that no longer exist (a page cached before a change) are skipped.
   * Returns how many were counted.
   */
  async record(events: readonly PromptEvent[]): Promise<number> {
    const known = new Map<number, Set<string> | null>();
    const totals = new Map<string, StatIncrement>();
    let counted = 0;
    for (const event of events) {
      if (!known.has(event.campaign)) {
        const row = await this.deps.repo.find(event.campaign);
        known.set(event.campaign, row ? new Set(campaignView(row).variants.map((v) => v.key)) : null);
      }
      if (!known.get(event.campaign)?.has(event.variant)) continue;
      const key = `${event.campaign}\u0000${event.variant}`;
      const inc = totals.get(key) ?? { campaignId: event.campaign, variant: event.variant, impressions: 0, clicks: 0, dismissals: 0, conversions: 0 };
      inc[FIELD[event.type]]++;
      totals.set(key, inc);
      counted++;
    }
    await this.deps.repo.add(dayOf(this.deps.clock.now().getTime()), [...totals.values()]);
    return counted;
  }

  /** A conversion attributed by the campaign's slug (the donate flow passes `campaign` and `variant` along). */
  async recordConversion(campaignSlug: string, variant: string): Promise<boolean> {
    const row = await this.deps.repo.findBySlug(campaignSlug);
    if (!row) return false;
    return (await this.record([{ campaign: row.id, variant, type: 'conversion' }])) === 1;
  }

  /** Per-variant totals and daily rows; the last 30 days unless a range is given. */
  async forCampaign(campaignId: number, range: { from?: string; to?: string } = {}): Promise<CampaignStats> {
    const row = await this.deps.repo.find(campaignId);
    if (!row) throw new NotFound('No such prompt');
    const today = dayOf(this.deps.clock.now().getTime());
    const to = range.to ?? today;
    const from = range.from ?? dayOf(Date.parse(`${to}T00:00:00Z`) - 29 * DAY_MS);
    if (from > to) throw new Invalid('The range starts after it ends', [{ path: '/from', message: 'must not be after "to"' }]);
    const rows = await this.deps.repo.stats(campaignId, from, to);
    const byVariant = new Map<string, VariantStats>();
    for (const v of campaignView(row).variants) byVariant.set(v.key, { variant: v.key, impressions: 0, clicks: 0, dismissals: 0, conversions: 0, conversionRate: 0, clickRate: 0 });
    for (const r of rows) {
      const v = byVariant.get(r.variant) ?? { variant: r.variant, impressions: 0, clicks: 0, dismissals: 0, conversions: 0, conversionRate: 0, clickRate: 0 };
      v.impressions += Number(r.impressions);
      v.clicks += Number(r.clicks);
      v.dismissals += Number(r.dismissals);
      v.conversions += Number(r.conversions);
      byVariant.set(r.variant, v);
    }
    const variants = [...byVariant.values()].map((v) => ({
      ...v,
      conversionRate: v.impressions ? v.conversions / v.impressions : 0,
      clickRate: v.impressions ? v.clicks / v.impressions : 0,
    }));
    const days = rows.map((r) => ({ day: r.day, variant: r.variant, impressions: Number(r.impressions), clicks: Number(r.clicks), dismissals: Number(r.dismissals), conversions: Number(r.conversions) }));
    return { from, to, variants, days };
  }
}
