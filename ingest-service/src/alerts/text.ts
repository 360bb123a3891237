/**
 * What a firing says to people outside the wall (webhooks), in the office's words (zh-CN): a title
 * and one line; markdown adds the district in bold. The wall and the laptop word it themselves
 * (dashboard i18n) from the same rule and facts.
 */
import { CATEGORY_ZH, COMPLAINT_CHANNEL_ZH, labelOf, type AlertItem, type AlertRule } from '@dudao/domain';

export const RULE_TITLES: Record<AlertRule, string> = {
  critical_issue: '严重问题',
  issue_overdue: '问题逾期',
  issue_reopened: '问题反复',
  complaint_open: '投诉未办结',
  coverage_low: '督导覆盖率偏低',
};

export interface AlertText {
  title: string;
  /** the line after the district's name */
  line: string;
}

export function alertText(alert: AlertItem, localTime: (iso: string) => string): AlertText {
  const f = alert.facts;
  const category = labelOf(CATEGORY_ZH, String(f.category ?? ''));
  const id = alert.subject.id;
  /** the school or institution, else the id */
  const name = f.targetName ?? f.target ?? id;
  const lines: Record<AlertRule, () => string> = {
    critical_issue: () =>
      `${name}发现严重问题（${category}，编号 ${id}），整改期限 ${localTime(String(f.deadline))}`,
    issue_overdue: () =>
      `${name}的问题（${category}，编号 ${id}）已逾期 ${f.daysOverdue} 天，整改期限 ${localTime(String(f.deadline))}`,
    issue_reopened: () =>
      `${name}的问题（${category}，编号 ${id}）复查未通过，已重新整改 ${f.reopenCount} 次`,
    complaint_open: () =>
      `${name}的${labelOf(COMPLAINT_CHANNEL_ZH, String(f.channel))}投诉（${category}，编号 ${id}）受理 ${f.daysOpen} 天仍未办结`,
    coverage_low: () =>
      `${f.month} 学校督导覆盖率 ${f.percent}%（${f.covered}/${f.total} 所），低于 ${f.belowPercent}%`,
  };
  return { title: `【督导告警】${RULE_TITLES[alert.rule]}`, line: lines[alert.rule]() };
}
