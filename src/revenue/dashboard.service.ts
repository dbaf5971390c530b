/**
 * The donations dashboard (docs/revenue.md, "Dashboard"): money raised per
 * day, week or month of the site's time zone, one-time against recurring,
 * refunds subtracted from the gift they return; who gives every month or year
 * now and what that brings in a month; which articles and campaigns raised
 * the most.
 *
 * A period is a calendar day, an ISO week (Monday first) or a calendar month
 * of the site's clock, cut to the range asked for: the first and last may be
 * shorter. A gift belongs to the period its payment fell in, there; its
 * refunds are taken from that period, whenever they happened.
 */
import { Invalid } from '../shared/errors.js';
import { zonedInstant } from '../newsletter/schedule-slots.js';
import type { DashboardRepository, Range } from './dashboard.repository.js';

export type Interval = 'day' | 'week' | 'month';

export interface PeriodTotals {
  /** The period's first and last local dates (YYYY-MM-DD), both inside the range. */
  start: string;
  end: string;
  /** Net of refunds. */
  raisedMinor: number;
  oneTimeMinor: number;
  recurringMinor: number;
  refundedMinor: number;
  /** Gifts paid, refunded ones included. */
  count: number;
}

export interface DashboardSummary {
  from: string;
  to: string;
  interval: Interval;
  timeZone: string;
  currency: string;
  totals: Omit<PeriodTotals, 'start' | 'end'>;
  periods: PeriodTotals[];
  recurring: { activeDonors: number; activeGifts: number; monthlyRevenueMinor: number };
  topArticles: { id: number; headline: string; slug: string; raisedMinor: number; count: number }[];
  topCampaigns: { campaign: string; raisedMinor: number; count: number }[];
}

const DAY_MS = 86_400_000;
/** More bars than this is not a chart anyone reads (and a year of days fits). */
export const MAX_PERIODS = 400;
const TOP = 10;
const DEFAULT_SPAN: Record<Interval, (to: number) => number> = {
  day: (to) => to - 29 * DAY_MS,
  week: (to) => to - (7 * 12 - 1) * DAY_MS,
  month: (to) => Date.UTC(new Date(to).getUTCFullYear(), new Date(to).getUTCMonth() - 11, 1),
};

/** A YYYY-MM-DD date as a UTC midnight; undefined when it is no real date. */
export function parseLocalDate(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return undefined;
  const at = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(at).toISOString().slice(0, 10) === text ? at : undefined;
}

const dateText = (wall: number) => new Date(wall).toISOString().slice(0, 10);

/** Today's date on the site's clock, as a UTC midnight. */
function today(now: Date, timeZone: string): number {
  const text = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  return parseLocalDate(text)!;
}

/** The local date after the period that contains `day` ends. */
function nextStart(day: number, interval: Interval): number {
  const d = new Date(day);
  if (interval === 'day') return day + DAY_MS;
  if (interval === 'week') return day + (7 - ((d.getUTCDay() + 6) % 7)) * DAY_MS; // the next Monday
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

export class DonationsDashboard {
  constructor(
    private readonly repo: DashboardRepository,
    private readonly site: () => { timeZone: string; currency: string },
    private readonly now: () => Date,
  ) {}

  async summary(query: { from?: string; to?: string; interval?: Interval }): Promise<DashboardSummary> {
    const { timeZone, currency } = this.site();
    const interval = query.interval ?? 'day';
    const problems: { path: string; message: string }[] = [];
    const to = query.to === undefined ? today(this.now(), timeZone) : parseLocalDate(query.to);
    if (to === undefined) problems.push({ path: '/to', message: 'must be a date like 2026-01-31' });
    const from = query.from === undefined ? (to === undefined ? undefined : DEFAULT_SPAN[interval](to)) : parseLocalDate(query.from);
    if (from === undefined && query.from !== undefined) problems.push({ path: '/from', message: 'must be a date like 2026-01-01' });
    if (problems.length) throw new Invalid('Invalid dates', problems);
    if (from! > to!) throw new Invalid('Invalid dates', [{ path: '/from', message: 'must not be after the end date' }]);

    // Local dates the periods start on; the last entry is the day after `to`.
    const starts: number[] = [from!];
    while (starts[starts.length - 1]! <= to!) {
      starts.push(Math.min(nextStart(starts[starts.length - 1]!, interval), to! + DAY_MS));
      if (starts.length > MAX_PERIODS + 1) throw new Invalid(`At most ${MAX_PERIODS} periods at a time: choose a longer interval or a shorter range`, [{ path: '/interval', message: 'too many periods' }]);
    }
    const bounds = starts.map((day) => zonedInstant(day, timeZone).toISOString());
    const range: Range = { fromIso: bounds[0]!, toIso: bounds[bounds.length - 1]! };

    const periods: PeriodTotals[] = starts.slice(0, -1).map((day, i) => ({
      start: dateText(day),
      end: dateText(starts[i + 1]! - DAY_MS),
      raisedMinor: 0,
      oneTimeMinor: 0,
      recurringMinor: 0,
      refundedMinor: 0,
      count: 0,
    }));
    const totals = { raisedMinor: 0, oneTimeMinor: 0, recurringMinor: 0, refundedMinor: 0, count: 0 };
    let i = 0;
    // Gifts come in time order: each period's gifts follow the last one's.
    for (const gift of await this.repo.giftsIn(range)) {
      while (gift.paidAt >= bounds[i + 1]!) i++;
      const kept = gift.amountMinor - gift.refundedMinor;
      for (const sum of [periods[i]!, totals]) {
        sum.raisedMinor += kept;
        if (gift.frequency === 'once') sum.oneTimeMinor += kept;
        else sum.recurringMinor += kept;
        sum.refundedMinor += gift.refundedMinor;
        sum.count += 1;
      }
    }

    const active = await this.repo.activeRecurring();
    // A yearly gift is a twelfth of itself each month; rounded once, at the end.
    const monthly = active.reduce((sum, g) => sum + (g.interval === 'year' ? g.amountMinor / 12 : g.amountMinor), 0);
    // A subscription whose donor is not known yet (only its own events have come) is a donor of its own.
    const donors = new Set(active.map((g) => (g.donorId === null ? `s:${g.subscriptionId}` : `d:${g.donorId}`)));

    const [articles, campaigns] = await Promise.all([this.repo.topArticles(range, TOP), this.repo.topCampaigns(range, TOP)]);
    return {
      from: dateText(from!),
      to: dateText(to!),
      interval,
      timeZone,
      currency,
      totals,
      periods,
      recurring: { activeDonors: donors.size, activeGifts: active.length, monthlyRevenueMinor: Math.round(monthly) },
      topArticles: articles.map((a) => ({ id: a.key, headline: a.headline, slug: a.slug, raisedMinor: a.raisedMinor, count: a.count })),
      topCampaigns: campaigns.map((c) => ({ campaign: c.key, raisedMinor: c.raisedMinor, count: c.count })),
    };
  }
}
