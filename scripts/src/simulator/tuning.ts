/**
 * Every number of the simulation in one place: how often things happen and how they tend to go.
 * Shares are probabilities (0..1); ranges are [min, max] with the unit in the name.
 */
import type { InspectionMode, InstitutionActionType, IssueCategory, Severity, Theme } from '@dudao/domain';

/** New activity per weekday (see rhythm.ts for how a day is shaped). */
export const ARRIVAL_RATES = {
  /**
   * Zhuzhou: a full-time inspector visits about four days a week, a part-time one every week or
   * two — so a month covers most schools, not all, and districts differ (the ranking means something).
   */
  inspection: { profile: 'office', perInspector: { full_time: 0.9, part_time: 0.18 } },
  complaint: { profile: 'public', perDistrict: 1.2 },
  /** 联合执法 checks of training institutions, outside the responsibility-zone visits */
  campaign: { profile: 'office', perInstitution: 0.004 },
  /** chance per working day that a school that has not reported this month does so */
  report: { profile: 'office', perUnreportedSchool: 0.12 },
} as const;

/** Average events one arrival leads to, follow-ups included (for sizing the live speedup). */
export const EVENTS_PER_ARRIVAL: Record<keyof typeof ARRIVAL_RATES, number> = {
  inspection: 4.2,
  complaint: 2.2,
  campaign: 1,
  report: 1,
};

export const VISIT_MINUTES = { min: 40, max: 180 } as const;
/** Findings per visit: most visits find nothing, a few find several things (mean about 0.65). */
export const FINDINGS_WEIGHTS = { '0': 0.6, '1': 0.24, '2': 0.1, '3': 0.04, '4': 0.015, '5': 0.005 } as const;
/** Summer moves the visits from closed schools to the tutoring businesses. */
export const INSTITUTION_VISIT_SHARE = { term: 0.22, summer: 0.55 } as const;
export const PART_TIME_PICK_SHARE =
  ARRIVAL_RATES.inspection.perInspector.part_time / ARRIVAL_RATES.inspection.perInspector.full_time;
export const MODE_WEIGHTS: Record<InspectionMode, number> = {
  routine: 0.45,
  special: 0.25,
  comprehensive: 0.12,
  followup: 0.18,
};
export const MONTHLY_THEME_SHARE = 0.75;
/** How readily a school of each stage is chosen for a visit: 双减 is about compulsory education. */
export const VISIT_WEIGHT_BY_STAGE = {
  kindergarten: 0.35,
  primary: 1,
  junior: 1,
  nine_year: 1,
  senior: 0.5,
} as const;
export const SEVERITY_WEIGHTS: Record<Severity, number> = { minor: 0.62, major: 0.3, critical: 0.08 };
export const DEADLINE_DAYS: Record<Severity, [number, number]> = {
  critical: [7, 7],
  major: [7, 15],
  minor: [14, 30],
};
export const REOPEN_DEADLINE_DAYS = [7, 15] as const;
/** Issues whose school never reports a fix: they become the overdue ones on the wall. */
export const NEVER_RECTIFIED_SHARE = 0.07;
export const LATE_RECTIFICATION_SHARE = 0.12;
export const LATE_BY_DAYS = [1, 10] as const;
export const REVISIT_DAYS = [1, 6] as const;
/** Guiyang's revisits fail about one time in six; a second attempt fails less often. */
export const REVISIT_FAIL_SHARE = { first: 0.18, again: 0.1 } as const;
export const ACTION_AFTER_FINDINGS_SHARE = 0.55;
export const ACTION_WEIGHTS: Record<InstitutionActionType, number> = {
  warning: 0.45,
  rectification_order: 0.32,
  fine: 0.15,
  suspension: 0.05,
  closure: 0.03,
};
export const FINE_YUAN = { subject: [10_000, 100_000], non_subject: [2_000, 30_000] } as const;
export const FINE_STEP_YUAN = 1_000;
export const CHANNEL_WEIGHTS = { hotline: 0.55, online: 0.35, letter: 0.1 } as const;
export const COMPLAINT_CATEGORY_WEIGHTS: Record<IssueCategory, number> = {
  off_campus_training: 0.35,
  homework: 0.2,
  fees: 0.15,
  after_school: 0.1,
  five_managements: 0.05,
  food_safety: 0.05,
  campus_safety: 0.05,
  teaching_order: 0.03,
  other: 0.02,
};
export const COMPLAINT_RESOLVED_SHARE = 0.9;
export const COMPLAINT_RESOLVE_DAYS = [1, 12] as const;
export const FOLLOWUP_VISIT_SHARE = 0.4;
export const FOLLOWUP_VISIT_DAYS = [1, 3] as const;
export const THEME_OF_COMPLAINT: Record<IssueCategory, Theme> = {
  off_campus_training: 'off_campus_training',
  homework: 'homework',
  fees: 'double_reduction',
  after_school: 'after_school',
  five_managements: 'five_managements',
  food_safety: 'food_safety',
  campus_safety: 'campus_safety',
  teaching_order: 'double_reduction',
  other: 'other',
};
export const AFTER_SCHOOL_OFFERED_SHARE = 0.95;
export const PARTICIPATION = { min: 0.6, max: 0.98, monthlyJitter: 0.04 } as const;
export const HOMEWORK_COMPLIANT_SHARE = 0.93;
/** A school sometimes sends its month again with corrected numbers; the later report replaces it. */
export const REPORT_CORRECTION_SHARE = 0.03;
export const RECTIFICATION_NOTES = [
  '已完成整改,上传整改照片',
  '已组织教师学习作业管理规定,调整各年级作业量',
  '已退还违规收取的费用并公示',
  '已完善课后服务报名及收费台账',
  '已更换过期食材,完善食品留样记录',
  '已清理消防通道,补齐灭火器',
  '已停止违规学科类培训,退费到位',
] as const;

/** Complaints about tutoring or fees usually name an institution; others a school half the time. */
export const COMPLAINT_TARGET_SHARE = { institution: 0.7, school: 0.5 } as const;
/** Findings at a training institution, by how often inspectors write them up. */
export const INSTITUTION_ISSUE_CATEGORIES: readonly IssueCategory[] = [
  'off_campus_training',
  'off_campus_training',
  'fees',
  'campus_safety',
];
/** Notices are written up in the minutes after a visit, one after another. */
export const NOTICE_AFTER_VISIT_MINUTES = [2, 20] as const;
export const NOTICE_GAP_MINUTES = 3;
/** An enforcement decision on an institution follows the visit within the afternoon. */
export const ACTION_AFTER_VISIT_MINUTES = [30, 90] as const;
/** When, between raising and the deadline, a school on time reports its fix. */
export const RECTIFIED_AT_SHARE_OF_SPAN = [0.15, 0.9] as const;
export const RECTIFICATION_NOTE_SHARE = 0.6;

/** What an issue was raised with (SPEC §13): a description by category, 整改措施, 责任人, photos. */
export const ISSUE_DESCRIPTIONS: Record<IssueCategory, readonly string[]> = {
  homework: ['部分班级书面作业量超标，日均超过规定时长', '作业布置未实行分层，存在重复性机械作业'],
  after_school: ['课后服务未覆盖有需求的学生', '课后服务内容以集体补课为主'],
  off_campus_training: ['违规开展学科类培训', '培训收费未纳入资金监管'],
  five_managements: ['学生手机管理制度未落实', '学生睡眠时间不足，早读提前'],
  fees: ['违规收取资料费', '课后服务收费标准未公示'],
  food_safety: ['食堂食材留样记录不全', '后厨存在过期食材'],
  campus_safety: ['消防通道堆放杂物', '校门口护学岗值守不到位'],
  teaching_order: ['随意调整课程表，挤占体育课', '假期组织集体补课'],
  other: ['制度台账不健全', '家校沟通机制不完善'],
};
export const ISSUE_MEASURES = [
  '限期整改，建立台账，整改完成后上传佐证材料',
  '学校召开专题会议，明确责任人和完成时限',
  '完善相关制度并公示，接受家长监督',
] as const;
export const ISSUE_RESPONSIBLE = ['校长', '分管副校长', '教务主任', '后勤主任', '机构负责人'] as const;
/** Share of issues raised with photos, and how many (placeholders the thumbnails link out to). */
export const ISSUE_PHOTO_SHARE = 0.7;
export const ISSUE_PHOTOS = [1, 3] as const;
export const RECTIFICATION_PHOTO_SHARE = 0.5;

/** The office acts on the loop (SPEC §13) as the district office (区教育督导办) does. */
export const OFFICE_ACTOR = '区教育督导办';
/** Of the issues that will be late or never fixed: urged a few days after the deadline. */
export const URGE_LATE_SHARE = 0.6;
export const URGE_AFTER_DEADLINE_DAYS = [1, 4] as const;
/** Of the issues that will be late: the school asks for more time the day before the deadline. */
export const EXTEND_LATE_SHARE = 0.35;
export const EXTEND_BY_DAYS = [5, 12] as const;
/** Remarks on an issue within days of raising it. */
export const COMMENT_SHARE = 0.12;
export const COMMENT_AFTER_DAYS = [0.5, 5] as const;
export const URGE_NOTES = [
  '请于三日内完成整改并上报',
  '该问题已逾期，请加快整改进度',
  '请责任人当面说明整改情况',
] as const;
export const EXTEND_REASONS = [
  '整改涉及施工，需延长工期',
  '需采购设备，学校申请延期',
  '需上级部门审批，申请延期',
] as const;
export const COMMENT_NOTES = ['已电话联系学校负责人', '已约谈学校分管领导', '家长反映情况已核实'] as const;
