/**
 * Inspections, institutions, complaints and school reports (SPEC §5): every transition and every
 * way each is refused; and the inspector an event names, whatever its type.
 */
import type { InstitutionActionType, InstitutionState } from '../../src/index.ts';
import type { Row } from './fixtures.ts';
import {
  AT_MS,
  COMPLAINT,
  covered,
  event,
  EVENT_ID,
  HT,
  incr,
  INSPECTION,
  inspectorToday,
  REPORT,
  seen,
  THIS_MONTH,
  TODAY,
  TY,
} from './fixtures.ts';

const start = (fields: Record<string, unknown> = {}) =>
  event({
    type: 'inspection.started',
    inspectionId: 'INS1',
    target: { kind: 'school', id: 'S1' },
    mode: 'routine',
    theme: 'homework',
    inspector: 'P1',
    ...fields,
  });
const started = { ...INSPECTION, startedAt: AT_MS };
const complete = (fields: Record<string, unknown> = {}) =>
  event({ type: 'inspection.completed', inspectionId: 'INS1', findings: 2, ...fields });
const completed = { ...INSPECTION, status: 'completed' as const, completedAt: AT_MS, findings: 2 };

const SUBJECT: InstitutionState = { id: 'N1', district: TY, category: 'subject', status: 'active' };
const NON_SUBJECT: InstitutionState = { id: 'N2', district: TY, category: 'non_subject', status: 'active' };
const act = (action: InstitutionActionType, fields: Record<string, unknown> = {}) =>
  event({ type: 'institution.action', institutionId: 'N1', action, ...fields });
/** `action` on `before`: the action kept, the institution's status after, the counters moved. */
function acted(
  action: InstitutionActionType,
  before: InstitutionState,
  status: InstitutionState['status'],
  moved: ReturnType<typeof incr>[],
  amountYuan: number | null = null,
): Row {
  return {
    rule: `action: ${action} on a ${before.status} ${before.category} institution → ${status}`,
    before: { institution: before },
    event: act(action, { institutionId: before.id, ...(amountYuan === null ? {} : { amountYuan }) }),
    expected: {
      outcome: 'acted',
      change: {
        kind: 'institutionAction',
        action: {
          eventId: EVENT_ID,
          institutionId: before.id,
          district: TY,
          action,
          amountYuan,
          occurredAt: AT_MS,
        },
        institution: { ...before, status },
      },
      deltas: [incr(`institutions.actions.${action}`), ...moved, seen()],
    },
  };
}

const receive = (fields: Record<string, unknown> = {}) =>
  event({ type: 'complaint.received', complaintId: 'C1', channel: 'hotline', category: 'fees', ...fields });
const received = { ...COMPLAINT, receivedAt: AT_MS };
const resolve = event({ type: 'complaint.resolved', complaintId: 'C1' });

const report = (fields: Record<string, unknown> = {}) =>
  event({
    type: 'school.report',
    schoolId: 'S1',
    period: '2026-11',
    afterSchoolOffered: true,
    afterSchoolParticipation: 0.8,
    homeworkCompliant: true,
    ...fields,
  });
const reported = { ...REPORT, reportedAt: AT_MS };
const invalid = { code: 'invalid_transition' } as const;
const unknownTarget = { code: 'unknown_target' } as const;

export const OBJECT_ROWS: Row[] = [
  // inspection.started
  {
    rule: 'started: counted all-time, today, this month and in its local hour; the school covered this month',
    event: start(),
    expected: {
      outcome: 'started',
      change: { kind: 'inspection', state: started },
      deltas: [
        incr('inspections'),
        incr('inspections', 1, TODAY),
        incr('inspections', 1, THIS_MONTH),
        incr('inspections.inProgress'),
        incr('hour.10', 1, TODAY),
        covered('coveredSchools', 'S1'),
        seen(),
        inspectorToday('P1'),
      ],
    },
  },
  {
    rule: 'started: at 00:30 local on Dec 1 (still Nov 30 in UTC), it counts in the local day, month and hour',
    event: start({ occurredAt: '2026-12-01T00:30:00+08:00', target: { kind: 'institution', id: 'N1' } }),
    expected: {
      outcome: 'started',
      change: {
        kind: 'inspection',
        state: {
          ...started,
          target: { kind: 'institution', id: 'N1' },
          startedAt: Date.parse('2026-12-01T00:30:00+08:00'),
        },
      },
      deltas: [
        incr('inspections'),
        incr('inspections', 1, 'day:2026-12-01'),
        incr('inspections', 1, 'month:2026-12'),
        incr('inspections.inProgress'),
        incr('hour.0', 1, 'day:2026-12-01'),
        covered('coveredInstitutions', 'N1', '2026-12'),
        seen(Date.parse('2026-12-01T00:30:00+08:00')),
        inspectorToday('P1', '2026-12-01'),
      ],
    },
  },
  {
    rule: 'started: an inspectionId in progress again',
    before: { inspection: INSPECTION },
    event: start(),
    expected: invalid,
  },
  {
    rule: 'started: an inspectionId completed again',
    before: { inspection: completed },
    event: start(),
    expected: invalid,
  },
  {
    rule: 'started: at a school of another district',
    event: start({ target: { kind: 'school', id: 'S2' } }),
    expected: unknownTarget,
  },
  {
    rule: 'started: at an institution of another district',
    event: start({ target: { kind: 'institution', id: 'N3' } }),
    expected: unknownTarget,
  },
  {
    rule: 'started: by an inspector not in the registry',
    event: start({ inspector: 'P9' }),
    expected: unknownTarget,
  },
  {
    rule: 'started: by an inspector of another district',
    event: start({ inspector: 'P2' }),
    expected: unknownTarget,
  },

  // inspection.completed
  {
    rule: 'completed: in progress → completed with its findings',
    before: { inspection: INSPECTION },
    event: complete(),
    expected: {
      outcome: 'completed',
      change: { kind: 'inspection', state: completed },
      deltas: [incr('inspections.inProgress', -1), seen()],
    },
  },
  {
    rule: 'any event naming an inspector adds them to today’s inspectors',
    before: { inspection: INSPECTION },
    event: complete({ inspector: 'P1' }),
    expected: {
      outcome: 'completed',
      change: { kind: 'inspection', state: completed },
      deltas: [incr('inspections.inProgress', -1), seen(), inspectorToday('P1')],
    },
  },
  {
    rule: 'completed: an inspection already completed',
    before: { inspection: completed },
    event: complete(),
    expected: invalid,
  },
  {
    rule: 'completed: an inspection never started',
    event: complete(),
    expected: { code: 'unknown_inspection' },
  },
  {
    rule: 'completed: an inspection of another district',
    before: { inspection: { ...INSPECTION, district: HT } },
    event: complete(),
    expected: { code: 'unknown_inspection' },
  },

  // institution.action: closure is final; suspension applies to an active institution only
  ...(['warning', 'rectification_order', 'fine'] as const).flatMap((action) =>
    (['active', 'suspended', 'closed'] as const).map((status) =>
      acted(action, { ...SUBJECT, status }, status, [], action === 'fine' ? 5000 : null),
    ),
  ),
  acted('suspension', SUBJECT, 'suspended', [
    incr('institutions.subject.active', -1),
    incr('institutions.subject.suspended'),
  ]),
  acted('suspension', { ...SUBJECT, status: 'suspended' }, 'suspended', []),
  acted('suspension', { ...SUBJECT, status: 'closed' }, 'closed', []),
  acted('closure', SUBJECT, 'closed', [
    incr('institutions.subject.active', -1),
    incr('institutions.subject.closed'),
  ]),
  acted('closure', { ...SUBJECT, status: 'suspended' }, 'closed', [
    incr('institutions.subject.suspended', -1),
    incr('institutions.subject.closed'),
  ]),
  acted('closure', { ...SUBJECT, status: 'closed' }, 'closed', []),
  // a non-subject institution's status changes, but only subject ones are counted by status
  acted('suspension', NON_SUBJECT, 'suspended', []),
  acted('closure', { ...NON_SUBJECT, status: 'suspended' }, 'closed', []),
  {
    rule: 'action: on an institution not in the registry',
    event: act('warning', { institutionId: 'N9' }),
    expected: unknownTarget,
  },
  {
    rule: 'action: on an institution of another district',
    event: act('closure', { institutionId: 'N3' }),
    expected: unknownTarget,
  },

  // complaint.received
  {
    rule: 'received: a complaint without a target is open',
    event: receive(),
    expected: {
      outcome: 'received',
      change: { kind: 'complaint', state: received },
      deltas: [incr('complaints.received'), seen()],
    },
  },
  {
    rule: 'received: a complaint about a school of its district keeps the target',
    event: receive({ target: { kind: 'school', id: 'S1' } }),
    expected: {
      outcome: 'received',
      change: { kind: 'complaint', state: { ...received, target: { kind: 'school', id: 'S1' } } },
      deltas: [incr('complaints.received'), seen()],
    },
  },
  {
    rule: 'received: an open complaintId again',
    before: { complaint: COMPLAINT },
    event: receive(),
    expected: invalid,
  },
  {
    rule: 'received: a resolved complaintId again',
    before: { complaint: { ...COMPLAINT, status: 'resolved', resolvedAt: AT_MS - 1 } },
    event: receive(),
    expected: invalid,
  },
  {
    rule: 'received: about a school of another district',
    event: receive({ target: { kind: 'school', id: 'S2' } }),
    expected: unknownTarget,
  },

  // complaint.resolved
  {
    rule: 'resolved: open → resolved',
    before: { complaint: COMPLAINT },
    event: resolve,
    expected: {
      outcome: 'resolved',
      change: { kind: 'complaint', state: { ...COMPLAINT, status: 'resolved', resolvedAt: AT_MS } },
      deltas: [incr('complaints.resolved'), seen()],
    },
  },
  {
    rule: 'resolved: a complaint already resolved',
    before: { complaint: { ...COMPLAINT, status: 'resolved', resolvedAt: AT_MS - 1 } },
    event: resolve,
    expected: invalid,
  },
  { rule: 'resolved: a complaint never received', event: resolve, expected: { code: 'unknown_complaint' } },
  {
    rule: 'resolved: a complaint of another district',
    before: { complaint: { ...COMPLAINT, district: HT } },
    event: resolve,
    expected: { code: 'unknown_complaint' },
  },

  // school.report: the latest report of a school for a month counts, in that month
  {
    rule: 'report: a school’s first report of the month adds to the month’s sums',
    event: report(),
    expected: {
      outcome: 'replaced',
      change: { kind: 'schoolReport', state: reported, replaced: true },
      deltas: [
        incr('reports.reporting', 1, THIS_MONTH),
        incr('reports.offering', 1, THIS_MONTH),
        incr('reports.participationBp', 8000, THIS_MONTH),
        incr('reports.compliant', 1, THIS_MONTH),
        seen(),
      ],
    },
  },
  {
    rule: 'report: without after-school its participation does not count',
    event: report({ afterSchoolOffered: false, afterSchoolParticipation: 0.5, homeworkCompliant: false }),
    expected: {
      outcome: 'replaced',
      change: {
        kind: 'schoolReport',
        state: { ...reported, afterSchoolOffered: false, participationBp: 5000, homeworkCompliant: false },
        replaced: true,
      },
      deltas: [incr('reports.reporting', 1, THIS_MONTH), seen()],
    },
  },
  {
    rule: 'report: a later report replaces the month’s: the sums move by the difference',
    before: { report: REPORT },
    event: report({ afterSchoolParticipation: 0.6, homeworkCompliant: false }),
    expected: {
      outcome: 'replaced',
      change: {
        kind: 'schoolReport',
        state: { ...reported, participationBp: 6000, homeworkCompliant: false },
        replaced: true,
      },
      deltas: [
        incr('reports.participationBp', -2000, THIS_MONTH),
        incr('reports.compliant', -1, THIS_MONTH),
        seen(),
      ],
    },
  },
  {
    rule: 'report: counted in the month it is for, not the month it was sent',
    event: report({ period: '2026-10' }),
    expected: {
      outcome: 'replaced',
      change: { kind: 'schoolReport', state: { ...reported, period: '2026-10' }, replaced: true },
      deltas: [
        incr('reports.reporting', 1, 'month:2026-10'),
        incr('reports.offering', 1, 'month:2026-10'),
        incr('reports.participationBp', 8000, 'month:2026-10'),
        incr('reports.compliant', 1, 'month:2026-10'),
        seen(),
      ],
    },
  },
  {
    rule: 'report: older than the one held, it is kept in the log only',
    before: { report: { ...REPORT, reportedAt: AT_MS + 1 } },
    event: report({ afterSchoolOffered: false }),
    expected: {
      outcome: 'superseded',
      change: { kind: 'schoolReport', state: { ...REPORT, reportedAt: AT_MS + 1 }, replaced: false },
      deltas: [seen()],
    },
  },
  {
    rule: 'report: of a school of another district',
    event: report({ schoolId: 'S2' }),
    expected: unknownTarget,
  },
];
