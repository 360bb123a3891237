/**
 * Everything one month's report (月报, SPEC §15) shows, of the city or of one district, read from the
 * database: the rollups of the month's last day (coverage, issues, complaints, institutions as the
 * month ended) and of the month before's (for the comparison), the month's daily series, the month's
 * issues per category from the ledger, and the facts of the daily briefing taken over the whole month
 * (a briefing's "month to date" on the month's last day is the month).
 */
import {
  briefingFacts,
  dailyStatsOn,
  monthIssues,
  type BriefingFacts,
  type Database,
  type MonthIssues,
} from '@dudao/db';
import { addDays, dayList, firstDayOfMonth, startOfLocalDay, type PlanTally } from '@dudao/domain';
import { plansDuring, scoped, seriesOver, type BriefingInput, type Values } from './data.ts';

export interface MonthlyInput extends Omit<BriefingInput, 'day'> {
  /** `YYYY-MM` */
  month: string;
}

export interface MonthlyData extends MonthlyInput {
  scope: string;
  area: string;
  /** 第N期: the month's number, so a re-run keeps it */
  issueNo: number;
  firstDay: string;
  lastDay: string;
  /** the month's end (exclusive), ms: the instant every "at month end" figure is judged at */
  endMs: number;
  /** the scope's rollups on the month's last day, and on the month before's (null without them) */
  end: Values;
  prevEnd: Values | null;
  /** each district's rollups on the month's last day */
  byDistrict: Map<string, Values>;
  /** the scope's rollups on each day of the month */
  trend: { days: string[]; series: Map<string, (number | null)[]> };
  /** the month's issues per category (ledger) */
  issues: MonthIssues[];
  /** overdue issues at the month's end, themes, actions and complaints of the month */
  facts: BriefingFacts;
  /** the plans running on any day of the month, counted up to its end (SPEC §14) */
  plans: PlanTally[];
}

/** The last day of `month` (YYYY-MM). */
export const lastDayOfMonth = (month: string): string => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
};

/** The month before `month` (YYYY-MM). */
export const prevMonth = (month: string): string => addDays(firstDayOfMonth(month), -1).slice(0, 7);

export async function loadMonthlyData(database: Database, input: MonthlyInput): Promise<MonthlyData> {
  const { month, city } = input;
  const { scope, districts } = scoped(input);
  const firstDay = firstDayOfMonth(month);
  const lastDay = lastDayOfMonth(month);
  const instant = (d: string) => new Date(startOfLocalDay(d, city.timezone)).toISOString();
  const end = instant(addDays(lastDay, 1));
  const only = input.district === undefined ? null : [input.district];
  const days = dayList(firstDay, lastDay);
  const [onLast, onPrevLast, series, issues, facts, plans] = await Promise.all([
    dailyStatsOn(database, lastDay),
    dailyStatsOn(database, addDays(firstDay, -1)),
    seriesOver(database, scope, days),
    monthIssues(database, { monthStart: instant(firstDay), end }, only),
    briefingFacts(database, { dayStart: instant(lastDay), monthStart: instant(firstDay), end }, only),
    plansDuring(database, { ...input, districts }, firstDay, lastDay),
  ]);
  return {
    ...scoped(input),
    issueNo: Number(month.slice(5, 7)),
    firstDay,
    lastDay,
    endMs: Date.parse(end),
    end: onLast.get(scope) ?? {},
    prevEnd: onPrevLast.get(scope) ?? null,
    byDistrict: new Map(districts.map((d) => [d.adcode, onLast.get(d.adcode) ?? {}])),
    trend: { days, series },
    issues,
    facts,
    plans,
  };
}
