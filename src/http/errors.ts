/**
 * Errors become HTTP in this one place. Clients see a clear message for their
 * own mistakes (4xx) and a bare "something went wrong" with a request id for
 * ours (5xx, always logged). Browsers get an HTML page, API clients JSON.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, Conflict, Invalid } from '../shared/errors.js';

export type ErrorPageRenderer = (status: number, message: string, request: FastifyRequest) => Promise<string> | string;

export interface ErrorBody {
  error: { status: number; code: string; message: string; fields?: { path: string; message: string }[]; details?: Record<string, unknown>; requestId: string };
}

function wantsJson(request: FastifyRequest): boolean {
  if (request.url.startsWith('/api/')) return true;
  const accept = request.headers.accept ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

function describe(error: FastifyError | Error): { status: number; code: string; message: string; fields?: ErrorBody['error']['fields']; details?: Record<string, unknown> } {
  if (error instanceof AppError) {
    return {
      status: error.status,
      code: error.code,
      message: error.message,
      fields: error instanceof Invalid && error.fields.length ? error.fields : undefined,
      details: error instanceof Conflict ? error.details : undefined,
    };
  }
  const fe = error as FastifyError;
  if (fe.validation) {
    return {
      status: 400,
      code: 'invalid',
      message: 'The request has invalid fields',
      fields: fe.validation.map((v) => ({ path: v.instancePath || String(v.params?.missingProperty ?? '/'), message: v.message ?? 'invalid' })),
    };
  }
  const status = typeof fe.statusCode === 'number' ? fe.statusCode : 500;
  if (status === 413) return { status, code: 'too_large', message: 'The request body is too large' };
  if (status >= 400 && status < 500) {
    return { status, code: fe.code?.toLowerCase() ?? 'bad_request', message: status === 415 ? 'Unsupported content type' : fe.message || 'Bad request' };
  }
  return { status: 500, code: 'internal', message: 'Something went wrong on our side. Please try again.' };
}

export function installErrorHandling(app: FastifyInstance, renderPage: ErrorPageRenderer): void {
  const send = async (request: FastifyRequest, reply: FastifyReply, info: ReturnType<typeof describe>) => {
    reply.code(info.status).header('cache-control', 'no-store');
    if (wantsJson(request)) {
      const body: ErrorBody = { error: { ...info, requestId: String(request.id) } };
      return reply.type('application/json; charset=utf-8').send(body);
    }
    let page: string;
    try {
      page = await renderPage(info.status, info.message, request);
    } catch (renderError) {
      request.log.error({ err: renderError }, 'error page failed to render');
      page = `<!doctype html><title>Error ${info.status}</title><p>${info.status}</p>`;
    }
    return reply.type('text/html; charset=utf-8').send(page);
  };

  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    const info = describe(error);
    if (info.status >= 500) request.log.error({ err: error, url: request.url }, 'request failed');
    return send(request, reply, info);
  });

  app.setNotFoundHandler(async (request, reply) => {
    return send(request, reply, { status: 404, code: 'not_found', message: 'We could not find that page.' });
  });
}
