/**
 * `startServer`: the app (`buildApp`: database opened and migrated, city pack loaded, live store
 * filled from the database) listening for the API, Socket.IO and the dashboard on one port.
 */
import { buildApp, type AppOptions } from './app.ts';

export type StartOptions = AppOptions;

export type RunningServer = Awaited<ReturnType<typeof startServer>>;

export async function startServer(options: StartOptions) {
  const app = await buildApp(options);
  try {
    await app.listen({ port: options.port, host: options.host });
  } catch (err) {
    await app.close();
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;
  let closing: Promise<void> | null = null;
  return {
    app,
    url,
    port,
    database: app.database,
    live: app.live,
    registry: app.registry,
    pipeline: app.pipeline,
    clock: app.scheduler.clock,
    nightly: app.scheduler.nightly,
    leadership: app.cluster.leadership,
    health: app.health,
    rebuild: () => app.health.rebuild(),
    close: () => (closing ??= app.close()),
  };
}
