/**
 * The event log's write alone (issue 13): the same groups of 1,000 rows, each group in a transaction
 * of its own as the pipeline commits them, written into a migrated `events` table three ways —
 *
 * - `json_to_recordset`: the whole group as ONE json parameter (what the pipeline does: the group's
 *   ledger tables ride along in the same statement as data-modifying CTEs, one round trip);
 * - `unnest`: one typed array parameter per column, `insert … select * from unnest($1::text[], …)`;
 * - `COPY … FROM STDIN` (text format) inside the transaction — a statement of its own, so the
 *   ledger rows would need a second round trip.
 *
 * Serialising the rows is part of each figure: the service pays it too. The database is truncated
 * between methods; the order alternates over rounds so no method always runs on a warmer cache.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createHash } from 'node:crypto';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { createScratchDatabase } from '@dudao/db';
import { EventStream, type BenchEvent } from './events.ts';
import { step } from './progress.ts';
import { fmt, ratio, type Row } from './report.ts';

const GROUP_ROWS = 1000;
const COLUMNS = 'id, type, district, inspector, occurred_at, received_at, content_hash, payload';

interface EventRow {
  id: string;
  type: string;
  district: string;
  inspector: string | null;
  occurredAt: Date;
  receivedAt: Date;
  contentHash: string;
  payload: BenchEvent;
}

function rowOf(event: BenchEvent, receivedAt: Date): EventRow {
  return {
    id: event.id,
    type: event.type,
    district: event.district,
    inspector: typeof event.inspector === 'string' ? event.inspector : null,
    occurredAt: new Date(String(event.occurredAt)),
    receivedAt,
    contentHash: createHash('sha256').update(JSON.stringify(event)).digest('hex'),
    payload: event,
  };
}

type Method = (client: pg.Client, rows: EventRow[]) => Promise<void>;

const JSON_INSERT = `insert into events (${COLUMNS})
  select r."id", r."type", r."district", r."inspector", r."occurredAt", r."receivedAt", r."contentHash", r."payload"
  from json_to_recordset($1::json) as r("id" text, "type" text, "district" text, "inspector" text,
    "occurredAt" timestamptz, "receivedAt" timestamptz, "contentHash" text, "payload" jsonb)`;

const UNNEST_INSERT = `insert into events (${COLUMNS})
  select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[],
    $7::text[], $8::jsonb[])`;

const COPY_TEXT = `COPY events (${COLUMNS}) FROM STDIN`;

/** COPY text format: tab-separated, `\N` for null, backslashes doubled. */
const copyField = (v: string | null) =>
  v === null
    ? '\\N'
    : v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');

const METHODS: Record<string, Method> = {
  json_to_recordset: async (client, rows) => {
    await client.query(JSON_INSERT, [JSON.stringify(rows)]);
  },
  unnest: async (client, rows) => {
    await client.query(UNNEST_INSERT, [
      rows.map((r) => r.id),
      rows.map((r) => r.type),
      rows.map((r) => r.district),
      rows.map((r) => r.inspector),
      rows.map((r) => r.occurredAt.toISOString()),
      rows.map((r) => r.receivedAt.toISOString()),
      rows.map((r) => r.contentHash),
      rows.map((r) => JSON.stringify(r.payload)),
    ]);
  },
  copy: async (client, rows) => {
    const text = rows
      .map((r) =>
        [
          r.id,
          r.type,
          r.district,
          r.inspector,
          r.occurredAt.toISOString(),
          r.receivedAt.toISOString(),
          r.contentHash,
          JSON.stringify(r.payload),
        ]
          .map(copyField)
          .join('\t'),
      )
      .join('\n');
    await pipeline(Readable.from([`${text}\n`]), client.query(copyFrom(COPY_TEXT)));
  },
};

async function timeMethod(client: pg.Client, method: Method, groups: EventRow[][]): Promise<number> {
  await client.query('truncate events');
  const started = performance.now();
  for (const rows of groups) {
    await client.query('begin');
    await method(client, rows);
    await client.query('commit');
  }
  return (performance.now() - started) / 1000;
}

export async function eventLogSuite(
  databaseUrl: string,
  opts: { rows: number; rounds: number },
): Promise<Row[]> {
  const scratch = await createScratchDatabase({ serverUrl: databaseUrl, prefix: 'dudao_bench' });
  await (await scratch.open()).close(); // created and migrated
  const client = new pg.Client({ connectionString: scratch.url });
  await client.connect();
  try {
    const stream = new EventStream('bench-l');
    const receivedAt = new Date();
    const from = Date.now() - 86_400_000;
    const groups: EventRow[][] = [];
    for (let i = 0; i < opts.rows; i += GROUP_ROWS)
      groups.push(
        stream
          .batch(Math.min(GROUP_ROWS, opts.rows - i), (j) => from + i + j)
          .map((e) => rowOf(e, receivedAt)),
      );
    const names = Object.keys(METHODS);
    const seconds = new Map<string, number>(names.map((n) => [n, 0]));
    const s = step(
      `event log write: ${fmt(opts.rows)} rows in groups of ${fmt(GROUP_ROWS)}, ${names.join(' / ')}`,
    );
    for (let round = 0; round < opts.rounds; round++) {
      const order = round % 2 === 0 ? names : [...names].reverse();
      for (const name of order)
        seconds.set(name, seconds.get(name)! + (await timeMethod(client, METHODS[name]!, groups)));
      s.update(round + 1, opts.rounds);
    }
    const rate = (name: string) => (opts.rows * opts.rounds) / seconds.get(name)!;
    const copy = rate('copy');
    s.done(names.map((n) => `${n} ${fmt(rate(n))} rows/s`).join(', '));
    return names
      .filter((n) => n !== 'copy')
      .map((n) => ({
        what: `event log write, ${fmt(GROUP_ROWS)}-row transactions: ${n}`,
        value: `${fmt(rate(n))} rows/s`,
        target: '— (micro-bench: the fastest keeps the pipeline)',
        baseline: `COPY ${fmt(copy)} rows/s`,
        ratio: ratio(rate(n), copy),
        met: '—',
      }));
  } finally {
    await client.end();
    await scratch.drop();
  }
}
