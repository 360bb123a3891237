import {
  composeMetrics,
  emptyCounters,
  type FeedItem,
  type Metrics,
  type SchoolRow,
  type Snapshot,
} from '@dudao/domain';

export const metrics = (patch: (m: Metrics) => void = () => {}): Metrics => {
  const m = composeMetrics(emptyCounters());
  patch(m);
  return m;
};

export const snapshot = (version: number, patch?: (m: Metrics) => void, scope = 'city'): Snapshot => ({
  scope,
  version,
  asOf: new Date(1_800_000_000_000 + version).toISOString(),
  metrics: metrics(patch),
  ...(scope === 'city'
    ? {
        districts: [
          { adcode: '430202', name: '荷塘区', metrics: metrics() },
          { adcode: '430211', name: '天元区', metrics: metrics() },
        ],
      }
    : {}),
});

export const feedItem = (
  id: string,
  type: FeedItem['type'] = 'inspection.started',
  district = '430211',
): FeedItem => ({
  id,
  type,
  district,
  districtName: '天元区',
  occurredAt: '2026-11-26T06:00:00.000Z',
  target: { kind: 'school', id: 's1', name: '天元区实验小学' },
  detail: {},
});

/** A district table's school row: an unvisited-by-its-supervisor primary school unless `p` says otherwise. */
export const school = (id: string, p: Partial<SchoolRow> = {}): SchoolRow => ({
  id,
  name: `学校${id}`,
  stage: 'primary',
  ownership: 'public',
  students: 100,
  inspectionsThisMonth: 1,
  openIssues: 0,
  overdueIssues: 0,
  lastVisitAt: null,
  supervisor: null,
  supervisorName: null,
  zone: null,
  supervisorVisitedThisMonth: false,
  ...p,
});
