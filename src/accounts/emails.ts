/** The account emails: password reset and staff invitation, as plain text with a simple HTML alternative. */
import type { EmailMessage } from '../email/mailer.js';
import { escapeHtml } from '../shared/html.js';

function htmlBody(paragraphs: string[], link: string, button: string): string {
  const ps = paragraphs.map((p) => `<p style="margin:0 0 16px">${escapeHtml(p)}</p>`).join('\n');
  const href = escapeHtml(link);
  return `<!doctype html>
<html><body style="font-family:Georgia,serif;font-size:16px;line-height:1.5;color:#111;max-width:560px;margin:0 auto;padding:24px">
${ps}
<p style="margin:24px 0"><a href="${href}" style="background:#111;color:#fff;padding:12px 20px;text-decoration:none;border-radius:4px">${escapeHtml(button)}</a></p>
<p style="margin:0 0 16px;font-size:14px;color:#555">Or paste this address into your browser:<br><a href="${href}">${href}</a></p>
</body></html>`;
}

export function resetEmail(to: string, site: string, link: string): EmailMessage {
  const lines = [
    `Someone (hopefully you) asked to reset the password of your ${site} newsroom account.`,
    'Choose a new password within the next hour with this link. It works once.',
    'If you did not ask for this, ignore this email: your password stays as it is.',
  ];
  return {
    to,
    subject: `Reset your ${site} password`,
    text: `${lines.join('\n\n')}\n\n${link}\n`,
    html: htmlBody(lines, link, 'Choose a new password'),
  };
}

export function invitationEmail(to: string, site: string, inviter: string, role: string, link: string): EmailMessage {
  const lines = [
    `${inviter} invited you to join the ${site} newsroom as ${role === 'admin' || role === 'editor' || role === 'author' ? `an ${role}` : `a ${role}`}.`,
    'Accept within 7 days with this link, and choose your password. It works once.',
  ];
  return {
    to,
    subject: `You are invited to the ${site} newsroom`,
    text: `${lines.join('\n\n')}\n\n${link}\n`,
    html: htmlBody(lines, link, 'Accept the invitation'),
  };
}
