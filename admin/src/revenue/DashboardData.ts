/** Types of the donations dashboard's Admin API (GET /donations/summary: src/revenue/dashboard.service.ts). */

export type DashboardInterval = 'day' | 'week' | 'month';

export interface DashboardSums {
  raisedMinor: number;
  oneTimeMinor: number;
  recurringMinor: number;
  refundedMinor: number;
  count: number;
}

export interface DashboardPeriod extends DashboardSums {
  start: string;
  end: string;
}

export interface DashboardSummary {
  from: string;
  to: string;
  interval: DashboardInterval;
  timeZone: string;
  currency: string;
  totals: DashboardSums;
  periods: DashboardPeriod[];
  recurring: { activeDonors: number; activeGifts: number; monthlyRevenueMinor: number };
  topArticles: { id: number; headline: string; slug: string; raisedMinor: number; count: number }[];
  topCampaigns: { campaign: string; raisedMinor: number; count: number }[];
}
