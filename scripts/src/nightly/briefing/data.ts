/**
 * Everything one day's briefing shows (of the city, or of one district), read from the database: the day's rollups and those of the
 * day before and of the same day a month before (for the comparisons), the 30-day series, and the
 * facts the rollups do not keep (overdue issues with their ages, themes, actions, complaints).
 */
import {
  briefingFacts,
  dailySeries,
  dailyStatsOn,
  listPlans,
  planTally,
  type BriefingFacts,
  type Database,
} from '@dudao/db';
import { addDays, planSpan, startOfLocalDay, type PlanTally } from '@dudao/domain';

/** Days of the trend chart, ending with the briefing's day. */
export const TREND_DAYS = 30;

export interface BriefingInput {
  city: { adcode: string; name: string; timezone: string };
  districts: { adcode: string; name: string }[];
  day: string;
  /** a district's adcode for its own briefing (SPEC §15); the city's when absent */
  district?: string | undefined;
}

export type Values = Record<string, number>;

export interface BriefingData extends BriefingInput {
  /** `city` or the district's adcode */
  scope: string;
  /** what the text calls the area: 全市, or the district's name */
  area: string;
  /** 第N期: the day of the year, so the number is the same whenever the briefing is made */
  issueNo: number;
  /** end of the day (exclusive), ms: the instant every "as of" figure is judged at */
  endMs: number;
  cityValues: { today: Values; prevDay: Values | null; prevMonth: Values | null; prevMonthDay: string };
  byDistrict: Map<string, Values>;
  trend: { days: string[]; series: Map<string, (number | null)[]> };
  facts: BriefingFacts;
  /** the plans running on the day, counted up to its end (SPEC §14) */
  plans: PlanTally[];
}

/** The same day of the previous month, or that month's last day when it is shorter. */
export function sameDayPrevMonth(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 2, 1));
  const last = new Date(Date.UTC(y, m - 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, last));
  return first.toISOString().slice(0, 10);
}

export function dayOfYear(day: string): number {
  return (
    Math.round(
      (Date.parse(`${day}T00:00:00Z`) - Date.parse(`${day.slice(0, 4)}-01-01T00:00:00Z`)) / 86_400_000,
    ) + 1
  );
}

/** The plans running on `day`, each counted over its window up to the day's end. */
async function runningPlans(database: Database, input: BriefingInput): Promise<PlanTally[]> {
  const { day, city, districts } = input;
  const end = startOfLocalDay(addDays(day, 1), city.timezone);
  const clip = (from: string, to: string) => {
    const span = planSpan(from, to, city.timezone);
    return { from: span.from, to: Math.min(span.to, end) };
  };
  // A district's briefing: the city's plans and its own, counted in that district only.
  const plans = (await listPlans(database, day)).filter(
    (p) =>
      p.from <= day && (input.district === undefined || p.scope === 'city' || p.scope === input.district),
  );
  return Promise.all(
    plans.map(async (plan) => ({
      plan,
      districts: await planTally(database, {
        plan,
        districts: plan.scope === 'city' ? districts.map((d) => d.adcode) : [plan.scope],
        window: clip(plan.from, plan.to),
        phases: (plan.phases ?? []).map((ph) => clip(ph.from, ph.to)),
      }),
    })),
  );
}

export async function loadBriefingData(database: Database, input: BriefingInput): Promise<BriefingData> {
  const { day, city } = input;
  const scope = input.district ?? 'city';
  const districts = input.districts.filter(
    (d) => input.district === undefined || d.adcode === input.district,
  );
  const instant = (d: string) => new Date(startOfLocalDay(d, city.timezone)).toISOString();
  const prevMonthDay = sameDayPrevMonth(day);
  const [onDay, onPrevDay, onPrevMonth, cityTrend, facts, plans] = await Promise.all([
    dailyStatsOn(database, day),
    dailyStatsOn(database, addDays(day, -1)),
    dailyStatsOn(database, prevMonthDay),
    dailySeries(database, { scope, fromDay: addDays(day, 1 - TREND_DAYS), toDay: day }),
    briefingFacts(
      database,
      {
        dayStart: instant(day),
        monthStart: instant(`${day.slice(0, 7)}-01`),
        end: instant(addDays(day, 1)),
      },
      input.district === undefined ? null : [input.district],
    ),
    runningPlans(database, { ...input, districts }),
  ]);
  const days = Array.from({ length: TREND_DAYS }, (_, i) => addDays(day, i + 1 - TREND_DAYS));
  const names = new Set([...cityTrend.values()].flatMap((v) => Object.keys(v)));
  const series = new Map([...names].map((n) => [n, days.map((d) => cityTrend.get(d)?.[n] ?? null)]));
  return {
    ...input,
    districts,
    scope,
    area: input.district === undefined ? '全市' : (districts[0]?.name ?? input.district),
    issueNo: dayOfYear(day),
    endMs: startOfLocalDay(addDays(day, 1), city.timezone),
    cityValues: {
      today: onDay.get(scope) ?? {},
      prevDay: onPrevDay.get(scope) ?? null,
      prevMonth: onPrevMonth.get(scope) ?? null,
      prevMonthDay,
    },
    byDistrict: new Map(districts.map((d) => [d.adcode, onDay.get(d.adcode) ?? {}])),
    trend: { days, series },
    facts,
    plans,
  };
}
