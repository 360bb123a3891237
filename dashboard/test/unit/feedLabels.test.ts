import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, type EventType } from '@dudao/domain';
import zhCN from '../../src/i18n/zh-CN.ts';
import en from '../../src/i18n/en.ts';
import { describeFeedItem } from '../../src/lib/feedText.ts';
import { feedItem } from './fixtures.ts';

/** Follows a dotted i18n key through a message table. */
const lookup = (messages: object, key: string): unknown =>
  key
    .split('.')
    .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], messages);

describe('feed labels', () => {
  it.each(EVENT_TYPES)('a %s line has words in both languages', (type) => {
    const { verb } = describeFeedItem(feedItem('x', type as EventType));
    expect(typeof lookup(zhCN, verb)).toBe('string');
    expect(typeof lookup(en, verb)).toBe('string');
  });
});
