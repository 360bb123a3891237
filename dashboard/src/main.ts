import './lib/bootToken.ts';
import { createApp } from 'vue';
import App from './App.vue';
import { router } from './router.ts';
import { useCityPack } from './composables/useCityPack.ts';
import { getToken } from './lib/token.ts';
import { i18n } from './i18n/index.ts';
import { cssVariables } from './theme/tokens.ts';
import './theme/base.css';

for (const [k, v] of Object.entries(cssVariables())) document.documentElement.style.setProperty(k, v);
document.documentElement.lang = i18n.global.locale.value;

// The wall's city pack and map are the same for every key: they load while the key is checked.
// Without a key (a person, or nobody yet: the sign-in) they wait for the session check.
if (getToken() && router.resolve(window.location.pathname).name === 'wall') useCityPack({ withMap: true });

createApp(App).use(i18n).use(router).mount('#app');
