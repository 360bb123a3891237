/**
 * The meaning of every counter, in one table: for each event type and outcome, the counters it
 * moves (sign and window), the distinct sets it adds to, and what it does to open issues'
 * deadlines (the clock judges `overdue` from them). `decide` turns an accepted event into deltas
 * through this table only. The rebuild (`db/src/queries/live-image.ts`) and the rollups
 * (`db/src/queries/rollup-deltas.ts`) declare which counters they produce; `db/test/counter-table.test.ts`
 * fails when this table moves a counter they do not, and the property tests prove they agree.
 */
import { dayBucket, monthBucket, type Bucket, type Delta } from './deltas.ts';
import type { EventType, Target } from './events.ts';
import { localTime } from './time.ts';

/** Bucket field names of the live image: one list, so stores, rebuild, rollups and metrics agree. */
export const COUNTER_FIELD = {
  inspections: 'inspections',
  inProgress: 'inspections.inProgress',
  hour: (h: number) => `hour.${h}`,
  raised: 'issues.raised',
  open: 'issues.open',
  submitted: 'issues.submitted',
  closed: 'issues.closed',
  reopened: 'issues.reopened',
  urged: 'issues.urged',
  closeMsSum: 'issues.closeMsSum',
  byCategory: (c: string) => `issues.byCategory.${c}`,
  action: (a: string) => `institutions.actions.${a}`,
  subject: (status: string) => `institutions.subject.${status}`,
  complaintsReceived: 'complaints.received',
  complaintsResolved: 'complaints.resolved',
  reporting: 'reports.reporting',
  offering: 'reports.offering',
  participationBp: 'reports.participationBp',
  compliant: 'reports.compliant',
  registrySchools: 'registry.schools',
  registryInstitutions: 'registry.institutions',
  registrySubject: 'registry.subject',
} as const;
export type CounterName = keyof typeof COUNTER_FIELD;

/** Counters no event moves: the registry's sizes, which only the rebuild and the rollups count. */
export const REGISTRY_COUNTERS = ['registrySchools', 'registryInstitutions', 'registrySubject'] as const;

/**
 * Where a count is kept: all time, the local day or month of `occurredAt`, or (`period`) the month
 * a school report is for, whenever it was sent.
 */
export type CounterWindow = 'total' | 'day' | 'month' | 'period';

/** What names the member of a counter family (`hour.9`, `issues.byCategory.fees`, …). */
export type FamilyKey = 'hour' | 'category' | 'action' | 'statusBefore' | 'statusAfter';

/** How much a move adds: one, minus one, or a quantity the event brings (`closeMs`, a report's `change`). */
export type Amount = 1 | -1 | 'closeMs' | 'change';

/**
 * A fact that must hold for the move to apply, beyond the outcome itself: the event names an
 * inspector; a subject institution's status changed; the issue had been urged before the event.
 */
export type Condition = 'inspector' | 'subjectStatusChanged' | 'urged';

export type CounterMove =
  | { counter: CounterName; window: CounterWindow; by: Amount; key?: FamilyKey; when?: Condition }
  /** a distinct member: today's inspectors, this month's covered schools or institutions */
  | { set: 'inspectors' | 'covered'; window: 'day' | 'month'; when?: Condition }
  /** an open issue's deadline, which the clock turns into `overdue` */
  | { deadline: 'set' | 'clear' }
  /** the newest `occurredAt` seen */
  | { lastEventAt: true };

const count = (counter: CounterName, window: CounterWindow = 'total', by: Amount = 1): CounterMove => ({
  counter,
  window,
  by,
});
const family = (
  counter: CounterName,
  key: FamilyKey,
  window: CounterWindow,
  by: Amount = 1,
): CounterMove => ({
  counter,
  window,
  by,
  key,
});

/** Event type → outcome → the counters it moves. An outcome with no moves changes state only. */
export const EVENT_COUNTERS = {
  'inspection.started': {
    started: [
      count('inspections', 'total'),
      count('inspections', 'day'),
      count('inspections', 'month'),
      count('inProgress'),
      family('hour', 'hour', 'day'),
      { set: 'covered', window: 'month' },
    ],
  },
  'inspection.completed': { completed: [count('inProgress', 'total', -1)] },
  'issue.raised': {
    raised: [count('raised'), count('open'), family('byCategory', 'category', 'total'), { deadline: 'set' }],
  },
  'issue.rectified': {
    rectified: [
      count('open', 'total', -1),
      count('submitted'),
      { deadline: 'clear' },
      { ...count('urged', 'total', -1), when: 'urged' },
    ],
  },
  'issue.verified': {
    passed: [count('submitted', 'total', -1), count('closed'), count('closeMsSum', 'total', 'closeMs')],
    failed: [
      count('submitted', 'total', -1),
      count('open'),
      count('reopened'),
      { deadline: 'set' },
      { ...count('urged'), when: 'urged' },
    ],
  },
  /** the open issue's new deadline replaces the old one: an overdue issue may stop being overdue */
  'issue.deadline_extended': { extended: [{ deadline: 'set' }] },
  /** `issues.urged` counts open issues urged at least once: the first urge counts, later ones do not */
  'issue.urged': { first: [count('urged')], again: [] },
  'issue.commented': { commented: [] },
  'institution.action': {
    acted: [
      family('action', 'action', 'total'),
      { ...family('subject', 'statusBefore', 'total', -1), when: 'subjectStatusChanged' },
      { ...family('subject', 'statusAfter', 'total'), when: 'subjectStatusChanged' },
    ],
  },
  'complaint.received': { received: [count('complaintsReceived')] },
  'complaint.resolved': { resolved: [count('complaintsResolved')] },
  'school.report': {
    /** the school's latest report for its month: the month's sums move by the difference */
    replaced: [
      count('reporting', 'period', 'change'),
      count('offering', 'period', 'change'),
      count('participationBp', 'period', 'change'),
      count('compliant', 'period', 'change'),
    ],
    /** older than the report held: kept in the log only */
    superseded: [],
  },
} as const satisfies Record<EventType, Record<string, readonly CounterMove[]>>;

/** Moves of every accepted event, whatever its type. */
export const COMMON_MOVES: readonly CounterMove[] = [
  { lastEventAt: true },
  { set: 'inspectors', window: 'day', when: 'inspector' },
];

export type OutcomeOf<T extends EventType> = keyof (typeof EVENT_COUNTERS)[T] & string;

/** What the core knows of one accepted event, for the moves to read. */
export interface MoveFacts {
  district: string;
  /** `occurredAt` in ms */
  at: number;
  timezone: string;
  inspector?: string | undefined;
  /** the inspection's target, for the `covered` sets */
  target?: Target;
  hour?: number;
  category?: string;
  action?: string;
  statusBefore?: string;
  statusAfter?: string;
  issueId?: string;
  deadlineMs?: number;
  closeMs?: number;
  /** a school report's month */
  period?: string;
  /** a school report's differences from the one it replaces */
  change?: Partial<Record<CounterName, number>>;
  subjectStatusChanged?: boolean;
  /** the issue had been urged before this event */
  urged?: boolean;
}

const CONDITIONS: Record<Condition, (f: MoveFacts) => boolean> = {
  inspector: (f) => f.inspector !== undefined,
  subjectStatusChanged: (f) => f.subjectStatusChanged === true,
  urged: (f) => f.urged === true,
};

const holds = (when: Condition | undefined, f: MoveFacts): boolean =>
  when === undefined || CONDITIONS[when](f);

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`counter table: the move needs ${what}`);
  return value;
}

function bucketOf(window: CounterWindow, f: MoveFacts): Bucket {
  if (window === 'total') return 'total';
  if (window === 'period') return monthBucket(need(f.period, 'period'));
  const local = localTime(f.at, f.timezone);
  return window === 'day' ? dayBucket(local.day) : monthBucket(local.month);
}

function fieldOf(counter: CounterName, key: FamilyKey | undefined, f: MoveFacts): string {
  const field = COUNTER_FIELD[counter];
  if (typeof field === 'string') return field;
  const member = f[need(key, `a key for ${counter}`)];
  return (field as (k: string | number) => string)(need(member, key as string));
}

function amountOf(by: Amount, counter: CounterName, f: MoveFacts): number {
  if (by === 'closeMs') return need(f.closeMs, 'closeMs');
  if (by === 'change') return f.change?.[counter] ?? 0;
  return by;
}

function moveDelta(move: CounterMove, f: MoveFacts): Delta | null {
  const district = f.district;
  if ('lastEventAt' in move) return { op: 'seen', district, occurredAtMs: f.at };
  if ('deadline' in move) {
    const issueId = need(f.issueId, 'issueId');
    return move.deadline === 'set'
      ? { op: 'setDeadline', district, issueId, deadlineMs: need(f.deadlineMs, 'deadlineMs') }
      : { op: 'clearDeadline', district, issueId };
  }
  if (!holds(move.when, f)) return null;
  if ('set' in move) {
    const local = localTime(f.at, f.timezone);
    const window = move.window === 'day' ? local.day : local.month;
    if (move.set === 'inspectors')
      return { op: 'addMember', district, set: 'inspectors', window, member: need(f.inspector, 'inspector') };
    const target = need(f.target, 'target');
    const set = target.kind === 'school' ? 'coveredSchools' : 'coveredInstitutions';
    return { op: 'addMember', district, set, window, member: target.id };
  }
  const by = amountOf(move.by, move.counter, f);
  if (by === 0) return null;
  return {
    op: 'incr',
    district,
    bucket: bucketOf(move.window, f),
    field: fieldOf(move.counter, move.key, f),
    by,
  };
}

/** The deltas of an accepted event: its outcome's moves, then the common ones. */
export function countedDeltas(type: EventType, outcome: string, facts: MoveFacts): Delta[] {
  const moves = (EVENT_COUNTERS[type] as Record<string, readonly CounterMove[] | undefined>)[outcome];
  if (!moves) throw new Error(`counter table: ${type} has no outcome ${outcome}`);
  const deltas: Delta[] = [];
  for (const move of [...moves, ...COMMON_MOVES]) {
    const delta = moveDelta(move, facts);
    if (delta) deltas.push(delta);
  }
  return deltas;
}

/** Every (counter, window) the table moves, as `counter:window` (`period` is kept as a month). */
export function movedCounters(): Set<string> {
  const out = new Set<string>();
  for (const outcomes of Object.values(EVENT_COUNTERS))
    for (const moves of Object.values(outcomes) as (readonly CounterMove[])[])
      for (const move of moves)
        if ('counter' in move) out.add(`${move.counter}:${move.window === 'period' ? 'month' : move.window}`);
  return out;
}
