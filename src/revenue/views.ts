/**
 * Reader-facing donation HTML: the /donate page (frequency tabs that are plain
 * links, suggested amounts as radio buttons, a custom amount, the card-fee
 * cover, a message; also inside other sites' frames, /donate/embed), the
 * compact form other pages embed (prompts, the end of articles), and the thank-you, cancelled and not-set-up pages. Plain forms
 * that work without JavaScript; escaped by default. The forms carry nothing
 * per reader (pages are cached): see docs/revenue.md for how POST /donate is
 * protected.
 */
import { html, type Html } from '../shared/html.js';
import type { DonationFrequency } from '../db/schema.js';
import type { SiteSettings } from '../newsroom/settings.js';
import { ATTRIBUTION_FIELDS, type RawAttribution, type ThankYou } from './checkout.service.js';
import { feeToCover, formatMoney, toMinor } from './money.js';

export const FREQUENCY_LABELS: Record<DonationFrequency, string> = { once: 'One-time', monthly: 'Monthly', yearly: 'Yearly' };
const PER: Record<DonationFrequency, string> = { once: '', monthly: ' a month', yearly: ' a year' };

export interface DonateFormState {
  frequency: DonationFrequency;
  amount?: string;
  customAmount?: string;
  coverFees?: boolean;
  message?: string;
  email?: string;
  name?: string;
  attribution: Partial<RawAttribution>;
  /** Field path → message, from the last attempt. */
  errors?: Record<string, string>;
}

export function suggestedAmounts(d: SiteSettings['donations'], frequency: DonationFrequency): number[] {
  return frequency === 'once' ? d.amountsOnce : frequency === 'monthly' ? d.amountsMonthly : d.amountsYearly;
}

/** The attribution as hidden fields, so it travels with the form. */
function hiddenAttribution(attribution: Partial<RawAttribution>): Html {
  return html`${ATTRIBUTION_FIELDS.filter((f) => attribution[f]).map((f) => html`<input type="hidden" name="${f}" value="${attribution[f]!}">`)}`;
}

/** /donate?frequency=… (or the embedded form's own address), keeping the attribution. */
function tabHref(frequency: DonationFrequency, attribution: Partial<RawAttribution>, path = '/donate'): string {
  const query = new URLSearchParams({ frequency });
  for (const f of ATTRIBUTION_FIELDS) if (attribution[f]) query.set(f, attribution[f]!);
  return `${path}?${query.toString()}`;
}

export interface DonateFormOptions {
  /**
   * The form inside another site's frame (/donate/embed): the frequency tabs stay in the frame, and the
   * form is sent from the top window (`target="_top"`), because Stripe Checkout refuses to be framed.
   */
  embedPath?: string;
}

function error(state: DonateFormState, path: string, id: string): Html {
  const message = state.errors?.[path];
  return message ? html`<p class="donate-error" id="${id}">${message}</p>` : html``;
}

/** The /donate page's main. */
export function donatePageMain(settings: SiteSettings, state: DonateFormState, options: DonateFormOptions = {}): Html {
  const embedded = options.embedPath !== undefined;
  const d = settings.donations;
  const money = (units: number) => formatMoney(toMinor(units, d.currency), d.currency, settings.language);
  const frequency = state.frequency;
  const amounts = suggestedAmounts(d, frequency);
  const chosen = state.amount ?? (state.customAmount ? 'custom' : String(amounts[1]));
  const amountInvalid = state.errors?.['/amount'] ? html` aria-invalid="true" aria-describedby="donate-amount-error"` : html``;
  const fee = feeToCover(toMinor(amounts[1]!, d.currency), d);
  return html`<section class="donate-page" aria-labelledby="donate-heading">
  <h1 id="donate-heading">Support ${settings.name}</h1>
  <p>Your gift keeps our journalism free for everyone to read. Give once, or every month or year; cancel a recurring gift at any time.</p>
  ${state.errors ? html`<p class="donate-error" role="alert">Please check the form: ${Object.values(state.errors).join(' ')}</p>` : ''}
  <nav class="donate-tabs" aria-label="How often">
    <ul>${(Object.keys(FREQUENCY_LABELS) as DonationFrequency[]).map(
      (f) => html`<li><a href="${tabHref(f, state.attribution, options.embedPath)}"${f === frequency ? html` aria-current="page"` : ''}>${FREQUENCY_LABELS[f]}</a></li>`,
    )}</ul>
  </nav>
  <form method="post" action="/donate" class="donate-form"${embedded ? html` target="_top"` : ''}>
    <input type="hidden" name="frequency" value="${frequency}">
    <input type="hidden" name="currency" value="${d.currency}">
    ${hiddenAttribution(state.attribution)}
    <fieldset class="donate-amounts"${amountInvalid}>
      <legend>${FREQUENCY_LABELS[frequency]} amount (${d.currency})</legend>
      ${error(state, '/amount', 'donate-amount-error')}
      ${amounts.map(
        (a) => html`<label class="donate-amount"><input type="radio" name="amount" value="${String(a)}"${chosen === String(a) ? html` checked` : ''}> ${money(a)}${PER[frequency]}</label>`,
      )}
      <label class="donate-amount"><input type="radio" name="amount" value="custom"${chosen === 'custom' ? html` checked` : ''}> Another amount</label>
      <label for="donate-custom">Your amount in ${d.currency} <span class="donate-optional">(${money(d.minimum)} to ${money(d.maximum)})</span></label>
      <input id="donate-custom" type="text" inputmode="decimal" name="custom_amount" maxlength="12" autocomplete="transaction-amount" value="${state.customAmount ?? ''}">
    </fieldset>
    ${d.coverFees
      ? html`<label class="donate-check"><input type="checkbox" name="cover_fees" value="1"${state.coverFees ? html` checked` : ''}> Add ${formatMoney(fee, d.currency, settings.language)} to a ${money(amounts[1]!)} gift to cover the card fees, so we receive all of it</label>
    <p class="donate-small">Card fees are ${d.feePercent}% + ${money(d.feeFixed)} of each payment; the cover adds that to your gift.</p>`
      : ''}
    <label for="donate-message">A message for the newsroom <span class="donate-optional">(optional)</span></label>
    ${error(state, '/message', 'donate-message-error')}
    <textarea id="donate-message" name="message" maxlength="500" rows="3"${state.errors?.['/message'] ? html` aria-invalid="true" aria-describedby="donate-message-error"` : ''}>${state.message ?? ''}</textarea>
    <label for="donate-name">Your name <span class="donate-optional">(optional)</span></label>
    ${error(state, '/name', 'donate-name-error')}
    <input id="donate-name" type="text" name="name" maxlength="100" autocomplete="name" value="${state.name ?? ''}">
    <label for="donate-email">Email address <span class="donate-optional">(optional: the payment page asks for it)</span></label>
    ${error(state, '/email', 'donate-email-error')}
    <input id="donate-email" type="email" name="email" maxlength="254" autocomplete="email" value="${state.email ?? ''}"${state.errors?.['/email'] ? html` aria-invalid="true" aria-describedby="donate-email-error"` : ''}>
    <button type="submit">Continue to payment</button>
  </form>
  <p class="donate-small">Payments are handled by Stripe; we never see your card number.${embedded ? ' Continuing opens the payment page in this whole window.' : ''}</p>
</section>`;
}

/**
 * A compact donate form for other pages (a prompt, the end of an article): how
 * often and how much. It opens /donate with those chosen (a GET: the page it
 * sits on needs no CSP change and no forgery check), where the reader adds
 * the rest and goes on to pay. `attribution` says where it was shown.
 */
export function compactDonateForm(settings: SiteSettings, attribution: Partial<RawAttribution> = {}, idPrefix = 'donate-compact'): Html {
  const d = settings.donations;
  const money = (units: number) => formatMoney(toMinor(units, d.currency), d.currency, settings.language);
  return html`<section class="donate-compact" aria-labelledby="${idPrefix}-heading">
  <h2 id="${idPrefix}-heading">Support ${settings.name}</h2>
  <form method="get" action="/donate">
    <input type="hidden" name="amount" value="custom">
    ${hiddenAttribution(attribution)}
    <fieldset><legend>How often</legend>
      ${(Object.keys(FREQUENCY_LABELS) as DonationFrequency[]).map(
        (f) => html`<label><input type="radio" name="frequency" value="${f}"${f === 'monthly' ? html` checked` : ''}> ${FREQUENCY_LABELS[f]}</label>`,
      )}
    </fieldset>
    <label for="${idPrefix}-amount">Amount in ${d.currency} <span class="donate-optional">(at least ${money(d.minimum)})</span></label>
    <input id="${idPrefix}-amount" type="text" inputmode="decimal" name="custom_amount" maxlength="12" required value="${String(d.amountsMonthly[1])}">
    <button type="submit">Donate</button>
  </form>
</section>`;
}

/** A short result page: a heading, a few paragraphs, and an optional link onwards. */
export function donateMessageMain(title: string, paragraphs: readonly (string | Html)[], link?: { href: string; text: string }): Html {
  return html`<section class="donate-page donate-message">
  <h1>${title}</h1>
  ${paragraphs.map((p) => html`<p>${p}</p>`)}
  ${link ? html`<p><a href="${link.href}">${link.text}</a></p>` : ''}
</section>`;
}

export function notSetUpMain(siteName: string): Html {
  return donateMessageMain('Donations are not set up yet', [`${siteName} cannot take donations online yet. Please come back soon.`], { href: '/', text: 'Back to the front page' });
}

export function thanksMain(settings: SiteSettings, gift: ThankYou): Html {
  if (!gift.paid) {
    return donateMessageMain('Your payment is not complete', ['Stripe has not confirmed this payment yet. If you left the payment page early, nothing was charged: you can start again.'], {
      href: '/donate',
      text: 'Make a donation',
    });
  }
  const amount = `${formatMoney(gift.amountMinor, gift.currency, settings.language)}${PER[gift.frequency]}`;
  return donateMessageMain(
    'Thank you for your support',
    [
      `Your ${gift.frequency === 'once' ? 'gift' : `${gift.frequency} gift`} of ${amount} to ${settings.name} went through.`,
      gift.email ? `A receipt will be emailed to ${gift.email}.` : 'A receipt will be emailed to you.',
    ],
    { href: '/', text: 'Back to the front page' },
  );
}

export function cancelledMain(): Html {
  return donateMessageMain('Your donation was cancelled', ['You left the payment page before paying: nothing was charged.'], { href: '/donate', text: 'Try again' });
}
