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
  /** the second line, its figures read from the metrics (none without metrics) */
  const sub = (key: string, params: (m: Metrics) => Record<string, string | number>) =>
    m ? { key, params: params(m) } : null;
  return [
    {
      key: 'inspectionsToday',
      value: v((x) => x.inspections.today),
      rate: false,
      tone: 'neutral',
      sub: sub('kpiSub.inProgress', (x) => ({
        n: x.inspections.inProgress,
        i: x.activity.inspectorsToday,
      })),
    },
    {
      key: 'inspectionsMonth',
      value: v((x) => x.inspections.month),
      rate: false,
      tone: 'neutral',
      sub: sub('kpiSub.total', (x) => ({ n: x.inspections.total })),
    },
    {
      key: 'coverage',
      value: v((x) => x.coverage.schools.rate),
      rate: true,
      tone: 'neutral',
      sub: sub('kpiSub.covered', (x) => ({
        n: x.coverage.schools.covered,
        total: x.coverage.schools.total,
      })),
    },
    {
      key: 'open',
      value: v((x) => x.issues.open),
      rate: false,
      tone: 'warn',
      sub: sub('kpiSub.submitted', (x) => ({ n: x.issues.submitted })),
      note: m ? { key: 'kpiSub.urged', params: { n: m.issues.urged }, alert: m.issues.urged > 0 } : null,
    },
    {
      key: 'overdue',
      value: v((x) => x.issues.overdue),
      rate: false,
      tone: m && m.issues.overdue > 0 ? 'bad' : 'neutral',
      sub: sub('kpiSub.reopened', (x) => ({ n: x.issues.reopened })),
    },
    {
      key: 'rectification',
      value: v((x) => x.issues.rectificationRate),
      rate: true,
      tone: 'good',
      sub: sub('kpiSub.closed', (x) => ({ n: x.issues.closed, total: x.issues.raised })),
    },
    {
      key: 'reduction',
      value: v((x) => x.institutions.subject.reductionRate),
      rate: true,
      tone: 'good',
      sub: sub('kpiSub.reduced', (x) => ({
        n: x.institutions.subject.closed,
        total: x.institutions.subject.baseline,
      })),
    },
    {
      key: 'complaints',
      value: v((x) => x.complaints.open),
      rate: false,
      tone: 'warn',
      sub: sub('kpiSub.complaints', (x) => ({ n: x.complaints.received })),
    },
  ];
}
