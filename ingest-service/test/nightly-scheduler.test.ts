/**
 * SPEC §10 scheduling and serving: the embedded scheduler runs the nightly for the days just ended at
 * 01:30 city time, one runner at a time across instances and processes (Redis key or PostgreSQL
 * advisory lock); the stored briefings are served at /api/v1/briefings to city viewer keys.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireServiceUrl, testClock } from '@dudao/testkit';
import { startTestService, type TestService, closeRedis, connectTestRedis } from '../testing/index.ts';
import { saveBriefing } from '@dudao/db';
import { DatabaseRunLock, openRunLock, REDIS_LOCK_TTL_MS, type RunLock } from '../src/ops/run-lock.ts';
import { runLockKey } from '../src/redis/keys.ts';
import {
  DEFAULT_NIGHTLY_CRON,
  NightlyScheduler,
  type NightlyContext,
  type NightlyRequest,
} from '../src/ops/scheduler.ts';
import { testNamespace } from '@dudao/testkit/redis';

const NAMESPACE = testNamespace('scheduler');
const clock = testClock('2026-11-27T01:30:00+08:00');
let svc: TestService;
let lock: ReturnType<typeof openRunLock>;

beforeAll(async () => {
  svc = await startTestService({ clock, redisNamespace: NAMESPACE });
  lock = openRunLock({ database: svc.database, redisUrl: svc.redisUrl, namespace: NAMESPACE });
});
afterAll(async () => {
  await lock.close();
  await svc.close();
});

/**
 * Every lock path runs in CI: the deployment's own (Redis when REDIS_URL is set), and the database
 * lock a deployment without Redis uses (a PostgreSQL advisory lock in the PostgreSQL pass, PGlite's
 * in the embedded one), whatever else the environment offers.
 */
const LOCK_KINDS = requireServiceUrl('REDIS_URL')
  ? (['redis', 'database'] as const)
  : (['database'] as const);
const lockOf = (kind: (typeof LOCK_KINDS)[number]): RunLock =>
  kind === 'redis' ? lock.lock : new DatabaseRunLock(svc.database);

function scheduler(job: (request: NightlyRequest) => Promise<void>, runLock: RunLock = lock.lock) {
  const context: NightlyContext = {
    database: svc.database,
    city: svc.server.registry.city,
    districts: [],
    live: svc.server.live,
    pipeline: svc.server.pipeline,
    dataDir: 'memory://',
    now: clock.now,
    log: () => {},
  };
  return new NightlyScheduler({
    lock: runLock,
    context,
    job: async (_ctx, request) => {
      await job(request);
      return { days: [request.toDay], drift: 0, briefings: [] };
    },
  });
}

describe('SPEC §10 the embedded scheduler', () => {
  it('fires at 01:30 city time', () => {
    const s = scheduler(async () => {});
    s.start();
    const next = s.nextRun()!;
    expect(DEFAULT_NIGHTLY_CRON).toBe('30 1 * * *');
    expect(
      new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', timeStyle: 'short' }).format(next),
    ).toBe('01:30');
    expect(next.getTime()).toBeGreaterThan(Date.now());
    return s.stop();
  });

  it('a scheduled run covers the last week up to yesterday, skipping days already done', async () => {
    const requests: NightlyRequest[] = [];
    const result = await scheduler(async (r) => void requests.push(r)).runScheduled();
    expect(result?.days).toEqual(['2026-11-26']);
    expect(requests).toEqual([{ fromDay: '2026-11-20', toDay: '2026-11-26', onlyMissing: true }]);
  });

  it.each(LOCK_KINDS)(
    'of two instances firing at once, one runs the job and the other skips it (%s lock)',
    async (kind) => {
      let runs = 0;
      let release = () => {};
      const gate = new Promise<void>((resolve) => (release = resolve));
      const job = async () => {
        runs += 1;
        await gate;
      };
      const [a, b] = [scheduler(job, lockOf(kind)), scheduler(job, lockOf(kind))];
      const first = a.runScheduled();
      await new Promise((r) => setTimeout(r, 50));
      expect(await b.runScheduled()).toBeNull();
      release();
      expect(await first).not.toBeNull();
      expect(runs).toBe(1);
      // Released: the next night runs again.
      expect(await b.runScheduled()).not.toBeNull();
      expect(runs).toBe(2);
    },
  );

  it.runIf(!!requireServiceUrl('REDIS_URL'))(
    'with Redis, a lock held by another process makes it skip',
    async () => {
      const other = connectTestRedis(svc.redisUrl!);
      try {
        const key = runLockKey(NAMESPACE, 'nightly:430200');
        await other.set(key, 'another-process', 'PX', REDIS_LOCK_TTL_MS, 'NX');
        let ran = false;
        expect(await scheduler(async () => void (ran = true)).runScheduled()).toBeNull();
        expect(ran).toBe(false);
        // Only the holder's token releases it: ours did not delete the other's key.
        expect(await other.get(key)).toBe('another-process');
        await other.del(key);
      } finally {
        await closeRedis(other);
      }
    },
  );

  it.runIf(!!requireServiceUrl('DATABASE_URL'))(
    'with PostgreSQL and no Redis, an advisory lock held by another session makes it skip',
    async () => {
      await svc.database.withSession(async (session) => {
        const { sql } = await import('drizzle-orm');
        await session.execute(sql`select pg_advisory_lock(hashtext('dudao:run:nightly:430200'))`);
        try {
          expect(await scheduler(async () => {}, lockOf('database')).runScheduled()).toBeNull();
        } finally {
          await session.execute(sql`select pg_advisory_unlock(hashtext('dudao:run:nightly:430200'))`);
        }
      });
    },
  );
});

describe('SPEC §10 GET /api/v1/briefings', () => {
  beforeAll(async () => {
    await saveBriefing(svc.database, {
      day: '2026-11-25',
      issueNo: 329,
      html: '<!doctype html><p>简报 329</p>',
    });
    await saveBriefing(svc.database, {
      day: '2026-11-26',
      issueNo: 330,
      html: '<!doctype html><p>简报 330</p>',
    });
  });

  it('lists the days, newest first, with where each is served', async () => {
    const res = await svc.get('/api/v1/briefings');
    expect(res.status).toBe(200);
    expect(
      res.body.briefings.map((b: { day: string; issueNo: number; path: string }) => [
        b.day,
        b.issueNo,
        b.path,
      ]),
    ).toEqual([
      ['2026-11-26', 330, '/api/v1/briefings/2026-11-26'],
      ['2026-11-25', 329, '/api/v1/briefings/2026-11-25'],
    ]);
  });

  it('serves one day as HTML, with ?token= as the other read routes', async () => {
    const res = await fetch(`${svc.url}/api/v1/briefings/2026-11-26?token=${svc.keys.viewer}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toContain('简报 330');
  });

  it('a district key may not read the city briefing; unknown and impossible days are refused', async () => {
    expect((await svc.get('/api/v1/briefings/2026-11-26', svc.keys.viewerTY)).status).toBe(403);
    expect((await svc.get('/api/v1/briefings', null)).status).toBe(401);
    expect((await svc.get('/api/v1/briefings/2026-11-24')).body.error).toBe('not_found');
    expect((await svc.get('/api/v1/briefings/2026-02-30')).status).toBe(400);
    expect((await svc.get('/api/v1/briefings/latest')).status).toBe(400);
  });
});
