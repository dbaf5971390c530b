/** The reader search page: the form (with filters), the count, the results with highlighted terms, pages, empty states. */
import { html, escapeHtml, raw, type Html } from '../../shared/html.js';
import type { SectionRef } from '../../newsroom/articles.repository.js';
import type { SearchResults } from '../../related/search.service.js';
import { MARK_END, MARK_START } from '../../related/search-snippets.js';
import { articlePath, LABEL_NAMES } from '../format.js';
import { bylineLinks, time, type ViewContext } from './components.js';

const MARKED = new RegExp(`${MARK_START}([^${MARK_START}${MARK_END}]*)${MARK_END}`, 'g');
const SENTINELS = new RegExp(`[${MARK_START}${MARK_END}]`, 'g');

/**
 * Text with highlight sentinels -> safe HTML: escaped first, then each marked
 * run becomes <mark>; stray sentinels are dropped. The sentinels are private-use
 * characters stripped from everything indexed, so only the database's
 * highlighter can have put them there.
 */
export function markedHtml(text: string): Html {
  return raw(escapeHtml(text).replace(MARKED, '<mark>$1</mark>').replace(SENTINELS, ''));
}

export interface SearchPageData {
  results: SearchResults;
  sections: readonly SectionRef[];
  authors: readonly { slug: string; name: string }[];
  ctx: ViewContext;
}

/** The query string for another page or sort of the same search. */
export function searchHref(results: SearchResults, changes: { page?: number; sort?: string } = {}): string {
  const params = new URLSearchParams();
  params.set('q', results.query.text);
  if (results.filters.section) params.set('section', results.filters.section.slug);
  if (results.filters.author) params.set('author', results.filters.author.slug);
  if (results.filters.from) params.set('from', results.filters.from);
  if (results.filters.to) params.set('to', results.filters.to);
  const sort = changes.sort ?? results.sort;
  if (sort !== 'relevance') params.set('sort', sort);
  const page = changes.page ?? results.page;
  if (page > 1) params.set('page', String(page));
  return `/search?${params.toString()}`;
}

function countLine(results: SearchResults): Html {
  const { total, query } = results;
  const n = total.toLocaleString('en');
  const scope = [
    results.filters.section ? html` in ${results.filters.section.name}` : '',
    results.filters.author ? html` by ${results.filters.author.name}` : '',
  ];
  const count = results.capped ? `More than ${n} results` : total === 1 ? '1 result' : `${n} results`;
  return html`<p class="search-count" role="status">${count} for <strong>“${query.text}”</strong>${scope}${
    results.pages > 1 ? html`, page ${results.page} of ${results.pages}` : ''
  }</p>`;
}

function form(data: SearchPageData): Html {
  const { results } = data;
  const selected = (on: boolean) => (on ? html` selected` : '');
  return html`<form class="search-form" role="search" method="get" action="/search">
  <p class="search-box">
    <label for="search-q">Search stories</label>
    <input id="search-q" type="search" name="q" value="${results.query.text}" maxlength="200" autocomplete="off">
    <button type="submit">Search</button>
  </p>
  <fieldset class="search-filters">
    <legend>Narrow the results</legend>
    <p><label for="search-section">Section</label>
    <select id="search-section" name="section"><option value="">All sections</option>${data.sections.map(
      (s) => html`<option value="${s.slug}"${selected(results.filters.section?.slug === s.slug)}>${s.name}</option>`,
    )}</select></p>
    <p><label for="search-author">Author</label>
    <select id="search-author" name="author"><option value="">Any author</option>${data.authors.map(
      (a) => html`<option value="${a.slug}"${selected(results.filters.author?.slug === a.slug)}>${a.name}</option>`,
    )}</select></p>
    <p><label for="search-from">From</label> <input id="search-from" type="date" name="from" value="${results.filters.from ?? ''}"></p>
    <p><label for="search-to">To</label> <input id="search-to" type="date" name="to" value="${results.filters.to ?? ''}"></p>
    <p><label for="search-sort">Order</label>
    <select id="search-sort" name="sort"><option value="relevance"${selected(results.sort === 'relevance')}>Best match</option><option value="newest"${selected(
      results.sort === 'newest',
    )}>Newest first</option></select></p>
  </fieldset>
</form>`;
}

function emptyState(results: SearchResults, rawQuery: string): Html {
  if (!results.query.text && !rawQuery.trim()) {
    return html`<p class="empty search-empty">Type a word or two to search every story we have published.</p>`;
  }
  if (!results.query.terms.length) {
    return html`<p class="empty search-empty" role="status">Your search has no words to look for. Try letters or numbers, for example a name or a place.</p>`;
  }
  if (results.total > 0) {
    return html`<p class="empty search-empty" role="status">There are no more results. <a href="${searchHref(results, { page: 1 })}">Back to the first page</a>.</p>`;
  }
  const filtered = results.filters.section || results.filters.author || results.filters.from || results.filters.to;
  return html`<div class="empty search-empty" role="status"><p>No stories match <strong>“${results.query.text}”</strong>${filtered ? ' with these filters' : ''}.</p>
<ul><li>Check the spelling, or try fewer or more general words.</li>${filtered ? html`<li><a href="/search?${new URLSearchParams({ q: results.query.text }).toString()}">Search all stories</a> instead.</li>` : ''}</ul></div>`;
}

function pager(results: SearchResults): Html {
  if (results.pages <= 1) return html``;
  return html`<nav class="pagination" aria-label="Result pages">
  ${results.page > 1 ? html`<a rel="prev" href="${searchHref(results, { page: results.page - 1 })}">Previous results</a>` : ''}
  <span>Page ${results.page} of ${results.pages}</span>
  ${results.page < results.pages ? html`<a rel="next" href="${searchHref(results, { page: results.page + 1 })}">More results</a>` : ''}
</nav>`;
}

export function searchMain(data: SearchPageData, rawQuery: string): Html {
  const { results, ctx } = data;
  const ignored = results.ignored.length
    ? html`<p class="search-note">Some filters were not understood and were left out: ${results.ignored.join(', ')}.</p>`
    : '';
  return html`<header class="list-header"><h1>Search</h1></header>
${form(data)}
${ignored}
${results.items.length ? countLine(results) : ''}
${results.items.length
  ? html`<ol class="search-results">${results.items.map(
      (item) => html`<li class="search-result"><article>
  ${item.label !== 'news' ? html`<span class="label label-${item.label}">${LABEL_NAMES[item.label as keyof typeof LABEL_NAMES] ?? ''}</span>` : ''}
  <h2 class="search-headline"><a href="${articlePath(item)}">${markedHtml(item.headline)}</a></h2>
  ${item.snippet ? html`<p class="search-snippet">${markedHtml(item.snippet)}</p>` : item.dek ? html`<p class="search-snippet">${item.dek}</p>` : ''}
  <p class="card-meta">${item.section ? html`<a class="search-section" href="/${item.section.slug}">${item.section.name}</a> · ` : ''}${time(item.publishedAt, ctx, false)} ${bylineLinks(item.authors)}</p>
</article></li>`,
    )}</ol>`
  : emptyState(results, rawQuery)}
${pager(results)}`;
}
