/**
 * What prompts add to a reader page: inline and end-of-article prompts through
 * the body-insert pipeline, banners above the page's main content, section and
 * home prompts below it, overlays and the reader script at the end of the body.
 * The same for every reader (pages stay cacheable); the script chooses.
 *
 * Only the no-JavaScript default is in the page in full; every other candidate
 * is an empty slot, and the script fetches the copy of the variant it chose
 * from `copy()` (a cacheable JSON answer). That keeps pages light: every byte
 * here is in every cached page and every response (docs/PERFORMANCE.md).
 */
import { createHash } from 'node:crypto';
import { html, type Html } from '../shared/html.js';
import type { NewsletterRow } from '../db/schema.js';
import type { SiteSettings } from '../newsroom/settings.js';
import type { BodyInsert } from '../site/body-inserts.js';
import type { ArticleView } from '../site/site.service.js';
import { articlePath } from '../site/format.js';
import { candidateData, defaultPrompt, needsInstall, nextChange, pageCampaigns, runningCampaigns, type PageContext } from './candidates.js';
import { PROMPTS_TAG, type Campaign } from './model.js';
import { promptsData, promptsStyles, slotHtml, variantHtml, type RenderContext } from './views.js';
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

/** `<campaign id>.<variant key>`, as the script asks for copy. */
export interface CopyRef {
  campaign: number;
  variant: string;
}

/** At most one overlay and one prompt of each kind show on a page, so a page never asks for more. */
export const MAX_COPY_REFS = 8;

export class PagePrompts {
  constructor(private readonly deps: PagePromptsDeps) {}

  private async context(page: PromptPage | undefined, campaigns: readonly Campaign[]): Promise<RenderContext> {
    const path = !page ? '' : page.type === 'article' ? articlePath(page.article.card) : page.type === 'home' ? '/' : `/${page.sectionSlug}`;
    return {
      site: this.deps.settings(),
      articleId: page?.type === 'article' ? page.article.card.id : undefined,
      path,
      newsletters: campaigns.some((c) => c.kind === 'newsletter') ? await this.deps.newsletters() : [],
    };
  }

  private async prepare(page: PromptPage) {
    const now = this.deps.now();
    const all = await this.deps.campaigns();
    const chosen = pageCampaigns(all, contextOf(page), now);
    const ctx = await this.context(page, chosen);
    // Rendered whole once (on a cache miss) to know which can show on this site, and to version their copy.
    const version = createHash('sha1');
    const showable = chosen.filter((c) => {
      const parts = c.variants.map((v) => variantHtml(c, v, ctx, false)?.value ?? '');
      version.update(`${c.id}\0${parts.join('\0')}\0`);
      return parts.some(Boolean);
    });
    // An install offer cannot show without JavaScript, so it is never the default.
    const fallback = defaultPrompt(showable.filter((c) => !needsInstall(c, ctx.site)));
    const htmlOf = (c: Campaign): Html => (c === fallback ? (variantHtml(c, c.variants[0]!, ctx, true) ?? html``) : slotHtml(c));
    const tags = [PROMPTS_TAG, ...(chosen.some((c) => c.kind === 'newsletter') ? [NEWSLETTERS_TAG] : [])];
    const data = showable.map((c) => candidateData(c, { install: needsInstall(c, ctx.site) }));
    return { all, now, showable, data, htmlOf, tags, copyVersion: version.digest('base64url').slice(0, 8) };
  }

  /** Inline and end-of-article prompts for an article's body. */
  async inserts(article: ArticleView): Promise<BodyInsert[]> {
    const { showable, htmlOf, tags } = await this.prepare({ type: 'article', article });
    return showable
      .filter((c) => c.placement === 'inline' || c.placement === 'end')
      .map((campaign) => ({
        kind: `prompt:${campaign.kind}`,
        afterParagraph: campaign.placement === 'inline' ? campaign.afterParagraph : Number.MAX_SAFE_INTEGER,
        html: htmlOf(campaign).value,
        fallback: campaign.placement === 'end' ? 'end' : 'drop',
        priority: INLINE_PRIORITY,
        tags,
      }));
  }

  /** Everything else a page carries: banners, list prompts, overlays, the data and the script. */
  async parts(page: PromptPage): Promise<PageParts> {
    const { all, now, showable, data, htmlOf, tags, copyVersion } = await this.prepare(page);
    const at = (placement: string) => showable.filter((c) => c.placement === placement).map(htmlOf);
    const articleId = page.type === 'article' ? page.article.card.id : undefined;
    return {
      beforeMain: showable.length ? html`${promptsStyles(this.deps.assets)}${at('banner')}` : html``,
      afterMain: page.type === 'article' ? html`` : html`${at('list')}`,
      endOfBody: html`${at('overlay')}${promptsData(data, articleId, copyVersion, this.deps.assets)}`,
      tags,
      expiresAt: nextChange(all, now),
    };
  }

  /**
   * The copy of the variants a reader's script chose, by `campaign.variant`: the
   * same HTML as a page's default, without the page's own details (the script adds
   * the article to donation links and the page to sign-ups). Undefined when one of
   * them is not running any more (a page cached before a change).
   */
  async copy(refs: readonly CopyRef[]): Promise<{ copy: Record<string, string>; tags: string[] } | undefined> {
    const now = this.deps.now();
    const running = new Map(runningCampaigns(await this.deps.campaigns(), now).map((c) => [c.id, c]));
    const wanted = refs.map((r) => ({ ref: r, campaign: running.get(r.campaign) }));
    const campaigns = wanted.flatMap((w) => (w.campaign ? [w.campaign] : []));
    const ctx = await this.context(undefined, campaigns);
    const copy: Record<string, string> = {};
    for (const { ref, campaign } of wanted) {
      const variant = campaign?.variants.find((v) => v.key === ref.variant);
      const part = campaign && variant ? variantHtml(campaign, variant, ctx, false) : undefined;
      if (!part) return undefined;
      copy[`${ref.campaign}.${ref.variant}`] = part.value;
    }
    return { copy, tags: [PROMPTS_TAG, 'settings', ...(campaigns.some((c) => c.kind === 'newsletter') ? [NEWSLETTERS_TAG] : [])] };
  }
}
