import { beforeAll, describe, expect, it } from 'vitest';
import { checkEnvelope, decide, EVENT_TYPES, type DudaoEvent } from '@dudao/domain';
import { CITY_PACKS } from '@dudao/domain/cities';
import { generateRegistry } from '../src/registry/generator.ts';
import { CityModel, type SimRegistry } from '../src/simulator/model.ts';
import { MemoryWorld } from './helpers/world.ts';

const DAY_MS = 86_400_000;
const EVENTS = 20_000;
const BACKFILL_DAYS = 30;
/** A Thursday morning in November (theme: five_managements). */
const NOW = Date.parse('2026-11-26T10:00:00+08:00');
const pack = CITY_PACKS.zhuzhou;
const registry: SimRegistry = {
  districts: pack.districts.map((d) => d.adcode),
  ...generateRegistry(pack, 3),
};

/** Backfill over 30 days at real pace, then live at 5 events/s as the CLI does. */
function run(seed: number, count: number): { events: DudaoEvent[]; backfilled: number } {
  const model = new CityModel(registry, { seed, runTag: 'test', startMs: NOW - BACKFILL_DAYS * DAY_MS });
  const events: DudaoEvent[] = [];
  while (model.peekAt() <= NOW && events.length < count) events.push(model.next());
  const backfilled = events.length;
  model.setPace({ speedup: 5 / model.peakEventsPerSecond(), minActivity: 0.2, atMs: NOW });
  while (events.length < count) events.push(model.next());
  return { events, backfilled };
}

/** The objects an event acts on, so their events can be checked to come in time order. */
function objectsOf(e: DudaoEvent): string[] {
  switch (e.type) {
    case 'inspection.started':
    case 'inspection.completed':
      return [e.inspectionId];
    case 'issue.raised':
      return [e.issueId, ...(e.inspectionId ? [e.inspectionId] : [])];
    case 'issue.rectified':
    case 'issue.verified':
    case 'issue.deadline_extended':
    case 'issue.urged':
    case 'issue.commented':
      return [e.issueId];
    case 'complaint.received':
    case 'complaint.resolved':
      return [e.complaintId];
    case 'institution.action':
      return [e.institutionId];
    case 'school.report':
      return [`${e.schoolId}/${e.period}`];
  }
}

const beijingHour = (iso: string) => Number(iso.slice(11, 13));
const beijingWeekday = (iso: string) => new Date(`${iso.slice(0, 10)}T00:00:00Z`).getUTCDay();

describe('simulator model: SPEC §5 events the domain accepts', () => {
  let events: DudaoEvent[];
  let backfilled: number;
  let world: MemoryWorld;
  const rejections: string[] = [];

  beforeAll(() => {
    ({ events, backfilled } = run(11, EVENTS));
    world = new MemoryWorld(registry);
    for (const event of events) {
      const now = Date.parse(event.occurredAt);
      const outcome = checkEnvelope(event, world, null, now) ?? decide(event, world);
      if (outcome.ok) world.apply(outcome.change);
      else rejections.push(`${event.id} ${event.type}: ${outcome.code} ${outcome.message}`);
    }
  });

  it('backfills 30 days and goes live, and the domain accepts every one of 20,000 events', () => {
    expect(backfilled).toBeGreaterThan(5_000);
    expect(backfilled).toBeLessThan(EVENTS);
    expect(rejections).toEqual([]);
  });

  it('stamps unique ids and +08:00 times, in time order overall and per object', () => {
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    expect(events.every((e) => /^[A-Za-z0-9_-]{8,64}$/.test(e.id) && e.id.startsWith('sim-'))).toBe(true);
    expect(
      events.every((e) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+08:00$/.test(e.occurredAt)),
    ).toBe(true);
    const lastSeen = new Map<string, number>();
    let previous = -Infinity;
    for (const e of events) {
      const at = Date.parse(e.occurredAt);
      expect(at).toBeGreaterThanOrEqual(previous);
      previous = at;
      for (const key of objectsOf(e)) {
        expect(at).toBeGreaterThanOrEqual(lastSeen.get(key) ?? -Infinity);
        lastSeen.set(key, at);
      }
    }
    expect(Date.parse(events[backfilled - 1]?.occurredAt ?? '')).toBeLessThanOrEqual(NOW);
  });

  it('contains every event type, reopened issues and issues left overdue', () => {
    const types = new Set(events.map((e) => e.type));
    expect([...types].sort()).toEqual([...EVENT_TYPES].sort());
    const reopens = events.filter((e) => e.type === 'issue.verified' && e.result === 'failed').length;
    const verified = events.filter((e) => e.type === 'issue.verified').length;
    expect(reopens / verified).toBeGreaterThan(0.1);
    expect(reopens / verified).toBeLessThan(0.25);
    const end = Date.parse(events[events.length - 1]?.occurredAt ?? '');
    const overdue = [...world.issues.values()].filter((i) => i.status === 'open' && i.deadline < end);
    expect(overdue.length).toBeGreaterThan(0);
    const closed = [...world.issues.values()].filter((i) => i.status === 'closed');
    expect(closed.length).toBeGreaterThan(overdue.length);
  });

  it('keeps deadlines 7-30 days out and fines, suspensions and closures plausible', () => {
    for (const e of events) {
      if (e.type !== 'issue.raised' && !(e.type === 'issue.verified' && e.result === 'failed')) continue;
      const days = (Date.parse(e.deadline ?? '') - Date.parse(e.occurredAt)) / DAY_MS;
      expect(days).toBeGreaterThan(6);
      expect(days).toBeLessThan(31);
    }
    const actions = events.filter((e) => e.type === 'institution.action');
    const fines = actions.filter((e) => e.action === 'fine');
    expect(fines.length).toBeGreaterThan(0);
    expect(fines.every((e) => Number.isInteger(e.amountYuan) && (e.amountYuan ?? 0) >= 2_000)).toBe(true);
    const harsh = actions.filter((e) => e.action === 'suspension' || e.action === 'closure');
    expect(harsh.length).toBeGreaterThan(0);
    expect(harsh.length).toBeLessThan(actions.length * 0.2);
    expect(harsh.every((e) => world.institutions.get(e.institutionId)?.category === 'subject')).toBe(true);
  });

  it('follows the working day, the week and the month theme during backfill', () => {
    const starts = events.slice(0, backfilled).filter((e) => e.type === 'inspection.started');
    const weekday = starts.filter((e) => ![0, 6].includes(beijingWeekday(e.occurredAt)));
    const office = weekday.filter((e) => beijingHour(e.occurredAt) >= 8 && beijingHour(e.occurredAt) < 18);
    expect(office.length / weekday.length).toBeGreaterThan(0.85);
    expect((starts.length - weekday.length) / starts.length).toBeLessThan(0.1);
    // 一月一主题: November's theme is 五项管理.
    const inNovember = starts.filter((e) => e.occurredAt.startsWith('2026-11') && e.target.kind === 'school');
    const onTheme = inNovember.filter((e) => e.theme === 'five_managements');
    expect(onTheme.length / inNovember.length).toBeGreaterThan(0.5);
    const inOctober = starts.filter((e) => e.occurredAt.startsWith('2026-10') && e.target.kind === 'school');
    expect(inOctober.filter((e) => e.theme === 'after_school').length / inOctober.length).toBeGreaterThan(
      0.5,
    );
  });

  it('has monthly school reports with mostly compliant homework and 0.6-0.98 participation', () => {
    const reports = events.filter((e) => e.type === 'school.report');
    expect(reports.length).toBeGreaterThan(100);
    expect(reports.every((r) => r.period === r.occurredAt.slice(0, 7))).toBe(true);
    expect(reports.filter((r) => r.homeworkCompliant).length / reports.length).toBeGreaterThan(0.85);
    const offering = reports.filter((r) => r.afterSchoolOffered);
    expect(offering.length / reports.length).toBeGreaterThan(0.85);
    expect(
      offering.every((r) => r.afterSchoolParticipation >= 0.6 && r.afterSchoolParticipation <= 0.98),
    ).toBe(true);
  });

  it('is deterministic: the same seed gives the same events, another seed other ones', () => {
    const again = run(11, 2_000).events;
    expect(again).toEqual(events.slice(0, 2_000));
    expect(run(12, 2_000).events).not.toEqual(again);
  });
});
