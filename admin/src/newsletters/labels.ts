/** Newsletter words for people: statuses, schedules, and where a consent record came from. */
import { WEEKDAYS, type NewsletterSchedule, type SubscriptionStatus, type Weekday } from '../types';

export const STATUS_NAMES: Record<SubscriptionStatus, string> = {
  subscribed: 'Subscribed',
  pending: 'Awaiting confirmation',
  unsubscribed: 'Unsubscribed',
  bounced: 'Bounced',
  complained: 'Marked as spam',
};

/** Short names for tabs and table headers. */
export const STATUS_SHORT: Record<SubscriptionStatus, string> = {
  subscribed: 'Subscribed',
  pending: 'Pending',
  unsubscribed: 'Unsubscribed',
  bounced: 'Bounced',
  complained: 'Spam reports',
};

export const DAY_NAMES: Record<Weekday, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

/** "Every day at 06:30", "Weekdays at 06:30", "Mondays and Thursdays at 18:00"; "Sent by hand" without a schedule. */
export function scheduleText(schedule: NewsletterSchedule | null): string {
  if (!schedule) return 'Sent by hand';
  const days = new Set(schedule.days);
  let when: string;
  if (days.size === 7) when = 'Every day';
  else if (days.size === 5 && !days.has('sat') && !days.has('sun')) when = 'Weekdays';
  else if (days.size === 2 && days.has('sat') && days.has('sun')) when = 'Weekends';
  else {
    const names = WEEKDAYS.filter((d) => days.has(d)).map((d) => `${DAY_NAMES[d]}s`);
    when = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  }
  return `${when} at ${schedule.time}`;
}

const ACTION_NAMES: Record<string, string> = {
  requested: 'Asked to subscribe',
  confirmed: 'Confirmed',
  withdrawn: 'Unsubscribed',
};

export function consentActionText(action: string): string {
  return ACTION_NAMES[action] ?? action;
}

/**
 * Where a subscription or consent came from, in words: `footer:/politics/a-story`
 * is the footer form on that page. Unknown sources are shown as stored.
 */
export function sourceText(source: string): string {
  const [kind, ...rest] = source.split(':');
  const where = rest.join(':');
  switch (kind) {
    case 'page':
      return `Sign-up page (${where || '/newsletters'})`;
    case 'footer':
      return where ? `Footer form on ${where}` : 'Footer form';
    case 'article':
      return where ? `Form at the end of ${where}` : 'Form at the end of an article';
    case 'email-link':
      return 'Link in the confirmation email';
    case 'preferences':
      return where === 'all' ? 'Preferences page: unsubscribed from everything' : 'Preferences page';
    case 'one-click':
      return 'One-click unsubscribe (from the mail app)';
    case 'import':
      return 'Imported';
    default:
      return source;
  }
}
