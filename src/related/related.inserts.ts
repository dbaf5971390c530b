/**
 * Related stories on article pages, through the body-insert pipeline
 * (src/site/body-inserts.ts): inline "READ:" asides after the configured
 * paragraphs (the pipeline keeps them out of lists, quotes and embeds and
 * drops those a short article has no room for), and a "More from <section>"
 * list at the end. Reads stored picks only; nothing is ranked here.
 *
 * Every page carries the tag `related:<id>` (pick changes re-render exactly
 * that page) and `a:<pick>` for each story it links (a renamed or unpublished
 * pick re-renders it). The end insert always exists, even empty, so the
 * `related:` tag is on the page before its first pick arrives.
 *
 * Feeds get the same inserts only when the site says so (`inFeeds`); they are
 * built from stored blocks and otherwise never show related links.
 */
import { html, type Html } from '../shared/html.js';
import type { BodyInsert } from '../site/body-inserts.js';
import type { ArticleView } from '../site/site.service.js';
import type { SiteSettings } from '../newsroom/settings.js';
import type { PickView } from './related.repository.js';
import { pickPath, type RelatedService } from './related.service.js';

export const INLINE_KIND = 'related';
export const MORE_KIND = 'related:more';

type Rules = SiteSettings['related'];

function inlineAside(pick: PickView, label: string): Html {
  return html`<aside class="related-inline" aria-label="Related story"><p><span class="related-label">${label}</span> <a href="${pickPath(pick)}">${pick.headline}</a></p></aside>`;
}

function moreList(picks: readonly PickView[], sectionName: string): Html {
  return html`<aside class="related-more" aria-labelledby="related-more-title"><h2 id="related-more-title">More from ${sectionName}</h2><ul>${picks.map(
    (p) => html`<li><a href="${pickPath(p)}">${p.headline}</a></li>`,
  )}</ul></aside>`;
}

/** The inserts for one article from its stored picks and the site's rules (pure: tested on its own). */
export function relatedInserts(article: Pick<ArticleView, 'card' | 'blocks'>, stored: { inline: boolean; picks: readonly PickView[] }, rules: Rules): BodyInsert[] {
  const inserts: BodyInsert[] = [];
  const used = new Set<number>();
  const paragraphs = article.blocks.filter((b) => b.type === 'paragraph').length;
  if (stored.inline && rules.inlineCount > 0 && paragraphs >= rules.minParagraphs) {
    let after = 0;
    for (let i = 0; i < Math.min(rules.inlineCount, stored.picks.length); i++) {
      const pick = stored.picks[i]!;
      // More links than configured positions: every four paragraphs after the last one.
      after = rules.afterParagraphs[i] ?? after + 4;
      inserts.push({ kind: INLINE_KIND, afterParagraph: after, html: inlineAside(pick, rules.label).value, fallback: 'drop', tags: [`a:${pick.id}`] });
      used.add(pick.id);
    }
  }
  const section = article.card.section;
  const more = rules.moreFromSection && section ? stored.picks.filter((p) => !used.has(p.id) && p.section?.id === section.id).slice(0, rules.moreCount) : [];
  inserts.push({
    kind: MORE_KIND,
    afterParagraph: Number.MAX_SAFE_INTEGER, // never in a gap: always at the end
    html: more.length && section ? moreList(more, section.name).value : '',
    fallback: 'end',
    priority: -1,
    tags: [`related:${article.card.id}`, ...more.map((p) => `a:${p.id}`)],
  });
  return inserts;
}

/** The provider for App.insertProviders. */
export function relatedInsertProvider(related: RelatedService, rules: () => Rules) {
  return async (article: ArticleView): Promise<BodyInsert[]> => {
    // A draft in preview has no picks yet; its page shows none.
    if (article.status !== 'published') return [];
    return relatedInserts(article, await related.pagePicks(article.card.id), rules());
  };
}

/** The provider for feeds (registerFeedRoutes): the page's inserts when `inFeeds` is on, none otherwise. Feeds list published stories only. */
export function relatedFeedInsertProvider(related: RelatedService, rules: () => Rules) {
  return async (entry: Pick<ArticleView, 'card' | 'blocks'>): Promise<BodyInsert[]> => {
    const current = rules();
    if (!current.inFeeds) return [];
    return relatedInserts(entry, await related.pagePicks(entry.card.id), current);
  };
}
