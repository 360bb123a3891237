/**
 * `pnpm bench:export [--issues N]` — the ledger's export (SPEC §13) of a whole city in bounded
 * memory. Fills a fresh PostgreSQL database with N issues (default 100,000) through the service's
 * batch ingest, then, in a fresh service process, downloads the city ledger as CSV and as XLSX for
 * a tenth of the issues and for all of them, reading the service's resident memory (VmRSS from
 * /proc) every 20 ms while each download runs. Bounded means the rise over the idle service is
 * about the same for a tenth as for all. Needs DATABASE_URL; prints a table for docs/benchmarks.md.
 */
import { readFileSync } from 'node:fs';
import { get } from 'node:http';
import { Command } from 'commander';
import { sql } from 'drizzle-orm';
import type { ScratchDatabase } from '@dudao/db';
import { ISSUE_CATEGORIES, SEVERITIES, addDays, localTime } from '@dudao/domain';
import { cityPackById } from '@dudao/domain/cities';
import { runMain } from '../env.ts';
import { generateRegistry } from '../registry/generator.ts';
import { batchedIngest, type EventSource } from './ingest.ts';
import { fmt, machine, machineLoad, textTable, type Row } from './report.ts';
import { BENCH_CITY, createBenchDatabase, startService, type ServiceProcess } from './stack.ts';
import type { BenchEvent } from './events.ts';

const DAY_MS = 86_400_000;
/** The issues are raised over this many days up to now; the last tenth of them is the small export. */
const SPAN_DAYS = 50;
const SAMPLE_MS = 20;

/** `issue.raised` events only, as an inspector files them (description, 整改措施, 责任人, a photo). */
function issueSource(): EventSource {
  const pack = cityPackById(BENCH_CITY);
  const registry = generateRegistry(pack);
  const places = pack.districts
    .map((d) => ({
      district: d.adcode,
      schools: registry.schools.filter((s) => s.district === d.adcode),
      inspectors: registry.inspectors.filter((p) => p.district === d.adcode),
    }))
    .filter((p) => p.schools.length > 0 && p.inspectors.length > 0);
  let n = 0;
  return {
    batch: (size, at) =>
      Array.from({ length: size }, (_, i): BenchEvent => {
        const k = n++;
        const place = places[k % places.length]!;
        const school = place.schools[(k >> 3) % place.schools.length]!;
        const raisedAt = at(i);
        return {
          id: `exp-${k.toString(36).padStart(6, '0')}`,
          type: 'issue.raised',
          occurredAt: new Date(raisedAt).toISOString(),
          district: place.district,
          inspector: place.inspectors[k % place.inspectors.length]!.id,
          issueId: `exp-${k.toString(36).padStart(6, '0')}-i`,
          target: { kind: 'school', id: school.id },
          category: ISSUE_CATEGORIES[k % ISSUE_CATEGORIES.length]!,
          severity: SEVERITIES[k % SEVERITIES.length]!,
          deadline: new Date(raisedAt + 14 * DAY_MS).toISOString(),
          description: `${school.name}作业公示栏未按要求更新，部分班级书面作业时长超出规定（第 ${k} 号）`,
          measures: '建立作业公示与年级统筹制度，每周抽查作业时长并公示结果',
          responsible: '分管教学副校长',
          photos: [`https://photos.example.org/issues/${k}.jpg`],
        };
      }),
  };
}

/** The service process's resident set (kB), from /proc. */
function rssKb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

/** Downloads `path` to nowhere, reading the service's RSS meanwhile. */
async function measureDownload(service: ServiceProcess, key: string, path: string) {
  const idleKb = rssKb(service.pid);
  let peakKb = idleKb;
  const timer = setInterval(() => (peakKb = Math.max(peakKb, rssKb(service.pid))), SAMPLE_MS);
  const started = performance.now();
  try {
    const { bytes, firstByteMs } = await new Promise<{ bytes: number; firstByteMs: number }>(
      (resolve, reject) => {
        get(new URL(path, service.url), { headers: { authorization: `Bearer ${key}` } }, (res) => {
          if (res.statusCode !== 200) reject(new Error(`${path}: HTTP ${res.statusCode}`));
          let bytes = 0;
          let firstByteMs = NaN;
          res.on('data', (c: Buffer) => {
            if (bytes === 0) firstByteMs = performance.now() - started;
            bytes += c.length;
          });
          res.on('end', () => resolve({ bytes, firstByteMs }));
          res.on('error', reject);
        }).on('error', reject);
      },
    );
    peakKb = Math.max(peakKb, rssKb(service.pid));
    return { idleKb, peakKb, bytes, firstByteMs, seconds: (performance.now() - started) / 1000 };
  } finally {
    clearInterval(timer);
  }
}

/**
 * Fresh statistics for the filled tables, as autovacuum would give them in time: on a just-filled
 * log the planner's guesses sent a page query past the service's 15 s timeout (load 17).
 */
async function analyze(db: ScratchDatabase): Promise<void> {
  const database = await db.open();
  try {
    await database.db.execute(sql`analyze`);
  } finally {
    await database.close();
  }
}

runMain(async () => {
  const opts = new Command('bench:export')
    .option('--issues <n>', 'issues in the ledger', Number, 100_000)
    .parse(process.argv)
    .opts<{ issues: number }>();
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('bench:export needs DATABASE_URL');
  const total = opts.issues;
  const { db, keys } = await createBenchDatabase('postgres', databaseUrl);
  try {
    const end = Date.now() - DAY_MS;
    const start = end - SPAN_DAYS * DAY_MS;
    const filling = await startService(db, undefined);
    try {
      const fill = await batchedIngest({ url: filling.url, key: keys.ingest }, issueSource(), {
        total,
        batchSize: 1000,
        at: (i) => start + Math.floor((i * (end - start)) / total),
      });
      console.log(`filled ${fill.accepted} issues in ${fmt(fill.seconds, 1)} s`);
    } finally {
      await filling.stop();
    }
    await analyze(db);

    // a fresh process: nothing of the filling in its heap
    const service = await startService(db, undefined);
    const rows: Row[] = [];
    try {
      const timezone = cityPackById(BENCH_CITY).timezone;
      const lastTenth = addDays(localTime(end - (SPAN_DAYS / 10) * DAY_MS, timezone).day, 1);
      await measureDownload(service, keys.viewer, '/api/v1/issues?format=csv&from=2100-01-01'); // warm up
      for (const format of ['csv', 'xlsx'] as const) {
        for (const [label, filter] of [
          [`≈${fmt(total / 10)}`, `&from=${lastTenth}`],
          [fmt(total), ''],
        ] as const) {
          const m = await measureDownload(service, keys.viewer, `/api/v1/issues?format=${format}${filter}`);
          const mb = (kb: number) => fmt(kb / 1024, 0);
          rows.push({
            what: `ledger export ${format.toUpperCase()}, ${label} issues: service RSS peak (idle)`,
            value: `${mb(m.peakKb)} MB (${mb(m.idleKb)} MB), +${mb(m.peakKb - m.idleKb)} MB`,
            baseline: `${fmt(m.bytes / 1024 / 1024, 1)} MB file in ${fmt(m.seconds, 1)} s, first byte ${fmt(m.firstByteMs)} ms`,
            ratio: '—',
            target: 'bounded',
            met: '—',
          });
        }
      }
    } finally {
      await service.stop();
    }
    console.log(`\n${machine()}; ${machineLoad()}`);
    console.log(textTable(rows));
  } finally {
    await db.drop();
  }
});
