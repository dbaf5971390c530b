/**
 * Builds the reader-prompts capability (docs/prompts.md): campaigns, their
 * aggregate counts, and what reader pages carry.
 */
import type { Kysely } from 'kysely';
import type { Database, NewsletterRow } from '../db/schema.js';
import type { EventBus } from '../shared/events.js';
import type { Clock } from '../shared/clock.js';
import type { SettingsStore } from '../newsroom/settings.js';
import { html } from '../shared/html.js';
import { PromptsRepository } from './prompts.repository.js';
import { CampaignsService, campaignView } from './campaigns.service.js';
import { PromptStats } from './stats.service.js';
import { PagePrompts } from './page-prompts.js';
import { loadPromptAssets, type PromptAssets } from './assets.js';
import { campaignHtml, promptsStyles } from './views.js';

export interface Prompts {
  campaigns: CampaignsService;
  /** Impressions, clicks, dismissals and conversions per variant and day; `recordConversion` for the donate flow. */
  stats: PromptStats;
  pages: PagePrompts;
  assets: PromptAssets;
  /** Reader HTML of a campaign as typed in the editor (nothing saved). */
  preview(input: unknown): Promise<string>;
}

export function createPrompts(deps: {
  kysely: Kysely<Database>;
  events: EventBus;
  clock: Clock;
  settings: SettingsStore;
  publicNewsletters: () => Promise<NewsletterRow[]>;
}): Prompts {
  const repo = new PromptsRepository(deps.kysely);
  const campaigns = new CampaignsService({ repo, events: deps.events, clock: deps.clock });
  const stats = new PromptStats({ repo, clock: deps.clock });
  const assets = loadPromptAssets();
  const pages = new PagePrompts({
    campaigns: async () => (await repo.active()).map(campaignView),
    newsletters: deps.publicNewsletters,
    settings: () => deps.settings.get(),
    assets,
    now: () => deps.clock.now().getTime(),
  });
  return {
    campaigns,
    stats,
    pages,
    assets,
    async preview(input) {
      const now = deps.clock.now().toISOString();
      const row = campaigns.draft(input);
      const campaign = campaignView({ ...row, id: 0, created_at: now, updated_at: now });
      const body = campaignHtml({ ...campaign, placement: campaign.placement === 'overlay' ? 'end' : campaign.placement }, { site: deps.settings.get(), path: '/', newsletters: await deps.publicNewsletters() }, true);
      // Every variant visible, one after another, for the editor to compare.
      return html`${promptsStyles(assets)}${body}`.value.replace(/ hidden>/g, '>');
    },
  };
}
