/**
 * Periodic work, run on the leader only (one instance across the deployment): the overdue clock,
 * and the embedded nightly (SPEC §10) when a job is given and NIGHTLY_CRON is not `off`.
 */
import fp from 'fastify-plugin';
import { CLOCK_TICK_MS } from '../config.ts';
import { OverdueClock } from '../live/clock.ts';
import { openRunLock } from '../ops/run-lock.ts';
import { NightlyScheduler, type NightlyJob } from '../ops/scheduler.ts';
import { STATE_PLUGINS } from './dependencies.ts';

export interface Scheduler {
  clock: OverdueClock;
  /** null when no job was given or NIGHTLY_CRON is `off` */
  nightly: NightlyScheduler | null;
}

declare module 'fastify' {
  interface FastifyInstance {
    scheduler: Scheduler;
  }
}

export interface SchedulerPluginOptions {
  /** the nightly job (it lives in `scripts/`): given, the embedded scheduler runs it */
  nightly?: NightlyJob | undefined;
}

export default fp(
  async (app, opts: SchedulerPluginOptions) => {
    const { database, live, registry, pipeline, cluster } = app;
    const { pack, now, nightlyCron, dataDir } = app.config;
    const clock = new OverdueClock({
      live,
      districts: [...registry.districtCodes],
      timezone: pack.timezone,
      tickMs: CLOCK_TICK_MS,
      now,
      onError: (err) => app.log.error({ err }, 'overdue clock failed'),
    });
    const runLock = openRunLock({ database, redisUrl: app.redis?.url, namespace: app.config.redisNamespace });
    const nightly =
      opts.nightly && nightlyCron !== 'off'
        ? new NightlyScheduler({
            job: opts.nightly,
            lock: runLock.lock,
            ...(nightlyCron ? { pattern: nightlyCron } : {}),
            context: {
              database,
              city: registry.city,
              districts: [...registry.districts.values()].map(({ adcode, name }) => ({ adcode, name })),
              live,
              pipeline,
              dataDir,
              now,
              log: (line) => app.log.info(line),
            },
            onError: (err) => app.log.error({ err }, 'nightly failed'),
          })
        : null;

    const follow = (leader: boolean) => {
      if (leader) {
        clock.start();
        nightly?.start();
      } else {
        clock.stop();
        void nightly?.stop();
      }
    };
    cluster.leadership.on('change', follow);
    app.decorate('scheduler', { clock, nightly });
    app.addHook('onClose', async () => {
      cluster.leadership.off('change', follow);
      clock.stop();
      await nightly?.stop();
      await runLock.close();
    });
  },
  {
    name: 'dudao-scheduler',
    fastify: '5.x',
    dependencies: [...STATE_PLUGINS, 'dudao-pipeline', 'dudao-cluster'],
  },
);
