/**
 * The subscriber list's search, filters and page as they live in the address
 * (`?q=ann&newsletterId=2&status=pending&page=3`), so reload, Back and shared
 * links keep them; and the Admin API path they ask for.
 */
import { query } from '../api';
import { SUBSCRIPTION_STATUSES, type SubscriptionStatus } from '../types';

export const SUBSCRIBERS_PAGE_SIZE = 25;

export interface SubscriberQuery {
  q: string;
  newsletterId: string;
  status: SubscriptionStatus | '';
  page: number;
}

/** A positive whole number the API accepts as an id or page (at most 2^31 - 1), else ''. */
const digits = (value: string | null) => (value && /^[1-9]\d{0,9}$/.test(value) && Number(value) <= 2_147_483_647 ? value : '');

/** Reads the address bar, ignoring anything the API would refuse (an old bookmark must not break the screen). */
export function readSubscriberQuery(params: URLSearchParams): SubscriberQuery {
  const status = params.get('status') as SubscriptionStatus | null;
  const page = Number(digits(params.get('page')) || 1);
  return {
    q: (params.get('q') ?? '').slice(0, 200),
    newsletterId: digits(params.get('newsletterId')),
    status: status && SUBSCRIPTION_STATUSES.includes(status) ? status : '',
    page: Math.min(page, 100_000),
  };
}

/** Back to the address bar, leaving defaults out so the URL stays short. */
export function writeSubscriberQuery(value: SubscriberQuery): URLSearchParams {
  const out = new URLSearchParams();
  if (value.q.trim()) out.set('q', value.q.trim());
  if (value.newsletterId) out.set('newsletterId', value.newsletterId);
  if (value.status) out.set('status', value.status);
  if (value.page > 1) out.set('page', String(value.page));
  return out;
}

export function subscriberListPath(value: SubscriberQuery): string {
  return `/subscribers${query({ q: value.q.trim(), newsletterId: value.newsletterId, status: value.status, page: value.page, pageSize: SUBSCRIBERS_PAGE_SIZE })}`;
}
