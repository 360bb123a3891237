/** Valid events of every type for tests; override any field. Ids are unique per call. */
import { TY } from './registry.ts';

let seq = 0;
const nextId = (prefix: string) => `${prefix}-${process.pid}-${++seq}`.padEnd(8, '0');

const base = (occurredAt: string) => ({ id: nextId('ev'), occurredAt, district: TY });

export const ev = {
  started: (occurredAt: string, o: Record<string, unknown> = {}) => ({
    ...base(occurredAt),
    type: 'inspection.started',
    inspectionId: nextId('insp'),
    target: { kind: 'school', id: 'S-TY-1' },
    mode: 'routine',
    theme: 'double_reduction',
    inspector: 'P-TY-1',
    ...o,
  }),
  completed: (occurredAt: string, inspectionId: string, o: Record<string, unknown> = {}) => ({
    ...base(occurredAt),
    type: 'inspection.completed',
    inspectionId,
    findings: 1,
    ...o,
  }),
  raised: (occurredAt: string, deadline: string, o: Record<string, unknown> = {}) => ({
    ...base(occurredAt),
    type: 'issue.raised',
    issueId: nextId('iss'),
    target: { kind: 'school', id: 'S-TY-1' },
    category: 'homework',
    severity: 'major',
    deadline,
    ...o,
  }),
  rectified: (occurredAt: string, issueId: string, o: Record<string, unknown> = {}) => ({
    ...base(occurredAt),
    type: 'issue.rectified',
    issueId,
    ...o,
  }),
  verified: (
    occurredAt: string,
    issueId: string,
    result: 'passed' | 'failed',
    o: Record<string, unknown> = {},
  ) => ({
    ...base(occurredAt),
    type: 'issue.verified',
    issueId,
    result,
    ...o,
  }),
  extended: (occurredAt: string, issueId: string, deadline: string, o: Record<string, unknown> = {}) => ({
    ...base(occurredAt),
    type: 'issue.deadline_extended',
    issueId,
    deadline,
    reason: '整改需要施工，申请延期',
    ...o,
  }),
  urged: (occurredAt: string, issueId: string, o: Record<string, unknown> = {}) => ({
    ...base(occurredAt),
    type: 'issue.urged',
    issueId,
    note: '请于本周内完成整改',
    ...o,
  }),
  commented: (occurredAt: string, issueId: string, o: Record<string, unknown> = {}) => ({
    ...base(occurredAt),
    type: 'issue.commented',
    issueId,
    note: '已与校长电话沟通',
    ...o,
  }),
  action: (occurredAt: string, action: string, o: Record<string, unknown> = {}) => ({
    ...base(occurredAt),
    type: 'institution.action',
    institutionId: 'N-TY-1',
    action,
    ...o,
  }),
  complaint: (occurredAt: string, o: Record<string, unknown> = {}) => ({
    ...base(occurredAt),
    type: 'complaint.received',
    complaintId: nextId('cmp'),
    channel: 'hotline',
    category: 'off_campus_training',
    ...o,
  }),
  resolved: (occurredAt: string, complaintId: string, o: Record<string, unknown> = {}) => ({
    ...base(occurredAt),
    type: 'complaint.resolved',
    complaintId,
    ...o,
  }),
  report: (occurredAt: string, o: Record<string, unknown> = {}) => ({
    ...base(occurredAt),
    type: 'school.report',
    schoolId: 'S-TY-1',
    period: occurredAt.slice(0, 7),
    afterSchoolOffered: true,
    afterSchoolParticipation: 0.8,
    homeworkCompliant: true,
    ...o,
  }),
};
