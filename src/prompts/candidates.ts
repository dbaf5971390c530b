/**
 * Which campaigns a page carries (server side, the same for every reader so the
 * page stays cacheable): placement, dates, sections, tags, labels, sponsored.
 * Who sees which of them is the reader script's choice (public/assets/prompts.js);
 * without JavaScript, `defaultPrompt` shows.
 */
import type { ArticleLabel } from '../db/schema.js';
import type { SiteSettings } from '../newsroom/settings.js';
import type { Campaign, Candidate, PromptPlacement } from './model.js';

export interface ArticleContext {
  type: 'article';
  section: string | null;
  tags: readonly string[];
  label: ArticleLabel;
}
export interface ListContext {
  type: 'home' | 'section';
  section?: string;
}
export type PageContext = ArticleContext | ListContext;

const ARTICLE_PLACEMENTS: readonly PromptPlacement[] = ['inline', 'end', 'banner', 'overlay'];
const LIST_PLACEMENTS: readonly PromptPlacement[] = ['list', 'banner', 'overlay'];

function running(c: Campaign, now: number): boolean {
  if (c.status !== 'active') return false;
  if (c.endsAt && Date.parse(c.endsAt) <= now) return false;
  // Not started yet: `nextChange` makes the page expire at the start, so it is rendered again then.
  if (c.startsAt && Date.parse(c.startsAt) > now) return false;
  return c.variants.some((v) => v.weight > 0);
}

export function matchesPage(c: Campaign, page: PageContext): boolean {
  const t = c.targeting;
  if (page.type === 'article') {
    if (!ARTICLE_PLACEMENTS.includes(c.placement)) return false;
    // Sponsored content never carries a prompt unless the campaign says it may.
    if (page.label === 'sponsored' && !t.allowSponsored) return false;
    if (t.sections.length && (!page.section || !t.sections.includes(page.section))) return false;
    if (t.tags.length && !page.tags.some((tag) => t.tags.includes(tag))) return false;
    if (t.labels.length && !t.labels.includes(page.label)) return false;
    return true;
  }
  if (!LIST_PLACEMENTS.includes(c.placement)) return false;
  if (c.placement === 'banner' || c.placement === 'overlay') {
    // Article-only targeting means the campaign is about stories, not lists.
    if (t.tags.length || t.labels.length) return false;
  }
  if (!t.sections.length) return true;
  return page.type === 'section' && page.section !== undefined && t.sections.includes(page.section);
}

/** The campaigns running now (active, within their dates, a variant with a share), wherever they show. */
export function runningCampaigns(campaigns: readonly Campaign[], now: number): Campaign[] {
  return campaigns.filter((c) => running(c, now));
}

/** The campaigns a page carries, highest priority first. */
export function pageCampaigns(campaigns: readonly Campaign[], page: PageContext, now: number): Campaign[] {
  return campaigns
    .filter((c) => running(c, now) && matchesPage(c, page))
    .sort((a, b) => b.priority - a.priority || a.id - b.id);
}

/** When the page's set of prompts changes by itself (a start or end date): it expires then. */
export function nextChange(campaigns: readonly Campaign[], now: number): number | undefined {
  let next: number | undefined;
  for (const c of campaigns) {
    if (c.status !== 'active') continue;
    for (const at of [c.startsAt, c.endsAt]) {
      const t = at ? Date.parse(at) : NaN;
      if (t > now && (next === undefined || t < next)) next = t;
    }
  }
  return next;
}

/** An app prompt on a site without store links offers the web app's install, which needs the browser's say-so (and JavaScript). */
export function needsInstall(c: Campaign, site: SiteSettings): boolean {
  return c.kind === 'app' && !site.appLinks.ios && !site.appLinks.android;
}

/**
 * What shows without JavaScript: the highest-priority inline or end-of-article
 * (or, on lists, section/home) prompt that an unknown reader qualifies for:
 * no donor or subscriber requirement (an unknown reader counts as neither) and
 * no minimum of articles read. Never an overlay or a banner.
 */
export function defaultPrompt(campaigns: readonly Campaign[]): Campaign | undefined {
  return campaigns.find(
    (c) =>
      (c.placement === 'inline' || c.placement === 'end' || c.placement === 'list') &&
      (c.targeting.donor === 'any' || c.targeting.donor === 'non-donor') &&
      (c.targeting.subscriber === 'any' || c.targeting.subscriber === 'non-subscriber') &&
      !c.targeting.readsMin,
  );
}

/**
 * What the script needs to choose, in few bytes (it is in every cached page):
 * fields at their neutral value (no dates, any reader, no cap) are left out.
 */
export function candidateData(c: Campaign, options: { install?: boolean } = {}): Candidate {
  const t = c.targeting;
  const caps: Candidate['caps'] = { dismissDays: c.caps.dismissDays };
  if (c.caps.perDay !== null) caps.perDay = c.caps.perDay;
  if (c.caps.perWeek !== null) caps.perWeek = c.caps.perWeek;
  if (c.caps.total !== null) caps.total = c.caps.total;
  return {
    id: c.id,
    kind: c.kind,
    placement: c.placement,
    priority: c.priority,
    ...(c.startsAt ? { starts: c.startsAt } : {}),
    ...(c.endsAt ? { ends: c.endsAt } : {}),
    ...(t.donor !== 'any' ? { donor: t.donor } : {}),
    ...(t.subscriber !== 'any' ? { subscriber: t.subscriber } : {}),
    ...(t.readsMin !== null ? { readsMin: t.readsMin } : {}),
    ...(t.readsMax !== null ? { readsMax: t.readsMax } : {}),
    caps,
    variants: c.variants.map((v) => ({ key: v.key, weight: v.weight })),
    ...(options.install ? { install: true as const } : {}),
  };
}
