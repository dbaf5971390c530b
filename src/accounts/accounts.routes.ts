/**
 * Admin API for accounts: sessions (sign in, sign out, sign out everywhere),
 * first-run setup, password reset, invitations, staff management, ownership
 * transfer and two-step sign-in. HTTP only: parse, authorize, call, respond.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SessionRow } from '../db/schema.js';
import {
  AcceptInput,
  ChangePasswordInput,
  InviteInput,
  PasswordOnlyInput,
  publicUser,
  ResetCompleteInput,
  ResetRequestInput,
  RoleSchema,
  SetupInput,
  SignInInput,
  TotpConfirmInput,
  TransferInput,
  UserPatchInput,
  type AccountsService,
  type Client,
  type SignedIn,
} from './accounts.service.js';
import { TooManyAttempts } from './errors.js';
import { ADMIN_PREFIX, PUBLIC_ADMIN_ROUTE, type AdminGuard, type StaffContext } from './guard.js';
import { ACTIONS, MATRIX } from './permissions.js';
import type { Sessions } from './sessions.js';

export interface AccountRoutesDeps {
  accounts: AccountsService;
  sessions: Sessions;
  guard: AdminGuard;
}

const UserSchema = Type.Object({
  id: Type.Integer(),
  email: Type.String(),
  name: Type.String(),
  role: RoleSchema,
  active: Type.Boolean(),
  twoFactor: Type.Boolean(),
  createdAt: Type.String(),
  lastSignInAt: Type.Union([Type.String(), Type.Null()]),
});

const Permission = Type.Union([Type.Literal('any'), Type.Literal('own'), Type.Literal('none')]);

const SessionResponse = Type.Object({
  user: UserSchema,
  csrfToken: Type.String(),
  expiresAt: Type.String(),
  /** What the user's role may do: on anything, on their own things only, or not at all. */
  permissions: Type.Record(Type.String(), Permission),
});

const InvitationSchema = Type.Object({
  id: Type.Integer(),
  email: Type.String(),
  name: Type.String(),
  role: RoleSchema,
  createdAt: Type.String(),
  expiresAt: Type.String(),
});

const SessionInfo = Type.Object({
  id: Type.Integer(),
  current: Type.Boolean(),
  createdAt: Type.String(),
  lastSeenAt: Type.String(),
  expiresAt: Type.String(),
  ip: Type.String(),
  userAgent: Type.String(),
});

const Message = Type.Object({ message: Type.String() });
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });
const Empty = Type.Null();

function client(request: FastifyRequest): Client {
  const ua = request.headers['user-agent'];
  return { ip: request.ip, userAgent: typeof ua === 'string' ? ua : '' };
}

function staff(request: FastifyRequest): StaffContext {
  return request.staff!; // set by requireStaff before any guarded handler runs
}

/** 429 answers say when to come back, in a header as well as in the message. */
async function limited<T>(reply: FastifyReply, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof TooManyAttempts) reply.header('retry-after', String(error.retryAfterSeconds));
    throw error;
  }
}

export function registerAccountRoutes(app: FastifyInstance, deps: AccountRoutesDeps): void {
  const { accounts, sessions, guard } = deps;
  const base = ADMIN_PREFIX;

  const sessionBody = (user: SignedIn['user'], session: SessionRow): Static<typeof SessionResponse> => ({
    user: publicUser(user),
    csrfToken: session.csrf_token,
    expiresAt: sessions.endsAt(session),
    permissions: Object.fromEntries(
      ACTIONS.map((action) => {
        const rule = MATRIX[action] as { any: readonly string[]; own: readonly string[] };
        return [action, rule.any.includes(user.role) ? 'any' : rule.own.includes(user.role) ? 'own' : 'none'];
      }),
    ),
  });

  /** Starts the browser's session: replaces any session the request came with (no fixation). */
  const signedIn = async (request: FastifyRequest, reply: FastifyReply, result: SignedIn, status: number) => {
    const previous = await guard.optionalSession(request);
    if (previous && previous.session.id !== result.session.id) await sessions.revoke(previous.session.id);
    const cookie = sessions.cookie(result.token, result.session);
    reply.setCookie(cookie.name, cookie.value, cookie.options);
    return reply.code(status).send(sessionBody(result.user, result.session));
  };

  const clearCookie = (reply: FastifyReply) => {
    const cookie = sessions.clearedCookie();
    reply.setCookie(cookie.name, cookie.value, cookie.options);
  };

  // --- first run ---------------------------------------------------------------------

  app.get(`${base}/setup`, {
    config: PUBLIC_ADMIN_ROUTE,
    schema: { response: { 200: Type.Object({ required: Type.Boolean() }) } },
    handler: async () => ({ required: !(await accounts.hasUsers()) }),
  });

  app.post(`${base}/setup`, {
    config: PUBLIC_ADMIN_ROUTE,
    schema: { body: SetupInput, response: { 201: SessionResponse } },
    handler: async (request, reply) => signedIn(request, reply, await accounts.completeSetup(request.body, client(request)), 201),
  });

  // --- the session -------------------------------------------------------------------

  app.get(`${base}/session`, {
    preHandler: guard.requireStaff('account.self'),
    schema: { response: { 200: SessionResponse } },
    handler: async (request) => sessionBody(staff(request).user, staff(request).session),
  });

  app.post(`${base}/session`, {
    config: PUBLIC_ADMIN_ROUTE,
    schema: { body: SignInInput, response: { 200: SessionResponse } },
    handler: async (request, reply) => signedIn(request, reply, await limited(reply, () => accounts.signIn(request.body, client(request))), 200),
  });

  app.delete(`${base}/session`, {
    preHandler: guard.requireStaff('account.self'),
    schema: { response: { 204: Empty } },
    handler: async (request, reply) => {
      await accounts.signOut(staff(request).session.id);
      clearCookie(reply);
      return reply.code(204).send();
    },
  });

  app.get(`${base}/sessions`, {
    preHandler: guard.requireStaff('account.self'),
    schema: { response: { 200: Type.Object({ sessions: Type.Array(SessionInfo) }) } },
    handler: async (request) => {
      const { user, session: current } = staff(request);
      const rows = await sessions.list(user.id);
      return {
        sessions: rows
          .filter((s) => sessions.isLive(s))
          .map((s) => ({
            id: s.id,
            current: s.id === current.id,
            createdAt: s.created_at,
            lastSeenAt: s.last_seen_at,
            expiresAt: sessions.endsAt(s),
            ip: s.ip,
            userAgent: s.user_agent,
          })),
      };
    },
  });

  /** Sign out everywhere: every session of this user, on every device, this one included. */
  app.delete(`${base}/sessions`, {
    preHandler: guard.requireStaff('account.self'),
    schema: { response: { 204: Empty } },
    handler: async (request, reply) => {
      await accounts.signOutEverywhere(staff(request).user.id);
      clearCookie(reply);
      return reply.code(204).send();
    },
  });

  // --- your own account --------------------------------------------------------------

  app.put(`${base}/me/password`, {
    preHandler: guard.requireStaff('account.self'),
    schema: { body: ChangePasswordInput, response: { 204: Empty } },
    handler: async (request, reply) => {
      const { user, session } = staff(request);
      await limited(reply, () => accounts.changePassword(user, session.id, request.body, client(request)));
      return reply.code(204).send();
    },
  });

  app.post(`${base}/me/two-factor`, {
    preHandler: guard.requireStaff('account.self'),
    schema: { response: { 200: Type.Object({ secret: Type.String(), uri: Type.String() }) } },
    handler: async (request) => accounts.beginTotp(staff(request).user),
  });

  app.post(`${base}/me/two-factor/confirm`, {
    preHandler: guard.requireStaff('account.self'),
    schema: { body: TotpConfirmInput, response: { 204: Empty } },
    handler: async (request, reply) => {
      await accounts.confirmTotp(staff(request).user, request.body);
      return reply.code(204).send();
    },
  });

  app.post(`${base}/me/two-factor/disable`, {
    preHandler: guard.requireStaff('account.self'),
    schema: { body: PasswordOnlyInput, response: { 204: Empty } },
    handler: async (request, reply) => {
      await limited(reply, () => accounts.disableTotp(staff(request).user, request.body, client(request)));
      return reply.code(204).send();
    },
  });

  // --- password reset ----------------------------------------------------------------

  app.post(`${base}/password-reset`, {
    config: PUBLIC_ADMIN_ROUTE,
    schema: { body: ResetRequestInput, response: { 202: Message } },
    handler: async (request, reply) => {
      await accounts.requestPasswordReset(request.body, client(request));
      // The same answer whether or not the address has an account.
      return reply.code(202).send({ message: 'If that address belongs to an account, a link to choose a new password is on its way. It works for one hour.' });
    },
  });

  app.post(`${base}/password-reset/complete`, {
    config: PUBLIC_ADMIN_ROUTE,
    schema: { body: ResetCompleteInput, response: { 204: Empty } },
    handler: async (request, reply) => {
      await accounts.completePasswordReset(request.body);
      return reply.code(204).send();
    },
  });

  // --- invitations -------------------------------------------------------------------

  app.get(`${base}/invitations`, {
    preHandler: guard.requireStaff('staff.manage'),
    schema: { response: { 200: Type.Object({ invitations: Type.Array(InvitationSchema) }) } },
    handler: async () => ({ invitations: await accounts.invitations() }),
  });

  app.post(`${base}/invitations`, {
    preHandler: guard.requireStaff('staff.manage'),
    schema: { body: InviteInput, response: { 201: InvitationSchema } },
    handler: async (request, reply) => reply.code(201).send(await accounts.invite(staff(request).user, request.body)),
  });

  app.delete(`${base}/invitations/:id`, {
    preHandler: guard.requireStaff('staff.manage'),
    schema: { params: IdParams, response: { 204: Empty } },
    handler: async (request, reply) => {
      await accounts.revokeInvitation((request.params as Static<typeof IdParams>).id);
      return reply.code(204).send();
    },
  });

  app.post(`${base}/invitations/accept`, {
    config: PUBLIC_ADMIN_ROUTE,
    schema: { body: AcceptInput, response: { 201: SessionResponse } },
    handler: async (request, reply) => signedIn(request, reply, await accounts.acceptInvitation(request.body, client(request)), 201),
  });

  // --- staff -------------------------------------------------------------------------

  app.get(`${base}/users`, {
    preHandler: guard.requireStaff('staff.manage'),
    schema: { response: { 200: Type.Object({ users: Type.Array(UserSchema) }) } },
    handler: async () => ({ users: await accounts.listUsers() }),
  });

  app.patch(`${base}/users/:id`, {
    preHandler: guard.requireStaff('staff.manage'),
    schema: { params: IdParams, body: UserPatchInput, response: { 200: UserSchema } },
    handler: async (request) => accounts.updateUser(staff(request).user, (request.params as Static<typeof IdParams>).id, request.body),
  });

  app.post(`${base}/ownership`, {
    preHandler: guard.requireStaff('ownership.transfer'),
    schema: { body: TransferInput, response: { 200: Type.Object({ owner: UserSchema }) } },
    handler: async (request, reply) => ({
      owner: await limited(reply, () => accounts.transferOwnership(staff(request).user, request.body, client(request))),
    }),
  });
}
