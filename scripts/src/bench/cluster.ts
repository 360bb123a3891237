/**
 * Beyond one machine's process (issue 13): three instances of the service behind one PostgreSQL and
 * one Redis, next to one instance, in the same run. Batched ingest: the same number of events, the
 * load spread evenly over the instances (each its own client, 4 requests in flight, as row 1).
 * Fan-out across instances is measured by the fan-out suite (`fanoutSuite`, 3 instances).
 */
import { EventStream } from './events.ts';
import { batchedIngest } from './ingest.ts';
import { step } from './progress.ts';
import { fmt, ratio, type Row } from './report.ts';
import { createBenchDatabase, startInstances } from './stack.ts';

export const CLUSTER_INSTANCES = 3;

async function spreadIngest(databaseUrl: string, redisUrl: string, instances: number, events: number) {
  const { db, keys } = await createBenchDatabase('postgres', databaseUrl);
  const services = await startInstances(db, redisUrl, instances);
  try {
    const s = step(`cluster: ${fmt(events)} events batched over ${instances} instance(s)`);
    const per = Math.floor(events / instances);
    const from = Date.now() - 3_600_000;
    let done = 0;
    const results = await Promise.all(
      services.map((service, i) =>
        batchedIngest({ url: service.url, key: keys.ingest }, new EventStream(`bench-c${instances}-${i}`), {
          total: per,
          batchSize: 1000,
          at: (j) => from + j,
          onProgress: () => s.update(++done, Math.ceil(per / 1000) * instances),
        }),
      ),
    );
    const accepted = results.reduce((n, r) => n + r.accepted, 0);
    const failed = results.reduce((n, r) => n + r.failed, 0);
    // each client's clock starts once its bodies are built: the slowest one bounds the run
    const seconds = Math.max(...results.map((r) => r.seconds));
    const eventsPerSec = accepted / seconds;
    s.done(`${fmt(eventsPerSec)} events/s (${fmt(accepted)} accepted)`);
    return { eventsPerSec, accepted, failed, events: per * instances };
  } finally {
    await Promise.all(services.map((service) => service.stop()));
    await db.drop();
  }
}

export async function clusterIngestSuite(
  databaseUrl: string,
  redisUrl: string,
  opts: { events: number },
): Promise<Row[]> {
  const one = await spreadIngest(databaseUrl, redisUrl, 1, opts.events);
  const many = await spreadIngest(databaseUrl, redisUrl, CLUSTER_INSTANCES, opts.events);
  const seen = (r: { accepted: number; failed: number; events: number }) =>
    `${fmt((100 * r.accepted) / r.events, 1)} % accepted, ${fmt(r.failed)} failed`;
  return [
    {
      what: `1. batched ingest, ${CLUSTER_INSTANCES} instances behind one Redis`,
      value: `${fmt(many.eventsPerSec)} events/s (${fmt(many.events)} events, ${seen(many)})`,
      target: '— (scale-out; SPEC §11 is per machine)',
      baseline: `1 instance ${fmt(one.eventsPerSec)} events/s (${seen(one)})`,
      ratio: ratio(many.eventsPerSec, one.eventsPerSec),
      met: '—',
    },
  ];
}
