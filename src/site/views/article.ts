/** The article page. */
import { html, raw, type Html } from '../../shared/html.js';
import type { ArticleView } from '../site.service.js';
import type { SiteSettings } from '../../newsroom/settings.js';
import { readingMinutes } from '../../newsroom/body.js';
import { bylineLinks, label, picture, time, type ViewContext } from './components.js';
import { followLinks } from './layout.js';
import type { RenderedBlock } from '../../newsroom/body.js';
import { escapeHtml } from '../../shared/html.js';

/** Puts the dateline at the start of the first paragraph, as print does ("PORT ALDER — ..."). */
export function withDateline(blocks: readonly RenderedBlock[], dateline: string): RenderedBlock[] {
  if (!dateline) return [...blocks];
  const index = blocks.findIndex((b) => b.type === 'paragraph');
  if (index === -1) return [...blocks];
  const first = blocks[index]!;
  const copy = [...blocks];
  copy[index] = { type: 'paragraph', html: first.html.replace(/^<p>/, `<p><span class="dateline">${escapeHtml(dateline)}</span> — `) };
  return copy;
}

const CORRECTION_NAMES = { correction: 'Correction', clarification: 'Clarification', update: 'Update' } as const;

export function shareLinks(url: string, title: string): Html {
  const u = encodeURIComponent(url);
  const t = encodeURIComponent(title);
  return html`<ul class="share" aria-label="Share this story">
  <li><a href="https://www.facebook.com/sharer/sharer.php?u=${u}" rel="noopener" target="_blank">Share on Facebook</a></li>
  <li><a href="https://x.com/intent/post?url=${u}&amp;text=${t}" rel="noopener" target="_blank">Share on X</a></li>
  <li><a href="mailto:?subject=${t}&amp;body=${u}">Share by email</a></li>
  <li><button type="button" class="copy-link" data-url="${url}" hidden>Copy link</button></li>
</ul>`;
}

export function articleMain(
  article: ArticleView,
  bodyHtml: string,
  site: SiteSettings,
  canonical: string,
  ctx: ViewContext,
  options: { breakingLive?: boolean } = {},
): Html {
  const { card } = article;
  const updated = card.updatedAt && card.updatedAt > card.publishedAt ? card.updatedAt : null;
  return html`<article class="article article-${card.label}" aria-labelledby="headline">
  <header class="article-header">
    ${card.section ? html`<p class="kicker"><a href="/${card.section.slug}">${card.section.name}</a>${card.label !== 'news' ? ' · ' : ''}${label(card)}</p>` : html`<p class="kicker">${label(card)}</p>`}
    ${options.breakingLive ? html`<p class="breaking-flag"><strong>Breaking news</strong></p>` : ''}
    <h1 id="headline">${card.headline}</h1>
    ${card.dek ? html`<p class="dek">${card.dek}</p>` : ''}
    <div class="article-meta">
      <p>${bylineLinks(card.authors)}</p>
      <p class="times">Published ${time(card.publishedAt, ctx)}${updated ? html`<br><span class="updated">Updated ${time(updated, ctx)}</span>` : ''}</p>
      <p class="reading-time">${readingMinutes(article.wordCount)} min read</p>
    </div>
  </header>
  ${card.image
    ? html`<figure class="lead-image">${picture(card.image, '(min-width: 60em) 46em, 100vw', { eager: true })}
    ${card.image.caption || card.image.credit ? html`<figcaption>${card.image.caption}${card.image.credit ? html` <span class="credit">${card.image.credit}</span>` : ''}</figcaption>` : ''}</figure>`
    : ''}
  <div class="article-body">
    ${raw(bodyHtml)}
  </div>
  ${article.corrections.length
    ? html`<section class="corrections" aria-labelledby="corrections-heading">
    <h2 id="corrections-heading">Corrections and updates</h2>
    <ul>${article.corrections.map(
      (c) => html`<li class="correction correction-${c.kind}"><strong>${CORRECTION_NAMES[c.kind]}</strong>, ${time(c.created_at, ctx)}: ${c.body}</li>`,
    )}</ul>
    ${site.policies.corrections ? html`<p><a href="${site.policies.corrections}">Our corrections policy</a></p>` : ''}
  </section>`
    : ''}
  <footer class="article-footer">
    ${article.tags.length ? html`<ul class="tags" aria-label="Topics">${article.tags.map((t) => html`<li><a href="/tag/${t.slug}" rel="tag">${t.name}</a></li>`)}</ul>` : ''}
    ${shareLinks(canonical, card.headline)}
    ${article.authors.filter((a) => a.bio).map(
      (a) => html`<section class="author-box" aria-label="About ${a.name}"><p><a href="/author/${a.slug}">${a.name}</a>${a.title ? html`, ${a.title}` : ''}. ${a.bio}</p></section>`,
    )}
    <section class="follow-us" aria-label="Follow us"><p>Follow ${site.name} for breaking news and updates:</p>${followLinks(site)}</section>
  </footer>
</article>`;
}
