/**
 * Reader-facing prompt HTML. A page carries the no-JavaScript default's first
 * variant in full and, for every other candidate, an empty slot where it goes;
 * the reader script fetches the copy it chooses (`GET /prompts/copy/...`, the
 * same `variantHtml`) and puts it in the slot. Escaped by default; a variant's
 * body was sanitized with the article allowlist when it was saved.
 */
import { html, jsonForScript, raw, type Html } from '../shared/html.js';
import type { NewsletterRow } from '../db/schema.js';
import type { SiteSettings } from '../newsroom/settings.js';
import { followLinks } from '../site/views/layout.js';
import type { Campaign, Candidate, Variant } from './model.js';

export interface RenderContext {
  site: SiteSettings;
  /** The article the page shows (donation links carry it for attribution). */
  articleId?: number;
  /** The page's path (newsletter sign-ups record where they came from). */
  path: string;
  newsletters: readonly NewsletterRow[];
}

/** The call to action of one variant, or undefined when the site lacks what it needs (no app links ...). */
function action(c: Campaign, v: Variant, ctx: RenderContext, id: string): Html | undefined {
  switch (c.kind) {
    case 'donation': {
      const query = new URLSearchParams({ campaign: c.slug, variant: v.key });
      if (ctx.articleId) query.set('article', String(ctx.articleId));
      return html`<p><a class="prompt-button" href="/donate?${query.toString()}" data-prompt-click>${v.buttonText || 'Donate'}</a></p>`;
    }
    case 'custom':
      return html`<p><a class="prompt-button" href="${v.buttonUrl ?? '/'}" data-prompt-click>${v.buttonText}</a></p>`;
    case 'app': {
      const { ios, android } = ctx.site.appLinks;
      // Without store apps, the web app: a button for the browser's own install dialog, shown by the
      // scripts only where the browser offered to install (public/assets/site.js, docs/web-app.md).
      if (!ios && !android) return html`<p><button type="button" class="prompt-button" data-app-install hidden>${v.buttonText || 'Add to home screen'}</button></p>`;
      return html`<ul class="prompt-links">${ios ? html`<li><a href="${ios}" data-prompt-click>Download for iPhone and iPad</a></li>` : ''}${android ? html`<li><a href="${android}" data-prompt-click>Get it for Android</a></li>` : ''}</ul>`;
    }
    case 'social': {
      const links = followLinks(ctx.site);
      return links.value ? html`<div class="prompt-links" data-prompt-click-area>${links}</div>` : undefined;
    }
    case 'newsletter': {
      const newsletter = ctx.newsletters.find((n) => n.slug === c.newsletter) ?? ctx.newsletters[0];
      if (!newsletter) return undefined;
      // The ordinary sign-up (double opt-in); the campaign and variant ride along so the
      // successful sign-up counts as this variant's conversion (docs/prompts.md).
      return html`<form method="post" action="/newsletters" class="prompt-form" data-prompt-form>
  <input type="hidden" name="source" value="article:${ctx.path}">
  <input type="hidden" name="newsletters" value="${newsletter.slug}">
  <input type="hidden" name="prompt" value="${c.id}">
  <input type="hidden" name="prompt_variant" value="${v.key}">
  <label for="${id}-email">Email address</label>
  <input id="${id}-email" type="email" name="email" required maxlength="254" autocomplete="email">
  <div class="nl-hp" hidden aria-hidden="true"><label for="${id}-website">Leave this field empty</label><input id="${id}-website" type="text" name="website" value="" tabindex="-1" autocomplete="off"></div>
  <button type="submit">${v.buttonText || 'Sign up'}</button>
</form>`;
    }
  }
}

/** One variant as an <aside>; `shown` only for the no-JavaScript default. */
export function variantHtml(c: Campaign, v: Variant, ctx: RenderContext, shown: boolean): Html | undefined {
  const id = `prompt-${c.id}-${v.key}`;
  const cta = action(c, v, ctx, id);
  if (!cta) return undefined;
  const inner = html`<h2 id="${id}-heading">${v.heading}</h2>
  ${v.body ? html`<div class="prompt-body">${raw(v.body)}</div>` : ''}
  ${cta}`;
  if (c.placement === 'overlay') {
    // Never shown without JavaScript; the script opens it as a modal dialog after a delay or some scrolling.
    return html`<dialog class="prompt prompt-${c.kind} prompt-overlay" data-prompt="${c.id}" data-variant="${v.key}" aria-labelledby="${id}-heading">
  ${inner}
  <button type="button" class="prompt-close" data-prompt-dismiss>Close</button>
</dialog>`;
  }
  return html`<aside class="prompt prompt-${c.kind} prompt-${c.placement}" data-prompt="${c.id}" data-variant="${v.key}" aria-labelledby="${id}-heading"${shown ? '' : raw(' hidden')}>
  ${inner}
  <button type="button" class="prompt-dismiss" data-prompt-dismiss hidden>Not now</button>
</aside>`;
}

/** All variants of a campaign (empty when none can be shown on this site). */
export function campaignHtml(c: Campaign, ctx: RenderContext, isDefault: boolean): Html {
  const parts: Html[] = [];
  c.variants.forEach((v, i) => {
    const part = variantHtml(c, v, ctx, isDefault && i === 0);
    if (part) parts.push(part);
  });
  return html`${parts}`;
}

/** Where a candidate goes in the page until the script fills it with the variant it chose (or leaves it empty). */
export function slotHtml(c: Campaign): Html {
  return html`<div class="prompt-slot" data-prompt="${c.id}" hidden></div>`;
}

/**
 * The data the reader script chooses from, the script itself and its styles.
 * `copyVersion` changes whenever any candidate's copy does, so the copy the script
 * fetches is never an older one from the browser's cache.
 */
export function promptsData(candidates: readonly Candidate[], articleId: number | undefined, copyVersion: string, assets: { script: string }): Html {
  if (!candidates.length && articleId === undefined) return html``;
  const data = candidates.length ? { article: articleId ?? null, v: copyVersion, candidates } : { article: articleId ?? null, candidates };
  return html`<script type="application/json" id="bs-prompts">${jsonForScript(data)}</script>
<script type="module" src="${assets.script}"></script>`;
}

export function promptsStyles(assets: { css: string }): Html {
  return html`<link rel="stylesheet" href="${assets.css}">`;
}
