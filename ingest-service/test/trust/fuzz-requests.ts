/**
 * fast-check arbitraries for the ingest fuzz test: events of every type over a small pool of ids
 * (so raise, rectify and verify meet the same issues, across rounds too), out of order, some in the
 * future, some of another district; items broken in ways that make a whole request invalid; and the
 * request forms a sender may try. Each request knows the status SPEC §5 and §9 promise for it.
 */
import fc from 'fast-check';
import {
  COMPLAINT_CHANNELS,
  INSPECTION_MODES,
  INSTITUTION_ACTIONS,
  ISSUE_CATEGORIES,
  SEVERITIES,
  THEMES,
} from '@dudao/domain';
import { MAX_BODY_BYTES, MAX_EVENTS_PER_REQUEST } from '../../src/config.ts';
import { HT, TY } from '@dudao/testkit';

export const NOW = Date.parse('2026-11-26T10:00:00+08:00');
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const POOL_SIZE = 3;

let seq = 0;
const eventId = () => `fz-ev-${process.pid}-${++seq}`;
const iso = (ms: number) => new Date(ms).toISOString();

/** The test registry by district (service.ts REGISTRY), and ids no registry of the district has. */
type Kind = 'schools' | 'institutions' | 'inspectors';
const REGISTRY_OF: Record<string, Record<Kind, string[]>> = {
  [TY]: {
    schools: ['S-TY-1', 'S-TY-2', 'S-TY-3'],
    institutions: ['N-TY-1', 'N-TY-2'],
    inspectors: ['P-TY-1', 'P-TY-2'],
  },
  [HT]: { schools: ['S-HT-1'], institutions: ['N-HT-1'], inspectors: ['P-HT-1'] },
};
const STRANGERS: Record<Kind, string[]> = {
  schools: ['S-NOWHERE', 'S-HT-1'],
  institutions: ['N-NOWHERE', 'N-TY-1'],
  inspectors: ['P-NOBODY', 'P-TY-1'],
};

/** Mostly the district's own registry; sometimes a stranger to it (unknown_target). */
const from = (district: string, kind: Kind) =>
  fc.oneof(
    { weight: 9, arbitrary: fc.constantFrom(...(REGISTRY_OF[district] ?? STRANGERS)[kind]) },
    { weight: 1, arbitrary: fc.constantFrom(...STRANGERS[kind]) },
  );

/** A few ids per kind and district, shared by all rounds, so raise, rectify and verify meet. */
const poolId = (kind: string, district: string) =>
  fc.nat({ max: POOL_SIZE - 1 }).map((n) => `fz-${kind}-${district}-${n}`);

/** What follows an event: a deadline from one hour to a month later. */
const later = fc.integer({ min: HOUR_MS, max: 30 * DAY_MS });

/** The fields of each type, given the event's time and district; the ledger's steps weigh more. */
function bodies(at: number, district: string) {
  const id = (kind: string) => poolId(kind, district);
  const target = fc.oneof(
    fc.record({ kind: fc.constant('school'), id: from(district, 'schools') }),
    fc.record({ kind: fc.constant('institution'), id: from(district, 'institutions') }),
  );
  const deadline = later.map((d) => iso(at + d));
  const typed = (type: string, fields: Record<string, fc.Arbitrary<unknown>>) =>
    fc.record({ type: fc.constant(type), ...fields });
  return fc.oneof(
    typed('inspection.started', {
      inspectionId: id('insp'),
      target,
      mode: fc.constantFrom(...INSPECTION_MODES),
      theme: fc.constantFrom(...THEMES),
      inspector: from(district, 'inspectors'),
    }),
    typed('inspection.completed', { inspectionId: id('insp'), findings: fc.nat(20) }),
    {
      weight: 2,
      arbitrary: typed('issue.raised', {
        issueId: id('iss'),
        target,
        category: fc.constantFrom(...ISSUE_CATEGORIES),
        severity: fc.constantFrom(...SEVERITIES),
        deadline,
      }),
    },
    { weight: 2, arbitrary: typed('issue.rectified', { issueId: id('iss') }) },
    { weight: 2, arbitrary: typed('issue.verified', { issueId: id('iss'), result: fc.constant('passed') }) },
    typed('issue.verified', { issueId: id('iss'), result: fc.constant('failed'), deadline }),
    typed('institution.action', {
      institutionId: from(district, 'institutions'),
      action: fc.constantFrom(...INSTITUTION_ACTIONS),
    }),
    typed('complaint.received', {
      complaintId: id('cmp'),
      channel: fc.constantFrom(...COMPLAINT_CHANNELS),
      category: fc.constantFrom(...ISSUE_CATEGORIES),
    }),
    typed('complaint.resolved', { complaintId: id('cmp') }),
    typed('school.report', {
      schoolId: from(district, 'schools'),
      period: fc.constant(iso(at).slice(0, 7)),
      afterSchoolOffered: fc.boolean(),
      afterSchoolParticipation: fc.double({ min: 0, max: 1, noNaN: true }),
      homeworkCompliant: fc.boolean(),
    }),
  );
}

/** A well-formed event: most in the last 40 days, out of order; a few up to 20 minutes ahead. */
export const event = fc
  .tuple(
    fc.oneof(
      { weight: 9, arbitrary: fc.integer({ min: -40 * DAY_MS, max: 0 }) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 20 * 60_000 }) },
    ),
    fc.oneof(
      { weight: 6, arbitrary: fc.constant(TY) },
      { weight: 3, arbitrary: fc.constant(HT) },
      { weight: 1, arbitrary: fc.constantFrom('430299', '110101') },
    ),
  )
  .chain(([offset, district]) =>
    bodies(NOW + offset, district).map((body) => ({
      id: eventId(),
      occurredAt: iso(NOW + offset),
      district,
      ...body,
    })),
  );

/**
 * An event the service must accept whatever came before it: new ids (no earlier state to
 * contradict), the district's own registry, a time in the last day, a known district.
 */
export const validEvent = fc
  .tuple(fc.integer({ min: -DAY_MS, max: 0 }), fc.constantFrom(TY, HT))
  .chain(([offset, district]) => {
    const at = NOW + offset;
    const fresh = (kind: string) => fc.constant(null).map(() => `fz-${kind}-new-${process.pid}-${++seq}`);
    const target = fc.record({
      kind: fc.constant('school'),
      id: fc.constantFrom(...REGISTRY_OF[district]!.schools),
    });
    const body = fc.oneof(
      fc.record({
        type: fc.constant('inspection.started'),
        inspectionId: fresh('insp'),
        target,
        mode: fc.constantFrom(...INSPECTION_MODES),
        theme: fc.constantFrom(...THEMES),
        inspector: fc.constantFrom(...REGISTRY_OF[district]!.inspectors),
      }),
      fc.record({
        type: fc.constant('issue.raised'),
        issueId: fresh('iss'),
        target,
        category: fc.constantFrom(...ISSUE_CATEGORIES),
        severity: fc.constantFrom(...SEVERITIES),
        deadline: later.map((d) => iso(at + d)),
      }),
      fc.record({
        type: fc.constant('complaint.received'),
        complaintId: fresh('cmp'),
        channel: fc.constantFrom(...COMPLAINT_CHANNELS),
        category: fc.constantFrom(...ISSUE_CATEGORIES),
      }),
    );
    return body.map((b) => ({ id: eventId(), occurredAt: iso(at), district, ...b }));
  });

type Item = Record<string, unknown>;
/** Ways to break an item so that no schema lets it through: the request is then a 400. */
const breakages: [string, (e: Item) => unknown][] = [
  ['no id', ({ id: _, ...rest }) => rest],
  ['no type', ({ type: _, ...rest }) => rest],
  ['no occurredAt', ({ occurredAt: _, ...rest }) => rest],
  ['district a number', (e) => ({ ...e, district: Number(e.district) })],
  ['id too short', (e) => ({ ...e, id: 'abc' })],
  ['id with spaces', (e) => ({ ...e, id: 'bad id with spaces' })],
  ['unknown type', (e) => ({ ...e, type: 'issue.exploded' })],
  ['occurredAt not a time', (e) => ({ ...e, occurredAt: 'yesterday at noon' })],
  ['occurredAt a leap second', (e) => ({ ...e, occurredAt: '2026-06-30T23:59:60Z' })],
  ['occurredAt without offset', (e) => ({ ...e, occurredAt: '2026-11-26T10:00:00' })],
  ['a huge field', (e) => ({ ...e, type: 'issue.rectified', issueId: 'fz-iss-0-0', note: 'x'.repeat(2001) })],
  ['U+0000 in a string', (e) => ({ ...e, remark: 'a\u0000b' })],
  ['nested without end', (e) => ({ ...e, extra: JSON.parse('['.repeat(64) + ']'.repeat(64)) as unknown })],
  ['a deadline before the event', (e) => ({ ...e, type: 'issue.raised', deadline: '2000-01-01T00:00:00Z' })],
  ['participation above 1', (e) => ({ ...e, type: 'school.report', afterSchoolParticipation: 1.5 })],
  ['a number', () => 42],
  ['a string', () => 'inspection.started'],
  ['null', () => null],
];

export interface PlannedItem {
  item: unknown;
  broken: string | null;
  /** must be accepted when its request is taken (200) by a key that may write its district */
  valid: boolean;
}

export const item: fc.Arbitrary<PlannedItem> = fc.oneof(
  { weight: 5, arbitrary: validEvent.map((e) => ({ item: e, broken: null, valid: true })) },
  { weight: 10, arbitrary: event.map((e) => ({ item: e, broken: null, valid: false })) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(event, fc.constantFrom(...breakages))
      .map(([e, [name, breakIt]]) => ({ item: breakIt(e), broken: name, valid: false })),
  },
);

export type KeyName = 'ingest' | 'ingestTY' | 'admin' | 'viewer' | 'none';
export type Form =
  'single' | 'batch' | 'ndjson' | 'bad-json' | 'too-many' | 'too-big' | 'form-data' | 'again';

export interface PlannedRequest {
  key: KeyName;
  form: Form;
  items: PlannedItem[];
}

export const request: fc.Arbitrary<PlannedRequest> = fc.record({
  key: fc.oneof(
    { weight: 6, arbitrary: fc.constant<KeyName>('ingest') },
    { weight: 3, arbitrary: fc.constant<KeyName>('ingestTY') },
    { weight: 1, arbitrary: fc.constantFrom<KeyName>('admin', 'viewer', 'none') },
  ),
  form: fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom<Form>('single', 'batch', 'ndjson') },
    { weight: 1, arbitrary: fc.constantFrom<Form>('bad-json', 'too-many', 'too-big', 'form-data', 'again') },
  ),
  items: fc.array(item, { minLength: 1, maxLength: 12 }),
});

export interface Wire {
  body: string;
  type: string;
  /** what the request's items are, once parsed */
  items: unknown[];
  /** an item is broken: the whole request is a 400 */
  broken: boolean;
  /** per item of `items`: it must be accepted if the request is taken */
  mustAccept: boolean[];
}

/**
 * The bytes of a request. `again` sends the items of an earlier request that was taken (200) once
 * more, the first one with other content: duplicates and a conflict.
 */
export function wire(r: PlannedRequest, taken: unknown[][]): Wire {
  const w = wireOf(r, taken);
  // Items sent again (`again`) or repeated (`too-many`) are not the planned ones: no promise there.
  const planned = w.items.every((x, i) => x === r.items[i]?.item);
  const writable = (x: unknown) => r.key !== 'ingestTY' || (x as { district?: unknown }).district === TY;
  return { ...w, mustAccept: w.items.map((x, i) => planned && r.items[i]!.valid && writable(x)) };
}

function wireOf(r: PlannedRequest, taken: unknown[][]): Omit<Wire, 'mustAccept'> {
  const items = r.items.map((p) => p.item);
  const broken = r.items.some((p) => p.broken !== null);
  const json = (list: unknown[], isBroken = broken) => ({
    body: JSON.stringify(list),
    type: 'application/json',
    items: list,
    broken: isBroken,
  });
  switch (r.form) {
    case 'single':
      return { ...json(items.slice(0, 1), r.items[0]!.broken !== null), body: JSON.stringify(items[0]) };
    case 'ndjson':
      return {
        body: items.map((i) => JSON.stringify(i)).join('\n'),
        type: 'application/x-ndjson',
        items,
        broken,
      };
    case 'bad-json':
      return { ...json(items), body: JSON.stringify(items).slice(0, -1) };
    case 'too-many':
      return json(Array.from({ length: MAX_EVENTS_PER_REQUEST + 1 }, () => items[0]));
    case 'too-big':
      return json([{ pad: 'x'.repeat(MAX_BODY_BYTES) }], false);
    case 'form-data':
      return {
        body: 'id=1&type=inspection.started',
        type: 'application/x-www-form-urlencoded',
        items: [],
        broken,
      };
    case 'again': {
      const old = taken.at(-1);
      if (!old) return json(items);
      return json(
        old.map((o, i) => (i === 0 ? { ...(o as object), fuzzNote: 'changed' } : o)),
        false,
      );
    }
    case 'batch':
      return json(items);
  }
}

/** The status SPEC §5 and §9 promise: the key is checked first, then the body, then each item. */
export function expectedStatus(r: PlannedRequest, w: Wire): number {
  if (r.key === 'none') return 401;
  if (r.key === 'viewer') return 403;
  if (r.form === 'form-data') return 415;
  if (r.form === 'too-big' || r.form === 'too-many') return 413;
  if (r.form === 'bad-json') return 400;
  return w.broken ? 400 : 200;
}
