/**
 * Admin API for social distribution (docs/social.md).
 *
 *   GET    /api/admin/social/accounts                  the four networks: connected or not, settings, secrets as "set"/"not set"
 *   PUT    /api/admin/social/accounts/:network         connect or update (a secret: new value, null clears, absent keeps)
 *   POST   /api/admin/social/accounts/:network/test    calls the network's "who am I" endpoint
 *   DELETE /api/admin/social/accounts/:network         disconnect
 *   GET    /api/admin/articles/:id/social              the article's options and each post's status
 *   PUT    /api/admin/articles/:id/social              opt-out and custom text per network
 *   POST   /api/admin/articles/:id/social/:network     retry a failed post, post now, or (again: true) post a second time
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ADMIN_PREFIX, type AdminGuard } from '../accounts/guard.js';
import type { ArticleRow } from '../db/schema.js';
import type { ArticlesRepository } from '../newsroom/articles.repository.js';
import { NotFound } from '../shared/errors.js';
import { SECRET_FIELDS, type AccountView, type SocialAccounts } from './accounts.service.js';
import { CUSTOM_TEXT_MAX } from './compose.js';
import { NETWORK_NAMES, NETWORKS, type NetworkId } from './networks/types.js';
import type { SocialPosts } from './posts.service.js';
import type { SocialPostRow } from './social.repository.js';

export interface SocialRoutesDeps {
  accounts: SocialAccounts;
  posts: SocialPosts;
  articlesRepo: ArticlesRepository;
  guard: AdminGuard;
}

const Network = Type.Union(NETWORKS.map((n) => Type.Literal(n)));
const NetworkParams = Type.Object({ network: Network });
const ArticleParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });
const ArticleNetworkParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }), network: Network });

const Setting = Type.String({ maxLength: 500 });
const Secret = Type.Union([Type.String({ maxLength: 4000 }), Type.Null()]);
/** Each network's fields; secrets are write-only. */
const AccountBodies: Record<NetworkId, ReturnType<typeof Type.Object>> = {
  mastodon: Type.Object({ instanceUrl: Setting, accessToken: Type.Optional(Secret) }, { additionalProperties: false }),
  bluesky: Type.Object({ handle: Setting, serviceUrl: Type.Optional(Setting), appPassword: Type.Optional(Secret) }, { additionalProperties: false }),
  facebook: Type.Object({ pageId: Setting, graphVersion: Type.Optional(Setting), baseUrl: Type.Optional(Setting), pageAccessToken: Type.Optional(Secret) }, { additionalProperties: false }),
  x: Type.Object(
    {
      auth: Type.Union([Type.Literal('oauth1'), Type.Literal('oauth2')]),
      apiUrl: Type.Optional(Setting),
      apiKey: Type.Optional(Secret),
      apiSecret: Type.Optional(Secret),
      accessToken: Type.Optional(Secret),
      accessSecret: Type.Optional(Secret),
      userToken: Type.Optional(Secret),
    },
    { additionalProperties: false },
  ),
};

const Account = Type.Object({
  network: Network,
  label: Type.String(),
  connected: Type.Boolean(),
  settings: Type.Record(Type.String(), Type.String()),
  secrets: Type.Record(Type.String(), Type.Union([Type.Literal('set'), Type.Literal('not set')])),
  displayName: Type.String(),
  profileUrl: Type.String(),
  verifiedAt: Type.Union([Type.String(), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
  connectedAt: Type.Union([Type.String(), Type.Null()]),
});

const TestResult = Type.Object({ ok: Type.Boolean(), displayName: Type.Optional(Type.String()), profileUrl: Type.Optional(Type.String()), error: Type.Optional(Type.String()) });

const Text = Type.Optional(Type.String({ maxLength: 10_000 }));
const Texts = Type.Object({ mastodon: Text, bluesky: Text, facebook: Text, x: Text }, { additionalProperties: false });
const Options = Type.Object({ optOut: Type.Boolean(), texts: Texts }, { additionalProperties: false });

const Post = Type.Object({
  network: Network,
  status: Type.Union(['queued', 'posting', 'posted', 'failed', 'skipped'].map((s) => Type.Literal(s))),
  text: Type.String(),
  remoteUrl: Type.Union([Type.String(), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
  attempts: Type.Integer(),
  nextAttemptAt: Type.Union([Type.String(), Type.Null()]),
  postedAt: Type.Union([Type.String(), Type.Null()]),
  updatedAt: Type.String(),
});

const ArticleSocial = Type.Object({
  options: Options,
  posts: Type.Array(Post),
  networks: Type.Array(Type.Object({ network: Network, label: Type.String(), connected: Type.Boolean(), displayName: Type.String(), maxText: Type.Integer() })),
});

const postJson = (p: SocialPostRow): Static<typeof Post> => ({
  network: p.network as NetworkId,
  status: p.status,
  text: p.text,
  remoteUrl: p.remote_url,
  error: p.error,
  attempts: p.attempts,
  nextAttemptAt: p.next_attempt_at,
  postedAt: p.posted_at,
  updatedAt: p.updated_at,
});

export function registerSocialRoutes(app: FastifyInstance, deps: SocialRoutesDeps): void {
  const { accounts, posts, guard } = deps;
  const tags = ['social'];
  const manage = guard.requireStaff('settings.manage');
  const accountsBase = `${ADMIN_PREFIX}/social/accounts`;

  app.get(accountsBase, {
    preHandler: manage,
    schema: { tags, summary: 'Connected posting accounts (secrets shown as set / not set)', response: { 200: Type.Object({ items: Type.Array(Account) }) } },
    handler: async () => ({ items: await accounts.list() }),
  });

  for (const network of NETWORKS) {
    app.put(`${accountsBase}/${network}`, {
      preHandler: manage,
      schema: { tags, summary: `Connect or update the ${NETWORK_NAMES[network]} account`, body: AccountBodies[network], response: { 200: Account } },
      handler: async (request): Promise<AccountView> => accounts.save(network, request.body as Record<string, string | null | undefined>),
    });
  }

  app.post(`${accountsBase}/:network/test`, {
    preHandler: manage,
    schema: { tags, summary: "Test the account against the network's verify endpoint", params: NetworkParams, response: { 200: TestResult } },
    handler: async (request) => accounts.test((request.params as Static<typeof NetworkParams>).network),
  });

  app.delete(`${accountsBase}/:network`, {
    preHandler: manage,
    schema: { tags, summary: 'Disconnect (forgets its secrets)', params: NetworkParams, response: { 204: Type.Null() } },
    handler: async (request, reply) => {
      await accounts.disconnect((request.params as Static<typeof NetworkParams>).network);
      return reply.code(204).send();
    },
  });

  const load = async (id: number): Promise<ArticleRow> => {
    const row = await deps.articlesRepo.byId(id);
    if (!row) throw new NotFound('No such article');
    return row;
  };
  const owns = (request: FastifyRequest, article: ArticleRow) => article.created_by !== null && article.created_by === request.staff!.user.id;
  const articleSocial = async (id: number): Promise<Static<typeof ArticleSocial>> => {
    const [options, rows, views] = await Promise.all([posts.options(id), posts.posts(id), accounts.list()]);
    return {
      options,
      posts: rows.map(postJson),
      networks: views.map((v) => ({ network: v.network, label: v.label, connected: v.connected, displayName: v.displayName, maxText: CUSTOM_TEXT_MAX[v.network] })),
    };
  };
  const articleBase = `${ADMIN_PREFIX}/articles/:id/social`;

  app.get(articleBase, {
    preHandler: guard.requireStaff('article.view'),
    schema: { tags, summary: "The article's social options and each post's status", params: ArticleParams, response: { 200: ArticleSocial } },
    handler: async (request) => {
      const { id } = request.params as Static<typeof ArticleParams>;
      await load(id);
      return articleSocial(id);
    },
  });

  app.put(articleBase, {
    preHandler: guard.requireStaff('article.edit'),
    schema: { tags, summary: 'Opt out, or set custom text per network', params: ArticleParams, body: Options, response: { 200: ArticleSocial } },
    handler: async (request) => {
      const { id } = request.params as Static<typeof ArticleParams>;
      const article = await load(id);
      request.staff!.assert(article.status === 'published' ? 'article.edit-published' : 'article.edit', { ownsResource: owns(request, article) });
      await posts.saveOptions(id, request.body as Static<typeof Options>);
      return articleSocial(id);
    },
  });

  app.post(`${articleBase}/:network`, {
    preHandler: guard.requireStaff('article.publish'),
    schema: {
      tags,
      summary: 'Retry a failed post, post now, or post again ({ again: true })',
      params: ArticleNetworkParams,
      body: Type.Object({ again: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
      response: { 202: ArticleSocial },
    },
    handler: async (request, reply) => {
      const { id, network } = request.params as Static<typeof ArticleNetworkParams>;
      const article = await load(id);
      request.staff!.assert('article.publish', { ownsResource: owns(request, article) });
      await posts.queue(id, network, { again: (request.body as { again?: boolean } | undefined)?.again === true });
      return reply.code(202).send(await articleSocial(id));
    },
  });
}
