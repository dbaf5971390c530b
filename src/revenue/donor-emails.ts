/** The donor's sign-in email: the style of src/newsletter/emails.ts (paragraphs and one button). */
import { escapeHtml } from '../shared/html.js';

export function donorLinkEmail(site: string, link: string, minutes: number): { subject: string; text: string; html: string } {
  const lines = [
    `Someone, hopefully you, asked to see the gifts made to ${site} from this address.`,
    `Open the link below within ${minutes} minutes and press the button on that page to sign in. The link works once.`,
    'If this was not you, ignore this email: nothing changes and nobody can see your gifts without it.',
  ];
  const href = escapeHtml(link);
  const html = `<!doctype html>
<html><body style="font-family:Georgia,serif;font-size:16px;line-height:1.5;color:#111;max-width:560px;margin:0 auto;padding:24px">
${lines.map((p) => `<p style="margin:0 0 16px">${escapeHtml(p)}</p>`).join('\n')}
<p style="margin:24px 0"><a href="${href}" style="background:#111;color:#fff;padding:12px 20px;text-decoration:none;border-radius:4px">See my gifts</a></p>
<p style="margin:0 0 16px;font-size:14px;color:#555">Or paste this address into your browser:<br><a href="${href}">${href}</a></p>
</body></html>`;
  return { subject: `Sign in to see your gifts to ${site}`.replace(/[\r\n]+/g, ' ').slice(0, 200), text: `${lines.join('\n\n')}\n\n${link}\n`, html };
}
