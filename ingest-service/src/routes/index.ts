/**
 * Every route plugin of the API, registered in this one place: a new group of routes is a file in
 * this folder and one line here. Routes reach the service's parts through the decorations of
 * `plugins/` (`app.database`, `app.live`, `app.pipeline`, …) and guard themselves with
 * `app.requireKey(role)`.
 */
import type { FastifyInstance } from 'fastify';
import adminKeyRoutes from './admin-keys.ts';
import alertRoutes from './alerts.ts';
import backupRoutes from './backup.ts';
import briefingRoutes from './briefings.ts';
import ingestRoutes from './ingest.ts';
import issueRoutes from './issues.ts';
import opsRoutes from './ops.ts';
import peopleRoutes from './people.ts';
import planRoutes from './plans.ts';
import readRoutes from './read.ts';
import replayRoutes from './replay.ts';
import responsibilityRoutes from './responsibility.ts';
import sessionRoutes from './session.ts';

export default async function routes(app: FastifyInstance) {
  await app.register(ingestRoutes);
  await app.register(readRoutes, { city: app.config.city });
  await app.register(briefingRoutes);
  await app.register(replayRoutes);
  await app.register(responsibilityRoutes);
  await app.register(planRoutes);
  await app.register(opsRoutes);
  await app.register(backupRoutes);
  await app.register(sessionRoutes);
  await app.register(peopleRoutes);
  await app.register(issueRoutes);
  await app.register(adminKeyRoutes);
  await app.register(alertRoutes);
}
