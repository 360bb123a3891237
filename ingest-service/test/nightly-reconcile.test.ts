/**
 * SPEC §10 reconciliation: the live store rebuilt from the database reports the counters it had
 * wrong, and a rebuild while ingest goes on loses and double-counts nothing (live == database at the
 * end, no drift seen in between) — on this process's store and, with Redis, from another process's
 * view of the same store (the CLI's case).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireServiceUrl, ev, HT, TY } from '@dudao/testkit';
import { startTestService, type TestService } from '../testing/index.ts';
import { composeMetrics, COUNTER_FIELD, countersAt, emptyCounters, flattenMetrics } from '@dudao/domain';
import { loadLiveImage } from '@dudao/db';
import { createLiveStore } from '../src/live/index.ts';
import { reconcileLiveStore, type Drift } from '../src/ops/reconcile.ts';
import { testNamespace } from '@dudao/testkit/redis';

let svc: TestService;
const DISTRICTS = [TY, HT];
const NAMESPACE = testNamespace('reconcile');

const deps = (s: TestService) => ({
  database: s.database,
  live: s.server.live,
  pipeline: s.server.pipeline,
  cityAdcode: s.server.registry.city.adcode,
  timezone: s.server.registry.city.timezone,
  now: Date.now,
  districts: DISTRICTS,
});

/** The live store's metrics and the database's, district by district, at one instant. */
async function bothSides(s: TestService) {
  const now = Date.now();
  const image = await loadLiveImage(s.database, { timezone: 'Asia/Shanghai', now });
  const { counters } = await s.server.live.read(DISTRICTS, now);
  return DISTRICTS.map((d) => ({
    live: flattenMetrics(composeMetrics(counters.get(d) ?? emptyCounters())),
    database: flattenMetrics(composeMetrics(countersAt(image.get(d), now, 'Asia/Shanghai'))),
  }));
}

const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
const deadlineIn = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();

beforeAll(async () => {
  svc = await startTestService({ redisNamespace: NAMESPACE });
  const res = await svc.post([
    ev.started(at(30), { inspectionId: 'R1-insp' }),
    ev.raised(at(20), deadlineIn(48), { issueId: 'R1-issue' }),
    ev.complaint(at(10), { complaintId: 'R1-complaint' }),
  ]);
  expect(res.body.rejected).toEqual([]);
});
afterAll(() => svc.close());

describe('SPEC §10 reconciliation', () => {
  it('an untouched store has no drift', async () => {
    expect((await reconcileLiveStore(deps(svc))).drift).toEqual([]);
  });

  it('a counter corrupted on purpose is reported per metric, then repaired', async () => {
    await svc.server.live.apply(
      [
        { op: 'incr', district: TY, bucket: 'total', field: COUNTER_FIELD.open, by: 5 },
        { op: 'incr', district: HT, bucket: 'total', field: COUNTER_FIELD.complaintsReceived, by: 2 },
      ],
      [],
    );
    const { drift } = await reconcileLiveStore(deps(svc));
    const lines = (d: Drift) => `${d.district} ${d.metric} ${d.live}→${d.database}`;
    expect(drift.map(lines).sort()).toEqual(
      [`${HT} complaints.open 2→0`, `${HT} complaints.received 2→0`, `${TY} issues.open 6→1`].sort(),
    );
    expect((await reconcileLiveStore(deps(svc))).drift).toEqual([]);
    for (const side of await bothSides(svc)) expect(side.live).toEqual(side.database);
  });

  it('a rebuild during ingest loses nothing and counts nothing twice', async () => {
    const posts: Promise<unknown>[] = [];
    const drifts: Drift[][] = [];
    // Requests keep arriving while three reconciliations run among them.
    for (let i = 0; i < 30; i++) {
      posts.push(
        svc.post([
          ev.started(at(5), { inspectionId: `C${i}-insp` }),
          ev.raised(at(4), deadlineIn(1), { issueId: `C${i}-issue` }),
          ev.complaint(at(3), { complaintId: `C${i}-complaint`, district: i % 2 ? HT : TY }),
        ]),
      );
      if (i % 10 === 5) drifts.push((await reconcileLiveStore(deps(svc))).drift);
    }
    const results = (await Promise.all(posts)) as { body: { accepted: number } }[];
    expect(results.every((r) => r.body.accepted === 3)).toBe(true);
    expect(drifts).toEqual([[], [], []]);
    for (const side of await bothSides(svc)) expect(side.live).toEqual(side.database);
    expect((await svc.metrics(TY)).metrics.inspections.total).toBe(31);
  });

  it.runIf(!!requireServiceUrl('REDIS_URL'))(
    'with Redis, another process (the CLI) reconciles the shared store while this one ingests',
    async () => {
      const other = createLiveStore({
        redisUrl: svc.redisUrl,
        cityAdcode: '430200',
        timezone: 'Asia/Shanghai',
        namespace: NAMESPACE,
      });
      try {
        await svc.server.live.apply(
          [{ op: 'incr', district: TY, bucket: 'total', field: COUNTER_FIELD.closed, by: 1 }],
          [],
        );
        const cli = {
          ...deps(svc),
          live: other,
          pipeline: { runExclusive: (task: () => Promise<void>) => task() },
        };
        const posts = Array.from({ length: 20 }, (_, i) =>
          svc.post([ev.started(at(2), { inspectionId: `D${i}-insp` })]),
        );
        const { drift } = await reconcileLiveStore(cli);
        await Promise.all(posts);
        expect(drift.map((d) => `${d.district} ${d.metric}`)).toContain(`${TY} issues.closed`);
        for (const side of await bothSides(svc)) expect(side.live).toEqual(side.database);
      } finally {
        await other.close();
      }
    },
  );
});
