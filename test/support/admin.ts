/**
 * Support for the admin app's browser tests: the bundle built once (skipped
 * when its sources have not changed), an app whose PUBLIC_URL is the address it
 * really listens on (the Admin API refuses requests from any other origin),
 * staff accounts, and signing in through the UI.
 */
import { execFileSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { describeProblems, emptyProblems, type PageProblems } from './browser.js';
import { projectRoot } from '../../src/shared/paths.js';
import { startTestApp, type DialectName, type TestApp } from './apps.js';

let built = false;

export function ensureAdminBuilt(): void {
  if (built) return;
  execFileSync(process.execPath, [path.join(projectRoot, 'scripts', 'build-admin.mjs'), '--quiet'], { stdio: 'inherit', cwd: projectRoot });
  built = true;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A listening app for the browser, same origin as its PUBLIC_URL. */
export async function startAdminTestApp(dialect: DialectName, env: Record<string, string> = {}): Promise<TestApp> {
  ensureAdminBuilt();
  const port = await freePort();
  return startTestApp(dialect, { env: { PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, ...env } });
}

/** Signs in through the sign-in form and waits for the dashboard. */
export async function signInThroughUi(page: Page, base: string, email: string, password: string, path = '/admin'): Promise<void> {
  await page.goto(`${base}${path}`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Admin' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Sign in' }).count(), 0, 'the sign-in form is gone');
}

/**
 * The admin page had no console errors, failed requests or unexpected HTTP errors. Always expected: the app's
 * first question, "who is signed in?", answered 401 before signing in, and requests the app itself cancelled when
 * the screen changed (net::ERR_ABORTED). `allowed`: HTTP errors a test provoked on purpose (e.g. /409 PATCH/).
 */
export function assertAdminPageClean(problems: PageProblems, where: string, allowed: RegExp[] = []): void {
  const expected = [/401 GET \S+\/api\/admin\/session$/, ...allowed];
  const httpErrors = problems.httpErrors.filter((e) => !expected.some((re) => re.test(e)));
  // Chromium logs each of those responses as "Failed to load resource: ... status of N (url)".
  const consoleErrors = problems.consoleErrors.filter((e) => {
    const failed = /^Failed to load resource: the server responded with a status of (\d+) .*\((\S+)\)$/.exec(e);
    return !failed || httpErrors.some((h) => h.startsWith(failed[1]!) && h.endsWith(failed[2]!));
  });
  const failedRequests = problems.failedRequests.filter((e) => !e.endsWith('net::ERR_ABORTED'));
  const left = { ...problems, httpErrors, consoleErrors, failedRequests };
  assert.ok(emptyProblems(left), `${where}:\n${describeProblems(left)}`);
}
