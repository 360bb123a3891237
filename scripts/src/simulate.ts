/**
 * `pnpm simulate [--url U] [--key K] [--viewer-key V] [--rate R] [--backfill-days N] [--seed S] [--supervisor LOGIN]`
 * Drives a running service like the city would: reads the registry through the read API, posts
 * the last N days of history in batches, then live events at the current time until stopped.
 * Everything goes through the public HTTP API, so it exercises exactly what real senders use.
 */
import { pathToFileURL } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { DEFAULT_MAX_EVENT_AGE_DAYS, type DudaoEvent, type EventType } from '@dudao/domain';
import { serviceConfig } from './env.ts';
import { DAY_MS } from './simulator/clock.ts';
import { FatalHttpError, HttpClient, sleep, type Credentials, type IngestResult } from './simulator/http.ts';
import { actionOf } from './simulator/issues.ts';
import { CityModel } from './simulator/model.ts';

export const DEFAULT_RATE_PER_S = 5;
/** Backfill batch: well under SPEC §5's 1000 events and 1 MiB per request. */
const BACKFILL_BATCH_EVENTS = 500;
/** District systems send what they collected every few seconds. */
const LIVE_BATCH_INTERVAL_MS = 2_000;
const LIVE_BATCH_MAX_EVENTS = 200;
/** Longest sleep between checks of the clock in live mode, so a stop is noticed quickly. */
const LIVE_TICK_MS = 250;
/** Live nights still show a fifth of the peak activity, so a wall opened in the evening is alive. */
const LIVE_MIN_ACTIVITY = 0.2;
const STATUS_INTERVAL_MS = 1_000;
const RATE_WINDOW_MS = 10_000;
/** What district systems (hotline, reporting, enforcement) send; the rest comes from the mini-program. */
const DISTRICT_SYSTEM_TYPES: ReadonlySet<EventType> = new Set([
  'complaint.received',
  'complaint.resolved',
  'school.report',
  'institution.action',
]);

export interface SimulatorOptions {
  /** base URL of the service, e.g. http://127.0.0.1:8080 */
  url: string;
  /** ingest key */
  key: string;
  /** viewer key for the registry reads; defaults to `key` */
  viewerKey?: string;
  /** live events per second at a weekday's peak hour; quieter hours send fewer */
  rate?: number;
  /** days of history to post before going live; fewer than `maxEventAgeDays` */
  backfillDays?: number;
  /** the service's MAX_EVENT_AGE_DAYS (default 730; 0 = no limit): older events would be refused as `too_old` */
  maxEventAgeDays?: number;
  seed?: number;
  /**
   * A supervisor who, live, makes the office's 督办, 延期 and remarks on issues in their scope through
   * `POST /api/v1/issues/:issueId/actions`, signed in as a person (the rest go to the ingest)
   */
  supervisor?: Credentials;
  onStatus?: (status: SimulatorStatus) => void;
}

export interface SimulatorStatus {
  phase: 'registry' | 'backfill' | 'live' | 'stopped';
  sent: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  retries: number;
  /** of those sent, actions the supervisor made through the issue actions route */
  byPerson: number;
  /** events sent per second over the last 10 s */
  ratePerS: number;
  /** model time of the newest event sent (ISO) */
  modelTime: string | null;
  /** rejection codes seen, with counts */
  rejectedCodes: Record<string, number>;
  lastRetryReason: string | null;
}

/** The backfill must stay inside the service's age limit, or its oldest days would all be `too_old`. */
function checkBackfillDays(backfillDays: number, maxEventAgeDays: number): void {
  if (maxEventAgeDays > 0 && backfillDays >= maxEventAgeDays)
    throw new RangeError(
      `--backfill-days ${backfillDays} reaches past MAX_EVENT_AGE_DAYS (${maxEventAgeDays}): ` +
        `the service refuses events that old as too_old; use at most ${maxEventAgeDays - 1}`,
    );
}

/**
 * Runs until `signal` aborts; resolves with the final status. Rejects on a wrong key or URL, and
 * on a backfill longer than the age limit.
 */
export async function runSimulator(options: SimulatorOptions, signal: AbortSignal): Promise<SimulatorStatus> {
  const backfillDays = options.backfillDays ?? 0;
  checkBackfillDays(backfillDays, options.maxEventAgeDays ?? DEFAULT_MAX_EVENT_AGE_DAYS);
  const status: SimulatorStatus = {
    phase: 'registry',
    sent: 0,
    accepted: 0,
    duplicates: 0,
    rejected: 0,
    retries: 0,
    byPerson: 0,
    ratePerS: 0,
    modelTime: null,
    rejectedCodes: {},
    lastRetryReason: null,
  };
  const sentAt: number[] = [];
  const report = () => {
    const cutoff = Date.now() - RATE_WINDOW_MS;
    while (sentAt.length > 0 && (sentAt[0] ?? 0) < cutoff) sentAt.shift();
    status.ratePerS = sentAt.length / (RATE_WINDOW_MS / 1000);
    options.onStatus?.({ ...status, rejectedCodes: { ...status.rejectedCodes } });
  };
  const timer = setInterval(report, STATUS_INTERVAL_MS);
  const client = new HttpClient({
    baseUrl: options.url,
    ingestKey: options.key,
    viewerKey: options.viewerKey ?? options.key,
    ...(options.supervisor ? { supervisor: options.supervisor } : {}),
    signal,
    onRetry: (reason) => {
      status.retries += 1;
      status.lastRetryReason = reason;
    },
  });
  const count = (list: DudaoEvent[], result: IngestResult | undefined) => {
    if (!result) return;
    const now = Date.now();
    for (let i = 0; i < list.length; i++) sentAt.push(now);
    status.sent += list.length;
    status.accepted += result.accepted;
    status.duplicates += result.duplicates;
    status.rejected += result.rejected.length;
    for (const r of result.rejected) status.rejectedCodes[r.code] = (status.rejectedCodes[r.code] ?? 0) + 1;
    status.modelTime = list[list.length - 1]?.occurredAt ?? status.modelTime;
  };
  const post = async (events: DudaoEvent | DudaoEvent[]) => {
    const list = Array.isArray(events) ? events : [events];
    if (list.length > 0) count(list, await client.postEvents(events));
  };
  try {
    const registry = await client.fetchRegistry();
    if (!registry) return status;
    const seed = options.seed ?? Date.now() % 2 ** 31;
    const startedAt = Date.now();
    // The tag keeps ids of two runs apart even with the same seed: a replay would be a conflict.
    const runTag = `${Math.abs(seed).toString(36)}x${Math.floor(startedAt / 1000).toString(36)}`;
    const model = new CityModel(registry, { seed, runTag, startMs: startedAt - backfillDays * DAY_MS });

    status.phase = 'backfill';
    const batch: DudaoEvent[] = [];
    while (!signal.aborted && model.peekAt() <= startedAt) {
      batch.push(model.next());
      if (batch.length >= BACKFILL_BATCH_EVENTS) await post(batch.splice(0));
    }
    await post(batch.splice(0));

    // Live, the supervisor acts on the issues of their scope as a person (backfilled history cannot:
    // the route stamps the time of the request).
    const supervisorScope = options.supervisor ? await client.supervisorScope() : undefined;
    const actsAsPerson = (event: DudaoEvent) =>
      supervisorScope !== undefined && (supervisorScope === 'city' || supervisorScope === event.district)
        ? actionOf(event)
        : undefined;

    status.phase = 'live';
    const rate = options.rate ?? DEFAULT_RATE_PER_S;
    model.setPace({
      speedup: rate / model.peakEventsPerSecond(),
      minActivity: LIVE_MIN_ACTIVITY,
      atMs: startedAt,
    });
    let batchStarted = Date.now();
    while (!signal.aborted) {
      const now = Date.now();
      if (batch.length > 0 && now - batchStarted >= LIVE_BATCH_INTERVAL_MS) await post(batch.splice(0));
      const due = model.peekAt();
      if (due > now) {
        await sleep(Math.min(due - now, LIVE_TICK_MS), signal);
        continue;
      }
      const event = model.next();
      const action = actsAsPerson(event);
      if (action) {
        const result = await client.act(action.issueId, action.body);
        if (result) status.byPerson += 1;
        count([event], result);
        continue;
      }
      if (!DISTRICT_SYSTEM_TYPES.has(event.type)) {
        await post(event);
        continue;
      }
      if (batch.length === 0) batchStarted = now;
      batch.push(event);
      if (batch.length >= LIVE_BATCH_MAX_EVENTS) await post(batch.splice(0));
    }
    return status;
  } finally {
    clearInterval(timer);
    status.phase = 'stopped';
    report();
  }
}

export function formatStatus(s: SimulatorStatus): string {
  const codes = Object.entries(s.rejectedCodes)
    .map(([code, n]) => `${code}:${n}`)
    .join(',');
  const retry = s.lastRetryReason ? ` · retries ${s.retries} (${s.lastRetryReason})` : '';
  return (
    `[${s.phase}] sent ${s.sent} · accepted ${s.accepted} · duplicates ${s.duplicates} · ` +
    `rejected ${s.rejected}${codes ? ` (${codes})` : ''} · by the supervisor ${s.byPerson} · ` +
    `${s.ratePerS.toFixed(1)} ev/s${retry}` +
    (s.modelTime ? ` · at ${s.modelTime.slice(0, 19).replace('T', ' ')}` : '')
  );
}

function numberOption(min: number, integer: boolean) {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < min || (integer && !Number.isInteger(n)))
      throw new InvalidArgumentError(`expected ${integer ? 'an integer' : 'a number'} ≥ ${min}`);
    return n;
  };
}

async function main(argv: string[]): Promise<number> {
  const program = new Command('simulate')
    .description('post a realistic stream of supervision events to a running Dudao service')
    .option('--url <url>', 'service base URL', `http://127.0.0.1:${process.env.PORT || 8080}`)
    .option('--key <key>', 'ingest key (env DUDAO_INGEST_KEY)', process.env.DUDAO_INGEST_KEY)
    .option('--viewer-key <key>', 'viewer key for reading the registry (env DUDAO_VIEWER_KEY; default --key)')
    .option(
      '--rate <events/s>',
      'live events per second at the weekday peak',
      numberOption(0.01, false),
      DEFAULT_RATE_PER_S,
    )
    .option('--backfill-days <n>', 'days of history to post first', numberOption(0, true), 0)
    .option('--seed <n>', 'seed of the model (default: from the clock)', numberOption(-(2 ** 31), true))
    .option(
      '--supervisor <login>',
      'a supervisor who urges, extends and remarks live through the issue actions route (password: env DUDAO_SUPERVISOR_PASSWORD)',
    )
    .parse(argv);
  const opts = program.opts<{
    url: string;
    key?: string;
    viewerKey?: string;
    rate: number;
    backfillDays: number;
    seed?: number;
    supervisor?: string;
  }>();
  if (!opts.key) {
    console.error(
      'an ingest key is needed: --key or DUDAO_INGEST_KEY (make one with `pnpm keys create --role ingest --scope city`)',
    );
    return 2;
  }
  const password = process.env.DUDAO_SUPERVISOR_PASSWORD;
  if (opts.supervisor && !password) {
    console.error('--supervisor needs the password in DUDAO_SUPERVISOR_PASSWORD');
    return 2;
  }
  // The same MAX_EVENT_AGE_DAYS as the service's (SPEC §3: one environment for every entry point).
  const maxEventAgeDays = serviceConfig().limits?.maxEventAgeDays ?? DEFAULT_MAX_EVENT_AGE_DAYS;
  const controller = new AbortController();
  let stops = 0;
  const stop = () => {
    // A second Ctrl-C means "now", even if a request is still waiting on its retry.
    if (++stops > 1) process.exit(130);
    controller.abort();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const tty = process.stdout.isTTY;
  let lastLine = 0;
  const final = await runSimulator(
    {
      url: opts.url,
      key: opts.key,
      viewerKey: opts.viewerKey ?? process.env.DUDAO_VIEWER_KEY ?? opts.key,
      rate: opts.rate,
      backfillDays: opts.backfillDays,
      maxEventAgeDays,
      ...(opts.seed === undefined ? {} : { seed: opts.seed }),
      ...(opts.supervisor && password ? { supervisor: { login: opts.supervisor, password } } : {}),
      onStatus: (s) => {
        if (tty) process.stdout.write(`\r\x1b[2K${formatStatus(s)}`);
        else if (Date.now() - lastLine >= 10_000 || s.phase === 'stopped') {
          lastLine = Date.now();
          console.log(formatStatus(s));
        }
      },
    },
    controller.signal,
  );
  if (tty) process.stdout.write('\n');
  return final.rejected > 0 && final.accepted === 0 ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(
        `\nsimulate failed: ${err instanceof FatalHttpError || err instanceof Error ? err.message : String(err)}`,
      );
      process.exit(1);
    },
  );
}
