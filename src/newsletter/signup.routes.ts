/**
 * Reader pages for newsletters (HTTP only; the rules are in subscribers.service.ts):
 *
 *   GET  /newsletters                      every public newsletter, the full form
 *   POST /newsletters                      sign up (from that page, the footer or an article)
 *   GET  /newsletters/confirm/:token       what the link confirms, and a button
 *   POST /newsletters/confirm/:token       confirms (pending → subscribed)
 *   GET  /newsletters/preferences/:token   choose newsletters, change name, leave everything
 *   POST /newsletters/preferences/:token   saves that
 *   POST /newsletters/preferences/:token/address  asks to move to a new address (a link goes there)
 *   GET  /newsletters/address/:token       what the change-of-address link would do, and a button
 *   POST /newsletters/address/:token       moves the reader to the new address
 *   GET  /newsletters/unsubscribe/:token   a page with a button; changes nothing
 *   POST /newsletters/unsubscribe/:token   RFC 8058 one-click unsubscribe: 200, no redirect
 *
 * Forgery: reader pages are page-cached and shared, so the forms carry no
 * per-reader CSRF token. Browsers' own headers say where a POST came from:
 * `Sec-Fetch-Site` must be same-origin when sent, else `Origin` must be
 * PUBLIC_URL's when sent and not "null". The signed-link forms are also
 * protected by their token, which another site cannot know. The one-click URL
 * takes POSTs from mail providers' servers, so only its token counts there.
 * docs/newsletters.md explains the choice.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import type { SettingsStore } from '../newsroom/settings.js';
import type { SiteService } from '../site/site.service.js';
import type { SiteAssets } from '../site/assets.js';
import { layout } from '../site/views/layout.js';
import type { Html } from '../shared/html.js';
import { Conflict, Invalid } from '../shared/errors.js';
import { TooManyAttempts } from '../accounts/errors.js';
import { preferencesUrl } from './links.js';
import type { NewslettersRepository } from './newsletters.repository.js';
import type { SubscribersService } from './subscribers.service.js';
import type { AddressChange } from './address-change.js';
import { addressConfirmMain, checkInboxMain, confirmMain, linkProblemMain, messageMain, newslettersPageMain, preferencesMain, unsubscribeMain, type FormState } from './views.js';

export interface SignupRoutesDeps {
  config: Config;
  site: SiteService;
  settings: SettingsStore;
  assets: SiteAssets;
  newsletters: NewslettersRepository;
  subscribers: SubscribersService;
  addressChange: AddressChange;
}

type Body = Record<string, unknown>;

/** One value of a form field (the first when repeated), always a string. */
function field(body: Body, name: string, max = 1000): string {
  const value = body[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first.slice(0, max) : '';
}

/** Every value of a repeated form field (checkboxes). */
function fields(body: Body, name: string): string[] {
  const value = body[name];
  const list = Array.isArray(value) ? value : [value];
  return list.filter((v): v is string => typeof v === 'string').slice(0, 50).map((v) => v.slice(0, 100));
}

const SOURCE = /^(footer|article|page):\/[^\s]{0,200}$/;

/** Whether a browser says this POST came from one of our own pages (see the header comment). */
export function fromOwnSite(request: FastifyRequest, publicOrigin: string): boolean {
  const fetchSite = request.headers['sec-fetch-site'];
  if (fetchSite !== undefined) return fetchSite === 'same-origin';
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== 'null') return origin === publicOrigin;
  return true; // no browser said otherwise: old browsers and non-browser clients (double opt-in bounds the harm)
}

export async function registerSignupRoutes(app: FastifyInstance, deps: SignupRoutesDeps): Promise<void> {
  const { config, site, settings, subscribers } = deps;
  const publicOrigin = new URL(config.publicUrl).origin;

  const send = async (reply: FastifyReply, status: number, title: string, main: Html, options: { cacheControl?: string; canonicalPath?: string } = {}) => {
    const [sections, live] = await Promise.all([site.sections(), site.breaking()]);
    const s = settings.get();
    const body = layout({
      site: s,
      publicUrl: config.publicUrl,
      sections,
      breaking: live ?? null,
      meta: {
        title,
        description: `Newsletters from ${s.name}.`,
        canonical: `${config.publicUrl}${options.canonicalPath ?? '/newsletters'}`,
        type: 'website',
        jsonLd: [],
        feeds: [],
        noindex: options.canonicalPath === undefined,
      },
      main,
      cssHref: deps.assets.css,
      printCssHref: deps.assets.printCss,
      scriptHref: deps.assets.script,
      bodyClass: 'page-newsletters',
    });
    reply.code(status).header('content-type', 'text/html; charset=utf-8').header('cache-control', options.cacheControl ?? 'no-store');
    // Pages opened from signed links are nobody's business but the reader's.
    if (options.canonicalPath === undefined) reply.header('x-robots-tag', 'noindex');
    return reply.send(body);
  };

  const forged = (reply: FastifyReply) =>
    send(reply, 403, 'Form sent from another site', messageMain('That form came from another website', ['For your safety we did not act on it. Use the form on this site instead.'], { href: '/newsletters', text: 'Go to our newsletters' }));

  const tooMany = (reply: FastifyReply, error: TooManyAttempts) => {
    reply.header('retry-after', String(error.retryAfterSeconds));
    return send(reply, 429, 'Too many sign-ups', messageMain('Too many sign-ups', [`${error.message}.`]));
  };

  app.get('/newsletters', async (_request, reply) => {
    const list = await deps.newsletters.publicOnes();
    return send(reply, 200, 'Newsletters', newslettersPageMain(list, settings.get().name), { cacheControl: 'public, max-age=60, s-maxage=60', canonicalPath: '/newsletters' });
  });

  app.post('/newsletters', async (request, reply) => {
    if (!fromOwnSite(request, publicOrigin)) return forged(reply);
    const body = (request.body ?? {}) as Body;
    const source = field(body, 'source', 220);
    const state: FormState = { email: field(body, 'email', 400), name: field(body, 'name', 400), chosen: fields(body, 'newsletters') };
    try {
      await subscribers.signup({
        email: state.email!,
        name: state.name!,
        newsletters: state.chosen!,
        source: SOURCE.test(source) ? source : 'page:/newsletters',
        ip: request.ip,
        honeypot: field(body, 'website'),
      });
    } catch (error) {
      if (error instanceof TooManyAttempts) return tooMany(reply, error);
      if (error instanceof Invalid) {
        state.errors = Object.fromEntries(error.fields.map((f) => [f.path, f.message]));
        const list = await deps.newsletters.publicOnes();
        return send(reply, 400, 'Newsletters', newslettersPageMain(list, settings.get().name, state));
      }
      throw error;
    }
    return send(reply, 200, 'Check your inbox', checkInboxMain());
  });

  // --- signed links ----------------------------------------------------------------------------

  app.get('/newsletters/confirm/:token', async (request: FastifyRequest<{ Params: { token: string } }>, reply) => {
    const check = await subscribers.checkLink('confirm', request.params.token);
    if (check.kind !== 'ok') return send(reply, check.kind === 'expired' ? 410 : 400, 'Link problem', linkProblemMain(check.kind));
    const view = await subscribers.confirmView(check.subscriber, check.values[0]!);
    return send(reply, 200, 'Confirm your subscription', confirmMain(view.pending, view.subscribed, `/newsletters/confirm/${request.params.token}`));
  });

  app.post('/newsletters/confirm/:token', async (request: FastifyRequest<{ Params: { token: string } }>, reply) => {
    if (!fromOwnSite(request, publicOrigin)) return forged(reply);
    const check = await subscribers.checkLink('confirm', request.params.token);
    if (check.kind !== 'ok') return send(reply, check.kind === 'expired' ? 410 : 400, 'Link problem', linkProblemMain(check.kind));
    const confirmed = await subscribers.confirm(check.subscriber, check.values[0]!, request.ip);
    const prefs = preferencesUrl('', check.subscriber);
    if (!confirmed.length) {
      const view = await subscribers.confirmView(check.subscriber, check.values[0]!);
      return send(reply, 200, 'Nothing to confirm', confirmMain([], view.subscribed, ''));
    }
    return send(
      reply,
      200,
      'You are subscribed',
      messageMain('You are subscribed', [`Thank you. You will receive ${confirmed.map((n) => n.name).join(', ')} at ${check.subscriber.email}.`, 'Every email has a link to change your choices or unsubscribe.'], {
        href: prefs,
        text: 'Manage your newsletters',
      }),
    );
  });

  app.get('/newsletters/preferences/:token', async (request: FastifyRequest<{ Params: { token: string } }>, reply) => {
    const check = await subscribers.checkLink('preferences', request.params.token);
    if (check.kind !== 'ok') return send(reply, 400, 'Link problem', linkProblemMain('invalid'));
    const items = await subscribers.preferences(check.subscriber);
    return send(reply, 200, 'Your newsletters', preferencesMain(items, check.subscriber, `/newsletters/preferences/${request.params.token}`));
  });

  app.post('/newsletters/preferences/:token', async (request: FastifyRequest<{ Params: { token: string } }>, reply) => {
    if (!fromOwnSite(request, publicOrigin)) return forged(reply);
    const check = await subscribers.checkLink('preferences', request.params.token);
    if (check.kind !== 'ok') return send(reply, 400, 'Link problem', linkProblemMain('invalid'));
    const body = (request.body ?? {}) as Body;
    const unsubscribeAll = field(body, 'action') === 'unsubscribe-all';
    const action = `/newsletters/preferences/${request.params.token}`;
    try {
      await subscribers.savePreferences(check.subscriber, { newsletters: fields(body, 'newsletters'), name: field(body, 'name', 400), unsubscribeAll }, request.ip);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return send(reply, 400, 'Your newsletters', preferencesMain(await subscribers.preferences(check.subscriber), check.subscriber, action, error.message));
    }
    const fresh = (await subscribers.checkLink('preferences', request.params.token)) as Extract<Awaited<ReturnType<SubscribersService['checkLink']>>, { kind: 'ok' }>;
    const notice = unsubscribeAll ? 'You are unsubscribed from everything. You will get no more newsletters from us.' : 'Your choices are saved.';
    return send(reply, 200, 'Your newsletters', preferencesMain(await subscribers.preferences(fresh.subscriber), fresh.subscriber, action, notice));
  });

  app.post('/newsletters/preferences/:token/address', async (request: FastifyRequest<{ Params: { token: string } }>, reply) => {
    if (!fromOwnSite(request, publicOrigin)) return forged(reply);
    const check = await subscribers.checkLink('preferences', request.params.token);
    if (check.kind !== 'ok') return send(reply, 400, 'Link problem', linkProblemMain('invalid'));
    const typed = field((request.body ?? {}) as Body, 'email', 400);
    const action = `/newsletters/preferences/${request.params.token}`;
    const page = async (status: number, notice?: string, address?: { email?: string; error?: string }) =>
      send(reply, status, 'Your newsletters', preferencesMain(await subscribers.preferences(check.subscriber), check.subscriber, action, notice, address));
    try {
      const email = await deps.addressChange.request(check.subscriber, typed, request.ip);
      return page(200, `We sent a link to ${email}. Your newsletters move there when you open it and confirm; until then nothing changes.`);
    } catch (error) {
      if (error instanceof Invalid) return page(400, undefined, { email: typed, error: error.message });
      if (error instanceof TooManyAttempts) {
        reply.header('retry-after', String(error.retryAfterSeconds));
        return page(429, undefined, { email: typed, error: 'Too many address changes were asked for. Please try again later.' });
      }
      throw error;
    }
  });

  app.get('/newsletters/address/:token', async (request: FastifyRequest<{ Params: { token: string } }>, reply) => {
    const check = await deps.addressChange.check(request.params.token);
    if (check.kind !== 'ok') return send(reply, check.kind === 'expired' ? 410 : 400, 'Link problem', linkProblemMain(check.kind));
    return send(reply, 200, 'Change your address', addressConfirmMain(check.subscriber.email, check.email, `/newsletters/address/${request.params.token}`));
  });

  app.post('/newsletters/address/:token', async (request: FastifyRequest<{ Params: { token: string } }>, reply) => {
    if (!fromOwnSite(request, publicOrigin)) return forged(reply);
    const check = await deps.addressChange.check(request.params.token);
    if (check.kind !== 'ok') return send(reply, check.kind === 'expired' ? 410 : 400, 'Link problem', linkProblemMain(check.kind));
    try {
      await deps.addressChange.apply(check.subscriber, check.email);
    } catch (error) {
      if (error instanceof Conflict) return send(reply, 409, 'Address not changed', messageMain('Address not changed', [error.message]));
      throw error;
    }
    return send(
      reply,
      200,
      'Address changed',
      messageMain('Your address is changed', [`Your newsletters now go to ${check.email}.`], { href: preferencesUrl('', check.subscriber), text: 'Manage your newsletters' }),
    );
  });

  app.get('/newsletters/unsubscribe/:token', async (request: FastifyRequest<{ Params: { token: string } }>, reply) => {
    const check = await subscribers.checkLink('unsubscribe', request.params.token);
    if (check.kind !== 'ok') return send(reply, 400, 'Link problem', linkProblemMain('invalid'));
    const newsletter = await deps.newsletters.byId(check.values[0]!);
    if (!newsletter) return send(reply, 200, 'Unsubscribed', messageMain('Nothing to unsubscribe from', ['That newsletter no longer exists, so it will not be sent to you.']));
    return send(reply, 200, `Unsubscribe from ${newsletter.name}`, unsubscribeMain(newsletter, `/newsletters/unsubscribe/${request.params.token}`, preferencesUrl('', check.subscriber)));
  });

  // One-click unsubscribe takes whatever body a mail client sends (RFC 8058 names
  // `List-Unsubscribe=One-Click`, as a form or multipart): the signed token is the
  // authority, so its own scope reads any content type as plain text.
  await app.register(async (scope) => {
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 16 * 1024 }, (_request, body, done) => done(null, body));
    scope.post('/newsletters/unsubscribe/:token', async (request: FastifyRequest<{ Params: { token: string } }>, reply) => {
      const check = await subscribers.checkLink('unsubscribe', request.params.token);
      if (check.kind !== 'ok') return send(reply, 400, 'Link problem', linkProblemMain('invalid'));
      const newsletter = await subscribers.unsubscribe(check.subscriber, check.values[0]!, 'one-click', request.ip);
      const name = newsletter?.name ?? 'that newsletter';
      return send(
        reply,
        200,
        'Unsubscribed',
        messageMain(`You are unsubscribed from ${name}`, ['You will not receive it any more.'], { href: preferencesUrl('', check.subscriber), text: 'Manage your other newsletters' }),
      );
    });
  });
}
