/**
 * The rules for prompt campaigns: what a valid campaign is, saving it whole,
 * and telling the page cache that pages with prompts must be rendered again.
 */
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { TSchema, Static } from '@sinclair/typebox';
import { Conflict, Invalid, NotFound, type FieldProblem } from '../shared/errors.js';
import type { EventBus } from '../shared/events.js';
import type { Clock } from '../shared/clock.js';
import { sanitizeBodyHtml } from '../newsroom/body.js';
import { slugify } from '../newsroom/slug.js';
import {
  CampaignInput,
  CampaignPatch,
  DEFAULT_CAPS,
  DEFAULT_TARGETING,
  PROMPTS_TAG,
  type Campaign,
  type Caps,
  type PromptKind,
  type PromptPlacement,
  type Targeting,
  type Variant,
} from './model.js';
import type { CampaignRow, PromptsRepository } from './prompts.repository.js';

const compiled = { create: TypeCompiler.Compile(CampaignInput), patch: TypeCompiler.Compile(CampaignPatch) };

function checked<T extends TSchema>(checker: ReturnType<typeof TypeCompiler.Compile<T>>, input: unknown): Static<T> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new Invalid('Send a JSON object');
  if (checker.Check(input)) return input as Static<T>;
  const fields = [...checker.Errors(input)].slice(0, 10).map((e) => ({ path: e.path || '/', message: e.message }));
  throw new Invalid('The prompt has invalid fields', fields);
}

function parseJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export function campaignView(row: CampaignRow): Campaign {
  const options = parseJson<{ newsletter?: string }>(row.options, {});
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    kind: row.kind as PromptKind,
    placement: row.placement as PromptPlacement,
    afterParagraph: row.after_paragraph,
    status: row.status === 'paused' ? 'paused' : 'active',
    priority: row.priority,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    targeting: { ...DEFAULT_TARGETING, ...parseJson<Partial<Targeting>>(row.targeting, {}) },
    caps: { ...DEFAULT_CAPS, ...parseJson<Partial<Caps>>(row.caps, {}) },
    variants: parseJson<Variant[]>(row.variants, []),
    newsletter: options.newsletter ?? '',
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The rules the schema cannot say; every problem at once, with its field path. */
function problems(c: Omit<Campaign, 'id' | 'createdAt' | 'updatedAt'>): FieldProblem[] {
  const found: FieldProblem[] = [];
  const keys = new Set<string>();
  c.variants.forEach((v, i) => {
    if (keys.has(v.key)) found.push({ path: `/variants/${i}/key`, message: 'each variant needs its own key' });
    keys.add(v.key);
    if (c.kind === 'custom' && !v.buttonUrl) found.push({ path: `/variants/${i}/buttonUrl`, message: 'a custom prompt needs the address its button opens' });
    if ((c.kind === 'custom' || c.kind === 'donation') && !v.buttonText.trim()) found.push({ path: `/variants/${i}/buttonText`, message: 'the button needs a label' });
  });
  if (!c.variants.some((v) => v.weight > 0)) found.push({ path: '/variants', message: 'at least one variant needs a share of readers above 0' });
  if (c.startsAt && c.endsAt && Date.parse(c.endsAt) <= Date.parse(c.startsAt)) found.push({ path: '/endsAt', message: 'the end must come after the start' });
  const { readsMin, readsMax } = c.targeting;
  if (readsMin !== null && readsMax !== null && readsMax < readsMin) found.push({ path: '/targeting/readsMax', message: 'the most articles read must not be below the fewest' });
  if (c.placement === 'list' && (c.targeting.tags.length || c.targeting.labels.length))
    found.push({ path: '/targeting', message: 'section and home page prompts are targeted by section only' });
  return found;
}

const cleanVariant = (v: Variant): Variant => ({
  key: v.key,
  weight: v.weight,
  heading: v.heading.trim(),
  body: sanitizeBodyHtml(v.body).trim(),
  buttonText: v.buttonText.trim(),
  ...(v.buttonUrl ? { buttonUrl: v.buttonUrl } : {}),
});

const EMPTY: Omit<Campaign, 'id' | 'createdAt' | 'updatedAt'> = {
  slug: '',
  name: '',
  kind: 'donation',
  placement: 'end',
  afterParagraph: 3,
  status: 'active',
  priority: 0,
  startsAt: null,
  endsAt: null,
  targeting: DEFAULT_TARGETING,
  caps: DEFAULT_CAPS,
  variants: [],
  newsletter: '',
};

export class CampaignsService {
  constructor(private readonly deps: { repo: PromptsRepository; events: EventBus; clock: Clock }) {}

  async list(): Promise<Campaign[]> {
    return (await this.deps.repo.list()).map(campaignView);
  }

  async get(id: number): Promise<Campaign> {
    const row = await this.deps.repo.find(id);
    if (!row) throw new NotFound('No such prompt');
    return campaignView(row);
  }

  async create(input: unknown): Promise<Campaign> {
    const body = checked(compiled.create, input);
    const slug = body.slug ?? (slugify(body.name) || 'prompt');
    const campaign = this.complete(body, { ...EMPTY, slug, name: body.name, kind: body.kind, placement: body.placement });
    if (await this.deps.repo.findBySlug(campaign.slug)) throw new Conflict(`A prompt with the address name "${campaign.slug}" exists already`, { field: '/slug' });
    const now = this.deps.clock.now().toISOString();
    const id = await this.deps.repo.insert({ ...toRow(campaign), created_at: now, updated_at: now });
    await this.changed();
    return this.get(id);
  }

  async update(id: number, input: unknown): Promise<Campaign> {
    const patch = checked(compiled.patch, input);
    const current = await this.get(id);
    const campaign = this.complete(patch, current);
    if (campaign.slug !== current.slug) {
      const other = await this.deps.repo.findBySlug(campaign.slug);
      if (other && other.id !== id) throw new Conflict(`A prompt with the address name "${campaign.slug}" exists already`, { field: '/slug' });
    }
    await this.deps.repo.update(id, { ...toRow(campaign), updated_at: this.deps.clock.now().toISOString() });
    await this.changed();
    return this.get(id);
  }

  /** A campaign as typed, checked and cleaned like a save, as the row it would be (the editor's preview). */
  draft(input: unknown) {
    const body = checked(compiled.create, input);
    return toRow(this.complete(body, { ...EMPTY, slug: body.slug ?? 'preview', name: body.name, kind: body.kind, placement: body.placement }));
  }

  async delete(id: number): Promise<void> {
    if (!(await this.deps.repo.delete(id))) throw new NotFound('No such prompt');
    await this.changed();
  }

  /** Applies a checked body onto a campaign, then the cross-field rules; throws Invalid with every problem. */
  private complete(body: CampaignPatch, base: Omit<Campaign, 'id' | 'createdAt' | 'updatedAt'>): Omit<Campaign, 'id' | 'createdAt' | 'updatedAt'> {
    const next = {
      slug: body.slug ?? base.slug,
      name: body.name?.trim() ?? base.name,
      kind: body.kind ?? base.kind,
      placement: body.placement ?? base.placement,
      afterParagraph: body.afterParagraph ?? base.afterParagraph,
      status: body.status ?? base.status,
      priority: body.priority ?? base.priority,
      startsAt: body.startsAt === undefined ? base.startsAt : body.startsAt && new Date(body.startsAt).toISOString(),
      endsAt: body.endsAt === undefined ? base.endsAt : body.endsAt && new Date(body.endsAt).toISOString(),
      targeting: { ...base.targeting, ...(body.targeting ?? {}) },
      caps: { ...base.caps, ...(body.caps ?? {}) },
      variants: (body.variants ?? base.variants).map(cleanVariant),
      newsletter: body.newsletter ?? base.newsletter,
    };
    const found = problems(next);
    if (found.length) throw new Invalid('The prompt has invalid fields', found);
    return next;
  }

  private async changed(): Promise<void> {
    await this.deps.events.emit('content.changed', { change: { tags: [PROMPTS_TAG] } });
  }
}

function toRow(c: Omit<Campaign, 'id' | 'createdAt' | 'updatedAt'>) {
  return {
    slug: c.slug,
    name: c.name,
    kind: c.kind,
    placement: c.placement,
    after_paragraph: c.afterParagraph,
    status: c.status,
    priority: c.priority,
    starts_at: c.startsAt,
    ends_at: c.endsAt,
    targeting: JSON.stringify(c.targeting),
    caps: JSON.stringify(c.caps),
    variants: JSON.stringify(c.variants),
    options: JSON.stringify(c.newsletter ? { newsletter: c.newsletter } : {}),
  };
}
