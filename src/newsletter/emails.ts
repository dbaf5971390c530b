/** Emails to readers about their subscription (not the newsletters themselves): plain text with a simple HTML alternative. */
import type { EmailMessage } from '../email/mailer.js';
import { escapeHtml } from '../shared/html.js';

function listOf(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

export function confirmationEmail(to: string, site: string, newsletterNames: readonly string[], link: string): EmailMessage {
  const what = listOf(newsletterNames);
  const lines = [
    `Someone, hopefully you, asked to receive ${what} from ${site} at this address.`,
    'To start receiving it, confirm with the link below within 7 days.',
    'If this was not you, ignore this email: you will not hear from us again unless you sign up yourself.',
  ];
  const href = escapeHtml(link);
  const html = `<!doctype html>
<html><body style="font-family:Georgia,serif;font-size:16px;line-height:1.5;color:#111;max-width:560px;margin:0 auto;padding:24px">
${lines.map((p) => `<p style="margin:0 0 16px">${escapeHtml(p)}</p>`).join('\n')}
<p style="margin:24px 0"><a href="${href}" style="background:#111;color:#fff;padding:12px 20px;text-decoration:none;border-radius:4px">Confirm my subscription</a></p>
<p style="margin:0 0 16px;font-size:14px;color:#555">Or paste this address into your browser:<br><a href="${href}">${href}</a></p>
</body></html>`;
  return {
    to,
    subject: `Confirm your subscription to ${what}`.replace(/[\r\n]+/g, ' ').slice(0, 200),
    text: `${lines.join('\n\n')}\n\n${link}\n`,
    html,
  };
}

/** The same simple layout as the confirmation email: paragraphs and, optionally, one button. */
function simpleEmail(to: string, subject: string, lines: readonly string[], button?: { text: string; link: string }): EmailMessage {
  const href = button ? escapeHtml(button.link) : '';
  const html = `<!doctype html>
<html><body style="font-family:Georgia,serif;font-size:16px;line-height:1.5;color:#111;max-width:560px;margin:0 auto;padding:24px">
${lines.map((p) => `<p style="margin:0 0 16px">${escapeHtml(p)}</p>`).join('\n')}
${
  button
    ? `<p style="margin:24px 0"><a href="${href}" style="background:#111;color:#fff;padding:12px 20px;text-decoration:none;border-radius:4px">${escapeHtml(button.text)}</a></p>
<p style="margin:0 0 16px;font-size:14px;color:#555">Or paste this address into your browser:<br><a href="${href}">${href}</a></p>`
    : ''
}
</body></html>`;
  return { to, subject: subject.replace(/[\r\n]+/g, ' ').slice(0, 200), text: `${lines.join('\n\n')}${button ? `\n\n${button.link}` : ''}\n`, html };
}

/** To the new address a reader asked to move their newsletters to. */
export function addressConfirmEmail(to: string, site: string, oldEmail: string, link: string): EmailMessage {
  return simpleEmail(
    to,
    `Confirm your new address for ${site} newsletters`,
    [
      `Someone, hopefully you, asked to receive the ${site} newsletters sent to ${oldEmail} at this address instead.`,
      'To make the change, open the link below within 48 hours and press the button on that page.',
      'If this was not you, ignore this email: nothing changes.',
    ],
    { text: 'Use this address', link },
  );
}

/** To the old address, once the change is made: nobody moves a reader's newsletters unnoticed. */
export function addressChangedEmail(to: string, site: string, newEmail: string): EmailMessage {
  return simpleEmail(to, `Your ${site} newsletters now go to another address`, [
    `As asked, the ${site} newsletters you received at this address now go to ${newEmail}.`,
    `If you did not ask for this, reply to this email and we will look into it.`,
  ]);
}
