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

/**
 * The plans running on any day of `fromDay`..`toDay` (one day for a briefing, a month for a 月报),
 * each counted over its window up to the end of `toDay`. A district's: the city's plans and its
 * own, counted in that district only.
 */
export async function plansDuring(
  database: Database,
  input: Omit<BriefingInput, 'day'>,
  fromDay: string,
  toDay: string,
): Promise<PlanTally[]> {
  const { city, districts } = input;
  const end = startOfLocalDay(addDays(toDay, 1), city.timezone);
  const clip = (from: string, to: string) => {
    const span = planSpan(from, to, city.timezone);
    return { from: span.from, to: Math.min(span.to, end) };
  };
  const plans = (await listPlans(database, fromDay)).filter(
    (p) =>
      p.from <= toDay && (input.district === undefined || p.scope === 'city' || p.scope === input.district),
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

/** The scope's rollups on each of `days` by metric, `null` on a day without a value. */
export async function seriesOver(
  database: Database,
  scope: string,
  days: string[],
): Promise<Map<string, (number | null)[]>> {
  const byDay = await dailySeries(database, { scope, fromDay: days[0]!, toDay: days[days.length - 1]! });
  const names = new Set([...byDay.values()].flatMap((v) => Object.keys(v)));
  return new Map([...names].map((n) => [n, days.map((d) => byDay.get(d)?.[n] ?? null)]));
}

/** The districts a briefing of `input` covers: all of them for the city's, else its own. */
export const districtsOf = (input: Omit<BriefingInput, 'day'>) =>
  input.districts.filter((d) => input.district === undefined || d.adcode === input.district);

/**
 * The input with its scope (`city` or the adcode), the districts it covers and what the text calls
 * its area (全市, or the district's name).
 */
export function scoped<I extends Omit<BriefingInput, 'day'>>(input: I) {
  const districts = districtsOf(input);
  const area = input.district === undefined ? '全市' : (districts[0]?.name ?? input.district);
  return { ...input, districts, scope: input.district ?? 'city', area };
}

export async function loadBriefingData(database: Database, input: BriefingInput): Promise<BriefingData> {
  const { day, city } = input;
  const { scope, districts } = scoped(input);
  const instant = (d: string) => new Date(startOfLocalDay(d, city.timezone)).toISOString();
  const prevMonthDay = sameDayPrevMonth(day);
  const days = Array.from({ length: TREND_DAYS }, (_, i) => addDays(day, i + 1 - TREND_DAYS));
  const [onDay, onPrevDay, onPrevMonth, series, facts, plans] = await Promise.all([
    dailyStatsOn(database, day),
    dailyStatsOn(database, addDays(day, -1)),
    dailyStatsOn(database, prevMonthDay),
    seriesOver(database, scope, days),
    briefingFacts(
      database,
      {
        dayStart: instant(day),
        monthStart: instant(`${day.slice(0, 7)}-01`),
        end: instant(addDays(day, 1)),
      },
      input.district === undefined ? null : [input.district],
    ),
    plansDuring(database, { ...input, districts }, day, day),
  ]);
  return {
    ...scoped(input),
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
