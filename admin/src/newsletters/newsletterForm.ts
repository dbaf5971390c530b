/**
 * The newsletter form's values as typed, and the body the Admin API takes:
 * everything filled in when creating (empty optional fields are left for the
 * server's defaults), only what changed when editing. No React, so the rules
 * can be read (and tested) on their own.
 */
import { WEEKDAYS, type Newsletter, type NewsletterSchedule, type NewsletterTemplate, type Weekday } from '../types';

export interface NewsletterFormValues {
  name: string;
  slug: string;
  description: string;
  senderName: string;
  senderEmail: string;
  replyTo: string;
  scheduled: boolean;
  days: Weekday[];
  time: string;
  logoUrl: string;
  accentColor: string;
  intro: string;
  visibility: 'public' | 'hidden';
  sendMode: 'manual' | 'automatic';
  /** Kept as text while typed, so a half-typed number reaches the server's range check. */
  position: string;
}

export type NewsletterBody = Partial<{
  name: string;
  slug: string;
  description: string;
  senderName: string;
  senderEmail: string;
  replyTo: string | null;
  schedule: NewsletterSchedule | null;
  template: NewsletterTemplate;
  visibility: 'public' | 'hidden';
  position: number;
  sendMode: 'manual' | 'automatic';
}>;

const WEEKDAYS_ONLY: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];

export function formValues(newsletter?: Newsletter): NewsletterFormValues {
  return {
    name: newsletter?.name ?? '',
    slug: newsletter?.slug ?? '',
    description: newsletter?.description ?? '',
    senderName: newsletter?.senderName ?? '',
    senderEmail: newsletter?.senderEmail ?? '',
    replyTo: newsletter?.replyTo ?? '',
    scheduled: Boolean(newsletter?.schedule),
    // Unticking "on a schedule" and ticking it again brings back a sensible start.
    days: newsletter?.schedule?.days ?? WEEKDAYS_ONLY,
    time: newsletter?.schedule?.time ?? '06:30',
    logoUrl: newsletter?.template.logoUrl ?? '',
    accentColor: newsletter?.template.accentColor ?? '',
    intro: newsletter?.template.intro ?? '',
    visibility: newsletter?.visibility ?? 'public',
    position: String(newsletter?.position ?? 0),
    sendMode: newsletter?.sendMode ?? 'manual',
  };
}

/** A typed whole number, or the text as it is (so the server names the field instead of the form guessing). */
function wholeOrText(text: string): number {
  const n = Number(text);
  return Number.isInteger(n) && text.trim() !== '' ? n : (text as unknown as number);
}

function schedule(values: NewsletterFormValues): NewsletterSchedule | null {
  // Days in week order, whatever order they were ticked in.
  return values.scheduled ? { days: WEEKDAYS.filter((d) => values.days.includes(d)), time: values.time } : null;
}

const sameSchedule = (a: NewsletterSchedule | null, b: NewsletterSchedule | null) => JSON.stringify(a) === JSON.stringify(b);
const TEMPLATE_KEYS = ['logoUrl', 'accentColor', 'intro'] as const;

/** The POST body for a new newsletter. */
export function createBody(values: NewsletterFormValues): NewsletterBody {
  const body: NewsletterBody = {
    name: values.name,
    description: values.description,
    visibility: values.visibility,
    position: wholeOrText(values.position),
  };
  if (values.slug.trim()) body.slug = values.slug.trim();
  if (values.senderName.trim()) body.senderName = values.senderName.trim();
  if (values.senderEmail.trim()) body.senderEmail = values.senderEmail.trim();
  if (values.replyTo.trim()) body.replyTo = values.replyTo.trim();
  const planned = schedule(values);
  if (planned) body.schedule = planned;
  const template: NewsletterTemplate = {};
  for (const key of TEMPLATE_KEYS) {
    const value = key === 'intro' ? values.intro : values[key].trim();
    if (value) template[key] = value;
  }
  if (Object.keys(template).length) body.template = template;
  // Only a scheduled newsletter can go out by itself; unticking the schedule makes it manual again.
  if (planned && values.sendMode === 'automatic') body.sendMode = 'automatic';
  return body;
}

/**
 * The PATCH body: only the fields that differ from `saved`. An emptied reply-to
 * clears it (null); an emptied sender is sent as typed and refused by the server
 * next to its field (a newsletter always has a sender). Template options are
 * merged by the server, so only the changed ones go, emptied ones as "".
 */
export function patchBody(values: NewsletterFormValues, saved: Newsletter): NewsletterBody {
  const before = formValues(saved);
  const body: NewsletterBody = {};
  if (values.name !== before.name) body.name = values.name;
  if (values.slug.trim() !== before.slug) body.slug = values.slug.trim();
  if (values.description !== before.description) body.description = values.description;
  if (values.senderName.trim() !== before.senderName) body.senderName = values.senderName.trim();
  if (values.senderEmail.trim() !== before.senderEmail) body.senderEmail = values.senderEmail.trim();
  if (values.replyTo.trim() !== before.replyTo) body.replyTo = values.replyTo.trim() || null;
  const planned = schedule(values);
  if (!sameSchedule(planned, saved.schedule)) body.schedule = planned;
  const template: NewsletterTemplate = {};
  for (const key of TEMPLATE_KEYS) {
    const value = key === 'intro' ? values.intro : values[key].trim();
    if (value !== before[key]) template[key] = value;
  }
  if (Object.keys(template).length) body.template = template;
  if (values.visibility !== before.visibility) body.visibility = values.visibility;
  if (values.position.trim() !== before.position) body.position = wholeOrText(values.position);
  const mode = planned ? values.sendMode : 'manual';
  if (mode !== saved.sendMode) body.sendMode = mode;
  return body;
}

const EMAIL_FIELDS = new Set(['/senderEmail', '/replyTo']);

/**
 * The server's validators answer in schema terms (the route's: "must match
 * pattern "^(#[0-9a-fA-F]{6})?$"", the service's: "Expected string length
 * greater or equal to 1"); say what is wanted instead. Messages the service
 * writes itself (addresses, slugs) are already plain and pass through.
 */
export function plainNewsletterMessage(path: string, message: string): string {
  if (!/^(expected|must|unknown)/i.test(message)) return message;
  const length = /length|characters/i.test(message);
  if (path === '/name') return length ? 'Enter a name of 1 to 80 characters' : 'Use one line of plain text';
  if (path === '/senderName') return length ? 'Enter a sender name of 1 to 80 characters' : 'Use one line, without line breaks';
  if (EMAIL_FIELDS.has(path)) return 'Enter a full email address, like news@example.org';
  if (path === '/description') return 'Use at most 500 characters';
  if (path.startsWith('/schedule/days')) return 'Choose at least one day';
  if (path.startsWith('/schedule/time')) return 'Enter a time like 06:30';
  if (path === '/sendMode') return 'Choose how the newsletter is sent';
  if (path === '/template/accentColor') return 'Enter a colour as # and six hex digits, like #1d4ed8, or leave it empty';
  if (path === '/template/logoUrl') return 'Enter a full https:// address or a path on this site starting with /, or leave it empty';
  if (path === '/template/intro') return 'Use at most 2,000 characters';
  if (path === '/position') return 'Enter a whole number from 0 to 10000';
  return message;
}
