/**
 * The demo newsroom's four prompts, in our own words (issue 6): a donation
 * appeal in articles, a newsletter sign-up at their end, and the app and
 * social accounts on the home and section pages. Idempotent: a prompt whose
 * slug exists is left as the newsroom changed it.
 */
import type { CampaignsService } from './campaigns.service.js';
import type { CampaignInput } from './model.js';

export const DEMO_PROMPTS: readonly (CampaignInput & { slug: string })[] = [
  {
    slug: 'demo-donation-appeal',
    name: 'Donation appeal',
    kind: 'donation',
    placement: 'inline',
    afterParagraph: 4,
    priority: 10,
    targeting: { donor: 'non-donor' },
    caps: { perDay: 2, dismissDays: 7 },
    variants: [
      {
        key: 'a',
        weight: 50,
        heading: 'Local news costs money to make',
        body: '<p>We have no paywall and no owner to answer to. A small gift from readers like you keeps our reporters at council meetings, in court and on the harbour.</p>',
        buttonText: 'Make a donation',
      },
      {
        key: 'b',
        weight: 50,
        heading: 'Keep this reporting free for everyone',
        body: '<p>If our journalism is worth something to you, chip in what you can, once or every month.</p>',
        buttonText: 'Support our newsroom',
      },
    ],
  },
  {
    slug: 'demo-newsletter-signup',
    name: 'Newsletter sign-up',
    kind: 'newsletter',
    placement: 'end',
    priority: 5,
    targeting: { subscriber: 'non-subscriber' },
    caps: { dismissDays: 14 },
    variants: [{ key: 'a', weight: 1, heading: 'The day’s top stories, every morning', body: '<p>One short email, free. You confirm by email and can leave at any time.</p>', buttonText: 'Sign me up' }],
  },
  {
    slug: 'demo-app-download',
    name: 'App download',
    kind: 'app',
    placement: 'list',
    priority: 1,
    caps: { perWeek: 3, dismissDays: 30 },
    variants: [{ key: 'a', weight: 1, heading: 'Take the news with you', body: '<p>Breaking news alerts and the day’s stories in our free app.</p>', buttonText: '' }],
  },
  {
    slug: 'demo-social-follow',
    name: 'Social follow',
    kind: 'social',
    placement: 'list',
    priority: 0,
    caps: { perWeek: 3, dismissDays: 30 },
    variants: [{ key: 'a', weight: 1, heading: 'Follow us', body: '<p>Stories, photos and live updates where you already are.</p>', buttonText: '' }],
  },
];

export async function seedDemoPrompts(campaigns: CampaignsService): Promise<void> {
  const existing = new Set((await campaigns.list()).map((c) => c.slug));
  for (const prompt of DEMO_PROMPTS) if (!existing.has(prompt.slug)) await campaigns.create(prompt);
}
