/** The Admin API's prompt campaigns (src/prompts/model.ts). */
export const KINDS = [
  ['donation', 'Donation appeal'],
  ['newsletter', 'Newsletter sign-up'],
  ['app', 'App download'],
  ['social', 'Social follow'],
  ['custom', 'Custom text with a button'],
] as const;
export const PLACEMENTS = [
  ['inline', 'In the article, after a paragraph'],
  ['end', 'End of the article'],
  ['banner', 'Top banner'],
  ['overlay', 'Overlay (after a while or some scrolling)'],
  ['list', 'Section and home pages'],
] as const;
export type PromptKind = (typeof KINDS)[number][0];
export type PromptPlacement = (typeof PLACEMENTS)[number][0];

export interface PromptVariant {
  key: string;
  weight: number;
  heading: string;
  body: string;
  buttonText: string;
  buttonUrl?: string;
}

export interface Prompt {
  id: number;
  slug: string;
  name: string;
  kind: PromptKind;
  placement: PromptPlacement;
  afterParagraph: number;
  status: 'active' | 'paused';
  priority: number;
  startsAt: string | null;
  endsAt: string | null;
  targeting: {
    sections: string[];
    tags: string[];
    labels: string[];
    allowSponsored: boolean;
    donor: 'any' | 'donor' | 'former-donor' | 'non-donor';
    subscriber: 'any' | 'subscriber' | 'non-subscriber';
    readsMin: number | null;
    readsMax: number | null;
  };
  caps: { perDay: number | null; perWeek: number | null; total: number | null; dismissDays: number };
  variants: PromptVariant[];
  newsletter: string;
}

export interface VariantStats {
  variant: string;
  impressions: number;
  clicks: number;
  dismissals: number;
  conversions: number;
  conversionRate: number;
  clickRate: number;
}

export const kindName = (kind: PromptKind) => KINDS.find(([k]) => k === kind)?.[1] ?? kind;
export const placementName = (placement: PromptPlacement) => PLACEMENTS.find(([p]) => p === placement)?.[1] ?? placement;
