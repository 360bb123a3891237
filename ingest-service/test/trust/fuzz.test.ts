/**
 * Bad input (SPEC §5): a property-based fuzz test throws malformed, oversized, wrongly typed,
 * out-of-order, duplicated and cross-district events at the live service, alone and in batches,
 * several requests at once. After each round: the service is alive, every answer was the
 * documented status with the right code, every item that had to be accepted was, every id the
 * service took (accepted or duplicate) is in the database and none it refused is, the ledger's
 * invariants hold, the live counts are the ledger's, and the live store equals a rebuild.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ITEM_CODES } from '@dudao/domain';
import { startTestService, type TestService } from '../../testing/index.ts';
import { testClock, TY } from '@dudao/testkit';
import { expectedStatus, NOW, request, wire, type KeyName, type PlannedRequest } from './fuzz-requests.ts';
import { ledgerCounts, ledgerViolations, snapshotCounts, values } from './truth.ts';

const ROUNDS = 25;
const REQUESTS_PER_ROUND = 6;
/** What an answer must never carry: a stack frame, the SQL of a failed query, a driver's words. */
const LEAK = /\bat .*:\d+:\d+|failed query|select |insert into|pg_advisory|drizzle|ioredis/i;
const ERROR_CODES: Record<number, string> = {
  400: 'invalid_body',
  401: 'unauthorized',
  403: 'forbidden',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

let svc: TestService;
beforeAll(async () => {
  svc = await startTestService({ clock: testClock(new Date(NOW).toISOString()) });
});
afterAll(() => svc.close());

const tokenOf = (key: KeyName): string | null => (key === 'none' ? null : svc.keys[key]);

/** Ids the service took (2xx, not refused), and ids it refused for their content (not a conflict). */
const ids = { taken: new Set<string>(), refused: new Set<string>() };

/** Sends one planned request; checks its answer against the contract; returns the items if taken. */
async function send(plan: PlannedRequest, taken: unknown[][]): Promise<void> {
  const w = wire(plan, taken);
  const res = await svc.postRaw(w.body, w.type, tokenOf(plan.key));
  const context = `${plan.form} by ${plan.key}: ${w.body.slice(0, 300)} → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`;
  expect(res.status, context).toBe(expectedStatus(plan, w));
  expect(JSON.stringify(res.body), context).not.toMatch(LEAK);
  if (res.status !== 200) {
    expect(res.body.error, context).toBe(ERROR_CODES[res.status]);
    if (res.status === 400) expect(res.body.details.length, context).toBeGreaterThan(0);
    return;
  }
  const { accepted, duplicates, rejected } = res.body as {
    accepted: number;
    duplicates: number;
    rejected: { index: number; code: string }[];
  };
  expect(accepted + duplicates + rejected.length, context).toBe(w.items.length);
  for (const r of rejected) expect(ITEM_CODES, context).toContain(r.code);
  const refused = new Map(rejected.map((r) => [r.index, r.code]));
  w.items.forEach((e, i) => {
    const id = (e as { id: string }).id;
    if (w.mustAccept[i]) expect(refused.get(i), `${context}\nitem ${i} is valid`).toBeUndefined();
    if (!refused.has(i)) ids.taken.add(id);
    else if (refused.get(i) !== 'conflict') ids.refused.add(id);
  });
  if (plan.key === 'ingestTY') {
    // A district key writes its district only: anything else is refused, item by item.
    const refused = new Set(rejected.map((r) => r.index));
    w.items.forEach((e, i) => {
      if ((e as { district: string }).district !== TY) expect(refused.has(i), context).toBe(true);
    });
  }
  taken.push(w.items);
}

/** Every id taken is stored; an id refused (and never taken by another request) is not. */
async function expectIdsStored(): Promise<void> {
  const all = [...ids.taken, ...ids.refused];
  const rows = await svc.database.query<{ id: string }>('select id from events where id = any($1)', [all]);
  const stored = new Set(rows.map((r) => r.id));
  expect([...ids.taken].filter((id) => !stored.has(id))).toEqual([]);
  expect([...ids.refused].filter((id) => !ids.taken.has(id) && stored.has(id))).toEqual([]);
}

async function expectConsistent(): Promise<void> {
  expect((await svc.get('/api/v1/healthz', null)).status).toBe(200);
  await expectIdsStored();
  expect(await ledgerViolations(svc.database)).toEqual([]);
  const live = await svc.metrics();
  expect(snapshotCounts(live)).toEqual(await ledgerCounts(svc.database));
  await svc.server.rebuild();
  expect(values(await svc.metrics())).toEqual(values(live));
}

describe('bad input never gets through, never takes the service down, never bends the numbers', () => {
  it(
    `holds over ${ROUNDS} rounds of ${REQUESTS_PER_ROUND} concurrent requests`,
    { timeout: 120_000 },
    async () => {
      const taken: unknown[][] = [];
      await fc.assert(
        fc.asyncProperty(
          fc.array(request, { minLength: 1, maxLength: REQUESTS_PER_ROUND }),
          async (plans) => {
            // At once, so broken and good requests share the pipeline's groups.
            await Promise.all(plans.map((plan) => send(plan, taken)));
            await expectConsistent();
          },
        ),
        { numRuns: ROUNDS },
      );
      // The rounds did reach the ledger, not only its doors, with items that had to be accepted.
      expect(ids.taken.size).toBeGreaterThan(0);
      const counts = await ledgerCounts(svc.database);
      expect(counts.inspections.total + counts.issues.raised + counts.complaints.received).toBeGreaterThan(0);
    },
  );
});
