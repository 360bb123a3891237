/**
 * SPEC §15 alerts in the database: the candidates within the rules' bounds are the objects not yet
 * fired for that rule, and a dedupe key is stored once however often it is inserted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertBounds, DAY_MS, DEFAULT_ALERT_RULES, evaluateAlerts } from '@dudao/domain';
import { openTestDatabase, type TestDatabase } from '../testing/database.ts';
import { complaints, issues } from '../src/schema/index.ts';
import { acknowledgeFiring, alertCandidates, firedKeys, insertFirings } from '../src/queries/alerts.ts';

const TZ = 'Asia/Shanghai';
const D = '430211';
const NOW = Date.parse('2026-11-25T10:00:00+08:00');
let test: TestDatabase;

const issue = (id: string, over: Partial<typeof issues.$inferInsert>) => ({
  id,
  district: D,
  targetKind: 'school' as const,
  targetId: 'S1',
  category: 'homework',
  severity: 'minor' as const,
  status: 'open' as const,
  deadline: new Date(NOW + DAY_MS),
  raisedAt: new Date(NOW - 60_000),
  ...over,
});

beforeAll(async () => {
  test = await openTestDatabase();
  await test.database.db
    .insert(issues)
    .values([
      issue('CRIT', { severity: 'critical' }),
      issue('OLD-CRIT', { severity: 'critical', raisedAt: new Date(NOW - 2 * DAY_MS) }),
      issue('LATE', { deadline: new Date(NOW - 8 * DAY_MS) }),
      issue('LATE-CLOSED', { deadline: new Date(NOW - 8 * DAY_MS), status: 'closed' }),
      issue('TWICE', { reopenCount: 2 }),
      issue('ONCE', { reopenCount: 1 }),
      issue('QUIET', {}),
    ]);
  await test.database.db.insert(complaints).values([
    {
      id: 'C-OLD',
      district: D,
      channel: 'hotline',
      category: 'fees',
      status: 'open',
      receivedAt: new Date(NOW - 9 * DAY_MS),
    },
    {
      id: 'C-NEW',
      district: D,
      channel: 'hotline',
      category: 'fees',
      status: 'open',
      receivedAt: new Date(NOW - DAY_MS),
    },
  ]);
});
afterAll(() => test?.drop());

describe('SPEC §15 alert candidates and firings in the database', () => {
  it('fetches what the rules name, fires it once, and then no longer fetches it', async () => {
    const { database } = test;
    const bounds = alertBounds(DEFAULT_ALERT_RULES, NOW, TZ);
    const evaluate = async () => {
      const c = await alertCandidates(database, bounds);
      return evaluateAlerts({ now: NOW, timezone: TZ, rules: DEFAULT_ALERT_RULES, ...c, coverage: [] });
    };
    const first = await evaluate();
    expect(first.map((f) => f.dedupeKey).sort()).toEqual([
      'complaint_open:C-OLD',
      'critical_issue:CRIT',
      'issue_overdue:LATE',
      'issue_reopened:TWICE',
    ]);
    const stored = await insertFirings(database, first, new Date(NOW));
    expect(stored).toHaveLength(4);
    // A second leader evaluating the same state at the same time stores nothing more.
    expect(await insertFirings(database, first, new Date(NOW))).toEqual([]);
    expect(await evaluate()).toEqual([]);
    expect(await firedKeys(database, ['critical_issue:CRIT', 'critical_issue:QUIET'])).toEqual(
      new Set(['critical_issue:CRIT']),
    );
  });

  it('keeps the first acknowledgement', async () => {
    const [row] = await insertFirings(
      test.database,
      [
        {
          rule: 'critical_issue',
          dedupeKey: 'critical_issue:ACK',
          district: D,
          subject: { kind: 'issue', id: 'ACK' },
          severity: 'critical',
          facts: {},
        },
      ],
      new Date(NOW),
    );
    const first = await acknowledgeFiring(test.database, row!.id, 'zhang', new Date(NOW + 1000));
    const again = await acknowledgeFiring(test.database, row!.id, 'li', new Date(NOW + 2000));
    expect(first).toMatchObject({ changed: true, row: { acknowledgedBy: 'zhang' } });
    expect(again).toMatchObject({ changed: false, row: { acknowledgedBy: 'zhang' } });
    expect(await acknowledgeFiring(test.database, 999_999, 'li', new Date(NOW))).toBeNull();
  });
});
