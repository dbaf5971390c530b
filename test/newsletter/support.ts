/** Helpers for the newsletter tests: a real SMTP inbox, form posts as a browser sends them, links out of emails. */
import assert from 'node:assert/strict';
import type { ParsedMail } from 'mailparser';
import type { TestApp } from '../support/apps.js';

/** The newsletter tests' name for the shared test SMTP server. */
export { MailServer as Inbox, recipients } from '../support/mail.js';

/** Runs the queued jobs (the confirmation emails); the SMTP server has the messages when this returns. */
export async function deliver(t: TestApp): Promise<void> {
  await t.app.runner.drain();
}

/** The confirmation link in an email: the same in the text and the HTML part. */
export function confirmLinkIn(mail: ParsedMail): string {
  const match = /http:\/\/news\.test(\/newsletters\/confirm\/[A-Za-z0-9._-]+)/.exec(mail.text ?? '');
  assert.ok(match, `no confirmation link in:\n${mail.text}`);
  assert.ok(String(mail.html).includes(match[0]), 'the HTML part carries the same link');
  return match[1]!;
}

export interface PageResult {
  status: number;
  headers: Headers;
  text: string;
}

/** A browser's same-origin form POST (urlencoded, with the Origin and Sec-Fetch-Site a browser sends). */
export async function postForm(
  t: TestApp,
  path: string,
  fields: [string, string][],
  options: { ip?: string; headers?: Record<string, string> } = {},
): Promise<PageResult> {
  const response = await fetch(t.url + path, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      origin: 'http://news.test',
      'sec-fetch-site': 'same-origin',
      ...(options.ip ? { 'x-forwarded-for': options.ip } : {}),
      ...options.headers,
    },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

export async function getPage(t: TestApp, path: string, headers: Record<string, string> = {}): Promise<PageResult> {
  const response = await fetch(t.url + path, { headers, redirect: 'manual' });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** The text of an HTML page without tags, whitespace collapsed (what a reader reads). */
export function visibleText(page: string): string {
  return page
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The <main> of a page: what differs between result pages (the footer and header are shared). */
export function mainOf(page: string): string {
  const match = /<main[^>]*>([\s\S]*)<\/main>/.exec(page);
  assert.ok(match, 'the page has a <main>');
  return match[1]!;
}

let counter = 0;
/** A fresh client address for each sign-up, so tests do not share the per-network limit. */
export function nextIp(): string {
  counter++;
  return `198.51.${Math.floor(counter / 250) % 250}.${(counter % 250) + 1}`;
}
