/**
 * Disposable ("throwaway", "10-minute") mail domains. Readers who sign up with
 * one never see a second email: the mailbox is gone before the first issue,
 * and every later send to it bounces, which hurts delivery to everyone else.
 *
 * The list is the `disposable-email-domains` package (about 120,000 domains,
 * plus a few hundred whose every subdomain is disposable), loaded on first use
 * so that processes that never check an address do not pay its ~10 MB.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let exact: Set<string> | undefined;
let wildcard: Set<string> | undefined;

function lists(): { exact: Set<string>; wildcard: Set<string> } {
  exact ??= new Set(require('disposable-email-domains') as string[]);
  wildcard ??= new Set(require('disposable-email-domains/wildcard.json') as string[]);
  return { exact, wildcard };
}

/** Whether mail to this (lower-case, ASCII) domain goes to a throwaway mailbox service. */
export function isDisposableDomain(domain: string): boolean {
  const { exact, wildcard } = lists();
  if (exact.has(domain)) return true;
  // `a.b.example.tk` is disposable when `example.tk` is listed as a wildcard (or `b.example.tk` is).
  for (let dot = domain.indexOf('.'); dot !== -1; dot = domain.indexOf('.', dot + 1)) {
    const parent = domain.slice(dot + 1);
    if (wildcard.has(parent)) return true;
  }
  return wildcard.has(domain);
}
