/** The app: loaded by the entry (main.ts) once it has sent the wall's first requests. */
import { createApp } from 'vue';
import App from './App.vue';
import { router } from './router.ts';
import { i18n } from './i18n/index.ts';
import { cssVariables } from './theme/tokens.ts';
import './theme/base.css';

for (const [k, v] of Object.entries(cssVariables())) document.documentElement.style.setProperty(k, v);
document.documentElement.lang = i18n.global.locale.value;

createApp(App).use(i18n).use(router).mount('#app');
