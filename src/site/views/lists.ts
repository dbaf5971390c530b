/** Section, tag, author and archive pages: a heading, an intro, a paginated list. */
import { html, type Html } from '../../shared/html.js';
import type { ArticleCard } from '../../newsroom/articles.repository.js';
import type { ImageRef } from '../../newsroom/media.js';
import { pagination, picture, storyList, type ViewContext } from './components.js';
import type { Paged } from '../site.service.js';

export function listMain(options: {
  kicker?: string;
  title: string;
  intro?: string;
  basePath: string;
  list: Paged<ArticleCard>;
  ctx: ViewContext;
  feedHref?: string;
  extra?: Html;
}): Html {
  const { list } = options;
  return html`<header class="list-header">
  ${options.kicker ? html`<p class="kicker">${options.kicker}</p>` : ''}
  <h1>${options.title}${list.page > 1 ? html` <span class="page-number">(page ${list.page})</span>` : ''}</h1>
  ${options.intro ? html`<p class="intro">${options.intro}</p>` : ''}
  ${options.extra ?? ''}
  ${options.feedHref ? html`<p class="feed-link"><a href="${options.feedHref}">Follow by RSS</a></p>` : ''}
</header>
${list.items.length ? storyList(list.items, options.ctx, { headingLevel: 2 }) : html`<p class="empty">There are no stories here yet.</p>`}
${pagination(options.basePath, list.page, list.pages)}`;
}

export function authorExtra(author: { name: string; title: string; bio: string; expertise: string[]; social: Record<string, string> }, avatar: ImageRef | null): Html {
  const social = Object.entries(author.social).filter(([, url]) => /^https?:\/\//.test(url));
  const names: Record<string, string> = { x: 'X', mastodon: 'Mastodon', bluesky: 'Bluesky', website: 'Website', facebook: 'Facebook', instagram: 'Instagram' };
  return html`<div class="author-profile">
  ${avatar ? picture(avatar, '8em', { className: 'avatar' }) : ''}
  ${author.title ? html`<p class="author-title">${author.title}</p>` : ''}
  ${author.bio ? html`<p class="author-bio">${author.bio}</p>` : ''}
  ${author.expertise.length ? html`<p class="expertise">Covers: ${author.expertise.join(', ')}</p>` : ''}
  ${social.length ? html`<ul class="follow">${social.map(([k, url]) => html`<li><a href="${url}" rel="me noopener">${names[k] ?? k}</a></li>`)}</ul>` : ''}
</div>`;
}

export function archiveIndexMain(months: { month: string; count: number }[], monthName: (y: number, m: number) => string): Html {
  const byYear = new Map<string, { month: string; count: number }[]>();
  for (const m of months) {
    const year = m.month.slice(0, 4);
    byYear.set(year, [...(byYear.get(year) ?? []), m]);
  }
  return html`<header class="list-header"><h1>Archive</h1><p class="intro">Every story we have published, by month.</p></header>
${[...byYear.entries()].map(
  ([year, list]) => html`<section aria-labelledby="y${year}"><h2 id="y${year}">${year}</h2><ul class="archive-months">${list.map((m) => {
    const [y, mo] = m.month.split('-').map(Number) as [number, number];
    return html`<li><a href="/archive/${y}/${String(mo).padStart(2, '0')}">${monthName(y, mo)}</a> (${m.count})</li>`;
  })}</ul></section>`,
)}`;
}
