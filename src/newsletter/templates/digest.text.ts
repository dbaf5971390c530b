/**
 * The plain-text alternative of a digest email, built from the same data as
 * the HTML (not scraped from it): every story with its full link, and the
 * same preferences and unsubscribe links as the HTML footer.
 */
import { MERGE_FIELDS } from '../rendered.js';
import { bylineText, type DigestView } from './digest.html.js';

const RULE = '-'.repeat(40);

export function digestText(view: DigestView): string {
  const out: string[] = [`${view.newsletterName} from ${view.siteName}`, '', `Hello ${MERGE_FIELDS.name}`, ''];
  for (const paragraph of view.intro) out.push(paragraph, '');
  for (const story of view.items) {
    out.push(RULE);
    if (story.section) out.push(story.section.toUpperCase());
    out.push(story.headline);
    if (story.dek) out.push(story.dek);
    const by = bylineText(story.byline);
    if (by) out.push(by);
    out.push(`Read the story: ${story.url}`, '');
  }
  out.push(
    RULE,
    `You are receiving ${view.newsletterName} from ${view.siteName} (${view.publicUrl}) because you signed up for it.`,
    `Manage your newsletters: ${MERGE_FIELDS.preferencesUrl}`,
    `Unsubscribe: ${MERGE_FIELDS.unsubscribeUrl}`,
  );
  if (view.address) out.push('', view.address);
  return `${out.join('\n')}\n`;
}
