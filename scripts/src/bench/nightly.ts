/**
 * SPEC §11 nightly: a month of history (1,000,000 events by default) ingested through the service on
 * PostgreSQL + Redis, then the nightly rollup of those days (issue 4's `rollupDays`) timed alone.
 */
import { localTime } from '@dudao/domain';
import { cityPackById } from '@dudao/domain/cities';
import { rollupDays } from '@dudao/db';
import { EventStream } from './events.ts';
import { batchedIngest } from './ingest.ts';
import { step } from './progress.ts';
import { fmt, met, type Row } from './report.ts';
import { BENCH_CITY, createBenchDatabase, startService } from './stack.ts';

const DAY_MS = 86_400_000;
const HISTORY_DAYS = 30;
/** Posted in slices, so the bodies of a million events never sit in memory at once. */
const SLICE_EVENTS = 100_000;
const TARGET_SECONDS = 30;

export async function nightlySuite(databaseUrl: string, redisUrl: string, events: number): Promise<Row[]> {
  const pack = cityPackById(BENCH_CITY);
  const { db, keys } = await createBenchDatabase('postgres', databaseUrl);
  try {
    const service = await startService(db, redisUrl);
    const stream = new EventStream('bench-n');
    // History ends a day ago: every event is in a closed day, as when the nightly runs.
    const to = Date.now() - DAY_MS;
    const from = to - HISTORY_DAYS * DAY_MS;
    const s1 = step(`nightly: ${fmt(events)} events of history (${HISTORY_DAYS} days)`);
    let rate = 0;
    try {
      for (let start = 0; start < events; start += SLICE_EVENTS) {
        const total = Math.min(SLICE_EVENTS, events - start);
        const r = await batchedIngest({ url: service.url, key: keys.ingest }, stream, {
          total,
          batchSize: 1000,
          at: (i) => from + Math.floor(((start + i) / events) * (to - from)),
          onProgress: (done) => s1.update(start + done, events),
        });
        rate = r.eventsPerSec;
      }
    } finally {
      await service.stop();
    }
    s1.done(`ingested (last slice ${fmt(rate)} events/s)`);

    const s2 = step(`nightly: rollup of ${HISTORY_DAYS + 1} days`);
    const database = await db.open();
    try {
      const fromDay = localTime(from, pack.timezone).day;
      const toDay = localTime(to, pack.timezone).day;
      const started = performance.now();
      const result = await rollupDays(database, { cityAdcode: pack.adcode, fromDay, toDay });
      const seconds = (performance.now() - started) / 1000;
      s2.done(`${fmt(seconds, 1)} s, ${fmt(result.rows)} rows`);
      return [
        {
          what: `6. nightly rollup of ${fmt(events)} events`,
          value: `${fmt(seconds, 1)} s (${HISTORY_DAYS + 1} days, ${fmt(result.rows)} rollup rows)`,
          target: `≤ ${TARGET_SECONDS} s for 1,000,000`,
          baseline: '—',
          ratio: '—',
          met: events >= 1_000_000 ? met(seconds <= TARGET_SECONDS) : '—',
        },
      ];
    } finally {
      await database.close();
    }
  } finally {
    await db.drop();
  }
}
