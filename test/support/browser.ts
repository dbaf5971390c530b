/**
 * Headless Chromium for browser tests: Debian's /usr/bin/chromium driven by
 * playwright-core (no browser download). `watchPage` records everything a
 * reader would call broken: console errors, uncaught exceptions, failed
 * requests, HTTP errors, and any request that leaves the site's own origin
 * (those are aborted so a test never touches the network).
 */
import fs from 'node:fs';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium is required for the browser tests and is not at ${CHROMIUM_PATH} (apt-get install -y chromium; .ci/run does this)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export interface PageProblems {
  consoleErrors: string[];
  pageErrors: string[];
  failedRequests: string[];
  httpErrors: string[];
  /** Requests to any origin other than the app's (aborted). */
  foreignRequests: string[];
  /** Every request URL the page made, same-origin or not. */
  requests: string[];
}

export function emptyProblems(p: PageProblems): boolean {
  return !p.consoleErrors.length && !p.pageErrors.length && !p.failedRequests.length && !p.httpErrors.length && !p.foreignRequests.length;
}

/**
 * A new context whose pages are watched. Requests to another origin are
 * recorded and aborted; `data:` URLs are allowed (they never leave the page).
 */
export async function watchedContext(
  browser: Browser,
  origin: string,
  options: BrowserContextOptions = {},
): Promise<{ context: BrowserContext; problems: PageProblems }> {
  const context = await browser.newContext({ serviceWorkers: 'block', ...options });
  const problems: PageProblems = { consoleErrors: [], pageErrors: [], failedRequests: [], httpErrors: [], foreignRequests: [], requests: [] };
  const foreign = (url: string) => !url.startsWith('data:') && new URL(url).origin !== origin;
  await context.route(
    (url) => foreign(url.toString()),
    async (route) => {
      problems.foreignRequests.push(route.request().url());
      await route.abort('blockedbyclient');
    },
  );
  context.on('page', (page) => watchPage(page, problems, foreign));
  return { context, problems };
}

function watchPage(page: Page, problems: PageProblems, foreign: (url: string) => boolean): void {
  page.on('console', (message) => {
    if (message.type() === 'error') problems.consoleErrors.push(`${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => problems.pageErrors.push(String(error)));
  page.on('request', (request) => problems.requests.push(request.url()));
  page.on('requestfailed', (request) => {
    // Foreign requests were aborted on purpose and are reported on their own.
    if (foreign(request.url())) return;
    const error = request.failure()?.errorText ?? 'failed';
    if (isLeavingBeacon(request.method(), request.url(), error)) return;
    problems.failedRequests.push(`${request.method()} ${request.url()}: ${error}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.httpErrors.push(`${response.status()} ${response.request().method()} ${response.url()}`);
  });
}

/**
 * The prompt script's counting beacon (`fetch(..., { keepalive: true })` to
 * /prompts/events) is sent when the reader leaves the page. Chromium finishes a
 * keepalive request after the page is gone, but reports it to the page as
 * aborted: that is the page navigating, not a failure. Anything else aborted
 * is still a problem.
 */
function isLeavingBeacon(method: string, url: string, error: string): boolean {
  return method === 'POST' && new URL(url).pathname === '/prompts/events' && error === 'net::ERR_ABORTED';
}

/** Readable assertion message for a problems record. */
export function describeProblems(p: PageProblems): string {
  return JSON.stringify(
    { consoleErrors: p.consoleErrors, pageErrors: p.pageErrors, failedRequests: p.failedRequests, httpErrors: p.httpErrors, foreignRequests: p.foreignRequests },
    null,
    2,
  );
}
