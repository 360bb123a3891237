/**
 * When things happen and what they are about: the working day, the week, and the monthly theme
 * (一月一主题) that Guiyang's inspectors follow. Numbers are shaped after the two reports in
 * shared/domain: visits in office hours, complaints from the public in the evening too.
 */
import type { IssueCategory, Theme } from '@dudao/domain';
import { beijingTime } from './clock.ts';

/** Relative activity per Beijing hour (peak = 1): office work with a lunch break. */
const OFFICE_BY_HOUR = [
  0.01, 0.005, 0.005, 0.005, 0.005, 0.01, 0.03, 0.12, 0.55, 1, 1, 0.85, 0.3, 0.35, 0.85, 1, 0.9, 0.55, 0.2,
  0.1, 0.07, 0.05, 0.03, 0.015,
];
/** Parents call the hotline or write online after work as well. */
const PUBLIC_BY_HOUR = [
  0.05, 0.02, 0.01, 0.01, 0.01, 0.02, 0.05, 0.2, 0.6, 0.9, 1, 0.9, 0.6, 0.6, 0.9, 1, 0.9, 0.8, 0.6, 0.6, 0.55,
  0.45, 0.3, 0.12,
];
/** Sunday … Saturday. Inspectors rarely work weekends; the public writes on them. */
const OFFICE_BY_WEEKDAY = [0.08, 1, 1, 1, 1, 1, 0.15];
const PUBLIC_BY_WEEKDAY = [0.6, 1, 1, 1, 1, 1, 0.7];

export type Profile = 'office' | 'public';
const PROFILES: Record<Profile, { byHour: number[]; byWeekday: number[] }> = {
  office: { byHour: OFFICE_BY_HOUR, byWeekday: OFFICE_BY_WEEKDAY },
  public: { byHour: PUBLIC_BY_HOUR, byWeekday: PUBLIC_BY_WEEKDAY },
};
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const HOUR_WEIGHT_SUM: Record<Profile, number> = {
  office: sum(OFFICE_BY_HOUR),
  public: sum(PUBLIC_BY_HOUR),
};

/** Activity at `ms` relative to the weekday peak (0..1). */
export function activity(profile: Profile, ms: number): number {
  const { hour, weekday } = beijingTime(ms);
  const p = PROFILES[profile];
  return (p.byHour[hour] ?? 0) * (p.byWeekday[weekday] ?? 0);
}

/**
 * Converts "n per weekday" into a rate per millisecond at full activity, so that a weekday's
 * activity curve integrates back to n.
 */
export function perMsAtPeak(profile: Profile, perWeekday: number): number {
  return perWeekday / (HOUR_WEIGHT_SUM[profile] * 3_600_000);
}

/** 一月一主题: the theme of each calendar month (index 0 = January), after the school calendar. */
const MONTHLY_THEMES: Theme[] = [
  'campus_safety', // January: winter break safety
  'five_managements', // February: spring term opening
  'double_reduction', // March
  'food_safety', // April
  'homework', // May
  'campus_safety', // June: drowning prevention before summer
  'off_campus_training', // July: summer tutoring crackdown
  'off_campus_training', // August
  'double_reduction', // September: autumn term opening
  'after_school', // October
  'five_managements', // November
  'dropout_control', // December: 控辍保学
];

export function themeOfMonth(ms: number): Theme {
  return MONTHLY_THEMES[beijingTime(ms).monthNumber - 1] ?? 'double_reduction';
}

/** In July and August schools are closed and the visits go to the training institutions. */
export function isSummerBreak(ms: number): boolean {
  const { monthNumber } = beijingTime(ms);
  return monthNumber === 7 || monthNumber === 8;
}

/** What an inspector writes up on a visit with a given theme. */
export const CATEGORIES_BY_THEME: Record<Theme, IssueCategory[]> = {
  double_reduction: ['homework', 'after_school', 'off_campus_training', 'teaching_order'],
  five_managements: ['five_managements', 'homework', 'five_managements'],
  after_school: ['after_school', 'fees', 'after_school'],
  homework: ['homework', 'homework', 'five_managements'],
  off_campus_training: ['off_campus_training', 'off_campus_training', 'fees'],
  food_safety: ['food_safety', 'food_safety', 'fees'],
  campus_safety: ['campus_safety', 'campus_safety', 'other'],
  dropout_control: ['teaching_order', 'other'],
  other: ['other', 'teaching_order', 'fees'],
};

/** Themes that only make sense in compulsory education; kindergartens get safety visits instead. */
export const COMPULSORY_ONLY_THEMES: readonly Theme[] = [
  'double_reduction',
  'five_managements',
  'after_school',
  'homework',
  'dropout_control',
];
export const KINDERGARTEN_THEMES: readonly Theme[] = ['campus_safety', 'food_safety', 'other'];
export const INSTITUTION_THEMES = {
  off_campus_training: 0.7,
  double_reduction: 0.2,
  campus_safety: 0.05,
  food_safety: 0.05,
} as const;
