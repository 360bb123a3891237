import { createI18n } from 'vue-i18n';
import zhCN from './zh-CN.ts';
import en from './en.ts';

export type Locale = 'zh-CN' | 'en';
const LOCALE_STORAGE_KEY = 'dudao.lang';

export function initialLocale(search: string, stored: string | null): Locale {
  const q = new URLSearchParams(search).get('lang');
  if (q === 'en' || q === 'zh-CN' || q === 'zh') return q === 'en' ? 'en' : 'zh-CN';
  return stored === 'en' ? 'en' : 'zh-CN';
}

export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(window.location.search, window.localStorage.getItem(LOCALE_STORAGE_KEY)),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
});

export function setLocale(l: Locale): void {
  i18n.global.locale.value = l;
  window.localStorage.setItem(LOCALE_STORAGE_KEY, l);
  document.documentElement.lang = l;
}
