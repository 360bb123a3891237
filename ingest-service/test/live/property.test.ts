/**
 * Every store means what `applyDeltas` means: any sequence of batches, and any rebuild image,
 * read back at any instant equals `countersAt` of the domain's reference image.
 */
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  applyDeltas,
  countersAt,
  dayBucket,
  COUNTER_FIELD,
  localTime,
  monthBucket,
  type Bucket,
  type Delta,
  type LiveImage,
} from '@dudao/domain';
import { backends, TZ } from './backends.ts';

const DISTRICTS = ['430202', '430203', '430211'];
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Redis round trips make each run cost milliseconds; this many still finds ordering and window bugs. */
const RUNS = 100;

// Windows around the real clock: the memory store prunes by it, and reads below never go before it.
const base = Date.now();
const days = [-1, 0, 1, 2].map((n) => localTime(base + n * DAY_MS, TZ).day);
const months = [...new Set([-40, 0, 40].map((n) => localTime(base + n * DAY_MS, TZ).month))];

const district = fc.constantFrom(...DISTRICTS);
const bucket: fc.Arbitrary<Bucket> = fc.oneof(
  fc.constant<Bucket>('total'),
  fc.constantFrom(...days).map(dayBucket),
  fc.constantFrom(...months).map(monthBucket),
);
const issueId = fc.constantFrom('I1', 'I2', 'I3', 'I4');
const instant = fc.integer({ min: base - 2 * DAY_MS, max: base + 3 * DAY_MS });

const delta: fc.Arbitrary<Delta> = fc.oneof(
  fc.record({
    op: fc.constant('incr' as const),
    district,
    bucket,
    field: fc.constantFrom(
      COUNTER_FIELD.inspections,
      COUNTER_FIELD.open,
      COUNTER_FIELD.hour(9),
      COUNTER_FIELD.closeMsSum,
    ),
    // small steps that cancel out, and the large ones closeMsSum takes
    by: fc.oneof(fc.integer({ min: -3, max: 5 }), fc.integer({ min: -1e12, max: 1e12 })),
  }),
  fc.record({
    op: fc.constant('addMember' as const),
    district,
    set: fc.constant('inspectors' as const),
    window: fc.constantFrom(...days),
    member: fc.constantFrom('P1', 'P2', 'P3'),
  }),
  fc.record({
    op: fc.constant('addMember' as const),
    district,
    set: fc.constantFrom('coveredSchools' as const, 'coveredInstitutions' as const),
    window: fc.constantFrom(...months),
    member: fc.constantFrom('S1', 'S2', 'S3'),
  }),
  fc.record({ op: fc.constant('setDeadline' as const), district, issueId, deadlineMs: instant }),
  fc.record({ op: fc.constant('clearDeadline' as const), district, issueId }),
  fc.record({ op: fc.constant('seen' as const), district, occurredAtMs: instant }),
);
const batches = fc.array(fc.array(delta, { maxLength: 25 }), { maxLength: 6 });
/** Instants to read at: now, and later ones across deadlines and day/month turns. */
const nows = fc.array(fc.integer({ min: base, max: base + 2 * DAY_MS }), { minLength: 1, maxLength: 3 });

describe.each(backends())('live store against applyDeltas: $name', (backend) => {
  afterAll(() => backend.cleanup());

  async function expectSameAsReference(
    store: Awaited<ReturnType<typeof backend.create>>,
    reference: LiveImage,
    instants: number[],
  ) {
    for (const now of [base, ...instants]) {
      const { counters } = await store.read(DISTRICTS, now);
      for (const d of DISTRICTS) expect(counters.get(d)).toEqual(countersAt(reference.get(d), now, TZ));
    }
  }

  it('any sequence of batches reads back as countersAt(applyDeltas(reference))', async () => {
    await fc.assert(
      fc.asyncProperty(batches, nows, async (sequence, instants) => {
        const store = await backend.create();
        try {
          const reference: LiveImage = new Map();
          for (const batch of sequence) {
            await store.apply(batch, []);
            applyDeltas(reference, batch);
          }
          await expectSameAsReference(store, reference, instants);
        } finally {
          await store.close();
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('replace by any image reads back as that image, whatever the store held before', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(delta), fc.array(delta), nows, async (before, image, instants) => {
        const store = await backend.create();
        try {
          await store.apply(before, []);
          const reference: LiveImage = new Map();
          applyDeltas(reference, image);
          await store.replace(reference);
          await expectSameAsReference(store, reference, instants);
        } finally {
          await store.close();
        }
      }),
      { numRuns: RUNS },
    );
  });
});
