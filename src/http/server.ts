/**
 * Fastify with the things every route shares: request ids in logs, security
 * headers, body limits, URL normalisation, and one error mapping for the
 * whole program (src/http/errors.ts).
 */
import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import helmet from '@fastify/helmet';
import { createRequire } from 'node:module';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import formbody from '@fastify/formbody';
import cookie from '@fastify/cookie';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { lazySerializerFactory, lazyValidatorFactory } from './lazy-schemas.js';
import { installErrorHandling, type ErrorPageRenderer } from './errors.js';

/**
 * A handler that may answer a request before Fastify does (the page cache's hits).
 * Set `current` once the cache exists; clear it when shutting down.
 */
export interface FastPath {
  current?: (req: IncomingMessage, res: ServerResponse) => boolean;
  /** The security headers every response carries, for handlers that bypass Fastify. */
  securityHeaders: [string, string][];
}

export interface HttpOptions {
  config: Config;
  log: Logger;
  renderErrorPage: ErrorPageRenderer;
  fastPath?: FastPath;
}

export function requestIdFor(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(incoming) ? incoming : randomUUID();
}

/** The helmet middleware factory, resolved from @fastify/helmet so both use the same copy. */
const helmetMiddleware = createRequire(createRequire(import.meta.url).resolve('@fastify/helmet'))('helmet') as (
  options: object,
) => (request: IncomingMessage, response: ServerResponse, next: (error?: Error) => void) => void;

/** The headers a middleware sets when it sets the same ones on every response. */
function recordHeaders(middleware: ReturnType<typeof helmetMiddleware>): [string, string][] {
  const headers: [string, string][] = [];
  const recorder = {
    setHeader: (name: string, value: unknown) => headers.push([name, String(value)]),
    removeHeader: () => undefined, // X-Powered-By: nothing here sets it
  };
  middleware({} as IncomingMessage, recorder as unknown as ServerResponse, (error) => {
    if (error) throw error;
  });
  return headers;
}

export async function createHttpServer({ config, log, renderErrorPage, fastPath }: HttpOptions): Promise<FastifyInstance> {
  const app = Fastify({
    serverFactory: (handler) =>
      createServer((req, res) => {
        if (fastPath?.current?.(req, res)) return;
        handler(req, res);
      }),
    loggerInstance: log as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    genReqId: requestIdFor,
    schemaController: { compilersFactory: { buildValidator: lazyValidatorFactory as never, buildSerializer: lazySerializerFactory as never } },
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    routerOptions: { maxParamLength: 300, ignoreDuplicateSlashes: false },
  });

  // The request id goes back to the client, so a reader's report can be matched to our logs.
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  app.addHook('onResponse', (request, reply, done) => {
    const level = reply.statusCode >= 500 ? 'error' : 'info';
    if (level === 'error' || log.isLevelEnabled('debug')) {
      request.log[level === 'error' ? 'error' : 'debug'](
        { method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) },
        'request',
      );
    }
    done();
  });

  const securityHeaderOptions = {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'https:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        frameSrc: ['https://www.youtube-nocookie.com'],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'self'"],
      },
    },
    crossOriginEmbedderPolicy: false,
    hsts: config.publicUrl.startsWith('https:'),
  };
  // @fastify/helmet builds a new helmet() middleware (and parses the CSP) on every
  // request, a tenth of the CPU of a page-cache hit. Registered with global: false it
  // still serves routes that set their own `helmet` options and `reply.helmet()`;
  // every other route gets the same headers, recorded once from the same middleware
  // (these options have no per-request parts such as nonces).
  await app.register(helmet, { ...securityHeaderOptions, global: false });
  const securityHeaders = recordHeaders(helmetMiddleware(securityHeaderOptions));
  if (fastPath) fastPath.securityHeaders = securityHeaders;
  app.addHook('onRequest', (request, reply, done) => {
    if ((request.routeOptions.config as { helmet?: unknown }).helmet !== undefined) return done();
    for (const [name, value] of securityHeaders) reply.raw.setHeader(name, value);
    done();
  });
  await app.register(formbody, { bodyLimit: config.bodyLimitBytes });
  await app.register(cookie);

  // One URL per page: "/local/" answers 301 to "/local" (the query string is kept).
  app.addHook('onRequest', (request, reply, done) => {
    const [pathname, query] = splitUrl(request.url);
    if (pathname.length > 1 && pathname.endsWith('/') && (request.method === 'GET' || request.method === 'HEAD')) {
      const target = pathname.replace(/\/+$/, '') || '/';
      if (!target.startsWith('//')) {
        reply.redirect(target + (query ? `?${query}` : ''), 301);
        return; // answered: the remaining hooks and the route do not run
      }
    }
    done();
  });

  installErrorHandling(app, renderErrorPage);
  return app;
}

export function splitUrl(url: string): [string, string] {
  const q = url.indexOf('?');
  return q === -1 ? [url, ''] : [url.slice(0, q), url.slice(q + 1)];
}
