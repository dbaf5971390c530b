/**
 * Reader pages for donations (HTTP only; the rules are in checkout.service.ts):
 *
 *   GET  /donate                     the form (?frequency=once|monthly|yearly, attribution: article, campaign, utm_*)
 *   POST /donate                     checks it, creates a Stripe Checkout Session, 303 to Stripe's page
 *   GET  /donate/thanks?session_id=  thank-you, from the session Stripe returns (never the query alone)
 *   GET  /donate/cancelled           the reader left Stripe's page
 *
 *   GET  /donate/embed               the same form for other sites' frames (embed.ts): it posts to /donate
 *                                    from the top window (target=_top: Stripe Checkout cannot be framed)
 *
 * Forgery: like the newsletter forms (src/newsletter/signup.routes.ts) the
 * form is on cached pages and carries no per-reader token; a POST must come
 * from our own pages by the browser's Sec-Fetch-Site or Origin. The harm a
 * forged one could do is small anyway: it only opens a payment page.
 *
 * The same check holds for the form inside another site's frame, with no
 * cookie at all, so blocked or partitioned third-party cookies change nothing:
 * the browser computes Sec-Fetch-Site from the document that sent the form,
 * our /donate/embed page (`same-origin`), not from the page around the frame;
 * a form on the other site's own page is `cross-site` and refused
 * (test/browser/donate-embed.test.ts watches Chromium send it). Origin says
 * nothing here: our Referrer-Policy is no-referrer, so browsers send
 * `Origin: null` with our forms' POSTs, framed or not. A signed token in the
 * form would add nothing: tied to no cookie or session, any site could fetch a
 * fresh one from /donate/embed and post it. (A frame sandboxed without
 * allow-same-origin has an opaque origin, `cross-site`, and is refused: the
 * admin's snippet has no sandbox attribute.)
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import type { SettingsStore } from '../newsroom/settings.js';
import type { SiteService } from '../site/site.service.js';
import type { SiteAssets } from '../site/assets.js';
import { layout } from '../site/views/layout.js';
import type { Html } from '../shared/html.js';
import { Invalid } from '../shared/errors.js';
import { fromOwnSite } from '../newsletter/signup.routes.js';
import { ATTRIBUTION_FIELDS, DonationsNotSetUp, PaymentProviderFailed, type DonationCheckout, type RawAttribution } from './checkout.service.js';
import { isFrequency } from './metadata.js';
import { allowFraming, embedDocument, EMBED_PATH } from './embed.js';
import { cancelledMain, donateMessageMain, donatePageMain, notSetUpMain, thanksMain, type DonateFormState } from './views.js';

export interface DonateRoutesDeps {
  config: Config;
  site: SiteService;
  settings: SettingsStore;
  assets: SiteAssets;
  checkout: DonationCheckout;
  /** After a paid gift's thank-you: the prompts' `bs_reader` donor flag (donor-cookies.ts). */
  onPaidThanks?: (request: FastifyRequest, reply: FastifyReply) => void;
}

type Fields = Record<string, unknown>;

/** One value of a form or query field (the first when repeated), always a string. */
function field(body: Fields, name: string, max = 1000): string {
  const value = body[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first.slice(0, max) : '';
}

function attributionFrom(fields: Fields): Partial<RawAttribution> {
  return Object.fromEntries(ATTRIBUTION_FIELDS.map((f) => [f, field(fields, f, 100).trim()]).filter(([, v]) => v));
}

/** The form as a query opens it: ?frequency=, attribution, and the compact form's amount. */
function formStateFromQuery(query: Fields): DonateFormState {
  const frequency = field(query, 'frequency', 20);
  // The compact form elsewhere (a prompt, an article's end) arrives here by GET with its choices.
  const amount = field(query, 'amount', 20);
  const customAmount = field(query, 'custom_amount', 40);
  return {
    frequency: isFrequency(frequency) ? frequency : 'once',
    ...(amount ? { amount } : {}),
    ...(customAmount ? { customAmount, amount: amount || 'custom' } : {}),
    attribution: attributionFrom(query),
  };
}

export function registerDonateRoutes(app: FastifyInstance, deps: DonateRoutesDeps): void {
  const { config, site, settings, checkout } = deps;
  const publicOrigin = new URL(config.publicUrl).origin;

  // The form's answer is a redirect to Stripe's Checkout page, and browsers hold redirects after a form to the
  // page's form-action: pages with the donate form also allow Stripe Checkout (and the test stand-in's origin).
  const checkoutOrigins = ['https://checkout.stripe.com', ...(config.stripe.apiUrl ? [new URL(config.stripe.apiUrl).origin] : [])];
  const allowCheckoutForm = (reply: FastifyReply) => {
    const csp = reply.raw.getHeader('content-security-policy');
    if (typeof csp === 'string') reply.header('content-security-policy', csp.replace("form-action 'self'", `form-action 'self' ${checkoutOrigins.join(' ')}`));
  };

  const send = async (reply: FastifyReply, status: number, title: string, main: Html, options: { canonical?: boolean } = {}) => {
    const [sections, live] = await Promise.all([site.sections(), site.breaking()]);
    const s = settings.get();
    const body = layout({
      site: s,
      publicUrl: config.publicUrl,
      sections,
      breaking: live ?? null,
      meta: {
        title,
        description: `Support ${s.name} with a donation.`,
        canonical: `${config.publicUrl}/donate`,
        type: 'website',
        jsonLd: [],
        feeds: [],
        noindex: !options.canonical,
      },
      main,
      cssHref: deps.assets.css,
      printCssHref: deps.assets.printCss,
      scriptHref: deps.assets.script,
      bodyClass: 'page-donate',
    });
    // Never cached: the form echoes the query's attribution, and the other pages are one reader's.
    return reply.code(status).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
  };
  const notSetUp = (reply: FastifyReply) => send(reply, 503, 'Donations are not set up yet', notSetUpMain(settings.get().name));
  const providerDown = (reply: FastifyReply) =>
    send(reply, 502, 'Payment page unavailable', donateMessageMain('We could not open the payment page', ['Our payment provider did not answer. Nothing was charged; please try again in a minute.'], { href: '/donate', text: 'Try again' }));

  app.get('/donate', async (request: FastifyRequest<{ Querystring: Fields }>, reply) => {
    if (!checkout.enabled) return notSetUp(reply);
    allowCheckoutForm(reply);
    return send(reply, 200, 'Donate', donatePageMain(settings.get(), formStateFromQuery((request.query ?? {}) as Fields)), { canonical: true });
  });

  app.get(EMBED_PATH, async (request: FastifyRequest<{ Querystring: Fields }>, reply) => {
    const s = settings.get();
    // Only this page may be framed by other sites, and only by those the newsroom listed (embed.ts).
    allowFraming({ get: (name) => reply.raw.getHeader(name), set: (name, value) => reply.raw.setHeader(name, value), remove: (name) => reply.raw.removeHeader(name) }, s);
    const page = (status: number, title: string, main: Html) =>
      reply.code(status).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').send(embedDocument({ settings: s, title, main, cssHref: deps.assets.css }));
    // Still a page the other site may frame: its readers see why there is no form rather than a browser error.
    if (!checkout.enabled) return page(503, 'Donations are not set up yet', donateMessageMain('Donations are not set up yet', [`${s.name} cannot take donations online yet. Please come back soon.`]));
    allowCheckoutForm(reply);
    return page(200, 'Donate', donatePageMain(s, formStateFromQuery((request.query ?? {}) as Fields), { embedPath: EMBED_PATH }));
  });

  app.post('/donate', async (request, reply) => {
    if (!checkout.enabled) return notSetUp(reply);
    if (!fromOwnSite(request, publicOrigin)) {
      return send(reply, 403, 'Form sent from another site', donateMessageMain('That form came from another website', ['For your safety we did not act on it. Use the form on this site instead.'], { href: '/donate', text: 'Donate' }));
    }
    const body = (request.body ?? {}) as Fields;
    const frequency = field(body, 'frequency', 20);
    const state: DonateFormState = {
      frequency: isFrequency(frequency) ? frequency : 'once',
      amount: field(body, 'amount', 20),
      customAmount: field(body, 'custom_amount', 40),
      coverFees: field(body, 'cover_fees', 5) === '1',
      message: field(body, 'message', 2000),
      email: field(body, 'email', 400),
      name: field(body, 'name', 400),
      attribution: attributionFrom(body),
    };
    try {
      const url = await checkout.start({
        frequency,
        amount: state.amount!,
        customAmount: state.customAmount!,
        currency: field(body, 'currency', 10),
        coverFees: state.coverFees!,
        message: state.message!,
        email: state.email!,
        name: state.name!,
        attribution: { article: '', campaign: '', utm_source: '', utm_medium: '', utm_campaign: '', utm_term: '', utm_content: '', variant: '', ...state.attribution },
      });
      return reply.code(303).header('location', url).header('cache-control', 'no-store').send();
    } catch (error) {
      if (error instanceof Invalid) {
        state.errors = Object.fromEntries(error.fields.map((f) => [f.path, f.message]));
        if (state.amount === undefined || !/^\d+$/.test(state.amount)) state.amount = 'custom';
        allowCheckoutForm(reply);
        return send(reply, 400, 'Donate', donatePageMain(settings.get(), state));
      }
      if (error instanceof PaymentProviderFailed) return providerDown(reply);
      if (error instanceof DonationsNotSetUp) return notSetUp(reply);
      throw error;
    }
  });

  app.get('/donate/thanks', async (request: FastifyRequest<{ Querystring: Fields }>, reply) => {
    if (!checkout.enabled) return notSetUp(reply);
    const sessionId = field((request.query ?? {}) as Fields, 'session_id', 300);
    try {
      const gift = await checkout.thanks(sessionId);
      if (!gift) {
        return send(reply, 404, 'Donation not found', donateMessageMain('We could not find that donation', ['This link does not match a payment. If you gave, your receipt is on its way by email.'], { href: '/donate', text: 'Donate' }));
      }
      if (gift.paid) deps.onPaidThanks?.(request, reply);
      return send(reply, 200, gift.paid ? 'Thank you' : 'Payment not complete', thanksMain(settings.get(), gift));
    } catch (error) {
      if (error instanceof PaymentProviderFailed) return providerDown(reply);
      throw error;
    }
  });

  app.get('/donate/cancelled', async (_request, reply) => send(reply, 200, 'Donation cancelled', cancelledMain()));
}
