/**
 * The article list's filters, sort and page as they live in the address bar
 * (`?status=draft&sort=headline&page=2`), so reload, back and shared links keep
 * them; and the Admin API path they ask for.
 */
import { query } from '../api';
import { LABELS, type ArticleStatus, type Label } from '../types';
import type { Direction } from './SortHeader';

export type ArticleSort = 'updated' | 'published' | 'headline';
export const PAGE_SIZE = 20;

export interface ArticleQuery {
  status: ArticleStatus | '';
  sectionId: string;
  authorId: string;
  label: Label | '';
  q: string;
  mine: boolean;
  review: boolean;
  sort: ArticleSort;
  direction: Direction;
  page: number;
}

const STATUSES: ArticleStatus[] = ['draft', 'scheduled', 'published', 'unpublished'];
const SORTS: ArticleSort[] = ['updated', 'published', 'headline'];

/** The server's default direction for each sort: A–Z for headlines, newest first for dates. */
export function defaultDirection(sort: ArticleSort): Direction {
  return sort === 'headline' ? 'asc' : 'desc';
}

const digits = (value: string | null) => (value && /^\d+$/.test(value) ? value : '');

/** Reads the address bar, ignoring anything the API would refuse (an old bookmark must not break the screen). */
export function readArticleQuery(params: URLSearchParams): ArticleQuery {
  const status = params.get('status') as ArticleStatus | null;
  const label = params.get('label') as Label | null;
  const sort = (SORTS as string[]).includes(params.get('sort') ?? '') ? (params.get('sort') as ArticleSort) : 'updated';
  const direction = params.get('direction') === 'asc' || params.get('direction') === 'desc' ? (params.get('direction') as Direction) : defaultDirection(sort);
  const page = Number(digits(params.get('page')) || 1);
  return {
    status: status && STATUSES.includes(status) ? status : '',
    sectionId: digits(params.get('sectionId')),
    authorId: digits(params.get('authorId')),
    label: label && LABELS.includes(label) ? label : '',
    q: (params.get('q') ?? '').slice(0, 200),
    mine: params.get('mine') === 'true',
    review: params.get('review') === 'true',
    sort,
    direction,
    page: Math.min(Math.max(page, 1), 100_000),
  };
}

/** Back to the address bar, leaving defaults out so the URL stays short. */
export function writeArticleQuery(value: ArticleQuery): URLSearchParams {
  const out = new URLSearchParams();
  if (value.status) out.set('status', value.status);
  if (value.sectionId) out.set('sectionId', value.sectionId);
  if (value.authorId) out.set('authorId', value.authorId);
  if (value.label) out.set('label', value.label);
  if (value.q.trim()) out.set('q', value.q.trim());
  if (value.mine) out.set('mine', 'true');
  if (value.review) out.set('review', 'true');
  if (value.sort !== 'updated') out.set('sort', value.sort);
  if (value.direction !== defaultDirection(value.sort)) out.set('direction', value.direction);
  if (value.page > 1) out.set('page', String(value.page));
  return out;
}

export function articleListPath(value: ArticleQuery): string {
  return `/articles${query({
    status: value.status,
    sectionId: value.sectionId,
    authorId: value.authorId,
    label: value.label,
    q: value.q.trim(),
    mine: value.mine || undefined,
    review: value.review || undefined,
    sort: value.sort,
    direction: value.direction,
    page: value.page,
    pageSize: PAGE_SIZE,
  })}`;
}
