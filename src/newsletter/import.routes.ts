/**
 * Admin API for subscriber CSV imports (`newsletter.manage`: editors and up).
 * HTTP only: the rules are in import.service.ts.
 *
 *   POST /api/admin/subscribers/imports       multipart/form-data: `file` (the CSV), `newsletters`
 *                                             (slugs or ids, repeated or comma-separated), `consent`
 *                                             (yes: required), optional `emailColumn`, `nameColumn`,
 *                                             `header` (yes/no), `delimiter`, `mode` (subscribed, the default, or
 *                                             pending: confirm by email) → 202 with the import
 *   GET  /api/admin/subscribers/imports       the 20 newest imports
 *   GET  /api/admin/subscribers/imports/:id   one import's progress and report
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import multipart from '@fastify/multipart';
import { ADMIN_PREFIX, type AdminGuard } from '../accounts/guard.js';
import { AppError, Invalid } from '../shared/errors.js';
import { IMPORT_MAX_BYTES, type ImportView, type SubscriberImports } from './import.service.js';

export class ImportTooLarge extends AppError {
  readonly status = 413;
  readonly code = 'too_large';
  constructor(maxBytes: number) {
    super(`This file is larger than the ${Math.round(maxBytes / (1024 * 1024))} MB import limit: split it, or import it with \`broadsheet subscribers import\` on the server`);
  }
}

export interface ImportRoutesDeps {
  imports: SubscriberImports;
  guard: AdminGuard;
  maxBytes?: number;
}

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });
const Column = Type.Object({ number: Type.Integer(), header: Type.Union([Type.String(), Type.Null()]) });
const ReportLine = Type.Object({ line: Type.Integer(), reason: Type.String() });
export const ImportJson = Type.Object({
  id: Type.Integer(),
  status: Type.Union([Type.Literal('queued'), Type.Literal('running'), Type.Literal('done'), Type.Literal('failed')]),
  filename: Type.String(),
  importer: Type.String(),
  newsletters: Type.Array(Type.Object({ id: Type.Integer(), slug: Type.String(), name: Type.String() })),
  encoding: Type.String(),
  delimiter: Type.String(),
  header: Type.Boolean(),
  emailColumn: Column,
  nameColumns: Type.Array(Column),
  totalRows: Type.Union([Type.Integer(), Type.Null()]),
  processedRows: Type.Integer(),
  created: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  duplicates: Type.Integer(),
  skipped: Type.Integer(),
  invalid: Type.Integer(),
  invalidRows: Type.Array(ReportLine),
  skippedRows: Type.Array(ReportLine),
  error: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  startedAt: Type.Union([Type.String(), Type.Null()]),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
});

const FIELDS = ['newsletters', 'consent', 'emailColumn', 'nameColumn', 'header', 'delimiter', 'mode'] as const;
type FieldName = (typeof FIELDS)[number];

/** yes/no answers as forms and scripts send them. */
function yesNo(value: string | undefined, path: string): boolean | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const v = value.trim().toLowerCase();
  if (['yes', 'true', 'on', '1'].includes(v)) return true;
  if (['no', 'false', 'off', '0'].includes(v)) return false;
  throw new Invalid(`${path.slice(1)} must be yes or no`, [{ path, message: 'yes or no' }]);
}

/** `subscribed` (the default: the importer's assertion is the consent) or `pending` (each reader confirms by email). */
function importMode(value: string | undefined): boolean {
  const v = (value ?? '').trim().toLowerCase();
  if (v === '' || v === 'subscribed') return false;
  if (v === 'pending') return true;
  throw new Invalid('mode must be subscribed or pending', [{ path: '/mode', message: 'subscribed or pending' }]);
}

export async function registerImportRoutes(app: FastifyInstance, deps: ImportRoutesDeps): Promise<void> {
  const { imports, guard } = deps;
  const maxBytes = deps.maxBytes ?? IMPORT_MAX_BYTES;
  const base = `${ADMIN_PREFIX}/subscribers/imports`;
  const access = guard.requireStaff('newsletter.manage');

  // Encapsulated: multipart bodies are understood by the upload route only.
  await app.register(async (scope) => {
    await scope.register(multipart, {
      limits: { fileSize: maxBytes, files: 1, fields: 20, fieldSize: 10_000, parts: 22, headerPairs: 100 },
      throwFileSizeLimit: true,
    });

    scope.post(base, { preHandler: access, config: { adminUpload: true }, schema: { tags: ['subscribers'], response: { 202: ImportJson } } }, async (request, reply) => {
      const declared = Number(request.headers['content-length'] ?? NaN);
      if (Number.isFinite(declared) && declared > maxBytes + 64 * 1024) throw new ImportTooLarge(maxBytes);
      if (!request.isMultipart()) throw new Invalid('Send the CSV as multipart/form-data, in a field named "file"', [{ path: '/file', message: 'required' }]);

      const fields = new Map<FieldName, string[]>();
      let file: { filename: string; data: Buffer } | undefined;
      try {
        for await (const part of request.parts()) {
          if (part.type === 'file') {
            if (part.fieldname !== 'file') {
              part.file.resume();
              throw new Invalid(`Send the CSV in a field named "file", not "${part.fieldname.slice(0, 50)}"`, [{ path: '/file', message: 'required' }]);
            }
            file = { filename: part.filename ?? '', data: await part.toBuffer() };
          } else if ((FIELDS as readonly string[]).includes(part.fieldname)) {
            const name = part.fieldname as FieldName;
            fields.set(name, [...(fields.get(name) ?? []), String(part.value)]);
          } else {
            throw new Invalid(`Unknown field "${part.fieldname.slice(0, 50)}"`, [{ path: `/${part.fieldname.slice(0, 50)}`, message: 'unknown field' }]);
          }
        }
      } catch (error) {
        if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw new ImportTooLarge(maxBytes);
        throw error;
      }
      const one = (name: FieldName) => fields.get(name)?.[0];
      // Consent first: without it nothing else matters.
      const consent = yesNo(one('consent'), '/consent');
      if (!file) {
        if (consent !== true) throw new Invalid('Confirm that everyone in this file agreed to receive these newsletters (consent: yes)', [{ path: '/consent', message: 'required' }]);
        throw new Invalid('Send the CSV in a form field named "file"', [{ path: '/file', message: 'required' }]);
      }
      const delimiter = one('delimiter');
      const pending = importMode(one('mode'));
      const view = await imports.create({
        filename: file.filename,
        data: file.data,
        newsletters: fields.get('newsletters') ?? [],
        consent: consent === true,
        mapping: {
          emailColumn: one('emailColumn'),
          nameColumn: one('nameColumn'),
          header: yesNo(one('header'), '/header'),
          delimiter: delimiter === 'tab' || delimiter === '\\t' ? '\t' : delimiter || undefined,
        },
        importer: { userId: request.staff!.user.id, label: `${request.staff!.user.name} <${request.staff!.user.email}>` },
        pending,
      });
      return reply.code(202).header('location', `${base}/${view.id}`).send(view);
    });
  });

  app.get(base, {
    preHandler: access,
    schema: { tags: ['subscribers'], response: { 200: Type.Object({ items: Type.Array(ImportJson) }) } },
    handler: async () => ({ items: await imports.recent() }),
  });
  app.get(`${base}/:id`, {
    preHandler: access,
    schema: { tags: ['subscribers'], params: IdParams, response: { 200: ImportJson } },
    handler: async (request): Promise<ImportView> => imports.get((request.params as Static<typeof IdParams>).id),
  });
}
