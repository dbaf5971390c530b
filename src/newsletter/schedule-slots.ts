/**
 * When a scheduled newsletter is due: pure functions over a weekly schedule
 * (`{ days: ['mon' …], time: '06:30' }`) read in the site's time zone.
 *
 * A slot is a local date and time turned into one instant. Daylight saving
 * time makes that conversion need care: 06:30 on the day the clocks change is
 * still 06:30 on the wall clock (its UTC instant moves by an hour). A time the
 * clocks skip (02:30 on a spring-forward night in New York) becomes the same
 * moment one hour later by the wall clock (03:30), and a time they pass twice
 * (01:30 on a fall-back night) is the first of the two, as calendar programs
 * and the Temporal proposal's "compatible" rule do: a slot never disappears
 * and is never doubled.
 */
import type { Schedule } from './newsletters.service.js';

const DAY_MS = 86_400_000;
/** getUTCDay() numbers (Sunday 0) for the schedule's day names. */
const DAY_NUMBERS: Record<Schedule['days'][number], number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock reading at `epochMs` in `timeZone`, written as if it were a UTC instant (whole seconds). */
function wallClock(epochMs: number, timeZone: string): number {
  const parts = formatter(timeZone).formatToParts(new Date(epochMs));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
}

/** How far the zone's clocks are ahead of UTC at `epochMs`. */
function offsetAt(epochMs: number, timeZone: string): number {
  const whole = Math.floor(epochMs / 1000) * 1000;
  return wallClock(whole, timeZone) - whole;
}

/**
 * The instant a wall-clock time (given as if UTC) happens in `timeZone`:
 * the earlier one when the clocks pass it twice, and the time shifted by the
 * gap when they skip it.
 */
export function zonedInstant(wall: number, timeZone: string): Date {
  // Zones change their offset at most once within a day: the offsets a day before and after cover both sides.
  const before = offsetAt(wall - DAY_MS, timeZone);
  const after = offsetAt(wall + DAY_MS, timeZone);
  const matches = [wall - before, wall - after].filter((t) => wallClock(t, timeZone) === wall).sort((a, b) => a - b);
  return new Date(matches[0] ?? wall - before);
}

/** The local calendar date (as a UTC midnight) at `at` in `timeZone`. */
function localDate(at: Date, timeZone: string): number {
  const wall = wallClock(at.getTime(), timeZone);
  return wall - (((wall % DAY_MS) + DAY_MS) % DAY_MS);
}

function minutesOf(time: string): number {
  const [h, m] = time.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/**
 * The schedule's slots at or before `at`, newest first, at most `count` of
 * them (fewer only for a schedule with no days).
 */
export function slotsUpTo(schedule: Schedule, timeZone: string, at: Date, count = 1): Date[] {
  const days = new Set(schedule.days.map((d) => DAY_NUMBERS[d]));
  if (days.size === 0 || count < 1) return [];
  const minutes = minutesOf(schedule.time);
  const today = localDate(at, timeZone);
  const slots: Date[] = [];
  // One day ahead: a slot late in the local evening of "tomorrow" can never be before `at`, but a
  // zone far ahead of UTC makes the local date roll over early, and this costs one check.
  for (let day = today + DAY_MS; slots.length < count && day > today - (7 * count + 2) * DAY_MS; day -= DAY_MS) {
    if (!days.has(new Date(day).getUTCDay())) continue;
    const slot = zonedInstant(day + minutes * 60_000, timeZone);
    if (slot.getTime() <= at.getTime()) slots.push(slot);
  }
  return slots;
}

/** The latest slot at or before `now`, if the schedule has one. */
export function latestSlot(schedule: Schedule, timeZone: string, now: Date): Date | undefined {
  return slotsUpTo(schedule, timeZone, now, 1)[0];
}

/** The first slot after `after`. */
export function nextSlot(schedule: Schedule, timeZone: string, after: Date): Date | undefined {
  const days = new Set(schedule.days.map((d) => DAY_NUMBERS[d]));
  if (days.size === 0) return undefined;
  const minutes = minutesOf(schedule.time);
  const today = localDate(after, timeZone);
  for (let day = today - DAY_MS; day <= today + 8 * DAY_MS; day += DAY_MS) {
    if (!days.has(new Date(day).getUTCDay())) continue;
    const slot = zonedInstant(day + minutes * 60_000, timeZone);
    if (slot.getTime() > after.getTime()) return slot;
  }
  return undefined;
}

/** How far a digest looks back for a newsletter that has never been sent and has no schedule. */
export const UNSCHEDULED_WINDOW_MS = DAY_MS;

/**
 * Where a digest's candidates start when the newsletter has never been sent:
 * the slot before the latest one (a daily newsletter looks back a day, a
 * weekly one a week, a weekday one over the weekend on Mondays), else 24 hours.
 */
export function firstIssueSince(schedule: Schedule | null, timeZone: string, now: Date): Date {
  const previous = schedule ? slotsUpTo(schedule, timeZone, now, 2)[1] : undefined;
  return previous ?? new Date(now.getTime() - UNSCHEDULED_WINDOW_MS);
}
