/** Small pieces reader pages share: story cards, images, bylines, times, pagination. */
import { html, type Html } from '../../shared/html.js';
import type { ArticleCard, Byline } from '../../newsroom/articles.repository.js';
import type { ImageRef } from '../../newsroom/media.js';
import { articlePath, formatDate, formatDateTime, LABEL_NAMES } from '../format.js';

export interface ViewContext {
  timeZone: string;
  language: string;
}

export function time(iso: string, ctx: ViewContext, withTime = true): Html {
  const text = withTime ? formatDateTime(iso, ctx.timeZone, ctx.language) : formatDate(iso, ctx.timeZone, ctx.language);
  return html`<time datetime="${iso}">${text}</time>`;
}

/** The image, with AVIF/WebP `<source>`s in a `<picture>` when it has them (the `<img>` keeps the JPEG/PNG fallback and the size). */
export function picture(image: ImageRef, sizes: string, options: { eager?: boolean; className?: string } = {}): Html {
  const img = imgTag(image, sizes, options);
  if (!image.sources?.length || !image.srcset) return img;
  return html`<picture>${image.sources.map((s) => html`<source type="${s.type}" srcset="${s.srcset}" sizes="${sizes}">`)}${img}</picture>`;
}

function imgTag(image: ImageRef, sizes: string, options: { eager?: boolean; className?: string }): Html {
  return html`<img src="${image.src}"${image.srcset ? html` srcset="${image.srcset}" sizes="${sizes}"` : ''} width="${image.width}" height="${image.height}" alt="${image.alt}"${
    options.eager ? html` fetchpriority="high"` : html` loading="lazy"`
  } decoding="async"${options.className ? html` class="${options.className}"` : ''}>`;
}

export function bylineLinks(authors: readonly Byline[]): Html {
  if (!authors.length) return html``;
  const links = authors.map((a) => html`<a href="/author/${a.slug}" rel="author">${a.name}</a>`);
  const joined: Html[] = [];
  links.forEach((link, i) => {
    if (i > 0) joined.push(html`${i === links.length - 1 ? ' and ' : ', '}`);
    joined.push(link);
  });
  return html`<span class="byline">By ${joined}</span>`;
}

export function label(card: Pick<ArticleCard, 'label'>): Html {
  if (card.label === 'news') return html``;
  return html`<span class="label label-${card.label}">${LABEL_NAMES[card.label]}</span>`;
}

export function storyCard(card: ArticleCard, ctx: ViewContext, options: { image?: boolean; headingLevel?: 2 | 3; lead?: boolean } = {}): Html {
  const level = options.headingLevel ?? 3;
  const href = articlePath(card);
  const headline = html`<a href="${href}">${card.headline}</a>`;
  return html`<article class="card${options.lead ? ' card-lead' : ''}${card.label === 'opinion' ? ' card-opinion' : ''}">
  ${options.image !== false && card.image ? html`<div class="card-image">${picture(card.image, options.lead ? '(min-width: 60em) 40em, 100vw' : '(min-width: 60em) 20em, 100vw')}</div>` : ''}
  <div class="card-text">
    ${label(card)}
    ${level === 2 ? html`<h2 class="card-headline">${headline}</h2>` : html`<h3 class="card-headline">${headline}</h3>`}
    ${card.dek ? html`<p class="card-dek">${card.dek}</p>` : ''}
    <p class="card-meta">${bylineLinks(card.authors)} ${time(card.publishedAt, ctx, false)}</p>
  </div>
</article>`;
}

export function storyList(cards: readonly ArticleCard[], ctx: ViewContext, options: { image?: boolean; headingLevel?: 2 | 3 } = {}): Html {
  return html`<ol class="story-list">${cards.map((c) => html`<li>${storyCard(c, ctx, options)}</li>`)}</ol>`;
}

export function pagination(basePath: string, page: number, pages: number): Html {
  if (pages <= 1) return html``;
  const href = (n: number) => (n === 1 ? basePath : `${basePath}?page=${n}`);
  return html`<nav class="pagination" aria-label="Pages">
  ${page > 1 ? html`<a rel="prev" href="${href(page - 1)}">Newer stories</a>` : ''}
  <span>Page ${page} of ${pages}</span>
  ${page < pages ? html`<a rel="next" href="${href(page + 1)}">Older stories</a>` : ''}
</nav>`;
}
