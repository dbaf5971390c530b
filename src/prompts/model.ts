/**
 * What a prompt campaign is (docs/prompts.md): the Admin API's schemas, the
 * stored shape, and the candidate data the reader script chooses from.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { ArticleLabel } from '../db/schema.js';

export const PROMPT_KINDS = ['donation', 'newsletter', 'app', 'social', 'custom'] as const;
export const PROMPT_PLACEMENTS = ['inline', 'end', 'banner', 'overlay', 'list'] as const;
export const ARTICLE_LABELS = ['news', 'analysis', 'opinion', 'review', 'fact-check', 'sponsored'] as const satisfies readonly ArticleLabel[];
export type PromptKind = (typeof PROMPT_KINDS)[number];
export type PromptPlacement = (typeof PROMPT_PLACEMENTS)[number];

/** The cache tag of every page that carries prompts: any campaign write re-renders them. */
export const PROMPTS_TAG = 'prompts';

const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));
/** One line of text: no control characters. */
const Line = (max: number, min = 0) => Type.String({ minLength: min, maxLength: max, pattern: '^[^\\x00-\\x1f\\x7f]*$' });
const Slug = Type.String({ minLength: 1, maxLength: 80, pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' });
/** A link a button may open: the site's own path or an http(s) address. */
const Href = Type.String({ maxLength: 500, pattern: '^(https?://[^\\s<>"]+|/[^\\s<>"]*)$' });
const Instant = Type.String({ format: 'date-time', maxLength: 40 });
// Null first: Fastify's validator coerces types, and would turn a null into 0 for an integer tried first.
const Count = (max: number) => Type.Union([Type.Null(), Type.Integer({ minimum: 0, maximum: max })]);

export const Targeting = Type.Object(
  {
    /** Section slugs; empty: every section (and, for list prompts, the home page too). */
    sections: Type.Array(Slug, { maxItems: 50, uniqueItems: true }),
    tags: Type.Array(Slug, { maxItems: 50, uniqueItems: true }),
    labels: Type.Array(literals(ARTICLE_LABELS), { maxItems: 6, uniqueItems: true }),
    /** Sponsored stories carry no prompt unless this is on (and, with labels, 'sponsored' is among them). */
    allowSponsored: Type.Boolean(),
    donor: literals(['any', 'donor', 'former-donor', 'non-donor'] as const),
    subscriber: literals(['any', 'subscriber', 'non-subscriber'] as const),
    /** Articles read on this site in the last 30 days (this one included), inclusive range; null: open. */
    readsMin: Count(10_000),
    readsMax: Count(10_000),
  },
  { additionalProperties: false },
);
export type Targeting = Static<typeof Targeting>;

export const Caps = Type.Object(
  {
    perDay: Count(1000),
    perWeek: Count(1000),
    total: Count(100_000),
    /** After "Not now" or close: not again for this many days (0: only gone from this page). */
    dismissDays: Type.Integer({ minimum: 0, maximum: 365 }),
  },
  { additionalProperties: false },
);
export type Caps = Static<typeof Caps>;

export const Variant = Type.Object(
  {
    key: Type.String({ minLength: 1, maxLength: 20, pattern: '^[a-z0-9-]+$' }),
    /** Share of readers: weights are relative (50/50, 1/3 ...). */
    weight: Type.Integer({ minimum: 0, maximum: 100 }),
    heading: Line(120, 1),
    /** Rich text: sanitized with the article body's allowlist when saved. */
    body: Type.String({ maxLength: 4000 }),
    buttonText: Line(60),
    /** Custom prompts only: where the button goes. */
    buttonUrl: Type.Optional(Type.Union([Href, Type.Literal('')])),
  },
  { additionalProperties: false },
);
export type Variant = Static<typeof Variant>;

export const CampaignInput = Type.Object(
  {
    name: Line(120, 1),
    slug: Type.Optional(Slug),
    kind: literals(PROMPT_KINDS),
    placement: literals(PROMPT_PLACEMENTS),
    /** Inline prompts: after this paragraph (or the first free gap after it). */
    afterParagraph: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    status: Type.Optional(literals(['active', 'paused'] as const)),
    priority: Type.Optional(Type.Integer({ minimum: -1000, maximum: 1000 })),
    startsAt: Type.Optional(Type.Union([Type.Null(), Instant])),
    endsAt: Type.Optional(Type.Union([Type.Null(), Instant])),
    targeting: Type.Optional(Type.Partial(Targeting, { additionalProperties: false })),
    caps: Type.Optional(Type.Partial(Caps, { additionalProperties: false })),
    variants: Type.Array(Variant, { minItems: 1, maxItems: 4 }),
    /** Newsletter prompts: the newsletter's slug (default: the first public one). */
    newsletter: Type.Optional(Type.Union([Slug, Type.Literal('')])),
  },
  { additionalProperties: false },
);
export type CampaignInput = Static<typeof CampaignInput>;
export const CampaignPatch = Type.Partial(CampaignInput, { additionalProperties: false });
export type CampaignPatch = Static<typeof CampaignPatch>;

export const DEFAULT_TARGETING: Targeting = {
  sections: [],
  tags: [],
  labels: [],
  allowSponsored: false,
  donor: 'any',
  subscriber: 'any',
  readsMin: null,
  readsMax: null,
};
export const DEFAULT_CAPS: Caps = { perDay: null, perWeek: null, total: null, dismissDays: 7 };

export interface Campaign {
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
  targeting: Targeting;
  caps: Caps;
  variants: Variant[];
  newsletter: string;
  createdAt: string;
  updatedAt: string;
}

/**
 * What the reader script gets for one campaign on a page (JSON in the page):
 * only what choosing needs, nothing about the reader.
 */
export interface Candidate {
  id: number;
  kind: PromptKind;
  placement: PromptPlacement;
  priority: number;
  /** Left out (or null) when neutral: no start or end, any reader, no minimum or maximum. */
  starts?: string | null;
  ends?: string | null;
  donor?: Targeting['donor'];
  subscriber?: Targeting['subscriber'];
  readsMin?: number | null;
  readsMax?: number | null;
  /** A cap left out (or null) is no limit. */
  caps: { perDay?: number | null; perWeek?: number | null; total?: number | null; dismissDays: number };
  variants: { key: string; weight: number }[];
  /** An app prompt with no store links: it offers the web app's install, so it shows only where the browser can install (docs/web-app.md). */
  install?: true;
}

/** What the browser remembers (first-party localStorage, docs/prompts.md "What the browser keeps"). */
export interface ReaderHistory {
  /** Per campaign id: view times (ms), the last dismissal (ms), the variant it was given. */
  [campaignId: string]: { views?: number[]; dismissed?: number; variant?: string };
}

export interface ReaderState {
  /** Flags from the bs_reader cookie: donor, former-donor, subscriber. */
  flags: readonly string[];
  /** Distinct articles read in the last 30 days, this one included. */
  reads: number;
  history: ReaderHistory;
  /** The browser offered to install the web app (`beforeinstallprompt`) and it is not installed. */
  installable?: boolean;
}

export interface Choice {
  id: number;
  variant: string;
}

/** The shape of public/assets/prompts.js as a module (the tests import it as it is served). */
export interface PromptScript {
  choosePrompts(candidates: readonly Candidate[], reader: ReaderState, now: number, random: () => number): Choice[];
  readerFlags(cookie: string): string[];
}
