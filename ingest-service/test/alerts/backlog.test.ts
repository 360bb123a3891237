/**
 * SPEC §15 on a first start over a backfilled month (both backends): the time-based rules fire for
 * what crosses their threshold after the evaluator started (less an hour's grace for restarts),
 * not for the whole backlog at once (an issue reopened twice long ago included); and an alert names
 * the school, not the issue's id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ALERT_RULES } from '@dudao/domain';
import { ALERT_RESTART_GRACE_MS } from '../../src/alerts/evaluator.ts';
import { ev, testClock } from '@dudao/testkit';
import { startTestService, type TestService } from '../../testing/index.ts';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const START = '2026-11-10T10:00:00+08:00';
const OVERDUE_DAYS = DEFAULT_ALERT_RULES.issue_overdue.days;
const OPEN_DAYS = DEFAULT_ALERT_RULES.complaint_open.days;

const clock = testClock(START);
const iso = (ms: number) => new Date(ms).toISOString();
let svc: TestService;

beforeAll(async () => {
  svc = await startTestService({ clock });
});
afterAll(async () => {
  await svc?.close();
});

const firedKeys = async () =>
  (
    (await svc.get('/api/v1/alerts?scope=city&limit=200', svc.keys.viewer)).body.items as {
      rule: string;
      subject: { id: string };
    }[]
  )
    .map((a) => `${a.rule}:${a.subject.id}`)
    .sort();

/** An issue raised at `from` whose revisit fails twice, an hour apart each step; deadlines at `deadline`. */
function reopenedTwice(from: number, deadline: number) {
  const raised = ev.raised(iso(from), iso(deadline));
  const step = (hours: number) => iso(from + hours * HOUR_MS);
  return [
    raised,
    ev.rectified(step(1), raised.issueId),
    ev.verified(step(2), raised.issueId, 'failed', { deadline: iso(deadline) }),
    ev.rectified(step(3), raised.issueId),
    ev.verified(step(4), raised.issueId, 'failed', { deadline: iso(deadline) }),
  ];
}

describe('SPEC §15 a first start over a backfilled month', () => {
  it('does not fire the backlog; fires what crosses within the grace and after the start, naming the school', async () => {
    const start = clock.now();
    // A month of history, posted after the service started: overdue and open for weeks already.
    const backlog = Array.from({ length: 15 }, (_, i) =>
      ev.raised(iso(start - (30 - i) * DAY_MS), iso(start - (25 - i) * DAY_MS)),
    );
    const oldComplaints = Array.from({ length: 5 }, (_, i) => ev.complaint(iso(start - (20 + i) * DAY_MS)));
    // crossed half an hour before the start: inside the grace a restart keeps
    const justCrossed = ev.raised(
      iso(start - 10 * DAY_MS),
      iso(start - OVERDUE_DAYS * DAY_MS - ALERT_RESTART_GRACE_MS / 2),
    );
    // crosses a day after the start
    const later = ev.raised(iso(start - 10 * DAY_MS), iso(start - (OVERDUE_DAYS - 1) * DAY_MS));
    const laterComplaint = ev.complaint(iso(start - (OPEN_DAYS - 1) * DAY_MS), {
      target: { kind: 'school', id: 'S-TY-2' },
    });
    // reopened twice weeks ago, still open: history; and one whose second failed revisit comes later
    const reopenedLongAgo = reopenedTwice(start - 20 * DAY_MS, start + 20 * DAY_MS);
    const reopenedLater = reopenedTwice(start - 2 * DAY_MS, start + 20 * DAY_MS);
    const secondFailure = reopenedLater.pop()!;
    const posted = await svc.post([
      ...backlog,
      ...oldComplaints,
      justCrossed,
      later,
      laterComplaint,
      ...reopenedLongAgo,
      ...reopenedLater,
    ]);
    expect(posted.body, JSON.stringify(posted.body)).toMatchObject({ rejected: [] });

    await svc.server.app.alerts.evaluator.tick();
    expect(await firedKeys()).toEqual([`issue_overdue:${justCrossed.issueId}`]);

    clock.set(start + DAY_MS + HOUR_MS);
    const failedAgain = await svc.post([{ ...secondFailure, occurredAt: iso(clock.now() - HOUR_MS) }]);
    expect(failedAgain.body, JSON.stringify(failedAgain.body)).toMatchObject({ accepted: 1 });
    await svc.server.app.alerts.evaluator.tick();
    expect(await firedKeys()).toEqual(
      [
        `issue_overdue:${justCrossed.issueId}`,
        `issue_overdue:${later.issueId}`,
        `complaint_open:${laterComplaint.complaintId}`,
        `issue_reopened:${reopenedLater[0]!.issueId}`,
      ].sort(),
    );

    const items = (await svc.get('/api/v1/alerts?scope=city', svc.keys.viewer)).body.items as {
      subject: { id: string };
      facts: Record<string, unknown>;
    }[];
    const factsOf = (id: string) => items.find((a) => a.subject.id === id)!.facts;
    expect(factsOf(later.issueId)).toMatchObject({ target: 'S-TY-1', targetName: '天元区泰山学校' });
    expect(factsOf(laterComplaint.complaintId)).toMatchObject({
      target: 'S-TY-2',
      targetName: '天元区白鹤小学',
    });
  });
});
