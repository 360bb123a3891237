/** Daily rollups read back as series (`GET /trends`). */
import type { Database } from '../client.ts';

/** day → metric → value for one scope, days in [fromDay, toDay]. */
export async function dailySeries(
  database: Database,
  p: { scope: string; fromDay: string; toDay: string },
): Promise<Map<string, Record<string, number>>> {
  const rows = await database.query<{ day: string | Date; metric: string; value: number }>(
    `select day::text as day, metric, value::float8 as value from daily_stats
      where scope = $1 and day between $2::date and $3::date order by day`,
    [p.scope, p.fromDay, p.toDay],
  );
  const byDay = new Map<string, Record<string, number>>();
  for (const r of rows) {
    const day = String(r.day).slice(0, 10);
    const values = byDay.get(day) ?? {};
    values[r.metric] = Number(r.value);
    byDay.set(day, values);
  }
  return byDay;
}
