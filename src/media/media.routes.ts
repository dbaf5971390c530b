/**
 * Admin API for the media library: upload (multipart/form-data, one file in a
 * field named "file", optional alt/caption/credit fields before it), list and
 * search, one item, edit its alt text, caption and credit, and where it is used.
 * HTTP only: parse, authorize, call, respond.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import multipart from '@fastify/multipart';
import type { AdminGuard } from '../accounts/guard.js';
import { AppError, Invalid } from '../shared/errors.js';
import { ACCEPTED_FORMATS } from './images.js';
import { TEXT_LIMITS, type MediaService } from './media.service.js';

export class UploadTooLarge extends AppError {
  readonly status = 413;
  readonly code = 'too_large';
  constructor(maxBytes: number) {
    super(`This file is larger than the ${formatMb(maxBytes)} upload limit: make the image smaller and try again`);
  }
}

function formatMb(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
}

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const ListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
  perPage: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
});
const TextPatch = Type.Object(
  {
    alt: Type.Optional(Type.String({ maxLength: TEXT_LIMITS.alt })),
    caption: Type.Optional(Type.String({ maxLength: TEXT_LIMITS.caption })),
    credit: Type.Optional(Type.String({ maxLength: TEXT_LIMITS.credit })),
  },
  { additionalProperties: false, minProperties: 1 },
);

export interface MediaRoutesDeps {
  media: MediaService;
  guard: AdminGuard;
  maxBytes: number;
}

export async function registerMediaRoutes(app: FastifyInstance, deps: MediaRoutesDeps): Promise<void> {
  const { media, guard, maxBytes } = deps;
  // Encapsulated: multipart bodies are understood by the upload route only.
  await app.register(async (scope) => {
    await scope.register(multipart, {
      limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 10_000, parts: 12, headerPairs: 100 },
      throwFileSizeLimit: true,
    });

    scope.post('/api/admin/media', { preHandler: guard.requireStaff('media.upload'), config: { adminUpload: true } }, async (request, reply) => {
      // A body announced as larger than the limit (plus room for the form's own lines) is refused before it is read.
      const declared = Number(request.headers['content-length'] ?? NaN);
      if (Number.isFinite(declared) && declared > maxBytes + 64 * 1024) throw new UploadTooLarge(maxBytes);
      if (!request.isMultipart()) throw new Invalid(`Send the image as multipart/form-data, in a field named "file"`);

      const file = await request.file();
      if (!file || file.fieldname !== 'file') throw new Invalid(`Send the image in a form field named "file" (${ACCEPTED_FORMATS})`, [{ path: '/file', message: 'required' }]);
      let data: Buffer;
      try {
        data = await file.toBuffer();
      } catch (error) {
        if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE' || file.file.truncated) throw new UploadTooLarge(maxBytes);
        throw error;
      }
      if (data.length === 0) throw new Invalid('The file is empty', [{ path: '/file', message: 'empty' }]);
      const field = (name: string): string | undefined => {
        const entry = file.fields[name];
        const one = Array.isArray(entry) ? entry[0] : entry;
        return one && one.type === 'field' && typeof one.value === 'string' ? one.value : undefined;
      };
      const { row, created } = await media.upload({
        data,
        filename: file.filename ?? '',
        uploadedBy: request.staff!.user.id,
        alt: field('alt'),
        caption: field('caption'),
        credit: field('credit'),
      });
      return reply.code(created ? 201 : 200).send({ media: media.toItem(row), duplicate: !created });
    });
  });

  app.get<{ Querystring: Static<typeof ListQuery> }>(
    '/api/admin/media',
    { preHandler: guard.requireStaff('media.view'), schema: { querystring: ListQuery } },
    async (request) => media.list(request.query),
  );

  app.get<{ Params: Static<typeof IdParams> }>(
    '/api/admin/media/:id',
    { preHandler: guard.requireStaff('media.view'), schema: { params: IdParams } },
    async (request) => ({ media: media.toItem(await media.get(request.params.id)) }),
  );

  app.patch<{ Params: Static<typeof IdParams>; Body: Static<typeof TextPatch> }>(
    '/api/admin/media/:id',
    { preHandler: guard.requireStaff('media.edit'), schema: { params: IdParams, body: TextPatch } },
    async (request) => {
      const staff = request.staff!;
      const row = await media.get(request.params.id);
      staff.assert('media.edit', { ownsResource: row.uploaded_by !== null && row.uploaded_by === staff.user.id });
      return { media: media.toItem(await media.updateText(row.id, request.body)) };
    },
  );

  app.get<{ Params: Static<typeof IdParams> }>(
    '/api/admin/media/:id/usage',
    { preHandler: guard.requireStaff('media.view'), schema: { params: IdParams } },
    async (request) => ({ articles: await media.usage(request.params.id) }),
  );
}
