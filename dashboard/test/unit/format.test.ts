import { describe, expect, it } from 'vitest';
import {
  DASH,
  formatAge,
  formatCount,
  formatDate,
  formatRate,
  formatTime,
  rollValue,
} from '../../src/lib/format.ts';

describe('numbers: "—" before data, never 0; rates with one decimal', () => {
  it('formats rates and counts, and dashes for missing values', () => {
    expect(formatRate(0.1234)).toBe('12.3%');
    expect(formatRate(0)).toBe('0.0%');
    expect(formatRate(null)).toBe(DASH);
    expect(formatCount(undefined)).toBe(DASH);
    expect(formatCount(12345)).toBe('12,345');
  });

  it('rolls to the new value within the duration and lands exactly', () => {
    expect(rollValue(0, 100, 0, 600)).toBe(0);
    expect(rollValue(0, 100, 300, 600)).toBeGreaterThan(50);
    expect(rollValue(0, 100, 600, 600)).toBe(100);
    expect(rollValue(0, 100, 10_000, 600)).toBe(100);
  });

  it("shows dates and times in the city's timezone", () => {
    const t = Date.parse('2026-11-26T16:30:05Z');
    expect(formatDate(t, 'Asia/Shanghai')).toBe('2026-11-27');
    expect(formatTime(t, 'Asia/Shanghai')).toBe('00:30:05');
  });

  it('writes ages compactly', () => {
    const u = { s: 's', m: 'm', h: 'h', d: 'd' };
    expect(formatAge(5, u)).toBe('5s');
    expect(formatAge(125, u)).toBe('2m');
    expect(formatAge(7200, u)).toBe('2h');
    expect(formatAge(null, u)).toBe(DASH);
  });
});
