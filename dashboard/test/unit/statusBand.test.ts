// @vitest-environment happy-dom
/** The wall's header band shows the service's `health` (SPEC §8): Redis or the database away is said in words. */
import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import { createI18n } from 'vue-i18n';
import type { Health } from '@dudao/domain';
import StatusBand from '../../src/components/StatusBand.vue';
import zhCN from '../../src/i18n/zh-CN.ts';

function band(health: Health | null) {
  const i18n = createI18n({ legacy: false, locale: 'zh-CN', messages: { 'zh-CN': zhCN } });
  return mount(StatusBand, {
    props: { level: 'live', ageSeconds: 0, lastEventAgeSeconds: 3, health },
    global: { plugins: [i18n] },
  });
}

describe('the status band tells a degraded service', () => {
  it('says the live store is down while Redis is away, and the numbers stay on screen', () => {
    const text = band({ db: 'ok', live: 'down' }).text();
    expect(text).toContain('服务降级：实时存储');
    expect(text).toContain('实时');
  });

  it('names the database when it is the one away, and both when both are', () => {
    expect(band({ db: 'down', live: 'ok' }).text()).toContain('服务降级：数据库');
    expect(band({ db: 'down', live: 'down' }).text()).toContain('服务降级：数据库、实时存储');
  });

  it('says nothing of health when all is well', () => {
    expect(band({ db: 'ok', live: 'ok' }).text()).not.toContain('服务降级');
    expect(band(null).text()).not.toContain('服务降级');
  });
});
