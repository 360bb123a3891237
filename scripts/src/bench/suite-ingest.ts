/**
 * SPEC §11 rows 1–3 on one backend (PostgreSQL + Redis, or the embedded defaults), and the
 * baselines they are measured against (PostgreSQL COPY of the same rows, Fastify's hello world).
 */
import { cityPackById } from '@dudao/domain/cities';
import { EventStream } from './events.ts';
import { batchedIngest, copyBaseline, endToEndLatency, helloWorldRate, singleEventRate } from './ingest.ts';
import { step, timedStep } from './progress.ts';
import { createBenchDatabase, startProcess, startService, BENCH_CITY, type Backend } from './stack.ts';
import { fmt, ratio, met, type Row } from './report.ts';

const HELLO_SCRIPT = new URL('./hello-process.ts', import.meta.url).pathname;
const BATCH_SIZE = 1000;
const MINUTE_MS = 60_000;

export interface IngestSizes {
  batchedEvents: number;
  /** autocannon: seconds per run and connections (the same for hello world and ingest) */
  cannonSeconds: number;
  connections: number;
  latencyRate: number;
  /** events per request of the latency run: a district system's small batches */
  latencyPerRequest: number;
  latencySeconds: number;
}

export interface Baselines {
  copyEventsPerSec: number;
  helloRequestsPerSec: number;
}

/** The baselines, each on a fresh database or process, before any ingest load. */
export async function measureBaselines(databaseUrl: string, sizes: IngestSizes): Promise<Baselines> {
  const { db } = await createBenchDatabase('postgres', databaseUrl);
  const s1 = step(`baseline: PostgreSQL COPY of ${fmt(sizes.batchedEvents)} event rows`);
  const copy = await copyBaseline(db.env.DATABASE_URL!, new EventStream('bench-b'), {
    total: sizes.batchedEvents,
    at: (i) => Date.now() - MINUTE_MS * 60 + i,
  });
  s1.done(`${fmt(copy.eventsPerSec)} rows/s`);
  await db.drop();

  const hello = await startProcess({}, HELLO_SCRIPT);
  const s2 = timedStep(
    `baseline: Fastify hello world, ${sizes.connections} connections`,
    sizes.cannonSeconds,
  );
  const rate = await helloWorldRate(hello.url, sizes.connections, sizes.cannonSeconds, s2.tick);
  s2.done(`${fmt(rate.requestsPerSec)} req/s`);
  await hello.stop();
  return { copyEventsPerSec: copy.eventsPerSec, helloRequestsPerSec: rate.requestsPerSec };
}

const LABEL: Record<Backend, string> = {
  postgres: 'PostgreSQL + Redis',
  embedded: 'embedded (PGlite, in-process)',
};

export async function ingestSuite(
  backend: Backend,
  env: { databaseUrl: string | undefined; redisUrl: string | undefined },
  sizes: IngestSizes,
  base: Baselines,
): Promise<Row[]> {
  const label = LABEL[backend];
  const districts = cityPackById(BENCH_CITY).districts.map((d) => d.adcode);
  const { db, keys } = await createBenchDatabase(backend, env.databaseUrl);
  const service = await startService(db, backend === 'postgres' ? env.redisUrl : undefined);
  const target = { url: service.url, key: keys.ingest };
  try {
    const s1 = step(`${label}: batched ingest, ${fmt(sizes.batchedEvents)} events`);
    const batched = await batchedIngest(target, new EventStream('bench-b'), {
      total: sizes.batchedEvents,
      batchSize: BATCH_SIZE,
      at: (i) => Date.now() - MINUTE_MS * 60 + i,
      onProgress: s1.update,
    });
    s1.done(`${fmt(batched.eventsPerSec)} events/s`);

    const s2 = timedStep(
      `${label}: single-event ingest, ${sizes.connections} connections`,
      sizes.cannonSeconds,
    );
    const single = await singleEventRate(
      target,
      new EventStream('bench-s'),
      sizes.connections,
      sizes.cannonSeconds,
      s2.tick,
    );
    s2.done(`${fmt(single.requestsPerSec)} req/s (non-2xx ${single.non2xx}, errors ${single.errors})`);

    const pace = `${fmt(sizes.latencyRate)} events/s in requests of ${sizes.latencyPerRequest}`;
    const s3 = step(`${label}: event → client, ${pace}`);
    const e2e = await endToEndLatency(
      { ...target, viewerKey: keys.viewer, districts },
      new EventStream('bench-l'),
      {
        rate: sizes.latencyRate,
        perRequest: sizes.latencyPerRequest,
        seconds: sizes.latencySeconds,
        onProgress: s3.update,
      },
    );
    s3.done(
      `p50 ${fmt(e2e.p50Ms, 1)} ms, p99 ${fmt(e2e.p99Ms, 1)} ms (${e2e.seen}/${e2e.sent} seen, ${e2e.failed} failed)`,
    );

    const tag = backend === 'postgres' ? '' : ' — embedded';
    return [
      {
        what: `1. batched ingest${tag}`,
        // batchedIngest throws unless every request answered 200 and every event was accepted
        value: `${fmt(batched.eventsPerSec)} events/s (100 % accepted, 0 failed)`,
        target: '≥ 50,000 events/s, ≥ 0.5 × COPY',
        baseline: `COPY ${fmt(base.copyEventsPerSec)} rows/s`,
        ratio: ratio(batched.eventsPerSec, base.copyEventsPerSec),
        met: met(batched.eventsPerSec >= 50_000 && batched.eventsPerSec >= 0.5 * base.copyEventsPerSec),
      },
      {
        what: `2. single-event ingest${tag}`,
        value: `${fmt(single.requestsPerSec)} req/s (${fmt(single.non2xx + single.errors)} failed)`,
        target: '≥ 5,000 req/s, ≥ 0.4 × hello world',
        baseline: `hello world ${fmt(base.helloRequestsPerSec)} req/s`,
        ratio: ratio(single.requestsPerSec, base.helloRequestsPerSec),
        met: met(
          single.requestsPerSec >= 5_000 &&
            single.requestsPerSec >= 0.4 * base.helloRequestsPerSec &&
            single.non2xx === 0,
        ),
      },
      {
        what: `3. event → client, ${pace}${tag}`,
        value: `p50 ${fmt(e2e.p50Ms, 1)} ms, p99 ${fmt(e2e.p99Ms, 1)} ms (${fmt((100 * e2e.seen) / e2e.sent, 1)} % seen, ${fmt(e2e.failed)} failed)`,
        target: 'p50 ≤ 50 ms, p99 ≤ 150 ms',
        baseline: '—',
        ratio: '—',
        // A feed push carries the newest FEED_PUSH_LOOKBACK items of a scope: in a burst a few older
        // ones are not pushed (the wall shows the newest anyway), so latency is over those seen.
        met: met(e2e.p50Ms <= 50 && e2e.p99Ms <= 150),
      },
    ];
  } finally {
    await service.stop();
    await db.drop();
  }
}
