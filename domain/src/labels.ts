/**
 * The Chinese names of the contract's codes (SPEC §5), written once for the dashboard, the daily
 * briefing and the exported ledger. Where an official report words a code more formally than the
 * wall's short label (公文用语), both forms live here side by side.
 */
import type {
  ComplaintChannel,
  InstitutionActionType,
  IssueCategory,
  Severity,
  TargetKind,
  Theme,
} from './events.ts';

export const CATEGORY_ZH: Record<IssueCategory, string> = {
  homework: '作业管理',
  after_school: '课后服务',
  off_campus_training: '校外培训',
  five_managements: '五项管理',
  fees: '违规收费',
  food_safety: '食品安全',
  campus_safety: '校园安全',
  teaching_order: '教学秩序',
  other: '其他',
};

export const SEVERITY_ZH: Record<Severity, string> = { minor: '一般', major: '较重', critical: '严重' };

export const COMPLAINT_CHANNEL_ZH: Record<ComplaintChannel, string> = {
  hotline: '热线电话',
  online: '网络平台',
  letter: '来信来访',
};

export const TARGET_KIND_ZH: Record<TargetKind, string> = { school: '学校', institution: '培训机构' };

/** A theme as the wall shows it. */
export const THEME_ZH: Record<Theme, string> = {
  double_reduction: '双减',
  five_managements: '五项管理',
  after_school: '课后服务',
  homework: '作业',
  off_campus_training: '校外培训',
  food_safety: '食品安全',
  campus_safety: '校园安全',
  dropout_control: '控辍保学',
  other: '其他',
};

/** A theme as an official report words it. */
export const THEME_FORMAL_ZH: Record<Theme, string> = {
  ...THEME_ZH,
  double_reduction: '“双减”政策落实',
  five_managements: '“五项管理”',
  homework: '作业管理',
  off_campus_training: '校外培训治理',
};

/** An enforcement action as the wall shows it. */
export const INSTITUTION_ACTION_ZH: Record<InstitutionActionType, string> = {
  warning: '警告',
  rectification_order: '责令整改',
  fine: '罚款',
  suspension: '停业',
  closure: '取缔',
};

/** An enforcement action as an official report words it. */
export const INSTITUTION_ACTION_FORMAL_ZH: Record<InstitutionActionType, string> = {
  ...INSTITUTION_ACTION_ZH,
  suspension: '责令停业',
  closure: '依法取缔',
};

/** Looks a code up in a label table, showing the code itself when it is not there. */
export const labelOf = <K extends string>(table: Record<K, string>, code: string): string =>
  (table as Record<string, string>)[code] ?? code;
