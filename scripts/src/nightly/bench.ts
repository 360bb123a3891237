/**
 * `pnpm bench:nightly [--events N] [--days D] [--keep]`: the SPEC §11 nightly target — N events
 * (default 1,000,000) over D days rolled up on PostgreSQL in ≤ 30 s. The history is generated
 * set-wise by SQL (generate_series) into a scratch database, as the ingest would have left it: the
 * event log with full payloads and the ledger tables. Then it times the nightly's rollup of the last
 * day, the backfill of every day, and the reconciliation's read of the live image.
 */
import { Command } from 'commander';
import { sql } from 'drizzle-orm';
import { createScratchDatabase, loadLiveImage, rollupDays, selectRow, type Database } from '@dudao/db';
import { addDays, localTime } from '@dudao/domain';
import { cityPackById, DEFAULT_CITY_ID } from '@dudao/domain/cities';
import { runMain } from '../env.ts';
import { seedCity } from '../seed.ts';

const DEFAULT_EVENTS = 1_000_000;
const DEFAULT_DAYS = 30;
const TARGET_SECONDS = 30;
/** Shares of the event mix, close to what the simulator sends (most events are visits). */
const SHARE = { started: 0.3, completed: 0.28, issues: 0.31, complaints: 0.105, actions: 0.005 };

/** The SQL that fills the ledger and the event log with `n` events spread over `days` from `fromDay`. */
function generationSql(n: number, fromDay: string, days: number): string[] {
  // An issue makes 2.6 events on average (raised, most rectified, most verified); a complaint 1.75.
  const issues = Math.round((n * SHARE.issues) / 2.6);
  const complaints = Math.round((n * SHARE.complaints) / 1.75);
  const actions = Math.round(n * SHARE.actions);
  const countOf = (count: number, keep: (g: number) => boolean) =>
    Array.from({ length: count }, (_, i) => i + 1).filter(keep).length;
  // raised, rectified (g % 12 <= 9), verified (g % 12 <= 8); received, resolved (g % 4 <> 0)
  const issueEvents = issues + countOf(issues, (g) => g % 12 <= 9) + countOf(issues, (g) => g % 12 <= 8);
  const complaintEvents = complaints + countOf(complaints, (g) => g % 4 !== 0);
  // Visits fill the rest exactly: most started ones are completed the same day.
  const visits = n - issueEvents - complaintEvents - actions;
  const started = Math.ceil(visits / (1 + SHARE.completed / SHARE.started));
  const completed = visits - started;
  const at = (g: string, count: number) =>
    `('${fromDay}T00:00:00+08:00'::timestamptz + (${g}::float8 / ${count}) * interval '${days} days')`;
  return [
    `create table pick as
       select row_number() over (order by s.id) - 1 as k, s.id as school, s.district,
              (select p.id from inspectors p where p.district = s.district order by p.id limit 1) as inspector
         from schools s`,
    `insert into inspections
       select 'BI' || g, p.district, 'school', p.school, p.inspector, 'routine',
              (array['double_reduction','five_managements','homework','after_school'])[1 + g % 4],
              case when g <= ${completed} then 'completed' else 'in_progress' end,
              ${at('g', started)}, case when g <= ${completed} then ${at('g', started)} + interval '2 hours' end, g % 3
         from generate_series(1, ${started}) g join pick p on p.k = g % (select count(*) from pick)`,
    `insert into events (id, type, district, inspector, occurred_at, received_at, content_hash, payload)
       select 'ES' || id, 'inspection.started', district, inspector, started_at, started_at, 'bench',
              jsonb_build_object('inspectionId', id, 'inspector', inspector, 'theme', theme,
                                 'target', jsonb_build_object('kind', 'school', 'id', target_id))
         from inspections
       union all
       select 'EC' || id, 'inspection.completed', district, null, completed_at, completed_at, 'bench',
              jsonb_build_object('inspectionId', id, 'findings', findings)
         from inspections where completed_at is not null`,
    // k = g % 12: 0..7 closed after a passed revisit, 8 reopened by a failed one, 9 submitted, 10..11 open
    `insert into issues
       select 'BX' || g, p.district, null, 'school', p.school,
              (array['homework','fees','after_school','five_managements'])[1 + g % 4], 'major',
              case when g % 12 < 8 then 'closed' when g % 12 = 9 then 'submitted' else 'open' end,
              ${at('g', issues)} + case when g % 12 = 8 then interval '8 days' else interval '3 days' end,
              case when g % 12 = 8 then 1 else 0 end,
              ${at('g', issues)},
              case when g % 12 = 9 then ${at('g', issues)} + interval '1 day' end,
              case when g % 12 < 8 then ${at('g', issues)} + interval '2 days' end
         from generate_series(1, ${issues}) g join pick p on p.k = g % (select count(*) from pick)`,
    `insert into events (id, type, district, inspector, occurred_at, received_at, content_hash, payload)
       select 'ER' || id, 'issue.raised', district, null, raised_at, raised_at, 'bench',
              jsonb_build_object('issueId', id, 'category', category,
                                 'deadline', raised_at + interval '3 days')
         from issues
       union all
       select 'EF' || id, 'issue.rectified', district, null, raised_at + interval '1 day',
              raised_at + interval '1 day', 'bench', jsonb_build_object('issueId', id)
         from issues where status <> 'open' or reopen_count > 0
       union all
       select 'EV' || id, 'issue.verified', district, null, raised_at + interval '2 days',
              raised_at + interval '2 days', 'bench',
              jsonb_build_object('issueId', id, 'result', case when status = 'closed' then 'passed' else 'failed' end,
                                 'deadline', deadline)
         from issues where status = 'closed' or reopen_count > 0`,
    `insert into complaints
       select 'BC' || g, p.district, 'hotline', 'off_campus_training', null, null,
              case when g % 4 = 0 then 'open' else 'resolved' end, ${at('g', complaints)},
              case when g % 4 <> 0 then ${at('g', complaints)} + interval '1 day' end
         from generate_series(1, ${complaints}) g join pick p on p.k = g % (select count(*) from pick)`,
    `insert into events (id, type, district, inspector, occurred_at, received_at, content_hash, payload)
       select 'EQ' || id, 'complaint.received', district, null, received_at, received_at, 'bench',
              jsonb_build_object('complaintId', id)
         from complaints
       union all
       select 'EW' || id, 'complaint.resolved', district, null, resolved_at, resolved_at, 'bench',
              jsonb_build_object('complaintId', id)
         from complaints where resolved_at is not null`,
    `insert into institution_actions
       select 'EA' || g, i.id, i.district, case when g % 50 = 0 then 'closure' else 'warning' end, null,
              ${at('g', actions)}
         from generate_series(1, ${actions}) g
         join (select row_number() over (order by id) - 1 as k, id, district from institutions) i
           on i.k = g % (select count(*) from institutions)`,
    `insert into events (id, type, district, inspector, occurred_at, received_at, content_hash, payload)
       select event_id, 'institution.action', district, null, occurred_at, occurred_at, 'bench',
              jsonb_build_object('institutionId', institution_id, 'action', action)
         from institution_actions`,
    // Fill the envelope fields of every payload, as the ingest stores whole events.
    `update events set payload = payload || jsonb_build_object('id', id, 'type', type, 'district', district,
                                                            'occurredAt', occurred_at)
      where content_hash = 'bench'`,
    'drop table pick',
    'analyze',
  ];
}

async function seconds<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const out = await fn();
  console.log(`  ${label.padEnd(44)} ${((performance.now() - t0) / 1000).toFixed(2)} s`);
  return out;
}

async function main(argv: string[]): Promise<void> {
  const opts = new Command('bench:nightly')
    .option('--events <n>', 'events to generate', (v) => Number(v), DEFAULT_EVENTS)
    .option('--days <n>', 'days they span, ending yesterday', (v) => Number(v), DEFAULT_DAYS)
    .option('--keep', 'keep the scratch database')
    .parse(argv)
    .opts<{ events: number; days: number; keep?: boolean }>();
  const server = process.env.DATABASE_URL;
  if (!server) throw new Error('set DATABASE_URL to a PostgreSQL server (a scratch database is made on it)');
  const pack = cityPackById(process.env.CITY || DEFAULT_CITY_ID);
  const scratch = await createScratchDatabase({ serverUrl: server, prefix: 'dudao_bench_nightly' });
  let database: Database | undefined;
  try {
    database = await scratch.open();
    const db = database;
    await seedCity(db, { city: pack.id });
    const today = localTime(Date.now(), pack.timezone).day;
    const fromDay = addDays(today, -opts.days);
    const toDay = addDays(today, -1);
    console.log(
      `nightly benchmark: ${opts.events} events over ${fromDay}..${toDay}, database ${scratch.name}`,
    );
    await seconds('generate the history (SQL)', () =>
      (async () => {
        for (const text of generationSql(opts.events, fromDay, opts.days)) await db.db.execute(sql.raw(text));
      })(),
    );
    const count = await selectRow<{ n: number }>(db.db, sql`select count(*)::int as n from events`);
    console.log(`  events in the log: ${count?.n}`);
    const cityAdcode = pack.adcode;
    const night = await seconds(`rollup of one day (${toDay}, the nightly)`, () =>
      rollupDays(db, { cityAdcode, fromDay: toDay, toDay }),
    );
    const backfill = await seconds(`rollup of all ${opts.days} days (backfill)`, () =>
      rollupDays(db, { cityAdcode, fromDay, toDay }),
    );
    await seconds('re-run of the backfill (no-op)', () => rollupDays(db, { cityAdcode, fromDay, toDay }));
    await seconds('live image for the reconciliation', () =>
      loadLiveImage(db, { timezone: pack.timezone, now: Date.now() }),
    );
    console.log(`  rows: one day ${night.rows}, backfill ${backfill.rows}; target ≤ ${TARGET_SECONDS} s`);
  } finally {
    await database?.close();
    if (!opts.keep) await scratch.drop();
  }
}

runMain(() => main(process.argv));
