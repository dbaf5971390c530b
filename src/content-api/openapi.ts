/**
 * The Content API's OpenAPI 3 document and its human-readable reference page,
 * both made from the route table's TypeBox schemas (content.routes.ts). The
 * project's @fastify/swagger instance describes the Admin API only (and is
 * served to staff); this document is public, so it is built separately from
 * the same kind of schemas instead of filtering the private one.
 */
import type { TObject, TSchema } from '@sinclair/typebox';
import { escapeHtml } from '../shared/html.js';
import { API_PREFIX } from './content.service.js';
import { ErrorBody } from './schemas.js';

/** One Content API route as the documents describe it (content.routes.ts adds its handler). */
export interface ContentRouteSpec {
  /** After the prefix, in Fastify's syntax (`/articles/:ref`). */
  path: string;
  summary: string;
  description: string;
  params?: TObject;
  querystring: TObject;
  response: TSchema;
}

type Json = Record<string, unknown>;

/** A TypeBox schema as plain JSON Schema (its symbol-keyed metadata dropped). */
const plain = (schema: TSchema): Json => JSON.parse(JSON.stringify(schema)) as Json;

function parameters(schema: TObject | undefined, where: 'path' | 'query'): Json[] {
  if (!schema) return [];
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties).map(([name, property]) => {
    const { description, ...rest } = plain(property as TSchema);
    return { name, in: where, required: where === 'path' || required.has(name), ...(description ? { description } : {}), schema: rest };
  });
}

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });

export function buildOpenApi(routes: readonly ContentRouteSpec[], options: { publicUrl: string; siteName: string }): Json {
  const paths: Json = {};
  for (const route of routes) {
    const path = API_PREFIX + route.path.replace(/:([A-Za-z]+)/g, '{$1}');
    paths[path] = {
      get: {
        summary: route.summary,
        description: route.description,
        operationId: operationId(route.path),
        parameters: [...parameters(route.params, 'path'), ...parameters(route.querystring, 'query')],
        responses: {
          200: {
            description: 'OK. Carries a strong ETag; send it back in If-None-Match to get a 304 when nothing changed.',
            headers: {
              ETag: { schema: { type: 'string' } },
              'RateLimit-Limit': { schema: { type: 'integer' }, description: "The key's requests per minute." },
              'RateLimit-Remaining': { schema: { type: 'integer' } },
              'RateLimit-Reset': { schema: { type: 'integer' }, description: 'Seconds until the minute ends.' },
            },
            content: { 'application/json': { schema: plain(route.response) } },
          },
          304: { description: 'Not modified (If-None-Match matched the ETag).' },
          400: errorResponse('A parameter is malformed (see error.fields).'),
          401: errorResponse('No key, an unknown key or a revoked key.'),
          403: errorResponse("A browser request from an origin the key does not allow."),
          ...(route.params ? { 404: errorResponse('Not found (or not published).') } : {}),
          429: { ...errorResponse('Over the key\'s rate limit; Retry-After says when to try again.'), headers: { 'Retry-After': { schema: { type: 'integer' } } } },
        },
      },
    };
  }
  return {
    openapi: '3.0.3',
    info: {
      title: `${options.siteName} Content API`,
      version: '1',
      description:
        'Read-only JSON for apps and partners: published articles, sections, tags, authors, site settings and search. Send your API key as "Authorization: Bearer <key>" or "X-Api-Key: <key>" (or ?key= where headers are impossible). Errors have one shape: {"error": {"status", "code", "message", "fields"?, "details"?, "requestId"}}.',
    },
    servers: [{ url: options.publicUrl }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        header: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
        query: { type: 'apiKey', in: 'query', name: 'key' },
      },
      schemas: { Error: plain(ErrorBody) },
    },
    security: [{ bearer: [] }, { header: [] }, { query: [] }],
    paths,
  };
}

function operationId(path: string): string {
  const words = path.split('/').filter(Boolean).map((p) => (p.startsWith(':') ? `by-${p.slice(1)}` : p));
  return words.map((w, i) => (i === 0 ? w : w[0]!.toUpperCase() + w.slice(1))).join('').replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
}

/** A short, readable form of a JSON schema type for the reference tables. */
function typeOf(schema: Json): string {
  if (Array.isArray(schema.enum)) return (schema.enum as unknown[]).map((v) => JSON.stringify(v)).join(' | ');
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as Json[]).map(typeOf).join(' | ');
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  const bounds = [schema.minimum !== undefined ? `≥ ${String(schema.minimum)}` : '', schema.maximum !== undefined ? `≤ ${String(schema.maximum)}` : ''].filter(Boolean).join(', ');
  if (schema.type === 'array') return `array of ${schema.items ? typeOf(schema.items as Json) : 'any'}`;
  return `${String(schema.type ?? 'any')}${bounds ? ` (${bounds})` : ''}`;
}

/** The fields of a response schema, one row per property path, for the reference page. */
function fieldRows(schema: Json, prefix = '', depth = 0): string[] {
  const properties = (schema.properties ?? {}) as Record<string, Json>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const rows: string[] = [];
  for (const [name, property] of Object.entries(properties)) {
    const path = prefix ? `${prefix}.${name}` : name;
    rows.push(
      `<tr><td><code>${escapeHtml(path)}</code></td><td>${escapeHtml(typeOf(property))}${required.has(name) ? '' : ' (optional)'}</td><td>${escapeHtml(String(property.description ?? ''))}</td></tr>`,
    );
    if (depth >= 2) continue;
    const inner = property.type === 'array' ? (property.items as Json | undefined) : property;
    const object = Array.isArray(inner?.anyOf) ? (inner.anyOf as Json[]).find((s) => s.type === 'object') : inner;
    if (object?.type === 'object' && object.properties) rows.push(...fieldRows(object, property.type === 'array' ? `${path}[]` : path, depth + 1));
  }
  return rows;
}

/** The reference page: every endpoint with its parameters and response fields. All text is escaped. */
export function renderReference(document: Json, options: { siteName: string }): string {
  const info = document.info as { title: string; description: string };
  const paths = document.paths as Record<string, { get: Json }>;
  const sections = Object.entries(paths).map(([path, { get }]) => {
    const id = String(get.operationId);
    const params = (get.parameters as Json[]).map(
      (p) =>
        `<tr><td><code>${escapeHtml(String(p.name))}</code></td><td>${escapeHtml(String(p.in))}</td><td>${escapeHtml(typeOf(p.schema as Json))}</td><td>${p.required ? 'yes' : 'no'}</td><td>${escapeHtml(String(p.description ?? ''))}</td></tr>`,
    );
    const ok = ((get.responses as Json)[200] as { content: { 'application/json': { schema: Json } } }).content['application/json'].schema;
    const statuses = Object.entries(get.responses as Record<string, { description: string }>).map(
      ([code, r]) => `<li><strong>${escapeHtml(code)}</strong>: ${escapeHtml(r.description)}</li>`,
    );
    return `<section aria-labelledby="${escapeHtml(id)}">
<h2 id="${escapeHtml(id)}"><code>GET ${escapeHtml(path)}</code></h2>
<p><strong>${escapeHtml(String(get.summary))}.</strong> ${escapeHtml(String(get.description))}</p>
<table><caption>Parameters</caption><thead><tr><th scope="col">name</th><th scope="col">in</th><th scope="col">type</th><th scope="col">required</th><th scope="col">meaning</th></tr></thead><tbody>${params.join('')}</tbody></table>
<table><caption>Response fields</caption><thead><tr><th scope="col">field</th><th scope="col">type</th><th scope="col">meaning</th></tr></thead><tbody>${fieldRows(ok).join('')}</tbody></table>
<ul>${statuses.join('')}</ul>
</section>`;
  });
  const toc = Object.entries(paths).map(([path, { get }]) => `<li><a href="#${escapeHtml(String(get.operationId))}"><code>GET ${escapeHtml(path)}</code></a>: ${escapeHtml(String(get.summary))}</li>`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(info.title)}</title>
<link rel="stylesheet" href="/assets/site.css">
</head>
<body>
<main id="main" class="developers">
<h1>${escapeHtml(info.title)}</h1>
<p>${escapeHtml(info.description)}</p>
<p>Ask ${escapeHtml(options.siteName)} for an API key. The machine-readable description: <a href="${escapeHtml(API_PREFIX)}/openapi.json">OpenAPI document</a>.</p>
<h2>Endpoints</h2>
<ul>${toc.join('')}</ul>
${sections.join('\n')}
</main>
</body>
</html>`;
}
