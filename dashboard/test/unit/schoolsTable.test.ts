// @vitest-environment happy-dom
/** SPEC §14: a school row says whether its 责任督学 themself went this month, not just anyone. */
import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import { createI18n } from 'vue-i18n';
import SchoolsTable from '../../src/components/district/SchoolsTable.vue';
import zhCN from '../../src/i18n/zh-CN.ts';
import en from '../../src/i18n/en.ts';
import { school } from './fixtures.ts';

const rows = [
  school('1', { supervisor: 'P1', supervisorName: '王秀英', supervisorVisitedThisMonth: true }),
  // visited this month, but by someone else
  school('2', { supervisor: 'P1', supervisorName: '王秀英', inspectionsThisMonth: 2 }),
  school('3', {}),
];

function table(locale: 'zh-CN' | 'en') {
  const i18n = createI18n({ legacy: false, locale, messages: { 'zh-CN': zhCN, en } });
  return mount(SchoolsTable, {
    props: { rows, timezone: 'Asia/Shanghai', failed: false },
    global: { plugins: [i18n] },
  });
}
const rowText = (w: ReturnType<typeof table>, name: string) =>
  w.findAll('tbody tr').find((r) => r.text().includes(name))!;

describe('the schools table: did the 责任督学 themself go this month?', () => {
  it('marks each row with a 责任督学: went (green) or not (amber), whoever else went', () => {
    const w = table('zh-CN');
    const went = rowText(w, '学校1').find('[data-testid="supervisor-visited"]');
    expect(went.text()).toBe('本人本月已到校');
    expect(went.classes()).toContain('c-green');
    const other = rowText(w, '学校2').find('[data-testid="supervisor-visited"]');
    expect(other.text()).toBe('本人本月未到校');
    expect(other.classes()).toContain('c-amber');
    // nobody assigned: said so, no mark
    const none = rowText(w, '学校3');
    expect(none.find('[data-testid="supervisor-visited"]').exists()).toBe(false);
    expect(none.text()).toContain('未分配');
  });

  it('says it in English too', () => {
    const w = table('en');
    expect(rowText(w, '学校1').find('[data-testid="supervisor-visited"]').text()).toBe('visited this month');
    expect(rowText(w, '学校2').find('[data-testid="supervisor-visited"]').text()).toBe(
      'not visited this month',
    );
  });
});
