/**
 * The donor's pages (HTML only, escaped by default): the sign-in form, "check
 * your inbox", the sign-in link's page with its button, the link's problems,
 * and the donor page with their gifts. Plain forms, no JavaScript.
 */
import { html, type Html } from '../shared/html.js';
import type { DonationRow, DonationStatus, DonorRow, RecurringGiftRow } from '../db/schema.js';
import type { SiteSettings } from '../newsroom/settings.js';
import { formatMoney } from './money.js';
import { giftDate } from './receipts-email.js';
import { FREQUENCY_LABELS } from './views.js';
import { RECURRING_LABELS, type LinkState } from './donor.service.js';

function page(title: string, body: Html): Html {
  return html`<section class="nl-page donor-page">
  <h1>${title}</h1>
  ${body}
</section>`;
}

export function donorMessageMain(title: string, paragraphs: readonly string[], link?: { href: string; text: string }): Html {
  return page(title, html`${paragraphs.map((p) => html`<p>${p}</p>`)}
  ${link ? html`<p><a href="${link.href}">${link.text}</a></p>` : ''}`);
}

export function signInFormMain(siteName: string, state: { email?: string; error?: string } = {}): Html {
  const invalid = state.error ? html` aria-invalid="true" aria-describedby="donor-email-error"` : html``;
  return page(
    'See your gifts',
    html`<p>Enter the email address you gave with. If it has gifts to ${siteName}, we will email it a link to sign in.</p>
  <form method="post" action="/donor" class="nl-form">
    <label for="donor-email">Email address</label>
    ${state.error ? html`<p class="nl-error" id="donor-email-error">${state.error}</p>` : ''}
    <input id="donor-email" type="email" name="email" required maxlength="254" autocomplete="email" value="${state.email ?? ''}"${invalid}>
    <button type="submit">Email me a sign-in link</button>
  </form>`,
  );
}

export function checkInboxMain(minutes: number): Html {
  return donorMessageMain('Check your inbox', [
    `If this address has given to us, we have sent it an email with a sign-in link. The link works once, for ${minutes} minutes.`,
    'Nothing there? Look in your spam folder, or ask again in a few minutes.',
  ]);
}

export function tooManyMain(): Html {
  return donorMessageMain('Please wait a little', ['We have sent several sign-in links for this address or network recently. Try again in an hour.'], { href: '/', text: 'Back to the front page' });
}

/** The sign-in link's page: a button (mail scanners follow links, they do not press buttons). */
export function signInButtonMain(action: string): Html {
  return page(
    'Sign in to see your gifts',
    html`<p>Press the button to sign in on this device. You stay signed in for 30 days, or until you sign out.</p>
  <form method="post" action="${action}">
    <button type="submit">Sign in</button>
  </form>`,
  );
}

export function linkProblemMain(state: Exclude<LinkState, 'ok'>, minutes: number): Html {
  const again = { href: '/donor', text: 'Get a new sign-in link' };
  switch (state) {
    case 'expired':
      return donorMessageMain('This link has expired', [`Sign-in links work for ${minutes} minutes. Ask for a new one and use it soon after it arrives.`], again);
    case 'used':
      return donorMessageMain('This link was already used', ['Each sign-in link works once. If you signed in on another device, ask for a new link here.'], again);
    default:
      return donorMessageMain('This link does not work', ['It may be incomplete: some email programs break long links. Nothing was changed.'], again);
  }
}

const STATUS_LABELS: Record<DonationStatus, string> = { pending: 'Payment pending', failed: 'Payment failed', succeeded: 'Paid', partially_refunded: 'Partly refunded', refunded: 'Refunded' };
const PER = { month: 'a month', year: 'a year' } as const;

export function giftsMain(settings: SiteSettings, donor: DonorRow, gifts: readonly DonationRow[], recurring: readonly RecurringGiftRow[]): Html {
  const money = (minor: number, currency: string) => formatMoney(Number(minor), currency, settings.language);
  const currency = gifts[0]?.currency ?? settings.donations.currency.toLowerCase();
  const manageable = recurring.some((r) => r.status !== 'cancelled' && r.stripe_customer_id);
  return page(
    'Your gifts',
    html`<p>Signed in as ${donor.email}. Thank you for supporting ${settings.name}.</p>
  <p><strong>Total given: ${money(Number(donor.total_minor), currency)}</strong> (${String(donor.gift_count)} ${donor.gift_count === 1 ? 'gift' : 'gifts'}, refunds deducted)</p>
  ${
    recurring.length
      ? html`<h2>Recurring gifts</h2>
  <ul class="donor-recurring">
    ${recurring.map((r) => html`<li>${money(Number(r.amount_minor), r.currency)} ${PER[r.interval as 'month' | 'year'] ?? ''}: <strong>${RECURRING_LABELS[r.status]}</strong>${r.status === 'past_due' ? ' (the last payment failed: update your card)' : ''}</li>`)}
  </ul>
  ${
    manageable
      ? html`<form method="post" action="/donor/portal">
    <button type="submit">Manage your monthly gift</button>
  </form>
  <p class="nl-small">Change the amount or card, or cancel, on Stripe's secure page.</p>`
      : ''
  }`
      : ''
  }
  <h2>All gifts</h2>
  ${
    gifts.length
      ? html`<table class="donor-gifts">
    <caption class="nl-small">Newest first</caption>
    <thead><tr><th scope="col">Date</th><th scope="col">Amount</th><th scope="col">Frequency</th><th scope="col">Status</th></tr></thead>
    <tbody>
      ${gifts.map(
        (g) => html`<tr><td>${giftDate(g.paid_at, settings)}</td><td>${money(Number(g.amount_minor), g.currency)}</td><td>${FREQUENCY_LABELS[g.frequency]}</td><td>${STATUS_LABELS[g.status]}${
          g.status === 'partially_refunded' ? ` (${money(Number(g.refunded_minor), g.currency)} refunded)` : ''
        }</td></tr>`,
      )}
    </tbody>
  </table>`
      : html`<p>No gifts yet.</p>`
  }
  <form method="post" action="/donor/signout">
    <button type="submit" class="nl-secondary">Sign out</button>
  </form>`,
  );
}
