/**
 * The pure core, table by table: each row is the world before, one event, and the exact outcome
 * (the state change and every counter delta) or the exact rejection code. The last section checks
 * the tables against the code: every code the core can return, every outcome of the counter table
 * and every (event, state before) pair has its row.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  checkEnvelope,
  decide,
  EVENT_COUNTERS,
  EVENT_TYPES,
  INSTITUTION_ACTIONS,
  ISSUE_STATUSES,
  ITEM_CODES,
  type Delta,
  type ItemCode,
} from '../src/index.ts';
import { AT, AT_MS, HT, TY, worldOf, type Row } from './core/fixtures.ts';
import { ISSUE_ROWS } from './core/issue-rows.ts';
import { OBJECT_ROWS } from './core/object-rows.ts';

interface EnvelopeRow {
  rule: string;
  district?: string;
  occurredAt?: string;
  /** the district the key may write; null for a city-wide key */
  scope?: string | null;
  maxAgeDays?: number;
  /** null: the envelope holds */
  code: ItemCode | null;
}

/** The checks before the core looks at any object, with the clock at `AT`. */
const ENVELOPE_ROWS: EnvelopeRow[] = [
  { rule: 'a district of the city, a city-wide key, now: holds', code: null },
  { rule: 'a district outside the city', district: '110101', code: 'unknown_district' },
  {
    rule: 'a district outside the city, with a district key',
    district: '110101',
    scope: TY,
    code: 'unknown_district',
  },
  { rule: 'a district the key may not write', scope: HT, code: 'out_of_scope' },
  { rule: 'the district the key may write: holds', scope: TY, code: null },
  { rule: 'exactly 5 minutes ahead: holds', occurredAt: '2026-11-26T10:05:00+08:00', code: null },
  {
    rule: 'more than 5 minutes ahead',
    occurredAt: '2026-11-26T10:05:00.001+08:00',
    code: 'future_timestamp',
  },
  {
    rule: 'exactly 730 days back (the default limit): holds',
    occurredAt: '2024-11-26T10:00:00+08:00',
    code: null,
  },
  { rule: 'more than 730 days back', occurredAt: '2024-11-26T09:59:59.999+08:00', code: 'too_old' },
  { rule: 'a sender’s default date', occurredAt: '1900-01-01T00:00:00+08:00', code: 'too_old' },
  {
    rule: 'within a 30-day limit: holds',
    occurredAt: '2026-10-27T10:00:00+08:00',
    maxAgeDays: 30,
    code: null,
  },
  { rule: 'beyond a 30-day limit', occurredAt: '2026-10-27T09:59:59+08:00', maxAgeDays: 30, code: 'too_old' },
  { rule: 'no age limit (0): holds', occurredAt: '1900-01-01T00:00:00+08:00', maxAgeDays: 0, code: null },
];

describe('SPEC §5 the envelope: district, scope, clock', () => {
  it.each(ENVELOPE_ROWS.map((r) => [r.rule, r] as const))('%s', (_, row) => {
    const e = { district: row.district ?? TY, occurredAt: row.occurredAt ?? AT };
    const refused = checkEnvelope(e, worldOf(), row.scope ?? null, AT_MS, row.maxAgeDays);
    expect(refused?.code ?? null).toBe(row.code);
    if (refused) expect(refused.message).toMatch(/\S/);
  });
});

const ROWS: Row[] = [...ISSUE_ROWS, ...OBJECT_ROWS];
/** Deltas commute: compared as multisets. */
const sorted = (deltas: Delta[]) => deltas.map((d) => JSON.stringify(d)).sort();

describe('SPEC §5 and §13 every transition of the core, and every way it is refused', () => {
  it.each(ROWS.map((r) => [r.rule, r] as const))('%s', (_, { before, event, expected }) => {
    const out = decide(event, worldOf(before));
    if ('code' in expected) {
      expect(out.ok ? 'accepted' : out.code).toBe(expected.code);
      if (!out.ok) expect(out.message).toMatch(/\S/);
      return;
    }
    const seen = out.ok ? { change: out.change, deltas: sorted(out.deltas) } : out;
    expect(seen).toEqual({ change: expected.change, deltas: sorted(expected.deltas) });
  });
});

/** `issue.verified/passed`: a type, and a revisit's result, whose rules differ. */
const kindOf = (e: Row['event']) => (e.type === 'issue.verified' ? `${e.type}/${e.result}` : e.type);

/** The state of the object the event acts on, before it ('none': no such object). */
function stateBefore({ before = {}, event: e }: Row): string {
  if (e.type.startsWith('issue.')) return before.issue?.status ?? 'none';
  if (e.type.startsWith('inspection.')) return before.inspection?.status ?? 'none';
  if (e.type.startsWith('complaint.')) return before.complaint?.status ?? 'none';
  if (e.type === 'institution.action') {
    const i = before.institution;
    return i ? `${e.action} on ${i.category} ${i.status}` : 'none';
  }
  const held = before.report;
  return held ? (held.reportedAt > Date.parse(e.occurredAt) ? 'newer held' : 'older held') : 'none';
}

const product = (kinds: readonly string[], states: readonly string[]) =>
  kinds.flatMap((k) => states.map((s) => `${k} from ${s}`));

describe('the tables cover the core', () => {
  const codes = new Set<string>([
    ...ROWS.flatMap((r) => ('code' in r.expected ? [r.expected.code] : [])),
    ...ENVELOPE_ROWS.flatMap((r) => (r.code ? [r.code] : [])),
  ]);

  it('every code `decide.ts` can return has a row, and no row expects one it cannot', () => {
    const source = readFileSync(new URL('../src/decide.ts', import.meta.url), 'utf8');
    const returned = new Set([...source.matchAll(/reject\(\s*'([a-z_]+)'/g)].map((m) => m[1]));
    expect(returned.size).toBeGreaterThan(5);
    expect([...codes].sort()).toEqual([...returned].sort());
  });

  it('every item code of SPEC §5 has a row, but `conflict`, which the ingest gives (same id, other content)', () => {
    expect(ITEM_CODES.filter((c) => !codes.has(c))).toEqual(['conflict']);
  });

  it('every outcome of the counter table has a row', () => {
    const table = Object.entries(EVENT_COUNTERS).flatMap(([type, outcomes]) =>
      Object.keys(outcomes).map((o) => `${type}/${o}`),
    );
    const rows = ROWS.flatMap((r) =>
      'outcome' in r.expected ? [`${r.event.type}/${r.expected.outcome}`] : [],
    );
    expect([...new Set(rows)].sort()).toEqual(table.sort());
  });

  it('every event type is refused in at least one row', () => {
    const refused = new Set(ROWS.filter((r) => 'code' in r.expected).map((r) => r.event.type));
    expect(EVENT_TYPES.filter((t) => !refused.has(t))).toEqual([]);
  });

  it('every event on an issue, inspection or complaint meets its object in every state, and none', () => {
    const issueKinds = [
      'issue.raised',
      'issue.rectified',
      'issue.verified/passed',
      'issue.verified/failed',
      'issue.deadline_extended',
      'issue.urged',
      'issue.commented',
    ];
    const required = [
      ...product(issueKinds, ['none', ...ISSUE_STATUSES]),
      ...product(['inspection.started', 'inspection.completed'], ['none', 'in_progress', 'completed']),
      ...product(['complaint.received', 'complaint.resolved'], ['none', 'open', 'resolved']),
      ...product(['school.report'], ['none', 'older held', 'newer held']),
    ];
    const present = new Set(ROWS.map((r) => `${kindOf(r.event)} from ${stateBefore(r)}`));
    expect(required.filter((t) => !present.has(t))).toEqual([]);
  });

  it('every institution action meets a subject institution in every status', () => {
    const required = INSTITUTION_ACTIONS.flatMap((a) =>
      ['active', 'suspended', 'closed'].map((s) => `institution.action from ${a} on subject ${s}`),
    );
    const present = new Set(ROWS.map((r) => `${kindOf(r.event)} from ${stateBefore(r)}`));
    expect(required.filter((t) => !present.has(t))).toEqual([]);
  });
});
