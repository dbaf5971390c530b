/**
 * Serves the admin app (admin/, built into dist/admin by scripts/build-admin.mjs):
 * hashed files under /admin/assets/ cached for a year, and index.html for
 * /admin and every screen below it (the app routes in the browser), revalidated
 * on every load so a new release is picked up at once.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fastifyStatic from '@fastify/static';
import { projectRoot } from '../shared/paths.js';

export const adminDistDir = path.join(projectRoot, 'dist', 'admin');

const NOT_BUILT = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Admin not built</title>
<p>The admin app has not been built. Run <code>npm run build</code> (or <code>npm start</code>, which builds it).</p></html>`;

export async function registerAdminApp(app: FastifyInstance): Promise<void> {
  const indexFile = path.join(adminDistDir, 'index.html');
  // Kept in memory and re-read when the file changes (a rebuild while the server runs, in development or a
  // deploy that replaces dist/ before restarting): a stale page would name script files that no longer exist.
  let index: { text: string; mtimeMs: number } | undefined;
  const sendIndex = (reply: FastifyReply) => {
    const stat = fs.statSync(indexFile, { throwIfNoEntry: false });
    if (!stat) index = undefined;
    else if (!index || index.mtimeMs !== stat.mtimeMs) index = { text: fs.readFileSync(indexFile, 'utf8'), mtimeMs: stat.mtimeMs };
    return reply
      .code(index ? 200 : 503)
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('x-robots-tag', 'noindex, nofollow')
      .send(index?.text ?? NOT_BUILT);
  };

  await app.register(async (scope) => {
    await scope.register(fastifyStatic, {
      root: path.join(adminDistDir, 'assets'),
      prefix: '/admin/assets/',
      maxAge: '365d',
      immutable: true,
      index: false,
      decorateReply: false,
      // scripts/build-admin.mjs writes .br and .gz beside each file.
      preCompressed: true,
      // The folder may appear after start-up (built while the server runs in development).
      wildcard: true,
      allowedPath: () => fs.existsSync(adminDistDir),
    });
  });
  app.get('/admin', (_request, reply) => sendIndex(reply));
  app.get('/admin/*', (request, reply) => {
    // A missing file under /admin/assets/ is a 404, not the app (a stale tab asking for an old chunk).
    if (request.url.startsWith('/admin/assets/')) return reply.callNotFound();
    return sendIndex(reply);
  });
}
