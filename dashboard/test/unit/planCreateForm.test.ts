// @vitest-environment happy-dom
/** SPEC §14: the admin's plan form says what is wrong in zh-CN, and in English with the toggle. */
import { describe, expect, it } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createI18n } from 'vue-i18n';
import type { PlanProblemCode } from '@dudao/domain';
import PlanCreateForm from '../../src/components/admin/PlanCreateForm.vue';
import type { CreateOutcome } from '../../src/composables/useAdminPlans.ts';
import zhCN from '../../src/i18n/zh-CN.ts';
import en from '../../src/i18n/en.ts';

const scopes = [
  { value: 'city', name: '株洲市' },
  { value: '430211', name: '天元区' },
];

function form(locale: 'zh-CN' | 'en', create: () => Promise<CreateOutcome>) {
  const i18n = createI18n({ legacy: false, locale, messages: { 'zh-CN': zhCN, en } });
  const w = mount(PlanCreateForm, { props: { scopes, create }, global: { plugins: [i18n] } });
  return { w, i18n };
}
const never = () => Promise.reject(new Error('not sent'));
const text = (w: ReturnType<typeof form>['w'], id: string) => w.find(`[data-testid="${id}"]`).text();

describe('the plan form speaks the screen’s language', () => {
  it('names the fields at fault in zh-CN, and in English after the toggle', async () => {
    const { w, i18n } = form('zh-CN', never);
    await w.find('form').trigger('submit');
    expect(text(w, 'plan-id-error')).toBe('编号须为 4–64 位字母、数字、_ 或 -');
    expect(text(w, 'plan-title-error')).toBe('名称须为 1–80 个字');
    expect(text(w, 'plan-from-error')).toBe('请填写日期（年-月-日）');
    expect(text(w, 'plan-theme-error')).toBe('一月一主题须选择督导主题');
    i18n.global.locale.value = 'en';
    await flushPromises();
    expect(text(w, 'plan-id-error')).toBe('must be 4–64 characters of A-Z a-z 0-9 _ -');
    expect(text(w, 'plan-title-error')).toBe('must be 1–80 characters');
    expect(text(w, 'plan-theme-error')).toBe('a monthly theme plan needs its theme');
  });

  it('says the service’s verdicts in zh-CN too: a taken id, a target the scope does not have', async () => {
    let answer: CreateOutcome = {
      ok: false,
      message: 'plan theme-2026-12 exists with other content',
      problems: [{ path: '/id', message: 'plan theme-2026-12 exists with other content', code: 'id_taken' }],
    };
    const { w } = form('zh-CN', () => Promise.resolve(answer));
    await w.find('[data-testid="plan-kind"]').setValue('campaign');
    await w.find('[data-testid="plan-id"]').setValue('theme-2026-12');
    await w.find('[data-testid="plan-title"]').setValue('专项');
    await w.find('[data-testid="plan-from"]').setValue('2026-12-01');
    await w.find('[data-testid="plan-to"]').setValue('2026-12-31');
    await w.find('form').trigger('submit');
    await flushPromises();
    expect(text(w, 'plan-id-error')).toBe('该编号已被内容不同的计划使用');
    answer = {
      ok: false,
      message: 'the plan breaks the rules named in details',
      problems: [
        {
          path: '/targets/ids/0',
          message: 'no school S-9 in city',
          code: 'target_unknown' satisfies PlanProblemCode,
          params: { kind: 'school', id: 'S-9', scope: 'city' },
        },
      ],
    };
    await w.find('[data-testid="plan-ids"]').setValue('S-9');
    await w.find('form').trigger('submit');
    await flushPromises();
    // the target kind is domain's label (TARGET_KIND_ZH), the scope the form's name for it
    expect(text(w, 'plan-targets-error')).toBe('株洲市没有编号为 S-9 的学校');
  });
});
