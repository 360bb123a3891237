/** Plans' live progress (SPEC §14): the board the plans routes and the sockets share. */
import fp from 'fastify-plugin';
import { PlanBoard } from '../plans/board.ts';
import { STATE_PLUGINS } from './dependencies.ts';

declare module 'fastify' {
  interface FastifyInstance {
    plans: PlanBoard;
  }
}

export default fp(
  async (app) => {
    const board = new PlanBoard({
      database: app.database,
      registry: app.registry,
      now: app.config.now,
      onError: (err) => app.log.error({ err }, 'counting plans failed'),
    });
    const stop = app.live.onChange(() => board.markDirty());
    app.decorate('plans', board);
    app.addHook('preClose', () => {
      stop();
      board.close();
    });
  },
  {
    name: 'dudao-plans',
    fastify: '5.x',
    dependencies: STATE_PLUGINS,
  },
);
