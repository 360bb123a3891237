/**
 * The briefing's wording: an official report's terms (公文用语), which are longer and more formal
 * than the wall's short labels, so they are kept here rather than borrowed from the dashboard.
 */
import type { ComplaintChannel, InstitutionActionType, IssueCategory, Severity, Theme } from '@dudao/domain';

export const THEME: Record<Theme, string> = {
  double_reduction: '“双减”政策落实',
  five_managements: '“五项管理”',
  after_school: '课后服务',
  homework: '作业管理',
  off_campus_training: '校外培训治理',
  food_safety: '食品安全',
  campus_safety: '校园安全',
  dropout_control: '控辍保学',
  other: '其他',
};

export const CATEGORY: Record<IssueCategory, string> = {
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

export const ACTION: Record<InstitutionActionType, string> = {
  warning: '警告',
  rectification_order: '责令整改',
  fine: '罚款',
  suspension: '责令停业',
  closure: '依法取缔',
};

export const CHANNEL: Record<ComplaintChannel, string> = {
  hotline: '热线电话',
  online: '网络平台',
  letter: '来信来访',
};

export const SEVERITY: Record<Severity, string> = { minor: '一般', major: '较重', critical: '严重' };

/** Looks a code up in a label table, showing the code itself when it is not there. */
export const label = <K extends string>(table: Record<K, string>, key: string): string =>
  (table as Record<string, string>)[key] ?? key;

/** 2026-11-26 → 2026年11月26日 */
export function chineseDate(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}
