/**
 * axe-core (the engine behind Lighthouse's accessibility audit) in a test
 * page: WCAG 2.1 A/AA rules. The engine is evaluated through the DevTools
 * protocol, so the page's Content-Security-Policy does not apply to it.
 */
import { createRequire } from 'node:module';
import fs from 'node:fs';
import type { Page } from 'playwright-core';

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

export interface AxeOptions {
  /** Also audit iframes (default true). Off for frames whose markup is not ours to fix (an email preview). */
  iframes?: boolean;
  /** Every impact, not only serious and critical. */
  allImpacts?: boolean;
}

/** The WCAG 2.1 A/AA violations on the page as it is now: serious and critical ones unless `allImpacts`. */
export async function axeViolations(page: Page, options: AxeOptions = {}): Promise<Violation[]> {
  await page.evaluate(axeSource);
  const result = await page.evaluate(async (iframes: boolean) => {
    const axe = (window as unknown as { axe: { run(ctx: unknown, options: unknown): Promise<{ violations: Violation[] }> } }).axe;
    return axe.run(document, { iframes, runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
  }, options.iframes ?? true);
  return options.allImpacts ? result.violations : result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Violations as a readable list for an assertion message ('' when there are none). */
export function describeViolations(list: readonly Violation[]): string {
  return list.map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.slice(0, 5).map((n) => `   ${n.target.join(' ')}: ${n.failureSummary ?? ''}`).join('\n')}`).join('\n');
}

/** Serious and critical violations, described; '' when the page is clean. */
export async function seriousViolations(page: Page, options: Omit<AxeOptions, 'allImpacts'> = {}): Promise<string> {
  return describeViolations(await axeViolations(page, options));
}
