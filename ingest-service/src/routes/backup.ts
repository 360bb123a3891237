/**
 * `GET /api/v1/admin/backup` (admin key): the embedded database's files as a gzipped tar, taken
 * between two ingest groups. PGlite's files belong to the running service (a second process may
 * not open them), so `pnpm backup` asks the service for them. On PostgreSQL, `pg_dump` does this.
 */
import type { FastifyInstance } from 'fastify';
import { HttpError } from '../plugins/errors.ts';

export default async function backupRoutes(app: FastifyInstance) {
  app.get('/api/v1/admin/backup', { onRequest: app.requireKey('admin') }, async (_request, reply) => {
    const dumpFiles = app.database.dumpFiles;
    if (!dumpFiles)
      throw new HttpError(409, 'not_embedded', 'this service runs on PostgreSQL: back it up with pg_dump');
    let archive: Blob | undefined;
    await app.pipeline.runExclusive(async () => {
      archive = await dumpFiles();
    });
    const bytes = Buffer.from(await archive!.arrayBuffer());
    return reply
      .type('application/gzip')
      .header('content-disposition', 'attachment; filename="dudao-pglite.tar.gz"')
      .send(bytes);
  });
}
