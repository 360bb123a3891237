/** The KPI strip's figures, all read from the snapshot's metrics (null → "—"). */
import type { Metrics } from '@dudao/domain';

export type KpiTone = 'neutral' | 'good' | 'warn' | 'bad';
export interface Kpi {
  key: string;
  value: number | null;
  rate: boolean;
  tone: KpiTone;
  /** a short second line: [i18n key, params] */
  sub: { key: string; params: Record<string, string | number> } | null;
  /** a third line that asks for attention when `alert` (督办中 under the open issues) */
  note?: { key: string; params: Record<string, string | number>; alert: boolean } | null;
}

export function buildKpis(m: Metrics | null): Kpi[] {
  const v = <T>(f: (m: Metrics) => T): T | null => (m ? f(m) : null);
  const sub = (key: string, params: Record<string, string | number>) => (m ? { key, params } : null);
  return [
    {
      key: 'inspectionsToday',
      value: v((x) => x.inspections.today),
      rate: false,
      tone: 'neutral',
      sub: sub('kpiSub.inProgress', {
        n: m?.inspections.inProgress ?? 0,
        i: m?.activity.inspectorsToday ?? 0,
      }),
    },
    {
      key: 'inspectionsMonth',
      value: v((x) => x.inspections.month),
      rate: false,
      tone: 'neutral',
      sub: sub('kpiSub.total', { n: m?.inspections.total ?? 0 }),
    },
    {
      key: 'coverage',
      value: v((x) => x.coverage.schools.rate),
      rate: true,
      tone: 'neutral',
      sub: sub('kpiSub.covered', {
        n: m?.coverage.schools.covered ?? 0,
        total: m?.coverage.schools.total ?? 0,
      }),
    },
    {
      key: 'open',
      value: v((x) => x.issues.open),
      rate: false,
      tone: 'warn',
      sub: sub('kpiSub.submitted', { n: m?.issues.submitted ?? 0 }),
      note: m ? { key: 'kpiSub.urged', params: { n: m.issues.urged }, alert: m.issues.urged > 0 } : null,
    },
    {
      key: 'overdue',
      value: v((x) => x.issues.overdue),
      rate: false,
      tone: m && m.issues.overdue > 0 ? 'bad' : 'neutral',
      sub: sub('kpiSub.reopened', { n: m?.issues.reopened ?? 0 }),
    },
    {
      key: 'rectification',
      value: v((x) => x.issues.rectificationRate),
      rate: true,
      tone: 'good',
      sub: sub('kpiSub.closed', { n: m?.issues.closed ?? 0, total: m?.issues.raised ?? 0 }),
    },
    {
      key: 'reduction',
      value: v((x) => x.institutions.subject.reductionRate),
      rate: true,
      tone: 'good',
      sub: sub('kpiSub.reduced', {
        n: m?.institutions.subject.closed ?? 0,
        total: m?.institutions.subject.baseline ?? 0,
      }),
    },
    {
      key: 'complaints',
      value: v((x) => x.complaints.open),
      rate: false,
      tone: 'warn',
      sub: sub('kpiSub.complaints', { n: m?.complaints.received ?? 0 }),
    },
  ];
}
