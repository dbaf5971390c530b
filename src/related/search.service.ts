/**
 * Site search: the rules. Parses what the reader typed (search-query.ts),
 * resolves filters, asks the repository for one page of published matches
 * ranked by relevance blended with recency, and keeps the index in step with
 * the newsroom: every article write calls `indexArticle` inside its own
 * transaction; renaming an author, section or tag queues a refresh of the
 * articles that show the name. See docs/search.md.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Byline, SectionRef } from '../newsroom/articles.repository.js';
import type { SettingsStore } from '../newsroom/settings.js';
import type { TaxonomyRepository } from '../newsroom/taxonomy.repository.js';
import type { Clock } from '../shared/clock.js';
import type { JobQueue } from '../jobs/queue.js';
import { ftsExpression, parseQuery, tsqueryText, type ParsedQuery } from './search-query.js';
import { highlighter } from './search-snippets.js';
import { pgConfigFor, sqliteTokenizerFor, type SearchFilter, type SearchMatch, type SearchRepository } from './search.repository.js';

export const SEARCH_PAGE_SIZE = 20;
/** Result pages beyond this are not served: deep pages cost a scan of every earlier result and nobody reads them. */
export const SEARCH_MAX_PAGES = 50;

export const REINDEX_JOB = 'search.reindex';
export const REFRESH_JOB = 'search.refresh';

export interface SearchRequest {
  q?: unknown;
  section?: unknown;
  author?: unknown;
  from?: unknown;
  to?: unknown;
  page?: unknown;
  sort?: unknown;
}

export interface SearchResultItem {
  id: number;
  slug: string;
  /** Headline with matched terms between MARK_START and MARK_END (escape, then turn them into <mark>). */
  headline: string;
  /** A passage with matched terms marked the same way; '' when nothing but the headline matched. */
  snippet: string;
  dek: string;
  label: string;
  publishedAt: string;
  section: SectionRef | null;
  authors: Byline[];
}

export interface SearchResults {
  query: ParsedQuery;
  /** The filters in effect (unknown values are dropped and reported in `ignored`). */
  filters: { section?: SectionRef; author?: { id: number; slug: string; name: string }; from?: string; to?: string };
  /** Filter values that were not understood (shown to the reader, never an error page). */
  ignored: string[];
  sort: 'relevance' | 'newest';
  /** Matches counted, up to the ranking pool (POOL). */
  total: number;
  /** There are more matches than `total`: the reader is told "more than". */
  capped: boolean;
  page: number;
  pages: number;
  items: SearchResultItem[];
}

export interface SearchServiceDeps {
  search: SearchRepository;
  taxonomy: TaxonomyRepository;
  settings: SettingsStore;
  jobs: JobQueue;
  clock: Clock;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export class SearchService {
  constructor(private readonly deps: SearchServiceDeps) {}

  /** The database-side form of a parsed query (undefined when it has no words to look for). */
  match(query: ParsedQuery): SearchMatch | undefined {
    if (!query.terms.length) return undefined;
    const config = pgConfigFor(this.deps.settings.get().language);
    return { expression: this.deps.search.dialect === 'sqlite' ? ftsExpression(query) : tsqueryText(query), config };
  }

  async search(request: SearchRequest): Promise<SearchResults> {
    const query = parseQuery(request.q);
    const ignored: string[] = [];
    const filters: SearchResults['filters'] = {};
    const filter: SearchFilter = {};
    const slug = (v: unknown) => (typeof v === 'string' && /^[a-z0-9-]{1,200}$/.test(v) ? v : undefined);
    if (typeof request.section === 'string' && request.section) {
      const section = slug(request.section) ? await this.deps.taxonomy.sectionBySlug(request.section) : undefined;
      if (section) {
        filters.section = { id: section.id, slug: section.slug, name: section.name };
        filter.sectionId = section.id;
      } else ignored.push('section');
    }
    if (typeof request.author === 'string' && request.author) {
      const author = slug(request.author) ? await this.deps.taxonomy.authorBySlug(request.author) : undefined;
      if (author) {
        filters.author = { id: author.id, slug: author.slug, name: author.name };
        filter.authorId = author.id;
      } else ignored.push('author');
    }
    const timeZone = this.deps.settings.get().timeZone;
    for (const key of ['from', 'to'] as const) {
      const value = request[key];
      if (typeof value !== 'string' || !value) continue;
      const start = startOfLocalDay(value, timeZone, key === 'to' ? 1 : 0);
      if (!start) {
        ignored.push(key);
        continue;
      }
      filters[key] = value;
      if (key === 'from') filter.from = start;
      else filter.before = start;
    }
    const sort = request.sort === 'newest' ? 'newest' : 'relevance';
    const pageRaw = typeof request.page === 'string' && /^\d{1,4}$/.test(request.page) ? Number(request.page) : 1;
    const page = Math.min(Math.max(pageRaw, 1), SEARCH_MAX_PAGES);
    const empty: SearchResults = { query, filters, ignored, sort, total: 0, capped: false, page, pages: 0, items: [] };
    const match = this.match(query);
    if (!match) return empty;

    const options = { now: this.deps.clock.now().toISOString(), limit: SEARCH_PAGE_SIZE, offset: (page - 1) * SEARCH_PAGE_SIZE, order: sort } as const;
    // The last word as a prefix makes the index merge the document lists of every word that starts with it (tens of
    // milliseconds for a common word at 100,000 stories). When the finished word alone already fills the ranking
    // pool, the prefix could only change which of the oldest matches are ranked: it is left out (docs/search.md).
    let found = query.prefixLast ? await this.deps.search.search(this.match({ ...query, prefixLast: false })!, filter, options) : undefined;
    let highlight = query;
    if (found?.capped) highlight = { ...query, prefixLast: false };
    else found = await this.deps.search.search(match, filter, options);
    const { total, capped, hits } = found;
    const pages = Math.min(Math.ceil(total / SEARCH_PAGE_SIZE), SEARCH_MAX_PAGES);
    if (!hits.length) return { ...empty, total, capped, pages };
    const ids = hits.map((h) => h.id);
    const [texts, rows] = await Promise.all([this.deps.search.hitTexts(ids), this.deps.search.rows(ids)]);
    const marks = highlighter(highlight, this.deps.settings.get().language);
    const items: SearchResultItem[] = [];
    for (const id of ids) {
      const row = rows.get(id);
      if (!row) continue; // deleted between the two reads
      const text = texts.get(id);
      items.push({
        ...row,
        headline: marks.mark(row.headline),
        // The passage comes from the dek or body; a story found by its byline or tags shows that list.
        snippet: text ? marks.snippet([text.dek, text.body, text.authors, text.tags]) : '',
      });
    }
    return { query, filters, ignored, sort, total, capped, page, pages, items };
  }

  /**
   * Ids of articles in any status whose indexed text matches `text`, for the
   * newsroom's list: undefined when the text has no words; at most `limit`.
   */
  async newsroomMatches(text: string, limit: number): Promise<number[] | undefined> {
    const match = this.match(parseQuery(text));
    if (!match) return undefined;
    return this.deps.search.matchingIds(match, limit);
  }

  /** Brings one article's search document up to date; run inside the transaction that changed the article. */
  async indexArticle(trx: Transaction<Database>, articleId: number): Promise<void> {
    const docs = await this.deps.search.documentsFor(trx, [articleId]);
    if (docs.length) await this.deps.search.write(trx, docs, pgConfigFor(this.deps.settings.get().language));
    else await this.deps.search.remove(trx, [articleId]);
  }

  /** Re-indexes articles whose author, section or tag changed (names are part of the indexed text). */
  async refresh(kind: 'author' | 'section' | 'tag', id: number): Promise<number> {
    const ids = await this.deps.search.articleIdsWith(kind, id);
    const config = pgConfigFor(this.deps.settings.get().language);
    for (let i = 0; i < ids.length; i += 200) {
      const batch = ids.slice(i, i + 200);
      await this.deps.search.transaction(async (trx) => {
        await this.deps.search.write(trx, await this.deps.search.documentsFor(trx, batch), config);
      });
    }
    return ids.length;
  }

  /** How the index reads the site's language (SQLite tokenizer and PostgreSQL configuration), as last seen. */
  private indexedLanguage: string | undefined;

  private languageKey(): string {
    const language = this.deps.settings.get().language;
    return `${sqliteTokenizerFor(language)}|${pgConfigFor(language)}`;
  }

  /**
   * Queues a refresh for the cache tags a taxonomy change announces (`author:3`, `section:2`, `tag:9`), and a full
   * reindex when a settings change gave the site a language the index reads differently (other stemming).
   */
  async onContentChanged(tags: readonly string[]): Promise<void> {
    if (tags.includes('settings')) {
      const key = this.languageKey();
      if (this.indexedLanguage !== undefined && key !== this.indexedLanguage) await this.deps.jobs.enqueue(REINDEX_JOB, {}, { uniqueKey: REINDEX_JOB });
      this.indexedLanguage = key;
    }
    for (const tag of tags) {
      const m = /^(author|section|tag):(\d+)$/.exec(tag);
      if (m) await this.deps.jobs.enqueue(REFRESH_JOB, { kind: m[1], id: Number(m[2]) }, { uniqueKey: `${REFRESH_JOB}:${tag}` });
    }
  }

  /** Remembers how the index reads the current language (called at start; see onContentChanged). */
  rememberLanguage(): void {
    this.indexedLanguage = this.languageKey();
  }

  /**
   * When articles are missing from the index (first start after upgrading, a bulk import), or PostgreSQL's GIN index
   * is missing, queue a full reindex.
   */
  async queueReindexIfIncomplete(): Promise<boolean> {
    const { articles, documents } = await this.deps.search.counts();
    // PostgreSQL without its GIN index: a first indexing stopped between its rows and its index (reindex.ts).
    const indexed = this.deps.search.dialect !== 'postgres' || (await this.deps.search.hasFullTextIndex());
    if (articles === documents && indexed) return false;
    await this.deps.jobs.enqueue(REINDEX_JOB, {}, { uniqueKey: REINDEX_JOB });
    return true;
  }
}

/**
 * The UTC instant a calendar day (YYYY-MM-DD, plus `addDays`) starts in a time
 * zone; undefined when the text is not a real date.
 */
export function startOfLocalDay(text: string, timeZone: string, addDays = 0): string | undefined {
  const m = DATE.exec(text);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = new Date(Date.UTC(y, mo - 1, d));
  if (y < 1900 || y > 2999 || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d) return undefined;
  const guess = Date.UTC(y, mo - 1, d + addDays);
  let at = guess - offsetMs(guess, timeZone);
  // Near a DST change the offset at the guess can differ from the offset at the answer.
  const second = guess - offsetMs(at, timeZone);
  if (second !== at) at = second;
  return new Date(at).toISOString();
}

function offsetMs(epochMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(epochMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - (epochMs - (epochMs % 1000));
}
