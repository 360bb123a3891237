/**
 * Three days of a scripted city (2026-11-24..26, Asia/Shanghai) for the nightly's tests: days that
 * start at 16:00 UTC, an inspection spanning days, an issue that becomes overdue on a day without
 * events and leaves it by rectification, a failed revisit with a new deadline, a replaced school
 * report, a closure, complaints, urges (督办) of open issues, an overdue issue's deadline extended,
 * a remark on a closed issue. The values each day ends with are worked out by hand beside them.
 */
import { ev } from './events.ts';
import { HT } from './registry.ts';

export const D = (day: string, hhmm: string) => `2026-${day}T${hhmm}:00+08:00`;
/** the last scripted day's last millisecond: the clock the events are posted at */
export const SCENARIO_END = Date.parse(D('11-27', '00:00')) - 1;
export const SCENARIO_DAYS = ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26'] as const;
const ht = { district: HT };

export function scenarioEvents() {
  return [
    ev.started(D('10-31', '23:30'), { inspectionId: 'I1-insp', inspector: 'P-TY-1' }),
    ev.raised(D('11-20', '10:00'), D('12-01', '18:00'), { issueId: 'X3-issue', category: 'other' }),
    ev.rectified(D('11-23', '10:00'), 'X3-issue'),
    ev.report(D('11-10', '10:00'), { schoolId: 'S-TY-1', afterSchoolParticipation: 0.8 }),
    // 11-24: 00:10 local is still 11-23 in UTC
    ev.started(D('11-24', '00:10'), {
      inspectionId: 'I2-insp',
      target: { kind: 'school', id: 'S-TY-2' },
      inspector: 'P-TY-2',
    }),
    ev.complaint(D('11-24', '08:00'), { complaintId: 'C1-complaint' }),
    ev.raised(D('11-24', '09:00'), D('11-25', '12:00'), { issueId: 'X1-issue', category: 'homework' }),
    ev.raised(D('11-24', '10:00'), D('11-30', '18:00'), { issueId: 'X2-issue', category: 'fees' }),
    ev.rectified(D('11-24', '15:00'), 'X2-issue'),
    // 11-25
    ev.completed(D('11-25', '09:00'), 'I2-insp'),
    ev.started(D('11-25', '09:00'), {
      ...ht,
      inspectionId: 'I5-insp',
      target: { kind: 'school', id: 'S-HT-1' },
      inspector: 'P-HT-1',
    }),
    ev.raised(D('11-25', '09:30'), D('11-25', '18:00'), {
      ...ht,
      issueId: 'X4-issue',
      category: 'food_safety',
      target: { kind: 'school', id: 'S-HT-1' },
    }),
    ev.verified(D('11-25', '10:00'), 'X2-issue', 'failed', { deadline: D('11-26', '12:00') }),
    ev.report(D('11-25', '10:00'), {
      schoolId: 'S-TY-1',
      afterSchoolParticipation: 0.6,
      homeworkCompliant: false,
    }),
    ev.action(D('11-25', '11:00'), 'closure'),
    ev.verified(D('11-25', '16:00'), 'X3-issue', 'passed'),
    ev.urged(D('11-25', '08:00'), 'X1-issue'),
    ev.urged(D('11-25', '08:30'), 'X1-issue'),
    ev.urged(D('11-25', '20:00'), 'X4-issue', ht),
    ev.started(D('11-25', '23:50'), { inspectionId: 'I3-insp', inspector: 'P-TY-1' }),
    // 11-26
    ev.started(D('11-26', '08:00'), {
      inspectionId: 'I4-insp',
      target: { kind: 'institution', id: 'N-TY-1' },
      inspector: 'P-TY-2',
    }),
    ev.resolved(D('11-26', '08:30'), 'C1-complaint'),
    ev.rectified(D('11-26', '09:00'), 'X1-issue'),
    // X4 has been overdue since 11-25 18:00: the extension ends it
    ev.extended(D('11-26', '09:10'), 'X4-issue', D('11-28', '18:00'), ht),
    ev.commented(D('11-26', '09:20'), 'X3-issue'),
    ev.action(D('11-26', '09:30'), 'warning'),
    ev.completed(D('11-26', '10:00'), 'I4-insp'),
    ev.report(D('11-26', '11:00'), {
      schoolId: 'S-TY-2',
      afterSchoolOffered: false,
      afterSchoolParticipation: 0,
      homeworkCompliant: true,
    }),
    ev.complaint(D('11-26', '12:00'), { complaintId: 'C2-complaint', channel: 'online' }),
  ];
}

/** 天元区 (TY) at the end of each day. */
export const TIANYUAN: Record<string, Record<string, number>> = {
  '2026-11-23': {
    'inspections.today': 0,
    'inspections.month': 0,
    'inspections.total': 1,
    'inspections.inProgress': 1,
    'issues.raised': 1,
    'issues.open': 0,
    'issues.submitted': 1,
  },
  '2026-11-24': {
    'inspections.today': 1,
    'inspections.month': 1,
    'inspections.total': 2,
    'inspections.inProgress': 2,
    'coverage.schools.covered': 1,
    'coverage.schools.rate': 0.3333,
    'coverage.institutions.covered': 0,
    'issues.raised': 3,
    'issues.open': 1,
    'issues.submitted': 2,
    'issues.closed': 0,
    'issues.overdue': 0,
    'issues.reopened': 0,
    'issues.byCategory.homework': 1,
    'issues.byCategory.fees': 1,
    'issues.byCategory.other': 1,
    'institutions.subject.active': 1,
    'institutions.subject.closed': 0,
    'complaints.received': 1,
    'complaints.open': 1,
    'reports.schoolsReporting': 1,
    'reports.afterSchoolParticipation': 0.8,
    'reports.homeworkCompliance': 1,
    'activity.inspectorsToday': 1,
  },
  '2026-11-25': {
    'inspections.today': 1,
    'inspections.month': 2,
    'inspections.total': 3,
    'inspections.inProgress': 2,
    'coverage.schools.covered': 2,
    'coverage.schools.rate': 0.6667,
    'issues.raised': 3,
    'issues.open': 2,
    'issues.submitted': 0,
    'issues.closed': 1,
    'issues.overdue': 1,
    'issues.reopened': 1,
    'issues.urged': 1,
    'issues.rectificationRate': 0.3333,
    'issues.avgHoursToClose': 126,
    'institutions.subject.baseline': 1,
    'institutions.subject.active': 0,
    'institutions.subject.closed': 1,
    'institutions.subject.reductionRate': 1,
    'institutions.actions.closure': 1,
    'institutions.actions.warning': 0,
    'reports.schoolsReporting': 1,
    'reports.afterSchoolParticipation': 0.6,
    'reports.homeworkCompliance': 0,
    'activity.inspectorsToday': 1,
  },
  '2026-11-26': {
    'inspections.today': 1,
    'inspections.month': 3,
    'inspections.total': 4,
    'inspections.inProgress': 2,
    'coverage.institutions.covered': 1,
    'coverage.institutions.rate': 0.5,
    'issues.open': 1,
    'issues.submitted': 1,
    'issues.closed': 1,
    'issues.overdue': 1,
    'issues.urged': 0,
    'institutions.actions.warning': 1,
    'complaints.received': 2,
    'complaints.resolved': 1,
    'complaints.open': 1,
    'reports.schoolsReporting': 2,
    'reports.afterSchoolCoverage': 0.5,
    'reports.afterSchoolParticipation': 0.6,
    'reports.homeworkCompliance': 0.5,
    'activity.inspectorsToday': 1,
  },
};

/** 荷塘区 (HT) */
export const HETANG: Record<string, Record<string, number>> = {
  '2026-11-24': { 'inspections.total': 0, 'coverage.schools.total': 1, 'institutions.subject.active': 1 },
  '2026-11-25': {
    'inspections.today': 1,
    'inspections.inProgress': 1,
    'coverage.schools.rate': 1,
    'issues.raised': 1,
    'issues.open': 1,
    'issues.overdue': 1,
    'issues.urged': 1,
    'issues.byCategory.food_safety': 1,
    'activity.inspectorsToday': 1,
  },
  '2026-11-26': { 'inspections.today': 0, 'inspections.month': 1, 'issues.overdue': 0, 'issues.urged': 1 },
};

/** The city: sums of its districts, rates as ratios of sums. */
export const CITY: Record<string, Record<string, number>> = {
  '2026-11-25': {
    'inspections.today': 2,
    'inspections.month': 3,
    'inspections.total': 4,
    'inspections.inProgress': 3,
    'coverage.schools.covered': 3,
    'coverage.schools.total': 4,
    'coverage.schools.rate': 0.75,
    'issues.raised': 4,
    'issues.open': 3,
    'issues.closed': 1,
    'issues.overdue': 2,
    'issues.reopened': 1,
    'issues.urged': 2,
    'issues.rectificationRate': 0.25,
    'issues.avgHoursToClose': 126,
    'institutions.subject.baseline': 2,
    'institutions.subject.active': 1,
    'institutions.subject.closed': 1,
    'institutions.subject.reductionRate': 0.5,
    'activity.inspectorsToday': 2,
  },
  '2026-11-26': {
    'issues.overdue': 1,
    'issues.urged': 1,
    'issues.open': 2,
    'issues.submitted': 1,
    'complaints.open': 1,
  },
};
