/** How a feed line reads and what colour it carries (docs/WALL.md: colour means the same everywhere). */
import type { FeedItem } from '@dudao/domain';

export type FeedTone = 'cyan' | 'green' | 'amber' | 'red' | 'dim';

export interface FeedLine {
  tone: FeedTone;
  /** i18n key of the event's verb */
  verb: string;
  /** i18n keys (with their namespace) of details shown after the verb */
  tags: string[];
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

export function describeFeedItem(item: FeedItem): FeedLine {
  const d = item.detail ?? {};
  const tags: string[] = [];
  const add = (ns: string, v: unknown) => {
    const s = str(v);
    if (s) tags.push(`${ns}.${s}`);
  };
  let tone: FeedTone = 'cyan';
  let verb = `event.${item.type.replace('.', '_')}`;
  switch (item.type) {
    case 'inspection.started':
      add('theme', d.theme);
      break;
    case 'inspection.completed':
      tone = 'dim';
      break;
    case 'issue.raised':
      add('category', d.category);
      add('severity', d.severity);
      tone = d.severity === 'critical' ? 'red' : 'amber';
      break;
    case 'issue.rectified':
      tone = 'cyan';
      break;
    case 'issue.verified':
      tone = d.result === 'failed' ? 'red' : 'green';
      if (d.result === 'passed' || d.result === 'failed') verb = `verified.${d.result}`;
      break;
    case 'institution.action':
      add('action', d.action);
      tone = d.action === 'closure' || d.action === 'suspension' ? 'red' : 'amber';
      break;
    case 'complaint.received':
      add('category', d.category);
      tone = 'amber';
      break;
    case 'complaint.resolved':
      tone = 'green';
      break;
    case 'school.report':
      tone = 'dim';
      break;
  }
  return { tone, verb, tags };
}
