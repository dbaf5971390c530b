/**
 * The donor's pages (HTTP only; the rules are in donor.service.ts):
 *
 *   GET  /donor                 the sign-in form (email)
 *   POST /donor                 always "check your inbox"; a link is emailed if the address has gifts
 *   GET  /donor/signin/:token   what the link does, and a button (changes nothing)
 *   POST /donor/signin/:token   uses the link once: donor session + bs_reader flags, 303 to /donor/gifts
 *   GET  /donor/gifts           the signed-in donor's gifts (no-store, noindex)
 *   POST /donor/portal          a Stripe customer portal session for their recurring gift, 303 to it
 *   POST /donor/signout         ends the donor session
 *
 * Forgery: as for the newsletter forms, a POST must come from our own pages
 * by the browser's Sec-Fetch-Site or Origin (`fromOwnSite`); the donor
 * session cookie is SameSite=Lax, so other sites' POSTs do not carry it either.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import type { SettingsStore } from '../newsroom/settings.js';
import type { SiteService } from '../site/site.service.js';
import type { SiteAssets } from '../site/assets.js';
import { layout } from '../site/views/layout.js';
import type { Html } from '../shared/html.js';
import { Invalid } from '../shared/errors.js';
import { TooManyAttempts } from '../accounts/errors.js';
import { fromOwnSite } from '../newsletter/signup.routes.js';
import { DonationsNotSetUp, PaymentProviderFailed } from './checkout.service.js';
import { DONOR_LINK_TTL_MS, NoRecurringGift, type DonorAccess } from './donor.service.js';
import type { DonorCookies } from './donor-cookies.js';
import { checkInboxMain, donorMessageMain, giftsMain, linkProblemMain, signInButtonMain, signInFormMain, tooManyMain } from './donor-views.js';

export interface DonorRoutesDeps {
  config: Config;
  site: SiteService;
  settings: SettingsStore;
  assets: SiteAssets;
  access: DonorAccess;
  cookies: DonorCookies;
}

type Fields = Record<string, unknown>;

function field(body: Fields, name: string, max = 1000): string {
  const value = body[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first.slice(0, max) : '';
}

const MINUTES = DONOR_LINK_TTL_MS / 60_000;

export function registerDonorRoutes(app: FastifyInstance, deps: DonorRoutesDeps): void {
  const { config, site, settings, access, cookies } = deps;
  const publicOrigin = new URL(config.publicUrl).origin;

  const send = async (reply: FastifyReply, status: number, title: string, main: Html) => {
    const [sections, live] = await Promise.all([site.sections(), site.breaking()]);
    const s = settings.get();
    const body = layout({
      site: s,
      publicUrl: config.publicUrl,
      sections,
      breaking: live ?? null,
      meta: { title, description: `Your gifts to ${s.name}.`, canonical: `${config.publicUrl}/donor`, type: 'website', jsonLd: [], feeds: [], noindex: true },
      main,
      cssHref: deps.assets.css,
      printCssHref: deps.assets.printCss,
      scriptHref: deps.assets.script,
      bodyClass: 'page-donor',
    });
    // One reader's pages: never cached, never indexed, and the sign-in link's address never sent on as a referrer.
    return reply
      .code(status)
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('x-robots-tag', 'noindex')
      .header('referrer-policy', 'no-referrer')
      .send(body);
  };
  const forged = (reply: FastifyReply) =>
    send(reply, 403, 'Form sent from another site', donorMessageMain('That form came from another website', ['For your safety we did not act on it. Use the form on this site instead.'], { href: '/donor', text: 'See your gifts' }));
  // The portal form's answer is a redirect to Stripe's page, and browsers hold redirects after a form to the
  // page's form-action: the gifts page alone also allows Stripe's portal (and the test stand-in's origin).
  const portalOrigins = ['https://billing.stripe.com', ...(config.stripe.apiUrl ? [new URL(config.stripe.apiUrl).origin] : [])];
  const allowPortalForm = (reply: FastifyReply) => {
    const csp = reply.raw.getHeader('content-security-policy');
    if (typeof csp === 'string') reply.header('content-security-policy', csp.replace("form-action 'self'", `form-action 'self' ${portalOrigins.join(' ')}`));
  };
  const signedOut = (reply: FastifyReply) => reply.code(303).header('location', '/donor').header('cache-control', 'no-store').send();

  app.get('/donor', async (request, reply) => {
    // Already signed in (the session cookie still names a donor): straight to the gifts.
    if (await access.donorFor(cookies.sessionOf(request))) return reply.code(303).header('cache-control', 'no-store').redirect('/donor/gifts');
    return send(reply, 200, 'See your gifts', signInFormMain(settings.get().name));
  });

  app.post('/donor', async (request, reply) => {
    if (!fromOwnSite(request, publicOrigin)) return forged(reply);
    const email = field((request.body ?? {}) as Fields, 'email', 400);
    try {
      await access.requestLink(email, request.ip);
    } catch (error) {
      if (error instanceof Invalid) return send(reply, 400, 'See your gifts', signInFormMain(settings.get().name, { email, error: error.message }));
      if (error instanceof TooManyAttempts) {
        reply.header('retry-after', String(error.retryAfterSeconds));
        return send(reply, 429, 'Please wait a little', tooManyMain());
      }
      throw error;
    }
    return send(reply, 200, 'Check your inbox', checkInboxMain(MINUTES));
  });

  app.get('/donor/signin/:token', async (request: FastifyRequest<{ Params: { token: string } }>, reply) => {
    const token = request.params.token.slice(0, 200);
    const state = await access.checkLink(token);
    if (state !== 'ok') return send(reply, state === 'invalid' ? 404 : 410, 'Sign-in link', linkProblemMain(state, MINUTES));
    return send(reply, 200, 'Sign in', signInButtonMain(`/donor/signin/${token}`));
  });

  app.post('/donor/signin/:token', async (request: FastifyRequest<{ Params: { token: string } }>, reply) => {
    if (!fromOwnSite(request, publicOrigin)) return forged(reply);
    const result = await access.signIn(request.params.token.slice(0, 200));
    if (result.kind !== 'ok') return send(reply, result.kind === 'invalid' ? 404 : 410, 'Sign-in link', linkProblemMain(result.kind, MINUTES));
    cookies.setSession(reply, result.sessionToken, result.maxAgeSeconds);
    cookies.setReaderFlags(request, reply, result.flags);
    return reply.code(303).header('location', '/donor/gifts').header('cache-control', 'no-store').send();
  });

  app.get('/donor/gifts', async (request, reply) => {
    const donor = await access.donorFor(cookies.sessionOf(request));
    if (!donor) return signedOut(reply);
    const { gifts, recurring } = await access.giftsOf(donor);
    allowPortalForm(reply);
    return send(reply, 200, 'Your gifts', giftsMain(settings.get(), donor, gifts, recurring));
  });

  app.post('/donor/portal', async (request, reply) => {
    if (!fromOwnSite(request, publicOrigin)) return forged(reply);
    const donor = await access.donorFor(cookies.sessionOf(request));
    if (!donor) return signedOut(reply);
    try {
      const url = await access.portalUrl(donor);
      return reply.code(303).header('location', url).header('cache-control', 'no-store').send();
    } catch (error) {
      if (error instanceof NoRecurringGift) {
        return send(reply, 409, 'No recurring gift', donorMessageMain('You have no recurring gift to manage', ['Your gifts were one-time gifts: there is nothing to change or cancel.'], { href: '/donor/gifts', text: 'Back to your gifts' }));
      }
      if (error instanceof PaymentProviderFailed || error instanceof DonationsNotSetUp) {
        return send(reply, 502, 'Please try again', donorMessageMain('We could not open the page to manage your gift', ['Our payment provider did not answer. Nothing was changed; please try again in a minute.'], { href: '/donor/gifts', text: 'Back to your gifts' }));
      }
      throw error;
    }
  });

  app.post('/donor/signout', async (request, reply) => {
    if (!fromOwnSite(request, publicOrigin)) return forged(reply);
    await access.signOut(cookies.sessionOf(request));
    cookies.clearSession(reply);
    return reply.code(303).header('location', '/donor').header('cache-control', 'no-store').send();
  });
}
