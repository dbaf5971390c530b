/**
 * What prompts add to a reader page: inline and end-of-article prompts through
 * the body-insert pipeline, banners above the page's main content, section and
 * home prompts below it, overlays and the reader script at the end of the body.
 * The same for every reader (pages stay cacheable); the script chooses.
 */
import { html, type Html } from '../shared/html.js';
import type { NewsletterRow } from '../db/schema.js';
import type { SiteSettings } from '../newsroom/settings.js';
import type { BodyInsert } from '../site/body-inserts.js';
import type { ArticleView } from '../site/site.service.js';
import { articlePath } from '../site/format.js';
import { candidateData, defaultPrompt, nextChange, pageCampaigns, type PageContext } from './candidates.js';
import { PROMPTS_TAG, type Campaign } from './model.js';
import { campaignHtml, promptsData, promptsStyles, type RenderContext } from './views.js';
import type { PromptAssets } from './assets.js';

export type PromptPage = { type: 'article'; article: ArticleView } | { type: 'home' } | { type: 'section'; sectionSlug: string };

export interface PageParts {
  beforeMain: Html;
  afterMain: Html;
  endOfBody: Html;
  tags: string[];
  expiresAt?: number;
}

/** The related-story links' priority too: whichever asks for the earlier paragraph gets the gap, the other slides to the next free one. */
const INLINE_PRIORITY = -1;
/** Newsletter tag: a newsletter prompt shows the first public newsletter, so the page changes with them. */
const NEWSLETTERS_TAG = 'newsletters';

export interface PagePromptsDeps {
  campaigns: () => Promise<Campaign[]>;
  newsletters: () => Promise<NewsletterRow[]>;
  settings: () => SiteSettings;
  assets: PromptAssets;
  now: () => number;
}

function contextOf(page: PromptPage): PageContext {
  if (page.type !== 'article') return page.type === 'home' ? { type: 'home' } : { type: 'section', section: page.sectionSlug };
  const { card, tags } = page.article;
  return { type: 'article', section: card.section?.slug ?? null, tags: tags.map((t) => t.slug), label: card.label };
}

export class PagePrompts {
  constructor(private readonly deps: PagePromptsDeps) {}

  private async prepare(page: PromptPage) {
    const now = this.deps.now();
    const all = await this.deps.campaigns();
    const chosen = pageCampaigns(all, contextOf(page), now);
    const needsNewsletters = chosen.some((c) => c.kind === 'newsletter');
    const path = page.type === 'article' ? articlePath(page.article.card) : page.type === 'home' ? '/' : `/${page.sectionSlug}`;
    const ctx: RenderContext = {
      site: this.deps.settings(),
      articleId: page.type === 'article' ? page.article.card.id : undefined,
      path,
      newsletters: needsNewsletters ? await this.deps.newsletters() : [],
    };
    const rendered = chosen.map((c) => ({ campaign: c, html: campaignHtml(c, ctx, false) })).filter((r) => r.html.value);
    const fallback = defaultPrompt(rendered.map((r) => r.campaign));
    const tags = [PROMPTS_TAG, ...(needsNewsletters ? [NEWSLETTERS_TAG] : [])];
    return { all, now, ctx, rendered, fallback, tags };
  }

  /** Inline and end-of-article prompts for an article's body. */
  async inserts(article: ArticleView): Promise<BodyInsert[]> {
    const { rendered, fallback, ctx, tags } = await this.prepare({ type: 'article', article });
    return rendered
      .filter((r) => r.campaign.placement === 'inline' || r.campaign.placement === 'end')
      .map(({ campaign }) => ({
        kind: `prompt:${campaign.kind}`,
        afterParagraph: campaign.placement === 'inline' ? campaign.afterParagraph : Number.MAX_SAFE_INTEGER,
        html: campaignHtml(campaign, ctx, campaign === fallback).value,
        fallback: campaign.placement === 'end' ? 'end' : 'drop',
        priority: INLINE_PRIORITY,
        tags,
      }));
  }

  /** Everything else a page carries: banners, list prompts, overlays, the data and the script. */
  async parts(page: PromptPage): Promise<PageParts> {
    const { all, now, rendered, fallback, ctx, tags } = await this.prepare(page);
    const at = (placement: string) => rendered.filter((r) => r.campaign.placement === placement);
    const banners = at('banner').map((r) => r.html);
    const lists = page.type === 'article' ? [] : at('list').map((r) => (r.campaign === fallback ? campaignHtml(r.campaign, ctx, true) : r.html));
    const overlays = at('overlay').map((r) => r.html);
    const articleId = page.type === 'article' ? page.article.card.id : undefined;
    return {
      beforeMain: rendered.length ? html`${promptsStyles(this.deps.assets)}${banners}` : html``,
      afterMain: html`${lists}`,
      endOfBody: html`${overlays}${promptsData(rendered.map((r) => candidateData(r.campaign)), articleId, this.deps.assets)}`,
      tags,
      expiresAt: nextChange(all, now),
    };
  }
}
