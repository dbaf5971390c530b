/**
 * The receipt for one donation: plain text with a simple HTML alternative (the
 * style of src/newsletter/emails.ts). It says what was given, when, how often,
 * what for, and who received it (the organization's details from the
 * donations settings), and links to the donor page.
 */
import { escapeHtml } from '../shared/html.js';
import type { DonationFrequency, DonationStatus } from '../db/schema.js';
import type { SiteSettings } from '../newsroom/settings.js';
import { formatMoney } from './money.js';

export interface ReceiptFacts {
  donationId: number;
  donorName: string;
  amountMinor: number;
  refundedMinor: number;
  currency: string;
  frequency: DonationFrequency;
  status: DonationStatus;
  paidAt: string;
}

const FREQUENCY_TEXT: Record<DonationFrequency, string> = { once: 'One-time', monthly: 'Monthly (recurring)', yearly: 'Yearly (recurring)' };

/** "28 November 2026" in the site's language and time zone. */
export function giftDate(iso: string, settings: Pick<SiteSettings, 'language' | 'timeZone'>): string {
  try {
    return new Intl.DateTimeFormat(settings.language, { dateStyle: 'long', timeZone: settings.timeZone }).format(new Date(iso));
  } catch {
    return iso.slice(0, 10);
  }
}

export function receiptNumber(donationId: number): string {
  return `R-${String(donationId).padStart(6, '0')}`;
}

export function receiptEmail(gift: ReceiptFacts, settings: SiteSettings, donorPageUrl: string): { subject: string; text: string; html: string } {
  const d = settings.donations;
  const organization = d.legalName.trim() || settings.name;
  const amount = formatMoney(gift.amountMinor, gift.currency, settings.language);
  const rows: [string, string][] = [
    ['Receipt number', receiptNumber(gift.donationId)],
    ['Amount', `${amount} (${gift.currency.toUpperCase()})`],
    ['Date', giftDate(gift.paidAt, settings)],
    ['Frequency', FREQUENCY_TEXT[gift.frequency]],
    ['For', `A donation to support the journalism of ${settings.name}`],
  ];
  if (gift.refundedMinor > 0) rows.push(['Refunded', formatMoney(gift.refundedMinor, gift.currency, settings.language)]);
  const org: string[] = [organization, ...d.address.split(/\r?\n/).map((l) => l.trim()).filter(Boolean)];
  if (d.taxId.trim()) org.push(`Tax id / charity number: ${d.taxId.trim()}`);
  const greeting = gift.donorName ? `Dear ${gift.donorName},` : 'Hello,';
  const thanks = `Thank you for your ${gift.frequency === 'once' ? 'donation' : `${gift.frequency} donation`} to ${settings.name}. This email is your receipt.`;
  const note = d.receiptNote.trim();
  const manage = gift.frequency === 'once' ? 'See all your gifts on your donor page:' : 'See all your gifts, or change or cancel your recurring gift, on your donor page:';
  const subject = `Your receipt for your donation to ${settings.name}`.replace(/[\r\n]+/g, ' ').slice(0, 200);

  const text = [
    greeting,
    thanks,
    rows.map(([k, v]) => `${k}: ${v}`).join('\n'),
    `Received by:\n${org.join('\n')}`,
    ...(note ? [note] : []),
    `${manage}\n${donorPageUrl}`,
  ].join('\n\n');

  const p = (s: string) => `<p style="margin:0 0 16px">${escapeHtml(s)}</p>`;
  const href = escapeHtml(donorPageUrl);
  const html = `<!doctype html>
<html><body style="font-family:Georgia,serif;font-size:16px;line-height:1.5;color:#111;max-width:560px;margin:0 auto;padding:24px">
${p(greeting)}
${p(thanks)}
<table role="presentation" style="border-collapse:collapse;margin:0 0 16px">
${rows.map(([k, v]) => `<tr><th scope="row" style="text-align:left;padding:4px 16px 4px 0;font-weight:normal;color:#555">${escapeHtml(k)}</th><td style="padding:4px 0">${escapeHtml(v)}</td></tr>`).join('\n')}
</table>
<p style="margin:0 0 16px">Received by:<br>${org.map((l) => escapeHtml(l)).join('<br>')}</p>
${note ? p(note) : ''}
<p style="margin:0 0 16px">${escapeHtml(manage)} <a href="${href}">${href}</a></p>
</body></html>`;
  return { subject, text: `${text}\n`, html };
}
