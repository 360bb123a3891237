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

/**
 * Rows 1 and 2 against one running service: batched, then single-event ingest. `round` keeps the
 * event ids of a second measurement on the same service apart from the first's.
 */
async function ingestRates(
  label: string,
  target: { url: string; key: string },
  sizes: IngestSizes,
  round = '',
) {
  const s1 = step(`${label}: batched ingest, ${fmt(sizes.batchedEvents)} events`);
  const batched = await batchedIngest(target, new EventStream(`bench-b${round}`), {
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
    new EventStream(`bench-s${round}`),
    sizes.connections,
    sizes.cannonSeconds,
    s2.tick,
  );
  s2.done(`${fmt(single.requestsPerSec)} req/s (non-2xx ${single.non2xx}, errors ${single.errors})`);
  return { batched, single };
}

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
  let rows: Row[];
  try {
    const { batched, single } = await ingestRates(label, target, sizes);

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
    rows = [
      {
        what: `1. batched ingest${tag}`,
        // batchedIngest throws unless every event was accepted in the end (503s retried, counted)
        value: `${fmt(batched.eventsPerSec)} events/s (100 % accepted, ${fmt(batched.failed)} failed)`,
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
  if (backend === 'embedded') rows.push(...(await durableCommitCost(sizes)));
  return rows;
}

/**
 * What durable commits cost on PGlite (SPEC §5; `db/src/pglite-durability.ts`): rows 1 and 2 (half
 * the batch) on two fresh embedded databases at once, one service as it runs, one answering without
 * the fdatasync of the WAL (`BENCH_WAL_SYNC=off`, the bench's baseline only). Measured in the order
 * synced, not synced, not synced, synced, and each side's two rounds averaged, so the machine's
 * load drifting during the step weighs on both alike.
 */
async function durableCommitCost(sizes: IngestSizes): Promise<Row[]> {
  const pairSizes = { ...sizes, batchedEvents: Math.round(sizes.batchedEvents / 2) };
  const sides: { label: string; env: Record<string, string> }[] = [
    { label: 'embedded, WAL synced', env: {} },
    { label: 'embedded, WAL not synced', env: { BENCH_WAL_SYNC: 'off' } },
  ];
  const started = await Promise.all(
    sides.map(async (side) => {
      const { db, keys } = await createBenchDatabase('embedded', undefined);
      const service = await startService(db, undefined, { env: side.env });
      return { ...side, db, service, target: { url: service.url, key: keys.ingest }, rates: [] as Rates[] };
    }),
  );
  try {
    const [on, off] = started as [(typeof started)[0], (typeof started)[0]];
    for (const [round, side] of [on, off, off, on].entries()) {
      const { batched, single } = await ingestRates(side.label, side.target, pairSizes, `-${round}`);
      side.rates.push({ batched: batched.eventsPerSec, single: single.requestsPerSec });
    }
    const mean = (side: typeof on, key: keyof Rates) =>
      side.rates.reduce((sum, r) => sum + r[key], 0) / side.rates.length;
    const rounds = (side: typeof on, key: keyof Rates) => side.rates.map((r) => fmt(r[key])).join(' and ');
    const row = (what: string, key: keyof Rates, unit: string): Row => ({
      what: `durable commits (WAL fdatasync): ${what} — embedded`,
      value: `synced ${fmt(mean(on, key))} ${unit} (${rounds(on, key)})`,
      target: '— (the price of SPEC §5 on PGlite)',
      baseline: `not synced ${fmt(mean(off, key))} ${unit} (${rounds(off, key)})`,
      ratio: ratio(mean(on, key), mean(off, key)),
      met: '—',
    });
    return [row('batched ingest', 'batched', 'events/s'), row('single-event ingest', 'single', 'req/s')];
  } finally {
    for (const { service, db } of started) {
      await service.stop();
      await db.drop();
    }
  }
}

interface Rates {
  batched: number;
  single: number;
}
