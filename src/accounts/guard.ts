/**
 * The Admin API's security layer. Every route under /api/admin must say who
 * may call it: `preHandler: guard.requireStaff(action)` for signed-in staff,
 * or `config: PUBLIC_ADMIN_ROUTE` for the few that must work signed out
 * (sign-in, first-run setup, password reset, accepting an invitation). A
 * route that says neither stops the program at start-up, so a forgotten check
 * cannot ship.
 *
 * On every Admin API route, before anything else:
 * - state-changing requests (POST/PUT/PATCH/DELETE) from a browser must come
 *   from PUBLIC_URL's own origin (Origin and Sec-Fetch-Site), and bodies must
 *   be JSON (an HTML form on another site cannot send JSON without asking);
 * - responses are never cached.
 * `requireStaff` then finds the server-side session from the cookie, demands
 * the session's CSRF token in `x-csrf-token` on state-changing requests, and
 * checks the permission matrix.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler, RouteOptions } from 'fastify';
import type { SessionRow, UserRow } from '../db/schema.js';
import { Forbidden } from '../shared/errors.js';
import { CrossOrigin, CsrfRejected, UnsupportedMediaType, Unauthenticated } from './errors.js';
import { can, canAtAll, type Action, type PermissionContext } from './permissions.js';
import type { Sessions } from './sessions.js';
import { safeEqual } from './tokens.js';

export interface StaffContext {
  user: UserRow;
  session: SessionRow;
  can(action: Action, context?: PermissionContext): boolean;
  /** Throws Forbidden unless the user may do `action` (with ownership known, e.g. after loading the article). */
  assert(action: Action, context?: PermissionContext): void;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in staff member, set by `requireStaff` (null on public routes). */
    staff: StaffContext | null;
  }
  interface FastifyContextConfig {
    adminAccess?: 'public';
    /** This route takes a file upload (multipart/form-data) instead of JSON; it still needs the x-csrf-token header. */
    adminUpload?: boolean;
  }
}

export const ADMIN_PREFIX = '/api/admin';
/** Route config for Admin API routes that work without signing in. */
export const PUBLIC_ADMIN_ROUTE = { adminAccess: 'public' as const };

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const GUARDED = Symbol('broadsheet.requireStaff');

type TaggedHandler = preHandlerAsyncHookHandler & { [GUARDED]?: Action };

export interface AdminGuard {
  requireStaff(action: Action): preHandlerAsyncHookHandler;
  /** The session of a request on a public route, if it has one (e.g. to replace it on sign-in). */
  optionalSession(request: FastifyRequest): Promise<{ user: UserRow; session: SessionRow } | undefined>;
}

export function isAdminPath(url: string): boolean {
  return url === ADMIN_PREFIX || url.startsWith(`${ADMIN_PREFIX}/`);
}

function staffContext(user: UserRow, session: SessionRow): StaffContext {
  return {
    user,
    session,
    can: (action, context) => can(user.role, action, context),
    assert(action, context) {
      if (!can(user.role, action, context)) throw new Forbidden(`Your role (${user.role}) does not allow that`);
    },
  };
}

/** Installs the Admin API checks. Call before registering any Admin API route. */
export function installAdminGuard(app: FastifyInstance, options: { sessions: Sessions; publicUrl: string }): AdminGuard {
  const { sessions } = options;
  const publicOrigin = new URL(options.publicUrl).origin;

  const checkRequest = async (request: FastifyRequest, reply: FastifyReply) => {
    reply.header('cache-control', 'no-store');
    if (!UNSAFE.has(request.method)) return;
    const fetchSite = request.headers['sec-fetch-site'];
    if (fetchSite !== undefined && fetchSite !== 'same-origin') {
      throw new CrossOrigin('Requests from other sites are not allowed');
    }
    const origin = request.headers.origin;
    if (origin !== undefined && origin !== publicOrigin) {
      throw new CrossOrigin(`This request came from ${String(origin).slice(0, 200)}, but this Broadsheet is at ${publicOrigin} (PUBLIC_URL)`);
    }
    const hasBody = (request.headers['content-length'] !== undefined && request.headers['content-length'] !== '0') || request.headers['transfer-encoding'] !== undefined;
    const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    // Upload routes also take multipart/form-data: a form on another site could send that, but not the
    // x-csrf-token header that requireStaff demands, nor a same-origin Origin.
    const upload = (request.routeOptions.config as { adminUpload?: boolean } | undefined)?.adminUpload === true && type === 'multipart/form-data';
    if (hasBody && type !== 'application/json' && !upload) throw new UnsupportedMediaType();
  };

  app.decorateRequest('staff', null);

  app.addHook('onRoute', (route: RouteOptions) => {
    if (!isAdminPath(route.url ?? '')) return;
    const handlers = ([] as unknown[]).concat(route.preHandler ?? []) as TaggedHandler[];
    const guarded = handlers.some((h) => typeof h === 'function' && h[GUARDED] !== undefined);
    const isPublic = (route.config as { adminAccess?: string } | undefined)?.adminAccess === 'public';
    if (!guarded && !isPublic) {
      throw new Error(`Admin API route ${String(route.method)} ${route.url} has no access rule: add preHandler: requireStaff(action) or config: PUBLIC_ADMIN_ROUTE`);
    }
    if (guarded && isPublic) throw new Error(`Admin API route ${String(route.method)} ${route.url} is both public and guarded`);
    // The origin/content-type check runs first on every Admin API route.
    route.onRequest = [checkRequest, ...([] as unknown[]).concat(route.onRequest ?? [])] as RouteOptions['onRequest'];
  });

  const authenticate = async (request: FastifyRequest) => sessions.authenticate(request.cookies[sessions.cookieName]);

  return {
    requireStaff(action: Action) {
      const handler: TaggedHandler = async (request, reply) => {
        const active = await authenticate(request);
        if (!active) {
          if (request.cookies[sessions.cookieName] !== undefined) {
            const cleared = sessions.clearedCookie();
            reply.setCookie(cleared.name, cleared.value, cleared.options);
          }
          throw new Unauthenticated();
        }
        if (UNSAFE.has(request.method)) {
          const sent = request.headers['x-csrf-token'];
          if (typeof sent !== 'string' || !safeEqual(sent, active.session.csrf_token)) throw new CsrfRejected();
        }
        request.staff = staffContext(active.user, active.session);
        if (!canAtAll(active.user.role, action)) throw new Forbidden(`Your role (${active.user.role}) does not allow that`);
      };
      handler[GUARDED] = action;
      return handler;
    },
    optionalSession: authenticate,
  };
}
