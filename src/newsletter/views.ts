/**
 * Reader-facing newsletter HTML: the sign-up forms (the /newsletters page, the
 * compact form in the footer and at the end of articles), and the pages that
 * signed links open (confirm, preferences, unsubscribe). Plain forms that work
 * without JavaScript; escaped by default.
 *
 * The compact forms sit on page-cached pages shared by every reader, so they
 * carry nothing per reader (no CSRF token): see docs/newsletters.md for how
 * the POST is protected instead.
 */
import { html, type Html } from '../shared/html.js';
import type { NewsletterRow, SubscriptionStatus } from '../db/schema.js';
import type { Schedule } from './newsletters.service.js';
import type { PreferenceItem } from './subscribers.service.js';

export type Placement = 'footer' | 'article' | 'page';

export interface FormState {
  email?: string;
  name?: string;
  chosen?: readonly string[];
  /** Field path → message, from the last attempt. */
  errors?: Record<string, string>;
}

const DAY_NAMES: Record<string, string> = { mon: 'Mondays', tue: 'Tuesdays', wed: 'Wednesdays', thu: 'Thursdays', fri: 'Fridays', sat: 'Saturdays', sun: 'Sundays' };

/** "Every day at 06:30", "Weekdays at 06:30", "Mondays and Thursdays at 18:00"; empty when sent by hand. */
export function scheduleText(scheduleJson: string | null): string {
  if (!scheduleJson) return '';
  let schedule: Schedule;
  try {
    schedule = JSON.parse(scheduleJson) as Schedule;
  } catch {
    return '';
  }
  const days = new Set(schedule.days);
  let when: string;
  if (days.size === 7) when = 'Every day';
  else if (days.size === 5 && !days.has('sat') && !days.has('sun')) when = 'Weekdays';
  else if (days.size === 2 && days.has('sat') && days.has('sun')) when = 'Weekends';
  else {
    const names = Object.keys(DAY_NAMES).filter((d) => days.has(d as Schedule['days'][number])).map((d) => DAY_NAMES[d]!);
    when = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  }
  return `${when} at ${schedule.time}`;
}

/** The hidden field people never fill in; bots that fill every field give themselves away. */
const honeypot = (id: string): Html =>
  html`<div class="nl-hp" hidden aria-hidden="true"><label for="${id}">Leave this field empty</label><input id="${id}" type="text" name="website" value="" tabindex="-1" autocomplete="off"></div>`;

function fieldError(state: FormState, path: string, id: string): Html {
  const message = state.errors?.[path];
  return message ? html`<p class="nl-error" id="${id}">${message}</p>` : html``;
}

/** The compact form for the footer and the end of articles; nothing when there is no public newsletter. */
export function compactSignup(newsletters: readonly NewsletterRow[], placement: Exclude<Placement, 'page'>, path: string): Html {
  if (!newsletters.length) return html``;
  const id = `nl-${placement}`;
  const single = newsletters.length === 1 ? newsletters[0]! : undefined;
  const heading = single ? single.name : 'Our newsletters';
  const intro = single ? single.description || 'Our best stories, in your inbox.' : 'Choose what you would like in your inbox.';
  return html`<section class="nl-signup nl-${placement}" aria-labelledby="${id}-heading">
  <h2 id="${id}-heading">${heading}</h2>
  <p>${intro}</p>
  <form method="post" action="/newsletters">
    <input type="hidden" name="source" value="${placement}:${path}">
    ${single
      ? html`<input type="hidden" name="newsletters" value="${single.slug}">`
      : html`<fieldset class="nl-choices"><legend>Newsletters</legend>${newsletters.map(
          (n) => html`<label><input type="checkbox" name="newsletters" value="${n.slug}"> ${n.name}</label>`,
        )}</fieldset>`}
    <label for="${id}-email">Email address</label>
    <input id="${id}-email" type="email" name="email" required maxlength="254" autocomplete="email">
    ${honeypot(`${id}-website`)}
    <button type="submit">Sign up</button>
  </form>
  <p class="nl-small">We will email you a link to confirm. <a href="/newsletters">All newsletters</a></p>
</section>`;
}

/** The /newsletters page: every public newsletter with the full form. */
export function newslettersPageMain(newsletters: readonly NewsletterRow[], siteName: string, state: FormState = {}): Html {
  if (!newsletters.length) {
    return html`<section class="nl-page"><h1>Newsletters</h1><p>${siteName} has no newsletters to sign up to at the moment.</p></section>`;
  }
  const chosen = new Set(state.chosen ?? []);
  const invalid = (path: string) => (state.errors?.[path] ? html` aria-invalid="true" aria-describedby="nl-page-${path.slice(1)}-error"` : html``);
  return html`<section class="nl-page" aria-labelledby="nl-page-heading">
  <h1 id="nl-page-heading">Newsletters</h1>
  <p>Get ${siteName}'s journalism in your inbox. Choose one or more; we will email you a link to confirm.</p>
  ${state.errors ? html`<p class="nl-error" role="alert">Please check the form: ${Object.values(state.errors).join(' ')}</p>` : ''}
  <form method="post" action="/newsletters" class="nl-form">
    <input type="hidden" name="source" value="page:/newsletters">
    <fieldset class="nl-choices"${invalid('/newsletters')}>
      <legend>Choose your newsletters</legend>
      ${fieldError(state, '/newsletters', 'nl-page-newsletters-error')}
      <ul>${newsletters.map((n) => {
        const when = scheduleText(n.schedule);
        return html`<li><label><input type="checkbox" name="newsletters" value="${n.slug}"${chosen.has(n.slug) ? html` checked` : ''}> <strong>${n.name}</strong></label>
        ${n.description ? html`<p>${n.description}</p>` : ''}${when ? html`<p class="nl-when">${when}</p>` : ''}</li>`;
      })}</ul>
    </fieldset>
    <label for="nl-page-email">Email address</label>
    ${fieldError(state, '/email', 'nl-page-email-error')}
    <input id="nl-page-email" type="email" name="email" required maxlength="254" autocomplete="email" value="${state.email ?? ''}"${invalid('/email')}>
    <label for="nl-page-name">Name <span class="nl-optional">(optional)</span></label>
    ${fieldError(state, '/name', 'nl-page-name-error')}
    <input id="nl-page-name" type="text" name="name" maxlength="100" autocomplete="name" value="${state.name ?? ''}"${invalid('/name')}>
    ${honeypot('nl-page-website')}
    <button type="submit">Sign up</button>
  </form>
</section>`;
}

/** A short result page: a heading, a few paragraphs, and an optional link onwards. */
export function messageMain(title: string, paragraphs: readonly (string | Html)[], link?: { href: string; text: string }): Html {
  return html`<section class="nl-page nl-message">
  <h1>${title}</h1>
  ${paragraphs.map((p) => html`<p>${p}</p>`)}
  ${link ? html`<p><a href="${link.href}">${link.text}</a></p>` : ''}
</section>`;
}

export function checkInboxMain(): Html {
  return messageMain('Check your inbox', [
    'If this address needs confirming, we have sent it an email with a link. Open it within 7 days to start receiving your newsletters.',
    'Nothing there? Look in your spam folder, or sign up again in a few minutes.',
  ], { href: '/', text: 'Back to the front page' });
}

const listText = (names: readonly string[]) => (names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`);

/** The confirmation link's page: what it confirms, and the button that does it. */
export function confirmMain(pending: readonly NewsletterRow[], subscribed: readonly NewsletterRow[], action: string): Html {
  if (!pending.length) {
    return messageMain(
      subscribed.length ? 'You are already subscribed' : 'Nothing left to confirm',
      [subscribed.length ? `You receive ${listText(subscribed.map((n) => n.name))}.` : 'This link has nothing left to confirm. To receive a newsletter, sign up again.'],
      { href: '/newsletters', text: 'See all newsletters' },
    );
  }
  return html`<section class="nl-page nl-message">
  <h1>Confirm your subscription</h1>
  <p>You asked to receive ${listText(pending.map((n) => n.name))}.</p>
  <form method="post" action="${action}">
    <button type="submit">Confirm my subscription</button>
  </form>
</section>`;
}

export function linkProblemMain(kind: 'invalid' | 'expired'): Html {
  return kind === 'expired'
    ? messageMain('This link has expired', ['Confirmation links work for 7 days. Sign up again and we will send you a new one.'], { href: '/newsletters', text: 'Sign up again' })
    : messageMain('This link does not work', ['It may be incomplete (some email programs break long links), or it belongs to an address that is no longer on our lists. Nothing was changed.'], {
        href: '/newsletters',
        text: 'See our newsletters',
      });
}

const STATUS_NOTES: Partial<Record<SubscriptionStatus, string>> = {
  pending: 'awaiting confirmation',
  bounced: 'paused: emails to this address were returned',
  complained: 'paused: marked as spam',
};

/** The preferences page, reached from a signed link in every email. */
export function preferencesMain(items: readonly PreferenceItem[], reader: { email: string; name: string }, action: string, notice?: string, address?: AddressFormState): Html {
  return html`<section class="nl-page" aria-labelledby="nl-prefs-heading">
  <h1 id="nl-prefs-heading">Your newsletters</h1>
  ${notice ? html`<p class="nl-notice" role="status">${notice}</p>` : ''}
  <p>For ${reader.email}.</p>
  <form method="post" action="${action}" class="nl-form">
    <fieldset class="nl-choices">
      <legend>Send me</legend>
      <ul>${items.map(
        ({ newsletter: n, status }) => html`<li><label><input type="checkbox" name="newsletters" value="${n.slug}"${status === 'subscribed' ? html` checked` : ''}> <strong>${n.name}</strong></label>${
          status && STATUS_NOTES[status] ? html` <span class="nl-status">(${STATUS_NOTES[status]})</span>` : ''
        }${n.description ? html`<p>${n.description}</p>` : ''}</li>`,
      )}</ul>
    </fieldset>
    <label for="nl-prefs-name">Name <span class="nl-optional">(optional)</span></label>
    <input id="nl-prefs-name" type="text" name="name" maxlength="100" autocomplete="name" value="${reader.name}">
    <button type="submit" name="action" value="save">Save my choices</button>
    <button type="submit" name="action" value="unsubscribe-all" class="nl-secondary">Unsubscribe from everything</button>
  </form>
  ${addressForm(`${action}/address`, address)}
</section>`;
}

/** The preferences page's "change address" form; `state` keeps what was typed and says what went wrong. */
function addressForm(action: string, state: AddressFormState = {}): Html {
  const error = state.error;
  return html`<form method="post" action="${action}" class="nl-form nl-address" aria-labelledby="nl-address-heading">
    <h2 id="nl-address-heading">Change your address</h2>
    <p>We will send a link to the new address; your newsletters move there when you open it and confirm.</p>
    <label for="nl-address-email">New email address</label>
    ${error ? html`<p class="nl-error" id="nl-address-error">${error}</p>` : ''}
    <input id="nl-address-email" type="email" name="email" required maxlength="254" autocomplete="email" value="${state.email ?? ''}"${
      error ? html` aria-invalid="true" aria-describedby="nl-address-error"` : ''
    }>
    <button type="submit">Send the link</button>
  </form>`;
}

export interface AddressFormState {
  email?: string;
  error?: string;
}

/** The page an address-change link opens (GET): what would change, and a button. */
export function addressConfirmMain(oldEmail: string, newEmail: string, action: string): Html {
  return html`<section class="nl-page nl-message">
  <h1>Use ${newEmail}?</h1>
  <p>Your newsletters now go to ${oldEmail}. After this they will go to ${newEmail}.</p>
  <form method="post" action="${action}"><button type="submit">Use this address</button></form>
</section>`;
}

/** One-click unsubscribe's page for people (GET): a button, because mail scanners follow links. */
export function unsubscribeMain(newsletter: NewsletterRow, action: string, preferencesHref: string): Html {
  return html`<section class="nl-page nl-message">
  <h1>Unsubscribe from ${newsletter.name}?</h1>
  <form method="post" action="${action}">
    <input type="hidden" name="List-Unsubscribe" value="One-Click">
    <button type="submit">Unsubscribe</button>
  </form>
  <p><a href="${preferencesHref}">Choose which newsletters you receive instead</a></p>
</section>`;
}
